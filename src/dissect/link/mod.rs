//! What the link layers of `decode::link_more` say in a line, in
//! `tcpdump -n`'s words: the words before the network layer (radiotap's
//! rate, channel and signal; PPP in HDLC framing's protocol; and under
//! `-e` each header's fields), and the whole line of a frame that carries
//! no IP packet (PPP's control protocols, 802.11 management and control
//! frames, an unknown protocol and its bytes in hex; pf's log header,
//! `pflog`; a usbmon event, `usb`); and each header as
//! `--json`'s `"link_layer"` object (`json`).

mod arcnet;
pub mod bluetooth;
pub mod brcm;
pub mod dsa;
mod enc;
mod frame_relay;
mod ipnet;
mod json;
pub mod juniper;
mod juniper_names;
pub mod llc_words;
mod ltalk;
pub mod mfr;
mod pflog;
mod q933;
mod radiotap;
mod ring_links;
pub mod rings;
mod serial;
pub mod slip;
pub mod sunatm;
mod usb;
pub mod vsock;
mod wlan;
mod wlan_codes;
mod wlan_headers;
mod wpan;

pub use json::to_json;
pub use wlan::LlcBody;

use crate::decode::enc::ENC;
use crate::decode::ipnet::IPNET;
use crate::decode::link_more::{
    AP1394, BRCM_PREPEND, C_HDLC, FRELAY, IEEE802_11, IEEE802_11_RADIO, IPOIB, NETANALYZER,
    NETANALYZER_TRANSPARENT, NFLOG, PKTAP, PPP, PPP_ETHER, PPP_HDLC, SLIP_BSDOS, SLIP_BSDOS_FILE,
    SYMANTEC,
};
use crate::decode::pflog::PFLOG;

/// The frame as the printers see it.
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    /// The link-type number.
    pub link: u32,
    /// The captured bytes.
    pub data: &'a [u8],
    /// The length on the wire.
    pub orig_len: usize,
    /// `-e`: the link header's fields first.
    pub eflag: bool,
    /// `-v`'s level (SLARP's trailing bytes, `-vv`'s dumps).
    pub verbose: u8,
    /// tcpdump's name of an EtherType (the line printer's table).
    pub ether_name: fn(u16) -> &'static str,
}

/// Bytes tcpdump prints in hex after a line (its "default print"), with
/// their ASCII or not, and the mark it adds when the capture cut them
/// (empty: none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tail<'a> {
    pub bytes: &'a [u8],
    pub ascii: bool,
    pub wire_len: usize,
    pub cut_mark: &'static str,
    /// The printer tests `-x`'s flag alone before this default print
    /// (Frame Relay's unknown NLPID): `-X` keeps it, before its dump.
    pub kept_by_x_ascii: bool,
    /// The printer prints it whatever `-x` and `-X` say (ARCNET's
    /// unknown types), before the dump.
    pub unsuppressed: bool,
}

