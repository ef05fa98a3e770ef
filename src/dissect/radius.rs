//! RADIUS (RFC 2865, accounting RFC 2866, dynamic authorization RFC 5176)
//! on UDP ports 1645, 1646, 1700, 1812, 1813 and 3799: the default line as
//! `tcpdump -n` prints it (`RADIUS, Access-Request (1), id: 0xbd length:
//! 55`) and a `"radius"` JSON object with the code, identifier,
//! authenticator and every attribute (number, tcpdump's name, length, and
//! the value as text when it is printable, else as hex).
//!
//! The `-v` text (one line per attribute, each type with its own format:
//! addresses, enumerations, tagged tunnel values, vendor-specific ones by
//! SMI enterprise name, EAP inside EAP-Message, location objects …) is in
//! [`verbose`], the tables it reads in [`values`]. Every level is checked
//! byte for byte by `tests/dissect_apps.rs` on
//! `captures/dissect_radius.pcap` and by `tests/dissect_apps_live.rs` on
//! what radclient and freeradius exchange.
//!
//! Every read is bounded; the attribute loop moves forward by at least two
//! bytes a turn.

mod values;
pub(super) use values::SMI_VENDORS;
mod verbose;

use super::dns::text::put_hex;
use super::wire::{Res, u8_at, u16_at};
use super::{Dissector, Payload, Truncated, json_object, put_num};
use serde_json::{Map, Value, json};

/// RADIUS on its ports.
pub static RADIUS: Dissector =
    Dissector::new("radius", line, verbose::verbose, to_json, looks_like_radius);

const HEADER_LEN: usize = 20;

/// A known code, and a length field that fits a header and the datagram.
fn looks_like_radius(m: &[u8]) -> bool {
    let known = u8_at(m, 0).is_ok_and(|c| code_name(c).is_some());
    let len = u16_at(m, 2).map_or(0, usize::from);
    known && (HEADER_LEN..=m.len()).contains(&len)
}

/// tcpdump's names of the codes it knows.
fn code_name(code: u8) -> Option<&'static str> {
    Some(match code {
        1 => "Access-Request",
        2 => "Access-Accept",
        3 => "Access-Reject",
        4 => "Accounting-Request",
        5 => "Accounting-Response",
        11 => "Access-Challenge",
        12 => "Status-Server",
        13 => "Status-Client",
        40 => "Disconnect-Request",
        41 => "Disconnect-ACK",
        42 => "Disconnect-NAK",
        43 => "CoA-Request",
        44 => "CoA-ACK",
        45 => "CoA-NAK",
        255 => "Reserved",
        _ => return None,
    })
}

/// tcpdump's name of an attribute type.
fn attribute_name(t: u8) -> &'static str {
    ATTRIBUTES
        .get(usize::from(t))
        .copied()
        .filter(|n| !n.is_empty())
        .unwrap_or("Unknown")
}

/// The message's length as tcpdump takes it: the header's length field,
/// but no more than the datagram; `Err` when the capture holds less than
/// a header or the field says less than one.
fn length(p: &Payload<'_>) -> Res<usize> {
    if p.bytes.len() < HEADER_LEN || p.declared_len < HEADER_LEN {
        return Err(Truncated);
    }
    let field = usize::from(u16_at(p.bytes, 2)?);
    if field < HEADER_LEN {
        return Err(Truncated);
    }
    Ok(field.min(p.declared_len))
}

/// Whether tcpdump's printer, stopping early, read past the capture (see
/// `dissect::JumpRule`): the header is checked first; after it the
/// printers write their checked stops themselves (` [|radius]` and on),
/// so a stop that reaches the caller is an unchecked read.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], _: u8) -> bool {
    length(p).is_ok()
}

