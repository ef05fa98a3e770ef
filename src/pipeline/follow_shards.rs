//! `follow --threads N`: the reader does what a packet needs before the
//! tracker (the counters, the filter, the flow view, `-c`) and hands each
//! worker the views and payloads of the flows a symmetric hash of the key
//! gives it (`parallel::owner`, as `flow_shards` does for `--flows`). Each worker tracks its
//! shard of the flows and reassembles their streams, recording what it
//! would have told the printer ([`Log`]); the calling thread replays the
//! logs into the one printer in the order one tracker tells it, so the
//! output is the same bytes whatever the number of threads.
//!
//! That order: packet by packet, the streams a sweep ended there (oldest
//! first, over all shards), then what the packet's own flow did; at the
//! end the open streams, oldest first. Flows are numbered (uid, tshark's
//! stream index) here, in packet order, as one tracker numbers them.
//! Where it can differ: the global memory limit (`--max-memory`) is
//! counted per shard, so under memory pressure holes are given up at
//! other packets than one tracker would (and `flow_shards`' caveats on
//! 100,000 live flows hold here too).

use super::driver::{Pipeline, PipelineError, UserFilter, flow_config, service_of};
use super::parallel::owner;
use super::{OutputConfig, RunSummary};
use crate::flow::reassembly::{
    Cause, Chunk, ChunkKind, DirTotals, ReassemblyConfig, StreamInfo, StreamSink,
};
use crate::flow::shard::{Shard, SweepClock, merge};
use crate::flow::tracker::FlowHasherBuilder;
use crate::flow::{FlowConfig, FlowPacket, FlowTracker, Proto};
use crate::output::follow::FollowPrinter;
use crate::packet::{Packet, Timestamp};
use crate::source::{PacketSource, SourceError};
use std::collections::HashMap;
use std::io::Write;
use std::sync::mpsc::{self, Receiver, Sender};

/// Packets handed out at once (over all workers).
const BATCH_PACKETS: usize = 4096;

/// Rounds of batches in flight before the reader replays the oldest:
/// bounds the memory the logs and batches hold.
const IN_FLIGHT: usize = 4;

/// One worker's share of a round: each view with its number in the source
/// and its payload's place in `data`; the sweep-clock ticks before
/// `items[i]` (or after the last at `items.len()`); the number of the
/// last packet routed so far (the end of input numbers holes with it).
#[derive(Default)]
struct Batch {
    items: Vec<(u64, FlowPacket, usize, usize)>,
    data: Vec<u8>,
    ticks: Vec<(usize, Timestamp, u64)>,
    last: u64,
}

/// When a part of a log was told: a tick's sweep, a packet, or the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Tick,
    Packet,
    End,
}

/// What a chunk carries, its bytes as a range of [`Log::data`].
#[derive(Clone, Copy, Debug)]
enum Kind {
    Data(usize, usize),
    Missing { len: u64, cause: Cause },
    Conflict { len: u64 },
}

/// One call a worker's tracker made to its sink; streams by the worker's
/// own uid (numbered again when replayed).
#[derive(Clone, Copy, Debug)]
enum Event {
    Start(StreamInfo),
    Chunk {
        uid: u64,
        from_node0: bool,
        offset: u64,
        kind: Kind,
        packet: u64,
        ts: Timestamp,
    },
    End(u64, [DirTotals; 2]),
    /// A flow that is not followed (neither TCP nor UDP) was created: it
    /// still takes a uid.
    Born,
}

impl Event {
    fn uid(&self) -> Option<u64> {
        match *self {
            Event::Start(info) => Some(info.uid),
            Event::Chunk { uid, .. } | Event::End(uid, _) => Some(uid),
            Event::Born => None,
        }
    }
}

/// What one worker's tracker told its sink over one round: the events,
/// the bytes of their chunks, and the parts (packet number, stage, end
/// of its events).
#[derive(Default)]
struct Log {
    events: Vec<Event>,
    data: Vec<u8>,
    parts: Vec<(u64, Stage, usize)>,
}

impl Log {
    /// Close the part told at packet `number`, if it told anything.
    fn close(&mut self, number: u64, stage: Stage) {
        let start = self.parts.last().map_or(0, |p| p.2);
        if self.events.len() > start {
            self.parts.push((number, stage, self.events.len()));
        }
    }

