//! Half handshakes by the hundred thousand: each of 300,000 connections
//! sends the first 1,400 bytes of a TLS handshake record that claims
//! 16 KiB and never the rest (what a scan, a flood or a capture that
//! lost the second segments looks like). Message reassembly
//! (`flow::pdu`, on for `--json` and `--app`) must stay within its
//! documented limits the whole time — 4,096 open messages, 16 MiB — and
//! the process's peak memory must stay flat: the same after 300,000 as
//! after 20,000. Alone in its test binary so no other test's allocations
//! count against it.

mod support;

use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::flow::pdu::{PduLimits, Pdus};
use std::net::{IpAddr, Ipv4Addr};
use support::flows::tcp_packet;

fn vm_hwm_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let l = s.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM");
    l.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn many_half_handshakes_keep_memory_flat() {
    const N: u32 = 300_000;
    let mut record = vec![22, 3, 1, 0x40, 0x00, 1, 0, 0x3f, 0xfc];
    record.resize(1400, 0x5a);
    let limits = PduLimits::default();
    let mut pdus = Pdus::new(limits);
    let mut at_20k = 0;
    for i in 0..N {
        // 10,000 connections a second of capture time.
        let p = tcp_packet(
            1_700_000_000_000_000_000 + u64::from(i) * 100_000,
            (
                IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | (i >> 6))),
                1024 + (i & 0x3f) as u16,
            ),
            (IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), 443),
            TcpFlags::from_bits(0x18),
            (i.wrapping_mul(2_654_435_761), 1),
            502,
            record.len() as u32,
        );
        assert!(pdus.packet(&p, &record, u64::from(i) + 1).is_none());
        assert!(pdus.open() <= limits.streams, "{} open", pdus.open());
        assert!(pdus.held() <= limits.memory, "{} bytes held", pdus.held());
        if i == 20_000 {
            at_20k = vm_hwm_kib();
        }
    }
    let s = pdus.stats();
    let peak = vm_hwm_kib();
    eprintln!(
        "{N} half handshakes: {s:?}, {} open holding {} bytes; peak {peak} KiB (at 20,000: {at_20k} KiB)",
        pdus.open(),
        pdus.held()
    );
    assert_eq!(s.opened, u64::from(N));
    assert!(s.dropped >= u64::from(N) - limits.streams as u64);
    assert!(peak < 96 * 1024, "peak {peak} KiB");
    assert!(
        peak < at_20k + 8 * 1024,
        "grew from {at_20k} KiB to {peak} KiB"
    );
}
