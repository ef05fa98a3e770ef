//! Decoding: the link layer (every link type we support) is stripped here,
//! then etherparse's lax slicer takes the rest (VLAN, ARP, IPv4, IPv6 with
//! extension headers, TCP, UDP, ICMP). Nothing is copied: a [`Decoded`]
//! borrows the packet's bytes. Every read at a byte offset of packet data
//! lives in this module tree: the small typed views (`arp`, `icmp`,
//! `tcp_options`, `ipv6_ext`) are checked once so no accessor can panic,
//! and `checksum` judges every checksum once for printers and tracker.
//!
//! Lax slicing is what lets a damaged packet show what it has: it decodes
//! layer by layer and stops at the first one that does not fit, recording
//! where. We turn that into either "truncated" (the snap length cut the
//! packet: expected, not an error) or "malformed" (the bytes contradict
//! themselves).

pub mod arcnet;
pub mod arista;
pub mod arp;
pub mod checksum;
pub mod enc;
mod fast;
pub mod flow_view;
pub mod icmp;
pub mod icmp6_rr_rpl;
pub mod icmp_ext;
pub mod ip6_text;
pub mod ip_options;
pub mod ipnet;
pub mod ipv6_ext;
pub mod juniper;
pub mod juniper_atm;
pub mod juniper_ml;
pub mod link;
pub mod link_header;
pub mod link_more;
pub mod llc;
pub mod ltalk;
pub mod macsec;
pub mod mfr;
pub mod names;
pub mod nd_options;
pub mod old_vlan;
pub mod partial;
pub mod pflog;
pub mod rings;
pub mod slip;
pub mod sunatm;
pub mod tcp_flags;
pub mod tcp_named;
pub mod tcp_options;
pub mod tcp_seq;
pub mod usb;
pub mod vsock;
pub mod wlan;
pub mod wlan_headers;

use crate::packet::Packet;
use etherparse::{
    EtherPayloadSlice, LaxNetSlice, LaxSlicedPacket, LenSource, LinkSlice, TransportSlice,
};
use std::fmt;

pub use link::{LinkInfo, SLL_802_2};

/// A decoded view of one packet.
#[derive(Clone)]
pub struct Decoded<'a> {
    /// The link header, as far as we read it ourselves.
    pub link: LinkInfo,
    /// Everything from the link layer's payload on (for Ethernet, from the
    /// Ethernet header on). `None` when the link type is unknown or its
    /// header was cut short.
    pub lax: Option<LaxSlicedPacket<'a>>,
    /// Offset of the network-layer header in the packet (where `-X`
    /// starts, as tcpdump's does).
    pub net_offset: usize,
    /// Where decoding stopped and why, if it did.
    pub problem: Option<Problem>,
    /// The checksums' verdicts, when the caller asked [`checksum::verify`]
    /// for them (`-v` lines print them); none otherwise.
    pub checksums: checksum::Checksums,
    /// The LLC header (IP's SAP 0x06, or SNAP before IPv4, IPv6 or ARP)
    /// behind which an 802.3 frame or a cooked 802.2 packet carries its
    /// network layer, as tcpdump's LLC printer hands it on; `lax` then
    /// holds that network layer after the link slices.
    pub llc: Option<wlan::LlcToNet>,
}

/// Why decoding stopped early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The capture holds fewer bytes than the packet had on the wire and the
    /// missing ones were needed: `[|layer]`, as tcpdump marks it.
    Truncated { layer: &'static str },
    /// The bytes contradict themselves (bad header length, length past the
    /// end, bad option): `[malformed: …]`.
    Malformed(String),
    /// A link type we do not decode; the packet is counted and shown.
    UnsupportedLink(u32),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Truncated { layer } => write!(f, "[|{layer}]"),
            Problem::Malformed(why) => write!(f, "[malformed: {why}]"),
            Problem::UnsupportedLink(n) => write!(f, "[unsupported link type {n}]"),
        }
    }
}

impl Decoded<'_> {
    pub fn is_malformed(&self) -> bool {
        matches!(self.problem, Some(Problem::Malformed(_)))
    }
    pub fn tcp(&self) -> Option<&etherparse::TcpSlice<'_>> {
        match self.lax.as_ref()?.transport.as_ref()? {
            TransportSlice::Tcp(t) => Some(t),
            _ => None,
        }
    }
}

/// Decode `pkt` as far as its bytes go. Never fails: what cannot be decoded
/// is described in [`Decoded::problem`].
pub fn decode<'a>(pkt: &Packet<'a>) -> Decoded<'a> {
    let mut d = blank(pkt);
    fill(pkt, &mut d);
    d
}

