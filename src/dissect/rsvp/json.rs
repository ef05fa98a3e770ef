//! `--json` fields of GMPLS's and RSVP-TE's later objects: each object of
//! these classes, captured whole and long enough for its class-type,
//! joins the list under its class's key (a message may hold several —
//! label sets, a P2MP Path's sub-LSPs).

use super::names::{ADMIN_STATUS_FLAGS, CAPABILITY_FLAGS, LABEL_SET_ACTIONS, UNI_SUBOBJECTS};
use crate::dissect::ctl::tok;
use crate::dissect::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use serde_json::{Map, Value, json};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Adds the object of `class` and `ctype` whose body is `b` to `o`.
pub(super) fn add_object(o: &mut Map<String, Value>, class: u8, ctype: u8, b: &[u8]) {
    let Ok(Some((key, value))) = object(class, ctype, b) else {
        return;
    };
    if let Value::Array(list) = o.entry(key).or_insert_with(|| json!([])) {
        list.push(value);
    }
}

/// The key and fields of one object, `None` for the classes and
/// class-types this list leaves out.
fn object(class: u8, ctype: u8, b: &[u8]) -> Res<Option<(&'static str, Value)>> {
    let word = |at: usize| u32_at(b, at);
    let v = match (class, ctype) {
        (4, 1) if b.len() >= 32 => (
            "integrity",
            json!({
                "flags": u8_at(b, 0)?,
                "key_id": u64::from(u16_at(b, 2)?) << 32 | u64::from(word(4)?),
                "sequence": u64::from(word(8)?) << 32 | u64::from(word(12)?),
            }),
        ),
        (19, 1..=4) => ("label_requests", label_request(ctype, b)?),
        (36, 1) if b.len() >= 4 => {
            let action = u8_at(b, 0)?;
            let mut f = json!({
                "action": action,
                "action_name": tok(LABEL_SET_ACTIONS, action),
                "label_type": word(0)? & 0x7f,
            });
            if matches!(action, 2 | 3) {
                f["start"] = json!(word(4)?);
                f["end"] = json!(word(8)?);
            } else {
                let labels: Res<Vec<u32>> = (1..b.len() / 4).map(|k| word(4 * k)).collect();
                f["subchannels"] = json!(labels?);
            }
            ("label_sets", f)
        }
        (196, 1) if b.len() >= 4 => ("admin_status", flags(ADMIN_STATUS_FLAGS, word(0)?)),
        (134, 1) if b.len() >= 4 => ("capability", flags(CAPABILITY_FLAGS, word(0)?)),
        (205, 1 | 7) if b.len() >= if ctype == 1 { 20 } else { 16 } => {
            let mut f = json!({
                "setup_priority": u8_at(b, 0)?,
                "holding_priority": u8_at(b, 1)?,
                "hop_limit": u8_at(b, 2)?,
                "bandwidth": f32::from_bits(word(4)?),
                "include_any": word(8)?,
                "exclude_any": word(12)?,
            });
            if ctype == 1 {
                f["include_all"] = json!(word(16)?);
            }
            ("fast_reroute", f)
        }
        (50, 1) if b.len() >= 4 => (
            "sub_lsps",
            json!(Ipv4Addr::from(bytes_at::<4>(b, 0)?).to_string()),
        ),
        (50, 2) if b.len() >= 16 => (
            "sub_lsps",
            json!(Ipv6Addr::from(bytes_at::<16>(b, 0)?).to_string()),
        ),
        (204, 1) if b.len() >= 4 => (
            "properties",
            json!({"tlv_count": u16_at(b, 0)?, "padding": u16_at(b, 2)?}),
        ),
        (229, 1) => ("generalized_uni", Value::Array(uni_subobjects(b))),
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// A LABEL_REQUEST's L3 protocol and, by class-type, its ATM or frame
/// relay label range or its generalized encoding, switching type and
/// payload.
fn label_request(ctype: u8, b: &[u8]) -> Res<Value> {
    let mut f = json!({"class_type": ctype, "l3pid": u16_at(b, 2)?});
    match ctype {
        2 => {
            f["merge"] = json!(u8_at(b, 4)? & 0x80 == 0);
            f["min_vpi"] = json!(u16_at(b, 4)? & 0xfff);
            f["min_vci"] = json!(u16_at(b, 6)? & 0xfff);
            f["max_vpi"] = json!(u16_at(b, 8)? & 0xfff);
            f["max_vci"] = json!(u16_at(b, 10)? & 0xfff);
        }
        3 => {
            f["dlci_length"] = json!((u16_at(b, 4)? >> 7) & 3);
            f["min_dlci"] = json!(u32_at(b, 4)? & 0x7f_ffff);
            f["max_dlci"] = json!(u32_at(b, 8)? & 0x7f_ffff);
        }
        4 => {
            f = json!({
                "class_type": ctype,
                "encoding": u8_at(b, 0)?,
                "switching": u8_at(b, 1)?,
                "payload": u16_at(b, 2)?,
            });
        }
        _ => {}
    }
    Ok(f)
}

/// GENERALIZED_UNI's subobjects (type, name, address family, length), up
/// to the first whose length does not fit.
fn uni_subobjects(b: &[u8]) -> Vec<Value> {
    let mut list = Vec::new();
    let mut at = 0;
    while let (Ok(len), Ok(kind), Ok(af)) = (u16_at(b, at), u8_at(b, at + 2), u8_at(b, at + 3)) {
        let len = usize::from(len);
        if len < 4 || at + len > b.len() {
            break;
        }
        list.push(json!({
            "type": kind,
            "type_name": tok(UNI_SUBOBJECTS, kind),
            "af": af,
            "length": len,
        }));
        at += len;
    }
    list
}

/// A flags word and the names of its bits.
fn flags(table: &[(u32, &'static str)], v: u32) -> Value {
    let names: Vec<&str> = table
        .iter()
        .filter(|(bit, _)| v & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    json!({"flags": v, "names": names})
}
