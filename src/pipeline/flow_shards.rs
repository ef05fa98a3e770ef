//! `read --threads N` when the flow tracker is all the work (`--flows`,
//! `--timeline`, their JSON; no packet lines): the reader only reads
//! records, counts them, runs the filter (when there is one: `-c` counts
//! what it takes), keeps the sweep clock and samples the first packets'
//! checksums for the offload decision; it picks each packet's worker from
//! the ends of its flow read cheaply off the frame
//! ([`FlowPacket::frame_ends`]) and adds it to that worker's batch: where
//! it lies in the chunk the file was read into, shared, not copied
//! ([`PacketSource::next_shared`]). The workers do the rest, as one pipeline would: the flow view,
//! the service, the checksum verdict, the tracker, each its shard
//! (`crate::flow::shard`); at the end the shards merge into the report one
//! tracker gives, and its Parquet flows file (each packet goes with its
//! place in the capture, for the flows' pointers). (When the reader built
//! the views itself, it was the longest thread.)

use super::chunks::Packets;
use super::driver::{Pipeline, PipelineError, UserFilter, flow_config, service_of};
use super::offload::OffloadCheck;
use super::parallel::owner;
use super::{OutputConfig, RunSummary};
use crate::decode::checksum;
use crate::flow::shard::{Shard, SweepClock, merge};
use crate::flow::tracker::FlowHasherBuilder;
use crate::flow::{FlowConfig, FlowPacket, FlowTracker, PcapPos};
use crate::packet::{Packet, Timestamp};
use crate::source::{InChunk, PacketSource, SourceError};
use std::io::Write;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};

/// Packets handed out at once (over all workers): each batch costs the
/// channel a few hundred nanoseconds, spread over this many packets.
const BATCH_PACKETS: usize = 4096;

/// Batches queued per worker before the reader waits: bounds the memory
/// in flight when the workers are slower than the reader.
const QUEUED: usize = 4;

/// One worker's share of the packets read: the packets, the sweep-clock
/// ticks before `recs[i]` (or after the last at `recs.len()`) with the time and the packet's
/// number, and whether bad checksums count (the offload decision).
#[derive(Default)]
struct Batch {
    packets: Packets,
    ticks: Vec<(usize, Timestamp, u64)>,
    counts: bool,
}

impl Batch {
    fn is_empty(&self) -> bool {
        self.packets.recs.is_empty() && self.ticks.is_empty()
    }

    fn clear(&mut self) {
        self.packets.clear();
        self.ticks.clear();
    }
}

/// Drive `source` to its end for a pipeline that only tracks flows
/// ([`Pipeline::only_tracks`]); `reporter` prints the merged report.
pub(super) fn run(
    source: &mut dyn PacketSource,
    opts: &OutputConfig,
    threads: usize,
    reporter: Pipeline,
    out: &mut dyn Write,
) -> Result<RunSummary, PipelineError> {
    let cfg = flow_config(opts);
    std::thread::scope(|scope| {
        let (back_tx, back_rx) = mpsc::channel::<Batch>();
        let mut queues = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..threads {
            let (tx, rx) = mpsc::sync_channel::<Batch>(QUEUED);
            let back = back_tx.clone();
            queues.push(tx);
            handles.push(scope.spawn(move || track(cfg, &rx, &back)));
        }
        drop(back_tx);
        let mut reader = Reader::new(opts, queues, back_rx);
        let source_error = reader.drain(source, &reporter);
        let mut total = reader.finish();
        let shards: Vec<Shard> = handles.into_iter().filter_map(|h| h.join().ok()).collect();
        reporter.finish_merged(merge(shards), out)?;
        total.source = source.stats();
        total.source_error = source_error;
        Ok(total)
    })
}

/// A worker: its shard of the run's flows, fed the batches in order; the
/// emptied batches go back to the reader.
fn track(cfg: FlowConfig, work: &Receiver<Batch>, back: &Sender<Batch>) -> Shard {
    let mut t = FlowTracker::new(cfg).shard();
    while let Ok(mut b) = work.recv() {
        let mut ticks = b.ticks.iter().peekable();
        for (i, r) in b.packets.recs.iter().enumerate() {
            while let Some(&(_, ts, n)) = ticks.next_if(|t| t.0 <= i) {
                t.tick(ts, n);
            }
            let p = b.packets.packet(r);
            // The reader found a flow there: the whole view gives it again
            // (`tests/flow_views_agree.rs`).
            if let Some((mut fp, payload)) = FlowPacket::from_frame_payload(p.ts, p.link, p.data) {
                fp.service = service_of(&fp, payload);
                fp.bad_checksum = b.counts && checksum::verify(&p).any_bad();
                t.number_next(r.number);
                t.observe_at(&fp, None, r.pos);
            }
        }
        for &(_, ts, n) in ticks {
            t.tick(ts, n);
        }
        b.clear();
        // The reader may have stopped taking them back: nothing lost.
        let _ = back.send(b);
    }
    t.finish_shard()
}

