//! Juniper's link types: a record starts with the magic `MGC` and a flags
//! byte (direction, no layer 2, extensions), then the extensions' TLVs, a
//! PIC's cookie, and the frame or packet the link type carries. For
//! Ethernet (178), PPP (179), Cisco HDLC (181), Frame Relay (180), PPPoE
//! (167), the ES (132), monitoring (164), services (136) and GGSN (133)
//! PICs, PPPoE over ATM (168), the ATM1 (137) and ATM2 (135) PICs and the
//! multilink ones (MFR 134, MLFR 131, MLPPP 130): records of both directions, with and without extensions (every
//! TLV type tcpdump names), without layer 2 (IPv4, IPv6, neither),
//! without the magic, with a TLV too long, each payload kind the link type
//! carries, whole and cut at every length, must print what `tcpdump -n -r`
//! prints at every level and in every dump; filters select what tcpdump's
//! select (the magic number and libpcap's constant offsets) and are
//! refused in its words; flows and `--json` see the packet inside.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ipv4_echo, ipv6_udp};
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const MLPPP: u32 = 130;
const MLFR: u32 = 131;
const ES: u32 = 132;
const GGSN: u32 = 133;
const SERVICES: u32 = 136;
const MFR: u32 = 134;
const ATM2: u32 = 135;
const ATM1: u32 = 137;
const MONITOR: u32 = 164;
const PPPOE: u32 = 167;
const PPPOE_ATM: u32 = 168;
const ETHER: u32 = 178;
const PPP: u32 = 179;
const FRELAY: u32 = 180;
const CHDLC: u32 = 181;

const LEVELS: [&str; 11] = [
    "", "-e", "-v", "-e -v", "-vv", "-e -vv", "-x", "-e -x", "-X", "-xx", "-A",
];

const FLAG_IN: u8 = 0x01;
const FLAG_NO_L2: u8 = 0x02;
const FLAG_EXT: u8 = 0x80;

/// A record: magic, flags, the extensions (their length first) when
/// given, the cookie, the payload.
fn record(flags: u8, ext: Option<&[u8]>, cookie: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut r = b"MGC".to_vec();
    r.push(flags | if ext.is_some() { FLAG_EXT } else { 0 });
    if let Some(ext) = ext {
        r.extend_from_slice(&(ext.len() as u16).to_be_bytes());
        r.extend_from_slice(ext);
    }
    r.extend_from_slice(cookie);
    r.extend_from_slice(payload);
    r
}

/// Every extension TLV type tcpdump names (interface index and name,
/// media types, logical index, unit and encapsulations), one it does not,
/// one above 127 (big-endian), a value of all ones and one too long for
/// a number (no value printed), names tcpdump has not (`Unknown`) and the
/// encapsulation whose name is empty.
const EXT_ALL: &[u8] = &[
    1, 1, 5, 2, 3, b'e', b't', b'h', 3, 1, 1, 4, 2, 0x10, 0, 5, 4, 1, 0, 0, 0, 6, 1, 14, 7, 1, 200,
    8, 1, 64, 9, 3, 1, 2, 3, 0x80, 2, 1, 2, 1, 4, 0xff, 0xff, 0xff, 0xff, 3, 6, 1, 2, 3, 4, 5, 6,
    6, 1, 0, 8, 2, 0x3d, 0, 3, 1, 60,
];

/// `payload` behind each header: out, in, with every TLV, with one TLV
/// inbound, and with the flags tcpdump names but does not act on.
fn headed(cookie: &[u8], payload: &[u8]) -> Vec<Vec<u8>> {
    vec![
        record(0, None, cookie, payload),
        record(FLAG_IN, None, cookie, payload),
        record(0, Some(EXT_ALL), cookie, payload),
        record(FLAG_IN, Some(&[4, 1, 7]), cookie, payload),
        record(0x44, None, cookie, payload),
    ]
}

/// An IPv4 TCP SYN to port 80 with sequence number `seq` (each record
/// its own: a repeated SYN would be a retransmission to the flow view).
fn tcp_syn(seq: u32) -> Vec<u8> {
    let mut b = Vec::new();
    etherparse::PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .tcp(4000, 80, seq, 1000)
        .syn()
        .write(&mut b, b"")
        .expect("builds");
    b
}

/// The records every link type shares: without layer 2 (IPv4, IPv6 with
/// extensions, neither), without the magic, a TLV longer than the
/// extensions, a TLV of type 0, extensions of two bytes.
fn common() -> Vec<Vec<u8>> {
    let junk = [0x99, 1, 2, 3];
    vec![
        record(FLAG_NO_L2, None, &[0; 4], &ipv4_echo()),
        record(
            FLAG_NO_L2 | FLAG_IN,
            Some(&[1, 1, 9]),
            &[1, 2, 3, 4],
            &ipv6_udp(),
        ),
        record(FLAG_NO_L2, None, &[0; 4], &tcp_syn(7)),
        record(FLAG_NO_L2 | FLAG_IN, None, &[0; 4], &junk),
        [&b"XGC\x01"[..], &ipv4_echo()].concat(),
        record(0, Some(&[1, 9, 0]), &[], &ipv4_echo()),
        record(0, Some(&[0, 0, 0, 0]), &[], &ipv4_echo()),
        record(FLAG_IN, Some(&[5, 1]), &[], &ipv4_echo()),
    ]
}

fn mac_frame(ether_type: u16, payload: &[u8]) -> Vec<u8> {
    [
        &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11][..],
        &ether_type.to_be_bytes(),
        payload,
    ]
    .concat()
}

/// Ethernet frames: IPv4, IPv6, ARP, a VLAN tag, LLC/SNAP (802.3), an
/// EtherType tcpdump does not know, a PPPoE session and discovery.
fn ether_frames() -> Vec<Vec<u8>> {
    let ip = ipv4_echo();
    let arp = [
        &[0, 1, 8, 0, 6, 4, 0, 1, 2, 2, 2, 2, 2, 2, 192, 168, 1, 1][..],
        &[0; 6],
        &[192, 168, 1, 2],
    ]
    .concat();
    let llc = [&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0][..], &ip].concat();
    let session = [
        &[0x11, 0, 0, 1][..],
        &(ip.len() as u16 + 2).to_be_bytes(),
        &[0, 0x21],
        &ip,
    ]
    .concat();
    vec![
        mac_frame(0x0800, &ip),
        mac_frame(0x86dd, &ipv6_udp()),
        mac_frame(0x0806, &arp),
        mac_frame(0x8100, &[&[0, 5, 8, 0][..], &ip].concat()),
        mac_frame(llc.len() as u16, &llc),
        mac_frame(0x1234, b"xyzxyzxyzxyz"),
        mac_frame(0x8864, &session),
        mac_frame(0x8863, &[0x11, 0x09, 0, 0, 0, 4, 1, 1, 0, 0]),
    ]
}

