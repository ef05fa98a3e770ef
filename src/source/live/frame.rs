//! Frame shaping, shared by both capture backends: what the kernel handed
//! us becomes the packet a capture file would hold. Raw sockets get back the
//! VLAN tag the NIC or kernel took off; cooked ones get a LINKTYPE_LINUX_SLL2
//! header built from `sockaddr_ll`, as libpcap builds it.

use crate::packet::{LinkType, Packet, SLL2_HEADER_LEN, Timestamp};
use crate::sys::{LinkAddr, SockKind};

const ETH_P_8021Q: u16 = 0x8100;
const VLAN_TAG_LEN: usize = 4;

/// What the kernel told us about one received packet besides its bytes
/// (the ring's `tpacket3_hdr` + `sockaddr_ll`, or the pnet path's peek).
#[derive(Clone, Copy, Debug)]
pub(super) struct FrameMeta {
    /// The 802.1Q/802.1ad tag the NIC or kernel took off the frame
    /// (TPID, TCI), to be put back as tcpdump does.
    pub vlan: Option<(u16, u16)>,
    pub ts: Timestamp,
    /// Length on the wire.
    pub len: u32,
    /// Where it came from (`sockaddr_ll`).
    pub from: LinkAddr,
}

/// The VLAN tag from the kernel's TP_STATUS bits and tag fields: none unless
/// the tag is valid; a TPID the kernel did not record is 802.1Q's.
pub(super) fn vlan_tag(status: u32, tpid: u16, tci: u16) -> Option<(u16, u16)> {
    if status & libc::TP_STATUS_VLAN_VALID == 0 {
        return None;
    }
    let tpid = if status & libc::TP_STATUS_VLAN_TPID_VALID != 0 {
        tpid
    } else {
        ETH_P_8021Q
    };
    Some((tpid, tci))
}

/// Ethernet frame with the VLAN tag put back after the two MAC addresses,
/// where it was on the wire (the kernel keeps it aside, in the ring header).
fn push_with_vlan_tag(out: &mut Vec<u8>, frame: &[u8], (tpid, tci): (u16, u16)) {
    let macs = frame.len().min(12);
    out.extend_from_slice(&frame[..macs]);
    out.extend_from_slice(&tpid.to_be_bytes());
    out.extend_from_slice(&tci.to_be_bytes());
    out.extend_from_slice(&frame[macs..]);
}

/// LINKTYPE_LINUX_SLL2 header for a cooked packet, as libpcap builds it from
/// `sockaddr_ll`: protocol, reserved, ifindex, ARPHRD type, packet type,
/// address length, 8 address bytes (all multi-byte fields big-endian).
fn sll2_header(p: &LinkAddr) -> [u8; SLL2_HEADER_LEN] {
    let mut h = [0u8; SLL2_HEADER_LEN];
    h[0..2].copy_from_slice(&p.protocol_be);
    h[4..8].copy_from_slice(&(p.ifindex as u32).to_be_bytes());
    h[8..10].copy_from_slice(&p.hatype.to_be_bytes());
    h[10] = p.pkttype;
    h[11] = p.halen;
    let n = (p.halen as usize).min(8);
    h[12..12 + n].copy_from_slice(&p.addr[..n]);
    h
}

/// One received packet as the capture yields it: for raw sockets the VLAN
/// tag the kernel took off put back; for cooked ones the SLL2 header in
/// front; then cut at the snap length. `data` is what the kernel gave us,
/// `p` its header fields (the ring's, or the pnet path's equivalent).
pub(super) fn shape<'a>(
    kind: SockKind,
    link: LinkType,
    snap: usize,
    p: &FrameMeta,
    data: &'a [u8],
    scratch: &'a mut Vec<u8>,
) -> Packet<'a> {
    // What was put in front of or into the frame, and how much longer that
    // makes it on the wire.
    let added = match (kind, p.vlan) {
        (SockKind::Raw, None) => {
            return Packet {
                ts: p.ts,
                stamp: None,
                link,
                data: &data[..data.len().min(snap)],
                orig_len: p.len,
            };
        }
        (SockKind::Raw, Some(tag)) => {
            scratch.clear();
            push_with_vlan_tag(scratch, data, tag);
            VLAN_TAG_LEN
        }
        (SockKind::Cooked, _) => {
            scratch.clear();
            scratch.extend_from_slice(&sll2_header(&p.from));
            let keep = snap.saturating_sub(SLL2_HEADER_LEN).min(data.len());
            scratch.extend_from_slice(&data[..keep]);
            SLL2_HEADER_LEN
        }
    };
    let len = scratch.len().min(snap);
    Packet {
        ts: p.ts,
        stamp: None,
        link,
        data: &scratch[..len],
        orig_len: p.len.saturating_add(added as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sll2_header_layout() {
        let p = LinkAddr {
            protocol_be: 0x0800u16.to_be_bytes(),
            ifindex: 2,
            hatype: 1,
            pkttype: 4,
            halen: 6,
            addr: [1, 2, 3, 4, 5, 6, 0xee, 0xee],
        };
        assert_eq!(
            sll2_header(&p),
            [8, 0, 0, 0, 0, 0, 0, 2, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0]
        );
    }

    #[test]
    fn vlan_tag_goes_back_after_the_mac_addresses() {
        let frame: Vec<u8> = (0u8..16).collect();
        let mut out = Vec::new();
        push_with_vlan_tag(&mut out, &frame, (0x8100, 0x2005));
        assert_eq!(
            out,
            [
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0, 0x20, 5, 12, 13, 14, 15
            ]
        );
        let mut short = Vec::new();
        push_with_vlan_tag(&mut short, &[1, 2, 3], (0x88a8, 7));
        assert_eq!(short, [1, 2, 3, 0x88, 0xa8, 0, 7]);
    }

    #[test]
    fn vlan_tag_only_when_valid_and_8021q_by_default() {
        let valid = libc::TP_STATUS_VLAN_VALID;
        let tpid_valid = libc::TP_STATUS_VLAN_TPID_VALID;
        assert_eq!(vlan_tag(0, 0x88a8, 5), None);
        assert_eq!(vlan_tag(valid, 0x88a8, 5), Some((0x8100, 5)));
        assert_eq!(vlan_tag(valid | tpid_valid, 0x88a8, 5), Some((0x88a8, 5)));
    }
}
