//! Hand-built frames of the link types tcpdump reads besides Ethernet and
//! the cooked and loopback ones: PPP (9), PPP in HDLC framing (50), Cisco
//! HDLC (104), 802.11 (105), Frame Relay (107), 802.11 with radiotap
//! (127), NFLOG (239), IP over InfiniBand (242), Apple's PKTAP (258), and a
//! link type tcpdump
//! has no printer for (147, USER0). Each link type's cases carry IPv4 and
//! IPv6 and the link layer's own messages (PPP's LCP, IPCP, CHAP and PAP;
//! 802.11 beacons, probes, association, authentication, actions, control
//! frames; radiotap's fields, HT and VHT rates, namespaces and cuts).

use super::pcap::{Layout, Record, write_pcap};
use super::tunnel_captures::checksum;
use std::borrow::Cow;

/// One link type's cases: its number, a name for files and messages, the
/// frames, and whether `-vv` prints more than `-v` and is compared too
/// (PPP's control protocols dump each option's bytes).
pub struct LinkCases {
    pub link: u32,
    pub name: &'static str,
    pub frames: Vec<Vec<u8>>,
    pub vv_too: bool,
}

impl LinkCases {
    fn new(link: u32, name: &'static str, frames: Vec<Vec<u8>>, vv_too: bool) -> LinkCases {
        LinkCases {
            link,
            name,
            frames,
            vv_too,
        }
    }
}

/// An IPv4 ICMP echo request from 192.168.1.1 to 192.168.1.2.
pub fn ipv4_echo() -> Vec<u8> {
    let mut icmp = vec![8, 0, 0, 0, 0x12, 0x34, 0, 1];
    icmp.extend_from_slice(b"abcdefgh");
    let c = checksum(&icmp);
    icmp[2..4].copy_from_slice(&c.to_be_bytes());
    let mut ip = vec![
        0x45, 0, 0, 0, 0, 1, 0, 0, 64, 1, 0, 0, 192, 168, 1, 1, 192, 168, 1, 2,
    ];
    let total = (20 + icmp.len()) as u16;
    ip[2..4].copy_from_slice(&total.to_be_bytes());
    let c = checksum(&ip);
    ip[10..12].copy_from_slice(&c.to_be_bytes());
    ip.extend_from_slice(&icmp);
    ip
}

/// An IPv4 (or IPv6) UDP datagram to Geneve's port 6081 carrying VNI 5
/// and an Ethernet frame with IPv4 TCP to port 80.
pub fn geneve_packet(v6: bool) -> Vec<u8> {
    let mut tcp = Vec::new();
    etherparse::PacketBuilder::ethernet2([2; 6], [4; 6])
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .tcp(4000, 80, 1, 100)
        .syn()
        .write(&mut tcp, b"")
        .expect("builds");
    let mut payload = vec![0, 0, 0x65, 0x58, 0, 0, 5, 0];
    payload.extend(tcp);
    let mut b = Vec::new();
    let builder = if v6 {
        let (mut a, mut z) = ([0u8; 16], [0u8; 16]);
        a[..2].copy_from_slice(&[0x20, 0x01]);
        z[..2].copy_from_slice(&[0x20, 0x01]);
        (a[15], z[15]) = (1, 2);
        etherparse::PacketBuilder::ipv6(a, z, 64)
    } else {
        etherparse::PacketBuilder::ipv4([192, 168, 1, 1], [192, 168, 1, 2], 64)
    };
    builder
        .udp(5000, 6081)
        .write(&mut b, &payload)
        .expect("builds");
    b
}

