//! `sockscope follow` against `tshark -q -z follow,tcp,FORMAT,N`: for every
//! TCP stream of the follow captures (clean, reordered, overlapping copies
//! with different bytes, mid-stream, lost segments, port reuse) and of two
//! recorded ones, the ascii, hex, raw and yaml outputs must be byte for
//! byte tshark's. Snapped and lossy captures, where tshark joins the kept
//! bytes of a cut segment without a marker, are compared on their data
//! bytes, and our markers must account for every byte tshark left out.

mod support;

use std::path::Path;
use std::process::Command;
use support::bin::{require_tool, sockscope_exits, text};
use support::capture;
use support::follow_captures::{captures, pcap_bytes};
use support::golden::{check_generated, check_golden};

#[test]
fn generated_captures_match_their_generator() {
    for c in captures() {
        check_generated(&format!("{}.pcap", c.name), &pcap_bytes(&c));
    }
}

fn tshark(file: &Path, spec: &str) -> Vec<u8> {
    tshark_many(file, &[spec.to_string()])
}

fn tshark_many(file: &Path, specs: &[String]) -> Vec<u8> {
    let mut args = vec!["-r", file.to_str().unwrap(), "-q"];
    for s in specs {
        args.extend(["-z", s.as_str()]);
    }
    let spec = specs.join(" ");
    let out = Command::new("tshark")
        .args(&args)
        .env("TZ", "UTC")
        .output()
        .expect("tshark runs");
    assert!(out.status.success(), "tshark {spec}: {}", text(&out.stderr));
    out.stdout
}

/// tshark's tcp.stream numbers present in a file.
fn tcp_streams(file: &Path) -> u64 {
    let out = Command::new("tshark")
        .args([
            "-r",
            file.to_str().unwrap(),
            "-T",
            "fields",
            "-e",
            "tcp.stream",
        ])
        .output()
        .expect("tshark runs");
    text(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse::<u64>().ok())
        .max()
        .map_or(0, |m| m + 1)
}

fn follow(file: &Path, args: &[&str]) -> Vec<u8> {
    sockscope_exits(&["follow", file.to_str().unwrap()], args, 0).stdout
}

const EXACT: &[&str] = &[
    "follow_clean.pcap",
    "follow_reorder.pcap",
    "follow_overlap.pcap",
    "follow_mid_stream.pcap",
    "follow_gaps.pcap",
    "follow_port_reuse.pcap",
    "demo_tcp.pcap",
    "tcp_normal.pcap",
];

#[test]
fn every_stream_and_format_equals_tshark() {
    if !require_tool("tshark") {
        return;
    }
    let handles: Vec<_> = EXACT
        .iter()
        .map(|name| {
            std::thread::spawn(move || {
                let file = capture(name);
                let n = tcp_streams(&file);
                assert!(n > 0, "{name}: no TCP stream");
                let mut failures = Vec::new();
                for f in ["ascii", "hex", "raw", "yaml"] {
                    // One tshark run per format: it prints its -z reports
                    // in the reverse order of the arguments.
                    let specs: Vec<String> = (0..n)
                        .rev()
                        .map(|s| format!("follow,tcp,{f},{s}"))
                        .collect();
                    let want = tshark_many(&file, &specs);
                    let mut got = Vec::new();
                    for s in 0..n {
                        got.extend(follow(&file, &["--stream", &s.to_string(), "--format", f]));
                    }
                    if want != got {
                        failures.push(format!(
                            "{name} {f}:\n--- tshark ---\n{}--- sockscope ---\n{}",
                            text(&want),
                            text(&got)
                        ));
                    }
                }
                (n, failures)
            })
        })
        .collect();
    let mut failures = Vec::new();
    let mut compared = 0;
    for h in handles {
        let (n, f) = h.join().unwrap();
        compared += n;
        failures.extend(f);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared >= 10, "only {compared} streams compared");
}

#[test]
fn udp_flows_equal_tsharks_udp_follow() {
    if !require_tool("tshark") {
        return;
    }
    for (name, uid) in [("follow_clean.pcap", "C3"), ("demo_udp.pcap", "C1")] {
        let file = capture(name);
        for f in ["ascii", "hex", "raw", "yaml"] {
            let want = tshark(&file, &format!("follow,udp,{f},0"));
            let got = follow(&file, &["--stream", uid, "--format", f]);
            assert!(
                want == got,
                "{name} udp {f}:\n--- tshark ---\n{}--- sockscope ---\n{}",
                text(&want),
                text(&got)
            );
        }
    }
}

