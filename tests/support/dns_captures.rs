//! `captures/dissect_dns.pcap`: DNS, mDNS and LLMNR messages over UDP in
//! Ethernet frames, built byte by byte here so every field is known —
//! queries and responses of each record type tcpdump prints, flags,
//! opcodes and rcodes (extended ones through EDNS), compression pointers
//! (good, chained, forwards, looping), names with odd bytes, too-long
//! names, EDNS options, damaged and cut messages, a few DNS-over-TCP
//! segments (one cut by the snap length before, inside and after its
//! length prefix) — then a few hundred messages damaged by a seeded
//! generator.
//! `tests/dissect_dns.rs` compares `sockscope read` with `tcpdump -n -r` on
//! it at every `-v` level.

use super::frames::Above::Udp;
use super::frames::Eth;
use super::inspect_captures::T0;
use super::pcap::{Layout, Record, write_pcap};
use super::rng::Rng;
use std::borrow::Cow;

const AB: Eth = Eth {
    src: [0x02, 0, 0, 0, 0, 0x0a],
    dst: [0x02, 0, 0, 0, 0, 0x0b],
    ttl: 64,
};
const BA: Eth = Eth {
    src: [0x02, 0, 0, 0, 0, 0x0b],
    dst: [0x02, 0, 0, 0, 0, 0x0a],
    ttl: 64,
};

/// A name in wire form: each dot-separated label with its length, then
/// the root. Labels are bytes, so odd characters stay as given.
pub fn name(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for label in text.split(|&c| c == b'.').filter(|l| !l.is_empty()) {
        out.push(label.len() as u8);
        out.extend_from_slice(label);
    }
    out.push(0);
    out
}

/// The 12-byte header.
pub fn header(id: u16, flags: u16, qd: u16, an: u16, ns: u16, ar: u16) -> Vec<u8> {
    [id, flags, qd, an, ns, ar]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect()
}

/// A question: the name (wire form), type and class.
pub fn question(name_wire: &[u8], qtype: u16, class: u16) -> Vec<u8> {
    let mut out = name_wire.to_vec();
    out.extend_from_slice(&qtype.to_be_bytes());
    out.extend_from_slice(&class.to_be_bytes());
    out
}

/// A resource record: owner (wire form), type, class, TTL and data.
pub fn record(owner: &[u8], rtype: u16, class: u16, ttl: u32, data: &[u8]) -> Vec<u8> {
    let mut out = owner.to_vec();
    out.extend_from_slice(&rtype.to_be_bytes());
    out.extend_from_slice(&class.to_be_bytes());
    out.extend_from_slice(&ttl.to_be_bytes());
    out.extend_from_slice(&(data.len() as u16).to_be_bytes());
    out.extend_from_slice(data);
    out
}

