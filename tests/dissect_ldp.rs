//! LDP as tcpdump prints it: the generated capture
//! (`tests/support/ldp_captures.rs`: hand-built PDUs over UDP and TCP,
//! cuts at every length, seeded damaged copies) read by `sockscope read`
//! and `tcpdump -n -r` gives the same lines byte for byte at the default
//! level, `-v`, `-vv` and in the dumps; goldens of the default line, `-v`
//! and `--json` keep the output fixed where tcpdump is missing (the
//! comparison then skips, unless SOCKSCOPE_REQUIRE_LIVE=1). The damaged
//! messages are in `tests/dissect_mutations.rs`.

mod support;

use support::app_captures::{check_dissect_capture, json_has};

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
