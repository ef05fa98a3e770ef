//! `captures/dissect_decnet.pcap`: DECnet Phase IV (EtherType 0x6003)
//! built byte by byte from the Routing and NSP specifications — every
//! routing control message (init, verification, test, level 1 and 2
//! routing with their segments, router and endnode hellos, an unknown
//! type), data packets with short and long headers, pad bytes, a future
//! version and unknown header flags, and behind a short header every NSP
//! message (data segments of each kind with their acknowledgements,
//! interrupts, link service, data and other-data acknowledgements,
//! connect initiate, retransmitted and confirmed, connect acknowledgement,
//! disconnect initiate and confirm with every reason, reserved types),
//! each also with a declared length too short for it. They go on
//! Ethernet II (padded and not), behind a VLAN tag and through LLC/SNAP;
//! [`every_cut_capture`] and [`cooked_capture`] cut each at every length.

use super::app_captures::{Frame, capture, cuts};
use super::control_captures::with_cuts_and_damage;
use super::ethertype_captures::every_cut_of;

const DECNET: u16 = 0x6003;
/// DECnet's Ethernet addresses are HIORD (AA-00-04-00) and the node's
/// address, little endian; hellos go to the all-routers and all-endnodes
/// groups.
const HIORD: [u8; 4] = [0xaa, 0x00, 0x04, 0x00];
const ALL_ROUTERS: [u8; 6] = [0xab, 0x00, 0x00, 0x03, 0x00, 0x00];

/// Area and node as the 16-bit address.
fn node(area: u16, n: u16) -> u16 {
    area << 10 | n
}

fn le(v: u16) -> [u8; 2] {
    v.to_le_bytes()
}

/// The Ethernet address of DECnet node `addr`.
fn mac(addr: u16) -> [u8; 6] {
    let [a, b] = le(addr);
    [HIORD[0], HIORD[1], HIORD[2], HIORD[3], a, b]
}

/// A packet: its length field, then `body` (routing header and above).
fn packet(body: &[u8]) -> Vec<u8> {
    [&le(body.len() as u16)[..], body].concat()
}

/// A short data header: flags, destination, source, visits.
fn short(flags: u8, dst: u16, src: u16, visits: u8) -> Vec<u8> {
    [&[flags][..], &le(dst), &le(src), &[visits]].concat()
}

/// A long data header (areas and subareas reserved, the node's Ethernet
/// address, next level 2 router, visits, service class, protocol type).
fn long(flags: u8, dst: u16, src: u16, visits: u8) -> Vec<u8> {
    [
        &[flags, 0, 0][..],
        &mac(dst),
        &[0, 0],
        &mac(src),
        &[0, visits, 0, 0],
    ]
    .concat()
}

/// An NSP message: flags, destination and source links, the rest.
fn nsp(flags: u8, dst: u16, src: u16, rest: &[u8]) -> Vec<u8> {
    [&[flags][..], &le(dst), &le(src), rest].concat()
}

/// Numbers of NSP's acknowledgement fields: an ack, a nak, the other
/// channel's ack and nak.
const ACK: u16 = 0x8000;
const NAK: u16 = 0x9000;
const OACK: u16 = 0xa000;
const ONAK: u16 = 0xb000;

/// The sequences of numbers a data, interrupt or link service message
/// may carry before its segment number.
fn number_sets() -> Vec<Vec<u16>> {
    vec![
        vec![7],
        vec![ACK | 5, 7],
        vec![NAK | 5, 7],
        vec![ACK | 5, OACK | 6, 7],
        vec![ACK | 5, ONAK | 6, 7],
        // Only the "other" qualifier: still the other channel's number.
        vec![ACK | 5, 0x2000 | 6, 7],
        vec![ACK | 0xfff, 0x1234],
        vec![0x4321],
    ]
}

fn words(ns: &[u16]) -> Vec<u8> {
    ns.iter().flat_map(|n| le(*n)).collect()
}

