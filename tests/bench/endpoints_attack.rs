//! Idle-connection attack on `sockscope serve tcp-echo` with its default
//! limits (the real binary, its own process): a well-behaved client makes
//! one-line exchanges, each on a new connection, first alone, then while
//! 10,050 silent connections (more than the default --max-clients of
//! 10,000) from 127.0.0.2 … 127.0.0.6 sit on the server, then while the
//! attacker keeps opening more. Reports the client's success rate and p99
//! latency in each phase; exits 1 if the client lost any answer.
//! Loopback only; every loop is bounded in count and time.
//!
//!     cargo bench --bench endpoints_attack
//!     SILENT=2000 ROUNDS=100 cargo bench --bench endpoints_attack

#[path = "endpoints_common_server.rs"]
mod common_server;
#[path = "../support/mod.rs"]
mod support;

use common_server::{EchoProcess, env_num};
use socket2::{Domain, Socket, Type};
use sockscope::endpoints::TcpSession;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const T: Duration = Duration::from_secs(2);

/// A silent connection from 127.0.0.`src`.
fn silent(src: u8, to: SocketAddr) -> Option<Socket> {
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).ok()?;
    s.bind(&SocketAddr::from((Ipv4Addr::new(127, 0, 0, src), 0)).into())
        .ok()?;
    s.connect_timeout(&to.into(), T).ok()?;
    Some(s)
}

/// `rounds` exchanges, each on a new connection: (success rate, p50, p99).
fn good_client(addr: SocketAddr, rounds: usize) -> (f64, Duration, Duration) {
    let mut ok = 0;
    let mut lat = Vec::with_capacity(rounds);
    for i in 0..rounds {
        let msg = format!("hello {i}");
        let t = Instant::now();
        let r = TcpSession::connect(addr, T).and_then(|mut s| {
            let reply = s.request(&msg)?;
            let _ = s.close();
            Ok(reply)
        });
        lat.push(t.elapsed());
        match r {
            Ok(reply) if reply == msg => ok += 1,
            Ok(reply) => println!("  round {i}: wrong reply {reply:?} after {:?}", t.elapsed()),
            Err(e) => println!("  round {i}: {e} after {:?}", t.elapsed()),
        }
    }
    lat.sort_unstable();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    (ok as f64 / rounds as f64, pct(0.5), pct(0.99))
}

fn report(label: &str, (rate, p50, p99): (f64, Duration, Duration)) {
    println!(
        "{label:<44} success {:>6.2}%  p50 {:>7} µs  p99 {:>7} µs",
        rate * 100.0,
        p50.as_micros(),
        p99.as_micros()
    );
}

fn main() {
    let silent_n = env_num("SILENT", 10_050);
    let rounds = env_num("ROUNDS", 500);
    let mut server = EchoProcess::start_default();
    let addr = server.addr;
    println!("tcp-echo on {addr}, default limits (max-clients 10,000, per source 2,500)");

    let before = good_client(addr, rounds);
    report("alone", before);

    let t = Instant::now();
    let mut held = Vec::with_capacity(silent_n);
    for i in 0..silent_n {
        let src = 2 + (i % 5) as u8;
        held.extend(silent(src, addr));
    }
    println!(
        "{} silent connections opened in {:.1} s",
        held.len(),
        t.elapsed().as_secs_f64()
    );
    let during = good_client(addr, rounds);
    report("beside them", during);

    // The attacker keeps opening (at most 5,000 more, at most 20 s).
    let stop = Arc::new(AtomicBool::new(false));
    let opened = Arc::new(AtomicUsize::new(0));
    let (flag, count) = (Arc::clone(&stop), Arc::clone(&opened));
    let churn = thread::spawn(move || {
        let mut more = Vec::new();
        let end = Instant::now() + Duration::from_secs(20);
        let mut i = 0usize;
        while !flag.load(Ordering::Relaxed) && more.len() < 5000 && Instant::now() < end {
            more.extend(silent(2 + (i % 5) as u8, addr));
            i += 1;
            count.store(more.len(), Ordering::Relaxed);
        }
        more
    });
    let churning = good_client(addr, rounds);
    stop.store(true, Ordering::Relaxed);
    let more = churn.join().unwrap_or_default();
    report(
        &format!("while {} more are opened", opened.load(Ordering::Relaxed)),
        churning,
    );
    drop((held, more));
    let alive = server.alive();
    println!("server alive afterwards: {alive}");
    let lost = [before, during, churning].iter().any(|r| r.0 < 1.0);
    if lost || !alive {
        println!("FAIL: the well-behaved client lost answers");
        std::process::exit(1);
    }
}
