//! The captures of `tests/exact_tcp_options.rs`: a TCP header whose
//! option list starts with one option of every kind (0-255) and every
//! length byte (0-40), its bytes a counting pattern up to the length byte,
//! then NOPs to the 40 bytes a header can hold; in a SYN, a SYN+ACK and
//! an ACK (MPTCP's forms depend on the flags), and with two patterns of
//! data bytes (the first byte picks an MPTCP subtype or an experimental
//! option's magic). Whole, and cut at every byte from the first option
//! byte to three past the option's length. Each packet has a source
//! address of its own, so that no two are one conversation (no analysis
//! marks, no relative numbers carried over). Over Ethernet, IPv4.
//!
//! The whole set is made in the test run (some 700,000 packets); the
//! committed `exact_tcp_option_kinds.pcap` holds the kinds tcpdump decodes,
//! whole, with its golden lines.

use super::control_captures::ipv4;
use super::pcap::{Layout, write_spaced};
use std::borrow::Cow;

/// 2024-03-01 12:00:00 UTC.
const T0: u32 = 1_709_294_400;

/// The most option bytes a TCP header holds.
const ROOM: usize = 40;

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const FLAGS: [u8; 3] = [SYN, SYN | ACK, ACK];

/// Data-byte patterns: counting up from 0x10 (MPTCP subtype 1, join) and
/// a stride of 37 from 0x81 (an MPTCP subtype tcpdump does not know).
const PATTERNS: [fn(usize) -> u8; 2] = [|i| (0x10 + i) as u8, |i| (i * 37 + 0x81) as u8];

/// The kinds tcpdump names or reads by their own size, and 253 (which
/// it does not name), for the committed file.
const NAMED: [u8; 20] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 19, 20, 28, 29, 30, 34, 253, 254,
];

/// The 40 option bytes: `kind`, the length byte `len`, the pattern for
/// the data the length byte claims, NOPs after.
fn options(kind: u8, len: u8, pattern: fn(usize) -> u8) -> [u8; ROOM] {
    let mut o = [1u8; ROOM];
    o[0] = kind;
    o[1] = len;
    let data = usize::from(len).saturating_sub(2).min(ROOM - 2);
    for (i, b) in o[2..2 + data].iter_mut().enumerate() {
        *b = pattern(i);
    }
    o
}

/// Ethernet, IPv4 from a source address of the packet's own (`n`), TCP
/// 1024 > 2000 with `flags` and the 40 option bytes.
fn frame(n: u32, flags: u8, opts: &[u8; ROOM]) -> Vec<u8> {
    let mut tcp = vec![0x04, 0x00, 0x07, 0xd0];
    tcp.extend_from_slice(&(n.wrapping_mul(1000)).to_be_bytes());
    let ack: u32 = if flags & ACK != 0 { 0x0102_0304 } else { 0 };
    tcp.extend_from_slice(&ack.to_be_bytes());
    tcp.extend_from_slice(&[
        (((20 + ROOM) / 4) << 4) as u8,
        flags,
        0x02,
        0x00,
        0,
        0,
        0,
        0,
    ]);
    tcp.extend_from_slice(opts);
    let [_, a, b, c] = n.to_be_bytes();
    ipv4([198, 18 + a, b, c], [192, 0, 2, 2], 64, 6, &[], &tcp)
}

/// Where the options start in a frame: Ethernet, IPv4, fixed TCP.
const OPTIONS_AT: usize = 14 + 20 + 20;

/// Captured bytes and original length of every packet: whole (`cut`
/// false), or each cut at every byte of the option and three past it.
fn records(kinds: &[u8], patterns: &[fn(usize) -> u8], cut: bool) -> Vec<(Vec<u8>, u32)> {
    let mut out = Vec::new();
    let mut n = 0u32;
    for &flags in &FLAGS {
        for &pattern in patterns {
            for &kind in kinds {
                for len in 0..=ROOM as u8 {
                    n += 1;
                    let f = frame(n, flags, &options(kind, len, pattern));
                    let orig = f.len() as u32;
                    if !cut {
                        out.push((f, orig));
                        continue;
                    }
                    let last = (usize::from(len) + 3).min(ROOM);
                    for keep in 0..last {
                        out.push((f[..OPTIONS_AT + keep].to_vec(), orig));
                    }
                }
            }
        }
    }
    out
}

