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

/// A name of `max` characters, each in a 32-bit word, NUL-padded.
fn name_vector(s: &[u8], max: usize) -> Vec<u8> {
    let mut words: Vec<u32> = s.iter().map(|&c| u32::from(c)).collect();
    words.resize(max, 0);
    be(&words)
}

/// An AFS UUID: three words, then eight bytes a word.
fn uuid() -> Vec<u8> {
    be(&[0xdeadbeef, 0x1234, 0x5678, 1, 2, 3, 4, 5, 6, 0x1ff, 0xab])
}

/// A volume location entry (`servers` of `slots` in use; the old form
/// has a word after the name).
fn vl_entry(slots: usize, servers: u32, old: bool) -> Vec<u8> {
    let mut e = name_vector(b"root.cell", 65);
    if old {
        e.extend(be(&[0]));
    }
    e.extend(be(&[servers]));
    for i in 0..slots {
        e.extend_from_slice(&[10, 0, 1, i as u8]);
    }
    e.extend(be(&(0..slots as u32).map(|i| i * 9).collect::<Vec<_>>()));
    e.extend(be(&vec![0; slots]));
    e.extend(be(&[536870912, 536870913, 536870914]));
    e
}

/// Calls to the other services (each `(port, op, args)`) and the
/// replies after them (`(port, op, kind, body)`).
fn service_messages() -> Vec<(bool, u16, Vec<u8>)> {
    let date = 1_700_000_000u32;
    let fid = be(&FID);
    let calls: Vec<(u16, u32, Vec<u8>)> = vec![
        (
            7001,
            204,
            [
                be(&[2]),
                fid.clone(),
                fid.clone(),
                be(&[2, 7, date, 1, 8, date, 3]),
            ]
            .concat(),
        ),
        (7001, 204, be(&[0, 0])),
        (7001, 214, uuid()),
        (7001, 213, vec![]),
        (7001, 206, vec![]),
        (
            7002,
            500,
            [name(b"alice"), be(&[1001, (-1i32) as u32])].concat(),
        ),
        (7002, 501, be(&[1001])),
        (7002, 502, be(&[3])),
        (7002, 503, be(&[1001, (-204i32) as u32])),
        (
            7002,
            504,
            [
                be(&[2]),
                name_vector(b"alice", 64),
                name_vector(b"bob", 64),
            ]
            .concat(),
        ),
        (7002, 504, be(&[0])),
        (7002, 505, be(&[3, 1, 2, (-3i32) as u32])),
        (7002, 505, be(&[0])),
        (7002, 508, be(&[1001])),
        (7002, 509, [name(b"group"), be(&[2, 1])].concat()),
        (7002, 510, vec![]),
        (7002, 511, be(&[1, 0])),
        (7002, 513, [be(&[1]), name(b"x"), be(&[2, 3])].concat()),
        (7002, 520, [be(&[1]), name(b"y")].concat()),
        (7002, 10000, be(&[1, date, 5, 6, 7, 8])),
        (7002, 10003, be(&[9])),
        (7002, 20002, be(&[1, 2, 3, 4, 5, 2])),
        (7002, 20003, be(&[1, 2, 3, 4])),
        (7002, 20004, vec![]),
        (7002, 20005, be(&[3])),
        (7002, 20006, be(&[3, 100, 1, 2])),
        (7002, 20009, be(&[1, 2, 3, 4])),
        (7002, 20012, be(&[1, 2, 3, 4, 5, 6])),
        (7002, 20000, be(&[1, 2])),
        (7003, 501, name_vector(b"user.alice", 65)),
        (7003, 503, be(&[536870912, 1])),
        (7003, 502, be(&[536870912, 7])),
        (7003, 504, name(b"root.afs")),
        (7003, 505, be(&[1])),
        (
            7003,
            506,
            [be(&[536870912, 2]), name_vector(b"v", 65)].concat(),
        ),
        (7003, 510, be(&[4])),
        (7003, 518, be(&[536870912, 0])),
        (7003, 519, name(b"root.afs")),
        (7003, 521, be(&[5])),
        (7003, 526, vec![]),
        (7003, 20001, be(&[1, 2])),
        (7004, 21, [name(b"alice"), name(b"")].concat()),
        (
            7004,
            23,
            [
                be(&[3]),
                name(b"CELL"),
                be(&[5]),
                b"tickt\0\0\0".to_vec(),
                name(b"afs"),
                name(b""),
            ]
            .concat(),
        ),
        (7004, 4, [name(b"bob"), name(b"admin"), be(&[2])].concat()),
        (7004, 12, name(b"carol")),
        (7004, 9, be(&[1])),
        (7004, 10000, be(&[0, date, 5, 6, 7, 8])),
        (7005, 100, [be(&[1]), name(b"vol"), be(&[0, 7])].concat()),
        (7005, 101, be(&[11])),
        (7005, 102, be(&[11, 1])),
        (7005, 103, be(&[11, date, 1, 2, 3, (-1i32) as u32])),
        (7005, 104, be(&[11])),
        (7005, 105, [be(&[11, 0, 1]), name(b"clone")].concat()),
        (7005, 106, be(&[11, 2])),
        (7005, 107, be(&[11])),
        (7005, 108, be(&[536870912, 1, 2])),
        (7005, 109, be(&[11, date])),
        (7005, 110, be(&[3])),
        (7005, 111, be(&[11, 5])),
        (7005, 112, be(&[11])),
        (7005, 113, be(&[11])),
        (7005, 114, [name(b"s"), be(&[1, 2, 3])].concat()),
        (7005, 116, be(&[1, 0])),
        (
            7005,
            117,
            [be(&[11]), name(b"t"), be(&[1, 2, 3, 4])].concat(),
        ),
        (7005, 119, name(b"/vicepa")),
        (7005, 120, be(&[11])),
        (7005, 121, be(&[1, 536870912])),
        (7005, 123, be(&[11, date])),
        (7005, 126, be(&[11])),
        (7005, 128, be(&[11, date, 2, 1, 2, 3, 4, 5, 6])),
        (7005, 128, be(&[11, date, 0])),
        (7005, 65536, be(&[1, 2])),
        (7005, 65537, be(&[11, date])),
        (7005, 65538, be(&[11, date, 1])),
        (7007, 80, [name(b"simple"), name(b"fs")].concat()),
        (7007, 81, name(b"fs")),
        (7007, 82, [name(b"fs"), be(&[1])].concat()),
        (7007, 84, be(&[2])),
        (7007, 86, [name(b"fs"), be(&[0])].concat()),
        (7007, 105, [name(b"bin"), be(&[100, 0, date])].concat()),
        (7007, 99, vec![]),
        (7006, 1, be(&[1])),
        (7008, 1, be(&[1])),
    ];
    let mut v: Vec<(bool, u16, Vec<u8>)> = calls
        .iter()
        .enumerate()
        .map(|(i, (port, op, args))| (true, *port, call(*op, 1000 + i as u32, args)))
        .collect();
    let number = |port: u16, op: u32| {
        1000 + calls
            .iter()
            .position(|(p, o, _)| *p == port && *o == op)
            .unwrap_or(0) as u32
    };
    let volume_entry = [name_vector(b"home", 32), be(&[536870915]), vec![0; 84]].concat();
    let replies: Vec<(u16, u32, u8, Vec<u8>)> = vec![
        (7001, 213, DATA, uuid()),
        (7001, 206, ABORT, be(&[(-1i32) as u32])),
        (7002, 504, DATA, be(&[2, 1001, 1002])),
        (
            7002,
            505,
            DATA,
            [be(&[1]), name_vector(b"alice", 64)].concat(),
        ),
        (7002, 508, DATA, be(&[2, 5, 6])),
        (7002, 510, DATA, be(&[1001, (-300i32) as u32])),
        (7002, 501, ABORT, be(&[267268])),
        (7002, 10000, DATA, vec![]),
        (7002, 10000, ABORT, be(&[date])),
        (7002, 20004, DATA, be(&[1, 2])),
        (7002, 20000, ABORT, be(&[5376])),
        (7003, 503, DATA, vl_entry(8, 2, true)),
        (7003, 518, DATA, vl_entry(13, 13, false)),
        (
            7003,
            510,
            DATA,
            [be(&[1, 2]), vl_entry(8, 9, true)].concat(),
        ),
        (
            7003,
            521,
            DATA,
            [be(&[1, 2]), vl_entry(13, 1, false)].concat(),
        ),
        (
            7003,
            526,
            DATA,
            [
                name_vector(b"v", 65),
                be(&[1]),
                uuid(),
                vec![0; 44 * 12 + 52],
                be(&[27; 13]),
                vec![0; 52],
                be(&[1, 2, 3]),
            ]
            .concat(),
        ),
        (7003, 505, DATA, be(&[536870999])),
        (7003, 504, ABORT, be(&[363524])),
        (7004, 21, DATA, b"sealed".to_vec()),
        (7004, 23, ABORT, be(&[180490])),
        (7005, 100, DATA, be(&[536870912, 11])),
        (7005, 104, DATA, be(&[0])),
        (7005, 105, DATA, be(&[536870916])),
        (7005, 107, DATA, be(&[2])),
        (7005, 108, DATA, be(&[12])),
        (7005, 110, DATA, be(&[536870912, 1])),
        (7005, 112, DATA, name(b"root.afs")),
        (
            7005,
            113,
            DATA,
            be(&[
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, date, date, date, 0, date, date,
            ]),
        ),
        (
            7005,
            116,
            DATA,
            [be(&[2]), volume_entry.clone(), volume_entry].concat(),
        ),
        (7005, 121, DATA, be(&[0])),
        (7005, 101, ABORT, be(&[(-1i32) as u32])),
        (7007, 80, DATA, vec![]),
        (7007, 81, ABORT, be(&[39430])),
    ];
    for (port, op, kind, body) in replies {
        v.push((false, port, reply(kind, number(port, op), &body)));
    }
    v
}

/// Every hand-built message: the file server's calls and replies, the
/// other services', then the header-only packets and acknowledgements on
/// every Rx port.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    [fs_messages(), service_messages(), header_messages()].concat()
}

/// The capture: every message, the first cut at every length, then `n`
/// damaged copies.
pub fn rx_capture(n: usize) -> Vec<u8> {
    let all = messages();
    let mut frames = frames_of(&all);
    if let Some((to_server, port, m)) = all.first() {
        for keep in 0..m.len() {
            frames.push(udp_cut(*to_server, 40000, *port, m, keep));
        }
    }
    frames.extend(damaged(0x7000_0000_0000_0001, &all, n));
    capture(&frames)
}

/// A fetch-status call, for the port-order test.
pub fn lone_call() -> Vec<u8> {
    call(132, 1, &be(&FID))
}
