//! The MACsec SecTAG (IEEE 802.1AE §9.3) after an Ethernet header whose
//! EtherType is 0x88e5, read as tcpdump's printer judges it: cut, invalid
//! (a version bit or short-length bits that must be zero), or a tag whose
//! payload is confidential (E or C set: not decodable, tcpdump dumps it)
//! or in the clear (the inner EtherType follows; etherparse decodes it).

use super::link_header::{MAX_TAGS, VlanTag, be16, is_vlan_tpid};

/// MACsec's EtherType.
pub const ETHERTYPE: u16 = 0x88e5;

/// The Tag Control Information's bits and the association number.
const VERSION: u8 = 0x80;
const SCI_PRESENT: u8 = 0x20;
const ENCRYPTED: u8 = 0x08;
const CHANGED: u8 = 0x04;
const AN_MASK: u8 = 0x03;
/// The short length is six bits; the two above must be zero.
const SL_MASK: u8 = 0x3f;

/// The flag bits tcpdump names, in its order (`flags ECI`).
const FLAG_NAMES: [(u8, &str); 5] = [
    (ENCRYPTED, "E"),
    (CHANGED, "C"),
    (0x40, "S"),
    (0x10, "B"),
    (SCI_PRESENT, "I"),
];

/// What the bytes after the EtherType hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecTag {
    /// Fewer bytes than the tag (six, fourteen with a channel id) were
    /// captured, or the frame was shorter on the wire: ` [|macsec]`.
    Cut,
    /// A version bit or a reserved short-length bit: ` (invalid)`.
    Invalid,
    Tag(Tag),
}

/// A whole, valid SecTAG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag {
    pub tci: u8,
    pub short_len: u8,
    pub packet_number: u32,
    pub sci: Option<u64>,
}

impl Tag {
    /// The tag's length on the wire.
    pub fn size(&self) -> usize {
        if self.sci.is_some() { 14 } else { 6 }
    }

    /// Whether the payload is encrypted or changed (not decodable).
    pub fn confidential(&self) -> bool {
        self.tci & (ENCRYPTED | CHANGED) != 0
    }

    pub fn association(&self) -> u8 {
        self.tci & AN_MASK
    }

    /// The named flags, concatenated (`EC`), or `none`.
    pub fn flag_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        let any = FLAG_NAMES.iter().any(|(b, _)| self.tci & b != 0);
        FLAG_NAMES
            .iter()
            .filter(|(b, _)| self.tci & b != 0)
            .map(|(_, n)| *n)
            .chain((!any).then_some("none"))
    }
}

/// An Ethernet frame's SecTAG: where it starts (after the VLAN tags),
/// what it is, and the frame's addresses.
pub struct Found<'a> {
    pub at: usize,
    pub tag: SecTag,
    pub src: &'a [u8],
    pub dst: &'a [u8],
}

/// The SecTAG of `pkt`; `None` when the frame is not MACsec. tcpdump
/// follows MACsec right after the Ethernet header only (behind a VLAN
/// tag it is an EtherType it has no printer for: [`behind_tags`]).
pub fn find<'a>(pkt: &crate::packet::Packet<'a>) -> Option<Found<'a>> {
    match where_is(pkt)? {
        (at, 0, src, dst) => {
            let wire = (pkt.orig_len as usize).saturating_sub(at);
            let tag = read(pkt.data.get(at..).unwrap_or(&[]), wire);
            Some(Found { at, tag, src, dst })
        }
        _ => None,
    }
}

/// Where the bytes after a MACsec EtherType start when VLAN tags come
/// before it, and the frame's source and destination addresses.
pub fn behind_tags<'a>(pkt: &crate::packet::Packet<'a>) -> Option<(usize, &'a [u8], &'a [u8])> {
    match where_is(pkt)? {
        (_, 0, ..) => None,
        (at, _, src, dst) => Some((at, src, dst)),
    }
}

/// After which byte MACsec's EtherType ends, behind how many VLAN tags,
/// and the frame's addresses.
fn where_is<'a>(pkt: &crate::packet::Packet<'a>) -> Option<(usize, usize, &'a [u8], &'a [u8])> {
    use super::link_header::{LinkHeader, read as read_header};
    // Most frames carry IP straight after the addresses: no tag to walk.
    if pkt.link == crate::packet::LinkType::Ethernet
        && !be16(pkt.data, 12).is_some_and(|t| t == ETHERTYPE || is_vlan_tpid(t))
    {
        return None;
    }
    let h = read_header(pkt.link, pkt.data, None);
    let LinkHeader::Ethernet {
        ether_type,
        cut,
        src,
        dst,
        ..
    } = h
    else {
        return None;
    };
    let t = h.tags().last().map_or(ether_type, |tag| tag.next_type);
    if cut || t != ETHERTYPE {
        return None;
    }
    let tags = h.tags().len();
    Some((14 + 4 * tags, tags, src, dst))
}

/// The secure data after a tag: what was captured of it up to the ICV
/// (`snap`: tcpdump's printers read that far), and its captured and wire
/// lengths, no longer than a non-zero short length (what they are told).
pub struct Secure {
    pub snap: usize,
    pub cap: usize,
    pub wire: usize,
}

/// The integrity check value's length tcpdump assumes.
const ICV: usize = 16;

