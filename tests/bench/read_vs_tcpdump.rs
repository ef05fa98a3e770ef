//! Benchmark: `sockscope read FILE > /dev/null` against `tcpdump -nr FILE >
//! /dev/null` on the same large capture in the same run (TZ=UTC for both).
//!
//! Run: `cargo bench --bench read_vs_tcpdump` (needs Debian's tcpdump and
//! GNU time). The capture (500,000+ packets of TCP and UDP echo traffic,
//! generated with etherparse) is cached under target/bench-data/.
//! Prints wall time (best of 5), peak RSS, CPU time (user + system, best
//! of 5) and the ratios; `--threads 2` and `--json` rows sit beside the
//! single-threaded line, same run. A second,
//! DNS-heavy capture (400,000 queries and answers, `read_bench_dns.pcap`)
//! measures the DNS dissector's lines against tcpdump's the same way.

use etherparse::PacketBuilder;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const CONNECTIONS: u32 = 10_000;
const EXCHANGES: u32 = 20;
const UDP_PAIRS: u32 = 50_000;

fn main() {
    let file = data_dir().join("read_bench.pcap");
    if !file.exists() {
        eprintln!("generating {} ...", file.display());
        generate(&file);
    }
    let size = std::fs::metadata(&file).unwrap().len();
    let packets = count_packets(&file);
    println!(
        "capture: {} ({} packets, {:.1} MiB)",
        file.display(),
        packets,
        size as f64 / (1 << 20) as f64
    );
    let ours = env!("CARGO_BIN_EXE_sockscope");
    let f = file.to_str().unwrap();
    let mut rows = Vec::new();
    let mut cpu_rows = Vec::new();
    for (name, cmd) in [
        ("sockscope read", vec![ours, "read", f]),
        ("tcpdump -nr", vec!["tcpdump", "-n", "-r", f]),
        ("sockscope read -v", vec![ours, "read", f, "-v"]),
        ("tcpdump -vnr", vec!["tcpdump", "-v", "-n", "-r", f]),
        (
            "sockscope 'tcp port 80'",
            vec![ours, "read", f, "tcp", "port", "80"],
        ),
        (
            "tcpdump 'tcp port 80'",
            vec!["tcpdump", "-n", "-r", f, "tcp", "port", "80"],
        ),
        (
            "sockscope 'port 7 and tcp[13] = 2'",
            vec![ours, "read", f, "port", "7", "and", "tcp[13]", "=", "2"],
        ),
        (
            "sockscope read --threads 2",
            vec![ours, "read", "--threads", "2", f],
        ),
        ("sockscope read --json", vec![ours, "read", f, "--json"]),
        (
            "sockscope read --json --threads 2",
            vec![ours, "read", "--threads", "2", f, "--json"],
        ),
    ] {
        let (secs, rss, cpu) = measure(&cmd);
        println!(
            "{name:<36} {secs:>8.3} s  {:>8.0} kpkt/s  peak RSS {:>7} KiB  CPU {cpu:>6.3} s",
            packets as f64 / secs / 1000.0,
            rss
        );
        rows.push(secs);
        cpu_rows.push(cpu);
    }
    // (what, numerator row, denominator row)
    for (what, a, b) in [
        ("ratio tcpdump/sockscope (default line): ", 1, 0),
        ("ratio tcpdump/sockscope (-v):           ", 3, 2),
        ("ratio tcpdump/sockscope ('tcp port 80'): ", 5, 4),
        ("filter speed-up, printing all / 'tcp port 80': ", 0, 4),
        ("filter speed-up, printing all / SYNs of port 7: ", 0, 6),
        ("ratio tcpdump/sockscope --threads 2 (wall): ", 1, 7),
        ("--json / default line (wall, 1 thread): ", 8, 0),
        ("--json / default line (wall, 2 threads): ", 9, 7),
    ] {
        println!("{what}{:.2}x", rows[a] / rows[b]);
    }
    // CPU time: what the machine's other load does not change.
    for (what, a, b) in [
        ("CPU ratio tcpdump/sockscope (default line): ", 1, 0),
        ("CPU ratio tcpdump/sockscope --threads 2: ", 1, 7),
        ("CPU --json / default line: ", 8, 0),
    ] {
        println!("{what}{:.2}x", cpu_rows[a] / cpu_rows[b]);
    }
    dns_case(ours);
}

