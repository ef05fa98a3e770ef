//! The link layers of serial lines, tunnels' endpoints and radios that
//! `tcpdump` reads (PPP, PPP in HDLC framing, Cisco HDLC, Frame Relay,
//! NFLOG, IP over InfiniBand, 802.11 with or without radiotap (behind
//! Prism, AVS and PPI headers: `wlan_headers`), pf's logs through
//! `pflog`; Linux usbmon's, which carry none: `usb`): where
//! their header ends and whether an IP packet follows. What their headers
//! say in a line is `dissect::link`'s; this module only finds the network
//! layer, so that the IP printers, filters' flows and the flow view see the
//! packet inside.

use super::link::{LinkInfo, Payload};
use super::link_header::be16;
use crate::packet::{LinkType, Packet};
use etherparse::EtherType;

pub const PPP: u32 = 9;
pub const PPP_HDLC: u32 = 50;
/// pppd's PPP whose first byte says the direction (DLT_PPP_WITHDIRECTION):
/// tcpdump 4.99 prints it as PPP's 9, direction unprinted.
pub const PPP_PPPD: u32 = 166;
/// PPPoE frames without their Ethernet header (BSD's `ppp_ether`).
pub const PPP_ETHER: u32 = 51;
pub const C_HDLC: u32 = 104;
/// Cisco HDLC's other number (DLT_CHDLC where it is not 104), which
/// tcpdump prints and libpcap filters as 104.
pub const C_HDLC_ALT: u32 = 112;
pub const IEEE802_11: u32 = 105;
pub const FRELAY: u32 = 107;
/// FRF.16 multilink Frame Relay: a 2-byte fragment header (a Frame Relay
/// frame after a first fragment's) or a control frame.
pub const MFR: u32 = 182;
pub const IEEE802_11_RADIO: u32 = 127;
pub const NFLOG: u32 = 239;
pub const IPOIB: u32 = 242;
/// Apple's IP over IEEE 1394 (FireWire): two 8-byte EUI-64 addresses and
/// an EtherType.
pub const AP1394: u32 = 138;
pub const AP1394_LEN: usize = 18;
/// BSD/OS's SLIP (DLT 15, LINKTYPE 102): tcpdump's IPv4 printer after a
/// 16-byte header it prints nothing of (libpcap's filters take 24).
pub const SLIP_BSDOS: u32 = 15;
pub const SLIP_BSDOS_FILE: u32 = 102;
pub const SLIP_BSDOS_LEN: usize = 16;
/// BSD/OS's PPP (DLT 16, LINKTYPE 103): tcpdump 4.99 prints nothing of
/// its records but their bytes under `-x`.
pub const PPP_BSDOS: u32 = 16;
pub const PPP_BSDOS_FILE: u32 = 103;
/// Bluetooth HCI (H4) with Linux's 4-byte direction pseudo-header.
pub const BLUETOOTH_H4_PHDR: u32 = 201;
/// Symantec's firewall (link type 99): a 44-byte header whose bytes 6
/// and 7 are an EtherType.
pub const SYMANTEC: u32 = 99;
pub const SYMANTEC_LEN: usize = 44;
const SYMANTEC_TYPE_AT: usize = 6;
pub const PKTAP: u32 = 258;
/// DLT_PKTAP's number on Darwin (DLT_USER2's), which files from macOS
/// carry: tcpdump prints its records as PKTAP's.
pub const PKTAP_DARWIN: u32 = 149;
/// Hilscher's netANALYZER: an Ethernet frame after a 4-byte pseudo
/// header; its transparent mode keeps the preamble and SFD too (12).
pub const NETANALYZER: u32 = 240;
/// IEEE 802.15.4 frames, with their FCS (195) and without (230): the
/// 802.15.4 printer's alone (no IP inside that tcpdump decodes).
pub const IEEE802_15_4: u32 = 195;
pub const IEEE802_15_4_NOFCS: u32 = 230;
/// IEEE 802.15.4 frames behind the TAP pseudo-header (version, reserved
/// byte, its little-endian length and TLVs): the same printer's, after it.
pub const IEEE802_15_4_TAP: u32 = 283;
pub const NETANALYZER_TRANSPARENT: u32 = 241;
/// An Ethernet frame after Broadcom's 4-byte switch tag.
pub const BRCM_PREPEND: u32 = 282;
/// An Ethernet frame with Broadcom's 4-byte switch tag between the source
/// address and the EtherType.
pub const BRCM: u32 = 281;
/// Marvell's DSA tag (4 bytes) and EDSA tag (an EtherType, two reserved
/// bytes and the DSA tag) in the same place.
pub const DSA: u32 = 284;
pub const EDSA: u32 = 285;
/// Where a switch tag sits in its frame: after the two addresses.
pub const SWITCH_TAG_AT: usize = 12;

/// The length of the header before the Ethernet frame a record of `link`
/// carries whole, with the word tcpdump marks a shorter record with: the
/// netANALYZER link types and Broadcom's prepended switch tag, whose
/// frame every stage reads as an Ethernet capture's (libpcap filters the
/// netANALYZER ones at the header's offset, and refuses the tagged one).
pub fn ethernet_inside(link: LinkType) -> Option<(usize, &'static str)> {
    match link {
        LinkType::Other(NETANALYZER) => Some((4, "netanalyzer")),
        LinkType::Other(NETANALYZER_TRANSPARENT) => Some((12, "netanalyzer_transparent")),
        LinkType::Other(BRCM_PREPEND) => Some((4, "brcm-tag-prepend")),
        _ => None,
    }
}

