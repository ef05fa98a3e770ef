//! `captures/dissect_bootp.pcap`: BOOTP/DHCPv4 messages built byte by
//! byte — a DISCOVER/OFFER/REQUEST/ACK exchange with the options clients
//! and servers send, every message type, odd hardware types and lengths,
//! hops, secs, flags, sname and file (with and without their NUL), other
//! vendor cookies, then every option code 1–254 with values of 4, 3, 8, 1
//! and 0 bytes (which shows each code's name and how its value is
//! written), the options with their own formats (client id, FQDN, relay
//! agent information, user class, classless routes, NetBIOS node type,
//! overload), options the capture or the message cuts, and cuts inside the
//! fixed header — then damaged copies. `tests/dissect_apps.rs` compares
//! `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{
    Frame, between_ports, capture as write, damaged, frames_of, udp_between, udp_cut,
};

pub const SERVER_PORT: u16 = 67;
pub const CLIENT_PORT: u16 = 68;
const MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0c];
const COOKIE: [u8; 4] = [0x63, 0x82, 0x53, 0x63];

/// The fixed part of a message.
pub struct Header {
    pub op: u8,
    pub htype: u8,
    pub hlen: u8,
    pub hops: u8,
    pub xid: u32,
    pub secs: u16,
    pub flags: u16,
    pub addrs: [[u8; 4]; 4],
    pub chaddr: [u8; 16],
    pub sname: Vec<u8>,
    pub file: Vec<u8>,
    pub cookie: Vec<u8>,
}

impl Header {
    pub fn new(op: u8, xid: u32) -> Header {
        let mut chaddr = [0; 16];
        chaddr[..6].copy_from_slice(&MAC);
        Header {
            op,
            htype: 1,
            hlen: 6,
            hops: 0,
            xid,
            secs: 0,
            flags: 0,
            addrs: [[0; 4]; 4],
            chaddr,
            sname: Vec::new(),
            file: Vec::new(),
            cookie: COOKIE.to_vec(),
        }
    }

    /// The message: header, cookie, then `options` as given.
    pub fn with(&self, options: &[u8]) -> Vec<u8> {
        let mut m = vec![self.op, self.htype, self.hlen, self.hops];
        m.extend_from_slice(&self.xid.to_be_bytes());
        m.extend_from_slice(&self.secs.to_be_bytes());
        m.extend_from_slice(&self.flags.to_be_bytes());
        self.addrs.iter().for_each(|a| m.extend_from_slice(a));
        m.extend_from_slice(&self.chaddr);
        for (field, len) in [(&self.sname, 64), (&self.file, 128)] {
            let mut f = field.clone();
            f.resize(len, 0);
            m.extend_from_slice(&f);
        }
        m.extend_from_slice(&self.cookie);
        m.extend_from_slice(options);
        m
    }
}

/// One option: code, length, value.
pub fn opt(code: u8, value: &[u8]) -> Vec<u8> {
    let mut o = vec![code, value.len() as u8];
    o.extend_from_slice(value);
    o
}

fn opts(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut o = parts.concat();
    o.push(255);
    o
}

