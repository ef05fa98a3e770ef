//! Syslog (RFC 3164, RFC 5424) on UDP port 514: the line as `tcpdump -n`
//! prints it (`SYSLOG auth.critical, length: 76`), the `-v` text (facility
//! and severity with their numbers, then the message with tcpdump's
//! escapes), `-vv`'s hex dump of the datagram, and a `"syslog"` JSON
//! object. A priority that is not `<`, at most three digits and `>` is
//! `(invalid)`; a datagram the capture cuts ends with ` [|syslog]`.
//!
//! Checked byte for byte by `tests/dissect_apps.rs` against tcpdump 4.99
//! on `captures/dissect_syslog.pcap`.

use super::dns::text::{put_char, put_hex_dump};
use super::wire::{Res, u8_at};
use super::{Dissector, Payload, Truncated, put_name, put_num};
use serde_json::{Value, json};

/// Syslog on port 514.
pub static SYSLOG: Dissector = Dissector::new(
    "syslog",
    |w, p| print(w, p, 0),
    print,
    to_json,
    |m| matches!(priority(m), Ok(Some(_))),
);

const FACILITIES: [&str; 24] = [
    "kernel", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
    "authpriv", "ftp", "ntp", "security", "console", "cron", "local0", "local1", "local2",
    "local3", "local4", "local5", "local6", "local7",
];

const SEVERITIES: [&str; 8] = [
    "emergency",
    "alert",
    "critical",
    "error",
    "warning",
    "notice",
    "info",
    "debug",
];

/// `<PRI>`: the priority and where the message starts; `None` when it is
/// not one (tcpdump's `(invalid)`), `Err` when the capture cuts it.
fn priority(m: &[u8]) -> Res<Option<(u16, usize)>> {
    if u8_at(m, 0)? != b'<' {
        return Ok(None);
    }
    let mut pri = 0u16;
    for at in 1..=4 {
        match u8_at(m, at)? {
            b'>' => return Ok(Some((pri, at + 1))),
            c @ b'0'..=b'9' if at < 4 => pri = pri * 10 + u16::from(c - b'0'),
            _ => return Ok(None),
        }
    }
    Ok(None)
}

fn put_facility(w: &mut Vec<u8>, facility: u16) {
    put_name(w, &FACILITIES, facility, b"unknown (", b")");
}

fn severity(pri: u16) -> &'static str {
    SEVERITIES.get(usize::from(pri & 7)).copied().unwrap_or("")
}

fn print(w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8) -> Res<()> {
    let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    // tcpdump reads the priority from what was captured, past the
    // datagram's length if need be (a UDP length of 8 before a `<`
    // that is not followed by one: `(invalid)`).
    let Some((pri, start)) = priority(p.bytes)? else {
        w.extend_from_slice(b" (invalid)");
        return Ok(());
    };
    let (facility, sev) = (pri >> 3, severity(pri));
    w.extend_from_slice(b"SYSLOG");
    if verbose == 0 {
        w.push(b' ');
        put_facility(w, facility);
        w.push(b'.');
        w.extend_from_slice(sev.as_bytes());
        w.extend_from_slice(b", length: ");
        put_num(w, p.declared_len);
        return Ok(());
    }
    w.extend_from_slice(b", length: ");
    put_num(w, p.declared_len);
    w.extend_from_slice(b"\n\tFacility ");
    put_facility(w, facility);
    w.extend_from_slice(b" (");
    put_num(w, facility);
    w.extend_from_slice(b"), Severity ");
    w.extend_from_slice(sev.as_bytes());
    w.extend_from_slice(b" (");
    put_num(w, pri & 7);
    w.extend_from_slice(b")\n\tMsg: ");
    m.get(start..)
        .unwrap_or(&[])
        .iter()
        .for_each(|&c| put_char(w, c));
    if p.bytes.len() < p.declared_len {
        return Err(Truncated);
    }
    if verbose > 1 {
        put_hex_dump(w, m, b"\n\t");
    }
    Ok(())
}

/// The priority's parts and the message text.
fn to_json(p: &Payload<'_>) -> Value {
    let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    match priority(m) {
        Ok(Some((pri, start))) => json!({
            "facility": pri >> 3,
            "severity": pri & 7,
            "severity_name": severity(pri),
            "message": String::from_utf8_lossy(m.get(start..).unwrap_or(&[])),
            "complete": p.bytes.len() >= p.declared_len,
        }),
        _ => json!({"complete": false}),
    }
}
