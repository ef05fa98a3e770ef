//! The flow view of a packet: [`FlowPacket`], the dozen header fields the
//! flow tracker needs, read here because every byte-offset read of packet
//! data lives in `decode`. The tracker (`crate::flow`) imports this module;
//! this module knows nothing of flows.
//!
//! [`FlowPacket::from_frame`] is the path production takes: it reads the
//! fields straight from the frame bytes without building etherparse's full
//! lax slice (whose construction copies a few hundred bytes per packet).
//! [`FlowPacket::from_lax`] gives the same `FlowPacket` from a lax slice, for
//! every packet that etherparse slices cleanly; the test
//! `from_frame_agrees_with_from_lax` checks that on the captures. Every read
//! is bounds-checked: damaged input yields `None` or a partial view, never a
//! panic. Tunnels (IP in IP, GRE, VXLAN, Geneve, L2TP, MPLS, PPPoE) are
//! followed to the innermost IP packet: a flow is the conversation inside,
//! as Zeek keeps it (the dissectors' `tunnel` module finds the inner bytes,
//! judging lengths by what IP declares, as the printers do); a packet
//! whose inner IP packet cannot be read (cut, damaged) stays in the
//! tunnel's own flow. An IPv4 authentication header is skipped (as
//! IPv6's): the flow is the protocol it protects. TCP and UDP fragments,
//! the first too, have no flow (tshark and Zeek reassemble before they
//! read ports). Both
//! constructors follow these rules: `tests/flow_views_agree.rs` checks
//! that they give the same flow for every packet of every capture.

use super::checksum;
use super::link::{self, Payload};
use super::link_header::be16;
use super::partial;

mod plain_ipv4;
use super::tcp_flags::TcpFlags;
use super::tcp_seq::SeqNumber;
use crate::dissect::{IpVersion, Payload as Carried, tunnel};
use crate::packet::{LinkType, Timestamp};
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
    /// A number unique per variant, for the flow table's hasher.
    pub(crate) fn number(self) -> u16 {
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

/// One packet as the flow tracker needs it. `Copy`, and holds no borrowed bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowPacket {
    pub ts: Timestamp,
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: Proto,
    pub sport: u16,
    pub dport: u16,
    /// TCP only: sequence number, acknowledgment number, flags, raw window.
    pub seq: SeqNumber,
    pub ack: SeqNumber,
    pub flags: TcpFlags,
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
    /// Set by the caller when a dissector recognised the payload (Zeek's
    /// `service`: `dns`, `http`, …); the flow keeps the first one.
    pub service: Option<&'static str>,
    /// ICMP and ICMPv6 only: the message's type and code (the ports hold
    /// the echo identifier, or the type and code, as the flow key wants
    /// them; the Community ID needs the type itself).
    pub icmp: Option<(u8, u8)>,
}

impl FlowPacket {
    /// The flow view of a lax-sliced packet; `None` for anything that is not IP
    /// (ARP, broken link layer) or an IP fragment after the first.
    ///
    /// Production builds the view with [`FlowPacket::from_frame`]; this
    /// second, independent path (etherparse's slices) stays as the reference
    /// that `tests/flow_table.rs` checks `from_frame` against on damaged
    /// frames, and as a mode of the flows benchmark.
    pub fn from_lax(ts: Timestamp, pkt: &LaxSlicedPacket<'_>) -> Option<FlowPacket> {
        if through_macsec(pkt) {
            return None;
        }
        let (src, dst, ip_len, ip_payload_len, payload) = lax_ip(pkt.net.as_ref()?)?;
        // A fragment carries no ports we can trust, even the first whose
        // transport header the decoder slices for the printer (tshark and
        // Zeek reassemble before they read ports).
        if payload.fragmented && matches!(payload.ip_number.0, 6 | 17) {
            return None;
        }
        let mut fp =
            FlowPacket::ip_only(ts, (src, dst), payload.ip_number.0, ip_payload_len, ip_len);
        match pkt.transport.as_ref() {
            Some(TransportSlice::Tcp(tcp)) => {
                let hl = tcp.header_len() as u32;
                fp.proto = Proto::Tcp;
                fp.sport = tcp.source_port();
                fp.dport = tcp.destination_port();
                fp.seq = SeqNumber(tcp.sequence_number());
                fp.ack = SeqNumber(tcp.acknowledgment_number());
                fp.flags = TcpFlags::of(tcp);
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
            Some(TransportSlice::Icmpv4(icmp)) => fp.icmp_message(
                (icmp.type_u8(), icmp.code_u8()),
                1,
                icmp.bytes5to8(),
                ip_payload_len,
            ),
            Some(TransportSlice::Icmpv6(icmp)) => fp.icmp_message(
                (icmp.type_u8(), icmp.code_u8()),
                58,
                icmp.bytes5to8(),
                ip_payload_len,
            ),
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
                if n == 6 {
                    fp.tcp_fixed_header(payload.payload, ip_payload_len);
                }
            }
        }
        Some(fp)
    }

