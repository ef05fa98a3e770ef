//! The multicast-VPN families of MP-BGP for IPv4, as tcpdump prints them:
//! MDT (SAFI 66, RFC 6037: RD, VPN address, group) and multicast VPN
//! routes (SAFI 5, RFC 6514: route type and length, then what tcpdump
//! reads of each type — RD, originator, source AS, source and group).
//! tcpdump builds an MVPN route's text in a buffer of 164 bytes, so a
//! longer text is cut at 163 characters; and it reads an S-PMSI route's
//! originator at the source, after the RD, sized by what the source and
//! group did not use.

use super::super::ctl::{ipv4_at, out};
use super::super::dns::text::put_ipv6;
use super::mp::Entry;
use super::names::{self, name};
use super::vpn::{RD, put_rd};
use crate::dissect::wire::{bytes_at, need, u8_at, u32_at};
use crate::dissect::{Stop, jumped};

/// tcpdump's text buffer for one route (`MAXHOSTNAMELEN + 100`), its
/// last byte the terminating NUL.
pub(super) const TEXT_BUFFER: usize = 164;

/// `RD: 65001:7 (= 0.0.0.7), VPN IP Address: 10.0.0.9, MC Group Address:
/// 239.1.1.1`: an MDT route at `p`, whose length must be 128 bits.
pub(super) fn mdt(w: &mut Vec<u8>, m: &[u8], p: usize) -> Result<Entry, Stop> {
    if u8_at(m, p).map_err(jumped)? != 128 {
        return Ok(Entry::Illegal);
    }
    need(m, p + 1, RD)?;
    let (address, group) = (
        ipv4_at(m, p + 1 + RD).map_err(jumped)?,
        ipv4_at(m, p + 5 + RD).map_err(jumped)?,
    );
    w.extend_from_slice(b"RD: ");
    put_rd(w, m, p + 1)?;
    out!(w, ", VPN IP Address: {address}, MC Group Address: {group}");
    Ok(Entry::Read(17))
}

/// `Route-Type: S-PMSI (3), length: 22, RD: …, Source 10.0.0.5, Group
/// 239.1.1.1, Originator …`: a multicast VPN route at `p`.
pub(super) fn mvpn(w: &mut Vec<u8>, m: &[u8], p: usize) -> Result<Entry, Stop> {
    let kind = u8_at(m, p).map_err(jumped)?;
    let len = u8_at(m, p + 1).map_err(jumped)?;
    let mut t = Vec::new();
    out!(
        t,
        "Route-Type: {} ({kind}), length: {len}",
        name(names::MVPN_ROUTES, kind, "Unknown")
    );
    let q = p + 2;
    match kind {
        1 => {
            need(m, q, RD)?;
            rd(&mut t, m, q)?;
            t.extend_from_slice(b", Originator ");
            // A length below the RD's wraps (`bogus address length`).
            put_ip(&mut t, m, q + RD, u32::from(len).wrapping_sub(8) << 3)?;
        }
        2 | 6 | 7 => {
            need(m, q, RD + 4)?;
            rd(&mut t, m, q)?;
            out!(t, ", Source-AS {}", u32_at(m, q + RD)?);
            if kind != 2 {
                source_group(&mut t, m, q + RD + 4)?;
            }
        }
        3 | 5 => {
            need(m, q, RD)?;
            rd(&mut t, m, q)?;
            let used = source_group(&mut t, m, q + RD)?;
            if kind == 3 {
                let left = u32::from(len).wrapping_sub(used);
                need(m, q + RD, left as usize)?;
                t.extend_from_slice(b", Originator ");
                put_ip(&mut t, m, q + RD, left << 3)?;
            }
        }
        _ => {}
    }
    t.truncate(TEXT_BUFFER - 1);
    w.extend_from_slice(&t);
    Ok(Entry::Read(usize::from(len) + 2))
}

/// `, RD: 65001:7 (= 0.0.0.7)`.
fn rd(w: &mut Vec<u8>, m: &[u8], at: usize) -> Result<(), Stop> {
    w.extend_from_slice(b", RD: ");
    Ok(put_rd(w, m, at)?)
}

/// An address of `bits` bits at `at`: IPv4 or IPv6, else tcpdump's
/// `bogus address length`.
fn put_ip(w: &mut Vec<u8>, m: &[u8], at: usize, bits: u32) -> Result<(), Stop> {
    match bits {
        32 => out!(w, "{}", ipv4_at(m, at).map_err(jumped)?),
        128 => put_ipv6(w, &bytes_at::<16>(m, at).map_err(jumped)?),
        _ => out!(w, "bogus address length {bits}"),
    }
    Ok(())
}

/// `, Source 10.0.0.5, Group 239.1.1.1`: the source and group at `at`,
/// each a length in bits and an address (none when 0); the bytes they
/// take. An address cut by the capture ends the pair there, counting
/// only what came before (tcpdump's own check).
fn source_group(w: &mut Vec<u8>, m: &[u8], at: usize) -> Result<u32, Stop> {
    let mut used = 0;
    let mut t = at;
    for label in [", Source ", ", Group "] {
        let bits = u8_at(m, t).map_err(jumped)?;
        t += 1;
        let bytes = usize::from(bits >> 3);
        if need(m, t, bytes).is_err() {
            return Ok(used);
        }
        used += u32::from(bits >> 3) + 1;
        if bits != 0 {
            w.extend_from_slice(label.as_bytes());
            put_ip(w, m, t, u32::from(bits))?;
            t += bytes;
        }
    }
    Ok(used)
}
