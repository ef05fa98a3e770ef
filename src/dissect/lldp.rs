//! LLDP (EtherType 0x88cc, IEEE 802.1AB) as `tcpdump -n` prints it: the
//! default line is `LLDP, length 282: sw1.example` (the system name);
//! `-v` puts each TLV on its own line (chassis and port ids by subtype,
//! TTL, descriptions, capabilities, management addresses, and the
//! organisation TLVs of IEEE 802.1 and 802.3, LLDP-MED, DCBX and IANA in
//! `ieee` and `med`) and dumps in hex what it does not decode; `-vv` dumps
//! every TLV. A TLV longer than the frame ends the line in ` [|lldp]`.

mod ieee;
mod med;

use super::ctl::{
    Bit, ipv4_at, json_object_with_list, line_is_level_0, out, put_bits, put_mac_at, put_text_nul,
    tok,
};
use super::dns::text::{put_hex_dump, put_ipv6};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static LLDP: Dissector = Dissector::new("lldp", line, verbose, to_json, looks_like_lldp);

fn looks_like_lldp(m: &[u8]) -> bool {
    m.first().is_some_and(|b| b >> 1 == 1)
}

const TLVS: &[(u16, &str)] = &[
    (0, "End"),
    (1, "Chassis ID"),
    (2, "Port ID"),
    (3, "Time to Live"),
    (4, "Port Description"),
    (5, "System Name"),
    (6, "System Description"),
    (7, "System Capabilities"),
    (8, "Management Address"),
    (127, "Organization specific"),
];

const CHASSIS_SUBTYPES: &[(u8, &str)] = &[
    (1, "Chassis component"),
    (2, "Interface alias"),
    (3, "Port component"),
    (4, "MAC address"),
    (5, "Network address"),
    (6, "Interface name"),
    (7, "Local"),
];

const PORT_SUBTYPES: &[(u8, &str)] = &[
    (1, "Interface alias"),
    (2, "Port component"),
    (3, "MAC address"),
    (4, "Network Address"),
    (5, "Interface Name"),
    (6, "Agent circuit ID"),
    (7, "Local"),
];

const CAPS: &[Bit] = &[
    (1 << 0, "Other"),
    (1 << 1, "Repeater"),
    (1 << 2, "Bridge"),
    (1 << 3, "WLAN AP"),
    (1 << 4, "Router"),
    (1 << 5, "Telephone"),
    (1 << 6, "Docsis"),
    (1 << 7, "Station Only"),
];

/// tcpdump's OUI names (its first entry wins where two share a number).
pub(super) const OUIS: &[(u32, &str)] = &[
    (0x000000, "Ethernet"),
    (0x00000c, "Cisco"),
    (0x00005e, "IANA"),
    (0x000081, "Nortel Networks SONMP"),
    (0x0000f8, "Cisco bridged"),
    (0x0080c2, "Ethernet bridged"),
    (0x00a03e, "ATM Forum"),
    (0x00e02f, "DOCSIS Spanning Tree"),
    (0x080007, "Appletalk"),
    (0x009069, "Juniper"),
    (0x080009, "Hewlett-Packard"),
    (0x00120f, "IEEE 802.3 Private"),
    (0x0012bb, "ANSI/TIA"),
    (0x001b21, "DCBX"),
    (0x002320, "Nicira Networks"),
    (0x5c16c7, "Big Switch Networks"),
    (0xb0d2f5, "Vello Systems"),
    (0x002481, "HP"),
    (0x0004ea, "HP-Labs"),
    (0x748771, "Infoblox Inc"),
    (0xa42305, "Open Networking Lab"),
    (0x00049f, "Freescale"),
    (0x0015ad, "Netronome"),
    (0x001018, "Broadcom"),
    (0x00e004, "PMC-Sierra"),
    (0xd0f0db, "Ericsson"),
];

