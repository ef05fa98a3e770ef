//! The payloads tcpdump decodes inside SCTP DATA chunks: ForCES (on the
//! ForCES ports 6704–6706 or PPIDs 21–23, at every level) and M3UA (PPID
//! 3, at `-vv`). A capture generated under
//! `tests/support/sctp_payload_captures.rs` (every ForCES message type
//! and TLV, every M3UA class and parameter, the errors each names, cuts
//! and damaged copies) read by `sockscope read` and `tcpdump -n -r` must
//! give the same lines byte for byte at every level ForCES prints
//! differently, with the dumps; then every packet cut at every length.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::golden::{check_generated, check_run};
use support::sctp_payload_captures::{
    every_cut_capture, every_short_chunk_capture, payload_capture,
};
use support::{capture, temp_file};

/// Damaged messages after the hand-written ones.
const DAMAGED: usize = 400;

/// ForCES prints more at each of `-v` to `-vvvv`; M3UA from `-vv`; the
/// dumps show where a cut line's bytes start (after ForCES' unchecked
/// reads, at the frame).
const LEVELS: &[&str] = &[
    "", "-v", "-vv", "-vvv", "-vvvv", "-x", "-X", "-vv -x", "-vvv -X", "-e -vv",
];

const NAME: &str = "dissect_sctp_payloads.pcap";

#[test]
fn forces_and_m3ua_lines_equal_tcpdump() {
    check_generated(NAME, &payload_capture(DAMAGED));
    let p = capture(NAME).to_string_lossy().into_owned();
    if let Some(counts) = compare_with_tcpdump(&p, LEVELS, DAMAGED) {
        eprintln!("lines compared per level {LEVELS:?}: {counts:?}");
    }
    check_run("dissect/sctp_payloads.out", &["read", &p]);
    check_run("dissect/sctp_payloads_vvv.out", &["read", &p, "-vvv"]);
    check_run("dissect/sctp_payloads_json.out", &["read", &p, "--json"]);
}

#[test]
fn forces_and_m3ua_cut_at_every_length_equal_tcpdump() {
    let path = temp_file("sctp_payloads_every_cut.pcap", every_cut_capture());
    let levels = ["", "-v", "-vv", "-vvv", "-vvvv", "-x", "-vv -X"];
    if let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), &levels, 1000) {
        eprintln!("lines compared per level {levels:?}: {counts:?}");
    }
}

/// Each message in a chunk declaring it cut at every length: the
/// printers read past the chunk and the capture, tcpdump's `longjmp`.
#[test]
fn forces_and_m3ua_declared_short_at_every_length_equal_tcpdump() {
    let path = temp_file("sctp_payloads_short.pcap", every_short_chunk_capture());
    let levels = ["", "-v", "-vv", "-vvv", "-vvvv", "-x", "-vv -X"];
    if let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), &levels, 1000) {
        eprintln!("lines compared per level {levels:?}: {counts:?}");
    }
}

/// `--json` gives each DATA chunk's PPID and the ForCES or M3UA message
/// in it.
#[test]
fn forces_and_m3ua_json_fields() {
    check_generated(NAME, &payload_capture(DAMAGED));
    let p = capture(NAME).to_string_lossy().into_owned();
    let json = text(&sockscope(&["read", &p, "--json", "-c", "200"]).stdout);
    for key in [
        r#""forces":{"#,
        r#""type_name":"Association TearDown""#,
        r#""source_id":1073741825"#,
        r#""correlator":72623859790382856"#,
        r#""name":"LFBselect TLV""#,
        r#""m3ua":{"#,
        r#""class_name":"Routing Key Management""#,
        r#""type_name":"Up""#,
        r#""name":"Protocol Data""#,
        r#""ppid":3"#,
    ] {
        assert!(json.contains(key), "no {key}");
    }
}
