//! `captures/dissect_ipx_atalk.pcap`: Novell IPX and AppleTalk built byte
//! by byte — IPX SAP (general and nearest requests and responses, names
//! with unprintable bytes, a response cut short by its length), RIP
//! (request with and without its network, a response of three routes),
//! NCP, NetBIOS, diagnostics, NWLink, EIGRP and unknown sockets, a length
//! under the header's, each in the four framings tcpdump decodes
//! (Ethernet II 0x8137, "raw" 802.3, LLC SAP 0xe0, SNAP) and in a VLAN
//! tag; AppleTalk DDP over Ethernet II 0x809b and SNAP 080007 (NBP lookup,
//! broadcast request with anomalies, reply of several tuples, long and
//! cut names, unknown functions; ATP request, response and release with
//! each flag and bitmaps; RTMP, AEP, ZIP and the other types tcpdump only
//! names; frames shorter than the header) and AARP (0x80f3 and SNAP
//! 000000: request, reply, probe, an unknown operation and hardware
//! type). Then every frame of the first framing cut at every length after
//! the Ethernet header (the two long SAP responses every 5 bytes), and
//! damaged copies from a seeded generator.
//! `tests/dissect_ipx_atalk.rs` compares `sockscope read` with
//! `tcpdump -n -r` on them.

use super::app_captures::{Frame, capture, cuts};
use super::control_captures::{ether, with_cuts_and_damage};
use super::frames::MAC_A;

const BROADCAST: [u8; 6] = [0xff; 6];

/// An IPX packet from 12345678.MAC_A.4000 to the broadcast node of
/// network 0 at `socket`, its length field `length` (else its own).
fn ipx(socket: u16, payload: &[u8], length: Option<u16>) -> Vec<u8> {
    let len = length.unwrap_or((30 + payload.len()) as u16);
    let mut m = vec![0xff, 0xff];
    m.extend_from_slice(&len.to_be_bytes());
    m.extend_from_slice(&[0, 4, 0, 0, 0, 0]);
    m.extend_from_slice(&BROADCAST);
    m.extend_from_slice(&socket.to_be_bytes());
    m.extend_from_slice(&[0x12, 0x34, 0x56, 0x78]);
    m.extend_from_slice(&MAC_A);
    m.extend_from_slice(&0x4000u16.to_be_bytes());
    m.extend_from_slice(payload);
    m
}

/// One SAP server entry: type, 48-byte name, address, socket, hops.
fn sap_entry(service: u16, name: &[u8], net: u32) -> Vec<u8> {
    let mut e = service.to_be_bytes().to_vec();
    let mut n = name.to_vec();
    n.resize(48, 0);
    e.extend_from_slice(&n);
    e.extend_from_slice(&net.to_be_bytes());
    e.extend_from_slice(&MAC_A);
    e.extend_from_slice(&[0x04, 0x51, 0, 1]);
    e
}

fn words(w: &[u16]) -> Vec<u8> {
    w.iter().flat_map(|x| x.to_be_bytes()).collect()
}

/// A RIP route: network, hops, ticks.
fn route(net: u32, hops: u16, ticks: u16) -> Vec<u8> {
    [&net.to_be_bytes()[..], &words(&[hops, ticks])].concat()
}

/// An EIGRP hello (AS 100, K values 1 0 1 0 0, hold time 15 s), as
/// IPX's and DDP's EIGRP carry it.
fn eigrp_hello() -> Vec<u8> {
    [
        &[2, 5, 0xee, 0xc3, 0, 0, 0, 0][..],
        &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100],
        &[0, 1, 0, 12, 1, 0, 1, 0, 0, 0, 0, 15],
    ]
    .concat()
}

