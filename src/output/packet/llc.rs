//! Frames that carry neither IP nor ARP, as tcpdump prints them without
//! `-e`: 802.3 frames with their LLC header (`02:00:… > 02:00:… NetBeui
//! Unnumbered, ui, Flags [Command], length 7` and the bytes in hex), the
//! EtherTypes and LLC SAPs of the dissector tables (LLDP, EAPOL, the slow
//! protocols, PTP; STP), and an unknown EtherType with the frame's
//! addresses and payload in hex.

use super::hex;
use crate::decode::llc::{Format, Llc};
use crate::dissect::link::llc_words::{
    ethertype_words, ipx_8023_words, oui_name, pid_words, put_llc_header, put_snap_header, sap_name,
};
use crate::dissect::link::rings::Ring;
use crate::dissect::{self, Payload};
use crate::output::fmt::Mac;
use std::io::{self, Write};

/// What the printer needs of an Ethernet frame without IP or ARP.
pub(super) struct Frame<'a> {
    pub src: [u8; 6],
    pub dst: [u8; 6],
    /// The EtherType field (a length for 802.3).
    pub ether_type: u16,
    /// What follows the Ethernet header, as captured.
    pub payload: &'a [u8],
    /// The frame's length on the wire.
    pub orig_len: usize,
    /// The payload's length on the wire: the frame's after the Ethernet
    /// header and its VLAN tags.
    pub wire_len: usize,
    /// For 802.3, the length field capped by the frame on the wire after
    /// the header and its VLAN tags ([`LinkHeader::len_8023`]); `None`
    /// where the link header reader saw no 802.3 frame (more tags than it
    /// follows): the length field alone.
    ///
    /// [`LinkHeader::len_8023`]: crate::decode::link_header::LinkHeader::len_8023
    pub len_8023: Option<usize>,
    /// `-e` printed the link header (addresses, EtherType or `802.3`).
    pub link_shown: bool,
    /// `-x`/`-X` replace tcpdump's hex of an undecoded payload.
    pub hex_suppressed: bool,
    /// The frame has MAC addresses for the line to name (a Linux cooked
    /// packet has none: tcpdump's LLC line then starts at the SAPs).
    pub addresses: bool,
    /// IP over FireWire's EUI-64 source and destination, which the
    /// printers that name the link's addresses (GeoNetworking, CALM FAST,
    /// Realtek's) name instead of `src` and `dst`.
    pub eui64: Option<(&'a [u8], &'a [u8])>,
    /// The count of `v`s.
    pub verbose: u8,
}

impl Frame<'_> {
    /// The source and destination the printers that name them print.
    fn named(&self) -> (&[u8], &[u8]) {
        self.eui64.unwrap_or((&self.src, &self.dst))
    }
}

/// What [`write_frame`] printed.
pub(super) struct Done {
    /// The line says it stopped early (`[|llc]`).
    pub said: bool,
    /// How much of the payload tcpdump counts as link header (the LLC
    /// and SNAP headers): its `-x` dump starts after them.
    pub header_len: usize,
    /// The protocol's printer read past the capture (tcpdump's
    /// `longjmp`): the dump starts at the frame's first byte instead.
    pub jumped: bool,
    /// An RFC 2684 bridged frame follows, for the caller's Ethernet,
    /// Token Ring or FDDI printer.
    pub bridged: Option<Bridged>,
    /// Only a SNAP header's words were printed: tcpdump's SNAP printer
    /// did not follow the protocol, and `llc_print` returns a negative
    /// length, on which a caller may read the PDU another way (Juniper's
    /// ATM2 PIC: as an Ethernet frame).
    pub unfollowed: bool,
}

/// An RFC 2684 bridged frame: its medium, where it starts in the payload
/// (after the pad), its length on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Bridged {
    pub media: Media,
    pub at: usize,
    pub wire_len: usize,
}

/// The media RFC 2684 bridges that tcpdump's SNAP printer follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Media {
    Ethernet,
    Ring(Ring),
}

impl Media {
    /// How many bytes tcpdump skips after the SNAP header, given the
    /// carrier's pad (LLC's two bytes, none in Frame Relay): FDDI's one
    /// more, before its frame control byte.
    pub fn skip(self, pad: usize) -> usize {
        match self {
            Media::Ring(Ring::Fddi) => pad + 1,
            _ => pad,
        }
    }
}