    /// Whether the open part started a stream.
    fn started(&self) -> bool {
        let start = self.parts.last().map_or(0, |p| p.2);
        self.events
            .get(start..)
            .is_some_and(|e| e.iter().any(|e| matches!(e, Event::Start(_))))
    }
}

impl StreamSink for Log {
    fn start(&mut self, info: &StreamInfo) {
        self.events.push(Event::Start(*info));
    }

    fn chunk(&mut self, info: &StreamInfo, c: &Chunk<'_>) {
        let kind = match c.kind {
            ChunkKind::Data(d) => {
                let at = self.data.len();
                self.data.extend_from_slice(d);
                Kind::Data(at, self.data.len())
            }
            ChunkKind::Missing { len, cause } => Kind::Missing { len, cause },
            ChunkKind::Conflict { len } => Kind::Conflict { len },
        };
        self.events.push(Event::Chunk {
            uid: info.uid,
            from_node0: c.from_node0,
            offset: c.offset,
            kind,
            packet: c.packet,
            ts: c.ts,
        });
    }

    fn end(&mut self, info: &StreamInfo, totals: [DirTotals; 2]) {
        self.events.push(Event::End(info.uid, totals));
    }
}

/// Drive `source` to its end for `follow` on `threads` workers; `reporter`
/// is the pipeline one thread would have run (its printer prints).
pub(super) fn run(
    source: &mut dyn PacketSource,
    opts: &OutputConfig,
    threads: usize,
    mut reporter: Pipeline,
    out: &mut dyn Write,
) -> Result<RunSummary, PipelineError> {
    let cfg = flow_config(opts);
    let reassembly = opts
        .follow
        .as_ref()
        .map(|f| f.reassembly)
        .unwrap_or_default();
    std::thread::scope(|scope| {
        let mut queues = Vec::new();
        let mut logs = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..threads {
            let (tx, rx) = mpsc::channel::<Batch>();
            let (log_tx, log_rx) = mpsc::channel::<Log>();
            queues.push(tx);
            logs.push(log_rx);
            handles.push(scope.spawn(move || follow(cfg, reassembly, &rx, &log_tx)));
        }
        let mut reader = Reader::new(opts, queues);
        let mut replay = Replay::default();
        let source_error = reader.drain(source, |flush| {
            replay.next_round(&logs, &mut reporter, out)?;
            if flush {
                out.flush()?;
            }
            Ok(())
        })?;
        let (mut total, flying) = reader.finish();
        // The rounds still in flight, then each worker's end of input.
        for _ in 0..flying {
            replay.next_round(&logs, &mut reporter, out)?;
        }
        let ends: Vec<Log> = logs.iter().filter_map(|l| l.recv().ok()).collect();
        replay.round(ends, &mut reporter, out)?;
        let shards: Vec<Shard> = handles.into_iter().filter_map(|h| h.join().ok()).collect();
        total.follow = reporter.finish_merged_follow(merge(shards), out)?;
        total.source = source.stats();
        total.source_error = source_error;
        Ok(total)
    })
}

/// A worker: its shard of the flows and their streams, fed the batches in
/// order; each round's log goes back, then the end of input's.
fn follow(
    cfg: FlowConfig,
    reassembly: ReassemblyConfig,
    work: &Receiver<Batch>,
    logs: &Sender<Log>,
) -> Shard {
    let mut t = FlowTracker::new(cfg).shard().with_reassembly(reassembly);
    let mut last = 0;
    while let Ok(b) = work.recv() {
        let mut log = Log::default();
        let mut ticks = b.ticks.iter().peekable();
        for (i, &(number, fp, start, end)) in b.items.iter().enumerate() {
            while let Some(&(_, ts, n)) = ticks.next_if(|t| t.0 <= i) {
                t.tick(ts, n);
                t.finish_ended(n, &mut log);
                log.close(n, Stage::Tick);
            }
            let before = t.flows_created();
            t.number_next(number);
            let payload = b.data.get(start..end).unwrap_or_default();
            t.observe_payload(&fp, payload, number, &mut log);
            if t.flows_created() > before && !log.started() {
                log.events.push(Event::Born);
            }
            log.close(number, Stage::Packet);
        }
        for &(_, ts, n) in ticks {
            t.tick(ts, n);
            t.finish_ended(n, &mut log);
            log.close(n, Stage::Tick);
        }
        last = b.last;
        // The reader stopped listening (an error): the run is over anyway.
        let _ = logs.send(log);
    }
    let mut log = Log::default();
    t.finish_streams_at(last, &mut log);
    log.close(last, Stage::End);
    let _ = logs.send(log);
    t.finish_shard()
}

