//! RTSP (RFC 2326) on TCP ports 554 and 8554, through tcpdump's text
//! protocol printer ([`super::txtproto`]): a segment is printed when it
//! starts with an RTSP method or a status line (`: RTSP: OPTIONS
//! rtsp://host/ RTSP/1.0`; `-v`: every line), else only `: RTSP`. The
//! `"rtsp"` JSON object holds the request or status line and the CSeq,
//! Session and Transport headers; Zeek has no RTSP analyzer, so no
//! service is named.

use super::txtproto::{Printed, TextProto, line_of, message_json, starts_message, verbose_of};
use super::{Dissector, Payload};
use serde_json::Value;

/// RTSP on ports 554 and 8554.
pub static RTSP: Dissector = Dissector::new(
    "rtsp",
    line_of::<Rtsp>,
    verbose_of::<Rtsp>,
    to_json,
    starts_message::<Rtsp>,
)
.known_as("rtsp", "");

/// The methods tcpdump recognises (RFC 2326's).
const METHODS: &[&str] = &[
    "DESCRIBE",
    "ANNOUNCE",
    "GET_PARAMETER",
    "OPTIONS",
    "PAUSE",
    "PLAY",
    "RECORD",
    "REDIRECT",
    "SETUP",
    "SET_PARAMETER",
    "TEARDOWN",
];

struct Rtsp;

impl Printed for Rtsp {
    const TEXT: TextProto = TextProto {
        head: ": RTSP",
        requests: Some(METHODS),
    };
}

fn to_json(p: &Payload<'_>) -> Value {
    message_json(
        p,
        &Rtsp::TEXT,
        &[
            (&["CSeq"], "cseq"),
            (&["Session"], "session"),
            (&["Transport"], "transport"),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_request_and_status_lines() {
        let m = b"OPTIONS rtsp://a/ RTSP/1.0\r\nCSeq: 1\r\n\r\n";
        assert_eq!(RTSP.printed(m, 0), ": RTSP: OPTIONS rtsp://a/ RTSP/1.0");
        assert_eq!(
            RTSP.printed(m, 1),
            ": RTSP, length: 39\n\tOPTIONS rtsp://a/ RTSP/1.0\n\tCSeq: 1\n\t"
        );
        assert_eq!(RTSP.printed(b"v=0\r\n", 0), ": RTSP");
        let j = to_json(&Payload::whole(
            b"RTSP/1.0 200 OK\r\nCSeq: 2\r\nSession: 12\r\n\r\n",
        ));
        assert_eq!(
            (j["status"].as_u64(), j["session"].as_str()),
            (Some(200), Some("12"))
        );
    }
}
