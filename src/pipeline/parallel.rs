//! `read --threads N`: packet lines decoded and formatted by N workers,
//! written in file order. The calling thread reads the source (which need
//! not be `Send`) into batches of copied packets and hands each packet to
//! a worker chosen by a symmetric hash of its flow (Suricata's autofp):
//! both directions of a connection reach the same worker, whose own
//! [`Pipeline`] keeps that connection's state (the relative sequence
//! numbers' bases) exactly as one pipeline over the whole file would. The
//! workers give back each packet's bytes; the calling thread puts the lines
//! back in file order. Counters add up; the per-link counts are taken by the
//! reader, in file order.
//!
//! The calling thread is worker 0 as well, with a smaller share of the
//! flows ([`Cut`]): it works its part of a batch after handing the others
//! theirs. So N threads share N cores; with a reader thread beside two
//! workers, three busy threads shared two cores and the reader waited for
//! them (`read --threads 2` on the bench capture: 134–138 ms → 110–112 ms).
//!
//! With the flow tracker on (`--flows`, `--timeline`, `--analysis`) each
//! worker's tracker is a shard of the run's (`crate::flow::shard`): the
//! reader numbers the packets, keeps the idle-sweep clock and tells every
//! worker when it ticks, and makes the checksum-offload decision on the
//! first packets as one pipeline would; at the end the shards merge into
//! the report one tracker gives, printed after the lines.
//!
//! When the tracker is all the work (no packet lines), `flow_shards` runs
//! it instead: the workers get flow views, not packets. What a line needs
//! of the packets before it (`-c`'s count, `-#`, `--time rel|delta`) the
//! reader keeps and tells each packet's worker (`super::lines`).
//!
//! `--packets-parquet`: each worker hands over, with each packet's line,
//! its part of the packet's row (the flow view, the flow's uid in its
//! shard); the reader writes the rows in file order through the reporter
//! and numbers the flows as they first show (`super::rows`), which is one
//! tracker's numbering, so the file is the bytes one thread writes.
//!
//! `-w`: the workers say which packets their filter took; the reader
//! writes those through the reporter, in file order (with `-C`/`-G`/`-W`
//! it turns the files, and the packets file with them, as one thread does).
//!
//! Only runs whose output needs no state beyond one connection, the flow
//! report and those go here ([`supported`]): `-G … -W` (which may stop
//! the run) and a rotating flows file keep the single-threaded driver
//! (the flows file alone, written
//! from the report, runs on `flow_shards`; `follow` runs on
//! `follow_shards`, but not with `--stream`). (The relative-sequence table starts over past
//! 2^20 connections per worker rather than in total: a file with more
//! connections than that may re-base differently.)

use super::driver::{Pipeline, PipelineError, UserFilter};
use super::lines::{LineOrder, Place};
use super::offload::OffloadCheck;
use super::rows::{RowOrder, RowPart};
use super::{OutputConfig, RunSummary};
use crate::decode::checksum;
use crate::decode::flow_view::{EndWords, Ends, FlowPacket, Proto};
use crate::flow::PcapPos;
use crate::flow::shard::{Shard, SweepClock, merge};
use crate::flow::tracker::FlowHasherBuilder;
use crate::packet::{FileStamp, LinkType, Packet, Timestamp};
use crate::source::{PacketSource, Records, SourceError};
use std::collections::{BTreeMap, VecDeque};
use std::hash::BuildHasher;
use std::io::Write;
use std::sync::mpsc;

/// Packets per batch: large enough that handing a batch over costs little
/// per packet, small enough that a few in flight stay a few MiB.
const BATCH_PACKETS: usize = 4096;

/// Batches in flight before the reader waits for the oldest.
const IN_FLIGHT: usize = 4;

/// Shares of its own the reading thread keeps back (worker 0's): the
/// other workers start theirs first.
const LAG: usize = 1;

