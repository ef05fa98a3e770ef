//! SMTP on TCP port 25, through tcpdump's text protocol printer
//! ([`super::txtproto`]): every segment is printed, `: SMTP: EHLO
//! client` on the default line, `: SMTP, length: N` and each line at
//! `-v`. The `"smtp"` JSON object holds the first line's command (RFC
//! 5321's and its extensions') and argument or its reply code and text;
//! Zeek's service `smtp` comes from a segment that starts with one of
//! them.

use super::Dissector;
use super::txtproto::{
    Dialogue, Printed, Reply, TextProto, dialogue_json, line_of, numbered_reply, starts_dialogue,
    verbose_of,
};

/// SMTP on port 25.
pub static SMTP: Dissector = Dissector::new(
    "smtp",
    line_of::<Smtp>,
    verbose_of::<Smtp>,
    dialogue_json::<Smtp>,
    starts_dialogue::<Smtp>,
);

struct Smtp;

impl Printed for Smtp {
    const TEXT: TextProto = TextProto {
        head: ": SMTP",
        requests: None,
    };
}

impl Dialogue for Smtp {
    /// RFC 5321's commands, STARTTLS (3207), AUTH (4954), BDAT (3030).
    const COMMANDS: &'static [&'static str] = &[
        "HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT",
        "STARTTLS", "AUTH", "BDAT", "ETRN",
    ];
    fn reply(l: &[u8]) -> Option<Reply<'_>> {
        numbered_reply(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::Payload;

    #[test]
    fn test_mail_transaction_lines() {
        assert_eq!(
            SMTP.printed(b"MAIL FROM:<a@b>\r\n", 0),
            ": SMTP: MAIL FROM:<a@b>"
        );
        let j = dialogue_json::<Smtp>(&Payload::whole(b"250-mx Hello\r\n250 SIZE 1000\r\n"));
        assert_eq!(j["code"], 250);
        let j = dialogue_json::<Smtp>(&Payload::whole(b"Subject: hi\r\n"));
        assert_eq!(j["text"], "Subject: hi");
        assert!(
            !starts_dialogue::<Smtp>(b"Subject: hi\r\n") && starts_dialogue::<Smtp>(b"ehlo x\r\n")
        );
    }
}