/// `RADIUS, Access-Request (1), id: 0xbd length: 55`.
fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let len = length(p)?;
    let (code, id) = (u8_at(p.bytes, 0)?, u8_at(p.bytes, 1)?);
    w.extend_from_slice(b"RADIUS, ");
    w.extend_from_slice(code_name(code).unwrap_or("Unknown Command").as_bytes());
    w.extend_from_slice(b" (");
    put_num(w, code);
    w.extend_from_slice(b"), id: 0x");
    put_hex(w, id, 2);
    w.extend_from_slice(b" length: ");
    put_num(w, len);
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    let mut w = Vec::with_capacity(2 * bytes.len());
    bytes.iter().for_each(|&b| put_hex(&mut w, b, 2));
    String::from_utf8_lossy(&w).into_owned()
}

/// The header, then each attribute; `complete` is false when the message
/// or an attribute runs out.
fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let code = u8_at(m, 0)?;
    o.insert("code".into(), json!(code));
    o.insert("code_name".into(), json!(code_name(code)));
    o.insert("id".into(), json!(u8_at(m, 1)?));
    let len = length(p)?;
    o.insert("length".into(), json!(len));
    o.insert(
        "authenticator".into(),
        json!(hex(m.get(4..HEADER_LEN).ok_or(Truncated)?)),
    );
    let mut attrs = Vec::new();
    let mut at = HEADER_LEN;
    let mut whole = true;
    while at < len {
        let (Ok(t), Ok(alen)) = (u8_at(m, at), u8_at(m, at + 1)) else {
            whole = false;
            break;
        };
        let alen = usize::from(alen);
        let value = m
            .get(at + 2..at + alen)
            .filter(|_| alen >= 2 && at + alen <= len);
        let Some(value) = value else {
            whole = false;
            break;
        };
        let printable = !value.is_empty() && value.iter().all(|c| (0x20..0x7f).contains(c));
        let mut a = json!({"type": t, "name": attribute_name(t), "length": alen});
        if printable {
            a["value"] = json!(String::from_utf8_lossy(value));
        } else {
            a["hex"] = json!(hex(value));
        }
        attrs.push(a);
        at += alen;
    }
    o.insert("attributes".into(), Value::Array(attrs));
    if whole { Ok(()) } else { Err(Truncated) }
}

