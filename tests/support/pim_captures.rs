//! `captures/dissect_pim.pcap` and `captures/dissect_pim_register.pcap`:
//! PIMv2 messages built byte by byte — Hello with every option tcpdump
//! names (and wrong lengths, unknown ones, address lists of both
//! families), Join/Prune, Graft and Graft-Ack with groups and sources of
//! every flag, RFC 2117 addresses, unknown families, Register-Stop,
//! Bootstrap with RP sets, Assert, Candidate-RP, Prune Refresh, DF
//! election, unknown types and versions, right and wrong checksums (IPv6
//! ones over the pseudo header) — then cuts of each and damaged copies.
//! Registers carrying a null header or an unknown version are in the
//! first capture; those carrying an IPv4 packet, whose `-v` text tcpdump
//! prints with its IP printer (not written here), in the second, compared
//! at the default level only.

use super::control_captures::{cksum, ipv4, with_cuts_and_damage};
use super::frames::{MAC_A, ipv6_packet};

const GROUP: [u8; 4] = [224, 0, 0, 13];

/// A PIM message of `version` and `kind`, with `rsv` in the second byte;
/// its checksum right over the first `sum_len` bytes (all: `None`) or
/// left at zero.
fn pim(kind: u8, rsv: u8, body: &[u8], sum: Option<Option<usize>>) -> Vec<u8> {
    let mut m = vec![0x20 | kind, rsv, 0, 0];
    m.extend_from_slice(body);
    if let Some(n) = sum {
        let n = n.unwrap_or(m.len()).min(m.len());
        let s = cksum(&[&m[..n]]);
        m[2..4].copy_from_slice(&s.to_be_bytes());
    }
    m
}

fn msg(kind: u8, body: &[u8]) -> Vec<u8> {
    pim(kind, 0, body, Some(None))
}

fn option(t: u16, v: &[u8]) -> Vec<u8> {
    [&t.to_be_bytes()[..], &(v.len() as u16).to_be_bytes(), v].concat()
}

fn unicast(a: [u8; 4]) -> Vec<u8> {
    [&[1, 0][..], &a].concat()
}

fn encoded(a: [u8; 4], mask: u8, flags: u8) -> Vec<u8> {
    [&[1, 0, flags, mask][..], &a].concat()
}

fn v6_addr(last: u8) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    a[15] = last;
    a
}

fn join_prune() -> Vec<u8> {
    [
        unicast([10, 0, 0, 1]),
        vec![0, 2, 0, 210],
        encoded([239, 1, 1, 1], 32, 0),
        vec![0, 2, 0, 1],
        encoded([10, 1, 1, 1], 32, 4),
        encoded([10, 1, 1, 2], 24, 7),
        encoded([10, 1, 1, 3], 32, 0xff),
        encoded([239, 2, 2, 2], 24, 1),
        vec![0, 0, 0, 0],
    ]
    .concat()
}

fn hello() -> Vec<u8> {
    [
        option(1, &[0, 105]),
        option(19, &[0, 0, 0, 1]),
        option(20, &[0x12, 0x34, 0x56, 0x78]),
        option(2, &[0x81, 0xf4, 0x09, 0xc4]),
        option(21, &[1, 60, 0, 0]),
        option(22, &[]),
        option(
            24,
            &[unicast([10, 0, 0, 2]), unicast([10, 0, 0, 3])].concat(),
        ),
        option(65001, &unicast([10, 0, 0, 4])),
        option(99, &[0xaa, 0xbb, 0xcc]),
        option(18, &[]),
        option(21, &[1, 0, 0x12, 0x34]),
    ]
    .concat()
}

