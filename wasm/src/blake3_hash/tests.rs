use super::*;

/// The official test vectors' inputs: byte `i` is `i % 251`.
fn vector_input(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn matches_the_official_test_vectors() {
    // (input length, the default hash's first 32 bytes) from the BLAKE3 team's test_vectors.json.
    let vectors: &[(usize, &str)] = &[
        (0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"),
        (1, "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213"),
        (63, "e9bc37a594daad83be9470df7f7b3798297c3d834ce80ba85d6e207627b7db7b"),
        (64, "4eed7141ea4a5cd4b788606bd23f46e212af9cacebacdc7d1f4c6dc7f2511b98"),
        (65, "de1e5fa0be70df6d2be8fffd0e99ceaa8eb6e8c93a63f2d8d1c30ecb6b263dee"),
        (1023, "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11"),
        (1024, "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7"),
        (2049, "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030"),
        (4096, "015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e969"),
        (4097, "9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb995"),
        (5121, "628bd2cb2004694adaab7bbd778a25df25c47b9d4155a55f8fbd79f2fe154cff"),
        (8192, "aae792484c8efe4f19e2ca7d371d8c467ffb10748d8a5a1ae579948f718a2a63"),
        (8193, "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3b"),
        (16384, "f875d6646de28985646f34ee13be9a576fd515f76b5b0a26bb324735041ddde4"),
        (31744, "62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47"),
        (102400, "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085"),
    ];
    for &(len, expected) in vectors {
        assert_eq!(hex(&hash(&vector_input(len))), expected, "input length {len}");
    }
}

#[test]
fn matches_the_blake3_crate_at_every_chunk_boundary_and_on_seeded_inputs() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut lens: Vec<usize> = (0..=40).flat_map(|c| [c * CHUNK_LEN, c * CHUNK_LEN + 1, (c * CHUNK_LEN).saturating_sub(1)]).collect();
    lens.extend((0..60).map(|_| (next() % (300 * 1024)) as usize));
    for len in lens {
        let input: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        assert_eq!(hash(&input), *blake3::hash(&input).as_bytes(), "input length {len}");
    }
}

#[test]
fn the_four_lanes_give_each_chunk_its_own_chaining_value() {
    let input = vector_input(4 * CHUNK_LEN);
    let counter = (1u64 << 32) - 2; // the counter's high word differs between the lanes
    let lanes = lanes::hash_chunks(&input, counter);
    for (i, cv) in lanes.iter().enumerate() {
        assert_eq!(*cv, chunk_output(&input[i * CHUNK_LEN..(i + 1) * CHUNK_LEN], counter + i as u64).chaining_value());
    }
}