/// Where the Ethernet frame of a record of `link` starts: after the
/// header of a link type [`ethernet_inside`] names, or after a SunATM
/// LANE data record's pseudo-header and LE header (tcpdump's LANE
/// printer hands it to its Ethernet printer).
pub fn frame_at(link: LinkType, data: &[u8]) -> Option<usize> {
    match link {
        LinkType::Other(super::sunatm::SUNATM) => super::sunatm::ethernet_at(data),
        _ => ethernet_inside(link).map(|(len, _)| len),
    }
}

/// A record of a link type [`ethernet_inside`] names, with its header
/// whole: the Ethernet frame in it as a packet of an Ethernet capture
/// (the wire length without the header, as tcpdump counts it).
pub fn ethernet_packet<'a>(pkt: &Packet<'a>) -> Option<Packet<'a>> {
    let len = frame_at(pkt.link, pkt.data)?;
    Some(Packet {
        link: LinkType::Ethernet,
        data: pkt.data.get(len..)?,
        orig_len: pkt.orig_len.saturating_sub(len as u32),
        ..*pkt
    })
}

/// The length of the switch tag a record of `link` carries between its
/// source address and its EtherType, with the word tcpdump marks a record
/// too short for it with: Broadcom's (281), Marvell's DSA (284) and EDSA
/// (285). tcpdump's Ethernet printer reads such a frame as if the tag
/// were not there, after printing it.
pub fn switch_tag(link: LinkType) -> Option<(usize, &'static str)> {
    match link {
        LinkType::Other(BRCM) => Some((4, "brcm-tag")),
        LinkType::Other(DSA) => Some((4, "dsa")),
        LinkType::Other(EDSA) => Some((8, "edsa")),
        _ => None,
    }
}

/// A switch-tagged frame's header (see [`switch_tag`]).
pub struct SwitchTagged<'a> {
    pub dst: &'a [u8],
    pub src: &'a [u8],
    pub tag: &'a [u8],
    pub ether_type: u16,
}

/// The header of a record of a link type [`switch_tag`] names, when it
/// holds the EtherType after the tag.
pub fn switch_tagged<'a>(pkt: &Packet<'a>) -> Option<SwitchTagged<'a>> {
    let (len, _) = switch_tag(pkt.link)?;
    Some(SwitchTagged {
        dst: pkt.data.get(..6)?,
        src: pkt.data.get(6..SWITCH_TAG_AT)?,
        tag: pkt.data.get(SWITCH_TAG_AT..SWITCH_TAG_AT + len)?,
        ether_type: be16(pkt.data, SWITCH_TAG_AT + len)?,
    })
}

/// A record of a link type [`switch_tag`] names, long enough to hold its
/// tag and the EtherType after it: the Ethernet frame without the tag,
/// copied into `buf` (its wire length less the tag's), and the tag.
pub fn untagged<'b>(pkt: &Packet<'_>, buf: &'b mut Vec<u8>) -> Option<(Packet<'b>, &'b [u8])> {
    let (len, _) = switch_tag(pkt.link)?;
    let tag = pkt.data.get(SWITCH_TAG_AT..SWITCH_TAG_AT + len)?;
    let rest = pkt.data.get(SWITCH_TAG_AT + len..)?;
    if rest.len() < 2 {
        return None;
    }
    buf.clear();
    buf.extend_from_slice(pkt.data.get(..SWITCH_TAG_AT)?);
    buf.extend_from_slice(rest);
    buf.extend_from_slice(tag);
    let (frame, tag) = buf.split_at(buf.len() - len);
    Some((
        Packet {
            link: LinkType::Ethernet,
            data: frame,
            orig_len: pkt.orig_len.saturating_sub(len as u32),
            ..*pkt
        },
        tag,
    ))
}

/// The Ethernet frame in a record of a link type [`ethernet_inside`]
/// names: `(LinkType::Ethernet, frame)`; any other record as it is.
pub fn unwrap_ethernet(link: LinkType, data: &[u8]) -> (LinkType, &[u8]) {
    // Juniper's Ethernet and PPPoE records, after their header.
    if let Some(frame) = super::juniper::ethernet(link, data) {
        return (LinkType::Ethernet, frame);
    }
    match frame_at(link, data).and_then(|len| data.get(len..)) {
        Some(frame) => (LinkType::Ethernet, frame),
        None => (link, data),
    }
}

