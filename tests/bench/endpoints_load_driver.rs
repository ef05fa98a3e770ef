//! Load driver shared by the load test (bounded) and the load benchmark
//! (1,000 clients × 100 messages): well-behaved clients doing request/reply
//! round trips, and misbehaving clients that try to hurt the server.

use socket2::SockRef;
use sockscope::endpoints::TcpSession;
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// Client threads do little; a small stack lets a thousand of them fit.
const STACK: usize = 128 * 1024;

/// What a run of well-behaved clients measured.
#[derive(Debug)]
pub struct LoadResult {
    pub clients: usize,
    pub messages: usize,
    pub elapsed: Duration,
    /// Connect, I/O or timeout failures.
    pub errors: u64,
    /// Replies that were not exactly the message sent.
    pub mismatches: u64,
    /// Round-trip latency percentiles.
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub first_error: Option<String>,
}

impl LoadResult {
    pub fn total(&self) -> usize {
        self.clients * self.messages
    }

    pub fn per_sec(&self) -> f64 {
        self.total() as f64 / self.elapsed.as_secs_f64()
    }
}

/// `clients` connections, all open before the clock starts, each sending
/// `messages` lines and checking every reply (echo server, not upper).
pub fn run_clients(addr: SocketAddr, clients: usize, messages: usize) -> LoadResult {
    let ready = Arc::new(Barrier::new(clients + 1));
    let go = Arc::new(Barrier::new(clients + 1));
    let errors = Arc::new(AtomicU64::new(0));
    let mismatches = Arc::new(AtomicU64::new(0));
    let mut threads = Vec::with_capacity(clients);
    for i in 0..clients {
        let (ready, go, errors, mismatches) = (
            Arc::clone(&ready),
            Arc::clone(&go),
            Arc::clone(&errors),
            Arc::clone(&mismatches),
        );
        let t = thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || -> (Vec<u32>, Option<String>) {
                let session = TcpSession::connect(addr, Duration::from_secs(30));
                ready.wait();
                go.wait();
                let mut s = match session {
                    Ok(s) => s,
                    Err(e) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        return (Vec::new(), Some(e.to_string()));
                    }
                };
                let mut lat = Vec::with_capacity(messages);
                for j in 0..messages {
                    let msg = format!("client {i:04} message {j:03} payload-abcdefgh");
                    let t0 = Instant::now();
                    match s.request(&msg) {
                        Ok(r) if r == msg => {}
                        Ok(_) => {
                            mismatches.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                            return (lat, Some(e.to_string()));
                        }
                    }
                    lat.push(t0.elapsed().as_micros() as u32);
                }
                if let Err(e) = s.close() {
                    errors.fetch_add(1, Ordering::Relaxed);
                    return (lat, Some(e.to_string()));
                }
                (lat, None)
            })
            .expect("spawn client thread");
        threads.push(t);
    }
    ready.wait();
    let start = Instant::now();
    go.wait();
    let mut all = Vec::with_capacity(clients * messages);
    let mut first_error = None;
    for t in threads {
        let (lat, err) = t
            .join()
            .unwrap_or_else(|_| (Vec::new(), Some("client panicked".into())));
        all.extend(lat);
        if first_error.is_none() {
            first_error = err;
        }
    }
    let elapsed = start.elapsed();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(Duration::ZERO, |&us| Duration::from_micros(us as u64))
    };
    LoadResult {
        clients,
        messages,
        elapsed,
        errors: errors.load(Ordering::Relaxed),
        mismatches: mismatches.load(Ordering::Relaxed),
        p50: pct(0.50),
        p99: pct(0.99),
        max: all
            .last()
            .map_or(Duration::ZERO, |&us| Duration::from_micros(us as u64)),
        first_error,
    }
}

/// Misbehaving clients running until dropped: `silent` connect and never
/// send; `flooders` send 10 MiB without a newline (again and again);
/// `resetters` send half a message and reset (again and again).
pub struct Misbehavers {
    stop: Arc<AtomicBool>,
    threads: Vec<thread::JoinHandle<()>>,
    /// Flood connections the server cut off before 10 MiB.
    pub floods_cut: Arc<AtomicU64>,
    /// Resets sent.
    pub resets: Arc<AtomicU64>,
    silent: Vec<TcpStream>,
}

impl Misbehavers {
    pub fn start(addr: SocketAddr, silent: usize, flooders: usize, resetters: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let floods_cut = Arc::new(AtomicU64::new(0));
        let resets = Arc::new(AtomicU64::new(0));
        let silent = (0..silent)
            .map(|_| TcpStream::connect(addr).expect("silent client connect"))
            .collect();
        let mut threads = Vec::new();
        for _ in 0..flooders {
            let (stop, cut) = (Arc::clone(&stop), Arc::clone(&floods_cut));
            threads.push(thread::spawn(move || {
                let chunk = vec![b'z'; 64 * 1024];
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mut s) = TcpStream::connect(addr) else {
                        thread::sleep(Duration::from_millis(10));
                        continue;
                    };
                    let mut sent = 0usize;
                    while sent < 10 << 20 && !stop.load(Ordering::Relaxed) {
                        match s.write(&chunk) {
                            Ok(n) => sent += n,
                            Err(_) => break,
                        }
                    }
                    if sent < 10 << 20 && !stop.load(Ordering::Relaxed) {
                        cut.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        for _ in 0..resetters {
            let (stop, resets) = (Arc::clone(&stop), Arc::clone(&resets));
            threads.push(thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Ok(mut s) = TcpStream::connect(addr) {
                        let _ = s.write_all(b"half a mess");
                        thread::sleep(Duration::from_millis(5));
                        let _ = SockRef::from(&s).set_linger(Some(Duration::ZERO));
                        resets.fetch_add(1, Ordering::Relaxed);
                    }
                    thread::sleep(Duration::from_millis(5));
                }
            }));
        }
        Misbehavers {
            stop,
            threads,
            floods_cut,
            resets,
            silent,
        }
    }

    /// Silent clients still connected (the server must not have closed them
    /// before its idle timeout).
    pub fn silent_still_open(&self) -> usize {
        let mut buf = [0u8; 1];
        self.silent
            .iter()
            .filter(|s| {
                s.set_nonblocking(true).ok();
                let open = matches!(s.peek(&mut buf), Err(ref e) if e.kind() == std::io::ErrorKind::WouldBlock);
                s.set_nonblocking(false).ok();
                open
            })
            .count()
    }

    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            let _ = t.join();
        }
    }
}

/// Peak and current resident memory of a process, from /proc/PID/status.
pub fn rss_kib(pid: u32) -> Option<(u64, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}