/// Worker 0's parts of the flows' hash space, against [`PART`] for each
/// other worker ([`Cut`]): it reads for all of them besides. (3 while the
/// reading thread took each packet from the source one at a time and
/// hashed its ends as addresses: its own work was then ~595 M
/// instructions on the bench capture, ~400 M now, so it takes more.)
const READER_PARTS: u64 = 4;

/// Whether `opts` can run on several threads with the same output.
pub fn supported(opts: &OutputConfig) -> bool {
    // The flows file is written from the merged report, when the tracker
    // is all the work (`flow_shards`), or beside the packets file (whose
    // rows tell the flows' pointers); not beside packet lines (`-v`) alone.
    let flows_file = opts.flows_parquet.is_none()
        || opts.packets_parquet.is_some()
        || (opts.flows || opts.timeline) && (opts.verbose == 0 || opts.quiet);
    // `follow --stream` picks its stream by a number only one tracker
    // knows when the stream starts.
    let follow = opts.follow.is_none() || opts.stream.is_none();
    // The reader writes `-w` in file order, turning the files (and the
    // packets file with them) before a packet as one pipeline does. Two
    // cases keep one thread: `-G … -W N` without `-C`, which stops the
    // run at the first packet past N files (a moment of the wall clock:
    // the workers have counted and tracked packets past it by then, and
    // the counters and reports would hold them); and a rotating flows
    // file, which takes the flows that ended while its pcap file was open
    // from one tracker (the workers' tables cannot say that in time).
    let write = opts.rotate.as_ref().is_none_or(|r| {
        let may_stop = r.files.is_some() && r.size.is_none();
        !may_stop && opts.flows_parquet.is_none()
    });
    follow && write && flows_file
}

/// One packet of a batch: its fields, its number in the source and where
/// its bytes are in `data`.
struct Rec {
    ts: Timestamp,
    stamp: Option<FileStamp>,
    link: LinkType,
    orig_len: u32,
    number: u64,
    start: usize,
    end: usize,
    /// Where its line stands among all (`-#`, `--time rel|delta`).
    place: Option<Place>,
    /// Its place in the capture file, when rows point there.
    pos: Option<PcapPos>,
}

impl Rec {
    /// The packet, its bytes in `data` (its share's copy).
    fn packet<'a>(&self, data: &'a [u8]) -> Packet<'a> {
        Packet {
            ts: self.ts,
            stamp: self.stamp,
            link: self.link,
            data: data.get(self.start..self.end).unwrap_or(&[]),
            orig_len: self.orig_len,
        }
    }
}

/// One worker's share of a batch, and (coming back) its output: the bytes
/// of each packet end at `ends[i]` in `out`.
#[derive(Default)]
struct Share {
    seq: u64,
    worker: usize,
    data: Vec<u8>,
    recs: Vec<Rec>,
    /// Sweep-clock ticks: before `recs[i]` (or after the last at
    /// `recs.len()`), the time and the packet's number.
    ticks: Vec<(usize, Timestamp, u64)>,
    /// The run's checksum-offload decision (flow tracking only).
    offload: bool,
    out: Vec<u8>,
    ends: Vec<usize>,
    /// Parquet rows: each packet's part of its row (`None`: no row).
    rows: Vec<Option<RowPart>>,
    /// `-w`: whether the filter took each packet.
    taken: Vec<bool>,
    error: Option<PipelineError>,
}

impl Share {
    fn clear(&mut self) {
        self.data.clear();
        self.recs.clear();
        self.ticks.clear();
        self.out.clear();
        self.ends.clear();
        self.rows.clear();
        self.taken.clear();
    }
}

/// A batch in flight: which worker has each packet, and the shares back.
struct InFlight {
    owner: Vec<u16>,
    shares: Vec<Option<Share>>,
    back: usize,
}

