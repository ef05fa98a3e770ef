//! SIP (RFC 3261) on UDP port 5060, through tcpdump's text protocol
//! printer ([`super::txtproto`]): a datagram is printed when it starts
//! with a SIP method or a status line (`SIP: INVITE sip:bob@b SIP/2.0`;
//! `-v`: `SIP, length: N` and every line), else only `SIP`. tcpdump
//! decodes no SIP over TCP. The `"sip"` JSON object holds the request or
//! status line and the Call-ID, From, To, CSeq, Via and User-Agent
//! headers (compact forms too); Zeek's service is `sip`.

use super::txtproto::{Printed, TextProto, line_of, message_json, starts_message, verbose_of};
use super::{Dissector, Payload};
use serde_json::Value;

/// SIP on UDP port 5060.
pub static SIP: Dissector = Dissector::new(
    "sip",
    line_of::<Sip>,
    verbose_of::<Sip>,
    to_json,
    starts_message::<Sip>,
);

/// The methods tcpdump recognises.
const METHODS: &[&str] = &[
    "ACK",
    "BYE",
    "CANCEL",
    "DO",
    "INFO",
    "INVITE",
    "MESSAGE",
    "NOTIFY",
    "OPTIONS",
    "PRACK",
    "QAUTH",
    "REFER",
    "REGISTER",
    "SPRACK",
    "SUBSCRIBE",
    "UPDATE",
    "PUBLISH",
];

struct Sip;

impl Printed for Sip {
    const TEXT: TextProto = TextProto {
        head: "SIP",
        requests: Some(METHODS),
    };
}

fn to_json(p: &Payload<'_>) -> Value {
    message_json(
        p,
        &Sip::TEXT,
        &[
            (&["Call-ID", "i"], "call_id"),
            (&["From", "f"], "from"),
            (&["To", "t"], "to"),
            (&["CSeq"], "cseq"),
            (&["Via", "v"], "via"),
            (&["User-Agent"], "user_agent"),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_invite_and_reply() {
        let m = b"INVITE sip:bob@b SIP/2.0\r\ni: abc@h\r\nCSeq: 1 INVITE\r\n\r\n";
        assert_eq!(SIP.printed(m, 0), "SIP: INVITE sip:bob@b SIP/2.0");
        let j = to_json(&Payload::whole(m));
        assert_eq!(
            (j["method"].as_str(), j["call_id"].as_str()),
            (Some("INVITE"), Some("abc@h"))
        );
        let j = to_json(&Payload::whole(b"SIP/2.0 180 Ringing\r\n\r\n"));
        assert_eq!(
            (j["status"].as_u64(), j["reason"].as_str()),
            (Some(180), Some("Ringing"))
        );
    }
}
