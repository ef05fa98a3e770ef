//! Open messages leave with their flow: when the flow tracker drops a
//! flow — idle past its timeout, pushed out of a full table, or its ports
//! reused by a new SYN — the half messages `flow::pdu` holds for it (both
//! directions) are freed at once, as the pipeline wires the two
//! (`FlowTracker::with_ended_keys`, `Pdus::forget_flow`), not only when
//! `Pdus`' own limits catch up with them a minute or 4,096 messages
//! later.

mod support;

use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::flow::pdu::Pdus;
use sockscope::flow::{FlowConfig, FlowPacket, FlowTracker, Timeouts};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;
use support::flows::tcp_packet;

const PSH_ACK: u8 = 0x18;

/// The first 1,400 bytes of a handshake record that claims 16 KiB.
fn half_record() -> Vec<u8> {
    let mut r = vec![22, 3, 1, 0x40, 0x00, 1, 0, 0x3f, 0xfc];
    r.resize(1400, 0x5a);
    r
}

/// The tracker and the messages, wired as the pipeline wires them.
struct Run {
    tracker: FlowTracker,
    pdus: Pdus,
    number: u64,
}

impl Run {
    fn new(cfg: FlowConfig) -> Run {
        Run {
            tracker: FlowTracker::new(cfg).with_ended_keys(),
            pdus: Pdus::default(),
            number: 0,
        }
    }

    fn packet(&mut self, p: &FlowPacket, payload: &[u8]) {
        self.number += 1;
        self.tracker.observe(p);
        let (tracker, pdus) = (&mut self.tracker, &mut self.pdus);
        tracker.take_ended_keys().for_each(|k| pdus.forget_flow(&k));
        assert!(self.pdus.packet(p, payload, self.number).is_none());
    }
}

/// Client `i` (10.0.x.y:40000+) sends a half record to 192.0.2.1:443 at `ts`.
fn half_from(i: u32, ts: u64, record: &[u8]) -> FlowPacket {
    tcp_packet(
        ts,
        (IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | i)), 40000),
        (IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), 443),
        TcpFlags::from_bits(PSH_ACK),
        (1000 + i, 1),
        502,
        record.len() as u32,
    )
}

const SECOND: u64 = 1_000_000_000;

#[test]
fn idle_flows_take_their_open_messages() {
    let two = Duration::from_secs(2);
    let cfg = FlowConfig {
        timeouts: Timeouts {
            established: two,
            handshake: two,
            closing: two,
            ..Timeouts::default()
        },
        ..FlowConfig::default()
    };
    let mut run = Run::new(cfg);
    let record = half_record();
    for i in 0..1000 {
        run.packet(&half_from(i, 10 * SECOND + u64::from(i), &record), &record);
    }
    assert_eq!(run.pdus.open(), 1000);
    let held = run.pdus.held();
    assert!(held > 1000 * 1400, "{held} bytes held");
    // Five seconds later (well inside `Pdus`' own minute) another flow's
    // packets make the tracker sweep: the 1,000 idle flows leave, and
    // their messages with them.
    for k in 0..200 {
        let p = half_from(5000, 15 * SECOND + k, &[]);
        run.packet(&p, &[]);
    }
    assert_eq!(run.tracker.stats().expired, 1000);
    assert_eq!((run.pdus.open(), run.pdus.held()), (0, 0));
    assert_eq!(run.pdus.stats().dropped, 1000);
}

#[test]
fn evicted_flows_take_their_open_messages() {
    let cfg = FlowConfig {
        max_flows: 64,
        ..FlowConfig::default()
    };
    let mut run = Run::new(cfg);
    let record = half_record();
    for i in 0..10_000 {
        run.packet(&half_from(i, SECOND + u64::from(i), &record), &record);
        // Never more open messages than flows in the table.
        assert!(
            run.pdus.open() <= run.tracker.live_flows(),
            "packet {i}: {} open, {} flows",
            run.pdus.open(),
            run.tracker.live_flows()
        );
    }
    assert!(run.tracker.stats().evicted >= 10_000 - 64);
    assert_eq!(run.pdus.stats().dropped, run.tracker.stats().evicted);
    assert!(
        run.pdus.held() < 64 * 4096,
        "{} bytes held",
        run.pdus.held()
    );
}

#[test]
fn a_new_syn_on_the_same_ports_drops_the_old_connections_messages() {
    let mut run = Run::new(FlowConfig::default());
    let client = (IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), 40000);
    let server = (IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), 443);
    let record = half_record();
    let seg = |ts, from, to, flags: u8, seq, len| {
        tcp_packet(ts, from, to, TcpFlags::from_bits(flags), (seq, 1), 502, len)
    };
    run.packet(&seg(SECOND, client, server, 0x02, 100, 0), &[]);
    run.packet(&seg(SECOND + 1, server, client, 0x12, 500, 0), &[]);
    run.packet(&seg(SECOND + 2, client, server, 0x10, 101, 0), &[]);
    // The server's half record stays open; the client resets.
    run.packet(
        &seg(SECOND + 3, server, client, PSH_ACK, 501, 1400),
        &record,
    );
    assert_eq!(run.pdus.open(), 1);
    run.packet(&seg(SECOND + 4, client, server, 0x04, 101, 0), &[]);
    assert_eq!(
        run.pdus.open(),
        1,
        "the RST ends the client's direction only"
    );
    // A new connection from the same port: a new flow, the old one and
    // its open message gone.
    run.packet(&seg(2 * SECOND, client, server, 0x02, 9000, 0), &[]);
    assert_eq!(run.tracker.live_flows(), 1);
    assert_eq!((run.pdus.open(), run.pdus.held()), (0, 0));
}
