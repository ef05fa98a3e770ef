//! Domain names: skipping one (no pointers followed), and printing one
//! with tcpdump's marks, following compression pointers only backwards and
//! for a bounded number of steps.

use super::Res;
use super::text::{put_chars, put_hex};
use crate::dissect::wire::u8_at;
use crate::dissect::{Truncated, put_num};

/// RFC 1035's limit on a name, as tcpdump counts it (labels and dots).
pub(super) const MAX_NAME: usize = 255;

/// Labels and pointers one HNCP name may take before its check gives up
/// ([`crate::dissect::hncp`]). DNS names have no such bound, as tcpdump's
/// have none: pointers only go backwards, so a walk ends, and past 255
/// characters nothing more is printed (`<DOMAIN NAME TOO LONG>` at the
/// end), however many labels and pointers a crafted message chains.
pub(in crate::dissect) const MAX_NAME_STEPS: usize = 512;

/// The end of the name at `at`, without following pointers (`None` when
/// it does not fit or has a label type tcpdump rejects).
pub(super) fn skip_name(m: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let b = *m.get(at)?;
        at += 1;
        match b & 0xc0 {
            _ if b == 0 => return Some(at),
            0xc0 => return Some(at + 1),
            0x40 if b == 0x41 => {
                let bits = bitlabel_bits(*m.get(at)?);
                at += 1 + bits.div_ceil(8);
            }
            0x40 | 0x80 => return None,
            _ => at += usize::from(b),
        }
    }
}

/// An EDNS0 bit-string label's length in bits (0 means 256).
pub(in crate::dissect) fn bitlabel_bits(b: u8) -> usize {
    if b == 0 { 256 } else { usize::from(b) }
}

/// The label-length byte at `at`, and the number of bytes the label's body
/// takes; unknown label types are named and end the name.
pub(super) fn label_head(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<(u8, usize)> {
    let b = u8_at(m, at)?;
    match b & 0xc0 {
        0x40 if b != 0x41 => {
            w.extend_from_slice(b"<ELT ");
            put_num(w, b & 0x3f);
            w.push(b'>');
            Err(Truncated)
        }
        0x40 => Ok((b, bitlabel_bits(u8_at(m, at + 1)?).div_ceil(8) + 1)),
        0x80 => {
            w.extend_from_slice(b"<BAD LABEL TYPE>");
            Err(Truncated)
        }
        _ => Ok((b, usize::from(b))),
    }
}

/// `\[x0102/12]`: an EDNS0 bit-string label whose bit count is at `at`.
pub(super) fn put_bitlabel(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let bits = bitlabel_bits(u8_at(m, at)?);
    w.extend_from_slice(b"\\[x");
    let mut left = bits;
    let mut p = at + 1;
    while left > 7 {
        put_hex(w, u8_at(m, p)?, 2);
        left -= 8;
        p += 1;
    }
    if left > 4 {
        put_hex(w, u8_at(m, p)? & (0xff << (8 - left)), 2);
    } else if left > 0 {
        put_hex(w, (u8_at(m, p)? >> 4) & (0x0f << (4 - left)), 1);
    }
    w.extend_from_slice(b"/");
    put_num(w, bits);
    w.push(b']');
    Ok(())
}

/// Print the name at `at` (following pointers, each strictly backwards)
/// and return where the bytes after it begin.
pub(super) fn put_name(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<usize> {
    put_name_based(w, m, at, 0)
}

/// [`put_name`] where a pointer's offset counts from `base` rather than
/// from the start of `m` (tcpdump's DHCPv6 names count from the end of
/// their option). The first pointer may go anywhere when the name lies
/// before `base`; each further one must point before the last.
pub(in crate::dissect) fn put_name_based(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    base: usize,
) -> Res<usize> {
    let (mut b, mut len) = label_head(w, m, at)?;
    let mut cur = at + 1;
    let mut lowest = at.checked_sub(base).unwrap_or(usize::MAX);
    // Until a pointer is followed, the end moves with each label; after,
    // it stays just past that pointer. A name that is only a pointer which
    // cannot be read has no end.
    let mut compressed = false;
    let mut end = (b & 0xc0 != 0xc0).then_some(cur + len);
    if b == 0 {
        w.push(b'.');
        return Ok(cur);
    }
    let mut chars = 0usize;
    while b != 0 && cur < m.len() {
        if b & 0xc0 == 0xc0 {
            if !compressed {
                end = Some(cur + 1);
                compressed = true;
            }
            let offset = (usize::from(b & 0x3f) << 8) | usize::from(u8_at(m, cur)?);
            if offset >= lowest {
                w.extend_from_slice(b"<BAD PTR>");
                return Err(Truncated);
            }
            lowest = offset;
            let target = base + offset;
            (b, len) = label_head(w, m, target)?;
            cur = target + 1;
            continue;
        }
        if b & 0xc0 == 0x40 {
            put_bitlabel(w, m, cur)?;
        } else {
            if chars + len <= MAX_NAME {
                put_chars(w, m, cur, len)?;
            } else if chars < MAX_NAME {
                put_chars(w, m, cur, MAX_NAME - chars)?;
            }
            chars += len;
        }
        cur += len;
        if chars <= MAX_NAME {
            w.push(b'.');
        }
        chars += 1;
        (b, len) = label_head(w, m, cur)?;
        cur += 1;
        if !compressed {
            end = end.map(|e| e + len + 1);
        }
    }
    if chars > MAX_NAME {
        w.extend_from_slice(b"<DOMAIN NAME TOO LONG>");
    }
    end.ok_or(Truncated)
}
