//! `captures/dissect_ethertypes.pcap`: the EtherTypes whose printers
//! tcpdump has beside the common ones, built byte by byte — CFM (802.1ag
//! and Y.1731: CCMs at every interval with each MD and MA name format,
//! loopback and linktrace messages and replies, every TLV tcpdump
//! decodes and the sender id's chassis ids, management addresses and
//! lengths too short, first TLV offsets too small and too large, an
//! unknown opcode and version), Loopback (Cisco's keepalives: replies and
//! forward-data messages, skip counts, each too short), MPCP (EPON: every
//! opcode and flag, gates' grants, reports' queue sets), AoE (every
//! command with its arguments, flags and errors), TIPC (every user and
//! message type, long and short headers), GeoNetworking (0x8947 and
//! 0x0707: every header type, BTP and ITS PDU headers), PPP (0x880b) —
//! each on
//! Ethernet II, padded and not, some also through LLC/SNAP, then cuts
//! and damaged copies; [`every_cut_capture`] cuts each at every length.

use super::app_captures::{Frame, capture, cuts};
use super::control_captures::{ether, with_cuts_and_damage};
use super::tunnel_captures::pppoe;

/// CFM's multicast group, at MD level 0 (802.1ag table 8-15).
const CFM_GROUP: [u8; 6] = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x30];

/// A CFM TLV: type, 16-bit length, value.
fn tlv(kind: u8, value: &[u8]) -> Vec<u8> {
    [&[kind][..], &(value.len() as u16).to_be_bytes(), value].concat()
}

/// A CFM PDU: MD level and version 0, opcode, flags, first TLV offset,
/// the message's fixed part and its TLVs.
fn cfm(level: u8, opcode: u8, flags: u8, offset: u8, fixed: &[u8], tlvs: &[u8]) -> Vec<u8> {
    [&[level << 5, opcode, flags, offset][..], fixed, tlvs].concat()
}

/// A CCM's fixed part with MD name `md` (format, name) and MA name `ma`.
fn ccm_fixed(seq: u32, mep: u16, md: Option<(u8, &[u8])>, ma: (u8, &[u8])) -> Vec<u8> {
    let mut names = Vec::new();
    match md {
        Some((format, name)) => {
            names.extend_from_slice(&[format, name.len() as u8]);
            names.extend_from_slice(name);
        }
        None => names.push(1),
    }
    names.extend_from_slice(&[ma.0, ma.1.len() as u8]);
    names.extend_from_slice(ma.1);
    names.resize(48, 0);
    [&seq.to_be_bytes()[..], &mep.to_be_bytes(), &names, &[0; 16]].concat()
}

/// A sender id TLV's value: chassis id (length, subtype, id), then the
/// rest (management address domain and address with their lengths).
fn sender(chassis: Option<(u8, &[u8])>, rest: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    match chassis {
        Some((kind, id)) => {
            v.extend_from_slice(&[id.len() as u8, kind]);
            v.extend_from_slice(id);
        }
        None => v.push(0),
    }
    v.extend_from_slice(rest);
    tlv(1, &v)
}

/// The TLVs every message kind carries in one of its copies.
fn common_tlvs() -> Vec<u8> {
    [
        tlv(2, &[2]),
        tlv(3, &[1]),
        sender(Some((4, &[0, 0x11, 0x22, 0x33, 0x44, 0x55])), &[]),
        tlv(31, &[0x00, 0x12, 0x0f, 1, 0xaa, 0xbb]),
        tlv(31, &[0x00, 0x19, 0xa7, 7]),
        tlv(4, b"data bytes"),
        tlv(5, &[1, 0, 0x11, 0x22, 0x33, 0x44, 0x55]),
        tlv(6, &[2, 0, 0x11, 0x22, 0x33, 0x44, 0x66]),
        tlv(9, b"xy"),
        vec![0],
    ]
    .concat()
}

