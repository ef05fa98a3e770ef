//! `captures/dissect_someip.pcap`: SOME/IP headers built by hand on UDP
//! port 30490 (no SOME/IP stack in Debian): every message type tcpdump
//! names and unknown ones, every return code it names and ones past its
//! table, methods and events, fields at their extremes, a payload after the
//! header, datagrams shorter than the header, replies from the port; the
//! first cut at every length; then seeded damaged copies.
//! `tests/dissect_services.rs` compares `sockscope read` with `tcpdump -n
//! -r` on it.

use super::app_captures::{Frame, capture as write, damaged, frames_of, udp, udp_cut};

pub const PORT: u16 = 30490;

/// A header: service, method or event id (its top bit the event flag),
/// length, client, session, protocol and interface versions, type, code.
pub fn header(
    service: u16,
    method: u16,
    len: u32,
    request: u32,
    vers: [u8; 2],
    kind: u8,
    code: u8,
) -> Vec<u8> {
    let mut m = Vec::with_capacity(16);
    m.extend_from_slice(&service.to_be_bytes());
    m.extend_from_slice(&method.to_be_bytes());
    m.extend_from_slice(&len.to_be_bytes());
    m.extend_from_slice(&request.to_be_bytes());
    m.extend_from_slice(&[vers[0], vers[1], kind, code]);
    m
}

/// Every hand-built message, to port 30490.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = Vec::new();
    for kind in [
        0u8, 1, 2, 0x80, 0x81, 0x20, 0x21, 0x22, 0xa0, 0xa1, 0x03, 0x40, 0xff,
    ] {
        v.push(header(0x1234, 0x0001, 8, 0x0001_0002, [1, 1], kind, 0));
    }
    for code in (0u8..=0x10).chain([0x3f, 0x5e, 0xff]) {
        v.push(header(0x1234, 0x0421, 8, 0x0001_0003, [1, 2], 0x80, code));
    }
    v.push(header(0x1234, 0x8001, 8, 0, [1, 1], 2, 0));
    v.push(header(
        0xffff,
        0xffff,
        u32::MAX,
        u32::MAX,
        [0xff, 0xff],
        0xff,
        0xff,
    ));
    v.push(header(0, 0, 0, 0, [0, 0], 0, 0));
    let mut payload = header(0xfffe, 0x8100, 12, 0x00ff_0001, [1, 0], 2, 0);
    payload.extend_from_slice(b"\x01\x02\x03\x04data");
    v.push(payload);
    for len in 0..16 {
        v.push(header(0x1234, 1, 8, 1, [1, 1], 0, 0)[..len].to_vec());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, a few from it, the first cut at
/// every length, then `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = frames_of(&messages);
    for (_, _, m) in messages.iter().take(3) {
        frames.push(udp(false, 40000, PORT, m));
    }
    if let Some((_, _, m)) = messages.first() {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, 40000, PORT, m, keep));
        }
    }
    frames.extend(damaged(0x5043_0000_0000_0001, &messages, n));
    write(&frames)
}