/// The calling thread's reading side: one pipeline's work before its
/// tracker, in the same order, so that the counters and `-c` come out as
/// one thread's.
struct Reader {
    filter: Option<UserFilter>,
    clock: SweepClock,
    count: Option<u64>,
    hasher: FlowHasherBuilder,
    batches: Vec<Batch>,
    in_batches: usize,
    queues: Vec<Sender<Batch>>,
    /// Rounds sent and not yet replayed.
    flying: usize,
    last: u64,
    total: RunSummary,
}

impl Reader {
    fn new(opts: &OutputConfig, queues: Vec<Sender<Batch>>) -> Self {
        Reader {
            filter: opts.filter.clone().map(UserFilter::new),
            clock: SweepClock::default(),
            count: opts.count,
            hasher: FlowHasherBuilder::default(),
            batches: queues.iter().map(|_| Batch::default()).collect(),
            in_batches: 0,
            queues,
            flying: 0,
            last: 0,
            total: RunSummary::default(),
        }
    }

    /// Read to the end (or to `-c`'s count); `replay(flush)` replays the
    /// oldest round in flight, then (`flush`: a live source is idle and
    /// every round was replayed) flushes the output. The source's error,
    /// if it ended with one.
    fn drain(
        &mut self,
        source: &mut dyn PacketSource,
        mut replay: impl FnMut(bool) -> Result<(), PipelineError>,
    ) -> Result<Option<SourceError>, PipelineError> {
        let mut number = 0u64;
        loop {
            if self.count.is_some_and(|c| self.total.matched >= c) {
                return Ok(None);
            }
            // Live and idle: what was read is told now, not when a round
            // fills (one thread would have printed it by now).
            if self.in_batches > 0 && source.may_wait() {
                self.send();
                while self.flying > 0 {
                    self.flying -= 1;
                    replay(self.flying == 0)?;
                }
            }
            let p = match source.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => return Ok(None),
                Err(e) => return Ok(Some(e)),
            };
            number += 1;
            if self.packet(&p, number) {
                self.send();
                if self.flying > IN_FLIGHT {
                    replay(false)?;
                    self.flying -= 1;
                }
            }
        }
    }

    /// One packet; true when a round is full.
    fn packet(&mut self, p: &Packet<'_>, number: u64) -> bool {
        let s = &mut self.total;
        s.packets += 1;
        s.count_link(p.link, 1);
        if let Some(f) = &mut self.filter
            && !f.matches(p)
        {
            return false;
        }
        let s = &mut self.total;
        s.matched += 1;
        if p.is_truncated() {
            s.truncated += 1;
        }
        let Some((mut fp, payload)) = FlowPacket::from_frame_payload(p.ts, p.link, p.data) else {
            return false;
        };
        fp.service = service_of(&fp, payload);
        if self.clock.tick(fp.ts) {
            for b in &mut self.batches {
                b.ticks.push((b.items.len(), fp.ts, number));
            }
        }
        // The one rule every threaded path shares (`read --threads`,
        // `flow_shards`): both directions of a flow reach one worker.
        let w = owner(Some(&fp.ends()), self.batches.len(), &self.hasher);
        if let Some(b) = self.batches.get_mut(w) {
            let start = b.data.len();
            b.data.extend_from_slice(payload);
            b.items.push((number, fp, start, b.data.len()));
        }
        self.last = number;
        self.in_batches += 1;
        self.in_batches >= BATCH_PACKETS
    }

    /// Send every worker its batch, empty or not: each answers every round.
    fn send(&mut self) {
        self.in_batches = 0;
        self.flying += 1;
        for (q, b) in self.queues.iter().zip(self.batches.iter_mut()) {
            let mut b = std::mem::take(b);
            b.last = self.last;
            // A worker that died is missing from the replay; the run goes on.
            let _ = q.send(b);
        }
    }

    /// End of input: the last round; closing the queues ends the workers.
    /// The run's counters, and the rounds still in flight.
    fn finish(mut self) -> (RunSummary, usize) {
        self.send();
        (self.total, self.flying)
    }
}

