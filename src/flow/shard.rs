//! Flow tracking on several threads: each worker tracks the flows a
//! symmetric hash of the key gives it (every packet of a flow, both ways,
//! reaches the same [`FlowTracker`] shard), and [`merge`] joins the shards'
//! [`Shard`]s into the [`FlowReport`] one tracker over the whole input
//! gives: the same flows, uids, order, counters and timelines whatever the
//! number of shards.
//!
//! What makes that hold: the packets are numbered in input order
//! ([`FlowTracker::number_next`]), so a flow's `birth` orders it among all
//! shards' flows and numbers it (`uid`) as one tracker's creation count
//! would; idle sweeps run on one clock that every shard is told
//! ([`SweepClock`], [`FlowTracker::tick`]), so the same flows expire at the
//! same packet; each shard logs when its flows retired (the report keeps the
//! first `max_reported` retirements of the whole run), the births of the
//! flows it did not keep (they still count in the uids), and its live count
//! at each tick (the run's peak is the largest sum).
//!
//! Where one table and several differ: a shard's table fills on its own
//! (eviction when full picks among its flows), and a sweep that one tracker
//! would defer (fewer than an eighth of its live flows' worth of packets
//! since the last) is deferred on the shard's count instead. Both need
//! 100,000 live flows at the defaults; below that the merge is exact.
//!
//! [`FlowTracker`]: super::FlowTracker

use super::flow::Flow;
use super::tracker::{FlowReport, FlowStats};
use crate::packet::Timestamp;

/// The idle-sweep clock all shards share: due at the first packet one
/// second (of capture time) after the last sweep, as one tracker sweeps.
#[derive(Clone, Copy, Debug, Default)]
pub struct SweepClock {
    last: Timestamp,
}

impl SweepClock {
    /// Whether a sweep last made at `last` is due again at `now`.
    pub fn due(last: Timestamp, now: Timestamp) -> bool {
        now.0 >= last.0.saturating_add(1_000_000_000)
    }

    /// A packet at `now` comes: true when the shards must be ticked
    /// ([`super::FlowTracker::tick`]) before it.
    pub fn tick(&mut self, now: Timestamp) -> bool {
        let due = Self::due(self.last, now);
        if due {
            self.last = now;
        }
        due
    }
}

/// One shard's part of the report (see [`super::FlowTracker::finish_shard`]).
#[derive(Debug, Default)]
pub struct Shard {
    /// Flows that left the table, in the order they left.
    pub(crate) retired: Vec<Flow>,
    /// Each retired flow's retirement order key (as many as `retired`).
    pub(crate) retired_at: Vec<u64>,
    /// Flows still in the table at the end.
    pub(crate) live: Vec<Flow>,
    /// Births of the flows retired past `max_reported`.
    pub(crate) dropped: Vec<u64>,
    /// Live flows before each tick, then at the end.
    pub(crate) samples: Vec<u64>,
    pub(crate) stats: FlowStats,
    pub(crate) max_reported: usize,
}