/// The worker for a packet whose flow has the ends `ends`: a hash of the
/// flow, the same for both directions (each end folded into a word and
/// the two added, [`EndWords::both_ways`], so neither order nor a
/// comparison of the ends is needed: building the ordered flow key cost
/// the reader more than the hash); the line reader and `follow`'s split
/// share this one rule ([`Cut::owner_of_words`]);
/// packets without one go to 0, and so do ISAKMP's, NFS's and Rx's, whose
/// lines depend on the packets of other flows before them (IKEv1's cookie
/// table, NFS's XID table, Rx's call table). Any
/// such hash gives the same output.
pub(super) fn owner(ends: Option<&Ends>, threads: usize, hasher: &FlowHasherBuilder) -> usize {
    let words = ends.map(|e| (e.words(), e.sport, e.dport));
    Cut::even(threads).owner_of_words(words, hasher)
}

/// How the flows' hash space is cut among `threads` workers: worker 0
/// takes `first` parts of it and every other worker [`PART`] parts. The
/// reading thread of `read --threads` is worker 0 as well and reads for
/// all besides, so its own share is smaller; any cut gives the same
/// output, only the work moves (`flow_shards` cuts its flows so too).
#[derive(Clone, Copy)]
pub(super) struct Cut {
    threads: usize,
    first: u64,
}

/// The parts of the hash space each worker but the first takes.
const PART: u64 = 8;

impl Cut {
    /// Every worker the same share.
    pub(super) fn even(threads: usize) -> Self {
        Cut {
            threads,
            first: PART,
        }
    }

    /// Worker 0 `first` parts, the others [`PART`] each.
    pub(super) fn with_first(threads: usize, first: u64) -> Self {
        Cut { threads, first }
    }

    /// The number of workers.
    pub(super) fn threads(self) -> usize {
        self.threads
    }

    /// The worker of a flow whose hash is `h`. The hash is scaled by a
    /// multiply (a division by the thread count cost the reader as much
    /// as the hash), then the scaled value's parts are counted off.
    pub(super) fn worker(self, h: u64) -> usize {
        let scaled = |n: u64| ((u128::from(h) * u128::from(n)) >> 64) as u64;
        if self.first == PART {
            return scaled(self.threads as u64) as usize;
        }
        let total = self.first + (self.threads as u64).saturating_sub(1) * PART;
        let x = scaled(total);
        if x < self.first {
            0
        } else {
            1 + ((x - self.first) / PART) as usize
        }
    }

    /// The worker of a flow whose ends fold into `words` ([`Ends::words`]),
    /// with the source and destination ports: [`owner`]'s exceptions, and a
    /// hash of the two words' sum (the same both ways) instead of one of
    /// each end's address and port. Every packet of a flow gives the same
    /// words whichever way they were read, so all go to one worker.
    fn owner_of_words(
        self,
        ends: Option<(EndWords, u16, u16)>,
        hasher: &FlowHasherBuilder,
    ) -> usize {
        let Some((words, sport, dport)) = ends else {
            return 0;
        };
        let (tcp, udp) = (Proto::Tcp.number(), Proto::Udp.number());
        let shared = (words.proto == udp
            && (crate::dissect::isakmp::shares_state(sport, dport)
                || crate::dissect::rx::shares_state(sport, dport)))
            || ((words.proto == udp || words.proto == tcp)
                && crate::dissect::nfs::shares_state(sport, dport));
        if shared {
            return 0;
        }
        self.worker(hasher.hash_one(words.both_ways()))
    }
}

