//! A file's DAG in the balanced layout, built as its leaves arrive: a node is made as soon
//! as `max_links` children wait at its level, so memory stays at one node per level.

use super::node::{dag_pb_block, dag_pb_cid, encode_node, leaf_frame, raw_cid, unixfs_data, Block, Link, TYPE_FILE};
use super::profile::Profile;

/// A finished piece of DAG: its CID, cumulative size and the file bytes under it.
#[derive(Clone, Debug)]
pub struct Child {
    pub cid: Vec<u8>,
    pub tsize: u64,
    pub file_size: u64,
}

/// Builds one file.
pub struct FileBuilder {
    profile: Profile,
    /// Children waiting at each level (0: leaves).
    levels: Vec<Vec<Child>>,
    /// Whether a full node was already made at each level.
    reduced: Vec<bool>,
    leaves: u64,
}

impl FileBuilder {
    pub fn new(profile: Profile) -> FileBuilder {
        FileBuilder { profile, levels: vec![Vec::new()], reduced: vec![false], leaves: 0 }
    }

    /// Adds the next leaf, hashed by the host: `digest` is the SHA-256 of the leaf block (the
    /// chunk itself for raw leaves, else the chunk framed by [`leaf_frame`]).
    pub fn push_leaf(&mut self, digest: &[u8; 32], data_len: u64, out: &mut Vec<Block>) {
        let leaf = if self.profile.raw_leaves {
            Child { cid: raw_cid(digest), tsize: data_len, file_size: data_len }
        } else {
            let (prefix, suffix) = leaf_frame(data_len);
            Child { cid: dag_pb_cid(self.profile.cid_v0, digest), tsize: prefix.len() as u64 + data_len + suffix.len() as u64, file_size: data_len }
        };
        self.leaves += 1;
        self.push(0, leaf, out);
    }

    fn push(&mut self, level: usize, child: Child, out: &mut Vec<Block>) {
        if self.levels.len() == level {
            self.levels.push(Vec::new());
            self.reduced.push(false);
        }
        self.levels[level].push(child);
        if self.levels[level].len() == self.profile.max_links {
            let full = std::mem::take(&mut self.levels[level]);
            self.reduced[level] = true;
            let node = self.node(&full, out);
            self.push(level + 1, node, out);
        }
    }

    /// A file node over `children`.
    fn node(&self, children: &[Child], out: &mut Vec<Block>) -> Child {
        let sizes: Vec<u64> = children.iter().map(|c| c.file_size).collect();
        let file_size = sizes.iter().sum();
        let data = unixfs_data(TYPE_FILE, &[], Some(file_size), &sizes, false);
        let links: Vec<Link> = children.iter().map(|c| Link { cid: c.cid.clone(), name: Vec::new(), tsize: c.tsize }).collect();
        let block = dag_pb_block(self.profile.cid_v0, encode_node(&links, &data));
        let tsize = block.bytes.len() as u64 + children.iter().map(|c| c.tsize).sum::<u64>();
        let child = Child { cid: block.cid.clone(), tsize, file_size };
        out.push(block);
        child
    }

    /// Finishes the file: the root. A file of one leaf is that leaf; otherwise each level's
    /// last, partial node is made, up to the level that holds a single node.
    pub fn finish(mut self, out: &mut Vec<Block>) -> Option<Child> {
        if self.leaves == 0 {
            return None;
        }
        if self.leaves == 1 {
            return self.levels[0].pop();
        }
        let mut level = 0;
        loop {
            let pending = std::mem::take(&mut self.levels[level]);
            if pending.len() == 1 && !self.reduced[level] {
                return pending.into_iter().next();
            }
            if !pending.is_empty() {
                self.reduced[level] = true;
                let node = self.node(&pending, out);
                self.push(level + 1, node, out);
            }
            level += 1;
        }
    }
}
