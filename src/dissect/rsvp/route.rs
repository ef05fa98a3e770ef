//! ERO and RRO subobjects (RFC 3209, RFC 4090's RRO flags) at
//! class-type 1, as tcpdump prints them: `Subobject Type: IPv4 prefix,
//! length 8, Loose, 10.0.0.3/32, Flags: [none]`, a label's flags,
//! class-type and value, the other types by name and length only.

use super::names::{CTYPES, ROUTE_SUBOBJECTS, RRO_FLAGS, RRO_LABEL_FLAGS};
use crate::dissect::ctl::{ipv4_at, out, put_bits, tok};
use crate::dissect::wire::{Res, u8_at, u32_at};

/// The subobjects in the `n` bytes from `p` (captured); `false` where
/// tcpdump gave up on the message (` (invalid)` after an IPv4 or label
/// subobject of the wrong length, an IPv4 prefix other than /32).
pub(super) fn print(w: &mut Vec<u8>, m: &[u8], mut p: usize, mut n: usize, i: &str) -> Res<bool> {
    while n >= 4 {
        let kind = u8_at(m, p)? & 0x7f;
        let len = usize::from(u8_at(m, p + 1)?);
        match tok(ROUTE_SUBOBJECTS, kind) {
            Some(name) => out!(w, "{i}  Subobject Type: {name}, length {len}"),
            None => out!(w, "{i}  Subobject Type: Unknown {kind}, length {len}"),
        }
        if n < len {
            out!(w, "{i}  ERROR: ERO subobject length > object length");
            break;
        }
        if len == 0 {
            out!(w, "{i}  ERROR: zero length ERO subtype");
            break;
        }
        match kind {
            1 | 3 if len != 8 => {
                w.extend_from_slice(b" ERROR: length != 8 (invalid)");
                return Ok(false);
            }
            1 => {
                let prefix = u8_at(m, p + 6)?;
                if prefix != 32 {
                    out!(w, " ERROR: Prefix length {prefix} != 32 (invalid)");
                    return Ok(false);
                }
                let loose = if u8_at(m, p)? & 0x80 != 0 {
                    "Loose"
                } else {
                    "Strict"
                };
                out!(w, ", {loose}, {}/{prefix}, Flags: [", ipv4_at(m, p + 2)?);
                put_bits(w, RRO_FLAGS, u32::from(u8_at(m, p + 7)?), "none");
                w.push(b']');
            }
            3 => {
                let (flags, ctype) = (u8_at(m, p + 2)?, u8_at(m, p + 3)?);
                w.extend_from_slice(b", Flags: [");
                put_bits(w, RRO_LABEL_FLAGS, u32::from(flags), "none");
                // C's `%#x`: no prefix for zero.
                if flags == 0 {
                    w.extend_from_slice(b"] (0)");
                } else {
                    out!(w, "] (0x{flags:x})");
                }
                out!(
                    w,
                    ", Class-Type: {} ({ctype}), {}",
                    tok(CTYPES, (21, ctype)).unwrap_or("Unknown"),
                    u32_at(m, p + 4)?
                );
            }
            _ => {}
        }
        n -= len;
        p += len;
    }
    Ok(true)
}
