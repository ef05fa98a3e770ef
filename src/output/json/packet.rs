//! `--json`: one JSON object per packet, one per line, one key per layer
//! (`eth`, `ip`/`arp`, `tcp`/`udp`/`icmp`, then the application protocol's
//! own key from its dissector, e.g. `dns`). Field names are
//! stable and documented in the README ("JSON fields"); a layer that is not
//! present is absent, never null, so `jq 'select(.tcp)'` works.
//!
//! Each object is written straight into one buffer by [`Obj`], keys in
//! sorted order (as the `serde_json` maps of the first version sorted them,
//! so the bytes did not change when the per-packet `Value` tree went).

use super::writer::{Arr, Key, Obj, key};
use crate::decode::ip6_text::Ip6;
use crate::decode::tcp_options::{self, TcpOpt};
use crate::decode::{self, Decoded, LinkInfo, arp, ipv6_ext, names, partial};
use crate::dissect::tunnel::{self, Kind};
use crate::dissect::{self, IpVersion, Payload};
use crate::output::packet::TcpFlags;
use crate::output::time::write_rfc3339;
use crate::packet::{LinkType, Packet};
use etherparse::{
    IpNumber, LaxLinkExtSlice, LaxNetSlice, LinkSlice, TcpSlice, TransportSlice, UdpSlice,
};
use std::io::{self, Write};
use std::net::Ipv4Addr;

/// Write `pkt` as one JSON line. `number` counts from 1; `analysis` holds
/// the TCP analysis marks (e.g. `retransmission`).
pub fn write_packet(
    w: &mut dyn Write,
    number: u64,
    pkt: &Packet<'_>,
    d: &Decoded<'_>,
    analysis: &[String],
) -> io::Result<()> {
    JsonPrinter::default().write_packet_with(w, None, number, pkt, d, analysis)
}

/// The `--json` printer of a run: the buffer each packet's object is put
/// together in, kept from one packet to the next (a new one per packet
/// was an allocation and a free for every line).
#[derive(Debug, Default)]
pub struct JsonPrinter {
    buf: Vec<u8>,
}

