//! The NetBIOS datagram service (RFC 1002 §4.4, UDP port 138): direct
//! and broadcast datagrams between NetBIOS names, whose data is an SMB
//! transaction to a mailslot (the browser's announcements), and the
//! service's error and query messages. Its `--json` object: the header,
//! both names decoded, and the `"smb"` object inside.

use super::super::ctl::ipv4_at;
use super::super::smb;
use super::super::wire::{Res, u8_at, u16_at};
use super::name;
use crate::dissect::{Payload, json_object, word};
use serde_json::{Map, Value, json};

/// Message types 0x10 to 0x16 (RFC 1002 §4.4.1).
const TYPES: &str = "direct_unique direct_group broadcast error query_request \
    positive_query_response negative_query_response";

/// The first message type, which [`TYPES`] starts at.
const FIRST_TYPE: u8 = 0x10;

/// Where a data datagram's source name starts.
const NAMES_AT: usize = 14;

fn type_name(t: u8) -> Option<&'static str> {
    word(TYPES, usize::from(t.checked_sub(FIRST_TYPE)?))
}

/// Whether a datagram looks like a datagram-service message: a known
/// type, and for the data datagrams a first-level encoded source name.
pub fn recognise(m: &[u8]) -> bool {
    match m.first() {
        Some(0x10..=0x12) => name::read(m, NAMES_AT).is_ok(),
        Some(0x13..=0x16) => m.len() >= 11,
        _ => false,
    }
}

/// The `"nbdgm"` object.
pub fn to_json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    json_object(|o| {
        let t = u8_at(m, 0)?;
        o.insert("type".into(), json!(t));
        if let Some(name) = type_name(t) {
            o.insert("type_name".into(), json!(name));
        }
        let flags = u8_at(m, 1)?;
        o.insert("flags".into(), json!(flags));
        o.insert("more".into(), json!(flags & 1 != 0));
        o.insert("first".into(), json!(flags & 2 != 0));
        o.insert("node_type".into(), json!((flags >> 2) & 3));
        o.insert("datagram_id".into(), json!(u16_at(m, 2)?));
        o.insert("source_ip".into(), json!(ipv4_at(m, 4)?.to_string()));
        o.insert("source_port".into(), json!(u16_at(m, 8)?));
        match t {
            0x10..=0x12 => data_datagram(o, m),
            0x13 => {
                o.insert("error_code".into(), json!(u8_at(m, 10)?));
                Ok(())
            }
            0x14..=0x16 => {
                let (n, _) = name::read(m, 10)?;
                o.insert("destination_name".into(), json!(n.text));
                Ok(())
            }
            _ => Ok(()),
        }
    })
}

/// A direct or broadcast datagram: lengths, names, and its SMB message.
fn data_datagram(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("length".into(), json!(u16_at(m, 10)?));
    o.insert("offset".into(), json!(u16_at(m, 12)?));
    let (source, next) = name::read(m, NAMES_AT)?;
    o.insert("source_name".into(), json!(source.text));
    let (destination, data) = name::read(m, next)?;
    o.insert("destination_name".into(), json!(destination.text));
    let user = m.get(data..).unwrap_or(&[]);
    if smb::starts_smb(user) {
        let mut s = Map::new();
        let read = smb::fill(&mut s, user);
        o.insert("smb".into(), Value::Object(s));
        read?;
    }
    Ok(())
}