/// Address families (RFC 1700's numbers), as tcpdump names them (BGP's
/// AFIs too).
pub(super) const AFS: &[(u8, &str)] = &[
    (0, "Reserved"),
    (1, "IPv4"),
    (2, "IPv6"),
    (3, "NSAP"),
    (4, "HDLC"),
    (5, "BBN 1822"),
    (6, "802"),
    (7, "E.163"),
    (8, "E.164"),
    (9, "F.69"),
    (10, "X.121"),
    (11, "Novell IPX"),
    (12, "Appletalk"),
    (13, "Decnet IV"),
    (14, "Banyan Vines"),
    (15, "E.164 with NSAP subaddress"),
    (25, "VPLS"),
    (196, "Layer-2 VPN"),
];

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    let len = p.declared_len;
    out!(w, "LLDP, length {len}");
    let mut at = 0usize;
    let mut left = len;
    while left >= 2 {
        let tlv = u16_at(m, at)?;
        let (kind, tlv_len) = (tlv >> 9, usize::from(tlv & 0x01ff));
        left -= 2;
        at += 2;
        if v > 0 {
            let name = tok(TLVS, kind).unwrap_or("Unknown");
            out!(w, "\n\t{name} TLV ({kind}), length {tlv_len}");
        }
        if kind == 0 || tlv_len == 0 {
            break;
        }
        let value = m.get(at..at + tlv_len).ok_or(Truncated)?;
        if left < tlv_len {
            return Err(Truncated);
        }
        let hexdump = tlv_text(w, kind, value, v)?;
        if v > 1 || (v > 0 && hexdump) {
            put_hex_dump(w, value, b"\n\t  ");
        }
        left -= tlv_len;
        at += tlv_len;
    }
    Ok(())
}

/// One TLV's text; `true` when tcpdump dumps it in hex at `-v` too.
fn tlv_text(w: &mut Vec<u8>, kind: u16, t: &[u8], v: u8) -> Res<bool> {
    if kind == 5 {
        // The system name is on the default line too.
        w.extend_from_slice(b": ");
        put_text_nul(w, t, 0, t.len())?;
        return Ok(false);
    }
    if v == 0 {
        return Ok(false);
    }
    match kind {
        1 | 2 => {
            if t.len() < 2 {
                return Err(Truncated);
            }
            let subtype = u8_at(t, 0)?;
            let (names, mac, network) = if kind == 1 {
                (CHASSIS_SUBTYPES, 4, 5)
            } else {
                (PORT_SUBTYPES, 3, 4)
            };
            let name = tok(names, subtype).unwrap_or("Unknown");
            out!(w, "\n\t  Subtype {name} ({subtype}): ");
            match subtype {
                s if s == mac => {
                    if t.len() < 7 {
                        return Err(Truncated);
                    }
                    put_mac_at(w, t, 1)?;
                }
                s if s == network => network_addr(w, t.get(1..).unwrap_or(&[]))?,
                1..=7 => put_text_nul(w, t, 1, t.len() - 1)?,
                _ => return Ok(true),
            }
        }
        3 => {
            if t.len() < 2 {
                return Err(Truncated);
            }
            out!(w, ": TTL {}s", u16_at(t, 0)?);
        }
        4 => {
            w.extend_from_slice(b": ");
            put_text_nul(w, t, 0, t.len())?;
        }
        6 => {
            w.extend_from_slice(b"\n\t  ");
            put_text_nul(w, t, 0, t.len())?;
        }
        7 => {
            if t.len() < 4 {
                return Err(Truncated);
            }
            let (cap, enabled) = (u16_at(t, 0)?, u16_at(t, 2)?);
            w.extend_from_slice(b"\n\t  System  Capabilities [");
            put_bits(w, CAPS, u32::from(cap), "none");
            out!(w, "] (0x{cap:04x})\n\t  Enabled Capabilities [");
            put_bits(w, CAPS, u32::from(enabled), "none");
            out!(w, "] (0x{enabled:04x})");
        }
        8 => mgmt_addr(w, t)?,
        127 => {
            if t.len() < 3 {
                return Err(Truncated);
            }
            let oui = u32::from_be_bytes([0, u8_at(t, 0)?, u8_at(t, 1)?, u8_at(t, 2)?]);
            let name = tok(OUIS, oui).unwrap_or("Unknown");
            out!(w, ": OUI {name} (0x{oui:06x})");
            return match oui {
                0x0080c2 => ieee::ieee_8021(w, t),
                0x00120f => ieee::ieee_8023(w, t),
                0x00005e => med::iana(w, t),
                0x0012bb => med::tia(w, t),
                0x001b21 => med::dcbx(w, t, v),
                _ => Ok(true),
            };
        }
        _ => return Ok(true),
    }
    Ok(false)
}

