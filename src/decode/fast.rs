//! The common packet sliced in place. etherparse's lax slicer moves its
//! whole result (a `LaxSlicedPacket`, over 300 bytes) by value from one
//! layer's step to the next, and those copies were the largest cost of a
//! packet line (about 40% of `read`'s CPU). Here the same result is
//! written into a slot the caller owns, layer by layer, from etherparse's
//! own per-layer slicers, as long as every layer is whole and plain. At
//! the first layer that is not (cut, damaged, MACsec, an IPv4 or IPv6
//! extension the slicer stopped on) the fill gives up and the caller runs
//! etherparse's lax slicer instead, so damaged packets are described
//! exactly as before. The tests check that both give equal results on
//! every committed capture and on damaged copies of their packets.

use etherparse::{
    ArpPacketSlice, EtherType, Ethernet2Slice, Icmpv4Slice, Icmpv6Slice, IgmpSlice, IpNumber,
    LaxIpPayloadSlice, LaxIpSlice, LaxLinkExtSlice, LaxNetSlice, LaxSlicedPacket, LinkSlice,
    SingleVlanSlice, TcpSlice, TransportSlice, UdpSlice,
};

/// An empty result to fill: no layer yet.
pub(super) fn empty<'a>() -> LaxSlicedPacket<'a> {
    LaxSlicedPacket {
        link: None,
        link_exts: Default::default(),
        net: None,
        transport: None,
        stop_err: None,
    }
}

/// What `LaxSlicedPacket::from_ethernet(frame)` gives, written into `lax`
/// (empty); `None` when a layer is not plain (then `lax` holds part of it
/// and the caller slices with etherparse).
pub(super) fn ethernet<'a>(frame: &'a [u8], lax: &mut LaxSlicedPacket<'a>) -> Option<()> {
    let eth = Ethernet2Slice::from_slice_without_fcs(frame).ok()?;
    let payload = eth.payload();
    lax.link = Some(LinkSlice::Ethernet2(eth));
    ether_payload(payload.ether_type, payload.payload, lax)
}

/// What `LaxSlicedPacket::from_ether_type` gives after its link slice
/// (which the caller sets): VLAN tags, then ARP or IP.
pub(super) fn ether_payload<'a>(
    mut ether_type: EtherType,
    mut bytes: &'a [u8],
    lax: &mut LaxSlicedPacket<'a>,
) -> Option<()> {
    loop {
        match ether_type {
            EtherType::VLAN_TAGGED_FRAME
            | EtherType::PROVIDER_BRIDGING
            | EtherType::VLAN_DOUBLE_TAGGED_FRAME => {
                // etherparse stops quietly after its three tags.
                if lax.link_exts.is_full() {
                    return Some(());
                }
                let vlan = SingleVlanSlice::from_slice(bytes).ok()?;
                let inner = vlan.payload();
                (ether_type, bytes) = (inner.ether_type, inner.payload);
                lax.link_exts.try_push(LaxLinkExtSlice::Vlan(vlan)).ok()?;
            }
            EtherType::ARP => {
                lax.net = Some(LaxNetSlice::Arp(ArpPacketSlice::from_slice(bytes).ok()?));
                return Some(());
            }
            EtherType::IPV4 | EtherType::IPV6 => return ip(bytes, lax),
            EtherType::MACSEC => return None,
            _ => return Some(()),
        }
    }
}

/// What `LaxSlicedPacket::from_ip(bytes)` gives, without its link slice:
/// the IP header and extensions, then the transport header.
pub(super) fn ip<'a>(bytes: &'a [u8], lax: &mut LaxSlicedPacket<'a>) -> Option<()> {
    let (ip, None) = LaxIpSlice::from_slice(bytes).ok()? else {
        return None;
    };
    let payload = ip.payload().clone();
    lax.net = Some(ip.into());
    transport(&payload, lax)
}

