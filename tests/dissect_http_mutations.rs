//! Never panic, never loop on damaged HTTP bodies: messages with
//! `Content-Length` and chunked bodies (extensions, trailers), pipelined
//! one after another, damaged `mutation_rounds()` times (a million in a
//! release build) go through the body and chunk framer
//! (`dissect::http_message`, by way of the HTTP unit's framing, from the
//! start and resumed), the `"http"` JSON, and, cut over up to five
//! segments (retransmitted, overlapping, with gaps and FINs), through the
//! reassembly of `flow::pdu`, whose limits must hold after every packet.
//! The dialogue's functions (responses framed by the requests they answer:
//! HEAD, CONNECT, bodies counted rather than kept — chunked ones chunk by
//! chunk) get random open
//! requests, and the segments go both ways so that responses meet the
//! damaged requests.

mod support;

use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::dissect::{self, Ask, Payload};
use sockscope::flow::pdu::{PduLimits, Pdus};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;
use support::alloc_meter::{Flat, Meter, RETAINED_SLACK};
use support::cpu_clock::{CpuStopwatch, assert_fast};
use support::dns_captures::{mutate, rng};
use support::flows::tcp_packet;
use support::rng::{damaged_segments, mutation_rounds};

/// Messages whose bodies the framer must follow (the fuzz corpus's), and
/// those whose framing depends on the request they answer.
fn seeds() -> Vec<Vec<u8>> {
    let head_connect =
        b"HEAD /d HTTP/1.1\r\n\r\nCONNECT a:443 HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n";
    let to_head = b"HTTP/1.1 200 OK\r\nContent-Length: 99999\r\n\r\n\
        HTTP/1.1 101 Switching\r\n\r\nHTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01\x00\x05";
    let long = b"HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\nHTTP/1.1 200 OK\r\n\r\n";
    // Chunks longer than a segment: counted, their data passed over.
    let data = "z".repeat(2000);
    let chunked = format!(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7d0;x\r\n{data}\r\n7d0\r\n{data}\r\n0\r\nT: 1\r\n\r\nHTTP/1.1 204 No\r\n\r\n"
    );
    let mut seeds = support::http_captures::framed_messages();
    seeds.extend([head_connect.to_vec(), to_head.to_vec(), long.to_vec()]);
    seeds.push(chunked.into_bytes());
    seeds
}

#[test]
fn damaged_http_bodies_never_panic_or_loop() {
    let messages = damage_dialogue(80, &seeds(), 0x4775_0bad_0000_0001);
    assert!(
        messages > mutation_rounds(),
        "the framer follows bodies to more messages"
    );
}

/// POP3's commands and replies, multi-line ones among them, both ways.
#[test]
fn damaged_pop3_replies_never_panic_or_loop() {
    let seeds: Vec<Vec<u8>> = [
        &b"CAPA\r\nLIST\r\nRETR 1\r\nLIST 1\r\nTOP 1 0\r\nUIDL\r\nQUIT\r\n"[..],
        b"+OK\r\nUSER\r\n.\r\n+OK 1 messages\r\n1 24\r\n.\r\n+OK 3 octets\r\n+OK x\r\n..\r\n.\r\n-ERR no\r\n",
        b"+OK POP3 ready\r\nUSER a\r\n+OK\r\n",
    ]
    .iter()
    .map(|m| m.to_vec())
    .collect();
    damage_dialogue(110, &seeds, 0x9093_0bad_0000_0001);
}

