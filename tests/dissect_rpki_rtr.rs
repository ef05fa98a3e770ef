//! RPKI-RTR as tcpdump prints it: the generated capture
//! (`tests/support/rpki_rtr_captures.rs`: every PDU type, a cache's
//! answer of several PDUs in a segment, error reports with encapsulated
//! PDUs and text, lengths wrong for their type, other versions, seeded
//! damaged copies, each in a TCP segment to port 323; every payload cut
//! at every length in a temporary capture) read by `sockscope read` and
//! `tcpdump -n -r` gives the same lines byte for byte at the default
//! level, `-v`, `-vv` and in the dumps (tcpdump reads RPKI-RTR unchecked:
//! every cut is its `longjmp`); goldens of the default line, `-v` and
//! `--json` keep the output fixed where tcpdump is missing. The damaged
//! PDUs are also in `tests/dissect_mutations.rs`.

mod support;

use support::app_captures::{check_dissect_capture, json_has, tcp_cuts_equal_tcpdump};

/// Damaged payloads after the hand-built ones.
const DAMAGED: usize = 400;

const WITH_DUMPS: &[&str] = &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x"];

#[test]
fn rpki_rtr_lines_equal_tcpdump() {
    check_dissect_capture(
        "rpki_rtr",
        &support::rpki_rtr_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    json_has(
        "dissect_rpki_rtr.pcap",
        &[
            r#""type_name":"IPV6 Prefix""#,
            r#""origin_as":65002,"prefix":"2001:db8::","prefix_length":32"#,
            r#""error_name":"Unsupported PDU Type""#,
            r#""error_text":"no data yet""#,
        ],
    );
}

/// Every hand-built payload cut by the snap length at every byte.
#[test]
fn cut_rpki_rtr_pdus_equal_tcpdump() {
    use support::rpki_rtr_captures::{PORT, messages};
    tcp_cuts_equal_tcpdump("rpki_rtr_cuts.pcap", PORT, &messages(), WITH_DUMPS, 600);
}