/// An OPT pseudo-record: payload size, extended rcode, DO bit, options.
pub fn opt(size: u16, ext_rcode: u8, dnssec_ok: bool, options: &[(u16, &[u8])]) -> Vec<u8> {
    let mut data = Vec::new();
    for (code, body) in options {
        data.extend_from_slice(&code.to_be_bytes());
        data.extend_from_slice(&(body.len() as u16).to_be_bytes());
        data.extend_from_slice(body);
    }
    let ttl = u32::from(ext_rcode) << 24 | if dnssec_ok { 0x8000 } else { 0 };
    record(&[0], 41, size, ttl, &data)
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Compression pointer to `offset`.
fn ptr(offset: u16) -> [u8; 2] {
    (0xc000 | offset).to_be_bytes()
}

const QR: u16 = 0x8000;
const RD: u16 = 0x0100;
const RA: u16 = 0x0080;
const AA: u16 = 0x0400;
const TC: u16 = 0x0200;
const AD: u16 = 0x0020;
const CD: u16 = 0x0010;
const RESP: u16 = QR | RD | RA;

/// The offset of the first question's name (just after the header).
const Q0: u16 = 12;

/// The hand-written messages: (from client to server?, port, message).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let ex = name(b"example.com.");
    let qa = question(&ex, 1, 1);
    let at_q = ptr(Q0);
    let a = |ttl, ip: [u8; 4]| record(&at_q, 1, 1, ttl, &ip);
    let mut v: Vec<(bool, u16, Vec<u8>)> = Vec::new();
    let mut q = |m: Vec<u8>| v.push((true, 53, m));
    // Queries of each type tcpdump names, and some it does not.
    for t in [
        1u16, 28, 15, 16, 12, 33, 2, 6, 255, 5, 65, 252, 99, 41, 4242,
    ] {
        q(cat(&[
            &header(0x1000 + t, RD, 1, 0, 0, 0),
            &question(&ex, t, 1),
        ]));
    }
    q(cat(&[
        &header(0x1234, RD, 1, 0, 0, 1),
        &qa,
        &opt(1232, 0, false, &[]),
    ]));
    q(cat(&[
        &header(0x1235, RD | AD, 1, 0, 0, 1),
        &qa,
        &opt(4096, 0, true, &[(10, &[1, 2, 3, 4, 5, 6, 7, 8])]),
    ]));
    q(cat(&[
        &header(0x1236, RD, 1, 0, 0, 1),
        &qa,
        &opt(
            1232,
            0,
            false,
            &[(8, &[0, 1, 24, 0, 192, 0, 2]), (3, b""), (12, &[0; 4])],
        ),
    ]));
    q(cat(&[
        &header(2, 0, 1, 0, 0, 0),
        &question(&name(b"4.3.2.1.in-addr.arpa."), 12, 1),
    ]));
    q(cat(&[
        &header(0x1237, RD, 1, 0, 0, 1),
        &qa,
        &opt(
            1232,
            0,
            true,
            &[
                (5, &[8, 13, 15, 3, 0, 99]),
                (6, &[1, 2, 9]),
                (7, &[1, 0]),
                (15, &[0, 5]),
            ],
        ),
    ]));
    q(cat(&[
        &header(3, RD | CD, 1, 0, 0, 0),
        &question(&ex, 1, 3),
    ]));
    q(cat(&[&header(4, RD, 1, 0, 0, 0), &question(&ex, 1, 4)]));
    q(cat(&[&header(5, RD, 1, 0, 0, 0), &question(&ex, 1, 7)]));
    // Odd header bits, opcodes, counts.
    q(cat(&[
        &header(6, RD | AA | TC | 0x0040 | 5, 1, 0, 0, 0),
        &qa,
    ]));
    q(cat(&[
        &header(7, 4 << 11 | AA, 1, 1, 0, 0),
        &question(&ex, 6, 1),
        &a(60, [1, 2, 3, 4]),
    ]));
    q(cat(&[
        &header(8, 5 << 11, 1, 0, 2, 0),
        &question(&ex, 6, 1),
        &record(&at_q, 1, 1, 0, &[1, 1, 1, 1]),
        &record(&at_q, 1, 255, 0, &[]),
    ]));
    q(cat(&[
        &header(9, 1 << 11, 0, 1, 0, 0),
        &record(&ex, 1, 1, 60, &[1, 2, 3, 4]),
    ]));
    q(cat(&[&header(10, 2 << 11 | RD, 1, 0, 0, 0), &qa]));
    q(cat(&[
        &header(11, RD, 2, 0, 0, 0),
        &qa,
        &question(&name(b"www.example.com."), 28, 1),
    ]));
    q(cat(&[&header(12, RD, 0, 0, 0, 0)]));
    q(cat(&[&header(13, RD, 3, 0, 0, 0), &qa, &qa]));
    // Names: the root, odd bytes, escapes, long ones, bit labels.
    q(cat(&[&header(20, RD, 1, 0, 0, 0), &question(&[0], 2, 1)]));
    q(cat(&[
        &header(21, RD, 1, 0, 0, 0),
        &question(&name(b"we ird.\x01\x7f\x80\xff\"\\.x"), 1, 1),
    ]));
    q(cat(&[
        &header(22, RD, 1, 0, 0, 0),
        &question(&name(b"caf\xc3\xa9.example."), 1, 1),
    ]));
    let long63 = [b'a'; 63];
    let too_long = cat(&[&long63, b".", &long63, b".", &long63, b".", &long63, b"."]);
    q(cat(&[
        &header(23, RD, 1, 0, 0, 0),
        &question(&name(&too_long), 1, 1),
    ]));
    q(cat(&[
        &header(24, RD, 1, 0, 0, 0),
        b"\x03abc\x41\x0c\x01\x20\x00\x00\x01\x00\x01",
    ]));
    // Damaged names: pointer to itself, forwards, into the header, a
    // reserved label type, an unknown extended label, a cut name.
    q(cat(&[&header(30, RD, 1, 0, 0, 0), &ptr(Q0), &[0, 1, 0, 1]]));
    q(cat(&[
        &header(31, RD, 1, 0, 0, 0),
        b"\x03abc",
        &ptr(40),
        &[0, 1, 0, 1],
    ]));
    q(cat(&[
        &header(32, RD, 1, 0, 0, 0),
        b"\x01x",
        &ptr(2),
        &[0, 1, 0, 1],
    ]));
    q(cat(&[
        &header(33, RD, 1, 0, 0, 0),
        b"\x03abc\x80\x0c\x00\x01\x00\x01",
    ]));
    q(cat(&[
        &header(34, RD, 1, 0, 0, 0),
        b"\x03abc\x42\x0c\x00\x01\x00\x01",
    ]));
    q(cat(&[&header(35, RD, 1, 0, 0, 0), b"\x07exam"]));
    q(cat(&[&header(36, RD, 1, 0, 0, 0), &ex]));
    q(b"\x12\x34\x01".to_vec());
    q(Vec::new());
    let mut r = |m: Vec<u8>| v.push((false, 53, m));
    // One answer record for the usual question.
    let answer = |id, rtype, class, ttl, data: &[u8]| {
        cat(&[
            &header(id, RESP, 1, 1, 0, 0),
            &qa,
            &record(&at_q, rtype, class, ttl, data),
        ])
    };
    // Responses of each record type.
    let cname = record(&at_q, 5, 1, 300, &name(b"x.example.com."));
    r(cat(&[
        &header(0x1234, RESP, 1, 2, 0, 1),
        &qa,
        &cname,
        &a(300, [93, 184, 216, 34]),
        &opt(1232, 0, false, &[]),
    ]));
    r(cat(&[
        &header(0x1235, RESP | AA, 1, 1, 0, 0),
        &qa,
        &a(86400, [10, 0, 0, 1]),
    ]));
    let aaaa = |b: [u8; 16]| {
        cat(&[
            &header(40, RESP, 1, 1, 0, 0),
            &question(&ex, 28, 1),
            &record(&at_q, 28, 1, 60, &b),
        ])
    };
    r(aaaa([
        0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    ]));
    r(aaaa([
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1,
    ]));
    r(aaaa([
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55,
    ]));
    r(cat(&[
        &header(41, RESP, 1, 2, 0, 0),
        &question(&ex, 15, 1),
        &record(&at_q, 15, 1, 60, &cat(&[&[0, 10], b"\x02mx", &at_q])),
        &record(&at_q, 15, 1, 60, &cat(&[&[0, 20], b"\x03mx2", &at_q])),
    ]));
    r(cat(&[
        &header(42, RESP, 1, 1, 0, 0),
        &question(&ex, 16, 1),
        &record(
            &at_q,
            16,
            1,
            60,
            b"\x0bv=spf1 -all\x0bq\"uo\\te \x01\x7f\x80\x00",
        ),
    ]));
    let srv_q = name(b"_sip._tcp.example.com.");
    r(cat(&[
        &header(43, RESP, 1, 1, 0, 0),
        &question(&srv_q, 33, 1),
        &record(
            &ptr(Q0),
            33,
            1,
            60,
            &cat(&[&[0, 10, 0, 60, 0x13, 0xc4], b"\x03sip", &ptr(Q0 + 10)]),
        ),
    ]));
    r(cat(&[
        &header(44, RESP, 1, 1, 0, 0),
        &question(&name(b"4.3.2.1.in-addr.arpa."), 12, 1),
        &record(&ptr(Q0), 12, 1, 60, &name(b"host.example.com.")),
    ]));
    r(cat(&[
        &header(45, RESP, 1, 2, 0, 2),
        &question(&ex, 2, 1),
        &record(&at_q, 2, 1, 172800, b"\x01a\x0ciana-servers\x03net\x00"),
        &record(&at_q, 2, 1, 172800, &cat(&[b"\x01b", &ptr(43)])),
        &record(&ptr(41), 1, 1, 172800, &[199, 43, 135, 53]),
        &record(
            &ptr(65),
            28,
            1,
            172800,
            &[0x20, 1, 5, 0, 0, 0x8d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53],
        ),
    ]));
    let soa = |mname: &[u8], rname: &[u8]| {
        cat(&[
            mname,
            rname,
            &2024u32.to_be_bytes(),
            &7200u32.to_be_bytes(),
            &3600u32.to_be_bytes(),
            &1209600u32.to_be_bytes(),
            &300u32.to_be_bytes(),
        ])
    };
    r(cat(&[
        &header(46, RESP | 3, 1, 0, 1, 0),
        &qa,
        &record(
            &ptr(Q0 + 8),
            6,
            1,
            900,
            &soa(b"\x03ns1\xc0\x0c", b"\x04host\xc0\x0c"),
        ),
    ]));
    r(cat(&[
        &header(47, RESP | AA, 1, 1, 0, 0),
        &question(&ex, 6, 1),
        &record(
            &at_q,
            6,
            1,
            3600,
            &soa(&name(b"ns.example.com."), &name(b"admin.example.com.")),
        ),
    ]));
    for rcode in [1u16, 2, 4, 5, 6, 9, 11, 15] {
        r(cat(&[&header(50 + rcode, RESP | rcode, 1, 0, 0, 0), &qa]));
    }
    for ext in [1u8, 2] {
        r(cat(&[
            &header(70 + u16::from(ext), RESP | 1, 1, 0, 0, 1),
            &qa,
            &opt(1232, ext, false, &[]),
        ]));
    }
    r(cat(&[
        &header(73, RESP, 1, 0, 0, 1),
        &qa,
        &opt(1232, 1, false, &[]),
    ]));
    r(cat(&[&header(74, QR | AA | TC | AD, 1, 0, 0, 0), &qa]));
    r(cat(&[
        &header(75, QR | 4 << 11 | AA, 1, 0, 0, 0),
        &question(&ex, 6, 1),
    ]));
    r(cat(&[&header(76, RESP, 0, 0, 0, 0)]));
    r(cat(&[
        &header(77, RESP, 2, 1, 0, 0),
        &qa,
        &question(&name(b"b."), 1, 1),
        &a(5, [1, 1, 1, 1]),
    ]));
    // Other types: HINFO, NULL, TSIG, URI, A6, UNSPECA, CHAOS class.
    r(answer(80, 13, 1, 60, b"\x03cpu\x02os"));
    r(answer(81, 10, 1, 60, b"\x00\x01"));
    r(cat(&[
        &header(82, RESP, 1, 0, 0, 1),
        &qa,
        &record(
            &name(b"key."),
            250,
            255,
            0,
            &cat(&[
                &name(b"hmac-sha256."),
                &[0, 0, 0x65, 0, 0, 1, 1, 0x2c, 0, 4],
                b"abcd",
                &[0, 82, 0, 0, 0, 0],
            ]),
        ),
    ]));
    r(answer(
        83,
        256,
        1,
        60,
        b"\x00\x0a\x00\x01https://example.com/",
    ));
    r(answer(
        84,
        38,
        1,
        60,
        &cat(&[&[64], &[0, 0, 0, 0, 0, 0, 0, 1], &name(b"prefix.example.")]),
    ));
    r(answer(85, 104, 1, 60, b"opaque\x01data"));
    r(cat(&[
        &header(86, RESP, 1, 1, 0, 0),
        &question(&name(b"version.bind."), 16, 3),
        &record(&at_q, 16, 3, 0, b"\x049.18"),
    ]));
    r(answer(87, 65, 1, 60, &[0, 1, 0, 0, 1, 0, 3, 2, b'h', b'2']));
    // Damaged responses: a record cut in its fixed part, in its data, a
    // data length past the end, an answer missing, a forward pointer in
    // data, a pointer chain that goes backwards then forwards.
    let full = cat(&[
        &header(0x2000, RESP, 1, 2, 0, 0),
        &qa,
        &cname,
        &a(60, [1, 2, 3, 4]),
    ]);
    for cut in [full.len() - 3, full.len() - 9, full.len() - 14, 40, 33, 20] {
        r(full.get(..cut).unwrap_or(&full).to_vec());
    }
    r(answer(90, 1, 1, 60, &[1, 2, 3]));
    r(cat(&[
        &header(91, RESP, 1, 1, 0, 0),
        &qa,
        &at_q,
        &[0, 1, 0, 1, 0, 0, 0, 60, 0, 40, 1, 2, 3, 4],
    ]));
    r(answer(92, 5, 1, 60, &cat(&[b"\x01a", &ptr(60)])));
    r(cat(&[
        &header(93, RESP, 1, 2, 0, 0),
        &qa,
        &record(&cat(&[b"\x01x", &at_q]), 1, 1, 1, &[9, 9, 9, 9]),
        &record(&ptr(29), 1, 1, 1, &[9, 9, 9, 8]),
    ]));
    r(answer(94, 16, 1, 60, b"\x05hel"));
    // mDNS: QU and QM questions, cache-flush answers, an OPT.
    let local = name(b"_http._tcp.local.");
    v.push((
        true,
        5353,
        cat(&[
            &header(0, 0, 2, 0, 0, 0),
            &question(&local, 12, 0x8001),
            &question(&name(b"host.local."), 1, 1),
        ]),
    ));
    v.push((
        false,
        5353,
        cat(&[
            &header(0, QR | AA, 0, 2, 0, 1),
            &record(&name(b"host.local."), 1, 0x8001, 120, &[192, 168, 1, 5]),
            &record(
                &ptr(Q0),
                28,
                0x8001,
                120,
                &[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5],
            ),
            &opt(1440, 0, false, &[]),
        ]),
    ));
    v.push((
        false,
        5353,
        cat(&[
            &header(0, QR | AA, 0, 1, 0, 0),
            &record(&local, 12, 1, 4500, &cat(&[b"\x07printer", &ptr(Q0)])),
        ]),
    ));
    // LLMNR: tcpdump has no printer for it (UDP, length N).
    v.push((
        true,
        5355,
        cat(&[
            &header(0x77, 0, 1, 0, 0, 0),
            &question(&name(b"wpad."), 1, 1),
        ]),
    ));
    v
}