impl Done {
    fn base(header_len: usize) -> Done {
        Done {
            said: false,
            header_len,
            jumped: false,
            bridged: None,
            unfollowed: false,
        }
    }

    fn after(header_len: usize) -> Option<Done> {
        Some(Done::base(header_len))
    }

    /// After a protocol's line that ended with a `longjmp` or not.
    fn after_line(header_len: usize, jumped: Option<bool>) -> Option<Done> {
        Some(Done {
            jumped: jumped == Some(true),
            ..Done::after(header_len)?
        })
    }
}

/// Whether a dissector of ours prints a frame of this EtherType (or 802.3
/// length) and payload.
pub(super) fn has_dissector(ether_type: u16, payload: &[u8]) -> bool {
    if ether_type > 1500 {
        return dissect::ethertype(ether_type).is_some();
    }
    match Llc::new_checked(payload, usize::from(ether_type)) {
        Some(l) => sap_dissector(&l).is_some(),
        None => false,
    }
}

/// A SNAP header (SAPs 0xaa, group bits aside, UI control) the capture
/// or the length cut.
fn snap_cut(l: &Llc<'_>) -> bool {
    (l.dsap & 0xfe, l.ssap & 0xfe, l.control) == (0xaa, 0xaa, 0x03) && l.bytes.len() < 8
}

/// IPX in a Linux cooked packet of protocol 802.3: tcpdump hands it to
/// the IPX printer with nothing before it (under `-e` not even `IPX `).
pub(super) fn write_cooked_ipx(w: &mut Vec<u8>, f: &Frame<'_>) -> Option<Done> {
    let p = Payload {
        bytes: f.payload,
        declared_len: f.wire_len,
    };
    let words = if f.link_shown { "" } else { "IPX " };
    let jumped = write_with_words(w, &dissect::ipx::IPX, words, &p, f.verbose);
    Done::after_line(0, jumped)
}