/// The link types this module strips.
pub fn handles(link: u32) -> bool {
    matches!(
        link,
        PPP | PPP_HDLC
            | PPP_PPPD
            | PPP_ETHER
            | C_HDLC
            | C_HDLC_ALT
            | IEEE802_11
            | FRELAY
            | IEEE802_11_RADIO
            | NFLOG
            | IPOIB
            | AP1394
            | SYMANTEC
            | BLUETOOTH_H4_PHDR
            | SLIP_BSDOS
            | SLIP_BSDOS_FILE
            | PPP_BSDOS
            | PPP_BSDOS_FILE
            | PKTAP
            | PKTAP_DARWIN
            | NETANALYZER
            | NETANALYZER_TRANSPARENT
            | BRCM_PREPEND
            | BRCM
            | DSA
            | EDSA
            | IEEE802_15_4
            | IEEE802_15_4_NOFCS
            | IEEE802_15_4_TAP
            | super::pflog::PFLOG
            | super::ipnet::IPNET
            | super::slip::SLIP
            | super::ltalk::LTALK
            | super::sunatm::SUNATM
            | super::enc::ENC
            | super::vsock::VSOCK
            | MFR
            | super::arcnet::ARCNET
            | super::arcnet::ARCNET_LINUX
    ) || super::rings::handles(link)
        || super::juniper::handles(link)
        || super::usb::handles(link)
        || super::wlan_headers::handles(link)
}

fn le16(data: &[u8], at: usize) -> Option<u16> {
    be16(data, at).map(u16::swap_bytes)
}

/// A PPP frame's protocol and header length: after the optional `ff 03`
/// address and control (or pppd's direction, `00 03` in, `01 03` out, in
/// its place), a one-byte (odd) or two-byte protocol field.
pub fn ppp_header(data: &[u8]) -> Option<(u16, usize)> {
    let at = match be16(data, 0)? {
        0xff03 | PPPD_IN | PPPD_OUT => 2,
        _ => 0,
    };
    let first = *data.get(at)?;
    if first % 2 == 1 {
        Some((u16::from(first), at + 1))
    } else {
        Some((be16(data, at)?, at + 2))
    }
}

/// pppd's direction where a PPP frame's address and control would be.
pub const PPPD_IN: u16 = 0x0003;
pub const PPPD_OUT: u16 = 0x0103;

/// A SNAP header's OUI and protocol id at `at`, when its five bytes are
/// captured.
pub fn snap_at(data: &[u8], at: usize) -> Option<(u32, u16)> {
    let b = data.get(at..at.checked_add(5)?)?;
    let oui = u32::from_be_bytes([0, *b.first()?, *b.get(1)?, *b.get(2)?]);
    Some((oui, be16(b, 3)?))
}

/// What a Frame Relay frame carries after its header: IPv4 or IPv6 by
/// NLPID, through PPP (NLPID 0xcf) or through SNAP (0x80) with an
/// Ethernet (or Cisco bridged) OUI; the frame's own message otherwise.
fn fr_payload(data: &[u8], h: FrHeader) -> Payload<'_> {
    let at = h.hdr_len;
    match h.nlpid {
        0xcc | 0x8e => carried(super::wlan::nlpid_ether_type(h.nlpid), data, at),
        0xcf => match data.get(at..).and_then(ppp_header) {
            Some((proto, ppp_len)) => carried(ppp_to_ether(proto), data, at + ppp_len),
            None => Payload::Message(data),
        },
        0x80 => match snap_at(data, at) {
            Some((0x000000 | 0x0000f8, t)) if snap_ether_type_carried(t) => {
                carried(Some(t), data, at + 5)
            }
            _ => Payload::Message(data),
        },
        _ => Payload::Message(data),
    }
}

/// The EtherTypes behind Frame Relay's SNAP header (OUI 0 or Cisco's
/// bridged) that go on as the network layer, as behind an Ethernet
/// header: IP, ARP and RARP, ISO CLNS's 0xfefe and the tunnels tcpdump's
/// EtherType printer follows (MPLS, PPPoE, NSH). The others are the
/// frame's own message, for SNAP's printers (LLDP, IPX …, or the header
/// and hex); VLAN tags among them: tcpdump's EtherType printer does not
/// follow them there.
fn snap_ether_type_carried(t: u16) -> bool {
    is_ip(t)
        || matches!(t, 0x0806 | 0x8035 | 0xfefe)
        || crate::dissect::tunnel::ethertype(t).is_some()
}

/// The EtherType PPP's protocol number stands for, when it is IP: the
/// network layer, for filters (`ip` is PPP's 0x0021 to them) and flows.
/// IP under its EtherType or as Van Jacobson's uncompressed TCP/IP is
/// the PPP printer's alone (under `-e` tcpdump does not even name it).
pub fn ppp_to_ether(proto: u16) -> Option<u16> {
    match proto {
        0x21 => Some(0x0800),
        0x57 => Some(0x86dd),
        _ => None,
    }
}

/// A Frame Relay frame's header: its Q.922 address (two, three or four
/// bytes: the DLCI and its flag bits as tcpdump numbers them), whether a
/// pad byte follows the UI control byte, the header's whole length and
/// the NLPID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrHeader {
    pub dlci: u32,
    pub addr_len: usize,
    /// C/R `0x0200_0000`, FECN/BECN/DE `0x000e_0000`, SDLC `0x2` (the
    /// last byte of a three- or four-byte address).
    pub flags: u32,
    pub pad: bool,
    pub hdr_len: usize,
    pub nlpid: u8,
    /// A control byte other than UI (on a DLCI other than 0) whose two
    /// bytes are no EtherType tcpdump's printer decodes: the byte (its
    /// `UI 12! `) and, when captured, those two bytes (under `-e` its
    /// header with `cisco-ethertype unknown (0x1234)` first). The header
    /// is then read as if the control byte were UI.
    pub not_ui: Option<(u8, Option<u16>)>,
}