impl JsonPrinter {
    /// [`write_packet`] where `app`, when given, is the application member
    /// (its key and serialised value): a message this packet completed,
    /// decoded from the bytes of all its packets (`crate::flow::pdu`),
    /// instead of what the packet's own payload holds.
    pub fn write_packet_with(
        &mut self,
        w: &mut dyn Write,
        app: Option<(&'static str, &[u8])>,
        number: u64,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        analysis: &[String],
    ) -> io::Result<()> {
        let buf = &mut self.buf;
        buf.clear();
        buf.reserve(768);
        write_object(buf, number, pkt, d, analysis, 0, app)?;
        buf.push(b'\n');
        // One write per packet: the output is a `dyn Write`.
        w.write_all(buf)
    }
}

/// The packet's object into `buf`, members in key order.
fn write_object(
    buf: &mut Vec<u8>,
    number: u64,
    pkt: &Packet<'_>,
    d: &Decoded<'_>,
    analysis: &[String],
    depth: u8,
    given: Option<(&'static str, &[u8])>,
) -> io::Result<()> {
    let lax = d.lax.as_ref();
    let net = lax.and_then(|l| l.net.as_ref());
    // Behind an authentication header followed by an IPv6 extension
    // header the line names the protocol and stops: so does the object.
    let transport = lax
        .and_then(|l| l.transport.as_ref())
        .filter(|_| ah_stop(net).is_none());
    // The application protocol's member, from its dissector (a `Value`:
    // rare enough per packet not to matter), sorted in by its key.
    let mut app = Vec::new();
    let app_key = match (given, transport) {
        (Some((key, value)), _) => {
            app.extend_from_slice(value);
            Some(key)
        }
        (None, Some(TransportSlice::Tcp(tcp))) => dissected_tcp(net, tcp, &mut app)?,
        (None, Some(TransportSlice::Udp(udp))) => dissected_udp(net, udp, &mut app)?,
        _ => dissected_other(pkt, d, &mut app)?,
    };
    let mut o = Obj::open_top(buf);
    if let Some(key) = app_key {
        o.splice(key, &app);
    }
    if !analysis.is_empty() && !tcp_unread(net, transport) {
        let mut a = o.array(key!("analysis"));
        for mark in analysis {
            a.str(mark);
        }
        a.close();
    }
    if let Some(LaxNetSlice::Arp(arp)) = net {
        arp_json(o.object(key!("arp")), arp);
    }
    o.usize(key!("caplen"), pkt.data.len());
    if let Some(LinkSlice::Ethernet2(eth)) = lax.and_then(|l| l.link.as_ref()) {
        let mut e = o.object(key!("eth"));
        e.mac(key!("dst"), &eth.destination());
        if let Some(found) = crate::decode::macsec::find(pkt) {
            macsec_json(e.object(key!("macsec")), &found.tag);
        }
        e.mac(key!("src"), &eth.source());
        e.uint(key!("type"), eth.ether_type().0);
        let mut vlans = lax
            .into_iter()
            .flat_map(|l| l.link_exts.iter())
            .filter_map(|e| match e {
                LaxLinkExtSlice::Vlan(v) => Some(v.vlan_identifier().value()),
                _ => None,
            })
            .peekable();
        if vlans.peek().is_some() {
            let mut a = e.array(key!("vlan"));
            for v in vlans {
                a.uint(v);
            }
            a.close();
        }
        e.close();
    } else if let Some(h) = crate::decode::link_more::switch_tagged(pkt) {
        // A switch-tagged frame (the network layer was read after its tag
        // and EtherType): its addresses, tag and EtherType.
        let mut e = o.object(key!("eth"));
        e.mac(key!("dst"), h.dst);
        e.mac(key!("src"), h.src);
        let hex: String = h.tag.iter().map(|b| format!("{b:02x}")).collect();
        e.str(key!("switch_tag"), &hex);
        e.uint(key!("type"), h.ether_type);
        e.close();
    }
    // An ICMP message over the other version of IP (ICMP in IPv6) is
    // refused by the line, and claimed by no object either.
    let icmp_admitted = |proto| carrier(net).is_some_and(|c| dissect::icmp_admitted(proto, c));
    match transport {
        Some(TransportSlice::Icmpv4(icmp)) if icmp_admitted(1) => {
            let (t, c) = (icmp.type_u8(), icmp.code_u8());
            icmp_json(o.object(key!("icmp")), 4, t, c, names::icmpv4_type(t));
        }
        Some(TransportSlice::Icmpv6(icmp)) if icmp_admitted(58) => {
            let (t, c) = (icmp.type_u8(), icmp.code_u8());
            icmp_json(o.object(key!("icmp")), 6, t, c, names::icmpv6_type(t));
        }
        _ => {}
    }
    let (tunnels, inner) = tunnel_json(pkt, d, depth)?;
    if !inner.is_empty() {
        o.splice("inner", &inner);
    }
    match net {
        Some(LaxNetSlice::Ipv4(ip)) => {
            let h = ip.header();
            let mut i = o.object(key!("ip"));
            i.bool(key!("df"), h.dont_fragment());
            i.ipv4(key!("dst"), Ipv4Addr::from(h.destination()));
            i.uint(key!("frag_offset"), h.fragments_offset().value() as u32 * 8);
            i.uint(key!("id"), h.identification());
            i.uint(key!("len"), h.total_len());
            i.bool(key!("mf"), h.more_fragments());
            i.usize(key!("options_len"), h.options().len());
            i.uint(key!("proto"), h.protocol().0);
            i.ipv4(key!("src"), Ipv4Addr::from(h.source()));
            i.uint(key!("ttl"), h.ttl());
            i.uint(key!("version"), 4u8);
            i.close();
        }
        Some(LaxNetSlice::Ipv6(ip)) => {
            let h = ip.header();
            let mut i = o.object(key!("ip"));
            i.display(key!("dst"), Ip6::from(h.destination()));
            let stop = ah_stop(net);
            let mut a = i.array(key!("ext"));
            let named = stop.map_or(usize::MAX, |(n, _)| n);
            for e in ipv6_ext::iter(h.next_header().0, ip.extensions().slice()).take(named) {
                a.str(e.name());
            }
            a.close();
            i.uint(key!("flow_label"), h.flow_label().value());
            i.uint(key!("hop_limit"), h.hop_limit());
            i.uint(key!("next_header"), h.next_header().0);
            i.uint(key!("payload_len"), h.payload_length());
            let proto = stop.map_or(ip.payload().ip_number.0, |(_, next)| next);
            i.uint(key!("proto"), proto);
            i.display(key!("src"), Ip6::from(h.source()));
            i.uint(key!("version"), 6u8);
            i.close();
        }
        _ => {}
    }
    o.uint(key!("len"), pkt.wire_len());
    o.str(key!("link"), pkt.link.name());
    // A SunATM LANE record decodes as its Ethernet frame: its header's
    // object all the same.
    let framed = match d.link {
        LinkInfo::Framed { link, .. } => Some(link),
        _ => match pkt.link {
            LinkType::Other(crate::decode::sunatm::SUNATM) => Some(crate::decode::sunatm::SUNATM),
            _ => None,
        },
    };
    if let Some(link) = framed {
        let f = link_frame(pkt, link);
        if let Some(v) = crate::dissect::link::to_json(&f) {
            o.raw(key!("link_layer"), |b| {
                let _ = serde_json::to_writer(&mut *b, &v);
            });
        }
    }
    o.bool(key!("malformed"), d.is_malformed());
    if depth == 0 {
        o.uint(key!("n"), number);
    }
    if let Some(p) = &d.problem {
        o.str(key!("problem"), &p.to_string());
    }
    if let LinkInfo::Cooked {
        packet_type,
        ifindex,
        protocol,
    } = d.link
    {
        let mut s = o.object(key!("sll"));
        match ifindex {
            Some(i) => s.uint(key!("ifindex"), i),
            None => s.null(key!("ifindex")),
        }
        s.uint(key!("packet_type"), packet_type);
        s.uint(key!("protocol"), protocol);
        s.close();
    }
    if let Some(TransportSlice::Tcp(tcp)) = transport {
        tcp_json(o.object(key!("tcp")), net, tcp);
    }
    o.bool(key!("truncated"), pkt.is_truncated());
    if depth == 0 {
        o.raw(key!("ts"), |b| {
            b.push(b'"');
            write_rfc3339(b, pkt.ts);
            b.push(b'"');
        });
        o.uint(key!("ts_ns"), pkt.ts.0);
    }
    if !tunnels.is_empty() {
        o.splice("tunnel", &tunnels);
    }
    if let Some(TransportSlice::Udp(udp)) = transport {
        let mut u = o.object(key!("udp"));
        u.uint(key!("checksum"), udp.checksum());
        u.uint(key!("dport"), udp.destination_port());
        u.uint(key!("len"), udp.length());
        u.usize(
            key!("payload_len"),
            (udp.length() as usize).saturating_sub(8),
        );
        u.uint(key!("sport"), udp.source_port());
        u.close();
    }
    o.close();
    Ok(())
}

/// A PPP link frame that carries a packet other than IP (MPLS, OSI,
/// IPX …): the PPP printer's layer, as the line printer follows it.
fn ppp_frame<'a>(pkt: &Packet<'a>, d: &Decoded<'a>) -> Option<(Kind, Payload<'a>)> {
    if d.problem.is_some() {
        return None;
    }
    let crate::decode::LinkInfo::Framed { link, .. } = d.link else {
        return None;
    };
    let f = link_frame(pkt, link);
    let (t, at) = dissect::link::ppp_frame(&f)?;
    let p = Payload {
        bytes: pkt.data.get(at..)?,
        declared_len: (pkt.orig_len as usize).saturating_sub(at),
    };
    // Only a frame that carries a packet: a control protocol's message
    // is the link layer's object already, unknown bytes are nothing.
    if matches!(t.inner(&p)?.kind, Kind::Hex { .. }) {
        return None;
    }
    Some((Kind::Encap(t), p))
}

/// The tunnel a packet's layers name first (by UDP port, IP protocol,
/// a PIM Register's type or EtherType) and the bytes it starts at; IP in
/// IP as an `ipip` layer.
fn outer_tunnel<'a>(pkt: &Packet<'a>, d: &Decoded<'a>) -> Option<(Kind, Payload<'a>)> {
    let Some(lax) = d.lax.as_ref() else {
        return ppp_frame(pkt, d);
    };
    if ah_stop(lax.net.as_ref()).is_some() {
        return None;
    }
    if let Some(TransportSlice::Udp(udp)) = &lax.transport {
        let t = tunnel::udp(udp.source_port(), udp.destination_port())?;
        let p = Payload {
            bytes: udp.payload(),
            declared_len: usize::from(udp.length()).saturating_sub(8),
        };
        return Some((Kind::Encap(t), p));
    }
    if lax.transport.is_some() {
        return None;
    }
    if let Some(ip) = lax.net.as_ref().and_then(|n| n.ip_payload_ref()) {
        let carrier = carrier(lax.net.as_ref())?;
        let p = Payload {
            bytes: ip.payload,
            declared_len: ip.payload.len(),
        };
        // A PIM Register's packet too, as the line and the flow view
        // find it.
        return match ip.ip_number.0 {
            4 | 41 => Some((Kind::Ip, p)),
            n => tunnel::ip_payload(n, carrier, &p).map(|t| (Kind::Encap(t), p)),
        };
    }
    let e = lax.ether_payload()?;
    let t = tunnel::ethertype(e.ether_type.0)?;
    let p = Payload {
        bytes: e.payload,
        declared_len: (pkt.orig_len as usize).saturating_sub(d.net_offset),
    };
    Some((Kind::Encap(t), p))
}