/// Every NSP message, whole, then each cut short of its fields (the
/// routing header's length says so).
pub fn nsp_messages() -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    let (dst, src) = (0x1234, 0x5678);
    // Data segments (beginning, middle, end, both), interrupts, link
    // service messages, reserved subtypes.
    for flags in [0x00, 0x20, 0x40, 0x60, 0x30] {
        for ns in number_sets() {
            all.push(nsp(flags, dst, src, &[&words(&ns)[..], b"data"].concat()));
        }
    }
    for (lsflags, fcval) in [
        (0, 3),
        (1, 4),
        (2, 5),
        (3, 6),
        (4, 7),
        (5, 8),
        (8, 9),
        (0x0c, 10),
    ] {
        for ns in number_sets().into_iter().take(6) {
            let mut m = nsp(0x10, dst, src, &words(&ns));
            m.resize(11, 0);
            m.extend_from_slice(&[lsflags, fcval]);
            all.push(m);
        }
    }
    for flags in [0x50, 0x70, 0x0c, 0x1c, 0x7c] {
        all.push(nsp(flags, dst, src, &[1, 2, 3, 4]));
    }
    // Acknowledgements: data, other data, connect, reserved.
    for flags in [0x04, 0x14] {
        for ns in [
            vec![ACK | 5, 0],
            vec![NAK | 5, 0],
            vec![ACK | 5, OACK | 6],
            vec![ACK | 5, ONAK | 6],
            vec![0, 0],
            vec![0x7fff, OACK | 6],
        ] {
            all.push(nsp(flags, dst, src, &words(&ns)));
        }
    }
    all.push([&[0x24][..], &le(dst)].concat());
    all.push(nsp(0x24, dst, src, &[]));
    for flags in [0x34, 0x44, 0x74] {
        all.push(nsp(flags, dst, src, &[0, 0]));
    }
    // Connect initiate (and retransmitted), confirm: every flow control
    // and version, a confirm's optional data.
    for flags in [0x18, 0x68] {
        for services in [0x01, 0x05, 0x09, 0x0d] {
            for info in 0..4 {
                let rest = [&[services, info][..], &le(1459), b"\x01\x00\x05obj"].concat();
                all.push(nsp(flags, 0, src, &rest));
            }
        }
    }
    for (services, info, optlen) in [(0x05, 2, 0), (0x09, 3, 4), (0x01, 1, 16)] {
        let rest = [
            &[services, info][..],
            &le(1459),
            &[optlen],
            &[0x61; 16][..usize::from(optlen)],
        ]
        .concat();
        all.push(nsp(0x28, dst, src, &rest));
    }
    // Disconnects: every reason and one without a name, optional data.
    for reason in [
        0u16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 32, 33, 34, 36, 38, 39, 41, 42, 43, 54, 35, 300,
    ] {
        all.push(nsp(
            0x38,
            dst,
            src,
            &[&le(reason)[..], &[u8::from(reason == 9) * 3, 1, 2, 3]].concat(),
        ));
        all.push(nsp(0x48, dst, src, &le(reason)));
    }
    // Reserved control subtypes.
    for flags in [0x08, 0x58, 0x78] {
        all.push(nsp(flags, dst, src, &[1, 2]));
    }
    all
}

/// Every routing control message.
pub fn control_messages() -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    let src = node(2, 5);
    // Initialization: every node type, verification and blocking.
    for info in [0x00, 0x01, 0x02, 0x03, 0x06, 0x0d, 0xff] {
        all.push(
            [
                &[0x01][..],
                &le(src),
                &[info],
                &le(1498),
                &[2, 0, 0],
                &le(15),
                &[0],
            ]
            .concat(),
        );
    }
    // Verification and test (function value, test data in octal).
    all.push([&[0x03][..], &le(src), &[0o17], &[0xaa; 3]].concat());
    all.push([&[0x05][..], &le(src), &[0o252], &[0xaa; 8]].concat());
    // Level 1 and 2 routing: segments, a count past 1024, the checksum.
    for kind in [0x07u8, 0x09] {
        let seg = |count: u16, first: u16, hops: u16, cost: u16| {
            [le(count), le(first), le(hops << 10 | cost)].concat()
        };
        let body = [
            &[kind][..],
            &le(src),
            &[0],
            &seg(3, 1, 2, 4),
            &seg(0, 1023, 31, 511),
            &seg(1024, 0, 1, 0x3ff),
            &le(0x1234),
        ]
        .concat();
        all.push(body.clone());
        let bogus = [&body[..4], &seg(1025, 1, 1, 1), &seg(1, 1, 1, 1), &le(0)].concat();
        all.push(bogus);
        // No segment: only the checksum; an odd byte after a segment.
        all.push([&body[..4], &le(0x1234)].concat());
        all.push([&body[..10], &[7]].concat());
    }
    // Router hello: node types and flags, priority; with an Ethernet
    // router list after it (tcpdump prints none of it).
    for info in [0x01, 0x02, 0x03, 0x00, 0x64, 0x26] {
        all.push(
            [
                &[0x0b, 2, 0, 0][..],
                &mac(node(1, 7)),
                &[info],
                &le(1498),
                &[64, 0],
                &le(15),
                &[0],
                &[0; 7],
                &[0x0e],
                &mac(node(1, 9)),
                &[0xc0 | 40],
            ]
            .concat(),
        );
    }
    // Endnode hello: seed, designated router, test data.
    for info in [0x03, 0x07, 0x43] {
        all.push(
            [
                &[0x0d, 2, 0, 0][..],
                &mac(node(3, 1000)),
                &[info],
                &le(1498),
                &[0],
                &[1, 2, 3, 4, 5, 6, 7, 8],
                &mac(node(3, 1)),
                &le(180),
                &[0],
                &[0o252],
                &[0xaa; 4],
            ]
            .concat(),
        );
    }
    // Unknown control type; bits above the type.
    all.push([&[0x0f][..], &le(src), &[1, 2, 3, 4, 5]].concat());
    all.push(
        [
            &[0x31][..],
            &le(src),
            &[0x0e],
            &le(576),
            &[2, 0, 0],
            &le(10),
            &[0],
        ]
        .concat(),
    );
    all
}

