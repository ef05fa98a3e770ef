//! `captures/dissect_krb.pcap` and `captures/dissect_resp.pcap`: Kerberos
//! messages on UDP 88 and 750 (version 5's AS and TGS messages, every
//! version 4 message type in both byte orders, escaped and unterminated
//! names, versions 1–3 and unknown ones) and RESP segments on TCP 6379
//! (pipelined commands and replies of every type, nested arrays, null,
//! empty, too large, negative and invalid lengths, inline commands, text
//! with control bytes), each cut at every length, then seeded damaged
//! copies. `tests/dissect_services.rs` compares `sockscope read` with
//! `tcpdump -n -r` on them.

use super::app_captures::{Frame, capture as write, damaged, tcp_each, udp, udp_cut};
use super::dns_captures::mutate;
use super::rng::Rng;

pub const KRB_PORT: u16 = 88;
pub const RESP_PORT: u16 = 6379;

/// A version 4 message: version, type and byte order, then `body`.
fn krb4(kind: u8, little: bool, body: &[u8]) -> Vec<u8> {
    [&[4, kind | u8::from(little)][..], body].concat()
}

pub fn krb_messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v: Vec<Vec<u8>> = Vec::new();
    // Version 5: the first bytes of an AS-REQ, AS-REP, TGS-REQ/REP,
    // AP-REQ and KRB-ERROR.
    for tag in [0x6au8, 0x6b, 0x6c, 0x6d, 0x6e, 0x7e] {
        v.push(vec![
            tag, 0x81, 0x90, 0x30, 0x81, 0x8d, 0xa1, 0x03, 0x02, 0x01, 0x05,
        ]);
    }
    for little in [false, true] {
        v.push(krb4(
            2,
            little,
            b"bob\0\0EXAMPLE.ORG\0\x5e\x00\x00\x01\x60krbtgt\0EXAMPLE.ORG\0",
        ));
        v.push(krb4(
            4,
            little,
            b"bob\0\0EXAMPLE.ORG\0\0\0\0\0\x01\x02\x03\x04\x05\x06\x01\x02xx",
        ));
        v.push(krb4(6, little, b"\x05EXAMPLE.ORG\0\x10\x20rest"));
        v.push(krb4(
            10,
            little,
            b"bob\0\0EXAMPLE.ORG\0\0\0\0\0\x00\x08\0\0unknown principal\0",
        ));
        v.push(krb4(10, little, b"a\0b\0c\0\0\0\0\0\x00\x63\0\0e\0"));
    }
    for kind in [8u8, 12, 14, 16, 126, 32] {
        v.push(krb4(kind, false, b"x\0y\0z\0"));
    }
    v.push(krb4(
        2,
        false,
        b"\x01\x7f\x80\xff\0i\0r\0\0\0\0\0\x01s\0t\0",
    ));
    v.push(krb4(2, false, b"bob\0inst"));
    for version in [1u8, 2, 3, 5, 0, 0xff] {
        v.push(vec![version, 0x02, 0x03]);
    }
    v.into_iter().map(|m| (true, KRB_PORT, m)).collect()
}

/// The Kerberos capture: each message to port 88, replies from it, one
/// to port 750, cuts of two messages at every length, `n` damaged.
pub fn krb_capture(n: usize) -> Vec<u8> {
    let messages = krb_messages();
    let mut frames: Vec<Frame> = messages
        .iter()
        .map(|(_, port, m)| udp(true, 40000, *port, m))
        .collect();
    for (_, _, m) in messages.iter().take(8) {
        frames.push(udp(false, 40000, KRB_PORT, m));
    }
    if let Some((_, _, m)) = messages.get(6) {
        frames.push(udp(true, 40000, 750, m));
    }
    for (_, _, m) in [messages.first(), messages.get(6)].into_iter().flatten() {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, 40000, KRB_PORT, m, keep));
        }
    }
    frames.extend(damaged(0x4b4b_0000_0000_0001, &messages, n));
    write(&frames)
}

