//! The `--json` fields of each payload, beside its type, name and length:
//! an SA's proposals with their transforms and attributes, KE's group,
//! an identity's type and data, a notification's protocol, type and SPI,
//! a delete's SPIs, AUTH's method, and the bytes of the opaque payloads
//! (nonce, hash, signature, vendor id) in hex. Every read is bounded by
//! the payload; what does not fit is left out.

use super::names::{
    CERTS, GROUPS, PROTOCOLS, V1_IDS, V1_TRANSFORMS, V2_AUTH, V2_TRANSFORM_TYPES, V2_TRANSFORMS,
    at as name_at,
};
use super::walk::span;
use crate::dissect::wire::{u8_at, u16_at, u32_at};
use serde_json::{Map, Value, json};

fn hex(bytes: &[u8]) -> String {
    let mut w = Vec::with_capacity(bytes.len() * 2);
    super::walk::hex(&mut w, bytes);
    String::from_utf8_lossy(&w).into_owned()
}

/// Fill `o` with the fields of payload type `np` whose body is
/// `body` (the payload less its generic header).
pub(super) fn payload(o: &mut Map<String, Value>, np: u8, body: &[u8]) {
    let mut put = |k: &str, v: Value| {
        o.insert(k.into(), v);
    };
    match np {
        1 => {
            if let (Ok(doi), Ok(situation)) = (u32_at(body, 0), u32_at(body, 4)) {
                put("doi", json!(doi));
                put("situation", json!(situation));
                if doi == 1 && situation == 1 {
                    put("proposals", proposals(body.get(8..).unwrap_or(&[]), false));
                }
            }
        }
        33 => put("proposals", proposals(body, true)),
        4 | 8 | 9 | 10 | 13 | 40 | 43 | 46 => put("data", json!(hex(body))),
        5 => {
            if let (Ok(kind), Ok(proto), Ok(port)) =
                (u8_at(body, 0), u8_at(body, 1), u16_at(body, 2))
            {
                put("id_type", json!(kind));
                put("id_type_name", json!(name_at(V1_IDS, kind)));
                put("protocol", json!(proto));
                put("port", json!(port));
                put("data", json!(hex(body.get(4..).unwrap_or(&[]))));
            }
        }
        35 | 36 => {
            if let Ok(kind) = u8_at(body, 0) {
                put("id_type", json!(kind));
                put("data", json!(hex(body.get(4..).unwrap_or(&[]))));
            }
        }
        6 | 7 | 37 | 38 => {
            if let Ok(kind) = u8_at(body, 0) {
                put("encoding", json!(kind));
                put("encoding_name", json!(name_at(CERTS, kind)));
            }
        }
        34 => {
            if let Ok(group) = u16_at(body, 0) {
                put("group", json!(group));
                put("group_name", json!(name_at(GROUPS, group)));
            }
        }
        39 => {
            if let Ok(method) = u8_at(body, 0) {
                put("method", json!(method));
                put("method_name", json!(name_at(V2_AUTH, method)));
            }
        }
        11 | 12 => {
            let (Ok(doi), Ok(proto), Ok(size), Ok(x)) = (
                u32_at(body, 0),
                u8_at(body, 4),
                u8_at(body, 5),
                u16_at(body, 6),
            ) else {
                return;
            };
            put("doi", json!(doi));
            put("protocol", json!(proto));
            put("protocol_name", json!(name_at(PROTOCOLS, proto)));
            if np == 11 {
                put("notify_type", json!(x));
                put("spi", json!(hex(span(body, 8, usize::from(size)))));
            } else {
                put("spis", spis(body.get(8..).unwrap_or(&[]), size, x));
            }
        }
        41 => {
            if let (Ok(proto), Ok(size), Ok(kind)) =
                (u8_at(body, 0), u8_at(body, 1), u16_at(body, 2))
            {
                put("protocol", json!(proto));
                put("protocol_name", json!(name_at(PROTOCOLS, proto)));
                put("notify_type", json!(kind));
                let name = super::names::V2_NOTIFY
                    .iter()
                    .find(|(k, _, _)| *k == kind)
                    .map(|(_, n, _)| *n);
                put("notify_type_name", json!(name));
                put("spi", json!(hex(span(body, 4, usize::from(size)))));
            }
        }
        42 => {
            if let (Ok(proto), Ok(size), Ok(n)) = (u8_at(body, 0), u8_at(body, 1), u16_at(body, 2))
            {
                put("protocol", json!(proto));
                put("spis", spis(body.get(4..).unwrap_or(&[]), size, n));
            }
        }
        _ => {}
    }
}

