//! Solaris' ipnet observability records (link type 226, IPNET): a 24-byte
//! header, then the IPv4 or IPv6 packet by the header's address family
//! (Solaris' numbers: 2 and 26). Where the header ends and what it says;
//! the line's words are `dissect::link::ipnet`'s.

use super::link::Payload;
use etherparse::EtherType;

pub const IPNET: u32 = 226;

/// The header: version, family, packet type (inbound 2, outbound 1),
/// packet length, interface indexes and the source and destination zones.
pub const HEADER_LEN: usize = 24;

pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 26;

/// An ipnet header's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: u8,
    pub family: u8,
    pub htype: u16,
    pub pktlen: u32,
    pub ifindex: u32,
    pub grifindex: u32,
    pub zsrc: u32,
    pub zdst: u32,
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// The header, when it was captured whole.
pub fn header(d: &[u8]) -> Option<Header> {
    let fixed = d.get(..HEADER_LEN)?;
    Some(Header {
        version: *fixed.first()?,
        family: *fixed.get(1)?,
        htype: u16::from_be_bytes([*fixed.get(2)?, *fixed.get(3)?]),
        pktlen: be32(fixed, 4)?,
        ifindex: be32(fixed, 8)?,
        grifindex: be32(fixed, 12)?,
        zsrc: be32(fixed, 16)?,
        zdst: be32(fixed, 20)?,
    })
}

/// The EtherType of an ipnet family tcpdump decodes.
pub fn ether_type(family: u8) -> Option<u16> {
    match family {
        AF_INET => Some(0x0800),
        AF_INET6 => Some(0x86dd),
        _ => None,
    }
}

/// The packet after the header, for the IP printers, filters and flows;
/// the record itself when its family is another (`[|ipnet]` for a cut
/// header).
pub fn strip(data: &[u8]) -> Payload<'_> {
    let Some(h) = header(data) else {
        return Payload::TooShort("ipnet");
    };
    match (ether_type(h.family), data.get(HEADER_LEN..)) {
        (Some(t), Some(rest)) => Payload::EtherType(EtherType(t), rest),
        _ => Payload::Message(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_packet() {
        let mut r = vec![1, 26, 0, 2, 0, 0, 0, 40, 0, 0, 0, 3, 0, 0, 0, 0];
        r.extend_from_slice(&[0, 0, 0, 7, 0, 0, 0, 9, 0x60]);
        let h = header(&r).unwrap();
        assert_eq!((h.family, h.htype, h.pktlen), (26, 2, 40));
        assert_eq!((h.ifindex, h.zsrc, h.zdst), (3, 7, 9));
        assert!(matches!(
            strip(&r),
            Payload::EtherType(EtherType(0x86dd), [0x60])
        ));
        assert!(matches!(strip(&r[..23]), Payload::TooShort("ipnet")));
        r[1] = 4;
        assert!(matches!(strip(&r), Payload::Message(_)));
    }
}
