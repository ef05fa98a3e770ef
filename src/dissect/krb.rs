//! Kerberos on UDP ports 88 and 750, as `tcpdump -n` prints it: the
//! protocol version (` v5` for an AS-REQ or AS-REP — tcpdump decodes no
//! ASN.1 and names no other version 5 message, so a TGS-REQ prints
//! nothing after the ports), and version 4's messages in full (byte
//! order, type, principal names, lifetime, lengths, error codes). The
//! same at every `-v` level.
//!
//! The JSON object names version 5 messages by their ASN.1 application
//! tag (`AS-REQ`, `KRB-ERROR`, …), which tcpdump leaves undecoded; on TCP
//! port 88 (where tcpdump prints no Kerberos at all) the record marker is
//! skipped and only the JSON gains the object. Zeek's service is `krb`
//! (`krb_tcp` on TCP).

use super::ctl::{json_object, out, tok};
use super::dns::text::put_char;
use super::wire::{Res, u8_at, u16_at};
use super::{Dissector, Payload, Stop, Truncated, jumped};
use serde_json::{Map, Value, json};

/// Kerberos on UDP 88 and 750.
pub static KRB: Dissector =
    Dissector::new("krb", line, |w, p, _| line(w, p), to_json, looks_like_krb);

/// Kerberos on TCP 88: no line (tcpdump has no TCP printer), the JSON
/// after the 4-byte record marker (RFC 4120 §7.2.2).
pub static KRB_TCP: Dissector = Dissector {
    name: "krb",
    json_key: "krb",
    line: None,
    verbose: None,
    json: |p| to_json(&Payload::whole(p.bytes.get(4..).unwrap_or(&[]))),
    service: "krb_tcp",
    recognise: |m| m.get(4..).is_some_and(looks_like_krb),
};

/// Version 4's message types (the low bit is the byte order).
const V4_TYPES: &[(u8, &str)] = &[
    (2, "KDC_REQUEST"),
    (4, "KDC_REPLY"),
    (6, "APPL_REQUEST"),
    (8, "APPL_REQUEST_MUTUAL"),
    (10, "ERR_REPLY"),
    (12, "PRIVATE"),
    (14, "SAFE"),
    (16, "APPL_ERR"),
    (126, "DIE"),
];

const V4_ERRORS: &[(u16, &str)] = &[
    (0, "OK"),
    (1, "NAME_EXP"),
    (2, "SERVICE_EXP"),
    (3, "AUTH_EXP"),
    (4, "PKT_VER"),
    (5, "NAME_MAST_KEY_VER"),
    (6, "SERV_MAST_KEY_VER"),
    (7, "BYTE_ORDER"),
    (8, "PRINCIPAL_UNKNOWN"),
    (9, "PRINCIPAL_NOT_UNIQUE"),
    (10, "NULL_KEY"),
];

/// Version 5's messages by ASN.1 application tag (RFC 4120 §5.10).
const V5_TYPES: &[(u8, &str)] = &[
    (10, "AS-REQ"),
    (11, "AS-REP"),
    (12, "TGS-REQ"),
    (13, "TGS-REP"),
    (14, "AP-REQ"),
    (15, "AP-REP"),
    (20, "KRB-SAFE"),
    (21, "KRB-PRIV"),
    (22, "KRB-CRED"),
    (30, "KRB-ERROR"),
];

/// A version 5 message's application tag number, from its first byte
/// (an application-class constructed tag).
fn v5_tag(first: u8) -> Option<u8> {
    (first & 0xe0 == 0x60)
        .then_some(first & 0x1f)
        .filter(|t| tok(V5_TYPES, *t).is_some())
}

fn looks_like_krb(m: &[u8]) -> bool {
    match m.first() {
        Some(&4) => m.len() > 2,
        Some(&b) => v5_tag(b).is_some() && m.len() > 2,
        None => false,
    }
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let version = u8_at(m, 0)?;
    match version {
        1..=3 => out!(w, " v{version}"),
        4 => {
            w.extend_from_slice(b" v4");
            v4(w, m)?;
        }
        // tcpdump's test for version 5 is an AS-REQ's or AS-REP's tag.
        0x6a | 0x6b => w.extend_from_slice(b" v5"),
        _ => {}
    }
    Ok(())
}

