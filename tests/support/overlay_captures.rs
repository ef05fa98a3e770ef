//! VXLAN-GPE (UDP 4790) and the NSH it may carry (also after EtherType
//! 0x894f), and Cisco's OTV (UDP 8472), built by hand (Debian has no
//! daemon that sends them; OTV's header is VXLAN's with an overlay id): every
//! flag bit, Next Protocol values known and not, VNIs and reserved bytes
//! at their extremes, UDP lengths under the header, the inner IPv4, IPv6
//! and Ethernet packets of `tunnel_captures` (and ones whose version
//! contradicts the Next Protocol), NSH with type 1 and type 2 metadata
//! (TLVs of each length, one past the headers), each version, the O flag,
//! lengths under two words, past the datagram and wrong for the type.
//! `tests/dissect_overlays.rs` compares `sockscope read` with `tcpdump -n
//! -r` on them, whole, cut at every byte and damaged.

use super::app_captures::{Frame, capture as pcap_of};
use super::frames::udp_datagram as udp;
use super::frames::{IP6_A, IP6_B, ipv6_packet};
use super::rng::Rng;
use super::tunnel_captures::{OUTER_UDP, ether, inner_frames, inner_ips, over_ipv4};

pub const PORT: u16 = 4790;
/// Cisco's OTV.
pub const OTV_PORT: u16 = 8472;

/// The flag sets compared with tcpdump: the line at each level (`-vvv`
/// prints NSH's context headers), `-e`, and the dumps.
pub const LEVELS: &[&str] = &[
    "",
    "-v",
    "-vv",
    "-vvv",
    "-e",
    "-e -v",
    "-x",
    "-xx",
    "-X",
    "-XX",
    "-A",
    "-e -XX -vv",
    "-vvv -x",
];

/// An OTV header: flags, overlay id, instance id, the reserved byte.
pub fn otv(flags: u8, overlay: u32, instance: u32, reserved: u8) -> Vec<u8> {
    let (o, i) = (overlay.to_be_bytes(), instance.to_be_bytes());
    vec![flags, o[1], o[2], o[3], i[1], i[2], i[3], reserved]
}

/// Every OTV payload: each inner frame, the flags, the ids at their
/// extremes, the reserved byte set, no frame, short ones.
pub fn otv_payloads(sport: u16) -> Vec<Vec<u8>> {
    let frames = inner_frames(sport);
    let mut v: Vec<Vec<u8>> = frames
        .iter()
        .map(|f| [otv(0x08, 0, 42, 0), f.clone()].concat())
        .collect();
    for flags in [0u8, 0xf7, 0xff] {
        v.push([otv(flags, 1, 2, 0), frames[0].clone()].concat());
    }
    v.push([otv(0x08, 0xff_ffff, 0xff_ffff, 0xff), frames[1].clone()].concat());
    v.push(otv(0x08, 7, 7, 0));
    for len in 0..8 {
        v.push(otv(0x08, 7, 7, 0)[..len].to_vec());
    }
    v
}

/// A VXLAN-GPE header: flags, Next Protocol, VNI, the reserved bytes.
pub fn gpe(flags: u8, next: u8, vni: u32, reserved: u8) -> Vec<u8> {
    let v = vni.to_be_bytes();
    vec![flags, reserved, reserved, next, v[1], v[2], v[3], reserved]
}

/// An NSH header: version, O flag, TTL, length in words (its own two
/// fixed words included), metadata type, next protocol, service path and
/// index, then `context` (as long as the caller says, whatever `words`).
pub fn nsh(version: u8, o: bool, ttl: u8, words: u8, md: u8, next: u8, context: &[u8]) -> Vec<u8> {
    let word = u32::from(version & 3) << 30
        | u32::from(o) << 29
        | u32::from(ttl & 0x3f) << 22
        | u32::from(words & 0x3f) << 16
        | u32::from(md & 0xf) << 8
        | u32::from(next);
    let mut h = word.to_be_bytes().to_vec();
    h.extend_from_slice(&[0x00, 0x01, 0x2c, 0xfe]);
    h.extend_from_slice(context);
    h
}