impl<'a> Tail<'a> {
    /// Bytes shown whole, with their ASCII.
    pub fn ascii(bytes: &'a [u8]) -> Tail<'a> {
        Tail {
            bytes,
            ascii: true,
            wire_len: bytes.len(),
            cut_mark: "",
            kept_by_x_ascii: false,
            unsuppressed: false,
        }
    }
}

/// Where a frame's ISO CLNS PDU starts ([`osi_pdu`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OsiPdu {
    /// At byte `at`; the `-x` dump starts at `dump_from` (the link
    /// header's length as tcpdump counts it) unless the PDU's printer
    /// gives up on a field the capture cut.
    At { at: usize, dump_from: usize },
    /// The link printer stopped before the PDU with its cut mark: `jumped`
    /// when it gave up on a byte the capture cut (a `longjmp`: the dump
    /// starts at the first byte), else after its own check (no dump).
    Cut { mark: &'static str, jumped: bool },
}

/// A Q.933 message handed on by tcpdump's ISO printer (NLPID 0x08 after
/// LLC SAP 0xfe or ATM's Cisco NLPID), written as the Frame Relay
/// printer writes it without `-e` (`Q.933, ANSI, …`); `Err(jumped)` when
/// the capture cut it (` [|q.933]` already written).
pub fn write_q933(w: &mut Vec<u8>, bytes: &[u8], wire_len: usize, verbose: u8) -> Result<(), bool> {
    q933::write(w, bytes, wire_len, false, verbose).map_err(|cut| {
        w.extend_from_slice(b" [|q.933]");
        cut.jumped
    })
}

/// The ISO CLNS PDU (CLNP, ES-IS, IS-IS) a PPP, PPP-in-HDLC or Cisco
/// HDLC frame carries, which tcpdump hands to the same printer as LLC's
/// SAP 0xfe; `None` for frames that carry something else.
pub fn osi_pdu(f: &Frame<'_>) -> Option<OsiPdu> {
    if ring_links::handles(f.link) {
        return ring_links::osi_pdu(f);
    }
    if matches!(
        f.link,
        crate::decode::juniper::ATM1
            | crate::decode::juniper::ATM2
            | crate::decode::juniper::MLPPP
            | crate::decode::juniper::MLFR
            | crate::decode::juniper::MFR
    ) {
        return juniper::osi_pdu(f);
    }
    serial::osi_pdu(f)
}

/// A PPP frame that carries no IP packet, for the PPP printer the
/// tunnels use (`tcpdump`'s `handle_ppp` serves both): the printer for
/// its framing and where the frame starts. PPPoE's link type too, whose
/// frames the PPPoE printer reads whole. PPP's own link type; PPP in
/// HDLC framing with PPP's address (its protocol is always two bytes);
/// PPP behind Frame Relay's NLPID 0xcf, when its two bytes are on the
/// wire (shorter, the Frame Relay printer marks it).
pub fn ppp_frame(f: &Frame<'_>) -> Option<(&'static crate::dissect::tunnel::Tunnel, usize)> {
    use crate::dissect::tunnel::{PPP_HDLC_LINK, PPP_LINK, PPPOE};
    match f.link {
        PPP => Some((&PPP_LINK, 0)),
        PPP_ETHER => Some((&PPPOE, 0)),
        PPP_HDLC if f.data.first() == Some(&0xff) => Some((&PPP_HDLC_LINK, 0)),
        // Juniper's PPP frame too short for the link type's printer: the
        // PPP printer itself (`decode::juniper::short_frame`).
        crate::decode::juniper::PPP | crate::decode::juniper::MLPPP => {
            juniper::ppp_frame_at(f).map(|at| (&crate::dissect::tunnel::PPP, at))
        }
        FRELAY => match crate::decode::link_more::fr_parse(f.data) {
            crate::decode::link_more::Fr::Header(h)
                if h.nlpid == frame_relay::NLPID_PPP && !frame_relay::ppp_short_on_wire(f, &h) =>
            {
                Some((&PPP_LINK, h.hdr_len))
            }
            _ => None,
        },
        _ => None,
    }
}

/// ARCNET's link types (BSD's and Linux's).
pub fn arcnet_link(link: u32) -> bool {
    arcnet::handles(link)
}

/// What tcpdump's printer of a frame's link type counted as its header
/// (its `ndo_ll_hdr_len`), where a PPI or PKTAP printer around it needs
/// more than where the dump starts: that count, or that the printer gave
/// up (a `longjmp`: the whole record is dumped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    Bytes(usize),
    GaveUp,
}

/// [`Counted`] for the link types whose printers tell a frame they could
/// not decode (0 counted) from giving up, which [`message_dump_from`]'s
/// start (0 for both) does not; `None`: the caller's rules. `from`: where
/// the line's dump starts on its own (0: a printer gave up).
pub fn printer_count(f: &Frame<'_>, from: usize) -> Option<Counted> {
    match f.link {
        _ if wpan::handles(f.link) => Some(wpan::count(f)),
        PFLOG => Some(pflog::count(f, from)),
        _ if crate::decode::juniper::handles(f.link) => Some(juniper::count(f, from)),
        crate::decode::mfr::MFR => Some(mfr::count(f)),
        // A PKTAP record inside PPI or PKTAP whose packet is not handed on.
        PKTAP | crate::decode::link_more::PKTAP_DARWIN
            if crate::decode::link_more::pktap(f.data).is_none() =>
        {
            Some(serial::pktap_count(f.data, f.orig_len))
        }
        // IP over InfiniBand's printer counts what it had of a cut header,
        // its header once whole (unless a printer after it gave up).
        IPOIB => Some(match f.data.len() {
            n if n < crate::decode::link_more::IPOIB_LEN => Counted::Bytes(n),
            _ if from == 0 => Counted::GaveUp,
            _ => Counted::Bytes(crate::decode::link_more::IPOIB_LEN),
        }),
        _ => None,
    }
}

