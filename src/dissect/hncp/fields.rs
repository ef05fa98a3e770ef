//! The fields of one HNCP TLV on its line, after its name and length, as
//! tcpdump 4.99.3 prints them (its `hncp_print_rec`'s cases): a body of a
//! size its type does not allow is ` (invalid)`; the TLVs some bodies
//! hold after their fields are the walk's ([`After::Nested`]).

use super::After;
use super::dhcp::{self, Bad};
use super::prefix::{Prefix, put_dns_label, put_prefix};
use crate::decode::ip6_text::Ip6;
use crate::dissect::Truncated;
use crate::dissect::ctl::{out, put_text_nul};
use crate::dissect::wire::{Res, bytes_at, u8_at, u32_at};

const INVALID: &[u8] = b" (invalid)";

/// `%02x:%02x:%02x:%02x`, a DNCP node identifier.
fn put_nid(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let [a, b, c, d] = bytes_at::<4>(m, at)?;
    out!(w, "{a:02x}:{b:02x}:{c:02x}:{d:02x}");
    Ok(())
}

/// Milliseconds as seconds, `%u.%03us`.
fn put_interval(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let ms = u32_at(m, at)?;
    out!(w, "{}.{:03}s", ms / 1000, ms % 1000);
    Ok(())
}

/// The 64-bit hash at `at`, 16 hex digits.
fn put_hash(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    out!(w, "{:016x}", u64::from_be_bytes(bytes_at::<8>(m, at)?));
    Ok(())
}

/// 256 bits (a fingerprint, a PSK) in 64 hex digits.
fn put_256(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    for i in 0..4 {
        put_hash(w, m, at + 8 * i)?;
    }
    Ok(())
}

/// An IPv6 address, or the IPv4 address an IPv4-mapped one holds.
pub(super) fn put_address(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let a = bytes_at::<16>(m, at)?;
    if a[..12] == super::prefix::MAPPED {
        out!(w, "{}.{}.{}.{}", a[12], a[13], a[14], a[15]);
    } else {
        out!(w, "{}", Ip6::from(a));
    }
    Ok(())
}

/// Where a TLV whose fields end `used` bytes into its body holds others:
/// after them rounded up to four bytes, when the body reaches there.
fn nested_after(used: usize, body: usize) -> After {
    let from = used + (used.wrapping_neg() & 3);
    if body >= from {
        After::Nested(from)
    } else {
        After::Next
    }
}

/// The one body size of the types that allow one.
fn exact_size(mask: u32) -> Option<usize> {
    match mask {
        2 => Some(4),
        3 | 4 => Some(8),
        8 => Some(12),
        _ => None,
    }
}

fn invalid(w: &mut Vec<u8>) -> Res<After> {
    w.extend_from_slice(INVALID);
    Ok(After::Next)
}

/// Print the fields of the TLV of type `mask` whose `body` bytes begin at
/// `at` (whole in `m`: the walk checked it), at depth `indent`. `Err`
/// only where tcpdump `longjmp`s: a name in a DHCP option read past the
/// capture.
pub(super) fn put(
    w: &mut Vec<u8>,
    m: &[u8],
    mask: u32,
    at: usize,
    body: usize,
    indent: usize,
) -> Res<After> {
    match mask {
        1 if body != 0 => return invalid(w),
        2 | 3 | 4 | 8 if Some(body) != exact_size(mask) => return invalid(w),
        2 => {
            w.extend_from_slice(b" NID: ");
            put_nid(w, m, at)?;
        }
        3 => {
            w.extend_from_slice(b" NID: ");
            put_nid(w, m, at)?;
            out!(w, " EPID: {:08x}", u32_at(m, at + 4)?);
        }
        4 => {
            w.extend_from_slice(b" hash: ");
            put_hash(w, m, at)?;
        }
        5 => {
            if body < 20 {
                return invalid(w);
            }
            w.extend_from_slice(b" NID: ");
            put_nid(w, m, at)?;
            out!(w, " seqno: {} ", u32_at(m, at + 4)?);
            put_interval(w, m, at + 8)?;
            w.extend_from_slice(b" hash: ");
            put_hash(w, m, at + 12)?;
            return Ok(After::Nested(20));
        }
        8 => {
            w.extend_from_slice(b" Peer-NID: ");
            put_nid(w, m, at)?;
            out!(
                w,
                " Peer-EPID: {:08x} Local-EPID: {:08x}",
                u32_at(m, at + 4)?,
                u32_at(m, at + 8)?
            );
        }
        9 => {
            if body < 8 {
                return invalid(w);
            }
            out!(w, " EPID: {:08x} Interval: ", u32_at(m, at)?);
            put_interval(w, m, at + 4)?;
        }
        10 => {
            if body <= 36 {
                return invalid(w);
            }
            out!(w, " Verdict: {} Fingerprint: ", u8_at(m, at)?);
            put_256(w, m, at + 4)?;
            w.extend_from_slice(b" Common Name: ");
            put_text_nul(w, m, at + 36, body - 36)?;
        }
        32 => {
            if body < 5 {
                return invalid(w);
            }
            let [hi, lo] = bytes_at::<2>(m, at + 2)?;
            out!(
                w,
                " M: {} P: {} H: {} L: {} User-agent: ",
                hi >> 4,
                hi & 15,
                lo >> 4,
                lo & 15
            );
            put_text_nul(w, m, at + 4, body - 4)?;
        }
        33 => return Ok(After::Nested(0)),
        34 => return delegated_prefix(w, m, at, body),
        35 => return assigned_prefix(w, m, at, body),
        36 => {
            if body < 20 {
                return invalid(w);
            }
            out!(w, " EPID: {:08x} IP Address: ", u32_at(m, at)?);
            put_address(w, m, at + 4)?;
            return Ok(After::Nested(20));
        }
        37 | 38 if body == 0 => return invalid(w),
        37 => match dhcp::put_options(w, m, (at, body), indent + 1, &dhcp::V4) {
            Err(Bad::Jump) => return Err(Truncated),
            Err(Bad::Invalid) => return Ok(After::EndLevel),
            Ok(()) => {}
        },
        38 => match dhcp::put_options(w, m, (at, body), indent + 1, &dhcp::V6) {
            Err(Bad::Jump) => return Err(Truncated),
            Err(Bad::Invalid) => w.extend_from_slice(INVALID),
            Ok(()) => {}
        },
        39 => return dns_zone(w, m, at, body),
        40 => {
            if body == 0 {
                return invalid(w);
            }
            w.extend_from_slice(b" Domain: ");
            put_dns_label(w, m, at, body)?;
        }
        41 => return node_name(w, m, at, body),
        42 => {
            if body < 32 {
                return invalid(w);
            }
            w.extend_from_slice(b" PSK: ");
            put_256(w, m, at)?;
            return Ok(After::Nested(32));
        }
        43 => policy(w, m, at, body)?,
        _ => {}
    }
    Ok(After::Next)
}

