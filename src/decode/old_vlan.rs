//! The old VLAN tag's EtherType 0x9200 (tcpdump's `ETHERTYPE_8021Q9200`),
//! which tcpdump's Ethernet printer follows as it follows 802.1Q's 0x8100
//! (`ethertype 802.1Q-9200 (0x9200), length 46: vlan 5, p 1, ethertype
//! IPv4 (0x0800), …`) and etherparse does not: the tag joins the slice's
//! link extensions, and what it carries is sliced as etherparse slices
//! what follows a tag, so the printers, filters and flows see a tagged
//! frame.

use etherparse::{LaxLinkExtSlice, LaxSlicedPacket, SingleVlanSlice};

pub const ETHERTYPE: u16 = 0x9200;

/// Follow the 0x9200 tags at the end of `lax`'s link layer, as many as
/// etherparse's list of extensions holds (past that the frame stays an
/// unknown EtherType, as a fourth 0x8100 tag does). A tag the capture cut
/// stays the payload of its EtherType, as a cut 0x8100 tag is (the
/// printer's ` [|vlan]`).
pub fn follow(lax: &mut LaxSlicedPacket<'_>) {
    // Every Ethernet frame passes here: one with a network layer has no
    // 0x9200 tag left to follow.
    if lax.net.is_some() {
        return;
    }
    loop {
        let Some(p) = lax.ether_payload() else {
            return;
        };
        if p.ether_type.0 != ETHERTYPE
            || lax.link_exts.is_full()
            || matches!(lax.link_exts.last(), Some(LaxLinkExtSlice::Macsec(_)))
        {
            return;
        }
        let Ok(tag) = SingleVlanSlice::from_slice(p.payload) else {
            return;
        };
        let mut inner = LaxSlicedPacket::from_ether_type(tag.ether_type(), tag.payload_slice());
        let mut exts = std::mem::take(&mut lax.link_exts);
        exts.push(LaxLinkExtSlice::Vlan(tag));
        // Tags etherparse found after this one, while there is room.
        for ext in inner.link_exts.drain(..) {
            if exts.try_push(ext).is_err() {
                break;
            }
        }
        inner.link_exts = exts;
        inner.link = lax.link.take();
        *lax = inner;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(after_type: &[u8]) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x92, 0x00];
        f.extend_from_slice(after_type);
        f
    }

    #[test]
    fn test_tag_followed() {
        let f = frame(&[0x20, 5, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1]);
        let mut lax = LaxSlicedPacket::from_ethernet(&f).unwrap();
        follow(&mut lax);
        assert_eq!(lax.link_exts.len(), 1);
        let p = lax.ether_payload().unwrap();
        assert_eq!(p.ether_type.0, 0x0806);
        assert!(matches!(
            lax.link,
            Some(etherparse::LinkSlice::Ethernet2(_))
        ));
    }

    #[test]
    fn test_cut_and_stacked() {
        let cut = frame(&[0, 5]);
        let mut lax = LaxSlicedPacket::from_ethernet(&cut).unwrap();
        follow(&mut lax);
        assert!(lax.link_exts.is_empty());
        let f = frame(&[0, 5, 0x92, 0, 0, 6, 0x81, 0, 0, 7, 0x92, 0, 0, 8, 0x08, 0]);
        let mut lax = LaxSlicedPacket::from_ethernet(&f).unwrap();
        follow(&mut lax);
        // Three tags fit; the fourth's EtherType is what is left.
        assert_eq!(lax.link_exts.len(), 3);
        assert_eq!(lax.ether_payload().unwrap().ether_type.0, 0x9200);
    }
}
