//! Never panic, never loop, never nest without end on a damaged tunnel:
//! every hand-built encapsulation of `tests/support/tunnel_captures.rs`
//! (GRE, PPTP, VXLAN, Geneve, MPLS, PPPoE, L2TP, ESP, AH, IP in IP, Ethernet
//! in IPv6) and of `tests/support/overlay_captures.rs` (VXLAN-GPE, NSH, OTV) and
//! a PIM Register,
//! damaged by the seeded generator the dissector tests share, goes through
//! its tunnel printer at every `-v` level, its JSON and the flow view's
//! search for the inner packet; whole damaged frames (including tunnels
//! nested in tunnels) go through the decoder, the line printer at every
//! level, the JSON and the flow view. A million damaged messages for each
//! tunnel printer in a release build, 100,000 each in a debug one
//! (`SOCKSCOPE_MUTATION_ROUNDS=N`).

mod support;

use sockscope::decode::decode;
use sockscope::decode::flow_view::FlowPacket;
use sockscope::dissect::tunnel::{self, Tunnel};
use sockscope::dissect::{IpVersion, Payload};
use sockscope::output::packet::{LineOptions, LinePrinter};
use sockscope::output::time::TimeFormat;
use sockscope::packet::{LinkType, Packet, Timestamp};
use std::time::Duration;
use support::alloc_meter::{Flat, Meter};
use support::app_captures::through_every_stage;
use support::cpu_clock::{CpuStopwatch, assert_fast};
use support::dns_captures::{mutate, rng};
use support::tunnel_captures;

use support::rng::mutation_rounds as rounds;

/// Every registered tunnel printer.
fn tunnels() -> Vec<&'static Tunnel> {
    let mut all: Vec<&'static Tunnel> = [47, 50, 51, 143]
        .iter()
        .filter_map(|&p| tunnel::ip_proto(p))
        .collect();
    all.extend(
        [4789, 8472, 6081, 4790, 1701, 6635]
            .iter()
            .filter_map(|&p| tunnel::udp(p, 1)),
    );
    all.extend(
        [0x8847, 0x8863, 0x8864, 0x880b, 0x894f]
            .iter()
            .filter_map(|&t| tunnel::ethertype(t)),
    );
    // A PIM Register is found by its first byte.
    let register = Payload {
        bytes: &[0x21],
        declared_len: 1,
    };
    all.extend(tunnel::ip_payload(103, IpVersion::V4, &register));
    assert_eq!(all.len(), 16, "every tunnel is registered");
    all
}

#[test]
fn damaged_tunnel_headers_never_panic_or_loop() {
    let mut seeds: Vec<Vec<u8>> = tunnel_captures::encapsulations()
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    // A PIM Register carrying an IPv4 UDP datagram.
    let mut register = vec![0x21, 0, 0xde, 0xff, 0, 0, 0, 0];
    register.extend_from_slice(&tunnel_captures::ipv4(
        17,
        &[0x13, 0x88, 0x13, 0x89, 0, 8, 0, 0],
    ));
    seeds.push(register);
    // An Ethernet frame as IPv6 carries it (protocol 143).
    seeds.extend(support::ipnext_captures::seeds(143));
    // VXLAN-GPE's payloads and NSH headers.
    seeds.extend(support::overlay_captures::seeds());
    let tunnels = tunnels();
    // `rounds()` for each of the printers.
    let rounds = rounds() * tunnels.len();
    let mut rng = rng(0x7e11_0bad_0000_0101);
    let (mut slowest, mut longest) = (Duration::ZERO, 0usize);
    let mut memory = Flat::new();
    for round in 0..rounds {
        let m = mutate(&mut rng, &seeds[round % seeds.len()]);
        // Each printer sees each kind of header, not only its own.
        let t = tunnels[(round / seeds.len()) % tunnels.len()];
        let declared_len = match round % 5 {
            0 => m.len() + 40,
            1 => m.len().saturating_sub(3),
            _ => m.len(),
        };
        let p = Payload {
            bytes: &m,
            declared_len,
        };
        let started = CpuStopwatch::start();
        let meter = Meter::start();
        let here = {
            let (mut line, mut here) = (Vec::new(), 0);
            // `-vvv` too: NSH's context headers.
            for (verbose, eflag) in [
                (0, false),
                (1, false),
                (2, false),
                (3, false),
                (0, true),
                (1, true),
            ] {
                line.clear();
                let _ = t.write(&mut line, &p, tunnel::Level { verbose, eflag });
                here = here.max(line.len());
            }
            assert!((t.json)(&p).is_object(), "{m:02x?}");
            if let Some(inner) = tunnel::innermost_ip(t, p) {
                assert!(inner.len() <= m.len());
            }
            here
        };
        memory.record(&meter, &m, here);
        longest = longest.max(here);
        slowest = slowest.max(started.elapsed());
    }
    eprintln!(
        "{rounds} damaged tunnel headers: slowest {slowest:?}, longest line {longest} bytes; {}",
        memory.summary()
    );
    assert!(longest < 16 * 1024, "a line of {longest} bytes");
    assert_fast(slowest, "header");
}