/// A type 2 TLV: class, type, length (its top bit kept: tcpdump masks it),
/// the value and its padding to a word.
fn tlv(class: u16, kind: u8, len: u8, value: &[u8]) -> Vec<u8> {
    let mut t = class.to_be_bytes().to_vec();
    t.extend_from_slice(&[kind, len]);
    t.extend_from_slice(value);
    while !t.len().is_multiple_of(4) {
        t.push(0);
    }
    t
}

/// The NSH headers, each carrying what its next protocol says.
fn nsh_cases(sport: u16) -> Vec<Vec<u8>> {
    let ip = &inner_ips(sport)[0];
    let ip6 = &inner_ips(sport)[3];
    let frame = &inner_frames(sport)[0];
    let md1 = [0x11u8; 16];
    let two = [tlv(1, 2, 3, b"abc"), tlv(0xffff, 0x80, 0x84, b"wxyz")].concat();
    let mut v = vec![
        [nsh(0, false, 63, 6, 1, 1, &md1), ip.clone()].concat(),
        [nsh(0, true, 1, 6, 1, 2, &md1), ip6.clone()].concat(),
        [nsh(0, false, 0, 6, 1, 3, &md1), frame.clone()].concat(),
        [nsh(0, false, 5, 2, 2, 1, &[]), ip.clone()].concat(),
        [nsh(0, false, 5, 2 + 4, 2, 1, &two), ip.clone()].concat(),
        [nsh(0, false, 5, 3, 2, 1, &tlv(7, 0, 0, b"")), ip.clone()].concat(),
        // A TLV whose value runs past the headers' length.
        [
            nsh(0, false, 5, 3, 2, 1, &tlv(7, 1, 9, b"abcdefghi")),
            ip.clone(),
        ]
        .concat(),
        [
            nsh(0, false, 5, 4, 2, 1, &tlv(7, 1, 4, b"abcd")),
            ip.clone(),
        ]
        .concat(),
        [nsh(0, false, 5, 2, 0, 1, &[]), ip.clone()].concat(),
        [nsh(0, false, 5, 3, 0xf, 1, &[1, 2, 3, 4]), ip.clone()].concat(),
        [nsh(0, false, 5, 3, 7, 1, &[1, 2, 3, 4]), ip.clone()].concat(),
        // Type 1 metadata must be four words.
        [nsh(0, false, 5, 5, 1, 1, &md1[..12]), ip.clone()].concat(),
        nsh(0, false, 5, 1, 1, 1, &[]),
        nsh(0, false, 5, 0, 1, 1, &[]),
        // More header words than the datagram holds.
        [nsh(0, false, 5, 63, 1, 1, &md1), ip.clone()].concat(),
        [nsh(0, false, 5, 2, 1, 1, &[]), ip6.clone()].concat(),
        [nsh(0, false, 5, 2, 1, 2, &[]), ip.clone()].concat(),
        nsh(0, false, 5, 2, 1, 1, &[]),
        nsh(0, false, 5, 2, 1, 3, &[]),
    ];
    for version in 1..4 {
        v.push([nsh(version, false, 5, 2, 1, 1, &[]), ip.clone()].concat());
    }
    for next in [0u8, 4, 5, 6, 0xfe, 0xff] {
        v.push([nsh(0, false, 5, 2, 1, next, &[]), ip.clone()].concat());
    }
    v.push(nsh(0, false, 0, 2, 1, 1, &[])[..7].to_vec());
    v
}

/// Every VXLAN-GPE payload (after its UDP header): each inner kind, the
/// flags, Next Protocols, VNIs, reserved bytes, short ones, NSH inside.
pub fn payloads(sport: u16) -> Vec<Vec<u8>> {
    payloads_with(sport, true)
}

