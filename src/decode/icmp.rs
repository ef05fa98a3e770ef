//! ICMP and ICMPv6 messages as a typed view: the type, code and the
//! fields the printers show (echo id and sequence, the datagram an error
//! quotes, a neighbor discovery target). Both versions share the 8-byte
//! header layout, so one view serves both. A message the capture cut
//! inside that header is a view too ([`IcmpMessage::new_lax`]): each
//! field is `None` when its bytes were not captured, so one printer
//! serves whole and cut messages alike; no accessor can panic.

use super::ip6_text::Ip6;
use etherparse::{IpNumber, LaxNetSlice, LaxSlicedPacket, TransportSlice};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The fixed part every ICMP message has: type, code, checksum and four
/// bytes whose meaning depends on the type.
const HEADER_LEN: usize = 8;

/// An ICMP or ICMPv6 message (header and body) as captured: at least
/// its type byte.
#[derive(Clone, Copy, Debug)]
pub struct IcmpMessage<'a> {
    icmp_type: u8,
    /// The whole message as captured, type byte included.
    bytes: &'a [u8],
}

/// The fixed part of an ICMPv6 router advertisement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouterAdvert {
    pub hop_limit: u8,
    pub flags: u8,
    pub lifetime: u16,
    pub reachable: u32,
    pub retrans: u32,
}

/// The datagram an ICMP error quotes, as far as it was quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quoted {
    /// Destination address of the quoted IP header.
    pub dst: IpAddr,
    /// Protocol (IPv4) or next header (IPv6) of the quoted header.
    pub proto: IpNumber,
    /// The quoted transport, when enough of it was quoted to decode.
    pub transport: Option<QuotedTransport>,
}

/// The destination port of a quoted TCP or UDP header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotedTransport {
    Tcp(u16),
    Udp(u16),
}

/// ICMPv4 types whose body quotes the datagram that caused them
/// (unreachable, source quench, redirect, time exceeded, parameter
/// problem): tcpdump's `-v` prints that datagram.
pub fn is_icmpv4_error(icmp_type: u8) -> bool {
    matches!(icmp_type, 3 | 4 | 5 | 11 | 12)
}

/// The total length an ICMP error's quoted IPv4 header states (`body`:
/// the message after its 8-byte header), when captured.
pub fn quoted_total_len(body: &[u8]) -> Option<u16> {
    body.get(2..4)?
        .first_chunk::<2>()
        .map(|b| u16::from_be_bytes(*b))
}

/// The source and destination ports at the start of a transport header
/// cut too short to slice (an ICMP error quotes only 8 bytes of it).
pub fn leading_ports(bytes: &[u8]) -> Option<(u16, u16)> {
    let (&[a, b, c, d], _) = bytes.split_first_chunk::<4>()?;
    Some((u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])))
}

