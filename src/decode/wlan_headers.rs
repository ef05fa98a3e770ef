//! The capture headers older 802.11 drivers and AirPcap put before the
//! frame instead of radiotap: Prism's fixed 144 bytes (link type 119,
//! which Linux also uses for AVS headers, told apart by AVS's magic
//! cookie), AVS's (163; its own big-endian length at byte 4) and CACE's
//! PPI (192; version, flags, little-endian length and the DLT of what
//! follows). Only where the 802.11 frame starts is read here, with
//! tcpdump's checks in tcpdump's order; what the headers say in a line
//! is `dissect::link`'s.

use super::link::Payload;
use crate::packet::LinkType;

pub const PRISM_HEADER: u32 = 119;
pub const IEEE802_11_RADIO_AVS: u32 = 163;
pub const PPI: u32 = 192;

/// Prism's header is always this long.
pub const PRISM_LEN: usize = 144;
/// AVS's first word, versions 1 and 2 (big endian).
const AVS_COOKIES: [u32; 2] = [0x8021_1001, 0x8021_1002];
/// PPI's fixed part, and the longest header its specification allows.
pub const PPI_LEN: usize = 8;
pub const PPI_MAX: usize = 65532;
/// DLT_IEEE802_11: the only frame behind PPI decoded here.
const DLT_IEEE802_11: u32 = 105;

/// Whether `link` is one of this module's.
pub fn handles(link: u32) -> bool {
    matches!(link, PRISM_HEADER | IEEE802_11_RADIO_AVS | PPI)
}

/// A PPI header's fixed fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PpiHeader {
    pub version: u8,
    pub flags: u8,
    pub len: usize,
    pub dlt: u32,
}

/// What a record's header says, as tcpdump's printers judge it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Header {
    /// The 802.11 frame starts at `at` (`avs`: behind an AVS header,
    /// also inside link type 119; `ppi`: PPI's fields).
    Frame {
        at: usize,
        avs: bool,
        ppi: Option<PpiHeader>,
    },
    /// The capture cut the header: tcpdump's mark, ` [|prism]` …
    Cut(&'static str),
    /// PPI's length out of its range (tcpdump says so and stops).
    BadPpiLength(usize),
    /// A whole PPI header before a frame of a DLT libpcap does not name
    /// (so tcpdump has no printer for it either: it prints the bytes).
    OtherDlt(PpiHeader),
    /// A whole PPI header before a packet of another DLT, which tcpdump
    /// hands to that DLT's printer: the packet's link type (decoded as a
    /// packet of its own, as PKTAP's).
    Inner(PpiHeader, LinkType),
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = data.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}

/// Read the header of a record of `link` (one of [`handles`]).
pub fn header(link: u32, data: &[u8]) -> Header {
    match link {
        PRISM_HEADER => match be32(data, 0) {
            None => Header::Cut("prism"),
            Some(c) if AVS_COOKIES.contains(&c) => avs(data),
            Some(_) if data.len() < PRISM_LEN => Header::Cut("prism"),
            Some(_) => Header::Frame {
                at: PRISM_LEN,
                avs: false,
                ppi: None,
            },
        },
        IEEE802_11_RADIO_AVS => avs(data),
        _ => ppi(data),
    }
}

/// An AVS header: tcpdump wants its first 8 bytes, a length of at least
/// 8 and the whole header captured (the cookie itself is not checked).
fn avs(data: &[u8]) -> Header {
    const CUT: Header = Header::Cut("802.11_radio_avs");
    let Some(len) = be32(data, 4).and_then(|l| usize::try_from(l).ok()) else {
        return CUT;
    };
    if len < 8 || data.len() < len {
        return CUT;
    }
    Header::Frame {
        at: len,
        avs: true,
        ppi: None,
    }
}

/// PPI's fixed fields, when the 8 bytes are captured.
pub fn ppi_header(data: &[u8]) -> Option<PpiHeader> {
    let b = data.get(..PPI_LEN)?;
    Some(PpiHeader {
        version: *b.first()?,
        flags: *b.get(1)?,
        len: usize::from(u16::from_le_bytes([*b.get(2)?, *b.get(3)?])),
        dlt: u32::from_le_bytes([*b.get(4)?, *b.get(5)?, *b.get(6)?, *b.get(7)?]),
    })
}

/// The link type of the packet behind a PPI header of DLT `dlt`, when
/// tcpdump's `lookup_printer` finds a printer for it and we decode it
/// (its DLT numbers are Linux's, as PKTAP's: `link_more::pktap_dlt`).
/// PPI and PKTAP inside PPI are followed as tcpdump follows them, as far
/// as [`super::link_more::nesting_fits`] allows.
fn inner_link(dlt: u32) -> Option<LinkType> {
    use super::link_more::{handles, pktap_dlt};
    match pktap_dlt(dlt)? {
        LinkType::Other(n) if !handles(n) => None,
        link => Some(link),
    }
}

/// A PPI record's header length and the link type of the packet after
/// it, when that is not 802.11's and has a printer, whatever it nests
/// (the step of [`super::link_more::nesting_fits`]'s walk).
pub(super) fn ppi_direct(data: &[u8]) -> Option<(usize, LinkType)> {
    let h = ppi_header(data)?;
    if !(PPI_LEN..=PPI_MAX).contains(&h.len) || data.len() < h.len || h.dlt == DLT_IEEE802_11 {
        return None;
    }
    Some((h.len, inner_link(h.dlt)?))
}

