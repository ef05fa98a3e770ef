//! Checksum offload detection, as Suricata's `checksum-validation: auto`
//! does it. A host that sends a packet often leaves its checksum to the
//! network card, so a raw socket on that host sees a partial checksum:
//! always on `lo`, and for every packet the host itself sent on a real
//! interface. Counted as bad, those would put Zeek's `c`/`C` on every
//! flow. So the first checksummed packets of a run decide: when too many
//! of them fail, bad checksums stop counting for flow state, and we say so
//! once on stderr. `--verify-checksums` forces the count, `-K` turns
//! checking off. The `-v` lines print every verdict either way, as
//! tcpdump does.
//!
//! Reading a file, the packets seen before the decision are held (with
//! their verdicts) and go through the tracker and the printers once it is
//! made, in order, so the first packets of a capture are judged like the
//! rest: a genuinely bad segment among them counts, and an offloaded
//! loopback capture gets no `c` at all. A live capture prints each packet as
//! it comes instead (a quiet interface would otherwise show nothing until
//! the sample is full): its first packets feed the decision but a bad
//! checksum among them does not count.

use crate::decode::checksum::Checksums;
use crate::flow::PcapPos;
use crate::packet::{FileStamp, LinkType, Packet, Timestamp};

/// How many packets with a transport checksum verdict decide.
pub const SAMPLE: u32 = 32;

/// Offload when more than one in `RATIO` of the sample fails. Genuine
/// corruption that gets past the link layer's CRC is rare (Stone and
/// Partridge measured between 1 in 1,100 and 1 in 32,000 TCP segments
/// failing on real networks); offload fails every packet the capturing
/// host sent: all of them on `lo`, its own share of each conversation on
/// a real interface (a third to a half: its data or its ACKs). A quarter
/// sits well between the two.
const RATIO: u32 = 4;

/// Bounds on what is held while the sample fills (a capture of non-IP
/// frames would never fill it): the decision is then made on what was
/// seen.
const MAX_HELD_PACKETS: usize = 1024;
const MAX_HELD_BYTES: usize = 16 << 20;

/// What the user asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// `-K`: no checksum is verified.
    Off,
    /// Detect offload on the first packets.
    #[default]
    Auto,
    /// `--verify-checksums`: every bad checksum counts.
    Force,
}

/// The decision and the packets that wait for it.
pub struct OffloadCheck {
    mode: Mode,
    seen: u32,
    bad: u32,
    /// `Some(true)`: offload detected; `None`: not decided yet.
    offload: Option<bool>,
    held: Vec<Held>,
    held_bytes: usize,
    /// Hold the packets before the decision (files); live capture does not.
    hold_packets: bool,
}

/// A packet seen before the decision, with its verdicts.
pub struct Held {
    ts: Timestamp,
    stamp: Option<FileStamp>,
    link: LinkType,
    data: Vec<u8>,
    orig_len: u32,
    pub sums: Checksums,
    /// Where it sits in its capture file (the Parquet rows' pointer).
    pub pos: Option<PcapPos>,
}

impl Held {
    pub fn packet(&self) -> Packet<'_> {
        Packet {
            ts: self.ts,
            stamp: self.stamp,
            link: self.link,
            data: &self.data,
            orig_len: self.orig_len,
        }
    }
}

impl OffloadCheck {
    pub fn new(mode: Mode) -> Self {
        OffloadCheck {
            mode,
            seen: 0,
            bad: 0,
            offload: None,
            held: Vec::new(),
            held_bytes: 0,
            hold_packets: true,
        }
    }

    /// The decision was made elsewhere (the reader of `read --threads`, on
    /// the run's first packets): take it, say nothing.
    pub fn preset(&mut self, offload: bool) {
        if self.mode == Mode::Auto {
            self.offload = Some(offload);
        }
    }

    /// Whether offload was detected (false until decided).
    pub fn detected(&self) -> bool {
        self.offload == Some(true)
    }

    /// Live capture: pass the packets before the decision on at once.
    pub fn stream(&mut self) {
        self.hold_packets = false;
    }

    /// Whether checksums are verified at all.
    pub fn verifies(&self) -> bool {
        self.mode != Mode::Off
    }

    /// Whether packets must wait for the decision.
    pub fn undecided(&self) -> bool {
        self.mode == Mode::Auto && self.offload.is_none()
    }

