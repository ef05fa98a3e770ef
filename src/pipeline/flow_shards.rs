//! `read --threads N` when the flow tracker is all the work (`--flows`,
//! `--timeline`, their JSON; no packet lines). The reader counts the
//! packets, samples the first packets' checksums for the offload
//! decision and keeps the sweep clock; every worker gets every batch at
//! once, and does for its own flows what one pipeline would: the flow
//! view, the service, the checksum verdict, the tracker, each its shard
//! (`crate::flow::shard`). At the end the shards merge into the report
//! one tracker gives, and its Parquet flows file (each packet goes with
//! its place in the capture, for the flows' pointers).
//!
//! Reading a classic pcap file with no filter and no `-c` (the common
//! case), the calling thread only reads: it takes whole runs of records
//! as they lie in the chunk the file was read into
//! ([`PacketSource::next_records`], shared, not copied) and is worker 0
//! besides, so N threads do all the work on N cores. Each run is split
//! once, by the first worker to reach it ([`Split`]): the ends of each
//! packet's flow read cheaply off the frame, as two words
//! ([`FlowPacket::frame_end_words`]), tell whose it is ([`owner`]), and the
//! clock's ticks are marked; for each worker, the places of its own
//! records and of those the clock ticks before. The worker ahead splits,
//! so the work of splitting goes to whichever thread has time for it:
//! the others, which are ahead of this thread's own worker (it lags
//! [`LAG`] batches), but this thread whenever another is behind its
//! queue ([`Own::split_ahead`]): splitting costs more than reading, and
//! the workers that split every run were a third slower than this one
//! (`read --flows --threads 2`: 64 ms → 58 ms on the bench capture).
//! (When a reader thread split every run beside two workers, three busy
//! threads shared two cores and one core idled a fifth of the run; see
//! README, "Several cores".) Otherwise (pcapng, several files, a filter,
//! `-c`) a reader thread picks the packets out one by one
//! ([`PacketSource::next_shared`]), filters them and hands over where
//! each lies; the workers read the ends themselves.

use super::chunks::Packets;
use super::driver::{Pipeline, PipelineError, UserFilter, flow_config, service_of};
use super::offload::OffloadCheck;
use super::parallel::Cut;
use super::{OutputConfig, RunSummary};
use crate::decode::checksum;
use crate::decode::flow_view::EndWords;
use crate::flow::shard::{Shard, SweepClock, merge};
use crate::flow::tracker::FlowHasherBuilder;
use crate::flow::{FlowConfig, FlowPacket, FlowTracker, PcapPos};
use crate::packet::Packet;
use crate::source::{InChunk, PacketSource, Records, SourceError};
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, OnceLock};

/// Packets handed out at once (to every worker): each batch costs the
/// channel a few hundred nanoseconds, spread over this many packets.
const BATCH_PACKETS: usize = 4096;

/// Batches queued per worker before the reader waits: bounds the memory
/// in flight when the workers are slower than the reader.
const QUEUED: usize = 4;

/// Batches the reading thread keeps back from its own worker (walking
/// records): enough that the other workers reach each run first and
/// split it, fewer than [`QUEUED`], so that a worker falling behind
/// leaves its runs to this thread to split.
const LAG: usize = 2;

/// The packets read, handed to every worker at once (each takes its own
/// flows' packets from it): picked out one by one (a filter or `-c`
/// chose them), or runs of whole pcap records each worker walks itself
/// (every packet read goes to the tracker: numbered from the first's
/// number on); and whether bad checksums count (the offload decision).
#[derive(Default)]
struct Batch {
    packets: Packets,
    records: Vec<Run>,
    /// Which file of the run the records' rows point into, when they do.
    point: Option<u32>,
    counts: bool,
}

impl Batch {
    fn len(&self) -> usize {
        let runs: u64 = self.records.iter().map(|r| r.records.count).sum();
        self.packets.recs.len() + runs as usize
    }
}

