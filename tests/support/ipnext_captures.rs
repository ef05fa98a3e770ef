//! IP payloads of the small protocols tcpdump decodes straight from the IP
//! protocol number, built by hand: IPComp (108), minimal encapsulation
//! (55, with and without the original source, with a good and a bad
//! checksum), every IPv6 mobility header message (135 and 62) with its
//! options, an unknown type and a length too small for its type,
//! Ethernet in IPv6 (143, an inner ICMP echo), Sun ND (77) and AH with a
//! zero length word over IPv6. Each is carried over IPv4 and IPv6, then
//! cut by the snap length at every byte from where the payload starts,
//! then damaged at random (seeded).

use super::app_captures::{Frame, capture as pcap_of};
use super::frames::{IP6_A, IP6_B, ipv6_packet};
use super::rng::Rng;
use super::tunnel_captures::{checksum, ether, ipv4};

/// A mobility header of `kind` with `body` (from the sixth byte), padded
/// with Pad1 options to a multiple of eight bytes as RFC 6275 wants.
fn mobility(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![59, 0, kind, 0, 0, 0];
    m.extend_from_slice(body);
    while m.len() % 8 != 0 {
        m.push(0);
    }
    m[1] = (m.len() / 8 - 1) as u8;
    m
}

const HOME: [u8; 16] = [
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a, 0xbc,
];

/// The mobility messages: each type tcpdump names, with options.
fn mobility_messages() -> Vec<Vec<u8>> {
    let cookie = [0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77];
    let token = [0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff];
    let mut hoti = vec![0, 0];
    hoti.extend_from_slice(&cookie);
    let mut hot = vec![0, 0x1a];
    hot.extend_from_slice(&cookie);
    hot.extend_from_slice(&token);
    let mut cot = hot.clone();
    cot[1] = 2;
    // Binding update: seq 7, A H L K, lifetime 100 units; refresh, nonce
    // indices, an alternate care-of address, PadN.
    let mut bu = vec![0, 7, 0xf0, 0, 0, 100, 2, 2, 0, 50, 4, 4, 0, 1, 0, 2, 3, 16];
    bu.extend_from_slice(&HOME);
    bu.extend_from_slice(&[1, 0]);
    // Binding acknowledgement, K set, with authorization data and an
    // option type tcpdump does not know.
    let mut ba = vec![0, 0x80, 0, 9, 0, 25, 5, 10];
    ba.extend_from_slice(&[0x11; 10]);
    ba.extend_from_slice(&[0x77, 2, 0, 0]);
    let mut be = vec![1, 0];
    be.extend_from_slice(&HOME);
    be.extend_from_slice(&[1, 0]);
    vec![
        mobility(0, &[0, 0]),
        mobility(1, &hoti),
        mobility(2, &hoti),
        mobility(3, &hot),
        mobility(4, &cot),
        mobility(5, &bu),
        mobility(5, &[0xff, 0xff, 0x50, 0, 0, 0, 0, 0]),
        mobility(6, &ba),
        mobility(6, &[129, 0, 0, 9, 0, 25, 1, 0]),
        mobility(7, &be),
        mobility(9, &[0, 0]),
        // A home test in a header of eight bytes.
        mobility(3, &[0, 0]),
        // Options cut by the header's length: refresh, PadN, alt-CoA.
        mobility(5, &[0, 7, 0, 0, 0, 1, 2, 1, 0, 50]),
        mobility(5, &[0, 7, 0, 0, 0, 1, 3, 2, 0, 1]),
        mobility(5, &[0, 7, 0, 0, 0, 1, 9, 0, 0, 0]),
    ]
}

/// Minimal encapsulation: protocol 6 with the original source, then
/// without it, each with its checksum, and one with a bad checksum.
fn minimal_encapsulations() -> Vec<Vec<u8>> {
    let mut with = vec![6, 0x80, 0, 0, 198, 51, 100, 7, 192, 0, 2, 1];
    let sum = checksum(&with);
    with[2..4].copy_from_slice(&sum.to_be_bytes());
    let mut without = vec![17, 0, 0, 0, 198, 51, 100, 7];
    let sum = checksum(&without);
    without[2..4].copy_from_slice(&sum.to_be_bytes());
    // Something after the header, as a real packet carries.
    without.extend_from_slice(&[0x13, 0x88, 0x13, 0x89]);
    let bad = vec![6, 0x80, 0x12, 0x34, 198, 51, 100, 7, 192, 0, 2, 1];
    vec![with, without, bad]
}

