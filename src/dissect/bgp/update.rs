//! BGP UPDATE: withdrawn routes, path attributes (each printed by
//! [`super::attr`]) and the NLRI, with ADD-PATH's path identifiers where
//! the prefix lengths say they are there (tcpdump guesses the same way:
//! lengths that do not parse plainly but parse after a 4-byte identifier).
//!
//! The running length counts down as tcpdump's does, each field checked
//! against it before it is read, so a damaged UPDATE stops where
//! tcpdump's does.

use super::super::ctl::{ipv4_at, out};
use super::super::dns::text::put_ipv6;
use super::{attr, mp, need};
use crate::dissect::wire::{Res, u8_at, u16_at, u32_at};
use crate::dissect::{Stop, Truncated};
use serde_json::{Map, Value, json};

pub(super) fn print(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Result<(), Stop> {
    let mut p = super::HEADER;
    let mut length = len.wrapping_sub(super::HEADER);
    need(m, p, 2)?;
    if length < 2 {
        return Err(Stop::Checked);
    }
    let mut withdrawn = usize::from(u16_at(m, p)?);
    p += 2;
    length = length.wrapping_sub(2);
    if withdrawn > 1 {
        need(m, p, withdrawn)?;
        if length < withdrawn {
            return Err(Stop::Checked);
        }
        w.extend_from_slice(b"\n\t  Withdrawn routes:");
        let add_path = has_path_ids(m, p, withdrawn, 32);
        while withdrawn != 0 {
            let mut id = 0;
            if add_path {
                if withdrawn < 4 {
                    p += withdrawn;
                    length = length.wrapping_sub(withdrawn);
                    break;
                }
                id = u32_at(m, p)?;
                p += 4;
                length = length.wrapping_sub(4);
                withdrawn -= 4;
            }
            // tcpdump gives up on the message at an illegal length here.
            let n = put_route(w, m, p, withdrawn, add_path.then_some(id))?.ok_or(Truncated)?;
            p += n;
            length = length.wrapping_sub(n);
            withdrawn -= n;
        }
    } else {
        need(m, p, withdrawn)?;
        if length < withdrawn {
            return Err(Stop::Checked);
        }
        p += withdrawn;
        length = length.wrapping_sub(withdrawn);
    }
    need(m, p, 2)?;
    if length < 2 {
        return Err(Stop::Checked);
    }
    let mut attrs = usize::from(u16_at(m, p)?);
    p += 2;
    length = length.wrapping_sub(2);
    if withdrawn == 0 && attrs == 0 && length == 0 {
        w.extend_from_slice(b"\n\t  End-of-Rib Marker (empty NLRI)");
        return Ok(());
    }
    if length < attrs {
        return Err(Stop::Checked);
    }
    while attrs != 0 {
        need(m, p, 2)?;
        if length < 2 {
            return Err(Stop::Checked);
        }
        if attrs < 2 {
            w.extend_from_slice(b"\n\t  [path attrs too short]");
            p += attrs;
            length = length.wrapping_sub(attrs);
            break;
        }
        let (flags, kind) = (u8_at(m, p)?, u8_at(m, p + 1)?);
        p += 2;
        attrs -= 2;
        length = length.wrapping_sub(2);
        let len_len = attr::len_len(flags);
        need(m, p, len_len)?;
        if length < len_len {
            return Err(Stop::Checked);
        }
        if attrs < len_len {
            w.extend_from_slice(b"\n\t  [path attrs too short]");
            p += attrs;
            length = length.wrapping_sub(attrs);
            break;
        }
        let alen = attr::value_len(m, p, flags)?;
        p += len_len;
        attrs -= len_len;
        length = length.wrapping_sub(len_len);
        w.extend_from_slice(b"\n\t  ");
        attr::put_header(w, kind, alen, flags);
        if flags != 0 {
            w.extend_from_slice(b": ");
        }
        if attrs < alen {
            w.extend_from_slice(b" [path attrs too short]");
            p += attrs;
            length = length.wrapping_sub(attrs);
            break;
        }
        if length < alen {
            return Err(Stop::Checked);
        }
        attr::print(w, m, kind, p, alen, 0, v)?;
        p += alen;
        attrs -= alen;
        length = length.wrapping_sub(alen);
    }
    if length != 0 {
        let add_path = has_path_ids(m, p, length, 32);
        w.extend_from_slice(b"\n\t  Updated routes:");
        while length != 0 {
            let mut id = 0;
            if add_path {
                need(m, p, 4)?;
                if length < 4 {
                    return Err(Stop::Checked);
                }
                id = u32_at(m, p)?;
                p += 4;
                length = length.wrapping_sub(4);
            }
            let Some(n) = put_route(w, m, p, length, add_path.then_some(id))? else {
                break;
            };
            p += n;
            length = length.wrapping_sub(n);
        }
    }
    Ok(())
}

/// One IPv4 route (withdrawn or updated) at `p`, read within `room`
/// bytes, with its ADD-PATH identifier; its size, or `None` after an
/// illegal prefix length (printed).
fn put_route(
    w: &mut Vec<u8>,
    m: &[u8],
    p: usize,
    room: usize,
    id: Option<u32>,
) -> Res<Option<usize>> {
    match prefix(m, p, room, Family::V4)? {
        Prefix::Illegal => {
            w.extend_from_slice(b"\n\t    (illegal prefix length)");
            Ok(None)
        }
        Prefix::Short => Err(Truncated),
        Prefix::Read(n) => {
            w.extend_from_slice(b"\n\t    ");
            put_prefix(w, m, p, Family::V4)?;
            if let Some(id) = id {
                out!(w, "   Path Id: {id}");
            }
            Ok(Some(n))
        }
    }
}

/// The address family of a prefix.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(in crate::dissect) enum Family {
    V4,
    V6,
}

