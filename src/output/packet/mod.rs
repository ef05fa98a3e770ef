//! One line per packet, in `tcpdump -n`'s words so that people read it at
//! once: time, `IP`/`IP6`/`ARP`, `src.port > dst.port:`, `Flags [S.]`,
//! seq/ack (relative after the first ACK-bearing segment, as tcpdump counts
//! them), win, options, length. `-v` adds the IP header fields and the
//! checksums' verdict on a first line, tcpdump's way.
//!
//! One file per layer (`link`, `link_header` for `-e`, `arp`, `ip`, `tcp`,
//! `udp`, `icmp`, `quoted` for the datagram an ICMP error quotes, `mld` for MLDv2, `nd` for
//! neighbour-discovery options, `osi` for ISO CLNS PDUs off LLC, `tunnel` for what an encapsulation carries, and `hex` for the `-x`/`-X`/`-A` dumps):
//! each formats what `decode` already read; none parses bytes. tcpdump's other output
//! flags (`-t`…`-ttttt`, `-#`) are this printer's too.

mod arista;
mod arp;
pub mod hex;
mod icmp;
mod icmp6_rr_rpl;
mod ip;
mod link;
mod link_header;
mod llc;
mod macsec;
mod mld;
mod nd;
mod osi;
mod quoted;
mod ring_net;
mod switch_tag;
mod tcp;
mod tunnel;
mod udp;

pub use crate::output::fmt::Mac;
pub use tcp::TcpFlags;

use crate::decode::checksum::Checksums;
use crate::decode::{Decoded, Problem};
use crate::dissect::nested;
use crate::output::time::RawTime;
use crate::output::time::{TimeFormat, TimePrinter};
use crate::packet::{LinkType, Packet};
use etherparse::{EtherType, LaxNetSlice, LaxSlicedPacket};
use std::collections::HashMap;
use std::fmt::Display;
use std::io::{self, Write};

/// How the line printer was asked to print.
#[derive(Clone, Copy, Debug)]
pub struct LineOptions {
    pub time: TimeFormat,
    pub verbose: u8,
    /// `-S`: print sequence numbers as they are on the wire.
    pub absolute_seq: bool,
    /// `-v` without `-K`: say what the checksums' verdicts
    /// ([`Decoded::checksums`]) are.
    pub verify_checksums: bool,
    /// `-e`: the link header first.
    pub link_header: bool,
    /// `-#`: number the lines.
    pub number: bool,
    /// `-x`, `-X`, `-A` (doubled: with the link header).
    pub dump: hex::Dump,
    /// `--app`: append what tcpdump does not print (TLS, QUIC) in brackets.
    pub app: bool,
}

impl LineOptions {
    /// The defaults of `sockscope read`: wall-clock times, no detail.
    pub fn new(time: TimeFormat, verbose: u8) -> Self {
        LineOptions {
            time,
            verbose,
            absolute_seq: false,
            verify_checksums: true,
            link_header: false,
            number: false,
            dump: hex::Dump::default(),
            app: false,
        }
    }
}

pub struct LinePrinter {
    opts: LineOptions,
    time: TimePrinter,
    seq: tcp::SeqBases,
    /// Interface names by index, looked up once each.
    ifnames: HashMap<u32, String>,
    /// Lines printed (`-#`).
    printed: u64,
    /// The line being built.
    buf: Vec<u8>,
    /// How many IP headers deep the printer is (IP in IP).
    depth: u8,
    /// Where this packet's `-x`/`-X`/`-A` dump starts when not at the
    /// network header: tcpdump counts an LLC header as link header, and
    /// dumps a packet whose printer gave up on a cut field (its
    /// `longjmp`) from the first byte.
    dump_from: Option<usize>,
    /// `--app` text given for the next packet (a message it completed,
    /// see [`LinePrinter::replace_app`]), used instead of its own.
    app_text: Option<Vec<u8>>,
    /// This packet's TCP header gave a length tcpdump calls bad (`[bad hdr
    /// length …]`): no segment was read, so the tracker's analysis marks,
    /// made of its garbage window and flags, are left off (Wireshark too
    /// stops at a bogus header length, before its analysis).
    unread_tcp: bool,
    /// The frame's length on the wire when the packet printed is a view
    /// of less (MACsec's secure data without its ICV): tcpdump's unknown
    /// EtherType line names the whole frame's.
    frame_len: Option<u32>,
    /// A switch-tagged record's frame without its tag (see `switch_tag`).
    untagged: Vec<u8>,
    /// A PKTAP record's packet is being printed as a packet of its own
    /// link type (see [`LinePrinter::write_pktap_packet`]).
    pktap: Option<PktapView>,
}

