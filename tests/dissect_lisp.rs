//! LISP control messages (UDP 4342) as tcpdump prints them: the generated
//! capture (`tests/support/lisp_captures.rs`: every type, every flag of
//! Map-Register and Map-Notify, authentication data, records and
//! locators of both families, the xTR and site ids, seeded damaged
//! copies) and, in a temporary capture, every message cut at every
//! length, read by `sockscope read` and `tcpdump -n -r`, give the same
//! lines byte for byte at the default level, `-v`, `-vv` and in the
//! dumps; goldens of the default line, `-v` and `--json` keep the output
//! fixed where tcpdump is missing. The damaged messages are also in
//! `tests/dissect_mutations.rs`.

mod support;

use support::app_captures::{
    check_dissect_capture, json_has, port_order_equals_tcpdump, udp_cuts_equal_tcpdump,
};
use support::lisp_captures::{PORT, header, locator, messages, record};

/// Damaged messages after the hand-built ones.
const DAMAGED: usize = 400;

/// tcpdump checks the header, each record's and each locator's fixed
/// part (its dump then starts where it always does) and reads the rest
/// unchecked (its `longjmp`: the dump starts at the frame's first byte).
const WITH_DUMPS: &[&str] = &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x"];

#[test]
fn lisp_lines_equal_tcpdump() {
    check_dissect_capture(
        "lisp",
        &support::lisp_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    json_has(
        "dissect_lisp.pcap",
        &[
            r#""lisp":{"#,
            r#""type_name":"Map-Register""#,
            r#""eid_prefix":"10.1.2.0""#,
            r#""address":"192.0.2.9""#,
        ],
    );
}

#[test]
fn cut_lisp_messages_equal_tcpdump() {
    udp_cuts_equal_tcpdump("lisp_cuts.pcap", &messages(), WITH_DUMPS, 3000);
}

/// LISP in tcpdump's order of UDP printers (after VXLAN and Geneve,
/// before VXLAN-GPE and MPLS in UDP): a Map-Register between 4342 and
/// each other port sockscope decodes, both ways.
#[test]
fn lisp_port_order_is_tcpdumps() {
    let m = [
        header(3, 0, 1, 1, &[]),
        record(
            24,
            0x10,
            1,
            &[10, 1, 2, 0],
            &[locator(5, 1, &[192, 0, 2, 9])],
        ),
    ]
    .concat();
    port_order_equals_tcpdump("lisp_ports.pcap", PORT, &m);
}
