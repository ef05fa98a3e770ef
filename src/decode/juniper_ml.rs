//! Juniper's multilink link types (130 MLPPP, 131 MLFR, 134 MFR) after
//! the header, as tcpdump 4.99's printers read them: the bundle the
//! cookie names, the protocol the adaptive services' cookie gives (its
//! "LSQ" protocol: IPv4, IPv6, MPLS, OSI), the link services' and plain
//! cookies' protocol bytes (Frame Relay's UI and NLPID, for MLFR and MFR
//! counted into the header), and so what the printers hand the payload to.

use super::juniper::{Header, MFR, MLFR, MLPPP};

/// The cookies' first bytes: the link services' and the adaptive
/// services'.
const LS_COOKIE_ID: u8 = 0x54;
const AS_COOKIE_ID: u8 = 0x47;

/// An MFR cookie's first byte with both of these bits: a child link's
/// record, which carries no cookie (an FRF.16 frame follows the header).
const MFR_CHILD: u8 = 0xc0;

/// The adaptive services' cookie's protocol (its sixth byte's bits), as
/// tcpdump masks it.
const LSQ_MASK: u8 = 0x70;
const LSQ_IPV4: u16 = 0x00;
const LSQ_IPV6: u16 = 0x10;
const LSQ_MPLS: u16 = 0x20;
const LSQ_ISO: u16 = 0x30;

/// An MLPPP cookie's fifth byte for traffic to the routing engine in: an
/// "IPv4" protocol that is IS-IS over PPP.
const LSQ_RE_IN: u8 = 0x0c;

/// PPP's OSI protocol and its address and control: an MLPPP cookie that
/// starts with either is a PPP header, no bundle.
const PPP_OSI: u16 = 0x0023;
const PPP_ADDRESS_CONTROL: u16 = 0xff03;

/// The cookie's length for a link type with `base` bytes of cookie whose
/// first byte is `id` (tcpdump's cookie table, then MFR's child links).
pub fn cookie_len(link: u32, base: usize, id: u8) -> usize {
    if link == MFR && id & MFR_CHILD == MFR_CHILD {
        return 0;
    }
    match id {
        LS_COOKIE_ID => base + 2,
        AS_COOKIE_ID => 8,
        _ => base,
    }
}

/// The cookie as tcpdump keeps it: eight bytes, zeros past its length.
fn padded(cookie: &[u8]) -> [u8; 8] {
    let mut c = [0; 8];
    for (to, from) in c.iter_mut().zip(cookie) {
        *to = *from;
    }
    c
}

/// Where the payload starts and the protocol the header names, after a
/// multilink link type's own reading of its cookie: MLFR's and MFR's
/// link services' (and MLFR's plain) cookies count the two protocol bytes
/// into the header; the adaptive services' cookie names the protocol.
pub fn after_cookie(link: u32, cookie: &[u8], at: usize, proto: u16) -> (usize, u16) {
    if !matches!(link, MLPPP | MLFR | MFR) || cookie.is_empty() {
        return (at, proto);
    }
    let c = padded(cookie);
    match (c[0], link) {
        (AS_COOKIE_ID, _) => (at, u16::from(c[5] & LSQ_MASK)),
        (LS_COOKIE_ID, MLFR | MFR) | (_, MLFR) => (at + 2, proto),
        _ => (at, proto),
    }
}

/// The bundle the cookie names.
pub fn bundle(cookie: &[u8]) -> u16 {
    let c = padded(cookie);
    match c[0] {
        LS_COOKIE_ID => u16::from(c[1]),
        AS_COOKIE_ID => (u16::from_be_bytes([c[6], c[7]]) >> 3) & 0xfff,
        _ => u16::from(c[0]),
    }
}

/// What a multilink record carries after its header, as tcpdump's printer
/// chooses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ml {
    /// A network-layer packet at the header's end, by the protocol's
    /// EtherType (IPv4, IPv6, MPLS).
    EtherType(u16),
    /// tcpdump's ISO printer from byte `at` of the record (its NLPID).
    Osi(usize),
    /// A PPP frame from byte `at` of the record.
    Ppp(usize),
    /// An MFR child link's FRF.16 frame at the header's end.
    Frf16,
    /// `unknown protocol 0x…, length …`.
    Unknown,
    /// Nothing more (an adaptive services' cookie's other protocol).
    Nothing,
}

