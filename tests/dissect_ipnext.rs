//! The small protocols tcpdump decodes straight from the IP protocol
//! number (IPComp, minimal encapsulation, the IPv6 mobility header under
//! both its numbers, Ethernet in IPv6, Sun ND, AH with a zero length word
//! over IPv6), on a capture built by hand
//! (`tests/support/ipnext_captures.rs`): over IPv4 and IPv6, whole, cut at
//! every byte of the payload and damaged at random. `sockscope read` must
//! print what `tcpdump -n -r` prints at every level, under `-e` and with
//! the dumps (which start at the first byte where tcpdump's printer
//! jumped out), byte for byte; goldens keep the lines and the JSON where
//! tcpdump is missing. Beside it: each protocol decoded over its own
//! version of IP only (line, JSON, flow view), the ports behind AH and
//! IPv6 extension headers (`dissect_ipnext_behind.pcap`), and no analysis
//! mark after a TCP header of a bad length, on the line nor in the JSON.

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

/// A protocol registered for one version of IP is decoded over that one
/// only, in `--json` and the flow view as on the line: over IPv4 the
/// mobility header (135, 62) is `ip-proto-135` and has no `mobility`
/// object, an Ethernet frame (143) is `[Ethernet requires IPv6]
/// (invalid)` with no tunnel layer and no inner packet, and its flow is
/// the outer one; over IPv6 IGMP is `[IGMP requires IPv4] (invalid)` with
/// no `igmp` object. The same payloads over IPv6 (IPv4 for IGMP) keep
/// theirs.
#[test]
fn each_protocol_is_decoded_over_its_version_of_ip_only() {
    use support::bin::{packets_json, sockscope, text};
    check_generated(NAME, &ipnext_captures::capture(DAMAGED));
    let p = capture(NAME).to_string_lossy().into_owned();
    let packets = packets_json(&p);
    let lines = text(&sockscope(&["read", &p]).stdout);
    let lines: Vec<&str> = lines.lines().collect();
    let whole = &packets[..ipnext_captures::WHOLE];
    let mut seen = [0; 3];
    for (n, pkt) in whole.iter().enumerate() {
        let (proto, version) = (&pkt["ip"]["proto"], &pkt["ip"]["version"]);
        let v4 = version == 4;
        if proto == 135 || proto == 62 {
            assert_eq!(pkt.get("mobility").is_some(), !v4, "{pkt}");
            assert_eq!(lines[n].contains(" ip-proto-"), v4, "{}", lines[n]);
            seen[0] += 1;
        }
        if proto == 143 {
            for key in ["tunnel", "inner"] {
                assert_eq!(pkt.get(key).is_some(), !v4, "{pkt}");
            }
            assert_eq!(
                lines[n].ends_with("[Ethernet requires IPv6] (invalid)"),
                v4,
                "{}",
                lines[n]
            );
            seen[1] += 1;
        }
    }
    assert_eq!(seen[..2], [60, 2]);
    // The flows of the two Ethernet frames: IPv4's is its own (protocol
    // 143 between the outer addresses), IPv6's the ICMP echo inside.
    let filter = "ip proto 143 or ip6 proto 143";
    let out = sockscope(&["read", &p, "--flows", "--json", "-c", "2", filter]);
    let flows = text(&out.stdout);
    let flows: Vec<&str> = flows.lines().filter(|l| l.contains("conn_state")).collect();
    assert_eq!(flows.len(), 2, "{flows:?}");
    assert!(
        flows[0].contains("\"id.orig_h\":\"10.0.0.1\""),
        "{}",
        flows[0]
    );
    assert!(
        flows[1].contains("\"id.orig_h\":\"192.0.2.1\""),
        "{}",
        flows[1]
    );
    // IGMP over both versions, in the capture of every protocol number.
    let all = packets_json(capture("verbose_protocols.pcap").to_str().expect("UTF-8"));
    for pkt in all.iter().filter(|p| p["ip"]["proto"] == 2) {
        assert_eq!(
            pkt.get("igmp").is_some(),
            pkt["ip"]["version"] == 4,
            "{pkt}"
        );
        seen[2] += 1;
    }
    assert_eq!(seen[2], 2);
}

