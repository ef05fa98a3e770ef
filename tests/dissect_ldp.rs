//! LDP as tcpdump prints it: the generated capture
//! (`tests/support/ldp_captures.rs`: hand-built PDUs over UDP and TCP,
//! cuts at every length, seeded damaged copies) read by `sockscope read`
//! and `tcpdump -n -r` gives the same lines byte for byte at the default
//! level, `-v`, `-vv` and in the dumps; goldens of the default line, `-v`
//! and `--json` keep the output fixed where tcpdump is missing (the
//! comparison then skips, unless SOCKSCOPE_REQUIRE_LIVE=1). The damaged
//! messages are in `tests/dissect_mutations.rs`. A real session between
//! two of FRR's `ldpd` is compared too.

mod support;

use support::app_captures::{check_dissect_capture, compare_with_tcpdump, json_has};
use support::bin::{sockscope, text};

/// Damaged PDUs after the hand-built ones.
const DAMAGED: usize = 600;

/// Every cut ends by tcpdump's `longjmp`: the dump then starts at the
/// frame's first byte.
const WITH_DUMPS: &[&str] = &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x"];

#[test]
fn ldp_lines_equal_tcpdump() {
    check_dissect_capture(
        "ldp",
        &support::ldp_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    json_has(
        "dissect_ldp.pcap",
        &[
            r#""ldp":{"complete":true,"label_space":0,"lsr_id":"10.0.0.1","#,
            r#""name":"Common Hello Parameters""#,
            r#""type_name":"Label Mapping""#,
        ],
    );
}

/// FRR's LDP configuration for one side: hellos on the veth over IPv4 and
/// IPv6 (the session then runs over IPv6, which FRR prefers), a loopback
/// prefix whose label it advertises.
fn frr_ldp_config(name: &str, ifname: &str, me: u8) -> String {
    format!(
        "hostname {name}\n\
         interface lo\n ip address 192.0.2.{me}/32\n!\n\
         mpls ldp\n router-id 10.7.0.{me}\n\
         address-family ipv4\n  discovery transport-address 10.7.0.{me}\n  interface {ifname}\n  !\n exit-address-family\n\
         address-family ipv6\n  discovery transport-address 2001:db8:7::{me}\n  interface {ifname}\n  !\n exit-address-family\n!\n"
    )
}

/// A real LDP session: FRR's zebra and ldpd in two namespaces joined by a
/// veth pair send link hellos (IPv4 and IPv6 multicast), open a TCP
/// session and exchange initialization, keepalive, address and label
/// mapping messages; then one side stops. `sockscope capture` records
/// one side; its reading equals tcpdump's at every level and in the
/// dumps. Needs Debian's `frr`.
#[test]
fn frr_ldp_session_equals_tcpdump() {
    use std::time::Duration;
    // Hellos every 5 s: both sides have heard one, opened the session and
    // exchanged their labels within 12; then rb stops.
    let run = |routers: &mut Vec<Vec<_>>| {
        std::thread::sleep(Duration::from_secs(12));
        drop(routers.pop());
        std::thread::sleep(Duration::from_secs(2));
    };
    let Some(file) = support::frr::captured_pair("ldp", 7, &["zebra", "ldpd"], frr_ldp_config, run)
    else {
        return;
    };
    let path = file.to_str().expect("a UTF-8 path");
    let levels = ["", "-v", "-vv", "-x", "-v -X", "-e"];
    let counts = compare_with_tcpdump(path, &levels, 20);
    eprintln!("live LDP lines per level: {counts:?}");
    let out = text(&sockscope(&["read", path, "-v"]).stdout);
    for kind in [
        "Hello Message",
        "Initialization Message",
        "Keepalive Message",
        "Address Message",
        "Label Mapping Message",
    ] {
        assert!(out.contains(kind), "no {kind}: {out}");
    }
}
