//! `read --threads N`: packet lines formatted on N workers (packets handed
//! out by a symmetric flow hash, lines put back in file order) must be the
//! bytes one thread prints, for every committed capture and the output
//! options that run in parallel; the options that keep one thread give
//! the same bytes too. With the flow tracker on, the workers' shards merge
//! into the one tracker's report: same flows, uids, order and counters.
//! (Every `read` golden is also checked on two threads: `support::golden`.)

mod support;

use std::path::{Path, PathBuf};
use support::bin::{sockscope, text};
use support::capture;

fn run(args: &[&str]) -> (Vec<u8>, String) {
    let out = sockscope(args);
    (out.stdout, text(&out.stderr))
}

/// An argument naming an output file (`-o`, `--packets-parquet`): each
/// run writes its own, whose bytes are compared with the rest.
const OUT_FILE: &str = "OUT.parquet";

/// [`run`], with [`OUT_FILE`] arguments turned into files in `dir`; the
/// output, the summary and the files' bytes.
fn run_writing(args: &[&str], dir: &Path) -> (Vec<u8>, String, Vec<Vec<u8>>) {
    let files: Vec<PathBuf> = (0..args.iter().filter(|a| **a == OUT_FILE).count())
        .map(|i| dir.join(format!("out{i}.parquet")))
        .collect();
    let mut named = files.iter();
    let args: Vec<&str> = args
        .iter()
        .map(|a| match *a {
            OUT_FILE => named.next().and_then(|f| f.to_str()).unwrap(),
            a => a,
        })
        .collect();
    let (out, summary) = run(&args);
    let bytes = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    (out, summary, bytes)
}

#[test]
fn every_capture_prints_the_same_bytes_on_several_threads() {
    let names = all_captures();
    assert!(names.len() > 40, "{names:?}");
    let option_sets: &[&[&str]] = &[
        &[],
        &["--json"],
        &["-X"],
        &["-e", "-tt"],
        &["-S"],
        &["tcp"],
        &["-v"],
        &["-v", "--analysis"],
        &["--json", "--analysis"],
        &["--flows"],
        &["--flows", "--timeline"],
        &["-v", "--timeline", "-S"],
        &["--flows", "--timeline", "--json"],
        &["--flows", "tcp"],
    ];
    let lines = same_on_threads(&names, option_sets, &["2", "3"]);
    // tcp_lossy alone spans several batches of 4096 packets.
    assert!(lines > 50_000, "only {lines} lines compared");
}