/// An IPv6 UDP datagram (2001:db8::1.5000 > 2001:db8::2.6000).
pub fn ipv6_udp() -> Vec<u8> {
    let mut b = Vec::new();
    let mut a = [0u8; 16];
    a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    let mut z = a;
    a[15] = 1;
    z[15] = 2;
    etherparse::PacketBuilder::ipv6(a, z, 64)
        .udp(5000, 6000)
        .write(&mut b, b"hello")
        .expect("builds");
    b
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn ppp_control() -> Vec<Vec<u8>> {
    vec![
        // LCP Conf-Request with MRU and magic number; Echo-Request;
        // Term-Request; IPCP; IP6CP; CHAP; PAP.
        cat(&[
            &[0xc0, 0x21, 1, 1, 0, 14, 1, 4, 5, 0xdc, 5, 6],
            &[0x12, 0x34, 0x56, 0x78],
        ]),
        vec![0xc0, 0x21, 9, 2, 0, 8, 0x12, 0x34, 0x56, 0x78],
        vec![0xc0, 0x21, 5, 3, 0, 4],
        vec![0x80, 0x21, 1, 1, 0, 10, 3, 6, 192, 168, 1, 1],
        vec![0x80, 0x57, 1, 1, 0, 4],
        cat(&[&[0xc2, 0x23, 1, 1, 0, 12, 4], b"abcdrtr"]),
        cat(&[&[0xc2, 0x23, 2, 1, 0, 12, 4], b"wxyzbob"]),
        vec![0xc2, 0x23, 3, 1, 0, 4],
        cat(&[&[0xc0, 0x23, 1, 1, 0, 12, 3], b"bob", &[3], b"pwd"]),
        cat(&[&[0xc0, 0x23, 2, 1, 0, 7, 2], b"ok"]),
        // PAP shorter than RFC 1334 allows (an ACK of 4 bytes with more
        // on the wire, a request of 5, a NAK of 4), than its header, and
        // empty: tcpdump's `[|pap]` and `[|pap 0x02]`.
        vec![0xc0, 0x23, 2, 1, 0, 4, 0x94, 0x86],
        vec![0xc0, 0x23, 1, 1, 0, 5, 3, b'b', b'o'],
        vec![0xc0, 0x23, 3, 9, 0, 4],
        vec![0xc0, 0x23, 2, 1, 0],
        vec![0xc0, 0x23],
        vec![0x00, 0x25, 1, 2, 3],
        vec![0x12, 0x34, 1, 2, 3],
    ]
    .into_iter()
    .chain(ppp_options())
    .collect()
}

/// A control message of protocol `proto`: code, id, its encoded length
/// and `body`.
fn cp(proto: u16, code: u8, body: &[u8]) -> Vec<u8> {
    let len = (4 + body.len()) as u16;
    cat(&[&proto.to_be_bytes(), &[code, 7], &len.to_be_bytes(), body])
}

/// The messages whose `-v` and `-vv` lines carry more: every option
/// tcpdump decodes of LCP, IPCP, IPV6CP, CCP and BACP (and some with
/// lengths it calls bogus), Protocol-Reject, Echo with data,
/// Identification, Time-Remaining, codes it dumps, encoded lengths too
/// short and too long.
fn ppp_options() -> Vec<Vec<u8>> {
    let lcp = |code, body: &[u8]| cp(0xc021, code, body);
    let ipcp = |code, body: &[u8]| cp(0x8021, code, body);
    let mut m = vec![
        lcp(1, &[1, 4, 5, 0xd4, 2, 6, 0, 0, 0, 0, 3, 4, 0xc0, 0x23]),
        lcp(
            1,
            &[
                3, 5, 0xc2, 0x23, 5, 5, 6, 0xde, 0xad, 0xbe, 0xef, 7, 2, 8, 2,
            ],
        ),
        lcp(
            2,
            &[
                3, 5, 0xc2, 0x23, 0x81, 3, 4, 0xc2, 0x27, 3, 5, 0xc2, 0x23, 9,
            ],
        ),
        lcp(
            3,
            &[
                3, 6, 0x12, 0x34, 0xab, 0xcd, 4, 4, 0xc0, 0x25, 4, 6, 1, 2, 3, 4,
            ],
        ),
        lcp(4, &[13, 3, 0, 13, 4, 6, 1, 17, 4, 5, 0xdc, 23, 4, 0, 1]),
        lcp(
            1,
            &[
                19, 7, 2, 10, 0, 0, 1, 19, 9, 3, 0, 0x11, 0x22, 0x33, 0x44, 0x55,
            ],
        ),
        lcp(1, &[19, 3, 0, 19, 4, 1, 9, 19, 3, 4, 19, 3, 5, 19, 3, 9]),
        lcp(
            1,
            &[0, 8, 0, 0, 0x0c, 1, 0xaa, 0xbb, 9, 4, 1, 2, 40, 4, 1, 2],
        ),
        lcp(1, &[1, 3, 5, 1, 6, 2, 7, 3, 9, 9, 9]),
        lcp(1, &[5, 4, 1, 2, 1, 4, 5, 0xdc]),
        lcp(1, &[1, 1, 5, 0xdc]),
        lcp(1, &[1, 8, 5, 0xdc]),
        lcp(1, &[2, 5, 0, 0, 0, 23, 3, 1, 18, 2]),
        lcp(1, &[3, 2, 13, 2, 19, 2, 17, 2, 50, 0]),
        lcp(8, &[0x80, 0x57, 1, 2, 0, 4]),
        lcp(8, &[0x12, 0x34]),
        lcp(9, &[0, 0, 0, 1, b'h', b'i']),
        lcp(10, &[0x12, 0x34, 0x56, 0x78]),
        lcp(11, &[0, 0, 0, 2]),
        lcp(12, &[0, 0, 0, 3, b'h', b'e', b'l', b'l', b'o']),
        lcp(13, &[0, 0, 0, 4, 0, 0, 0x0e, 0x10, b'x']),
        lcp(7, &[9, 9, 0, 4]),
        lcp(14, &[1, 2, 3]),
        lcp(0, &[0, 0, 0, 5, 0, 0, 0x0c, 1, 2]),
        lcp(6, &[]),
        cat(&[&[0xc0, 0x21, 1, 1, 0, 2], &[1, 4, 5, 0xdc]]),
        cat(&[&[0xc0, 0x21, 1, 1, 0, 40], &[1, 4, 5, 0xdc]]),
        ipcp(
            1,
            &[3, 6, 10, 0, 0, 2, 129, 6, 8, 8, 8, 8, 131, 6, 8, 8, 4, 4],
        ),
        ipcp(
            3,
            &[130, 6, 10, 1, 1, 1, 132, 6, 10, 1, 1, 2, 4, 6, 1, 2, 3, 4],
        ),
        ipcp(1, &[1, 10, 10, 0, 0, 1, 10, 0, 0, 2, 2, 6, 0, 0x2d, 15, 1]),
        ipcp(
            1,
            &[
                2, 20, 0, 0x61, 0, 15, 0, 16, 0, 255, 0, 5, 0, 40, 1, 2, 2, 4, 0, 0,
            ],
        ),
        ipcp(1, &[2, 14, 0, 0x61, 0, 15, 0, 16, 0, 255, 0, 5, 0, 40]),
        ipcp(
            1,
            &[
                2, 18, 0, 0x61, 0, 15, 0, 16, 0, 255, 0, 5, 0, 40, 1, 9, 2, 2,
            ],
        ),
        ipcp(
            1,
            &[2, 4, 0x12, 0x34, 3, 5, 1, 2, 3, 1, 9, 1, 2, 3, 4, 5, 6, 7],
        ),
        ipcp(2, &[2, 10, 0, 0x61, 1, 2, 3, 4, 5, 6, 77, 3, 1]),
        cp(
            0x8057,
            1,
            &[1, 10, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55],
        ),
        cp(0x8057, 4, &[2, 4, 0, 0x2d, 1, 6, 1, 2, 3, 4]),
        cp(
            0x80fd,
            1,
            &[
                26, 4, 0x78, 0, 21, 3, 0x2f, 24, 4, 0xe5, 2, 18, 6, 0, 0, 0, 1,
            ],
        ),
        cp(
            0x80fd,
            4,
            &[26, 3, 0x78, 21, 2, 24, 3, 0, 99, 2, 26, 4, 0x7f, 0xff],
        ),
        cp(0x80fd, 14, &[1, 2]),
        cp(0x80fd, 15, &[]),
        cp(0xc02b, 1, &[1, 6, 0x11, 0x22, 0x33, 0x44, 2, 3, 9]),
        cp(0xc02b, 2, &[1, 5, 1, 2, 3]),
        cp(0x8023, 1, &[1, 4, 0, 0]),
        cp(0x8281, 2, &[1, 2]),
    ];
    // An option list that runs past the message's encoded length.
    m.push(cat(&[&[
        0xc0, 0x21, 1, 2, 0, 10, 1, 4, 5, 0xdc, 5, 6, 1, 2, 3, 4,
    ]]));
    m
}

fn ppp() -> LinkCases {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    let mut frames = vec![
        cat(&[&[0xff, 3, 0, 0x21], &ip]),
        cat(&[&[0, 0x21], &ip]),
        cat(&[&[0x21], &ip]),
        cat(&[&[0xff, 3, 0, 0x57], &ip6]),
        // pppd's direction in place of the address and control.
        cat(&[&[0, 3, 0, 0x21], &ip]),
        cat(&[&[1, 3, 0, 0x57], &ip6]),
    ];
    frames.extend(ppp_control().into_iter().map(|m| cat(&[&[0xff, 3], &m])));
    LinkCases::new(9, "ppp", frames, true)
}

fn ppp_hdlc() -> LinkCases {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    let mut frames = vec![
        cat(&[&[0xff, 3, 0, 0x21], &ip]),
        cat(&[&[0xff, 3, 0, 0x57], &ip6]),
        cat(&[&[0x0f, 0, 8, 0], &ip]),
        cat(&[&[0x8f, 0, 0x86, 0xdd], &ip6]),
        // Addresses other than PPP's and Cisco's: tcpdump's `unknown addr`.
        cat(&[&[0x01, 3, 0, 0x21], &ip]),
        cat(&[&[0xfe, 0x13, 0xc0, 0x21], &[1, 2, 0, 4]]),
        cat(&[&[0x20, 0, 8, 0], &ip]),
    ];
    frames.extend(
        ppp_control()
            .into_iter()
            .filter(|m| m.len() > 2 && m[0] != 0)
            .map(|m| cat(&[&[0xff, 3], &m])),
    );
    LinkCases::new(50, "ppp_hdlc", frames, true)
}

/// Frames of a link type whose header says what follows: each header of
/// `v4` before the IPv4 packet, of `v6` before the IPv6 one, then `others`.
fn headed(
    link: u32,
    name: &'static str,
    v4: &[&[u8]],
    v6: &[&[u8]],
    others: &[&[u8]],
) -> LinkCases {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    let frames = (v4.iter().map(|h| cat(&[h, &ip])))
        .chain(v6.iter().map(|h| cat(&[h, &ip6])))
        .chain(others.iter().map(|o| o.to_vec()))
        .collect();
    LinkCases::new(link, name, frames, false)
}

/// Cisco HDLC: IPv4, IPv6, an unknown protocol and SLARP (request,
/// reply, keepalives with and without the uptime, an unknown code, some
/// with trailing bytes, one too short); `-vv` is compared too (SLARP's
/// dump of what follows).
fn chdlc() -> LinkCases {
    let other: &[u8] = &[0x0f, 0, 0x12, 0x34, 1, 2, 3, 4];
    let slarp = |code: u8, tail: &[u8]| cat(&[&[0x8f, 0, 0x80, 0x35, 0, 0, 0, code][..], tail]);
    let words = [0, 0, 0x12, 0x34, 0, 0, 0x12, 0x33, 0xff, 0xff];
    let slarps = [
        slarp(0, &[0; 10]),
        slarp(1, &[192, 0, 2, 1, 255, 255, 255, 252, 0, 0]),
        slarp(2, &words),
        slarp(2, &cat(&[&words[..], &[0x05, 0x26, 0x5c, 0x01]])),
        slarp(2, &cat(&[&words[..], &[0, 0, 0x27, 0x10, 9, 9]])),
        slarp(7, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        slarp(2, &[0, 0, 0, 1]),
        // Longer trailing bytes: `-vv`'s dump of a keepalive with an
        // uptime starts after it, that of others after the code.
        slarp(2, &cat(&[&words[..], &[0, 0, 0x27, 0x10], &[0xab; 21]])),
        slarp(
            1,
            &cat(&[&[10, 0, 0, 1, 255, 0, 0, 0, 0, 0][..], &[0xcd; 19]]),
        ),
    ];
    let mut others: Vec<&[u8]> = vec![other];
    others.extend(slarps.iter().map(|s| s.as_slice()));
    let mut cases = headed(
        104,
        "chdlc",
        &[&[0x0f, 0, 8, 0]],
        &[&[0x8f, 0, 0x86, 0xdd]],
        &others,
    );
    cases.vv_too = true;
    cases
}

/// Frame Relay: two-, three- and four-byte Q.922 addresses (with and
/// without the pad byte, every flag bit), addresses tcpdump calls
/// invalid, an NLPID it does not decode; then the payloads of
/// [`frelay_payloads`]. `-vv` is compared too (Q.933's elements in hex).
fn frelay() -> LinkCases {
    let mut cases = frelay_headers();
    cases.frames.extend(frelay_payloads());
    cases.vv_too = true;
    cases
}

/// Frame Relay payloads by NLPID after a two-byte address and UI: Q.933
/// link management (ANSI's codeset 5 and CCITT's 0: status enquiries and
/// replies with report type, link verify and PVC status elements, valid
/// and not; call control messages with call references, shifts locking
/// and not, unknown elements and messages, elements of length 0), FRF.15
/// fragments, PPP (IPv4, IPv6 with and without address and control,
/// pppd's direction, a one-byte protocol, LCP, PAP, an unknown protocol,
/// too short), SNAP (IPv4 and IPv6 with and without the pad, Cisco's
/// bridged OUI, unknown protocol ids and OUIs, VLAN, a cut header).
pub fn frelay_payloads() -> Vec<Vec<u8>> {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    let fr = |rest: &[u8]| cat(&[&[0x18, 0x41, 3], rest]);
    let mut frames: Vec<Vec<u8>> = [
        // Q.933 (NLPID 0x08).
        &[8, 0, 0x75, 0x95, 1, 1, 1, 3, 2, 5, 4][..],
        &[
            8, 0, 0x7d, 0x95, 1, 1, 0, 3, 2, 5, 4, 7, 3, 6, 0x41, 0x82, 7, 3, 6, 0x51, 0x8a, 7, 4,
            6, 0x41, 2, 0x88, 7, 5, 6, 1, 1, 2, 0x80, 7, 2, 1, 2, 7, 3, 0x86, 0x41, 0x82,
        ],
        &[8, 0, 0x75, 0x51, 1, 1, 0x53, 2, 1, 2],
        &[
            8, 2, 0xab, 0xcd, 5, 4, 3, 1, 2, 3, 0x9d, 0x51, 1, 1, 0x53, 2, 1, 2, 0x57, 3, 6, 0x41,
            0x82,
        ],
        &[
            8, 1, 0, 0x4d, 0x96, 0x53, 1, 9, 0x0a, 1, 0xff, 0x53, 2, 7, 8,
        ],
        &[8, 1, 5, 0x33, 0xa1, 8, 2, 0x80, 0x90, 0],
        &[8, 0x0f, 1, 2, 3],
        &[8, 0, 0x7d, 0x95, 0x19, 1, 7, 7, 1, 0x80, 0x03, 0, 0x01, 0],
        // Valid PVC status elements of two, three and four address
        // octets: active, new, inactive.
        &[
            8, 0, 0x7d, 0x95, 1, 1, 0, 3, 2, 9, 8, 7, 3, 6, 0xc1, 0x82, 7, 3, 6, 0xd1, 0x88, 7, 4,
            6, 0x41, 0x85, 0x8a, 7, 5, 6, 0x41, 5, 0x83, 0x80, 0x57, 3, 0x18, 0xe1, 0x8a,
        ],
        &[8, 0],
        &[8],
        // FRF.15 (0xb1).
        &[0xb1, 0xc1, 0x23, 1, 2],
        &[0xb1, 0x20, 0xff],
        &[0xb1, 0],
        // PPP (0xcf): an unknown protocol, LCP, PAP with pppd's direction,
        // too short.
        &[0xcf, 0xff, 3, 0x12, 0x34, 1, 2, 3],
        &[0xcf, 0xc0, 0x21, 1, 1, 0, 8, 1, 4, 5, 0xdc],
        &[0xcf, 1, 3, 0xc0, 0x23, 1, 1, 0, 8, 3, b'b', b'o', b'b', 0],
        &[0xcf, 0],
        &[0xcf],
        // SNAP (0x80): unknown protocol ids and OUIs, VLAN, cut.
        &[0, 0x80, 0, 0, 0, 0x12, 0x34, 1, 2, 3],
        &[0, 0x80, 0, 0, 0, 0x81, 0, 0, 5, 8, 0],
        &[0x80, 0x12, 0x34, 0x56, 0, 1, 0xaa, 0xbb],
        &[0x80, 0, 0],
    ]
    .iter()
    .map(|m| fr(m))
    .collect();
    frames.extend([
        fr(&cat(&[&[0xcf, 0xff, 3, 0, 0x21], &ip])),
        fr(&cat(&[&[0xcf, 0, 0x57], &ip6])),
        fr(&cat(&[&[0xcf, 0x21], &ip])),
        fr(&cat(&[&[0xcf, 0, 3, 0, 0x21], &ip])),
        fr(&cat(&[&[0, 0x80, 0, 0, 0, 8, 0], &ip])),
        fr(&cat(&[&[0x80, 0, 0, 0, 0x86, 0xdd], &ip6])),
        fr(&cat(&[&[0x80, 0, 0, 0xf8, 8, 0], &ip])),
    ]);
    frames
}

fn frelay_headers() -> LinkCases {
    let v4: [&[u8]; 6] = [
        &[0x18, 0x41, 3, 0xcc],
        &[0x1a, 0x4f, 3, 0xcc],
        &[0x18, 0x40, 0x0b, 3, 0, 0xcc],
        &[0x1a, 0x4e, 0x09, 3, 0xcc],
        &[0x18, 0x40, 0x02, 0x07, 3, 0xcc],
        &[0x18, 0x41, 3, 0, 0xcc],
    ];
    let v6: [&[u8]; 3] = [
        &[0x18, 0x41, 3, 0x8e],
        &[0xfe, 0xf0, 0xfd, 3, 0, 0x8e],
        &[0x02, 0x00, 0xfe, 0xfd, 3, 0, 0x8e],
    ];
    let others: [&[u8]; 6] = [
        &[0x18, 0x41, 3, 0x99, b'a', b'b', b'c', b'd'],
        &[0x18, 0x40, 0x0b, 3, 0, 0x99, b'a', b'b', b'c'],
        &[0x18, 0x40, 0x02, 0x05, 3, 0x99, b'a', b'b'],
        &[0x19, 0x41, 3, 0xcc, 1, 2],
        &[0x18, 0x40, 0x02, 0x04, 3, 0xcc, 1, 2],
        &[0x00, 0x01, 7, 0, 0xcc, 1, 2],
    ];
    headed(107, "frelay", &v4, &v6, &others)
}

/// NFLOG TLVs are little endian (the writer's order).
fn tlv(kind: u16, value: &[u8]) -> Vec<u8> {
    let len = (4 + value.len()) as u16;
    let mut t = cat(&[&len.to_le_bytes(), &kind.to_le_bytes(), value]);
    while !t.len().is_multiple_of(4) {
        t.push(0);
    }
    t
}

/// An NFLOG TLV whose length field says `len` whatever its value's
/// length, padded to 4 bytes.
fn tlv_len(kind: u16, len: u16, value: &[u8]) -> Vec<u8> {
    let mut t = cat(&[&len.to_le_bytes(), &kind.to_le_bytes(), value]);
    while !t.len().is_multiple_of(4) {
        t.push(0);
    }
    t
}

fn nflog() -> LinkCases {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    // tcpdump's IP printers take everything after the payload TLV's
    // header, whatever its length says (once the TLV is captured whole).
    let over = (4 + ip.len() + 40) as u16;
    LinkCases::new(
        239,
        "nflog",
        vec![
            cat(&[&[2, 0, 0, 0], &tlv(1, &[8, 0, 3, 0]), &tlv(9, &ip)]),
            cat(&[&[10, 0, 0, 5], &tlv(10, b"prefix"), &tlv(9, &ip6)]),
            cat(&[&[7, 0, 0, 0], &tlv(9, &ip)]),
            vec![2, 1, 0, 0],
            // A TLV whose length is under its header (0: tcpdump gives
            // up) or padded up to it (2: a header without a value).
            cat(&[&[2, 0, 0, 0], &[0, 0, 1, 0], &tlv(9, &ip)]),
            cat(&[&[2, 0, 0, 0], &[2, 0, 1, 0], &tlv(9, &ip)]),
            // A payload TLV shorter than its packet: the IP header alone,
            // eight bytes of it, none; then the TLVs after it read as the
            // packet's bytes (ICMP's, IPv6's UDP header).
            cat(&[&[2, 0, 0, 0], &tlv_len(9, 24, &ip)]),
            cat(&[&[2, 0, 0, 5], &tlv_len(9, 12, &ip)]),
            cat(&[&[2, 0, 0, 0], &tlv_len(9, 2, &[]), &ip]),
            cat(&[&[2, 0, 0, 0], &tlv(9, &ip[..20]), &tlv(10, b"prefix\0")]),
            cat(&[&[10, 0, 0, 0], &tlv(9, &ip6[..40]), &tlv(10, b"abcdefg")]),
            // The packet, then another TLV (after the IP packet's end).
            cat(&[&[2, 0, 0, 0], &tlv(9, &ip), &tlv(10, b"after\0")]),
            cat(&[
                &[10, 0, 0, 0],
                &tlv_len(9, 24, &ip6),
                &tlv(1, &[0x86, 0xdd, 3, 0]),
            ]),
            // A payload TLV longer than the record (tcpdump's printer
            // wants it whole), and one that ends with it (the IP packet
            // then 40 bytes its printer leaves).
            cat(&[
                &[2, 0, 0, 0],
                &tlv(1, &[8, 0, 3, 0]),
                &tlv_len(9, over, &ip),
            ]),
            cat(&[&[2, 0, 0, 0], &tlv_len(9, over, &ip), &[0; 40]]),
            // A family tcpdump does not know: the rest in hex, after a
            // payload TLV of four bytes.
            cat(&[&[7, 0, 0, 0], &tlv(9, b"abcd"), &tlv(10, b"prefix\0")]),
        ],
        false,
    )
}

fn ipoib() -> LinkCases {
    let head = |t: [u8; 2]| cat(&[&[0x11; 40], &t, &[0, 0]]);
    let other = cat(&[&head([0x12, 0x34]), b"abc"]);
    headed(
        242,
        "ipoib",
        &[&head([8, 0])],
        &[&head([0x86, 0xdd])],
        &[&other],
    )
}

const AP: [u8; 6] = [0, 0x11, 0x22, 0x33, 0x44, 0x55];
const STA: [u8; 6] = [0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];
const BCAST: [u8; 6] = [0xff; 6];

fn mgmt(subtype: u8, da: [u8; 6], sa: [u8; 6], bssid: [u8; 6], body: &[u8]) -> Vec<u8> {
    cat(&[&[subtype << 4, 0, 0, 0], &da, &sa, &bssid, &[0x10, 0], body])
}

/// 802.11 frames: management, control and data.
pub fn wlan_frames() -> Vec<Vec<u8>> {
    let ssid: &[u8] = &[0, 4, b't', b'e', b's', b't'];
    let rates: &[u8] = &[1, 8, 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24];
    let ds: &[u8] = &[3, 1, 6];
    let fixed = |cap: u16| cat(&[&[0; 8], &100u16.to_le_bytes(), &cap.to_le_bytes()]);
    let snap: &[u8] = &[0xaa, 0xaa, 3, 0, 0, 0];
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    let data = |flags: u8, a1: [u8; 6], a2: [u8; 6], a3: [u8; 6], t: [u8; 2], p: &[u8]| {
        cat(&[&[0x08, flags, 0, 0], &a1, &a2, &a3, &[0x20, 0], snap, &t, p])
    };
    vec![
        mgmt(8, BCAST, AP, AP, &cat(&[&fixed(0x0431), ssid, rates, ds])),
        mgmt(
            8,
            BCAST,
            AP,
            AP,
            &cat(&[&fixed(0x0002), &[0, 3, b'a', 0x7f, b'b']]),
        ),
        mgmt(4, BCAST, STA, BCAST, &cat(&[ssid, rates])),
        mgmt(4, BCAST, STA, BCAST, &[0, 0]),
        mgmt(5, STA, AP, AP, &cat(&[&fixed(0x0011), ssid, rates, ds])),
        mgmt(0, AP, STA, AP, &cat(&[&[0x31, 4, 10, 0], ssid, rates])),
        mgmt(1, STA, AP, AP, &cat(&[&[0x31, 4, 0, 0, 1, 0xc0], rates])),
        mgmt(1, STA, AP, AP, &[0x01, 0, 17, 0, 2, 0xc0]),
        mgmt(2, AP, STA, AP, &cat(&[&[0x31, 4, 10, 0], &AP, ssid])),
        mgmt(11, AP, STA, AP, &[0, 0, 1, 0, 0, 0]),
        mgmt(11, STA, AP, AP, &[0, 0, 2, 0, 0, 0]),
        mgmt(11, STA, AP, AP, &[1, 0, 2, 0, 0, 0]),
        mgmt(12, STA, AP, AP, &[3, 0]),
        mgmt(12, STA, AP, AP, &[99, 0]),
        mgmt(10, STA, AP, AP, &[8, 0]),
        mgmt(9, STA, AP, AP, &[]),
        // Action frames: named categories and actions, numbered ones,
        // one cut before its action.
        mgmt(13, AP, STA, AP, &[3, 0, 1, 2, 3]),
        mgmt(13, AP, STA, AP, &[7, 1, 0]),
        mgmt(13, AP, STA, AP, &[13, 10]),
        mgmt(13, AP, STA, AP, &[14, 1]),
        mgmt(13, AP, STA, AP, &[15, 0]),
        mgmt(13, AP, STA, AP, &[15, 5]),
        mgmt(13, AP, STA, AP, &[127, 9, 0, 0x10, 0x18]),
        mgmt(13, AP, STA, AP, &[4, 2]),
        mgmt(13, AP, STA, AP, &[3]),
        // Flags tcpdump names under `-e -v`: retry, power management,
        // more data, order; a protected management frame.
        cat(&[
            &[0xc0, 0xb8, 0x2c, 0x01],
            &STA,
            &AP,
            &AP,
            &[0x30, 0],
            &[7, 0],
        ]),
        mgmt(11, STA, AP, AP, &[1, 0, 0, 0x20, 0, 0]),
        // Control: BAR, control wrapper.
        cat(&[&[0x84, 0x08, 0x10, 0], &AP, &STA, &[4, 0, 0x10, 0]]),
        cat(&[&[0x74, 0, 0, 0], &AP, &[0; 6]]),
        // Control: ACK, RTS, CTS, PS-Poll, CF-End, BA.
        cat(&[&[0xd4, 0, 0, 0], &AP]),
        cat(&[&[0xb4, 0, 0x10, 0], &AP, &STA]),
        cat(&[&[0xc4, 0, 0, 0], &STA]),
        cat(&[&[0xa4, 0, 0x01, 0xc0], &AP, &STA]),
        cat(&[&[0xe4, 0, 0, 0], &BCAST, &AP]),
        cat(&[&[0x94, 0, 0, 0], &AP, &STA, &[0; 4]]),
        // Data to the AP, from the AP, QoS, between APs, null, protected.
        data(0x01, AP, STA, BCAST, [8, 0], &ip),
        data(0x02, STA, AP, AP, [0x86, 0xdd], &ip6),
        cat(&[
            &[0x88, 0x01, 0, 0],
            &AP,
            &STA,
            &AP,
            &[0x40, 0, 0, 0],
            snap,
            &[8, 0],
            &ip,
        ]),
        cat(&[
            &[0x08, 0x03, 0, 0],
            &AP,
            &STA,
            &AP,
            &[0x50, 0],
            &STA,
            snap,
            &[8, 0],
            &ip,
        ]),
        cat(&[&[0x48, 0x11, 0, 0], &AP, &STA, &AP, &[0x60, 0]]),
        // LLC without IP: SNAP with a VLAN tag, Cisco's CDP, STP, XID.
        data(0x01, AP, STA, BCAST, [0x81, 0], &[0, 5, 8, 0, 0x45, 0]),
        cat(&[
            &[0x08, 0x02, 0, 0],
            &STA,
            &AP,
            &AP,
            &[0x80, 0],
            &[0xaa, 0xaa, 3, 0, 0, 0x0c, 0x20, 0],
            &[2, 180, 0, 0, 0, 1, 0, 6, b'a', b'b'],
        ]),
        cat(&[
            &[0x08, 0x00, 0, 0],
            &BCAST,
            &STA,
            &AP,
            &[0x90, 0],
            &[0x42, 0x42, 3, 0, 0, 0, 0],
        ]),
        cat(&[
            &[0x08, 0x00, 0, 0],
            &AP,
            &STA,
            &AP,
            &[0xa0, 0],
            &[4, 5, 0xbf, 0x81, 1, 2],
        ]),
        data(0x2d, AP, STA, BCAST, [8, 0], &ip),
        cat(&[
            &[0x08, 0x41, 0, 0],
            &AP,
            &STA,
            &AP,
            &[0x70, 0],
            &[1, 2, 3, 0x40, 9, 9],
        ]),
    ]
}

fn wlan() -> LinkCases {
    LinkCases::new(105, "wlan", wlan_frames(), false)
}

/// A radiotap header with these present bits and field bytes.
fn radiotap_header(present: &[u32], body: &[u8]) -> Vec<u8> {
    let mut h = vec![0, 0, 0, 0];
    for p in present {
        h.extend_from_slice(&p.to_le_bytes());
    }
    h.extend_from_slice(body);
    let len = h.len() as u16;
    h[2..4].copy_from_slice(&len.to_le_bytes());
    h
}

fn radiotap() -> LinkCases {
    let frames = wlan_frames();
    // Flags, rate, channel, dBm signal, antenna; TSFT and noise and lock
    // quality; a 5 GHz 11a channel with FCS at the end; an extended bitmap.
    let common = radiotap_header(
        &[(1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 11)],
        &[0, 2, 0x6c, 0x09, 0xa0, 0, 0xd8, 0],
    );
    let tsft = radiotap_header(
        &[1 | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 12) | (1 << 13)],
        &[
            0x40, 0x42, 0x0f, 0, 0, 0, 0, 0, 0xc4, 0xa1, 0, 0, 0x20, 0, 0x35, 0x0a,
        ],
    );
    let ofdm = radiotap_header(
        &[(1 << 1) | (1 << 2) | (1 << 3) | (1 << 10)],
        &[0x12, 0x0c, 0x3c, 0x14, 0x40, 0x01, 20],
    );
    let ext = radiotap_header(
        &[(1 << 2) | (1 << 3) | (1 << 31), 0],
        &[0x16, 0, 0x85, 0x09, 0xc0, 0],
    );
    let heads = [common, tsft, ofdm, ext];
    let more = radiotap_headers();
    let mut out = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        let head = match heads.get(i % 4) {
            Some(h) if i < 16 || i % 4 == 2 => h,
            _ => &more[i % more.len()],
        };
        let mut frame = cat(&[head, f]);
        if i % 4 == 2 {
            frame.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
        }
        out.push(frame);
    }
    LinkCases::new(127, "radiotap", out, false)
}