/// Cisco's EtherType encapsulation in Frame Relay: a control byte other
/// than UI on a DLCI other than 0 where the address is followed by an
/// EtherType tcpdump's EtherType printer decodes; the packet follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrCisco {
    pub dlci: u32,
    pub addr_len: usize,
    pub flags: u32,
    pub ether_type: u16,
}

impl FrCisco {
    /// The address and the EtherType: where tcpdump's `-x` dump starts.
    pub fn hdr_len(&self) -> usize {
        self.addr_len + 2
    }
}

/// What a Frame Relay frame's first bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fr {
    Header(FrHeader),
    Cisco(FrCisco),
    /// The address's first byte ends it, or it runs past four bytes
    /// (tcpdump: `Q.922, invalid address`).
    Invalid,
    /// The capture ends inside the header.
    Cut,
}

/// The Q.922 address at the start of `data`: DLCI, length, flags.
pub fn q922(data: &[u8]) -> Result<(u32, usize, u32), Fr> {
    let a = *data.first().ok_or(Fr::Cut)?;
    if a & 1 != 0 {
        return Err(Fr::Invalid);
    }
    let b = *data.get(1).ok_or(Fr::Cut)?;
    let mut dlci = (u32::from(a & 0xfc) << 2) | u32::from(b >> 4);
    let mut flags = (u32::from(a & 0x02) << 24) | (u32::from(b & 0x0e) << 16);
    if b & 1 != 0 {
        return Ok((dlci, 2, flags));
    }
    let mut at = 2;
    let c = *data.get(at).ok_or(Fr::Cut)?;
    if c & 1 == 0 {
        dlci = (dlci << 7) | u32::from(c >> 1);
        at += 1;
    }
    let last = *data.get(at).ok_or(Fr::Cut)?;
    if last & 1 == 0 {
        return Err(Fr::Invalid);
    }
    flags |= u32::from(last & 0x02);
    dlci = (dlci << 6) | u32::from(last >> 2);
    Ok((dlci, at + 1, flags))
}

/// Whether tcpdump's EtherType printer decodes `t` as sockscope follows
/// it (the network layers of [`snap_ether_type_carried`], the EtherType
/// dissectors, CALM FAST's printer).
fn ether_type_printed(t: u16) -> bool {
    snap_ether_type_carried(t) || crate::dissect::ethertype(t).is_some() || t == 0x1111
}

/// A Frame Relay frame's header as tcpdump reads it: the address, then
/// Cisco's EtherType encapsulation when the control byte is not UI (on
/// a DLCI other than 0) and an EtherType tcpdump decodes follows;
/// otherwise, whatever the control byte, an optional pad byte and the
/// NLPID.
pub fn fr_parse(data: &[u8]) -> Fr {
    let (dlci, addr_len, flags) = match q922(data) {
        Ok(a) => a,
        Err(fr) => return fr,
    };
    let Some(&control) = data.get(addr_len) else {
        return Fr::Cut;
    };
    let mut not_ui = None;
    if control != 0x03 && dlci != 0 {
        let ether_type = be16(data, addr_len);
        if let Some(t) = ether_type.filter(|&t| ether_type_printed(t)) {
            return Fr::Cisco(FrCisco {
                dlci,
                addr_len,
                flags,
                ether_type: t,
            });
        }
        not_ui = Some((control, ether_type));
    }
    let Some(&next) = data.get(addr_len + 1) else {
        return Fr::Cut;
    };
    let pad = next == 0;
    let hdr_len = addr_len + if pad { 3 } else { 2 };
    match data.get(hdr_len - 1) {
        Some(&nlpid) => Fr::Header(FrHeader {
            dlci,
            addr_len,
            flags,
            pad,
            hdr_len,
            nlpid,
            not_ui,
        }),
        None => Fr::Cut,
    }
}

/// Whether a Frame Relay frame cut short of its NLPID had its first four
/// bytes captured: tcpdump's link printer checks those itself (no dump
/// after its mark); a cut after them ends its header printer, which gives
/// back no header length (its dump then starts at the first byte).
pub fn fr_cut_after_check(data: &[u8]) -> bool {
    data.len() >= 4 && matches!(fr_parse(data), Fr::Cut)
}

/// Whether a pad byte follows the UI control byte, and the address's
/// length, once the byte after the control byte is captured (tcpdump
/// judges the pad before it reads the NLPID).
pub fn fr_pad(data: &[u8]) -> Option<(bool, usize)> {
    let (_, addr_len, _) = q922(data).ok()?;
    if let Fr::Cisco(_) = fr_parse(data) {
        return None;
    }
    Some((*data.get(addr_len + 1)? == 0, addr_len))
}

/// A control byte other than UI on a DLCI other than 0 that is not
/// Cisco's EtherType encapsulation: the byte, and the two bytes after the
/// address when captured ([`FrHeader::not_ui`], also when the header
/// after it is cut).
pub fn fr_not_ui(data: &[u8]) -> Option<(u8, Option<u16>)> {
    // tcpdump's link printer wants four bytes before its header printer.
    if data.len() < 4 {
        return None;
    }
    let (dlci, addr_len, _) = q922(data).ok()?;
    let control = *data.get(addr_len)?;
    if control == 0x03 || dlci == 0 || matches!(fr_parse(data), Fr::Cisco(_)) {
        return None;
    }
    Some((control, be16(data, addr_len)))
}

