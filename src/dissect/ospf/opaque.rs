//! OSPFv2's opaque LSAs (RFC 5250) as `tcpdump -v` prints them:
//! traffic engineering (RFC 3630, 4203, 4124: router address, link
//! sub-TLVs with bandwidths in Mbps), graceful restart (RFC 3623) and
//! router information (RFC 7770). tcpdump's walk is kept as it is, odd
//! turns included (a link TLV does not count against the LSA's length; a
//! shared-risk-group sub-TLV moves on twice its length), because the
//! lines must match.
//!
//! Each printer is given the bytes from the LSA's body to the end of the
//! capture and the body's declared length, and answers [`Walk::Done`]
//! (tcpdump goes on to its `-vv` dump), [`Walk::Stopped`] (it printed why
//! and skips to the next LSA) or `Err` (the capture ended where tcpdump
//! cannot go on: ` [|ospf]`).

use super::super::ctl::{Bit, ipv4_at, out, put_bits, tok};
use super::super::dns::text::put_hex_dump;
use super::super::wire::{Res, u8_at, u16_at, u32_at};

/// How an opaque LSA's walk ended.
pub(super) enum Walk {
    Done,
    Stopped,
}

/// Router information, grace and TE LSAs; `None` for another opaque type.
pub(super) fn print(w: &mut Vec<u8>, b: &[u8], len: usize, kind: u8, v: u8) -> Option<Res<Walk>> {
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    match kind {
        1 => Some(te(w, b, len, v)),
        3 => Some(Ok(grace(w, b, len, v))),
        4 => Some(router_info(w, b, len, v)),
        _ => None,
    }
}

/// The captured bytes from `at`, at most `n`.
fn avail(b: &[u8], at: usize, n: usize) -> &[u8] {
    let rest = b.get(at..).unwrap_or(&[]);
    rest.get(..n).unwrap_or(rest)
}

/// Whether `n` bytes from `at` were captured.
fn has(b: &[u8], at: usize, n: usize) -> bool {
    b.len() >= at.saturating_add(n)
}

/// TLVs are padded to four bytes.
fn padded(n: u32) -> u32 {
    n.div_ceil(4) * 4
}

const RI_TLVS: &[(u16, &str)] = &[(1, "Router Capabilities")];

const RI_CAPS: &[Bit] = &[
    (1, "Reserved"),
    (2, "Reserved"),
    (4, "Reserved"),
    (8, "Reserved"),
    (16, "graceful restart capable"),
    (32, "graceful restart helper"),
    (64, "Stub router support"),
    (128, "Traffic engineering"),
    (256, "p2p over LAN"),
    (512, "path computation server"),
];

/// Router information: capability bits, other TLVs in hex. Its checks
/// of the capture are the LSA printer's own, so a cut is ` [|ospf]`.
fn router_info(w: &mut Vec<u8>, b: &[u8], len: u32, v: u8) -> Res<Walk> {
    let (mut left, mut at) = (len, 0usize);
    while left != 0 {
        let (t, l) = (u16_at(b, at)?, u16_at(b, at + 2)?);
        if left < 4 {
            out!(w, "\n\t    Remaining LS length {left} < 4");
            return Ok(Walk::Stopped);
        }
        at += 4;
        left -= 4;
        let name = tok(RI_TLVS, t).unwrap_or("unknown");
        out!(w, "\n\t    {name} TLV ({t}), length: {l}, value: ");
        let l32 = u32::from(l);
        if l32 > left {
            out!(w, "\n\t    Bogus length {l} > remaining LS length {left}");
            return Ok(Walk::Stopped);
        }
        let l = usize::from(l);
        if !has(b, at, l) {
            return Err(super::Truncated);
        }
        match t {
            1 if l != 4 => {
                out!(w, "\n\t    Bogus length {l} != 4");
                return Ok(Walk::Stopped);
            }
            1 => {
                w.extend_from_slice(b"Capabilities: ");
                put_bits(w, RI_CAPS, u32_at(b, at)?, "Unknown");
            }
            _ if v <= 1 => put_hex_dump(w, avail(b, at, l), b"\n\t      "),
            _ => {}
        }
        at += l;
        left -= l32;
    }
    Ok(Walk::Done)
}

