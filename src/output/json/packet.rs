//! `--json`: one JSON object per packet, one per line, one key per layer
//! (`eth`, `ip`/`arp`, `tcp`/`udp`/`icmp`, then the application protocol's
//! own key from its dissector, e.g. `dns`). Field names are
//! stable and documented in the README ("JSON fields"); a layer that is not
//! present is absent, never null, so `jq 'select(.tcp)'` works.

use crate::decode::tcp_options::{self, TcpOpt};
use crate::decode::{Decoded, LinkInfo, arp, ipv6_ext, names};
use crate::dissect::{self, Payload};
use crate::output::fmt::Mac;
use crate::output::packet::TcpFlags;
use crate::output::time::rfc3339;
use crate::packet::Packet;
use etherparse::{LaxLinkExtSlice, LaxNetSlice, LinkSlice, TransportSlice};
use serde_json::{Map, Value, json};
use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Write `pkt` as one JSON line. `number` counts from 1; `analysis` holds
/// the TCP analysis marks (e.g. `retransmission`).
pub fn write_packet(
    w: &mut dyn Write,
    number: u64,
    pkt: &Packet<'_>,
    d: &Decoded<'_>,
    analysis: &[String],
) -> io::Result<()> {
    let mut o = Map::new();
    o.insert("n".into(), json!(number));
    o.insert("ts".into(), json!(rfc3339(pkt.ts)));
    o.insert("ts_ns".into(), json!(pkt.ts.0));
    o.insert("link".into(), json!(pkt.link.name()));
    o.insert("caplen".into(), json!(pkt.data.len()));
    o.insert("len".into(), json!(pkt.orig_len));
    o.insert("truncated".into(), json!(pkt.is_truncated()));
    if let LinkInfo::Cooked {
        packet_type,
        ifindex,
        protocol,
    } = d.link
    {
        o.insert(
            "sll".into(),
            json!({"packet_type": packet_type, "ifindex": ifindex, "protocol": protocol}),
        );
    }
    if let Some(lax) = &d.lax {
        if let Some(LinkSlice::Ethernet2(eth)) = &lax.link {
            let vlans: Vec<Value> = lax
                .link_exts
                .iter()
                .filter_map(|e| match e {
                    LaxLinkExtSlice::Vlan(v) => Some(json!(v.vlan_identifier().value())),
                    _ => None,
                })
                .collect();
            let mut e = Map::new();
            e.insert("src".into(), json!(Mac(&eth.source()).to_string()));
            e.insert("dst".into(), json!(Mac(&eth.destination()).to_string()));
            e.insert("type".into(), json!(eth.ether_type().0));
            if !vlans.is_empty() {
                e.insert("vlan".into(), Value::Array(vlans));
            }
            o.insert("eth".into(), Value::Object(e));
        }
        if let Some((name, layer)) = net_json(&lax.net) {
            o.insert(name.into(), layer);
        }
        match &lax.transport {
            Some(TransportSlice::Tcp(tcp)) => {
                let options: Vec<Value> = tcp_options::iter(tcp.options())
                    .filter_map(|o| o.ok())
                    .map(option_json)
                    .collect();
                o.insert(
                    "tcp".into(),
                    json!({
                        "sport": tcp.source_port(),
                        "dport": tcp.destination_port(),
                        "flags": TcpFlags::of(tcp).as_str(),
                        "seq": tcp.sequence_number(),
                        "ack": tcp.acknowledgment_number(),
                        "win": tcp.window_size(),
                        "urg": tcp.urgent_pointer(),
                        "header_len": tcp.header_len(),
                        "checksum": tcp.checksum(),
                        "options": options,
                        "payload_len": tcp_payload_len(&lax.net, tcp.header_len()),
                    }),
                );
                let len = tcp_payload_len(&lax.net, tcp.header_len());
                if len > 0
                    && let Some(d) = dissect::tcp(tcp.source_port(), tcp.destination_port())
                {
                    let p = Payload {
                        bytes: tcp.payload(),
                        declared_len: len,
                    };
                    o.insert(d.json_key.into(), (d.json)(&p));
                }
            }
            Some(TransportSlice::Udp(udp)) => {
                o.insert(
                    "udp".into(),
                    json!({
                        "sport": udp.source_port(),
                        "dport": udp.destination_port(),
                        "len": udp.length(),
                        "checksum": udp.checksum(),
                        "payload_len": (udp.length() as usize).saturating_sub(8),
                    }),
                );
                if udp.length() >= 8
                    && let Some(d) = dissect::udp(udp.source_port(), udp.destination_port())
                {
                    let p = Payload {
                        bytes: udp.payload(),
                        declared_len: udp.length() as usize - 8,
                    };
                    o.insert(d.json_key.into(), (d.json)(&p));
                }
            }
            Some(TransportSlice::Icmpv4(icmp)) => {
                let (t, c) = (icmp.type_u8(), icmp.code_u8());
                o.insert(
                    "icmp".into(),
                    json!({"version": 4, "type": t, "code": c, "name": names::icmpv4_type(t)}),
                );
            }
            Some(TransportSlice::Icmpv6(icmp)) => {
                let (t, c) = (icmp.type_u8(), icmp.code_u8());
                o.insert(
                    "icmp".into(),
                    json!({"version": 6, "type": t, "code": c, "name": names::icmpv6_type(t)}),
                );
            }
            _ => {}
        }
    }
    if !analysis.is_empty() {
        o.insert("analysis".into(), json!(analysis));
    }
    if let Some(p) = &d.problem {
        o.insert("problem".into(), json!(p.to_string()));
    }
    o.insert("malformed".into(), json!(d.is_malformed()));
    serde_json::to_writer(&mut *w, &Value::Object(o)).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

/// The network layer's object and its key (`ip` or `arp`).
fn net_json(net: &Option<LaxNetSlice<'_>>) -> Option<(&'static str, Value)> {
    let layer = match net.as_ref()? {
        LaxNetSlice::Ipv4(ip) => {
            let h = ip.header();
            json!({
                "version": 4,
                "src": Ipv4Addr::from(h.source()).to_string(),
                "dst": Ipv4Addr::from(h.destination()).to_string(),
                "ttl": h.ttl(),
                "id": h.identification(),
                "proto": h.protocol().0,
                "len": h.total_len(),
                "df": h.dont_fragment(),
                "mf": h.more_fragments(),
                "frag_offset": h.fragments_offset().value() as u32 * 8,
                "options_len": h.options().len(),
            })
        }
        LaxNetSlice::Ipv6(ip) => {
            let h = ip.header();
            let exts: Vec<Value> = ipv6_ext::iter(h.next_header().0, ip.extensions().slice())
                .map(|e| json!(e.name()))
                .collect();
            json!({
                "version": 6,
                "src": Ipv6Addr::from(h.source()).to_string(),
                "dst": Ipv6Addr::from(h.destination()).to_string(),
                "hop_limit": h.hop_limit(),
                "next_header": h.next_header().0,
                "proto": ip.payload().ip_number.0,
                "payload_len": h.payload_length(),
                "flow_label": h.flow_label().value(),
                "ext": exts,
            })
        }
        LaxNetSlice::Arp(arp) => {
            let op = match arp.operation().0 {
                1 => "request".to_string(),
                2 => "reply".to_string(),
                n => n.to_string(),
            };
            // A protocol address is shown as IPv4 when it has IPv4's size.
            let addr = |b: &[u8]| match arp::ipv4(b) {
                Some(a) => a.to_string(),
                None => Mac(b).to_string(),
            };
            return Some((
                "arp",
                json!({
                    "op": op,
                    "sender_mac": Mac(arp.sender_hw_addr()).to_string(),
                    "sender_ip": addr(arp.sender_protocol_addr()),
                    "target_mac": Mac(arp.target_hw_addr()).to_string(),
                    "target_ip": addr(arp.target_protocol_addr()),
                }),
            ));
        }
    };
    Some(("ip", layer))
}

/// TCP payload length as the IP header says (not as captured).
fn tcp_payload_len(net: &Option<LaxNetSlice<'_>>, tcp_header_len: usize) -> usize {
    let seg = match net {
        Some(LaxNetSlice::Ipv4(ip)) => {
            (ip.header().total_len() as usize).saturating_sub(ip.header().slice().len())
        }
        Some(LaxNetSlice::Ipv6(ip)) => {
            (ip.header().payload_length() as usize).saturating_sub(ip.extensions().slice().len())
        }
        _ => 0,
    };
    seg.saturating_sub(tcp_header_len)
}

fn option_json(opt: TcpOpt<'_>) -> Value {
    match opt {
        TcpOpt::Eol => json!({"kind": "eol"}),
        TcpOpt::Nop => json!({"kind": "nop"}),
        TcpOpt::Mss(v) => json!({"kind": "mss", "value": v}),
        TcpOpt::WindowScale(v) => json!({"kind": "wscale", "value": v}),
        TcpOpt::SackPermitted => json!({"kind": "sackOK"}),
        TcpOpt::Sack(d) => {
            let blocks: Vec<Value> = tcp_options::sack_blocks(d)
                .map(|(l, r)| json!([l, r]))
                .collect();
            json!({"kind": "sack", "blocks": blocks})
        }
        TcpOpt::Timestamp { val, ecr } => json!({"kind": "ts", "val": val, "ecr": ecr}),
        TcpOpt::Unknown { kind, data } => json!({"kind": kind, "len": data.len() + 2}),
    }
}