/// Join the shards of one run into its report: flows in creation order,
/// numbered as one tracker numbers them, and the run's counters.
pub fn merge(shards: Vec<Shard>) -> FlowReport {
    let max_reported = shards.iter().map(|s| s.max_reported).max().unwrap_or(0);
    let mut stats = FlowStats::default();
    // The flows stay in their shards' lists until each is moved, once,
    // into the report: the keys of the retired ones are sorted instead
    // (a flow is some 270 bytes; moving each through every step of the
    // merge was most of the time after the workers ended).
    let mut retired = Vec::new();
    let mut lists = Vec::new();
    let mut live = Vec::new();
    let mut dropped = Vec::new();
    let mut peaks: Vec<u64> = Vec::new();
    for s in shards {
        let t = s.stats;
        for (sum, v) in [
            (&mut stats.packets, t.packets),
            (&mut stats.flows, t.flows),
            (&mut stats.expired, t.expired),
            (&mut stats.evicted, t.evicted),
            (&mut stats.unreported, t.unreported),
            (&mut stats.events_over_budget, t.events_over_budget),
        ] {
            *sum += v;
        }
        // Every shard is ticked alike, so sample i is the same moment in
        // each; the last is the end of the input.
        let n = s.samples.len().max(peaks.len());
        peaks.resize(n, 0);
        let pad = n - s.samples.len();
        for (p, v) in peaks.iter_mut().skip(pad).zip(&s.samples) {
            *p += v;
        }
        let list = lists.len();
        let at = s.retired_at.iter().chain(std::iter::repeat(&u64::MAX));
        retired.extend(
            (s.retired.iter().zip(at).enumerate()).map(|(i, (f, at))| (*at, f.birth, list, i)),
        );
        live.extend((s.live.iter().enumerate()).map(|(i, f)| (f.birth, list + 1, i)));
        lists.push(s.retired);
        lists.push(s.live);
        dropped.extend(s.dropped);
    }
    stats.peak_live = peaks.into_iter().max().unwrap_or(0);
    // One tracker keeps the first `max_reported` flows to retire. Each
    // shard's list is in order already (its flows retired, and were born,
    // one after another): the stable sort finds those runs and merges
    // them in one pass, where the unstable one sorted 12,500 flows' keys
    // from scratch on one core while the other idled. (The keys are all
    // different, so both sorts give one order.)
    retired.sort();
    if retired.len() > max_reported {
        for (_, birth, ..) in retired.drain(max_reported..) {
            dropped.push(birth);
            stats.unreported += 1;
        }
    }
    // The kept flows in order of birth (a packet's number: no two alike).
    let mut order = live;
    order.extend(
        retired
            .into_iter()
            .map(|(_, birth, list, i)| (birth, list, i)),
    );
    order.sort();
    let mut flows = take_in_order(lists, &order);
    dropped.sort_unstable();
    // uid: the flow's place among all flows created, kept or not.
    let mut before = dropped.iter().peekable();
    let mut skipped = 0u64;
    for (i, f) in flows.iter_mut().enumerate() {
        while before.next_if(|&&b| b < f.birth).is_some() {
            skipped += 1;
        }
        f.uid = i as u64 + 1 + skipped;
    }
    FlowReport { flows, stats }
}

