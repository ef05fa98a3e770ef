//! The `-v` payload list: the chain of generic payload headers walked as
//! tcpdump walks it, each payload on its own line in parentheses, the
//! nested ones (an SA's proposals, a proposal's transforms) indented
//! under it. A payload cut by the capture prints tcpdump's mark under
//! the payload's name (` [|hash]`) and ends the list; the parentheses
//! already open are closed on the way out.
//!
//! The printers of both versions share one table by payload type, as in
//! tcpdump: an IKEv1 type in an IKEv2 message prints as IKEv1's and the
//! other way round; inside an IKEv2 SA, types 2 and 3 are IKEv2's
//! proposals and transforms.

use super::names::{PAYLOADS, at as name_at};
use super::{v1, v2};
use crate::dissect::ctl::out;
use crate::dissect::wire::{u8_at, u16_at};

/// What the printers share: the message as captured (tcpdump reads up to
/// the capture's end, not the payload's, where a length misleads it) and
/// the level.
#[derive(Clone, Copy)]
pub(super) struct Cx<'a> {
    pub m: &'a [u8],
    pub v: u8,
}

/// Where a chain is walked: at the top, or inside an SA or proposal (the
/// protocol id names a transform; `v2` says whose proposals they are).
#[derive(Clone, Copy, Default)]
pub(super) struct Nest {
    pub depth: usize,
    pub proto: u8,
    pub v2: bool,
    /// IKEv2 transforms are numbered by position.
    pub index: usize,
    /// The type of the payload whose items these are (0 at the top).
    pub parent: u8,
    /// Where the items must end: the capture's end, or inside an IKEv2
    /// SA the enclosing SA's or proposal's.
    pub end: usize,
}

/// Why a printer did not end at its payload's end. `Cut`: it printed a
/// cut mark; `Short`: a payload too short to have a body (`()`); both
/// end every walk around them. `Resume`: tcpdump reads the next payload
/// header from elsewhere: after the part it read (a DOI it does not
/// know), where a nested list ended (an SA's proposals), after the header
/// of an item cut inside an IKEv2 SA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    Cut,
    Short,
    Resume(usize),
    /// An attribute ran past its transform: tcpdump goes on one byte
    /// past the transform's end.
    Overrun,
}

pub(super) type Walked = Result<(), Stop>;

/// A nested list's printer ends where its list ended (not where its own
/// length says: tcpdump reads the next payload header from there).
pub(super) fn nested(walked: Result<usize, Stop>) -> Walked {
    walked.and_then(|end| Err(Stop::Resume(end)))
}

/// A payload's place: where its body starts and how long it is (the
/// header's length less the header), and its flags byte.
#[derive(Clone, Copy)]
pub(super) struct Item {
    pub at: usize,
    pub len: usize,
    pub flags: u8,
}

/// ` [|name]`, and the walk's end.
pub(super) fn cut(w: &mut Vec<u8>, name: &str) -> Stop {
    out!(w, " [|{name}]");
    Stop::Cut
}

/// A payload type's name in a cut mark.
pub(super) fn payload_name(np: u8) -> String {
    match super::name(PAYLOADS, np) {
        Some(n) => n.to_string(),
        None if (14..=32).contains(&np) => format!("pay{np}"),
        None => format!("#{np}"),
    }
}

