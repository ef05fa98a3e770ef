//! Tunnels and encapsulations built by hand, for what the kernel here
//! cannot make live (GRE's flags, ERSPAN, NVGRE, PPTP, MPLS, PPPoE, L2TP,
//! ESP and AH, and the cut and damaged copies of all of them): each case
//! is an Ethernet frame whose outer IPv4 (or IPv6) header carries the
//! encapsulation and a real inner packet (ICMP echo, UDP, a TCP SYN with
//! options, an Ethernet frame around one).

use super::app_captures::{Frame, capture as pcap_of};
use super::frames::udp_datagram as udp;
use super::frames::{Above, Eth, IP6_A, IP6_B, MAC_A, MAC_B, ipv6_packet};
use super::rng::Rng;
use etherparse::TcpOptionElement;

const OUTER: Eth = Eth {
    src: MAC_A,
    dst: MAC_B,
    ttl: 64,
};
const INNER: Eth = Eth {
    src: [0x02, 0, 0, 0, 0, 0x1a],
    dst: [0x02, 0, 0, 0, 0, 0x1b],
    ttl: 63,
};

/// The flag sets tunnels are compared with tcpdump under: the line at
/// each level, `-e`, and the dumps, whose start after a cut header is
/// tcpdump's printer's choice (from the first byte where it jumped out).
pub const LEVELS: &[&str] = &[
    "",
    "-v",
    "-vv",
    "-e",
    "-e -v",
    "-x",
    "-xx",
    "-X",
    "-XX",
    "-A",
    "-e -XX -vv",
];

/// Ethernet (14) and IPv4 (20) headers before an IP-level tunnel.
pub const OUTER_IP: usize = 34;
/// … and UDP's 8 before a UDP-level one.
pub const OUTER_UDP: usize = 42;

/// The inner Ethernet frames: ICMP echo, UDP, a TCP SYN with options from
/// port `sport` (each frame its own, so no SYN repeats one before it and
/// the flow analysis has nothing to add to a line), IPv6 UDP.
pub fn inner_frames(sport: u16) -> Vec<Vec<u8>> {
    let syn_opts = [
        TcpOptionElement::MaximumSegmentSize(1460),
        TcpOptionElement::SelectiveAcknowledgementPermitted,
        TcpOptionElement::WindowScale(7),
    ];
    vec![
        INNER.frame(
            "192.168.1.1",
            "192.168.1.2",
            Above::EchoRequest(7, 1),
            b"abcdefgh",
        ),
        INNER.frame(
            "192.168.1.1",
            "192.168.1.2",
            Above::Udp(1234, 5678),
            b"hello",
        ),
        INNER.frame(
            "192.168.1.1",
            "192.168.1.2",
            Above::Syn(sport, 80, 1000, 64240, &syn_opts),
            b"",
        ),
        INNER.frame("fd00::1", "fd00::2", Above::Udp(1234, 5678), b"six"),
    ]
}

/// The inner IP packets (the frames without their Ethernet header).
pub fn inner_ips(sport: u16) -> Vec<Vec<u8>> {
    inner_frames(sport)
        .into_iter()
        .map(|f| f[14..].to_vec())
        .collect()
}

/// The Internet checksum of `b` (IPv4 headers, ICMP).
pub fn checksum(b: &[u8]) -> u16 {
    let mut sum: u32 = b
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// An IPv4 packet 10.0.0.1 > 10.0.0.2 of protocol `proto`.
pub fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    ipv4_fragment(proto, 0, payload)
}

/// [`ipv4`] with its flags and fragment offset word (`0x2000`: more
/// fragments follow).
pub fn ipv4_fragment(proto: u8, flags_offset: u16, payload: &[u8]) -> Vec<u8> {
    let len = (20 + payload.len()) as u16;
    let mut h = vec![
        0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ];
    h[2..4].copy_from_slice(&len.to_be_bytes());
    h[6..8].copy_from_slice(&flags_offset.to_be_bytes());
    let sum = checksum(&h);
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    h.extend_from_slice(payload);
    h
}

/// An Ethernet frame of `ethertype` between the outer hosts.
pub fn ether(ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = OUTER.dst.to_vec();
    f.extend_from_slice(&OUTER.src);
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

pub fn over_ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    ether(0x0800, &ipv4(proto, payload))
}

pub fn over_udp(dport: u16, payload: &[u8]) -> Vec<u8> {
    over_ipv4(17, &udp(40000, dport, payload))
}

