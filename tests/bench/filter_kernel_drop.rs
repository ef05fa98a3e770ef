//! Does the kernel drop what the filter rejects? Blast 64-byte UDP datagrams
//! at port Y on `lo` while one capture runs, and compare:
//!
//! - `sockscope capture -i lo -w /dev/null udp port X` (X != Y, nothing is
//!   sent to X): the compiled BPF program rejects every datagram in the
//!   kernel, so nothing is captured, the kernel's "received by filter" count
//!   stays 0 and the process's CPU stays at its idle level;
//! - the same with `udp port Y` (every datagram matches), for contrast;
//! - no filter at all;
//! - tcpdump with the same filters.
//!
//! Each configuration runs idle (nothing sent: the start-up / shutdown CPU),
//! at a fixed rate and flat out. CPU is the capture process's user + system
//! time over its life, from wait4(2). The kernel runs the filter in the
//! sender's context, so its cost is not charged to the capture process.
//!
//!     cargo bench --bench filter_kernel_drop
//!     BLAST_SECS=5 KDROP_RATE=200000 BLAST_THREADS=2 cargo bench --bench filter_kernel_drop
//!
//! Exits 1 if sockscope's `udp port X` capture saw any packet under blast, or
//! used more than 50 ms CPU over its idle run when blasted flat out.
//! Needs root (CAP_NET_RAW): skips with a message otherwise (fails instead if
//! SOCKSCOPE_REQUIRE_LIVE=1). tcpdump rows are skipped without tcpdump.
//! The no-filter rows also count any other traffic on `lo` at the time.

#[path = "udp_blast_common.rs"]
mod udp_blast_common;

use std::net::UdpSocket;
use std::process::Command;
use std::time::Duration;
use udp_blast_common::{Counters, blast, env_or, spawn_capture, stop_capture};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");

/// Which filter a row runs with, relative to the blast.
#[derive(Clone, Copy, PartialEq)]
enum Filter {
    /// `udp port X`: a port nothing is sent to.
    Other,
    /// `udp port Y`: the blast's own port.
    Blast,
    None,
}

#[derive(Clone, Copy, PartialEq)]
enum Load {
    Idle,
    /// Datagrams per second in total; 0 = as fast as the senders can go.
    Rate(u64),
}

struct Row {
    load: Load,
    tool: &'static str,
    filter: Filter,
    offered: u64,
    c: Counters,
}

fn main() {
    // SAFETY: geteuid(2) has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        let msg = "filter_kernel_drop: needs root (CAP_NET_RAW) to capture on lo";
        if std::env::var("SOCKSCOPE_REQUIRE_LIVE").as_deref() == Ok("1") {
            eprintln!("{msg}; SOCKSCOPE_REQUIRE_LIVE=1, failing");
            std::process::exit(1);
        }
        println!("{msg}: skipped");
        return;
    }
    let secs: f64 = env_or("BLAST_SECS", 3.0);
    let rate: u64 = env_or("KDROP_RATE", 100_000);
    let threads: u64 = env_or("BLAST_THREADS", 2u64).max(1);
    let have_tcpdump = Command::new("tcpdump").arg("--version").output().is_ok();
    if !have_tcpdump {
        println!("tcpdump not installed: its rows are skipped");
    }

    // Y: the blast's sink. It never reads, so datagrams pass the tap on lo
    // and are then dropped at its full receive buffer, which costs nothing.
    let sink = UdpSocket::bind("127.0.0.1:0").expect("bind the sink on lo");
    let addr = sink.local_addr().expect("sink address");
    // X: held for the whole run so no one else gets traffic on it.
    let other = UdpSocket::bind("127.0.0.1:0").expect("bind port X on lo");
    let x = other.local_addr().expect("port X").port().to_string();
    let y = addr.port().to_string();

    let mut tools: Vec<(&'static str, Filter)> = vec![
        ("sockscope", Filter::Other),
        ("sockscope", Filter::Blast),
        ("sockscope", Filter::None),
    ];
    if have_tcpdump {
        tools.push(("tcpdump", Filter::Other));
        tools.push(("tcpdump", Filter::Blast));
    }
    let filter_words = |f: Filter| -> Vec<String> {
        match f {
            Filter::Other => vec!["udp".into(), "port".into(), x.clone()],
            Filter::Blast => vec!["udp".into(), "port".into(), y.clone()],
            Filter::None => vec![],
        }
    };

    println!(
        "64-byte UDP datagrams to 127.0.0.1:{y} (port Y) from {threads} threads, \
         {secs} s per run; port X = {x} gets nothing"
    );
    let mut rows = Vec::new();
    for load in [Load::Idle, Load::Rate(rate), Load::Rate(0)] {
        for &(tool, filter) in &tools {
            let mut cmd = if tool == "sockscope" {
                let mut c = Command::new(BIN);
                c.args(["capture", "-i", "lo", "-w", "/dev/null"]);
                c
            } else {
                let mut c = Command::new("tcpdump");
                c.args(["-n", "-i", "lo", "-w", "/dev/null"]);
                c
            };
            cmd.args(filter_words(filter));
            let Some(cap) = spawn_capture(&mut cmd) else {
                println!("{tool}: could not start a capture on lo");
                continue;
            };
            let offered = match load {
                Load::Idle => {
                    std::thread::sleep(Duration::from_secs_f64(secs));
                    0
                }
                Load::Rate(r) => blast(addr, r, secs, threads),
            };
            // Let the capture drain what is already in its ring.
            std::thread::sleep(Duration::from_millis(300));
            let Some(c) = stop_capture(cap) else {
                println!("{tool}: no counters");
                continue;
            };
            rows.push(Row {
                load,
                tool,
                filter,
                offered,
                c,
            });
        }
    }
    print_table(&rows, &x, &y);
    std::process::exit(verdict(&rows));
}

