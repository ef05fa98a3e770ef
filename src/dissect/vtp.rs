//! VTP, Cisco's VLAN trunking protocol (SNAP OUI 0x00000c, PID 0x2003),
//! as `tcpdump -n` prints it: `VTPv2, Message Summary advertisement
//! (0x01), length 76`; at `-v` the management domain and the message's
//! fields — a summary's revision, updater, timestamp and MD5 digest, a
//! subset's VLANs (status, type, id, MTU, SAID, name and their 1-byte
//! TLVs), a request's start value — and ` (invalid)` where a length
//! contradicts the message. tcpdump reads it with `GET_` macros and checks
//! the whole message at the default level and after ` (invalid)`.

use super::ctl::{ipv4_at, json_object, line_is_level_0, out, put_text_nul, tok};
use super::dns::text::put_hex_dump;
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static VTP: Dissector = Dissector::new("vtp", line, verbose, to_json, looks_like_vtp);

fn looks_like_vtp(m: &[u8]) -> bool {
    matches!(m.get(..2), Some(&[1..=3, 1..=4]))
}

/// The fixed header: version, code, one byte, the domain's length and 32
/// bytes of domain name.
const HEADER: usize = 36;

const MESSAGES: &[(u8, &str)] = &[
    (1, "Summary advertisement"),
    (2, "Subset advertisement"),
    (3, "Advertisement request"),
    (4, "Join message"),
];

/// What the header's third byte is, by message.
const THIRD_BYTE: &[(u8, &str)] = &[
    (1, "Followers"),
    (2, "Seq number"),
    (3, "Rsvd"),
    (4, "Rsvd"),
];

const VLAN_TYPES: &[(u8, &str)] = &[
    (1, "Ethernet"),
    (2, "FDDI"),
    (3, "TrCRF"),
    (4, "FDDI-net"),
    (5, "TrBRF"),
];

const VLAN_STATUS: &[(u8, &str)] = &[(0, "Operational"), (1, "Suspended")];

const VLAN_TLVS: &[(u8, &str)] = &[
    (1, "Source-Routing Ring Number TLV"),
    (2, "Source-Routing Bridge Number TLV"),
    (3, "STP type TLV"),
    (4, "Parent VLAN TLV"),
    (5, "Translationally bridged VLANs TLV"),
    (6, "Pruning TLV"),
    (7, "Bridge Type TLV"),
    (8, "Max ARP Hop Count TLV"),
    (9, "Max STE Hop Count TLV"),
    (10, "Backup CRF Mode TLV"),
];

const STP_TYPES: &[(u16, &str)] = &[(1, "SRT"), (2, "SRB"), (3, "Auto")];

/// A VLAN's fixed part before its name.
const VLAN_FIXED: usize = 12;

/// Something contradicts the message: tcpdump's ` (invalid)`.
struct Invalid;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    match fields(w, m, len, v)? {
        Ok(()) => Ok(()),
        Err(Invalid) => {
            w.extend_from_slice(b" (invalid)");
            need(m, 0, len)
        }
    }
}

