//! `read --threads N`: packet lines formatted on N workers (packets handed
//! out by a symmetric flow hash, lines put back in file order) must be the
//! bytes one thread prints, for every committed capture and the output
//! options that run in parallel; the options that keep one thread give
//! the same bytes too. With the flow tracker on, the workers' shards merge
//! into the one tracker's report: same flows, uids, order and counters.
//! (Every `read` golden is also checked on two threads: `support::golden`.)

mod support;

use support::bin::{sockscope, text};
use support::capture;

fn run(args: &[&str]) -> (Vec<u8>, String) {
    let out = sockscope(args);
    (out.stdout, text(&out.stderr))
}

#[test]
fn every_capture_prints_the_same_bytes_on_several_threads() {
    let dir = capture("tcp_lossy.pcap").parent().unwrap().to_path_buf();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pcap") || n.ends_with(".pcapng"))
        .collect();
    names.sort();
    assert!(names.len() > 40, "{names:?}");
    let option_sets: &[&[&str]] = &[
        &[],
        &["--json"],
        &["-X"],
        &["-e", "-tt"],
        &["-S"],
        &["tcp"],
        &["-v"],
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
    for name in names {
        for opts in option_sets {
            let mut one = vec!["read", name.as_str()];
            one.extend_from_slice(opts);
            let want = run(&one);
            for n in threads {
                let mut many = vec!["read", "--threads", n, name.as_str()];
                many.extend_from_slice(opts);
                let got = run(&many);
                assert!(
                    got == want,
                    "{name} {opts:?} --threads {n}: output or summary differs\n{}\nvs\n{}",
                    got.1,
                    want.1
                );
            }
            lines += want.0.iter().filter(|&&b| b == b'\n').count();
        }
    }
    lines
}

/// Every committed capture, sorted.
fn all_captures() -> Vec<String> {
    let dir = capture("tcp_lossy.pcap").parent().unwrap().to_path_buf();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pcap") || n.ends_with(".pcapng"))
        .collect();
    names.sort();
    names
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
