//! `captures/dissect_radius.pcap`: RADIUS messages built byte by byte —
//! every code, an exchange with the attributes real clients send, the
//! attributes a live exchange does not produce (vendor-specific ones,
//! EAP-Message, Message-Authenticator, tunnel attributes, accounting,
//! IPv6, ARAP, location objects), every attribute type with values of
//! several lengths, attribute lengths too short and too long, length
//! fields under a header, between a header and the datagram and past it,
//! the datagram on each RADIUS port and between RADIUS's port and other
//! known ones, captures cut at every byte of the header and of a message
//! rich in attributes — then damaged copies from a seeded generator.
//! `tests/dissect_apps.rs` compares `sockscope read` with `tcpdump -n -r`
//! on it at the default level, `-v` and `-vv`.

use super::app_captures::{around_ports, capture as write, damaged, frames_of, udp, udp_cut};

pub const PORT: u16 = 1812;
/// RADIUS's header: code, identifier, length, authenticator.
const HEADER: usize = 20;
pub const PORTS: [u16; 6] = [1645, 1646, 1700, 1812, 1813, 3799];

/// An attribute: type, length, value.
pub fn attr(t: u8, value: &[u8]) -> Vec<u8> {
    let mut a = vec![t, value.len() as u8 + 2];
    a.extend_from_slice(value);
    a
}

/// A message: code, identifier, length (`None`: the real one),
/// authenticator, attributes.
pub fn message(code: u8, id: u8, len: Option<u16>, attrs: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = attrs.concat();
    let len = len.unwrap_or(20 + body.len() as u16);
    let mut m = vec![code, id];
    m.extend_from_slice(&len.to_be_bytes());
    m.extend(0x10..0x20u8);
    m.extend_from_slice(&body);
    m
}

/// What radclient sends and freeradius answers.
fn exchange() -> Vec<Vec<u8>> {
    vec![
        message(
            1,
            0xbd,
            None,
            &[
                attr(1, b"bob"),
                attr(2, &[0x9c; 16]),
                attr(4, &[127, 0, 0, 1]),
                attr(5, &[0, 0, 0, 3]),
            ],
        ),
        message(3, 0xbd, None, &[]),
        message(
            4,
            0xe1,
            None,
            &[
                attr(1, b"bob"),
                attr(40, &[0, 0, 0, 1]),
                attr(44, b"abc123"),
                attr(55, &1_700_000_000u32.to_be_bytes()),
            ],
        ),
        message(5, 0xe1, None, &[]),
        message(12, 0xd1, None, &[attr(80, &[0x87; 16])]),
        message(
            2,
            0xd1,
            None,
            &[
                attr(18, b"welcome"),
                attr(26, &[0, 0, 0, 9, 1, 5, b'a', b'b', b'c']),
            ],
        ),
    ]
}

/// A vendor-specific attribute's value: the vendor, then sub-attributes.
fn vendor(id: u32, subs: &[Vec<u8>]) -> Vec<u8> {
    [id.to_be_bytes().to_vec(), subs.concat()].concat()
}

/// 64-bit NTP time: seconds since 1900 and a fraction.
fn ntp(secs: u32, frac: u32) -> Vec<u8> {
    [secs.to_be_bytes(), frac.to_be_bytes()].concat()
}

