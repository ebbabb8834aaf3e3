//! MurmurHash3 x64 128-bit (seed 0), the hash UnixFS HAMT directories place names with.

fn fmix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51afd7ed558ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ceb9fe1a85ec53);
    k ^= k >> 33;
    k
}

/// The two 64-bit halves (h1, h2) of MurmurHash3_x64_128 of `data` with seed 0.
pub fn x64_128(data: &[u8]) -> (u64, u64) {
    const C1: u64 = 0x87c37b91114253d5;
    const C2: u64 = 0x4cf5ad432745937f;
    let mut h1: u64 = 0;
    let mut h2: u64 = 0;
    let blocks = data.len() / 16;
    for i in 0..blocks {
        let at = i * 16;
        let mut k1 = u64::from_le_bytes(data[at..at + 8].try_into().unwrap());
        let mut k2 = u64::from_le_bytes(data[at + 8..at + 16].try_into().unwrap());
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
        h1 = h1.rotate_left(27).wrapping_add(h2).wrapping_mul(5).wrapping_add(0x52dce729);
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
        h2 = h2.rotate_left(31).wrapping_add(h1).wrapping_mul(5).wrapping_add(0x38495ab5);
    }
    let tail = &data[blocks * 16..];
    let mut k1: u64 = 0;
    let mut k2: u64 = 0;
    for (i, &byte) in tail.iter().enumerate() {
        if i < 8 {
            k1 |= (byte as u64) << (8 * i);
        } else {
            k2 |= (byte as u64) << (8 * (i - 8));
        }
    }
    if tail.len() > 8 {
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
    }
    if !tail.is_empty() {
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
    }
    let len = data.len() as u64;
    h1 ^= len;
    h2 ^= len;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (h1, h2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(x64_128(b""), (0, 0));
        // Published reference outputs of MurmurHash3_x64_128 with seed 0.
        assert_eq!(x64_128(b"hello"), (0xcbd8a7b341bd9b02, 0x5b1e906a48ae1d19));
        assert_eq!(x64_128(b"The quick brown fox jumps over the lazy dog"), (0xe34bbc7bbc071b6c, 0x7a433ca9c49a9347));
    }
}
