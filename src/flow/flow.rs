//! One flow: counters both ways, and for TCP both sides' state machines,
//! sequence analysis, Zeek history, handshake times and (optionally) the
//! timeline events.

use super::key::{Endpoint, FlowPacket, Proto, tcp_flags as tf};
use super::tcp::analysis::{self, AnaSeg, Analysis, AnalysisCounters, SeqInfo};
use super::tcp::state::{self as tcp, Seg, SideMachine, TcpState};
use super::tcp::zeek::{self as history, HistSide, History, ZeekEndpoint};
use crate::packet::Timestamp;

/// Why a flow left the live table (or that it had not when the input ended).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowEnd {
    /// Still in the table at the end of the input.
    Open,
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
            FlowEnd::Idle => "idle",
            FlowEnd::Evicted => "evicted",
            FlowEnd::Reused => "reused",
        }
    }
}

/// One segment of a TCP timeline, recorded only when `record_events` is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub ts: Timestamp,
    pub from_orig: bool,
    pub flags: u8,
    /// Raw sequence and acknowledgment numbers (the printer makes them relative).
    pub seq: u32,
    pub ack: u32,
    pub len: u32,
    pub window: u16,
    /// Originator's and responder's state after this segment.
    pub states: [TcpState; 2],
    pub analysis: Analysis,
}

/// One TCP endpoint of a flow.
#[derive(Clone, Copy, Debug)]
pub struct TcpSide {
    pub machine: SideMachine,
    pub seq: SeqInfo,
    pub hist: HistSide,
    pub zeek: ZeekEndpoint,
    /// Base for relative sequence numbers (ISN, or seq-1 / peer's ack-1 when no SYN was seen).
    pub base_seq: Option<u32>,
    /// SYNs without ACK this side sent, retransmissions included.
    pub syns: u32,
    /// Sequence number after this side's highest payload byte (for byte counts).
    pub data_end: Option<u32>,
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

impl TcpInfo {
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
    pub tcp: TcpInfo,
    pub events: Vec<Event>,
    /// Segments not recorded because the per-flow event limit was reached.
    pub events_dropped: u64,
    /// Key order: is the originator the key's `lo` endpoint?
    pub(crate) orig_is_lo: bool,
}

impl Flow {
    pub(crate) fn new(uid: u64, p: &FlowPacket, from_lo: bool) -> Flow {
        let src = Endpoint::new(p.src, p.sport);
        let dst = Endpoint::new(p.dst, p.dport);
        let synack = p.proto == Proto::Tcp && p.has(tf::SYN) && p.has(tf::ACK);
        let (orig, resp, orig_is_lo) = if synack {
            (dst, src, !from_lo)
        } else {
            (src, dst, from_lo)
        };
        let mut f = Flow {
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
            mid_stream: false,
            flipped: synack,
            end: FlowEnd::Open,
            tcp: TcpInfo::default(),
            events: Vec::new(),
            events_dropped: 0,
            orig_is_lo,
        };
        if p.proto == Proto::Tcp {
            if synack {
                // We missed the SYN: the originator must have sent one that this acknowledges.
                f.tcp.history.push(b'^');
                let o = &mut f.tcp.sides[0].machine;
                o.state = TcpState::SynSent;
                o.syn_end = Some(p.ack);
            } else if !p.has(tf::SYN) {
                f.mid_stream = true;
                let [o, r] = &mut f.tcp.sides;
                tcp::pick_up_mid_stream(&mut o.machine, &mut r.machine);
            }
        }
        f
    }

