//! `capture --threads N`: one worker thread per ring of a PACKET_FANOUT
//! group (see `source::live::open_fanout`), and the calling thread putting
//! their output back in time order.
//!
//! Each worker owns its ring and a [`Pipeline`] of its own: it decodes,
//! filters (when the kernel could not), tracks its flows (the fanout hash
//! sends both directions of a connection and all its fragments to one ring,
//! so per-flow state needs nothing from the other workers) and formats each
//! packet's line into a batch, with a copy of the packet when a merged `-w`
//! file is written. `--split` instead gives each worker its own `-w` file.
//! With `--flows`/`--timeline` each worker's tracker is a shard, numbered by
//! packet timestamps and swept on its own clock; the shards merge into one
//! report at the end (`flow::shard::merge`; the peak of live flows is then
//! the largest sum of the shards' samples, an estimate).
//!
//! The calling thread merges the batches by kernel timestamp. With each
//! batch (and every 10 ms when its ring is idle) a worker says how far its
//! ring has got: once it has taken everything the kernel handed over, every
//! packet still to come was stamped after the block the kernel is filling
//! was opened (or after now, if that block is empty). A packet is written
//! as soon as every ring has got past its timestamp, typically 10–20 ms
//! after it arrived, so the output is in timestamp order. A worker that
//! falls behind holds the others' packets for at most [`REORDER_WINDOW`]
//! (500 ms): a packet that comes even later is written as it comes, out of
//! order, and counted ([`FanoutSummary::late`]). At most [`MAX_HELD`]
//! packets wait, whatever the clocks say. `-c` counts packets as they are
//! written in that order; the merged `-w` file, with `-C`/`-G`, is written
//! by one pipeline on this thread.

use super::driver::{Control, Pipeline, PipelineError, WriteTarget};
use super::{OutputConfig, RunSummary};
use crate::flow::shard::{Shard, SweepClock, merge};
use crate::output::time::TimeFormat;
use crate::packet::{LinkType, Packet, Timestamp};
use crate::source::live::{LiveSource, StopHandle};
use crate::source::{PacketSource, SourceError, SourceStats};
use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest a packet is held for a ring that has not got past its
/// timestamp (see the module doc).
pub const REORDER_WINDOW: Duration = Duration::from_millis(500);

/// Taken off a worker's progress: packets reach a ring not quite in the
/// order they were stamped (several CPUs receive at once).
const SLACK_NS: u64 = 2_000_000;

/// How often an idle worker says how far its ring has got.
const HEARTBEAT_MS: i32 = 10;

/// The most packets held for reordering at once (about 1 s of a 1 Mpps
/// capture); beyond it the oldest go out at once.
pub const MAX_HELD: usize = 1 << 20;

/// Packets per batch a worker hands over (it hands over a smaller one
/// whenever its ring has nothing ready).
const BATCH: usize = 1024;

/// Batches in flight per worker before it waits for the merger (its ring
/// then fills and the kernel counts drops, as for one thread).
const QUEUE: usize = 64;

/// How often the merger looks at the clock when no batch comes.
const TICK: Duration = Duration::from_millis(5);

/// Where `-w` goes with several workers.
pub enum Writing {
    None,
    /// One file (or `-C`/`-G` sequence) in time order, written by the
    /// merging thread.
    Merged(WriteTarget),
    /// One per worker (`--split`), in that worker's order.
    Split(Vec<WriteTarget>),
}

/// What runs the workers and the merger.
pub struct FanoutRun<'a> {
    pub opts: &'a OutputConfig,
    pub write: Writing,
    /// The kernel runs the filter on every ring: the workers do not again.
    pub filter_done_in_kernel: bool,
    /// Told the number of packets written as they are (`Got N`).
    pub written: Option<Arc<AtomicU64>>,
}