/// An ICMP echo request 192.0.2.1 > 192.0.2.2 in an Ethernet frame (what
/// an SRv6 End.DX2 segment carries).
fn ethernet_frame() -> Vec<u8> {
    let mut icmp = vec![8, 0, 0, 0, 0x12, 0x34, 0, 1];
    icmp.extend_from_slice(b"ping");
    let sum = checksum(&icmp);
    icmp[2..4].copy_from_slice(&sum.to_be_bytes());
    let mut ip = vec![
        0x45, 0, 0, 0, 0, 7, 0, 0, 64, 1, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
    ];
    ip[2..4].copy_from_slice(&((20 + icmp.len()) as u16).to_be_bytes());
    let sum = checksum(&ip);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    ip.extend_from_slice(&icmp);
    let mut f = vec![0x02, 0, 0, 0, 0, 0x2b, 0x02, 0, 0, 0, 0, 0x2a, 0x08, 0];
    f.extend_from_slice(&ip);
    f
}

/// Every IP payload with its protocol number.
pub fn payloads() -> Vec<(u8, Vec<u8>)> {
    let mut v = vec![(108, vec![4, 0, 0x12, 0x34, 0x78, 0x9c, 0x01, 0x02])];
    v.extend(minimal_encapsulations().into_iter().map(|m| (55, m)));
    for m in mobility_messages() {
        v.push((135, m.clone()));
        v.push((62, m));
    }
    v.push((143, ethernet_frame()));
    v.push((77, b"sun nd".to_vec()));
    // AH with a zero length word (eight bytes, no ICV), then no next header.
    v.push((51, vec![59, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 5]));
    v
}

/// How many frames carry a whole payload: each payload over IPv4 and IPv6.
pub const WHOLE: usize = 2 * (1 + 3 + 2 * 15 + 3);

/// Where the IP payload starts in each frame: IPv4's, IPv6's.
const STARTS: [usize; 2] = [14 + 20, 14 + 40];

fn frame(v6: bool, proto: u8, payload: &[u8]) -> Vec<u8> {
    if v6 {
        ether(0x86dd, &ipv6_packet(IP6_A, IP6_B, proto, payload))
    } else {
        ether(0x0800, &ipv4(proto, payload))
    }
}

/// Every payload over IPv4 and IPv6 whole (the first [`WHOLE`] frames),
/// then cut at every byte of the payload, then `damaged` copies with one to three payload bytes set at
/// random.
pub fn frames(damaged: usize) -> Vec<Frame> {
    let payloads = payloads();
    let mut out = Vec::new();
    for (proto, p) in &payloads {
        for v6 in [false, true] {
            out.push(Frame {
                bytes: frame(v6, *proto, p),
                snap: None,
            });
        }
    }
    for (proto, p) in &payloads {
        for (v6, start) in [false, true].into_iter().zip(STARTS) {
            let f = frame(v6, *proto, p);
            out.extend(super::app_captures::cuts(&f, start));
        }
    }
    let mut rng = Rng(0x1b_0e47_0bad_0014);
    for _ in 0..damaged {
        let (proto, mut p) = payloads[rng.below(payloads.len())].clone();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(p.len());
            p[at] = match rng.below(4) {
                0 => 0,
                1 => 0xff,
                _ => rng.below(256) as u8,
            };
        }
        out.push(Frame {
            bytes: frame(rng.below(2) == 1, proto, &p),
            snap: None,
        });
    }
    out
}

/// The capture of [`frames`].
pub fn capture(damaged: usize) -> Vec<u8> {
    pcap_of(&frames(damaged))
}

/// The payloads alone, the mutation tests' seeds.
pub fn seeds(proto: u8) -> Vec<Vec<u8>> {
    payloads()
        .into_iter()
        .filter(|(p, _)| *p == proto)
        .map(|(_, m)| m)
        .collect()
}
