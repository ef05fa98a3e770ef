//! LWAPP, Cisco's Lightweight Access Point Protocol (UDP 12222 data,
//! 12223 control: a controller and its access points), as tcpdump 4.99
//! prints it. The default line is the transport header's words:
//! `LWAPPv0, Control frame, Flags [Control Bit], length 30`; `-v` adds the
//! radio id, fragment id and the header's own length, then for a control
//! frame the AP's MAC (sent to 12223 only, before the header) and each
//! control message's type, sequence number, length and session id (their
//! elements tcpdump does not decode), for a data frame the 802.11 frame in
//! hex. A version other than 0 is `LWAPP version N packet not supported`;
//! a message longer than the header's length says `Msg goes past end of
//! PDU`; a header or message not captured whole ends at tcpdump's check
//! (` [|lwapp_control]`, ` [|lwapp_data]`: its `trunc` label, not a
//! jump). Zeek has no LWAPP analyzer (no `service`).

use super::ctl::{json_object_with_list, out, put_bits, put_mac_at, tok, unknown_data};
use super::wire::{Res, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub const DATA_PORT: u16 = 12222;
pub const CONTROL_PORT: u16 = 12223;

pub static LWAPP_CONTROL: Dissector = Dissector {
    name: "lwapp_control",
    json_key: "lwapp",
    line: Some(control_line),
    verbose: Some(control),
    json: control_json,
    service: "",
    recognise: |m| m.len() >= AP_IDENTITY + HEADER_LEN,
};

pub static LWAPP_DATA: Dissector = Dissector {
    name: "lwapp_data",
    json_key: "lwapp",
    line: Some(data_line),
    verbose: Some(data),
    json: data_json,
    service: "",
    recognise: |m| m.len() >= HEADER_LEN,
};

/// The transport header: version, radio id and flags; fragment id;
/// length; status or WLANs.
const HEADER_LEN: usize = 6;
/// The AP's MAC before the header, on the way to the control port.
const AP_IDENTITY: usize = 6;
/// A control message's header: type, sequence number, length, session.
const MESSAGE_HEADER_LEN: usize = 8;

/// The flags of the header's first byte (`bittok2str`).
const FLAGS: &[(u32, &str)] = &[
    (0x01, "Last Fragment Bit"),
    (0x02, "Fragment Bit"),
    (0x04, "Control Bit"),
];
const CONTROL_BIT: u8 = 0x04;

const MESSAGE_TYPES: &[(u8, &str)] = &[
    (1, "Discovery req"),
    (2, "Discovery resp"),
    (3, "Join req"),
    (4, "Join resp"),
    (5, "Join ack"),
    (6, "Join confirm"),
    (10, "Configure req"),
    (11, "Configure resp"),
    (12, "Update req"),
    (13, "Update resp"),
    (14, "WTP event req"),
    (15, "WTP event resp"),
    (16, "Change state event req"),
    (17, "Change state event resp"),
    (22, "Echo req"),
    (23, "Echo resp"),
    (24, "Image data req"),
    (25, "Image data resp"),
    (26, "Channel status req"),
    (27, "Channel status resp"),
    (30, "Key update req"),
    (31, "Key update resp"),
    (32, "Primary discovery req"),
    (33, "Primary discovery resp"),
    (34, "Data transfer req"),
    (35, "Data transfer resp"),
    (36, "Clear config ind"),
    (37, "Wlan config req"),
    (38, "Wlan config resp"),
    (39, "Mobile config req"),
    (40, "Mobile config resp"),
];

/// Whether the AP's identity comes first: tcpdump's control printer is
/// told so for a datagram to 12223, not for one from it (a printer
/// called without the packet's ports takes the first).
fn has_ap_identity() -> bool {
    super::peers::current().is_none_or(|p| p.ports.1 == CONTROL_PORT)
}

fn control_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    control(w, p, 0)
}

fn data_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    data(w, p, 0)
}

/// The header's first words, after tcpdump's checks that the header (and
/// the AP identity before it) was captured; `None` when the version is
/// not 0 (said) or at the default level (the line is done). `gap`: the
/// spaces before the radio and fragment ids (the data printer's format
/// has two).
fn head(w: &mut Vec<u8>, p: &Payload<'_>, at: usize, v: u8, gap: &str) -> Res<Option<u8>> {
    need(p.bytes, 0, at + HEADER_LEN)?;
    let first = u8_at(p.bytes, at)?;
    if first >> 6 != 0 {
        out!(w, "LWAPP version {} packet not supported", first >> 6);
        return Ok(None);
    }
    put_frame_kind(w, first);
    if v < 1 {
        w.extend_from_slice(b", Flags [");
        put_bits(w, FLAGS, u32::from(first & 7), "none");
        out!(w, "], length {}", p.declared_len);
        return Ok(None);
    }
    out!(w, ", Radio-id{gap}{}, Flags [", first >> 3 & 7);
    put_bits(w, FLAGS, u32::from(first & 7), "none");
    w.push(b']');
    Ok(Some(first))
}

/// `LWAPPv0, Control frame` or `Data frame`, by the C bit.
fn put_frame_kind(w: &mut Vec<u8>, first: u8) {
    let kind = if first & CONTROL_BIT != 0 {
        "Control"
    } else {
        "Data"
    };
    out!(w, "LWAPPv{}, {kind} frame", first >> 6);
}