    /// An ICMP (`ip_proto` 1) or ICMPv6 (58) message of `(type, code)`:
    /// Zeek's ports (the echo pair's request and reply types differ by
    /// version; `rest` is bytes 4..8, the echo identifier), the raw pair,
    /// and the body after the 8-byte header.
    fn icmp_message(&mut self, (t, c): (u8, u8), ip_proto: u8, rest: [u8; 4], ip_payload_len: u32) {
        let (req, rep) = if ip_proto == 1 { (8, 0) } else { (128, 129) };
        self.proto = Proto::Icmp;
        (self.sport, self.dport) = icmp_ports(t, c, req, rep, rest);
        self.icmp = Some((t, c));
        self.payload_len = ip_payload_len.saturating_sub(8);
    }

    /// Every flag of `flag` is set.
    pub fn has(&self, flag: TcpFlags) -> bool {
        self.flags.contains(flag)
    }

    /// An IP packet of protocol number `proto` with no transport fields
    /// read yet (ports 0, no TCP fields): what both constructors start from.
    fn ip_only(
        ts: Timestamp,
        (src, dst): (IpAddr, IpAddr),
        proto: u8,
        payload_len: u32,
        ip_len: u32,
    ) -> FlowPacket {
        FlowPacket {
            ts,
            src,
            dst,
            proto: Proto::Other(proto),
            sport: 0,
            dport: 0,
            seq: SeqNumber(0),
            ack: SeqNumber(0),
            flags: TcpFlags::NONE,
            window: 0,
            wscale: None,
            payload_len,
            ip_len,
            bad_checksum: false,
            service: None,
            icmp: None,
        }
    }

    /// Fill the TCP fields from the fixed 20-byte header at the start of
    /// `seg` (plus the window scale from the options a SYN carries, as far
    /// as they were captured). `ip_payload_len` is the transport length
    /// the IP header declares. Nothing changes for a header tcpdump does
    /// not read, so the tracker does not analyse it: fewer than 20 bytes
    /// captured (` [|tcp]`), or a header length it calls bad (`[bad hdr
    /// length 0 - too short, < 20]`; Wireshark too stops there).
    fn tcp_fixed_header(&mut self, seg: &[u8], ip_payload_len: u32) {
        if !tcp_readable(seg, ip_payload_len as usize) {
            return;
        }
        let (Some(sport), Some(dport), Some(seq), Some(ack), Some(&off), Some(&flags), Some(win)) = (
            be16(seg, 0),
            be16(seg, 2),
            be32(seg, 4),
            be32(seg, 8),
            seg.get(12),
            seg.get(13),
            be16(seg, 14),
        ) else {
            return;
        };
        self.proto = Proto::Tcp;
        self.sport = sport;
        self.dport = dport;
        self.seq = SeqNumber(seq);
        self.ack = SeqNumber(ack);
        self.flags = TcpFlags::from_bits(flags);
        self.window = win;
        let hl = ((off >> 4) as usize * 4).max(20);
        self.payload_len = ip_payload_len.saturating_sub(hl as u32);
        if self.flags.contains(TcpFlags::SYN) {
            self.wscale = seg.get(20..hl).and_then(window_scale);
        }
    }
}

/// Whether the TCP header at the start of `seg`, in a segment `declared`
/// bytes long, is one tcpdump reads: its fixed 20 bytes captured, and a
/// header length it does not call bad. The view reads no TCP field from
/// any other.
fn tcp_readable(seg: &[u8], declared: usize) -> bool {
    let head = partial::TcpHead::new(seg);
    head.fixed().is_some() && !head.bad_length(declared)
}