/// Radiotap headers with the fields tcpdump prints past the first ones:
/// HT (MCS) and VHT fields, an XChannel beside a channel, RX flags and
/// A-MPDU status (read, not printed), fields it cannot size (named, and
/// the walk ends), a second bitmap word, vendor namespaces skipped, and
/// headers cut inside a field or a vendor namespace's header.
pub fn radiotap_headers() -> Vec<Vec<u8>> {
    let chan = [0x85, 0x09, 0x80, 0x04];
    let vht = [0x44, 0, 4, 4, 0x92, 0x31, 0, 0x12, 5, 0, 0, 0];
    vec![
        radiotap_header(&[(1 << 3) | (1 << 19)], &cat(&[&chan, &[7, 5, 15]])),
        radiotap_header(&[(1 << 19) | (1 << 5)], &[0xd8, 0x3f, 0x7e, 76]),
        radiotap_header(&[(1 << 21) | (1 << 1)], &cat(&[&[0, 0], &vht])),
        radiotap_header(
            &[(1 << 3) | (1 << 18) | (1 << 19)],
            &cat(&[&chan, &[0x80, 0, 1, 0, 0x6c, 0x09, 1, 30], &[7, 1, 33]]),
        ),
        radiotap_header(
            &[(1 << 14) | (1 << 20) | (1 << 5)],
            &cat(&[&[0xc4, 0, 0, 0], &[0; 4], &[1, 0, 2, 0, 0, 0, 0, 0]]),
        ),
        radiotap_header(&[(1 << 5) | (1 << 15) | (1 << 11)], &[0xd8, 0, 0, 1]),
        radiotap_header(&[(1 << 23) | (1 << 2)], &[0x16, 0, 0, 0]),
        radiotap_header(&[(1 << 31) | (1 << 5), 1], &[0xd8, 0, 0, 0]),
        radiotap_header(
            &[
                (1 << 30) | (1 << 31) | (1 << 5),
                (1 << 29) | (1 << 31) | 0xff,
                1 << 6,
            ],
            &[0xd8, 0, 0, 0x11, 0x22, 1, 3, 0, 9, 9, 9, 0xa0],
        ),
        radiotap_header(&[(1 << 30) | (1 << 5), 7], &[0xd8, 0, 0x11]),
        radiotap_header(&[(1 << 19) | (1 << 5)], &[0xd8, 7, 0]),
        radiotap_header(&[(1 << 8) | (1 << 9)], &[0xff, 0xff, 0x80]),
    ]
}

