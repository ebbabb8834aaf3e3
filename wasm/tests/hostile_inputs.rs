//! Inputs a stranger can send, each one a reproducer of a bug found by fuzzing, plus property
//! tests for the decoders' length handling. A counting allocator measures what each decode
//! reserves, so "no declared length allocates more than the remaining bytes can fill" is
//! checked, not assumed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use cairn_hotpath::car::{parse_header, parse_sections};
use cairn_hotpath::error::ErrorKind;
use cairn_hotpath::{block_links, dag_cbor_to_json, dag_json_to_cbor, dag_pb_to_json, sha256, CODEC_DAG_CBOR, CODEC_DAG_PB};

struct Counting;

thread_local! {
    // Per thread, so tests running side by side do not count each other's allocations.
    static CURRENT: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = CURRENT.try_with(|current| {
            current.set(current.get() + layout.size());
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(current.get())));
        });
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = CURRENT.try_with(|current| current.set(current.get().saturating_sub(layout.size())));
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most bytes this thread held at once (above what it held before) while `f` ran.
fn peak_allocation<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = CURRENT.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let out = f();
    (out, PEAK.with(Cell::get) - before)
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Nested array headers, each declaring as many items as there are bytes left after it
/// (`99 01 fd 99 01 fa …` for 512 bytes): the reproducer of the memory amplification.
fn nested_array_headers(total: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(total);
    while out.len() + 3 <= total {
        let remaining = (total - out.len() - 3).min(0xffff) as u16;
        out.push(0x99);
        out.extend_from_slice(&remaining.to_be_bytes());
    }
    out.resize(total, 0x00);
    out
}

#[test]
fn nested_array_headers_start_like_the_reproducer() {
    assert_eq!(&nested_array_headers(512)[..6], &hex("9901fd9901fa")[..]);
}

#[test]
fn nested_declared_lengths_allocate_nothing_they_cannot_fill() {
    for size in [512, 16 << 10, 1 << 20] {
        let input = nested_array_headers(size);
        let (result, peak) = peak_allocation(|| dag_cbor_to_json(&input));
        assert_eq!(result.unwrap_err().kind, ErrorKind::CborDecode, "{} bytes", size);
        // Before the fix: 1.2 MiB for 512 bytes, 183 MiB for 16 KiB, a trap for 1 MiB.
        assert!(peak < 1 << 20, "{} bytes of input reserved {} bytes", size, peak);
        let (result, peak) = peak_allocation(|| block_links(CODEC_DAG_CBOR, &input));
        assert_eq!(result.unwrap_err().kind, ErrorKind::CborDecode);
        assert!(peak < 1 << 20, "links of {} bytes reserved {} bytes", size, peak);
    }
}

#[test]
fn nested_headers_in_a_car_header_are_a_format_error() {
    let mut car = hex("8004");
    car.extend(nested_array_headers(512));
    let (result, peak) = peak_allocation(|| parse_header(&car, true));
    assert_eq!(result.unwrap_err().kind, ErrorKind::CarFormat);
    assert!(peak < 1 << 20, "reserved {} bytes", peak);
}

#[test]
fn ten_byte_varint_in_a_section_cid_is_refused() {
    let car = hex(
        "11a265726f6f7473806776657273696f6e01 32 01d5808080808080808001 1220
         2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 68656c6c6f",
    );
    let header = parse_header(&car, true).unwrap().unwrap();
    let sections = &car[header.sections_start as usize..];
    let err = parse_sections(sections, true, &mut Vec::new()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::CarFormat, "{}", err);
    // A nine-byte varint is within multiformats, but 2^56 is past what JavaScript reads exactly.
    let nine = hex(
        "31 01d58080808080808001 1220
         2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 68656c6c6f",
    );
    assert_eq!(parse_sections(&nine, true, &mut Vec::new()).unwrap_err().kind, ErrorKind::CarFormat);
    // The same block as a plain raw CID is read.
    let ok = hex(
        "29 01551220
         2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 68656c6c6f",
    );
    assert_eq!(parse_sections(&ok, true, &mut Vec::new()).unwrap(), ok.len());
}