/// PPP frames: IPv4 and IPv6 with and without address and control, a
/// one-byte protocol, LCP and IPCP, pppd's direction, a protocol tcpdump
/// does not know.
fn ppp_frames() -> Vec<Vec<u8>> {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    vec![
        [&[0xff, 3, 0, 0x21][..], &ip].concat(),
        [&[0xff, 3, 0, 0x57][..], &ip6].concat(),
        [&[0x21][..], &ip].concat(),
        [&[0, 0x57][..], &ip6].concat(),
        vec![0xff, 3, 0xc0, 0x21, 1, 1, 0, 8, 5, 6, 1, 2, 3, 4],
        vec![0xff, 3, 0x80, 0x21, 1, 1, 0, 10, 3, 6, 10, 0, 0, 1],
        [&[0, 3, 0, 0x21][..], &ip].concat(),
        [&[1, 3, 0, 0x57][..], &ip6].concat(),
        vec![0xff, 3, 0x12, 0x34, b'a', b'b', b'c', b'd'],
    ]
}

/// Cisco HDLC frames: IPv4, IPv6, SLARP, an unknown type.
fn chdlc_frames() -> Vec<Vec<u8>> {
    let mut slarp = vec![0x8f, 0, 0x80, 0x35, 0, 0, 0, 2];
    slarp.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff]);
    vec![
        [&[0x0f, 0, 8, 0][..], &ipv4_echo()].concat(),
        [&[0x8f, 0, 0x86, 0xdd][..], &ipv6_udp()].concat(),
        slarp,
        vec![0x0f, 0, 0x12, 0x34, b'a', b'b', b'c', b'd'],
    ]
}

/// Frame Relay frames: IPv4 and IPv6 by NLPID, PPP, SNAP, Q.933 on DLCI
/// 0, a pad byte, a control byte other than UI, an address of three
/// bytes.
fn fr_frames() -> Vec<Vec<u8>> {
    let ip = ipv4_echo();
    vec![
        [&[0x18, 0x41, 3, 0xcc][..], &ip].concat(),
        [&[0x18, 0x41, 3, 0x8e][..], &ipv6_udp()].concat(),
        [&[0x18, 0x41, 3, 0xcf, 0, 0x21][..], &ip].concat(),
        [&[0x18, 0x41, 3, 0x80, 0, 0, 0, 8, 0][..], &ip].concat(),
        vec![0, 1, 3, 8, 0, 0x75, 0x95, 1, 1, 1, 3, 2, 1, 0],
        [&[0x18, 0x41, 3, 0, 0xcc][..], &ip].concat(),
        [&[0x18, 0x41, 8, 0][..], &ip].concat(),
        [&[0x18, 0x40, 0x41, 3, 0xcc][..], &ip].concat(),
    ]
}

/// The ES PIC's header: SA index, TTL, type, SPI, the tunnel's ends.
fn es_header(kind: u8) -> Vec<u8> {
    [
        &[0, 7, 64, kind][..],
        &0x1234_5678u32.to_be_bytes(),
        &[10, 0, 0, 1, 10, 0, 0, 2],
    ]
    .concat()
}

/// An IPv4 echo request whose fourth byte (its length's low byte, where
/// the ES header's type is read) is `kind`: 256 + `kind` bytes long.
fn es_bundle(kind: u8) -> Vec<u8> {
    let mut b = Vec::new();
    let data = vec![b'x'; 256 + usize::from(kind) - 28];
    etherparse::PacketBuilder::ipv4([192, 168, 1, 1], [192, 168, 1, 2], 64)
        .icmpv4_echo_request(1, u16::from(kind))
        .write(&mut b, &data)
        .expect("builds");
    assert_eq!(b[3], kind);
    b
}

/// An OAM cell as Juniper's ATM PICs capture it (no HEC): the cell
/// header (VPI, VCI, payload type), the cell and function types, 45 bytes
/// of the function's fields, the CRC-10 (right, or 0x123).
fn oam_cell(vci: u32, pt: u32, types: u8, good: bool) -> Vec<u8> {
    let header = (1 << 20) | (vci << 4) | (pt << 1);
    let mut payload = vec![types];
    payload.extend((0..45u8).map(|i| i.wrapping_mul(7)));
    payload.extend([0, 0]);
    let crc = if good {
        (0u16..1024)
            .find(|&c| {
                payload[46..].copy_from_slice(&c.to_be_bytes());
                sockscope::decode::sunatm::crc10(0, &payload) == 0
            })
            .expect("a CRC")
    } else {
        0x123
    };
    payload[46..].copy_from_slice(&crc.to_be_bytes());
    [&header.to_be_bytes()[..], &payload].concat()
}

/// What an ATM1 PIC's record carries: LLC/SNAP (IPv4, IPv6, an EtherType
/// tcpdump does not know, AppleTalk), LLC with OSI's NLPID (IPv4, IS-IS),
/// Cisco's NLPID (IPv4, IPv6, another), a bare IPv4 and IPv6 packet (VC
/// multiplexing), and bytes tcpdump guesses nothing of.
fn atm1_payloads() -> Vec<Vec<u8>> {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    vec![
        [&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0][..], &ip].concat(),
        [&[0xaa, 0xaa, 3, 0, 0, 0, 0x86, 0xdd][..], &ip6].concat(),
        [&[0xaa, 0xaa, 3, 0, 0, 0, 0x99, 0x99][..], &ip].concat(),
        [&[0xaa, 0xaa, 3, 8, 0, 7, 0x80, 0x9b][..], &ip].concat(),
        // Bridged Ethernet (RFC 1483, no FCS): an unknown EtherType's
        // bytes are dumped by the Ethernet printer.
        [
            &[0xaa, 0xaa, 3, 0, 0x80, 0xc2, 0, 7][..],
            &(0..60).collect::<Vec<u8>>(),
        ]
        .concat(),
        [
            &[0xaa, 0xaa, 3, 0, 0x80, 0xc2, 0, 7][..],
            &mac_frame(0x0800, &ip)[..],
        ]
        .concat(),
        [&[0xfe, 0xfe, 3, 0xcc][..], &ip].concat(),
        [&[0xfe, 0xfe, 3, 0x83][..], &ip].concat(),
        [&[3, 0xcc][..], &ip].concat(),
        [&[3, 0x8e][..], &ip6].concat(),
        [&[3, 0x99][..], &ip].concat(),
        ip,
        ip6,
        vec![0x99, 0xcc, 1, 2, 3, 4],
    ]
}