fn sap_dissector(l: &Llc<'_>) -> Option<&'static dissect::Dissector> {
    if l.is_raw_ipx() {
        return Some(&dissect::ipx::IPX);
    }
    let (dsap, ssap) = (l.dsap & 0xfe, l.ssap & 0xfe);
    if dsap != ssap || l.control != 0x03 {
        return None;
    }
    match l.snap {
        Some((oui, pid)) => dissect::snap(oui, pid),
        None => dissect::llc_sap(dsap),
    }
}

/// The line for `f`, or `None` when tcpdump would print it some other way
/// (a protocol it decodes and we do not): the caller prints its own.
pub(super) fn write_frame(w: &mut Vec<u8>, f: &Frame<'_>) -> io::Result<Option<Done>> {
    let wire_len = f.wire_len;
    if f.addresses && dissect::geonet::ETHERTYPES.contains(&f.ether_type) {
        return Ok(write_geonet(w, f));
    }
    if f.addresses && f.ether_type == dissect::realtek::ETHERTYPE {
        return Ok(write_realtek(w, f));
    }
    if f.ether_type > 1500
        && let Some(d) = dissect::ethertype(f.ether_type)
    {
        let p = Payload {
            bytes: f.payload,
            declared_len: wire_len,
        };
        let words = ethertype_words(f.ether_type, f.link_shown, f.verbose);
        if let Some(jumped) = write_with_words(w, d, words, &p, f.verbose) {
            return Ok(Done::after_line(0, Some(jumped)));
        }
    }
    match f.ether_type {
        0..=1500 => write_8023(w, f),
        // An LLC PDU as long as the rest of the frame.
        crate::decode::link::ALTEON_JUMBO => write_llc(w, f, f.wire_len),
        CALM_FAST => write_calm_fast(w, f),
        t if super::link::ether_type_known(t) => Ok(None),
        t => {
            // `-e` already named the addresses and the EtherType.
            if !f.link_shown {
                // tcpdump names the EtherTypes it has no printer for
                // too (`ethertype MOP DL (0x6001)`).
                write!(
                    w,
                    "{} > {}, ethertype {} (0x{t:04x}), length {}: ",
                    Mac(&f.src),
                    Mac(&f.dst),
                    crate::decode::names::ether_type(t).unwrap_or("Unknown"),
                    f.orig_len
                )?;
            }
            // Not past the frame's length (MACsec's short length can
            // end it before the capture does).
            write_dump(w, f, f.payload.get(..f.wire_len).unwrap_or(f.payload))?;
            Ok(Done::after(0))
        }
    }
}

/// ISO 29281's EtherType, whose printer names the frame's source address.
pub(super) const CALM_FAST: u16 = 0x1111;

/// The EtherTypes whose printers name the link's addresses themselves
/// (given them: tcpdump's SNAP printer gives none).
pub(super) fn names_addresses(ether_type: u16) -> bool {
    dissect::geonet::ETHERTYPES.contains(&ether_type)
        || ether_type == dissect::realtek::ETHERTYPE
        || ether_type == CALM_FAST
}

/// A CALM FAST frame: its line (the source address where the link has
/// one), under `-v` the rest in hex; a reference the capture cut is
/// tcpdump's `longjmp`.
fn write_calm_fast(w: &mut Vec<u8>, f: &Frame<'_>) -> io::Result<Option<Done>> {
    let p = Payload {
        bytes: f.payload,
        declared_len: f.wire_len,
    };
    let jumped = write_calm_fast_line(w, f, &p)?;
    Ok(Done::after_line(0, Some(jumped)))
}

/// The CALM FAST line of `p` (after the EtherType, or behind SNAP),
/// naming `f`'s source; whether it ended with tcpdump's `longjmp`.
fn write_calm_fast_line(w: &mut Vec<u8>, f: &Frame<'_>, p: &Payload<'_>) -> io::Result<bool> {
    use dissect::calm_fast::{self, End};
    match calm_fast::write_line(w, f.addresses.then_some(f.named().0), p) {
        // tcpdump's printer calls its default print itself, which `-x`
        // does not turn off, and which ends a cut dump with a `longjmp`.
        Ok(End::Read(rest, cut)) if f.verbose > 0 => {
            put_dump(w, rest)?;
            if cut {
                write!(w, " [|{}]", calm_fast::NAME)?;
                return Ok(true);
            }
        }
        Ok(_) => {}
        Err(_) => {
            write!(w, " [|{}]", calm_fast::NAME)?;
            return Ok(true);
        }
    }
    Ok(false)
}

/// GeoNetworking on a link with addresses: its printer names the
/// frame's source (a cooked packet has none, and the EtherType table's
/// dissector prints it).
fn write_geonet(w: &mut Vec<u8>, f: &Frame<'_>) -> Option<Done> {
    let p = Payload {
        bytes: f.payload,
        declared_len: f.wire_len,
    };
    let jumped = write_geonet_line(w, f, &p);
    Done::after_line(0, Some(jumped))
}

/// The GeoNetworking line of `p` naming `f`'s source, whether it ended
/// with tcpdump's `longjmp` (every cut does).
fn write_geonet_line(w: &mut Vec<u8>, f: &Frame<'_>, p: &Payload<'_>) -> bool {
    let d = &dissect::geonet::GEONET;
    if dissect::geonet::write(w, Some(f.named().0), p, f.verbose).is_ok() {
        return false;
    }
    w.extend_from_slice(b" [|");
    w.extend_from_slice(d.name.as_bytes());
    w.push(b']');
    true
}

/// A Realtek frame's line, which names the frame's addresses itself; a
/// cut is tcpdump's `longjmp` (` [|rtl]` before the type, ` [|rrcp]`
/// inside RRCP).
fn write_realtek(w: &mut Vec<u8>, f: &Frame<'_>) -> Option<Done> {
    let p = Payload {
        bytes: f.payload,
        declared_len: f.wire_len,
    };
    Done::after_line(0, Some(write_realtek_line(w, f, &p)))
}

/// The Realtek line of `p` naming `f`'s addresses (behind SNAP too),
/// whether it ended with tcpdump's `longjmp` (every cut does).
fn write_realtek_line(w: &mut Vec<u8>, f: &Frame<'_>, p: &Payload<'_>) -> bool {
    use dissect::realtek::{REALTEK, RRCP_CUT, write};
    let done = write(w, Some(f.named()), p);
    if done.is_err() {
        w.extend_from_slice(b" [|");
        w.extend_from_slice(REALTEK.name.as_bytes());
        w.push(b']');
    }
    done.is_err() || w.ends_with(RRCP_CUT)
}

/// tcpdump's `-X`-style lines after a frame it cannot decode, each on a
/// line of its own (the line's own newline ends the last); left out
/// when `-x`/`-X` dump the packet anyway.
fn write_dump(w: &mut Vec<u8>, f: &Frame<'_>, bytes: &[u8]) -> io::Result<()> {
    if f.hex_suppressed {
        return Ok(());
    }
    put_dump(w, bytes)
}

/// The lines of [`write_dump`] whatever `-x` says (tcpdump's LLC printer
/// dumps a cut XID frame itself).
pub(super) fn put_dump(w: &mut Vec<u8>, bytes: &[u8]) -> io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    w.push(b'\n');
    hex::write_hex(w, bytes)?;
    w.pop();
    Ok(())
}