const GRACE_TLVS: &[(u16, &str)] = &[
    (1, "Grace Period"),
    (2, "Graceful restart Reason"),
    (3, "IPv4 interface address"),
];

const GRACE_REASONS: &[(u8, &str)] = &[
    (0, "Unknown"),
    (1, "Software Restart"),
    (2, "Software Reload/Upgrade"),
    (3, "Control Processor Switch"),
];

/// Graceful restart: period, reason, interface address. A cut capture
/// stops it quietly; a padded TLV longer than what is left wraps the
/// count (tcpdump's is unsigned) and the walk goes on into what follows.
fn grace(w: &mut Vec<u8>, b: &[u8], len: u32, v: u8) -> Walk {
    let (mut left, mut at) = (len, 0usize);
    while left > 0 {
        let (Ok(t), Ok(l)) = (u16_at(b, at), u16_at(b, at + 2)) else {
            return Walk::Stopped;
        };
        if left < 4 {
            out!(w, "\n\t    Remaining LS length {left} < 4");
            return Walk::Stopped;
        }
        at += 4;
        left -= 4;
        let name = tok(GRACE_TLVS, t).unwrap_or("unknown");
        out!(w, "\n\t    {name} TLV ({t}), length {l}, value: ");
        if u32::from(l) > left {
            out!(w, "\n\t    Bogus length {l} > {left}");
            return Walk::Stopped;
        }
        if t == 0 || l == 0 || !has(b, at, usize::from(l)) {
            return Walk::Stopped;
        }
        let want = match t {
            1 | 3 => 4,
            2 => 1,
            _ => l,
        };
        if l != want {
            out!(w, "\n\t    Bogus length {l} != {want}");
            return Walk::Stopped;
        }
        match t {
            1 => out!(w, "{}s", u32_at(b, at).unwrap_or(0)),
            2 => {
                let r = u8_at(b, at).unwrap_or(0);
                let name = tok(GRACE_REASONS, r).unwrap_or("Unknown");
                out!(w, "{name} ({r})");
            }
            3 => {
                if let Ok(a) = ipv4_at(b, at) {
                    out!(w, "{a}");
                }
            }
            _ if v <= 1 => put_hex_dump(w, avail(b, at, usize::from(l)), b"\n\t      "),
            _ => {}
        }
        let l = padded(u32::from(l));
        left = left.wrapping_sub(l);
        at += l as usize;
    }
    Walk::Done
}

const TE_TLVS: &[(u16, &str)] = &[(1, "Router Address"), (2, "Link")];

const TE_SUBTLVS: &[(u16, &str)] = &[
    (1, "Link Type"),
    (2, "Link ID"),
    (3, "Local Interface IP address"),
    (4, "Remote Interface IP address"),
    (5, "Traffic Engineering Metric"),
    (6, "Maximum Bandwidth"),
    (7, "Maximum Reservable Bandwidth"),
    (8, "Unreserved Bandwidth"),
    (9, "Administrative Group"),
    (11, "Link Local/Remote Identifier"),
    (14, "Link Protection Type"),
    (15, "Interface Switching Capability"),
    (16, "Shared Risk Link Group"),
    (17, "Bandwidth Constraints"),
];

const LINK_TYPES: &[(u8, &str)] = &[(1, "Point-to-point"), (2, "Multi-Access")];

pub(in crate::dissect) const BC_MODELS: &[(u8, &str)] = &[
    (0, "Russian dolls"),
    (1, "Maximum allocation"),
    (254, "Maximum allocation with E-LSP support"),
];

/// GMPLS link protection (RFC 4203), as tcpdump names the bits.
pub(in crate::dissect) const PROTECTION: &[Bit] = &[
    (0x01, "Extra Traffic"),
    (0x02, "Unprotected"),
    (0x04, "Shared"),
    (0x08, "Dedicated 1:1"),
    (0x10, "Dedicated 1+1"),
    (0x20, "Enhanced"),
    (0x40, "Reserved"),
    (0x80, "Reserved"),
];

pub(in crate::dissect) const SWITCH_CAPS: &[(u8, &str)] = &[
    (1, "Packet-Switch Capable-1"),
    (2, "Packet-Switch Capable-2"),
    (3, "Packet-Switch Capable-3"),
    (4, "Packet-Switch Capable-4"),
    (51, "Layer-2 Switch Capable"),
    (100, "Time-Division-Multiplex"),
    (150, "Lambda-Switch Capable"),
    (200, "Fiber-Switch Capable"),
];

