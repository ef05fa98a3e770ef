//! What the tracker sees of a packet ([`FlowPacket`]), and the key that puts
//! both directions of a conversation into one flow ([`FlowKey`]).
//!
//! `FlowPacket` is built straight from etherparse's lax slices so the tracker
//! does not depend on our own decoder; it is `Copy` and holds no borrowed bytes.

use crate::packet::Timestamp;
use etherparse::{LaxNetSlice, LaxSlicedPacket, TransportSlice};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Transport protocol of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Proto {
    Tcp,
    Udp,
    /// ICMP or ICMPv6: ports hold the echo identifier on the requester's side
    /// (echo request/reply), or type and code.
    Icmp,
    /// Any other IP protocol, by number; ports are 0.
    Other(u8),
}

impl Proto {
    /// Zeek's `proto` column.
    pub fn name(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Icmp => "icmp",
            Proto::Other(_) => "unknown_transport",
        }
    }
    fn number(self) -> u16 {
        match self {
            Proto::Tcp => 6,
            Proto::Udp => 17,
            Proto::Icmp => 1,
            Proto::Other(n) => 0x100 | n as u16,
        }
    }
}

impl fmt::Display for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proto::Other(n) => write!(f, "ip-proto-{n}"),
            p => f.write_str(&p.name().to_ascii_uppercase()),
        }
    }
}

/// TCP flag bits, in header order.
pub mod tcp_flags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
    pub const ECE: u8 = 0x40;
    pub const CWR: u8 = 0x80;
}

/// One packet as the flow tracker needs it. Built by [`FlowPacket::from_lax`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowPacket {
    pub ts: Timestamp,
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: Proto,
    pub sport: u16,
    pub dport: u16,
    /// TCP only: sequence number, acknowledgment number, flags ([`tcp_flags`]), raw window.
    pub seq: u32,
    pub ack: u32,
    pub flags: u8,
    pub window: u16,
    /// TCP window scale option (only meaningful on SYN segments).
    pub wscale: Option<u8>,
    /// Payload length as the IP header declares it (not what the snap length kept).
    pub payload_len: u32,
    /// IP datagram length as declared (Zeek's `*_ip_bytes`).
    pub ip_len: u32,
    /// Set by the caller when the transport checksum was verified and found bad;
    /// the tracker then counts it (Zeek history `c`) and ignores the segment.
    pub bad_checksum: bool,
}