/// Every CFM PDU.
pub fn cfm_pdus() -> Vec<Vec<u8>> {
    let tlvs = common_tlvs();
    let end = [0u8];
    let mac = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
    let mut all = Vec::new();
    // A CCM at every interval, RDI or not, with each MD and MA name format.
    for flags in 0..8u8 {
        let fixed = ccm_fixed(
            7 + u32::from(flags),
            0x1234,
            Some((4, b"md-name")),
            (2, b"ma01"),
        );
        all.push(cfm(
            flags % 8,
            1,
            flags | (flags & 1) << 7,
            70,
            &fixed,
            &tlvs,
        ));
    }
    let mds: [Option<(u8, &[u8])>; 8] = [
        None,
        Some((0, &[1, 2, 3])),
        Some((2, b"example.net")),
        Some((3, &[0, 0x11, 0x22, 0x33, 0x44, 0x55])),
        Some((3, &[0, 0x11, 0x22])),
        Some((4, b"with\0nul")),
        Some((4, b"\x01\xfftab\t")),
        Some((9, &[7; 43])),
    ];
    for md in mds {
        for (format, name) in [
            (0u8, &[1u8, 2][..]),
            (1, &[0, 100]),
            (2, b"ma\0x"),
            (3, &[1, 2]),
            (4, &[0, 0, 1, 0, 0, 0, 1]),
            (8, &[5]),
        ] {
            all.push(cfm(5, 1, 4, 70, &ccm_fixed(1, 2, md, (format, name)), &end));
        }
    }
    // Names too long: the MD name (at most 43), the MA name.
    let mut long_md = ccm_fixed(1, 2, Some((4, &[b'a'; 43])), (2, b"m"));
    long_md[7] = 44;
    all.push(cfm(5, 1, 4, 70, &long_md, &end));
    let mut long_ma = ccm_fixed(1, 2, Some((4, b"md")), (2, b"m"));
    long_ma[6 + 4 + 1] = 43;
    all.push(cfm(5, 1, 4, 70, &long_ma, &end));
    // A CCM offset larger than 70 (the TLVs start later), smaller, too large.
    let fixed = ccm_fixed(1, 2, Some((4, b"md")), (2, b"ma"));
    all.push(cfm(5, 1, 4, 74, &[&fixed[..], &[9; 4]].concat(), &tlvs));
    all.push(cfm(5, 1, 4, 69, &fixed, &end));
    all.push(cfm(5, 1, 4, 200, &fixed, &end));
    // Loopback message and reply: transaction id, then TLVs.
    for opcode in [3, 2] {
        all.push(cfm(2, opcode, 0, 4, &99u32.to_be_bytes(), &tlvs));
        all.push(cfm(2, opcode, 0, 4, &99u32.to_be_bytes(), &end));
        all.push(cfm(2, opcode, 0, 0, &[], &tlvs));
    }
    // Linktrace message and reply, every flag.
    for flags in [0x00, 0x80, 0x7f] {
        let ltm = [
            &5u32.to_be_bytes()[..],
            &[64],
            &mac,
            &[0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb],
        ]
        .concat();
        all.push(cfm(3, 5, flags, 17, &ltm, &tlvs));
    }
    for (flags, action) in [(0x00, 1), (0xe0, 2), (0x40, 3), (0x20, 4)] {
        all.push(cfm(3, 4, flags, 6, &[0, 0, 0, 5, 63, action], &tlvs));
    }
    all.push(cfm(3, 5, 0, 16, &[0; 17], &end));
    all.push(cfm(3, 4, 0, 5, &[0; 6], &end));
    // Fixed parts the declared length cuts.
    all.push(cfm(3, 5, 0, 17, &[0; 10], &[]));
    // Y.1731's opcodes tcpdump does not name, a version it does not know.
    for opcode in [0, 6, 33, 47, 255] {
        all.push(cfm(4, opcode, 0, 4, &[1, 2, 3, 4, 5, 6], &tlvs));
    }
    all.push([&[0x41, 1, 0, 70][..], &[0; 20]].concat());
    all.push(vec![0x20, 1, 0]);
    // Sender id TLVs: each chassis id subtype, addresses, short lengths.
    let ipv6 = [&[2u8][..], &[0x20, 0x01, 0x0d, 0xb8], &[0; 11], &[1]].concat();
    let senders = [
        sender(Some((1, b"chassis")), &[]),
        sender(Some((2, b"alias")), &[]),
        sender(Some((3, b"port")), &[]),
        sender(Some((4, &[1, 2, 3])), &[]),
        sender(Some((5, &[1, 192, 0, 2, 1])), &[]),
        sender(Some((5, &[1, 192, 0, 2])), &[]),
        sender(Some((5, &ipv6)), &[]),
        sender(Some((5, &ipv6[..9])), &[]),
        sender(Some((5, &[6, 1, 2, 3])), &[]),
        sender(Some((6, b"eth0")), &[]),
        sender(Some((7, b"local\0x")), &[]),
        sender(Some((0, &[1, 2])), &[]),
        sender(Some((9, &[1, 2, 3])), &[]),
        sender(None, &[]),
        sender(None, &[0]),
        sender(None, &[3, 0x06, 0x01, 0x2b, 4, 192, 0, 2, 9]),
        sender(Some((6, b"eth1")), &[2, 1, 2, 0]),
        sender(Some((6, b"eth1")), &[2, 1, 2]),
        sender(Some((6, b"eth1")), &[2, 1]),
        sender(Some((6, b"eth1")), &[2, 1, 2, 5, 1]),
        sender(None, &[20, 1]),
        tlv(1, &[]),
        tlv(1, &[5]),
        tlv(1, &[5, 6, b'a', b'b']),
        tlv(1, &[5, 6, b'a', b'b', b'c']),
        tlv(2, &[]),
        tlv(3, &[]),
        tlv(3, &[4]),
        tlv(31, &[0, 0x12]),
        tlv(2, &[9, 9]),
    ];
    for s in senders {
        let body = [&s[..], &tlv(2, &[1]), &end].concat();
        all.push(cfm(2, 3, 0, 4, &1u32.to_be_bytes(), &body));
    }
    // TLVs the declared length cuts: in the header, in the value; no End.
    all.push(cfm(2, 3, 0, 4, &1u32.to_be_bytes(), &[2, 0]));
    all.push(cfm(2, 3, 0, 4, &1u32.to_be_bytes(), &[4, 0, 9, 1]));
    all.push(cfm(2, 3, 0, 4, &1u32.to_be_bytes(), &tlv(2, &[1])));
    all
}

