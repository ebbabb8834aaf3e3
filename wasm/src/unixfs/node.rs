//! DAG-PB nodes carrying UnixFS data, encoded as Kubo and `ipfs-unixfs-importer` encode them:
//! Links before Data, each link with Hash, Name (also when empty) and Tsize; UnixFS fields in
//! field order, Data only when non-empty, no mode or mtime.

use super::pb_write::{bytes_field_len, put_bytes_field, put_varint_field, varint_len};
use crate::sha256;

/// UnixFS `Data.Type` values.
pub const TYPE_DIRECTORY: u64 = 1;
pub const TYPE_FILE: u64 = 2;
pub const TYPE_HAMT_SHARD: u64 = 5;

/// Multihash code of murmur3-x64-64, the HAMT's `hashType`.
pub const HAMT_HASH_TYPE: u64 = 0x22;

/// A link of a DAG-PB node.
#[derive(Clone, Debug)]
pub struct Link {
    pub cid: Vec<u8>,
    pub name: Vec<u8>,
    /// The linked DAG's cumulative size: its blocks' bytes.
    pub tsize: u64,
}

/// One block made by the importer: its CID and bytes.
pub struct Block {
    pub cid: Vec<u8>,
    pub bytes: Vec<u8>,
}

/// The UnixFS `Data` message.
pub fn unixfs_data(kind: u64, data: &[u8], file_size: Option<u64>, block_sizes: &[u64], hamt: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + data.len() + block_sizes.len() * 4);
    put_varint_field(&mut out, 1, kind);
    if !data.is_empty() {
        put_bytes_field(&mut out, 2, data);
    }
    if let Some(size) = file_size {
        put_varint_field(&mut out, 3, size);
    }
    for &size in block_sizes {
        put_varint_field(&mut out, 4, size);
    }
    if hamt {
        put_varint_field(&mut out, 5, HAMT_HASH_TYPE);
        put_varint_field(&mut out, 6, 256);
    }
    out
}

/// Bytes one link adds to a node.
pub fn link_len(cid_len: usize, name_len: usize, tsize: u64) -> usize {
    let inner = bytes_field_len(cid_len) + bytes_field_len(name_len) + 1 + varint_len(tsize);
    bytes_field_len(inner)
}

/// A DAG-PB node: links (in the order given) then data.
pub fn encode_node(links: &[Link], data: &[u8]) -> Vec<u8> {
    let size = links.iter().map(|l| link_len(l.cid.len(), l.name.len(), l.tsize)).sum::<usize>() + bytes_field_len(data.len());
    let mut out = Vec::with_capacity(size);
    let mut inner = Vec::with_capacity(128);
    for link in links {
        inner.clear();
        put_bytes_field(&mut inner, 1, &link.cid);
        put_bytes_field(&mut inner, 2, &link.name);
        put_varint_field(&mut inner, 3, link.tsize);
        put_bytes_field(&mut out, 2, &inner);
    }
    put_bytes_field(&mut out, 1, data);
    out
}

/// The bytes around a chunk that make it a DAG-PB UnixFS file leaf (the v0 profile's leaves):
/// `prefix ++ chunk ++ suffix` is the leaf block.
pub fn leaf_frame(len: u64) -> (Vec<u8>, Vec<u8>) {
    let data_field = if len > 0 { 1 + varint_len(len) as u64 + len } else { 0 };
    let unixfs_len = 2 + data_field + 1 + varint_len(len) as u64;
    let mut prefix = Vec::with_capacity(16);
    prefix.push(0x0a);
    super::pb_write::put_varint(&mut prefix, unixfs_len);
    put_varint_field(&mut prefix, 1, TYPE_FILE);
    if len > 0 {
        prefix.push(0x12);
        super::pb_write::put_varint(&mut prefix, len);
    }
    let mut suffix = Vec::with_capacity(11);
    put_varint_field(&mut suffix, 3, len);
    (prefix, suffix)
}

/// A SHA-256 CID of a DAG-PB block: version 0 (the bare multihash) or 1.
pub fn dag_pb_cid(v0: bool, digest: &[u8; 32]) -> Vec<u8> {
    let mut cid = Vec::with_capacity(36);
    if !v0 {
        cid.extend_from_slice(&[0x01, 0x70]);
    }
    cid.extend_from_slice(&[0x12, 0x20]);
    cid.extend_from_slice(digest);
    cid
}

/// A CIDv1 of a raw block with this SHA-256 digest.
pub fn raw_cid(digest: &[u8; 32]) -> Vec<u8> {
    let mut cid = Vec::with_capacity(36);
    cid.extend_from_slice(&[0x01, 0x55, 0x12, 0x20]);
    cid.extend_from_slice(digest);
    cid
}

/// Hashes a DAG-PB node into a block.
pub fn dag_pb_block(v0: bool, bytes: Vec<u8>) -> Block {
    Block { cid: dag_pb_cid(v0, &sha256(&bytes)), bytes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_frame_wraps_a_chunk_as_unixfs() {
        // "hello world" as a v0 leaf: the classic QmXg9Pp2ytZ14xgmQjYEiHjVjMFXzCVVEcRTWJBmLgR39V block.
        let (prefix, suffix) = leaf_frame(11);
        let mut block = prefix;
        block.extend_from_slice(b"hello world");
        block.extend_from_slice(&suffix);
        assert_eq!(block, [&[0x0a, 0x11, 0x08, 0x02, 0x12, 0x0b][..], b"hello world", &[0x18, 0x0b]].concat());
        let (empty_prefix, empty_suffix) = leaf_frame(0);
        assert_eq!([empty_prefix, empty_suffix].concat(), vec![0x0a, 0x04, 0x08, 0x02, 0x18, 0x00]);
    }

    #[test]
    fn link_len_matches_the_encoding() {
        let link = Link { cid: vec![7; 36], name: b"a name".to_vec(), tsize: 300_000 };
        assert_eq!(encode_node(&[link], &[]).len(), link_len(36, 6, 300_000) + 2);
    }
}