/// tcpdump's `c_print`: a NUL-terminated string from `at`, escaped; the
/// offset after its NUL. A string the capture cuts before its NUL ends
/// the line.
fn put_cstr(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<usize> {
    let rest = m.get(at..).unwrap_or(&[]);
    for (i, &c) in rest.iter().enumerate() {
        if c == 0 {
            return Ok(at + i + 1);
        }
        put_char(w, c);
    }
    Err(Truncated)
}

/// `name.instance@realm` from `at`.
fn put_principal(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<usize> {
    let at = put_cstr(w, m, at)?;
    w.push(b'.');
    let at = put_cstr(w, m, at)?;
    w.push(b'@');
    put_cstr(w, m, at)
}

/// Whether a cut line ended by tcpdump's `longjmp`: its version 4 printer
/// checks each string before printing it but reads the type byte and the
/// numbers between the strings unchecked.
pub(super) fn cut_jumps(p: &Payload<'_>) -> bool {
    u8_at(p.bytes, 0) == Ok(4) && matches!(v4(&mut Vec::new(), p.bytes), Err(Stop::Jumped))
}

/// Version 4's message: `Err(Stop::Checked)` where a string is cut,
/// `Err(Stop::Jumped)` where a number is.
fn v4(w: &mut Vec<u8>, m: &[u8]) -> Result<(), Stop> {
    let u8_at = |m: &[u8], at| u8_at(m, at).map_err(jumped);
    let b1 = u8_at(m, 1)?;
    let little = b1 & 1 != 0;
    let kind = b1 & 0xfe;
    let u16_in_order = |at| {
        u16_at(m, at)
            .map(|v| if little { v.swap_bytes() } else { v })
            .map_err(jumped)
    };
    out!(w, " {} ", if little { "le" } else { "be" });
    match tok(V4_TYPES, kind) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "#{kind}"),
    }
    w.extend_from_slice(b": ");
    match kind {
        2 => {
            let at = put_principal(w, m, 2)? + 4;
            out!(w, " {}min ", u32::from(u8_at(m, at)?) * 5);
            let at = put_cstr(w, m, at + 1)?;
            w.push(b'.');
            put_cstr(w, m, at)?;
        }
        6 => {
            out!(w, "v{} ", u8_at(m, 2)?);
            let at = put_cstr(w, m, 3)?;
            out!(w, " ({})", u8_at(m, at)?);
            out!(w, " ({})", u8_at(m, at + 1)?);
        }
        4 => {
            let at = put_principal(w, m, 2)? + 10;
            out!(w, " ({})", u16_in_order(at)?);
        }
        10 => {
            let at = put_principal(w, m, 2)? + 4;
            let code = u16_in_order(at)?;
            match tok(V4_ERRORS, code) {
                Some(name) => out!(w, " {name} "),
                None => out!(w, " #{code} "),
            }
            put_cstr(w, m, at + 4)?;
        }
        _ => w.extend_from_slice(b"(unknown)"),
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let first = u8_at(m, 0)?;
    if first == 4 {
        o.insert("version".into(), json!(4));
        let kind = u8_at(m, 1)? & 0xfe;
        o.insert("msg_type".into(), json!(kind));
        o.insert("msg_type_name".into(), json!(tok(V4_TYPES, kind)));
        return Ok(());
    }
    let tag = v5_tag(first).ok_or(Truncated)?;
    o.insert("version".into(), json!(5));
    o.insert("msg_type".into(), json!(tag));
    o.insert("msg_type_name".into(), json!(tok(V5_TYPES, tag)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_version_5_only_for_as_messages() {
        assert_eq!(KRB.printed(&[0x6a, 0x81, 0], 0), " v5");
        assert_eq!(KRB.printed(&[0x6c, 0x81, 0], 0), "");
        assert_eq!(KRB.printed(&[], 0), " [|krb]");
    }

    #[test]
    fn test_v4_messages_and_a_cut_name() {
        let kdc: &[u8] = b"\x04\x02abc\0def\0ghi\0\0\0\0\0\x05xy\0zz\0";
        let err: &[u8] = b"\x04\x0ba\0b\0c\0\0\0\0\0\x08\0\0\0zz\0";
        for (m, keep, want) in [
            (
                kdc,
                kdc.len(),
                " v4 be KDC_REQUEST: abc.def@ghi 25min xy.zz",
            ),
            (kdc, 9, " v4 be KDC_REQUEST: abc.def [|krb]"),
            (
                err,
                err.len(),
                " v4 le ERR_REPLY: a.b@c PRINCIPAL_UNKNOWN zz",
            ),
        ] {
            assert_eq!(KRB.printed_cut(m, keep, 0), want);
        }
    }
}
