//! CBOR diagnostic notation (RFC 8949, section 8) of a data-model value: how the explorer
//! shows DAG-CBOR that DAG-JSON cannot represent. Strings are JSON-escaped, bytes are
//! `h'…'`, links are `42(h'00…')` as they are encoded, floats keep their `.0`.

use std::fmt::Write;

use crate::json_write::{write_scalar, write_string};
use crate::value::Value;

/// Writes `value` in CBOR diagnostic notation.
pub fn encode(value: &Value<'_>) -> String {
    let mut out = String::with_capacity(256);
    write(value, &mut out);
    out
}

fn hex(bytes: &[u8], out: &mut String) {
    for b in bytes {
        let _ = write!(out, "{:02x}", b);
    }
}

fn write(value: &Value<'_>, out: &mut String) {
    if write_scalar(value, out) {
        return;
    }
    match value {
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => {}
        Value::Bytes(b) => {
            out.push_str("h'");
            hex(b, out);
            out.push('\'');
        }
        Value::Link(c) => {
            out.push_str("42(h'00");
            hex(c, out);
            out.push_str("')");
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(key, out);
                out.push_str(": ");
                write(item, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cbor_read::decode;
    use crate::json_read;
    use crate::cbor_write;

    #[test]
    fn writes_rfc8949_notation() {
        assert_eq!(super::encode(&decode(&[0xa1, 0x61, b'/', 0x61, 0x00]).unwrap()), "{\"/\": \"\\u0000\"}");
        let cbor = cbor_write::encode(&json_read::decode("{\"a\":1,\"b\":[{\"/\":{\"bytes\":\"AQI\"}},1.5,{\"/\":\"bafkqaaa\"}]}").unwrap());
        assert_eq!(super::encode(&decode(&cbor).unwrap()), "{\"a\": 1, \"b\": [h'0102', 1.5, 42(h'0001550000')]}");
    }
}
