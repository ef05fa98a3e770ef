//! UDLD, Cisco's unidirectional link detection (RFC 5171; SNAP OUI
//! 0x00000c, PID 0x0111), as `tcpdump -n` prints it: `UDLDv1, Code Probe
//! message (1), Flags [RT] (0x01), length 60`; at `-v` the checksum and
//! each TLV by name and length with its value (device and port ids, echo,
//! intervals, sequence number), ` (invalid)` where a length contradicts
//! the message. tcpdump reads it with `GET_` macros throughout and checks
//! the whole message even at the default level.

use super::ctl::{
    Bit, cisco_tlvs_json, invalid, json_object_with_list, line_is_level_0, out, put_bits,
    put_text_nul, tok,
};
use super::dns::text::put_chars;
use super::wire::{Res, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static UDLD: Dissector = Dissector::new("udld", line, verbose, to_json, looks_like_udld);

/// Version 1 in the top three bits, a known opcode below them.
fn looks_like_udld(m: &[u8]) -> bool {
    matches!(m.first(), Some(b) if b >> 5 == 1 && b & 0x1f <= 3)
}

const CODES: &[(u8, &str)] = &[
    (0, "Reserved"),
    (1, "Probe message"),
    (2, "Echo message"),
    (3, "Flush message"),
];

const FLAGS: &[Bit] = &[
    (0x01, "RT"),
    (0x02, "RSY"),
    (0x04, "MBZ-2"),
    (0x08, "MBZ-3"),
    (0x10, "MBZ-4"),
    (0x20, "MBZ-5"),
    (0x40, "MBZ-6"),
    (0x80, "MBZ-7"),
];

const TLVS: &[(u16, &str)] = &[
    (1, "Device-ID TLV"),
    (2, "Port-ID TLV"),
    (3, "Echo TLV"),
    (4, "Message Interval TLV"),
    (5, "Timeout Interval TLV"),
    (6, "Device Name TLV"),
    (7, "Sequence Number TLV"),
];

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < 4 {
        return invalid(w, m, 0, len);
    }
    let (first, flags) = (u8_at(m, 0)?, u8_at(m, 1)?);
    let code = first & 0x1f;
    out!(
        w,
        "UDLDv{}, Code {} ({code:x}), Flags [",
        first >> 5,
        tok(CODES, code).unwrap_or("Reserved")
    );
    put_bits(w, FLAGS, u32::from(flags), "none");
    out!(w, "] (0x{flags:02x}), length {len}");
    if v == 0 {
        // tcpdump checks the rest was captured.
        return need(m, 2, len - 2);
    }
    out!(w, "\n\tChecksum 0x{:04x} (unverified)", u16_at(m, 2)?);
    let (mut at, mut left) = (4, len - 4);
    while left > 0 {
        if left < 4 {
            return invalid(w, m, at, left);
        }
        let (t, tlv_len) = (u16_at(m, at)?, u16_at(m, at + 2)?);
        at += 4;
        left -= 4;
        out!(
            w,
            "\n\t{} (0x{t:04x}) TLV, length {tlv_len}",
            tok(TLVS, t).unwrap_or("Unknown")
        );
        let n = usize::from(tlv_len);
        if n <= 4 || left < n - 4 {
            return invalid(w, m, at, left);
        }
        let n = n - 4;
        match t {
            1 | 2 | 6 => {
                w.extend_from_slice(b", ");
                put_text_nul(w, m, at, n)?;
            }
            3 => {
                w.extend_from_slice(b", ");
                put_chars(w, m, at, n)?;
            }
            4 | 5 if n == 1 => out!(w, ", {}s", u8_at(m, at)?),
            7 if n == 4 => out!(w, ", {}", u32_at(m, at)?),
            4 | 5 | 7 => return invalid(w, m, at, left),
            _ => need(m, at, n)?,
        }
        at += n;
        left -= n;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("tlvs", |o, tlvs| json_fields(o, tlvs, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, tlvs: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    let first = u8_at(m, 0)?;
    o.insert("version".into(), json!(first >> 5));
    o.insert("opcode".into(), json!(first & 0x1f));
    o.insert(
        "opcode_name".into(),
        json!(tok(CODES, first & 0x1f).unwrap_or("Reserved")),
    );
    o.insert("flags".into(), json!(u8_at(m, 1)?));
    o.insert("checksum".into(), json!(u16_at(m, 2)?));
    cisco_tlvs_json(tlvs, m, 4, TLVS, |t, len, value, whole| {
        if len == 4 {
            return false;
        }
        let key = match t {
            1 => Some("device_id"),
            2 => Some("port_id"),
            6 => Some("device_name"),
            _ => None,
        };
        if let Some(key) = key {
            o.insert(key.into(), json!(String::from_utf8_lossy(value)));
        }
        // A value cut by the capture is no number.
        match (t, value) {
            (4, &[s]) if whole => drop(o.insert("message_interval".into(), json!(s))),
            (5, &[s]) if whole => drop(o.insert("timeout_interval".into(), json!(s))),
            (7, &[a, b, c, d]) if whole => drop(o.insert(
                "sequence_number".into(),
                json!(u32::from_be_bytes([a, b, c, d])),
            )),
            _ => {}
        }
        true
    })
}
