//! Per-side RFC 793 state, inferred at the capture point: [`TcpState`]
//! (with the one-line meaning the timeline legend prints), each side's
//! [`SideMachine`], and [`apply`], the step one segment makes.
//!
//! A segment from X to Y moves X by what X *sent* (SYN, FIN, RST) and moves Y
//! by what Y *received* (SYN, an ACK covering Y's SYN or FIN, a FIN, a RST).
//! We assume the receiver gets what we saw: the capture point is usually one of
//! the two hosts, and a lost segment shows up again as a retransmission.

use crate::decode::flow_view::FlowPacket;
use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_seq::SeqNumber;
use std::fmt;

/// RFC 793 connection states (LISTEN is never inferred: a listener is
/// invisible on the wire until it answers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum TcpState {
    #[default]
    Closed,
    SynSent,
    SynRcvd,
    Established,
    FinWait1,
    FinWait2,
    Closing,
    TimeWait,
    CloseWait,
    LastAck,
}

impl TcpState {
    /// The RFC's name, as printed everywhere.
    pub fn name(self) -> &'static str {
        match self {
            TcpState::Closed => "CLOSED",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynRcvd => "SYN_RCVD",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN_WAIT_1",
            TcpState::FinWait2 => "FIN_WAIT_2",
            TcpState::Closing => "CLOSING",
            TcpState::TimeWait => "TIME_WAIT",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::LastAck => "LAST_ACK",
        }
    }

    /// Every state, in the order the timeline legend explains them: the
    /// opening states, the closing ones, and CLOSED last.
    pub const LEGEND_ORDER: [TcpState; 10] = [
        TcpState::SynSent,
        TcpState::SynRcvd,
        TcpState::Established,
        TcpState::FinWait1,
        TcpState::FinWait2,
        TcpState::Closing,
        TcpState::TimeWait,
        TcpState::CloseWait,
        TcpState::LastAck,
        TcpState::Closed,
    ];

    /// What the state means, in one line (the timeline legend).
    pub fn meaning(self) -> &'static str {
        match self {
            TcpState::SynSent => "sent a SYN, waiting for the SYN/ACK",
            TcpState::SynRcvd => "got a SYN and answered SYN/ACK, waiting for the ACK",
            TcpState::Established => "handshake done: data flows both ways",
            TcpState::FinWait1 => "closed first: sent FIN, not yet acknowledged",
            TcpState::FinWait2 => "our FIN is acknowledged; waiting for the peer's FIN",
            TcpState::Closing => "both sent FIN at once; waiting for the ACK of ours",
            TcpState::TimeWait => {
                "closed first and saw both FINs: waits 2*MSL so stray segments die"
            }
            TcpState::CloseWait => "the peer closed; we may still send, then close",
            TcpState::LastAck => "closed second: sent FIN, waiting for its ACK",
            TcpState::Closed => "no connection (never opened, refused, reset or finished)",
        }
    }

    /// True once this side can no longer send data (sent its FIN or is closed).
    pub fn is_closing(self) -> bool {
        matches!(
            self,
            TcpState::FinWait1
                | TcpState::FinWait2
                | TcpState::Closing
                | TcpState::TimeWait
                | TcpState::LastAck
        )
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// What one side has done, as far as the state machine needs it.
#[derive(Clone, Copy, Debug, Default)]
pub struct SideMachine {
    pub state: TcpState,
    /// Sequence number just after this side's SYN, once it sent one.
    pub syn_end: Option<SeqNumber>,
    /// Sequence number just after this side's FIN, once it sent one.
    pub fin_end: Option<SeqNumber>,
    /// This side passed through TIME_WAIT.
    pub entered_time_wait: bool,
}

/// The segment fields the state machine looks at.
#[derive(Clone, Copy, Debug)]
pub struct Seg {
    pub seq: SeqNumber,
    pub ack: SeqNumber,
    pub syn: bool,
    pub ack_flag: bool,
    pub fin: bool,
    pub rst: bool,
    pub len: u32,
}

impl Seg {
    pub fn of(p: &FlowPacket) -> Seg {
        Seg {
            seq: p.seq,
            ack: p.ack,
            syn: p.has(TcpFlags::SYN),
            ack_flag: p.has(TcpFlags::ACK),
            fin: p.has(TcpFlags::FIN),
            rst: p.has(TcpFlags::RST),
            len: p.payload_len,
        }
    }
    /// Sequence number after this segment (SYN and FIN count one each).
    pub fn end(&self) -> SeqNumber {
        self.seq
            .add(self.len)
            .add(self.syn as u32 + self.fin as u32)
    }
}

/// What a step did that the timeline shows differently from the machine's
/// own walk (see [`apply`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepNotes {
    /// The sender answered a SYN with RST and never sent a SYN of its own:
    /// it had no listener and never left CLOSED (the timeline showed the
    /// SYN_RCVD a listening port would have entered).
    pub refused: bool,
    /// A FIN from a side shown in CLOSE_WAIT that does not acknowledge the
    /// peer's FIN was sent before that FIN arrived: a simultaneous close.
    /// Seen from the capture point the peer's FIN came first, but this side
    /// was still ESTABLISHED and went FIN_WAIT_1 (then CLOSING, where the
    /// machine already is).
    pub simultaneous_close: bool,
}