/// Radiotap headers with an HT field for every MCS index (and a few past
/// the last), bandwidth and guard interval, what is known of them varied,
/// and a VHT field for every bandwidth code; each before a beacon.
pub fn radiotap_rates() -> Vec<Vec<u8>> {
    let beacon = mgmt(
        8,
        BCAST,
        AP,
        AP,
        &cat(&[&[0; 8], &[100, 0, 0x11, 0], &[0, 2, b'h', b'i']]),
    );
    let mut out = Vec::new();
    for index in 0..=80u8 {
        for flags in 0..8u8 {
            let known = [0x07, 0x3f, 0x03, 0x06, 0x02, 0x7f][usize::from((index + flags) % 6)];
            let h = radiotap_header(&[1 << 19], &[known, flags | (index & 0x78), index]);
            out.push(cat(&[&h, &beacon]));
        }
    }
    for bw in 0..32u8 {
        let known = if bw % 3 == 0 { 0x04 } else { 0x44 };
        let vht = [
            known,
            0,
            bw & 4,
            bw,
            (bw << 4) | 1,
            0,
            bw >> 2,
            0x23,
            bw & 0xf,
            0,
            0,
            0,
        ];
        out.push(cat(&[&radiotap_header(&[1 << 21], &vht), &beacon]));
    }
    out
}

/// 802.11 frames of every type, subtype and pair of DS bits, with four
/// distinct addresses (a broadcast and a multicast one among them), data
/// frames carrying IPv4 through LLC/SNAP: what the address, type and
/// subtype filters tell apart.
pub fn wlan_filter_frames() -> Vec<Vec<u8>> {
    let addrs: Vec<[u8; 6]> = (1..=4).map(|i| [0, 0x11, 0x22, 0x33, 0x44, i]).collect();
    let snap: &[u8] = &[0xaa, 0xaa, 3, 0, 0, 0, 8, 0];
    let ip = ipv4_echo();
    let mut out = Vec::new();
    for kind in 0..4u8 {
        for subtype in 0..16u8 {
            for ds in 0..4u8 {
                let mut a = addrs.clone();
                match (kind, subtype, ds) {
                    (2, 0, 1) | (0, 8, 0) => a[0] = BCAST,
                    (2, 0, 2) => a[2] = [1, 0, 0x5e, 0, 0, 1],
                    _ => {}
                }
                let head = cat(&[
                    &[(subtype << 4) | (kind << 2), ds, 0, 0],
                    &a[0],
                    &a[1],
                    &a[2],
                    &[0x10, 0],
                ]);
                let body = if kind == 2 {
                    let qos: &[u8] = if subtype & 8 != 0 { &[0, 0] } else { &[] };
                    let a4: &[u8] = if ds == 3 { &a[3] } else { &[] };
                    cat(&[a4, qos, snap, &ip])
                } else {
                    cat(&[&a[3], &[0; 12]])
                };
                out.push(cat(&[&head, &body]));
            }
        }
    }
    out
}

/// 802.11 data frames (plain and QoS, every pair of DS bits) whose
/// bodies are what libpcap's `vlan` and LLC-type tests look at: SNAP
/// with one and two VLAN tags before IPv4, LLC without SNAP for STP,
/// OSI, IPX, NetBEUI and IP's own SAP, AppleTalk's SNAP header, and the
/// management frames of [`wlan_filter_frames`] beside them.
pub fn wlan_llc_frames() -> Vec<Vec<u8>> {
    let ip = ipv4_echo();
    let snap = |t: &[u8]| cat(&[&[0xaa, 0xaa, 3, 0, 0, 0], t]);
    let bodies = [
        cat(&[&snap(&[0x81, 0, 0, 5, 8, 0]), &ip]),
        cat(&[&snap(&[0x81, 0, 0, 7, 0x81, 0, 0, 5, 8, 0]), &ip]),
        cat(&[&snap(&[0x88, 0xa8, 0x20, 7, 0x86, 0xdd]), &[0; 40]]),
        cat(&[&[0x42, 0x42, 3], &[0; 35][..]]),
        cat(&[&[0xfe, 0xfe, 3, 0x83], &[0; 20][..]]),
        cat(&[&[0xe0, 0xe0, 3], &[0; 30][..]]),
        cat(&[&[0xf0, 0xf0, 3], &[0; 20][..]]),
        cat(&[&[0xaa, 0xaa, 3, 8, 0, 7, 0x80, 0x9b], &[0; 20][..]]),
        cat(&[&[6, 6, 3], &ip]),
    ];
    let kinds: Vec<(u8, bool)> = (0..8).map(|i| (i / 2, i % 2 == 1)).collect();
    let mut out: Vec<Vec<u8>> = bodies
        .iter()
        .flat_map(|body| wlan_data_frames(body, &kinds))
        .collect();
    out.extend(wlan_filter_frames().into_iter().step_by(5));
    out
}

/// OSI PDUs after LLC SAP 0xfe: CLNP, ES-IS, and IS-IS of each PDU type
/// (what `clnp`, `esis`, `isis`, `l1`, `iih` … tell apart).
pub fn wlan_osi_bodies() -> Vec<Vec<u8>> {
    let mut out = vec![
        cat(&[&[0xfe, 0xfe, 3, 0x81], &[0; 12][..]]),
        cat(&[&[0xfe, 0xfe, 3, 0x82], &[0; 12][..]]),
    ];
    for pdu in [15u8, 16, 17, 18, 20, 24, 25, 26, 27, 30] {
        out.push(cat(&[
            &[0xfe, 0xfe, 3, 0x83, 27, 1, 0, pdu, 1, 0, 0],
            &[0; 8][..],
        ]));
    }
    out
}

/// `body` after data frames' headers with these DS bits (0 to 3) and QoS
/// control or not: addresses 00:11:22:33:44:0N for address N.
pub fn wlan_data_frames(body: &[u8], kinds: &[(u8, bool)]) -> Vec<Vec<u8>> {
    let a = |i: u8| [0, 0x11, 0x22, 0x33, 0x44, i];
    kinds
        .iter()
        .map(|&(ds, qos)| {
            let a4: &[u8] = if ds == 3 { &a(4) } else { &[] };
            let q: &[u8] = if qos { &[0, 0] } else { &[] };
            let fc = if qos { 0x88 } else { 0x08 };
            cat(&[
                &[fc, ds, 0, 0],
                &a(1),
                &a(2),
                &a(3),
                &[0x10, 0],
                a4,
                q,
                body,
            ])
        })
        .collect()
}

/// 802.11 data frames for `-H`: 802.11s mesh control (address extension
/// modes 0 to 3, with their extension addresses) before LLC/SNAP and
/// IPv4, IPv6 or ARP, in QoS data frames of every DS pair and in plain
/// ones (where no mesh control is looked for); a QoS frame whose first
/// byte after the header has other bits set (no mesh control), a QoS
/// Null frame, and one without mesh control at all.
pub fn wlan_mesh_frames() -> Vec<Vec<u8>> {
    let snap = |t: u16, p: &[u8]| cat(&[&[0xaa, 0xaa, 3, 0, 0, 0], &t.to_be_bytes(), p]);
    let payloads = [
        snap(0x0800, &ipv4_echo()),
        snap(0x86dd, &ipv6_udp()),
        snap(0x0806, &arp_request()),
    ];
    let extension = [
        0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 1, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 2, 0x0a,
    ];
    let mut frames = Vec::new();
    for ae in 0..4u8 {
        let seq = (0x0102_0304u32 + u32::from(ae)).to_le_bytes();
        let ext: Vec<u8> = (0..6 * usize::from(ae))
            .map(|i| extension[i % 13] ^ ae)
            .collect();
        let mesh = cat(&[&[ae, 31 + ae], &seq, &ext]);
        let payload = &payloads[usize::from(ae) % payloads.len()];
        let kinds = [(0, true), (1, true), (2, true), (3, true), (0, false)];
        frames.extend(wlan_data_frames(&cat(&[&mesh, payload]), &kinds));
    }
    frames.extend(wlan_data_frames(
        &cat(&[&[4, 31], &payloads[0][..]]),
        &[(0, true)],
    ));
    frames.extend(wlan_data_frames(&payloads[0], &[(2, true)]));
    frames.push(cat(&[&[0xc8, 1, 0, 0], &[0x22; 18], &[0x10, 0, 0, 0]]));
    frames
}