pub fn resp_messages() -> Vec<Vec<u8>> {
    let texts: &[&[u8]] = &[
        b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n",
        b"+OK\r\n",
        b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$3\r\nGET\r\n$1\r\nj\r\n",
        b"$5\r\nhello\r\n$-1\r\n",
        b":12\r\n:-3\r\n",
        b"-ERR unknown command 'X'\r\n",
        b"*3\r\n$1\r\na\r\n*2\r\n:1\r\n*1\r\n$0\r\n\r\n+x\r\n",
        b"*0\r\n*-1\r\n",
        b"PING\r\nPING\nPING\r\r\n",
        b"\r\n\nQUIT\r\n",
        b"$-2\r\n",
        b"*-5\r\n",
        b"*99999999999\r\n",
        b"$2147483647\r\n",
        b"$2147483648\r\n",
        b"$214748364\r\nab",
        b"$x\r\n",
        b"$1a\r\n",
        b"$1\rx",
        b"$3\r\nabcxx\r\n",
        b"$3\r\nab\r\n\r\n",
        b"-ERR\x01\x7f\x80\xff\r\n",
        b"$-01\r\n$-1x\r\n",
        b"*2\r\n$3\r\nGET\r\n$5\r\nab",
        b"+",
        b"\r",
        b"hello",
    ];
    texts.iter().map(|t| t.to_vec()).collect()
}

/// The RESP capture: each segment to and from port 6379, the first
/// three cut at every length, `n` damaged.
pub fn resp_capture(n: usize) -> Vec<u8> {
    let messages = resp_messages();
    let mut segments: Vec<(bool, Vec<u8>, Option<usize>)> = Vec::new();
    for m in &messages {
        segments.push((true, m.clone(), None));
    }
    for m in messages.iter().take(8) {
        segments.push((false, m.clone(), None));
    }
    for m in messages.iter().take(3) {
        for keep in 0..m.len() {
            segments.push((true, m.clone(), Some(keep)));
        }
    }
    let mut rng = Rng(0x4e59_0000_0000_0001);
    for _ in 0..n {
        if let Some(m) = messages.get(rng.below(messages.len())) {
            segments.push((true, mutate(&mut rng, m), None));
        }
    }
    write(&tcp_each(RESP_PORT, &segments))
}

pub const ISAKMP_PORT: u16 = 500;
pub const ISAKMP_NATT_PORT: u16 = 4500;

/// An ISAKMP message: cookies, `version`, `exchange`, `flags`,
/// `msgid`, then `payloads` (a chain starting with type `np`).
fn ike(
    (i_ck, r_ck): (u8, u8),
    np: u8,
    (version, exchange, flags): (u8, u8, u8),
    msgid: u32,
    payloads: &[u8],
) -> Vec<u8> {
    let mut m = vec![i_ck; 8];
    m.extend_from_slice(&[r_ck; 8]);
    m.extend_from_slice(&[np, version, exchange, flags]);
    m.extend_from_slice(&msgid.to_be_bytes());
    m.extend_from_slice(&(28 + payloads.len() as u32).to_be_bytes());
    m.extend_from_slice(payloads);
    m
}

/// A generic payload: next type, reserved, length, `body`.
fn ike_payload(next: u8, body: &[u8]) -> Vec<u8> {
    let len = (4 + body.len()) as u16;
    [&[next, 0][..], &len.to_be_bytes(), body].concat()
}