/// `words` (what tcpdump's link-layer printer writes before the
/// protocol's own line), then the line of `d`; `None`, and nothing
/// written, when `d` has no line.
fn write_with_words(
    w: &mut Vec<u8>,
    d: &dissect::Dissector,
    words: &str,
    p: &Payload<'_>,
    verbose: u8,
) -> Option<bool> {
    let at = w.len();
    w.extend_from_slice(words.as_bytes());
    let jumped = d.write_line_cut(w, p, verbose);
    if jumped.is_none() {
        w.truncate(at);
    }
    jumped
}

fn write_8023(w: &mut Vec<u8>, f: &Frame<'_>) -> io::Result<Option<Done>> {
    write_llc(w, f, usize::from(f.ether_type))
}

/// tcpdump's `llc_print` of the LLC PDU at the start of `f.payload`, whose
/// length field (or the link's own length) says `llc_len`: the line, or
/// `None` for what a printer of tcpdump's we do not have decodes (IP
/// over SAP 6, bridged frames): the caller prints its own.
/// Shared by 802.3 frames and 802.11 data frames.
pub(super) fn write_llc(
    w: &mut Vec<u8>,
    f: &Frame<'_>,
    llc_len: usize,
) -> io::Result<Option<Done>> {
    let frame_len = f.len_8023.unwrap_or(llc_len);
    let Some(l) = Llc::new_checked(f.payload, llc_len) else {
        // The header cut: tcpdump marks it and dumps what there is
        // (also under `-x`, whose dump then starts after these bytes).
        let there = f.payload.get(..llc_len).unwrap_or(f.payload);
        w.write_all(b" [|llc]")?;
        put_dump(w, there)?;
        return Ok(Some(Done {
            said: true,
            header_len: there.len(),
            ..Done::base(0)
        }));
    };
    if l.is_raw_ipx() {
        // No LLC header: IPX from the frame's first byte.
        let p = Payload {
            bytes: l.bytes,
            declared_len: frame_len,
        };
        let words = ipx_8023_words(true, f.link_shown);
        let jumped = write_with_words(w, &dissect::ipx::IPX, words, &p, f.verbose);
        return Ok(Done::after_line(0, jumped));
    }
    let (src, dst) = (Mac(&f.src), Mac(&f.dst));
    let (dsap, ssap) = (l.dsap & 0xfe, l.ssap & 0xfe);
    let ui = l.control == 0x03;
    // IP over SAP 6: a printer of tcpdump's we do not have.
    if dsap == ssap && ui && dsap == 0x06 {
        return Ok(None);
    }
    if snap_cut(&l) {
        // tcpdump's SNAP printer marks the cut, and its `-x` dump has
        // nothing after the headers.
        if f.link_shown {
            put_llc_header(w, l.dsap, l.ssap, l.control, true);
        }
        w.write_all(b" [|snap]")?;
        return Ok(Some(Done {
            said: true,
            header_len: l.bytes.len(),
            ..Done::base(0)
        }));
    }
    let snap = l.snap_ignoring_group_bits();
    let snap_len = if snap.is_some() { 8 } else { l.header_len() };
    let mut bridged = None;
    let dissector = match snap {
        Some((oui, pid)) => match snap_kind(oui, pid) {
            SnapKind::Dissected(d) => Some(d),
            SnapKind::Unknown => None,
            SnapKind::Bridged(media) => {
                bridged = Some(media);
                None
            }
            SnapKind::NotOurs => return Ok(None),
        },
        None if dsap == ssap && ui => dissect::llc_sap(dsap),
        None => None,
    };
    if f.link_shown {
        // `-e`: the LLC header field by field, then the SNAP header.
        let unnumbered = matches!(l.format, Format::Unnumbered { .. });
        put_llc_header(w, l.dsap, l.ssap, l.control, unnumbered);
        if let Some((oui, pid)) = snap {
            put_snap_header(w, oui, pid, frame_len.saturating_sub(8));
        }
    }
    if let Some(media) = bridged {
        return Ok(Some(bridged_frame(w, &l, frame_len, media)));
    }
    // CALM FAST behind SNAP: tcpdump's EtherType printer takes it, and
    // names the frame's source.
    if let Some((0x000000 | 0x0000f8, CALM_FAST)) = snap {
        let p = Payload {
            bytes: l.bytes.get(snap_len..).unwrap_or(&[]),
            declared_len: frame_len.saturating_sub(snap_len),
        };
        let jumped = write_calm_fast_line(w, f, &p)?;
        return Ok(Done::after_line(snap_len, Some(jumped)));
    }
    if let Some(d) = dissector {
        let p = Payload {
            bytes: l.bytes.get(snap_len..).unwrap_or(&[]),
            declared_len: frame_len.saturating_sub(snap_len),
        };
        let words = match snap {
            Some((oui, pid)) => snap_words(oui, pid, f.link_shown, f.verbose),
            None if dsap == 0xe0 => ipx_8023_words(false, f.link_shown),
            None => "",
        };
        w.extend_from_slice(words.as_bytes());
        let at = w.len();
        let jumped = if std::ptr::eq(d, &dissect::geonet::GEONET) && f.addresses {
            Some(write_geonet_line(w, f, &p))
        } else if std::ptr::eq(d, &dissect::realtek::REALTEK) && f.addresses {
            Some(write_realtek_line(w, f, &p))
        } else {
            d.write_line_cut(w, &p, f.verbose)
        };
        // `-e` prints ISO CLNS frames' NLPID before their text.
        if let (true, Some(&nlpid)) = (f.link_shown && dsap == 0xfe, p.bytes.first()) {
            dissect::isis::with_link_header(w, at, nlpid);
        }
        return Ok(Done::after_line(snap_len, jumped));
    }
    if let Some((oui, pid)) = snap {
        // A SNAP header tcpdump cannot follow: its words, then the frame.
        if !f.link_shown {
            // A cooked packet has no addresses to name.
            if f.addresses {
                write!(w, "{src} > {dst} ")?;
            }
            w.write_all(b"SNAP, ")?;
            let (word, pid_name) = pid_words(oui, pid);
            if oui != 0 {
                write!(w, "oui {} (0x{oui:06x}), ", oui_name(oui))?;
            }
            write!(
                w,
                "{word} {pid_name} (0x{pid:04x}), length {}: ",
                frame_len.saturating_sub(8)
            )?;
        }
        write_dump(w, f, l.bytes)?;
        // A cooked packet's dump starts at the LLC header (its printer
        // counts no LLC header it could not follow).
        return Ok(Some(Done {
            unfollowed: true,
            ..Done::base(if f.addresses { snap_len } else { 0 })
        }));
    }
    if !f.link_shown {
        let name = |s: u8, word: &str| match sap_name(s) {
            Some(name) => name.to_string(),
            None => format!("Unknown {word} 0x{s:02x}"),
        };
        if !f.addresses {
            if dsap != ssap {
                write!(w, "{} > ", name(ssap, "SSAP"))?;
            }
            write!(w, "{} ", name(dsap, "DSAP"))?;
        } else if dsap == ssap {
            write!(w, "{src} > {dst} {} ", name(dsap, "DSAP"))?;
        } else {
            write!(
                w,
                "{src} {} > {dst} {} ",
                name(ssap, "SSAP"),
                name(dsap, "DSAP")
            )?;
        }
    }
    let (poll, dump) = match l.format {
        Format::Unnumbered { command, poll } => {
            w.write_all(b"Unnumbered, ")?;
            match u_command(command) {
                Some(name) => w.write_all(name.as_bytes())?,
                None => write!(w, "{command:02x}")?,
            }
            (poll, true)
        }
        Format::Supervisory { function, nr, poll } => {
            let name = match function {
                0 => "Receiver Ready",
                1 => "Receiver not Ready",
                2 => "Reject",
                _ => "?",
            };
            write!(w, "Supervisory, {name}, rcv seq {nr}")?;
            (poll, false)
        }
        Format::Information { ns, nr, poll } => {
            write!(w, "Information, send seq {ns}, rcv seq {nr}")?;
            (poll, true)
        }
    };
    let flags = match (l.ssap & 1 != 0, poll) {
        (false, false) => "Command",
        (true, false) => "Response",
        (false, true) => "Poll",
        (true, true) => "Final",
    };
    write!(w, ", Flags [{flags}], length {frame_len}")?;
    let hdr = l.header_len();
    if matches!(l.format, Format::Unnumbered { command: 0xaf, .. }) {
        // An XID frame: its format identifier 0x81 and the two bytes
        // after it are printed; a cut one is marked and its rest dumped.
        let rest = l.bytes.get(hdr..).unwrap_or(&[]);
        let wire_rest = frame_len.saturating_sub(hdr);
        match rest {
            _ if wire_rest == 0 => return Ok(Done::after(hdr)),
            [] => {
                w.write_all(b" [|llc]")?;
                return Ok(Done::after(hdr));
            }
            [0x81, a, b, ..] if wire_rest >= 3 => {
                write!(w, ": {a:02x} {b:02x}")?;
                return Ok(Done::after(hdr));
            }
            [0x81, ..] => {
                w.write_all(b" [|llc]")?;
                put_dump(w, rest)?;
                return Ok(Done::after(hdr));
            }
            _ => {}
        }
    }
    if dump {
        write_dump(w, f, l.bytes)?;
        // A Linux cooked packet's: tcpdump's `-x` dump of the bytes its
        // LLC printer left starts at the LLC header.
        if !f.addresses {
            return Ok(Done::after(0));
        }
    }
    Ok(Done::after(hdr))
}