/// A little-endian 16-bit field (the loopback protocol's).
fn le(v: u16) -> [u8; 2] {
    v.to_le_bytes()
}

/// Every loopback (configuration testing protocol) message: replies and
/// forward-data messages after skip counts of 0, 8 and a bogus 3, an
/// unknown function, and each too short for its fields.
pub fn loopback_pdus() -> Vec<Vec<u8>> {
    let mac = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
    vec![
        [&le(0)[..], &le(1), &le(7), &[b'x'; 40]].concat(),
        [&le(0)[..], &le(2), &mac, &[b'y'; 40]].concat(),
        [&le(8)[..], &[0; 8], &le(1), &le(9)].concat(),
        [&le(8)[..], &[0; 8], &le(2), &mac, &le(1), &le(9)].concat(),
        [&le(3)[..], &[0; 3], &le(2), &[0; 6]].concat(),
        [&le(0)[..], &le(5), b"zz"].concat(),
        [&le(0)[..], &le(0xffff)].concat(),
        [&le(0)[..], &le(1), &[1]].concat(),
        [&le(0)[..], &le(2), &[1, 2, 3]].concat(),
        [&le(100)[..], &[0; 10]].concat(),
        [&le(4)[..], &[0; 4], &[1]].concat(),
        vec![0],
        le(0).to_vec(),
    ]
}

/// An MPCP message: opcode, timestamp, body.
fn mpcp(opcode: u16, timestamp: u32, body: &[u8]) -> Vec<u8> {
    [&opcode.to_be_bytes()[..], &timestamp.to_be_bytes(), body].concat()
}

/// Every MPCP message: pause, gates with up to seven grants and every
/// flag, reports with queue sets and bitmaps, register requests,
/// registers and acknowledgements with every flag value, unknown opcodes.
pub fn mpcp_pdus() -> Vec<Vec<u8>> {
    let grant = [&1000u32.to_be_bytes()[..], &50u16.to_be_bytes()].concat();
    let sync = 7u16.to_be_bytes();
    let mut all = vec![mpcp(1, 5, &[]), mpcp(1, 5, &[0; 40])];
    for first in [0x0b, 0xf8, 0x00, 0x17, 0x0f] {
        let grants = vec![grant.clone(); usize::from(first & 7)].concat();
        all.push(mpcp(2, 100, &[&[first][..], &grants, &sync].concat()));
    }
    let q = |d: u16| d.to_be_bytes();
    all.push(mpcp(
        3,
        7,
        &[&[3, 0x05][..], &q(10), &q(20), &[0x80], &q(30)].concat(),
    ));
    all.push(mpcp(3, 7, &[&[2, 0xff][..], &[0x11; 16]].concat()));
    all.push(mpcp(3, 7, &[1]));
    all.push(mpcp(3, 7, &[2, 0]));
    for flags in 0..5 {
        all.push(mpcp(4, 1, &[flags, 4]));
    }
    for flags in [0, 1, 2, 3, 4, 5, 7, 0xff] {
        all.push(mpcp(
            5,
            1,
            &[
                &77u16.to_be_bytes()[..],
                &[flags],
                &88u16.to_be_bytes(),
                &[2],
            ]
            .concat(),
        ));
        all.push(mpcp(
            6,
            1,
            &[&[flags][..], &77u16.to_be_bytes(), &88u16.to_be_bytes()].concat(),
        ));
    }
    for opcode in [0, 7, 0x0102, 0xffff] {
        all.push(mpcp(opcode, 1, b"abc"));
    }
    all.push(mpcp(2, 1, &[]));
    all
}

