//! `captures/dissect_lmp.pcap`: LMP messages (RFC 4204, OIF UNI 1.0's
//! service discovery) built by hand on UDP port 701 (Debian has no LMP
//! speaker): every message type and some past tcpdump's table, header
//! flags, versions, LMP lengths short, long and cutting an object; every
//! object class tcpdump names with every C-type 0 to 7 at the size the
//! C-type wants and at a wrong one, negotiable or not; unknown classes;
//! objects of lengths under 4, not a multiple of 4, past the message;
//! data links with each subobject (bandwidths as IEEE floats, lengths too
//! short, odd, past the object), channel status words, verify begin's
//! flags, mechanisms and rates, error codes, the service configuration's
//! link and signal types; messages under the 8-byte header; each message
//! cut at every length in a temporary capture; then seeded damaged
//! copies. `tests/dissect_lmp.rs` compares `sockscope read` with
//! `tcpdump -n -r` on both.

use super::app_captures::udp_port_capture;

pub const PORT: u16 = 701;

/// An object: the N bit and C-type byte, the class, the length (its
/// header and `body`), `body`.
pub fn object(ctype: u8, class: u8, body: &[u8]) -> Vec<u8> {
    let mut o = vec![ctype, class];
    o.extend_from_slice(&((body.len() + 4) as u16).to_be_bytes());
    o.extend_from_slice(body);
    o
}

/// A message: version 1, `flags`, type `t`, its length, the objects.
pub fn message(t: u8, flags: u8, objects: &[Vec<u8>]) -> Vec<u8> {
    let body = objects.concat();
    let mut m = vec![0x10, 0, flags, t];
    m.extend_from_slice(&((body.len() + 8) as u16).to_be_bytes());
    m.extend_from_slice(&[0, 0]);
    m.extend(body);
    m
}

/// `n` bytes of a pattern that differs from object to object.
fn pattern(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(37).wrapping_add(seed))
        .collect()
}

/// The body size a class and C-type want (`None`: tcpdump dumps it).
fn size(class: u8, ctype: u8) -> Option<usize> {
    Some(match (class, ctype) {
        (1 | 2 | 5 | 20, 1 | 2) => 4,
        (3 | 4, 1 | 2 | 5 | 6) => 4,
        (3 | 4, 3 | 4) => 16,
        (6 | 9 | 10, 1) => 4,
        (7, 1) => 8,
        (8, 1) => 20,
        (11 | 12, 1 | 3) => 12,
        (11 | 12, 2) => 36,
        (13, 1 | 3) => 16,
        (13, 2) => 40,
        (14, 1 | 3) => 8,
        (14, 2) => 32,
        (51, 1 | 4) => 4,
        (51, 2) => 16,
        (51, 3) => 8,
        _ => return None,
    })
}

/// A float of bytes per second, as its bits.
fn rate(bytes_per_second: f32) -> [u8; 4] {
    bytes_per_second.to_bits().to_be_bytes()
}

/// A data link subobject: type, length, body.
fn subobject(t: u8, len: u8, body: &[u8]) -> Vec<u8> {
    [vec![t, len], body.to_vec()].concat()
}

