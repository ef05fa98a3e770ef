//! Issue 17's soak, a 24-hour run compressed to minutes: `sockscope capture
//! -i lo --flows --timeline -q` under a bounded mixed flood on loopback (short
//! TCP connections to a local listener, a quarter of them ended by a reset;
//! UDP datagrams from ever new source ports), with the capture's VmRSS
//! sampled every second. A leak shows as RSS still climbing once the flow
//! tracker's bounds (100,000 live and 100,000 reported flows, 1,000,000
//! timeline events) are full, which the flood reaches within the first
//! minutes; so the verdict looks at the last half of the samples.
//!
//!     cargo bench --bench soak_capture                 # 600 s
//!     SOAK_SECS=30 cargo bench --bench soak_capture    # smoke run
//!
//! Fails when RSS exceeds `RSS_BOUND_MIB` (the README's budget for these flags
//! plus the 32 MiB ring) or, for runs of at least `MIN_VERDICT_SECS`, when it
//! grew more than 10% over the last half. Needs root (CAP_NET_RAW).

#[path = "udp_blast_common.rs"]
mod udp_blast_common;

use socket2::SockRef;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use udp_blast_common::{spawn_capture, stop_capture};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");
/// The README's budget for `--flows --timeline` (147 MiB peak measured on a
/// 300,000-flow flood) with headroom, plus the 32 MiB ring once touched.
const RSS_BOUND_MIB: f64 = 256.0;
/// Shorter runs may end before the tracker's bounds are full, so their
/// growth is expected and only the bound applies.
const MIN_VERDICT_SECS: u64 = 120;
/// The flood's pace: TCP connections and UDP sockets per second (bounded so
/// that TIME_WAIT never exhausts the ephemeral ports).
const TCP_PER_SEC: u64 = 300;
const UDP_SOCKETS_PER_SEC: u64 = 600;
/// Request/answer rounds per TCP connection: many segments per flow, so the
/// timeline event bound is reached early.
const ROUNDS: usize = 8;

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Accepts connections and echoes each request until the peer goes.
fn serve_tcp(listener: TcpListener, stop: Arc<AtomicBool>) {
    for conn in listener.incoming() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let Ok(mut conn) = conn else { continue };
        std::thread::spawn(move || {
            let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 512];
            while let Ok(n) = conn.read(&mut buf) {
                if n == 0 || conn.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        });
    }
}

/// Short connections at `TCP_PER_SEC`: a few echoed rounds, then a close, or
/// (every fourth) an abortive close that sends a reset.
fn tcp_flood(addr: std::net::SocketAddr, stop: Arc<AtomicBool>, done: Arc<AtomicU64>) {
    paced(TCP_PER_SEC, &stop, |n| {
        let Ok(mut s) = TcpStream::connect(addr) else {
            return;
        };
        let _ = s.set_nodelay(true);
        let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
        let mut buf = [0u8; 64];
        for round in 0..ROUNDS {
            let msg = [round as u8; 48];
            if s.write_all(&msg).is_err() || s.read_exact(&mut buf[..48]).is_err() {
                break;
            }
        }
        if n.is_multiple_of(4) {
            let _ = SockRef::from(&s).set_linger(Some(Duration::ZERO));
        }
        drop(s);
        done.fetch_add(1, Ordering::Relaxed);
    });
}

/// Datagrams from a new source port each time (a new flow each) at
/// `UDP_SOCKETS_PER_SEC`, three per socket.
fn udp_flood(sink: std::net::SocketAddr, stop: Arc<AtomicBool>, done: Arc<AtomicU64>) {
    paced(UDP_SOCKETS_PER_SEC, &stop, |_| {
        let Ok(s) = UdpSocket::bind("127.0.0.1:0") else {
            return;
        };
        for i in 0..3u8 {
            let _ = s.send_to(&[i; 100], sink);
        }
        done.fetch_add(3, Ordering::Relaxed);
    });
}

/// Calls `each` with 1, 2, 3 … `per_sec` times a second until `stop`.
fn paced(per_sec: u64, stop: &AtomicBool, mut each: impl FnMut(u64)) {
    let start = Instant::now();
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let due = start + Duration::from_micros(n * 1_000_000 / per_sec);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        n += 1;
        each(n);
    }
}

