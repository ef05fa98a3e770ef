//! A long flow stays drawable: 200,000 segments (half data with a
//! retransmission every thousandth, half ACKs) through the tracker with
//! every event kept, then each graph kind. The time-sequence graph merges
//! per pixel column, so its element count is bounded by the plot width
//! (not the flow) while the `data-count`s still add up to every segment and
//! every retransmission. (The README's Pictures section gives the timing of
//! a 1M-segment capture with the release binary.)

mod support;

use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::flow::{FlowConfig, FlowPacket, FlowTracker};
use sockscope::output::graph::{GraphKind, GraphOptions, render_svg};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

fn seg(i: u64, from_client: bool, flags: TcpFlags, seq: u32, ack: u32, len: u32) -> FlowPacket {
    let client = (IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), 40000);
    let server = (IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)), 80);
    let (from, to) = if from_client {
        (client, server)
    } else {
        (server, client)
    };
    let ts = 1_700_000_000_000_000_000 + i * 10_000;
    support::flows::tcp_packet(ts, from, to, flags, (seq, ack), 65535, len)
}

#[test]
fn a_long_flow_draws_a_bounded_tsg_whose_counts_add_up() {
    const DATA: u32 = 100_000;
    const MSS: u32 = 1448;
    let mut t = FlowTracker::new(FlowConfig {
        record_events: true,
        max_events_per_flow: usize::MAX,
        ..FlowConfig::default()
    });
    let (ia, ib) = (1000u32, 5000u32);
    let mut i = 0u64;
    let next = |t: &mut FlowTracker, p: FlowPacket| {
        t.observe(&p);
    };
    next(&mut t, seg(i, true, TcpFlags::SYN, ia, 0, 0));
    i += 1;
    next(
        &mut t,
        seg(i, false, TcpFlags::SYN | TcpFlags::ACK, ib, ia + 1, 0),
    );
    i += 1;
    next(&mut t, seg(i, true, TcpFlags::ACK, ia + 1, ib + 1, 0));
    let mut seq = ia + 1;
    for k in 0..DATA {
        i += 1;
        if k % 1000 == 999 {
            next(
                &mut t,
                seg(i, true, TcpFlags::ACK, seq - 5 * MSS, ib + 1, MSS),
            );
        } else {
            next(&mut t, seg(i, true, TcpFlags::ACK, seq, ib + 1, MSS));
            seq = seq.wrapping_add(MSS);
        }
        i += 1;
        next(&mut t, seg(i, false, TcpFlags::ACK, ib + 1, seq, 0));
    }
    let report = t.finish();
    let f = report.flows.first().unwrap();
    assert_eq!(f.events.len() as u64, 3 + 2 * DATA as u64);
    let c = &f.tcp().unwrap().counters;
    let retrans = c.all_retransmissions();
    assert_eq!(retrans, (DATA / 1000) as u64);
    for kind in GraphKind::ALL {
        let start = Instant::now();
        let svg = render_svg(f, kind, &GraphOptions::default()).unwrap();
        eprintln!("{kind:?}: {} bytes in {:?}", svg.len(), start.elapsed());
        assert!(svg.len() < 2_000_000, "{kind:?}: {} bytes", svg.len());
        let doc = roxmltree::Document::parse(&svg).unwrap();
        if kind == GraphKind::Tsg {
            let segs: Vec<_> = doc
                .descendants()
                .filter(|n| {
                    n.attribute("class")
                        .is_some_and(|c| c.split(' ').any(|w| w == "seg"))
                })
                .collect();
            assert!(segs.len() < 4 * 960, "{} segment elements", segs.len());
            let sum = |class: &str| -> u64 {
                doc.descendants()
                    .filter(|n| n.attribute("class") == Some(class))
                    .map(|n| n.attribute("data-count").unwrap().parse::<u64>().unwrap())
                    .sum()
            };
            assert_eq!(
                sum("seg") + sum("seg retrans") + sum("seg syn"),
                DATA as u64 + 1
            );
            assert_eq!(sum("mark retrans"), retrans);
        }
    }
}
