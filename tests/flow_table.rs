//! The flow table's bookkeeping: idle expiry per state, eviction order when
//! full, port reuse, UDP/ICMP/IPv6 flows, bad checksums, and robustness of
//! the flow view production builds (`FlowPacket::from_frame`) on damaged frames.

mod support;

use etherparse::PacketBuilder;
use sockscope::decode::tcp_flags::TcpFlags as tf;
use sockscope::flow::{
    ConnState, FlowConfig, FlowEnd, FlowPacket, FlowTracker, Proto, TcpState, Timeouts,
};
use sockscope::packet::{LinkType, Timestamp};
use std::time::Duration;
use support::frames::Above::{EchoReply, EchoRequest, Syn, Udp};
use support::frames::Eth;

const S: u64 = 1_000_000_000;

/// The frames these tests build: one MAC address at both ends, TTL 64.
const ETH: Eth = Eth {
    src: [2, 0, 0, 0, 0, 1],
    dst: [2, 0, 0, 0, 0, 1],
    ttl: 64,
};

#[allow(clippy::too_many_arguments)]
fn tcp(
    t: u64,
    src: &str,
    sport: u16,
    dst: &str,
    dport: u16,
    flags: tf,
    seq: u32,
    ack: u32,
) -> FlowPacket {
    let (src, dst) = (src.parse().unwrap(), dst.parse().unwrap());
    support::flows::tcp_packet(t, (src, sport), (dst, dport), flags, (seq, ack), 1000, 0)
}

/// A complete connection from client port `p`: handshake and four-way close.
fn closed_conn(t: &mut FlowTracker, at: u64, p: u16) {
    let (c, s) = ("10.0.0.1", "10.0.0.2");
    t.observe(&tcp(at, c, p, s, 80, tf::SYN, 100, 0));
    t.observe(&tcp(at + 1, s, 80, c, p, tf::SYN | tf::ACK, 500, 101));
    t.observe(&tcp(at + 2, c, p, s, 80, tf::ACK, 101, 501));
    t.observe(&tcp(at + 3, c, p, s, 80, tf::FIN | tf::ACK, 101, 501));
    t.observe(&tcp(at + 4, s, 80, c, p, tf::FIN | tf::ACK, 501, 102));
    t.observe(&tcp(at + 5, c, p, s, 80, tf::ACK, 102, 502));
}

/// `n` flows of one segment each: at time p, from 10.0.1.1 port 5000 + p
/// to 10.0.0.2:80, sequence number 1.
fn one_segment_flows(t: &mut FlowTracker, n: u16, flags: tf, ack: u32) {
    for p in 0..n {
        let (src, dst) = ("10.0.1.1", "10.0.0.2");
        t.observe(&tcp(p as u64, src, 5000 + p, dst, 80, flags, 1, ack));
    }
}

#[test]
fn idle_flows_expire_by_state_closed_first() {
    let cfg = FlowConfig {
        timeouts: Timeouts {
            closed: Duration::from_secs(1),
            time_wait: Duration::from_secs(2),
            handshake: Duration::from_secs(5),
            established: Duration::from_secs(100),
            ..Timeouts::default()
        },
        ..FlowConfig::default()
    };
    let mut t = FlowTracker::new(cfg);
    closed_conn(&mut t, 0, 1000); // ends TIME_WAIT / CLOSED
    t.observe(&tcp(10, "10.0.0.1", 2000, "10.0.0.2", 80, tf::SYN, 1, 0)); // half-open
    t.observe(&tcp(20, "10.0.0.3", 3000, "10.0.0.2", 80, tf::ACK, 1, 1)); // mid-stream, established
    // 3 s later: the closed flow (time_wait 2 s) has expired, the others not.
    t.observe(&tcp(3 * S, "10.9.9.9", 9, "10.0.0.2", 80, tf::ACK, 1, 1));
    assert_eq!(t.live_flows(), 3);
    // 10 s later: the half-open one too, the established ones stay.
    t.observe(&tcp(10 * S, "10.9.9.9", 9, "10.0.0.2", 80, tf::ACK, 1, 1));
    assert_eq!(t.live_flows(), 2);
    let r = t.finish();
    assert_eq!((r.stats.expired, r.stats.evicted), (2, 0));
    let ends: Vec<_> = r.flows.iter().map(|f| (f.uid, f.end)).collect();
    assert_eq!(
        ends,
        vec![
            (1, FlowEnd::Idle),
            (2, FlowEnd::Idle),
            (3, FlowEnd::Open),
            (4, FlowEnd::Open)
        ]
    );
}

