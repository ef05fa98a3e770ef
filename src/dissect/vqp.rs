//! VQP, Cisco's VLAN Query Protocol (UDP 1589: a switch asks its VMPS
//! server which VLAN a port joins), as tcpdump 4.99 prints it. The
//! default line is the header's words: `VQPv1 Request, Join Port Message,
//! error-code No error (0), length 111`; `-v` puts the header with its
//! sequence number and item count on a line of its own and each object
//! after it (`Client IP Address Object (0x00000c01), length 4, value:
//! 10.1.2.3 (0x0a010203)`), an object tcpdump has no name for in hex at
//! `-v` only. A version other than 1 is `VQP version 2 packet not
//! supported`; an address or MAC of the wrong length ` (invalid)`; an
//! object type or length of zero ends the walk after its line; a header
//! or object that is not whole (captured or declared) stops at
//! ` [|vqp]`. Zeek has no VQP analyzer (no `service`).

use super::ctl::{
    invalid, ipv4_at, json_object_with_list, line_is_level_0, out, put_mac_at, put_text_nul, tok,
    unknown_data,
};
use super::wire::{Res, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static VQP: Dissector = Dissector {
    name: "vqp",
    json_key: "vqp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= HEADER_LEN && m.first() == Some(&VERSION),
};

/// Version, type, error code, item count, sequence number.
const HEADER_LEN: usize = 8;
/// An object's 32-bit type and 16-bit length.
const OBJECT_HEADER_LEN: usize = 6;
const VERSION: u8 = 1;

const MESSAGE_TYPES: &[(u8, &str)] = &[
    (1, "Request, Join Port"),
    (2, "Response, VLAN"),
    (3, "Request, Reconfirm"),
    (4, "Response, Reconfirm"),
];

const ERROR_CODES: &[(u8, &str)] = &[
    (0, "No error"),
    (3, "Access denied"),
    (4, "Shutdown port"),
    (5, "Wrong VTP domain"),
];

const CLIENT_IP: u32 = 0x0c01;
const MAC_NULL: u32 = 0x0c06;
const MAC_ADDRESS: u32 = 0x0c08;
/// Objects whose value tcpdump prints as text up to a NUL.
const TEXT_OBJECTS: &[u32] = &[0x0c02, 0x0c03, 0x0c04, 0x0c05];

const OBJECTS: &[(u32, &str)] = &[
    (CLIENT_IP, "Client IP Address"),
    (0x0c02, "Port Name"),
    (0x0c03, "VLAN Name"),
    (0x0c04, "VTP Domain"),
    (0x0c05, "Ethernet Packet"),
    (MAC_NULL, "MAC Null"),
    (MAC_ADDRESS, "MAC Address"),
];

/// `Request, Join Port`, or `unknown (N)` as tcpdump words a type it does
/// not name.
fn put_message_type(w: &mut Vec<u8>, t: u8) {
    match tok(MESSAGE_TYPES, t) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "unknown ({t})"),
    }
}

/// `No error (0)`; tcpdump's word for a code it does not name is a bare
/// `unknown`, before the number as for every other.
fn put_error_code(w: &mut Vec<u8>, c: u8) {
    out!(w, "{} ({c})", tok(ERROR_CODES, c).unwrap_or("unknown"));
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    // tcpdump checks the whole header is captured, then declared.
    need(m, 0, HEADER_LEN)?;
    if len < HEADER_LEN {
        return Err(Truncated);
    }
    let version = u8_at(m, 0)?;
    if version != VERSION {
        out!(w, "VQP version {version} packet not supported");
        return Ok(());
    }
    let (kind, code) = (u8_at(m, 1)?, u8_at(m, 2)?);
    if v == 0 {
        out!(w, "VQPv{version} ");
        put_message_type(w, kind);
        w.extend_from_slice(b" Message, error-code ");
        put_error_code(w, code);
        out!(w, ", length {len}");
        return Ok(());
    }
    let items = u8_at(m, 3)?;
    out!(w, "\n\tVQPv{version}, ");
    put_message_type(w, kind);
    w.extend_from_slice(b" Message, error-code ");
    put_error_code(w, code);
    out!(
        w,
        ", seq 0x{:08x}, items {items}, length {len}",
        u32_at(m, 4)?
    );
    let (mut at, mut left) = (HEADER_LEN, items);
    while left != 0 && at < len {
        need(m, at, OBJECT_HEADER_LEN)?;
        if len - at < OBJECT_HEADER_LEN {
            return Err(Truncated);
        }
        let (t, n) = (u32_at(m, at)?, usize::from(u16_at(m, at + 4)?));
        at += OBJECT_HEADER_LEN;
        out!(
            w,
            "\n\t  {} Object (0x{t:08x}), length {n}, value: ",
            tok(OBJECTS, t).unwrap_or("Unknown")
        );
        if t == 0 || n == 0 {
            return Ok(());
        }
        need(m, at, n)?;
        if n > len - at {
            return Err(Truncated);
        }
        if !put_object(w, m, at, t, n, v)? {
            return Ok(());
        }
        at += n;
        left -= 1;
    }
    Ok(())
}