pub fn isakmp_messages() -> Vec<(bool, u16, Vec<u8>)> {
    let transform = ike_payload(0, &[1, 0, 0, 12, 0x80, 14, 0, 128]);
    let proposal = ike_payload(0, &[&[1, 1, 0, 1][..], &transform].concat());
    let init = [
        ike_payload(34, &proposal),
        ike_payload(40, &[&[0, 14, 0, 0][..], &[0xab; 16]].concat()),
        ike_payload(41, &[0x5a; 16]),
        ike_payload(0, &[&[0, 0, 0x40, 0x04][..], &[0x11; 20]].concat()),
    ]
    .concat();
    let sealed = ike_payload(35, &[0xee; 40]);
    let notify = ike_payload(0, &[0, 0, 0x40, 0x00]);
    let v1_sa = ike_payload(0, &[0, 0, 0, 1, 0, 0, 0, 1]);
    // Each to or from port 500.
    let at = |to_server: bool, m: Vec<u8>| (to_server, ISAKMP_PORT, m);
    let mut v: Vec<(bool, u16, Vec<u8>)> = vec![
        at(true, ike((1, 0), 33, (0x20, 34, 0x08), 0, &init)),
        at(false, ike((1, 2), 33, (0x20, 34, 0x20), 0, &init)),
        at(true, ike((1, 2), 46, (0x20, 35, 0x08), 1, &sealed)),
        at(false, ike((1, 2), 46, (0x20, 35, 0x20), 1, &sealed)),
        at(true, ike((1, 2), 41, (0x20, 37, 0x28), 2, &notify)),
        at(true, ike((1, 2), 41, (0x20, 36, 0x10), 3, &notify)),
        at(true, ike((1, 2), 0, (0x20, 99, 0x07), 4, &[])),
        at(true, ike((1, 2), 0, (0x20, 34, 0x00), 0, &[])),
        at(true, ike((1, 2), 0, (0x30, 34, 0x08), 0, &[])),
        at(true, ike((1, 2), 0, (0x21, 34, 0x3f), 0, &[])),
        at(true, ike((1, 2), 0, (0x00, 34, 0x08), 0, &[])),
        // IKEv1, each with its own initiator cookie (tcpdump remembers
        // them across packets; see src/dissect/isakmp.rs).
        at(true, ike((0x11, 0), 1, (0x10, 2, 0), 0, &v1_sa)),
        at(true, ike((0x12, 9), 1, (0x10, 4, 0), 0, &v1_sa)),
        at(true, ike((0x13, 9), 8, (0x10, 32, 1), 7, &[])),
        at(true, ike((0x14, 9), 8, (0x10, 5, 3), 8, &[])),
        at(true, ike((0x15, 9), 8, (0x10, 6, 4), 8, &[])),
        (true, 7500, ike((1, 2), 0, (0x20, 34, 0x08), 0, &[])),
        (true, 8500, ike((1, 2), 0, (0x20, 34, 0x08), 0, &[])),
    ];
    let natt = |m: &[u8]| [&[0, 0, 0, 0][..], m].concat();
    if let Some((_, _, m)) = v.get(2) {
        let m = natt(m);
        v.push((true, ISAKMP_NATT_PORT, m));
    }
    // The second IKEv1 message is the responder's (` R`).
    for (i, m) in ikev1_payload_messages().into_iter().enumerate() {
        v.push((i != 1, ISAKMP_PORT, m));
    }
    for m in ikev2_payload_messages() {
        v.push((true, ISAKMP_PORT, m));
    }
    for m in [
        vec![0xff],
        vec![0, 0],
        vec![0, 0, 0],
        vec![0, 0, 0, 0],
        vec![0, 0, 0x12, 0x34, 0, 0, 0, 5, 1, 2, 3, 4],
        vec![0, 0, 0x12, 0x34, 0, 0, 0, 5],
    ] {
        v.push((true, ISAKMP_NATT_PORT, m));
    }
    v
}

