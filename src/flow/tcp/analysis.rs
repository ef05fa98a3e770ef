//! Wireshark's TCP sequence analysis (`tcp.analysis.*`), one segment at a time.
//!
//! Each flag below is computed as Wireshark defines it (User's Guide, "TCP
//! Analysis", and `tcp_analyze_sequence_number` in its TCP dissector); the
//! definition is written next to the check. "fwd" is the sender's side of the
//! flow, "rev" the other side. Precedence when several retransmission kinds
//! could apply: keep-alive suppresses them all; then spurious retransmission,
//! then fast retransmission, then out-of-order, then plain retransmission.

use crate::decode::flow_view::FlowPacket;
use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_seq::SeqNumber;
use crate::packet::Timestamp;
use std::fmt;

/// Analysis flag bits.
pub mod bits {
    pub const RETRANSMISSION: u16 = 1 << 0;
    pub const FAST_RETRANSMISSION: u16 = 1 << 1;
    pub const SPURIOUS_RETRANSMISSION: u16 = 1 << 2;
    pub const OUT_OF_ORDER: u16 = 1 << 3;
    pub const DUP_ACK: u16 = 1 << 4;
    pub const ZERO_WINDOW: u16 = 1 << 5;
    pub const WINDOW_FULL: u16 = 1 << 6;
    pub const WINDOW_UPDATE: u16 = 1 << 7;
    pub const KEEP_ALIVE: u16 = 1 << 8;
    pub const LOST_SEGMENT: u16 = 1 << 9;
    pub const ACKED_UNSEEN: u16 = 1 << 10;
    pub const KEEP_ALIVE_ACK: u16 = 1 << 11;
    pub const ZERO_WINDOW_PROBE: u16 = 1 << 12;
    pub const ZERO_WINDOW_PROBE_ACK: u16 = 1 << 13;
}

/// Display order and names (Wireshark's expert names, lower case).
const NAMES: [(u16, &str); 14] = [
    (bits::LOST_SEGMENT, "previous segment not captured"),
    (bits::ACKED_UNSEEN, "ACKed unseen segment"),
    (bits::KEEP_ALIVE, "keep-alive"),
    (bits::KEEP_ALIVE_ACK, "keep-alive ack"),
    (bits::SPURIOUS_RETRANSMISSION, "spurious retransmission"),
    (bits::FAST_RETRANSMISSION, "fast retransmission"),
    (bits::OUT_OF_ORDER, "out-of-order"),
    (bits::RETRANSMISSION, "retransmission"),
    (bits::DUP_ACK, "dup ack"),
    (bits::ZERO_WINDOW_PROBE, "zero window probe"),
    (bits::ZERO_WINDOW_PROBE_ACK, "zero window probe ack"),
    (bits::ZERO_WINDOW, "zero window"),
    (bits::WINDOW_FULL, "window full"),
    (bits::WINDOW_UPDATE, "window update"),
];

/// The analysis of one segment: small and `Copy`, printed as the suffix of a
/// packet line (`" [retransmission]"`, `" [dup ack #2]"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    pub flags: u16,
    /// The duplicate-ACK number when [`bits::DUP_ACK`] is set.
    pub dup_ack: u32,
}

impl Analysis {
    pub fn is_empty(&self) -> bool {
        self.flags == 0
    }
    pub fn has(&self, bit: u16) -> bool {
        self.flags & bit != 0
    }
    /// The marks set, in display order: the name, and the duplicate-ACK
    /// number for `dup ack`.
    pub fn marks(&self) -> impl Iterator<Item = (&'static str, Option<u32>)> + '_ {
        NAMES
            .iter()
            .filter(|(bit, _)| self.flags & bit != 0)
            .map(|&(bit, name)| (name, (bit == bits::DUP_ACK).then_some(self.dup_ack)))
    }
}

impl fmt::Display for Analysis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Most packets have no mark: printed for every packet line.
        if self.flags == 0 {
            return Ok(());
        }
        for (name, number) in self.marks() {
            match number {
                Some(n) => write!(f, " [{name} #{n}]")?,
                None => write!(f, " [{name}]")?,
            }
        }
        Ok(())
    }
}

