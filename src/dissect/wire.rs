//! Bounded reads of a message's bytes, shared by every dissector: each
//! returns `Truncated` instead of reading past the end.

use super::Truncated;

pub(super) type Res<T> = Result<T, Truncated>;

pub(in crate::dissect) fn u8_at(m: &[u8], at: usize) -> Res<u8> {
    m.get(at).copied().ok_or(Truncated)
}

pub(in crate::dissect) fn u16_at(m: &[u8], at: usize) -> Res<u16> {
    match m.get(at..at.saturating_add(2)) {
        Some(&[a, b]) => Ok(u16::from_be_bytes([a, b])),
        _ => Err(Truncated),
    }
}

pub(in crate::dissect) fn u32_at(m: &[u8], at: usize) -> Res<u32> {
    match m.get(at..at.saturating_add(4)) {
        Some(&[a, b, c, d]) => Ok(u32::from_be_bytes([a, b, c, d])),
        _ => Err(Truncated),
    }
}

/// A 24-bit big-endian number (VXLAN-GPE's VNI, OTV's ids, NSH's service
/// path, IGRP's delay and bandwidth, LLDP's OUIs and MED fields).
pub(in crate::dissect) fn u24_at(m: &[u8], at: usize) -> Res<u32> {
    let [a, b, c] = bytes_at::<3>(m, at)?;
    Ok(u32::from_be_bytes([0, a, b, c]))
}

pub(in crate::dissect) fn bytes_at<const N: usize>(m: &[u8], at: usize) -> Res<[u8; N]> {
    m.get(at..at.saturating_add(N))
        .and_then(|s| <[u8; N]>::try_from(s).ok())
        .ok_or(Truncated)
}

/// `Err` unless `n` bytes from `at` were captured (tcpdump's
/// `ND_TCHECK_LEN`).
pub(in crate::dissect) fn need(m: &[u8], at: usize, n: usize) -> Res<()> {
    if at.checked_add(n).is_some_and(|end| end <= m.len()) {
        Ok(())
    } else {
        Err(Truncated)
    }
}

/// Little-endian reads, for the protocols that write their numbers so
/// (SMB).
pub(in crate::dissect) fn u16_le_at(m: &[u8], at: usize) -> Res<u16> {
    bytes_at::<2>(m, at).map(u16::from_le_bytes)
}

pub(in crate::dissect) fn u32_le_at(m: &[u8], at: usize) -> Res<u32> {
    bytes_at::<4>(m, at).map(u32::from_le_bytes)
}

pub(in crate::dissect) fn u64_le_at(m: &[u8], at: usize) -> Res<u64> {
    bytes_at::<8>(m, at).map(u64::from_le_bytes)
}

/// An `N`-byte little-endian number, `N` up to 8 (802.15.4's 24-, 40-
/// and 48-bit fields).
pub(in crate::dissect) fn uint_le_at<const N: usize>(m: &[u8], at: usize) -> Res<u64> {
    let b = bytes_at::<N>(m, at)?;
    Ok(b.iter().rev().fold(0, |n, &x| n << 8 | u64::from(x)))
}
