//! The link layers of serial lines, tunnels' endpoints and radios that
//! `tcpdump` reads (PPP, PPP in HDLC framing, Cisco HDLC, Frame Relay,
//! NFLOG, IP over InfiniBand, 802.11 with or without radiotap): where
//! their header ends and whether an IP packet follows. What their headers
//! say in a line is `dissect::link`'s; this module only finds the network
//! layer, so that the IP printers, filters' flows and the flow view see the
//! packet inside.

use super::link::{LinkInfo, Payload};
use crate::packet::LinkType;
use etherparse::EtherType;

pub const PPP: u32 = 9;
pub const PPP_HDLC: u32 = 50;
pub const C_HDLC: u32 = 104;
pub const IEEE802_11: u32 = 105;
pub const FRELAY: u32 = 107;
pub const IEEE802_11_RADIO: u32 = 127;
pub const NFLOG: u32 = 239;
pub const IPOIB: u32 = 242;
pub const PKTAP: u32 = 258;

/// The link types this module strips.
pub fn handles(link: u32) -> bool {
    matches!(
        link,
        PPP | PPP_HDLC | C_HDLC | IEEE802_11 | FRELAY | IEEE802_11_RADIO | NFLOG | IPOIB | PKTAP
    )
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([*b.first()?, *b.get(1)?]))
}

fn le16(data: &[u8], at: usize) -> Option<u16> {
    be16(data, at).map(u16::swap_bytes)
}

/// A PPP frame's protocol and header length: after the optional `ff 03`
/// address and control, a one-byte (odd) or two-byte protocol field.
pub fn ppp_header(data: &[u8]) -> Option<(u16, usize)> {
    let at = if be16(data, 0)? == 0xff03 { 2 } else { 0 };
    let first = *data.get(at)?;
    if first % 2 == 1 {
        Some((u16::from(first), at + 1))
    } else {
        Some((be16(data, at)?, at + 2))
    }
}

/// The EtherType PPP's protocol number stands for, when it is IP.
pub fn ppp_to_ether(proto: u16) -> Option<u16> {
    match proto {
        0x21 | 0x0800 => Some(0x0800),
        0x57 | 0x86dd => Some(0x86dd),
        _ => None,
    }
}

/// A Frame Relay frame with a two-byte Q.922 address, a UI control byte
/// and an NLPID: (DLCI, the address's flag bits, NLPID).
pub fn fr_header(data: &[u8]) -> Option<(u16, [u8; 2], u8)> {
    let (a, b) = (*data.first()?, *data.get(1)?);
    // The address ends where its EA bit is set: two bytes only here.
    if a & 1 != 0 || b & 1 == 0 || *data.get(2)? != 0x03 {
        return None;
    }
    let nlpid = *data.get(3)?;
    let dlci = (u16::from(a & 0xfc) << 2) | u16::from(b >> 4);
    (nlpid != 0).then_some((dlci, [a, b], nlpid))
}

/// NFLOG's TLV of type `want`: its value (`None` when there is none,
/// `Err` when a TLV before it or itself was cut by the capture). TLV
/// lengths are in the writer's byte order (little endian on the hosts that
/// write it, as tcpdump assumes) and padded to 4 bytes.
pub fn nflog_tlv(data: &[u8], want: u16) -> Result<Option<&[u8]>, Cut> {
    let mut at = 4usize;
    // Each TLV is at least 4 bytes: the walk ends.
    while at < data.len() {
        let (Some(len), Some(kind)) = (le16(data, at), le16(data, at + 2)) else {
            return Err(Cut);
        };
        let len = usize::from(len);
        if len < 4 {
            return Ok(None);
        }
        let value = data.get(at + 4..at + len).ok_or(Cut)?;
        if kind == want {
            return Ok(Some(value));
        }
        at += len.next_multiple_of(4);
    }
    // The walk reached the end of what was captured: tcpdump's goes on
    // by the length on the wire, and finds the capture cut (a message
    // without a payload at all is rare enough to be taken for that too).
    Err(Cut)
}

/// A header the capture cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cut;

pub const NFULA_PAYLOAD: u16 = 9;

