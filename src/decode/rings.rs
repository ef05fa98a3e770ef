//! The link types whose frames carry an IEEE 802.2 LLC PDU after a LAN
//! medium's header: Token Ring (link type 6), FDDI (10) and RFC 1483
//! LLC-encapsulated ATM (11, or 100 as libpcap's files number it) and
//! Linux's Classical IP over ATM (19, 106 in files: LLC/SNAP with OUI 0,
//! else a bare IPv4 packet), and RFC 2625 IP over Fibre Channel (122:
//! LLC after a 16-byte header), and SunATM's LLC traffic (123: after
//! its 4-byte pseudo-header, `sunatm`). Where
//! the LLC PDU starts, as tcpdump's token-ring, FDDI and ATM printers
//! find it, so that IP, IPv6 and ARP behind LLC/SNAP (or SAP 0x06) reach
//! the network layer's printers, filters and flows. What the headers say
//! in a line is `dissect::link::ring_links`'.

use super::link::Payload;
use super::wlan::LlcToNet;
use crate::dissect::link::rings::Ring;
use etherparse::EtherType;

pub const TOKEN_RING: u32 = 6;
pub const FDDI: u32 = 10;
pub const ATM_RFC1483: u32 = 11;
/// LINKTYPE_ATM_RFC1483: the number libpcap writes for DLT 11.
pub const ATM_RFC1483_FILE: u32 = 100;
/// Linux's Classical IP over ATM (RFC 1577): DLT 19, LINKTYPE 106.
pub const ATM_CLIP: u32 = 19;
pub const ATM_CLIP_FILE: u32 = 106;
/// RFC 2625 IP over Fibre Channel: two 8-byte network addresses (the
/// last six bytes of each are the MAC address tcpdump names), then LLC.
pub const IPFC: u32 = 122;
pub const IPFC_LEN: usize = 16;
/// SunATM: an LLC PDU after its 4-byte pseudo-header (`sunatm`).
pub const SUNATM: u32 = super::sunatm::SUNATM;

/// The link types of this module.
pub fn handles(link: u32) -> bool {
    matches!(
        link,
        TOKEN_RING
            | FDDI
            | ATM_RFC1483
            | ATM_RFC1483_FILE
            | ATM_CLIP
            | ATM_CLIP_FILE
            | IPFC
            | SUNATM
    )
}

/// The medium of a ring link type.
pub fn ring_of(link: u32) -> Option<Ring> {
    match link {
        TOKEN_RING => Some(Ring::TokenRing),
        FDDI => Some(Ring::Fddi),
        _ => None,
    }
}

/// The link type of a ring medium.
pub fn link_of(ring: Ring) -> u32 {
    match ring {
        Ring::TokenRing => TOKEN_RING,
        Ring::Fddi => FDDI,
    }
}

/// Whether `link` is ATM (RFC 1483, Classical IP, SunATM's LLC
/// traffic): no MAC addresses.
pub fn is_atm(link: u32) -> bool {
    matches!(
        link,
        ATM_RFC1483 | ATM_RFC1483_FILE | ATM_CLIP | ATM_CLIP_FILE | SUNATM
    )
}

/// Whether `link` is Classical IP over ATM.
pub fn is_clip(link: u32) -> bool {
    matches!(link, ATM_CLIP | ATM_CLIP_FILE)
}

/// The LLC/SNAP header (OUI 0) Classical IP's printer looks for; any
/// other first six bytes are an IPv4 packet's.
const CLIP_SNAP: [u8; 6] = [0xaa, 0xaa, 0x03, 0, 0, 0];

/// What follows a frame's link header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// An LLC PDU at this offset.
    Llc(usize),
    /// A Token Ring or FDDI frame of another kind (MAC, SMT, tokens):
    /// its bytes from this offset.
    Other(usize),
    /// ATM's Cisco-style NLPID: an ISO PDU from the second byte.
    Cnlpid,
    /// Classical IP without LLC/SNAP: an IPv4 packet from the first byte
    /// (tcpdump's IPv4 printer, whatever its version nibble says).
    Ipv4,
    /// The capture ends inside the header (or Token Ring's route).
    Cut,
    /// A SunATM record that carries no LLC PDU (signalling, LANE).
    Atm,
}

/// The ATM pseudo-header a Fore driver put before the LLC header
/// (tcpdump takes one when the first three bytes are no UI header of
/// SNAP, ISO or IP).
pub const ATM_802_6_LEN: usize = 20;

/// Where a frame of `link` (one of [`handles`]) carries its LLC PDU.
pub fn start(link: u32, data: &[u8]) -> Start {
    match ring_of(link) {
        Some(Ring::TokenRing) => token_ring_start(data),
        Some(Ring::Fddi) => match data.first() {
            _ if data.len() < 13 => Start::Cut,
            Some(fc) if fc & 0xf0 == 0x50 => Start::Llc(13),
            _ => Start::Other(13),
        },
        None if link == IPFC && data.len() < IPFC_LEN => Start::Cut,
        None if link == IPFC => Start::Llc(IPFC_LEN),
        // SunATM's LLC traffic: tcpdump's LLC printer after the
        // pseudo-header, without RFC 1483's guesses; its other records
        // are `sunatm`'s.
        None if link == SUNATM => match super::sunatm::kind(data) {
            super::sunatm::Kind::Cut => Start::Cut,
            super::sunatm::Kind::Llc => Start::Llc(super::sunatm::HEADER_LEN),
            _ => Start::Atm,
        },
        None if is_clip(link) => match data.first_chunk::<6>() {
            None => Start::Cut,
            Some(&CLIP_SNAP) => Start::Llc(0),
            Some(_) => Start::Ipv4,
        },
        None => atm_start(data),
    }
}

