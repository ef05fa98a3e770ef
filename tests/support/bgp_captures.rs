//! `captures/dissect_bgp.pcap`: BGP messages built by hand, one TCP
//! segment each on port 179 — OPENs with every capability tcpdump decodes
//! (and short, bogus and unknown ones), UPDATEs with every path attribute
//! it decodes (AS paths of each segment type and AS size, communities,
//! extended communities of each type, large communities, PMSI tunnels,
//! AIGP, nested ATTR_SETs, multiprotocol reach and unreach for IPv4 and
//! IPv6 with ADD-PATH identifiers, labeled unicast and L3VPN, route-target
//! constraint, MDT, multicast VPN, NSAP and layer-2 VPN), NOTIFICATIONs of every code, with
//! shutdown communications, KEEPALIVE, ROUTE-REFRESH and unknown types;
//! then segments that hold several messages, garbage before a marker,
//! cut headers and lengths below the header's; then each message cut by
//! the snap length, and seeded damaged copies. `tests/dissect_routing.rs`
//! compares `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{Frame, TCP_HEADERS, capture as write, cuts, tcp};
use super::dns_captures::mutate;
use super::rng::Rng;

pub const PORT: u16 = 179;

/// A message of `kind` around `body` (marker, length, type).
pub fn message(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![0xff; 16];
    m.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
    m.push(kind);
    m.extend_from_slice(body);
    m
}

/// An OPEN from AS `asn` with these optional parameters.
fn open(asn: u16, params: &[u8]) -> Vec<u8> {
    let mut b = vec![4];
    b.extend_from_slice(&asn.to_be_bytes());
    b.extend_from_slice(&90u16.to_be_bytes());
    b.extend_from_slice(&[192, 0, 2, 1, params.len() as u8]);
    b.extend_from_slice(params);
    message(1, &b)
}

/// A capabilities parameter holding `caps` (each code, length, value).
fn caps(caps: &[(u8, &[u8])]) -> Vec<u8> {
    let body: Vec<u8> = caps
        .iter()
        .flat_map(|(c, v)| [&[*c, v.len() as u8][..], v].concat())
        .collect();
    [&[2, body.len() as u8][..], &body].concat()
}

/// An UPDATE of withdrawn routes, path attributes and NLRI.
fn update(withdrawn: &[u8], attrs: &[u8], nlri: &[u8]) -> Vec<u8> {
    let mut b = (withdrawn.len() as u16).to_be_bytes().to_vec();
    b.extend_from_slice(withdrawn);
    b.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    b.extend_from_slice(attrs);
    b.extend_from_slice(nlri);
    message(2, &b)
}

/// A path attribute (a 2-byte length when `flags` says extended).
fn attr(flags: u8, kind: u8, value: &[u8]) -> Vec<u8> {
    let mut a = vec![flags, kind];
    if flags & 0x10 != 0 {
        a.extend_from_slice(&(value.len() as u16).to_be_bytes());
    } else {
        a.push(value.len() as u8);
    }
    a.extend_from_slice(value);
    a
}

const ORIGIN: &[u8] = &[0x40, 1, 1, 0];

fn opens() -> Vec<Vec<u8>> {
    let bird = caps(&[
        (1, &[0, 1, 0, 1]),
        (1, &[0, 2, 0, 1]),
        (2, &[]),
        (64, &[0, 120]),
        (65, &[0, 0, 0xfd, 0xe9]),
        (70, &[]),
        (71, &[]),
    ]);
    let mut v = vec![
        open(65001, &bird),
        open(
            23456,
            &caps(&[
                (1, &[0, 1, 0, 4]),
                (1, &[0, 2, 0, 128]),
                (1, &[0, 25, 0, 65]),
            ]),
        ),
        open(
            1,
            &caps(&[(64, &[0xc0, 0x78, 0, 1, 1, 0x80, 0, 2, 1, 0, 0, 3])]),
        ),
        open(
            1,
            &caps(&[(69, &[0, 1, 1, 1, 0, 2, 1, 2, 0, 1, 2, 3, 0, 1, 1, 9])]),
        ),
        open(1, &caps(&[(69, &[])])),
        open(1, &caps(&[(69, &[0, 1, 1, 3, 0])])),
        open(1, &caps(&[(8, &[0, 1, 4, 2, 0, 2, 4, 1])])),
        open(1, &caps(&[(1, &[0, 1])])),
        open(1, &caps(&[(65, &[0, 1])])),
        open(1, &caps(&[(64, &[0x80])])),
        open(
            1,
            &caps(&[(73, &[1, 2, 3]), (128, &[]), (3, &[0, 1, 1, 0]), (0, &[])]),
        ),
        open(1, &[1, 3, 9, 9, 9, 3, 0]),
        open(1, &[2, 9, 1, 4, 0, 1, 0, 1]),
        open(1, &[]),
    ];
    // A capability longer than its parameter, then another parameter.
    let mut cut = caps(&[(1, &[0, 1, 0, 1])]);
    cut[3] = 9;
    v.push(open(1, &[cut, vec![3, 0]].concat()));
    v
}