/// Whole records, the first numbered `first`, and for each worker the
/// records it has to look at ([`Split`]), once the first worker to need
/// them has made them.
struct Run {
    first: u64,
    records: Records,
    split: OnceLock<Split>,
}

/// A run's records for each worker: those of its flows ([`owner`]) and
/// those before which the sweep clock ticks. The ends of each packet's
/// flow are read once, not by each worker, and no worker walks the
/// records of the others' flows (walking every record header cost each
/// worker a tenth of its time).
struct Split {
    steps: Vec<Vec<Step>>,
}

/// What splitting runs carries from one run to the next: the sweep clock
/// and the count of truncated records. Runs are split in file order (a
/// worker needs run k's split before it reaches run k + 1), one at a
/// time: the lock is never waited for.
struct Splitter {
    clock: SweepClock,
    hasher: FlowHasherBuilder,
    cut: Cut,
    truncated: u64,
}

impl Splitter {
    fn split(&mut self, run: &Records) -> Split {
        let workers = self.cut.threads();
        // Room for a worker's fair share and then some: the hash does
        // not split a run evenly, and the lists that outgrew a tight
        // guess were copied into bigger ones (2% of the reader).
        let count = run.count as usize;
        let each = count / workers.max(1) + count / 8 + 64;
        let mut steps: Vec<Vec<Step>> = (0..workers).map(|_| Vec::with_capacity(each)).collect();
        for (index, (at, p)) in (0u32..).zip(run.walk()) {
            self.truncated += u64::from(p.is_truncated());
            let Some(ends) = FlowPacket::frame_end_words(p.ts, p.link, p.data) else {
                continue;
            };
            let tick = self.clock.tick(p.ts);
            let w = owner(ends, self.cut, &self.hasher);
            let step = |mine| Step {
                at,
                index,
                tick,
                mine,
            };
            if tick {
                for (i, list) in steps.iter_mut().enumerate() {
                    list.push(step(i == w));
                }
            } else if let Some(list) = steps.get_mut(w) {
                list.push(step(true));
            }
        }
        Split { steps }
    }
}

/// One record a worker looks at: where it lies in the run's chunk
/// ([`Records::at`]), its index in the run, and what to do with it.
#[derive(Clone, Copy)]
struct Step {
    at: usize,
    index: u32,
    /// The sweep clock ticks before the packet (every worker ticks).
    tick: bool,
    /// The packet is of this worker's flows.
    mine: bool,
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
    // One hasher for all workers: each picks its flows with the same one.
    let hasher = FlowHasherBuilder::default();
    // Every packet read goes to the tracker: the workers walk the records.
    let walk = opts.filter.is_none() && opts.count.is_none() && source.gives_records();
    // Walking records, the reading thread is worker 0 too, and reads for
    // all: a smaller share of the flows keeps it from being the last.
    let cut = match walk {
        true => Cut::with_first(threads, READER_PARTS),
        false => Cut::even(threads),
    };
    let splitter = Mutex::new(Splitter {
        clock: SweepClock::default(),
        hasher,
        cut,
        truncated: 0,
    });
    let share = |me| Share { me, cut, hasher };
    std::thread::scope(|scope| {
        // Walking records, reading is light: the calling thread is worker
        // 0 as well, and N threads share N cores.
        let own = walk.then(|| Worker::new(cfg, share(0)));
        let mut queues = Vec::new();
        let mut handles = Vec::new();
        for me in usize::from(walk)..threads {
            let (tx, rx) = mpsc::sync_channel::<Arc<Batch>>(QUEUED);
            let waiting = Arc::new(AtomicUsize::new(0));
            queues.push(Queue {
                tx,
                waiting: Arc::clone(&waiting),
            });
            let splitter = &splitter;
            handles.push(
                scope.spawn(move || Worker::new(cfg, share(me)).run(&rx, &waiting, splitter)),
            );
        }
        let mut reader = Reader::new(opts, queues, own, &splitter);
        let source_error = if walk {
            reader.drain_records(source, &reporter)
        } else {
            reader.drain(source, &reporter)
        };
        let (mut total, own) = reader.finish();
        let mut shards: Vec<Shard> = own.map(Worker::finish).into_iter().collect();
        shards.extend(handles.into_iter().filter_map(|h| h.join().ok()));
        total.truncated += lock(&splitter).truncated;
        reporter.finish_merged(merge(shards), out)?;
        total.source = source.stats();
        total.source_error = source_error;
        Ok(total)
    })
}

