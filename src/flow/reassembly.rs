//! TCP stream reassembly: each direction's bytes in sequence order, for
//! `sockscope follow`. It lives beside the tracker because the tracker
//! already knows which flow a segment belongs to, when a connection is
//! reused, and when a flow goes idle; the tracker drives one [`Reassembly`]
//! per followed flow and hands what comes out to a [`StreamSink`].
//!
//! Rules (Wireshark's where it has one): a direction starts at ISN+1 (or at
//! the first byte seen when the capture starts mid-stream); the first copy
//! of a byte wins, and a later copy with different bytes is reported as a
//! [`ChunkKind::Conflict`]; bytes that never arrive become
//! [`ChunkKind::Missing`] markers, never silently joined data. Segments
//! that arrive ahead of a hole are held (bounded per direction and by the
//! tracker's global budget) until the hole fills, the peer speaks (the hole
//! is then taken as lost, as tshark does), or the stream ends.

use crate::decode::tcp_seq::SeqNumber;
use crate::flow::key::{Endpoint, Proto};
use crate::packet::Timestamp;
use std::collections::BTreeMap;

/// Limits of reassembly. Zero means "no limit" for `depth`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReassemblyConfig {
    /// Bytes of one direction delivered at most; the rest is counted and
    /// marked once as cut ([`Cause::Depth`]).
    pub depth: u64,
    /// Bytes one direction may hold ahead of a hole before the hole is
    /// declared lost.
    pub window: usize,
    /// Bytes all streams together may hold (out-of-order segments and the
    /// recent bytes kept to compare retransmissions); over it, the biggest
    /// holder gives up its holes.
    pub memory: usize,
    /// Follow only this stream (`None`: every TCP and UDP flow).
    pub only: Option<StreamSelector>,
}

impl Default for ReassemblyConfig {
    fn default() -> Self {
        ReassemblyConfig {
            depth: 0,
            window: 4 << 20,
            memory: 256 << 20,
            only: None,
        }
    }
}

/// Which stream `--stream` names: a flow uid (`C3`) or tshark's
/// `tcp.stream` index (0-based, TCP flows only, in order of first packet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamSelector {
    Uid(u64),
    Index(u64),
}

/// As the user wrote it: `C3` or `7`.
impl std::fmt::Display for StreamSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamSelector::Uid(u) => write!(f, "C{u}"),
            StreamSelector::Index(i) => write!(f, "{i}"),
        }
    }
}

impl StreamSelector {
    /// `C3` → uid 3; `7` → index 7.
    pub fn parse(s: &str) -> Option<StreamSelector> {
        match s.strip_prefix(['C', 'c']) {
            Some(n) => n.parse().ok().map(StreamSelector::Uid),
            None => s.parse().ok().map(StreamSelector::Index),
        }
    }

    pub fn selects(&self, info: &StreamInfo) -> bool {
        match *self {
            StreamSelector::Uid(u) => info.uid == u,
            StreamSelector::Index(i) => info.proto == Proto::Tcp && info.index == i,
        }
    }
}

/// Who talks in a followed stream. Node 0 sent the stream's first packet
/// (tshark's rule, so a mid-stream capture may put the server first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamInfo {
    pub uid: u64,
    /// tshark's `tcp.stream` (or `udp.stream`) number: 0-based, per protocol.
    pub index: u64,
    pub proto: Proto,
    pub node0: Endpoint,
    pub node1: Endpoint,
    pub first: Timestamp,
}

/// Why bytes are missing from a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Never captured (lost before the capture point, or before it started).
    Lost,
    /// Cut by the snap length: the segment was seen, its tail was not kept.
    Snapped,
    /// Held data passed the per-direction window or the global memory limit.
    Limit,
    /// Past the per-direction depth limit.
    Depth,
}

