//! The captures of `tests/exact_ip_edges.rs`: IPv4 and IPv6 packets at the
//! edges of the next-header walk, where sockscope's line used to differ
//! from `tcpdump -n -r`. Every IP protocol number with no payload byte and
//! four (IPv6 with a payload length of 0: tcpdump's "jumbogram, length
//! from the link" rule, the Ethernet padding read or not); chains of up to
//! two extension headers (hop-by-hop, destination options, routing, a
//! first and a later fragment, AH, mobility) before UDP, TCP, ICMPv6 and
//! no next header, whole, with a payload length of 0, and cut at every
//! length; routing headers of unknown types; AH cut in its first bytes;
//! IPv4 options before each protocol. Over Ethernet (padded to 60 bytes,
//! as on the wire), Linux cooked capture and raw IP. `captures/` holds
//! these files, rewritten with `SOCKSCOPE_REGEN_CAPTURES=1`.
//!
//! Left out, as the README says: a fragment header whose payload length
//! ends before it (tcpdump's unsigned length wraps:
//! `frag (0|18446744073709551608)`; sockscope says 0).

use super::frames::sll_header;
use super::pcap::{Layout, write_spaced};
use std::borrow::Cow;

/// 2024-03-01 12:00:00 UTC.
const T0: u32 = 1_709_294_400;

/// The link a file's packets are carried over.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Ethernet II, padded to the 60-byte minimum.
    Ethernet,
    /// Linux cooked capture v1 (link type 113).
    Cooked,
    /// Raw IP (link type 101).
    Raw,
}

impl Link {
    fn link_type(self) -> u32 {
        match self {
            Link::Ethernet => 1,
            Link::Cooked => 113,
            Link::Raw => 101,
        }
    }

    /// `ip` behind this link's header.
    fn wrap(self, ip: &[u8]) -> Vec<u8> {
        let ethertype: u16 = if ip.first().is_some_and(|b| b >> 4 == 6) {
            0x86dd
        } else {
            0x0800
        };
        let mut f = match self {
            Link::Ethernet => {
                let mut f = vec![0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a];
                f.extend_from_slice(&ethertype.to_be_bytes());
                f
            }
            Link::Cooked => sll_header(0, 1, [0x02, 0, 0, 0, 0, 0x0a], ethertype),
            Link::Raw => Vec::new(),
        };
        f.extend_from_slice(ip);
        if self == Link::Ethernet && f.len() < 60 {
            f.resize(60, 0);
        }
        f
    }
}

/// Every generated file: name and bytes.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("exact_ip_edges.pcap", file(Link::Ethernet)),
        ("exact_ip_edges_sll.pcap", file(Link::Cooked)),
        ("exact_ip_edges_raw.pcap", file(Link::Raw)),
    ]
}

/// The Ethernet file's packets (seeds of the mutation tests).
pub fn frames() -> Vec<Vec<u8>> {
    records(Link::Ethernet)
        .into_iter()
        .map(|(data, _)| data)
        .collect()
}

fn file(link: Link) -> Vec<u8> {
    let recs = records(link).into_iter().map(|(f, n)| (Cow::Owned(f), n));
    write_spaced(Layout::new(link.link_type(), 65535), (T0, 100), recs)
}

