//! GMPLS's objects (RFC 3471, 3473; the OIF's UNI 1.0) as tcpdump prints
//! them: LABEL_REQUEST of every class-type (`L3 Protocol ID: IPv4`, the
//! ATM and frame relay label ranges, the generalized request's encoding,
//! switching type and payload), LABEL_SET (a list of subchannels or a
//! range), ADMIN_STATUS's bits and GENERALIZED_UNI's subobjects.

use super::names::{ADMIN_STATUS_FLAGS, GMPLS_PAYLOADS, LABEL_SET_ACTIONS, UNI_SUBOBJECTS};
use super::objects::{Body, v4, v6};
use crate::decode::names::ether_type;
use crate::dissect::ctl::{out, put_bits, tok};
use crate::dissect::lldp::AFS;
use crate::dissect::ospf::opaque::{ENCODINGS, SWITCH_CAPS};
use crate::dissect::wire::{Res, u8_at, u16_at, u32_at};

/// LABEL_REQUEST (`n` bytes from `p`, all captured) of class-type `ctype`.
pub(super) fn label_request(
    w: &mut Vec<u8>,
    m: &[u8],
    p: usize,
    n: usize,
    ctype: u8,
    i: &str,
) -> Res<Body> {
    match ctype {
        1 => {
            for k in 0..n / 4 {
                l3_protocol(w, m, p + 4 * k, i)?;
            }
        }
        2 | 3 if n < 12 => return Ok(Body::TooShort),
        2 => {
            l3_protocol(w, m, p, i)?;
            let merge = if u8_at(m, p + 4)? & 0x80 != 0 {
                "no"
            } else {
                ""
            };
            let vpi_vci = |at: usize| -> Res<(u16, u16)> {
                Ok((u16_at(m, at)? & 0xfff, u16_at(m, at + 2)? & 0xfff))
            };
            let (min, max) = (vpi_vci(p + 4)?, vpi_vci(p + 8)?);
            out!(
                w,
                ",{merge} merge capability{i}  Minimum VPI/VCI: {}/{}{i}  Maximum VPI/VCI: {}/{}",
                min.0,
                min.1,
                max.0,
                max.1
            );
        }
        3 => {
            l3_protocol(w, m, p, i)?;
            // The DLCI length: 0 is 10 bits, 2 is 23, tcpdump names no other.
            let dlci_len = (u16_at(m, p + 4)? >> 7) & 3;
            out!(
                w,
                "{i}  Minimum/Maximum DLCI: {}/{}, {}{} bit DLCI",
                u32_at(m, p + 4)? & 0x7f_ffff,
                u32_at(m, p + 8)? & 0x7f_ffff,
                if dlci_len == 0 { "10" } else { "" },
                if dlci_len == 2 { "23" } else { "" }
            );
        }
        4 => {
            if n < 4 {
                return Ok(Body::TooShort);
            }
            let (encoding, switching) = (u8_at(m, p)?, u8_at(m, p + 1)?);
            let payload = u16_at(m, p + 2)?;
            out!(
                w,
                "{i}  LSP Encoding Type: {} ({encoding}){i}  Switching Type: {} ({switching}), Payload ID: {} (0x{payload:04x})",
                tok(ENCODINGS, encoding).unwrap_or("Unknown"),
                tok(SWITCH_CAPS, switching).unwrap_or("Unknown"),
                tok(GMPLS_PAYLOADS, payload).unwrap_or("Unknown")
            );
        }
        _ => return Ok(Body::Hex(true)),
    }
    Ok(Body::Hex(false))
}

/// `L3 Protocol ID: IPv4`: the ethertype in the word at `at`'s low half.
fn l3_protocol(w: &mut Vec<u8>, m: &[u8], at: usize, i: &str) -> Res<()> {
    let t = u16_at(m, at + 2)?;
    match ether_type(t) {
        Some(name) => out!(w, "{i}  L3 Protocol ID: {name}"),
        None => out!(w, "{i}  L3 Protocol ID: Unknown Protocol (0x{t:04x})"),
    }
    Ok(())
}