/// The analysis flags a flow counts. The discriminant indexes
/// [`AnalysisCounters`] and [`COUNTED`]; the order is the order of the
/// counters in `--flows --json`, Parquet and the summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    Retransmissions,
    FastRetransmissions,
    SpuriousRetransmissions,
    OutOfOrder,
    DupAcks,
    ZeroWindows,
    /// Wireshark's `tcp.analysis.zero_window_probe`: one byte sent into a
    /// zero window to learn when it opens.
    ZeroWindowProbes,
    WindowFull,
    WindowUpdates,
    KeepAlives,
    LostSegments,
    AckedUnseen,
}

/// Each counter's flag bit and its field name (JSON key, Parquet column),
/// indexed by [`Counter`]: the one table every output reads.
const COUNTED: [(Counter, u16, &str); 12] = {
    use Counter::*;
    use bits::*;
    [
        (Retransmissions, RETRANSMISSION, "retransmissions"),
        (
            FastRetransmissions,
            FAST_RETRANSMISSION,
            "fast_retransmissions",
        ),
        (
            SpuriousRetransmissions,
            SPURIOUS_RETRANSMISSION,
            "spurious_retransmissions",
        ),
        (OutOfOrder, OUT_OF_ORDER, "out_of_order"),
        (DupAcks, DUP_ACK, "dup_acks"),
        (ZeroWindows, ZERO_WINDOW, "zero_windows"),
        (ZeroWindowProbes, ZERO_WINDOW_PROBE, "zero_window_probes"),
        (WindowFull, WINDOW_FULL, "window_full"),
        (WindowUpdates, WINDOW_UPDATE, "window_updates"),
        (KeepAlives, KEEP_ALIVE, "keep_alives"),
        (LostSegments, LOST_SEGMENT, "lost_segments"),
        (AckedUnseen, ACKED_UNSEEN, "acked_unseen"),
    ]
};

impl Counter {
    /// Every counter, in output order.
    pub const ALL: [Counter; 12] = {
        let mut all = [Counter::Retransmissions; 12];
        let mut i = 0;
        while i < COUNTED.len() {
            all[i] = COUNTED[i].0;
            i += 1;
        }
        all
    };

    fn bit(self) -> u16 {
        COUNTED[self as usize].1
    }

    /// The field name in `--flows --json` and Parquet (`dup_acks`).
    pub fn key(self) -> &'static str {
        COUNTED[self as usize].2
    }

    /// Wireshark's words for the flag (`dup ack`), as on packet lines.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(bit, _)| *bit == self.bit())
            .map_or("", |(_, name)| name)
    }
}

/// Per-flow totals of each analysis flag, indexed by [`Counter`] (u32,
/// saturating: one set per flow, kept small).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnalysisCounters([u32; 12]);

impl AnalysisCounters {
    pub fn get(&self, c: Counter) -> u32 {
        self.0[c as usize]
    }
    /// Every counter with its total, in output order.
    pub fn iter(&self) -> impl Iterator<Item = (Counter, u32)> + '_ {
        Counter::ALL.into_iter().zip(self.0)
    }
    pub fn add(&mut self, a: &Analysis) {
        // Most segments have no mark: nothing to count (every packet).
        if a.flags == 0 {
            return;
        }
        for (n, &(_, bit, _)) in self.0.iter_mut().zip(&COUNTED) {
            *n = n.saturating_add(u32::from(a.flags & bit != 0));
        }
    }
    pub fn merge(&mut self, o: &AnalysisCounters) {
        for (n, m) in self.0.iter_mut().zip(o.0) {
            *n = n.saturating_add(m);
        }
    }
    /// All retransmission kinds together (Wireshark's `tcp.analysis.retransmission`
    /// field is set on fast and spurious ones too).
    pub fn all_retransmissions(&self) -> u64 {
        [
            Counter::Retransmissions,
            Counter::FastRetransmissions,
            Counter::SpuriousRetransmissions,
        ]
        .into_iter()
        .map(|c| u64::from(self.get(c)))
        .sum()
    }
}

