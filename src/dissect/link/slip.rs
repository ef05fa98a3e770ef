//! SLIP records in a line, as tcpdump 4.99 prints them. `-e` names the
//! direction (`I `, `O `, `Invalid direction 2 `) and what the line
//! carried: `ip 66: ` (the record's length), `utcp 3: ` (an uncompressed
//! TCP/IP header and its connection slot), `ctcp 3 A+1 S+10 10 (6): ` (a
//! Van Jacobson compressed header: the slot, its changes, the packet's TCP
//! data length and the compressed header's length as tcpdump counts it),
//! `slip-32!: ` for another type (tcpdump reads a compressed header's
//! one-byte changes without stepping past them, `decode::slip::Reading`:
//! so do its lines; `--json` gives RFC 1144's reading). Then the packet: IPv4 or IPv6 by its
//! version, `ip v5` for another. A compressed header's special cases print
//! the data length of the last packet of their slot and direction
//! (`*SA+10`, `*S+10`): tcpdump keeps that table, and the last slot named,
//! from packet to packet of a run, under `-e` only; so do we, per thread
//! (`read --threads` keeps SLIP on one worker, [`shares_state`]).
//! Under `-e`, a TCP header the capture cut ends the line at the words
//! (` [|slip]`, the record dumped whole).

use super::{Frame, Tail};
use crate::decode::slip::{
    self, Change, Compressed, DIR_IN, DIR_OUT, HEADER_LEN, Kind, Reading, Special,
};
use crate::dissect::ctl::out;
use serde_json::{Value, json};
use std::cell::RefCell;

pub use crate::decode::slip::SLIP;

/// tcpdump's table of each direction's and slot's last TCP data length,
/// and the last slot a header named (255 before any).
struct Slots {
    last_len: [[u32; 256]; 2],
    last_conn: u8,
}

const FRESH: Slots = Slots {
    last_len: [[0; 256]; 2],
    last_conn: 255,
};

thread_local! {
    static SLOTS: RefCell<Slots> = const { RefCell::new(FRESH) };
}

/// Empty the table (a new run starts).
pub fn forget() {
    SLOTS.with(|s| *s.borrow_mut() = FRESH);
}

/// Whether a record's line depends on the records before it (SLIP's
/// compressed headers, under `-e`): one worker prints them all.
pub fn shares_state(link: u32) -> bool {
    link == SLIP
}

/// The record's length after the pseudo-header, as tcpdump's unsigned
/// count has it.
fn length(f: &Frame<'_>) -> u32 {
    (f.orig_len as u32).wrapping_sub(HEADER_LEN as u32)
}

/// The direction's index in the table; `None` for an invalid one.
fn side(dir: u8) -> Option<usize> {
    match dir {
        DIR_IN => Some(0),
        DIR_OUT => Some(1),
        _ => None,
    }
}

/// Under `-e`, the direction and what the pseudo-header holds (as
/// tcpdump's printer reads it), when the pseudo-header was captured.
fn eflag_header(f: &Frame<'_>) -> Option<(u8, Kind)> {
    if !f.eflag {
        return None;
    }
    Some((
        slip::direction(f.data)?,
        slip::kind(f.data, Reading::Tcpdump)?,
    ))
}

pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    let Some((dir, kind)) = eflag_header(f) else {
        return false;
    };
    match dir {
        DIR_IN => w.extend_from_slice(b"I "),
        DIR_OUT => w.extend_from_slice(b"O "),
        _ => out!(w, "Invalid direction {dir} "),
    }
    let side = side(dir);
    match (kind, side) {
        (Kind::Ip, _) => out!(w, "ip {}: ", f.orig_len),
        (Kind::UncompressedTcp { conn }, _) => {
            SLOTS.with(|s| s.borrow_mut().last_conn = conn);
            out!(w, "utcp {conn}: ");
            if let (Some(side), Some(n)) = (side, slip::tcp_data_len(f.data, length(f))) {
                SLOTS.with(|s| s.borrow_mut().last_len[side][usize::from(conn)] = n);
            }
        }
        // tcpdump reads no further with a direction it cannot index by.
        (_, None) => {}
        (Kind::Compressed(c), Some(side)) => write_compressed(w, f, &c, side),
        (Kind::Other(t), Some(_)) => out!(w, "slip-{t}!: "),
    }
    true
}