fn be32(d: &[u8], i: usize) -> Option<u32> {
    let b = d.get(i..i + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

impl FlowPacket {
    /// The flow view of a captured frame of the given link type; `None` for
    /// non-IP frames, unsupported link types, broken IP headers and TCP/UDP
    /// fragments.
    pub fn from_frame(ts: Timestamp, link: LinkType, data: &[u8]) -> Option<FlowPacket> {
        // The link headers are the decoder's: one place knows them.
        let (link, data) = super::link_more::unwrap_ethernet(link, data);
        let ip = match link::strip(link, data).1 {
            // An Ethernet frame behind another header (PPI's, PKTAP's,
            // SunATM's LANE header) by Ethernet's rules: its LLC header.
            Payload::Ethernet(frame) => ether_ip(frame)?.0,
            Payload::EtherType(ether_type, rest) => ethertype_ip(link, ether_type.0, rest)?.0,
            Payload::Ip(ip) => ip,
            Payload::TooShort(_) | Payload::Unsupported(_) | Payload::Message(_) => return None,
        };
        from_ip(ts, ip)
    }

    /// The ends of the packet's flow as [`FlowPacket::from_frame`] gives
    /// them (source and destination address and port, protocol), without
    /// building the whole view for the commonest frame: Ethernet, IPv4
    /// whole and not a fragment, TCP or UDP that carries no tunnel. That
    /// is what `read --threads`' reader needs of every packet to pick its
    /// worker, and the whole view cost it as much as reading the file.
    /// Every other frame takes `from_frame` (`tests/flow_views_agree.rs`
    /// checks both agree on every packet of every capture).
    #[inline]
    pub fn frame_ends(ts: Timestamp, link: LinkType, data: &[u8]) -> Option<Ends> {
        if link == LinkType::Ethernet
            && let Some(ends) = plain_ipv4_ends(data)
        {
            return Some(ends);
        }
        Self::from_frame(ts, link, data).map(|fp| fp.ends())
    }

    /// [`FlowPacket::frame_ends`] folded into [`EndWords`]: what `read
    /// --flows --threads` needs of every packet to pick its worker. A
    /// plain Ethernet/IPv4 frame is read straight into the words (making
    /// the addresses `IpAddr`s, and matching them again to hash them,
    /// cost the splitting half its time); any other frame by its ends.
    /// `None` exactly where [`FlowPacket::frame_ends`] is `None`.
    #[inline(always)]
    pub fn frame_end_words(ts: Timestamp, link: LinkType, data: &[u8]) -> Option<EndWords> {
        if link == LinkType::Ethernet {
            if let Some(words) = plain_ipv4_20_words(data) {
                return Some(words);
            }
            if let Some((src, sport, dst, dport, proto)) = plain_ipv4_raw(data) {
                return Some(EndWords {
                    src: v4_word(src, sport),
                    dst: v4_word(dst, dport),
                    proto: proto.number(),
                });
            }
        }
        Self::from_frame(ts, link, data).map(|fp| fp.ends().words())
    }

    /// [`FlowPacket::frame_end_words`]' short way alone: the words of a
    /// plain Ethernet/IPv4 frame with a 20-byte IP header, where each
    /// word's low 16 bits are its end's port; `None` for any other frame
    /// (ask [`FlowPacket::frame_ends`] then, whose [`Ends::words`] are
    /// the same words for the same flow).
    #[inline(always)]
    pub fn plain_end_words(link: LinkType, data: &[u8]) -> Option<EndWords> {
        if link == LinkType::Ethernet {
            plain_ipv4_20_words(data)
        } else {
            None
        }
    }

    /// The ends of this packet's flow, from its side (what
    /// `pipeline::parallel::owner` hashes to pick a worker).
    pub fn ends(&self) -> Ends {
        Ends {
            src: self.src,
            sport: self.sport,
            dst: self.dst,
            dport: self.dport,
            proto: self.proto,
        }
    }

    /// [`FlowPacket::from_frame`] and the captured TCP or UDP payload (at
    /// most the declared length; empty for other protocols), for stream
    /// reassembly.
    pub fn from_frame_payload(
        ts: Timestamp,
        link: LinkType,
        data: &[u8],
    ) -> Option<(FlowPacket, &[u8])> {
        Self::from_frame_checked(ts, link, data, false).map(|(fp, payload, _)| (fp, payload))
    }

    /// [`FlowPacket::from_frame_payload`], and (`check`) whether a
    /// checksum of the frame is wrong, as `checksum::verify(..).any_bad()`
    /// says: judged on the IP packet this walk over the link headers
    /// found (none behind MPLS or PPPoE, which `checksum::verify` does
    /// not enter), not found again (the second walk cost `read --flows`
    /// a few percent).
    pub fn from_frame_checked(
        ts: Timestamp,
        link: LinkType,
        data: &[u8],
        check: bool,
    ) -> Option<(FlowPacket, &[u8], bool)> {
        let mut fp = FlowPacket::blank(ts);
        let (payload, bad) = fp.fill_from_frame(link, data, check)?;
        Some((fp, payload, bad))
    }

    /// [`FlowPacket::from_frame_checked`] written into `self` (its `ts`
    /// kept; every other field rewritten when the frame has a view, left
    /// unspecified when it has none): the payload and the checksum
    /// verdict. The view is built where it stays: returning it by value
    /// through each level of the parse copied it a level at a time, and
    /// reading a copy just written cost more than the parse (a stalled
    /// load a copy).
    pub fn fill_from_frame<'a>(
        &mut self,
        link: LinkType,
        data: &'a [u8],
        check: bool,
    ) -> Option<(&'a [u8], bool)> {
        // A netANALYZER record's frame is an Ethernet capture's (an
        // Ethernet record wraps nothing: not asked, which cost each
        // packet a call).
        let (link, data) = if link == LinkType::Ethernet {
            (link, data)
        } else {
            super::link_more::unwrap_ethernet(link, data)
        };
        if link == LinkType::Ethernet
            && let Some(found) = self.fill_plain_ipv4(data, check)
        {
            return Some(found);
        }
        self.fill_from_frame_walk(link, data, check)
    }

    /// [`FlowPacket::fill_from_frame`] by the general walk over the link
    /// headers, tunnels and both IP versions, for every frame: the
    /// reference the short way for plain Ethernet/IPv4 frames
    /// (`flow_view/plain_ipv4.rs`) is checked against.
    pub fn fill_from_frame_walk<'a>(
        &mut self,
        link: LinkType,
        data: &'a [u8],
        check: bool,
    ) -> Option<(&'a [u8], bool)> {
        let (link, data) = super::link_more::unwrap_ethernet(link, data);
        let (ip, judged) = match link::strip(link, data).1 {
            Payload::Ethernet(frame) => ether_ip(frame)?,
            Payload::EtherType(ether_type, rest) => ethertype_ip(link, ether_type.0, rest)?,
            Payload::Ip(ip) => (ip, true),
            Payload::TooShort(_) | Payload::Unsupported(_) | Payload::Message(_) => return None,
        };
        let seg = ip_into(ip, 0, self)?;
        let bad = check && judged && checksum::verify_ip(ip).any_bad();
        Some((transport_body(self, seg), bad))
    }

    /// A view at `ts` of nothing yet: no addresses, no protocol, no
    /// fields (what [`FlowPacket::fill_from_frame`] writes into).
    pub fn blank(ts: Timestamp) -> FlowPacket {
        let none = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        FlowPacket::ip_only(ts, (none, none), 0, 0, 0)
    }

    /// [`FlowPacket::from_frame_payload`] from the slices the decoder made
    /// already, so a printed packet is parsed once. Only for a packet
    /// etherparse sliced without stopping (`stop_err` empty): there
    /// [`FlowPacket::from_lax`] and [`FlowPacket::from_frame`] agree (the
    /// test `from_frame_agrees_with_from_lax`); callers take the frame path
    /// for the others.
    pub fn from_lax_payload<'a>(
        ts: Timestamp,
        pkt: &LaxSlicedPacket<'a>,
    ) -> Option<(FlowPacket, &'a [u8])> {
        if through_macsec(pkt) {
            return None;
        }
        let Some(net) = pkt.net.as_ref() else {
            // A tunnel named by the EtherType (MPLS, a PPPoE session),
            // or by the SNAP header of an 802.3 frame's LLC header.
            let e = pkt.ether_payload()?;
            let (ether_type, bytes) = match e.ether_type.0 {
                0..=1500 => {
                    let l = super::wlan::LlcToNet::read(e.payload)?;
                    (l.ether_type, e.payload.get(l.len..)?)
                }
                t => (t, e.payload),
            };
            let p = Carried {
                bytes,
                declared_len: bytes.len(),
            };
            let inner = tunnel::innermost_ip(tunnel::ethertype(ether_type)?, p)?;
            let (fp, seg) = from_ip_at(ts, inner, 0)?;
            return Some((fp, transport_body(&fp, seg)));
        };
        let (src, _, _, declared, ip_payload) = lax_ip(net)?;
        let seg = ip_payload.payload;
        let carrier = IpVersion::of(src);
        let fp = FlowPacket::from_lax(ts, pkt)?;
        // The conversation inside a tunnel, judged by the length IP
        // declares (as the printers do); the tunnel's own flow when what
        // it carries cannot be read.
        if !ip_payload.fragmented
            && let Some(inner) =
                tunnel_inner((ip_payload.ip_number.0, carrier), seg, declared as usize)
            && let Some((fp, seg)) = from_ip_at(ts, inner, 1)
        {
            return Some((fp, transport_body(&fp, seg)));
        }
        Some((fp, transport_body(&fp, seg)))
    }

    /// The protocol, ports and payload [`FlowPacket::from_lax_payload`]
    /// gives, without making the view: for a TCP segment or UDP datagram
    /// etherparse sliced without stopping, no fragment, with no tunnel
    /// inside; `None` for anything else (take the view then). A stage that
    /// looks only at payloads (`--json`'s message reassembly) passes over
    /// most packets with it.
    pub fn lax_transport<'a>(pkt: &LaxSlicedPacket<'a>) -> Option<(Proto, u16, u16, &'a [u8])> {
        if pkt.stop_err.is_some() || through_macsec(pkt) {
            return None;
        }
        let (src, _, _, declared, ip) = lax_ip(pkt.net.as_ref()?)?;
        let (proto, sport, dport, header) = match pkt.transport.as_ref()? {
            TransportSlice::Tcp(t) => (
                Proto::Tcp,
                t.source_port(),
                t.destination_port(),
                t.header_len() as u32,
            ),
            TransportSlice::Udp(u) => (Proto::Udp, u.source_port(), u.destination_port(), 8),
            _ => return None,
        };
        let carried = (ip.ip_number.0, IpVersion::of(src));
        if ip.fragmented || tunnel_inner(carried, ip.payload, declared as usize).is_some() {
            return None;
        }
        let body = segment_body(proto, declared.saturating_sub(header), ip.payload);
        Some((proto, sport, dport, body))
    }
}

