//! TCP option lists byte for byte `tcpdump -n -r` (4.99.3): every option
//! kind 0-255 with every length byte 0-40, in a SYN, a SYN+ACK and an
//! ACK, whole and cut at every byte of the option
//! (`tests/support/tcp_option_captures.rs`): tcpdump reads the options of
//! a fixed size by that size whatever the length byte says (`mss
//! 256[len 3]`), names only the second experimental kind (254; 253 is
//! `unknown-253`), accepts MPTCP's 24-byte join only with ACK, prints the
//! SACK edges of a conversation's first segment relative to `ack - 1`,
//! passes over a SACK whose length no edges fill without reading it (so
//! a cut behind it inside that length is not seen), and names MPTCP in
//! the truncation mark after an MPTCP option. Compared at the default
//! level and `-v`; the committed file's lines are kept as goldens.
//! `--json` lists the options as their length bytes say, compared with
//! tshark's `tcp.option_kind` and `tcp.option_len`.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::golden::{check_generated, check_run};
use support::{capture, tcp_option_captures};

#[test]
fn committed_captures_match_generator() {
    for (name, bytes) in tcp_option_captures::all() {
        check_generated(name, &bytes);
    }
}

#[test]
fn lines_equal_goldens() {
    for (name, _) in tcp_option_captures::all() {
        let p = capture(name).to_string_lossy().into_owned();
        check_run(&format!("exact/{name}.out"), &["read", &p]);
    }
}

#[test]
fn committed_lines_equal_tcpdump() {
    let packets = tcp_option_captures::frames().len();
    for (name, _) in tcp_option_captures::all() {
        let p = capture(name).to_string_lossy().into_owned();
        if let Some(counts) = compare_with_tcpdump(&p, &["", "-v", "-x"], packets) {
            assert_eq!(counts[0], packets, "{name}: {counts:?}");
            assert_eq!(counts[1], 2 * packets, "{name}: {counts:?}");
        }
    }
}

/// 256 kinds x 41 lengths x 3 flag sets x 2 patterns.
const WHOLE: usize = 256 * 41 * 3 * 2;

#[test]
fn every_kind_and_length_whole_equals_tcpdump() {
    let file = support::temp_file("tcp_options_whole.pcap", tcp_option_captures::every_kind_whole());
    let p = file.to_string_lossy().into_owned();
    if let Some(counts) = compare_with_tcpdump(&p, &["", "-v"], WHOLE) {
        assert_eq!(counts, [WHOLE, 2 * WHOLE]);
    }
}

/// Each length `len` is cut at `min(len + 3, 40)` places.
const CUT: usize = 256 * 3 * 937;

#[test]
fn every_kind_and_length_cut_equals_tcpdump() {
    let cuts: usize = (0..=40).map(|len: usize| (len + 3).min(40)).sum();
    assert_eq!(cuts, 937);
    let file = support::temp_file("tcp_options_cut.pcap", tcp_option_captures::every_kind_cut());
    let p = file.to_string_lossy().into_owned();
    if let Some(counts) = compare_with_tcpdump(&p, &["", "-v"], CUT) {
        assert_eq!(counts, [CUT, 2 * CUT]);
    }
}
