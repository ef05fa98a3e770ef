//! EAPOL, IEEE 802.1X (EtherType 0x888e), as `tcpdump -n` prints it:
//! `EAP packet (0) v2, len 5` (start, logoff, key and ASF alert named the
//! same way); at `-v` the EAP packet inside — `Response (2), id 1, len 14`
//! and its type: the identity or notification text, a NAK's proposed
//! types, TLS/TTLS/FAST flags and length, SIM/AKA subtypes.

use super::ctl::{
    Bit, json_head, json_object, line_is_level_0, out, put_bits, put_text_nul, put_tok_num, tok,
};
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static EAPOL: Dissector =
    Dissector::new("eap", line, verbose, to_json, looks_like_eapol).known_as("eapol", "eapol");

fn looks_like_eapol(m: &[u8]) -> bool {
    matches!(m, [1..=3, 0..=4, ..])
}

const FRAME_TYPES: &[(u8, &str)] = &[
    (0, "EAP packet"),
    (1, "EAPOL start"),
    (2, "EAPOL logoff"),
    (3, "EAPOL key"),
    (4, "Encapsulated ASF alert"),
];

const CODES: &[(u8, &str)] = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Success"),
    (4, "Failure"),
];

const TYPES: &[(u8, &str)] = &[
    (0, "No proposed"),
    (1, "Identity"),
    (2, "Notification"),
    (3, "Nak"),
    (4, "MD5-challenge"),
    (5, "OTP"),
    (6, "GTC"),
    (13, "TLS"),
    (18, "SIM"),
    (21, "TTLS"),
    (23, "AKA"),
    (43, "FAST"),
    (254, "Expanded types"),
    (255, "Experimental"),
];

const TLS_FLAGS: &[Bit] = &[
    (0x80, "L bit"),
    (0x40, "More fragments bit"),
    (0x20, "Start bit"),
];

const AKA_SUBTYPES: &[(u8, &str)] = &[
    (1, "Challenge"),
    (2, "Auth reject"),
    (4, "Sync failure"),
    (5, "Identity"),
    (10, "Start"),
    (11, "Challenge"),
    (12, "Notification"),
    (13, "Reauth"),
    (14, "Client error"),
];

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    if m.len() < 4 {
        return Err(Truncated);
    }
    let kind = u8_at(m, 1)?;
    let len = u16_at(m, 2)?;
    out!(
        w,
        "{} ({kind}) v{}, len {len}",
        tok(FRAME_TYPES, kind).unwrap_or("unknown"),
        u8_at(m, 0)?
    );
    if v == 0 || kind != 0 {
        return Ok(());
    }
    if len == 0 {
        return Err(Truncated);
    }
    w.extend_from_slice(b", ");
    eap(w, m, 4, usize::from(len))
}

/// An EAP packet (RFC 3748) at `at`, `length` long by EAPOL's count
/// (RADIUS's EAP-Message attribute shows one too).
pub(super) fn eap(w: &mut Vec<u8>, m: &[u8], at: usize, length: usize) -> Res<()> {
    let code = u8_at(m, at)?;
    let len = usize::from(u16_at(m, at + 2)?);
    if len != length {
        w.extend_from_slice(b"EAP fragment?");
        return Ok(());
    }
    let id = u8_at(m, at + 1)?;
    put_tok_num(w, CODES, code);
    out!(w, ", id {id}, len {len}");
    if len < 4 {
        w.extend_from_slice(b" (too short for EAP header)");
        return Ok(());
    }
    if m.len() < at + len {
        return Err(Truncated);
    }
    if code != 1 && code != 2 {
        return Ok(());
    }
    if len < 5 {
        w.extend_from_slice(b" (too short for EAP request/response)");
        return Ok(());
    }
    let t = u8_at(m, at + 4)?;
    w.extend_from_slice(b"\n\t\t Type ");
    put_tok_num(w, TYPES, t);
    let short =
        |w: &mut Vec<u8>, what: &str| out!(w, " (too short for EAP {what} request/response)");
    match t {
        1 if len > 5 => {
            w.extend_from_slice(b", Identity: ");
            put_text_nul(w, m, at + 5, len - 5)?;
        }
        2 if len < 6 => short(w, "Notification"),
        2 => {
            w.extend_from_slice(b", Notification: ");
            put_text_nul(w, m, at + 5, len - 5)?;
        }
        3 if len < 6 => short(w, "Legacy NAK"),
        3 => {
            let mut sep = "";
            for i in 5..len {
                let proposed = u8_at(m, at + i)?;
                out!(w, "{sep} ");
                put_tok_num(w, TYPES, proposed);
                sep = ",";
            }
        }
        13 | 21 | 43 => {
            let what = if t == 43 { "FAST" } else { "TLS/TTLS" };
            if len < 6 {
                short(w, what);
                return Ok(());
            }
            let flags = u8_at(m, at + 5)?;
            match t {
                21 => out!(w, " TTLSv{}", flags & 7),
                43 => out!(w, " FASTv{}", flags & 7),
                _ => {}
            }
            w.extend_from_slice(b" flags [");
            put_bits(w, TLS_FLAGS, u32::from(flags), "none");
            out!(w, "] 0x{flags:02x}");
            if flags & 0x80 != 0 {
                if len < 10 {
                    out!(
                        w,
                        " (too short for EAP {what} request/response with length)"
                    );
                    return Ok(());
                }
                out!(w, ", len {}", u32_at(m, at + 6)?);
            }
        }
        18 | 23 => {
            if len < 6 {
                short(w, "SIM/AKA");
                return Ok(());
            }
            let sub = u8_at(m, at + 5)?;
            out!(
                w,
                " subtype [{}] 0x{sub:02x}",
                tok(AKA_SUBTYPES, sub).unwrap_or("unknown")
            );
        }
        _ => {}
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let kind = json_head(o, m, FRAME_TYPES)?;
    if kind == 0 {
        let code = u8_at(m, 4)?;
        o.insert("eap_code".into(), json!(code));
        o.insert("eap_id".into(), json!(u8_at(m, 5)?));
        if code == 1 || code == 2 {
            let t = u8_at(m, 8)?;
            o.insert("eap_type".into(), json!(t));
            o.insert("eap_type_name".into(), json!(tok(TYPES, t)));
            if t == 1 {
                let len = usize::from(u16_at(m, 6)?);
                let id = m.get(9..4 + len).ok_or(Truncated)?;
                o.insert("identity".into(), json!(String::from_utf8_lossy(id)));
            }
        }
    }
    Ok(())
}
