//! `captures/dissect_rx.pcap`: AFS's Rx built by hand on UDP ports 7000-7009 (Debian's OpenAFS needs
//! a kernel module and a cell; the packets are built instead): every
//! packet type with its flags, acknowledgements with ack and nack runs
//! and the optional fields, every call to the file server tcpdump
//! decodes with its arguments (file ids, store-status masks, names,
//! access lists, 64-bit offsets, bulk stats), replies and aborts to
//! those calls, a reply without a call, short headers.
//! `tests/dissect_rx.rs` compares `sockscope read` with `tcpdump -n -r`
//! on the capture, on every message cut at every length and on damaged
//! copies of the file server's messages.

use super::app_captures::{capture, damaged, frames_of, udp_cut};

pub use sockscope::dissect::rx::FS_PORT;

pub const DATA: u8 = 1;
const ACK: u8 = 2;
const ABORT: u8 = 4;
const CLIENT_INIT: u8 = 1;

/// An Rx header (epoch 1, connection 0x1234567, call `call`, sequence
/// `seq`, serial 5, security index 2, service `service`) then `body`.
pub fn rx(kind: u8, flags: u8, seq: u32, call: u32, service: u16, body: &[u8]) -> Vec<u8> {
    let mut m = vec![0, 0, 0, 1, 0x01, 0x23, 0x45, 0x67];
    m.extend_from_slice(&call.to_be_bytes());
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 5, kind, flags, 0, 2, 0, 0]);
    m.extend_from_slice(&service.to_be_bytes());
    m.extend_from_slice(body);
    m
}

fn be(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_be_bytes()).collect()
}

/// A counted name padded to four bytes.
fn name(s: &[u8]) -> Vec<u8> {
    let mut v = be(&[s.len() as u32]);
    v.extend_from_slice(s);
    v.resize(4 + s.len().next_multiple_of(4), 0);
    v
}

/// A call of `op` (call number `call`) with `args`.
pub fn call(op: u32, call: u32, args: &[u8]) -> Vec<u8> {
    rx(
        DATA,
        CLIENT_INIT | 4,
        1,
        call,
        1,
        &[be(&[op]), args.to_vec()].concat(),
    )
}

/// The file server's reply of `kind` to call `call`.
fn reply(kind: u8, call: u32, body: &[u8]) -> Vec<u8> {
    rx(kind, 4, 1, call, 1, body)
}

const FID: [u32; 3] = [536870919, 2, 3];

fn store_status(mask: u32) -> Vec<u8> {
    be(&[mask, 1_700_000_000, 1000, 100, 0o100644, 4096])
}

const ACL: &[u8] = b"2 1\nsystem:administrators 127\nalice 9\nbob 2\n";

/// The calls to the file server and, after them, replies and aborts.
fn fs_messages() -> Vec<(bool, u16, Vec<u8>)> {
    let fid = be(&FID);
    let mut calls: Vec<(u32, Vec<u8>)> = vec![
        (130, [fid.clone(), be(&[4096, 8192])].concat()),
        (
            133,
            [fid.clone(), store_status(0x41f), be(&[0, 10, 10])].concat(),
        ),
        (133, [fid.clone(), store_status(0), be(&[1, 2, 3])].concat()),
        (
            134,
            [fid.clone(), be(&[ACL.len() as u32]), ACL.to_vec()].concat(),
        ),
        (
            134,
            [fid.clone(), be(&[8]), b"1 0\nx\0yz".to_vec()].concat(),
        ),
        (135, [fid.clone(), store_status(0x1e)].concat()),
        (136, [fid.clone(), name(b"file.txt")].concat()),
        (
            137,
            [fid.clone(), name(b"new\x01file"), store_status(8)].concat(),
        ),
        (
            138,
            [fid.clone(), name(b"a"), fid.clone(), name(b"bcde")].concat(),
        ),
        (
            139,
            [fid.clone(), name(b"link"), name(b"/afs/target")].concat(),
        ),
        (140, [fid.clone(), name(b"hard"), fid.clone()].concat()),
        (141, [fid.clone(), name(b"dir"), store_status(1)].concat()),
        (142, [fid.clone(), name(b"")].concat()),
        (148, name(b"root.cell")),
        (149, be(&[536870912])),
        (150, be(&[536870913])),
        (154, name(b"user.alice")),
        (155, [be(&[2]), fid.clone(), fid.clone()].concat()),
        (155, be(&[0])),
        (65536, [be(&[1]), fid.clone()].concat()),
        (65537, [fid.clone(), be(&[1, 2, 0, 300])].concat()),
        (
            65538,
            [fid.clone(), store_status(2), be(&[0, 1, 0, 2, 1, 0])].concat(),
        ),
        (65541, be(&[0x0a000001])),
        (65539, vec![]),
        (65540, vec![]),
        (136, [fid.clone(), be(&[300]), vec![b'x'; 300]].concat()),
        (151, vec![]),
        (153, vec![]),
        (163, vec![]),
        (220, vec![]),
        (999, vec![]),
    ];
    for op in [
        131, 132, 143, 144, 145, 146, 147, 152, 156, 157, 158, 159, 160, 161, 162,
    ] {
        calls.push((op, fid.clone()));
    }
    let mut v: Vec<(bool, u16, Vec<u8>)> = calls
        .iter()
        .enumerate()
        .map(|(i, (op, args))| (true, FS_PORT, call(*op, 100 + i as u32, args)))
        .collect();
    let number = |op: u32| 100 + calls.iter().position(|(o, _)| *o == op).unwrap_or(0) as u32;
    let replies = [
        (DATA, 131, [be(&[ACL.len() as u32]), ACL.to_vec()].concat()),
        (DATA, 137, be(&FID)),
        (DATA, 141, be(&FID)),
        (DATA, 151, name(b"root.afs")),
        (DATA, 153, be(&[1_700_000_000])),
        (DATA, 130, b"file data".to_vec()),
        (ABORT, 132, be(&[102])),
        (ABORT, 136, be(&[(-100i32) as u32])),
        (ABORT, 138, be(&[99])),
    ];
    for (kind, op, body) in replies {
        v.push((false, FS_PORT, reply(kind, number(op), &body)));
    }
    // A reply to no call seen, and a data packet after the first.
    v.push((false, FS_PORT, reply(DATA, 7777, &be(&[1]))));
    v.push((false, FS_PORT, rx(DATA, 0, 2, number(131), 1, &be(&[1]))));
    v
}

