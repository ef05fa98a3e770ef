//! Segments that come ahead of a hole in a TCP direction with no message
//! open, held until the hole fills.
//!
//! [`super::pdu`] follows a direction only while a message is open in it,
//! so a segment that arrives before the one preceding it in sequence
//! (loopback under load records such pairs; so do real networks) used to
//! be lost when the late one was a message's first: the message opened
//! after its continuation had gone by. tshark, told to reassemble out of
//! order, holds the early segment and decodes the message on the packet
//! that fills the hole; so does this. A direction's next byte is followed
//! from the first message that spanned segments in it; a segment past that
//! byte, which no decoder recognises (a message's middle), is held here,
//! and when the segment before it comes the two are handed on joined.
//! Only such middles are held: a segment that starts a message is decoded
//! on its own packet as before, and a hole that never fills costs no
//! decode (a held middle decodes to nothing alone).
//!
//! Bounded: a direction holds at most one message's length (`unit`) in at
//! most [`MAX_HELD`] segments, all directions together an eighth of the
//! message memory (each segment counted with [`HELD_OVERHEAD`] bytes of
//! bookkeeping, so tiny segments cannot hide their cost), and at most four
//! times as many directions are followed as messages may be open, the
//! least recently active dropped first; idle ones go with the sweep.

use super::key::FlowKey;
use super::tracker::FlowHasherBuilder;
use crate::decode::tcp_seq::SeqNumber;
use crate::packet::Timestamp;
use std::collections::HashMap;

/// Segments one direction holds at most: a hole is a segment or two, and
/// joining scans the held ones for each it takes.
const MAX_HELD: usize = 32;

/// Bytes a held segment costs besides its own (its vector and entry).
const HELD_OVERHEAD: usize = 64;

/// What holding `data` costs.
fn cost(data: &[u8]) -> usize {
    data.len() + HELD_OVERHEAD
}

/// One direction: the byte it should send next, and what came past it.
struct Direction {
    next: SeqNumber,
    /// Held segments: their first byte and their bytes, in arrival order.
    held: Vec<(SeqNumber, Vec<u8>)>,
    /// What the held segments cost ([`cost`]).
    bytes: usize,
    last: Timestamp,
}

/// Where a segment falls in its direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Position {
    /// The direction is not followed.
    Untracked,
    /// It brings the next byte (or the bytes just before and after it).
    InOrder,
    /// Every byte of it came before.
    Old,
    /// A hole lies between the next byte and its first.
    Ahead,
}

/// The followed directions of a run.
#[derive(Default)]
pub(super) struct EarlySegments {
    dirs: HashMap<(FlowKey, bool), Direction, FlowHasherBuilder>,
    /// The followed directions by their ports (source, destination): a
    /// packet between other ports, or the other way, needs no look at its
    /// addresses (`Pdus::passes_over`).
    ports: HashMap<(u16, u16), u32, FlowHasherBuilder>,
    /// What all directions' held segments cost ([`cost`]).
    held: usize,
}

impl EarlySegments {
    /// Whether a direction from `sport` to `dport` is followed.
    pub(super) fn follows_ports(&self, sport: u16, dport: u16) -> bool {
        !self.ports.is_empty() && self.ports.contains_key(&(sport, dport))
    }

    /// Bytes held now.
    pub(super) fn held(&self) -> usize {
        self.held
    }

    /// Where the segment `seq..end` of direction `k` falls.
    pub(super) fn position(&self, k: &(FlowKey, bool), seq: SeqNumber, end: SeqNumber) -> Position {
        match self.dirs.get(k) {
            None => Position::Untracked,
            Some(d) if seq.is_after(d.next) => Position::Ahead,
            Some(d) if end.is_after(d.next) => Position::InOrder,
            Some(_) => Position::Old,
        }
    }

    /// Follow `k` (a message is open in it, and a segment ending at `end`
    /// went into it), or move its next byte on to `end` when that is
    /// later; at most `max_dirs` directions are followed.
    pub(super) fn follow(
        &mut self,
        k: (FlowKey, bool),
        end: SeqNumber,
        now: Timestamp,
        max_dirs: usize,
    ) {
        if let Some(d) = self.dirs.get_mut(&k) {
            if end.is_after(d.next) {
                d.next = end;
            }
            d.last = now;
            return;
        }
        if self.dirs.len() >= max_dirs {
            self.drop_oldest_quarter();
        }
        let d = Direction {
            next: end,
            held: Vec::new(),
            bytes: 0,
            last: now,
        };
        *self.ports.entry(ports_of(&k)).or_default() += 1;
        self.dirs.insert(k, d);
    }