#[test]
fn ten_byte_varints_are_refused_in_cids_of_every_codec() {
    // dag-cbor: tag 42 around 0x00 + a CID whose codec varint has ten bytes.
    let cbor = hex("d82a 4f 00 01d5808080808080808001 1200 00");
    let cbor = &cbor[..cbor.len() - 1];
    assert_eq!(dag_cbor_to_json(cbor).unwrap_err().kind, ErrorKind::CborDecode);
    // dag-pb: a link whose Hash has the same CID.
    let pb = hex("1210 0a0e 01d5808080808080808001 1200 ");
    assert_eq!(dag_pb_to_json(&pb).unwrap_err().kind, ErrorKind::PbDecode);
    assert_eq!(block_links(CODEC_DAG_PB, &pb).unwrap_err().kind, ErrorKind::PbDecode);
}

/// A CARv2 around a CARv1 whose header is `{"roots":[],"version":1}` (18 bytes with its
/// length prefix), with the data size given.
fn carv2(data_size: u64, index_offset: u64) -> Vec<u8> {
    let inner = hex("11a265726f6f7473806776657273696f6e01");
    let mut car = hex("0aa16776657273696f6e02");
    car.extend_from_slice(&[0u8; 16]);
    car.extend_from_slice(&51u64.to_le_bytes());
    car.extend_from_slice(&data_size.to_le_bytes());
    car.extend_from_slice(&index_offset.to_le_bytes());
    car.extend(inner);
    car
}

#[test]
fn carv2_data_size_must_cover_the_inner_header() {
    let whole = carv2(18, 0);
    let header = parse_header(&whole, true).unwrap().unwrap();
    assert_eq!((header.version, header.sections_start, header.sections_end), (2, 69, Some(69)));
    for size in [0, 1, 5, 17] {
        let err = parse_header(&carv2(size, 0), true).unwrap_err();
        assert_eq!(err.kind, ErrorKind::CarFormat, "data size {}: {}", size, err);
        // Also when the bytes arrive in pieces.
        let err = parse_header(&carv2(size, 0), false).unwrap_err();
        assert_eq!(err.kind, ErrorKind::CarFormat, "data size {} (streaming): {}", size, err);
    }
}

#[test]
fn carv2_index_offset_must_follow_the_payload() {
    assert!(parse_header(&carv2(18, 69), true).is_ok());
    assert_eq!(parse_header(&carv2(18, 60), true).unwrap_err().kind, ErrorKind::CarFormat);
    assert_eq!(parse_header(&carv2(u64::MAX, 0), true).unwrap_err().kind, ErrorKind::CarFormat);
}

#[test]
fn reserved_maps_are_not_written_as_dag_json() {
    // {"/": "\u0000"} and {"/": "bafkqaaa"} (a string that would read back as a link).
    for h in ["a1612f6100", "a1612f686261666b71616161", "a2612f6100616101", "a1612fa165627974657360", "a1612fa2617a0165627974657360"] {
        let err = dag_cbor_to_json(&hex(h)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::JsonEncode, "{}", h);
    }
    // Keys that sort before "/" take the map out of the reserved namespace.
    assert_eq!(dag_cbor_to_json(&hex("a26001612f6100")).unwrap(), "{\"\":1,\"/\":\"\\u0000\"}");
}

