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
    let bytes = tcp_option_captures::every_kind_whole();
    equal_tcpdump_at_two_levels("tcp_options_whole.pcap", bytes, WHOLE);
}

/// Each length `len` is cut at `min(len + 3, 40)` places.
const CUT: usize = 256 * 3 * 937;

#[test]
fn every_kind_and_length_cut_equals_tcpdump() {
    let cuts: usize = (0..=40).map(|len: usize| (len + 3).min(40)).sum();
    assert_eq!(cuts, 937);
    let bytes = tcp_option_captures::every_kind_cut();
    equal_tcpdump_at_two_levels("tcp_options_cut.pcap", bytes, CUT);
}

/// `bytes` written to a file `name`: `packets` lines at the default
/// level and twice as many at `-v`, each tcpdump's.
fn equal_tcpdump_at_two_levels(name: &str, bytes: Vec<u8>, packets: usize) {
    let file = support::temp_file(name, bytes);
    let p = file.to_string_lossy().into_owned();
    if let Some(counts) = compare_with_tcpdump(&p, &["", "-v"], packets) {
        assert_eq!(counts, [packets, 2 * packets]);
    }
}

/// `--json`'s options as the length bytes say (the kernel's walk): each
/// option's kind and length (a classic one's implied by its kind), a
/// wrong-size classic option marked `bad` and passed over by its length
/// byte, a length below 2, past the header or missing marked `bad` and
/// ending the list. tshark (`tcp.option_kind`, `tcp.option_len`) lists
/// the same, up to the option whose length ends the walk; its walk also
/// ends after a SACK of 2 to 9 bytes or an MPTCP option of 2, and it
/// lists a second end-of-list after the first (63 packets), where the
/// lists agree as far as both go.
#[test]
fn json_options_as_their_length_bytes_say_equal_tshark() {
    use support::bin::{packets_json, require_tool};
    let path = capture("exact_tcp_option_kinds.pcap")
        .to_string_lossy()
        .into_owned();
    let json = packets_json(&path);
    assert_eq!(json.len(), tcp_option_captures::frames().len());
    // MSS of length 3 after its kind and length: `bad`, then the walk
    // goes on at the length byte's end.
    let mss3 = &json[2 * 41 + 3]["tcp"]["options"];
    assert_eq!(
        mss3[0],
        serde_json::json!({"bad": "wrong length for its kind", "kind": "mss", "len": 3})
    );
    assert_eq!(mss3[1], serde_json::json!({"kind": "nop"}));
    assert_eq!(
        json[2 * 41 + 4]["tcp"]["options"][0],
        serde_json::json!({"kind": "mss", "value": 0x1011})
    );
    let below_2 = &json[2 * 41 + 1]["tcp"]["options"];
    assert_eq!(below_2.as_array().map(Vec::len), Some(1), "{below_2}");
    assert_eq!(
        below_2[0],
        serde_json::json!({"bad": "length below 2", "kind": "mss", "len": 1})
    );
    if !require_tool("tshark") {
        return;
    }
    let out = std::process::Command::new("tshark")
        .args([
            "-r",
            &path,
            "-T",
            "fields",
            "-e",
            "tcp.option_kind",
            "-e",
            "tcp.option_len",
        ])
        .output()
        .expect("tshark runs");
    let fields = String::from_utf8_lossy(&out.stdout).into_owned();
    let list = |s: Option<&str>| -> Vec<u64> {
        s.unwrap_or("")
            .split(',')
            .filter(|x| !x.is_empty())
            .map(|x| x.parse().unwrap())
            .collect()
    };
    let (mut same, mut shorter) = (0, 0);
    for (i, (line, packet)) in fields.lines().zip(&json).enumerate() {
        let mut cols = line.split('\t');
        let (t_kinds, t_lens) = (list(cols.next()), list(cols.next()));
        let (kinds, lens) = kinds_and_lengths(&packet["tcp"]["options"]);
        if (&kinds, &lens) == (&t_kinds, &t_lens) {
            same += 1;
            continue;
        }
        let n = kinds.len().min(t_kinds.len());
        let m = lens.len().min(t_lens.len());
        assert!(
            kinds[..n] == t_kinds[..n] && lens[..m] == t_lens[..m],
            "packet {}: ours {kinds:?} {lens:?}, tshark {t_kinds:?} {t_lens:?}",
            i + 1
        );
        let ended = t_kinds.last().copied();
        assert!(
            matches!(ended, Some(0 | 5 | 30)),
            "packet {}: {t_kinds:?}",
            i + 1
        );
        shorter += 1;
    }
    assert_eq!((same, shorter), (json.len() - 63, 63));
}

/// The kinds and length bytes of `--json`'s options, up to an option
/// whose length ends the walk.
fn kinds_and_lengths(options: &serde_json::Value) -> (Vec<u64>, Vec<u64>) {
    let (mut kinds, mut lens) = (Vec::new(), Vec::new());
    for o in options.as_array().into_iter().flatten() {
        let bad = o["bad"].as_str();
        if bad.is_some_and(|b| b != "wrong length for its kind") {
            break;
        }
        let (kind, implied) = match &o["kind"] {
            serde_json::Value::String(name) => match name.as_str() {
                "eol" => (0, None),
                "nop" => (1, None),
                "mss" => (2, Some(4)),
                "wscale" => (3, Some(3)),
                "sackOK" => (4, Some(2)),
                "sack" => (5, o["blocks"].as_array().map(|b| 2 + 8 * b.len() as u64)),
                "ts" => (8, Some(10)),
                other => panic!("kind {other}"),
            },
            k => (k.as_u64().unwrap(), None),
        };
        kinds.push(kind);
        if kind > 1 {
            lens.push(o["len"].as_u64().or(implied).unwrap());
        }
    }
    (kinds, lens)
}

/// (256 subtype bytes + 64 DSS flag bytes) x 41 lengths x 3 flag sets.
const MPTCP_WHOLE: usize = (256 + 64) * 41 * 3;

/// MPTCP (kind 30) by every subtype byte and every DSS flag byte, each
/// length byte 0-40: tcpdump 4.99 names ADD_ADDR's low nibble from one
/// table (`v1`, `v1-echo`, `v0-ip4`, `v0-ip6`, else `[bad version/echo]`)
/// whatever the length, prints only the two keys of a 22-byte capable
/// (no data-level length), and rejects a rem-addr of fewer than 4 bytes.
#[test]
fn mptcp_every_subtype_byte_whole_equals_tcpdump() {
    let bytes = tcp_option_captures::mptcp_whole();
    equal_tcpdump_at_two_levels("tcp_options_mptcp_whole.pcap", bytes, MPTCP_WHOLE);
}

/// 16 subtype bytes x 3 flag sets x 937 cuts.
const MPTCP_CUT: usize = 16 * 3 * 937;

#[test]
fn mptcp_forms_cut_equal_tcpdump() {
    let bytes = tcp_option_captures::mptcp_cut();
    equal_tcpdump_at_two_levels("tcp_options_mptcp_cut.pcap", bytes, MPTCP_CUT);
}
