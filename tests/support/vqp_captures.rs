//! `captures/dissect_vqp.pcap`: VQP messages built by hand on UDP port
//! 1589 (Debian has no VMPS server or client): every message type and
//! error code tcpdump names and ones past its tables, versions other than
//! 1, every object type with its value (addresses, names with a NUL and
//! unprintable bytes, MACs, objects tcpdump does not name), lengths the
//! type does not allow, a zero type or length, item counts short of and
//! past the objects, datagrams shorter than the header, replies from the
//! port; the first cut at every length; then seeded damaged copies.
//! `tests/dissect_vqp.rs` compares `sockscope read` with `tcpdump -n -r`
//! on it.

use super::app_captures::udp_port_capture;

pub const PORT: u16 = 1589;

/// The header: version, type, error code, item count, sequence number.
pub fn header(version: u8, kind: u8, code: u8, items: u8, seq: u32) -> Vec<u8> {
    let mut m = vec![version, kind, code, items];
    m.extend_from_slice(&seq.to_be_bytes());
    m
}

/// An object: 32-bit type, 16-bit length, value.
pub fn object(t: u32, value: &[u8]) -> Vec<u8> {
    let mut o = t.to_be_bytes().to_vec();
    o.extend_from_slice(&(value.len() as u16).to_be_bytes());
    o.extend_from_slice(value);
    o
}

/// A message of `objects` whose header counts `items`.
pub fn message(kind: u8, code: u8, items: u8, objects: &[Vec<u8>]) -> Vec<u8> {
    let mut m = header(1, kind, code, items, 0x0000_1234);
    m.extend(objects.concat());
    m
}

/// One of each object type, tcpdump's and others.
pub fn every_object() -> Vec<Vec<u8>> {
    vec![
        object(0x0c01, &[10, 1, 2, 3]),
        object(0x0c02, b"Fa0/1"),
        object(0x0c03, b"engineering\0junk"),
        object(0x0c04, b"dom\x01\x7f\xff\x80"),
        object(0x0c05, &[0x01, 0x02, b'a', 0x00, 0x05]),
        object(0x0c06, &[0; 6]),
        object(0x0c08, &[0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc]),
        object(0x0c07, b"abcdefghijklmnopqrstu"),
        object(0xffff_ffff, &[0xde, 0xad]),
    ]
}

/// Every hand-built message, to port 1589.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let objects = every_object();
    let mut v = vec![message(1, 0, objects.len() as u8, &objects)];
    for kind in [0u8, 1, 2, 3, 4, 5, 0x80, 0xff] {
        v.push(message(kind, 0, 0, &[]));
    }
    for code in [0u8, 1, 2, 3, 4, 5, 6, 0x7f, 0xff] {
        v.push(message(2, code, 1, &[object(0x0c03, b"vlan10")]));
    }
    for version in [0u8, 2, 0xff] {
        v.push(header(version, 1, 0, 0, 7));
    }
    for (t, value) in [
        (0x0c01u32, &[10u8, 0, 0][..]),
        (0x0c01, &[10, 0, 0, 1, 2]),
        (0x0c06, &[1, 2, 3, 4, 5]),
        (0x0c08, &[1, 2, 3, 4, 5, 6, 7]),
    ] {
        // An object of a length its type does not allow, then one more.
        v.push(message(1, 0, 2, &[object(t, value), object(0x0c02, b"x")]));
    }
    v.push(message(1, 0, 2, &[object(0, b"ab"), object(0x0c02, b"x")]));
    v.push(message(
        1,
        0,
        2,
        &[object(0x0c02, b""), object(0x0c02, b"x")],
    ));
    // Fewer items than objects, more items than objects, zero items.
    v.push(message(1, 0, 1, &objects[..3]));
    v.push(message(1, 0, 9, &objects[..2]));
    v.push(message(3, 0, 0, &objects[..2]));
    // An object longer than the datagram, a header cut by the datagram.
    let mut long = message(1, 0, 1, &[object(0x0c02, b"abcdef")]);
    long.truncate(long.len() - 2);
    v.push(long);
    v.push(message(1, 0, 2, &[object(0x0c02, b"ab")])[..12].to_vec());
    // A long name and a long unknown object.
    v.push(message(
        1,
        0,
        2,
        &[object(0x0c02, &[b'p'; 300]), object(0x0c09, &[0x5a; 70])],
    ));
    for len in 0..8 {
        v.push(header(1, 1, 0, 0, 1)[..len].to_vec());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, some from it, one cut at
/// every length, then `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(PORT, &messages(), 9..12, 0, (0x0591_0000_0000_0001, n))
}
