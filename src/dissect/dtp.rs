//! DTP, Cisco's dynamic trunking protocol (SNAP OUI 0x00000c, PID
//! 0x2004), as `tcpdump -n` prints it: `DTPv1, length 38`; at `-v` each
//! TLV by name and length with its value (the VTP domain, status and
//! trunk type bytes, the neighbor's MAC address), ` (invalid)` after a
//! length that contradicts the message. tcpdump reads it with `GET_`
//! macros, and at the default level reads nothing past the version.

use super::ctl::{
    cisco_tlvs_json, invalid, json_object_with_list, line_is_level_0, out, put_mac, put_text_nul,
    tok,
};
use super::wire::{Res, bytes_at, need, u8_at, u16_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static DTP: Dissector = Dissector::new("dtp", line, verbose, to_json, looks_like_dtp);

fn looks_like_dtp(m: &[u8]) -> bool {
    m.first() == Some(&1)
}

const TLVS: &[(u16, &str)] = &[
    (1, "Domain"),
    (2, "Status"),
    (3, "DTP type"),
    (4, "Neighbor"),
];

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < 1 {
        w.extend_from_slice(b"[zero packet length]");
        return invalid(w, m, 0, len);
    }
    out!(w, "DTPv{}, length {len}", u8_at(m, 0)?);
    if v == 0 {
        return Ok(());
    }
    let (mut at, mut left) = (1, len - 1);
    while left > 0 {
        if left < 4 {
            out!(w, "[{left} bytes remaining]");
            return invalid(w, m, at, left);
        }
        let (t, tlv_len) = (u16_at(m, at)?, u16_at(m, at + 2)?);
        // tcpdump stops quietly at a type 0 (padding seen on the wire).
        if t == 0 {
            return Ok(());
        }
        out!(
            w,
            "\n\t{} (0x{t:04x}) TLV, length {tlv_len}",
            tok(TLVS, t).unwrap_or("Unknown")
        );
        let n = usize::from(tlv_len);
        if n < 4 || n > left {
            out!(w, "[invalid TLV length {tlv_len}]");
            return invalid(w, m, at, left);
        }
        match t {
            1 => {
                w.extend_from_slice(b", ");
                put_text_nul(w, m, at + 4, n - 4)?;
            }
            2 | 3 if n == 5 => out!(w, ", 0x{:x}", u8_at(m, at + 4)?),
            4 if n == 10 => {
                // The address is read before anything of it is printed.
                let mac = bytes_at::<6>(m, at + 4)?;
                w.extend_from_slice(b", ");
                put_mac(w, &mac);
            }
            2..=4 => return invalid(w, m, at, left),
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
    o.insert("version".into(), json!(u8_at(m, 0)?));
    cisco_tlvs_json(tlvs, m, 1, TLVS, |t, _, value, whole| {
        // A value cut by the capture is no number or address.
        match (t, value) {
            (0, _) => return false,
            (1, _) => {
                let name = value.split(|&b| b == 0).next().unwrap_or(&[]);
                o.insert("domain".into(), json!(String::from_utf8_lossy(name)));
            }
            (2, &[s]) if whole => drop(o.insert("status".into(), json!(s))),
            (3, &[s]) if whole => drop(o.insert("dtp_type".into(), json!(s))),
            (4, &[_, _, _, _, _, _]) if whole => {
                let mut mac = Vec::new();
                put_mac(&mut mac, value);
                o.insert("neighbor".into(), json!(String::from_utf8_lossy(&mac)));
            }
            _ => {}
        }
        true
    })
}
