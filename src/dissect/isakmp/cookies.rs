//! The initiator-cookie table that lets an IKEv1 line say ` I` or ` R`:
//! tcpdump remembers, for the first packet of an exchange (responder
//! cookie zero), its initiator cookie and the two addresses, and marks a
//! later packet with that cookie ` I` when it comes from the initiator's
//! address, ` R` from the responder's, ` ?` otherwise or when the cookie
//! is not in the table. The table holds the last 20 cookies (a ring; a
//! cookie already there is not added again), as tcpdump's does.
//!
//! A dissector sees one packet; the table is the one piece of state that
//! outlives it, kept per thread and cleared at the start of each run
//! ([`forget`]). The UDP printer hands over the packet's addresses
//! (`dissect::peers`, [`with_peers`] here) for the length of the call. `read --threads` hands
//! every ISAKMP datagram to one worker, in file order
//! ([`super::shares_state`]), so its table is the run's.

use std::cell::RefCell;
use std::net::IpAddr;

/// How many cookies the table keeps.
const SLOTS: usize = 20;

#[derive(Clone, Copy)]
struct Entry {
    cookie: [u8; 8],
    initiator: IpAddr,
    responder: IpAddr,
}

#[derive(Default)]
struct Table {
    slots: Vec<Entry>,
    next: usize,
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table::default());
}

/// Run `f` with the packet's source and destination addresses known to
/// the ISAKMP printers (no ports: the table does not need them).
pub fn with_peers<R>(src: IpAddr, dst: IpAddr, f: impl FnOnce() -> R) -> R {
    crate::dissect::peers::with_packet(src, dst, (0, 0), f)
}

/// Empty the table (a new run starts).
pub fn forget() {
    TABLE.with(|t| *t.borrow_mut() = Table::default());
}

/// ` I`, ` R` or ` ?` for an IKEv1 packet with these cookies, recording
/// the cookie first when this packet starts an exchange. Without the
/// addresses (a printer called on its own) nothing is recorded, and only
/// the first packet of an exchange is known to be the initiator's.
///
/// tcpdump's table is 20 zeroed slots from the start: a zero initiator
/// cookie finds one while any is unused, and a slot with no addresses
/// makes the side ` ?`.
pub(super) fn side(initiator: [u8; 8], responder: [u8; 8]) -> &'static str {
    let first = responder.iter().all(|b| *b == 0);
    let peers = crate::dissect::peers::current();
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        let unused = t.slots.len() < SLOTS;
        let entry = match t.slots.iter().position(|e| e.cookie == initiator) {
            Some(i) => t.slots.get(i).copied(),
            None if unused && initiator == [0; 8] => return " ?",
            None if first => {
                let Some(crate::dissect::peers::Peers { src, dst, .. }) = peers else {
                    return " I";
                };
                let e = Entry {
                    cookie: initiator,
                    initiator: src,
                    responder: dst,
                };
                let at = t.next;
                if unused {
                    t.slots.push(e);
                } else if let Some(slot) = t.slots.get_mut(at) {
                    *slot = e;
                }
                t.next = (at + 1) % SLOTS;
                Some(e)
            }
            None => None,
        };
        let src = peers.map(|p| p.src);
        match entry {
            Some(e) if src == Some(e.initiator) => " I",
            Some(e) if src == Some(e.responder) => " R",
            // No addresses to compare: the first packet of an exchange is
            // still known to be the initiator's.
            _ if src.is_none() && first => " I",
            _ => " ?",
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, n])
    }

    #[test]
    fn test_sides_and_the_ring() {
        forget();
        let side_at =
            |src, dst, ck: u8, r: u8| with_peers(ip(src), ip(dst), || side([ck; 8], [r; 8]));
        assert_eq!(side_at(1, 2, 1, 0), " I");
        assert_eq!(side_at(2, 1, 1, 9), " R");
        assert_eq!(side_at(3, 2, 1, 9), " ?");
        assert_eq!(side_at(1, 2, 2, 9), " ?");
        // A second first packet from elsewhere is not recorded.
        assert_eq!(side_at(3, 4, 1, 0), " ?");
        for ck in 3..22 {
            side_at(1, 2, ck, 0);
        }
        assert_eq!(side_at(2, 1, 1, 9), " R");
        side_at(1, 2, 22, 0);
        assert_eq!(side_at(2, 1, 1, 9), " ?");
        assert_eq!(side([5; 8], [0; 8]), " I");
        forget();
        // A zero initiator cookie finds one of tcpdump's unused slots.
        assert_eq!(side_at(1, 2, 0, 0), " ?");
        assert_eq!(side([0; 8], [0; 8]), " ?");
        for ck in 1..=20 {
            side_at(1, 2, ck, 0);
        }
        assert_eq!(side_at(1, 2, 0, 0), " I");
        assert_eq!(side_at(2, 1, 0, 7), " R");
        forget();
    }
}
