//! Four full chunks compressed at once, one per 32-bit lane: on wasm32 in SIMD128 vectors,
//! elsewhere in plain arrays (so host tests run the same algorithm). The message words are
//! loaded transposed, four words of the four chunks at a time.

use super::{BLOCK_LEN, CHUNK_END, CHUNK_LEN, CHUNK_START, IV, SCHEDULE};

#[cfg(target_arch = "wasm32")]
mod vector {
    use core::arch::wasm32::*;

    /// Four u32 lanes.
    #[derive(Clone, Copy)]
    pub struct Lanes(pub v128);

    impl Lanes {
        pub const WIDTH: usize = 4;
    }

    #[inline(always)]
    pub fn splat(x: u32) -> Lanes {
        Lanes(u32x4_splat(x))
    }
    #[inline(always)]
    pub fn from_array(x: [u32; 4]) -> Lanes {
        Lanes(u32x4(x[0], x[1], x[2], x[3]))
    }
    #[inline(always)]
    pub fn to_array(x: Lanes) -> [u32; 4] {
        [u32x4_extract_lane::<0>(x.0), u32x4_extract_lane::<1>(x.0), u32x4_extract_lane::<2>(x.0), u32x4_extract_lane::<3>(x.0)]
    }
    #[inline(always)]
    pub fn add(a: Lanes, b: Lanes) -> Lanes {
        Lanes(i32x4_add(a.0, b.0))
    }
    #[inline(always)]
    pub fn xor(a: Lanes, b: Lanes) -> Lanes {
        Lanes(v128_xor(a.0, b.0))
    }
    #[inline(always)]
    pub fn r16(a: Lanes) -> Lanes {
        Lanes(i8x16_shuffle::<2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13>(a.0, a.0))
    }
    #[inline(always)]
    pub fn r12(a: Lanes) -> Lanes {
        Lanes(v128_or(u32x4_shr(a.0, 12), i32x4_shl(a.0, 20)))
    }
    #[inline(always)]
    pub fn r8(a: Lanes) -> Lanes {
        Lanes(i8x16_shuffle::<1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12>(a.0, a.0))
    }
    #[inline(always)]
    pub fn r7(a: Lanes) -> Lanes {
        Lanes(v128_or(u32x4_shr(a.0, 7), i32x4_shl(a.0, 25)))
    }

