//! PPP as tunnels carry it (PPPoE sessions, PPTP's GRE, L2TP), and PPPoE
//! (RFC 2516): discovery, `PPPoE PADI [Service-Name] [Host-Uniq "abcd"]`
//! with its tags, and sessions, `PPPoE  [ses 0x1234] ` then the PPP
//! frame. PPP hands IP and IPv6 to the IP printers and MPLS to its own;
//! other protocols are named and dumped in hex as tcpdump does.

use super::super::wire::{Res, u8_at, u16_at};
use super::super::{Hex, put_known, put_num};
use super::ppp_payload::{PPP_HDLC_UNESCAPED, PPP_UNESCAPED, type_name, write_body};
use super::{Kind, Level, Printed, Tunnel, ppp_cp, put_hex};
use crate::dissect::{Payload, Truncated};
use serde_json::{Value, json};

pub static PPP: Tunnel = Tunnel::new("ppp", ppp_line, ppp_json);

/// PPP straight in an Ethernet frame (EtherType 0x880b): tcpdump's
/// EtherType printer writes `: ` before the PPP frame, and nothing at all
/// for an empty one.
pub static PPP_ETHER: Tunnel = Tunnel::new("ppp", ppp_ether_line, ppp_json);

/// PPPoE, discovery (EtherType 0x8863) and session (0x8864) alike: the
/// code field tells them apart.
pub static PPPOE: Tunnel = Tunnel::new("pppoe", pppoe_line, pppoe_json);

/// The PPP protocol number and where the payload starts: after the
/// optional HDLC address and control bytes (or pppd's direction byte),
/// and a one- or two-byte protocol field.
fn ppp_header(m: &[u8]) -> Res<(u16, usize)> {
    if m.len() < 2 {
        return Err(Truncated);
    }
    let mut at = match u16_at(m, 0)? {
        0xff03 | 0x0003 | 0x0103 => 2,
        _ => 0,
    };
    // One byte read first: an odd one is the whole protocol field.
    let first = u8_at(m, at)?;
    let proto = if first % 2 == 1 {
        at += 1;
        u16::from(first)
    } else {
        let p = u16_at(m, at)?;
        at += 2;
        p
    };
    Ok((proto, at))
}

fn ppp_ether_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    if p.declared_len == 0 {
        return Ok(Printed::done());
    }
    w.extend_from_slice(b": ");
    ppp_line(w, p, level)
}

fn ppp_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    // Too short by its carrier's length: tcpdump marks it and goes on
    // (L2TP's `}` still follows); cut by the capture, it gives up.
    let short = |need: usize| p.declared_len < need;
    let hdlc = matches!(u16_at(p.bytes, 0), Ok(0xff03 | 0x0003 | 0x0103));
    // pppd's direction byte, named under `-e` before anything is checked
    // after it.
    if level.eflag && !short(2) {
        match u16_at(p.bytes, 0) {
            Ok(0x0003) => w.extend_from_slice(b"In  "),
            Ok(0x0103) => w.extend_from_slice(b"Out "),
            _ => {}
        }
    }
    if short(2) || (hdlc && short(4)) {
        w.extend_from_slice(b" [|ppp]");
        return Ok(Printed::done());
    }
    let (proto, at) = ppp_header(p.bytes)?;
    if level.eflag {
        // The protocol and the frame's length; tcpdump prints nothing
        // more of a protocol it cannot name.
        let name = type_name(proto);
        w.extend_from_slice(name.unwrap_or("unknown").as_bytes());
        w.extend_from_slice(format!(" (0x{proto:04x}), length ").as_bytes());
        put_num(w, p.declared_len);
        if name.is_none() {
            return Ok(Printed::done());
        }
        w.extend_from_slice(b": ");
    }
    frame_body(w, p, (proto, at), level)
}

/// What a PPP frame (`p`, its protocol `proto` ending at `at`) carries.
fn frame_body<'a>(
    w: &mut Vec<u8>,
    p: &Payload<'a>,
    (proto, at): (u16, usize),
    level: Level,
) -> Res<Printed<'a>> {
    let wire_len = p.declared_len.saturating_sub(at);
    let escapes = Some(&PPP_UNESCAPED);
    write_body(w, proto, (p.bytes, at), wire_len, (level, escapes))
}

