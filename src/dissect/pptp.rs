//! PPTP's control connection (RFC 2637) on TCP port 1723, as `tcpdump -n`
//! (4.99) prints it: per segment, the first control message only (tcpdump
//! does not look for a second one), `: pptp CTRL_MSGTYPE=SCCRQ
//! PROTO_VER(1.0) FRAME_CAP(AS) …` with every field of the fifteen
//! message types in tcpdump's words; `-v` adds the header's length, its
//! message type (`CTRL-MSG`) and the magic cookie, and names the result,
//! error and reason codes (`RESULT_CODE(1:OK)`); `-vv` is `-v`. A magic
//! cookie other than 0x1a2b3c4d is said at every level, a reserved field
//! that is not zero too (`[ERROR: reserved=5 must be zero]`).
//!
//! tcpdump 4.99 reads every field unchecked (its `GET_` macros), the text
//! fields (host name, vendor, phone numbers, call statistics) a byte at a
//! time up to their first NUL, the phone numbers up to the length sent
//! beside them: a cut ends by its `longjmp`, wherever it falls, even
//! inside a text's parenthesis. The calls' data travels in GRE
//! (`tunnel::gre`), not here. Zeek has no PPTP analyzer: no `service`.

use super::ctl::{json_object, line_is_level_0, out, put_text_nul};
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated, word};
use serde_json::{Map, Value, json};

/// PPTP on port 1723.
pub static PPTP: Dissector = Dissector {
    name: "pptp",
    json_key: "pptp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: looks_like_pptp,
};

/// Every PPTP message carries the magic cookie at offset 4.
const MAGIC_COOKIE: u32 = 0x1a2b3c4d;

/// Length, message type, magic cookie, control message type, reserved.
const HEADER: usize = 12;

fn looks_like_pptp(m: &[u8]) -> bool {
    u32_at(m, 4) == Ok(MAGIC_COOKIE)
}

/// tcpdump's names of the control message types, by number (0 is its
/// `NOT_DEFINED`; 16 and above are unknown).
const TYPES: &str = "NOT_DEFINED SCCRQ SCCRP StopCCRQ StopCCRP ECHORQ ECHORP OCRQ OCRP \
                     ICRQ ICRP ICCN CCRQ CDN WEN SLI";