/// A GRE case: the GRE header, what follows it, all over IPv4.
fn over_gre(name: &'static str, header: Vec<u8>, rest: &[&[u8]]) -> (&'static str, Vec<u8>, usize) {
    let mut body = header;
    for part in rest {
        body.extend_from_slice(part);
    }
    (name, over_ipv4(47, &body), OUTER_IP)
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// A GRE header: flags and version, protocol, then the optional words.
pub fn gre(flags: u16, proto: u16, words: &[u32]) -> Vec<u8> {
    let mut g = flags.to_be_bytes().to_vec();
    g.extend_from_slice(&proto.to_be_bytes());
    for w in words {
        g.extend_from_slice(&w.to_be_bytes());
    }
    g
}

fn mpls(entries: &[(u32, u8, bool, u8)]) -> Vec<u8> {
    entries
        .iter()
        .flat_map(|&(label, tc, bottom, ttl)| {
            ((label << 12) | (u32::from(tc) << 9) | (u32::from(bottom) << 8) | u32::from(ttl))
                .to_be_bytes()
        })
        .collect()
}

pub fn pppoe(code: u8, session: u16, body: &[u8]) -> Vec<u8> {
    let mut p = vec![0x11, code];
    p.extend_from_slice(&session.to_be_bytes());
    p.extend_from_slice(&(body.len() as u16).to_be_bytes());
    p.extend_from_slice(body);
    p
}

fn tag(kind: u16, value: &[u8]) -> Vec<u8> {
    cat(&[
        &kind.to_be_bytes(),
        &(value.len() as u16).to_be_bytes(),
        value,
    ])
}

fn avp(mandatory: bool, attr: u16, value: &[u8]) -> Vec<u8> {
    vendor_avp(u16::from(mandatory) << 15, 0, attr, value)
}

/// An AVP with its flag bits (`0x8000` mandatory, `0x4000` hidden) and
/// vendor.
fn vendor_avp(flags: u16, vendor: u16, attr: u16, value: &[u8]) -> Vec<u8> {
    let head = flags | (6 + value.len() as u16);
    cat(&[
        &head.to_be_bytes(),
        &vendor.to_be_bytes(),
        &attr.to_be_bytes(),
        value,
    ])
}

/// L2TP control message with the given AVPs (tunnel 1, session 0, Ns/Nr).
fn l2tp_control(avps: &[u8]) -> Vec<u8> {
    let len = (12 + avps.len()) as u16;
    cat(&[
        &[0xc8, 0x02],
        &len.to_be_bytes(),
        &[0, 1, 0, 0, 0, 2, 0, 3],
        avps,
    ])
}

/// Every hand-written case: (what it shows, the frame, where the
/// encapsulation starts); the inner TCP SYN from port `sport`.
pub fn cases(sport: u16) -> Vec<(&'static str, Vec<u8>, usize)> {
    let ips = inner_ips(sport);
    let frames = inner_frames(sport);
    let (icmp, udp4, syn, udp6) = (&ips[0], &ips[1], &ips[2], &ips[3]);
    let (eicmp, esyn) = (&frames[0], &frames[2]);
    let ppp_ip = cat(&[&[0xff, 0x03, 0x00, 0x21], icmp]);
    let mut v: Vec<(&'static str, Vec<u8>, usize)> = vec![
        over_gre("gre plain", gre(0, 0x0800, &[]), &[icmp]),
        over_gre("gre key", gre(0x2000, 0x0800, &[2]), &[syn]),
        over_gre("gre seq", gre(0x1000, 0x0800, &[7]), &[udp4]),
        over_gre(
            "gre csum key seq",
            gre(0xb000, 0x0800, &[0xabcd_0000, 2, 7]),
            &[icmp],
        ),
        over_gre("gre ipv6", gre(0x2000, 0x86dd, &[9]), &[udp6]),
        over_gre("nvgre", gre(0x2000, 0x6558, &[0x0012_3400]), &[esyn]),
        over_gre("gretap", gre(0, 0x6558, &[]), &[eicmp]),
        over_gre(
            "erspan ii",
            gre(0x1000, 0x88be, &[5]),
            &[&[0x10, 10, 0, 100, 0, 0, 0, 0], eicmp],
        ),
        over_gre(
            "erspan iii",
            gre(0x1000, 0x22eb, &[5]),
            &[
                &[0x20, 10, 0, 100, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0],
                eicmp,
            ],
        ),
        over_gre(
            "gre mpls",
            gre(0, 0x8847, &[]),
            &[&mpls(&[(16, 0, true, 64)]), icmp],
        ),
        over_gre("gre routing", gre(0x4000, 0x0800, &[0, 0]), &[icmp]),
        over_gre("gre unknown version", gre(0x0003, 0x0800, &[]), &[]),
        over_gre(
            "pptp gre",
            gre(0x3081, 0x880b, &[0x0004_1234, 9, 8]),
            &[&ppp_ip],
        ),
        over_gre("pptp ack only", gre(0x2081, 0x880b, &[0x0004_1234, 8]), &[]),
        (
            "vxlan",
            over_udp(4789, &cat(&[&[8, 0, 0, 0, 0, 0, 42, 0], esyn])),
            OUTER_UDP,
        ),
        (
            "vxlan no I flag",
            over_udp(4789, &cat(&[&[0, 0, 0, 0, 0, 0x12, 0x34, 0], eicmp])),
            OUTER_UDP,
        ),
        (
            "geneve",
            over_udp(6081, &cat(&[&[0, 0, 0x65, 0x58, 0, 0, 42, 0], eicmp])),
            OUTER_UDP,
        ),
        (
            "geneve options",
            over_udp(
                6081,
                &cat(&[
                    &[3, 0xc0, 0x08, 0x00, 0, 1, 0, 7],
                    &[0x01, 0x02, 0x80, 1, 1, 2, 3, 4],
                    &[0xff, 0xf1, 0x01, 0],
                    syn,
                ]),
            ),
            OUTER_UDP,
        ),
        (
            "geneve unknown proto",
            over_udp(6081, &cat(&[&[0, 0, 0x12, 0x34, 0, 0, 1, 5], b"data"])),
            OUTER_UDP,
        ),
        (
            "mpls stack",
            ether(
                0x8847,
                &cat(&[&mpls(&[(100, 0, false, 64), (200, 5, true, 63)]), icmp]),
            ),
            0,
        ),
        (
            "mpls explicit null v6",
            ether(0x8847, &cat(&[&mpls(&[(2, 0, true, 64)]), udp6])),
            0,
        ),
        (
            "mpls multicast",
            ether(0x8848, &cat(&[&mpls(&[(1000, 1, true, 9)]), syn])),
            0,
        ),
        (
            "mpls unknown payload",
            ether(
                0x8847,
                &cat(&[&mpls(&[(300, 0, true, 1)]), b"\x01\x02\x03\x04zzzz"]),
            ),
            0,
        ),
        (
            "mpls in udp",
            over_udp(6635, &cat(&[&mpls(&[(17, 0, true, 8)]), icmp])),
            OUTER_UDP,
        ),
        ("ipip", over_ipv4(4, syn), OUTER_IP),
        ("6in4", over_ipv4(41, udp6), OUTER_IP),
        (
            "4in6",
            ether(0x86dd, &ipv6_packet(IP6_A, IP6_B, 4, icmp)),
            54,
        ),
        (
            "6in6",
            ether(0x86dd, &ipv6_packet(IP6_A, IP6_B, 41, udp6)),
            54,
        ),
        (
            "esp",
            over_ipv4(50, &cat(&[&[0, 0, 0x12, 0x34, 0, 0, 0, 5], &[0xee; 24]])),
            OUTER_IP,
        ),
        (
            "esp6",
            ether(
                0x86dd,
                &ipv6_packet(IP6_A, IP6_B, 50, &[0, 0, 0, 9, 0, 0, 1, 0, 1, 2]),
            ),
            54,
        ),
        (
            "ah icmp",
            over_ipv4(
                51,
                &cat(&[
                    &[1, 4, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 5],
                    &[0xa5; 12],
                    &icmp[20..],
                ]),
            ),
            OUTER_IP,
        ),
        (
            "pppoe padi",
            ether(
                0x8863,
                &pppoe(0x09, 0, &cat(&[&tag(0x0101, b""), &tag(0x0103, b"abcd")])),
            ),
            0,
        ),
        (
            "pppoe pado",
            ether(
                0x8863,
                &pppoe(
                    0x07,
                    0,
                    &cat(&[
                        &tag(0x0102, b"access-concentrator"),
                        &tag(0x0104, &[0, 1, 2, 3, 4, 5]),
                        &tag(0x0101, b"isp"),
                        &tag(0, b""),
                    ]),
                ),
            ),
            0,
        ),
        (
            "pppoe pads",
            ether(0x8863, &pppoe(0x65, 0x0042, &tag(0x0101, b"isp"))),
            0,
        ),
        ("pppoe padt", ether(0x8863, &pppoe(0xa7, 0x0042, &[])), 0),
        (
            "pppoe session ip",
            ether(0x8864, &pppoe(0, 0x1234, &cat(&[&[0, 0x21], syn]))),
            0,
        ),
        (
            "pppoe session ipv6",
            ether(0x8864, &pppoe(0, 0x1234, &cat(&[&[0, 0x57], udp6]))),
            0,
        ),
        (
            "pppoe session unknown ppp",
            ether(0x8864, &pppoe(0, 0x1234, &[0xc0, 0x25, 1, 2, 3, 4])),
            0,
        ),
        (
            "l2tp data",
            over_udp(
                1701,
                &cat(&[&[0x40, 0x02, 0, 12 + 36], &[0, 1, 0, 2], &ppp_ip]),
            ),
            OUTER_UDP,
        ),
        (
            "l2tp data seq offset",
            over_udp(
                1701,
                &cat(&[&[0x0a, 0x02, 0, 3, 0, 4, 0, 1, 0, 2, 0, 2, 0, 0], &ppp_ip]),
            ),
            OUTER_UDP,
        ),
        ("l2tp zlb", over_udp(1701, &l2tp_control(&[])), OUTER_UDP),
        (
            "l2tp sccrq",
            over_udp(1701, &l2tp_control(&avp(true, 0, &[0, 1]))),
            OUTER_UDP,
        ),
        (
            "l2tp sccrq avps",
            over_udp(
                1701,
                &l2tp_control(&cat(&[
                    &avp(true, 0, &[0, 1]),
                    &avp(true, 2, &[1, 0]),
                    &avp(true, 3, &[0, 0, 0, 3]),
                    &avp(false, 4, &[0, 0, 0, 2]),
                    &avp(false, 5, &[1, 2, 3, 4, 5, 6, 7, 8]),
                    &avp(false, 6, &[6, 0x90]),
                    &avp(true, 7, b"lac.example"),
                    &avp(false, 8, b"Linux"),
                    &avp(true, 9, &[0, 7]),
                    &avp(true, 10, &[0, 4]),
                ])),
            ),
            OUTER_UDP,
        ),
        (
            "l2tp icrq avps",
            over_udp(
                1701,
                &l2tp_control(&cat(&[
                    &avp(true, 0, &[0, 10]),
                    &avp(true, 14, &[0x12, 0x34]),
                    &avp(true, 15, &[0, 0, 0, 42]),
                    &avp(false, 18, &[0, 0, 0, 1]),
                    &avp(false, 22, b"5551234"),
                    &avp(false, 21, b"5556789"),
                ])),
            ),
            OUTER_UDP,
        ),
        (
            "l2tp stopccn",
            over_udp(1701, &l2tp_control(&avp(true, 0, &[0, 4]))),
            OUTER_UDP,
        ),
    ];
    // Control messages with every AVP value tcpdump decodes, and values
    // too short for their fields.
    let l2tp_avps: [(&'static str, Vec<Vec<u8>>); 5] = [
        (
            "l2tp stopccn result",
            vec![
                avp(true, 0, &[0, 4]),
                avp(true, 1, &[0, 2, 0, 6, b'b', b'y', 1, 0x80, b'e']),
                avp(true, 9, &[0, 7]),
            ],
        ),
        (
            "l2tp cdn errors",
            vec![
                avp(true, 0, &[0, 14]),
                avp(true, 1, &[0, 3]),
                avp(true, 1, &[0, 2, 0]),
                avp(false, 12, &[0, 16, 1, b'c', b'a', b'u', b's', b'e']),
                avp(false, 12, &[0, 16]),
                avp(true, 14, &[0x12, 0x34]),
            ],
        ),
        (
            "l2tp wen sli accm",
            vec![
                avp(true, 0, &[0, 15]),
                avp(true, 34, &cat(&[&[0, 0], &[0, 0, 0, 1].repeat(6)])),
                avp(true, 34, &[0, 0, 0, 0, 0, 9, 0, 0]),
                avp(true, 35, &[0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x0a]),
                avp(true, 35, &[0, 0, 0, 0, 0, 5]),
            ],
        ),
        (
            "l2tp iccn proxy avps",
            vec![
                avp(true, 0, &[0, 12]),
                avp(true, 24, &[0, 0x01, 0xf4, 0]),
                avp(true, 19, &[0, 0, 0, 3]),
                avp(false, 29, &[0, 2]),
                avp(false, 29, &[0, 9]),
                avp(false, 30, b"user\x7f"),
                avp(false, 31, &[1, 2, 3]),
                avp(false, 32, &[1, 7]),
                avp(false, 33, &[0xaa; 16]),
                avp(false, 26, &[0xff, 3, 0xc0, 0x21]),
                avp(false, 20, &[0, 1]),
                avp(false, 39, &[]),
                avp(false, 40, &[0, 1, 0xc0, 0x21, 1]),
                vendor_avp(0x4000, 0, 36, &[1, 2]),
                vendor_avp(0, 9, 1, &[0xde, 0xad]),
            ],
        ),
        (
            "l2tp sccrp short values",
            vec![
                avp(true, 0, &[0, 2]),
                avp(true, 2, &[1]),
                avp(true, 3, &[0, 0]),
                avp(false, 5, &[1, 2, 3]),
                avp(false, 13, &[5; 16]),
                avp(false, 13, &[5; 4]),
                avp(true, 10, &[]),
                avp(false, 15, &[0, 1]),
                avp(false, 0, &[0, 99]),
            ],
        ),
    ];
    for (name, avps) in l2tp_avps {
        let m = l2tp_control(&avps.concat());
        v.push((name, over_udp(1701, &m), OUTER_UDP));
    }
    // A VLAN-tagged MPLS frame.
    let mut tagged = ether(0x8100, &[0, 10, 0x88, 0x47]);
    tagged.extend_from_slice(&mpls(&[(77, 0, true, 3)]));
    tagged.extend_from_slice(udp4);
    v.push(("vlan mpls", tagged, 18));
    // What tcpdump guesses under a label from the first byte alone
    // (0x45-0x4f IPv4, 0x60-0x6f IPv6, 0x81-0x83 OSI, else hex), nothing
    // under the stack, and a stack the length cuts. Last, so that the
    // flow test's first 60 packets carry IP inside every tunnel.
    let under_label: [(&'static str, u32, bool, &[u8]); 5] = [
        ("mpls in udp, nothing under", 17, true, b""),
        ("mpls in udp, ipv4 byte", 18, true, b"\x45\x00"),
        ("mpls in udp, ipv6 byte", 19, true, b"abcd"),
        ("mpls in udp, is-is byte", 20, true, b"\x83\x1b\x01\x00"),
        ("mpls in udp, stack past the length", 21, false, b"\x00\x01"),
    ];
    for (name, label, bottom, under) in under_label {
        let m = cat(&[&mpls(&[(label, 0, bottom, 8)]), under]);
        v.push((name, over_udp(6635, &m), OUTER_UDP));
    }
    v
}

/// Every case whole, then each cut by the snap length at every byte of its
/// first 40 bytes from where the encapsulation starts, then `damaged`
/// copies with a few bytes of the encapsulation (and what it carries) set
/// at random.
pub fn frames(damaged: usize) -> Vec<Frame> {
    // Each frame's inner SYN from a port of its own.
    let mut port = 10000u16;
    let mut next_cases = || {
        port += 1;
        cases(port)
    };
    let count = cases(0).len();
    let mut out: Vec<Frame> = (0..count)
        .map(|i| Frame {
            bytes: next_cases().swap_remove(i).1,
            snap: None,
        })
        .collect();
    for i in 0..count {
        let (_, f, start) = next_cases().swap_remove(i);
        for keep in start..(start + 40).min(f.len()) {
            let (_, bytes, _) = next_cases().swap_remove(i);
            out.push(Frame {
                bytes,
                snap: Some(keep),
            });
        }
    }
    let mut rng = Rng(0x7e11_0bad_0000_0008);
    for _ in 0..damaged {
        let mut cases = next_cases();
        let (_, f, start) = cases.swap_remove(rng.below(count));
        // The EtherType itself stays (another printer's); the damage is
        // in the encapsulation's header and the start of what it carries.
        let start = start.max(14);
        let mut f = f;
        let span = (f.len() - start).min(16);
        for _ in 0..1 + rng.below(3) {
            let at = start + rng.below(span);
            f[at] = match rng.below(4) {
                0 => 0,
                1 => 0xff,
                _ => rng.below(256) as u8,
            };
        }
        out.push(Frame {
            bytes: f,
            snap: None,
        });
    }
    out
}

/// The capture of [`frames`].
pub fn capture(damaged: usize) -> Vec<u8> {
    pcap_of(&frames(damaged))
}

/// The encapsulations alone (from where each starts), the mutation tests'
/// seeds.
pub fn encapsulations() -> Vec<(&'static str, Vec<u8>)> {
    cases(40000)
        .into_iter()
        .map(|(name, f, start)| (name, f[start..].to_vec()))
        .collect()
}

/// The UDP tunnel ports (L2TP, VXLAN, Geneve, MPLS in UDP) against the
/// ports of the protocols decoded here and some tcpdump tries after the
/// tunnels (echo, HTTP, NetBIOS, LLMNR, PTP, 443), each way round, and
/// against each other: whose printer tcpdump picks is its order of UDP
/// printers, not the tunnel's. Every datagram carries the same VXLAN
/// header and inner frame. (RADIUS's ports are left out: its `-v` line
/// of a payload that is not RADIUS is the application printer's
/// business.)
pub fn port_order_capture() -> Vec<u8> {
    const TUNNEL_PORTS: [u16; 4] = [1701, 4789, 6081, 6635];
    const OTHERS: [u16; 22] = [
        53, 5353, 69, 67, 68, 161, 162, 123, 546, 547, 514, 5355, 319, 320, 7, 80, 137, 443, 1701,
        4789, 6081, 6635,
    ];
    let mut vxlan = vec![0x08, 0, 0, 0, 0, 0, 0x2a, 0];
    vxlan.extend_from_slice(&inner_frames(10000)[0]);
    let mut frames = Vec::new();
    for t in TUNNEL_PORTS {
        for other in OTHERS.into_iter().filter(|&o| o != t) {
            for (sport, dport) in [(other, t), (t, other)] {
                frames.push(Frame {
                    bytes: over_ipv4(17, &udp(sport, dport, &vxlan)),
                    snap: None,
                });
            }
        }
    }
    pcap_of(&frames)
}

/// `frame` with a VLAN tag (VLAN 10) after its addresses, and under it
/// a second (QinQ's 0x88a8 outside) when `double`.
fn tagged(frame: &[u8], double: bool) -> Vec<u8> {
    let (addrs, rest) = frame.split_at(12.min(frame.len()));
    let tags: &[u8] = if double {
        &[0x88, 0xa8, 0, 20, 0x81, 0, 0, 10]
    } else {
        &[0x81, 0, 0, 10]
    };
    cat(&[addrs, tags, rest])
}

/// VLAN-tagged frames whose payload's length on the wire is the frame's
/// after its tags: the EtherType dissectors (LLDP, the slow protocols,
/// EAPOL) and tunnels (GRE, VXLAN, MPLS, PPPoE, L2TP),
/// under one tag and two, each whole and cut by the snap length at every
/// byte of its first 40 after the tags.
pub fn vlan_capture() -> Vec<u8> {
    use super::control_captures as ctl;
    const WANTED: [&str; 7] = [
        "gre plain",
        "vxlan",
        "mpls stack",
        "pppoe session ip",
        "pppoe padi",
        "l2tp sccrq avps",
        "ah icmp",
    ];
    let ether_types = [0x88cc, 0x8809, 0x888e];
    let control: Vec<Vec<u8>> = [ctl::lldp_frames(), ctl::slow_frames(), ctl::eapol_frames()]
        .into_iter()
        .flat_map(|f| f.into_iter().take(2))
        .filter(|f| ether_types.contains(&u16::from_be_bytes([f[12], f[13]])))
        .collect();
    // Each tunnel frame's inner SYN from a port of its own (a repeated
    // SYN would be marked a retransmission).
    let mut port = 20000u16;
    let mut tunnel = |i: usize| {
        port += 1;
        cases(port)
            .into_iter()
            .filter(|(name, _, _)| WANTED.contains(name))
            .nth(i)
            .map(|(_, f, _)| f)
            .unwrap_or_default()
    };
    let mut frames = Vec::new();
    for i in 0..control.len() + WANTED.len() {
        let mut whole = |double| {
            let f = match control.get(i) {
                Some(f) => f.clone(),
                None => tunnel(i - control.len()),
            };
            tagged(&f, double)
        };
        for double in [false, true] {
            let start = if double { 22 } else { 18 };
            let len = whole(double).len();
            frames.push(Frame {
                bytes: whole(double),
                snap: None,
            });
            for keep in start..(start + 40).min(len) {
                frames.push(Frame {
                    bytes: whole(double),
                    snap: Some(keep),
                });
            }
        }
    }
    pcap_of(&frames)
}
