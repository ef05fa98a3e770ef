//! `captures/dissect_vat.pcap`: vat and vt headers built by hand on UDP
//! port 3456 (the MBone tools are long gone from Debian): vt words with
//! each of its bits, vat headers with the marker, format and sample
//! fields at their edges and a payload after them, datagrams of 0 to 7
//! bytes, datagrams from the port (plain UDP for tcpdump); the first cut at
//! every length; then seeded damaged copies. `tests/dissect_vat.rs`
//! compares `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::udp_port_capture;

pub use sockscope::dissect::vat::PORT;

/// A vat header: flags, format and conference in the first word, then the
/// timestamp, then `payload`.
pub fn vat(first: u32, timestamp: u32, payload: &[u8]) -> Vec<u8> {
    [&first.to_be_bytes()[..], &timestamp.to_be_bytes(), payload].concat()
}

/// Every hand-built message, to port 3456.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = vec![vat(0x0000_0005, 9, b"")];
    for bit in 0..16 {
        let word = 1u16 << bit;
        v.push([&word.to_be_bytes()[..], &[0x5a; 6]].concat());
    }
    v.push([&0xffffu16.to_be_bytes()[..], b"vt payload"].concat());
    for first in [
        0x0080_0001u32,
        0x001f_0002,
        0x3f00_0003,
        0x3f9f_ffff & !0xf060_0000,
        0x0100_0000,
        0x8000_0004,
        0x0000_0000,
    ] {
        v.push(vat(first, 0xdead_beef, b"audio bytes"));
    }
    v.push(vat(0x0005_1234, u32::MAX, &[0x11; 40]));
    for len in 0..8 {
        v.push(vat(0x0000_0005, 9, b"")[..len].to_vec());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, some from it, one cut at
/// every length, then `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(PORT, &messages(), 0..3, 20, (0x3456_0000_0000_0001, n))
}
