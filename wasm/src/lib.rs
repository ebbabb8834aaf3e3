//! Cairn's hot path, compiled to WebAssembly with a plain C ABI (no wasm-bindgen, no
//! imports).
//!
//! # Call protocol
//! 1. The host reserves input memory with `alloc(len) -> ptr` and copies bytes or UTF-8
//!    text there; `free(ptr, len)` gives it back (with the same `len`: the layout is exact).
//!    `alloc` returns 0 when the memory cannot be had; it never traps. Pointers and lengths
//!    are `u32`: a JavaScript host must read them unsigned (`>>> 0`), or addresses past
//!    2 GiB read as negative. Pointers stay valid, but the host must re-create its views of
//!    `memory` after any call, since memory may grow.
//! 2. Hash functions write their digests to a caller-provided output pointer
//!    (32 bytes per digest) and return 0.
//! 3. Every other function returns 0 on success and leaves its output in the result
//!    buffer, read with `result_ptr()` / `result_len()` and valid until the next call.
//! 4. On failure a function returns an error code (see [`error::ErrorKind`]); the result
//!    buffer then holds a UTF-8 message and `error_offset()` the byte offset of the
//!    problem in the input, or -1.
//! 5. Memory never shrinks. Since every result is copied out before the next call, a host
//!    may drop the instance between calls and instantiate the module again (Cairn does
//!    above 128 MiB, and after a trap).
//!
//! `links` lays out its result as a sequence of `u32` little-endian length + CID bytes.
//! `cbor_to_diagnostic` gives CBOR diagnostic notation (RFC 8949 §8), for data that DAG-JSON
//! cannot represent (`cbor_to_json` then fails with `JsonEncode`).
//!
//! `car_header(ptr, len, at_eof)` leaves an empty result when it needs more bytes, else
//! `u8 version, f64 sections_start, f64 sections_end (-1: end of file), u32 root count`, then
//! each root as `u32 length + CID bytes` (all little-endian).
//! `car_sections(ptr, len, at_eof, base)` frames the complete sections at the start of the
//! input and leaves `u32 consumed, u32 count`, then `u32 cid_start, u32 cid_len, u32 data_len`
//! per block (offsets into the input). Its error offsets are `base` + the input offset, so the
//! host can pass the file offset of its buffer and get file offsets back.
//!
//! # Streaming work (convention for stateful exports)
//! Work that spans many calls (an importer fed chunk by chunk) uses a handle:
//! `<name>_new(…) -> handle` (0 on failure, with the error in the result buffer), then
//! `<name>_push(handle, ptr, len) -> status` any number of times, `<name>_finish(handle) ->
//! status` for the final output, and `<name>_free(handle)` exactly once, also after an error.
//! A handle is a pointer into module memory; the host must not renew the instance while a
//! handle is open.
//!
//! The UnixFS importer (`unixfs_*`) follows it: `unixfs_new(profile)`, then for each file
//! `unixfs_push(handle, ptr, len)` with 36-byte leaf records (SHA-256 of the leaf block,
//! `u32` chunk length; the host hashes leaves, framing DAG-PB ones with
//! `unixfs_leaf_frame(handle, len)`) and `unixfs_file_end(handle, name…)`; folders with
//! `unixfs_dir_begin(handle, name…)` / `unixfs_dir_end(handle)`; `unixfs_finish(handle, wrap)`
//! and `unixfs_free(handle)`. Each step's result is `u32 count` blocks (`u32 cid length, CID,
//! u32 length, bytes`), then for a step that ends an entry `u32 cid length, CID, f64
//! cumulative size`.

pub mod base;
pub mod blake3_hash;
pub mod car;
pub mod cbor_read;
pub mod cbor_write;
pub mod cid;
pub mod diagnostic;
pub mod error;
pub mod json_read;
pub mod json_write;
pub mod pb;
pub mod reserved;
pub mod unixfs;
pub mod value;
pub mod varint;

// The exported C ABI. Only built for WebAssembly: on a native host its `free` and `alloc`
// would shadow the C library's.
#[cfg(target_arch = "wasm32")]
mod abi;

use error::{Error, ErrorKind, Result};

/// Multicodec codes understood by [`block_links`].
pub const CODEC_RAW: u32 = 0x55;
pub const CODEC_DAG_PB: u32 = 0x70;
pub const CODEC_DAG_CBOR: u32 = 0x71;
pub const CODEC_DAG_JSON: u32 = 0x0129;

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// BLAKE3 (32-byte output) of `bytes`: four chunks at a time in SIMD128 lanes (`blake3_hash`).
pub fn blake3(bytes: &[u8]) -> [u8; 32] {
    blake3_hash::hash(bytes)
}

/// DAG-CBOR block → DAG-JSON text.
pub fn dag_cbor_to_json(block: &[u8]) -> Result<String> {
    json_write::encode(&cbor_read::decode(block)?)
}

/// DAG-CBOR block → CBOR diagnostic notation (for data DAG-JSON cannot represent).
pub fn dag_cbor_to_diagnostic(block: &[u8]) -> Result<String> {
    Ok(diagnostic::encode(&cbor_read::decode(block)?))
}

/// DAG-JSON text → DAG-CBOR block.
pub fn dag_json_to_cbor(text: &str) -> Result<Vec<u8>> {
    Ok(cbor_write::encode(&json_read::decode(text)?))
}

/// DAG-PB block → its data-model form as DAG-JSON text.
pub fn dag_pb_to_json(block: &[u8]) -> Result<String> {
    json_write::encode(&pb::decode(block)?)
}

/// The CIDs (binary) a block links to, by its codec.
pub fn block_links(codec: u32, block: &[u8]) -> Result<Vec<Vec<u8>>> {
    match codec {
        CODEC_RAW => Ok(Vec::new()),
        CODEC_DAG_PB => pb::links(block),
        CODEC_DAG_CBOR => {
            let mut collector = cbor_read::LinkCollector { links: Vec::new() };
            cbor_read::read(block, &mut collector)?;
            Ok(collector.links.into_iter().map(|l| l.to_vec()).collect())
        }
        CODEC_DAG_JSON => {
            let text = std::str::from_utf8(block).map_err(|e| Error::at(ErrorKind::JsonParse, e.valid_up_to(), "block is not valid UTF-8"))?;
            let mut out = Vec::new();
            json_read::decode(text)?.for_each_link(&mut |cid| out.push(cid.to_vec()));
            Ok(out)
        }
        other => Err(Error::new(ErrorKind::InvalidArgument, format!("no link reader for codec 0x{:x}", other))),
    }
}
