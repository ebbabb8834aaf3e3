//! The few protobuf writing primitives DAG-PB and UnixFS need (proto2, canonical order).

/// Bytes a protobuf varint of `value` takes.
pub fn varint_len(mut value: u64) -> usize {
    let mut n = 1;
    while value >= 0x80 {
        value >>= 7;
        n += 1;
    }
    n
}

/// Appends `value` as a protobuf varint.
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends a varint field (wire type 0).
pub fn put_varint_field(out: &mut Vec<u8>, field: u64, value: u64) {
    put_varint(out, field << 3);
    put_varint(out, value);
}

/// Appends a length-delimited field (wire type 2).
pub fn put_bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    put_varint(out, (field << 3) | 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Bytes a length-delimited field of `len` bytes takes (fields 1 to 15).
pub fn bytes_field_len(len: usize) -> usize {
    1 + varint_len(len as u64) + len
}
