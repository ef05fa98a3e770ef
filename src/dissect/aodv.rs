//! AODV (RFC 3561, UDP 654) as tcpdump 4.99 prints it, one line at every
//! level: ` aodv` and the message — route requests, replies (their
//! addresses and sequence numbers on a second line, a Hello extension
//! after), errors with their unreachable destinations, reply
//! acknowledgements; over IPv6 the requests, replies and errors carry
//! IPv6 addresses (a request is then `v6 rreq`), and types 16 to 19 are
//! the IPv6 draft's forms on either IP.
//!
//! tcpdump's quirks are kept, as its output is the spec: a request's and
//! a reply's flags are tested in the type byte, not the flags byte (so a
//! request of type 1 shows none, the draft's type 16 shows `[D]`); a
//! message's fixed part is checked before its name is printed (a short
//! one is ` aodv [|aodv]`); an error's destinations are checked one by one
//! against the capture. Zeek has no analyzer for it (no `service`).

use super::ctl::{ipv4_at, json_object, out, tok};
use super::peers::over_ipv6;
use super::wire::{Res, bytes_at, need, u8_at, u32_at};
use super::{Dissector, Payload, Stop, Truncated, jumped};
use crate::decode::ip6_text::IpText;
use serde_json::{Map, Value, json};
use std::net::{IpAddr, Ipv6Addr};

pub static AODV: Dissector = Dissector {
    name: "aodv",
    json_key: "aodv",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| matches!(m.first(), Some(1..=4 | 16..=19)),
};

const RREQ: u8 = 1;
const RREP: u8 = 2;
const RERR: u8 = 3;
const RREP_ACK: u8 = 4;
const DRAFT_RREQ: u8 = 16;
const DRAFT_RREP: u8 = 17;
const DRAFT_RERR: u8 = 18;
const DRAFT_RREP_ACK: u8 = 19;

const TYPES: &[(u8, &str)] = &[
    (RREQ, "rreq"),
    (RREP, "rrep"),
    (RERR, "rerr"),
    (RREP_ACK, "rrep-ack"),
    (DRAFT_RREQ, "rreq"),
    (DRAFT_RREP, "rrep"),
    (DRAFT_RERR, "rerr"),
    (DRAFT_RREP_ACK, "rrep-ack"),
];

/// The Hello extension: type, length and the interval after them.
const EXT_HELLO: u8 = 1;
const HELLO_LEN: usize = 6;

/// Where a message's fields are, by form: IPv4's, IPv6's (RFC 3561 over
/// IPv6) and the IPv6 draft's (types 16 to 18).
struct Layout {
    size: usize,
    v6: bool,
    /// Request: id, destination, its sequence, originator, its sequence.
    /// Reply: destination, its sequence, originator, lifetime.
    at: [usize; 5],
}

const RREQ_V4: Layout = Layout {
    size: 24,
    v6: false,
    at: [4, 8, 12, 16, 20],
};
const RREQ_V6: Layout = Layout {
    size: 48,
    v6: true,
    at: [4, 8, 24, 28, 44],
};
const RREQ_DRAFT: Layout = Layout {
    size: 48,
    v6: true,
    at: [4, 16, 8, 32, 12],
};
const RREP_V4: Layout = Layout {
    size: 20,
    v6: false,
    at: [4, 8, 12, 16, 0],
};
const RREP_V6: Layout = Layout {
    size: 44,
    v6: true,
    at: [4, 20, 24, 40, 0],
};
const RREP_DRAFT: Layout = Layout {
    size: 44,
    v6: true,
    at: [8, 4, 24, 40, 0],
};

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    walk(w, p).map_err(Truncated::from)
}

/// Whether a cut line ended at tcpdump's one unchecked read, the type's:
/// its `longjmp`.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], _: u8) -> bool {
    walk(&mut Vec::new(), p) == Err(Stop::Jumped)
}

