//! The exported functions; the call protocol is described in the crate docs (`lib.rs`).

use std::alloc::Layout;

use crate::car;
use crate::error::{Error, ErrorKind, Result};
use crate::{blake3, block_links, dag_cbor_to_diagnostic, dag_cbor_to_json, dag_json_to_cbor, dag_pb_to_json, sha256};

struct Output {
    bytes: Vec<u8>,
    error_offset: f64,
}

static mut OUTPUT: Output = Output { bytes: Vec::new(), error_offset: -1.0 };

fn output() -> &'static mut Output {
    // SAFETY: WebAssembly instances here are single-threaded and no reference outlives a call.
    unsafe { &mut *std::ptr::addr_of_mut!(OUTPUT) }
}

fn finish(result: Result<Vec<u8>>) -> i32 {
    finish_at(result, 0.0)
}

/// Like [`finish`], with error offsets shifted by `base`.
fn finish_at(result: Result<Vec<u8>>, base: f64) -> i32 {
    let out = output();
    match result {
        Ok(bytes) => {
            out.bytes = bytes;
            out.error_offset = -1.0;
            0
        }
        Err(e) => {
            out.bytes = e.message.into_bytes();
            out.error_offset = e.offset.map(|o| base + o as f64).unwrap_or(-1.0);
            e.kind as i32
        }
    }
}

unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

/// The layout of a host buffer of `len` bytes (at least 1, so every buffer has an address).
fn host_layout(len: usize) -> Option<Layout> {
    Layout::from_size_align(len.max(1), 1).ok()
}

/// Reserves `len` bytes of module memory for the host to fill. Returns 0 (null) when the
/// memory cannot be had (more than the module can address), never traps.
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    match host_layout(len) {
        // SAFETY: the layout has a non-zero size.
        Some(layout) => unsafe { std::alloc::alloc(layout) },
        None => std::ptr::null_mut(),
    }
}

/// Returns memory reserved by [`alloc`] with the same `len`.
///
/// # Safety
/// `ptr` and `len` must come from one earlier successful `alloc` call, freed once.
#[no_mangle]
pub unsafe extern "C" fn free(ptr: *mut u8, len: usize) {
    if let Some(layout) = host_layout(len) {
        std::alloc::dealloc(ptr, layout)
    }
}

/// Where the last call's output (or error message) starts.
#[no_mangle]
pub extern "C" fn result_ptr() -> *const u8 {
    output().bytes.as_ptr()
}

/// The length of the last call's output (or error message).
#[no_mangle]
pub extern "C" fn result_len() -> usize {
    output().bytes.len()
}

/// The input offset of the last error, or -1 (an `f64`, so file offsets past 4 GiB fit).
#[no_mangle]
pub extern "C" fn error_offset() -> f64 {
    output().error_offset
}

unsafe fn hash_many(data: *const u8, lens: *const u32, count: usize, out: *mut u8, f: fn(&[u8]) -> [u8; 32]) -> i32 {
    let lens = std::slice::from_raw_parts(lens, count);
    let mut offset = 0usize;
    for (i, &len) in lens.iter().enumerate() {
        let digest = f(input(data.add(offset), len as usize));
        std::ptr::copy_nonoverlapping(digest.as_ptr(), out.add(i * 32), 32);
        offset += len as usize;
    }
    0
}

/// SHA-256 of `len` bytes at `ptr`, written to `out` (32 bytes).
///
/// # Safety
/// The ranges must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn sha256_digest(ptr: *const u8, len: usize, out: *mut u8) -> i32 {
    std::ptr::copy_nonoverlapping(sha256(input(ptr, len)).as_ptr(), out, 32);
    0
}

/// BLAKE3 of `len` bytes at `ptr`, written to `out` (32 bytes).
///
/// # Safety
/// The ranges must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn blake3_digest(ptr: *const u8, len: usize, out: *mut u8) -> i32 {
    std::ptr::copy_nonoverlapping(blake3(input(ptr, len)).as_ptr(), out, 32);
    0
}