#[test]
fn valid_dag_json_forms_near_the_reserved_namespace_are_accepted() {
    for text in ["{\"/\":{\"a\":1,\"bytes\":\"\"}}", "{\"\":1,\"/\":\"\"}", "{\"/\":{\"bytes\":1}}", "{\"/\":true,\"a\":1}"] {
        let cbor = dag_json_to_cbor(text).unwrap_or_else(|e| panic!("{}: {}", text, e));
        assert_eq!(dag_cbor_to_json(&cbor).unwrap(), text);
    }
    let cbor = hex("a1612fa26100006562797465736100");
    let text = dag_cbor_to_json(&cbor).unwrap();
    assert_eq!(text, "{\"/\":{\"\\u0000\":0,\"bytes\":\"\\u0000\"}}");
    assert_eq!(dag_json_to_cbor(&text).unwrap(), cbor);
}

#[test]
fn reserved_forms_are_judged_by_key_order_not_text_order() {
    // "/" sorts before "a", so these are a link with a sibling, whatever order the text uses.
    assert_eq!(dag_json_to_cbor("{\"a\":1,\"/\":\"bafkqaaa\"}").unwrap_err().kind, ErrorKind::JsonParse);
    assert_eq!(dag_json_to_cbor("{\"/\":{\"x\":1,\"bytes\":\"AA\"}}").unwrap_err().kind, ErrorKind::JsonParse);
    // Found by the fuzzer: "b" sorts before "bytes", so this is an ordinary map, whatever the
    // text's order (@ipld/dag-json, reading by text order, refuses it).
    let cbor = dag_json_to_cbor("{\"/\":{\"bytes\":\"AA\",\"b\":[]}}").unwrap();
    assert_eq!(dag_cbor_to_json(&cbor).unwrap(), "{\"/\":{\"b\":[],\"bytes\":\"AA\"}}");
}

#[test]
fn links_only_in_the_spec_forms() {
    let v1 = "bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe";
    assert!(dag_json_to_cbor(&format!("{{\"/\":\"{}\"}}", v1)).is_ok());
    assert!(dag_json_to_cbor("{\"/\":\"QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY\"}").is_ok());
    for text in [
        "BAFYREIHDB57FDYSX5H35URVXZ64ROS7ZVYWSHBER7ID6T6C6FEK37JGYFE",
        "zdpuB1hnjR3a9tddQXkimByhqg1Ua6A9ARVUtbtYqPrtFgYHN",
        "k2jvslb1smm8a79y4lbqya79rvwzy5sfy016d3i8phxvbfftmzplkz6x",
        "K2JVSLB1SMM8A79Y4LBQYA79RVWZY5SFY016D3I8PHXVBFFTMZPLKZ6X",
        "f01711220e30f7e51e257e9f7da46b7cfb9174bf9ae2d238491fa07e9f85e2915bfa4d829",
        "F01711220E30F7E51E257E9F7DA46B7CFB9174BF9AE2D238491FA07E9F85E2915BFA4D829",
        "mAXESIOMPflHiV+n32ka3z7kXS/muLSOEkfoH6fheKRW/pNgp",
        "uAXESIOMPflHiV-n32ka3z7kXS_muLSOEkfoH6fheKRW_pNgp",
        "bciqcfllddru65gbqsw23rlgqfh7zjl7r3rwera3ypbmjvevzbx7kgfy",
        "zQmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY",
    ] {
        let err = dag_json_to_cbor(&format!("{{\"/\":\"{}\"}}", text)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::JsonParse, "{}", text);
    }
}

#[test]
fn a_long_base58_string_is_refused_at_once() {
    let text = format!("{{\"/\":\"Q{}\"}}", "m".repeat(1 << 20));
    assert_eq!(dag_json_to_cbor(&text).unwrap_err().kind, ErrorKind::JsonParse);
}

#[test]
fn dag_pb_with_data_before_links_is_read() {
    let mut block = hex("0a00 1226 0a24 01000020");
    block.extend_from_slice(&[0u8; 32]);
    let links = block_links(CODEC_DAG_PB, &block).unwrap();
    assert_eq!(links.len(), 1);
    assert!(dag_pb_to_json(&block).unwrap().starts_with("{\"Data\":{\"/\":{\"bytes\":\"\"}},\"Links\":[{\"Hash\":"));
}

