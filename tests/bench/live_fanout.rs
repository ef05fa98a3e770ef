//! `capture --threads 1` against `--threads 2` (two rings in a PACKET_FANOUT
//! group) and tcpdump, under a `sendmmsg` UDP blast on `lo`: 64-byte
//! datagrams from 2 sender threads × 8 sockets (16 flows, so the fanout
//! hash spreads them), flat out and at fixed rates, each tool capturing
//! `udp port P` into `-w /dev/null` in a run of its own; with
//! `BLAST_REPEATS=N` the tools take turns N times (interleaved, so a
//! change in the machine's load hits them all) and a summary gives each
//! tool's range and median. Reports each tool's own counters (offered,
//! captured, dropped), its CPU time per captured packet (user + system,
//! from wait4's rusage over its whole life), `perf stat -e
//! task-clock,context-switches` attached while the blast ran (CPU ns per
//! captured packet and context switches a second, start-up excluded), and
//! for two threads each ring's share and kernel drops ("captured/dropped"
//! per ring). The summary gives each tool's drops over the rounds and in
//! how many rounds it dropped anything: where one thread drops and two do
//! not, the second line shows it as "dropped in 0 of N rounds".
//!
//!     sudo cargo bench --bench live_fanout
//!     BLAST_SECS=5 BLAST_RATES=300000,0 BLAST_THREADS=2 cargo bench --bench live_fanout
//!     BLAST_BUFFER_KIB=2048 cargo bench --bench live_fanout   # the same -B per ring for every tool
//!     BLAST_TOTAL_BUFFER_KIB=2048 cargo bench --bench live_fanout   # the same buffer in total
//!     BLAST_REPEATS=5 BLAST_BASE_BIN=/tmp/sockscope-main cargo bench --bench live_fanout
//!
//! Rate 0 is as fast as the senders go. `BLAST_TOTAL_BUFFER_KIB` gives one
//! thread and tcpdump `-B` of that size and `--threads 2` half of it per
//! ring, so the kernel buffer is not what differs. `BLAST_BASE_BIN` adds
//! that binary's `--threads 2` (e.g. main's build) to each round.
//! `BLAST_FLOWS` sets the sockets per sender thread (8), `BLAST_PAYLOAD`
//! the datagrams' payload bytes (64).
//! `BLAST_PERF=0` leaves perf out, `BLAST_BIN` runs another sockscope
//! binary than this build's (a copy, while the tree is rebuilt). `BLAST_TOOLS` keeps only the tools
//! whose name holds one of its comma-separated words, `BLAST_SENDER_CPUS`
//! pins the senders and `BLAST_CAPTURE_CPUS` the tools (`taskset -c`),
//! `BLAST_OUTPUT` replaces `-w /dev/null` (e.g. `-v`: verbose lines).
//! `BLAST_FIND_DROP=1` instead searches the rate where one thread drops
//! (from `BLAST_FIND_FROM`, default 100,000/s, +50% a step, then flat out)
//! and runs one and two threads there `BLAST_REPEATS` times, each ring's
//! captured/dropped printed.
//! After the rounds a table puts each round's drops side by side. Needs root (CAP_NET_RAW); the tcpdump
//! rows are skipped without tcpdump.

#[path = "udp_blast_common.rs"]
mod udp_blast_common;

use std::process::Command;
use udp_blast_common::{
    ROW_HEADER, blast_mmsg, env_cpus, env_or, measure, rate_label, row, sink_and_capture,
};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");

/// The sockscope binary the runs use: `BLAST_BIN` (e.g. a copy, so that
/// the tree can be rebuilt while a long run goes on), else this build's.
fn bin() -> String {
    std::env::var("BLAST_BIN")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| BIN.to_string())
}
/// Sockets (flows) per sender thread, unless `BLAST_FLOWS` says: the
/// fanout hash gives each ring whole flows, so with few flows one ring may
/// get three quarters of the packets (and drop alone).
const FLOWS_PER_THREAD: usize = 8;

fn flows_per_thread() -> usize {
    env_or::<usize>("BLAST_FLOWS", FLOWS_PER_THREAD).max(1)
}

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

/// A tool's numbers over the rounds at one rate.
#[derive(Default)]
struct Rounds {
    /// perf's CPU ns per captured packet (rusage's when perf is missing).
    ns: Vec<f64>,
    /// Context switches a second while the blast ran.
    switches: Vec<f64>,
    dropped: Vec<u64>,
    captured: Vec<u64>,
    /// Each round's "captured/dropped" per ring (two threads).
    rings: Vec<String>,
}

