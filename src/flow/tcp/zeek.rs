//! Zeek's view of a TCP connection, so our summary lines up with conn.log
//! (rules from zeek/zeek `scripts/base/protocols/conn/main.zeek` and the TCP
//! analyzer): each endpoint's [`ZeekEndpoint`] state (what it sent), the
//! [`History`] letters, and the [`ConnState`] they add up to.
//!
//! History: upper case for the originator, lower for the responder.
//! `s` SYN · `h` SYN+ACK · `a` pure ACK · `d` payload · `f` FIN · `r` RST ·
//! `c` bad checksum · `g` content gap · `t` retransmitted payload · `w` zero
//! window · `i` inconsistent (FIN+RST) · `q` multi-flag (SYN+FIN, SYN+RST) ·
//! `^` direction flipped. Repeats: `a d i q` once per direction; `f h r s`
//! again only when the sequence number differs from the last one with that
//! flag; `c g t w` at the 1st, 10th, 100th … occurrence.

use super::analysis::{self, Analysis};
use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_seq::SeqNumber;
use std::fmt;

/// Zeek's per-endpoint view (what this endpoint *sent*), which `conn_state` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ZeekEndpoint {
    #[default]
    Inactive,
    SynSent,
    SynAckSent,
    /// Sent something, but we never saw its SYN (mid-stream).
    Partial,
    Established,
    /// Sent a FIN.
    Closed,
    /// Sent a RST.
    Reset,
}

impl ZeekEndpoint {
    fn opened(self) -> bool {
        matches!(
            self,
            ZeekEndpoint::SynSent | ZeekEndpoint::SynAckSent | ZeekEndpoint::Established
        )
    }
}

/// One segment with `flags` sent by `tx` to `rx`: move both endpoint views.
pub fn step(tx: &mut ZeekEndpoint, rx: &mut ZeekEndpoint, flags: TcpFlags) {
    use ZeekEndpoint::*;
    let (syn, ack) = (flags.contains(TcpFlags::SYN), flags.contains(TcpFlags::ACK));
    *tx = match *tx {
        _ if flags.contains(TcpFlags::RST) => Reset,
        Reset => Reset,
        _ if flags.contains(TcpFlags::FIN) => Closed,
        Closed => Closed,
        Inactive if syn && !ack => SynSent,
        Inactive | SynSent | Partial if syn && ack => SynAckSent,
        Inactive => Partial,
        z => z,
    };
    // Both sides sent their SYN: the handshake happened as far as Zeek's
    // endpoint states go (FIN and RST still take precedence).
    if tx.opened() && rx.opened() {
        *tx = Established;
        *rx = Established;
    }
}

/// Bounded inline history string: no allocation per flow or per packet.
#[derive(Clone, Copy, Debug)]
pub struct History {
    buf: [u8; HISTORY_CAP],
    len: u8,
}

const HISTORY_CAP: usize = 30;

impl Default for History {
    fn default() -> Self {
        History {
            buf: [0; HISTORY_CAP],
            len: 0,
        }
    }
}

impl History {
    pub fn as_str(&self) -> &str {
        // Only ASCII letters and '^' are ever pushed.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
    /// Append a letter; a full history keeps its first letters (Zeek keeps
    /// growing, but past 30 letters the start is what an analyst reads).
    pub fn push(&mut self, c: u8) {
        if (self.len as usize) < HISTORY_CAP {
            self.buf[self.len as usize] = c;
            self.len += 1;
        }
    }
}

/// History bookkeeping for one direction (32 bytes: one per flow side, so kept small).
#[derive(Clone, Copy, Debug, Default)]
pub struct HistSide {
    /// Letters already recorded once (bit per letter a..z), plus bits 26..28:
    /// a last SYN / FIN / RST sequence number is stored.
    once: u32,
    last_syn: SeqNumber,
    last_fin: SeqNumber,
    last_rst: SeqNumber,
    /// Occurrence counts of the scaled letters c g t w.
    counts: [u32; 4],
}

const HAS_SYN: u32 = 1 << 26;
const HAS_FIN: u32 = 1 << 27;
const HAS_RST: u32 = 1 << 28;

/// 1, 10, 100, … : where a scaled letter is recorded again.
fn is_power_of_ten(mut n: u32) -> bool {
    if n == 0 {
        return false;
    }
    while n.is_multiple_of(10) {
        n /= 10;
    }
    n == 1
}

/// The letters Zeek records at the 1st, 10th, 100th … occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scaled {
    /// `c`: bad checksum.
    BadChecksum,
    /// `g`: content gap.
    Gap,
    /// `t`: retransmitted payload.
    Retransmission,
    /// `w`: zero window.
    ZeroWindow,
}

