//! The generator of `captures/filter_*.pcap` (the filter tests' captures:
//! one list of frames framed under five link types), and the reader of
//! `tests/filter/expected.txt`, tcpdump's verdicts on them.

use super::frames::ipv6_packet;
use super::frames::udp_datagram as udp_bytes;
use super::frames::{arp_body as arp, null_header, sll_header, sll2_header};
use super::pcap::{Layout, Record, read_pcap, write_pcap};
use super::{capture, root};
use etherparse::{IpHeaders, PacketBuilder, PacketBuilderStep, TcpHeader};
use std::borrow::Cow;
use std::net::IpAddr;

/// One frame before link framing: what the network layer carries.
#[derive(Clone)]
pub struct Item {
    pub eth_src: [u8; 6],
    pub eth_dst: [u8; 6],
    /// (TPID, TCI) tags, outermost first (Ethernet only).
    pub vlans: Vec<(u16, u16)>,
    pub ethertype: u16,
    pub payload: Vec<u8>,
    /// Keep only this many bytes of `payload` (snap length cut).
    pub snap: Option<usize>,
}

const MAC_A: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
const MAC_B: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
const BCAST: [u8; 6] = [0xff; 6];
/// Frames from this address are "sent by us" (packet type 4) in the
/// Linux cooked captures (`outbound`).
const MAC_OUTGOING: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x03];

fn item(ethertype: u16, payload: Vec<u8>) -> Item {
    Item {
        eth_src: MAC_A,
        eth_dst: MAC_B,
        vlans: Vec::new(),
        ethertype,
        payload,
        snap: None,
    }
}

fn ip_item(payload: Vec<u8>) -> Item {
    let et = if payload.first().is_some_and(|b| b >> 4 == 6) {
        0x86dd
    } else {
        0x0800
    };
    item(et, payload)
}

const V4A: [u8; 4] = [10, 0, 0, 1];
const V4B: [u8; 4] = [10, 0, 0, 2];
const V6A: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const V6B: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

fn build(b: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut v = Vec::new();
    b(&mut v);
    v
}

/// The IP layer from `src` to `dst` (both v4 or both v6), TTL 64.
fn ip(src: impl Into<IpAddr>, dst: impl Into<IpAddr>) -> PacketBuilderStep<IpHeaders> {
    match (src.into(), dst.into()) {
        (IpAddr::V4(a), IpAddr::V4(b)) => PacketBuilder::ipv4(a.octets(), b.octets(), 64),
        (IpAddr::V6(a), IpAddr::V6(b)) => PacketBuilder::ipv6(a.octets(), b.octets(), 64),
        (a, b) => panic!("one IP version for both ends: {a} {b}"),
    }
}

/// TCP with `flags` (header order, FIN = 1 … CWR = 0x80).
fn tcp4(src: [u8; 4], dst: [u8; 4], sp: u16, dp: u16, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = TcpHeader::new(sp, dp, 1000 + flags as u32, 64240);
    set_flags(&mut h, flags);
    build(|v| ip(src, dst).tcp_header(h).write(v, payload).expect("tcp4"))
}

fn set_flags(h: &mut TcpHeader, f: u8) {
    h.fin = f & 0x01 != 0;
    h.syn = f & 0x02 != 0;
    h.rst = f & 0x04 != 0;
    h.psh = f & 0x08 != 0;
    h.ack = f & 0x10 != 0;
    h.urg = f & 0x20 != 0;
    h.ece = f & 0x40 != 0;
    h.cwr = f & 0x80 != 0;
    if h.ack {
        h.acknowledgment_number = 7;
    }
}

fn tcp6(src: [u8; 16], dst: [u8; 16], sp: u16, dp: u16, flags: u8) -> Vec<u8> {
    let mut h = TcpHeader::new(sp, dp, 5000, 65000);
    set_flags(&mut h, flags);
    build(|v| ip(src, dst).tcp_header(h).write(v, &[]).expect("tcp6"))
}

fn udp(
    src: impl Into<IpAddr>,
    dst: impl Into<IpAddr>,
    sp: u16,
    dp: u16,
    payload: &[u8],
) -> Vec<u8> {
    build(|v| ip(src, dst).udp(sp, dp).write(v, payload).expect("udp"))
}

