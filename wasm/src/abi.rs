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

// --- UnixFS import (a handle per import; see `unixfs::import` and the crate docs) ---

use crate::unixfs::import::{Import, Step};

/// Lays out a step's result: `u32 block count`, each block as `u32 cid length, CID, u32 byte
/// length, bytes`, then, when an entry ended, `u32 cid length, CID, f64 cumulative size`.
fn step_bytes(step: Step) -> Vec<u8> {
    let size = 4 + step.blocks.iter().map(|b| 8 + b.cid.len() + b.bytes.len()).sum::<usize>() + 48;
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&(step.blocks.len() as u32).to_le_bytes());
    for block in step.blocks {
        out.extend_from_slice(&(block.cid.len() as u32).to_le_bytes());
        out.extend_from_slice(&block.cid);
        out.extend_from_slice(&(block.bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(&block.bytes);
    }
    if let Some(entry) = step.entry {
        out.extend_from_slice(&(entry.cid.len() as u32).to_le_bytes());
        out.extend_from_slice(&entry.cid);
        out.extend_from_slice(&(entry.tsize as f64).to_le_bytes());
    }
    out
}

/// # Safety
/// `handle` must come from [`unixfs_new`] and not be freed.
unsafe fn import<'a>(handle: *mut Import) -> &'a mut Import {
    &mut *handle
}

/// Starts an import with profile 0 (`unixfs-v0-2015`) or 1 (`unixfs-v1-2025`); 0 on failure.
#[no_mangle]
pub extern "C" fn unixfs_new(profile: u32) -> *mut Import {
    match Import::new(profile) {
        Ok(import) => {
            finish(Ok(Vec::new()));
            Box::into_raw(Box::new(import))
        }
        Err(e) => {
            finish(Err(e));
            std::ptr::null_mut()
        }
    }
}

/// The bytes around a chunk of `len` bytes that make its leaf block: `u32 prefix length,
/// prefix, suffix` (empty for raw leaves).
///
/// # Safety
/// `handle` must be a live import.
#[no_mangle]
pub unsafe extern "C" fn unixfs_leaf_frame(handle: *mut Import, len: f64) -> i32 {
    let (prefix, suffix) = import(handle).leaf_frame(len as u64);
    let mut out = Vec::with_capacity(4 + prefix.len() + suffix.len());
    out.extend_from_slice(&(prefix.len() as u32).to_le_bytes());
    out.extend_from_slice(&prefix);
    out.extend_from_slice(&suffix);
    finish(Ok(out))
}

/// Adds leaves of the current file: 36-byte records (SHA-256 of the leaf block, `u32` chunk
/// length). The result holds the file nodes that became complete.
///
/// # Safety
/// `handle` must be a live import and the range lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn unixfs_push(handle: *mut Import, ptr: *const u8, len: usize) -> i32 {
    finish(import(handle).push(input(ptr, len)).map(step_bytes))
}

/// Ends the current file under the UTF-8 name at `ptr`.
///
/// # Safety
/// `handle` must be a live import and the range lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn unixfs_file_end(handle: *mut Import, ptr: *const u8, len: usize) -> i32 {
    finish(import(handle).file_end(input(ptr, len)).map(step_bytes))
}

/// Opens a folder named by the UTF-8 name at `ptr` inside the open one.
///
/// # Safety
/// `handle` must be a live import and the range lie in module memory.
#[no_mangle]
pub unsafe extern "C" fn unixfs_dir_begin(handle: *mut Import, ptr: *const u8, len: usize) -> i32 {
    finish(import(handle).dir_begin(input(ptr, len)).map(|_| Vec::new()))
}

/// Closes the open folder; the result holds its blocks and entry.
///
/// # Safety
/// `handle` must be a live import.
#[no_mangle]
pub unsafe extern "C" fn unixfs_dir_end(handle: *mut Import) -> i32 {
    finish(import(handle).dir_end().map(step_bytes))
}

/// Ends the import; the result's entry is the root (`wrap` 1: a directory of everything added).
///
/// # Safety
/// `handle` must be a live import.
#[no_mangle]
pub unsafe extern "C" fn unixfs_finish(handle: *mut Import, wrap: u32) -> i32 {
    finish(import(handle).finish(wrap != 0).map(step_bytes))
}

/// Frees an import (exactly once, also after an error).
///
/// # Safety
/// `handle` must come from [`unixfs_new`] and not be freed yet.
#[no_mangle]
pub unsafe extern "C" fn unixfs_free(handle: *mut Import) {
    if !handle.is_null() {
        drop(Box::from_raw(handle));
    }
}