/// A frame of PPP's own link type (or behind Frame Relay's NLPID 0xcf)
/// that carries no IP: the link printer has written `-e`'s words (after
/// which tcpdump prints nothing more of a protocol it cannot name).
pub static PPP_LINK: Tunnel = Tunnel::new("ppp", ppp_link_line, ppp_json);

/// A frame of PPP in HDLC framing (link type 50): address, control and
/// a two-byte protocol, which the link printer named.
pub static PPP_HDLC_LINK: Tunnel = Tunnel::new("ppp_hdlc", ppp_hdlc_line, ppp_json);

fn ppp_link_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    let (proto, at) = ppp_header(p.bytes)?;
    if level.eflag && type_name(proto).is_none() {
        return Ok(Printed::done());
    }
    frame_body(w, p, (proto, at), level)
}

fn ppp_hdlc_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    let proto = u16_at(p.bytes, 2)?;
    let wire_len = p.declared_len.saturating_sub(4);
    write_body(
        w,
        proto,
        (p.bytes, 4),
        wire_len,
        (level, Some(&PPP_HDLC_UNESCAPED)),
    )
}

/// PPP's control protocols (named by [`type_name`], as tcpdump names them).
const CONTROL: [u16; 7] = [0xc021, 0x8021, 0x8023, 0x8281, 0x8057, 0x80fd, 0xc02b];

/// Their codes, from 1.
const CP_CODES: [&str; 15] = [
    "Conf-Request",
    "Conf-Ack",
    "Conf-Nack",
    "Conf-Reject",
    "Term-Request",
    "Term-Ack",
    "Code-Reject",
    "Prot-Reject",
    "Echo-Request",
    "Echo-Reply",
    "Disc-Req",
    "Ident",
    "Time-Rem",
    "Reset-Req",
    "Reset-Ack",
];

/// The line of a PPP control message (`LCP, Conf-Request (0x01), id 1,
/// length 16`, CHAP, PAP; under `-v` the options, [`ppp_cp`]) of `len`
/// bytes on the wire, starting at `at` in `frame` (after the protocol
/// field); `None` for a protocol that is not one (`Err`: the capture cut
/// what tcpdump reads unchecked).
pub(super) fn write_control(
    w: &mut Vec<u8>,
    proto: u16,
    (frame, at): (&[u8], usize),
    len: usize,
    verbose: u8,
) -> Option<Res<()>> {
    let m = frame.get(at..).unwrap_or(&[]);
    if CONTROL.contains(&proto)
        && let Some(name) = type_name(proto)
    {
        w.extend_from_slice(name.as_bytes());
        w.extend_from_slice(b", ");
        // Cut, tcpdump names the control protocol in its mark.
        if control(w, m, len).is_err() {
            super::super::ctl::out!(w, "[|{name}]");
            return Some(Ok(()));
        }
        if verbose == 0 {
            return Some(Ok(()));
        }
        let pre = frame.get(at.saturating_sub(2)..).unwrap_or(&[]);
        return Some(ppp_cp::write_verbose(
            w,
            proto,
            (m, pre),
            len,
            verbose,
            name,
        ));
    }
    match proto {
        0xc223 => Some(chap(w, m, len)),
        0xc023 => Some(pap(w, m, len)),
        _ => None,
    }
}

/// `Conf-Request (0x01), id 1`: a code, named from `names` (from 1).
fn code_and_id(w: &mut Vec<u8>, m: &[u8], names: &[&str], unknown: &str) -> Res<()> {
    let code = u8_at(m, 0)?;
    let name = usize::from(code)
        .checked_sub(1)
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or(unknown);
    super::super::ctl::out!(w, "{name} (0x{code:02x})");
    let id = u8_at(m, 1)?;
    super::super::ctl::out!(w, ", id {id}");
    Ok(())
}