/// What a PKTAP record adds to its packet's line: PKTAP's `-e` words,
/// written after the time, and its `-x` rule. A first FRF.16 fragment's
/// Frame Relay frame is printed through the same view: its words
/// (`FRF.16 Frag, seq 1, Flags [Begin], `) at every level, its own rule.
pub(super) struct PktapView {
    words: Vec<u8>,
    /// A Juniper record's frame instead: its header's length, and whether
    /// tcpdump's printer adds what the frame's printer counted (Juniper's
    /// Ethernet's does; the others dump from the header's end),
    /// and whether a frame printer that counted nothing gave up without a
    /// jump (Frame Relay's on a bad or cut address: the dump starts at the
    /// header's end, not at the record's first byte).
    juniper: Option<(usize, bool, bool)>,
    /// The packet decoded whole: a dump from its first byte is one from
    /// PKTAP's header's end (raw IP, BSD/OS PPP: no header), not a
    /// printer giving up on a cut packet (from the record's first byte).
    whole: bool,
    /// The packet is an FRF.16 first fragment's Frame Relay frame.
    mfr: bool,
    /// The frame's printer dumps no payload it does not know (Juniper's
    /// ATM PICs hand their LLC PDUs to the LLC printer itself, not to RFC
    /// 1483's printer, which dumps them).
    pub(super) no_default_print: bool,
    /// The header lengths of the PKTAP and PPI records nested inside the
    /// record's own header, outermost first (each one's printer counts its
    /// header and, again, what the printers inside it counted).
    nest: Vec<usize>,
    /// The header before the packet's own, inside the innermost PKTAP or
    /// PPI record, that its printer counts once (netANALYZER's); for a
    /// Juniper record's or FRF.16 fragment's frame, the bytes before the
    /// frame in that record.
    plain: usize,
    /// That packet is a SunATM record's (its printer counts its
    /// pseudo-header alone, not the LANE frame's header after it).
    sunatm: bool,
    /// A Juniper record's frame or a first FRF.16 fragment's Frame Relay
    /// frame inside a PPI or PKTAP record: what the Juniper or FRF.16
    /// printer counted is the wrapper's to count again ([`Self::nest`],
    /// [`Self::plain`]: the bytes before the frame in that record).
    wrapped: bool,
    /// The frame is a Juniper ATM2 record's LLC PDU that tcpdump prints
    /// again as an Ethernet frame when its LLC printer did not follow the
    /// SNAP protocol (`decode::juniper::llc_then_ether`).
    pub(super) ether_after_llc: bool,
}

impl PktapView {
    /// The `-x` dump of a PKTAP record whose packet `pkt` (decoded as
    /// `d`) its printer dumps from byte `from`: PKTAP's printer counts
    /// the packet's header twice; a printer that gave up dumps the whole
    /// record (PKTAP's header included), one without a header (raw IP,
    /// BSD/OS PPP, Classical IP's IPv4) from PKTAP's header's end unless
    /// a printer after the IP header's gave up (ICMP's: tcpdump 4.99's
    /// IP, UDP and TCP printers check their lengths instead). A link
    /// header the capture cut: PPP's, FDDI's, PPI's and 802.11's printers check
    /// the length and stop (no dump), the others give up.
    fn dump<'a>(
        &self,
        record: &'a [u8],
        pkt: &Packet<'a>,
        d: &Decoded<'_>,
        (from, count): (usize, Option<crate::dissect::link::Counted>),
    ) -> (&'a [u8], usize) {
        use crate::dissect::link::Counted;
        if let Some((hlen, adds, checked)) = self.juniper {
            // What the Juniper printer counted: its header, Ethernet's
            // printer's count after it; a printer that gave up dumps the
            // whole record.
            let counted = match from {
                // An empty Ethernet frame: its printer's length check,
                // which counts what there is (nothing).
                0 if checked || (pkt.link == LinkType::Ethernet && pkt.data.is_empty()) => {
                    Counted::Bytes(hlen)
                }
                0 => Counted::GaveUp,
                _ if adds => Counted::Bytes(self.plain + from),
                _ => Counted::Bytes(hlen),
            };
            return self.frame_counted_from(record, pkt, counted);
        }
        use crate::decode::{link_more::PPP_BSDOS, rings::ATM_CLIP};
        if self.mfr {
            // FRF.16's printer counts its two bytes, whatever the Frame
            // Relay printer's did, unless a printer gave up.
            let counted = match link::mfr_dump_from(pkt, from) {
                0 => Counted::GaveUp,
                n => Counted::Bytes(n),
            };
            return self.frame_counted_from(record, pkt, counted);
        }
        match count {
            Some(Counted::GaveUp) => return (record, 0),
            Some(Counted::Bytes(n)) => return self.level_counted_from(record, pkt, n),
            None => {}
        }
        // A PPI or PKTAP record nested in the record, printed by its own
        // printer (its packet is raw IP or empty): `from` is what that
        // printer counted, 0 when a printer inside gave up.
        if link::pktap_inner(pkt).is_some() {
            return match from {
                0 => (record, 0),
                _ => self.counted_from(record, pkt, from),
            };
        }
        let headerless = matches!(
            pkt.link,
            LinkType::Ipv4 | LinkType::Ipv6 | LinkType::Other(PPP_BSDOS | ATM_CLIP)
        );
        let cut = match d.problem {
            Some(Problem::Truncated { layer }) => Some(layer),
            _ => None,
        };
        if headerless {
            // The IP, UDP and TCP printers check their lengths; ICMP's
            // and the others' reads give up.
            if from == 0 && !self.whole && !matches!(cut, None | Some("ip" | "ip6" | "udp" | "tcp"))
            {
                return (record, 0);
            }
        } else if let (None, Some(layer)) = (&d.lax, cut) {
            return match layer {
                "ppp" | "ppp_hdlc" | "fddi" | "802.11" | "802.11_radio" | "ether" | "ppi" => {
                    (&[], 0)
                }
                _ => (record, 0),
            };
        } else if from == 0 && !self.whole {
            return (record, 0);
        }
        self.counted_from(record, pkt, from)
    }

    /// Where the dump of a Juniper record's or FRF.16 fragment's frame
    /// `pkt` starts when that record's printer counted `counted` (from
    /// the record's first byte, [`Self::plain`] bytes before `pkt`'s): on
    /// its own, there; inside a PPI or PKTAP record, where the wrapper's
    /// printers count it to.
    fn frame_counted_from<'a>(
        &self,
        record: &'a [u8],
        pkt: &Packet<'a>,
        counted: crate::dissect::link::Counted,
    ) -> (&'a [u8], usize) {
        use crate::dissect::link::Counted;
        match counted {
            Counted::GaveUp => (record, 0),
            Counted::Bytes(n) if self.wrapped => self.level_counted_from(record, pkt, n),
            Counted::Bytes(n) => (record, n),
        }
    }

    /// Where the dump starts when the printers of `pkt` counted `from`
    /// bytes of it (netANALYZER's header, [`Self::plain`], before it).
    fn counted_from<'a>(
        &self,
        record: &'a [u8],
        pkt: &Packet<'a>,
        from: usize,
    ) -> (&'a [u8], usize) {
        self.level_counted_from(record, pkt, from + self.plain)
    }

    /// Where the dump starts when the printer of the innermost PKTAP or
    /// PPI record's packet counted `level` bytes (from that packet's
    /// first byte, `plain` bytes before `pkt`'s): the record's own PKTAP
    /// or PPI printer adds its header's length and that count again, and
    /// so does each nested one.
    fn level_counted_from<'a>(
        &self,
        record: &'a [u8],
        pkt: &Packet<'a>,
        level: usize,
    ) -> (&'a [u8], usize) {
        // tcpdump's count, from the innermost printer out: each PKTAP or
        // PPI printer adds its header's length and what the printers
        // inside it counted (their count, doubled); its counter is an
        // unsigned int, which the doubling can wrap.
        let mut counted = u32::try_from(level).unwrap_or(u32::MAX);
        for &len in self.nest.iter().rev() {
            let len = u32::try_from(len).unwrap_or(u32::MAX);
            counted = len.wrapping_add(counted.wrapping_mul(2));
        }
        let nested: usize = self.nest.iter().sum();
        let (bytes, at) = link::dumped_from(record, pkt.data, 0);
        let outer = at.saturating_sub(nested + self.plain);
        let from = u32::try_from(outer)
            .unwrap_or(u32::MAX)
            .wrapping_add(counted.wrapping_mul(2));
        (bytes, usize::try_from(from).unwrap_or(usize::MAX))
    }

    /// Whether `pkt` decoded without a cut (its printers did not give up).
    fn whole(pkt: &Packet<'_>, d: &Decoded<'_>) -> bool {
        !pkt.data.is_empty()
            && !pkt.is_truncated()
            && !matches!(d.problem, Some(Problem::Truncated { .. }))
    }
}

