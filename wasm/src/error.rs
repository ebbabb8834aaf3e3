//! Errors returned across the C ABI: a kind (its code is the function's return value),
//! a readable message, and, where it makes sense, the byte offset in the input.

use std::fmt;

/// What went wrong. The numeric values are part of the ABI (see `lib.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum ErrorKind {
    /// The bytes are not valid strict DAG-CBOR.
    CborDecode = 1,
    /// The text is not valid strict DAG-JSON.
    JsonParse = 2,
    /// The bytes are not valid DAG-PB.
    PbDecode = 3,
    // 4 was reserved for malformed CIDs; they are reported by the decoder that meets them.
    /// The call itself was malformed (bad lengths, unknown codec).
    InvalidArgument = 5,
    /// A CAR's header or section framing is malformed.
    CarFormat = 6,
    /// A CAR ends in the middle of its header or a section.
    CarTruncated = 7,
    // 8 and 9 were block verification failures; blocks are verified by the host's one verifier.
    /// The data cannot be written as DAG-JSON (a map in its reserved namespace).
    JsonEncode = 10,
    /// A UnixFS import was fed something it cannot build (a bad name, a name twice in one
    /// folder, calls out of order).
    UnixfsInput = 11,
}

/// An error with its kind, message and optional input offset.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub offset: Option<usize>,
}

impl Error {
    /// An error at a byte offset of the input.
    pub fn at(kind: ErrorKind, offset: usize, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), offset: Some(offset) }
    }

    /// An error that has no meaningful position.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), offset: None }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(offset) => write!(f, "{} (at byte {})", self.message, offset),
            None => write!(f, "{}", self.message),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
