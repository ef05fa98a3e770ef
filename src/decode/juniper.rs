//! Juniper's link types (JUNOS' `monitor traffic` and its PICs' captures):
//! every record starts with the magic `MGC` and a flags byte (direction,
//! no layer 2, extensions), then, when flagged, the extensions' length
//! and TLVs; a PIC's cookie for the link types tcpdump's cookie table
//! names; then the frame of the link type's own kind (Ethernet, PPP, Cisco
//! HDLC, Frame Relay) or an IP packet. One walk over that header, as
//! tcpdump 4.99's `juniper_parse_header` reads it, for every stage: where
//! the payload starts, what it is, and how far a cut record got (the line's
//! words are `dissect::link::juniper`'s). What the ATM PICs' records
//! carry is `juniper_atm`'s guess, the multilink link types' cookies and
//! payloads `juniper_ml`'s.

pub use super::juniper_atm::{ATM1_OAM_COOKIE, Atm, atm1, atm2};
pub use super::juniper_ml::Ml;
use super::link::Payload;
use super::link_header::be16;
use crate::packet::{LinkType, Packet};
use etherparse::EtherType;

pub const MLPPP: u32 = 130;
pub const MLFR: u32 = 131;
pub const ES: u32 = 132;
pub const GGSN: u32 = 133;
pub const MFR: u32 = 134;
pub const ATM2: u32 = 135;
pub const SERVICES: u32 = 136;
pub const ATM1: u32 = 137;
pub const MONITOR: u32 = 164;
pub const PPPOE: u32 = 167;
pub const PPPOE_ATM: u32 = 168;
pub const ETHER: u32 = 178;
pub const PPP: u32 = 179;
pub const FRELAY: u32 = 180;
pub const CHDLC: u32 = 181;

/// The Juniper link types sockscope reads: all of tcpdump's.
pub const READ: [u32; 15] = [
    ETHER, PPP, CHDLC, FRELAY, PPPOE, ES, MONITOR, SERVICES, GGSN, PPPOE_ATM, ATM1, ATM2, MFR,
    MLFR, MLPPP,
];

pub fn handles(link: u32) -> bool {
    READ.contains(&link)
}

/// The magic number's three bytes.
pub const MAGIC: [u8; 3] = *b"MGC";

/// The flags byte's bits tcpdump names, in the order it names them.
pub const FLAG_EXT: u8 = 0x80;
pub const FLAG_FILTER: u8 = 0x40;
pub const FLAG_IIF: u8 = 0x04;
pub const FLAG_NO_L2: u8 = 0x02;
pub const FLAG_IN: u8 = 0x01;
pub const FLAG_NAMES: [(u8, &str); 5] = [
    (FLAG_EXT, "Ext"),
    (FLAG_FILTER, "Filter"),
    (FLAG_IIF, "IIF"),
    (FLAG_NO_L2, "no-L2"),
    (FLAG_IN, "In"),
];

/// tcpdump's name of the printer (its ` [|…]` mark).
pub fn word(link: u32) -> &'static str {
    match link {
        MLPPP => "juniper_mlppp",
        MLFR => "juniper_mlfr",
        ES => "juniper_es",
        GGSN => "juniper_ggsn",
        MFR => "juniper_mfr",
        ATM2 => "juniper_atm2",
        SERVICES => "juniper_services",
        ATM1 => "juniper_atm1",
        MONITOR => "juniper_monitor",
        PPPOE => "juniper_pppoe",
        PPPOE_ATM => "juniper_pppoe_atm",
        ETHER => "juniper_ether",
        PPP => "juniper_ppp",
        FRELAY => "juniper_frelay",
        _ => "juniper_chdlc",
    }
}

/// The PIC's cookie length and name (tcpdump's cookie table), for the
/// link types that carry one.
pub fn pic(link: u32) -> Option<(usize, &'static str)> {
    Some(match link {
        ATM1 => (4, "ATM1"),
        ATM2 => (8, "ATM2"),
        MLPPP => (2, "MLPPP"),
        MLFR => (2, "MLFR"),
        MFR => (4, "MFR"),
        PPPOE => (0, "PPPoE"),
        PPPOE_ATM => (0, "PPPoE ATM"),
        GGSN => (8, "GGSN"),
        MONITOR => (8, "MONITOR"),
        SERVICES => (8, "AS"),
        ES => (0, "ES"),
        _ => return None,
    })
}

