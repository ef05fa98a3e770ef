//! Issue 17 (hardening), the input/output side, through the real binary:
//! hostile capture files under an address-space limit (`ulimit -v`, the
//! README's resource budgets), `-w` files every tool can read back, signals
//! (Ctrl-C on a slow FIFO, SIGUSR1, SIGHUP under nohup), a closed pipe with
//! `--json`, and deep filter nesting.

mod support;

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::bin::{BIN, Listening, signal, text};
use support::live::live_allowed;
use support::temp_file;

/// The address space `read` may use with default flags, whatever the input
/// (the README's budget): 256 MiB.
const READ_BUDGET_KB: u64 = 256 * 1024;

/// Writes a child's stdin.
type Feed = Box<dyn FnOnce(&mut dyn Write) + Send>;

/// Run `sockscope ARGS` under `ulimit -v KB`, feeding `stdin` (streamed from
/// a thread, so a large input never sits in the test's memory at once).
fn under_ulimit(kb: u64, args: &[&str], stdin: Option<Feed>) -> Output {
    let mut script = format!("ulimit -v {kb}; exec \"$0\"");
    for i in 1..=args.len() {
        script.push_str(&format!(" \"${i}\""));
    }
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(BIN)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sh");
    let feeder = stdin.map(|feed| {
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || feed(&mut pipe))
    });
    let out = child.wait_with_output().expect("wait");
    if let Some(f) = feeder {
        let _ = f.join();
    }
    out
}

fn pcap_header(snaplen: u32, link: u32) -> Vec<u8> {
    let mut h = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    h.extend_from_slice(&[0; 8]);
    h.extend_from_slice(&snaplen.to_le_bytes());
    h.extend_from_slice(&link.to_le_bytes());
    h
}

fn record(ts: u32, data: &[u8]) -> Vec<u8> {
    record_claiming(ts, data.len() as u32, data)
}

fn record_claiming(ts: u32, caplen: u32, data: &[u8]) -> Vec<u8> {
    let mut r = Vec::new();
    for v in [ts, 0, caplen, caplen] {
        r.extend_from_slice(&v.to_le_bytes());
    }
    r.extend_from_slice(data);
    r
}

/// A UDP frame 10.0.0.1:1000 > 10.0.0.2:2000 with `n` bytes of payload.
fn udp_frame(src_port: u16, n: usize) -> Vec<u8> {
    let mut v = Vec::new();
    etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .udp(src_port, 2000)
        .write(&mut v, &vec![b'x'; n])
        .unwrap();
    v
}

/// Issue 17 item 1's file: 234 bytes, snap length 0xFFFFFFFF, one good
/// packet, then a record that claims almost 4 GiB.
fn hostile_caplen_pcap() -> Vec<u8> {
    let mut f = pcap_header(u32::MAX, 1);
    f.extend(record(1, &udp_frame(1000, 18)));
    let at = f.len();
    f.extend(record_claiming(2, 0xFFFF_FF00, &vec![0; 234 - at - 16]));
    assert_eq!(f.len(), 234);
    f
}

fn shb() -> Vec<u8> {
    let mut b = vec![0x0a, 0x0d, 0x0d, 0x0a];
    b.extend_from_slice(&28u32.to_le_bytes());
    b.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    b.extend_from_slice(&[1, 0, 0, 0]);
    b.extend_from_slice(&(-1i64).to_le_bytes());
    b.extend_from_slice(&28u32.to_le_bytes());
    b
}

/// A pcapng block of `kind` with `body` (padded to 4 bytes).
fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let padded = body.len().div_ceil(4) * 4;
    let len = (12 + padded) as u32;
    let mut b = kind.to_le_bytes().to_vec();
    b.extend_from_slice(&len.to_le_bytes());
    b.extend_from_slice(body);
    b.resize(8 + padded, 0);
    b.extend_from_slice(&len.to_le_bytes());
    b
}

