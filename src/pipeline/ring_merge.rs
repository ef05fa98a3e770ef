//! `capture --threads N -w FILE` when nothing but the file is made of each
//! packet (no lines, no flows, the filter in the kernel): one thread reads
//! every ring of the fanout group and writes their packets into the file in
//! time order, straight from the ring blocks (one copy: ring to the file's
//! buffer; a block goes back to the kernel once its packets are written).
//!
//! Why not a worker per ring there: a worker would have nothing to do with
//! a packet but copy it into a batch for the thread that writes the file,
//! which copies it again, on another core; that cost more CPU than the
//! whole write (about 1.5× tcpdump's per packet). Here each packet is
//! read once, by the thread that writes it, and the thread sleeps in one
//! poll over all rings until any of them hands a block over (the kernel's
//! retire timeout batches the wake-ups).
//!
//! The order is the one `pipeline::fanout`'s merger keeps: each ring's
//! blocks are put in time order (`LiveSource::time_order`), the oldest head
//! of the rings goes out first (the first ring on ties), and a ring with
//! nothing ready holds the others back only until it has got past their
//! heads (every packet still to come into it was stamped after the block
//! the kernel is filling was opened, or after now if that is empty), or
//! for at most [`REORDER_WINDOW`]. A packet written after a later one is
//! counted as late.

use super::OutputConfig;
use super::driver::{Control, Pipeline, PipelineError, WriteTarget};
use super::fanout::{FanoutSummary, REORDER_WINDOW, RingCount};
use super::summary::print_counters;
use crate::packet::Timestamp;
use crate::source::live::{LiveSource, Peek, wait_any};
use crate::source::{PacketSource, SourceStats};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Taken off a ring's progress: packets reach a ring not quite in the
/// order they were stamped (as `pipeline::fanout`'s).
const SLACK_NS: u64 = 2_000_000;

/// The longest wait for a ring whose block the kernel is filling (it hands
/// it over within its retire timeout; a safety net), and for an idle one
/// whose progress is the clock's.
const BUSY_WAIT_MS: i32 = 50;
const IDLE_WAIT_MS: i32 = 10;

/// The least time between two looks at the rings while they have nothing
/// due: about what the rings' retire timeout batches (see the module doc).
const TICK: Duration = Duration::from_millis(20);

/// How often (in packets) a busy merge looks for a SIGUSR1 request.
const STATS_EVERY: u64 = 4096;

/// Whether a run can go this way: one merged `-w` file and nothing else
/// made of a packet.
pub(super) fn fits(opts: &OutputConfig, merged: bool, filter_in_kernel: bool) -> bool {
    merged
        && !opts.flows
        && !opts.timeline
        && opts.follow.is_none()
        && (filter_in_kernel || opts.filter.is_none())
}

/// What a ring can say about its next packet.
#[derive(Clone, Copy)]
enum Head {
    /// Not asked since its last packet went out.
    Unknown,
    Ready(Timestamp),
    /// Nothing ready; every packet still to come was stamped at or after
    /// about this time.
    Behind(Timestamp),
    Done,
}

/// The merge's inputs and settings (see [`super::fanout::FanoutRun`]).
pub(super) struct RingMerge<'a> {
    pub opts: &'a OutputConfig,
    pub target: WriteTarget,
    pub filter_done_in_kernel: bool,
    pub written: Option<Arc<AtomicU64>>,
    pub stats_request: Option<fn() -> bool>,
}

