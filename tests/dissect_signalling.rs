//! RSVP (IP protocol 46) and PGM (IP protocol 113), as tcpdump prints
//! them: for each, a capture generated under `tests/support/` (hand-built
//! messages over IPv4 and IPv6, cut at every length, seeded damaged
//! copies) read by `sockscope read` and `tcpdump -n -r` must give the
//! same lines byte for byte at the default level, `-v`, `-vv` and with
//! the dumps; goldens of the default line, `-v` and `--json` keep the
//! output fixed where tcpdump is missing (the comparison then skips,
//! unless SOCKSCOPE_REQUIRE_LIVE=1).

mod support;

use support::app_captures::{check_dissect_capture, json_has};
use support::{pgm_captures, rsvp_captures};

/// Damaged messages after the hand-built ones, per protocol.
const DAMAGED: usize = 400;

const WITH_DUMPS: &[&str] = &["", "-v", "-vv", "-x", "-v -X", "-vv -x"];

#[test]
fn pgm_lines_equal_tcpdump() {
    check_dissect_capture("pgm", &pgm_captures::capture(DAMAGED), WITH_DUMPS, DAMAGED);
    json_has(
        "dissect_pgm.pcap",
        &[
            r#""pgm":{"#,
            r#""type_name":"ODATA""#,
            r#""gsi":"00163e010203""#,
        ],
    );
}

/// NAK, NNAK and NCF cut at every length: where the group's family is cut
/// tcpdump's printer reads it unchecked, and its dump starts at the frame.
#[test]
fn cut_pgm_naks_dump_from_where_tcpdumps_does() {
    support::app_captures::ethernet_cuts_equal_tcpdump(
        ("pgm_nak_cuts.pcap", "cut PGM NAKs"),
        &pgm_captures::nak_frames(),
        &["-v -x", "-vv -X"],
        100,
    );
}

#[test]
fn rsvp_lines_equal_tcpdump() {
    check_dissect_capture(
        "rsvp",
        &rsvp_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    json_has(
        "dissect_rsvp.pcap",
        &[
            r#""rsvp":{"#,
            r#""type_name":"Path""#,
            r#""objects":[23,1,3,5,19,207,11]"#,
            r#""label_requests":[{"class_type":4,"encoding":5,"payload":34,"switching":100}]"#,
            r#""label_sets":[{"action":0,"action_name":"Inclusive list","label_type":2,"subchannels":[1,3]}]"#,
            r#""admin_status":[{"flags":2147483650,"names":["Reflect","Admin-down"]}]"#,
            r#""sub_lsps":["192.0.2.33","2001:db8::21"]"#,
            r#""integrity":[{"flags":128,"key_id":7,"sequence":4294967298}]"#,
            r#""type_name":"Egress label""#,
            r#""properties":[{"padding":2,"tlv_count":3}]"#,
        ],
    );
}
