//! The captures of tcpdump's `-v` fields and output flags, built byte by
//! byte (the fields etherparse's builder cannot set: ECN bits, the reserved
//! flag, a zero TTL, IPv4 options, IPv6 traffic class, router
//! advertisement flags) and a time line with gaps over 24 hours and time
//! going backwards for the `-t` forms. `captures/verbose_*.pcap` are these
//! files; `tests/output_vs_tcpdump.rs` checks that the committed bytes
//! equal the generator's and compares every line with tcpdump's.

use super::frames::udp_datagram as udp;
use super::frames::{IP_A, IP_B, IP6_A, IP6_B, MAC_A, MAC_B};
use super::inspect_captures::{Rec, pcap};

/// All-routers multicast, where router advertisements go.
const IP6_ALL: [u8; 16] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

/// The Internet checksum of `bytes` (plus `start`).
fn sum(start: u32, bytes: &[u8]) -> u16 {
    let mut s = start;
    for c in bytes.chunks(2) {
        s += u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0));
    }
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

fn pseudo(src: &[u8], dst: &[u8], proto: u8, len: usize) -> u32 {
    let mut p = Vec::new();
    p.extend_from_slice(src);
    p.extend_from_slice(dst);
    p.extend_from_slice(&[0, proto]);
    p.extend_from_slice(&(len as u32).to_be_bytes());
    u32::from(!sum(0, &p))
}

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// An IPv4 header field set.
struct V4 {
    tos: u8,
    id: u16,
    /// Flags and fragment offset, as on the wire.
    frag: u16,
    ttl: u8,
    proto: u8,
    options: Vec<u8>,
    src: [u8; 4],
    dst: [u8; 4],
}

fn v4(tos: u8, ttl: u8, frag: u16, proto: u8) -> V4 {
    V4 {
        tos,
        id: 4660,
        frag,
        ttl,
        proto,
        options: Vec::new(),
        src: IP_A,
        dst: IP_B,
    }
}

/// An Ethernet frame around an IPv4 packet whose transport checksum (at
/// `sum_at` inside `l4`, if any) is filled in.
fn ipv4_frame(h: V4, mut l4: Vec<u8>, sum_at: Option<usize>) -> Vec<u8> {
    if let Some(at) = sum_at {
        // A loose source route's last address is the final destination
        // the pseudo-header holds.
        let dst = match h.options.first() {
            Some(131) => h.options[h.options[1] as usize - 4..h.options[1] as usize].to_vec(),
            _ => h.dst.to_vec(),
        };
        let start = if h.proto == 1 {
            0
        } else {
            pseudo(&h.src, &dst, h.proto, l4.len())
        };
        let s = sum(start, &l4);
        put16(&mut l4, at, s);
    }
    let hl = 20 + h.options.len();
    let mut ip = vec![
        0x40 | (hl / 4) as u8,
        h.tos,
        0,
        0,
        0,
        0,
        0,
        0,
        h.ttl,
        h.proto,
        0,
        0,
    ];
    put16(&mut ip, 2, (hl + l4.len()) as u16);
    put16(&mut ip, 4, h.id);
    put16(&mut ip, 6, h.frag);
    ip.extend_from_slice(&h.src);
    ip.extend_from_slice(&h.dst);
    ip.extend_from_slice(&h.options);
    let s = sum(0, &ip);
    put16(&mut ip, 10, s);
    ether(0x0800, &[ip, l4].concat())
}

