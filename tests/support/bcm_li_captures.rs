//! `captures/dissect_bcm_li.pcap`: Broadcom's lawful-intercept shim on
//! UDP from port 49152, built by hand: every direction, packet type and
//! subtype tcpdump names and some it does not, each packet type carrying
//! what it says (an Ethernet frame, an IPv4 and an IPv6 datagram, IP of
//! either version behind "undecided", something else behind it), the
//! shim alone, shorter than the shim, datagrams to port 49152 (not the
//! shim: tcpdump takes it by the source port only), each intercepted
//! packet cut at every length, then seeded damaged copies.
//! `tests/dissect_routing.rs` compares `sockscope read` with `tcpdump -n
//! -r` on it.

use super::app_captures::{CLIENT, Frame, SERVER, capture as write, damaged, udp, udp_cut};
use super::frames::Above::{EchoRequest, Udp};

pub const PORT: u16 = 49152;

/// The shim word: direction, packet type, subtype and intercept id.
fn shim(direction: u32, pkt_type: u32, subtype: u32, li_id: u32) -> [u8; 4] {
    (direction << 29 | pkt_type << 25 | subtype << 22 | li_id).to_be_bytes()
}

/// An intercepted Ethernet frame: an IPv4 UDP datagram to DNS's port.
fn ether() -> Vec<u8> {
    CLIENT.frame(
        "10.1.0.1",
        "10.1.0.2",
        Udp(33000, 53),
        b"\x12\x34\x01\x00\x00\x00",
    )
}

/// An intercepted IPv4 datagram (the frame's IP part).
fn ipv4() -> Vec<u8> {
    ether()[14..].to_vec()
}

/// An intercepted IPv6 ICMPv6 echo request.
fn ipv6() -> Vec<u8> {
    SERVER.frame("2001:db8::1", "2001:db8::2", EchoRequest(7, 9), b"ping")[14..].to_vec()
}

/// Every hand-built shim (each sent from 49152 to BFD's multihop port,
/// as FRR's multihop sessions send theirs).
pub fn messages() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for direction in 0..8 {
        v.push(shim(direction, 5, 3, 792).to_vec());
    }
    for subtype in 0..8 {
        v.push([&shim(3, 7, subtype, 0x3f_ffff)[..], &ether()].concat());
    }
    for (kind, inner) in [
        (7, ether()),
        (5, ipv4()),
        (6, ipv6()),
        (4, ipv4()),
        (4, ipv6()),
    ] {
        v.push([&shim(2, kind, 3, 1), &inner[..]].concat());
    }
    // A type tcpdump names none of; IP said where it is not; "undecided"
    // before something that is not IP; the shim alone of each type.
    for kind in [0, 1, 3, 8, 15] {
        v.push([&shim(1, kind, 3, 5)[..], &ipv4()].concat());
    }
    v.push([&shim(1, 5, 3, 6)[..], &ipv6()].concat());
    v.push([&shim(1, 6, 3, 6)[..], &ipv4()].concat());
    v.push([&shim(1, 4, 3, 6)[..], b"\x20\x40\x03\x18"].concat());
    for kind in [4, 5, 6, 7] {
        v.push(shim(1, kind, 3, 7).to_vec());
    }
    v.push(vec![0x20, 0x40]);
    v.push(Vec::new());
    v
}

/// The capture: each message from 49152 to 4784, the first few to 49152
/// from 4784 (not the shim), each message with a packet behind it cut at
/// every length, then `n` damaged copies.
pub fn capture(n: usize) -> Vec<u8> {
    let all = messages();
    let mut frames: Vec<Frame> = all.iter().map(|m| udp(true, PORT, 4784, m)).collect();
    for m in all.iter().take(3) {
        frames.push(udp(false, PORT, 4784, m));
    }
    for m in all.iter().filter(|m| m.len() > 4) {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, PORT, 4784, m, keep));
        }
    }
    // The damaged copies go from 40000 to the port: turn them around.
    let seeds: Vec<(bool, u16, Vec<u8>)> = all.into_iter().map(|m| (false, PORT, m)).collect();
    frames.extend(damaged(0xbc11, &seeds, n));
    write(&frames)
}