/// An AoE version 1 message: flags, error, shelf, slot, command, tag,
/// arguments.
fn aoe(flags: u8, error: u8, command: u8, args: &[u8]) -> Vec<u8> {
    [
        &[0x10 | flags, error][..],
        &0x0102u16.to_be_bytes(),
        &[3, command],
        &0xdead_beefu32.to_be_bytes(),
        args,
    ]
    .concat()
}

/// Every AoE message: ATA commands with every flag and data, config
/// queries with each command and strings, MAC mask lists with
/// directives, reserve/release with addresses, each error and flag,
/// unknown commands and versions, and each too short for its fields.
pub fn aoe_pdus() -> Vec<Vec<u8>> {
    let mac = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
    let ata = |aflags: u8, data: usize| {
        [
            &[aflags, 0, 8, 0x25, 1, 2, 3, 4, 5, 6, 0, 0][..],
            &vec![0xab; data],
        ]
        .concat()
    };
    let mut all = vec![
        aoe(0, 0, 0, &ata(0x53, 512)),
        aoe(8, 0, 0, &ata(0xac, 0)),
        aoe(0, 0, 0, &ata(0, 3)),
        aoe(0, 0, 0, &[0; 11]),
    ];
    for flags in [0x0c, 0x04, 0x03, 0x0f] {
        for error in [0, 1, 6, 7] {
            all.push(aoe(flags, error, 1, &[0, 16, 0x40, 0x12, 2, 0x10, 0, 0]));
        }
    }
    for ccmd in [0, 1, 2, 3, 4, 5, 0x0f] {
        all.push(aoe(
            8,
            0,
            1,
            &[
                &[0, 16, 0x40, 0x12, 2, 0x10 | ccmd, 0, 11][..],
                b"config\x01\xffab",
            ]
            .concat(),
        ));
    }
    all.push(aoe(
        0,
        0,
        1,
        &[&[0, 1, 0, 2, 3, 0x10, 0, 20][..], b"short"].concat(),
    ));
    all.push(aoe(0, 0, 1, &[0, 1, 0, 2, 3, 0x10, 0x04, 1]));
    all.push(aoe(0, 0, 1, &[0, 1, 0, 2, 3, 0x10, 0]));
    for (mcmd, merror) in [(0, 0), (1, 1), (1, 2), (2, 3), (9, 9)] {
        let dirs = [&[0, 1][..], &mac, &[0, 2], &mac, &[0, 7], &mac].concat();
        all.push(aoe(8, 0, 2, &[&[0, mcmd, merror, 3][..], &dirs].concat()));
    }
    all.push(aoe(0, 0, 2, &[0, 0, 0, 2, 0, 1, 1, 2]));
    all.push(aoe(0, 0, 2, &[0, 0, 0]));
    for rcmd in [0, 1, 2, 3] {
        all.push(aoe(0, 0, 3, &[&[rcmd, 2][..], &mac, &mac].concat()));
    }
    all.push(aoe(0, 0, 3, &[&[1, 3][..], &mac, &mac].concat()));
    all.push(aoe(0, 0, 3, &[&[1, 1][..], &mac, &[1]].concat()));
    all.push(aoe(0, 0, 3, &[1]));
    all.push(aoe(0, 0, 3, &[1, 0]));
    all.push(aoe(0, 0, 4, &[1, 2, 3]));
    all.push(aoe(0, 0, 0xf0, &[]));
    all.push(vec![0x10, 0, 0, 1, 2]);
    all.push(vec![0x20, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0]);
    all.push(vec![0x00]);
    all.push(vec![]);
    all
}

