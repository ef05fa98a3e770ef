//! `captures/dissect_radius.pcap`: RADIUS messages built byte by byte —
//! every code, an exchange with the attributes real clients send, length
//! fields under a header, between a header and the datagram and past it,
//! the datagram on each RADIUS port and between RADIUS's port and other
//! known ones, captures cut at every byte of the header — then damaged
//! copies from a seeded generator. `tests/dissect_apps.rs` compares
//! `sockscope read` with `tcpdump -n -r` on it (the default line only:
//! the `-v` text is not written yet).

use super::app_captures::{around_ports, capture as write, damaged, frames_of, udp, udp_cut};

pub const PORT: u16 = 1812;
pub const PORTS: [u16; 6] = [1645, 1646, 1700, 1812, 1813, 3799];

/// An attribute: type, length, value.
pub fn attr(t: u8, value: &[u8]) -> Vec<u8> {
    let mut a = vec![t, value.len() as u8 + 2];
    a.extend_from_slice(value);
    a
}

/// A message: code, identifier, length (`None`: the real one),
/// authenticator, attributes.
pub fn message(code: u8, id: u8, len: Option<u16>, attrs: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = attrs.concat();
    let len = len.unwrap_or(20 + body.len() as u16);
    let mut m = vec![code, id];
    m.extend_from_slice(&len.to_be_bytes());
    m.extend(0x10..0x20u8);
    m.extend_from_slice(&body);
    m
}

/// What radclient sends and freeradius answers.
fn exchange() -> Vec<Vec<u8>> {
    vec![
        message(
            1,
            0xbd,
            None,
            &[
                attr(1, b"bob"),
                attr(2, &[0x9c; 16]),
                attr(4, &[127, 0, 0, 1]),
                attr(5, &[0, 0, 0, 3]),
            ],
        ),
        message(3, 0xbd, None, &[]),
        message(
            4,
            0xe1,
            None,
            &[
                attr(1, b"bob"),
                attr(40, &[0, 0, 0, 1]),
                attr(44, b"abc123"),
                attr(55, &1_700_000_000u32.to_be_bytes()),
            ],
        ),
        message(5, 0xe1, None, &[]),
        message(12, 0xd1, None, &[attr(80, &[0x87; 16])]),
        message(
            2,
            0xd1,
            None,
            &[
                attr(18, b"welcome"),
                attr(26, &[0, 0, 0, 9, 1, 5, b'a', b'b', b'c']),
            ],
        ),
    ]
}

/// The hand-written messages: (from client to server?, port, message).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v: Vec<(bool, u16, Vec<u8>)> = exchange()
        .into_iter()
        .enumerate()
        .map(|(i, m)| (i % 2 == 0, PORT, m))
        .collect();
    let user = [attr(1, b"bob")];
    for code in (0..=50).chain([254, 255]) {
        v.push((true, PORT, message(code, code, None, &user)));
    }
    for len in [0, 4, 19, 20, 21, 25, 26, 100, 65535] {
        v.push((true, PORT, message(1, 7, Some(len), &user)));
    }
    let whole = message(1, 7, None, &user);
    for n in 0..whole.len() {
        v.push((true, PORT, whole[..n].to_vec()));
    }
    v
}

/// The capture: the hand-written messages, one on each RADIUS port and
/// between RADIUS's port and other known ones, cut captures, then
/// `damaged` damaged ones.
pub fn capture(damaged_count: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames = frames_of(&messages);
    let request = exchange().swap_remove(0);
    frames.extend(PORTS.iter().map(|&p| udp(true, 40000, p, &request)));
    let others = [53, 67, 69, 123, 514, 546, 5353, 1813];
    frames.extend(around_ports(&others, PORT, PORT, &request));
    frames.extend((0..request.len()).map(|n| udp_cut(true, 40000, PORT, &request, n)));
    frames.extend(damaged(0x4ad1_0bad_0000_0001, &messages, damaged_count));
    write(&frames)
}
