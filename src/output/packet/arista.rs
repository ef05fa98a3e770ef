//! Arista's vendor header (EtherType 0xd28b) as tcpdump's Ethernet
//! printer words it at every level: `ethertype Arista Vendor Specific
//! Protocol (0xd28b), length 60: SubType Timestamp (0x0001), Timescale
//! TAI (0), Format 64-bit (1), HwInfo R/R2 (0), Timestamp 2023-11-14
//! 22:13:20.000000005: ` (a 48-bit stamp as seconds and nanoseconds),
//! then the EtherType inside as after a VLAN tag (under `-e` with its
//! `ethertype IPv4 (0x0800), length 60: `). An unknown sub-type or format
//! leaves the frame to the unknown-EtherType words and hex; a cut header
//! ends in `[|arista]`. The fields are `decode::arista`'s.

use super::LinePrinter;
use crate::decode::Decoded;
use crate::decode::arista::{self, Header, SUBTYPE_TIMESTAMP, Stamp};
use crate::packet::{Packet, Timestamp};
use std::io::{self, Write};

fn timescale_name(v: u8) -> &'static str {
    match v {
        0 => "TAI",
        1 => "UTC",
        _ => "Unknown",
    }
}

fn format_name(v: u8) -> &'static str {
    match v {
        1 => "64-bit",
        2 => "48-bit",
        _ => "Unknown",
    }
}

fn hw_name(v: u8) -> &'static str {
    match v {
        0 => "R/R2",
        1 => "R3",
        _ => "Unknown",
    }
}

/// A 64-bit stamp as a UTC date and time with nanoseconds; a 48-bit one
/// as seconds and nanoseconds.
fn put_stamp(w: &mut Vec<u8>, s: Stamp) {
    let ns = s.total_nanos();
    match s {
        Stamp::Bits64 { .. } => {
            let at = w.len();
            crate::output::time::write_rfc3339(w, Timestamp(ns));
            // `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` in tcpdump's spelling.
            if let Some(t) = w.get_mut(at + 10) {
                *t = b' ';
            }
            w.pop();
        }
        Stamp::Bits48 { .. } => {
            let _ = write!(w, "{}.{:09}", ns / 1_000_000_000, ns % 1_000_000_000);
        }
    }
}

/// How far the header's words went.
enum Words {
    /// All of them: the EtherType inside, and where its payload starts.
    Inner(u16, usize),
    /// A field the capture cut: `[|arista]` follows.
    Cut,
    /// A sub-type or format tcpdump does not decode.
    Unknown,
}

/// The header's words up to what stopped them.
fn put_words(w: &mut Vec<u8>, h: &Header, frame_len: u32) -> Words {
    let Some(subtype) = h.subtype else {
        return Words::Cut;
    };
    let _ = write!(
        w,
        "ethertype Arista Vendor Specific Protocol (0x{:04x}), length {frame_len}: ",
        arista::ETHERTYPE
    );
    if subtype != SUBTYPE_TIMESTAMP {
        let _ = write!(w, "SubType Unknown (0x{subtype:04x}), ");
        return Words::Unknown;
    }
    w.extend_from_slice(b"SubType Timestamp (0x0001), ");
    let Some(scale) = h.timescale else {
        return Words::Cut;
    };
    let _ = write!(w, "Timescale {} ({scale}), ", timescale_name(scale));
    let (Some(format), Some(hw)) = (h.format(), h.format_hw.map(|b| b & 0x0f)) else {
        return Words::Cut;
    };
    let _ = write!(
        w,
        "Format {} ({format}), HwInfo {} ({hw}), Timestamp ",
        format_name(format),
        hw_name(hw)
    );
    if !matches!(format, 1 | 2) {
        return Words::Unknown;
    }
    let Some(stamp) = h.stamp else {
        return Words::Cut;
    };
    put_stamp(w, stamp);
    w.extend_from_slice(b": ");
    match h.next {
        Some((t, at)) => Words::Inner(t, at),
        None => Words::Cut,
    }
}

impl LinePrinter {
    /// An Arista frame's line; `None` for other frames. tcpdump's
    /// Ethernet printer reads the header, then goes on with the EtherType
    /// inside as with a frame's own: VLAN tags, another Arista header,
    /// an 802.3 length or a network layer.
    pub(super) fn write_arista(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        outer: &Decoded<'_>,
        link_shown: bool,
    ) -> io::Result<Option<bool>> {
        let Some(mut h) = arista::find(pkt) else {
            return Ok(None);
        };
        loop {
            let (t, at) = match put_words(w, &h, super::switch_tag::frame_len(pkt)) {
                Words::Inner(t, at) => (t, at),
                Words::Cut => {
                    // The words before it end in a space, the first
                    // field's cut follows the link header's.
                    if h.subtype.is_some() {
                        w.push(b' ');
                    }
                    w.extend_from_slice(b"[|arista]");
                    self.cut_early(h.subtype.is_some());
                    if h.subtype.is_none() {
                        self.dump_from = Some(pkt.data.len());
                    }
                    return Ok(Some(true));
                }
                Words::Unknown => {
                    let all = (h.start, pkt.data.len());
                    let ends = arista::ends(pkt.data);
                    self.write_unfollowed(w, pkt, (arista::ETHERTYPE, ends), all, link_shown)?;
                    return Ok(Some(true));
                }
            };
            // Nothing captured after the inner EtherType: nothing to say.
            if pkt.data.len() < at {
                return Ok(Some(true));
            }
            // Another Arista header inside (after VLAN tags or not): its
            // tags' words under `-e`, then its own.
            if let Some(next) = arista::find_from(pkt.data, at - 2) {
                if link_shown {
                    let tags =
                        arista::unwrapped(pkt.data.get(..next.start).unwrap_or(&[]), (t, at));
                    self.write_inner_link_words(w, pkt, tags.as_deref().unwrap_or(&[]))?;
                }
                h = next;
                continue;
            }
            // The frame inside, copied once (not at every nested header).
            let Some(frame) = arista::unwrapped(pkt.data, (t, at)) else {
                return Ok(Some(true));
            };
            if link_shown {
                self.write_inner_link_words(w, pkt, &frame)?;
            }
            // The frame as if the EtherType inside were its own.
            let shift = at - 14;
            let inner = Packet {
                data: &frame,
                orig_len: pkt.orig_len.saturating_sub(shift as u32),
                ..*pkt
            };
            let net_offset = self.write_unwrapped(
                w,
                &inner,
                outer,
                super::switch_tag::frame_len(pkt),
                link_shown,
            )?;
            // The dump counts the header's bytes the unwrapped frame lacks.
            self.dump_from = Some(match self.dump_from {
                Some(0) => 0,
                Some(from) => from + shift,
                None => net_offset + shift,
            });
            return Ok(Some(true));
        }
    }

    /// `-e`'s words of the frame `frame` inside an Arista header (its
    /// VLAN tags, its EtherType or 802.3 length) without the addresses,
    /// which the outer frame's words gave; lengths are the outer frame's.
    fn write_inner_link_words(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        frame: &[u8],
    ) -> io::Result<()> {
        let whole = Packet {
            data: frame,
            ..*pkt
        };
        let mut words = Vec::new();
        super::link_header::write_link_header(&mut words, &whole, &crate::decode::decode(&whole))?;
        let (src, dst) = arista::ends(frame);
        let addresses = format!("{} > {}, ", super::Mac(src), super::Mac(dst)).len();
        w.extend_from_slice(words.get(addresses..).unwrap_or(&[]));
        Ok(())
    }
}