/// The ends of a flow: what identifies it, from the packet's side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ends {
    pub src: IpAddr,
    pub sport: u16,
    pub dst: IpAddr,
    pub dport: u16,
    pub proto: Proto,
}

impl Ends {
    /// Each end as one word, for a hash that is the same both ways.
    pub fn words(&self) -> EndWords {
        let word = |addr: IpAddr, port: u16| match addr {
            IpAddr::V4(a) => v4_word(u32::from(a), port),
            IpAddr::V6(a) => {
                let a = u128::from(a);
                ((a as u64) ^ ((a >> 64) as u64).rotate_left(32)).rotate_left(16) ^ u64::from(port)
            }
        };
        EndWords {
            src: word(self.src, self.sport),
            dst: word(self.dst, self.dport),
            proto: self.proto.number(),
        }
    }
}

/// A flow's ends, each folded into a word (address and port), and its
/// protocol's number ([`Ends::words`]): two packets of one flow, either
/// way, give the same words, swapped or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndWords {
    pub src: u64,
    pub dst: u64,
    pub proto: u16,
}

impl EndWords {
    /// The flow as one word, the same both ways (the ends' sum, the
    /// protocol above them): what the splits of `read --threads` hash.
    #[inline]
    pub fn both_ways(self) -> u64 {
        self.src.wrapping_add(self.dst) ^ u64::from(self.proto) << 48
    }
}