/// The `tunnel` list (one object per encapsulation, keyed by its name) and
/// the `inner` packet's object, both serialised; empty when the packet is
/// not a tunnel's.
fn tunnel_json(pkt: &Packet<'_>, d: &Decoded<'_>, depth: u8) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let (mut list, mut inner) = (Vec::new(), Vec::new());
    let Some((mut kind, mut p)) = outer_tunnel(pkt, d).filter(|_| depth < tunnel::MAX_DEPTH) else {
        return Ok((list, inner));
    };
    let mut layers = Vec::new();
    for _ in 0..tunnel::MAX_DEPTH {
        let Kind::Encap(t) = kind else { break };
        layers.push(serde_json::json!({ t.json_key: (t.json)(&p) }));
        let Some(next) = t.inner(&p) else {
            kind = Kind::Hex {
                ascii: false,
                cut_mark: "",
            };
            break;
        };
        kind = next.kind;
        p = Payload {
            bytes: next.bytes,
            declared_len: next.wire_len,
        };
    }
    if let Kind::Dissected(d) = kind {
        serde_json::to_writer(&mut list, &layers)?;
        serde_json::to_writer(&mut inner, &serde_json::json!({ d.json_key: (d.json)(&p) }))?;
        return Ok((list, inner));
    }
    if matches!(kind, Kind::Osi) {
        // An ISO CLNS PDU: its object as after LLC's SAP 0xfe.
        let d = dissect::clns(p.bytes);
        serde_json::to_writer(&mut list, &layers)?;
        serde_json::to_writer(&mut inner, &serde_json::json!({ d.json_key: (d.json)(&p) }))?;
        return Ok((list, inner));
    }
    if matches!(kind, Kind::Ip) && layers.is_empty() {
        layers.push(serde_json::json!({ "ipip": {} }));
    }
    serde_json::to_writer(&mut list, &layers)?;
    let link = match kind {
        Kind::Ethernet => LinkType::Ethernet,
        Kind::Ip | Kind::Ip6 => LinkType::Raw,
        _ => return Ok((list, inner)),
    };
    let inner_pkt = Packet {
        ts: pkt.ts,
        stamp: pkt.stamp,
        link,
        data: p.bytes,
        orig_len: u32::try_from(p.declared_len.max(p.bytes.len())).unwrap_or(u32::MAX),
    };
    let decoded = decode::decode(&inner_pkt);
    write_object(&mut inner, 0, &inner_pkt, &decoded, &[], depth + 1, None)?;
    Ok((list, inner))
}

