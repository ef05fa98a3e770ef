//! DNS as tcpdump prints it: `captures/dissect_dns.pcap` (hand-written
//! queries and responses of every kind, then damaged ones from a seeded
//! generator, `tests/support/dns_captures.rs`) read by `sockscope read` and
//! by `tcpdump -n -r` must give the same lines byte for byte, at the
//! default level and at `-v`, `-vv` and `-vvv` (TZ=UTC). Skips without
//! tcpdump unless SOCKSCOPE_REQUIRE_LIVE=1. Goldens of the default line, of
//! `-v` and of `--json` keep the output fixed where tcpdump is missing.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::golden::{check_generated, check_run};
use support::{capture, dns_captures};

const CAPTURE: &str = "dissect_dns.pcap";
/// Damaged messages after the hand-written ones.
const DAMAGED: usize = 600;

#[test]
fn committed_capture_matches_generator() {
    check_generated(CAPTURE, &dns_captures::capture(DAMAGED));
}

fn path() -> String {
    capture(CAPTURE).to_string_lossy().into_owned()
}

#[test]
fn lines_equal_tcpdump_at_every_verbosity() {
    compare_with_tcpdump(&path(), &["", "-v", "-vv", "-vvv"], DAMAGED + 1);
}

/// A DNS over TCP length prefix the capture cut is read unchecked by
/// tcpdump (its dump then starts at the frame); the rest is checked.
/// Names of many labels and long pointer chains
/// ([`dns_captures::many_labels`]), whole and cut at every byte after
/// the UDP header: tcpdump walks each to its end, printing 255
/// characters, then `<DOMAIN NAME TOO LONG>`; so does sockscope (it
/// stopped after 512 labels and pointers with `<TOO MANY LABELS>`).
#[test]
fn names_of_many_labels_equal_tcpdump_whole_and_cut() {
    use std::borrow::Cow;
    use support::pcap::{Layout, write_spaced};
    let frames: Vec<Vec<u8>> = dns_captures::many_labels()
        .iter()
        .map(|m| dns_captures::frame(false, 53, m, false))
        .collect();
    // Ethernet, IPv4 and UDP headers.
    let mut records: Vec<(Cow<[u8]>, u32)> = frames
        .iter()
        .map(|f| (Cow::Borrowed(&f[..]), f.len() as u32))
        .collect();
    for f in &frames {
        records.extend((42..f.len()).map(|k| (Cow::Borrowed(&f[..k]), f.len() as u32)));
    }
    let count = records.len();
    let bytes = write_spaced(Layout::new(1, 65535), (1_709_294_400, 1000), records);
    let file = support::temp_file("dns_many_labels.pcap", bytes);
    let p = file.to_string_lossy().into_owned();
    let whole = text(&sockscope(&["read", &p, "-v", "-c", "25"]).stdout);
    assert!(!whole.contains("TOO MANY LABELS"), "{whole}");
    assert_eq!(
        whole.matches("<DOMAIN NAME TOO LONG>").count(),
        16,
        "{whole}"
    );
    if let Some(counts) = compare_with_tcpdump(&p, &["", "-v", "-vv"], count) {
        assert_eq!(counts, [count, 2 * count, 2 * count]);
    }
}

#[test]
fn dumps_after_a_cut_equal_tcpdump() {
    compare_with_tcpdump(&path(), &["-x", "-A", "-v -X"], DAMAGED + 1);
}

#[test]
fn default_lines_golden() {
    check_run("dissect/dns.out", &["read", &path(), "-c", "120"]);
}

#[test]
fn verbose_lines_golden() {
    check_run("dissect/dns_v.out", &["read", &path(), "-v", "-c", "120"]);
}

#[test]
fn json_golden() {
    check_run(
        "dissect/dns_json.out",
        &["read", &path(), "--json", "-c", "120"],
    );
}

/// A DNS line is one line: the dissector's text sits where `UDP, length N`
/// was, and the LLMNR query keeps tcpdump's `UDP, length N`.
#[test]
fn regression_llmnr_keeps_the_udp_line_and_gains_json() {
    let out = sockscope(&["read", &path(), "port", "5355"]);
    let lines = text(&out.stdout);
    assert!(lines.contains(".5355: UDP, length 22"), "{lines}");
    let out = sockscope(&["read", &path(), "--json", "port", "5355"]);
    let json = text(&out.stdout);
    assert!(json.contains(r#""name":"wpad.""#), "{json}");
}