impl Cause {
    pub fn name(self) -> &'static str {
        match self {
            Cause::Lost => "lost",
            Cause::Snapped => "snapped",
            Cause::Limit => "memory limit",
            Cause::Depth => "depth limit",
        }
    }
}

/// What one chunk carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkKind<'a> {
    /// Bytes at `offset`, in order.
    Data(&'a [u8]),
    /// `len` bytes at `offset` that will never be shown.
    Missing { len: u64, cause: Cause },
    /// `len` bytes at `offset` were sent again with different content; the
    /// first copy was kept.
    Conflict { len: u64 },
}

/// One piece of a direction's byte stream, in the order it became final.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// Sent by node 0 (else node 1).
    pub from_node0: bool,
    /// Byte offset in its direction (0 = the first byte after the SYN).
    pub offset: u64,
    pub kind: ChunkKind<'a>,
    /// Number of the packet (1-based, in the source) the bytes came from,
    /// or that made a hole final.
    pub packet: u64,
    pub ts: Timestamp,
}

/// Per-direction totals, for the index file and the summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DirTotals {
    pub bytes: u64,
    pub missing: u64,
    pub gaps: u64,
    pub conflicts: u64,
    pub conflict_bytes: u64,
    pub cut: u64,
}

/// Where reassembled streams go (the `follow` printers, tests).
pub trait StreamSink {
    fn start(&mut self, info: &StreamInfo);
    fn chunk(&mut self, info: &StreamInfo, chunk: &Chunk<'_>);
    /// The stream is over (closed, idle, reused, evicted, or the input ended).
    fn end(&mut self, info: &StreamInfo, totals: [DirTotals; 2]);
}

/// A segment as reassembly sees it.
#[derive(Clone, Copy, Debug)]
pub struct Segment<'a> {
    pub seq: SeqNumber,
    pub syn: bool,
    pub fin_or_rst: bool,
    /// The acknowledgment number, when the ACK flag is set.
    pub ack: Option<SeqNumber>,
    /// Captured payload bytes.
    pub data: &'a [u8],
    /// Payload length the headers declare (more than `data` when snapped).
    pub declared: u32,
    pub packet: u64,
    pub ts: Timestamp,
}

/// Bytes of recent in-order data kept per direction, to tell a faithful
/// retransmission from one with different bytes.
const RECENT: usize = 64 << 10;

/// What one held segment costs besides its bytes (its map entry and
/// allocation), counted so that many small holes are bounded too.
const HELD_OVERHEAD: usize = 96;
/// What a direction's map of held segments costs once it holds anything
/// (a B-tree leaf of eleven entries).
const MAP_OVERHEAD: usize = 768;

/// One held out-of-order segment.
#[derive(Clone, Debug)]
struct Held {
    data: Vec<u8>,
    /// Declared end offset (past `data` when snapped).
    end: u64,
    packet: u64,
    ts: Timestamp,
}

/// One direction of a TCP stream.
#[derive(Clone, Debug, Default)]
struct Direction {
    /// Sequence number of the byte at `next`.
    next_seq: Option<SeqNumber>,
    next: u64,
    /// Out-of-order segments by (start offset, arrival), kept whole even
    /// when they overlap: the one that starts first fills a hole (tshark's
    /// way), and delivery trims what was already delivered.
    held: BTreeMap<(u64, u64), Held>,
    held_bytes: usize,
    arrivals: u64,
    /// The last in-order bytes (ending at `next`).
    recent: Vec<u8>,
    closed: bool,
    totals: DirTotals,
}

/// Both directions of one followed stream.
#[derive(Clone, Debug)]
pub struct Reassembly {
    pub info: StreamInfo,
    dirs: [Direction; 2],
}

/// How a call changed what is held, for the tracker's global budget.
pub type HeldDelta = isize;

impl Reassembly {
    pub fn new(info: StreamInfo) -> Reassembly {
        Reassembly {
            info,
            dirs: [Direction::default(), Direction::default()],
        }
    }

