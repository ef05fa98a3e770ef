//! One flow ([`Flow`]): who talks to whom, counters both ways, why it left
//! the table, and for TCP flows only (boxed, so a UDP or ICMP flow does not
//! carry it) the TCP state of `super::tcp`, plus the timeline events when
//! they are recorded. [`Flow::update`] is the per-packet step: counters,
//! then the TCP jobs, then the event.

use super::community_id::{community_id_v1, has_ports, icmp_ports, is_icmp};
use super::key::{Endpoint, FlowKey};
use super::tcp::analysis::Analysis;
use super::tcp::state::TcpState;
use super::tcp::zeek::{self, ConnState, ZeekEndpoint};
use super::tcp::{SegmentOutcome, TcpInfo};
use crate::decode::flow_view::{FlowPacket, Proto};
use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_options::SegmentOptions;
use crate::decode::tcp_seq::SeqNumber;
use crate::packet::Timestamp;

/// Why a flow left the live table (or that it had not when the input ended).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowEnd {
    /// Still in the table at the end of the input, the connection not over
    /// (or not TCP: UDP and ICMP flows have no end of their own).
    Open,
    /// Still in the table at the end of the input, the TCP connection over:
    /// both ends closed (FIN both ways, TIME_WAIT or CLOSED) or reset.
    Closed,
    /// Idle longer than its state's timeout.
    Idle,
    /// Pushed out because the table was full.
    Evicted,
    /// A new SYN reused the 5-tuple after this connection had ended.
    Reused,
}

impl FlowEnd {
    pub fn name(self) -> &'static str {
        match self {
            FlowEnd::Open => "open",
            FlowEnd::Closed => "closed",
            FlowEnd::Idle => "idle",
            FlowEnd::Evicted => "evicted",
            FlowEnd::Reused => "reused",
        }
    }
}

/// Where a packet sits in a capture file, Arkime-style: which file of the
/// run (0 is the first; the printers hold the names) and the byte offset of
/// its record, so a flow row leads back to its packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PcapPos {
    pub file: u32,
    pub offset: u64,
}

/// One segment of a TCP timeline, recorded only when `record_events` is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub ts: Timestamp,
    pub from_orig: bool,
    pub flags: TcpFlags,
    /// Raw sequence and acknowledgment numbers (the printer makes them relative).
    pub seq: SeqNumber,
    pub ack: SeqNumber,
    pub len: u32,
    pub window: u16,
    /// Originator's and responder's state after this segment.
    pub states: [TcpState; 2],
    pub analysis: Analysis,
}

/// One bidirectional flow.
#[derive(Clone, Debug)]
pub struct Flow {
    /// Creation order, 1-based; printed as Zeek-style `uid` `C<n>`.
    pub uid: u64,
    pub proto: Proto,
    pub orig: Endpoint,
    pub resp: Endpoint,
    pub first: Timestamp,
    pub last: Timestamp,
    pub orig_pkts: u64,
    pub resp_pkts: u64,
    /// Payload bytes (TCP/UDP payload, ICMP body).
    pub orig_bytes: u64,
    pub resp_bytes: u64,
    pub orig_ip_bytes: u64,
    pub resp_ip_bytes: u64,
    /// The capture began after this TCP connection had started (no SYN seen).
    pub mid_stream: bool,
    /// The first packet was a SYN/ACK: the originator is its receiver (Zeek's `^`).
    pub flipped: bool,
    pub end: FlowEnd,
    /// Zeek's `service`: the first protocol a dissector recognised in the
    /// flow's payload (`dns`, `http`, `ssh`, `ntp`, …), not the port's guess.
    pub service: Option<&'static str>,
    /// TCP flows only.
    pub tcp: Option<Box<TcpInfo>>,
    pub events: Vec<Event>,
    /// Segments not recorded because the per-flow event limit was reached.
    pub events_dropped: u64,
    /// The options (timestamps, SACK) of each recorded event, index for
    /// index, when [`super::FlowConfig::record_options`] is on (the graphs);
    /// empty otherwise, so `read` does not pay for them.
    pub options: Vec<SegmentOptions>,
    /// Key order: is the originator the key's `lo` endpoint?
    pub(crate) orig_is_lo: bool,
    /// ICMP flows: the first message's type and code (its Community ID).
    pub icmp: Option<(u8, u8)>,
    /// The first packet's place in the capture file, when the source has one.
    pub first_pos: Option<PcapPos>,
    /// The number of the packet that created the flow, in the tracker's
    /// numbering (see [`super::FlowTracker::number_next`]): what orders the
    /// flows of several shards when their reports merge.
    pub birth: u64,
}

