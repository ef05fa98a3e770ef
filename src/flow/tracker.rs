//! The flow tracker ([`FlowTracker`], configured by [`FlowConfig`]): a
//! bounded table of live flows with per-state idle timeouts, batch eviction
//! when full, and a bounded list of finished flows for the report. Memory
//! depends on `max_flows` and `max_reported`, never on the length of the
//! input.

use super::flow::{Flow, FlowEnd, PcapPos};
use super::key::{FlowKey, FlowPacket, Proto};
use super::reassembly::{Reassembly, ReassemblyConfig, Segment, StreamInfo, StreamSink};
use super::shard::{Shard, SweepClock};
use super::tcp::analysis::Analysis;
use super::tcp::state::TcpState;
use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_options::SegmentOptions;
use crate::packet::Timestamp;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Idle timeouts by what the flow is doing. Finished and TIME_WAIT flows
/// expire first; established ones last (Zeek's TCP inactivity timeout is 5 min).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Both ends CLOSED (normal close done, RST, refused).
    pub closed: Duration,
    /// One end in TIME_WAIT, the other CLOSED.
    pub time_wait: Duration,
    /// Handshake not finished (SYN_SENT / SYN_RCVD).
    pub handshake: Duration,
    /// A FIN was sent, the close is under way.
    pub closing: Duration,
    pub established: Duration,
    pub udp: Duration,
    pub other: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            closed: Duration::from_secs(5),
            time_wait: Duration::from_secs(30),
            handshake: Duration::from_secs(30),
            closing: Duration::from_secs(120),
            established: Duration::from_secs(300),
            udp: Duration::from_secs(60),
            other: Duration::from_secs(60),
        }
    }
}

/// Flow tracker configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowConfig {
    /// Live flows kept at most; beyond that the least useful are evicted (counted).
    pub max_flows: usize,
    /// Finished (expired, evicted, reused) flows kept for the report; beyond
    /// that they are only counted.
    pub max_reported: usize,
    /// Record one [`super::Event`] per TCP segment for timelines.
    pub record_events: bool,
    pub max_events_per_flow: usize,
    /// Also keep each recorded event's timestamps and SACK blocks (what the
    /// graphs draw), passed in by [`FlowTracker::observe_with_options`].
    pub record_options: bool,
    /// Timeline events kept over the whole run (live and reported flows):
    /// past it, segments are only counted (`events_over_budget`), so that
    /// `--timeline` on a flood cannot grow memory without bound.
    pub max_events_total: usize,
    pub timeouts: Timeouts,
}

impl Default for FlowConfig {
    fn default() -> Self {
        FlowConfig {
            max_flows: 100_000,
            max_reported: 100_000,
            record_events: false,
            max_events_per_flow: 1_000,
            record_options: false,
            // 40 MB of events (40 bytes each; a test checks the size).
            max_events_total: 1_000_000,
            timeouts: Timeouts::default(),
        }
    }
}

/// Totals over the whole run: nothing leaves the table silently.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlowStats {
    pub packets: u64,
    pub flows: u64,
    /// Flows that left the table after idling past their timeout.
    pub expired: u64,
    /// Flows pushed out because the table was full.
    pub evicted: u64,
    /// Finished flows not kept in the report (over `max_reported`).
    pub unreported: u64,
    pub peak_live: u64,
    /// Timeline segments not recorded because the run's event budget
    /// (`max_events_total`) was used up.
    pub events_over_budget: u64,
}

/// What the tracker hands to the printers at the end.
#[derive(Clone, Debug, Default)]
pub struct FlowReport {
    /// Flows in creation order (uid).
    pub flows: Vec<Flow>,
    pub stats: FlowStats,
}

/// A fast keyed hasher for flow keys (multiply-xor-rotate), seeded per tracker
/// from the standard library's random state so crafted captures cannot aim at
/// fixed collisions.
#[derive(Clone, Copy)]
pub struct FlowHasherBuilder {
    seed: u64,
}

/// A fresh seed each time (the packet printer's relative-sequence table
/// keys its connections by [`crate::flow::FlowKey`] too).
impl Default for FlowHasherBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl FlowHasherBuilder {
    fn new() -> Self {
        let seed = std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64);
        FlowHasherBuilder { seed: seed | 1 }
    }
}