/// The counters as JSON fields (`"retransmissions":0,…`), in output order.
impl serde::Serialize for AnalysisCounters {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(COUNTED.len()))?;
        for (c, n) in self.iter() {
            m.serialize_entry(c.key(), &n)?;
        }
        m.end()
    }
}

/// One direction's sequence-analysis memory (Wireshark's `tcp_analyze_seq_info`
/// plus the window fields of its flow struct).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeqInfo {
    /// Highest sequence number + length seen from this side.
    pub nextseq: Option<SeqNumber>,
    pub nextseq_time: Timestamp,
    /// Highest contiguous sequence number this side sent ("max seq to be acked").
    pub maxseqtobeacked: Option<SeqNumber>,
    /// Last acknowledgment number this side sent, and when.
    pub lastack: Option<SeqNumber>,
    pub lastack_time: Timestamp,
    /// Last raw window this side advertised.
    pub window: u16,
    /// Window scale: -1 unknown (no SYN seen), -2 SYN without the option, else the shift.
    pub win_scale: i8,
    /// Duplicate ACKs in a row from this side.
    pub dupacknum: u32,
    /// Analysis flags of this side's last segment (for keep-alive ACK / probe ACK).
    pub last_flags: u16,
    /// This side's last segment was a SYN (its window is unscaled).
    pub last_syn: bool,
    /// This side has sent a segment with ACK set (its window is then meaningful).
    pub seen: bool,
}

impl SeqInfo {
    pub fn new() -> Self {
        SeqInfo {
            win_scale: -1,
            ..Default::default()
        }
    }
}

/// The segment fields the analysis reads.
#[derive(Clone, Copy, Debug)]
pub struct AnaSeg {
    pub ts: Timestamp,
    pub seq: SeqNumber,
    pub ack: SeqNumber,
    pub len: u32,
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
    pub ack_flag: bool,
    pub window: u16,
    pub wscale: Option<u8>,
}

impl AnaSeg {
    pub fn of(p: &FlowPacket) -> AnaSeg {
        AnaSeg {
            ts: p.ts,
            seq: p.seq,
            ack: p.ack,
            len: p.payload_len,
            syn: p.has(TcpFlags::SYN),
            fin: p.has(TcpFlags::FIN),
            rst: p.has(TcpFlags::RST),
            ack_flag: p.has(TcpFlags::ACK),
            window: p.window,
            wscale: p.wscale,
        }
    }
}

/// Out-of-order threshold when no handshake RTT is known: 3 ms.
const DEFAULT_OOO_THRESHOLD_NS: u64 = 3_000_000;
/// Fast retransmission must follow the last duplicate ACK within 20 ms.
const FAST_RETRANS_WINDOW_NS: u64 = 20_000_000;

fn elapsed(now: Timestamp, then: Timestamp) -> u64 {
    now.0.saturating_sub(then.0)
}

/// A segment without data or SYN/FIN/RST that repeats this side's last
/// window, sequence and acknowledgment numbers: the shape shared by keep-alive
/// ACKs, zero window probe ACKs and duplicate ACKs (which tell them apart by
/// the window and by what the other side sent last).
fn repeats_last(fwd: &SeqInfo, s: &AnaSeg, control: bool) -> bool {
    s.len == 0
        && s.window == fwd.window
        && Some(s.seq) == fwd.nextseq
        && Some(s.ack) == fwd.lastack
        && !control
}