/// `ctcp …: ` (without the `: ` when the line ends at a cut).
fn write_compressed(w: &mut Vec<u8>, f: &Frame<'_>, c: &Compressed, side: usize) {
    SLOTS.with(|s| {
        let mut s = s.borrow_mut();
        match c.conn {
            Some(conn) => {
                s.last_conn = conn;
                out!(w, "ctcp {conn}");
            }
            None => w.extend_from_slice(b"ctcp *"),
        }
        let conn = usize::from(s.last_conn);
        let last = s.last_len[side][conn];
        match c.special {
            Some(Special::Interactive) => out!(w, " *SA+{last}"),
            Some(Special::Data) => out!(w, " *S+{last}"),
            None => {}
        }
        for change in c.changes.iter().flatten() {
            match *change {
                Change::Urgent(v) => out!(w, " U={v}"),
                Change::Window(v) if v >= 0 => out!(w, " W+{v}"),
                Change::Window(v) => out!(w, " W{v}"),
                Change::Ack(v) => out!(w, " A+{v}"),
                Change::Seq(v) => out!(w, " S+{v}"),
                Change::Id(v) => out!(w, " I+{v}"),
            }
        }
        if c.cut {
            return;
        }
        if let Some(n) = slip::tcp_data_len(f.data, length(f)) {
            s.last_len[side][conn] = n;
            out!(w, " {n} ({}): ", c.len);
        }
    });
}

/// Whether `-e`'s words end the line (`[|slip]`): an uncompressed or
/// compressed TCP header the capture cut, with a valid direction.
pub(super) fn header_cut(f: &Frame<'_>) -> bool {
    let Some((dir, kind)) = eflag_header(f) else {
        return false;
    };
    let data_len_cut = || slip::tcp_data_len(f.data, length(f)).is_none();
    side(dir).is_some()
        && match kind {
            Kind::UncompressedTcp { .. } => data_len_cut(),
            Kind::Compressed(c) => c.cut || data_len_cut(),
            Kind::Ip | Kind::Other(_) => false,
        }
}

/// A packet of another IP version: its version alone (the dump shows the
/// rest).
pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    let version = f.data.get(HEADER_LEN)? >> 4;
    out!(w, "ip v{version}");
    None
}

pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    (f.data.len() > HEADER_LEN).then_some(HEADER_LEN)
}

pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let dir = slip::direction(f.data)?;
    let mut o = json!({
        "type": "slip",
        "direction": match dir {
            DIR_IN => json!("in"),
            DIR_OUT => json!("out"),
            d => json!(d),
        },
    });
    match slip::kind(f.data, Reading::Rfc1144)? {
        Kind::Ip => o["compression"] = json!("none"),
        Kind::UncompressedTcp { conn } => {
            o["compression"] = json!("uncompressed_tcp");
            o["connection"] = json!(conn);
        }
        Kind::Compressed(c) => {
            o["compression"] = json!("compressed_tcp");
            if let Some(conn) = c.conn {
                o["connection"] = json!(conn);
            }
            if let Some(s) = c.special {
                o["special"] = json!(match s {
                    Special::Interactive => "interactive",
                    Special::Data => "data",
                });
            }
            let mut changes = serde_json::Map::new();
            for change in c.changes.iter().flatten() {
                let (k, v) = match *change {
                    Change::Urgent(v) => ("urgent", json!(v)),
                    Change::Window(v) => ("window", json!(v)),
                    Change::Ack(v) => ("ack", json!(v)),
                    Change::Seq(v) => ("seq", json!(v)),
                    Change::Id(v) => ("ip_id", json!(v)),
                };
                changes.insert(k.into(), v);
            }
            o["changes"] = Value::Object(changes);
            o["header_len"] = json!(c.len);
        }
        Kind::Other(t) => o["packet_type"] = json!(t),
    }
    Some(o)
}
