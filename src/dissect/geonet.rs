//! ETSI GeoNetworking (EtherTypes 0x8947 and the older 0x0707) as
//! `tcpdump -n` prints it: `GeoNet src:02:00:00:00:00:01; v:0 NH:1-BTP-A
//! HT:5-0-TopoScopeBcast-SH HopLim:1 Payload:8 GN_ADDR:… lat:… lon:…;
//! BTP Dst:2001 Src:0; ItsPduHeader v:1 t:2-unknown (2)` — the frame's
//! source address (none through SNAP), the common header (version, next
//! header, header type and subtype, hop limit, payload length, the
//! sender's position vector), then for the header types whose extended
//! header tcpdump knows the size of, the BTP ports and the ITS PDU
//! header; at `-v` the rest in hex and ASCII.
//!
//! tcpdump reads every field unchecked and its checks jump too: a
//! capture cut anywhere ends with its `longjmp`.

use super::ctl::{json_object, out, put_hex_ascii, put_mac, tok};
use super::wire::{Res, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

/// The EtherTypes tcpdump hands to its GeoNetworking printer.
pub const ETHERTYPES: [u16; 2] = [0x8947, 0x0707];

/// The printer as the EtherType table finds it, where no link address
/// comes with the payload (SNAP); Ethernet's printer calls [`write`]
/// with the frame's source.
pub static GEONET: Dissector = Dissector::new("geonet", line, verbose, to_json, looks_like_geonet);

/// The common header's length and a known next header.
fn looks_like_geonet(m: &[u8]) -> bool {
    m.len() >= COMMON && m[0] & 0x0f <= 3
}

/// The common header: basic fields and the long position vector.
const COMMON: usize = 36;

const ITS_MESSAGES: &[(u8, &str)] = &[
    (0, "CAM"),
    (1, "DENM"),
    (101, "TPEGM"),
    (102, "TSPDM"),
    (103, "VPM"),
    (104, "SRM"),
    (105, "SLAM"),
    (106, "ecoCAM"),
    (107, "ITM"),
    (150, "SA"),
];

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    write(w, None, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    write(w, None, p, v)
}

/// The header type's name, from its type and subtype.
fn header_type_name(kind: u8, subtype: u8) -> &'static str {
    match (kind, subtype) {
        (0, _) => "Any",
        (1, _) => "Beacon",
        (2, _) => "GeoUnicast",
        (3, 0) => "GeoAnycastCircle",
        (3, 1) => "GeoAnycastRect",
        (3, 2) => "GeoAnycastElipse",
        (4, 0) => "GeoBroadcastCircle",
        (4, 1) => "GeoBroadcastRect",
        (4, 2) => "GeoBroadcastElipse",
        (5, 0) => "TopoScopeBcast-SH",
        (5, 1) => "TopoScopeBcast-MH",
        (6, 0) => "LocService-Request",
        (6, 1) => "LocService-Reply",
        _ => "Unknown",
    }
}

/// The size of the extended header after the common one, where tcpdump
/// knows it (and so goes on to the BTP header).
fn extended_size(kind: u8, subtype: u8) -> Option<usize> {
    match (kind, subtype) {
        (0 | 1, _) | (5, 0) => Some(0),
        (5, 1) => Some(68 - COMMON),
        _ => None,
    }
}

/// The line of a GeoNetworking packet whose link source is `src`.
/// (a MAC address, or IP over FireWire's EUI-64).
pub fn write(w: &mut Vec<u8>, src: Option<&[u8]>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, mut length) = (p.bytes, p.declared_len);
    w.extend_from_slice(b"GeoNet ");
    if let Some(mac) = src {
        w.extend_from_slice(b"src:");
        put_mac(w, mac);
    }
    w.extend_from_slice(b"; ");
    if length < COMMON {
        out!(w, " (common header length {length} < 36) (invalid)");
        return Ok(());
    }
    let (first, second) = (u8_at(m, 0)?, u8_at(m, 1)?);
    let (next, kind, subtype) = (first & 0x0f, second >> 4, second & 0x0f);
    let (payload_len, hop_limit) = (u16_at(m, 4)?, u8_at(m, 7)?);
    let next_name = ["Any", "BTP-A", "BTP-B", "IPv6"]
        .get(usize::from(next))
        .unwrap_or(&"Unknown");
    out!(
        w,
        "v:{} NH:{next}-{next_name} HT:{kind}-{subtype}-{} HopLim:{hop_limit} Payload:{payload_len} ",
        first >> 4,
        header_type_name(kind, subtype)
    );
    // The address is read whole before it prints, each number after.
    need(m, 8, 8)?;
    w.extend_from_slice(b"GN_ADDR:");
    put_mac(w, &m[8..16]);
    w.push(b' ');
    out!(w, "lat:{} ", u32_at(m, 20)?);
    out!(w, "lon:{}", u32_at(m, 24)?);
    need(m, 0, COMMON)?;
    length -= COMMON;
    let mut at = COMMON;
    if let Some(size) = extended_size(kind, subtype) {
        if length < size {
            out!(w, " (header size {size} > {length}) (invalid)");
            return Ok(());
        }
        need(m, at, size)?;
        length -= size;
        at += size;
        if matches!(next, 1 | 2) {
            if length < 4 {
                out!(w, " (BTP length {length} < 4) (invalid)");
                return Ok(());
            }
            out!(w, "; BTP Dst:{}", u16_at(m, at)?);
            out!(w, " Src:{}", u16_at(m, at + 2)?);
            length -= 4;
            at += 4;
            if length >= 2 {
                out!(w, "; ItsPduHeader v:{}", u8_at(m, at)?);
                let t = u8_at(m, at + 1)?;
                match tok(ITS_MESSAGES, t) {
                    Some(name) => out!(w, " t:{t}-{name}"),
                    None => out!(w, " t:{t}-unknown ({t})"),
                }
            }
        }
    }
    if v > 0 {
        put_hex_ascii(w, m, at, length, "\n\t")?;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let (first, second) = (u8_at(m, 0)?, u8_at(m, 1)?);
    o.insert("version".into(), json!(first >> 4));
    o.insert("next_header".into(), json!(first & 0x0f));
    o.insert("header_type".into(), json!(second >> 4));
    o.insert("header_subtype".into(), json!(second & 0x0f));
    o.insert(
        "header_type_name".into(),
        json!(header_type_name(second >> 4, second & 0x0f)),
    );
    o.insert("payload_length".into(), json!(u16_at(m, 4)?));
    o.insert("hop_limit".into(), json!(u8_at(m, 7)?));
    need(m, 8, 8)?;
    let mut addr = Vec::new();
    put_mac(&mut addr, &m[8..16]);
    o.insert("gn_addr".into(), json!(String::from_utf8_lossy(&addr)));
    o.insert("latitude".into(), json!(u32_at(m, 20)?));
    o.insert("longitude".into(), json!(u32_at(m, 24)?));
    Ok(())
}