    /// The table key of this flow.
    pub fn key(&self) -> super::key::FlowKey {
        let (lo, hi) = if self.orig_is_lo {
            (self.orig, self.resp)
        } else {
            (self.resp, self.orig)
        };
        super::key::FlowKey {
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

    /// Zeek's conn_state (TCP), or "OTH"/"S0"/"SF" style for UDP and ICMP as Zeek does.
    pub fn conn_state(&self) -> &'static str {
        if self.proto == Proto::Tcp {
            let [o, r] = &self.tcp.sides;
            history::conn_state(
                o.zeek,
                r.zeek,
                self.tcp.history.as_str(),
                self.orig_bytes,
                self.resp_bytes,
            )
        } else if self.resp_pkts > 0 {
            // Zeek: UDP/ICMP with traffic both ways is SF; one way only is S0.
            "SF"
        } else {
            "S0"
        }
    }

    /// The history string (TCP); for UDP/ICMP Zeek's `D`/`d` once per direction.
    pub fn history(&self) -> String {
        if self.proto == Proto::Tcp {
            return self.tcp.history.as_str().to_string();
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

    pub fn orig_state(&self) -> TcpState {
        self.tcp.sides[0].machine.state
    }
    pub fn resp_state(&self) -> TcpState {
        self.tcp.sides[1].machine.state
    }

    /// The TCP connection is over: both ends CLOSED or TIME_WAIT.
    pub fn tcp_finished(&self) -> bool {
        let done = |s: TcpState| matches!(s, TcpState::Closed | TcpState::TimeWait);
        self.proto == Proto::Tcp
            && done(self.orig_state())
            && done(self.resp_state())
            && (self.tcp.sides[0].syns > 0 || self.tcp.sides[0].zeek != ZeekEndpoint::Inactive)
    }

    /// Account one packet; TCP segments go through the state machines and the analysis.
    pub(crate) fn update(
        &mut self,
        p: &FlowPacket,
        from_orig: bool,
        record: bool,
        max_events: usize,
    ) -> Analysis {
        self.last = p.ts;
        // TCP payload bytes are counted in sequence space below (retransmitted
        // bytes once, as Zeek's orig_bytes/resp_bytes); other protocols here.
        let bytes = if self.proto == Proto::Tcp {
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
        if self.proto != Proto::Tcp {
            return Analysis::default();
        }
        let t = &mut self.tcp;
        let ti = if from_orig { 0 } else { 1 };
        if p.bad_checksum {
            // Like Zeek: count it, and do not let a corrupt segment move any state.
            t.bad_checksums += 1;
            let side = &mut t.sides[ti].hist;
            side.scaled(&mut t.history, 0, from_orig);
            return Analysis::default();
        }
        let (syn, ackf, fin, rst) = (
            p.has(tf::SYN),
            p.has(tf::ACK),
            p.has(tf::FIN),
            p.has(tf::RST),
        );

        // Handshake times.
        if syn && !ackf && from_orig && t.synack_ts.is_none() {
            t.syn_ts = Some(p.ts);
        } else if syn && ackf && !from_orig && t.synack_ts.is_none() {
            t.synack_ts = Some(p.ts);
        } else if !syn && ackf && from_orig && t.synack_ts.is_some() && t.ack_ts.is_none() {
            t.ack_ts = Some(p.ts);
        }

        let first_rtt = t.handshake_ns().unwrap_or(0);
        let [s0, s1] = &mut t.sides;
        let (tx, rx) = if from_orig { (s0, s1) } else { (s1, s0) };
        if tx.base_seq.is_none() {
            tx.base_seq = Some(if syn { p.seq } else { p.seq.wrapping_sub(1) });
        }
        if ackf && rx.base_seq.is_none() {
            rx.base_seq = Some(p.ack.wrapping_sub(1));
        }
        if syn && !ackf {
            tx.syns += 1;
        }

        // RFC 793 states of both sides.
        let seg = Seg {
            seq: p.seq,
            ack: p.ack,
            syn,
            ack_flag: ackf,
            fin,
            rst,
            len: p.payload_len,
        };
        let tx_before = tx.machine.state;
        // A side that answers a SYN with RST and never sent a SYN of its own
        // had no listener: it never left CLOSED (the timeline showed the
        // SYN_RCVD a listening port would have entered).
        let refused = rst && tx_before == TcpState::SynRcvd && tx.machine.syn_end.is_none();
        tcp::step(&mut tx.machine, &mut rx.machine, &seg);
        // A FIN from a side we showed in CLOSE_WAIT that does not acknowledge
        // the peer's FIN was sent before that FIN arrived: a simultaneous
        // close. Seen from the capture point the peer's FIN came first, but
        // this side was still ESTABLISHED and now goes FIN_WAIT_1 (then
        // CLOSING, where the machine already is). Fix what the timeline shows.
        let simultaneous_close =
            tx_before == TcpState::CloseWait && tx.machine.state == TcpState::Closing;

        // Zeek's endpoint view (what each side sent).
        tx.zeek = match tx.zeek {
            _ if rst => ZeekEndpoint::Reset,
            ZeekEndpoint::Reset => ZeekEndpoint::Reset,
            _ if fin => ZeekEndpoint::Closed,
            ZeekEndpoint::Closed => ZeekEndpoint::Closed,
            ZeekEndpoint::Inactive if syn && !ackf => ZeekEndpoint::SynSent,
            ZeekEndpoint::Inactive | ZeekEndpoint::SynSent | ZeekEndpoint::Partial
                if syn && ackf =>
            {
                ZeekEndpoint::SynAckSent
            }
            ZeekEndpoint::Inactive => ZeekEndpoint::Partial,
            z => z,
        };
        // Both sides sent their SYN: the handshake happened as far as Zeek's
        // endpoint states go (FIN and RST still take precedence).
        let opened = |z| {
            matches!(
                z,
                ZeekEndpoint::SynSent | ZeekEndpoint::SynAckSent | ZeekEndpoint::Established
            )
        };
        if opened(tx.zeek) && opened(rx.zeek) {
            tx.zeek = ZeekEndpoint::Established;
            rx.zeek = ZeekEndpoint::Established;
        }

        // History letters.
        tx.hist
            .update(&mut t.history, from_orig, p.flags, p.seq, p.payload_len);

        // Wireshark's analysis.
        let aseg = AnaSeg {
            ts: p.ts,
            seq: p.seq,
            ack: p.ack,
            len: p.payload_len,
            syn,
            fin,
            rst,
            ack_flag: ackf,
            window: p.window,
            wscale: p.wscale,
        };
        // Payload bytes in sequence space, as Zeek counts them: how far this
        // side's highest data byte has advanced from its first one (after the
        // SYN if seen). Retransmissions add nothing; holes count once passed.
        let mut new_bytes = 0u32;
        if p.payload_len > 0 {
            let end = p.seq.wrapping_add(p.payload_len);
            let hi = *tx
                .data_end
                .get_or_insert(tx.machine.syn_end.unwrap_or(p.seq));
            if tcp::seq_gt(end, hi) {
                new_bytes = end.wrapping_sub(hi);
                tx.data_end = Some(end);
            }
        }
        let a = analysis::analyze(&mut tx.seq, &mut rx.seq, &aseg, first_rtt);
        use analysis::bits;
        if a.has(bits::LOST_SEGMENT) {
            tx.hist.scaled(&mut t.history, 1, from_orig);
        }
        if p.payload_len > 0
            && a.flags
                & (bits::RETRANSMISSION | bits::FAST_RETRANSMISSION | bits::SPURIOUS_RETRANSMISSION)
                != 0
        {
            tx.hist.scaled(&mut t.history, 2, from_orig);
        }
        if a.has(bits::ZERO_WINDOW) {
            tx.hist.scaled(&mut t.history, 3, from_orig);
        }
        t.counters.add(&a);
        if from_orig {
            self.orig_bytes += new_bytes as u64;
        } else {
            self.resp_bytes += new_bytes as u64;
        }

        if record {
            if self.events.len() < max_events {
                let mut states = [t.sides[0].machine.state, t.sides[1].machine.state];
                let tx_i = if from_orig { 0 } else { 1 };
                if refused {
                    for e in self.events.iter_mut().rev() {
                        if e.states[tx_i] != TcpState::SynRcvd {
                            break;
                        }
                        e.states[tx_i] = TcpState::Closed;
                    }
                }
                if simultaneous_close {
                    for e in self.events.iter_mut().rev() {
                        if e.states[tx_i] != TcpState::CloseWait {
                            break;
                        }
                        e.states[tx_i] = TcpState::Established;
                    }
                    states[tx_i] = TcpState::FinWait1;
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
                    analysis: a,
                });
            } else {
                self.events_dropped += 1;
            }
        }
        a
    }
}