impl FlowPacket {
    /// The flow view of a lax-sliced packet; `None` for anything that is not IP
    /// (ARP, broken link layer) or an IP fragment after the first.
    pub fn from_lax(ts: Timestamp, pkt: &LaxSlicedPacket<'_>) -> Option<FlowPacket> {
        let (src, dst, ip_len, ip_payload_len, payload) = match pkt.net.as_ref()? {
            LaxNetSlice::Ipv4(v4) => {
                let h = v4.header();
                let header_len = h.ihl() as u32 * 4;
                let total = h.total_len() as u32;
                // total_len 0 happens with TCP segmentation offload: trust the capture.
                let (ip_len, pl) = if total >= header_len {
                    (total, total - header_len)
                } else {
                    let pl = v4.payload().payload.len() as u32;
                    (pl + header_len, pl)
                };
                (
                    IpAddr::V4(h.source_addr()),
                    IpAddr::V4(h.destination_addr()),
                    ip_len,
                    pl,
                    v4.payload(),
                )
            }
            LaxNetSlice::Ipv6(v6) => {
                let h = v6.header();
                let ext = v6.extensions().slice().len() as u32;
                let declared = h.payload_length() as u32;
                let pl = if declared >= ext && declared != 0 {
                    declared - ext
                } else {
                    v6.payload().payload.len() as u32
                };
                (
                    IpAddr::V6(h.source_addr()),
                    IpAddr::V6(h.destination_addr()),
                    40 + declared.max(pl + ext),
                    pl,
                    v6.payload(),
                )
            }
            LaxNetSlice::Arp(_) => return None,
        };
        let mut fp = FlowPacket {
            ts,
            src,
            dst,
            proto: Proto::Other(payload.ip_number.0),
            sport: 0,
            dport: 0,
            seq: 0,
            ack: 0,
            flags: 0,
            window: 0,
            wscale: None,
            payload_len: ip_payload_len,
            ip_len,
            bad_checksum: false,
        };
        match pkt.transport.as_ref() {
            Some(TransportSlice::Tcp(tcp)) => {
                let hl = tcp.header_len() as u32;
                fp.proto = Proto::Tcp;
                fp.sport = tcp.source_port();
                fp.dport = tcp.destination_port();
                fp.seq = tcp.sequence_number();
                fp.ack = tcp.acknowledgment_number();
                // The flag byte is the 14th byte of the header (CWR..FIN).
                fp.flags = tcp.header_slice().get(13).copied().unwrap_or(0);
                fp.window = tcp.window_size();
                fp.payload_len = ip_payload_len.saturating_sub(hl);
                if tcp.syn() {
                    fp.wscale = window_scale(tcp.options());
                }
            }
            Some(TransportSlice::Udp(udp)) => {
                fp.proto = Proto::Udp;
                fp.sport = udp.source_port();
                fp.dport = udp.destination_port();
                fp.payload_len = ip_payload_len.saturating_sub(8);
            }
            Some(TransportSlice::Icmpv4(icmp)) => {
                fp.proto = Proto::Icmp;
                let (t, c) = (icmp.type_u8(), icmp.code_u8());
                (fp.sport, fp.dport) = icmp_ports(t, c, 8, 0, icmp.bytes5to8());
                fp.payload_len = ip_payload_len.saturating_sub(8);
            }
            Some(TransportSlice::Icmpv6(icmp)) => {
                fp.proto = Proto::Icmp;
                let (t, c) = (icmp.type_u8(), icmp.code_u8());
                (fp.sport, fp.dport) = icmp_ports(t, c, 128, 129, icmp.bytes5to8());
                fp.payload_len = ip_payload_len.saturating_sub(8);
            }
            // Transport not parsed (fragment, truncated header, unknown protocol):
            // still a flow of its protocol number, keyed by addresses only.
            _ => {
                let n = payload.ip_number.0;
                if payload.fragmented && (n == 6 || n == 17) {
                    // A fragment carries no ports we can trust: it cannot be put into its flow.
                    return None;
                }
                // The snap length cut the TCP options: the fixed 20 bytes still
                // carry everything the tracker needs (tcpdump -s 80 does this
                // to ACKs with SACK blocks).
                if let (6, Some(h)) = (n, payload.payload.get(..20)) {
                    {
                        let be16 = |i: usize| u16::from_be_bytes([h[i], h[i + 1]]);
                        let be32 =
                            |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
                        fp.proto = Proto::Tcp;
                        fp.sport = be16(0);
                        fp.dport = be16(2);
                        fp.seq = be32(4);
                        fp.ack = be32(8);
                        fp.flags = h[13];
                        fp.window = be16(14);
                        let hl = (h[12] >> 4) as u32 * 4;
                        fp.payload_len = ip_payload_len.saturating_sub(hl.max(20));
                        if fp.has(tcp_flags::SYN) {
                            let opts = payload
                                .payload
                                .get(20..(hl as usize).max(20))
                                .unwrap_or(&[]);
                            fp.wscale = window_scale(opts);
                        }
                    }
                }
            }
        }
        Some(fp)
    }

    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// Echo request and reply of the same identifier are one ICMP flow: the
/// identifier sits on the requester's side (request: sport = id, dport = 0;
/// reply: sport = 0, dport = id). Any other ICMP message is keyed by type and code.
pub(crate) fn icmp_ports(t: u8, c: u8, req: u8, rep: u8, rest: [u8; 4]) -> (u16, u16) {
    let id = u16::from_be_bytes([rest[0], rest[1]]);
    if t == req {
        (id, 0)
    } else if t == rep {
        (0, id)
    } else {
        (t as u16, c as u16)
    }
}

/// The window-scale option (kind 3), walking the options by hand: etherparse's
/// iterator stops at the first malformed option, which is what we want too.
pub(crate) fn window_scale(mut opts: &[u8]) -> Option<u8> {
    while let Some(&kind) = opts.first() {
        match kind {
            0 => return None,
            1 => opts = &opts[1..],
            _ => {
                let len = *opts.get(1)? as usize;
                if len < 2 || len > opts.len() {
                    return None;
                }
                if kind == 3 && len == 3 {
                    return Some(opts[2].min(14));
                }
                opts = &opts[len..];
            }
        }
    }
    None
}

/// One side of a conversation: address and port. The address is held as one
/// 128-bit number (IPv4 as IPv4-mapped IPv6) so comparing and hashing keys is
/// a few integer operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub addr: u128,
    pub port: u16,
    pub v4: bool,
}

