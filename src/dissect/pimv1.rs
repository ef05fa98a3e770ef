//! PIM version 1 (Cisco's, carried in IGMP messages of type 0x14): the
//! message type, and what tcpdump's `pimv1_print` shows of each — a
//! query's mode and (`-v`) hold time, Register's and Register-Stop's
//! addresses, Assert's preference and metric, RP-Reachability's group and
//! Join/Prune's upstream neighbour, groups and sources at `-v`/`-vv`.
//! IGMP's printer names the message (`igmp pimv1`) and hands over here.

use super::ctl::{ipv4_at, out, tok};
use super::dns::text::put_ttl;
use super::wire::{Res, u8_at, u16_at, u32_at};

const TYPES: &[(u8, &str)] = &[
    (0, "Query"),
    (1, "Register"),
    (2, "Register-Stop"),
    (3, "Join/Prune"),
    (4, "RP-reachable"),
    (5, "Assert"),
    (6, "Graft"),
    (7, "Graft-ACK"),
];

/// The name of a message type, for `--json`.
pub(super) fn type_name(t: u8) -> Option<&'static str> {
    tok(TYPES, t)
}

/// tcpdump's cut mark where a length check fails: printed, and the
/// printers around go on (a read past the capture, an `Err`, ends all).
const CUT: &[u8] = b" [|pimv1]";

/// The text after `igmp pimv1` of the message `m` (`len` bytes on the
/// wire); `Err` where tcpdump reads past the capture and stops the line
/// (the caller marks it).
pub(super) fn write(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    let kind = u8_at(m, 1)?;
    match type_name(kind) {
        Some(name) => out!(w, " {name}"),
        None => out!(w, " [type {kind}]"),
    }
    let group_mask = |w: &mut Vec<u8>, at: usize| -> Res<()> {
        if u32_at(m, at)? != 0xffff_ffff {
            out!(w, "/{}", ipv4_at(m, at)?);
        }
        Ok(())
    };
    match kind {
        0 => {
            if let Ok(mode) = u8_at(m, 8) {
                match mode >> 4 {
                    0 => w.extend_from_slice(b" Dense-mode"),
                    1 => w.extend_from_slice(b" Sparse-mode"),
                    2 => w.extend_from_slice(b" Sparse-Dense-mode"),
                    n => out!(w, " mode-{n}"),
                }
            }
            if v > 0 {
                w.extend_from_slice(b" (Hold-time ");
                put_ttl(w, u32::from(u16_at(m, 10)?));
                w.push(b')');
            }
        }
        1 => {
            // The encapsulated packet's IP header must be there whole.
            if m.len() < 28 {
                w.extend_from_slice(CUT);
                return Ok(());
            }
            out!(w, " for {} > {}", ipv4_at(m, 20)?, ipv4_at(m, 24)?);
        }
        2 => out!(w, " for {} > {}", ipv4_at(m, 8)?, ipv4_at(m, 12)?),
        4 if v > 0 => {
            out!(w, " group {}", ipv4_at(m, 8)?);
            group_mask(w, 12)?;
            out!(w, " RP {} hold ", ipv4_at(m, 16)?);
            put_ttl(w, u32::from(u16_at(m, 22)?));
        }
        5 => {
            out!(w, " for {} > {}", ipv4_at(m, 16)?, ipv4_at(m, 8)?);
            group_mask(w, 12)?;
            let pref = u32_at(m, 20)?;
            let tree = if pref & 0x8000_0000 != 0 {
                "RP-tree"
            } else {
                "SPT"
            };
            out!(
                w,
                " {tree} pref {} metric {}",
                pref & 0x7fff_ffff,
                u32_at(m, 24)?
            );
        }
        3 | 6 | 7 if v > 0 => {
            if len < 8 {
                w.extend_from_slice(CUT);
                return Ok(());
            }
            join_prune(w, m.get(8..).unwrap_or(&[]), len - 8, v)?;
        }
        _ => {}
    }
    let version = u8_at(m, 4)? >> 4;
    if version != 1 {
        out!(w, " [v{version}]");
    }
    Ok(())
}