/// A hand-made IPv4 header (for protocols etherparse does not build, options
/// and fragments); checksums are left zero: filters do not look at them.
fn raw4(src: [u8; 4], dst: [u8; 4], proto: u8, opts: &[u8], frag: u16, payload: &[u8]) -> Vec<u8> {
    let hl = 20 + opts.len();
    let total = (hl + payload.len()) as u16;
    let mut v = vec![0x40 | (hl / 4) as u8, 0];
    v.extend_from_slice(&total.to_be_bytes());
    v.extend_from_slice(&[0x12, 0x34]);
    v.extend_from_slice(&frag.to_be_bytes());
    v.extend_from_slice(&[64, proto, 0, 0]);
    v.extend_from_slice(&src);
    v.extend_from_slice(&dst);
    v.extend_from_slice(opts);
    v.extend_from_slice(payload);
    v
}

fn tcp_bytes(sp: u16, dp: u16, flags: u8) -> Vec<u8> {
    let mut h = TcpHeader::new(sp, dp, 1, 1024);
    set_flags(&mut h, flags);
    h.to_bytes().to_vec()
}

/// The frames every capture is built from, in order. Items with VLAN tags,
/// or non-IP payloads, appear only where the link type can carry them.
pub fn items() -> Vec<Item> {
    let mut out = Vec::new();
    // A TCP conversation on port 80.
    for (a, b, sp, dp, f, pl) in [
        (V4A, V4B, 40000, 80, 0x02, &b""[..]),
        (V4B, V4A, 80, 40000, 0x12, b""),
        (V4A, V4B, 40000, 80, 0x10, b""),
        (V4A, V4B, 40000, 80, 0x18, b"GET / HTTP/1.0\r\n\r\n"),
        (V4B, V4A, 80, 40000, 0x11, b""),
        (V4B, V4A, 80, 40000, 0x04, b""),
    ] {
        out.push(ip_item(tcp4(a, b, sp, dp, f, pl)));
    }
    // Every combination of FIN SYN RST PSH ACK URG, and some ECE/CWR.
    for f in (0u8..64).chain([0x40, 0x80, 0xc2, 0xff]) {
        out.push(ip_item(tcp4(
            [10, 0, 0, 3],
            [10, 0, 0, 4],
            5000,
            8080,
            f,
            b"",
        )));
    }
    // UDP: DNS both ways, mDNS to a multicast group.
    out.push(ip_item(udp(
        V4A,
        [10, 0, 0, 53],
        5353,
        53,
        b"\x12\x34\x01\x00",
    )));
    out.push(ip_item(udp(
        [10, 0, 0, 53],
        V4A,
        53,
        5353,
        b"\x12\x34\x81\x80",
    )));
    let mut mdns = ip_item(udp([192, 168, 1, 5], [224, 0, 0, 251], 5353, 5353, b"q"));
    mdns.eth_dst = [0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb];
    out.push(mdns);
    // ICMP echo, reply, port unreachable.
    out.push(ip_item(build(|v| {
        PacketBuilder::ipv4(V4A, V4B, 64)
            .icmpv4_echo_request(7, 1)
            .write(v, b"ping")
            .expect("icmp")
    })));
    out.push(ip_item(build(|v| {
        PacketBuilder::ipv4(V4B, V4A, 64)
            .icmpv4_echo_reply(7, 1)
            .write(v, b"ping")
            .expect("icmp")
    })));
    out.push(ip_item(build(|v| {
        PacketBuilder::ipv4(V4B, V4A, 64)
            .icmpv4_raw(3, 3, [0; 4])
            .write(v, &udp(V4A, V4B, 1111, 2222, b""))
            .expect("icmp")
    })));
    // IPv4 with options (IHL 7): ports sit 8 bytes further.
    out.push(ip_item(raw4(
        [192, 168, 1, 10],
        [192, 168, 1, 20],
        6,
        &[0x01, 0x01, 0x01, 0x01, 0x07, 0x03, 0x04, 0x00],
        0,
        &tcp_bytes(1234, 443, 0x02),
    )));
    // A UDP datagram in two fragments; the second one's first bytes look like port 53.
    let datagram = udp_bytes(7000, 53, &[0xaa; 24]);
    // (flags and fragment offset, bytes) of each fragment.
    let second = [
        0x00, 0x35, 0x00, 0x35, 0, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
    ];
    for (frag, bytes) in [(0x2000, &datagram[..16]), (0x0002, &second[..])] {
        out.push(ip_item(raw4(V4A, [10, 0, 0, 9], 17, &[], frag, bytes)));
    }
    // SCTP (132) from port 80, IGMP (2).
    let mut sctp = Vec::new();
    sctp.extend_from_slice(&80u16.to_be_bytes());
    sctp.extend_from_slice(&9999u16.to_be_bytes());
    sctp.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 4]);
    out.push(ip_item(raw4(V4A, V4B, 132, &[], 0, &sctp)));
    out.push(ip_item(raw4(
        [10, 0, 0, 7],
        [224, 0, 0, 1],
        2,
        &[],
        0,
        &[0x11, 0x64, 0, 0, 0, 0, 0, 0],
    )));
    // A big packet (greater/less), and two cut by the snap length.
    out.push(ip_item(tcp4(V4B, V4A, 443, 50000, 0x10, &[0x55; 1400])));
    let mut cut = ip_item(tcp4(V4A, V4B, 50001, 22, 0x02, b""));
    cut.snap = Some(26);
    out.push(cut);
    let mut cut = ip_item(udp(V4A, V4B, 50002, 53, b"xxxxxxxx"));
    cut.snap = Some(10);
    out.push(cut);
    // IPv6: TCP both ways, UDP to a multicast group, ICMPv6 echo, NS.
    out.push(ip_item(tcp6(V6A, V6B, 40001, 80, 0x02)));
    out.push(ip_item(tcp6(V6B, V6A, 80, 40001, 0x12)));
    let fe80_1 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    let ff02_fb = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb];
    out.push(ip_item(udp(fe80_1, ff02_fb, 5353, 5353, b"q6")));
    for (a, b, t) in [(V6A, V6B, 128u8), (V6B, V6A, 129), (fe80_1, ff02_fb, 135)] {
        out.push(ip_item(build(|v| {
            PacketBuilder::ipv6(a, b, 255)
                .icmpv6_raw(t, 0, [0, 1, 0, 1])
                .write(v, b"ping")
                .expect("icmp6")
        })));
    }
    // IPv6 extension headers: hop-by-hop before UDP/53, fragment before
    // TCP/80, routing header before TCP/80.
    let mut hbh = vec![17, 0, 1, 4, 0, 0, 0, 0];
    hbh.extend_from_slice(&udp_bytes(5000, 53, b"dns"));
    out.push(ip_item(ipv6_packet(V6A, V6B, 0, &hbh)));
    let mut frag = vec![6, 0, 0, 1, 0, 0, 0, 9];
    frag.extend_from_slice(&tcp_bytes(40002, 80, 0x02));
    out.push(ip_item(ipv6_packet(V6A, V6B, 44, &frag)));
    let mut rh = vec![6, 0, 0, 0, 0, 0, 0, 0];
    rh.extend_from_slice(&tcp_bytes(40003, 80, 0x02));
    out.push(ip_item(ipv6_packet(V6A, V6B, 43, &rh)));
    // Link-layer only from here (Ethernet, Linux cooked).
    let mut req = item(0x0806, arp(1, MAC_A, V4A, [0; 6], V4B));
    req.eth_dst = BCAST;
    out.push(req);
    out.push(item(0x0806, arp(2, MAC_B, V4B, MAC_A, V4A)));
    out.push(item(0x8035, arp(3, MAC_A, [0; 4], MAC_A, [10, 0, 0, 7])));
    // VLAN 10 IPv4 TCP/80, VLAN 20 IPv6 UDP/53, QinQ 100/10 IPv4 UDP/53, VLAN 30 ARP.
    let mut v = ip_item(tcp4(V4A, V4B, 40010, 80, 0x02, b""));
    v.vlans = vec![(0x8100, 10)];
    out.push(v);
    let mut v = ip_item(udp(V6A, V6B, 5000, 53, b"v6"));
    v.vlans = vec![(0x8100, 0x2000 | 20)];
    out.push(v);
    let mut v = ip_item(udp(V4A, [10, 0, 0, 53], 5001, 53, b"qinq"));
    v.vlans = vec![(0x88a8, 100), (0x8100, 10)];
    out.push(v);
    let mut v = item(0x0806, arp(1, MAC_A, V4A, [0; 6], [10, 0, 0, 9]));
    v.vlans = vec![(0x8100, 30)];
    v.eth_dst = BCAST;
    out.push(v);
    // An 802.3 frame with a length instead of an ethertype.
    out.push(item(0x0026, vec![0x42, 0x42, 0x03, 0, 0, 0, 0, 0, 0, 0]));
    encapsulated(&mut out);
    out
}