/// One ring's share of the capture.
#[derive(Clone, Copy, Debug, Default)]
pub struct RingCount {
    /// Packets its worker took from the ring.
    pub captured: u64,
    /// Its kernel counters.
    pub stats: SourceStats,
}

/// A fanout run's counters: the [`RunSummary`] (kernel counters summed
/// over the rings), each ring's share, and how many packets came later than
/// the reordering window.
#[derive(Debug, Default)]
pub struct FanoutSummary {
    pub summary: RunSummary,
    pub rings: Vec<RingCount>,
    pub late: u64,
}

/// Why `opts` cannot run on several rings, if it cannot: these need one
/// view of every packet or of every flow.
pub fn unsupported(opts: &OutputConfig) -> Option<&'static str> {
    if (opts.flows || opts.timeline) && opts.count.is_some() {
        Some("-c and --flows/--timeline (the workers track packets past the count)")
    } else if opts.follow.is_some() {
        Some("follow")
    } else if opts.flows_parquet.is_some() || opts.packets_parquet.is_some() {
        Some("Parquet output")
    } else if opts.number {
        Some("-# (a packet's number needs every ring's packets before it)")
    } else if opts.json {
        Some("--json (its packet numbers need every ring's packets before them)")
    } else if matches!(opts.time, TimeFormat::Delta | TimeFormat::Rel) {
        Some("--time delta|rel (they need the packet before, from any ring)")
    } else {
        None
    }
}

/// One packet in a batch: its fields, its line in `text` and (merged `-w`)
/// its bytes in `data`.
struct Item {
    ts: Timestamp,
    link: LinkType,
    orig_len: u32,
    text: (usize, usize),
    data: (usize, usize),
}

/// What a worker hands over: packets in its ring's order, and its
/// progress: later packets of its ring were stamped at `horizon` or after.
#[derive(Default)]
struct Batch {
    worker: usize,
    horizon: Timestamp,
    items: Vec<Item>,
    text: Vec<u8>,
    data: Vec<u8>,
}

/// What a worker returns when its ring is done.
struct WorkerEnd {
    summary: RunSummary,
    /// Its flow tracker's part of the report, when flows are tracked.
    shard: Option<Shard>,
    ring: RingCount,
    source_error: Option<SourceError>,
}

/// How a worker's pipeline is made, on the worker's thread (a pipeline
/// stays on the thread that made it).
struct Plan<'a> {
    opts: &'a OutputConfig,
    target: Option<WriteTarget>,
    filter_done_in_kernel: bool,
    merged_write: bool,
    written: Option<Arc<AtomicU64>>,
}

impl Plan<'_> {
    fn pipeline(self) -> Result<Pipeline, PipelineError> {
        let splitting = self.target.is_some();
        let mut pipeline = Pipeline::new(self.opts, self.target)?;
        pipeline.stream();
        // Each ring gets whole flows: its tracker is one shard of the
        // report (`flow::shard`).
        pipeline.shard_deciding_offload();
        if self.filter_done_in_kernel {
            pipeline.filter_done_in_kernel();
        }
        if self.merged_write {
            // tcpdump prints no lines while writing a file.
            pipeline.print_packets(false);
        }
        if let (Some(c), true) = (self.written, splitting) {
            pipeline.count_written_into(c);
        }
        Ok(pipeline)
    }
}

/// A worker: its ring through its own pipeline into batches.
struct Worker {
    index: usize,
    source: LiveSource,
    pipeline: Pipeline,
    stop: StopHandle,
    /// Keep a copy of each packet (merged `-w`).
    copy: bool,
    /// `-c` with `--split`: packets claimed by all workers so far.
    claim: Option<(Arc<AtomicU64>, u64)>,
    /// When this worker's flow shard sweeps idle flows (each shard on its
    /// own clock: the rings are not read in one order).
    clock: SweepClock,
}