/// Token Ring: access and frame control, destination, source (whose top
/// bit says a route follows: its control field's length byte counts it).
fn token_ring_start(data: &[u8]) -> Start {
    const FIXED: usize = 14;
    let (Some(&fc), Some(&src0)) = (data.get(1), data.get(8)) else {
        return Start::Cut;
    };
    if data.len() < FIXED {
        return Start::Cut;
    }
    let mut at = FIXED;
    if src0 & 0x80 != 0 {
        let Some(&len_byte) = data.get(FIXED) else {
            return Start::Cut;
        };
        if data.len() < FIXED + 2 {
            return Start::Cut;
        }
        at += usize::from(len_byte & 0x1f);
        if data.len() < at {
            return Start::Cut;
        }
    }
    if fc >> 6 == 1 {
        Start::Llc(at)
    } else {
        Start::Other(at)
    }
}

/// RFC 1483: the LLC header first, unless the first byte is UI (Cisco's
/// NLPID) or the first three are no UI header of SNAP, ISO or IP (then
/// the Fore driver's 802.6 header comes first).
fn atm_start(data: &[u8]) -> Start {
    match data {
        [] => Start::Cut,
        [0x03, ..] => Start::Cnlpid,
        [a, b, c, ..] if [0xaa, 0xfe, 0x06].contains(a) && a == b && *c == 3 => Start::Llc(0),
        _ if data.len() < ATM_802_6_LEN => Start::Cut,
        _ => Start::Llc(ATM_802_6_LEN),
    }
}

/// tcpdump's printer name for `link`'s cut mark.
pub fn name(link: u32) -> &'static str {
    match ring_of(link) {
        Some(r) => r.name(),
        None if is_clip(link) => "cip",
        None if link == IPFC => "ipfc",
        None if link == SUNATM => "sunatm",
        None => "atm",
    }
}

/// The LLC header that hands a frame on to the network layer, and where
/// it starts.
pub fn llc_to_net(link: u32, data: &[u8]) -> Option<(LlcToNet, usize)> {
    let Start::Llc(at) = start(link, data) else {
        return None;
    };
    Some((LlcToNet::read(data.get(at..)?)?, at))
}

/// The IP version ATM's Cisco NLPID (after its UI byte) says follows
/// (tcpdump's ISO printer hands 0xcc and 0x8e to its IP printers).
pub fn cnlpid_ether_type(data: &[u8]) -> Option<u16> {
    super::wlan::nlpid_ether_type(*data.get(1)?)
}

/// The OSI NLPID that stood for the network layer of `link`'s frame
/// (LLC SAP 0xfe, or ATM's Cisco NLPID), if one did: tcpdump's ISO
/// printer, not its EtherType printer, then hands the packet on.
pub fn nlpid(link: u32, data: &[u8]) -> Option<u8> {
    match start(link, data) {
        Start::Llc(at) => LlcToNet::read(data.get(at..)?)?.nlpid,
        Start::Cnlpid => data.get(1).copied(),
        _ => None,
    }
}

/// Strip the link header of `link` (one of [`handles`]).
pub fn strip(link: u32, data: &[u8]) -> Payload<'_> {
    match start(link, data) {
        Start::Cut => return Payload::TooShort(name(link)),
        Start::Ipv4 => return Payload::EtherType(EtherType(0x0800), data),
        Start::Cnlpid => {
            if let Some(t) = cnlpid_ether_type(data) {
                return Payload::EtherType(EtherType(t), data.get(2..).unwrap_or(&[]));
            }
        }
        _ => {}
    }
    match llc_to_net(link, data) {
        Some((l, at)) => match data.get(at + l.len..) {
            Some(rest) => Payload::EtherType(EtherType(l.ether_type), rest),
            None => Payload::Message(data),
        },
        None => Payload::Message(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_ring_routes_and_cuts() {
        let mut f = vec![0x10, 0x40];
        f.extend([0; 6]);
        f.extend([0x80, 0, 0, 0, 0, 0]);
        assert_eq!(start(TOKEN_RING, &f), Start::Cut);
        f.extend([0x04, 0x30]);
        assert_eq!(start(TOKEN_RING, &f), Start::Cut);
        f.extend([1, 2, 0xaa]);
        assert_eq!(start(TOKEN_RING, &f), Start::Llc(18));
        f[1] = 0;
        assert_eq!(start(TOKEN_RING, &f), Start::Other(18));
    }

    #[test]
    fn fddi_and_atm_starts() {
        assert_eq!(start(FDDI, &[0x50; 13]), Start::Llc(13));
        assert_eq!(start(FDDI, &[0x41; 14]), Start::Other(13));
        assert_eq!(start(FDDI, &[0x50; 12]), Start::Cut);
        assert_eq!(start(ATM_RFC1483, &[0xaa, 0xaa, 3]), Start::Llc(0));
        assert_eq!(start(ATM_RFC1483, &[3, 0xcc]), Start::Cnlpid);
        assert_eq!(start(ATM_RFC1483, &[0x42, 0x42, 3]), Start::Cut);
        assert_eq!(start(ATM_RFC1483, &[0x42; 20]), Start::Llc(20));
        let ip = [0xaa, 0xaa, 3, 0, 0, 0, 8, 0, 0x45];
        assert!(matches!(
            strip(ATM_RFC1483_FILE, &ip),
            Payload::EtherType(EtherType(0x0800), [0x45])
        ));
    }
}