/// [`decode`] into `slot`, in place: the decode is large (most of it
/// etherparse's slices), and moving it from a return value into an
/// `Option` cost a copy a packet on the line's hot path.
pub fn decode_into<'a, 's>(pkt: &Packet<'a>, slot: &'s mut Option<Decoded<'a>>) -> &'s Decoded<'a> {
    let d = slot.insert(blank(pkt));
    fill(pkt, d);
    d
}

/// A decode of `pkt` with no layer read yet.
fn blank<'a>(pkt: &Packet<'a>) -> Decoded<'a> {
    Decoded {
        link: LinkInfo::Raw,
        lax: None,
        net_offset: pkt.data.len(),
        problem: None,
        checksums: checksum::Checksums::default(),
        llc: None,
    }
}

/// Decode `pkt` into `d` (blank). The slices are written in place (see
/// `fast`): they are large, and copying them cost more than reading them.
fn fill<'a>(pkt: &Packet<'a>, d: &mut Decoded<'a>) {
    // A netANALYZER record: its Ethernet frame decoded as an Ethernet
    // capture's (tcpdump hands it to its Ethernet printer), the network
    // layer's offset counted from the record's first byte.
    if let Some(frame) = link_more::ethernet_packet(pkt) {
        // As `blank` starts the frame's own decode: the frame's [`Decoded`]
        // is then this one with the offset moved back (the printer's).
        d.net_offset = frame.data.len();
        fill(&frame, d);
        d.net_offset += pkt.data.len() - frame.data.len();
        return;
    }
    let (link, payload) = link::strip(pkt.link, pkt.data);
    d.link = link;
    match payload {
        link::Payload::Ethernet(bytes) => {
            if fast::ethernet(bytes, d.lax.insert(fast::empty())).is_none() {
                settle(d, LaxSlicedPacket::from_ethernet(bytes), |_| {
                    short(pkt, "ether")
                });
            }
            if let Some(lax) = &mut d.lax {
                old_vlan::follow(lax);
                d.net_offset = ether_net_offset(lax, pkt.data);
                // An Ethernet frame behind another header (Juniper's):
                // its LLC by Ethernet's rules.
                let frame = Packet {
                    link: crate::packet::LinkType::Ethernet,
                    ..*pkt
                };
                if let Some((l, at)) = behind_llc(lax, &frame) {
                    (d.llc, d.net_offset) = (Some(l), at);
                }
            }
        }
        link::Payload::EtherType(ether_type, bytes) => {
            // Where the bytes start: some link layers hand on less than
            // the rest of the frame (NFLOG's payload TLV before its pad).
            d.net_offset = offset_of(pkt.data, bytes);
            let lax = d.lax.insert(fast::empty());
            lax.link = Some(LinkSlice::EtherPayload(EtherPayloadSlice {
                ether_type,
                len_source: LenSource::Slice,
                payload: bytes,
            }));
            if fast::ether_payload(ether_type, bytes, lax).is_none() {
                *lax = LaxSlicedPacket::from_ether_type(ether_type, bytes);
            }
            if let Some((l, at)) = behind_llc(lax, pkt) {
                (d.llc, d.net_offset) = (Some(l), at);
            }
        }
        link::Payload::Ip(bytes) => {
            d.net_offset = offset_of(pkt.data, bytes);
            if fast::ip(bytes, d.lax.insert(fast::empty())).is_none() {
                settle(d, LaxSlicedPacket::from_ip(bytes), |e| {
                    let v6 = bytes.first().is_some_and(|b| b >> 4 == 6);
                    if pkt.is_truncated() && v6 && bytes.len() < 40 {
                        Problem::Truncated { layer: "ip6" }
                    } else if pkt.is_truncated() && bytes.len() < 20 {
                        Problem::Truncated { layer: "ip" }
                    } else {
                        Problem::Malformed(format!("ip: {e}"))
                    }
                });
            }
        }
        // tcpdump marks a cut serial, radio or cooked header as cut
        // whatever the record's lengths say.
        link::Payload::TooShort(layer)
            if matches!(d.link, LinkInfo::Framed { .. }) || matches!(layer, "sll" | "sll2") =>
        {
            d.problem = Some(Problem::Truncated { layer })
        }
        link::Payload::TooShort(layer) => d.problem = Some(short(pkt, layer)),
        link::Payload::Unsupported(n) => d.problem = Some(Problem::UnsupportedLink(n)),
        // The link layer's printer says all there is to say.
        link::Payload::Message(_) => {}
    }
    if let Some(lax) = &mut d.lax {
        first_fragment_transport(lax);
    }
    if d.problem.is_none()
        && let Some(lax) = &d.lax
    {
        d.problem = layer_problem(pkt, lax);
    }
}