/// [`fr_parse`]'s header, when there is one.
pub fn fr_header(data: &[u8]) -> Option<FrHeader> {
    match fr_parse(data) {
        Fr::Header(h) => Some(h),
        _ => None,
    }
}

/// NFLOG's packet: what follows the payload TLV's (`NFULA_PAYLOAD`)
/// header, up to the end of the capture (`None` when there is no payload
/// TLV, `Err` when a TLV before it or itself was cut by the capture).
/// tcpdump's printer hands its IP printers everything after that header,
/// not the TLV's value: a TLV shorter than its packet does not cut it,
/// and the TLVs after it are read as the packet's bytes. TLV lengths are
/// in the writer's byte order (little endian on the hosts that write it,
/// as tcpdump assumes) and padded to 4 bytes.
pub fn nflog_payload(data: &[u8]) -> Result<Option<&[u8]>, Cut> {
    nflog_walk(data).0
}

/// [`nflog_payload`], and how far the walk got: the offset of the TLV it
/// stopped at, or of the packet it found (what tcpdump's NFLOG printer
/// counts as header, where its `-x` dump starts).
pub fn nflog_walk(data: &[u8]) -> (Result<Option<&[u8]>, Cut>, usize) {
    let mut at = 4usize;
    // Each TLV is at least 4 bytes: the walk ends.
    while at < data.len() {
        let (Some(len), Some(kind)) = (le16(data, at), le16(data, at + 2)) else {
            return (Err(Cut), at);
        };
        // tcpdump's printer pads the length to 4 bytes first: only a
        // length of 0 is under the TLV's own header (its printer then
        // gives up, ` [|nflog]`); 1 to 3 are a header without a value.
        let len = usize::from(len);
        if len == 0 {
            return (Err(Cut), at);
        }
        // tcpdump's printer wants each TLV whole with its padding, the
        // payload's too (even though it reads past it).
        let padded = at + len.next_multiple_of(4);
        if data.get(at..padded).is_none() {
            return (Err(Cut), at);
        }
        if kind == NFULA_PAYLOAD {
            return (Ok(data.get(at + 4..)), at + 4);
        }
        at = padded;
    }
    // The walk reached the end of what was captured: tcpdump's goes on
    // by the length on the wire, and finds the capture cut (a message
    // without a payload at all is rare enough to be taken for that too).
    (Err(Cut), at)
}

/// A header the capture cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cut;

pub const NFULA_PAYLOAD: u16 = 9;

/// Apple's PKTAP header: at least this long, its length, record type and
/// the DLT of the frame after it at 0, 4 and 8 (little endian).
pub const PKTAP_LEN: usize = 108;

/// A PKTAP record's header length and the DLT of the packet it carries
/// (`None`: not a packet record, or a header that does not fit).
fn pktap_packet(data: &[u8]) -> Option<(usize, u32)> {
    let le32 = |at: usize| -> Option<u32> {
        let b: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
        Some(u32::from_le_bytes(b))
    };
    let len = usize::try_from(le32(0)?).ok()?;
    if data.len() < PKTAP_LEN || len < PKTAP_LEN || len > data.len() || le32(4)? != 1 {
        return None;
    }
    Some((len, le32(8)?))
}

/// A PKTAP record's header length and the link type of the packet it
/// carries, for the link types tcpdump's PKTAP printer hands on and we
/// decode (`None`: not a packet record, a header that does not fit, or a
/// DLT printed as `DLT UNKNOWN` and hex). A PKTAP or PPI record inside is
/// followed as far as [`nesting_fits`] allows.
pub fn pktap(data: &[u8]) -> Option<(usize, LinkType)> {
    let (len, dlt) = pktap_packet(data)?;
    let link = pktap_dlt(dlt)?;
    let ours = match link {
        LinkType::Other(n) => handles(n),
        _ => true,
    };
    let inner = data.get(len..).unwrap_or(&[]);
    (ours && nesting_fits(link, inner)).then_some((len, link))
}

/// How many PKTAP and PPI headers deep (inside the record's own) a packet
/// is followed. tcpdump's printers call each other once per header with
/// no bound (a record of 8-byte PPI headers nests thousands deep); past
/// this depth the outermost header's packet is left to the default print
/// (its words and the bytes), so the walks that follow the nesting stay
/// short and their recursion shallow.
pub const MAX_NESTING: usize = 16;