impl Scaled {
    fn letter(self) -> u8 {
        match self {
            Scaled::BadChecksum => b'c',
            Scaled::Gap => b'g',
            Scaled::Retransmission => b't',
            Scaled::ZeroWindow => b'w',
        }
    }
}

fn letter(c: u8, orig: bool) -> u8 {
    if orig { c.to_ascii_uppercase() } else { c }
}

impl HistSide {
    /// Record `c` if this direction has not recorded it yet; returns true if
    /// it was already there (Zeek's `CheckHistory`).
    fn check(&mut self, h: &mut History, c: u8, orig: bool) -> bool {
        let bit = 1u32 << (c - b'a');
        if self.once & bit != 0 {
            return true;
        }
        self.once |= bit;
        h.push(letter(c, orig));
        false
    }

    /// Record a scaled letter (`c g t w`) at its 1st, 10th, 100th … occurrence.
    pub fn scaled(&mut self, h: &mut History, which: Scaled, orig: bool) {
        let Some(n) = self.counts.get_mut(which as usize) else {
            return;
        };
        *n = n.saturating_add(1);
        if is_power_of_ten(*n) {
            h.push(letter(which.letter(), orig));
        }
    }

    /// The letters Wireshark's analysis of a segment gives: `g` for a
    /// segment after a gap, `t` for retransmitted payload, `w` for a zero
    /// window.
    pub fn after_analysis(&mut self, h: &mut History, a: &Analysis, len: u32, orig: bool) {
        use analysis::bits;
        if a.has(bits::LOST_SEGMENT) {
            self.scaled(h, Scaled::Gap, orig);
        }
        let retransmitted =
            bits::RETRANSMISSION | bits::FAST_RETRANSMISSION | bits::SPURIOUS_RETRANSMISSION;
        if len > 0 && a.flags & retransmitted != 0 {
            self.scaled(h, Scaled::Retransmission, orig);
        }
        if a.has(bits::ZERO_WINDOW) {
            self.scaled(h, Scaled::ZeroWindow, orig);
        }
    }

    /// Remember `seq` for one of the repeat-checked flags; true if it differs
    /// from the stored one (or none was stored).
    fn new_seq(&mut self, has: u32, seq: SeqNumber) -> bool {
        let slot = match has {
            HAS_SYN => &mut self.last_syn,
            HAS_FIN => &mut self.last_fin,
            _ => &mut self.last_rst,
        };
        let differs = self.once & has == 0 || *slot != seq;
        *slot = seq;
        self.once |= has;
        differs
    }

    /// Zeek's per-packet update from the flags, the sequence number and the payload length.
    pub fn update(
        &mut self,
        h: &mut History,
        orig: bool,
        flags: TcpFlags,
        seq: SeqNumber,
        len: u32,
    ) {
        let (syn, ack, fin, rst) = (
            flags.contains(TcpFlags::SYN),
            flags.contains(TcpFlags::ACK),
            flags.contains(TcpFlags::FIN),
            flags.contains(TcpFlags::RST),
        );
        let bits_set = syn as u8 + fin as u8 + rst as u8;
        if bits_set > 1 {
            if fin && rst {
                self.check(h, b'i', orig);
            } else {
                self.check(h, b'q', orig);
            }
        } else if bits_set == 1 {
            if syn {
                let c = if ack { b'h' } else { b's' };
                let seen = self.check(h, c, orig);
                if self.new_seq(HAS_SYN, seq) && seen {
                    h.push(letter(c, orig));
                }
            }
            if fin {
                // A FIN's sequence number is the one after its data.
                let at = seq.add(len);
                let seen = self.check(h, b'f', orig);
                if self.new_seq(HAS_FIN, at) && seen {
                    h.push(letter(b'f', orig));
                }
            }
            if rst {
                let seen = self.check(h, b'r', orig);
                if self.new_seq(HAS_RST, seq) && seen {
                    h.push(letter(b'r', orig));
                }
            }
        } else if len > 0 {
            self.check(h, b'd', orig);
        } else if ack {
            self.check(h, b'a', orig);
        }
    }
}

/// Zeek's `conn_state`: how a connection went, in one word.
// The variants are Zeek's own names, upper case as conn.log prints them.
#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConnState {
    S0,
    S1,
    SF,
    REJ,
    S2,
    S3,
    RSTO,
    RSTR,
    RSTOS0,
    RSTRH,
    SH,
    SHR,
    OTH,
}

