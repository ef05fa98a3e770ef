//! RSVP (IP protocol 46, RFC 2205, RSVP-TE's RFC 3209, refresh reduction's
//! RFC 2961), as `tcpdump -n` prints it: `RSVPv1 Path Message, length:
//! 52` at the default level; at `-v` the common header on a line of its
//! own (type, flags, length, TTL, checksum) and each object after it
//! (`objects.rs`), in a Bundle each sub-message's. A version other than 1
//! is `ERROR: RSVP version 0 packet not supported` at every level.

mod gmpls;
mod intserv;
mod json;
mod names;
mod objects;
mod route;
mod te;

use super::ctl::{json_object, out, put_bits, tok, unknown_data};
use super::wire::{Res, need, u8_at, u16_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static RSVP: Dissector = Dissector::new("rsvp", line, verbose, to_json, looks_like_rsvp);

/// The common header: version and flags, type, checksum, TTL, reserved,
/// length.
const HEADER: usize = 8;

const BUNDLE: u8 = 12;

fn looks_like_rsvp(m: &[u8]) -> bool {
    m.first().is_some_and(|b| b >> 4 == 1)
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

/// tcpdump checks the header and each whole object before it reads
/// them: a cut never ends by its `longjmp` (`-x` dumps from the IP
/// header).
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    need(m, 0, HEADER)?;
    let version = u8_at(m, 0)? >> 4;
    if version != 1 {
        out!(w, "ERROR: RSVP version {version} packet not supported");
        return Ok(());
    }
    let kind = u8_at(m, 1)?;
    if v == 0 {
        w.extend_from_slice(b"RSVPv1 ");
        match tok(names::MESSAGES, kind) {
            Some(name) => w.extend_from_slice(name.as_bytes()),
            None => out!(w, "unknown ({kind})"),
        }
        out!(w, " Message, length: {}", p.declared_len);
        return Ok(());
    }
    let len = usize::from(u16_at(m, 6)?);
    header_line(w, m, 0, "\n\t")?;
    if len < HEADER {
        out!(w, "ERROR: common header too short {len} < {HEADER}");
        return Ok(());
    }
    let body = len - HEADER;
    match kind {
        BUNDLE => bundle(w, m, body, v),
        1..=7 | 13..=15 | 20 => {
            objects::print(w, m, HEADER, body, "\n\t  ", v)?;
            Ok(())
        }
        _ => {
            unknown_data(w, m, HEADER, "\n\t    ", body);
            Ok(())
        }
    }
}

/// `RSVPv1 Path Message (1), Flags: [none], length: 52, ttl: 255,
/// checksum: 0x1234` for the header at `at`, after `indent`.
fn header_line(w: &mut Vec<u8>, m: &[u8], at: usize, indent: &str) -> Res<()> {
    let b0 = u8_at(m, at)?;
    let kind = u8_at(m, at + 1)?;
    out!(w, "{indent}RSVPv{} ", b0 >> 4);
    match tok(names::MESSAGES, kind) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "unknown, type: {kind}"),
    }
    out!(w, " Message ({kind}), Flags: [");
    put_bits(
        w,
        &[(0x01, "Refresh reduction capable")],
        u32::from(b0 & 0x0f),
        "none",
    );
    out!(
        w,
        "], length: {}, ttl: {}, checksum: 0x{:04x}",
        u16_at(m, at + 6)?,
        u8_at(m, at + 4)?,
        u16_at(m, at + 2)?
    );
    Ok(())
}