fn updates() -> Vec<Vec<u8>> {
    let mut ext = Vec::new();
    for t in [
        0x0002u16, 0x0102, 0x0202, 0x0003, 0x0103, 0x0203, 0x4004, 0x0005, 0x0105, 0x0205, 0x8005,
        0x0306, 0x8000, 0x0107, 0x8001, 0x0009, 0x000a, 0xf10a, 0x010b, 0x030c, 0x800a, 0x8800,
        0x8805, 0x0600, 0xc001, 0x4300,
    ] {
        ext.extend_from_slice(&t.to_be_bytes());
        ext.extend_from_slice(&[0xfd, 0xe9, 0x0a, 0x00, 0x00, 0x01]);
    }
    for (rt, metric) in [(1, 0), (5, 1), (7, 0), (129, 1), (9, 2)] {
        ext.extend_from_slice(&[0x03, 0x06, 10, 0, 0, 1, rt, metric]);
    }
    for bw in [12_500_000.0f32, 0.5, 1e20, f32::INFINITY, -3.0] {
        ext.extend_from_slice(&[0x40, 0x04, 0xfd, 0xe9]);
        ext.extend_from_slice(&bw.to_be_bytes());
    }
    ext.extend_from_slice(&[0x03, 0x0c, 0, 0, 0, 0, 0, 8]);
    ext.extend_from_slice(&[0x03, 0x0c, 0, 0, 0, 0, 0, 99]);
    ext.extend_from_slice(&[0x80, 0x0a, 19, 0x03, 0x05, 0xdc, 0, 0]);
    ext.extend_from_slice(&[0x80, 0x0a, 99, 0x03, 0x05, 0xdc, 0, 0]);
    let mut nested = attr(0x40, 1, &[0]);
    for _ in 0..12 {
        nested = attr(0xc0, 128, &[&[0, 0, 0, 1][..], &nested].concat());
    }
    let as_path = |v: &[u8]| attr(0x40, 2, v);
    let base = [
        ORIGIN.to_vec(),
        as_path(&[2, 1, 0, 0, 0xfd, 0xe9]),
        attr(0x40, 3, &[10, 7, 0, 1]),
        attr(0xc0, 8, &[0xfd, 0xe8, 0, 7]),
    ]
    .concat();
    let v6_reach = |nh: &[u8], nlri: &[u8]| {
        let v = [&[0, 2, 1, nh.len() as u8][..], nh, &[0], nlri].concat();
        attr(0x90, 14, &v)
    };
    let gua: [u8; 16] = [0x20, 1, 0xd, 0xb8, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    let lla: [u8; 16] = [
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0xdc, 0x6c, 0xb6, 0xff, 0xfe, 0x64, 0x75, 0x70,
    ];
    let v6_prefix: &[u8] = &[48, 0x20, 1, 0xd, 0xb8, 0, 0xa];
    vec![
        update(&[], &base, &[24, 198, 51, 100]),
        update(&[], &[], &[]),
        update(&[24, 192, 0, 2, 16, 10, 1, 0], &[], &[]),
        update(&[24, 192, 0, 2, 33, 1], &[], &[]),
        update(
            &[0, 0, 0, 1, 24, 192, 0, 2, 0, 0, 0, 2, 16, 10, 1],
            &[],
            &[],
        ),
        update(&[], ORIGIN, &[0, 0, 0, 1, 24, 192, 0, 2, 0, 0, 0, 2, 0]),
        update(
            &[],
            ORIGIN,
            &[0, 8, 10, 25, 10, 1, 2, 0xff, 31, 1, 2, 3, 0xff, 40, 1],
        ),
        update(&[], ORIGIN, &[32, 1, 2, 3]),
        update(&[1], &[], &[]),
        update(
            &[],
            &[
                attr(0x40, 1, &[1]),
                attr(0x40, 1, &[2]),
                attr(0x40, 1, &[7]),
                attr(0x40, 1, &[0, 0]),
                as_path(&[1, 2, 0, 1, 0, 2, 2, 1, 0, 3, 3, 1, 0, 4, 4, 1, 0, 5]),
                as_path(&[2, 2, 0, 0, 0, 1, 0, 1, 0, 0]),
                as_path(&[]),
                as_path(&[2]),
                attr(0xc0, 17, &[2, 1, 0, 1, 0, 0]),
                attr(0x80, 4, &[0, 0, 1, 0]),
                attr(0x40, 5, &[0, 0, 0, 100]),
                attr(0x40, 5, &[0, 100]),
                attr(0x40, 6, &[]),
                attr(0x40, 6, &[1]),
                attr(0xc0, 7, &[0xfd, 0xe9, 10, 0, 0, 1]),
                attr(0xc0, 7, &[0, 1, 0, 0, 10, 0, 0, 1]),
                attr(0xc0, 7, &[0, 1, 0]),
                attr(0xc0, 18, &[0, 1, 0, 0, 10, 0, 0, 1]),
                attr(0xc0, 18, &[0xfd, 0xe9, 10, 0, 0, 1]),
                attr(
                    0xc0,
                    8,
                    &[
                        0xff, 0xff, 0xff, 1, 0xff, 0xff, 0xff, 2, 0xff, 0xff, 0xff, 3, 0, 1, 0, 2,
                        0xff, 0xff, 0xff, 4,
                    ],
                ),
                attr(0xc0, 8, &[0, 1, 0]),
                attr(0x80, 9, &[10, 0, 0, 9]),
                attr(0x80, 10, &[10, 0, 0, 1, 10, 0, 0, 2]),
                attr(0x80, 10, &[10, 0, 0, 1, 10]),
                attr(0x40, 3, &[10, 0, 0]),
            ]
            .concat(),
            &[],
        ),
        update(&[], &attr(0xd0, 16, &ext), &[]),
        update(&[], &attr(0xc0, 16, &[0, 2, 0, 1, 0, 0]), &[]),
        update(
            &[],
            &[
                attr(
                    0xc0,
                    32,
                    &[
                        0, 0, 0xfd, 0xe9, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0,
                        3,
                    ],
                ),
                attr(0xc0, 32, &[0, 0, 0, 1]),
                attr(
                    0xc0,
                    26,
                    &[2, 0, 5, 1, 2, 1, 0, 11, 0, 0, 0, 0, 0, 0, 0, 16],
                ),
                attr(0xc0, 22, &[0, 6, 0, 0, 0x10, 10, 0, 0, 1]),
                attr(0xc0, 22, &[1, 3, 0, 0, 0x10, 10, 0, 0, 1, 10, 0, 0, 2]),
                attr(0xc0, 22, &[1, 4, 0, 0, 0x10, 10, 0, 0, 1, 10, 0, 0, 2]),
                attr(0xc0, 22, &[0, 1, 0, 0, 0x10, 10, 0, 0, 1, 10, 0, 0, 2]),
                attr(0xc0, 22, &[0, 2, 0, 0, 0x10, 10, 0, 0, 1, 10, 0, 0, 2]),
                attr(0xc0, 22, &[0, 7, 0, 0, 0x10, 10, 0, 0, 1, 10, 0, 0, 2]),
                attr(0xc0, 22, &[0, 9, 0, 0, 0x10, 10, 0, 0, 1, 10, 0, 0, 2]),
                attr(0xc0, 11, &[1, 2, 3, 4]),
                attr(0xc0, 0, &[]),
                attr(0xc0, 255, &[0xab; 20]),
                attr(
                    0xc0,
                    128,
                    &[0, 0, 0xfd, 0xe9, 0x40, 1, 1, 0, 0, 5, 4, 0, 0, 0, 100],
                ),
            ]
            .concat(),
            &[],
        ),
        update(&[], &attr(0xc0, 26, &[1, 0, 2]), &[]),
        update(&[], &attr(0xc0, 22, &[0, 6, 0, 0]), &[]),
        update(&[], &nested, &[]),
        update(
            &[],
            &[
                ORIGIN,
                &attr(0x50, 1, &[0]),
                &attr(0x4f, 1, &[0]),
                &attr(0, 1, &[0]),
            ]
            .concat(),
            &[],
        ),
        update(&[], &[ORIGIN, &[0x40]].concat(), &[]),
        update(&[], &[ORIGIN, &[0x50, 1, 0]].concat(), &[]),
        update(&[], &[ORIGIN, &[0x40, 1, 9, 0]].concat(), &[]),
        // Two bytes of attributes (and two after one), the NLRI after
        // them: no room for the length byte.
        update(&[], &[0x40, 1], &[24, 10, 1, 2]),
        update(&[], &[ORIGIN, &[0x40, 1]].concat(), &[24, 10, 1, 2]),
        update(
            &[],
            &[base.clone(), v6_reach(&[gua, lla].concat(), v6_prefix)].concat(),
            &[],
        ),
        update(
            &[],
            &v6_reach(
                &gua,
                &[
                    64, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 1, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0,
                ],
            ),
            &[],
        ),
        update(&[], &v6_reach(&[0; 5], v6_prefix), &[]),
        update(
            &[],
            &v6_reach(
                &[],
                &[0, 0, 0, 7, 48, 0x20, 1, 0xd, 0xb8, 0, 0xa, 0, 0, 0, 8, 0],
            ),
            &[],
        ),
        update(&[], &v6_reach(&gua, &[129, 1]), &[]),
        update(&[], &v6_reach(&gua, &[64, 1, 2]), &[]),
        update(
            &[],
            &attr(
                0x90,
                14,
                &[
                    0, 1, 2, 4, 10, 0, 0, 1, 2, 3, b'a', b'b', b'c', 0, 8, 10, 33,
                ],
            ),
            &[],
        ),
        update(
            &[],
            &attr(0x90, 14, &[0, 1, 1, 5, 10, 0, 0, 1, 9, 0, 8, 10]),
            &[],
        ),
        update(
            &[],
            &attr(
                0x90,
                14,
                &[0, 1, 3, 8, 10, 0, 0, 1, 10, 0, 0, 2, 0, 24, 10, 1, 2],
            ),
            &[],
        ),
        update(&[], &attr(0x90, 14, &[0, 0, 0, 1]), &[]),
        update(&[], &attr(0x90, 14, &[0, 3, 9, 0, 0]), &[]),
        update(&[], &attr(0x80, 15, &[0, 2, 1]), &[]),
        update(
            &[],
            &attr(0x90, 15, &[0, 2, 1, 64, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 1]),
            &[],
        ),
        update(&[], &attr(0x90, 15, &[0, 1, 2, 24, 10, 1, 2, 8, 11]), &[]),
        update(
            &[],
            &attr(
                0x90,
                15,
                &[0, 1, 1, 0, 0, 0, 1, 24, 10, 1, 2, 0, 0, 0, 2, 33, 1],
            ),
            &[],
        ),
        update(&[], &attr(0x90, 15, &[0x40, 4, 70, 1, 2]), &[]),
    ]
}

/// A label field: the 20-bit label, the bottom-of-stack bit.
fn label(n: u32, bottom: bool) -> [u8; 3] {
    let f = n << 4 | u32::from(bottom);
    [(f >> 16) as u8, (f >> 8) as u8, f as u8]
}

/// Route distinguishers of types 0, 1 and 2, and an unknown type.
const RDS: [[u8; 8]; 4] = [
    [0, 0, 0xfd, 0xe9, 0, 0, 0, 7],
    [0, 1, 192, 0, 2, 1, 0, 9],
    [0, 2, 0, 1, 0x11, 0x70, 1, 0x2c],
    [0, 3, 1, 2, 3, 4, 5, 6],
];

/// UPDATEs of the labeled families: labeled unicast (SAFI 4) and L3VPN
/// (SAFI 128, with 129 and 130) for IPv4 and IPv6, reached and withdrawn,
/// with bogus bottom-of-stack bits, illegal lengths, RDs of each type,
/// VPN next hops too short, and prefixes longer than their attribute.
fn labeled_updates() -> Vec<Vec<u8>> {
    let reach = |afi: u8, safi: u8, nh: &[u8], nlri: &[u8]| {
        let v = [&[0, afi, safi, nh.len() as u8][..], nh, &[0], nlri].concat();
        attr(0x90, 14, &v)
    };
    let unreach =
        |afi: u8, safi: u8, nlri: &[u8]| attr(0x90, 15, &[&[0, afi, safi][..], nlri].concat());
    let gua: [u8; 16] = [0x20, 1, 0xd, 0xb8, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    let nh4: &[u8] = &[10, 0, 0, 1];
    // Labeled IPv4 prefixes: a /24 and a /32 (one without its bottom of
    // stack), a default route, a /21 with bits past its length.
    let lab4 = [
        &[48][..],
        &label(16, true),
        &[10, 1, 2],
        &[56],
        &label(1_048_575, false),
        &[192, 0, 2, 1],
        &[24],
        &label(3, true),
        &[45],
        &label(100, true),
        &[172, 16, 0xff],
    ]
    .concat();
    let lab6 = [
        &[72][..],
        &label(2001, true),
        &[0x20, 1, 0xd, 0xb8, 0, 0xa],
        &[152],
        &label(0, false),
        &gua,
    ]
    .concat();
    let vpn4: Vec<u8> = RDS
        .iter()
        .enumerate()
        .flat_map(|(i, rd)| {
            [
                &[88 + 24][..],
                &label(16 + i as u32, i != 2),
                rd,
                &[10, i as u8, 2],
            ]
            .concat()
        })
        .collect();
    let vpn6: Vec<u8> = RDS
        .iter()
        .take(3)
        .flat_map(|rd| {
            [
                &[88 + 64][..],
                &label(300, true),
                rd,
                &[0x20, 1, 0xd, 0xb8, 0, 0xb, 0, 1],
            ]
            .concat()
        })
        .collect();
    let rd_nh4 = [&RDS[0][..], nh4].concat();
    let rd_nh6 = [&[0; 8][..], &gua].concat();
    vec![
        open(
            65001,
            &caps(&[
                (1, &[0, 1, 0, 4]),
                (1, &[0, 2, 0, 4]),
                (1, &[0, 1, 0, 128]),
                (1, &[0, 2, 0, 128]),
            ]),
        ),
        update(&[], &reach(1, 4, nh4, &lab4), &[]),
        update(&[], &reach(2, 4, &gua, &lab6), &[]),
        update(
            &[],
            &[unreach(1, 4, &lab4), unreach(2, 4, &lab6)].concat(),
            &[],
        ),
        update(&[], &unreach(1, 4, &[]), &[]),
        update(&[], &unreach(1, 4, &[57, 0, 0, 1, 10, 0, 0, 0, 0]), &[]),
        update(&[], &unreach(1, 4, &[23, 0, 0, 1]), &[]),
        update(&[], &unreach(2, 4, &[153, 0, 0, 1]), &[]),
        update(&[], &unreach(1, 4, &[48, 0, 1]), &[]),
        // Prefixes that run past their attribute into the NLRI after it.
        update(&[], &unreach(1, 4, &[56, 0, 1, 1]), &[10, 1, 2, 3]),
        update(
            &[],
            &unreach(2, 4, &[72, 0, 1, 1]),
            &[0x20, 1, 0xd, 0xb8, 0, 0xa],
        ),
        update(&[], &unreach(1, 128, &[88 + 24, 0, 1, 1]), &[0; 12]),
        // The same at the capture's end: tcpdump compares an IPv4
        // labeled prefix with its attribute before it reads the address.
        update(&[], &unreach(1, 4, &[56, 0, 1, 1]), &[]),
        // A reach attribute too short for its family, and next hops
        // longer than their attribute.
        update(&[], &attr(0x90, 14, &[0, 1]), &[24, 10, 1, 2]),
        update(&[], &attr(0x90, 14, &[0, 2, 4, 16, 0x20, 1]), &[0; 20]),
        update(&[], &reach(1, 128, &rd_nh4, &vpn4), &[]),
        update(&[], &reach(2, 128, &rd_nh6, &vpn6), &[]),
        update(
            &[],
            &[unreach(1, 128, &vpn4), unreach(2, 128, &vpn6)].concat(),
            &[],
        ),
        update(
            &[],
            &reach(1, 129, &[rd_nh4.clone(), rd_nh4].concat(), &vpn4[..16]),
            &[],
        ),
        update(&[], &reach(2, 130, &rd_nh6[..20], &vpn6[..20]), &[]),
        update(&[], &reach(1, 128, nh4, &[87, 0, 0, 1]), &[]),
        update(&[], &unreach(2, 128, &[88 + 129, 0, 0, 1]), &[]),
        update(
            &[],
            &unreach(1, 128, &[88, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2]),
            &[],
        ),
    ]
}

/// UPDATEs of the other families tcpdump decodes: IPv4 route-target
/// constraint (SAFI 132), MDT (66) and multicast VPN routes (5) of each
/// type, NSAP unicast and VPN prefixes with their next hops (plain, RFC
/// 986 IPv4 and RFC 1888 IPv6 NSAPs, too long, too short), VPLS and
/// layer-2 VPN routes (auto-discovery, the old format with its TLVs, the
/// lengths tcpdump rejects, a circuit status vector longer than its text
/// buffer), and the families it names but does not decode (IPv6 MDT,
/// multicast VPN and route-target constraint, EVPN); illegal lengths,
/// entries that run past their attribute, and texts longer than tcpdump's
/// buffer.
fn family_updates() -> Vec<Vec<u8>> {
    let reach = |afi: u16, safi: u8, nh: &[u8], nlri: &[u8]| {
        let head = [&afi.to_be_bytes()[..], &[safi, nh.len() as u8]].concat();
        attr(0x90, 14, &[&head[..], nh, &[0], nlri].concat())
    };
    let unreach = |afi: u16, safi: u8, nlri: &[u8]| {
        attr(0x90, 15, &[&afi.to_be_bytes()[..], &[safi], nlri].concat())
    };
    let nh4: &[u8] = &[10, 0, 0, 1];
    let v6: [u8; 16] = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    let long6: [u8; 16] = [
        0x20, 1, 0xd, 0xb8, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x66,
    ];
    let rd_max: [u8; 8] = [0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    // Route-target constraint: default, origin AS only, each RT type,
    // an unknown type, partial types, a /38 with bits past its length,
    // then an illegal length.
    let rt: Vec<u8> = [
        &[0][..],
        &[32, 0, 0, 0xfd, 0xe9],
        &[96, 0, 0, 0xfd, 0xe9, 0, 2, 0xfd, 0xe8, 0, 0, 0, 7],
        &[96, 0, 0, 0, 1, 1, 2, 192, 0, 2, 1, 0, 9],
        &[96, 0, 0, 0, 1, 2, 2, 0, 1, 0x11, 0x70, 1, 0x2c],
        &[96, 0, 0, 0, 1, 0, 9, 1, 2, 3, 4, 5, 6],
        &[40, 0, 0, 0, 1, 0],
        &[44, 0, 0, 0, 1, 0x12, 0x34],
        &[70, 0, 0, 0, 1, 0, 2, 0xfd, 0xe9, 0xff],
        &[31, 1, 2, 3, 4],
        &[97, 0, 0, 0, 0],
    ]
    .concat();
    let mdt = |rd: &[u8], a: [u8; 4], g: [u8; 4]| [&[128][..], rd, &a, &g].concat();
    let mdts = [
        mdt(&RDS[0], [10, 0, 0, 9], [239, 1, 1, 1]),
        mdt(&RDS[2], [10, 0, 0, 8], [232, 0, 0, 1]),
    ]
    .concat();
    let sg4: &[u8] = &[32, 10, 0, 0, 5, 32, 239, 1, 1, 1];
    let mvpn: Vec<u8> = [
        &[1, 12][..],
        &RDS[0],
        nh4,
        &[1, 24],
        &RDS[1],
        &v6,
        &[1, 10],
        &RDS[0],
        &[1, 2],
        &[2, 12],
        &RDS[0],
        &[0, 0, 0xfd, 0xe9],
        &[3, 22],
        &RDS[0],
        sg4,
        nh4,
        &[3, 14],
        &RDS[3],
        &[32, 10, 0, 0, 5, 0],
        &[4, 3, 1, 2, 3],
        &[5, 14],
        &RDS[2],
        &[32, 10, 0, 0, 5, 0],
        &[6, 22],
        &RDS[0],
        &[0, 0, 0, 7],
        sg4,
        &[7, 22],
        &RDS[1],
        &[0, 0, 0, 7, 24, 10, 0, 0, 128],
        &v6,
        &[9, 2, 0, 0],
    ]
    .concat();
    // An S-PMSI route whose text passes tcpdump's 164-byte buffer.
    let spmsi_long = [
        &[3, 58][..],
        &rd_max,
        &[128],
        &long6,
        &[128],
        &long6,
        &long6,
    ]
    .concat();
    // CLNP prefixes (tcpdump reads the address 3 bytes late), an empty
    // one, the longest, and an illegal length.
    let clnp: Vec<u8> = [
        &[56, 0xaa, 0xbb, 0xcc, 0x49, 0, 1, 0x19, 0x21, 0x68, 0][..],
        &[20, 9, 9, 9],
        &[0],
        &[
            152, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
        ],
        &[153],
    ]
    .concat();
    let nsap_nh: &[u8] = &[0x49, 0, 1, 0x19, 0x21, 0x68, 0, 0x10, 1, 0];
    let vpn_clnp: Vec<u8> = [
        &[88 + 56][..],
        &label(16, true),
        &RDS[0],
        &[0x49, 0, 1, 0x19, 0x21, 0x68, 0],
        &[88 + 20],
        &label(17, false),
        &RDS[2],
        &[0x47, 0, 6],
        &[87, 0, 0, 1],
    ]
    .concat();
    let rfc986 = [&RDS[0][..], &[0x47, 0, 6, 1, 10, 0, 0, 1, 0, 0]].concat();
    let rfc1888 = [&RDS[0][..], &[0x35, 0, 0], &v6].concat();
    // Layer-2 VPN routes: auto-discovery; old format with a circuit
    // status vector and an unknown TLV; TLVs that run past the route.
    let l2 = |len: u16, rd: &[u8], rest: &[u8]| {
        [
            &len.to_be_bytes()[..],
            rd,
            &[0, 5, 0, 1],
            &label(100, true),
            rest,
        ]
        .concat()
    };
    let ad = [&12u16.to_be_bytes()[..], &RDS[0], &[10, 0, 0, 7]].concat();
    let old = [
        &25u16.to_be_bytes()[..],
        &RDS[0],
        &[0, 5, 0, 1],
        &label(800_000, true),
        &[1, 0, 12, 0xab, 0xcd, 9, 0, 16, 1, 2, 3],
    ]
    .concat();
    let csv_past = l2(19, &RDS[2], &[1, 0, 40, 7]);
    let tlv_past = l2(19, &RDS[2], &[9, 0, 40, 7]);
    let tlv_fits = l2(20, &RDS[2], &[9, 0, 40, 1, 2]);
    let header_past = l2(18, &RDS[2], &[9, 0, 40]);
    let middle = [&14u16.to_be_bytes()[..], &[0; 14]].concat();
    let long_csv = [
        &118u16.to_be_bytes()[..],
        &rd_max,
        &[0, 5, 0, 1],
        &label(100, true),
        &[1, 3, 32],
        &(0..100).collect::<Vec<u8>>(),
    ]
    .concat();
    vec![
        update(&[], &reach(1, 132, nh4, &rt), &[]),
        update(&[], &unreach(1, 132, &rt[..40]), &[]),
        update(&[], &unreach(2, 132, &rt[..6]), &[]),
        update(&[], &reach(1, 66, nh4, &mdts), &[]),
        update(
            &[],
            &unreach(1, 66, &[&mdts[..17], &[120], &RDS[0]].concat()),
            &[],
        ),
        update(
            &[],
            &unreach(1, 66, &[&mdts[..17], &[128], &RDS[0]].concat()),
            &[],
        ),
        update(&[], &unreach(2, 66, &mdts[..17]), &[]),
        update(&[], &reach(1, 5, nh4, &mvpn), &[]),
        update(&[], &unreach(1, 5, &mvpn), &[]),
        update(&[], &unreach(1, 5, &spmsi_long), &[]),
        update(&[], &unreach(1, 5, &[1, 4, 0, 0, 0, 0]), &[]),
        update(&[], &unreach(2, 5, &mvpn[..14]), &[]),
        update(&[], &reach(3, 1, nsap_nh, &clnp), &[]),
        update(&[], &reach(3, 2, &nsap_nh[..3], &clnp[..15]), &[]),
        update(&[], &unreach(3, 3, &clnp[..16]), &[]),
        update(&[], &reach(3, 1, &[], &[]), &[]),
        update(&[], &reach(3, 1, &[7; 21], &[]), &[]),
        update(&[], &reach(3, 128, &rfc986, &vpn_clnp), &[]),
        update(&[], &reach(3, 129, &rfc1888, &vpn_clnp[..19]), &[]),
        update(
            &[],
            &reach(3, 130, &[&RDS[0][..], &[0x49]].concat(), &[]),
            &[],
        ),
        update(&[], &reach(3, 128, &RDS[0], &[]), &[]),
        update(
            &[],
            &reach(3, 128, &[&RDS[1][..], &[7; 21]].concat(), &[]),
            &[],
        ),
        update(
            &[],
            &unreach(3, 128, &[&vpn_clnp[..], &[88 + 153, 0, 0, 1]].concat()),
            &[],
        ),
        update(&[], &reach(196, 128, nh4, &[&ad[..], &old].concat()), &[]),
        update(
            &[],
            &reach(
                25,
                65,
                &[nh4, nh4].concat(),
                &[&ad[..], &csv_past, &tlv_past].concat(),
            ),
            &[],
        ),
        update(
            &[],
            &unreach(25, 65, &[&tlv_fits[..], &header_past, &ad].concat()),
            &[],
        ),
        update(
            &[],
            &unreach(196, 129, &[&ad[..], &middle, &ad].concat()),
            &[],
        ),
        update(&[], &unreach(25, 65, &long_csv), &[]),
        update(&[], &reach(196, 130, &[0; 3], &ad), &[]),
        update(&[], &unreach(25, 70, &ad), &[]),
        update(&[], &unreach(196, 65, &ad), &[]),
        // Routes that run past their attribute into the NLRI after it.
        update(
            &[],
            &unreach(1, 66, &mdts[..9]),
            &[10, 0, 0, 9, 239, 1, 1, 1],
        ),
        update(&[], &unreach(1, 5, &mvpn[..10]), &[10, 0, 0, 1]),
        update(
            &[],
            &unreach(3, 1, &[56, 0, 0, 0]),
            &[0x49, 0, 1, 0x19, 0x21, 0x68, 0],
        ),
        update(
            &[],
            &unreach(1, 132, &[96, 0, 0, 0xfd]),
            &[0xe9, 0, 2, 0xfd, 0xe8, 0, 0, 0, 7],
        ),
        update(&[], &unreach(25, 65, &ad[..8]), &ad[8..]),
    ]
}

fn notifications() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = (0..9u8)
        .flat_map(|major| (0..9u8).map(move |minor| message(3, &[major, minor])))
        .collect();
    // Cease's subcodes with what they carry, and short bodies.
    for (major, minor, data) in [
        (6, 2, &b"\x05hello"[..]),
        (6, 4, b"\x00abc"),
        (6, 2, b"\x90hello"),
        (6, 2, b"\x09hello"),
        (6, 2, b"\x03h\x01\xfflo"),
        (6, 2, b""),
        (6, 4, b"\x00"),
        (6, 1, b"\x00\x01\x01\x00\x00\x00\x64"),
        (6, 1, b"\x00\x02\x80\x00\x00\x10\x00\x09"),
        (6, 1, b"\x00\x01\x01\x00\x00"),
        (2, 2, b"\x00\x01\x02"),
    ] {
        v.push(message(3, &[&[major, minor][..], data].concat()));
    }
    v.push(message(3, &[6]));
    let mut long = b"\x06\x02\x80".to_vec();
    long.extend_from_slice(&[b'x'; 128]);
    v.push(message(3, &long));
    v
}

/// Administrative shutdowns and resets whose communication is 0 or 1 to
/// 255 bytes long (RFC 9003; RFC 8203's 128 is no longer a limit), with
/// 0, 1 or 3 bytes of data after it or one byte too few for it; each
/// whole and cut at every length after the TCP header. A communication of
/// 255 makes tcpdump's one-byte count of what it used wrap: the data is
/// then dumped from the length byte.
pub fn shutdown_cuts() -> Vec<u8> {
    let mut frames = Vec::new();
    for (i, n) in [0usize, 1, 127, 128, 129, 200, 210, 254, 255]
        .into_iter()
        .enumerate()
    {
        for extra in [0usize, 1, 3, usize::MAX] {
            let text: Vec<u8> = (0..n).map(|k| b"shutdown; "[k % 10]).collect();
            let mut body = vec![6, 2 + 2 * (i % 2) as u8, n as u8];
            body.extend_from_slice(&text);
            match extra {
                usize::MAX => {
                    body.pop();
                }
                e => body.extend((0..e).map(|k| k as u8)),
            }
            let f = tcp(
                true,
                40000 + frames.len() as u16,
                PORT,
                1000,
                &message(3, &body),
            )
            .bytes;
            frames.push(Frame {
                bytes: f.clone(),
                snap: None,
            });
            frames.extend(cuts(&f, TCP_HEADERS + 19));
        }
    }
    write(&frames)
}

/// Every hand-built message.
pub fn messages() -> Vec<Vec<u8>> {
    let mut v = opens();
    v.extend(updates());
    v.extend(labeled_updates());
    v.extend(family_updates());
    v.extend(notifications());
    v.extend([
        message(4, &[]),
        message(4, &[1, 2]),
        message(5, &[0, 1, 0, 1]),
        message(5, &[0, 2, 0, 128]),
        message(5, &[0, 1, 0, 1, 9, 9]),
        message(5, &[0, 1]),
        message(0, &[]),
        message(6, &[1, 2, 3]),
        message(200, &[0; 40]),
    ]);
    v
}

/// Segments that hold more than one message or none whole.
fn segments() -> Vec<Vec<u8>> {
    let ka = message(4, &[]);
    let upd = update(&[], ORIGIN, &[24, 10, 1, 2]);
    let mut all_ff = vec![0xff; 40];
    all_ff[18] = 2;
    vec![
        [&b"abc"[..], &ka].concat(),
        [&ka[..], &[0xff, 0xff], &ka].concat(),
        [&ka[..], &ka[..10]].concat(),
        [&ka[..], &ka[..17]].concat(),
        [&b"ab"[..], &ka[..17]].concat(),
        [&ka[..16], &[0, 5, 4]].concat(),
        [&ka[..16], &[0, 32, 2, 0, 0, 0, 0, 0]].concat(),
        [&upd[..], &ka, &upd, &b"\x00\x01"[..], &ka].concat(),
        [&upd[..], &ka[..18]].concat(),
        all_ff,
        vec![0xff; 40],
        b"hello".to_vec(),
        // Damaged messages with more after them: tcpdump's printer stops
        // at its own check (` [|bgp]`) and goes on to the next message.
        [&message(2, &[0, 0, 0, 9, 0x40, 1, 1, 0])[..], &ka, &upd].concat(),
        [&message(2, &[0, 9, 24, 10])[..], &upd, &ka].concat(),
        [&message(5, &[0, 1])[..], &ka].concat(),
        // A NOTIFICATION whose length stops before its codes, the codes
        // captured after it: tcpdump prints no codes.
        [&message(3, &[])[..], &[6, 2], &ka].concat(),
    ]
}

/// The capture: every message to the server and a few from it, the
/// segments above, every message cut at a few snap lengths, then
/// `damaged` damaged ones.
pub fn capture(damaged: usize) -> Vec<u8> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut port = 40000u16;
    // Each segment on a connection of its own, as in the text captures.
    let mut add = |frames: &mut Vec<Frame>, to_server: bool, m: &[u8], snap: Option<usize>| {
        port += 1;
        let mut f = tcp(to_server, port, PORT, 1000, m);
        f.snap = snap.map(|n| TCP_HEADERS + n);
        frames.push(f);
    };
    let messages = messages();
    for m in &messages {
        add(&mut frames, true, m, None);
    }
    for m in messages.iter().take(3) {
        add(&mut frames, false, m, None);
    }
    for s in segments() {
        add(&mut frames, true, &s, None);
    }
    for m in &messages {
        for snap in [10, 18, 19, 25, 40] {
            if snap < m.len() {
                add(&mut frames, true, m, Some(snap));
            }
        }
    }
    let mut rng = Rng(0xb6b0_0000_0000_0001);
    for _ in 0..damaged {
        if let Some(m) = messages.get(rng.below(messages.len())) {
            add(&mut frames, true, &mutate(&mut rng, m), None);
        }
    }
    write(&frames)
}

/// Segments of a damaged OPEN followed by a KEEPALIVE and an UPDATE, the
/// OPEN's length often cut below its optional parameters so that they run
/// into the next message (tcpdump stops at the message's end there): `n`
/// of them from a fixed seed, for `tests/dissect_routing.rs`.
pub fn open_stress(n: usize) -> Vec<u8> {
    let opens: Vec<Vec<u8>> = messages().into_iter().filter(|m| m[18] == 1).collect();
    stress(&opens, n, 0xb6b0_0e9e_0000_0001)
}

/// The same for the multiprotocol UPDATEs of every family: damaged
/// copies whose NLRI, next hops and SNPAs run past their attribute and
/// message into the bytes after them.
pub fn mp_stress(n: usize) -> Vec<u8> {
    let updates = [labeled_updates(), family_updates()].concat();
    stress(&updates, n, 0xb6b0_0e9e_0000_0002)
}

/// The same for every hand-built message (NOTIFICATIONs, ROUTE-REFRESHes
/// and unknown types among them).
pub fn message_stress(n: usize) -> Vec<u8> {
    stress(&messages(), n, 0xb6b0_0e9e_0000_0003)
}

/// `n` segments of a damaged copy of one of `seeds` (its length field cut
/// by up to 11 bytes half the time), then a KEEPALIVE and an UPDATE.
fn stress(seeds: &[Vec<u8>], n: usize, seed: u64) -> Vec<u8> {
    let after = [message(4, &[]), update(&[], ORIGIN, &[24, 10, 1, 2])].concat();
    let mut rng = Rng(seed);
    let mut frames = Vec::new();
    for i in 0..n {
        let Some(one) = seeds.get(rng.below(seeds.len())) else {
            break;
        };
        let mut m = mutate(&mut rng, one);
        if rng.below(2) == 0 && m.len() >= 19 {
            let len = (m.len() - rng.below(12).min(m.len() - 19)) as u16;
            m[16..18].copy_from_slice(&len.to_be_bytes());
        }
        let port = 40000 + (i % 20000) as u16;
        frames.push(tcp(true, port, PORT, 1000, &[m, after.clone()].concat()));
    }
    write(&frames)
}

/// Every message cut at every length after the TCP header: where each
/// printer stops, by its own check (the dump then starts at the BGP
/// payload) or by reading past the capture (at the frame's first byte).
pub fn every_cut() -> Vec<u8> {
    let frames: Vec<Frame> = messages()
        .iter()
        .enumerate()
        .flat_map(|(i, m)| {
            let f = tcp(true, 40000 + i as u16, PORT, 1000, m).bytes;
            cuts(&f, TCP_HEADERS).collect::<Vec<_>>()
        })
        .collect();
    write(&frames)
}

/// The multiprotocol UPDATEs that hold one attribute (extended length)
/// and nothing after it, each made 1 to 8 bytes shorter in its three
/// lengths (message, attribute list, attribute) so that its last entry
/// runs past the message, then cut at every length through those bytes:
/// every field each family's printer reads past the capture, and whether
/// tcpdump checks it first (` [|bgp]` after its own test) or `longjmp`s
/// (its dump then starts at the frame's first byte).
pub fn overrun_cuts() -> Vec<u8> {
    let mut frames = Vec::new();
    let mut port = 40000u16;
    for m in [labeled_updates(), family_updates()].concat() {
        let attrs = usize::from(u16::from_be_bytes([m[21], m[22]]));
        let single = m.len() > 27
            && m[19..21] == [0, 0]
            && m[23] == 0x90
            && 27 + usize::from(u16::from_be_bytes([m[25], m[26]])) == m.len()
            && 23 + attrs == m.len();
        if !single {
            continue;
        }
        for short in 1..=8usize.min(m.len() - 30) {
            let mut s = m.clone();
            for at in [16, 21, 25] {
                let v = u16::from_be_bytes([s[at], s[at + 1]]) - short as u16;
                s[at..at + 2].copy_from_slice(&v.to_be_bytes());
            }
            port = port.wrapping_add(1);
            let f = tcp(true, port, PORT, 1000, &s).bytes;
            let end = f.len() - short;
            frames.extend((end..=f.len()).map(|keep| Frame {
                bytes: f.clone(),
                snap: Some(keep),
            }));
        }
    }
    write(&frames)
}