/// Drive `source` to its end with `threads` workers; output and summary as
/// [`super::run`] gives them for the same `opts` (see [`supported`]).
/// `reporter`: the pipeline one thread would have run for `opts`, which
/// prints the merged flow report at the end (and tells whether flows are
/// tracked at all).
pub fn run_parallel(
    source: &mut dyn PacketSource,
    opts: &OutputConfig,
    threads: usize,
    reporter: Pipeline,
    out: &mut dyn Write,
) -> Result<RunSummary, PipelineError> {
    let threads = threads.clamp(1, usize::from(u16::MAX));
    if opts.follow.is_some() {
        return super::follow_shards::run(source, opts, threads, reporter, out);
    }
    if reporter.only_tracks() {
        return super::flow_shards::run(source, opts, threads, reporter, out);
    }
    let mut order = LineOrder::new(opts);
    let mut flows = reporter.tracks_flows().then(|| FlowClock::new(opts));
    // The workers hand their packets' rows over; the reporter writes them
    // in file order (`super::rows`).
    let rows = opts.packets_parquet.is_some() || opts.flows_parquet.is_some();
    let opts = &OutputConfig {
        packets_parquet: None,
        flows_parquet: None,
        ..opts.clone()
    };
    let mut ordered = InOrder {
        reporter,
        rows: rows.then(|| RowOrder::new(threads)),
        write: opts.write.is_some(),
    };
    let hand = Hand {
        rows,
        taken: ordered.write,
    };
    // Worker 0 runs on this thread, between its reads.
    let mut own = Own {
        p: worker_pipeline(opts, hand)?,
        hand,
        first: true,
        backlog: VecDeque::new(),
    };
    let (done_tx, done_rx) = mpsc::channel::<Share>();
    std::thread::scope(|scope| {
        let mut queues = Vec::new();
        let mut handles = Vec::new();
        for _ in 1..threads {
            let (tx, rx) = mpsc::channel::<Share>();
            let done = done_tx.clone();
            queues.push(tx);
            handles.push(scope.spawn(move || worker(opts, hand, &rx, &done)));
        }
        drop(done_tx);
        let mut total = RunSummary::default();
        // Runs of whole records walked here, when nothing needs the
        // source's own count (`-c`) or each record's place in the file
        // (the rows).
        let walk = source.gives_records() && opts.count.is_none() && !rows;
        let fed = feed(
            (source, walk),
            (&mut own, &queues),
            &done_rx,
            &mut total,
            (flows.as_mut(), order.as_mut()),
            &mut ordered,
            out,
        );
        // Closing the queues ends the workers, which hand back their counters.
        drop(queues);
        let own_done = own.p.finish_shard(&mut Vec::new());
        let joined = handles.into_iter().map(|h| h.join().ok());
        let mut shards = Vec::new();
        for (i, done) in std::iter::once(Some(own_done)).chain(joined).enumerate() {
            if let Some(Ok((s, shard))) = done {
                let by_link = std::mem::take(&mut total.by_link);
                total.add(s);
                total.by_link = by_link;
                shards.extend(shard.map(|s| (i, s)));
            }
        }
        let source_error = fed?;
        let InOrder {
            mut reporter, rows, ..
        } = ordered;
        reporter.set_link_hint(source.link_type_hint());
        (total.written, total.file_limit) = reporter.finish_writing()?;
        let report = match &rows {
            Some(order) => order.merge(shards),
            None => merge(shards.into_iter().map(|(_, s)| s).collect()),
        };
        if flows.is_some() {
            reporter.finish_merged(report, out)?;
        }
        out.flush()?;
        total.source = source.stats();
        total.source_error = source_error;
        Ok(total)
    })
}

/// What the reader keeps for the flow trackers of the workers: the sweep
/// clock, run on the packets one tracker would observe (those the filter
/// takes, with a flow view), and the offload decision on the first packets.
struct FlowClock {
    clock: SweepClock,
    filter: Option<UserFilter>,
    offload: OffloadCheck,
}

impl FlowClock {
    fn new(opts: &OutputConfig) -> Self {
        FlowClock {
            clock: SweepClock::default(),
            filter: opts.filter.clone().map(UserFilter::new),
            offload: OffloadCheck::new(opts.checksums),
        }
    }

    /// Packet `number` came (its flow view `fp`): feed the offload sample
    /// and tick every share when the clock is due.
    fn packet(&mut self, pkt: &Packet<'_>, fp: bool, number: u64, shares: &mut [Share]) {
        self.sample(pkt);
        if fp && self.filter.as_mut().is_none_or(|f| f.matches(pkt)) && self.clock.tick(pkt.ts) {
            for s in shares {
                s.ticks.push((s.recs.len(), pkt.ts, number));
            }
        }
    }