/// The messages (after the IP header), Registers with an IPv4 packet
/// inside excepted.
pub fn messages() -> Vec<Vec<u8>> {
    let jp = join_prune();
    let v6_list = [&[2, 0][..], &v6_addr(1)].concat();
    let bootstrap = [
        vec![0x12, 0x34, 30, 100],
        unicast([10, 0, 0, 9]),
        encoded([224, 0, 0, 0], 4, 0),
        vec![2, 2, 0, 0],
        unicast([10, 0, 0, 5]),
        vec![0, 150, 0xc0, 0],
        unicast([10, 0, 0, 6]),
        vec![0, 150, 1, 0],
        encoded([239, 0, 0, 0], 8, 0),
        vec![1, 1, 0, 0],
        unicast([10, 0, 0, 7]),
        vec![0, 150, 0, 0],
    ]
    .concat();
    let rp_adv = [
        vec![2, 5, 0, 150],
        unicast([10, 0, 0, 5]),
        encoded([239, 0, 0, 0], 8, 0),
        encoded([232, 0, 0, 0], 8, 0),
    ]
    .concat();
    let source = unicast([10, 1, 1, 1]);
    let group = encoded([239, 1, 1, 1], 32, 0);
    let df = |sub: u8, extra: &[u8]| {
        let body = [
            unicast([10, 0, 0, 5]),
            vec![0, 0, 0, 9, 0, 0, 0, 1],
            extra.to_vec(),
        ]
        .concat();
        pim(10, sub << 4, &body, Some(None))
    };
    let backoff = [unicast([10, 0, 0, 6]), vec![0, 0, 0, 8, 0, 0, 0, 2, 0, 100]].concat();
    let mut v = vec![
        msg(0, &hello()),
        pim(0, 0, &option(1, &[0, 105]), None),
        msg(0, &option(1, &[0])),
        msg(0, &option(2, &[0])),
        msg(0, &option(19, &[0, 0, 1])),
        msg(0, &option(20, &[0, 0, 1])),
        msg(0, &option(21, &[0])),
        msg(0, &[option(1, &[0, 105]), vec![0, 1]].concat()),
        msg(0, &[option(1, &[0, 105]), option(5, &[7; 18])].concat()),
        msg(
            0,
            &option(24, &[unicast([10, 0, 0, 2]), vec![3, 0]].concat()),
        ),
        msg(0, &option(24, &v6_list)),
        pim(0, 4, &option(1, &[0xff, 0xff]), Some(None)),
        msg(0, &[]),
        pim(0, 0, &[], None),
        msg(3, &jp),
        msg(6, &jp),
        msg(7, &jp[6..]),
        msg(
            3,
            &[
                unicast([10, 0, 0, 1]),
                vec![0, 1, 0xff, 0xff],
                group.clone(),
                vec![0, 1, 0, 0],
                encoded([10, 1, 1, 1], 32, 4),
            ]
            .concat(),
        ),
        msg(
            3,
            &[unicast([10, 0, 0, 1]), vec![0, 3, 0, 16], group.clone()].concat(),
        ),
        pim(
            3,
            4,
            &[vec![
                10, 0, 0, 1, 0, 1, 0, 16, 0, 0, 0, 32, 239, 1, 1, 1, 0, 1, 0, 0, 4, 32, 10, 1, 1, 1,
            ]]
            .concat(),
            Some(None),
        ),
        pim(3, 5, &[10, 0, 0, 1, 0, 1, 0, 16], Some(None)),
        msg(3, &[3, 0, 10, 0, 0, 1]),
        msg(3, &[1, 1, 10, 0, 0, 1]),
        pim(
            1,
            0,
            &[
                [0x40, 0, 0, 0].to_vec(),
                vec![0; 12],
                vec![10, 1, 1, 1, 239, 1, 1, 1],
            ]
            .concat(),
            Some(Some(8)),
        ),
        msg(1, &[0, 0, 0, 1, 0x70, 0, 0, 0]),
        msg(1, &[0x80, 0, 0, 0]),
        msg(1, &[0x80, 0]),
        msg(2, &[group.clone(), source.clone()].concat()),
        msg(
            2,
            &[encoded([239, 1, 1, 1], 24, 0x81), source.clone()].concat(),
        ),
        msg(
            2,
            &[
                [&[2, 0, 0, 128][..], &v6_addr(9)].concat(),
                [&[2, 0][..], &v6_addr(1)].concat(),
            ]
            .concat(),
        ),
        msg(4, &bootstrap),
        msg(4, &bootstrap[..bootstrap.len() - 3]),
        msg(4, &[0x12, 0x34, 30]),
        msg(
            5,
            &[
                group.clone(),
                source.clone(),
                vec![0x80, 0, 0, 101, 0, 0, 0, 10],
            ]
            .concat(),
        ),
        msg(
            5,
            &[group.clone(), source.clone(), vec![0, 0, 0, 101, 0, 0]].concat(),
        ),
        msg(8, &rp_adv),
        msg(8, &rp_adv[..rp_adv.len() - 8]),
        msg(
            9,
            &[
                source.clone(),
                group.clone(),
                unicast([10, 0, 0, 9]),
                vec![0, 60],
            ]
            .concat(),
        ),
        df(1, &[]),
        df(2, &[]),
        df(3, &backoff),
        df(4, &backoff[..14]),
        df(7, &[]),
    ];
    for kind in [11, 12, 15] {
        v.push(msg(kind, &[0; 4]));
    }
    let mut other = msg(0, &[0; 4]);
    other[0] = 0x10;
    v.push(other.clone());
    other[0] = 0x30;
    v.push(other);
    v
}