    /// Hold `data` (from `seq`, ahead of `k`'s next byte) when it fits in
    /// the direction's `unit` bytes and [`MAX_HELD`] segments and the run's
    /// `memory`: whether it was.
    pub(super) fn hold(
        &mut self,
        k: &(FlowKey, bool),
        seq: SeqNumber,
        data: &[u8],
        now: Timestamp,
        (unit, memory): (usize, usize),
    ) -> bool {
        let Some(d) = self.dirs.get_mut(k) else {
            return false;
        };
        let far = seq.distance_from(d.next) as usize;
        let c = cost(data);
        if far.saturating_add(data.len()) > unit
            || d.held.len() >= MAX_HELD
            || d.bytes + c > unit
            || self.held + c > memory
        {
            return false;
        }
        d.held.push((seq, data.to_vec()));
        d.bytes += c;
        d.last = now;
        self.held += c;
        true
    }

    /// The segment `data` (from `seq`) brought `k`'s next byte: its bytes
    /// followed by the held ones it makes contiguous, and how many held
    /// segments joined (`None` when none did: `data` stands alone). The
    /// direction's next byte moves past all of them.
    pub(super) fn join(
        &mut self,
        k: &(FlowKey, bool),
        seq: SeqNumber,
        data: &[u8],
        now: Timestamp,
    ) -> Option<(Vec<u8>, u32)> {
        let d = self.dirs.get_mut(k)?;
        let mut end = seq.add(data.len() as u32);
        if end.is_after(d.next) {
            d.next = end;
        }
        d.last = now;
        if d.held.is_empty() {
            return None;
        }
        let mut joined: Option<Vec<u8>> = None;
        let mut n = 0;
        // Held segments overlap or leave holes in any order: take the one
        // that continues the bytes so far until none does.
        while let Some(i) = d.held.iter().position(|(s, b)| {
            s.is_ge(seq) && !s.is_after(end) && s.add(b.len() as u32).is_after(end)
        }) {
            let (s, b) = d.held.swap_remove(i);
            let skip = end.distance_from(s) as usize;
            let buf = joined.get_or_insert_with(|| data.to_vec());
            buf.extend_from_slice(b.get(skip..).unwrap_or(&[]));
            end = s.add(b.len() as u32);
            d.bytes -= cost(&b);
            self.held -= cost(&b);
            n += 1;
        }
        // What lies wholly before the new next byte will never be needed.
        let (bytes, held) = (&mut d.bytes, &mut self.held);
        d.held.retain(|(s, b)| {
            let keep = s.add(b.len() as u32).is_after(end);
            if !keep {
                *bytes -= cost(b);
                *held -= cost(b);
            }
            keep
        });
        if end.is_after(d.next) {
            d.next = end;
        }
        joined.map(|j| (j, n))
    }

    /// Give up on `k`'s hole: its held bytes go, its next byte is `end`.
    pub(super) fn restart(&mut self, k: &(FlowKey, bool), end: SeqNumber, now: Timestamp) {
        if let Some(d) = self.dirs.get_mut(k) {
            self.held -= d.bytes;
            d.held = Vec::new();
            d.bytes = 0;
            d.next = end;
            d.last = now;
        }
    }

    /// `k` ended (FIN, RST) or its flow left the table.
    pub(super) fn forget(&mut self, k: &(FlowKey, bool)) {
        if let Some(d) = self.dirs.remove(k) {
            self.held -= d.bytes;
            unfollow(&mut self.ports, k);
        }
    }

    /// Drop the directions idle since before `cutoff`.
    pub(super) fn drop_idle(&mut self, cutoff: u64) {
        let (held, ports) = (&mut self.held, &mut self.ports);
        self.dirs.retain(|k, d| {
            let keep = d.last.0 >= cutoff;
            if !keep {
                *held -= d.bytes;
                unfollow(ports, k);
            }
            keep
        });
    }

    /// Drop the least recently active quarter of the directions (at least
    /// the oldest).
    fn drop_oldest_quarter(&mut self) {
        let mut ages: Vec<u64> = self.dirs.values().map(|d| d.last.0).collect();
        ages.sort_unstable();
        let cut = ages.get(ages.len() / 4).copied().unwrap_or(u64::MAX);
        self.drop_idle(cut.saturating_add(1));
    }
}

/// A direction's ports: (source, destination).
fn ports_of(k: &(FlowKey, bool)) -> (u16, u16) {
    let (lo, hi) = (k.0.lo.port, k.0.hi.port);
    if k.1 { (lo, hi) } else { (hi, lo) }
}

/// One direction of `k`'s ports is no longer followed.
fn unfollow(ports: &mut HashMap<(u16, u16), u32, FlowHasherBuilder>, k: &(FlowKey, bool)) {
    let p = ports_of(k);
    if let Some(n) = ports.get_mut(&p) {
        *n -= 1;
        if *n == 0 {
            ports.remove(&p);
        }
    }
}
