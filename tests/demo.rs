//! `sockscope demo` end to end: real endpoints on loopback, a real capture
//! on `lo`. Needs CAP_NET_RAW: skips with a reason without it, fails instead
//! under SOCKSCOPE_REQUIRE_LIVE=1 (CI runs as root).
//!
//! The recorded demo captures (`captures/demo_*.pcap`) are replayed without
//! privileges against golden outputs; `SOCKSCOPE_RECORD_DEMO=1 cargo test
//! --test demo record_demo_captures` records them again (then bless the
//! goldens with `SOCKSCOPE_BLESS=1 cargo test --test demo`).

mod support;

use support::bin::{assert_contains_all, have_tool, sockscope, tcpdump_read};
use support::golden::check_run;
use support::live::{live_allowed, without_cap_net_raw};
use support::{capture, env_on, tempdir};

/// One line per flow: proto, conn_state, both states, history, packets.
fn flow_summary() -> Vec<String> {
    let out = sockscope(&["demo", "--flows", "--json"]);
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!(
                "{} {} {} {} {} {}/{}",
                v["proto"].as_str().unwrap(),
                v["conn_state"].as_str().unwrap(),
                v["orig_state"].as_str().unwrap_or("-"),
                v["resp_state"].as_str().unwrap_or("-"),
                v["history"].as_str().unwrap(),
                v["orig_pkts"],
                v["resp_pkts"]
            )
        })
        .collect()
}

/// What every scenario must end as, in the order they run (the IPv6
/// session only where the machine has `::1`).
fn expected(has_ipv6: bool) -> Vec<&'static str> {
    let mut e = vec![
        "tcp SF TIME_WAIT CLOSED ShADadFf 8/6", // normal: client closes first
        "tcp SF CLOSED TIME_WAIT ShADadfF 5/5", // server closes first (idle timeout)
        "tcp RSTO CLOSED CLOSED ShADadR 5/3",   // SO_LINGER 0
        "tcp REJ CLOSED CLOSED Sr 1/1",         // refused
        "tcp SF TIME_WAIT CLOSED ShAFdf 5/3", // half close: message+FIN in one segment (Zeek: F only), answer after it
        "tcp SF TIME_WAIT CLOSED ShADadFf 6/4", // coalesce: three corked writes in one segment, one reply
        "tcp SF TIME_WAIT CLOSED ShADadFf 6/4", // three clients at once
        "tcp SF TIME_WAIT CLOSED ShADadFf 6/4",
        "tcp SF TIME_WAIT CLOSED ShADadFf 6/4",
    ];
    if has_ipv6 {
        e.push("tcp SF TIME_WAIT CLOSED ShADadFf 6/4");
    }
    e.extend([
        "udp SF - - Dd 2/2", // UDP echo
        "udp S0 - - D 1/0",  // to a closed port …
        "icmp S0 - - D 1/0", // … and the ICMP port unreachable
        "udp SF - - Dd 5/7", // chat: alice (cookie, join, …)
        "udp SF - - Dd 4/4", // chat: bob
        // talk: server first, client half-closes, server answers, then closes
        "tcp SF TIME_WAIT CLOSED ShAdDaFf 7/6",
    ]);
    e
}