/// The replaying side: the workers' logs, round by round, told to the
/// printer in one tracker's order, with one tracker's numbering.
#[derive(Default)]
struct Replay {
    /// (worker, the worker's uid) → the stream as one tracker names it.
    streams: HashMap<(usize, u64), StreamInfo>,
    /// Flows created so far, and TCP and UDP streams (tshark's indexes).
    flows: u64,
    tcp: u64,
    udp: u64,
}

impl Replay {
    /// Wait for the oldest round in flight and replay it. Each worker
    /// answers each round, in order (one that died answers none).
    fn next_round(
        &mut self,
        logs: &[Receiver<Log>],
        reporter: &mut Pipeline,
        out: &mut dyn Write,
    ) -> Result<(), PipelineError> {
        let got: Vec<Log> = logs.iter().filter_map(|l| l.recv().ok()).collect();
        self.round(got, reporter, out)
    }

    /// One round (or the end): every worker's log, merged.
    fn round(
        &mut self,
        logs: Vec<Log>,
        reporter: &mut Pipeline,
        out: &mut dyn Write,
    ) -> Result<(), PipelineError> {
        let Some(printer) = reporter.follow_printer() else {
            return Ok(());
        };
        let mut at = vec![0usize; logs.len()];
        loop {
            // The earliest part left: by packet, a tick's sweep first.
            let next = logs
                .iter()
                .zip(&at)
                .filter_map(|(l, &i)| l.parts.get(i).map(|p| (p.0, p.1)))
                .min();
            let Some((number, stage)) = next else {
                return Ok(());
            };
            // Every worker's part at that moment, its streams oldest first
            // (one packet's part belongs to one worker: told as it came).
            let mut groups = Vec::new();
            for (w, (log, i)) in logs.iter().zip(at.iter_mut()).enumerate() {
                let Some(&(n, s, end)) = log.parts.get(*i) else {
                    continue;
                };
                if (n, s) != (number, stage) {
                    continue;
                }
                let start = i
                    .checked_sub(1)
                    .and_then(|j| log.parts.get(j))
                    .map_or(0, |p| p.2);
                *i += 1;
                let events = log.events.get(start..end).unwrap_or_default();
                if stage == Stage::Packet {
                    groups.push((0, w, events));
                    continue;
                }
                for g in events.chunk_by(|a, b| a.uid() == b.uid()) {
                    let uid = g.first().and_then(Event::uid).unwrap_or(0);
                    let order = self.streams.get(&(w, uid)).map_or(u64::MAX, |s| s.uid);
                    groups.push((order, w, g));
                }
            }
            groups.sort_by_key(|g| g.0);
            for (_, w, events) in groups {
                let data = logs.get(w).map_or(&[][..], |l| &l.data);
                for e in events {
                    self.tell(w, e, data, printer, out);
                }
                if let Some(e) = printer.take_error() {
                    return Err(e.into());
                }
            }
        }
    }

    /// One event of worker `w` to the printer, its stream as one tracker
    /// names it.
    fn tell(
        &mut self,
        w: usize,
        e: &Event,
        data: &[u8],
        printer: &mut FollowPrinter,
        out: &mut dyn Write,
    ) {
        let mut sink = printer.sink(out);
        match *e {
            Event::Born => self.flows += 1,
            Event::Start(info) => {
                self.flows += 1;
                let counter = if info.proto == Proto::Tcp {
                    &mut self.tcp
                } else {
                    &mut self.udp
                };
                let named = StreamInfo {
                    uid: self.flows,
                    index: *counter,
                    ..info
                };
                *counter += 1;
                self.streams.insert((w, info.uid), named);
                sink.start(&named);
            }
            Event::Chunk {
                uid,
                from_node0,
                offset,
                kind,
                packet,
                ts,
            } => {
                let Some(info) = self.streams.get(&(w, uid)) else {
                    return;
                };
                let kind = match kind {
                    Kind::Data(a, b) => ChunkKind::Data(data.get(a..b).unwrap_or_default()),
                    Kind::Missing { len, cause } => ChunkKind::Missing { len, cause },
                    Kind::Conflict { len } => ChunkKind::Conflict { len },
                };
                let c = Chunk {
                    from_node0,
                    offset,
                    kind,
                    packet,
                    ts,
                };
                sink.chunk(info, &c);
            }
            Event::End(uid, totals) => {
                if let Some(info) = self.streams.remove(&(w, uid)) {
                    sink.end(&info, totals);
                }
            }
        }
    }
}