    /// Bytes held (out of order and recent).
    pub fn held(&self) -> usize {
        self.dirs
            .iter()
            .map(|d| d.held_bytes + d.recent.capacity())
            .sum()
    }

    /// A UDP datagram: one chunk, in arrival order.
    pub fn datagram(
        &mut self,
        from_node0: bool,
        data: &[u8],
        packet: u64,
        ts: Timestamp,
        sink: &mut dyn StreamSink,
    ) {
        let d = &mut self.dirs[usize::from(!from_node0)];
        sink.chunk(
            &self.info,
            &Chunk {
                from_node0,
                offset: d.totals.bytes,
                kind: ChunkKind::Data(data),
                packet,
                ts,
            },
        );
        d.totals.bytes += data.len() as u64;
    }

    /// One TCP segment from node 0 (or 1). Returns the change in held bytes.
    pub fn segment(
        &mut self,
        from_node0: bool,
        seg: &Segment<'_>,
        cfg: &ReassemblyConfig,
        sink: &mut dyn StreamSink,
    ) -> HeldDelta {
        let before = self.held() as isize;
        let me = usize::from(!from_node0);
        // The peer sending data that acknowledges bytes past a hole means
        // the hole was sent and not captured (tshark's rule): the other
        // side's holes become markers first.
        if seg.declared > 0
            && let Some(ack) = seg.ack
        {
            let [d0, d1] = &mut self.dirs;
            let other = if from_node0 { d1 } else { d0 };
            if !other.held.is_empty() && other.next_seq.is_some_and(|n| ack.is_after(n)) {
                let out = &mut Out::new(!from_node0, cfg, &self.info, sink);
                other.flush(seg.packet, Cause::Lost, out);
            }
        }
        let out = &mut Out::new(from_node0, cfg, &self.info, sink);
        self.dirs[me].segment(seg, out);
        for d in &mut self.dirs {
            if d.closed && d.held.is_empty() && d.recent.capacity() > 0 {
                // Closed and complete: nothing left to compare with.
                d.recent = Vec::new();
            }
        }
        self.held() as isize - before
    }

    /// Both directions closed (FIN or RST) with nothing held: the stream
    /// can be finished now rather than when its flow leaves the table.
    pub fn is_done(&self) -> bool {
        self.dirs.iter().all(|d| d.closed && d.held.is_empty())
    }

    /// Give up every hole of both directions (memory pressure).
    pub fn release(
        &mut self,
        packet: u64,
        cfg: &ReassemblyConfig,
        sink: &mut dyn StreamSink,
    ) -> HeldDelta {
        let before = self.flush_both(packet, Cause::Limit, cfg, sink);
        for d in &mut self.dirs {
            d.recent = Vec::new();
        }
        self.held() as isize - before
    }

    /// The stream ends: what is held comes out behind gap markers, then the
    /// sink hears the totals. Returns the held bytes released (negative).
    pub fn finish(
        mut self,
        packet: u64,
        cfg: &ReassemblyConfig,
        sink: &mut dyn StreamSink,
    ) -> HeldDelta {
        let before = self.flush_both(packet, Cause::Lost, cfg, sink);
        let [a, b] = &self.dirs;
        sink.end(&self.info, [a.totals, b.totals]);
        -before
    }

    /// Declare every hole of both directions lost for `cause`. Returns
    /// the bytes held before.
    fn flush_both(
        &mut self,
        packet: u64,
        cause: Cause,
        cfg: &ReassemblyConfig,
        sink: &mut dyn StreamSink,
    ) -> isize {
        let before = self.held() as isize;
        for (i, d) in self.dirs.iter_mut().enumerate() {
            let out = &mut Out::new(i == 0, cfg, &self.info, sink);
            d.flush(packet, cause, out);
        }
        before
    }
}