fn frame(m: &[u8]) -> Vec<u8> {
    ipv4([10, 0, 0, 1], GROUP, 1, 103, &[], m)
}

/// Over IPv6, to ff02::d, with the checksum over the pseudo header (and
/// once without it, wrong there).
fn v6_frames() -> Vec<Vec<u8>> {
    let (src, dst) = ([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], {
        let mut d = [0u8; 16];
        d[..2].copy_from_slice(&[0xff, 0x02]);
        d[15] = 0x0d;
        d
    });
    let mut m = pim(0, 0, &hello(), None);
    let pseudo = [
        &src[..],
        &dst,
        &(m.len() as u32).to_be_bytes(),
        &[0, 0, 0, 103],
    ]
    .concat();
    let s = cksum(&[&pseudo, &m]);
    m[2..4].copy_from_slice(&s.to_be_bytes());
    let ether =
        |ip: Vec<u8>| [&[0x33, 0x33, 0, 0, 0, 0x0d][..], &MAC_A, &[0x86, 0xdd], &ip].concat();
    vec![
        ether(ipv6_packet(src, dst, 103, &m)),
        ether(ipv6_packet(src, dst, 103, &msg(0, &hello()))),
    ]
}

/// The capture compared at every level.
pub fn capture(damaged: usize) -> Vec<u8> {
    let mut whole: Vec<Vec<u8>> = messages().iter().map(|m| frame(m)).collect();
    // Damage keeps the first byte, so no Register turns into one that
    // carries an IPv4 packet unless its own bytes say so: leave them out.
    let registers: Vec<Vec<u8>> = whole
        .iter()
        .filter(|f| f[34] & 0x0f == 1)
        .cloned()
        .collect();
    whole.retain(|f| f[34] & 0x0f != 1);
    let mut frames = with_cuts_and_damage(whole, 34, damaged, 0x9130_0bad_0000_0001);
    frames.extend(with_cuts_and_damage(registers, 34, 0, 0));
    frames.extend(
        v6_frames()
            .into_iter()
            .map(|bytes| super::app_captures::Frame { bytes, snap: None }),
    );
    super::app_captures::capture(&frames)
}

/// Registers carrying an IPv4 packet (a UDP datagram to a group), whole,
/// cut and damaged: the default line only.
pub fn register_capture(damaged: usize) -> Vec<u8> {
    let inner = [
        vec![
            0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 1, 1, 1, 239, 1, 1, 1,
        ],
        vec![0x13, 0x88, 0x13, 0x89, 0, 8, 0, 0],
    ]
    .concat();
    let whole = vec![
        frame(&pim(
            1,
            0,
            &[&[0, 0, 0, 0][..], &inner].concat(),
            Some(Some(8)),
        )),
        frame(&pim(
            1,
            0,
            &[&[0x80, 0, 0, 0][..], &inner].concat(),
            Some(None),
        )),
    ];
    let frames = with_cuts_and_damage(whole, 34, damaged, 0x9130_0bad_0000_0002);
    super::app_captures::capture(&frames)
}

/// A PIMv1 message (IGMP type 0x14) of type `kind`, version `version`,
/// after its 8-byte header `body`; the IGMP checksum right.
fn pimv1(kind: u8, version: u8, body: &[u8]) -> Vec<u8> {
    let mut m = [&[0x14, kind, 0, 0, version << 4, 0, 0, 0][..], body].concat();
    let s = cksum(&[&m]);
    m[2..4].copy_from_slice(&s.to_be_bytes());
    m
}

/// Join/Prune's body: upstream neighbour, hold time, then each group
/// (address, mask, and its joined and pruned sources: flags, mask-flags,
/// address).
/// A Join/Prune group: address, mask, how many of its sources are
/// joined, the sources.
type JpGroup<'a> = ([u8; 4], [u8; 4], u16, &'a [[u8; 6]]);