/// tcpdump's attribute names by type (130 and above: `Unknown`), as it
/// prints them at `-v`.
const ATTRIBUTES: [&str; 130] = [
    "",
    "User-Name",
    "User-Password",
    "CHAP-Password",
    "NAS-IP-Address",
    "NAS-Port",
    "Service-Type",
    "Framed-Protocol",
    "Framed-IP-Address",
    "Framed-IP-Netmask",
    "Framed-Routing",
    "Filter-Id",
    "Framed-MTU",
    "Framed-Compression",
    "Login-IP-Host",
    "Login-Service",
    "Login-TCP-Port",
    "Unassigned",
    "Reply-Message",
    "Callback-Number",
    "Callback-Id",
    "Unassigned",
    "Framed-Route",
    "Framed-IPX-Network",
    "State",
    "Class",
    "Vendor-Specific",
    "Session-Timeout",
    "Idle-Timeout",
    "Termination-Action",
    "Called-Station-Id",
    "Calling-Station-Id",
    "NAS-Identifier",
    "Proxy-State",
    "Login-LAT-Service",
    "Login-LAT-Node",
    "Login-LAT-Group",
    "Framed-AppleTalk-Link",
    "Framed-AppleTalk-Network",
    "Framed-AppleTalk-Zone",
    "Acct-Status-Type",
    "Acct-Delay-Time",
    "Acct-Input-Octets",
    "Acct-Output-Octets",
    "Acct-Session-Id",
    "Acct-Authentic",
    "Acct-Session-Time",
    "Acct-Input-Packets",
    "Acct-Output-Packets",
    "Acct-Terminate-Cause",
    "Acct-Multi-Session-Id",
    "Acct-Link-Count",
    "Acct-Input-Gigawords",
    "Acct-Output-Gigawords",
    "Unassigned",
    "Event-Timestamp",
    "Egress-VLANID",
    "Ingress-Filters",
    "Egress-VLAN-Name",
    "User-Priority-Table",
    "CHAP-Challenge",
    "NAS-Port-Type",
    "Port-Limit",
    "Login-LAT-Port",
    "Tunnel-Type",
    "Tunnel-Medium-Type",
    "Tunnel-Client-Endpoint",
    "Tunnel-Server-Endpoint",
    "Acct-Tunnel-Connection",
    "Tunnel-Password",
    "ARAP-Password",
    "ARAP-Features",
    "ARAP-Zone-Access",
    "ARAP-Security",
    "ARAP-Security-Data",
    "Password-Retry",
    "Prompt",
    "Connect-Info",
    "Configuration-Token",
    "EAP-Message",
    "Message-Authenticator",
    "Tunnel-Private-Group-ID",
    "Tunnel-Assignment-ID",
    "Tunnel-Preference",
    "ARAP-Challenge-Response",
    "Acct-Interim-Interval",
    "Acct-Tunnel-Packets-Lost",
    "NAS-Port-Id",
    "Framed-Pool",
    "CUI",
    "Tunnel-Client-Auth-ID",
    "Tunnel-Server-Auth-ID",
    "NAS-Filter-Rule",
    "Unassigned",
    "Originating-Line-Info",
    "NAS-IPv6-Address",
    "Framed-Interface-ID",
    "Framed-IPv6-Prefix",
    "Login-IPv6-Host",
    "Framed-IPv6-Route",
    "Framed-IPv6-Pool",
    "Error-Cause",
    "EAP-Key-Name",
    "Digest-Response",
    "Digest-Realm",
    "Digest-Nonce",
    "Digest-Response-Auth",
    "Digest-Nextnonce",
    "Digest-Method",
    "Digest-URI",
    "Digest-Qop",
    "Digest-Algorithm",
    "Digest-Entity-Body-Hash",
    "Digest-CNonce",
    "Digest-Nonce-Count",
    "Digest-Username",
    "Digest-Opaque",
    "Digest-Auth-Param",
    "Digest-AKA-Auts",
    "Digest-Domain",
    "Digest-Stale",
    "Digest-HA1",
    "SIP-AOR",
    "Delegated-IPv6-Prefix",
    "MIP6-Feature-Vector",
    "MIP6-Home-Link-Prefix",
    "Operator-Name",
    "Location-Information",
    "Location-Data",
    "Basic-Location-Policy-Rules",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &[u8], keep: usize) -> String {
        RADIUS.printed_cut(m, keep, 0)
    }

    const REQUEST: &[u8] = b"\x01\xbd\x00\x19\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x01\x05bob";

    #[test]
    fn test_request() {
        assert_eq!(
            text(REQUEST, REQUEST.len()),
            "RADIUS, Access-Request (1), id: 0xbd length: 25"
        );
        let p = Payload {
            bytes: REQUEST,
            declared_len: REQUEST.len(),
        };
        let v = to_json(&p);
        assert_eq!(v["attributes"][0]["name"], "User-Name");
        assert_eq!(v["attributes"][0]["value"], "bob");
        assert_eq!(v["complete"], true);
    }

    #[test]
    fn test_truncated() {
        // Only the header must be captured for the line.
        for keep in 0..HEADER_LEN {
            assert_eq!(text(REQUEST, keep), " [|radius]", "{keep}");
        }
        assert!(text(REQUEST, HEADER_LEN).ends_with("length: 25"));
    }

    #[test]
    fn test_malformed_length_field_under_a_header() {
        let mut m = REQUEST.to_vec();
        m[3] = 19;
        assert_eq!(text(&m, m.len()), " [|radius]");
        m[3] = 200;
        assert!(text(&m, m.len()).ends_with("length: 25"));
    }
}