#[test]
fn flows_over_at_the_end_of_the_input_say_closed_the_others_open() {
    let mut t = FlowTracker::new(FlowConfig::default());
    closed_conn(&mut t, 0, 1000); // FIN both ways: TIME_WAIT / CLOSED
    t.observe(&tcp(10, "10.0.0.1", 2000, "10.0.0.2", 80, tf::SYN, 1, 0)); // half-open
    t.observe(&tcp(20, "10.0.0.1", 3000, "10.0.0.2", 80, tf::SYN, 1, 0)); // reset
    t.observe(&tcp(
        21,
        "10.0.0.2",
        80,
        "10.0.0.1",
        3000,
        tf::SYN | tf::ACK,
        7,
        2,
    ));
    t.observe(&tcp(22, "10.0.0.1", 3000, "10.0.0.2", 80, tf::RST, 2, 0));
    let r = t.finish();
    let ends: Vec<_> = r.flows.iter().map(|f| (f.uid, f.end.name())).collect();
    assert_eq!(ends, vec![(1, "closed"), (2, "open"), (3, "closed")]);
}

#[test]
fn a_full_table_evicts_finished_flows_before_live_ones_and_counts_them() {
    let cfg = FlowConfig {
        max_flows: 32,
        ..FlowConfig::default()
    };
    let mut t = FlowTracker::new(cfg);
    // 16 established (mid-stream) flows, then 16 closed ones.
    one_segment_flows(&mut t, 16, tf::ACK, 1);
    for p in 0..16u16 {
        closed_conn(&mut t, 100 + 10 * p as u64, 6000 + p);
    }
    assert_eq!(t.live_flows(), 32);
    // One more flow: a batch (32/16 = 2) is evicted, the oldest finished ones.
    t.observe(&tcp(1000, "10.0.2.1", 7000, "10.0.0.2", 80, tf::SYN, 1, 0));
    assert_eq!(t.live_flows(), 31);
    let r = t.finish();
    assert_eq!(r.stats.evicted, 2);
    let evicted: Vec<u16> = r
        .flows
        .iter()
        .filter(|f| f.end == FlowEnd::Evicted)
        .map(|f| f.orig.port)
        .collect();
    assert_eq!(evicted, vec![6000, 6001]);
    assert_eq!(r.flows.len(), 33);
}

#[test]
fn report_limit_counts_what_it_leaves_out() {
    let cfg = FlowConfig {
        max_flows: 4,
        max_reported: 3,
        ..FlowConfig::default()
    };
    let mut t = FlowTracker::new(cfg);
    one_segment_flows(&mut t, 20, tf::SYN, 0);
    let r = t.finish();
    assert_eq!(r.stats.flows, 20);
    assert_eq!(r.flows.len() as u64 + r.stats.unreported, 20);
    assert_eq!(r.flows.len(), 3 + 4);
}

#[test]
fn a_new_syn_after_a_finished_connection_starts_a_new_flow() {
    let mut t = FlowTracker::new(FlowConfig::default());
    closed_conn(&mut t, 0, 1000);
    t.observe(&tcp(
        100,
        "10.0.0.1",
        1000,
        "10.0.0.2",
        80,
        tf::SYN,
        9000,
        0,
    ));
    let r = t.finish();
    assert_eq!(r.flows.len(), 2);
    assert_eq!(r.flows[0].end, FlowEnd::Reused);
    assert_eq!(r.flows[0].conn_state(), ConnState::SF);
    assert_eq!(
        (r.flows[1].conn_state(), r.flows[1].orig_state()),
        (ConnState::S0, TcpState::SynSent)
    );
}

#[test]
fn bad_checksums_are_counted_and_do_not_move_state() {
    let mut t = FlowTracker::new(FlowConfig::default());
    t.observe(&tcp(0, "10.0.0.1", 1, "10.0.0.2", 80, tf::SYN, 1, 0));
    let mut bad = tcp(1, "10.0.0.2", 80, "10.0.0.1", 1, tf::RST | tf::ACK, 0, 2);
    bad.bad_checksum = true;
    t.observe(&bad);
    let r = t.finish();
    let f = &r.flows[0];
    assert_eq!(f.history(), "Sc");
    assert_eq!(f.tcp().unwrap().bad_checksums, 1);
    assert_eq!(
        (f.orig_state(), f.conn_state()),
        (TcpState::SynSent, ConnState::S0)
    );
}

