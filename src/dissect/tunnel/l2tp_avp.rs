//! L2TP control messages' AVPs (RFC 2661 4.4) as tcpdump prints them:
//! ` *MSGTYPE(SCCRQ) *RESULT_CODE(2/6 text) *ACCM(send=ffffffff recv=0 )`,
//! each value decoded where tcpdump decodes it (numbers, names, flags,
//! text with its `^`/`M-` escapes, bytes in hex), `AVP too short` where
//! the value is shorter than its fields, `???` for a hidden one.
//! Apart from the header's printer ([`super::l2tp`]): one job each.

use super::super::dns::text::{put_char, put_hex};
use super::super::put_num;
use super::super::wire::{Res, u16_at, u32_at};
use super::l2tp::{AVP_NAMES, MESSAGE_TYPES, checked_cut};

/// Proxy authentication types (RFC 2661 4.4.5).
const AUTH_TYPES: [&str; 6] = ["Reserved", "Textual", "CHAP", "PAP", "No Auth", "MS-CHAPv1"];

/// CALL_ERRORS' six counters, after two reserved bytes.
const CALL_ERRORS: [&str; 6] = [
    "CRCErr", "FrameErr", "HardOver", "BufOver", "Timeout", "AlignErr",
];

const TOO_SHORT: &[u8] = b"AVP too short";

/// The AVPs of a control message, `left` bytes of them. `Err`: the
/// capture cut an AVP's first word, which tcpdump reads unchecked (its
/// `longjmp`); a cut after that, or a length the message cannot hold,
/// ends the line with ` [|l2tp]` (checked: no jump).
pub(super) fn write_avps(w: &mut Vec<u8>, m: &[u8], mut left: usize) -> Res<()> {
    let mut at = 0;
    while left > 0 {
        w.push(b' ');
        let head = u16_at(m, at)?;
        let len = usize::from(head & 0x03ff);
        let Some(value) = m.get(at + 6..at + len).filter(|_| len >= 6 && len <= left) else {
            checked_cut(w);
            return Ok(());
        };
        if head & 0x8000 != 0 {
            w.push(b'*');
        }
        let hidden = head & 0x4000 != 0;
        if hidden {
            w.push(b'?');
        }
        let vendor = u16_at(m, at + 2)?;
        let attr = u16_at(m, at + 4)?;
        if vendor != 0 {
            w.extend_from_slice(format!("VENDOR{vendor:04x}:ATTR{attr:04x}(").as_bytes());
            put_octets(w, value);
        } else {
            match AVP_NAMES.get(usize::from(attr)) {
                Some(name) => w.extend_from_slice(name.as_bytes()),
                None => {
                    w.extend_from_slice(b"AVP-#");
                    put_num(w, attr);
                }
            }
            w.push(b'(');
            if hidden {
                w.extend_from_slice(b"???");
            } else {
                write_value(w, attr, value);
            }
        }
        w.push(b')');
        at += len;
        left -= len;
    }
    Ok(())
}

fn put_octets(w: &mut Vec<u8>, v: &[u8]) {
    for &b in v {
        put_hex(w, b, 2);
    }
}

/// Text as tcpdump prints it: control characters as `^A`, the high bit
/// as `M-`.
fn put_text(w: &mut Vec<u8>, v: &[u8]) {
    for &c in v {
        put_char(w, c);
    }
}

/// The flags of a framing or bearer word: `A` for bit 1 (asynchronous,
/// analog), then `second` for bit 0 (synchronous `S`, digital `D`).
fn put_flags(w: &mut Vec<u8>, v: &[u8], second: u8) {
    let Ok(bits) = u32_at(v, 0) else {
        return w.extend_from_slice(TOO_SHORT);
    };
    for (bit, c) in [(2, b'A'), (1, second)] {
        if bits & bit != 0 {
            w.push(c);
        }
    }
}

