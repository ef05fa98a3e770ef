//! LISP control messages (RFC 6830/9301, UDP 4342) as tcpdump 4.99 prints
//! them: `LISP-` and the type for every message (a type it does not
//! name is `unknown-type-N` alone); Map-Register and
//! Map-Notify (the only ones tcpdump decodes) with their record count,
//! each EID record's prefix and locators on a line of its own, the xTR
//! and site ids when the I bit says they follow, else the bytes left in
//! hex (`Data:`). `-v` adds the header's flags, the authentication type
//! and data, each record's TTL, authority, action and map version, and
//! each locator's priorities, weights and flags. A message under the
//! 16-byte header is only the cut mark; no records, or the I bit without
//! the 24 bytes of ids, is `(invalid)`; an EID of an address family
//! tcpdump does not know ends the line. Zeek has no analyzer for it (no
//! `service`).

use super::ctl::{
    Bit, ipv4_at, json_object_with_list, line_is_level_0, out, put_bits, put_hex_print, tok,
};
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Stop, Truncated, jumped};
use crate::decode::ip6_text::Ip6;
use serde_json::{Map, Value, json};

pub static LISP: Dissector = Dissector {
    name: "lisp",
    json_key: "lisp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= HEADER_LEN,
};

/// Type and flags, record count, nonce, key id, authentication length.
const HEADER_LEN: usize = 16;
/// A record's TTL, counts, flags, map version and EID family.
const RECORD_LEN: usize = 12;
/// A locator's priorities, weights, flags and family.
const LOCATOR_LEN: usize = 8;
/// The xTR id and the site id the I bit announces.
const IDS_LEN: usize = 24;

const MAP_REGISTER: u8 = 3;
const MAP_NOTIFY: u8 = 4;

const TYPES: &[(u8, &str)] = &[
    (0, "Reserved"),
    (1, "Map-Request"),
    (2, "Map-Reply"),
    (3, "Map-Register"),
    (4, "Map-Notify"),
    // tcpdump 4.99's spelling.
    (8, "Encapsulated-Contol-Message"),
];

const REGISTER_FLAGS: &[Bit] = &[
    (0x0800_0000, "P-Proxy-Map-Reply"),
    (0x0400_0000, "S-LISP-SEC-Capable"),
    (0x0200_0000, "I-xTR-ID-Present"),
    (0x0100_0000, "R-Build-For-RTR"),
    (0x0000_0100, "M-Want-Map-Notify"),
];

const NOTIFY_FLAGS: &[Bit] = &[
    (0x0800_0000, "I-xTR-ID-Present"),
    (0x0400_0000, "R-Build-For-RTR"),
];

const AUTH_TYPES: &[(u16, &str)] = &[(0, "None"), (1, "SHA1"), (2, "SHA256")];

const ACTIONS: &[(u8, &str)] = &[
    (0, "No-Action"),
    (1, "Natively-Forward"),
    (2, "Send-Map-Request"),
    (3, "Drop"),
];

const LOCATOR_FLAGS: &[Bit] = &[
    (0x0004, "Local-Locator"),
    (0x0002, "RLoc-Probed"),
    (0x0001, "Reachable"),
];

const AFI_IPV4: u16 = 1;
const AFI_IPV6: u16 = 2;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, level: u8) -> Res<()> {
    walk(w, p, level).map_err(Truncated::from)
}

/// Whether a cut line ended at one of tcpdump's reads (its `longjmp`),
/// not at its checks of the header, a record's fixed part or a locator.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], level: u8) -> bool {
    walk(&mut Vec::new(), p, level) == Err(Stop::Jumped)
}

fn kind(b0: u8) -> u8 {
    b0 >> 4
}

/// Whether the I bit says the xTR and site ids end the message (its
/// place differs between the two types).
fn ids_follow(b0: u8) -> bool {
    match kind(b0) {
        MAP_REGISTER => b0 & 0x02 != 0,
        MAP_NOTIFY => b0 & 0x08 != 0,
        _ => false,
    }
}

