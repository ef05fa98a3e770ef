//! The labeled families of MP-BGP as tcpdump prints them: labeled
//! unicast (RFC 8277, SAFI 4) and L3VPN (RFC 4364, SAFI 128) prefixes —
//! one label (tcpdump reads only the first; further labels count as
//! prefix bits), the route distinguisher of a VPN route, the prefix —
//! and the route distinguisher before a VPN next hop.

use super::super::ctl::{ipv4_at, out};
use super::mp::Entry;
use super::update::{Family, put_address};
use crate::dissect::wire::{Res, need, u8_at, u16_at, u32_at};
use crate::dissect::{Stop, Truncated};
use serde_json::{Map, Value, json};

/// A labeled prefix's label field and an RD's size.
const LABEL: usize = 3;
pub(super) const RD: usize = 8;

/// A labeled-unicast prefix at `p` in an attribute of `room` bytes
/// (tcpdump compares with the attribute's whole length, not what is
/// left): `10.1.2.0/24, label:16 (bottom)`. tcpdump checks the length
/// and label bytes itself (`Checked`), compares the IPv4 address bytes
/// with the room (IPv6's it does not), then reads them unchecked
/// (`Jumped`).
pub(super) fn labeled(
    w: &mut Vec<u8>,
    m: &[u8],
    p: usize,
    room: usize,
    f: Family,
) -> Result<Entry, Stop> {
    need(m, p, 1 + LABEL)?;
    if room < 1 + LABEL {
        return Ok(Entry::Short);
    }
    let Some(plen) = bits(u8_at(m, p)?, 24, f) else {
        return Ok(Entry::Illegal);
    };
    let bytes = usize::from(plen).div_ceil(8);
    if f == Family::V4 && room - (1 + LABEL) < bytes {
        return Ok(Entry::Short);
    }
    need(m, p + 1 + LABEL, bytes).map_err(|_| Stop::Jumped)?;
    put_address(w, m, p + 1 + LABEL, plen, f)?;
    put_label(w, m, p + 1)?;
    Ok(Entry::Read(1 + LABEL + bytes))
}

/// A VPN prefix at `p`: `RD: 65001:7 (= 0.0.0.7), 10.1.2.0/24, label:16
/// (bottom)`. tcpdump reads it all unchecked and does not compare it with
/// the attribute's length.
pub(super) fn vpn(w: &mut Vec<u8>, m: &[u8], p: usize, f: Family) -> Result<Entry, Stop> {
    let jumped = |_| Stop::Jumped;
    let Some(plen) = bits(u8_at(m, p).map_err(jumped)?, 24 + 64, f) else {
        return Ok(Entry::Illegal);
    };
    let at = p + 1 + LABEL + RD;
    let bytes = usize::from(plen).div_ceil(8);
    need(m, p, 1 + LABEL + RD + bytes).map_err(jumped)?;
    w.extend_from_slice(b"RD: ");
    put_rd(w, m, p + 1 + LABEL).map_err(jumped)?;
    w.extend_from_slice(b", ");
    put_address(w, m, at, plen, f).map_err(jumped)?;
    put_label(w, m, p + 1).map_err(jumped)?;
    Ok(Entry::Read(1 + LABEL + RD + bytes))
}

/// The prefix length left after `taken` bits of label and RD, if the
/// family allows it.
fn bits(plen: u8, taken: u8, f: Family) -> Option<u8> {
    plen.checked_sub(taken).filter(|&n| n <= f.max_len())
}

/// `, label:16 (bottom)`: the 20-bit label of the 3 bytes at `at` and
/// its bottom-of-stack bit.
pub(super) fn put_label(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let field = u32::from(u16_at(m, at)?) << 8 | u32::from(u8_at(m, at + 2)?);
    let bottom = if field & 1 == 0 {
        "(BOGUS: Bottom of Stack NOT set!)"
    } else {
        "(bottom)"
    };
    out!(w, ", label:{} {bottom}", field >> 4);
    Ok(())
}

/// A route distinguisher at `at` in tcpdump's words for each type
/// (2-byte AS, IPv4 address, 4-byte AS).
pub(in crate::dissect) fn put_rd(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    match u16_at(m, at)? {
        0 => out!(
            w,
            "{}:{} (= {})",
            u16_at(m, at + 2)?,
            u32_at(m, at + 4)?,
            ipv4_at(m, at + 4)?
        ),
        1 => out!(w, "{}:{}", ipv4_at(m, at + 2)?, u16_at(m, at + 6)?),
        2 => {
            let n = u16_at(m, at + 6)?;
            out!(
                w,
                "{}:{n} ({}:{n})",
                u32_at(m, at + 2)?,
                ipv4_at(m, at + 2)?
            );
        }
        _ => w.extend_from_slice(b"unknown RD format"),
    }
    Ok(())
}

/// A labeled (or, with `vpn`, VPN) prefix at `p` for `--json`: its
/// prefix, label, bottom-of-stack bit and RD, and its size; `Truncated`
/// where the printer stops.
pub(super) fn json(m: &[u8], p: usize, f: Family, vpn: bool) -> Res<(Value, usize)> {
    let head = 1 + LABEL + if vpn { RD } else { 0 };
    let taken = if vpn { 24 + 64 } else { 24 };
    let plen = bits(u8_at(m, p)?, taken, f).ok_or(Truncated)?;
    let bytes = usize::from(plen).div_ceil(8);
    let mut prefix = Vec::new();
    put_address(&mut prefix, m, p + head, plen, f)?;
    let field = u32::from(u16_at(m, p + 1)?) << 8 | u32::from(u8_at(m, p + 3)?);
    let mut o = Map::new();
    o.insert("prefix".into(), json!(String::from_utf8_lossy(&prefix)));
    o.insert("label".into(), json!(field >> 4));
    o.insert("bottom_of_stack".into(), json!(field & 1 == 1));
    if vpn {
        let mut rd = Vec::new();
        put_rd(&mut rd, m, p + 1 + LABEL)?;
        o.insert("rd".into(), json!(String::from_utf8_lossy(&rd)));
    }
    Ok((Value::Object(o), head + bytes))
}