/// SHA-256 of `count` consecutive buffers at `data` whose lengths are the `u32`s at
/// `lens`; digests are written back to back at `out`.
///
/// # Safety
/// The ranges must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn sha256_many(data: *const u8, lens: *const u32, count: usize, out: *mut u8) -> i32 {
    hash_many(data, lens, count, out, sha256)
}

/// BLAKE3 of many buffers, laid out as for [`sha256_many`].
///
/// # Safety
/// The ranges must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn blake3_many(data: *const u8, lens: *const u32, count: usize, out: *mut u8) -> i32 {
    hash_many(data, lens, count, out, blake3)
}

/// DAG-CBOR block → DAG-JSON text in the result buffer.
///
/// # Safety
/// The range must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn cbor_to_json(ptr: *const u8, len: usize) -> i32 {
    finish(dag_cbor_to_json(input(ptr, len)).map(String::into_bytes))
}

/// DAG-CBOR block → CBOR diagnostic notation (UTF-8) in the result buffer.
///
/// # Safety
/// The range must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn cbor_to_diagnostic(ptr: *const u8, len: usize) -> i32 {
    finish(dag_cbor_to_diagnostic(input(ptr, len)).map(String::into_bytes))
}

/// DAG-JSON text (UTF-8) → DAG-CBOR bytes in the result buffer.
///
/// # Safety
/// The range must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn json_to_cbor(ptr: *const u8, len: usize) -> i32 {
    let result = std::str::from_utf8(input(ptr, len))
        .map_err(|e| Error::at(ErrorKind::JsonParse, e.valid_up_to(), "text is not valid UTF-8"))
        .and_then(dag_json_to_cbor);
    finish(result)
}

/// DAG-PB block → DAG-JSON text of its data-model form in the result buffer.
///
/// # Safety
/// The range must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn pb_to_json(ptr: *const u8, len: usize) -> i32 {
    finish(dag_pb_to_json(input(ptr, len)).map(String::into_bytes))
}

/// The links of a block of codec `codec`, as `u32` LE length + CID bytes, in the result buffer.
///
/// # Safety
/// The range must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn links(codec: u32, ptr: *const u8, len: usize) -> i32 {
    let result = block_links(codec, input(ptr, len)).map(|links| {
        let mut out = Vec::with_capacity(links.iter().map(|l| l.len() + 4).sum());
        for link in links {
            out.extend_from_slice(&(link.len() as u32).to_le_bytes());
            out.extend_from_slice(&link);
        }
        out
    });
    finish(result)
}

/// The header of a CAR from its first `len` bytes; see the crate docs for the layout.
///
/// # Safety
/// The range must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn car_header(ptr: *const u8, len: usize, at_eof: bool) -> i32 {
    let result = car::parse_header(input(ptr, len), at_eof).map(|header| {
        let mut out = Vec::new();
        if let Some(header) = header {
            out.push(header.version);
            out.extend_from_slice(&(header.sections_start as f64).to_le_bytes());
            out.extend_from_slice(&header.sections_end.map(|e| e as f64).unwrap_or(-1.0).to_le_bytes());
            out.extend_from_slice(&(header.roots.len() as u32).to_le_bytes());
            for root in header.roots {
                out.extend_from_slice(&(root.len() as u32).to_le_bytes());
                out.extend_from_slice(&root);
            }
        }
        out
    });
    finish(result)
}

/// Frames the complete CAR sections at the start of the input (CIDs checked, bytes not verified); see the crate docs.
///
/// # Safety
/// The range must lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn car_sections(ptr: *const u8, len: usize, at_eof: bool, base: f64) -> i32 {
    let mut sections = Vec::new();
    let result = car::parse_sections(input(ptr, len), at_eof, &mut sections).map(|consumed| {
        let mut out = Vec::with_capacity(8 + sections.len() * 12);
        out.extend_from_slice(&(consumed as u32).to_le_bytes());
        out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
        for s in sections {
            for v in [s.cid_start, s.cid_len, s.data_len] {
                out.extend_from_slice(&(v as u32).to_le_bytes());
            }
        }
        out
    });
    finish_at(result, base)
}