/// Whether a packet of link type `link` (`data`), inside a PKTAP or PPI
/// header, is followed: anything but a PKTAP or PPI record, or one whose
/// own nested headers end within [`MAX_NESTING`] levels. The walk is a
/// loop over the headers, so it is bounded whatever the record holds.
pub fn nesting_fits(link: LinkType, data: &[u8]) -> bool {
    let (mut link, mut data) = (link, data);
    for _ in 0..MAX_NESTING {
        let next = match link.number() {
            PKTAP | PKTAP_DARWIN => pktap_packet(data).and_then(|(len, dlt)| {
                let link = pktap_dlt(dlt)?;
                let unknown = matches!(link, LinkType::Other(n) if !handles(n));
                (!unknown).then_some((len, link))
            }),
            super::wlan_headers::PPI => super::wlan_headers::ppi_direct(data),
            _ => return true,
        };
        // A header whose packet is not followed ends the walk there.
        let Some((len, inner)) = next else {
            return true;
        };
        link = inner;
        data = data.get(len..).unwrap_or(&[]);
    }
    !matches!(
        link.number(),
        PKTAP | PKTAP_DARWIN | super::wlan_headers::PPI
    )
}

/// The link type of a DLT number as tcpdump's Linux build knows it:
/// DLT_RAW is 12; OpenBSD's 14 and the file numbers that are no DLT on
/// Linux (100 to 103, 106) have none (`DLT UNKNOWN`).
pub fn pktap_dlt(dlt: u32) -> Option<LinkType> {
    match dlt {
        12 => Some(LinkType::Raw),
        14 | 100..=103 | 106 => None,
        n => Some(LinkType::from_number(n)),
    }
}

/// Whether the EtherType printer tcpdump hands `t` to goes on to the
/// network layer (IP, ARP, ISO CLNS, the tunnels it follows) as behind
/// SNAP's OUI 0.
pub fn carried_type(t: u16) -> bool {
    snap_ether_type_carried(t)
}

/// Whether tcpdump's EtherType printer decodes `t` without it going on as
/// the network layer (LLDP, EAPOL, IPX …, its SNAP printers' protocols).
pub fn printed_type(t: u16) -> bool {
    ether_type_printed(t) && !snap_ether_type_carried(t)
}

/// IP over FireWire's EtherType when tcpdump's EtherType printer decodes
/// a protocol there that does not go on as the network layer (LLDP,
/// EAPOL, IPX …, its SNAP printers' protocols); `None` for the others.
pub fn ap1394_printed_type(data: &[u8]) -> Option<u16> {
    let t = be16(data, 16)?;
    (ether_type_printed(t) && !snap_ether_type_carried(t)).then_some(t)
}

/// IP over FireWire's source and destination EUI-64s (the header's
/// second and first eight bytes), when captured.
pub fn ap1394_addresses(data: &[u8]) -> Option<(&[u8], &[u8])> {
    Some((data.get(8..16)?, data.get(..8)?))
}

/// The EtherType of a Symantec firewall record, when its header was
/// captured whole.
pub fn symantec_type(data: &[u8]) -> Option<u16> {
    if data.len() < SYMANTEC_LEN {
        return None;
    }
    be16(data, SYMANTEC_TYPE_AT)
}

/// [`ap1394_printed_type`] of a Symantec firewall record: tcpdump's
/// EtherType printer there too (a length, 1500 or less, is no EtherType
/// to it).
pub fn symantec_printed_type(data: &[u8]) -> Option<u16> {
    let t = symantec_type(data).filter(|&t| t > 1500)?;
    (ether_type_printed(t) && !snap_ether_type_carried(t)).then_some(t)
}

/// IP over InfiniBand: a 44-byte pseudo header whose EtherType is at 40.
pub const IPOIB_LEN: usize = 44;
const IPOIB_TYPE_AT: usize = 40;

/// [`ap1394_printed_type`] of IP over InfiniBand's pseudo header.
pub fn ipoib_printed_type(data: &[u8]) -> Option<u16> {
    let t = be16(data, IPOIB_TYPE_AT)?;
    (ether_type_printed(t) && !snap_ether_type_carried(t)).then_some(t)
}