/// The dissector's member for a TCP segment with payload: its key, with
/// the value serialised into `out`.
fn dissected_tcp(
    net: Option<&LaxNetSlice<'_>>,
    tcp: &TcpSlice<'_>,
    out: &mut Vec<u8>,
) -> io::Result<Option<&'static str>> {
    let len = tcp_payload_len(net, tcp.header_len());
    let Some(d) = dissect::for_payload(
        true,
        tcp.source_port(),
        tcp.destination_port(),
        tcp.payload(),
    )
    .filter(|_| len > 0) else {
        return Ok(None);
    };
    let p = Payload {
        bytes: tcp.payload(),
        declared_len: len,
    };
    serde_json::to_writer(out, &(d.json)(&p))?;
    Ok(Some(d.json_key))
}

/// [`dissected_tcp`] for a UDP datagram.
fn dissected_udp(
    net: Option<&LaxNetSlice<'_>>,
    udp: &UdpSlice<'_>,
    out: &mut Vec<u8>,
) -> io::Result<Option<&'static str>> {
    let Some(d) = dissect::for_payload(
        false,
        udp.source_port(),
        udp.destination_port(),
        udp.payload(),
    )
    .filter(|_| udp.length() >= 8) else {
        return Ok(None);
    };
    let p = Payload {
        bytes: udp.payload(),
        declared_len: udp.length() as usize - 8,
    };
    // The printers told the IP version (AODV, OLSR) read the packet's
    // ends, as they do for the line.
    let ends = match net {
        Some(LaxNetSlice::Ipv4(ip)) => Some((
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        )),
        Some(LaxNetSlice::Ipv6(ip)) => Some((
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        )),
        _ => None,
    };
    let ports = (udp.source_port(), udp.destination_port());
    let value = match ends {
        Some((src, dst)) => dissect::peers::with_packet(src, dst, ports, || (d.json)(&p)),
        None => (d.json)(&p),
    };
    serde_json::to_writer(out, &value)?;
    Ok(Some(d.json_key))
}

