//! ICMP and ICMPv6 messages as a typed view: the type, code and the
//! fields the printers show (echo id and sequence, the datagram an error
//! quotes, a neighbor discovery target). Both versions share the 8-byte
//! header layout, so one view serves both; it is checked once in
//! [`IcmpMessage::new_checked`] and no accessor can panic afterwards.

use etherparse::{IpNumber, LaxNetSlice, LaxSlicedPacket, TransportSlice};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The fixed part every ICMP message has: type, code, checksum and four
/// bytes whose meaning depends on the type.
const HEADER_LEN: usize = 8;

/// An ICMP or ICMPv6 message (header and body), at least 8 bytes long.
#[derive(Clone, Copy, Debug)]
pub struct IcmpMessage<'a> {
    head: [u8; HEADER_LEN],
    body: &'a [u8],
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
        let (head, body) = bytes.split_first_chunk::<HEADER_LEN>()?;
        Some(IcmpMessage { head: *head, body })
    }
    pub fn icmp_type(&self) -> u8 {
        self.head[0]
    }
    pub fn code(&self) -> u8 {
        self.head[1]
    }
    /// Echo request/reply identifier.
    pub fn echo_id(&self) -> u16 {
        u16::from_be_bytes([self.head[4], self.head[5]])
    }
    /// Echo request/reply sequence number.
    pub fn echo_seq(&self) -> u16 {
        u16::from_be_bytes([self.head[6], self.head[7]])
    }
    /// What follows the 8-byte header.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }
    /// The four bytes after type, code and checksum as one number (MTU of
    /// packet too big, pointer of parameter problem, sequence number of
    /// router renumbering).
    pub fn word(&self) -> u32 {
        u32::from_be_bytes([self.head[4], self.head[5], self.head[6], self.head[7]])
    }
    /// The whole message's length as captured.
    pub fn len(&self) -> usize {
        HEADER_LEN + self.body.len()
    }
    pub fn is_empty(&self) -> bool {
        false
    }
    /// `N` bytes of the body from `at`, when captured.
    fn body_array<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        self.body.get(at..)?.first_chunk::<N>().copied()
    }
    /// A byte of the body at `at`, when captured.
    pub fn body_u8(&self, at: usize) -> Option<u8> {
        self.body.get(at).copied()
    }
    /// The body from `at` on (a message's options), when captured.
    pub fn body_from(&self, at: usize) -> Option<&'a [u8]> {
        self.body.get(at..)
    }
    /// A 16-bit field of the body at `at`, when captured.
    pub fn body_u16(&self, at: usize) -> Option<u16> {
        self.body_array(at).map(u16::from_be_bytes)
    }
    /// A 32-bit field of the body at `at`, when captured.
    pub fn body_u32(&self, at: usize) -> Option<u32> {
        self.body_array(at).map(u32::from_be_bytes)
    }
    /// An IPv6 address in the body at `at`, when captured.
    pub fn body_ipv6(&self, at: usize) -> Option<Ipv6Addr> {
        self.body_array::<16>(at).map(Ipv6Addr::from)
    }
    /// An IPv4 address in the body at `at`, when captured.
    pub fn body_ipv4(&self, at: usize) -> Option<Ipv4Addr> {
        self.body_array::<4>(at).map(Ipv4Addr::from)
    }
    /// The datagram an ICMP or ICMPv6 error quotes (its IP header
    /// decoded, and its transport when enough of it was quoted).
    pub fn quoted(&self) -> Option<Quoted> {
        let inner = LaxSlicedPacket::from_ip(self.body).ok()?;
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
    /// A router advertisement's fixed fields (ICMPv6 type 134): hop
    /// limit, flags byte, router lifetime (s), reachable time and
    /// retransmit timer (ms).
    pub fn router_advert(&self) -> Option<RouterAdvert> {
        let (timers, _) = self.body.split_first_chunk::<8>()?;
        let [a, b, c, d, e, f, g, h] = *timers;
        Some(RouterAdvert {
            hop_limit: self.head[4],
            flags: self.head[5],
            lifetime: u16::from_be_bytes([self.head[6], self.head[7]]),
            reachable: u32::from_be_bytes([a, b, c, d]),
            retrans: u32::from_be_bytes([e, f, g, h]),
        })
    }
    /// The neighbour-discovery options of a router solicitation (133) or
    /// advertisement (134), neighbour solicitation (135) or advertisement
    /// (136): what follows the message's fixed part.
    pub fn nd_options(&self) -> Option<&'a [u8]> {
        match self.head[0] {
            133 => Some(self.body),
            134 => self.body.get(8..),
            135 | 136 => self.body.get(16..),
            _ => None,
        }
    }
    /// A neighbour advertisement's flag word (router, solicited, override
    /// in the top bits).
    pub fn na_flags(&self) -> u32 {
        u32::from_be_bytes([self.head[4], self.head[5], self.head[6], self.head[7]])
    }
    /// The target address of a neighbor solicitation or advertisement
    /// (the first 16 bytes after the header), when it is all there.
    pub fn nd_target(&self) -> Option<Ipv6Addr> {
        let (target, _) = self.body.split_first_chunk::<16>()?;
        Some(Ipv6Addr::from(*target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_truncated() {
        assert!(IcmpMessage::new_checked(&[8, 0, 0, 0, 0, 1, 0]).is_none());
        let m = IcmpMessage::new_checked(&[8, 0, 0, 0, 0, 1, 0, 2]).unwrap();
        assert_eq!((m.icmp_type(), m.echo_id(), m.echo_seq()), (8, 1, 2));
        assert_eq!(m.nd_target(), None);
        assert_eq!(m.quoted(), None);
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