/// The hand-written messages: (from the client?, port, message).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = Vec::new();
    let request = |h: &Header, o: &[u8]| (true, SERVER_PORT, h.with(o));
    let reply = |h: &Header, o: &[u8]| (false, SERVER_PORT, h.with(o));
    let discover = opts(&[
        opt(53, &[1]),
        opt(61, &[1, 2, 0, 0, 0, 0, 0x0c]),
        opt(
            55,
            &[1, 3, 6, 12, 15, 28, 42, 51, 54, 58, 59, 119, 121, 252],
        ),
        opt(57, &[5, 0xdc]),
        opt(12, b"myhost"),
        opt(60, b"MSFT 5.0"),
    ]);
    v.push(request(&Header::new(1, 0x1234_5678), &discover));
    let mut offer = Header::new(2, 0x1234_5678);
    offer.addrs[1] = [192, 0, 2, 50];
    offer.addrs[2] = [192, 0, 2, 2];
    offer.flags = 0x8000;
    offer.secs = 3;
    let mut offered = opts(&[
        opt(53, &[2]),
        opt(54, &[192, 0, 2, 2]),
        opt(51, &3600u32.to_be_bytes()),
        opt(58, &1800u32.to_be_bytes()),
        opt(59, &3150u32.to_be_bytes()),
        opt(1, &[255, 255, 255, 0]),
        opt(28, &[192, 0, 2, 255]),
        opt(3, &[192, 0, 2, 1]),
        opt(6, &[192, 0, 2, 53, 8, 8, 8, 8]),
        opt(15, b"example.test"),
        opt(119, b"\x07example\x04test\x00"),
        opt(121, &[24, 10, 0, 0, 192, 0, 2, 1, 0, 192, 0, 2, 1]),
    ]);
    offered.extend_from_slice(&[0; 10]);
    v.push(reply(&offer, &offered));
    let mut req = Header::new(1, 0x1234_5678);
    req.addrs[0] = [192, 0, 2, 50];
    req.addrs[3] = [192, 0, 2, 9];
    req.hops = 1;
    req.sname = b"srv".to_vec();
    req.file = b"boot.img".to_vec();
    let mut requested = [
        opt(53, &[3]),
        opt(50, &[192, 0, 2, 50]),
        opt(54, &[192, 0, 2, 2]),
        opt(81, b"\x00\x00\x00myhost.example.test"),
        opt(82, b"\x01\x04eth0\x02\x03abc"),
        opt(43, b"\x01\x02ab"),
        opt(77, b"user"),
        opt(99, b"x"),
        opt(250, &[1, 2, 3]),
    ]
    .concat();
    requested.extend_from_slice(&[0, 0, 255]);
    v.push(request(&req, &requested));
    for t in 1..=18 {
        v.push(reply(
            &Header::new(2, u32::from(t)),
            &opts(&[opt(53, &[t])]),
        ));
    }
    v.push(reply(&Header::new(3, 1), &[255]));
    let mut other = Header::new(2, 1);
    other.cookie = vec![1, 2, 3, 4];
    v.push(reply(&other, &[255]));
    let mut cmu = Header::new(2, 1);
    cmu.cookie = b"CMU\0".to_vec();
    v.push(reply(&cmu, &[255]));
    let mut none = Header::new(1, 1);
    none.cookie = Vec::new();
    v.push(request(&none, &[]));
    for (htype, hlen) in [(6, 6), (1, 16), (1, 0), (0, 6)] {
        let mut h = Header::new(1, 1);
        (h.htype, h.hlen) = (htype, hlen);
        h.chaddr = *b"abcdefghijklmnop";
        v.push(request(&h, &[255]));
    }
    for flags in [0x8001, 0x0001, 0xffff] {
        let mut h = Header::new(1, 1);
        h.flags = flags;
        v.push(request(&h, &[255]));
    }
    let mut named = Header::new(1, 1);
    named.sname = b"a\x01\xe9\"".to_vec();
    named.file = vec![b'x'; 128];
    v.push(request(&named, &[255]));
    let mut long_sname = Header::new(1, 1);
    long_sname.sname = vec![b's'; 64];
    v.push(request(&long_sname, &[255]));
    // Every option code with values of several lengths.
    let d = Header::new(1, 7);
    let mut all: Vec<u8> = (1..=254).collect();
    all.retain(|c| *c != 0);
    v.push(request(&d, &opts(&[opt(55, &all)])));
    for code in 1..=254u8 {
        if code == 55 {
            continue;
        }
        let values: [&[u8]; 5] = [b"ABCD", &[1, 2, 3], &[10, 0, 0, 1, 10, 0, 0, 2], &[5], &[]];
        let parts: Vec<Vec<u8>> = values.iter().map(|val| opt(code, val)).collect();
        v.push(request(&Header::new(1, u32::from(code)), &opts(&parts)));
    }
    // The options with formats of their own, and the stream's edges.
    for parts in [
        vec![opt(53, &[1]), vec![0, 0], opt(12, b"h"), vec![255], opt(12, b"after")],
        vec![opt(61, b"\x00abc"), opt(61, &[1, 2, 3, 4, 5, 6, 7, 8]), opt(61, b"\xffabcd"), opt(61, &[1])],
        vec![
            opt(81, b"\x00\xff\xffx.y"),
            opt(81, b"\x01\0\0a"),
            opt(81, b"\x02\0\0a"),
            opt(81, b"\x04\0\0\x01a\x00"),
            opt(81, b"\x08\0\0a"),
            opt(81, b"\x05\0\0a"),
            opt(81, b"\x0f\0\0a"),
            opt(81, b"\x41\x42\x43\x44"),
        ],
        vec![opt(82, b"\x01\x04eth0\x02\x06\x02\0\0\0\0\x0c\x05\x04\xc0\x00\x02\x01\x09\x03abc\x0b\x04\x01\x02\x03\x04\x97\x01x")],
        vec![opt(82, b"\x01\x09abc"), opt(82, b"\x01\x01a\x02"), opt(82, &[0x09; 18])],
        vec![
            opt(46, &[1]),
            opt(46, &[2]),
            opt(46, &[4]),
            opt(46, &[8]),
            opt(46, &[3]),
            opt(46, &[2, 9]),
            opt(52, &[1]),
            opt(52, &[2]),
            opt(52, &[3]),
            opt(52, &[4]),
        ],
        vec![opt(77, b"\x03abc\x02de"), opt(77, &[0]), opt(77, b"\x03ab")],
        vec![
            opt(121, &[0, 10, 0, 0, 1]),
            opt(121, &[32, 1, 2, 3, 4, 5, 6, 7, 8]),
            opt(121, &[8, 10, 1, 2, 3, 4, 33, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9]),
            opt(121, &[9, 10, 128, 1, 2, 3, 4]),
            opt(249, &[16, 172, 16, 10, 0, 0, 1, 0, 10, 0, 0, 2]),
        ],
        vec![opt(55, &[]), opt(55, &[1]), opt(55, &[1, 2, 3, 4, 5]), opt(53, &[]), opt(53, &[1, 2])],
        vec![opt(12, b"a\"b\\c\xe9")],
        vec![opt(119, b"\x07example\x04test\x00"), opt(200, &[1, 2]), opt(201, &[0; 12])],
    ] {
        v.push(request(&d, &parts.concat()));
    }
    // Cut by the message's end: inside an option, and after a code.
    v.push(request(&d, &[opt(53, &[1]), opt(12, b"h")].concat()));
    v.push(request(
        &d,
        &[opt(53, &[1]), vec![12, 16], b"abc".to_vec()].concat(),
    ));
    v.push(request(&d, &[opt(53, &[1]), vec![12]].concat()));
    v
}

