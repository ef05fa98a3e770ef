//! Benchmark: `sockscope follow FILE --write-dir DIR` (every stream)
//! against `tshark -q -z follow,tcp,raw,0` (one stream) on the same
//! ~700k-packet capture, in the same run; then the memory of following a
//! capture of 1M connections, each leaving a hole (so every stream holds
//! data), under the default and a small `--max-memory`.
//!
//! `cargo bench --bench follow_vs_tshark` (needs tshark and GNU time;
//! captures are cached under target/bench-data/). Prints best-of-3 wall
//! time, peak RSS and the ratio.

#[path = "bench_common.rs"]
mod common;

use common::{Conn, Pcap, create_pcap, data_dir, measure, put};
use std::path::Path;
use std::process::Command;

/// One TCP frame between 10.2.x.y:port and 10.9.0.1:80.
fn tcp(client: [u8; 4], cport: u16, fc: bool, seq: u32, ack: u32, fl: &str, d: &[u8]) -> Vec<u8> {
    let conn = Conn {
        client: (client, cport),
        server: ([10, 9, 0, 1], 80),
        window: 65535,
    };
    conn.frame(fc, seq, ack, fl, d)
}

/// 7,000 sessions of 45 request/reply pairs (about 680k packets).
fn generate_sessions(path: &Path) {
    let mut w = create_pcap(path);
    let mut t = 1_709_294_400u64 * 1_000_000;
    let req = b"GET /item HTTP/1.1\r\nHost: bench\r\n\r\n";
    let rep = vec![b'r'; 600];
    for c in 0..7_000u32 {
        let client = [10, 2, (c >> 8) as u8, c as u8];
        let cport = 10_000 + (c % 50_000) as u16;
        let (mut cs, mut ss) = (c.wrapping_mul(7919), c.wrapping_mul(104_729));
        let mut f = |w: &mut Pcap, fc: bool, seq: u32, ack: u32, fl: &str, d: &[u8]| {
            t += 5;
            put(w, t, &tcp(client, cport, fc, seq, ack, fl, d));
        };
        f(&mut w, true, cs, 0, "S", b"");
        f(&mut w, false, ss, cs + 1, "SA", b"");
        cs += 1;
        ss += 1;
        f(&mut w, true, cs, ss, "A", b"");
        for _ in 0..45 {
            f(&mut w, true, cs, ss, "PA", req);
            cs += req.len() as u32;
            f(&mut w, false, ss, cs, "PA", &rep);
            ss += rep.len() as u32;
        }
        f(&mut w, true, cs, ss, "FA", b"");
        f(&mut w, false, ss, cs + 1, "FA", b"");
        f(&mut w, true, cs + 1, ss + 1, "A", b"");
    }
}

/// 1M connections: a SYN, then 200 bytes after a 1000-byte hole, so every
/// stream holds data until its flow leaves the table.
fn generate_flood(path: &Path) {
    let mut w = create_pcap(path);
    let mut t = 1_709_294_400u64 * 1_000_000;
    let data = vec![b'h'; 200];
    for c in 0..1_000_000u32 {
        let client = [10, 3 + (c >> 16) as u8, (c >> 8) as u8, c as u8];
        let cport = 1024 + (c % 60_000) as u16;
        let isn = c.wrapping_mul(2_654_435_761);
        t += 2;
        put(&mut w, t, &tcp(client, cport, true, isn, 0, "S", b""));
        t += 2;
        put(
            &mut w,
            t,
            &tcp(client, cport, true, isn + 1001, 1, "PA", &data),
        );
    }
}

fn main() {
    if !Path::new("/usr/bin/time").exists() || Command::new("tshark").arg("-v").output().is_err() {
        eprintln!("SKIPPED: needs tshark and /usr/bin/time");
        return;
    }
    let ours = env!("CARGO_BIN_EXE_sockscope");
    let sessions = data_dir().join("follow_sessions.pcap");
    if !sessions.exists() {
        eprintln!("generating {} ...", sessions.display());
        generate_sessions(&sessions);
    }
    let out_dir = data_dir().join("follow_out");
    let _ = std::fs::remove_dir_all(&out_dir);
    let s = sessions.to_str().unwrap();
    let d = out_dir.to_str().unwrap();
    println!(
        "capture: {s} ({:.1} MiB)",
        std::fs::metadata(&sessions).unwrap().len() as f64 / 1048576.0
    );
    let c = measure(&[ours, "follow", s, "--write-dir", d], 3);
    let (ours_s, ours_rss) = (c.wall, c.rss_kib);
    let files = std::fs::read_dir(&out_dir).map(|r| r.count()).unwrap_or(0);
    println!(
        "sockscope follow --write-dir (all 7000 streams, {files} files) {ours_s:>8.3} s  peak RSS {ours_rss:>8} KiB"
    );
    let c = measure(&[ours, "follow", s, "--stream", "0", "--format", "raw"], 3);
    let (one_s, one_rss) = (c.wall, c.rss_kib);
    println!(
        "sockscope follow --stream 0 --format raw              {one_s:>8.3} s  peak RSS {one_rss:>8} KiB"
    );
    let c = measure(&["tshark", "-r", s, "-q", "-z", "follow,tcp,raw,0"], 3);
    let (ts_s, ts_rss) = (c.wall, c.rss_kib);
    println!(
        "tshark -q -z follow,tcp,raw,0 (one stream)            {ts_s:>8.3} s  peak RSS {ts_rss:>8} KiB"
    );
    println!(
        "ratio tshark(one stream) / sockscope(every stream): {:.2}x",
        ts_s / ours_s
    );
    println!(
        "ratio tshark(one stream) / sockscope(one stream):   {:.2}x",
        ts_s / one_s
    );
    let _ = std::fs::remove_dir_all(&out_dir);

    let flood = data_dir().join("follow_flood.pcap");
    if !flood.exists() {
        eprintln!("generating {} ...", flood.display());
        generate_flood(&flood);
    }
    let f = flood.to_str().unwrap();
    for mem in ["256M", "64M", "16M", "4M"] {
        let c = measure(
            &[ours, "follow", f, "--format", "json", "--max-memory", mem],
            1,
        );
        let (secs, rss) = (c.wall, c.rss_kib);
        println!(
            "1M connections, follow --format json --max-memory {mem:<5} {secs:>8.3} s  peak RSS {rss:>8} KiB"
        );
    }
    let c = measure(&[ours, "read", f, "--flows", "-q"], 1);
    let (secs, rss) = (c.wall, c.rss_kib);
    println!(
        "1M connections, read --flows -q (no reassembly)        {secs:>8.3} s  peak RSS {rss:>8} KiB"
    );
}