/// RFC 2684's bridged Ethernet (protocol ids 0x0001 with FCS, 0x0007
/// without; Token Ring and FDDI likewise, FDDI after one more byte)
/// without) after the SNAP header of `l`: two pad bytes, then the frame,
/// which tcpdump's SNAP printer hands to its Ethernet printer (its `-x`
/// dump starts after the SNAP header, at the pad); a pad the capture cut
/// is its ` [|snap]`.
fn bridged_frame(w: &mut Vec<u8>, l: &Llc<'_>, frame_len: usize, media: Media) -> Done {
    const PAD: usize = 2;
    let at = 8 + media.skip(PAD);
    if l.bytes.len() < at {
        w.extend_from_slice(b" [|snap]");
        return Done {
            said: true,
            ..Done::base(8)
        };
    }
    Done {
        bridged: Some(Bridged {
            media,
            at,
            wire_len: frame_len.saturating_sub(at),
        }),
        ..Done::base(8)
    }
}

/// tcpdump's words before IPX and AppleTalk behind a SNAP header: by
/// its EtherType (Apple's own OUI too).
fn snap_words(oui: u32, pid: u16, link_shown: bool, verbose: u8) -> &'static str {
    match oui {
        0x000000 | 0x0000f8 | 0x080007 => ethertype_words(pid, link_shown, verbose),
        _ => "",
    }
}

