//! `captures/dissect_zep.pcap`: ZEP datagrams built by hand on UDP port
//! 17754 (Debian has no ZigBee sniffer or simulator that sends them):
//! version 1 and 2 headers (LQI and CRC modes, data and other types,
//! timestamps with and without a date, acknowledgements), wrong preambles
//! and short datagrams; inside them IEEE 802.15.4 frames of every type,
//! every addressing mode and frame version with and without PAN id
//! compression, 16- and 32-bit FCSs and none, auxiliary security headers
//! of every key id mode and level, header and payload IE lists, beacons
//! with GTS and pending-address lists, every MAC command with the lengths
//! tcpdump accepts and others, multipurpose frames of both forms; inner
//! lengths short of and past the datagram; the first cut at every length;
//! then seeded damaged copies. `tests/dissect_zep.rs` compares `sockscope
//! read` with `tcpdump -n -r` on it.

use super::app_captures::udp_port_capture;
use sockscope::dissect::ieee802_15_4::{fcs16, fcs32};

pub const PORT: u16 = 17754;

/// A version 1 header and `frame`, its length byte `inner`.
pub fn v1(crc: bool, lqi: u8, inner: u8, frame: &[u8]) -> Vec<u8> {
    let mut m = b"EX\x01\x0b\x12\x34".to_vec();
    m.extend_from_slice(&[u8::from(crc), lqi, 0, 0, 0, 0, 0, 0, 0, inner]);
    m.extend_from_slice(frame);
    m
}

/// A version 2 header of type `kind`, timestamp `ts` and sequence number
/// `seq`, and `frame`, its length byte `inner`.
pub fn v2(kind: u8, crc: bool, ts: (u32, u32), seq: u32, inner: u8, frame: &[u8]) -> Vec<u8> {
    let mut m = b"EX\x02".to_vec();
    m.extend_from_slice(&[kind, 26, 0xbe, 0xef, u8::from(crc), 0xff]);
    m.extend_from_slice(&ts.0.to_be_bytes());
    m.extend_from_slice(&ts.1.to_be_bytes());
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(&[0; 10]);
    m.push(inner);
    m.extend_from_slice(frame);
    m
}

/// `frame` in a version 2 data header, its length byte the frame's.
pub fn zep(frame: &[u8]) -> Vec<u8> {
    v2(
        1,
        false,
        (3_900_000_000, 0x8000_0000),
        7,
        frame.len() as u8,
        frame,
    )
}

/// A frame control field and `body`.
pub fn frame(fc: u16, body: &[u8]) -> Vec<u8> {
    [&fc.to_le_bytes()[..], body].concat()
}

/// `f` with its 16-bit FCS.
pub fn with_fcs16(f: &[u8]) -> Vec<u8> {
    [f, &fcs16(f).to_le_bytes()[..]].concat()
}

/// `f` with its 32-bit FCS.
pub fn with_fcs32(f: &[u8]) -> Vec<u8> {
    [f, &fcs32(f).to_le_bytes()[..]].concat()
}

/// A standard frame control: type, flags (security 3, pending 4, AR 5,
/// PAN id compression 6, sequence suppression 8, IEs 9 as a mask),
/// destination mode, version, source mode.
pub fn fc(kind: u16, flags: u16, dst: u16, version: u16, src: u16) -> u16 {
    kind | flags | dst << 10 | version << 12 | src << 14
}

/// Sequence number, then enough PAN ids and addresses for any mode.
const ADDRESSES: &[u8] = &[
    0x42, 0xcd, 0xab, 0x01, 0x00, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x34, 0x12, 0x11, 0x12, 0x13,
    0x14, 0x15, 0x16, 0x17, 0x18, 0x21, 0x22,
];

/// Every addressing mode pair, frame version and compression bit on a
/// data frame (tcpdump's PAN id rules), half of them with a 16-bit FCS.
fn addressing() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for version in 0..4 {
        for dst in 0..4 {
            for src in 0..4 {
                for comp in [0, 0x40] {
                    let f = frame(fc(1, comp, dst, version, src), &[ADDRESSES, b"hi"].concat());
                    v.push(if (dst + src) % 2 == 0 {
                        with_fcs16(&f)
                    } else {
                        f
                    });
                }
            }
        }
    }
    v
}

/// Short addresses on PAN 0xabcd, compressed: the fields before a
/// payload.
fn short_header(kind: u16, flags: u16, version: u16) -> Vec<u8> {
    frame(
        fc(kind, flags | 0x40, 2, version, 2),
        &[0x09, 0xcd, 0xab, 0xff, 0xff, 0x01, 0x00],
    )
}

