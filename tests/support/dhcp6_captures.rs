//! `captures/dissect_dhcp6.pcap`: DHCPv6 messages built byte by byte —
//! every message type, relay messages nested in relay messages, every
//! option code tcpdump names with values of the right and of wrong
//! lengths (DUIDs of each type, IA_NA/IA_TA/IA_PD with their addresses and
//! prefixes, authentication of each protocol, names with compression
//! pointers and odd labels, NTP server sub-options, lease queries), then
//! cuts and damaged copies from a seeded generator. `tests/dissect_apps.rs`
//! compares `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{
    CLIENT, Frame, SERVER, around_ports, capture as write, damaged, frames_of, udp_cut,
};
use super::frames::Above::Udp;

pub const CLIENT_PORT: u16 = 546;
pub const SERVER_PORT: u16 = 547;

const A: [u8; 16] = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

/// An option: code, length, value.
pub fn opt(code: u16, value: &[u8]) -> Vec<u8> {
    let mut o = code.to_be_bytes().to_vec();
    o.extend_from_slice(&(value.len() as u16).to_be_bytes());
    o.extend_from_slice(value);
    o
}

/// A client/server message: type, transaction id, options.
pub fn msg(kind: u8, xid: u32, options: &[Vec<u8>]) -> Vec<u8> {
    let mut m = vec![kind];
    m.extend_from_slice(&xid.to_be_bytes()[1..]);
    options.iter().for_each(|o| m.extend_from_slice(o));
    m
}

/// A relay message: type, hop count, link and peer address, options.
pub fn relay(kind: u8, hops: u8, peer: [u8; 16], options: &[Vec<u8>]) -> Vec<u8> {
    let mut m = vec![kind, hops];
    m.extend_from_slice(&[0; 16]);
    m.extend_from_slice(&peer);
    options.iter().for_each(|o| m.extend_from_slice(o));
    m
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_be_bytes()).collect()
}

/// The options of a real exchange.
fn everyday() -> Vec<Vec<u8>> {
    let duid_llt = cat(&[
        &[0, 1, 0, 1],
        &12345u32.to_be_bytes(),
        &[2, 0, 0, 0, 0, 0x0c],
    ]);
    let duid_en = cat(&[&[0, 2], &9u32.to_be_bytes(), b"abcd"]);
    let duid_ll = [0, 3, 0, 1, 2, 0, 0, 0, 0, 0x0c].to_vec();
    let iaaddr = opt(5, &cat(&[&A, &u32s(&[3600, 7200])]));
    let iana = opt(3, &cat(&[&u32s(&[1, 1800, 2880]), &iaaddr]));
    let prefix = opt(26, &cat(&[&u32s(&[100, 200]), &[56], &A]));
    vec![
        msg(
            1,
            0x123456,
            &[
                opt(1, &duid_llt),
                opt(8, &[0, 5]),
                iana.clone(),
                opt(6, &[0, 23, 0, 24, 0, 56, 0, 39]),
                opt(14, &[]),
                opt(20, &[]),
            ],
        ),
        msg(
            2,
            0x123456,
            &[
                opt(1, &duid_ll),
                opt(2, &duid_en),
                opt(7, &[255]),
                iana.clone(),
                opt(23, &cat(&[&A, &A])),
                opt(24, b"\x07example\x03com\x00"),
            ],
        ),
        msg(
            3,
            1,
            &[
                opt(1, &cat(&[&[0, 4], &[7; 16]])),
                opt(2, &duid_ll),
                opt(39, b"\x01\x04host\x07example\x00"),
                opt(25, &cat(&[&u32s(&[2, 0, 0]), &prefix])),
            ],
        ),
        msg(
            7,
            2,
            &[
                opt(13, b"\0\0all good"),
                opt(13, &[0, 2]),
                opt(
                    56,
                    &cat(&[&opt(1, &A), &opt(2, &A), &opt(3, b"\x03ntp\x00")]),
                ),
            ],
        ),
        relay(
            12,
            0,
            A,
            &[opt(18, b"eth0"), opt(9, &msg(1, 7, &[opt(8, &[0, 0])]))],
        ),
        relay(13, 1, A, &[opt(9, &msg(7, 7, &[opt(13, &[0, 0])]))]),
        relay(
            12,
            1,
            A,
            &[
                opt(9, &relay(12, 0, A, &[opt(9, &msg(1, 1, &[]))])),
                opt(37, b"\0\0\0\x01xy"),
            ],
        ),
    ]
}

