//! wb, LBL's shared whiteboard of the MBone (UDP, datagrams to port 4567
//! only), as tcpdump 4.99.3 prints it. The 12-byte header (site id,
//! timestamp, version, type, flags) gives `*` when any flag is set, then
//! the type: `wb-kill`; an announcement, `wb-id: 1/10.0.0.1:2 (max
//! 3/10.0.0.2:4) <10.0.0.3:5,…> "site name"` (its id/offset pairs, the
//! name up to the datagram's end or a NUL); a repair request, `wb-rreq:
//! please repair ID PAGE:UID<START:END>`; a repair reply, `wb-rrep: for ID
//! PAGE:UID<START:END>`; a drawing operation, `wb-dop: PAGE:UID<S:E>`;
//! a page request, `wb-preq: need LOW/PAGE:UID`; a page reply, `wb-prep:`
//! and each page state with its id/offset pairs; any other type
//! `wb-9!`. At `-v` a reply and a drawing operation list their drawing
//! ops, ` < LINE RECT SKIP3[|] >` (the skip and hole ops jump the
//! sequence). A datagram shorter than its type's fixed part, or of
//! another type, ends ` (invalid)`; a capture cut anywhere ` [|wb]`
//! (tcpdump reads with `GET_` macros: its `longjmp`, so the dump starts
//! at the frame). Zeek has no analyzer for it (no `service`).

use super::ctl::{ipv4_at, json_object, line_is_level_0, out};
use super::dns::text::put_char;
use super::wire::{Res, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static WB: Dissector = Dissector {
    name: "wb",
    json_key: "wb",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= HEADER,
};

/// tcpdump's whiteboard port (its "kludge": to the port only).
pub const PORT: u16 = 4567;

/// The packet header: site id, timestamp, version, type, flags.
const HEADER: usize = 12;

/// The packet types, with their fixed part after the header.
const DRAWOP: u8 = 0;
const ID: u8 = 1;
const RREQ: u8 = 2;
const RREP: u8 = 3;
const KILL: u8 = 4;
const PREQ: u8 = 5;
const PREP: u8 = 7;

/// A page: session id (an address) and page number.
const PAGE: usize = 8;
/// A drawing operation's fixed part: page, start and end sequence.
const DOP: usize = PAGE + 8;
/// A page state: slot, page, id count, reserved.
const PGSTATE: usize = 4 + PAGE + 4;
/// An announcement's fixed part: its slot and page, then a page state.
const PKT_ID: usize = 4 + PAGE + PGSTATE;
/// An id and offset pair.
const ID_OFF: usize = 8;
/// A drawing op's header: timestamp, body length, flags, type.
const DOP_HEADER: usize = 8;

/// The drawing op types tcpdump names (from 2).
const DOP_NAMES: [&str; 14] = [
    "RECT", "LINE", "ML", "DEL", "XFORM", "ELL", "CHAR", "STR", "NOP", "PSCODE", "PSCOMP", "REF",
    "SKIP", "HOLE",
];
const DT_SKIP: u8 = 14;
const DT_HOLE: u8 = 15;

/// The type's name in JSON.
const TYPE_NAMES: &[(u8, &str)] = &[
    (DRAWOP, "drawop"),
    (ID, "id"),
    (RREQ, "rreq"),
    (RREP, "rrep"),
    (KILL, "kill"),
    (PREQ, "preq"),
    (PREP, "prep"),
];

/// A message too short for its type's fixed part (tcpdump's `-1`, then
/// ` (invalid)`).
struct Invalid;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < HEADER {
        w.extend_from_slice(b" (invalid)");
        return Ok(());
    }
    need(m, 0, HEADER)?;
    if u8_at(m, 11)? != 0 {
        w.push(b'*');
    }
    let body = m.get(HEADER..).unwrap_or(&[]);
    let len = len - HEADER;
    let printed = match u8_at(m, 10)? {
        KILL => {
            w.extend_from_slice(b" wb-kill");
            return Ok(());
        }
        ID => announcement(w, body, len)?,
        RREQ => repair_request(w, body, len)?,
        RREP => repair_reply(w, body, len, v)?,
        DRAWOP => drawing(w, body, len, v)?,
        PREQ => page_request(w, body, len)?,
        PREP => page_reply(w, body, len)?,
        t => {
            out!(w, " wb-{t}!");
            Err(Invalid)
        }
    };
    if printed.is_err() {
        w.extend_from_slice(b" (invalid)");
    }
    Ok(())
}

/// What a type's printer did: printed, or found the message too short.
type Printed = Res<Result<(), Invalid>>;

/// `PAGE:UID` of the page at `at`.
fn page_at(m: &[u8], at: usize) -> Res<(std::net::Ipv4Addr, u32)> {
    Ok((ipv4_at(m, at)?, u32_at(m, at + 4)?))
}

