//! The canonical DAG-CBOR writer: shortest heads, map keys length-first then bytewise,
//! 64-bit floats, CIDs as tag 42 over `0x00 ‖ cid`.

use crate::value::{cbor_key_order, Value};

/// Encodes `value` as DAG-CBOR. Map keys must already be unique (the DAG-JSON reader
/// guarantees it).
pub fn encode(value: &Value<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write(value, &mut out);
    out
}

fn head(out: &mut Vec<u8>, major: u8, arg: u64) {
    let m = major << 5;
    if arg < 24 {
        out.push(m | arg as u8);
    } else if arg <= 0xff {
        out.extend_from_slice(&[m | 24, arg as u8]);
    } else if arg <= 0xffff {
        out.push(m | 25);
        out.extend_from_slice(&(arg as u16).to_be_bytes());
    } else if arg <= 0xffff_ffff {
        out.push(m | 26);
        out.extend_from_slice(&(arg as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&arg.to_be_bytes());
    }
}

fn write(value: &Value<'_>, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.push(0xf6),
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Int(i) if *i >= 0 => head(out, 0, *i as u64),
        Value::Int(i) => head(out, 1, (-1 - *i) as u64),
        Value::Float(f) => {
            out.push(0xfb);
            out.extend_from_slice(&f.to_bits().to_be_bytes());
        }
        Value::Bytes(b) => {
            head(out, 2, b.len() as u64);
            out.extend_from_slice(b);
        }
        Value::Str(s) => {
            head(out, 3, s.len() as u64);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Link(cid) => {
            out.extend_from_slice(&[0xd8, 42]);
            head(out, 2, cid.len() as u64 + 1);
            out.push(0);
            out.extend_from_slice(cid);
        }
        Value::List(items) => {
            head(out, 4, items.len() as u64);
            items.iter().for_each(|item| write(item, out));
        }
        Value::Map(entries) => {
            head(out, 5, entries.len() as u64);
            let mut sorted: Vec<&(std::borrow::Cow<'_, str>, Value<'_>)> = entries.iter().collect();
            sorted.sort_by(|a, b| cbor_key_order(&a.0, &b.0));
            for (key, value) in sorted {
                head(out, 3, key.len() as u64);
                out.extend_from_slice(key.as_bytes());
                write(value, out);
            }
        }
    }
}
