//! A strict DAG-JSON reader: RFC 8259 JSON with no extensions, integers kept exact over the
//! full ±2^64 range, no duplicate keys, and the reserved `"/"` forms for links and bytes.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::base::{self, Rfc4648};
use crate::cid;
use crate::error::{Error, ErrorKind, Result};
use crate::reserved::{self, Reserved};
use crate::value::{Value, INT_MAX, INT_MIN};

/// Deepest nesting accepted, so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 512;

/// Parses DAG-JSON text into a [`Value`].
pub fn decode(text: &str) -> Result<Value<'_>> {
    let mut parser = Parser { text, bytes: text.as_bytes(), pos: 0 };
    parser.skip_ws();
    let value = parser.value(0)?;
    parser.skip_ws();
    if parser.pos != parser.bytes.len() {
        return Err(parser.error("unexpected content after the end of the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, message: impl Into<String>) -> Error {
        Error::at(ErrorKind::JsonParse, self.pos, message)
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect_word(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("unexpected token"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        match self.peek() {
            None => Err(self.error("unexpected end of input")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b't') => self.expect_word("true", Value::Bool(true)),
            Some(b'f') => self.expect_word("false", Value::Bool(false)),
            Some(b'n') => self.expect_word("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::List(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::List(items));
                }
                _ => return Err(self.error("expected ',' or ']' in list")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>> {
        let start = self.pos;
        self.pos += 1;
        let mut entries: Vec<(Cow<'a, str>, Value<'a>)> = Vec::new();
        let mut seen: BTreeSet<Cow<'a, str>> = BTreeSet::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Map(entries));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key_pos = self.pos;
            let key = self.string()?;
            if !seen.insert(key.clone()) {
                return Err(Error::at(ErrorKind::JsonParse, key_pos, format!("duplicate map key {:?}", key)));
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' after a map key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error("expected ',' or '}' in map")),
            }
        }
        reserved_form(entries, start)
    }

    fn string(&mut self) -> Result<Cow<'a, str>> {
        let start = self.pos;
        self.pos += 1;
        let mut owned: Option<String> = None;
        let mut clean_from = self.pos;
        loop {
            let b = match self.peek() {
                Some(b) => b,
                None => return Err(Error::at(ErrorKind::JsonParse, start, "unterminated string")),
            };
            match b {
                b'"' => {
                    let tail = &self.text[clean_from..self.pos];
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[clean_from..self.pos]);
                    self.pos += 1;
                    let c = self.escape()?;
                    owned.as_mut().map(|s| s.push(c));
                    clean_from = self.pos;
                }
                0..=0x1f => return Err(self.error("control characters must be escaped in strings")),
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self) -> Result<char> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let at = self.pos - 1;
                self.pos += 1;
                let first = self.hex4()?;
                let code = if (0xd800..0xdc00).contains(&first) {
                    if !self.bytes[self.pos..].starts_with(b"\\u") {
                        return Err(Error::at(ErrorKind::JsonParse, at, "lone surrogate in string escape"));
                    }
                    self.pos += 2;
                    let second = self.hex4()?;
                    if !(0xdc00..0xe000).contains(&second) {
                        return Err(Error::at(ErrorKind::JsonParse, at, "lone surrogate in string escape"));
                    }
                    0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                } else {
                    first
                };
                return char::from_u32(code).ok_or_else(|| Error::at(ErrorKind::JsonParse, at, "lone surrogate in string escape"));
            }
            _ => return Err(self.error("invalid escape in string")),
        };
        self.pos += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.error("truncated \\u escape"))?;
        let mut v = 0u32;
        for &d in digits {
            let n = (d as char).to_digit(16).ok_or_else(|| self.error("invalid hex digit in \\u escape"))?;
            v = v * 16 + n;
        }
        self.pos += 4;
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value<'a>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 {
            return Err(self.error("expected a digit"));
        }
        if n > 1 && self.bytes[int_start] == b'0' {
            return Err(Error::at(ErrorKind::JsonParse, int_start, "leading zeros are not allowed"));
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            float = true;
            if self.digits() == 0 {
                return Err(self.error("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            float = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        let literal = &self.text[start..self.pos];
        if float {
            let f: f64 = literal.parse().map_err(|_| Error::at(ErrorKind::JsonParse, start, "invalid number"))?;
            if f.is_infinite() {
                return Err(Error::at(ErrorKind::JsonParse, start, "number is too large for a 64-bit float"));
            }
            return Ok(Value::Float(f));
        }
        match literal.parse::<i128>() {
            Ok(i) if (INT_MIN..=INT_MAX).contains(&i) => Ok(Value::Int(i)),
            _ => Err(Error::at(ErrorKind::JsonParse, start, "integer out of range (−2^64 … 2^64−1)")),
        }
    }
}

/// Turns `{"/": "<cid>"}` into a link and `{"/": {"bytes": "<base64>"}}` into bytes, and
/// refuses the other maps of the reserved namespace (see [`reserved`]). Which key is "first"
/// follows DAG-JSON's key order, so the text's own key order does not change the meaning.
fn reserved_form<'a>(entries: Vec<(Cow<'a, str>, Value<'a>)>, start: usize) -> Result<Value<'a>> {
    let err = |m: String| Error::at(ErrorKind::JsonParse, start, m);
    let value = match reserved::classify(&entries) {
        Reserved::Plain => return Ok(Value::Map(entries)),
        Reserved::Invalid(why) => return Err(err(format!("invalid DAG-JSON: {}", why))),
        Reserved::Link(text) => Value::Link(Cow::Owned(cid::from_text(text).map_err(|e| err(format!("invalid CID in link: {}", e)))?)),
        Reserved::Bytes(text) => Value::Bytes(Cow::Owned(
            base::decode_rfc4648(Rfc4648::Base64, text).ok_or_else(|| err("invalid base64 in bytes form".into()))?,
        )),
    };
    Ok(value)
}
