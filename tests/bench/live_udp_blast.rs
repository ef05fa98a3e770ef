//! Live capture speed against tcpdump: blast 64-byte UDP datagrams on `lo` at
//! several rates while `sockscope capture -i lo -w /dev/null` (and, in other
//! runs at the same rate, `tcpdump -i lo -w /dev/null`) captures, and report
//! offered / captured / dropped packets from each tool's own counters.
//!
//!     cargo bench --bench live_udp_blast
//!     BLAST_SECS=3 BLAST_RATES=50000,200000,0 cargo bench --bench live_udp_blast
//!
//! The `lines` rows print every packet (to /dev/null) instead of writing pcap.
//! Both tools get the filter `udp port P` (the blast's port) unless
//! BLAST_FILTER=0, so other traffic on `lo` does not count.
//! Rate 0 means as fast as the senders can go (BLAST_THREADS, default 2).
//! Needs root (CAP_NET_RAW); tcpdump rows are skipped without tcpdump.

#[path = "udp_blast_common.rs"]
mod udp_blast_common;

use std::process::Command;
use udp_blast_common::{ROW_HEADER, blast, measure, row, sink_and_capture};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");

fn main() {
    let secs: f64 = std::env::var("BLAST_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let rates: Vec<u64> = std::env::var("BLAST_RATES")
        .unwrap_or_else(|_| "50000,100000,200000,400000,0".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let threads: u64 = std::env::var("BLAST_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2)
        .max(1);
    // With a filter (the default) both tools keep only the blast's port, in
    // the kernel; BLAST_FILTER=0 captures everything on lo.
    let filtered = std::env::var("BLAST_FILTER").as_deref() != Ok("0");
    let have_tcpdump = Command::new("tcpdump").arg("--version").output().is_ok();
    if !have_tcpdump {
        eprintln!("tcpdump not installed: its rows are skipped");
    }
    type Tool = (&'static str, Vec<&'static str>);
    let mut tools: Vec<Tool> = vec![
        (
            "sockscope",
            vec![BIN, "capture", "-i", "lo", "-w", "/dev/null"],
        ),
        (
            "sockscope -B 2048",
            vec![BIN, "capture", "-i", "lo", "-B", "2048", "-w", "/dev/null"],
        ),
        ("sockscope lines", vec![BIN, "capture", "-i", "lo"]),
    ];
    if have_tcpdump {
        tools.push((
            "tcpdump",
            vec!["tcpdump", "-n", "-i", "lo", "-w", "/dev/null"],
        ));
        tools.push((
            "tcpdump -B 32768",
            vec![
                "tcpdump",
                "-n",
                "-i",
                "lo",
                "-B",
                "32768",
                "-w",
                "/dev/null",
            ],
        ));
        tools.push(("tcpdump lines", vec!["tcpdump", "-n", "-i", "lo"]));
    }
    println!(
        "64-byte UDP datagrams on lo from {threads} threads for {secs} s per run{}; \
         counters are each tool's own",
        if filtered {
            ", filter 'udp port P'"
        } else {
            ""
        }
    );
    println!("{ROW_HEADER}");
    for &rate in &rates {
        for (name, argv) in &tools {
            let (_sink, addr, mut cmd) = sink_and_capture(argv, filtered);
            let Some((offered, c)) = measure(name, &mut cmd, || blast(addr, rate, secs, threads))
            else {
                continue;
            };
            println!("{}", row(rate, name, offered, &c));
        }
    }
}