fn ppi(data: &[u8]) -> Header {
    let Some(h) = ppi_header(data) else {
        return Header::Cut("ppi");
    };
    if !(PPI_LEN..=PPI_MAX).contains(&h.len) {
        return Header::BadPpiLength(h.len);
    }
    if data.len() < h.len {
        return Header::Cut("ppi");
    }
    if h.dlt != DLT_IEEE802_11 {
        let inner = inner_link(h.dlt)
            .filter(|&link| super::link_more::nesting_fits(link, data.get(h.len..).unwrap_or(&[])));
        return match inner {
            Some(link) => Header::Inner(h, link),
            None => Header::OtherDlt(h),
        };
    }
    Header::Frame {
        at: h.len,
        avs: false,
        ppi: Some(h),
    }
}

/// The header length of a PPI record (`data`) and the link type of the
/// packet after it, when tcpdump hands that to another printer than
/// 802.11's.
pub fn ppi_packet(data: &[u8]) -> Option<(usize, LinkType)> {
    match ppi(data) {
        Header::Inner(h, link) => Some((h.len, link)),
        _ => None,
    }
}

/// The network layer of a record of `link`: the 802.11 frame's, behind
/// its header; behind PPI, the network layer of the packet of another
/// DLT tcpdump hands on (a DLT it has no printer for: the record as a
/// message, which the printers show as tcpdump does).
pub fn strip(link: u32, data: &[u8]) -> Payload<'_> {
    match header(link, data) {
        Header::Frame { at, .. } => super::wlan::strip(data.get(at..).unwrap_or(&[]), 0),
        Header::Cut(mark) => Payload::TooShort(mark),
        Header::BadPpiLength(_) | Header::OtherDlt(_) => Payload::Message(data),
        Header::Inner(h, link) => super::link::strip(link, data.get(h.len..).unwrap_or(&[])).1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prism_and_avs_inside_it() {
        let prism = [0u8; PRISM_LEN];
        assert_eq!(header(PRISM_HEADER, &prism[..3]), Header::Cut("prism"));
        assert_eq!(header(PRISM_HEADER, &prism[..143]), Header::Cut("prism"));
        assert!(matches!(
            header(PRISM_HEADER, &prism),
            Header::Frame {
                at: 144,
                avs: false,
                ..
            }
        ));
        let avs = [0x80, 0x21, 0x10, 0x02, 0, 0, 0, 12, 0, 0, 0, 0];
        assert!(matches!(
            header(PRISM_HEADER, &avs),
            Header::Frame {
                at: 12,
                avs: true,
                ..
            }
        ));
        assert_eq!(
            header(PRISM_HEADER, &avs[..11]),
            Header::Cut("802.11_radio_avs")
        );
        assert_eq!(
            header(IEEE802_11_RADIO_AVS, &avs[..7]),
            Header::Cut("802.11_radio_avs")
        );
        let short = [0x80, 0x21, 0x10, 0x01, 0, 0, 0, 7];
        assert_eq!(
            header(IEEE802_11_RADIO_AVS, &short),
            Header::Cut("802.11_radio_avs")
        );
        let huge = [0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
        assert_eq!(
            header(IEEE802_11_RADIO_AVS, &huge),
            Header::Cut("802.11_radio_avs")
        );
    }

    #[test]
    fn ppi_lengths_and_dlts() {
        let mut h = [0, 1, 12, 0, 105, 0, 0, 0, 9, 9, 9, 9];
        let fields = PpiHeader {
            version: 0,
            flags: 1,
            len: 12,
            dlt: 105,
        };
        assert_eq!(
            header(PPI, &h),
            Header::Frame {
                at: 12,
                avs: false,
                ppi: Some(fields)
            }
        );
        assert_eq!(header(PPI, &h[..11]), Header::Cut("ppi"));
        assert_eq!(header(PPI, &h[..7]), Header::Cut("ppi"));
        h[4] = 1;
        assert!(matches!(
            header(PPI, &h),
            Header::Inner(_, LinkType::Ethernet)
        ));
        // DLT_RAW is 12 on Linux; 101 is its file number, no DLT there.
        h[4] = 12;
        assert!(matches!(header(PPI, &h), Header::Inner(_, LinkType::Raw)));
        h[4] = 101;
        assert!(matches!(header(PPI, &h), Header::OtherDlt(_)));
        // PPI inside PPI: followed, up to 16 headers inside the record's.
        h[4] = 192;
        assert!(matches!(
            header(PPI, &h),
            Header::Inner(_, LinkType::Other(PPI))
        ));
        let nested = |depth: usize| -> Vec<u8> {
            let mut r = [0, 0, 8, 0, 1, 0, 0, 0].to_vec();
            for _ in 0..depth {
                r = [&[0, 0, 8, 0, 192, 0, 0, 0][..], &r].concat();
            }
            r
        };
        assert!(matches!(header(PPI, &nested(16)), Header::Inner(..)));
        assert!(matches!(header(PPI, &nested(17)), Header::OtherDlt(_)));
        assert!(matches!(header(PPI, &nested(30_000)), Header::OtherDlt(_)));
        h[4] = 147;
        assert!(matches!(header(PPI, &h), Header::OtherDlt(_)));
        h[2] = 7;
        assert_eq!(header(PPI, &h), Header::BadPpiLength(7));
        h[2..4].copy_from_slice(&65533u16.to_le_bytes());
        assert_eq!(header(PPI, &h), Header::BadPpiLength(65533));
    }
}
