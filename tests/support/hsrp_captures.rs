//! `captures/dissect_hsrp.pcap`: HSRP messages built by hand on port 1985
//! (every opcode and state, unknown ones, the reserved byte set, longest
//! timers, authentication text with control bytes and without a NUL,
//! version 1 and an HSRPv2 TLV message), each cut at every length, then
//! seeded damaged copies. `tests/dissect_routing.rs` compares `sockscope
//! read` with `tcpdump -n -r` on it.

use super::app_captures::{Frame, capture as write, damaged, udp, udp_between, udp_cut};

pub const PORT: u16 = 1985;

/// A version 0 message.
fn hsrp(op: u8, state: u8, timers: [u8; 3], group: u8, reserved: u8, auth: &[u8; 8]) -> Vec<u8> {
    let mut m = vec![
        0, op, state, timers[0], timers[1], timers[2], group, reserved,
    ];
    m.extend_from_slice(auth);
    m.extend_from_slice(&[192, 0, 2, 254]);
    m
}

pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    const CISCO: &[u8; 8] = b"cisco\0\0\0";
    let mut v = Vec::new();
    for op in 0..4u8 {
        v.push(hsrp(op, 16, [3, 10, 100], 1, 0, CISCO));
    }
    for state in [0u8, 1, 2, 4, 8, 32, 255] {
        v.push(hsrp(0, state, [3, 10, 100], 1, 0, CISCO));
    }
    v.push(hsrp(0, 16, [3, 10, 100], 1, 7, CISCO));
    v.push(hsrp(0, 8, [100, 255, 0], 255, 0, b"ab\x01\xffcdef"));
    v.push(hsrp(0, 8, [0, 0, 255], 0, 0, b"abcdefgh"));
    let mut long = hsrp(1, 16, [3, 10, 100], 1, 0, CISCO);
    long.extend_from_slice(b"xx");
    v.push(long);
    let mut v1 = hsrp(0, 16, [3, 10, 100], 1, 0, CISCO);
    v1[0] = 1;
    v.push(v1);
    v.push(vec![
        2, 0, 6, 0x28, 2, 0, 0, 1, 0, 0, 0, 0x0a, 0, 0, 0, 0x64, 0, 0, 0, 0x0a, 0, 0, 0x0b, 0xb8,
    ]);
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message multicast from port 1985 to 224.0.0.2, one
/// to a unicast address from an ephemeral port, each cut at every length,
/// `n` damaged ones, then replies from port 1985 to an ephemeral port
/// (tcpdump decodes HSRP only on its way to 1985: plain UDP).
pub fn capture(n: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = messages
        .iter()
        .map(|(_, _, m)| udp_between(("192.0.2.1", PORT), ("224.0.0.2", PORT), m))
        .collect();
    if let Some((_, _, m)) = messages.first() {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, 40000, PORT, m, keep));
        }
    }
    frames.extend(damaged(0x4580_0000_0000_0001, &messages, n));
    for (_, _, m) in messages.iter().take(3) {
        frames.push(udp(false, 40000, PORT, m));
    }
    write(&frames)
}
