//! ARCNET (link types 7 and 129) in tcpdump 4.99's words. Under `-e`:
//! both addresses in hex and the type's name (`01 02 ip seqid 1234
//! (first of 3 fragments) 38: `: BSD's phase II split flag and sequence
//! id, then the length on the wire); Linux's records name the byte where
//! BSD's type is (tcpdump reads it there: `01 02 00 40: `) and nothing of
//! phase II. A fragment after the first prints nothing of its payload; a
//! type tcpdump does not follow, its payload in hex and ASCII (even under
//! `-x`). BSD's phase II fields cut: the header's words whatever `-e`
//! says, ` phds [|arcnet]` (` phds extended` in an exception packet).

use super::{Frame, SnapPayload, Tail};
use crate::decode::arcnet::{ARCNET_LINUX, Header, Parsed, parse};
use crate::dissect::ctl::out;
use serde_json::{Value, json};

use crate::decode::arcnet::ARCNET;

/// The link types of this module.
pub fn handles(link: u32) -> bool {
    matches!(link, ARCNET | ARCNET_LINUX)
}

/// tcpdump's name of an ARCNET type; two hex digits for the others.
fn write_type(w: &mut Vec<u8>, kind: u8) {
    let name = match kind {
        0x80 => "diag",
        0xc4 => "ipv6",
        0xd4 => "ip",
        0xd5 => "arp",
        0xd6 => "rarp",
        0xdd => "atalk",
        0xf0 => "oldip",
        0xf1 => "oldarp",
        0xf7 => "banyan",
        0xfa => "ipx",
        _ => {
            out!(w, "{kind:02x}");
            return;
        }
    };
    w.extend_from_slice(name.as_bytes());
}

/// The addresses and the type (a Linux record's third byte, where
/// tcpdump reads it).
fn write_names(w: &mut Vec<u8>, f: &Frame<'_>, src: u8, dst: u8, kind: u8) {
    out!(w, "{src:02x} {dst:02x} ");
    let kind = match f.link {
        ARCNET_LINUX => f.data.get(2).copied().unwrap_or(kind),
        _ => kind,
    };
    write_type(w, kind);
}

fn write_header(w: &mut Vec<u8>, f: &Frame<'_>, h: &Header) {
    write_names(w, f, h.src, h.dst, h.kind);
    if let Some((flag, seqid)) = h.split {
        out!(w, " seqid {seqid:04x}");
        match flag {
            0 => {}
            _ if flag % 2 == 1 => out!(w, " (first of {} fragments)", (u32::from(flag) + 3) / 2),
            _ => out!(w, " (fragment {})", u32::from(flag) / 2 + 1),
        }
    }
    out!(w, " {}: ", f.orig_len);
}

/// `-e`'s words of a header read whole; `true` when written.
pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    match parse(f.link, f.data) {
        Parsed::Header(h) if f.eflag => {
            write_header(w, f, &h);
            true
        }
        _ => false,
    }
}

/// The line of a record whose payload goes to no network-layer printer:
/// nothing for a later fragment, the payload in hex for another type;
/// the header's words and the cut mark of a cut phase II header.
pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    match parse(f.link, f.data) {
        Parsed::Header(h) if h.later_fragment() => None,
        Parsed::Header(h) => Some(Tail {
            unsuppressed: true,
            ..Tail::ascii(f.data.get(h.len..)?)
        }),
        Parsed::SplitCut {
            src,
            dst,
            kind,
            extended,
        } => {
            write_names(w, f, src, dst, kind);
            out!(w, " {}:  phds", f.orig_len);
            if extended {
                w.extend_from_slice(b" extended");
            }
            w.extend_from_slice(b" [|arcnet]");
            None
        }
        Parsed::Cut => None,
    }
}

/// Where the `-x` dump starts: after the header (the whole record when
/// its phase II fields were cut).
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    match parse(f.link, f.data) {
        Parsed::Header(h) => Some(h.len),
        _ => Some(0),
    }
}

/// IPX and AppleTalk, which tcpdump prints as behind SNAP's OUI 0.
pub(super) fn snap_payload(f: &Frame<'_>) -> Option<SnapPayload> {
    let Parsed::Header(h) = parse(f.link, f.data) else {
        return None;
    };
    let pid = match h.kind {
        0xfa => 0x8137,
        0xdd => 0x809b,
        _ => return None,
    };
    (!h.later_fragment()).then_some(SnapPayload {
        header_len: h.len,
        oui: 0,
        pid,
        at: h.len,
        wire_len: f.orig_len.saturating_sub(h.len),
    })
}

pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let Parsed::Header(h) = parse(f.link, f.data) else {
        return None;
    };
    let mut o = json!({
        "type": if f.link == ARCNET_LINUX { "arcnet_linux" } else { "arcnet" },
        "src": h.src,
        "dst": h.dst,
        "protocol": h.kind,
    });
    if let Some((flag, seqid)) = h.split {
        o["split_flag"] = json!(flag);
        o["seqid"] = json!(seqid);
    }
    Some(o)
}
