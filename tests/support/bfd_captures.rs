//! `captures/dissect_bfd.pcap`: BFD control packets built by hand to the
//! single-hop, multihop and LAG ports (every state, diagnostic and flag,
//! version 0's flags, unknown versions, discriminators and intervals up to
//! the largest, each authentication type with right and wrong lengths),
//! echo packets, replies from the BFD port (plain UDP to tcpdump), short
//! and cut packets, then seeded damaged copies. `tests/dissect_routing.rs`
//! compares `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{Frame, capture as write, damaged, udp, udp_cut};

pub const PORT: u16 = 3784;
pub const MULTIHOP_PORT: u16 = 4784;
pub const LAG_PORT: u16 = 6784;
pub const ECHO_PORT: u16 = 3785;

/// A control packet: version and diagnostic, state and flags, multiplier,
/// the length field, then discriminators and intervals (µs).
fn control(version: u8, diag: u8, state_flags: u8, mult: u8, tail: &[u8]) -> Vec<u8> {
    let mut m = vec![
        version << 5 | diag,
        state_flags,
        mult,
        (24 + tail.len()) as u8,
    ];
    for n in [1u32, 2, 300_000, 300_000, 50_000] {
        m.extend_from_slice(&n.to_be_bytes());
    }
    m.extend_from_slice(tail);
    m
}

/// An authentication section of `kind`, its length field `len`, key id 5,
/// then `rest`.
fn auth(kind: u8, len: u8, rest: &[u8]) -> Vec<u8> {
    [&[kind, len, 5][..], rest].concat()
}

/// Every hand-built control packet (to port 3784 unless said).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = Vec::new();
    let mut add = |port, m: Vec<u8>| v.push((true, port, m));
    for state in 0..4u8 {
        add(PORT, control(1, 0, state << 6, 3, &[]));
    }
    for diag in 0..32u8 {
        add(PORT, control(1, diag, 0xc0, 3, &[]));
    }
    for flags in [0x20u8, 0x10, 0x08, 0x02, 0x01, 0x3b] {
        add(PORT, control(1, 0, 0xc0 | flags, 3, &[]));
    }
    for b1 in [0x80u8, 0x40, 0x21, 0x18, 0x02] {
        add(PORT, control(0, 1, b1, 3, &[]));
    }
    for version in [2u8, 3, 7] {
        add(PORT, control(version, 0, 0xc0, 3, &[]));
    }
    add(MULTIHOP_PORT, control(1, 0, 0xc0, 5, &[]));
    add(LAG_PORT, control(1, 0, 0x80, 3, &[]));
    add(PORT, control(1, 0, 0xc0, 0, &[]));
    let mut big = control(1, 7, 0xff, 255, &[]);
    big[4..24].fill(0xff);
    add(PORT, big);
    let seq = 77u32.to_be_bytes();
    for (kind, len, rest) in [
        (1u8, 7u8, b"\0abcd".to_vec()),
        (1, 4, vec![0, 0xff]),
        (1, 19, [&[0][..], &[b'p'; 16]].concat()),
        (1, 20, [&[0][..], &[b'p'; 17]].concat()),
        (1, 3, vec![0]),
        (2, 24, [&[0][..], &seq, b"0123456789abcdef"].concat()),
        (3, 24, [&[0][..], &seq, b"0123456789abcdef"].concat()),
        (2, 20, [&[0][..], &seq, b"0123456789ab"].concat()),
        (4, 28, [&[0][..], &seq, b"0123456789abcdefghij"].concat()),
        (5, 28, [&[0][..], &seq, b"0123456789abcdefghij"].concat()),
        (4, 24, [&[0][..], &seq, b"0123456789abcdef"].concat()),
        (0, 8, b"\0abcd".to_vec()),
        (9, 8, b"\0abcd".to_vec()),
        (2, 24, [&[0][..], &seq, b"0123"].concat()),
        (1, 12, b"\0ab".to_vec()),
    ] {
        add(PORT, control(1, 0, 0xc4, 3, &auth(kind, len, &rest)));
    }
    add(PORT, control(1, 0, 0xc4, 3, &[1, 7]));
    add(PORT, control(0, 0, 0xff, 3, &[]));
    add(PORT, control(1, 0, 0xc0, 3, &[])[..20].to_vec());
    add(PORT, control(1, 0, 0xc0, 3, b"trailing"));
    add(ECHO_PORT, b"\x01\x02\x03\x04echo".to_vec());
    add(ECHO_PORT, Vec::new());
    v
}

/// The capture: each packet to its port, a few back from the BFD port
/// (tcpdump takes those as plain UDP), cuts, `n` damaged ones, then
/// versions 0, 2 and 7 to the multihop and LAG ports (tcpdump names the
/// port in version 1's lines only: the others say `Control`).
pub fn capture(n: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = messages
        .iter()
        .map(|(to_server, port, m)| udp(*to_server, 50001, *port, m))
        .collect();
    for (_, port, m) in messages.iter().take(3) {
        frames.push(udp(false, 50001, *port, m));
    }
    for (_, port, m) in messages.iter().rev().take(12) {
        for keep in [2, 10, 23, 26] {
            frames.push(udp_cut(true, 50002, *port, m, keep));
        }
    }
    frames.extend(damaged(0xbfd0_0000_0000_0001, &messages, n));
    for port in [MULTIHOP_PORT, LAG_PORT] {
        for (version, b1) in [(0u8, 0xc0u8), (0, 0x21), (2, 0xc0), (7, 0x40)] {
            frames.push(udp(true, 50003, port, &control(version, 3, b1, 3, &[])));
        }
    }
    write(&frames)
}
