//! FTP's control connection on TCP port 21, through tcpdump's text
//! protocol printer ([`super::txtproto`]): every segment is printed,
//! `: FTP: USER anonymous` on the default line, `: FTP, length: N` and
//! each line at `-v`. The `"ftp"` JSON object holds the first line's
//! command and argument (RFC 959's commands and their extensions) or its
//! reply code and text; Zeek's service `ftp` comes from a segment that
//! starts with one of them.

use super::txtproto::{TextProto, dialogue_json, numbered_reply, starts_dialogue};
use super::wire::Res;
use super::{Dissector, Payload};
use serde_json::Value;

/// FTP on port 21.
pub static FTP: Dissector = Dissector::new("ftp", line, verbose, to_json, recognise);

static TEXT: TextProto = TextProto {
    head: ": FTP",
    requests: None,
};

/// RFC 959's commands and those of RFCs 2228, 2389, 2428, 2640, 3659 and
/// 775's `X` forms.
const COMMANDS: &[&str] = &[
    "ABOR", "ACCT", "ADAT", "ALLO", "APPE", "AUTH", "CCC", "CDUP", "CONF", "CWD", "DELE", "ENC",
    "EPRT", "EPSV", "FEAT", "HELP", "LANG", "LIST", "MDTM", "MIC", "MKD", "MLSD", "MLST", "MODE",
    "NLST", "NOOP", "OPTS", "PASS", "PASV", "PBSZ", "PORT", "PROT", "PWD", "QUIT", "REIN", "REST",
    "RETR", "RMD", "RNFR", "RNTO", "SITE", "SIZE", "SMNT", "STAT", "STOR", "STOU", "STRU", "SYST",
    "TYPE", "USER", "XCUP", "XMKD", "XPWD", "XRMD",
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
    fn test_command_and_reply_lines() {
        assert_eq!(
            FTP.printed(b"USER anonymous\r\n", 0),
            ": FTP: USER anonymous"
        );
        assert_eq!(
            FTP.printed(b"220-hi\r\n220 ok\r\n", 1),
            ": FTP, length: 16\n\t220-hi\n\t220 ok"
        );
        assert_eq!(FTP.printed(b"abc", 0), ": FTP: abc [|ftp]");
        assert_eq!(FTP.printed_cut(b"abc\r\n", 3, 0), ": FTP [|ftp]");
        assert_eq!(FTP.printed(b"\x80abc\r\n", 1), ": FTP, length: 6");
    }

    #[test]
    fn test_json_command_or_reply() {
        let j = to_json(&Payload::whole(b"user anonymous\r\n"));
        assert_eq!(j["command"], "USER");
        assert_eq!(j["arg"], "anonymous");
        let j = to_json(&Payload::whole(b"230-Welcome\r\n230 Login ok\r\n"));
        assert_eq!(
            (j["code"].as_u64(), j["more"].as_bool()),
            (Some(230), Some(true))
        );
        assert_eq!(j["lines"], 2);
    }
}