/// An MPLS label stack entry: label, traffic class 0, bottom-of-stack bit,
/// TTL 64.
fn mpls_entry(label: u32, bottom: bool) -> [u8; 4] {
    ((label << 12) | (u32::from(bottom) << 8) | 64).to_be_bytes()
}

/// `labels` (the last one the bottom of the stack) before `inner`.
fn mpls(labels: &[u32], inner: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    for (i, &l) in labels.iter().enumerate() {
        v.extend_from_slice(&mpls_entry(l, i + 1 == labels.len()));
    }
    v.extend_from_slice(inner);
    v
}

/// A PPPoE header (version 1, type 1) with `code`, `session` and `body`.
fn pppoe(code: u8, session: u16, body: &[u8]) -> Vec<u8> {
    let mut v = vec![0x11, code];
    v.extend_from_slice(&session.to_be_bytes());
    v.extend_from_slice(&(body.len() as u16).to_be_bytes());
    v.extend_from_slice(body);
    v
}

/// A PPPoE session frame carrying PPP protocol `proto`.
fn pppoe_session(session: u16, proto: u16, inner: &[u8]) -> Vec<u8> {
    let mut ppp = proto.to_be_bytes().to_vec();
    ppp.extend_from_slice(inner);
    pppoe(0, session, &ppp)
}