/// Each option code with values of several lengths, and the odd cases of
/// the codes tcpdump decodes.
fn odd_options() -> Vec<Vec<u8>> {
    let e = opt(8, &[0, 1]);
    let mut v = Vec::new();
    let mut add = |xid: u32, o: Vec<u8>| v.push(msg(7, xid, &[o, e.clone()]));
    let counting: Vec<u8> = (1..=21).collect();
    for code in (1..=70).chain([82, 112, 143, 999]) {
        add(code, opt(code as u16, &counting));
        add(code, opt(code as u16, &[1, 2]));
        add(code, opt(code as u16, &[]));
    }
    for duid in [
        &[0u8][..],
        &[0, 1],
        &[0, 1, 0, 1, 0, 0, 0, 5],
        &[0, 1, 0, 1, 0, 0, 0, 5, 0xaa],
        &[0, 2, 0, 0, 0, 0, 0, 0, 0],
        &[0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x11],
        &[0, 3, 0],
        &[0, 3, 0, 1],
        &[0, 3, 0, 1, 0xab],
        &[0, 5],
    ] {
        add(1, opt(1, duid));
    }
    for proto in 1..=3u8 {
        for alg in 0..=2u8 {
            for rdm in 0..=1u8 {
                for extra in [
                    vec![],
                    vec![0; 17],
                    cat(&[&[1], &[0; 16]]),
                    cat(&[&[2], &[0x5a; 16]]),
                    cat(&[&[3], &[0; 16]]),
                    (0..20).collect(),
                    cat(&[b"ab", &[0x11; 20]]),
                    vec![0; 19],
                ] {
                    let head: Vec<u8> = [proto, alg, rdm].into_iter().chain(0..8).collect();
                    add(2, opt(11, &cat(&[&head, &extra])));
                }
            }
        }
    }
    for status in (0..=12).chain([255]) {
        add(3, opt(13, &[0, status, b'm', b's', b'g']));
    }
    add(3, opt(13, &[1]));
    add(
        4,
        opt(4, &cat(&[&u32s(&[5]), &opt(5, &cat(&[&A, &[0; 8]]))])),
    );
    add(
        4,
        opt(
            3,
            &cat(&[
                &u32s(&[1, 2, 3]),
                &opt(5, &cat(&[&A, &[0; 8], &opt(13, b"\0\0ok")])),
            ]),
        ),
    );
    add(
        4,
        opt(3, &cat(&[&u32s(&[1, 2, 3]), &opt(5, &cat(&[&A, &[0; 7]]))])),
    );
    add(4, opt(26, &cat(&[&u32s(&[1, 2]), &[129], &A])));
    add(4, opt(26, &cat(&[&u32s(&[1, 2]), &[64], &A, b"x"])));
    for n in [0, 1, 3, 4, 5, 8, 11, 12, 13, 16, 17, 18, 20, 24, 25] {
        for code in [3, 4, 5, 25, 26, 44, 47, 48, 56] {
            add(n, opt(code, &vec![1; n as usize]));
        }
    }
    for name in [
        &b"\x03foo\x00\x03bar\x00"[..],
        b"\x03foo\x00",
        b"\x03foo",
        b"\x00",
        b"\x00\x00",
        b"\x03foo\x03bar\x00\x01x\x00",
        b"\x03foo\x00\xc0\x00",
        b"\x03foo\xc0\x00",
        b"\x03foo\x00\x03bar\xc0\x04",
        b"\xc0\x04",
        b"\x03foo\x40\x00",
        b"\x03foo\x80\x00",
        b"\x41\x08\xff\x00",
        b"\x03a\x00b",
        b"\x01\x80\x00",
        b"\x02\x7f\xff\x00",
        b"\x03fo",
    ] {
        for code in [21, 24, 29, 64] {
            add(9, opt(code, name));
        }
        add(9, opt(56, &opt(3, name)));
    }
    for n in 0..8 {
        for code in [41, 42, 112] {
            add(n, opt(code, &b"ab\x00cdefg"[..n as usize]));
        }
    }
    for n in 0..12u8 {
        for code in [18, 37, 38, 47] {
            add(
                u32::from(n),
                opt(code, &(0x41..0x41 + n).collect::<Vec<u8>>()),
            );
        }
    }
    for t in [5u8, 6, 11, 1] {
        add(6, opt(19, &[t]));
    }
    for (xid, value) in [
        (7, cat(&[&opt(1, &A), &opt(2, &A)])),
        (7, cat(&[&opt(3, b"\x03foo\x00"), &[0]])),
        (7, opt(3, b"\x03foo\x00\x03")),
        (7, opt(4, b"x")),
        (7, opt(1, &A[..8])),
        (7, opt(1, &cat(&[&A, b"x"]))),
        (7, cat(&[&[0, 1, 0, 16], &A[..4]])),
        (7, cat(&[&opt(1, &A), &[0, 1, 0, 0]])),
        (7, cat(&[&opt(1, &A), &[0, 1, 0]])),
        (12, cat(&[&[1], &A, &opt(6, &[0, 23])])),
        (12, cat(&[&[2], &A])),
        (12, cat(&[&[5], &A])),
        (12, cat(&[&[1], &A, &[0]])),
    ] {
        let code = if xid == 7 { 56 } else { 44 };
        add(xid, opt(code, &value));
    }
    for value in [
        cat(&[&opt(5, &cat(&[&A, &[0; 8]])), &opt(1, &[0, 3, 0, 1, 0xaa])]),
        opt(46, &[0, 0, 0, 9]),
        opt(48, &A),
        vec![0],
    ] {
        add(13, opt(45, &value));
    }
    for value in [vec![0, 1, 0, 2], vec![0, 23], vec![0], vec![1, 2, 0, 6]] {
        add(15, opt(43, &value));
        add(15, opt(6, &value));
    }
    for n in 0..5 {
        add(16, opt(9, &msg(1, 1, &[])[..n]));
    }
    add(16, opt(9, &msg(1, 1, &[opt(8, &[0, 1])])[..7]));
    add(16, opt(9, &relay(12, 0, A, &[])[..20]));
    v
}