impl Flow {
    pub(crate) fn new(uid: u64, birth: u64, p: &FlowPacket, from_lo: bool) -> Flow {
        let src = Endpoint::new(p.src, p.sport);
        let dst = Endpoint::new(p.dst, p.dport);
        let tcp = p.proto == Proto::Tcp;
        let synack = tcp && p.has(TcpFlags::SYN | TcpFlags::ACK);
        let (orig, resp, orig_is_lo) = if synack {
            (dst, src, !from_lo)
        } else {
            (src, dst, from_lo)
        };
        Flow {
            uid,
            proto: p.proto,
            orig,
            resp,
            first: p.ts,
            last: p.ts,
            orig_pkts: 0,
            resp_pkts: 0,
            orig_bytes: 0,
            resp_bytes: 0,
            orig_ip_bytes: 0,
            resp_ip_bytes: 0,
            mid_stream: tcp && !p.has(TcpFlags::SYN),
            flipped: synack,
            end: FlowEnd::Open,
            service: None,
            tcp: tcp.then(|| Box::new(TcpInfo::new(p))),
            events: Vec::new(),
            events_dropped: 0,
            options: Vec::new(),
            orig_is_lo,
            icmp: p.icmp,
            first_pos: None,
            birth,
        }
    }

    /// The flow's Community ID v1 (seed 0; see [`super::community_id`]);
    /// `None` where the spec needs ports we did not read (a TCP, UDP or
    /// SCTP packet whose header was cut or fragmented).
    pub fn community_id(&self) -> Option<String> {
        let (o, r) = (self.orig.ip(), self.resp.ip());
        let ports = Some((self.orig.port, self.resp.port));
        match self.proto {
            Proto::Tcp => community_id_v1(0, o, r, 6, ports, false),
            Proto::Udp => community_id_v1(0, o, r, 17, ports, false),
            Proto::Icmp => {
                let (kind, code) = self.icmp?;
                let v6 = !self.orig.v4;
                let (sp, dp, one_way) = icmp_ports(v6, kind, code);
                let proto = if v6 { 58 } else { 1 };
                community_id_v1(0, o, r, proto, Some((sp, dp)), one_way)
            }
            Proto::Other(n) if has_ports(n) || is_icmp(n) => None,
            Proto::Other(n) => community_id_v1(0, o, r, n, None, false),
        }
    }

    /// The TCP state (TCP flows only).
    pub fn tcp(&self) -> Option<&TcpInfo> {
        self.tcp.as_deref()
    }

    /// The table key of this flow.
    pub fn key(&self) -> FlowKey {
        let (lo, hi) = if self.orig_is_lo {
            (self.orig, self.resp)
        } else {
            (self.resp, self.orig)
        };
        FlowKey {
            lo,
            hi,
            proto: self.proto,
        }
    }

    pub fn is_from_orig(&self, from_lo: bool) -> bool {
        from_lo == self.orig_is_lo
    }

    pub fn duration_ns(&self) -> u64 {
        self.last.0.saturating_sub(self.first.0)
    }

    /// Zeek's conn_state; for UDP and ICMP what Zeek gives them (SF with
    /// traffic both ways, S0 one way only).
    pub fn conn_state(&self) -> ConnState {
        match self.tcp() {
            Some(t) => {
                let [o, r] = &t.sides;
                zeek::conn_state(
                    o.zeek,
                    r.zeek,
                    t.history.as_str(),
                    self.orig_bytes,
                    self.resp_bytes,
                )
            }
            None if self.resp_pkts > 0 => ConnState::SF,
            None => ConnState::S0,
        }
    }

    /// The history string (TCP); for UDP/ICMP Zeek's `D`/`d` once per direction.
    pub fn history(&self) -> String {
        if let Some(t) = self.tcp() {
            return t.history.as_str().to_string();
        }
        let mut s = String::new();
        if self.orig_pkts > 0 {
            s.push('D');
        }
        if self.resp_pkts > 0 {
            s.push('d');
        }
        s
    }

    /// The originator's TCP state (CLOSED for a flow that is not TCP).
    pub fn orig_state(&self) -> TcpState {
        self.tcp()
            .map_or(TcpState::Closed, |t| t.orig().machine.state)
    }
    /// The responder's TCP state (CLOSED for a flow that is not TCP).
    pub fn resp_state(&self) -> TcpState {
        self.tcp()
            .map_or(TcpState::Closed, |t| t.resp().machine.state)
    }