/// `demo SCENARIO`'s stdout; fails with its stderr unless it exits 0.
fn demo_ok(scenario: &str) -> String {
    let out = sockscope(&["demo", scenario]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn has_ipv6_loopback() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}

#[test]
fn demo_shows_both_sides_states_of_a_normal_session() {
    if !live_allowed() {
        return;
    }
    let text = demo_ok("tcp");
    // The first timeline is the normal session (C1): collapse repeated
    // rows and compare both sides' states step by step.
    let c1: Vec<&str> = text
        .split("\nTCP ")
        .nth(1)
        .expect("a timeline")
        .lines()
        .filter(|l| l.contains("──▶") || l.contains("◀──"))
        .collect();
    let mut states: Vec<(String, String)> = Vec::new();
    for row in c1 {
        let words: Vec<&str> = row.split_whitespace().collect();
        let pair = (
            words[words.len() - 2].to_string(),
            words[words.len() - 1].to_string(),
        );
        if states.last() != Some(&pair) {
            states.push(pair);
        }
    }
    let want = [
        ("SYN_SENT", "SYN_RCVD"),
        ("ESTABLISHED", "SYN_RCVD"),
        ("ESTABLISHED", "ESTABLISHED"),
        ("FIN_WAIT_1", "CLOSE_WAIT"),
        ("TIME_WAIT", "LAST_ACK"),
        ("TIME_WAIT", "CLOSED"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(states, want, "{text}");
    assert_contains_all(
        &text,
        &[
            // The legend explains each state under the row where it
            // first appears.
            "· TIME_WAIT: closed first and saw both FINs",
            "client entered TIME_WAIT",
            "> hello        < HELLO",
            // The follow views: the echo session's segments, and three
            // writes that left as one segment and came out of one read().
            "Follow C1 (the first echo session)",
            ": 6 bytes at offset 0 ---\n6\nhello\n",
            ": 14 bytes at offset 0 ---\n14\none\ntwo\nthree\n",
            "1 read() got 14 bytes",
        ],
    );
}

#[test]
fn demo_twenty_times_in_a_row_gives_the_same_flows() {
    if !live_allowed() {
        return;
    }
    let want = expected(has_ipv6_loopback());
    for run in 0..20 {
        assert_eq!(flow_summary(), want, "run {run}");
    }
}

#[test]
fn demo_without_cap_net_raw_still_talks_and_says_how() {
    let Some(out) = without_cap_net_raw(&["demo", "udp"]) else {
        return;
    };
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("> ping         < PING"), "{stdout}");
    assert!(
        stdout.contains("ICMP port unreachable came back"),
        "{stdout}"
    );
    assert!(
        stdout.contains("needs the CAP_NET_RAW capability"),
        "{stdout}"
    );
    assert!(
        stderr.contains("setcap cap_net_raw,cap_net_admin=eip"),
        "{stderr}"
    );
}

#[test]
fn demo_write_keeps_the_capture() {
    if !live_allowed() {
        return;
    }
    let path = tempdir().join("demo.pcap");
    let out = sockscope(&["demo", "udp", "-w", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `-w` writes the packets "instead of printing them" (issue 16: the
    // demo printed them too); the flow table is still shown.
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        !shown.lines().any(|l| l.contains(" IP 127.0.0.1.")),
        "packet lines with -w:\n{shown}"
    );
    assert!(shown.contains("wrote 6 packets"), "{shown}");
    assert!(
        !shown.contains("Follow C"),
        "no TCP session to follow:\n{shown}"
    );
    let replay = sockscope(&["read", path.to_str().unwrap()]);
    let lines = String::from_utf8_lossy(&replay.stdout);
    assert_eq!(lines.lines().count(), 6, "{lines}");
    assert!(lines.contains("udp port"), "{lines}");
    if have_tool("tcpdump") {
        assert_eq!(tcpdump_read(&path), lines);
    }
}

/// The talk conversation: the server speaks first, data flows after the
/// client's half close, and the client, which closed first, ends in
/// TIME_WAIT; the transcript says each step.
#[test]
fn demo_talk_shows_half_close_then_time_wait() {
    if !live_allowed() {
        return;
    }
    let text = demo_ok("talk");
    assert_contains_all(
        &text,
        &[
            "server> hello, who's there?",
            "client> it's me, the client",
            "client input ends: shutdown(SHUT_WR), its FIN (half close)",
            "server> still here after your FIN",
        ],
    );
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("──▶") || l.contains("◀──"))
        .collect();
    // After the client's FIN (FIN_WAIT_1/CLOSE_WAIT) the server still sends
    // data, then its FIN; the client holds TIME_WAIT.
    let fin = rows
        .iter()
        .position(|r| r.contains("FIN,ACK") && r.contains("──▶"))
        .expect("the client's FIN");
    assert!(rows[fin].ends_with("FIN_WAIT_1    CLOSE_WAIT"), "{text}");
    assert!(
        rows[fin + 2..]
            .iter()
            .any(|r| r.contains("len=26") && r.contains("◀──")),
        "data after the half close\n{text}"
    );
    assert!(
        rows.last().unwrap().ends_with("TIME_WAIT     CLOSED"),
        "{text}"
    );
    assert!(text.contains("client entered TIME_WAIT"), "{text}");
    // Only the talk session's bytes are followed (the demo once printed the
    // TCP demo's headings too, with nothing under the coalescing one).
    let follows: Vec<&str> = text.lines().filter(|l| l.starts_with("Follow C")).collect();
    assert_eq!(
        follows,
        ["Follow C1 (the talk session): the bytes each side sent, one mark per segment"],
        "{text}"
    );
    assert!(
        text.contains(": 26 bytes at offset 20 ---\n\t26\nstill here after your FIN\n"),
        "{text}"
    );
    // Everything captured is this one session: another program's traffic
    // on the same port numbers in another protocol or family is not ours.
    assert!(text.contains("1 flow, 13 packets;"), "{text}");
}

const RECORDED: &[(&str, &str)] = &[
    ("tcp", "demo_tcp"),
    ("udp", "demo_udp"),
    ("chat", "demo_chat"),
    ("talk", "demo_talk"),
];

/// Re-record `captures/demo_*.pcap` (only with SOCKSCOPE_RECORD_DEMO=1).
#[test]
fn record_demo_captures() {
    if !env_on("SOCKSCOPE_RECORD_DEMO") {
        return;
    }
    for (scenario, name) in RECORDED {
        let path = capture(&format!("{name}.pcap"));
        let out = sockscope(&["demo", scenario, "-w", path.to_str().unwrap()]);
        assert!(out.status.success());
    }
}

/// The recorded demo, replayed without privileges: packet lines with
/// relative times, flow table, timelines.
#[test]
fn recorded_demo_captures_replay_against_goldens() {
    if env_on("SOCKSCOPE_RECORD_DEMO") {
        return;
    }
    for (_, name) in RECORDED {
        let path = capture(&format!("{name}.pcap"));
        check_run(
            &format!("demo/{name}.out"),
            &[
                "read",
                path.to_str().unwrap(),
                "--time",
                "rel",
                "--flows",
                "--timeline",
                "-v",
                "-K",
            ],
        );
    }
}