/// PPP frames over ATM without address and control, by the protocols
/// tcpdump's guess knows (IP, IPv6, LCP, IPCP, OSI), and one it does not.
fn atm_ppp_frames() -> Vec<Vec<u8>> {
    vec![
        [&[0, 0x21][..], &ipv4_echo()].concat(),
        [&[0, 0x57][..], &ipv6_udp()].concat(),
        vec![0xc0, 0x21, 1, 1, 0, 8, 5, 6, 1, 2, 3, 4],
        vec![0x80, 0x21, 1, 1, 0, 10, 3, 6, 10, 0, 0, 1],
        vec![0, 0x23, 0x81, 1, 0, 0],
        vec![0x12, 0x21, 1, 2, 3, 4],
    ]
}

/// An ATM2 PIC's records: every ATM1 payload and PPP frame behind a
/// cookie without a gap count (each header) and, inbound, with one;
/// outbound with a gap count, Ethernet frames; the adaptive and link
/// services' cookies; OAM cells (the cookie's packet type) after each
/// control word tcpdump counts into the header and one it does not.
/// Outbound behind a gap count, the LLC PDUs too (and Ethernet frames to
/// an address that starts as an LLC/SNAP header does): one whose SNAP
/// protocol the LLC printer does not follow is printed twice, as LLC and
/// as Ethernet.
fn atm2_records() -> Vec<Vec<u8>> {
    let plain = [0u8; 8];
    let gap = [0, 0, 0, 1, 0, 0, 0, 0];
    let mut r = Vec::new();
    for p in atm1_payloads().into_iter().chain(atm_ppp_frames()) {
        r.extend(headed(&plain, &p));
        r.push(record(FLAG_IN, None, &gap, &p));
        if matches!(p[..], [0xaa, 0xaa, 3, ..] | [0xfe, 0xfe, 3, ..]) {
            r.push(record(0, None, &gap, &p));
        }
    }
    for p in llc_then_ether() {
        r.push(record(0, None, &gap, &p));
        r.push(record(
            0,
            Some(&[4, 1, 7]),
            &[0, 0, 0, 0x3f, 0, 0, 0, 0],
            &p,
        ));
        r.push(record(FLAG_IN, None, &gap, &p));
    }
    for f in ether_frames() {
        r.push(record(0, None, &gap, &f));
    }
    r.push(record(0, None, &gap, &mac_frame(0x0800, &tcp_syn(10))));
    r.push(record(
        FLAG_IN,
        None,
        &[0x47, 1, 2, 3, 4, 5, 6, 7],
        &ipv4_echo(),
    ));
    r.push(record(0, None, &[0x54; 10], &ipv4_echo()));
    let words: [&[u8]; 4] = [
        &[0, 0, 0, 0],
        &[8, 0, 0, 0],
        &[8, 0x38, 0, 0],
        &[1, 2, 3, 4],
    ];
    for (i, word) in words.into_iter().enumerate() {
        let cookie = [0, 0, 0, 0, 0, 0, 0, 0x10 << (i % 3)];
        for (vci, pt, types, good) in [(3, 5, 0x18, true), (100, 0, 0x21, false)] {
            let cell = [word, &oam_cell(vci, pt, types, good)].concat();
            r.extend(headed(&cookie, &cell));
        }
    }
    r
}

/// LLC/SNAP PDUs whose protocol tcpdump's SNAP printer does not follow
/// (an unknown EtherType, a VLAN tag, an unknown OUI, Cisco's and RFC
/// 2684's unknown protocols, Apple's OUI without AppleTalk), whose bytes
/// read as an Ethernet frame carry IPv4, IPv6, ARP, an LLC PDU of 802.3
/// or nothing tcpdump knows.
fn llc_then_ether() -> Vec<Vec<u8>> {
    let snap = |oui: [u8; 3], pid: u16, src: [u8; 4], rest: &[u8]| -> Vec<u8> {
        [&[0xaa, 0xaa, 3][..], &oui, &pid.to_be_bytes(), &src, rest].concat()
    };
    let ip = ipv4_echo();
    let with_type = |t: u16, p: &[u8]| [&t.to_be_bytes()[..], p].concat();
    vec![
        snap([0, 0, 0], 0x9999, [1, 2, 3, 4], &with_type(0x0800, &ip)),
        snap(
            [1, 2, 3],
            0x0405,
            [6, 7, 8, 9],
            &with_type(0x86dd, &ipv6_udp()),
        ),
        snap(
            [0, 0, 0],
            0x8100,
            [0, 5, 8, 0],
            &with_type(0x0806, &[0; 28]),
        ),
        snap(
            [0, 0, 0x0c],
            0x0123,
            [1, 2, 3, 4],
            &with_type(0x0800, &tcp_syn(11)),
        ),
        snap(
            [0, 0x80, 0xc2],
            0x0099,
            [1, 2, 3, 4],
            &with_type(11, &[0xf0, 0xf0, 3, 1, 2, 3, 4, 5, 6, 7, 8]),
        ),
        snap(
            [8, 0, 7],
            0x0800,
            [1, 2, 3, 4],
            &with_type(0x1234, b"xyzxyz"),
        ),
        snap([0, 0, 0], 0x9999, [1, 2, 3, 4], &with_type(1, &ip)),
    ]
}

/// An IS-IS PDU whose fixed header is longer than the PDU, a CLNP PDU
/// too short, a Q.933 message: what the ISO printer reads after an NLPID.
const ISIS: &[u8] = &[
    0x83, 0x1b, 1, 0, 0x10, 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0x64, 0, 0,
];
const CLNP: &[u8] = &[0x81, 0x14, 1, 0x0a, 0, 0, 0, 0, 0, 0];
const Q933: &[u8] = &[8, 0, 0x75, 0, 0x95, 1, 1, 1, 3, 2, 1];

/// An adaptive services' cookie whose protocol bits (sixth byte) are
/// `lsq` and fifth byte `fifth`: bundle 5.
fn as_cookie(lsq: u8, fifth: u8) -> [u8; 8] {
    [0x47, 1, 2, 3, fifth, lsq, 0, 0x28]
}