    /// Feed the offload sample while it is open, and decide when it can.
    fn sample(&mut self, pkt: &Packet<'_>) {
        if self.offload.undecided() && self.offload.hold(pkt, checksum::verify(pkt), None) {
            self.offload.decide();
        }
    }

    /// The decision the workers take: made by now (the sample holds fewer
    /// packets than a batch), or on what the input had.
    fn decision(&mut self) -> bool {
        if self.offload.undecided() {
            self.offload.decide();
        }
        self.offload.detected()
    }
}

/// The calling thread's loop: read batches, keep a few in flight, write
/// the finished ones in order. Counts packets per link type into `total`.
/// A packet's worker is picked from its flow's ends, read from the frame
/// (`FlowPacket::frame_ends`), which give the same flow as the decoded
/// view the workers' trackers take when they print packets
/// (`tests/flow_views_agree.rs`): a few reads a packet here.
/// `-c` stops the reading where one pipeline stops (after its offload
/// sample, which reads on). Returns the source's error, if it ended with one.
fn feed(
    (source, walk): (&mut dyn PacketSource, bool),
    (own, queues): (&mut Own, &[mpsc::Sender<Share>]),
    done: &mpsc::Receiver<Share>,
    total: &mut RunSummary,
    (mut flows, mut order): (Option<&mut FlowClock>, Option<&mut LineOrder>),
    ordered: &mut InOrder,
    out: &mut dyn Write,
) -> Result<Option<SourceError>, PipelineError> {
    let threads = queues.len() + 1;
    let cut = Cut::with_first(threads, READER_PARTS);
    let hasher = FlowHasherBuilder::default();
    let mut free: Vec<Share> = Vec::new();
    let mut lines = Vec::new();
    let mut flying: BTreeMap<u64, InFlight> = BTreeMap::new();
    let (mut seq, mut next, mut read) = (0u64, 0u64, 0u64);
    let mut source_error = None;
    let mut eof = false;
    // Walking records (`walk`): the run being walked and where its next
    // record's header lies. Taking a packet at a time from the source
    // (`next_packet`: the buffer's checks, the header's fields, the
    // counters) cost ~290 instructions a packet, a quarter of this
    // thread's own work; the records of a run were checked whole when
    // the source lent it, and the walk reads each header once.
    let mut run: Option<Records> = None;
    let mut at = 0usize;
    while !eof || !flying.is_empty() {
        if !eof {
            let mut shares: Vec<Share> = (0..threads)
                .map(|worker| {
                    let mut s = free.pop().unwrap_or_default();
                    s.clear();
                    (s.seq, s.worker) = (seq, worker);
                    s
                })
                .collect();
            let mut owners = Vec::with_capacity(BATCH_PACKETS);
            while owners.len() < BATCH_PACKETS {
                let counted = order.as_deref().is_some_and(LineOrder::done);
                let sampling = flows.as_deref().is_some_and(|f| f.offload.undecided());
                if counted && !sampling {
                    eof = true;
                    break;
                }
                let next = if walk {
                    let more = next_run(source, &mut run, &mut at);
                    match (more, &run) {
                        (Ok(true), Some(r)) => match r.read_at(at) {
                            Some((p, end)) => {
                                at = end;
                                Ok(Some(p))
                            }
                            // The source checked every record of the
                            // run whole: none is missing.
                            None => Ok(None),
                        },
                        (Ok(_), _) => Ok(None),
                        (Err(e), _) => Err(e),
                    }
                } else {
                    source.next_packet()
                };
                let p = match next {
                    Ok(Some(p)) => p,
                    Ok(None) => {
                        eof = true;
                        break;
                    }
                    Err(e) => {
                        source_error = Some(e);
                        eof = true;
                        break;
                    }
                };
                if counted {
                    if let Some(f) = flows.as_deref_mut() {
                        f.sample(&p);
                    }
                    continue;
                }
                read += 1;
                total.count_link(p.link, 1);
                let pos = ordered.rows.as_ref().and_then(|_| ordered.reporter.pos());
                // A plain Ethernet/IPv4 frame's ends read straight into
                // words with their ports (`IpAddr`s made and matched again
                // to hash them cost this thread ~120 instructions a packet);
                // any other frame's from its ends, folded into the same words.
                let ends = match FlowPacket::plain_end_words(p.link, p.data) {
                    Some(w) => Some((w, w.src as u16, w.dst as u16)),
                    None => FlowPacket::frame_ends(p.ts, p.link, p.data)
                        .map(|e| (e.words(), e.sport, e.dport)),
                };
                // SLIP's lines under `-e` depend on the records before
                // them (`dissect::link::slip`): one worker prints them.
                let w = if crate::dissect::link::slip::shares_state(p.link.number()) {
                    0
                } else {
                    cut.owner_of_words(ends, &hasher)
                };
                if let Some(f) = flows.as_deref_mut() {
                    f.packet(&p, ends.is_some(), read, &mut shares);
                }
                let place = order.as_deref_mut().and_then(|o| o.packet(&p));
                let Some(s) = shares.get_mut(w) else { continue };
                let start = s.data.len();
                s.data.extend_from_slice(p.data);
                s.recs.push(Rec {
                    ts: p.ts,
                    stamp: p.stamp,
                    link: p.link,
                    orig_len: p.orig_len,
                    number: read,
                    start,
                    end: s.data.len(),
                    place,
                    pos,
                });
                owners.push(w as u16);
            }
            if !owners.is_empty() {
                let offload = flows.as_deref_mut().is_some_and(FlowClock::decision);
                let mut shares = shares.into_iter();
                if let Some(mut s) = shares.next() {
                    s.offload = offload;
                    own.backlog.push_back(s);
                }
                for (q, mut s) in queues.iter().zip(shares) {
                    s.offload = offload;
                    // The workers outlive this loop: the send cannot fail.
                    let _ = q.send(s);
                }
                let f = InFlight {
                    owner: owners,
                    shares: (0..threads).map(|_| None).collect(),
                    back: 0,
                };
                flying.insert(seq, f);
                seq += 1;
                // The other workers have their shares of this batch: this
                // thread works its own of an earlier one meanwhile.
                while own.backlog.len() > LAG {
                    own.work_one(&mut flying);
                }
            }
        }
        // Wait when enough is in flight, or at the end: this thread's
        // own shares first, then the others'.
        while !flying.is_empty() && (eof || flying.len() >= IN_FLIGHT) {
            if !own.work_one(&mut flying) {
                let Ok(s) = done.recv() else {
                    break;
                };
                land(&mut flying, s);
            }
            if flying.get(&next).is_some_and(|f| f.back == threads) {
                break;
            }
        }
        while let Some(f) = flying.remove(&next) {
            if f.back < threads {
                flying.insert(next, f);
                break;
            }
            write_in_order(f, out, &mut free, &mut lines, ordered)?;
            next += 1;
        }
    }
    Ok(source_error)
}

