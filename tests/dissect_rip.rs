//! RIP v1/v2 and RIPng as tcpdump prints them: the generated captures
//! (`tests/support/rip_captures.rs`: hand-built messages, cuts at every
//! length, seeded damaged copies) read by `sockscope read` and `tcpdump
//! -n -r` give the same lines byte for byte at the default level, `-v`,
//! `-vv` and in the dumps; goldens of the default line, `-v` and `--json`
//! keep the output fixed where tcpdump is missing (the comparison then
//! skips, unless SOCKSCOPE_REQUIRE_LIVE=1). FRR's ripd and ripngd in two
//! namespaces of the test's own give the real exchange. The damaged
//! messages are in `tests/dissect_mutations.rs`.

mod support;

use support::app_captures::{check_dissect_capture, compare_with_tcpdump, json_has};
use support::bin::{sockscope, text};
use support::rip_captures::{rip_capture, ripng_capture};

/// Damaged messages after the hand-built ones, per protocol.
const DAMAGED: usize = 400;

/// The levels and dumps compared with tcpdump (RIP's `-vv` ends with its
/// own dump of the message; RIPng's cuts end by tcpdump's `longjmp`, after
/// which the dump starts at the frame's first byte).
const WITH_DUMPS: &[&str] = &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x"];

#[test]
fn rip_lines_equal_tcpdump() {
    check_dissect_capture("rip", &rip_capture(DAMAGED), WITH_DUMPS, DAMAGED);
    json_has(
        "dissect_rip.pcap",
        &[
            r#""rip":{"command":2,"command_name":"Response","#,
            r#""address":"192.168.1.0","#,
            r#""prefix_len":24"#,
            r#""next_hop":"10.0.0.2""#,
            r#""auth_type":3,"key_id":1,"#,
            r#""password":"abcdefghijklmnop""#,
        ],
    );
}

#[test]
fn ripng_lines_equal_tcpdump() {
    check_dissect_capture("ripng", &ripng_capture(DAMAGED), WITH_DUMPS, DAMAGED);
    json_has(
        "dissect_ripng.pcap",
        &[
            r#""ripng":{"command":2,"command_name":"response","#,
            r#""prefix":"2001:db8::","#,
            r#""prefix_len":48"#,
        ],
    );
}

/// FRR's configuration for one router speaking RIPv2 (MD5 keyed, RFC
/// 4822's header and trailer) and RIPng on `ifname`, updates every 5
/// seconds, its connected networks redistributed.
fn frr_rip_config(name: &str, ifname: &str) -> String {
    format!(
        "hostname {name}\n\
         key chain rip14f\n key 1\n  key-string sockscope\n!\n\
         interface {ifname}\n ip rip authentication mode md5\n ip rip authentication key-chain rip14f\n!\n\
         router rip\n version 2\n network {ifname}\n redistribute connected\n timers basic 5 30 20\n!\n\
         router ripng\n network {ifname}\n redistribute connected\n timers basic 5 30 20\n!\n"
    )
}

/// A real exchange: FRR's zebra, ripd and ripngd in two namespaces of
/// the test's own joined by a veth pair send requests, MD5-authenticated
/// RIPv2 responses and RIPng responses for their loopback networks.
/// `sockscope capture` records one side; its reading must equal tcpdump's
/// at every level and in the dumps. Needs Debian's `frr` (skips without
/// it unless SOCKSCOPE_REQUIRE_LIVE=1).
#[test]
fn frr_rip_and_ripng_exchange_equals_tcpdump() {
    use std::time::Duration;
    use support::bin::{BIN, Listening, require_tool};
    use support::netns::Netns;
    let daemons = ["zebra", "ripd", "ripngd"];
    if !support::frr::installed(&daemons) || !require_tool("tcpdump") {
        return;
    }
    let ns = || Netns::for_tools_named("rip14f", &["ip"]);
    let (Some(a), Some(b)) = (ns(), ns()) else {
        return;
    };
    if !a.veth_to(&b, ("ripa", "10.9.0.1/24"), ("ripb", "10.9.0.2/24")) {
        return;
    }
    let dir = support::tempdir();
    let file = dir.join("rip_live.pcap");
    let path = file.to_str().expect("a UTF-8 path");
    let capture = Listening::start_quiet(a.exec(&[
        BIN, "capture", "-i", "ripa", "-w", path, "udp", "port", "520", "or", "udp", "port", "521",
    ]));
    let mut servers = Vec::new();
    for (ns, name, ifname, n) in [(&a, "ra", "ripa", 1u8), (&b, "rb", "ripb", 2)] {
        let ok = |args: &[&str]| ns.exec(args).status().is_ok_and(|s| s.success());
        assert!(ok(&[
            "ip",
            "addr",
            "add",
            &format!("10.9.{n}.1/24"),
            "dev",
            "lo"
        ]));
        let v6 = format!("2001:db8:9:{n}::1/64");
        assert!(ok(&["ip", "addr", "add", &v6, "dev", "lo"]));
        let conf = frr_rip_config(name, ifname);
        servers.extend(support::frr::start(ns, &dir.join(name), &conf, &daemons));
    }
    // A request at start, then responses every 5 seconds and triggered
    // ones as routes are learnt.
    std::thread::sleep(Duration::from_secs(14));
    drop(servers);
    capture.stop_ok(libc::SIGTERM);
    let counts = compare_with_tcpdump(path, WITH_DUMPS, 6);
    eprintln!("live RIP/RIPng lines per level: {counts:?}");
    let out = text(&sockscope(&["read", path, "-v"]).stdout);
    for want in [
        "RIPv2, Request, length: ",
        "RIPv2, Response, length: ",
        "Auth header: Packet Len ",
        "Auth trailer:",
        "AFI IPv4,        10.9.2.0/24, tag 0x0000, metric: 1, next-hop: self",
        " ripng-resp ",
        "2001:db8:9:2::/64 (1)",
    ] {
        assert!(out.contains(want), "no {want}: {out}");
    }
}
