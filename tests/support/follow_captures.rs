//! The generator of the follow captures (`captures/follow_*.pcap`): small
//! TCP (and one UDP) conversations built with etherparse's PacketBuilder,
//! each made to exercise one reassembly case that `tests/follow_tshark.rs`
//! compares with `tshark -z follow`. Payloads carry text, binary bytes,
//! CR/LF and tabs so every rendering rule shows.

use super::pcap::{Layout, Record, write_pcap};
use etherparse::PacketBuilder;
use std::borrow::Cow;

pub const BASE_SECS: u64 = 1_700_000_000;

/// One generated capture: (microseconds since BASE_SECS, frame bytes,
/// original length).
pub struct Capture {
    pub name: &'static str,
    pub snaplen: u32,
    pub frames: Vec<(u64, Vec<u8>, u32)>,
}

/// A client ↔ server pair with each side's ISN; sequence numbers are given
/// relative to the sender's ISN (SYN = 0, first data byte = 1).
struct Conv {
    client: ([u8; 4], u16, u32),
    server: ([u8; 4], u16, u32),
}

struct Builder {
    t_us: u64,
    frames: Vec<(u64, Vec<u8>, u32)>,
    snap: usize,
}

impl Builder {
    fn new(snap: usize) -> Self {
        Builder {
            t_us: 0,
            frames: Vec::new(),
            snap,
        }
    }

    /// The capture, named `name`, with the builder's snap length.
    fn finish(self, name: &'static str) -> Capture {
        Capture {
            name,
            snaplen: self.snap as u32,
            frames: self.frames,
        }
    }

    /// One TCP segment: `flags` any of S A F R P.
    fn seg(&mut self, c: &Conv, from_client: bool, flags: &str, seq: u32, ack: u32, data: &[u8]) {
        self.t_us += 100;
        let (from, to) = if from_client {
            (c.client, c.server)
        } else {
            (c.server, c.client)
        };
        let mac = |ip: [u8; 4]| [2, 0, ip[0], ip[1], ip[2], ip[3]];
        let b = PacketBuilder::ethernet2(mac(from.0), mac(to.0))
            .ipv4(from.0, to.0, 64)
            .tcp(from.1, to.1, from.2.wrapping_add(seq), 65535);
        let mut b = super::frames::with_flags(b, flags);
        if flags.contains('A') {
            b = b.ack(to.2.wrapping_add(ack));
        }
        let mut frame = Vec::new();
        b.write(&mut frame, data).unwrap();
        let orig = frame.len() as u32;
        frame.truncate(self.snap);
        self.frames.push((self.t_us, frame, orig));
    }

    fn udp(&mut self, from: ([u8; 4], u16), to: ([u8; 4], u16), data: &[u8]) {
        self.t_us += 100;
        let b = PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
            .ipv4(from.0, to.0, 64)
            .udp(from.1, to.1);
        let mut frame = Vec::new();
        b.write(&mut frame, data).unwrap();
        let orig = frame.len() as u32;
        self.frames.push((self.t_us, frame, orig));
    }

    /// Handshake; returns nothing, data starts at 1 both ways.
    fn open(&mut self, c: &Conv) {
        self.seg(c, true, "S", 0, 0, b"");
        self.seg(c, false, "SA", 0, 1, b"");
        self.seg(c, true, "A", 1, 1, b"");
    }

    /// Normal close after `cn` client and `sn` server bytes.
    fn close(&mut self, c: &Conv, cn: u32, sn: u32) {
        self.seg(c, true, "FA", 1 + cn, 1 + sn, b"");
        self.seg(c, false, "FA", 1 + sn, 2 + cn, b"");
        self.seg(c, true, "A", 2 + cn, 2 + sn, b"");
    }
}

fn conv(port: u16, cisn: u32, sisn: u32) -> Conv {
    Conv {
        client: ([10, 1, 0, 1], port, cisn),
        server: ([10, 1, 0, 2], 8080, sisn),
    }
}

/// Bytes 0..=255 twice: every byte value, CR, LF and tab included.
fn binary() -> Vec<u8> {
    (0..512u32).map(|i| i as u8).collect()
}

fn clean() -> Capture {
    let mut b = Builder::new(65535);
    let c = conv(40001, 1000, 900_000);
    b.open(&c);
    let req = b"GET /index.html HTTP/1.1\r\nHost: example\r\n\tfolded\r\n\r\n";
    b.seg(&c, true, "PA", 1, 1, req);
    let n = req.len() as u32;
    let bin = binary();
    // The response in three segments, the last one short.
    b.seg(&c, false, "PA", 1, 1 + n, &bin[..200]);
    b.seg(&c, false, "PA", 201, 1 + n, &bin[200..460]);
    b.seg(&c, false, "PA", 461, 1 + n, &bin[460..]);
    b.seg(&c, true, "PA", 1 + n, 513, b"thanks\n");
    b.close(&c, n + 7, 512);
    // A second stream whose sequence numbers wrap past 2^32.
    let w = conv(40002, u32::MAX - 3, u32::MAX - 1);
    b.open(&w);
    b.seg(&w, true, "PA", 1, 1, b"across the wrap\n");
    b.seg(&w, false, "PA", 1, 17, b"ok\n");
    b.close(&w, 16, 3);
    // And a UDP exchange.
    b.udp(([10, 1, 0, 1], 5353), ([10, 1, 0, 2], 53), b"question?");
    b.udp(
        ([10, 1, 0, 2], 53),
        ([10, 1, 0, 1], 5353),
        b"answer!\x00\x01",
    );
    b.finish("follow_clean")
}