impl Endpoint {
    pub fn new(ip: IpAddr, port: u16) -> Self {
        match ip {
            IpAddr::V4(a) => Endpoint {
                addr: 0xffff_0000_0000 | u32::from(a) as u128,
                port,
                v4: true,
            },
            IpAddr::V6(a) => Endpoint {
                addr: u128::from(a),
                port,
                v4: false,
            },
        }
    }
    pub fn ip(&self) -> IpAddr {
        if self.v4 {
            IpAddr::V4(Ipv4Addr::from(self.addr as u32))
        } else {
            IpAddr::V6(Ipv6Addr::from(self.addr))
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ip() {
            IpAddr::V4(a) => write!(f, "{a}:{}", self.port),
            IpAddr::V6(a) => write!(f, "[{a}]:{}", self.port),
        }
    }
}

/// Direction-independent key: the two endpoints in a fixed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowKey {
    pub lo: Endpoint,
    pub hi: Endpoint,
    pub proto: Proto,
}

impl FlowKey {
    /// The key of a packet, and whether the packet goes from `lo` to `hi`.
    pub fn of(p: &FlowPacket) -> (FlowKey, bool) {
        Self::between(
            Endpoint::new(p.src, p.sport),
            Endpoint::new(p.dst, p.dport),
            p.proto,
        )
    }

    /// The key of a packet from `a` to `b`, and whether `a` is its `lo`.
    pub fn between(a: Endpoint, b: Endpoint, proto: Proto) -> (FlowKey, bool) {
        if a <= b {
            (
                FlowKey {
                    lo: a,
                    hi: b,
                    proto,
                },
                true,
            )
        } else {
            (
                FlowKey {
                    lo: b,
                    hi: a,
                    proto,
                },
                false,
            )
        }
    }

    /// Three words that identify the key, for the table's hasher.
    pub(crate) fn words(&self) -> [u64; 3] {
        let (a, b) = (self.lo.addr, self.hi.addr);
        [
            (a as u64) ^ ((b as u64).rotate_left(29)),
            ((a >> 64) as u64) ^ (((b >> 64) as u64).rotate_left(41)),
            (self.lo.port as u64)
                | (self.hi.port as u64) << 16
                | (self.proto.number() as u64) << 32,
        ]
    }
}

impl std::hash::Hash for FlowKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for w in self.words() {
            state.write_u64(w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_scale_option_found_after_mss_and_nops() {
        let opts = [2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7];
        assert_eq!(window_scale(&opts), Some(7));
    }

    #[test]
    fn test_malformed_options_stop_without_panic() {
        assert_eq!(window_scale(&[2, 0]), None);
        assert_eq!(window_scale(&[2, 40, 1]), None);
        assert_eq!(window_scale(&[3]), None);
    }

    #[test]
    fn test_truncated_tcp_options_still_give_the_fixed_header() {
        use etherparse::PacketBuilder;
        let b = PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .tcp(1234, 80, 77, 500)
            .ack(99)
            .options_raw(&[1; 40])
            .unwrap();
        let mut bytes = Vec::new();
        b.write(&mut bytes, &[0u8; 100]).unwrap();
        // Keep the IP header and 30 bytes of the 60-byte TCP header.
        let cut = &bytes[..50];
        let pkt = LaxSlicedPacket::from_ip(cut).unwrap();
        assert!(pkt.transport.is_none());
        let fp = FlowPacket::from_lax(Timestamp(1), &pkt).unwrap();
        assert_eq!(
            (fp.proto, fp.sport, fp.dport, fp.seq, fp.ack, fp.window),
            (Proto::Tcp, 1234, 80, 77, 99, 500)
        );
        assert_eq!((fp.payload_len, fp.ip_len), (100, 180));
    }

    #[test]
    fn key_is_the_same_both_ways() {
        let mut p = FlowPacket {
            ts: Timestamp(0),
            src: "10.0.0.2".parse().unwrap(),
            dst: "10.0.0.1".parse().unwrap(),
            proto: Proto::Tcp,
            sport: 5,
            dport: 80,
            seq: 0,
            ack: 0,
            flags: 0,
            window: 0,
            wscale: None,
            payload_len: 0,
            ip_len: 40,
            bad_checksum: false,
        };
        let (k1, d1) = FlowKey::of(&p);
        std::mem::swap(&mut p.src, &mut p.dst);
        std::mem::swap(&mut p.sport, &mut p.dport);
        let (k2, d2) = FlowKey::of(&p);
        assert_eq!(k1, k2);
        assert_ne!(d1, d2);
    }
}
