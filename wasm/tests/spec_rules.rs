//! Each strictness rule of DAG-CBOR, DAG-JSON and DAG-PB, with an input that breaks it.

use cairn_hotpath::error::ErrorKind;
use cairn_hotpath::{block_links, dag_cbor_to_json, dag_json_to_cbor, dag_pb_to_json, CODEC_DAG_CBOR};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn cbor_rejects(h: &str) {
    let err = dag_cbor_to_json(&hex(h)).expect_err(h);
    assert_eq!(err.kind, ErrorKind::CborDecode, "{}: {}", h, err);
}

#[test]
fn cbor_rejects_non_canonical_forms() {
    cbor_rejects("1817"); // 23 in two bytes
    cbor_rejects("190017"); // 23 in three bytes
    cbor_rejects("a2616201616102"); // keys out of order
    cbor_rejects("a26161016161"); // truncated
    cbor_rejects("a2616101616102"); // duplicate key
    cbor_rejects("a2626161016162"); // longer key before shorter
    cbor_rejects("9f01ff"); // indefinite list
    cbor_rejects("f7"); // undefined
    cbor_rejects("f93c00"); // float16
    cbor_rejects("fa3f800000"); // float32
    cbor_rejects("fb7ff8000000000000"); // NaN
    cbor_rejects("fb7ff0000000000000"); // Infinity
    cbor_rejects("c11a514b67b0"); // tag 1
    cbor_rejects("d82a4401711200"); // CID without 0x00 prefix
    cbor_rejects("a10102"); // integer key
    cbor_rejects("0101"); // trailing bytes
    cbor_rejects("62c328"); // invalid UTF-8
    cbor_rejects("f0"); // simple value 16
    cbor_rejects("9bffffffffffffffff"); // absurd list length
}

#[test]
fn cbor_accepts_full_integer_range() {
    assert_eq!(dag_cbor_to_json(&hex("1bffffffffffffffff")).unwrap(), "18446744073709551615");
    assert_eq!(dag_cbor_to_json(&hex("3bffffffffffffffff")).unwrap(), "-18446744073709551616");
    assert_eq!(dag_json_to_cbor("18446744073709551615").unwrap(), hex("1bffffffffffffffff"));
    assert_eq!(dag_json_to_cbor("-18446744073709551616").unwrap(), hex("3bffffffffffffffff"));
}

fn json_rejects(text: &str) {
    let err = dag_json_to_cbor(text).expect_err(text);
    assert_eq!(err.kind, ErrorKind::JsonParse, "{}: {}", text, err);
}

#[test]
fn json_rejects_invalid_text() {
    json_rejects("18446744073709551616");
    json_rejects("-18446744073709551617");
    json_rejects("NaN");
    json_rejects("Infinity");
    json_rejects("1e400");
    json_rejects("[1,]");
    json_rejects("{\"a\":1,\"a\":2}");
    json_rejects("01");
    json_rejects("1.");
    json_rejects("'a'");
    json_rejects("\"\\ud800\"");
    json_rejects("{\"/\":\"not a cid\"}");
    json_rejects("{\"/\":\"bafkqaaa\",\"x\":1}");
    json_rejects("{\"/\":{\"bytes\":\"!!\"}}");
    json_rejects("{\"/\":{\"bytes\":\"AQ\",\"x\":1}}");
    json_rejects("[1] [2]");
    json_rejects("");
}

#[test]
fn json_errors_carry_the_offset() {
    let err = dag_json_to_cbor("{\"a\": [1, 2,, 3]}").unwrap_err();
    assert_eq!(err.offset, Some(12));
}

#[test]
fn json_forms_round_trip() {
    let text = "{\"a\":{\"/\":{\"bytes\":\"AQID\"}},\"b\":1.5,\"c\":{\"/\":\"bafkqaaa\"},\"l\":[null,true,-3]}";
    let cbor = dag_json_to_cbor(text).unwrap();
    assert_eq!(dag_cbor_to_json(&cbor).unwrap(), text);
    assert_eq!(block_links(CODEC_DAG_CBOR, &cbor).unwrap().len(), 1);
}

#[test]
fn json_sorts_keys_and_keeps_reserved_lookalikes_as_maps() {
    let cbor = dag_json_to_cbor("{\"bb\":1,\"a\":2,\"/\":3}").unwrap();
    assert_eq!(dag_cbor_to_json(&cbor).unwrap(), "{\"/\":3,\"a\":2,\"bb\":1}");
}

#[test]
fn pb_accepts_data_before_links_but_not_interleaved() {
    // Data (field 1) followed by a link (field 2): the spec asks decoders to accept this order.
    let block = hex("0a0100120c0a08015500040102030412 00".replace(' ', "").as_str());
    assert_eq!(dag_pb_to_json(&block).unwrap(), "{\"Data\":{\"/\":{\"bytes\":\"AA\"}},\"Links\":[{\"Hash\":{\"/\":\"bafkqababaibqi\"},\"Name\":\"\"}]}");
    // Links, Data, Links: the Links are split.
    let split = hex("120c0a080155000401020304120 0 0a0100 120c0a080155000401020304120 0".replace(' ', "").as_str());
    assert_eq!(dag_pb_to_json(&split).unwrap_err().kind, ErrorKind::PbDecode);
}