/// Strip the link header of `link` (one of [`handles`]).
pub fn strip(link: u32, data: &[u8]) -> (LinkInfo, Payload<'_>) {
    // Read, and printed, as Cisco HDLC's 104.
    let link = match link {
        C_HDLC_ALT => C_HDLC,
        // Read, and printed, as PPP's 9.
        PPP_PPPD => PPP,
        // Read, and printed, as PKTAP's 258.
        PKTAP_DARWIN => PKTAP,
        _ => link,
    };
    let payload = match link {
        // tcpdump wants four bytes of a PPP frame, whatever its header.
        PPP if data.len() < 4 => Payload::TooShort("ppp"),
        PPP => match ppp_header(data) {
            Some((proto, at)) => carried(ppp_to_ether(proto), data, at),
            None => Payload::TooShort("ppp"),
        },
        // The PPPoE printer's alone: filters and flows do not look inside.
        PPP_ETHER => Payload::Message(data),
        IEEE802_15_4 | IEEE802_15_4_NOFCS | IEEE802_15_4_TAP => Payload::Message(data),
        PPP_HDLC => match data.first() {
            _ if data.len() < 2 => Payload::TooShort("ppp_hdlc"),
            Some(0x0f | 0x8f) => chdlc(data),
            _ if data.len() < 4 => Payload::TooShort("ppp_hdlc"),
            Some(0xff) => carried(be16(data, 2).and_then(ppp_to_ether), data, 4),
            // Another address: tcpdump names the next two bytes and stops.
            _ => Payload::Message(data),
        },
        C_HDLC => chdlc(data),
        // tcpdump's link printer wants four bytes first.
        FRELAY if data.len() < 4 => Payload::TooShort("fr"),
        FRELAY => fr_inner(data),
        super::mfr::MFR => super::mfr::strip(data),
        NFLOG => nflog(data),
        super::pflog::PFLOG => super::pflog::strip(data),
        super::ipnet::IPNET => super::ipnet::strip(data),
        super::slip::SLIP => super::slip::strip(data),
        super::ltalk::LTALK => super::ltalk::strip(data),
        super::enc::ENC => super::enc::strip(data),
        _ if super::juniper::handles(link) => super::juniper::strip(link, data),
        super::vsock::VSOCK => super::vsock::strip(data),
        super::arcnet::ARCNET | super::arcnet::ARCNET_LINUX => super::arcnet::strip(link, data),
        IPOIB if data.len() < IPOIB_LEN => Payload::TooShort("ipoib"),
        // tcpdump hands the EtherType to its EtherType printer, as IP over
        // FireWire's: ARP (InfiniBand's 20-byte addresses), tunnels and the
        // network layers it follows go on as behind SNAP.
        IPOIB => carried(
            be16(data, IPOIB_TYPE_AT).filter(|&t| snap_ether_type_carried(t)),
            data,
            IPOIB_LEN,
        ),
        // tcpdump hands the EtherType to its EtherType printer: the
        // network layers and tunnels it follows go on as behind SNAP.
        SLIP_BSDOS | SLIP_BSDOS_FILE => match data.get(SLIP_BSDOS_LEN..) {
            Some(ip) => Payload::EtherType(EtherType(0x0800), ip),
            None => Payload::TooShort("slip_bsdos"),
        },
        PPP_BSDOS | PPP_BSDOS_FILE => Payload::Message(data),
        // tcpdump decodes nothing of the HCI packet.
        BLUETOOTH_H4_PHDR if data.len() < 4 => Payload::TooShort("bluetooth"),
        BLUETOOTH_H4_PHDR => Payload::Message(data),
        SYMANTEC => match symantec_type(data) {
            None => Payload::TooShort("symantec"),
            Some(t) => carried(
                Some(t).filter(|&t| t > 1500 && snap_ether_type_carried(t)),
                data,
                SYMANTEC_LEN,
            ),
        },
        AP1394 if data.len() < AP1394_LEN => Payload::TooShort("ap1394"),
        AP1394 => carried(
            be16(data, 16).filter(|&t| snap_ether_type_carried(t)),
            data,
            AP1394_LEN,
        ),
        IEEE802_11 => super::wlan::strip(data, 0),
        PKTAP => match pktap(data) {
            Some((len, inner)) => super::link::strip(inner, data.get(len..).unwrap_or(&[])).1,
            None => Payload::Message(data),
        },
        // The frame's network layer after the tag and the EtherType (the
        // line printer reads the frame without its tag: `untagged`).
        BRCM | DSA | EDSA => match switch_tag(LinkType::Other(link)) {
            Some((len, word)) => {
                let at = SWITCH_TAG_AT + len;
                match (be16(data, at), data.get(at + 2..)) {
                    (Some(t), Some(rest)) => Payload::EtherType(EtherType(t), rest),
                    _ => Payload::TooShort(word),
                }
            }
            None => Payload::Message(data),
        },
        NETANALYZER | NETANALYZER_TRANSPARENT | BRCM_PREPEND => {
            match ethernet_inside(LinkType::Other(link)) {
                Some((len, word)) => data
                    .get(len..)
                    .map_or(Payload::TooShort(word), Payload::Ethernet),
                None => Payload::Message(data),
            }
        }
        super::sunatm::SUNATM => super::sunatm::strip(data),
        _ if super::rings::handles(link) => super::rings::strip(link, data),
        // A usbmon event carries no network layer: its header's words
        // are the line.
        _ if super::usb::handles(link) && data.len() < super::usb::header_len(link) => {
            Payload::TooShort(super::usb::cut_mark(link))
        }
        _ if super::usb::handles(link) => Payload::Message(data),
        _ if super::wlan_headers::handles(link) => super::wlan_headers::strip(link, data),
        _ => match super::wlan::radiotap(data) {
            Some(r) => super::wlan::strip(data.get(r.len..).unwrap_or(&[]), r.flags),
            None => Payload::TooShort("802.11_radio"),
        },
    };
    let ether_type = match payload {
        Payload::EtherType(t, _) => t.0,
        _ => 0,
    };
    (LinkInfo::Framed { link, ether_type }, payload)
}

/// What tcpdump's Frame Relay printer finds in a frame (link type 107's
/// after its link printer's four-byte check, a first FRF.16 fragment's):
/// the network layer, a header the capture cut, or the frame's own
/// message.
pub fn fr_inner(data: &[u8]) -> Payload<'_> {
    match fr_parse(data) {
        Fr::Header(h) => fr_payload(data, h),
        Fr::Cisco(c) if snap_ether_type_carried(c.ether_type) => {
            carried(Some(c.ether_type), data, c.hdr_len())
        }
        Fr::Cut => Payload::TooShort("fr"),
        _ => Payload::Message(data),
    }
}

fn is_ip(t: u16) -> bool {
    matches!(t, 0x0800 | 0x86dd)
}