/// [`payloads`], with the inner TCP SYN (from port `sport`) or, where
/// `syn` is false, the UDP datagram in its place: damage to a SYN's
/// options reaches the TCP printer, whose differences from tcpdump's
/// are not this test's (the report of `tests/dissect_overlays.rs`).
pub fn payloads_with(sport: u16, syn: bool) -> Vec<Vec<u8>> {
    let mut ips = inner_ips(sport);
    let mut frames = inner_frames(sport);
    if !syn {
        ips[2] = ips[1].clone();
        frames[2] = frames[1].clone();
    }
    let mut v = Vec::new();
    for ip in &ips[..3] {
        v.push([gpe(0x0c, 1, 42, 0), ip.clone()].concat());
    }
    v.push([gpe(0x0c, 2, 42, 0), ips[3].clone()].concat());
    for f in &frames {
        v.push([gpe(0x0c, 3, 42, 0), f.clone()].concat());
    }
    for n in nsh_cases(sport) {
        v.push([gpe(0x0c, 4, 7, 0), n].concat());
    }
    // The Next Protocol and the packet's own version disagree.
    v.push([gpe(0x0c, 1, 42, 0), ips[3].clone()].concat());
    v.push([gpe(0x0c, 2, 42, 0), ips[0].clone()].concat());
    for flags in [0u8, 1, 2, 4, 8, 0x0f, 0xf0, 0xff] {
        v.push([gpe(flags, 1, 1, 0), ips[0].clone()].concat());
    }
    for next in [0u8, 5, 6, 0x7f, 0xfe, 0xff] {
        v.push([gpe(0x0c, next, 1, 0), ips[0].clone()].concat());
    }
    v.push([gpe(0x0c, 1, 0, 0), ips[0].clone()].concat());
    v.push([gpe(0x0c, 3, 0xff_ffff, 0xff), frames[1].clone()].concat());
    for next in 1..5 {
        v.push(gpe(0x0c, next, 9, 0));
    }
    for len in 0..8 {
        v.push(gpe(0x0c, 1, 42, 0)[..len].to_vec());
    }
    v
}

/// A VXLAN-GPE datagram from port 40000 (or `from`) to `to`, over IPv4.
fn datagram(from: u16, to: u16, payload: &[u8]) -> Vec<u8> {
    over_ipv4(17, &udp(from, to, payload))
}

/// The NSH headers after EtherType 0x894f, and one too short.
fn nsh_frames() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = nsh_cases(30000)
        .iter()
        .take(6)
        .map(|n| ether(0x894f, n))
        .collect();
    v.push(ether(0x894f, &[0, 2, 1, 1]));
    v
}

/// The hand-built frames: each payload to 4790, the first few from 4790
/// and over IPv6, NSH after its EtherType.
pub fn frames() -> Vec<Vec<u8>> {
    let mut port = 20000u16;
    let mut v: Vec<Vec<u8>> = Vec::new();
    let count = payloads(0).len();
    for i in 0..count {
        port += 1;
        v.push(datagram(40000, PORT, &payloads(port).swap_remove(i)));
    }
    port += 1;
    let first = payloads(port).swap_remove(0);
    v.push(datagram(PORT, 40000, &first));
    let six = ipv6_packet(IP6_A, IP6_B, 17, &udp(40001, PORT, &first));
    v.push(ether(0x86dd, &six));
    v.extend(nsh_frames());
    let count = otv_payloads(0).len();
    for i in 0..count {
        port += 1;
        v.push(datagram(
            40000,
            OTV_PORT,
            &otv_payloads(port).swap_remove(i),
        ));
    }
    port += 1;
    v.push(datagram(
        OTV_PORT,
        40000,
        &otv_payloads(port).swap_remove(0),
    ));
    v
}

/// Where a frame's encapsulation starts (after UDP, after Ethernet for
/// NSH's EtherType, after 14 + 40 + 8 for VXLAN-GPE over IPv6) and the
/// length of its headers there (as far as the frame holds them).
fn encapsulation(f: &[u8]) -> (usize, usize) {
    let port = |at: usize| u16::from_be_bytes([f[at], f[at + 1]]);
    match port(12) {
        0x894f => (14, nsh_len(&f[14..])),
        0x86dd => (14 + 40 + 8, gpe_len(&f[62..])),
        _ if port(34) == OTV_PORT || port(36) == OTV_PORT => (OUTER_UDP, 8),
        _ => (OUTER_UDP, gpe_len(&f[OUTER_UDP..])),
    }
}

/// NSH's length field, in bytes.
fn nsh_len(h: &[u8]) -> usize {
    h.get(1).map_or(0, |b| usize::from(b & 0x3f) * 4)
}