fn pimv1_join_prune(hold: u16, groups: &[JpGroup<'_>]) -> Vec<u8> {
    let mut b = [&[10, 0, 0, 254, 0, 0][..], &hold.to_be_bytes(), &[0, 0, 0]].concat();
    b.push(groups.len() as u8);
    for (group, mask, njoin, sources) in groups {
        b.extend_from_slice(group);
        b.extend_from_slice(mask);
        b.extend_from_slice(&njoin.to_be_bytes());
        b.extend_from_slice(&(sources.len() as u16 - njoin).to_be_bytes());
        for s in *sources {
            b.extend_from_slice(s);
        }
    }
    b
}

/// PIMv1 messages of every type tcpdump decodes (and one it does not,
/// and one of another version).
pub fn pimv1_messages() -> Vec<Vec<u8>> {
    let g = [239, 1, 2, 3];
    let all = [255, 255, 255, 255];
    let src = |flags: u8, mf: u8, a: u8| [flags, mf, 10, 1, 1, a];
    let ip = [
        0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 1, 1, 1, 239, 1, 1, 1, 0x13, 0x88, 0x13,
        0x89, 0, 8, 0, 0,
    ];
    vec![
        pimv1(0, 1, &[0x00, 0, 0, 105]),
        pimv1(0, 1, &[0x10, 0, 0x0e, 0x10]),
        pimv1(0, 1, &[0x20, 0, 0, 0]),
        pimv1(0, 1, &[0x50, 0, 0, 30]),
        pimv1(0, 1, &[]),
        pimv1(1, 1, &ip),
        pimv1(2, 1, &[239, 1, 1, 1, 10, 1, 1, 1]),
        pimv1(
            3,
            1,
            &pimv1_join_prune(180, &[(g, all, 1, &[src(1, 0xe0, 5)])]),
        ),
        pimv1(
            3,
            1,
            &pimv1_join_prune(210, &[(g, [255, 255, 0, 0], 0, &[src(0, 0x20, 6)])]),
        ),
        pimv1(
            3,
            1,
            &pimv1_join_prune(
                60,
                &[
                    (g, all, 1, &[src(1, 0xe0, 5), src(0, 0x1f, 6)]),
                    (
                        [239, 9, 9, 9],
                        [255, 255, 255, 0],
                        2,
                        &[src(1, 0x60, 7), src(1, 0xa0, 8)],
                    ),
                ],
            ),
        ),
        pimv1(
            6,
            1,
            &pimv1_join_prune(180, &[(g, all, 2, &[src(1, 0, 1), src(1, 0, 2)])]),
        ),
        pimv1(
            7,
            1,
            &pimv1_join_prune(30, &[(g, all, 1, &[src(1, 0x40, 9)])]),
        ),
        pimv1(
            4,
            1,
            &[239, 1, 1, 1, 255, 255, 255, 255, 10, 0, 0, 1, 0, 0, 0, 210],
        ),
        pimv1(
            4,
            1,
            &[239, 1, 0, 0, 255, 255, 0, 0, 10, 0, 0, 1, 0, 0, 0, 0],
        ),
        pimv1(
            5,
            1,
            &[
                239, 1, 1, 1, 255, 255, 255, 255, 10, 1, 1, 1, 0x80, 0, 0, 110, 0, 0, 0, 20,
            ],
        ),
        pimv1(
            5,
            1,
            &[
                239, 1, 0, 0, 255, 255, 0, 0, 10, 1, 1, 2, 0, 0, 0, 90, 0, 0, 1, 0,
            ],
        ),
        pimv1(9, 1, &[1, 2, 3, 4]),
        pimv1(2, 2, &[239, 1, 1, 1, 10, 1, 1, 1]),
    ]
}

/// PIMv1 in IGMP from a router to 224.0.0.2, whole, cut and damaged.
pub fn pimv1_capture(damaged: usize) -> Vec<u8> {
    let whole = pimv1_messages()
        .iter()
        .map(|m| ipv4([10, 0, 0, 1], [224, 0, 0, 2], 1, 2, &[], m))
        .collect();
    super::app_captures::capture(&with_cuts_and_damage(
        whole,
        34,
        damaged,
        0x9130_0bad_0000_0011,
    ))
}
