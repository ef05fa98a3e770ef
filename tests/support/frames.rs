//! Packet builders the capture generators and the tests share: Ethernet
//! frames from addresses as text ([`Eth::frame`]), and what etherparse's
//! `PacketBuilder` has no step for: TCP flags from a short string, ARP
//! bodies, cooked and BSD-loopback link headers, a VLAN-tagged frame for
//! injection.

use etherparse::{PacketBuilder, PacketBuilderStep, TcpHeader, TcpOptionElement};
use std::net::IpAddr;

/// Set TCP flags from letters: S(YN) F(IN) R(ST) P(SH) U(RG, pointer 3).
/// Other letters are left to the caller (A needs an acknowledgment number).
pub fn with_flags(
    mut b: PacketBuilderStep<TcpHeader>,
    flags: &str,
) -> PacketBuilderStep<TcpHeader> {
    for c in flags.chars() {
        b = match c {
            'S' => b.syn(),
            'F' => b.fin(),
            'R' => b.rst(),
            'P' => b.psh(),
            'U' => b.urg(3),
            _ => b,
        };
    }
    b
}

/// An ARP (or RARP) body for Ethernet and IPv4: operation, sender and
/// target hardware and protocol addresses.
pub fn arp_body(op: u16, sha: [u8; 6], spa: [u8; 4], tha: [u8; 6], tpa: [u8; 4]) -> Vec<u8> {
    let mut v = vec![0, 1, 8, 0, 6, 4];
    v.extend_from_slice(&op.to_be_bytes());
    v.extend_from_slice(&sha);
    v.extend_from_slice(&spa);
    v.extend_from_slice(&tha);
    v.extend_from_slice(&tpa);
    v
}

/// An IPv6 header (hop limit 64, no traffic class or flow label) and its
/// payload, whose first header is `next`.
pub fn ipv6_packet(src: [u8; 16], dst: [u8; 16], next: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    h.extend_from_slice(&[next, 64]);
    h.extend_from_slice(&src);
    h.extend_from_slice(&dst);
    h.extend_from_slice(payload);
    h
}

/// The two hosts the hand-built captures (exact, verbose) talk between.
pub const MAC_A: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0a];
pub const MAC_B: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0b];
pub const IP_A: [u8; 4] = [10, 0, 0, 1];
pub const IP_B: [u8; 4] = [10, 0, 0, 2];
pub const IP6_A: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
pub const IP6_B: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

/// Source MAC of [`vlan_frame`], to pick it out among the link's own chatter.
pub const VLAN_SRC_MAC: [u8; 6] = [0x02, 0x5c, 0x5c, 0x5c, 0x5c, 0x01];

/// A broadcast 802.1Q-tagged frame (VLAN 5, priority 1) carrying
/// 10.0.0.1.12345 > 10.0.0.2.12345 UDP "vlan".
pub fn vlan_frame() -> Vec<u8> {
    let mut frame = vec![0xff; 6];
    frame.extend_from_slice(&VLAN_SRC_MAC);
    frame.extend_from_slice(&[0x81, 0x00, 0x20, 0x05, 0x08, 0x00]);
    frame.extend_from_slice(&[
        0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, // IPv4
        0x30, 0x39, 0x30, 0x39, 0, 12, 0, 0, b'v', b'l', b'a', b'n', // UDP
    ]);
    frame
}

/// A LINUX_SLL (cooked v1) header: packet type, ARPHRD type, a 6-byte
/// link address (padded to 8), protocol.
pub fn sll_header(pkttype: u16, hatype: u16, addr: [u8; 6], protocol: u16) -> Vec<u8> {
    let mut f = pkttype.to_be_bytes().to_vec();
    f.extend_from_slice(&hatype.to_be_bytes());
    f.extend_from_slice(&6u16.to_be_bytes());
    f.extend_from_slice(&addr);
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(&protocol.to_be_bytes());
    f
}

