//! `capture --threads N`: one worker thread per ring of a PACKET_FANOUT
//! group (see `source::live::open_fanout`), and the calling thread putting
//! their output back in time order.
//!
//! Each worker owns its ring and a [`Pipeline`] of its own: it decodes,
//! filters (when the kernel could not), tracks its flows (the fanout hash
//! sends both directions of a connection and all its fragments to one ring,
//! so per-flow state needs nothing from the other workers) and formats each
//! packet's line into a batch. With a merged `-w` file it also writes each
//! packet's pcap record (header and bytes, cut to the file's snap length)
//! into the batch, so nothing decodes a packet twice; when the file is all
//! the output the batch is packed (`batch`: the records and a few columns
//! the merge reads) and the merging thread writes the records in time
//! order with one `writev` a batch, without copying them (with `-C`/`-G`
//! the file's pipeline still takes them one by one: it decides when to
//! turn). Merged batches go back to their worker to be filled
//! again, so the steady state allocates nothing. `--split` instead gives
//! each worker its own `-w` file.
//! With `--flows`/`--timeline` each worker's tracker is a shard, numbered by
//! packet timestamps and swept on its own clock; the shards merge into one
//! report at the end (`flow::shard::merge`; the peak of live flows is then
//! the largest sum of the shards' samples, an estimate).
//!
//! The calling thread merges the batches by kernel timestamp. With each
//! batch (and every 10–40 ms when its ring is idle) a worker says how far
//! its ring has got: once it has taken everything the kernel handed over, every
//! packet still to come was stamped after the block the kernel is filling
//! was opened (or after now, if that block is empty). A packet is written
//! once every ring has got past its timestamp, typically 10–50 ms after it
//! arrived, so the output is in timestamp order. A worker that
//! falls behind holds the others' packets for at most [`REORDER_WINDOW`]
//! (500 ms): a packet that comes even later is written as it comes, out of
//! order, and counted ([`FanoutSummary::late`]). At most [`MAX_HELD`]
//! packets wait, whatever the clocks say. `-c` counts packets as they are
//! written in that order. SIGUSR1 (through [`FanoutRun::stats_request`])
//! prints tcpdump's counters summed over the rings, as one thread does:
//! each worker reads its ring's kernel counters at its next handoff.

mod batch;

use super::driver::{Control, Pipeline, PipelineError, WriteTarget};
use super::rows::{RowOrder, RowPart};
use super::summary::print_counters;
use super::{OutputConfig, RunSummary};
use crate::flow::shard::{Shard, SweepClock, merge};
use crate::output::packet::LinePrinter;
use crate::output::pcap::{header_snaplen, push_record};
use crate::output::time::{TimeFormat, TimePrinter};
use crate::packet::{Packet, Timestamp};
use crate::source::live::{LiveSource, StopHandle};
use crate::source::{PacketSource, SourceError, SourceStats};
use crate::sys::prefetch;
use std::collections::VecDeque;
use std::io::{IoSlice, Write};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use batch::{Batch, Item, NO_ROW, spans};

/// The longest a packet is held for a ring that has not got past its
/// timestamp (see the module doc).
pub const REORDER_WINDOW: Duration = Duration::from_millis(500);

/// Taken off a worker's progress: packets reach a ring not quite in the
/// order they were stamped (several CPUs receive at once, and a packet may
/// be stamped before it is put in the ring: a vCPU the host holds between
/// the two, several ms on a loaded VM, makes it later than its ring's
/// progress said; each such packet is written late, as the summary counts).
/// At 10 ms, under the merger's [`TICK`], a line waits at most one tick
/// longer for it.
const SLACK_NS: u64 = 10_000_000;

/// How often an idle worker says how far its ring has got: every 10 ms at
/// first, then less often while nothing comes (each wake-up costs tens of
/// µs of CPU in a VM; a merge waiting for an idle ring waits that long).
const HEARTBEAT_MS: i32 = 10;
const IDLE_HEARTBEAT_MS: i32 = 40;

/// The longest a worker waits for a block the kernel is filling (it hands
/// it over within its retire timeout, 20 or 50 ms: this is a safety net,
/// at least twice that, see [`LiveSource::retire_ms`]).
const BUSY_WAIT_MS: i32 = 50;

/// The most packets held for reordering at once (about 1 s of a 1 Mpps
/// capture); beyond it the oldest go out at once.
pub const MAX_HELD: usize = 1 << 20;

/// Packets per batch a worker hands over (it hands over a smaller one
/// whenever its ring has nothing ready).
const BATCH: usize = 1024;
/// How far ahead of its end a worker asks for a packed batch's lines
/// ([`crate::sys::prefetch`]): its record bytes 1 KiB ahead (8 small
/// records), each column 32 entries ahead, asked once per cache line of 16.
const PREFETCH_DATA: usize = 1024;
const PREFETCH_COLUMNS: usize = 32;
const COLUMN_LINE: usize = 16;

/// Bytes of lines and records per batch: big packets make fewer per batch,
/// so that what is in flight stays a few tens of MiB.
const BATCH_BYTES: usize = 1 << 20;

/// Batches in flight per worker before it waits for the merger (its ring
/// then fills and the kernel counts drops, as for one thread).
const QUEUE: usize = 64;

/// Merged batches kept per worker for reuse (more are freed): as many as
/// may be in flight, so that a steady capture allocates no batch (a new
/// one's memory is fresh pages: page faults on every packet's bytes).
const SPARE: usize = QUEUE;

/// Batches handed over per worker, not yet taken, at which the workers
/// wake the merger before its tick ends (`Wake`). Far below [`QUEUE`]: at
/// a high rate the merger then takes each batch a few batches after it
/// was filled and gives it back soon, so a worker cycles through a few
/// batches (a few hundred KiB) whose lines its cache still holds, instead
/// of through the whole queue's megabytes; it then wakes ~120 times a
/// second at 2 M packets/s.
const WAKE_AT: usize = 8;

/// Record bytes a new batch has room for: [`BATCH`] small packets' records
/// (a 64-byte datagram on `lo` makes a 122-byte record), so that filling
/// it does not grow the buffer step by step.
const BATCH_DATA: usize = BATCH * 128;

/// How often the merger takes the batches handed over and writes what is
/// due; less often while nothing comes or waits. Each wake-up is a context
/// switch (tens of µs of CPU in a VM): at 10 ms they cost two threads
/// more than their packets; 25 ms keeps lines within ~50 ms of their
/// packets and what waits small (25k packets at 1 Mpps).
const TICK: Duration = Duration::from_millis(25);
const IDLE_TICK: Duration = Duration::from_millis(50);

/// The merger's [`TICK`] when only a file takes the output
/// ([`FanoutRun::unwatched`]): its rings then retire their blocks every
/// 100 ms (`source::live`), so a look every 25 ms mostly found nothing new
/// and each wake-up costs ~40 µs of CPU on a loaded VM. What waits is
/// 200–300 ms of packets (300k at 1 Mpps, under [`MAX_HELD`]); at high
/// rates the workers wake it sooner, at [`WAKE_AT`] batches each (`Wake`).
const UNWATCHED_TICK: Duration = Duration::from_millis(200);

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
    /// Asked every few ms; true prints the counters on stderr (SIGUSR1).
    pub stats_request: Option<fn() -> bool>,
    /// What [`parquet_pipeline`] made.
    pub parquet: Option<Pipeline>,
    /// Nothing reads the output as it comes (a `-w` file without `-U`):
    /// the merger looks every [`UNWATCHED_TICK`], not every [`TICK`].
    pub unwatched: bool,
}

/// The pipeline that creates the Parquet files, for the caller to make
/// before root is dropped (as one thread's creates them): with [`serial`]
/// the one that handles every packet (it takes the merged `-w` target
/// out of `write`), otherwise the one that writes the rows the workers
/// hand over and, at the end, the report. `None` without Parquet output.
pub fn parquet_pipeline(
    opts: &OutputConfig,
    write: &mut Writing,
) -> Result<Option<Pipeline>, PipelineError> {
    if !parquet(opts) {
        return Ok(None);
    }
    if !serial(opts) {
        return Pipeline::new(opts, None).map(Some);
    }
    let target = match std::mem::replace(write, Writing::None) {
        Writing::Merged(t) => Some(t),
        other => {
            *write = other;
            None
        }
    };
    Pipeline::new(opts, target).map(Some)
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

/// Why `opts` cannot run on several rings, if it cannot.
pub fn unsupported(opts: &OutputConfig) -> Option<&'static str> {
    opts.follow.is_some().then_some("follow")
}

/// Whether `opts` writes a Parquet file.
fn parquet(opts: &OutputConfig) -> bool {
    opts.flows_parquet.is_some() || opts.packets_parquet.is_some()
}