/// `<ID:OFF,…>` of `n` pairs from `at` (nothing but `>` when there are
/// none), each printed only when whole; where the pairs end.
fn id_offsets(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<usize> {
    let mut sep = b'<';
    for i in 0..n {
        let pair = at + i * ID_OFF;
        let (id, off) = (ipv4_at(m, pair)?, u32_at(m, pair + 4)?);
        w.push(sep);
        out!(w, "{id}:{off}");
        sep = b',';
    }
    w.push(b'>');
    Ok(at + n * ID_OFF)
}

fn announcement(w: &mut Vec<u8>, b: &[u8], len: usize) -> Printed {
    w.extend_from_slice(b" wb-id:");
    if len < PKT_ID {
        return Ok(Err(Invalid));
    }
    let (mslot, (msid, muid)) = (u32_at(b, 0)?, page_at(b, 4)?);
    let (slot, (sid, uid)) = (u32_at(b, 12)?, page_at(b, 16)?);
    out!(w, " {slot}/{sid}:{uid} (max {mslot}/{msid}:{muid}) ");
    need(b, 0, PKT_ID)?;
    let nid = usize::from(u16_at(b, 24)?);
    let Some(name_len) = (len - PKT_ID).checked_sub(nid * ID_OFF) else {
        return Ok(Err(Invalid));
    };
    let name = id_offsets(w, b, PKT_ID, nid)?;
    w.extend_from_slice(b" \"");
    // The site name, up to a NUL or the datagram's end.
    for i in 0..name_len {
        match u8_at(b, name + i)? {
            0 => break,
            c => put_char(w, c),
        }
    }
    w.push(b'"');
    Ok(Ok(()))
}

fn repair_request(w: &mut Vec<u8>, b: &[u8], len: usize) -> Printed {
    w.extend_from_slice(b" wb-rreq:");
    if len < 4 + DOP {
        return Ok(Err(Invalid));
    }
    let (id, (sid, uid)) = (ipv4_at(b, 0)?, page_at(b, 4)?);
    let (start, end) = (u32_at(b, 12)?, u32_at(b, 16)?);
    out!(w, " please repair {id} {sid}:{uid}<{start}:{end}>");
    Ok(Ok(()))
}

fn repair_reply(w: &mut Vec<u8>, b: &[u8], len: usize, v: u8) -> Printed {
    w.extend_from_slice(b" wb-rrep:");
    if len < 4 + DOP {
        return Ok(Err(Invalid));
    }
    let id = ipv4_at(b, 0)?;
    let (start, end) = drawing_head(w, b, 4, &format!(" for {id}"))?;
    if v > 0 {
        drawing_ops(w, b, 4 + DOP, start, end)?;
    }
    Ok(Ok(()))
}

fn drawing(w: &mut Vec<u8>, b: &[u8], len: usize, v: u8) -> Printed {
    w.extend_from_slice(b" wb-dop:");
    if len < DOP {
        return Ok(Err(Invalid));
    }
    let (start, end) = drawing_head(w, b, 0, "")?;
    if v > 0 {
        drawing_ops(w, b, DOP, start, end)?;
    }
    Ok(Ok(()))
}

/// A drawing operation's fixed part at `at`, ` PAGE:UID<START:END>`
/// after `before`, printed only when whole; its sequence numbers.
fn drawing_head(w: &mut Vec<u8>, b: &[u8], at: usize, before: &str) -> Res<(u32, u32)> {
    let (sid, uid) = page_at(b, at)?;
    let (start, end) = (u32_at(b, at + PAGE)?, u32_at(b, at + PAGE + 4)?);
    out!(w, "{before} {sid}:{uid}<{start}:{end}>");
    Ok((start, end))
}

/// The drawing ops from `at`, one a sequence number from `ss` to `es`:
/// each op's name, a skip's or hole's count (the sequence jumps to its
/// timestamp; `[|]` where that is outside the range, and the list ends
/// without its `>` where it is behind). tcpdump reads on until the
/// capture ends when the range does not (each op is at least 8 bytes).
fn drawing_ops(w: &mut Vec<u8>, b: &[u8], mut at: usize, mut ss: u32, es: u32) -> Res<()> {
    w.extend_from_slice(b" <");
    while ss <= es {
        let t = u8_at(b, at + 7)?;
        match t.checked_sub(2).and_then(|i| DOP_NAMES.get(usize::from(i))) {
            Some(name) => out!(w, " {name}"),
            None => out!(w, " dop-{t}!"),
        }
        if t == DT_SKIP || t == DT_HOLE {
            let ts = u32_at(b, at)?;
            out!(w, "{}", ts.wrapping_sub(ss).wrapping_add(1));
            if ss > ts || ts > es {
                w.extend_from_slice(b"[|]");
                if ts < ss {
                    return Ok(());
                }
            }
            ss = ts;
        }
        let body = usize::from(u16_at(b, at + 4)?);
        at = at.saturating_add((body + DOP_HEADER).next_multiple_of(4));
        // tcpdump's `++ss` wraps: past the largest end it goes on, until
        // a read finds the capture's end.
        ss = ss.wrapping_add(1);
    }
    w.extend_from_slice(b" >");
    Ok(())
}

fn page_request(w: &mut Vec<u8>, b: &[u8], len: usize) -> Printed {
    w.extend_from_slice(b" wb-preq:");
    if len < DOP {
        return Ok(Err(Invalid));
    }
    let (low, (sid, uid)) = (u32_at(b, PAGE)?, page_at(b, 0)?);
    out!(w, " need {low}/{sid}:{uid}");
    need(b, 0, DOP)?;
    Ok(Ok(()))
}

fn page_reply(w: &mut Vec<u8>, b: &[u8], len: usize) -> Printed {
    w.extend_from_slice(b" wb-prep:");
    if len < 4 {
        return Ok(Err(Invalid));
    }
    let mut n = u32_at(b, 0)?;
    let mut at = 4;
    // Each state takes 16 bytes at least: the capture ends the loop.
    while n != 0 {
        let (slot, (sid, uid)) = (u32_at(b, at)?, page_at(b, at + 4)?);
        out!(w, " {slot}/{sid}:{uid}");
        need(b, at, PGSTATE)?;
        // tcpdump counts the pairs by the id count's first byte alone.
        let pairs = usize::from(u8_at(b, at + 12)?);
        at = id_offsets(w, b, at + PGSTATE, pairs)?;
        n -= 1;
    }
    Ok(Ok(()))
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("source".into(), json!(ipv4_at(m, 0)?.to_string()));
    o.insert("timestamp".into(), json!(u32_at(m, 4)?));
    o.insert("version".into(), json!(u16_at(m, 8)?));
    let t = u8_at(m, 10)?;
    o.insert("type".into(), json!(t));
    let name = TYPE_NAMES.iter().find(|(k, _)| *k == t).map(|(_, n)| *n);
    o.insert("type_name".into(), json!(name));
    o.insert("flags".into(), json!(u8_at(m, 11)?));
    let b = m.get(HEADER..).unwrap_or(&[]);
    let page = |at: usize| -> Res<Value> {
        let (sid, uid) = page_at(b, at)?;
        Ok(json!({"session": sid.to_string(), "page": uid}))
    };
    match t {
        ID => {
            o.insert("slot".into(), json!(u32_at(b, 12)?));
            o.insert("page".into(), page(16)?);
            o.insert("max_slot".into(), json!(u32_at(b, 0)?));
            o.insert("max_page".into(), page(4)?);
            o.insert("ids".into(), json!(u16_at(b, 24)?));
        }
        RREQ | RREP => {
            o.insert("id".into(), json!(ipv4_at(b, 0)?.to_string()));
            o.insert("page".into(), page(4)?);
            o.insert("start".into(), json!(u32_at(b, 12)?));
            o.insert("end".into(), json!(u32_at(b, 16)?));
        }
        DRAWOP => {
            o.insert("page".into(), page(0)?);
            o.insert("start".into(), json!(u32_at(b, 8)?));
            o.insert("end".into(), json!(u32_at(b, 12)?));
        }
        PREQ => {
            o.insert("page".into(), page(0)?);
            o.insert("low".into(), json!(u32_at(b, 8)?));
            o.insert("high".into(), json!(u32_at(b, 12)?));
        }
        PREP => {
            o.insert("states".into(), json!(u32_at(b, 0)?));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(t: u8, flags: u8) -> Vec<u8> {
        vec![10, 0, 0, 9, 0, 0, 0, 1, 0, 1, t, flags]
    }

    #[test]
    fn test_line() {
        let mut m = header(RREQ, 1);
        m.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5]);
        assert_eq!(
            WB.printed(&m, 0),
            "* wb-rreq: please repair 10.0.0.1 10.0.0.2:3<4:5>"
        );
        assert_eq!(WB.printed(&header(KILL, 0), 0), " wb-kill");
        assert_eq!(WB.printed(&header(9, 0), 0), " wb-9! (invalid)");
    }

    #[test]
    fn test_drawing_ops_at_v() {
        let mut m = header(DRAWOP, 0);
        m.extend_from_slice(&[10, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 4]);
        m.extend_from_slice(&[0, 0, 0, 0, 0, 1, 0, 3, 9, 0, 0, 0]);
        m.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, DT_SKIP]);
        assert_eq!(WB.printed(&m, 0), " wb-dop: 10.0.0.2:3<1:4>");
        assert_eq!(WB.printed(&m, 1), " wb-dop: 10.0.0.2:3<1:4> < LINE SKIP3 >");
    }

    #[test]
    fn test_malformed_short() {
        assert_eq!(WB.printed(&header(ID, 0), 0), " wb-id: (invalid)");
        assert_eq!(WB.printed(&[0; 11], 0), " (invalid)");
    }

    #[test]
    fn test_truncated() {
        let mut m = header(RREQ, 0);
        m.extend_from_slice(&[0; 20]);
        assert_eq!(WB.printed_cut(&m, 30, 0), " wb-rreq: [|wb]");
        assert_eq!(WB.printed_cut(&m, 11, 0), " [|wb]");
    }
}