/// The value of an IETF attribute (the whole AVP was captured).
fn write_value(w: &mut Vec<u8>, attr: u16, v: &[u8]) {
    let u16_or_short = |w: &mut Vec<u8>, f: fn(&mut Vec<u8>, u16)| match u16_at(v, 0) {
        Ok(n) => f(w, n),
        Err(_) => w.extend_from_slice(TOO_SHORT),
    };
    match attr {
        0 => u16_or_short(w, |w, t| {
            match MESSAGE_TYPES.get(usize::from(t)).filter(|n| !n.is_empty()) {
                Some(name) => w.extend_from_slice(name.as_bytes()),
                None if t == 20 => w.extend_from_slice(b"ACK"),
                None => {
                    w.extend_from_slice(b"MSGTYPE-#");
                    put_num(w, t);
                }
            }
        }),
        1 => write_result_code(w, v),
        2 => u16_or_short(w, |w, ver| {
            put_num(w, ver >> 8);
            w.push(b'.');
            put_num(w, ver & 0xff);
        }),
        // Framing: asynchronous, synchronous; bearer: analog, digital.
        3 | 19 => put_flags(w, v, b'S'),
        4 | 18 => put_flags(w, v, b'D'),
        5 => match v.get(..8) {
            Some(tie) => put_octets(w, tie),
            None => w.extend_from_slice(TOO_SHORT),
        },
        6 | 9 | 10 | 14 => u16_or_short(w, put_num),
        7 | 8 | 21 | 22 | 23 | 30 | 37 => put_text(w, v),
        11 | 26 | 27 | 28 | 31 | 33 | 36 => put_octets(w, v),
        12 => match (u16_at(v, 0), v.get(2), v.get(3..)) {
            (Ok(cause), Some(&msg), Some(text)) => {
                put_num(w, cause);
                w.extend_from_slice(b", ");
                put_hex(w, msg, 2);
                if !text.is_empty() {
                    w.push(b' ');
                    put_text(w, text);
                }
            }
            _ => w.extend_from_slice(TOO_SHORT),
        },
        13 => match v.get(..16) {
            Some(resp) => put_octets(w, resp),
            None => w.extend_from_slice(TOO_SHORT),
        },
        15 | 16 | 17 | 24 | 25 | 38 => match u32_at(v, 0) {
            Ok(n) => put_num(w, n),
            Err(_) => w.extend_from_slice(TOO_SHORT),
        },
        20 => w.extend_from_slice(b"obsolete"),
        29 => u16_or_short(w, |w, t| match AUTH_TYPES.get(usize::from(t)) {
            Some(name) => w.extend_from_slice(name.as_bytes()),
            None => {
                w.extend_from_slice(b"AuthType-#");
                put_num(w, t);
            }
        }),
        32 => u16_or_short(w, |w, id| put_num(w, id & 0xff)),
        34 => write_counters(w, v, &CALL_ERRORS, put_num),
        35 => write_counters(w, v, &["send", "recv"], |w, n| {
            w.extend_from_slice(format!("{n:08x}").as_bytes())
        }),
        _ => {}
    }
}

/// RESULT_CODE: the result, `/` and the error code when there is one,
/// then the message.
fn write_result_code(w: &mut Vec<u8>, v: &[u8]) {
    let Ok(result) = u16_at(v, 0) else {
        return w.extend_from_slice(TOO_SHORT);
    };
    put_num(w, result);
    match (v.len(), u16_at(v, 2)) {
        (2, _) => {}
        (_, Ok(error)) => {
            w.push(b'/');
            put_num(w, error);
            if let Some(text) = v.get(4..).filter(|t| !t.is_empty()) {
                w.push(b' ');
                put_text(w, text);
            }
        }
        (_, Err(_)) => {
            w.push(b' ');
            w.extend_from_slice(TOO_SHORT);
        }
    }
}

/// Named 32-bit fields after two reserved bytes (`send=… recv=… `, each
/// followed by a space); the value running short says so where it does.
fn write_counters(w: &mut Vec<u8>, v: &[u8], names: &[&str], put: fn(&mut Vec<u8>, u32)) {
    if v.len() < 2 {
        return w.extend_from_slice(TOO_SHORT);
    }
    for (i, name) in names.iter().enumerate() {
        let Ok(n) = u32_at(v, 2 + 4 * i) else {
            return w.extend_from_slice(TOO_SHORT);
        };
        w.extend_from_slice(name.as_bytes());
        w.push(b'=');
        put(w, n);
        w.push(b' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(attr: u16, v: &[u8]) -> String {
        let mut w = Vec::new();
        write_value(&mut w, attr, v);
        String::from_utf8_lossy(&w).into_owned()
    }

    #[test]
    fn test_values() {
        assert_eq!(value(1, &[0, 2, 0, 6, b'o', 1]), "2/6 o^A");
        assert_eq!(value(1, &[0, 2, 0]), "2 AVP too short");
        assert_eq!(value(1, &[0]), "AVP too short");
        assert_eq!(value(12, &[0, 16, 1, 0x90]), "16, 01 M-^P");
        assert_eq!(
            value(35, &[0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1]),
            "send=ffffffff recv=00000001 "
        );
        assert_eq!(
            value(35, &[0, 0, 0, 0, 0, 5]),
            "send=00000005 AVP too short"
        );
        assert_eq!(value(29, &[0, 6]), "AuthType-#6");
        assert_eq!(value(32, &[1, 7]), "7");
        assert_eq!(value(20, &[]), "obsolete");
        assert_eq!(value(13, &[2; 15]), "AVP too short");
        assert_eq!(value(40, &[1, 2, 3, 4, 5]), "");
    }

    #[test]
    fn test_truncated() {
        let mut w = Vec::new();
        // A length past the message: checked, so the line ends here.
        assert!(write_avps(&mut w, &[0x80, 20, 0, 0, 0, 1, 0, 2], 8).is_ok());
        assert_eq!(w, b"  [|l2tp]");
        // The first word cut: tcpdump's read jumps out.
        assert!(write_avps(&mut Vec::new(), &[0x80], 8).is_err());
    }
}