/// A worker thread's body: make the pipeline, then read the ring.
fn work(
    index: usize,
    source: LiveSource,
    plan: Plan<'_>,
    claim: Option<(Arc<AtomicU64>, u64)>,
    tx: &SyncSender<Batch>,
) -> Result<WorkerEnd, PipelineError> {
    let stop = source.stop_handle();
    let copy = plan.merged_write;
    let pipeline = match plan.pipeline() {
        Ok(p) => p,
        Err(e) => {
            stop.stop();
            return Err(e);
        }
    };
    Worker {
        index,
        source,
        pipeline,
        stop,
        copy,
        claim,
        clock: SweepClock::default(),
    }
    .run(tx)
}

impl Worker {
    fn run(mut self, tx: &SyncSender<Batch>) -> Result<WorkerEnd, PipelineError> {
        let r = self.pump(tx);
        if r.is_err() {
            // The others end too: the run is over.
            self.stop.stop();
        }
        let source_error = r?;
        let ring = RingCount {
            captured: self.source.captured(),
            stats: self.source.stats(),
        };
        let (summary, shard) = self.pipeline.finish_shard(&mut Vec::new())?;
        Ok(WorkerEnd {
            summary,
            shard,
            ring,
            source_error,
        })
    }

    /// Read the ring to its end; the source's error, if it ended with one.
    fn pump(&mut self, tx: &SyncSender<Batch>) -> Result<Option<SourceError>, PipelineError> {
        let mut batch = self.batch();
        let mut horizon = Timestamp(0);
        let mut source_error = None;
        loop {
            let progress = match self.source.caught_up() {
                // About to wait for the kernel: hand over what we have (or
                // only how far the ring got).
                Some(t) => Some(t),
                None if batch.items.len() >= BATCH => batch.items.last().map(|i| i.ts),
                None => None,
            };
            if let Some(t) = progress {
                horizon = horizon.max(Timestamp(t.0.saturating_sub(SLACK_NS)));
                batch.horizon = horizon;
                if tx
                    .send(std::mem::replace(&mut batch, self.batch()))
                    .is_err()
                {
                    return Ok(None);
                }
                let idle = !self.source.has_ready() && !self.stop.is_stopped();
                if idle && !self.source.wait_ready(HEARTBEAT_MS) {
                    continue;
                }
            }
            let pkt = match self.source.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => break,
                Err(e) => {
                    source_error = Some(e);
                    break;
                }
            };
            if let Some((claimed, limit)) = &self.claim
                && claimed.fetch_add(1, Ordering::Relaxed) >= *limit
            {
                self.stop.stop();
                continue;
            }
            if self.pipeline.tracks_flows() {
                // Flows are born and retire in time order across shards:
                // a packet's number is its timestamp.
                if self.clock.tick(pkt.ts) {
                    self.pipeline.tick(pkt.ts, pkt.ts.0);
                }
                self.pipeline.number_next(pkt.ts.0);
            }
            let before = self.pipeline.matched();
            let start = batch.text.len();
            let ctl = self.pipeline.handle(&pkt, &mut batch.text)?;
            if self.pipeline.matched() > before {
                let at = batch.data.len();
                if self.copy {
                    batch.data.extend_from_slice(pkt.data);
                }
                batch.items.push(Item {
                    ts: pkt.ts,
                    link: pkt.link,
                    orig_len: pkt.orig_len,
                    text: (start, batch.text.len()),
                    data: (at, batch.data.len()),
                });
            }
            if ctl == Control::Stop {
                // `--split` with `-W`: this worker's files are all written.
                self.stop.stop();
            }
        }
        // The ring is done: nothing more will come from it.
        batch.horizon = Timestamp(u64::MAX);
        let _ = tx.send(batch);
        Ok(source_error)
    }

    fn batch(&self) -> Batch {
        Batch {
            worker: self.index,
            items: Vec::with_capacity(BATCH),
            ..Batch::default()
        }
    }
}

/// One ring's batches waiting in the merger, in its order, and where the
/// next packet of the first one is.
#[derive(Default)]
struct Lane {
    batches: VecDeque<Batch>,
    at: usize,
}