/// Where one direction's chunks go and what decides them: which node sends,
/// the limits, the stream and its sink. Every step of placing a segment
/// takes this one argument instead of four.
struct Out<'a> {
    from_node0: bool,
    cfg: &'a ReassemblyConfig,
    info: &'a StreamInfo,
    sink: &'a mut dyn StreamSink,
}

impl<'a> Out<'a> {
    fn new(
        from_node0: bool,
        cfg: &'a ReassemblyConfig,
        info: &'a StreamInfo,
        sink: &'a mut dyn StreamSink,
    ) -> Out<'a> {
        Out {
            from_node0,
            cfg,
            info,
            sink,
        }
    }

    fn chunk(&mut self, offset: u64, kind: ChunkKind<'_>, packet: u64, ts: Timestamp) {
        let chunk = Chunk {
            from_node0: self.from_node0,
            offset,
            kind,
            packet,
            ts,
        };
        self.sink.chunk(self.info, &chunk);
    }
}

/// Bytes `[start, end)` of one direction from one packet; `data` is what
/// was captured of them (a prefix: shorter when snapped).
#[derive(Clone, Copy)]
struct Piece<'a> {
    start: u64,
    end: u64,
    data: &'a [u8],
    packet: u64,
    ts: Timestamp,
}

impl Direction {
    fn segment(&mut self, seg: &Segment<'_>, out: &mut Out<'_>) {
        let base = *self
            .next_seq
            .get_or_insert(if seg.syn { seg.seq.add(1) } else { seg.seq });
        let first = if seg.syn { seg.seq.add(1) } else { seg.seq };
        // Offset of the segment's first byte: relative to the next expected
        // byte, in serial arithmetic, so it survives sequence wrap.
        let rel = first.distance_from(base) as i32 as i64;
        let start = self.next as i64 + rel;
        if seg.fin_or_rst {
            self.closed = true;
        }
        if seg.declared == 0 {
            return;
        }
        let end = start + seg.declared as i64;
        if end <= 0 {
            return;
        }
        // Bytes before offset 0 (a retransmission from before the capture
        // began) are dropped.
        let skip = (-start).max(0) as usize;
        let piece = Piece {
            start: start.max(0) as u64,
            end: end as u64,
            data: seg.data.get(skip..).unwrap_or(&[]),
            packet: seg.packet,
            ts: seg.ts,
        };
        self.place(piece, out);
    }

    /// Place a piece into the stream: deliver it, or hold it ahead of a hole.
    fn place(&mut self, p: Piece<'_>, out: &mut Out<'_>) {
        let Piece {
            start, end, data, ..
        } = p;
        // The part already delivered: compare with the recent bytes.
        let (start, data) = if start < self.next {
            let dup = (self.next.min(end) - start) as usize;
            // `recent` holds the bytes just before `next`.
            let recent_start = self.next - self.recent.len() as u64;
            let from = start.max(recent_start);
            let old = self
                .recent
                .get((from - recent_start) as usize..)
                .unwrap_or(&[]);
            let new = data.get((from - start) as usize..).unwrap_or(&[]);
            let n = old.len().min(new.len()).min(dup);
            if old.get(..n) != new.get(..n) {
                let kind = ChunkKind::Conflict { len: dup as u64 };
                self.mark(start, kind, p.packet, p.ts, out);
            }
            (self.next.min(end), data.get(dup..).unwrap_or(&[]))
        } else {
            (start, data)
        };
        if start >= end {
            return;
        }
        let p = Piece { start, data, ..p };
        if start == self.next {
            self.deliver(p, out);
            self.drain(out);
        } else {
            self.hold(p);
            if self.held_bytes > out.cfg.window {
                self.flush(p.packet, Cause::Limit, out);
            }
        }
    }