/// A source's flags and address: `Sparse`/`Dense`, ` WC`, `RP`/`SPT`.
fn sparse(b: u8) -> &'static str {
    if b & 0x01 != 0 { "Sparse" } else { "Dense" }
}

fn tree(b: u8) -> &'static str {
    if b & 0x40 != 0 { "RP" } else { "SPT" }
}

/// Join/Prune, Graft and Graft-ACK from the upstream neighbour: one line
/// for one group with one source, else the neighbour and hold time, and
/// at `-vv` each group and its joined and pruned sources. A length
/// check that fails prints the cut mark and returns, as tcpdump's does.
fn join_prune(w: &mut Vec<u8>, b: &[u8], mut len: usize, v: u8) -> Res<()> {
    if b.len() >= 30 && u8_at(b, 11)? == 1 {
        let njoin = u16_at(b, 20)?;
        if u32::from(njoin) + u32::from(u16_at(b, 22)?) == 1 {
            out!(w, " RPF {} ", ipv4_at(b, 0)?);
            let hold = u16_at(b, 6)?;
            if hold != 180 {
                w.extend_from_slice(b"Hold ");
                put_ttl(w, u32::from(hold));
            }
            let verb = if njoin != 0 { "Join" } else { "Prune" };
            let flags = u8_at(b, 25)?;
            out!(
                w,
                "{verb} ({}/{}, {}",
                ipv4_at(b, 26)?,
                flags & 0x3f,
                ipv4_at(b, 12)?
            );
            if u32_at(b, 16)? != 0xffff_ffff {
                out!(w, "/{}", ipv4_at(b, 16)?);
            }
            let wc = if flags & 0x80 != 0 { " WC" } else { "" };
            out!(w, ") {}{wc} {}", sparse(u8_at(b, 24)?), tree(flags));
            return Ok(());
        }
    }
    let nl = if v > 1 { "\n" } else { "" };
    if len < 4 {
        w.extend_from_slice(CUT);
        return Ok(());
    }
    w.extend_from_slice(nl.as_bytes());
    out!(w, " Upstream Nbr: {}", ipv4_at(b, 0)?);
    len -= 4;
    if len < 4 {
        w.extend_from_slice(CUT);
        return Ok(());
    }
    w.extend_from_slice(nl.as_bytes());
    w.extend_from_slice(b" Hold time: ");
    put_ttl(w, u32::from(u16_at(b, 6)?));
    if v < 2 {
        return Ok(());
    }
    len -= 4;
    if len < 4 {
        w.extend_from_slice(CUT);
        return Ok(());
    }
    let mut groups = u8_at(b, 11)?;
    let mut at = 12;
    len -= 4;
    while groups != 0 {
        // The group, its mask, its counts: each checked against the
        // length before it is read.
        let (mut njoin, mut nprune) = (0, 0);
        for field in 0..3 {
            if len < 4 {
                w.extend_from_slice(CUT);
                return Ok(());
            }
            match field {
                0 => out!(w, "\n\tGroup: {}", ipv4_at(b, at)?),
                1 if u32_at(b, at)? != 0xffff_ffff => out!(w, "/{}", ipv4_at(b, at)?),
                1 => {}
                _ => {
                    (njoin, nprune) = (u16_at(b, at)?, u16_at(b, at + 2)?);
                    out!(w, " joined: {njoin} pruned: {nprune}");
                }
            }
            at += 4;
            len -= 4;
        }
        for i in 0..u32::from(njoin) + u32::from(nprune) {
            let kind = if i < u32::from(njoin) {
                "Join "
            } else {
                "Prune"
            };
            if len < 6 {
                w.extend_from_slice(CUT);
                return Ok(());
            }
            let (s, f) = (u8_at(b, at)?, u8_at(b, at + 1)?);
            let wc = if f & 0x80 != 0 { "WC " } else { "" };
            out!(
                w,
                "\n\t{kind} {} {wc}{} {}/{}",
                sparse(s),
                tree(f),
                ipv4_at(b, at + 2)?,
                f & 0x3f
            );
            at += 6;
            len -= 6;
        }
        groups -= 1;
    }
    Ok(())
}