/// The IPX packets (from the IPX header on).
pub fn ipx_messages() -> Vec<Vec<u8>> {
    let sap = |p: &[u8]| ipx(0x0452, p, None);
    let rip = |p: &[u8]| ipx(0x0453, p, None);
    let two = [
        sap_entry(4, b"SERVER1", 1),
        sap_entry(0x26b, b"TREE\x01\x80x", 0xabcdef01),
    ]
    .concat();
    let eight: Vec<u8> = (0..9)
        .flat_map(|i| sap_entry(0x278, format!("S{i}").as_bytes(), i))
        .collect();
    vec![
        sap(&words(&[1, 4])),
        sap(&words(&[3, 0x278])),
        sap(&[&words(&[2])[..], &two].concat()),
        sap(&[&words(&[4])[..], &sap_entry(4, &[b'N'; 48], 7)].concat()),
        sap(&[&words(&[2])[..], &eight].concat()),
        sap(&[&words(&[2])[..], &two[..30]].concat()),
        sap(&[&words(&[2])[..], &two[..56]].concat()),
        sap(&[&words(&[2])[..], &two[..62]].concat()),
        sap(&words(&[9])),
        sap(&[0]),
        rip(&[&words(&[1])[..], &route(0xffffffff, 0xffff, 0xffff)].concat()),
        rip(&words(&[1])),
        rip(&words(&[1, 0])),
        rip(&[
            &words(&[2])[..],
            &route(0xab, 1, 2),
            &route(5, 3, 4),
            &route(0x10, 16, 60),
        ]
        .concat()),
        rip(&[&words(&[2])[..], &route(0xab, 1, 2), &[0, 0, 0]].concat()),
        rip(&words(&[7])),
        ipx(0x0451, b"\x11\x11\x00\x01\x00\x00", None),
        ipx(0x0455, &[0; 10], None),
        ipx(0x0456, &[], None),
        ipx(0x0553, b"\xff\xffSMB", None),
        ipx(0x85be, &eigrp_hello(), None),
        ipx(0x9999, b"zz", None),
        ipx(0x0452, &words(&[1, 4]), Some(20)),
    ]
}

/// A long DDP header from 257.7.253 to 4660.255 (the broadcast node) at
/// `dst_socket`, then `body`.
fn ddp(kind: u8, dst_socket: u8, body: &[u8]) -> Vec<u8> {
    let len = (13 + body.len()) as u16;
    let mut m = len.to_be_bytes().to_vec();
    m.extend_from_slice(&[
        0, 0, 0x12, 0x34, 0x01, 0x01, 0xff, 7, dst_socket, 0xfd, kind,
    ]);
    m.extend_from_slice(body);
    m
}

/// A counted string.
fn cs(s: &[u8]) -> Vec<u8> {
    [&[s.len() as u8][..], s].concat()
}

/// An NBP tuple: address, enumerator, object, type and zone.
fn tuple(net: u16, node: u8, socket: u8, enumerator: u8, names: [&[u8]; 3]) -> Vec<u8> {
    let mut t = net.to_be_bytes().to_vec();
    t.extend_from_slice(&[node, socket, enumerator]);
    for n in names {
        t.extend_from_slice(&cs(n));
    }
    t
}

fn atp(control: u8, bitmap: u8, tid: u16, user: u32, data: &[u8]) -> Vec<u8> {
    let mut m = vec![control, bitmap];
    m.extend_from_slice(&tid.to_be_bytes());
    m.extend_from_slice(&user.to_be_bytes());
    m.extend_from_slice(data);
    m
}