/// Captured bytes and original length of each record over `link`.
pub fn records(link: Link) -> Vec<(Vec<u8>, u32)> {
    let whole = |ip: &[u8]| {
        let f = link.wrap(ip);
        let n = f.len() as u32;
        (f, n)
    };
    let mut out = Vec::new();
    // Every protocol number: nothing after the header, and four bytes.
    // (The protocol list of the other links is shorter: padding is
    // Ethernet's.)
    let protos: Vec<u8> = if link == Link::Ethernet {
        (0..=255).collect()
    } else {
        vec![
            0, 1, 2, 4, 6, 17, 33, 41, 43, 47, 50, 51, 58, 59, 60, 62, 103, 132, 135,
        ]
    };
    let mut sport = 1000u16;
    for &p in &protos {
        let four: Vec<u8> = (0..4u8)
            .map(|i| i.wrapping_mul(7).wrapping_add(p))
            .collect();
        out.push(whole(&ipv4(p, &[], &[])));
        out.push(whole(&ipv4(p, &four, &[])));
        // A fragment header longer than the payload length: left out.
        if p != 44 {
            out.push(whole(&ipv6(p, &[], Some(0))));
            out.push(whole(&ipv6(p, &four, None)));
        }
    }
    // Extension-header chains, whole and with a payload length of 0.
    let chains = chains(&mut sport);
    for (first, body) in &chains {
        out.push(whole(&ipv6(*first, body, None)));
    }
    for (first, body) in &chains {
        if !has_fragment(*first, body) {
            out.push(whole(&ipv6(*first, body, Some(0))));
        }
    }
    // Cut at every length after the IPv6 header (Ethernet only: the cut is
    // the link's business no more than the padding).
    if link == Link::Ethernet {
        for (first, body) in chains.iter().step_by(5) {
            let f = link.wrap(&ipv6(*first, body, None));
            let n = f.len();
            for keep in 14 + 40..n {
                out.push((f[..keep].to_vec(), n as u32));
            }
        }
    }
    // Routing headers of types tcpdump does not know (and type 0, 2, 4
    // beside them), whole and cut after 3 and 4 bytes.
    for kind in [0u8, 1, 2, 3, 4, 5, 57] {
        let mut rt = vec![17, 2, kind, 1, 0, 0, 0, 0];
        rt.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        rt.extend_from_slice(&[0; 11]);
        rt.push(3);
        sport += 1;
        rt.extend_from_slice(&udp(sport));
        let full = link.wrap(&ipv6(43, &rt, None));
        let link_len = full.len() - 40 - rt.len();
        for keep in [1, 3, 4] {
            let f = full[..link_len + 40 + keep].to_vec();
            out.push((f, full.len() as u32));
        }
        out.push(whole(&ipv6(43, &rt, None)));
    }
    // AH with 0 to 12 bytes, the length saying 24, over IPv4 and IPv6.
    let mut ah = vec![59, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 7];
    ah.extend_from_slice(&[0; 12]);
    for keep in 0..=12 {
        out.push(whole(&ipv4(51, &ah[..keep], &[])));
        out.push(whole(&ipv6(51, &ah[..keep], None)));
    }
    // IPv4 options before each protocol.
    let options: [&[u8]; 4] = [
        &[1, 1, 1, 0],
        &[0x94, 4, 0, 0],
        &[0x83, 7, 4, 10, 0, 0, 3, 0],
        &[0x44, 8, 5, 0, 0, 0, 0, 1],
    ];
    for opt in options {
        for p in [2u8, 4, 6, 17, 41, 47, 50, 51, 59, 103, 132, 255] {
            let body: Vec<u8> = match p {
                6 => {
                    sport += 1;
                    tcp(sport)
                }
                17 => {
                    sport += 1;
                    udp(sport)
                }
                _ => (0..24u8)
                    .map(|i| i.wrapping_mul(7).wrapping_add(p))
                    .collect(),
            };
            out.push(whole(&ipv4(p, &[], opt)));
            out.push(whole(&ipv4(p, &body, opt)));
        }
    }
    out
}