/// A frame `depth` tunnels deep: GRE in GRE in … around an ICMP echo, so
/// nesting limits are exercised too.
fn nested(depth: usize) -> Vec<u8> {
    let inner = tunnel_captures::ipv4(1, &[8, 0, 0xf7, 0xff, 0, 0, 0, 0]);
    let mut packet = inner;
    for _ in 0..depth {
        let mut gre = vec![0, 0, 0x08, 0];
        gre.extend_from_slice(&packet);
        packet = tunnel_captures::ipv4(47, &gre);
    }
    let mut frame = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
    frame.extend_from_slice(&packet);
    frame
}

#[test]
fn damaged_tunnel_frames_never_panic() {
    let mut seeds: Vec<Vec<u8>> = tunnel_captures::frames(0)
        .into_iter()
        .map(|f| f.bytes)
        .collect();
    seeds.extend(support::overlay_captures::frames());
    seeds.extend((1..12).map(nested));
    // Each -v level, and -e at the first two (inner link headers).
    let make = || -> Vec<LinePrinter> {
        [(0, false), (1, false), (2, false), (0, true), (1, true)]
            .into_iter()
            .map(|(v, e)| {
                let mut o = LineOptions::new(TimeFormat::Abs, v);
                o.link_header = e;
                LinePrinter::new(o)
            })
            .collect()
    };
    let mut printers = make();
    let rounds = rounds() / 10;
    let mut rng = rng(0x7e11_0bad_0000_0201);
    let mut longest = 0;
    // The printers keep TCP conversations' first sequence numbers across
    // frames (bounded by design): made anew every 4096 frames, they must
    // give back what they held, as `frames_through_every_stage`'s do.
    let mut memory = Flat::holding(4096 * 5 * 100);
    for round in 0..rounds {
        if round > 0 && round % 4096 == 0 {
            let meter = Meter::start();
            printers = make();
            memory.settle(&meter);
        }
        let data = mutate(&mut rng, &seeds[round % seeds.len()]);
        let pkt = Packet {
            ts: Timestamp(round as u64 * 1000),
            stamp: None,
            link: LinkType::Ethernet,
            data: &data,
            orig_len: data.len() as u32 + (round % 3) as u32 * 50,
        };
        let meter = Meter::start();
        let line = through_every_stage(&mut printers, &pkt, round as u64);
        memory.record(&meter, &data, line);
        longest = longest.max(line);
    }
    eprintln!(
        "{rounds} damaged tunnel frames, longest line {longest} bytes; {}",
        memory.summary()
    );
    assert!(longest < 64 * 1024, "a line of {longest} bytes");
}

/// Tunnels nested deeper than the printers follow end the line there
/// (no recursion without end), and the flow view gives up the same way.
#[test]
fn deep_nesting_stops_at_the_limit() {
    let frame = nested(40);
    let pkt = Packet {
        ts: Timestamp(0),
        stamp: None,
        link: LinkType::Ethernet,
        data: &frame,
        orig_len: frame.len() as u32,
    };
    let d = decode(&pkt);
    let mut out = Vec::new();
    LinePrinter::new(LineOptions::new(TimeFormat::Abs, 0))
        .write_packet(&mut out, &pkt, &d, None)
        .unwrap();
    let line = String::from_utf8(out).unwrap();
    let levels = line.matches("GREv0").count();
    assert!(
        (1..=usize::from(tunnel::MAX_DEPTH) + 1).contains(&levels),
        "{levels} levels: {line}"
    );
    // Shallow enough, the flow is the innermost conversation.
    let shallow = nested(3);
    let fp = FlowPacket::from_frame(Timestamp(0), LinkType::Ethernet, &shallow).unwrap();
    assert_eq!(fp.proto, sockscope::decode::flow_view::Proto::Icmp);
}
