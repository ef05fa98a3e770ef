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

/// Every line of the capture of all IP protocol numbers (over IPv4 and
/// IPv6) equals tcpdump's at `-v`: the protocols decoded here, EGP, IGRP,
/// RSVP, EIGRP and PGM, AH over IPv6 with a zero length word, and a TCP
/// header of bad length (no analysis mark after it) included.
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
        assert_eq!(o, t);
        compared += 1;
    }
    assert_eq!(compared, 772, "tcpdump's lines (512 packets)");
}