/// `message` damaged once to a few times: a byte set to a value that
/// matters to DNS (label types, pointers, zero), a cut, an insertion.
pub fn mutate(rng: &mut Rng, message: &[u8]) -> Vec<u8> {
    let mut m = message.to_vec();
    for _ in 0..=rng.below(3) {
        match rng.below(5) {
            0 | 1 if !m.is_empty() => {
                let i = rng.below(m.len());
                m[i] = [0, 1, 0x3f, 0x40, 0x41, 0x80, 0xc0, 0xff, rng.next() as u8][rng.below(9)];
            }
            2 => m.truncate(rng.below(m.len() + 1)),
            3 => {
                let i = rng.below(m.len() + 1);
                let b = rng.next() as u8;
                m.insert(i, b);
            }
            _ if m.len() > 12 => {
                let i = 2 + rng.below(10);
                m[i] = rng.next() as u8;
            }
            _ => {}
        }
    }
    m
}

/// A seeded source of damaged messages.
pub fn rng(seed: u64) -> Rng {
    Rng(seed)
}

/// The capture: the hand-written messages over IPv4, a few over IPv6,
/// then `damaged` seeded mutations of them.
pub fn capture(damaged: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames = Vec::new();
    for (to_server, port, m) in &messages {
        frames.push(frame(*to_server, *port, m, false));
    }
    for (to_server, port, m) in messages.iter().take(6) {
        frames.push(frame(*to_server, *port, m, true));
    }
    let tcp = tcp_frames();
    frames.extend(tcp.iter().cloned());
    // The first segment cut before, inside and after its length prefix
    // (Ethernet, IPv4 and TCP headers: 54 bytes), each on a connection of
    // its own (client ports 40011 …) so none looks retransmitted.
    let cut_from = frames.len();
    for k in 0..4u16 {
        if let Some(mut f) = tcp.first().cloned() {
            f.splice(34..36, (40011 + k).to_be_bytes());
            frames.push(f);
        }
    }
    let mut rng = Rng(0xd15_5ec7_0000_0001);
    for _ in 0..damaged {
        let (to_server, port, m) = &messages[rng.below(messages.len())];
        let m = mutate(&mut rng, m);
        frames.push(frame(*to_server, *port, &m, false));
    }
    let records = frames.iter().enumerate().map(|(i, f)| Record {
        ts_sec: (T0 + i as u64 / 1000) as u32,
        ts_frac: (i as u32 % 1000) * 1000,
        data: Cow::Borrowed(match i.checked_sub(cut_from) {
            Some(k @ 0..4) => f.get(..54 + k).unwrap_or(f),
            _ => f.as_slice(),
        }),
        orig_len: f.len() as u32,
    });
    write_pcap(Layout::new(1, 65535), records)
}