/// `count` SPIs of `size` bytes each, as far as the bytes hold them.
fn spis(bytes: &[u8], size: u8, count: u16) -> Value {
    let size = usize::from(size);
    if size == 0 {
        return json!([]);
    }
    Value::Array(
        bytes
            .chunks_exact(size)
            .take(usize::from(count))
            .map(|s| json!(hex(s)))
            .collect(),
    )
}

/// An SA's proposals (a chain of items, each with its transforms).
fn proposals(bytes: &[u8], v2: bool) -> Value {
    let mut list = Vec::new();
    for body in items(bytes) {
        let (Ok(number), Ok(proto), Ok(size)) = (u8_at(body, 0), u8_at(body, 1), u8_at(body, 2))
        else {
            break;
        };
        let size = usize::from(size);
        let transforms: Vec<Value> = items(body.get(4 + size..).unwrap_or(&[]))
            .map(|t| transform(t, proto, v2))
            .collect();
        list.push(json!({
            "number": number,
            "protocol": proto,
            "protocol_name": name_at(PROTOCOLS, proto),
            "spi": hex(span(body, 4, size)),
            "transforms": transforms,
        }));
    }
    Value::Array(list)
}

fn transform(body: &[u8], proto: u8, v2: bool) -> Value {
    let mut o = Map::new();
    if v2 {
        let (Ok(kind), Ok(id)) = (u8_at(body, 0), u16_at(body, 2)) else {
            return Value::Object(o);
        };
        o.insert("type".into(), json!(kind));
        o.insert("type_name".into(), json!(name_at(V2_TRANSFORM_TYPES, kind)));
        o.insert("id".into(), json!(id));
        let table = V2_TRANSFORMS.get(usize::from(kind)).copied().unwrap_or(&[]);
        o.insert("id_name".into(), json!(name_at(table, id)));
    } else {
        let (Ok(number), Ok(id)) = (u8_at(body, 0), u8_at(body, 1)) else {
            return Value::Object(o);
        };
        o.insert("number".into(), json!(number));
        o.insert("id".into(), json!(id));
        let table = V1_TRANSFORMS
            .get(usize::from(proto))
            .copied()
            .unwrap_or(&[]);
        o.insert("id_name".into(), json!(name_at(table, id)));
    }
    o.insert(
        "attributes".into(),
        attributes(body.get(4..).unwrap_or(&[])),
    );
    Value::Object(o)
}

/// Each attribute's type and value (a number, or hex for a long one).
fn attributes(mut bytes: &[u8]) -> Value {
    let mut list = Vec::new();
    while let (Ok(kind), Ok(x)) = (u16_at(bytes, 0), u16_at(bytes, 2)) {
        if kind & 0x8000 != 0 {
            list.push(json!({"type": kind & 0x7fff, "value": x}));
            bytes = bytes.get(4..).unwrap_or(&[]);
        } else {
            let Some(value) = bytes.get(4..4 + usize::from(x)) else {
                break;
            };
            list.push(json!({"type": kind, "value": hex(value)}));
            bytes = bytes.get(4 + usize::from(x)..).unwrap_or(&[]);
        }
    }
    Value::Array(list)
}

/// The bodies of a chain of generic headers, while whole items fit (each
/// step moves at least four bytes).
fn items(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        let len = usize::from(u16_at(rest, 2).ok()?);
        let body = rest.get(4..len)?;
        rest = rest.get(len..).unwrap_or(&[]);
        Some(body)
    })
}