fn reorder() -> Capture {
    let mut b = Builder::new(65535);
    let c = conv(40003, 5000, 7000);
    b.open(&c);
    b.seg(&c, true, "PA", 11, 1, b"second...\n");
    b.seg(&c, true, "PA", 21, 1, b"third....\n");
    b.seg(&c, true, "PA", 1, 1, b"first....\n");
    b.seg(&c, false, "PA", 1, 31, b"got three\n");
    b.close(&c, 30, 10);
    b.finish("follow_reorder")
}

fn overlap() -> Capture {
    let mut b = Builder::new(65535);
    let c = conv(40004, 123, 456);
    b.open(&c);
    b.seg(&c, true, "PA", 1, 1, b"hello ");
    // A retransmission with different bytes, fully inside what was sent.
    b.seg(&c, true, "PA", 1, 1, b"HELLO ");
    // Overlapping the end and going past it.
    b.seg(&c, true, "PA", 4, 1, b"LO world\n");
    // Held out of order, then overlapped by a different copy.
    b.seg(&c, true, "PA", 20, 1, b"tail\n");
    b.seg(&c, true, "PA", 16, 1, b"XXXXTAIL\n");
    b.seg(&c, true, "PA", 13, 1, b"and");
    b.seg(&c, false, "PA", 1, 25, b"heard\n");
    b.close(&c, 24, 6);
    b.finish("follow_overlap")
}

fn mid_stream() -> Capture {
    let mut b = Builder::new(65535);
    let c = conv(40005, 10_000, 20_000);
    // The capture starts after the handshake, with the server talking.
    b.seg(&c, false, "PA", 501, 301, b"...rest of a reply\n");
    b.seg(&c, true, "PA", 301, 520, b"next request\n");
    b.seg(&c, false, "PA", 520, 314, b"next reply\n");
    b.close(&c, 313, 530);
    b.finish("follow_mid_stream")
}

fn gaps() -> Capture {
    let mut b = Builder::new(65535);
    let c = conv(40006, 1, 2);
    b.open(&c);
    b.seg(&c, true, "PA", 1, 1, b"aaaa");
    // 1..=4 sent, 5..=8 lost, 9.. seen.
    b.seg(&c, true, "PA", 9, 1, b"cccc");
    b.seg(&c, false, "PA", 1, 5, b"x");
    b.seg(&c, true, "PA", 13, 2, &[b'd'; 1460]);
    b.seg(&c, true, "PA", 2933, 2, b"after a lost full segment");
    b.seg(&c, false, "PA", 2, 2958, b"y");
    b.close(&c, 2957, 2);
    b.finish("follow_gaps")
}

fn port_reuse() -> Capture {
    let mut b = Builder::new(65535);
    let first = conv(40007, 100, 200);
    b.open(&first);
    b.seg(&first, true, "PA", 1, 1, b"one\n");
    b.seg(&first, false, "PA", 1, 5, b"ONE\n");
    b.close(&first, 4, 4);
    let second = conv(40007, 90_000, 70_000);
    b.open(&second);
    b.seg(&second, true, "PA", 1, 1, b"two\n");
    b.seg(&second, false, "PA", 1, 5, b"TWO\n");
    b.close(&second, 4, 4);
    b.finish("follow_port_reuse")
}

fn snapped() -> Capture {
    let mut b = Builder::new(96);
    let c = conv(40008, 1_000, 2_000);
    b.open(&c);
    let body: Vec<u8> = (0..1000u32).map(|i| b'a' + (i % 26) as u8).collect();
    b.seg(&c, true, "PA", 1, 1, &body);
    b.seg(&c, true, "PA", 1001, 1, b"short\n");
    b.seg(&c, false, "PA", 1, 1007, b"ok\n");
    b.close(&c, 1006, 3);
    b.finish("follow_snapped")
}

/// Every follow capture, in a fixed order.
pub fn captures() -> Vec<Capture> {
    vec![
        clean(),
        reorder(),
        overlap(),
        mid_stream(),
        gaps(),
        port_reuse(),
        snapped(),
    ]
}

/// The pcap bytes of a capture.
pub fn pcap_bytes(c: &Capture) -> Vec<u8> {
    write_pcap(
        Layout::new(1, c.snaplen),
        c.frames.iter().map(|(us, data, orig)| Record {
            ts_sec: (BASE_SECS + us / 1_000_000) as u32,
            ts_frac: (us % 1_000_000) as u32,
            data: Cow::Borrowed(data),
            orig_len: *orig,
        }),
    )
}
