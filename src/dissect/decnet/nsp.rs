//! NSP, DECnet's end-to-end layer, after a data packet's routing header,
//! as tcpdump 4.99 prints it: the message's type and subtype from its
//! flags, the source and destination links (`data 22136>4660 `), then
//! per message its acknowledgements and segment number, link-service
//! flow control, connect services, version and segment size, or
//! disconnect reason. A length check that fails is ` (invalid)`.

use super::super::ctl::{out, tok};
use super::super::wire::{Res, need, u8_at, u16_le_at};
use super::End;
use serde_json::{Map, Value, json};

/// The type (bits 2–3) and subtype (bits 4–6) of the message flags.
const TYPE_MASK: u8 = 0x0c;
const SUBTYPE_MASK: u8 = 0x70;
const DATA: u8 = 0x00;
const ACK: u8 = 0x04;
const CONTROL: u8 = 0x08;

/// Data subtypes: the segments (beginning, middle, end of message, both
/// ends), an interrupt, a link service message.
const LINK_SERVICE: u8 = 0x10;
const INTERRUPT: u8 = 0x30;
/// Acknowledgement subtypes.
const DATA_ACK: u8 = 0x00;
const OTHER_ACK: u8 = 0x10;
const CONNECT_ACK: u8 = 0x20;
/// Control subtypes.
const CONNECT_INITIATE: u8 = 0x10;
const CONNECT_CONFIRM: u8 = 0x20;
const DISCONNECT_INITIATE: u8 = 0x30;
const DISCONNECT_CONFIRM: u8 = 0x40;
const RETRANSMITTED_CI: u8 = 0x60;

/// The header every message starts with: flags, destination and source
/// links; the segment number after it; a link service message's header
/// (three numbers) and its flags and value; an acknowledgement's two
/// numbers.
const HEADER: usize = 5;
const SEGMENT_HEADER: usize = 7;
const LINK_SERVICE_LEN: usize = 13;
const ACK_LEN: usize = 9;
/// A connect initiate's and a confirm's size (services, information,
/// segment size; the confirm's optional data length), a disconnect's.
const CONNECT_LEN: usize = 9;
const CONFIRM_LEN: usize = 10;
const DISCONNECT_LEN: usize = 8;

/// A number's acknowledgement bit, the bits that make it a negative one,
/// the "other channel" bits and their negative form; the number itself.
const SGQ_ACK: u16 = 0x8000;
const SGQ_NAK: u16 = 0x9000;
const SGQ_OACK: u16 = 0xa000;
const SGQ_ONAK: u16 = 0xb000;
const SGQ_MASK: u16 = 0x0fff;

/// The words of the second number (the other channel's): data and data
/// acknowledgements say `oack`/`onak`, the others `ackdat`/`nakdat`.
type Words = (&'static str, &'static str);
const OTHER_DATA: Words = ("onak", "oack");
const OTHER_LINK: Words = ("nakdat", "ackdat");

/// A link service message's interpretation (bits 2–3) and modifier
/// (bits 0–1).
const LS_INTERPRETATION: u8 = 0x0c;
const LS_DATA: u8 = 0x00;
const LS_INTERRUPT: u8 = 0x04;
const LS_MODIFIERS: [&str; 3] = ["", "donotsend-data ", "send-data "];

/// The flow control of a connect's services, the NSP version of its
/// information byte.
const SERVICES: [&str; 4] = ["", "seg ", "msg ", ""];
const VERSIONS: [&str; 4] = ["3.2", "3.1", "4.0", "4.1"];

/// Disconnect reasons (DNA NSP 4.0.1, session control's codes too).
const REASONS: &[(u16, &str)] = &[
    (0, "object rejected connect"),
    (1, "insufficient resources"),
    (2, "unrecognized node name"),
    (3, "node is shutting down"),
    (4, "unrecognized object"),
    (5, "invalid object name format"),
    (6, "object too busy"),
    (7, "protocol error discovered"),
    (8, "third party abort"),
    (9, "user abort"),
    (10, "invalid node name format"),
    (11, "local node shutting down"),
    (32, "insufficient local resources"),
    (33, "insufficient remote user resources"),
    (34, "invalid access control information"),
    (36, "bad ACCOUNT information"),
    (38, "no response from object"),
    (39, "node unreachable"),
    (41, "no link terminate"),
    (42, "disconnect complete"),
    (43, "bad image data in connect"),
    (54, "cryptographic service mismatch"),
];