fn walk(w: &mut Vec<u8>, p: &Payload<'_>, level: u8) -> Result<(), Stop> {
    let (m, len) = (p.bytes, p.declared_len);
    need(m, 0, HEADER_LEN)?;
    let b0 = u8_at(m, 0)?;
    let t = kind(b0);
    // tcpdump's names carry the `LISP-`; an unknown type's goes without.
    match tok(TYPES, t) {
        Some(name) => out!(w, "LISP-{name}"),
        None => out!(w, "unknown-type-{t}"),
    }
    w.push(b',');
    let flags = match t {
        MAP_REGISTER => REGISTER_FLAGS,
        MAP_NOTIFY => NOTIFY_FLAGS,
        _ => return Ok(()),
    };
    let records = u8_at(m, 3)?;
    let auth_len = u16_at(m, 14)?;
    if level > 0 {
        w.extend_from_slice(b" flags [");
        put_bits(w, flags, u32_at(m, 0)?, "none");
        out!(w, "],\n    {records} record(s), Authentication ");
        let key = u16_at(m, 12)?;
        w.extend_from_slice(tok(AUTH_TYPES, key).unwrap_or("unknown-type").as_bytes());
        w.push(b',');
        let auth = usize::from(auth_len);
        put_hex_print(w, m, (HEADER_LEN, auth), "\n    Authentication-Data: ", 0)
            .map_err(jumped)?;
    } else {
        out!(w, " {records} record(s),");
    }
    if records == 0 {
        w.extend_from_slice(b" (invalid)");
        return Ok(());
    }
    // tcpdump keeps the offset in 16 bits: a long authentication wraps it.
    let mut at = (HEADER_LEN as u16).wrapping_add(auth_len);
    for _ in 0..records {
        if len <= usize::from(at) {
            break;
        }
        match record(w, m, &mut at, level)? {
            true => {}
            false => return Ok(()),
        }
    }
    let rest = usize::from(at);
    if ids_follow(b0) {
        // Checked against what was captured, not the declared length.
        if m.len().saturating_sub(rest) < IDS_LEN {
            w.extend_from_slice(b" (invalid)");
            return Ok(());
        }
        put_hex_print(w, m, (rest, 16), "\n    xTR-ID: ", 0).map_err(jumped)?;
        let site = u64::from_be_bytes(bytes_at::<8>(m, rest + 16).map_err(jumped)?);
        out!(w, "\n    SITE-ID: {site}");
    } else if rest < m.len() {
        put_hex_print(w, m, (rest, m.len() - rest), "\n    Data: ", 0).map_err(jumped)?;
    }
    Ok(())
}

/// One EID record and its locators at `at` (moved past them); `false`
/// when its EID's family is not one tcpdump reads (it stops there).
fn record(w: &mut Vec<u8>, m: &[u8], at: &mut u16, level: u8) -> Result<bool, Stop> {
    let r = usize::from(*at);
    need(m, r, RECORD_LEN)?;
    w.push(b'\n');
    *at = at.wrapping_add(RECORD_LEN as u16);
    let (locators, mask) = (u8_at(m, r + 4)?, u8_at(m, r + 5)?);
    let family = u16_at(m, r + 10)?;
    if level > 0 {
        let flags = u8_at(m, r + 6)?;
        out!(w, "      Record TTL {},", u32_at(m, r)?);
        let who = if flags & 0x10 != 0 { "" } else { "Non-" };
        let action = tok(ACTIONS, flags >> 5).unwrap_or("unknown");
        out!(w, " {who}Authoritative, {action},");
        out!(w, " Map Version: {},", u16_at(m, r + 8)? & 0x0fff);
    }
    let eid = usize::from(*at);
    match family {
        AFI_IPV4 => {
            out!(w, " EID {}/{mask},", ipv4_at(m, eid).map_err(jumped)?);
            *at = at.wrapping_add(4);
        }
        AFI_IPV6 => {
            out!(w, " EID {}/{mask},", ipv6_at(m, eid).map_err(jumped)?);
            *at = at.wrapping_add(16);
        }
        _ => return Ok(false),
    }
    out!(w, " {locators} locator(s)");
    for _ in 0..locators {
        locator(w, m, at, level)?;
    }
    Ok(true)
}

/// One locator at `at` (moved past it). tcpdump checks its address as
/// it checks the fixed part: a cut there is no `longjmp`.
fn locator(w: &mut Vec<u8>, m: &[u8], at: &mut u16, level: u8) -> Result<(), Stop> {
    let l = usize::from(*at);
    need(m, l, LOCATOR_LEN)?;
    *at = at.wrapping_add(LOCATOR_LEN as u16);
    let family = u16_at(m, l + 6)?;
    if level > 0 {
        w.extend_from_slice(b"\n       ");
    }
    let a = usize::from(*at);
    match family {
        AFI_IPV4 => {
            out!(w, " LOC {}", ipv4_at(m, a)?);
            *at = at.wrapping_add(4);
        }
        AFI_IPV6 => {
            out!(w, " LOC {}", ipv6_at(m, a)?);
            *at = at.wrapping_add(16);
        }
        _ => {}
    }
    if level > 0 {
        let [p, wt, mp, mw] = bytes_at::<4>(m, l)?;
        out!(
            w,
            "\n          Priority/Weight {p}/{wt}, Multicast Priority/Weight {mp}/{mw}, flags ["
        );
        put_bits(w, LOCATOR_FLAGS, u32::from(u16_at(m, l + 4)?), "none");
        w.extend_from_slice(b"],");
    }
    Ok(())
}

