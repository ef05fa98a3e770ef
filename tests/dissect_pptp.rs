//! PPTP's control messages as tcpdump prints them: the generated capture
//! (`tests/support/pptp_captures.rs`: every control message type with
//! its codes and fields swept, bad headers, seeded damaged copies, each
//! in a TCP segment to port 1723; every message cut at every length in a
//! temporary capture) read by `sockscope
//! read` and `tcpdump -n -r` gives the same lines byte for byte at the
//! default level, `-v`, `-vv` and in the dumps (which start at the
//! frame's first byte: tcpdump reads PPTP unchecked, so every cut is its
//! `longjmp`); goldens of the default line, `-v` and `--json` keep the
//! output fixed where tcpdump is missing. The damaged messages are also
//! in `tests/dissect_mutations.rs`.

mod support;

use support::app_captures::{
    Frame, capture, check_dissect_capture, compare_with_tcpdump, json_has, tcp,
};
use support::pptp_captures::{PORT, message};

/// Damaged messages after the hand-built ones.
const DAMAGED: usize = 400;

const WITH_DUMPS: &[&str] = &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x"];

#[test]
fn pptp_lines_equal_tcpdump() {
    check_dissect_capture(
        "pptp",
        &support::pptp_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    json_has(
        "dissect_pptp.pcap",
        &[
            r#""pptp":{"bearer_capabilities":3,"#,
            r#""control_type_name":"SCCRQ""#,
            r#""hostname":"client""#,
            r#""result_name":"Do Not Accept""#,
        ],
    );
}

/// Every hand-built message cut by the snap length at every byte, in a
/// capture of the test's own: tcpdump's line ends where its unchecked
/// read did (inside a number, or a text's parenthesis), and its dumps
/// start at the frame's first byte.
#[test]
fn cut_pptp_messages_equal_tcpdump() {
    let path = support::temp_file("pptp_cuts.pcap", support::pptp_captures::cuts());
    let p = path.to_string_lossy();
    compare_with_tcpdump(&p, WITH_DUMPS, 2000);
}

/// The TCP ports tcpdump decodes, in the order it tries them (table
/// `TCP_PORTS` of `src/dissect/mod.rs`): an Echo-Request between PPTP's
/// port and each of the others, both ways, is printed by whichever
/// printer tcpdump tries first (BGP, WHOIS and SMTP before PPTP; PPTP
/// before RESP, SSH, HTTP, DNS, LDP …), at the default level and `-v`.
#[test]
fn tcp_port_order_is_tcpdumps() {
    const OTHERS: [u16; 21] = [
        23, 25, 43, 179, 6379, 22, 10288, 6653, 6633, 21, 80, 8080, 554, 8554, 53, 646, 88, 143,
        110, 139, 445,
    ];
    let echo = message(5, &77u32.to_be_bytes());
    let frames: Vec<Frame> = OTHERS
        .iter()
        .flat_map(|&other| {
            [
                tcp(true, other, PORT, 1, &echo),
                tcp(false, other, PORT, 1, &echo),
            ]
        })
        .collect();
    let path = support::temp_file("pptp_tcp_port_order.pcap", capture(&frames));
    let p = path.to_string_lossy();
    compare_with_tcpdump(&p, &["", "-v"], 2 * OTHERS.len());
}
