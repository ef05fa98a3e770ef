//! IMAP (RFC 9051) on TCP port 143: tcpdump 4.99 has no printer for it,
//! so its line stays the TCP one and only `--json` gains the `"imap"`
//! object: the first line's tag (`*` for untagged data, `+` for a
//! continuation) and either a command (`LOGIN`, `SELECT`, …) and its
//! arguments or a response (`OK`, `NO`, `BAD`, `PREAUTH`, `BYE`, or
//! untagged data such as `CAPABILITY`) and its text. Zeek's service
//! `imap` comes from a segment that starts with one of them.

use super::txtproto::{Text, is_one_of, lines, split_word, string};
use super::{Dissector, Payload};
use serde_json::{Map, Value};

/// IMAP on port 143: JSON only.
pub static IMAP: Dissector = Dissector {
    name: "imap",
    json_key: "imap",
    line: None,
    verbose: None,
    json: to_json,
    service: "imap",
    recognise,
};

/// RFC 9051's commands, with RFC 3501's and the common extensions'.
const COMMANDS: &[&str] = &[
    "CAPABILITY",
    "NOOP",
    "LOGOUT",
    "STARTTLS",
    "AUTHENTICATE",
    "LOGIN",
    "ENABLE",
    "SELECT",
    "EXAMINE",
    "CREATE",
    "DELETE",
    "RENAME",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "LIST",
    "LSUB",
    "NAMESPACE",
    "STATUS",
    "APPEND",
    "IDLE",
    "CHECK",
    "CLOSE",
    "UNSELECT",
    "EXPUNGE",
    "SEARCH",
    "FETCH",
    "STORE",
    "COPY",
    "MOVE",
    "UID",
    "ID",
];

/// Server responses: status words, then untagged data.
const RESPONSES: &[&str] = &[
    "OK",
    "NO",
    "BAD",
    "PREAUTH",
    "BYE",
    "CAPABILITY",
    "LIST",
    "LSUB",
    "STATUS",
    "SEARCH",
    "FLAGS",
    "ENABLED",
    "NAMESPACE",
    "ESEARCH",
    "ID",
];

/// A line's tag, word and the rest.
fn parts(l: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let (tag, rest) = split_word(l);
    let (word, rest) = split_word(rest);
    (tag, word, rest)
}

fn recognise(bytes: &[u8]) -> bool {
    let Some(first) = lines(&Text { bytes, cut: false }).next() else {
        return false;
    };
    let (tag, word, _) = parts(first);
    match tag {
        b"*" => is_one_of(word, RESPONSES) || word.iter().all(u8::is_ascii_digit),
        b"" => false,
        _ => is_one_of(word, COMMANDS) || is_one_of(word, &RESPONSES[..3]),
    }
}

fn to_json(p: &Payload<'_>) -> Value {
    let t = Text::of(p);
    let mut o = Map::new();
    if let Some(first) = lines(&t).next() {
        let (tag, word, rest) = parts(first);
        o.insert("tag".into(), string(tag));
        if tag == b"+" {
            o.insert(
                "text".into(),
                string(first.get(1..).unwrap_or(&[]).trim_ascii()),
            );
        } else if tag != b"*" && is_one_of(word, COMMANDS) {
            o.insert("command".into(), string(&word.to_ascii_uppercase()));
            o.insert("arg".into(), string(rest));
        } else {
            o.insert("response".into(), string(&word.to_ascii_uppercase()));
            o.insert("text".into(), string(rest));
        }
    }
    o.insert("lines".into(), Value::from(lines(&t).count()));
    o.insert("length".into(), Value::from(p.declared_len));
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_commands_and_responses() {
        let j = to_json(&Payload::whole(b"a1 login bob secret\r\n"));
        assert_eq!(
            (j["tag"].as_str(), j["command"].as_str()),
            (Some("a1"), Some("LOGIN"))
        );
        let j = to_json(&Payload::whole(b"* OK [CAPABILITY IMAP4rev1] ready\r\n"));
        assert_eq!(j["response"], "OK");
        assert!(recognise(b"* 3 EXISTS\r\n") && !recognise(b"hello world\r\n"));
    }
}