/// A packet `fast` did not take: etherparse's lax slicing of it, or (when
/// even that found no first layer) `problem` of its error.
fn settle<'a, E>(
    d: &mut Decoded<'a>,
    whole: Result<LaxSlicedPacket<'a>, E>,
    problem: impl FnOnce(E) -> Problem,
) {
    match whole {
        Ok(whole) => d.lax = Some(whole),
        Err(e) => {
            d.lax = None;
            d.problem = Some(problem(e));
        }
    }
}

/// The network layer behind an LLC header (tcpdump's `llc_print` hands
/// SAP 0x06's PDU to its IPv4 printer, SNAP's by its EtherType) when the
/// link layer's type field says an LLC PDU follows
/// ([`link::llc_follows`]): that layer sliced into `lax` after its link
/// slices, the LLC header, and the network layer's offset in the frame.
/// `None`, `lax` untouched, for the others.
fn behind_llc<'a>(
    lax: &mut LaxSlicedPacket<'a>,
    pkt: &Packet<'a>,
) -> Option<(wlan::LlcToNet, usize)> {
    let tagged = !lax.link_exts.is_empty();
    let p = lax
        .ether_payload()
        .filter(|p| lax.net.is_none() && link::llc_follows(pkt.link, p.ether_type.0, tagged))?;
    let l = wlan::LlcToNet::read(p.payload)?;
    let rest = p.payload.get(l.len..)?;
    let inner = LaxSlicedPacket::from_ether_type(etherparse::EtherType(l.ether_type), rest);
    (lax.net, lax.transport, lax.stop_err) = (inner.net, inner.transport, inner.stop_err);
    Some((l, offset_of(pkt.data, rest)))
}

/// An IP packet carried inside another (IP-in-IP, IPv6 behind a segment
/// routing header), decoded as far as its bytes go.
pub fn inner_ip(bytes: &[u8]) -> Option<LaxSlicedPacket<'_>> {
    let mut lax = fast::empty();
    if fast::ip(bytes, &mut lax).is_none() {
        lax = LaxSlicedPacket::from_ip(bytes).ok()?;
    }
    first_fragment_transport(&mut lax);
    Some(lax)
}

/// The transport header etherparse would slice from `bytes` for IP
/// protocol `proto` (TCP, UDP, ICMP), as far as it goes.
pub fn transport_of(proto: u8, bytes: &[u8]) -> Option<TransportSlice<'_>> {
    match proto {
        6 => etherparse::TcpSlice::from_slice(bytes)
            .ok()
            .map(TransportSlice::Tcp),
        17 => etherparse::UdpSlice::from_slice_lax(bytes)
            .ok()
            .map(TransportSlice::Udp),
        1 => etherparse::Icmpv4Slice::from_slice(bytes)
            .ok()
            .map(TransportSlice::Icmpv4),
        _ => None,
    }
}

/// etherparse leaves the transport of any fragment undecoded; the first
/// fragment (offset 0) does carry the transport header, and tcpdump shows
/// it, so decode it here.
fn first_fragment_transport(lax: &mut LaxSlicedPacket<'_>) {
    if lax.transport.is_some() {
        return;
    }
    let first = match &lax.net {
        Some(LaxNetSlice::Ipv4(ip)) => {
            ip.is_payload_fragmented() && ip.header().fragments_offset().value() == 0
        }
        Some(LaxNetSlice::Ipv6(ip)) => {
            ip.is_payload_fragmented()
                && ipv6_ext::iter(ip.header().next_header().0, ip.extensions().slice())
                    .any(|e| e.fragment().is_some_and(|(off, _)| off == 0))
        }
        _ => false,
    };
    let Some(payload) = lax.net.as_ref().and_then(|n| n.ip_payload_ref()) else {
        return;
    };
    if !first {
        return;
    }
    let bytes = payload.payload;
    lax.transport = match payload.ip_number {
        etherparse::IpNumber::UDP => etherparse::UdpSlice::from_slice_lax(bytes)
            .ok()
            .map(TransportSlice::Udp),
        etherparse::IpNumber::TCP => etherparse::TcpSlice::from_slice(bytes)
            .ok()
            .map(TransportSlice::Tcp),
        _ => None,
    };
}

fn short(pkt: &Packet<'_>, layer: &'static str) -> Problem {
    if pkt.is_truncated() {
        Problem::Truncated { layer }
    } else {
        Problem::Malformed(format!(
            "{layer}: header cut short ({} bytes)",
            pkt.data.len()
        ))
    }
}

