//! tcpdump's printer of line-oriented text protocols (its "txtproto"),
//! shared by HTTP, RTSP, SIP, FTP, SMTP and WHOIS: the protocol's name in
//! capitals, then on the default line the segment's first line
//! (`: FTP: USER anonymous`), and at `-v` `, length: N` and every line on
//! its own `\n\t` line.
//!
//! The rules tcpdump follows, observed on built segments and read in its
//! documentation (never its code):
//! - a protocol with request names (HTTP, RTSP, SIP) prints its lines only
//!   when the segment's first token is one of them (any case) or its second
//!   token is a three-digit code; the others print every segment;
//! - a token is printable ASCII up to white space, at most 128 bytes; a
//!   byte that is not printable, or the capture's end, makes it no token;
//! - a line ends at LF or CRLF; a control character (other than tab), a
//!   byte above 0x7e or a CR not followed by LF ends the printing silently,
//!   before the line is printed;
//! - a line the segment ends inside is printed and marked ` [|name]`, one
//!   the capture ends inside is not printed, only marked.
//!
//! The end of the capture is met by reading on (tcpdump's `longjmp`), so
//! every stop in a segment the capture cut moves tcpdump's `-x` dump to
//! the frame's first byte ([`cut_jumps`]).

use super::Payload;
use super::Truncated;
use super::put_num;
use super::wire::Res;
use serde_json::{Map, Value};

/// One text protocol as tcpdump's printer sees it.
pub struct TextProto {
    /// What starts the protocol's part of the line: `: FTP` after a TCP
    /// line, `SIP` after a UDP one.
    pub head: &'static str,
    /// The request names that make a segment one to print (with a
    /// three-digit code as second token); `None`: every segment is.
    pub requests: Option<&'static [&'static str]>,
}

/// The bytes that may be printed and whether the capture cut the segment.
pub struct Text<'a> {
    pub bytes: &'a [u8],
    /// The capture holds less than the segment.
    pub cut: bool,
}

impl<'a> Text<'a> {
    pub fn of(p: &Payload<'a>) -> Text<'a> {
        let end = p.bytes.len().min(p.declared_len);
        Text {
            bytes: p.bytes.get(..end).unwrap_or(&[]),
            cut: p.bytes.len() < p.declared_len,
        }
    }
}

/// tcpdump's token buffer holds 128 bytes and the terminating NUL.
const MAX_TOKEN: usize = 128;

/// The token at `at` (printable ASCII up to white space) and where the
/// next starts after the spaces that follow it; `None` when there is no
/// token there, it is too long, or a byte other than white space (or the
/// capture's end) interrupts it.
fn token<'a>(t: &Text<'a>, at: usize) -> Option<(&'a [u8], usize)> {
    let rest = t.bytes.get(at..)?;
    let len = rest
        .iter()
        .take_while(|c| (0x21..0x7f).contains(*c))
        .count();
    let end = at + len;
    match t.bytes.get(end) {
        Some(b' ' | b'\t' | b'\r' | b'\n') => {}
        None if !t.cut => {}
        _ => return None,
    }
    if len == 0 || len > MAX_TOKEN {
        return None;
    }
    // Spaces after the token (not tabs: tcpdump stops at any byte that
    // is not printable, and a tab is not).
    let spaces = t
        .bytes
        .get(end..)
        .unwrap_or(&[])
        .iter()
        .take_while(|&&c| c == b' ')
        .count();
    Some((rest.get(..len).unwrap_or(&[]), end + spaces))
}

/// A line from `at`, as tcpdump sees it.
enum Line<'a> {
    /// Ended by LF or CRLF; the next line starts at `.1`.
    Whole(&'a [u8], usize),
    /// The segment ends inside it.
    Unended(&'a [u8]),
    /// The capture ends inside it.
    Cut,
    /// A control character (or a CR without LF): not text.
    Bad,
}

fn line_at<'a>(t: &Text<'a>, at: usize) -> Line<'a> {
    let rest = t.bytes.get(at..).unwrap_or(&[]);
    for (i, &c) in rest.iter().enumerate() {
        let content = rest.get(..i).unwrap_or(&[]);
        match c {
            b'\n' => return Line::Whole(content, at + i + 1),
            b'\r' => {
                return match rest.get(i + 1) {
                    Some(b'\n') => Line::Whole(content, at + i + 2),
                    None if t.cut => Line::Cut,
                    _ => Line::Bad,
                };
            }
            b'\t' | 0x20..=0x7e => {}
            _ => return Line::Bad,
        }
    }
    if t.cut {
        Line::Cut
    } else {
        Line::Unended(rest)
    }
}

