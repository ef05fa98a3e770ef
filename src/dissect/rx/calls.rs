//! tcpdump's Rx call table: the first data packet of each call (with its
//! opcode captured) is entered with its call number, client and server,
//! server port and service id; a reply or abort from the server finds its
//! opcode there. A ring of the last 64 calls searched from the entry the
//! last match found, per thread and per run ([`forget`]), as NFS's XID
//! table (`super::super::nfs`); `read --threads` keeps Rx on one worker.
//!
//! tcpdump reads the addresses as IPv4's header fields whatever the
//! version: over IPv6 its "client" and "server" are bytes 4-7 and 8-11 of
//! the source address; so are ours.

use super::super::peers;
use super::super::wire::{u16_at, u32_at};
use super::{CALL, HEADER, SERVICE};
use std::cell::RefCell;
use std::net::IpAddr;

const SLOTS: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    call: u32,
    client: u32,
    server: u32,
    port: u16,
    service: u16,
}

#[derive(Clone, Copy)]
struct Entry {
    key: Key,
    opcode: u32,
}

struct Ring {
    slots: [Option<Entry>; SLOTS],
    next: usize,
    hint: usize,
}

thread_local! {
    static RING: RefCell<Ring> = const {
        RefCell::new(Ring { slots: [None; SLOTS], next: 0, hint: 0 })
    };
}

/// Empty the table (a new run starts).
pub fn forget() {
    RING.with(|r| {
        *r.borrow_mut() = Ring {
            slots: [None; SLOTS],
            next: 0,
            hint: 0,
        }
    });
}

/// The packet's source and destination as tcpdump reads them (0 and 0
/// for a printer called without the packet).
fn ends() -> (u32, u32) {
    let Some(p) = peers::current() else {
        return (0, 0);
    };
    match (p.src, p.dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => (u32::from(s), u32::from(d)),
        (IpAddr::V6(s), _) => {
            let o = s.octets();
            let word = |i: usize| u32::from_be_bytes([o[i], o[i + 1], o[i + 2], o[i + 3]]);
            (word(4), word(8))
        }
        _ => (0, 0),
    }
}

/// Enter the call `m` to `port` (when its opcode was captured).
pub(super) fn enter(m: &[u8], port: u16) {
    let (Ok(call), Ok(service), Ok(opcode)) =
        (u32_at(m, CALL), u16_at(m, SERVICE), u32_at(m, HEADER))
    else {
        return;
    };
    let (client, server) = ends();
    let e = Entry {
        key: Key {
            call,
            client,
            server,
            port,
            service,
        },
        opcode,
    };
    RING.with(|r| {
        let mut r = r.borrow_mut();
        let next = r.next;
        if let Some(slot) = r.slots.get_mut(next) {
            *slot = Some(e);
        }
        r.next = (next + 1) % SLOTS;
    });
}

/// The opcode of the call a reply `m` from `port` answers.
pub(super) fn find(m: &[u8], port: u16) -> Option<u32> {
    let (call, service) = (u32_at(m, CALL).ok()?, u16_at(m, SERVICE).ok()?);
    let (src, dst) = ends();
    let wanted = Key {
        call,
        client: dst,
        server: src,
        port,
        service,
    };
    RING.with(|r| {
        let mut r = r.borrow_mut();
        let start = r.hint;
        for k in 0..SLOTS {
            let i = (start + k) % SLOTS;
            if let Some(e) = r.slots.get(i).copied().flatten()
                && e.key == wanted
            {
                r.hint = i;
                return Some(e.opcode);
            }
        }
        None
    })
}