/// "min–max (median m)" of `v`.
fn spread(v: &mut [f64]) -> String {
    v.sort_by(f64::total_cmp);
    match (v.first(), v.last()) {
        (Some(lo), Some(hi)) => format!("{lo:.0}–{hi:.0} (median {:.0})", v[v.len() / 2]),
        _ => "-".to_string(),
    }
}

/// `taskset -c CPUS` before a tool's command when `cpus` is not empty.
fn pinned(cpus: &str, argv: Vec<String>) -> Vec<String> {
    match cpus.is_empty() {
        true => argv,
        false => words(&["taskset", "-c", cpus])
            .into_iter()
            .chain(argv)
            .collect(),
    }
}

/// What every tool does with the packets: `BLAST_OUTPUT` (words; e.g.
/// `-v` prints verbose lines into /dev/null, work a thread can run out of
/// time for), by default `-w /dev/null`.
fn output_args() -> Vec<String> {
    let out = std::env::var("BLAST_OUTPUT").unwrap_or_else(|_| "-w /dev/null".into());
    out.split_whitespace().map(str::to_string).collect()
}

fn capture_argv(bin: &str, threads: u32, buffer_kib: Option<u64>) -> Vec<String> {
    let mut argv = words(&[bin, "capture", "-i", "lo"]);
    if threads > 1 {
        argv.extend(words(&["--threads", &threads.to_string()]));
    }
    argv.extend(output_args());
    if let Some(kib) = buffer_kib {
        argv.extend(words(&["-B", &kib.to_string()]));
    }
    argv
}