/// A LINUX_SLL2 (cooked v2) header: protocol, interface index, ARPHRD type,
/// packet type, a 6-byte link address (padded to 8).
pub fn sll2_header(
    protocol: u16,
    ifindex: u32,
    hatype: u16,
    pkttype: u8,
    addr: [u8; 6],
) -> Vec<u8> {
    let mut f = protocol.to_be_bytes().to_vec();
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(&ifindex.to_be_bytes());
    f.extend_from_slice(&hatype.to_be_bytes());
    f.push(pkttype);
    f.push(6);
    f.extend_from_slice(&addr);
    f.extend_from_slice(&[0, 0]);
    f
}

/// A BSD loopback (DLT_NULL) header as a little-endian writer puts it:
/// AF_INET 2, or Darwin's AF_INET6 30.
pub fn null_header(ethertype: u16) -> Vec<u8> {
    let af: u32 = if ethertype == 0x0800 { 2 } else { 30 };
    af.to_le_bytes().to_vec()
}

/// What a test frame carries above IP (ICMP or ICMPv6 as the addresses say).
pub enum Above<'a> {
    Udp(u16, u16),
    /// A SYN: source and destination port, sequence number, window, options.
    Syn(u16, u16, u32, u16, &'a [TcpOptionElement]),
    /// Echo request: identifier, sequence number.
    EchoRequest(u16, u16),
    /// Echo reply: identifier, sequence number.
    EchoReply(u16, u16),
}

/// Ethernet frames between two MAC addresses, at one hop limit.
pub struct Eth {
    pub src: [u8; 6],
    pub dst: [u8; 6],
    pub ttl: u8,
}

impl Eth {
    /// A frame from `src` to `dst` (both IPv4 or both IPv6, as text)
    /// carrying `above` and `payload`.
    pub fn frame(&self, src: &str, dst: &str, above: Above, payload: &[u8]) -> Vec<u8> {
        let (Ok(src), Ok(dst)) = (src.parse::<IpAddr>(), dst.parse::<IpAddr>()) else {
            panic!("addresses {src} {dst}")
        };
        let eth = PacketBuilder::ethernet2(self.src, self.dst);
        let ip = match (src, dst) {
            (IpAddr::V4(a), IpAddr::V4(b)) => eth.ipv4(a.octets(), b.octets(), self.ttl),
            (IpAddr::V6(a), IpAddr::V6(b)) => eth.ipv6(a.octets(), b.octets(), self.ttl),
            _ => panic!("one IP version for both ends: {src} {dst}"),
        };
        let v6 = src.is_ipv6();
        let mut out = Vec::new();
        match above {
            Above::Udp(sp, dp) => ip.udp(sp, dp).write(&mut out, payload),
            Above::Syn(sp, dp, seq, win, opts) => {
                let mut b = ip.tcp(sp, dp, seq, win).syn();
                if !opts.is_empty() {
                    b = b.options(opts).expect("options fit");
                }
                b.write(&mut out, payload)
            }
            Above::EchoRequest(id, seq) if v6 => {
                ip.icmpv6_echo_request(id, seq).write(&mut out, payload)
            }
            Above::EchoRequest(id, seq) => ip.icmpv4_echo_request(id, seq).write(&mut out, payload),
            Above::EchoReply(id, seq) if v6 => {
                ip.icmpv6_echo_reply(id, seq).write(&mut out, payload)
            }
            Above::EchoReply(id, seq) => ip.icmpv4_echo_reply(id, seq).write(&mut out, payload),
        }
        .expect("the frame builds");
        out
    }
}

/// A UDP datagram (checksum 0: none) between the ports, carrying `payload`.
pub fn udp_datagram(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut u = Vec::with_capacity(8 + payload.len());
    u.extend_from_slice(&sport.to_be_bytes());
    u.extend_from_slice(&dport.to_be_bytes());
    u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    u
}
