//! `--json` of a frame's IE lists: `header_ies` and `payload_ies`, each
//! IE as far as it was captured with its `id` (a payload IE's `group`),
//! `name`, `length` and `value` in hex, like TAP's TLVs, and the fields
//! of the contents tcpdump decodes at `-vvvv` where they are simple
//! numbers (CSL, RIT, rendezvous time, time correction, vendor OUIs,
//! IETF subtype, multiplexed transfer type and id; MLME `sub_ies` with
//! TSCH synchronization, slotframes and links, timeslot id, hopping
//! sequence id). The fields are read from the IE's own bytes only: an IE
//! too short for one leaves it out (tcpdump's text says why).

use super::super::wire::{Res, bytes_at, u8_at, u16_le_at, uint_le_at};
use super::ie::{HEADER_IES, HT1, HT2, LIST_TERMINATION, PAYLOAD_IES};
use super::mlme::mlme_name;
use serde_json::{Map, Value, json};

/// The IE lists from `at`, the byte after the auxiliary security header;
/// payload IEs when Header Termination 1 announces them and `readable`
/// (tcpdump does not print them from security level 4 on).
pub(super) fn ies_to_json(o: &mut Map<String, Value>, m: &[u8], at: usize, readable: bool) {
    let (header, at, payload_follows) = header_list(m, at);
    o.insert("header_ies".into(), Value::Array(header));
    if payload_follows && readable {
        o.insert("payload_ies".into(), Value::Array(payload_list(m, at)));
    }
}

/// The header IEs captured whole from `at`: them, where the list ends,
/// whether payload IEs follow.
fn header_list(m: &[u8], mut at: usize) -> (Vec<Value>, usize, bool) {
    let mut list = Vec::new();
    while let Ok(ie) = u16_le_at(m, at) {
        let len = usize::from(ie & 0x7f);
        let id = (ie >> 7 & 0xff) as u8;
        let Some(data) = m.get(at + 2..at + 2 + len) else {
            break;
        };
        let name = match HEADER_IES.iter().find(|(k, _)| *k == id) {
            Some((_, name)) => (*name).to_string(),
            None => format!("Reserved 0x{id:02x}"),
        };
        let mut e = entry("id", id.into(), name, data);
        let _ = header_fields(&mut e, id, data);
        list.push(Value::Object(e));
        at += 2 + len;
        if id == HT1 || id == HT2 {
            return (list, at, id == HT1);
        }
    }
    (list, at, false)
}

/// The payload IEs captured whole from `at`, to the list's termination.
fn payload_list(m: &[u8], mut at: usize) -> Vec<Value> {
    let mut list = Vec::new();
    while let Ok(ie) = u16_le_at(m, at) {
        let len = usize::from(ie & 0x3ff);
        let group = ie >> 11 & 0xf;
        let Some(data) = m.get(at + 2..at + 2 + len) else {
            break;
        };
        let name = match PAYLOAD_IES.get(usize::from(group)) {
            Some(name) => (*name).to_string(),
            None if group == LIST_TERMINATION => "List termination".to_string(),
            None => format!("Reserved 0x{group:02x}"),
        };
        let mut e = entry("group", group.into(), name, data);
        let _ = payload_fields(&mut e, group, data);
        list.push(Value::Object(e));
        at += 2 + len;
        if group == LIST_TERMINATION {
            break;
        }
    }
    list
}