/// The adaptive services' cookie's protocols (IPv4, IPv6, MPLS, OSI) and
/// ones tcpdump does not act on, each with its packet.
fn lsq_records() -> Vec<Vec<u8>> {
    let mpls = [&[0, 1, 1, 0x40][..], &ipv4_echo()].concat();
    let mut r = Vec::new();
    for (lsq, p) in [
        (0, ipv4_echo()),
        (0x10, ipv6_udp()),
        (0x20, mpls),
        (0x30, ISIS.to_vec()),
        (0x30, [&[0xcc][..], &ipv4_echo()].concat()),
        (0x40, [&[0xff, 3, 0, 0x21][..], &ipv4_echo()].concat()),
        (0x12, ipv6_udp()),
    ] {
        r.push(record(0, None, &as_cookie(lsq, 0), &p));
        r.push(record(FLAG_IN, Some(&[4, 1, 7]), &as_cookie(lsq, 0), &p));
    }
    r
}

/// MLPPP's records: PPP frames behind a cookie naming a bundle (each
/// header), behind cookies that are PPP's address and control or OSI
/// protocol (no bundle; the frame then starts at the cookie), a link
/// services' cookie; a frame whose first bytes are 0 (the IPv4 protocol
/// of the adaptive services' cookie); the adaptive services' cookies, one
/// for IS-IS to the routing engine.
fn mlppp_records() -> Vec<Vec<u8>> {
    let mut frames = ppp_frames();
    frames.push(ISIS.to_vec());
    frames.push([&[0, 0][..], &ipv4_echo()].concat());
    frames.push([&[0xff, 3, 0, 0x23][..], CLNP].concat());
    let mut r = Vec::new();
    for f in &frames {
        r.extend(headed(&[1, 2], f));
        for cookie in [&[0xff, 3][..], &[0, 0x23], &[0x54, 7, 0, 0]] {
            r.push(record(0, None, cookie, f));
        }
    }
    r.extend(lsq_records());
    let to_re = [&[0xff, 3, 0, 0x21][..], &ipv4_echo()].concat();
    r.push(record(FLAG_IN, None, &as_cookie(0, 0x0c), &to_re));
    r.push(record(
        0,
        None,
        &[1, 2],
        &[&[0xff, 3, 0, 0x21][..], &tcp_syn(11)].concat(),
    ));
    r
}

/// The frames after MLFR's and MFR's cookies: Frame Relay's UI and an
/// NLPID (IPv4, IPv6, Q.933), the bytes 0 and UI or UI and 0 before an
/// OSI PDU or IPv4's NLPID, an unknown protocol, LLC's OSI SAPs.
fn fr_payloads() -> Vec<Vec<u8>> {
    let (ip, ip6) = (ipv4_echo(), ipv6_udp());
    vec![
        [&[3, 0xcc][..], &ip].concat(),
        [&[3, 0x8e][..], &ip6].concat(),
        [&[3][..], Q933].concat(),
        [&[0, 3][..], ISIS].concat(),
        [&[3, 0][..], CLNP].concat(),
        [&[3, 0, 0xcc][..], &ip].concat(),
        vec![0x12, 0x34, 1, 2],
        [&[0xfe, 0xfe, 3][..], ISIS].concat(),
        [&[0xfe, 0xfe, 0xcc][..], &ip].concat(),
    ]
}

/// MLFR's and MFR's records: every payload behind each cookie (a plain
/// one naming a bundle, for MFR the one naming none and one whose last
/// byte is IPv4's NLPID, a link services' one), the first with each
/// header; the adaptive services' cookies; MFR child links' FRF.16
/// frames (no cookie).
fn multilink_fr_records(link: u32) -> Vec<Vec<u8>> {
    let cookies: &[&[u8]] = if link == MLFR {
        &[&[1, 2], &[0x54, 3, 0, 0], &[0, 0]]
    } else {
        &[
            &[1, 2, 3, 4],
            &[0, 0, 0, 1],
            &[1, 2, 3, 0xcc],
            &[0x54, 5, 0, 0, 0, 0],
        ]
    };
    let mut r = Vec::new();
    for p in fr_payloads() {
        r.extend(headed(cookies[0], &p));
        for cookie in &cookies[1..] {
            r.push(record(0, None, cookie, &p));
        }
    }
    r.push(record(
        0,
        None,
        cookies[0],
        &[&[3, 0xcc][..], &tcp_syn(12)].concat(),
    ));
    r.extend(lsq_records());
    if link == MFR {
        for f in mfr_child_frames() {
            r.push(record(0, None, &[], &f));
            r.push(record(FLAG_IN, Some(&[4, 1, 7]), &[], &f));
        }
    }
    r
}

/// FRF.16 frames an MFR child link's record carries after the header
/// (their first byte, B and E set, is what says so): control frames with
/// every element tcpdump names, an unknown message, an element past the
/// frame, none, a cut type; first fragments carrying Frame Relay frames
/// (IPv4, IPv6, PPP, Q.933, SNAP, an invalid address, an unknown NLPID),
/// and one three bytes long.
fn mfr_child_frames() -> Vec<Vec<u8>> {
    let ie = |kind: u8, value: &[u8]| [&[kind, value.len() as u8 + 2][..], value].concat();
    let every = [
        ie(1, b"bundle-1\0"),
        ie(2, b"link-7"),
        ie(3, &[0xde, 0xad, 0xbe, 0xef]),
        ie(
            5,
            &[
                &1_700_000_000i64.to_le_bytes()[..],
                &123_456i64.to_le_bytes(),
            ]
            .concat(),
        ),
        ie(6, &[0, 0, 0x0c, 1, 2, 3]),
        ie(7, &[1]),
    ]
    .concat();
    let mut r: Vec<Vec<u8>> = [1, 4, 9]
        .iter()
        .map(|&m| [&[0xe0, 0, m][..], &every].concat())
        .collect();
    r.push([&[0xe0, 0, 1][..], &ie(1, b"ab"), &[2, 40, b'c', b'd']].concat());
    r.push(vec![0xff, 0, 4]);
    r.push(vec![0xe0, 0, 4, 9, 9]);
    let ip = ipv4_echo();
    for fr in [
        [&[0x18, 0x41, 3, 0xcc][..], &ip].concat(),
        [&[0x18, 0x41, 3, 0x8e][..], &ipv6_udp()].concat(),
        [&[0x18, 0x41, 3, 0xcf, 0, 0x21][..], &ip].concat(),
        [&[0, 1, 3][..], Q933].concat(),
        [&[0x18, 0x41, 3, 0x80, 0, 0, 0, 8, 0][..], &ip].concat(),
        [&[0x19, 0x41, 3, 0xcc][..], &ip].concat(),
        vec![0x18, 0x41, 3, 0x99, 1, 2],
    ] {
        r.push([&[0xc1, 0x23][..], &fr].concat());
        r.push([&[0xde, 0xff][..], &fr].concat());
    }
    r.push(vec![0xc0, 1, 0x18]);
    r
}