/// A Geneve header (version 0) with `options` words of zero options,
/// protocol type `proto` and `vni`, then `inner`.
fn geneve(options: u8, proto: u16, vni: u32, inner: &[u8]) -> Vec<u8> {
    let mut v = vec![options & 0x3f, 0];
    v.extend_from_slice(&proto.to_be_bytes());
    v.extend_from_slice(&(vni << 8).to_be_bytes());
    v.extend(std::iter::repeat_n(0u8, 4 * usize::from(options)));
    v.extend_from_slice(inner);
    v
}

/// An OSI PDU in an 802.3 frame: LLC (SAP 0xfe both ways, UI), the NLPID,
/// a header length, version 1, a 0 system-id length, the PDU type and
/// filler (the PDU type is four bytes after the NLPID, as libpcap reads it).
fn osi(nlpid: u8, pdu_type: u8) -> Item {
    let body = vec![
        0xfe, 0xfe, 0x03, nlpid, 27, 1, 0, pdu_type, 1, 0, 0, 0, 0, 0, 0,
    ];
    let mut it = item(body.len() as u16, body);
    it.eth_dst = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x14];
    it
}

/// Frames for the encapsulation and protocol words (`mpls`, `pppoed`,
/// `pppoes`, `vrrp`, `ip broadcast`, OSI over 802.3, `outbound`), kept
/// after the others so their packet numbers do not move.
fn encapsulated(out: &mut Vec<Item>) {
    // MPLS: one label over IPv4 TCP/80, two labels over IPv6 UDP/53, one
    // over IPv4 UDP from 10.0.0.1, a VLAN-tagged one, and an Ethernet
    // pseudowire (no IP version nibble after the stack).
    out.push(item(
        0x8847,
        mpls(&[100], &tcp4(V4A, V4B, 40020, 80, 0x02, b"")),
    ));
    out.push(item(
        0x8847,
        mpls(&[200, 5], &udp(V6A, V6B, 5002, 53, b"m6")),
    ));
    out.push(item(
        0x8847,
        mpls(&[300], &udp(V4A, [10, 0, 0, 53], 5003, 53, b"m")),
    ));
    let mut v = item(0x8847, mpls(&[100], &tcp4(V4B, V4A, 80, 40021, 0x12, b"")));
    v.vlans = vec![(0x8100, 10)];
    out.push(v);
    let mut pw = MAC_B.to_vec();
    pw.extend_from_slice(&MAC_A);
    pw.extend_from_slice(&[0x08, 0x06]);
    out.push(item(0x8847, mpls(&[400, 401], &pw)));
    // PPPoE: a PADI, sessions 5 (IPv4 TCP/80), 6 (IPv6 TCP/80), 7 in
    // VLAN 20 (IPv6 UDP/53), and an LCP frame in session 5.
    out.push(item(0x8863, pppoe(0x09, 0, &[0x01, 0x01, 0, 0])));
    out.push(item(
        0x8864,
        pppoe_session(5, 0x0021, &tcp4(V4A, V4B, 40030, 80, 0x02, b"")),
    ));
    out.push(item(
        0x8864,
        pppoe_session(6, 0x0057, &tcp6(V6A, V6B, 40031, 80, 0x02)),
    ));
    let mut v = item(
        0x8864,
        pppoe_session(7, 0x0057, &udp(V6B, V6A, 5004, 53, b"p6")),
    );
    v.vlans = vec![(0x8100, 20)];
    out.push(v);
    out.push(item(
        0x8864,
        pppoe_session(5, 0xc021, &[0x01, 0x01, 0x00, 0x04]),
    ));
    // VRRP (IPv4 protocol 112) to 224.0.0.18; UDP to 255.255.255.255 and
    // to 0.0.0.0 (`ip broadcast`).
    out.push(ip_item(raw4(
        [10, 0, 0, 5],
        [224, 0, 0, 18],
        112,
        &[],
        0,
        &[0x21, 1, 100, 1, 0, 1, 0, 0, 10, 0, 0, 100],
    )));
    let mut bc = ip_item(udp([0, 0, 0, 0], [255, 255, 255, 255], 68, 67, b"dhcp"));
    bc.eth_dst = BCAST;
    out.push(bc);
    out.push(ip_item(udp(V4A, [0, 0, 0, 0], 5005, 9, b"zero")));
    // IPv6 hop-by-hop, then destination options, then TCP/80.
    let mut chain = vec![60, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0];
    chain.extend_from_slice(&tcp_bytes(40040, 80, 0x02));
    out.push(ip_item(ipv6_packet(V6A, V6B, 0, &chain)));
    // OSI over 802.3: IS-IS L1 LAN hello, L2 LSP, L1 CSNP, L2 PSNP, an
    // ES-IS ES hello, a CLNP data PDU.
    for (nlpid, pdu) in [
        (0x83, 0x0f),
        (0x83, 0x14),
        (0x83, 0x18),
        (0x83, 0x1b),
        (0x82, 0x02),
        (0x81, 0x1c),
    ] {
        out.push(osi(nlpid, pdu));
    }
    // Geneve (UDP 6081): over IPv4 an Ethernet frame (VNI 5) with IPv4
    // TCP/80 inside; over IPv6, with 8 bytes of options, IPv4 UDP/53
    // directly (VNI 7); over IPv4 IPv6 TCP/80 (VNI 5); and a datagram to
    // 6081 whose version bits are not 0.
    let mut inner_eth = MAC_B.to_vec();
    inner_eth.extend_from_slice(&MAC_A);
    inner_eth.extend_from_slice(&[0x08, 0x00]);
    inner_eth.extend_from_slice(&tcp4(
        [192, 168, 0, 1],
        [192, 168, 0, 2],
        40050,
        80,
        0x02,
        b"",
    ));
    let g = geneve(0, 0x6558, 5, &inner_eth);
    out.push(ip_item(udp(V4A, V4B, 40051, 6081, &g)));
    let g = geneve(2, 0x0800, 7, &udp(V4A, [10, 0, 0, 53], 5007, 53, b"g"));
    out.push(ip_item(udp(V6A, V6B, 40052, 6081, &g)));
    let g = geneve(0, 0x86dd, 5, &tcp6(V6A, V6B, 40053, 80, 0x02));
    out.push(ip_item(udp(V4B, V4A, 40054, 6081, &g)));
    let mut g = geneve(0, 0x0800, 5, &tcp4(V4A, V4B, 40055, 80, 0x02, b""));
    g[0] |= 0x40;
    out.push(ip_item(udp(V4A, V4B, 40056, 6081, &g)));
    // One frame we sent (cooked packet type 4).
    let mut sent = ip_item(udp(V4A, V4B, 5006, 9, b"out"));
    sent.eth_src = MAC_OUTGOING;
    out.push(sent);
}

