//! What the file benchmarks share: where generated captures are cached, a
//! classic pcap writer, one TCP frame builder, and one way to time a
//! command (GNU time's CPU seconds and peak RSS beside the wall clock).
//! Included by each bench with `#[path = "bench_common.rs"] mod common;`.

#![allow(dead_code)]

use etherparse::PacketBuilder;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// `target/bench-data/`, created on first use: captures are generated once.
pub fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub type Pcap = BufWriter<std::fs::File>;

/// A classic pcap on `path`: little-endian, microseconds, snap length
/// 262144, Ethernet.
pub fn create_pcap(path: &Path) -> Pcap {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    let mut hdr = Vec::new();
    hdr.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    hdr.extend_from_slice(&[2, 0, 4, 0]);
    hdr.extend_from_slice(&[0; 8]);
    hdr.extend_from_slice(&262_144u32.to_le_bytes());
    hdr.extend_from_slice(&1u32.to_le_bytes());
    w.write_all(&hdr).unwrap();
    w
}

/// One whole record at `t_us` microseconds after the epoch.
pub fn put(w: &mut Pcap, t_us: u64, frame: &[u8]) {
    let mut rec = Vec::with_capacity(16);
    rec.extend_from_slice(&((t_us / 1_000_000) as u32).to_le_bytes());
    rec.extend_from_slice(&((t_us % 1_000_000) as u32).to_le_bytes());
    rec.extend_from_slice(&(frame.len() as u32).to_le_bytes());
    rec.extend_from_slice(&(frame.len() as u32).to_le_bytes());
    w.write_all(&rec).unwrap();
    w.write_all(frame).unwrap();
}

/// Both ends of a generated TCP connection and the window both advertise.
pub struct Conn {
    pub client: ([u8; 4], u16),
    pub server: ([u8; 4], u16),
    pub window: u16,
}

impl Conn {
    /// One Ethernet/IPv4/TCP frame; `flags` are letters: S, F, P, and A
    /// (or tcpdump's `.`) to acknowledge `ack`.
    pub fn frame(
        &self,
        from_client: bool,
        seq: u32,
        ack: u32,
        flags: &str,
        data: &[u8],
    ) -> Vec<u8> {
        let ((s, sp), (d, dp)) = if from_client {
            (self.client, self.server)
        } else {
            (self.server, self.client)
        };
        let mut b =
            PacketBuilder::ethernet2([2; 6], [4; 6])
                .ipv4(s, d, 64)
                .tcp(sp, dp, seq, self.window);
        for ch in flags.chars() {
            b = match ch {
                'S' => b.syn(),
                'F' => b.fin(),
                'P' => b.psh(),
                'A' | '.' => b.ack(ack),
                _ => b,
            };
        }
        let mut v = Vec::with_capacity(64 + data.len());
        b.write(&mut v, data).unwrap();
        v
    }
}

/// One command's cost over several runs: the best wall and CPU (user +
/// system) seconds, and the peak RSS (KiB) of the last run. CPU time is the
/// fair figure on a shared machine: waiting for a core does not count.
pub struct Cost {
    pub wall: f64,
    pub cpu: f64,
    pub rss_kib: u64,
    /// The first line the command printed on stdout.
    pub first_line: String,
    /// Every run exited 0.
    pub ok: bool,
}

/// Run `cmd` `runs` times under GNU time (TZ=UTC, stdout to /dev/null); a
/// failed run is said on stderr and in [`Cost::ok`].
pub fn measure(cmd: &[&str], runs: usize) -> Cost {
    run(cmd, runs, false)
}

/// [`measure`], keeping the first line the command prints.
pub fn measure_with_output(cmd: &[&str], runs: usize) -> Cost {
    run(cmd, runs, true)
}

fn run(cmd: &[&str], runs: usize, keep_stdout: bool) -> Cost {
    let mut cost = Cost {
        wall: f64::MAX,
        cpu: f64::MAX,
        rss_kib: 0,
        first_line: String::new(),
        ok: true,
    };
    for _ in 0..runs {
        let start = Instant::now();
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%U %S %M"])
            .args(cmd)
            .env("TZ", "UTC")
            .stdin(Stdio::null())
            .stdout(if keep_stdout {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stderr(Stdio::piped())
            .output()
            .expect("GNU time runs");
        cost.wall = cost.wall.min(start.elapsed().as_secs_f64());
        let err = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            eprintln!("{cmd:?} failed: {err}");
            cost.ok = false;
        }
        let last = err.lines().next_back().unwrap_or("");
        let v: Vec<f64> = last.split(' ').filter_map(|x| x.parse().ok()).collect();
        if let [user, sys, rss] = v[..] {
            cost.cpu = cost.cpu.min(user + sys);
            cost.rss_kib = rss as u64;
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        cost.first_line = stdout.lines().next().unwrap_or("").to_string();
    }
    cost
}
