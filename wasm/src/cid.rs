//! Binary CID validation and the text forms Cairn reads and writes.

use crate::base::{self, BigBase, Rfc4648};
use crate::varint;

/// Checks that `bytes` is exactly one CID (v0: a sha2-256 multihash; v1: version, codec,
/// multihash) with nothing after it. Returns a description of the problem otherwise.
pub fn validate(bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.len() == 34 && bytes[0] == 0x12 && bytes[1] == 0x20 {
        return Ok(());
    }
    let (version, mut pos) = varint::read(bytes, true).ok_or("truncated or non-minimal CID version")?;
    if version != 1 {
        return Err("unsupported CID version");
    }
    let (_codec, n) = varint::read(&bytes[pos..], true).ok_or("truncated or non-minimal CID codec")?;
    pos += n;
    let (_hash, n) = varint::read(&bytes[pos..], true).ok_or("truncated or non-minimal multihash code")?;
    pos += n;
    let (len, n) = varint::read(&bytes[pos..], true).ok_or("truncated or non-minimal multihash length")?;
    pos += n;
    if (bytes.len() - pos) as u64 != len {
        return Err("multihash length does not match its digest");
    }
    Ok(())
}

/// True for the bytes of a CIDv0 (bare sha2-256 multihash).
pub fn is_v0(bytes: &[u8]) -> bool {
    bytes.len() == 34 && bytes[0] == 0x12 && bytes[1] == 0x20
}

/// The canonical text form: base58btc for v0, multibase base32 (`b…`) for v1.
pub fn to_text(bytes: &[u8], out: &mut String) {
    if is_v0(bytes) {
        base::encode_big(BigBase::Base58Btc, bytes, out);
    } else {
        out.push('b');
        base::base32_encode(bytes, out);
    }
}

/// Parses a CID's text form: a bare base58btc CIDv0 (`Qm…`) or a multibase string
/// (base32 `b`/`B`, base58btc `z`, base36 `k`/`K`, base16 `f`/`F`, base64 `m`, base64url `u`).
pub fn from_text(text: &str) -> Result<Vec<u8>, &'static str> {
    if text.len() == 46 && text.starts_with("Qm") {
        let bytes = base::decode_big(BigBase::Base58Btc, text).ok_or("invalid base58btc in CIDv0")?;
        if !is_v0(&bytes) {
            return Err("invalid CIDv0");
        }
        return Ok(bytes);
    }
    let mut chars = text.chars();
    let prefix = chars.next().ok_or("empty CID")?;
    let rest = chars.as_str();
    let bytes = match prefix {
        'b' | 'B' => base::decode_rfc4648(Rfc4648::Base32, rest),
        'f' | 'F' => base::decode_rfc4648(Rfc4648::Base16, rest),
        'm' => base::decode_rfc4648(Rfc4648::Base64, rest),
        'u' => base::decode_rfc4648(Rfc4648::Base64Url, rest),
        'z' => base::decode_big(BigBase::Base58Btc, rest),
        'k' | 'K' => base::decode_big(BigBase::Base36, rest),
        _ => return Err("unsupported multibase prefix in CID"),
    }
    .ok_or("invalid characters for the CID's multibase")?;
    validate(&bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trip() {
        for text in [
            "QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY",
            "bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe",
            "bafkqabiaaebagba",
        ] {
            let bytes = from_text(text).unwrap();
            let mut out = String::new();
            to_text(&bytes, &mut out);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn rejects_bad_cids() {
        assert!(from_text("").is_err());
        assert!(from_text("xyz").is_err());
        assert!(validate(&[0x01, 0x71, 0x12, 0x20, 0x00]).is_err());
        assert!(validate(&[0x02, 0x71, 0x12, 0x00]).is_err());
        assert!(validate(&[0x01, 0x71, 0x12, 0x00]).is_ok());
    }
}
