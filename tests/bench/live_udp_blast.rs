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

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");
const PAYLOAD: usize = 64;

struct Counters {
    captured: u64,
    received: u64,
    dropped: u64,
}

fn spawn_capture(cmd: &mut Command) -> Option<(Child, Receiver<String>)> {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let stderr = child.stderr.take()?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    loop {
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(l) if l.contains("listening on") => break,
            Ok(_) => continue,
            Err(_) => {
                let _ = child.kill();
                return None;
            }
        }
    }
    Some((child, rx))
}

fn stop_capture(child: Child, rx: Receiver<String>) -> Option<Counters> {
    // SAFETY: kill(2) on the pid of our own child process.
    if unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) } != 0 {
        return None;
    }
    let mut child = child;
    child.wait().ok()?;
    let mut c = Counters {
        captured: 0,
        received: 0,
        dropped: 0,
    };
    let mut seen = 0;
    while let Ok(l) = rx.recv_timeout(Duration::from_secs(2)) {
        let n = l.split(' ').next().and_then(|n| n.parse::<u64>().ok());
        let Some(n) = n else { continue };
        if l.ends_with("packets captured") {
            c.captured = n;
            seen += 1;
        } else if l.ends_with("packets received by filter") {
            c.received = n;
            seen += 1;
        } else if l.ends_with("packets dropped by kernel") {
            c.dropped = n;
            seen += 1;
        }
    }
    (seen == 3).then_some(c)
}

/// Send from `threads` threads at `rate` per second in total (0 = flat out)
/// for `secs`; returns how many datagrams the kernel accepted.
fn blast(sink: SocketAddr, rate: u64, secs: f64, threads: u64) -> u64 {
    let handles: Vec<_> = (0..threads)
        .map(|_| std::thread::spawn(move || blast_one(sink, rate / threads, secs)))
        .collect();
    handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
}

fn blast_one(sink: SocketAddr, rate: u64, secs: f64) -> u64 {
    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    tx.connect(sink).unwrap();
    let buf = [0x42u8; PAYLOAD];
    let start = Instant::now();
    let end = Duration::from_secs_f64(secs);
    let mut sent = 0u64;
    loop {
        let el = start.elapsed();
        if el >= end {
            break;
        }
        let due = if rate == 0 {
            sent + 256
        } else {
            (el.as_secs_f64() * rate as f64) as u64
        };
        if sent >= due {
            std::thread::sleep(Duration::from_micros(200));
            continue;
        }
        let batch = due.min(sent + 1024) - sent;
        for _ in 0..batch {
            if tx.send(&buf).is_ok() {
                sent += 1;
            }
        }
    }
    sent
}

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
    println!(
        "{:>10}  {:<18} {:>10} {:>10} {:>10} {:>10} {:>7}",
        "rate/s", "tool", "offered", "captured", "recv", "dropped", "drop %"
    );
    for &rate in &rates {
        for (name, argv) in &tools {
            // The receiver never reads: datagrams pass the tap on lo, then
            // are dropped at its full socket buffer, which costs nothing.
            let sink = UdpSocket::bind("127.0.0.1:0").unwrap();
            let addr = sink.local_addr().unwrap();
            let port = addr.port().to_string();
            let mut cmd = Command::new(argv[0]);
            cmd.args(&argv[1..]);
            if filtered {
                cmd.args(["udp", "port", &port]);
            }
            let Some((child, rx)) = spawn_capture(&mut cmd) else {
                println!("{name}: could not start (needs root / CAP_NET_RAW)");
                continue;
            };
            let offered = blast(addr, rate, secs, threads);
            std::thread::sleep(Duration::from_millis(300));
            let Some(c) = stop_capture(child, rx) else {
                println!("{name}: no counters");
                continue;
            };
            let label = if rate == 0 {
                "max".to_string()
            } else {
                rate.to_string()
            };
            println!(
                "{:>10}  {:<18} {:>10} {:>10} {:>10} {:>10} {:>6.2}%",
                label,
                name,
                offered,
                c.captured,
                c.received,
                c.dropped,
                100.0 * c.dropped as f64 / c.received.max(1) as f64
            );
        }
    }
}
