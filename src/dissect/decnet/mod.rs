//! DECnet Phase IV (EtherType 0x6003) as `tcpdump -n` prints it: the
//! routing layer (DNA Routing Functional Specification 2.0.0, section 10)
//! and, in its data packets, NSP ([`nsp`]).
//!
//! A packet starts with a 16-bit little-endian length, then the routing
//! flags (optionally after pad bytes, which `-v` counts: `[pad:3] `). A
//! control message prints its name and fields (`init`, `verification`,
//! `test`, `lev-1-routing`, `lev-2-routing`, `router-hello`,
//! `endnode-hello`); a data packet its short or long header's addresses
//! (`1.2 > 1.3 20 `, area.node and the length field; at `-v` the RQR, RTS
//! and IE flags and the hop count) before the NSP message. Every number
//! on the wire is little endian.
//!
//! tcpdump 4.99 checks the lengths the packet declares (each failed check
//! is a ` (invalid)`) and reads the bytes with `GET_` macros, whose
//! `longjmp` ends a capture cut anywhere with ` [|decnet]`. Its checks
//! count from the length field, not from the flags: they are 2 bytes
//! lenient, and a short header after pad bytes can leave NSP an unsigned
//! length that wrapped (then only the capture stops it), as here.

mod control;
mod nsp;

use super::ctl::{json_object, out, put_hex_ascii};
use super::wire::{Res, need, u8_at, u16_le_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static DECNET: Dissector = Dissector::new("decnet", line, verbose, to_json, looks_like_decnet);

/// A length field that fits the message and a flags byte after it.
fn looks_like_decnet(m: &[u8]) -> bool {
    matches!(u16_le_at(m, 0), Ok(len) if (SHORT_HEADER..=m.len() - 2).contains(&usize::from(len)))
}

/// The short data header's size, the least any packet may declare.
const SHORT_HEADER: usize = 6;
/// The long data header's size (Ethernet's form of the header).
const LONG_HEADER: usize = 21;

/// Routing flags: pad bytes follow (their count in the low 7 bits), a
/// version after Phase IV, a control message.
const PAD: u8 = 0x80;
const PAD_MASK: u8 = 0x7f;
const FUTURE_VERSION: u8 = 0x40;
const CONTROL: u8 = 0x01;
/// A data packet's header format, and its flags named at `-v`.
const FORMAT_MASK: u8 = 0x07;
const SHORT: u8 = 2;
const LONG: u8 = 6;
const DATA_FLAGS: &[(u8, &str)] = &[(0x08, "RQR "), (0x10, "RTS "), (0x20, "IE ")];
/// The short header's visit count (the hop count tcpdump prints is one
/// more).
const VISITS_MASK: u8 = 0x3f;

/// How a printer that read what it needed ended: the whole message, or
/// at one of tcpdump's length checks (it then prints ` (invalid)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Whole,
    Invalid,
}

/// Area and node of a 16-bit DECnet address: `area.node`.
fn put_addr(w: &mut Vec<u8>, addr: u16) {
    out!(w, "{}.{}", addr >> 10, addr & 0x3ff);
}

fn addr_string(addr: u16) -> String {
    let mut w = Vec::new();
    put_addr(&mut w, addr);
    String::from_utf8_lossy(&w).into_owned()
}