/// Walk the chain that starts with type `np` at `at`; where it ended.
pub(super) fn walk(
    w: &mut Vec<u8>,
    cx: Cx<'_>,
    mut np: u8,
    mut at: usize,
    nest: Nest,
) -> Result<usize, Stop> {
    let mut index = 0;
    while np != 0 {
        let limit = nest.end.min(cx.m.len());
        let head = (u8_at(cx.m, at), u8_at(cx.m, at + 1), u16_at(cx.m, at + 2));
        // A cut transform of an IKEv2 proposal does not end the message:
        // tcpdump reads the next header after the cut one's.
        let stop = if nest.v2 && nest.parent == 2 {
            Stop::Resume(at + 4)
        } else {
            Stop::Cut
        };
        let (next, flags, len) = match head {
            (Ok(n), Ok(f), Ok(l)) if at + 4 <= limit => (n, f, usize::from(l)),
            // A nested list's first header that was not captured is the
            // enclosing payload's cut.
            _ if nest.parent != 0 && (index == 0 || nest.v2) => {
                cut(w, &payload_name(nest.parent));
                return Err(stop);
            }
            _ => return Err(cut(w, &payload_name(np))),
        };
        if at + len > limit {
            cut(w, &item_name(np, nest));
            return Err(stop);
        }
        w.push(b'\n');
        w.resize(w.len() + 4 * nest.depth, b' ');
        w.push(b'(');
        if len <= 4 {
            w.push(b')');
            return Err(Stop::Short);
        }
        index += 1;
        let item = Item {
            at: at + 4,
            len: len - 4,
            flags,
        };
        let inner = Nest {
            depth: nest.depth + 1,
            index,
            ..nest
        };
        let done = print(w, cx, np, item, inner);
        w.push(b')');
        match done {
            Err(Stop::Resume(from)) => at = from,
            Err(Stop::Overrun) => at += len + 1,
            Err(stop) => return Err(stop),
            // An encrypted payload's next type is inside it.
            Ok(()) if np == 46 => return Ok(at + len),
            Ok(()) => at += len,
        }
        np = next;
    }
    Ok(at)
}

/// The cut mark's name of an item longer than what holds it: inside an
/// IKEv2 SA the enclosing SA's or proposal's.
fn item_name(np: u8, nest: Nest) -> String {
    // Inside an IKEv2 SA tcpdump names a cut proposal after the SA and
    // a cut transform after the proposal.
    if nest.v2 {
        return payload_name(nest.parent);
    }
    payload_name(np)
}

fn print(w: &mut Vec<u8>, cx: Cx<'_>, np: u8, item: Item, nest: Nest) -> Walked {
    match np {
        2 if nest.v2 => v2::proposal(w, cx, item, nest),
        3 if nest.v2 => v2::transform(w, cx, item, nest),
        1..=13 => v1::payload(w, cx, np, item, nest),
        33..=48 => v2::payload(w, cx, np, item, nest),
        _ => {
            w.extend_from_slice(payload_name(np).as_bytes());
            Ok(())
        }
    }
}

/// The bytes as lower-case hex (tcpdump's `rawprint`), as far as they
/// were captured.
pub(super) fn hex(w: &mut Vec<u8>, bytes: &[u8]) {
    for b in bytes {
        out!(w, "{b:02x}");
    }
}

/// `m[at..at + len]`, or what of it was captured.
pub(super) fn span(m: &[u8], at: usize, len: usize) -> &[u8] {
    let rest = m.get(at..).unwrap_or(&[]);
    rest.get(..len).unwrap_or(rest)
}

/// tcpdump's glimpse of data it does not decode: ` data=(`, up to ten
/// bytes from `at`, `...`, and the last twenty bytes of the capture
/// (fewer when they would overlap the first ten) — the capture's, not the
/// payload's, so it often shows the payloads after this one.
pub(super) fn some_data(w: &mut Vec<u8>, m: &[u8], at: usize) {
    let rest = m.get(at..).unwrap_or(&[]);
    let head = rest.len().min(10);
    let tail_from = rest.len().saturating_sub(20).max(head);
    w.extend_from_slice(b" data=(");
    hex(w, rest.get(..head).unwrap_or(&[]));
    w.extend_from_slice(b"...");
    hex(w, rest.get(tail_from..).unwrap_or(&[]));
    w.push(b')');
}

/// A name from a table that starts at code 0, or `#N`.
pub(super) fn put_code(w: &mut Vec<u8>, table: &[&'static str], n: impl Into<usize> + Copy) {
    match name_at(table, n) {
        Some(s) => w.extend_from_slice(s.as_bytes()),
        None => out!(w, "#{}", n.into()),
    }
}

/// ` HEX` of the bytes at `-vvv`.
pub(super) fn raw(w: &mut Vec<u8>, cx: Cx<'_>, at: usize, len: usize) {
    if cx.v > 2 {
        w.push(b' ');
        hex(w, span(cx.m, at, len));
    }
}