/// The DNS-heavy capture: DNS_MESSAGES queries and answers, each line
/// decoded by the DNS dissector in both programs.
fn dns_case(ours: &str) {
    let file = data_dir().join("read_bench_dns.pcap");
    if !file.exists() {
        eprintln!("generating {} ...", file.display());
        generate_dns(&file);
    }
    let size = std::fs::metadata(&file).unwrap().len();
    println!(
        "capture: {} ({} packets, {:.1} MiB)",
        file.display(),
        count_packets(&file),
        size as f64 / (1 << 20) as f64
    );
    let f = file.to_str().unwrap();
    let mut rows = Vec::new();
    for (name, cmd) in [
        ("sockscope read (DNS)", vec![ours, "read", f]),
        ("tcpdump -nr (DNS)", vec!["tcpdump", "-n", "-r", f]),
        ("sockscope read -v (DNS)", vec![ours, "read", f, "-v"]),
        ("tcpdump -vnr (DNS)", vec!["tcpdump", "-v", "-n", "-r", f]),
        (
            "sockscope read --json (DNS)",
            vec![ours, "read", f, "--json"],
        ),
    ] {
        let (secs, rss, cpu) = measure(&cmd);
        println!(
            "{name:<36} {secs:>8.3} s  {:>8.0} kpkt/s  peak RSS {:>7} KiB  CPU {cpu:>6.3} s",
            DNS_MESSAGES as f64 / secs / 1000.0,
            rss
        );
        rows.push(secs);
    }
    println!(
        "ratio tcpdump/sockscope (DNS, default line): {:.2}x",
        rows[1] / rows[0]
    );
    println!(
        "ratio tcpdump/sockscope (DNS, -v):           {:.2}x",
        rows[3] / rows[2]
    );
}

const DNS_MESSAGES: u32 = 400_000;