/// A TIPC message: word 0 from version, user, header words and size,
/// then `words` (word 1 on) and a body.
fn tipc(version: u32, user: u32, header_words: u32, words: &[u32], body: &[u8]) -> Vec<u8> {
    let size = 4 * (1 + words.len()) + body.len();
    let w0 = version << 29 | user << 25 | header_words << 21 | size as u32;
    let mut m = w0.to_be_bytes().to_vec();
    for word in words {
        m.extend_from_slice(&word.to_be_bytes());
    }
    m.extend_from_slice(body);
    m
}

/// Every TIPC message: each user with long and short headers, each
/// message type, internal and neighbour-discovery messages, users
/// tcpdump does not name.
pub fn tipc_pdus() -> Vec<Vec<u8>> {
    let node = |z: u32, c: u32, n: u32| z << 24 | c << 12 | n;
    let words: Vec<u32> = vec![
        0, // word 1, its message type filled in below
        0x0005_0007,
        node(1, 1, 5),
        1234,
        5678,
        node(1, 1, 10),
        node(1, 2, 20),
        42,
        0x0003_00fa,
        7,
    ];
    let mut all = Vec::new();
    for user in 0..16 {
        for (mtype, hwords) in [(0u32, 10u32), (1, 6), (2, 8), (3, 11), (5, 2), (7, 7)] {
            let mut w = words.clone();
            w[0] = mtype << 29 | 0x1abc_1234 & 0x1fff_ffff;
            all.push(tipc(2, user, hwords, &w, b"body"));
        }
    }
    all.push(tipc(
        2,
        13,
        10,
        &[
            1 << 29 | 77,
            node(1, 1, 0),
            node(1, 1, 9),
            4711,
            0x0000_0101,
        ],
        &[0; 16],
    ));
    all.push(tipc(0, 0, 0, &[], &[]));
    all.push(tipc(7, 0, 15, &[0xffff_ffff; 3], &[]));
    all.push(vec![0x40, 0x00]);
    all
}

/// A GeoNetworking packet: common header (version 0, next header `nh`,
/// header type and subtype, payload length 8, hop limit 1, the position
/// vector), then `extended` and `body`.
fn geonet(nh: u8, kind: u8, subtype: u8, extended: &[u8], body: &[u8]) -> Vec<u8> {
    let mut h = vec![nh, kind << 4 | subtype, 0, 0, 0, 8, 0, 1];
    h.extend(9u8..17);
    h.extend_from_slice(&[0; 4]);
    h.extend_from_slice(&111u32.to_be_bytes());
    h.extend_from_slice(&222u32.to_be_bytes());
    h.extend_from_slice(&[0; 8]);
    [&h[..], extended, body].concat()
}

/// Every GeoNetworking packet: each next header and header type (those
/// whose extended header tcpdump sizes and the others), BTP ports and
/// ITS PDU headers of each message type, each too short.
pub fn geonet_pdus() -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    let btp = |t: u8| [&2001u16.to_be_bytes()[..], &[0, 0, 1, t], b"payload"].concat();
    for nh in 0..5 {
        for (kind, subtype) in [
            (0, 0),
            (1, 0),
            (2, 0),
            (3, 1),
            (4, 2),
            (5, 0),
            (5, 1),
            (6, 1),
            (7, 0),
            (3, 5),
        ] {
            let extended = if (kind, subtype) == (5, 1) {
                vec![0; 32]
            } else {
                vec![]
            };
            all.push(geonet(nh, kind, subtype, &extended, &btp(2)));
        }
    }
    for t in [0, 1, 101, 107, 150, 200] {
        all.push(geonet(1, 5, 0, &[], &btp(t)));
    }
    all.push(geonet(1, 5, 0, &[], &[7, 0xd1]));
    all.push(geonet(2, 1, 0, &[], &[7, 0xd1, 0, 0, 1]));
    all.push(geonet(1, 5, 1, &[], &[7, 0xd1]));
    all.push(vec![0x01, 0x50, 0, 0]);
    all
}

