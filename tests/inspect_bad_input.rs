//! Bad input gets one clear error naming the file (and the byte offset
//! where it broke), exit code 1, and never a panic; whatever came before
//! the break is printed.

mod support;

use std::io::Write;
use std::process::Stdio;
use support::bin::{command, have_tool, sockscope, tcpdump_read, text};
use support::{capture, tempdir};

/// `bytes` as the file `name` in this binary's one temporary directory.
fn tmp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let p = DIR.get_or_init(tempdir).join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// `sockscope read PATH` must fail with exit code 1 and an error saying
/// `want`; returns (stdout, stderr).
fn fails(path: &std::path::Path, want: &str) -> (String, String) {
    let out = sockscope(&["read", path.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(want), "want {want:?} in:\n{err}");
    (text(&out.stdout), err)
}

/// The bytes of `captures/NAME`.
fn committed(name: &str) -> Vec<u8> {
    std::fs::read(capture(name)).unwrap()
}

#[test]
fn not_a_capture_file() {
    let p = tmp("notes.txt", b"hello, this is text\n");
    let (out, err) = fails(&p, "notes.txt: not a capture file: magic number 0x68656c6c");
    assert!(out.is_empty());
    assert!(err.contains("expected a pcap"), "{err}");
}

#[test]
fn empty_file() {
    let p = tmp("empty.pcap", b"");
    fails(
        &p,
        "empty.pcap: empty file, expected a pcap or pcapng capture",
    );
}

#[test]
fn missing_file_and_directory() {
    let missing = std::path::Path::new("/nonexistent/x.pcap");
    fails(missing, "/nonexistent/x.pcap: cannot open");
    // A directory is read as the captures in it (`read DIR/`): one with
    // none is an error, not an empty run.
    let empty = tempdir();
    fails(&empty, "no pcap or pcapng files in this directory");
}

#[test]
fn truncated_global_header() {
    let p = tmp(
        "short_header.pcap",
        &committed("inspect_ethernet.pcap")[..10],
    );
    fails(&p, "truncated pcap header: 10 of 24 bytes");
}

/// Cut inside the third record: the first two print, then the error names
/// the third record's offset.
#[test]
fn file_cut_in_the_middle_of_a_record() {
    let whole = committed("inspect_ethernet.pcap");
    // Records: 24-byte header, then 16 + 74 (SYN), 16 + 74 (SYN/ACK), 16 + 54 (ACK), ...
    let third = 24 + (16 + 74) * 2;
    let p = tmp("cut.pcap", &whole[..third + 30]);
    let (out, err) = fails(
        &p,
        &format!(
            "cut.pcap: file cut off in the middle of a record at byte {third}: it needs 70 bytes, 30 are left"
        ),
    );
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(err.contains("2 packets (EN10MB 2)"), "{err}");
}

#[test]
fn absurd_record_length() {
    let mut whole = committed("inspect_ethernet.pcap");
    let second = 24 + 16 + 74;
    // incl_len of the second record (little-endian file).
    whole[second + 8..second + 12].copy_from_slice(&0x7fff_0000u32.to_le_bytes());
    let p = tmp("absurd.pcap", &whole);
    let want = format!("corrupt record at byte {second}: captured length 2147418112");
    let (out, _) = fails(&p, &want);
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn pcapng_cut_and_corrupt_blocks() {
    let whole = committed("inspect_two_interfaces.pcapng");
    let p = tmp("cut.pcapng", &whole[..whole.len() - 10]);
    let (out, _) = fails(&p, "file cut off in the middle of a pcapng block at byte");
    assert_eq!(out.lines().count(), 4, "{out}");
    let mut bad = whole.clone();
    // The first interface block starts after the 28-byte section header;
    // give it a length that is not a multiple of 4.
    bad[28 + 4] = 13;
    let p = tmp("corrupt.pcapng", &bad);
    fails(&p, "corrupt pcapng block at byte 28: length field 13");
}

#[test]
fn reads_stdin() {
    let whole = committed("inspect_ethernet.pcap");
    let mut child = command(&["read", "-", "-c", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&whole).ok();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.starts_with("12:00:00.000000 IP 10.0.0.1.45678 > 10.0.0.2.7777: Flags [S]"));
}

/// Every prefix of a capture reads without a panic: whole packets print,
/// and the run ends with either success or one error line.
#[test]
fn every_prefix_fails_cleanly() {
    let whole = committed("inspect_ipv6.pcap");
    for cut in (0..whole.len()).step_by(7) {
        let p = tmp("prefix.pcap", &whole[..cut]);
        let out = sockscope(&["read", p.to_str().unwrap()]);
        let code = out.status.code();
        assert!(code == Some(0) || code == Some(1), "cut {cut}: {code:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "cut {cut}: {err}");
    }
}

#[test]
fn write_then_read_round_trip() {
    let out_path = tempdir().join("copy.pcap");
    let src = capture("inspect_ethernet.pcap");
    let w = sockscope(&[
        "read",
        src.to_str().unwrap(),
        "-w",
        out_path.to_str().unwrap(),
    ]);
    assert!(w.status.success());
    assert!(w.stdout.is_empty(), "-w prints no packet lines");
    let a = sockscope(&["read", src.to_str().unwrap()]);
    let b = sockscope(&["read", out_path.to_str().unwrap()]);
    assert_eq!(a.stdout, b.stdout);
    if have_tool("tcpdump") {
        assert_eq!(tcpdump_read(&out_path), String::from_utf8_lossy(&a.stdout));
    }
}