/// An IPv4 end as a word: the address above the port (the same word
/// whether the address came as bytes or as an `Ipv4Addr`).
#[inline]
fn v4_word(addr: u32, port: u16) -> u64 {
    u64::from(addr) << 16 | u64::from(port)
}

/// [`FlowPacket::frame_ends`]' short way: an Ethernet frame (no VLAN tag)
/// holding an IPv4 packet that is no fragment, with a TCP header's fixed
/// part or a UDP header captured, and no tunnel inside; `None` for any
/// other frame (the whole view decides those).
#[inline]
fn plain_ipv4_ends(d: &[u8]) -> Option<Ends> {
    let (src, sport, dst, dport, proto) = plain_ipv4_raw(d)?;
    Some(Ends {
        src: IpAddr::V4(Ipv4Addr::from(src)),
        sport,
        dst: IpAddr::V4(Ipv4Addr::from(dst)),
        dport,
        proto,
    })
}

/// [`plain_ipv4_raw`]'s words when the IPv4 header is 20 bytes (no
/// options), read at fixed places of the frame's first 34 bytes: the
/// same checks, one bound check for the headers instead of one a field.
/// `None` for any other frame, and for every frame [`plain_ipv4_raw`]
/// finds no ends in (the caller asks it then).
#[inline(always)]
fn plain_ipv4_20_words(d: &[u8]) -> Option<EndWords> {
    let h = d.first_chunk::<34>()?;
    // IPv4, version 4 and a 20-byte header, not a fragment (MF or offset).
    if h[12..14] != [0x08, 0x00] || h[14] != 0x45 || h[20] & 0x3f != 0 || h[21] != 0 {
        return None;
    }
    let captured = d.len() - 14;
    let total = usize::from(u16::from_be_bytes([h[16], h[17]]));
    // A total length shorter than the header is ignored (the capture's
    // length rules), as `plain_ipv4_raw` does.
    let (end, declared) = if total >= 20 {
        (total.min(captured), total - 20)
    } else {
        (captured, captured - 20)
    };
    let seg = d.get(34..14 + end)?;
    let proto = match h[23] {
        6 => {
            // `tcp_readable`: the fixed header there, its length sane.
            let t = seg.first_chunk::<20>()?;
            let hl = usize::from(t[12] >> 4) * 4;
            if hl < 20 || hl > declared {
                return None;
            }
            6
        }
        17 if seg.len() >= 8 => 17,
        _ => return None,
    };
    let p = seg.first_chunk::<4>()?;
    let (sport, dport) = (
        u16::from_be_bytes([p[0], p[1]]),
        u16::from_be_bytes([p[2], p[3]]),
    );
    if proto == 17 && tunnel::udp(sport, dport).is_some() {
        return None;
    }
    let addr = |at: usize| u32::from_be_bytes([h[at], h[at + 1], h[at + 2], h[at + 3]]);
    Some(EndWords {
        src: v4_word(addr(26), sport),
        dst: v4_word(addr(30), dport),
        proto,
    })
}