/// Where tcpdump's walk over the header stopped on a byte the capture
/// cut, and so which of its words it had printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Inside the magic and flags: nothing.
    Start,
    /// The extensions' length.
    ExtLen,
    /// The extensions (their length printed).
    Ext,
    /// The first byte of a packet without layer 2 (`no-L2-hdr, ` printed).
    NoL2,
    /// The cookie's first byte.
    CookieId,
    /// The cookie (`ES-PIC, cookie-len 8` printed).
    Cookie,
    /// The two bytes after the cookie (the cookie printed).
    Proto,
}

/// How the header walk ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Cut(Cut),
    /// No `MGC` (`no magic-number found!`).
    NoMagic,
    /// A TLV longer than what the extensions have left: the extensions
    /// left and the TLV's length with its type and length bytes.
    BadTlv(u16, u16),
    /// The flags say the packet has no layer 2: an IP packet (by its
    /// first byte) at `at`.
    NoL2 {
        at: usize,
    },
    /// A cookie longer than eight bytes.
    BadCookie,
    /// The header read: the payload at `at`.
    Payload {
        at: usize,
        proto: u16,
    },
}

/// A record's header as tcpdump's walk reads it.
#[derive(Clone, Copy, Debug)]
pub struct Header<'a> {
    pub link: u32,
    pub flags: u8,
    /// The extensions' length, when flagged and captured.
    pub ext_len: Option<u16>,
    /// The extensions' bytes, when captured whole.
    pub ext: Option<&'a [u8]>,
    /// The cookie's length, once its first byte was read.
    pub cookie_len: Option<usize>,
    /// The cookie, when captured.
    pub cookie: &'a [u8],
    /// The ATM2 PIC's control word before an OAM cell, and whether the
    /// header counts it (see `juniper_atm::control_word`).
    pub control_word: Option<(u32, bool)>,
    pub end: End,
}

impl Header<'_> {
    pub fn inbound(&self) -> bool {
        self.flags & FLAG_IN != 0
    }

    /// The length of the magic, flags and extensions.
    pub fn base_len(&self) -> usize {
        4 + self.ext_len.map_or(0, |l| 2 + usize::from(l))
    }

    /// Where tcpdump's walk puts the end of the header when it gave up
    /// without a jump (its `-x` dump starts there): after the cookie of
    /// one too long, four bytes past the extensions for a packet without
    /// layer 2, nothing before the extensions were checked.
    pub fn counted(&self) -> usize {
        match self.end {
            End::Payload { at, .. } => at,
            End::NoL2 { at } => at,
            End::BadCookie => self.base_len() + self.cookie_len.unwrap_or(0),
            End::Cut(_) | End::NoMagic | End::BadTlv(..) => 0,
        }
    }
}

/// A TLV of the extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub kind: u8,
    pub value: &'a [u8],
}

impl Tlv<'_> {
    /// The value as tcpdump reads it: one to four bytes, little-endian
    /// for types below 128, big-endian above; `None` for other lengths
    /// and for the one value its `int` takes for "none" (all ones).
    pub fn number(&self) -> Option<u32> {
        let v = self.value;
        if v.is_empty() || v.len() > 4 {
            return None;
        }
        let n = if self.kind < 128 {
            v.iter().rev().fold(0u32, |n, &b| (n << 8) | u32::from(b))
        } else {
            v.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b))
        };
        (n != u32::MAX).then_some(n)
    }
}

/// The extensions' TLVs as tcpdump walks them: while more than two bytes
/// are left, up to a type or length of 0; `Err((left, wanted))` for a TLV
/// longer than what is left (the walk ends there).
pub fn tlvs(ext: &[u8]) -> impl Iterator<Item = Result<Tlv<'_>, (u16, u16)>> {
    let mut at = 0usize;
    let mut done = false;
    std::iter::from_fn(move || {
        let left = ext.len() - at;
        if done || left <= 2 {
            return None;
        }
        let (kind, len) = (ext[at], ext[at + 1]);
        if kind == 0 || len == 0 {
            return None;
        }
        let want = usize::from(len) + 2;
        if left < want {
            done = true;
            return Some(Err((left as u16, want as u16)));
        }
        let value = &ext[at + 2..at + want];
        at += want;
        Some(Ok(Tlv { kind, value }))
    })
}

