//! Route-target constraint (RFC 4684, IPv4 SAFI 132) as tcpdump prints
//! it: the origin AS and the route-target prefix, decoded by its extended
//! community type when 16 bits or more are there, with the prefix's bytes
//! in hex (`origin AS: 65001, route-target: 65000:7/64 (0002 fde8 0000
//! 0007)`), or `default route target` for a zero length.

use super::super::ctl::out;
use super::mp::Entry;
use crate::dissect::wire::{u8_at, u32_at};
use crate::dissect::{Stop, jumped};

/// The origin AS's bits, and the most the route target adds.
const AS_BITS: u8 = 32;
const RT_BITS: u8 = 64;

/// The membership route at `p`. tcpdump prints its own illegal-length
/// line here (one level deeper than the other families').
pub(super) fn route(w: &mut Vec<u8>, m: &[u8], p: usize) -> Result<Entry, Stop> {
    let plen = u8_at(m, p).map_err(jumped)?;
    if plen == 0 {
        w.extend_from_slice(b"default route target");
        return Ok(Entry::Read(1));
    }
    if plen < AS_BITS {
        return Ok(Entry::Illegal);
    }
    let asn = u32_at(m, p + 1).map_err(jumped)?;
    let bits = plen - AS_BITS;
    if bits > RT_BITS {
        return Ok(Entry::Illegal);
    }
    let n = usize::from(bits).div_ceil(8);
    let mut rt = [0u8; 8];
    let src = m.get(p + 5..p + 5 + n).ok_or(Stop::Jumped)?;
    rt.get_mut(..n).ok_or(Stop::Jumped)?.copy_from_slice(src);
    if !bits.is_multiple_of(8)
        && let Some(last) = rt.get_mut(n - 1)
    {
        *last &= 0xffu8 << (8 - bits % 8);
    }
    out!(w, "origin AS: {asn}, ");
    put_target(w, &rt, n, bits);
    Ok(Entry::Read(5 + n))
}

/// The route-target prefix of `bits` bits (`n` bytes of `rt`, the rest
/// zero).
fn put_target(w: &mut Vec<u8>, rt: &[u8; 8], n: usize, bits: u8) {
    if bits == 0 {
        w.extend_from_slice(b"route-target: 0:0/0");
        return;
    }
    let mut hex = String::new();
    for (i, b) in rt.iter().take(n).enumerate() {
        hex.push_str(&format!("{b:02x}"));
        if i % 2 == 1 && i + 1 < n {
            hex.push(' ');
        }
    }
    if bits < 16 {
        out!(w, "route-target: partial-type: ({hex}/{bits})");
        return;
    }
    let be = |at: usize, k: usize| {
        rt[at..at + k]
            .iter()
            .fold(0u64, |a, &b| a << 8 | u64::from(b))
    };
    match be(0, 2) {
        0x0002 => out!(w, "route-target: {}:{}/{bits} ({hex})", be(2, 2), be(4, 4)),
        0x0102 => out!(
            w,
            "route-target: {}.{}.{}.{}:{}/{bits} ({hex})",
            rt[2],
            rt[3],
            rt[4],
            rt[5],
            be(6, 2)
        ),
        0x0202 => out!(w, "route-target: {}:{}/{bits} ({hex})", be(2, 4), be(6, 2)),
        t => out!(w, "route target: unknown-type({t:04x}) ({hex}/{bits})"),
    }
}