/// [`plain_ipv4_ends`] as the header holds it: source address and port,
/// destination address and port, protocol. The same reads as
/// [`from_ip_at`] makes, in the same order of checks. (Always inlined:
/// called and handing back its five fields through memory, it cost the
/// splitting of `read --flows --threads` more than the reads themselves.)
#[inline(always)]
fn plain_ipv4_raw(d: &[u8]) -> Option<(u32, u16, u32, u16, Proto)> {
    if be16(d, 12)? != 0x0800 {
        return None;
    }
    let ip = d.get(14..)?;
    let first = *ip.first()?;
    let hl = usize::from(first & 0x0f) * 4;
    if first >> 4 != 4 || hl < 20 || ip.len() < hl || be16(ip, 6)? & 0x3fff != 0 {
        return None;
    }
    let total = usize::from(be16(ip, 2)?);
    let end = if total >= hl {
        total.min(ip.len())
    } else {
        ip.len()
    };
    let seg = ip.get(hl..end)?;
    let declared = total.checked_sub(hl).unwrap_or(seg.len());
    let proto = match *ip.get(9)? {
        // The view reads TCP from a header tcpdump reads.
        6 if tcp_readable(seg, declared) => Proto::Tcp,
        17 if seg.len() >= 8 => Proto::Udp,
        _ => return None,
    };
    let (sport, dport) = (be16(seg, 0)?, be16(seg, 2)?);
    if proto == Proto::Udp && tunnel::udp(sport, dport).is_some() {
        return None;
    }
    Some((be32(ip, 12)?, sport, be32(ip, 16)?, dport, proto))
}

/// Whether etherparse went on through a MACsec header (its payload in
/// the clear). Flows do not look inside MACsec, as libpcap's filters do
/// not (the frame's own view stops at its EtherType): a MACsec frame
/// belongs to no flow, whichever view reads it.
fn through_macsec(pkt: &LaxSlicedPacket<'_>) -> bool {
    pkt.link_exts
        .iter()
        .any(|e| matches!(e, etherparse::LaxLinkExtSlice::Macsec(_)))
}

/// A lax slice's IP part as the flow view reads it: addresses, the
/// datagram's and its payload's declared lengths (past an IPv4
/// authentication header), and the payload.
type LaxIp<'a> = (IpAddr, IpAddr, u32, u32, etherparse::LaxIpPayloadSlice<'a>);

fn lax_ip<'a>(net: &LaxNetSlice<'a>) -> Option<LaxIp<'a>> {
    Some(match net {
        LaxNetSlice::Ipv4(v4) => {
            let h = v4.header();
            // An authentication header is not the protected payload's.
            let ah = v4.extensions().auth.map_or(0, |a| a.slice().len() as u32);
            let header_len = h.ihl() as u32 * 4;
            let total = h.total_len() as u32;
            // total_len 0 happens with TCP segmentation offload: trust the capture.
            let (ip_len, pl) = if total >= header_len {
                (total, (total - header_len).saturating_sub(ah))
            } else {
                let pl = v4.payload().payload.len() as u32;
                (pl + header_len + ah, pl)
            };
            (
                IpAddr::V4(h.source_addr()),
                IpAddr::V4(h.destination_addr()),
                ip_len,
                pl,
                v4.payload().clone(),
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
                v6.payload().clone(),
            )
        }
        LaxNetSlice::Arp(_) => return None,
    })
}

/// The TCP or UDP payload inside `seg` (the transport header and what
/// follows, as captured), at most the declared length; empty for other
/// protocols.
fn transport_body<'a>(fp: &FlowPacket, seg: &'a [u8]) -> &'a [u8] {
    segment_body(fp.proto, fp.payload_len, seg)
}