/// Walk a record's header as tcpdump does.
pub fn header(link: u32, data: &[u8]) -> Header<'_> {
    let mut h = Header {
        link,
        flags: data.get(3).copied().unwrap_or(0),
        ext_len: None,
        ext: None,
        cookie_len: None,
        cookie: &[],
        control_word: None,
        end: End::Cut(Cut::Start),
    };
    if data.len() < 4 {
        return h;
    }
    if data[..3] != MAGIC {
        h.end = End::NoMagic;
        return h;
    }
    if h.flags & FLAG_EXT != 0 {
        let Some(len) = be16(data, 4) else {
            h.end = End::Cut(Cut::ExtLen);
            return h;
        };
        h.ext_len = Some(len);
        let Some(ext) = data.get(6..6 + usize::from(len)) else {
            h.end = End::Cut(Cut::Ext);
            return h;
        };
        h.ext = Some(ext);
        if let Some(Err((left, want))) = tlvs(ext).find(Result::is_err) {
            h.end = End::BadTlv(left, want);
            return h;
        }
    }
    let base = h.base_len();
    if h.flags & FLAG_NO_L2 != 0 {
        h.end = match data.get(base + 4) {
            Some(_) => End::NoL2 { at: base + 4 },
            None => End::Cut(Cut::NoL2),
        };
        return h;
    }
    let mut at = base;
    if let Some((len, _)) = pic(link) {
        let Some(&id) = data.get(base) else {
            h.end = End::Cut(Cut::CookieId);
            return h;
        };
        // The link services' cookie is two bytes longer, the adaptive
        // services' eight bytes; an MFR child link's record has none.
        let len = super::juniper_ml::cookie_len(link, len, id);
        h.cookie_len = Some(len);
        if len > 8 {
            h.end = End::BadCookie;
            return h;
        }
        let Some(cookie) = data.get(base..base + len) else {
            h.end = End::Cut(Cut::Cookie);
            return h;
        };
        h.cookie = cookie;
        at = base + len;
        let Some(proto) = be16(data, at) else {
            h.end = End::Cut(Cut::Proto);
            return h;
        };
        // The ATM2 PIC's walk reads four bytes after the cookie, a control
        // word before an OAM cell.
        if link == ATM2 {
            let Some(after) = data.get(at..at + 4).and_then(|b| b.first_chunk::<4>()) else {
                h.end = End::Cut(Cut::Proto);
                return h;
            };
            h.control_word = super::juniper_atm::control_word(cookie, *after);
            if let Some((_, true)) = h.control_word {
                at += 4;
            }
        }
        let (at, proto) = super::juniper_ml::after_cookie(link, cookie, at, proto);
        h.end = End::Payload { at, proto };
        return h;
    }
    h.end = End::Payload { at, proto: 0 };
    h
}

/// tcpdump's `ip_heuristic_guess`: the EtherType of the IP packet whose
/// first byte is `b` (IPv4 with a header of 20 bytes or more, IPv6).
pub fn ip_guess(b: u8) -> Option<u16> {
    match b {
        0x45..=0x4f => Some(0x0800),
        0x60..=0x6f => Some(0x86dd),
        _ => None,
    }
}

/// The link type of the frame a record of `link` carries after its
/// header, for the link types whose payload is a frame.
pub fn frame_link(link: u32) -> Option<LinkType> {
    match link {
        ETHER | PPPOE => Some(LinkType::Ethernet),
        PPP => Some(LinkType::Other(super::link_more::PPP)),
        CHDLC => Some(LinkType::Other(super::link_more::C_HDLC)),
        FRELAY => Some(LinkType::Other(super::link_more::FRELAY)),
        _ => None,
    }
}

/// What an ATM PIC's record carries in `rest` (after its header), by
/// its header `h`; `None` for the other link types.
pub fn atm(h: &Header<'_>, rest: &[u8]) -> Option<Atm> {
    match h.link {
        ATM1 => Some(atm1(h.cookie, rest)),
        ATM2 => Some(atm2(h.cookie, h.inbound(), rest)),
        _ => None,
    }
}

