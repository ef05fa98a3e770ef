//! Linux cooked packets (SLL, 113; SLL2, 276) of the kinds tcpdump's
//! `sll_print` treats apart: an 802.1Q tag (IPv4, IPv6, an EtherType it
//! has no printer for, an LLC PDU behind it, the priority and DEI bits),
//! LLC PDUs (protocol 4) to SAPs no printer decodes (UI, I, S and XID
//! frames, SAPs that differ, NetBEUI's), each whole and cut at every
//! length (the cooked header's `[|sll]` among them).
//! `tests/link_cooked.rs` compares `sockscope read` with `tcpdump -n -r`.

use super::frames::{sll_header, sll2_header, udp_datagram};
use super::link_captures::capture;
use super::tunnel_captures::ipv4;

const ADDR: [u8; 6] = [2, 0, 0, 0, 0, 1];

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// An IPv6 UDP datagram 2001:db8::1 > 2001:db8::2.
fn ipv6_udp() -> Vec<u8> {
    let udp = udp_datagram(1000, 2000, b"abcd");
    let mut h = vec![0x60, 0, 0, 0];
    h.extend_from_slice(&(udp.len() as u16).to_be_bytes());
    h.extend_from_slice(&[17, 64]);
    for last in [1u8, 2] {
        h.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        h.extend_from_slice(&[0; 11]);
        h.push(last);
    }
    cat(&[&h, &udp])
}

/// What follows the cooked header, with the protocol it names.
pub fn payloads() -> Vec<(u16, Vec<u8>)> {
    let ip = ipv4(17, &udp_datagram(1000, 2000, b"abcd"));
    let tag = |tci: u16, t: u16| cat(&[&tci.to_be_bytes(), &t.to_be_bytes()]);
    let stp = cat(&[&[0x42, 0x42, 3], &[0; 35]]);
    let unknown_llc = cat(&[&[0x12, 0x12, 3], &[1, 2, 3]]);
    vec![
        (0x8100, cat(&[&tag(10, 0x0800), &ip])),
        (0x8100, cat(&[&tag(0xb000 | 20, 0x0800), &ip])),
        (0x8100, cat(&[&tag(0x2000 | 30, 0x86dd), &ipv6_udp()])),
        (0x8100, cat(&[&tag(10, 0x1234), &[1, 2, 3, 4, 5]])),
        (0x8100, cat(&[&tag(10, stp.len() as u16), &stp])),
        (
            0x8100,
            cat(&[&tag(10, unknown_llc.len() as u16), &unknown_llc]),
        ),
        (4, unknown_llc.clone()),
        (4, cat(&[&[0x12, 0x13, 3], &[1, 2, 3]])),
        (4, cat(&[&[0x12, 0x34, 3], &[1, 2, 3]])),
        (4, cat(&[&[0xf0, 0xf0, 3], &[0xff, 0xef, 8, 0]])),
        (4, cat(&[&[0x12, 0x12, 0x0a, 0x07], &[1, 2, 3]])),
        (4, cat(&[&[0x12, 0x12, 0x01, 0x05], &[1, 2, 3]])),
        (4, cat(&[&[0x12, 0x12, 0xaf], &[0x81, 1, 2]])),
        (4, cat(&[&[0x12, 0x13, 0xbf], &[9, 9]])),
        (4, vec![0x12, 0x12]),
        // QinQ's and the old double tags (tcpdump does not follow them
        // inside a cooked header), an IPv6 packet behind a tag that says
        // IPv4 and the reverse (cut, tcpdump's `[|ip6]` counts from the
        // tag).
        (0x88a8, cat(&[&tag(10, 0x0800), &ip])),
        (0x9100, cat(&[&tag(10, 0x86dd), &ipv6_udp()])),
        (0x8100, cat(&[&tag(10, 0x0800), &ipv6_udp()])),
        (0x8100, cat(&[&tag(10, 0x86dd), &ip, &[0; 20]])),
    ]
}

/// The payloads behind an SLL header (incoming, Ethernet's ARPHRD).
pub fn sll_frames() -> Vec<Vec<u8>> {
    payloads()
        .iter()
        .map(|(t, p)| cat(&[&sll_header(0, 1, ADDR, *t), p]))
        .collect()
}

/// The same behind an SLL2 header (outgoing), on interface 1 and on one
/// no host has (tcpdump's `?` for its name).
pub fn sll2_frames() -> Vec<Vec<u8>> {
    payloads()
        .iter()
        .enumerate()
        .map(|(i, (t, p))| {
            let ifindex = if i % 2 == 0 { 1 } else { 999_999 };
            cat(&[&sll2_header(*t, ifindex, 1, 4, ADDR), p])
        })
        .collect()
}

/// Both captures, each frame whole then cut at every length.
pub fn captures() -> [(&'static str, Vec<u8>); 2] {
    [
        ("sll", capture(113, &sll_frames(), usize::MAX)),
        ("sll2", capture(276, &sll2_frames(), usize::MAX)),
    ]
}