fn dns_name(out: &mut Vec<u8>, text: &str) {
    for label in text.split('.').filter(|l| !l.is_empty()) {
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
}

/// Alternating queries and their answers, the shapes a resolver sees most:
/// A, AAAA, MX, TXT, HTTPS questions with EDNS; answers with a CNAME and
/// the record, owners compressed; one NXDOMAIN in ten with its SOA.
fn generate_dns(path: &Path) {
    let mut w = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut hdr = Vec::new();
    hdr.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    hdr.extend_from_slice(&[2, 0, 4, 0]);
    hdr.extend_from_slice(&[0; 8]);
    hdr.extend_from_slice(&262_144u32.to_le_bytes());
    hdr.extend_from_slice(&1u32.to_le_bytes());
    w.write_all(&hdr).unwrap();
    let (client, server) = ([10, 1, 0, 1], [10, 1, 0, 53]);
    for i in 0..DNS_MESSAGES {
        let pair = i / 2;
        let response = i % 2 == 1;
        let nx = pair % 10 == 9;
        let qtype: u16 = [1, 28, 1, 15, 16, 65, 1, 28][(pair % 8) as usize];
        let mut m = Vec::with_capacity(160);
        m.extend_from_slice(&(pair as u16).to_be_bytes());
        let flags: u16 = match (response, nx) {
            (false, _) => 0x0100,
            (true, false) => 0x8180,
            (true, true) => 0x8183,
        };
        let an: u16 = if response && !nx { 2 } else { 0 };
        let ns: u16 = if response && nx { 1 } else { 0 };
        for v in [flags, 1, an, ns, 1] {
            m.extend_from_slice(&v.to_be_bytes());
        }
        dns_name(
            &mut m,
            &format!("host{}.zone{}.example.com.", pair % 997, pair % 13),
        );
        m.extend_from_slice(&qtype.to_be_bytes());
        m.extend_from_slice(&1u16.to_be_bytes());
        if an > 0 {
            let mut target = Vec::new();
            dns_name(&mut target, "edge.cdn.example.net.");
            m.extend_from_slice(&[0xc0, 12, 0, 5, 0, 1, 0, 0, 1, 44]);
            m.extend_from_slice(&(target.len() as u16).to_be_bytes());
            let at = 0xc000 | m.len() as u16;
            m.extend_from_slice(&target);
            let data: Vec<u8> = match qtype {
                1 => vec![93, 184, pair as u8, 34],
                28 => [&[0x20, 1, 0xd, 0xb8][..], &[0; 11], &[pair as u8]].concat(),
                15 => [&[0, 10, 2, b'm', b'x'][..], &at.to_be_bytes()].concat(),
                16 => b"\x0bv=spf1 -all".to_vec(),
                _ => vec![0, 1, 0],
            };
            m.extend_from_slice(&at.to_be_bytes());
            m.extend_from_slice(&qtype.to_be_bytes());
            m.extend_from_slice(&[0, 1, 0, 0, 0, 60]);
            m.extend_from_slice(&(data.len() as u16).to_be_bytes());
            m.extend_from_slice(&data);
        }
        if ns > 0 {
            m.extend_from_slice(&[0xc0, 12, 0, 6, 0, 1, 0, 0, 3, 132]);
            let mut soa = Vec::new();
            dns_name(&mut soa, "ns1.example.com.");
            dns_name(&mut soa, "hostmaster.example.com.");
            for v in [2024u32, 7200, 3600, 1_209_600, 300] {
                soa.extend_from_slice(&v.to_be_bytes());
            }
            m.extend_from_slice(&(soa.len() as u16).to_be_bytes());
            m.extend_from_slice(&soa);
        }
        // EDNS: OPT, payload size 1232.
        m.extend_from_slice(&[0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0]);
        let (s, d, sp, dp) = if response {
            (server, client, 53, 30_000 + (pair % 30_000) as u16)
        } else {
            (client, server, 30_000 + (pair % 30_000) as u16, 53)
        };
        let mut frame = Vec::with_capacity(m.len() + 42);
        PacketBuilder::ethernet2([2; 6], [4; 6])
            .ipv4(s, d, 64)
            .udp(sp, dp)
            .write(&mut frame, &m)
            .unwrap();
        let t_us = 1_709_294_400u64 * 1_000_000 + u64::from(i) * 10;
        let mut rec = Vec::with_capacity(16);
        rec.extend_from_slice(&((t_us / 1_000_000) as u32).to_le_bytes());
        rec.extend_from_slice(&((t_us % 1_000_000) as u32).to_le_bytes());
        rec.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        rec.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        w.write_all(&rec).unwrap();
        w.write_all(&frame).unwrap();
    }
    w.flush().unwrap();
}

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Best wall time of 5 runs, and the peak RSS (KiB) GNU time reports.
/// Best wall time of 5, peak RSS (KiB) and best CPU time (user + system,
/// all threads): on a shared machine the CPU time is the steadier figure.
fn measure(cmd: &[&str]) -> (f64, u64, f64) {
    let mut best = f64::MAX;
    let mut rss = 0;
    let mut cpu = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let out = Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M %U %S")
            .args(cmd)
            .env("TZ", "UTC")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("GNU time runs");
        best = best.min(start.elapsed().as_secs_f64());
        let err = String::from_utf8_lossy(&out.stderr);
        let last: Vec<f64> = err
            .lines()
            .next_back()
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        if let [m, u, s] = last[..] {
            rss = m as u64;
            cpu = cpu.min(u + s);
        }
    }
    (best, rss, cpu)
}