/// One object's value, whole in the capture; `false` after ` (invalid)`
/// (a length the type does not allow), where tcpdump stops.
fn put_object(w: &mut Vec<u8>, m: &[u8], at: usize, t: u32, n: usize, v: u8) -> Res<bool> {
    match t {
        CLIENT_IP if n != 4 => return invalid(w, m, at, n).map(|_| false),
        CLIENT_IP => out!(w, "{} (0x{:08x})", ipv4_at(m, at)?, u32_at(m, at)?),
        MAC_NULL | MAC_ADDRESS if n != 6 => return invalid(w, m, at, n).map(|_| false),
        MAC_NULL | MAC_ADDRESS => put_mac_at(w, m, at)?,
        _ if TEXT_OBJECTS.contains(&t) => put_text_nul(w, m, at, n)?,
        _ if v <= 1 => unknown_data(w, m, at, "\n\t    ", n),
        _ => {}
    }
    Ok(true)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("objects", |o, list| json_fields(o, list, p))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, p: &Payload<'_>) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    need(m, 0, HEADER_LEN)?;
    let version = u8_at(m, 0)?;
    o.insert("version".into(), json!(version));
    if len < HEADER_LEN {
        return Err(Truncated);
    }
    if version != VERSION {
        return Ok(());
    }
    let (kind, code) = (u8_at(m, 1)?, u8_at(m, 2)?);
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(tok(MESSAGE_TYPES, kind)));
    o.insert("error_code".into(), json!(code));
    o.insert("error_code_name".into(), json!(tok(ERROR_CODES, code)));
    let items = u8_at(m, 3)?;
    o.insert("items".into(), json!(items));
    o.insert("sequence".into(), json!(u32_at(m, 4)?));
    let (mut at, mut left) = (HEADER_LEN, items);
    while left != 0 && at < len {
        let (t, n) = (u32_at(m, at)?, usize::from(u16_at(m, at + 4)?));
        at += OBJECT_HEADER_LEN;
        let mut obj = json!({"type": t, "type_name": tok(OBJECTS, t), "length": n});
        if t == 0 || n == 0 {
            list.push(obj);
            return Ok(());
        }
        let value = match need(m, at, n) {
            Ok(()) if n <= len - at.min(len) => object_value(m, at, t, n),
            _ => Err(Truncated),
        };
        let stop = matches!(value, Ok(Value::Null));
        obj["value"] = value.clone().unwrap_or(Value::Null);
        list.push(obj);
        if value.is_err() || stop {
            return value.map(|_| ());
        }
        at += n;
        left -= 1;
    }
    Ok(())
}

/// An object's value for `--json`: the address, the MAC, the text up to a
/// NUL, or the bytes in hex; `null` for a length the type does not allow.
fn object_value(m: &[u8], at: usize, t: u32, n: usize) -> Res<Value> {
    let bytes = m.get(at..at + n).ok_or(Truncated)?;
    Ok(match t {
        CLIENT_IP if n == 4 => json!(ipv4_at(m, at)?.to_string()),
        MAC_NULL | MAC_ADDRESS if n == 6 => {
            let mut s = Vec::new();
            put_mac_at(&mut s, m, at)?;
            json!(String::from_utf8_lossy(&s))
        }
        CLIENT_IP | MAC_NULL | MAC_ADDRESS => Value::Null,
        _ if TEXT_OBJECTS.contains(&t) => {
            let text = bytes.split(|&b| b == 0).next().unwrap_or(&[]);
            json!(String::from_utf8_lossy(text))
        }
        _ => json!(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Join Port request: the client's address and a port name.
    const JOIN: [u8; 27] = [
        1, 1, 0, 2, 0, 0, 0x12, 0x34, // header
        0, 0, 0x0c, 0x01, 0, 4, 10, 1, 2, 3, // client IP
        0, 0, 0x0c, 0x02, 0, 3, b'F', b'a', b'0', // port name
    ];

    #[test]
    fn test_line() {
        assert_eq!(
            VQP.printed(&JOIN, 0),
            "VQPv1 Request, Join Port Message, error-code No error (0), length 27"
        );
        assert_eq!(
            VQP.printed(&JOIN, 1),
            "\n\tVQPv1, Request, Join Port Message, error-code No error (0), seq 0x00001234, items 2, length 27\
             \n\t  Client IP Address Object (0x00000c01), length 4, value: 10.1.2.3 (0x0a010203)\
             \n\t  Port Name Object (0x00000c02), length 3, value: Fa0"
        );
        let mut m = JOIN;
        m[1] = 9;
        m[2] = 7;
        assert!(
            VQP.printed(&m, 0)
                .starts_with("VQPv1 unknown (9) Message, error-code unknown (7)")
        );
        m[0] = 2;
        assert_eq!(VQP.printed(&m, 1), "VQP version 2 packet not supported");
    }

    #[test]
    fn test_truncated() {
        assert_eq!(VQP.printed_cut(&JOIN, 7, 0), " [|vqp]");
        assert_eq!(VQP.printed(&JOIN[..7], 0), " [|vqp]");
        assert!(
            VQP.printed_cut(&JOIN, 17, 1)
                .ends_with("length 4, value:  [|vqp]")
        );
    }

    #[test]
    fn test_malformed_lengths() {
        let mut m = JOIN;
        m[13] = 3;
        assert!(VQP.printed(&m, 1).ends_with("length 3, value:  (invalid)"));
        m[13] = 0;
        assert!(VQP.printed(&m, 1).ends_with("length 0, value: "));
    }
}