/// Cut by the snap length inside the fixed header and inside options.
fn cut_frames() -> Vec<Frame> {
    let (_, _, discover) = messages().swap_remove(0);
    [
        1, 2, 3, 4, 8, 10, 12, 20, 28, 30, 34, 44, 100, 108, 200, 236, 238, 240, 242, 245, 250, 270,
    ]
    .iter()
    .map(|&n| udp_cut(true, 40000, SERVER_PORT, &discover, n))
    .collect()
}

/// The capture: the exchange between the real addresses (broadcast from
/// 0.0.0.0), the hand-written messages, cuts, the same message between
/// BOOTP's ports and NTP's, then `damaged` damaged ones.
pub fn capture(damaged_count: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = Vec::new();
    if let [(_, _, discover), (_, _, offer), (_, _, request), ..] = messages.as_slice() {
        frames.push(udp_between(
            ("0.0.0.0", CLIENT_PORT),
            ("255.255.255.255", SERVER_PORT),
            discover,
        ));
        frames.push(udp_between(
            ("192.0.2.2", SERVER_PORT),
            ("192.0.2.50", CLIENT_PORT),
            offer,
        ));
        frames.push(udp_between(
            ("0.0.0.0", CLIENT_PORT),
            ("255.255.255.255", SERVER_PORT),
            request,
        ));
    }
    frames.extend(frames_of(&messages));
    frames.extend(cut_frames());
    if let Some((_, _, discover)) = messages.first() {
        let pairs = [
            (SERVER_PORT, 123),
            (123, CLIENT_PORT),
            (CLIENT_PORT, 53),
            (5353, SERVER_PORT),
        ];
        frames.extend(between_ports(&pairs, discover));
    }
    frames.extend(damaged(0x0b00_7000_0000_0001, &messages, damaged_count));
    write(&frames)
}
