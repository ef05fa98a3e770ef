//! Filters on a capture of one link type against tcpdump's: each
//! expression prints the records tcpdump's prints, and our BPF program
//! decides as the evaluator on every record; each refused expression is
//! refused with libpcap's own words.

use super::bin::{require_tool, sockscope, text};
use sockscope::filter::{Filter, bpf};
use sockscope::packet::LinkType;
use std::process::Command;

/// `bytes` (a little-endian pcap of `link`, written at `path`) under
/// `exprs` and `refused`; the lines compared (0 when tcpdump is missing).
pub fn filters_equal_tcpdump(
    (path, bytes): (&str, &[u8]),
    link: u32,
    exprs: &[&str],
    refused: &[&str],
) -> usize {
    if !require_tool("tcpdump") {
        return 0;
    }
    let records = super::pcap::parse_pcap(bytes).records;
    let tcpdump = |expr: &str| {
        Command::new("tcpdump")
            .args(["-n", "-r", path, expr])
            .env("TZ", "UTC")
            .output()
            .expect("tcpdump runs")
    };
    let mut compared = 0;
    for expr in exprs {
        let ours = sockscope(&["read", path, expr]);
        let theirs = tcpdump(expr);
        // libpcap's optimizer found the program matches nothing: ours says
        // so in the same words, and fails as tcpdump does.
        if text(&theirs.stderr).contains(REJECTS_ALL) {
            assert_eq!(ours.status.code(), Some(1), "`{expr}`");
            assert!(text(&ours.stderr).contains(REJECTS_ALL), "`{expr}`");
            compared += 1;
            continue;
        }
        assert!(ours.status.success(), "{expr}: {}", text(&ours.stderr));
        assert_eq!(text(&ours.stdout), text(&theirs.stdout), "`{expr}`");
        compared += text(&theirs.stdout).lines().count();
        let f = Filter::parse(expr).expect("parses");
        let prog = f
            .compile(LinkType::from_number(link), 65_535)
            .expect("compiles");
        for (_, orig, data) in &records {
            assert_eq!(
                bpf::run(&prog, data, *orig) != 0,
                f.matches(LinkType::from_number(link), data, *orig),
                "`{expr}`"
            );
        }
    }
    for expr in refused {
        let ours = sockscope(&["read", path, expr]);
        assert!(!ours.status.success(), "{expr}");
        let theirs = text(&tcpdump(expr).stderr);
        let words = theirs.lines().last().unwrap_or_default();
        let words = words.trim_start_matches("tcpdump: ");
        assert!(!words.is_empty(), "{expr}");
        assert!(text(&ours.stderr).contains(words), "{expr}: {words}");
    }
    compared
}

/// libpcap's words for a program its optimizer folded to `ret #0`.
pub const REJECTS_ALL: &str = "expression rejects all packets";

/// libpcap's refusals on a link type without MAC addresses, VLANs, MPLS,
/// LLC or a direction, for a test's `refused`.
pub const REFUSED_WITHOUT_MACS: &[&str] = &[
    "ether host 1:2:3:4:5:6",
    "ether broadcast",
    "vlan",
    "mpls",
    "llc",
    "inbound",
];

/// [`filters_equal_tcpdump`] on a capture of `records` of `link` (whole),
/// written to a temporary file named `name`.
pub fn records_filter_like_tcpdump(
    (link, records): (u32, &[Vec<u8>]),
    name: &str,
    exprs: &[&str],
    refused: &[&str],
) -> usize {
    let bytes = super::link_captures::capture(link, records, 0);
    let path = super::temp_path(name, bytes.clone());
    filters_equal_tcpdump((&path, &bytes), link, exprs, refused)
}

/// Every expression of `tests/filter/expressions.txt` on a capture of
/// `records` of `link` (whole): where tcpdump takes it, ours prints the
/// records tcpdump's prints; where it refuses it, ours refuses it too, in
/// libpcap's words (its optimizer's "rejects all packets" too). The
/// expressions compared; `None` when tcpdump is missing.
pub fn listed_expressions_agree(link: u32, records: &[Vec<u8>]) -> Option<usize> {
    if !require_tool("tcpdump") {
        return None;
    }
    let bytes = super::link_captures::capture(link, records, 0);
    let path = super::temp_path(&format!("listed-{link}"), bytes);
    let listed = std::fs::read_to_string(super::root().join("tests/filter/expressions.txt"))
        .expect("expressions.txt");
    let mut compared = 0;
    for expr in listed
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let theirs = Command::new("tcpdump")
            .args(["-n", "-r", &path, "--", expr])
            .env("TZ", "UTC")
            .output()
            .expect("tcpdump runs");
        let ours = sockscope(&["read", &path, "--", expr]);
        if theirs.status.success() {
            assert!(ours.status.success(), "`{expr}`: {}", text(&ours.stderr));
            assert_eq!(text(&ours.stdout), text(&theirs.stdout), "`{expr}`");
        } else {
            assert!(!ours.status.success(), "`{expr}`: tcpdump refuses it");
            let theirs = text(&theirs.stderr);
            let words = theirs.lines().last().unwrap_or_default();
            let words = words.trim_start_matches("tcpdump: ");
            // A syntax error is the parser's, in its own words.
            if !words.contains("syntax error") {
                assert!(
                    text(&ours.stderr).contains(words),
                    "`{expr}`: {words}: {}",
                    text(&ours.stderr)
                );
            }
        }
        compared += 1;
    }
    Some(compared)
}
