//! The NetBIOS name service (RFC 1002 §4.2, UDP port 137): queries,
//! registrations, releases, refreshes and their answers, in the DNS
//! message layout with NetBIOS names. Its `--json` object: the
//! transaction id, the opcode, the flags, and the questions and records
//! with their names decoded (NB records' addresses, node-status answers'
//! name tables).

use super::super::ctl::ipv4_at;
use super::super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::name;
use crate::dissect::{Payload, json_object, word};
use serde_json::{Map, Value, json};

const HEADER_LEN: usize = 12;

/// RR types with a layout of their own (RFC 1002 §4.2.1.3).
const NB: u16 = 0x20;
const NBSTAT: u16 = 0x21;

/// Opcodes by number (RFC 1002 §4.2.1.1), `-` where none is assigned.
const OPCODES: &str =
    "query - - - - registration release wack refresh refresh_alt - - - - - multihomed_registration";

/// Whether a datagram looks like a name-service message: a whole header,
/// an assigned opcode, a first question or record that starts with a
/// 32-letter name, and counts the datagram can hold.
pub fn recognise(m: &[u8]) -> bool {
    let counts = (4..HEADER_LEN)
        .step_by(2)
        .map(|at| u16_at(m, at).map_or(u32::MAX, u32::from))
        .fold(0u32, u32::saturating_add);
    let opcode = m.get(2).map_or(1, |b| (b >> 3) & 0xf);
    counts > 0
        && counts <= 100
        && word(OPCODES, usize::from(opcode)).is_some()
        && name::read(m, HEADER_LEN).is_ok()
}

/// The `"nbns"` object.
pub fn to_json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    json_object(|o| {
        let id = u16_at(m, 0)?;
        let flags = u16_at(m, 2)?;
        let opcode = (flags >> 11) & 0xf;
        o.insert("transaction_id".into(), json!(id));
        o.insert("response".into(), json!(flags & 0x8000 != 0));
        o.insert("opcode".into(), json!(opcode));
        if let Some(name) = word(OPCODES, usize::from(opcode)) {
            o.insert("opcode_name".into(), json!(name));
        }
        o.insert("flags".into(), json!(flags));
        for (bit, key) in [
            (0x400, "authoritative"),
            (0x200, "truncated"),
            (0x100, "recursion_desired"),
            (0x80, "recursion_available"),
            (0x10, "broadcast"),
        ] {
            o.insert(key.into(), json!(flags & bit != 0));
        }
        o.insert("rcode".into(), json!(flags & 0xf));
        let mut at = HEADER_LEN;
        let questions = u16_at(m, 4)?;
        let mut list = Vec::new();
        let read = (|| -> Res<()> {
            for _ in 0..questions {
                let (n, next) = name::read(m, at)?;
                list.push(json!({
                    "name": n.text,
                    "suffix": n.suffix,
                    "type": u16_at(m, next)?,
                    "class": u16_at(m, next + 2)?,
                }));
                at = next + 4;
            }
            Ok(())
        })();
        o.insert("questions".into(), Value::Array(list));
        read?;
        for (count_at, key) in [(6, "answers"), (8, "authority"), (10, "additional")] {
            let count = u16_at(m, count_at)?;
            let mut list = Vec::new();
            let read: Res<()> = (0..count).try_for_each(|_| {
                let (r, next) = record(m, at)?;
                list.push(r);
                at = next;
                Ok(())
            });
            o.insert(key.into(), Value::Array(list));
            read?;
        }
        Ok(())
    })
}

/// The resource record at `at`, and where the next starts.
fn record(m: &[u8], at: usize) -> Res<(Value, usize)> {
    let (n, next) = name::read(m, at)?;
    let rtype = u16_at(m, next)?;
    let rdlen = usize::from(u16_at(m, next + 8)?);
    let data = next + 10;
    let rdata = m.get(data..data + rdlen).ok_or(crate::dissect::Truncated)?;
    let mut r = Map::new();
    r.insert("name".into(), json!(n.text));
    r.insert("suffix".into(), json!(n.suffix));
    r.insert("type".into(), json!(rtype));
    r.insert("class".into(), json!(u16_at(m, next + 2)?));
    r.insert("ttl".into(), json!(u32_at(m, next + 4)?));
    r.insert("data_length".into(), json!(rdlen));
    match rtype {
        NB => {
            let addresses: Res<Vec<Value>> = rdata
                .chunks(6)
                .map(|e| {
                    let flags = u16_at(e, 0)?;
                    Ok(json!({
                        "group": flags & 0x8000 != 0,
                        "node_type": (flags >> 13) & 3,
                        "address": ipv4_at(e, 2)?.to_string(),
                    }))
                })
                .collect();
            r.insert("addresses".into(), Value::Array(addresses?));
        }
        NBSTAT => {
            r.insert("names".into(), Value::Array(node_names(rdata)?));
        }
        _ => {}
    }
    Ok((Value::Object(r), data + rdlen))
}

/// A node-status answer's name table (RFC 1002 §4.2.18): each name as
/// 16 plain bytes (15 characters and the suffix) and its flags.
fn node_names(rdata: &[u8]) -> Res<Vec<Value>> {
    let count = usize::from(u8_at(rdata, 0)?);
    (0..count)
        .map(|i| {
            let at = 1 + i * 18;
            // An array: the indexes below are checked when compiled.
            let raw = bytes_at::<16>(rdata, at)?;
            let flags = u16_at(rdata, at + 16)?;
            let trimmed = raw[..15].trim_ascii_end();
            Ok(json!({
                "name": String::from_utf8_lossy(trimmed),
                "suffix": raw[15],
                "group": flags & 0x8000 != 0,
                "active": flags & 0x0400 != 0,
            }))
        })
        .collect()
}
