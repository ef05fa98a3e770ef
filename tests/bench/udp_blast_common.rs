//! What the live-capture benchmarks share: a UDP blaster on loopback, and
//! starting / stopping a capture tool (`sockscope capture` or `tcpdump`)
//! while reading its end-of-capture counters and CPU time.

// Each benchmark that includes this file uses only part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

pub const PAYLOAD: usize = 64;

/// A capture's end-of-run numbers: the tool's own three counter lines
/// (the same words in sockscope and tcpdump) and the CPU it used.
pub struct Counters {
    pub captured: u64,
    /// Packets the kernel's filter accepted (PACKET_STATISTICS tp_packets).
    pub received: u64,
    pub dropped: u64,
    /// `capture --threads N`: packets each ring's worker took ("ring I: N
    /// packets captured, …" lines); empty for one ring.
    pub rings: Vec<u64>,
    /// The same lines' kernel drop counter of each ring ("…, D dropped by
    /// kernel"), in the same order.
    pub ring_drops: Vec<u64>,
    /// User + system CPU of the capture process over its whole life
    /// (start-up included), from wait4(2)'s rusage.
    pub cpu: Duration,
    /// Its context switches over its whole life (voluntary: a thread
    /// went to sleep; involuntary: it was preempted), from the same rusage.
    pub switches: u64,
    /// `perf stat -e task-clock,context-switches` attached to it while the
    /// load ran (start-up and the end excluded), when perf is installed.
    pub perf: Option<PerfStat>,
}

/// What `perf stat -p PID -e task-clock,context-switches` counted.
#[derive(Clone, Debug)]
pub struct PerfStat {
    /// CPU time of all the process's threads while perf was attached.
    pub task_clock: Duration,
    /// The same per thread name (threads of one name summed), in the
    /// order perf printed them: `capture --threads N` names its workers
    /// `ring 0` … and the merging thread keeps the program's name.
    pub threads: Vec<(String, Duration)>,
    pub switches: u64,
    /// Page faults (minor: pages touched for the first time, or again
    /// after the allocator gave them back).
    pub faults: u64,
}

/// `perf stat` attached to a running process (see [`perf_finish`]).
pub struct Perf {
    child: Child,
    out: std::path::PathBuf,
}

/// Attach `perf stat -e task-clock,context-switches` to `pid`; `None`
/// without perf (or `BLAST_PERF=0`).
pub fn perf_attach(pid: u32) -> Option<Perf> {
    if std::env::var("BLAST_PERF").is_ok_and(|v| v == "0") {
        return None;
    }
    let out = std::env::temp_dir().join(format!("blast-perf-{pid}.csv"));
    let child = Command::new("perf")
        .args([
            "stat",
            "-x,",
            "--per-thread",
            "-e",
            "task-clock,context-switches,page-faults",
            "-o",
        ])
        .arg(&out)
        .args(["-p", &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // perf needs a moment to open its counters on every thread.
    std::thread::sleep(Duration::from_millis(200));
    Some(Perf { child, out })
}

/// Stop perf (SIGINT makes it print) and read its two counts.
pub fn perf_finish(mut perf: Perf) -> Option<PerfStat> {
    // SAFETY: kill(2) on the pid of our own child process, not yet reaped.
    unsafe { libc::kill(perf.child.id() as libc::pid_t, libc::SIGINT) };
    perf.child.wait().ok()?;
    let text = std::fs::read_to_string(&perf.out).ok()?;
    let _ = std::fs::remove_file(&perf.out);
    // --per-thread: "comm-tid,value,unit,event,…" a thread and event a
    // line ("<not counted>" for threads that ended or never ran).
    let (mut ms, mut switches, mut faults) = (None, None, None);
    let mut threads: Vec<(String, f64)> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split(',').collect();
        let (Some(thread), Some(value), Some(event)) = (f.first(), f.get(1), f.get(3)) else {
            continue;
        };
        let Ok(v) = value.parse::<f64>() else {
            continue;
        };
        match *event {
            "task-clock" => {
                *ms.get_or_insert(0.0) += v;
                let name = thread.rsplit_once('-').map_or(*thread, |(n, _)| n);
                match threads.iter_mut().find(|(n, _)| n == name) {
                    Some((_, t)) => *t += v,
                    None => threads.push((name.to_string(), v)),
                }
            }
            "context-switches" => *switches.get_or_insert(0) += v as u64,
            "page-faults" => *faults.get_or_insert(0) += v as u64,
            _ => {}
        }
    }
    Some(PerfStat {
        task_clock: Duration::from_secs_f64(ms? / 1000.0),
        threads: threads
            .into_iter()
            .map(|(n, ms)| (n, Duration::from_secs_f64(ms / 1000.0)))
            .collect(),
        switches: switches?,
        faults: faults.unwrap_or(0),
    })
}

/// A running capture tool; its stderr is read by a thread into `lines`.
pub struct Capture {
    child: Child,
    lines: Receiver<String>,
}

impl Capture {
    /// The capture process's id (for sampling its /proc entries).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Start `cmd` and wait until it says it is listening; `None` if it cannot
/// start or never gets there (no CAP_NET_RAW, tool missing).
pub fn spawn_capture(cmd: &mut Command) -> Option<Capture> {
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
                let _ = child.wait();
                return None;
            }
        }
    }
    Some(Capture { child, lines: rx })
}

