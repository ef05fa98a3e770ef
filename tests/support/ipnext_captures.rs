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

/// A transport header with ports behind an authentication header or IPv6
/// extension headers: tcpdump's TCP, UDP and PGM printers then print the
/// ports alone (the IP header names another protocol), SCTP's and DCCP's
/// the addresses with the ports all the same.
pub mod behind {
    use super::super::app_captures::{Frame, capture as pcap_of, cuts};
    use super::super::frames::{IP6_A, IP6_B, ipv6_packet};
    use super::super::tunnel_captures::{ether, ipv4};

    /// An authentication header (ICV of 12 bytes) before `next`.
    fn ah(next: u8, body: &[u8]) -> Vec<u8> {
        let mut h = vec![next, 4, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 5];
        h.extend_from_slice(&[0xaa; 12]);
        h.extend_from_slice(body);
        h
    }

    /// An authentication header with a zero length word (8 bytes, which
    /// etherparse does not slice: tcpdump goes on after them).
    fn short_ah(next: u8, body: &[u8]) -> Vec<u8> {
        let mut h = vec![next, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 5];
        h.extend_from_slice(body);
        h
    }

    /// A destination options header (PadN) before `next`.
    fn dstopts(next: u8, body: &[u8]) -> Vec<u8> {
        let mut h = vec![next, 0, 1, 4, 0, 0, 0, 0];
        h.extend_from_slice(body);
        h
    }

    fn udp(dport: u16, len: u16) -> Vec<u8> {
        let mut u = vec![0x04, 0xd2];
        u.extend_from_slice(&dport.to_be_bytes());
        u.extend_from_slice(&len.to_be_bytes());
        u.extend_from_slice(&[0, 0]);
        u.extend_from_slice(b"abcd");
        u
    }

    /// The transports: UDP of a good length, one below its header's and
    /// one past IP's (to an unnamed port, DNS's and NTP's), a TCP SYN,
    /// PGM's ODATA and SPM, SCTP's SHUTDOWN COMPLETE, DCCP's CloseReq.
    fn transports() -> Vec<(u8, Vec<u8>)> {
        let mut v = Vec::new();
        for dport in [5000, 53, 123] {
            for len in [12, 4, 200] {
                v.push((17, udp(dport, len)));
            }
        }
        let syn = [
            0x03, 0xe8, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x04, 0, 0, 0, 0, 0,
        ];
        v.push((6, syn.to_vec()));
        for kind in [4, 0] {
            let mut pgm = vec![
                0x03, 0xe8, 0x07, 0xd0, kind, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 2,
            ];
            pgm.extend_from_slice(&[0, 0, 0, 7, 0, 0, 0, 1, b'h', b'i']);
            v.push((113, pgm));
        }
        let sctp = [0x03, 0xe8, 0x07, 0xd0, 0, 0, 0, 1, 0, 0, 0, 0, 14, 0, 0, 4];
        v.push((132, sctp.to_vec()));
        let dccp = [
            0x03, 0xe8, 0x07, 0xd0, 3, 0, 0, 0, 0x0a, 0, 0, 1, 0, 0, 0, 0,
        ];
        v.push((33, dccp.to_vec()));
        v
    }

    /// Each transport over IPv4 (plain, behind AH of both lengths) and
    /// IPv6 (plain, behind destination options, AH, AH with a zero
    /// length word), with where its IP payload starts.
    fn packets() -> Vec<(Vec<u8>, usize)> {
        let mut out = Vec::new();
        for (proto, t) in transports() {
            out.push((ether(0x0800, &ipv4(proto, &t)), 14 + 20));
            out.push((ether(0x0800, &ipv4(51, &ah(proto, &t))), 14 + 20));
            out.push((ether(0x0800, &ipv4(51, &short_ah(proto, &t))), 14 + 20));
            let v6 = |next, p: &[u8]| ether(0x86dd, &ipv6_packet(IP6_A, IP6_B, next, p));
            out.push((v6(proto, &t), 14 + 40));
            out.push((v6(60, &dstopts(proto, &t)), 14 + 40));
            out.push((v6(51, &ah(proto, &t)), 14 + 40));
            out.push((v6(51, &short_ah(proto, &t)), 14 + 40));
        }
        out
    }

