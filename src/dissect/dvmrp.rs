//! DVMRP (IGMP type 0x13; draft-ietf-idmr-dvmrp-v3): the message type
//! (the IGMP code byte) and what tcpdump prints of each — a probe's
//! generation id (`-v`) and neighbours (`-vv`), a route report's masks and
//! routes (`-vv`), the old and the version-2 neighbour lists (every
//! level), a prune's source, group and lifetime, a graft's and its
//! acknowledgement's source and group. IGMP's printer names the message
//! (`igmp dvmrp`) and hands over here once the 8-byte header is there.
//!
//! Two ways a line ends early, as tcpdump's: a length the message
//! declares too short for what comes next prints a note and
//! ` (invalid)`, and the printers around go on (IGMP's checksum at `-v`);
//! a read past the capture is an `Err` here, ` [|dvmrp]` after what was
//! printed, and nothing after it.

use super::ctl::{ipv4_at, out};
use super::dns::text::put_ttl;
use super::wire::{Res, u8_at, u32_at};
use std::net::Ipv4Addr;

/// A message type's name, for the line and `--json` (`None`: tcpdump's
/// `[type N]`).
pub(super) fn type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "Probe",
        2 => "Report",
        3 => "Ask-neighbors(old)",
        4 => "Neighbors(old)",
        5 => "Ask-neighbors2",
        6 => "Neighbors2",
        7 => "Prune",
        8 => "Graft",
        9 => "Graft-ACK",
        _ => return None,
    })
}

/// Where the body starts: after the IGMP header.
const BODY: usize = 8;

/// The neighbour flags tcpdump names in a Neighbors2 entry, in its order.
const NEIGHBOR_FLAGS: &[(u8, &str)] = &[
    (0x01, "tunnel"),
    (0x02, "srcrt"),
    (0x40, "querier"),
    (0x20, "disabled"),
    (0x10, "down"),
];

