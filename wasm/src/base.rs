//! The multibase encodings Cairn reads and writes: RFC 4648 (base16, base32, base64,
//! base64url) and the big-number alphabets (base36, base58btc).

const BASE32_LOWER: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
const BASE64_STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE58_BTC: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BASE36_LOWER: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// The RFC 4648 alphabets, by name.
#[derive(Clone, Copy)]
pub enum Rfc4648 {
    Base16,
    Base32,
    Base64,
    Base64Url,
}

impl Rfc4648 {
    fn alphabet(self) -> &'static [u8] {
        match self {
            Rfc4648::Base16 => b"0123456789abcdef",
            Rfc4648::Base32 => BASE32_LOWER,
            Rfc4648::Base64 => BASE64_STD,
            Rfc4648::Base64Url => BASE64_URL,
        }
    }

    fn bits(self) -> u32 {
        match self {
            Rfc4648::Base16 => 4,
            Rfc4648::Base32 => 5,
            Rfc4648::Base64 | Rfc4648::Base64Url => 6,
        }
    }

    fn case_insensitive(self) -> bool {
        matches!(self, Rfc4648::Base16 | Rfc4648::Base32)
    }
}

/// Encodes with an RFC 4648 alphabet, without padding.
pub fn encode_rfc4648(kind: Rfc4648, bytes: &[u8], out: &mut String) {
    let alphabet = kind.alphabet();
    let bits = kind.bits();
    let mask = (1u32 << bits) - 1;
    let mut buffer: u32 = 0;
    let mut held: u32 = 0;
    out.reserve(bytes.len() * 8 / bits as usize + 1);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        held += 8;
        while held >= bits {
            held -= bits;
            out.push(alphabet[((buffer >> held) & mask) as usize] as char);
        }
        buffer &= (1 << held) - 1;
    }
    if held > 0 {
        out.push(alphabet[((buffer << (bits - held)) & mask) as usize] as char);
    }
}

/// Decodes RFC 4648 text (trailing `=` padding allowed). Rejects characters outside the
/// alphabet and non-zero trailing bits, so every byte string has exactly one accepted form.
pub fn decode_rfc4648(kind: Rfc4648, text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let alphabet = kind.alphabet();
    let bits = kind.bits();
    let mut lookup = [0xffu8; 256];
    for (i, &c) in alphabet.iter().enumerate() {
        lookup[c as usize] = i as u8;
        if kind.case_insensitive() {
            lookup[c.to_ascii_uppercase() as usize] = i as u8;
        }
    }
    let mut out = Vec::with_capacity(text.len() * bits as usize / 8);
    let mut buffer: u32 = 0;
    let mut held: u32 = 0;
    for &c in text.as_bytes() {
        let v = lookup[c as usize];
        if v == 0xff {
            return None;
        }
        buffer = (buffer << bits) | u32::from(v);
        held += bits;
        if held >= 8 {
            held -= 8;
            out.push((buffer >> held) as u8);
            buffer &= (1 << held) - 1;
        }
    }
    if held >= bits || buffer != 0 {
        return None;
    }
    Some(out)
}

/// Standard base64 without padding (the DAG-JSON bytes form).
pub fn base64_encode(bytes: &[u8], out: &mut String) {
    encode_rfc4648(Rfc4648::Base64, bytes, out)
}

/// base32 lower-case without padding (the CIDv1 default).
pub fn base32_encode(bytes: &[u8], out: &mut String) {
    encode_rfc4648(Rfc4648::Base32, bytes, out)
}

/// Big-number alphabets: base58btc and base36.
#[derive(Clone, Copy)]
pub enum BigBase {
    Base36,
    Base58Btc,
}

impl BigBase {
    fn alphabet(self) -> &'static [u8] {
        match self {
            BigBase::Base36 => BASE36_LOWER,
            BigBase::Base58Btc => BASE58_BTC,
        }
    }
}

/// Encodes with a big-number alphabet; leading zero bytes become leading zero digits.
pub fn encode_big(kind: BigBase, bytes: &[u8], out: &mut String) {
    let alphabet = kind.alphabet();
    let base = alphabet.len() as u32;
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 2);
    for &byte in &bytes[zeros..] {
        let mut carry = u32::from(byte);
        for digit in digits.iter_mut() {
            carry += u32::from(*digit) << 8;
            *digit = (carry % base) as u8;
            carry /= base;
        }
        while carry > 0 {
            digits.push((carry % base) as u8);
            carry /= base;
        }
    }
    for _ in 0..zeros {
        out.push(alphabet[0] as char);
    }
    for &d in digits.iter().rev() {
        out.push(alphabet[d as usize] as char);
    }
}

/// Decodes a big-number alphabet (base36 accepts either case).
pub fn decode_big(kind: BigBase, text: &str) -> Option<Vec<u8>> {
    let alphabet = kind.alphabet();
    let base = alphabet.len() as u32;
    let mut lookup = [0xffu8; 256];
    for (i, &c) in alphabet.iter().enumerate() {
        lookup[c as usize] = i as u8;
        if let BigBase::Base36 = kind {
            lookup[c.to_ascii_uppercase() as usize] = i as u8;
        }
    }
    let zero = alphabet[0];
    let zeros = text.bytes().take_while(|&c| c == zero).count();
    let mut bytes: Vec<u8> = Vec::with_capacity(text.len());
    for &c in &text.as_bytes()[zeros..] {
        let v = lookup[c as usize];
        if v == 0xff {
            return None;
        }
        let mut carry = u32::from(v);
        for byte in bytes.iter_mut() {
            carry += u32::from(*byte) * base;
            *byte = carry as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push(carry as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(bytes.iter().rev());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let cases: [(&str, &str, &str); 4] =
            [("", "", ""), ("f", "my", "Zg"), ("foob", "mzxw6yq", "Zm9vYg"), ("foobar", "mzxw6ytboi", "Zm9vYmFy")];
        for (plain, b32, b64) in cases {
            let mut s = String::new();
            base32_encode(plain.as_bytes(), &mut s);
            assert_eq!(s, b32);
            let mut s = String::new();
            base64_encode(plain.as_bytes(), &mut s);
            assert_eq!(s, b64);
            assert_eq!(decode_rfc4648(Rfc4648::Base32, b32).unwrap(), plain.as_bytes());
            assert_eq!(decode_rfc4648(Rfc4648::Base64, b64).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn rejects_dirty_trailing_bits() {
        assert!(decode_rfc4648(Rfc4648::Base64, "Zh").is_none());
        assert!(decode_rfc4648(Rfc4648::Base64, "Z!").is_none());
    }

    #[test]
    fn base58_vectors() {
        let mut s = String::new();
        encode_big(BigBase::Base58Btc, b"\0\0hello world", &mut s);
        assert_eq!(s, "11StV1DL6CwTryKyV");
        assert_eq!(decode_big(BigBase::Base58Btc, &s).unwrap(), b"\0\0hello world");
        assert!(decode_big(BigBase::Base58Btc, "0OIl").is_none());
    }
}
