//! Directories: a flat DAG-PB node, or a HAMT (fanout 256, murmur3-x64-64 of the name) once
//! the flat node would pass the profile's size threshold.

use std::collections::HashSet;

use super::file::Child;
use super::murmur3;
use super::node::{dag_pb_block, encode_node, link_len, unixfs_data, Block, Link, TYPE_DIRECTORY, TYPE_HAMT_SHARD};
use super::profile::{Profile, SHARD_THRESHOLD};
use crate::error::{Error, ErrorKind, Result};

/// One name in a directory.
pub struct Entry {
    pub name: Vec<u8>,
    pub cid: Vec<u8>,
    pub tsize: u64,
    /// Whether the entry counts toward the HAMT threshold. `ipfs-unixfs-importer` (and so
    /// these profiles' reference) counts files and empty directories, not directories with
    /// content, whose CID is not known when the parent's size is judged.
    pub counts: bool,
}

/// Collects a directory's entries and builds it.
#[derive(Default)]
pub struct DirBuilder {
    entries: Vec<Entry>,
    names: HashSet<Vec<u8>>,
}

impl DirBuilder {
    /// Adds an entry; a name already present is refused.
    pub fn add(&mut self, entry: Entry) -> Result<()> {
        if !self.names.insert(entry.name.clone()) {
            return Err(Error::new(ErrorKind::UnixfsInput, format!("\"{}\" appears twice in one folder", String::from_utf8_lossy(&entry.name))));
        }
        self.entries.push(entry);
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The only entry (for an import that is not wrapped in a directory).
    pub fn into_only(mut self) -> Option<Entry> {
        if self.entries.len() == 1 {
            self.entries.pop()
        } else {
            None
        }
    }

    /// The size the profile judges against the threshold.
    fn estimate(&self, profile: &Profile) -> usize {
        let counted = self.entries.iter().filter(|e| e.counts);
        if profile.shard_by_block_bytes {
            // The whole node: its Data field (4 bytes for a plain directory) and every link.
            4 + counted.map(|e| link_len(e.cid.len(), e.name.len(), e.tsize)).sum::<usize>()
        } else {
            counted.map(|e| e.name.len() + e.cid.len()).sum()
        }
    }

    /// Builds the directory, its blocks appended to `out` (the root last).
    pub fn finish(mut self, profile: &Profile, out: &mut Vec<Block>) -> Child {
        if self.estimate(profile) > SHARD_THRESHOLD {
            let hashed: Vec<Hashed> = self.entries.iter().map(|e| Hashed { entry: e, first: murmur3::x64_128(&e.name).0.to_be_bytes() }).collect();
            let refs: Vec<&Hashed> = hashed.iter().collect();
            return shard(&refs, 0, profile, out);
        }
        self.entries.sort_by(|a, b| a.name.cmp(&b.name));
        let links: Vec<Link> = self.entries.iter().map(|e| Link { cid: e.cid.clone(), name: e.name.clone(), tsize: e.tsize }).collect();
        finish_node(&links, &unixfs_data(TYPE_DIRECTORY, &[], None, &[], false), profile, out)
    }
}

fn finish_node(links: &[Link], data: &[u8], profile: &Profile, out: &mut Vec<Block>) -> Child {
    let block = dag_pb_block(profile.cid_v0, encode_node(links, data));
    let tsize = block.bytes.len() as u64 + links.iter().map(|l| l.tsize).sum::<u64>();
    let child = Child { cid: block.cid.clone(), tsize, file_size: 0 };
    out.push(block);
    child
}

/// An entry with the first 64 bits of its name's hash.
struct Hashed<'a> {
    entry: &'a Entry,
    first: [u8; 8],
}

impl Hashed<'_> {
    /// The slot of this entry at `depth`: the hash's bytes from the most significant, and past
    /// the first eight, those of the hash of the name followed by the byte `depth / 8`.
    fn slot(&self, depth: usize) -> usize {
        if depth < 8 {
            return self.first[depth] as usize;
        }
        let mut salted = self.entry.name.clone();
        salted.push((depth / 8) as u8);
        murmur3::x64_128(&salted).0.to_be_bytes()[depth % 8] as usize
    }
}

/// One HAMT node over `entries` at `depth`: an entry alone in its slot is linked as
/// `XX<name>`, several sharing a slot go to a child node linked as `XX`.
fn shard(entries: &[&Hashed], depth: usize, profile: &Profile, out: &mut Vec<Block>) -> Child {
    let mut slots: Vec<Vec<&Hashed>> = (0..256).map(|_| Vec::new()).collect();
    for &entry in entries {
        slots[entry.slot(depth)].push(entry);
    }
    let mut bitmap = [0u8; 32];
    let mut links = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        if slot.is_empty() {
            continue;
        }
        bitmap[31 - index / 8] |= 1 << (index % 8);
        let label = format!("{:02X}", index).into_bytes();
        if slot.len() == 1 {
            let entry = slot[0].entry;
            links.push(Link { cid: entry.cid.clone(), name: [label, entry.name.clone()].concat(), tsize: entry.tsize });
        } else {
            let child = shard(slot, depth + 1, profile, out);
            links.push(Link { cid: child.cid, name: label, tsize: child.tsize });
        }
    }
    // The bitmap as a big-endian number without leading zero bytes (at least one byte).
    let first = bitmap.iter().position(|&b| b != 0).unwrap_or(31);
    let data = unixfs_data(TYPE_HAMT_SHARD, &bitmap[first..], None, &[], true);
    finish_node(&links, &data, profile, out)
}