/// Whether a record is an ATM2 PIC's LLC PDU that tcpdump, when its LLC
/// printer does not follow the SNAP protocol, prints again as an Ethernet
/// frame (the same bytes: `juniper_atm::atm2_bridged`).
pub fn llc_then_ether(link: u32, data: &[u8]) -> bool {
    let h = header(link, data);
    let End::Payload { at, .. } = h.end else {
        return false;
    };
    link == ATM2
        && atm(&h, data.get(at..).unwrap_or_default()) == Some(Atm::Llc)
        && super::juniper_atm::atm2_bridged(h.cookie, h.inbound())
}

/// An LLC PDU (`aa aa 03`) whose whole SNAP header names a protocol
/// tcpdump's SNAP printer does not follow.
fn snap_unfollowed(pdu: &[u8]) -> bool {
    match pdu {
        [0xaa, 0xaa, 3, o0, o1, o2, t0, t1, ..] => !super::llc::snap_followed(
            u32::from_be_bytes([0, *o0, *o1, *o2]),
            u16::from_be_bytes([*t0, *t1]),
        ),
        _ => false,
    }
}

/// The length tcpdump's printers take the payload after the header to
/// have on the wire: the ATM2 PIC's walk counts a control word into the
/// header but not out of the length.
pub fn payload_wire_len(h: &Header<'_>, orig_len: usize, at: usize) -> usize {
    let word = match h.control_word {
        Some((_, true)) => 4,
        _ => 0,
    };
    orig_len.saturating_sub(at - word.min(at))
}

/// The link type of the frame a record carries after its header: the
/// link type's own kind, or an ATM PIC's LLC PDU (RFC 1483's: the same
/// LLC printer; what RFC 1483's printer adds, a dump of a payload the LLC
/// printer does not know, the output leaves out), Ethernet frame or PPP
/// frame.
pub fn record_frame_link(link: u32, data: &[u8]) -> Option<LinkType> {
    frame_start(link, data, data.len()).map(|(inner, _)| inner)
}

/// What a multilink record carries, once its header was read.
pub fn ml(link: u32, data: &[u8]) -> Option<Ml> {
    let h = header(link, data);
    let End::Payload { at, proto } = h.end else {
        return None;
    };
    super::juniper_ml::carries(&h, at, proto)
}

/// The link type of the frame a record `orig_len` bytes long on the wire
/// carries and where the frame starts (the header's end; an MLPPP frame
/// whose cookie was its PPP protocol, two bytes before; an MFR child
/// link's first FRF.16 fragment's Frame Relay frame, after its two bytes).
fn frame_start(link: u32, data: &[u8], orig_len: usize) -> Option<(LinkType, usize)> {
    let End::Payload { at, .. } = header(link, data).end else {
        return None;
    };
    match ml(link, data) {
        Some(Ml::Ppp(from)) => return Some((LinkType::Other(super::link_more::PPP), from)),
        Some(Ml::Frf16) => {
            let rest = data.get(at..)?;
            super::mfr::begin_frame(rest, orig_len.saturating_sub(at))?;
            return Some((
                LinkType::Other(super::link_more::FRELAY),
                at + super::mfr::FRAG_LEN,
            ));
        }
        _ => {}
    }
    if !matches!(link, ATM1 | ATM2) {
        return frame_link(link).map(|l| (l, at));
    }
    atm_frame_link(link, data).map(|l| (l, at))
}

/// The frame an ATM PIC's record carries (see [`record_frame_link`]).
fn atm_frame_link(link: u32, data: &[u8]) -> Option<LinkType> {
    let h = header(link, data);
    let End::Payload { at, .. } = h.end else {
        return None;
    };
    match atm(&h, data.get(at..)?)? {
        Atm::Llc => Some(LinkType::Other(super::rings::ATM_RFC1483)),
        Atm::Ether => Some(LinkType::Ethernet),
        Atm::Ppp => Some(LinkType::Other(super::link_more::PPP)),
        _ => None,
    }
}

/// The frame a record carries after its header, as a packet of its own
/// link type (the wire length less the header), and the header's
/// length; `None` for records whose header did not end in a frame.
pub fn frame<'a>(pkt: &Packet<'a>) -> Option<(Packet<'a>, usize)> {
    let LinkType::Other(link) = pkt.link else {
        return None;
    };
    let (inner, from) = frame_start(link, pkt.data, pkt.orig_len as usize)?;
    let End::Payload { at, .. } = header(link, pkt.data).end else {
        return None;
    };
    if short_frame(link, pkt.data.len().saturating_sub(from)) {
        return None;
    }
    Some((
        Packet {
            link: inner,
            data: pkt.data.get(from..)?,
            orig_len: pkt.orig_len.saturating_sub(from as u32),
            ..*pkt
        },
        at,
    ))
}

