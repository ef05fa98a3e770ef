//! OpenBSD's enc(4) records (link type 109, ENC): the packets IPsec
//! sends and receives, before encryption and after decryption, behind a
//! 12-byte header: the address family and the flags in the capturing
//! host's byte order, the SPI in network order. Where the header ends and
//! what it says; the line's words are `dissect::link::enc`'s.

use super::link::Payload;
use etherparse::EtherType;

pub const ENC: u32 = 109;

/// Family, SPI, flags.
pub const HEADER_LEN: usize = 12;

/// The flags tcpdump names: the packet was authenticated, or encrypted.
pub const M_CONF: u32 = 0x0400;
pub const M_AUTH: u32 = 0x0800;

/// The address families of IPv4 and of IPv6 on the BSDs (OpenBSD and
/// NetBSD 24, FreeBSD 28, Darwin 30).
pub const AF_INET: u32 = 2;
pub const AF_INET6: [u32; 3] = [24, 28, 30];

/// An enc header's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The family as tcpdump reads it: in this host's (little-endian)
    /// order, swapped when its upper half is set (a big-endian writer).
    pub af: u32,
    pub spi: u32,
    /// In the family's byte order, as tcpdump reads them.
    pub flags: u32,
}

/// The header, when it was captured whole.
pub fn header(d: &[u8]) -> Option<Header> {
    let (af, rest) = d.split_first_chunk::<4>()?;
    let (spi, rest) = rest.split_first_chunk::<4>()?;
    let (flags, _) = rest.split_first_chunk::<4>()?;
    let (af, flags) = (u32::from_le_bytes(*af), u32::from_le_bytes(*flags));
    // A family with its upper half set was written by a host of the
    // other byte order: its flags are too.
    let swapped = af & 0xffff_0000 != 0;
    Some(Header {
        af: if swapped { af.swap_bytes() } else { af },
        spi: u32::from_be_bytes(*spi),
        flags: if swapped { flags.swap_bytes() } else { flags },
    })
}

/// The EtherType of a family tcpdump hands to an IP printer.
pub fn ether_type(af: u32) -> Option<u16> {
    match af {
        AF_INET => Some(0x0800),
        _ if AF_INET6.contains(&af) => Some(0x86dd),
        _ => None,
    }
}

/// The packet after the header, for the IP printers, filters and flows;
/// the record itself for another family (`[|enc]` for a cut header).
pub fn strip(data: &[u8]) -> Payload<'_> {
    let Some(h) = header(data) else {
        return Payload::TooShort("enc");
    };
    match (ether_type(h.af), data.get(HEADER_LEN..)) {
        (Some(t), Some(rest)) => Payload::EtherType(EtherType(t), rest),
        _ => Payload::Message(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_in_either_byte_order() {
        let mut r = vec![2, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0, 0x0c, 0, 0, 0x45];
        let h = header(&r).unwrap();
        assert_eq!((h.af, h.spi, h.flags), (2, 0x1234_5678, M_CONF | M_AUTH));
        assert!(matches!(
            strip(&r),
            Payload::EtherType(EtherType(0x0800), [0x45])
        ));
        // A big-endian writer's family.
        r[..4].copy_from_slice(&[0, 0, 0, 24]);
        assert_eq!(header(&r).unwrap().af, 24);
        assert!(matches!(
            strip(&r),
            Payload::EtherType(EtherType(0x86dd), _)
        ));
        assert!(matches!(strip(&r[..11]), Payload::TooShort("enc")));
        r[..4].copy_from_slice(&[10, 0, 0, 0]);
        assert!(matches!(strip(&r), Payload::Message(_)));
    }
}