/// LLC PDUs whose lines tcpdump's LLC printer writes as for an 802.3
/// frame: SNAP with VLAN EtherTypes and one it does not know (words and
/// hex), Cisco's CDP, DTP, VTP, UDLD and PVST+ and an unknown protocol
/// id, an unknown OUI, LLDP and EAPOL through SNAP, IPv4 through Cisco's
/// bridged OUI, SNAP SAPs with their group bits, and IP's own SAP (the
/// network layer's line after them); without SNAP STP,
/// OSI, NetBEUI, I, S and U frames (XID with and without its format
/// identifier, TEST, a group DSAP, a response), SAPs that differ.
pub fn wlan_llc_bodies() -> Vec<Vec<u8>> {
    let ip = ipv4_echo();
    let snap = |oui: [u8; 3], t: u16, p: &[u8]| cat(&[&[0xaa, 0xaa, 3], &oui, &t.to_be_bytes(), p]);
    let cisco = [0, 0, 0x0c];
    let cdp = cat(&[&[2, 180, 0, 0], &[0, 1, 0, 6, b'a', b'b']]);
    let stp = cat(&[
        &[0, 0, 0, 0, 0],
        &[0x80, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55],
        &[0; 22],
    ]);
    vec![
        snap([0; 3], 0x8100, &cat(&[&[0, 5, 8, 0], &ip])),
        snap([0; 3], 0x88a8, &cat(&[&[0x20, 7, 0x86, 0xdd], &[0; 40]])),
        snap([0; 3], 0x9100, &cat(&[&[0, 5, 8, 0], &ip])),
        snap([0; 3], 0x1234, &[1, 2, 3, 4, 5, 6]),
        snap(
            [0; 3],
            0x88cc,
            &[
                2, 7, 4, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 4, 2, 7, b'x', 6, 2, 0, 120, 0, 0,
            ],
        ),
        snap([0; 3], 0x888e, &[1, 1, 0, 0]),
        snap(cisco, 0x2000, &cdp),
        snap(cisco, 0x2004, &[1, 0, 1, 0, 5, b'd', 0]),
        snap(
            cisco,
            0x2003,
            &cat(&[&[1, 1, 0, 3, b'v', b't', b'p'], &[0; 29]]),
        ),
        snap(
            cisco,
            0x0111,
            &[0x21, 0x80, 0, 0, 0, 1, 0, 8, b'd', b'e', b'v', b'1'],
        ),
        snap(cisco, 0x010b, &stp),
        snap(cisco, 0x4242, &[9; 10]),
        snap([0x12, 0x34, 0x56], 0x0800, &ip),
        snap([0, 0, 0xf8], 0x0800, &ip),
        cat(&[&[0xab, 0xab, 3, 0, 0, 0, 8, 0], &ip]),
        cat(&[&[6, 6, 3], &ip]),
        cat(&[&[7, 6, 3], &ip]),
        snap([8, 0, 7], 0x1234, &[7; 8]),
        cat(&[&[0x42, 0x42, 3], &stp]),
        cat(&[&[0x43, 0x42, 3], &stp]),
        cat(&[&[0x42, 0x42, 0x13], &stp]),
        cat(&[&[0xfe, 0xfe, 3, 0x83], &[0; 20][..]]),
        cat(&[&[0xf0, 0xf0, 3], &[0x2c, 0, 0xff, 0xef, 8, 0]]),
        cat(&[&[0xf0, 0xf1, 0x0a, 0x07], &[1, 2, 3]]),
        cat(&[&[0xf0, 0xf0, 0x01, 0x05], &[1, 2, 3]]),
        cat(&[&[0xf0, 0xf0, 0x09, 0x04], &[]]),
        cat(&[&[0x04, 0x05, 0xaf], &[0x81, 1, 2, 3]]),
        cat(&[&[0x04, 0x04, 0xbf], &[0x81, 1]]),
        cat(&[&[0x04, 0x04, 0xaf], &[0x82, 1, 2]]),
        vec![0x04, 0x04, 0xaf],
        cat(&[&[0x04, 0x05, 0xe3], &[1, 2, 3, 4]]),
        cat(&[&[0x12, 0x34, 0x6f], &[5; 4]]),
        cat(&[&[0x12, 0x35, 0x63], &[5; 4]]),
        cat(&[&[0xaa, 0xaa, 0x00, 0x02], &[1, 2, 3]]),
        cat(&[&[0xab, 0xaa, 0xf3], &[1, 2, 3]]),
        cat(&[&[0x06, 0x07, 0x43], &[]]),
        cat(&[&[0xe0, 0xe0, 0x0f], &[6; 6]]),
    ]
    .into_iter()
    .chain(bridged_bodies())
    .collect()
}

/// RFC 2684 bridged frames behind LLC/SNAP (OUI 00-80-c2): Ethernet
/// without and with its FCS (two pad bytes first) carrying IPv4, IPv6,
/// ARP, a VLAN-tagged IPv4 packet, an 802.3 frame with STP, an unknown
/// EtherType; a BPDU; media tcpdump does not follow (802.4, 802.6) and an
/// unknown protocol id; a header without its pad.
pub fn bridged_bodies() -> Vec<Vec<u8>> {
    let bridged = |pid: u8, frame: &[u8]| cat(&[&[0xaa, 0xaa, 3, 0, 0x80, 0xc2, 0, pid], frame]);
    let eth = |t: &[u8], p: &[u8]| cat(&[&[0, 0], &STA, &AP, t, p]);
    let stp = cat(&[
        &[0, 0, 0, 0, 0],
        &[0x80, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55],
        &[0; 22],
    ]);
    let stp_8023 = cat(&[
        &(3 + stp.len() as u16).to_be_bytes()[..],
        &[0x42, 0x42, 3],
        &stp,
    ]);
    vec![
        bridged(7, &eth(&[8, 0], &ipv4_echo())),
        bridged(
            1,
            &cat(&[&eth(&[0x86, 0xdd], &ipv6_udp()), &[0xde, 0xad, 0xbe, 0xef]]),
        ),
        bridged(7, &eth(&[8, 6], &arp_request())),
        bridged(7, &eth(&[0x81, 0, 0, 5, 8, 0], &ipv4_echo())),
        bridged(7, &eth(&[], &stp_8023)),
        bridged(7, &eth(&[0x12, 0x34], b"abcdef")),
        bridged(0x0e, &stp),
        bridged(2, &[0; 16]),
        bridged(0x0b, &[1; 12]),
        bridged(0x42, &[2; 8]),
        bridged(7, &[]),
    ]
}

/// Ethernet frames for `llc`: each LLC PDU of [`wlan_llc_bodies`] and
/// [`llc_ip_bodies`] in an 802.3 frame, bare, behind an 802.1Q tag (vlan
/// 5) and behind two; Novell's raw 802.3 IPX; Ethernet II IPv4 bare and
/// tagged; an 802.3 length of 1500 and a type of 1536.
pub fn llc_ethernet_frames() -> Vec<Vec<u8>> {
    let frame = |tags: &[u8], t: &[u8], body: &[u8]| cat(&[&AP, &STA, tags, t, body]);
    let tag = [0x81, 0, 0, 5];
    let two = [0x88, 0xa8, 0, 7, 0x81, 0, 0, 5];
    let mut frames = Vec::new();
    for body in wlan_llc_bodies().iter().chain(&llc_ip_bodies()) {
        let len = (body.len() as u16).to_be_bytes();
        for tags in [&[][..], &tag, &two] {
            frames.push(frame(tags, &len, body));
        }
    }
    let raw_ipx = cat(&[&[0xff, 0xff, 0, 30, 0, 0], &[0; 24]]);
    frames.push(frame(&[], &(raw_ipx.len() as u16).to_be_bytes(), &raw_ipx));
    frames.push(frame(&tag, &(raw_ipx.len() as u16).to_be_bytes(), &raw_ipx));
    for tags in [&[][..], &tag, &two] {
        frames.push(frame(tags, &[8, 0], &ipv4_echo()));
    }
    frames.push(frame(&[], &1500u16.to_be_bytes(), &[0xf0, 0xf0, 3, 1, 2]));
    frames.push(frame(&[], &1536u16.to_be_bytes(), &[0xf0, 0xf0, 3, 1, 2]));
    frames
}

/// [`bridged_bodies`] in 802.3 frames and Linux cooked packets of
/// protocol 802.2 (v1 and v2), by link type.
pub fn bridged_captures() -> Vec<(u32, String, Vec<Vec<u8>>)> {
    let frame = |body: &Vec<u8>| cat(&[&AP, &STA, &(body.len() as u16).to_be_bytes(), body]);
    let cooked = |v2: bool| -> Vec<Vec<u8>> {
        let head = cooked_8022_head(v2);
        bridged_bodies().iter().map(|b| cat(&[&head, b])).collect()
    };
    vec![
        (
            1,
            "bridged-8023".into(),
            bridged_bodies().iter().map(frame).collect(),
        ),
        (113, "bridged-sll".into(), cooked(false)),
        (276, "bridged-sll2".into(), cooked(true)),
    ]
}

/// `frames` as 802.11 (105) and behind a radiotap header (127).
pub fn bare_and_behind_radiotap(frames: &[Vec<u8>]) -> [(u32, Vec<Vec<u8>>); 2] {
    [(105, frames.to_vec()), (127, behind_radiotap(frames))]
}

/// `frames` behind a radiotap header (flags and rate).
pub fn behind_radiotap(frames: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let head = radiotap_header(&[(1 << 1) | (1 << 2)], &[0, 2]);
    frames.iter().map(|f| cat(&[&head, f])).collect()
}

/// A PKTAP record (Apple's, 108-byte header, little endian) of type
/// `rectype` carrying a frame of DLT `dlt`.
pub fn pktap_record(rectype: u32, dlt: u32, frame: &[u8]) -> Vec<u8> {
    let name = |n: &[u8]| cat(&[n, &[0; 24][n.len()..]]);
    let words: Vec<u8> = [108, rectype, dlt]
        .iter()
        .flat_map(|w: &u32| w.to_le_bytes())
        .collect();
    let head = cat(&[
        &words,
        &name(b"en0"),
        &[0; 20],
        &name(b"curl")[..20],
        &[0; 12],
        &name(b"curl")[..20],
    ]);
    cat(&[&head, frame])
}

fn pktap_frames() -> Vec<Vec<u8>> {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    let eth = cat(&[&[2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0], &ip]);
    let mut bad_len = pktap_record(1, 1, &[]);
    bad_len[0] = 50;
    let mut too_long = pktap_record(1, 1, &[]);
    too_long[0] = 200;
    let unknown = cat(&[&[2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x12, 0x34], b"hello"]);
    vec![
        pktap_record(1, 1, &eth),
        pktap_record(1, 0, &cat(&[&[2, 0, 0, 0], &ip])),
        pktap_record(1, 12, &ip6),
        // DLT_RAW (12) before IPv4: a cut header is the raw printer's
        // `IP  [|ip]`.
        pktap_record(1, 12, &ip),
        // OpenBSD's DLT_RAW and the file number: no DLT to tcpdump.
        pktap_record(1, 14, &ip),
        pktap_record(1, 101, &ip),
        pktap_record(1, 147, b"abc"),
        // The header alone, the packet empty on the wire too: Ethernet's
        // `[|ether]`, the IP printers' `truncated-ip 0`.
        pktap_record(1, 1, &[]),
        pktap_record(1, 12, &[]),
        pktap_record(1, 229, &[]),
        // An EtherType tcpdump has no printer for: the frame's length.
        pktap_record(1, 1, &unknown),
        pktap_record(0, 1, &eth),
        bad_len,
        too_long,
    ]
}

