//! FRF.16 multilink Frame Relay (link type 182) in tcpdump 4.99's words
//! (`mfr_print`): a control frame `FRF.16 Control, Flags [Begin, End,
//! Control], Add Link, length 20`, under `-v` each information element
//! on a line of its own (`IE Bundle ID (1), length 6: dlc1`, the magic
//! number, a timestamp as the time of day, the others in hex; `-vv` each
//! one's value in hex too); a fragment other than a first one `FRF.16
//! Frag, seq 1, Flags [none]` and the record in hex (tcpdump's
//! `print_unknown_data`, which `-x` does not replace; the dump then
//! starts at the first byte). A first fragment's Frame Relay frame is
//! printed by link type 107's printers after `FRF.16 Frag, seq 1, Flags
//! [Begin], ` (the line printer's view, `output::packet`); one of two or
//! three captured bytes here, as tcpdump's Frame Relay printer reads it
//! without its link printer's four-byte check. ` [|mfr]`: under 2 bytes,
//! under 4 of a longer record, an element the capture cut; `[length 3 <
//! 4] (invalid)` for a record shorter on the wire.

use super::super::ctl::{out, put_bits};
use super::{Frame, Tail};
use crate::decode::link_more::q922;
use crate::decode::mfr::{
    BEGIN, CONTROL, CONTROL_LEN, END, FRAG_LEN, Ie, Kind, MFR, flags, ies, kind,
};
use serde_json::{Value, json};

pub(super) fn handles(link: u32) -> bool {
    link == MFR
}

const FLAG_WORDS: [(u32, &str); 3] = [
    (BEGIN as u32, "Begin"),
    (END as u32, "End"),
    (CONTROL as u32, "Control"),
];

fn message_name(m: u8) -> Option<&'static str> {
    Some(match m {
        1 => "Add Link",
        2 => "Add Link ACK",
        3 => "Add Link Reject",
        4 => "Hello",
        5 => "Hello ACK",
        6 => "Remove Link",
        7 => "Remove Link ACK",
        _ => return None,
    })
}

fn ie_name(t: u8) -> &'static str {
    match t {
        1 => "Bundle ID",
        2 => "Link ID",
        3 => "Magic Number",
        5 => "Timestamp",
        6 => "Vendor Extension",
        7 => "Cause",
        _ => "Unknown",
    }
}

/// `FRF.16 Frag, seq 5, Flags [Begin, End]`.
fn write_frag_words(w: &mut Vec<u8>, data: &[u8], seq: u16) {
    out!(w, "FRF.16 Frag, seq {seq}, Flags [");
    put_bits(w, &FLAG_WORDS, u32::from(flags(data)), "none");
    w.push(b']');
}

/// A first fragment's words before its Frame Relay frame (the line
/// printer's view of the frame writes them first).
pub fn begin_words(data: &[u8], wire_len: usize) -> Option<Vec<u8>> {
    let Kind::Begin(seq) = kind(data, wire_len) else {
        return None;
    };
    let mut w = Vec::new();
    write_frag_words(&mut w, data, seq);
    w.extend_from_slice(b", ");
    Some(w)
}

/// tcpdump's `hex_print` after `indent`: rows of 16 bytes, offsets from 0.
fn put_hex_rows(w: &mut Vec<u8>, indent: &str, bytes: &[u8]) {
    for (row, chunk) in bytes.chunks(16).enumerate() {
        out!(w, "{indent}0x{:04x}: ", row * 16);
        for pair in chunk.chunks(2) {
            w.push(b' ');
            for b in pair {
                out!(w, "{b:02x}");
            }
        }
    }
}

