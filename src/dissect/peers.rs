//! The addresses and ports of the packet being printed, for the few
//! printers whose text depends on earlier packets (tcpdump's IKEv1 cookie
//! table, its NFS XID table) or on which side sent the message (NFS: a
//! call counts only on its way to port 2049). A dissector sees one
//! payload; the transport printers hand over the packet's ends for the
//! length of the call ([`with_packet`]), and a printer called on its own
//! (unit and mutation tests) finds none.

use std::cell::Cell;
use std::net::IpAddr;

/// The ends of the packet being printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peers {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Source and destination ports (0 and 0 where the caller has none).
    pub ports: (u16, u16),
}

thread_local! {
    static PEERS: Cell<Option<Peers>> = const { Cell::new(None) };
}

/// Run `f` with the packet's ends known to the printers.
pub fn with_packet<R>(src: IpAddr, dst: IpAddr, ports: (u16, u16), f: impl FnOnce() -> R) -> R {
    let before = PEERS.with(|p| p.replace(Some(Peers { src, dst, ports })));
    let r = f();
    PEERS.with(|p| p.set(before));
    r
}

/// The ends of the packet being printed, when the caller gave them.
pub(super) fn current() -> Option<Peers> {
    PEERS.with(Cell::get)
}

/// Whether the datagram came over IPv6 (tcpdump's printers of AODV and
/// OLSR are told the IP version; a printer called without a packet
/// takes IPv4).
pub(super) fn over_ipv6() -> bool {
    current().is_some_and(|p| p.src.is_ipv6())
}