/// The flow view of an Ethernet frame, as the pipeline builds it.
fn view(frame: &[u8]) -> Option<FlowPacket> {
    FlowPacket::from_frame(Timestamp(7), LinkType::Ethernet, frame)
}

/// The same through the decoder's lax slice (etherparse's, with a first
/// fragment's transport header sliced as tcpdump reads it): the
/// reference `from_frame` is checked against.
fn lax(frame: &[u8]) -> Option<FlowPacket> {
    let pkt = sockscope::packet::Packet {
        ts: Timestamp(7),
        stamp: None,
        link: LinkType::Ethernet,
        data: frame,
        orig_len: frame.len() as u32,
    };
    let d = sockscope::decode::decode(&pkt);
    FlowPacket::from_lax(Timestamp(7), d.lax.as_ref()?)
}

#[test]
fn udp_icmp_and_ipv6_flows_from_real_frames() {
    let mut t = FlowTracker::new(FlowConfig::default());
    for f in [
        ETH.frame("10.0.0.1", "10.0.0.2", Udp(5353, 53), b"query"),
        ETH.frame("10.0.0.2", "10.0.0.1", Udp(53, 5353), b"answer!"),
        ETH.frame("10.0.0.1", "10.0.0.2", EchoRequest(77, 1), b"ping"),
        ETH.frame("10.0.0.2", "10.0.0.1", EchoReply(77, 1), b"ping"),
        ETH.frame("fe80::1", "fe80::2", Syn(4000, 443, 1, 1000, &[]), b""),
    ] {
        t.observe(&view(&f).unwrap());
    }
    let r = t.finish();
    let got: Vec<_> = r
        .flows
        .iter()
        .map(|f| {
            (
                f.proto,
                f.orig.to_string(),
                f.resp.to_string(),
                f.orig_bytes,
                f.resp_bytes,
                f.conn_state().name(),
                f.history(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Proto::Udp,
                "10.0.0.1:5353".into(),
                "10.0.0.2:53".into(),
                5,
                7,
                "SF",
                "Dd".into()
            ),
            (
                Proto::Icmp,
                "10.0.0.1:77".into(),
                "10.0.0.2:0".into(),
                4,
                4,
                "SF",
                "Dd".into()
            ),
            (
                Proto::Tcp,
                "[fe80::1]:4000".into(),
                "[fe80::2]:443".into(),
                0,
                0,
                "S0",
                "S".into()
            ),
        ]
    );
}

#[test]
fn test_truncated_and_garbage_frames_never_panic() {
    let v = ETH.frame("10.0.0.1", "10.0.0.2", Syn(1, 2, 3, 4, &[]), b"payload");
    let mut t = FlowTracker::new(FlowConfig::default());
    for cut in 0..v.len() {
        if let Some(p) = view(&v[..cut]) {
            t.observe(&p);
        }
    }
    // Every byte value at every position of the headers.
    for pos in 0..54 {
        for b in [0u8, 1, 0x45, 0x5f, 0x80, 0xff] {
            let mut w = v.clone();
            w[pos] = b;
            if let Some(p) = view(&w) {
                t.observe(&p);
            }
        }
    }
    let r = t.finish();
    assert!(r.stats.packets > 0);
}

#[test]
fn a_syn_ack_seen_first_flips_the_roles() {
    let mut t = FlowTracker::new(FlowConfig::default());
    let (c, s) = ("10.0.0.1", "10.0.0.2");
    t.observe(&tcp(0, s, 80, c, 1234, tf::SYN | tf::ACK, 500, 101));
    t.observe(&tcp(1, c, 1234, s, 80, tf::ACK, 101, 501));
    let r = t.finish();
    let f = &r.flows[0];
    assert!(f.flipped);
    assert_eq!(
        (f.orig.to_string(), f.resp.to_string()),
        ("10.0.0.1:1234".to_string(), "10.0.0.2:80".to_string())
    );
    assert_eq!(f.history(), "^hA");
    assert_eq!(
        (f.orig_state(), f.resp_state()),
        (TcpState::Established, TcpState::Established)
    );
}

/// `FlowPacket::from_frame` (the direct path) must agree with `from_lax` on
/// every frame of every committed capture and on damaged variants of them.
#[test]
fn from_frame_agrees_with_from_lax() {
    let mut frames: Vec<Vec<u8>> = Vec::new();
    for e in std::fs::read_dir(support::root().join("captures")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("tcp_") && name.ends_with(".pcap") {
            let file = support::pcap::read_pcap(&p);
            frames.extend(file.records.into_iter().map(|(_, _, d)| d));
        }
    }
    assert!(frames.len() > 8000);
    // IPv6, ICMP, UDP and VLAN-tagged frames, which the captures lack.
    let wscale = [etherparse::TcpOptionElement::WindowScale(9)];
    let ttl9 = Eth { ttl: 9, ..ETH };
    let mut extra = vec![
        ETH.frame(
            "2001:db8::1",
            "2001:db8::2",
            Syn(4000, 443, 1, 1000, &wscale),
            b"hi",
        ),
        ETH.frame("2001:db8::1", "2001:db8::2", Udp(53, 5353), b"dns"),
        ETH.frame("2001:db8::1", "2001:db8::2", EchoRequest(9, 1), b"ping"),
        ttl9.frame("1.2.3.4", "5.6.7.8", EchoReply(3, 4), b"pong"),
    ];
    let mut v = Vec::new();
    let mac = ETH.src;
    PacketBuilder::ethernet2(mac, mac)
        .single_vlan(etherparse::VlanId::try_new(42).unwrap())
        .ipv4([1, 2, 3, 4], [5, 6, 7, 8], 9)
        .udp(1, 2)
        .write(&mut v, b"tagged")
        .unwrap();
    extra.push(std::mem::take(&mut v));
    assert!(extra.iter().all(|f| view(f).is_some()));
    frames.splice(0..0, extra);
    let mut checked = 0;
    let mut variants = Vec::new();
    for f in frames.iter().take(300) {
        for pos in 0..f.len().min(70) {
            for b in [0u8, 0x05, 0x45, 0x60, 0xff] {
                let mut g = f.clone();
                g[pos] = b;
                variants.push(g);
            }
        }
        for cut in 0..f.len() {
            variants.push(f[..cut].to_vec());
        }
    }
    let mut mismatches = Vec::new();
    let all: Vec<&Vec<u8>> = frames.iter().chain(variants.iter()).collect();
    for (i, f) in all.iter().enumerate() {
        let fast = view(f);
        let slow = lax(f);
        if fast != slow {
            mismatches.push((i, fast, slow));
        }
        checked += 1;
    }
    assert!(
        mismatches.is_empty(),
        "{} of {checked} differ; first: {:#?}",
        mismatches.len(),
        mismatches
            .iter()
            .take(3)
            .map(|(i, a, b)| (i, a, b, all.get(*i).map(|f| f[..f.len().min(60)].to_vec())))
            .collect::<Vec<_>>()
    );
}

/// Every Zeek conn_state from a short segment sequence. Steps: `c` or `s`
/// (who sends), flags (S A F R P), and a payload length when there is one.
#[test]
fn every_zeek_conn_state() {
    // (label, steps, conn_state, history)
    let cases: &[(&str, &str, &str, &str)] = &[
        ("S0", "c S", "S0", "S"),
        ("S1", "c S; s SA; c A", "S1", "ShA"),
        ("SF", "c S; s SA; c FA; s FA", "SF", "ShFf"),
        ("REJ", "c S; s RA", "REJ", "Sr"),
        ("S2", "c S; s SA; c A; c FA", "S2", "ShAF"),
        ("S3", "c S; s SA; c A; s FA", "S3", "ShAf"),
        ("RSTO", "c S; s SA; c A; c R", "RSTO", "ShAR"),
        ("RSTR", "c S; s SA; c A; s R", "RSTR", "ShAr"),
        ("RSTOS0", "c S; c R", "RSTOS0", "SR"),
        ("RSTRH", "s SA; s R", "RSTRH", "^hr"),
        ("SH", "c S; c F", "SH", "SF"),
        ("SHR", "s SA; s FA", "SHR", "^hf"),
        ("OTH", "c PA 10; s A", "OTH", "Da"),
        ("Q", "c SF", "SH", "Q"),
        ("I", "c S; s SA; c A; c FR", "RSTO", "ShAI"),
    ];
    for (label, steps, state, history) in cases {
        let mut t = FlowTracker::new(FlowConfig::default());
        let (mut cseq, mut sseq) = (1000u32, 5000u32);
        for (i, step) in steps.split("; ").enumerate() {
            let mut words = step.split_whitespace();
            let (Some(who), Some(flags)) = (words.next(), words.next()) else {
                panic!("{label}: bad step {step:?}")
            };
            let len: u32 = words.next().map_or(0, |n| n.parse().unwrap());
            let mut f = tf::NONE;
            for ch in flags.chars() {
                f |= match ch {
                    'S' => tf::SYN,
                    'A' => tf::ACK,
                    'F' => tf::FIN,
                    'R' => tf::RST,
                    'P' => tf::PSH,
                    _ => tf::NONE,
                };
            }
            let mut p = if who == "c" {
                tcp(i as u64, "10.0.0.1", 1000, "10.0.0.2", 80, f, cseq, sseq)
            } else {
                tcp(i as u64, "10.0.0.2", 80, "10.0.0.1", 1000, f, sseq, cseq)
            };
            p.payload_len = len;
            t.observe(&p);
            let adv = len + f.intersects(tf::SYN | tf::FIN) as u32;
            if who == "c" {
                cseq += adv;
            } else {
                sseq += adv;
            }
        }
        let r = t.finish();
        assert_eq!(r.flows.len(), 1, "{label}");
        let fl = &r.flows[0];
        assert_eq!(
            (fl.conn_state().name(), fl.history().as_str()),
            (*state, *history),
            "{label}"
        );
    }
}

/// Issue 17 item 3: with the table full and flows idling out one at a time,
/// every new flow used to trigger a sweep over the whole table that freed
/// exactly one flow (an 8.8 MB capture took 27 s). The pattern at 10x the
/// table size: the work (table slots visited) must stay a small constant
/// per packet. The speed figure lives in the flow_eviction bench.
#[test]
fn a_full_table_with_flows_idling_out_one_by_one_costs_o1_per_flow() {
    const M: u64 = 10_000;
    let mut t = FlowTracker::new(FlowConfig {
        max_flows: M as usize,
        ..FlowConfig::default()
    });
    let ms = S / 1000;
    let udp = |at: u64, port: u64| {
        let mut p = tcp(at, "10.0.0.1", 0, "10.0.0.2", 53, tf::from_bits(0), 0, 0);
        p.proto = Proto::Udp;
        p.src = std::net::IpAddr::from([10, 1, (port >> 16) as u8, (port >> 8) as u8]);
        p.sport = port as u16;
        p
    };
    // Fill the table: flow i last seen at i ms.
    for i in 0..M {
        t.observe(&udp(i * ms, i));
    }
    // Then 10x the table in new flows, each arriving just as one more old
    // flow passes the 60 s UDP timeout.
    let n = 10 * M;
    let timeout = Timeouts::default().udp.as_nanos() as u64;
    for j in 0..n {
        t.observe(&udp(timeout + j * ms + 1, M + j));
    }
    let packets = M + n;
    let scanned = t.slots_scanned();
    assert!(
        scanned <= 32 * packets,
        "{scanned} slots visited for {packets} packets (a full scan per new flow would be {})",
        n * M
    );
    let r = t.finish();
    assert_eq!(r.stats.flows, packets);
    assert_eq!(r.stats.expired + r.stats.evicted, n);
}

/// Issue 17 item 6: `--timeline` kept every event of up to 200k flows x
/// 1000 events. The run's event budget bounds them all, and what was not
/// recorded is counted per flow and for the run.
#[test]
fn timeline_events_are_bounded_for_the_whole_run() {
    let mut t = FlowTracker::new(FlowConfig {
        record_events: true,
        max_events_total: 10,
        ..FlowConfig::default()
    });
    for p in 0..5u16 {
        closed_conn(&mut t, u64::from(p) * 10, 6000 + p);
    }
    let r = t.finish();
    let kept: usize = r.flows.iter().map(|f| f.events.len()).sum();
    let missed: u64 = r.flows.iter().map(|f| f.events_dropped).sum();
    assert_eq!(kept, 10);
    assert_eq!((missed, r.stats.events_over_budget), (20, 20));
    let mut out = Vec::new();
    sockscope::output::flows::timeline::write_timelines(&mut out, &r).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("20 segments not recorded in timelines"),
        "{text}"
    );
    assert_eq!(
        std::mem::size_of::<sockscope::flow::Event>(),
        40,
        "update the budget's note"
    );
}
