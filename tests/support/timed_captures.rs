//! `captures/dissect_timed.pcap`: messages of BSD `timed`'s protocol (TSP)
//! built by hand on UDP port 525 (Debian ships no timed): every type
//! tcpdump names and two past its table, loop detection with its hop
//! count, the time-setting types with times at their edges (negative
//! seconds with and without microseconds, microseconds past a million,
//! negative ones), names with unprintable bytes, longer than 256 bytes,
//! empty and missing, lengths 0 to 12; the first cut at every length;
//! then seeded damaged copies. `tests/dissect_timed.rs` compares
//! `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::udp_port_capture;

pub const PORT: u16 = 525;

/// A message: type, version 1, sequence 7, seconds and microseconds (or
/// a hop count in the first byte), then `name`.
pub fn message(kind: u8, sec: i32, usec: i32, name: &[u8]) -> Vec<u8> {
    let mut m = vec![kind, 1, 0, 7];
    m.extend_from_slice(&sec.to_be_bytes());
    m.extend_from_slice(&usec.to_be_bytes());
    m.extend_from_slice(name);
    m
}

/// Every hand-built message, to port 525.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = vec![message(5, 100, 5, b"host\0")];
    for kind in 0u8..=26 {
        v.push(message(kind, 1, 2, b"timehost.example\0"));
    }
    v.push(message(24, 0x0500_0000, 0, b"looper\0"));
    for (sec, usec) in [
        (-1, 5),
        (-3, 999_999),
        (-1, 0),
        (5, -1),
        (5, 2_000_000),
        (-2, 2_000_000),
        (i32::MIN, 1),
        (i32::MAX, i32::MAX),
    ] {
        for kind in [1u8, 22] {
            v.push(message(kind, sec, usec, b"h\0"));
        }
    }
    v.push(message(23, -5, 1, b"h\0"));
    v.push(message(5, 0, 0, &[b'a'; 300]));
    v.push(message(5, 0, 0, b"ab\x01\x7f\xff\0cd"));
    v.push(message(5, 0, 0, b"\0"));
    v.push(message(5, 0, 0, b""));
    v.push(message(2, 0, 0, b"unterminated"));
    for len in 0..12 {
        v.push(message(5, 1, 2, b"")[..len].to_vec());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, some from it, one cut at
/// every length, then `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(PORT, &messages(), 1..4, 0, (0x0525_0000_0000_0001, n))
}
