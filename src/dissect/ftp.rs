//! FTP's control connection on TCP port 21, through tcpdump's text
//! protocol printer ([`super::txtproto`]): every segment is printed,
//! `: FTP: USER anonymous` on the default line, `: FTP, length: N` and
//! each line at `-v`. The `"ftp"` JSON object holds the first line's
//! command and argument (RFC 959's commands and their extensions) or its
//! reply code and text; Zeek's service `ftp` comes from a segment that
//! starts with one of them.

use super::Dissector;
use super::txtproto::{
    Dialogue, Printed, Reply, TextProto, dialogue_json, line_of, numbered_reply, starts_dialogue,
    verbose_of,
};

/// FTP on port 21.
pub static FTP: Dissector = Dissector::new(
    "ftp",
    line_of::<Ftp>,
    verbose_of::<Ftp>,
    dialogue_json::<Ftp>,
    starts_dialogue::<Ftp>,
);

struct Ftp;

impl Printed for Ftp {
    const TEXT: TextProto = TextProto {
        head: ": FTP",
        requests: None,
    };
}

impl Dialogue for Ftp {
    /// RFC 959's commands and those of RFCs 2228, 2389, 2428, 2640, 3659
    /// and 775's `X` forms.
    const COMMANDS: &'static [&'static str] = &[
        "ABOR", "ACCT", "ADAT", "ALLO", "APPE", "AUTH", "CCC", "CDUP", "CONF", "CWD", "DELE",
        "ENC", "EPRT", "EPSV", "FEAT", "HELP", "LANG", "LIST", "MDTM", "MIC", "MKD", "MLSD",
        "MLST", "MODE", "NLST", "NOOP", "OPTS", "PASS", "PASV", "PBSZ", "PORT", "PROT", "PWD",
        "QUIT", "REIN", "REST", "RETR", "RMD", "RNFR", "RNTO", "SITE", "SIZE", "SMNT", "STAT",
        "STOR", "STOU", "STRU", "SYST", "TYPE", "USER", "XCUP", "XMKD", "XPWD", "XRMD",
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
        let j = dialogue_json::<Ftp>(&Payload::whole(b"user anonymous\r\n"));
        assert_eq!(j["command"], "USER");
        assert_eq!(j["arg"], "anonymous");
        let j = dialogue_json::<Ftp>(&Payload::whole(b"230-Welcome\r\n230 Login ok\r\n"));
        assert_eq!(
            (j["code"].as_u64(), j["more"].as_bool()),
            (Some(230), Some(true))
        );
        assert_eq!(j["lines"], 2);
    }
}
