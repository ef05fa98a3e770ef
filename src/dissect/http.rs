//! HTTP/1.x on TCP ports 80 and 8080: tcpdump's text protocol printer.
//! The default line adds `HTTP: GET / HTTP/1.1` (the first line) when the
//! segment starts with a request method tcpdump knows or a status line
//! (`ANY 200 …`), else just `HTTP`; `-v` prints `HTTP, length: N` and then
//! every line of the segment on its own `\n\t` line, stopping silently at a
//! line with a control character and with ` [|http]` at a line the segment
//! or the capture ends in. The `"http"` JSON object has the method, path,
//! version, status, reason, host and user agent of what the segment holds.
//!
//! Each segment is looked at alone, as tcpdump does; for `--json`, a
//! header block spanning segments is also decoded on the segment that
//! completes it ([`framing`], `crate::flow::pdu`). Checked byte for byte
//! by `tests/dissect_apps.rs` against tcpdump 4.99 on built segments and on
//! real curl ↔ `python3 -m http.server` traffic. Hand-written rather than
//! `httparse`: tcpdump's recognition is looser than HTTP (any token then a
//! three-digit code is a status line) and it prints up to the damage,
//! where a parser rejects the message; scanning the borrowed bytes once
//! allocates nothing.

use super::txtproto::{self, Printed, Text, TextProto, line_of, verbose_of};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

/// HTTP on ports 80 and 8080.
pub static HTTP: Dissector = Dissector::new(
    "http",
    line_of::<Http>,
    verbose_of::<Http>,
    to_json,
    starts_message,
);

/// The request methods tcpdump recognises (RFC 9110 and WebDAV's),
/// compared without regard to case.
const METHODS: &[&str] = &[
    "OPTIONS",
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "TRACE",
    "CONNECT",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "SEARCH",
    "REPORT",
    "UPDATE",
    "LABEL",
    "MERGE",
    "CHECKIN",
    "CHECKOUT",
    "VERSION-CONTROL",
    "MKWORKSPACE",
    "MKACTIVITY",
    "BASELINE-CONTROL",
    "UNCHECKOUT",
];

/// HTTP as tcpdump's text protocol printer sees it.
struct Http;

impl Printed for Http {
    const TEXT: TextProto = TextProto {
        head: ": HTTP",
        requests: Some(METHODS),
    };
}

/// Whether the segment starts an HTTP message (for the flow's service).
pub fn starts_message(bytes: &[u8]) -> bool {
    txtproto::starts_message::<Http>(bytes)
}

/// Where a message's header block (start line and header lines, up to
/// the empty line) ends, when `m` starts a message; without its end yet,
/// one more byte is needed (the header has no length of its own). The
/// body is not framed: only the header block is read. `from`: the bytes
/// already looked at by an earlier call (the start is then known to be a
/// message, and the search for the end goes on from there), so that a
/// header arriving a byte at a time is still scanned once.
pub fn framing(m: &[u8], from: usize) -> Option<super::Framing> {
    if from == 0 && !starts_message(m) {
        return None;
    }
    let start = from.saturating_sub(3);
    let end = m
        .get(start..)
        .unwrap_or(&[])
        .windows(2)
        .enumerate()
        .find_map(|(i, w)| {
            let at = start + i;
            match w {
                b"\n\n" => Some(at + 2),
                b"\r\n" if m.get(at + 2..at + 4) == Some(b"\r\n") => Some(at + 4),
                _ => None,
            }
        });
    Some(match end {
        Some(whole) => super::Framing { whole, need: None },
        None => super::Framing {
            whole: 0,
            need: Some(m.len() + 1),
        },
    })
}

fn text(b: &[u8]) -> Value {
    json!(String::from_utf8_lossy(b).into_owned())
}

/// The start line's parts and the headers a reader wants first.
fn to_json(p: &Payload<'_>) -> Value {
    let t = Text::of(p);
    let mut o = Map::new();
    let is_message = Http::TEXT.recognised(&t);
    o.insert("message".into(), json!(is_message));
    let mut lines = t
        .bytes
        .split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    if is_message && let Some(first) = lines.next() {
        let mut parts = first.splitn(3, |&c| c == b' ');
        let (a, b, c) = (parts.next(), parts.next(), parts.next());
        let is_response = b
            .is_some_and(|code| code.len() == 3 && code.iter().all(u8::is_ascii_digit))
            && !METHODS
                .iter()
                .any(|m| a.is_some_and(|a| m.as_bytes().eq_ignore_ascii_case(a)));
        if is_response {
            o.insert("version".into(), text(a.unwrap_or(&[])));
            let code = std::str::from_utf8(b.unwrap_or(&[]))
                .ok()
                .and_then(|s| s.parse::<u16>().ok());
            o.insert("status".into(), json!(code));
            o.insert("reason".into(), text(c.unwrap_or(&[])));
        } else {
            o.insert("method".into(), text(a.unwrap_or(&[])));
            o.insert("path".into(), text(b.unwrap_or(&[])));
            o.insert("version".into(), text(c.unwrap_or(&[])));
        }
        for l in lines.by_ref() {
            if l.is_empty() {
                break;
            }
            let Some(colon) = l.iter().position(|&c| c == b':') else {
                continue;
            };
            let (name, value) = l.split_at(colon);
            let value = value.get(1..).unwrap_or(&[]).trim_ascii();
            for (header, key) in [
                (&b"host"[..], "host"),
                (b"user-agent", "user_agent"),
                (b"server", "server"),
                (b"content-type", "content_type"),
                (b"content-length", "content_length"),
            ] {
                if name.eq_ignore_ascii_case(header) {
                    o.insert(key.into(), text(value));
                }
            }
        }
    }
    o.insert("length".into(), json!(p.declared_len));
    Value::Object(o)
}