    /// Deliver in-order bytes from `next` up to the piece's end (a snapped
    /// tail is marked missing), honouring the depth limit.
    fn deliver(&mut self, p: Piece<'_>, out: &mut Out<'_>) {
        let Piece {
            end,
            data,
            packet,
            ts,
            ..
        } = p;
        let start = self.next;
        let len = end - start;
        let data = data
            .get(..(len.min(data.len() as u64)) as usize)
            .unwrap_or(&[]);
        let limit = if out.cfg.depth == 0 {
            u64::MAX
        } else {
            out.cfg.depth
        };
        let room = limit.saturating_sub(start);
        let shown = data
            .get(..(room.min(data.len() as u64)) as usize)
            .unwrap_or(&[]);
        if !shown.is_empty() {
            out.chunk(start, ChunkKind::Data(shown), packet, ts);
            self.totals.bytes += shown.len() as u64;
        }
        self.remember(shown);
        let snapped = len - data.len() as u64;
        if snapped > 0 && start + (data.len() as u64) < limit {
            let gap = snapped.min(limit - start - data.len() as u64);
            let kind = ChunkKind::Missing {
                len: gap,
                cause: Cause::Snapped,
            };
            self.mark(start + data.len() as u64, kind, packet, ts, out);
        }
        if end > limit {
            let cut_from = start.max(limit);
            if self.totals.cut == 0 {
                let kind = ChunkKind::Missing {
                    len: end - cut_from,
                    cause: Cause::Depth,
                };
                out.chunk(cut_from, kind, packet, ts);
            }
            self.totals.cut += end - cut_from;
        }
        if shown.len() as u64 != len {
            // What follows a hole or a cut cannot be compared byte for byte.
            self.recent.clear();
        }
        self.next_seq = self.next_seq.map(|s| s.add(len as u32));
        self.next = end;
    }

    fn remember(&mut self, bytes: &[u8]) {
        if bytes.len() >= RECENT {
            self.recent.clear();
            self.recent
                .extend_from_slice(bytes.get(bytes.len() - RECENT..).unwrap_or(&[]));
            return;
        }
        if self.recent.len() + bytes.len() > 2 * RECENT {
            let drop = self.recent.len() + bytes.len() - RECENT;
            self.recent.drain(..drop.min(self.recent.len()));
        }
        self.recent.extend_from_slice(bytes);
    }

    /// Report a hole or a conflict at `offset`: its chunk, then its count.
    fn mark(
        &mut self,
        offset: u64,
        kind: ChunkKind<'_>,
        packet: u64,
        ts: Timestamp,
        out: &mut Out<'_>,
    ) {
        out.chunk(offset, kind, packet, ts);
        match kind {
            ChunkKind::Missing { len, .. } => {
                self.totals.gaps += 1;
                self.totals.missing += len;
                // The hole's bytes are unknown: nothing recent to compare against.
                self.recent.clear();
            }
            ChunkKind::Conflict { len } => {
                self.totals.conflicts += 1;
                self.totals.conflict_bytes += len;
            }
            ChunkKind::Data(_) => {}
        }
    }

    /// Keep an out-of-order piece until the hole before it fills.
    fn hold(&mut self, p: Piece<'_>) {
        self.arrivals += 1;
        if self.held.is_empty() {
            self.held_bytes += MAP_OVERHEAD;
        }
        self.held_bytes += p.data.len() + HELD_OVERHEAD;
        self.held.insert(
            (p.start, self.arrivals),
            Held {
                data: p.data.to_vec(),
                end: p.end,
                packet: p.packet,
                ts: p.ts,
            },
        );
    }

    /// Deliver held segments that now start at or before `next`.
    fn drain(&mut self, out: &mut Out<'_>) {
        while let Some(entry) = self.held.first_entry() {
            if entry.key().0 > self.next {
                break;
            }
            let ((start, _), h) = entry.remove_entry();
            self.held_bytes = self.held_bytes.saturating_sub(h.data.len() + HELD_OVERHEAD);
            if self.held.is_empty() {
                // An empty map may keep its node: give it back.
                self.held = BTreeMap::new();
                self.held_bytes = self.held_bytes.saturating_sub(MAP_OVERHEAD);
            }
            let piece = Piece {
                start,
                end: h.end,
                data: &h.data,
                packet: h.packet,
                ts: h.ts,
            };
            self.place(piece, out);
        }
    }