/// MS NLB heartbeats (0x886f): whole, with bytes after the host's
/// address, and ending inside each field (the Ethernet pad then gives the
/// printer bytes to read, as on the wire).
pub fn msnlb_pdus() -> Vec<Vec<u8>> {
    let mut whole = vec![0, 0, 0, 1, 0, 0, 0, 2];
    whole.extend_from_slice(&0x0100_0003u32.to_le_bytes());
    whole.extend_from_slice(&[192, 0, 2, 10, 192, 0, 2, 1]);
    let mut longer = whole.clone();
    longer.extend_from_slice(b"trailing");
    vec![
        whole.clone(),
        longer,
        whole[..10].to_vec(),
        whole[..14].to_vec(),
        whole[..18].to_vec(),
    ]
}

/// An IPv4 UDP packet for the PPP frames to carry.
fn ppp_ip() -> Vec<u8> {
    let mut ip = vec![
        0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
    ];
    ip.extend_from_slice(&[0x04, 0xd2, 0x16, 0x2e, 0, 12, 0, 0]);
    ip.extend_from_slice(b"abcd");
    ip
}

/// PPP frames as EtherType 0x880b carries them: IPv4 with and without
/// the HDLC address and control bytes, LCP, IPv6, protocols tcpdump only
/// names or does not know, and too short for the protocol field.
pub fn ppp_frames() -> Vec<Vec<u8>> {
    let ip = ppp_ip();
    vec![
        [&[0xff, 0x03, 0x00, 0x21][..], &ip].concat(),
        [&[0x00, 0x21][..], &ip].concat(),
        [&[0x21][..], &ip].concat(),
        vec![0xc0, 0x21, 1, 1, 0, 8, 1, 4, 5, 0xdc],
        [&[0x00, 0x57][..], &[0; 10]].concat(),
        [&[0x00, 0x27][..], b"decnet"].concat(),
        (1u8..61).collect(),
        vec![0x01],
        vec![],
    ]
}

/// An Ethernet II frame of `ether_type` to `dst`, padded to the minimum.
fn padded(dst: [u8; 6], ether_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = ether(dst, ether_type, payload);
    f.resize(f.len().max(60), 0);
    f
}

/// The same payload through 802.2 LLC and SNAP (OUI 0, the EtherType).
fn snap(dst: [u8; 6], ether_type: u16, payload: &[u8]) -> Vec<u8> {
    let llc = [
        &[0xaa, 0xaa, 3, 0, 0, 0][..],
        &ether_type.to_be_bytes(),
        payload,
    ]
    .concat();
    ether(dst, llc.len() as u16, &llc)
}

/// Every frame: each protocol's PDUs on Ethernet II (the CFM ones
/// also unpadded), and the first few of each through SNAP.
pub fn frames() -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    for (i, p) in cfm_pdus().iter().enumerate() {
        all.push(ether(CFM_GROUP, 0x8902, p));
        if i % 16 == 0 {
            all.push(padded(CFM_GROUP, 0x8902, p));
            all.push(snap(CFM_GROUP, 0x8902, p));
        }
    }
    let slow = [0x01, 0x80, 0xc2, 0, 0, 0x01];
    let pdus = [
        (0x9000, loopback_pdus()),
        (0x8808, mpcp_pdus()),
        (0x88a2, aoe_pdus()),
        (0x88ca, tipc_pdus()),
        (0x8947, geonet_pdus()),
        (0x0707, geonet_pdus()[..12].to_vec()),
        (0x880b, ppp_frames()),
        (0x886f, msnlb_pdus()),
        // The pre-standard EtherTypes tcpdump prints as the standard
        // ones: CFM's 0xabcd, 3Com's PPPoE discovery and session.
        (0xabcd, cfm_pdus()[..6].to_vec()),
        (
            0x3c12,
            vec![pppoe(0x09, 0, &[1, 1, 0, 0]), pppoe(0xa7, 0x11, &[])],
        ),
        (
            0x3c13,
            vec![pppoe(0, 0x1234, &[&[0, 0x21][..], &ppp_ip()].concat())],
        ),
    ];
    for (ether_type, pdus) in pdus {
        for (i, p) in pdus.iter().enumerate() {
            all.push(ether(slow, ether_type, p));
            all.push(padded(slow, ether_type, p));
            // PPP through SNAP is not followed yet (sockscope prints a
            // degenerate line where tcpdump decodes it).
            if i % 4 == 0 && ether_type != 0x880b {
                all.push(snap(slow, ether_type, p));
            }
        }
    }
    all
}