/// Analyse one segment sent by `fwd` (with `rev` the other direction) and
/// update both. `first_rtt_ns` is the handshake RTT (SYN to the third ACK), 0 if unknown.
pub fn analyze(fwd: &mut SeqInfo, rev: &mut SeqInfo, s: &AnaSeg, first_rtt_ns: u64) -> Analysis {
    match in_order(fwd, rev, s) {
        Some(a) => a,
        None => analyze_any(fwd, rev, s, first_rtt_ns),
    }
}

/// [`analyze`] for the segment of nearly every packet: in order (at the
/// next expected sequence number), an ACK with the same non-zero window
/// as this side's last, no SYN, FIN or RST, and either more than one byte
/// of data or none with a new acknowledgment. Of [`analyze_any`]'s checks
/// only three can then hold (window full, ACKed unseen, spurious
/// retransmission), and its state updates shrink to what such a segment
/// moves. `None` for any other segment (`in_order_is_analyze_any`
/// compares both on random segments).
#[inline]
fn in_order(fwd: &mut SeqInfo, rev: &mut SeqInfo, s: &AnaSeg) -> Option<Analysis> {
    use bits::*;
    let (seq, ack, seglen) = (s.seq, s.ack, s.len);
    let lastack = fwd.lastack?;
    let plain = !(s.syn || s.fin || s.rst) && s.ack_flag && s.window != 0;
    let new_ack = ack != lastack;
    if !plain
        || s.window != fwd.window
        || fwd.nextseq != Some(seq)
        || !(seglen > 1 || (seglen == 0 && new_ack))
    {
        return None;
    }
    let mut a = Analysis::default();
    let end = seq.add(seglen);
    if seglen > 0 {
        if let Some(rev_ack) = rev.lastack
            && rev.win_scale != -1
            && rev.seen
        {
            let shift = if rev.win_scale < 0 || rev.last_syn {
                0
            } else {
                rev.win_scale as u32
            };
            if end == rev_ack.add((rev.window as u32) << shift) {
                a.flags |= WINDOW_FULL;
            }
        }
        if rev.seen && rev.lastack.is_some_and(|l| !end.is_after(l)) {
            a.flags |= SPURIOUS_RETRANSMISSION;
        }
    }
    if new_ack {
        fwd.dupacknum = 0;
    }
    if rev.maxseqtobeacked.is_some_and(|m| ack.is_after(m)) {
        a.flags |= ACKED_UNSEEN;
        rev.maxseqtobeacked = rev.nextseq;
    }
    if end.is_after(seq) {
        // Past the next expected sequence number: the new one.
        fwd.nextseq = Some(end);
        fwd.nextseq_time = s.ts;
    }
    if fwd.maxseqtobeacked.is_none_or(|m| m == seq) {
        fwd.maxseqtobeacked = fwd.nextseq;
    }
    fwd.lastack = Some(ack);
    fwd.lastack_time = s.ts;
    fwd.last_flags = a.flags;
    fwd.last_syn = false;
    fwd.seen = true;
    Some(a)
}