/// Every hand-built message, to port 701.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let cc = object(0x01, 1, &[0, 0, 0, 7]);
    let mut v = Vec::new();
    for t in (0u8..=22).chain([50, 51, 52, 53, 255]) {
        v.push(message(t, 0, std::slice::from_ref(&cc)));
    }
    for flags in [1u8, 2, 3, 0x80, 0xff] {
        v.push(message(4, flags, std::slice::from_ref(&cc)));
    }
    for version in [0u8, 0x2f, 0xf0] {
        let mut m = message(1, 0, std::slice::from_ref(&cc));
        m[0] = version;
        v.push(m);
    }
    // Classes and C-types: the wanted size and a wrong one.
    let classes = [1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 20, 51];
    for class in classes {
        let mut objects = Vec::new();
        for ctype in 0u8..8 {
            let n = size(class, ctype).unwrap_or(8);
            let n_bit = if ctype % 2 == 0 { 0x80 } else { 0 };
            objects.push(object(n_bit | ctype, class, &pattern(n, class + ctype)));
        }
        v.push(message(1, 0, &objects));
        let wrong: Vec<Vec<u8>> = (1u8..5)
            .filter_map(|ctype| size(class, ctype).map(|n| (ctype, n)))
            .map(|(ctype, n)| object(ctype, class, &pattern(n + 4, ctype)))
            .collect();
        if !wrong.is_empty() {
            v.push(message(1, 0, &wrong));
        }
        let short: Vec<Vec<u8>> = (1u8..5)
            .filter_map(|ctype| size(class, ctype).filter(|&n| n >= 8).map(|n| (ctype, n)))
            .map(|(ctype, n)| object(ctype, class, &pattern(n - 4, ctype)))
            .collect();
        if !short.is_empty() {
            v.push(message(1, 0, &short));
        }
    }
    for class in [0u8, 15, 21, 50, 52, 255] {
        v.push(message(1, 0, &[object(1, class, &pattern(12, class))]));
    }
    // Object lengths under 4, not a multiple of 4, past the message.
    for len in [0u16, 2, 6, 13, 0x40] {
        let mut o = object(1, 1, &[0, 0, 0, 7]);
        o[2..4].copy_from_slice(&len.to_be_bytes());
        v.push(message(1, 0, &[cc.clone(), o]));
    }
    // LMP lengths: under the header, past the datagram, cutting an object.
    for len in [0u16, 4, 8, 12, 20, 0x100] {
        let mut m = message(1, 0, &[cc.clone(), cc.clone()]);
        m[4..6].copy_from_slice(&len.to_be_bytes());
        v.push(m);
    }
    // Data link subobjects.
    let gig = [
        [1u8, 2, 150, 8].to_vec(),
        rate(125_000_000.0).to_vec(),
        rate(1.5).to_vec(),
    ]
    .concat();
    let data_link = |subs: &[Vec<u8>]| {
        let body = [pattern(12, 3), subs.concat()].concat();
        message(14, 0, &[object(1, 12, &body)])
    };
    v.push(data_link(&[
        subobject(1, 12, &gig[2..]),
        subobject(2, 8, &[0, 0, 0, 0, 0, 0, 5, 0xdc]),
    ]));
    v.push(data_link(&[subobject(
        1,
        12,
        &[200, 1, 0x7f, 0xc0, 0, 0, 0xff, 0x80, 0, 0],
    )]));
    v.push(data_link(&[subobject(
        1,
        12,
        &[51, 99, 0x4e, 0x6e, 0x6b, 0x28, 0x80, 0, 0, 1],
    )]));
    v.push(data_link(&[
        subobject(3, 4, &[1, 2]),
        subobject(2, 8, &[0; 6]),
    ]));
    v.push(data_link(&[subobject(2, 2, &[1, 2])]));
    v.push(data_link(&[subobject(2, 6, &[1, 2, 3, 4])]));
    v.push(data_link(&[subobject(2, 16, &[1, 2, 3, 4, 5, 6])]));
    v.push(data_link(&[
        subobject(1, 4, &[1, 1]),
        subobject(2, 8, &[0, 0, 0, 0, 0, 0, 0, 9]),
    ]));
    v.push(data_link(&[subobject(1, 4, &[1, 1])]));
    let ipv6_link = [pattern(36, 9), subobject(2, 8, &[0, 0, 0, 0, 0, 0, 0, 1])].concat();
    v.push(message(14, 0, &[object(2, 12, &ipv6_link)]));
    // Channel status words and a partial entry.
    let mut status = Vec::new();
    for word in [0x8000_0001u32, 0x4000_0002, 0xc000_0003, 0x03ff_ffff, 0, 4] {
        status.extend_from_slice(&[10, 0, 0, 9]);
        status.extend_from_slice(&word.to_be_bytes());
    }
    status.extend_from_slice(&[10, 0, 0, 9]);
    v.push(message(17, 0, &[object(1, 13, &status)]));
    v.push(message(
        19,
        0,
        &[object(3, 14, &[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])],
    ));
    // Verify Begin: flags, mechanisms, rates.
    for (flags, mech, r) in [
        (0u16, 0u16, 0.0f32),
        (1, 0x8000, 1.25e9),
        (2, 0x1f40, f32::INFINITY),
        (3, 0xffff, f32::NAN),
        (0xfffc, 0x0040, -2.0e-3),
    ] {
        let mut b = flags.to_be_bytes().to_vec();
        b.extend_from_slice(&[0, 10, 0, 0, 0, 3, 5, 0]);
        b.extend_from_slice(&mech.to_be_bytes());
        b.extend_from_slice(&rate(r));
        b.extend_from_slice(&[0, 0, 6, 0x40]);
        v.push(message(5, 0, &[object(1, 8, &b)]));
    }
    for bits in [0u32, 1, 0x1f, 0x3f, 0xffff_ffff] {
        let e = bits.to_be_bytes();
        v.push(message(16, 0, &[object(1, 20, &e), object(2, 20, &e)]));
    }
    // Service configuration: link and signal types, flags.
    for (link, signal) in [(5u8, 5u8), (5, 12), (5, 13), (6, 6), (6, 0), (7, 5)] {
        let mut b = vec![link, signal, 7, 1, 0, 1, 0, 64, 0, 2, 0, 3];
        b.extend_from_slice(&[192, 0, 2, 77]);
        v.push(message(50, 0, &[object(2, 51, &b)]));
    }
    v.push(message(
        50,
        0,
        &[
            object(1, 51, &[3, 1, 0, 0]),
            object(3, 51, &[0, 0, 0, 3, 0, 0, 0, 1]),
            object(4, 51, &[0, 0, 0, 7]),
        ],
    ));
    for len in 0..8 {
        v.push(message(1, 0, &[])[..len].to_vec());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, three from it, then `n`
/// damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(
        PORT,
        &messages(),
        0..3,
        usize::MAX,
        (0x0701_0000_0000_0001, n),
    )
}