/// The flows `order` names (`(_, list, index)` in `lists`), in its order:
/// each moved once. (An empty slot is no larger than a flow, so the lists
/// become lists of slots in place.)
fn take_in_order(lists: Vec<Vec<Flow>>, order: &[(u64, usize, usize)]) -> Vec<Flow> {
    let mut slots: Vec<Vec<Option<Flow>>> = lists
        .into_iter()
        .map(|l| l.into_iter().map(Some).collect())
        .collect();
    let mut flows = Vec::with_capacity(order.len());
    for &(_, list, i) in order {
        if let Some(f) = slots.get_mut(list).and_then(|l| l.get_mut(i)?.take()) {
            flows.push(f);
        }
    }
    flows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::tcp_flags::TcpFlags;
    use crate::decode::tcp_seq::SeqNumber;
    use crate::flow::{FlowConfig, FlowKey, FlowPacket, FlowTracker, Proto, Timeouts};
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    use std::time::Duration;

    fn packet(
        ts_ms: u64,
        client: u16,
        to_server: bool,
        flags: TcpFlags,
        (seq, ack): (u32, u32),
    ) -> FlowPacket {
        let (c, s) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let (src, dst, sport, dport) = if to_server {
            (c, s, client, 80)
        } else {
            (s, c, 80, client)
        };
        FlowPacket {
            ts: Timestamp(ts_ms * 1_000_000),
            src,
            dst,
            proto: if client.is_multiple_of(5) {
                Proto::Udp
            } else {
                Proto::Tcp
            },
            sport,
            dport,
            seq: SeqNumber(seq),
            ack: SeqNumber(ack),
            flags,
            window: 100,
            wscale: None,
            payload_len: 0,
            ip_len: 50,
            bad_checksum: false,
            service: None,
            icmp: None,
        }
    }

    /// Connections that open, talk, close and come back on the same ports
    /// (reused), with gaps long enough to expire some, and one-way UDP.
    fn traffic() -> Vec<FlowPacket> {
        let (syn, ack, fin) = (TcpFlags::SYN, TcpFlags::ACK, TcpFlags::FIN);
        let mut v = Vec::new();
        let mut t = 0;
        for round in 0..6u64 {
            for c in 1..40u16 {
                let port = 1000 + c % 23;
                // A new initial sequence number each time: a new connection.
                let isn = u32::from(c) * 1000 + round as u32;
                t += 7;
                v.push(packet(t, port, true, syn, (isn, 0)));
                v.push(packet(t + 1, port, false, syn | ack, (500, isn + 1)));
                v.push(packet(t + 2, port, true, ack, (isn + 1, 501)));
                if !(c as u64 + round).is_multiple_of(3) {
                    v.push(packet(t + 3, port, true, fin | ack, (isn + 1, 501)));
                    v.push(packet(t + 4, port, false, fin | ack, (501, isn + 2)));
                    v.push(packet(t + 5, port, true, ack, (isn + 2, 502)));
                }
            }
            // Quiet long enough that closed flows expire.
            t += 7_000 + round * 40_000;
        }
        v
    }

    fn config(max_reported: usize) -> FlowConfig {
        FlowConfig {
            record_events: true,
            max_reported,
            timeouts: Timeouts {
                udp: Duration::from_secs(8),
                ..Timeouts::default()
            },
            ..FlowConfig::default()
        }
    }

    fn one(cfg: FlowConfig, pkts: &[FlowPacket]) -> FlowReport {
        let mut t = FlowTracker::new(cfg);
        for p in pkts {
            t.observe(p);
        }
        t.finish()
    }

    fn sharded(cfg: FlowConfig, pkts: &[FlowPacket], n: usize) -> FlowReport {
        let mut shards: Vec<FlowTracker> = (0..n).map(|_| FlowTracker::new(cfg).shard()).collect();
        let mut clock = SweepClock::default();
        let hasher = BuildHasherDefault::<DefaultHasher>::default();
        for (i, p) in pkts.iter().enumerate() {
            let number = i as u64 + 1;
            if clock.tick(p.ts) {
                for s in &mut shards {
                    s.tick(p.ts, number);
                }
            }
            let w = (hasher.hash_one(FlowKey::of(p).0) % n as u64) as usize;
            shards[w].number_next(number);
            shards[w].observe(p);
        }
        merge(shards.into_iter().map(FlowTracker::finish_shard).collect())
    }

    fn same(a: &FlowReport, b: &FlowReport) {
        assert_eq!(a.stats, b.stats);
        assert_eq!(a.flows.len(), b.flows.len());
        for (x, y) in a.flows.iter().zip(&b.flows) {
            assert_eq!(format!("{x:?}"), format!("{y:?}"));
        }
    }

    #[test]
    fn shards_merge_into_what_one_tracker_reports() {
        let pkts = traffic();
        let cfg = config(100_000);
        let want = one(cfg, &pkts);
        assert!(want.stats.expired > 10, "the test must expire flows");
        assert!(
            want.flows
                .iter()
                .any(|f| f.end == crate::flow::FlowEnd::Reused)
        );
        for n in 1..=4 {
            same(&want, &sharded(cfg, &pkts, n));
        }
    }

    #[test]
    fn flows_past_max_reported_keep_their_numbers() {
        let pkts = traffic();
        let cfg = config(25);
        let want = one(cfg, &pkts);
        assert!(want.stats.unreported > 0);
        for n in 1..=4 {
            same(&want, &sharded(cfg, &pkts, n));
        }
    }

    #[test]
    fn sweep_clock_is_due_once_a_second() {
        let mut c = SweepClock::default();
        let s = |ms: u64| Timestamp(ms * 1_000_000);
        assert!(c.tick(s(5_000)));
        assert!(!c.tick(s(5_999)));
        assert!(c.tick(s(6_000)));
        assert!(!c.tick(s(6_500)));
    }
}