/// An IPv4 header with `options` (TTL 64, id 1, a right checksum) and
/// its payload; the total length says exactly what is there.
fn ipv4(proto: u8, payload: &[u8], options: &[u8]) -> Vec<u8> {
    let hlen = 20 + options.len();
    let total = (hlen + payload.len()) as u16;
    let mut h = vec![0x40 | (hlen / 4) as u8, 0];
    h.extend_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&[0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    h.extend_from_slice(options);
    let sum = !ones_sum(&h);
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    h.extend_from_slice(payload);
    h
}

fn ones_sum(b: &[u8]) -> u16 {
    let mut s: u32 = b
        .chunks(2)
        .map(|c| u32::from(c[0]) << 8 | u32::from(c.get(1).copied().unwrap_or(0)))
        .sum();
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    s as u16
}

/// An IPv6 header from ::1 to ::2 and `payload`; `plen` overrides the
/// payload length the header states.
fn ipv6(next: u8, payload: &[u8], plen: Option<u16>) -> Vec<u8> {
    let len = plen.unwrap_or(payload.len() as u16);
    let mut h = vec![0x60, 0, 0, 0];
    h.extend_from_slice(&len.to_be_bytes());
    h.extend_from_slice(&[next, 64]);
    h.extend_from_slice(&[0; 15]);
    h.push(1);
    h.extend_from_slice(&[0; 15]);
    h.push(2);
    h.extend_from_slice(payload);
    h
}

/// A UDP datagram from `sport` to 2000 with 4 bytes (checksum 0).
fn udp(sport: u16) -> Vec<u8> {
    let mut d = sport.to_be_bytes().to_vec();
    d.extend_from_slice(&[0x07, 0xd0, 0, 12, 0, 0]);
    d.extend_from_slice(b"abcd");
    d
}

/// A TCP SYN from `sport` to 2000 (each chain its own port, so that no
/// line is taken for a retransmission).
fn tcp(sport: u16) -> Vec<u8> {
    let mut s = sport.to_be_bytes().to_vec();
    s.extend_from_slice(&[
        0x07, 0xd0, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 2, 0, 0, 0, 0, 0,
    ]);
    s
}

/// The extension headers of the chains: hop-by-hop, destination options
/// (with a PadN), routing type 0 with one address, a first fragment, a
/// later one (offset 256), AH (24 bytes), mobility (a binding refresh
/// request).
const EXTS: [u8; 7] = [0, 60, 43, 44, 45, 51, 135];

/// Extension header `kind` (45: a later fragment) before `next`.
fn ext(kind: u8, next: u8) -> Vec<u8> {
    match kind {
        0 => vec![next, 0, 1, 4, 0, 0, 0, 0],
        60 => vec![next, 1, 1, 4, 0, 0, 0, 0, 1, 6, 0, 0, 0, 0, 0, 0],
        43 => {
            let mut h = vec![next, 2, 0, 1, 0, 0, 0, 0];
            h.extend_from_slice(&[0; 15]);
            h.push(3);
            h
        }
        44 => vec![next, 0, 0, 0, 0, 0, 0x12, 0x34],
        45 => vec![next, 0, 1, 0, 0, 0, 0x12, 0x34],
        51 => {
            let mut h = vec![next, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 7];
            h.extend_from_slice(&[0; 12]);
            h
        }
        _ => vec![next, 1, 0, 0, 0, 0, 0, 0],
    }
}

/// Whether a chain holds a fragment header (its length is left out with
/// a payload length of 0).
fn has_fragment(first: u8, body: &[u8]) -> bool {
    let mut next = first;
    let mut at = 0usize;
    for _ in 0..3 {
        let len = match next {
            44 => return true,
            0 | 60 | 43 | 135 => (usize::from(body.get(at + 1).copied().unwrap_or(0)) + 1) * 8,
            51 => (usize::from(body.get(at + 1).copied().unwrap_or(0)) + 2) * 4,
            _ => return false,
        };
        next = body.get(at).copied().unwrap_or(59);
        at += len;
    }
    false
}

/// Every chain of up to two extension headers before UDP, TCP, ICMPv6
/// (an echo request) and no next header: the IPv6 header's next header
/// and the payload.
fn chains(sport: &mut u16) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut orders: Vec<Vec<u8>> = vec![vec![]];
    for a in EXTS {
        orders.push(vec![a]);
        for b in EXTS {
            orders.push(vec![a, b]);
        }
    }
    let number = |k: u8| if k == 45 { 44 } else { k };
    for order in orders {
        for end in [17u8, 6, 58, 59] {
            if order.is_empty() && matches!(end, 6 | 17) {
                continue;
            }
            let mut body = Vec::new();
            for (i, &k) in order.iter().enumerate() {
                let next = order.get(i + 1).map_or(end, |&n| number(n));
                body.extend_from_slice(&ext(k, next));
            }
            *sport += 1;
            match end {
                17 => body.extend_from_slice(&udp(*sport)),
                6 => body.extend_from_slice(&tcp(*sport)),
                58 => body.extend_from_slice(&[128, 0, 0, 0, 0, 1, 0, 1]),
                _ => {}
            }
            let first = order.first().map_or(end, |&k| number(k));
            out.push((first, body));
        }
    }
    out
}
