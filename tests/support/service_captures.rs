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

/// The ISAKMP capture: every message, the first and the NAT-traversal
/// one cut at every length, `n` damaged.
pub fn isakmp_capture(n: usize) -> Vec<u8> {
    let messages = isakmp_messages();
    let mut frames: Vec<Frame> = messages
        .iter()
        .map(|(to_server, port, m)| udp(*to_server, *port, *port, m))
        .collect();
    for (_, port, m) in [messages.first(), messages.get(18)].into_iter().flatten() {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, *port, *port, m, keep));
        }
    }
    // IKEv1 stays out of the damaged copies: a copy of a message whose
    // initiator cookie tcpdump has recorded is marked from its table.
    let v2: Vec<_> = messages
        .into_iter()
        .filter(|(_, _, m)| m.get(17).is_none_or(|v| v >> 4 != 1))
        .collect();
    frames.extend(damaged(0x4953_0000_0000_0001, &v2, n));
    write(&frames)
}