/// Beacons: superframe bits, GTS descriptors, pending addresses, lists
/// cut by the frame, version 2.
fn beacons() -> Vec<Vec<u8>> {
    let head = frame(fc(0, 0, 0, 0, 2), &[0x07, 0xcd, 0xab, 0x01, 0x00]);
    let mut v = Vec::new();
    for (ss, gts, pending) in [
        (&[0xff, 0xcf][..], &[0x00][..], &[0x00][..]),
        (
            &[0x12, 0x13],
            &[0x82, 0xff, 0x01, 0x00, 0x21, 0x02, 0x00, 0x43],
            &[0x12, 0x34, 0x12, 0, 1, 2, 3, 4, 5, 6, 7],
        ),
        (
            &[0x00, 0x10],
            &[0x01, 0x01, 0xaa, 0xbb, 0xf0],
            &[0x02, 0x01, 0x00, 0x02, 0x00, 0xde, 0xad],
        ),
        (&[0x34, 0x52], &[0x03, 0x00, 0x01], &[]),
        (&[0x34, 0x52], &[0x00], &[0x77, 0x01]),
        (&[0x34, 0x52], &[], &[]),
        (&[0x34], &[], &[]),
    ] {
        let f = [&head[..], ss, gts, pending, b"payload"].concat();
        v.push(with_fcs16(&f));
        v.push([&head[..], ss, gts, pending].concat());
    }
    v.push(with_fcs16(&frame(
        fc(0, 0, 0, 1, 3),
        &[1, 0xcd, 0xab, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0x4f, 0, 0],
    )));
    v.push(with_fcs16(&frame(
        fc(0, 0, 0, 2, 2),
        &[1, 0xcd, 0xab, 1, 0, 0xff, 0xcf, 0, 0],
    )));
    v
}

/// Every command id with data of the length tcpdump wants, others with
/// lengths it refuses, the reserved ids.
fn commands() -> Vec<Vec<u8>> {
    let head = short_header(3, 0x20, 0);
    let mut data: Vec<Vec<u8>> = vec![
        vec![0x01, 0xff],
        vec![0x01, 0x00],
        vec![0x01, 0x02, 0x03],
        vec![0x08, 0xcd, 0xab, 0x34, 0x12, 0x0b, 0x78, 0x56],
        vec![0x08, 0xcd, 0xab, 0x34, 0x12, 0x0b, 0x78, 0x56, 0x05],
        vec![0x08, 0xcd, 0xab, 0x34, 0x12, 0x0b, 0x78, 0x56, 0x83],
        vec![0x08, 0xcd, 0xab, 0x34, 0x12, 0x0b, 0x78],
        vec![0x08, 0xcd, 0xab, 0x34, 0x12, 0x0b, 0x78, 0x56, 0x05, 0x06],
        vec![0x09, 0x3f],
        vec![0x09, 0x00],
        vec![0x09, 0x10, 0x11],
        vec![0x03],
        vec![0x30, 0x01],
        vec![0xff],
        vec![],
    ];
    for status in [0u8, 1, 2, 3, 0x80, 0x55] {
        data.push(vec![0x02, 0x34, 0x12, status]);
    }
    data.push(vec![0x02, 0x34, 0x12]);
    for reason in [0u8, 1, 2, 3] {
        data.push(vec![0x03, reason]);
    }
    for id in 0x04..0x30u8 {
        data.push(vec![id, 0xaa, 0xbb]);
        data.push(vec![id]);
    }
    let mut v: Vec<Vec<u8>> = data
        .iter()
        .map(|d| with_fcs16(&[&head[..], d].concat()))
        .collect();
    // The disassociation reason tcpdump reads two bytes on, without an
    // FCS after it: the read runs past the frame.
    v.push([&head[..], &[0x03, 0x07]].concat());
    v.push([&head[..], &[0x03, 0x07, 0x00]].concat());
    v.push([&head[..], &[0x01, 0x8e]].concat());
    v
}

/// Auxiliary security headers: every key id mode, with and without the
/// frame counter, every level (the MIC's length), headers the frame cuts.
fn secured() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    let head = short_header(1, 0x08, 1);
    for mode in 0..4u8 {
        for suppressed in [0u8, 0x20] {
            for level in [0u8, 1, 2, 3, 5, 7] {
                let sc = level | mode << 3 | suppressed;
                let aux = [
                    sc, 0x01, 0x02, 0x03, 0x04, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
                    0x19,
                ];
                let f = [&head[..], &aux[..], b"secret data and its mic!"].concat();
                v.push(with_fcs16(&f));
            }
        }
    }
    for keep in 0..9 {
        let aux = [0x1d, 0x01, 0x02, 0x03, 0x04, 0x11, 0x12, 0x13, 0x14];
        v.push([&head[..], &aux[..keep]].concat());
    }
    v.push([&head[..], &[0x05, 1, 2, 3, 4, 9, 0xaa, 0xbb]].concat());
    v
}

