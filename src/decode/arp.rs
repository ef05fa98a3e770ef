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

/// A protocol address as IPv4, when it is 4 bytes long.
pub fn ipv4(addr: &[u8]) -> Option<Ipv4Addr> {
    <[u8; 4]>::try_from(addr).ok().map(Ipv4Addr::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_malformed_sizes() {
        assert_eq!(ipv4(&[1, 2, 3]), None);
        assert_eq!(ipv4(&[1, 2, 3, 4]), Some(Ipv4Addr::new(1, 2, 3, 4)));
    }
}
