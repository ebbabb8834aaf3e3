//! Streaming CAR (v1, and v2 around its inner v1) parsing.
//!
//! The host feeds the file in chunks. [`parse_header`] reads the header once enough bytes are
//! there; [`parse_sections`] then reads as many complete sections as a buffer holds, checks
//! their framing and CIDs, and says how far it got, so the host can keep the unread tail and
//! append the next chunk. Block bytes are verified against their CIDs by the host's one block
//! verifier (`src/content/hashing.ts`), which takes the fastest route per block size.

use crate::cbor_read;
use crate::error::{Error, ErrorKind, Result};
use crate::value::Value;
use crate::varint::{self, VarintError};
use crate::cid;

/// Largest header accepted, in bytes: far above any real root list.
pub const MAX_HEADER: u64 = 1 << 20;
/// Largest section accepted, in bytes. Blocks exchanged by IPFS peers are at most 2 MiB.
pub const MAX_SECTION: u64 = 16 << 20;

const PRAGMA_V2: [u8; 11] = [0x0a, 0xa1, 0x67, b'v', b'e', b'r', b's', b'i', b'o', b'n', 0x02];
const V2_HEADER_LEN: usize = 40;

/// What the header says: the version, the roots (binary CIDs), and where the sections are.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub version: u8,
    pub roots: Vec<Vec<u8>>,
    /// File offset of the first section.
    pub sections_start: u64,
    /// File offset where sections end (CARv2's data size); `None` for CARv1: the end of file.
    pub sections_end: Option<u64>,
}

/// One section, by offsets into the buffer given to [`parse_sections`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub cid_start: usize,
    pub cid_len: usize,
    pub data_len: usize,
}

impl Section {
    /// Where the block's bytes end (and the next section starts).
    pub fn end(&self) -> usize {
        self.cid_start + self.cid_len + self.data_len
    }
}

fn format(offset: usize, message: impl Into<String>) -> Error {
    Error::at(ErrorKind::CarFormat, offset, message)
}

fn truncated(offset: usize, message: impl Into<String>) -> Error {
    Error::at(ErrorKind::CarTruncated, offset, message)
}

/// Reads the varint length prefix of `what` ("the header", "a section") at the start of
/// `rest` (file offset `at`), checking it is neither zero nor above `limit`. `Ok(None)` means
/// more bytes are needed.
fn length_prefix(rest: &[u8], at: usize, at_eof: bool, what: &str, limit: u64) -> Result<Option<(u64, usize)>> {
    let (len, n) = match varint::read_uvarint(rest) {
        Ok(v) => v,
        Err(VarintError::Truncated) if !at_eof => return Ok(None),
        Err(VarintError::Truncated) => return Err(truncated(at, format!("the file ends inside the length of {}", what))),
        Err(e) => return Err(format(at, format!("the length of {} is not a valid varint: {}", what, e.describe()))),
    };
    if len == 0 {
        return Err(format(at, format!("the length of {} is zero", what)));
    }
    if len > limit {
        return Err(format(at, format!("{} claims {} bytes; the limit is {}", what, len, limit)));
    }
    Ok(Some((len, n)))
}

/// Reads a length-prefixed CARv1 header at `at`. `Ok(None)` means more bytes are needed.
fn v1_header(bytes: &[u8], at: usize, at_eof: bool) -> Result<Option<(Vec<Vec<u8>>, usize)>> {
    let rest = &bytes[at.min(bytes.len())..];
    let (len, n) = match length_prefix(rest, at, at_eof, "the header", MAX_HEADER)? {
        Some(v) => v,
        None => return Ok(None),
    };
    let end = n + len as usize;
    if rest.len() < end {
        return if at_eof { Err(truncated(bytes.len(), "the file ends inside the header")) } else { Ok(None) };
    }
    let value = cbor_read::decode(&rest[n..end])
        .map_err(|e| format(at + n + e.offset.unwrap_or(0), format!("the header is not valid DAG-CBOR: {}", e.message)))?;
    let entries = match value {
        Value::Map(entries) => entries,
        _ => return Err(format(at + n, "the header is not a map")),
    };
    let field = |name: &str| entries.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    match field("version") {
        Some(Value::Int(1)) => {}
        Some(Value::Int(v)) => return Err(format(at + n, format!("unsupported CAR version {}", v))),
        _ => return Err(format(at + n, "the header has no integer \"version\"")),
    }
    let roots = match field("roots") {
        Some(Value::List(items)) => items
            .iter()
            .map(|item| match item {
                Value::Link(cid) => Ok(cid.to_vec()),
                _ => Err(format(at + n, "a header root is not a CID")),
            })
            .collect::<Result<Vec<_>>>()?,
        _ => return Err(format(at + n, "the header has no \"roots\" list")),
    };
    Ok(Some((roots, at + end)))
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    let mut buf = [0u8; 8];
    buf.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(buf)
}