impl Ml {
    /// The word `--json` names it by.
    pub fn name(self) -> &'static str {
        match self {
            Ml::EtherType(_) => "network",
            Ml::Osi(_) => "osi",
            Ml::Ppp(_) => "ppp",
            Ml::Frf16 => "frf16",
            Ml::Unknown => "unknown",
            Ml::Nothing => "nothing",
        }
    }
}

/// The LSQ protocols' packets: `None` for others.
fn lsq(proto: u16, at: usize) -> Option<Ml> {
    Some(match proto {
        LSQ_IPV4 => Ml::EtherType(0x0800),
        LSQ_IPV6 => Ml::EtherType(0x86dd),
        LSQ_MPLS => Ml::EtherType(0x8847),
        LSQ_ISO => Ml::Osi(at),
        _ => return None,
    })
}

/// Frame Relay's UI and the NLPIDs tcpdump hands to the ISO printer from
/// the byte before the header's end (Q.933, IPv4, IPv6).
fn ui_nlpid(proto: u16) -> bool {
    matches!(proto, 0x0308 | 0x03cc | 0x038e)
}

/// What a record of `h`, whose header ends at `at` with protocol `proto`,
/// carries; `None` for the other link types.
pub fn carries(h: &Header<'_>, at: usize, proto: u16) -> Option<Ml> {
    let c = padded(h.cookie);
    let first = u16::from_be_bytes([c[0], c[1]]);
    Some(match h.link {
        MLPPP => match lsq(proto, at) {
            Some(Ml::EtherType(0x0800)) if c[4] == LSQ_RE_IN => Ml::Ppp(at),
            Some(m) => m,
            None if first == PPP_OSI => Ml::Ppp(at.saturating_sub(2)),
            None => Ml::Ppp(at),
        },
        MLFR => match proto {
            0x0003 | 0x0300 => Ml::Osi(at),
            _ if ui_nlpid(proto) => Ml::Osi(at.saturating_sub(1)),
            _ => Ml::Unknown,
        },
        MFR if h.cookie.is_empty() => Ml::Frf16,
        MFR if h.cookie.len() == 8 => lsq(proto, at).unwrap_or(Ml::Nothing),
        MFR => match proto {
            0xfefe => Ml::Osi(at + 1),
            _ if ui_nlpid(proto) => Ml::Osi(at.saturating_sub(1)),
            _ => Ml::Unknown,
        },
        _ => return None,
    })
}

/// `-e`'s bundle words, when tcpdump prints them: MLPPP's unless the
/// cookie is a PPP header, MLFR's and MFR's unless the cookie is the
/// number 1 (an MFR child link's or an adaptive services' cookie: none).
pub fn bundle_words(h: &Header<'_>) -> Option<(u16, &'static str)> {
    let c = padded(h.cookie);
    match h.link {
        MLPPP => {
            let first = u16::from_be_bytes([c[0], c[1]]);
            (first != PPP_OSI && first != PPP_ADDRESS_CONTROL).then_some((bundle(h.cookie), ": "))
        }
        MFR if h.cookie.is_empty() || h.cookie.len() == 8 => None,
        MLFR | MFR => {
            (u32::from_be_bytes([c[0], c[1], c[2], c[3]]) != 1).then_some((bundle(h.cookie), ", "))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_name_bundle_and_protocol() {
        assert_eq!(cookie_len(MFR, 4, 0xc1), 0);
        assert_eq!(cookie_len(MFR, 4, 0x54), 6);
        assert_eq!(cookie_len(MLPPP, 2, 0x47), 8);
        assert_eq!(after_cookie(MLFR, &[1, 2], 6, 0x03cc), (8, 0x03cc));
        assert_eq!(after_cookie(MFR, &[1, 2, 3, 4], 8, 0x03cc), (8, 0x03cc));
        let as_cookie = [0x47, 0, 0, 0, 0, 0x12, 0, 0x28];
        assert_eq!(after_cookie(MLPPP, &as_cookie, 12, 0x4500), (12, 0x10));
        assert_eq!(bundle(&as_cookie), 5);
        assert_eq!(bundle(&[0x54, 9, 0, 0]), 9);
    }
}