/// The name of a message's type and subtype, for `--json`.
fn name(flags: u8) -> &'static str {
    match (flags & TYPE_MASK, flags & SUBTYPE_MASK) {
        (DATA, LINK_SERVICE) => "link-service",
        (DATA, INTERRUPT) => "intr",
        (DATA, 0x00 | 0x20 | 0x40 | 0x60) => "data",
        (ACK, DATA_ACK) => "data-ack",
        (ACK, OTHER_ACK) => "ils-ack",
        (ACK, CONNECT_ACK) => "conn-ack",
        (CONTROL, CONNECT_INITIATE) => "conn-initiate",
        (CONTROL, RETRANSMITTED_CI) => "retrans-conn-initiate",
        (CONTROL, CONNECT_CONFIRM) => "conn-confirm",
        (CONTROL, DISCONNECT_INITIATE) => "disconn-initiate",
        (CONTROL, DISCONNECT_CONFIRM) => "disconn-confirm",
        _ => "reserved",
    }
}

/// The NSP message at `at`, `len` bytes declared (a length that wrapped
/// below zero in tcpdump's unsigned arithmetic is huge here too).
pub(super) fn print(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<End> {
    if len < HEADER {
        out!(w, " (nsplen {len} < {HEADER})");
        return Ok(End::Invalid);
    }
    let flags = u8_at(m, at)?;
    let dst = u16_le_at(m, at + 1)?;
    let src = u16_le_at(m, at + 3)?;
    let (kind, sub) = (flags & TYPE_MASK, flags & SUBTYPE_MASK);
    let links = |w: &mut Vec<u8>, name: &str| out!(w, "{name} {src}>{dst} ");
    let reserved = |w: &mut Vec<u8>, what: &str| {
        out!(w, "reserved-{what}? {flags:x} {src} > {dst}");
        Ok(End::Whole)
    };
    match (kind, sub) {
        (DATA, LINK_SERVICE) => {
            links(w, "link-service");
            if len < LINK_SERVICE_LEN {
                return Ok(End::Invalid);
            }
            numbers(w, m, (at, len), OTHER_LINK, true)?;
            link_service(w, m, at + 11)
        }
        (DATA, INTERRUPT) => {
            w.extend_from_slice(b"intr ");
            numbers(w, m, (at, len), OTHER_LINK, true)
        }
        (DATA, 0x00 | 0x20 | 0x40 | 0x60) => {
            links(w, "data");
            numbers(w, m, (at, len), OTHER_DATA, true)
        }
        (DATA, _) => reserved(w, "subtype"),
        (ACK, DATA_ACK | OTHER_ACK) => {
            let (name, other) = match sub {
                DATA_ACK => ("data-ack", OTHER_DATA),
                _ => ("ils-ack", OTHER_LINK),
            };
            links(w, name);
            if len < ACK_LEN {
                return Ok(End::Invalid);
            }
            need(m, at, ACK_LEN)?;
            numbers(w, m, (at, len), other, false)
        }
        (ACK, CONNECT_ACK) => {
            out!(w, "conn-ack {dst}");
            Ok(End::Whole)
        }
        (ACK, _) => reserved(w, "acktype"),
        (CONTROL, CONNECT_INITIATE | RETRANSMITTED_CI) => {
            if sub == RETRANSMITTED_CI {
                w.extend_from_slice(b"retrans-");
            }
            links(w, "conn-initiate");
            connect(w, m, (at, len), CONNECT_LEN)
        }
        (CONTROL, CONNECT_CONFIRM) => {
            links(w, "conn-confirm");
            connect(w, m, (at, len), CONFIRM_LEN)
        }
        (CONTROL, DISCONNECT_INITIATE) => {
            links(w, "disconn-initiate");
            if len < DISCONNECT_LEN {
                return Ok(End::Invalid);
            }
            let (reason, optlen) = (u16_le_at(m, at + 5)?, u8_at(m, at + 7)?);
            put_reason(w, reason);
            put_optlen(w, optlen);
            Ok(End::Whole)
        }
        (CONTROL, DISCONNECT_CONFIRM) => {
            // tcpdump checks no length here: only the capture stops it.
            links(w, "disconn-confirm");
            put_reason(w, u16_le_at(m, at + 5)?);
            Ok(End::Whole)
        }
        (CONTROL, _) => reserved(w, "ctltype"),
        _ => reserved(w, "type"),
    }
}

/// `ack 5 ` or `nak 5 ` for a number whose bits say which.
fn put_ack(w: &mut Vec<u8>, n: u16, nak_bits: u16, (nak, ack): Words) {
    let word = if n & nak_bits == nak_bits { nak } else { ack };
    out!(w, "{word} {} ", n & SGQ_MASK);
}

/// The numbers after the header: an acknowledgement when its bit is
/// set, then one of the other channel, then (`seg`) the segment number,
/// each checked against the length before it is read.
fn numbers(
    w: &mut Vec<u8>,
    m: &[u8],
    (at, len): (usize, usize),
    other: Words,
    seg: bool,
) -> Res<End> {
    if len < SEGMENT_HEADER {
        return Ok(End::Invalid);
    }
    let mut n = u16_le_at(m, at + 5)?;
    if n & SGQ_ACK != 0 {
        put_ack(w, n, SGQ_NAK, ("nak", "ack"));
        if len < SEGMENT_HEADER + 2 {
            return Ok(End::Invalid);
        }
        n = u16_le_at(m, at + 7)?;
        if n & SGQ_OACK != 0 {
            put_ack(w, n, SGQ_ONAK, other);
            if !seg {
                return Ok(End::Whole);
            }
            if len < SEGMENT_HEADER + 4 {
                return Ok(End::Invalid);
            }
            n = u16_le_at(m, at + 9)?;
        }
    }
    if seg {
        out!(w, "seg {} ", n & SGQ_MASK);
    }
    Ok(End::Whole)
}

/// A link service message's flags and value at `at`.
fn link_service(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<End> {
    let (flags, value) = (u8_at(m, at)?, u8_at(m, at + 1)?);
    match flags & LS_INTERPRETATION {
        LS_DATA => {
            out!(w, "dat seg count {value} ");
            match LS_MODIFIERS.get(usize::from(flags & 3)) {
                Some(word) => w.extend_from_slice(word.as_bytes()),
                None => out!(w, "reserved-fcmod? {flags:x}"),
            }
        }
        LS_INTERRUPT => out!(w, "intr req count {value} "),
        _ => out!(w, "reserved-fcval-int? {flags:x}"),
    }
    Ok(End::Whole)
}

/// A connect initiate's or confirm's services, version and segment size
/// (and a confirm's optional data length), once `least` bytes are
/// declared.
fn connect(w: &mut Vec<u8>, m: &[u8], (at, len): (usize, usize), least: usize) -> Res<End> {
    if len < least {
        return Ok(End::Invalid);
    }
    let services = u8_at(m, at + 5)?;
    let info = u8_at(m, at + 6)?;
    let segsize = u16_le_at(m, at + 7)?;
    let optlen = if least == CONFIRM_LEN {
        u8_at(m, at + 9)?
    } else {
        0
    };
    w.extend_from_slice(SERVICES[usize::from((services >> 2) & 3)].as_bytes());
    out!(
        w,
        "ver {} segsize {segsize} ",
        VERSIONS[usize::from(info & 3)]
    );
    put_optlen(w, optlen);
    Ok(End::Whole)
}

fn put_reason(w: &mut Vec<u8>, reason: u16) {
    match tok(REASONS, reason) {
        Some(name) => out!(w, "{name} "),
        None => out!(w, "reason-{reason} "),
    }
}

fn put_optlen(w: &mut Vec<u8>, optlen: u8) {
    if optlen != 0 {
        out!(w, "optlen {optlen} ");
    }
}

/// The NSP message's flags, type and links, into `--json`.
pub(super) fn json_fields(o: &mut Map<String, Value>, m: &[u8], at: usize) -> Res<()> {
    let flags = u8_at(m, at)?;
    o.insert("nsp_flags".into(), json!(flags));
    o.insert("nsp_type".into(), json!(name(flags)));
    o.insert("nsp_dst_link".into(), json!(u16_le_at(m, at + 1)?));
    o.insert("nsp_src_link".into(), json!(u16_le_at(m, at + 3)?));
    Ok(())
}