impl<'a> IcmpMessage<'a> {
    /// The message in `bytes` (the whole ICMP message), or `None` when the
    /// fixed header is not all there.
    pub fn new_checked(bytes: &'a [u8]) -> Option<Self> {
        bytes.first_chunk::<HEADER_LEN>()?;
        Self::new_lax(bytes)
    }
    /// The message in `bytes` however short the capture left it, or
    /// `None` when not even its type byte was captured.
    pub fn new_lax(bytes: &'a [u8]) -> Option<Self> {
        Some(IcmpMessage {
            icmp_type: *bytes.first()?,
            bytes,
        })
    }
    /// `N` bytes of the message from `at`, when captured.
    fn array<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        self.bytes.get(at..)?.first_chunk::<N>().copied()
    }
    pub fn icmp_type(&self) -> u8 {
        self.icmp_type
    }
    /// The code byte, when captured.
    pub fn code(&self) -> Option<u8> {
        self.bytes.get(1).copied()
    }
    /// Echo request/reply identifier (and the first 16-bit field of
    /// the other types), when captured.
    pub fn echo_id(&self) -> Option<u16> {
        self.array(4).map(u16::from_be_bytes)
    }
    /// Echo request/reply sequence number (the second 16-bit field),
    /// when captured.
    pub fn echo_seq(&self) -> Option<u16> {
        self.array(6).map(u16::from_be_bytes)
    }
    /// What follows the 8-byte header (empty when the capture cut the
    /// header).
    pub fn body(&self) -> &'a [u8] {
        self.bytes.get(HEADER_LEN..).unwrap_or(&[])
    }
    /// The four bytes after type, code and checksum as one number (MTU of
    /// packet too big, pointer of parameter problem, sequence number of
    /// router renumbering, a neighbour advertisement's flags), when
    /// captured.
    pub fn word(&self) -> Option<u32> {
        self.array(4).map(u32::from_be_bytes)
    }
    /// The whole message's length as captured.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }
    pub fn is_empty(&self) -> bool {
        false
    }
    /// `N` bytes of the body from `at`, when captured.
    fn body_array<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        self.array(HEADER_LEN.checked_add(at)?)
    }
    /// A byte of the body at `at`, when captured.
    pub fn body_u8(&self, at: usize) -> Option<u8> {
        self.body().get(at).copied()
    }
    /// The body from `at` on (a message's options), when captured.
    pub fn body_from(&self, at: usize) -> Option<&'a [u8]> {
        self.body().get(at..)
    }
    /// A 16-bit field of the body at `at`, when captured.
    pub fn body_u16(&self, at: usize) -> Option<u16> {
        self.body_array(at).map(u16::from_be_bytes)
    }
    /// A 32-bit field of the body at `at`, when captured.
    pub fn body_u32(&self, at: usize) -> Option<u32> {
        self.body_array(at).map(u32::from_be_bytes)
    }
    /// The `i`th router address and preference of an ICMP router
    /// advertisement (RFC 1256: eight bytes each after the header), when
    /// captured.
    pub fn router_entry(&self, i: usize) -> Option<(Ipv4Addr, u32)> {
        let at = i.checked_mul(8)?;
        let addr = self.body_array::<4>(at)?;
        Some((Ipv4Addr::from(addr), self.body_u32(at + 4)?))
    }
    /// An IPv6 address in the body at `at`, when captured.
    pub fn body_ipv6(&self, at: usize) -> Option<Ip6> {
        self.body_array::<16>(at).map(Ip6::from)
    }
    /// An IPv4 address in the body at `at`, when captured.
    pub fn body_ipv4(&self, at: usize) -> Option<Ipv4Addr> {
        self.body_array::<4>(at).map(Ipv4Addr::from)
    }
    /// The datagram an ICMP or ICMPv6 error quotes (its IP header
    /// decoded, and its transport when enough of it was quoted).
    pub fn quoted(&self) -> Option<Quoted> {
        let inner = LaxSlicedPacket::from_ip(self.body()).ok()?;
        let (dst, proto) = match &inner.net {
            Some(LaxNetSlice::Ipv4(ip)) => (
                IpAddr::V4(Ipv4Addr::from(ip.header().destination())),
                ip.header().protocol(),
            ),
            Some(LaxNetSlice::Ipv6(ip)) => (
                IpAddr::V6(Ipv6Addr::from(ip.header().destination())),
                ip.header().next_header(),
            ),
            _ => return None,
        };
        // An error quotes only 8 bytes past the IP header (and a capture may
        // keep fewer): the ports are what counts.
        let cut_ports = || {
            let payload = inner.net.as_ref()?.ip_payload_ref()?.payload;
            super::partial::udp_ports(payload).map(|(_, dport)| dport)
        };
        let transport = match &inner.transport {
            Some(TransportSlice::Udp(u)) => Some(QuotedTransport::Udp(u.destination_port())),
            Some(TransportSlice::Tcp(t)) => Some(QuotedTransport::Tcp(t.destination_port())),
            _ if proto == IpNumber::UDP => cut_ports().map(QuotedTransport::Udp),
            _ if proto == IpNumber::TCP => cut_ports().map(QuotedTransport::Tcp),
            _ => None,
        };
        Some(Quoted {
            dst,
            proto,
            transport,
        })
    }
    /// What tcpdump's ICMP printer reads of a quoted IPv4 header whatever
    /// its version and header length say: the destination, the protocol
    /// and the destination port at the header length it states (as TCP's
    /// when the protocol is TCP, else as UDP's). `None` when the
    /// destination was not captured.
    pub fn quoted_v4_raw(&self) -> Option<Quoted> {
        let dst = IpAddr::V4(self.body_ipv4(16)?);
        let proto = IpNumber(self.body_u8(9)?);
        let header_len = usize::from(self.body_u8(0)? & 0x0f) * 4;
        let transport = self.body_u16(header_len + 2).map(|port| match proto {
            IpNumber::TCP => QuotedTransport::Tcp(port),
            _ => QuotedTransport::Udp(port),
        });
        Some(Quoted {
            dst,
            proto,
            transport,
        })
    }
    /// What tcpdump's ICMPv6 printer reads of a quoted IPv6 header
    /// whatever its version says: the destination and next header where
    /// they would be. `None` when the destination was not captured.
    pub fn quoted_v6_raw(&self) -> Option<Quoted> {
        let dst: [u8; 16] = self.body_array(24)?;
        Some(Quoted {
            dst: IpAddr::V6(Ipv6Addr::from(dst)),
            proto: IpNumber(self.body_u8(6)?),
            transport: None,
        })
    }
    /// A router advertisement's fixed fields (ICMPv6 type 134): hop
    /// limit, flags byte, router lifetime (s), reachable time and
    /// retransmit timer (ms).
    pub fn router_advert(&self) -> Option<RouterAdvert> {
        let [hop_limit, flags, l0, l1] = self.array(4)?;
        Some(RouterAdvert {
            hop_limit,
            flags,
            lifetime: u16::from_be_bytes([l0, l1]),
            reachable: self.body_u32(0)?,
            retrans: self.body_u32(4)?,
        })
    }
    /// The neighbour-discovery options of a router solicitation (133) or
    /// advertisement (134), neighbour solicitation (135) or advertisement
    /// (136): what follows the message's fixed part.
    pub fn nd_options(&self) -> Option<&'a [u8]> {
        match self.icmp_type {
            133 => Some(self.body()),
            134 => self.body().get(8..),
            135 | 136 => self.body().get(16..),
            _ => None,
        }
    }
    /// The target address of a neighbor solicitation or advertisement
    /// (the first 16 bytes after the header), when it is all there.
    pub fn nd_target(&self) -> Option<Ip6> {
        self.body_ipv6(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_truncated() {
        assert!(IcmpMessage::new_checked(&[8, 0, 0, 0, 0, 1, 0]).is_none());
        let m = IcmpMessage::new_checked(&[8, 0, 0, 0, 0, 1, 0, 2]).unwrap();
        assert_eq!(
            (m.icmp_type(), m.echo_id(), m.echo_seq()),
            (8, Some(1), Some(2))
        );
        assert_eq!(m.nd_target(), None);
        assert_eq!(m.quoted(), None);
        // Cut inside the header: each field as far as captured.
        assert!(IcmpMessage::new_lax(&[]).is_none());
        let m = IcmpMessage::new_lax(&[128, 0, 0, 0, 0, 1]).unwrap();
        assert_eq!(
            (m.code(), m.echo_id(), m.echo_seq()),
            (Some(0), Some(1), None)
        );
        assert_eq!((m.word(), m.body(), m.body_u8(0)), (None, &[][..], None));
        let m = IcmpMessage::new_lax(&[3]).unwrap();
        assert_eq!((m.icmp_type(), m.code(), m.len()), (3, None, 1));
    }

    #[test]
    fn quoted_udp_port() {
        let mut quoted = Vec::new();
        etherparse::PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .udp(1000, 9)
            .write(&mut quoted, b"x")
            .unwrap();
        let mut msg = vec![3, 3, 0, 0, 0, 0, 0, 0];
        msg.extend_from_slice(&quoted);
        let q = IcmpMessage::new_checked(&msg).unwrap().quoted().unwrap();
        assert_eq!(q.dst, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)));
        assert_eq!(q.transport, Some(QuotedTransport::Udp(9)));
    }

    #[test]
    fn test_malformed_quote_is_none() {
        let msg = [3, 3, 0, 0, 0, 0, 0, 0, 0x45, 0];
        assert_eq!(IcmpMessage::new_checked(&msg).unwrap().quoted(), None);
    }
}