/// Damage `seeds` of the dialogue on `port` `mutation_rounds()` times:
/// its framer (from the start, resumed, with open requests of any kind),
/// turns, JSON, and the segments both ways through `flow::pdu`. The
/// messages the port's JSON listed (HTTP's `messages`).
fn damage_dialogue(port: u16, seeds: &[Vec<u8>], seed: u64) -> usize {
    let http = dissect::tcp(40000, port).expect("registered");
    let (unit, _) =
        dissect::tcp_unit((40000, port), &seeds[0], &[], false).expect("a message starts");
    let rules = unit.dialogue.expect("replies paired with requests");
    let limits = PduLimits::at_most(64, 1 << 20);
    // Around the whole run: the reassembly must give back what it held.
    let whole = Meter::start();
    let mut pdus = Pdus::new(limits);
    // The streams' bytes, at most `limits.memory`, and each open stream's
    // own state (measured under 2 KiB).
    let mut memory = Flat::holding(limits.memory + limits.streams * 4096);
    let mut r = rng(seed);
    let (mut slowest, mut messages, mut completed) = (Duration::ZERO, 0usize, 0u64);
    let rounds = mutation_rounds();
    for round in 0..rounds {
        let m = mutate(&mut r, &seeds[round % seeds.len()]);
        let t = CpuStopwatch::start();
        let meter = Meter::start();
        // Everything the round makes is dropped at the block's end, before
        // its memory is read.
        {
            // The framer from the start and resumed part of the way in.
            if let Some(f) = (unit.framing)(&m, 0) {
                assert!(f.whole <= m.len() && f.need.is_none_or(|n| n > f.whole));
                let _ = (unit.framing)(&m, r.below(m.len() + 1).min(f.resume.max(1)));
            }
            let v = (http.json)(&Payload::whole(&m));
            messages += v["messages"].as_array().map_or(0, Vec::len);
            // With open requests of any kind.
            let asked: Vec<Ask> = (0..r.below(4))
                .map(|i| Ask {
                    kind: r.below(4) as u8,
                    packet: i as u64,
                })
                .collect();
            if let Some(f) = (rules.framing)(&m, 0, &asked) {
                assert!(f.whole <= m.len() && f.need.is_none_or(|n| n > f.whole));
            }
            let mut kinds = Vec::new();
            let elided = if r.below(2) == 0 { 0 } else { 1 << 20 };
            let _ = (rules.turns)(&m, &asked, &mut kinds, elided);
            assert!(kinds.len() <= m.len());
            if let Some((header, _)) = (rules.opaque)(&m, &asked) {
                assert!(header <= m.len());
            }
            assert!((rules.json)(&Payload::whole(&m), &asked, elided).is_object());
            // Over segments, through the reassembly.
            for (k, (start, end, fin)) in damaged_segments(&mut r, m.len()).into_iter().enumerate()
            {
                let bytes = m.get(start..end).unwrap_or(&[]);
                let flags = if fin { 0x11 } else { 0x18 };
                let client = (
                    IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | (round as u32 % 200))),
                    40000,
                );
                let server = (IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), port);
                // Requests one way, the same bytes back as responses.
                let (from, to) = if r.below(3) == 0 {
                    (server, client)
                } else {
                    (client, server)
                };
                let p = tcp_packet(
                    round as u64 * 1000 + k as u64,
                    from,
                    to,
                    TcpFlags::from_bits(flags),
                    (1 + start as u32, 1),
                    502,
                    bytes.len() as u32,
                );
                if let Some(c) = pdus.packet(&p, bytes, round as u64) {
                    completed += 1;
                    let (key, v) = c.json(&Payload::whole(bytes));
                    // After a CONNECT's 2xx, TLS records in the tunnel.
                    assert!(key == http.json_key || key == "tls", "{key}");
                    assert!(v.is_object());
                }
                assert!(pdus.open() <= limits.streams && pdus.held() <= limits.memory);
            }
        }
        memory.record(&meter, &m, 0);
        slowest = slowest.max(t.elapsed());
    }
    let stats = pdus.stats();
    drop(pdus);
    let left = whole.net_bytes();
    eprintln!(
        "port {port}: {rounds} damaged messages: {messages} messages listed, {completed} reassembled, continued or paired, slowest {slowest:?}, {stats:?}; {}; {left} bytes left after the reassembly was dropped",
        memory.summary()
    );
    assert!(
        left <= RETAINED_SLACK,
        "{left} bytes still held after the reassembly was dropped"
    );
    assert!(completed > 0);
    assert_fast(slowest, "message");
    messages
}