fn ether(ether_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = [MAC_B, MAC_A].concat();
    f.extend_from_slice(&ether_type.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// A TCP header without options (`flags` as the 13th byte).
fn tcp(sport: u16, dport: u16, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut t = vec![0; 20];
    put16(&mut t, 0, sport);
    put16(&mut t, 2, dport);
    t[4..8].copy_from_slice(&seq.to_be_bytes());
    t[12] = 5 << 4;
    t[13] = flags;
    put16(&mut t, 14, 64240);
    t.extend_from_slice(payload);
    t
}

fn ipv6_frame(
    class: u8,
    flow: u32,
    next: u8,
    dst: [u8; 16],
    mut l4: Vec<u8>,
    sum_at: usize,
) -> Vec<u8> {
    let s = sum(pseudo(&IP6_A, &dst, next, l4.len()), &l4);
    put16(&mut l4, sum_at, s);
    let word = 6u32 << 28 | u32::from(class) << 20 | (flow & 0xfffff);
    let mut ip = word.to_be_bytes().to_vec();
    ip.extend_from_slice(&(l4.len() as u16).to_be_bytes());
    ip.extend_from_slice(&[next, 64]);
    ip.extend_from_slice(&IP6_A);
    ip.extend_from_slice(&dst);
    ether(0x86dd, &[ip, l4].concat())
}

/// Whole frames as records `step_us` microseconds apart.
fn spaced(frames: Vec<Vec<u8>>, step_us: u64) -> Vec<Rec> {
    let at = (0..).map(|i: u64| i * step_us);
    at.zip(frames)
        .map(|(us, data)| {
            let orig_len = data.len() as u32;
            Rec { us, data, orig_len }
        })
        .collect()
}

/// The `-v` classes, one packet each.
#[allow(clippy::vec_init_then_push)] // one commented packet after another reads better
pub fn verbose_fields() -> Vec<Rec> {
    let mut frames = Vec::new();
    // A UDP datagram to 9999 with these TOS, TTL and flags/offset fields.
    let udp4 = |tos, ttl, frag, tag: &[u8]| {
        ipv4_frame(v4(tos, ttl, frag, 17), udp(40000, 9999, tag), Some(6))
    };
    // ECN: ECT(0), CE, ECT(1); DF and MF together; the reserved flag.
    frames.push(udp4(0x02, 64, 0x4000, b"ect0"));
    frames.push(ipv4_frame(
        v4(0xb8 | 3, 64, 0x4000, 6),
        tcp(40000, 7777, 1, 0x02, b""),
        Some(16),
    ));
    frames.push(udp4(0x01, 64, 0x6000, b"more"));
    frames.push(udp4(0x00, 64, 0x8000, b"rsvd"));
    frames.push(udp4(0x00, 64, 0xc000, b"both"));
    // TTL 0 (tcpdump leaves it out).
    frames.push(udp4(0x00, 0, 0, b"ttl0"));
    // Options: NOP + router alert; a loose source route; record route.
    let mut h = v4(0xc0, 1, 0, 17);
    h.options = vec![1, 148, 4, 0, 0, 0, 0, 0];
    frames.push(ipv4_frame(h, udp(40000, 9999, b"ra"), Some(6)));
    let mut h = v4(0, 64, 0x4000, 17);
    h.options = vec![131, 11, 4, 192, 0, 2, 1, 192, 0, 2, 2, 0];
    frames.push(ipv4_frame(h, udp(40000, 9999, b"lsrr"), Some(6)));
    let mut h = v4(0, 64, 0x4000, 1);
    h.options = vec![7, 11, 8, 192, 0, 2, 9, 0, 0, 0, 0, 0];
    let mut echo = vec![8, 0, 0, 0, 0x12, 0x34, 0, 1];
    echo.extend_from_slice(b"route");
    frames.push(ipv4_frame(h, echo, Some(2)));
    // A router alert with a value, and an unknown option.
    let mut h = v4(0, 64, 0, 17);
    h.options = vec![148, 4, 0, 7, 1, 25, 2, 0];
    frames.push(ipv4_frame(h, udp(40000, 9999, b"opts"), Some(6)));
    // Damaged and rarer options, as tcpdump words them: a record route
    // with pointer 0, a source route of a bad length (its last slot read
    // on into the padding), timestamps, EOL then bytes, an option of
    // length 1, security and traceroute.
    for options in [
        vec![7, 7, 0, 1, 2, 3, 4, 0],
        vec![131, 9, 4, 1, 2, 3, 4, 5, 6, 0, 0, 0],
        vec![68, 12, 5, 0, 0, 0, 0, 1, 0, 0, 0, 2],
        vec![68, 12, 13, 0x21, 192, 0, 2, 1, 0, 0, 0, 9],
        vec![0, 1, 1, 1],
        vec![1, 7, 1, 0],
        vec![130, 4, 0, 0, 82, 4, 0, 0],
    ] {
        let mut h = v4(0, 64, 0x4000, 17);
        h.options = options;
        frames.push(ipv4_frame(h, udp(40000, 9999, b"opt"), Some(6)));
    }
    // A bad IPv4 header checksum with the reserved flag kept in it.
    let mut f = ipv4_frame(v4(0, 64, 0x8000, 17), udp(40000, 9999, b"csum"), Some(6));
    f[24] ^= 0x01;
    frames.push(f);
    // IPv6: traffic class (ECN and DSCP), with and without a flow label.
    frames.push(ipv6_frame(
        0xb9,
        0x12345,
        17,
        IP6_B,
        udp(50000, 9000, b"tc"),
        6,
    ));
    frames.push(ipv6_frame(0x02, 0, 17, IP6_B, udp(50000, 9000, b"tc2"), 6));
    // A router advertisement with the M and O flags set, no options.
    let ra = vec![134, 0, 0, 0, 64, 0xc0, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0];
    frames.push(ipv6_frame(0, 0, 58, IP6_ALL, ra, 2));
    // Neighbour discovery with options (tcpdump's -v prints each).
    frames.extend(neighbour_discovery());
    // ICMP errors quoting a whole UDP datagram, its first 8 bytes, a TCP
    // header cut to 8 bytes and a whole one (tcpdump's -v prints the
    // quoted datagram).
    frames.extend(icmp_errors());
    spaced(frames, 1000)
}

/// The IPv4 packet inside an Ethernet frame (the frame's first 14 bytes
/// off).
fn ip_of(frame: Vec<u8>) -> Vec<u8> {
    frame[14..].to_vec()
}

fn icmp_errors() -> Vec<Vec<u8>> {
    const ROUTER: [u8; 4] = [10, 0, 0, 254];
    let quoted_udp = ip_of(ipv4_frame(
        v4(0, 64, 0x4000, 17),
        udp(40000, 9999, b"ping"),
        Some(6),
    ));
    let mut syn = tcp(45678, 7777, 1000, 0x02, b"");
    syn[14..16].copy_from_slice(&1000u16.to_be_bytes());
    let quoted_tcp = ip_of(ipv4_frame(v4(0, 64, 0x4000, 6), syn, Some(16)));
    let error = |from: [u8; 4], kind: u8, code: u8, quote: &[u8]| {
        let mut m = vec![kind, code, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(quote);
        let mut h = v4(0, 64, 0x4000, 1);
        h.src = from;
        h.dst = IP_A;
        ipv4_frame(h, m, Some(2))
    };
    vec![
        error(IP_B, 3, 3, &quoted_udp),
        error(IP_B, 3, 3, &quoted_udp[..28]),
        error(ROUTER, 11, 0, &quoted_tcp[..28]),
        error(ROUTER, 11, 0, &quoted_tcp),
        error(ROUTER, 3, 1, &quoted_tcp[..28]),
    ]
}

fn neighbour_discovery() -> Vec<Vec<u8>> {
    let mac = [0x02, 0, 0, 0, 0, 0x0a];
    let sll = [&[1u8, 1][..], &mac].concat();
    let tll = [&[2u8, 1][..], &mac].concat();
    let mtu = [5, 1, 0, 0, 0, 0, 0x05, 0xdc];
    let mut prefix = vec![3, 4, 64, 0xc0];
    prefix.extend_from_slice(&86_400u32.to_be_bytes());
    prefix.extend_from_slice(&u32::MAX.to_be_bytes());
    prefix.extend_from_slice(&[0; 4]);
    prefix.extend_from_slice(&IP6_A[..8]);
    prefix.extend_from_slice(&[0; 8]);
    let mut rdnss = vec![25, 3, 0, 0, 0, 0, 0x02, 0x58];
    rdnss.extend_from_slice(&IP6_B);
    let unknown = [200, 1, 1, 2, 3, 4, 5, 6];
    let msg = |head: [u8; 8], target: Option<[u8; 16]>, opts: &[&[u8]]| {
        let mut m = head.to_vec();
        if let Some(t) = target {
            m.extend_from_slice(&t);
        }
        for o in opts {
            m.extend_from_slice(o);
        }
        ipv6_frame(0, 0, 58, IP6_B, m, 2)
    };
    vec![
        msg([135, 0, 0, 0, 0, 0, 0, 0], Some(IP6_B), &[&sll]),
        msg([136, 0, 0, 0, 0x60, 0, 0, 0], Some(IP6_B), &[&tll]),
        msg([133, 0, 0, 0, 0, 0, 0, 0], None, &[&sll]),
        msg(
            [134, 0, 0, 0, 64, 0x08, 0x07, 0x08],
            None,
            &[&[0; 8], &sll, &mtu, &prefix, &rdnss, &unknown, &mtu],
        ),
        // Destination unreachable quoting a UDP datagram (-v drops the
        // length).
        {
            let quoted = ipv6_frame(0, 0, 17, IP6_B, udp(50000, 9000, b"ping"), 6);
            msg([1, 4, 0, 0, 0, 0, 0, 0], None, &[&quoted[14..]])
        },
        // An option of length 0 ends the walk.
        msg(
            [135, 0, 0, 0, 0, 0, 0, 0],
            Some(IP6_B),
            &[&[1, 0, 0, 0, 0, 0, 0, 0]],
        ),
    ]
}

/// Time stamps for the `-t` forms: gaps over a day, time going backwards,
/// a jump of more than a year.
pub fn time_gaps() -> Vec<Rec> {
    const DAY: u64 = 86_400_000_000;
    [
        0,
        3_661_500_000 + DAY,
        3_661_500_000 + DAY + 1,
        DAY - 7_200_000_000,
        400 * DAY + 3,
    ]
    .iter()
    .enumerate()
    .map(|(i, &us)| {
        let data = ipv4_frame(
            v4(0, 64, 0x4000, 17),
            udp(40000, 9999 + i as u16, b"t"),
            Some(6),
        );
        let orig_len = data.len() as u32;
        Rec { us, data, orig_len }
    })
    .collect()
}

/// One packet per IP protocol number, as a later IPv4 fragment (so
/// nothing after the header is decoded), then one per IPv6 next header:
/// for the names in `proto X (N)` and `next-header X (N)`.
pub fn protocols() -> Vec<Rec> {
    let mut frames = Vec::new();
    for p in 0..=255u8 {
        frames.push(ipv4_frame(v4(0, 64, 0x2000 | 185, p), vec![0; 40], None));
    }
    for p in 0..=255u8 {
        let mut ip = (6u32 << 28).to_be_bytes().to_vec();
        ip.extend_from_slice(&40u16.to_be_bytes());
        ip.extend_from_slice(&[p, 64]);
        ip.extend_from_slice(&IP6_A);
        ip.extend_from_slice(&IP6_B);
        ip.extend_from_slice(&[0; 40]);
        frames.push(ether(0x86dd, &ip));
    }
    spaced(frames, 1)
}

/// Every generated file: name and bytes.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "verbose_fields.pcap",
            pcap(&verbose_fields(), 1, 262_144, false, false),
        ),
        (
            "verbose_time_gaps.pcap",
            pcap(&time_gaps(), 1, 262_144, false, false),
        ),
        (
            "verbose_protocols.pcap",
            pcap(&protocols(), 1, 262_144, false, false),
        ),
    ]
}
