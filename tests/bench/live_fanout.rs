//! `capture --threads 1` against `--threads 2` (two rings in a PACKET_FANOUT
//! group) and tcpdump, under a `sendmmsg` UDP blast on `lo`: 64-byte
//! datagrams from 2 sender threads × 8 sockets (16 flows, so the fanout
//! hash spreads them), flat out and at fixed rates, each tool capturing
//! `udp port P` into `-w /dev/null` in a run of its own. Reports each
//! tool's own counters (offered, captured, dropped) and its CPU time per
//! captured packet (user + system, from wait4's rusage over its whole life).
//!
//!     sudo cargo bench --bench live_fanout
//!     BLAST_SECS=5 BLAST_RATES=300000,0 BLAST_THREADS=2 cargo bench --bench live_fanout
//!
//! Rate 0 is as fast as the senders go. Needs root (CAP_NET_RAW); the
//! tcpdump rows are skipped without tcpdump.

#[path = "udp_blast_common.rs"]
mod udp_blast_common;

use std::net::UdpSocket;
use std::process::Command;
use std::time::Duration;
use udp_blast_common::{blast_mmsg, spawn_capture, stop_capture};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");
/// Sockets (flows) per sender thread.
const FLOWS_PER_THREAD: usize = 8;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let secs: f64 = env_or("BLAST_SECS", 3.0);
    let threads: u64 = env_or::<u64>("BLAST_THREADS", 2).max(1);
    let rates: Vec<u64> = std::env::var("BLAST_RATES")
        .unwrap_or_else(|_| "200000,0".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    type Tool = (&'static str, Vec<&'static str>);
    let mut tools: Vec<Tool> = vec![
        (
            "sockscope --threads 1",
            vec![BIN, "capture", "-i", "lo", "-w", "/dev/null"],
        ),
        (
            "sockscope --threads 2",
            vec![
                BIN,
                "capture",
                "-i",
                "lo",
                "--threads",
                "2",
                "-w",
                "/dev/null",
            ],
        ),
    ];
    if Command::new("tcpdump").arg("--version").output().is_ok() {
        tools.push((
            "tcpdump",
            vec!["tcpdump", "-n", "-i", "lo", "-w", "/dev/null"],
        ));
    } else {
        eprintln!("tcpdump not installed: its rows are skipped");
    }
    println!(
        "64-byte UDP datagrams on lo, sendmmsg from {threads} threads x {FLOWS_PER_THREAD} sockets, \
         {secs} s per run, filter 'udp port P', -w /dev/null; counters are each tool's own"
    );
    println!(
        "{:>8}  {:<22} {:>10} {:>10} {:>10} {:>10} {:>7} {:>9}",
        "rate/s", "tool", "offered", "captured", "recv", "dropped", "drop %", "CPU ns/pkt"
    );
    for &rate in &rates {
        for (name, argv) in &tools {
            // The sink never reads: datagrams pass the tap on lo, then are
            // dropped at its full socket buffer.
            let sink = UdpSocket::bind("127.0.0.1:0").unwrap();
            let addr = sink.local_addr().unwrap();
            let port = addr.port().to_string();
            let mut cmd = Command::new(argv[0]);
            cmd.args(&argv[1..]).args(["udp", "port", &port]);
            let Some(cap) = spawn_capture(&mut cmd) else {
                println!("{name}: could not start (needs root / CAP_NET_RAW)");
                continue;
            };
            let offered = blast_mmsg(addr, rate, secs, threads, FLOWS_PER_THREAD);
            std::thread::sleep(Duration::from_millis(300));
            let Some(c) = stop_capture(cap) else {
                println!("{name}: no counters");
                continue;
            };
            let label = if rate == 0 {
                "max".to_string()
            } else {
                rate.to_string()
            };
            println!(
                "{:>8}  {:<22} {:>10} {:>10} {:>10} {:>10} {:>6.2}% {:>9.0}",
                label,
                name,
                offered,
                c.captured,
                c.received,
                c.dropped,
                100.0 * c.dropped as f64 / c.received.max(1) as f64,
                c.cpu.as_nanos() as f64 / c.captured.max(1) as f64
            );
        }
    }
}
