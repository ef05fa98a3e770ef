//! Differential test of tcpdump's output flags and `-v` fields: for every
//! capture below and every flag set (`-v`, `-vv`, `-vvv`, `-e`, `-x`,
//! `-xx`, `-X`, `-XX`, `-A`, `-AA`, each `-t` form, `-#`, and some
//! together), `sockscope read FILE FLAGS` prints byte for byte what
//! `tcpdump -n -r FILE FLAGS` prints (TZ=UTC), line by line, with no
//! allowance: sockscope's TCP analysis marks need `--analysis`, so `-v`
//! prints tcpdump's lines (the TCP analysis captures below included).
//!
//! Skips without tcpdump unless SOCKSCOPE_REQUIRE_LIVE=1 (CI installs it).

mod support;

use std::process::Command;
use support::bin::{require_tool, sockscope};
use support::golden::check_generated;
use support::{capture, verbose_captures};

/// The captures compared: the generated `-v` classes and time line, and
/// the committed captures whose default lines already equal tcpdump's.
const FILES: &[&str] = &[
    "verbose_fields.pcap",
    "verbose_time_gaps.pcap",
    "inspect_ethernet.pcap",
    "inspect_ethernet_be_ns.pcap",
    "inspect_vlan.pcap",
    "inspect_ipv6.pcap",
    "inspect_sll.pcap",
    "inspect_sll2.pcap",
    "inspect_null.pcap",
    "inspect_raw.pcap",
    "demo_tcp.pcap",
    "demo_udp.pcap",
    "demo_chat.pcap",
    "demo_talk.pcap",
    "tcp_normal.pcap",
    "tcp_refused.pcap",
    "tcp_abort.pcap",
    "tcp_half_close.pcap",
    "tcp_simultaneous_open.pcap",
    "tcp_simultaneous_close.pcap",
    "tcp_mid_stream.pcap",
    "tcp_syn_retransmit.pcap",
    "tcp_analysis_loss.pcap",
    "tcp_analysis_window.pcap",
    "tcp_bad_checksums.pcap",
    // Issue 12's default-line classes.
    "exact_arp.pcap",
    "exact_ethertypes.pcap",
    "exact_icmp.pcap",
    "exact_ipv6.pcap",
    "exact_ipv6_options.pcap",
    "exact_nd_errors.pcap",
    "exact_snapped.pcap",
    "inspect_snapped.pcap",
    "inspect_malformed.pcap",
    "exact_fcs_linktype.pcap",
    "exact_ipv4.pcap",
    "exact_no_endofopt.pcapng",
    "exact_raw_ipv4.pcap",
    "exact_records.pcap",
    "exact_tcp_options.pcap",
    // The wider check's cuts (tests/tools/wider_check.sh).
    "exact_cuts.pcap",
    // Router renumbering and RPL under -v/-vv.
    "exact_rr_rpl.pcap",
];

const FLAGS: &[&[&str]] = &[
    &["-v"],
    &["-vv"],
    &["-vvv"],
    &["-e"],
    &["-e", "-v"],
    &["-x"],
    &["-xx"],
    &["-X"],
    &["-XX"],
    &["-A"],
    &["-AA"],
    &["-e", "-xx", "-vv"],
    &["-t"],
    &["-tt"],
    &["-ttt"],
    &["-tttt"],
    &["-ttttt"],
    &["-#"],
    &["-#", "-tttt", "-v", "-XX"],
];

#[test]
fn committed_captures_match_generator() {
    for (name, bytes) in verbose_captures::all() {
        check_generated(name, &bytes);
    }
}

#[test]
fn output_flags_equal_tcpdump() {
    if !require_tool("tcpdump") {
        return;
    }
    let mut failures = Vec::new();
    let mut compared = 0;
    for file in FILES {
        let path = capture(file);
        let path = path.to_str().unwrap();
        for flags in FLAGS {
            let ours = sockscope(&[&["read", path][..], flags].concat());
            let theirs = support::bin::tcpdump(path, flags);
            assert!(ours.status.success(), "{file} {flags:?}");
            let ours = String::from_utf8_lossy(&ours.stdout).into_owned();
            let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
            assert!(!theirs.is_empty(), "tcpdump printed nothing for {file}");
            let (o, t): (Vec<_>, Vec<_>) = (ours.lines().collect(), theirs.lines().collect());
            for i in 0..o.len().max(t.len()) {
                let (a, b) = (o.get(i).copied(), t.get(i).copied());
                compared += 1;
                match (a, b) {
                    (Some(a), Some(b)) if a == b => {}
                    _ => failures.push(format!(
                        "{file} {flags:?} line {}:\n  sockscope: {a:?}\n  tcpdump:   {b:?}",
                        i + 1
                    )),
                }
                if failures.len() > 40 {
                    break;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} lines differ from tcpdump's:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The protocol name in a `-v` header line: `proto X (N)` or
/// `next-header X (N)`.
fn protocol_name(line: &str) -> Option<&str> {
    let (_, rest) = line
        .split_once(", proto ")
        .or_else(|| line.split_once("next-header "))?;
    let end = rest.find(" (")?;
    rest.get(..end + rest[end..].find(')')? + 1)
}

/// Every IP protocol number named as tcpdump names it (the rest of those
/// lines, later fragments and unknown payloads, is the default line's
/// business and not compared here).
#[test]
fn protocol_names_equal_tcpdump() {
    if !require_tool("tcpdump") {
        return;
    }
    let path = capture("verbose_protocols.pcap");
    let path = path.to_str().unwrap();
    let ours = sockscope(&["read", path, "-v"]);
    let theirs = Command::new("tcpdump")
        .args(["-n", "-v", "-r", path])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let names = |b: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(b)
            .lines()
            .filter_map(protocol_name)
            .map(str::to_owned)
            .collect()
    };
    let (ours, theirs) = (names(&ours.stdout), names(&theirs.stdout));
    assert_eq!(theirs.len(), 512, "tcpdump's lines");
    assert_eq!(ours, theirs);
}