/// DNS over TCP: segments of one connection (client port 40001), each
/// holding what tcpdump decodes (one whole message after its length) or
/// what it refuses (a length that disagrees, a one-byte segment).
pub fn tcp_frames() -> Vec<Vec<u8>> {
    let ex = name(b"example.com.");
    let query = cat(&[
        &header(0x4321, RD, 1, 0, 0, 1),
        &question(&ex, 1, 1),
        &opt(1232, 0, false, &[]),
    ]);
    let answer = cat(&[
        &header(0x4321, RESP, 1, 1, 0, 0),
        &question(&ex, 1, 1),
        &record(&ptr(Q0), 1, 1, 60, &[192, 0, 2, 80]),
    ]);
    let framed = |m: &[u8]| cat(&[&(m.len() as u16).to_be_bytes(), m]);
    let segments: Vec<(bool, Vec<u8>)> = vec![
        (true, framed(&query)),
        (false, framed(&answer)),
        (true, cat(&[&framed(&query), &framed(&query)])),
        (false, framed(&answer).get(..20).unwrap_or(&[]).to_vec()),
        // The rest of that answer: tcpdump reads its first two bytes as a
        // length prefix too (no reassembly), and so do we.
        (false, framed(&answer).get(20..).unwrap_or(&[]).to_vec()),
        (true, vec![0]),
        (false, cat(&[&[0, 9], &answer])),
    ];
    let (c, s) = ([192, 0, 2, 1], [192, 0, 2, 53]);
    let (mut cseq, mut sseq) = (1_000u32, 9_000u32);
    let mut out = Vec::new();
    for (from_client, payload) in segments {
        let (src, dst, sp, dp, seq, ack) = if from_client {
            (c, s, 40001, 53, cseq, sseq)
        } else {
            (s, c, 53, 40001, sseq, cseq)
        };
        let mut frame = Vec::new();
        etherparse::PacketBuilder::ethernet2(AB.src, AB.dst)
            .ipv4(src, dst, 64)
            .tcp(sp, dp, seq, 512)
            .psh()
            .ack(ack)
            .write(&mut frame, &payload)
            .expect("the frame builds");
        if from_client {
            cseq += payload.len() as u32;
        } else {
            sseq += payload.len() as u32;
        }
        out.push(frame);
    }
    out
}