/// The worker of the flow whose ends are `ends`, as `cut` shares them: a
/// hash of the two ends' sum (the same both ways), scaled onto the parts
/// ([`Cut::worker`]).
/// Not the line workers' [`super::parallel::owner`]: no flow has to share
/// a worker with another here (the tracker keeps nothing between flows),
/// and its three multiplies over the ends' addresses cost the splitting
/// a quarter of its time. Any hash of the flow gives the same report
/// (`crate::flow::shard`); the hasher's seed changes it from run to run.
#[inline]
fn owner(ends: EndWords, cut: Cut, hasher: &FlowHasherBuilder) -> usize {
    cut.worker(hasher.hash_one(ends.both_ways()))
}

/// Worker 0's parts (against `parallel`'s 8 for each other worker) when it is the reading thread too: it reads the file
/// (`read(2)`'s copy) and splits runs besides, so with an even share
/// it was the last to finish while the other worker waited for batches
/// (`perf sched`: the reader 50 ms on a core, the worker 37 ms with 9 ms
/// of waits). 5 of 13 parts on two threads: 3 to 5 gave the same wall
/// time within the noise, 6 to 8 more.
const READER_PARTS: u64 = 5;

/// The splitter, whether or not a worker that held it died (it then
/// split no run: the runs it was to split are split by the next).
fn lock(splitter: &Mutex<Splitter>) -> std::sync::MutexGuard<'_, Splitter> {
    splitter
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Which flows a worker takes: those [`owner`] gives it.
#[derive(Clone, Copy)]
struct Share {
    me: usize,
    cut: Cut,
    hasher: FlowHasherBuilder,
}

/// A worker: its shard of the run's flows. It goes over every packet of
/// every batch: the sweep clock runs on all the packets one tracker
/// observes (every worker ticks its shard at the same packets), and the
/// ends of each flow (read cheaply off the frame, [`FlowPacket::frame_end_words`])
/// tell whose it is; only its own flows' packets get the whole view, the
/// service, the checksum verdict and the tracker.
struct Worker {
    t: FlowTracker,
    clock: SweepClock,
    share: Share,
}

impl Worker {
    fn new(cfg: FlowConfig, share: Share) -> Self {
        Worker {
            t: FlowTracker::new(cfg).shard(),
            clock: SweepClock::default(),
            share,
        }
    }

    /// Take the batches until the reader closes the queue: the shard.
    /// `waiting` counts the batches sent and not yet begun.
    fn run(
        mut self,
        work: &Receiver<Arc<Batch>>,
        waiting: &AtomicUsize,
        splitter: &Mutex<Splitter>,
    ) -> Shard {
        while let Ok(b) = work.recv() {
            waiting.fetch_sub(1, Ordering::Relaxed);
            self.batch(&b, splitter);
        }
        self.finish()
    }

    /// The batch's packets of this worker's flows, and the clock's ticks;
    /// a run no worker has split yet is split here.
    fn batch(&mut self, b: &Batch, splitter: &Mutex<Splitter>) {
        for r in &b.packets.recs {
            self.packet(&b.packets.packet(r), r.number, r.pos, b.counts);
        }
        for run in &b.records {
            let split = run.split.get_or_init(|| lock(splitter).split(&run.records));
            let steps = split
                .steps
                .get(self.share.me)
                .map_or(&[][..], Vec::as_slice);
            for s in steps {
                let Some((offset, p)) = run.records.at(s.at) else {
                    continue;
                };
                let number = run.first + u64::from(s.index);
                if s.tick {
                    self.t.tick(p.ts, number);
                }
                if s.mine {
                    let pos = b.point.map(|file| PcapPos { file, offset });
                    self.observe(&p, number, pos, b.counts);
                }
            }
        }
    }

