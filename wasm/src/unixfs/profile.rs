//! The two CID profiles of IPIP-499 that the importer builds.

/// How a file and a directory are laid out and addressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    /// CIDv0 for DAG-PB nodes (else CIDv1).
    pub cid_v0: bool,
    /// Leaves are raw blocks (else DAG-PB UnixFS file nodes).
    pub raw_leaves: bool,
    /// Bytes per leaf.
    pub chunk_size: u32,
    /// Links per file node in the balanced layout.
    pub max_links: usize,
    /// How a directory's size is judged against the HAMT threshold.
    pub shard_by_block_bytes: bool,
}

/// A directory becomes a HAMT when its size passes this many bytes (strictly).
pub const SHARD_THRESHOLD: usize = 256 * 1024;

/// `unixfs-v0-2015`, Kubo's classic default: CIDv0, DAG-PB leaves of 256 KiB, 174 links, HAMT
/// above 256 KiB of link names and CIDs.
pub const V0_2015: Profile = Profile { cid_v0: true, raw_leaves: false, chunk_size: 256 * 1024, max_links: 174, shard_by_block_bytes: false };

/// `unixfs-v1-2025`: CIDv1, raw leaves of 1 MiB, 1024 links, HAMT above 256 KiB of directory block.
pub const V1_2025: Profile = Profile { cid_v0: false, raw_leaves: true, chunk_size: 1024 * 1024, max_links: 1024, shard_by_block_bytes: true };

/// The profile with this ABI number (0: v0-2015, 1: v1-2025).
pub fn by_number(number: u32) -> Option<Profile> {
    match number {
        0 => Some(V0_2015),
        1 => Some(V1_2025),
        _ => None,
    }
}