/// [`step`], and what the timeline needs to know about it.
pub fn apply(tx: &mut SideMachine, rx: &mut SideMachine, s: &Seg) -> StepNotes {
    let before = tx.state;
    let refused = s.rst && before == TcpState::SynRcvd && tx.syn_end.is_none();
    step(tx, rx, s);
    StepNotes {
        refused,
        simultaneous_close: before == TcpState::CloseWait && tx.state == TcpState::Closing,
    }
}

/// A capture that starts mid-stream: both sides are taken as ESTABLISHED
/// before the first segment is applied.
pub fn pick_up_mid_stream(a: &mut SideMachine, b: &mut SideMachine) {
    a.state = TcpState::Established;
    b.state = TcpState::Established;
}

/// Apply one segment from `tx` to `rx`.
pub fn step(tx: &mut SideMachine, rx: &mut SideMachine, s: &Seg) {
    use TcpState::*;
    // A RST closes both ends at once (RFC 793: the receiver of an acceptable
    // RST goes to CLOSED from any state; the sender has already aborted).
    if s.rst {
        tx.state = Closed;
        rx.state = Closed;
        return;
    }
    // --- what the sender did ---
    if s.syn {
        tx.syn_end = Some(s.seq.add(1));
        tx.state = match (tx.state, s.ack_flag) {
            // A fresh (or retransmitted) active open.
            (Closed | SynSent | TimeWait, false) => SynSent,
            // SYN/ACK: passive open answering, or the second half of a simultaneous open.
            (Closed | SynSent | SynRcvd, true) => SynRcvd,
            (st, _) => st,
        };
    }
    if s.fin {
        tx.fin_end = Some(s.end());
        // A FIN that does not acknowledge the peer's FIN was sent before that
        // FIN arrived: a simultaneous close, so the sender was in FIN_WAIT_1
        // and the peer's FIN already took it to CLOSING.
        let acks_peer_fin = rx.fin_end.is_some_and(|e| s.ack_flag && s.ack.is_ge(e));
        tx.state = match tx.state {
            Established | SynRcvd => FinWait1,
            CloseWait if acks_peer_fin => LastAck,
            CloseWait => Closing,
            st => st,
        };
    }
    // --- what the receiver got: first the ACK, then the SYN and FIN ---
    if s.ack_flag {
        if rx.syn_end.is_some_and(|end| s.ack.is_ge(end)) {
            rx.state = match rx.state {
                // SYN_SENT receiving SYN/ACK, or SYN_RCVD receiving the final ACK.
                SynSent if s.syn => Established,
                SynRcvd => Established,
                st => st,
            };
        }
        if rx.fin_end.is_some_and(|end| s.ack.is_ge(end)) {
            rx.state = match rx.state {
                FinWait1 => FinWait2,
                Closing => {
                    rx.entered_time_wait = true;
                    TimeWait
                }
                LastAck => Closed,
                st => st,
            };
        }
    }
    if s.syn {
        rx.state = match rx.state {
            // A SYN to a silent peer: it is (or becomes) SYN_RCVD; in a
            // simultaneous open, SYN_SENT receiving a bare SYN does the same.
            Closed | TimeWait if !s.ack_flag => SynRcvd,
            SynSent if !s.ack_flag => SynRcvd,
            st => st,
        };
    }
    if s.fin {
        rx.state = match rx.state {
            Established | SynRcvd => CloseWait,
            FinWait1 => Closing,
            FinWait2 => {
                rx.entered_time_wait = true;
                TimeWait
            }
            st => st,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TcpState::*;

    fn seg(seq: u32, ack: u32, flags: &str, len: u32) -> Seg {
        Seg {
            seq: SeqNumber(seq),
            ack: SeqNumber(ack),
            syn: flags.contains('S'),
            ack_flag: flags.contains('.'),
            fin: flags.contains('F'),
            rst: flags.contains('R'),
            len,
        }
    }

    #[test]
    fn normal_open_and_close_walks_every_state() {
        let (mut c, mut s) = (SideMachine::default(), SideMachine::default());
        let mut got = vec![];
        let steps = [
            (true, seg(100, 0, "S", 0)),
            (false, seg(500, 101, "S.", 0)),
            (true, seg(101, 501, ".", 0)),
            (true, seg(101, 501, "F.", 0)),
            (false, seg(501, 102, ".", 0)),
            (false, seg(501, 102, "F.", 0)),
            (true, seg(102, 502, ".", 0)),
        ];
        for (from_c, sg) in steps {
            if from_c {
                step(&mut c, &mut s, &sg)
            } else {
                step(&mut s, &mut c, &sg)
            }
            got.push((c.state, s.state));
        }
        assert_eq!(
            got,
            vec![
                (SynSent, SynRcvd),
                (Established, SynRcvd),
                (Established, Established),
                (FinWait1, CloseWait),
                (FinWait2, CloseWait),
                (TimeWait, LastAck),
                (TimeWait, Closed),
            ]
        );
        assert!(c.entered_time_wait && !s.entered_time_wait);
    }

    #[test]
    fn every_state_has_a_legend_line() {
        for st in TcpState::LEGEND_ORDER {
            assert!(!st.meaning().is_empty());
        }
        let all: std::collections::HashSet<_> = TcpState::LEGEND_ORDER.into_iter().collect();
        assert_eq!(all.len(), 10);
    }
}