/// [`Counted`] for the link types whose records carry IP without a
/// [`Frame`]: NFLOG's printer counts the TLVs it walked (what it had of
/// a header under 4 bytes); Frame Relay's what it had of a frame under 4
/// bytes, nothing for an invalid address or a header the capture cut (its
/// header printer's `trunc`), else its header (where the line's dump
/// starts); each unless a printer after them gave up (the line's dump
/// from the first byte, `from` 0).
pub fn packet_count(link: u32, data: &[u8], from: usize) -> Option<Counted> {
    use crate::decode::link_more::{Fr, fr_parse};
    match link {
        FRELAY => Some(match fr_parse(data) {
            _ if data.len() < 4 => Counted::Bytes(data.len()),
            Fr::Invalid | Fr::Cut => Counted::Bytes(0),
            _ if from == 0 => Counted::GaveUp,
            _ => Counted::Bytes(from),
        }),
        NFLOG => Some(match serial::nflog_dump_from(data) {
            None => Counted::Bytes(data.len()),
            Some(_) if from == 0 => Counted::GaveUp,
            Some(walked) => Counted::Bytes(walked),
        }),
        _ => None,
    }
}

/// [`Counted`] for a SunATM record, framed or carrying IP: its printer
/// counts its pseudo-header alone, whatever the printers after it counted,
/// unless one gave up (the line's dump from the first byte, `from` 0).
pub fn sunatm_count(from: usize) -> Counted {
    match from {
        0 => Counted::GaveUp,
        _ => Counted::Bytes(crate::decode::sunatm::HEADER_LEN),
    }
}

/// Where the `-x` dump of a frame [`write_message`] printed starts, when
/// tcpdump's printer says (PPP's header); `None`: the caller's default.
pub fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    match f.link {
        IEEE802_11 => wlan::dump_from(f, 0),
        // Radiotap's, Prism's, AVS's and PPI's printers add their header's
        // length to 802.11's.
        _ if wraps_wlan(f.link) => match behind_header(f) {
            Some((inner, len, flags)) => {
                wlan::dump_from(&inner, flags).map(|at| wlan_headers::counted(f.link, len, at))
            }
            None => wlan_headers::message_dump_from(f),
        },
        sunatm::SUNATM => sunatm::message_dump_from(f),
        _ if ring_links::handles(f.link) => ring_links::dump_from(f),
        _ if wpan::handles(f.link) => wpan::dump_from(f),
        PFLOG => pflog::message_dump_from(f),
        IPNET => ipnet::message_dump_from(f),
        slip::SLIP => slip::message_dump_from(f),
        ltalk::LTALK => ltalk::message_dump_from(f),
        ENC => enc::message_dump_from(f),
        _ if crate::decode::juniper::handles(f.link) => juniper::message_dump_from(f),
        bluetooth::BLUETOOTH_H4_PHDR => bluetooth::message_dump_from(f),
        vsock::VSOCK => vsock::message_dump_from(f),
        _ if mfr::handles(f.link) => mfr::message_dump_from(f),
        _ if arcnet::handles(f.link) => arcnet::message_dump_from(f),
        _ if usb::handles(f.link) => usb::dump_from(f),
        _ => serial::message_dump_from(f),
    }
}

