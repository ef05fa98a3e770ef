//! `captures/dissect_wb.pcap`: LBL whiteboard packets built by hand on
//! UDP port 4567 (wb left Debian with the MBone): every type tcpdump
//! prints (kill, announcements with their id/offset pairs and site names,
//! repair requests and replies, drawing operations with every drawing op
//! type, skips and holes inside, past and behind the sequence range,
//! page requests, page replies with states and pairs), the other types,
//! each type too short for its fixed part, lengths 0 to 12, packets from
//! the port (plain UDP for tcpdump); the first cut at every length; then
//! seeded damaged copies. `tests/dissect_wb.rs` compares `sockscope read`
//! with `tcpdump -n -r` on it.

use super::app_captures::udp_port_capture;

pub use sockscope::dissect::wb::PORT;

/// The header: site 10.0.0.9, timestamp 1, version 1, `kind`, `flags`;
/// then `body`.
pub fn packet(kind: u8, flags: u8, body: &[u8]) -> Vec<u8> {
    [&[10, 0, 0, 9, 0, 0, 0, 1, 0, 1, kind, flags][..], body].concat()
}

fn be(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_be_bytes()).collect()
}

/// A page: session 10.0.0.`host`, page `uid`.
fn page(host: u8, uid: u32) -> Vec<u8> {
    [&[10, 0, 0, host][..], &uid.to_be_bytes()].concat()
}

/// A drawing op's header: `kind`, timestamp `ts`, a body of `len` bytes.
fn op_header(kind: u8, ts: u32, len: u16) -> Vec<u8> {
    let mut o = ts.to_be_bytes().to_vec();
    o.extend_from_slice(&len.to_be_bytes());
    o.extend_from_slice(&[0, kind]);
    o
}

/// The same with its body (padded to four).
fn op(kind: u8, ts: u32, len: u16) -> Vec<u8> {
    let mut o = op_header(kind, ts, len);
    o.extend(std::iter::repeat_n(
        0x41,
        usize::from(len).next_multiple_of(4),
    ));
    o
}

/// An announcement: slot 1 on page 10.0.0.2:3, most recent slot 4 on
/// 10.0.0.5:6, `pairs` id/offset pairs (`nid` says how many), `name`.
fn announcement(nid: u16, pairs: usize, name: &[u8]) -> Vec<u8> {
    let mut b = be(&[4]);
    b.extend(page(5, 6));
    b.extend(be(&[1]));
    b.extend(page(2, 3));
    b.extend_from_slice(&nid.to_be_bytes());
    b.extend_from_slice(&[0, 0]);
    for i in 0..pairs {
        b.extend_from_slice(&[10, 1, 0, i as u8]);
        b.extend(be(&[100 + i as u32]));
    }
    b.extend_from_slice(name);
    packet(1, 0, &b)
}

/// A drawing operation on 10.0.0.2:3 from `start` to `end`, then `ops`.
fn drawing(start: u32, end: u32, ops: &[Vec<u8>]) -> Vec<u8> {
    packet(
        0,
        0,
        &[page(2, 3), be(&[start, end]), ops.concat()].concat(),
    )
}

/// A page state: slot, page, id count (`nid`), then `pairs` pairs.
fn state(slot: u32, nid: u16, pairs: usize) -> Vec<u8> {
    let mut s = be(&[slot]);
    s.extend(page(7, slot));
    s.extend_from_slice(&nid.to_be_bytes());
    s.extend_from_slice(&[0, 0]);
    for i in 0..pairs {
        s.extend_from_slice(&[10, 2, 0, i as u8]);
        s.extend(be(&[200 + i as u32]));
    }
    s
}

/// A drawing operation with a line, a skip and a rectangle, whole
/// (the message the port-order test sends).
pub fn drawop() -> Vec<u8> {
    drawing(1, 4, &[op(3, 0, 6), op(14, 3, 0), op(2, 0, 8)])
}

/// Every hand-built message, to port 4567.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let all_ops: Vec<Vec<u8>> = (0..=16).map(|t| op(t, 0, t.into())).collect();
    let mut v = vec![
        drawop(),
        packet(4, 0, b""),
        packet(4, 3, b"after kill"),
        announcement(0, 0, b"host.example\0junk"),
        announcement(1, 1, b"site"),
        announcement(3, 3, b"\x01\x7f\xe9name"),
        announcement(2, 1, b""),
        announcement(0x100, 0, b""),
        packet(
            2,
            1,
            &[be(&[0x0a00_0001]), page(2, 3), be(&[4, 5])].concat(),
        ),
        packet(
            3,
            0,
            &[be(&[0x0a00_0001]), page(2, 3), be(&[1, 2])].concat(),
        ),
        packet(
            3,
            0,
            &[
                be(&[0x0a00_0001]),
                page(2, 3),
                be(&[1, 3]),
                op(3, 0, 1),
                op(15, 2, 0),
                op(7, 0, 0),
            ]
            .concat(),
        ),
        drawing(0, 16, &all_ops),
        drawing(1, 3, &[op(14, 9, 0), op(2, 0, 0), op(2, 0, 0)]),
        drawing(5, 9, &[op(15, 2, 0), op(2, 0, 0)]),
        drawing(5, 5, &[op(14, 5, 0)]),
        drawing(7, 3, &[op(2, 0, 0)]),
        drawing(
            u32::MAX - 1,
            u32::MAX,
            &[op(2, 0, 0), op(3, 0, 0), op(4, 0, 0)],
        ),
        drawing(1, 2, &[op_header(2, 0, 0xfff0), op(3, 0, 0)]),
        packet(5, 0, &[page(2, 3), be(&[7, 9])].concat()),
        packet(5, 0, &[page(2, 3), be(&[7])].concat()),
        packet(7, 0, &be(&[0])),
        packet(7, 0, &[be(&[1]), state(1, 0x200, 2)].concat()),
        packet(
            7,
            0,
            &[be(&[2]), state(1, 0x100, 1), state(2, 0, 0)].concat(),
        ),
        packet(7, 0, &[be(&[1]), state(1, 1, 1)].concat()),
        packet(7, 0, &[be(&[3]), state(1, 0, 0)].concat()),
    ];
    for kind in [6, 8, 0x80, 0xff] {
        v.push(packet(kind, 0, &[0; 20]));
    }
    for (kind, short) in [(0, 15), (1, 27), (2, 19), (3, 19), (5, 15), (7, 3)] {
        v.push(packet(kind, 0, &vec![0; short]));
    }
    for len in 0..12 {
        v.push(packet(4, 0, b"")[..len].to_vec());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, some from it, the first cut at
/// every length, then `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(PORT, &messages(), 0..3, 0, (0x4567_0000_0000_0001, n))
}