/// An acknowledgement: `first`, `reason`, the ack bytes, then `tail`.
fn ack(first: u32, reason: u8, acks: &[u8], tail: &[u8]) -> Vec<u8> {
    let mut b = vec![0, 16, 0, 3];
    b.extend(be(&[first, first.wrapping_sub(1), 77]));
    b.extend_from_slice(&[reason, acks.len() as u8]);
    b.extend_from_slice(acks);
    b.extend_from_slice(&[0, 0, 0]);
    b.extend_from_slice(tail);
    rx(ACK, 0x22, 0, 9, 1, &b)
}

/// The header-only packets and acknowledgements, on every port.
fn header_messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = Vec::new();
    for kind in 0..=14u8 {
        v.push((true, FS_PORT, rx(kind, 0x3f, 3, 9, 1, b"body")));
    }
    for flags in [0, 1, 2, 4, 8, 16, 32, 64, 128, 0xff] {
        v.push((true, 7003, rx(DATA, flags, 7, 9, 1, b"")));
        v.push((false, 7001, rx(ACK, flags, 0, 9, 1, &[0; 18])));
    }
    let tail = be(&[1444, 1444, 32, 4]);
    for (i, (first, reason, acks, tail)) in [
        (1u32, 1u8, &[][..], &tail[..]),
        (1, 2, &[1, 1, 1][..], &tail[..]),
        (10, 3, &[1, 0, 1, 1, 0, 0, 1][..], &tail[..8]),
        (u32::MAX - 1, 6, &[0, 0, 1, 1, 2, 1, 0][..], &tail[..2]),
        (5, 9, &[0][..], &[][..]),
        (5, 10, &[1][..], &tail[..]),
        (5, 0, &[1, 1, 0, 1, 1][..], &tail[..12]),
    ]
    .into_iter()
    .enumerate()
    {
        v.push((i % 2 == 0, 7000 + i as u16, ack(first, reason, acks, tail)));
    }
    v.push((true, 7005, rx(ACK, 0, 0, 9, 1, &[0; 17])));
    for len in 0..28 {
        v.push((true, 7009, rx(DATA, 1, 1, 9, 1, b"")[..len].to_vec()));
    }
    v
}

/// Every hand-built message: the file server's calls and replies, then the
/// header-only packets and acknowledgements on every Rx port.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    [fs_messages(), header_messages()].concat()
}

/// The capture: every message, the first cut at every length, then `n`
/// damaged copies of the file server's messages (the other services'
/// calls are not decoded: a damaged header could make one).
pub fn rx_capture(n: usize) -> Vec<u8> {
    let all = messages();
    let mut frames = frames_of(&all);
    if let Some((to_server, port, m)) = all.first() {
        for keep in 0..m.len() {
            frames.push(udp_cut(*to_server, 40000, *port, m, keep));
        }
    }
    frames.extend(damaged(0x7000_0000_0000_0001, &fs_messages(), n));
    capture(&frames)
}

/// A fetch-status call, for the port-order test.
pub fn lone_call() -> Vec<u8> {
    call(132, 1, &be(&FID))
}