/// The packet after `header` bytes when the link said it is IP (as the
/// EtherType `t`), the link layer's own message otherwise.
pub(super) fn carried(t: Option<u16>, data: &[u8], header: usize) -> Payload<'_> {
    match (t, data.get(header..)) {
        (Some(t), Some(rest)) => Payload::EtherType(EtherType(t), rest),
        _ => Payload::Message(data),
    }
}

fn chdlc(data: &[u8]) -> Payload<'_> {
    if data.len() < 4 {
        return Payload::TooShort("chdlc");
    }
    carried(be16(data, 2).filter(|t| is_ip(*t)), data, 4)
}

fn nflog(data: &[u8]) -> Payload<'_> {
    let (Some(&family), Some(&version)) = (data.first(), data.get(1)) else {
        return Payload::TooShort("nflog");
    };
    if data.len() < 4 {
        return Payload::TooShort("nflog");
    }
    let t = match family {
        2 => 0x0800,
        10 => 0x86dd,
        _ => 0,
    };
    if version != 0 {
        return Payload::Message(data);
    }
    match nflog_payload(data) {
        Ok(Some(ip)) if t != 0 => Payload::EtherType(EtherType(t), ip),
        Ok(_) => Payload::Message(data),
        Err(Cut) => Payload::TooShort("nflog"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppp_with_and_without_address() {
        assert_eq!(ppp_header(&[0xff, 3, 0, 0x21]), Some((0x21, 4)));
        assert_eq!(ppp_header(&[0x21, 0x45]), Some((0x21, 1)));
        assert_eq!(ppp_header(&[0xc0, 0x21, 1]), Some((0xc021, 2)));
        assert!(matches!(strip(PPP, &[0xff]).1, Payload::TooShort("ppp")));
    }

    #[test]
    fn frame_relay_dlci_and_nlpid() {
        let h = fr_header(&[0x18, 0x41, 3, 0xcc]).unwrap();
        assert_eq!((h.dlci, h.addr_len, h.hdr_len, h.nlpid), (100, 2, 4, 0xcc));
        let h = fr_header(&[0x18, 0x41, 5, 0xcc]).unwrap();
        assert_eq!((h.not_ui, h.nlpid), (Some((5, Some(0x05cc))), 0xcc));
        let cisco = FrCisco {
            dlci: 100,
            addr_len: 2,
            flags: 0,
            ether_type: 0x0800,
        };
        assert_eq!(fr_parse(&[0x18, 0x41, 8, 0, 0x45]), Fr::Cisco(cisco));
        // Three bytes (with its pad) and four.
        let h = fr_header(&[0x18, 0x40, 0x0b, 3, 0, 0xcc]).unwrap();
        assert_eq!(
            (h.dlci, h.addr_len, h.flags, h.hdr_len),
            (100 << 6 | 2, 3, 2, 6)
        );
        let h = fr_header(&[0x18, 0x40, 0x02, 0x05, 3, 0xcc]).unwrap();
        assert_eq!(
            (h.dlci, h.addr_len, h.hdr_len),
            ((100 << 7 | 1) << 6 | 1, 4, 6)
        );
        assert_eq!(fr_parse(&[0x18, 0x40, 0x02, 0x04, 3]), Fr::Invalid);
        assert_eq!(fr_parse(&[0x19, 0x41, 3, 0xcc]), Fr::Invalid);
        assert_eq!(fr_parse(&[0x18, 0x40, 0x02]), Fr::Cut);
    }

    #[test]
    fn nflog_finds_the_payload_and_stops_on_bad_lengths() {
        let mut m = vec![
            2, 0, 0, 0, 8, 0, 1, 0, 0, 0, 0, 0, 6, 0, 9, 0, 0x45, 0, 0, 0,
        ];
        // The packet runs to the capture's end: the pad too.
        assert_eq!(nflog_payload(&m), Ok(Some(&[0x45, 0, 0, 0][..])));
        // The payload whole but its padding cut: tcpdump's printer stops.
        assert_eq!(nflog_payload(&m[..18]), Err(Cut));
        assert_eq!(nflog_payload(&m[..17]), Err(Cut));
        assert_eq!(nflog_payload(&m[..12]), Err(Cut));
        // A TLV shorter than its packet: the rest is the packet's, the
        // TLVs after it too.
        let mut long = m.clone();
        long.extend_from_slice(&[8, 0, 10, 0, b'a', b'b', b'c', 0]);
        assert_eq!(
            nflog_payload(&long).map(|p| p.map(<[u8]>::len)),
            Ok(Some(12))
        );
        assert_eq!(nflog_walk(&long).1, 16);
        // Longer than the record: cut.
        m[12] = 40;
        assert_eq!(nflog_payload(&m), Err(Cut));
        // A length of 0 is under the TLV's header: tcpdump's printer gives
        // up; 1 to 3 are padded to a header without a value.
        m[4] = 0;
        assert_eq!(nflog_payload(&m), Err(Cut));
        let short = [2, 0, 0, 0, 2, 0, 1, 0, 6, 0, 9, 0, 0x45, 0, 0, 0];
        assert_eq!(nflog_payload(&short), Ok(Some(&[0x45, 0, 0, 0][..])));
    }
}