/// `-c` with `--flows`/`--timeline` or a Parquet file: the report holds
/// the first N packets in time order, which only the merger knows; and
/// `-C`/`-G` with a Parquet file: each flows file holds the flows that
/// ended while its pcap file was open, which the workers' tables cannot
/// tell the merger in time. The workers then only read their rings, and
/// one pipeline on the merging thread (one thread's, fed in time order)
/// filters, prints, tracks and writes; `-c` bounds its work.
fn serial(opts: &OutputConfig) -> bool {
    let parquet = parquet(opts);
    opts.count.is_some() && (opts.flows || opts.timeline || parquet)
        || parquet && opts.rotate.is_some()
}

/// What only the merger can put into a packet's line, since it depends on
/// the lines before it from every ring: `-#`'s line number, `--time
/// delta|rel`'s time, and `--json`'s packet number (`n`). The workers
/// format the rest (`super::lines` does the same for `read --threads`,
/// where the reader knows the lines before).
struct Heads {
    number: bool,
    /// `--time delta|rel`: the first and previous times printed.
    time: Option<TimePrinter>,
    json: bool,
    /// Lines printed (`-#`).
    printed: u64,
    /// Packets received, the filter's rejects included (JSON's `n`).
    packets: u64,
    scratch: Vec<u8>,
}

impl Heads {
    /// `None` when the workers' lines are whole.
    fn new(opts: &OutputConfig) -> Option<Heads> {
        let time = matches!(opts.time, TimeFormat::Delta | TimeFormat::Rel);
        (opts.number || time || opts.json).then(|| Heads {
            number: opts.number,
            time: time.then(|| TimePrinter::new(opts.time)),
            json: opts.json,
            printed: 0,
            packets: 0,
            scratch: Vec::new(),
        })
    }

    /// The workers' options for lines the merger completes.
    fn worker_opts(opts: &OutputConfig) -> OutputConfig {
        let time = match opts.time {
            TimeFormat::Delta | TimeFormat::Rel => TimeFormat::None,
            t => t,
        };
        OutputConfig {
            number: false,
            time,
            ..opts.clone()
        }
    }

    /// Write `item`'s line `text` whole into `out`.
    fn write(&mut self, out: &mut dyn Write, item: &Item, text: &[u8]) -> std::io::Result<()> {
        self.packets += 1;
        if !item.matched || text.is_empty() {
            return Ok(());
        }
        if self.json {
            let (start, end) = item.n_at;
            out.write_all(text.get(..start).unwrap_or(&[]))?;
            self.scratch.clear();
            crate::output::fmt::put_uint(&mut self.scratch, self.packets);
            out.write_all(&self.scratch)?;
            return out.write_all(text.get(end..).unwrap_or(&[]));
        }
        self.printed += 1;
        self.scratch.clear();
        if self.number {
            write!(self.scratch, "{:5}  ", self.printed)?;
        }
        if let Some(t) = &mut self.time
            && item.stamped
        {
            t.write(&mut self.scratch, item.ts, None)?;
        }
        out.write_all(&self.scratch)?;
        out.write_all(text)
    }
}

/// Where the digits of a JSON packet line's own `n` are: the member after
/// the top-level `malformed` (nested objects have no `n`; a string cannot
/// hold an unescaped quote).
fn json_number_at(line: &[u8]) -> (usize, usize) {
    for key in [
        &b"\"malformed\":false,\"n\":"[..],
        b"\"malformed\":true,\"n\":",
    ] {
        if let Some(i) = line.windows(key.len()).position(|w| w == key) {
            let start = i + key.len();
            let digits = line
                .get(start..)
                .unwrap_or(&[])
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            return (start, start + digits);
        }
    }
    (0, 0)
}

/// What a worker keeps of each packet it hands over, besides its line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Nothing (`--split`: each worker writes its own file).
    Nothing,
    /// Its line only.
    Line,
    /// Its bytes, for the merged `-w` file's pipeline (the file's link
    /// type is not known before the first packet).
    Bytes,
    /// Its pcap record for a merged `-w` file of this snap length.
    Record(u32),
}

/// What a worker returns when its ring is done.
struct WorkerEnd {
    summary: RunSummary,
    /// Its flow tracker's part of the report, when flows are tracked.
    shard: Option<Shard>,
    ring: RingCount,
    source_error: Option<SourceError>,
}

/// SIGUSR1 with several rings: the merging thread asks (`asked` goes up),
/// each worker answers at its next handoff (within [`HEARTBEAT_MS`] when
/// idle, once a batch when busy) with its ring's kernel counters, which
/// only its thread can read; the counters are printed once all answered.
#[derive(Default)]
struct Board {
    asked: AtomicU64,
    rings: Vec<RingBoard>,
}

/// One ring's answer: the request it answered (`u64::MAX` once its ring
/// is done) and its counters then.
#[derive(Default)]
struct RingBoard {
    answered: AtomicU64,
    received: AtomicU64,
    dropped: AtomicU64,
}

impl Board {
    fn new(rings: usize) -> Board {
        Board {
            asked: AtomicU64::new(0),
            rings: (0..rings).map(|_| RingBoard::default()).collect(),
        }
    }

    /// A new request; its number.
    fn ask(&self) -> u64 {
        self.asked.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Whether ring `ring`, which answered request `answered` last, has a
    /// newer one.
    fn asked_since(&self, answered: u64) -> Option<u64> {
        let asked = self.asked.load(Ordering::Relaxed);
        (asked > answered).then_some(asked)
    }

    fn answer(&self, ring: usize, request: u64, stats: SourceStats) {
        if let Some(r) = self.rings.get(ring) {
            r.received.store(stats.received, Ordering::Relaxed);
            r.dropped
                .store(stats.dropped_by_kernel.unwrap_or(0), Ordering::Relaxed);
            r.answered.store(request, Ordering::Release);
        }
    }

    /// The counters summed over the rings once every ring answered
    /// `request`.
    fn answers(&self, request: u64) -> Option<SourceStats> {
        let mut sum = SourceStats {
            received: 0,
            dropped_by_kernel: Some(0),
        };
        for r in &self.rings {
            if r.answered.load(Ordering::Acquire) < request {
                return None;
            }
            sum.received += r.received.load(Ordering::Relaxed);
            sum.dropped_by_kernel = sum
                .dropped_by_kernel
                .map(|d| d + r.dropped.load(Ordering::Relaxed));
        }
        Some(sum)
    }
}

/// How a worker's pipeline is made, on the worker's thread (a pipeline
/// stays on the thread that made it).
struct Plan<'a> {
    opts: &'a OutputConfig,
    target: Option<WriteTarget>,
    filter_done_in_kernel: bool,
    keep: Keep,
    written: Option<Arc<AtomicU64>>,
    /// The merger writes Parquet rows: hand each packet's part over.
    rows: bool,
}

impl Plan<'_> {
    /// Packets the filter rejects are handed over too (to be counted):
    /// JSON and the Parquet rows number every packet received, and the
    /// filter runs here.
    fn hands_rejects(&self) -> bool {
        (self.opts.json || self.rows) && !self.filter_done_in_kernel && self.keep == Keep::Line
    }

    fn pipeline(self) -> Result<Pipeline, PipelineError> {
        let splitting = self.target.is_some();
        let mut pipeline = Pipeline::new(self.opts, self.target)?;
        pipeline.stream();
        if self.rows {
            pipeline.hand_rows();
        }
        // Each ring gets whole flows: its tracker is one shard of the
        // report (`flow::shard`).
        pipeline.shard_deciding_offload();
        if self.filter_done_in_kernel {
            pipeline.filter_done_in_kernel();
        }
        if matches!(self.keep, Keep::Bytes | Keep::Record(_)) {
            // tcpdump prints no lines while writing a file.
            pipeline.print_packets(false);
        }
        if let (Some(c), true) = (self.written, splitting) {
            pipeline.count_written_into(c);
        }
        Ok(pipeline)
    }
}

/// A worker's ends of the channels, and what it shares with the others.
struct Lines<'a> {
    tx: SyncSender<Batch>,
    /// Its batches coming back from the merger, to be filled again.
    spare: Receiver<Batch>,
    board: &'a Board,
    /// `-c` with `--split`: packets claimed by all workers so far.
    claim: Option<(Arc<AtomicU64>, u64)>,
    wake: Wake<'a>,
}

/// How the workers wake the merger when the batches pile up: it sleeps
/// its whole tick otherwise (it is not woken for each batch: that cost
/// more than the batch), and at a high rate a long tick would fill the
/// queue and stall the workers, whose rings would then drop.
struct Wake<'a> {
    /// Batches handed over and not yet taken, over all workers.
    pending: &'a AtomicUsize,
    /// The merging thread.
    merger: std::thread::Thread,
    /// Wake it when `pending` reaches this ([`WAKE_AT`] a worker).
    at: usize,
}

impl Wake<'_> {
    /// Hand `batch` over through `tx`, counted before it is sent (so the
    /// merger never takes more than were counted), the merger woken after.
    fn hand(&self, tx: &SyncSender<Batch>, batch: Batch) -> bool {
        let wake = self.pending.fetch_add(1, Ordering::Relaxed) + 1 == self.at;
        let sent = tx.send(batch).is_ok();
        if wake {
            self.merger.unpark();
        }
        sent
    }
}