pub(in crate::dissect) const ENCODINGS: &[(u8, &str)] = &[
    (1, "Packet"),
    (2, "Ethernet V2/DIX"),
    (3, "ANSI/ETSI PDH"),
    (4, "Reserved"),
    (5, "SDH ITU-T G.707/SONET ANSI T1.105"),
    (6, "Reserved"),
    (7, "Digital Wrapper"),
    (8, "Lambda (photonic)"),
    (9, "Fiber"),
    (10, "Reserved"),
    (11, "FiberChannel"),
];

/// A bandwidth (an IEEE float of bytes per second) in Mbps, computed in
/// single precision and printed as C's `%.3f` prints it.
pub(in crate::dissect) fn put_mbps(w: &mut Vec<u8>, bits: u32) {
    let f = f32::from_bits(bits) * 8.0 / 1_000_000.0;
    if f.is_nan() {
        let sign = if f.is_sign_negative() { "-" } else { "" };
        out!(w, "{sign}nan");
    } else {
        out!(w, "{f:.3}");
    }
    w.extend_from_slice(b" Mbps");
}

/// Traffic engineering: the router address and the link TLV's
/// sub-TLVs.
fn te(w: &mut Vec<u8>, b: &[u8], len: u32, v: u8) -> Res<Walk> {
    let (mut left, mut at) = (len, 0usize);
    while left != 0 {
        let (Ok(t), Ok(l)) = (u16_at(b, at), u16_at(b, at + 2)) else {
            return Ok(Walk::Stopped);
        };
        if left < 4 {
            out!(w, "\n\t    Remaining LS length {left} < 4");
            return Ok(Walk::Stopped);
        }
        at += 4;
        left -= 4;
        let name = tok(TE_TLVS, t).unwrap_or("unknown");
        out!(w, "\n\t    {name} TLV ({t}), length: {l}");
        if u32::from(l) > left {
            out!(w, "\n\t    Bogus length {l} > {left}");
            return Ok(Walk::Stopped);
        }
        if t == 0 || l == 0 {
            return Ok(Walk::Stopped);
        }
        let mut l = u32::from(l);
        match t {
            2 => {
                // tcpdump walks the link TLV with the TLV's own counter:
                // it ends at 0, and the LSA's count is not lowered.
                match link(w, b, &mut at, l, v)? {
                    Walk::Done => l = 0,
                    Walk::Stopped => return Ok(Walk::Stopped),
                }
            }
            1 => {
                if l < 4 {
                    out!(w, "\n\t    TLV length {l} < 4");
                    return Ok(Walk::Stopped);
                }
                out!(w, ", {}", ipv4_at(b, at)?);
            }
            _ if v <= 1 => put_hex_dump(w, avail(b, at, l as usize), b"\n\t      "),
            _ => {}
        }
        l = padded(l);
        if l > left {
            out!(w, "\n\t    Bogus padded length {l} > {left}");
            return Ok(Walk::Stopped);
        }
        left -= l;
        at += l as usize;
    }
    Ok(Walk::Done)
}

/// The link TLV's sub-TLVs, from `at` (moved along) for `left` bytes.
fn link(w: &mut Vec<u8>, b: &[u8], at: &mut usize, mut left: u32, v: u8) -> Res<Walk> {
    while left != 0 {
        if left < 4 {
            out!(w, "\n\t    Remaining TLV length {left} < 4");
            return Ok(Walk::Stopped);
        }
        let (t, l) = (u16_at(b, *at)?, u16_at(b, *at + 2)?);
        *at += 4;
        left -= 4;
        if t == 0 || l == 0 {
            w.extend_from_slice(b" (invalid)");
            return Ok(Walk::Stopped);
        }
        let name = tok(TE_SUBTLVS, t).unwrap_or("unknown");
        out!(w, "\n\t      {name} subTLV ({t}), length: {l}");
        let mut l = u32::from(l);
        if left < l {
            out!(w, "\n\t    Remaining TLV length {} < {}", left + 4, l + 4);
            return Ok(Walk::Stopped);
        }
        let n = l as usize;
        if !has(b, *at, n) {
            return Ok(Walk::Stopped);
        }
        let s = avail(b, *at, n);
        if !subtlv(w, s, t, v)? {
            w.extend_from_slice(b" (invalid)");
            return Ok(Walk::Stopped);
        }
        if t == 16 {
            // tcpdump steps through the groups with the same pointer.
            *at += n;
        }
        l = padded(l);
        if left < l {
            out!(w, "\n\t    Remaining TLV length {} < {}", left + 4, l + 4);
            return Ok(Walk::Stopped);
        }
        left -= l;
        *at += l as usize;
    }
    Ok(Walk::Done)
}