/// The records of `link` (each payload behind each header, and the
/// shared ones).
fn records(link: u32) -> Vec<Vec<u8>> {
    let mut r = Vec::new();
    let cookies: [&[u8]; 3] = [
        &[1, 2, 3, 4, 5, 6, 7, 8],
        &[0x47, 1, 2, 3, 4, 5, 6, 7],
        &[0x54; 10],
    ];
    match link {
        ETHER | PPPOE => {
            for f in ether_frames() {
                r.extend(headed(&[], &f));
            }
            r.push(record(
                0,
                Some(EXT_ALL),
                &[],
                &mac_frame(0x0800, &tcp_syn(1)),
            ));
        }
        PPP => {
            for f in ppp_frames() {
                r.extend(headed(&[], &f));
            }
            r.push(record(
                0,
                None,
                &[],
                &[&[0xff, 3, 0, 0x21][..], &tcp_syn(2)].concat(),
            ));
        }
        CHDLC => {
            for f in chdlc_frames() {
                r.extend(headed(&[], &f));
            }
            r.push(record(
                0,
                None,
                &[],
                &[&[0x0f, 0, 8, 0][..], &tcp_syn(3)].concat(),
            ));
        }
        FRELAY => {
            for f in fr_frames() {
                r.extend(headed(&[], &f));
            }
        }
        ES => {
            // Types 1 and 2: the packet where the header is; 3 to 5 after
            // it; another type; a cookie of each kind.
            for kind in [1, 2] {
                r.extend(headed(&[], &es_bundle(kind)));
            }
            for kind in [3, 4, 5, 9] {
                r.extend(headed(&[], &[es_header(kind), ipv4_echo()].concat()));
            }
            r.extend(headed(
                &cookies[1][..8],
                &[es_header(5), ipv6_udp()].concat(),
            ));
            r.push(record(0, None, &cookies[2][..2], &ipv4_echo()));
        }
        MONITOR | SERVICES => {
            for cookie in &cookies[..2] {
                for p in [ipv4_echo(), ipv6_udp(), vec![0x99; 12]] {
                    r.extend(headed(cookie, &p));
                }
            }
            r.push(record(0, None, cookies[2], &ipv4_echo()));
            r.push(record(0, None, cookies[0], &tcp_syn(4)));
        }
        PPPOE_ATM => {
            // The EtherType first: the network layers, PPPoE, LLDP (its
            // own printer), one tcpdump does not know; a cookie.
            for f in ether_frames() {
                if let Some(frame) = f.get(12..) {
                    r.extend(headed(&[], frame));
                }
            }
            let lldp = [0x88, 0xcc, 2, 7, 4, 0, 1, 2, 3, 4, 5, 0, 0];
            r.extend(headed(&[], &lldp));
            r.push(record(
                0,
                None,
                &[0x54, 1],
                &mac_frame(0x0800, &ipv4_echo())[12..],
            ));
        }
        GGSN => {
            for proto in [2, 6, 1, 9] {
                let cookie = [1, 0, proto, 0, 0, 100, 0, 0];
                let p = if proto == 6 { ipv6_udp() } else { ipv4_echo() };
                r.extend(headed(&cookie, &p));
            }
            r.push(record(0, None, cookies[2], &ipv4_echo()));
        }
        ATM1 => {
            // A cookie of the ATM1 PIC's, then the adaptive and link
            // services' cookies; OAM cells by the cookie's first byte
            // (F4 and F5, a loopback, an AIS, an unknown type; right and
            // wrong CRC).
            for p in atm1_payloads() {
                r.extend(headed(&[0, 0, 1, 2], &p));
            }
            r.push(record(0, None, cookies[1], &ipv4_echo()));
            r.push(record(FLAG_IN, None, &cookies[2][..6], &ipv6_udp()));
            for (vci, pt, types, good) in [
                (3, 5, 0x18, true),
                (4, 4, 0x10, false),
                (100, 5, 0x11, true),
                (100, 0, 0x21, true),
                (5, 7, 0x99, false),
            ] {
                r.extend(headed(&[0x80, 0, 1, 2], &oam_cell(vci, pt, types, good)));
            }
            r.push(record(0, None, &[0x80, 0, 1, 2], &tcp_syn(8)));
        }
        ATM2 => r.extend(atm2_records()),
        MLPPP => r.extend(mlppp_records()),
        MLFR | MFR => r.extend(multilink_fr_records(link)),
        _ => {}
    }
    r.extend(common());
    r
}

/// `link`'s records whole and cut at every length print what tcpdump
/// prints at every level: at least `min` lines in all.
fn cuts_equal_tcpdump(link: u32, name: &str, min: usize) {
    let path = temp_path(
        &format!("juniper-{name}-cuts"),
        link_captures::capture(link, &records(link), usize::MAX),
    );
    let Some(counts) = compare_with_tcpdump(&path, &LEVELS, 1_000) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("juniper {name} ({link}): {total} lines identical to tcpdump's");
    assert!(total > min, "{name}: {total}");
}

#[test]
fn ethernet_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(ETHER, "ether", 85_000);
}

#[test]
fn ppp_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(PPP, "ppp", 78_000);
}

#[test]
fn chdlc_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(CHDLC, "chdlc", 35_000);
}

#[test]
fn frame_relay_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(FRELAY, "frelay", 74_000);
}

#[test]
fn pppoe_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(PPPOE, "pppoe", 90_000);
}

#[test]
fn es_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(ES, "es", 240_000);
}

#[test]
fn monitor_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(MONITOR, "monitor", 60_000);
}

#[test]
fn services_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(SERVICES, "services", 60_000);
}

#[test]
fn pppoe_atm_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(PPPOE_ATM, "pppoe_atm", 70_000);
}

#[test]
fn ggsn_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(GGSN, "ggsn", 45_000);
}

#[test]
fn atm1_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(ATM1, "atm1", 190_000);
}

#[test]
fn atm2_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(ATM2, "atm2", 310_000);
}

#[test]
fn mfr_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(MFR, "mfr", 170_000);
}

#[test]
fn mlfr_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(MLFR, "mlfr", 95_000);
}

#[test]
fn mlppp_records_print_what_tcpdump_prints() {
    cuts_equal_tcpdump(MLPPP, "mlppp", 150_000);
}

