//! `capture --threads 1` against `--threads 2` (two rings in a PACKET_FANOUT
//! group) and tcpdump, under a `sendmmsg` UDP blast on `lo`: 64-byte
//! datagrams from 2 sender threads × 8 sockets (16 flows, so the fanout
//! hash spreads them), flat out and at fixed rates, each tool capturing
//! `udp port P` into `-w /dev/null` in a run of its own. Reports each
//! tool's own counters (offered, captured, dropped) and its CPU time per
//! captured packet (user + system, from wait4's rusage over its whole life),
//! and for two threads each ring's share.
//!
//!     sudo cargo bench --bench live_fanout
//!     BLAST_SECS=5 BLAST_RATES=300000,0 BLAST_THREADS=2 cargo bench --bench live_fanout
//!     BLAST_BUFFER_KIB=2048 cargo bench --bench live_fanout   # the same -B for every tool
//!
//! Rate 0 is as fast as the senders go. Needs root (CAP_NET_RAW); the
//! tcpdump rows are skipped without tcpdump.

#[path = "udp_blast_common.rs"]
mod udp_blast_common;

use std::process::Command;
use udp_blast_common::{ROW_HEADER, blast_mmsg, env_or, measure, row, sink_and_capture};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");
/// Sockets (flows) per sender thread.
const FLOWS_PER_THREAD: usize = 8;

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

fn main() {
    let secs: f64 = env_or("BLAST_SECS", 3.0);
    let threads: u64 = env_or::<u64>("BLAST_THREADS", 2).max(1);
    let rates: Vec<u64> = std::env::var("BLAST_RATES")
        .unwrap_or_else(|_| "200000,0".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    type Tool = (&'static str, Vec<String>);
    let mut tools: Vec<Tool> = vec![
        (
            "sockscope --threads 1",
            words(&[BIN, "capture", "-i", "lo", "-w", "/dev/null"]),
        ),
        (
            "sockscope --threads 2",
            words(&[
                BIN,
                "capture",
                "-i",
                "lo",
                "--threads",
                "2",
                "-w",
                "/dev/null",
            ]),
        ),
    ];
    if Command::new("tcpdump").arg("--version").output().is_ok() {
        tools.push((
            "tcpdump",
            words(&["tcpdump", "-n", "-i", "lo", "-w", "/dev/null"]),
        ));
    } else {
        eprintln!("tcpdump not installed: its rows are skipped");
    }
    println!(
        "64-byte UDP datagrams on lo, sendmmsg from {threads} threads x {FLOWS_PER_THREAD} sockets, \
         {secs} s per run, filter 'udp port P', -w /dev/null; counters are each tool's own"
    );
    println!("{ROW_HEADER} CPU ns/pkt  per ring");
    // BLAST_BUFFER_KIB: the same kernel buffer (-B, per ring) for every
    // tool; by default each keeps its own (sockscope 32 MiB, tcpdump 2 MiB).
    let buffer = std::env::var("BLAST_BUFFER_KIB")
        .ok()
        .filter(|s| !s.is_empty());
    for (_, argv) in &mut tools {
        if let Some(kib) = &buffer {
            argv.extend(["-B".to_string(), kib.clone()]);
        }
    }
    for &rate in &rates {
        for (name, argv) in &tools {
            let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
            let argv = &argv[..];
            let (_sink, addr, mut cmd) = sink_and_capture(argv, true);
            let load = || blast_mmsg(addr, rate, secs, threads, FLOWS_PER_THREAD);
            let Some((offered, c)) = measure(name, &mut cmd, load) else {
                continue;
            };
            let ns = c.cpu.as_nanos() as f64 / c.captured.max(1) as f64;
            let rings: Vec<String> = c.rings.iter().map(u64::to_string).collect();
            println!(
                "{} {ns:>10.0}  {}",
                row(rate, name, offered, &c),
                rings.join(" + ")
            );
        }
    }
}