/// `read` of each capture with each option set prints the same bytes and
/// summary on each of `threads` as on one thread; the lines compared.
fn same_on_threads(names: &[String], option_sets: &[&[&str]], threads: &[&str]) -> usize {
    let mut lines = 0;
    let dir = support::tempdir();
    for name in names {
        for opts in option_sets {
            let mut one = vec!["read", name.as_str()];
            one.extend_from_slice(opts);
            let want = run_writing(&one, &dir);
            for n in threads {
                let mut many = vec!["read", "--threads", n, name.as_str()];
                many.extend_from_slice(opts);
                let got = run_writing(&many, &dir);
                assert!(
                    got == want,
                    "{name} {opts:?} --threads {n}: output, summary or files differ\n{}\nvs\n{}",
                    got.1,
                    want.1
                );
            }
            lines += want.0.iter().filter(|&&b| b == b'\n').count();
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    lines
}

/// Every committed capture, sorted.
fn all_captures() -> Vec<String> {
    support::committed_captures()
}

/// What a line needs of the packets before it, which only the reader
/// sees: `-c`'s count (where the reading stops, and the offload sample
/// it reads past), the line numbers of `-#`, the first and previous time
/// stamps of `--time rel|delta`, with and without a filter, on lines and
/// on flow reports. Counts past a batch (tcp_lossy has more than 4096
/// packets) and past the offload sample are among them.
#[test]
fn counts_numbers_and_relative_times_on_several_threads() {
    let names = all_captures();
    let option_sets: &[&[&str]] = &[
        &["-c", "5"],
        &["-c", "5000", "-#", "--time", "delta"],
        &["-c", "3", "--flows"],
        &["-c", "40", "--flows", "tcp"],
        &["-c", "20", "--timeline"],
        &["-c", "30", "-v", "--flows"],
        &["-c", "7", "--json"],
        &["-#"],
        &["-#", "tcp"],
        &["-#", "-v", "--flows"],
        &["--time", "delta"],
        &["--time", "rel", "udp"],
        &["--time", "delta", "-#", "not", "tcp"],
        &["-#", "--json"],
        &["-c", "500", "--analysis", "tcp"],
    ];
    let lines = same_on_threads(&names, option_sets, &["2"]);
    assert!(lines > 50_000, "only {lines} lines compared");
}

/// The options above really run on several threads (one thread would
/// print the same bytes trivially).
#[test]
fn counts_numbers_and_relative_times_are_not_refused() {
    use sockscope::output::time::TimeFormat;
    use sockscope::pipeline::{OutputConfig, parallel::supported};
    let mut o = OutputConfig {
        count: Some(5),
        number: true,
        time: TimeFormat::Delta,
        flows: true,
        json: true,
        ..OutputConfig::default()
    };
    assert!(supported(&o));
    o.time = TimeFormat::Rel;
    assert!(supported(&o));
}

/// Several files and several threads at once.
#[test]
fn merged_files_on_several_threads() {
    let (a, b) = (capture("demo_tcp.pcap"), capture("demo_udp.pcap"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    // A merged source shares no read chunks: its packets are copied to
    // the workers, on lines and on flows.
    for opts in [
        &["--json"][..],
        &["--flows"],
        &["--flows", "--timeline", "udp"],
    ] {
        let mut one = vec!["read", a, b];
        one.extend_from_slice(opts);
        let want = run(&one);
        assert!(!want.0.is_empty(), "{opts:?}");
        let mut many = vec!["read", "--threads", "2", a, b];
        many.extend_from_slice(opts);
        assert_eq!(run(&many), want, "{opts:?}");
    }
}

/// The Parquet flows file (`--flows --format parquet -o`) is written from
/// the workers' merged report, each row pointing into the file read (the
/// reader tells each view where its packet sits): the same bytes on
/// several threads, for every capture and for several files at once. It
/// really runs there; beside packet lines (`-v`) it keeps one thread.
#[cfg(feature = "parquet")]
#[test]
fn parquet_flows_file_is_the_same_on_several_threads() {
    use sockscope::pipeline::{OutputConfig, parallel::supported};
    let option_sets: &[&[&str]] = &[
        &["--flows", "--format", "parquet", "-o", OUT_FILE],
        &[
            "--timeline",
            "--flows",
            "--format",
            "parquet",
            "-o",
            OUT_FILE,
        ],
        &[
            "-c", "40", "--flows", "--format", "parquet", "-o", OUT_FILE, "tcp",
        ],
    ];
    let lines = same_on_threads(&all_captures(), option_sets, &["2", "3"]);
    assert!(lines > 1000, "only {lines} timeline lines compared");
    let (a, b) = (capture("demo_tcp.pcap"), capture("demo_udp.pcap"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    same_on_threads(
        &[a.to_string()],
        &[&[b, "--flows", "--format", "parquet", "-o", OUT_FILE]],
        &["2"],
    );
    let mut o = OutputConfig {
        flows: true,
        flows_parquet: Some("f.parquet".into()),
        ..OutputConfig::default()
    };
    assert!(supported(&o));
    o.verbose = 1;
    assert!(!supported(&o));
}

/// `--packets-parquet`: the workers hand each packet's flow view and its
/// shard's flow uid over, the reader writes the rows in file order and
/// numbers the flows as one tracker does, so the packets file (and the
/// flows file beside it, whose pointers the rows tell) are the bytes one
/// thread writes, for every capture, beside lines, `-v`, a filter, `-c`,
/// `-#` and `--time delta`. It really runs there now.
#[cfg(feature = "parquet")]
#[test]
fn parquet_packets_file_is_the_same_on_several_threads() {
    use sockscope::pipeline::{OutputConfig, parallel::supported};
    let option_sets: &[&[&str]] = &[
        &["--packets-parquet", OUT_FILE],
        &[
            "--flows",
            "--format",
            "parquet",
            "-o",
            OUT_FILE,
            "--packets-parquet",
            OUT_FILE,
        ],
        &[
            "-v",
            "-#",
            "--time",
            "delta",
            "--packets-parquet",
            OUT_FILE,
            "-c",
            "300",
            "tcp or icmp",
        ],
        &["--timeline", "--packets-parquet", OUT_FILE, "udp"],
    ];
    let lines = same_on_threads(&all_captures(), option_sets, &["2", "3"]);
    assert!(lines > 20_000, "only {lines} lines compared");
    let (a, b) = (capture("demo_tcp.pcap"), capture("demo_udp.pcap"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    same_on_threads(
        &[a.to_string()],
        &[&[
            b,
            "--packets-parquet",
            OUT_FILE,
            "-o",
            OUT_FILE,
            "--flows",
            "--format",
            "parquet",
        ]],
        &["2"],
    );
    let o = OutputConfig {
        packets_parquet: Some("p.parquet".into()),
        verbose: 1,
        flows_parquet: Some("f.parquet".into()),
        ..OutputConfig::default()
    };
    assert!(supported(&o));
}

/// `-w`: the workers say which packets their filter took and the reader
/// writes those in file order, so the file is the bytes one thread
/// writes, for every capture, with a filter and `-c`, beside the flow
/// report and the Parquet files; `-C` turns the files at the same packets
/// (three copies of tcp_lossy make 2.7 MB, three files of `-C 1`).
#[test]
fn write_file_is_the_same_on_several_threads() {
    let option_sets: &[&[&str]] = &[
        &["-w", OUT_FILE],
        &["-w", OUT_FILE, "-c", "50", "--flows", "tcp or udp"],
        #[cfg(feature = "parquet")]
        &["-w", OUT_FILE, "--packets-parquet", OUT_FILE, "-v"],
    ];
    same_on_threads(&all_captures(), option_sets, &["2", "3"]);
    let lossy = capture("tcp_lossy.pcap");
    let lossy = lossy.to_str().unwrap();
    let dir = support::tempdir();
    let files = |threads: &str| {
        let out = dir.join(format!("rotated-{threads}.pcap"));
        let out_s = out.to_str().unwrap();
        let args = [
            "read",
            "--threads",
            threads,
            lossy,
            lossy,
            lossy,
            "-w",
            out_s,
        ];
        let (_, summary) = run(&[&args[..], &["-C", "1", "-v"]].concat());
        let names = ["", "1", "2", "3"].map(|n| format!("{out_s}{n}"));
        let bytes: Vec<Vec<u8>> = names.iter().filter_map(|n| std::fs::read(n).ok()).collect();
        (summary, bytes)
    };
    let (one, two) = (files("1"), files("2"));
    assert_eq!(one.1.len(), 3, "three files: {}", one.0);
    assert!(one == two, "-C 1 on two threads: {}\nvs\n{}", two.0, one.0);
    let _ = std::fs::remove_dir_all(&dir);
}