/// Read every ring of `sources` (one fanout group, one stop handle) into
/// the file, in time order, until they end (stop handle, `-c`, `-W`).
pub(super) fn run(
    mut sources: Vec<LiveSource>,
    m: RingMerge<'_>,
    out: &mut dyn Write,
) -> Result<FanoutSummary, PipelineError> {
    let Some(stop) = sources.first().map(LiveSource::stop_handle) else {
        return Ok(FanoutSummary::default());
    };
    let mut pipeline = Pipeline::new(m.opts, Some(m.target))?;
    pipeline.stream();
    if m.filter_done_in_kernel {
        pipeline.filter_done_in_kernel();
    }
    // tcpdump prints no lines while writing a file.
    pipeline.print_packets(false);
    if let Some(c) = m.written {
        pipeline.count_written_into(c);
    }
    for s in &mut sources {
        s.time_order();
    }
    let mut heads = vec![Head::Unknown; sources.len()];
    let mut source_error = None;
    let (mut last_out, mut late, mut taken) = (Timestamp(0), 0u64, 0u64);
    let window = REORDER_WINDOW.as_nanos() as u64;
    // Whether the rings with nothing ready were asked again since the
    // last wait.
    let mut asked_again = false;
    let mut woke = Instant::now();
    let failed = loop {
        // Ask the rings whose head went out (or that had nothing).
        for (head, source) in heads.iter_mut().zip(sources.iter_mut()) {
            if matches!(head, Head::Ready(_) | Head::Done) {
                continue;
            }
            *head = match source.peek() {
                Ok(Peek::Ready(ts)) => Head::Ready(ts),
                Ok(Peek::Empty) => {
                    let t = source.caught_up().unwrap_or(Timestamp(0));
                    Head::Behind(Timestamp(t.0.saturating_sub(SLACK_NS)))
                }
                Ok(Peek::Done) => Head::Done,
                Err(e) => {
                    source_error.get_or_insert(e);
                    Head::Done
                }
            };
        }
        // The oldest ready head (the first ring on ties), and whether
        // every ring with nothing ready has got past it.
        let mut oldest: Option<(Timestamp, usize)> = None;
        let mut behind = Timestamp(u64::MAX);
        for (i, head) in heads.iter().enumerate() {
            match *head {
                Head::Ready(ts) if oldest.is_none_or(|o| (ts, i) < o) => oldest = Some((ts, i)),
                Head::Behind(t) => behind = behind.min(t),
                _ => {}
            }
        }
        if heads.iter().all(|h| matches!(h, Head::Done)) {
            break None;
        }
        let clock = (oldest.is_some_and(|(ts, _)| ts > behind)).then(now);
        let due = oldest.filter(|&(ts, _)| {
            ts <= behind || clock.is_some_and(|c| ts.0.saturating_add(window) <= c.0)
        });
        let Some((ts, i)) = due else {
            // The rings that had nothing are asked again (the kernel may
            // have handed a block over meanwhile), then waited for.
            let waiting: Vec<bool> = heads.iter().map(|h| matches!(h, Head::Behind(_))).collect();
            // Only here: the kernel writes that word with every packet,
            // and reading it costs a cache miss.
            let filling = sources.iter().zip(&waiting).any(|(s, w)| *w && s.filling());
            for h in &mut heads {
                if matches!(h, Head::Behind(_)) {
                    *h = Head::Unknown;
                }
            }
            if !asked_again {
                asked_again = true;
                // Each wake-up costs more than tens of packets (a
                // context switch, and caches gone cold): sleep out the
                // rest of a tick first, so that the rings' blocks come in
                // together instead of each waking us on its own.
                if let Some(rest) = TICK.checked_sub(woke.elapsed())
                    && !stop.is_stopped()
                {
                    std::thread::sleep(rest);
                }
                continue;
            }
            asked_again = false;
            if let Some(f) = m.stats_request
                && f()
            {
                print_counters(pipeline.matched(), &summed(&rings(&sources)));
            }
            // An idle ring's progress is the clock's: the oldest head is
            // due by then.
            let ms = match (filling, oldest, clock) {
                (true, _, _) => BUSY_WAIT_MS,
                (false, Some((ts, _)), Some(c)) => {
                    let ns = ts.0.saturating_add(SLACK_NS).saturating_sub(c.0);
                    (ns.div_ceil(1_000_000) as i32).clamp(1, IDLE_WAIT_MS)
                }
                _ => IDLE_WAIT_MS,
            };
            wait_any(&mut sources, &waiting, ms);
            woke = Instant::now();
            continue;
        };
        asked_again = false;
        let (Some(head), Some(source)) = (heads.get_mut(i), sources.get_mut(i)) else {
            break None;
        };
        *head = Head::Unknown;
        let pkt = match source.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => continue,
            Err(e) => {
                source_error.get_or_insert(e);
                *head = Head::Done;
                continue;
            }
        };
        if ts < last_out {
            late += 1;
        }
        last_out = last_out.max(ts);
        match pipeline.handle(&pkt, out) {
            Ok(Control::Stop) => {
                // `-c` reached or `-W` files written.
                stop.stop();
                break None;
            }
            Ok(Control::Continue) => {}
            Err(e) => break Some(e),
        }
        taken += 1;
        if taken % STATS_EVERY == 0
            && let Some(f) = m.stats_request
            && f()
        {
            print_counters(pipeline.matched(), &summed(&rings(&sources)));
        }
    };
    if let Some(e) = failed {
        stop.stop();
        return Err(e);
    }
    let rings = rings(&sources);
    let mut summary = pipeline.finish(out)?;
    summary.source = summed(&rings);
    summary.source_error = source_error;
    out.flush()?;
    Ok(FanoutSummary {
        summary,
        rings,
        late,
    })
}

/// Each ring's share and kernel counters.
fn rings(sources: &[LiveSource]) -> Vec<RingCount> {
    sources
        .iter()
        .map(|s| RingCount {
            captured: s.captured(),
            stats: s.stats(),
        })
        .collect()
}

/// The kernel counters summed over the rings.
fn summed(rings: &[RingCount]) -> SourceStats {
    let mut sum = SourceStats {
        received: 0,
        dropped_by_kernel: Some(0),
    };
    for r in rings {
        let st = r.stats;
        sum.received += st.received;
        sum.dropped_by_kernel =
            Some(sum.dropped_by_kernel.unwrap_or(0) + st.dropped_by_kernel.unwrap_or(0));
    }
    sum
}

fn now() -> Timestamp {
    let ns = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    Timestamp(ns)
}
