//! `captures/dissect_lwapp.pcap`: LWAPP datagrams built by hand (Debian
//! has no LWAPP controller or access point): control frames to UDP 12223
//! (the AP's MAC first) and from it (none), with every message type
//! tcpdump names and others, header lengths short of, equal to and past
//! the messages, every flag and radio id, versions other than 0; data
//! frames on 12222 with their 802.11 payload, lengths under the header's;
//! the first cut at every length; then seeded damaged copies.
//! `tests/dissect_lwapp.rs` compares `sockscope read` with `tcpdump -n -r`
//! on it.

use super::app_captures::udp_port_capture;

pub const CONTROL_PORT: u16 = 12223;
pub const DATA_PORT: u16 = 12222;

/// The transport header: version, radio id and flags in one byte,
/// fragment id, length, status.
pub fn header(first: u8, frag: u8, len: u16) -> Vec<u8> {
    let mut h = vec![first, frag];
    h.extend_from_slice(&len.to_be_bytes());
    h.extend_from_slice(&[0x00, 0x01]);
    h
}

/// A control message: type, sequence number, length, session id, body.
pub fn message(kind: u8, seq: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![kind, seq];
    m.extend_from_slice(&(body.len() as u16).to_be_bytes());
    m.extend_from_slice(&0xdead_beefu32.to_be_bytes());
    m.extend_from_slice(body);
    m
}

/// An AP's MAC, before the header of a frame to the control port.
const AP: [u8; 6] = [0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc];

/// A control frame of `messages` whose header says their length.
pub fn control(messages: &[Vec<u8>]) -> Vec<u8> {
    let body = messages.concat();
    [&header(0x0c, 0, body.len() as u16)[..], &body].concat()
}

/// Every hand-built datagram, each to or from its port.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut all: Vec<Vec<u8>> = [1u8, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 17, 22, 23]
        .iter()
        .chain(&[
            24u8, 25, 26, 27, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 0, 7, 41, 0xff,
        ])
        .map(|&k| message(k, k.wrapping_mul(3), &[k; 3]))
        .collect();
    let every = control(&all);
    all.truncate(3);
    let mut to_control = vec![every.clone(), control(&all), control(&[])];
    // Header lengths short of, past and inside the messages.
    for len in [4u16, 8, 10, 11, 12, 30, 0xffff] {
        to_control.push([&header(0x0c, 1, len)[..], &all.concat()].concat());
    }
    // Every flag, radio id and version.
    for first in [0x00u8, 0x01, 0x02, 0x03, 0x07, 0x38, 0x3f, 0x40, 0x80, 0xc4] {
        to_control.push([&header(first, 9, 11)[..], &message(22, 1, b"abc")].concat());
    }
    to_control.push([&header(0x0c, 0, 10)[..], &message(22, 1, &[0; 40])].concat());
    let mut v: Vec<(bool, u16, Vec<u8>)> = to_control
        .iter()
        .map(|c| (true, CONTROL_PORT, [&AP[..], c].concat()))
        .collect();
    // From the control port: no AP identity.
    for c in &to_control[..6] {
        v.push((false, CONTROL_PORT, c.clone()));
    }
    // Data frames: an 802.11 frame after the header, lengths under it,
    // past the datagram, other versions and flags.
    let wlan: Vec<u8> = (0u8..40).collect();
    for (first, len) in [
        (0x08u8, 46u16),
        (0x00, 6),
        (0x03, 5),
        (0x3f, 0),
        (0x40, 46),
        (0x08, 200),
    ] {
        v.push((
            true,
            DATA_PORT,
            [&header(first, 2, len)[..], &wlan].concat(),
        ));
    }
    v.push((false, DATA_PORT, [&header(0x08, 2, 46)[..], &wlan].concat()));
    for keep in 0..6 {
        v.push((true, DATA_PORT, header(0x08, 2, 46)[..keep].to_vec()));
        v.push((
            true,
            CONTROL_PORT,
            [&AP[..], &header(0x0c, 0, 0)[..keep]].concat(),
        ));
    }
    v
}

/// The capture: each message to or from its port, some control frames
/// again from the port, the first cut at every length, then `n` damaged
/// ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(
        CONTROL_PORT,
        &messages(),
        1..4,
        0,
        (0x2fbf_0000_0000_0001, n),
    )
}
