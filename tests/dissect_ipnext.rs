//! The small protocols tcpdump decodes straight from the IP protocol
//! number (IPComp, minimal encapsulation, the IPv6 mobility header under
//! both its numbers, Ethernet in IPv6, Sun ND, AH with a zero length word
//! over IPv6), on a capture built by hand
//! (`tests/support/ipnext_captures.rs`): over IPv4 and IPv6, whole, cut at
//! every byte of the payload and damaged at random. `sockscope read` must
//! print what `tcpdump -n -r` prints at every level, under `-e` and with
//! the dumps (which start at the first byte where tcpdump's printer
//! jumped out), byte for byte; goldens keep the lines and the JSON where
//! tcpdump is missing.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::golden::{check_generated, check_run};
use support::{capture, ipnext_captures};

/// Damaged copies after the whole and cut ones.
const DAMAGED: usize = 300;

const NAME: &str = "dissect_ipnext.pcap";

const LEVELS: &[&str] = &["", "-v", "-vv", "-e", "-e -v", "-x", "-X", "-A"];

#[test]
fn ip_payload_lines_equal_tcpdump() {
    check_generated(NAME, &ipnext_captures::capture(DAMAGED));
    let p = capture(NAME).to_string_lossy().into_owned();
    let counts = compare_with_tcpdump(&p, LEVELS, 1000);
    if let Some(counts) = counts {
        // Every frame is one line at the default level.
        assert_eq!(counts[0], ipnext_captures::frames(DAMAGED).len());
    }
    check_run("dissect/ipnext.out", &["read", &p]);
    check_run("dissect/ipnext_v.out", &["read", &p, "-v"]);
    // The JSON of the whole payloads, each over IPv4 and IPv6.
    assert_eq!(
        ipnext_captures::payloads().len() * 2,
        ipnext_captures::WHOLE
    );
    let whole = ipnext_captures::WHOLE.to_string();
    check_run(
        "dissect/ipnext_json.out",
        &["read", &p, "--json", "-c", &whole],
    );
}

/// The protocols of `captures/verbose_protocols.pcap` (every IP protocol
/// number over IPv4 and IPv6) whose printers are other work in progress
/// (EGP, IGRP, RSVP, EIGRP, PGM): their lines may still differ.
const OTHERS: &[u32] = &[8, 9, 46, 88, 113];

/// The IP protocol number a `-v` line names (`proto AH (51)`,
/// `next-header AH (51)`).
fn protocol_number(line: &str) -> Option<u32> {
    let (_, rest) = line
        .split_once(", proto ")
        .or_else(|| line.split_once("next-header "))?;
    let open = rest.find(" (")?;
    let digits = &rest[open + 2..];
    digits[..digits.find(')')?].parse().ok()
}

/// Every line of the capture of all IP protocol numbers equals tcpdump's
/// at `-v`, but those of [`OTHERS`]: the protocols decoded here, AH over
/// IPv6 with a zero length word, and a TCP header of bad length (no
/// analysis mark after it) included.
#[test]
fn every_ip_protocol_line_equals_tcpdump() {
    use std::process::Command;
    use support::bin::{require_tool, sockscope, text};
    if !require_tool("tcpdump") {
        return;
    }
    let path = capture("verbose_protocols.pcap");
    let path = path.to_str().expect("a UTF-8 path");
    let ours = sockscope(&["read", path, "-v"]);
    let theirs = Command::new("tcpdump")
        .args(["-n", "-v", "-r", path])
        .env("TZ", "UTC")
        .output()
        .expect("tcpdump runs");
    let (ours, theirs) = (text(&ours.stdout), text(&theirs.stdout));
    assert_eq!(ours.lines().count(), theirs.lines().count());
    let mut compared = 0;
    for (o, t) in ours.lines().zip(theirs.lines()) {
        if protocol_number(t).is_some_and(|n| OTHERS.contains(&n)) {
            continue;
        }
        assert_eq!(o, t);
        compared += 1;
    }
    assert!(compared > 500, "{compared} lines compared");
}