impl Lane {
    fn head(&self) -> Option<Timestamp> {
        self.batches
            .front()
            .and_then(|b| b.items.get(self.at))
            .map(|i| i.ts)
    }
}

/// The merging thread's state: what is held, what went out.
struct Merger<'o> {
    /// Per ring: a ring hands its packets over in its own order (the
    /// kernel's, by time), so merging the rings' heads is enough.
    lanes: Vec<Lane>,
    /// Packets waiting in all lanes.
    held: usize,
    /// How far each ring has got (see [`Batch::horizon`]).
    horizons: Vec<Timestamp>,
    /// Timestamp of the last packet written.
    last_out: Timestamp,
    late: u64,
    /// Packets written out (lines, merged `-w`).
    out_count: u64,
    count: Option<u64>,
    /// The merged `-w` file's pipeline.
    sink: Option<Pipeline>,
    /// `-c` reached or `-W` files written: the rest is dropped.
    done: bool,
    out: &'o mut dyn Write,
}

impl Merger<'_> {
    fn new(rings: usize, out: &mut dyn Write) -> Merger<'_> {
        Merger {
            lanes: (0..rings).map(|_| Lane::default()).collect(),
            held: 0,
            horizons: vec![Timestamp(0); rings],
            last_out: Timestamp(0),
            late: 0,
            out_count: 0,
            count: None,
            sink: None,
            done: false,
            out,
        }
    }

    fn take(&mut self, mut batch: Batch) {
        // Packets received on several CPUs reach one ring a few µs out of
        // order: put each batch back in time order (it is nearly sorted,
        // which the sort takes in one pass).
        if !batch.items.is_sorted_by_key(|i| i.ts) {
            batch.items.sort_by_key(|i| i.ts);
        }
        if let Some(h) = self.horizons.get_mut(batch.worker) {
            *h = (*h).max(batch.horizon);
        }
        if batch.items.is_empty() {
            return;
        }
        if let Some(lane) = self.lanes.get_mut(batch.worker) {
            self.held += batch.items.len();
            lane.batches.push_back(batch);
        }
    }

    /// Write what every ring has got past, what waited longer than the
    /// window (as of `now`), or, with `None`, everything.
    fn release(&mut self, now: Option<Timestamp>) -> Result<(), PipelineError> {
        let passed = self.horizons.iter().copied().min().unwrap_or(Timestamp(0));
        let window = REORDER_WINDOW.as_nanos() as u64;
        loop {
            // The ring whose next packet is the oldest (the first on ties).
            let next = self
                .lanes
                .iter()
                .enumerate()
                .filter_map(|(i, l)| l.head().map(|ts| (ts, i)))
                .min();
            let Some((ts, i)) = next else {
                break;
            };
            let due = match now {
                None => true,
                Some(now) => ts <= passed || ts.0.saturating_add(window) <= now.0,
            } || self.held > MAX_HELD;
            if !due {
                break;
            }
            let Some(lane) = self.lanes.get_mut(i) else {
                break;
            };
            let (Some(batch), at) = (lane.batches.pop_front(), lane.at) else {
                break;
            };
            self.held -= 1;
            let r = self.emit(&batch, at);
            if let Some(lane) = self.lanes.get_mut(i) {
                if at + 1 < batch.items.len() {
                    lane.at = at + 1;
                    lane.batches.push_front(batch);
                } else {
                    lane.at = 0;
                }
            }
            r?;
        }
        Ok(())
    }

    fn emit(&mut self, batch: &Batch, index: usize) -> Result<(), PipelineError> {
        if self.done {
            return Ok(());
        }
        let Some(item) = batch.items.get(index) else {
            return Ok(());
        };
        if item.ts < self.last_out {
            self.late += 1;
        }
        self.last_out = self.last_out.max(item.ts);
        let text = batch.text.get(item.text.0..item.text.1).unwrap_or(&[]);
        self.out.write_all(text)?;
        if let Some(sink) = &mut self.sink {
            let pkt = Packet {
                ts: item.ts,
                link: item.link,
                data: batch.data.get(item.data.0..item.data.1).unwrap_or(&[]),
                orig_len: item.orig_len,
            };
            if sink.handle(&pkt, &mut std::io::sink())? == Control::Stop {
                self.done = true;
            }
        }
        self.out_count += 1;
        if self.count.is_some_and(|c| self.out_count >= c) {
            self.done = true;
        }
        Ok(())
    }
}