/// A worker: its ring through its own pipeline into batches.
struct Worker<'a> {
    index: usize,
    source: LiveSource,
    pipeline: Pipeline,
    stop: StopHandle,
    keep: Keep,
    /// See [`Plan::hands_rejects`].
    rejects: bool,
    /// Its pipeline would only count each packet
    /// ([`Pipeline::only_counts`]): it is counted here, and goes on into
    /// the batch.
    counts_only: bool,
    /// `--json`: find each line's packet number for the merger.
    json: bool,
    /// Packets only the merged `-w` file takes go into packed batches
    /// (no Parquet rows to hand over).
    packs: bool,
    lines: Lines<'a>,
    /// The last SIGUSR1 request answered.
    answered: u64,
    /// Batches the merger gave back, the last given back on top: that one
    /// is refilled first, while its lines may still be in a cache (taken
    /// oldest first, each batch came back after all the others had been
    /// through, megabytes later).
    spares: Vec<Batch>,
    /// When this worker's flow shard sweeps idle flows (each shard on its
    /// own clock: the rings are not read in one order).
    clock: SweepClock,
}

/// A worker thread's body: make the pipeline, then read the ring.
fn work(
    index: usize,
    source: LiveSource,
    plan: Plan<'_>,
    lines: Lines<'_>,
) -> Result<WorkerEnd, PipelineError> {
    let stop = source.stop_handle();
    let keep = plan.keep;
    let (rejects, json) = (plan.hands_rejects(), plan.opts.json);
    let packs = matches!(keep, Keep::Record(_)) && !plan.rows;
    let board = lines.board;
    let pipeline = match plan.pipeline() {
        Ok(p) => p,
        Err(e) => {
            stop.stop();
            board.answer(index, u64::MAX, SourceStats::default());
            return Err(e);
        }
    };
    let counts_only = pipeline.only_counts() && !pipeline.tracks_flows();
    let r = Worker {
        index,
        source,
        pipeline,
        stop,
        keep,
        rejects,
        counts_only,
        json,
        packs,
        lines,
        answered: 0,
        spares: Vec::new(),
        clock: SweepClock::default(),
    }
    .run();
    if r.is_err() {
        board.answer(index, u64::MAX, SourceStats::default());
    }
    r
}

impl Worker<'_> {
    fn run(mut self) -> Result<WorkerEnd, PipelineError> {
        let r = self.pump();
        if r.is_err() {
            // The others end too: the run is over.
            self.stop.stop();
        }
        let source_error = r?;
        let ring = RingCount {
            captured: self.source.captured(),
            stats: self.source.stats(),
        };
        // A SIGUSR1 still waiting for this ring gets its last counters.
        self.lines.board.answer(self.index, u64::MAX, ring.stats);
        let (summary, shard) = self.pipeline.finish_shard(&mut Vec::new())?;
        Ok(WorkerEnd {
            summary,
            shard,
            ring,
            source_error,
        })
    }

    /// Read the ring to its end; the source's error, if it ended with one.
    fn pump(&mut self) -> Result<Option<SourceError>, PipelineError> {
        let mut batch = self.batch();
        let (mut horizon, mut last) = (Timestamp(0), Timestamp(0));
        let mut taken = 0usize;
        let mut heartbeat = HEARTBEAT_MS;
        let busy_wait = BUSY_WAIT_MS.max(self.source.retire_ms().saturating_mul(2));
        let mut source_error = None;
        loop {
            let progress = match self.source.caught_up() {
                // About to wait for the kernel: hand over what we have (or
                // only how far the ring got).
                Some(t) => Some(t),
                None if taken >= BATCH || batch.full() => Some(last),
                None => None,
            };
            if let Some(t) = progress {
                taken = 0;
                self.answer_stats();
                horizon = horizon.max(Timestamp(t.0.saturating_sub(SLACK_NS)));
                batch.horizon = horizon;
                batch.sort();
                let next = self.batch();
                let full = std::mem::replace(&mut batch, next);
                if !self.lines.wake.hand(&self.lines.tx, full) {
                    return Ok(None);
                }
                let idle = !self.source.has_ready() && !self.stop.is_stopped();
                // A block being filled wakes us when the kernel hands it
                // over, and our progress cannot move before: a heartbeat
                // then would only cost a wake-up.
                let wait = match self.source.filling() {
                    true => busy_wait,
                    false => heartbeat,
                };
                if idle && !self.source.wait_ready(wait) {
                    heartbeat = (heartbeat * 2).min(IDLE_HEARTBEAT_MS);
                    continue;
                }
                heartbeat = HEARTBEAT_MS;
            }
            let pkt = match self.source.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => break,
                Err(e) => {
                    source_error = Some(e);
                    break;
                }
            };
            taken += 1;
            last = pkt.ts;
            if let Some((claimed, limit)) = &self.lines.claim
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
            let start = batch.text.len();
            let (ctl, matched, row) = match self.counts_only {
                true => {
                    self.pipeline.count_passed(&pkt);
                    (Control::Continue, true, None)
                }
                false => {
                    let before = self.pipeline.matched();
                    let ctl = self.pipeline.handle(&pkt, &mut batch.text)?;
                    let matched = self.pipeline.matched() > before;
                    (ctl, matched, self.pipeline.take_row())
                }
            };
            let packed =
                self.packs && pack(self.keep, &mut batch, &pkt, start, matched, row.is_some());
            if !packed && self.keep != Keep::Nothing && (matched || self.rejects) {
                let at = batch.data.len();
                let line = batch.text.get(start..).unwrap_or(&[]);
                let n_at = match self.json {
                    true => json_number_at(line),
                    false => (0, 0),
                };
                let mut item = Item {
                    ts: pkt.ts,
                    link: pkt.link,
                    orig_len: pkt.orig_len,
                    text: (start, batch.text.len()),
                    data: (at, at),
                    record: false,
                    matched,
                    stamped: LinePrinter::stamped(&pkt),
                    n_at,
                    row: NO_ROW,
                };
                if let Some(r) = row {
                    item.row = u32::try_from(batch.rows.len()).unwrap_or(NO_ROW);
                    batch.rows.push(r);
                }
                match self.keep {
                    Keep::Record(snaplen) => match push_record(&mut batch.data, &pkt, snaplen) {
                        Ok(body) => (item.data, item.record) = (body, true),
                        // A time a pcap cannot hold: the file's pipeline
                        // says so when it gets the packet itself.
                        Err(_) => {
                            batch.data.truncate(at);
                            batch.data.extend_from_slice(pkt.data);
                            item.data = (at, batch.data.len());
                        }
                    },
                    Keep::Bytes => {
                        batch.data.extend_from_slice(pkt.data);
                        item.data = (at, batch.data.len());
                    }
                    Keep::Line | Keep::Nothing => {}
                }
                batch.push_item(item);
            }
            if ctl == Control::Stop {
                // `--split` with `-W`: this worker's files are all written.
                self.stop.stop();
            }
        }
        // The ring is done: nothing more will come from it.
        batch.horizon = Timestamp(u64::MAX);
        batch.sort();
        self.lines.wake.hand(&self.lines.tx, batch);
        Ok(source_error)
    }

    /// SIGUSR1: this ring's counters, if the merger asked since the last
    /// answer.
    fn answer_stats(&mut self) {
        if let Some(request) = self.lines.board.asked_since(self.answered) {
            self.lines
                .board
                .answer(self.index, request, self.source.stats());
            self.answered = request;
        }
    }

    /// An empty batch: one the merger gave back, or a new one.
    fn batch(&mut self) -> Batch {
        while let Ok(b) = self.lines.spare.try_recv() {
            self.spares.push(b);
        }
        // More than a steady capture needs (the merger held many while a
        // ring lagged): the oldest go.
        let extra = self.spares.len().saturating_sub(SPARE);
        self.spares.drain(..extra);
        if let Some(mut b) = self.spares.pop() {
            b.clear();
            return b;
        }
        let packed = || match self.packs {
            true => Vec::with_capacity(BATCH),
            false => Vec::new(),
        };
        Batch {
            worker: self.index,
            items: match self.packs {
                true => Vec::new(),
                false => Vec::with_capacity(BATCH),
            },
            dts: packed(),
            starts: packed(),
            ends: packed(),
            orig_lens: packed(),
            data: match self.keep {
                Keep::Record(_) | Keep::Bytes => Vec::with_capacity(BATCH_DATA),
                Keep::Line | Keep::Nothing => Vec::new(),
            },
            ..Batch::default()
        }
    }
}

