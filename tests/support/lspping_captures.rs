//! `captures/dissect_lspping.pcap`: LSP ping (MPLS echo, RFC 8029)
//! messages built by hand on UDP port 3503 (Debian has no LSP ping
//! daemon): every message type, reply mode and return code tcpdump names
//! and some past its tables, timestamps zero and not, other versions,
//! datagrams shorter than the header; every TLV tcpdump knows and unknown
//! ones, each Target FEC Stack sub-TLV at its length and at a wrong one,
//! route distinguishers of each type, pseudowire types named and not,
//! each Downstream Mapping address type, TLVs of length zero, unpadded,
//! running past the datagram, several sub-TLVs in a stack (tcpdump's walk
//! then reads four bytes early), a sub-TLV whose padding runs past its
//! TLV; replies from the port; then seeded damaged copies. In a temporary
//! capture each message is cut at every length. `tests/dissect_lspping.rs`
//! compares `sockscope read` with `tcpdump -n -r` on both.

use super::app_captures::{Frame, capture as write, damaged, frames_of, udp};

pub const PORT: u16 = 3503;

/// A header: version, message type, reply mode, return code and subcode,
/// sender's handle, sequence number, the sent and received timestamps.
pub fn header(version: u16, kind: u8, mode: u8, code: [u8; 2], seq: u32, ts: [u64; 2]) -> Vec<u8> {
    let mut m = Vec::with_capacity(32);
    m.extend_from_slice(&version.to_be_bytes());
    m.extend_from_slice(&[0, 0, kind, mode, code[0], code[1]]);
    m.extend_from_slice(&0x0000_1234u32.to_be_bytes());
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(&ts[0].to_be_bytes());
    m.extend_from_slice(&ts[1].to_be_bytes());
    m
}

/// An echo request sent at a fixed time, not answered yet.
pub fn request(tlvs: &[u8]) -> Vec<u8> {
    let mut m = header(1, 1, 2, [0, 0], 7, [SENT, 0]);
    m.extend_from_slice(tlvs);
    m
}

/// 2019-02-02T11:39:44.5Z as NTP's 32.32 fixed point.
const SENT: u64 = 0xe000_0000_8000_0000;

/// A TLV (or sub-TLV): type, the value's length, value, padded to four.
pub fn tlv(t: u16, value: &[u8]) -> Vec<u8> {
    let mut b = tlv_unpadded(t, value);
    b.resize(b.len().next_multiple_of(4), 0);
    b
}

fn tlv_unpadded(t: u16, value: &[u8]) -> Vec<u8> {
    [
        &t.to_be_bytes()[..],
        &(value.len() as u16).to_be_bytes(),
        value,
    ]
    .concat()
}

/// `n` bytes counting up from `first`.
fn bytes(first: u8, n: usize) -> Vec<u8> {
    (0..n).map(|i| first.wrapping_add(i as u8)).collect()
}

/// 2001:db8::`last`, an address tcpdump and Rust write alike.
fn v6(last: u8) -> Vec<u8> {
    let mut a = vec![0x20, 0x01, 0x0d, 0xb8];
    a.resize(15, 0);
    a.push(last);
    a
}

/// Route distinguishers of each type tcpdump writes, and one it does not.
fn rds() -> [Vec<u8>; 4] {
    [
        vec![0, 0, 0xfd, 0xe8, 0, 0, 0, 7],
        vec![0, 1, 192, 0, 2, 9, 0, 3],
        vec![0, 2, 0, 1, 0, 1, 0, 4],
        vec![0, 3, 1, 2, 3, 4, 5, 6],
    ]
}

/// The Target FEC Stack's sub-TLVs, each at the length tcpdump takes.
fn sub_tlvs() -> Vec<Vec<u8>> {
    let [rd0, rd1, rd2, rd3] = rds();
    let v4 = [10, 1, 2, 0];
    vec![
        tlv(1, &[&v4[..], &[24]].concat()),
        tlv(2, &[v6(1), vec![64]].concat()),
        tlv(
            3,
            &[&[
                10, 0, 0, 1, 0, 0, 0x12, 0x34, 192, 0, 2, 1, 10, 0, 0, 2, 0, 0, 0xab, 0xcd,
            ][..]]
            .concat(),
        ),
        tlv(
            4,
            &[
                v6(1),
                vec![0, 0, 0x12, 0x34],
                v6(2),
                v6(3),
                vec![0, 0, 0xab, 0xcd],
            ]
            .concat(),
        ),
        tlv(5, &[1, 2, 3, 4]),
        tlv(6, &[rd0.clone(), v4.to_vec(), vec![24]].concat()),
        tlv(6, &[rd1.clone(), v4.to_vec(), vec![32]].concat()),
        tlv(7, &[rd2.clone(), v6(9), vec![48]].concat()),
        tlv(7, &[rd3.clone(), v6(9), vec![128]].concat()),
        tlv(8, &[rd0, vec![0, 1, 0, 2, 0, 5]].concat()),
        tlv(8, &[rd1, vec![0xff, 0xff, 0, 0, 0x12, 0x34]].concat()),
        tlv(9, &[10, 0, 0, 9, 0, 0, 0, 100, 0, 4]),
        tlv(9, &[10, 0, 0, 9, 0xff, 0xff, 0xff, 0xff, 0x80, 0x05]),
        tlv(10, &[10, 0, 0, 1, 10, 0, 0, 9, 0, 0, 0, 100, 0, 0x0b]),
        tlv(11, &bytes(1, 8)),
        tlv(12, &[172, 16, 0, 0, 12]),
        tlv(13, &[v6(5), vec![56]].concat()),
        tlv(14, &bytes(1, 4)),
        tlv(16, &[]),
        tlv(0xffff, &bytes(0x41, 3)),
    ]
}

