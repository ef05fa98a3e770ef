//! LSP ping (MPLS echo request and reply, UDP 3503) as tcpdump prints it:
//! the generated capture (`tests/support/lspping_captures.rs`: every
//! header field swept, every TLV and Target FEC Stack sub-TLV tcpdump
//! knows at its length and at wrong ones, the Downstream Mapping's
//! address types, lengths that run past the TLV or the datagram, seeded
//! damaged copies) and, in a temporary capture, every message cut at
//! every length, read by `sockscope read` and `tcpdump -n -r`, give the
//! same lines byte for byte at the default level, `-v`, `-vv` and in the
//! dumps; goldens of the default line, `-v` and `--json` keep the output
//! fixed where tcpdump is missing. The damaged messages are also in
//! `tests/dissect_mutations.rs`.

mod support;

use support::app_captures::{
    check_dissect_capture, json_has, port_order_equals_tcpdump, udp_cuts_equal_tcpdump,
};
use support::lspping_captures::{PORT, messages, request};

/// Damaged messages after the hand-built ones.
const DAMAGED: usize = 400;

/// tcpdump reads the header and each TLV unchecked: a cut is its
/// `longjmp`, after which its dumps start at the frame's first byte.
const WITH_DUMPS: &[&str] = &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x"];

#[test]
fn lspping_lines_equal_tcpdump() {
    check_dissect_capture(
        "lspping",
        &support::lspping_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    json_has(
        "dissect_lspping.pcap",
        &[
            r#""lspping":{"#,
            r#""message_type_name":"MPLS Echo Reply""#,
            r#""timestamp_sent":"3758096384.500000000 (2019-02-02T11:39:44Z)""#,
            r#""type_name":"Target FEC Stack""#,
        ],
    );
}

#[test]
fn cut_lspping_messages_equal_tcpdump() {
    udp_cuts_equal_tcpdump("lspping_cuts.pcap", &messages(), WITH_DUMPS, 5000);
}

/// LSP ping in tcpdump's order of UDP printers (after LDP, before BFD):
/// an echo request with a FEC stack between 3503 and each other port
/// sockscope decodes, both ways, at the default level and `-v`.
#[test]
fn lspping_port_order_is_tcpdumps() {
    let m = request(&[0, 1, 0, 12, 0, 1, 0, 5, 10, 0, 0, 1, 32, 0, 0, 0]);
    port_order_equals_tcpdump("lspping_ports.pcap", PORT, &m);
}