/// `pkt`, which only the merged `-w` file takes (matched, no line, no
/// Parquet row), as a packed record of `batch` (see `batch`); false
/// when it needs an item (nothing is added then).
fn pack(
    keep: Keep,
    batch: &mut Batch,
    pkt: &Packet<'_>,
    line_start: usize,
    matched: bool,
    row: bool,
) -> bool {
    let Keep::Record(snaplen) = keep else {
        return false;
    };
    if !matched || row || batch.text.len() != line_start {
        return false;
    }
    let at = batch.data.len();
    // The batch's lines were last in the merger's cache, or nobody's:
    // asked for ahead, they are here when the copy and the pushes come.
    prefetch::for_write(&mut batch.data, PREFETCH_DATA);
    if batch.dts.len().is_multiple_of(COLUMN_LINE) {
        prefetch::for_write(&mut batch.dts, PREFETCH_COLUMNS);
        prefetch::for_write(&mut batch.starts, PREFETCH_COLUMNS);
        prefetch::for_write(&mut batch.ends, PREFETCH_COLUMNS);
        prefetch::for_write(&mut batch.orig_lens, PREFETCH_COLUMNS);
    }
    // Nothing is appended on error (a time a pcap cannot hold: the
    // item's path says so).
    if push_record(&mut batch.data, pkt, snaplen).is_err() {
        return false;
    }
    if batch.push_packed(pkt.ts, pkt.link, at, pkt.orig_len) {
        return true;
    }
    batch.data.truncate(at);
    false
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
        self.batches.front().and_then(|b| b.time(self.at))
    }
}

/// A ring's next packet's time, and the ring.
type Head<T> = Option<(T, usize)>;

/// The oldest of the rings' heads (`None`: nothing waits in that ring) and
/// the next oldest, each with its ring: on equal times the first ring is
/// the older.
fn oldest_two<T: Ord + Copy>(heads: impl Iterator<Item = Option<T>>) -> (Head<T>, Head<T>) {
    let (mut first, mut second) = (None, None);
    for (i, head) in heads.enumerate() {
        let Some(ts) = head else { continue };
        if first.is_none_or(|f| (ts, i) < f) {
            second = first;
            first = Some((ts, i));
        } else if second.is_none_or(|s| (ts, i) < s) {
            second = Some((ts, i));
        }
    }
    (first, second)
}

/// How [`Merger::merge_packed`] stopped.
enum Fast {
    /// A ring's first batch is not packed for the file: the general loop
    /// takes its next run.
    Other,
    /// The oldest packet is not due yet.
    NotDue,
    /// No packet waits.
    Empty,
}