fn main() {
    let secs: u64 = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600)
        .max(2);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a TCP listener on lo");
    let tcp_addr = listener.local_addr().expect("listener address");
    let udp_sink = UdpSocket::bind("127.0.0.1:0").expect("bind a UDP sink on lo");
    let udp_addr = udp_sink.local_addr().expect("sink address");
    let filter = format!(
        "tcp port {} or udp port {}",
        tcp_addr.port(),
        udp_addr.port()
    );
    let Some(cap) = spawn_capture(Command::new(BIN).args([
        "capture",
        "-i",
        "lo",
        "--flows",
        "--timeline",
        "-q",
        &filter,
    ])) else {
        eprintln!("soak_capture: cannot start the capture (needs root / CAP_NET_RAW): skipped");
        return;
    };
    let pid = cap.pid();
    let stop = Arc::new(AtomicBool::new(false));
    let (conns, dgrams) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let mut threads = Vec::new();
    {
        let stop = stop.clone();
        std::thread::spawn(move || serve_tcp(listener, stop));
    }
    {
        let (stop, conns) = (stop.clone(), conns.clone());
        threads.push(std::thread::spawn(move || tcp_flood(tcp_addr, stop, conns)));
    }
    {
        let (stop, dgrams) = (stop.clone(), dgrams.clone());
        threads.push(std::thread::spawn(move || {
            udp_flood(udp_addr, stop, dgrams)
        }));
    }
    // The sink drains its queue so the kernel never drops for a full buffer.
    std::thread::spawn(move || {
        let mut buf = [0u8; 2048];
        while udp_sink.recv(&mut buf).is_ok() {}
    });

    eprintln!("soak_capture: {secs} s, filter '{filter}', capture pid {pid}");
    let start = Instant::now();
    let mut samples: Vec<u64> = Vec::new();
    for i in 1..=secs {
        let due = start + Duration::from_secs(i);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let Some(kib) = rss_kib(pid) else {
            eprintln!("soak_capture: the capture exited after {i} s");
            std::process::exit(1);
        };
        samples.push(kib);
        if i.is_multiple_of(30) {
            eprintln!(
                "  {i:>4} s  RSS {:>7.1} MiB  {} connections  {} datagrams",
                kib as f64 / 1024.0,
                conns.load(Ordering::Relaxed),
                dgrams.load(Ordering::Relaxed)
            );
        }
    }
    stop.store(true, Ordering::Relaxed);
    let _ = TcpStream::connect(tcp_addr); // wakes the accept loop
    for t in threads {
        let _ = t.join();
    }
    let counters = stop_capture(cap);

    let mib = |k: u64| k as f64 / 1024.0;
    let min = samples.iter().copied().min().unwrap_or(0);
    let max = samples.iter().copied().max().unwrap_or(0);
    let last = samples.last().copied().unwrap_or(0);
    let half = &samples[samples.len() / 2..];
    let slope = slope_kib_per_s(half);
    let first_half_start = half.first().copied().unwrap_or(0);
    let growth = if first_half_start > 0 {
        (last as f64 - first_half_start as f64) / first_half_start as f64 * 100.0
    } else {
        0.0
    };
    println!(
        "soak_capture: {} s, {} TCP connections, {} UDP datagrams",
        samples.len(),
        conns.load(Ordering::Relaxed),
        dgrams.load(Ordering::Relaxed)
    );
    if let Some(c) = counters {
        println!(
            "  capture: {} captured, {} received by filter, {} dropped by kernel",
            c.captured, c.received, c.dropped
        );
    }
    println!(
        "  VmRSS min {:.1} MiB, max {:.1} MiB, last {:.1} MiB; last half: {:+.1}% ({:+.2} KiB/s)",
        mib(min),
        mib(max),
        mib(last),
        growth,
        slope
    );
    let mut failed = false;
    if mib(max) > RSS_BOUND_MIB {
        println!("  FAIL: RSS above the {RSS_BOUND_MIB} MiB bound");
        failed = true;
    }
    if secs >= MIN_VERDICT_SECS && growth > 10.0 {
        println!("  FAIL: RSS grew more than 10% over the last half");
        failed = true;
    } else if secs < MIN_VERDICT_SECS {
        println!(
            "  (shorter than {MIN_VERDICT_SECS} s: growth not judged, bounds may not be full)"
        );
    }
    if failed {
        std::process::exit(1);
    }
}

/// Least-squares slope of the samples (KiB per one-second sample).
fn slope_kib_per_s(ys: &[u64]) -> f64 {
    let n = ys.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mx = (n - 1.0) / 2.0;
    let my = ys.iter().map(|&y| y as f64).sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, &y) in ys.iter().enumerate() {
        let dx = i as f64 - mx;
        num += dx * (y as f64 - my);
        den += dx * dx;
    }
    num / den
}
