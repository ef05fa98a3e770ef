//! POP3 (RFC 1939) on TCP port 110: tcpdump 4.99 has no printer for it,
//! so its line stays the TCP one and only `--json` gains the `"pop3"`
//! object: the first line's command (RFC 1939's, 2449's `CAPA`, 2595's
//! `STLS`, 5034's `AUTH`) and argument, or its reply's status (`+OK`,
//! `-ERR`) and text. Zeek's service `pop3` comes from a segment that
//! starts with one of them.
//!
//! A `+OK` is followed by lines up to one holding only `.` when it
//! answers RETR, TOP, CAPA, or LIST and UIDL without an argument (RFC
//! 1939 §3, RFC 2449 §5): [`DIALOGUE`] pairs the server's replies with
//! the client's commands (`crate::flow::pdu`), so such a reply says
//! `more` and is followed across segments to its `.`, decoded whole on
//! the segment that ends it (the segments between are continuations:
//! a message's lines may start `+OK`). A reply longer than 64 KiB is not
//! followed.

use super::txtproto::{Dialogue, Reply, dialogue_json, is_one_of, split_word, starts_dialogue};
use super::{Ask, DialogueRules, Dissector, Framing, Payload, Turn};
use serde_json::{Value, json};

/// POP3 on port 110: JSON only.
pub static POP3: Dissector = Dissector {
    name: "pop3",
    json_key: "pop3",
    line: None,
    verbose: None,
    json: dialogue_json::<Pop3>,
    service: "pop3",
    recognise: starts_dialogue::<Pop3>,
};

struct Pop3;

impl Dialogue for Pop3 {
    const COMMANDS: &'static [&'static str] = &[
        "USER", "PASS", "APOP", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "QUIT", "TOP",
        "UIDL", "CAPA", "STLS", "AUTH",
    ];

    /// `+OK text` or `-ERR text`.
    fn reply(l: &[u8]) -> Option<Reply<'_>> {
        let (word, text) = split_word(l);
        (word == b"+OK" || word == b"-ERR").then(|| Reply {
            code: Value::from(String::from_utf8_lossy(word).into_owned()),
            text,
            more: false,
        })
    }
}

/// The rules of POP3's dialogue.
pub static DIALOGUE: DialogueRules = DialogueRules {
    framing: framing_asked,
    turns,
    json: json_asked,
    opaque: |_, _| None,
};

/// A command answered by several lines.
const MULTI: u8 = 1;

/// The kind of request a client line is (`None`: not a command).
fn command_kind(l: &[u8]) -> Option<u8> {
    let (word, arg) = split_word(l);
    if !is_one_of(word, Pop3::COMMANDS) {
        return None;
    }
    let multi = is_one_of(word, &["RETR", "TOP", "CAPA"])
        || (arg.is_empty() && is_one_of(word, &["LIST", "UIDL"]));
    Some(u8::from(multi) * MULTI)
}

/// The line at `at`: its text (without CRLF) and where the next starts.
fn line(m: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = m.get(at..)?;
    let lf = rest.iter().position(|&c| c == b'\n')?;
    let l = rest.get(..lf).unwrap_or(&[]);
    Some((l.strip_suffix(b"\r").unwrap_or(l), at + lf + 1))
}

/// Whether a line is a status reply (what answers a command).
fn is_status(l: &[u8]) -> bool {
    Pop3::reply(l).is_some()
}

/// The message at `at` (a line; a `+OK` answering a multi-line command
/// and the lines up to `.`): where it ends, or `Err(need, resume)`.
/// `scanned`: bytes known to hold no `.` line.
fn message_at(
    m: &[u8],
    at: usize,
    ask: Option<&Ask>,
    scanned: usize,
) -> Result<usize, (usize, usize)> {
    let Some((first, mut next)) = line(m, at) else {
        return Err((m.len() + 1, 0));
    };
    let multi = first.starts_with(b"+OK") && ask.is_some_and(|a| a.kind == MULTI);
    if !multi {
        return Ok(next);
    }
    next = next.max(scanned);
    while let Some((l, after)) = line(m, next) {
        if l == b"." {
            return Ok(after);
        }
        next = after;
    }
    Err((m.len() + 1, next))
}

