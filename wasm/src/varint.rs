//! Unsigned LEB128 varints as used by multiformats and protobuf.

/// Reads a varint from the start of `bytes`. Returns the value and the number of bytes read,
/// or `None` when the input ends early, exceeds 64 bits, or (with `minimal`) is not in its
/// shortest form.
pub fn read(bytes: &[u8], minimal: bool) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        let part = u64::from(byte & 0x7f);
        if i == 9 && byte > 1 {
            return None;
        }
        value |= part << (7 * i);
        if byte & 0x80 == 0 {
            if minimal && i > 0 && byte == 0 {
                return None;
            }
            return Some((value, i + 1));
        }
    }
    None
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
        for v in [0u64, 1, 127, 128, 300, 1 << 35, u64::MAX] {
            let mut out = Vec::new();
            write(&mut out, v);
            assert_eq!(read(&out, true), Some((v, out.len())));
        }
    }

    #[test]
    fn rejects_non_minimal_and_overlong() {
        assert_eq!(read(&[0x80, 0x00], true), None);
        assert_eq!(read(&[0x80, 0x00], false), Some((0, 2)));
        assert_eq!(read(&[0xff; 11], false), None);
        assert_eq!(read(&[0x80], false), None);
    }
}