/// Packets of every other link type tcpdump's PKTAP printer hands on,
/// each printed as a packet of its own link type: 802.3 frames with LLC
/// (STP; SNAP whose 802.3 length ends before the IP packet), PPP (IP and
/// LCP), PPP in HDLC framing, Cisco HDLC, Linux cooked v1 and v2, FDDI,
/// 802.11, radiotap, a VLAN tag, DLT_IPV4 and DLT_IPV6, BSD/OS PPP,
/// Classical IP over ATM, RFC 1483 ATM; and the file link-type numbers
/// that are no DLT on Linux (`DLT UNKNOWN`).
fn pktap_inner_frames() -> Vec<Vec<u8>> {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    let (a, b) = ([2, 0, 0, 0, 0, 2], [2, 0, 0, 0, 0, 1]);
    let stp = [
        0x42, 0x42, 3, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0,
        0, 1, 0x80, 1, 0, 0, 0x14, 0, 2, 0, 0x0f, 0,
    ];
    let snap_ip = cat(&[&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0], &ip]);
    let len = |n: usize| (n as u16).to_be_bytes();
    let mut frames = vec![
        pktap_record(
            1,
            1,
            &cat(&[&[1, 0x80, 0xc2, 0, 0, 0], &b, &len(stp.len()), &stp]),
        ),
        pktap_record(1, 9, &cat(&[&[0xff, 3, 0, 0x21], &ip])),
        pktap_record(1, 9, &[0xc0, 0x21, 1, 1, 0, 4]),
        pktap_record(1, 50, &cat(&[&[0xff, 3, 0, 0x21], &ip])),
        pktap_record(1, 104, &cat(&[&[0x0f, 0, 8, 0], &ip])),
        pktap_record(1, 113, &cat(&[&[0, 0, 0, 1, 0, 6], &b, &[0, 0, 8, 0], &ip])),
        pktap_record(
            1,
            276,
            &cat(&[&[8, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6], &b, &[0, 0], &ip]),
        ),
        pktap_record(1, 10, &cat(&[&[0x50], &a, &b, &snap_ip])),
        pktap_record(
            1,
            105,
            &cat(&[
                &[0x80, 0, 0, 0],
                &[0xff; 6],
                &b,
                &b,
                &[0; 14],
                &[0, 0, 0, 4],
                b"test",
            ]),
        ),
        pktap_record(
            1,
            127,
            &cat(&[
                &[0, 0, 8, 0, 0, 0, 0, 0, 8, 2, 0, 0],
                &[0xff; 6],
                &[0; 14],
                &snap_ip,
            ]),
        ),
        pktap_record(1, 1, &cat(&[&a, &b, &[0x81, 0, 0, 5, 8, 0], &ip])),
        pktap_record(1, 228, &ip),
        pktap_record(1, 229, &ip6),
        pktap_record(1, 16, &cat(&[&[0; 16], &ip])),
        pktap_record(1, 19, &cat(&[&[0; 16], &ip])),
        pktap_record(1, 11, &cat(&[&[0; 16], &ip])),
    ];
    for n in [8, 9, 20, 28, 40] {
        frames.push(pktap_record(1, 1, &cat(&[&a, &b, &len(n), &snap_ip])));
    }
    for dlt in [100, 102, 103, 106] {
        frames.push(pktap_record(1, dlt, &cat(&[&[0; 16], &ip])));
    }
    frames
}

fn pktap_inner() -> LinkCases {
    LinkCases::new(258, "pktap-inner", pktap_inner_frames(), false)
}

/// 802.3 frames whose length field ends before their bytes do, SNAP
/// before IPv4: tcpdump's LLC printer reads as far as the length goes
/// (`[|ip]`, `truncated-ip - 12 bytes missing!`), the rest is pad.
pub fn ether_8023_lengths() -> Vec<Vec<u8>> {
    let snap_ip = cat(&[&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0], &ipv4_echo()]);
    [8u16, 9, 20, 28, 40, 60]
        .iter()
        .map(|n| {
            cat(&[
                &[2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1],
                &n.to_be_bytes(),
                &snap_ip,
            ])
        })
        .collect()
}

fn pktap() -> LinkCases {
    LinkCases::new(258, "pktap", pktap_frames(), false)
}

/// PKTAP under Darwin's DLT number (DLT_USER2's), as files from macOS
/// carry it: printed as PKTAP's.
fn pktap_darwin() -> LinkCases {
    LinkCases::new(149, "pktap-darwin", pktap_frames(), false)
}

fn user0() -> LinkCases {
    LinkCases::new(147, "user0", vec![vec![1, 2, 3], ipv4_echo()], false)
}

/// Every link type's cases.
pub fn all() -> Vec<LinkCases> {
    vec![
        ppp(),
        ppp_hdlc(),
        chdlc(),
        frelay(),
        nflog(),
        ipoib(),
        wlan(),
        radiotap(),
        pktap(),
        pktap_darwin(),
        pktap_inner(),
        user0(),
    ]
}

/// A capture of `frames`, each whole and then cut by the snap length at
/// every byte up to `cuts` (the headers' truncation marks).
pub fn capture(link: u32, frames: &[Vec<u8>], cuts: usize) -> Vec<u8> {
    let mut records = Vec::new();
    let mut t = 0u32;
    let mut push = |data: &[u8], orig: usize| {
        records.push(Record {
            ts_sec: 1_000_000 + t / 100,
            ts_frac: (t % 100) * 10_000,
            data: Cow::Owned(data.to_vec()),
            orig_len: orig as u32,
        });
        t += 1;
    };
    for f in frames {
        push(f, f.len());
    }
    for f in frames {
        for cut in 1..f.len().min(cuts) {
            push(&f[..cut], f.len());
        }
    }
    write_pcap(Layout::new(link, 262_144), records)
}

/// An IPv4 UDP datagram (192.168.1.1.5000 > 192.168.1.2.6000) whose UDP
/// checksum is wrong (what `-v` judges).
fn ipv4_udp_bad_sum() -> Vec<u8> {
    let mut b = Vec::new();
    etherparse::PacketBuilder::ipv4([192, 168, 1, 1], [192, 168, 1, 2], 64)
        .udp(5000, 6000)
        .write(&mut b, b"hello")
        .expect("builds");
    b[26] ^= 0x55;
    b
}

/// An ARP request (192.168.1.1 asks for 192.168.1.2).
fn arp_request() -> Vec<u8> {
    cat(&[
        &[0, 1, 8, 0, 6, 4, 0, 1],
        &STA,
        &[192, 168, 1, 1],
        &[0; 6],
        &[192, 168, 1, 2],
    ])
}

/// LLC PDUs tcpdump's LLC printer hands to the network layer: IP's SAP
/// 0x06 (UI, each group and response bit) before IPv4 (ICMP, UDP with a
/// wrong checksum) and an IPv6 header (which the IPv4 printer calls the
/// wrong encapsulation); SNAP (OUI 0 and Cisco's bridged 0xf8, the SNAP
/// SAPs' group bits) before IPv4, IPv6 and ARP; and the near misses the
/// LLC printer keeps (SAP 0x06 in an I frame, SAP 0x06 to STP's); ISO's
/// SAP 0xfe before the NLPIDs of IPv4 and IPv6 (0xcc, 0x8e), which
/// tcpdump's ISO printer hands on, and the same in an I frame; SNAP
/// before PPP (0x880b), MPLS and PPPoE, which its EtherType printer
/// follows.
pub fn llc_ip_bodies() -> Vec<Vec<u8>> {
    let (ip, udp, ip6, arp) = (ipv4_echo(), ipv4_udp_bad_sum(), ipv6_udp(), arp_request());
    let mut bodies = Vec::new();
    for (d, s) in [(6, 6), (7, 6), (6, 7), (7, 7)] {
        bodies.push(cat(&[&[d, s, 3], &ip]));
    }
    bodies.push(cat(&[&[6, 6, 3], &udp]));
    bodies.push(cat(&[&[6, 6, 3], &ip6]));
    for oui in [0, 0xf8] {
        for (t, p) in [([8, 0], &ip), ([0x86, 0xdd], &ip6), ([8, 6], &arp)] {
            bodies.push(cat(&[&[0xaa, 0xaa, 3, 0, 0, oui], &t, p]));
        }
    }
    bodies.push(cat(&[&[0xab, 0xaa, 3, 0, 0, 0, 8, 0], &udp]));
    bodies.push(cat(&[&[6, 6, 0x10, 0], &ip]));
    bodies.push(cat(&[&[6, 0x42, 3], &ip]));
    // ISO's SAP with the NLPIDs of IPv4 and IPv6 (either group and
    // response bit), and a near miss on the control byte.
    bodies.push(cat(&[&[0xfe, 0xfe, 3, 0xcc], &ip]));
    bodies.push(cat(&[&[0xff, 0xfe, 3, 0xcc], &udp]));
    bodies.push(cat(&[&[0xfe, 0xff, 3, 0x8e], &ip6]));
    bodies.push(cat(&[&[0xfe, 0xfe, 0x13, 0xcc], &ip]));
    // ISO's SAP with PPP's NLPID (0xcf: with and without the address and
    // control bytes, LCP, empty) and Q.933's (0x08: ANSI link integrity
    // verification, an enquiry and a full status reply), which tcpdump's
    // ISO printer hands to its PPP and Q.933 printers.
    bodies.push(cat(&[&[0xfe, 0xfe, 3, 0xcf, 0xff, 3, 0, 0x21], &ip]));
    bodies.push(cat(&[&[0xfe, 0xfe, 3, 0xcf, 0, 0x57], &ip6]));
    bodies.push(vec![0xfe, 0xfe, 3, 0xcf, 0xc0, 0x21, 1, 1, 0, 4]);
    bodies.push(vec![0xfe, 0xfe, 3, 0xcf]);
    bodies.push(vec![0xfe, 0xfe, 3, 8, 0, 0x75, 0x95, 1, 1, 1, 3, 2, 1, 0]);
    bodies.push(vec![0xfe, 0xfe, 3, 8, 0, 0x7d, 0x95, 1, 1, 0, 3, 2, 2, 1]);
    // SNAP before the tunnels tcpdump's EtherType printer follows: PPP
    // (0x880b: with and without its address and control, LCP, empty),
    // MPLS and a PPPoE session.
    let snap = |t: u16, p: &[u8]| cat(&[&[0xaa, 0xaa, 3, 0, 0, 0], &t.to_be_bytes()[..], p]);
    bodies.push(snap(0x880b, &cat(&[&[0xff, 3, 0, 0x21], &ip])));
    bodies.push(snap(0x880b, &cat(&[&[0, 0x57], &ip6])));
    bodies.push(snap(0x880b, &[0xc0, 0x21, 1, 1, 0, 4]));
    bodies.push(snap(0x880b, &[]));
    bodies.push(snap(0x8847, &cat(&[&[0, 1, 0x11, 0x40], &ip])));
    let session = super::tunnel_captures::pppoe(0, 0x1234, &cat(&[&[0, 0x21], &ip]));
    bodies.push(snap(0x8864, &session));
    bodies
}

/// Each of [`llc_ip_bodies`] in an 802.3 frame, then one padded to
/// Ethernet's 60 bytes and two behind an 802.1Q tag.
pub fn llc_ip_8023_frames() -> Vec<Vec<u8>> {
    let frame = |tag: &[u8], body: &[u8], pad: usize| {
        let len = (body.len() as u16).to_be_bytes();
        cat(&[&AP, &STA, tag, &len, body, &vec![0; pad]])
    };
    let mut frames: Vec<Vec<u8>> = llc_ip_bodies().iter().map(|b| frame(&[], b, 0)).collect();
    // An IPv4 header alone (total length 20, protocol 253).
    let mut tiny = cat(&[&[6, 6, 3], &ipv4_echo()[..20]]);
    (tiny[5], tiny[6], tiny[12]) = (0, 20, 0xfd);
    frames.push(frame(&[], &tiny, 60 - 14 - tiny.len()));
    let tag = [0x81, 0, 0, 5];
    frames.push(frame(&tag, &cat(&[&[6, 6, 3], &ipv4_echo()]), 0));
    frames.push(frame(
        &tag,
        &cat(&[&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0], &ipv4_echo()]),
        0,
    ));
    frames
}

/// Each of [`llc_ip_bodies`] in a Linux cooked packet of protocol 802.2
/// (v1, or v2 on interface 1), then each behind an 802.1Q tag.
pub fn llc_ip_cooked(v2: bool) -> Vec<Vec<u8>> {
    let head = cooked_8022_head(v2);
    let mut frames: Vec<Vec<u8>> = llc_ip_bodies().iter().map(|b| cat(&[&head, b])).collect();
    // The same behind an 802.1Q tag (vlan 5, priority 3) whose type field
    // is the LLC PDU's length: tcpdump's cooked printer takes any length
    // there for protocol 802.2.
    let mut tagged = head.clone();
    let proto_at = if v2 { 0 } else { 14 };
    tagged[proto_at..proto_at + 2].copy_from_slice(&[0x81, 0]);
    frames.extend(llc_ip_bodies().iter().map(|b| {
        let len = (b.len() as u16).to_be_bytes();
        cat(&[&tagged, &[0x60, 5], &len, b])
    }));
    frames
}

/// A Linux cooked header (v1, or v2 on interface 1) of protocol 802.2.
fn cooked_8022_head(v2: bool) -> Vec<u8> {
    if v2 {
        cat(&[&[0, 4, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6], &STA, &[0, 0]])
    } else {
        cat(&[&[0, 0, 0, 1, 0, 6], &STA, &[0, 0, 0, 4]])
    }
}