/// Offset of the network layer inside an Ethernet frame: after the
/// Ethernet header and every VLAN tag.
fn ether_net_offset(lax: &LaxSlicedPacket<'_>, whole: &[u8]) -> usize {
    match &lax.net {
        Some(LaxNetSlice::Ipv4(ip)) => offset_of(whole, ip.header().slice()),
        Some(LaxNetSlice::Ipv6(ip)) => offset_of(whole, ip.header().slice()),
        Some(LaxNetSlice::Arp(arp)) => offset_of(whole, arp.slice()),
        None => lax
            .ether_payload()
            .map(|p| offset_of(whole, p.payload))
            .unwrap_or(whole.len()),
    }
}

/// Where `part` starts inside `whole` (both borrow the same packet).
fn offset_of(whole: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(whole.as_ptr() as usize)
        .min(whole.len())
}

/// Turn etherparse's "stopped at layer X" and "payload shorter than the
/// length field" into a truncated or malformed mark.
fn layer_problem(pkt: &Packet<'_>, lax: &LaxSlicedPacket<'_>) -> Option<Problem> {
    use etherparse::err::Layer;
    if let Some((err, layer)) = &lax.stop_err {
        let name = match layer {
            Layer::Ethernet2Header => "ether",
            Layer::VlanHeader => "vlan",
            Layer::MacsecHeader => "macsec",
            Layer::Arp => "arp",
            Layer::IpHeader | Layer::Ipv4Header | Layer::Ipv4Packet => "ip",
            Layer::Ipv6Header | Layer::Ipv6Packet => "ip6",
            Layer::IpAuthHeader => "ah",
            Layer::Ipv6ExtHeader
            | Layer::Ipv6HopByHopHeader
            | Layer::Ipv6DestOptionsHeader
            | Layer::Ipv6RouteHeader
            | Layer::Ipv6FragHeader => "ip6-ext",
            Layer::TcpHeader => "tcp",
            Layer::UdpHeader => "udp",
            Layer::Icmpv4 => "icmp",
            Layer::Icmpv6 => "icmp6",
            _ => "packet",
        };
        let is_len = matches!(err, etherparse::err::packet::SliceError::Len(_));
        return Some(if is_len && pkt.is_truncated() {
            Problem::Truncated { layer: name }
        } else {
            Problem::Malformed(format!("{name}: {err}"))
        });
    }
    // The IP length field promises more than the capture holds.
    // A snap length that cut only the payload is not a decoding problem:
    // every header is there (the line says how much was captured).
    let header_complete = lax.transport.is_some();
    if let Some(payload) = lax.net.as_ref().and_then(|n| n.ip_payload_ref())
        && payload.incomplete
        && !(header_complete && pkt.is_truncated())
    {
        let layer = match &lax.transport {
            Some(TransportSlice::Tcp(_)) => "tcp",
            Some(TransportSlice::Udp(_)) => "udp",
            Some(TransportSlice::Icmpv4(_)) => "icmp",
            Some(TransportSlice::Icmpv6(_)) => "icmp6",
            _ => "ip",
        };
        return Some(if pkt.is_truncated() {
            Problem::Truncated { layer }
        } else {
            Problem::Malformed(format!(
                "{layer}: IP length field says {} more bytes than were captured",
                ip_len_claimed(lax).saturating_sub(ip_len_present(lax))
            ))
        });
    }
    if let Some(TransportSlice::Tcp(tcp)) = &lax.transport {
        for opt in tcp_options::iter(tcp.options()) {
            if let Err(e) = opt {
                return Some(Problem::Malformed(format!("tcp {e}")));
            }
        }
    }
    None
}

fn ip_len_claimed(lax: &LaxSlicedPacket<'_>) -> usize {
    match &lax.net {
        Some(LaxNetSlice::Ipv4(ip)) => ip.header().total_len() as usize,
        Some(LaxNetSlice::Ipv6(ip)) => 40 + ip.header().payload_length() as usize,
        _ => 0,
    }
}

