//! MACsec (802.1AE) frames as tcpdump prints them: under `-e` the
//! SecTAG's words after the link header (`an 0, pn 9, flags EC, sci
//! 0011223344550001, `); a frame whose payload is encrypted or changed
//! as `SRC > DST 802.1AE MACsec, an 0, pn 9, flags EC, ` and its bytes in
//! hex; a cut tag ` [|macsec]`, a bad one ` (invalid)`. A payload in the
//! clear goes on to the EtherType inside, as after a VLAN tag.

use super::LinePrinter;
use super::llc::put_dump;
use crate::decode::Decoded;
use crate::decode::macsec::{self, Found, SecTag, Tag};
use crate::output::fmt::Mac;
use crate::packet::Packet;
use std::io::{self, Write};

/// MACsec's EtherType.
const MACSEC: u16 = 0x88e5;

/// The SecTAG of `pkt`; `None` when the frame is not MACsec.
pub(super) fn sectag<'a>(pkt: &Packet<'a>) -> Option<Found<'a>> {
    macsec::find(pkt)
}

/// The tag's words, each followed by `, ` as tcpdump ends them.
pub(super) fn put_words(w: &mut Vec<u8>, t: &Tag) -> io::Result<()> {
    write!(w, "an {}, pn {}, flags ", t.association(), t.packet_number)?;
    for name in t.flag_names() {
        w.extend_from_slice(name.as_bytes());
    }
    if t.short_len != 0 {
        write!(w, ", sl {}", t.short_len)?;
    }
    if let Some(sci) = t.sci {
        write!(w, ", sci {sci:016x}")?;
    }
    w.extend_from_slice(b", ");
    Ok(())
}

impl LinePrinter {
    /// The line of a MACsec frame tcpdump does not decode further (cut,
    /// invalid, confidential); `None` for a frame that is not MACsec or
    /// whose payload is in the clear (decoded as any other).
    pub(super) fn write_macsec(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        outer: &Decoded<'_>,
        link_shown: bool,
    ) -> io::Result<Option<bool>> {
        if let Some((at, src, dst)) = macsec::behind_tags(pkt) {
            let all = (at, pkt.data.len());
            self.write_unfollowed(w, pkt, (MACSEC, (src, dst)), all, link_shown)?;
            return Ok(Some(true));
        }
        let Some(Found { at, tag, src, dst }) = sectag(pkt) else {
            return Ok(None);
        };
        let t = match tag {
            SecTag::Tag(t) if !t.confidential() => {
                let body = at + t.size();
                let ends = (src, dst);
                return self
                    .write_clear(w, pkt, outer, (body, &t, ends), link_shown)
                    .map(Some);
            }
            SecTag::Tag(t) => t,
            SecTag::Cut | SecTag::Invalid => {
                let word: &[u8] = match tag {
                    SecTag::Cut => b" [|macsec]",
                    _ => b" (invalid)",
                };
                w.extend_from_slice(word);
                // tcpdump counts the rest as link header: no dump.
                self.dump_from = Some(pkt.data.len());
                return Ok(Some(true));
            }
        };
        if !link_shown {
            // `-e` wrote the words after the link header already.
            write!(w, "{} > {} 802.1AE MACsec, ", Mac(src), Mac(dst))?;
            put_words(w, &t)?;
        }
        let body = at + t.size();
        self.dump_from = Some(body);
        if !self.default_print_suppressed() {
            put_dump(w, pkt.data.get(body..).unwrap_or(&[]))?;
        }
        Ok(Some(true))
    }

