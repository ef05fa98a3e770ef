//! POP3 (RFC 1939) on TCP port 110: tcpdump 4.99 has no printer for it,
//! so its line stays the TCP one and only `--json` gains the `"pop3"`
//! object: the first line's command (RFC 1939's, 2449's `CAPA`, 2595's
//! `STLS`, 5034's `AUTH`) and argument, or its reply's status (`+OK`,
//! `-ERR`) and text. Zeek's service `pop3` comes from a segment that
//! starts with one of them.

use super::Dissector;
use super::txtproto::{Dialogue, Reply, dialogue_json, split_word, starts_dialogue};
use serde_json::Value;

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
}
