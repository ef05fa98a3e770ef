//! `captures/dissect_tftp.pcap`: TFTP packets built by hand — read and
//! write requests with modes and options, data, acknowledgements, every
//! error code and unknown ones, option acknowledgements, unknown opcodes,
//! strings without their NUL, empty option strings, short packets, cuts by
//! the snap length (options and error texts at every byte), the
//! same request between TFTP's port and the ports around it in tcpdump's
//! order — then damaged copies. `tests/dissect_apps.rs` compares
//! `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{
    between_ports, capture as write, damaged, frames_of, owned, udp, udp_cut,
};

pub const PORT: u16 = 69;

/// The hand-written messages: (from the client?, port, message).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = owned(&[
        &b"\x00\x01file.txt\x00octet\x00"[..],
        b"\x00\x02up.bin\x00netascii\x00blksize\x001428\x00tsize\x000\x00",
        b"\x00\x03\x00\x01datadatadata",
        b"\x00\x04\x00\x01",
        b"\x00\x05\x00\x01File not found\x00",
        b"\x00\x06blksize\x001428\x00",
        b"\x00\x07",
        b"\x00\x00",
        b"\x00\x01file",
        b"\x00\x01file\x00oct",
        b"\x00\x03",
        b"\x00\x03\x00",
        b"\x00",
        b"\x00\x01\xe9\x01x\x00mail\x00",
        b"\x00\x01f\x00octet\x00extra",
        b"\x00\x05\x00\x01",
        b"\x00\x05\x00\x01m",
        b"\x00\x06",
        b"\x00\x06a\x00",
        b"\x00\x06a\x00b\x00c",
        b"\x00\x02f\x00octet\x00a\x00b\x00c",
        b"\x00\x01f\x00\x00",
        b"\x00\x04\x00\x01extra",
        b"\x00\x06a",
        b"\x00\x06\x00a\x00",
        b"\x00\x06a\x00\x00b\x00",
        b"\x00\x01f\x00octet\x00x\x00\x00y\x00",
    ]);
    for code in 0..12u8 {
        v.push([&[0, 5, 0, code][..], b"m\x00"].concat());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: the messages, an empty datagram, cuts, the request between
/// TFTP's port and the others, then `damaged` damaged ones.
pub fn capture(damaged_count: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames = frames_of(&messages);
    frames.push(udp(true, 40000, PORT, b""));
    if let Some((_, _, wrq)) = messages.get(1) {
        frames.extend([1, 2, 3, 5, 10, 20].map(|n| udp_cut(true, 40000, PORT, wrq, n)));
    }
    // Options and an error text cut at every byte: where tcpdump ends the
    // line, and where an empty text is still quoted.
    for cut in [
        &b"\x00\x06a\x00\x00b\x00"[..],
        b"\x00\x06blksize\x001428\x00",
        b"\x00\x01f\x00octet\x00x\x00\x00y\x00",
        b"\x00\x05\x00\x01Nope\x00",
    ] {
        frames.extend((0..cut.len()).map(|n| udp_cut(true, 40000, PORT, cut, n)));
    }
    if let Some((_, _, rrq)) = messages.first() {
        let pairs = [53, 5353, 67, 68, 123, 514].map(|other| (PORT, other));
        frames.extend(between_ports(&pairs, rrq));
    }
    frames.extend(damaged(0x7f7b_0000_0000_0001, &messages, damaged_count));
    write(&frames)
}
