//! The NSAP families of MP-BGP (AFI 3) as tcpdump prints them: CLNP
//! prefixes (SAFIs 1-3) and labeled VPN ones (SAFIs 128-130), and their
//! next hops. tcpdump reads a plain CLNP prefix's address three bytes
//! after where it is (at the length byte plus four, as for a labeled
//! prefix) but counts it from the length byte plus one; so does this.

use super::super::ctl::{ipv4_at, out};
use super::super::dns::text::put_ipv6;
use super::super::isis::put_nsap;
use super::mp::Entry;
use super::vpn::{self, RD, put_rd};
use crate::dissect::wire::{bytes_at, need, u8_at, u16_at, u32_at};
use crate::dissect::{Stop, jumped};

/// The longest NSAP prefix, in bits.
const MAX_BITS: u8 = 152;

/// The address bits of a prefix, copied into a zeroed NSAP with the bits
/// past `plen` cleared (tcpdump's copy; a read past the capture is its
/// `longjmp`).
fn address(m: &[u8], at: usize, plen: u8) -> Result<([u8; 19], usize), Stop> {
    let n = usize::from(plen).div_ceil(8);
    let mut a = [0u8; 19];
    let src = m.get(at..at + n).ok_or(Stop::Jumped)?;
    a.get_mut(..n).ok_or(Stop::Jumped)?.copy_from_slice(src);
    if !plen.is_multiple_of(8)
        && let Some(last) = a.get_mut(n - 1)
    {
        *last &= 0xffu8 << (8 - plen % 8);
    }
    Ok((a, n))
}

/// `49.0001.1921.6800/56`: a CLNP prefix at `p`.
pub(super) fn prefix(w: &mut Vec<u8>, m: &[u8], p: usize) -> Result<Entry, Stop> {
    let plen = u8_at(m, p).map_err(jumped)?;
    if plen > MAX_BITS {
        return Ok(Entry::Illegal);
    }
    let (a, n) = address(m, p + 4, plen)?;
    put_nsap(w, &a, 0, n)?;
    out!(w, "/{plen}");
    Ok(Entry::Read(1 + n))
}

/// `RD: 65001:7 (= 0.0.0.7), 49.0001.1921.6800/56, label:16 (bottom)`: a
/// labeled VPN CLNP prefix at `p`.
pub(super) fn vpn_prefix(w: &mut Vec<u8>, m: &[u8], p: usize) -> Result<Entry, Stop> {
    let plen = u8_at(m, p).map_err(jumped)?;
    let Some(plen) = plen.checked_sub(24 + 64).filter(|&n| n <= MAX_BITS) else {
        return Ok(Entry::Illegal);
    };
    let (a, n) = address(m, p + 12, plen)?;
    w.extend_from_slice(b"RD: ");
    put_rd(w, m, p + 4)?;
    w.extend_from_slice(b", ");
    put_nsap(w, &a, 0, n)?;
    out!(w, "/{plen}");
    vpn::put_label(w, m, p + 1)?;
    Ok(Entry::Read(12 + n))
}

/// The whole next-hop field of `len` bytes at `at` as one NSAP (captured,
/// or tcpdump's `longjmp`).
pub(super) fn next_hop(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Result<(), Stop> {
    need(m, at, len).map_err(jumped)?;
    Ok(put_nsap(w, m, at, len)?)
}

/// A VPN next hop: `RD: 0:0 (= 0.0.0.0), 47.0006.010a.0000.0100.00 =
/// 10.0.0.1` (an RFC 986 IPv4 or RFC 1888 IPv6 address shown as well);
/// `invalid len` below an RD and a byte.
pub(super) fn vpn_next_hop(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Result<(), Stop> {
    if len < RD + 1 {
        w.extend_from_slice(b"invalid len");
        return Ok(());
    }
    need(m, at, len)?;
    w.extend_from_slice(b"RD: ");
    put_rd(w, m, at)?;
    w.extend_from_slice(b", ");
    put_nsap(w, m, at + RD, len - RD)?;
    let nsap = at + RD;
    if u32_at(m, nsap).map_err(jumped)? == 0x4700_0601 {
        out!(w, " = {}", ipv4_at(m, nsap + 4).map_err(jumped)?);
    } else if u32::from(u16_at(m, nsap).map_err(jumped)?) << 8
        | u32::from(u8_at(m, nsap + 2).map_err(jumped)?)
        == 0x35_0000
    {
        w.extend_from_slice(b" = ");
        put_ipv6(w, &bytes_at::<16>(m, nsap + 3).map_err(jumped)?);
    }
    Ok(())
}
