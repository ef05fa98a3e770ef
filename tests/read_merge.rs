//! `read a.pcap b.pcap …` and `read DIR/`: several files merged by time
//! stamp as `mergecap` merges them. Each committed capture is split in two
//! by the low bit of the source port (so the two directions of a flow land
//! in different files and interleave packet by packet); reading the parts
//! must print what `mergecap -w - parts | tcpdump -n -r -` prints, and the
//! flow table and timelines of the parts equal those of the merged file.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::bin::{require_tool, sockscope, text};
use support::pcap::{Layout, Record, write_pcap};
use support::{capture, tempdir};

/// Captures whose lines equal tcpdump's, with TCP and UDP flows.
const CAPTURES: &[&str] = &[
    "demo_chat.pcap",
    "demo_tcp.pcap",
    "demo_udp.pcap",
    "dissect_dns.pcap",
    "tcp_lossy.pcap",
];

const EVEN_PORT: &str = "tcp[1] & 1 = 0 or udp[1] & 1 = 0";

/// Equal texts, or a panic naming the first line that differs (the
/// outputs are thousands of lines).
fn same(ours: &str, want: &str, what: &str) {
    if ours == want {
        return;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), want.lines().collect());
    let i = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    panic!(
        "{what}: {} vs {} lines, first difference at line {}:\n  ours: {:?}\n  want: {:?}",
        a.len(),
        b.len(),
        i + 1,
        a.get(i),
        b.get(i)
    );
}