    /// The TCP connection is over: both ends CLOSED or TIME_WAIT.
    pub fn tcp_finished(&self) -> bool {
        let done = |s: TcpState| matches!(s, TcpState::Closed | TcpState::TimeWait);
        self.tcp().is_some_and(|t| {
            done(self.orig_state())
                && done(self.resp_state())
                && (t.orig().syns > 0 || t.orig().zeek != ZeekEndpoint::Inactive)
        })
    }

    /// The TCP connection ended: both ends done ([`Flow::tcp_finished`]) or
    /// a RST ended it (Zeek's REJ and RST* states).
    pub fn tcp_over(&self) -> bool {
        self.tcp_finished()
            || (self.tcp().is_some()
                && matches!(
                    self.conn_state(),
                    ConnState::REJ
                        | ConnState::RSTO
                        | ConnState::RSTR
                        | ConnState::RSTOS0
                        | ConnState::RSTRH
                ))
    }

    /// Account one packet: the counters, then (TCP) the segment's step
    /// through the TCP jobs and its timeline event.
    pub(crate) fn update(
        &mut self,
        p: &FlowPacket,
        from_orig: bool,
        record: bool,
        max_events: usize,
        options: Option<&SegmentOptions>,
    ) -> Analysis {
        self.count(p, from_orig);
        if self.service.is_none() {
            self.service = p.service;
        }
        let Some(t) = self.tcp.as_deref_mut() else {
            return Analysis::default();
        };
        let out = t.segment(p, from_orig);
        if p.bad_checksum {
            // Counted, and nothing else: a corrupt segment moves no state.
            return out.analysis;
        }
        let states = t.states();
        self.count_tcp_payload(from_orig, out.new_bytes);
        if record
            && self.record(p, from_orig, states, &out, max_events)
            && let Some(o) = options
        {
            self.options.push(*o);
        }
        out.analysis
    }

    /// Packets and IP bytes both ways; payload bytes for protocols other
    /// than TCP (whose bytes are counted in sequence space, retransmitted
    /// bytes once, as Zeek's orig_bytes/resp_bytes).
    fn count(&mut self, p: &FlowPacket, from_orig: bool) {
        self.last = p.ts;
        let bytes = if self.tcp.is_some() {
            0
        } else {
            p.payload_len as u64
        };
        if from_orig {
            self.orig_pkts += 1;
            self.orig_bytes += bytes;
            self.orig_ip_bytes += p.ip_len as u64;
        } else {
            self.resp_pkts += 1;
            self.resp_bytes += bytes;
            self.resp_ip_bytes += p.ip_len as u64;
        }
    }

    fn count_tcp_payload(&mut self, from_orig: bool, new_bytes: u32) {
        if from_orig {
            self.orig_bytes += new_bytes as u64;
        } else {
            self.resp_bytes += new_bytes as u64;
        }
    }

    /// The segment's timeline event, with both sides' states after it
    /// (false when the per-flow limit left it out). A
    /// refused SYN and a simultaneous close rewrite what the sender's
    /// column showed before (see [`super::tcp::state::StepNotes`]).
    fn record(
        &mut self,
        p: &FlowPacket,
        from_orig: bool,
        mut states: [TcpState; 2],
        out: &SegmentOutcome,
        max_events: usize,
    ) -> bool {
        if self.events.len() >= max_events {
            self.events_dropped += 1;
            return false;
        }
        let tx = if from_orig { 0 } else { 1 };
        let rewrite = |events: &mut [Event], from: TcpState, to: TcpState| {
            for e in events.iter_mut().rev() {
                if e.states[tx] != from {
                    break;
                }
                e.states[tx] = to;
            }
        };
        if out.notes.refused {
            rewrite(&mut self.events, TcpState::SynRcvd, TcpState::Closed);
        }
        if out.notes.simultaneous_close {
            rewrite(&mut self.events, TcpState::CloseWait, TcpState::Established);
            states[tx] = TcpState::FinWait1;
        }
        self.events.push(Event {
            ts: p.ts,
            from_orig,
            flags: p.flags,
            seq: p.seq,
            ack: p.ack,
            len: p.payload_len,
            window: p.window,
            states,
            analysis: out.analysis,
        });
        true
    }
}
