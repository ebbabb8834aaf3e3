//! Unsigned LEB128 varints, in the two dialects the formats here use.
//!
//! - Multiformats (`unsigned-varint`: CIDs, multihashes, CAR length prefixes): at most 9 bytes
//!   (63 bits) and always in the shortest form. [`read_uvarint`].
//! - Protobuf (DAG-PB fields): up to 10 bytes (64 bits), shortest form not required.
//!   [`read_protobuf`].

/// Longest multiformats varint: 9 bytes carry 63 bits.
pub const UVARINT_MAX_BYTES: usize = 9;
/// Longest protobuf varint: 10 bytes carry 64 bits.
pub const PROTOBUF_MAX_BYTES: usize = 10;

/// Why a varint could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarintError {
    /// The input ends before the varint does.
    Truncated,
    /// More bytes (or bits) than the dialect allows.
    TooLong,
    /// A longer encoding than needed (a trailing zero byte).
    NotMinimal,
}

impl VarintError {
    /// A short description for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            VarintError::Truncated => "truncated varint",
            VarintError::TooLong => "varint too long",
            VarintError::NotMinimal => "varint not in its shortest form",
        }
    }
}

fn read(bytes: &[u8], max_bytes: usize, minimal: bool) -> Result<(u64, usize), VarintError> {
    let mut value: u64 = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if i == max_bytes {
            return Err(VarintError::TooLong);
        }
        // The tenth byte of a 64-bit varint may only hold the top bit.
        if i == 9 && byte > 1 {
            return Err(VarintError::TooLong);
        }
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            if minimal && i > 0 && byte == 0 {
                return Err(VarintError::NotMinimal);
            }
            return Ok((value, i + 1));
        }
    }
    if bytes.len() >= max_bytes {
        Err(VarintError::TooLong)
    } else {
        Err(VarintError::Truncated)
    }
}

/// Reads a multiformats varint from the start of `bytes`: the value and the bytes it took.
pub fn read_uvarint(bytes: &[u8]) -> Result<(u64, usize), VarintError> {
    read(bytes, UVARINT_MAX_BYTES, true)
}

/// Reads a protobuf varint from the start of `bytes`: the value and the bytes it took.
pub fn read_protobuf(bytes: &[u8]) -> Result<(u64, usize), VarintError> {
    read(bytes, PROTOBUF_MAX_BYTES, false)
}

/// Appends `value` as a varint.
pub fn write(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for v in [0u64, 1, 127, 128, 300, 1 << 35, (1 << 63) - 1] {
            let mut out = Vec::new();
            write(&mut out, v);
            assert_eq!(read_uvarint(&out), Ok((v, out.len())));
            assert_eq!(read_protobuf(&out), Ok((v, out.len())));
        }
        let mut out = Vec::new();
        write(&mut out, u64::MAX);
        assert_eq!(read_protobuf(&out), Ok((u64::MAX, 10)));
        assert_eq!(read_uvarint(&out), Err(VarintError::TooLong));
    }

    #[test]
    fn rejects_non_minimal_overlong_and_truncated() {
        assert_eq!(read_uvarint(&[0x80, 0x00]), Err(VarintError::NotMinimal));
        assert_eq!(read_protobuf(&[0x80, 0x00]), Ok((0, 2)));
        assert_eq!(read_protobuf(&[0xff; 11]), Err(VarintError::TooLong));
        assert_eq!(read_protobuf(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]), Err(VarintError::TooLong));
        assert_eq!(read_uvarint(&[0x80]), Err(VarintError::Truncated));
        // The reproducer's codec: ten bytes, minimal, accepted by protobuf but not multiformats.
        let ten = [0xd5, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
        assert_eq!(read_uvarint(&ten), Err(VarintError::TooLong));
        assert!(read_protobuf(&ten).is_ok());
        // Nine continuation bytes: a multiformats varint cannot end in time.
        assert_eq!(read_uvarint(&[0x80; 9]), Err(VarintError::TooLong));
        assert_eq!(read_uvarint(&[0x80; 8]), Err(VarintError::Truncated));
    }

    /// Every value, written and read back, for a sweep of bit widths.
    #[test]
    fn property_every_width_round_trips() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..10_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let v = seed >> (seed % 64);
            let mut out = Vec::new();
            write(&mut out, v);
            assert_eq!(read_protobuf(&out), Ok((v, out.len())));
            if v < 1 << 63 {
                assert_eq!(read_uvarint(&out), Ok((v, out.len())));
            } else {
                assert_eq!(read_uvarint(&out), Err(VarintError::TooLong));
            }
        }
    }
}