/// The sub-TLVs tcpdump decodes at one length and below and above it.
fn wrong_lengths() -> Vec<Vec<u8>> {
    [
        (1u16, 5usize),
        (2, 17),
        (3, 20),
        (4, 56),
        (6, 13),
        (7, 25),
        (8, 14),
        (9, 10),
        (10, 14),
        (12, 5),
        (13, 17),
    ]
    .iter()
    .flat_map(|&(t, n)| [tlv(t, &bytes(0x10, n - 1)), tlv(t, &bytes(0x20, n + 1))])
    .collect()
}

/// The Downstream Mapping's address types, whole, and short of each part.
fn downstream_mappings() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    let info = [0, 0, 0, 0];
    let label = [0x00, 0x01, 0x00, 0x03];
    for (kind, addrs) in [
        (1u8, [&[10, 0, 0, 1][..], &[10, 0, 0, 2]].concat()),
        (2, [&[10, 0, 0, 1][..], &[0, 0, 0, 3]].concat()),
        (3, [v6(1), v6(2)].concat()),
        (4, [v6(1), vec![0, 0, 0, 4]].concat()),
        (9, Vec::new()),
    ] {
        let head = [&[0x05, 0xdc, kind, 0x01][..], &addrs].concat();
        v.push(tlv(2, &[&head[..], &info, &label].concat()));
        v.push(tlv(2, &head));
        v.push(tlv(2, &head[..head.len().min(6)]));
    }
    v.push(tlv(2, &[0x05, 0xdc]));
    v
}

/// Every hand-built message, to port 3503.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = Vec::new();
    for kind in [1u8, 2, 0, 3, 0xff] {
        v.push(header(1, kind, 2, [0, 0], 1, [SENT, 0]));
    }
    for mode in 0u8..=5 {
        v.push(header(1, 1, mode, [0, 0], 2, [SENT, 0]));
    }
    for code in (0u8..=14).chain([0xff]) {
        v.push(header(
            1,
            2,
            2,
            [code, code / 2],
            3,
            [SENT, SENT + 0x1_0000_0001],
        ));
    }
    for ts in [[0, 0], [0, 1], [5 << 32, 0], [u64::MAX, u64::MAX]] {
        v.push(header(1, 2, 4, [3, 1], u32::MAX, ts));
    }
    v.push(header(0, 1, 2, [0, 0], 1, [SENT, 0]));
    v.push(header(2, 1, 2, [0, 0], 1, [SENT, 0]));
    v.push(header(0xffff, 1, 2, [0, 0], 1, [SENT, 0]));
    for sub in sub_tlvs().into_iter().chain(wrong_lengths()) {
        v.push(request(&tlv(1, &sub)));
    }
    // Several sub-TLVs in one stack: tcpdump steps by the values alone.
    v.push(request(&tlv(1, &sub_tlvs().concat())));
    v.push(request(&tlv(
        1,
        &[tlv(1, &[10, 0, 0, 1, 32]), tlv(5, &[])].concat(),
    )));
    v.push(request(&tlv(
        1,
        &[tlv(5, &[]), tlv(5, &[]), tlv(1, &[10, 0, 0, 1, 32])].concat(),
    )));
    // A stack too short for a sub-TLV's header, for its value, for its
    // padding.
    v.push(request(&tlv(1, &[0, 1, 0])));
    v.push(request(&tlv(1, &[0, 1, 0, 16, 1, 2, 3, 4])));
    v.push(request(&tlv(1, &tlv_unpadded(1, &[10, 0, 0, 1, 32]))));
    v.push(request(&tlv(1, &[])));
    for d in downstream_mappings() {
        v.push(request(&d));
    }
    for (t, value) in [
        (3u16, bytes(0, 7)),
        (4, bytes(1, 4)),
        (5, vec![0, 0, 0, 9]),
        (5, vec![0, 0, 0x0a, 0x4c]),
        (5, vec![0x12, 0x34, 0x56, 0x78, 9]),
        (5, vec![0, 9]),
        (7, bytes(0, 12)),
        (9, vec![1, 0, 0, 0]),
        (10, vec![0xb8, 0, 0, 0]),
        (15, vec![0xde, 0xad, 0xbe, 0xef]),
        (15, vec![1, 2, 3]),
        (0xfc00, bytes(0x61, 20)),
        (0, Vec::new()),
        (0x1234, bytes(0x30, 33)),
    ] {
        v.push(request(&tlv(t, &value)));
    }
    // Several TLVs; one unpadded at the end; one running past the
    // datagram; a header cut by the datagram's end.
    let all: Vec<u8> = [
        tlv(1, &sub_tlvs()[0]),
        downstream_mappings()[0].clone(),
        tlv(15, &[0, 0, 0, 1]),
        tlv(3, &[]),
        tlv(9, &[0, 0, 0, 0]),
    ]
    .concat();
    v.push(request(&all));
    v.push(request(
        &[&all[..], &tlv_unpadded(3, &bytes(0, 5))].concat(),
    ));
    v.push(request(&[&all[..], &[0, 3, 0, 40, 1, 2, 3, 4]].concat()));
    v.push(request(&[&all[..], &[0, 3]].concat()));
    v.push(request(&[0, 3, 0]));
    for len in [0usize, 1, 4, 16, 31] {
        v.push(request(&[])[..len].to_vec());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, a few from it, then `n`
/// damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = frames_of(&messages);
    for (_, _, m) in messages.iter().skip(5).take(3) {
        frames.push(udp(false, 40000, PORT, m));
    }
    frames.extend(damaged(0x1599_0000_0000_0001, &messages, n));
    write(&frames)
}