/// Make `run` hold a record at `at`, taking the source's next run when
/// the one walked is done: false at the end of the input.
fn next_run(
    source: &mut dyn PacketSource,
    run: &mut Option<Records>,
    at: &mut usize,
) -> Result<bool, SourceError> {
    while run.as_ref().is_none_or(|r| *at >= r.bytes.end) {
        // The run walked is let go before the next is read: the source
        // reads on in a chunk no one holds when it can.
        *run = None;
        match source.next_records()? {
            Some(r) => {
                *at = r.bytes.start;
                *run = Some(r);
            }
            None => return Ok(false),
        }
    }
    Ok(true)
}

/// A worker's share back: put with its batch.
fn land(flying: &mut BTreeMap<u64, InFlight>, s: Share) {
    if let Some(f) = flying.get_mut(&s.seq) {
        f.back += 1;
        if let Some(slot) = f.shares.get_mut(s.worker) {
            *slot = Some(s);
        }
    }
}

/// Worker 0, on the reading thread: its pipeline, and its shares of the
/// batches in flight that it has yet to work, oldest first.
struct Own {
    p: Pipeline,
    hand: Hand,
    first: bool,
    backlog: VecDeque<Share>,
}

impl Own {
    /// Work the oldest share waiting here and put it with its batch:
    /// whether there was one.
    fn work_one(&mut self, flying: &mut BTreeMap<u64, InFlight>) -> bool {
        let Some(mut s) = self.backlog.pop_front() else {
            return false;
        };
        work_share(&mut self.p, &mut s, self.hand, &mut self.first);
        land(flying, s);
        true
    }
}