fn walk(w: &mut Vec<u8>, p: &Payload<'_>) -> Result<(), Stop> {
    let (m, len) = (p.bytes, p.declared_len);
    let t = u8_at(m, 0).map_err(jumped)?;
    w.extend_from_slice(b" aodv");
    let v6 = over_ipv6();
    match t {
        RREQ if v6 => request(w, p, &RREQ_V6, " v6 rreq"),
        RREQ => request(w, p, &RREQ_V4, " rreq"),
        DRAFT_RREQ => request(w, p, &RREQ_DRAFT, " rreq"),
        RREP => reply(w, p, if v6 { &RREP_V6 } else { &RREP_V4 }),
        DRAFT_RREP => reply(w, p, &RREP_DRAFT),
        RERR => error(w, p, if v6 { 20 } else { 8 }),
        DRAFT_RERR => error(w, p, 20),
        RREP_ACK | DRAFT_RREP_ACK => {
            out!(w, " rrep-ack {len}");
            Ok(())
        }
        _ => {
            out!(w, " type {t} {len}");
            Ok(())
        }
    }
}

/// An address of the form's family at `at`.
fn addr_at(m: &[u8], at: usize, v6: bool) -> Res<IpText> {
    Ok(IpText(if v6 {
        IpAddr::V6(Ipv6Addr::from(bytes_at::<16>(m, at)?))
    } else {
        IpAddr::V4(ipv4_at(m, at)?)
    }))
}

