//! How tcpdump writes what DNS carries: bytes with `M-`/`^` escapes,
//! hex, IPv6 addresses (inet_ntop's form), TTLs as `1h1m1s`.

use super::Res;
use crate::dissect::{Truncated, put_num};

/// One byte as tcpdump shows it: `M-` for the high bit, `^` and the
/// letter for control characters.
pub(in crate::dissect) fn put_char(w: &mut Vec<u8>, mut c: u8) {
    if c >= 0x80 {
        c &= 0x7f;
        w.extend_from_slice(b"M-");
    }
    if !(0x20..0x7f).contains(&c) {
        c ^= 0x40;
        w.push(b'^');
    }
    w.push(c);
}

/// Up to `n` bytes from `at`, escaped; what is there is printed even when
/// the message ends first (then: truncated).
pub(in crate::dissect) fn put_chars(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    let avail = m.get(at..).unwrap_or(&[]);
    let take = n.min(avail.len());
    for &c in avail.iter().take(take) {
        put_char(w, c);
    }
    if take < n { Err(Truncated) } else { Ok(()) }
}

pub(in crate::dissect) fn put_hex(w: &mut Vec<u8>, b: u8, digits: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    if digits == 2 {
        w.push(HEX[usize::from(b >> 4)]);
    }
    w.push(HEX[usize::from(b & 0xf)]);
}

/// An IPv6 address as inet_ntop writes it (which tcpdump uses).
pub(in crate::dissect) fn put_ipv6(w: &mut Vec<u8>, a: &[u8; 16]) {
    crate::decode::ip6_text::put_ipv6(w, a);
}

/// A TTL as tcpdump's relative time: `1h1m1s`, `0s`.
pub(in crate::dissect) fn put_ttl(w: &mut Vec<u8>, mut secs: u32) {
    if secs == 0 {
        w.extend_from_slice(b"0s");
        return;
    }
    for (unit, c) in [
        (31_536_000, b'y'),
        (604_800, b'w'),
        (86_400, b'd'),
        (3_600, b'h'),
        (60, b'm'),
        (1, b's'),
    ] {
        if secs >= unit {
            put_num(w, secs / unit);
            w.push(c);
            secs %= unit;
        }
    }
}

/// `n` in lower-case hex without leading zeros.
pub(super) fn put_hex_u16(w: &mut Vec<u8>, n: u16) {
    let mut started = false;
    for shift in [12, 8, 4, 0] {
        let nib = ((n >> shift) & 0xf) as u8;
        if nib != 0 || started || shift == 0 {
            put_hex(w, nib, 1);
            started = true;
        }
    }
}

/// tcpdump's hex dump (`-x`'s layout): 16 bytes a line in pairs, each
/// line after `prefix` (a newline and the indent) and its offset.
pub(in crate::dissect) fn put_hex_dump(w: &mut Vec<u8>, v: &[u8], prefix: &[u8]) {
    for (line, chunk) in v.chunks(16).enumerate() {
        w.extend_from_slice(prefix);
        w.extend_from_slice(b"0x");
        for b in ((line * 16) as u16).to_be_bytes() {
            put_hex(w, b, 2);
        }
        w.extend_from_slice(b": ");
        for (i, &b) in chunk.iter().enumerate() {
            if i % 2 == 0 {
                w.push(b' ');
            }
            put_hex(w, b, 2);
        }
    }
}