/// One field of a control message, as tcpdump prints it (the label is
/// its word before the parenthesis, and in lower case the JSON key).
#[derive(Clone, Copy)]
enum Field {
    /// ` LABEL(n)`, a 16-bit number.
    U16(&'static str),
    /// ` LABEL(n)`, a 32-bit number.
    U32(&'static str),
    /// ` LABEL(0x%08x)`: the ACCMs of Set-Link-Info.
    Hex32(&'static str),
    /// ` PROTO_VER(version.revision)`.
    ProtoVer,
    /// ` FRAME_CAP(AS)`: asynchronous, synchronous.
    FrameCap,
    /// ` BEARER_CAP(DA)`: digital, analog.
    BearerCap,
    /// ` BEARER_TYPE(A|D|Any|?)`.
    BearerType,
    /// ` FRAME_TYPE(A|S|E|?)`.
    FrameType,
    /// ` RESULT_CODE(n)`, named at `-v` from the message type's table.
    Result(&'static [(u8, &'static str)]),
    /// ` ERR_CODE(n)`, named at `-v`.
    ErrCode,
    /// Stop-Control-Connection-Request's ` REASON(n)`, named at `-v`.
    Reason,
    /// A reserved byte, said only when not zero.
    Reserved8,
    /// A reserved 16-bit word, said only when not zero.
    Reserved16,
    /// ` LABEL(text)`: a NUL-padded string of a fixed size, printed up to
    /// its first NUL.
    Text(&'static str, usize),
    /// The same, printed up to the length the 16-bit field at the offset
    /// (in the body) gives, at most the size, or to its first NUL: the
    /// phone numbers, whose length is sent beside them.
    Counted(&'static str, usize, usize),
}

use Field::*;

impl Field {
    /// The bytes the field takes.
    fn size(self) -> usize {
        match self {
            U16(_) | ProtoVer | Reserved16 => 2,
            U32(_) | Hex32(_) | FrameCap | BearerCap | BearerType | FrameType => 4,
            Result(_) | ErrCode | Reason | Reserved8 => 1,
            Text(_, n) | Counted(_, n, _) => n,
        }
    }
}

const SCCRP_RESULTS: &[(u8, &str)] = &[
    (1, "Successful channel establishment"),
    (2, "General error"),
    (3, "Command channel already exists"),
    (
        4,
        "Requester is not authorized to establish a command channel",
    ),
    (5, "The protocol version of the requester is not supported"),
];
/// Stop-Control-Connection-Reply's and Echo-Reply's.
const OK_RESULTS: &[(u8, &str)] = &[(1, "OK"), (2, "General Error")];
const OCRP_RESULTS: &[(u8, &str)] = &[
    (1, "Connected"),
    (2, "General Error"),
    (3, "No Carrier"),
    (4, "Busy"),
    (5, "No Dial Tone"),
    (6, "Time-out"),
    (7, "Do Not Accept"),
];
const ICRP_RESULTS: &[(u8, &str)] = &[(1, "Connect"), (2, "General Error"), (3, "Do Not Accept")];
const CDN_RESULTS: &[(u8, &str)] = &[
    (1, "Lost Carrier"),
    (2, "General Error"),
    (3, "Admin Shutdown"),
    (4, "Request"),
];
const ERR_CODES: &str = "None Not-Connected Bad-Format Bad-Value No-Resource Bad-Call-ID PAC-Error";
/// Reason 0 has no name.
const REASONS: &str = "- None Stop-Protocol Stop-Local-Shutdown";

const HOSTNAME: Field = Text("HOSTNAME", 64);
const VENDOR: Field = Text("VENDOR", 64);
const SUB_ADDR: Field = Text("SUB_ADDR", 64);
const CALL_ID: Field = U16("CALL_ID");
const PEER_CALL_ID: Field = U16("PEER_CALL_ID");
const CALL_SER: Field = U16("CALL_SER_NUM");
const RECV_WIN: Field = U16("RECV_WIN");
const PROC_DELAY: Field = U16("PROC_DELAY");
const CONN_SPEED: Field = U32("CONN_SPEED");
const PHY_CHAN_ID: Field = U32("PHY_CHAN_ID");
const CAUSE_CODE: Field = U16("CAUSE_CODE");
const ID: Field = U32("ID");

/// What Start-Control-Connection-Request and -Reply carry after their
/// first words: capabilities, channels, firmware, host and vendor.
const START_TAIL: &[Field] = &[
    FrameCap,
    BearerCap,
    U16("MAX_CHAN"),
    U16("FIRM_REV"),
    HOSTNAME,
    VENDOR,
];

/// The body of each control message type (RFC 2637 §2), by number: its
/// own fields, then the ones it shares with another type.
const BODIES: [(&[Field], &[Field]); 16] = [
    (&[], &[]),
    // Start-Control-Connection-Request and -Reply.
    (&[ProtoVer, Reserved16], START_TAIL),
    (&[ProtoVer, Result(SCCRP_RESULTS), ErrCode], START_TAIL),
    // Stop-Control-Connection-Request and -Reply.
    (&[Reason, Reserved8, Reserved16], &[]),
    (&[Result(OK_RESULTS), ErrCode, Reserved16], &[]),
    // Echo-Request and -Reply.
    (&[ID], &[]),
    (&[ID, Result(OK_RESULTS), ErrCode, Reserved16], &[]),
    // Outgoing-Call-Request.
    (
        &[
            CALL_ID,
            CALL_SER,
            U32("MIN_BPS"),
            U32("MAX_BPS"),
            BearerType,
            FrameType,
            RECV_WIN,
            PROC_DELAY,
            U16("PHONE_NO_LEN"),
            Reserved16,
            Counted("PHONE_NO", 64, 24),
            SUB_ADDR,
        ],
        &[],
    ),
    // Outgoing-Call-Reply.
    (
        &[
            CALL_ID,
            PEER_CALL_ID,
            Result(OCRP_RESULTS),
            ErrCode,
            CAUSE_CODE,
            CONN_SPEED,
            RECV_WIN,
            PROC_DELAY,
            PHY_CHAN_ID,
        ],
        &[],
    ),
    // Incoming-Call-Request.
    (
        &[
            CALL_ID,
            CALL_SER,
            BearerType,
            PHY_CHAN_ID,
            U16("DIALED_NO_LEN"),
            U16("DIALING_NO_LEN"),
            Counted("DIALED_NO", 64, 12),
            Counted("DIALING_NO", 64, 14),
            SUB_ADDR,
        ],
        &[],
    ),
    // Incoming-Call-Reply.
    (
        &[
            CALL_ID,
            PEER_CALL_ID,
            Result(ICRP_RESULTS),
            ErrCode,
            RECV_WIN,
            PROC_DELAY,
            Reserved16,
        ],
        &[],
    ),
    // Incoming-Call-Connected.
    (
        &[
            PEER_CALL_ID,
            Reserved16,
            CONN_SPEED,
            RECV_WIN,
            PROC_DELAY,
            FrameType,
        ],
        &[],
    ),
    // Call-Clear-Request.
    (&[CALL_ID, Reserved16], &[]),
    // Call-Disconnect-Notify.
    (
        &[
            CALL_ID,
            Result(CDN_RESULTS),
            ErrCode,
            CAUSE_CODE,
            Reserved16,
            Text("CALL_STATS", 128),
        ],
        &[],
    ),
    // WAN-Error-Notify.
    (
        &[
            PEER_CALL_ID,
            Reserved16,
            U32("CRC_ERR"),
            U32("FRAMING_ERR"),
            U32("HARDWARE_OVERRUN"),
            U32("BUFFER_OVERRUN"),
            U32("TIMEOUT_ERR"),
            U32("ALIGN_ERR"),
        ],
        &[],
    ),
    // Set-Link-Info.
    (
        &[
            PEER_CALL_ID,
            Reserved16,
            Hex32("SEND_ACCM"),
            Hex32("RECV_ACCM"),
        ],
        &[],
    ),
];

/// The fields of control message type `kind` (none for an unknown one).
fn body(kind: u16) -> impl Iterator<Item = Field> {
    let (own, shared) = BODIES.get(usize::from(kind)).copied().unwrap_or((&[], &[]));
    own.iter().chain(shared).copied()
}

line_is_level_0!();

/// The header, then the control message's fields in order.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    w.extend_from_slice(b": pptp");
    if v > 0 {
        out!(w, " Length={}", u16_at(m, 0)?);
        w.extend_from_slice(match u16_at(m, 2)? {
            1 => b" CTRL-MSG",
            2 => b" MGMT-MSG",
            _ => b" UNKNOWN-MSG-TYPE",
        });
    }
    let cookie = u32_at(m, 4)?;
    if cookie != MAGIC_COOKIE {
        out!(w, " UNEXPECTED Magic-Cookie!!({cookie:08x})");
    }
    if v > 0 || cookie != MAGIC_COOKIE {
        out!(w, " Magic-Cookie={cookie:08x}");
    }
    let kind = u16_at(m, 8)?;
    match word(TYPES, usize::from(kind)) {
        Some(name) => out!(w, " CTRL_MSGTYPE={name}"),
        None => out!(w, " UNKNOWN_CTRL_MSGTYPE({kind})"),
    }
    put_reserved(w, u16_at(m, 10)?.into());
    let mut at = HEADER;
    for f in body(kind) {
        put_field(w, m, at, f, v)?;
        at += f.size();
    }
    Ok(())
}

/// ` [ERROR: reserved=n must be zero]` when `n` is not.
fn put_reserved(w: &mut Vec<u8>, n: u32) {
    if n != 0 {
        out!(w, " [ERROR: reserved={n} must be zero]");
    }
}

/// A code, and at `-v` its name after a colon (`?` for one without).
fn put_code(w: &mut Vec<u8>, label: &str, n: u8, name: Option<&str>, v: u8) {
    out!(w, " {label}({n}");
    if v > 0 {
        out!(w, ":{}", name.unwrap_or("?"));
    }
    w.push(b')');
}

/// One field at `at`.
fn put_field(w: &mut Vec<u8>, m: &[u8], at: usize, f: Field, v: u8) -> Res<()> {
    match f {
        U16(label) => out!(w, " {label}({})", u16_at(m, at)?),
        U32(label) => out!(w, " {label}({})", u32_at(m, at)?),
        Hex32(label) => out!(w, " {label}(0x{:08x})", u32_at(m, at)?),
        ProtoVer => {
            let ver = u16_at(m, at)?;
            out!(w, " PROTO_VER({}.{})", ver >> 8, ver & 0xff);
        }
        // tcpdump writes the word before it reads the bits.
        FrameCap => {
            w.extend_from_slice(b" FRAME_CAP(");
            put_letters(w, u32_at(m, at)?, [(1, b'A'), (2, b'S')]);
            w.push(b')');
        }
        BearerCap => {
            let bits = u32_at(m, at)?;
            w.extend_from_slice(b" BEARER_CAP(");
            put_letters(w, bits, [(2, b'D'), (1, b'A')]);
            w.push(b')');
        }
        BearerType => out!(w, " BEARER_TYPE({})", bearer_type(u32_at(m, at)?)),
        FrameType => out!(w, " FRAME_TYPE({})", frame_type(u32_at(m, at)?)),
        Result(names) => {
            let n = u8_at(m, at)?;
            put_code(w, "RESULT_CODE", n, super::ctl::tok(names, n), v);
        }
        ErrCode => {
            let n = u8_at(m, at)?;
            put_code(w, "ERR_CODE", n, word(ERR_CODES, usize::from(n)), v);
        }
        Reason => {
            let n = u8_at(m, at)?;
            put_code(w, "REASON", n, word(REASONS, usize::from(n)), v);
        }
        Reserved8 => put_reserved(w, u8_at(m, at)?.into()),
        Reserved16 => put_reserved(w, u16_at(m, at)?.into()),
        // Printed a byte at a time, each read unchecked: a cut one ends
        // the line inside the parenthesis.
        Text(label, _) | Counted(label, _, _) => {
            out!(w, " {label}(");
            put_text_nul(w, m, at, text_len(m, f)?)?;
            w.push(b')');
        }
    }
    Ok(())
}

/// How many bytes of a text field tcpdump prints at most: its size, or
/// for a counted one the length beside it when smaller.
fn text_len(m: &[u8], f: Field) -> Res<usize> {
    Ok(match f {
        Counted(_, n, len_at) => usize::from(u16_at(m, HEADER + len_at)?).min(n),
        _ => f.size(),
    })
}

/// The letters of the bits set in `v`, in the table's order.
fn put_letters(w: &mut Vec<u8>, v: u32, table: [(u32, u8); 2]) {
    for (bit, letter) in table {
        if v & bit != 0 {
            w.push(letter);
        }
    }
}

fn bearer_type(n: u32) -> &'static str {
    match n {
        1 => "A",
        2 => "D",
        3 => "Any",
        _ => "?",
    }
}

fn frame_type(n: u32) -> &'static str {
    match n {
        1 => "A",
        2 => "S",
        3 => "E",
        _ => "?",
    }
}

