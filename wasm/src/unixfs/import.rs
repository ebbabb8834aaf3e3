//! One import: files and folders fed by the host in depth-first order, built into one DAG.
//!
//! The host reads the bytes, cuts them into the profile's chunks and hashes each leaf block
//! itself (on the web, `crypto.subtle` beats SHA-256 in WebAssembly several times over on
//! chunks of 256 KiB and more); this side frames DAG-PB leaves, lays out files, encodes and
//! hashes every node, and builds directories and HAMTs.

use super::dir::{DirBuilder, Entry};
use super::file::{Child, FileBuilder};
use super::node::{leaf_frame, Block};
use super::profile::{self, Profile};
use crate::error::{Error, ErrorKind, Result};

/// Bytes of one leaf record pushed by the host: the SHA-256 of the leaf block, then the
/// chunk's length as `u32` little-endian.
pub const LEAF_RECORD: usize = 36;

/// What a step finished: the blocks made, and the entry (file or folder) when one ended.
pub struct Step {
    pub blocks: Vec<Block>,
    pub entry: Option<Child>,
}

/// An import in progress.
pub struct Import {
    profile: Profile,
    file: Option<FileBuilder>,
    /// Open folders, the outermost (unnamed, the wrapping directory) first.
    dirs: Vec<(Vec<u8>, DirBuilder)>,
}

fn misuse(message: &str) -> Error {
    Error::new(ErrorKind::UnixfsInput, message)
}

/// Checks a file or folder name: UTF-8, not empty, not `.` or `..`, no `/` and no NUL.
pub fn check_name(name: &[u8]) -> Result<()> {
    let text = std::str::from_utf8(name).map_err(|e| Error::at(ErrorKind::UnixfsInput, e.valid_up_to(), "a name is not valid UTF-8"))?;
    if text.is_empty() || text == "." || text == ".." {
        return Err(misuse("a name must not be empty, \".\" or \"..\""));
    }
    if let Some(at) = text.find(['/', '\0']) {
        return Err(Error::at(ErrorKind::UnixfsInput, at, format!("\"{}\" contains \"/\" or NUL, which a UnixFS name cannot", text.escape_debug())));
    }
    Ok(())
}

impl Import {
    /// Starts an import with profile number `profile` (see [`profile::by_number`]).
    pub fn new(profile: u32) -> Result<Import> {
        let profile = profile::by_number(profile).ok_or_else(|| misuse("unknown profile"))?;
        Ok(Import { profile, file: None, dirs: vec![(Vec::new(), DirBuilder::default())] })
    }

    /// The bytes around a chunk of `len` bytes that make the leaf block (both empty for raw leaves).
    pub fn leaf_frame(&self, len: u64) -> (Vec<u8>, Vec<u8>) {
        if self.profile.raw_leaves {
            (Vec::new(), Vec::new())
        } else {
            leaf_frame(len)
        }
    }

    /// Adds leaves of the current file (a file starts with its first leaf; an empty file is
    /// one leaf of length 0). Records are [`LEAF_RECORD`] bytes each.
    pub fn push(&mut self, records: &[u8]) -> Result<Step> {
        if records.len() % LEAF_RECORD != 0 {
            return Err(misuse("leaf records must be 36 bytes each"));
        }
        let profile = self.profile;
        let file = self.file.get_or_insert_with(|| FileBuilder::new(profile));
        let mut blocks = Vec::new();
        for record in records.chunks_exact(LEAF_RECORD) {
            let digest: &[u8; 32] = record[..32].try_into().unwrap();
            let len = u32::from_le_bytes(record[32..].try_into().unwrap());
            if len > profile.chunk_size {
                return Err(misuse("a leaf is longer than the profile's chunk size"));
            }
            file.push_leaf(digest, len as u64, &mut blocks);
        }
        Ok(Step { blocks, entry: None })
    }

    /// Ends the current file, naming it in the open folder.
    pub fn file_end(&mut self, name: &[u8]) -> Result<Step> {
        check_name(name)?;
        let file = self.file.take().ok_or_else(|| misuse("a file ends without any leaf"))?;
        let mut blocks = Vec::new();
        let child = file.finish(&mut blocks).ok_or_else(|| misuse("a file ends without any leaf"))?;
        self.top().add(Entry { name: name.to_vec(), cid: child.cid.clone(), tsize: child.tsize, counts: true })?;
        Ok(Step { blocks, entry: Some(child) })
    }

    /// Opens a folder inside the open one.
    pub fn dir_begin(&mut self, name: &[u8]) -> Result<()> {
        check_name(name)?;
        if self.file.is_some() {
            return Err(misuse("a folder begins inside a file"));
        }
        self.dirs.push((name.to_vec(), DirBuilder::default()));
        Ok(())
    }

    /// Closes the open folder: builds it and names it in its parent.
    pub fn dir_end(&mut self) -> Result<Step> {
        if self.dirs.len() < 2 || self.file.is_some() {
            return Err(misuse("no folder to end"));
        }
        let (name, dir) = self.dirs.pop().unwrap();
        let empty = dir.is_empty();
        let mut blocks = Vec::new();
        let child = dir.finish(&self.profile, &mut blocks);
        self.top().add(Entry { name, cid: child.cid.clone(), tsize: child.tsize, counts: empty })?;
        Ok(Step { blocks, entry: Some(child) })
    }

    /// Ends the import: the root is a directory of everything added (`wrap`), or else the one
    /// thing added.
    pub fn finish(&mut self, wrap: bool) -> Result<Step> {
        if self.dirs.len() != 1 || self.file.is_some() {
            return Err(misuse("the import ends with a file or folder still open"));
        }
        let root = std::mem::take(&mut self.dirs[0].1);
        let mut blocks = Vec::new();
        let entry = if wrap {
            root.finish(&self.profile, &mut blocks)
        } else {
            let count = root.len();
            let only = root.into_only().ok_or_else(|| misuse(&format!("{} entries cannot be one root without a wrapping directory", count)))?;
            Child { cid: only.cid, tsize: only.tsize, file_size: 0 }
        };
        Ok(Step { blocks, entry: Some(entry) })
    }

    fn top(&mut self) -> &mut DirBuilder {
        &mut self.dirs.last_mut().unwrap().1
    }
}