/// [`transport_body`] of a `proto` segment whose payload IP declares
/// `payload_len` bytes long.
fn segment_body(proto: Proto, payload_len: u32, seg: &[u8]) -> &[u8] {
    let header = match proto {
        Proto::Tcp => seg
            .get(12)
            .map_or(seg.len(), |off| ((off >> 4) as usize * 4).max(20)),
        Proto::Udp => 8,
        _ => return &[],
    };
    let body = seg.get(header..).unwrap_or(&[]);
    body.get(..(payload_len as usize).min(body.len()))
        .unwrap_or(&[])
}

/// [`ethertype_ip`] of an Ethernet frame, whatever header came before it:
/// its type field and LLC header read by Ethernet's rules.
fn ether_ip(frame: &[u8]) -> Option<(&[u8], bool)> {
    ethertype_ip(LinkType::Ethernet, be16(frame, 12)?, frame.get(14..)?)
}

/// The IP packet after a link header whose type field is `ether_type`,
/// and whether it follows the link header, its tags and an LLC header
/// directly (true) or comes out of a tunnel the EtherType names (false:
/// MPLS, PPPoE).
fn ethertype_ip(link: LinkType, ether_type: u16, rest: &[u8]) -> Option<(&[u8], bool)> {
    let (ether_type, rest) = link::network_type(link, ether_type, rest)?;
    // Like etherparse, the IP version nibble (not the EtherType) picks v4 or v6.
    match ether_type {
        0x0800 | 0x86dd => Some((rest, true)),
        // MPLS and PPPoE sessions: the flow is the IP conversation inside.
        t => tunnel::innermost_ip(
            tunnel::ethertype(t)?,
            Carried {
                bytes: rest,
                declared_len: rest.len(),
            },
        )
        .map(|ip| (ip, false)),
    }
}

/// Parse an IP packet (v4 or v6, told by the version nibble).
pub(crate) fn from_ip(ts: Timestamp, d: &[u8]) -> Option<FlowPacket> {
    from_ip_with_segment(ts, d).map(|(fp, _)| fp)
}

/// [`from_ip`], also giving the transport segment (header and payload, as
/// far as captured and declared).
fn from_ip_with_segment(ts: Timestamp, d: &[u8]) -> Option<(FlowPacket, &[u8])> {
    from_ip_at(ts, d, 0)
}

/// The IP packet a tunnel carries (IP in IP, GRE, VXLAN, Geneve, L2TP,
/// MPLS in UDP; `proto`: the protocol and the version of IP carrying it,
/// `payload`: what IP carries, `declared`: its length): flows are the
/// conversations inside tunnels, as Zeek keeps them.
fn tunnel_inner(
    (proto, carrier): (u8, IpVersion),
    payload: &[u8],
    declared: usize,
) -> Option<&[u8]> {
    let (t, p) = match proto {
        4 | 41 => return Some(payload),
        // No tunnel is TCP's (a unit test checks the tunnel table): most
        // packets, spared the table's search.
        6 => return None,
        17 => {
            let t = tunnel::udp(be16(payload, 0)?, be16(payload, 2)?)?;
            let p = Carried {
                bytes: payload.get(8..)?,
                declared_len: declared.saturating_sub(8),
            };
            (t, p)
        }
        // A PIM Register's packet too.
        _ => {
            let p = Carried {
                bytes: payload,
                declared_len: declared,
            };
            (tunnel::ip_payload(proto, carrier, &p)?, p)
        }
    };
    tunnel::innermost_ip(t, p)
}

/// [`from_ip_with_segment`] `depth` tunnels deep.
fn from_ip_at(ts: Timestamp, d: &[u8], depth: u8) -> Option<(FlowPacket, &[u8])> {
    let mut fp = FlowPacket::blank(ts);
    let seg = ip_into(d, depth, &mut fp)?;
    Some((fp, seg))
}

