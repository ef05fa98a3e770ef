//! DECnet's routing control messages (the flags' low bit set): their
//! type in bits 1–3, then the source node and each message's fields, as
//! tcpdump 4.99 prints them. Each message's length check is against the
//! length counted from the packet's length field ([`super::Routing`]);
//! a failed one is ` (invalid)` after the message's name.

use super::super::ctl::{Bit, out, put_bits_sep, tok};
use super::super::wire::{Res, need, u8_at, u16_le_at};
use super::{End, default_print, put_addr};
use serde_json::{Map, Value, json};

const TYPE_MASK: u8 = 0x0f;
const INIT: u8 = 0x01;
const VERIFICATION: u8 = 0x03;
const TEST: u8 = 0x05;
const L1_ROUTING: u8 = 0x07;
const L2_ROUTING: u8 = 0x09;
const ROUTER_HELLO: u8 = 0x0b;
const ENDNODE_HELLO: u8 = 0x0d;
const NAMES: &[(u8, &str)] = &[
    (INIT, "init"),
    (VERIFICATION, "verification"),
    (TEST, "test"),
    (L1_ROUTING, "lev-1-routing"),
    (L2_ROUTING, "lev-2-routing"),
    (ROUTER_HELLO, "router-hello"),
    (ENDNODE_HELLO, "endnode-hello"),
];

/// Each message's size (the routing messages' fixed part before their
/// segments).
const INIT_LEN: usize = 12;
const VERIFICATION_LEN: usize = 4;
const ROUTING_LEN: usize = 4;
const ROUTER_HELLO_LEN: usize = 18;
const ENDNODE_HELLO_LEN: usize = 32;

/// The node types of an init message's and a hello's information byte
/// (the same two bits), `reserved-ntype?` for 0.
const NODE_TYPES: [&str; 4] = ["reserved-ntype? ", "l2rout ", "l1rout ", "endnode "];
/// The flags after it: an init message's, a hello's.
const INIT_FLAGS: &[Bit] = &[(0x04, "verif "), (0x08, "blo ")];
const HELLO_FLAGS: &[Bit] = &[(0x04, "verif "), (0x20, "nomcast "), (0x40, "blo ")];

/// A routing message's segments stop at a count past this (tcpdump takes
/// the rest for garbage).
const MAX_COUNT: u16 = 1024;
/// A segment: count, first id, cost and hops; the message ends with a
/// checksum word, which no segment takes.
const SEGMENT: usize = 6;

/// The node type and flags of `info`.
fn put_info(w: &mut Vec<u8>, info: u8, flags: &[Bit]) {
    w.extend_from_slice(NODE_TYPES[usize::from(info & 3)].as_bytes());
    put_bits_sep(w, flags, u32::from(info), "", "");
}

/// The control message at `at`, `len` bytes declared from the length
/// field and `shown` of them given to the default print.
pub(super) fn print(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    (len, shown): (usize, usize),
) -> Res<End> {
    let kind = u8_at(m, at)? & TYPE_MASK;
    let Some(name) = tok(NAMES, kind) else {
        w.extend_from_slice(b"unknown control message");
        default_print(w, m, at, shown)?;
        return Ok(End::Whole);
    };
    out!(w, "{name} ");
    let least = match kind {
        INIT => INIT_LEN,
        VERIFICATION | TEST => VERIFICATION_LEN,
        L1_ROUTING | L2_ROUTING => ROUTING_LEN,
        ROUTER_HELLO => ROUTER_HELLO_LEN,
        _ => ENDNODE_HELLO_LEN,
    };
    if len < least {
        return Ok(End::Invalid);
    }
    match kind {
        INIT => init(w, m, at)?,
        VERIFICATION | TEST => {
            let word = if kind == TEST { "data" } else { "fcnval" };
            // Both read before either prints.
            let (src, value) = (u16_le_at(m, at + 1)?, u8_at(m, at + 3)?);
            w.extend_from_slice(b"src ");
            put_addr(w, src);
            out!(w, " {word} {value:o}");
        }
        L1_ROUTING | L2_ROUTING => {
            need(m, at, ROUTING_LEN)?;
            w.extend_from_slice(b"src ");
            put_addr(w, u16_le_at(m, at + 1)?);
            w.push(b' ');
            let word = if kind == L1_ROUTING { "ids" } else { "areas" };
            segments(w, m, at + ROUTING_LEN, len - ROUTING_LEN, word)?;
        }
        ROUTER_HELLO => router_hello(w, m, at)?,
        _ => endnode_hello(w, m, at)?,
    }
    Ok(End::Whole)
}