/// A PPP or Frame Relay frame of `captured` bytes that tcpdump's printer
/// reads otherwise than that link type's: the link types' printers want
/// four bytes before they start, Juniper's hands the frame on at once
/// (`dissect::link::juniper` prints it).
pub fn short_frame(link: u32, captured: usize) -> bool {
    matches!(link, PPP | FRELAY | MLPPP) && captured < 4
}

/// The Ethernet frame of a record of Juniper's Ethernet or PPPoE link
/// type whose header was read.
pub fn ethernet(link: LinkType, data: &[u8]) -> Option<&[u8]> {
    let LinkType::Other(n @ (ETHER | PPPOE | ATM2)) = link else {
        return None;
    };
    match header(n, data).end {
        End::Payload { at, .. } if n != ATM2 => data.get(at..),
        End::Payload { at, .. } => {
            let rest = data.get(at..)?;
            (record_frame_link(n, data) == Some(LinkType::Ethernet)).then_some(rest)
        }
        _ => None,
    }
}

/// The Encryption Services PIC's header: SA index, TTL, type, SPI and
/// the tunnel's addresses.
pub const ES_LEN: usize = 16;

/// What the ES PIC's header says: its type's words and how many bytes
/// of it come before the IP packet (16, or none: the IP packet starts
/// where the header does); `None` for a type tcpdump does not know.
pub fn es_rewrite(kind: u8) -> Option<usize> {
    match kind {
        1 | 2 => Some(0),
        3..=5 => Some(16),
        _ => None,
    }
}

/// The monitoring and services PICs' header after the cookie (read where
/// the IP packet starts: tcpdump's printers do not skip it).
pub const SERVICE_LEN: usize = 8;

/// The payload after the header, for the IP printers, filters and flows;
/// the record itself for the header's own messages; `[|juniper_…]` for a
/// cut header.
pub fn strip(link: u32, data: &[u8]) -> Payload<'_> {
    let h = header(link, data);
    let ip_at = |at: usize| match data.get(at).copied().and_then(ip_guess) {
        Some(t) => Payload::EtherType(EtherType(t), &data[at..]),
        None => Payload::Message(data),
    };
    let (at, proto) = match h.end {
        End::Cut(_) => return Payload::TooShort(word(link)),
        End::NoMagic | End::BadTlv(..) | End::BadCookie => return Payload::Message(data),
        End::NoL2 { at } => return ip_at(at),
        End::Payload { at, proto } => (at, proto),
    };
    let rest = &data[at..];
    match link {
        ETHER | PPPOE => Payload::Ethernet(rest),
        MLPPP | MLFR | MFR => ml_payload(data, at, super::juniper_ml::carries(&h, at, proto)),
        _ if short_frame(link, rest.len()) => Payload::Message(data),
        PPP | CHDLC | FRELAY => match frame_link(link) {
            Some(inner) => super::link::strip(inner, rest).1,
            None => Payload::Message(data),
        },

        ES => match rest.get(3).copied().map(es_rewrite) {
            _ if rest.len() < ES_LEN => Payload::TooShort(word(link)),
            Some(Some(skip)) => Payload::EtherType(EtherType::IPV4, &rest[skip..]),
            _ => Payload::Message(data),
        },
        MONITOR | SERVICES if rest.len() < SERVICE_LEN => Payload::TooShort(word(link)),
        MONITOR | SERVICES => ip_at(at),
        // An EtherType first (the header's `proto`), for tcpdump's
        // EtherType printer: the network layers and tunnels it follows go
        // on as behind SNAP; the others are the link's own message.
        PPPOE_ATM => match (h.end, rest.get(2..)) {
            (End::Payload { proto, .. }, Some(after)) if super::link_more::carried_type(proto) => {
                Payload::EtherType(EtherType(proto), after)
            }
            _ => Payload::Message(data),
        },
        ATM1 | ATM2 => match atm(&h, rest) {
            Some(Atm::Cut) => Payload::TooShort(word(link)),
            Some(Atm::Llc) => match super::rings::strip(super::rings::ATM_RFC1483, rest) {
                p @ Payload::EtherType(..) => p,
                // ATM2's Ethernet guess after an LLC PDU whose SNAP
                // protocol the LLC printer left: the same bytes.
                _ if llc_then_ether(link, data) && snap_unfollowed(rest) => Payload::Ethernet(rest),
                _ => Payload::Message(data),
            },
            Some(Atm::Ether) => Payload::Ethernet(rest),
            Some(Atm::Ppp) => super::link::strip(LinkType::Other(super::link_more::PPP), rest).1,
            Some(Atm::Cnlpid) => match super::rings::cnlpid_ether_type(rest) {
                Some(t) => Payload::EtherType(EtherType(t), &rest[2..]),
                None => Payload::Message(data),
            },
            Some(Atm::Other) => ip_at(at),
            Some(Atm::Oam) | None => Payload::Message(data),
        },
        GGSN => match h.cookie.get(2) {
            Some(2) => Payload::EtherType(EtherType::IPV4, rest),
            Some(6) => Payload::EtherType(EtherType::IPV6, rest),
            _ => Payload::Message(data),
        },
        _ => Payload::Message(data),
    }
}