/// LABEL_SET at class-type 1: the action and label type, then a range's
/// ends or the listed subchannels.
pub(super) fn label_set(w: &mut Vec<u8>, m: &[u8], p: usize, n: usize, i: &str) -> Res<Body> {
    if n < 4 {
        return Ok(Body::TooShort);
    }
    let action = u8_at(m, p)?;
    out!(
        w,
        "{i}  Action: {} ({action}), Label type: {}",
        tok(LABEL_SET_ACTIONS, action).unwrap_or("Unknown"),
        u32_at(m, p)? & 0x7f
    );
    if matches!(action, 2 | 3) {
        if n < 12 {
            return Ok(Body::TooShort);
        }
        out!(
            w,
            "{i}  Start range: {}, End range: {}",
            u32_at(m, p + 4)?,
            u32_at(m, p + 8)?
        );
    } else {
        for k in 1..n / 4 {
            out!(w, "{i}  Subchannel #{k}: {}", u32_at(m, p + 4 * k)?);
        }
    }
    Ok(Body::Hex(false))
}

/// ADMIN_STATUS at class-type 1: `Flags [Reflect, Admin-down]`.
pub(super) fn admin_status(w: &mut Vec<u8>, m: &[u8], p: usize, n: usize, i: &str) -> Res<Body> {
    if n < 4 {
        return Ok(Body::TooShort);
    }
    out!(w, "{i}  Flags [");
    put_bits(w, ADMIN_STATUS_FLAGS, u32_at(m, p)?, "none");
    w.push(b']');
    Ok(Body::Hex(false))
}

/// GENERALIZED_UNI at class-type 1: each subobject's header (its length
/// counts the header), the TNA addresses, egress label and service level
/// decoded, the others left to the object's hex dump. tcpdump says
/// ` (invalid)` and gives up on the message at a subobject shorter than
/// its header or longer than what is left, and at 1 to 3 bytes left.
pub(super) fn generalized_uni(w: &mut Vec<u8>, m: &[u8], p: usize, n: usize, i: &str) -> Res<Body> {
    if n < 4 {
        return Ok(Body::TooShort);
    }
    let (mut at, mut left, mut hex) = (p, n, false);
    while left > 0 {
        if left < 4 {
            w.extend_from_slice(b" (invalid)");
            return Ok(Body::Invalid);
        }
        let len = usize::from(u16_at(m, at)?);
        let (kind, af) = (u8_at(m, at + 2)?, u8_at(m, at + 3)?);
        out!(
            w,
            "{i}  Subobject Type: {} ({kind}), AF: {} ({af}), length: {len}",
            tok(UNI_SUBOBJECTS, kind).unwrap_or("Unknown"),
            tok(AFS, af).unwrap_or("Unknown")
        );
        if len < 4 || len > left {
            w.extend_from_slice(b" (invalid)");
            return Ok(Body::Invalid);
        }
        let too_short = Ok(Body::Error("sub-object is too short"));
        match (kind, af) {
            (1 | 2, 1) if len < 8 => return too_short,
            (1 | 2, 1) => out!(w, "{i}    UNI IPv4 TNA address: {}", v4(m, at + 4)?),
            (1 | 2, 2) if len < 20 => return too_short,
            (1 | 2, 2) => out!(w, "{i}    UNI IPv6 TNA address: {}", v6(m, at + 4)?),
            (1 | 2, 3) => hex = true,
            (1 | 2, _) => {}
            (3, _) => hex |= len > 4,
            (4, _) if len < 16 => return too_short,
            (4, _) => {
                let word = u32_at(m, at + 4)?;
                out!(
                    w,
                    "{i}    U-bit: {:x}, Label type: {}, Logical port id: {}, Label: {}",
                    word >> 31,
                    word & 0xff,
                    u32_at(m, at + 8)?,
                    u32_at(m, at + 12)?
                );
            }
            (5, _) if len < 8 => return too_short,
            (5, _) => out!(w, "{i}    Service level: {}", u32_at(m, at + 4)? >> 24),
            _ => hex = true,
        }
        left -= len;
        at += len;
    }
    Ok(Body::Hex(hex))
}