/// Where the `-x` dump of a frame whose link header (or PKTAP's inner
/// frame's) was cut starts, when tcpdump's printer counted part of it
/// (NFLOG's TLVs, PKTAP's header); `None`: nothing.
pub fn cut_dump_from(f: &Frame<'_>) -> Option<usize> {
    match f.link {
        NFLOG => serial::nflog_dump_from(f.data),
        PKTAP => Some(serial::pktap_cut_dump_from(f.data)),
        // PPI's packet of another DLT: as PKTAP's (its printer counts the
        // packet's header again).
        crate::decode::wlan_headers::PPI => {
            serial::inner_cut_dump_from(f.data, crate::decode::wlan_headers::ppi_packet(f.data))
        }
        // netANALYZER's, Broadcom's, ipnet's and IP over FireWire's
        // printers give up before counting their header.
        NETANALYZER
        | NETANALYZER_TRANSPARENT
        | BRCM_PREPEND
        | IPNET
        | slip::SLIP
        | AP1394
        | ENC
        | SYMANTEC
        | SLIP_BSDOS
        | SLIP_BSDOS_FILE
        | sunatm::SUNATM
        | bluetooth::BLUETOOTH_H4_PHDR => Some(0),
        PFLOG => pflog::cut_dump_from(f),
        // Juniper's printers jump out on a cut header.
        _ if crate::decode::juniper::handles(f.link) => Some(0),
        // ARCNET's printers give up before counting their header.
        _ if arcnet::handles(f.link) => Some(0),
        _ if ring_links::handles(f.link) => ring_links::cut_dump_from(f),
        // tcpdump's USB printers give back their header's length, longer
        // than the record: the dump is then the whole record.
        _ if usb::handles(f.link) => Some(0),
        _ => None,
    }
}

/// Where the `-x` dump of a frame whose IP packet starts at `net_offset`
/// starts, when tcpdump's link printer counts another header length;
/// `None`: at the IP header.
pub fn ip_dump_from(f: &Frame<'_>, net_offset: usize) -> Option<usize> {
    if f.link == crate::decode::wlan_headers::PPI {
        // A packet of another DLT: its header counted twice, as PKTAP's.
        if let Some((len, _)) = crate::decode::wlan_headers::ppi_packet(f.data) {
            return Some(net_offset + net_offset.saturating_sub(len));
        }
        return Some(counted_dump_from(f, net_offset));
    }
    if ring_links::handles(f.link) {
        return ring_links::ip_dump_from(f, net_offset);
    }
    if crate::decode::juniper::handles(f.link) {
        return juniper::ip_dump_from(f);
    }
    serial::ip_dump_from(f, net_offset)
}

/// A frame whose ` [|ppp]` mark comes from a printer's own length check
/// (a PPP payload in Frame Relay too short on the wire), not from a jump
/// on bytes the capture cut: its `-x` dump starts after the header.
pub fn ppp_mark_checked(f: &Frame<'_>) -> bool {
    if matches!(
        f.link,
        crate::decode::juniper::PPP | crate::decode::juniper::MLPPP
    ) {
        return juniper::ppp_mark_checked(f);
    }

    f.link == FRELAY
        && crate::decode::link_more::fr_header(f.data)
            .is_some_and(|h| frame_relay::ppp_short_on_wire(f, &h))
}

/// A SNAP header outside LLC (Frame Relay's NLPID 0x80): its OUI and
/// protocol id, where its payload starts in the frame, and the payload's
/// length on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapPayload {
    /// The Frame Relay header's length: tcpdump's `-x` dump starts there.
    pub header_len: usize,
    pub oui: u32,
    pub pid: u16,
    pub at: usize,
    pub wire_len: usize,
}

/// The SNAP header of a Frame Relay frame whose NLPID is SNAP's (tcpdump
/// hands what follows to LLC's SNAP printer), or the EtherType of Cisco's
/// encapsulation; `None` for other frames.
pub fn snap_payload(f: &Frame<'_>) -> Option<SnapPayload> {
    use crate::decode::link_more::{
        AP1394_LEN, IPOIB_LEN, SYMANTEC, SYMANTEC_LEN, ap1394_printed_type, ipoib_printed_type,
        symantec_printed_type,
    };
    // The EtherType printer, as behind SNAP's OUI 0.
    let by_type = match f.link {
        AP1394 => Some((ap1394_printed_type(f.data), AP1394_LEN)),
        IPOIB => Some((ipoib_printed_type(f.data), IPOIB_LEN)),
        SYMANTEC => Some((symantec_printed_type(f.data), SYMANTEC_LEN)),
        _ => None,
    };
    if f.link == crate::decode::juniper::PPPOE_ATM {
        return juniper::snap_payload(f);
    }
    if let Some((t, len)) = by_type {
        return Some(SnapPayload {
            header_len: len,
            oui: 0,
            pid: t?,
            at: len,
            wire_len: f.orig_len.saturating_sub(len),
        });
    }
    if arcnet::handles(f.link) {
        return arcnet::snap_payload(f);
    }
    if f.link != FRELAY {
        return None;
    }
    use crate::decode::link_more::{Fr, fr_parse};
    match fr_parse(f.data) {
        Fr::Header(h) => frame_relay::snap_payload(f, &h),
        // Cisco's EtherType encapsulation: as SNAP's OUI 0 (tcpdump's
        // EtherType printer either way).
        Fr::Cisco(c) => Some(SnapPayload {
            header_len: c.hdr_len(),
            oui: 0,
            pid: c.ether_type,
            at: c.hdr_len(),
            wire_len: f.orig_len.saturating_sub(c.hdr_len()),
        }),
        _ => None,
    }
}