/// A Bundle's sub-messages, each a header and its objects.
fn bundle(w: &mut Vec<u8>, m: &[u8], mut left: usize, v: u8) -> Res<()> {
    let mut at = HEADER;
    while left != 0 {
        need(m, at, HEADER)?;
        let version = u8_at(m, at)? >> 4;
        if version != 1 {
            out!(w, "ERROR: RSVP version {version} packet not supported");
            return Ok(());
        }
        let sub = usize::from(u16_at(m, at + 6)?);
        header_line(w, m, at, "\n\t  ")?;
        if sub < HEADER {
            out!(w, "ERROR: common header too short {sub} < {HEADER}");
            return Ok(());
        }
        if left < sub {
            out!(w, "ERROR: common header too large {sub} > {left}");
            return Ok(());
        }
        if !objects::print(w, m, at + HEADER, sub - HEADER, "\n\t    ", v)? {
            return Ok(());
        }
        at += sub;
        left -= sub;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let b0 = u8_at(m, 0)?;
    o.insert("version".into(), json!(b0 >> 4));
    o.insert("flags".into(), json!(b0 & 0x0f));
    let kind = u8_at(m, 1)?;
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(tok(names::MESSAGES, kind)));
    o.insert("checksum".into(), json!(u16_at(m, 2)?));
    o.insert("ttl".into(), json!(u8_at(m, 4)?));
    let len = usize::from(u16_at(m, 6)?);
    o.insert("length".into(), json!(len));
    // The objects' classes, as far as they were captured.
    let mut classes = Vec::new();
    let mut at = HEADER;
    let end = len.min(m.len());
    let mut read = Ok(());
    while at + 4 <= end {
        let olen = usize::from(u16_at(m, at)?);
        let class = u8_at(m, at + 2)?;
        classes.push(json!(class));
        if olen < 4 {
            read = Err(Truncated);
            break;
        }
        // The later objects' fields, when captured whole.
        if let Some(body) = m.get(..end).and_then(|c| c.get(at + 4..at + olen)) {
            json::add_object(o, class, u8_at(m, at + 3)?, body);
        }
        at += olen;
    }
    o.insert("objects".into(), Value::Array(classes));
    if len > m.len() {
        return Err(Truncated);
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Path with a TIME_VALUES object.
    const PATH: [u8; 16] = [
        0x11, 1, 0x12, 0x34, 64, 0, 0, 16, 0, 8, 5, 1, 0, 0, 0x75, 0x30,
    ];

    #[test]
    fn test_header_and_object() {
        assert_eq!(RSVP.printed(&PATH, 0), "RSVPv1 Path Message, length: 16");
        assert_eq!(
            RSVP.printed(&PATH, 1),
            "\n\tRSVPv1 Path Message (1), Flags: [Refresh reduction capable], length: 16, ttl: 64, \
             checksum: 0x1234\n\t  Time Values Object (5) Flags: [reject if unknown], \
             Class-Type: 1 (1), length: 8\n\t    Refresh Period: 30000ms"
        );
    }

    /// A Path with a LABEL_SET range and ADMIN_STATUS.
    const GMPLS_PATH: [u8; 32] = [
        0x10, 1, 0x12, 0x34, 64, 0, 0, 32, 0, 16, 36, 1, 2, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 2, 0, 8,
        196, 1, 0x80, 0, 0, 2,
    ];

    #[test]
    fn test_gmpls_objects() {
        assert_eq!(
            RSVP.printed(&GMPLS_PATH, 1),
            "\n\tRSVPv1 Path Message (1), Flags: [none], length: 32, ttl: 64, checksum: 0x1234\
             \n\t  Label Set Object (36) Flags: [reject if unknown], Class-Type: 1 (1), length: 16\
             \n\t    Action: Inclusive range (2), Label type: 5\n\t    Start range: 1, End range: 2\
             \n\t  Administrative Status Object (196) Flags: [ignore and forward if unknown], \
             Class-Type: 1 (1), length: 8\n\t    Flags [Reflect, Admin-down]"
        );
    }

    #[test]
    fn test_property_tlv_shorter_than_its_header_ends_the_message() {
        let m = [
            0x10, 1, 0x12, 0x34, 64, 0, 0, 20, 0, 12, 204, 1, 0, 1, 0, 0, 2, 1, 0, 0,
        ];
        assert!(RSVP.printed(&m, 1).ends_with(
            "\n\t      Metric 1 TLV (0x02), length: 1\n\t  ERROR: property TLV is too short"
        ));
    }

    #[test]
    fn test_truncated_object_and_version() {
        assert!(
            RSVP.printed_cut(&PATH, 14, 1)
                .ends_with("length: 8 [|rsvp]")
        );
        assert_eq!(RSVP.printed_cut(&PATH, 7, 0), " [|rsvp]");
        let mut v2 = PATH;
        v2[0] = 0x21;
        assert_eq!(
            RSVP.printed(&v2, 1),
            "ERROR: RSVP version 2 packet not supported"
        );
    }
}