/// An IDB of `link` with a comment option of `comment` bytes.
fn idb(link: u16, comment: usize) -> Vec<u8> {
    let mut body = link.to_le_bytes().to_vec();
    body.extend_from_slice(&[0, 0, 0, 0, 4, 0]);
    if comment > 0 {
        body.extend_from_slice(&1u16.to_le_bytes());
        body.extend_from_slice(&(comment.min(65535) as u16).to_le_bytes());
        body.resize(body.len() + comment.min(65535).div_ceil(4) * 4, b'c');
    }
    body.extend_from_slice(&[0; 4]);
    block(1, &body)
}

fn epb(data: &[u8]) -> Vec<u8> {
    let mut body = vec![0; 4];
    body.extend_from_slice(&0u32.to_le_bytes());
    body.extend_from_slice(&1_000_000u32.to_le_bytes());
    body.extend_from_slice(&(data.len() as u32).to_le_bytes());
    body.extend_from_slice(&(data.len() as u32).to_le_bytes());
    body.extend_from_slice(data);
    block(6, &body)
}

/// Item 1: the 234-byte file made `read` allocate 4 GiB (SIGABRT under a
/// memory limit, losing the packet already decoded). Under the budget it
/// prints the packet, then an error naming the file and the offset.
/// `what` is in the command's stderr (shown whole when it is not).
fn stderr_says(out: &std::process::Output, what: &str) {
    let err = text(&out.stderr);
    assert!(err.contains(what), "{err}");
}

#[test]
fn hostile_caplen_pcap_reads_within_the_budget_from_a_file_and_stdin() {
    let bytes = hostile_caplen_pcap();
    let path = temp_file("caplen.pcap", &bytes);
    let from_file = under_ulimit(READ_BUDGET_KB, &["read", path.to_str().unwrap()], None);
    let feed = bytes.clone();
    let from_stdin = under_ulimit(
        READ_BUDGET_KB,
        &["read", "-"],
        Some(Box::new(move |w: &mut dyn Write| {
            let _ = w.write_all(&feed);
        })),
    );
    for (out, name) in [
        (from_file, path.display().to_string()),
        (from_stdin, "stdin".to_string()),
    ] {
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert_eq!(
            stdout.lines().count(),
            1,
            "{name}: the packet before the break: {stdout}"
        );
        assert!(
            stdout.contains("10.0.0.1.1000 > 10.0.0.2.2000: UDP"),
            "{stdout}"
        );
        assert!(
            stderr.contains(&format!(
                "{name}: corrupt record at byte 100: captured length 4294967040 is larger than the 262144-byte maximum"
            )),
            "{stderr}"
        );
    }
}