/// The committed capture: each frame whole, cut at a few places, and
/// damaged copies.
pub fn ethertype_capture(damaged: usize) -> Vec<u8> {
    capture(&with_cuts_and_damage(
        frames(),
        14,
        damaged,
        0xe7e7_0bad_0000_0001,
    ))
}

/// Each frame cut at every length after the EtherType (compared with
/// tcpdump, not kept).
pub fn every_cut_capture() -> Vec<u8> {
    let cuts: Vec<Frame> = frames().iter().flat_map(|f| cuts(f, 14)).collect();
    capture(&cuts)
}

/// The first of each protocol's PDUs with its EtherType, for the
/// other carriers of the EtherType table.
fn one_of_each() -> [(u16, Vec<u8>); 9] {
    [
        (0x8902, cfm_pdus().swap_remove(0)),
        (0x9000, loopback_pdus().swap_remove(1)),
        (0x8808, mpcp_pdus().swap_remove(2)),
        (0x88a2, aoe_pdus().swap_remove(4)),
        (0x88ca, tipc_pdus().swap_remove(0)),
        (0x8947, geonet_pdus().swap_remove(11)),
        (0x0707, geonet_pdus().swap_remove(15)),
        (0x880b, ppp_frames().swap_remove(3)),
        (0x886f, msnlb_pdus().swap_remove(1)),
    ]
}

/// `frames` of link type `link`, each cut at every length from `from`.
pub fn every_cut_of(link: u32, frames: &[Vec<u8>], from: usize) -> Vec<u8> {
    use super::pcap::{Layout, Record, write_pcap};
    use std::borrow::Cow;
    let records = frames.iter().flat_map(|f| {
        (from.min(f.len())..=f.len()).map(move |keep| Record {
            ts_sec: 1,
            ts_frac: 0,
            data: Cow::Borrowed(&f[..keep]),
            orig_len: f.len() as u32,
        })
    });
    write_pcap(Layout::new(link, 65535), records)
}

/// Frame Relay (link type 107) frames carrying one of each protocol's
/// PDUs the two ways its EtherType table is reached: SNAP (UI, pad, NLPID
/// 0x80, OUI 0) and Cisco's EtherType encapsulation (the address, then
/// the EtherType), each whole and cut at every length.
pub fn frame_relay_capture() -> Vec<u8> {
    let address = [0x18, 0x41];
    let mut frames = Vec::new();
    for (ether_type, p) in one_of_each() {
        let t = ether_type.to_be_bytes();
        frames.push([&address[..], &[0x03, 0x00, 0x80, 0, 0, 0], &t, &p].concat());
        frames.push([&address[..], &t, &p].concat());
    }
    every_cut_of(107, &frames, 2)
}

/// Protocols of Linux cooked packets that tcpdump's cooked printer has
/// no printer for, with a few bytes: small numbers the kernel uses
/// (`ETH_P_ALL`'s 3 …, dumped alone) and EtherTypes it only names or does
/// not know (dumped after the header's words).
fn cooked_unknowns() -> Vec<(u16, Vec<u8>)> {
    [
        0x0003, 0x0010, 0x05dc, 0x0600, 0x1234, 0x6001, 0x22f0, 0xd28b,
    ]
    .into_iter()
    .map(|t| (t, b"\x00\x01unknown".to_vec()))
    .collect()
}

/// One of each protocol's PDUs and [`cooked_unknowns`], each behind the
/// cooked header `head` makes of its protocol.
fn cooked_frames(head: impl Fn([u8; 2]) -> Vec<u8>) -> Vec<Vec<u8>> {
    one_of_each()
        .into_iter()
        .chain(cooked_unknowns())
        .map(|(ether_type, p)| [head(ether_type.to_be_bytes()), p].concat())
        .collect()
}

/// Linux cooked (link type 113) packets carrying one of each protocol's
/// PDUs as their protocol (no link address for GeoNetworking to name),
/// and [`cooked_unknowns`], each whole and cut at every length after the
/// header.
pub fn cooked_capture() -> Vec<u8> {
    let frames = cooked_frames(|t| [&[0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0][..], &t].concat());
    every_cut_of(113, &frames, 16)
}

/// The same as Linux cooked v2 packets (link type 276: the protocol
/// first, an interface index, then the v1 header's fields), outgoing.
pub fn cooked_v2_capture() -> Vec<u8> {
    let frames = cooked_frames(|t| {
        [
            &t[..],
            &[0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0],
        ]
        .concat()
    });
    every_cut_of(276, &frames, 20)
}
