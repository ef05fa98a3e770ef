//! `captures/dissect_openflow.pcap`: OpenFlow messages on TCP 6653 (and
//! 6633) — every OpenFlow 1.0 message type with the bodies tcpdump
//! decodes (switch features with ports, flow modifications with matches
//! and every action, statistics of every kind, queues, errors, vendor
//! messages), the OpenFlow 1.3 types tcpdump decodes, headers of other
//! versions, several messages in one segment, lengths that contradict
//! each other — each alone in a segment, the larger ones cut at every
//! length, then seeded damaged copies. `tests/dissect_openflow.rs`
//! compares `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{Frame, capture as write, tcp_each};
use super::dns_captures::mutate;
use super::rng::Rng;

pub const PORT: u16 = 6653;
pub const OLD_PORT: u16 = 6633;

/// A message: version, type, xid, then `body` (the length counts all).
pub fn of(version: u8, kind: u8, xid: u32, body: &[u8]) -> Vec<u8> {
    let len = (8 + body.len()) as u16;
    [
        &[version, kind][..],
        &len.to_be_bytes(),
        &xid.to_be_bytes(),
        body,
    ]
    .concat()
}

/// The same with a length that says `len` whatever the body is.
fn of_len(version: u8, kind: u8, len: u16, body: &[u8]) -> Vec<u8> {
    [
        &[version, kind][..],
        &len.to_be_bytes(),
        &[0, 0, 0, 9],
        body,
    ]
    .concat()
}

fn be16(v: u16) -> [u8; 2] {
    v.to_be_bytes()
}

fn be32(v: u32) -> [u8; 4] {
    v.to_be_bytes()
}

fn be64(v: u64) -> [u8; 8] {
    v.to_be_bytes()
}

/// `s` NUL-padded to `n` bytes.
fn padded(s: &[u8], n: usize) -> Vec<u8> {
    let mut v = s.to_vec();
    v.resize(n, 0);
    v
}

/// An OpenFlow 1.0 physical port (48 bytes).
fn phy_port(no: u16, name: &[u8], bits: [u32; 6]) -> Vec<u8> {
    let mut v = [
        &be16(no)[..],
        &[0x02, 0, 0, 0, 0, no as u8],
        &padded(name, 16),
    ]
    .concat();
    for b in bits {
        v.extend_from_slice(&be32(b));
    }
    v
}

/// An OpenFlow 1.0 match (40 bytes).
fn flow_match(wildcards: u32, dl_type: u16, proto: u8) -> Vec<u8> {
    [
        &be32(wildcards)[..],
        &be16(3),
        &[0, 1, 2, 3, 4, 5],
        &[6, 7, 8, 9, 10, 11],
        &be16(100),
        &[3, 0],
        &be16(dl_type),
        &[0x10, proto, 0, 0],
        &[10, 0, 0, 1],
        &[10, 0, 0, 2],
        &be16(8),
        &be16(0),
    ]
    .concat()
}

/// An action: type, length, then `body`.
fn action(kind: u16, body: &[u8]) -> Vec<u8> {
    [&be16(kind)[..], &be16((4 + body.len()) as u16), body].concat()
}