/// The line of a record the line printer's view does not take (all but
/// a first fragment with four bytes of its frame captured), and the
/// bytes tcpdump then prints in hex.
pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    let d = f.data;
    match kind(d, f.orig_len) {
        Kind::Cut => w.extend_from_slice(b" [|mfr]"),
        Kind::Short => out!(w, "[length {} < 4] (invalid)", f.orig_len),
        Kind::Control(m) => write_control(w, f, m),
        Kind::Begin(seq) => {
            write_frag_words(w, d, seq);
            w.extend_from_slice(b", ");
            write_short_fr(w, d.get(FRAG_LEN..).unwrap_or_default());
        }
        Kind::Fragment(seq) => {
            write_frag_words(w, d, seq);
            let bytes = &d[..f.orig_len.min(d.len())];
            return Some(Tail {
                bytes,
                ascii: false,
                wire_len: bytes.len(),
                cut_mark: "",
                kept_by_x_ascii: false,
                unsuppressed: false,
            });
        }
    }
    None
}

/// tcpdump's Frame Relay printer on a frame of which two or three bytes
/// were captured: its address, or `UI 05! ` for a control byte other
/// than UI on a DLCI other than 0, then its mark.
fn write_short_fr(w: &mut Vec<u8>, fr: &[u8]) {
    match q922(fr) {
        Err(crate::decode::link_more::Fr::Invalid) => {
            w.extend_from_slice(b"Q.922, invalid address");
            return;
        }
        Ok((dlci, addr_len, _)) => {
            if let Some(&control) = fr.get(addr_len).filter(|&&c| c != 0x03 && dlci != 0) {
                out!(w, "UI {control:02x}! ");
            }
        }
        Err(_) => {}
    }
    w.extend_from_slice(b" [|fr]");
}

fn write_control(w: &mut Vec<u8>, f: &Frame<'_>, m: u8) {
    let d = f.data;
    w.extend_from_slice(b"FRF.16 Control, Flags [");
    put_bits(w, &FLAG_WORDS, u32::from(flags(d)), "none");
    w.extend_from_slice(b"], ");
    match message_name(m) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "Unknown Message (0x{m:02x})"),
    }
    out!(w, ", length {}", f.orig_len);
    if f.verbose == 0 {
        return;
    }
    let (elements, cut) = ies(d, f.orig_len);
    for ie in elements {
        out!(
            w,
            "\n\tIE {} ({}), length {}: ",
            ie_name(ie.kind),
            ie.kind,
            ie.len
        );
        // The element that ended the walk: its header alone.
        if ie.whole {
            write_ie(w, &ie, f.verbose);
        }
    }
    if cut {
        w.extend_from_slice(b" [|mfr]");
    }
}

fn write_ie(w: &mut Vec<u8>, ie: &Ie<'_>, verbose: u8) {
    let v = ie.value;
    match ie.kind {
        3 => match v.first_chunk::<4>() {
            Some(&n) if v.len() == 4 => out!(w, "0x{:08x}", u32::from_be_bytes(n)),
            _ => out!(w, "[IE data length {} != 4] (invalid)", v.len()),
        },
        1 | 2 => {
            for &c in v.iter().take(50).take_while(|&&c| c != 0) {
                crate::dissect::dns::text::put_char(w, c);
            }
        }
        5 if v.len() == 16 => write_timeval(w, v),
        _ => {
            if verbose <= 1 {
                put_hex_rows(w, "\n\t  ", v);
            }
        }
    }
    // `-vv`: every element's value in hex.
    if verbose > 1 {
        put_hex_rows(w, "\n\t  ", v);
    }
}

/// A `struct timeval` of the capturing host (64-bit seconds and
/// microseconds, little endian) as tcpdump's `ts_print` writes it by
/// default: the local time of day and a space.
fn write_timeval(w: &mut Vec<u8>, v: &[u8]) {
    let (Some(sec), Some(usec)) = (
        v.first_chunk::<8>(),
        v.get(8..).and_then(|r| r.first_chunk::<8>()),
    ) else {
        return;
    };
    let (sec, usec) = (i64::from_le_bytes(*sec), i64::from_le_bytes(*usec));
    // tcpdump tests the low 32 bits' sign; `localtime` fails past a year
    // it cannot hold.
    if sec as u32 & 0x8000_0000 != 0 || sec > MAX_LOCALTIME {
        w.extend_from_slice(b"[Error converting time]");
    } else {
        let local = sec + crate::output::time::local_offset(sec as u64);
        let day = local.rem_euclid(86_400);
        out!(
            w,
            "{:02}:{:02}:{:02}.{:06}",
            day / 3600,
            day / 60 % 60,
            day % 60,
            usec as u32
        );
    }
    w.push(b' ');
}