    /// Declare every hole before the held segments lost and deliver them.
    fn flush(&mut self, packet: u64, cause: Cause, out: &mut Out<'_>) {
        while let Some(&(s, _)) = self.held.keys().next() {
            if s > self.next {
                let len = s - self.next;
                // tshark stamps a hole with the packet that revealed it and
                // no time; we do the same.
                let kind = ChunkKind::Missing { len, cause };
                self.mark(self.next, kind, packet, Timestamp(0), out);
                self.next_seq = self.next_seq.map(|q| q.add(len as u32));
                self.next = s;
            }
            self.drain(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what a stream produced, as text: `0:hello` data from node
    /// 0, `1:[3 missing lost]`, `0:{2 conflict}`.
    #[derive(Default)]
    struct Log(Vec<String>, Vec<[DirTotals; 2]>);

    impl StreamSink for Log {
        fn start(&mut self, _: &StreamInfo) {}
        fn chunk(&mut self, _: &StreamInfo, c: &Chunk<'_>) {
            let who = if c.from_node0 { 0 } else { 1 };
            let s = match c.kind {
                ChunkKind::Data(d) => String::from_utf8_lossy(d).into_owned(),
                ChunkKind::Missing { len, cause } => format!("[{len} missing {}]", cause.name()),
                ChunkKind::Conflict { len } => format!("{{{len} conflict}}"),
            };
            self.0.push(format!("{who}@{}:{s}", c.offset));
        }
        fn end(&mut self, _: &StreamInfo, t: [DirTotals; 2]) {
            self.1.push(t);
        }
    }

    fn info() -> StreamInfo {
        let e = Endpoint::new("10.0.0.1".parse().unwrap(), 1);
        StreamInfo {
            uid: 1,
            index: 0,
            proto: Proto::Tcp,
            node0: e,
            node1: e,
            first: Timestamp(0),
        }
    }

    fn seg(seq: u32, data: &[u8]) -> Segment<'_> {
        Segment {
            seq: SeqNumber(seq),
            syn: false,
            fin_or_rst: false,
            ack: None,
            data,
            declared: data.len() as u32,
            packet: 1,
            ts: Timestamp(1),
        }
    }

    /// A segment written as `"NODE SEQ DATA"` (node 0 or 1; DATA may be
    /// left out), then optionally `ack=N`, `declared=N` or `+syn`, so that
    /// a case reads as a line.
    fn parse(spec: &str) -> (bool, Segment<'_>) {
        let mut words = spec.split(' ');
        let node0 = words.next() == Some("0");
        let seq = words.next().and_then(|w| w.parse().ok());
        let mut s = seg(seq.expect("a sequence number"), b"");
        for w in words {
            match w.split_once('=') {
                Some(("ack", n)) => s.ack = n.parse().ok().map(SeqNumber),
                Some(("declared", n)) => s.declared = n.parse().expect("a length"),
                Some(_) => panic!("unknown word {w:?} in {spec:?}"),
                None if w == "+syn" => s.syn = true,
                None => {
                    s.data = w.as_bytes();
                    s.declared = s.data.len() as u32;
                }
            }
        }
        (node0, s)
    }

    /// `segs` through one stream, then its end.
    fn stream(cfg: ReassemblyConfig, segs: &[&str]) -> Log {
        let mut log = Log::default();
        let mut r = Reassembly::new(info());
        for (n0, s) in segs.iter().map(|s| parse(s)) {
            r.segment(n0, &s, &cfg, &mut log);
        }
        r.finish(9, &cfg, &mut log);
        log
    }

    /// Both SYNs (ISNs 99 and 499), then `segs`, then the end.
    fn run(cfg: ReassemblyConfig, segs: &[&str]) -> Log {
        stream(cfg, &[&["0 99 +syn", "1 499 +syn"], segs].concat())
    }

    /// The default configuration with one change.
    fn with(change: impl FnOnce(&mut ReassemblyConfig)) -> ReassemblyConfig {
        let mut cfg = ReassemblyConfig::default();
        change(&mut cfg);
        cfg
    }

    /// `run`, with the default configuration, checked against `chunks`.
    fn check(segs: &[&str], chunks: &[&str]) -> Log {
        let log = run(ReassemblyConfig::default(), segs);
        assert_eq!(log.0, chunks);
        log
    }

    #[test]
    fn test_in_order_and_reordered() {
        let log = check(&["0 105 world", "0 100 hello"], &["0@0:hello", "0@5:world"]);
        assert_eq!(log.1[0][0].bytes, 10);
    }

    #[test]
    fn test_first_copy_wins_and_conflicts_are_reported() {
        let log = check(
            &["0 100 hello", "0 100 hello", "0 103 LOWORLD"],
            &["0@0:hello", "0@3:{2 conflict}", "0@5:WORLD"],
        );
        assert_eq!(log.1[0][0].conflicts, 1);
    }

    #[test]
    fn test_held_overlap_conflict() {
        // The held copy that starts first fills the hole (tshark's way);
        // the other one's different bytes are reported when it is trimmed.
        check(
            &["0 105 abc", "0 104 XaBcd", "0 100 0123"],
            &["0@0:0123", "0@4:XaBcd", "0@5:{3 conflict}"],
        );
    }

    #[test]
    fn test_gap_becomes_a_marker_when_the_peer_speaks() {
        // Data from the peer that does not acknowledge past the hole leaves
        // it open; data that does closes it as lost.
        let log = check(
            &["0 100 aaaa", "0 108 cccc", "1 500 w", "1 501 x ack=112"],
            &[
                "0@0:aaaa",
                "1@0:w",
                "0@4:[4 missing lost]",
                "0@8:cccc",
                "1@1:x",
            ],
        );
        assert_eq!(log.1[0][0].missing, 4);
    }

    #[test]
    fn test_snapped_tail_is_missing() {
        check(
            &["0 100 ab declared=10", "0 110 z"],
            &["0@0:ab", "0@2:[8 missing snapped]", "0@10:z"],
        );
    }

    #[test]
    fn test_depth_limit_cuts_and_marks_once() {
        let log = run(with(|c| c.depth = 6), &["0 100 hello", "0 105 world"]);
        assert_eq!(log.0, ["0@0:hello", "0@5:w", "0@6:[4 missing depth limit]"]);
        assert_eq!(log.1[0][0].cut, 4);
    }

    #[test]
    fn test_window_limit_gives_up_the_hole() {
        let log = run(with(|c| c.window = 4), &["0 102 cd", "0 104 efg"]);
        assert_eq!(log.0, ["0@0:[2 missing memory limit]", "0@2:cd", "0@4:efg"]);
    }

    #[test]
    fn test_sequence_wrap() {
        let log = stream(
            ReassemblyConfig::default(),
            &["0 4294967293 +syn", "0 4294967294 ab", "0 0 cd"],
        );
        assert_eq!(log.0, ["0@0:ab", "0@2:cd"]);
    }

    #[test]
    fn test_mid_stream_starts_at_first_byte() {
        let log = stream(
            ReassemblyConfig::default(),
            &["1 7000 srv", "1 6990 0123456789srv"],
        );
        assert_eq!(log.0, ["1@0:srv"]);
    }

    #[test]
    fn test_selector_parse() {
        assert_eq!(StreamSelector::parse("C3"), Some(StreamSelector::Uid(3)));
        assert_eq!(StreamSelector::parse("7"), Some(StreamSelector::Index(7)));
        assert_eq!(StreamSelector::parse("x"), None);
    }
}