fn ipv6_at(m: &[u8], at: usize) -> Res<Ip6> {
    bytes_at::<16>(m, at).map(Ip6::from)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("records", |o, list| json_fields(o, list, p))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let b0 = u8_at(m, 0)?;
    o.insert("type".into(), json!(kind(b0)));
    o.insert("type_name".into(), json!(tok(TYPES, kind(b0))));
    o.insert("flags".into(), json!(u32_at(m, 0)? & 0x0fff_ffff));
    let records = u8_at(m, 3)?;
    o.insert("record_count".into(), json!(records));
    o.insert(
        "nonce".into(),
        json!(format!("{:016x}", u64::from_be_bytes(bytes_at::<8>(m, 4)?))),
    );
    o.insert("key_id".into(), json!(u16_at(m, 12)?));
    let auth = u16_at(m, 14)?;
    o.insert("auth_data_length".into(), json!(auth));
    if !matches!(kind(b0), MAP_REGISTER | MAP_NOTIFY) {
        return Ok(());
    }
    let mut at = HEADER_LEN + usize::from(auth);
    for _ in 0..records {
        let (r, eid) = (at, at + RECORD_LEN);
        let family = u16_at(m, r + 10)?;
        let prefix = match family {
            AFI_IPV4 => ipv4_at(m, eid)?.to_string(),
            AFI_IPV6 => ipv6_at(m, eid)?.to_string(),
            _ => return Err(Truncated),
        };
        at = eid + if family == AFI_IPV4 { 4 } else { 16 };
        let mut locators = Vec::new();
        for _ in 0..u8_at(m, r + 4)? {
            let family = u16_at(m, at + 6)?;
            let a = at + LOCATOR_LEN;
            let (address, size) = match family {
                AFI_IPV4 => (json!(ipv4_at(m, a)?.to_string()), 4),
                AFI_IPV6 => (json!(ipv6_at(m, a)?.to_string()), 16),
                _ => (Value::Null, 0),
            };
            let [pr, wt, mp, mw] = bytes_at::<4>(m, at)?;
            locators.push(json!({"address": address, "priority": pr, "weight": wt,
                "m_priority": mp, "m_weight": mw, "flags": u16_at(m, at + 4)?}));
            at = a + size;
        }
        list.push(json!({
            "ttl": u32_at(m, r)?,
            "eid_prefix": prefix,
            "mask_length": u8_at(m, r + 5)?,
            "action": u8_at(m, r + 6)? >> 5,
            "authoritative": u8_at(m, r + 6)? & 0x10 != 0,
            "map_version": u16_at(m, r + 8)? & 0x0fff,
            "locators": locators,
        }));
    }
    if ids_follow(b0) {
        let ids = bytes_at::<24>(m, at)?;
        let hex: String = ids[..16].iter().map(|b| format!("{b:02x}")).collect();
        o.insert("xtr_id".into(), json!(hex));
        let site = u64::from_be_bytes(bytes_at::<8>(m, at + 16)?);
        o.insert("site_id".into(), json!(site));
    }
    if p.declared_len > m.len() {
        return Err(Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTER: [u8; 44] = [
        0x30, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 0, // header
        0, 0, 5, 0xa0, 1, 24, 0x10, 0, 0, 5, 0, 1, 10, 1, 2, 0, // record
        1, 100, 255, 0, 0, 5, 0, 1, 192, 0, 2, 9, // locator
    ];

    #[test]
    fn test_line() {
        assert_eq!(
            LISP.printed(&REGISTER, 0),
            "LISP-Map-Register, 1 record(s),\n EID 10.1.2.0/24, 1 locator(s) LOC 192.0.2.9"
        );
        assert_eq!(
            LISP.printed(&REGISTER, 1),
            "LISP-Map-Register, flags [none],\n    1 record(s), Authentication SHA1,\n      \
             Record TTL 1440, Authoritative, No-Action, Map Version: 5, EID 10.1.2.0/24, 1 locator(s)\n        \
             LOC 192.0.2.9\n          Priority/Weight 1/100, Multicast Priority/Weight 255/0, flags [Local-Locator, Reachable],"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(LISP.printed_cut(&REGISTER, 10, 0), " [|lisp]");
        assert_eq!(
            LISP.printed_cut(&REGISTER, 30, 0),
            "LISP-Map-Register, 1 record(s),\n [|lisp]"
        );
    }
}