/// The calling thread: what one pipeline does with a packet before its
/// flow view, in the same order, so that counters, the offload decision,
/// the sweeps and `-c` come out as one thread's.
struct Reader {
    filter: Option<UserFilter>,
    offload: OffloadCheck,
    clock: SweepClock,
    count: Option<u64>,
    hasher: FlowHasherBuilder,
    batches: Vec<Batch>,
    in_batches: usize,
    queues: Vec<SyncSender<Batch>>,
    spare: Receiver<Batch>,
    total: RunSummary,
}

impl Reader {
    fn new(opts: &OutputConfig, queues: Vec<SyncSender<Batch>>, spare: Receiver<Batch>) -> Self {
        Reader {
            filter: opts.filter.clone().map(UserFilter::new),
            offload: OffloadCheck::new(opts.checksums),
            clock: SweepClock::default(),
            count: opts.count,
            hasher: FlowHasherBuilder::default(),
            batches: queues.iter().map(|_| Batch::default()).collect(),
            in_batches: 0,
            queues,
            spare,
            total: RunSummary::default(),
        }
    }

    /// Read to the end (or to `-c`'s count); the source's error, if it
    /// ended with one. `reporter` tells where each packet sits.
    fn drain(&mut self, source: &mut dyn PacketSource, reporter: &Pipeline) -> Option<SourceError> {
        let mut number = 0u64;
        loop {
            // `-c` reached and decided: one pipeline stops before reading on.
            if self.count.is_some_and(|c| self.total.matched >= c) && !self.offload.undecided() {
                return None;
            }
            let (p, chunk) = match source.next_shared() {
                Ok(Some(p)) => p,
                Ok(None) => return None,
                Err(e) => return Some(e),
            };
            number += 1;
            // Every packet read feeds the sample, past `-c`'s count too:
            // one pipeline holds them until it can decide. The workers
            // judge the packets again once it is made.
            let ready =
                self.offload.undecided() && self.offload.hold(&p, checksum::verify(&p), None);
            if self.count.is_none_or(|c| self.total.matched < c) {
                self.packet(&p, chunk, number, reporter.pos());
            }
            if ready {
                self.offload.decide();
            }
        }
    }

    /// One packet at `pos`: counted, filtered, and handed to its flow's worker.
    fn packet(
        &mut self,
        p: &Packet<'_>,
        chunk: Option<InChunk<'_>>,
        number: u64,
        pos: Option<PcapPos>,
    ) {
        let s = &mut self.total;
        s.packets += 1;
        s.count_link(p.link, 1);
        if let Some(f) = &mut self.filter
            && !f.matches(p)
        {
            return;
        }
        let s = &mut self.total;
        s.matched += 1;
        if p.is_truncated() {
            s.truncated += 1;
        }
        let ends = FlowPacket::frame_ends(p.ts, p.link, p.data);
        if ends.is_none() {
            return;
        }
        // The tracker's clock runs on the packets it observes; every
        // worker gets each tick.
        if self.clock.tick(p.ts) {
            for b in &mut self.batches {
                b.ticks.push((b.packets.recs.len(), p.ts, number));
            }
        }
        let w = owner(ends.as_ref(), self.batches.len(), &self.hasher);
        if let Some(b) = self.batches.get_mut(w) {
            b.packets.push(p, chunk, number, pos);
        }
        self.in_batches += 1;
        if self.in_batches >= BATCH_PACKETS {
            self.send();
        }
    }

    /// Send every worker its batch (ticks must reach all, in order), once
    /// the offload decision is made: the workers judge checksums by it.
    fn send(&mut self) {
        if self.offload.undecided() {
            return;
        }
        self.in_batches = 0;
        let counts = self.offload.counts();
        for (q, b) in self.queues.iter().zip(self.batches.iter_mut()) {
            if b.is_empty() {
                continue;
            }
            b.counts = counts;
            let fresh = self.spare.try_recv().unwrap_or_default();
            // A worker that died took its shard with it; the run goes on.
            let _ = q.send(std::mem::replace(b, fresh));
        }
    }

    /// End of input: decide on what the sample had, send the last
    /// batches; closing the queues ends the workers. The run's counters.
    fn finish(mut self) -> RunSummary {
        if self.offload.undecided() {
            self.offload.decide();
        }
        self.send();
        self.total
    }
}