/// Item 6 and the README's budget: 320 MB of interface descriptions with
/// large options (each was kept whole) stream through `read` under the
/// 256 MiB budget, as do 16 MiB blocks and full-size records.
#[test]
fn hostile_pcapng_streams_read_within_the_budget() {
    let out = under_ulimit(
        READ_BUDGET_KB,
        &["read", "-"],
        Some(Box::new(|w: &mut dyn Write| {
            let mut all = shb();
            all.extend(idb(1, 0));
            let _ = w.write_all(&all);
            let big = idb(1, 65_000);
            let chunk: Vec<u8> = big.iter().copied().cycle().take(big.len() * 64).collect();
            for _ in 0..(320_000_000 / chunk.len()) {
                if w.write_all(&chunk).is_err() {
                    return;
                }
            }
            // A 16 MiB custom block, then a packet on interface 0.
            let _ = w.write_all(&block(0x0000_0BAD, &vec![0; 16 * 1024 * 1024 - 12]));
            let _ = w.write_all(&epb(&udp_frame(1000, 10)));
        })),
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(text(&out.stdout).lines().count(), 1, "{stderr}");

    let mut f = pcap_header(262_144, 1);
    for i in 0..40 {
        f.extend(record(i, &vec![0xee; 262_144]));
    }
    let path = temp_file("full_size.pcap", &f);
    let out = under_ulimit(
        READ_BUDGET_KB,
        &["read", path.to_str().unwrap(), "-c", "40"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // An unknown EtherType (0xeeee) is followed by its bytes in hex, as
    // tcpdump prints it: count the packets' own lines.
    let stdout = text(&out.stdout);
    let packets = stdout.lines().filter(|l| !l.starts_with('\t')).count();
    assert_eq!(packets, 40);
}

/// Item 9: an empty capture wrote a 0-byte `-w` file; now the header, with
/// the link type of the pcapng's interface.
#[test]
fn empty_capture_writes_a_pcap_header() {
    let mut f = shb();
    f.extend(idb(113, 0));
    let input = temp_file("empty.pcapng", &f);
    let out_path = input.with_file_name("empty_out.pcap");
    support::bin::sockscope_ok(&[
        "read",
        input.to_str().unwrap(),
        "-w",
        out_path.to_str().unwrap(),
    ]);
    let written = std::fs::read(&out_path).unwrap();
    assert_eq!(written.len(), 24);
    assert_eq!(&written[20..24], &113u32.to_le_bytes());
    assert_eq!(&written[16..20], &262_144u32.to_le_bytes());
}

/// Item 10: the disk-full message did not name the file.
#[test]
fn disk_full_names_the_file() {
    let cap = support::capture("tcp_normal.pcap");
    let out = support::bin::sockscope(&["read", cap.to_str().unwrap(), "-w", "/dev/full"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("/dev/full: cannot write the capture file"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("No space left").count(), 1, "{stderr}");
}

/// Issue 16: the create-file error said its cause twice ("… cannot create
/// the output file: No such file or directory (os error 2): No such file or
/// directory (os error 2)"): once now, on one line.
#[test]
fn create_error_says_its_cause_once() {
    let cap = support::capture("tcp_normal.pcap");
    let target = support::tempdir().join("no-such-dir").join("out.pcap");
    let out = support::bin::sockscope(&[
        "read",
        cap.to_str().unwrap(),
        "-w",
        target.to_str().unwrap(),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // As tcpdump: the file's `reading from file` line, then the error.
    assert_eq!(
        stderr.trim_end(),
        format!(
            "reading from file {}, link-type EN10MB (Ethernet), snapshot length 65535\n\
             sockscope: {}: cannot create the output file: No such file or directory (os error 2)",
            cap.display(),
            target.display()
        ),
        "{stderr}"
    );
}

/// Item 10: `--json` into a closed pipe exited 1 (text exits 0 quietly).
#[test]
fn json_into_a_closed_pipe_exits_quietly() {
    let mut f = pcap_header(65535, 1);
    for i in 0..5000 {
        f.extend(record(i, &udp_frame(1000 + (i % 100) as u16, 100)));
    }
    let path = temp_file("many.pcap", &f);
    for json in [false, true] {
        let mut args = vec!["read", path.to_str().unwrap()];
        if json {
            args.push("--json");
        }
        let mut child = support::bin::command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "json={json}: {}",
            text(&out.stderr)
        );
        assert!(
            !text(&out.stderr).contains("error"),
            "{}",
            text(&out.stderr)
        );
    }
}

/// Item 10 (fixed on main already; kept): an absurd duration says so.
#[test]
fn absurd_duration_is_too_large() {
    let out =
        support::bin::sockscope(&["capture", "-i", "lo", "--duration", "99999999999999999999s"]);
    assert_eq!(out.status.code(), Some(2));
    stderr_says(&out, "too large");
}

/// Item 10: filter nesting stopped at 47 levels; tcpdump accepts 1000+.
#[test]
fn filter_nesting_of_1000_levels_works_and_beyond_the_bound_is_a_clean_error() {
    let cap = support::capture("tcp_normal.pcap");
    let deep = format!("{}tcp{}", "(".repeat(1000), ")".repeat(1000));
    let out = support::bin::sockscope_ok(&["read", cap.to_str().unwrap(), &deep]);
    assert!(!out.stdout.is_empty());
    let nots = format!("{}tcp", "not not ".repeat(500));
    support::bin::sockscope_ok(&["read", cap.to_str().unwrap(), &nots]);
    let too_deep = format!("{}tcp{}", "(".repeat(3000), ")".repeat(3000));
    let out = support::bin::sockscope(&["read", cap.to_str().unwrap(), &too_deep]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    stderr_says(&out, "nests too deeply");
}

/// Item 7: Ctrl-C on `read` from a slow FIFO printed nothing of what was
/// decoded (a 64 KiB buffer and no handler). Now it stops, flushes the
/// packets and prints the summary; SIGUSR1 prints the counters meanwhile.
#[test]
fn sigint_on_a_slow_fifo_flushes_what_was_decoded() {
    let mut child = support::bin::command(&["read", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut f = pcap_header(65535, 1);
    for i in 0..3 {
        f.extend(record(i, &udp_frame(1000 + i as u16, 10)));
    }
    stdin.write_all(&f).unwrap();
    stdin.flush().unwrap();
    // The three packets are decoded while the reader waits for more.
    std::thread::sleep(Duration::from_millis(500));
    signal(&child, libc::SIGUSR1);
    std::thread::sleep(Duration::from_millis(200));
    signal(&child, libc::SIGINT);
    let t = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "read did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(
        stderr.contains("3 packets captured"),
        "SIGUSR1 counters: {stderr}"
    );
    assert!(stderr.contains("3 packets"), "summary: {stderr}");
}

/// Item 10: SIGHUP stopped `capture` and `serve` even under nohup (ctrlc's
/// termination feature took the ignored signal over); SIGUSR1 killed the
/// capture instead of printing the counters.
#[test]
fn capture_and_serve_keep_running_on_sighup_under_nohup_and_sigusr1_prints_counters() {
    if !live_allowed() {
        return;
    }
    let nohup = |args: &[&str]| {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg("trap '' HUP; exec \"$@\"")
            .arg("sh")
            .arg(BIN)
            .args(args);
        c
    };
    let mut cap = Listening::start(nohup(&[
        "capture",
        "-i",
        "lo",
        "-c",
        "1000000",
        "udp port 9",
    ]));
    cap.signal(libc::SIGHUP);
    cap.signal(libc::SIGUSR1);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        cap.child.try_wait().unwrap().is_none(),
        "capture died on SIGHUP or SIGUSR1"
    );
    // The counters come when the capture next wakes (a packet or its poll
    // timeout).
    let _ = std::net::UdpSocket::bind("127.0.0.1:0").and_then(|s| s.send_to(b"x", "127.0.0.1:9"));
    let (_, rest) = cap.stop_ok(libc::SIGTERM);
    assert!(
        rest.matches(" captured\n").count() >= 2,
        "SIGUSR1 counters and the final ones: {rest}"
    );

    let mut serve = Command::new("sh")
        .arg("-c")
        .arg("trap '' HUP; exec \"$@\"")
        .arg("sh")
        .arg(BIN)
        .args(["serve", "udp-echo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    signal(&serve, libc::SIGHUP);
    std::thread::sleep(Duration::from_millis(300));
    let alive = serve.try_wait().unwrap().is_none();
    signal(&serve, libc::SIGTERM);
    let out = serve.wait_with_output().unwrap();
    assert!(
        alive,
        "serve died on SIGHUP under nohup: {}",
        text(&out.stderr)
    );
}

/// Item 1's other half: `capture -s 4294967295 -w` wrote that snap length
/// into the file header (a file libpcap then refuses).
#[test]
fn capture_with_a_huge_snaplen_writes_a_header_libpcap_accepts() {
    if !live_allowed() {
        return;
    }
    let path = support::tempdir().join("huge_snaplen.pcap");
    support::bin::sockscope_ok(&[
        "capture",
        "-i",
        "lo",
        "-s",
        "4294967295",
        "--duration",
        "200ms",
        "-w",
        path.to_str().unwrap(),
    ]);
    let written = std::fs::read(&path).unwrap();
    assert!(written.len() >= 24);
    let snaplen = u32::from_le_bytes(written[16..20].try_into().unwrap());
    assert_eq!(snaplen, 262_144);
}
