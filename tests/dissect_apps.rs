//! The everyday application protocols as tcpdump prints them: for each,
//! a capture generated under `tests/support/` (hand-written messages, cut
//! ones, then damaged ones from a seeded generator) read by `sockscope
//! read` and by `tcpdump -n -r` must give the same lines byte for byte at
//! the default level and at `-v` (and `-vv` where the protocol prints more
//! there, and `-x` and `-A` where a cut capture moves tcpdump's dump to
//! the frame's first byte). Skips the comparison without tcpdump unless
//! SOCKSCOPE_REQUIRE_LIVE=1; goldens of the default line, `-v` and
//! `--json` keep the output fixed where tcpdump is missing.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::golden::{check_generated, check_run};
use support::{
    bootp_captures, capture, dhcp6_captures, ntp_captures, radius_captures, snmp_captures,
    syslog_captures, text_captures, tftp_captures,
};

/// Damaged messages after the hand-written ones, per protocol.
const DAMAGED: usize = 300;

/// The levels compared with tcpdump: where a protocol prints more at
/// `-vv`, up to there; and the hex and ASCII dumps at the default level
/// and at `-v`, since where a printer reads past a cut capture unchecked
/// (tcpdump's `longjmp`, which differs between levels) the dump starts at
/// the frame's first byte, and where it checks first, at the IP header;
/// and `-vvv` (BOOTP's PAD runs and the options after END).
const UP_TO_VV_AND_DUMPS: &[&str] = &[
    "", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x", "-vvv", "-vvv -X",
];
const UP_TO_V_AND_DUMPS: &[&str] = &["", "-v", "-x", "-A", "-v -X"];

fn path(name: &str) -> String {
    capture(name).to_string_lossy().into_owned()
}

/// The committed capture `dissect_{golden}.pcap` is the generator's;
/// every level equals tcpdump; the goldens hold.
fn check_protocol(golden: &str, bytes: &[u8], levels: &[&str]) {
    let name = format!("dissect_{golden}.pcap");
    check_generated(&name, bytes);
    let p = path(&name);
    compare_with_tcpdump(&p, levels, DAMAGED);
    check_run(&format!("dissect/{golden}.out"), &["read", &p]);
    check_run(&format!("dissect/{golden}_v.out"), &["read", &p, "-v"]);
    check_run(
        &format!("dissect/{golden}_json.out"),
        &["read", &p, "--json"],
    );
}

/// One test per protocol, so a failure names it.
macro_rules! tcpdump_tests {
    ($($test:ident: $golden:literal, $capture:expr, $levels:expr;)*) => {
        $(
            #[test]
            fn $test() {
                check_protocol($golden, &$capture, $levels);
            }
        )*
    };
}

tcpdump_tests! {
    ntp_lines_equal_tcpdump: "ntp", ntp_captures::capture(DAMAGED), UP_TO_VV_AND_DUMPS;
    bootp_lines_equal_tcpdump: "bootp", bootp_captures::capture(DAMAGED), UP_TO_VV_AND_DUMPS;
    syslog_lines_equal_tcpdump: "syslog", syslog_captures::capture(DAMAGED), UP_TO_VV_AND_DUMPS;
    tftp_lines_equal_tcpdump: "tftp", tftp_captures::capture(DAMAGED), UP_TO_V_AND_DUMPS;
    http_and_ssh_lines_equal_tcpdump: "text", text_captures::capture(DAMAGED), UP_TO_V_AND_DUMPS;
    dhcp6_lines_equal_tcpdump: "dhcp6", dhcp6_captures::capture(DAMAGED), UP_TO_V_AND_DUMPS;
    radius_lines_equal_tcpdump: "radius", radius_captures::capture(DAMAGED), UP_TO_VV_AND_DUMPS;
    snmp_lines_equal_tcpdump: "snmp", snmp_captures::capture(DAMAGED), UP_TO_V_AND_DUMPS;
}

/// Zeek's `service` comes from what a flow carries: the NTP flow and the
/// HTTP and SSH connections get theirs, while a datagram between DNS's
/// port and NTP's that holds no DNS message gets none.
#[test]
fn flows_name_the_service_their_payload_shows() {
    let ntp = path("dissect_ntp.pcap");
    let out = support::bin::sockscope(&["read", &ntp, "--flows", "--json"]);
    let json = support::bin::text(&out.stdout);
    let services =
        |json: &str, service: &str| json.matches(&format!("\"service\":\"{service}\"")).count();
    assert!(services(&json, "ntp") >= 1, "{json}");
    assert_eq!(services(&json, "dns"), 0, "{json}");
    let text = path("dissect_text.pcap");
    let out = support::bin::sockscope(&["read", &text, "--flows", "--json"]);
    let json = support::bin::text(&out.stdout);
    assert!(services(&json, "http") > 50, "{json}");
    assert!(services(&json, "ssh") > 5, "{json}");
    let table = support::bin::sockscope(&["read", &text, "--flows"]);
    assert!(support::bin::text(&table.stdout).contains("tcp/http"));
}

/// SNMP's JSON carries the decoded message, and its flows are `snmp`.
#[test]
fn snmp_json_and_service() {
    let snmp = path("dissect_snmp.pcap");
    let json = support::bin::text(&support::bin::sockscope(&["read", &snmp, "--json"]).stdout);
    for want in [
        r#""snmp":{"#,
        r#""community":"private""#,
        r#""pdu":"GetBulk""#,
        r#""non_repeaters":2"#,
        r#""generic_trap":6"#,
        r#""agent_addr":"192.0.2.7""#,
        r#""user":"\"alice\"""#,
        r#""oid":".1.3.6.1.2.1.1.1.0""#,
        r#""type":"counter64""#,
    ] {
        assert!(json.contains(want), "no {want}");
    }
    let flows = support::bin::sockscope(&["read", &snmp, "--flows", "--json"]);
    assert!(support::bin::text(&flows.stdout).contains(r#""service":"snmp""#));
}