fn init(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    need(m, at, INIT_LEN)?;
    put_info(w, u8_at(m, at + 3)?, INIT_FLAGS);
    // tcpdump leaves no space after the address.
    w.extend_from_slice(b"src ");
    put_addr(w, u16_le_at(m, at + 1)?);
    out!(
        w,
        "blksize {} vers {} eco {} ueco {} hello {}",
        u16_le_at(m, at + 4)?,
        u8_at(m, at + 6)?,
        u8_at(m, at + 7)?,
        u8_at(m, at + 8)?,
        u16_le_at(m, at + 9)?
    );
    Ok(())
}

/// A routing message's segments (`{ids 1-3 cost 4 hops 1} `), while more
/// than a checksum's word is left.
fn segments(w: &mut Vec<u8>, m: &[u8], mut at: usize, mut len: usize, word: &str) -> Res<()> {
    while len > SEGMENT {
        need(m, at, SEGMENT)?;
        let count = u16_le_at(m, at)?;
        if count > MAX_COUNT {
            return Ok(());
        }
        let first = u16_le_at(m, at + 2)?;
        let info = u16_le_at(m, at + 4)?;
        out!(
            w,
            "{{{word} {first}-{} cost {} hops {}}} ",
            u32::from(first) + u32::from(count),
            info & 0o777,
            (info >> 10) & 0o37
        );
        at += SEGMENT;
        len -= SEGMENT;
    }
    Ok(())
}

/// A hello's version, ECO and user ECO.
fn put_versions(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let [vers, eco, ueco] = [u8_at(m, at + 1)?, u8_at(m, at + 2)?, u8_at(m, at + 3)?];
    out!(w, "vers {vers} eco {eco} ueco {ueco} src ");
    Ok(())
}

fn router_hello(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    need(m, at, ROUTER_HELLO_LEN)?;
    put_info(w, u8_at(m, at + 10)?, HELLO_FLAGS);
    put_versions(w, m, at)?;
    // The source id is an Ethernet address whose last two bytes are the
    // node's.
    put_addr(w, u16_le_at(m, at + 8)?);
    out!(
        w,
        " blksize {} pri {} hello {}",
        u16_le_at(m, at + 11)?,
        u8_at(m, at + 13)?,
        u16_le_at(m, at + 15)?
    );
    Ok(())
}

fn endnode_hello(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    // Every field is read before any prints: a cut prints none.
    need(m, at, ENDNODE_HELLO_LEN)?;
    put_info(w, u8_at(m, at + 10)?, HELLO_FLAGS);
    put_versions(w, m, at)?;
    put_addr(w, u16_le_at(m, at + 8)?);
    out!(w, " blksize {} rtr ", u16_le_at(m, at + 11)?);
    put_addr(w, u16_le_at(m, at + 26)?);
    out!(
        w,
        " hello {} data {:o}",
        u16_le_at(m, at + 28)?,
        u8_at(m, at + 31)?
    );
    Ok(())
}

/// The control message's type, name and source node, into `--json`.
pub(super) fn json_fields(o: &mut Map<String, Value>, m: &[u8], at: usize) -> Res<()> {
    let kind = u8_at(m, at)? & TYPE_MASK;
    o.insert("control_type".into(), json!(kind));
    o.insert("control_name".into(), json!(tok(NAMES, kind)));
    let src = match kind {
        INIT | VERIFICATION | TEST | L1_ROUTING | L2_ROUTING => u16_le_at(m, at + 1)?,
        ROUTER_HELLO | ENDNODE_HELLO => u16_le_at(m, at + 8)?,
        _ => return Ok(()),
    };
    o.insert("src".into(), json!(super::addr_string(src)));
    Ok(())
}
