//! The DAG-JSON writer: compact output, map keys sorted bytewise, bytes as
//! `{"/":{"bytes":"<base64>"}}`, links as `{"/":"<cid>"}`, floats always with a `.` or an
//! exponent so they read back as floats.

use std::fmt::Write;

use crate::base;
use crate::cid;
use crate::error::{Error, ErrorKind, Result};
use crate::reserved::{self, Reserved};
use crate::value::Value;

/// Writes `value` as DAG-JSON text. Fails with [`ErrorKind::JsonEncode`] for a map that
/// DAG-JSON reserves (one that would read back as a link or bytes, or that the spec rejects).
pub fn encode(value: &Value<'_>) -> Result<String> {
    let mut out = String::with_capacity(256);
    write(value, &mut out)?;
    Ok(out)
}

/// Writes a scalar (null, bool, integer, float, string) as JSON and DAG-JSON and CBOR
/// diagnostic notation all spell it; returns false for bytes, links, lists and maps.
pub fn write_scalar(value: &Value<'_>, out: &mut String) -> bool {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{}", i);
        }
        Value::Float(f) => write_float(*f, out),
        Value::Str(s) => write_string(s, out),
        _ => return false,
    }
    true
}

fn write(value: &Value<'_>, out: &mut String) -> Result<()> {
    if write_scalar(value, out) {
        return Ok(());
    }
    match value {
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => {}
        Value::Bytes(b) => {
            out.push_str("{\"/\":{\"bytes\":\"");
            base::base64_encode(b, out);
            out.push_str("\"}}");
        }
        Value::Link(c) => {
            out.push_str("{\"/\":\"");
            cid::to_text(c, out);
            out.push_str("\"}");
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out)?;
            }
            out.push(']');
        }
        Value::Map(entries) => {
            if !matches!(reserved::classify(entries), Reserved::Plain) {
                return Err(Error::new(
                    ErrorKind::JsonEncode,
                    "this data cannot be written as DAG-JSON: a map whose first key is \"/\" takes the form DAG-JSON reserves for links and bytes",
                ));
            }
            let mut sorted: Vec<&(std::borrow::Cow<'_, str>, Value<'_>)> = entries.iter().collect();
            sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, value)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write(value, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// JSON string escaping as ECMAScript's `JSON.stringify` does it.
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    let mut clean_from = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[clean_from..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escape);
        }
        clean_from = i + 1;
    }
    out.push_str(&s[clean_from..]);
    out.push('"');
}

/// A float in the shortest form that reads back to the same value, laid out the way
/// ECMAScript's `Number.prototype.toString` does, with `.0` added to integral values.
pub fn write_float(f: f64, out: &mut String) {
    if f == 0.0 {
        out.push_str(if f.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    // `{:e}` gives the shortest round-trip digits: "d.ddde±x".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().unwrap_or(0) + 1;
    if f < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        (0..n - k).for_each(|_| out.push('0'));
        out.push_str(".0");
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        (0..-n).for_each(|_| out.push('0'));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = n - 1;
        let _ = write!(out, "e{}{}", if e >= 0 { '+' } else { '-' }, e.abs());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(f: f64) -> String {
        let mut s = String::new();
        write_float(f, &mut s);
        s
    }

    #[test]
    fn floats_match_ecmascript_layout() {
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(1.5), "1.5");
        assert_eq!(float(-0.000001), "-0.000001");
        assert_eq!(float(1e-7), "1e-7");
        assert_eq!(float(1e21), "1e+21");
        assert_eq!(float(1e20), "100000000000000000000.0");
        assert_eq!(float(123.456e5), "12345600.0");
        assert_eq!(float(1.2345678901234568e-10), "1.2345678901234568e-10");
        assert_eq!(float(f64::MAX), "1.7976931348623157e+308");
    }

    #[test]
    fn strings_escape_like_json_stringify() {
        let mut s = String::new();
        write_string("a\"b\\c\n\u{1}é", &mut s);
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001é\"");
    }
}