/// Records where libpcap's constant offsets find the packet it assumes:
/// Ethernet after 14 bytes of header (magic, flags, 10 bytes of
/// extensions), the network layer four bytes in on the serial ones,
/// twelve on the monitoring and GGSN PICs (after their cookie).
fn filter_records(link: u32) -> Vec<Vec<u8>> {
    let mut r = records(link);
    let ext = [1, 1, 5, 2, 2, b'e', b't', 4, 1, 9];
    let packets = [ipv4_echo(), ipv6_udp(), tcp_syn(9)];
    for (i, p) in packets.iter().enumerate() {
        let flags = if i == 1 { FLAG_IN } else { 0 };
        r.push(match link {
            ETHER | PPPOE => record(flags, Some(&ext), &[], &mac_frame(0x0800, p)),
            MONITOR | GGSN => record(flags, None, &[0x47, 0, 2, 0, 0, 1, 0, 0], p),
            PPPOE_ATM => record(flags, None, &[], &[&[8, 0][..], p].concat()),
            ATM1 => record(flags, None, &[0, 0, 0, 1], p),
            ATM2 => record(flags, None, &[0, 0, 0, 0, 0, 0, 0, 0], p),

            _ => record(flags, None, &[], p),
        });
    }
    r
}

const FILTERS: &[&str] = &[
    "ip",
    "ip6",
    "arp",
    "tcp",
    "udp",
    "icmp",
    "icmp6",
    "tcp port 80",
    "udp port 6000",
    "host 192.168.1.1",
    "src host 10.0.0.1",
    "dst host 192.168.1.2",
    "net 192.168.1.0/24",
    "host 2001:db8::1",
    "ip proto 1",
    "ip[0] = 0x45",
    "link[3] & 1 = 1",
    "inbound",
    "outbound",
    "ether proto 0x1234",
    "len > 60",
    "ip multicast",
    "ip6 multicast",
    "iso",
    "clnp",
    "isis",
    "stp",
    "pppoes",
    "pppoes and ip",
    "ip and not icmp",
    "portrange 1-100",
];

/// libpcap's refusals on every Juniper link type, word for word.
const REFUSED: &[&str] = &[
    "ether host 1:2:3:4:5:6",
    "ether src 1:2:3:4:5:6",
    "ether broadcast",
    "ether multicast",
    "vlan",
    "mpls",
    "llc",
];

#[test]
fn filters_select_what_tcpdump_selects() {
    let mut compared = 0;
    for link in [
        ETHER, PPP, CHDLC, FRELAY, PPPOE, ES, MONITOR, SERVICES, GGSN, PPPOE_ATM, ATM1, ATM2, MFR,
        MLFR, MLPPP,
    ] {
        let bytes = link_captures::capture(link, &filter_records(link), 0);
        let path = temp_path(&format!("juniper-{link}-filters"), bytes.clone());
        let n = filters_equal_tcpdump((&path, &bytes), link, FILTERS, REFUSED);
        if n == 0 {
            return;
        }
        compared += n;
    }
    eprintln!("juniper filters: {compared} lines identical to tcpdump's");
    assert!(compared > 14_000, "{compared}");
}

fn json_of(link: u32, rec: Vec<u8>) -> serde_json::Value {
    let path = temp_path(
        &format!("juniper-{link}-json"),
        link_captures::capture(link, &[rec], 0),
    );
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_str(text(&out.stdout).trim()).expect("json")
}

