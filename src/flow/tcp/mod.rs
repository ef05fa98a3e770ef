//! TCP-only flow state, held only by TCP flows: [`TcpInfo`] (both sides'
//! [`TcpSide`], Zeek's history, the analysis counters, handshake times) and
//! [`TcpInfo::segment`], which runs one segment through each job in turn:
//! the RFC 793 machine of each side ([`state`]), Zeek's endpoint machine and
//! history letters ([`zeek`]), and Wireshark's sequence analysis
//! ([`analysis`]).

pub mod analysis;
pub mod state;
pub mod zeek;

use crate::decode::flow_view::FlowPacket;
use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_seq::SeqNumber;
use crate::packet::Timestamp;
use analysis::{AnaSeg, Analysis, AnalysisCounters, SeqInfo};
use state::{Seg, SideMachine, StepNotes, TcpState};
use zeek::{HistSide, History, Scaled, ZeekEndpoint};

/// One TCP endpoint of a flow.
#[derive(Clone, Copy, Debug)]
pub struct TcpSide {
    pub machine: SideMachine,
    pub seq: SeqInfo,
    pub hist: HistSide,
    pub zeek: ZeekEndpoint,
    /// Base for relative sequence numbers (ISN, or seq-1 / peer's ack-1 when no SYN was seen).
    pub base_seq: Option<SeqNumber>,
    /// SYNs without ACK this side sent, retransmissions included.
    pub syns: u32,
    /// Sequence number after this side's highest payload byte (for byte counts).
    pub data_end: Option<SeqNumber>,
}

impl Default for TcpSide {
    fn default() -> Self {
        TcpSide {
            machine: SideMachine::default(),
            seq: SeqInfo::new(),
            hist: HistSide::default(),
            zeek: ZeekEndpoint::Inactive,
            base_seq: None,
            syns: 0,
            data_end: None,
        }
    }
}

impl TcpSide {
    /// Payload bytes in sequence space, as Zeek counts them: how far this
    /// side's highest data byte has advanced from its first one (after the
    /// SYN if seen). Retransmissions add nothing; holes count once passed.
    fn new_payload_bytes(&mut self, p: &FlowPacket) -> u32 {
        if p.payload_len == 0 {
            return 0;
        }
        let end = p.seq.add(p.payload_len);
        let hi = *self
            .data_end
            .get_or_insert(self.machine.syn_end.unwrap_or(p.seq));
        if end.is_after(hi) {
            self.data_end = Some(end);
            end.distance_from(hi)
        } else {
            0
        }
    }
}

/// TCP-only part of a flow.
#[derive(Clone, Copy, Debug, Default)]
pub struct TcpInfo {
    /// `[originator, responder]`.
    pub sides: [TcpSide; 2],
    pub history: History,
    pub counters: AnalysisCounters,
    /// The last originator SYN before the SYN/ACK (the one that got answered).
    pub syn_ts: Option<Timestamp>,
    pub synack_ts: Option<Timestamp>,
    /// The originator's first ACK after the SYN/ACK.
    pub ack_ts: Option<Timestamp>,
    pub bad_checksums: u64,
}

/// What one segment did, for the flow's byte counters and its timeline.
#[derive(Clone, Copy, Debug, Default)]
pub struct SegmentOutcome {
    pub analysis: Analysis,
    /// Payload bytes beyond what this side had sent before.
    pub new_bytes: u32,
    pub notes: StepNotes,
}

impl TcpInfo {
    /// The TCP state of a flow whose first packet is `p`: a SYN/ACK means
    /// we missed the SYN (Zeek's `^`: the originator is its receiver); any
    /// other first segment without SYN means the capture began mid-stream.
    pub(crate) fn new(p: &FlowPacket) -> TcpInfo {
        let mut t = TcpInfo::default();
        if p.has(TcpFlags::SYN | TcpFlags::ACK) {
            // The originator must have sent a SYN that this acknowledges.
            t.history.push(b'^');
            let [o, _] = &mut t.sides;
            let o = &mut o.machine;
            o.state = TcpState::SynSent;
            o.syn_end = Some(p.ack);
        } else if !p.has(TcpFlags::SYN) {
            let [o, r] = &mut t.sides;
            state::pick_up_mid_stream(&mut o.machine, &mut r.machine);
        }
        t
    }