    /// AH (both lengths) followed by an IPv6 extension header (hop-by-hop,
    /// routing, fragment, destination options) before UDP, over IPv4 and
    /// IPv6, whole and cut at every byte from the IP payload on: tcpdump
    /// names the header as an IP protocol after AH and stops.
    pub fn ext_after_ah_capture() -> Vec<u8> {
        let mut out = Vec::new();
        for next in [0, 43, 44, 60] {
            let ext = dstopts(17, &udp(5000, 12));
            for a in [ah(next, &ext), short_ah(next, &ext)] {
                out.push((ether(0x0800, &ipv4(51, &a)), 14 + 20));
                out.push((ether(0x86dd, &ipv6_packet(IP6_A, IP6_B, 51, &a)), 14 + 40));
            }
        }
        pcap_of(&whole_then_cut(&out))
    }

    /// How many frames are whole (the first of the capture).
    pub fn whole() -> usize {
        packets().len()
    }

    /// Every packet whole, then cut at every byte from its IP payload on.
    pub fn frames() -> Vec<Frame> {
        whole_then_cut(&packets())
    }

    /// Each packet whole, then each cut at every byte from where its IP
    /// payload starts.
    fn whole_then_cut(packets: &[(Vec<u8>, usize)]) -> Vec<Frame> {
        let mut out: Vec<Frame> = packets
            .iter()
            .map(|(f, _)| Frame {
                bytes: f.clone(),
                snap: None,
            })
            .collect();
        for (f, start) in packets {
            out.extend(cuts(f, *start));
        }
        out
    }

    pub fn capture() -> Vec<u8> {
        pcap_of(&frames())
    }
}

/// A TCP connection whose server advertises a zero window, then sends
/// two segments whose header length tcpdump calls bad (16 bytes, too
/// short; 60, past the segment), then a good one: the analysis marks
/// (`zero window`) come on the good segments only, on the line and in
/// `--json` alike.
pub mod bad_tcp_header {
    use super::super::app_captures::{Frame, capture as pcap_of};
    use super::super::tunnel_captures::{ether, ipv4};

    /// A TCP header of `words` 32-bit words (the bytes after the fixed 20
    /// zero), `flags`, window `win`.
    fn segment(ports: [u16; 2], seq_ack: [u32; 2], (flags, win): (u8, u16), words: u8) -> Vec<u8> {
        let mut s = Vec::new();
        s.extend_from_slice(&ports[0].to_be_bytes());
        s.extend_from_slice(&ports[1].to_be_bytes());
        s.extend_from_slice(&seq_ack[0].to_be_bytes());
        s.extend_from_slice(&seq_ack[1].to_be_bytes());
        s.extend_from_slice(&[words << 4, flags]);
        s.extend_from_slice(&win.to_be_bytes());
        s.extend_from_slice(&[0; 4]);
        s
    }

    /// 10.0.0.1 to 10.0.0.2, or back (the addresses swapped: the header
    /// checksum stays right).
    fn packet(to_server: bool, seg: &[u8]) -> Frame {
        let mut ip = ipv4(6, seg);
        if !to_server {
            let (src, dst) = ip.split_at_mut(16);
            src[12..16].swap_with_slice(&mut dst[..4]);
        }
        Frame {
            bytes: ether(0x0800, &ip),
            snap: None,
        }
    }

    pub fn frames() -> Vec<Frame> {
        let (c, s) = ([1000, 80], [80, 1000]);
        vec![
            packet(true, &segment(c, [100, 0], (0x02, 1000), 5)),
            packet(false, &segment(s, [500, 101], (0x12, 1000), 5)),
            packet(true, &segment(c, [101, 501], (0x10, 1000), 5)),
            packet(false, &segment(s, [501, 101], (0x10, 0), 5)),
            packet(false, &segment(s, [501, 101], (0x10, 0), 4)),
            packet(false, &segment(s, [501, 101], (0x10, 0), 15)),
            packet(false, &segment(s, [501, 101], (0x10, 0), 5)),
        ]
    }

    pub fn capture() -> Vec<u8> {
        pcap_of(&frames())
    }
}