/// The header and the fields, as far as they were captured.
fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("length".into(), json!(u16_at(m, 0)?));
    o.insert("message_type".into(), json!(u16_at(m, 2)?));
    o.insert("magic_cookie".into(), json!(u32_at(m, 4)?));
    let kind = u16_at(m, 8)?;
    o.insert("control_type".into(), json!(kind));
    o.insert(
        "control_type_name".into(),
        json!(word(TYPES, usize::from(kind))),
    );
    o.insert("reserved".into(), json!(u16_at(m, 10)?));
    let mut at = HEADER;
    for f in body(kind) {
        json_field(o, m, at, f)?;
        at += f.size();
    }
    Ok(())
}

/// One field under its label in lower case (`call_id`), a code with its
/// name beside it (`result_code`, `result_name`).
fn json_field(o: &mut Map<String, Value>, m: &[u8], at: usize, f: Field) -> Res<()> {
    let (key, value): (String, Value) = match f {
        U16(label) => (label.to_lowercase(), json!(u16_at(m, at)?)),
        U32(label) | Hex32(label) => (label.to_lowercase(), json!(u32_at(m, at)?)),
        ProtoVer => {
            let ver = u16_at(m, at)?;
            (
                "protocol_version".into(),
                json!(format!("{}.{}", ver >> 8, ver & 0xff)),
            )
        }
        FrameCap => ("framing_capabilities".into(), json!(u32_at(m, at)?)),
        BearerCap => ("bearer_capabilities".into(), json!(u32_at(m, at)?)),
        BearerType => ("bearer_type".into(), json!(u32_at(m, at)?)),
        FrameType => ("framing_type".into(), json!(u32_at(m, at)?)),
        Result(names) => {
            let n = u8_at(m, at)?;
            o.insert("result_name".into(), json!(super::ctl::tok(names, n)));
            ("result_code".into(), json!(n))
        }
        ErrCode => {
            let n = u8_at(m, at)?;
            o.insert("error_name".into(), json!(word(ERR_CODES, usize::from(n))));
            ("error_code".into(), json!(n))
        }
        Reason => {
            let n = u8_at(m, at)?;
            o.insert("reason_name".into(), json!(word(REASONS, usize::from(n))));
            ("reason".into(), json!(n))
        }
        Reserved8 => return u8_at(m, at).map(|_| ()),
        Reserved16 => return u16_at(m, at).map(|_| ()),
        Text(label, n) | Counted(label, n, _) => {
            let field = m.get(at..at + n).ok_or(Truncated)?;
            let most = text_len(m, f)?.min(n);
            let end = field
                .iter()
                .take(most)
                .position(|&c| c == 0)
                .unwrap_or(most);
            let text = String::from_utf8_lossy(field.get(..end).unwrap_or(field)).into_owned();
            (label.to_lowercase(), json!(text))
        }
    };
    o.insert(key, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: u16, body: &[u8]) -> Vec<u8> {
        let len = (HEADER + body.len()) as u16;
        let mut m = len.to_be_bytes().to_vec();
        m.extend_from_slice(&[0, 1, 0x1a, 0x2b, 0x3c, 0x4d]);
        m.extend_from_slice(&kind.to_be_bytes());
        m.extend_from_slice(&[0, 0]);
        m.extend_from_slice(body);
        m
    }

    #[test]
    fn test_echo_reply_at_each_level() {
        let m = message(6, &[0, 0, 0, 77, 2, 6, 0, 5]);
        assert_eq!(
            PPTP.printed(&m, 0),
            ": pptp CTRL_MSGTYPE=ECHORP ID(77) RESULT_CODE(2) ERR_CODE(6) \
             [ERROR: reserved=5 must be zero]"
        );
        assert_eq!(
            PPTP.printed(&m, 1),
            ": pptp Length=20 CTRL-MSG Magic-Cookie=1a2b3c4d CTRL_MSGTYPE=ECHORP ID(77) \
             RESULT_CODE(2:General Error) ERR_CODE(6:PAC-Error) [ERROR: reserved=5 must be zero]"
        );
    }

    #[test]
    fn test_truncated_inside_a_number_or_a_text() {
        let mut body = vec![1, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 1, 0, 2];
        body.extend_from_slice(&[b'h'; 128]);
        let m = message(1, &body);
        assert_eq!(
            PPTP.printed_cut(&m, 30, 0),
            ": pptp CTRL_MSGTYPE=SCCRQ PROTO_VER(1.0) FRAME_CAP(AS) BEARER_CAP(DA) \
             MAX_CHAN(1) FIRM_REV(2) HOSTNAME(hh [|pptp]"
        );
        // tcpdump writes the word before it reads the bits.
        assert_eq!(
            PPTP.printed_cut(&m, 18, 0),
            ": pptp CTRL_MSGTYPE=SCCRQ PROTO_VER(1.0) FRAME_CAP( [|pptp]"
        );
    }

    #[test]
    fn test_phone_number_stops_at_its_length() {
        let mut body = vec![0; 28];
        body[24..26].copy_from_slice(&[0, 3]);
        body.extend_from_slice(b"12345");
        let m = message(7, &body);
        let line = PPTP.printed(&m, 0);
        assert!(
            line.ends_with(" PHONE_NO_LEN(3) PHONE_NO(123) SUB_ADDR( [|pptp]"),
            "{line}"
        );
        let json = to_json(&Payload::whole(&m));
        assert_eq!(json["phone_no_len"], 3);
        assert_eq!(json["complete"], false);
    }

    #[test]
    fn test_malformed_cookie_and_unknown_type() {
        let mut m = message(16, &[]);
        m[4..8].copy_from_slice(&[0, 0, 0, 1]);
        assert_eq!(
            PPTP.printed(&m, 0),
            ": pptp UNEXPECTED Magic-Cookie!!(00000001) Magic-Cookie=00000001 UNKNOWN_CTRL_MSGTYPE(16)"
        );
        assert!(!looks_like_pptp(&m));
        assert_eq!(PPTP.printed(&[], 0), ": pptp [|pptp]");
    }
}
