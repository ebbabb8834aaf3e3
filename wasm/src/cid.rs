//! Binary CID validation and the text forms Cairn reads and writes.

use crate::base::{self, BigBase, Rfc4648};
use crate::varint::{self, VarintError};

/// Largest number a CID varint may hold: 2^53 − 1. Multiformats allows 9-byte varints (63
/// bits), but JavaScript's multiformats reads numbers past 2^53 inexactly and writes such a
/// CID back with different bytes; no codec or hash in the multicodec table comes near it.
pub const MAX_CID_NUMBER: u64 = (1 << 53) - 1;

/// Reads one varint of a CID: multiformats rules, and at most [`MAX_CID_NUMBER`].
pub fn read_number(bytes: &[u8], field: &'static str) -> Result<(u64, usize), String> {
    let (value, n) = varint::read_uvarint(bytes).map_err(field_error(field))?;
    if value > MAX_CID_NUMBER {
        return Err(format!("the {} is above 2^53 − 1, which JavaScript cannot represent exactly", field));
    }
    Ok((value, n))
}

/// Checks that `bytes` is exactly one CID (v0: a sha2-256 multihash; v1: version, codec,
/// multihash) with nothing after it. Its varints follow multiformats (shortest form, at most
/// 9 bytes) and stay within [`MAX_CID_NUMBER`]. Returns a description of the problem otherwise.
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    if is_v0(bytes) {
        return Ok(());
    }
    let (version, mut pos) = read_number(bytes, "CID version")?;
    if version != 1 {
        return Err("unsupported CID version".into());
    }
    let (_codec, n) = read_number(&bytes[pos..], "CID codec")?;
    pos += n;
    let (_hash, n) = read_number(&bytes[pos..], "multihash code")?;
    pos += n;
    let (len, n) = read_number(&bytes[pos..], "multihash length")?;
    pos += n;
    if (bytes.len() - pos) as u64 != len {
        return Err("multihash length does not match its digest".into());
    }
    Ok(())
}

/// Maps a varint problem to a message naming the CID field it is in.
fn field_error(field: &'static str) -> impl Fn(VarintError) -> String {
    move |e| format!("{} in the {}", e.describe(), field)
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

/// Parses a link's text as DAG-JSON writes it: CIDv0 as bare base58btc (`Qm…`) or CIDv1 as
/// multibase base32 lower case (`b…`), in exactly the form [`to_text`] gives. Every other
/// multibase, and CIDv0 behind a multibase prefix, is refused (DAG-JSON spec, "Links").
pub fn from_text(text: &str) -> Result<Vec<u8>, String> {
    let bytes = if text.starts_with('Q') {
        // Every CIDv0 is 46 characters; checking first keeps base58's quadratic decoding bounded.
        if text.len() != 46 {
            return Err("a CIDv0 is 46 base58btc characters".into());
        }
        let bytes = base::decode_big(BigBase::Base58Btc, text).ok_or_else(|| "invalid base58btc in CIDv0".to_string())?;
        if !is_v0(&bytes) {
            return Err("a base58btc link without a multibase prefix must be a CIDv0".into());
        }
        bytes
    } else if let Some(rest) = text.strip_prefix('b') {
        let bytes = base::decode_rfc4648(Rfc4648::Base32, rest).ok_or_else(|| "invalid base32 in CIDv1".to_string())?;
        if is_v0(&bytes) {
            return Err("a CIDv0 must be written in base58btc without a multibase prefix".into());
        }
        validate(&bytes)?;
        bytes
    } else {
        return Err("a link must be a base32 CIDv1 (b…) or a base58btc CIDv0 (Qm…)".into());
    };
    let mut canonical = String::with_capacity(text.len());
    to_text(&bytes, &mut canonical);
    if canonical != text {
        return Err("a link must be written in its canonical form (lower case, no padding)".into());
    }
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
        // Other multibases and CIDv0 behind a prefix are not DAG-JSON's link form.
        for text in [
            "BAFYREIHDB57FDYSX5H35URVXZ64ROS7ZVYWSHBER7ID6T6C6FEK37JGYFE",
            "zdpuB1hnjR3a9tddQXkimByhqg1Ua6A9ARVUtbtYqPrtFgYHN",
            "k2jvslb1smm8a79y4lbqya79rvwzy5sfy016d3i8phxvbfftmzplkz6x",
            "f01711220e30f7e51e257e9f7da46b7cfb9174bf9ae2d238491fa07e9f85e2915bfa4d829",
            "bciqcfllddru65gbqsw23rlgqfh7zjl7r3rwera3ypbmjvevzbx7kgfy",
            "bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe====",
        ] {
            assert!(from_text(text).is_err(), "{}", text);
        }
        assert!(validate(&[0x01, 0x71, 0x12, 0x20, 0x00]).is_err());
        assert!(validate(&[0x02, 0x71, 0x12, 0x00]).is_err());
        assert!(validate(&[0x01, 0x71, 0x12, 0x00]).is_ok());
        // A ten-byte codec varint (multiformats allows nine).
        let mut ten = vec![0x01, 0xd5, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x12, 0x00];
        assert!(validate(&ten).is_err());
        // Nine bytes is a valid multiformats varint, but 2^56 is past what JavaScript reads exactly.
        ten.drain(9..10);
        assert!(validate(&ten).is_err());
        // 2^53 − 1 is the largest codec accepted.
        let mut max = vec![0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x00];
        assert!(validate(&max).is_ok());
        max[8] = 0x10;
        assert!(validate(&max).is_err());
    }
}
