//! `capture -w`: files other tools read, valid after every way a capture
//! ends. Each capture is filtered to the test's own UDP port on `lo`, so it
//! holds exactly the packets the test sends.

mod live_support;

use live_support::{UdpPeer, live_allowed, parse_pcap, signal};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let d = std::env::temp_dir().join(format!(
        "sockscope-live-pcap-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `capture -i lo ARGS udp port PORT`; returns once it printed "listening".
fn start(peer: &UdpPeer, args: &[&str]) -> (Child, Receiver<String>) {
    let port = peer.port().to_string();
    let mut child = Command::new(BIN)
        .args(["capture", "-i", "lo"])
        .args(args)
        .args(["udp", "port", &port])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(first.contains("listening on lo"), "{first}");
    (child, rx)
}

/// Wait for the exit; returns (exit code, stdout, rest of stderr).
fn finish(mut child: Child, rx: Receiver<String>) -> (i32, Vec<u8>, String) {
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        stdout.read_to_end(&mut v).unwrap();
        v
    });
    let t = Instant::now();
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code().unwrap_or(-1);
        }
        if t.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("capture did not end");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = reader.join().unwrap();
    let mut err = String::new();
    while let Ok(l) = rx.recv_timeout(Duration::from_secs(2)) {
        err.push_str(&l);
        err.push('\n');
    }
    (code, out, err)
}

fn sigterm(child: &Child) {
    signal(child, libc::SIGTERM);
}

fn read_lines(file: &Path) -> String {
    let out = Command::new(BIN)
        .args(["read", file.to_str().unwrap()])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn have_tcpdump() -> bool {
    let ok = Command::new("tcpdump").arg("--version").output().is_ok();
    if !ok {
        if std::env::var("SOCKSCOPE_REQUIRE_LIVE").as_deref() == Ok("1") {
            panic!("tcpdump is needed (apt-get install tcpdump)");
        }
        eprintln!("SKIPPED part: tcpdump is not installed");
    }
    ok
}

#[test]
fn count_limited_capture_writes_what_read_and_tcpdump_print_like_the_live_run() {
    if !live_allowed() {
        return;
    }
    let peer = UdpPeer::new();
    let dir = tempdir();
    let file = dir.join("c.pcap");
    // Two captures of the same packets: one writes, one prints.
    let writer = start(&peer, &["-c", "6", "-w", file.to_str().unwrap()]);
    let printer = start(&peer, &["-c", "6"]);
    peer.exchange(6, 33);
    let (code_w, out_w, err_w) = finish(writer.0, writer.1);
    let (code_p, out_p, err_p) = finish(printer.0, printer.1);
    assert_eq!((code_w, code_p), (0, 0), "{err_w}\n{err_p}");
    assert!(out_w.is_empty(), "nothing on stdout while writing a file");
    assert!(err_w.contains("6 packets captured"), "{err_w}");

    let pcap = parse_pcap(&std::fs::read(&file).unwrap());
    assert_eq!(
        (pcap.linktype, pcap.snaplen, pcap.nanos),
        (1, 262_144, true)
    );
    assert_eq!(pcap.records.len(), 6);
    for (incl, orig, _) in &pcap.records {
        assert_eq!((*incl, *orig), (75, 75));
    }
    let live = String::from_utf8(out_p).unwrap();
    assert_eq!(live.lines().count(), 6, "{live}");
    assert_eq!(
        read_lines(&file),
        live,
        "read of the file prints the live lines"
    );

    if have_tcpdump() {
        let out = Command::new("tcpdump")
            .args(["-n", "-r", file.to_str().unwrap()])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(text.lines().count(), 6, "{text}");
        assert!(text.lines().all(|l| l.contains("UDP, length 33")), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_leaves_a_valid_file_with_every_captured_packet() {
    if !live_allowed() {
        return;
    }
    let peer = UdpPeer::new();
    let dir = tempdir();
    let file = dir.join("term.pcap");
    let (child, rx) = start(&peer, &["-w", file.to_str().unwrap()]);
    peer.exchange(5, 10);
    sigterm(&child);
    let (code, _, err) = finish(child, rx);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("5 packets captured"), "{err}");
    assert!(err.contains("5 packets received by filter"), "{err}");
    assert!(err.contains("0 packets dropped by kernel"), "{err}");
    let pcap = parse_pcap(&std::fs::read(&file).unwrap());
    assert_eq!(pcap.records.len(), 5);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn packet_buffered_file_is_complete_while_the_capture_runs() {
    if !live_allowed() {
        return;
    }
    let peer = UdpPeer::new();
    let dir = tempdir();
    let file = dir.join("u.pcap");
    let (child, rx) = start(&peer, &["-U", "-w", file.to_str().unwrap()]);
    peer.exchange(3, 20);
    // The block holding them is handed over within ~10 ms; poll the file.
    let t = Instant::now();
    let mut n = 0;
    while t.elapsed() < Duration::from_secs(3) {
        n = parse_pcap(&std::fs::read(&file).unwrap()).records.len();
        if n == 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(n, 3, "all packets in the file before the capture ends");
    sigterm(&child);
    let (code, _, err) = finish(child, rx);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn write_to_stdout_puts_only_the_pcap_on_stdout() {
    if !live_allowed() {
        return;
    }
    let peer = UdpPeer::new();
    let (child, rx) = start(&peer, &["-c", "4", "-w", "-"]);
    peer.exchange(4, 7);
    let (code, out, err) = finish(child, rx);
    assert_eq!(code, 0, "{err}");
    let pcap = parse_pcap(&out);
    assert_eq!(pcap.records.len(), 4);
    assert!(pcap.records.iter().all(|r| r.0 == 14 + 20 + 8 + 7));
    assert!(err.contains("4 packets captured"), "{err}");
}
