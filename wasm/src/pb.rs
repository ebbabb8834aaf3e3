//! A strict DAG-PB reader producing the DAG-PB data-model form:
//! `{"Data"?: bytes, "Links": [{"Hash": link, "Name"?: string, "Tsize"?: int}]}`.
//! Per the spec, Links and Data each appear once (the Links as one run), in either order,
//! and no other field or wire type is allowed.

use std::borrow::Cow;

use crate::cid;
use crate::error::{Error, ErrorKind, Result};
use crate::value::Value;
use crate::varint;

struct Fields<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

/// One protobuf field: its number and either a varint or a length-delimited payload.
enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
}

impl<'a> Fields<'a> {
    fn error(&self, message: impl Into<String>) -> Error {
        Error::at(ErrorKind::PbDecode, self.base + self.pos, message)
    }

    fn varint(&mut self) -> Result<u64> {
        let (v, n) = varint::read_protobuf(&self.bytes[self.pos..]).map_err(|e| self.error(e.describe()))?;
        self.pos += n;
        Ok(v)
    }

    fn next(&mut self) -> Result<Option<(u64, Field<'a>)>> {
        if self.pos == self.bytes.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let number = key >> 3;
        match key & 7 {
            0 => Ok(Some((number, Field::Varint(self.varint()?)))),
            2 => {
                let len = self.varint()?;
                if len > (self.bytes.len() - self.pos) as u64 {
                    return Err(self.error("length-delimited field runs past the end"));
                }
                let start = self.pos;
                self.pos += len as usize;
                Ok(Some((number, Field::Bytes(&self.bytes[start..self.pos]))))
            }
            wire => Err(self.error(format!("unsupported wire type {}", wire))),
        }
    }
}

/// Decodes a DAG-PB block into its data-model form. Links and Data may come in either order
/// (the spec asks decoders to accept both, "as IPFS data exists in both forms"), but the
/// Links stay together and each section appears at most once.
pub fn decode(bytes: &[u8]) -> Result<Value<'_>> {
    let mut fields = Fields { bytes, pos: 0, base: 0 };
    let mut links = Vec::new();
    let mut data: Option<&[u8]> = None;
    let mut data_after_links = false;
    loop {
        let at = fields.pos;
        match fields.next()? {
            None => break,
            Some((2, Field::Bytes(link))) => {
                if data_after_links {
                    return Err(Error::at(ErrorKind::PbDecode, at, "Links interleaved with Data (duplicate Links section)"));
                }
                links.push(decode_link(link, at)?);
            }
            Some((1, Field::Bytes(d))) => {
                if data.is_some() {
                    return Err(Error::at(ErrorKind::PbDecode, at, "duplicate Data section"));
                }
                data_after_links = !links.is_empty();
                data = Some(d);
            }
            Some((n, _)) => return Err(Error::at(ErrorKind::PbDecode, at, format!("unexpected field {} or wire type in PBNode", n))),
        }
    }
    let mut node = Vec::with_capacity(2);
    if let Some(d) = data {
        node.push((Cow::Borrowed("Data"), Value::Bytes(Cow::Borrowed(d))));
    }
    node.push((Cow::Borrowed("Links"), Value::List(links)));
    Ok(Value::Map(node))
}

fn decode_link(bytes: &[u8], base: usize) -> Result<Value<'_>> {
    let mut fields = Fields { bytes, pos: 0, base };
    let mut entries = Vec::with_capacity(3);
    let mut last = 0;
    loop {
        let at = base + fields.pos;
        let (number, field) = match fields.next()? {
            None => break,
            Some(f) => f,
        };
        if number <= last {
            return Err(Error::at(ErrorKind::PbDecode, at, "PBLink fields out of order or repeated"));
        }
        last = number;
        match (number, field) {
            (1, Field::Bytes(hash)) => {
                cid::validate(hash).map_err(|e| Error::at(ErrorKind::PbDecode, at, format!("invalid Hash field found in link, expected CID: {}", e)))?;
                entries.push((Cow::Borrowed("Hash"), Value::Link(Cow::Borrowed(hash))));
            }
            (2, Field::Bytes(name)) => {
                let name = std::str::from_utf8(name).map_err(|_| Error::at(ErrorKind::PbDecode, at, "link Name is not valid UTF-8"))?;
                entries.push((Cow::Borrowed("Name"), Value::Str(Cow::Borrowed(name))));
            }
            (3, Field::Varint(size)) => entries.push((Cow::Borrowed("Tsize"), Value::Int(i128::from(size)))),
            (n, _) => return Err(Error::at(ErrorKind::PbDecode, at, format!("unexpected field {} or wire type in PBLink", n))),
        }
    }
    if entries.first().map(|(k, _)| k.as_ref()) != Some("Hash") {
        return Err(Error::at(ErrorKind::PbDecode, base, "invalid Hash field found in link, expected CID"));
    }
    Ok(Value::Map(entries))
}

/// The CIDs a DAG-PB block links to, in order.
pub fn links(bytes: &[u8]) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    decode(bytes)?.for_each_link(&mut |cid| out.push(cid.to_vec()));
    Ok(out)
}