/// The secure data of `pkt` after the tag `t` ending at `body`: without
/// the ICV, then no longer than a non-zero short length; `None` when
/// either is not all there (` [|macsec]`).
pub fn secure_data(pkt: &crate::packet::Packet<'_>, body: usize, t: &Tag) -> Option<Secure> {
    let snap = pkt.data.len().checked_sub(body)?.checked_sub(ICV)?;
    let wire = (pkt.orig_len as usize)
        .checked_sub(body)?
        .checked_sub(ICV)?;
    match usize::from(t.short_len) {
        0 => Some(Secure {
            snap,
            cap: snap,
            wire,
        }),
        sl if sl > snap || sl > wire => None,
        sl => Some(Secure {
            snap,
            cap: sl,
            wire: sl,
        }),
    }
}

/// What the secure data starts with: VLAN tags (at most
/// [`MAX_TAGS`]), then an EtherType or an 802.3 length.
pub struct Inner {
    /// The first type field (the first tag's TPID when there are tags).
    pub first: u16,
    pub tags: [VlanTag; MAX_TAGS],
    pub n_tags: usize,
    /// The type field after the tags; `None` when a tag or it is cut.
    pub ether_type: Option<u16>,
    /// Where the bytes after the type field start.
    pub after: usize,
}

/// Walk `data[body..end]`'s VLAN tags to the type field.
pub fn inner(data: &[u8], body: usize, end: usize) -> Inner {
    let data = data.get(..end).unwrap_or(data);
    let mut i = Inner {
        first: 0,
        tags: [VlanTag::default(); MAX_TAGS],
        n_tags: 0,
        ether_type: None,
        after: body + 2,
    };
    let mut t = be16(data, body);
    i.first = t.unwrap_or(0);
    while t.is_some_and(is_vlan_tpid) {
        let at = i.after;
        let (Some(tci), Some(next)) = (be16(data, at), be16(data, at + 2)) else {
            return i;
        };
        if i.n_tags == MAX_TAGS {
            break;
        }
        i.tags[i.n_tags] = VlanTag {
            tci,
            next_type: next,
        };
        i.n_tags += 1;
        (t, i.after) = (Some(next), at + 4);
    }
    i.ether_type = t;
    i
}

/// The length of an 802.3 frame inside MACsec (a length where the inner
/// EtherType goes, after any VLAN tags): the field, capped by what the
/// frame holds after it on the wire, as tcpdump hands it to the LLC
/// printer.
pub fn inner_len_8023(pkt: &crate::packet::Packet<'_>) -> Option<usize> {
    let Found {
        at,
        tag: SecTag::Tag(t),
        ..
    } = find(pkt)?
    else {
        return None;
    };
    let i = inner(pkt.data, at + t.size(), pkt.data.len());
    let field = i.ether_type.filter(|&f| f <= 1500)?;
    let left = (pkt.orig_len as usize).saturating_sub(i.after);
    Some(usize::from(field).min(left))
}

/// Whether the secure data starts with MACsec's EtherType again (tcpdump
/// follows one tag only).
pub fn nested(data: &[u8], body: usize) -> bool {
    be16(data, body) == Some(ETHERTYPE)
}

/// Read the SecTAG at the start of `bytes` (what follows the EtherType),
/// `wire_len` of them on the wire.
pub fn read(bytes: &[u8], wire_len: usize) -> SecTag {
    let (Some(&tci), Some(&sl), Some(pn)) = (bytes.first(), bytes.get(1), bytes.get(2..6)) else {
        return SecTag::Cut;
    };
    if wire_len < 6 {
        return SecTag::Cut;
    }
    let sci = if tci & SCI_PRESENT != 0 {
        match bytes.get(6..14) {
            Some(b) if wire_len >= 14 => Some(u64::from_be_bytes(b.try_into().unwrap_or([0; 8]))),
            _ => return SecTag::Cut,
        }
    } else {
        None
    };
    if sl & !SL_MASK != 0 || tci & VERSION != 0 {
        return SecTag::Invalid;
    }
    SecTag::Tag(Tag {
        tci,
        short_len: sl,
        packet_number: u32::from_be_bytes(pn.try_into().unwrap_or([0; 4])),
        sci,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_as_tcpdump_judges_them() {
        assert_eq!(read(&[0, 0, 0, 0, 1], 40), SecTag::Cut);
        assert_eq!(read(&[0x20, 0, 0, 0, 0, 1, 0, 0], 40), SecTag::Cut);
        assert_eq!(read(&[0, 0, 0, 0, 0, 1], 5), SecTag::Cut);
        assert_eq!(read(&[0x80, 0, 0, 0, 0, 1], 40), SecTag::Invalid);
        assert_eq!(read(&[0, 0x40, 0, 0, 0, 1], 40), SecTag::Invalid);
        let SecTag::Tag(t) = read(&[0x2d, 7, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9], 40) else {
            panic!("a whole tag");
        };
        assert_eq!((t.association(), t.packet_number, t.sci), (1, 256, Some(9)));
        assert_eq!((t.short_len, t.size(), t.confidential()), (7, 14, true));
        assert_eq!(t.flag_names().collect::<String>(), "ECI");
        let SecTag::Tag(t) = read(&[0x50, 0, 0, 0, 0, 3], 40) else {
            panic!("a whole tag");
        };
        assert_eq!(t.flag_names().collect::<String>(), "SB");
        assert!(!t.confidential());
        let SecTag::Tag(t) = read(&[0, 0, 0, 0, 0, 3], 40) else {
            panic!("a whole tag");
        };
        assert_eq!(t.flag_names().collect::<String>(), "none");
    }
}
