//! `captures/dissect_egp.pcap`, `dissect_igrp.pcap` and
//! `dissect_eigrp.pcap`: EGP (IP protocol 8), IGRP (9) and EIGRP (88)
//! messages built byte by byte — EGP's acquisition, reachability, poll,
//! update (gateways, distances and networks of every class) and error
//! messages with unknown codes and statuses; IGRP updates and requests
//! whose counts agree with their routes, fall short of them or exceed
//! them; EIGRP's opcodes and flags with every TLV tcpdump names (and
//! unknown ones, short ones, lengths past the message, prefixes past the
//! TLV) — each cut at every length, then seeded damaged copies, and a
//! few of each over IPv6. `tests/dissect_routing.rs` compares `sockscope
//! read` with `tcpdump -n -r` on them.

use super::control_captures::{cut_often, ipv4};
use super::frames::{MAC_A, ipv6_packet};

/// Ethernet, IPv4 and the protocol's first byte.
const HEADERS: usize = 34;

/// EGP's fixed part: type, code, status, AS 65001, sequence `seq`, the
/// two-byte field after it and the four-byte one after that.
fn egp(kind: u8, code: u8, status: u8, seq: u16, mid: [u8; 2], last: [u8; 4]) -> Vec<u8> {
    let mut m = vec![2, kind, code, status, 0, 0, 0xfd, 0xe9];
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(&mid);
    m.extend_from_slice(&last);
    m
}

/// An EGP update from the network `net` with `int` interior and `ext`
/// exterior gateways, whose lists (host part, distances, networks)
/// follow as `lists`.
fn egp_update(status: u8, net: [u8; 4], int: u8, ext: u8, lists: &[u8]) -> Vec<u8> {
    let mut m = egp(1, 0, status, 9, [int, ext], net);
    m.extend_from_slice(lists);
    m
}

pub fn egp_messages() -> Vec<Vec<u8>> {
    let hello_poll = [0, 30];
    let poll = [0, 120, 0, 0];
    let mut v = Vec::new();
    for (code, status) in [(0, 1), (1, 2), (0, 0), (0, 5), (1, 200)] {
        v.push(egp(3, code, status, 1, hello_poll, poll));
    }
    for (code, status) in [
        (2, 3),
        (3, 5),
        (4, 0),
        (2, 4),
        (3, 6),
        (4, 7),
        (2, 1),
        (3, 9),
    ] {
        v.push(egp(3, code, status, 2, [0; 2], [0; 4]));
    }
    v.push(egp(3, 7, 0, 2, [0; 2], [0; 4]));
    for (code, status) in [(0, 1), (1, 2), (0, 0), (1, 3), (2, 1)] {
        v.push(egp(5, code, status, 3, [0; 2], [0; 4]));
    }
    v.push(egp(2, 0, 1, 4, [0; 2], [10, 0, 0, 0]));
    v.push(egp(2, 0, 8, 4, [0; 2], [192, 0, 2, 0]));
    // Class A, B, C and D sources as tcpdump's little-endian test sees
    // them (by the last byte), each gateway with distances whose networks
    // are of each class (one, two and three bytes).
    v.push(egp_update(
        1,
        [10, 0, 0, 0],
        1,
        1,
        &[
            0, 0, 1, 2, 0, 1, 10, 3, 2, 128, 5, 192, 0, 2, // interior
            0, 0, 2, 1, 4, 1, 44, // exterior
        ],
    ));
    v.push(egp_update(
        0x81,
        [172, 16, 5, 130],
        1,
        0,
        &[0, 9, 2, 1, 2, 172, 16, 11, 5, 2, 1, 192, 168, 1],
    ));
    v.push(egp_update(2, [192, 0, 2, 200], 0, 1, &[7, 1, 1, 1, 99]));
    v.push(egp_update(1, [10, 1, 2, 240], 1, 0, &[1, 6, 1, 224, 1, 2]));
    v.push(egp_update(9, [10, 0, 0, 0], 0, 0, &[]));
    // Counts past the message: the declared length runs out first.
    v.push(egp_update(1, [10, 0, 0, 0], 2, 0, &[0, 0, 1, 1, 3, 1]));
    v.push(egp_update(1, [10, 0, 0, 0], 1, 0, &[0, 0, 1, 1, 2, 10]));
    v.push(egp_update(1, [10, 0, 0, 0], 1, 0, &[0, 0]));
    v.push(egp_update(1, [10, 0, 0, 0], 1, 0, &[0, 0, 1, 2]));
    for (status, reason) in [(1u8, 5u16), (0, 0), (2, 6), (4, 1), (1, 9)] {
        v.push(egp(8, 0, status, 5, reason.to_be_bytes(), [0; 4]));
    }
    v.push(egp(9, 0, 0, 6, [0; 2], [0; 4]));
    let mut old = egp(3, 0, 1, 7, hello_poll, poll);
    old[0] = 3;
    v.push(old);
    v.push(egp(3, 0, 1, 7, hello_poll, poll)[..15].to_vec());
    v
}

