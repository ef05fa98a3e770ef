//! HTTP/1.x on TCP ports 80 and 8080: tcpdump's text protocol printer.
//! The default line adds `HTTP: GET / HTTP/1.1` (the first line) when the
//! segment starts with a request method tcpdump knows or a status line
//! (`ANY 200 …`), else just `HTTP`; `-v` prints `HTTP, length: N` and then
//! every line of the segment on its own `\n\t` line, stopping silently at a
//! line with a control character and with ` [|http]` at a line the segment
//! or the capture ends in. The `"http"` JSON object has the method, path,
//! version, status, reason, host and user agent of what the segment holds.
//!
//! Each segment is looked at alone, as tcpdump does (its line calls a
//! body segment that starts `GET ` a request); for `--json`, [`framing`]
//! follows each message's body ([`super::http_message`]) so that
//! `crate::flow::pdu` decodes every message on the segment that completes
//! it, pipelined and keep-alive ones found where they start, and the
//! object lists each message (`messages`). Checked byte for byte
//! by `tests/dissect_apps.rs` against tcpdump 4.99 on built segments and on
//! real curl ↔ `python3 -m http.server` traffic. Hand-written rather than
//! `httparse`: tcpdump's recognition is looser than HTTP (any token then a
//! three-digit code is a status line) and it prints up to the damage,
//! where a parser rejects the message; scanning the borrowed bytes once
//! allocates nothing.

use super::http_message::Request;
use super::txtproto::{self, Printed, Text, TextProto, line_of, verbose_of};
use super::{Ask, DialogueRules, Dissector, Payload, Turn, http_message};
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

/// The rules of HTTP's dialogue (`crate::flow::pdu` pairs responses
/// with requests): a response to HEAD has no body, the connection is a
/// tunnel after a 2xx to CONNECT or a 101.
pub static DIALOGUE: DialogueRules = DialogueRules {
    framing: framing_asked,
    turns,
    json: json_asked,
    opaque,
};

/// [`framing_asked`] with no request known.
pub fn framing(m: &[u8], from: usize) -> Option<super::Framing> {
    framing_asked(m, from, &[])
}

/// The messages at the start of `m`, one after the other, each with the
/// request it answers (`asked[i]` for the `i`-th final response: a 1xx
/// other than 101 is interim and answers nothing).
struct Walk<'a> {
    m: &'a [u8],
    asked: &'a [Ask],
    at: usize,
    /// Final responses passed.
    answered: usize,
}

impl Walk<'_> {
    /// Whether the message at `at` is a response, and its request.
    fn request(&self) -> (bool, Option<&Ask>) {
        let is_response = self
            .m
            .get(self.at..)
            .is_some_and(|r| r.starts_with(b"HTTP/"));
        (
            is_response,
            self.asked.get(self.answered).filter(|_| is_response),
        )
    }

    /// The span of the message at `at`, `scan_from` as [`http_message::span_at`].
    fn span(&self, scan_from: usize) -> http_message::Span {
        let request = self
            .request()
            .1
            .map_or(Request::Other, |a| Request::of_kind(a.kind));
        http_message::span_at(self.m, self.at, scan_from, request)
    }

    /// Past the message at `at`, which ends at `end`.
    fn pass(&mut self, end: usize) {
        let header = self.m.get(self.at..end).unwrap_or(&[]);
        let interim = http_message::status(header)
            .is_some_and(|code| code.first() == Some(&b'1') && code != b"101");
        if self.request().0 && !interim {
            self.answered += 1;
        }
        self.at = end;
    }
}

/// Where the messages at the start of `m` end: each header block, then
/// the body it announces ([`super::http_message`]) given the request a
/// response answers (`asked`), message after message (pipelined
/// requests, keep-alive responses), so that the next one is found where
/// it really starts. A body running to the end of the connection, a
/// length that cannot be read, or a tunnel takes the rest. `from`: the
/// [`super::Framing::resume`] of an earlier call (the start is then known
/// to be a message, and the search for its header's end goes on from
/// there), so that a header arriving a byte at a time is scanned once.
pub fn framing_asked(m: &[u8], from: usize, asked: &[Ask]) -> Option<super::Framing> {
    if from == 0 && !starts_message(m) {
        return None;
    }
    let mut w = Walk {
        m,
        asked,
        at: 0,
        answered: 0,
    };
    let mut scan_from = from;
    loop {
        let s = w.span(scan_from);
        scan_from = 0;
        let (whole, need, resume) = match (s.end, s.need) {
            (Some(end), _) => {
                w.pass(end);
                let at = w.at;
                let rest = m.get(at..).unwrap_or(&[]);
                if rest.is_empty() || s.tunnel {
                    (at, None, 0)
                } else if starts_message(rest) {
                    continue;
                } else if may_start_message(rest) {
                    (at, Some(m.len() + 1), 0)
                } else {
                    (at, None, 0)
                }
            }
            // The header block is not all there: scanned up to here.
            (None, Some(need)) if s.header_end.is_none() => (w.at, Some(need), m.len()),
            (None, Some(need)) => (w.at, Some(need), 0),
            // To the end of the connection, or not framed: the rest.
            (None, None) => (m.len(), None, 0),
        };
        return Some(super::Framing {
            whole,
            need,
            resume,
        });
    }
}

