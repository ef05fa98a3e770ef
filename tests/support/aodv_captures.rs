//! `captures/dissect_aodv.pcap`: AODV messages built by hand on UDP port
//! 654 (Debian has no AODV daemon), each over IPv4 and over IPv6 (where
//! tcpdump reads requests, replies and errors with IPv6 addresses): route
//! requests and replies with every type-byte flag tcpdump tests, Hello
//! extensions of good and bad lengths and other extensions, errors with
//! no, one and several destinations (and more counted than sent), reply
//! acknowledgements, the IPv6 draft's types 16 to 19, unknown types,
//! messages short of their fixed part; replies from the port; then seeded
//! damaged copies. In a temporary capture each message is cut at every
//! length. `tests/dissect_aodv.rs` compares `sockscope read` with
//! `tcpdump -n -r` on both.

use super::app_captures::{both_ip_capture, both_ip_cuts, udp_over};

pub const PORT: u16 = 654;

const V4: [[u8; 4]; 2] = [[10, 0, 0, 1], [10, 0, 0, 2]];

fn v6(last: u8) -> Vec<u8> {
    let mut a = vec![0x20, 1, 0xd, 0xb8];
    a.resize(15, 0);
    a.push(last);
    a
}

/// A request: type, flags, hop count, id, destination and its sequence,
/// originator and its sequence (addresses of either family).
pub fn request(t: u8, flags: u8, dst: &[u8], src: &[u8]) -> Vec<u8> {
    let mut m = vec![t, flags, 0, 3, 0, 0, 0x12, 0x34];
    m.extend_from_slice(dst);
    m.extend_from_slice(&5u32.to_be_bytes());
    m.extend_from_slice(src);
    m.extend_from_slice(&6u32.to_be_bytes());
    m
}

/// A reply: type, flags, prefix size, hops, destination, its sequence,
/// originator, lifetime.
pub fn reply(t: u8, flags: u8, prefix: u8, dst: &[u8], src: &[u8]) -> Vec<u8> {
    let mut m = vec![t, flags, prefix, 4];
    m.extend_from_slice(dst);
    m.extend_from_slice(&7u32.to_be_bytes());
    m.extend_from_slice(src);
    m.extend_from_slice(&3000u32.to_be_bytes());
    m
}

/// An error: type, flags, the count it claims, the destinations sent.
pub fn error(t: u8, flags: u8, count: u8, dests: &[Vec<u8>]) -> Vec<u8> {
    let mut m = vec![t, flags, 0, count];
    for (i, d) in dests.iter().enumerate() {
        m.extend_from_slice(d);
        m.extend_from_slice(&(9 + i as u32).to_be_bytes());
    }
    m
}

/// The extensions after a request or reply.
fn extensions() -> Vec<Vec<u8>> {
    vec![
        vec![],
        vec![1, 4, 0, 0, 0, 100],
        vec![1, 4, 0xff, 0xff, 0xff, 0xff, 0xaa],
        vec![1, 2, 0, 0, 0, 100],
        vec![1, 0, 0, 0, 0, 0],
        vec![1, 4, 0, 0],
        vec![7, 3, 1, 2, 3],
        vec![0, 0],
        vec![1],
    ]
}

/// Every hand-built message (each goes over both IP versions).
pub fn messages() -> Vec<Vec<u8>> {
    let (a4, b4) = (V4[0].to_vec(), V4[1].to_vec());
    let (a6, b6) = (v6(0x11), v6(0x22));
    let mut v = Vec::new();
    for ext in extensions() {
        v.push([request(1, 0xf8, &a4, &b4), ext.clone()].concat());
        v.push([reply(2, 0xc0, 0xff, &a4, &b4), ext.clone()].concat());
        v.push([request(1, 0, &a6, &b6), ext.clone()].concat());
        v.push([reply(2, 0, 0x1f, &a6, &b6), ext.clone()].concat());
    }
    // The draft's request puts the sequence numbers before the addresses;
    // its types carry flags tcpdump reads from the type byte.
    let mut draft = vec![16, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0, 5, 0, 0, 0, 6];
    draft.extend(a6.iter().chain(&b6));
    v.push(draft.clone());
    v.push([draft.clone(), vec![1, 4, 0, 0, 1, 0]].concat());
    let mut draft_reply = vec![17, 0x40, 8, 1, 0, 0, 0, 7];
    draft_reply.extend(a6.iter().chain(&b6));
    draft_reply.extend_from_slice(&60u32.to_be_bytes());
    v.push(draft_reply);
    for t in [0x81u8, 0xc1, 0x41, 0x21, 0x09, 0x82, 0x42] {
        v.push(request(t, 0, &a4, &b4));
    }
    for (count, dests) in [
        (0u8, vec![]),
        (1, vec![a4.clone()]),
        (2, vec![a4.clone(), b4.clone()]),
        (3, vec![a4.clone()]),
        (1, vec![a6.clone()]),
        (2, vec![a6.clone(), b6.clone()]),
    ] {
        v.push(error(3, 0x80, count, &dests));
        v.push(error(3, 0, count, &dests));
        v.push(error(18, 0x80, count, &dests));
    }
    for m in [
        vec![4, 0],
        vec![4],
        vec![19, 0, 1, 2],
        vec![0, 1, 2],
        vec![5],
        vec![20, 0],
        vec![0xff; 9],
        vec![1, 0, 0],
        vec![2, 0, 0, 0, 1, 2, 3, 4],
        vec![3, 0],
        vec![16; 40],
        vec![17; 30],
    ] {
        v.push(m);
    }
    v
}

/// Each message over IPv4 and over IPv6, the first three again from the
/// port, then `n` damaged ones over each.
pub fn capture(n: usize) -> Vec<u8> {
    both_ip_capture(PORT, &messages(), (0x0a0d_0000_0000_0001, n))
}

/// Every message over both IP versions, cut at every length; first a
/// request and a reply between IPv4-compatible IPv6 addresses (tcpdump
/// writes `::1.2.3.4` where Rust writes `::102:304`).
pub fn cuts() -> Vec<u8> {
    let compat = |a: [u8; 4]| [vec![0; 12], a.to_vec()].concat();
    let (c1, c2) = (compat([1, 2, 3, 4]), compat([0, 1, 253, 0]));
    let first = vec![
        udp_over(true, PORT, &request(1, 0, &c1, &c2)),
        udp_over(true, PORT, &reply(2, 0, 0x1f, &c2, &c1)),
    ];
    both_ip_cuts(PORT, &messages(), first)
}
