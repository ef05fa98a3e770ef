//! TFTP (RFC 1350, options RFC 2347) on UDP port 69: the line as `tcpdump
//! -n` prints it at every level (`TFTP, length 17, RRQ "file.txt" octet`,
//! `DATA block 1`, `ERROR ENOTFOUND "File not found"`, `OACK blksize
//! 1428`), and a `"tftp"` JSON object. A string without its NUL is printed
//! as far as it goes, then ` [|tftp]`.
//!
//! Checked byte for byte by `tests/dissect_apps.rs` against tcpdump 4.99
//! on `captures/dissect_tftp.pcap`.

use super::dns::text::put_char;
use super::wire::{Res, u8_at, u16_at};
use super::{Dissector, Payload, Truncated, put_name, put_num};
use serde_json::{Value, json};

/// TFTP on port 69.
pub static TFTP: Dissector = Dissector::new(
    "tftp",
    line,
    |w, p, _| line(w, p),
    to_json,
    |m| matches!(u16_at(m, 0), Ok(1..=6)),
);

const RRQ: u16 = 1;
const WRQ: u16 = 2;
const DATA: u16 = 3;
const ACK: u16 = 4;
const ERROR: u16 = 5;
const OACK: u16 = 6;

const OPCODES: [&str; 7] = ["", "RRQ", "WRQ", "DATA", "ACK", "ERROR", "OACK"];

const ERRORS: [&str; 8] = [
    "EUNDEF",
    "ENOTFOUND",
    "EACCESS",
    "ENOSPACE",
    "EBADOP",
    "EBADID",
    "EEXISTS",
    "ENOUSER",
];

/// A NUL-terminated string from `at`, escaped; the offset after its NUL,
/// or `Err` (after writing what there is) when the bytes end first.
fn put_string(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<usize> {
    let rest = m.get(at..).unwrap_or(&[]);
    let end = rest.iter().position(|&c| c == 0);
    for &c in rest.get(..end.unwrap_or(rest.len())).unwrap_or(&[]) {
        put_char(w, c);
    }
    end.map(|e| at + e + 1).ok_or(Truncated)
}

/// ` name value …` up to `end`, the message's end: empty strings print
/// nothing; a string without its NUL before `end`, or a byte the capture
/// cut, ends the line (`Err`), as tcpdump reads them.
fn put_options(w: &mut Vec<u8>, m: &[u8], mut at: usize, end: usize) -> Res<()> {
    while at < end {
        if u8_at(m, at)? != 0 {
            w.push(b' ');
            loop {
                // A string the message ends before its NUL is cut too.
                let c = if at < end {
                    u8_at(m, at)?
                } else {
                    return Err(Truncated);
                };
                if c == 0 {
                    break;
                }
                put_char(w, c);
                at += 1;
            }
        }
        at += 1;
    }
    Ok(())
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    w.extend_from_slice(b"TFTP, length ");
    put_num(w, p.declared_len);
    let op = u16_at(m, 0)?;
    w.extend_from_slice(b", ");
    match OPCODES.get(usize::from(op)).filter(|n| !n.is_empty()) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => {
            w.extend_from_slice(b"tftp-#");
            put_num(w, op);
        }
    }
    match op {
        RRQ | WRQ => {
            // Where the message ends, a field is not begun; where only the
            // capture ends, it is begun and left open.
            let cut = p.bytes.len() < p.declared_len;
            let begun = |at: usize| at < m.len() || cut;
            if !begun(2) {
                return Err(Truncated);
            }
            w.extend_from_slice(b" \"");
            let file = put_string(w, m, 2);
            w.push(b'"');
            let at = file?;
            if !begun(at) {
                return Err(Truncated);
            }
            w.push(b' ');
            let at = put_string(w, m, at)?;
            put_options(w, m, at, p.declared_len)
        }
        OACK => put_options(w, m, 2, p.declared_len),
        DATA | ACK => {
            let block = u16_at(m, 2)?;
            w.extend_from_slice(b" block ");
            put_num(w, block);
            Ok(())
        }
        ERROR => {
            let code = u16_at(m, 2)?;
            w.push(b' ');
            // tcpdump's unknown-code text carries a stray quote.
            put_name(w, &ERRORS, code, b"tftp-err-#", b" \"");
            // A message that ends after the code has no text; one the
            // capture cut there has an empty one.
            if p.declared_len <= 4 {
                return Err(Truncated);
            }
            w.extend_from_slice(b" \"");
            let text = put_string(w, m, 4);
            w.push(b'"');
            text.map(|_| ())
        }
        _ => Ok(()),
    }
}

/// Whether tcpdump's printer, stopping early, read past the capture (see
/// `dissect::JumpRule`): the opcode, a block number or an error code the
/// message holds and the capture cut (`GET_BE_U_2`), or the first byte of
/// an option the capture ends before (`GET_U_1`); strings are read
/// checked (`nd_printztn`), and a message too short is tested first.
pub(super) fn cut_jumps(p: &Payload<'_>) -> bool {
    let (m, len) = (p.bytes, p.declared_len);
    let Ok(op) = u16_at(m, 0) else {
        return len >= 2;
    };
    // The end of the NUL-terminated string at `at`, or `None` when the
    // message or the capture ends first.
    let string_end = |at: usize| {
        let rest = m.get(at..len.min(m.len()))?;
        rest.iter().position(|&c| c == 0).map(|e| at + e + 1)
    };
    let options_from = match op {
        DATA | ACK | ERROR => return len >= 4 && m.len() < 4,
        RRQ | WRQ => string_end(2).and_then(string_end),
        OACK => Some(2),
        _ => None,
    };
    let mut at = match options_from {
        Some(at) => at,
        None => return false,
    };
    while at < len {
        if at >= m.len() {
            return true;
        }
        match string_end(at) {
            Some(end) => at = end,
            None => return false,
        }
    }
    false
}

/// The opcode and what it carries.
fn to_json(p: &Payload<'_>) -> Value {
    let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    let Ok(op) = u16_at(m, 0) else {
        return json!({"complete": false});
    };
    let strings: Vec<String> = m
        .get(2..)
        .unwrap_or(&[])
        .split(|&c| c == 0)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    let mut o = json!({"opcode": op, "opcode_name": OPCODES.get(usize::from(op)).copied()});
    match op {
        RRQ | WRQ => {
            o["filename"] = json!(strings.first());
            o["mode"] = json!(strings.get(1));
        }
        DATA | ACK => o["block"] = json!(u16_at(m, 2).ok()),
        ERROR => {
            o["error_code"] = json!(u16_at(m, 2).ok());
            o["message"] = json!(m.get(4..).map(|t| {
                String::from_utf8_lossy(t.split(|&c| c == 0).next().unwrap_or(&[])).into_owned()
            }));
        }
        _ => {}
    }
    o
}