/// The message's text: `Err` where the capture ends, `Ok(Err(Invalid))`
/// where a length is wrong.
fn fields(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<Result<(), Invalid>> {
    if len < HEADER {
        return Ok(Err(Invalid));
    }
    need(m, 0, HEADER)?;
    let kind = u8_at(m, 1)?;
    out!(
        w,
        "VTPv{}, Message {} (0x{kind:02x}), length {len}",
        u8_at(m, 0)?,
        tok(MESSAGES, kind).unwrap_or("Unknown message type")
    );
    if v == 0 {
        need(m, 0, len)?;
        return Ok(Ok(()));
    }
    w.extend_from_slice(b"\n\tDomain name: ");
    let domain_len = u8_at(m, 3)?;
    if !(1..=32).contains(&domain_len) {
        out!(w, " [invalid MgmtD Len {domain_len}]");
        return Ok(Err(Invalid));
    }
    put_text_nul(w, m, 4, usize::from(domain_len))?;
    out!(
        w,
        ", {}: {}",
        tok(THIRD_BYTE, kind).unwrap_or("Unknown"),
        u8_at(m, 2)?
    );
    let at = HEADER;
    match kind {
        1 => {
            out!(
                w,
                "\n\t  Config Rev {:x}, Updater {}",
                u32_at(m, at)?,
                ipv4_at(m, at + 4)?
            );
            out!(
                w,
                ", Timestamp 0x{:08x} 0x{:08x} 0x{:08x}",
                u32_at(m, at + 8)?,
                u32_at(m, at + 12)?,
                u32_at(m, at + 16)?
            );
            // The digest is read whole before any of it is printed.
            let md5 = bytes_at::<16>(m, at + 20)?;
            w.extend_from_slice(b", MD5 digest: ");
            for b in md5 {
                out!(w, "{b:02x}");
            }
        }
        2 => {
            out!(w, ", Config Rev {:x}", u32_at(m, at)?);
            return vlans(w, m, at + 4, len);
        }
        3 => out!(w, "\n\tStart value: {}", u32_at(m, at)?),
        _ => {}
    }
    Ok(Ok(()))
}

/// A subset advertisement's VLAN records, from `at` to the message's end.
fn vlans(w: &mut Vec<u8>, m: &[u8], mut at: usize, end: usize) -> Res<Result<(), Invalid>> {
    while at < end {
        let mut len = usize::from(u8_at(m, at)?);
        if len == 0 {
            break;
        }
        need(m, at, len)?;
        if len < VLAN_FIXED {
            return Ok(Err(Invalid));
        }
        out!(
            w,
            "\n\tVLAN info status {}, type {}, VLAN-id {}, MTU {}, SAID 0x{:08x}, Name ",
            tok(VLAN_STATUS, u8_at(m, at + 1)?).unwrap_or("Unknown"),
            tok(VLAN_TYPES, u8_at(m, at + 2)?).unwrap_or("Unknown"),
            u16_at(m, at + 4)?,
            u16_at(m, at + 6)?,
            u32_at(m, at + 8)?
        );
        let name_len = usize::from(u8_at(m, at + 3)?);
        len -= VLAN_FIXED;
        at += VLAN_FIXED;
        // Names are padded to 32-bit words.
        let padded = name_len.div_ceil(4) * 4;
        if len < padded {
            return Ok(Err(Invalid));
        }
        put_text_nul(w, m, at, name_len)?;
        len -= padded;
        at += padded;
        while len != 0 {
            if len < 2 {
                return Ok(Err(Invalid));
            }
            let (t, words) = (u8_at(m, at)?, usize::from(u8_at(m, at + 1)?));
            out!(
                w,
                "\n\t\t{} (0x{t:04x}) TLV",
                tok(VLAN_TLVS, t).unwrap_or("Unknown")
            );
            let size = 2 + 2 * words;
            if len < size {
                w.extend_from_slice(b" (TLV goes past the end of the packet)");
                return Ok(Err(Invalid));
            }
            need(m, at, size)?;
            if words != 1 {
                out!(w, " (invalid TLV length {words} != 1)");
                return Ok(Err(Invalid));
            }
            vlan_tlv(w, m, at, t)?;
            len -= size;
            at += size;
        }
    }
    Ok(Ok(()))
}

/// A VLAN TLV of one 16-bit word at `at` (its type `t`).
fn vlan_tlv(w: &mut Vec<u8>, m: &[u8], at: usize, t: u8) -> Res<()> {
    let value = u16_at(m, at + 2)?;
    let named = |yes: &'static str, no: &'static str| if value == 1 { yes } else { no };
    match t {
        9 => out!(w, ", {value}"),
        6 => out!(w, ", {} ({value})", named("Enabled", "Disabled")),
        3 => out!(
            w,
            ", {} ({value})",
            tok(STP_TYPES, value).unwrap_or("Unknown")
        ),
        7 => out!(w, ", {} ({value})", named("SRB", "SRT")),
        10 => out!(w, ", {} ({value})", named("Backup", "Not backup")),
        _ => put_hex_dump(w, m.get(at..at + 4).unwrap_or(&[]), b"\n\t\t  "),
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let kind = u8_at(m, 1)?;
    o.insert("version".into(), json!(u8_at(m, 0)?));
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(tok(MESSAGES, kind)));
    let domain_len = usize::from(u8_at(m, 3)?).min(32);
    let domain = m.get(4..4 + domain_len).unwrap_or(&[]);
    let domain = domain.split(|&b| b == 0).next().unwrap_or(&[]);
    o.insert("domain".into(), json!(String::from_utf8_lossy(domain)));
    match kind {
        1 => {
            o.insert("config_revision".into(), json!(u32_at(m, HEADER)?));
            o.insert("updater".into(), json!(ipv4_at(m, HEADER + 4)?.to_string()));
        }
        2 => {
            o.insert("config_revision".into(), json!(u32_at(m, HEADER)?));
            let mut list = Vec::new();
            let mut at = HEADER + 4;
            while let Ok(len) = u8_at(m, at).map(usize::from) {
                if len < VLAN_FIXED {
                    break;
                }
                let name_len = usize::from(u8_at(m, at + 3)?);
                let name = m.get(at + VLAN_FIXED..at + VLAN_FIXED + name_len);
                list.push(json!({
                    "status": u8_at(m, at + 1)?,
                    "type": u8_at(m, at + 2)?,
                    "id": u16_at(m, at + 4)?,
                    "mtu": u16_at(m, at + 6)?,
                    "said": u32_at(m, at + 8)?,
                    "name": String::from_utf8_lossy(name.unwrap_or(&[])),
                }));
                at += len;
            }
            o.insert("vlans".into(), Value::Array(list));
        }
        3 => drop(o.insert("start_value".into(), json!(u32_at(m, HEADER)?))),
        _ => {}
    }
    Ok(())
}
