//! The filter through the real binary: for every expression and capture in
//! `tests/filter/expected.txt` (recorded from Debian's tcpdump), `sockscope
//! read FILE --json -- EXPR` selects exactly the packets tcpdump selected
//! (by position in the file), refuses what tcpdump refuses for the link
//! type (exit 1), and says, as tcpdump does, that an expression rejects
//! all packets (exit 1) where tcpdump says it.

mod support;

use support::bin::sockscope;
use support::{capture, root};

#[test]
fn read_selects_what_tcpdump_selects() {
    let text = std::fs::read_to_string(root().join("tests/filter/expected.txt")).unwrap();
    let mut lines = text.lines().peekable();
    let mut cases = 0;
    while let Some(line) = lines.next() {
        let Some(head) = line.strip_prefix("== ") else {
            continue;
        };
        let (file, expr) = head.split_once(" | ").unwrap();
        let verdict = lines.next().unwrap();
        let path = capture(file);
        let out = sockscope(&["read", path.to_str().unwrap(), "--json", "--", expr]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let selected: Vec<u64> = stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["n"].as_u64().unwrap()
            })
            .collect();
        if let Some(list) = verdict.strip_prefix("match:") {
            let want: Vec<u64> = list
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect();
            assert!(out.status.success(), "{file} | {expr}: {stderr}");
            assert_eq!(selected, want, "{file} | {expr}");
        } else if verdict == "error: expression rejects all packets" {
            // tcpdump's words and exit code.
            assert_eq!(out.status.code(), Some(1), "{file} | {expr}: {stderr}");
            assert!(
                stderr.contains("expression rejects all packets"),
                "{file} | {expr}: {stderr}"
            );
            assert!(selected.is_empty(), "{file} | {expr}: {selected:?}");
        } else {
            assert_eq!(
                out.status.code(),
                Some(1),
                "{file} | {expr}: tcpdump said {verdict}"
            );
            assert!(selected.is_empty());
        }
        cases += 1;
    }
    assert!(cases >= 700, "only {cases} cases");
}