/// The DDP packets (from the DDP header on).
pub fn ddp_messages() -> Vec<Vec<u8>> {
    let nbp = |control: u8, id: u8, tuples: &[Vec<u8>]| {
        ddp(2, 2, &[&[control, id][..], &tuples.concat()].concat())
    };
    let me = |e: u8, names| tuple(0x0101, 7, 0xfd, e, names);
    vec![
        nbp(0x21, 5, &[me(0, [b"obj", b"AFPServer", b"*"])]),
        nbp(
            0x12,
            6,
            &[tuple(0x0102, 8, 0x10, 3, [b"x", b"y\x7f", b"zone"])],
        ),
        nbp(
            0x33,
            7,
            &[
                me(1, [b"a", b"b", b"c"]),
                tuple(0x0101, 9, 0x11, 2, [b"d", b"e", b"f"]),
                me(1, [b"g", b"h", b"\x01"]),
            ],
        ),
        nbp(0x41, 7, &[me(1, [b"a", b"b", b"c"])]),
        nbp(0x21, 7, &[me(0, [&[b'a'; 40], b"b", b"c"])]),
        nbp(0x32, 7, &[me(1, [b"a", &[b'b'; 33], b"c"])]),
        ddp(2, 2, &[0x21, 1, 0]),
        ddp(2, 2, &[0x21]),
        ddp(3, 0xfd, &atp(0x40, 0xff, 0x1234, 0, &[])),
        ddp(3, 0xfd, &atp(0x70, 0x05, 1, 0xdeadbeef, b"abc")),
        ddp(3, 0xfd, &atp(0x48, 0x01, 2, 0, &[])),
        ddp(3, 0xfd, &atp(0x58, 0x00, 2, 0, &[])),
        ddp(3, 0xfd, &atp(0x90, 3, 4, 0, b"hello")),
        ddp(3, 0xfd, &atp(0xa8, 3, 4, 0, &[])),
        ddp(3, 0xfd, &atp(0x88, 3, 4, 0, &[])),
        ddp(3, 0xfd, &atp(0xc0, 0x0f, 9, 0, &[])),
        ddp(3, 0xfd, &atp(0xf8, 0, 9, 0, b"zz")),
        ddp(3, 0xfd, &atp(0x05, 0, 9, 1, &[])),
        ddp(3, 0xfd, &[0x40, 1]),
        ddp(1, 1, b"\x00\x01\x07\x08"),
        ddp(4, 4, b"\x01echo"),
        ddp(5, 1, &[1]),
        ddp(6, 6, &[5, 1]),
        ddp(22, 0x48, &[]),
        ddp(23, 0x48, &[]),
        ddp(0x4b, 0x48, &[]),
        ddp(99, 0x48, &[]),
        ddp(88, 0x48, &eigrp_hello()),
        ddp(2, 4, &[]),
        vec![0, 5, 0, 0, 0, 0],
    ]
}

/// An AARP packet for Ethernet and AppleTalk (`htype`, `ptype` aside):
/// `op` from MAC_A, 258.3 to 1029.6.
fn aarp(op: u16, htype: u16, ptype: u16) -> Vec<u8> {
    let mut m = words(&[htype, ptype]);
    m.extend_from_slice(&[6, 4]);
    m.extend_from_slice(&op.to_be_bytes());
    m.extend_from_slice(&MAC_A);
    m.extend_from_slice(&[0, 1, 2, 3]);
    m.extend_from_slice(&[0; 6]);
    m.extend_from_slice(&[0, 4, 5, 6]);
    m
}

/// The AARP packets.
pub fn aarp_messages() -> Vec<Vec<u8>> {
    vec![
        aarp(1, 1, 0x809b),
        aarp(2, 1, 0x809b),
        aarp(3, 1, 0x809b),
        aarp(4, 1, 0x809b),
        aarp(1, 6, 0x809b),
        aarp(1, 1, 0),
    ]
}

/// An 802.3 frame carrying `llc` (its length field the LLC PDU's).
fn frame_8023(llc: &[u8]) -> Vec<u8> {
    ether(BROADCAST, llc.len() as u16, llc)
}

/// The SNAP header for `oui` and `pid`.
fn snap(oui: [u8; 3], pid: u16) -> Vec<u8> {
    [&[0xaa, 0xaa, 3][..], &oui, &pid.to_be_bytes()].concat()
}

/// IPX in Ethernet II, "raw" 802.3, LLC SAP 0xe0 and SNAP, with the
/// length of each framing's headers.
pub fn ipx_framings(m: &[u8]) -> [(Vec<u8>, usize); 4] {
    [
        (ether(BROADCAST, 0x8137, m), 14),
        (frame_8023(m), 14),
        (frame_8023(&[&[0xe0, 0xe0, 3][..], m].concat()), 17),
        (frame_8023(&[&snap([0; 3], 0x8137)[..], m].concat()), 22),
    ]
}

/// AppleTalk in Ethernet II and SNAP (Apple's OUI for DDP, 000000 for
/// AARP).
fn atalk_framings(m: &[u8], ether_type: u16) -> [(Vec<u8>, usize); 2] {
    let oui = if ether_type == 0x809b {
        [8, 0, 7]
    } else {
        [0; 3]
    };
    [
        (ether(BROADCAST, ether_type, m), 14),
        (frame_8023(&[&snap(oui, ether_type)[..], m].concat()), 22),
    ]
}