fn actions_all() -> Vec<u8> {
    [
        action(0, &[0xff, 0xfd, 0, 128]),
        action(0, &[0xff, 0xfb, 0, 0]),
        action(1, &[0x00, 0x0a, 0, 0]),
        action(1, &[0x0f, 0xff, 0, 0]),
        action(2, &[9, 0, 0, 0]),
        action(3, &[0, 0, 0, 0]),
        action(4, &[1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0]),
        action(5, &[6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0]),
        action(6, &[192, 0, 2, 9]),
        action(7, &[192, 0, 2, 10]),
        action(8, &[0x2e, 0, 0, 0]),
        action(9, &[0, 80, 0, 0]),
        action(10, &[1, 187, 0, 0]),
        action(11, &[0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]),
        action(11, &[0, 2, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
        action(0xffff, &[0, 0, 0x23, 0x20, 1, 2, 3, 4, 5, 6, 7, 8]),
        action(0x20, &[0, 0, 0, 0]),
        action(0, &[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]
    .concat()
}

/// OpenFlow 1.0 messages, one of each kind and their odd cases.
pub fn v10_messages() -> Vec<Vec<u8>> {
    let port_bits = [0x45, 0x201, 0x0a5, 0xfff, 0x1000_0000, 0];
    let features = [
        &be64(0x0000_0123_4567_89ab)[..],
        &be32(256),
        &[254, 0, 0, 0],
        &be32(0xdf),
        &be32(0xfff),
        &phy_port(1, b"eth0", port_bits),
        &phy_port(0xfffe, b"br0", [0, 0x300, 0, 0, 0, 0]),
    ]
    .concat();
    let flow_mod = |command: u16, m: Vec<u8>, acts: &[u8]| {
        let body = [
            &m[..],
            &be64(0xfeed),
            &be16(command),
            &be16(10),
            &be16(0),
            &be16(0x8000),
            &be32(0xffff_ffff),
            &be16(0xfffb),
            &be16(0x0003),
            acts,
        ]
        .concat();
        of(1, 14, 40 + u32::from(command), &body)
    };
    let stats_req = |kind: u16, flags: u16, body: &[u8]| {
        of(1, 16, 50, &[&be16(kind)[..], &be16(flags), body].concat())
    };
    let stats_rep = |kind: u16, flags: u16, body: &[u8]| {
        of(1, 17, 51, &[&be16(kind)[..], &be16(flags), body].concat())
    };
    let flow_stats = {
        let acts = action(0, &[0, 2, 0, 0]);
        let len = (88 + acts.len()) as u16;
        [
            &be16(len)[..],
            &[0, 0],
            &flow_match(0x0030_00e0, 0x0800, 6),
            &be32(12),
            &be32(500),
            &be16(7),
            &be16(60),
            &be16(0),
            &[0; 6],
            &be64(0xc0ffee),
            &be64(42),
            &be64(4200),
            &acts,
        ]
        .concat()
    };
    let table_stats = [
        &[0u8, 0, 0, 0][..],
        &padded(b"classifier", 32),
        &be32(0x003f_ffff),
        &be32(1_000_000),
        &be32(3),
        &be64(99),
        &be64(77),
    ]
    .concat();
    let port_stats: Vec<u8> = [&be16(1)[..], &[0; 6]]
        .concat()
        .into_iter()
        .chain((1..=12u64).flat_map(be64))
        .collect();
    let queue_stats = [
        &be16(1)[..],
        &[0, 0],
        &be32(1),
        &be64(10),
        &be64(20),
        &be64(0),
    ]
    .concat();
    let desc = [
        padded(b"Nicira, Inc.", 256),
        padded(b"Open vSwitch", 256),
        padded(b"3.1.0", 256),
        padded(b"None", 32),
        padded(b"br0", 256),
    ]
    .concat();
    let queue = |id: u32, props: &[u8]| {
        [
            &be32(id)[..],
            &be16((8 + props.len()) as u16),
            &[0, 0],
            props,
        ]
        .concat()
    };
    let prop = |kind: u16, body: &[u8]| {
        [
            &be16(kind)[..],
            &be16((8 + body.len()) as u16),
            &[0; 4],
            body,
        ]
        .concat()
    };
    let queues = [
        queue(
            1,
            &[prop(0, &[]), prop(1, &[0x01, 0xf4, 0, 0, 0, 0, 0, 0])].concat(),
        ),
        queue(2, &prop(1, &[0x07, 0xd0, 0, 0, 0, 0, 0, 0])),
        queue(3, &[prop(0, &[0; 8]), prop(7, &[])].concat()),
    ]
    .concat();
    let frame: Vec<u8> = (0..60u8).collect();
    vec![
        of(1, 0, 1, &[]),
        of(1, 0, 1, b"extra"),
        of(1, 1, 2, &[&be16(1)[..], &be16(6), b"bad length!!"].concat()),
        of(1, 1, 2, &[&be16(5)[..], &be16(99)].concat()),
        of(1, 1, 2, &[&be16(9)[..], &be16(0), &[1, 2]].concat()),
        of(1, 1, 2, &be16(1)),
        of(1, 2, 3, b"ping"),
        of(1, 3, 3, &[]),
        of(
            1,
            4,
            4,
            &[&be32(0x0000_2320)[..], &[0, 0, 0, 10, 1, 2, 3, 4]].concat(),
        ),
        of(1, 4, 4, &be32(0x4f4e_4600)),
        of(1, 4, 4, &[&be32(0x00ab_cdef)[..], b"xy"].concat()),
        of(1, 4, 4, &be32(0xff00_0099)),
        of(1, 5, 5, &[]),
        of(1, 5, 5, b"ab"),
        of(1, 6, 6, &features),
        of(1, 6, 6, &features[..24 + 20]),
        of(1, 7, 7, &[]),
        of(1, 8, 8, &[0, 0, 0, 128]),
        of(1, 9, 9, &[0, 5, 0xff, 0xff]),
        of(1, 9, 9, &[0, 1, 0xff]),
        of(
            1,
            10,
            10,
            &[&be32(0xffff_ffff)[..], &be16(60), &be16(1), &[0, 0], &frame].concat(),
        ),
        of(
            1,
            10,
            10,
            &[&be32(77)[..], &be16(60), &be16(0xfffe), &[7, 0]].concat(),
        ),
        of(
            1,
            11,
            11,
            &[
                &flow_match(0, 0x0800, 1)[..],
                &be64(0xabc),
                &be16(100),
                &[2, 0],
                &be32(30),
                &be32(5000),
                &be16(10),
                &[0, 0],
                &be64(12),
                &be64(1200),
            ]
            .concat(),
        ),
        of(
            1,
            12,
            12,
            &[
                &[2u8, 0, 0, 0, 0, 0, 0, 0][..],
                &phy_port(3, b"veth\x01\xff", port_bits),
            ]
            .concat(),
        ),
        of(
            1,
            12,
            12,
            &[&[9u8, 0, 0, 0, 0, 0, 0, 0][..], &phy_port(4, b"p4", [0; 6])].concat(),
        ),
        of(
            1,
            13,
            13,
            &[
                &be32(0xffff_ffff)[..],
                &be16(0xfffd),
                &be16(8),
                &action(0, &[0xff, 0xfb, 0, 0]),
                &frame[..14],
            ]
            .concat(),
        ),
        of(1, 13, 13, &[&be32(1)[..], &be16(1), &be16(80)].concat()),
        flow_mod(0, flow_match(0, 0x0800, 1), &actions_all()),
        flow_mod(3, flow_match(0x0000_3fc1, 0x0806, 2), &[]),
        flow_mod(1, flow_match(0x0fff_ffff, 0, 0), &action(0, &[0, 1, 0, 0])),
        flow_mod(2, flow_match(0x0000_20ff, 0x86dd, 17), &[0, 0, 0, 4, 0, 0]),
        flow_mod(
            7,
            flow_match(0x0030_0000, 0x0800, 6),
            &[0, 0, 0, 20, 0, 0, 0, 0],
        ),
        of(
            1,
            15,
            15,
            &[
                &be16(2)[..],
                &[2, 0, 0, 0, 0, 2],
                &be32(0x41),
                &be32(0x7f),
                &be32(0x2000_0101),
                &[0; 4],
            ]
            .concat(),
        ),
        stats_req(0, 0, &[]),
        stats_req(
            1,
            0,
            &[
                &flow_match(0x0030_00ff, 0, 0)[..],
                &[0xff, 0],
                &be16(0xffff),
            ]
            .concat(),
        ),
        stats_req(
            2,
            0,
            &[&flow_match(0, 0x0800, 17)[..], &[0xfe, 0], &be16(2)].concat(),
        ),
        stats_req(3, 1, &[]),
        stats_req(4, 0, &[&be16(0xfffc)[..], &[0; 6]].concat()),
        stats_req(5, 0, &[&be16(1)[..], &[0, 0], &be32(0xffff_ffff)].concat()),
        stats_req(0xffff, 0, &[&be32(0x0000_2320)[..], &[1, 2, 3, 4]].concat()),
        stats_req(9, 0, &[]),
        stats_req(4, 0, &[0; 3]),
        stats_rep(0, 0, &desc),
        stats_rep(0, 0, &desc[..100]),
        stats_rep(1, 1, &flow_stats),
        stats_rep(
            2,
            0,
            &[&be64(5)[..], &be64(500), &be32(2), &[0; 4]].concat(),
        ),
        stats_rep(3, 0, &table_stats),
        stats_rep(4, 0, &port_stats),
        stats_rep(5, 0, &queue_stats),
        stats_rep(
            0xffff,
            0,
            &[&be32(0x005c_16c8)[..], b"vendor data"].concat(),
        ),
        stats_rep(8, 2, &[1, 2, 3]),
        of(1, 18, 18, &[]),
        of(1, 19, 19, &[]),
        of(1, 20, 20, &[&be16(0xfff8)[..], &[0, 0]].concat()),
        of(1, 21, 21, &[&be16(1)[..], &[0; 6], &queues].concat()),
        of(1, 22, 22, &[]),
        of(1, 0xff, 22, b"abc"),
        of_len(1, 0, 4, &[]),
        of_len(1, 2, 100, b"short"),
    ]
}

/// OpenFlow 1.3 messages, the types tcpdump decodes and some it only
/// names.
pub fn v13_messages() -> Vec<Vec<u8>> {
    let port = [
        &be32(1)[..],
        &[0; 4],
        &[2, 0, 0, 0, 0, 1],
        &[0, 0],
        &padded(b"s1-eth1", 16),
        &be32(0x25),
        &be32(0x6),
        &be32(0x2840),
        &be32(0x0001_0000),
        &be32(0),
        &be32(0),
        &be32(10_000_000),
        &be32(0),
    ]
    .concat();
    vec![
        of(4, 0, 1, &[0, 1, 0, 8, 0, 0, 0, 0x18]),
        of(4, 0, 1, &[0, 1, 0, 8, 0x80, 0, 0, 0x01, 0, 2, 0, 6, 1, 2]),
        of(4, 0, 1, &[0, 1, 0, 3]),
        of(4, 1, 2, &[&be16(4)[..], &be16(6), b"data"].concat()),
        of(4, 1, 2, &[&be16(0xffff)[..], &be16(3)].concat()),
        of(4, 1, 2, &[&be16(20)[..], &be16(3)].concat()),
        of(4, 2, 3, b"ping"),
        of(4, 4, 4, &[&be32(0x0000_2320)[..], &be32(7), b"nx"].concat()),
        of(4, 4, 4, &be32(1)),
        of(4, 5, 5, &[]),
        of(
            4,
            6,
            6,
            &[
                &be64(1)[..],
                &be32(0),
                &[254, 1, 0, 0],
                &be32(0x14f),
                &be32(0),
            ]
            .concat(),
        ),
        of(4, 8, 8, &[0, 0, 0xff, 0xe5]),
        of(4, 9, 9, &[0, 3, 0xff, 0xff]),
        of(4, 10, 10, &[1, 2, 3, 4]),
        of(
            4,
            12,
            12,
            &[&[1u8, 0, 0, 0, 0, 0, 0, 0][..], &port].concat(),
        ),
        of(
            4,
            12,
            12,
            &[&[5u8, 0, 0, 0, 0, 0, 0, 0][..], &port].concat(),
        ),
        of(
            4,
            16,
            16,
            &[
                &be32(0xffff_fffe)[..],
                &[0; 4],
                &[2, 0, 0, 0, 0, 1],
                &[0, 0],
                &be32(1),
                &be32(0x11),
                &be32(0x2000_0020),
                &[0; 4],
            ]
            .concat(),
        ),
        of(4, 17, 17, &[0xfe, 0, 0, 0, 0, 0, 0, 3]),
        of(4, 18, 18, &[0, 13, 0, 0, 0, 0, 0, 0]),
        of(4, 20, 20, &[]),
        of(4, 22, 22, &[&be32(0xffff_ffff)[..], &[0; 4]].concat()),
        of(4, 24, 24, &[&be32(2)[..], &[0; 4], &be64(0x10)].concat()),
        of(4, 25, 24, &[&be32(9)[..], &[0; 4], &be64(0x10)].concat()),
        of(4, 26, 26, &[]),
        of(
            4,
            28,
            28,
            &[
                7, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0,
            ],
        ),
        of(4, 27, 27, &[0; 20]),
        of(4, 29, 29, &[0; 8]),
        of(4, 30, 29, &[]),
    ]
}

/// Other versions: their header only.
fn other_messages() -> Vec<Vec<u8>> {
    [2u8, 3, 5, 6, 0, 0x63]
        .iter()
        .map(|&v| of(v, 0, 0x0102_0304, &[1, 2]))
        .collect()
}

pub fn messages() -> Vec<Vec<u8>> {
    [
        v10_messages(),
        v13_messages(),
        other_messages(),
        bsn_messages(),
        frame_messages(),
    ]
    .concat()
}

/// A Big Switch Networks vendor message of `subtype` with `body`.
fn bsn(subtype: u32, body: &[u8]) -> Vec<u8> {
    of(1, 4, 0x5c, &[&be32(BSN)[..], &be32(subtype), body].concat())
}

/// Big Switch Networks' OUI, the one vendor tcpdump decodes.
const BSN: u32 = 0x005c_16c7;

/// A flow modification whose one action is a vendor action of `body`.
fn with_vendor_action(body: &[u8]) -> Vec<u8> {
    let acts = action(0xffff, body);
    let m = flow_match(0x003f_ffff, 0, 0);
    let fixed = [0u8; 24];
    of(1, 14, 0x5d, &[&m[..], &fixed, &acts].concat())
}

/// The BSN action MIRROR to port `port` with `tag` and `stage`.
fn mirror(port: u32, tag: u32, stage: u8) -> Vec<u8> {
    [
        &be32(BSN)[..],
        &be32(1),
        &be32(port),
        &be32(tag),
        &[stage, 0, 0, 0],
    ]
    .concat()
}

/// Big Switch Networks' messages of every subtype tcpdump decodes, and
/// some it only names, with wrong lengths; its actions.
pub fn bsn_messages() -> Vec<Vec<u8>> {
    let mut v = vec![
        bsn(0, &[3, 0, 0, 0, 255, 255, 255, 0]),
        bsn(1, &[7, 0, 0, 0, 0, 0, 0, 0]),
        bsn(2, &[1, 9, 9, 9, 10, 0, 0, 0]),
        bsn(0, &[3, 0, 0, 0]),
        bsn(1, &[7]),
        bsn(3, &[1, 0, 0, 0]),
        bsn(4, &[0, 0, 0, 0]),
        bsn(5, &[9, 0, 0, 0]),
        bsn(3, &[1, 0, 0, 0, 0]),
        bsn(6, &[&be32(2)[..], b"show \x01ver\x00\xc8\x7f"].concat()),
        bsn(6, &[0, 0, 1]),
        bsn(7, b"line one\nline two"),
        bsn(7, &[]),
        bsn(8, &be32(0xdead_beef)),
        bsn(8, &[0; 8]),
        bsn(17, &be32(42)),
        bsn(17, &[]),
        bsn(10, b"interfaces"),
        bsn(30, &[1, 2]),
        bsn(0x0102_0304, &[]),
        of(1, 4, 0x5c, &[&be32(BSN)[..], &[1, 2]].concat()),
        of(1, 4, 0x5c, &be32(BSN)),
    ];
    for sub in [9u32, 13, 19, 21, 27] {
        v.push(bsn(sub, &[]));
        v.push(bsn(sub, &[0; 4]));
    }
    for (port, tag, stage) in [
        (5, 0, 0),
        (6, 0x8100_2064, 1),
        (7, 0x8100_f001, 2),
        (8, 0x88a8_0001, 0),
    ] {
        v.push(with_vendor_action(&mirror(port, tag, stage)));
    }
    v.push(with_vendor_action(
        &[&be32(BSN)[..], &be32(2), &[0; 8]].concat(),
    ));
    v.push(with_vendor_action(
        &[&be32(BSN)[..], &be32(1), &[0; 8]].concat(),
    ));
    v.push(with_vendor_action(&[&be32(BSN)[..], &[0; 4]].concat()));
    v.push(with_vendor_action(
        &[&be32(0x0000_2320)[..], &[0; 4]].concat(),
    ));
    v
}

/// An Ethernet frame carrying TCP from 192.0.2.1:40000 to port 80.
pub fn tcp_frame() -> Vec<u8> {
    super::app_captures::tcp(true, 40000, 80, 7, b"GET / HTTP/1.0\r\n\r\n").bytes
}

/// A PACKET_IN carrying `frame`.
pub fn packet_in(frame: &[u8]) -> Vec<u8> {
    let total = frame.len() as u16;
    let head = [&be32(0x100)[..], &be16(total), &be16(2), &[0, 0]].concat();
    of(1, 10, 0x10, &[&head[..], frame].concat())
}

/// PACKET_IN and PACKET_OUT with real frames (TCP, UDP, ARP, tagged),
/// frames too short for their Ethernet header, and a 1.3 PACKET_IN
/// (tcpdump 4.99 decodes no 1.3 frame).
pub fn frame_messages() -> Vec<Vec<u8>> {
    let udp = super::app_captures::udp(false, 5000, 7, b"echo").bytes;
    let mut arp = vec![0xff; 6];
    arp.extend_from_slice(&[2, 0, 0, 0, 0, 1, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1]);
    arp.extend_from_slice(&[2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);
    let mut tagged = tcp_frame();
    tagged.splice(12..12, [0x81, 0x00, 0x20, 0x05]);
    let out = [
        &be32(0xffff_ffff)[..],
        &be16(1),
        &be16(8),
        &action(0, &[0xff, 0xfb, 0, 0]),
        &udp,
    ]
    .concat();
    vec![
        packet_in(&tcp_frame()),
        packet_in(&arp),
        packet_in(&tagged),
        packet_in(&tcp_frame()[..20]),
        packet_in(&tcp_frame()[..10]),
        of(1, 13, 0x13, &out),
        of(4, 10, 0x10, &[&[0u8; 16][..], &tcp_frame()].concat()),
    ]
}

/// Several messages in one segment, the last cut by the segment's end;
/// headers the segment cuts.
fn segments_of_several() -> Vec<Vec<u8>> {
    let v10 = v10_messages();
    let v13 = v13_messages();
    let pick = |v: &[Vec<u8>], i: usize| v.get(i).cloned().unwrap_or_default();
    let mut cut_last = [pick(&v10, 0), pick(&v10, 12), pick(&v10, 14)].concat();
    cut_last.truncate(cut_last.len() - 30);
    let mut v = vec![
        [pick(&v10, 0), pick(&v10, 12), pick(&v10, 6), pick(&v13, 0)].concat(),
        [pick(&v10, 27), pick(&v10, 46), pick(&v10, 18)].concat(),
        cut_last,
        [pick(&v10, 16), vec![1, 0]].concat(),
        [pick(&v10, 16), vec![1, 0, 0]].concat(),
        [pick(&v10, 16), vec![4, 2, 0, 12, 0]].concat(),
        vec![1],
        [packet_in(&tcp_frame()), pick(&v10, 6)].concat(),
        [packet_in(&tcp_frame()[..10]), pick(&v10, 0)].concat(),
    ];
    v.extend(cut_after_frames());
    v
}

/// Each of [`frame_messages`] followed by a FEATURES_REPLY the segment's
/// end cuts: at `-vvv` tcpdump's mark names the last printer of the frame
/// before it (`[|http]`, `[|arp]`, `[|ether]`), not OpenFlow.
pub fn cut_after_frames() -> Vec<Vec<u8>> {
    let features = v10_messages().get(14).cloned().unwrap_or_default();
    frame_messages()
        .into_iter()
        .map(|m| {
            let mut s = [m, features.clone()].concat();
            s.truncate(s.len() - 30);
            s
        })
        .collect()
}

/// The OpenFlow capture: each message to 6653, the first ones from it
/// and on 6633, several in a segment, the larger ones cut at every
/// length, `n` damaged copies.
pub fn capture(n: usize) -> Vec<u8> {
    let messages = messages();
    let mut segments: Vec<(bool, Vec<u8>, Option<usize>)> = Vec::new();
    for m in &messages {
        segments.push((true, m.clone(), None));
    }
    for m in messages.iter().take(16) {
        segments.push((false, m.clone(), None));
    }
    for m in segments_of_several() {
        segments.push((true, m, None));
    }
    let v10 = v10_messages();
    let v13 = v13_messages();
    let cut: Vec<&Vec<u8>> = [
        v10.get(14),
        v10.get(27),
        v10.get(44),
        v10.get(54),
        v13.get(14),
    ]
    .into_iter()
    .flatten()
    .collect();
    let bsn = bsn_messages();
    let cut = cut
        .into_iter()
        .chain(bsn.get(9))
        .chain(bsn.get(bsn.len() - 7));
    for m in cut {
        for keep in 0..m.len() {
            segments.push((true, m.clone(), Some(keep)));
        }
    }
    let mut rng = Rng(0x0f14_0000_0000_0001);
    for _ in 0..n {
        if let Some(m) = messages.get(rng.below(messages.len())) {
            segments.push((true, mutate(&mut rng, m), None));
        }
    }
    // Last: a frame cut inside its IP header ends tcpdump's `-vvv` for
    // good (its printer's lowered level is never raised again).
    let frame = packet_in(&tcp_frame());
    for keep in 0..frame.len() {
        segments.push((true, frame.clone(), Some(keep)));
    }
    let mut frames: Vec<Frame> = tcp_each(PORT, &segments);
    let old: Vec<_> = messages
        .iter()
        .take(4)
        .map(|m| (true, m.clone(), None))
        .collect();
    frames.extend(tcp_each(OLD_PORT, &old));
    write(&frames)
}