fn now() -> Timestamp {
    let ns = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    Timestamp(ns)
}

/// Run every source (all rings of one fanout group, sharing one stop
/// handle) on a worker thread of its own and merge their output into `out`
/// (see the module doc). Ends when the sources end (stop handle, `-c`).
pub fn run_fanout(
    sources: Vec<LiveSource>,
    run: FanoutRun<'_>,
    out: &mut dyn Write,
) -> Result<FanoutSummary, PipelineError> {
    let opts = run.opts;
    let Some(stop) = sources.first().map(LiveSource::stop_handle) else {
        return Ok(FanoutSummary::default());
    };
    // The workers do not stop at -c: the merger counts in time order.
    let worker_opts = OutputConfig {
        count: None,
        ..opts.clone()
    };
    let (mut split, merged) = match run.write {
        Writing::None => (Vec::new(), None),
        Writing::Merged(t) => (Vec::new(), Some(t)),
        Writing::Split(ts) => (ts, None),
    };
    let merged_write = merged.is_some();
    let splitting = !split.is_empty();
    let claim = opts
        .count
        .filter(|_| splitting)
        .map(|c| (Arc::new(AtomicU64::new(0)), c));
    let mut workers = Vec::new();
    split.reverse();
    for source in sources {
        let plan = Plan {
            opts: &worker_opts,
            target: split.pop(),
            filter_done_in_kernel: run.filter_done_in_kernel,
            merged_write,
            written: run.written.clone(),
        };
        workers.push((source, plan));
    }
    let sink = match merged {
        Some(target) => {
            let sink_opts = OutputConfig {
                write: opts.write.clone(),
                rotate: opts.rotate.clone(),
                quiet: true,
                ..OutputConfig::default()
            };
            let mut p = Pipeline::new(&sink_opts, Some(target))?;
            if let Some(c) = &run.written {
                p.count_written_into(c.clone());
            }
            Some(p)
        }
        None => None,
    };
    let mut merger = Merger::new(workers.len(), out);
    merger.count = opts.count.filter(|_| !splitting);
    merger.sink = sink;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Batch>(QUEUE * workers.len());
        let handles: Vec<_> = workers
            .into_iter()
            .enumerate()
            .map(|(i, (source, plan))| {
                let tx = tx.clone();
                let claim = claim.clone();
                scope.spawn(move || work(i, source, plan, claim, &tx))
            })
            .collect();
        drop(tx);
        let mut failed = None;
        loop {
            match rx.recv_timeout(TICK) {
                Ok(b) => merger.take(b),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if let Err(e) = merger.release(Some(now())) {
                failed = Some(e);
                break;
            }
            if merger.done {
                stop.stop();
            }
        }
        if failed.is_some() {
            stop.stop();
            // Let the workers finish: they wait for room in the queue.
            while rx.recv().is_ok() {}
        }
        let mut ends = Vec::new();
        for h in handles {
            match h.join() {
                Ok(r) => ends.push(r),
                Err(_) => ends.push(Err(
                    std::io::Error::other("a capture worker panicked").into()
                )),
            }
        }
        if let Some(e) = failed {
            return Err(e);
        }
        merger.release(None)?;
        let mut total = FanoutSummary::default();
        let mut shards = Vec::new();
        let mut source = SourceStats {
            received: 0,
            dropped_by_kernel: Some(0),
        };
        for end in ends {
            let end = end?;
            total.summary.add(end.summary);
            shards.extend(end.shard);
            source.received += end.ring.stats.received;
            source.dropped_by_kernel = Some(
                source.dropped_by_kernel.unwrap_or(0)
                    + end.ring.stats.dropped_by_kernel.unwrap_or(0),
            );
            total.rings.push(end.ring);
            if total.summary.source_error.is_none() {
                total.summary.source_error = end.source_error;
            }
        }
        if !splitting {
            total.summary.matched = merger.out_count;
        }
        if let Some(sink) = merger.sink.take() {
            let s = sink.finish(&mut std::io::sink())?;
            total.summary.written = s.written;
            total.summary.file_limit = s.file_limit;
        }
        if opts.flows || opts.timeline {
            Pipeline::new(opts, None)?.finish_merged(merge(shards), merger.out)?;
        }
        merger.out.flush()?;
        total.summary.source = source;
        total.late = merger.late;
        Ok(total)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(worker: usize, horizon: u64, ts: &[u64]) -> Batch {
        let mut b = Batch {
            worker,
            horizon: Timestamp(horizon),
            ..Batch::default()
        };
        for &t in ts {
            let start = b.text.len();
            b.text.extend_from_slice(format!("{t}\n").as_bytes());
            b.items.push(Item {
                ts: Timestamp(t),
                link: LinkType::Ethernet,
                orig_len: 0,
                text: (start, b.text.len()),
                data: (0, 0),
            });
        }
        b
    }

    fn merger(out: &mut Vec<u8>, count: Option<u64>) -> Merger<'_> {
        let mut m = Merger::new(2, out);
        m.count = count;
        m
    }

    #[test]
    fn packets_go_out_in_time_order_once_every_ring_got_past_them() {
        let mut out = Vec::new();
        let mut m = merger(&mut out, None);
        let early = Some(Timestamp(1_000));
        m.take(batch(0, 50, &[10, 30, 50]));
        m.release(early).unwrap();
        // Ring 1 has said nothing yet: all wait.
        assert_eq!(m.held, 3);
        m.take(batch(1, 40, &[20, 40]));
        m.release(early).unwrap();
        assert_eq!(m.held, 1, "50 waits for ring 1");
        // A packet older than what went out (ring 1 broke its word) is
        // written at once, and counted.
        m.take(batch(1, 60, &[35, 60]));
        m.release(early).unwrap();
        assert_eq!(m.held, 1, "60 waits for ring 0");
        // The window: past 500 ms, nothing waits any more.
        let late = REORDER_WINDOW.as_nanos() as u64 + 60;
        m.release(Some(Timestamp(late))).unwrap();
        assert_eq!(m.late, 1);
        assert_eq!(m.held, 0);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "10\n20\n30\n40\n35\n50\n60\n"
        );
    }

    #[test]
    fn count_stops_at_the_nth_packet_in_time_order() {
        let mut out = Vec::new();
        let mut m = merger(&mut out, Some(3));
        m.take(batch(0, 5, &[5, 1]));
        m.take(batch(1, 4, &[2, 4, 3]));
        m.release(None).unwrap();
        assert!(m.done);
        assert_eq!(m.out_count, 3);
        assert_eq!(String::from_utf8(out).unwrap(), "1\n2\n3\n");
    }

    #[test]
    fn what_needs_every_packet_is_refused() {
        let base = OutputConfig::default();
        assert_eq!(unsupported(&base), None);
        for o in [
            OutputConfig {
                flows: true,
                count: Some(5),
                ..base.clone()
            },
            OutputConfig {
                json: true,
                ..base.clone()
            },
            OutputConfig {
                number: true,
                ..base.clone()
            },
            OutputConfig {
                time: TimeFormat::Delta,
                ..base.clone()
            },
        ] {
            assert!(unsupported(&o).is_some());
        }
    }
}
