//! `captures/dissect_kip.pcap`: AppleTalk in UDP built by hand (Debian has
//! no KIP gateway or netatalk over UDP): a LAP header (type 2, long DDP)
//! before each DDP packet of `ipx_atalk_captures` (NBP, ATP, RTMP, AEP,
//! ZIP, EIGRP, the short ones) to and from the ends of tcpdump's two
//! AppleTalk port ranges, datagrams just outside them and with another
//! LAP type (plain UDP for tcpdump), LAP headers alone and cut; the first
//! cut at every length; then seeded damaged copies.
//! `tests/dissect_kip.rs` compares `sockscope read` with `tcpdump -n -r`
//! on it.

use super::app_captures::udp_port_capture;
use super::ipx_atalk_captures::ddp_messages;

/// The first of tcpdump's AppleTalk ports (200-327, 768-895, 16512-16639).
pub const PORT: u16 = 200;

/// A LAP header from node 2 to node 1 of `kind`, then `ddp`.
pub fn lap(kind: u8, ddp: &[u8]) -> Vec<u8> {
    [&[1, 2, kind][..], ddp].concat()
}

/// An NBP lookup in a long DDP header after its LAP header.
pub fn lookup() -> Vec<u8> {
    lap(2, &ddp_messages()[0])
}

/// Every hand-built message, each with the port it goes to.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v: Vec<(bool, u16, Vec<u8>)> = ddp_messages()
        .iter()
        .map(|m| (true, PORT, lap(2, m)))
        .collect();
    for port in [
        201, 259, 260, 319, 320, 327, 328, 199, 767, 768, 895, 896, 16511, 16512, 16639, 16640,
    ] {
        v.push((true, port, lookup()));
    }
    for kind in [0, 1, 3, 0xff] {
        v.push((true, PORT, lap(kind, &ddp_messages()[0])));
    }
    for len in 0..16 {
        v.push((true, PORT, lookup()[..len].to_vec()));
    }
    v
}

/// The capture: each message to its port, some from the port, the first
/// cut at every length, then `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(PORT, &messages(), 0..12, 0, (0x0200_0000_0000_0001, n))
}
