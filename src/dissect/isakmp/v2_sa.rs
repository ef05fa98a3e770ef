//! IKEv2's SA payload (RFC 7296 §3.3) as tcpdump's `-v` walks it: the
//! proposals, each with its transforms and their attributes.
//!
//! tcpdump bounds each list by the length left in its parent, counted
//! down by the items' declared lengths, and reads each item from where
//! the previous printer stopped: an item longer than what is left prints
//! the parent's mark (` [|v2sa]`, ` [|p]`) and skips the rest of the
//! parent (by the length left, so past a proposal's end by its own
//! header, as tcpdump counts a proposal's length from after its generic
//! header but its items from after its fixed part); a length of 4 or
//! less, or an item not captured, prints the mark and ends the message.

use super::names::{PROTOCOLS, V2_ATTRS, V2_TRANSFORM_TYPES, V2_TRANSFORMS};
use super::v1::attributes;
use super::walk::{Cx, Item, Nest, Stop, Walked, cut, hex, note_cut, open, payload_name, put_code};
use crate::dissect::ctl::out;
use crate::dissect::wire::{bytes_at, u8_at, u16_at};

/// One item of a list inside the SA: where its header starts, its next
/// type and its declared length (header included).
struct Head {
    at: usize,
    next: u8,
    len: usize,
}

/// Why an item cannot be printed: longer than its parent has left (the
/// parent is skipped) or unreadable (the message ends).
enum Refused {
    TooLong,
    Cut,
}

/// The next item's header at `at` with `left` bytes of the parent to
/// hold it, checked in tcpdump's order.
fn head(m: &[u8], at: usize, left: usize) -> Result<Head, Refused> {
    if left < 4 {
        return Err(Refused::TooLong);
    }
    let (Ok(next), Ok(len)) = (u8_at(m, at), u16_at(m, at + 2)) else {
        return Err(Refused::Cut);
    };
    let len = usize::from(len);
    if len <= 4 {
        return Err(Refused::Cut);
    }
    if left < len {
        return Err(Refused::TooLong);
    }
    if at + len > m.len() {
        return Err(Refused::Cut);
    }
    Ok(Head { at, next, len })
}

/// A list's items of type `first` then each one's next type, from `at`
/// with `left` bytes of the parent: each printed by `item` (which says
/// where the next one starts) or, for another type, by its name. The
/// parent's name marks a refused item. Where the list ended.
fn items(
    w: &mut Vec<u8>,
    cx: Cx<'_>,
    (first, mark): (u8, &str),
    (mut at, mut left): (usize, usize),
    depth: usize,
    mut item: impl FnMut(&mut Vec<u8>, &Head, usize) -> Result<usize, Stop>,
) -> Result<usize, Stop> {
    let mut np = first;
    let mut count = 0;
    while np != 0 {
        count += 1;
        let h = match head(cx.m, at, left) {
            Ok(h) => h,
            Err(Refused::TooLong) => {
                note_cut(cx);
                cut(w, mark);
                return Ok(at + left);
            }
            Err(Refused::Cut) => return Err(cut(w, mark)),
        };
        open(w, depth);
        if np == first {
            // A printer that ended the message leaves its parenthesis open.
            at = item(w, &h, count)?;
        } else {
            w.extend_from_slice(payload_name(np).as_bytes());
            at = h.at + h.len;
        }
        w.push(b')');
        left -= h.len;
        np = h.next;
    }
    Ok(at)
}

pub(super) fn sa(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, nest: Nest) -> Walked {
    out!(w, " len={}", it.len);
    let depth = nest.depth;
    let end = items(w, cx, (2, "v2sa"), (it.at, it.len), depth, |w, h, _| {
        proposal(w, cx, h, depth + 1)
    })?;
    Err(Stop::Resume(end))
}

/// `p[C]:`, the proposal's fields and its transforms.
fn proposal(w: &mut Vec<u8>, cx: Cx<'_>, h: &Head, depth: usize) -> Result<usize, Stop> {
    let (Ok(flags), Ok([number, proto, spi_size, transforms])) =
        (u8_at(cx.m, h.at + 1), bytes_at::<4>(cx.m, h.at + 4))
    else {
        return Err(cut(w, "p"));
    };
    w.push(b'p');
    critical(w, flags);
    out!(w, " #{number} protoid=");
    put_code(w, PROTOCOLS, proto);
    out!(w, " transform={transforms} len={}", h.len);
    // Counted from after the generic header, the list from after the
    // fixed part.
    let mut left = h.len - 4;
    let mut at = h.at + 8;
    let size = usize::from(spi_size);
    if size > 0 {
        if left < size {
            note_cut(cx);
            cut(w, "p");
            return Ok(at + left);
        }
        w.extend_from_slice(b" spi=");
        match cx.m.get(at..at + size) {
            Some(spi) => hex(w, spi),
            None => return Err(cut(w, "p")),
        }
        at += size;
        left -= size;
    }
    items(w, cx, (3, "p"), (at, left), depth, |w, t, n| {
        transform(w, cx, t, n)
    })
}

/// `t[C]:`, the `n`th item's type, id and attributes; where tcpdump goes
/// on (after the attributes).
fn transform(w: &mut Vec<u8>, cx: Cx<'_>, h: &Head, n: usize) -> Result<usize, Stop> {
    let (Ok(flags), Ok([kind, _, _, _]), Ok(id)) = (
        u8_at(cx.m, h.at + 1),
        bytes_at::<4>(cx.m, h.at + 4),
        u16_at(cx.m, h.at + 6),
    ) else {
        return Err(cut(w, "t"));
    };
    w.push(b't');
    critical(w, flags);
    out!(w, " #{n} type=");
    put_code(w, V2_TRANSFORM_TYPES, kind);
    w.extend_from_slice(b" id=");
    match V2_TRANSFORMS.get(usize::from(kind)) {
        Some(table) if kind > 0 => put_code(w, table, id),
        _ => out!(w, "{id}"),
    }
    w.push(b' ');
    // Only an encryption transform's attributes have names.
    let table: &[_] = if kind == 1 { &V2_ATTRS } else { &[] };
    let end = h.at + h.len;
    let after = attributes(w, cx.m, h.at + 8, end, table, super::names::GROUPS.len())?;
    // One byte past the end: an attribute did not fit (`[|attr]`).
    if after > end.max(h.at + 8) {
        note_cut(cx);
    }
    Ok(after)
}

/// `[C]` when the critical bit is set, and the colon.
fn critical(w: &mut Vec<u8>, flags: u8) {
    if flags & 0x80 != 0 {
        w.extend_from_slice(b"[C]");
    }
    w.push(b':');
}