/// Whether a prefix of the length byte at `plen_at` fits in what the body
/// leaves from there.
fn prefix_fits(m: &[u8], plen_at: usize, left: usize) -> Res<bool> {
    Ok(left > usize::from(u8_at(m, plen_at)?).div_ceil(8))
}

fn delegated_prefix(w: &mut Vec<u8>, m: &[u8], at: usize, body: usize) -> Res<After> {
    if body < 9 || !prefix_fits(m, at + 8, body - 8)? {
        return invalid(w);
    }
    w.extend_from_slice(b" VLSO: ");
    put_interval(w, m, at)?;
    w.extend_from_slice(b" PLSO: ");
    put_interval(w, m, at + 4)?;
    w.extend_from_slice(b" Prefix: ");
    match put_prefix(w, m, at + 8, body - 8)? {
        Prefix::TooLong => w.extend_from_slice(b"(length is invalid)"),
        Prefix::Short => return invalid(w),
        Prefix::Read(n) => return Ok(nested_after(8 + n, body)),
    }
    Ok(After::Next)
}

fn assigned_prefix(w: &mut Vec<u8>, m: &[u8], at: usize, body: usize) -> Res<After> {
    if body < 6 || !prefix_fits(m, at + 5, body - 5)? {
        return invalid(w);
    }
    out!(
        w,
        " EPID: {:08x} Prty: {}",
        u32_at(m, at)?,
        u8_at(m, at + 4)? & 15
    );
    w.extend_from_slice(b" Prefix: ");
    match put_prefix(w, m, at + 5, body - 5)? {
        Prefix::Read(n) => Ok(nested_after(5 + n, body)),
        _ => invalid(w),
    }
}

fn dns_zone(w: &mut Vec<u8>, m: &[u8], at: usize, body: usize) -> Res<After> {
    if body < 17 {
        return invalid(w);
    }
    w.extend_from_slice(b" IP-Address: ");
    put_address(w, m, at)?;
    let flags = u8_at(m, at + 16)?;
    let flag = |bit: u8, c: u8| if flags & bit != 0 { c } else { b'-' };
    w.extend_from_slice(&[b' ', flag(4, b'l'), flag(2, b'b'), flag(1, b's'), b' ']);
    match put_dns_label(w, m, at + 17, body - 17)? {
        Some(n) => Ok(nested_after(17 + n, body)),
        None => invalid(w),
    }
}

fn node_name(w: &mut Vec<u8>, m: &[u8], at: usize, body: usize) -> Res<After> {
    if body < 17 {
        return invalid(w);
    }
    let n = usize::from(u8_at(m, at + 16)?);
    if body < 17 + n {
        return invalid(w);
    }
    w.extend_from_slice(b" IP-Address: ");
    put_address(w, m, at)?;
    w.extend_from_slice(b" Name: ");
    if n < 64 {
        w.push(b'"');
        put_text_nul(w, m, at + 17, n)?;
        w.push(b'"');
    } else {
        w.extend_from_slice(INVALID);
    }
    Ok(nested_after(17 + n, body))
}

/// A prefix policy: its type byte says what follows.
fn policy(w: &mut Vec<u8>, m: &[u8], at: usize, body: usize) -> Res<()> {
    if body < 1 {
        w.extend_from_slice(INVALID);
        return Ok(());
    }
    w.extend_from_slice(b" type: ");
    match u8_at(m, at)? {
        0 | 131 if body != 1 => w.extend_from_slice(INVALID),
        0 => w.extend_from_slice(b"Internet connectivity"),
        131 => w.extend_from_slice(b"Restrictive assignment"),
        1..=128 => {
            w.extend_from_slice(b"Dest-Prefix: ");
            match put_prefix(w, m, at, body)? {
                Prefix::TooLong => w.extend_from_slice(b"(length is invalid)"),
                Prefix::Short => w.extend_from_slice(INVALID),
                Prefix::Read(_) => {}
            }
        }
        129 => {
            w.extend_from_slice(b"DNS domain: ");
            put_dns_label(w, m, at + 1, body - 1)?;
        }
        130 => {
            w.extend_from_slice(b"Opaque UTF-8: ");
            put_text_nul(w, m, at + 1, body - 1)?;
        }
        t => out!(w, "Unknown ({t})"),
    }
    Ok(())
}
