//! `captures/dissect_ntp.pcap`: NTP messages built byte by byte — client
//! and server exchanges of every mode, version, leap indicator, stratum
//! class and poll range, timestamps across the era (1900, 1970, 2036, zero
//! seconds with a fraction), differences of both signs with borrows, key
//! ids and MACs of each length, extra bytes, control messages (flags,
//! counts that fit and that do not), messages shorter than their mode
//! needs (and such messages cut at every byte), and cuts at every field —
//! then damaged copies from a seeded generator. `tests/dissect_apps.rs`
//! compares `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{Frame, around_ports, capture as write, damaged, frames_of, udp_cut};

pub const PORT: u16 = 123;
const T: u64 = 3_913_056_000 << 32 | 0x8000_0000;

/// A time message: LI/VN/mode byte, stratum, poll, precision, root delay,
/// root dispersion, reference id, then the four timestamps.
#[allow(clippy::too_many_arguments)]
pub fn time(
    b0: u8,
    stratum: u8,
    poll: i8,
    precision: i8,
    delay: u32,
    dispersion: u32,
    refid: [u8; 4],
    stamps: [u64; 4],
) -> Vec<u8> {
    let mut m = vec![b0, stratum, poll as u8, precision as u8];
    m.extend_from_slice(&delay.to_be_bytes());
    m.extend_from_slice(&dispersion.to_be_bytes());
    m.extend_from_slice(&refid);
    for s in stamps {
        m.extend_from_slice(&s.to_be_bytes());
    }
    m
}

/// A mode 6 control message: LI/VN/mode, R/E/M/opcode, sequence, status,
/// association id, offset, count, data.
pub fn control(b0: u8, b1: u8, words: [u16; 5], data: &[u8]) -> Vec<u8> {
    let mut m = vec![b0, b1];
    for w in words {
        m.extend_from_slice(&w.to_be_bytes());
    }
    m.extend_from_slice(data);
    m
}

fn with(mut m: Vec<u8>, extra: &[u8]) -> Vec<u8> {
    m.extend_from_slice(extra);
    m
}

/// The hand-written messages: (from client to server?, port, message).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = Vec::new();
    let mut add = |to_server, m| v.push((to_server, PORT, m));
    let server = [T - 5, T, T + 1, T + 2];
    add(true, time(0x23, 0, 0, 0, 0, 0, [0; 4], [0, 0, 0, T]));
    add(
        false,
        time(0x24, 2, 6, -20, 0x1234, 0x5678, [127, 0, 0, 1], server),
    );
    add(
        false,
        time(0x24, 1, 6, -20, 0x1_1234, 0x2_5678, *b"GPS\0", server),
    );
    add(
        false,
        time(0x24, 1, 6, -20, 0, 0, [0x01, 0x1f, 0x7f, 0xff], server),
    );
    add(
        false,
        time(0x24, 1, 6, -20, 0, 0, [0x80, 0x81, 0x20, 0x7e], server),
    );
    add(false, time(0xe1, 16, 17, -30, 0, 0, *b"INIT", [0; 4]));
    // Every mode at version 3, leap +1s; odd fixed-point values and
    // differences of both signs.
    let odd = [1 << 32, T, T - (1 << 32) + 3, T + (5 << 32) - 7];
    for mode in 0..8 {
        add(
            true,
            time(
                0x58 | mode,
                3,
                -3,
                -6,
                u32::MAX,
                0x8000_8000,
                [127, 0, 0, 1],
                odd,
            ),
        );
    }
    // Stratum classes and the reference id each shows; leap -1s.
    let near = [
        u64::from(u32::MAX) << 32,
        100 << 32 | 5,
        99 << 32 | 7,
        100 << 32 | 5,
    ];
    for stratum in [0, 1, 2, 15, 16, 17, 255] {
        add(true, time(0x9c, stratum, 40, 127, 0, 0, *b"INIT", near));
    }
    // Versions 0–7; 1970 and the era's edges.
    let era = [2_208_988_800 << 32, 2_208_988_799 << 32, u64::MAX, 1 << 32];
    for vn in [0u8, 1, 2, 3, 5, 7] {
        add(
            true,
            time(vn << 3 | 4, 2, -128, -128, 0, 0, [192, 168, 1, 2], era),
        );
    }
    // Zero seconds with a fraction: no date.
    add(
        true,
        time(
            0x23,
            0,
            0,
            0,
            0,
            0,
            [0; 4],
            [0x8000_0000, 1, 1 << 32, 0xffff_ffff],
        ),
    );
    // Poll intervals in and out of tcpdump's range.
    for poll in [
        -1, -2, -7, -20, -29, -30, -31, -32, -40, 7, 16, 30, 31, 32, 33, 64,
    ] {
        add(true, time(0x23, 0, poll, 0, 0, 0, [0; 4], [5, 0, 0, T]));
    }
    // After the header: key id alone, key id and MD5 or SHA-1 MAC, other
    // lengths.
    let base = time(0x24, 2, 6, -20, 0, 0, [0x80, 0x81, 0x20, 0x7e], server);
    let key_and = |id: u8, mac: &[u8]| with(with(base.clone(), &[0, 0, 0, id]), mac);
    for m in [
        key_and(1, &[]),
        key_and(2, &[0x11; 16]),
        key_and(3, &[0x22; 20]),
        key_and(4, &[0x33; 24]),
        key_and(5, &[0x44; 32]),
        with(base.clone(), &[0; 16]),
        with(base.clone(), b"x"),
        with(
            with(base.clone(), &[1, 2, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0]),
            &[0, 0, 0, 5],
        ),
    ] {
        add(false, m);
    }
    // Shorter than the mode needs: (invalid); mode 7 prints nothing more.
    for n in [1, 2, 4, 12, 30, 47] {
        add(false, base.get(..n).unwrap_or(&[]).to_vec());
    }
    add(
        true,
        time(0x27, 0, 0, 0, 0, 0, [0; 4], [0; 4]).split_off(28),
    );
    add(true, vec![0x27]);
    add(true, vec![0x20; 20]);
    // Control messages: each flag, counts that fit, overrun and are zero.
    let words = |count| [7, 1, 2, 3, count];
    for m in [
        control(0x16, 0x01, [1, 0, 0, 0, 0], &[]),
        control(0x16, 0x82, [1, 0, 0, 0, 4], b"abcd"),
        control(0x16, 0xe1, [7, 0x0615, 1, 0, 0], &[]),
        control(0x16, 0x5f, words(4), b"a=1,"),
        control(0x16, 0x02, words(8), b"a=1,"),
        control(0x16, 0x02, words(2), b"a=1,"),
        control(0x16, 0x02, words(0), b"a=1,"),
        control(0xd6, 0x02, words(4), b"a=1,b"),
        control(0x1e, 0x02, [7, 0xffff, 0xffff, 0x8000, 0x8000], &[0; 36]),
        control(0x16, 0x02, words(4), &[]),
    ] {
        add(true, m);
    }
    for n in [1, 2, 3, 5, 11] {
        add(
            true,
            control(0x16, 0x82, words(4), b"a=1,")
                .split_off(0)
                .get(..n)
                .unwrap_or(&[])
                .to_vec(),
        );
    }
    v
}