/// Link types of the generated captures and their file names.
pub const CAPTURES: [(&str, u32); 5] = [
    ("filter_ether.pcap", 1),
    ("filter_sll.pcap", 113),
    ("filter_sll2.pcap", 276),
    ("filter_raw.pcap", 101),
    ("filter_null.pcap", 0),
];

/// Frames one `item` as `link`, or `None` when that link cannot carry it.
fn frame(link: u32, it: &Item) -> Option<(Vec<u8>, u32)> {
    let net: &[u8] = &it.payload;
    let is_ip = matches!(it.ethertype, 0x0800 | 0x86dd);
    let mut f = Vec::new();
    match link {
        1 => {
            f.extend_from_slice(&it.eth_dst);
            f.extend_from_slice(&it.eth_src);
            for (tpid, tci) in &it.vlans {
                f.extend_from_slice(&tpid.to_be_bytes());
                f.extend_from_slice(&tci.to_be_bytes());
            }
            f.extend_from_slice(&it.ethertype.to_be_bytes());
        }
        113 | 276 if it.vlans.is_empty() && it.ethertype > 1500 => {
            let pkttype: u16 = if it.eth_dst == BCAST {
                1
            } else if it.eth_src == MAC_OUTGOING {
                4
            } else {
                0
            };
            f = if link == 113 {
                sll_header(pkttype, 1, it.eth_src, it.ethertype)
            } else {
                sll2_header(it.ethertype, 2, 1, pkttype as u8, it.eth_src)
            };
        }
        101 if it.vlans.is_empty() && is_ip => {}
        0 if it.vlans.is_empty() && is_ip => f = null_header(it.ethertype),
        _ => return None,
    }
    let wire = (f.len() + net.len()) as u32;
    let keep = it.snap.unwrap_or(net.len()).min(net.len());
    f.extend_from_slice(&net[..keep]);
    Some((f, wire))
}

