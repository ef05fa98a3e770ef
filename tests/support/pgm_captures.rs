//! `captures/dissect_pgm.pcap`: PGM messages (RFC 3208) built by hand —
//! SPM, POLL, POLR, ODATA, RDATA, NAK, NNAK, NCF, ACK, SPMR and an
//! unknown type, network-layer addresses of both families and an unknown
//! one, every option tcpdump names (fragment, NAK list, join, back-off,
//! redirect, parity, SYN/FIN/RST, CR, PGMCC, an unknown one) and the
//! wrong lengths it complains about — over IPv4 and IPv6, each cut at
//! every length, then seeded damaged copies.

use super::app_captures::Frame;
use super::control_captures::{ipv4, with_cuts_and_damage};
use super::frames::{MAC_A, ipv6_packet};

const SOURCE: [u8; 4] = [10, 0, 0, 1];
const GROUP: [u8; 4] = [239, 1, 1, 1];
const PORT: [u8; 2] = [0x1d, 0x4c];

/// A PGM header of `kind`, options present or not, TSDU length `tsdu`.
fn header(kind: u8, opts: bool, tsdu: u16) -> Vec<u8> {
    let mut h = [&PORT[..], &PORT, &[kind, u8::from(opts), 0, 0]].concat();
    h.extend_from_slice(&[0x00, 0x16, 0x3e, 0x01, 0x02, 0x03]);
    h.extend_from_slice(&tsdu.to_be_bytes());
    h
}

/// An NLA: its AFI, 16 reserved bits and the address.
fn nla(afi: u16, addr: &[u8]) -> Vec<u8> {
    [&afi.to_be_bytes()[..], &[0, 0], addr].concat()
}

fn v6(last: u8) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    a[15] = last;
    a
}

fn be32(n: u32) -> [u8; 4] {
    n.to_be_bytes()
}

/// An option of `kind` with its value; `last` sets the end bit.
fn opt(kind: u8, value: &[u8]) -> Vec<u8> {
    [&[kind, (value.len() + 2) as u8][..], value].concat()
}

/// The options block: OPT_LENGTH with the total, then `list` with the
/// end bit on the last.
fn options(mut list: Vec<Vec<u8>>) -> Vec<u8> {
    if let Some(last) = list.last_mut() {
        last[0] |= 0x80;
    }
    let body = list.concat();
    let total = (body.len() + 4) as u16;
    [&[0, 4][..], &total.to_be_bytes(), &body].concat()
}

/// ODATA carrying `opts` before three bytes of data.
fn odata_with(opts: Vec<u8>) -> Vec<u8> {
    [
        header(4, true, 3),
        [be32(9), be32(7)].concat(),
        opts,
        b"abc".to_vec(),
    ]
    .concat()
}

/// Every option tcpdump names, each alone in an ODATA (with its value
/// after the reserved byte).
fn option_messages() -> Vec<Vec<u8>> {
    // After the type and length: two bytes of flags, then the value.
    let r = |v: &[&[u8]]| [&[0u8, 0][..], &v.concat()].concat();
    let fixed = vec![
        opt(1, &r(&[&be32(9), &be32(0), &be32(3)])),
        opt(2, &r(&[&be32(5), &be32(6), &be32(7)])),
        opt(3, &r(&[&be32(1000)])),
        opt(4, &r(&[&be32(50), &be32(8)])),
        opt(5, &r(&[&be32(500), &be32(20)])),
        opt(7, &r(&[&nla(1, &[10, 0, 0, 9])])),
        opt(7, &r(&[&nla(2, &v6(9))])),
        opt(8, &r(&[&be32(16)])),
        opt(9, &r(&[&be32(4)])),
        opt(10, &r(&[&be32(12)])),
        opt(11, &[0, 0]),
        opt(12, &[0, 0, 0, 0, 0, 0]),
        opt(13, &[0, 0]),
        opt(14, &[0, 0]),
        opt(15, &[0, 0]),
        opt(16, &[0, 0, 0, 0, 0, 0]),
        opt(17, &[0, 0]),
        opt(18, &r(&[&be32(77), &nla(1, &[10, 0, 0, 7])])),
        opt(18, &r(&[&be32(77), &nla(2, &v6(7))])),
        opt(19, &r(&[&be32(88), &nla(1, &[10, 0, 0, 8])])),
        opt(19, &r(&[&be32(88), &nla(2, &v6(8))])),
        opt(0x20, &[0, 0, 1, 2]),
        opt(0, &[0, 40]),
    ];
    let mut v: Vec<Vec<u8>> = fixed
        .iter()
        .map(|o| odata_with(options(vec![o.clone()])))
        .collect();
    // Several in one message, and the ones that move tcpdump on by the
    // wrong count before another.
    v.push(odata_with(options(vec![
        fixed[12].clone(),
        fixed[2].clone(),
        fixed[0].clone(),
    ])));
    v.push(odata_with(options(vec![
        fixed[11].clone(),
        fixed[13].clone(),
    ])));
    v.push(odata_with(options(vec![
        fixed[1].clone(),
        fixed[14].clone(),
    ])));
    // Wrong lengths: each fixed option one word long, a redirect and
    // PGMCC too short and with a length that disagrees with the family,
    // an option under 4 bytes, a NAK list not in words, a total that
    // leaves no room, a first option that is not OPT_LENGTH, an
    // OPT_LENGTH of the wrong size, a total under 4, an unknown family.
    for kind in [0u8, 1, 3, 4, 5, 8, 9, 10, 11, 13, 14, 15, 17] {
        v.push(odata_with(options(vec![opt(kind, &[0; 6])])));
    }
    for kind in [7u8, 18, 19] {
        v.push(odata_with(options(vec![opt(kind, &[0, 0])])));
        v.push(odata_with(options(vec![opt(kind, &[0; 14])])));
        v.push(odata_with(options(vec![opt(
            kind,
            &[&[0u8; 6][..], &[0, 2, 0, 0], &[0; 6]].concat(),
        )])));
        v.push(odata_with(options(vec![opt(
            kind,
            &[&[0u8; 6][..], &[0, 3, 0, 0], &[0; 4]].concat(),
        )])));
    }
    v.push(odata_with(options(vec![vec![0x0d, 2]])));
    v.push(odata_with(options(vec![opt(2, &[0, 0, 0, 0, 1])])));
    let mut short_total = options(vec![opt(13, &[0, 0])]);
    short_total[3] = 6;
    v.push(odata_with(short_total));
    let mut long_total = options(vec![opt(13, &[0, 0])]);
    long_total[3] = 40;
    v.push(odata_with(long_total));
    v.push(odata_with(vec![0x0d, 4, 0, 8, 0x8e, 4, 0, 0]));
    v.push(odata_with(vec![0, 6, 0, 8, 0x8e, 4, 0, 0]));
    v.push(odata_with(vec![0, 4, 0, 2]));
    v
}