/// tcpdump's default print of `len` bytes from `at` (its printer calls it
/// itself, so `-x` does not turn it off); `Err` where the capture ends
/// first (its `longjmp` after the bytes there are).
fn default_print(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<()> {
    put_hex_ascii(w, m, at, len, "\n\t")
}

/// The length tcpdump hands its default print from the length field on:
/// the declared length, or what was captured from there when less
/// (`ND_MIN(length, caplen)`).
fn shown(m: &[u8], r: &Routing) -> usize {
    r.len.min(m.len().saturating_sub(r.at))
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    if print(w, p, v)? == End::Invalid {
        w.extend_from_slice(b" (invalid)");
    }
    Ok(())
}

/// Where the routing header starts (after the length field and any pad
/// bytes) and the length that counts from the length field on, once the
/// declared lengths were checked.
struct Routing {
    /// The offset of the length field, moved on by the pad bytes as
    /// tcpdump moves its pointer (the header is 2 bytes further).
    at: usize,
    len: usize,
    flags: u8,
    pktlen: u16,
}

/// The length field and the pad bytes, with tcpdump's checks; `None`
/// after a check that failed (it printed why).
fn routing(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<Option<Routing>> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < SHORT_HEADER {
        out!(w, " (length {len} < {SHORT_HEADER})");
        return Ok(None);
    }
    let pktlen = u16_le_at(m, 0)?;
    if usize::from(pktlen) < SHORT_HEADER {
        out!(w, " (pktlen {pktlen} < {SHORT_HEADER})");
        return Ok(None);
    }
    if usize::from(pktlen) > len {
        out!(w, " (pktlen {pktlen} > {len})");
        return Ok(None);
    }
    let mut r = Routing {
        at: 0,
        len: usize::from(pktlen),
        flags: u8_at(m, 2)?,
        pktlen,
    };
    if r.flags & PAD != 0 {
        let pad = usize::from(r.flags & PAD_MASK);
        if v > 0 {
            out!(w, "[pad:{pad}] ");
        }
        if r.len < pad + 2 {
            out!(w, " (length {} < {})", r.len, pad + 2);
            return Ok(None);
        }
        need(m, 2, pad)?;
        r.at = pad;
        r.len -= pad;
        r.flags = u8_at(m, r.at + 2)?;
    }
    Ok(Some(r))
}

fn print(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<End> {
    let m = p.bytes;
    let Some(r) = routing(w, p, v)? else {
        return Ok(End::Invalid);
    };
    let header = r.at + 2;
    if r.flags & FUTURE_VERSION != 0 {
        w.extend_from_slice(b"future-version-decnet");
        default_print(w, m, r.at, shown(m, &r))?;
        return Ok(End::Whole);
    }
    if r.flags & CONTROL != 0 {
        return control::print(w, m, header, (r.len, shown(m, &r)));
    }
    let (dst, src, hops, nsp_at, nsp_len) = match r.flags & FORMAT_MASK {
        LONG => {
            if r.len < LONG_HEADER {
                out!(w, " (length {} < {LONG_HEADER})", r.len);
                return Ok(End::Invalid);
            }
            need(m, header, LONG_HEADER)?;
            (
                u16_le_at(m, header + 7)?,
                u16_le_at(m, header + 15)?,
                u8_at(m, header + 18)?,
                header + LONG_HEADER,
                r.len - LONG_HEADER,
            )
        }
        SHORT => (
            u16_le_at(m, header + 1)?,
            u16_le_at(m, header + 3)?,
            (u8_at(m, header + 5)? & VISITS_MASK) + 1,
            header + SHORT_HEADER,
            // tcpdump's unsigned length wraps when the pad bytes left
            // fewer than a header: no NSP check fails after that.
            (r.len as u32).wrapping_sub(SHORT_HEADER as u32) as usize,
        ),
        _ => {
            w.extend_from_slice(b"unknown message flags under mask");
            default_print(w, m, r.at, shown(m, &r))?;
            return Ok(End::Whole);
        }
    };
    put_addr(w, src);
    w.extend_from_slice(b" > ");
    put_addr(w, dst);
    out!(w, " {} ", r.pktlen);
    if v > 0 {
        for (bit, word) in DATA_FLAGS {
            if r.flags & bit != 0 {
                w.extend_from_slice(word.as_bytes());
            }
        }
        out!(w, "{hops} hops ");
    }
    nsp::print(w, m, nsp_at, nsp_len)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

/// The routing header's fields as the line reads them (pad bytes
/// skipped), and the NSP message's type.
fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("length".into(), json!(u16_le_at(m, 0)?));
    let mut at = 2;
    let mut flags = u8_at(m, at)?;
    if flags & PAD != 0 {
        let pad = usize::from(flags & PAD_MASK);
        o.insert("pad".into(), json!(pad));
        at += pad;
        flags = u8_at(m, at)?;
    }
    o.insert("flags".into(), json!(flags));
    if flags & FUTURE_VERSION != 0 {
        o.insert("kind".into(), json!("future version"));
        return Ok(());
    }
    if flags & CONTROL != 0 {
        o.insert("kind".into(), json!("control"));
        return control::json_fields(o, m, at);
    }
    let (dst, src, visits, nsp_at) = match flags & FORMAT_MASK {
        LONG => {
            o.insert("kind".into(), json!("long"));
            (
                u16_le_at(m, at + 7)?,
                u16_le_at(m, at + 15)?,
                u8_at(m, at + 18)?,
                at + LONG_HEADER,
            )
        }
        SHORT => {
            o.insert("kind".into(), json!("short"));
            (
                u16_le_at(m, at + 1)?,
                u16_le_at(m, at + 3)?,
                u8_at(m, at + 5)? & VISITS_MASK,
                at + SHORT_HEADER,
            )
        }
        _ => {
            o.insert("kind".into(), json!("unknown"));
            return Ok(());
        }
    };
    o.insert("src".into(), json!(addr_string(src)));
    o.insert("dst".into(), json!(addr_string(dst)));
    o.insert("visits".into(), json!(visits));
    for (name, (bit, _)) in ["rqr", "rts", "ie"].iter().zip(DATA_FLAGS) {
        o.insert((*name).into(), json!(flags & bit != 0));
    }
    nsp::json_fields(o, m, nsp_at)
}