/// Parses the header from the first bytes of a CAR. `Ok(None)` means more bytes are needed
/// (never returned when `at_eof`).
pub fn parse_header(bytes: &[u8], at_eof: bool) -> Result<Option<Header>> {
    if bytes.len() < PRAGMA_V2.len() && PRAGMA_V2.starts_with(bytes) && !at_eof {
        return Ok(None);
    }
    if !bytes.starts_with(&PRAGMA_V2) {
        return Ok(v1_header(bytes, 0, at_eof)?.map(|(roots, end)| Header {
            version: 1,
            roots,
            sections_start: end as u64,
            sections_end: None,
        }));
    }
    let fixed = PRAGMA_V2.len();
    if bytes.len() < fixed + V2_HEADER_LEN {
        return if at_eof { Err(truncated(bytes.len(), "the file ends inside the CARv2 header")) } else { Ok(None) };
    }
    let data_offset = read_u64(bytes, fixed + 16);
    let data_size = read_u64(bytes, fixed + 24);
    let index_offset = read_u64(bytes, fixed + 32);
    if data_offset < (fixed + V2_HEADER_LEN) as u64 {
        return Err(format(fixed + 16, "the CARv2 data offset points into its own header"));
    }
    if data_offset > MAX_HEADER {
        return Err(format(fixed + 16, format!("the CARv2 data offset {} is beyond the supported {}", data_offset, MAX_HEADER)));
    }
    let data_end = data_offset.checked_add(data_size).ok_or_else(|| format(fixed + 24, "the CARv2 data size overflows"))?;
    if index_offset != 0 && index_offset < data_end {
        return Err(format(fixed + 32, format!("the CARv2 index offset {} lies inside the data payload (which ends at {})", index_offset, data_end)));
    }
    let inner_at = data_offset as usize;
    // The inner CARv1 is exactly the payload: its header is read from those bytes only.
    let payload_complete = bytes.len() as u64 >= data_end;
    let visible = &bytes[..bytes.len().min(data_end.min(usize::MAX as u64) as usize)];
    if visible.len() <= inner_at && !at_eof && !payload_complete {
        return Ok(None);
    }
    let header = v1_header(visible, inner_at, at_eof || payload_complete).map_err(|e| {
        if payload_complete && e.kind == ErrorKind::CarTruncated {
            format(fixed + 24, format!("the CARv2 data size ({} bytes) ends inside its inner CARv1 header", data_size))
        } else {
            e
        }
    })?;
    Ok(header.map(|(roots, end)| Header {
        version: 2,
        roots,
        sections_start: end as u64,
        sections_end: Some(data_end),
    }))
}

/// Reads the CID at the start of `bytes` (a section body) and returns its length. Its varints
/// follow multiformats (shortest form, at most 9 bytes, at most 2^53 − 1).
fn section_cid(bytes: &[u8], at: usize) -> Result<usize> {
    if cid::is_v0(bytes.get(..34).unwrap_or(bytes)) {
        return Ok(34);
    }
    let bad = |message: String| format(at, format!("invalid CID in section: {}", message));
    let (version, mut pos) = cid::read_number(bytes, "CID version").map_err(bad)?;
    if version != 1 {
        return Err(bad("unsupported CID version".into()));
    }
    for field in ["CID codec", "multihash code"] {
        pos += cid::read_number(&bytes[pos..], field).map_err(bad)?.1;
    }
    let (len, n) = cid::read_number(&bytes[pos..], "multihash length").map_err(bad)?;
    pos += n;
    if len > (bytes.len() - pos) as u64 {
        return Err(bad("the digest runs past the end of the section".into()));
    }
    Ok(pos + len as usize)
}