/// A VXLAN-GPE payload's headers: its own 8 bytes and NSH's after them.
fn gpe_len(p: &[u8]) -> usize {
    let nsh = if p.get(3) == Some(&4) {
        nsh_len(p.get(8..).unwrap_or(&[]))
    } else {
        0
    };
    8 + nsh
}

/// The committed capture: the hand-built frames and `damaged` damaged
/// VXLAN-GPE payloads.
pub fn capture(damaged: usize) -> Vec<u8> {
    let mut all: Vec<Frame> = frames()
        .into_iter()
        .map(|bytes| Frame { bytes, snap: None })
        .collect();
    all.extend(damaged_frames(0x4790_0000_0000_0001, damaged));
    pcap_of(&all)
}

/// `n` payloads damaged by the seeded generator: one to three bytes of
/// their VXLAN-GPE and NSH headers or their OTV header set (to a Next
/// Protocol, a length, a flag, at random), each in a datagram to its port. The packet inside is
/// the other printers' business: an Ethernet frame read from a shifted
/// offset reaches EtherTypes sockscope has no printer for (tcpdump's CALM
/// FAST), so the damaged ones carry IP only and no byte becomes 3
/// (Ethernet next); bytes inserted or taken out would shift the packet
/// inside too ([`cuts_capture`] cuts them).
pub fn damaged_frames(seed: u64, n: usize) -> Vec<Frame> {
    let mut rng = Rng(seed);
    let ethernet =
        |p: &[u8]| p.get(3) == Some(&3) || (p.get(3) == Some(&4) && p.get(11) == Some(&3));
    let gpe = payloads_with(30000, false)
        .into_iter()
        .filter(|p| !ethernet(p))
        .map(|p| (PORT, gpe_len(&p), p));
    let otv = otv_payloads(30000).into_iter().map(|p| (OTV_PORT, 8, p));
    let all: Vec<(u16, usize, Vec<u8>)> = gpe.chain(otv).collect();
    (0..n)
        .filter_map(|_| {
            let (port, head, p) = all.get(rng.below(all.len()))?;
            let mut damaged = p.clone();
            let head = damaged.len().min(*head);
            for _ in 0..=rng.below(3) {
                let at = rng.below(head);
                let value = [0, 1, 2, 4, 5, 6, 0x3f, 0x80, 0xff, rng.next() as u8 | 0x10];
                *damaged.get_mut(at)? = value[rng.below(value.len())];
            }
            Some(Frame {
                bytes: datagram(40000, *port, &damaged),
                snap: None,
            })
        })
        .collect()
}

/// Every hand-built frame cut by the snap length at every byte from where
/// its encapsulation starts, through its headers and the first 40 bytes
/// of the packet inside (an inner TCP SYN's options are the TCP
/// printer's).
pub fn cuts_capture() -> Vec<u8> {
    let mut all = Vec::new();
    for f in frames() {
        let (start, headers) = encapsulation(&f);
        let end = f.len().min(start + headers + 40);
        for keep in start..end {
            all.push(Frame {
                bytes: f.clone(),
                snap: Some(keep),
            });
        }
    }
    pcap_of(&all)
}

/// VXLAN-GPE's payload between 4790 and OTV's between 8472, and the
/// other tunnel ports and the ports of the protocols decoded here, each
/// way round: whichever printer tcpdump tries first speaks.
pub fn port_order_capture(port: u16, others: &[u16]) -> Vec<u8> {
    let payload = if port == OTV_PORT {
        otv_payloads(10000).swap_remove(0)
    } else {
        payloads(10000).swap_remove(0)
    };
    let all: Vec<Frame> = others
        .iter()
        .filter(|&&o| o != port)
        .flat_map(|&o| [(o, port), (port, o)])
        .map(|(s, d)| Frame {
            bytes: datagram(s, d, &payload),
            snap: None,
        })
        .collect();
    pcap_of(&all)
}

/// The VXLAN-GPE and OTV payloads and the NSH headers alone, the
/// mutation tests' seeds.
pub fn seeds() -> Vec<Vec<u8>> {
    let mut v = payloads(40000);
    v.extend(otv_payloads(40000));
    v.extend(nsh_cases(40000));
    v
}
