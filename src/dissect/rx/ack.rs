//! An Rx acknowledgement after the header: buffer space and skew at
//! `-vvv`, ` first N serial N reason NAME`, the acked and nacked packets
//! as ranges (` acked 1-3,5 nacked 4`), then at `-vv` the optional MTUs
//! and windows, each only when four more bytes were captured. A body the
//! capture cut is ` [|ack]`.

use super::super::ctl::out;
use super::super::wire::{Res, u8_at, u16_at, u32_at};
use super::HEADER;

/// The fixed part: buffer space, max skew, first packet, previous packet,
/// serial, reason, ack count.
const FIXED: usize = 18;

const REASONS: &[&str] = &[
    "ack requested",
    "duplicate packet",
    "out of sequence",
    "exceeds window",
    "no buffer space",
    "ping",
    "ping response",
    "delay",
    "idle",
];

const ACKED: u8 = 1;
const NACKED: u8 = 0;

pub(super) fn print(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    if len < HEADER {
        return Ok(());
    }
    let b = m.get(HEADER..).unwrap_or(&[]);
    if b.len() < FIXED {
        w.extend_from_slice(b" [|ack]");
        return Ok(());
    }
    if v > 2 {
        out!(w, " bufspace {} maxskew {}", u16_at(b, 0)?, u16_at(b, 2)?);
    }
    let first = u32_at(b, 4)?;
    out!(w, " first {first} serial {} reason ", u32_at(b, 12)?);
    let reason = u8_at(b, 16)?;
    match usize::from(reason)
        .checked_sub(1)
        .and_then(|i| REASONS.get(i))
    {
        Some(r) => w.extend_from_slice(r.as_bytes()),
        None => out!(w, "#{reason}"),
    }
    let n = usize::from(u8_at(b, 17)?);
    let mut at = FIXED;
    if n != 0 {
        let Some(acks) = b.get(FIXED..FIXED + n) else {
            w.extend_from_slice(b" [|ack]");
            return Ok(());
        };
        ranges(w, acks, first, ACKED, "acked");
        ranges(w, acks, first, NACKED, "nacked");
        at += n;
    }
    // Three bytes of padding, then the optional fields.
    at += 3;
    if v > 1 {
        for name in ["ifmtu", "maxmtu", "rwind", "maxpackets"] {
            let Ok(n) = u32_at(b, at) else {
                return Ok(());
            };
            out!(w, " {name} {n}");
            at += 4;
        }
    }
    Ok(())
}

/// The packets whose ack byte is `which`, from `first`, as tcpdump joins
/// them: a run of two or more as `a-b`, runs apart by commas, after
/// ` WORD `. (Its bookkeeping, with -2 for "none yet", kept as is: a
/// packet that is neither acked nor nacked ends a run of either.)
fn ranges(w: &mut Vec<u8>, acks: &[u8], first: u32, which: u8, word: &str) {
    let (mut start, mut last) = (-2i32, -2i32);
    let seq = |i: i32| first.wrapping_add(i as u32);
    let mut i = 0i32;
    for &a in acks {
        if a == which {
            if last == -2 {
                out!(w, " {word} {}", seq(i));
                start = i;
            } else if last != i - 1 {
                out!(w, ",{}", seq(i));
                start = i;
            }
            last = i;
        } else if last == i - 1 && start != last {
            out!(w, "-{}", seq(i - 1));
        }
        i += 1;
    }
    if last == i - 1 && start != last {
        out!(w, "-{}", seq(i - 1));
    }
}