/// What the whole messages `m` do in the dialogue: each request's kind
/// (pushed on `asks`), the responses that answer `asked`, a tunnel.
/// `elided`: the first message is its header, its body counted.
fn turns(m: &[u8], asked: &[Ask], asks: &mut Vec<u8>, elided: u64) -> Turn {
    let mut w = Walk {
        m,
        asked,
        at: 0,
        answered: 0,
    };
    let mut tunnel = false;
    while w.at < m.len() && !tunnel {
        let mut s = w.span(0);
        if w.at == 0 && elided > 0 {
            s.end = s.header_end;
        }
        let Some(end) = s.end.filter(|&e| e > w.at) else {
            break;
        };
        if !w.request().0 {
            let method = m.get(w.at..).unwrap_or(&[]).split(|&c| c == b' ').next();
            asks.push(Request::of_method(method.unwrap_or(&[])).kind());
        }
        tunnel = s.tunnel;
        w.pass(end);
    }
    Turn {
        answered: w.answered,
        tunnel,
    }
}

/// A Content-Length or chunked body that need not be kept: the first
/// message's header is whole and its body is not all there.
fn opaque(m: &[u8], asked: &[Ask]) -> Option<(usize, super::LongBody)> {
    let w = Walk {
        m,
        asked,
        at: 0,
        answered: 0,
    };
    let s = w.span(0);
    match (s.header_end, s.body, s.end) {
        (Some(h), http_message::BodyLen::Length(n), None) => Some((h, super::LongBody::Length(n))),
        // Not when a size line is damaged already (nothing is needed).
        (Some(h), http_message::BodyLen::Chunked, None) if s.need.is_some() => {
            Some((h, super::LongBody::Chunked))
        }
        _ => None,
    }
}

/// Whether the bytes could be the first bytes of a start line: a method
/// or `HTTP/` cut short.
fn may_start_message(rest: &[u8]) -> bool {
    let prefix = |word: &[u8]| {
        word.get(..rest.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
    };
    METHODS.iter().any(|m| prefix(m.as_bytes())) || prefix(b"HTTP/")
}

/// Messages listed in one `"http"` object at most.
const MAX_MESSAGES: usize = 256;

/// Each message of the bytes, from the first (which starts them): its
/// start line and headers, how its body is delimited and how much of it
/// is there, whether it ends in the bytes, and for a response the packet
/// of the request it answers (`request_in`, when known). `elided`: the
/// first message's body bytes that were counted, not kept.
fn messages_json(m: &[u8], asked: &[Ask], elided: u64) -> Vec<Value> {
    let mut out = Vec::new();
    let mut w = Walk {
        m,
        asked,
        at: 0,
        answered: 0,
    };
    while out.len() < MAX_MESSAGES {
        let mut s = w.span(0);
        if out.is_empty() && elided > 0 {
            (s.body_seen, s.end) = (elided, s.header_end);
        }
        let mut o = Map::new();
        start_line_and_headers(&mut o, m.get(w.at..).unwrap_or(&[]));
        // The header's text, as a number when it frames the body or
        // when the body it announces is not sent (a response to HEAD).
        let said = o.remove("content_length");
        let said = said
            .as_ref()
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<u64>().ok());
        match (s.body, said) {
            (http_message::BodyLen::Length(n), _) | (http_message::BodyLen::None, Some(n)) => {
                o.insert("content_length".into(), json!(n));
            }
            (http_message::BodyLen::Chunked, _) => {
                o.insert("chunked".into(), json!(true));
            }
            _ => {}
        }
        if s.header_end.is_some() {
            o.insert("body_length".into(), json!(s.body_seen));
        }
        o.insert("complete".into(), json!(s.end.is_some()));
        if let (true, Some(a)) = w.request() {
            o.insert("request_in".into(), json!(a.packet));
        }
        if s.tunnel {
            o.insert("tunnel".into(), json!(true));
        }
        out.push(Value::Object(o));
        match s.end {
            Some(end) if end > w.at && !s.tunnel && m.get(end..).is_some_and(starts_message) => {
                w.pass(end)
            }
            _ => break,
        }
    }
    out
}

fn text(b: &[u8]) -> Value {
    json!(String::from_utf8_lossy(b).into_owned())
}

/// The start line's parts and the headers a reader wants first, of the
/// first message; then every message of the segment (`messages`).
fn to_json(p: &Payload<'_>) -> Value {
    json_asked(p, &[], 0)
}

/// [`to_json`] with the requests the bytes' responses answer, and the
/// first message's body bytes not kept ([`DialogueRules::json`]).
fn json_asked(p: &Payload<'_>, asked: &[Ask], elided: u64) -> Value {
    let t = Text::of(p);
    let mut o = Map::new();
    let is_message = Http::TEXT.recognised(&t);
    o.insert("message".into(), json!(is_message));
    if is_message {
        start_line_and_headers(&mut o, t.bytes);
        o.insert(
            "messages".into(),
            Value::Array(messages_json(t.bytes, asked, elided)),
        );
    }
    o.insert("length".into(), json!(p.declared_len));
    Value::Object(o)
}

/// The fields of the message that starts `m`: its start line's parts and
/// the headers a reader wants first (their text as sent).
fn start_line_and_headers(o: &mut Map<String, Value>, m: &[u8]) {
    let mut lines = m
        .split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let Some(first) = lines.next() else {
        return;
    };
    let mut parts = first.splitn(3, |&c| c == b' ');
    let (a, b, c) = (parts.next(), parts.next(), parts.next());
    let is_response = b.is_some_and(|code| code.len() == 3 && code.iter().all(u8::is_ascii_digit))
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
    for l in lines {
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