/// Packed records due out and not yet written, at most this many runs:
/// they go out in one `writev` (see [`Merger::due`]).
const DUE_RUNS: usize = 1024;

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
    /// The merged `-w` file's pipeline, or (see [`serial`]) the one
    /// pipeline that handles every packet and prints into `out`.
    sink: Option<Pipeline>,
    /// What the merger puts into the lines (`-#`, `--time delta|rel`,
    /// `--json`).
    heads: Option<Heads>,
    /// The Parquet rows, written in the order the packets go out.
    rows: Option<MergedRows>,
    /// `-c` reached or `-W` files written: the rest is dropped.
    done: bool,
    out: &'o mut dyn Write,
    /// Where each worker's merged batches go back.
    spares: Vec<SyncSender<Batch>>,
    /// Packed records that went out in time order but are not written
    /// yet: (lane, start, end) in the `data` of the lane's first batch.
    /// They are written with one `writev` (no copy into a buffer: the
    /// bytes were made on another core, and copying them cost this thread
    /// more than all else) before that batch goes back to its worker,
    /// before anything else is written, and at the end of each merge.
    due: Vec<(usize, usize, usize)>,
    /// Packets in `due`.
    due_packets: u64,
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
            heads: None,
            rows: None,
            done: false,
            out,
            spares: Vec::new(),
            due: Vec::new(),
            due_packets: 0,
        }
    }

    /// A worker's batch (already in time order: it sorted it).
    fn take(&mut self, batch: Batch) {
        if let Some(h) = self.horizons.get_mut(batch.worker) {
            *h = (*h).max(batch.horizon);
        }
        if batch.is_empty() || self.done {
            self.give_back(batch);
            return;
        }
        if let Some(lane) = self.lanes.get_mut(batch.worker) {
            self.held += batch.len();
            lane.batches.push_back(batch);
        }
    }

    /// A merged batch back to its worker (when it has room for it).
    fn give_back(&mut self, batch: Batch) {
        if let Some(tx) = self.spares.get(batch.worker) {
            let _ = tx.try_send(batch);
        }
    }

    /// Write what every ring has got past, what waited longer than the
    /// window (as of `now`), or, with `None`, everything.
    fn release(&mut self, now: Option<Timestamp>) -> Result<(), PipelineError> {
        // The lanes apart from the rest, so that a batch in them can be
        // written while the merger's outputs change.
        let mut lanes = std::mem::take(&mut self.lanes);
        let r = self
            .release_lanes(&mut lanes, now)
            .and_then(|()| self.write_due(&lanes));
        self.due.clear();
        self.due_packets = 0;
        self.lanes = lanes;
        if self.done {
            self.drop_held();
        }
        r
    }

    fn release_lanes(
        &mut self,
        lanes: &mut [Lane],
        now: Option<Timestamp>,
    ) -> Result<(), PipelineError> {
        let passed = self.horizons.iter().copied().min().unwrap_or(Timestamp(0));
        let window = REORDER_WINDOW.as_nanos() as u64;
        while !self.done {
            if self.count.is_none() {
                match self.merge_packed(lanes, now, passed)? {
                    Fast::Other => {}
                    Fast::NotDue | Fast::Empty => break,
                }
            }
            // The ring whose next packet is the oldest (the first on ties),
            // and the next one's head: its packets go out in one run up to
            // there.
            let (first, second) = oldest_two(lanes.iter().map(Lane::head));
            let Some((_, i)) = first else {
                break;
            };
            let Some(lane) = lanes.get(i) else {
                break;
            };
            let at = lane.at;
            let Some(batch) = lane.batches.front() else {
                break;
            };
            let mut end = at;
            let mut held = self.held;
            let mut room = self
                .count
                .map_or(u64::MAX, |c| c.saturating_sub(self.out_count));
            while let Some(ts) = batch.time(end) {
                let due = match now {
                    None => true,
                    Some(now) => ts <= passed || ts.0.saturating_add(window) <= now.0,
                } || held > MAX_HELD;
                if !due || second.is_some_and(|s| (ts, i) > s) {
                    break;
                }
                if self.count.is_some() {
                    let matched = batch.matched(end);
                    if matched && room == 0 {
                        break;
                    }
                    room -= u64::from(matched);
                }
                end += 1;
                held -= 1;
            }
            self.held = held;
            let len = batch.len();
            if end > at {
                match self.takes_packed(batch) {
                    true => {
                        self.queue_packed(batch, i, at..end);
                        if self.due.len() >= DUE_RUNS {
                            self.write_due(lanes)?;
                        }
                    }
                    false => {
                        self.write_due(lanes)?;
                        if let Some(batch) = lanes.get_mut(i).and_then(|l| l.batches.front_mut()) {
                            batch.unpack();
                            self.emit(batch, at..end)?;
                        }
                    }
                }
            }
            if end < len {
                if let Some(lane) = lanes.get_mut(i) {
                    lane.at = end;
                }
            } else {
                // Done with: what of it is due is written before it goes
                // back to be filled again.
                self.write_due(lanes)?;
                if let Some(lane) = lanes.get_mut(i) {
                    lane.at = 0;
                    if let Some(b) = lane.batches.pop_front() {
                        self.give_back(b);
                    }
                }
            }
            if end == at {
                break;
            }
        }
        Ok(())
    }

    /// The common case of a capture into a file, without `-c`: while every
    /// ring's first batch is packed and bound only for the file
    /// ([`Merger::takes_packed`]), take the packets in time order, as
    /// [`Merger::release_lanes`] would (the first ring on equal times; what
    /// every ring got past, or waited past the window, or beyond
    /// [`MAX_HELD`]), a run from the oldest ring at a time. The rings'
    /// packets interleave finely (a run is two packets long on average at
    /// a high rate), so the work per run is kept small: each packet costs
    /// one read of its time column, and a run of a batch whose records the
    /// sort did not move is one piece of its data, found from its first
    /// start and its last end (the general loop's work for each run cost
    /// more than the packets).
    fn merge_packed(
        &mut self,
        lanes: &mut [Lane],
        now: Option<Timestamp>,
        passed: Timestamp,
    ) -> Result<Fast, PipelineError> {
        // A packet is due when every ring got past it or it waited out
        // the window (or too many are held).
        let window = REORDER_WINDOW.as_nanos() as u64;
        let due_by = match now {
            None => u64::MAX,
            Some(now) => passed.0.max(now.0.saturating_sub(window)),
        };
        let mut ats: Vec<usize> = lanes.iter().map(|l| l.at).collect();
        loop {
            let fronts: Vec<Option<&Batch>> = lanes.iter().map(|l| l.batches.front()).collect();
            if fronts.iter().flatten().any(|b| !self.takes_packed(b)) {
                return Ok(Fast::Other);
            }
            let mut held = self.held;
            let mut took = 0u64;
            // A lane whose batch is done with, or how the merge ended.
            let ended = loop {
                // The oldest head (the first ring on ties) and the one
                // after it: the oldest ring's run goes up to there.
                let (first, second) = oldest_two(fronts.iter().enumerate().map(|(k, front)| {
                    let at = ats.get(k).copied().unwrap_or(0);
                    front.and_then(|b| b.dts.get(at).map(|&dt| b.time_at(dt).0))
                }));
                let Some((_, k)) = first else {
                    break Err(Fast::Empty);
                };
                let (Some(Some(batch)), Some(at)) = (fronts.get(k), ats.get_mut(k)) else {
                    break Err(Fast::Empty);
                };
                // The run may take times up to `upto`: equal to the next
                // ring's head only when that ring comes after this one.
                let upto = match second {
                    None => u64::MAX,
                    Some((ts, j)) if j > k => ts,
                    Some((ts, _)) => ts.saturating_sub(1),
                };
                let last_out = self.last_out.0;
                let (mut n, mut late, mut last) = (0usize, 0u64, last_out);
                for &dt in batch.dts.get(*at..).unwrap_or(&[]) {
                    let ts = batch.time_at(dt).0;
                    if ts > upto || (ts > due_by && held <= MAX_HELD) {
                        break;
                    }
                    // The batch is in time order: only the run's first
                    // packets can be older than what went out before it.
                    late += u64::from(ts < last_out);
                    last = ts;
                    held -= 1;
                    n += 1;
                }
                if n == 0 {
                    break Err(Fast::NotDue);
                }
                self.late += late;
                self.last_out = Timestamp(self.last_out.0.max(last));
                let end = *at + n;
                match batch.moved {
                    false => {
                        if let (Some(&start), Some(&stop)) =
                            (batch.starts.get(*at), batch.ends.get(end - 1))
                        {
                            self.queue_record(k, (start as usize, stop as usize));
                        }
                    }
                    true => {
                        for record in (*at..end).filter_map(|i| batch.record(i)) {
                            self.queue_record(k, record);
                        }
                    }
                }
                *at = end;
                took += n as u64;
                if *at == batch.len() {
                    break Ok(k);
                }
                if self.due.len() >= DUE_RUNS {
                    self.held = held;
                    (self.due_packets, self.out_count) =
                        (self.due_packets + took, self.out_count + took);
                    took = 0;
                    // Only reads the lanes, as `fronts` does.
                    self.write_due(lanes)?;
                }
            };
            self.held = held;
            (self.due_packets, self.out_count) = (self.due_packets + took, self.out_count + took);
            for (lane, &at) in lanes.iter_mut().zip(&ats) {
                lane.at = at;
            }
            match ended {
                Ok(k) => {
                    // Done with: what of it is due is written before it
                    // goes back to be filled again.
                    self.write_due(lanes)?;
                    if let Some(lane) = lanes.get_mut(k) {
                        lane.at = 0;
                        if let Some(b) = lane.batches.pop_front() {
                            self.give_back(b);
                        }
                    }
                    if let Some(at) = ats.get_mut(k) {
                        *at = 0;
                    }
                }
                Err(how) => return Ok(how),
            }
        }
    }

    /// Whether `batch` is packed and its records only go into the merged
    /// `-w` file as they are: nothing else is printed, numbered or reported.
    fn takes_packed(&self, batch: &Batch) -> bool {
        batch.packed.is_some_and(|link| {
            self.heads.is_none()
                && self.rows.is_none()
                && batch.text.is_empty()
                && self.sink.as_ref().is_some_and(|s| s.takes_records(link))
        })
    }

    /// A packet of time `ts` goes out: counted late if it is older than
    /// one already out.
    fn goes_out_at(&mut self, ts: Timestamp) {
        if ts < self.last_out {
            self.late += 1;
        }
        self.last_out = self.last_out.max(ts);
    }

    /// Lane `i`'s record at `start..end` of its first batch is due: joined
    /// to the last due one when it follows it in the same batch.
    fn queue_record(&mut self, i: usize, (start, end): (usize, usize)) {
        match self.due.last_mut() {
            Some(last) if last.0 == i && last.2 == start => last.2 = end,
            _ => self.due.push((i, start, end)),
        }
    }

    /// The packets `run` of packed `batch` (lane `i`'s first) go out next
    /// in time order: their records are due (see [`Merger::due`]).
    fn queue_packed(&mut self, batch: &Batch, i: usize, run: Range<usize>) {
        let dts = batch.dts.get(run.clone()).unwrap_or(&[]);
        for &dt in dts {
            self.goes_out_at(batch.time_at(dt));
        }
        for record in run.filter_map(|k| batch.record(k)) {
            self.queue_record(i, record);
        }
        let n = dts.len() as u64;
        self.due_packets += n;
        self.out_count += n;
        if self.count.is_some_and(|c| self.out_count >= c) {
            self.done = true;
        }
    }

    /// Write the records [`Merger::due`] into the merged `-w` file.
    fn write_due(&mut self, lanes: &[Lane]) -> Result<(), PipelineError> {
        if self.due.is_empty() {
            return Ok(());
        }
        let mut slices: Vec<IoSlice<'_>> = self
            .due
            .iter()
            .filter_map(|&(i, start, end)| lanes.get(i)?.batches.front()?.data.get(start..end))
            .map(IoSlice::new)
            .collect();
        let n = std::mem::take(&mut self.due_packets);
        self.due.clear();
        match &mut self.sink {
            Some(sink) => sink.write_record_slices(&mut slices, n),
            None => Ok(()),
        }
    }

    /// `-c` reached or `-W` files written: what waits is not wanted.
    fn drop_held(&mut self) {
        let mut batches = Vec::new();
        for lane in &mut self.lanes {
            batches.extend(lane.batches.drain(..));
            lane.at = 0;
        }
        for b in batches {
            self.give_back(b);
        }
        self.held = 0;
    }

    /// Write the packets `run` of `batch`, which come out next in time
    /// order: their lines, and their records into the merged `-w` file.
    fn emit(&mut self, batch: &Batch, run: Range<usize>) -> Result<(), PipelineError> {
        let Some(items) = batch.items.get(run) else {
            return Ok(());
        };
        // Where each packet goes in the `-w` file, for the rows' pointers.
        let mut at = self.rows.as_mut().map(|r| std::mem::take(&mut r.at));
        let items = match &mut self.sink {
            Some(sink) => {
                let (n, stop) = write_records(sink, batch, items, &mut *self.out, at.as_mut())?;
                self.done |= stop;
                items.get(..n).unwrap_or(&[])
            }
            None => items,
        };
        if let Some(rows) = &mut self.rows {
            rows.write(batch, items, at, self.sink.is_some())?;
        }
        let mut matched = 0;
        for item in items {
            self.goes_out_at(item.ts);
            matched += u64::from(item.matched);
        }
        match &mut self.heads {
            Some(heads) => {
                for item in items {
                    let text = batch.text.get(item.text.0..item.text.1).unwrap_or(&[]);
                    heads.write(&mut *self.out, item, text)?;
                }
            }
            // Only records (a merged `-w` file): no lines to walk.
            None if batch.text.is_empty() => {}
            None => {
                for (start, end, _) in spans(items.iter().map(|i| i.text)) {
                    self.out
                        .write_all(batch.text.get(start..end).unwrap_or(&[]))?;
                }
            }
        }
        self.out_count += matched;
        if self.count.is_some_and(|c| self.out_count >= c) {
            self.done = true;
        }
        Ok(())
    }
}

/// Write `items` of `batch` into the merged `-w` file: ready records as
/// they are, neighbours in one write, when the file takes them so;
/// otherwise one by one through its pipeline (which prints into `out`
/// when it is the [`serial`] one). How many it took, and whether it said
/// stop at the last of them (`-W` files written, `-c` reached). `at`
/// gets the offset in the file of each packet written.
fn write_records(
    sink: &mut Pipeline,
    batch: &Batch,
    items: &[Item],
    out: &mut dyn Write,
    mut at: Option<&mut Vec<u64>>,
) -> Result<(usize, bool), PipelineError> {
    let link = items.first().map(|i| i.link);
    let ready = items.iter().all(|i| i.record && Some(i.link) == link);
    if let Some(at) = at.as_deref_mut() {
        at.clear();
    }
    if let Some(link) = link
        && ready
        && sink.takes_records(link)
    {
        if let Some(at) = at {
            let mut offset = sink.written_bytes();
            for (start, end) in items.iter().filter_map(Item::record) {
                at.push(offset);
                offset += (end - start) as u64;
            }
        }
        for (start, end, n) in spans(items.iter().filter_map(Item::record)) {
            let bytes = batch.data.get(start..end).unwrap_or(&[]);
            sink.write_records(bytes, n)?;
        }
        return Ok((items.len(), false));
    }
    for (n, item) in items.iter().enumerate() {
        let pkt = Packet {
            ts: item.ts,
            stamp: None,
            link: item.link,
            data: batch.data.get(item.data.0..item.data.1).unwrap_or(&[]),
            orig_len: item.orig_len,
        };
        let stop = sink.handle(&pkt, out)? == Control::Stop;
        if let Some(at) = at.as_deref_mut() {
            at.push(sink.last_written_at());
        }
        if stop {
            return Ok((n + 1, true));
        }
    }
    Ok((items.len(), false))
}