/// One link sub-TLV (`s`, all captured); `false` when its length is
/// wrong for its kind (after saying so).
fn subtlv(w: &mut Vec<u8>, s: &[u8], t: u16, v: u8) -> Res<bool> {
    let l = s.len();
    let wrong = |w: &mut Vec<u8>, what: &str| {
        w.extend_from_slice(what.as_bytes());
        Ok(false)
    };
    match t {
        9 | 3 | 4 | 6 | 7 | 5 | 14 if l != 4 => return wrong(w, " != 4"),
        2 | 11 if l != 4 && l != 8 => return wrong(w, " != 4 && != 8"),
        8 if l != 32 => return wrong(w, " != 32"),
        17 if l < 4 => return wrong(w, " < 4"),
        15 if l < 36 => return wrong(w, " < 36"),
        1 if l != 1 => return wrong(w, " != 1"),
        16 if !l.is_multiple_of(4) => return wrong(w, " != N x 4"),
        _ => {}
    }
    match t {
        9 => out!(w, ", 0x{:08x}", u32_at(s, 0)?),
        2 | 11 => {
            for at in (0..l).step_by(4) {
                out!(w, ", {} (0x{:08x})", ipv4_at(s, at)?, u32_at(s, at)?);
            }
        }
        3 | 4 => out!(w, ", {}", ipv4_at(s, 0)?),
        6 | 7 => {
            w.extend_from_slice(b", ");
            put_mbps(w, u32_at(s, 0)?);
        }
        8 => {
            for class in 0..8 {
                out!(w, "\n\t\tTE-Class {class}: ");
                put_mbps(w, u32_at(s, 4 * class)?);
            }
        }
        17 => {
            let model = u8_at(s, 0)?;
            let name = tok(BC_MODELS, model).unwrap_or("unknown");
            out!(w, "\n\t\tBandwidth Constraints Model ID: {name} ({model})");
            if !l.is_multiple_of(4) {
                out!(w, "\n\t\tlength {l} != N x 4");
                return Ok(false);
            }
            if l > 36 {
                out!(w, "\n\t\tlength {l} > 36");
                return Ok(false);
            }
            for class in 0..(l - 4) / 4 {
                out!(w, "\n\t\t  Bandwidth constraint CT{class}: ");
                put_mbps(w, u32_at(s, 4 + 4 * class)?);
            }
        }
        5 => out!(w, ", Metric {}", u32_at(s, 0)?),
        14 => {
            w.extend_from_slice(b", ");
            put_bits(w, PROTECTION, u32::from(u8_at(s, 0)?), "none");
        }
        15 => {
            let cap = tok(SWITCH_CAPS, u8_at(s, 0)?).unwrap_or("Unknown");
            let enc = tok(ENCODINGS, u8_at(s, 1)?).unwrap_or("Unknown");
            out!(
                w,
                "\n\t\tInterface Switching Capability: {cap}\n\t\tLSP Encoding: {enc}\n\t\tMax LSP Bandwidth:"
            );
            for level in 0..8 {
                out!(w, "\n\t\t  priority level {level}: ");
                put_mbps(w, u32_at(s, 4 + 4 * level)?);
            }
        }
        1 => {
            let kind = u8_at(s, 0)?;
            let name = tok(LINK_TYPES, kind).unwrap_or("unknown");
            out!(w, ", {name} ({kind})");
        }
        16 => {
            if l > 0 {
                w.extend_from_slice(b"\n\t\t  Shared risk group: ");
            }
            for at in (0..l).step_by(4) {
                if at > 0 {
                    w.extend_from_slice(b", ");
                }
                out!(w, "{}", u32_at(s, at)?);
            }
        }
        _ if v <= 1 => put_hex_dump(w, s, b"\n\t\t"),
        _ => {}
    }
    Ok(true)
}