    /// The end of the input: this worker's shard.
    fn finish(self) -> Shard {
        self.t.finish_shard()
    }

    /// Packet `number` at `pos`: the clock, and the tracker if it is ours.
    fn packet(&mut self, p: &Packet<'_>, number: u64, pos: Option<PcapPos>, counts: bool) {
        let Some(ends) = FlowPacket::frame_end_words(p.ts, p.link, p.data) else {
            return;
        };
        if self.clock.tick(p.ts) {
            self.t.tick(p.ts, number);
        }
        if owner(ends, self.share.cut, &self.share.hasher) == self.share.me {
            self.observe(p, number, pos, counts);
        }
    }

    /// Packet `number` of one of this worker's flows, at `pos`: tracked.
    fn observe(&mut self, p: &Packet<'_>, number: u64, pos: Option<PcapPos>, counts: bool) {
        // There is a flow there: the whole view gives it again
        // (`tests/flow_views_agree.rs`).
        let mut fp = FlowPacket::blank(p.ts);
        if let Some((payload, bad)) = fp.fill_from_frame(p.link, p.data, counts) {
            fp.bad_checksum = bad;
            self.t.number_next(number);
            // The service only for a flow that has none yet.
            self.t
                .observe_at_with(&fp, None, pos, |fp| service_of(fp, payload));
        }
    }
}

/// The calling thread: what one pipeline does with a packet before its
/// flow view, in the same order, so that counters, the offload decision
/// and `-c` come out as one thread's.
struct Reader<'s> {
    filter: Option<UserFilter>,
    offload: OffloadCheck,
    count: Option<u64>,
    batch: Batch,
    point: Option<u32>,
    /// The workers on other threads.
    queues: Vec<Queue>,
    /// Worker 0, when the reading thread is it too ([`Reader::drain_records`]).
    own: Option<Own>,
    splitter: &'s Mutex<Splitter>,
    total: RunSummary,
}

/// A worker on another thread: its batches, and how many of them it has
/// not begun (it is behind when any wait).
struct Queue {
    tx: SyncSender<Arc<Batch>>,
    waiting: Arc<AtomicUsize>,
}

/// The reading thread's own worker and the batches it has yet to work:
/// it keeps [`LAG`] of them back, so the other workers, who have them,
/// reach the runs first and split them while this thread reads.
struct Own {
    worker: Worker,
    backlog: VecDeque<Arc<Batch>>,
}

impl Own {
    /// Work the oldest batch if more than `lag` wait: whether one did.
    fn work(&mut self, lag: usize, splitter: &Mutex<Splitter>) -> bool {
        if self.backlog.len() <= lag {
            return false;
        }
        let Some(b) = self.backlog.pop_front() else {
            return false;
        };
        self.worker.batch(&b, splitter);
        true
    }

    /// Split the runs of `next` (the batch about to be sent), and first
    /// those of the batches this thread has yet to work: runs are split in
    /// file order (the sweep clock goes on from one to the next), and
    /// every run before these has been worked here, so split.
    fn split_ahead(&self, next: &Batch, splitter: &Mutex<Splitter>) {
        let waiting = self.backlog.iter().map(|b| &**b);
        for run in waiting.chain([next]).flat_map(|b| &b.records) {
            run.split.get_or_init(|| lock(splitter).split(&run.records));
        }
    }
}

