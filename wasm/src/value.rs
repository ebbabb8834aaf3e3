//! The IPLD data model as both codecs see it. Strings and bytes borrow from the input where
//! they can.

use std::borrow::Cow;

/// One IPLD data-model value. Integers cover the full range DAG-CBOR can express
/// (−2^64 … 2^64−1). Links hold binary CID bytes.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Bytes(Cow<'a, [u8]>),
    Str(Cow<'a, str>),
    Link(Cow<'a, [u8]>),
    List(Vec<Value<'a>>),
    Map(Vec<(Cow<'a, str>, Value<'a>)>),
}

/// Smallest and largest integers the data model allows here.
pub const INT_MIN: i128 = -(1i128 << 64);
pub const INT_MAX: i128 = (1i128 << 64) - 1;

impl<'a> Value<'a> {
    /// Calls `f` with every link in this value, depth first, in map-key order as stored.
    pub fn for_each_link(&self, f: &mut dyn FnMut(&[u8])) {
        match self {
            Value::Link(cid) => f(cid),
            Value::List(items) => items.iter().for_each(|v| v.for_each_link(f)),
            Value::Map(entries) => entries.iter().for_each(|(_, v)| v.for_each_link(f)),
            _ => {}
        }
    }
}

/// DAG-CBOR map key order: shorter keys first, then bytewise.
pub fn cbor_key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes()))
}