/// Every packet: control messages, then NSP messages after short and
/// long headers, pad bytes, other header flags and wrong lengths, each
/// also with a length field shorter than its message.
pub fn packets() -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    let (a, b) = (node(1, 3), node(1, 2));
    for c in control_messages() {
        all.push(packet(&c));
        // Declared one byte short, and only the flags.
        all.push([&le(c.len() as u16 - 1)[..], &c].concat());
        all.push([&le(5)[..], &c].concat());
    }
    let nsps = nsp_messages();
    for (i, m) in nsps.iter().enumerate() {
        let flags = [0x02, 0x0a, 0x12, 0x22, 0x3a][i % 5];
        all.push(packet(&[short(flags, a, b, i as u8), m.clone()].concat()));
        // The length field cuts the message at each of its fields.
        if i % 3 == 0 {
            for keep in [4, 5, 6, 8, 9, 10, 12] {
                if keep < m.len() {
                    let body = [short(0x02, a, b, 0), m[..keep].to_vec()].concat();
                    all.push([&le(body.len() as u16)[..], &body, &m[keep..]].concat());
                }
            }
        }
        if i % 7 == 0 {
            all.push(packet(&[long(0x26, a, b, 9), m.clone()].concat()));
        }
    }
    let data = nsp(0x60, 0x1234, 0x5678, &words(&[ACK | 1, 2]));
    // Long headers: every flag, visits; a long header declared short.
    for flags in [0x06, 0x0e, 0x16, 0x26, 0x3e] {
        all.push(packet(
            &[long(flags, node(63, 1023), node(0, 1), 200), data.clone()].concat(),
        ));
    }
    let lh = [long(0x06, a, b, 1), data.clone()].concat();
    all.push([&le(20)[..], &lh].concat());
    // Pad bytes before a short header, a long one, a control message;
    // more pad than the packet; pad leaving too little for a header.
    for pad in [1u8, 3, 8] {
        let mut body = vec![0x80 | pad];
        body.resize(usize::from(pad), 0);
        all.push(packet(
            &[body.clone(), short(0x0a, a, b, 3), data.clone()].concat(),
        ));
        all.push(packet(
            &[body.clone(), long(0x26, a, b, 3), data.clone()].concat(),
        ));
        all.push(packet(&[body, control_messages()[0].clone()].concat()));
    }
    all.push(packet(
        &[&[0x90][..], &[0; 15], &short(0x02, a, b, 0)].concat(),
    ));
    all.push([&le(8)[..], &[0x84, 0, 0, 0], &short(0x02, a, b, 0), &data].concat());
    all.push(
        [
            &le(9)[..],
            &[0x85, 0, 0, 0, 0],
            &short(0x02, a, b, 0),
            &data,
        ]
        .concat(),
    );
    all.push([&le(10)[..], &[0x84, 0, 0, 0], &short(0x02, a, b, 0), &data].concat());
    // A future version, unknown header flags (plain, padded).
    for flags in [0x42, 0x00, 0x04, 0x0c, 0x7e] {
        all.push(packet(&[short(flags, a, b, 0), data.clone()].concat()));
    }
    all.push(packet(
        &[&[0x82, 0][..], &short(0x44, a, b, 0), &data].concat(),
    ));
    // Lengths: too small, larger than the frame, too short a frame.
    all.push([&le(5)[..], &short(0x02, a, b, 0), &data].concat());
    all.push([&le(0)[..], &short(0x02, a, b, 0)].concat());
    all.push([&le(500)[..], &short(0x02, a, b, 0), &data].concat());
    all.push(vec![4, 0, 2, 1, 2]);
    all.push(vec![1]);
    all.push(vec![]);
    all
}