/// Each direction's bytes (data records only) and the marker records,
/// from the raw format: (data node 0, data node 1, marker bytes claimed).
fn raw_records(out: &[u8]) -> ([Vec<u8>; 2], u64) {
    let mut data = [Vec::new(), Vec::new()];
    let mut missing = 0;
    let body = text(out);
    for line in body.lines() {
        let header = ["===", "Follow:", "Filter:", "Node 0:", "Node 1:"];
        if line.is_empty() || header.iter().any(|h| line.starts_with(h)) {
            continue;
        }
        let (node, hex) = match line.strip_prefix('\t') {
            Some(h) => (1, h),
            None => (0, line),
        };
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        let t = String::from_utf8_lossy(&bytes);
        if let Some(n) = t
            .strip_prefix('[')
            .and_then(|r| r.split_once(" bytes missing in capture file]"))
        {
            missing += n.0.parse::<u64>().unwrap();
        } else {
            data[node].extend_from_slice(&bytes);
        }
    }
    (data, missing)
}

#[test]
fn snapped_and_lossy_captures_keep_tsharks_bytes_and_mark_the_rest() {
    if !require_tool("tshark") {
        return;
    }
    for name in ["follow_snapped.pcap", "tcp_lossy.pcap"] {
        let file = capture(name);
        let want = tshark(&file, "follow,tcp,raw,0");
        let got = follow(&file, &["--stream", "0", "--format", "raw"]);
        let ((t_data, _), (s_data, s_missing)) = (raw_records(&want), raw_records(&got));
        assert_eq!(
            t_data, s_data,
            "{name}: the captured bytes differ from tshark's"
        );
        // Every byte of the stream is either shown or marked.
        let index_dir = support::tempdir();
        follow(
            &file,
            &["--stream", "0", "--write-dir", index_dir.to_str().unwrap()],
        );
        let index = std::fs::read_to_string(index_dir.join("index.jsonl")).unwrap();
        let v: serde_json::Value = serde_json::from_str(index.lines().next().unwrap()).unwrap();
        // Both directions' counts added up.
        let sum = |key: &str| -> u64 {
            v[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_u64().unwrap())
                .sum()
        };
        let (shown, marked) = (sum("bytes"), sum("missing"));
        assert_eq!(shown, (s_data[0].len() + s_data[1].len()) as u64, "{name}");
        assert_eq!(
            marked, s_missing,
            "{name}: markers in the output and the index disagree"
        );
        assert!(marked > 0, "{name}: a snapped capture must have markers");
    }
}

#[test]
fn port_reuse_gets_a_new_stream_and_a_suffixed_file() {
    let dir = support::tempdir();
    follow(
        &capture("follow_port_reuse.pcap"),
        &["--write-dir", dir.to_str().unwrap()],
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let index = std::fs::read_to_string(dir.join("index.jsonl")).unwrap();
    check_golden(
        "follow/port_reuse_write_dir.out",
        &format!("{}\n--- index.jsonl ---\n{index}", names.join("\n")),
    );
    let second = std::fs::read(dir.join("010.001.000.001.40007-010.001.000.002.08080c1")).unwrap();
    assert_eq!(second, b"two\n");
}

#[test]
fn json_segments_and_udp_goldens() {
    for (golden, file, args) in [
        (
            "follow/overlap.json",
            "follow_overlap.pcap",
            &["--format", "json"][..],
        ),
        (
            "follow/gaps.json",
            "follow_gaps.pcap",
            &["--format", "json"][..],
        ),
        (
            "follow/clean_segments.out",
            "follow_clean.pcap",
            &["--segments"][..],
        ),
        (
            "follow/clean_hex_segments.out",
            "follow_clean.pcap",
            &["--segments", "--format", "hex", "--stream", "C1"][..],
        ),
        ("follow/clean_udp.out", "follow_clean.pcap", &["udp"][..]),
        ("follow/overlap_ascii.out", "follow_overlap.pcap", &[][..]),
    ] {
        let mut all = vec![
            "follow".to_string(),
            capture(file).to_str().unwrap().to_string(),
        ];
        all.extend(args.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        support::golden::check_run(golden, &all);
    }
}
