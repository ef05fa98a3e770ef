//! SMTP on TCP port 25, through tcpdump's text protocol printer
//! ([`super::txtproto`]): every segment is printed, `: SMTP: EHLO
//! client` on the default line, `: SMTP, length: N` and each line at
//! `-v`. The `"smtp"` JSON object holds the first line's command (RFC
//! 5321's and its extensions') and argument or its reply code and text;
//! Zeek's service `smtp` comes from a segment that starts with one of
//! them.

use super::txtproto::{TextProto, dialogue_json, numbered_reply, starts_dialogue};
use super::wire::Res;
use super::{Dissector, Payload};
use serde_json::Value;

/// SMTP on port 25.
pub static SMTP: Dissector = Dissector::new("smtp", line, verbose, to_json, recognise);

static TEXT: TextProto = TextProto {
    head: ": SMTP",
    requests: None,
};

/// RFC 5321's commands, STARTTLS (3207), AUTH (4954), BDAT (3030).
const COMMANDS: &[&str] = &[
    "HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT",
    "STARTTLS", "AUTH", "BDAT", "ETRN",
];

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    TEXT.line(w, p)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _level: u8) -> Res<()> {
    TEXT.verbose(w, p)
}

fn recognise(m: &[u8]) -> bool {
    starts_dialogue(m, COMMANDS, numbered_reply)
}

fn to_json(p: &Payload<'_>) -> Value {
    dialogue_json(p, COMMANDS, numbered_reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_mail_transaction_lines() {
        assert_eq!(
            SMTP.printed(b"MAIL FROM:<a@b>\r\n", 0),
            ": SMTP: MAIL FROM:<a@b>"
        );
        let j = to_json(&Payload::whole(b"250-mx Hello\r\n250 SIZE 1000\r\n"));
        assert_eq!(j["code"], 250);
        let j = to_json(&Payload::whole(b"Subject: hi\r\n"));
        assert_eq!(j["text"], "Subject: hi");
        assert!(!recognise(b"Subject: hi\r\n") && recognise(b"ehlo x\r\n"));
    }
}