/// Apple's PKTAP header: at least this long, its length, record type and
/// the DLT of the frame after it at 0, 4 and 8 (little endian).
pub const PKTAP_LEN: usize = 108;

/// A PKTAP record's header length and the link type of the packet it
/// carries (`None`: not a packet record, or a header that does not fit).
pub fn pktap(data: &[u8]) -> Option<(usize, LinkType)> {
    let le32 = |at: usize| -> Option<u32> {
        let b: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
        Some(u32::from_le_bytes(b))
    };
    let len = usize::try_from(le32(0)?).ok()?;
    if data.len() < PKTAP_LEN || len < PKTAP_LEN || len > data.len() || le32(4)? != 1 {
        return None;
    }
    // DLT numbers: only DLT_RAW differs from its LINKTYPE among the ones
    // decoded inside (12 on Linux and macOS, 14 on OpenBSD).
    let link = match le32(8)? {
        12 | 14 => LinkType::Raw,
        n => LinkType::from_number(n),
    };
    // The link types whose printers tcpdump calls inside PKTAP and we
    // decode without words of their own.
    let inner = matches!(
        link,
        LinkType::Ethernet | LinkType::Null | LinkType::Loop | LinkType::Raw | LinkType::LinuxSll
    );
    inner.then_some((len, link))
}

/// IP over InfiniBand: a 44-byte pseudo header whose EtherType is at 40.
pub const IPOIB_LEN: usize = 44;

/// Strip the link header of `link` (one of [`handles`]).
pub fn strip(link: u32, data: &[u8]) -> (LinkInfo, Payload<'_>) {
    let payload = match link {
        // tcpdump wants four bytes of a PPP frame, whatever its header.
        PPP if data.len() < 4 => Payload::TooShort("ppp"),
        PPP => match ppp_header(data) {
            Some((proto, at)) => carried(ppp_to_ether(proto), data, at),
            None => Payload::TooShort("ppp"),
        },
        PPP_HDLC => match data.first() {
            _ if data.len() < 2 => Payload::TooShort("ppp_hdlc"),
            Some(0x0f | 0x8f) => chdlc(data),
            _ if data.len() < 4 => Payload::TooShort("ppp_hdlc"),
            _ => carried(be16(data, 2).and_then(ppp_to_ether), data, 4),
        },
        C_HDLC => chdlc(data),
        FRELAY => match fr_header(data) {
            Some((_, _, 0xcc)) => carried(Some(0x0800), data, 4),
            Some((_, _, 0x8e)) => carried(Some(0x86dd), data, 4),
            _ if data.len() < 4 => Payload::TooShort("fr"),
            _ => Payload::Message(data),
        },
        NFLOG => nflog(data),
        IPOIB if data.len() < IPOIB_LEN => Payload::TooShort("ipoib"),
        IPOIB => carried(be16(data, 40).filter(|t| is_ip(*t)), data, IPOIB_LEN),
        IEEE802_11 => super::wlan::strip(data, 0),
        PKTAP => match pktap(data) {
            Some((len, inner)) => super::link::strip(inner, data.get(len..).unwrap_or(&[])).1,
            None => Payload::Message(data),
        },
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
    match nflog_tlv(data, NFULA_PAYLOAD) {
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
        assert_eq!(
            fr_header(&[0x18, 0x41, 3, 0xcc]),
            Some((100, [0x18, 0x41], 0xcc))
        );
        assert_eq!(fr_header(&[0x18, 0x41, 5, 0xcc]), None);
    }

    #[test]
    fn nflog_finds_the_payload_and_stops_on_bad_lengths() {
        let mut m = vec![2, 0, 0, 0, 8, 0, 1, 0, 0, 0, 0, 0, 6, 0, 9, 0, 0x45, 0];
        assert_eq!(nflog_tlv(&m, NFULA_PAYLOAD), Ok(Some(&[0x45, 0][..])));
        assert_eq!(nflog_tlv(&m[..17], NFULA_PAYLOAD), Err(Cut));
        assert_eq!(nflog_tlv(&m[..12], NFULA_PAYLOAD), Err(Cut));
        m[4] = 0;
        assert_eq!(nflog_tlv(&m, NFULA_PAYLOAD), Ok(None));
    }
}
