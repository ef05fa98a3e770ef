//! VXLAN-GPE (UDP 4790), NSH and OTV (UDP 8472) as tcpdump prints them, on captures built
//! by hand (`tests/support/overlay_captures.rs`): `sockscope read` must
//! print what `tcpdump -n -r` prints at the default level, `-v`, `-vv`,
//! `-vvv` (NSH's context headers), under `-e` and the `-x`/`-xx`/`-X`/
//! `-XX`/`-A` dumps, byte for byte: the committed capture (hand-built
//! frames and damaged ones, with goldens of the line, `-v` and `--json`),
//! every frame cut by the snap length at every byte, thousands of damaged
//! payloads, and the datagram between 4790 and the other known ports.

mod support;

use support::app_captures::{check_dissect_capture, compare_with_tcpdump, json_has};
use support::overlay_captures as overlay;

/// Damaged payloads in the committed capture.
const DAMAGED: usize = 100;

#[test]
fn vxlan_gpe_nsh_and_otv_lines_equal_tcpdump() {
    check_dissect_capture("overlays", &overlay::capture(DAMAGED), overlay::LEVELS, 150);
    json_has(
        "dissect_overlays.pcap",
        &[
            r#""vxlan_gpe":{"#,
            r#""next_protocol":4"#,
            r#""nsh":{"#,
            r#""service_path_id":300"#,
            r#""otv":{"#,
            r#""instance":42"#,
        ],
    );
}

#[test]
fn overlays_cut_at_every_byte_equal_tcpdump() {
    let path = support::temp_file("overlays_cut.pcap", overlay::cuts_capture());
    compare_with_tcpdump(&path.to_string_lossy(), overlay::LEVELS, 3000);
}

#[test]
fn damaged_overlay_headers_equal_tcpdump() {
    let frames = overlay::damaged_frames(0x4790_0000_0000_0002, 4000);
    let bytes = support::app_captures::capture(&frames);
    let path = support::temp_file("overlays_damaged.pcap", bytes);
    compare_with_tcpdump(&path.to_string_lossy(), &["", "-v", "-vvv", "-x"], 3500);
}

/// VXLAN-GPE and OTV come after the other UDP printers tcpdump has for
/// these ports (DNS, RIP, SNMP, NTP, syslog, HSRP and BFD to their port,
/// …); OTV before VXLAN, Geneve, VXLAN-GPE and MPLS in UDP; VXLAN-GPE
/// after VXLAN and Geneve, before MPLS in UDP. (The printers tcpdump has
/// and sockscope has not yet, LISP's 4342 among them, are left out.)
#[test]
fn overlay_port_order_is_tcpdumps() {
    let others = [
        53, 5353, 69, 67, 68, 520, 500, 4500, 161, 162, 123, 88, 521, 546, 547, 6696, 1812, 1985,
        646, 3784, 3785, 4784, 6343, 5060, 514, 319, 320, 5355, 137, 138, 1701, 4789, 6081, 6635,
        4790, 8472, 7, 80, 443,
    ];
    for port in [overlay::PORT, overlay::OTV_PORT] {
        let path = support::temp_file(
            &format!("overlays_ports_{port}.pcap"),
            overlay::port_order_capture(port, &others),
        );
        compare_with_tcpdump(&path.to_string_lossy(), &["", "-v"], others.len() * 2 - 2);
    }
}

/// The flows are the conversations inside VXLAN-GPE (IPv4, IPv6 and
/// Ethernet next, and NSH around them): the ICMP echo carried four ways is
/// one flow; the datagrams to 4790 that carry a packet make no flow of
/// their own.
#[test]
fn flows_follow_vxlan_gpe_and_nsh_inside() {
    let p = support::capture("dissect_overlays.pcap")
        .to_string_lossy()
        .into_owned();
    let (flows, json) = support::flows::json_flow_lines(&p, "12");
    let icmp = flows
        .iter()
        .find(|f| f.contains("\"id.orig_h\":\"192.168.1.1\"") && f.contains("\"proto\":\"icmp\""))
        .expect("the inner ICMP flow");
    assert!(icmp.contains("\"orig_pkts\":5,"), "{icmp}");
    assert!(
        flows
            .iter()
            .any(|f| f.contains("\"id.orig_h\":\"fd00::1\"")),
        "{json}"
    );
    assert!(
        !flows.iter().any(|f| f.contains("\"id.resp_p\":4790,")),
        "{json}"
    );
}