/// What 802.1X, tunnels, accounting and the rarer RFCs put in messages,
/// which radclient and freeradius's stock configuration do not send.
fn rich() -> Vec<Vec<u8>> {
    let u32v = |n: u32| n.to_be_bytes().to_vec();
    let eap_identity = b"\x02\x01\x00\x08\x01bob".to_vec();
    let mut v = vec![
        // 802.1X: EAP inside, Message-Authenticator, a VLAN by tunnel
        // attributes, vendor-specific ones (Microsoft's, Cisco's, and a
        // vendor tcpdump does not name).
        message(
            1,
            0x31,
            None,
            &[
                attr(1, b"steve"),
                attr(79, &eap_identity),
                attr(80, &[0x5a; 16]),
                attr(31, b"02-00-00-00-00-0c"),
                attr(61, &u32v(15)),
                attr(87, b"eth0"),
                attr(12, &u32v(1400)),
            ],
        ),
        message(
            11,
            0x31,
            None,
            &[
                attr(79, b"\x01\x02\x00\x06\x0d\x20"),
                attr(24, b"state-1\x00x"),
                attr(80, &[0xa5; 16]),
                attr(27, &u32v(30)),
            ],
        ),
        message(
            2,
            0x32,
            None,
            &[
                attr(64, &u32v(13)),
                attr(65, &u32v(6)),
                attr(81, b"\x00100"),
                attr(81, b"vlan7"),
                attr(79, b"\x03\x03\x00\x04"),
                attr(
                    26,
                    &vendor(311, &[attr(16, &[0x11; 8]), attr(17, &[0x22; 8])]),
                ),
                attr(26, &vendor(9, &[attr(1, b"shell:priv-lvl=15")])),
                attr(26, &vendor(99_999, &[attr(7, b"x")])),
                attr(26, &vendor(14_988, &[attr(1, b"a"), vec![2, 1]])),
                attr(26, &vendor(2636, &[vec![1, 40, b'z']])),
                attr(26, &[0, 0, 1]),
                attr(80, &[0; 16]),
            ],
        ),
        // Tunnels (RFC 2868) with tags.
        message(
            2,
            0x33,
            None,
            &[
                attr(64, &[1, 0, 0, 3]),
                attr(65, &[0x20, 0, 0, 1]),
                attr(66, b"\x01192.0.2.9"),
                attr(67, b"\x1fserver"),
                attr(69, b"\x01\x80\x01secret"),
                attr(69, b"\x40\x00\x02"),
                attr(82, b"\x02tunnel-a"),
                attr(83, &[3, 0, 0, 9]),
                attr(90, b"client"),
                attr(91, b"\x00server"),
                attr(56, &[0x31, 0, 0, 7]),
                attr(58, b"\x32blue"),
                attr(58, b"\x40red"),
            ],
        ),
        // Accounting: status, times, counters, causes.
        message(
            4,
            0x34,
            None,
            &[
                attr(40, &u32v(3)),
                attr(41, &u32v(5)),
                attr(42, &u32v(123_456)),
                attr(43, &u32v(654_321)),
                attr(44, b"4f2a0001"),
                attr(45, &u32v(1)),
                attr(46, &u32v(3725)),
                attr(47, &u32v(10)),
                attr(48, &u32v(11)),
                attr(49, &u32v(4)),
                attr(50, b"multi"),
                attr(51, &u32v(2)),
                attr(52, &u32v(0)),
                attr(53, &u32v(1)),
                attr(55, &u32v(1_700_000_000)),
                attr(85, &u32v(600)),
                attr(8, &[10, 0, 0, 7]),
                attr(8, &[255; 4]),
                attr(14, &[255, 255, 255, 254]),
                attr(23, &[255, 255, 255, 254]),
                attr(37, &u32v(0)),
                attr(38, &u32v(0)),
                attr(6, &u32v(2)),
                attr(7, &u32v(1)),
                attr(29, &u32v(1)),
                attr(15, &u32v(8)),
                attr(40, &u32v(99)),
            ],
        ),
        message(5, 0x34, None, &[]),
        // Dynamic authorization, IPv6, errors.
        message(
            40,
            0x35,
            None,
            &[
                attr(1, b"steve"),
                attr(
                    95,
                    &[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                ),
                attr(97, &[0, 64, 0x20, 1, 0x0d, 0xb8, 0, 1]),
                attr(97, &[0, 200, 0x20]),
                attr(123, &[0, 56, 0x20, 1, 0x0d, 0xb8]),
                attr(98, &[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]),
                attr(96, &[1, 2, 3, 4, 5, 6, 7, 8]),
            ],
        ),
        message(
            42,
            0x35,
            None,
            &[attr(101, &u32v(503)), attr(101, &u32v(999))],
        ),
        // ARAP, MIP6, location (RFC 5580), operator names.
        message(
            1,
            0x36,
            None,
            &[
                attr(70, &[0xab; 16]),
                attr(71, &[1, 6, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
                attr(84, &[0xcd; 8]),
                attr(124, &[0, 3, 0, 0x10, 0, 0, 0, 3]),
                attr(
                    125,
                    &[64, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                ),
                attr(126, b"1example.net"),
                attr(126, b"\x09?"),
                attr(
                    127,
                    &[
                        vec![0, 1, 1, 0],
                        ntp(3_913_056_000, 1 << 31),
                        ntp(0, 5),
                        b"GPS".to_vec(),
                    ]
                    .concat(),
                ),
                attr(128, &[vec![0, 1], (0u8..40).collect()].concat()),
                attr(
                    129,
                    &[vec![0x80, 0x01], ntp(3_913_056_000, 0), b"note".to_vec()].concat(),
                ),
                attr(129, &[vec![0, 0], ntp(0, 0)].concat()),
            ],
        ),
    ];
    // Attribute lengths under two and past the message.
    v.push(message(1, 0x37, None, &[attr(1, b"bob"), vec![4, 1, 127]]));
    v.push(message(
        1,
        0x37,
        None,
        &[attr(1, b"bob"), vec![5, 40, 0, 0]],
    ));
    v
}

/// Every attribute type with values of several lengths and kinds:
/// each type's printer, its length checks and its enumerations' ends.
fn every_type() -> Vec<Vec<u8>> {
    let values: [&[u8]; 8] = [
        b"",
        b"\x00abc",
        b"\x01\x00\x00\x07",
        b"\x00\x00\x00\x13",
        b"hello\x01\x7fz",
        &[0x20; 17],
        &[0x81; 18],
        b"\x00\x40\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01",
    ];
    (0..=255u8)
        .map(|t| {
            let attrs: Vec<Vec<u8>> = values.iter().map(|v| attr(t, v)).collect();
            message(1, t, None, &attrs)
        })
        .collect()
}

/// The hand-written messages: (from client to server?, port, message).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v: Vec<(bool, u16, Vec<u8>)> = exchange()
        .into_iter()
        .chain(rich())
        .enumerate()
        .map(|(i, m)| (i % 2 == 0, PORT, m))
        .collect();
    v.extend(every_type().into_iter().map(|m| (true, PORT, m)));
    let user = [attr(1, b"bob")];
    for code in (0..=50).chain([254, 255]) {
        v.push((true, PORT, message(code, code, None, &user)));
    }
    for len in [0, 4, 19, 20, 21, 25, 26, 100, 65535] {
        v.push((true, PORT, message(1, 7, Some(len), &user)));
    }
    let whole = message(1, 7, None, &user);
    for n in 0..whole.len() {
        v.push((true, PORT, whole[..n].to_vec()));
    }
    v
}

/// The capture: the hand-written messages, one on each RADIUS port and
/// between RADIUS's port and other known ones, cut captures, then
/// `damaged` damaged ones.
pub fn capture(damaged_count: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames = frames_of(&messages);
    let request = exchange().swap_remove(0);
    frames.extend(PORTS.iter().map(|&p| udp(true, 40000, p, &request)));
    let others = [53, 67, 69, 123, 514, 546, 5353, 1813];
    frames.extend(around_ports(&others, PORT, PORT, &request));
    frames.extend((0..request.len()).map(|n| udp_cut(true, 40000, PORT, &request, n)));
    // Cut at every byte of messages rich in attributes: where each value's
    // printer checks the capture, and where it stops the line.
    for m in rich().iter().take(5).chain(rich().get(8)) {
        frames.extend((HEADER..m.len()).map(|n| udp_cut(true, 40000, PORT, m, n)));
    }
    frames.extend(damaged(0x4ad1_0bad_0000_0001, &messages, damaged_count));
    write(&frames)
}