fn print_table(rows: &[Row], x: &str, y: &str) {
    println!(
        "{:<8} {:<27} {:>9} {:>9} {:>9} {:>8} {:>7} {:>9}",
        "load", "capture", "offered", "captured", "recv filt", "dropped", "CPU s", "CPU s/M"
    );
    for r in rows {
        let load = match r.load {
            Load::Idle => "idle".to_string(),
            Load::Rate(0) => "max".to_string(),
            Load::Rate(n) => format!("{n}/s"),
        };
        let what = match r.filter {
            Filter::Other => format!("{} 'udp port {x}'", r.tool),
            Filter::Blast => format!("{} 'udp port {y}'", r.tool),
            Filter::None => format!("{} (no filter)", r.tool),
        };
        let cpu = r.c.cpu.as_secs_f64();
        let per_m = if r.offered == 0 {
            "-".to_string()
        } else {
            format!("{:.3}", cpu * 1e6 / r.offered as f64)
        };
        println!(
            "{:<8} {:<27} {:>9} {:>9} {:>9} {:>8} {:>7.3} {:>9}",
            load, what, r.offered, r.c.captured, r.c.received, r.c.dropped, cpu, per_m
        );
    }
}

/// 0 if sockscope's non-matching capture got nothing under any blast and
/// its CPU flat out stayed within `CPU_SLACK` of its idle run; else 1, with
/// the reason.
fn verdict(rows: &[Row]) -> i32 {
    // Copying ~2 million datagrams to user space costs this machine ~0.1 s
    // (the `udp port Y` row); start-up is ~0.01 s. 50 ms tells them apart.
    const CPU_SLACK: Duration = Duration::from_millis(50);
    let find = |load: Load, filter: Filter| {
        rows.iter()
            .find(|r| r.tool == "sockscope" && r.load == load && r.filter == filter)
    };
    let mut code = 0;
    for r in rows
        .iter()
        .filter(|r| r.tool == "sockscope" && r.filter == Filter::Other && r.load != Load::Idle)
    {
        if r.c.captured != 0 || r.c.received != 0 {
            println!(
                "FAIL: 'udp port X' captured {} and the kernel passed {} of {} datagrams to another port",
                r.c.captured, r.c.received, r.offered
            );
            code = 1;
        }
    }
    let idle = find(Load::Idle, Filter::Other);
    let max = find(Load::Rate(0), Filter::Other);
    let matching = find(Load::Rate(0), Filter::Blast);
    if let (Some(idle), Some(max), Some(matching)) = (idle, max, matching) {
        println!(
            "sockscope 'udp port X' flat out: {} datagrams offered, {} captured, {} passed by the \
             kernel filter, {:.3} s CPU (idle run: {:.3} s); matching them all ('udp port Y'): {:.3} s CPU",
            max.offered,
            max.c.captured,
            max.c.received,
            max.c.cpu.as_secs_f64(),
            idle.c.cpu.as_secs_f64(),
            matching.c.cpu.as_secs_f64()
        );
        if max.c.cpu > idle.c.cpu + CPU_SLACK {
            println!(
                "FAIL: 'udp port X' used {:.3} s CPU flat out, more than its idle {:.3} s + {:.3} s",
                max.c.cpu.as_secs_f64(),
                idle.c.cpu.as_secs_f64(),
                CPU_SLACK.as_secs_f64()
            );
            code = 1;
        }
    }
    code
}
