//! `follow --threads N`: the workers reassemble the flows a hash gives
//! them and the reader replays their streams into one printer; for every
//! committed capture, every format (ascii, hex, raw, yaml, json), the
//! segment marks, a filter, `-c` and `--write-dir`, the output (stdout,
//! stderr and the files written) must be the bytes one thread gives.

mod support;

use std::path::Path;
use support::bin::{sockscope, text};

/// stdout, stderr, (with `--write-dir DIR`) every file of DIR by name,
/// and the exit code (a filter some link types refuse fails alike).
type Run = (Vec<u8>, String, Vec<(String, Vec<u8>)>, Option<i32>);

fn follow(name: &str, threads: &str, opts: &[&str], dir: &Path) -> Run {
    let _ = std::fs::remove_dir_all(dir);
    let mut args = vec!["follow", name, "--threads", threads];
    let writes = opts.contains(&"--write-dir");
    args.extend(opts.iter().map(|o| match *o {
        "DIR" => dir.to_str().unwrap(),
        o => o,
    }));
    let out = sockscope(&args);
    let mut files = Vec::new();
    if writes {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            files.push((n, std::fs::read(&p).unwrap()));
        }
        files.sort();
    }
    (out.stdout, text(&out.stderr), files, out.status.code())
}

#[test]
fn every_capture_and_format_follows_the_same_on_several_threads() {
    let names = support::committed_captures();
    assert!(names.len() > 40, "{names:?}");
    let option_sets: &[&[&str]] = &[
        &[],
        &["--format", "hex"],
        &["--format", "raw"],
        &["--format", "yaml"],
        &["--format", "json"],
        &["--segments"],
        &["--format", "hex", "--segments"],
        &["--write-dir", "DIR"],
        &["-c", "30", "tcp"],
    ];
    let dir = support::tempdir().join("streams");
    let mut bytes = 0;
    let mut files = 0;
    for name in &names {
        for opts in option_sets {
            let want = follow(name, "1", opts, &dir);
            for n in ["2", "3"] {
                let got = follow(name, n, opts, &dir);
                assert!(
                    got == want,
                    "{name} {opts:?} --threads {n}: output differs\n{}\nvs one thread:\n{}",
                    got.1,
                    want.1
                );
            }
            bytes += want.0.len();
            files += want.2.len();
        }
    }
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    // Enough streams that the workers each got some (tcp_lossy alone
    // spans several rounds of 4096 packets).
    assert!(bytes > 1_000_000, "only {bytes} bytes compared");
    assert!(files > 100, "only {files} files compared");
}
