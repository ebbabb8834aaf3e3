//! A strict DAG-CBOR reader. It accepts exactly the canonical encoding the DAG-CBOR spec
//! allows and hands each value to a [`Builder`], so the same walk can build a [`Value`] tree
//! or only collect links.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::cid;
use crate::error::{Error, ErrorKind, Result};
use crate::value::{cbor_key_order, Value};

/// Deepest nesting accepted, so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 512;

/// Most items reserved up front for a list or map. A declared count is only a claim: the
/// rest grows as items are actually read, so memory follows the bytes that are there, never
/// the counts a hostile header declares at every level of nesting.
const PREALLOCATE_MAX: usize = 16;

/// A scalar as read from the input, borrowing strings, bytes and CIDs.
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Bytes(&'a [u8]),
    Str(&'a str),
    Link(&'a [u8]),
}

/// Receives the values a walk reads. Lists and maps are opened, filled and closed.
pub trait Builder<'a> {
    type Node;
    type List;
    type Map;
    fn scalar(&mut self, scalar: Scalar<'a>) -> Self::Node;
    fn list_begin(&mut self, len: usize) -> Self::List;
    fn list_push(&mut self, list: &mut Self::List, item: Self::Node);
    fn list_end(&mut self, list: Self::List) -> Self::Node;
    fn map_begin(&mut self, len: usize) -> Self::Map;
    fn map_push(&mut self, map: &mut Self::Map, key: &'a str, value: Self::Node);
    fn map_end(&mut self, map: Self::Map) -> Self::Node;
}

/// Builds a [`Value`] tree that borrows from the input.
pub struct ValueBuilder;

impl<'a> Builder<'a> for ValueBuilder {
    type Node = Value<'a>;
    type List = Vec<Value<'a>>;
    type Map = Vec<(Cow<'a, str>, Value<'a>)>;

    fn scalar(&mut self, scalar: Scalar<'a>) -> Value<'a> {
        match scalar {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::Int(i),
            Scalar::Float(f) => Value::Float(f),
            Scalar::Bytes(b) => Value::Bytes(Cow::Borrowed(b)),
            Scalar::Str(s) => Value::Str(Cow::Borrowed(s)),
            Scalar::Link(c) => Value::Link(Cow::Borrowed(c)),
        }
    }
    fn list_begin(&mut self, len: usize) -> Self::List {
        Vec::with_capacity(len.min(PREALLOCATE_MAX))
    }
    fn list_push(&mut self, list: &mut Self::List, item: Value<'a>) {
        list.push(item)
    }
    fn list_end(&mut self, list: Self::List) -> Value<'a> {
        Value::List(list)
    }
    fn map_begin(&mut self, len: usize) -> Self::Map {
        Vec::with_capacity(len.min(PREALLOCATE_MAX))
    }
    fn map_push(&mut self, map: &mut Self::Map, key: &'a str, value: Value<'a>) {
        map.push((Cow::Borrowed(key), value))
    }
    fn map_end(&mut self, map: Self::Map) -> Value<'a> {
        Value::Map(map)
    }
}

/// Collects the CIDs of every link, in the order they appear, and builds nothing else.
pub struct LinkCollector<'a> {
    pub links: Vec<&'a [u8]>,
}

impl<'a> Builder<'a> for LinkCollector<'a> {
    type Node = ();
    type List = ();
    type Map = ();

    fn scalar(&mut self, scalar: Scalar<'a>) {
        if let Scalar::Link(cid) = scalar {
            self.links.push(cid)
        }
    }
    fn list_begin(&mut self, _len: usize) {}
    fn list_push(&mut self, _list: &mut (), _item: ()) {}
    fn list_end(&mut self, _list: ()) {}
    fn map_begin(&mut self, _len: usize) {}
    fn map_push(&mut self, _map: &mut (), _key: &'a str, _value: ()) {}
    fn map_end(&mut self, _map: ()) {}
}

/// Reads one complete DAG-CBOR block into `builder`; trailing bytes are an error.
pub fn read<'a, B: Builder<'a>>(bytes: &'a [u8], builder: &mut B) -> Result<B::Node> {
    let mut reader = Reader { bytes, pos: 0 };
    let node = reader.item(builder, 0)?;
    if reader.pos != bytes.len() {
        return Err(reader.error("trailing bytes after the end of the block"));
    }
    Ok(node)
}

/// Decodes a DAG-CBOR block into a [`Value`].
pub fn decode(bytes: &[u8]) -> Result<Value<'_>> {
    read(bytes, &mut ValueBuilder)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, message: impl Into<String>) -> Error {
        Error::at(ErrorKind::CborDecode, self.pos, message)
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8]> {
        let remaining = (self.bytes.len() - self.pos) as u64;
        if n > remaining {
            return Err(self.error("unexpected end of data"));
        }
        let start = self.pos;
        self.pos += n as usize;
        Ok(&self.bytes[start..self.pos])
    }

    /// Reads an initial byte and its argument, insisting on the shortest encoding.
    fn head(&mut self) -> Result<(u8, u8, u64)> {
        let start = self.pos;
        let first = self.take(1)?[0];
        let major = first >> 5;
        let info = first & 0x1f;
        let arg = match info {
            0..=23 => u64::from(info),
            24 => u64::from(self.take(1)?[0]),
            25 => {
                let b = self.take(2)?;
                u64::from(u16::from_be_bytes([b[0], b[1]]))
            }
            26 => {
                let b = self.take(4)?;
                u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            }
            27 => {
                let b = self.take(8)?;
                u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
            }
            31 => return Err(Error::at(ErrorKind::CborDecode, start, "indefinite-length items are not allowed")),
            _ => return Err(Error::at(ErrorKind::CborDecode, start, "reserved additional information value")),
        };
        if major != 7 {
            let minimal = match info {
                24 => arg >= 24,
                25 => arg > 0xff,
                26 => arg > 0xffff,
                27 => arg > 0xffff_ffff,
                _ => true,
            };
            if !minimal {
                return Err(Error::at(ErrorKind::CborDecode, start, "integer or length not in its shortest encoding"));
            }
        }
        Ok((major, info, arg))
    }

    fn item<B: Builder<'a>>(&mut self, builder: &mut B, depth: usize) -> Result<B::Node> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        let start = self.pos;
        let (major, info, arg) = self.head()?;
        match major {
            0 => Ok(builder.scalar(Scalar::Int(i128::from(arg)))),
            1 => Ok(builder.scalar(Scalar::Int(-1 - i128::from(arg)))),
            2 => Ok(builder.scalar(Scalar::Bytes(self.take(arg)?))),
            3 => {
                let raw = self.take(arg)?;
                let text = std::str::from_utf8(raw)
                    .map_err(|_| Error::at(ErrorKind::CborDecode, start, "string is not valid UTF-8"))?;
                Ok(builder.scalar(Scalar::Str(text)))
            }
            4 => {
                // Every item takes at least one byte: a longer count is a lie, not a reason to allocate.
                if arg > (self.bytes.len() - self.pos) as u64 {
                    return Err(self.error("list length exceeds the remaining data"));
                }
                let mut list = builder.list_begin(arg as usize);
                for _ in 0..arg {
                    let item = self.item(builder, depth + 1)?;
                    builder.list_push(&mut list, item);
                }
                Ok(builder.list_end(list))
            }
            5 => {
                if arg > ((self.bytes.len() - self.pos) / 2) as u64 {
                    return Err(self.error("map length exceeds the remaining data"));
                }
                let mut map = builder.map_begin(arg as usize);
                let mut previous: Option<&'a str> = None;
                for _ in 0..arg {
                    let key_start = self.pos;
                    let key = self.key()?;
                    if let Some(prev) = previous {
                        match cbor_key_order(prev, key) {
                            Ordering::Less => {}
                            Ordering::Equal => {
                                return Err(Error::at(ErrorKind::CborDecode, key_start, format!("duplicate map key {:?}", key)))
                            }
                            Ordering::Greater => {
                                return Err(Error::at(
                                    ErrorKind::CborDecode,
                                    key_start,
                                    format!("map key {:?} is out of canonical order", key),
                                ))
                            }
                        }
                    }
                    previous = Some(key);
                    let value = self.item(builder, depth + 1)?;
                    builder.map_push(&mut map, key, value);
                }
                Ok(builder.map_end(map))
            }
            6 => {
                if arg != 42 {
                    return Err(Error::at(ErrorKind::CborDecode, start, format!("tag {} is not allowed (only 42)", arg)));
                }
                let inner = self.pos;
                let (major, _, len) = self.head()?;
                if major != 2 {
                    return Err(Error::at(ErrorKind::CborDecode, inner, "tag 42 must wrap a byte string"));
                }
                let bytes = self.take(len)?;
                if bytes.first() != Some(&0) {
                    return Err(Error::at(ErrorKind::CborDecode, inner, "CID bytes must start with the 0x00 multibase prefix"));
                }
                let cid_bytes = &bytes[1..];
                cid::validate(cid_bytes).map_err(|e| Error::at(ErrorKind::CborDecode, inner, format!("invalid CID: {}", e)))?;
                Ok(builder.scalar(Scalar::Link(cid_bytes)))
            }
            _ => match info {
                20 => Ok(builder.scalar(Scalar::Bool(false))),
                21 => Ok(builder.scalar(Scalar::Bool(true))),
                22 => Ok(builder.scalar(Scalar::Null)),
                23 => Err(Error::at(ErrorKind::CborDecode, start, "undefined is not allowed")),
                25 | 26 => Err(Error::at(ErrorKind::CborDecode, start, "only 64-bit floats are allowed")),
                27 => {
                    let f = f64::from_bits(arg);
                    if f.is_nan() {
                        Err(Error::at(ErrorKind::CborDecode, start, "NaN is not allowed"))
                    } else if f.is_infinite() {
                        Err(Error::at(ErrorKind::CborDecode, start, "Infinity is not allowed"))
                    } else {
                        Ok(builder.scalar(Scalar::Float(f)))
                    }
                }
                _ => Err(Error::at(ErrorKind::CborDecode, start, "simple values other than true, false and null are not allowed")),
            },
        }
    }

    fn key(&mut self) -> Result<&'a str> {
        let start = self.pos;
        let (major, _, len) = self.head()?;
        if major != 3 {
            return Err(Error::at(ErrorKind::CborDecode, start, "map keys must be strings"));
        }
        let raw = self.take(len)?;
        std::str::from_utf8(raw).map_err(|_| Error::at(ErrorKind::CborDecode, start, "map key is not valid UTF-8"))
    }
}