/// [`from_ip_at`] written into `fp` (its `ts` kept), giving the segment.
fn ip_into<'a>(d: &'a [u8], depth: u8, fp: &mut FlowPacket) -> Option<&'a [u8]> {
    let (src, dst, ip_len, pl, proto, fragmented, payload) = match d.first()? >> 4 {
        4 => {
            let hl = (d[0] & 0x0f) as usize * 4;
            if hl < 20 || d.len() < hl {
                return None;
            }
            let total = be16(d, 2)? as usize;
            // A total length shorter than the header (0 with TCP segmentation
            // offload) is ignored, as etherparse's lax slicing does: trust the capture.
            let (ip_len, pl, end) = if total >= hl {
                (total, total - hl, total.min(d.len()))
            } else {
                (d.len(), d.len() - hl, d.len())
            };
            let frag = be16(d, 6)? & 0x3fff != 0;
            let src = IpAddr::V4(Ipv4Addr::from(be32(d, 12)?));
            let dst = IpAddr::V4(Ipv4Addr::from(be32(d, 16)?));
            // An authentication header is skipped as IPv6's is (and as
            // etherparse slices it): the flow is the protocol it protects.
            let (proto, payload, pl) = skip_ah(d[9], &d[hl..end], pl);
            (src, dst, ip_len, pl, proto, frag, payload)
        }
        6 => {
            if d.len() < 40 {
                return None;
            }
            let declared = be16(d, 4)? as usize;
            let end = if declared == 0 {
                d.len()
            } else {
                (40 + declared).min(d.len())
            };
            let mut next = d[6];
            let mut off = 40;
            let mut frag = false;
            // Extension headers etherparse understands: hop-by-hop, routing,
            // destination options, fragment, authentication. One that does not
            // fit stops the walk and becomes the payload, as in etherparse's lax mode.
            for _ in 0..8 {
                let len = match (next, d.get(off + 1)) {
                    (0 | 43 | 60, Some(&l)) => (l as usize + 1) * 8,
                    (51, Some(&l)) => (l as usize + 2) * 4,
                    (44, Some(_)) => 8,
                    _ => break,
                };
                if off + len > end {
                    break;
                }
                if next == 44 {
                    frag |= be16(d, off + 2)? & 0xfff9 != 0;
                }
                next = d[off];
                off += len;
            }
            let ext = off - 40;
            let pl = if declared >= ext && declared != 0 {
                declared - ext
            } else {
                end.saturating_sub(off)
            };
            let src = IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(d.get(8..24)?).ok()?));
            let dst = IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(d.get(24..40)?).ok()?));
            let ip_len = 40 + declared.max(pl + ext);
            (src, dst, ip_len, pl, next, frag, &d[off..end])
        }
        _ => return None,
    };
    // The conversation inside a tunnel; the tunnel's own when the packet
    // inside cannot be read (cut or damaged).
    // (An inner packet that has no view may have written into `fp`:
    // the outer one's fields below replace all of them.)
    if !fragmented
        && depth < tunnel::MAX_DEPTH
        && let Some(inner) = tunnel_inner((proto, IpVersion::of(src)), payload, pl)
        && let Some(found) = ip_into(inner, depth + 1, fp)
    {
        return Some(found);
    }
    *fp = FlowPacket::ip_only(fp.ts, (src, dst), proto, pl as u32, ip_len as u32);
    if fragmented {
        // A fragment carries no ports we can trust (tshark reassembles
        // before it reads them, Zeek too; the decoded view agrees).
        return if proto == 6 || proto == 17 {
            None
        } else {
            Some(&[])
        };
    }
    match proto {
        6 => fp.tcp_fixed_header(payload, pl as u32),
        17 if payload.len() >= 8 => {
            fp.proto = Proto::Udp;
            fp.sport = be16(payload, 0)?;
            fp.dport = be16(payload, 2)?;
            fp.payload_len = (pl as u32).saturating_sub(8);
        }
        1 | 58 if payload.len() >= 8 => {
            let rest = [payload[4], payload[5], payload[6], payload[7]];
            fp.icmp_message((payload[0], payload[1]), proto, rest, pl as u32);
        }
        _ => {}
    }
    Some(payload)
}

/// What follows an IPv4 authentication header (RFC 4302) that was
/// captured whole: its next protocol, the bytes after it and the declared
/// length left; else `proto` and `payload` as they are. An eight-byte
/// header (length word 0, no sequence number) too, as IPv6's walk skips
/// it and as tshark and tcpdump go on after it over either version.
fn skip_ah(proto: u8, payload: &[u8], declared: usize) -> (u8, &[u8], usize) {
    if proto == 51
        && let (Some(&next), Some(&words)) = (payload.first(), payload.get(1))
    {
        let len = (words as usize + 2) * 4;
        if let Some(rest) = payload.get(len..) {
            return (next, rest, declared.saturating_sub(len));
        }
    }
    (proto, payload, declared)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ends_assume_tcp_and_udp_carry_no_ip_tunnel() {
        // `plain_ipv4_ends` skips `tunnel_inner` for TCP and UDP (UDP's
        // tunnels go by port), and `tunnel_inner` answers TCP without the
        // table: an IP protocol tunnel 6 or 17 would break that.
        assert!(tunnel::ip_proto(6).is_none() && tunnel::ip_proto(17).is_none());
        let any = Carried {
            bytes: &[0x45; 40],
            declared_len: 40,
        };
        assert!(tunnel::ip_payload(6, IpVersion::V4, &any).is_none());
        assert!(tunnel::ip_payload(6, IpVersion::V6, &any).is_none());
    }

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
            (Proto::Tcp, 1234, 80, SeqNumber(77), SeqNumber(99), 500)
        );
        assert_eq!((fp.payload_len, fp.ip_len), (100, 180));
    }
}
