//! A SYN flood of one million distinct connections: with the default
//! configuration the tracker finishes, counts its evictions, and the process
//! peak memory (VmHWM) stays under 256 MiB. Alone in its test binary so no
//! other test's allocations count against it.

use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::decode::tcp_seq::SeqNumber;
use sockscope::flow::{ConnState, FlowConfig, FlowPacket, FlowTracker, Proto};
use sockscope::packet::Timestamp;
use std::net::{IpAddr, Ipv4Addr};

fn vm_hwm_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let l = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    l.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn million_syn_flood_stays_under_256_mib_and_counts_evictions() {
    const N: u32 = 1_000_000;
    let mut t = FlowTracker::new(FlowConfig::default());
    let dst = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    for i in 0..N {
        let p = FlowPacket {
            // 100k SYNs per second of capture time.
            ts: Timestamp(1_700_000_000_000_000_000 + i as u64 * 10_000),
            src: IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | (i >> 8))),
            dst,
            proto: Proto::Tcp,
            sport: 1024 + (i & 0xff) as u16,
            dport: 80,
            seq: SeqNumber(i.wrapping_mul(2_654_435_761)),
            ack: SeqNumber(0),
            flags: TcpFlags::SYN,
            window: 64240,
            wscale: Some(7),
            payload_len: 0,
            ip_len: 60,
            bad_checksum: false,
            service: None,
            icmp: None,
        };
        assert!(t.observe(&p).is_empty());
    }
    assert!(t.live_flows() <= 100_000);
    let rep = t.finish();
    let s = rep.stats;
    assert_eq!((s.packets, s.flows), (N as u64, N as u64));
    assert!(s.evicted > 0, "a full table must evict: {s:?}");
    // Every flow is accounted for: kept in the report, or counted as left out.
    assert_eq!(rep.flows.len() as u64 + s.unreported, N as u64);
    assert!(rep.flows.len() <= 200_000);
    assert!(
        rep.flows
            .iter()
            .all(|f| f.conn_state() == ConnState::S0 && f.history() == "S")
    );
    let peak = vm_hwm_kib().expect("VmHWM");
    eprintln!(
        "size_of::<Flow>() = {} bytes",
        std::mem::size_of::<sockscope::flow::Flow>()
    );
    eprintln!("1M SYN flood: peak {} MiB, {s:?}", peak / 1024);
    assert!(peak < 256 * 1024, "peak memory {} MiB", peak / 1024);
}
