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
    tcp_cuts_equal_tcpdump,
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
    let messages = support::pptp_captures::messages();
    tcp_cuts_equal_tcpdump("pptp_cuts.pcap", PORT, &messages, WITH_DUMPS, 2000);
}

/// The TCP ports tcpdump decodes, in the order it tries them (table
/// `TCP_PORTS` of `src/dissect/mod.rs`): a PPTP Echo-Request and an
/// RPKI-RTR Reset Query between the new ports (PPTP's 1723, RPKI-RTR's
/// 323) and each of the others, both ways, are printed by whichever
/// printer tcpdump tries first (BGP, WHOIS and SMTP before PPTP; PPTP
/// before RESP, SSH, HTTP, DNS; DNS before RPKI-RTR, RPKI-RTR before LDP
/// …), at the default level and `-v`.
#[test]
fn tcp_port_order_is_tcpdumps() {
    const OTHERS: [u16; 23] = [
        23, 25, 43, 179, 1723, 6379, 22, 10288, 6653, 6633, 21, 80, 8080, 554, 8554, 53, 323, 646,
        88, 143, 110, 139, 445,
    ];
    let echo = message(5, &77u32.to_be_bytes());
    let reset_query = support::rpki_rtr_captures::pdu(0, 2, 0, &[]);
    let mut frames: Vec<Frame> = Vec::new();
    for (new, payload) in [
        (PORT, &echo),
        (support::rpki_rtr_captures::PORT, &reset_query),
    ] {
        for other in OTHERS.into_iter().filter(|&o| o != new) {
            frames.push(tcp(true, other, new, 1, payload));
            frames.push(tcp(false, other, new, 1, payload));
        }
    }
    let path = support::temp_file("new_tcp_port_order.pcap", capture(&frames));
    let p = path.to_string_lossy();
    compare_with_tcpdump(&p, &["", "-v"], 4 * (OTHERS.len() - 1));
}