/// An IE's object: its id under `key`, name, length and value in hex.
fn entry(key: &str, id: Value, name: String, data: &[u8]) -> Map<String, Value> {
    let mut e = Map::new();
    e.insert(key.into(), id);
    e.insert("name".into(), json!(name));
    e.insert("length".into(), json!(data.len()));
    e.insert("value".into(), json!(hex(data)));
    e
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// A vendor IE's OUI, as six hex digits.
fn oui(e: &mut Map<String, Value>, data: &[u8]) -> Res<()> {
    let oui = bytes_at::<3>(data, 0)?;
    e.insert("oui".into(), json!(hex(&oui)));
    Ok(())
}

fn header_fields(e: &mut Map<String, Value>, id: u8, d: &[u8]) -> Res<()> {
    match id {
        0x00 => oui(e, d)?,
        0x1a => {
            let (phase, period) = (u16_le_at(d, 0)?, u16_le_at(d, 2)?);
            e.insert("csl_phase".into(), json!(phase));
            e.insert("csl_period".into(), json!(period));
            e.insert("rendezvous_time".into(), json!(u16_le_at(d, 4)?));
        }
        0x1b => {
            let (first, repeat) = (u8_at(d, 0)?, u8_at(d, 1)?);
            e.insert("time_to_first_listen".into(), json!(first));
            e.insert("repeat_listen_count".into(), json!(repeat));
            e.insert("repeat_listen_interval".into(), json!(u16_le_at(d, 2)?));
        }
        0x1d if d.len() == 4 => {
            e.insert("rendezvous_time".into(), json!(u16_le_at(d, 0)?));
            e.insert("wakeup_interval".into(), json!(u16_le_at(d, 2)?));
        }
        0x1e if d.len() == 2 => {
            let word = u16_le_at(d, 0)?;
            e.insert("negative".into(), json!(word & 0x8000 != 0));
            // The low 12 bits, two's complement.
            e.insert("time_correction".into(), json!(((word << 4) as i16) >> 4));
        }
        _ => {}
    }
    Ok(())
}

fn payload_fields(e: &mut Map<String, Value>, group: u16, d: &[u8]) -> Res<()> {
    match group {
        1 if !d.is_empty() => {
            e.insert("sub_ies".into(), Value::Array(sub_ies(d)));
        }
        2 => oui(e, d)?,
        3 => {
            let control = u8_at(d, 0)?;
            e.insert("transfer_type".into(), json!(control & 7));
            e.insert("tid".into(), json!(control >> 3));
        }
        5 => {
            e.insert("subtype_id".into(), json!(u8_at(d, 0)?));
        }
        _ => {}
    }
    Ok(())
}

/// The MLME IE's nested IEs that fit in it.
fn sub_ies(d: &[u8]) -> Vec<Value> {
    let mut list = Vec::new();
    let mut at = 0;
    while let Ok(ie) = u16_le_at(d, at) {
        let long = ie >> 15 != 0;
        let (len, id) = if long {
            (usize::from(ie & 0x3ff), (ie >> 11 & 0x0f) as u8)
        } else {
            (usize::from(ie & 0xff), (ie >> 8 & 0x7f) as u8)
        };
        let Some(data) = d.get(at + 2..at + 2 + len) else {
            break;
        };
        let mut e = entry("id", id.into(), mlme_name(long, id).into_owned(), data);
        e.insert("long".into(), json!(long));
        let _ = sub_ie_fields(&mut e, id, data);
        list.push(Value::Object(e));
        at += 2 + len;
    }
    list
}

fn sub_ie_fields(e: &mut Map<String, Value>, id: u8, d: &[u8]) -> Res<()> {
    match id {
        0x08 => oui(e, d)?,
        0x09 => {
            e.insert("hopping_sequence_id".into(), json!(u8_at(d, 0)?));
        }
        0x1a => {
            let asn = uint_le_at::<5>(d, 0)?;
            e.insert("asn".into(), json!(asn));
            e.insert("join_metric".into(), json!(u8_at(d, 5)?));
        }
        0x1b => {
            e.insert("slotframes".into(), Value::Array(slotframes(d)?));
        }
        0x1c => {
            e.insert("timeslot_id".into(), json!(u8_at(d, 0)?));
        }
        _ => {}
    }
    Ok(())
}

/// A slotframe and link IE's slotframes, as far as the IE holds them:
/// the last one with the links it holds.
fn slotframes(d: &[u8]) -> Res<Vec<Value>> {
    let count = u8_at(d, 0)?;
    let mut list = Vec::new();
    let mut at = 1;
    for _ in 0..count {
        let (Ok(handle), Ok(size), Ok(n)) = (u8_at(d, at), u16_le_at(d, at + 1), u8_at(d, at + 3))
        else {
            break;
        };
        at += 4;
        let mut links = Vec::new();
        for _ in 0..n {
            let (Ok(slot), Ok(offset), Ok(options)) =
                (u16_le_at(d, at), u16_le_at(d, at + 2), u8_at(d, at + 4))
            else {
                break;
            };
            links.push(json!({"timeslot": slot, "channel_offset": offset, "options": options}));
            at += 5;
        }
        let whole = links.len() == usize::from(n);
        list.push(json!({"handle": handle, "size": size, "links": links}));
        if !whole {
            break;
        }
    }
    Ok(list)
}