/// A header IE: length, element id, type 0.
pub fn header_ie(id: u16, data: &[u8]) -> Vec<u8> {
    [&((data.len() as u16) | id << 7).to_le_bytes()[..], data].concat()
}

/// A payload IE: length, group id, type 1.
pub fn payload_ie(group: u16, data: &[u8]) -> Vec<u8> {
    [
        &((data.len() as u16) | group << 11 | 0x8000).to_le_bytes()[..],
        data,
    ]
    .concat()
}

/// Version 2 frames with IE lists: named, reserved and vendor header IEs,
/// the terminations, payload IEs of every group, wrong types, lengths the
/// frame cuts, payload IEs behind encryption, suppressed sequence numbers.
fn with_ies() -> Vec<Vec<u8>> {
    let head = short_header(1, 0x200, 2);
    let hies = [
        header_ie(0x00, &[0x00, 0x12, 0x4b, 1, 2]),
        header_ie(0x1a, &[1, 0, 2, 0]),
        header_ie(0x1e, &[0x05, 0x80]),
        header_ie(0x1d, &[]),
        header_ie(0x55, &[9]),
        header_ie(0x2b, &[1, 2, 3]),
    ]
    .concat();
    let pies = [
        payload_ie(1, &[0x06, 0x1a, 1, 2, 3, 4, 5, 6]),
        payload_ie(2, &[0x00, 0x12, 0x4b, 7]),
        payload_ie(3, &[0x01, 0x34]),
        payload_ie(5, &[0x01, 9, 9]),
        payload_ie(9, &[]),
        payload_ie(4, &[0xee]),
        payload_ie(0, &[0x01]),
    ]
    .concat();
    let ht1 = header_ie(0x7e, &[]);
    let ht2 = header_ie(0x7f, &[]);
    let term = payload_ie(0xf, &[]);
    let mut v = vec![
        with_fcs16(&[&head[..], &hies, &ht2, b"data"].concat()),
        with_fcs16(&[&head[..], &hies, &ht1, &pies, &term, b"data"].concat()),
        with_fcs32(&[&head[..], &hies, &ht1, &pies].concat()),
        with_fcs16(&[&head[..], &hies].concat()),
        [&head[..], &hies, &ht1, &pies, &term, b"no fcs"].concat(),
        with_fcs16(
            &[
                &head[..],
                &header_ie(0x1a, &[1, 2, 3, 4, 5, 6, 7, 8, 9])[..4],
            ]
            .concat(),
        ),
        with_fcs16(&[&head[..], &[0x05]].concat()),
        with_fcs16(&[&head[..], &ht1, &payload_ie(1, &[1, 2, 3, 4])[..4]].concat()),
        with_fcs16(&[&head[..], &ht1, &[0x01]].concat()),
        // Type bits the lists do not expect.
        with_fcs16(&[&head[..], &[0x01, 0x80, 0xaa], &ht2, b"x"].concat()),
        with_fcs16(&[&head[..], &ht1, &[0x01, 0x08, 0xbb], &term].concat()),
    ];
    // Payload IEs behind encryption (level 5), and readable (level 1).
    let sec = short_header(1, 0x208, 2);
    for sc in [0x05u8, 0x01] {
        v.push(with_fcs16(
            &[&sec[..], &[sc, 1, 0, 0, 0], &ht1, &pies, b"mic!"].concat(),
        ));
    }
    // Sequence number suppressed, on version 2 and (wrongly) version 0.
    for version in [2, 0] {
        v.push(with_fcs16(&frame(
            fc(1, 0x140, 2, version, 2),
            &[0xcd, 0xab, 0xff, 0xff, 0x01, 0x00, b'z'],
        )));
    }
    v
}

/// Multipurpose frames: the short form, the long form with its PAN id,
/// security, IEs and suppressed sequence number, every addressing mode.
fn multipurpose() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    let body = [
        0x33, 0xcd, 0xab, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ];
    for dst in 0..4u16 {
        for src in 0..4u16 {
            let short = 5 | dst << 4 | src << 6;
            v.push(with_fcs16(&[&[short as u8][..], &body].concat()));
            let long = 5 | 0x08 | dst << 4 | src << 6 | 0x100 | 0x2000;
            v.push(with_fcs32(&frame(long, &body)));
        }
    }
    let long = 5 | 0x08 | 2 << 4 | 2 << 6;
    for flags in [0x200u16, 0x400, 0x800 | 0x4000, 0x8000, 0x8000 | 0x200] {
        let f = frame(
            long | flags,
            &[
                &[0x44, 0x01, 0x00, 0x02, 0x00][..],
                &[0x01, 1, 2, 3, 4],
                &header_ie(0x7f, &[]),
                b"multipurpose payload",
            ]
            .concat(),
        );
        v.push(with_fcs16(&f));
    }
    v.push(vec![0x05, 0x01]);
    v.push(vec![0x05, 0x01, 0x02]);
    v.push(with_fcs16(&[0x05]));
    v
}