impl Family {
    pub(super) fn max_len(self) -> u8 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }
}

/// What a prefix at `p` is, read within `room` bytes.
pub(in crate::dissect) enum Prefix {
    /// A length beyond the family's.
    Illegal,
    /// More address bytes than `room`.
    Short,
    /// A prefix of this many bytes (length byte included).
    Read(usize),
}

/// The prefix at `p` (a length byte, then as many address bytes as it
/// needs); the address bytes must be captured.
pub(in crate::dissect) fn prefix(m: &[u8], p: usize, room: usize, f: Family) -> Res<Prefix> {
    let plen = u8_at(m, p)?;
    if plen > f.max_len() {
        return Ok(Prefix::Illegal);
    }
    let bytes = usize::from(plen).div_ceil(8);
    if bytes > room.wrapping_sub(1) {
        return Ok(Prefix::Short);
    }
    need(m, p + 1, bytes)?;
    Ok(Prefix::Read(1 + bytes))
}

/// `192.0.2.0/24`: the prefix at `p` (already checked by [`prefix`]),
/// its bits past the length cleared.
pub(in crate::dissect) fn put_prefix(w: &mut Vec<u8>, m: &[u8], p: usize, f: Family) -> Res<()> {
    put_address(w, m, p + 1, u8_at(m, p)?, f)
}

/// `192.0.2.0/24`: the `plen` bits of address at `at`, the rest cleared.
pub(super) fn put_address(w: &mut Vec<u8>, m: &[u8], at: usize, plen: u8, f: Family) -> Res<()> {
    let mut a = [0u8; 16];
    let bytes = usize::from(plen).div_ceil(8);
    let src = m.get(at..at + bytes).ok_or(Truncated)?;
    a.get_mut(..bytes).ok_or(Truncated)?.copy_from_slice(src);
    if !plen.is_multiple_of(8)
        && let Some(last) = a.get_mut(bytes - 1)
    {
        *last &= 0xffu8 << (8 - plen % 8);
    }
    match f {
        Family::V4 => out!(w, "{}.{}.{}.{}/{plen}", a[0], a[1], a[2], a[3]),
        Family::V6 => {
            put_ipv6(w, &a);
            out!(w, "/{plen}");
        }
    }
    Ok(())
}

/// Whether the `length` bytes of prefixes at `p` carry ADD-PATH path
/// identifiers, guessed as tcpdump does: they must parse with an
/// identifier before each, and must not parse as plain prefixes of
/// non-zero length. Bytes past the capture end the scan.
pub(super) fn has_path_ids(m: &[u8], p: usize, length: usize, max: u8) -> bool {
    if length < 5 {
        return false;
    }
    let mut off = 0usize;
    while off < length {
        off = off.saturating_add(4);
        let Some(&plen) = m.get(p.saturating_add(off)) else {
            break;
        };
        if plen > max {
            return false;
        }
        off = off.saturating_add(1 + usize::from(plen).div_ceil(8));
    }
    if off > length {
        return false;
    }
    off = 0;
    while off < length {
        let Some(&plen) = m.get(p.saturating_add(off)) else {
            break;
        };
        if plen < 1 || plen > max {
            return true;
        }
        off = off.saturating_add(1 + usize::from(plen).div_ceil(8));
    }
    off > length
}

/// Withdrawn routes, attribute types and NLRI as text (IPv4 prefixes
/// without path identifiers).
pub(super) fn json(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let wlen = usize::from(u16_at(m, 19)?);
    let withdrawn = json_prefixes(m, 21, wlen);
    let at = 21 + wlen;
    let alen = usize::from(u16_at(m, at)?);
    let mut kinds = Vec::new();
    let (mut reach, mut unreach) = (Vec::new(), Vec::new());
    let mut mp_read = Ok(());
    let mut p = at + 2;
    while p < at + 2 + alen {
        let (flags, kind) = (u8_at(m, p)?, u8_at(m, p + 1)?);
        kinds.push(Value::from(kind));
        let value = p + 2 + attr::len_len(flags);
        let len = attr::value_len(m, p + 2, flags)?;
        let read = match kind {
            14 => mp::json(&mut reach, m, value, len, true),
            15 => mp::json(&mut unreach, m, value, len, false),
            _ => Ok(()),
        };
        mp_read = mp_read.and(read);
        p = value + len;
    }
    o.insert("withdrawn".into(), json!(withdrawn?));
    o.insert("attributes".into(), Value::Array(kinds));
    // The multiprotocol attributes' families and prefixes, as far as read.
    for (key, list) in [("mp_reach", reach), ("mp_unreach", unreach)] {
        if !list.is_empty() {
            o.insert(key.into(), Value::Array(list));
        }
    }
    mp_read?;
    let nlri = m.len().checked_sub(at + 2 + alen).ok_or(Truncated)?;
    o.insert("nlri".into(), json!(json_prefixes(m, at + 2 + alen, nlri)?));
    Ok(())
}

fn json_prefixes(m: &[u8], at: usize, len: usize) -> Res<Vec<String>> {
    let mut list = Vec::new();
    let mut p = at;
    while p < at + len {
        let Prefix::Read(n) = prefix(m, p, at + len - p, Family::V4)? else {
            return Err(Truncated);
        };
        let mut w = Vec::new();
        put_prefix(&mut w, m, p, Family::V4)?;
        list.push(String::from_utf8_lossy(&w).into_owned());
        p += n;
    }
    Ok(list)
}

/// An IPv4 address at `at` (a next hop, an originator).
pub(super) fn put_v4(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    out!(w, "{}", ipv4_at(m, at)?);
    Ok(())
}