    /// Whether a bad checksum counts for flow state.
    pub fn counts(&self) -> bool {
        match self.mode {
            Mode::Off => false,
            Mode::Force => true,
            Mode::Auto => self.offload == Some(false),
        }
    }

    /// Whether the packets before the decision wait for it.
    pub fn holds(&self) -> bool {
        self.hold_packets
    }

    /// Count `pkt`'s verdicts and hold it (unless streaming) until the
    /// decision; `true` once it can be made (the sample is full, the outcome
    /// cannot change any more, or the held packets reached their bound).
    pub fn hold(&mut self, pkt: &Packet<'_>, sums: Checksums, pos: Option<PcapPos>) -> bool {
        if sums.has_transport_verdict() {
            self.seen += 1;
            self.bad += u32::from(sums.any_bad());
        }
        if self.hold_packets {
            self.held_bytes += pkt.data.len();
            self.held.push(Held {
                ts: pkt.ts,
                stamp: pkt.stamp,
                link: pkt.link,
                data: pkt.data.to_vec(),
                orig_len: pkt.orig_len,
                sums,
                pos,
            });
        }
        let limit = SAMPLE / RATIO;
        let certain = self.bad > limit || self.seen - self.bad >= SAMPLE - limit;
        certain
            || self.seen >= SAMPLE
            || self.held.len() >= MAX_HELD_PACKETS
            || self.held_bytes >= MAX_HELD_BYTES
    }

    /// Decide on what was seen and hand back the held packets, in order.
    /// Says on stderr, once, when it stops counting.
    pub fn decide(&mut self) -> Vec<Held> {
        if self.undecided() {
            let offload = self.bad > 0 && self.bad * RATIO > self.seen.max(1);
            self.offload = Some(offload);
            if offload {
                eprintln!(
                    "sockscope: {} of the first {} checksums are wrong: checksum offload? \
                     not counting bad checksums (use --verify-checksums to force)",
                    self.bad, self.seen
                );
            }
        }
        self.held_bytes = 0;
        std::mem::take(&mut self.held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::checksum::{TransportSum, Verdict};

    fn sums(ok: bool) -> Checksums {
        Checksums {
            ipv4_header: None,
            transport: Some(TransportSum::Tcp(Verdict {
                stored: if ok { 1 } else { 2 },
                expected: 1,
            })),
        }
    }

    fn run(verdicts: impl IntoIterator<Item = bool>) -> (OffloadCheck, usize) {
        let mut c = OffloadCheck::new(Mode::Auto);
        let pkt = Packet {
            ts: Timestamp(0),
            stamp: None,
            link: LinkType::Raw,
            data: &[],
            orig_len: 0,
        };
        let mut held = 0;
        for ok in verdicts {
            if c.hold(&pkt, sums(ok), None) {
                held = c.decide().len();
                break;
            }
        }
        if c.undecided() {
            held = c.decide().len();
        }
        (c, held)
    }

    #[test]
    fn loopback_is_offload_after_a_few_packets() {
        let (c, held) = run([false; 100]);
        assert!(!c.counts());
        assert_eq!(held, (SAMPLE / RATIO + 1) as usize);
    }

    #[test]
    fn a_few_bad_among_good_count() {
        let (c, _) = run((0..100).map(|i| i % 10 != 3));
        assert!(c.counts());
    }

    #[test]
    fn a_short_capture_is_judged_on_what_it_has() {
        assert!(!run([false, false, true]).0.counts());
        assert!(run([true, true, false, true, true]).0.counts());
        assert!(run([]).0.counts());
    }

    #[test]
    fn streaming_decides_without_holding() {
        let mut c = OffloadCheck::new(Mode::Auto);
        c.stream();
        let pkt = Packet {
            ts: Timestamp(0),
            stamp: None,
            link: LinkType::Raw,
            data: &[1, 2, 3],
            orig_len: 3,
        };
        let mut ready = false;
        for _ in 0..SAMPLE {
            ready = c.hold(&pkt, sums(false), None);
            if ready {
                break;
            }
            assert!(!c.counts(), "nothing counts before the decision");
        }
        assert!(ready);
        assert!(c.decide().is_empty(), "nothing was held");
        assert!(!c.counts());
    }

    #[test]
    fn forced_and_off() {
        assert!(OffloadCheck::new(Mode::Force).counts());
        assert!(!OffloadCheck::new(Mode::Off).counts());
        assert!(!OffloadCheck::new(Mode::Off).verifies());
    }
}