#[test]
fn json_names_the_header_and_the_packet() {
    let v = json_of(
        ETHER,
        record(FLAG_IN, Some(EXT_ALL), &[], &mac_frame(0x86dd, &ipv6_udp())),
    );
    assert_eq!(v["link"], "JUNIPER_ETHER", "{v}");
    let l = &v["link_layer"];
    assert_eq!(l["type"], "juniper", "{v}");
    assert_eq!(
        (&l["magic"], &l["direction"]),
        (&true.into(), &"in".into()),
        "{v}"
    );
    assert_eq!(l["header_len"], 4 + 2 + EXT_ALL.len(), "{v}");
    let ext = l["extensions"].as_array().expect("extensions");
    assert_eq!(ext[0]["name"], "Device Interface Index", "{v}");
    assert_eq!(ext[0]["value"], 5, "{v}");
    assert_eq!(ext[1]["value"], "eth", "{v}");
    assert_eq!(v["udp"]["dport"], 6000, "{v}");
    assert_eq!(v["eth"]["type"], 0x86dd, "{v}");

    let v = json_of(
        PPP,
        record(
            0,
            None,
            &[],
            &[&[0xff, 3, 0, 0x21][..], &ipv4_echo()].concat(),
        ),
    );
    let l = &v["link_layer"];
    assert_eq!(
        (&l["direction"], &l["header_len"]),
        (&"out".into(), &4.into()),
        "{v}"
    );
    assert_eq!(l["frame"]["type"], "ppp", "{v}");
    assert_eq!(l["frame"]["protocol"], 0x21, "{v}");
    assert_eq!(v["ip"]["dst"], "192.168.1.2", "{v}");

    let cookie = [0x47, 1, 2, 3, 4, 5, 6, 7];
    let v = json_of(MONITOR, record(0, None, &cookie, &ipv4_echo()));
    let l = &v["link_layer"];
    assert_eq!(
        (&l["pic"], &l["cookie"]),
        (&"MONITOR".into(), &"4701020304050607".into()),
        "{v}"
    );
    assert_eq!(
        (&l["cookie_len"], &l["header_len"]),
        (&8.into(), &12.into()),
        "{v}"
    );
    assert_eq!(v["ip"]["src"], "192.168.1.1", "{v}");

    // ATM2's Ethernet guess after an LLC PDU the LLC printer left: the
    // LLC header in the frame's words, the Ethernet frame's packet.
    let pdu = [
        &[0xaa, 0xaa, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 0][..],
        &ipv4_echo(),
    ]
    .concat();
    let v = json_of(ATM2, record(0, None, &[0, 0, 0, 1, 0, 0, 0, 0], &pdu));
    let l = &v["link_layer"];
    assert_eq!(
        (&l["carries"], &l["frame"]["llc"]["oui"]),
        (&"llc".into(), &0x010203.into()),
        "{v}"
    );
    assert_eq!(l["reread_as"], "ether", "{v}");
    assert_eq!(v["eth"]["dst"], "aa:aa:03:01:02:03", "{v}");
    assert_eq!(v["ip"]["src"], "192.168.1.1", "{v}");
    let v = json_of(ATM2, record(FLAG_IN, None, &[0, 0, 0, 1, 0, 0, 0, 0], &pdu));
    assert!(v.get("eth").is_none() && v.get("ip").is_none(), "{v}");
    assert!(v["link_layer"].get("reread_as").is_none(), "{v}");

    let v = json_of(PPP, record(FLAG_NO_L2, None, &[0; 4], &ipv6_udp()));
    assert_eq!(v["link_layer"]["no_l2"], true, "{v}");
    assert_eq!(v["udp"]["sport"], 5000, "{v}");

    let llc = [&[0xaa, 0xaa, 3, 0, 0, 0, 0x86, 0xdd][..], &ipv6_udp()].concat();
    let v = json_of(ATM1, record(FLAG_IN, None, &[0, 0, 1, 2], &llc));
    let l = &v["link_layer"];
    assert_eq!(
        (&l["pic"], &l["carries"]),
        (&"ATM1".into(), &"llc".into()),
        "{v}"
    );
    assert_eq!(l["frame"]["llc"]["pid"], 0x86dd, "{v}");
    assert_eq!(v["udp"]["dport"], 6000, "{v}");
    let v = json_of(
        ATM1,
        record(0, None, &[0x80, 0, 1, 2], &oam_cell(3, 5, 0x18, true)),
    );
    assert_eq!(v["link_layer"]["carries"], "oam", "{v}");
    assert!(v.get("ip").is_none(), "{v}");
    let v = json_of(
        ATM1,
        record(
            0,
            None,
            &[0, 0, 1, 2],
            &[&[3, 0xcc][..], &ipv4_echo()].concat(),
        ),
    );
    assert_eq!(v["link_layer"]["carries"], "cnlpid", "{v}");
    assert_eq!(v["ip"]["dst"], "192.168.1.2", "{v}");

    let cell = [&[8, 0x38, 0, 0][..], &oam_cell(3, 5, 0x18, true)].concat();
    let v = json_of(ATM2, record(0, None, &[0, 0, 0, 0, 0, 0, 0, 0x10], &cell));
    let l = &v["link_layer"];
    assert_eq!(
        (&l["pic"], &l["carries"], &l["control_word"]),
        (&"ATM2".into(), &"oam".into(), &0x0838_0000.into()),
        "{v}"
    );
    assert_eq!(l["header_len"], 16, "{v}");
    let frame = mac_frame(0x86dd, &ipv6_udp());
    let v = json_of(ATM2, record(0, None, &[0, 0, 0, 1, 0, 0, 0, 0], &frame));
    assert_eq!(v["link_layer"]["carries"], "ether", "{v}");
    assert_eq!(v["udp"]["dport"], 6000, "{v}");

    let v = json_of(MLPPP, record(0, None, &as_cookie(0x10, 0), &ipv6_udp()));
    let l = &v["link_layer"];
    assert_eq!(
        (&l["pic"], &l["bundle"], &l["carries"]),
        (&"MLPPP".into(), &5.into(), &"network".into()),
        "{v}"
    );
    assert_eq!(v["udp"]["dport"], 6000, "{v}");
    let v = json_of(MFR, record(0, None, &[], &[0xe0, 0, 4, 7, 3, 1]));
    let l = &v["link_layer"];
    assert_eq!(
        (&l["cookie_len"], &l["carries"], &l["frame"]["type"]),
        (&0.into(), &"frf16".into(), &"mfr".into()),
        "{v}"
    );
    let v = json_of(
        MLFR,
        record(
            0,
            None,
            &[0x54, 3, 0, 0],
            &[&[3, 0xcc][..], &ipv4_echo()].concat(),
        ),
    );
    let l = &v["link_layer"];
    assert_eq!(
        (&l["header_len"], &l["bundle"], &l["carries"]),
        (&10.into(), &3.into(), &"osi".into()),
        "{v}"
    );
    assert_eq!(v["ip"]["dst"], "192.168.1.2", "{v}");

    let v = json_of(CHDLC, [&b"XGC\0"[..], &ipv4_echo()].concat());
    assert_eq!(v["link_layer"]["magic"], false, "{v}");
    assert!(v.get("ip").is_none(), "{v}");
}

#[test]
fn flows_see_the_packet_inside() {
    let frames = [
        record(0, Some(EXT_ALL), &[], &mac_frame(0x0800, &tcp_syn(5))),
        record(FLAG_IN, None, &[], &mac_frame(0x86dd, &ipv6_udp())),
    ];
    let path = temp_path("juniper-flows", link_captures::capture(ETHER, &frames, 0));
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("10.0.0.1:4000"), "{table}");
    assert!(table.contains("[2001:db8::1]:5000"), "{table}");
    for (link, frame) in flow_frames() {
        let path = temp_path(
            &format!("juniper-{link}-flows"),
            link_captures::capture(link, &[record(0, None, &[], &frame)], 0),
        );
        let out = sockscope(&["read", &path, "--flows", "-q"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let table = text(&out.stdout);
        assert!(table.contains("10.0.0.1:4000"), "{link}: {table}");
    }
}

/// Behind PPI and PKTAP headers `-v` and `-vv` print what tcpdump prints
/// too: the checksums' verdicts of an IP packet behind an 802.3 frame's
/// LLC header (its frame read by Ethernet's rules, whatever header came
/// first), the Juniper header's flags and TLVs.
#[test]
fn records_behind_ppi_and_pktap_verbose_print_what_tcpdump_prints() {
    let mut total = 0;
    // A TCP segment behind LLC/SNAP: its checksum's verdict is printed.
    let llc = [&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0][..], &tcp_syn(9)].concat();
    let snap_tcp = record(0, None, &[], &mac_frame(llc.len() as u16, &llc));
    for (link, name) in [
        (ETHER, "ether"),
        (PPPOE, "pppoe"),
        (ATM2, "atm2"),
        (ES, "es"),
    ] {
        let mut records = records(link);
        if matches!(link, ETHER | PPPOE) {
            records.push(snap_tcp.clone());
        }
        let records = support::pcap::whole_and_cut(&records);
        for (wrapper, bytes) in link_captures::behind_ppi_and_pktap(link, &records) {
            let path = temp_path(&format!("juniper-{name}-in-{wrapper}-v"), bytes);
            let Some(counts) = compare_with_tcpdump(&path, &["-v", "-e -vv"], records.len()) else {
                return;
            };
            total += counts.iter().sum::<usize>();
        }
    }
    eprintln!("Juniper records behind PPI and PKTAP, -v and -e -vv: {total} lines identical");
    assert!(total > 200_000, "only {total} lines compared");
}