/// `AFI IPv4 (1): 192.0.2.1`: an address after its family number.
fn network_addr(w: &mut Vec<u8>, a: &[u8]) -> Res<()> {
    let af = *a.first().ok_or(Truncated)?;
    let rest = a.len() - 1;
    let name = tok(AFS, af).unwrap_or("Unknown");
    let need = match af {
        1 => 4,
        2 => 16,
        6 => 6,
        _ => {
            out!(w, "AFI {name} ({af}), no AF printer !");
            return Ok(());
        }
    };
    if rest < need {
        return Err(Truncated);
    }
    out!(w, "AFI {name} ({af}): ");
    match af {
        1 => out!(w, "{}", ipv4_at(a, 1)?),
        2 => put_ipv6(w, &bytes_at::<16>(a, 1)?),
        _ => put_mac_at(w, a, 1)?,
    }
    Ok(())
}

fn mgmt_addr(w: &mut Vec<u8>, t: &[u8]) -> Res<()> {
    let addr_len = usize::from(u8_at(t, 0)?);
    let addr = t.get(1..1 + addr_len).ok_or(Truncated)?;
    let mut text = Vec::new();
    network_addr(&mut text, addr)?;
    out!(w, "\n\t  Management Address length {addr_len}, ");
    w.extend_from_slice(&text);
    let at = 1 + addr_len;
    if t.len() < at + 5 {
        return Err(Truncated);
    }
    let numbering = u8_at(t, at)?;
    let name = match numbering {
        2 => "Interface Index",
        3 => "System Port Number",
        _ => "Unknown",
    };
    out!(
        w,
        "\n\t  {name} Interface Numbering ({numbering}): {}",
        u32_at(t, at + 1)?
    );
    let at = at + 5;
    if t.len() > at {
        let oid_len = usize::from(u8_at(t, at)?);
        if t.len() < at + 1 + oid_len {
            return Err(Truncated);
        }
        if oid_len > 0 {
            out!(w, "\n\t  OID length {oid_len}");
            put_text_nul(w, t, at + 1, oid_len)?;
        }
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("tlvs", |o, tlvs| json_tlvs(o, tlvs, p.bytes))
}

fn text(t: &[u8]) -> String {
    let end = t.iter().position(|&b| b == 0).unwrap_or(t.len());
    String::from_utf8_lossy(t.get(..end).unwrap_or(t)).into_owned()
}

fn json_tlvs(o: &mut Map<String, Value>, tlvs: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    let mut at = 0;
    while at + 2 <= m.len() {
        let tlv = u16_at(m, at)?;
        let (kind, len) = (tlv >> 9, usize::from(tlv & 0x01ff));
        at += 2;
        if kind == 0 {
            break;
        }
        let t = m.get(at..at + len).ok_or(Truncated)?;
        let mut entry = json!({"type": kind, "len": len});
        if let (127, Ok(oui), Ok(subtype)) = (kind, u32_at(t, 0), u8_at(t, 3)) {
            // The organisation (its OUI) and its own TLV number.
            entry["oui"] = json!(format!("{:06x}", oui >> 8));
            entry["subtype"] = json!(subtype);
        }
        tlvs.push(entry);
        // An id is text, or a MAC address for that subtype.
        let id = |t: &[u8], mac: u8| {
            let mut w = Vec::new();
            match (t.first(), put_mac_at(&mut w, t, 1)) {
                (Some(&s), Ok(())) if s == mac => json!(String::from_utf8_lossy(&w)),
                _ => json!(text(t.get(1..).unwrap_or(&[]))),
            }
        };
        match kind {
            1 => o.insert("chassis_id".into(), id(t, 4)),
            2 => o.insert("port_id".into(), id(t, 3)),
            3 => o.insert("ttl".into(), json!(u16_at(t, 0)?)),
            4 => o.insert("port_description".into(), json!(text(t))),
            5 => o.insert("system_name".into(), json!(text(t))),
            6 => o.insert("system_description".into(), json!(text(t))),
            7 => o.insert("capabilities".into(), json!([u16_at(t, 0)?, u16_at(t, 2)?])),
            _ => None,
        };
        at += len;
    }
    Ok(())
}