impl LinePrinter {
    pub fn new(opts: LineOptions) -> Self {
        LinePrinter {
            opts,
            time: TimePrinter::new(opts.time),
            seq: tcp::SeqBases::default(),
            ifnames: HashMap::new(),
            printed: 0,
            buf: Vec::with_capacity(256),
            depth: 0,
            dump_from: None,
            app_text: None,
            unread_tcp: false,
            frame_len: None,
            untagged: Vec::new(),
            pktap: None,
        }
    }

    /// The `--app` text of the next packet printed: a message it completed
    /// (decoded from the bytes of all its packets) instead of what its own
    /// payload holds.
    pub fn replace_app(&mut self, text: Vec<u8>) {
        self.app_text = Some(text);
    }

    /// Go on after `printed` lines printed elsewhere (another worker of
    /// `read --threads`), the first and the previous of them with a time
    /// stamp at `first` and `prev` (see [`LinePrinter::stamped`]).
    pub fn resume(&mut self, printed: u64, first: Option<RawTime>, prev: Option<RawTime>) {
        self.printed = printed;
        self.time.resume(first, prev);
    }

    /// Whether `pkt`'s line carries a time stamp: tcpdump prints none for
    /// a record whose lengths it does not trust.
    pub fn stamped(pkt: &Packet<'_>) -> bool {
        !pkt.data.is_empty() && !pkt.has_invalid_len()
    }

    /// Print one packet. `note` is appended as is (the TCP analysis marks,
    /// e.g. ` [retransmission]`); `None` when there is none, which spares
    /// the formatting machinery's call on nearly every line.
    pub fn write_packet(
        &mut self,
        out: &mut dyn Write,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        note: Option<&dyn Display>,
    ) -> io::Result<()> {
        // The line is built in our own buffer and written with one call:
        // many small writes through `dyn Write` cost more than the
        // formatting itself.
        let mut w = std::mem::take(&mut self.buf);
        w.clear();
        let frame = crate::decode::link_more::ethernet_packet(pkt);
        let mut untagged = std::mem::take(&mut self.untagged);
        let tagged = match crate::decode::link_more::switch_tag(pkt.link) {
            Some(_) if Self::stamped(pkt) => crate::decode::link_more::untagged(pkt, &mut untagged),
            _ => None,
        };
        let result = match frame.filter(|f| !f.data.is_empty() && Self::stamped(pkt)) {
            // A switch-tagged record: the frame without its tag, decoded
            // and printed as an Ethernet capture's, the tag's words where
            // tcpdump puts them (`switch_tag`).
            _ if let Some((frame, tag)) = tagged => {
                let mut inner = crate::decode::decode(&frame);
                // The same network layer: the pipeline's verdicts hold.
                inner.checksums = d.checksums;
                let eflag = self.opts.link_header;
                // An unknown EtherType's line names the record's length.
                self.frame_len = Some(pkt.orig_len);
                let r = switch_tag::with((pkt.link.number(), &frame, tag), eflag, || {
                    self.format_packet(&mut w, &frame, &inner, note, pkt)
                });
                self.frame_len = None;
                r
            }
            // A netANALYZER record: the line of the Ethernet frame in it
            // (tcpdump's printer hands that to its Ethernet printer; a
            // record of the header alone is the Ethernet printer's cut).
            Some(frame) => {
                // The record's decode is the frame's (`decode::fill`), its
                // offsets counted from the record's first byte.
                let mut inner = d.clone();
                inner.net_offset = d
                    .net_offset
                    .saturating_sub(pkt.data.len() - frame.data.len());
                self.format_packet(&mut w, &frame, &inner, note, pkt)
            }
            // A PKTAP record's packet (Ethernet, PPP, 802.11 …), a PPI
            // record's of another DLT than 802.11: the line of a packet of
            // its own link type (tcpdump's PKTAP and PPI printers hand it
            // to that link type's printer).
            // A Juniper record's frame (Ethernet, PPP, Cisco HDLC, Frame
            // Relay): the line of a packet of its own link type after the
            // header's words (tcpdump's printers hand it to that link
            // type's printer).
            _ if let Some((inner, hlen)) =
                link::juniper_frame(pkt).filter(|_| Self::stamped(pkt)) =>
            {
                let level = (pkt, &inner, hlen);
                self.write_juniper_frame(&mut w, pkt, d, level, note, None)
            }
            _ if let Some(inner) = link::pktap_packet(pkt).filter(|_| Self::stamped(pkt)) => {
                self.write_pktap_packet(&mut w, pkt, d, &inner, note)
            }
            // A first FRF.16 fragment: its Frame Relay frame's line, as a
            // packet of link type 107's (tcpdump's FRF.16 printer hands it
            // to the Frame Relay printer), after the fragment's words.
            _ if let Some((inner, words)) = link::mfr_frame(pkt).filter(|_| Self::stamped(pkt)) => {
                self.write_mfr_frame(&mut w, pkt, d, (&inner, words), note, None)
            }
            None => self.format_packet(&mut w, pkt, d, note, pkt),
        };
        self.app_text = None;
        self.untagged = untagged;
        if result.is_ok() {
            out.write_all(&w)?;
        }
        self.buf = w;
        result
    }