/// [`dissected_tcp`] for what neither TCP nor UDP carries: an IP
/// protocol (IGMP, VRRP, …), an EtherType (LLDP, IPX …) or an LLC SAP
/// (STP), also in an 802.11 data frame.
fn dissected_other(
    pkt: &Packet<'_>,
    decoded: &Decoded<'_>,
    out: &mut Vec<u8>,
) -> io::Result<Option<&'static str>> {
    let found = match decoded.lax.as_ref() {
        Some(lax) => match &lax.net {
            Some(LaxNetSlice::Ipv4(ip)) => ip_dissected(ip.payload(), IpVersion::V4),
            Some(LaxNetSlice::Ipv6(ip)) => ip_dissected(ip.payload(), IpVersion::V6),
            Some(_) => None,
            None => lax
                .ether_payload()
                .and_then(|e| dissect::frame(e.ether_type.0, e.payload)),
        },
        None => None,
    };
    let framed = || {
        let LinkInfo::Framed { link, .. } = decoded.link else {
            return None;
        };
        framed_dissected(pkt, &link_frame(pkt, link))
    };
    let Some((d, p)) = found.or_else(framed) else {
        return Ok(None);
    };
    serde_json::to_writer(out, &(d.json)(&p))?;
    Ok(Some(d.json_key))
}

/// What a framed link carries past its link header, as its line finds
/// it: an 802.11 data frame's LLC PDU (bare or behind radiotap) by SAP
/// or SNAP, else the ISO CLNS PDU of a PPP or Cisco HDLC frame.
fn framed_dissected<'a>(
    pkt: &Packet<'a>,
    f: &crate::dissect::link::Frame<'a>,
) -> Option<(&'static dissect::Dissector, Payload<'a>)> {
    use crate::dissect::link::{OsiPdu, llc_body, osi_pdu};
    if let Some(found) = llc_body(f).and_then(|body| dissect::llc_pdu(body.bytes, body.wire_len)) {
        return Some(found);
    }
    let OsiPdu::At { at, .. } = osi_pdu(f)? else {
        return None;
    };
    let p = Payload {
        bytes: pkt.data.get(at..)?,
        declared_len: (pkt.orig_len as usize).saturating_sub(at),
    };
    Some((dissect::clns(p.bytes), p))
}

/// The version of IP a packet's network layer is (none: not IP).
fn carrier(net: Option<&LaxNetSlice<'_>>) -> Option<IpVersion> {
    match net? {
        LaxNetSlice::Ipv4(_) => Some(IpVersion::V4),
        LaxNetSlice::Ipv6(_) => Some(IpVersion::V6),
        _ => None,
    }
}

/// The dissector of what IP of version `carrier` carries, as the line
/// finds it (none where tcpdump decodes the protocol over the other
/// version only).
fn ip_dissected<'a>(
    ip: &etherparse::LaxIpPayloadSlice<'a>,
    carrier: IpVersion,
) -> Option<(&'static dissect::Dissector, Payload<'a>)> {
    let d = dissect::ip_proto_over(ip.ip_number.0, carrier)?;
    Some((
        d,
        Payload {
            bytes: ip.payload,
            declared_len: ip.payload.len(),
        },
    ))
}