fn file(recs: Vec<(Vec<u8>, u32)>) -> Vec<u8> {
    let recs = recs.into_iter().map(|(f, n)| (Cow::Owned(f), n));
    write_spaced(Layout::new(1, 65535), (T0, 1000), recs)
}

/// Every kind, every length, both patterns, whole.
pub fn every_kind_whole() -> Vec<u8> {
    let kinds: Vec<u8> = (0..=255).collect();
    file(records(&kinds, &PATTERNS, false))
}

/// Every kind, every length, the first pattern, cut at every byte.
pub fn every_kind_cut() -> Vec<u8> {
    let kinds: Vec<u8> = (0..=255).collect();
    file(records(&kinds, &PATTERNS[..1], true))
}

/// The committed file: the kinds tcpdump names, whole.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![(
        "exact_tcp_option_kinds.pcap",
        file(records(&NAMED, &PATTERNS, false)),
    )]
}

/// The committed file's frames (seeds of the mutation tests).
pub fn frames() -> Vec<Vec<u8>> {
    records(&NAMED, &PATTERNS, false)
        .into_iter()
        .map(|(f, _)| f)
        .collect()
}

/// MPTCP options by their first two data bytes (the subtype byte and the
/// byte after it): every subtype byte 0x00-0xff (subtype and its low
/// nibble: capable's version, ADD_ADDR's IP version or echo flag,
/// prio's backup bit), the byte after it counting on; and DSS (0x20) with
/// every flag byte 0x00-0x3f. The rest counts up from 0x12.
fn mptcp_prefixes() -> Vec<[u8; 2]> {
    let mut out: Vec<[u8; 2]> = (0..=255u8).map(|b| [b, 0x11]).collect();
    out.extend((0..=0x3fu8).map(|f| [0x20, f]));
    out
}

/// Subtype bytes cut at every byte: each subtype with the low nibbles
/// that change what is printed, DSS with an ack and a mapping of 8 bytes
/// (0x0f) and of 4 (0x05) and a FIN alone (0x10).
const MPTCP_CUT: [[u8; 2]; 16] = [
    [0x00, 0x80],
    [0x01, 0x11],
    [0x02, 0x11],
    [0x11, 0x11],
    [0x20, 0x0f],
    [0x20, 0x05],
    [0x20, 0x10],
    [0x30, 0x11],
    [0x31, 0x11],
    [0x34, 0x11],
    [0x36, 0x11],
    [0x40, 0x11],
    [0x51, 0x11],
    [0x60, 0x11],
    [0x70, 0x11],
    [0x80, 0x11],
];

/// Kind 30 with each prefix, every length byte 0-40, in a SYN, a SYN+ACK
/// and an ACK; whole, or cut at every byte from the option's first to
/// three past its length.
fn mptcp_records(prefixes: &[[u8; 2]], cut: bool) -> Vec<(Vec<u8>, u32)> {
    let mut out = Vec::new();
    let mut n = 0u32;
    for &flags in &FLAGS {
        for prefix in prefixes {
            for len in 0..=ROOM as u8 {
                n += 1;
                let mut o = options(30, len, |i| (0x12 + i) as u8);
                let data = usize::from(len).saturating_sub(2).min(ROOM - 2);
                for (b, p) in o[2..2 + data].iter_mut().zip(prefix) {
                    *b = *p;
                }
                let f = frame(n, flags, &o);
                let orig = f.len() as u32;
                if !cut {
                    out.push((f, orig));
                    continue;
                }
                for keep in 0..(usize::from(len) + 3).min(ROOM) {
                    out.push((f[..OPTIONS_AT + keep].to_vec(), orig));
                }
            }
        }
    }
    out
}

/// MPTCP options, every subtype byte and DSS flag byte, whole.
pub fn mptcp_whole() -> Vec<u8> {
    file(mptcp_records(&mptcp_prefixes(), false))
}

/// MPTCP options of each form tcpdump prints, cut at every byte.
pub fn mptcp_cut() -> Vec<u8> {
    file(mptcp_records(&MPTCP_CUT, true))
}