/// The transport header of an unfragmented payload, as etherparse's lax
/// slicer takes it.
fn transport<'a>(p: &LaxIpPayloadSlice<'a>, lax: &mut LaxSlicedPacket<'a>) -> Option<()> {
    if p.fragmented {
        return Some(());
    }
    let bytes = p.payload;
    lax.transport = Some(match p.ip_number {
        IpNumber::TCP => TransportSlice::Tcp(TcpSlice::from_slice(bytes).ok()?),
        IpNumber::UDP => TransportSlice::Udp(UdpSlice::from_slice_lax(bytes).ok()?),
        IpNumber::ICMP => TransportSlice::Icmpv4(Icmpv4Slice::from_slice(bytes).ok()?),
        IpNumber::IPV6_ICMP => TransportSlice::Icmpv6(Icmpv6Slice::from_slice(bytes).ok()?),
        IpNumber::IGMP => TransportSlice::Igmp(IgmpSlice::from_slice(bytes).ok()?),
        _ => return Some(()),
    });
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::PacketSource;
    use crate::source::file::FileSource;

    /// Every packet of every committed capture, with its link type.
    fn committed_packets() -> Vec<(crate::packet::LinkType, Vec<u8>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
        let mut all = Vec::new();
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e != "md"))
            .collect();
        names.sort();
        for path in names {
            let mut src = FileSource::open(&path).unwrap();
            while let Ok(Some(p)) = src.next_packet() {
                all.push((p.link, p.data.to_vec()));
            }
        }
        assert!(all.len() > 1000, "only {} packets", all.len());
        all
    }

    /// The fast fill, where it takes the packet, equals etherparse's lax
    /// slicing; returns whether it took it.
    fn same_as_etherparse(link: crate::packet::LinkType, data: &[u8]) -> bool {
        use crate::decode::link::{Payload, strip};
        let mut lax = empty();
        let (took, want) = match strip(link, data).1 {
            Payload::Ethernet(f) => (
                ethernet(f, &mut lax).is_some(),
                LaxSlicedPacket::from_ethernet(f).ok(),
            ),
            Payload::EtherType(t, b) => {
                lax.link = Some(LinkSlice::EtherPayload(etherparse::EtherPayloadSlice {
                    ether_type: t,
                    len_source: etherparse::LenSource::Slice,
                    payload: b,
                }));
                (
                    ether_payload(t, b, &mut lax).is_some(),
                    Some(LaxSlicedPacket::from_ether_type(t, b)),
                )
            }
            Payload::Ip(b) => (ip(b, &mut lax).is_some(), LaxSlicedPacket::from_ip(b).ok()),
            Payload::TooShort(_) | Payload::Unsupported(_) | Payload::Message(_) => return false,
        };
        if took {
            assert_eq!(Some(&lax), want.as_ref(), "{link:?} {data:02x?}");
        }
        took
    }

    #[test]
    fn committed_captures_slice_as_etherparse_does() {
        let packets = committed_packets();
        let took = packets
            .iter()
            .filter(|(link, data)| same_as_etherparse(*link, data))
            .count();
        // Most packets are plain: the fast fill must be the common path.
        assert!(took * 10 > packets.len() * 8, "{took} of {}", packets.len());
    }

    /// Damaged copies (bytes changed, frames cut) of the committed
    /// packets: wherever the fast fill takes one, etherparse agrees.
    /// 100,000 in a debug build, 1,000,000 in release.
    #[test]
    fn test_malformed_packets_slice_as_etherparse_does() {
        let packets = committed_packets();
        let rounds = if cfg!(debug_assertions) {
            100_000
        } else {
            1_000_000
        };
        // Knuth's MMIX generator: any fixed sequence will do.
        let mut state = 0x5eed_u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state >> 24
        };
        let mut took = 0;
        for _ in 0..rounds {
            let (link, data) = &packets[next() as usize % packets.len()];
            let mut d = data.clone();
            for _ in 0..1 + next() % 3 {
                if d.is_empty() {
                    break;
                }
                // Damage the headers more often than the payloads.
                let at = (next() as usize % d.len().min(80)) % d.len();
                d[at] = next() as u8;
            }
            if next() % 4 == 0 {
                d.truncate(next() as usize % (d.len() + 1));
            }
            if same_as_etherparse(*link, &d) {
                took += 1;
            }
        }
        assert!(took > rounds / 10, "only {took} taken");
    }

    #[test]
    fn test_truncated_tcp_header_is_left_to_etherparse() {
        let mut f = Vec::new();
        etherparse::PacketBuilder::ethernet2([1; 6], [2; 6])
            .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .tcp(1, 2, 3, 4)
            .write(&mut f, b"")
            .unwrap();
        let mut lax = empty();
        assert!(ethernet(&f, &mut lax).is_some());
        assert!(matches!(lax.transport, Some(TransportSlice::Tcp(_))));
        let mut lax = empty();
        assert!(ethernet(&f[..40], &mut lax).is_none());
    }
}