/// A chain of payloads: each `(type, flags, body)` with the next one's
/// type in its header; the first type and the bytes.
fn ike_chain(items: &[(u8, u8, Vec<u8>)]) -> (u8, Vec<u8>) {
    let mut out = Vec::new();
    for (i, (_, flags, body)) in items.iter().enumerate() {
        let next = items.get(i + 1).map_or(0, |n| n.0);
        let len = (4 + body.len()) as u16;
        out.extend_from_slice(&[next, *flags]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(body);
    }
    (items.first().map_or(0, |i| i.0), out)
}

/// An SA attribute: a short one (type with the format bit, value) or a
/// long one (type, length, value).
fn ike_attr(kind: u16, value: u16) -> [u8; 4] {
    let [a, b] = (0x8000 | kind).to_be_bytes();
    let [c, d] = value.to_be_bytes();
    [a, b, c, d]
}

fn ike_long_attr(kind: u16, value: &[u8]) -> Vec<u8> {
    let len = value.len() as u16;
    [&kind.to_be_bytes()[..], &len.to_be_bytes(), value].concat()
}

/// IKEv1 messages that carry every payload tcpdump decodes: phase 1's SA
/// with Oakley attributes, KE, nonce, vendor ids and NAT-D; every
/// identity type; CERT, CR, SIG, NAT-OA; quick mode's SA with ESP and AH
/// proposals; notifications and deletes; other DOIs and situations.
fn ikev1_payload_messages() -> Vec<Vec<u8>> {
    let v1 =
        |i_ck: u8, r_ck: u8, (ex, flags, msgid): (u8, u8, u32), items: &[(u8, u8, Vec<u8>)]| {
            let (np, body) = ike_chain(items);
            ike((i_ck, r_ck), np, (0x10, ex, flags), msgid, &body)
        };
    let t =
        |next: u8, head: [u8; 4], attrs: Vec<u8>| ike_payload(next, &[&head[..], &attrs].concat());
    let oakley = [
        ike_attr(1, 7).to_vec(),
        ike_attr(14, 128).to_vec(),
        ike_attr(2, 2).to_vec(),
        ike_attr(3, 1).to_vec(),
        ike_attr(4, 14).to_vec(),
        ike_attr(11, 1).to_vec(),
        ike_long_attr(12, &[0, 0, 0x70, 0x80]),
        ike_attr(99, 5).to_vec(),
        ike_long_attr(98, &[1, 2, 3]),
    ]
    .concat();
    let second = [
        ike_attr(1, 5),
        ike_attr(2, 1),
        ike_attr(3, 3),
        ike_attr(4, 2),
        ike_attr(11, 2),
        ike_attr(12, 3600),
    ]
    .concat();
    let transforms = [t(3, [1, 1, 0, 0], oakley), t(0, [2, 1, 0, 0], second)].concat();
    let doi = |doi: u32, situation: u32| [doi.to_be_bytes(), situation.to_be_bytes()].concat();
    let sa = [
        doi(1, 1),
        ike_payload(0, &[&[1, 1, 0, 2][..], &transforms].concat()),
    ]
    .concat();
    let ipsec = [
        ike_attr(1, 1),
        ike_attr(2, 28800),
        ike_attr(4, 1),
        ike_attr(5, 2),
        ike_attr(6, 256),
        ike_attr(3, 2),
        ike_attr(7, 1),
        ike_attr(8, 0),
        ike_attr(20, 1),
    ]
    .concat();
    let esp = [
        &[1, 3, 4, 2, 0xaa, 0xbb, 0xcc, 0xdd][..],
        &t(3, [1, 12, 0, 0], ipsec),
        &t(0, [2, 3, 0, 0], [ike_attr(5, 1), ike_attr(4, 2)].concat()),
    ]
    .concat();
    let ah = [
        &[2, 2, 4, 1, 0x11, 0x22, 0x33, 0x44][..],
        &t(0, [1, 2, 0, 0], ike_attr(5, 2).to_vec()),
    ]
    .concat();
    let quick_sa = [doi(1, 1), ike_payload(2, &esp), ike_payload(0, &ah)].concat();
    let id = |kind: u8, proto: u8, port: u16, data: &[u8]| {
        [&[kind, proto][..], &port.to_be_bytes(), data].concat()
    };
    let range16: Vec<u8> = (0..16).collect();
    let ids = [
        id(1, 17, 500, &[10, 1, 2, 3]),
        id(2, 0, 0, b"vpn.example.com"),
        id(3, 6, 80, b"user@example.com"),
        id(4, 0, 0, &[10, 1, 0, 0, 255, 255, 0, 0]),
        id(5, 0, 0, &range16),
        id(6, 0, 0, &[&range16[..], &[0xff; 8], &[0; 8]].concat()),
        id(7, 0, 0, &[10, 0, 0, 1, 10, 0, 0, 9]),
        id(8, 0, 0, &[&range16[..], &range16[..]].concat()),
        id(9, 0, 0, &[0x30, 3, 0x31, 1, 0]),
        id(10, 0, 0, &[1, 2]),
        id(11, 0, 0, b"keyid"),
        id(12, 0, 0, b"x"),
        id(1, 0, 0, &[1, 2]),
        id(4, 0, 0, &[10, 1]),
        id(2, 0, 0, b"bad\x01\xe9"),
    ];
    let notify = |doi: u32, proto: u8, spi: &[u8], kind: u16, data: &[u8]| {
        [
            &doi.to_be_bytes()[..],
            &[proto, spi.len() as u8],
            &kind.to_be_bytes(),
            spi,
            data,
        ]
        .concat()
    };
    let delete = |proto: u8, size: u8, spis: &[u8]| {
        let n = (spis.len() / usize::from(size.max(1))) as u16;
        [
            &1u32.to_be_bytes()[..],
            &[proto, size],
            &n.to_be_bytes(),
            spis,
        ]
        .concat()
    };
    let hash = (8, 0, vec![0x66; 20]);
    let mut v = vec![
        v1(
            0x21,
            0,
            (2, 0, 0),
            &[
                (1, 0, sa.clone()),
                (13, 0, vec![0x4a; 16]),
                (13, 0, vec![0x90; 16]),
            ],
        ),
        v1(
            0x21,
            0x22,
            (2, 0, 0),
            &[
                (4, 0, vec![0x11; 128]),
                (10, 0, vec![0x22; 24]),
                (20, 0, vec![0x33; 20]),
                (130, 0, vec![0x55; 16]),
            ],
        ),
        v1(
            0x21,
            0x22,
            (2, 0, 0),
            &[
                (6, 0, vec![4, 0x30, 0x82, 1]),
                (7, 0, vec![4, 0x30, 0]),
                (9, 0, vec![0x77; 16]),
                (21, 0, vec![1, 0, 0, 0, 192, 168, 1, 1]),
                (131, 0, vec![1, 0, 0, 0, 192, 168, 1, 2]),
            ],
        ),
        v1(
            0x21,
            0x22,
            (32, 0, 0x1234),
            &[
                hash.clone(),
                (1, 0, quick_sa),
                (10, 0, vec![2; 16]),
                (5, 0, ids[3].clone()),
                (5, 0, id(1, 6, 22, &[10, 2, 0, 1])),
            ],
        ),
        v1(
            0x21,
            0x22,
            (5, 0, 9),
            &[
                hash.clone(),
                (11, 0, notify(1, 1, &[], 24578, &[1, 2])),
                (11, 0, notify(1, 3, &[0xde, 0xad, 0xbe, 0xef], 14, &[])),
                (11, 0, notify(1, 1, &[1; 16], 36136, &[0, 0, 0, 5])),
                (
                    11,
                    0,
                    notify(
                        1,
                        1,
                        &[],
                        24576,
                        &[&ike_attr(1, 1)[..], &ike_long_attr(2, &[0, 0, 0x0e, 0x10])].concat(),
                    ),
                ),
                (11, 0, notify(1, 1, &[], 24577, &[0, 0, 0, 1])),
                (11, 0, notify(2, 1, &[1, 2, 3, 4], 24578, &[])),
                (11, 0, notify(1, 1, &[], 16384, &[])),
                (11, 0, notify(1, 1, &[], 40000, &[])),
            ],
        ),
        v1(
            0x21,
            0x22,
            (5, 0, 10),
            &[
                (12, 0, delete(3, 4, &[1, 2, 3, 4, 5, 6, 7, 8])),
                (12, 0, delete(1, 16, &[9; 16])),
            ],
        ),
        v1(0x21, 0x22, (5, 1, 11), std::slice::from_ref(&hash)),
        v1(0x21, 0x22, (33, 2, 11), std::slice::from_ref(&hash)),
        v1(0x23, 0, (4, 0, 0), &[(1, 0, doi(2, 1))]),
        v1(
            0x23,
            0x24,
            (4, 0, 0),
            &[(1, 0, [doi(1, 7), ike_payload(0, &[1, 1, 0, 0])].concat())],
        ),
        v1(
            0x23,
            0x24,
            (99, 0, 0),
            &[(14, 0, vec![1, 2]), (99, 0, vec![b'x'])],
        ),
        v1(0x23, 0x24, (2, 0, 0), &[(8, 0, vec![]), (13, 0, vec![1])]),
    ];
    for body in ids {
        v.push(v1(0x21, 0x22, (2, 0, 0), &[(5, 0, body), hash.clone()]));
    }
    v
}

/// IKEv2 messages with every payload: SA with proposals and transforms
/// of each type, KE, nonce, notifications of each kind, vendor ids, each
/// identity type, CERT, CERTREQ, AUTH, TS, D, CP, EAP, SK, the critical
/// bit and unknown types.
fn ikev2_payload_messages() -> Vec<Vec<u8>> {
    let v2 = |(ex, flags, msgid): (u8, u8, u32), items: &[(u8, u8, Vec<u8>)]| {
        let (np, body) = ike_chain(items);
        ike((1, 2), np, (0x20, ex, flags), msgid, &body)
    };
    let tr = |last: u8, kind: u8, id: u16, attrs: &[u8]| {
        let len = (8 + attrs.len()) as u16;
        [
            &[last, 0][..],
            &len.to_be_bytes(),
            &[kind, 0],
            &id.to_be_bytes(),
            attrs,
        ]
        .concat()
    };
    let prop = |last: u8, number: u8, proto: u8, spi: &[u8], trs: &[Vec<u8>]| {
        let body = [
            &[number, proto, spi.len() as u8, trs.len() as u8][..],
            spi,
            &trs.concat(),
        ]
        .concat();
        let len = (4 + body.len()) as u16;
        [&[last, 0][..], &len.to_be_bytes(), &body].concat()
    };
    let kl = ike_attr(14, 256);
    let p1 = prop(
        2,
        1,
        1,
        &[],
        &[
            tr(3, 1, 20, &kl),
            tr(3, 1, 12, &kl),
            tr(3, 2, 5, &[]),
            tr(3, 2, 7, &[]),
            tr(3, 3, 12, &[]),
            tr(3, 3, 2, &[]),
            tr(3, 4, 14, &[]),
            tr(3, 4, 31, &[]),
            tr(3, 5, 0, &[]),
            tr(3, 9, 1, &[]),
            tr(0, 4, 99, &[]),
        ],
    );
    let p2 = prop(
        0,
        2,
        3,
        &[0xca, 0xfe, 0xba, 0xbe],
        &[tr(3, 1, 3, &[]), tr(3, 3, 1, &[]), tr(0, 5, 1, &[])],
    );
    let n = |proto: u8, spi: &[u8], kind: u16, data: &[u8]| {
        [
            &[proto, spi.len() as u8][..],
            &kind.to_be_bytes(),
            spi,
            data,
        ]
        .concat()
    };
    let ke = [&14u16.to_be_bytes()[..], &[0, 0], &[0x11; 32]].concat();
    let ts4 = [
        &[7, 6, 0, 16, 0, 0, 0xff, 0xff][..],
        &[10, 1, 0, 0, 10, 1, 255, 255],
    ]
    .concat();
    let ts6 = [&[8, 0, 0, 40, 0, 80, 0, 80][..], &[0; 16], &[0xff; 16]].concat();
    let id = |kind: u8, data: &[u8]| [&[kind, 0, 0, 0][..], data].concat();
    let mut v = vec![
        v2(
            (34, 8, 0),
            &[
                (33, 0, [p1, p2.clone()].concat()),
                (34, 0, ke),
                (40, 0, vec![0x22; 32]),
                (41, 0, n(0, &[], 16388, &[0x33; 20])),
                (41, 0, n(0, &[], 16430, &[0, 2, 0, 3])),
                (43, 0, b"UU\x01\xff ~UUUUUUUUUU".to_vec()),
                (41, 0, n(0, &[], 14, &[])),
                (41, 0, n(3, &[1, 2, 3, 4], 24, b"xy")),
                (41, 0, n(3, &[1, 2, 3, 4], 16384, &[])),
                (41, 0, n(0, &[], 16390, &[1, 2])),
                (41, 0, n(0, &[], 16391, &[])),
                (41, 0, n(0, &[9, 9], 8192, &[])),
                (41, 0x80, n(0, &[], 40000, &[])),
                (41, 0, n(0, &[], 50000, &[])),
            ],
        ),
        v2(
            (35, 8, 1),
            &[
                (37, 0, vec![4, 0x30, 0x82]),
                (38, 0, vec![4; 21]),
                (39, 0, [&[2, 0, 0, 0][..], &[0x66; 20]].concat()),
                (39, 0, vec![14, 0, 0, 0, 1, 2, 3, 4]),
                (39, 0, vec![1, 0, 0, 0]),
                (39, 0, vec![99, 0, 0, 0]),
            ],
        ),
        v2(
            (36, 0x28, 2),
            &[
                (44, 0, [&[2, 0, 0, 0][..], &ts4, &ts6].concat()),
                (45, 0, [&[1, 0, 0, 0][..], &ts4].concat()),
                (42, 0, vec![3, 4, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8]),
                (42, 0, vec![1, 0, 0, 0]),
            ],
        ),
        v2(
            (37, 0x20, 3),
            &[
                (47, 0, vec![1, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 4, 8, 8, 8, 8]),
                (48, 0, vec![1, 1, 0, 5, 1]),
                (48, 0, vec![2, 1, 0, 6, 1, 0x61]),
            ],
        ),
        v2(
            (35, 8, 1),
            &[(41, 0, n(0, &[], 16388, &[1; 20])), (46, 0, vec![0xee; 40])],
        ),
        v2((35, 8, 1), &[(46, 0, vec![1, 2, 3, 4])]),
        v2(
            (34, 8, 0),
            &[(33, 0x80, p2), (99, 0x80, vec![1, 2]), (98, 0, vec![3])],
        ),
        v2((34, 8, 0), &[(34, 0, vec![0, 2, 0, 0]), (40, 0, vec![])]),
        v2(
            (34, 8, 0),
            &[
                (1, 0, vec![0, 0, 0, 1, 0, 0, 0, 1]),
                (8, 0, vec![1, 2]),
                (20, 0, vec![3]),
            ],
        ),
    ];
    for (kind, data) in [
        (1u8, &[10u8, 1, 2, 3][..]),
        (2, b"vpn.example.com"),
        (3, b"user@\x01.com"),
        (5, &[0; 16]),
        (9, &[0x30, 3]),
        (10, &[1]),
        (11, b"kid"),
        (4, b"x"),
    ] {
        v.push(v2(
            (35, 8, 1),
            &[(35, 0, id(kind, data)), (36, 0, id(kind, data))],
        ));
    }
    v
}

/// IKEv1 exchanges whose initiator cookie is zero, against tcpdump's
/// table of 20 zeroed slots: a zero cookie finds an unused slot (` ?`,
/// whoever sends it) until 20 other exchanges have filled them all, then
/// starts an exchange of its own (` I`, and ` R` for the answer). With
/// the NAT-T marker too. Returns the capture and its packet count.
pub fn isakmp_zero_cookie_capture() -> (Vec<u8>, usize) {
    let sa = ike_payload(0, &[0, 0, 0, 1, 0, 0, 0, 1]);
    let v1 = |cookies, msgid| ike(cookies, 1, (0x10, 2, 0), msgid, &sa);
    let natt = |m: Vec<u8>| [&[0, 0, 0, 0][..], &m].concat();
    let mut frames = vec![
        udp(true, ISAKMP_PORT, ISAKMP_PORT, &v1((0, 0), 0)),
        udp(false, ISAKMP_PORT, ISAKMP_PORT, &v1((0, 9), 0)),
        udp(true, ISAKMP_PORT, ISAKMP_PORT, &v1((0, 9), 5)),
        udp(
            true,
            ISAKMP_NATT_PORT,
            ISAKMP_NATT_PORT,
            &natt(v1((0, 0), 0)),
        ),
    ];
    for ck in 1..=20 {
        frames.push(udp(true, ISAKMP_PORT, ISAKMP_PORT, &v1((ck, 0), 0)));
    }
    frames.push(udp(true, ISAKMP_PORT, ISAKMP_PORT, &v1((0, 0), 0)));
    frames.push(udp(false, ISAKMP_PORT, ISAKMP_PORT, &v1((0, 9), 0)));
    frames.push(udp(true, ISAKMP_PORT, ISAKMP_PORT, &v1((0, 9), 5)));
    let n = frames.len();
    (write(&frames), n)
}

/// The ISAKMP capture: every message, the first and the NAT-traversal
/// one cut at every length, `n` damaged.
pub fn isakmp_capture(n: usize) -> Vec<u8> {
    let messages = isakmp_messages();
    let mut frames: Vec<Frame> = messages
        .iter()
        .map(|(to_server, port, m)| udp(*to_server, *port, *port, m))
        .collect();
    // The first message, the NAT-traversal one, and the payload-rich
    // ones of both versions (SA, quick mode, notifications; SA, AUTH, TS).
    for i in [0, 18, 19, 20, 22, 23, 46, 47, 48] {
        if let Some((to_server, port, m)) = messages.get(i) {
            for keep in 0..m.len() {
                frames.push(udp_cut(*to_server, *port, *port, m, keep));
            }
        }
    }
    frames.extend(damaged(0x4953_0000_0000_0001, &messages, n));
    write(&frames)
}

/// Where the ISAKMP header of `m` (sent to `port`) starts: after the
/// non-ESP marker on the NAT-traversal port.
fn ike_start(port: u16, m: &[u8]) -> Option<usize> {
    match (port, m.get(..4)) {
        (ISAKMP_NATT_PORT, Some([0, 0, 0, 0])) => Some(4),
        (ISAKMP_NATT_PORT, _) => None,
        _ => Some(0),
    }
}

/// The structure a damaged copy aims at, found by walking `m` as RFC 2408
/// and RFC 7296 lay it out (written for the test, apart from the
/// decoder): where each generic payload header starts (payloads, an
/// SA's proposals, a proposal's transforms), where each proposal
/// starts, and where each variable-length attribute starts.
#[derive(Default)]
struct IkeLayout {
    headers: Vec<usize>,
    proposals: Vec<usize>,
    long_attrs: Vec<usize>,
}

fn ike_layout(m: &[u8], base: usize) -> IkeLayout {
    let mut l = IkeLayout::default();
    let byte = |at: usize| m.get(at).copied();
    let u16_at = |at: usize| Some(u16::from_be_bytes([byte(at)?, byte(at + 1)?]));
    let v2 = byte(base + 17).is_some_and(|v| v >> 4 == 2);
    let Some(np) = byte(base + 16) else {
        return l;
    };
    // (payload type, where its chain starts, where it must end)
    let mut chains = vec![(np, base + 28, m.len())];
    while let Some((mut np, mut at, end)) = chains.pop() {
        while np != 0 && at + 4 <= end {
            let (Some(next), Some(len)) = (byte(at), u16_at(at + 2)) else {
                break;
            };
            let len = usize::from(len);
            l.headers.push(at);
            let body = at + 4;
            let stop = (at + len).min(end);
            match (np, v2) {
                (1, false) => chains.push((2, body + 8, stop)),
                (33, true) => chains.push((2, body, stop)),
                (2, _) => {
                    l.proposals.push(at);
                    let spi = usize::from(byte(body + 2).unwrap_or(0));
                    chains.push((3, body + 4 + spi, stop));
                }
                (3, _) => {
                    let mut a = body + 4;
                    while let (Some(kind), Some(alen)) = (u16_at(a), u16_at(a + 2)) {
                        if a + 4 > stop {
                            break;
                        }
                        if kind & 0x8000 == 0 {
                            l.long_attrs.push(a);
                            a += 4 + usize::from(alen);
                        } else {
                            a += 4;
                        }
                    }
                }
                _ => {}
            }
            if len < 4 || np == 46 {
                break;
            }
            np = next;
            at += len;
        }
    }
    l
}

/// `m` with the big-endian `value` written over `width` bytes at `at`
/// (as far as `m` reaches).
fn overwrite(m: &[u8], at: usize, width: usize, value: u32) -> Vec<u8> {
    let mut m = m.to_vec();
    let bytes = value.to_be_bytes();
    for (i, b) in bytes[4 - width..].iter().enumerate() {
        if let Some(slot) = m.get_mut(at + i) {
            *slot = *b;
        }
    }
    m
}

/// Damaged copies of one ISAKMP message whose header starts at `base`:
/// its length fields (the header's, every payload's, proposal's,
/// transform's and long attribute's) set to values around and far from
/// the true one, next-payload types, SPI sizes and transform counts
/// changed, and every byte set once to a value `rng` picks.
fn ike_field_damage(rng: &mut Rng, m: &[u8], base: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let u16_at = |at: usize| match (m.get(at), m.get(at + 1)) {
        (Some(a), Some(b)) => u32::from(u16::from_be_bytes([*a, *b])),
        _ => 0,
    };
    let total = m.len().saturating_sub(base) as u32;
    for len in [
        0,
        27,
        28,
        29,
        total.saturating_sub(1),
        total + 1,
        total + 4,
        u32::MAX,
    ] {
        out.push(overwrite(m, base + 24, 4, len));
    }
    let layout = ike_layout(m, base);
    for &h in &layout.headers {
        let len = u16_at(h + 2);
        for l in [
            0,
            1,
            3,
            4,
            5,
            7,
            8,
            len.saturating_sub(4),
            len.saturating_sub(1),
        ] {
            out.push(overwrite(m, h + 2, 2, l));
        }
        for l in [len + 1, len + 2, len + 4, len + 8, 0xffff] {
            out.push(overwrite(m, h + 2, 2, l));
        }
        for np in [0, 1, 2, 3, 8, 33, 46, 99] {
            out.push(overwrite(m, h, 1, np));
        }
    }
    for &p in &layout.proposals {
        for spi in [0, 1, 4, 8, 200] {
            out.push(overwrite(m, p + 6, 1, spi));
        }
        for n in [0, 1, 2, 200] {
            out.push(overwrite(m, p + 7, 1, n));
        }
    }
    for &a in &layout.long_attrs {
        let len = u16_at(a + 2);
        for l in [0, 1, len.saturating_sub(1), len + 1, 0xffff] {
            out.push(overwrite(m, a + 2, 2, l));
        }
        out.push(overwrite(
            m,
            a,
            1,
            u32::from(m.get(a).copied().unwrap_or(0) | 0x80),
        ));
    }
    for at in 0..m.len() {
        let v = [0, 1, 2, 3, 4, 8, 0x80, 0xff, rng.next() as u8][rng.below(9)];
        out.push(overwrite(m, at, 1, u32::from(v)));
    }
    out
}

/// The ISAKMP damage capture (`tests/dissect_isakmp_damage.rs`, not
/// committed): every message of [`isakmp_messages`] (IKEv1 and IKEv2, on
/// UDP 500 and NAT-T 4500) cut by the capture at every length, its
/// length fields and bytes damaged ([`ike_field_damage`]), then `random`
/// copies damaged by the seeded generator `seed`.
pub fn isakmp_damage_capture(seed: u64, random: usize) -> (Vec<u8>, usize) {
    let messages = isakmp_messages();
    let mut rng = Rng(seed);
    let mut frames: Vec<Frame> = Vec::new();
    for (to_server, port, m) in &messages {
        for keep in 0..m.len() {
            frames.push(udp_cut(*to_server, *port, *port, m, keep));
        }
        let Some(base) = ike_start(*port, m) else {
            continue;
        };
        for d in ike_field_damage(&mut rng, m, base) {
            frames.push(udp(*to_server, *port, *port, &d));
        }
    }
    frames.extend(damaged(seed, &messages, random));
    let n = frames.len();
    (write(&frames), n)
}
