//! Never panic, never loop on damaged HTTP bodies: messages with
//! `Content-Length` and chunked bodies (extensions, trailers), pipelined
//! one after another, damaged `mutation_rounds()` times (a million in a
//! release build) go through the body and chunk framer
//! (`dissect::http_message`, by way of the HTTP unit's framing, from the
//! start and resumed), the `"http"` JSON, and, cut over up to five
//! segments (retransmitted, overlapping, with gaps and FINs), through the
//! reassembly of `flow::pdu`, whose limits must hold after every packet.

mod support;

use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::dissect::{self, Payload};
use sockscope::flow::pdu::{PduLimits, Pdus};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;
use support::cpu_clock::{CpuStopwatch, assert_fast};
use support::dns_captures::{mutate, rng};
use support::flows::tcp_packet;
use support::rng::{damaged_segments, mutation_rounds};

#[test]
fn damaged_http_bodies_never_panic_or_loop() {
    let seeds = support::http_captures::framed_messages();
    let http = dissect::tcp(40000, 80).expect("HTTP on port 80");
    let (unit, _) = dissect::tcp_unit(40000, 80, &seeds[0]).expect("a message starts");
    let limits = PduLimits::at_most(64, 1 << 20);
    let mut pdus = Pdus::new(limits);
    let mut r = rng(0x4775_0bad_0000_0001);
    let (mut slowest, mut messages, mut completed) = (Duration::ZERO, 0usize, 0u64);
    let rounds = mutation_rounds();
    for round in 0..rounds {
        let m = mutate(&mut r, &seeds[round % seeds.len()]);
        let t = CpuStopwatch::start();
        // The framer from the start and resumed part of the way in.
        if let Some(f) = (unit.framing)(&m, 0) {
            assert!(f.whole <= m.len() && f.need.is_none_or(|n| n > f.whole));
            let _ = (unit.framing)(&m, r.below(m.len() + 1).min(f.resume.max(1)));
        }
        let v = (http.json)(&Payload::whole(&m));
        messages += v["messages"].as_array().map_or(0, Vec::len);
        // Over segments, through the reassembly.
        for (k, (start, end, fin)) in damaged_segments(&mut r, m.len()).into_iter().enumerate() {
            let bytes = m.get(start..end).unwrap_or(&[]);
            let flags = if fin { 0x11 } else { 0x18 };
            let p = tcp_packet(
                round as u64 * 1000 + k as u64,
                (
                    IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | (round as u32 % 200))),
                    40000,
                ),
                (IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), 80),
                TcpFlags::from_bits(flags),
                (1 + start as u32, 1),
                502,
                bytes.len() as u32,
            );
            if let Some(c) = pdus.packet(&p, bytes, round as u64) {
                completed += 1;
                let (key, v) = c.json(&Payload::whole(bytes));
                assert_eq!(key, "http");
                assert!(v.is_object());
            }
            assert!(pdus.open() <= limits.streams && pdus.held() <= limits.memory);
        }
        slowest = slowest.max(t.elapsed());
    }
    eprintln!(
        "{rounds} damaged HTTP messages: {messages} messages listed, {completed} reassembled or continued, slowest {slowest:?}, {:?}",
        pdus.stats()
    );
    assert!(
        messages > rounds,
        "the framer follows bodies to more messages"
    );
    assert!(completed > 0);
    assert_fast(slowest, "message");
}
