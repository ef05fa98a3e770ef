//! The link header's fields as `-e` prints them: Ethernet addresses, the
//! EtherType and every VLAN tag before the network layer, Linux cooked
//! headers' packet type and hardware address. Read here, once, with checked
//! reads, so the printer only formats.

use crate::packet::LinkType;

/// VLAN tag protocol identifiers tcpdump follows into another tag.
pub const VLAN_TPIDS: [u16; 4] = [0x8100, 0x88a8, 0x9100, super::old_vlan::ETHERTYPE];

/// Whether `t` is one of [`VLAN_TPIDS`]: asked of every Ethernet frame, so
/// a `match` (a few compares) rather than a slice search.
pub fn is_vlan_tpid(t: u16) -> bool {
    matches!(t, 0x8100 | 0x88a8 | 0x9100 | super::old_vlan::ETHERTYPE)
}

/// At most this many VLAN tags are named (what the decoder follows too).
pub const MAX_TAGS: usize = 3;

/// One 802.1Q tag: its TCI and the EtherType after it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VlanTag {
    pub tci: u16,
    pub next_type: u16,
}

impl VlanTag {
    pub fn vid(self) -> u16 {
        self.tci & 0x0fff
    }
    pub fn pcp(self) -> u16 {
        self.tci >> 13
    }
    pub fn dei(self) -> bool {
        self.tci & 0x1000 != 0
    }
    /// The tag at the start of `bytes` (its TCI, then the EtherType after
    /// it); `None` when the capture cut it.
    pub fn read(bytes: &[u8]) -> Option<VlanTag> {
        Some(VlanTag {
            tci: be16(bytes, 0)?,
            next_type: be16(bytes, 2)?,
        })
    }
}

/// What `-e` shows of a frame's link header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkHeader<'a> {
    Ethernet {
        src: &'a [u8],
        dst: &'a [u8],
        ether_type: u16,
        tags: [VlanTag; MAX_TAGS],
        n_tags: usize,
        /// A VLAN tag the capture cut after the last whole one.
        cut: bool,
    },
    /// Linux cooked v1 (`ifindex` none) or v2.
    Cooked {
        packet_type: u16,
        ifindex: Option<u32>,
        /// The hardware address, when it is a 6-byte one.
        mac: Option<&'a [u8]>,
        protocol: u16,
    },
    /// BSD loopback: the address family.
    Null { family: u32 },
    /// Raw IP: no header.
    Raw,
    /// Cut short or a link type we do not decode.
    None,
}

impl LinkHeader<'_> {
    /// The VLAN tags, outermost first.
    pub fn tags(&self) -> &[VlanTag] {
        match self {
            LinkHeader::Ethernet { tags, n_tags, .. } => tags.get(..*n_tags).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The length of an 802.3 frame as tcpdump judges it (`802.3, length
    /// N`, and what the LLC header and the protocol above it are handed):
    /// the length field, capped by what the frame held on the wire
    /// (`orig_len`) after the Ethernet header and its VLAN tags. `None`
    /// when the frame is not 802.3 (an EtherType, or not Ethernet).
    pub fn len_8023(&self, orig_len: usize) -> Option<usize> {
        let LinkHeader::Ethernet { ether_type, .. } = self else {
            return None;
        };
        let t = self.tags().last().map_or(*ether_type, |tag| tag.next_type);
        let header = 14 + 4 * self.tags().len();
        (t <= 1500).then(|| usize::from(t).min(orig_len.saturating_sub(header)))
    }
}

/// The big-endian 16-bit word at `at`, if the bytes are there (the one
/// reader of it for `decode` and the link printers).
pub fn be16(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([*b.first()?, *b.get(1)?]))
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}

/// Read the link header of a frame of type `link`; `null_family` is the
/// family `decode::link` already settled on (byte order guessed there).
pub fn read(link: LinkType, data: &[u8], null_family: Option<u32>) -> LinkHeader<'_> {
    read_checked(link, data, null_family).unwrap_or(LinkHeader::None)
}

fn read_checked(link: LinkType, data: &[u8], null_family: Option<u32>) -> Option<LinkHeader<'_>> {
    Some(match link {
        LinkType::Ethernet => {
            let dst = data.get(0..6)?;
            let src = data.get(6..12)?;
            let ether_type = be16(data, 12)?;
            let mut tags = [VlanTag::default(); MAX_TAGS];
            let mut n_tags = 0;
            let mut t = ether_type;
            let mut at = 14;
            let mut cut = false;
            while is_vlan_tpid(t) && n_tags < MAX_TAGS {
                let (Some(tci), Some(next)) = (be16(data, at), be16(data, at + 2)) else {
                    cut = true;
                    break;
                };
                if let Some(slot) = tags.get_mut(n_tags) {
                    *slot = VlanTag {
                        tci,
                        next_type: next,
                    };
                }
                n_tags += 1;
                t = next;
                at += 4;
            }
            LinkHeader::Ethernet {
                src,
                dst,
                ether_type,
                tags,
                n_tags,
                cut,
            }
        }
        LinkType::LinuxSll => LinkHeader::Cooked {
            packet_type: be16(data, 0)?,
            ifindex: None,
            mac: (be16(data, 4)? == 6).then(|| data.get(6..12)).flatten(),
            protocol: be16(data, 14)?,
        },
        LinkType::LinuxSll2 => {
            data.get(..20)?;
            LinkHeader::Cooked {
                packet_type: u16::from(*data.get(10)?),
                ifindex: Some(be32(data, 4)?),
                mac: (*data.get(11)? == 6).then(|| data.get(12..18)).flatten(),
                protocol: be16(data, 0)?,
            }
        }
        // tcpdump's printer wants the whole family field before `-e`.
        LinkType::Null | LinkType::Loop => {
            data.get(..4)?;
            LinkHeader::Null {
                family: null_family?,
            }
        }
        LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => LinkHeader::Raw,
        LinkType::Other(_) => LinkHeader::None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ethernet_with_two_tags() {
        let mut f = vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x88, 0xa8];
        f.extend([0x30, 0xc8, 0x81, 0x00, 0x11, 0x2c, 0x08, 0x00, 0x45]);
        let h = read(LinkType::Ethernet, &f, None);
        let tags = h.tags();
        assert_eq!(tags.len(), 2);
        assert_eq!(
            (tags[0].vid(), tags[0].pcp(), tags[0].dei()),
            (200, 1, true)
        );
        assert_eq!(tags[1].next_type, 0x0800);
    }

    #[test]
    fn test_truncated() {
        assert_eq!(read(LinkType::Ethernet, &[0; 13], None), LinkHeader::None);
        assert_eq!(read(LinkType::LinuxSll2, &[0; 19], None), LinkHeader::None);
        // A tag cut short is not named, but said to be there.
        let mut f = vec![0; 12];
        f.extend([0x81, 0x00, 0x00]);
        let h = read(LinkType::Ethernet, &f, None);
        assert!(h.tags().is_empty());
        assert!(matches!(h, LinkHeader::Ethernet { cut: true, .. }));
    }

    #[test]
    fn test_the_tpid_match_is_the_list() {
        for t in 0..=u16::MAX {
            assert_eq!(is_vlan_tpid(t), VLAN_TPIDS.contains(&t), "{t:#06x}");
        }
    }
}