/// A multilink record's payload for the IP printers, filters and flows.
fn ml_payload(data: &[u8], at: usize, ml: Option<Ml>) -> Payload<'_> {
    let ether_type = |t: u16, from: usize| match data.get(from..) {
        Some(rest) => Payload::EtherType(EtherType(t), rest),
        None => Payload::Message(data),
    };
    match ml {
        Some(Ml::EtherType(t)) => ether_type(t, at),
        // The ISO printer hands IPv4 and IPv6 on to the IP printers.
        Some(Ml::Osi(from)) => match data
            .get(from)
            .and_then(|&n| super::wlan::nlpid_ether_type(n))
        {
            Some(t) => ether_type(t, from + 1),
            None => Payload::Message(data),
        },
        Some(Ml::Frf16) => match super::mfr::strip(data.get(at..).unwrap_or_default()) {
            Payload::Message(_) | Payload::TooShort(_) => Payload::Message(data),
            p => p,
        },
        Some(Ml::Ppp(from)) => match data.get(from..) {
            Some(frame) if frame.len() >= 4 => {
                super::link::strip(LinkType::Other(super::link_more::PPP), frame).1
            }
            _ => Payload::Message(data),
        },
        _ => Payload::Message(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_with_extensions_and_cookie() {
        let mut r = b"MGC\x81\x00\x07\x01\x01\x05\x04\x02\x10\x00".to_vec();
        r.extend_from_slice(&[0x47, 1, 2, 3, 4, 5, 6, 7, 0x45, 0]);
        let h = header(MONITOR, &r);
        assert!(h.inbound());
        assert_eq!(h.ext_len, Some(7));
        assert_eq!(
            h.end,
            End::Payload {
                at: 21,
                proto: 0x4500
            }
        );
        let t: Vec<_> = tlvs(h.ext.unwrap()).collect();
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].unwrap().number(), Some(16));
        assert!(matches!(
            strip(MONITOR, &r),
            Payload::TooShort("juniper_monitor")
        ));
        assert_eq!(header(MONITOR, &r[..15]).end, End::Cut(Cut::Cookie));
        assert_eq!(header(ETHER, &r[..3]).end, End::Cut(Cut::Start));
        assert_eq!(header(ETHER, b"XGC\0").end, End::NoMagic);
        let bad = b"MGC\x80\x00\x03\x01\x09\x00";
        assert_eq!(header(ETHER, bad).end, End::BadTlv(3, 11));
    }

    #[test]
    fn no_l2_packets_by_their_first_byte() {
        let r = b"MGC\x02\0\0\0\0\x45\0";
        assert_eq!(header(PPP, r).end, End::NoL2 { at: 8 });
        assert!(matches!(
            strip(PPP, r),
            Payload::EtherType(EtherType::IPV4, _)
        ));
        assert!(matches!(
            strip(PPP, b"MGC\x02\0\0\0\0\x99"),
            Payload::Message(_)
        ));
        assert!(matches!(strip(PPP, b"MGC\x02\0\0\0"), Payload::TooShort(_)));
    }
}