/// An Ethernet II frame from node 1.2 to `dst`, padded to the minimum
/// when `pad`.
fn ether(dst: [u8; 6], payload: &[u8], pad: bool) -> Vec<u8> {
    let mut f = [&dst[..], &mac(node(1, 2)), &DECNET.to_be_bytes(), payload].concat();
    if pad {
        f.resize(f.len().max(60), 0);
    }
    f
}

/// The same behind an 802.1Q tag (VLAN 20, priority 6).
fn vlan(dst: [u8; 6], payload: &[u8]) -> Vec<u8> {
    let mut f = ether(dst, payload, false);
    f.splice(12..12, [0x81, 0x00, 0xc0, 20]);
    f
}

/// The same through 802.2 LLC and SNAP (OUI 0, the EtherType).
fn snap(dst: [u8; 6], payload: &[u8]) -> Vec<u8> {
    let llc = [
        &[0xaa, 0xaa, 3, 0, 0, 0][..],
        &DECNET.to_be_bytes(),
        payload,
    ]
    .concat();
    [
        &dst[..],
        &mac(node(1, 2)),
        &(llc.len() as u16).to_be_bytes(),
        &llc,
    ]
    .concat()
}

/// Every packet on Ethernet II, padded or not (one in four each way).
pub fn frames() -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    for (i, p) in packets().iter().enumerate() {
        let dst = if i % 2 == 0 {
            mac(node(1, 3))
        } else {
            ALL_ROUTERS
        };
        all.push(ether(dst, p, false));
        if i % 4 == 0 {
            all.push(ether(dst, p, true));
        }
    }
    all
}

/// One in six packets behind a VLAN tag and through SNAP.
pub fn carried_frames() -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    for p in packets().iter().step_by(6) {
        all.push(vlan(ALL_ROUTERS, p));
        all.push(snap(ALL_ROUTERS, p));
    }
    all
}

/// The committed capture: the Ethernet II frames whole, cut at a few
/// places and damaged, then the carried frames whole.
pub fn decnet_capture(damaged: usize) -> Vec<u8> {
    let mut frames = with_cuts_and_damage(frames(), 14, damaged, 0xdec0_0bad_0000_0001);
    frames.extend(
        carried_frames()
            .into_iter()
            .map(|bytes| Frame { bytes, snap: None }),
    );
    capture(&frames)
}

/// Every frame cut at every length after the Ethernet header (compared
/// with tcpdump, not kept).
pub fn every_cut_capture() -> Vec<u8> {
    let all = [frames(), carried_frames()].concat();
    let cuts: Vec<Frame> = all.iter().flat_map(|f| cuts(f, 14)).collect();
    capture(&cuts)
}

/// Linux cooked (link type 113) packets of protocol 0x6003, one in three
/// packets, each whole and cut at every length after the header.
pub fn cooked_capture() -> Vec<u8> {
    let frames: Vec<Vec<u8>> = packets()
        .iter()
        .step_by(3)
        .map(|p| {
            let header = [
                &[0, 0, 0, 1, 0, 6][..],
                &mac(node(1, 2)),
                &[0, 0],
                &DECNET.to_be_bytes(),
            ]
            .concat();
            [&header[..], p].concat()
        })
        .collect();
    every_cut_of(113, &frames, 16)
}

/// Frame Relay (link type 107) frames carrying one in six packets the
/// two ways its EtherType table is reached: SNAP (UI, pad, NLPID 0x80,
/// OUI 0) and Cisco's EtherType encapsulation, each whole and cut at
/// every length after the address.
pub fn frame_relay_capture() -> Vec<u8> {
    let (address, t) = ([0x18, 0x41], DECNET.to_be_bytes());
    let mut frames = Vec::new();
    for p in packets().iter().step_by(6) {
        frames.push([&address[..], &[0x03, 0x00, 0x80, 0, 0, 0], &t, p].concat());
        frames.push([&address[..], &t, p].concat());
    }
    every_cut_of(107, &frames, 2)
}

/// Cisco HDLC (link type 104) frames of protocol 0x6003, unicast and
/// broadcast, whole and cut: tcpdump's Cisco HDLC printer names the
/// EtherType under `-e` and decodes nothing after it.
pub fn chdlc_capture() -> Vec<u8> {
    let frames: Vec<Vec<u8>> = packets()
        .iter()
        .step_by(12)
        .enumerate()
        .map(|(i, p)| [&[[0x0f, 0x8f][i % 2], 0][..], &DECNET.to_be_bytes(), p].concat())
        .collect();
    every_cut_of(104, &frames, 0)
}