/// tcpdump's `snap_print` after a SNAP header that no LLC header came
/// before (Frame Relay's NLPID 0x80): the line of the protocol one of our
/// dissectors prints (whether it ended with a `longjmp`), `None` for the
/// others (an RFC 2684 bridged frame is [`bridged_media`]'s).
pub(super) fn write_snap_line(
    w: &mut Vec<u8>,
    (oui, pid): (u32, u16),
    p: &Payload<'_>,
    link_shown: bool,
    verbose: u8,
) -> Option<bool> {
    let SnapKind::Dissected(d) = snap_kind(oui, pid) else {
        return None;
    };
    write_with_words(w, d, snap_words(oui, pid, link_shown, verbose), p, verbose)
}

/// IPX by its printer alone (ARCNET's, which names no encapsulation):
/// `IPX ` and the packet, the word left out when `-e` named the type.
pub(super) fn write_ipx_line(
    w: &mut Vec<u8>,
    p: &Payload<'_>,
    link_shown: bool,
    verbose: u8,
) -> Option<bool> {
    let d = dissect::ethertype(0x8137)?;
    write_with_words(w, d, if link_shown { "" } else { "IPX " }, p, verbose)
}

/// The medium of the RFC 2684 bridged frame a SNAP header's OUI and
/// protocol id announce, if they do.
pub(super) fn bridged_media(oui: u32, pid: u16) -> Option<Media> {
    match snap_kind(oui, pid) {
        SnapKind::Bridged(media) => Some(media),
        _ => None,
    }
}