/// Records behind a PPI header behind another PPI or a PKTAP header: each
/// wrapper's printer counts its header and, again, what the printers
/// inside it counted (the Juniper printer's count is doubled twice); the
/// link types that hand a frame on (Ethernet, ATM1, MLPPP, MFR's child
/// links) and one that does not (ES).
#[test]
fn records_behind_nested_wrappers_print_what_tcpdump_prints() {
    let mut total = 0;
    for (link, name) in [
        (ETHER, "ether"),
        (ATM1, "atm1"),
        (MLPPP, "mlppp"),
        (MFR, "mfr"),
        (ES, "es"),
    ] {
        let inner = link_captures::ppi_header(0, 8, link);
        let records: Vec<(Vec<u8>, u32)> = support::pcap::whole_and_cut(&records(link))
            .into_iter()
            .map(|(r, len)| ([&inner[..], &r].concat(), len + 8))
            .collect();
        total += link_captures::behind_ppi_and_pktap_equal_tcpdump(
            &format!("juniper-{name}-nested"),
            192,
            &records,
        );
    }
    assert!(
        total == 0 || total > 1_000_000,
        "only {total} lines compared"
    );
}

/// Behind PPI and PKTAP headers, flows and `--json` see the same packet
/// inside as on the record's own link type: an 802.3 frame's LLC header
/// read by Ethernet's rules whatever header came first.
#[test]
fn flows_and_json_see_the_packet_inside_ppi_and_pktap() {
    let llc = [&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0][..], &tcp_syn(6)].concat();
    let frames = flow_frames().into_iter().chain([
        (ETHER, mac_frame(llc.len() as u16, &llc)),
        (
            ETHER,
            mac_frame(0x8100, &[&[0, 5, 8, 0][..], &tcp_syn(6)].concat()),
        ),
    ]);
    for (link, frame) in frames {
        let rec = record(0, None, &[], &frame);
        let len = rec.len() as u32;
        for (wrapper, bytes) in link_captures::behind_ppi_and_pktap(link, &[(rec, len)]) {
            let path = temp_path(&format!("juniper-{link}-in-{wrapper}-flows"), bytes);
            let out = sockscope(&["read", &path, "--flows", "-q"]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            let table = text(&out.stdout);
            assert!(
                table.contains("10.0.0.1:4000"),
                "{link} in {wrapper}: {table}"
            );
            let out = sockscope(&["read", &path, "--json"]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            let v: serde_json::Value =
                serde_json::from_str(text(&out.stdout).trim()).expect("one JSON object");
            assert_eq!(v["tcp"]["sport"], 4000, "{link} in {wrapper}: {v}");
        }
    }
}

/// A record of each link type (and payload kind) whose packet inside is
/// a TCP SYN from 10.0.0.1.4000.
fn flow_frames() -> Vec<(u32, Vec<u8>)> {
    vec![
        (PPP, [&[0xff, 3, 0, 0x21][..], &tcp_syn(6)].concat()),
        (CHDLC, [&[0x0f, 0, 8, 0][..], &tcp_syn(6)].concat()),
        (FRELAY, [&[0x18, 0x41, 3, 0xcc][..], &tcp_syn(6)].concat()),
        (SERVICES, [&[0x47; 8][..], &tcp_syn(6)].concat()),
        (
            ATM1,
            [&[0, 0, 1, 2, 0xaa, 0xaa, 3, 0, 0, 0, 8, 0][..], &tcp_syn(6)].concat(),
        ),
        (ATM2, [&[0; 8][..], &[0, 0x21], &tcp_syn(6)].concat()),
        (MLPPP, [&[1, 2, 0xff, 3, 0, 0x21][..], &tcp_syn(6)].concat()),
        (MLPPP, [&as_cookie(0, 0)[..], &tcp_syn(6)].concat()),
        (MLFR, [&[1, 2, 3, 0xcc][..], &tcp_syn(6)].concat()),
        (
            MFR,
            [&[0x54, 5, 0, 0, 0, 0, 3, 0xcc][..], &tcp_syn(6)].concat(),
        ),
        (
            MFR,
            [&[0xc1, 0, 0x18, 0x41, 3, 0xcc][..], &tcp_syn(6)].concat(),
        ),
        (
            ATM2,
            [
                &[0, 0, 0, 1, 0, 0, 0, 0][..],
                &mac_frame(0x0800, &tcp_syn(6)),
            ]
            .concat(),
        ),
        // An LLC PDU of a Cisco protocol tcpdump does not know, whose
        // bytes as an Ethernet frame carry the SYN (ATM2's next guess).
        (
            ATM2,
            [
                &[0, 0, 0, 1, 0, 0, 0, 0][..],
                &[0xaa, 0xaa, 3, 0, 0, 0x0c, 1, 0x23, 1, 2, 3, 4, 8, 0],
                &tcp_syn(6),
            ]
            .concat(),
        ),
    ]
}

#[test]
fn damaged_records_never_panic() {
    for (i, link) in [
        ETHER, PPP, CHDLC, FRELAY, PPPOE, ES, MONITOR, SERVICES, GGSN, PPPOE_ATM, ATM1, ATM2, MFR,
        MLFR, MLPPP,
    ]
    .into_iter()
    .enumerate()
    {
        support::link_damage::damaged_records_read(link, &records(link), 178 + i as u64);
    }
}

/// Every link type's records, whole and cut at every length, behind PPI
/// and PKTAP headers print what tcpdump prints: the wrapper's words, the
/// Juniper header's, the frame's line (handed to its own link type's
/// printer as on its own), `-x` from where the wrapper's printer counted
/// (its header, and again what the Juniper printer counted: its header,
/// Ethernet's after it, nothing for a record without the magic, the whole
/// record when a printer gave up); more than `min` lines for each.
#[test]
fn records_behind_ppi_and_pktap_print_what_tcpdump_prints() {
    let mut total = 0;
    for (link, name, min) in [
        (ETHER, "ether", 120_000),
        (PPP, "ppp", 115_000),
        (CHDLC, "chdlc", 55_000),
        (FRELAY, "frelay", 105_000),
        (PPPOE, "pppoe", 130_000),
        (ES, "es", 330_000),
        (MONITOR, "monitor", 95_000),
        (SERVICES, "services", 95_000),
        (PPPOE_ATM, "pppoe_atm", 110_000),
        (GGSN, "ggsn", 65_000),
        (ATM1, "atm1", 290_000),
        (ATM2, "atm2", 550_000),
        (MFR, "mfr", 240_000),
        (MLFR, "mlfr", 145_000),
        (MLPPP, "mlppp", 230_000),
    ] {
        let records = support::pcap::whole_and_cut(&records(link));
        let lines = link_captures::behind_ppi_and_pktap_equal_tcpdump(
            &format!("juniper-{name}"),
            link,
            &records,
        );
        assert!(lines == 0 || lines > min, "{name}: only {lines} lines");
        total += lines;
    }
    eprintln!("Juniper records behind PPI and PKTAP: {total} lines identical to tcpdump's");
}
