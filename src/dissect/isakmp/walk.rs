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
use std::cell::{Cell, RefCell};

/// What the printers share: the message as captured (tcpdump reads up to
/// the capture's end, not the payload's, where a length misleads it), the
/// level, and whether the message is IKEv2's (its top chain treats an
/// encrypted payload apart).
#[derive(Clone, Copy)]
pub(super) struct Cx<'a> {
    pub m: &'a [u8],
    pub v: u8,
    pub v2: bool,
    /// Where the walk notes what `--json` says of it: the top chain's
    /// payloads as it opens them, and whether it printed a cut mark.
    pub notes: Option<&'a Notes>,
}

/// What a walk noted for `--json` ([`Cx::notes`]).
#[derive(Default)]
pub(super) struct Notes {
    pub seen: RefCell<Vec<Seen>>,
    /// A cut mark after which the walk went on (an item longer than its
    /// IKEv2 parent, an attribute longer than its transform).
    pub cut: Cell<bool>,
}

/// Note a cut mark the walk goes on after.
pub(super) fn note_cut(cx: Cx<'_>) {
    if let Some(n) = cx.notes {
        n.cut.set(true);
    }
}

/// A payload of the top chain the walk opened: its type and header.
#[derive(Clone, Copy)]
pub(super) struct Seen {
    pub np: u8,
    pub at: usize,
    pub len: usize,
    pub flags: u8,
}

/// Where a chain is walked: at the top, or inside an IKEv1 SA or
/// proposal (the protocol id names a transform).
#[derive(Clone, Copy, Default)]
pub(super) struct Nest {
    pub depth: usize,
    pub proto: u8,
    /// The type of the payload whose items these are (0 at the top).
    pub parent: u8,
}

/// Why a printer did not end at its payload's end. `Cut`: the walk ends
/// (tcpdump's printer returned no position, after a cut mark or an
/// encrypted payload); `Short`: a payload too short to have a body
/// (`()`), which ends it too. `Resume`: tcpdump reads the next payload
/// header from elsewhere than the payload's declared end: after the
/// part it read (a DOI it does not know, a delete's SPIs, a transform's
/// attributes), where a nested list ended (an SA's proposals). `Jump`:
/// a read past the capture that tcpdump does not check (its `longjmp`):
/// nothing more is printed but the ` [|isakmp]` mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    Cut,
    Short,
    Resume(usize),
    Jump,
    /// The list ends without a cut (after IKEv2's encrypted payload,
    /// whose next type is inside it).
    End,
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

/// A payload type's name in a cut mark (tcpdump's `NPSTR`).
pub(super) fn payload_name(np: u8) -> String {
    match super::name(PAYLOADS, np) {
        Some(n) => n.to_string(),
        None if np == 0 => "none".to_string(),
        None if (14..=32).contains(&np) => format!("pay{np}"),
        None => format!("#{np}"),
    }
}

/// A new line indented to `depth` and the item's opening parenthesis.
pub(super) fn open(w: &mut Vec<u8>, depth: usize) {
    w.push(b'\n');
    w.resize(w.len() + 4 * depth, b' ');
    w.push(b'(');
}

/// Walk the chain that starts with type `np` at `at` (tcpdump's
/// `ikev1_sub_print` and `ikev2_sub_print`); where it ended.
pub(super) fn walk(
    w: &mut Vec<u8>,
    cx: Cx<'_>,
    mut np: u8,
    mut at: usize,
    nest: Nest,
) -> Result<usize, Stop> {
    let mut first = true;
    while np != 0 {
        let head = (u8_at(cx.m, at), u8_at(cx.m, at + 1), u16_at(cx.m, at + 2));
        let (next, flags, len) = match head {
            (Ok(n), Ok(f), Ok(l)) => (n, f, usize::from(l)),
            // A nested list's first header that was not captured is the
            // enclosing payload's cut (its printer checks it).
            _ if nest.parent != 0 && first => return Err(cut(w, &payload_name(nest.parent))),
            _ => return Err(cut(w, &payload_name(np))),
        };
        first = false;
        if at + len > cx.m.len() {
            return Err(cut(w, &payload_name(np)));
        }
        open(w, nest.depth);
        if let Some(n) = cx.notes.filter(|_| nest.parent == 0) {
            n.seen.borrow_mut().push(Seen { np, at, len, flags });
        }
        if len <= 4 {
            w.push(b')');
            return Err(Stop::Short);
        }
        let item = Item {
            at: at + 4,
            len: len - 4,
            flags,
        };
        let inner = Nest {
            depth: nest.depth + 1,
            ..nest
        };
        let done = print(w, cx, np, item, inner);
        if done == Err(Stop::Jump) {
            return done.map(|()| at);
        }
        w.push(b')');
        match done {
            Err(Stop::Resume(from)) => at = from,
            Err(stop) => return Err(stop),
            Ok(()) => at += len,
        }
        np = next;
    }
    Ok(at)
}

fn print(w: &mut Vec<u8>, cx: Cx<'_>, np: u8, item: Item, nest: Nest) -> Walked {
    match np {
        1..=13 => v1::payload(w, cx, np, item, nest),
        // Only IKEv2's top chain gives an encrypted payload its printer;
        // elsewhere tcpdump has none for it and prints its name.
        46 if !(cx.v2 && nest.parent == 0) => {
            w.extend_from_slice(payload_name(np).as_bytes());
            Ok(())
        }
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
