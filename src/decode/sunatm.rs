//! SunATM captures (link type 123, Solaris' DLPI ATM driver): a 4-byte
//! pseudo-header (flags: 0x80 transmitted, else received, the low nibble
//! the traffic type, 1 LANE, 2 LLC; the VPI; the VCI, big-endian), then
//! the AAL5 PDU. tcpdump's `atm_print` reads the signalling channels of
//! VPI 0 first (Q.2931 on VCI 5, broadcast signalling on 2, meta
//! signalling on 1, OAM F4 cells on 3 and 4, ILMI's SNMP on 16), then by
//! the traffic type LAN Emulation (an LE control frame, or an Ethernet
//! frame after the 2-byte LE client id) or, for any other type, an LLC
//! PDU. Where each part starts; the line's words are
//! `dissect::link::sunatm`'s.

use super::link::Payload;
use super::link_header::be16;

pub const SUNATM: u32 = 123;
/// The pseudo-header before the PDU.
pub const HEADER_LEN: usize = 4;
/// LANE's LE header (the client id, or 0xff00 for a control frame).
pub const LE_HEADER_LEN: usize = 2;
/// Where a LANE data frame's Ethernet header starts.
pub const LANE_ETHERNET_AT: usize = HEADER_LEN + LE_HEADER_LEN;
/// The LE header of a control frame.
pub const LE_CONTROL: u16 = 0xff00;
/// The traffic types of the flags' low nibble.
pub const TRAFFIC_LANE: u8 = 1;
pub const TRAFFIC_LLC: u8 = 2;

/// The pseudo-header's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The flags byte: 0x80 set for a transmitted PDU.
    pub flags: u8,
    pub vpi: u8,
    pub vci: u16,
}

impl Header {
    pub fn transmitted(&self) -> bool {
        self.flags & 0x80 != 0
    }

    /// The traffic type (the flags' low nibble).
    pub fn traffic(&self) -> u8 {
        self.flags & 0x0f
    }

    /// The signalling channel of VPI 0 this PDU travels on, which tcpdump
    /// reads whatever the traffic type says.
    pub fn signalling(&self) -> Option<Signal> {
        if self.vpi != 0 {
            return None;
        }
        Some(match self.vci {
            5 => Signal::Q2931,
            2 => Signal::Broadcast,
            3 | 4 => Signal::Oam,
            1 => Signal::Meta,
            16 => Signal::Ilmi,
            _ => return None,
        })
    }
}

/// The channels of VPI 0 tcpdump names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// VCI 5: point-to-point signalling (Q.2931 over SSCOP).
    Q2931,
    /// VCI 2: broadcast signalling.
    Broadcast,
    /// VCI 3 and 4: OAM F4 cells (segment, end-to-end).
    Oam,
    /// VCI 1: meta signalling.
    Meta,
    /// VCI 16: ILMI (SNMP).
    Ilmi,
}

/// The pseudo-header, when it was captured.
pub fn header(data: &[u8]) -> Option<Header> {
    let &[flags, vpi, ..] = data.first_chunk::<HEADER_LEN>()?;
    Some(Header {
        flags,
        vpi,
        vci: be16(data, 2)?,
    })
}

/// What a record carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The pseudo-header was cut.
    Cut,
    /// A signalling channel's PDU.
    Signal(Signal),
    /// LANE whose LE header was cut.
    LaneCut,
    /// An LE control frame (its LE header 0xff00).
    LaneControl,
    /// A LANE data frame: an Ethernet frame at [`LANE_ETHERNET_AT`].
    LaneData,
    /// An LLC PDU at [`HEADER_LEN`] (LLC traffic, and any type but LANE).
    Llc,
}