fn count_packets(file: &Path) -> u64 {
    let out = Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(["read", file.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    err.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// TCP echo sessions (handshake, EXCHANGES request/reply pairs with ACKs,
/// four-way close) and UDP echo pairs, interleaved, 10 µs apart.
fn generate(path: &Path) {
    let mut w = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut hdr = Vec::new();
    hdr.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    hdr.extend_from_slice(&[2, 0, 4, 0]);
    hdr.extend_from_slice(&[0; 8]);
    hdr.extend_from_slice(&262_144u32.to_le_bytes());
    hdr.extend_from_slice(&1u32.to_le_bytes());
    w.write_all(&hdr).unwrap();
    let mut t_us: u64 = 1_709_294_400 * 1_000_000;
    let mut put = |w: &mut BufWriter<std::fs::File>, frame: &[u8]| {
        t_us += 10;
        let mut rec = Vec::with_capacity(16);
        rec.extend_from_slice(&((t_us / 1_000_000) as u32).to_le_bytes());
        rec.extend_from_slice(&((t_us % 1_000_000) as u32).to_le_bytes());
        rec.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        rec.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        w.write_all(&rec).unwrap();
        w.write_all(frame).unwrap();
    };
    let client = [10, 1, 0, 1];
    let server = [10, 1, 0, 2];
    let msg = b"the quick brown fox jumps over the lazy dog\n";
    let mut udp_left = UDP_PAIRS;
    for c in 0..CONNECTIONS {
        let cport = 20_000 + (c % 40_000) as u16;
        let (mut cs, mut ss) = (
            1_000_000u32.wrapping_mul(c + 1),
            7_000_000u32.wrapping_mul(c + 3),
        );
        let tcp = |from_client: bool, seq: u32, ack: u32, flags: &str, payload: &[u8]| {
            let (s, d, sp, dp) = if from_client {
                (client, server, cport, 7)
            } else {
                (server, client, 7, cport)
            };
            let mut b = PacketBuilder::ethernet2([2; 6], [4; 6])
                .ipv4(s, d, 64)
                .tcp(sp, dp, seq, 502);
            for ch in flags.chars() {
                b = match ch {
                    'S' => b.syn(),
                    'F' => b.fin(),
                    'P' => b.psh(),
                    _ => b,
                };
            }
            if flags.contains('.') {
                b = b.ack(ack);
            }
            let mut out = Vec::with_capacity(128);
            b.write(&mut out, payload).unwrap();
            out
        };
        put(&mut w, &tcp(true, cs, 0, "S", b""));
        put(&mut w, &tcp(false, ss, cs + 1, "S.", b""));
        cs += 1;
        ss += 1;
        put(&mut w, &tcp(true, cs, ss, ".", b""));
        for _ in 0..EXCHANGES {
            put(&mut w, &tcp(true, cs, ss, "P.", msg));
            cs += msg.len() as u32;
            put(&mut w, &tcp(false, ss, cs, "P.", msg));
            ss += msg.len() as u32;
            put(&mut w, &tcp(true, cs, ss, ".", b""));
            if udp_left > 0 {
                udp_left -= 1;
                for (s, d, sp, dp) in [(client, server, cport, 9), (server, client, 9, cport)] {
                    let mut out = Vec::new();
                    PacketBuilder::ethernet2([2; 6], [4; 6])
                        .ipv4(s, d, 64)
                        .udp(sp, dp)
                        .write(&mut out, msg)
                        .unwrap();
                    put(&mut w, &out);
                }
            }
        }
        put(&mut w, &tcp(true, cs, ss, "F.", b""));
        put(&mut w, &tcp(false, ss, cs + 1, "F.", b""));
        put(&mut w, &tcp(true, cs + 1, ss + 1, ".", b""));
    }
    w.flush().unwrap();
}