/// Write a batch's packets in file order, taking each from its worker's
/// output in turn: gathered in `ordered` (kept from batch to batch) and
/// written with one call, as a call through `dyn Write` per packet cost
/// the reader more than the copy; and, through the reporter, their
/// Parquet rows, with the flows numbered in that order, and the `-w` file.
fn write_in_order(
    f: InFlight,
    out: &mut dyn Write,
    free: &mut Vec<Share>,
    lines: &mut Vec<u8>,
    ordered: &mut InOrder,
) -> Result<(), PipelineError> {
    let mut shares: Vec<Share> = f.shares.into_iter().flatten().collect();
    for s in &mut shares {
        if let Some(e) = s.error.take() {
            return Err(e);
        }
    }
    let mut at = vec![(0usize, 0usize); shares.len()];
    for w in f.owner {
        let w = usize::from(w);
        if let (Some(s), Some((i, pos))) = (shares.get(w), at.get_mut(w)) {
            let end = s.ends.get(*i).copied().unwrap_or(*pos);
            lines.extend_from_slice(s.out.get(*pos..end).unwrap_or(&[]));
            if let Some(r) = s.recs.get(*i) {
                ordered.packet(w, s, *i, r)?;
            }
            (*i, *pos) = (*i + 1, end);
        }
    }
    out.write_all(lines)?;
    lines.clear();
    free.extend(shares);
    Ok(())
}

/// What the reader does with the packets besides their lines, in file
/// order, through `reporter` (the pipeline one thread would have run):
/// their Parquet rows (`super::rows`) and the `-w` file.
struct InOrder {
    reporter: Pipeline,
    rows: Option<RowOrder>,
    write: bool,
}

impl InOrder {
    /// Packet `r` of worker `w`'s share `s` (its `i`th), in its turn.
    fn packet(&mut self, w: usize, s: &Share, i: usize, r: &Rec) -> Result<(), PipelineError> {
        let pkt = r.packet(&s.data);
        let taken = self.write && s.taken.get(i).copied().unwrap_or(false);
        if taken {
            // The files turn before the packet's row, as in one pipeline:
            // the row goes to the packets file of the packet's pcap file.
            self.reporter.turn_for_taken(&pkt)?;
        }
        if let (Some(order), Some(Some(part))) = (&mut self.rows, s.rows.get(i)) {
            let uid = order.uid(w, part.uid, r.pos);
            self.reporter.write_row(r.number, &pkt, part, uid, r.pos)?;
        }
        if taken {
            // A `-W` that may stop the run keeps one thread (`supported`):
            // it never stops here.
            self.reporter.write_taken(&pkt)?;
        }
        Ok(())
    }
}

/// What a worker hands over besides each packet's output: its row part,
/// and whether the filter took it (for the `-w` file).
#[derive(Clone, Copy)]
struct Hand {
    rows: bool,
    taken: bool,
}

