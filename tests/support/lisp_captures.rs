//! `captures/dissect_lisp.pcap`: LISP control messages built by hand on
//! UDP port 4342 (Debian has no LISP mapping system): every type tcpdump
//! names and unknown ones; Map-Registers and Map-Notifies with every flag,
//! each authentication type, authentication data of odd and even lengths
//! and longer than the message, no records and several, IPv4 and IPv6
//! EIDs and locators, an EID family tcpdump does not read, locators of
//! unknown family, every action and locator flag, the xTR and site ids
//! whole and short, bytes after the records; replies from the port; then
//! seeded damaged copies. In a temporary capture each message is cut at
//! every length. `tests/dissect_lisp.rs` compares `sockscope read` with
//! `tcpdump -n -r` on both.

use super::app_captures::{Frame, capture as write, damaged, frames_of, udp};

pub const PORT: u16 = 4342;

/// The header: type and flags (the type in the top four bits of the
/// first byte), record count, key id and authentication data.
pub fn header(kind: u8, flags: u32, records: u8, key: u16, auth: &[u8]) -> Vec<u8> {
    let first = (u32::from(kind) << 28) | (flags & 0x0fff_ff00);
    let mut m = (first | u32::from(records)).to_be_bytes().to_vec();
    m.extend_from_slice(&0x0102_0304_0506_0708u64.to_be_bytes());
    m.extend_from_slice(&key.to_be_bytes());
    m.extend_from_slice(&(auth.len() as u16).to_be_bytes());
    m.extend_from_slice(auth);
    m
}

/// An EID record: TTL, mask length, action and authority byte, map
/// version, family and prefix, then its locators (counted).
pub fn record(mask: u8, act: u8, family: u16, eid: &[u8], locators: &[Vec<u8>]) -> Vec<u8> {
    let mut r = 1440u32.to_be_bytes().to_vec();
    r.extend_from_slice(&[locators.len() as u8, mask, act, 0]);
    r.extend_from_slice(&0xf005u16.to_be_bytes());
    r.extend_from_slice(&family.to_be_bytes());
    r.extend_from_slice(eid);
    r.extend(locators.concat());
    r
}

/// A locator: priorities, weights, flags, family and address.
pub fn locator(flags: u16, family: u16, address: &[u8]) -> Vec<u8> {
    let mut l = vec![1, 100, 255, 0];
    l.extend_from_slice(&flags.to_be_bytes());
    l.extend_from_slice(&family.to_be_bytes());
    l.extend_from_slice(address);
    l
}

const V4: [u8; 4] = [192, 0, 2, 9];
const V6: [u8; 16] = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42];
const EID4: [u8; 4] = [10, 1, 2, 0];

/// The xTR id and site id.
fn ids() -> Vec<u8> {
    (0x80..0x98).collect()
}

/// Every hand-built message, to port 4342.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = Vec::new();
    let one = record(24, 0x10, 1, &EID4, &[locator(5, 1, &V4)]);
    for kind in 0u8..16 {
        v.push([header(kind, 0, 1, 1, &[]), one.clone()].concat());
    }
    for (kind, flag) in [3u8, 4]
        .iter()
        .flat_map(|&k| (8..28).map(move |bit| (k, 1u32 << bit)))
    {
        let mut m = [header(kind, flag, 1, 0, &[]), one.clone()].concat();
        let i_bit = if kind == 3 { 0x0200_0000 } else { 0x0800_0000 };
        if flag == i_bit {
            m.extend(ids());
        }
        v.push(m);
    }
    for key in [0u16, 1, 2, 3, 0xffff] {
        v.push([header(3, 0x100, 1, key, &[]), one.clone()].concat());
    }
    for n in [1usize, 2, 15, 16, 17, 20, 32, 33] {
        let auth: Vec<u8> = (0..n as u8).collect();
        v.push([header(3, 0, 1, 1, &auth), one.clone()].concat());
    }
    // Authentication data longer than the message; no records.
    let mut long = header(3, 0, 1, 1, &[0xaa; 4]);
    long[14..16].copy_from_slice(&40u16.to_be_bytes());
    v.push(long);
    v.push(header(3, 0, 0, 1, &[1, 2, 3, 4]));
    v.push(header(4, 0, 0, 2, &[]));
    for act in [0u8, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xe0, 0xff] {
        v.push([header(3, 0, 1, 1, &[]), record(32, act, 1, &EID4, &[])].concat());
    }
    for flags in [0u16, 1, 2, 3, 4, 7, 0xfff8, 0xffff] {
        let r = record(8, 0, 1, &EID4, &[locator(flags, 1, &V4)]);
        v.push([header(4, 0, 1, 2, &[]), r].concat());
    }
    let many = [
        record(
            24,
            0x10,
            1,
            &EID4,
            &[locator(1, 1, &V4), locator(4, 2, &V6)],
        ),
        record(64, 0x30, 2, &V6, &[locator(2, 2, &V6), locator(0, 9, &[])]),
        record(0, 0, 1, &[0, 0, 0, 0], &[]),
    ]
    .concat();
    v.push([header(3, 0x0300_0100, 3, 2, &[9; 32]), many.clone(), ids()].concat());
    v.push([header(4, 0x0c00_0000, 3, 1, &[7; 20]), many.clone(), ids()].concat());
    v.push([header(3, 0, 5, 1, &[]), many.clone()].concat());
    v.push(
        [
            header(3, 0, 2, 1, &[]),
            many.clone(),
            b"trailing bytes".to_vec(),
        ]
        .concat(),
    );
    // An EID family tcpdump does not read; ids announced but short.
    v.push([header(3, 0, 1, 1, &[]), record(24, 0, 16387, &[0; 8], &[])].concat());
    v.push(
        [
            header(3, 0x0200_0000, 1, 1, &[]),
            one.clone(),
            ids()[..20].to_vec(),
        ]
        .concat(),
    );
    v.push([header(4, 0x0800_0000, 1, 1, &[]), one.clone()].concat());
    // A locator count past the message.
    let mut over = [header(3, 0, 1, 1, &[]), one.clone()].concat();
    over[20] = 4;
    v.push(over);
    for len in [0usize, 1, 4, 15] {
        v.push(header(3, 0, 1, 1, &[])[..len].to_vec());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, a few from it, then `n`
/// damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = frames_of(&messages);
    for (_, _, m) in messages.iter().skip(3).take(2) {
        frames.push(udp(false, 40000, PORT, m));
    }
    frames.extend(damaged(0x1159_0000_0000_0001, &messages, n));
    write(&frames)
}
