//! The `capture` and `interfaces` commands run as the real binary: error
//! messages, exit codes, counters, signals, an interface going down.

mod support;

use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::bin::{BIN, Listening, text};
use support::frames::vlan_frame;
use support::live::{inject, live_allowed, udp_exchange, veth_or_skip, without_cap_net_raw};
use support::netns::Netns;
use support::pcap::parse_pcap;
use support::tempdir;

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run sockscope")
}

/// `sockscope ARGS` must exit with `code`, saying `want` on stderr;
/// returns the output and stderr.
fn exits_with(args: &[&str], code: i32, want: &str) -> (Output, String) {
    let out = run(args);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(want), "want {want:?} in:\n{err}");
    (out, err)
}

fn assert_counters(stderr: &str) {
    for what in [
        "packets captured",
        "packets received by filter",
        "packets dropped by kernel",
    ] {
        assert!(
            // "1 packet captured": singular for one, as tcpdump says it.
            stderr.lines().any(|l| (l.ends_with(what)
                || l.ends_with(&what.replacen("packets", "packet", 1)))
                && l.split(' ')
                    .next()
                    .is_some_and(|n| n.parse::<u64>().is_ok())),
            "no '{what}' counter in stderr:\n{stderr}"
        );
    }
}

#[test]
fn unknown_interface_lists_the_existing_ones_and_exits_1() {
    let (out, err) = exits_with(
        &["capture", "-i", "nosuch0"],
        1,
        "no interface named \"nosuch0\"",
    );
    assert!(err.contains("lo,") && err.contains("any"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_duration_is_a_usage_error() {
    exits_with(
        &["capture", "-i", "lo", "--duration", "5 parsecs"],
        2,
        "invalid duration",
    );
}

#[test]
fn interfaces_lists_lo_with_index_state_addresses_and_any() {
    let out = run(&["interfaces"]);
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    let lo_index = sockscope::sys::if_nametoindex("lo").unwrap();
    let lo = s
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("lo"))
        .unwrap_or_else(|| panic!("no lo line:\n{s}"));
    assert!(lo.contains(&format!("index {lo_index} ")), "{lo}");
    assert!(lo.contains("mac 00:00:00:00:00:00"), "{lo}");
    assert!(lo.contains("loopback") && lo.contains("up"), "{lo}");
    assert!(lo.contains("127.0.0.1/8"), "{lo}");
    // `any` is listed where tcpdump -D puts it: after the running
    // non-loopback interfaces, before loopback (issue 16).
    let pos = |name: &str| {
        s.lines()
            .position(|l| l.split_whitespace().nth(1) == Some(name))
    };
    assert!(pos("any").is_some_and(|a| Some(a) < pos("lo")), "{s}");
}

#[test]
fn without_cap_net_raw_it_says_how_to_get_it_and_exits_1() {
    let Some(out) = without_cap_net_raw(&["capture", "-i", "lo"]) else {
        return;
    };
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("needs the CAP_NET_RAW capability"), "{err}");
    assert!(err.contains("sudo"), "{err}");
    assert!(
        err.contains("setcap cap_net_raw,cap_net_admin=eip"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn duration_ends_the_capture_and_prints_the_counters() {
    if !live_allowed() {
        return;
    }
    let t = Instant::now();
    let out = run(&["capture", "-i", "lo", "--duration", "300ms"]);
    let took = t.elapsed();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert_counters(&err);
}

#[test]
fn sigterm_ends_the_capture_cleanly_with_counters() {
    if !live_allowed() {
        return;
    }
    let mut cmd = Command::new(BIN);
    cmd.args(["capture", "-i", "lo"]);
    let capture = Listening::start_quiet(cmd);
    let (_, err) = capture.stop_ok_within(libc::SIGTERM, Duration::from_secs(3));
    assert_counters(&err);
}

#[test]
fn interface_going_down_is_an_error_with_counters_and_a_valid_pcap() {
    if !live_allowed() {
        return;
    }
    let Some(ns) = Netns::create_or_skip() else {
        return;
    };
    let file = tempdir().join("down.pcap");
    let f = file.to_str().unwrap();
    let mut capture = Listening::start_quiet(ns.exec(&[BIN, "capture", "-i", "lo", "-w", f]));
    ns.run(|| udp_exchange(4, 100));
    let down = ns.exec(&["ip", "link", "set", "lo", "down"]).status();
    assert!(down.unwrap().success());
    let code = capture.wait_exit(Duration::from_secs(3));
    let err = capture.rest();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("interface lo went down during the capture"),
        "{err}"
    );
    assert_counters(&err);
    assert!(err.contains("4 packets captured"), "{err}");
    let pcap = parse_pcap(&std::fs::read(&file).unwrap());
    assert_eq!(
        pcap.records.len(),
        4,
        "every packet counted as captured is in the file"
    );
    assert_eq!((pcap.linktype, pcap.snaplen), (1, 262_144));
    assert!(pcap.records.iter().all(|r| r.0 == 14 + 20 + 8 + 100));
}

/// `promiscuity N` of an interface in `ns`, from `ip -d link show`.
fn promiscuity(ns: &Netns, dev: &str) -> u32 {
    let out = ns
        .exec(&["ip", "-d", "link", "show", dev])
        .output()
        .unwrap();
    let text = text(&out.stdout);
    let at = text
        .find("promiscuity ")
        .expect("ip -d link shows promiscuity");
    text[at + 12..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap()
}

#[test]
fn promiscuous_by_default_and_not_with_p() {
    let Some(ns) = veth_or_skip("v0", "v1") else {
        return;
    };
    assert_eq!(promiscuity(&ns, "v0"), 0);
    for (flag, want) in [(None, 1), (Some("-p"), 0)] {
        let mut args = vec![BIN, "capture", "-i", "v0", "-w", "/dev/null"];
        args.extend(flag);
        let capture = Listening::start_quiet(ns.exec(&args));
        assert_eq!(promiscuity(&ns, "v0"), want, "flag {flag:?}");
        capture.stop_ok_within(libc::SIGINT, Duration::from_secs(3));
        assert_eq!(
            promiscuity(&ns, "v0"),
            0,
            "promiscuous mode ends with the capture"
        );
    }
}

/// Run `capture -i IFACE -c N udp port P` on the host (unless live tests
/// skip), send `n` datagrams of 1, 2 … n bytes to port P of our own (and as
/// many to another port); check that it ends well, having printed exactly
/// them and counted them as captured. Returns its lines and stderr.
fn capture_own_udp(iface: &str, n: usize) -> Option<(Vec<String>, String)> {
    if !live_allowed() {
        return None;
    }
    let rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = rx.local_addr().unwrap().port();
    let other = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let count = n.to_string();
    let port_s = port.to_string();
    let mut cmd = Command::new(BIN);
    cmd.args(["capture", "-i", iface, "-c", &count, "udp", "port", &port_s]);
    let capture = Listening::start_quiet(cmd);
    let mut buf = [0u8; 64];
    for i in 0..n {
        tx.send_to(b"noise", other.local_addr().unwrap()).unwrap();
        tx.send_to(&vec![b'x'; i + 1], ("127.0.0.1", port)).unwrap();
        rx.recv(&mut buf).unwrap();
    }
    let (code, out, err) = capture.finish();
    assert_eq!(code, 0, "{err}");
    let out = text(&out);
    let lines: Vec<String> = out.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), n, "{out}");
    for (i, l) in lines.iter().enumerate() {
        assert!(l.ends_with(&format!("UDP, length {}", i + 1)), "{l}");
    }
    assert!(err.contains(&format!("{n} packets captured")), "{err}");
    Some((lines, err))
}

#[test]
fn filter_words_select_in_the_kernel_and_the_counters_show_only_matches() {
    let Some((_, err)) = capture_own_udp("lo", 5) else {
        return;
    };
    assert!(err.contains("5 packets received by filter"), "{err}");
    assert!(err.contains("0 packets dropped by kernel"), "{err}");
}

#[test]
fn any_device_with_a_filter_prints_each_loopback_packet_once() {
    let Some((lines, err)) = capture_own_udp("any", 3) else {
        return;
    };
    for l in &lines {
        assert!(l.contains(" lo    In  IP 127.0.0.1."), "SLL2 line: {l}");
    }
    // On `any` the kernel filter passes both loopback copies (out and in);
    // the outgoing one is dropped in user space, as libpcap does.
    assert!(err.contains("6 packets received by filter"), "{err}");
}

#[test]
fn explain_filter_prints_the_program_without_capturing() {
    let out = run(&["capture", "-i", "lo", "-d", "udp", "dst", "port", "53"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.starts_with("(000) ldh      [12]\n"), "{s}");
    assert!(s.trim_end().ends_with("ret      #0"), "{s}");
    assert!(s.contains("jeq      #0x35"), "{s}");
    assert!(!text(&out.stderr).contains("listening"));
}

#[test]
fn a_filter_that_does_not_parse_is_a_usage_error() {
    exits_with(&["capture", "-i", "lo", "udp", "port"], 2, "invalid filter");
}

#[test]
fn a_filter_the_link_type_refuses_exits_1() {
    let args = ["capture", "-i", "any", "ether", "host", "1:2:3:4:5:6"];
    exits_with(&args, 1, "LINUX_SLL2");
}

#[test]
fn vlan_filter_matches_frames_whose_tag_the_kernel_took_off() {
    let Some(ns) = veth_or_skip("v0", "v1") else {
        return;
    };
    let capture = Listening::start_quiet(ns.exec(&[
        BIN, "capture", "-i", "v1", "-c", "1", "vlan", "5", "and", "udp",
    ]));
    ns.run(|| inject("v0", &vlan_frame()));
    let (code, out, err) = capture.finish();
    let out = text(&out);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("10.0.0.1.12345 > 10.0.0.2.12345: UDP, length 4"),
        "{out}"
    );
}