/// Time and control messages cut by the snap length at each field.
fn cut_frames() -> Vec<Frame> {
    let server = [T - 5, T, T + 1, T + 2];
    let base = with(
        with(
            time(0x24, 1, 6, -20, 0, 0, [0x80, 0x81, 0x20, 0x7e], server),
            &[0, 0, 0, 2],
        ),
        &[0x22; 20],
    );
    let mut out: Vec<Frame> = [
        0, 1, 2, 3, 4, 8, 11, 12, 14, 16, 24, 32, 40, 47, 48, 50, 52, 60, 71,
    ]
    .iter()
    .map(|&n| udp_cut(false, 40000, PORT, &base, n))
    .collect();
    let c = control(0x16, 0x82, [7, 1, 2, 3, 4], b"a=1,");
    for n in [1, 2, 3, 5, 7, 9, 11, 12, 13, 14] {
        out.push(udp_cut(true, 40000, PORT, &c, n));
    }
    let bare = time(0x23, 0, 0, 0, 0, 0, [0; 4], [0; 4]);
    out.push(udp_cut(true, 40000, PORT, &bare, 20));
    // Messages shorter than their mode needs, and a control message whose
    // count the datagram cannot hold, cut at every byte: `(invalid)`, then
    // the capture's cut.
    let short_time = bare.get(..20).unwrap_or(&bare).to_vec();
    let short_control = [0x16, 0x82, 0, 1, 0, 0, 0, 0, 0, 0, 0x80, 0, 1, 2].to_vec();
    for m in [short_time, short_control] {
        out.extend((0..m.len()).map(|n| udp_cut(true, 40000, PORT, &m, n)));
    }
    out
}

/// The capture: the hand-written messages, the cut ones, the same NTP
/// client message between NTP's port and other known ports, then
/// `damaged` damaged ones.
pub fn capture(damaged_count: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames = frames_of(&messages);
    frames.extend(cut_frames());
    let client = time(0x23, 0, 0, 0, 0, 0, [0; 4], [0, 0, 0, T]);
    frames.extend(around_ports(
        &[53, 514, 547, 1812, 5353],
        PORT,
        PORT,
        &client,
    ));
    frames.extend(damaged(0x0123_0000_0000_0001, &messages, damaged_count));
    write(&frames)
}