    /// Words `w..w + 4` of one block of each of four chunks, transposed: result `k` holds word
    /// `w + k` of the four chunks. `at` is the block's offset within a chunk.
    #[inline(always)]
    pub fn load_transposed(chunks: &[u8], at: usize, w: usize) -> [Lanes; 4] {
        let row = |i: usize| {
            let start = i * super::CHUNK_LEN + at + 4 * w;
            let bytes = &chunks[start..start + 16];
            // SAFETY: `bytes` is 16 readable bytes; v128 loads need no alignment.
            unsafe { v128_load(bytes.as_ptr() as *const v128) }
        };
        let (r0, r1, r2, r3) = (row(0), row(1), row(2), row(3));
        let t0 = i32x4_shuffle::<0, 4, 1, 5>(r0, r1);
        let t1 = i32x4_shuffle::<2, 6, 3, 7>(r0, r1);
        let t2 = i32x4_shuffle::<0, 4, 1, 5>(r2, r3);
        let t3 = i32x4_shuffle::<2, 6, 3, 7>(r2, r3);
        [
            Lanes(i32x4_shuffle::<0, 1, 4, 5>(t0, t2)),
            Lanes(i32x4_shuffle::<2, 3, 6, 7>(t0, t2)),
            Lanes(i32x4_shuffle::<0, 1, 4, 5>(t1, t3)),
            Lanes(i32x4_shuffle::<2, 3, 6, 7>(t1, t3)),
        ]
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod vector {
    /// Four u32 lanes, in an array (hosts without WebAssembly SIMD: tests).
    #[derive(Clone, Copy)]
    pub struct Lanes(pub [u32; 4]);

    impl Lanes {
        pub const WIDTH: usize = 4;
    }

    fn map(a: Lanes, f: impl Fn(u32) -> u32) -> Lanes {
        Lanes([f(a.0[0]), f(a.0[1]), f(a.0[2]), f(a.0[3])])
    }
    fn zip(a: Lanes, b: Lanes, f: impl Fn(u32, u32) -> u32) -> Lanes {
        Lanes([f(a.0[0], b.0[0]), f(a.0[1], b.0[1]), f(a.0[2], b.0[2]), f(a.0[3], b.0[3])])
    }
    pub fn splat(x: u32) -> Lanes {
        Lanes([x; 4])
    }
    pub fn from_array(x: [u32; 4]) -> Lanes {
        Lanes(x)
    }
    pub fn to_array(x: Lanes) -> [u32; 4] {
        x.0
    }
    pub fn add(a: Lanes, b: Lanes) -> Lanes {
        zip(a, b, u32::wrapping_add)
    }
    pub fn xor(a: Lanes, b: Lanes) -> Lanes {
        zip(a, b, |x, y| x ^ y)
    }
    pub fn r16(a: Lanes) -> Lanes {
        map(a, |x| x.rotate_right(16))
    }
    pub fn r12(a: Lanes) -> Lanes {
        map(a, |x| x.rotate_right(12))
    }
    pub fn r8(a: Lanes) -> Lanes {
        map(a, |x| x.rotate_right(8))
    }
    pub fn r7(a: Lanes) -> Lanes {
        map(a, |x| x.rotate_right(7))
    }
    pub fn load_transposed(chunks: &[u8], at: usize, w: usize) -> [Lanes; 4] {
        let word = |i: usize, k: usize| {
            let start = i * super::CHUNK_LEN + at + 4 * (w + k);
            u32::from_le_bytes([chunks[start], chunks[start + 1], chunks[start + 2], chunks[start + 3]])
        };
        [0, 1, 2, 3].map(|k| Lanes([word(0, k), word(1, k), word(2, k), word(3, k)]))
    }
}

pub use vector::Lanes;
use vector::{add, from_array, load_transposed, r12, r16, r7, r8, splat, to_array, xor};

/// The chaining values of the four full chunks in `chunks` (4096 bytes), numbered from `counter`.
pub fn hash_chunks(chunks: &[u8], counter: u64) -> [[u32; 8]; 4] {
    assert_eq!(chunks.len(), Lanes::WIDTH * CHUNK_LEN);
    let counters = [0u64, 1, 2, 3].map(|i| counter + i);
    let counter_low = from_array(counters.map(|c| c as u32));
    let counter_high = from_array(counters.map(|c| (c >> 32) as u32));
    let mut h = IV.map(splat);
    for b in 0..CHUNK_LEN / BLOCK_LEN {
        let at = b * BLOCK_LEN;
        let mut m = [splat(0); 16];
        for w in (0..16).step_by(4) {
            m[w..w + 4].copy_from_slice(&load_transposed(chunks, at, w));
        }
        let flags = if b == 0 { CHUNK_START } else { 0 } | if b == CHUNK_LEN / BLOCK_LEN - 1 { CHUNK_END } else { 0 };
        let mut v = [
            h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
            splat(IV[0]), splat(IV[1]), splat(IV[2]), splat(IV[3]),
            counter_low, counter_high, splat(BLOCK_LEN as u32), splat(flags),
        ];
        rounds!(v, m, add, xor, r16, r12, r8, r7);
        for i in 0..8 {
            h[i] = xor(v[i], v[i + 8]);
        }
    }
    let words = h.map(to_array);
    [0, 1, 2, 3].map(|lane| [0, 1, 2, 3, 4, 5, 6, 7].map(|j| words[j][lane]))
}
