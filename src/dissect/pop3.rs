//! POP3 (RFC 1939) on TCP port 110: tcpdump 4.99 has no printer for it,
//! so its line stays the TCP one and only `--json` gains the `"pop3"`
//! object: the first line's command (RFC 1939's, 2449's `CAPA`, 2595's
//! `STLS`, 5034's `AUTH`) and argument, or its reply's status (`+OK`,
//! `-ERR`) and text. Zeek's service `pop3` comes from a segment that
//! starts with one of them.

use super::txtproto::{Reply, dialogue_json, split_word, starts_dialogue};
use super::{Dissector, Payload};
use serde_json::Value;

/// POP3 on port 110: JSON only.
pub static POP3: Dissector = Dissector {
    name: "pop3",
    json_key: "pop3",
    line: None,
    verbose: None,
    json: to_json,
    service: "pop3",
    recognise,
};

const COMMANDS: &[&str] = &[
    "USER", "PASS", "APOP", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "QUIT", "TOP", "UIDL",
    "CAPA", "STLS", "AUTH",
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

fn recognise(m: &[u8]) -> bool {
    starts_dialogue(m, COMMANDS, reply)
}

fn to_json(p: &Payload<'_>) -> Value {
    dialogue_json(p, COMMANDS, reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_status_and_commands() {
        let j = to_json(&Payload::whole(b"+OK POP3 ready\r\n"));
        assert_eq!(
            (j["code"].as_str(), j["text"].as_str()),
            (Some("+OK"), Some("POP3 ready"))
        );
        let j = to_json(&Payload::whole(b"retr 1\r\n"));
        assert_eq!(j["command"], "RETR");
        assert!(!recognise(b"From: a\r\n"));
    }
}