/// SIGINT the capture (both tools then print their counters), reap it and
/// parse the counters; `None` if any of the three lines is missing.
pub fn stop_capture(cap: Capture) -> Option<Counters> {
    let pid = cap.child.id() as libc::pid_t;
    // SAFETY: kill(2) on the pid of our own child process, not yet reaped.
    if unsafe { libc::kill(pid, libc::SIGINT) } != 0 {
        return None;
    }
    // wait4 rather than Child::wait: it also hands back the child's rusage.
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `status` and `ru` are writable; `pid` is our unreaped child.
    if unsafe { libc::wait4(pid, &mut status, 0, &mut ru) } != pid {
        return None;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let mut c = Counters {
        captured: 0,
        received: 0,
        dropped: 0,
        rings: Vec::new(),
        ring_drops: Vec::new(),
        cpu: tv(ru.ru_utime) + tv(ru.ru_stime),
        switches: (ru.ru_nvcsw + ru.ru_nivcsw) as u64,
        perf: None,
    };
    let mut seen = 0;
    // The counter lines as they came (shown when one is missing).
    let mut counters = Vec::new();
    // What else the tool said, shown when a counter is missing (a panic,
    // an error, a signal).
    let mut other = Vec::new();
    while let Ok(l) = cap.lines.recv_timeout(Duration::from_secs(2)) {
        if let Some(ring) = l.strip_prefix("ring ") {
            let n = ring.split(' ').nth(1).and_then(|n| n.parse::<u64>().ok());
            c.rings.extend(n);
            let dropped = ring
                .strip_suffix(" dropped by kernel")
                .and_then(|r| r.rsplit(' ').next())
                .and_then(|n| n.parse::<u64>().ok());
            c.ring_drops.extend(dropped);
            continue;
        }
        let n = l.split(' ').next().and_then(|n| n.parse::<u64>().ok());
        let Some(n) = n else {
            other.push(l);
            continue;
        };
        if l.ends_with("packets captured") {
            counters.push(l.clone());
            c.captured = n;
            seen += 1;
        } else if l.ends_with("packets received by filter") {
            counters.push(l.clone());
            c.received = n;
            seen += 1;
        } else if l.ends_with("packets dropped by kernel") {
            counters.push(l.clone());
            c.dropped = n;
            seen += 1;
        } else {
            other.push(l);
        }
    }
    if seen != 3 {
        println!(
            "counters missing: wait status {status:#x}; {seen} of 3 counter lines ({counters:?}); the tool's other stderr lines:"
        );
        for l in other.iter().rev().take(20).rev() {
            println!("    {l}");
        }
    }
    (seen == 3).then_some(c)
}

/// Send `PAYLOAD`-byte datagrams to `sink` from `threads` threads at `rate`
/// per second in total (0 = flat out) for `secs`; returns how many the
/// kernel accepted.
pub fn blast(sink: SocketAddr, rate: u64, secs: f64, threads: u64) -> u64 {
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

/// A sink on lo that never reads (datagrams pass the capture's tap, then
/// are dropped at its full socket buffer, which costs nothing), and the
/// capture command `argv`, filtered to the sink's port when `filtered`.
pub fn sink_and_capture(argv: &[&str], filtered: bool) -> (UdpSocket, SocketAddr, Command) {
    let sink = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sink.local_addr().unwrap();
    let mut cmd = Command::new(argv[0]);
    cmd.args(&argv[1..]);
    if filtered {
        cmd.args(["udp", "port", &addr.port().to_string()]);
    }
    (sink, addr, cmd)
}

/// The header of the tables [`row`] prints.
pub const ROW_HEADER: &str =
    "    rate/s  tool                      offered   captured       recv    dropped  drop %";

/// One table row: the rate, the tool, what was offered, the tool's three
/// counters and its drops in % of what the kernel's filter accepted.
pub fn row(rate: u64, name: &str, offered: u64, c: &Counters) -> String {
    format!(
        "{:>10}  {:<22} {:>10} {:>10} {:>10} {:>10} {:>6.2}%",
        rate_label(rate),
        name,
        offered,
        c.captured,
        c.received,
        c.dropped,
        100.0 * c.dropped as f64 / c.received.max(1) as f64
    )
}

/// A `BLAST_*` setting from the environment, or `default`.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// A rate as the tables print it: `max` for 0 (as fast as possible).
pub fn rate_label(rate: u64) -> String {
    if rate == 0 {
        "max".to_string()
    } else {
        rate.to_string()
    }
}

/// One row of a benchmark: start the capture `cmd`, attach `perf stat` to
/// it (when installed), run `load` (which returns how many packets it
/// offered), give the capture 300 ms to read the rest, detach, stop it. `None`, with a line saying why, when it could not
/// start or printed no counters.
pub fn measure(
    name: &str,
    cmd: &mut Command,
    load: impl FnOnce() -> u64,
) -> Option<(u64, Counters)> {
    let Some(cap) = spawn_capture(cmd) else {
        println!("{name}: could not start (needs root / CAP_NET_RAW)");
        return None;
    };
    let perf = perf_attach(cap.pid());
    let offered = load();
    std::thread::sleep(Duration::from_millis(300));
    let perf = perf.and_then(perf_finish);
    let Some(mut c) = stop_capture(cap) else {
        println!("{name}: no counters");
        return None;
    };
    c.perf = perf;
    Some((offered, c))
}

/// Datagrams per `sendmmsg` call.
const MMSG_BATCH: usize = 64;

/// [`blast`] with `sendmmsg(2)`: `threads` threads, each sending from
/// `flows` sockets of its own (distinct source ports, so a fanout group's
/// flow hash spreads them), `MMSG_BATCH` datagrams a call, at `rate` per
/// second in total (0 = as fast as the machine goes) for `secs`. Returns how
/// many the kernel accepted.
/// With `cpus` not empty each sender thread runs only on those CPUs (on
/// `lo` the receive path, the copy into the capture's ring included, runs
/// on the sender's CPU too).
pub fn blast_mmsg(
    sink: SocketAddr,
    rate: u64,
    secs: f64,
    threads: u64,
    flows: usize,
    cpus: &[usize],
) -> u64 {
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let cpus = cpus.to_vec();
            std::thread::spawn(move || {
                pin_to(&cpus);
                blast_mmsg_one(sink, rate / threads, secs, flows)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
}

/// Keep the calling thread on `cpus` (nothing when empty).
pub fn pin_to(cpus: &[usize]) {
    if cpus.is_empty() {
        return;
    }
    // SAFETY: an all-zero cpu_set_t is the empty set; CPU_SET and
    // sched_setaffinity only read and write that local set.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for &c in cpus {
            libc::CPU_SET(c, &mut set);
        }
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            eprintln!("sched_setaffinity({cpus:?}) failed: the senders are not pinned");
        }
    }
}

/// A comma-separated list of CPU numbers from the environment (empty when
/// unset).
pub fn env_cpus(name: &str) -> Vec<usize> {
    std::env::var(name)
        .unwrap_or_default()
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect()
}

/// The `sendmmsg` datagrams' payload length: `BLAST_PAYLOAD` bytes (up to
/// 8,000, within lo's MTU), else `PAYLOAD`. Longer datagrams cost a capture
/// that prints hex dumps much more a packet and the sender little more.
pub fn payload_len() -> usize {
    env_or::<usize>("BLAST_PAYLOAD", PAYLOAD).clamp(1, 8_000)
}

fn blast_mmsg_one(sink: SocketAddr, rate: u64, secs: f64, flows: usize) -> u64 {
    use std::os::fd::AsRawFd;
    let socks: Vec<UdpSocket> = (0..flows.max(1))
        .map(|_| {
            let s = UdpSocket::bind("127.0.0.1:0").unwrap();
            s.connect(sink).unwrap();
            s
        })
        .collect();
    let buf = vec![0x42u8; payload_len()];
    let mut iov = libc::iovec {
        iov_base: buf.as_ptr() as *mut libc::c_void,
        iov_len: buf.len(),
    };
    // SAFETY: all-zero is a valid mmsghdr (no name, no control).
    let mut msgs: Vec<libc::mmsghdr> = (0..MMSG_BATCH)
        .map(|_| unsafe { std::mem::zeroed() })
        .collect();
    for m in &mut msgs {
        m.msg_hdr.msg_iov = &mut iov;
        m.msg_hdr.msg_iovlen = 1;
    }
    let start = Instant::now();
    let end = Duration::from_secs_f64(secs);
    let (mut sent, mut turn) = (0u64, 0usize);
    loop {
        let el = start.elapsed();
        if el >= end {
            break;
        }
        if rate != 0 && sent >= (el.as_secs_f64() * rate as f64) as u64 {
            std::thread::sleep(Duration::from_micros(200));
            continue;
        }
        let fd = socks[turn % socks.len()].as_raw_fd();
        turn += 1;
        // SAFETY: `msgs` holds MMSG_BATCH valid headers whose one iovec
        // points at `buf`, all alive for the call; the socket is connected.
        let n = unsafe { libc::sendmmsg(fd, msgs.as_mut_ptr(), MMSG_BATCH as u32, 0) };
        if n > 0 {
            sent += n as u64;
        }
    }
    sent
}
