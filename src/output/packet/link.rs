//! The link layer's part of a line: the interface and direction of a
//! Linux cooked v2 packet (`tcpdump -i any`), and the whole line for
//! frames that carry no IP or ARP (an EtherType we do not decode, an
//! unsupported link type, a cut link header).

use super::{LinePrinter, llc};
use crate::decode::ip_options::CutEnd;
use crate::decode::link_header;
use crate::decode::partial::{self, Ipv4Head};
use crate::decode::{Decoded, LinkInfo, Problem};
use crate::dissect::link::Frame;
use crate::dissect::link::rings::{self, After, Ring};
use crate::packet::{LinkType, Packet};
use etherparse::{EtherType, LaxSlicedPacket, LinkSlice};
use std::collections::HashMap;
use std::io::{self, Write};

/// `lo    In  `: SLL2 packets start with the interface and direction.
pub(super) fn write_interface(
    w: &mut Vec<u8>,
    names: &mut HashMap<u32, String>,
    link: &LinkInfo,
) -> io::Result<()> {
    let LinkInfo::Cooked {
        packet_type,
        ifindex: Some(ifindex),
        ..
    } = *link
    else {
        return Ok(());
    };
    let name = names
        .entry(ifindex)
        .or_insert_with(|| interface_name(ifindex));
    let dir = super::link_header::sll_packet_type(u16::from(packet_type));
    write!(w, "{name:<5} {dir:<3} ")
}

/// The name of interface `index` on this host (what tcpdump prints for
/// SLL2 packets), or tcpdump's `?` when there is none.
fn interface_name(index: u32) -> String {
    let found = std::fs::read_dir("/sys/class/net").ok().and_then(|dir| {
        dir.flatten().find_map(|e| {
            let idx = std::fs::read_to_string(e.path().join("ifindex")).ok()?;
            (idx.trim().parse::<u32>().ok()? == index)
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
    });
    found.unwrap_or_else(|| "?".to_string())
}

/// A packet whose link layer did not decode (unknown link type, cut link
/// header); `true` when the line says so in tcpdump's words.
/// `verbose`: `-v` (a raw IPv4 header cut in its options shows its fields).
pub(super) fn write_undecoded(
    w: &mut Vec<u8>,
    pkt: &Packet<'_>,
    d: &Decoded<'_>,
    (link_shown, verbose, hex_suppressed): (bool, bool, bool),
) -> io::Result<bool> {
    match d.link {
        LinkInfo::Unknown(_) => {
            // tcpdump's words for a link type it has no printer for, and
            // the frame in hex.
            w.write_all(b"UNSUPPORTED")?;
            let frame = crate::dissect::link::Tail::ascii(pkt.data);
            crate::dissect::link::put_tail(w, frame, true);
            return Ok(true);
        }
        LinkInfo::Ethernet => {
            w.write_all(b" [|ether]")?;
            return Ok(true);
        }
        LinkInfo::Null { .. } if pkt.data.len() < 4 => {
            w.write_all(b" [|null]")?;
            return Ok(true);
        }
        // A family tcpdump has no printer for: the header's words, then
        // the rest in hex (its default print, which `-x` replaces).
        LinkInfo::Null { .. } => {
            if !link_shown {
                super::link_header::write_link_header(w, pkt, d)?;
            }
            if !hex_suppressed {
                let after = crate::decode::link::null_payload(pkt.data);
                let rest = crate::dissect::link::Tail::ascii(after);
                crate::dissect::link::put_tail(w, rest, true);
            }
            return Ok(true);
        }
        // Raw IP goes by the version nibble: an IPv4 header etherparse
        // refused is named as tcpdump names it.
        LinkInfo::Raw => {
            let head = pkt
                .data
                .get(d.net_offset..)
                .and_then(|b| Some((b, Ipv4Head::new(b)?)));
            // Neither version: tcpdump's raw printer says which it found.
            if let Some((_, h)) = head
                && !matches!(h.version, 4 | 6)
            {
                write!(w, "unknown ip {}", h.version)?;
                return Ok(true);
            }
            if let Some((bytes, h)) = head
                && h.version == 6
                && bytes.len() < 40
            {
                w.write_all(b" [|ip6]")?;
                return Ok(true);
            }
            if let Some((bytes, h)) = head
                && h.version == 4
            {
                let wire_len = (pkt.orig_len as usize).saturating_sub(d.net_offset);
                if write_bad_ipv4(w, bytes, wire_len, link_shown, verbose)?.is_some() {
                    return Ok(true);
                }
            }
            write!(w, "length {}", pkt.orig_len)?
        }
        _ => write!(w, "length {}", pkt.orig_len)?,
    }
    Ok(false)
}

/// The frame as `dissect::link` reads it, for the link types of
/// `decode::link_more`; `None` for the others.
pub(super) fn framed<'a>(
    pkt: &Packet<'a>,
    d: &Decoded<'_>,
    (eflag, verbose): (bool, u8),
) -> Option<Frame<'a>> {
    let LinkInfo::Framed { link, .. } = d.link else {
        return None;
    };
    Some(Frame {
        link,
        data: pkt.data,
        orig_len: pkt.orig_len as usize,
        eflag,
        verbose,
        ether_name: |t| ether_type_name(EtherType(t)),
    })
}

