//! RSVP-TE's later objects as tcpdump prints them: FAST_REROUTE and
//! DETOUR (RFC 4090), S2L_SUB_LSP (RFC 4875), CAPABILITY (RFC 5063) and
//! Juniper's PROPERTIES TLVs.

use super::intserv::put_g10;
use super::names::{CAPABILITY_FLAGS, PROPERTY_TLVS};
use super::objects::{Body, v4, v6};
use crate::dissect::ctl::{out, put_bits, tok, unknown_data};
use crate::dissect::wire::{Res, u8_at, u16_at, u32_at};

/// FAST_REROUTE at class-type 1 (20 bytes: priorities, hop limit,
/// bandwidth, three attribute filters) or 7, the old one (16 bytes, two
/// colour masks).
pub(super) fn fast_reroute(
    w: &mut Vec<u8>,
    m: &[u8],
    p: usize,
    n: usize,
    ctype: u8,
    i: &str,
) -> Res<Body> {
    let size = match ctype {
        1 => 20,
        7 => 16,
        _ => return Ok(Body::Hex(true)),
    };
    if n < size {
        return Ok(Body::TooShort);
    }
    out!(
        w,
        "{i}  Setup Priority: {}, Holding Priority: {}, Hop-limit: {}, Bandwidth: ",
        u8_at(m, p)?,
        u8_at(m, p + 1)?,
        u8_at(m, p + 2)?
    );
    // Bytes per second in single precision, as tcpdump computes it.
    let bandwidth = f32::from_bits(u32_at(m, p + 4)?) * 8.0 / 1_000_000.0;
    put_g10(w, f64::from(bandwidth));
    w.extend_from_slice(b" Mbps");
    let (any, exclude) = (u32_at(m, p + 8)?, u32_at(m, p + 12)?);
    if ctype == 1 {
        out!(
            w,
            "{i}  Include-any: 0x{any:08x}, Exclude-any: 0x{exclude:08x}, Include-all: 0x{:08x}",
            u32_at(m, p + 16)?
        );
    } else {
        out!(
            w,
            "{i}  Include Colors: 0x{any:08x}, Exclude Colors: 0x{exclude:08x}"
        );
    }
    Ok(Body::Hex(false))
}

/// DETOUR at class-type 7: each 8 bytes a PLR and the node it avoids.
pub(super) fn detour(w: &mut Vec<u8>, m: &[u8], p: usize, n: usize, i: &str) -> Res<Body> {
    for k in 0..n / 8 {
        out!(
            w,
            "{i}  PLR-ID: {}, Avoid-Node-ID: {}",
            v4(m, p + 8 * k)?,
            v4(m, p + 8 * k + 4)?
        );
    }
    Ok(Body::Hex(false))
}

/// S2L_SUB_LSP: the sub-LSP's destination, IPv4 (class-type 1) or IPv6.
pub(super) fn s2l(w: &mut Vec<u8>, m: &[u8], p: usize, n: usize, ctype: u8, i: &str) -> Res<Body> {
    let addr = match ctype {
        1 if n < 4 => return Ok(Body::TooShort),
        1 => v4(m, p)?,
        2 if n < 16 => return Ok(Body::TooShort),
        2 => v6(m, p)?,
        _ => return Ok(Body::Hex(true)),
    };
    out!(w, "{i}  Sub-LSP destination address: {addr}");
    Ok(Body::Hex(false))
}

/// CAPABILITY at class-type 1: the reserved bits when set, then the
/// three flags.
pub(super) fn capability(w: &mut Vec<u8>, m: &[u8], p: usize, n: usize, i: &str) -> Res<Body> {
    if n < 4 {
        return Ok(Body::TooShort);
    }
    let word = u32_at(m, p)?;
    if word & !7 != 0 {
        out!(w, "{i}  [reserved=0x{:08x} must be zero]", word & !7);
    }
    out!(w, "{i}  Flags: [");
    put_bits(w, CAPABILITY_FLAGS, word & 7, "none");
    w.push(b']');
    Ok(Body::Hex(false))
}

/// PROPERTIES at class-type 1: the TLV count and padding, then each TLV
/// (a byte of type, a byte of length counting both) and its value in
/// hex, while more than the padding and a TLV header is left.
pub(super) fn properties(w: &mut Vec<u8>, m: &[u8], p: usize, n: usize, i: &str) -> Res<Body> {
    if n < 4 {
        return Ok(Body::TooShort);
    }
    let padding = usize::from(u16_at(m, p + 2)?);
    out!(
        w,
        "{i}  TLV count: {}, padding bytes: {padding}",
        u16_at(m, p)?
    );
    let (mut at, mut left) = (p + 4, n - 4);
    while left >= 2 + padding {
        let (kind, len) = (u8_at(m, at)?, usize::from(u8_at(m, at + 1)?));
        out!(
            w,
            "{i}    {} TLV (0x{kind:02x}), length: {len}",
            tok(PROPERTY_TLVS, kind).unwrap_or("unknown")
        );
        if left < len {
            return Ok(Body::TooShort);
        }
        if len < 2 {
            return Ok(Body::Error("property TLV is too short"));
        }
        unknown_data(w, m, at + 2, "\n\t\t", len - 2);
        left -= len;
        at += len;
    }
    Ok(Body::Hex(false))
}