/// Whole messages from the start of `m`: lines, and a multi-line reply as
/// one; `asked` as [`DialogueRules::framing`].
fn framing_asked(m: &[u8], from: usize, asked: &[Ask]) -> Option<Framing> {
    if from == 0 && !starts_dialogue::<Pop3>(m) {
        return None;
    }
    let (mut at, mut answered) = (0, 0);
    while at < m.len() {
        let reply = line(m, at).is_none_or(|(l, _)| is_status(l));
        let ask = asked.get(answered).filter(|_| reply);
        match message_at(m, at, ask, if at == 0 { from } else { 0 }) {
            Ok(end) => {
                answered += usize::from(reply && line(m, at).is_some());
                at = end;
            }
            Err((need, resume)) => {
                let resume = if at == 0 { resume } else { 0 };
                return Some(Framing {
                    whole: at,
                    need: Some(need),
                    resume,
                });
            }
        }
    }
    Some(Framing {
        whole: at,
        need: None,
        resume: 0,
    })
}

/// What whole messages do: each command asks (its kind pushed), each
/// status reply answers the oldest open one.
fn turns(m: &[u8], asked: &[Ask], asks: &mut Vec<u8>, _: u64) -> Turn {
    let (mut at, mut answered) = (0, 0);
    while let Some((l, _)) = line(m, at) {
        if let Some(kind) = command_kind(l) {
            asks.push(kind);
        }
        let reply = is_status(l);
        let Ok(end) = message_at(m, at, asked.get(answered).filter(|_| reply), 0) else {
            break;
        };
        answered += usize::from(reply);
        at = end;
    }
    Turn {
        answered,
        tunnel: false,
    }
}

/// The `"pop3"` object, with what the first reply answers: `more` when
/// lines up to `.` follow it, `complete` when the bytes hold them all,
/// `request_in` the command's packet.
fn json_asked(p: &Payload<'_>, asked: &[Ask], _: u64) -> Value {
    let mut v = dialogue_json::<Pop3>(p);
    let first = line(p.bytes, 0).map(|(l, _)| l);
    let (Some(first), Some(ask), Value::Object(o)) = (first, asked.first(), &mut v) else {
        return v;
    };
    if !is_status(first) {
        return v;
    }
    o.insert("request_in".into(), json!(ask.packet));
    if first.starts_with(b"+OK") && ask.kind == MULTI {
        o.insert("more".into(), json!(true));
        let whole = message_at(p.bytes, 0, Some(ask), 0).is_ok();
        o.insert("complete".into(), json!(whole));
    }
    v
}

/// [`framing_asked`] with nothing asked.
pub fn framing(m: &[u8], from: usize) -> Option<Framing> {
    framing_asked(m, from, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::Payload;

    #[test]
    fn test_status_and_commands() {
        let j = dialogue_json::<Pop3>(&Payload::whole(b"+OK POP3 ready\r\n"));
        assert_eq!(
            (j["code"].as_str(), j["text"].as_str()),
            (Some("+OK"), Some("POP3 ready"))
        );
        let j = dialogue_json::<Pop3>(&Payload::whole(b"retr 1\r\n"));
        assert_eq!(j["command"], "RETR");
        assert!(!starts_dialogue::<Pop3>(b"From: a\r\n"));
    }

    #[test]
    fn test_multi_line_replies_follow_their_command() {
        let retr = [Ask {
            kind: MULTI,
            packet: 7,
        }];
        let m = b"+OK 12 octets\r\n+OK not a reply\r\n.\r\n-ERR x\r\n";
        let f = framing_asked(&m[..30], 0, &retr).expect("a reply");
        assert_eq!((f.whole, f.need, f.resume), (0, Some(31), 15));
        let f = framing_asked(m, 0, &retr).expect("a reply");
        assert_eq!((f.whole, f.need), (m.len(), None));
        let mut kinds = Vec::new();
        assert_eq!(turns(m, &retr, &mut kinds, 0).answered, 2);
        let j = json_asked(&Payload::whole(m), &retr, 0);
        assert_eq!(
            (&j["more"], &j["complete"], &j["request_in"]),
            (&json!(true), &json!(true), &json!(7))
        );
        // Without RETR the first line is all of the reply.
        let f = framing_asked(m, 0, &[]).expect("a reply");
        assert_eq!(f.whole, m.len());
        assert_eq!(json_asked(&Payload::whole(m), &[], 0)["more"], false);
        turns(b"LIST\r\nLIST 1\r\nRETR 1\r\nQUIT\r\n", &[], &mut kinds, 0);
        assert_eq!(kinds, [MULTI, 0, MULTI, 0]);
    }
}
