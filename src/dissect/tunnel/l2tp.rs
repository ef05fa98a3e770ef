//! L2TPv2 (RFC 2661, UDP port 1701): ` l2tp:[L](1/2) {…}` around the PPP
//! frame of a data message; a control message's header, `Ns=0,Nr=0`, then
//! its AVPs ([`super::l2tp_avp`]).

use super::super::ctl::{Bit, is_set, put_bits_sep};
use super::super::put_num;
use super::super::wire::{Res, u16_at};
use super::{Kind, Level, Printed, Tunnel, ppp};
use crate::dissect::Payload;
use serde_json::{Value, json};

pub static L2TP: Tunnel = Tunnel::new("l2tp", line, json);

const TYPE: Bit = (0x8000, "T");
const LENGTH: Bit = (0x4000, "L");
const SEQUENCE: Bit = (0x0800, "S");
const OFFSET: Bit = (0x0200, "O");

/// The flags' letters, in tcpdump's order (priority is only named).
const FLAGS: &[Bit] = &[TYPE, LENGTH, SEQUENCE, OFFSET, (0x0100, "P")];

/// RFC 2661's control message types, 1 to 16, and 20 (ACK).
pub(super) const MESSAGE_TYPES: [&str; 17] = [
    "", "SCCRQ", "SCCRP", "SCCCN", "StopCCN", "", "HELLO", "OCRQ", "OCRP", "OCCN", "ICRQ", "ICRP",
    "ICCN", "", "CDN", "WEN", "SLI",
];

fn line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, _level: Level) -> Res<Printed<'a>> {
    let m = p.bytes;
    let flags = u16_at(m, 0)?;
    match flags & 0x000f {
        2 => w.extend_from_slice(b" l2tp:"),
        1 => {
            w.extend_from_slice(b" l2f:");
            return Ok(Printed::done());
        }
        _ => {
            w.extend_from_slice(b" Unknown Version, neither L2F(1) nor L2TP(2)");
            return Ok(Printed::done());
        }
    }
    w.push(b'[');
    put_bits_sep(w, FLAGS, u32::from(flags), "", "");
    w.push(b']');
    let mut at = 2;
    let declared = if is_set(flags, LENGTH) {
        at += 2;
        Some(usize::from(u16_at(m, 2)?))
    } else {
        None
    };
    let tunnel = u16_at(m, at)?;
    w.push(b'(');
    put_num(w, tunnel);
    w.push(b'/');
    let session = u16_at(m, at + 2)?;
    put_num(w, session);
    w.push(b')');
    at += 4;
    if is_set(flags, SEQUENCE) {
        let ns = u16_at(m, at)?;
        w.extend_from_slice(b"Ns=");
        put_num(w, ns);
        w.push(b',');
        let nr = u16_at(m, at + 2)?;
        w.extend_from_slice(b"Nr=");
        put_num(w, nr);
        at += 4;
    }
    if is_set(flags, OFFSET) {
        // tcpdump reads the offset field unchecked, then checks the
        // padding was captured.
        at += 2 + usize::from(u16_at(m, at)?);
        if m.len() < at {
            return Ok(checked_cut(w));
        }
    }
    let mut length = p.declared_len;
    if let Some(declared) = declared {
        if length < declared {
            w.extend_from_slice(b" Length ");
            put_num(w, declared);
            w.extend_from_slice(b" larger than packet");
            return Ok(Printed::done());
        }
        length = declared;
    }
    if length < at {
        w.extend_from_slice(b" Length ");
        put_num(w, length);
        w.extend_from_slice(b" smaller than header length");
        return Ok(Printed::done());
    }
    let left = length - at;
    let rest = m.get(at..).unwrap_or(&[]);
    if !is_set(flags, TYPE) {
        w.extend_from_slice(b" {");
        return Ok(Printed {
            close: "}",
            ..Printed::then(Kind::Encap(&ppp::PPP), rest, left)
        });
    }
    if declared.is_none() {
        w.extend_from_slice(b" No length");
        return Ok(Printed::done());
    }
    if left == 0 {
        w.extend_from_slice(b" ZLB");
        return Ok(Printed::done());
    }
    super::l2tp_avp::write_avps(w, rest, left)?;
    Ok(Printed::done())
}

/// A cut that tcpdump's printer checked for before reading (`ND_TCHECK`):
/// the mark ends the line, but the printer returns instead of jumping
/// out of the packet (the `-x` dump starts where it always does).
pub(super) fn checked_cut<'a>(w: &mut Vec<u8>) -> Printed<'a> {
    w.extend_from_slice(b" [|l2tp]");
    Printed::done()
}

/// RFC 2661's attribute names, as tcpdump abbreviates them (Debian's
/// tcpdump has none for 40, the PPP disconnect cause: `AVP-#40()`).
pub(super) const AVP_NAMES: [&str; 40] = [
    "MSGTYPE",
    "RESULT_CODE",
    "PROTO_VER",
    "FRAMING_CAP",
    "BEARER_CAP",
    "TIE_BREAKER",
    "FIRM_VER",
    "HOST_NAME",
    "VENDOR_NAME",
    "ASSND_TUN_ID",
    "RECV_WIN_SIZE",
    "CHALLENGE",
    "Q931_CC",
    "CHALLENGE_RESP",
    "ASSND_SESS_ID",
    "CALL_SER_NUM",
    "MINIMUM_BPS",
    "MAXIMUM_BPS",
    "BEARER_TYPE",
    "FRAMING_TYPE",
    "PACKET_PROC_DELAY",
    "CALLED_NUMBER",
    "CALLING_NUMBER",
    "SUB_ADDRESS",
    "TX_CONN_SPEED",
    "PHY_CHANNEL_ID",
    "INI_RECV_LCP",
    "LAST_SENT_LCP",
    "LAST_RECV_LCP",
    "PROXY_AUTH_TYPE",
    "PROXY_AUTH_NAME",
    "PROXY_AUTH_CHAL",
    "PROXY_AUTH_ID",
    "PROXY_AUTH_RESP",
    "CALL_ERRORS",
    "ACCM",
    "RANDOM_VECTOR",
    "PRIVATE_GRP_ID",
    "RX_CONN_SPEED",
    "SEQ_REQUIRED",
];

fn json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    let Ok(flags) = u16_at(m, 0) else {
        return json!({"complete": false});
    };
    let at = if is_set(flags, LENGTH) { 4 } else { 2 };
    match (u16_at(m, at), u16_at(m, at + 2)) {
        (Ok(tunnel), Ok(session)) => json!({
            "version": flags & 0x000f, "control": is_set(flags, TYPE),
            "tunnel_id": tunnel, "session_id": session, "complete": true,
        }),
        _ => json!({"version": flags & 0x000f, "complete": false}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(m: &[u8]) -> String {
        super::super::printed(&L2TP, m, 0)
    }

    #[test]
    fn test_control_and_data() {
        let ctl = [
            0xc8, 2, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 8, 0, 0, 0, 0, 0, 1,
        ];
        assert_eq!(print(&ctl), " l2tp:[TLS](0/0)Ns=0,Nr=0 *MSGTYPE(SCCRQ)");
        let zlb = [0xc8, 2, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0];
        assert_eq!(print(&zlb), " l2tp:[TLS](1/0)Ns=0,Nr=0 ZLB");
        assert_eq!(
            print(&[0x40, 2, 0, 9, 0, 1, 0, 2, 0x21]),
            " l2tp:[L](1/2) {"
        );
        assert_eq!(print(&[0x40, 2, 0, 9, 0, 1]), " l2tp:[L](1/ [|l2tp]");
    }
}