/// An IGRP route: network bytes, delay, bandwidth, MTU, reliability,
/// load, hop count.
fn igrp_route(net: [u8; 3], delay: u32, bw: u32, mtu: u16, rel_load_hops: [u8; 3]) -> Vec<u8> {
    let mut r = net.to_vec();
    r.extend_from_slice(&delay.to_be_bytes()[1..]);
    r.extend_from_slice(&bw.to_be_bytes()[1..]);
    r.extend_from_slice(&mtu.to_be_bytes());
    r.extend_from_slice(&rel_load_hops);
    r
}

fn igrp(vop: u8, counts: [u16; 3], routes: &[Vec<u8>]) -> Vec<u8> {
    let mut m = vec![vop, 42, 0, 100];
    for c in counts {
        m.extend_from_slice(&c.to_be_bytes());
    }
    m.extend_from_slice(&[0xbe, 0xef]);
    m.extend(routes.concat());
    m
}

pub fn igrp_messages() -> Vec<Vec<u8>> {
    let a = igrp_route([1, 2, 3], 2000, 1544, 1500, [255, 1, 0]);
    let b = igrp_route([10, 0, 0], 0xff_ffff, 0xff_fff0, 1500, [200, 20, 3]);
    let c = igrp_route([192, 0, 2], 100, 0, 4470, [1, 255, 255]);
    let mut v = vec![
        igrp(0x11, [1, 1, 1], &[a.clone(), b.clone(), c.clone()]),
        igrp(0x12, [0, 0, 0], &[]),
        igrp(0x11, [2, 0, 0], std::slice::from_ref(&a)),
        igrp(0x11, [0, 1, 0], &[a.clone(), b.clone()]),
        igrp(0x11, [0, 0, 3], &[c.clone(), a.clone(), b.clone()]),
        igrp(0x37, [0, 0, 0], std::slice::from_ref(&c)),
    ];
    let mut tail = igrp(0x11, [1, 0, 0], std::slice::from_ref(&a));
    tail.extend_from_slice(&[1, 2, 3, 4, 5]);
    v.push(tail);
    v
}

fn tlv(kind: u16, value: &[u8]) -> Vec<u8> {
    let mut t = kind.to_be_bytes().to_vec();
    t.extend_from_slice(&((value.len() + 4) as u16).to_be_bytes());
    t.extend_from_slice(value);
    t
}

fn eigrp(opcode: u8, flags: u32, tlvs: &[Vec<u8>]) -> Vec<u8> {
    let mut m = vec![2, opcode, 0x5a, 0x3c];
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 7, 0, 0, 0, 6, 0, 0, 0, 100]);
    m.extend(tlvs.concat());
    m
}

/// The vector metric: delay, bandwidth, MTU, hops, reliability, load and
/// the reserved bytes.
fn metric() -> Vec<u8> {
    [
        &25_600u32.to_be_bytes()[..],
        &256_000u32.to_be_bytes(),
        &[0, 5, 0xdc, 1, 255, 1, 0, 0],
    ]
    .concat()
}

fn ip_internal(hop: [u8; 4], prefix: &[u8]) -> Vec<u8> {
    tlv(0x0102, &[&hop[..], &metric(), prefix].concat())
}

fn ip_external(hop: [u8; 4], proto: u8, prefix: &[u8]) -> Vec<u8> {
    let origin = [
        &[192, 0, 2, 9][..],
        &65000u32.to_be_bytes(),
        &0xdead_beefu32.to_be_bytes(),
        &20u32.to_be_bytes(),
        &[0, 0, proto, 0x03],
    ]
    .concat();
    tlv(0x0103, &[&hop[..], &origin, &metric(), prefix].concat())
}