fn control(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    let at = if has_ap_identity() { AP_IDENTITY } else { 0 };
    if head(w, p, at, v, " ")?.is_none() {
        return Ok(());
    }
    let mut left = usize::from(u16_at(m, at + 2)?);
    out!(w, ", Frag-id {}, length {left}", u8_at(m, at + 1)?);
    if at != 0 {
        w.extend_from_slice(b"\n\tAP identity: ");
        put_mac_at(w, m, 0)?;
    }
    let mut at = at + HEADER_LEN;
    while left != 0 {
        need(m, at, MESSAGE_HEADER_LEN)?;
        let n = usize::from(u16_at(m, at + 2)?);
        if left < MESSAGE_HEADER_LEN + n {
            w.extend_from_slice(b"\n\t  Msg goes past end of PDU");
            break;
        }
        let kind = u8_at(m, at)?;
        out!(
            w,
            "\n\t  Msg type: {} ({kind}), Seqnum: {}, Msg len: {n}, Session: 0x{:08x}",
            tok(MESSAGE_TYPES, kind).unwrap_or("Unknown"),
            u8_at(m, at + 1)?,
            u32_at(m, at + 4)?
        );
        // tcpdump checks the message's length from its header's start.
        need(m, at, n)?;
        at += MESSAGE_HEADER_LEN + n;
        left -= MESSAGE_HEADER_LEN + n;
    }
    Ok(())
}

fn data(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    if head(w, p, 0, v, "  ")?.is_none() {
        return Ok(());
    }
    let len = usize::from(u16_at(m, 2)?);
    if len < HEADER_LEN {
        out!(w, ", length {len} < transport header length");
        return Ok(());
    }
    out!(w, ", Frag-id  {}, length {len}", u8_at(m, 1)?);
    // The 802.11 frame, in hex as far as it was captured.
    unknown_data(w, m, HEADER_LEN, "\n\t", len - HEADER_LEN);
    Ok(())
}

fn control_json(p: &Payload<'_>) -> Value {
    json_object_with_list("messages", |o, list| {
        let at = if has_ap_identity() { AP_IDENTITY } else { 0 };
        if at != 0 {
            let mut mac = Vec::new();
            put_mac_at(&mut mac, p.bytes, 0)?;
            o.insert("ap_identity".into(), json!(String::from_utf8_lossy(&mac)));
        }
        let mut left = header_json(o, p.bytes, at)?;
        let mut at = at + HEADER_LEN;
        while left >= MESSAGE_HEADER_LEN {
            let (kind, n) = (u8_at(p.bytes, at)?, usize::from(u16_at(p.bytes, at + 2)?));
            list.push(json!({
                "type": kind,
                "type_name": tok(MESSAGE_TYPES, kind),
                "seq": u8_at(p.bytes, at + 1)?,
                "len": n,
                "session": u32_at(p.bytes, at + 4)?,
            }));
            if left < MESSAGE_HEADER_LEN + n {
                break;
            }
            at += MESSAGE_HEADER_LEN + n;
            left -= MESSAGE_HEADER_LEN + n;
        }
        Ok(())
    })
}

fn data_json(p: &Payload<'_>) -> Value {
    json_object_with_list("messages", |o, _| header_json(o, p.bytes, 0).map(|_| ()))
}

/// The transport header's fields for `--json`; the length it says.
fn header_json(o: &mut Map<String, Value>, m: &[u8], at: usize) -> Res<usize> {
    let first = u8_at(m, at)?;
    o.insert("version".into(), json!(first >> 6));
    o.insert("radio_id".into(), json!(first >> 3 & 7));
    o.insert("control".into(), json!(first & CONTROL_BIT != 0));
    o.insert("fragment".into(), json!(first & 2 != 0));
    o.insert("not_last".into(), json!(first & 1 != 0));
    o.insert("frag_id".into(), json!(u8_at(m, at + 1)?));
    let len = u16_at(m, at + 2)?;
    o.insert("length".into(), json!(len));
    Ok(usize::from(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AP's identity, a control header and one Echo request.
    const ECHO: [u8; 22] = [
        0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, // AP identity
        0x0c, 0x07, 0x00, 0x0a, 0x00, 0x00, // transport header
        22, 3, 0x00, 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, // message
    ];

    #[test]
    fn test_line() {
        assert_eq!(
            LWAPP_CONTROL.printed(&ECHO, 0),
            "LWAPPv0, Control frame, Flags [Control Bit], length 22"
        );
        assert_eq!(
            LWAPP_CONTROL.printed(&ECHO, 1),
            "LWAPPv0, Control frame, Radio-id 1, Flags [Control Bit], Frag-id 7, length 10\
             \n\tAP identity: 00:1b:21:aa:bb:cc\
             \n\t  Msg type: Echo req (22), Seqnum: 3, Msg len: 2, Session: 0xdeadbeef"
        );
        assert_eq!(
            LWAPP_DATA.printed(&[0x40, 0, 0, 6, 0, 0], 0),
            "LWAPP version 1 packet not supported"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(LWAPP_CONTROL.printed_cut(&ECHO, 11, 1), " [|lwapp_control]");
        assert_eq!(LWAPP_DATA.printed_cut(&ECHO, 5, 0), " [|lwapp_data]");
    }

    #[test]
    fn test_malformed_lengths() {
        let mut m = ECHO;
        m[9] = 9;
        assert!(
            LWAPP_CONTROL.printed(&m, 1).ends_with(
                "length 9\n\tAP identity: 00:1b:21:aa:bb:cc\n\t  Msg goes past end of PDU"
            )
        );
        assert_eq!(
            LWAPP_DATA.printed(&[0, 0, 0, 5, 0, 0], 1),
            "LWAPPv0, Data frame, Radio-id  0, Flags [none], length 5 < transport header length"
        );
    }
}