fn main() {
    let secs: f64 = env_or("BLAST_SECS", 3.0);
    let threads: u64 = env_or::<u64>("BLAST_THREADS", 2).max(1);
    let repeats: usize = env_or::<usize>("BLAST_REPEATS", 1).max(1);
    let rates: Vec<u64> = std::env::var("BLAST_RATES")
        .unwrap_or_else(|_| "200000,0".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    // BLAST_BUFFER_KIB: the same kernel buffer (-B, per ring) for every
    // tool; BLAST_TOTAL_BUFFER_KIB: the same in total (two rings get half
    // each); by default each keeps its own (sockscope 32 MiB a ring,
    // tcpdump 2 MiB).
    let per_ring: Option<u64> = std::env::var("BLAST_BUFFER_KIB")
        .ok()
        .and_then(|s| s.parse().ok());
    let total: Option<u64> = std::env::var("BLAST_TOTAL_BUFFER_KIB")
        .ok()
        .and_then(|s| s.parse().ok());
    let (one_b, two_b) = match total {
        Some(t) => (Some(t), Some(t / 2)),
        None => (per_ring, per_ring),
    };
    type Tool = (String, Vec<String>);
    let mut tools: Vec<Tool> = vec![
        (
            "sockscope --threads 1".into(),
            capture_argv(&bin(), 1, one_b),
        ),
        (
            "sockscope --threads 2".into(),
            capture_argv(&bin(), 2, two_b),
        ),
    ];
    if let Ok(base) = std::env::var("BLAST_BASE_BIN")
        && !base.is_empty()
    {
        tools.push(("base --threads 2".into(), capture_argv(&base, 2, two_b)));
    }
    if Command::new("tcpdump").arg("--version").output().is_ok() {
        let mut argv = words(&["tcpdump", "-n", "-i", "lo"]);
        argv.extend(output_args());
        if let Some(kib) = one_b {
            argv.extend(words(&["-B", &kib.to_string()]));
        }
        tools.push(("tcpdump".into(), argv));
    } else {
        eprintln!("tcpdump not installed: its rows are skipped");
    }
    // BLAST_TOOLS=a,b: only the tools whose name holds one of these.
    if let Ok(only) = std::env::var("BLAST_TOOLS") {
        let only: Vec<&str> = only.split(',').map(str::trim).collect();
        tools.retain(|(name, _)| only.iter().any(|o| name.contains(o)));
    }
    // BLAST_SENDER_CPUS / BLAST_CAPTURE_CPUS: pin the senders (sched_setaffinity)
    // and the capture tools (taskset) to these CPUs.
    let sender_cpus = env_cpus("BLAST_SENDER_CPUS");
    let capture_cpus = std::env::var("BLAST_CAPTURE_CPUS").unwrap_or_default();
    for (_, argv) in &mut tools {
        *argv = pinned(&capture_cpus, std::mem::take(argv));
    }
    println!(
        "{}-byte UDP datagrams on lo, sendmmsg from {threads} threads x {} sockets, \
         {secs} s per run, {repeats} round(s), filter 'udp port P', output {:?}; -B (KiB): \
         one thread and tcpdump {one_b:?}, two threads {two_b:?} per ring; counters are each tool's own; \
         senders on CPUs {sender_cpus:?}, tools on CPUs '{capture_cpus}' (empty: any)",
        udp_blast_common::payload_len(),
        flows_per_thread(),
        output_args().join(" ")
    );
    println!(
        "{ROW_HEADER} CPU ns/pkt  perf ns/pkt  cs/s  pf/kpkt  per ring  [perf ns/pkt per thread]"
    );
    let mut rounds: Vec<Vec<Rounds>> = rates
        .iter()
        .map(|_| tools.iter().map(|_| Rounds::default()).collect())
        .collect();
    if std::env::var("BLAST_FIND_DROP").is_ok_and(|v| v == "1") {
        find_drop_rate(&tools, secs, threads, repeats, &sender_cpus);
        return;
    }
    for _ in 0..repeats {
        for (r, &rate) in rates.iter().enumerate() {
            for (t, (name, argv)) in tools.iter().enumerate() {
                let Some(one) = run_once(name, argv, rate, secs, threads, &sender_cpus) else {
                    continue;
                };
                if let Some(x) = rounds.get_mut(r).and_then(|v| v.get_mut(t)) {
                    x.add(one);
                }
            }
        }
    }
    drop_table(&rates, &tools, &rounds);
    println!(
        "\nsummary: CPU ns per captured packet (perf task-clock while blasting), context switches/s, drops"
    );
    for (r, &rate) in rates.iter().enumerate() {
        for (t, (name, _)) in tools.iter().enumerate() {
            let Some(x) = rounds.get_mut(r).and_then(|v| v.get_mut(t)) else {
                continue;
            };
            let drops: Vec<String> = x.dropped.iter().map(u64::to_string).collect();
            let dropping = x.dropped.iter().filter(|&&d| d > 0).count();
            let (lost, kept): (u64, u64) = (x.dropped.iter().sum(), x.captured.iter().sum());
            let captured: Vec<String> = x.captured.iter().map(u64::to_string).collect();
            println!(
                "{:>10}  {name:<22} ns/pkt {}  cs/s {}  dropped [{}] of captured [{}], \
                 dropped in {dropping} of {} rounds ({:.3}% of all)",
                rate_label(rate),
                spread(&mut x.ns),
                spread(&mut x.switches),
                drops.join(", "),
                captured.join(", "),
                x.dropped.len(),
                100.0 * lost as f64 / (lost + kept).max(1) as f64
            );
        }
    }
}

/// One run's numbers (see [`run_once`]).
struct Run {
    perf_ns: f64,
    switches: f64,
    dropped: u64,
    captured: u64,
    rings: String,
}

impl Rounds {
    fn add(&mut self, one: Run) {
        self.ns.push(one.perf_ns);
        self.switches.push(one.switches);
        self.dropped.push(one.dropped);
        self.captured.push(one.captured);
        self.rings.push(one.rings);
    }
}

/// Run one tool under a blast of `rate` datagrams/s (0: flat out) and
/// print its row: counters, CPU per packet, each ring's
/// "captured/dropped" and each thread's CPU per packet.
fn run_once(
    name: &str,
    argv: &[String],
    rate: u64,
    secs: f64,
    threads: u64,
    sender_cpus: &[usize],
) -> Option<Run> {
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let (_sink, addr, mut cmd) = sink_and_capture(&argv, true);
    let load = || blast_mmsg(addr, rate, secs, threads, flows_per_thread(), sender_cpus);
    let (offered, c) = measure(name, &mut cmd, load)?;
    let per = |d: std::time::Duration| d.as_nanos() as f64 / c.captured.max(1) as f64;
    let ns = per(c.cpu);
    // perf was attached for the blast and the 300 ms after it.
    let attached = secs + 0.3;
    let (perf_ns, cs, faults) = match &c.perf {
        Some(p) => (
            per(p.task_clock),
            p.switches as f64 / attached,
            1000.0 * p.faults as f64 / c.captured.max(1) as f64,
        ),
        None => (ns, f64::NAN, f64::NAN),
    };
    let rings: Vec<String> = c
        .rings
        .iter()
        .zip(c.ring_drops.iter().map(Some).chain(std::iter::repeat(None)))
        .map(|(n, d)| match d {
            Some(d) => format!("{n}/{d}"),
            None => n.to_string(),
        })
        .collect();
    // Where two threads' CPU goes: each thread's ns over all the packets
    // (a worker's share, the merger's).
    let per_thread: Vec<String> = c
        .perf
        .iter()
        .flat_map(|p| &p.threads)
        .filter(|(_, t)| !t.is_zero())
        .map(|(n, t)| format!("{n} {:.0}", per(*t)))
        .collect();
    println!(
        "{} {ns:>10.0} {perf_ns:>12.0} {cs:>5.0} {faults:>7.1}  {}  [{}]",
        row(rate, name, offered, &c),
        rings.join(" + "),
        per_thread.join(", ")
    );
    Some(Run {
        perf_ns,
        switches: cs,
        dropped: c.dropped,
        captured: c.captured,
        rings: rings.join(" + "),
    })
}

/// `BLAST_FIND_DROP=1`: raise the rate from `BLAST_FIND_FROM` (default
/// 100,000/s) by half each step (then flat out) until one thread drops
/// in a run; at that rate run one thread and two `repeats` times more,
/// interleaved, and print each run's drops with two threads' per-ring
/// counts: the rate where one thread drops and whether two do.
fn find_drop_rate(
    tools: &[(String, Vec<String>)],
    secs: f64,
    threads: u64,
    repeats: usize,
    sender_cpus: &[usize],
) {
    let find = |word: &str| tools.iter().find(|(n, _)| n.contains(word));
    let (Some(one), Some(two)) = (find("--threads 1"), find("sockscope --threads 2")) else {
        println!("BLAST_FIND_DROP needs both sockscope tools (BLAST_TOOLS)");
        return;
    };
    let mut rate: u64 = env_or("BLAST_FIND_FROM", 100_000);
    println!(
        "\nfinding the rate where one thread drops (from {rate}/s, +50% a step, then flat out)"
    );
    let found = loop {
        let dropped = run_once(&one.0, &one.1, rate, secs, threads, sender_cpus)
            .is_some_and(|r| r.dropped > 0);
        if dropped {
            break Some(rate);
        }
        match rate {
            0 => break None,
            r if r >= 2_000_000 => rate = 0,
            r => rate = r + r / 2,
        }
    };
    let Some(rate) = found else {
        println!("one thread dropped nothing even flat out: no rate found on this machine now");
        return;
    };
    println!(
        "\none thread dropped at {}; {repeats} more interleaved rounds there:",
        rate_label(rate)
    );
    let (mut drops_one, mut drops_two) = (Vec::new(), Vec::new());
    for _ in 0..repeats {
        if let Some(r) = run_once(&one.0, &one.1, rate, secs, threads, sender_cpus) {
            drops_one.push(r.dropped.to_string());
        }
        if let Some(r) = run_once(&two.0, &two.1, rate, secs, threads, sender_cpus) {
            drops_two.push(format!("{} (rings {})", r.dropped, r.rings));
        }
    }
    println!(
        "at {}: one thread dropped [{}], two threads dropped [{}]",
        rate_label(rate),
        drops_one.join(", "),
        drops_two.join(", ")
    );
}

/// Each round's kernel drops side by side, one row a round, with two
/// threads' per-ring "captured/dropped" (the demonstration: a row where
/// one thread drops and two do not).
fn drop_table(rates: &[u64], tools: &[(String, Vec<String>)], rounds: &[Vec<Rounds>]) {
    println!("\ndrops by round (kernel drops; two threads' rings as captured/dropped)");
    let names: Vec<String> = tools.iter().map(|(n, _)| format!("{n:>22}")).collect();
    println!("{:>10} {:>5} {}  rings", "rate/s", "round", names.join(" "));
    for (r, &rate) in rates.iter().enumerate() {
        let Some(per_tool) = rounds.get(r) else {
            continue;
        };
        let n = per_tool.iter().map(|x| x.dropped.len()).max().unwrap_or(0);
        for round in 0..n {
            let cells: Vec<String> = per_tool
                .iter()
                .map(|x| match x.dropped.get(round) {
                    Some(d) => format!("{d:>22}"),
                    None => format!("{:>22}", "-"),
                })
                .collect();
            let rings: Vec<&str> = per_tool
                .iter()
                .filter_map(|x| x.rings.get(round).map(String::as_str))
                .filter(|s| !s.is_empty())
                .collect();
            println!(
                "{:>10} {:>5} {}  {}",
                rate_label(rate),
                round + 1,
                cells.join(" "),
                rings.join(" | ")
            );
        }
    }
}