/// The text after `igmp dvmrp` of the message `m` (`len` bytes long, at
/// least the header's eight), as tcpdump prints it at verbosity `v`;
/// false when the capture ended it (` [|dvmrp]`, and nothing may follow).
pub(super) fn write(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> bool {
    let whole = body(w, m, len, v).is_ok();
    if !whole {
        w.extend_from_slice(b" [|dvmrp]");
    }
    whole
}

/// What tcpdump prints when a declared length falls short.
fn invalid(w: &mut Vec<u8>) -> Res<()> {
    w.extend_from_slice(b" (invalid)");
    Ok(())
}

fn body(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    let kind = u8_at(m, 1)?;
    let rest = len.saturating_sub(BODY);
    match type_name(kind) {
        Some(name) => out!(w, " {name}"),
        None => {
            out!(w, " [type {kind}]");
            return Ok(());
        }
    }
    match kind {
        1 if v > 0 => probe(w, m, rest, v),
        2 if v > 1 => report(w, m, rest),
        4 => neighbors_old(w, m, rest),
        6 => {
            // The sender's version rides in the IGMP header's last bytes.
            out!(w, " (v {}.{}):", u8_at(m, 7)?, u8_at(m, 6)?);
            neighbors2(w, m, rest)
        }
        7 => {
            source_group(w, m)?;
            w.extend_from_slice(b" timer ");
            put_ttl(w, u32_at(m, BODY + 8)?);
            Ok(())
        }
        8 | 9 => source_group(w, m),
        _ => Ok(()),
    }
}

/// A prune's or a graft's ` src S grp G`, read whatever the length says.
fn source_group(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    let (src, grp) = (ipv4_at(m, BODY)?, ipv4_at(m, BODY + 4)?);
    out!(w, " src {src} grp {grp}");
    Ok(())
}

/// The generation id (`-v`: on the line; `-vv`: on a line of its own,
/// and then each neighbour).
fn probe(w: &mut Vec<u8>, m: &[u8], mut len: usize, v: u8) -> Res<()> {
    if len < 4 {
        out!(w, " [full length {len} < 4]");
        return invalid(w);
    }
    // The separator goes out before the id is read.
    w.extend_from_slice(if v < 2 { b" " } else { b"\n\t" });
    out!(w, "genid {}", u32_at(m, BODY)?);
    if v < 2 {
        return Ok(());
    }
    let mut at = BODY + 4;
    len -= 4;
    while len > 0 {
        if len < 4 {
            out!(w, "[remaining length {len} < 4]");
            return invalid(w);
        }
        out!(w, "\n\tneighbor {}", ipv4_at(m, at)?);
        at += 4;
        len -= 4;
    }
    Ok(())
}

/// A route report (`-vv`): each mask (its first byte is always 255 and
/// not sent), then its routes, each origin in as many bytes as the mask
/// has significant ones, and a metric whose top bit ends the mask's list.
fn report(w: &mut Vec<u8>, m: &[u8], mut len: usize) -> Res<()> {
    let mut at = BODY;
    while len > 0 {
        if len < 3 {
            out!(w, " [length {len} < 3]");
            return invalid(w);
        }
        let low = [u8_at(m, at)?, u8_at(m, at + 1)?, u8_at(m, at + 2)?];
        let mask = [255, low[0], low[1], low[2]];
        // One byte for the mask's first octet, one more up to its last
        // non-zero one.
        let width = 1 + low.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        out!(w, "\n\tMask {}", Ipv4Addr::from(mask));
        at += 3;
        len -= 3;
        loop {
            if len < width + 1 {
                w.extend_from_slice(b"\n\t  [Truncated Report]");
                return invalid(w);
            }
            let mut origin = [0u8; 4];
            for (i, byte) in origin.iter_mut().take(width).enumerate() {
                *byte = u8_at(m, at + i)?;
            }
            let metric = u8_at(m, at + width)?;
            out!(
                w,
                "\n\t  {} metric {}",
                Ipv4Addr::from(origin),
                metric & 0x7f
            );
            at += width + 1;
            len -= width + 1;
            if metric & 0x80 != 0 {
                break;
            }
        }
    }
    Ok(())
}

/// The old neighbour list: per local address its metric, threshold and
/// neighbours, each ` [local -> neighbour, (metric/threshold)]`.
fn neighbors_old(w: &mut Vec<u8>, m: &[u8], mut len: usize) -> Res<()> {
    let mut at = BODY;
    while len > 0 {
        if len < 7 {
            out!(w, " [length {len} < 7]");
            return invalid(w);
        }
        let local = ipv4_at(m, at)?;
        let (metric, thresh) = (u8_at(m, at + 4)?, u8_at(m, at + 5)?);
        let count = u8_at(m, at + 6)?;
        at += 7;
        len -= 7;
        for _ in 0..count {
            if len < 4 {
                out!(w, " [length {len} < 4]");
                return invalid(w);
            }
            out!(w, " [{local} ->");
            out!(w, " {}, ({metric}/{thresh})]", ipv4_at(m, at)?);
            at += 4;
            len -= 4;
        }
    }
    Ok(())
}

/// The version-2 neighbour list: as the old one, with flags per local
/// address, each neighbour ` [local -> neighbour (metric/threshold/flags…)]`.
/// A list that ends before its count of neighbours does, exactly at a
/// neighbour's start, is an invalid count.
fn neighbors2(w: &mut Vec<u8>, m: &[u8], mut len: usize) -> Res<()> {
    let mut at = BODY;
    while len > 0 {
        if len < 8 {
            out!(w, " [length {len} < 8]");
            return invalid(w);
        }
        let local = ipv4_at(m, at)?;
        let (metric, thresh) = (u8_at(m, at + 4)?, u8_at(m, at + 5)?);
        let (flags, count) = (u8_at(m, at + 6)?, u8_at(m, at + 7)?);
        at += 8;
        len -= 8;
        for _ in 0..count {
            if len == 0 {
                w.extend_from_slice(b" [invalid ncount]");
                return invalid(w);
            }
            if len < 4 {
                out!(w, " [length {len} < 4]");
                return invalid(w);
            }
            // The local address goes out before the neighbour is read.
            out!(w, " [{local} -> ");
            out!(w, "{} ({metric}/{thresh}", ipv4_at(m, at)?);
            for (bit, name) in NEIGHBOR_FLAGS {
                if flags & bit != 0 {
                    out!(w, "/{name}");
                }
            }
            w.extend_from_slice(b")]");
            at += 4;
            len -= 4;
        }
    }
    Ok(())
}