/// What tcpdump does with a SNAP header's OUI and protocol id.
enum SnapKind {
    /// One of our dissectors prints it (CDP, STP, LLDP …).
    Dissected(&'static dissect::Dissector),
    /// tcpdump prints the SNAP header's words and the frame in hex.
    Unknown,
    /// An RFC 2684 bridged Ethernet, Token Ring or FDDI frame.
    Bridged(Media),
    /// A printer of tcpdump's the caller has (IP, ARP …) or we do not.
    NotOurs,
}

fn snap_kind(oui: u32, pid: u16) -> SnapKind {
    match oui {
        // Encapsulated Ethernet (also Cisco's bridged): by EtherType;
        // tcpdump's EtherType printers leave out the VLAN tags.
        0x000000 | 0x0000f8 => match dissect::ethertype(pid) {
            Some(d) => SnapKind::Dissected(d),
            // Tags and MACsec are the Ethernet printer's, not its
            // EtherType printer's that SNAP calls.
            None if matches!(pid, 0x8100 | 0x88a8 | 0x9100 | 0x9200 | 0x88e5) => SnapKind::Unknown,
            // Not a dissector's: the LLC printer's own branch for it
            // (the source address) comes after the SNAP header's words.
            None if pid == CALM_FAST => SnapKind::Unknown,
            None if super::link::ether_type_known(pid) => SnapKind::NotOurs,
            None => SnapKind::Unknown,
        },
        // RFC 2684 bridging: Ethernet, Token Ring and FDDI with and
        // without FCS, BPDUs (STP).
        0x0080c2 => match pid {
            0x0001 | 0x0007 => SnapKind::Bridged(Media::Ethernet),
            0x0003 | 0x0009 => SnapKind::Bridged(Media::Ring(Ring::TokenRing)),
            0x0004 | 0x000a => SnapKind::Bridged(Media::Ring(Ring::Fddi)),
            _ => match dissect::snap(oui, pid) {
                Some(d) => SnapKind::Dissected(d),
                None => SnapKind::Unknown,
            },
        },
        _ => match dissect::snap(oui, pid) {
            Some(d) => SnapKind::Dissected(d),
            None => SnapKind::Unknown,
        },
    }
}

/// tcpdump's names of the unnumbered commands (poll bit cleared).
fn u_command(c: u8) -> Option<&'static str> {
    Some(match c {
        0x03 => "ui",
        0x0f => "dm",
        0x43 => "disc",
        0x63 => "ua",
        0x6f => "sabme",
        0x87 => "frmr",
        0xaf => "xid",
        0xe3 => "test",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The printer's SNAP words alone (`Done::unfollowed`) fall on the
    /// protocols `decode::llc::snap_followed` says tcpdump leaves, which
    /// the decoder reads Juniper ATM2's Ethernet guess by: the two agree
    /// on every protocol of every OUI tcpdump knows and one it does not
    /// (those the decoder hands on to a network layer or tunnel never
    /// reach these words).
    #[test]
    fn unknown_snap_protocols_are_the_decoders() {
        for oui in [
            0x000000u32,
            0x0000f8,
            0x00000c,
            0x0080c2,
            0x080007,
            0x123456,
        ] {
            for pid in 0..=u16::MAX {
                let [_, o0, o1, o2] = oui.to_be_bytes();
                let [t0, t1] = pid.to_be_bytes();
                let pdu = [0xaa, 0xaa, 3, o0, o1, o2, t0, t1];
                if crate::decode::wlan::LlcToNet::read(&pdu).is_some() {
                    continue;
                }
                let words_only = matches!(snap_kind(oui, pid), SnapKind::Unknown)
                    && !(matches!(oui, 0x000000 | 0x0000f8) && pid == CALM_FAST);
                assert_eq!(
                    words_only,
                    !crate::decode::llc::snap_followed(oui, pid),
                    "oui {oui:06x} pid {pid:04x}"
                );
            }
        }
    }
}