/// Where tcpdump's `-x` dump starts when its printers counted the
/// record up to byte `at`: PPI's printer counts the part the printer
/// behind it counted twice.
pub fn counted_dump_from(f: &Frame<'_>, at: usize) -> usize {
    match behind_header(f) {
        Some((_, len, _)) => wlan_headers::counted(f.link, len, at.saturating_sub(len)),
        None => at,
    }
}

/// Link types whose records are an 802.11 frame behind a header.
fn wraps_wlan(link: u32) -> bool {
    link == IEEE802_11_RADIO || crate::decode::wlan_headers::handles(link)
}

/// The 802.11 frame behind a radiotap, Prism, AVS or PPI header, the
/// header's length and radiotap's flags (0 for the others).
fn behind_header<'a>(f: &Frame<'a>) -> Option<(Frame<'a>, usize, u8)> {
    use crate::decode::wlan_headers::{Header, header};
    let (len, flags) = match f.link {
        IEEE802_11_RADIO => {
            let r = crate::decode::wlan::radiotap(f.data)?;
            (r.len, r.flags)
        }
        _ => match header(f.link, f.data) {
            Header::Frame { at, .. } => (at, 0),
            _ => return None,
        },
    };
    let inner = Frame {
        link: IEEE802_11,
        data: f.data.get(len..).unwrap_or(&[]),
        orig_len: f.orig_len.saturating_sub(len),
        ..*f
    };
    Some((inner, len, flags))
}

/// The LLC PDU of an 802.11 data frame (bare or behind radiotap), a
/// Token Ring, FDDI or ATM frame that carries no IP packet, for the LLC
/// printer the 802.3 frames use.
pub fn llc_body<'a>(f: &Frame<'a>) -> Option<LlcBody<'a>> {
    match f.link {
        _ if wraps_wlan(f.link) => {
            let (inner, len, flags) = behind_header(f)?;
            let body = wlan::llc_body(&inner, flags)?;
            Some(LlcBody {
                offset: body.offset + len,
                ..body
            })
        }
        IEEE802_11 => wlan::llc_body(f, 0),
        _ if ring_links::handles(f.link) => ring_links::llc_body(f),
        _ => None,
    }
}

/// The words before the network layer; `true` when `-e` printed the
/// header (the network layer's printer then leaves out its `IP `).
pub fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    match f.link {
        _ if wraps_wlan(f.link) => {
            let ppi = wlan_headers::write_prefix(w, f);
            let Some((inner, len, flags)) = behind_header(f) else {
                return ppi;
            };
            if f.link == IEEE802_11_RADIO {
                radiotap::write_fields(w, f.data.get(..len).unwrap_or(&[]));
            }
            f.eflag && wlan::write_header(w, &inner, flags)
        }
        IEEE802_11 => f.eflag && wlan::write_header(w, f, 0),
        sunatm::SUNATM => sunatm::write_prefix(w, f),
        _ if ring_links::handles(f.link) => ring_links::write_prefix(w, f),
        PFLOG => pflog::write_prefix(w, f),
        IPNET => ipnet::write_prefix(w, f),
        slip::SLIP => slip::write_prefix(w, f),
        ENC => enc::write_prefix(w, f),
        _ if crate::decode::juniper::handles(f.link) => juniper::write_prefix(w, f),
        bluetooth::BLUETOOTH_H4_PHDR => bluetooth::write_prefix(w, f),
        // The whole line is the message's.
        vsock::VSOCK => false,
        _ if mfr::handles(f.link) => false,
        _ if arcnet::handles(f.link) => arcnet::write_prefix(w, f),
        _ => serial::write_prefix(w, f),
    }
}

