//! `captures/dissect_ahcp.pcap`: AHCP messages built by hand on UDP port
//! 5359 (Debian has no ahcpd): every body type tcpdump names and two it
//! does not, a body holding every option (times at the epoch and the
//! last 32-bit second, lifetimes, IPv6 and IPv4 addresses and prefixes,
//! embedded-IPv4 IPv6 forms, options tcpdump does not decode), a wrong
//! magic byte, other versions, headers and bodies shorter than they say,
//! a must-be-zero byte set, bytes after the body, options of lengths their
//! type does not allow or longer than the body, a reply from the port;
//! the options' message cut at every length; then seeded damaged copies.
//! `tests/dissect_ahcp.rs` compares `sockscope read` with `tcpdump -n -r`
//! on it.

use super::app_captures::udp_port_capture;

pub const PORT: u16 = 5359;

/// The 24-byte header: magic 43, version, hop counts 3 and 4, a nonce,
/// source and destination ids.
pub fn header(magic: u8, version: u8) -> Vec<u8> {
    let mut m = vec![magic, version, 3, 4, 0xde, 0xad, 0xbe, 0xef];
    m.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
    m.extend_from_slice(&[0xff; 8]);
    m
}

/// A version 1 message: the header, then a body of `kind` whose length
/// field says `len` (the options' length when `None`).
pub fn message(kind: u8, mbz: u8, len: Option<u16>, options: &[u8]) -> Vec<u8> {
    let mut m = header(43, 1);
    let n = len.unwrap_or(options.len() as u16);
    m.extend_from_slice(&[kind, mbz]);
    m.extend_from_slice(&n.to_be_bytes());
    m.extend_from_slice(options);
    m
}

/// An option: number, length, value.
pub fn option(n: u8, value: &[u8]) -> Vec<u8> {
    [&[n, value.len() as u8][..], value].concat()
}

const V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
/// `::1.2.3.4` and `::ffff:10.0.0.1`, which inet_ntop writes dotted.
const V6_COMPAT: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
const V6_MAPPED: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1];

/// Every option tcpdump names, a pad and a mandatory marker, and two it
/// does not.
pub fn every_option() -> Vec<u8> {
    let mut o = vec![0, 1];
    for t in [1_600_000_000u32, 0, u32::MAX] {
        o.extend(option(2, &t.to_be_bytes()));
    }
    o.extend(option(3, &3600u32.to_be_bytes()));
    o.extend(option(4, &[V6, V6_COMPAT].concat()));
    o.extend(option(5, &[10, 0, 0, 1, 10, 0, 0, 2]));
    o.extend(option(6, &[&V6[..], &[64]].concat()));
    o.extend(option(7, &[10, 0, 0, 0, 8]));
    o.extend(option(8, &V6_MAPPED));
    o.extend(option(9, &[192, 0, 2, 7]));
    o.extend(option(10, &[&V6[..], &[48], &V6_COMPAT, &[128]].concat()));
    o.extend(option(11, &[10, 1, 0, 0, 16]));
    o.extend(option(12, &V6));
    o.extend(option(13, &V6));
    o.extend(option(14, b"ab"));
    o.extend(option(255, b""));
    o
}

/// Every hand-built message, to port 5359.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = vec![message(3, 0, None, &every_option())];
    for kind in [0u8, 1, 2, 4, 5, 6, 0xff] {
        v.push(message(kind, 0, None, &[]));
    }
    v.push([header(42, 1), vec![0, 0, 0, 0]].concat());
    v.push([header(43, 2), vec![0, 0, 0, 0]].concat());
    v.push(header(43, 0));
    v.push(b"+".to_vec());
    v.push(b"+\x01".to_vec());
    v.push(header(43, 1)[..20].to_vec());
    v.push(header(43, 1));
    v.push([header(43, 1), vec![0, 0]].concat());
    v.push(message(0, 7, None, &[]));
    v.push(message(0, 0, Some(10), &[]));
    v.push(
        [
            message(0, 0, None, &option(2, &[1, 2, 3])),
            b"trailing".to_vec(),
        ]
        .concat(),
    );
    for (n, value) in [
        (3u8, &[1u8, 2, 3, 4, 5][..]),
        (9, &[1, 2, 3, 4, 5]),
        (6, &V6),
        (11, &[10, 0, 0, 0]),
        (12, &[&V6[..], &V6[..4]].concat()),
    ] {
        v.push(message(0, 0, None, &option(n, value)));
    }
    // An option without its length, one longer than the body.
    v.push(message(0, 0, None, &[9]));
    v.push(message(0, 0, None, &[9, 9, 1]));
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, some from it, one cut at
/// every length, then `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(PORT, &messages(), 0..1, 0, (0x5359_0000_0000_0001, n))
}