pub fn eigrp_messages() -> Vec<Vec<u8>> {
    let params = tlv(1, &[1, 0, 1, 0, 0, 0, 0, 15]);
    let version = tlv(4, &[12, 4, 1, 2]);
    let auth = tlv(
        2,
        &[0, 2, 0, 16, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4],
    );
    vec![
        eigrp(5, 0, &[params.clone(), version.clone()]),
        eigrp(5, 1, &[auth, params.clone(), version.clone()]),
        eigrp(
            1,
            3,
            &[
                ip_internal([0; 4], &[24, 192, 0, 2]),
                ip_internal([10, 0, 0, 2], &[8, 10]),
                ip_internal([0; 4], &[32, 198, 51, 100, 7]),
                ip_internal([0; 4], &[0]),
                ip_internal([0; 4], &[33, 1, 2, 3, 4, 5]),
            ],
        ),
        eigrp(
            1,
            0x0c,
            &[
                ip_external([0; 4], 6, &[16, 172, 16]),
                ip_external([10, 0, 0, 3], 0x20, &[27, 203, 0, 113, 224]),
            ],
        ),
        eigrp(3, 0, &[ip_internal([0; 4], &[24, 192, 0, 2])]),
        eigrp(4, 0, &[ip_external([0; 4], 11, &[24, 192, 0, 2])]),
        eigrp(
            5,
            0x10,
            &[
                tlv(3, &[4, 10, 0, 0, 2]),
                tlv(5, &[0, 0, 0, 9]),
                tlv(7, &[0, 0, 0, 1]),
            ],
        ),
        eigrp(
            1,
            0,
            &[
                tlv(0x0204, &[0, 10, 0, 20, 0, 0, 1, 1]),
                tlv(
                    0x0202,
                    &[&[0, 10, 0, 5][..], &metric(), &[0, 10, 0, 20]].concat(),
                ),
                tlv(
                    0x0203,
                    &[
                        &[0, 0, 0, 0][..],
                        &[0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 2, 1, 0, 3],
                        &metric(),
                        &[0, 30, 0, 40],
                    ]
                    .concat(),
                ),
                tlv(0x0302, &[1, 2, 3]),
            ],
        ),
        eigrp(6, 0, &[]),
        eigrp(7, 0, &[]),
        eigrp(10, 0, &[tlv(1, &[1, 0, 1, 0])]),
        eigrp(11, 0, &[tlv(4, &[1])]),
        eigrp(1, 0, &[tlv(0x0102, &[0; 20]), tlv(0x0103, &[0; 30])]),
        // A TLV shorter than its header, one longer than the message.
        eigrp(5, 0, &[params.clone(), vec![0, 1, 0, 2, 9, 9]]),
        eigrp(5, 0, &[vec![0, 4, 0, 40, 1, 2, 3, 4]]),
        // The last prefix byte past its TLV, then past the message.
        eigrp(1, 0, &[ip_internal([0; 4], &[32, 10]), version.clone()]),
        eigrp(1, 0, &[ip_internal([0; 4], &[32, 10])]),
        {
            let mut m = eigrp(5, 0, &[params]);
            m[0] = 1;
            m
        },
        eigrp(5, 0, &[version])[..19].to_vec(),
    ]
}

/// IPv6 frames of each protocol, from a link-local router to `dst`.
fn v6_frames() -> Vec<Vec<u8>> {
    let src = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    let mut dst = [0u8; 16];
    dst[..2].copy_from_slice(&[0xff, 0x02]);
    dst[15] = 0x0a;
    let ether =
        |ip: Vec<u8>| [&[0x33, 0x33, 0, 0, 0, 0x0a][..], &MAC_A, &[0x86, 0xdd], &ip].concat();
    let mut v = Vec::new();
    for (proto, m) in [
        (88, eigrp_messages()[0].clone()),
        (88, eigrp_messages()[2].clone()),
        (8, egp_messages()[0].clone()),
        (9, igrp_messages()[0].clone()),
    ] {
        v.push(ether(ipv6_packet(src, dst, proto, &m)));
    }
    v
}

fn capture(proto: u8, dst: [u8; 4], messages: Vec<Vec<u8>>, damaged: usize, seed: u64) -> Vec<u8> {
    let mut whole: Vec<Vec<u8>> = messages
        .iter()
        .map(|m| ipv4([10, 0, 0, 1], dst, 2, proto, &[], m))
        .collect();
    if proto == 88 {
        whole.extend(v6_frames());
    }
    cut_often(whole, HEADERS, damaged, seed, (HEADERS + 1, 1))
}

pub fn egp_capture(damaged: usize) -> Vec<u8> {
    capture(
        8,
        [10, 0, 0, 2],
        egp_messages(),
        damaged,
        0xe690_0bad_0000_0001,
    )
}

pub fn igrp_capture(damaged: usize) -> Vec<u8> {
    capture(
        9,
        [255, 255, 255, 255],
        igrp_messages(),
        damaged,
        0x1690_0bad_0000_0001,
    )
}

pub fn eigrp_capture(damaged: usize) -> Vec<u8> {
    capture(
        88,
        [224, 0, 0, 10],
        eigrp_messages(),
        damaged,
        0xe160_0bad_0000_0001,
    )
}