/// Where `-e`'s words of a frame (just written by [`write_prefix`]) end
/// its line, the mark tcpdump adds (` [|slip]`): a SLIP record whose
/// compressed TCP header's packet the capture cut. The record is dumped
/// whole.
pub fn prefix_cut(f: &Frame<'_>) -> Option<&'static str> {
    (f.link == slip::SLIP && slip::header_cut(f)).then_some("slip")
}

/// The words of a record's header before the Ethernet frame it wraps
/// (`decode::link_more::frame_at`): under `-e` (`eflag`) Broadcom's
/// prepended tag; a SunATM LANE record's header under `-e` and its LE
/// client id; nothing for netANALYZER's or any other record.
pub fn write_record_prefix(w: &mut Vec<u8>, link: u32, record: &[u8], eflag: bool) {
    if link == sunatm::SUNATM {
        sunatm::write_lane_prefix(w, record, eflag);
    }
    if eflag
        && link == crate::decode::link_more::BRCM_PREPEND
        && let Some(tag) = record.first_chunk::<4>()
    {
        brcm::write_tag(w, *tag);
    }
}

/// The line of a frame with no network layer; the bytes to dump after it.
pub fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    match f.link {
        _ if wraps_wlan(f.link) => match behind_header(f) {
            Some((inner, _, flags)) => wlan::write_message(w, &inner, flags),
            None => wlan_headers::write_message(w, f),
        },
        IEEE802_11 => wlan::write_message(w, f, 0),
        PPP | PPP_HDLC | C_HDLC | FRELAY | NFLOG | IPOIB | PKTAP | AP1394 | SYMANTEC => {
            serial::write_message(w, f)
        }
        PFLOG => pflog::write_message(w, f),
        _ if crate::decode::juniper::handles(f.link) => juniper::write_message(w, f),
        IPNET => ipnet::write_message(w, f),
        slip::SLIP => slip::write_message(w, f),
        ltalk::LTALK => ltalk::write_message(w, f),
        bluetooth::BLUETOOTH_H4_PHDR => bluetooth::write_message(f),
        vsock::VSOCK => {
            vsock::write_message(w, f);
            None
        }
        _ if mfr::handles(f.link) => mfr::write_message(w, f),
        _ if arcnet::handles(f.link) => arcnet::write_message(w, f),
        sunatm::SUNATM => {
            sunatm::write_message(w, f);
            None
        }
        _ if ring_links::handles(f.link) => ring_links::write_message(w, f),
        _ if wpan::handles(f.link) => {
            wpan::write_message(w, f);
            None
        }
        _ if usb::handles(f.link) => {
            usb::write_message(w, f);
            None
        }
        _ => None,
    }
}

/// tcpdump's `hex_print`: rows of 16 bytes after a new line and a tab,
/// without the ASCII column.
pub fn put_hex_rows(w: &mut Vec<u8>, bytes: &[u8]) {
    for (row, chunk) in bytes.chunks(16).enumerate() {
        super::ctl::out!(w, "\n\t0x{:04x}: ", row * 16);
        for pair in chunk.chunks(2) {
            w.push(b' ');
            for b in pair {
                super::ctl::out!(w, "{b:02x}");
            }
        }
    }
}

/// tcpdump's default print of `t` (with `-x`/`-X` it is replaced by the
/// dump: `hex` false).
pub fn put_tail(w: &mut Vec<u8>, t: Tail<'_>, hex: bool) {
    if hex && t.ascii {
        let _ = super::ctl::put_hex_ascii(w, t.bytes, 0, t.bytes.len(), "\n\t");
    } else if hex {
        put_hex_rows(w, t.bytes);
    }
    if !t.cut_mark.is_empty() && t.bytes.len() < t.wire_len {
        super::ctl::out!(w, " [|{}]", t.cut_mark);
    }
}

/// Whether the LLC printer names the addresses of a frame of `link`
/// (RFC 1483 ATM has none).
pub fn llc_has_addresses(link: u32) -> bool {
    ring_links::has_addresses(link)
}
