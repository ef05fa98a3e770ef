//! tcpdump's table of recent calls, by which a reply is printed: a reply
//! carries only the XID, so the procedure (and the version, which says
//! how to read the results) comes from the call with that XID between the
//! same two addresses, the other way round. A reply whose call was not
//! seen prints only `reply ok N`.
//!
//! The table is tcpdump's: a ring of the last 64 calls (every call
//! printed is entered, a retransmission again), searched from the entry
//! the last match found. It is kept per thread and cleared at the start
//! of each run ([`forget`]); `read --threads` hands every packet to or
//! from port 2049 to one worker, in file order, so the table is the
//! run's. The line and the JSON keep a table each, so that a run printing
//! both enters each call once in each.

use super::super::peers::{self, Peers};
use std::cell::RefCell;
use std::net::IpAddr;

const SLOTS: usize = 64;

/// What a reply needs of its call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Called {
    pub procedure: u32,
    pub version: u32,
}

#[derive(Clone, Copy)]
struct Entry {
    xid: u32,
    /// Client and server; `None` for a printer called without the packet
    /// (tests), which then pairs calls and replies by XID alone.
    ends: Option<(IpAddr, IpAddr)>,
    called: Called,
}

struct Ring {
    slots: [Option<Entry>; SLOTS],
    next: usize,
    hint: usize,
}

impl Ring {
    const fn new() -> Ring {
        Ring {
            slots: [None; SLOTS],
            next: 0,
            hint: 0,
        }
    }
}

/// Which of the two tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Table {
    Line,
    Json,
}

thread_local! {
    static LINE: RefCell<Ring> = const { RefCell::new(Ring::new()) };
    static JSON: RefCell<Ring> = const { RefCell::new(Ring::new()) };
}

fn with_ring<R>(t: Table, f: impl FnOnce(&mut Ring) -> R) -> R {
    let key = match t {
        Table::Line => &LINE,
        Table::Json => &JSON,
    };
    key.with(|r| f(&mut r.borrow_mut()))
}

/// Empty both tables (a new run starts).
pub fn forget() {
    for t in [Table::Line, Table::Json] {
        with_ring(t, |r| *r = Ring::new());
    }
}

fn ends() -> Option<(IpAddr, IpAddr)> {
    peers::current().map(|Peers { src, dst, .. }| (src, dst))
}

/// Record a call (from the packet's source to its destination).
pub(super) fn enter(t: Table, xid: u32, called: Called) {
    let e = Entry {
        xid,
        ends: ends(),
        called,
    };
    with_ring(t, |r| {
        if let Some(slot) = r.slots.get_mut(r.next) {
            *slot = Some(e);
        }
        r.next = (r.next + 1) % SLOTS;
    });
}

/// The call a reply with this XID answers: entered with the reply's
/// destination as client and its source as server (and the same version
/// of IP). The search starts at the last match, as tcpdump's does.
pub(super) fn find(t: Table, xid: u32) -> Option<Called> {
    let reply = ends();
    let wanted = reply.map(|(src, dst)| (dst, src));
    with_ring(t, |r| {
        let start = r.hint;
        for k in 0..SLOTS {
            let i = (start + k) % SLOTS;
            let Some(e) = r.slots.get(i).copied().flatten() else {
                continue;
            };
            if e.xid == xid && e.ends == wanted {
                r.hint = i;
                return Some(e.called);
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_replies_find_calls_between_the_same_hosts() {
        forget();
        let (a, b, c) = (
            IpAddr::from([10, 0, 0, 1]),
            IpAddr::from([10, 0, 0, 2]),
            IpAddr::from([10, 0, 0, 3]),
        );
        let got = Called {
            procedure: 1,
            version: 3,
        };
        peers::with_packet(a, b, (800, 2049), || enter(Table::Line, 7, got));
        assert_eq!(
            peers::with_packet(b, a, (2049, 800), || find(Table::Line, 7)),
            Some(got)
        );
        assert_eq!(
            peers::with_packet(c, a, (2049, 800), || find(Table::Line, 7)),
            None
        );
        assert_eq!(
            peers::with_packet(b, a, (2049, 800), || find(Table::Json, 7)),
            None
        );
        // 64 later calls push it out of the ring.
        for x in 100..164 {
            peers::with_packet(a, b, (800, 2049), || enter(Table::Line, x, got));
        }
        assert_eq!(
            peers::with_packet(b, a, (2049, 800), || find(Table::Line, 7)),
            None
        );
        forget();
    }
}
