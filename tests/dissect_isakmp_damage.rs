//! ISAKMP / IKE on damaged input, line for line against `tcpdump -n -r`:
//! every message of `support::service_captures::isakmp_messages` (IKEv1
//! and IKEv2, UDP 500 and NAT-T 4500) cut by the capture at every
//! length, with each length field (header, payloads, proposals,
//! transforms, attributes), next-payload type, SPI size and transform
//! count damaged, every byte changed once, and seeded random damage
//! (`isakmp_damage_capture`). The capture is generated into the test's
//! temp dir and read by both at the default level, `-v`, `-vv`, `-vvv`
//! and `-v -x`; every packet that differs is counted, the first ones
//! shown.

mod support;

use std::process::Command;
use support::bin::{require_tool, sockscope, text};
use support::service_captures::isakmp_damage_capture;

/// Seeded random damaged copies after the systematic ones.
const RANDOM: usize = 20_000;

/// A printout split into packets: each starts at a line that does not
/// start with white space (`-v` payload lines and `-x` dump lines do).
fn packets(out: &str) -> Vec<&str> {
    let mut v = Vec::new();
    let mut start = None;
    for (i, _) in out.match_indices('\n') {
        let next = out.get(i + 1..).unwrap_or("");
        if start.is_none() {
            start = Some(0);
        }
        if !next.starts_with([' ', '\t']) {
            v.push(out.get(start.unwrap_or(0)..i).unwrap_or(""));
            start = Some(i + 1);
        }
    }
    v
}

#[test]
fn damaged_isakmp_lines_equal_tcpdump() {
    if !require_tool("tcpdump") {
        return;
    }
    let (pcap, frames) = isakmp_damage_capture(0x4953_0014_0000_0007, RANDOM);
    let path = support::temp_file("isakmp_damage.pcap", pcap);
    let path = path.to_string_lossy();
    let mut report = Vec::new();
    let mut differ = 0;
    for level in ["", "-v", "-vv", "-vvv", "-v -x"] {
        let flags: Vec<&str> = level.split_whitespace().collect();
        let args: Vec<&str> = ["read", &path].into_iter().chain(flags.clone()).collect();
        let ours = sockscope(&args);
        assert!(ours.status.success(), "{}", text(&ours.stderr));
        let theirs = Command::new("tcpdump")
            .args(["-n", "-r", &path])
            .args(&flags)
            .env("TZ", "UTC")
            .output()
            .expect("tcpdump runs");
        let (ours, theirs) = (text(&ours.stdout), text(&theirs.stdout));
        let (a, b) = (packets(&ours), packets(&theirs));
        assert_eq!(
            b.len(),
            frames,
            "{level}: tcpdump printed {} packets",
            b.len()
        );
        assert_eq!(a.len(), b.len(), "{level}: packets printed");
        let mut here = 0;
        for (x, y) in a.iter().zip(&b) {
            if x != y {
                here += 1;
                if here <= 5 {
                    report.push(format!("{level}:\n  sockscope: {x}\n  tcpdump:   {y}"));
                }
            }
        }
        differ += here;
        eprintln!(
            "level {level:?}: {} lines ({frames} packets) compared, {here} packets differ",
            theirs.lines().count()
        );
    }
    assert!(
        differ == 0,
        "{differ} packets differ:\n{}",
        report.join("\n")
    );
}