/// Every whole line of the segment until the first that is not text,
/// for the JSON objects (lines the segment or the capture leave unended
/// are left out).
pub fn lines<'a>(t: &Text<'a>) -> impl Iterator<Item = &'a [u8]> + 'a {
    let bytes = t.bytes;
    let mut at = 0;
    std::iter::from_fn(move || {
        let whole = Text { bytes, cut: false };
        match line_at(&whole, at) {
            Line::Whole(l, next) => {
                at = next;
                Some(l)
            }
            _ => None,
        }
    })
}

/// Whether tcpdump's printer, stopping early, read past the capture
/// (see `dissect::JumpRule`): its lines are read unchecked, so every stop
/// in a segment the capture cut is one; a line the segment itself leaves
/// unended is its own check.
pub fn cut_jumps(p: &Payload<'_>) -> bool {
    Text::of(p).cut
}

/// A protocol printed by this printer: its [`TextProto`], so that the
/// generic functions below are its dissector's line and `-v` printers.
pub trait Printed {
    const TEXT: TextProto;
}

/// The default line of `P` (a [`super::LineFn`]).
pub fn line_of<P: Printed>(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    P::TEXT.line(w, p)
}

/// The `-v` text of `P` at every level (a [`super::VerboseFn`]).
pub fn verbose_of<P: Printed>(w: &mut Vec<u8>, p: &Payload<'_>, _level: u8) -> Res<()> {
    P::TEXT.verbose(w, p)
}

/// Whether a segment is one `P` prints the lines of (for the service
/// of a protocol with request names).
pub fn starts_message<P: Printed>(bytes: &[u8]) -> bool {
    P::TEXT.recognised(&Text { bytes, cut: false })
}

impl TextProto {
    /// Whether tcpdump prints the segment's lines.
    pub fn recognised(&self, t: &Text<'_>) -> bool {
        let Some(requests) = self.requests else {
            return true;
        };
        let Some((first, next)) = token(t, 0) else {
            return false;
        };
        if requests
            .iter()
            .any(|r| r.as_bytes().eq_ignore_ascii_case(first))
        {
            return true;
        }
        token(t, next)
            .is_some_and(|(code, _)| code.len() == 3 && code.iter().all(u8::is_ascii_digit))
    }

    /// The default line: the head, then the first line when the segment
    /// is one to print.
    pub fn line(&self, w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
        w.extend_from_slice(self.head.as_bytes());
        let t = Text::of(p);
        if !self.recognised(&t) {
            return Ok(());
        }
        match line_at(&t, 0) {
            Line::Whole(l, _) => put_first(w, l),
            Line::Unended(l) => {
                put_first(w, l);
                return Err(Truncated);
            }
            Line::Cut => return Err(Truncated),
            Line::Bad => {}
        }
        Ok(())
    }

    /// The `-v` text (every level): the head, `, length: N` and every
    /// line of the segment.
    pub fn verbose(&self, w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
        w.extend_from_slice(self.head.as_bytes());
        let t = Text::of(p);
        if !self.recognised(&t) {
            return Ok(());
        }
        w.extend_from_slice(b", length: ");
        put_num(w, p.declared_len);
        let mut at = 0;
        while at < t.bytes.len() {
            match line_at(&t, at) {
                Line::Whole(l, next) => {
                    w.extend_from_slice(b"\n\t");
                    w.extend_from_slice(l);
                    at = next;
                }
                Line::Unended(l) => {
                    w.extend_from_slice(b"\n\t");
                    w.extend_from_slice(l);
                    return Err(Truncated);
                }
                Line::Cut => return Err(Truncated),
                Line::Bad => return Ok(()),
            }
        }
        if t.cut { Err(Truncated) } else { Ok(()) }
    }
}

fn put_first(w: &mut Vec<u8>, l: &[u8]) {
    w.extend_from_slice(b": ");
    w.extend_from_slice(l);
}

/// A byte string as a JSON string (bytes that are not UTF-8 replaced).
pub fn string(b: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(b).into_owned())
}

/// The first word of a line and what follows the spaces after it.
pub fn split_word(l: &[u8]) -> (&[u8], &[u8]) {
    let end = l.iter().position(|&c| c == b' ').unwrap_or(l.len());
    let (word, rest) = l.split_at(end);
    (word, rest.trim_ascii_start())
}

/// Whether `word` is one of `names`, in any case.
pub fn is_one_of(word: &[u8], names: &[&str]) -> bool {
    names
        .iter()
        .any(|n| n.as_bytes().eq_ignore_ascii_case(word))
}