/// [`llc_ip_8023_frames`] and [`llc_ip_cooked`] by link type.
pub fn llc_ip_captures() -> Vec<(u32, String, Vec<Vec<u8>>)> {
    vec![
        (1, "llc-ip-8023".into(), llc_ip_8023_frames()),
        (113, "llc-ip-sll".into(), llc_ip_cooked(false)),
        (276, "llc-ip-sll2".into(), llc_ip_cooked(true)),
    ]
}

/// Frame Relay SNAP (NLPID 0x80, RFC 2427): every SNAP header of
/// [`wlan_llc_bodies`] and [`llc_ip_bodies`] after the Q.922 header
/// instead of LLC's three bytes (VLAN, LLDP and EAPOL by EtherType,
/// Cisco's CDP, DTP, VTP, UDLD and PVST+, unknown OUIs and protocol ids,
/// IPv4, IPv6 and ARP through OUI 0 and Cisco's bridged 0xf8, RFC 2684's
/// bridged Ethernet with and without its FCS and BPDUs, other media);
/// the bridged frames again without the pad RFC 2684 puts after an
/// 802.3 header's SNAP (RFC 2427 has none); each of
/// [`ether_type_payloads`] behind OUI 0, some behind Cisco's bridged OUI
/// and after the pad byte of a three-byte-address header.
pub fn frelay_snap_frames() -> Vec<Vec<u8>> {
    let fr = |snap: &[u8]| cat(&[&[0x18, 0x41, 3, 0x80], snap]);
    let mut frames = Vec::new();
    for body in wlan_llc_bodies().iter().chain(&llc_ip_bodies()) {
        if let [0xaa | 0xab, 0xaa | 0xab, 3, snap @ ..] = body.as_slice() {
            frames.push(fr(snap));
        }
    }
    for body in bridged_bodies() {
        if let [_, _, _, head @ .., _, _] = &body[..body.len().min(10)] {
            frames.push(fr(&cat(&[head, body.get(10..).unwrap_or(&[])])));
        }
    }
    let payloads = ether_type_payloads();
    frames.extend(payloads.iter().map(|p| fr(&cat(&[&[0, 0, 0], p]))));
    for p in payloads.iter().step_by(7) {
        frames.push(fr(&cat(&[&[0, 0, 0xf8], p])));
        frames.push(cat(&[&[0x18, 0x40, 0x0b, 3, 0, 0x80, 0, 0, 0], p]));
    }
    frames
}