/// The last second `localtime` turns into a date (year 2147485547).
const MAX_LOCALTIME: i64 = 67_768_036_191_676_799;

/// Where tcpdump's `-x` dump of a record [`write_message`] printed starts
/// (the header length `mfr_print` returns): after a control frame's three
/// bytes, at the first byte of another fragment, after a first fragment's
/// two; nothing for a cut record or one too short on the wire.
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    Some(match kind(f.data, f.orig_len) {
        Kind::Cut => f.data.len(),
        Kind::Short => f.orig_len,
        Kind::Control(_) if ies(f.data, f.orig_len).1 && f.verbose > 0 => f.orig_len,
        Kind::Control(_) => CONTROL_LEN,
        Kind::Begin(_) => FRAG_LEN,
        Kind::Fragment(_) => 0,
    })
}

/// What tcpdump's FRF.16 printer counted ([`super::Counted`]) on a
/// record [`write_message`] printed, for a PPI or PKTAP printer around
/// it: the header length its dump starts after (no printer of a frame
/// after it that could give up: a fragment's bytes are printed as far as
/// captured, a control frame's elements checked before they are read).
pub(super) fn count(f: &Frame<'_>) -> super::Counted {
    super::Counted::Bytes(message_dump_from(f).unwrap_or(0))
}

/// `--json`'s object: the kind (`control`, `fragment`), the B, E and C
/// bits, a fragment's sequence number, a control frame's message and its
/// information elements (type, length, value in hex; the magic number,
/// the bundle's and link's ids as text), a first fragment's Frame Relay
/// header as link type 107's (`fr`).
pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let d = f.data;
    let &first = d.first()?;
    let bits = first & crate::decode::mfr::BEC_MASK;
    let mut o = json!({
        "type": "mfr",
        "begin": bits & BEGIN != 0,
        "end": bits & END != 0,
        "control": bits & CONTROL != 0,
    });
    match kind(d, f.orig_len) {
        Kind::Control(m) => {
            o["frame"] = json!("control");
            o["message"] = json!(m);
            if let Some(name) = message_name(m) {
                o["message_name"] = json!(name);
            }
            let list: Vec<Value> = ies(d, f.orig_len)
                .0
                .iter()
                .map(|ie| {
                    let mut e = json!({
                        "type": ie.kind,
                        "name": ie_name(ie.kind),
                        "length": ie.len,
                        "value": ie.value.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                    });
                    match (ie.kind, ie.value) {
                        (3, &[a, b, c, dd]) => {
                            e["magic"] = json!(u32::from_be_bytes([a, b, c, dd]))
                        }
                        (1 | 2, v) => {
                            let id: Vec<u8> = v
                                .iter()
                                .take(50)
                                .take_while(|&&c| c != 0)
                                .copied()
                                .collect();
                            e["id"] = json!(String::from_utf8_lossy(&id));
                        }
                        _ => {}
                    }
                    e
                })
                .collect();
            o["ies"] = Value::Array(list);
        }
        Kind::Begin(seq) | Kind::Fragment(seq) => {
            o["frame"] = json!("fragment");
            o["seq"] = json!(seq);
            if let Some(h) = d
                .get(FRAG_LEN..)
                .filter(|_| matches!(kind(d, f.orig_len), Kind::Begin(_)))
                .and_then(crate::decode::link_more::fr_header)
            {
                o["fr"] = json!({"dlci": h.dlci, "address_len": h.addr_len,
                                 "flags": h.flags, "nlpid": h.nlpid});
            }
        }
        Kind::Cut | Kind::Short => {}
    }
    Some(o)
}
