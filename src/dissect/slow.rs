//! The slow protocols (EtherType 0x8809, IEEE 802.3 annex 57A): LACP and
//! the marker protocol as `tcpdump -n` prints them — `LACPv1, length 110`,
//! and at `-v` each TLV (actor and partner system, priority, key, port and
//! state flags; collector delay; marker request), `-vv` adding each TLV
//! in hex. An unknown subtype is named with its bytes in hex. OAM
//! (subtype 3) is `oam`'s at `-v`.

use super::ctl::{Bit, json_object, line_is_level_0, out, put_bits, put_mac_at, tok};
use super::dns::text::put_hex_dump;
use super::wire::{Res, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static SLOW: Dissector = Dissector::new("slow", line, verbose, to_json, looks_like_slow);

fn looks_like_slow(m: &[u8]) -> bool {
    matches!(m, [1 | 2, 1, ..] | [3, ..])
}

const SUBTYPES: &[(u8, &str)] = &[(1, "LACP"), (2, "MARKER"), (3, "OAM")];
const STATE: &[Bit] = &[
    (0x01, "Activity"),
    (0x02, "Timeout"),
    (0x04, "Aggregation"),
    (0x08, "Synchronization"),
    (0x10, "Collecting"),
    (0x20, "Distributing"),
    (0x40, "Default"),
    (0x80, "Expired"),
];

line_is_level_0!();

fn too_short(w: &mut Vec<u8>, v: u8) -> Res<()> {
    w.extend_from_slice(if v == 0 {
        b" (packet is too short)"
    } else {
        b"\n\t\t packet is too short"
    });
    Ok(())
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < 1 {
        return too_short(w, v);
    }
    let subtype = u8_at(m, 0)?;
    let name = tok(SUBTYPES, subtype).unwrap_or("");
    match subtype {
        1 | 2 => {
            if len < 2 {
                return too_short(w, v);
            }
            let version = u8_at(m, 1)?;
            if version != 1 {
                out!(w, "{name} version {version} packet not supported");
                return Ok(());
            }
            out!(w, "{name}v{version}, length {len}");
        }
        3 => out!(w, "{name}, length {len}"),
        _ => {
            out!(w, "unknown ({subtype}), length {len}");
            let rest = m.get(..len).unwrap_or(m);
            put_hex_dump(w, rest, b"\n\t");
            return Ok(());
        }
    }
    if v == 0 {
        return Ok(());
    }
    if subtype == 3 {
        return super::oam::write(w, m, len, v);
    }
    tlvs(w, m, len - 2, subtype, v)
}

/// The slow protocols' TLV at `at` (`left` bytes from there in the PDU),
/// as LACP, the marker protocol and OAM check it: named by `name`, then
/// its kind and length once it is whole and captured; `None` where the
/// list ends (the terminator, a length below 2, too few bytes left, each
/// with tcpdump's words).
pub(super) fn tlv_head(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    left: usize,
    name: impl Fn(&mut Vec<u8>, u8, usize),
) -> Res<Option<(u8, usize)>> {
    if left < 2 {
        w.extend_from_slice(TOO_SHORT);
        return Ok(None);
    }
    let (kind, tlv_len) = (u8_at(m, at)?, usize::from(u8_at(m, at + 1)?));
    name(w, kind, tlv_len);
    if kind == 0 {
        return Ok(None);
    }
    if tlv_len < 2 {
        w.extend_from_slice(b"\n\t    ERROR: illegal length - should be >= 2");
        return Ok(None);
    }
    if left < tlv_len {
        w.extend_from_slice(TOO_SHORT);
        return Ok(None);
    }
    // The whole TLV must have been captured before any of it is read.
    need(m, at, tlv_len)?;
    Ok(Some((kind, tlv_len)))
}

/// tcpdump's words where a PDU ends before what comes next, at `-v`.
pub(super) const TOO_SHORT: &[u8] = b"\n\t\t packet is too short";

fn tlvs(w: &mut Vec<u8>, m: &[u8], mut left: usize, subtype: u8, v: u8) -> Res<()> {
    let mut at = 2;
    while left > 0 {
        let name = |w: &mut Vec<u8>, kind: u8, tlv_len: usize| {
            let name = match (subtype, kind) {
                (_, 0) => "Terminator",
                (1, 1) => "Actor Information",
                (1, 2) => "Partner Information",
                (1, 3) => "Collector Information",
                (2, 1) => "Marker Information",
                _ => "Unknown",
            };
            out!(w, "\n\t{name} TLV (0x{kind:02x}), length {tlv_len}");
        };
        let Some((kind, tlv_len)) = tlv_head(w, m, at, left, name)? else {
            return Ok(());
        };
        let body = at + 2;
        let body_len = tlv_len - 2;
        let mut dump = v > 1;
        match (subtype, kind) {
            (1, 1 | 2) if body_len != 18 => {
                w.extend_from_slice(b"\n\t    ERROR: illegal length - should be 20");
            }
            (1, 1 | 2) => {
                w.extend_from_slice(b"\n\t  System ");
                put_mac_at(w, m, body + 2)?;
                let (prio, key, port, port_prio) = (
                    u16_at(m, body)?,
                    u16_at(m, body + 8)?,
                    u16_at(m, body + 12)?,
                    u16_at(m, body + 10)?,
                );
                out!(
                    w,
                    ", System Priority {prio}, Key {key}, Port {port}, Port Priority {port_prio}\n\t  State Flags ["
                );
                put_bits(w, STATE, u32::from(u8_at(m, body + 14)?), "none");
                w.push(b']');
            }
            (1, 3) if body_len != 14 => {
                w.extend_from_slice(b"\n\t    ERROR: illegal length - should be 16");
            }
            (1, 3) => out!(w, "\n\t  Max Delay {}", u16_at(m, body)?),
            (2, 1) if body_len != 14 => {
                w.extend_from_slice(b"\n\t    ERROR: illegal length - should be 16");
            }
            (2, 1) => {
                w.extend_from_slice(b"\n\t  Request System ");
                put_mac_at(w, m, body + 2)?;
                let (port, id) = (u16_at(m, body)?, u32_at(m, body + 8)?);
                out!(
                    w,
                    ", Request Port {port}, Request Transaction ID 0x{id:08x}"
                );
            }
            _ => dump = true,
        }
        if dump {
            put_hex_dump(w, m.get(body..at + tlv_len).unwrap_or(&[]), b"\n\t  ");
        }
        at += tlv_len;
        left -= tlv_len;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let subtype = u8_at(m, 0)?;
    o.insert("subtype".into(), json!(subtype));
    if subtype == 3 {
        return super::oam::json_fields(o, m);
    }
    o.insert("version".into(), json!(u8_at(m, 1)?));
    let mac = |at: usize| -> Res<String> {
        let mut w = Vec::new();
        put_mac_at(&mut w, m, at)?;
        Ok(String::from_utf8_lossy(&w).into_owned())
    };
    if subtype == 1 {
        for (key, at) in [("actor", 4usize), ("partner", 24)] {
            o.insert(
                key.into(),
                json!({
                    "system_priority": u16_at(m, at)?,
                    "system": mac(at + 2)?,
                    "key": u16_at(m, at + 8)?,
                    "port_priority": u16_at(m, at + 10)?,
                    "port": u16_at(m, at + 12)?,
                    "state": u8_at(m, at + 14)?,
                }),
            );
        }
    }
    Ok(())
}
