//! The ARP line: `Request who-has A tell B`, `Reply A is-at MAC`, and the
//! hardware type of anything that is not Ethernet/IPv4.

use crate::decode::Decoded;
use crate::decode::arp::EthernetIpv4Arp;
use crate::output::fmt::Mac;
use crate::packet::Packet;
use etherparse::{ArpOperation, ArpPacketSlice};
use std::io::{self, Write};

pub(super) fn write_arp(
    w: &mut Vec<u8>,
    arp: &ArpPacketSlice<'_>,
    pkt: &Packet<'_>,
    d: &Decoded<'_>,
    verbose: bool,
    link_shown: bool,
) -> io::Result<()> {
    // tcpdump's length is what follows the link header, padding included.
    let len = (pkt.orig_len as usize).saturating_sub(d.net_offset);
    let Some(a) = EthernetIpv4Arp::new_checked(arp) else {
        return write!(
            w,
            "ARP, hardware type {}, length {len}",
            arp.hw_addr_type().0
        );
    };
    if !link_shown {
        w.write_all(b"ARP, ")?;
    }
    if verbose {
        w.write_all(b"Ethernet (len 6), IPv4 (len 4), ")?;
    }
    match a.operation {
        ArpOperation::REQUEST => write!(w, "Request who-has {} tell {}", a.target_ip, a.sender_ip)?,
        ArpOperation::REPLY => write!(w, "Reply {} is-at {}", a.sender_ip, Mac(&a.sender_mac))?,
        op => write!(w, "opcode {}", op.0)?,
    }
    write!(w, ", length {len}")
}
