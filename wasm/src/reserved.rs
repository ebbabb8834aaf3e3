//! DAG-JSON's reserved namespace: maps whose first key, in DAG-JSON's sort order (bytewise),
//! is `"/"`. Links and bytes are written in that namespace, so data-model maps that look like
//! them cannot be written as DAG-JSON (spec: "Parse rejection modes in the reserved
//! namespace"). The reader and the writer share these rules, so whatever one accepts the
//! other produces.

use std::borrow::Cow;

use crate::value::Value;

/// What a map is, seen through DAG-JSON's reserved namespace.
pub enum Reserved<'v> {
    /// An ordinary map.
    Plain,
    /// `{"/": "<text>"}`: a link whose CID is the text.
    Link(&'v str),
    /// `{"/": {"bytes": "<text>"}}`: bytes whose base64 is the text.
    Bytes(&'v str),
    /// A map that takes a reserved form with other keys beside it: not valid DAG-JSON.
    Invalid(&'static str),
}

/// The entry whose key sorts first bytewise (DAG-JSON's key order), if any.
fn first_entry<'v, 'a>(entries: &'v [(Cow<'a, str>, Value<'a>)]) -> Option<&'v (Cow<'a, str>, Value<'a>)> {
    entries.iter().min_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()))
}

/// Classifies a map's entries (keys in any order) by the reserved-namespace rules.
pub fn classify<'v, 'a>(entries: &'v [(Cow<'a, str>, Value<'a>)]) -> Reserved<'v> {
    let value = match first_entry(entries) {
        Some((key, value)) if key == "/" => value,
        _ => return Reserved::Plain,
    };
    match value {
        Value::Str(text) if entries.len() == 1 => Reserved::Link(text),
        Value::Str(_) => Reserved::Invalid("a map whose first key is \"/\" with a string value is a link and can have no other keys"),
        Value::Map(inner) => match first_entry(inner) {
            Some((inner_key, Value::Str(text))) if inner_key == "bytes" => {
                if entries.len() == 1 && inner.len() == 1 {
                    Reserved::Bytes(text)
                } else {
                    Reserved::Invalid("a {\"/\": {\"bytes\": <string>}} form can have no other keys, inside or outside")
                }
            }
            _ => Reserved::Plain,
        },
        _ => Reserved::Plain,
    }
}