fn tcp_json(mut t: Obj<'_>, net: Option<&LaxNetSlice<'_>>, tcp: &TcpSlice<'_>) {
    t.uint(key!("ack"), tcp.acknowledgment_number());
    t.uint(key!("checksum"), tcp.checksum());
    t.uint(key!("dport"), tcp.destination_port());
    let flags = TcpFlags::of(tcp);
    t.raw(key!("flags"), |b| flags.put_quoted(b));
    t.usize(key!("header_len"), tcp.header_len());
    let mut a = t.array(key!("options"));
    for opt in tcp_options::iter(tcp.options()) {
        match opt {
            Ok(opt) => option_json(&mut a, opt),
            Err(e) => bad_option_json(&mut a, &e),
        }
    }
    a.close();
    t.usize(key!("payload_len"), tcp_payload_len(net, tcp.header_len()));
    t.uint(key!("seq"), tcp.sequence_number());
    t.uint(key!("sport"), tcp.source_port());
    t.uint(key!("urg"), tcp.urgent_pointer());
    t.uint(key!("win"), tcp.window_size());
    t.close();
}

fn icmp_json(mut i: Obj<'_>, version: u8, t: u8, c: u8, name: &str) {
    i.uint(key!("code"), c);
    i.str(key!("name"), name);
    i.uint(key!("type"), t);
    i.uint(key!("version"), version);
    i.close();
}

fn arp_json(mut a: Obj<'_>, arp: &etherparse::ArpPacketSlice<'_>) {
    let op = arp.operation().0;
    match op {
        1 => a.str(key!("op"), "request"),
        2 => a.str(key!("op"), "reply"),
        n => a.str(key!("op"), &n.to_string()),
    }
    // A protocol address is shown as IPv4 when it has IPv4's size.
    let addr = |a: &mut Obj<'_>, key: Key, b: &[u8]| match arp::ipv4(b) {
        Some(ip) => a.ipv4(key, ip),
        None => a.mac(key, b),
    };
    addr(&mut a, key!("sender_ip"), arp.sender_protocol_addr());
    a.mac(key!("sender_mac"), arp.sender_hw_addr());
    addr(&mut a, key!("target_ip"), arp.target_protocol_addr());
    a.mac(key!("target_mac"), arp.target_hw_addr());
    a.close();
}

/// Where the line stops in an IPv6 packet's extension headers, after an
/// authentication header ([`ipv6_ext::stop_after_ah`]).
fn ah_stop(net: Option<&LaxNetSlice<'_>>) -> Option<(usize, u8)> {
    let Some(LaxNetSlice::Ipv6(ip)) = net else {
        return None;
    };
    ipv6_ext::stop_after_ah(ip.header().next_header().0, ip.extensions().slice())
}

/// TCP payload length as the IP header says (not as captured).
fn tcp_payload_len(net: Option<&LaxNetSlice<'_>>, tcp_header_len: usize) -> usize {
    segment_len(net).saturating_sub(tcp_header_len)
}

/// The length of what IP carries after its header and extension headers
/// (IPv4's authentication header too, which etherparse slices as an
/// extension: the segment is what it protects), as the header declares
/// it (0: not IP).
fn segment_len(net: Option<&LaxNetSlice<'_>>) -> usize {
    match net {
        Some(LaxNetSlice::Ipv4(ip)) => {
            let ah = ip.extensions().auth.map_or(0, |a| a.slice().len());
            (ip.header().total_len() as usize)
                .saturating_sub(ip.header().slice().len())
                .saturating_sub(ah)
        }
        Some(LaxNetSlice::Ipv6(ip)) => {
            (ip.header().payload_length() as usize).saturating_sub(ip.extensions().slice().len())
        }
        _ => 0,
    }
}

/// Whether the packet's TCP header gives a length tcpdump calls bad
/// ([`partial::TcpHead::bad_length`]; etherparse then slices no TCP):
/// the line leaves the analysis marks off, and so does the object. The
/// header is found where the line finds it: what IP carries, or what an
/// authentication header etherparse did not slice (its length word 0,
/// eight bytes) protects, as tcpdump goes on after one.
fn tcp_unread(net: Option<&LaxNetSlice<'_>>, transport: Option<&TransportSlice<'_>>) -> bool {
    let Some(ip) = net.and_then(|n| n.ip_payload_ref()) else {
        return false;
    };
    if transport.is_some() {
        return false;
    }
    let declared = segment_len(net);
    let (proto, seg, declared) = match ip.ip_number {
        IpNumber::AUTHENTICATION_HEADER => {
            let Some(len) = tunnel::ah_len(ip.payload) else {
                return false;
            };
            let (next, rest) = tunnel::after_ah(ip.payload, len);
            (next, rest, declared.saturating_sub(len))
        }
        n => (n.0, ip.payload, declared),
    };
    proto == 6 && partial::TcpHead::new(seg).bad_length(declared)
}