/// Every message in every framing, grouped by the framing's header
/// length (for the damaged copies).
fn framed() -> Vec<(usize, Vec<Vec<u8>>)> {
    let mut groups: Vec<(usize, Vec<Vec<u8>>)> = Vec::new();
    let mut add = |f: Vec<u8>, h: usize| match groups.iter_mut().find(|(k, _)| *k == h) {
        Some((_, v)) => v.push(f),
        None => groups.push((h, vec![f])),
    };
    for m in ipx_messages() {
        for (f, h) in ipx_framings(&m) {
            add(f, h);
        }
    }
    for (messages, t) in [(ddp_messages(), 0x809b), (aarp_messages(), 0x80f3)] {
        for m in messages {
            for (f, h) in atalk_framings(&m, t) {
                add(f, h);
            }
        }
    }
    groups
}

/// 802.3 frames padded to Ethernet's minimum and in a VLAN tag: the
/// length field, not the frame, says where IPX ends.
fn padded_and_tagged() -> Vec<Vec<u8>> {
    let m = &ipx_messages()[0];
    let mut out = Vec::new();
    for (mut f, _) in ipx_framings(m) {
        f.resize(f.len().max(60), 0);
        let mut tagged = f.clone();
        tagged.splice(12..12, [0x81, 0x00, 0x00, 0x07]);
        out.extend([f, tagged]);
    }
    for (messages, t) in [(ddp_messages(), 0x809b), (aarp_messages(), 0x80f3)] {
        for (mut f, _) in atalk_framings(&messages[0], t) {
            f.splice(12..12, [0x81, 0x00, 0x00, 0x07]);
            out.push(f);
        }
    }
    out
}

/// The capture: each message in each framing whole, cut where the
/// headers and the first fields end and damaged (`damaged` in all); every
/// frame of the first framing (Ethernet II) cut at every length.
pub fn ipx_atalk_capture(damaged: usize) -> Vec<u8> {
    let groups = framed();
    let n = groups.len();
    let mut frames: Vec<Frame> = Vec::new();
    for (i, (headers, whole)) in groups.into_iter().enumerate() {
        let seed = 0x1b8a_7a1c_0000_0001 + i as u64;
        frames.extend(with_cuts_and_damage(whole, headers, damaged / n, seed));
    }
    frames.extend(
        padded_and_tagged()
            .into_iter()
            .map(|bytes| Frame { bytes, snap: None }),
    );
    let first: Vec<Vec<u8>> = ipx_messages()
        .iter()
        .map(|m| ipx_framings(m)[0].0.clone())
        .chain(
            ddp_messages()
                .iter()
                .map(|m| atalk_framings(m, 0x809b)[0].0.clone()),
        )
        .chain(
            aarp_messages()
                .iter()
                .map(|m| atalk_framings(m, 0x80f3)[0].0.clone()),
        )
        .collect();
    // The first packet in SNAP (Apple's OUI for DDP) cut inside the LLC
    // and SNAP headers.
    for (f, _) in [
        ipx_framings(&ipx_messages()[0])[3].clone(),
        atalk_framings(&ddp_messages()[0], 0x809b)[1].clone(),
    ] {
        frames.extend(cuts(&f, 14).take(9));
    }
    // The long SAP responses every 5 bytes, to keep the file small.
    for f in &first {
        let step = if f.len() > 200 { 5 } else { 1 };
        frames.extend(cuts(f, 14).step_by(step));
    }
    capture(&frames)
}

/// The LLC PDUs of the four framings for 802.11 data frames: IPX raw
/// (no LLC header), after SAP 0xe0 and after SNAP, DDP and AARP after
/// SNAP.
pub fn wlan_bodies() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for m in ipx_messages().iter().step_by(3) {
        out.push(m.clone());
        out.push([&[0xe0, 0xe0, 3][..], m].concat());
        out.push([&snap([0; 3], 0x8137)[..], m].concat());
    }
    for m in ddp_messages().iter().step_by(2) {
        out.push([&snap([8, 0, 7], 0x809b)[..], m].concat());
    }
    for m in aarp_messages() {
        out.push([&snap([0; 3], 0x80f3)[..], &m[..]].concat());
    }
    out
}

/// The messages alone, for the mutation tests: IPX, DDP, AARP.
pub fn seeds() -> [Vec<Vec<u8>>; 3] {
    [ipx_messages(), ddp_messages(), aarp_messages()]
}