/// EtherTypes and their payloads that tcpdump's EtherType printer
/// decodes (those of Ethernet frames: PTP, the slow protocols, EAPOL,
/// LLDP; IPX, AppleTalk, AARP; MPLS, PPPoE, RARP, ISO CLNS's 0xfefe, CALM
/// FAST) and some it does not (MACsec's, transparent Ethernet bridging).
pub fn ether_type_payloads() -> Vec<Vec<u8>> {
    use super::control_captures::{eapol_frames, lldp_frames, ptp_frames, slow_frames};
    use super::ipx_atalk_captures::{aarp_messages, ddp_messages, ipx_messages};
    let by_type = |t: u16, m: &[u8]| cat(&[&t.to_be_bytes()[..], m]);
    let mut payloads: Vec<Vec<u8>> = [ptp_frames(), slow_frames(), eapol_frames(), lldp_frames()]
        .concat()
        .iter()
        .filter_map(|f| Some(f.get(12..)?.to_vec()))
        .collect();
    for (t, messages) in [
        (0x8137, ipx_messages()),
        (0x809b, ddp_messages()),
        (0x80f3, aarp_messages()),
    ] {
        payloads.extend(messages.iter().map(|m| by_type(t, m)));
    }
    let ip = ipv4_echo();
    let pppoe = super::tunnel_captures::pppoe;
    payloads.extend([
        by_type(0x8847, &cat(&[&[0, 1, 0x11, 0x40], &ip])),
        by_type(0x8848, &cat(&[&[0, 1, 0x10, 0x40, 0, 2, 0x21, 0x3f], &ip])),
        by_type(0x8863, &pppoe(0x09, 0, &[1, 1, 0, 0])),
        by_type(0x8864, &pppoe(0, 0x1234, &cat(&[&[0, 0x21], &ip]))),
        by_type(0x8035, &arp_request()),
        by_type(0xfefe, &cat(&[&[3, 0x83], &[0; 20]])),
        by_type(0x88e5, &[0x2c, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
        by_type(0x1111, &[1, 2, 3, 4, 5, 6, 7, 8]),
        by_type(0x6558, &cat(&[&AP, &STA, &[8, 0], &ip])),
    ]);
    payloads
}

/// Cisco's EtherType encapsulation in Frame Relay (a control byte other
/// than UI, then an EtherType): IPv4, IPv6, ARP and each of
/// [`ether_type_payloads`] after two-, three- and four-byte addresses;
/// EtherTypes tcpdump's printer does not decode, whose first byte it
/// calls the control byte (`UI 12! `) before reading a pad byte and an
/// NLPID (IPv4, SNAP, Q.933, VLAN's 0x81 …); the same on DLCI 0 (no
/// EtherType tried). Then IPv6 packets of versions 0, 4, 5 and 7 by
/// NLPID and in PPP, and an IPv4 one of version 5 in PPP (tcpdump's
/// `IP6 version error: 0 != 6`, `IP5 (invalid)`).
pub fn frelay_cisco_frames() -> Vec<Vec<u8>> {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    let addrs: [&[u8]; 3] = [
        &[0x18, 0x41],
        &[0x18, 0x40, 0x0b],
        &[0x18, 0x40, 0x02, 0x05],
    ];
    let mut frames = Vec::new();
    for a in addrs {
        frames.push(cat(&[a, &[8, 0], &ip]));
        frames.push(cat(&[a, &[0x86, 0xdd], &ip6]));
        frames.push(cat(&[a, &[8, 6], &arp_request()]));
    }
    for p in ether_type_payloads() {
        frames.push(cat(&[&[0x18, 0x41], &p]));
    }
    let unknown: [&[u8]; 8] = [
        &[0x12, 0x34, b'a', b'b', b'c', b'd', b'e', b'f'],
        &[0x12, 0, b'a', b'b', b'c', b'd', b'e', b'f'],
        &[0x81, 0, 0, 5, 8, 0],
        &[1, 8, 0, 1, 2],
        &[0x42, 0x42],
        &[0x42],
        &[0x13, 0x81, 0x01, 0x02],
        &[0x13, 0x83, 0x01, 0x02],
    ];
    for u in unknown {
        frames.push(cat(&[&[0x18, 0x41], u]));
        frames.push(cat(&[&[0x18, 0x40, 0x0b], u]));
    }
    frames.push(cat(&[&[0x18, 0x41, 0, 0xcc], &ip]));
    frames.push(cat(&[&[0x18, 0x41, 0, 0x80, 0, 0, 0, 8, 0], &ip]));
    frames.push(cat(&[&[0x00, 0x01, 8, 0], &ip]));
    for v in [0u8, 4, 5, 7] {
        let mut b = ip6.clone();
        b[0] = (v << 4) | (b[0] & 0x0f);
        frames.push(cat(&[&[0x18, 0x41, 3, 0xcf, 0, 0x57], &b]));
        frames.push(cat(&[&[0x18, 0x41, 3, 0x8e], &b]));
    }
    let mut v5 = ip.clone();
    v5[0] = 0x55;
    frames.push(cat(&[&[0x18, 0x41, 3, 0xcf, 0, 0x21], &v5]));
    frames
}

/// The LLC PDUs of [`wlan_llc_bodies`] that the LLC printer prints
/// itself (not IP or ARP over SAP 0x06 or SNAP), for frames that carry
/// LLC inside other frames.
fn llc_printed_bodies() -> Vec<Vec<u8>> {
    wlan_llc_bodies()
        .into_iter()
        .filter(|b| match b.as_slice() {
            [6 | 7, 6 | 7, 3, ..] => false,
            [0xaa | 0xab, 0xaa | 0xab, 3, 0, 0, 0 | 0xf8, t0, t1, ..] => {
                !matches!([*t0, *t1], [8, 0] | [0x86, 0xdd] | [8, 6])
            }
            _ => true,
        })
        .collect()
}

/// Token Ring and FDDI frames as RFC 2684 bridges them (without the SNAP
/// header and pad): Token Ring frames (access control 0x10) with LLC
/// (frame control 0x40) carrying every PDU of [`llc_printed_bodies`],
/// source-routed ones (routes of 0, 2, 6 and 5 bytes, all-routes,
/// single-route and specific, both directions), MAC frames (0x00, 0xc0);
/// FDDI frames with LLC (async 0x50, 0x51, 0x54) and of every other
/// frame control tcpdump names (void, tokens, SMT info and NSA, beacon,
/// claim, MAC, SMT, sync, implementation ones, an unnamed 0x10). With the
/// protocol id of each (Token Ring 0x0009 or 0x0003, FDDI 0x000a or
/// 0x0004).
pub fn ring_frames() -> Vec<(u16, Vec<u8>)> {
    let llc = llc_printed_bodies();
    let mut frames = Vec::new();
    let mut routed_sta = STA;
    routed_sta[0] |= 0x80;
    for (i, b) in llc.iter().enumerate() {
        let pid = if i % 2 == 0 { 0x09 } else { 0x03 };
        frames.push((pid, cat(&[&[0x10, 0x40], &AP, &STA, b])));
        let fc = [0x50, 0x51, 0x54][i % 3];
        let pid = if i % 2 == 0 { 0x0a } else { 0x04 };
        frames.push((pid, cat(&[&[fc], &AP, &STA, b])));
    }
    let stp = &llc[llc.len() / 2];
    let routes: [&[u8]; 6] = [
        &[0x86, 0x30, 0x01, 0xa2, 0x0b, 0xc1],
        &[0x02, 0x70],
        &[0xc4, 0xb0, 0x12, 0x34],
        &[0x05, 0x10, 1, 2, 3],
        &[0x00, 0x00],
        &[0x28, 0x00, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18],
    ];
    for r in routes {
        frames.push((0x09, cat(&[&[0x10, 0x40], &AP, &routed_sta, r, stp])));
    }
    for fc in [0x00, 0xc0] {
        frames.push((0x09, cat(&[&[0x10, fc], &AP, &STA, &[1, 2, 3, 4]])));
        frames.push((
            0x09,
            cat(&[
                &[0x10, fc],
                &AP,
                &routed_sta,
                &[0x04, 0x30, 0x12, 0x34],
                &[5, 6],
            ]),
        ));
    }
    for fc in [
        0x40, 0x80, 0xc0, 0x41, 0x4f, 0xc2, 0xc3, 0xc5, 0x45, 0xd0, 0x60, 0xe3, 0x10,
    ] {
        frames.push((0x0a, cat(&[&[fc], &AP, &STA, &[1, 2, 3, 4, 5]])));
    }
    frames
}

/// [`ring_frames`] bridged by RFC 2684 behind LLC/SNAP (two pad bytes,
/// FDDI's third before its frame control) in 802.3 frames, Linux cooked
/// 802.2 packets and 802.11 data frames, and behind Frame Relay's SNAP
/// (no pad, FDDI's one byte), by link type.
pub fn ring_bridged_captures() -> Vec<(u32, String, Vec<Vec<u8>>)> {
    bridge_ring_frames(&ring_frames(), "ring")
}

/// Token Ring frames (source-routed every other one) and FDDI frames
/// carrying each PDU of [`llc_ip_bodies`] (IPv4, IPv6 and ARP behind SAP
/// 0x06 and SNAP, and the near misses), bridged as
/// [`ring_bridged_captures`] bridges them.
pub fn ring_bridged_ip_captures() -> Vec<(u32, String, Vec<Vec<u8>>)> {
    let mut routed_sta = STA;
    routed_sta[0] |= 0x80;
    let mut frames = Vec::new();
    for (i, b) in llc_ip_bodies().iter().enumerate() {
        frames.push((0x09, cat(&[&[0x10, 0x40], &AP, &STA, b])));
        if i % 2 == 0 {
            let route = [0x06, 0xb0, 0x01, 0xa2, 0x0b, 0xc1];
            frames.push((0x03, cat(&[&[0x10, 0x40], &AP, &routed_sta, &route, b])));
        }
        let pid = if i % 2 == 0 { 0x0a } else { 0x04 };
        frames.push((pid, cat(&[&[0x50], &AP, &STA, b])));
    }
    bridge_ring_frames(&frames, "ring-ip")
}

/// `frames` (by protocol id) bridged behind LLC/SNAP in 802.3 frames,
/// cooked packets and 802.11 data frames, and behind Frame Relay's SNAP.
fn bridge_ring_frames(frames: &[(u16, Vec<u8>)], name: &str) -> Vec<(u32, String, Vec<Vec<u8>>)> {
    let fddi = |pid: u16| matches!(pid, 0x04 | 0x0a);
    let snap = |pid: u16, pad: &[u8], f: &[u8]| {
        let pad = if fddi(pid) {
            cat(&[pad, &[0]])
        } else {
            pad.to_vec()
        };
        cat(&[&[0, 0x80, 0xc2], &pid.to_be_bytes()[..], &pad, f])
    };
    let llc: Vec<Vec<u8>> = frames
        .iter()
        .map(|(pid, f)| cat(&[&[0xaa, 0xaa, 3], &snap(*pid, &[0, 0], f)]))
        .collect();
    let head = cooked_8022_head(false);
    let wlan = llc
        .iter()
        .flat_map(|b| wlan_data_frames(b, &[(0, false)]))
        .collect();
    vec![
        (
            1,
            format!("{name}-8023"),
            llc.iter()
                .map(|b| cat(&[&AP, &STA, &(b.len() as u16).to_be_bytes(), b]))
                .collect(),
        ),
        (
            113,
            format!("{name}-sll"),
            llc.iter().map(|b| cat(&[&head, b])).collect(),
        ),
        (105, format!("{name}-wlan"), wlan),
        (
            107,
            format!("{name}-frelay"),
            frames
                .iter()
                .map(|(pid, f)| cat(&[&[0x18, 0x41, 3, 0x80], &snap(*pid, &[], f)]))
                .collect(),
        ),
    ]
}

/// Token Ring, FDDI and RFC 1483 ATM captures (link types 6, 10, 11 and
/// ATM's file number 100): every LLC PDU of [`llc_ip_bodies`] (IPv4,
/// IPv6 and ARP behind SAP 0x06 and SNAP, and the near misses) and
/// [`wlan_llc_bodies`] (SNAP's protocols, STP, OSI, NetBEUI, I, S and U
/// frames, RFC 2684 bridged frames) in Token Ring frames (every third
/// one source-routed too) and FDDI frames (async 0x50, 0x51, 0x57); the
/// Token Ring and FDDI frames of [`ring_frames`] (routes, MAC frames,
/// every FDDI frame control); in ATM bare, behind the Fore driver's 802.6
/// header (every fourth), an 802.6 header cut short, Cisco's NLPID with
/// an ISO PDU.
pub fn ring_link_captures() -> Vec<(u32, String, Vec<Vec<u8>>)> {
    let bodies: Vec<Vec<u8>> = llc_ip_bodies()
        .into_iter()
        .chain(wlan_llc_bodies())
        .collect();
    let mut routed_sta = STA;
    routed_sta[0] |= 0x80;
    let route = [0x86, 0x30, 0x01, 0xa2, 0x0b, 0xc1];
    let (mut tr, mut fddi, mut atm) = (Vec::new(), Vec::new(), Vec::new());
    let head_802_6: Vec<u8> = (0x20..0x34).collect();
    for (i, b) in bodies.iter().enumerate() {
        tr.push(cat(&[&[0x10, 0x40], &AP, &STA, b]));
        if i % 3 == 0 {
            tr.push(cat(&[&[0x10, 0x40], &AP, &routed_sta, &route, b]));
        }
        fddi.push(cat(&[&[[0x50, 0x51, 0x57][i % 3]], &AP, &STA, b]));
        atm.push(b.clone());
        if i % 4 == 0 {
            atm.push(cat(&[&head_802_6, b]));
        }
    }
    for (pid, f) in ring_frames() {
        match pid {
            0x03 | 0x09 => tr.push(f),
            _ => fddi.push(f),
        }
    }
    atm.push(vec![0x42, 0x42, 3, 1, 2]);
    atm.push(cat(&[&[3], &[0x83], &[0; 20]]));
    atm.push(cat(&[&[3, 0xcc], &ipv4_echo()]));
    atm.push(cat(&[&[3, 0x8e], &ipv6_udp()]));
    // Cisco's NLPID before PPP (with its address and control bytes) and
    // before Q.933: tcpdump's ISO printer hands them on too.
    atm.push(cat(&[&[3, 0xcf, 0xff, 3, 0, 0x21], &ipv4_echo()]));
    atm.push(vec![3, 8, 0, 0x75, 0x95, 1, 1, 1, 3, 2, 1, 0]);
    let few = atm.iter().step_by(7).cloned().collect();
    vec![
        (6, "ring-token-ring".into(), tr),
        (10, "ring-fddi".into(), fddi),
        (11, "ring-atm".into(), atm),
        (100, "ring-atm-100".into(), few),
    ]
}

/// A Prism header (link type 119): message code, length 144, the
/// device's name, the rest zero.
pub fn prism_header() -> Vec<u8> {
    let name = cat(&[b"wlan0", &[0; 11]]);
    cat(&[
        &0x44u32.to_le_bytes(),
        &144u32.to_le_bytes(),
        &name,
        &[0; 120],
    ])
}

/// An AVS header (link type 163, or 119 by its cookie) of version `v`
/// (1 or 2) and `len` bytes (its length field says `len`; the bytes are
/// `len` long when at least 8).
pub fn avs_header(v: u8, len: u32) -> Vec<u8> {
    let fields = cat(&[&[0x80, 0x21, 0x10, v], &len.to_be_bytes()]);
    let pad = (len as usize).saturating_sub(8).min(1024);
    cat(&[&fields, &vec![0x5a; pad]])
}

/// A PPI header (link type 192): version 0, `flags`, `len` bytes (its
/// fields after the fixed 8 bytes as `0x5a`), the DLT that follows.
pub fn ppi_header(flags: u8, len: u16, dlt: u32) -> Vec<u8> {
    let fixed = cat(&[&[0, flags], &len.to_le_bytes(), &dlt.to_le_bytes()]);
    let pad = usize::from(len).saturating_sub(8);
    cat(&[&fixed, &vec![0x5a; pad]])
}

/// `frames` behind each header before 802.11 frames other than
/// radiotap: Prism (119), AVS inside 119 (version 2), AVS (163, 64 and
/// 8 bytes) and PPI (192, 8 bytes and 32 with its flags set).
pub fn behind_wlan_headers(frames: &[Vec<u8>]) -> Vec<(u32, String, Vec<Vec<u8>>)> {
    let wrap =
        |head: Vec<u8>| -> Vec<Vec<u8>> { frames.iter().map(|f| cat(&[&head, f])).collect() };
    vec![
        (119, "prism".into(), wrap(prism_header())),
        (119, "prism-avs".into(), wrap(avs_header(2, 64))),
        (163, "avs".into(), wrap(avs_header(1, 64))),
        (163, "avs-8".into(), wrap(avs_header(1, 8))),
        (192, "ppi".into(), wrap(ppi_header(0, 8, 105))),
        (192, "ppi-32".into(), wrap(ppi_header(1, 32, 105))),
    ]
}

/// Headers tcpdump's printers give up on, or read no 802.11 frame
/// behind: AVS lengths below 8, past the record, huge; PPI lengths
/// below 8 and above 65532, one past the record, DLTs libpcap does not
/// name (the bytes after the header in hex); Prism's cut header.
pub fn odd_wlan_headers() -> Vec<(u32, String, Vec<Vec<u8>>)> {
    let beacon = mgmt(8, BCAST, AP, AP, &[0; 12]);
    let with = |head: Vec<u8>, tail: &[u8]| cat(&[&head, tail]);
    vec![
        (
            119,
            "prism-odd".into(),
            vec![
                prism_header()[..100].to_vec(),
                with(avs_header(1, 4), &beacon),
                with(avs_header(1, 0xffff_fff0), &beacon),
            ],
        ),
        (
            163,
            "avs-odd".into(),
            vec![
                with(avs_header(1, 7), &beacon),
                with(avs_header(1, 200), &beacon),
                with(avs_header(2, 0x8000_0000), &[]),
                // No cookie at all: AVS's printer does not check it.
                with(cat(&[&[0; 4], &12u32.to_be_bytes(), &[0; 4]]), &beacon),
            ],
        ),
        (
            192,
            "ppi-odd".into(),
            vec![
                with(ppi_header(0, 4, 105), &beacon),
                with(ppi_header(0, 0, 105), &beacon),
                cat(&[
                    &[0, 0],
                    &65533u16.to_le_bytes(),
                    &105u32.to_le_bytes(),
                    &beacon,
                ]),
                cat(&[
                    &[0, 0],
                    &60u16.to_le_bytes(),
                    &105u32.to_le_bytes(),
                    &beacon,
                ]),
                with(ppi_header(2, 8, 147), b"abcdefghijklmnopqrstu"),
                with(ppi_header(0, 12, 299), &beacon),
                ppi_header(0, 8, 147),
                ppi_header(0, 8, 105),
            ],
        ),
    ]
}

/// The records of [`behind_wlan_headers`] (around [`wlan_frames`]) and
/// [`odd_wlan_headers`], each with its link type: mutation seeds.
pub fn wlan_header_records() -> Vec<(u32, Vec<u8>)> {
    behind_wlan_headers(&wlan_frames())
        .into_iter()
        .chain(odd_wlan_headers())
        .flat_map(|(link, _, records)| records.into_iter().map(move |r| (link, r)))
        .collect()
}

/// `records` (bytes, wire length) of link type `link` behind an 8-byte
/// PPI header and behind a PKTAP header of that DLT (tcpdump's printers of
/// both hand the packet to `link`'s printer): the two captures, of link
/// types 192 and 258.
pub fn behind_ppi_and_pktap(link: u32, records: &[(Vec<u8>, u32)]) -> [(u32, Vec<u8>); 2] {
    let wrap = |wrapper: u32, head: Vec<u8>| -> Vec<u8> {
        let n = head.len() as u32;
        let wrapped = records.iter().enumerate().map(|(i, (data, orig))| Record {
            ts_sec: 1_000_000 + i as u32 / 100,
            ts_frac: (i as u32 % 100) * 10_000,
            data: Cow::Owned(cat(&[&head, data])),
            orig_len: orig + n,
        });
        write_pcap(Layout::new(wrapper, 262_144), wrapped)
    };
    [
        (192, wrap(192, ppi_header(0, 8, link))),
        (258, wrap(258, pktap_record(1, link, &[]))),
    ]
}

/// [`behind_ppi_and_pktap`]'s captures print what `tcpdump -n -r` prints,
/// line for line, with and without `-e`, and where `-x` starts (each
/// wrapper's printer counts the packet's header again); the lines
/// compared (0 without tcpdump).
pub fn behind_ppi_and_pktap_equal_tcpdump(
    name: &str,
    link: u32,
    records: &[(Vec<u8>, u32)],
) -> usize {
    let levels = ["", "-e", "-x", "-e -x", "-X", "-xx"];
    let mut total = 0;
    for (wrapper, bytes) in behind_ppi_and_pktap(link, records) {
        let path = super::temp_path(&format!("{name}-in-{wrapper}"), bytes);
        let Some(counts) = super::app_captures::compare_with_tcpdump(&path, &levels, records.len())
        else {
            return 0;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("{name} behind PPI and PKTAP: {total} lines identical to tcpdump's");
    total
}
