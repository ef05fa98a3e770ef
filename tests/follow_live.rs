//! A transfer through loopback, captured live and followed with
//! `--write-dir`: the client's file must come out byte for byte (and so
//! with the same sha256). Needs CAP_NET_RAW: skips without it, fails under
//! SOCKSCOPE_REQUIRE_LIVE=1. `SOCKSCOPE_FOLLOW_MIB` sets the size (default
//! 48 MiB, well under a minute here; the README's figure used 400).

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};
use support::bin::{BIN, Listening};
use support::live::live_allowed;

/// Deterministic bytes: the client sends them, the test regenerates them.
fn fill(buf: &mut [u8], state: &mut u64) {
    for chunk in buf.chunks_mut(8) {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let b = state.to_le_bytes();
        chunk.copy_from_slice(&b[..chunk.len()]);
    }
}

fn sha256(path: &std::path::Path) -> Option<String> {
    let out = Command::new("sha256sum").arg(path).output().ok()?;
    Some(
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .next()?
            .to_string(),
    )
}

#[test]
fn loopback_transfer_followed_to_files_is_byte_exact() {
    if !live_allowed() {
        return;
    }
    let mib: usize = std::env::var("SOCKSCOPE_FOLLOW_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = support::tempdir();
    let mut cmd = Command::new(BIN);
    cmd.args(["follow", "-i", "lo", "--write-dir", dir.to_str().unwrap()])
        .args(["tcp", "port", &port.to_string()])
        .env("TZ", "UTC");
    let follow = Listening::start(cmd);
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = vec![0u8; 1 << 20];
        let mut n = 0usize;
        loop {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(k) => n += k,
            }
        }
        n
    });
    let t = Instant::now();
    let sent = dir.join("sent.bin");
    {
        let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let mut f = std::io::BufWriter::new(std::fs::File::create(&sent).unwrap());
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut buf = vec![0u8; 1 << 20];
        for _ in 0..mib {
            fill(&mut buf, &mut state);
            c.write_all(&buf).unwrap();
            f.write_all(&buf).unwrap();
        }
    }
    let received = server.join().unwrap();
    assert_eq!(received, mib << 20);
    // Let the capture drain the last segments, then stop it.
    std::thread::sleep(Duration::from_millis(500));
    let (_, err) = follow.stop_ok(libc::SIGINT);
    let elapsed = t.elapsed();
    let index = std::fs::read_to_string(dir.join("index.jsonl")).unwrap();
    let line = index.lines().next().expect("one stream in the index");
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["gaps"], serde_json::json!([0, 0]), "{line}\n{err}");
    let name = v["files"][0].as_str().expect("the client's file");
    let got = dir.join(name);
    let (a, b) = (std::fs::read(&sent).unwrap(), std::fs::read(&got).unwrap());
    assert!(
        a == b,
        "{name}: {} bytes, the client sent {}",
        b.len(),
        a.len()
    );
    if let (Some(x), Some(y)) = (sha256(&sent), sha256(&got)) {
        assert_eq!(x, y);
        eprintln!("{mib} MiB in {elapsed:?}: sha256 {x} both");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
