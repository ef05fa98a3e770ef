//! ISAKMP / IKE on damaged input, line for line against `tcpdump -n -r`:
//! every message of `support::service_captures::isakmp_messages` (IKEv1
//! and IKEv2, UDP 500 and NAT-T 4500) cut by the capture at every
//! length, with each length field (header, payloads, proposals,
//! transforms, attributes), next-payload type, SPI size and transform
//! count damaged, every byte changed once, and seeded random damage
//! (`isakmp_damage_capture`). The capture is generated into the test's
//! temp dir and read by both at the default level, `-v`, `-vv`, `-vvv`
//! and `-v -x`; every packet that differs is counted, the first ones
//! shown. `--json` of the same capture lists, for each packet, the
//! payloads its `-v` line opened, and says it is incomplete where the
//! line has a cut mark.

mod support;

use std::path::PathBuf;
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

/// The damage capture in the test's temp dir, and its packet count.
fn damage_capture() -> (PathBuf, usize) {
    let (pcap, frames) = isakmp_damage_capture(0x4953_0014_0000_0007, RANDOM);
    (support::temp_file("isakmp_damage.pcap", pcap), frames)
}

#[test]
fn damaged_isakmp_lines_equal_tcpdump() {
    if !require_tool("tcpdump") {
        return;
    }
    let (path, frames) = damage_capture();
    let path = path.to_string_lossy();
    let mut report = Vec::new();
    let mut differ = 0;
    for level in ["", "-v", "-vv", "-vvv", "-vvvv", "-v -x"] {
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

/// The payloads a `-v` packet opened at the top of its list: the lines
/// indented by exactly four spaces that start with a parenthesis.
fn opened(packet: &str) -> usize {
    packet
        .lines()
        .filter(|l| l.starts_with("    (") && !l.starts_with("     "))
        .count()
}

#[test]
fn damaged_isakmp_json_lists_what_the_line_opened() {
    let (path, frames) = damage_capture();
    let path = path.to_string_lossy();
    let line = sockscope(&["read", &path, "-v"]);
    let json = sockscope(&["read", &path, "--json"]);
    assert!(json.status.success(), "{}", text(&json.stderr));
    let (line, json) = (text(&line.stdout), text(&json.stdout));
    let packets = packets(&line);
    let objects: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect();
    assert_eq!(objects.len(), frames);
    assert_eq!(packets.len(), frames);
    let (mut listed, mut cut) = (0, 0);
    for (n, (packet, object)) in packets.iter().zip(&objects).enumerate() {
        let Some(isakmp) = object.get("isakmp") else {
            continue;
        };
        let payloads = isakmp["payloads"].as_array().map_or(0, Vec::len);
        assert_eq!(
            payloads,
            opened(packet),
            "packet {}: {packet}\n{isakmp}",
            n + 1
        );
        listed += payloads;
        // A cut mark in the payload list (not the cut header's, which
        // has no list) is an incomplete object.
        let list_cut = packet.contains("\n") && packet.contains(" [|");
        if list_cut {
            assert_eq!(isakmp["complete"], false, "packet {}: {packet}", n + 1);
            cut += 1;
        }
    }
    eprintln!("--json: {frames} packets, {listed} payloads as the -v lines list them, {cut} cut");
}

/// A zero initiator cookie, as tcpdump's table of 20 zeroed slots reads
/// it: ` ?` while a slot is unused, ` I` and ` R` once all 20 hold
/// other cookies; at the default level, `-v` and `-vv`.
#[test]
fn zero_initiator_cookie_sides_equal_tcpdump() {
    let (pcap, n) = support::service_captures::isakmp_zero_cookie_capture();
    let path = support::temp_file("isakmp_zero_cookie.pcap", pcap);
    let counts =
        support::app_captures::compare_with_tcpdump(&path.to_string_lossy(), &["", "-v", "-vv"], n);
    if let Some(counts) = counts {
        assert!(counts.iter().all(|c| *c >= n), "{counts:?}");
    }
}

/// An ISAKMP header (cookies 1 and 0, message id 0) of next payload `np`,
/// version `ver`, exchange `xchg`, before `body`.
fn isakmp(np: u8, ver: u8, xchg: u8, body: &[u8]) -> Vec<u8> {
    let len = (28 + body.len()) as u32;
    let mut m = vec![0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    m.extend([np, ver, xchg, 0, 0, 0, 0, 0]);
    m.extend(len.to_be_bytes());
    m.extend(body);
    m
}

/// Payloads whose fixed part or status word the message ends inside:
/// IKEv2's KE, IDi, AUTH and N with only their generic header (tcpdump
/// checks the fixed part before the name: ` [|v2ke]` alone), and IKEv1's
/// REPLAY-STATUS notification with two bytes of its status (read
/// unchecked after ` status=(`: the line ends with ` [|isakmp]`), each
/// whole and cut at every length, at `-v` and `-v -x`.
#[test]
fn payloads_ending_inside_their_fixed_part_equal_tcpdump() {
    use support::app_captures::{Frame, capture, compare_with_tcpdump, cuts, udp};
    let mut messages: Vec<Vec<u8>> = [34u8, 35, 39, 41]
        .iter()
        .map(|&np| isakmp(np, 0x20, 34, &[0, 0, 0, 4]))
        .collect();
    let n = [
        &[0u8, 0, 0, 18][..],
        &[0, 0, 0, 1, 1, 4, 0x60, 0x01],
        &[0, 0, 0, 4],
        &[0, 0],
    ]
    .concat();
    messages.push(isakmp(11, 0x10, 5, &n));
    let mut frames: Vec<Frame> = Vec::new();
    for m in &messages {
        let whole = udp(true, 500, 500, m);
        frames.extend(cuts(&whole.bytes, 42));
        frames.push(whole);
    }
    let path = support::temp_file("isakmp_fixed_parts.pcap", capture(&frames));
    compare_with_tcpdump(
        &path.to_string_lossy(),
        &["-v", "-v -x", "-vvv"],
        frames.len(),
    );
}

/// The damage capture's frames (every cut, every field damaged, the
/// seeded random copies) through every stage in this process: no panic,
/// no slow frame, memory flat (each frame's peak bounded by its size,
/// nothing kept from frame to frame beyond the cookie table's 20 slots:
/// `support::alloc_meter`).
#[test]
fn damaged_isakmp_frames_keep_memory_flat() {
    let (pcap, n) = isakmp_damage_capture(0x4953_0014_0000_0007, RANDOM);
    let file = support::pcap::parse_pcap(&pcap);
    assert_eq!(file.records.len(), n);
    let link = file.linktype;
    let (slowest, longest) = support::app_captures::frames_through_every_stage(n, 0, |_, round| {
        (link, file.records[round].2.clone())
    });
    eprintln!("{n} damaged ISAKMP frames: slowest {slowest:?}, longest line {longest} bytes");
}