/// The messages, each PGM from its first byte.
pub fn messages() -> Vec<Vec<u8>> {
    let seqs = [be32(100), be32(90), be32(110)].concat();
    let mut v = vec![
        [header(0, false, 0), seqs.clone(), nla(1, &SOURCE)].concat(),
        [header(0, false, 0), seqs.clone(), nla(2, &v6(1))].concat(),
        [header(0, false, 0), seqs.clone(), nla(3, &SOURCE)].concat(),
        [header(2, false, 0), be32(5).to_vec(), vec![0, 2, 0, 0]].concat(),
        [
            header(1, false, 0),
            be32(5).to_vec(),
            vec![0, 2, 0, 1],
            nla(1, &SOURCE),
            be32(100).to_vec(),
            be32(0xdead_beef).to_vec(),
            be32(0xffff_0000).to_vec(),
        ]
        .concat(),
        [
            header(4, false, 5),
            be32(11).to_vec(),
            be32(10).to_vec(),
            b"hello".to_vec(),
        ]
        .concat(),
        [
            header(5, false, 5),
            be32(11).to_vec(),
            be32(10).to_vec(),
            b"hello".to_vec(),
        ]
        .concat(),
        [
            header(11, false, 0),
            be32(300).to_vec(),
            be32(0xffff_ffff).to_vec(),
        ]
        .concat(),
        header(12, false, 0),
        header(7, false, 0),
        [
            header(11, true, 0),
            be32(300).to_vec(),
            be32(1).to_vec(),
            options(vec![opt(13, &[0, 0])]),
        ]
        .concat(),
    ];
    for kind in [8u8, 9, 10] {
        // tcpdump reads the group's family from its address's first
        // bytes: a group of 0.1.x.x names family 1 (its printer's offset).
        for group in [nla(1, &GROUP), nla(1, &[0, 1, 1, 1]), nla(1, &[0, 2, 1, 1])] {
            let mut m = [
                header(kind, false, 0),
                be32(42).to_vec(),
                nla(1, &SOURCE),
                group,
            ]
            .concat();
            m.extend_from_slice(&[0; 16]);
            v.push(m);
        }
        v.push(
            [
                header(kind, false, 0),
                be32(42).to_vec(),
                nla(2, &v6(1)),
                nla(2, &v6(2)),
            ]
            .concat(),
        );
    }
    v.extend(option_messages());
    v
}

/// Each message over IPv4 from 10.0.0.1 to 239.1.1.1.
fn v4_frame(m: &[u8]) -> Vec<u8> {
    ipv4(SOURCE, GROUP, 16, 113, &[], m)
}

/// A few over IPv6 (the printer names the ports after IPv6 addresses).
fn v6_frames() -> Vec<Vec<u8>> {
    let ether =
        |ip: Vec<u8>| [&[0x33, 0x33, 0, 0, 0, 0x0d][..], &MAC_A, &[0x86, 0xdd], &ip].concat();
    let all = messages();
    [0usize, 1, 5, 11, 20]
        .iter()
        .filter_map(|&i| all.get(i))
        .chain(std::iter::once(&vec![0u8; 40]))
        .map(|m| {
            ether(ipv6_packet(
                v6(1),
                [0xff, 0x0e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0d],
                113,
                m,
            ))
        })
        .collect()
}

/// The NAK, NNAK and NCF messages in Ethernet frames (whose group's
/// family tcpdump reads unchecked: a cut there starts the dump at the
/// frame).
pub fn nak_frames() -> Vec<Vec<u8>> {
    messages()
        .iter()
        .filter(|m| matches!(m.get(4), Some(8..=10)))
        .map(|m| v4_frame(m))
        .collect()
}

/// The capture: every message whole, the first few cut at every length,
/// the others at a few, then `damaged` seeded damaged copies.
pub fn capture(damaged: usize) -> Vec<u8> {
    let whole: Vec<Vec<u8>> = messages().iter().map(|m| v4_frame(m)).collect();
    let mut frames = with_cuts_and_damage(whole.clone(), 34, damaged, 0x9a30_0bad_0000_0001);
    for f in whole.iter().take(8).chain(whole.iter().skip(40).take(4)) {
        frames.extend(super::app_captures::cuts(f, 34));
    }
    frames.extend(
        v6_frames()
            .into_iter()
            .map(|bytes| Frame { bytes, snap: None }),
    );
    super::app_captures::capture(&frames)
}
