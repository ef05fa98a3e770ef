//! SOME/IP, the automotive service protocol (AUTOSAR's Scalable
//! service-Oriented MiddlewarE over IP; its service discovery's port, UDP
//! 30490), as tcpdump 4.99 prints it, one line at every level:
//! `SOMEIP, service 4660, method 1, len 8, client 0, session 2, pver 1,
//! iver 1, msgtype REQUEST, retcode E_OK` and an empty line after it
//! (tcpdump's own format ends with a new line). Only the 16-byte header is
//! read; what follows is not printed. A datagram shorter than the header is
//! `SOMEIP (invalid)`; a cut one stops after the last field read whole,
//! then ` [|someip]` (tcpdump reads every field unchecked). tcpdump does
//! not decode SOME/IP over TCP, and Zeek has no analyzer for it (no
//! `service`).

use super::ctl::{json_object, line_is_level_0, out, tok};
use super::wire::{Res, u8_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static SOMEIP: Dissector = Dissector {
    name: "someip",
    json_key: "someip",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= HEADER_LEN,
};

/// Message id, length, request id, versions, type and return code.
const HEADER_LEN: usize = 16;

const MESSAGE_TYPES: &[(u8, &str)] = &[
    (0x00, "REQUEST"),
    (0x01, "REQUEST_NO_RETURN"),
    (0x02, "NOTIFICATION"),
    (0x80, "RESPONSE"),
    (0x81, "ERROR"),
    (0x20, "TP_REQUEST"),
    (0x21, "TP_REQUEST_NO_RETURN"),
    (0x22, "TP_NOTIFICATION"),
    (0xa0, "TP_RESPONSE"),
    (0xa1, "TP_ERROR"),
];

/// The return codes tcpdump names (0x00 to 0x0f).
const RETURN_CODES: &[&str] = &[
    "E_OK",
    "E_NOT_OK",
    "E_UNKNOWN_SERVICE",
    "E_UNKNOWN_METHOD",
    "E_NOT_READY",
    "E_NOT_REACHABLE",
    "E_TIMEOUT",
    "E_WRONG_PROTOCOL_VERSION",
    "E_WRONG_INTERFACE_VERSION",
    "E_MALFORMED_MESSAGE",
    "E_WRONG_MESSAGE_TYPE",
    "E_E2E_REPEATED",
    "E_E2E_WRONG_SEQUENCE",
    "E_E2E",
    "E_E2E_NOT_AVAILABLE",
    "E_E2E_NO_NEW_DATA",
];

fn message_type(t: u8) -> &'static str {
    tok(MESSAGE_TYPES, t).unwrap_or("Unknown")
}

fn return_code(c: u8) -> &'static str {
    RETURN_CODES
        .get(usize::from(c))
        .copied()
        .unwrap_or("Unknown")
}

line_is_level_0!();

/// Each field is printed as soon as it is read, as tcpdump does: a cut
/// leaves the fields before it on the line.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    let m = p.bytes;
    w.extend_from_slice(b"SOMEIP");
    if p.declared_len < HEADER_LEN {
        w.extend_from_slice(b" (invalid)");
        return Ok(());
    }
    let id = u32_at(m, 0)?;
    let kind = if id & 0x8000 != 0 { "event" } else { "method" };
    out!(w, ", service {}, {kind} {}", id >> 16, id & 0x7fff);
    out!(w, ", len {}", u32_at(m, 4)?);
    let request = u32_at(m, 8)?;
    out!(
        w,
        ", client {}, session {}",
        request >> 16,
        request & 0xffff
    );
    out!(w, ", pver {}", u8_at(m, 12)?);
    out!(w, ", iver {}", u8_at(m, 13)?);
    out!(w, ", msgtype {}", message_type(u8_at(m, 14)?));
    out!(w, ", retcode {}\n", return_code(u8_at(m, 15)?));
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let id = u32_at(m, 0)?;
    o.insert("service_id".into(), json!(id >> 16));
    let kind = if id & 0x8000 != 0 {
        "event_id"
    } else {
        "method_id"
    };
    o.insert(kind.into(), json!(id & 0x7fff));
    o.insert("length".into(), json!(u32_at(m, 4)?));
    let request = u32_at(m, 8)?;
    o.insert("client_id".into(), json!(request >> 16));
    o.insert("session_id".into(), json!(request & 0xffff));
    o.insert("protocol_version".into(), json!(u8_at(m, 12)?));
    o.insert("interface_version".into(), json!(u8_at(m, 13)?));
    let t = u8_at(m, 14)?;
    o.insert("message_type".into(), json!(t));
    o.insert("message_type_name".into(), json!(message_type(t)));
    let c = u8_at(m, 15)?;
    o.insert("return_code".into(), json!(c));
    o.insert("return_code_name".into(), json!(return_code(c)));
    if p.declared_len < HEADER_LEN {
        return Err(super::Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUEST: [u8; 16] = [
        0x12, 0x34, 0x80, 0x01, 0, 0, 0, 8, 0, 0, 0, 1, 1, 1, 0xa1, 0x10,
    ];

    #[test]
    fn test_line() {
        assert_eq!(
            SOMEIP.printed(&REQUEST, 0),
            "SOMEIP, service 4660, event 1, len 8, client 0, session 1, pver 1, iver 1, msgtype TP_ERROR, retcode Unknown\n"
        );
        let mut m = REQUEST;
        m[2] = 0;
        m[14] = 0x80;
        m[15] = 3;
        assert!(
            SOMEIP
                .printed(&m, 1)
                .ends_with("method 1, len 8, client 0, session 1, pver 1, iver 1, msgtype RESPONSE, retcode E_UNKNOWN_METHOD\n")
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(SOMEIP.printed_cut(&REQUEST, 3, 0), "SOMEIP [|someip]");
        assert_eq!(
            SOMEIP.printed_cut(&REQUEST, 11, 0),
            "SOMEIP, service 4660, event 1, len 8 [|someip]"
        );
    }

    #[test]
    fn test_malformed_short_length() {
        assert_eq!(SOMEIP.printed(&REQUEST[..15], 0), "SOMEIP (invalid)");
    }
}