/// A worker: one pipeline for the whole run (its connections' state lives
/// there); its counters are returned when the queue closes.
fn worker(
    opts: &OutputConfig,
    hand: Hand,
    work: &mpsc::Receiver<Share>,
    done: &mpsc::Sender<Share>,
) -> Result<(RunSummary, Option<Shard>), PipelineError> {
    let mut p = match worker_pipeline(opts, hand) {
        Ok(p) => p,
        Err(e) => {
            // Answer every share (the reader waits for them), the first
            // with the error.
            let mut e = Some(e);
            while let Ok(mut s) = work.recv() {
                s.error =
                    Some(e.take().unwrap_or_else(|| {
                        std::io::Error::other("a worker could not start").into()
                    }));
                if done.send(s).is_err() {
                    break;
                }
            }
            return Ok((RunSummary::default(), None));
        }
    };
    let mut first = true;
    while let Ok(mut s) = work.recv() {
        work_share(&mut p, &mut s, hand, &mut first);
        if done.send(s).is_err() {
            break;
        }
    }
    p.finish_shard(&mut Vec::new())
}

/// A worker's pipeline: one for the whole run (its connections' state
/// lives there).
fn worker_pipeline(opts: &OutputConfig, hand: Hand) -> Result<Pipeline, PipelineError> {
    let mut p = Pipeline::new(opts, None)?;
    if hand.rows {
        p.hand_rows();
    }
    if hand.taken {
        // The reader writes the file; like one thread writing one, no lines.
        p.print_packets(false);
    }
    Ok(p)
}

/// Run share `s` through a worker's pipeline `p`: each packet's output,
/// its row part and whether the filter took it go into the share.
/// `first`: whether this is the worker's first share (it then learns the
/// run's offload decision).
fn work_share(p: &mut Pipeline, s: &mut Share, hand: Hand, first: &mut bool) {
    if std::mem::take(first) {
        p.shard(s.offload);
    }
    let mut out = std::mem::take(&mut s.out);
    let mut ticks = s.ticks.iter().peekable();
    for (i, r) in s.recs.iter().enumerate() {
        while let Some((_, ts, n)) = ticks.next_if(|t| t.0 <= i) {
            p.tick(*ts, *n);
        }
        let pkt = r.packet(&s.data);
        p.number_next(r.number);
        if let Some(at) = r.place {
            p.resume_lines(at.printed, at.first, at.prev);
        }
        let before = p.matched();
        if let Err(e) = p.handle(&pkt, &mut out) {
            s.error = Some(e);
            break;
        }
        s.ends.push(out.len());
        if hand.rows {
            s.rows.push(p.take_row());
        }
        if hand.taken {
            s.taken.push(p.matched() > before);
        }
    }
    for (_, ts, n) in ticks {
        p.tick(*ts, *n);
    }
    s.out = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hashes spread evenly over the whole space.
    fn spread() -> impl Iterator<Item = u64> {
        (0..1u64 << 16).map(|i| i << 48)
    }

    /// An even cut is the plain scaling of the hash to 0..threads.
    #[test]
    fn an_even_cut_scales_the_hash() {
        for threads in 1..=5 {
            for h in spread().chain([u64::MAX]) {
                let scaled = ((u128::from(h) * threads as u128) >> 64) as usize;
                assert_eq!(Cut::even(threads).worker(h), scaled);
            }
        }
    }

    /// A cut with a smaller first share gives worker 0 its `first` parts
    /// and every other worker [`PART`] parts, and no worker past the last.
    #[test]
    fn a_cut_gives_each_worker_its_parts() {
        for threads in 1..=5 {
            let cut = Cut::with_first(threads, READER_PARTS);
            let mut counts = vec![0u64; threads];
            for h in spread().chain([u64::MAX]) {
                let w = cut.worker(h);
                assert!(w < threads, "{threads} threads: worker {w}");
                counts[w] += 1;
            }
            let parts = READER_PARTS + (threads as u64 - 1) * PART;
            let all = (1u64 << 16) + 1;
            for (w, &c) in counts.iter().enumerate() {
                let mine = if w == 0 { READER_PARTS } else { PART };
                let expected = all * mine / parts;
                assert!(
                    c.abs_diff(expected) <= 2,
                    "{threads} threads, worker {w}: {c} of {all}, expected {expected}"
                );
            }
        }
    }
}