/// An 802.3 frame whose length field ends before the frame does, and
/// whose LLC header hands an IP packet on: the frame as far as the length
/// goes (tcpdump's LLC printer reads no further; the rest is pad or
/// trailer: an IP packet it cuts is `truncated-ip` or `[|ip]`). `None`
/// for every other frame.
pub(super) fn length_bounded<'a>(pkt: &Packet<'a>, d: &Decoded<'_>) -> Option<Packet<'a>> {
    if pkt.link != LinkType::Ethernet || d.llc.is_none() {
        return None;
    }
    let end = 14 + usize::from(link_header::be16(pkt.data, 12).filter(|&l| l <= 1500)?);
    if end >= pkt.orig_len as usize {
        return None;
    }
    Some(Packet {
        data: pkt.data.get(..end.min(pkt.data.len()))?,
        orig_len: end as u32,
        ..*pkt
    })
}

/// The bytes `-x` dumps from byte `from` of `bytes`: read in `record`
/// when `bytes` lies in it (a length-bounded frame's dump goes on past
/// the length, as tcpdump's does), else in `bytes`.
pub(super) fn dumped_from<'a>(record: &'a [u8], bytes: &'a [u8], from: usize) -> (&'a [u8], usize) {
    let at = (bytes.as_ptr() as usize).wrapping_sub(record.as_ptr() as usize);
    if at <= record.len() && bytes.len() <= record.len() - at {
        (record, at + from)
    } else {
        (bytes, from)
    }
}

/// The packet a PKTAP (or PPI) record carries, as a packet of its own link type,
/// when the line printer prints it so: all but raw IP, and but an empty
/// Ethernet, loopback or cooked packet (PKTAP's printer marks those).
pub(super) fn pktap_packet<'a>(pkt: &Packet<'a>) -> Option<Packet<'a>> {
    use LinkType::{Ethernet, Ipv4, Ipv6, LinuxSll, Loop, Null, Raw};
    pktap_inner(pkt).filter(|i| match i.link {
        Raw => false,
        Ethernet | Null | Loop | LinuxSll | Ipv4 | Ipv6 => !i.data.is_empty(),
        _ => true,
    })
}

/// A first FRF.16 fragment's Frame Relay frame (four bytes of it
/// captured) as a packet of link type 107, its length on the wire the
/// record's less the fragment header; the fragment's words before it.
pub(super) fn mfr_frame<'a>(pkt: &Packet<'a>) -> Option<(Packet<'a>, Vec<u8>)> {
    use crate::decode::mfr::{FRAG_LEN, MFR, begin_frame};
    if pkt.link.number() != MFR {
        return None;
    }
    let fr = begin_frame(pkt.data, pkt.orig_len as usize)?;
    let words = crate::dissect::link::mfr::begin_words(pkt.data, pkt.orig_len as usize)?;
    let frame = Packet {
        link: LinkType::Other(crate::decode::link_more::FRELAY),
        data: fr,
        orig_len: pkt.orig_len.saturating_sub(FRAG_LEN as u32),
        ..*pkt
    };
    Some((frame, words))
}

/// Where the `-x` dump of a first FRF.16 fragment starts, its Frame
/// Relay frame `fr` dumped from `from` as on link type 107: tcpdump's
/// FRF.16 printer counts its two bytes whatever the Frame Relay printer
/// returns, but a printer that gave up (a `longjmp`, not the Frame Relay
/// printer's own stop at a cut or invalid address) dumps the record from
/// its first byte.
pub(super) fn mfr_dump_from(fr: &Packet<'_>, from: usize) -> usize {
    use crate::decode::link_more::{Fr, fr_parse};
    let stopped = matches!(fr_parse(fr.data), Fr::Cut | Fr::Invalid);
    if from == 0 && !stopped {
        0
    } else {
        crate::decode::mfr::FRAG_LEN
    }
}

/// The frame a Juniper record carries after its header, as a packet of
/// its own link type, and the header's length.
pub(super) fn juniper_frame<'a>(pkt: &Packet<'a>) -> Option<(Packet<'a>, usize)> {
    crate::decode::juniper::frame(pkt)
}

/// The packet a PKTAP record carries, as a packet of its own link type;
/// a PPI record's too, when not an 802.11 frame (whose line is the PPI
/// record's own): tcpdump's PPI printer hands it to its link type's
/// printer as PKTAP's does, and counts its header twice the same way.
pub(super) fn pktap_inner<'a>(pkt: &Packet<'a>) -> Option<Packet<'a>> {
    use crate::decode::link_more::{PKTAP, PKTAP_DARWIN, pktap};
    use crate::decode::wlan_headers::{PPI, ppi_packet};
    let (len, link) = match pkt.link.number() {
        PKTAP | PKTAP_DARWIN => pktap(pkt.data)?,
        PPI => ppi_packet(pkt.data)?,
        _ => return None,
    };
    Some(Packet {
        link,
        data: pkt.data.get(len..)?,
        orig_len: pkt.orig_len.saturating_sub(len as u32),
        ..*pkt
    })
}