/// The capture for `link` as pcap bytes (deterministic).
pub fn capture_bytes(link: u32) -> Vec<u8> {
    capture_bytes_repeated(link, 1)
}

/// The frames repeated `rounds` times (benchmarks); timestamps keep rising.
pub fn capture_bytes_repeated(link: u32, rounds: u32) -> Vec<u8> {
    let items = items();
    // Numbered before the link drops what it cannot carry: the timestamps
    // of a frame are the same under every link type.
    let framed = (0..rounds)
        .flat_map(|_| items.iter())
        .enumerate()
        .filter_map(|(i, it)| Some((i, frame(link, it)?)));
    write_pcap(
        Layout::new(link, 65535),
        framed.map(|(i, (data, wire))| Record {
            ts_sec: 1_700_000_000 + i as u32,
            ts_frac: (i as u32 * 1000) % 1_000_000,
            data: Cow::Owned(data),
            orig_len: wire,
        }),
    )
}

/// The link type and the (bytes, original length) of every packet of
/// `captures/NAME`.
pub fn packets(name: &str) -> (u32, Vec<(Vec<u8>, u32)>) {
    let f = read_pcap(&capture(name));
    let pkts = f
        .records
        .into_iter()
        .map(|(_, orig, d)| (d, orig))
        .collect();
    (f.linktype, pkts)
}

/// One line of tests/filter/expected.txt.
pub struct Expected {
    pub capture: String,
    pub expr: String,
    /// Packet numbers (1-based) tcpdump printed, or tcpdump's error.
    pub result: Result<Vec<usize>, String>,
    /// tcpdump -dd's program, when it compiled one.
    pub dd: Option<String>,
}

/// Parses expected.txt: blocks of `== CAPTURE | EXPR`, then `match: N N …`
/// or `error: MSG`, then the `-dd` lines.
pub fn expected() -> Vec<Expected> {
    let path = root().join("tests/filter/expected.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out: Vec<Expected> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("== ") {
            let (cap, expr) = rest.split_once(" | ").expect("== CAPTURE | EXPR");
            out.push(Expected {
                capture: cap.to_string(),
                expr: expr.to_string(),
                result: Ok(Vec::new()),
                dd: None,
            });
        } else if let Some(rest) = line.strip_prefix("match:") {
            let nums = rest
                .split_whitespace()
                .map(|n| n.parse().expect("packet number"))
                .collect();
            out.last_mut().expect("block").result = Ok(nums);
        } else if let Some(rest) = line.strip_prefix("error: ") {
            out.last_mut().expect("block").result = Err(rest.to_string());
        } else if line.starts_with('{') {
            let e = out.last_mut().expect("block");
            let dd = e.dd.get_or_insert_with(String::new);
            dd.push_str(line);
            dd.push('\n');
        }
    }
    out
}
