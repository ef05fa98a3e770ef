//! AODV (UDP 654) as tcpdump prints it: the generated capture
//! (`tests/support/aodv_captures.rs`: requests, replies, errors and
//! acknowledgements over IPv4 and IPv6, the IPv6 draft's types,
//! extensions, short messages, seeded damaged copies over both) and, in
//! a temporary capture, every message cut at every length over both,
//! read by `sockscope read` and `tcpdump -n -r`, give the same lines byte
//! for byte at the default level, `-v` and in the dumps; goldens of the
//! default line, `-v` and `--json` keep the output fixed where tcpdump is
//! missing. The damaged messages are also in `tests/dissect_mutations.rs`.

mod support;

use support::aodv_captures::{PORT, cuts, request};
use support::app_captures::{
    check_dissect_capture, compare_with_tcpdump, json_has, port_order_equals_tcpdump,
};

/// Damaged messages after the hand-built ones.
const DAMAGED: usize = 400;

/// tcpdump checks each message's fixed part and an extension's header
/// (its dump then starts where it always does) and reads the type
/// unchecked (its `longjmp`: the dump starts at the frame's first byte).
const WITH_DUMPS: &[&str] = &["", "-v", "-x", "-A", "-v -X"];

#[test]
fn aodv_lines_equal_tcpdump() {
    check_dissect_capture(
        "aodv",
        &support::aodv_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    json_has(
        "dissect_aodv.pcap",
        &[
            r#""aodv":{"#,
            r#""type_name":"rreq""#,
            r#""destination":"10.0.0.1""#,
            r#""unreachable":[{"#,
        ],
    );
}

#[test]
fn cut_aodv_messages_equal_tcpdump() {
    let path = support::temp_file("aodv_cuts.pcap", cuts());
    compare_with_tcpdump(&path.to_string_lossy(), WITH_DUMPS, 3000);
}

/// AODV in tcpdump's order of UDP printers (after RIP, before ISAKMP): a
/// route request between 654 and each other port sockscope decodes.
#[test]
fn aodv_port_order_is_tcpdumps() {
    let m = request(1, 0, &[10, 0, 0, 1], &[10, 0, 0, 2]);
    port_order_equals_tcpdump("aodv_ports.pcap", PORT, &m);
}