/// A small deterministic generator (xorshift64*), so failures reproduce from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Property: a CBOR head declaring any length, followed by fewer bytes than declared, is a
/// decode error and reserves memory in proportion to the input, never to the declaration.
#[test]
fn property_declared_lengths_beyond_the_input_are_errors() {
    let mut rng = Rng(0x5eed_cafe);
    for _ in 0..5_000 {
        let major = [2u8, 3, 4, 5][rng.below(4) as usize];
        let declared = rng.next() >> rng.below(64);
        let mut input = vec![(major << 5) | 27];
        input.extend_from_slice(&declared.to_be_bytes());
        let filler = rng.below(64) as usize;
        input.extend((0..filler).map(|_| rng.below(256) as u8));
        if declared <= filler as u64 {
            continue;
        }
        let (result, peak) = peak_allocation(|| dag_cbor_to_json(&input));
        assert!(result.is_err(), "{:02x?}", input);
        assert!(peak < 64 << 10, "{:02x?} reserved {} bytes", input, peak);
    }
}

/// Property: every truncation of valid blocks and CARs is refused with an error, never a
/// panic (a panic is a trap in WebAssembly).
#[test]
fn property_every_truncation_is_an_error() {
    let cbor = dag_json_to_cbor("{\"a\":[1,2.5,{\"/\":\"bafkqaaa\"}],\"b\":{\"/\":{\"bytes\":\"AQID\"}},\"c\":\"text\"}").unwrap();
    for end in 0..cbor.len() {
        assert_eq!(dag_cbor_to_json(&cbor[..end]).unwrap_err().kind, ErrorKind::CborDecode);
    }
    let mut block = hex("1226 0a24 01000020");
    block.extend_from_slice(&[0u8; 32]);
    block.extend(hex("0a03 010203"));
    let link_end = 40;
    for end in (1..block.len()).filter(|&end| end != link_end) {
        assert!(dag_pb_to_json(&block[..end]).is_err(), "{}", end);
    }
    let data = b"hello";
    let mut section = vec![0x01, 0x55, 0x12, 0x20];
    section.extend_from_slice(&sha256(data));
    section.extend_from_slice(data);
    let mut car = hex("11a265726f6f7473806776657273696f6e01");
    car.push(section.len() as u8);
    car.extend(section);
    for end in 0..car.len() {
        let piece = &car[..end];
        if let Ok(Some(header)) = parse_header(piece, true) {
            let err = parse_sections(&piece[header.sections_start as usize..], true, &mut Vec::new());
            assert!(err.is_err() || end == car.len() || header.sections_start as usize == end, "{}", end);
        }
    }
}

/// Property: random mutations of a valid block never panic, and whatever is accepted
/// converts back to the same bytes.
#[test]
fn property_mutations_never_panic_and_accepted_blocks_round_trip() {
    let seed = dag_json_to_cbor("{\"a\":[1,-2,3.5,null,true],\"bb\":{\"/\":\"bafkqaaa\"},\"c\":{\"/\":{\"bytes\":\"AQID\"}},\"dd\":\"é\"}").unwrap();
    let mut rng = Rng(0xfeed_beef);
    for _ in 0..20_000 {
        let mut input = seed.clone();
        for _ in 0..=rng.below(4) {
            let at = rng.below(input.len() as u64) as usize;
            match rng.below(3) {
                0 => input[at] = rng.below(256) as u8,
                1 => input.insert(at, rng.below(256) as u8),
                _ => {
                    input.remove(at);
                }
            }
            if input.is_empty() {
                break;
            }
        }
        if let Ok(text) = dag_cbor_to_json(&input) {
            assert_eq!(dag_json_to_cbor(&text).unwrap(), input, "{}", text);
        }
        let _ = block_links(CODEC_DAG_CBOR, &input);
    }
}