/// The words of a PKTAP or PPI record's packet that is empty on the wire
/// too (the record is its header alone): the Ethernet printer's cut mark
/// (its record would otherwise be malformed, not cut), and the IP
/// printers' `truncated-ip 0` (they check the length before reading).
pub(super) fn empty_inner_words(pkt: &Packet<'_>) -> Option<&'static [u8]> {
    let inner = pktap_inner(pkt).filter(|i| i.data.is_empty() && i.orig_len == 0)?;
    match inner.link {
        LinkType::Ethernet => Some(b" [|ether]"),
        LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => Some(b"truncated-ip 0"),
        _ => None,
    }
}

/// The line of a framed link layer's frame that carries no IP packet, or
/// its cut header's mark (the line always says why it stops). `hex`:
/// tcpdump's default print of undecoded bytes is on (no `-x`); `x_ascii`:
/// `-X`. `true` when Frame Relay's default print ran past the capture
/// (tcpdump jumps out: its dump starts at the first byte).
pub(super) fn write_framed(
    w: &mut Vec<u8>,
    f: &Frame<'_>,
    problem: Option<&Problem>,
    (hex, x_ascii): (bool, bool),
) -> bool {
    if let Some(problem) = problem {
        let _ = write!(w, " {problem}");
    } else if let Some(tail) = crate::dissect::default_print::with_suppressed(!hex, || {
        crate::dissect::link::write_message(w, f)
    }) {
        // Bytes without their ASCII are tcpdump's `print_unknown_data`,
        // which `-x` does not replace; it replaces the default print (with
        // ASCII), and with it that print's cut mark (`-X` too, unless the
        // printer asks for `-x` alone).
        let kept = tail.unsuppressed || (x_ascii && tail.kept_by_x_ascii);
        if hex || !tail.ascii || kept {
            // The default print (hex and ASCII) of bytes the capture cut
            // gives up after them (tcpdump's `longjmp`): the dump starts
            // at the first byte. `-A` does not turn it off.
            let cut =
                (tail.kept_by_x_ascii || (hex && tail.ascii)) && tail.bytes.len() < tail.wire_len;
            crate::dissect::link::put_tail(w, tail, true);
            return cut;
        }
    }
    false
}

/// The EtherType the link layer gave the network layer.
pub(super) fn ether_type(d: &Decoded<'_>, lax: &LaxSlicedPacket<'_>) -> Option<EtherType> {
    if let Some(l) = d.llc {
        return Some(EtherType(l.ether_type));
    }
    lax.ether_payload().map(|p| p.ether_type).or(match d.link {
        LinkInfo::Cooked { protocol, .. } => Some(EtherType(protocol)),
        LinkInfo::Framed { ether_type, .. } if ether_type != 0 => Some(EtherType(ether_type)),
        _ => None,
    })
}

impl LinePrinter {
    /// An 802.11 data frame's LLC PDU through the LLC printer of 802.3
    /// frames (tcpdump's `llc_print` serves both); `false` when it is
    /// not one or tcpdump prints it with a printer we do not have.
    pub(super) fn write_framed_llc(&mut self, w: &mut Vec<u8>, f: &Frame<'_>) -> io::Result<bool> {
        let Some(body) = crate::dissect::link::llc_body(f) else {
            return Ok(false);
        };
        let frame = llc::Frame {
            src: body.src,
            dst: body.dst,
            ether_type: 0,
            payload: body.bytes,
            orig_len: f.orig_len,
            wire_len: body.wire_len,
            len_8023: Some(body.wire_len),
            link_shown: f.eflag,
            hex_suppressed: self.default_print_suppressed(),
            addresses: crate::dissect::link::llc_has_addresses(f.link),
            eui64: None,
            verbose: self.opts.verbose,
        };
        let Some(done) = llc::write_llc(w, &frame, body.wire_len)? else {
            return Ok(false);
        };
        let llc_len = if !frame.addresses && done.header_len == 0 {
            // ATM's printer counts the LLC header the LLC printer read
            // (a cooked packet's does not, which `addresses` stands for).
            crate::decode::llc::Llc::new_checked(body.bytes, body.wire_len).map_or(0, |l| {
                l.snap_ignoring_group_bits().map_or(l.header_len(), |_| 8)
            })
        } else {
            done.header_len
        };
        self.dump_from = Some(crate::dissect::link::counted_dump_from(
            f,
            body.offset + llc_len,
        ));
        self.cut_early(done.jumped);
        self.write_bridged(w, body.bytes, &done)?;
        // Juniper's ATM2 PIC tries its next guess, Ethernet, on the same
        // bytes when the LLC printer left the protocol unread.
        if done.unfollowed && self.pktap.as_ref().is_some_and(|v| v.ether_after_llc) {
            let again = llc::Bridged {
                media: llc::Media::Ethernet,
                at: 0,
                wire_len: body.wire_len,
            };
            self.write_bridged_at(w, body.bytes, again)?;
        }
        Ok(true)
    }

    /// A Frame Relay frame's SNAP payload through the printers LLC's SNAP
    /// header reaches (tcpdump's `fr_print` hands it to `snap_print`): a
    /// protocol one of our dissectors prints (Cisco's, BPDUs, LLDP, IPX
    /// … by EtherType), or an RFC 2684 bridged Ethernet frame (no pad in
    /// Frame Relay) through the Ethernet printer; `false` for the others
    /// (the caller's SNAP words and hex). The `-x` dump starts after the
    /// Frame Relay header, as its printer counts it.
    pub(super) fn write_framed_snap(&mut self, w: &mut Vec<u8>, f: &Frame<'_>) -> io::Result<bool> {
        let Some(s) = crate::dissect::link::snap_payload(f) else {
            return Ok(false);
        };
        if let Some(media) = llc::bridged_media(s.oui, s.pid) {
            self.dump_from = Some(s.header_len);
            // No pad in Frame Relay: FDDI's byte before its frame control
            // only.
            let at = s.at + media.skip(0);
            if f.data.len() < at {
                w.extend_from_slice(b" [|snap]");
                return Ok(true);
            }
            let bridged = llc::Bridged {
                media,
                at,
                wire_len: s.wire_len.saturating_sub(media.skip(0)),
            };
            self.write_bridged_at(w, f.data, bridged)?;
            return Ok(true);
        }
        let bytes = f.data.get(s.at..).unwrap_or(&[]);
        let verbose = self.opts.verbose;
        // IP over FireWire hands its EtherType's printer the link's EUI-64
        // addresses: those that name them (GeoNetworking, CALM FAST,
        // Realtek's) go through the EtherType printer with them.
        let eui64 = (f.link == crate::decode::link_more::AP1394 && llc::names_addresses(s.pid))
            .then(|| crate::decode::link_more::ap1394_addresses(f.data))
            .flatten();
        let jumped =
            if matches!(s.oui, 0x000000 | 0x0000f8) && s.pid == llc::CALM_FAST || eui64.is_some() {
                // CALM FAST's printer is the EtherType printer's own (with no
                // address to name behind SNAP).
                let frame = llc::Frame {
                    src: [0; 6],
                    dst: [0; 6],
                    ether_type: s.pid,
                    payload: bytes,
                    orig_len: f.orig_len,
                    wire_len: s.wire_len,
                    len_8023: None,
                    link_shown: f.eflag,
                    hex_suppressed: self.default_print_suppressed(),
                    addresses: eui64.is_some(),
                    eui64,
                    verbose,
                };
                llc::write_frame(w, &frame)?.map(|done| done.jumped)
            } else {
                let p = crate::dissect::Payload {
                    bytes,
                    declared_len: s.wire_len,
                };
                match s.pid {
                    // ARCNET hands IPX to its printer itself.
                    0x8137 if crate::dissect::link::arcnet_link(f.link) => {
                        llc::write_ipx_line(w, &p, f.eflag, verbose)
                    }
                    _ => llc::write_snap_line(w, (s.oui, s.pid), &p, f.eflag, verbose),
                }
            };
        let Some(jumped) = jumped else {
            return Ok(false);
        };
        self.dump_from = Some(s.header_len);
        self.cut_early(jumped);
        Ok(true)
    }

    /// The RFC 2684 bridged Ethernet frame the LLC printer found in
    /// `payload`, if any, by the Ethernet printer (a tunnel's inner frame
    /// is printed the same way); `true` when its line says where it
    /// stopped.
    pub(super) fn write_bridged(
        &mut self,
        w: &mut Vec<u8>,
        payload: &[u8],
        done: &llc::Done,
    ) -> io::Result<bool> {
        match done.bridged {
            Some(bridged) => self.write_bridged_at(w, payload, bridged),
            None => Ok(false),
        }
    }

    /// [`LinePrinter::write_bridged`] of the frame `b` says is in
    /// `payload`: Ethernet by the Ethernet printer, Token Ring and FDDI
    /// by their header's words and the LLC printer.
    fn write_bridged_at(
        &mut self,
        w: &mut Vec<u8>,
        payload: &[u8],
        b: llc::Bridged,
    ) -> io::Result<bool> {
        // The bridged frame's printers dump what they do not decode, also
        // where the LLC printer that found the frame dumps nothing of its
        // own (Juniper's ATM PICs: `PktapView::no_default_print`).
        let quiet = self
            .pktap
            .as_mut()
            .map(|v| std::mem::take(&mut v.no_default_print));
        let said = self.write_bridged_frame(w, payload, b);
        if let (Some(v), Some(quiet)) = (self.pktap.as_mut(), quiet) {
            v.no_default_print = quiet;
        }
        said
    }

    /// [`LinePrinter::write_bridged_at`]'s frame.
    fn write_bridged_frame(
        &mut self,
        w: &mut Vec<u8>,
        payload: &[u8],
        b: llc::Bridged,
    ) -> io::Result<bool> {
        let (at, wire_len) = (b.at, b.wire_len);
        let bytes = payload.get(at..).unwrap_or(&[]);
        if let llc::Media::Ring(ring) = b.media {
            // Frames bridged in bridged frames: as deep as tunnels go.
            if self.depth >= crate::dissect::tunnel::MAX_DEPTH {
                return Ok(false);
            }
            self.depth += 1;
            let said = self.write_ring(w, ring, bytes.get(..wire_len).unwrap_or(bytes), wire_len);
            self.depth -= 1;
            return said;
        }
        let inner = crate::dissect::tunnel::Inner {
            kind: crate::dissect::tunnel::Kind::Ethernet,
            bytes: bytes.get(..wire_len).unwrap_or(bytes),
            wire_len,
        };
        self.write_inner(w, inner)
    }

    /// A bridged Token Ring or FDDI frame `bytes` (`wire_len` long on the
    /// wire): its header's words, then the IP, IPv6 or ARP packet its
    /// LLC header hands on, or its LLC PDU by the LLC printer (a frame of
    /// another kind: its bytes in hex); `true` when the line says where
    /// it stopped.
    fn write_ring(
        &mut self,
        w: &mut Vec<u8>,
        ring: Ring,
        bytes: &[u8],
        wire_len: usize,
    ) -> io::Result<bool> {
        let level = (self.opts.link_header, self.opts.verbose);
        let (at, src, dst) = match rings::write_header(w, ring, bytes, wire_len, level) {
            After::Cut => return Ok(true),
            After::Smt => return Ok(false),
            After::Other { at } => {
                let rest = crate::dissect::link::Tail::ascii(bytes.get(at..).unwrap_or(&[]));
                crate::dissect::link::put_tail(w, rest, !self.default_print_suppressed());
                return Ok(false);
            }
            After::Llc { at, src, dst } => (at, src, dst),
        };
        if let Some(said) = self.write_ring_net(w, ring, bytes, wire_len)? {
            return Ok(said);
        }
        let body = bytes.get(at..).unwrap_or(&[]);
        let llc_len = wire_len.saturating_sub(at);
        let frame = llc::Frame {
            src,
            dst,
            ether_type: 0,
            payload: body,
            orig_len: wire_len,
            wire_len: llc_len,
            len_8023: Some(llc_len),
            link_shown: self.opts.link_header,
            hex_suppressed: self.default_print_suppressed(),
            addresses: true,
            eui64: None,
            verbose: self.opts.verbose,
        };
        let Some(done) = llc::write_llc(w, &frame, llc_len)? else {
            return Ok(false);
        };
        self.cut_early(done.jumped);
        let inner_said = self.write_bridged(w, body, &done)?;
        Ok(done.said || inner_said)
    }

    /// What follows a Linux cooked header, or its 802.1Q tag (`tag`
    /// bytes), when tcpdump has no printer for the EtherType: without
    /// `-e` the cooked header's words (its length less the tag's), then
    /// the bytes in hex.
    pub(super) fn write_cooked_unknown(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        (link_shown, tag): (bool, usize),
    ) -> io::Result<()> {
        if !link_shown {
            let tagless = Packet {
                orig_len: pkt.orig_len.saturating_sub(tag as u32),
                ..*pkt
            };
            super::link_header::write_link_header(w, &tagless, d)?;
        }
        let after = pkt.data.get(d.net_offset + tag..).unwrap_or(&[]);
        let tail = crate::dissect::link::Tail::ascii(after);
        crate::dissect::link::put_tail(w, tail, !self.default_print_suppressed());
        Ok(())
    }

    /// A Linux cooked packet (v1 or v2) whose protocol one of our
    /// dissectors prints, as tcpdump's `sll_print` hands it on: 802.3
    /// (1) is Novell's raw IPX, 802.2 (4) an LLC PDU, anything else an
    /// EtherType (an LLC line without the addresses the 802.3 printer
    /// names). `None` for the others (the caller says what it can).
    /// `at`: where the payload starts (after the header, or after an
    /// 802.1Q tag).
    fn write_cooked(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        protocol: u16,
        at: usize,
        link_shown: bool,
    ) -> io::Result<Option<bool>> {
        let payload = pkt.data.get(at..).unwrap_or(&[]);
        let wire_len = (pkt.orig_len as usize).saturating_sub(at);
        let frame = llc::Frame {
            src: [0; 6],
            dst: [0; 6],
            ether_type: protocol,
            payload,
            orig_len: pkt.orig_len as usize,
            wire_len,
            len_8023: Some(wire_len),
            link_shown,
            hex_suppressed: self.default_print_suppressed(),
            addresses: false,
            eui64: None,
            verbose: self.opts.verbose,
        };
        let done = match protocol {
            SLL_802_3 => llc::write_cooked_ipx(w, &frame),
            SLL_802_2 => llc::write_llc(w, &frame, wire_len)?,
            t if t > 1500 && (crate::dissect::ethertype(t).is_some() || t == llc::CALM_FAST) => {
                llc::write_frame(w, &frame)?
            }
            _ => return Ok(None),
        };
        let Some(done) = done else {
            return Ok(None);
        };
        self.dump_from = Some(at + done.header_len);
        self.cut_early(done.jumped);
        let inner_said = self.write_bridged(w, payload, &done)?;
        Ok(Some(done.said || inner_said))
    }

    /// EtherType 0xfefe: tcpdump's `ethertype_print` takes it for an
    /// LLC header of SAP 0xfe and hands the bytes after its control byte
    /// (which it skips unread) to the ISO CLNS printer; nothing captured
    /// is its ` [|isoclns]`.
    fn write_osi_ethertype(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        bytes: &[u8],
    ) -> bool {
        let Some(pdu) = crate::dissect::osi_after_control(bytes) else {
            w.extend_from_slice(b" [|isoclns]");
            return true;
        };
        let p = crate::dissect::Payload {
            bytes: pdu,
            declared_len: (pkt.orig_len as usize).saturating_sub(d.net_offset + 1),
        };
        self.write_clns(w, &p);
        true
    }

    /// A frame with no IP or ARP that etherparse would slice: an IPv4
    /// header tcpdump calls bad (`IP bad-hlen 12`, `IP  [|ip]` …), an ARP
    /// packet cut short (` [|arp]`), or `ethertype 802.1Q (0x8100),
    /// length 64`. `true` when the line says what is wrong in tcpdump's
    /// words.
    pub(super) fn write_other_ethertype(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        lax: &LaxSlicedPacket<'_>,
        link_shown: bool,
    ) -> io::Result<bool> {
        let ether_type = ether_type(d, lax);
        // Behind an LLC header, the network layer's bytes.
        // Behind MACsec, up to the ICV (etherparse stops the payload at
        // the short length; tcpdump's printers read past it), but an
        // LLC header within the short length (tcpdump's LLC printer
        // checks the length it is handed).
        let bytes = match d.llc {
            Some(_) => pkt.data.get(d.net_offset..),
            None if super::macsec::sectag(pkt).is_some() => {
                let wire = (pkt.orig_len as usize).saturating_sub(d.net_offset);
                let rest = pkt.data.get(d.net_offset..);
                match ether_type {
                    Some(t) if t.0 <= 1500 => rest.map(|r| r.get(..wire).unwrap_or(r)),
                    _ => rest,
                }
            }
            None => lax.ether_payload().map(|p| p.payload),
        };
        let behind_nlpid = d.llc.is_some_and(|l| l.nlpid.is_some())
            || matches!(pkt.link, LinkType::Other(n)
                if crate::decode::rings::handles(n)
                    && crate::decode::rings::nlpid(n, pkt.data).is_some());
        let tunnel = |t: EtherType| match behind_nlpid {
            true => crate::dissect::tunnel::behind_nlpid(t.0),
            false => crate::dissect::tunnel::ethertype(t.0),
        };
        if let (Some(t), Some(bytes)) = (ether_type.and_then(tunnel), bytes) {
            let payload = crate::dissect::Payload {
                bytes,
                declared_len: (pkt.orig_len as usize).saturating_sub(d.net_offset),
            };
            return self.write_tunnel(w, t, payload);
        }
        if let (Some(EtherType(OSI_ETHERTYPE)), Some(bytes)) = (ether_type, bytes) {
            return Ok(self.write_osi_ethertype(w, pkt, d, bytes));
        }
        if let LinkInfo::Cooked { protocol, .. } = d.link
            && pkt.data.len() >= d.net_offset
            && d.llc.is_none()
        {
            // Behind an 802.1Q tag, what the tag names (an LLC PDU when
            // it is a length).
            let (protocol, at) = match cooked_vlan(pkt, d) {
                Some(CookedVlan::Tag { next, .. }) if next <= 1500 => (SLL_802_2, d.net_offset + 4),
                Some(CookedVlan::Tag { next, .. }) => (next, d.net_offset + 4),
                _ => (protocol, d.net_offset),
            };
            if let Some(said) = self.write_cooked(w, pkt, protocol, at, link_shown)? {
                return Ok(said);
            }
            // A protocol no printer of tcpdump's takes: `sll_print` dumps
            // the packet, after its header's words when the protocol is
            // an EtherType (`-e` printed them already), alone when it is
            // one of the small numbers the kernel uses (`ETH_P_ALL` …).
            if at == d.net_offset && cooked_protocol_unknown(protocol) {
                let words_shown = link_shown || protocol <= 1500;
                self.write_cooked_unknown(w, pkt, d, (words_shown, 0))?;
                return Ok(true);
            }
        }
        // Inside VLAN tags only 802.3 frames (under `-e` the tags and
        // `802.3` are printed, the LLC header follows), what a
        // dissector decodes (under `-e` after the tags' words, as
        // tcpdump's LLDP, PTP, slow protocols and EAPOL lines) and
        // EtherTypes tcpdump has no printer for (its unknown line).
        let tags_ok = |t: EtherType, payload: &[u8]| {
            lax.link_exts.is_empty()
                || t.0 <= 1500
                || llc::has_dissector(t.0, payload)
                || !ether_type_known(t.0)
        };
        if let (Some(LinkSlice::Ethernet2(eth)), Some(t), Some(payload)) =
            (&lax.link, ether_type, bytes)
            && tags_ok(t, payload)
        {
            let frame = llc::Frame {
                src: eth.source(),
                dst: eth.destination(),
                ether_type: t.0,
                payload,
                // A switch-tagged record's length (a PKTAP record's frame
                // is printed as a packet of its own: `pktap_packet`).
                orig_len: self.frame_len.unwrap_or(pkt.orig_len) as usize,
                // What the tags and the header took of the frame.
                wire_len: (pkt.orig_len as usize)
                    .saturating_sub(pkt.data.len().saturating_sub(payload.len())),
                len_8023: link_header::read(pkt.link, pkt.data, None)
                    .len_8023(pkt.orig_len as usize)
                    .or_else(|| crate::decode::macsec::inner_len_8023(pkt)),
                link_shown,
                hex_suppressed: self.default_print_suppressed(),
                addresses: true,
                eui64: None,
                verbose: self.opts.verbose,
            };
            if let Some(done) = llc::write_frame(w, &frame)? {
                // PKTAP's printer counts the inner Ethernet header twice.
                let net = framed(pkt, d, (false, 0))
                    .and_then(|f| crate::dissect::link::ip_dump_from(&f, d.net_offset));
                self.dump_from = Some(net.unwrap_or(d.net_offset) + done.header_len);
                self.cut_early(done.jumped);
                let inner_said = self.write_bridged(w, payload, &done)?;
                return Ok(done.said || inner_said);
            }
        }
        let wire_len = (pkt.orig_len as usize).saturating_sub(d.net_offset);
        match (ether_type, bytes) {
            (Some(EtherType::IPV4), Some(bytes))
                if let Some(gave_up) =
                    write_bad_ipv4(w, bytes, wire_len, link_shown, self.opts.verbose > 0)? =>
            {
                self.cut_early(gave_up);
                return Ok(true);
            }
            (Some(EtherType(0x8100 | 0x88a8 | 0x9100 | 0x9200)), Some(bytes))
                if bytes.len() < 4 =>
            {
                // tcpdump counts the cut tag as link header: no dump.
                self.dump_from = Some(pkt.data.len());
                w.write_all(b" [|vlan]")?;
                return Ok(true);
            }
            // Cut, or of another version (`IP6 version error: 0 != 6`,
            // also a version 4 header etherparse refused as IPv4).
            (Some(EtherType::IPV6), Some(bytes))
                if bytes.len() < 40 || bytes.first().is_some_and(|b| b >> 4 != 6) =>
            {
                return super::ip::write_bad_ipv6(w, bytes, link_shown);
            }
            (Some(EtherType::ARP), None) => {
                w.write_all(b" [|arp]")?;
                self.cut_early(true);
                return Ok(true);
            }
            // ARP etherparse would not slice: cut, or ATM ARP's layout.
            (Some(EtherType(RARP) | EtherType::ARP), Some(bytes)) => {
                let verbose = self.opts.verbose > 0;
                let said = super::arp::write_arp(w, bytes, wire_len, verbose, link_shown)?;
                self.cut_early(said);
                // The line is ARP's own reading: etherparse's complaint
                // about the packet is not tcpdump's.
                return Ok(said || ether_type == Some(EtherType::ARP));
            }
            _ => {}
        }
        match ether_type {
            Some(t) => write!(
                w,
                "ethertype {} (0x{:04x}), length {}",
                ether_type_name(t),
                t.0,
                pkt.orig_len
            )?,
            None => write!(w, "length {}", pkt.orig_len)?,
        }
        Ok(false)
    }
}

/// A Linux cooked packet's protocol that tcpdump's cooked printer has no
/// printer for: neither Novell's raw 802.3 (1) nor LLC (4), and no
/// EtherType its EtherType printer decodes.
fn cooked_protocol_unknown(protocol: u16) -> bool {
    match protocol {
        SLL_802_3 | SLL_802_2 | llc::CALM_FAST => false,
        0..=1500 => true,
        // MACsec is the Ethernet printer's, not the EtherType printer's.
        MACSEC => true,
        t => {
            !ether_type_known(t)
                && crate::dissect::ethertype(t).is_none()
                && crate::dissect::tunnel::ethertype(t).is_none()
                && t != OSI_ETHERTYPE
        }
    }
}

/// MACsec's EtherType (802.1AE).
const MACSEC: u16 = 0x88e5;

/// Reverse ARP's EtherType (etherparse has no constant for it).
const RARP: u16 = 0x8035;

/// The Linux cooked header's protocols for 802.3 frames without an LLC
/// header (Novell's raw IPX) and for LLC PDUs.
pub(super) const SLL_802_3: u16 = 1;
pub(super) const SLL_802_2: u16 = crate::decode::SLL_802_2;

/// What tcpdump says of an IPv4 header it will not print, in the order
/// it checks; `None` when none of its checks fails (we print our own
/// line), else whether tcpdump gave up on the packet without a check of
/// its own (its hex dump then starts at the first byte). `link_shown`:
/// `-e` named the protocol already (no `IP `). Also the quoted header of
/// an ICMP error, whose `wire_len` is the length that header states.
pub(super) fn write_bad_ipv4(
    w: &mut Vec<u8>,
    bytes: &[u8],
    wire_len: usize,
    link_shown: bool,
    verbose: bool,
) -> io::Result<Option<bool>> {
    crate::dissect::nested::entered("ip");
    // Nothing captured: tcpdump's first read of the header jumps out.
    let Some(h) = Ipv4Head::new(bytes) else {
        return w.write_all(b" [|ip]").map(|()| Some(true));
    };
    match h.version {
        4 => {}
        6 => {
            w.write_all(b"IP6, wrong link-layer encapsulation (invalid)")?;
            return Ok(Some(false));
        }
        v => {
            write!(w, "IP{v} (invalid)")?;
            return Ok(Some(false));
        }
    }
    if !link_shown {
        w.write_all(b"IP ")?;
    }
    let (Some(total), Some(f)) = (h.total_len, h.fields) else {
        return w.write_all(b" [|ip]").map(|()| Some(false));
    };
    if wire_len < 20 {
        write!(w, "truncated-ip {wire_len}")?;
        return Ok(Some(false));
    }
    if h.header_len < 20 {
        write!(w, "bad-hlen {}", h.header_len)?;
        return Ok(Some(false));
    }
    let total = usize::from(total);
    if total > wire_len {
        write!(w, "truncated-ip - {} bytes missing! ", total - wire_len)?;
    }
    if total < h.header_len {
        write!(w, "bad-len {total}")?;
        return Ok(Some(false));
    }
    // The options were cut. Under -v tcpdump prints the header's fields
    // and walks the options that are there.
    if verbose {
        super::ip::write_v4_fields(w, &f, total as u16)?;
        w.write_all(b", options (")?;
        let captured = partial::ipv4_cut_options(bytes);
        let end = super::ip::write_cut_ip_options(w, captured, h.header_len - 20)?;
        match end {
            CutEnd::Missing { .. } => {
                // tcpdump gives up on the packet mid-list.
                return w.write_all(b" [|ip]").map(|()| Some(true));
            }
            CutEnd::Truncated { .. } | CutEnd::RouteCut { .. } => {
                write!(w, "))\n    {} > {}:  [|ip]", f.src, f.dst)?;
                return Ok(Some(false));
            }
            CutEnd::BadLength { .. } | CutEnd::Whole => w.write_all(b"))\n    ")?,
        }
    }
    // A later fragment carries no transport header: tcpdump names the
    // hosts and the protocol number, whatever the capture kept.
    if f.flags_offset & 0x1fff != 0 {
        write!(w, "{} > {}: ip-proto-{}", f.src, f.dst, f.proto)?;
        return Ok(Some(false));
    }
    // tcpdump names the hosts here for protocols whose printers do not
    // (all but TCP, UDP, DCCP and SCTP).
    if !matches!(f.proto, 6 | 17 | 33 | 132) {
        write!(w, "{} > {}: ", f.src, f.dst)?;
    }
    write!(
        w,
        " [remaining caplen({}) < header length({})] [|ip]",
        bytes.len(),
        h.header_len
    )?;
    Ok(Some(true))
}

/// Whether tcpdump 4.99 has a printer for the EtherType `t` (so an
/// unknown-EtherType dump is not what it prints). Those it only names
/// (MOP, LAT, SCA, NS, TRILL, AVTP, FCoE, RoCE, HSR, Profinet …) are
/// not here: their frames print as unknown ones, addresses and hex.
pub(super) fn ether_type_known(t: u16) -> bool {
    matches!(
        t,
        0x0800
            | 0x0806
            | 0x8035
            | 0x809b
            | 0x80f3
            | 0x8100
            | 0x8137
            | 0x86dd
            | 0x8809
            | 0x880b
            | 0x8847
            | 0x8848
            | 0x8863
            | 0x8864
            | 0x886f
            | 0x888e
            | 0x88a8
            | 0x88cc
            | 0x88e5
            | 0x88f7
            | 0x8902
            | 0x9000
            | 0x9100
            | 0x9200
            | 0x6003
    )
}

/// The EtherType tcpdump reads as ISO CLNS after an LLC control byte.
const OSI_ETHERTYPE: u16 = 0xfefe;

/// tcpdump's name of an EtherType (`ethertype NAME (0x…)`).
pub(super) fn ether_type_name(t: EtherType) -> &'static str {
    crate::decode::names::ether_type(t.0).unwrap_or("Unknown")
}