/// `capture --threads` with Parquet files (not [`serial`]): the rows the
/// merger writes as the packets go out, numbered in that order, through
/// the pipeline that reports at the end (`super::rows`).
struct MergedRows {
    reporter: Pipeline,
    order: RowOrder,
    /// Packets gone out so far.
    number: u64,
    /// Kept from batch to batch: see [`write_records`].
    at: Vec<u64>,
}

impl MergedRows {
    /// The rows of `items`, which went out now; `at` their offsets in the
    /// `-w` file when `written` (there is one).
    fn write(
        &mut self,
        batch: &Batch,
        items: &[Item],
        at: Option<Vec<u64>>,
        written: bool,
    ) -> Result<(), PipelineError> {
        let at = at.unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            self.number += 1;
            let Some(part) = batch.rows.get(item.row as usize) else {
                continue;
            };
            let pos = at
                .get(i)
                .filter(|_| written)
                .and_then(|&o| self.reporter.written_at(o));
            let uid = self.order.uid(batch.worker, part.uid, pos);
            let pkt = Packet {
                ts: item.ts,
                stamp: None,
                link: item.link,
                data: &[],
                orig_len: item.orig_len,
            };
            self.reporter.write_row(self.number, &pkt, part, uid, pos)?;
        }
        self.at = at;
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
    let mut parquet_made = run.parquet;
    let (mut split, merged) = match run.write {
        Writing::None => (Vec::new(), None),
        Writing::Merged(t) => (Vec::new(), Some(t)),
        Writing::Split(ts) => (ts, None),
    };
    let splitting = !split.is_empty();
    let serial = serial(opts) && !splitting;
    // The workers do not stop at -c: the merger counts in time order. The
    // merger writes the Parquet files.
    let worker_opts = match serial {
        // They only read their rings; the serial pipeline filters.
        true => OutputConfig::default(),
        false => OutputConfig {
            count: None,
            flows_parquet: None,
            packets_parquet: None,
            ..Heads::worker_opts(opts)
        },
    };
    // It creates the Parquet files now, and reports at the end.
    let mut rows = match parquet(opts) && !serial {
        true => Some(MergedRows {
            reporter: match parquet_made.take() {
                Some(p) => p,
                None => Pipeline::new(opts, None)?,
            },
            order: RowOrder::new(sources.len()),
            number: 0,
            at: Vec::new(),
        }),
        false => None,
    };
    // The workers make the merged file's records, cut to its snap length.
    let keep = match &merged {
        _ if serial => Keep::Bytes,
        Some(t) => t.link.map_or(Keep::Bytes, |link| {
            Keep::Record(header_snaplen(link, t.snaplen))
        }),
        None if splitting => Keep::Nothing,
        None => Keep::Line,
    };
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
            filter_done_in_kernel: run.filter_done_in_kernel || serial,
            keep,
            written: run.written.clone(),
            rows: rows.is_some(),
        };
        workers.push((source, plan));
    }
    let sink = match merged {
        _ if serial => {
            let mut p = match parquet_made.take() {
                Some(p) => p,
                None => Pipeline::new(opts, merged)?,
            };
            p.stream();
            if run.filter_done_in_kernel {
                p.filter_done_in_kernel();
            }
            if let Some(c) = &run.written {
                p.count_written_into(c.clone());
            }
            Some(p)
        }
        Some(target) => {
            if let Some(r) = &mut rows {
                r.reporter.rows_point_into_written(&target.name);
            }
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
    let rings = workers.len();
    let board = Board::new(rings);
    let mut merger = Merger::new(rings, out);
    // The serial pipeline counts for itself.
    merger.count = opts.count.filter(|_| !splitting && !serial);
    merger.sink = sink;
    merger.rows = rows;
    if keep == Keep::Line {
        merger.heads = Heads::new(opts);
    }
    let pending = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Batch>(QUEUE * rings);
        let board = &board;
        let pending = &pending;
        let handles: Vec<_> = workers
            .into_iter()
            .enumerate()
            .map(|(i, (source, plan))| {
                let (spare_tx, spare) = mpsc::sync_channel(SPARE);
                merger.spares.push(spare_tx);
                let lines = Lines {
                    tx: tx.clone(),
                    spare,
                    board,
                    claim: claim.clone(),
                    wake: Wake {
                        pending,
                        merger: std::thread::current(),
                        at: WAKE_AT * rings,
                    },
                };
                // Named, so that `perf stat --per-thread`, top -H and
                // the bench show each ring's worker apart from the merger.
                let spawned = std::thread::Builder::new()
                    .name(format!("ring {i}"))
                    .spawn_scoped(scope, move || work(i, source, plan, lines));
                if spawned.is_err() {
                    // The others end too: the run is over.
                    stop.stop();
                }
                spawned
            })
            .collect();
        drop(tx);
        let mut failed = None;
        let mut asked = None;
        // Only a file takes the output: look less often.
        let tick_base = match run.unwatched {
            true => UNWATCHED_TICK,
            false => TICK,
        };
        let mut tick = tick_base;
        loop {
            // What the workers handed over since the last look. They do
            // not wake this thread: a wake-up for each batch cost more
            // than the batch (two threads' context switches on each).
            let mut packets = merger.held;
            let mut taken = 0;
            let ended = loop {
                match rx.try_recv() {
                    Ok(b) => {
                        packets += b.len();
                        taken += 1;
                        merger.take(b);
                    }
                    Err(TryRecvError::Empty) => break false,
                    Err(TryRecvError::Disconnected) => break true,
                }
            };
            pending.fetch_sub(taken, Ordering::Relaxed);
            tick = match packets {
                0 => (tick * 2).min(IDLE_TICK.max(tick_base)),
                _ => tick_base,
            };
            if run.stats_request.is_some_and(|f| f()) {
                asked = Some(board.ask());
            }
            if let Some(stats) = asked.and_then(|r| board.answers(r)) {
                print_counters(merger.out_count, &stats);
                asked = None;
            }
            if let Err(e) = merger.release(Some(now())) {
                failed = Some(e);
                break;
            }
            if merger.done {
                stop.stop();
            }
            if ended {
                break;
            }
            // Until the tick ends or the workers' batches pile up (`Wake`).
            std::thread::park_timeout(tick);
        }
        if failed.is_some() {
            stop.stop();
            // Let the workers finish: they wait for room in the queue.
            while rx.recv().is_ok() {}
        }
        let mut ends = Vec::new();
        for h in handles {
            match h.map(|h| h.join()) {
                Ok(Ok(r)) => ends.push(r),
                Ok(Err(_)) => ends.push(Err(
                    std::io::Error::other("a capture worker panicked").into()
                )),
                Err(e) => ends.push(Err(e.into())),
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
        for (i, end) in ends.into_iter().enumerate() {
            let end = end?;
            total.summary.add(end.summary);
            shards.extend(end.shard.map(|s| (i, s)));
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
            // The serial pipeline's flow report goes after the lines.
            let s = sink.finish(&mut *merger.out)?;
            total.summary.written = s.written;
            total.summary.file_limit = s.file_limit;
            if serial {
                total.summary.matched = s.matched;
            }
        }
        if let Some(rows) = merger.rows.take() {
            // The flows get the rows' numbers and pointers.
            let report = rows.order.merge(shards);
            rows.reporter.finish_merged(report, merger.out)?;
        } else if (opts.flows || opts.timeline) && !serial {
            let shards = shards.into_iter().map(|(_, s)| s).collect();
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
    use super::batch::sort_nearly_sorted;
    use super::*;
    use crate::packet::LinkType;
    use std::sync::Mutex;

    fn batch(worker: usize, horizon: u64, ts: &[u64]) -> Batch {
        let mut b = Batch {
            worker,
            horizon: Timestamp(horizon),
            ..Batch::default()
        };
        for &t in ts {
            let start = b.text.len();
            b.text.extend_from_slice(format!("{t}\n").as_bytes());
            b.push_item(Item {
                ts: Timestamp(t),
                link: LinkType::Ethernet,
                orig_len: 0,
                text: (start, b.text.len()),
                data: (0, 0),
                record: false,
                matched: true,
                stamped: true,
                n_at: (0, 0),
                row: NO_ROW,
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
    fn batches_are_sorted_in_place_keeping_equal_times_in_ring_order() {
        // A few µs out of order, with two packets of one time: each line
        // says which it was, so the order of equal times shows.
        let mut b = batch(0, 0, &[10, 30, 20, 20, 40, 35]);
        b.items.swap(2, 3);
        let texts = |b: &Batch| -> Vec<(u64, usize)> {
            b.items.iter().map(|i| (i.ts.0, i.text.0)).collect()
        };
        let before = texts(&b);
        b.sort();
        let after = texts(&b);
        let (first20, second20) = (before[2], before[3]);
        assert_eq!(
            after,
            vec![
                before[0], first20, second20, before[1], before[5], before[4]
            ]
        );
        // Far out of order (reversed, past the moves' budget): still
        // sorted, equal times still in their order.
        let ts: Vec<u64> = (0..200).rev().map(|t| t / 2).collect();
        let mut b = batch(0, 0, &ts);
        let before = texts(&b);
        sort_nearly_sorted(&mut b.items, |i| i.ts.0);
        let mut expected = before.clone();
        expected.sort_by_key(|&(t, _)| t);
        assert_eq!(texts(&b), expected);
    }

    #[test]
    fn count_stops_at_the_nth_packet_in_time_order() {
        let mut out = Vec::new();
        let mut m = merger(&mut out, Some(3));
        // As the workers hand them over: sorted.
        for mut b in [batch(0, 5, &[5, 1]), batch(1, 4, &[2, 4, 3])] {
            b.sort();
            m.take(b);
        }
        m.release(None).unwrap();
        assert!(m.done);
        assert_eq!(m.out_count, 3);
        assert_eq!(m.held, 0, "the rest is dropped");
        assert_eq!(String::from_utf8(out).unwrap(), "1\n2\n3\n");
    }

    #[test]
    fn equal_times_go_to_the_first_ring_first_and_runs_stop_at_the_other_head() {
        let mut out = Vec::new();
        let mut m = merger(&mut out, None);
        let mut b0 = batch(0, 9, &[1, 2, 3, 7, 8]);
        let mut b1 = batch(1, 9, &[3, 4, 7]);
        // Tell the rings' lines apart.
        for b in [&mut b0, &mut b1] {
            let w = b.worker;
            for byte in b.text.iter_mut().filter(|c| **c == b'\n') {
                *byte = if w == 0 { b'a' } else { b'b' };
            }
        }
        m.take(b1);
        m.take(b0);
        m.release(None).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "1a2a3a3b4b7a7b8a");
    }

    #[test]
    fn neighbouring_ranges_are_joined() {
        let got: Vec<_> = spans([(0, 3), (3, 5), (7, 9), (9, 9), (2, 4)].into_iter()).collect();
        assert_eq!(got, [(0, 5, 2), (7, 9, 2), (2, 4, 1)]);
        assert_eq!(spans(std::iter::empty()).count(), 0);
    }

    /// A `Write` whose bytes the test reads afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn file_pipeline(out: &Shared, snaplen: u32) -> Pipeline {
        let target = WriteTarget {
            out: Box::new(out.clone()),
            link: Some(LinkType::Ethernet),
            snaplen,
            per_packet_flush: false,
            name: "test".into(),
            rotator: None,
        };
        Pipeline::new(&OutputConfig::default(), Some(target)).unwrap()
    }

    /// A merger of two rings writing the merged `-w` file into `merged`.
    fn file_merger<'o>(out: &'o mut Vec<u8>, merged: &Shared, snaplen: u32) -> Merger<'o> {
        let mut m = Merger::new(2, out);
        m.sink = Some(file_pipeline(merged, snaplen));
        m
    }

    /// A batch of ready records (as a worker makes them for a merged
    /// file), one per time in `ts`, each frame `len` bytes of its time.
    fn records(worker: usize, ts: &[u64], len: usize, snaplen: u32) -> Batch {
        let mut b = batch(worker, u64::MAX, ts);
        for item in &mut b.items {
            item.text = (0, 0);
            let frame = vec![item.ts.0 as u8; len];
            let pkt = Packet {
                ts: item.ts,
                stamp: None,
                link: item.link,
                data: &frame,
                orig_len: len as u32,
            };
            item.data = push_record(&mut b.data, &pkt, snaplen).unwrap();
            item.record = true;
        }
        b.text.clear();
        b
    }

    #[test]
    fn ready_records_make_the_file_one_pipeline_writes() {
        let snaplen = header_snaplen(LinkType::Ethernet, 100);
        let (t0, t1) = ([1_000, 3_000, 4_000], [2_000, 5_000]);
        let (merged, mut out) = (Shared::default(), Vec::new());
        let mut m = file_merger(&mut out, &merged, snaplen);
        m.take(records(0, &t0, 150, snaplen));
        m.take(records(1, &t1, 150, snaplen));
        m.release(None).unwrap();
        let sink = m.sink.take().unwrap();
        assert_eq!(sink.finish(&mut std::io::sink()).unwrap().written, 5);
        let all: Vec<u64> = t0.iter().chain(&t1).copied().collect();
        let want = one_writer_file(&all, 150, snaplen);
        assert_eq!(want.len(), 24 + 5 * (16 + 100), "cut to the snap length");
        assert!(
            *merged.0.lock().unwrap() == want,
            "the merged file differs from one writer's"
        );
    }

    /// A packed batch as a worker makes it for a merged file (see
    /// [`pack`]), one record per time in `ts` (in the ring's order, which
    /// may be a little out of time order), then sorted as the worker does.
    fn packed(worker: usize, ts: &[u64], len: usize, snaplen: u32) -> Batch {
        let mut b = Batch {
            worker,
            horizon: Timestamp(u64::MAX),
            ..Batch::default()
        };
        each_frame(ts, len, |pkt| {
            assert!(pack(Keep::Record(snaplen), &mut b, pkt, 0, true, false));
        });
        b.sort();
        b
    }

    /// An Ethernet frame of `len` bytes of its time for each time in `ts`.
    fn each_frame(ts: &[u64], len: usize, mut f: impl FnMut(&Packet<'_>)) {
        for &t in ts {
            f(&ethernet(t, &vec![t as u8; len]));
        }
    }

    /// The file one pipeline writes of `ts`' frames (as `packed` and
    /// `records` make them), in time order.
    fn one_writer_file(ts: &[u64], len: usize, snaplen: u32) -> Vec<u8> {
        let mut all = ts.to_vec();
        all.sort();
        file_in_order(&all, len, snaplen)
    }

    /// The file one pipeline writes of `ts`' frames in the order given.
    fn file_in_order(ts: &[u64], len: usize, snaplen: u32) -> Vec<u8> {
        let one = Shared::default();
        let mut p = file_pipeline(&one, snaplen);
        each_frame(ts, len, |pkt| {
            p.handle(pkt, &mut std::io::sink()).unwrap();
        });
        p.finish(&mut std::io::sink()).unwrap();
        one.0.lock().unwrap().clone()
    }

    /// As `packets_go_out_in_time_order_once_every_ring_got_past_them`,
    /// on the packed path ([`Merger::merge_packed`]).
    #[test]
    fn packed_records_go_out_once_every_ring_got_past_them() {
        let snaplen = header_snaplen(LinkType::Ethernet, 0);
        let with_horizon = |worker, horizon, ts: &[u64]| {
            let mut b = packed(worker, ts, 60, snaplen);
            b.horizon = Timestamp(horizon);
            b
        };
        let (merged, mut out) = (Shared::default(), Vec::new());
        let mut m = file_merger(&mut out, &merged, snaplen);
        let early = Some(Timestamp(1_000));
        m.take(with_horizon(0, 50, &[10, 30, 50]));
        m.release(early).unwrap();
        assert_eq!(m.held, 3, "ring 1 has said nothing yet: all wait");
        m.take(with_horizon(1, 40, &[20, 40]));
        m.release(early).unwrap();
        assert_eq!(m.held, 1, "50 waits for ring 1");
        // A packet older than what went out (ring 1 broke its word) is
        // written at once, and counted.
        m.take(with_horizon(1, 60, &[35, 50, 60]));
        m.release(early).unwrap();
        assert_eq!(m.held, 1, "60 waits for ring 0");
        let late = REORDER_WINDOW.as_nanos() as u64 + 60;
        m.release(Some(Timestamp(late))).unwrap();
        assert_eq!((m.late, m.held, m.out_count), (1, 0, 8));
        let sink = m.sink.take().unwrap();
        assert_eq!(sink.finish(&mut std::io::sink()).unwrap().written, 8);
        let want = file_in_order(&[10, 20, 30, 40, 35, 50, 50, 60], 60, snaplen);
        assert!(*merged.0.lock().unwrap() == want, "written in that order");
    }

    /// An Ethernet frame of time `t` whose bytes are `data`, all captured.
    fn ethernet(t: u64, data: &[u8]) -> Packet<'_> {
        Packet {
            ts: Timestamp(t),
            stamp: None,
            link: LinkType::Ethernet,
            data,
            orig_len: data.len() as u32,
        }
    }

    #[test]
    fn packed_runs_stop_at_the_other_ring_and_equal_times_go_to_the_first_ring_first() {
        let snaplen = header_snaplen(LinkType::Ethernet, 0);
        // Each ring's frames told apart by their bytes.
        let frame = |worker: usize, t: u64| vec![(worker as u64 * 100 + t) as u8; 60];
        let make = |worker: usize, ts: &[u64]| {
            let mut b = Batch {
                worker,
                horizon: Timestamp(u64::MAX),
                ..Batch::default()
            };
            for &t in ts {
                let data = frame(worker, t);
                let pkt = ethernet(t, &data);
                assert!(pack(Keep::Record(snaplen), &mut b, &pkt, 0, true, false));
            }
            b.sort();
            b
        };
        let (merged, mut out) = (Shared::default(), Vec::new());
        let mut m = file_merger(&mut out, &merged, snaplen);
        m.take(make(1, &[3, 4, 7]));
        m.take(make(0, &[1, 2, 3, 7, 8]));
        m.release(None).unwrap();
        assert_eq!((m.out_count, m.late, m.held), (8, 0, 0));
        m.sink.take().unwrap().finish(&mut std::io::sink()).unwrap();
        let one = Shared::default();
        let mut p = file_pipeline(&one, snaplen);
        for (worker, t) in [
            (0, 1),
            (0, 2),
            (0, 3),
            (1, 3),
            (1, 4),
            (0, 7),
            (1, 7),
            (0, 8),
        ] {
            let data = frame(worker, t);
            p.handle(&ethernet(t, &data), &mut std::io::sink()).unwrap();
        }
        p.finish(&mut std::io::sink()).unwrap();
        let want = one.0.lock().unwrap().clone();
        assert!(
            *merged.0.lock().unwrap() == want,
            "not in (time, ring) order"
        );
    }

    #[test]
    fn a_sort_that_moves_records_says_so() {
        let snaplen = header_snaplen(LinkType::Ethernet, 0);
        let mut b = packed(0, &[10, 20, 20, 30], 60, snaplen);
        assert!(
            !b.moved,
            "already in order: each record where the last ends"
        );
        assert_eq!(
            (b.record(1), b.record(2)),
            (Some((76, 152)), Some((152, 228)))
        );
        b = packed(0, &[10, 30, 20], 60, snaplen);
        assert!(b.moved);
        assert_eq!(
            b.record(1),
            Some((152, 228)),
            "20's record, last in the data"
        );
        b.clear();
        assert!(!b.moved, "a cleared batch starts in order");
    }

    #[test]
    fn packed_batches_make_the_file_one_pipeline_writes() {
        let snaplen = header_snaplen(LinkType::Ethernet, 100);
        // Ring 1 interleaved with ring 0, over two batches each; ring 0's
        // second a little out of order (the worker sorts it: its records
        // no longer lie in time order in its data).
        let t0 = [[1_000, 2_500, 3_000, 4_000], [6_000, 7_000, 6_500, 9_000]];
        let t1 = [[2_000, 5_000], [5_500, 8_000]];
        let (merged, mut out) = (Shared::default(), Vec::new());
        let mut m = file_merger(&mut out, &merged, snaplen);
        let b = packed(0, &t0[0], 150, snaplen);
        let times: Vec<Timestamp> = (0..b.len()).filter_map(|i| b.time(i)).collect();
        assert_eq!(times, [1_000, 2_500, 3_000, 4_000].map(Timestamp));
        assert!(b.items.is_empty() && b.packed == Some(LinkType::Ethernet));
        m.take(b);
        m.take(packed(1, &t1[0], 150, snaplen));
        let b = packed(0, &t0[1], 150, snaplen);
        assert_eq!(b.packed, Some(LinkType::Ethernet));
        let times: Vec<Timestamp> = (0..b.len()).filter_map(|i| b.time(i)).collect();
        assert_eq!(times, [6_000, 6_500, 7_000, 9_000].map(Timestamp));
        assert_eq!(
            b.record(1),
            Some((232, 348)),
            "6,500's record, third in its data"
        );
        m.take(b);
        m.take(packed(1, &t1[1], 150, snaplen));
        m.release(None).unwrap();
        assert_eq!((m.out_count, m.late, m.held), (12, 0, 0));
        let sink = m.sink.take().unwrap();
        assert_eq!(sink.finish(&mut std::io::sink()).unwrap().written, 12);
        let all: Vec<u64> = t0
            .iter()
            .flatten()
            .chain(t1.iter().flatten())
            .copied()
            .collect();
        let want = one_writer_file(&all, 150, snaplen);
        assert_eq!(want.len(), 24 + 12 * (16 + 100), "cut to the snap length");
        assert!(*merged.0.lock().unwrap() == want, "the merged file differs");
        assert!(out.is_empty(), "no lines");
    }

    #[test]
    fn packed_and_item_batches_mix_and_count_stops_in_time_order() {
        let snaplen = header_snaplen(LinkType::Ethernet, 0);
        let (t0, t1) = ([1_000, 3_000, 5_000], [2_000, 4_000]);
        let (merged, mut out) = (Shared::default(), Vec::new());
        let mut m = file_merger(&mut out, &merged, snaplen);
        m.count = Some(4);
        m.take(packed(0, &t0, 60, snaplen));
        m.take(records(1, &t1, 60, snaplen));
        m.release(None).unwrap();
        assert!(m.done);
        assert_eq!(m.out_count, 4);
        let want = one_writer_file(&[1_000, 2_000, 3_000, 4_000], 60, snaplen);
        assert!(
            *merged.0.lock().unwrap() == want,
            "the first 4 in time order"
        );
    }

    #[test]
    fn an_unpacked_batch_holds_the_items_the_worker_would_have_made() {
        let snaplen = header_snaplen(LinkType::Ethernet, 100);
        let mut b = packed(0, &[30, 10, 20], 150, snaplen);
        assert_eq!(b.record(0), Some((116, 232)));
        assert_eq!(b.record(3), None);
        let data = b.data.clone();
        b.unpack();
        assert_eq!(b.packed, None);
        assert!(b.dts.is_empty() && b.starts.is_empty() && b.ends.is_empty());
        assert!(b.orig_lens.is_empty());
        assert_eq!(b.len(), 3);
        for (item, t) in b.items.iter().zip([10, 20, 30]) {
            assert_eq!(item.ts, Timestamp(t));
            assert_eq!(item.orig_len, 150);
            assert!(item.record && item.matched && item.stamped);
            assert_eq!(item.data.1 - item.data.0, 100);
            let (start, end) = item.record().unwrap();
            assert_eq!(&data[start + 16..end], &[t as u8; 100][..]);
        }
        // Another link type cannot join a packed batch: the worker makes
        // an item of it instead.
        let mut b = packed(0, &[1], 20, snaplen);
        let pkt = Packet {
            ts: Timestamp(2),
            stamp: None,
            link: LinkType::Raw,
            data: &[0x45; 20],
            orig_len: 20,
        };
        let before = b.data.len();
        assert!(!pack(Keep::Record(snaplen), &mut b, &pkt, 0, true, false));
        assert_eq!(b.data.len(), before, "nothing left behind");
        assert!(
            !pack(Keep::Record(snaplen), &mut b, &pkt, 0, false, false),
            "unmatched"
        );
        // A time further from the batch's first than a u32 of ns holds, or
        // more than its slack before it.
        for ts in [6_000_000_000, 1_000_000_000 - 2_000_000] {
            let mut b = packed(0, &[1_000_000_000], 20, snaplen);
            let pkt = Packet {
                ts: Timestamp(ts),
                stamp: None,
                link: LinkType::Ethernet,
                data: &[1; 20],
                orig_len: 20,
            };
            let before = b.data.len();
            assert!(!pack(Keep::Record(snaplen), &mut b, &pkt, 0, true, false));
            assert_eq!((b.data.len(), b.len()), (before, 1), "nothing left behind");
        }
        assert!(
            !pack(Keep::Line, &mut b, &pkt, 0, true, false),
            "no record kept"
        );
    }

    #[test]
    fn sigusr1_counters_wait_for_every_ring() {
        let board = Board::new(2);
        let stats = |received| SourceStats {
            received,
            dropped_by_kernel: Some(1),
        };
        assert_eq!(board.asked_since(0), None);
        let r = board.ask();
        assert_eq!(board.asked_since(0), Some(r));
        board.answer(0, r, stats(5));
        assert!(board.answers(r).is_none(), "ring 1 has not answered");
        board.answer(1, u64::MAX, stats(7));
        let sum = board.answers(r).unwrap();
        assert_eq!((sum.received, sum.dropped_by_kernel), (12, Some(2)));
    }

    #[test]
    fn only_follow_is_refused() {
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
                number: true,
                time: TimeFormat::Delta,
                ..base.clone()
            },
        ] {
            assert_eq!(unsupported(&o), None);
        }
        let parquet = OutputConfig {
            packets_parquet: Some("p.parquet".into()),
            ..base.clone()
        };
        assert_eq!(unsupported(&parquet), None);
        assert!(!serial(&parquet), "the workers track, the merger writes");
        let counted = OutputConfig {
            count: Some(5),
            ..parquet.clone()
        };
        assert!(serial(&counted), "the first 5 in time order");
        let follow = OutputConfig {
            follow: Some(Default::default()),
            ..base.clone()
        };
        assert!(unsupported(&follow).is_some());
    }
}