    /// MACsec where tcpdump does not follow it (behind a VLAN tag, or
    /// inside MACsec): its line for an EtherType it has no printer for,
    /// and `data[from..to]` in hex.
    pub(super) fn write_unfollowed(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        (t, (src, dst)): (u16, (&[u8], &[u8])),
        (from, to): (usize, usize),
        link_shown: bool,
    ) -> io::Result<()> {
        if !link_shown {
            write!(
                w,
                "{} > {}, ethertype {} (0x{t:04x}), length {}: ",
                Mac(src),
                Mac(dst),
                super::link::ether_type_name(etherparse::EtherType(t)),
                super::switch_tag::frame_len(pkt)
            )?;
        }
        self.dump_from = Some(from);
        if !self.default_print_suppressed() {
            put_dump(w, pkt.data.get(from..to).unwrap_or(&[]))?;
        }
        Ok(())
    }

    /// A payload in the clear (from `body`): without its ICV and past
    /// the short length, the frame is printed as the EtherType inside it
    /// says, as tcpdump narrows what its printers may read; ` [|macsec]`
    /// when the ICV or the short length is not all there, ` [|ether]`
    /// when the inner EtherType is cut.
    fn write_clear(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        outer: &Decoded<'_>,
        (body, t, (src, dst)): (usize, &Tag, (&[u8], &[u8])),
        link_shown: bool,
    ) -> io::Result<bool> {
        let Some(secure) = macsec::secure_data(pkt, body, t) else {
            w.extend_from_slice(b" [|macsec]");
            self.dump_from = Some(pkt.data.len());
            return Ok(true);
        };
        if secure.cap < 2 {
            // The inner EtherType: read up to the ICV (a cut there is the
            // read's), then checked against the short length.
            // A cut read jumps out (the dump from the first byte); the
            // failed check returns
            // with the tag counted as link header.
            if secure.snap < 2 {
                w.extend_from_slice(b" [|ether]");
                self.cut_early(true);
            } else {
                write!(w, " [caplen {} < 2]", secure.cap)?;
                self.dump_from = Some(body);
            }
            return Ok(true);
        }
        // MACsec inside MACsec: tcpdump follows one tag, the second is
        // an EtherType it has no printer for.
        if macsec::nested(pkt.data, body) {
            let inside = (body + 2, body + secure.cap);
            self.write_unfollowed(w, pkt, (MACSEC, (src, dst)), inside, link_shown)?;
            return Ok(true);
        }
        // The printers read up to the ICV; the lengths they are handed
        // stop at the short length (tcpdump narrows its snapshot end by
        // the ICV alone).
        let inner = Packet {
            data: pkt.data.get(..body + secure.snap).unwrap_or(pkt.data),
            orig_len: u32::try_from(body + secure.wire).unwrap_or(u32::MAX),
            ..*pkt
        };
        let net_offset = self.write_unwrapped(
            w,
            &inner,
            outer,
            super::switch_tag::frame_len(pkt),
            link_shown,
        )?;
        if self.dump_from.is_none() {
            self.dump_from = Some(net_offset);
        }
        Ok(true)
    }

    /// A frame a header tcpdump's Ethernet printer steps over left
    /// (MACsec's payload in the clear, Arista's): decoded and printed as
    /// its own frame, `frame_len` (the outer frame's length) in the
    /// unknown-EtherType words; where its network layer starts.
    pub(super) fn write_unwrapped(
        &mut self,
        w: &mut Vec<u8>,
        inner: &Packet<'_>,
        outer: &Decoded<'_>,
        frame_len: u32,
        link_shown: bool,
    ) -> io::Result<usize> {
        let mut d = crate::decode::decode(inner);
        // The checksums' verdicts (`-v`, `-vv`): the pipeline's reading
        // does not go through the header; the IP packet inside is checked
        // here when they are printed.
        d.checksums = outer.checksums;
        if self.opts.verbose > 0
            && let Some(ip) = inner.data.get(d.net_offset..)
        {
            d.checksums = crate::decode::checksum::verify_ip(ip);
        }
        self.frame_len = Some(frame_len);
        let said = self.write_decoded_body(w, inner, &d, link_shown);
        self.frame_len = None;
        super::write_problem(w, &d.problem, said?)?;
        Ok(d.net_offset)
    }
}
