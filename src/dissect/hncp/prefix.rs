//! The prefixes and DNS names inside HNCP's TLVs, as tcpdump 4.99.3's
//! `print_prefix` and `print_dns_label` print them: a prefix is its
//! length byte and as many address bytes as the length covers, an
//! IPv4-mapped one (length 96 and more, the 12 mapped bytes first)
//! printed as IPv4 (`192.0.2.0/24`); a name is a run of labels up to a
//! zero one (no pointers), `[|DNS]` where they run out.

use crate::decode::ip6_text::Ip6;
use crate::dissect::ctl::{out, put_text_nul};
use crate::dissect::wire::{Res, bytes_at, u8_at};

/// The first 12 bytes of an IPv4-mapped IPv6 address.
pub(super) const MAPPED: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/// What reading a prefix came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Prefix {
    /// Printed; this many bytes (the length byte's and the address's).
    Read(usize),
    /// A length past the address's bits, nothing printed.
    TooLong,
    /// Its address bytes past `left`, nothing printed.
    Short,
}

/// `n` bytes of an address from `at`, the bits past `bits` cleared.
fn masked<const N: usize>(m: &[u8], at: usize, bits: usize) -> Res<[u8; N]> {
    let mut a = [0u8; N];
    let n = bits.div_ceil(8);
    for (i, b) in a.iter_mut().enumerate().take(n) {
        *b = u8_at(m, at + i)?;
    }
    if !bits.is_multiple_of(8) {
        a[n - 1] &= 0xff_u8 << (8 - bits % 8);
    }
    Ok(a)
}

/// The prefix at `at`, `left` bytes of the TLV from there.
pub(super) fn put_prefix(w: &mut Vec<u8>, m: &[u8], at: usize, left: usize) -> Res<Prefix> {
    let plen = usize::from(u8_at(m, at)?);
    if plen >= 96 && left > MAPPED.len() && bytes_at::<12>(m, at + 1)? == MAPPED {
        let bits = plen - 96;
        if bits > 32 {
            return Ok(Prefix::TooLong);
        }
        let bytes = bits.div_ceil(8);
        if left - 1 < bytes + MAPPED.len() {
            return Ok(Prefix::Short);
        }
        let [a, b, c, d] = masked::<4>(m, at + 1 + MAPPED.len(), bits)?;
        out!(w, "{a}.{b}.{c}.{d}/{bits}");
        return Ok(Prefix::Read(1 + MAPPED.len() + bytes));
    }
    if plen > 128 {
        return Ok(Prefix::TooLong);
    }
    let bytes = plen.div_ceil(8);
    if left - 1 < bytes {
        return Ok(Prefix::Short);
    }
    out!(w, "{}/{plen}", Ip6::from(masked::<16>(m, at + 1, plen)?));
    Ok(Prefix::Read(1 + bytes))
}

/// The labels at `at` within `max` bytes, `.`-separated: the bytes read
/// up to the zero label, or `None` after `[|DNS]` where they ran out.
pub(super) fn put_dns_label(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    max: usize,
) -> Res<Option<usize>> {
    let mut read = 0;
    while read < max {
        let label = usize::from(u8_at(m, at + read)?);
        read += 1;
        if label == 0 {
            return Ok(Some(read));
        }
        if read > 1 {
            w.push(b'.');
        }
        if read + label > max {
            put_text_nul(w, m, at + read, max - read)?;
            break;
        }
        put_text_nul(w, m, at + read, label)?;
        read += label;
    }
    w.extend_from_slice(b"[|DNS]");
    Ok(None)
}