    /// SYN → SYN/ACK, in nanoseconds.
    pub fn syn_synack_ns(&self) -> Option<u64> {
        self.synack_ts?.0.checked_sub(self.syn_ts?.0)
    }
    /// SYN/ACK → ACK, in nanoseconds.
    pub fn synack_ack_ns(&self) -> Option<u64> {
        self.ack_ts?.0.checked_sub(self.synack_ts?.0)
    }
    /// Whole handshake (SYN → ACK), in nanoseconds: Wireshark's initial RTT.
    pub fn handshake_ns(&self) -> Option<u64> {
        self.ack_ts?.0.checked_sub(self.syn_ts?.0)
    }

    /// The originator's side (the one that sent the first SYN, or the
    /// first packet seen).
    pub fn orig(&self) -> &TcpSide {
        let [o, _] = &self.sides;
        o
    }

    /// The responder's side.
    pub fn resp(&self) -> &TcpSide {
        let [_, r] = &self.sides;
        r
    }

    /// Both sides' states, `[originator, responder]`.
    pub fn states(&self) -> [TcpState; 2] {
        [self.orig().machine.state, self.resp().machine.state]
    }

    /// One segment, sent by the originator if `from_orig`: every TCP job
    /// in turn, each in its own module.
    pub(crate) fn segment(&mut self, p: &FlowPacket, from_orig: bool) -> SegmentOutcome {
        if p.bad_checksum {
            // Like Zeek: count it, and do not let a corrupt segment move any state.
            self.bad_checksums += 1;
            let side = if from_orig { 0 } else { 1 };
            self.sides[side]
                .hist
                .scaled(&mut self.history, Scaled::BadChecksum, from_orig);
            return SegmentOutcome::default();
        }
        self.handshake_times(p, from_orig);
        let first_rtt = self.handshake_ns().unwrap_or(0);
        let [s0, s1] = &mut self.sides;
        let (tx, rx) = if from_orig { (s0, s1) } else { (s1, s0) };
        relative_bases(tx, rx, p);
        if p.has(TcpFlags::SYN) && !p.has(TcpFlags::ACK) {
            tx.syns += 1;
        }
        let notes = state::apply(&mut tx.machine, &mut rx.machine, &Seg::of(p));
        zeek::step(&mut tx.zeek, &mut rx.zeek, p.flags);
        tx.hist
            .update(&mut self.history, from_orig, p.flags, p.seq, p.payload_len);
        let new_bytes = tx.new_payload_bytes(p);
        let a = analysis::analyze(&mut tx.seq, &mut rx.seq, &AnaSeg::of(p), first_rtt);
        tx.hist
            .after_analysis(&mut self.history, &a, p.payload_len, from_orig);
        self.counters.add(&a);
        SegmentOutcome {
            analysis: a,
            new_bytes,
            notes,
        }
    }

    /// SYN, SYN/ACK and the originator's first ACK after it: the handshake times.
    fn handshake_times(&mut self, p: &FlowPacket, from_orig: bool) {
        let (syn, ack) = (p.has(TcpFlags::SYN), p.has(TcpFlags::ACK));
        if syn && !ack && from_orig && self.synack_ts.is_none() {
            self.syn_ts = Some(p.ts);
        } else if syn && ack && !from_orig && self.synack_ts.is_none() {
            self.synack_ts = Some(p.ts);
        } else if !syn && ack && from_orig && self.synack_ts.is_some() && self.ack_ts.is_none() {
            self.ack_ts = Some(p.ts);
        }
    }
}

/// The first segment each side is seen in fixes the base of its relative
/// sequence numbers: its SYN's sequence number, or one before its first
/// sequence number or the peer's first acknowledgment.
fn relative_bases(tx: &mut TcpSide, rx: &mut TcpSide, p: &FlowPacket) {
    if tx.base_seq.is_none() {
        tx.base_seq = Some(if p.has(TcpFlags::SYN) {
            p.seq
        } else {
            p.seq.sub(1)
        });
    }
    if p.has(TcpFlags::ACK) && rx.base_seq.is_none() {
        rx.base_seq = Some(p.ack.sub(1));
    }
}