/// Run sockscope and return stdout; it must succeed.
fn ok(args: &[&str]) -> String {
    let out = sockscope(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `cap` split into `dir/a.pcap` (even source ports) and `dir/b.pcap`
/// (the rest), by our own `-w` with a filter.
fn split(cap: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let (a, b) = (dir.join("a.pcap"), dir.join("b.pcap"));
    ok(&["read", s(cap), "-w", s(&a), EVEN_PORT]);
    ok(&["read", s(cap), "-w", s(&b), &format!("not ({EVEN_PORT})")]);
    (a, b)
}

/// `mergecap -w OUT FILES…` (pcapng, as mergecap writes by default).
fn mergecap(files: &[&Path], out: &Path) {
    let st = Command::new("mergecap")
        .arg("-w")
        .arg(out)
        .args(files)
        .stderr(Stdio::inherit())
        .status()
        .expect("mergecap runs");
    assert!(st.success());
}

/// `mergecap -w - FILES… | tcpdump -n -r -`.
fn mergecap_tcpdump(files: &[&Path]) -> String {
    let mut merge = Command::new("mergecap")
        .arg("-w")
        .arg("-")
        .args(files)
        .stdout(Stdio::piped())
        .spawn()
        .expect("mergecap runs");
    let out = Command::new("tcpdump")
        .args(["-n", "-r", "-"])
        .env("TZ", "UTC")
        .stdin(merge.stdout.take().unwrap())
        .stderr(Stdio::null())
        .output()
        .expect("tcpdump runs");
    assert!(merge.wait().unwrap().success());
    assert!(out.status.success());
    text(&out.stdout)
}

#[test]
fn split_files_print_what_mergecap_and_tcpdump_print() {
    if !require_tool("mergecap") || !require_tool("tcpdump") {
        return;
    }
    for name in CAPTURES {
        let dir = tempdir();
        let (a, b) = split(&capture(name), &dir);
        let ours = ok(&["read", s(&a), s(&b)]);
        let theirs = mergecap_tcpdump(&[&a, &b]);
        same(
            &ours,
            &theirs,
            &format!("{name}: merged vs mergecap | tcpdump"),
        );
        // The split really interleaves: neither part alone is a prefix.
        let first = ok(&["read", s(&a)]);
        assert!(
            !first.is_empty() && !ours.starts_with(&first),
            "{name}: no interleaving"
        );
        // And the merge holds the original capture's lines (their order
        // may differ where two packets share a time stamp).
        let mut merged: Vec<&str> = ours.lines().collect();
        let original = ok(&["read", s(&capture(name))]);
        let mut original: Vec<&str> = original.lines().collect();
        merged.sort_unstable();
        original.sort_unstable();
        assert!(
            merged == original,
            "{name}: the parts do not add up to the capture"
        );
    }
}

#[test]
fn flows_and_timelines_of_split_files_equal_the_merged_files() {
    if !require_tool("mergecap") {
        return;
    }
    for name in CAPTURES {
        let dir = tempdir();
        let (a, b) = split(&capture(name), &dir);
        let merged = dir.join("merged.pcapng");
        mergecap(&[&a, &b], &merged);
        for opts in [&["--flows"][..], &["--timeline"], &["--flows", "--json"]] {
            let mut split_args = vec!["read", s(&a), s(&b)];
            split_args.extend_from_slice(opts);
            let mut merged_args = vec!["read", s(&merged)];
            merged_args.extend_from_slice(opts);
            let want = ok(&merged_args);
            // (The UDP-only chat has no timelines.)
            assert!(
                !want.trim().is_empty() || opts == ["--timeline"],
                "{name} {opts:?}: empty report"
            );
            same(&ok(&split_args), &want, &format!("{name} {opts:?}"));
        }
    }
}

/// Equal time stamps: the file named last goes first, as in mergecap
/// (checked against it, and spelled out below).
#[test]
fn ties_keep_the_order_of_the_files() {
    if !require_tool("mergecap") || !require_tool("tcpdump") {
        return;
    }
    let dir = tempdir();
    let frame = |port: u16| {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        let ip = etherparse::PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64).udp(port, 53);
        let mut body = Vec::new();
        ip.write(&mut body, b"x").unwrap();
        f.extend_from_slice(&body);
        f
    };
    let file = |name: &str, ports: &[(u32, u16)]| {
        let recs: Vec<Record> = ports
            .iter()
            .map(|&(usec, port)| {
                let data = frame(port);
                Record {
                    ts_sec: 1_700_000_000,
                    ts_frac: usec,
                    orig_len: data.len() as u32,
                    data: data.into(),
                }
            })
            .collect();
        let path = dir.join(name);
        std::fs::write(&path, write_pcap(Layout::new(1, 65535), recs)).unwrap();
        path
    };
    let a = file("a.pcap", &[(1, 1001), (2, 1002), (2, 1003), (5, 1004)]);
    let b = file("b.pcap", &[(0, 2001), (2, 2002), (5, 2003), (6, 2004)]);
    let ours = ok(&["read", s(&b), s(&a)]);
    same(&ours, &mergecap_tcpdump(&[&b, &a]), "ties");
    let ports: Vec<&str> = ours.lines().filter_map(|l| l.split(' ').nth(2)).collect();
    assert_eq!(
        ports,
        [
            "10.0.0.1.2001",
            "10.0.0.1.1001",
            "10.0.0.1.1002",
            "10.0.0.1.1003",
            "10.0.0.1.2002",
            "10.0.0.1.1004",
            "10.0.0.1.2003",
            "10.0.0.1.2004"
        ]
    );
}

#[test]
fn a_directory_reads_its_capture_files_in_name_order() {
    let dir = tempdir();
    let (a, b) = split(&capture("demo_chat.pcap"), &dir);
    std::fs::write(dir.join("notes.txt"), "not a capture\n").unwrap();
    let listed = ok(&["read", s(&a), s(&b)]);
    assert_eq!(ok(&["read", s(&dir)]), listed);
    // A directory among files, and a filter after them.
    let filtered = ok(&["read", s(&dir), "tcp"]);
    assert_eq!(
        filtered,
        ok(&["read", s(&capture("demo_chat.pcap")), "tcp"])
    );
    // A directory with no capture in it is an error, not an empty run.
    let empty = tempdir();
    let out = sockscope(&["read", s(&empty)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no pcap or pcapng files"),
        "{}",
        text(&out.stderr)
    );
}