/// Reads complete sections from the start of `bytes`, appending them to `out`.
/// Returns how many bytes were consumed; the rest is an incomplete section to be completed by
/// the next chunk, or, when `at_eof`, a truncation error.
pub fn parse_sections(bytes: &[u8], at_eof: bool, out: &mut Vec<Section>) -> Result<usize> {
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let (len, n) = match length_prefix(rest, pos, at_eof, "a section", MAX_SECTION)? {
            Some(v) => v,
            None => break,
        };
        let body_len = len as usize;
        if rest.len() - n < body_len {
            if at_eof {
                return Err(truncated(pos, format!("the file ends inside a section of {} bytes", len)));
            }
            break;
        }
        let body = &rest[n..n + body_len];
        let cid_len = section_cid(body, pos + n)?;
        out.push(Section { cid_start: pos + n, cid_len, data_len: body_len - cid_len });
        pos += n + body_len;
    }
    Ok(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(cid: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        varint::write(&mut out, (cid.len() + data.len()) as u64);
        out.extend_from_slice(cid);
        out.extend_from_slice(data);
        out
    }

    fn raw_cid(data: &[u8]) -> Vec<u8> {
        let mut cid = vec![0x01, 0x55, 0x12, 0x20];
        cid.extend_from_slice(&crate::sha256(data));
        cid
    }

    #[test]
    fn sections_split_across_chunks() {
        let mut file = section(&raw_cid(b"one"), b"one");
        file.extend(section(&raw_cid(b"two"), b"two"));
        let mut out = Vec::new();
        let consumed = parse_sections(&file[..file.len() - 1], false, &mut out).unwrap();
        assert_eq!(out.len(), 1);
        let consumed2 = parse_sections(&file[consumed..], true, &mut out).unwrap();
        assert_eq!(consumed + consumed2, file.len());
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn rejects_truncation_and_oversize() {
        let good = section(&raw_cid(b"one"), b"one");
        let kind = |bytes: &[u8]| parse_sections(bytes, true, &mut Vec::new()).unwrap_err().kind;
        assert_eq!(kind(&good[..good.len() - 1]), ErrorKind::CarTruncated);
        assert_eq!(kind(&[0xff, 0xff, 0xff, 0xff, 0x7f]), ErrorKind::CarFormat);
        assert_eq!(kind(&[0x80, 0x00]), ErrorKind::CarFormat);
        assert_eq!(kind(&[0x80]), ErrorKind::CarTruncated);
    }

    #[test]
    fn sections_with_any_hash_are_framed_for_the_host_to_verify() {
        let cid = [0x01, 0x55, 0x14, 0x02, 0xaa, 0xbb];
        let mut out = Vec::new();
        parse_sections(&section(&cid, b"x"), true, &mut out).unwrap();
        assert_eq!(out, vec![Section { cid_start: 1, cid_len: 6, data_len: 1 }]);
    }

    #[test]
    fn header_needs_more_then_parses() {
        // {"roots": [], "version": 1}
        let mut header = vec![0xa2, 0x65];
        header.extend_from_slice(b"roots");
        header.push(0x80);
        header.push(0x67);
        header.extend_from_slice(b"version");
        header.push(0x01);
        let mut file = vec![header.len() as u8];
        file.extend(header);
        assert_eq!(parse_header(&file[..5], false).unwrap(), None);
        let parsed = parse_header(&file, false).unwrap().unwrap();
        assert_eq!((parsed.version, parsed.sections_start), (1, file.len() as u64));
        assert_eq!(parse_header(&file[..5], true).unwrap_err().kind, ErrorKind::CarTruncated);
    }
}