fn control(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    // tcpdump needs the code and id captured, and four bytes on the wire.
    if len < 4 || m.len() < 2 {
        return Err(Truncated);
    }
    // Code 0 is RFC 2153's vendor extension, before the table's first.
    if u8_at(m, 0)? == 0 {
        super::super::ctl::out!(w, "Vendor-Extension (0x00), id {}", u8_at(m, 1)?);
    } else {
        code_and_id(w, m, &CP_CODES, "Unknown Opcode")?;
    }
    super::super::ctl::out!(w, ", length {}", len + 2);
    Ok(())
}

/// Escaped text of `n` bytes at `at` (all there, or `Err`).
fn put_text(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    for i in 0..n {
        super::super::dns::text::put_char(w, u8_at(m, at + i)?);
    }
    Ok(())
}

fn chap(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    // Not even the code: tcpdump's mark alone.
    u8_at(m, 0)?;
    w.extend_from_slice(b"CHAP, ");
    code_and_id(
        w,
        m,
        &["Challenge", "Response", "Success", "Fail"],
        "unknown",
    )?;
    let declared = usize::from(u16_at(m, 2)?);
    if len < 4 {
        return Ok(());
    }
    match u8_at(m, 0)? {
        1 | 2 => {
            if len < 5 {
                return Ok(());
            }
            let size = usize::from(u8_at(m, 4)?);
            if len - 5 < size {
                return Ok(());
            }
            w.extend_from_slice(b", Value ");
            for i in 0..size {
                super::super::ctl::out!(w, "{:02x}", u8_at(m, 5 + i)?);
            }
            w.extend_from_slice(b", Name ");
            put_text(w, m, 5 + size, declared.saturating_sub(5 + size))
        }
        3 | 4 => {
            w.extend_from_slice(b", Msg ");
            put_text(w, m, 4, declared.saturating_sub(4))
        }
        _ => Ok(()),
    }
}

fn pap(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    // Shorter than its header on the wire: tcpdump's own marks, the
    // code in the second (no space before either).
    match len {
        0 => {
            w.extend_from_slice(b"[|pap]");
            return Ok(());
        }
        1..4 => {
            let code = u8_at(m, 0)?;
            super::super::ctl::out!(w, "[|pap 0x{code:02x}]");
            return Ok(());
        }
        _ => {}
    }
    u8_at(m, 0)?;
    w.extend_from_slice(b"PAP, ");
    code_and_id(w, m, &["Auth-Req", "Auth-ACK", "Auth-NACK"], "unknown")?;
    let declared = usize::from(u16_at(m, 2)?);
    if declared > len {
        super::super::ctl::out!(w, ", length {declared} > packet size");
        return Ok(());
    }
    if declared < 4 {
        super::super::ctl::out!(w, ", length {declared} < PAP header length");
        return Ok(());
    }
    // Length-prefixed strings, each within the declared length.
    let mut at = 4;
    let mut field = |w: &mut Vec<u8>, label: &[u8]| -> Res<bool> {
        if declared < at + 1 {
            return Ok(false);
        }
        let n = usize::from(u8_at(m, at)?);
        at += 1;
        if declared - at < n {
            return Ok(false);
        }
        w.extend_from_slice(label);
        put_text(w, m, at, n)?;
        at += n;
        Ok(true)
    };
    // RFC 1334's shortest Authenticate-Request is 6 bytes, its ACK and NAK
    // 5: tcpdump marks one shorter than that as cut (no space before).
    let code = u8_at(m, 0)?;
    if matches!((code, declared), (1, ..6) | (2 | 3, ..5)) {
        w.extend_from_slice(b"[|pap]");
        return Ok(());
    }
    match code {
        1 if field(w, b", Peer ")? => {
            field(w, b", Name ")?;
        }
        2 | 3 => {
            field(w, b", Msg ")?;
        }
        _ => {}
    }
    Ok(())
}

fn ppp_json(p: &Payload<'_>) -> Value {
    let Ok((proto, at)) = ppp_header(p.bytes) else {
        return json!({"complete": false});
    };
    let mut o = json!({"proto": proto, "complete": true});
    if let Some(c) = control_json(proto, p.bytes.get(at..).unwrap_or(&[])) {
        o["control"] = c;
    }
    o
}