/// What `data` (a record of link type 123) carries.
pub fn kind(data: &[u8]) -> Kind {
    let Some(h) = header(data) else {
        return Kind::Cut;
    };
    if let Some(s) = h.signalling() {
        return Kind::Signal(s);
    }
    if h.traffic() != TRAFFIC_LANE {
        return Kind::Llc;
    }
    match be16(data, HEADER_LEN) {
        None => Kind::LaneCut,
        Some(LE_CONTROL) => Kind::LaneControl,
        Some(_) => Kind::LaneData,
    }
}

/// Where the Ethernet frame of a LANE data record starts (tcpdump hands
/// it to its Ethernet printer: every stage reads it as an Ethernet
/// capture's frame); `None` for every other record.
pub fn ethernet_at(data: &[u8]) -> Option<usize> {
    (kind(data) == Kind::LaneData).then_some(LANE_ETHERNET_AT)
}

/// What follows the pseudo-header: the LLC PDU's network layer (as RFC
/// 1483 ATM's, `rings`), a LANE data frame's Ethernet frame, or the
/// link layer's own message (signalling, LE control).
pub fn strip(data: &[u8]) -> Payload<'_> {
    match kind(data) {
        Kind::Cut => Payload::TooShort("sunatm"),
        Kind::LaneCut => Payload::TooShort("lane"),
        Kind::Signal(_) | Kind::LaneControl => Payload::Message(data),
        Kind::LaneData => Payload::Ethernet(data.get(LANE_ETHERNET_AT..).unwrap_or(&[])),
        Kind::Llc => super::rings::strip(SUNATM, data),
    }
}

/// tcpdump's CRC-10 of ATM OAM cells (the polynomial 0x633, that is
/// x^10 + x^9 + x^5 + x^4 + x + 1), as its `verify_crc10_cksum` runs it
/// from `accum` over `bytes`: 0 over a cell payload whose last ten bits
/// hold the CRC of the rest.
pub fn crc10(mut accum: u16, bytes: &[u8]) -> u16 {
    const POLY: u16 = 0x633;
    // The remainder of each byte value shifted into the register's top,
    // as tcpdump's table holds it.
    let step = |i: u16| {
        let mut a = i << 2;
        for _ in 0..8 {
            a <<= 1;
            if a & 0x400 != 0 {
                a ^= POLY;
            }
        }
        a
    };
    for &b in bytes {
        accum = ((accum << 8) & 0x3ff) ^ step((accum >> 2) & 0xff) ^ u16::from(b);
    }
    accum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(kind(&[2, 0, 0]), Kind::Cut);
        assert_eq!(kind(&[2, 0, 0, 5]), Kind::Signal(Signal::Q2931));
        assert_eq!(kind(&[1, 0, 0, 16, 0]), Kind::Signal(Signal::Ilmi));
        assert_eq!(kind(&[2, 1, 0, 5]), Kind::Llc);
        assert_eq!(kind(&[0, 0, 0, 100]), Kind::Llc);
        assert_eq!(kind(&[1, 0, 0, 100, 0xff]), Kind::LaneCut);
        assert_eq!(kind(&[1, 0, 0, 100, 0xff, 0]), Kind::LaneControl);
        assert_eq!(kind(&[0x81, 0, 0, 100, 0, 1]), Kind::LaneData);
        assert_eq!(ethernet_at(&[0x81, 0, 0, 100, 0, 1]), Some(6));
        let h = header(&[0x82, 3, 1, 2]).unwrap();
        assert!(h.transmitted());
        assert_eq!((h.traffic(), h.vpi, h.vci), (2, 3, 0x102));
    }

    #[test]
    fn crc10_of_a_cell_with_its_crc_is_zero() {
        let mut cell = [0u8; 48];
        cell[0] = 0x18;
        cell[1] = 1;
        let crc = (0u16..1024)
            .find(|&c| {
                cell[46..].copy_from_slice(&c.to_be_bytes());
                crc10(0, &cell) == 0
            })
            .expect("a CRC");
        cell[46..].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(crc10(0, &cell), 0);
        cell[46] ^= 1;
        assert_ne!(crc10(0, &cell), 0);
    }
}
