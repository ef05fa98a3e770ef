//! Solaris' ipnet records in a line, as tcpdump 4.99 prints them: under
//! `-e` (and always before a family it does not decode) `7 > 9, family
//! IPv6 (26), length 64: ` (source and destination zones, the family by
//! name, the record's wire length), then the packet; the bytes of another
//! family in hex; `-x` dumps after the 24-byte header.

use super::{Frame, Tail};
use crate::decode::ipnet::{self, AF_INET, AF_INET6, HEADER_LEN};
use crate::dissect::ctl::out;
use serde_json::{Value, json};

fn family_name(family: u8) -> &'static str {
    match family {
        AF_INET => "IPv4",
        AF_INET6 => "IPv6",
        _ => "Unknown",
    }
}

fn write_header(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    let Some(h) = ipnet::header(f.data) else {
        return false;
    };
    out!(
        w,
        "{} > {}, family {} ({}), length {}: ",
        h.zsrc,
        h.zdst,
        family_name(h.family),
        h.family,
        f.orig_len
    );
    true
}

pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    f.eflag && write_header(w, f)
}

/// A family tcpdump does not decode: the header's words (already there
/// under `-e`) and the bytes after it.
pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    if !f.eflag {
        write_header(w, f);
    }
    Some(Tail::ascii(f.data.get(HEADER_LEN..)?))
}

pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    (f.data.len() >= HEADER_LEN).then_some(HEADER_LEN)
}

pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let h = ipnet::header(f.data)?;
    Some(json!({
        "type": "ipnet",
        "version": h.version,
        "family": h.family,
        "htype": h.htype,
        "pktlen": h.pktlen,
        "ifindex": h.ifindex,
        "grifindex": h.grifindex,
        "zsrc": h.zsrc,
        "zdst": h.zdst,
    }))
}