/// An option whose length byte is wrong for its kind, below 2, past the
/// header or missing: `bad` (why, in [`tcp_options`]' words), its kind
/// (named as a whole one is) and the length byte, when there is one; no
/// value.
fn bad_option_json(a: &mut Arr<'_>, e: &tcp_options::OptError) {
    let mut o = a.object();
    o.str(key!("bad"), e.why);
    match e.kind {
        2 => o.str(key!("kind"), "mss"),
        3 => o.str(key!("kind"), "wscale"),
        4 => o.str(key!("kind"), "sackOK"),
        5 => o.str(key!("kind"), "sack"),
        8 => o.str(key!("kind"), "ts"),
        k => o.uint(key!("kind"), k),
    }
    if e.why != tcp_options::LENGTH_MISSING {
        o.usize(key!("len"), e.len);
    }
    o.close();
}

fn option_json(a: &mut Arr<'_>, opt: TcpOpt<'_>) {
    let mut o = a.object();
    match opt {
        TcpOpt::Eol => o.str(key!("kind"), "eol"),
        TcpOpt::Nop => o.str(key!("kind"), "nop"),
        TcpOpt::Mss(v) => {
            o.str(key!("kind"), "mss");
            o.uint(key!("value"), v);
        }
        TcpOpt::WindowScale(v) => {
            o.str(key!("kind"), "wscale");
            o.uint(key!("value"), v);
        }
        TcpOpt::SackPermitted => o.str(key!("kind"), "sackOK"),
        TcpOpt::Sack(d) => {
            let mut blocks = o.array(key!("blocks"));
            for (l, r) in tcp_options::sack_blocks(d) {
                let mut pair = blocks.array();
                pair.uint(l);
                pair.uint(r);
                pair.close();
            }
            blocks.close();
            o.str(key!("kind"), "sack");
        }
        TcpOpt::Timestamp { val, ecr } => {
            o.uint(key!("ecr"), ecr);
            o.str(key!("kind"), "ts");
            o.uint(key!("val"), val);
        }
        TcpOpt::Unknown { kind, data } => {
            o.uint(key!("kind"), kind);
            o.usize(key!("len"), data.len() + 2);
        }
    }
    o.close();
}

/// A framed link's packet as the link printers read it, for JSON: no `-e`,
/// no verbosity, no EtherType names (JSON names nothing by `-e`).
fn link_frame<'a>(pkt: &Packet<'a>, link: u32) -> crate::dissect::link::Frame<'a> {
    crate::dissect::link::Frame {
        link,
        data: pkt.data,
        orig_len: pkt.orig_len as usize,
        eflag: false,
        verbose: 0,
        ether_name: |_| "",
    }
}

/// MACsec's SecTAG (`eth.macsec`): `valid` false for a cut or invalid
/// tag (nothing else then); the association number, packet number,
/// flags as tcpdump names them, short length, channel id in hex, and
/// whether the payload is `confidential` (encrypted or changed).
fn macsec_json(mut m: Obj<'_>, tag: &crate::decode::macsec::SecTag) {
    use crate::decode::macsec::SecTag;
    let SecTag::Tag(t) = tag else {
        m.str(
            key!("state"),
            if *tag == SecTag::Cut {
                "cut"
            } else {
                "invalid"
            },
        );
        m.bool(key!("valid"), false);
        m.close();
        return;
    };
    m.uint(key!("an"), t.association());
    m.bool(key!("confidential"), t.confidential());
    m.str(key!("flags"), &t.flag_names().collect::<String>());
    m.uint(key!("pn"), t.packet_number);
    if let Some(sci) = t.sci {
        m.str(key!("sci"), &format!("{sci:016x}"));
    }
    m.uint(key!("short_len"), t.short_len);
    m.bool(key!("valid"), true);
    m.close();
}