/// An IPv6 extension header after AH, over IPv4 and IPv6: tcpdump's
/// ` ip-proto-60 20` (it does not walk further), whole and cut at every
/// byte, at every level and in the dumps.
#[test]
fn extension_header_after_ah_is_tcpdumps_ip_proto() {
    use support::ipnext_captures::behind;
    let path = support::temp_file("ext_after_ah.pcap", behind::ext_after_ah_capture());
    let levels = ["", "-v", "-e", "-e -v", "-x"];
    if let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), &levels, 16) {
        assert!(counts[0] > 600, "{counts:?}");
    }
}

/// A transport behind an authentication header (IPv4, and IPv6's AH
/// with a zero length word) or IPv6 extension headers: tcpdump's TCP, UDP
/// (good length or bad) and PGM printers say `sport > dport: ` without
/// the addresses, SCTP's and DCCP's say both; whole and cut at every byte
/// of the IP payload, every line equal to tcpdump's.
#[test]
fn ports_behind_other_headers_equal_tcpdump() {
    use support::ipnext_captures::behind;
    const BEHIND: &str = "dissect_ipnext_behind.pcap";
    check_generated(BEHIND, &behind::capture());
    let p = capture(BEHIND).to_string_lossy().into_owned();
    let levels = ["", "-v", "-vv", "-e", "-x"];
    if let Some(counts) = compare_with_tcpdump(&p, &levels, 1000) {
        assert_eq!(counts[0], behind::frames().len());
    }
    check_run("dissect/ipnext_behind.out", &["read", &p]);
    // The ports alone after AH over IPv4, for UDP of a bad length too.
    let lines = support::bin::text(&support::bin::sockscope(&["read", &p]).stdout);
    let whole: Vec<&str> = lines.lines().take(behind::whole()).collect();
    assert!(
        whole
            .iter()
            .any(|l| l.contains(" IP 10.0.0.1 > 10.0.0.2: AH(")
                && l.contains("): 1234 > 5000: UDP, length 4")),
        "{whole:?}"
    );
    assert!(
        whole
            .iter()
            .any(|l| l.contains("): 1234 > 53: truncated-udplength 4"))
    );
    assert!(
        whole
            .iter()
            .any(|l| l.contains("DSTOPT 1000 > 2000: PGM, length 2"))
    );
    assert!(
        whole
            .iter()
            .any(|l| l.contains("DSTOPT 2001:db8::1.1000 > 2001:db8::2.2000: sctp"))
    );
}

/// After a TCP header whose length tcpdump calls bad, the `--analysis`
/// line leaves the tracker's analysis marks off (the segment was not read), and `--json`
/// does the same: the marks are on the same packets in both.
#[test]
fn analysis_marks_skip_a_bad_tcp_header_in_line_and_json() {
    use support::bin::{packets_json, sockscope, text};
    use support::ipnext_captures::bad_tcp_header;
    const MARKS: &str = "dissect_ipnext_tcp_marks.pcap";
    check_generated(MARKS, &bad_tcp_header::capture());
    let p = capture(MARKS).to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["", "-v"], 7);
    let lines = text(&sockscope(&["read", &p, "-v", "--analysis"]).stdout);
    let marked: Vec<bool> = lines
        .lines()
        .filter(|l| l.starts_with("    "))
        .map(|l| l.ends_with(" [zero window]"))
        .collect();
    assert_eq!(marked, [false, false, false, true, false, false, true]);
    let out = sockscope(&["read", &p, "--json", "--analysis"]);
    let json: Vec<bool> = text(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            v.get("analysis") == Some(&serde_json::json!(["zero window"]))
        })
        .collect();
    assert_eq!(json, marked);
    // Without --analysis neither has marks, at -v too.
    assert!(packets_json(&p).iter().all(|v| v.get("analysis").is_none()));
    let plain = text(&sockscope(&["read", &p, "--json", "-v"]).stdout);
    assert!(!plain.contains("\"analysis\""), "{plain}");
    assert!(!text(&sockscope(&["read", &p, "-v"]).stdout).contains(" [zero window]"));
}