impl<'s> Reader<'s> {
    fn new(
        opts: &OutputConfig,
        queues: Vec<Queue>,
        own: Option<Worker>,
        splitter: &'s Mutex<Splitter>,
    ) -> Self {
        Reader {
            filter: opts.filter.clone().map(UserFilter::new),
            offload: OffloadCheck::new(opts.checksums),
            count: opts.count,
            batch: Batch::default(),
            point: None,
            queues,
            own: own.map(|worker| Own {
                worker,
                backlog: VecDeque::new(),
            }),
            splitter,
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

    /// [`Reader::drain`] when every packet read goes to the tracker (no
    /// filter, no `-c`) and the source gives whole records: it counts
    /// them and samples the first for the offload decision; the workers
    /// (this thread's among them) split the runs and read the records
    /// of their flows.
    fn drain_records(
        &mut self,
        source: &mut dyn PacketSource,
        reporter: &Pipeline,
    ) -> Option<SourceError> {
        // Rows point into the file: the same file for all the records.
        self.point = reporter.pos().map(|p| p.file);
        let mut number = 1u64;
        loop {
            let run = match source.next_records() {
                Ok(Some(r)) => r,
                Ok(None) => return None,
                Err(e) => return Some(e),
            };
            let s = &mut self.total;
            s.packets += run.count;
            s.matched += run.count;
            s.count_link(run.layout.link, run.count);
            if self.offload.undecided() {
                for (_, p) in run.iter() {
                    if self.offload.undecided() && self.offload.hold(&p, checksum::verify(&p), None)
                    {
                        self.offload.decide();
                    }
                }
            }
            let count = run.count;
            self.batch.records.push(Run {
                first: number,
                records: run,
                split: OnceLock::new(),
            });
            number += count;
            if self.batch.len() >= BATCH_PACKETS {
                self.send();
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
        self.batch.packets.push(p, chunk, number, pos);
        if self.batch.len() >= BATCH_PACKETS {
            self.send();
        }
    }

    /// Send every worker the batch, once the offload decision is made:
    /// the workers judge checksums by it.
    fn send(&mut self) {
        if self.offload.undecided() || self.batch.len() == 0 {
            return;
        }
        let mut b = std::mem::take(&mut self.batch);
        b.counts = self.offload.counts();
        b.point = self.point;
        let b = Arc::new(b);
        let (own, splitter) = (&mut self.own, self.splitter);
        // A worker still behind its earlier batches would be the one to
        // split these runs, on top of its share of the flows, while this
        // thread only reads and works its own share: the slower of the two
        // would set the pace (splitting costs more than reading). So this
        // thread splits them now, while another is behind; once none is,
        // the others split again.
        if let Some(own) = own
            && self
                .queues
                .iter()
                .any(|q| q.waiting.load(Ordering::Relaxed) > 0)
        {
            own.split_ahead(&b, splitter);
        }
        for q in &self.queues {
            let mut b = Arc::clone(&b);
            q.waiting.fetch_add(1, Ordering::Relaxed);
            // A worker behind: this thread's own batches meanwhile (it
            // splits the runs the other has not reached), then wait.
            while let Err(TrySendError::Full(back)) = q.tx.try_send(b) {
                b = back;
                if !own.as_mut().is_some_and(|o| o.work(0, splitter)) {
                    // A worker that died took its shard with it; the run goes on.
                    let _ = q.tx.send(b);
                    break;
                }
            }
        }
        if let Some(own) = own {
            own.backlog.push_back(b);
            own.work(LAG, splitter);
        }
    }

    /// End of input: decide on what the sample had, send the last
    /// batches; closing the queues ends the workers. The run's counters
    /// and this thread's worker, if it was one.
    fn finish(mut self) -> (RunSummary, Option<Worker>) {
        if self.offload.undecided() {
            self.offload.decide();
        }
        self.send();
        let mut own = self.own;
        while own.as_mut().is_some_and(|o| o.work(0, self.splitter)) {}
        (self.total, own.map(|o| o.worker))
    }
}