/// Headers alone, unknown types, and messages shorter than a header.
fn headers() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = (0..=40u8).map(|t| vec![t, 1, 2, 3]).collect();
    v.push(vec![255, 1, 2, 3]);
    for n in [0, 1, 2, 3, 5] {
        v.push([1u8, 2, 3, 4, 0][..n].to_vec());
    }
    for n in [1, 4, 17, 18, 20, 33, 34, 35, 37] {
        v.push(relay(12, 0, A, &[opt(8, &[0, 1])])[..n].to_vec());
    }
    v.push(msg(1, 17, &[]).into_iter().chain([0, 1, 0]).collect());
    v.push(
        msg(1, 17, &[])
            .into_iter()
            .chain([0, 1, 0, 5, 1, 2])
            .collect(),
    );
    v
}

/// The hand-written messages: (from client to server?, port, message).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = Vec::new();
    for (i, m) in everyday().into_iter().enumerate() {
        v.push((i % 2 == 0, SERVER_PORT, m));
    }
    for m in odd_options().into_iter().chain(headers()) {
        v.push((true, SERVER_PORT, m));
    }
    v
}

/// The everyday messages over IPv6 link-local multicast, as clients send.
fn ipv6_frames() -> Vec<Frame> {
    everyday()
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let bytes = if i % 2 == 0 {
                CLIENT.frame("fe80::1", "ff02::1:2", Udp(CLIENT_PORT, SERVER_PORT), m)
            } else {
                SERVER.frame("fe80::2", "fe80::1", Udp(SERVER_PORT, CLIENT_PORT), m)
            };
            Frame { bytes, snap: None }
        })
        .collect()
}

/// The first everyday messages cut by the snap length at every few bytes.
fn cut_frames() -> Vec<Frame> {
    let mut out = Vec::new();
    for m in everyday().iter().take(5) {
        for keep in (0..m.len()).step_by(3) {
            out.push(udp_cut(true, CLIENT_PORT, SERVER_PORT, m, keep));
        }
    }
    out
}

/// The capture: the hand-written messages, IPv6 ones, cut ones, one
/// solicit between DHCPv6's ports and other known ones, then `damaged`
/// damaged ones.
pub fn capture(damaged_count: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames = frames_of(&messages);
    frames.extend(ipv6_frames());
    frames.extend(cut_frames());
    let solicit = everyday().swap_remove(0);
    let others = [53, 67, 69, 123, 514, 1812, 5353];
    frames.extend(around_ports(&others, CLIENT_PORT, SERVER_PORT, &solicit));
    frames.extend(damaged(0xd6c9_0bad_0000_0001, &messages, damaged_count));
    write(&frames)
}