/// One DNS message in an Ethernet frame, client port 40000.
pub fn frame(to_server: bool, port: u16, message: &[u8], v6: bool) -> Vec<u8> {
    let (a, b) = if v6 {
        ("2001:db8::1", "2001:db8::53")
    } else {
        ("192.0.2.1", "192.0.2.53")
    };
    if to_server {
        AB.frame(a, b, Udp(40000, port), message)
    } else {
        BA.frame(b, a, Udp(port, 40000), message)
    }
}

/// Names of many labels (`tests/dissect_dns.rs`): a query for `n`
/// one-byte labels (126 to 130 around the 255-character limit, up to
/// 300); answers whose owner is the end of a chain of `n` elements in a
/// NULL record's data, each a label `b` and a pointer to the element
/// before (up to 1000, past the 512 labels and pointers sockscope once
/// stopped at), or each a bare pointer; the chain starts at the
/// question's `a.`.
pub fn many_labels() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for n in [100, 126, 127, 128, 129, 130, 200, 300] {
        let q = question(
            &b"\x01a"
                .repeat(n)
                .into_iter()
                .chain([0])
                .collect::<Vec<_>>(),
            1,
            1,
        );
        out.push(cat(&[&header(1, RD, 1, 0, 0, 0), &q]));
    }
    let chain = |n: usize, label: bool| {
        let mut m = cat(&[&header(1, RESP, 1, 2, 0, 0), &question(&name(b"a."), 1, 1)]);
        // The NULL record's data starts after its owner (the root) and
        // its ten bytes of type, class, TTL and length.
        let base = m.len() + 1 + 10;
        let mut data = Vec::new();
        let mut prev = Q0;
        for _ in 0..n {
            let here = (base + data.len()) as u16;
            if label {
                data.extend_from_slice(b"\x01b");
            }
            data.extend_from_slice(&ptr(prev));
            prev = here;
        }
        m.extend_from_slice(&record(&[0], 10, 1, 1, &data));
        m.extend_from_slice(&record(&ptr(prev), 1, 1, 1, &[1, 2, 3, 4]));
        m
    };
    for n in [100, 127, 128, 200, 255, 256, 300, 511, 512, 513, 600, 1000] {
        out.push(chain(n, true));
    }
    for n in [100, 511, 512, 513, 1000] {
        out.push(chain(n, false));
    }
    out
}
