//! `captures/dissect_autorp.pcap`: Cisco auto-RP messages built by hand
//! on UDP port 496 (Debian has no auto-RP speaker): candidate
//! advertisements and mappings, other types and versions, hold times
//! from `FOREVER` to days, RPs of every PIM version with reserved bits,
//! group entries negative, bidir and with reserved bits, no RP and no
//! entry, counts past the datagram, datagrams under the 8-byte header;
//! each message cut at every length in a temporary capture; then seeded
//! damaged copies. `tests/dissect_autorp.rs` compares `sockscope read`
//! with `tcpdump -n -r` on both.

use super::app_captures::udp_port_capture;

pub const PORT: u16 = 496;

/// A group entry: flags (1 negative, 2 bidir), mask length, prefix.
pub fn entry(flags: u8, mask: u8, prefix: [u8; 4]) -> Vec<u8> {
    [vec![flags, mask, 0, 0][..2].to_vec(), prefix.to_vec()].concat()
}

/// An RP: its address, the PIM version byte, its entries.
pub fn rp(last: u8, version: u8, entries: &[Vec<u8>]) -> Vec<u8> {
    let mut r = vec![10, 0, 0, last, version, entries.len() as u8];
    r.extend(entries.concat());
    r
}

/// A message: version and type, the RP count, the hold time, reserved,
/// the RPs.
pub fn message(kind: u8, count: u8, hold: u16, rps: &[Vec<u8>]) -> Vec<u8> {
    let mut m = vec![kind, count];
    m.extend_from_slice(&hold.to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0]);
    m.extend(rps.concat());
    m
}

/// Every hand-built message, to port 496.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let groups = vec![
        entry(0, 4, [224, 0, 0, 0]),
        entry(1, 8, [239, 0, 0, 0]),
        entry(2, 24, [232, 1, 2, 0]),
        entry(3, 32, [233, 1, 2, 3]),
        entry(0xfc, 0, [0, 0, 0, 0]),
        entry(0xff, 255, [255, 255, 255, 255]),
    ];
    let two = vec![rp(1, 2, &groups), rp(2, 1, &groups[..1])];
    let mut v = vec![
        message(0x11, 1, 181, &[rp(1, 2, &groups)]),
        message(0x12, 2, 181, &two),
    ];
    for version in 0u8..8 {
        v.push(message(
            0x12,
            1,
            60,
            &[rp(3, version * 0x24 + version % 4, &groups[..2])],
        ));
    }
    for hold in [0u16, 1, 59, 3600, 65535] {
        v.push(message(0x11, 1, hold, &[rp(4, 3, &groups[..1])]));
    }
    for kind in [0x10u8, 0x13, 0x21, 0x22, 0, 0xff] {
        v.push(message(kind, 1, 30, &[rp(5, 2, &groups[..1])]));
    }
    v.push(message(0x12, 0, 30, &[]));
    v.push(message(0x12, 1, 30, &[rp(6, 2, &[])]));
    v.push(message(0x12, 3, 30, &two));
    let mut more = rp(7, 2, &groups[..2]);
    more[5] = 4;
    v.push(message(0x12, 1, 30, &[more]));
    v.push(message(
        0x12,
        1,
        30,
        &[rp(8, 2, &groups[..1]), vec![1, 2, 3]],
    ));
    for len in 0..8 {
        v.push(message(0x11, 1, 30, &[])[..len].to_vec());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, three from it, then `n`
/// damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(
        PORT,
        &messages(),
        0..3,
        usize::MAX,
        (0x0496_0000_0000_0001, n),
    )
}