/// The frame types tcpdump does not decode, ACKs, and frames its lengths
/// stop early.
fn others() -> Vec<Vec<u8>> {
    vec![
        with_fcs16(&frame(4, &[1, 2, 3])),
        with_fcs16(&frame(6, &[1, 2, 3])),
        with_fcs16(&frame(7, &[1, 2, 3])),
        with_fcs16(&frame(2, &[0x33])),
        with_fcs32(&frame(2 | 0x10, &[0x33])),
        frame(2, &[0x33]),
        frame(2, &[0x33, 0x00]),
        frame(fc(1, 0, 1, 0, 2), &[1, 2, 3, 4, 5, 6]),
        frame(fc(1, 0, 2, 0, 1), &[1, 2, 3, 4, 5, 6]),
        frame(fc(1, 0, 3, 0, 3), &[1, 0xcd, 0xab, 1, 2, 3]),
        frame(
            fc(1, 0x40, 3, 0, 3),
            &[1, 0xcd, 0xab, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        ),
        frame(fc(1, 0, 2, 0, 2), &[1, 0xcd, 0xab, 1]),
        frame(fc(1, 0, 2, 0, 2), &[1]),
        with_fcs16(&frame(
            fc(1, 0x30, 2, 1, 2),
            &[1, 0xcd, 0xab, 1, 0, 0x22, 0x11, 2, 0, b'!'],
        )),
    ]
}

/// Every frame, in a version 2 data header of its length.
pub fn frames() -> Vec<Vec<u8>> {
    [
        addressing(),
        beacons(),
        commands(),
        secured(),
        with_ies(),
        multipurpose(),
        others(),
    ]
    .concat()
}

/// The ZEP headers around one frame: both versions and modes, other
/// types, timestamps, acknowledgements, wrong preambles, short datagrams,
/// inner lengths short of and past the datagram.
fn headers() -> Vec<Vec<u8>> {
    let f = with_fcs16(&short_header(1, 0, 1));
    let n = f.len() as u8;
    let mut v = vec![
        v1(false, 200, n, &f),
        v1(true, 200, n, &f),
        v1(false, 0, 0, &f),
        v1(false, 7, n - 3, &f),
        v1(false, 7, n + 5, &f),
        v1(false, 7, 1, &f),
        v1(false, 7, 2, &f),
    ];
    for kind in [0u8, 1, 3, 0xff] {
        v.push(v2(
            kind,
            kind == 3,
            (3_900_000_000, 0x1234_5678),
            0xffff_ffff,
            n,
            &f,
        ));
    }
    for ts in [
        (0u32, 0u32),
        (0, 0xffff_ffff),
        (1, 1),
        (2_208_988_800, 0x4000_0000),
        (0xffff_ffff, 0x8000_0001),
    ] {
        v.push(v2(1, false, ts, 1, n, &f));
    }
    for version in [0u8, 3, 0xff] {
        let mut m = v2(1, false, (0, 0), 1, n, &f);
        m[2] = version;
        v.push(m);
    }
    v.push(b"EX\x02\x02\x00\x00\x01\x00".to_vec());
    v.push(b"EX\x02\x02\x00\x00\x01\x00trailing".to_vec());
    v.push(b"EX\x02\x02\x00\x00\x01".to_vec());
    v.push(b"EX\x01\x0b\x00\x01\x00\x05\x00\x00\x00".to_vec());
    v.push(v2(1, false, (1, 1), 1, n, &f)[..31].to_vec());
    for preamble in [&b"EY"[..], b"ZX", b"\x00\xff", b"\x7f\x80"] {
        v.push([preamble, &f[..]].concat());
    }
    v.push(b"E".to_vec());
    v.push(b"Q".to_vec());
    v.push(Vec::new());
    v.push([&v2(1, false, (0, 0), 1, n, &f)[..], b"after the frame"].concat());
    v
}

/// Every hand-built message, to port 17754.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = headers();
    v.extend(frames().iter().map(|f| zep(f)));
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The messages cut at every length in the cut test: the headers and
/// every third frame (each kind has several among them).
pub fn cut_messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = headers();
    v.extend(frames().iter().step_by(3).map(|f| zep(f)));
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, some from it, one cut at
/// every length, then `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(PORT, &messages(), 0..4, 40, (0x455a_0000_0000_0001, n))
}