    /// A PKTAP record's packet `inner` printed as a packet of its own
    /// link type, after PKTAP's `-e` words (`DLT EN10MB (1) len 108,
    /// length 160: `). tcpdump's PKTAP printer adds the length the inner
    /// printer counted to what that printer already counted: the `-x`
    /// dump starts that many bytes later again (at the record's first byte
    /// when the inner printer gave up).
    fn write_pktap_packet(
        &mut self,
        w: &mut Vec<u8>,
        record: &Packet<'_>,
        d: &Decoded<'_>,
        inner: &Packet<'_>,
        note: Option<&dyn Display>,
    ) -> io::Result<()> {
        let mut words = Vec::new();
        if let Some(f) = link::framed(record, d, (true, self.opts.verbose))
            && self.opts.link_header
        {
            crate::dissect::link::write_prefix(&mut words, &f);
        }
        // A PKTAP or PPI record inside (and so on, as far as the decoder
        // follows them): each one's words, then the packet at the end.
        let mut inner = *inner;
        let mut nest = Vec::new();
        while let Some(next) = link::pktap_packet(&inner) {
            if self.opts.link_header {
                let di = crate::decode::decode(&inner);
                if let Some(f) = link::framed(&inner, &di, (true, self.opts.verbose)) {
                    crate::dissect::link::write_prefix(&mut words, &f);
                }
            }
            nest.push(inner.data.len() - next.data.len());
            inner = next;
        }
        // A Juniper record's frame and a first FRF.16 fragment's Frame
        // Relay frame, as on their own link types, after the wrappers'
        // words.
        if let Some((frame, hlen)) = link::juniper_frame(&inner) {
            let level = (&inner, &frame, hlen);
            return self.write_juniper_frame(w, record, d, level, note, Some((words, nest)));
        }
        if let Some((frame, frag)) = link::mfr_frame(&inner) {
            let plain = inner.data.len().saturating_sub(frame.data.len());
            words.extend_from_slice(&frag);
            let wrap = Some((nest, plain));
            return self.write_mfr_frame(w, record, d, (&frame, words), note, wrap);
        }
        // SunATM's LANE words and Broadcom's prepended tag, before the
        // frame's own words, as on their own link types.
        crate::dissect::link::write_record_prefix(
            &mut words,
            inner.link.number(),
            inner.data,
            self.opts.link_header,
        );
        // A netANALYZER (or Broadcom-prepended) record: the Ethernet frame
        // in it, its printer counting its header once before the frame's.
        let mut plain = 0;
        let sunatm = inner.link.number() == crate::decode::sunatm::SUNATM;
        if let Some(frame) =
            crate::decode::link_more::ethernet_packet(&inner).filter(|f| !f.data.is_empty())
        {
            plain = inner.data.len() - frame.data.len();
            inner = frame;
        }
        let mut di = crate::decode::decode(&inner);
        // The same network layer: the pipeline's verdicts hold.
        di.checksums = d.checksums;
        self.pktap = Some(PktapView {
            words,
            juniper: None,
            whole: PktapView::whole(&inner, &di),
            mfr: false,
            no_default_print: false,
            nest,
            plain,
            sunatm,
            wrapped: false,
            ether_after_llc: false,
        });
        let r = self.format_packet(w, &inner, &di, note, record);
        self.pktap = None;
        r
    }