pub struct FlowHasher {
    h: u64,
}

const MUL: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for FlowHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    fn write_u64(&mut self, x: u64) {
        let m = (self.h ^ x) as u128 * MUL as u128;
        self.h = (m as u64) ^ ((m >> 64) as u64);
    }
    // A key's fields in one step each: the defaults go through `write`, a
    // multiply a byte (an address took sixteen, the key about forty), and
    // the printer's and tracker's lookups of every packet paid for it.
    fn write_u8(&mut self, x: u8) {
        self.write_u64(u64::from(x));
    }
    fn write_u16(&mut self, x: u16) {
        self.write_u64(u64::from(x));
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_u128(&mut self, x: u128) {
        self.write_u64(x as u64);
        self.write_u64((x >> 64) as u64);
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
    fn finish(&self) -> u64 {
        self.h.rotate_left(26)
    }
}

impl BuildHasher for FlowHasherBuilder {
    type Hasher = FlowHasher;
    fn build_hasher(&self) -> FlowHasher {
        FlowHasher { h: self.seed }
    }
}

/// Eviction class: lower goes first.
fn class_of(f: &Flow) -> u8 {
    if f.proto != Proto::Tcp {
        return 3;
    }
    let (o, r) = (f.orig_state(), f.resp_state());
    let done = |s| matches!(s, TcpState::Closed | TcpState::TimeWait);
    if done(o) && done(r) {
        0
    } else if matches!(o, TcpState::SynSent | TcpState::SynRcvd)
        || matches!(r, TcpState::SynSent | TcpState::SynRcvd)
    {
        1
    } else if o.is_closing() || r.is_closing() {
        2
    } else {
        3
    }
}

/// The flow tracker: feed it packets in capture order, then `finish`.
///
/// Flows live in a slab (`slots`) and the hash map only maps a key to a slot:
/// map entries stay small, so the tombstones that removals leave (and the
/// rehash they eventually cause) never copy whole flows.
pub struct FlowTracker {
    cfg: FlowConfig,
    index: HashMap<FlowKey, u32, FlowHasherBuilder>,
    /// The key last found or put in `index` and its slot: a packet of the
    /// same flow as the one before (a flow's packets come in trains) is
    /// found by comparing keys, without the hash and the table's probe
    /// (~130 instructions). Forgotten when its flow leaves the table.
    last: Option<(FlowKey, u32)>,
    slots: Vec<Option<Flow>>,
    free: Vec<u32>,
    done: Vec<Flow>,
    stats: FlowStats,
    /// Capture time of the last idle sweep.
    last_sweep: Timestamp,
    since_sweep: u64,
    scratch: Vec<(u8, u64, u32)>,
    /// Stream reassembly, on only for commands that need it (`follow`).
    reasm: Option<Box<Streams>>,
    /// Table slots visited by sweeps and eviction scans over the whole run:
    /// the work that must stay amortised O(1) per packet.
    scanned: u64,
    /// Timeline events held by live and reported flows.
    events_held: usize,
    /// The number of the packet being handled (see
    /// [`FlowTracker::number_next`]): new flows' `birth`.
    number: u64,
    /// Told by [`FlowTracker::number_next`] for the next packet only.
    number_given: Option<u64>,
    /// Orders retirements across shards: the packet's number, doubled, plus
    /// one unless a tick swept (a sweep comes before the packet's own work).
    retire_key: u64,
    /// One shard of a parallel run ([`FlowTracker::shard`]): what the merge
    /// needs besides the flows.
    shard: Option<Box<ShardLog>>,
    /// The keys of the flows that left the table since the last
    /// [`FlowTracker::take_ended_keys`], when asked for
    /// ([`FlowTracker::with_ended_keys`]): per-flow state kept elsewhere
    /// (`super::pdu`'s open messages) goes with the flow.
    ended_keys: Option<Vec<FlowKey>>,
}

/// What a shard keeps for [`super::shard::merge`]: when each retired flow
/// left, the births of the flows it did not keep, and its live count before
/// each tick of the shared clock.
#[derive(Default)]
pub(crate) struct ShardLog {
    /// Parallel to `done`: the packet number at which each flow retired.
    pub(crate) done_at: Vec<u64>,
    /// Births of the flows past `max_reported` (only counted otherwise):
    /// the merge needs them to number the kept ones as one tracker would.
    pub(crate) dropped: Vec<u64>,
    /// Live flows just before each [`FlowTracker::tick`].
    pub(crate) samples: Vec<u64>,
    /// The packet number of the last sweep.
    last_sweep_number: u64,
}

/// The followed streams, by slot (parallel to `slots`, so `Flow` stays
/// small when nothing is followed), and the global budget.
struct Streams {
    cfg: ReassemblyConfig,
    by_slot: Vec<Option<Box<Reassembly>>>,
    /// Bytes held by all streams.
    held: usize,
    /// tshark's `tcp.stream` and `udp.stream` counters.
    tcp_index: u64,
    udp_index: u64,
    /// Streams whose flow left the table, waiting to be finished with the
    /// sink of the next call.
    // Boxed as in `by_slot`: moving a stream here moves a pointer.
    #[allow(clippy::vec_box)]
    ended: Vec<Box<Reassembly>>,
    /// The packet being handled (numbers the holes that removals reveal).
    packet: u64,
}

impl FlowTracker {
    pub fn new(cfg: FlowConfig) -> FlowTracker {
        let cfg = FlowConfig {
            max_flows: cfg.max_flows.max(1),
            ..cfg
        };
        FlowTracker {
            // The index starts small for cache locality (a table sized for
            // 100k flows spreads 500 live keys over 6 MB) and grows by
            // doubling; its entries are 48 bytes, so growing never copies flows.
            index: HashMap::with_capacity_and_hasher(
                cfg.max_flows.min(4096) + 1,
                FlowHasherBuilder::new(),
            ),
            last: None,
            slots: Vec::with_capacity(cfg.max_flows),
            free: Vec::new(),
            // Reserved (virtual) up front so neither retiring flows nor `finish`
            // ever reallocates: a doubling copy would briefly hold both.
            done: Vec::with_capacity(cfg.max_reported.saturating_add(cfg.max_flows).min(1 << 24)),
            stats: FlowStats::default(),
            last_sweep: Timestamp(0),
            since_sweep: 0,
            scratch: Vec::new(),
            reasm: None,
            scanned: 0,
            events_held: 0,
            number: 0,
            number_given: None,
            retire_key: 0,
            shard: None,
            ended_keys: None,
            cfg,
        }
    }

    /// One shard of a parallel run: the packets of some flows only (all of
    /// a flow's packets, both ways), numbered by
    /// [`FlowTracker::number_next`]. It sweeps idle flows only when told
    /// ([`FlowTracker::tick`], on the clock all shards share, see
    /// [`super::shard::SweepClock`]), and [`FlowTracker::finish_shard`]
    /// hands over what [`super::shard::merge`] joins into the report one
    /// tracker would have made.
    pub fn shard(mut self) -> FlowTracker {
        self.shard = Some(Box::default());
        self
    }

    /// The number of the next packet observed in the whole input (a shard
    /// sees only some): orders flows across shards. Without it, packets are
    /// numbered by the tracker's own count.
    pub fn number_next(&mut self, number: u64) {
        self.number_given = Some(number);
    }

    /// Keep the key of every flow that leaves the table (idle, evicted,
    /// reused by a new SYN) for [`FlowTracker::take_ended_keys`].
    pub fn with_ended_keys(mut self) -> FlowTracker {
        self.ended_keys = Some(Vec::new());
        self
    }

    /// The keys of the flows that left the table since the last call
    /// (none unless [`FlowTracker::with_ended_keys`]).
    pub fn take_ended_keys(&mut self) -> impl Iterator<Item = FlowKey> + '_ {
        self.ended_keys.iter_mut().flat_map(|keys| keys.drain(..))
    }

    /// The configuration this tracker runs with.
    pub fn config(&self) -> &FlowConfig {
        &self.cfg
    }

    /// Reassemble TCP streams (and keep UDP datagrams in order) for the
    /// packets given to [`FlowTracker::observe_payload`].
    pub fn with_reassembly(mut self, cfg: ReassemblyConfig) -> FlowTracker {
        self.reasm = Some(Box::new(Streams {
            cfg,
            by_slot: Vec::new(),
            held: 0,
            tcp_index: 0,
            udp_index: 0,
            ended: Vec::new(),
            packet: 0,
        }));
        self
    }

    /// Bytes the followed streams hold now (out-of-order data and the
    /// recent bytes kept to compare retransmissions).
    pub fn reassembly_held(&self) -> usize {
        self.reasm.as_ref().map_or(0, |r| r.held)
    }

    /// [`FlowTracker::observe`] plus reassembly: `payload` is the captured
    /// transport payload, `packet` the packet's number in the source.
    pub fn observe_payload(
        &mut self,
        p: &FlowPacket,
        payload: &[u8],
        packet: u64,
        sink: &mut dyn StreamSink,
    ) -> Analysis {
        if let Some(r) = &mut self.reasm {
            r.packet = packet;
        }
        let (a, slot, new) = self.observe_slot(p, None, |p| p.service);
        let Some(mut r) = self.reasm.take() else {
            return a;
        };
        for s in r.ended.drain(..) {
            let d = s.finish(packet, &r.cfg, sink);
            r.held = r.held.saturating_add_signed(d);
        }
        let flow = slot.and_then(|i| Some((i, self.slots.get(i as usize)?.as_ref()?)));
        if let Some((slot, f)) = flow {
            let i = slot as usize;
            if r.by_slot.len() <= i {
                r.by_slot.resize_with(i + 1, || None);
            }
            if new && matches!(f.proto, Proto::Tcp | Proto::Udp) {
                let counter = if f.proto == Proto::Tcp {
                    &mut r.tcp_index
                } else {
                    &mut r.udp_index
                };
                let (node0, node1) = if f.flipped {
                    (f.resp, f.orig)
                } else {
                    (f.orig, f.resp)
                };
                let info = StreamInfo {
                    uid: f.uid,
                    index: *counter,
                    proto: f.proto,
                    node0,
                    node1,
                    first: f.first,
                };
                *counter += 1;
                if r.cfg.only.is_none_or(|sel| sel.selects(&info)) {
                    sink.start(&info);
                    if let Some(slot) = r.by_slot.get_mut(i) {
                        *slot = Some(Box::new(Reassembly::new(info)));
                    }
                }
            }
            let (_, from_lo) = FlowKey::of(p);
            let from_node0 = f.is_from_orig(from_lo) != f.flipped;
            let cfg = r.cfg;
            if let Some(Some(st)) = r.by_slot.get_mut(i) {
                let d = if p.proto == Proto::Udp {
                    st.datagram(from_node0, payload, packet, p.ts, sink);
                    0
                } else {
                    st.segment(
                        from_node0,
                        &Segment {
                            seq: p.seq,
                            syn: p.has(TcpFlags::SYN),
                            fin_or_rst: p.has(TcpFlags::FIN) || p.has(TcpFlags::RST),
                            ack: p.has(TcpFlags::ACK).then_some(p.ack),
                            data: payload,
                            declared: p.payload_len,
                            packet,
                            ts: p.ts,
                        },
                        &cfg,
                        sink,
                    )
                };
                r.held = r.held.saturating_add_signed(d);
            }
            if let Some(slot) = r.by_slot.get_mut(i)
                && slot.as_ref().is_some_and(|s| s.is_done())
                && let Some(done) = slot.take()
            {
                let d = done.finish(packet, &cfg, sink);
                r.held = r.held.saturating_add_signed(d);
            }
            if r.held > cfg.memory {
                // Over the global budget: the biggest holders give up their
                // holes until a quarter of the budget is free again, so the
                // scan is paid once per quarter of the budget, not per packet.
                let mut holders: Vec<(usize, usize)> = r
                    .by_slot
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| s.as_ref().map(|s| (s.held(), i)))
                    .filter(|&(h, _)| h > 0)
                    .collect();
                holders.sort_unstable_by(|a, b| b.cmp(a));
                let target = cfg.memory / 4 * 3;
                for (_, i) in holders {
                    if r.held <= target {
                        break;
                    }
                    if let Some(Some(s)) = r.by_slot.get_mut(i) {
                        let d = s.release(packet, &cfg, sink);
                        r.held = r.held.saturating_add_signed(d);
                    }
                }
            }
        }
        self.reasm = Some(r);
        a
    }

    /// End of input for the followed streams: each one still open is
    /// finished (held data behind gap markers) in order of first packet.
    pub fn finish_streams(&mut self, sink: &mut dyn StreamSink) {
        let Some(r) = &mut self.reasm else {
            return;
        };
        let mut open: Vec<Box<Reassembly>> = r.ended.drain(..).collect();
        open.extend(r.by_slot.drain(..).flatten());
        open.sort_by_key(|s| s.info.uid);
        let packet = r.packet;
        for s in open {
            let d = s.finish(packet, &r.cfg, sink);
            r.held = r.held.saturating_add_signed(d);
        }
    }

    /// A shard after [`FlowTracker::tick`] at packet `packet`: finish the
    /// streams its sweep ended now, as one tracker finishes them before
    /// that packet (oldest first), instead of at the shard's next packet.
    pub fn finish_ended(&mut self, packet: u64, sink: &mut dyn StreamSink) {
        let Some(r) = &mut self.reasm else {
            return;
        };
        for s in std::mem::take(&mut r.ended) {
            let d = s.finish(packet, &r.cfg, sink);
            r.held = r.held.saturating_add_signed(d);
        }
    }

    /// [`FlowTracker::finish_streams`] for a shard: its holes are numbered
    /// by `packet`, the last packet any shard saw (one tracker's last).
    pub fn finish_streams_at(&mut self, packet: u64, sink: &mut dyn StreamSink) {
        if let Some(r) = &mut self.reasm {
            r.packet = packet;
        }
        self.finish_streams(sink);
    }

    /// Flows created so far (kept or not): a shard's reader of
    /// reassembled streams numbers them across shards with it.
    pub fn flows_created(&self) -> u64 {
        self.stats.flows
    }

    /// The run's totals so far (flows made, expired, evicted …).
    pub fn stats(&self) -> FlowStats {
        self.stats
    }

    pub fn live_flows(&self) -> usize {
        self.index.len()
    }

    /// Table slots visited by idle sweeps and eviction scans so far (tests
    /// check that this stays a small multiple of the packet count).
    pub fn slots_scanned(&self) -> u64 {
        self.scanned
    }

    /// Account one packet and return the TCP analysis of it (empty for non-TCP).
    pub fn observe(&mut self, p: &FlowPacket) -> Analysis {
        self.observe_with_options(p, None)
    }

    /// [`FlowTracker::observe`] with the segment's options, kept with its
    /// event when the configuration records them.
    pub fn observe_with_options(
        &mut self,
        p: &FlowPacket,
        options: Option<&SegmentOptions>,
    ) -> Analysis {
        self.observe_slot(p, options, |p| p.service).0
    }

    /// [`FlowTracker::observe_with_options`] for a packet at `pos` in its
    /// capture file (kept with a flow it starts, as the flow's pointer into
    /// the file), also telling the uid of the packet's flow.
    pub fn observe_at(
        &mut self,
        p: &FlowPacket,
        options: Option<&SegmentOptions>,
        pos: Option<PcapPos>,
    ) -> (Analysis, u64) {
        self.observe_at_with(p, options, pos, |p| p.service)
    }

    /// [`FlowTracker::observe_at`] for a view whose `service` is left
    /// unset: `service` works it out from the view, asked only when the
    /// packet's flow has none yet (a flow keeps its first). The dissectors'
    /// port tables and payload heuristics were asked of every packet that
    /// carried a payload.
    pub fn observe_at_with(
        &mut self,
        p: &FlowPacket,
        options: Option<&SegmentOptions>,
        pos: Option<PcapPos>,
        service: impl FnOnce(&FlowPacket) -> Option<&'static str>,
    ) -> (Analysis, u64) {
        let (a, slot, new) = self.observe_slot(p, options, service);
        let flow = slot.and_then(|s| self.slots.get_mut(s as usize)?.as_mut());
        let uid = match flow {
            Some(f) => {
                if new {
                    f.first_pos = pos;
                }
                f.uid
            }
            None => 0,
        };
        (a, uid)
    }

    /// [`FlowTracker::observe_with_options`], telling also the flow's slot
    /// and whether the packet made a new flow.
    fn observe_slot(
        &mut self,
        p: &FlowPacket,
        options: Option<&SegmentOptions>,
        service: impl FnOnce(&FlowPacket) -> Option<&'static str>,
    ) -> (Analysis, Option<u32>, bool) {
        let options = options.filter(|_| self.cfg.record_options);
        self.stats.packets += 1;
        self.number = self.number_given.take().unwrap_or(self.stats.packets);
        self.retire_key = self.number.saturating_mul(2) | 1;
        self.since_sweep += 1;
        // A shard sweeps on the shared clock only (`tick`).
        if self.shard.is_none() && SweepClock::due(self.last_sweep, p.ts) {
            // Amortised: a sweep visits every live flow, so it waits for at
            // least len/8 packets as well as one second of capture time.
            if self.since_sweep as usize >= self.index.len() / 8 {
                self.sweep(p.ts);
            }
        }
        let (key, from_lo) = FlowKey::of(p);
        let record = self.cfg.record_events;
        let over_budget = record && self.events_held >= self.cfg.max_events_total;
        // Over the run's budget no flow records more (each counts what it
        // missed, and the run counts it too).
        let max_ev = if over_budget {
            0
        } else {
            self.cfg.max_events_per_flow
        };
        let found = match &self.last {
            Some((k, slot)) if *k == key => Some(*slot),
            _ => {
                let slot = self.index.get(&key).copied();
                if let Some(s) = slot {
                    self.last = Some((key, s));
                }
                slot
            }
        };
        if let Some(slot) = found {
            if let Some(f) = self.slots.get_mut(slot as usize).and_then(Option::as_mut) {
                let from_orig = f.is_from_orig(from_lo);
                // A new active open on a finished connection is a new connection.
                let restart = p.proto == Proto::Tcp
                    && p.has(TcpFlags::SYN)
                    && !p.has(TcpFlags::ACK)
                    && f.tcp_finished()
                    && !(from_orig
                        && f.tcp()
                            .is_some_and(|t| t.orig().machine.syn_end == Some(p.seq.add(1))));
                if !restart {
                    if f.service.is_none() {
                        f.service = service(p);
                    }
                    let before = f.events.len();
                    let a = f.update(p, from_orig, record, max_ev, options);
                    self.account_events(before, slot, over_budget);
                    return (a, Some(slot), false);
                }
            }
            self.remove(slot, FlowEnd::Reused);
        } else if self.index.len() >= self.cfg.max_flows {
            // Full. A sweep visits every slot, so it too waits for len/8
            // packets since the last one: when each sweep frees only a flow
            // or two (flows idling out one by one), sweeping on every new
            // flow made each packet pay a full scan. Otherwise a batch
            // eviction frees 1/16 of the table at once: amortised, a new flow
            // costs at most 8 + 16 slot visits.
            if self.since_sweep as usize >= self.index.len() / 8 {
                self.sweep(p.ts);
            }
            if self.index.len() >= self.cfg.max_flows {
                self.evict_batch();
            }
        }
        self.stats.flows += 1;
        let mut f = Flow::new(self.stats.flows, self.number, p, from_lo);
        f.service = service(p);
        let from_orig = f.is_from_orig(from_lo);
        let a = f.update(p, from_orig, record, max_ev, options);
        let recorded = f.events.len();
        self.events_held += recorded;
        if over_budget && recorded == 0 && f.events_dropped > 0 {
            self.stats.events_over_budget += 1;
        }
        let slot = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(f);
                i
            }
            None => {
                self.slots.push(Some(f));
                (self.slots.len() - 1) as u32
            }
        };
        self.index.insert(key, slot);
        self.last = Some((key, slot));
        self.stats.peak_live = self.stats.peak_live.max(self.index.len() as u64);
        (a, Some(slot), true)
    }

    /// Count the events the flow in `slot` recorded since it held `before`.
    fn account_events(&mut self, before: usize, slot: u32, over_budget: bool) {
        let Some(f) = self.slots.get(slot as usize).and_then(Option::as_ref) else {
            return;
        };
        let after = f.events.len();
        self.events_held += after.saturating_sub(before);
        if over_budget && after == before && f.tcp().is_some() {
            self.stats.events_over_budget += 1;
        }
    }

    /// Take a flow out of the table and retire it with `why`.
    fn remove(&mut self, slot: u32, why: FlowEnd) {
        let Some(mut f) = self.slots.get_mut(slot as usize).and_then(Option::take) else {
            return;
        };
        self.index.remove(&f.key());
        if self.last.is_some_and(|(_, s)| s == slot) {
            self.last = None;
        }
        self.free.push(slot);
        if let Some(keys) = &mut self.ended_keys {
            keys.push(f.key());
        }
        if let Some(r) = &mut self.reasm
            && let Some(s) = r.by_slot.get_mut(slot as usize).and_then(Option::take)
        {
            r.ended.push(s);
        }
        match why {
            FlowEnd::Idle => self.stats.expired += 1,
            FlowEnd::Evicted => self.stats.evicted += 1,
            _ => {}
        }
        f.end = why;
        self.retire(f);
    }

    fn timeout_of(&self, f: &Flow) -> Duration {
        let t = &self.cfg.timeouts;
        match f.proto {
            Proto::Udp => t.udp,
            Proto::Icmp | Proto::Other(_) => t.other,
            Proto::Tcp => {
                let (o, r) = (f.orig_state(), f.resp_state());
                match class_of(f) {
                    0 if o == TcpState::Closed && r == TcpState::Closed => t.closed,
                    0 => t.time_wait,
                    1 => t.handshake,
                    2 => t.closing,
                    _ => t.established,
                }
            }
        }
    }

    /// Retire every flow idle past its state's timeout at capture time `now`.
    fn sweep(&mut self, now: Timestamp) {
        self.last_sweep = now;
        self.since_sweep = 0;
        let mut idle = std::mem::take(&mut self.scratch);
        idle.clear();
        self.scanned += self.slots.len() as u64;
        for (i, f) in self.slots.iter().enumerate() {
            if let Some(f) = f
                && now.0.saturating_sub(f.last.0) > self.timeout_of(f).as_nanos() as u64
            {
                idle.push((0, f.uid, i as u32));
            }
        }
        // Retired oldest first, not in slot order (which depends on the
        // table's history): shards retire the same flows in the same order.
        idle.sort_unstable_by_key(|e| e.1);
        for &(_, _, slot) in &idle {
            self.remove(slot, FlowEnd::Idle);
        }
        self.scratch = idle;
    }

    /// The table is full: evict the least useful 1/16 at once (finished first,
    /// then half-open, then closing, then the rest; oldest activity first
    /// within a class), so a flood costs one scan per batch, not per packet.
    fn evict_batch(&mut self) {
        let mut cand = std::mem::take(&mut self.scratch);
        cand.clear();
        self.scanned += self.slots.len() as u64;
        cand.extend(
            self.slots
                .iter()
                .enumerate()
                .filter_map(|(i, f)| f.as_ref().map(|f| (class_of(f), f.last.0, i as u32))),
        );
        let n = (self.cfg.max_flows / 16).max(1).min(cand.len());
        if n < cand.len() {
            cand.select_nth_unstable_by_key(n, |e| (e.0, e.1));
        }
        for &(_, _, slot) in &cand[..n] {
            self.remove(slot, FlowEnd::Evicted);
        }
        self.scratch = cand;
    }

    fn retire(&mut self, f: Flow) {
        if self.done.len() < self.cfg.max_reported {
            if let Some(log) = &mut self.shard {
                log.done_at.push(self.retire_key);
            }
            self.done.push(f);
        } else {
            if let Some(log) = &mut self.shard {
                log.dropped.push(f.birth);
            }
            self.events_held = self.events_held.saturating_sub(f.events.len());
            self.stats.unreported += 1;
        }
    }

    /// A shard: the shared clock reached `now` at packet `number` (see
    /// [`super::shard::SweepClock`]), before that packet is observed.
    /// Sweeps as one tracker would have there. Does nothing for a tracker
    /// that is not a shard.
    pub fn tick(&mut self, now: Timestamp, number: u64) {
        let live = self.index.len();
        let Some(log) = &mut self.shard else {
            return;
        };
        log.samples.push(live as u64);
        // As `observe_slot`'s amortisation, counted in packets of the
        // whole input (this one included).
        let since = number.saturating_sub(log.last_sweep_number);
        if since as usize >= live / 8 {
            log.last_sweep_number = number;
            self.retire_key = number.saturating_mul(2);
            self.sweep(now);
        }
    }

    /// The flows still in the table at the end of the input, marked
    /// closed when their connection is over.
    fn drain_live(&mut self) -> Vec<Flow> {
        // Free the index before the slab drains into the report.
        self.index = HashMap::with_hasher(*self.index.hasher());
        self.last = None;
        // Collected in place (`Option<Flow>` is as large as `Flow`, a
        // niche), so the slab's pages hold the report: moving every flow
        // into fresh pages, twice, was a tenth of `read --flows`.
        std::mem::take(&mut self.slots)
            .into_iter()
            .filter_map(|f| {
                f.map(|mut f| {
                    if f.tcp_over() {
                        f.end = FlowEnd::Closed;
                    }
                    f
                })
            })
            .collect()
    }

    /// Take the flows that left the table so far, in the order they left
    /// (a rotating capture writes them with the file it closes); `finish`
    /// then reports the rest.
    pub fn take_retired(&mut self) -> Vec<Flow> {
        if let Some(log) = &mut self.shard {
            log.done_at.clear();
        }
        // Written out, they hold no memory: `max_reported` bounds what is
        // held between two calls. Reserved again as `new` reserves.
        let cap = self.done.capacity();
        std::mem::replace(&mut self.done, Vec::with_capacity(cap))
    }

    /// End of input: every flow, finished or still open, in creation order.
    pub fn finish(mut self) -> FlowReport {
        let live = self.drain_live();
        let mut flows = if self.done.is_empty() {
            live
        } else {
            let mut done = std::mem::take(&mut self.done);
            done.extend(live);
            done
        };
        // Mostly in order already (slots fill in creation order), which
        // the sort only checks.
        flows.sort_unstable_by_key(|f| f.uid);
        FlowReport {
            flows,
            stats: self.stats,
        }
    }

    /// End of input for a shard ([`FlowTracker::shard`]): its part of the
    /// report, for [`super::shard::merge`]. (A tracker that is not a shard
    /// gives its flows as retired at their end, which merges as one shard.)
    pub fn finish_shard(mut self) -> Shard {
        let log = self.shard.take().map(|b| *b).unwrap_or_default();
        let live = self.drain_live();
        let mut samples = log.samples;
        samples.push(live.len() as u64);
        // Not a shard: no retirement was logged; births keep them in order.
        let done_at = if log.done_at.len() == self.done.len() {
            log.done_at
        } else {
            self.done.iter().map(|f| f.birth).collect()
        };
        Shard {
            retired: std::mem::take(&mut self.done),
            retired_at: done_at,
            live,
            dropped: log.dropped,
            samples,
            stats: self.stats,
            max_reported: self.cfg.max_reported,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `drain_live` reuses the slab's memory for the report only while an
    /// empty slot costs no more than a flow (the niche of its boxes).
    #[test]
    fn an_empty_slot_is_as_large_as_a_flow() {
        assert_eq!(size_of::<Option<Flow>>(), size_of::<Flow>());
        assert_eq!(align_of::<Option<Flow>>(), align_of::<Flow>());
    }

    /// `observe_at_with` asks for the service only while the packet's flow
    /// has none: the first answer stays, as with the view's own service.
    #[test]
    fn the_service_is_asked_only_until_the_flow_has_one() {
        let mut t = FlowTracker::new(FlowConfig::default());
        let mut fp = FlowPacket::blank(Timestamp(1));
        fp.src = "10.0.0.1".parse().unwrap();
        fp.dst = "10.0.0.2".parse().unwrap();
        fp.proto = Proto::Udp;
        (fp.sport, fp.dport) = (5353, 53);
        let mut asked = Vec::new();
        for answer in [None, Some("dns"), Some("ntp"), None] {
            t.observe_at_with(&fp, None, None, |_| {
                asked.push(answer);
                answer
            });
            std::mem::swap(&mut fp.src, &mut fp.dst);
            std::mem::swap(&mut fp.sport, &mut fp.dport);
        }
        assert_eq!(asked, [None, Some("dns")]);
        let report = t.finish();
        assert_eq!(report.flows.len(), 1);
        assert_eq!(report.flows[0].service, Some("dns"));
        assert_eq!(report.flows[0].orig_pkts + report.flows[0].resp_pkts, 4);
    }
}
