//! Link-layer headers that etherparse does not slice for us (BSD loopback,
//! Linux cooked v1 and v2, raw IP), and the dispatch on the link type.

use crate::packet::LinkType;
use etherparse::EtherType;

/// What the link header told us (beyond what etherparse keeps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkInfo {
    /// Ethernet: etherparse holds the header.
    Ethernet,
    /// BSD loopback: the address family.
    Null { family: u32 },
    /// Linux cooked capture (v1 or v2): packet type (0 host, 1 broadcast,
    /// 2 multicast, 3 other host, 4 outgoing) and, for v2, the interface.
    Cooked {
        packet_type: u8,
        ifindex: Option<u32>,
        protocol: u16,
    },
    /// No link header.
    Raw,
    /// One of the link types `link_more` strips (its number, and the
    /// EtherType its header gave the network layer, 0 for none): the
    /// printers read their headers' words from the frame.
    Framed { link: u32, ether_type: u16 },
    /// A link type we do not decode.
    Unknown(u32),
}

/// What follows the link header.
pub enum Payload<'a> {
    /// The whole frame, for etherparse's Ethernet slicer.
    Ethernet(&'a [u8]),
    /// A payload whose protocol is an EtherType.
    EtherType(EtherType, &'a [u8]),
    /// An IP packet (version told by its first nibble).
    Ip(&'a [u8]),
    /// The link header itself is cut short.
    TooShort(&'static str),
    Unsupported(u32),
    /// No network layer: the link layer's own message (PPP's LCP, an
    /// 802.11 beacon), the whole frame.
    Message(&'a [u8]),
}

/// BSD address families for IPv6 differ by OS: 24 (NetBSD/OpenBSD), 28
/// (FreeBSD), 30 (macOS); 10 is Linux's.
const AF_INET: u32 = 2;
const AF_INET6: [u32; 4] = [10, 24, 28, 30];

/// Where a Linux cooked header keeps its fields: v1 (`SLL`, 16 bytes)
/// and v2 (`SLL2`, 20 bytes, with the interface index) differ only in
/// the layout.
struct CookedLayout {
    len: usize,
    name: &'static str,
    protocol_at: usize,
    packet_type_at: usize,
    ifindex_at: Option<usize>,
}

const SLL: CookedLayout = CookedLayout {
    len: 16,
    name: "sll",
    protocol_at: 14,
    packet_type_at: 1,
    ifindex_at: None,
};

const SLL2: CookedLayout = CookedLayout {
    len: 20,
    name: "sll2",
    protocol_at: 0,
    packet_type_at: 10,
    ifindex_at: Some(4),
};

fn cooked<'a>(data: &'a [u8], l: &CookedLayout) -> (LinkInfo, Payload<'a>) {
    let (Some(head), Some(rest)) = (data.get(..l.len), data.get(l.len..)) else {
        return (LinkInfo::Raw, Payload::TooShort(l.name));
    };
    let field = |at: usize| head.get(at..).and_then(|b| b.first_chunk::<4>().copied());
    let protocol = head
        .get(l.protocol_at..)
        .and_then(|b| b.first_chunk::<2>())
        .map_or(0, |b| u16::from_be_bytes(*b));
    let info = LinkInfo::Cooked {
        packet_type: head.get(l.packet_type_at).copied().unwrap_or(0),
        ifindex: l.ifindex_at.and_then(field).map(u32::from_be_bytes),
        protocol,
    };
    (info, Payload::EtherType(EtherType(protocol), rest))
}

/// What follows a BSD loopback (NULL, LOOP) header's address family
/// (nothing when the header itself was cut).
pub fn null_payload(data: &[u8]) -> &[u8] {
    data.split_first_chunk::<4>().map_or(&[], |(_, rest)| rest)
}

pub fn strip(link: LinkType, data: &[u8]) -> (LinkInfo, Payload<'_>) {
    match link {
        LinkType::Ethernet => (LinkInfo::Ethernet, Payload::Ethernet(data)),
        LinkType::Null | LinkType::Loop => {
            let Some((head, rest)) = data.split_first_chunk::<4>() else {
                return (LinkInfo::Null { family: 0 }, Payload::TooShort("null"));
            };
            // NULL is in the writer's byte order, LOOP in network order.
            // tcpdump reads either in the reader's (little endian here)
            // and swaps it when its upper half is not zero: the family is
            // small (a garbage one is then named as tcpdump names it).
            let be = u32::from_be_bytes(*head);
            let le = u32::from_le_bytes(*head);
            let family = if le & 0xffff_0000 != 0 { be } else { le };
            let info = LinkInfo::Null { family };
            let payload = if family == AF_INET {
                Payload::EtherType(EtherType::IPV4, rest)
            } else if AF_INET6.contains(&family) {
                Payload::EtherType(EtherType::IPV6, rest)
            } else {
                Payload::Unsupported(link.number())
            };
            (info, payload)
        }
        LinkType::LinuxSll => cooked(data, &SLL),
        LinkType::LinuxSll2 => cooked(data, &SLL2),
        LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => {
            // tcpdump's printer of either version marks it as its own.
            if data.is_empty() {
                (LinkInfo::Raw, Payload::TooShort("ipn"))
            } else {
                (LinkInfo::Raw, Payload::Ip(data))
            }
        }
        LinkType::Other(n) if super::link_more::handles(n) => super::link_more::strip(n, data),
        LinkType::Other(n) => (LinkInfo::Unknown(n), Payload::Unsupported(n)),
    }
}

/// The IP packet a frame carries (after the link header, up to three
/// VLAN tags and an LLC header that hands it on), or `None` for anything
/// else.
pub fn ip_packet(link: LinkType, data: &[u8]) -> Option<&[u8]> {
    let (link, data) = super::link_more::unwrap_ethernet(link, data);
    let (link, ether_type, rest) = match strip(link, data).1 {
        // An Ethernet frame behind another header (PPI's, PKTAP's,
        // SunATM's LANE header): its LLC header by Ethernet's rules.
        Payload::Ethernet(frame) => (
            LinkType::Ethernet,
            u16::from_be_bytes(frame.get(12..14)?.try_into().ok()?),
            frame.get(14..)?,
        ),
        Payload::EtherType(t, rest) => (link, t.0, rest),
        Payload::Ip(ip) => return Some(ip),
        Payload::TooShort(_) | Payload::Unsupported(_) | Payload::Message(_) => return None,
    };
    let (ether_type, rest) = network_type(link, ether_type, rest)?;
    matches!(ether_type, 0x0800 | 0x86dd).then_some(rest)
}

/// The network layer's EtherType and bytes after a link header whose type
/// field is `ether_type`: past up to three VLAN tags (802.1Q, 802.1ad and
/// the old double-tag type, 4 bytes each; on Ethernet the old 0x9200 too) and, where the link layer says
/// an LLC PDU follows ([`llc_follows`]), an LLC header tcpdump's LLC
/// printer hands on to the network layer (IP's SAP 0x06, SNAP before
/// IPv4, IPv6 or ARP). `None` when a tag was cut.
pub fn network_type(link: LinkType, mut ether_type: u16, mut rest: &[u8]) -> Option<(u16, &[u8])> {
    let mut tagged = false;
    for _ in 0..3 {
        // The old 0x9200 tag only where tcpdump's Ethernet printer reads.
        let old = link == LinkType::Ethernet && ether_type == super::old_vlan::ETHERTYPE;
        if !matches!(ether_type, 0x8100 | 0x88a8 | 0x9100) && !old {
            break;
        }
        ether_type = u16::from_be_bytes(rest.get(2..4)?.try_into().ok()?);
        rest = rest.get(4..)?;
        tagged = true;
    }
    if llc_follows(link, ether_type, tagged)
        && let Some(l) = super::wlan::LlcToNet::read(rest)
    {
        return Some((l.ether_type, rest.get(l.len..)?));
    }
    Some((ether_type, rest))
}

/// Whether the type field `t` (after VLAN tags: `tagged`) says an LLC PDU
/// follows: an 802.3 length on Ethernet, protocol 802.2 of a Linux cooked
/// packet, or any length after a cooked packet's 802.1Q tag (tcpdump's
/// cooked printer takes a length there for protocol 802.2).
pub fn llc_follows(link: LinkType, t: u16, tagged: bool) -> bool {
    match link {
        LinkType::Ethernet => t <= 1500 || t == ALTEON_JUMBO,
        LinkType::LinuxSll | LinkType::LinuxSll2 if tagged => t <= 1500,
        LinkType::LinuxSll | LinkType::LinuxSll2 => t == SLL_802_2,
        _ => false,
    }
}

/// Whether the IP packet at byte `at` of `data` is there whole, as its
/// header's length says (an 802.3 frame's length may cut it short).
pub fn ip_whole_at(data: &[u8], at: usize) -> bool {
    let Some(ip) = data.get(at..) else {
        return false;
    };
    let len = |at| super::link_header::be16(ip, at).map(usize::from);
    match ip.first().map(|b| b >> 4) {
        Some(4) => len(2).is_some_and(|l| l <= ip.len()),
        Some(6) => len(4).is_some_and(|l| 40 + l <= ip.len()),
        _ => false,
    }
}

/// Alteon's jumbo frames' EtherType: an LLC header follows it (as it
/// follows an 802.3 length), which tcpdump's Ethernet printer reads
/// (draft-ietf-isis-ext-eth).
pub const ALTEON_JUMBO: u16 = 0x8870;

/// A Linux cooked header's protocol for an LLC PDU.
pub const SLL_802_2: u16 = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sll2_protocol_and_interface() {
        let mut frame = vec![0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6];
        frame.extend_from_slice(&[0; 8]);
        frame.extend_from_slice(&[0x45, 0]);
        let (info, payload) = strip(LinkType::LinuxSll2, &frame);
        assert_eq!(
            info,
            LinkInfo::Cooked {
                packet_type: 4,
                ifindex: Some(3),
                protocol: 0x0800
            }
        );
        assert!(matches!(payload, Payload::EtherType(EtherType::IPV4, p) if p == [0x45, 0]));
    }

    #[test]
    fn sll2_truncated_header() {
        let (_, payload) = strip(LinkType::LinuxSll2, &[0x08, 0x00, 0, 0]);
        assert!(matches!(payload, Payload::TooShort("sll2")));
    }

    #[test]
    fn null_family_in_either_byte_order() {
        for head in [[2, 0, 0, 0], [0, 0, 0, 2]] {
            let (info, payload) = strip(LinkType::Null, &head);
            assert_eq!(info, LinkInfo::Null { family: 2 });
            assert!(matches!(payload, Payload::EtherType(EtherType::IPV4, _)));
        }
        let (_, payload) = strip(LinkType::Null, &[30, 0, 0, 0]);
        assert!(matches!(payload, Payload::EtherType(EtherType::IPV6, _)));
    }

    #[test]
    fn unknown_link_type_is_reported() {
        let (info, payload) = strip(LinkType::Other(147), &[1, 2, 3]);
        assert_eq!(info, LinkInfo::Unknown(147));
        assert!(matches!(payload, Payload::Unsupported(147)));
    }
}