/// What a Linux cooked packet's 802.1Q tag says (tcpdump's `sll_print`
/// follows one tag, and only 0x8100's).
pub(super) enum CookedVlan {
    /// Less than the tag was captured: ` [|vlan]`, and no dump.
    Cut,
    /// The tag's fields and the EtherType after it.
    Tag {
        vid: u16,
        pcp: u8,
        dei: bool,
        next: u16,
    },
}

/// The 802.1Q tag right after a Linux cooked header, if the header's
/// protocol is 802.1Q.
pub(super) fn cooked_vlan(pkt: &Packet<'_>, d: &Decoded<'_>) -> Option<CookedVlan> {
    let LinkInfo::Cooked {
        protocol: 0x8100, ..
    } = d.link
    else {
        return None;
    };
    // The tag follows the cooked header (the network layer may be
    // further on, behind an LLC header).
    let at = match (d.llc, pkt.link) {
        (None, _) => d.net_offset,
        (Some(_), LinkType::LinuxSll2) => 20,
        (Some(_), _) => 16,
    };
    let Some(tag) = pkt.data.get(at..).and_then(link_header::VlanTag::read) else {
        return Some(CookedVlan::Cut);
    };
    Some(CookedVlan::Tag {
        vid: tag.vid(),
        pcp: tag.pcp() as u8,
        dei: tag.dei(),
        next: tag.next_type,
    })
}

/// The tag's words: under `-e` its fields, then always the name of the
/// EtherType after it (`vlan 10, p 0, ethertype IPv4, `), as `sll_print`.
pub(super) fn write_cooked_vlan(w: &mut Vec<u8>, tag: &CookedVlan, eflag: bool) {
    let CookedVlan::Tag {
        vid,
        pcp,
        dei,
        next,
    } = *tag
    else {
        w.extend_from_slice(b" [|vlan]");
        return;
    };
    if eflag {
        let _ = write!(w, "vlan {vid}, p {pcp}");
        if dei {
            w.extend_from_slice(b", DEI");
        }
        w.extend_from_slice(b", ");
    }
    let _ = write!(w, "ethertype {}, ", ether_type_name(EtherType(next)));
}