impl ConnState {
    /// Zeek's name, as conn.log prints it.
    pub fn name(self) -> &'static str {
        match self {
            ConnState::S0 => "S0",
            ConnState::S1 => "S1",
            ConnState::SF => "SF",
            ConnState::REJ => "REJ",
            ConnState::S2 => "S2",
            ConnState::S3 => "S3",
            ConnState::RSTO => "RSTO",
            ConnState::RSTR => "RSTR",
            ConnState::RSTOS0 => "RSTOS0",
            ConnState::RSTRH => "RSTRH",
            ConnState::SH => "SH",
            ConnState::SHR => "SHR",
            ConnState::OTH => "OTH",
        }
    }

    /// What it means, for the timeline's closing line.
    pub fn description(self) -> &'static str {
        match self {
            ConnState::S0 => "connection attempt, no reply",
            ConnState::S1 => "established, not closed",
            ConnState::SF => "normal establishment and termination",
            ConnState::REJ => "connection attempt rejected",
            ConnState::S2 => "established, originator closed, no reply",
            ConnState::S3 => "established, responder closed, no reply",
            ConnState::RSTO => "originator aborted (RST)",
            ConnState::RSTR => "responder aborted (RST)",
            ConnState::RSTOS0 => "originator sent SYN then RST, no SYN/ACK",
            ConnState::RSTRH => "responder sent SYN/ACK then RST, no SYN seen",
            ConnState::SH => "originator sent SYN then FIN, no SYN/ACK",
            ConnState::SHR => "responder sent SYN/ACK then FIN, no SYN seen",
            ConnState::OTH => "no SYN seen, mid-stream traffic",
        }
    }
}

impl fmt::Display for ConnState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Zeek's `conn_state` from both endpoints' views, the history and the payload sizes.
pub fn conn_state(
    os: ZeekEndpoint,
    rs: ZeekEndpoint,
    history: &str,
    orig_bytes: u64,
    resp_bytes: u64,
) -> ConnState {
    use ConnState::*;
    use ZeekEndpoint::*;
    let o_inactive = matches!(os, Inactive | Partial);
    let r_inactive = matches!(rs, Inactive | Partial);
    if rs == Reset {
        if matches!(os, SynSent | SynAckSent) || (os == Reset && orig_bytes == 0 && resp_bytes == 0)
        {
            REJ
        } else if o_inactive {
            RSTRH
        } else {
            RSTR
        }
    } else if os == Reset {
        if r_inactive {
            if syn_then_reset(history) { RSTOS0 } else { OTH }
        } else {
            RSTO
        }
    } else if rs == Closed && os == Closed {
        SF
    } else if os == Closed {
        if r_inactive { SH } else { S2 }
    } else if rs == Closed {
        if o_inactive { SHR } else { S3 }
    } else if os == SynSent && rs == Inactive {
        S0
    } else if os == Established && rs == Established {
        S1
    } else {
        OTH
    }
}

/// Zeek's pattern `^?S[^HAFGIQ]*R.*`: the originator's SYN, then its RST,
/// with no SYN/ACK, ACK, FIN, gap, or odd flags from it in between.
fn syn_then_reset(h: &str) -> bool {
    let h = h.strip_prefix('^').unwrap_or(h);
    let Some(rest) = h.strip_prefix('S') else {
        return false;
    };
    for c in rest.chars() {
        match c {
            'R' => return true,
            'H' | 'A' | 'F' | 'G' | 'I' | 'Q' => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_syn_with_same_seq_is_one_letter_new_seq_is_another() {
        let (mut h, mut o) = (History::default(), HistSide::default());
        let syn = TcpFlags::SYN;
        o.update(&mut h, true, syn, SeqNumber(100), 0);
        o.update(&mut h, true, syn, SeqNumber(100), 0);
        assert_eq!(h.as_str(), "S");
        o.update(&mut h, true, syn, SeqNumber(900), 0);
        assert_eq!(h.as_str(), "SS");
    }

    #[test]
    fn scaled_letters_at_powers_of_ten() {
        let (mut h, mut o) = (History::default(), HistSide::default());
        for _ in 0..100 {
            o.scaled(&mut h, Scaled::Retransmission, false);
        }
        assert_eq!(h.as_str(), "ttt");
    }

    #[test]
    fn rstos0_pattern() {
        assert!(syn_then_reset("SR"));
        assert!(syn_then_reset("^SdR"));
        assert!(syn_then_reset("ShR"));
        assert!(!syn_then_reset("SAR"));
        assert_eq!(
            conn_state(ZeekEndpoint::Reset, ZeekEndpoint::Inactive, "SR", 0, 0),
            ConnState::RSTOS0
        );
        assert_eq!(
            conn_state(ZeekEndpoint::SynSent, ZeekEndpoint::Reset, "Sr", 0, 0),
            ConnState::REJ
        );
    }
}
