//! ARP packets over Ethernet carrying IPv4 (the only kind the printers
//! spell out), as a typed view over etherparse's slice: addresses as
//! `Ipv4Addr` and 6-byte MACs, checked once so no accessor can panic.

use etherparse::{ArpOperation, ArpPacketSlice};
use std::net::Ipv4Addr;

/// An Ethernet/IPv4 ARP packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthernetIpv4Arp {
    pub operation: ArpOperation,
    pub sender_mac: [u8; 6],
    pub sender_ip: Ipv4Addr,
    pub target_mac: [u8; 6],
    pub target_ip: Ipv4Addr,
}

impl EthernetIpv4Arp {
    /// The view, or `None` when the hardware or protocol address sizes are
    /// not Ethernet's and IPv4's.
    pub fn new_checked(arp: &ArpPacketSlice<'_>) -> Option<Self> {
        Some(EthernetIpv4Arp {
            operation: arp.operation(),
            sender_mac: arp.sender_hw_addr().try_into().ok()?,
            sender_ip: ipv4(arp.sender_protocol_addr())?,
            target_mac: arp.target_hw_addr().try_into().ok()?,
            target_ip: ipv4(arp.target_protocol_addr())?,
        })
    }
}

/// Any ARP, RARP or InARP packet, whatever its address sizes, read from
/// its bytes (RARP's EtherType is not one etherparse slices): checked
/// once, in [`ArpView::new_checked`], so no accessor can panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArpView<'a> {
    pub hw_type: u16,
    pub proto_type: u16,
    pub operation: u16,
    pub sender_hw: &'a [u8],
    pub sender_proto: &'a [u8],
    pub target_hw: &'a [u8],
    pub target_proto: &'a [u8],
    /// The packet's bytes, from the hardware type to the end of the
    /// capture (what tcpdump dumps for an operation it does not know).
    pub bytes: &'a [u8],
}

impl<'a> ArpView<'a> {
    /// The view, or `None` when the capture ends before the target
    /// protocol address does.
    pub fn new_checked(bytes: &'a [u8]) -> Option<Self> {
        let head = bytes.first_chunk::<8>()?;
        let (hln, pln) = (usize::from(head[4]), usize::from(head[5]));
        let mut rest = bytes.get(8..)?;
        let mut take = |n: usize| {
            let (a, b) = rest.split_at_checked(n)?;
            rest = b;
            Some(a)
        };
        Some(ArpView {
            hw_type: u16::from_be_bytes([head[0], head[1]]),
            proto_type: u16::from_be_bytes([head[2], head[3]]),
            operation: u16::from_be_bytes([head[6], head[7]]),
            sender_hw: take(hln)?,
            sender_proto: take(pln)?,
            target_hw: take(hln)?,
            target_proto: take(pln)?,
            bytes,
        })
    }
}

/// A protocol address as IPv4, when it is 4 bytes long.
pub fn ipv4(addr: &[u8]) -> Option<Ipv4Addr> {
    <[u8; 4]>::try_from(addr).ok().map(Ipv4Addr::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_truncated_view() {
        let mut b = vec![0, 1, 8, 0, 6, 4, 0, 1];
        b.extend_from_slice(&[7; 19]);
        assert_eq!(ArpView::new_checked(&b), None);
        b.push(9);
        let v = ArpView::new_checked(&b).unwrap();
        assert_eq!((v.operation, v.target_proto), (1, &[7, 7, 7, 9][..]));
        assert_eq!(ArpView::new_checked(&b[..7]), None);
    }

    #[test]
    fn test_malformed_sizes() {
        assert_eq!(ipv4(&[1, 2, 3]), None);
        assert_eq!(ipv4(&[1, 2, 3, 4]), Some(Ipv4Addr::new(1, 2, 3, 4)));
    }
}

/// An ATM ARP packet (RFC 2225, hardware type 19): type/length bytes
/// for the ATM numbers and subaddresses (their low six bits the length)
/// where ARP has its address lengths, then the six addresses. Checked
/// once: `None` when the capture ends before the target protocol address
/// does (tcpdump's ` [|arp]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtmArpView<'a> {
    pub hw_type: u16,
    pub proto_type: u16,
    pub operation: u16,
    pub sender_number: &'a [u8],
    pub sender_sub: &'a [u8],
    pub sender_proto: &'a [u8],
    pub target_number: &'a [u8],
    pub target_sub: &'a [u8],
    pub target_proto: &'a [u8],
    /// From the hardware type to the end of the capture (what tcpdump
    /// dumps for an operation it does not know).
    pub bytes: &'a [u8],
}

/// ATM ARP's hardware type.
pub const ATM_HW: u16 = 19;

impl<'a> AtmArpView<'a> {
    pub fn new_checked(bytes: &'a [u8]) -> Option<Self> {
        let head = bytes.first_chunk::<12>()?;
        let len = |b: u8| usize::from(b & 0x3f);
        let mut rest = bytes.get(12..)?;
        let mut take = |n: usize| {
            let (a, b) = rest.split_at_checked(n)?;
            rest = b;
            Some(a)
        };
        Some(AtmArpView {
            hw_type: u16::from_be_bytes([head[0], head[1]]),
            proto_type: u16::from_be_bytes([head[2], head[3]]),
            operation: u16::from_be_bytes([head[6], head[7]]),
            sender_number: take(len(head[4]))?,
            sender_sub: take(len(head[5]))?,
            sender_proto: take(usize::from(head[8]))?,
            target_number: take(len(head[9]))?,
            target_sub: take(len(head[10]))?,
            target_proto: take(usize::from(head[11]))?,
            bytes,
        })
    }
}

/// The hardware type an ARP packet starts with.
pub fn hw_type(bytes: &[u8]) -> Option<u16> {
    bytes.first_chunk::<2>().map(|b| u16::from_be_bytes(*b))
}