/// The `control` member of a PPP frame of protocol `proto` whose body (after
/// the protocol field) is `m`: for a control protocol, CHAP and PAP; `None`
/// for the others. One writer for PPP in tunnels and the PPP link types.
pub(crate) fn control_json(proto: u16, m: &[u8]) -> Option<Value> {
    let options = CONTROL.contains(&proto);
    (options || matches!(proto, 0xc223 | 0xc023)).then(|| control_message(m, options))
}

/// A control message's code, id and encoded length, and a Configure
/// message's options (`{"type": 1, "length": 4}` each) when `options`
/// (the control protocols that negotiate options: CHAP's and PAP's codes
/// 1 to 4 are challenges and requests, which carry none).
fn control_message(m: &[u8], options: bool) -> Value {
    match (u8_at(m, 0), u8_at(m, 1), u16_at(m, 2)) {
        (Ok(code), Ok(id), Ok(length)) => {
            let mut c = json!({"code": code, "id": id, "length": length});
            if options && (1..=4).contains(&code) {
                c["options"] = Value::Array(ppp_cp::json_options(m));
            }
            c
        }
        _ => json!({"complete": false}),
    }
}

const PPPOE_LEN: usize = 6;

fn code_name(code: u8) -> Option<&'static str> {
    Some(match code {
        0 => "",
        0x09 => "PADI",
        0x07 => "PADO",
        0x19 => "PADR",
        0x65 => "PADS",
        0xa7 => "PADT",
        _ => return None,
    })
}

fn tag_name(tag: u16) -> Option<&'static str> {
    Some(match tag {
        0 => "EOL",
        0x0101 => "Service-Name",
        0x0102 => "AC-Name",
        0x0103 => "Host-Uniq",
        0x0104 => "AC-Cookie",
        0x0105 => "Vendor-Specific",
        0x0110 => "Relay-Session-ID",
        0x0120 => "PPP-Max-Payload",
        0x0201 => "Service-Name-Error",
        0x0202 => "AC-System-Error",
        0x0203 => "Generic-Error",
        _ => return None,
    })
}

/// How much of a tag's value tcpdump shows.
const TAG_SHOWN: usize = 79;

fn pppoe_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, _level: Level) -> Res<Printed<'a>> {
    let m = p.bytes;
    let wire = p.declared_len;
    if wire < PPPOE_LEN {
        w.extend_from_slice(b" (length ");
        put_num(w, wire);
        w.extend_from_slice(b" < 6) (invalid)");
        return Ok(Printed::done());
    }
    if m.len() < PPPOE_LEN {
        return Err(Truncated);
    }
    let first = u8_at(m, 0)?;
    let code = u8_at(m, 1)?;
    let session = u16_at(m, 2)?;
    let mut len = usize::from(u16_at(m, 4)?);
    let mut left = wire - PPPOE_LEN;
    if first >> 4 != 1 {
        w.extend_from_slice(b" [ver ");
        put_num(w, first >> 4);
        w.push(b']');
    }
    if first & 0x0f != 1 {
        w.extend_from_slice(b" [type ");
        put_num(w, first & 0x0f);
        w.push(b']');
    }
    w.extend_from_slice(b"PPPoE ");
    put_known(w, code_name(code), Hex(u32::from(code)), (b"PAD-", b""));
    if code == 0x09 && len > 1484 - PPPOE_LEN {
        w.extend_from_slice(b" [len ");
        put_num(w, len);
        w.extend_from_slice(b"!]");
    }
    if len > left {
        w.extend_from_slice(b" [len ");
        put_num(w, len);
        w.extend_from_slice(b" > ");
        put_num(w, left);
        w.extend_from_slice(b"!]");
        len = left;
    }
    if session != 0 {
        w.extend_from_slice(b" [ses 0x");
        put_hex(w, u32::from(session));
        w.push(b']');
    }
    left = len;
    let body = m.get(PPPOE_LEN..).unwrap_or(&[]);
    if code == 0 {
        w.push(b' ');
        // The PPP frame's length is PPPoE's; its bytes are all that was
        // captured (tcpdump's printers below read on to there).
        return Ok(Printed::then(Kind::Encap(&PPP), body, left));
    }
    write_tags(w, body, left)?;
    Ok(Printed::done())
}

