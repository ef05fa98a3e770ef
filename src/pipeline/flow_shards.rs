//! `read --threads N` when the flow tracker is all the work (`--flows`,
//! `--timeline`, their JSON; no packet lines): the reader does everything
//! a packet needs besides the tracker — the counters, the filter, the frame
//! view, the checksum verdict, the service, the sweep clock and the offload
//! decision — and hands each worker batches of flow views ([`FlowPacket`],
//! no packet bytes) of the flows a symmetric hash of the key gives it. The
//! workers only track, each its shard (`crate::flow::shard`); at the end
//! the shards merge into the report one tracker gives (and its Parquet
//! flows file: the reader tells each view where its packet sits in the
//! capture, for the flows' pointers). Copying packets to
//! workers that re-parsed them cost the reader as much as the tracking it
//! handed out.

use super::driver::{Pipeline, PipelineError, UserFilter, flow_config, service_of};
use super::offload::OffloadCheck;
use super::{OutputConfig, RunSummary};
use crate::decode::checksum::{self, Checksums};
use crate::flow::shard::{Shard, SweepClock, merge};
use crate::flow::tracker::FlowHasherBuilder;
use crate::flow::{FlowConfig, FlowKey, FlowPacket, FlowTracker, PcapPos};
use crate::packet::{Packet, Timestamp};
use crate::source::{PacketSource, SourceError};
use std::hash::BuildHasher;
use std::io::Write;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};

/// Views handed out at once (over all workers): each costs the channel a
/// few hundred nanoseconds, spread over this many packets.
const BATCH_PACKETS: usize = 4096;

/// Batches queued per worker before the reader waits: bounds the memory
/// in flight when the workers are slower than the reader.
const QUEUED: usize = 4;

/// One worker's share of the packets read: each view with its number in
/// the source and its place in the capture file, and the sweep-clock ticks, before `items[i]` (or after the
/// last at `items.len()`), with the time and the packet's number.
#[derive(Default)]
struct Batch {
    items: Vec<(u64, FlowPacket, Option<PcapPos>)>,
    ticks: Vec<(usize, Timestamp, u64)>,
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
        for (i, (number, fp, pos)) in b.items.iter().enumerate() {
            while let Some(&(_, ts, n)) = ticks.next_if(|t| t.0 <= i) {
                t.tick(ts, n);
            }
            t.number_next(*number);
            t.observe_at(fp, None, *pos);
        }
        for &(_, ts, n) in ticks {
            t.tick(ts, n);
        }
        b.items.clear();
        b.ticks.clear();
        // The reader may have stopped taking them back: nothing lost.
        let _ = back.send(b);
    }
    t.finish_shard()
}

/// The calling thread: what one pipeline does with a packet before its
/// tracker, in the same order, so that counters, the offload decision,
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
    /// Packets the filter took before the offload decision, waiting for
    /// it (as one pipeline holds them): number, view, checksums, place.
    pending: Vec<(u64, Option<FlowPacket>, Checksums, Option<PcapPos>)>,
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
            pending: Vec::new(),
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
            let p = match source.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => return None,
                Err(e) => return Some(e),
            };
            number += 1;
            let undecided = self.offload.undecided();
            let sums = undecided.then(|| checksum::verify(&p));
            // Every packet read feeds the sample, past `-c`'s count too:
            // one pipeline holds them until it can decide.
            let ready = match sums {
                Some(s) => self.offload.hold(&p, s, None),
                None => false,
            };
            if self.count.is_some_and(|c| self.total.matched >= c) {
                if ready {
                    self.decide();
                }
                continue;
            }
            self.packet(&p, number, sums, reporter.pos());
            if ready {
                self.decide();
            }
        }
    }

    /// One packet, `sums` its checksums when already verified, at `pos`.
    fn packet(
        &mut self,
        p: &Packet<'_>,
        number: u64,
        sums: Option<Checksums>,
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
        let view = FlowPacket::from_frame_payload(p.ts, p.link, p.data).map(|(mut fp, payload)| {
            fp.service = service_of(&fp, payload);
            fp
        });
        if self.offload.undecided() {
            let sums = sums.unwrap_or_else(|| checksum::verify(p));
            self.pending.push((number, view, sums, pos));
            return;
        }
        let counts = self.offload.counts();
        if let Some(mut fp) = view {
            fp.bad_checksum = counts && sums.unwrap_or_else(|| checksum::verify(p)).any_bad();
            self.route(number, fp, pos);
        }
    }

    /// Make the offload decision and send the packets that waited for it.
    fn decide(&mut self) {
        self.offload.decide();
        let counts = self.offload.counts();
        for (number, view, sums, pos) in std::mem::take(&mut self.pending) {
            if let Some(mut fp) = view {
                fp.bad_checksum = counts && sums.any_bad();
                self.route(number, fp, pos);
            }
        }
    }

    /// Hand the view of packet `number` to its flow's worker, after the
    /// sweep-clock tick it brings (every worker gets each tick).
    fn route(&mut self, number: u64, fp: FlowPacket, pos: Option<PcapPos>) {
        if self.clock.tick(fp.ts) {
            for b in &mut self.batches {
                b.ticks.push((b.items.len(), fp.ts, number));
            }
        }
        let (key, _) = FlowKey::of(&fp);
        let w = (self.hasher.hash_one(key) % self.batches.len() as u64) as usize;
        if let Some(b) = self.batches.get_mut(w) {
            b.items.push((number, fp, pos));
        }
        self.in_batches += 1;
        if self.in_batches >= BATCH_PACKETS {
            self.send();
        }
    }

    /// Send every worker its batch (ticks must reach all, in order).
    fn send(&mut self) {
        self.in_batches = 0;
        for (q, b) in self.queues.iter().zip(self.batches.iter_mut()) {
            if b.items.is_empty() && b.ticks.is_empty() {
                continue;
            }
            let fresh = self.spare.try_recv().unwrap_or_default();
            // A worker that died took its shard with it; the run goes on.
            let _ = q.send(std::mem::replace(b, fresh));
        }
    }

    /// End of input: the packets still waiting, the last batches; closing
    /// the queues ends the workers. The run's counters.
    fn finish(mut self) -> RunSummary {
        if self.offload.undecided() {
            self.decide();
        }
        self.send();
        self.total
    }
}
