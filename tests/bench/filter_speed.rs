//! Filter throughput on a large generated capture (the frames of
//! captures/filter_ether.pcap repeated), against tcpdump on the same file in
//! the same run:
//!
//!   cargo bench --bench filter_speed            (SOCKSCOPE_BENCH_ROUNDS=N to resize)
//!
//! Measures, per expression: `Filter::matches` alone, our compiled program
//! in our BPF interpreter, and file-to-verdict (read the pcap + filter)
//! next to `tcpdump -r FILE -w /dev/null EXPR` (libpcap's reader and its
//! own BPF interpreter, writing nothing).

// The tests' support tree, included as every test file includes it.
#[path = "../support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use pcap_file::pcap::PcapReader;
use sockscope::filter::{Filter, bpf};
use sockscope::packet::LinkType;

const EXPRS: [&str; 5] = [
    "tcp port 80",
    "host 10.0.0.1 and (port 80 or port 443)",
    "tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn",
    "vlan and udp port 53",
    "ip6 and not icmp6",
];

fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..n {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        out = Some(r);
    }
    (best, out.expect("n > 0"))
}

fn main() {
    let rounds: u32 = std::env::var("SOCKSCOPE_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let bytes = support::filter_captures::capture_bytes_repeated(1, rounds);
    let path = std::env::temp_dir().join(format!(
        "sockscope_filter_bench_{}.pcap",
        std::process::id()
    ));
    std::fs::write(&path, &bytes).expect("write bench capture");
    let mut pkts = Vec::new();
    let mut r = PcapReader::new(&bytes[..]).expect("pcap");
    while let Some(p) = r.next_raw_packet() {
        let p = p.expect("packet");
        pkts.push((p.data.into_owned(), p.orig_len));
    }
    let n = pkts.len();
    println!(
        "capture: {} packets, {:.1} MB ({})",
        n,
        bytes.len() as f64 / 1e6,
        path.display()
    );
    let tcpdump = Command::new("tcpdump").arg("--version").output().is_ok();
    println!(
        "{:<44} {:>8} {:>11} {:>11} {:>13} {:>13} {:>7}",
        "expression", "matched", "matches ns", "bpf-run ns", "file+filter", "tcpdump -w", "ratio"
    );
    for expr in EXPRS {
        let f = Filter::parse(expr).expect("expression");
        let prog = f.compile(LinkType::Ethernet, 262144).expect("compiles");
        let (t_match, matched) = best_of(5, || {
            pkts.iter()
                .filter(|(d, l)| f.matches(LinkType::Ethernet, d, *l))
                .count()
        });
        let (t_bpf, matched_bpf) = best_of(5, || {
            pkts.iter()
                .filter(|(d, l)| bpf::run(&prog, d, *l) != 0)
                .count()
        });
        assert_eq!(matched, matched_bpf, "{expr}: bpf and matches disagree");
        // Whole path from the file: open, read every record, filter.
        let (t_file, matched_file) = best_of(3, || {
            let data = std::fs::read(&path).expect("read");
            let mut r = PcapReader::new(&data[..]).expect("pcap");
            let mut m = 0usize;
            while let Some(Ok(p)) = r.next_raw_packet() {
                m += f.matches(LinkType::Ethernet, &p.data, p.orig_len) as usize;
            }
            m
        });
        assert_eq!(matched, matched_file);
        let t_tcpdump = if tcpdump {
            let (t, ok) = best_of(3, || {
                Command::new("tcpdump")
                    .args(["-r"])
                    .arg(&path)
                    .args(["-w", "/dev/null", "--", expr])
                    .stderr(std::process::Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            });
            ok.then_some(t)
        } else {
            None
        };
        let per = |t: Duration| t.as_nanos() as f64 / n as f64;
        let (td, ratio) = match t_tcpdump {
            Some(t) => (
                format!("{:.1} ms", t.as_secs_f64() * 1e3),
                format!("{:.2}x", t.as_secs_f64() / t_file.as_secs_f64()),
            ),
            None => ("(no tcpdump)".to_string(), "-".to_string()),
        };
        println!(
            "{:<44} {:>8} {:>11.1} {:>11.1} {:>10.1} ms {:>13} {:>7}",
            expr,
            matched,
            per(t_match),
            per(t_bpf),
            t_file.as_secs_f64() * 1e3,
            td,
            ratio
        );
    }
    println!("ratio = tcpdump time / our file+filter time (higher: we are faster)");
    let _ = std::fs::remove_file(&path);
}