/// The discovery tags within `len` bytes: a printable value in quotes, any
/// other in hex, up to End-Of-List.
fn write_tags(w: &mut Vec<u8>, body: &[u8], len: usize) -> Res<()> {
    let mut at = 0;
    let mut tag = 1;
    while tag != 0 && at < len {
        tag = u16_at(body, at)?;
        let tag_len = usize::from(u16_at(body, at + 2)?);
        at += 4;
        let value = body.get(at..at + tag_len).ok_or(Truncated)?;
        w.extend_from_slice(b" [");
        put_known(w, tag_name(tag), Hex(u32::from(tag)), (b"TAG-0x", b""));
        if tag_len > 0 {
            let shown = value.get(..TAG_SHOWN).unwrap_or(value);
            let printable = shown.iter().filter(|b| (0x20..0x7f).contains(*b)).count();
            if printable > shown.len() - printable {
                w.extend_from_slice(b" \"");
                for &b in shown {
                    w.push(if (0x20..0x7f).contains(&b) { b } else { b'.' });
                }
                w.push(b'"');
            } else {
                w.extend_from_slice(b" 0x");
                for b in value {
                    w.extend_from_slice(format!("{b:02X}").as_bytes());
                }
            }
        }
        w.push(b']');
        at += tag_len;
    }
    Ok(())
}

fn pppoe_json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    match (u8_at(m, 0), u8_at(m, 1), u16_at(m, 2), u16_at(m, 4)) {
        (Ok(first), Ok(code), Ok(session), Ok(len)) => json!({
            "version": first >> 4, "type": first & 0x0f, "code": code,
            "session": session, "len": len, "complete": true,
        }),
        _ => json!({"complete": false}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(t: &Tunnel, m: &[u8]) -> String {
        super::super::printed(t, m, 0)
    }

    #[test]
    fn test_discovery_and_session() {
        let padi = [
            0x11, 9, 0, 0, 0, 12, 1, 1, 0, 0, 1, 3, 0, 4, b'a', b'b', b'c', b'd',
        ];
        assert_eq!(
            print(&PPPOE, &padi),
            "PPPoE PADI [Service-Name] [Host-Uniq \"abcd\"]"
        );
        let ses = [0x11, 0, 0x12, 0x34, 0, 4, 0, 0x21, 0x45, 0];
        assert_eq!(print(&PPPOE, &ses), "PPPoE  [ses 0x1234] ");
        assert_eq!(print(&PPPOE, &ses[..4]), " (length 4 < 6) (invalid)");
    }

    #[test]
    fn test_eflag_names_the_protocol() {
        let e = Level {
            verbose: 0,
            eflag: true,
        };
        let print_e = |m: &[u8]| super::super::printed(&PPP, m, e);
        assert_eq!(
            print_e(&[0xff, 3, 0, 0x21, 0x45]),
            "IP (0x0021), length 5: "
        );
        assert_eq!(
            print_e(&[0, 3, 0x12, 0x34, 1]),
            "In  unknown (0x1234), length 5"
        );
        assert_eq!(print_e(&[1, 3, 0xc0]), "Out  [|ppp]");
    }

    #[test]
    fn test_ppp_protocols() {
        assert_eq!(print(&PPP, &[0xff, 3, 0, 0x21, 0x45]), "");
        assert_eq!(
            print(&PPP, &[0xc0, 0x22, 1]),
            "unknown PPP protocol (0xc022) "
        );
        assert_eq!(print(&PPP, &[0xff]), " [|ppp]");
        assert_eq!(
            print(&PPP, &[0xc0, 0x21, 9, 1, 0, 8, 0, 0, 0, 0]),
            "LCP, Echo-Request (0x09), id 1, length 10"
        );
        assert_eq!(
            print(&PPP, &[0xc0, 0x23, 1, 1, 0, 9, 1, b'a', 2, b'b', b'c']),
            "PAP, Auth-Req (0x01), id 1, Peer a, Name bc"
        );
        assert_eq!(
            print(&PPP, &[0xc2, 0x23, 1]),
            "CHAP, Challenge (0x01) [|ppp]"
        );
    }
}