fn ip_len_present(lax: &LaxSlicedPacket<'_>) -> usize {
    match &lax.net {
        Some(LaxNetSlice::Ipv4(ip)) => ip.header().slice().len() + ip.payload().payload.len(),
        Some(LaxNetSlice::Ipv6(ip)) => {
            ip.header().slice().len() + ip.extensions().slice().len() + ip.payload().payload.len()
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::{LinkType, Timestamp};
    use etherparse::{LaxLinkExtSlice, PacketBuilder, VlanId};

    /// An IPv6 packet carrying UDP 5 → 6 with `abc` (the checksum tests
    /// use it too).
    pub(super) fn udp6_abc(src: [u8; 16], dst: [u8; 16]) -> Vec<u8> {
        let mut p = Vec::new();
        PacketBuilder::ipv6(src, dst, 64)
            .udp(5, 6)
            .write(&mut p, b"abc")
            .unwrap();
        p
    }

    fn pkt(link: LinkType, data: &[u8], orig_len: usize) -> Packet<'_> {
        Packet {
            ts: Timestamp(0),
            stamp: None,
            link,
            data,
            orig_len: orig_len as u32,
        }
    }

    fn udp_frame() -> Vec<u8> {
        let mut f = Vec::new();
        PacketBuilder::ethernet2([1; 6], [2; 6])
            .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .udp(1000, 2000)
            .write(&mut f, b"payload")
            .unwrap();
        f
    }

    #[test]
    fn ethernet_udp_decodes_every_layer() {
        let f = udp_frame();
        let d = decode(&pkt(LinkType::Ethernet, &f, f.len()));
        assert_eq!(d.problem, None);
        assert_eq!(d.net_offset, 14);
        let Some(TransportSlice::Udp(u)) = &d.lax.as_ref().unwrap().transport else {
            panic!("no udp")
        };
        assert_eq!(
            (u.source_port(), u.destination_port(), u.payload()),
            (1000, 2000, &b"payload"[..])
        );
    }

    #[test]
    fn qinq_tags_and_network_offset() {
        let mut f = Vec::new();
        PacketBuilder::ethernet2([1; 6], [2; 6])
            .double_vlan(VlanId::try_new(10).unwrap(), VlanId::try_new(20).unwrap())
            .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .udp(1, 2)
            .write(&mut f, b"")
            .unwrap();
        let d = decode(&pkt(LinkType::Ethernet, &f, f.len()));
        let lax = d.lax.as_ref().unwrap();
        let ids: Vec<u16> = lax
            .link_exts
            .iter()
            .filter_map(|e| match e {
                LaxLinkExtSlice::Vlan(v) => Some(v.vlan_identifier().value()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, [10, 20]);
        assert_eq!(d.net_offset, 22);
        assert!(matches!(lax.transport, Some(TransportSlice::Udp(_))));
    }

    #[test]
    fn sll2_carries_ipv4() {
        let mut ip = Vec::new();
        PacketBuilder::ipv4([127, 0, 0, 1], [127, 0, 0, 1], 64)
            .tcp(1, 2, 3, 4)
            .syn()
            .write(&mut ip, b"")
            .unwrap();
        let mut f = vec![0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6];
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&ip);
        let d = decode(&pkt(LinkType::LinuxSll2, &f, f.len()));
        assert_eq!(d.problem, None);
        assert_eq!(d.net_offset, 20);
        assert!(
            d.tcp()
                .is_some_and(|t| t.syn() && t.destination_port() == 2)
        );
    }

    #[test]
    fn test_truncated_by_snaplen_is_not_malformed() {
        let f = udp_frame();
        // Cut inside the UDP header.
        let d = decode(&pkt(LinkType::Ethernet, &f[..38], f.len()));
        assert_eq!(d.problem, Some(Problem::Truncated { layer: "udp" }));
        // Cut only the payload: every header is there.
        let d = decode(&pkt(LinkType::Ethernet, &f[..44], f.len()));
        assert_eq!(d.problem, None);
    }

    #[test]
    fn test_malformed_ip_length_past_end() {
        let mut f = udp_frame();
        f[16..18].copy_from_slice(&900u16.to_be_bytes());
        let d = decode(&pkt(LinkType::Ethernet, &f, f.len()));
        assert!(d.is_malformed(), "{:?}", d.problem);
    }

    #[test]
    fn ipv6_first_fragment_shows_its_transport() {
        let f = udp6_abc([0; 16], [1; 16]);
        // Insert a fragment header (offset 0, more fragments).
        let mut g = f[..40].to_vec();
        g[6] = 44;
        g[4..6].copy_from_slice(&(8 + 11u16).to_be_bytes());
        g.extend_from_slice(&[17, 0, 0, 1, 0, 0, 0, 9]);
        g.extend_from_slice(&f[40..]);
        let d = decode(&pkt(LinkType::Raw, &g, g.len()));
        let lax = d.lax.as_ref().unwrap();
        assert!(
            matches!(&lax.transport, Some(TransportSlice::Udp(u)) if u.destination_port() == 6)
        );
    }

    #[test]
    fn unknown_link_type() {
        let d = decode(&pkt(LinkType::Other(147), &[1, 2, 3], 3));
        assert_eq!(d.problem, Some(Problem::UnsupportedLink(147)));
        assert!(d.lax.is_none());
    }
}