/// A reply's first line, as a protocol of commands and replies writes it.
pub struct Reply<'a> {
    /// FTP's and SMTP's number, POP3's `+OK` or `-ERR`.
    pub code: Value,
    pub text: &'a [u8],
    /// More lines of the same reply follow (`220-…`).
    pub more: bool,
}

/// FTP's and SMTP's replies: three digits, then a space, a dash (more
/// lines follow) or the line's end.
pub fn numbered_reply(l: &[u8]) -> Option<Reply<'_>> {
    let digits = l.get(..3)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let code: u16 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    let (more, text) = match l.get(3) {
        None => (false, &[][..]),
        Some(b' ') => (false, l.get(4..).unwrap_or(&[])),
        Some(b'-') => (true, l.get(4..).unwrap_or(&[])),
        Some(_) => return None,
    };
    Some(Reply {
        code: Value::from(code),
        text,
        more,
    })
}

/// A protocol of commands and replies (FTP, SMTP, POP3): its commands
/// and how its replies start.
pub trait Dialogue {
    const COMMANDS: &'static [&'static str];
    /// The reply a line is, or `None`.
    fn reply(l: &[u8]) -> Option<Reply<'_>>;
}

/// Whether a segment starts with one of `D`'s commands or a reply: the
/// payload shows the protocol (Zeek's service).
pub fn starts_dialogue<D: Dialogue>(bytes: &[u8]) -> bool {
    let first = lines(&Text { bytes, cut: false }).next();
    first.is_some_and(|l| D::reply(l).is_some() || is_one_of(split_word(l).0, D::COMMANDS))
}

/// The JSON object of a protocol of commands and replies: the first
/// line's command (one of `D`'s) and argument, or its reply's code and
/// text; otherwise the line as `text` (a message body, a continuation).
/// `lines`: the segment's whole text lines.
pub fn dialogue_json<D: Dialogue>(p: &Payload<'_>) -> Value {
    let t = Text::of(p);
    let mut o = Map::new();
    let mut count = 0;
    for (i, l) in lines(&t).enumerate() {
        count += 1;
        if i > 0 {
            continue;
        }
        if let Some(r) = D::reply(l) {
            o.insert("code".into(), r.code);
            o.insert("text".into(), string(r.text));
            o.insert("more".into(), Value::Bool(r.more));
            continue;
        }
        let (word, arg) = split_word(l);
        if is_one_of(word, D::COMMANDS) {
            o.insert("command".into(), string(&word.to_ascii_uppercase()));
            o.insert("arg".into(), string(arg));
        } else {
            o.insert("text".into(), string(l));
        }
    }
    o.insert("lines".into(), Value::from(count));
    o.insert("length".into(), Value::from(p.declared_len));
    Value::Object(o)
}

/// The JSON object of a request or status line and its headers (RTSP,
/// SIP): `method`, `uri` and `version`, or `version`, `status` and
/// `reason`; each header of `headers` (its names, in any case, and its
/// key) that the segment holds.
pub fn message_json(p: &Payload<'_>, proto: &TextProto, headers: &[(&[&str], &str)]) -> Value {
    let t = Text::of(p);
    let mut o = Map::new();
    let is_message = proto.recognised(&t);
    o.insert("message".into(), Value::Bool(is_message));
    let mut lines = lines(&t);
    if is_message && let Some(first) = lines.next() {
        let (a, rest) = split_word(first);
        let (b, c) = split_word(rest);
        let status = (b.len() == 3 && b.iter().all(u8::is_ascii_digit))
            .then(|| std::str::from_utf8(b).ok()?.parse::<u16>().ok())
            .flatten();
        match status {
            Some(code) if !is_one_of(a, proto.requests.unwrap_or(&[])) => {
                o.insert("version".into(), string(a));
                o.insert("status".into(), Value::from(code));
                o.insert("reason".into(), string(c));
            }
            _ => {
                o.insert("method".into(), string(a));
                o.insert("uri".into(), string(b));
                o.insert("version".into(), string(c));
            }
        }
        for l in lines.take_while(|l| !l.is_empty()) {
            let Some(colon) = l.iter().position(|&c| c == b':') else {
                continue;
            };
            let (name, value) = l.split_at(colon);
            let name = name.trim_ascii();
            if let Some((_, key)) = headers.iter().find(|(names, _)| is_one_of(name, names)) {
                o.insert(
                    (*key).into(),
                    string(value.get(1..).unwrap_or(&[]).trim_ascii()),
                );
            }
        }
    }
    o.insert("length".into(), Value::from(p.declared_len));
    Value::Object(o)
}
