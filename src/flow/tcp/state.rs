//! Per-side RFC 793 state, inferred at the capture point.
//!
//! A segment from X to Y moves X by what X *sent* (SYN, FIN, RST) and moves Y
//! by what Y *received* (SYN, an ACK covering Y's SYN or FIN, a FIN, a RST).
//! We assume the receiver gets what we saw: the capture point is usually one of
//! the two hosts, and a lost segment shows up again as a retransmission.

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
    pub syn_end: Option<u32>,
    /// Sequence number just after this side's FIN, once it sent one.
    pub fin_end: Option<u32>,
    /// This side passed through TIME_WAIT.
    pub entered_time_wait: bool,
}

/// Sequence comparison modulo 2^32 (RFC 793 section 3.3).
pub fn seq_ge(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) >= 0
}
pub fn seq_gt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}
pub fn seq_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// The segment fields the state machine looks at.
#[derive(Clone, Copy, Debug)]
pub struct Seg {
    pub seq: u32,
    pub ack: u32,
    pub syn: bool,
    pub ack_flag: bool,
    pub fin: bool,
    pub rst: bool,
    pub len: u32,
}

impl Seg {
    /// Sequence number after this segment (SYN and FIN count one each).
    pub fn end(&self) -> u32 {
        self.seq
            .wrapping_add(self.len)
            .wrapping_add(self.syn as u32)
            .wrapping_add(self.fin as u32)
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
        tx.syn_end = Some(s.seq.wrapping_add(1));
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
        let acks_peer_fin = rx.fin_end.is_some_and(|e| s.ack_flag && seq_ge(s.ack, e));
        tx.state = match tx.state {
            Established | SynRcvd => FinWait1,
            CloseWait if acks_peer_fin => LastAck,
            CloseWait => Closing,
            st => st,
        };
    }
    // --- what the receiver got: first the ACK, then the SYN and FIN ---
    if s.ack_flag {
        if rx.syn_end.is_some_and(|end| seq_ge(s.ack, end)) {
            rx.state = match rx.state {
                // SYN_SENT receiving SYN/ACK, or SYN_RCVD receiving the final ACK.
                SynSent if s.syn => Established,
                SynRcvd => Established,
                st => st,
            };
        }
        if rx.fin_end.is_some_and(|end| seq_ge(s.ack, end)) {
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
            seq,
            ack,
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
    fn sequence_comparison_wraps() {
        assert!(seq_gt(5, u32::MAX - 5));
        assert!(seq_lt(u32::MAX, 0));
        assert!(seq_ge(7, 7));
    }
}
