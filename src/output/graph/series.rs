//! A flow's recorded segments as the graphs read them: time since the
//! flow's first packet, sequence and acknowledgment numbers relative to
//! each side's initial sequence number, the window as the receiver applies
//! it (scaled), the TCP options when they were recorded, and which side is
//! the "data" side a time-sequence graph follows.

use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_seq::SeqNumber;
use crate::flow::tcp::analysis::bits;
use crate::flow::{Analysis, Flow, TcpInfo, TcpState};

/// One segment, ready to draw.
#[derive(Clone, Copy, Debug)]
pub struct Seg {
    /// Capture time, ns since the flow's first packet.
    pub t_ns: u64,
    pub from_orig: bool,
    pub flags: TcpFlags,
    /// Sequence number relative to the sender's ISN, and its end (+ length,
    /// + 1 for SYN and FIN).
    pub seq: u64,
    pub end: u64,
    /// Acknowledgment relative to the receiver's ISN (meaningful with ACK).
    pub ack: u64,
    pub len: u32,
    /// Advertised window in bytes (scaled once both SYNs agreed on scaling).
    pub win: u64,
    pub states: [TcpState; 2],
    pub analysis: Analysis,
    /// (TSval, TSecr) when options were recorded.
    pub timestamp: Option<(u32, u32)>,
    /// SACK blocks relative to the receiver's ISN (the data side's).
    pub sack: [(u64, u64); 4],
    pub sack_count: u8,
}

impl Seg {
    pub fn t(&self) -> f64 {
        self.t_ns as f64 / 1e9
    }
    pub fn has(&self, f: TcpFlags) -> bool {
        self.flags.contains(f)
    }
    /// Any retransmission kind Wireshark counts (plain, fast, spurious).
    pub fn is_retrans(&self) -> bool {
        self.analysis.has(bits::RETRANSMISSION)
            || self.analysis.has(bits::FAST_RETRANSMISSION)
            || self.analysis.has(bits::SPURIOUS_RETRANSMISSION)
    }
    pub fn sack_blocks(&self) -> &[(u64, u64)] {
        self.sack.get(..self.sack_count as usize).unwrap_or(&[])
    }
    /// The direction as the `data-dir` attribute writes it.
    pub fn dir(&self) -> &'static str {
        if self.from_orig { "c2s" } else { "s2c" }
    }
}

/// A TCP flow's segments and the facts around them.
pub struct Series<'a> {
    pub flow: &'a Flow,
    pub tcp: &'a TcpInfo,
    pub segs: Vec<Seg>,
    /// ns from the first to the last recorded segment.
    pub duration_ns: u64,
}

impl<'a> Series<'a> {
    /// `None` for a flow that is not TCP.
    pub fn of(flow: &'a Flow) -> Option<Series<'a>> {
        let tcp = flow.tcp()?;
        let rel = |raw: SeqNumber, side: usize| {
            let base = tcp.sides.get(side).and_then(|s| s.base_seq).unwrap_or(raw);
            raw.distance_from(base) as u64
        };
        let segs: Vec<Seg> = flow
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let (tx, rx) = if e.from_orig { (0, 1) } else { (1, 0) };
                let scale = tcp.sides.get(tx).map_or(0, |s| s.seq.win_scale);
                let win = if scale > 0 && !e.flags.contains(TcpFlags::SYN) {
                    (e.window as u64) << scale
                } else {
                    e.window as u64
                };
                let seq = rel(e.seq, tx);
                let ctl =
                    e.flags.contains(TcpFlags::SYN) as u64 + e.flags.contains(TcpFlags::FIN) as u64;
                let opts = flow.options.get(i);
                let mut sack = [(0u64, 0u64); 4];
                let mut sack_count = 0u8;
                if let Some(o) = opts {
                    for (slot, (l, r)) in sack.iter_mut().zip(o.sack_blocks()) {
                        *slot = (rel(SeqNumber(*l), rx), rel(SeqNumber(*r), rx));
                        sack_count += 1;
                    }
                }
                Seg {
                    t_ns: e.ts.0.saturating_sub(flow.first.0),
                    from_orig: e.from_orig,
                    flags: e.flags,
                    seq,
                    end: seq + e.len as u64 + ctl,
                    ack: rel(e.ack, rx),
                    len: e.len,
                    win,
                    states: e.states,
                    analysis: e.analysis,
                    timestamp: opts.and_then(|o| o.timestamp),
                    sack,
                    sack_count,
                }
            })
            .collect();
        let duration_ns = segs.last().map_or(0, |s| s.t_ns);
        Some(Series {
            flow,
            tcp,
            segs,
            duration_ns,
        })
    }

    /// The side that sent more payload (the originator on a tie): the one a
    /// time-sequence graph follows by default.
    pub fn data_from_orig(&self) -> bool {
        self.flow.orig_bytes >= self.flow.resp_bytes
    }

    /// "C3 10.0.0.1:5000 → 10.0.0.2:80", the graphs' headline.
    pub fn name(&self) -> String {
        format!("C{} {} → {}", self.flow.uid, self.flow.orig, self.flow.resp)
    }

    /// The endpoint sending in direction `from_orig`, and its peer.
    pub fn ends(&self, from_orig: bool) -> (String, String) {
        let (a, b) = (self.flow.orig.to_string(), self.flow.resp.to_string());
        if from_orig { (a, b) } else { (b, a) }
    }
}
