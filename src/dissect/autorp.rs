//! Cisco's auto-RP (UDP 496; its 1998 draft, `pim-autorp-spec01`) as
//! tcpdump 4.99 prints it, the same line at every level: ` auto-rp`, the
//! type (`candidate-advert`, `mapping`, else `type-0x..`), the hold time
//! (tcpdump's relative time, `FOREVER` for 0), then each RP: its address,
//! the PIM versions it speaks (the low two bits of the next byte, the
//! others as `[rsvd=0x..]`) and its group prefixes — `!` before a
//! negative one, ` bidir`, the entry's other reserved bits.
//!
//! tcpdump measures every step against the datagram's length (short of
//! it: ` [|cisco_autorp]`, the dump where it always starts) and reads the
//! bytes unchecked (a capture cut first: its `longjmp`). Zeek has no
//! analyzer for it (no `service`).

use super::ctl::{ipv4_at, json_object_with_list, line_is_level_0, out};
use super::dns::text::put_ttl;
use super::wire::{Res, u8_at, u16_at};
use super::{Dissector, Payload, Stop, Truncated, jumped};
use serde_json::{Map, Value, json};

pub static AUTORP: Dissector = Dissector {
    name: "cisco_autorp",
    json_key: "autorp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= HEADER,
};

/// Version and type, RP count, hold time, reserved word.
const HEADER: usize = 8;
/// A group entry: flags, mask length, prefix.
const ENTRY: usize = 6;

const PIM_VERSIONS: [&str; 4] = [" PIMv?", " PIMv1", " PIMv2", " PIMv1+2"];

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    walk(w, p).map_err(Truncated::from)
}

/// Whether a cut line ended at an unchecked read (tcpdump's `longjmp`)
/// rather than at a length test.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], _: u8) -> bool {
    walk(&mut Vec::new(), p) == Err(Stop::Jumped)
}

/// The type's name: `0x11` and `0x12`, version 1 and its two types.
fn put_type(w: &mut Vec<u8>, t: u8) {
    match t {
        0x11 => w.extend_from_slice(b"candidate-advert"),
        0x12 => w.extend_from_slice(b"mapping"),
        _ => out!(w, "type-0x{t:02x}"),
    }
}

/// `len` left after `need` more bytes, or tcpdump's length test's stop.
fn take(len: &mut usize, need: usize) -> Result<(), Stop> {
    *len = len.checked_sub(need).ok_or(Stop::Checked)?;
    Ok(())
}

fn walk(w: &mut Vec<u8>, p: &Payload<'_>) -> Result<(), Stop> {
    let m = p.bytes;
    let mut len = p.declared_len;
    take(&mut len, HEADER)?;
    let get = |at| u8_at(m, at).map_err(jumped);
    w.extend_from_slice(b" auto-rp ");
    put_type(w, get(0)?);
    let mut rps = get(1)?;
    w.extend_from_slice(b" Hold ");
    match u16_at(m, 2).map_err(jumped)? {
        0 => w.extend_from_slice(b"FOREVER"),
        hold => put_ttl(w, u32::from(hold)),
    }
    let mut at = HEADER;
    while rps != 0 {
        take(&mut len, 4)?;
        out!(w, " RP {}", ipv4_at(m, at).map_err(jumped)?);
        take(&mut len, 1)?;
        let v = get(at + 4)?;
        w.extend_from_slice(PIM_VERSIONS[usize::from(v & 3)].as_bytes());
        if v & 0xfc != 0 {
            out!(w, " [rsvd=0x{:02x}]", v & 0xfc);
        }
        take(&mut len, 1)?;
        let entries = get(at + 5)?;
        at += 6;
        for i in 0..entries {
            take(&mut len, ENTRY)?;
            let flags = get(at)?;
            out!(
                w,
                "{}{}{}/{}",
                if i == 0 { ' ' } else { ',' },
                if flags & 1 != 0 { "!" } else { "" },
                ipv4_at(m, at + 2).map_err(jumped)?,
                get(at + 1)?
            );
            if flags & 0x02 != 0 {
                w.extend_from_slice(b" bidir");
            }
            if flags & 0xfc != 0 {
                out!(w, "[rsvd=0x{:02x}]", flags & 0xfc);
            }
            at += ENTRY;
        }
        rps -= 1;
    }
    Ok(())
}

/// The group entries of the RP at `at` into `groups`; the RP's size.
fn groups_json(m: &[u8], at: usize, groups: &mut Vec<Value>) -> Res<usize> {
    let entries = usize::from(u8_at(m, at + 5)?);
    for i in 0..entries {
        let e = at + 6 + i * ENTRY;
        let flags = u8_at(m, e)?;
        groups.push(json!({
            "prefix": ipv4_at(m, e + 2)?.to_string(),
            "mask_length": u8_at(m, e + 1)?,
            "negative": flags & 1 != 0,
            "bidir": flags & 2 != 0,
        }));
    }
    Ok(6 + entries * ENTRY)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("rps", |o, list| json_fields(o, list, p))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let t = u8_at(m, 0)?;
    let mut name = Vec::new();
    put_type(&mut name, t);
    o.insert("version".into(), json!(t >> 4));
    o.insert("type".into(), json!(t & 0x0f));
    o.insert("type_name".into(), json!(String::from_utf8_lossy(&name)));
    let rps = u8_at(m, 1)?;
    o.insert("rp_count".into(), json!(rps));
    o.insert("holdtime".into(), json!(u16_at(m, 2)?));
    let mut at = HEADER;
    for _ in 0..rps {
        let v = u8_at(m, at + 4)?;
        let mut groups = Vec::new();
        let read = groups_json(m, at, &mut groups);
        list.push(json!({
            "rp": ipv4_at(m, at)?.to_string(),
            "pim_versions": v & 3,
            "groups": groups,
        }));
        at += read?;
    }
    if p.declared_len > m.len() {
        return Err(Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPPING: [u8; 28] = [
        0x12, 1, 0, 181, 0, 0, 0, 0, 10, 0, 0, 1, 2, 2, 0, 4, 224, 0, 0, 0, 3, 8, 239, 0, 0, 0,
        // Past the one RP: not read.
        9, 9,
    ];

    #[test]
    fn test_line() {
        assert_eq!(
            AUTORP.printed(&MAPPING, 0),
            " auto-rp mapping Hold 3m1s RP 10.0.0.1 PIMv2 224.0.0.0/4,!239.0.0.0/8 bidir"
        );
        let mut m = MAPPING;
        (m[0], m[2], m[3], m[12]) = (0x21, 0, 0, 0xff);
        assert_eq!(
            AUTORP.printed(&m, 1),
            " auto-rp type-0x21 Hold FOREVER RP 10.0.0.1 PIMv1+2 [rsvd=0xfc] 224.0.0.0/4,!239.0.0.0/8 bidir"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(AUTORP.printed(&MAPPING[..7], 0), " [|cisco_autorp]");
        assert_eq!(
            AUTORP.printed(&MAPPING[..20], 0),
            " auto-rp mapping Hold 3m1s RP 10.0.0.1 PIMv2 224.0.0.0/4 [|cisco_autorp]"
        );
        let p = Payload {
            bytes: &MAPPING[..20],
            declared_len: 28,
        };
        assert!(cut_jumps(&p, &[], 0));
        let p = Payload {
            bytes: &MAPPING[..20],
            declared_len: 20,
        };
        assert!(!cut_jumps(&p, &[], 0));
    }
}