/// [`analyze`] for any segment: every check in turn.
fn analyze_any(fwd: &mut SeqInfo, rev: &mut SeqInfo, s: &AnaSeg, first_rtt_ns: u64) -> Analysis {
    use bits::*;
    let mut a = Analysis::default();
    let (seq, ack, seglen) = (s.seq, s.ack, s.len);
    let control = s.syn || s.fin || s.rst;

    if s.syn {
        // Window scaling takes effect only if both SYNs carry the option (RFC 7323);
        // until the peer's SYN is seen, remember the offer.
        fwd.win_scale = s.wscale.map_or(-2, |w| w as i8);
        if rev.win_scale != -1 && (rev.win_scale == -2 || fwd.win_scale == -2) {
            rev.win_scale = -2;
            fwd.win_scale = -2;
        }
    }

    'fwd: {
        // ZERO WINDOW PROBE: exactly one byte at the next expected sequence number
        // while the receiver advertises a zero window.
        if seglen == 1 && Some(seq) == fwd.nextseq && rev.seen && rev.window == 0 {
            a.flags |= ZERO_WINDOW_PROBE;
            break 'fwd;
        }
        // ZERO WINDOW: the window is zero and none of SYN, FIN, RST is set.
        if s.window == 0 && !control {
            a.flags |= ZERO_WINDOW;
        }
        // PREVIOUS SEGMENT NOT CAPTURED: the sequence number is beyond the next
        // expected one (we have seen this side before), and it is not a RST.
        if fwd.nextseq.is_some_and(|n| seq.is_after(n)) && !s.rst {
            a.flags |= LOST_SEGMENT;
        }
        // KEEP-ALIVE: zero or one byte, starting one byte before the next expected
        // sequence number, none of SYN, FIN, RST.
        if seglen <= 1 && fwd.nextseq.is_some_and(|n| seq == n.sub(1)) && !control {
            a.flags |= KEEP_ALIVE;
        }
        // WINDOW UPDATE: no data, a non-zero window that differs from this side's
        // previous one, same seq (the next expected) and ack as before, no SYN/FIN/RST.
        if seglen == 0
            && s.window != 0
            && s.window != fwd.window
            && Some(seq) == fwd.nextseq
            && Some(ack) == fwd.lastack
            && !control
        {
            a.flags |= WINDOW_UPDATE;
        }
        // WINDOW FULL: data that reaches exactly the right edge of the window the
        // receiver advertised (its last ACK + its scaled window); needs the
        // receiver's window scale to be known (its SYN seen). No SYN/FIN/RST.
        if let Some(rev_ack) = rev.lastack
            && seglen > 0
            && rev.win_scale != -1
            && rev.seen
            && !control
        {
            // The window in a SYN segment is never scaled.
            let shift = if rev.win_scale < 0 || rev.last_syn {
                0
            } else {
                rev.win_scale as u32
            };
            let edge = rev_ack.add((rev.window as u32) << shift);
            if seq.add(seglen) == edge {
                a.flags |= WINDOW_FULL;
            }
        }
        let repeat = repeats_last(fwd, s, control);
        // KEEP-ALIVE ACK: no data, same window/seq/ack as before, answering a keep-alive.
        if repeat && s.window != 0 && rev.last_flags & KEEP_ALIVE != 0 {
            a.flags |= KEEP_ALIVE_ACK;
            break 'fwd;
        }
        // ZERO WINDOW PROBE ACK: no data, still a zero window, same seq/ack, answering a probe.
        if repeat && s.window == 0 && rev.last_flags & ZERO_WINDOW_PROBE != 0 {
            a.flags |= ZERO_WINDOW_PROBE_ACK;
            break 'fwd;
        }
        // DUPLICATE ACK: no data, non-zero window equal to this side's previous one,
        // seq the next expected and ack equal to this side's previous ack, no
        // SYN/FIN/RST. Numbered from 1 since the last non-duplicate ACK.
        if repeat && s.window != 0 && fwd.seen {
            fwd.dupacknum = fwd.dupacknum.saturating_add(1);
            a.flags |= DUP_ACK;
            a.dup_ack = fwd.dupacknum;
        }
    }
    // A changed acknowledgment number ends a run of duplicate ACKs.
    if Some(ack) != fwd.lastack {
        fwd.dupacknum = 0;
    }

    // ACKED UNSEEN SEGMENT: this ACK covers data beyond the highest contiguous
    // sequence number we saw from the other side (the User's Guide's
    // definition, and tshark 4.0's). The boundary then moves to the other
    // side's next expected sequence number so one hole is reported once.
    if s.ack_flag && rev.maxseqtobeacked.is_some_and(|m| ack.is_after(m)) {
        a.flags |= ACKED_UNSEEN;
        rev.maxseqtobeacked = rev.nextseq;
    }

    // RETRANSMISSION KINDS: a segment with data (or SYN/FIN) whose sequence number
    // does not advance (it is below the next expected one). Keep-alives are exempt.
    if (seglen > 0 || s.syn || s.fin) && a.flags & KEEP_ALIVE == 0 {
        let mut not_advanced = fwd.nextseq.is_some_and(|n| seq.is_before(n));
        // More than one byte starting one before nextseq adds new data (it follows
        // a possible zero window probe): not a retransmission.
        if seglen > 1 && fwd.nextseq.is_some_and(|n| n.sub(1) == seq) {
            not_advanced = false;
        }
        let end = seq.add(seglen);
        'kind: {
            // SPURIOUS RETRANSMISSION: data the receiver had already acknowledged
            // (seq + len <= the other side's last ACK).
            if seglen > 0 && rev.lastack.is_some_and(|l| !end.is_after(l)) && rev.seen {
                a.flags |= SPURIOUS_RETRANSMISSION;
                break 'kind;
            }
            // FAST RETRANSMISSION: at least two duplicate ACKs came back, this
            // segment starts at the sequence number they ask for, within 20 ms of the last one.
            if not_advanced
                && rev.dupacknum >= 2
                && rev.lastack == Some(seq)
                && elapsed(s.ts, rev.lastack_time) < FAST_RETRANS_WINDOW_NS
            {
                a.flags |= FAST_RETRANSMISSION;
                break 'kind;
            }
            // OUT-OF-ORDER: arrives within the out-of-order threshold (handshake RTT,
            // or 3 ms) of the segment that set the highest sequence number, and does
            // not simply end where that one ended.
            let thres = if first_rtt_ns == 0 {
                DEFAULT_OOO_THRESHOLD_NS
            } else {
                first_rtt_ns
            };
            let own_end = end.add((s.syn || s.fin) as u32);
            if not_advanced
                && elapsed(s.ts, fwd.nextseq_time) < thres
                && fwd.nextseq != Some(own_end)
            {
                a.flags |= OUT_OF_ORDER;
                break 'kind;
            }
            // RETRANSMISSION: anything else that does not advance the sequence number.
            if not_advanced {
                a.flags |= RETRANSMISSION;
            }
        }
    }

    // Remember the highest sequence number seen (zero window probes do not count).
    let nextseq = seq.add(seglen).add((s.syn || s.fin) as u32);
    if a.flags & ZERO_WINDOW_PROBE == 0 {
        if fwd.nextseq.is_none_or(|n| nextseq.is_after(n)) {
            fwd.nextseq = Some(nextseq);
            fwd.nextseq_time = s.ts;
        }
        if fwd.maxseqtobeacked.is_none_or(|m| m == seq) {
            fwd.maxseqtobeacked = fwd.nextseq;
        }
    }
    fwd.window = s.window;
    fwd.lastack = Some(ack);
    fwd.lastack_time = s.ts;
    fwd.last_flags = a.flags;
    fwd.last_syn = s.syn;
    if s.ack_flag {
        fwd.seen = true;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Counter`]'s discriminant indexes the table; each counted bit has
    /// a name on packet lines.
    #[test]
    fn counter_table_is_indexed_by_its_enum() {
        for (i, (c, _, _)) in COUNTED.iter().enumerate() {
            assert_eq!(*c as usize, i);
            assert!(!c.name().is_empty(), "{c:?}");
        }
        let mut n = AnalysisCounters::default();
        n.add(&Analysis {
            flags: bits::DUP_ACK | bits::ZERO_WINDOW_PROBE,
            dup_ack: 1,
        });
        let set: Vec<(Counter, u32)> = n.iter().filter(|(_, n)| *n > 0).collect();
        assert_eq!(set, [(Counter::DupAcks, 1), (Counter::ZeroWindowProbes, 1)]);
    }

    fn syn(ts_ms: u64, seq: u32) -> AnaSeg {
        AnaSeg {
            ts: Timestamp(ts_ms * 1_000_000),
            seq: SeqNumber(seq),
            ack: SeqNumber(0),
            len: 0,
            syn: true,
            fin: false,
            rst: false,
            ack_flag: false,
            window: 1000,
            wscale: None,
        }
    }

    /// The short way for in-order segments ([`in_order`]) gives what every
    /// check in turn gives ([`analyze_any`]): the marks and both sides'
    /// memory after each of 400,000 segments of random conversations
    /// (mostly in order, with lost, repeated and reordered segments, zero
    /// and changing windows, SYN, FIN and RST now and then, sequence
    /// numbers wrapping), at least a quarter of them taking the short way.
    #[test]
    fn in_order_is_analyze_any() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u32| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 16) as u32 % n
        };
        let (mut short, mut total) = (0u32, 0u32);
        for _conversation in 0..4000 {
            let mut sides = [SeqInfo::new(), SeqInfo::new()];
            let mut base = [next(u32::MAX), u32::MAX - next(3000)];
            let mut windows = [1 + next(3) as u16, 1 + next(3) as u16];
            let rtt = [0, 1_000_000][next(2) as usize];
            for i in 0..100u64 {
                let from = next(2) as usize;
                let to = 1 - from;
                if next(32) == 0 {
                    windows[from] = next(4) as u16;
                }
                let len = [0, 0, 1, 2, 44, 1448, next(70_000)][next(7) as usize];
                let seq = match next(24) {
                    0 => base[from].wrapping_sub(next(3000)),
                    1 => base[from].wrapping_add(next(3000)),
                    2 => base[from].wrapping_sub(1),
                    _ => base[from],
                };
                let ack = match next(8) {
                    0 => base[to].wrapping_add(next(3000)),
                    1 => base[to].wrapping_sub(next(3000)),
                    2..=4 => base[to],
                    _ => sides[from].lastack.map_or(base[to], |l| l.0),
                };
                let odd = next(40);
                let s = AnaSeg {
                    ts: Timestamp(i * [10, 1_000_000, 30_000_000][next(3) as usize]),
                    seq: SeqNumber(seq),
                    ack: SeqNumber(ack),
                    len,
                    syn: odd == 0,
                    fin: odd == 1,
                    rst: odd == 2,
                    ack_flag: odd != 3,
                    window: windows[from],
                    wscale: [None, Some(0), Some(7)][next(3) as usize],
                };
                let before = sides;
                let [f, r] = &mut sides;
                let (fwd, rev) = if from == 0 { (f, r) } else { (r, f) };
                let mut all = before;
                let [af, ar] = &mut all;
                let (any_fwd, any_rev) = if from == 0 { (af, ar) } else { (ar, af) };
                let expected = analyze_any(any_fwd, any_rev, &s, rtt);
                let (mut f2, mut r2) = (*fwd, *rev);
                short += u32::from(in_order(&mut f2, &mut r2, &s).is_some());
                total += 1;
                assert_eq!(
                    analyze(fwd, rev, &s, rtt),
                    expected,
                    "{s:?} after {before:?}"
                );
                assert_eq!(sides, all, "{s:?} after {before:?}");
                if next(24) != 0 {
                    base[from] = seq.wrapping_add(len);
                }
            }
        }
        assert!(short > total / 4, "{short} of {total} the short way");
    }

    /// An ISN of 2^32-1 puts the next expected sequence number at 0, which
    /// once meant "nothing seen yet": the retransmitted SYN went unmarked.
    #[test]
    fn syn_retransmitted_at_the_top_of_sequence_space_is_a_retransmission() {
        let (mut fwd, mut rev) = (SeqInfo::new(), SeqInfo::new());
        assert!(analyze(&mut fwd, &mut rev, &syn(0, u32::MAX), 0).is_empty());
        assert_eq!(fwd.nextseq, Some(SeqNumber(0)));
        let again = analyze(&mut fwd, &mut rev, &syn(1000, u32::MAX), 0);
        assert!(again.has(bits::RETRANSMISSION), "{again:?}");
    }
}