/// A flag tcpdump tests in the type byte.
fn flag(t: u8, bit: u8, name: &'static str) -> &'static str {
    if t & bit != 0 { name } else { "" }
}

fn request(w: &mut Vec<u8>, p: &Payload<'_>, l: &Layout, name: &str) -> Result<(), Stop> {
    let (m, len) = (p.bytes, p.declared_len);
    need(m, 0, l.size)?;
    let t = u8_at(m, 0)?;
    let [id, dst, dseq, src, sseq] = l.at;
    out!(
        w,
        "{name} {len} {}{}{}{}{}hops {} id 0x{:08x}\n\tdst {} seq {} src {} seq {}",
        flag(t, 0x80, "[J]"),
        flag(t, 0x40, "[R]"),
        flag(t, 0x20, "[G]"),
        flag(t, 0x10, "[D]"),
        if t & 0x08 != 0 { "[U] " } else { " " },
        u8_at(m, 3)?,
        u32_at(m, id)?,
        addr_at(m, dst, l.v6)?,
        u32_at(m, dseq)?,
        addr_at(m, src, l.v6)?,
        u32_at(m, sseq)?
    );
    extension(w, m, l.size, len)
}

fn reply(w: &mut Vec<u8>, p: &Payload<'_>, l: &Layout) -> Result<(), Stop> {
    let (m, len) = (p.bytes, p.declared_len);
    need(m, 0, l.size)?;
    let t = u8_at(m, 0)?;
    let [dst, dseq, src, life, _] = l.at;
    out!(
        w,
        " rrep {len} {}{}prefix {} hops {}\n\tdst {} dseq {} src {} {} ms",
        flag(t, 0x80, "[R]"),
        if t & 0x40 != 0 { "[A] " } else { " " },
        u8_at(m, 2)? & 0x1f,
        u8_at(m, 3)?,
        addr_at(m, dst, l.v6)?,
        u32_at(m, dseq)?,
        addr_at(m, src, l.v6)?,
        u32_at(m, life)?
    );
    extension(w, m, l.size, len)
}

/// The extension after a request or reply of `size` bytes, when the
/// declared length leaves room for its header.
fn extension(w: &mut Vec<u8>, m: &[u8], size: usize, len: usize) -> Result<(), Stop> {
    if len.saturating_sub(size) < 2 {
        return Ok(());
    }
    // tcpdump checks the extension's header before reading it.
    let t = u8_at(m, size)?;
    let n = u8_at(m, size + 1)?;
    if t != EXT_HELLO {
        out!(w, "\n\text {t} {n}");
        return Ok(());
    }
    need(m, size, HELLO_LEN)?;
    if n < 4 {
        out!(w, "\n\text HELLO - bad length {n}");
    } else {
        out!(w, "\n\text HELLO {} ms", u32_at(m, size + 2)?);
    }
    Ok(())
}

/// An error and its unreachable destinations (`entry` bytes each: an
/// address and a sequence number).
fn error(w: &mut Vec<u8>, p: &Payload<'_>, entry: usize) -> Result<(), Stop> {
    let (m, len) = (p.bytes, p.declared_len);
    need(m, 0, 4)?;
    let nodelete = if u8_at(m, 1)? & 0x80 != 0 { "[D]" } else { "" };
    let count = u8_at(m, 3)?;
    out!(w, " rerr {nodelete} [items {count}] [{len}]:");
    let mut at = 4;
    for _ in 0..count {
        need(m, at, entry)?;
        let a = addr_at(m, at, entry == 20)?;
        out!(w, " {{{a}}}({})", u32_at(m, at + entry - 4)?);
        at += entry;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let t = u8_at(m, 0)?;
    o.insert("type".into(), json!(t));
    o.insert("type_name".into(), json!(tok(TYPES, t)));
    o.insert("length".into(), json!(p.declared_len));
    let v6 = over_ipv6();
    let layout = match t {
        RREQ if v6 => Some(&RREQ_V6),
        RREQ => Some(&RREQ_V4),
        DRAFT_RREQ => Some(&RREQ_DRAFT),
        RREP if v6 => Some(&RREP_V6),
        RREP => Some(&RREP_V4),
        DRAFT_RREP => Some(&RREP_DRAFT),
        _ => None,
    };
    if let Some(l) = layout {
        need(m, 0, l.size)?;
        o.insert("flags".into(), json!(u8_at(m, 1)?));
        o.insert("hop_count".into(), json!(u8_at(m, 3)?));
        let request = matches!(t, RREQ | DRAFT_RREQ);
        let [a, b, c, d, e] = l.at;
        let (dst, dseq, src) = if request { (b, c, d) } else { (a, b, c) };
        o.insert(
            "destination".into(),
            json!(addr_at(m, dst, l.v6)?.to_string()),
        );
        o.insert("destination_seq".into(), json!(u32_at(m, dseq)?));
        o.insert(
            "originator".into(),
            json!(addr_at(m, src, l.v6)?.to_string()),
        );
        if request {
            o.insert("request_id".into(), json!(u32_at(m, a)?));
            o.insert("originator_seq".into(), json!(u32_at(m, e)?));
        } else {
            o.insert("prefix_size".into(), json!(u8_at(m, 2)? & 0x1f));
            o.insert("lifetime_ms".into(), json!(u32_at(m, d)?));
        }
        if p.declared_len >= l.size + 2 {
            o.insert("extension_type".into(), json!(u8_at(m, l.size)?));
            o.insert("extension_length".into(), json!(u8_at(m, l.size + 1)?));
        }
    } else if matches!(t, RERR | DRAFT_RERR) {
        let entry = if v6 || t == DRAFT_RERR { 20 } else { 8 };
        let count = u8_at(m, 3)?;
        o.insert("no_delete".into(), json!(u8_at(m, 1)? & 0x80 != 0));
        let mut list = Vec::new();
        for i in 0..usize::from(count) {
            let at = 4 + i * entry;
            let a = addr_at(m, at, entry == 20)?;
            list.push(json!({"address": a.to_string(), "seq": u32_at(m, at + entry - 4)?}));
        }
        o.insert("unreachable".into(), Value::Array(list));
    }
    if p.declared_len > m.len() {
        return Err(Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RREQ_MSG: [u8; 24] = [
        1, 0xf8, 0, 3, 0, 0, 0x12, 0x34, 10, 0, 0, 1, 0, 0, 0, 5, 10, 0, 0, 2, 0, 0, 0, 6,
    ];

    #[test]
    fn test_line() {
        assert_eq!(
            AODV.printed(&RREQ_MSG, 0),
            " aodv rreq 24  hops 3 id 0x00001234\n\tdst 10.0.0.1 seq 5 src 10.0.0.2 seq 6"
        );
        assert_eq!(AODV.printed(&[4, 0], 1), " aodv rrep-ack 2");
        assert_eq!(AODV.printed(&[9, 1, 2], 1), " aodv type 9 3");
    }

    #[test]
    fn test_truncated() {
        assert_eq!(AODV.printed_cut(&RREQ_MSG, 0, 0), " [|aodv]");
        assert_eq!(AODV.printed_cut(&RREQ_MSG, 12, 0), " aodv [|aodv]");
        let rerr = [3, 0x80, 0, 2, 10, 0, 0, 1, 0, 0, 0, 9];
        assert_eq!(
            AODV.printed(&rerr, 0),
            " aodv rerr [D] [items 2] [12]: {10.0.0.1}(9) [|aodv]"
        );
    }
}