    /// A first FRF.16 fragment's Frame Relay frame `inner` printed as a
    /// packet of link type 107's after `words` (the fragment's, after a
    /// wrapper's); `wrap`: inside a PPI or PKTAP record, the nested
    /// wrappers' header lengths and the bytes before the frame in the
    /// innermost one's packet.
    fn write_mfr_frame(
        &mut self,
        w: &mut Vec<u8>,
        record: &Packet<'_>,
        d: &Decoded<'_>,
        (inner, words): (&Packet<'_>, Vec<u8>),
        note: Option<&dyn Display>,
        wrap: Option<(Vec<usize>, usize)>,
    ) -> io::Result<()> {
        let mut di = crate::decode::decode(inner);
        // The same network layer: the pipeline's verdicts hold.
        di.checksums = d.checksums;
        let wrapped = wrap.is_some();
        let (nest, plain) = wrap.unwrap_or_default();
        self.pktap = Some(PktapView {
            words,
            juniper: None,
            whole: true,
            mfr: true,
            no_default_print: false,
            nest,
            plain,
            sunatm: false,
            wrapped,
            ether_after_llc: false,
        });
        let r = self.format_packet(w, inner, &di, note, record);
        self.pktap = None;
        r
    }

    /// A Juniper record `jrec`'s frame `inner` printed as a packet of its
    /// own link type, after the Juniper header's words; the `-x` dump from
    /// the header's end (Juniper's Ethernet: and the frame's header), the
    /// whole record when a printer gave up. `wrap`: `jrec` is the packet
    /// of a PPI or PKTAP record `record`, whose words come first, and the
    /// header lengths of the wrappers nested in it (their printers count
    /// what Juniper's counted again).
    fn write_juniper_frame(
        &mut self,
        w: &mut Vec<u8>,
        record: &Packet<'_>,
        d: &Decoded<'_>,
        (jrec, inner, hlen): (&Packet<'_>, &Packet<'_>, usize),
        note: Option<&dyn Display>,
        wrap: Option<(Vec<u8>, Vec<usize>)>,
    ) -> io::Result<()> {
        let mut di = crate::decode::decode(inner);
        // The same network layer: the pipeline's verdicts hold.
        di.checksums = d.checksums;
        let wrapped = wrap.is_some();
        let (mut words, nest) = wrap.unwrap_or_default();
        let link = jrec.link.number();
        let h = crate::decode::juniper::header(link, jrec.data);
        crate::dissect::link::juniper::write_header(
            &mut words,
            &h,
            self.opts.link_header,
            self.opts.verbose,
        );
        // An MFR child link's first FRF.16 fragment: its words, at every
        // level, before its Frame Relay frame.
        if let Some(frag) = crate::dissect::link::juniper::frf16_begin_words(
            link,
            jrec.data,
            jrec.orig_len as usize,
        ) {
            words.extend_from_slice(&frag);
        }
        let adds = link == crate::decode::juniper::ETHER;
        // Frame Relay's printer checks its address and header before
        // reading them: cut or bad, it stops without a jump.
        let checked = inner.link == LinkType::Other(crate::decode::link_more::FRELAY)
            && matches!(
                crate::decode::link_more::fr_parse(inner.data),
                crate::decode::link_more::Fr::Invalid | crate::decode::link_more::Fr::Cut
            );
        self.pktap = Some(PktapView {
            words,
            juniper: Some((hlen, adds, checked)),
            whole: PktapView::whole(inner, &di),
            mfr: false,
            no_default_print: inner.link == LinkType::Other(crate::decode::rings::ATM_RFC1483)
                && matches!(
                    link,
                    crate::decode::juniper::ATM1 | crate::decode::juniper::ATM2
                ),
            nest,
            // The bytes before the frame in the Juniper record.
            plain: jrec.data.len().saturating_sub(inner.data.len()),
            sunatm: false,
            wrapped,
            ether_after_llc: crate::decode::juniper::llc_then_ether(link, jrec.data),
        });
        let r = self.format_packet(w, inner, &di, note, record);
        self.pktap = None;
        r
    }

    /// `record`: the whole record, whose bytes `-xx` dumps (`pkt` unless
    /// `pkt` is the Ethernet frame inside a netANALYZER record or after
    /// Broadcom's prepended tag).
    fn format_packet(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        note: Option<&dyn Display>,
        record: &Packet<'_>,
    ) -> io::Result<()> {
        if let Some(view) = link::length_bounded(pkt, d) {
            let mut dv = crate::decode::decode(&view);
            dv.checksums = d.checksums;
            if let Some(p) = &mut self.pktap {
                // An IP packet the length cuts: its printers give up.
                p.whole = PktapView::whole(&view, &dv)
                    && crate::decode::link::ip_whole_at(view.data, dv.net_offset);
            }
            return self.format_packet(w, &view, &dv, note, record);
        }
        self.printed += 1;
        self.dump_from = None;
        self.unread_tcp = false;
        if self.opts.number {
            write!(w, "{:5}  ", self.printed)?;
        }
        // The record's lengths (a PKTAP record's packet may be empty).
        if !Self::stamped(record) {
            return write_invalid_header(w, record);
        }
        self.time.write(w, pkt.ts, record.stamp)?;
        if let Some(p) = &self.pktap {
            w.extend_from_slice(&p.words);
        }
        link::write_interface(w, &mut self.ifnames, &d.link)?;
        // A switch tag's words come first, but under `-e`.
        if let Some(tag) = switch_tag::of(pkt).filter(|t| !t.in_header()) {
            tag.write_words(w);
        }
        // Broadcom's prepended tag (under `-e`), SunATM's LANE words,
        // before the frame's own header (inside a PKTAP or PPI record,
        // already among its words).
        if self.pktap.is_none() {
            crate::dissect::link::write_record_prefix(
                w,
                record.link.number(),
                record.data,
                self.opts.link_header,
            );
        }
        // The link types whose words come from `dissect::link` (radiotap's
        // fields come first whatever `-e` says).
        let frame = link::framed(pkt, d, (self.opts.link_header, self.opts.verbose));
        let framed = frame
            .as_ref()
            .is_some_and(|f| crate::dissect::link::write_prefix(w, f));
        // `-e`'s words that end the line (SLIP's cut compressed header).
        let prefix_cut = frame.as_ref().and_then(crate::dissect::link::prefix_cut);
        let link_shown = match link::pktap_inner(pkt) {
            // PKTAP: `-e` shows the header of the frame inside too.
            Some(inner) if self.opts.link_header => {
                link_header::write_link_header(w, &inner, &crate::decode::decode(&inner))?
            }
            _ => framed || (self.opts.link_header && link_header::write_link_header(w, pkt, d)?),
        };
        let said = match prefix_cut {
            Some(mark) => {
                write!(w, " [|{mark}]")?;
                // tcpdump's printer counted the whole record.
                self.dump_from = Some(0);
                true
            }
            // An empty Ethernet or IP packet of length 0 in a PKTAP or PPI
            // record: its printer's words, nothing after the header to
            // dump.
            None if let Some(words) = link::empty_inner_words(pkt) => {
                w.extend_from_slice(words);
                self.dump_from = Some(pkt.data.len());
                true
            }
            None => self.write_body(w, pkt, d, link_shown)?,
        };
        if let Some(note) = note.filter(|_| !self.unread_tcp) {
            write!(w, "{note}")?;
        }
        write_problem(w, &d.problem, said)?;
        // A snapped packet gets no mark of its own, as in tcpdump: the
        // headers print as far as they were captured.
        w.write_all(b"\n")?;
        let dump = self.opts.dump;
        let (bytes, from) = if dump.link {
            (record.data, 0)
        } else {
            let nlpid = d.llc.map_or(0, |l| l.dumped_header_len());
            let from = self.dump_from.unwrap_or(d.net_offset.saturating_sub(nlpid));
            match &self.pktap {
                // A PPI or PKTAP record nested in the record, whose packet
                // is empty: its printer counted its header and the empty
                // packet's printer nothing, which the printers outside
                // count again (past the record's end).
                Some(_) if link::empty_inner_words(pkt).is_some() => (&[][..], 0),
                Some(p) => {
                    // Counted as the line's printers ran: with the default
                    // print of undecoded bytes on or off.
                    let sunatm = p.sunatm || pkt.link.number() == crate::decode::sunatm::SUNATM;
                    let suppressed = self.default_print_suppressed();
                    let count = if sunatm {
                        Some(crate::dissect::link::sunatm_count(from))
                    } else {
                        crate::dissect::link::packet_count(pkt.link.number(), pkt.data, from)
                            .or_else(|| {
                                frame.as_ref().and_then(|f| {
                                    crate::dissect::default_print::with_suppressed(
                                        suppressed,
                                        || crate::dissect::link::printer_count(f, from),
                                    )
                                })
                            })
                    };
                    p.dump(record.data, pkt, d, (from, count))
                }
                // A printer that gave up (tcpdump's dump from the first
                // byte) gave up on the whole record, netANALYZER's header
                // too.
                None if from == 0 => (record.data, 0),
                // SunATM's printer counts its pseudo-header alone, whatever
                // the printers after it counted.
                None if record.link.number() == crate::decode::sunatm::SUNATM => {
                    (record.data, crate::decode::sunatm::HEADER_LEN)
                }
                None => link::dumped_from(record.data, pkt.data, from),
            }
        };
        // A packet that ends inside its link header dumps nothing.
        match bytes.get(from..) {
            Some(bytes) if !bytes.is_empty() => dump.write(w, bytes),
            _ => Ok(()),
        }
    }

    /// The line after the time; `true` when it already says, in
    /// tcpdump's words, why decoding stopped (so [`Decoded::problem`]
    /// is not repeated). `link_shown`: `-e` already named the network
    /// protocol, so the `IP `/`IP6 `/`ARP, ` word is left out, as
    /// tcpdump does.
    fn write_body(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        link_shown: bool,
    ) -> io::Result<bool> {
        if matches!(pkt.link, LinkType::Ethernet) {
            self.entered("ether");
        }
        // Arista's and MACsec's headers follow the addresses or VLAN tags:
        // a frame with another EtherType there (IP, ARP …) has neither,
        // and most frames are asked nothing more.
        if matches!(pkt.link, LinkType::Ethernet)
            && crate::decode::link_header::be16(pkt.data, 12).is_some_and(|t| {
                t == crate::decode::arista::ETHERTYPE
                    || t == crate::decode::macsec::ETHERTYPE
                    || crate::decode::link_header::is_vlan_tpid(t)
            })
        {
            if let Some(said) = self.write_arista(w, pkt, d, link_shown)? {
                return Ok(said);
            }
            if let Some(said) = self.write_macsec(w, pkt, d, link_shown)? {
                return Ok(said);
            }
        }
        self.write_decoded_body(w, pkt, d, link_shown)
    }

    /// [`Self::write_body`] after the link layer's own cases (MACsec's).
    fn write_decoded_body(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        link_shown: bool,
    ) -> io::Result<bool> {
        let Some(lax) = &d.lax else {
            // A raw IP packet in a PKTAP record that did not decode: the
            // raw printer's words (`IP  [|ip]`), as on link type 101.
            if let Some(inner) =
                link::pktap_inner(pkt).filter(|i| i.link == LinkType::Raw && !i.data.is_empty())
            {
                let di = crate::decode::decode(&inner);
                if di.lax.is_none() && matches!(di.link, crate::decode::LinkInfo::Raw) {
                    let flags = (
                        link_shown,
                        self.opts.verbose > 0,
                        self.default_print_suppressed(),
                    );
                    return link::write_undecoded(w, &inner, &di, flags);
                }
            }
            if let Some(f) = link::framed(pkt, d, (self.opts.link_header, self.opts.verbose)) {
                // A PPP frame without IP: the PPP printer tunnels use.
                if d.problem.is_none()
                    && let Some((t, at)) = crate::dissect::link::ppp_frame(&f)
                {
                    if self.dump_from.is_none() {
                        self.dump_from = crate::dissect::link::message_dump_from(&f);
                    }
                    let p = crate::dissect::Payload {
                        bytes: pkt.data.get(at..).unwrap_or_default(),
                        declared_len: (pkt.orig_len as usize).saturating_sub(at),
                    };
                    return self.write_tunnel(w, t, p);
                }
                if d.problem.is_none()
                    && (self.write_framed_llc(w, &f)?
                        || self.write_framed_osi(w, &f)
                        || self.write_framed_snap(w, &f)?)
                {
                    return Ok(true);
                }
                // Cisco HDLC's printer reads its header unchecked: cut,
                // it jumps out (the dump starts at the first byte).
                // So does Frame Relay's past its first four bytes.
                self.cut_early(match d.problem {
                    Some(Problem::Truncated { layer: "chdlc" }) => true,
                    Some(Problem::Truncated { layer: "fr" }) => {
                        crate::decode::link_more::fr_cut_after_check(pkt.data)
                    }
                    _ => false,
                });
                let hex = !self.default_print_suppressed();
                if d.problem.is_none() && self.dump_from.is_none() {
                    // Only for a dump (802.15.4's is found by printing the
                    // frame again), with the default print as the line has
                    // it (that printer jumps out where its own hex is cut).
                    if self.opts.dump.kind != hex::DumpKind::Off {
                        self.dump_from =
                            crate::dissect::default_print::with_suppressed(!hex, || {
                                crate::dissect::link::message_dump_from(&f)
                            });
                    }
                } else if self.dump_from.is_none() {
                    self.dump_from = crate::dissect::link::cut_dump_from(&f);
                }
                let x_ascii = self.opts.dump.kind == hex::DumpKind::HexAscii;
                let start = w.len();
                let jumped = link::write_framed(w, &f, d.problem.as_ref(), (hex, x_ascii));
                self.cut_early(jumped);
                // PPP's control printers read unchecked: a cut message is
                // their `longjmp`, and the dump starts at the first byte.
                let said = &w[start..];
                self.cut_early(
                    d.problem.is_none()
                        && !crate::dissect::link::ppp_mark_checked(&f)
                        && (said.ends_with(b" [|ppp]") || said.ends_with(b" [|ppp_hdlc]")),
                );
                return Ok(true);
            }
            if let Some(Problem::Truncated {
                layer: "sll" | "sll2",
            }) = d.problem
            {
                // tcpdump's cooked printers say only their mark, and dump
                // the packet from its first byte.
                self.dump_from = Some(0);
                return Ok(false);
            }
            if matches!(d.link, crate::decode::LinkInfo::Unknown(_)) {
                // tcpdump's `-x`/`-X` dump of a link type it has no
                // printer for is the whole frame, after its own hex.
                self.dump_from = Some(0);
            }
            if matches!(d.link, crate::decode::LinkInfo::Null { .. }) {
                // The dump starts after the family word (at the first
                // byte of a packet cut inside it).
                self.dump_from = Some(if pkt.data.len() < 4 { 0 } else { 4 });
            }
            let flags = (
                link_shown,
                self.opts.verbose > 0,
                self.default_print_suppressed(),
            );
            return link::write_undecoded(w, pkt, d, flags);
        };
        if let Some(f) = link::framed(pkt, d, (self.opts.link_header, self.opts.verbose)) {
            self.dump_from = crate::dissect::link::ip_dump_from(&f, d.net_offset);
        }
        if let crate::decode::LinkInfo::Cooked {
            protocol: 0x88a8 | 0x9100 | 0x9200,
            ..
        } = d.link
        {
            // tcpdump's `sll_print` follows 0x8100's tag only: QinQ's and
            // the old double tags are EtherTypes it has no printer for.
            self.write_cooked_unknown(w, pkt, d, (link_shown, 0))?;
            return Ok(true);
        }
        if let Some(tag) = link::cooked_vlan(pkt, d) {
            link::write_cooked_vlan(w, &tag, link_shown);
            let link::CookedVlan::Tag { .. } = tag else {
                self.dump_from = Some(pkt.data.len());
                return Ok(true);
            };
            // The dump starts after the tag, or at the IP header an LLC
            // header after the tag hands on (its words follow the tag's).
            self.dump_from = Some(match d.llc {
                Some(l) => {
                    if link_shown {
                        link_header::write_llc_to_net(w, &l, None, pkt, d);
                    }
                    d.net_offset.saturating_sub(l.dumped_header_len())
                }
                None => d.net_offset + 4,
            });
            if let link::CookedVlan::Tag { next, .. } = tag
                && next > 1500
                && !link::ether_type_known(next)
                && crate::dissect::ethertype(next).is_none()
            {
                self.write_cooked_unknown(w, pkt, d, (link_shown, 4))?;
                return Ok(true);
            }
        }
        let verbose = self.opts.verbose > 0;
        // What the link layer says the network layer is long on the wire
        // (tcpdump's `length` for IP: its `truncated-ip` check uses it).
        let wire_len = (pkt.orig_len as usize).saturating_sub(d.net_offset);
        // etherparse goes by the version nibble; tcpdump by the EtherType.
        match (&lax.net, link::ether_type(d, lax)) {
            (Some(LaxNetSlice::Ipv6(_)), Some(EtherType::IPV4)) => {
                w.write_all(b"IP6, wrong link-layer encapsulation (invalid)")?;
                return Ok(true);
            }
            (Some(LaxNetSlice::Ipv4(_)), Some(EtherType::IPV6)) => {
                // tcpdump reads the version only from a whole IPv6 header
                // (after a cooked packet's 802.1Q tag, if any).
                let tag = if link::cooked_vlan(pkt, d).is_some() {
                    4
                } else {
                    0
                };
                let captured = pkt.data.len().saturating_sub(d.net_offset + tag);
                w.write_all(if captured < 40 {
                    b" [|ip6]"
                } else if link_shown {
                    b"version error: 4 != 6"
                } else {
                    b"IP6 version error: 4 != 6"
                })?;
                return Ok(true);
            }
            _ => {}
        }
        match &lax.net {
            Some(LaxNetSlice::Arp(arp)) => {
                self.entered("arp");
                // tcpdump's length is what follows the link header,
                // padding included; so is the dump of an operation it
                // does not know (not only the ARP packet's own bytes).
                let to_end = pkt.data.get(d.net_offset..).unwrap_or(arp.slice());
                let said = arp::write_arp(w, to_end, wire_len, verbose, link_shown)?;
                self.cut_early(said);
                Ok(said)
            }
            None => self.write_other_ethertype(w, pkt, d, lax, link_shown),
            Some(_) => self.write_ip(w, lax, &d.checksums, wire_len, link_shown),
        }
    }

    /// tcpdump's printer `name` starts here ([`nested::track`] names a
    /// message cut after an OpenFlow frame with the last one); noted only
    /// inside another packet, where frames are: the top level's hot path
    /// skips it.
    fn entered(&self, name: &'static str) {
        if self.depth > 0 {
            nested::entered(name);
        }
    }

    /// `cut`: the line ends where tcpdump's printer gave up on a field the
    /// capture cut (its `longjmp`), after which tcpdump dumps the packet
    /// from its first byte.
    fn cut_early(&mut self, cut: bool) {
        if cut {
            self.dump_from = Some(0);
        }
    }

    /// Whether `-x`/`-X` replace the hex tcpdump prints of a payload it
    /// does not decode (its "default print"; `-A` does not).
    fn default_print_suppressed(&self) -> bool {
        matches!(
            self.opts.dump.kind,
            hex::DumpKind::Hex | hex::DumpKind::HexAscii
        ) || self.pktap.as_ref().is_some_and(|v| v.no_default_print)
    }

    /// The IP part of a line and what it carries (also for a packet
    /// inside another). `checksums`: the verdicts `-v` prints.
    fn write_ip(
        &mut self,
        w: &mut Vec<u8>,
        lax: &LaxSlicedPacket<'_>,
        checksums: &Checksums,
        wire_len: usize,
        link_shown: bool,
    ) -> io::Result<bool> {
        let verbose = self.opts.verbose > 0;
        let wire = ip::Wire {
            len: wire_len,
            link_shown,
        };
        let ip = match &lax.net {
            Some(LaxNetSlice::Ipv4(ip)) => {
                self.entered("ip");
                ip::write_ipv4(w, ip, (&self.opts, checksums), wire)?
            }
            Some(LaxNetSlice::Ipv6(ip)) => {
                self.entered("ip6");
                // A zero payload length without a jumbo option: the line
                // reads no transport header, so no analysis mark (the flow
                // view takes the rest of the capture as the payload).
                self.unread_tcp |= ip::zero_length_without_jumbo(ip);
                ip::write_ipv6(w, ip, (verbose, &lax.transport), wire)?
            }
            _ => return Ok(false),
        };
        match ip {
            ip::IpOutcome::Transport(ip) => {
                let transport = if ip.header_only {
                    &None
                } else {
                    &lax.transport
                };
                self.write_transport(w, &ip, transport, checksums)
            }
            ip::IpOutcome::Done { said } => {
                // A jumbogram's hop-by-hop header the capture cut (not
                // one whose options are damaged: that hex is as usual).
                self.cut_early(w.ends_with(b":  [|hbhopt]"));
                Ok(said)
            }
        }
    }
}

/// tcpdump's `bittok2str`: the names of the set bits, `, `-separated, or
/// `none` (IP flags, neighbour-advertisement and router flags, prefix
/// flags).
pub(super) fn write_bit_names<T>(w: &mut Vec<u8>, bits: T, names: &[(T, &str)]) -> io::Result<()>
where
    T: Copy + std::ops::BitAnd<Output = T> + PartialEq + Default,
{
    let mut any = false;
    for (_, name) in names.iter().filter(|(bit, _)| bits & *bit != T::default()) {
        if any {
            w.write_all(b", ")?;
        }
        w.write_all(name.as_bytes())?;
        any = true;
    }
    if !any {
        w.write_all(b"none")?;
    }
    Ok(())
}

/// Why decoding stopped, ` [|tcp]` or ` [malformed: …]`, after a line
/// that did not say it itself (`said`: it said it in tcpdump's words,
/// `[|tcp]`, `bad-len 0` …); a link type not decoded is said already.
fn write_problem(w: &mut Vec<u8>, problem: &Option<Problem>, said: bool) -> io::Result<()> {
    match problem {
        Some(Problem::UnsupportedLink(_)) | None => Ok(()),
        Some(_) if said => Ok(()),
        Some(problem) => write!(w, " {problem}"),
    }
}

/// The line of a record whose lengths tcpdump does not trust (no time
/// stamp, nothing decoded).
fn write_invalid_header(w: &mut Vec<u8>, pkt: &Packet<'_>) -> io::Result<()> {
    if pkt.data.is_empty() {
        w.write_all(b"[Invalid header: caplen==0")?;
        if pkt.orig_len == 0 {
            w.write_all(b", len==0")?;
        }
        return w.write_all(b"]\n");
    }
    // tcpdump trusts no part of a record whose original length is 0 or
    // below what it holds.
    if pkt.orig_len == 0 {
        return w.write_all(b"[Invalid header: len==0]\n");
    }
    writeln!(
        w,
        "[Invalid header: len({}) < caplen({})]",
        pkt.orig_len,
        pkt.data.len()
    )
}
