//! Our TCP analysis against Wireshark's on a capture with real loss.
//!
//! `captures/tcp_lossy.pcap` was recorded by `tests/flow/make_lossy.sh`: a
//! 8 MiB transfer between two network namespaces with 3% of the data
//! segments dropped at random by nftables. `tests/flow/tshark_lossy.txt` holds
//! tshark's counts of each `tcp.analysis.*` field on it, so the comparison runs
//! without tshark. Regenerate both (root, nft, tcpdump, python3, tshark):
//! `SOCKSCOPE_REGEN_LOSSY=1 cargo test --test flow_tshark -- --test-threads=1`.

mod support;

use sockscope::flow::{AnalysisCounters, Counter, FlowConfig};
use std::collections::BTreeMap;
use std::process::Command;
use support::flow_scenarios::scenario_names;
use support::flows::track;
use support::golden::{blessing, golden_path};
use support::{capture, root};

/// The tshark fields and, for each, our counter.
const FIELDS: [&str; 11] = [
    "tcp.analysis.retransmission",
    "tcp.analysis.fast_retransmission",
    "tcp.analysis.spurious_retransmission",
    "tcp.analysis.out_of_order",
    "tcp.analysis.duplicate_ack",
    "tcp.analysis.lost_segment",
    "tcp.analysis.ack_lost_segment",
    "tcp.analysis.zero_window",
    "tcp.analysis.window_full",
    "tcp.analysis.window_update",
    "tcp.analysis.keep_alive",
];

fn ours(c: &AnalysisCounters) -> BTreeMap<&'static str, u64> {
    let v = [
        // tshark sets tcp.analysis.retransmission on fast and spurious ones too.
        c.all_retransmissions(),
        c.get(Counter::FastRetransmissions).into(),
        c.get(Counter::SpuriousRetransmissions).into(),
        c.get(Counter::OutOfOrder).into(),
        c.get(Counter::DupAcks).into(),
        c.get(Counter::LostSegments).into(),
        c.get(Counter::AckedUnseen).into(),
        c.get(Counter::ZeroWindows).into(),
        c.get(Counter::WindowFull).into(),
        c.get(Counter::WindowUpdates).into(),
        c.get(Counter::KeepAlives).into(),
    ];
    FIELDS.iter().copied().zip(v).collect()
}

/// How many frames tshark marks with each field.
fn tshark_counts(pcap: &std::path::Path) -> Option<BTreeMap<&'static str, u64>> {
    let mut counts: BTreeMap<&'static str, u64> = FIELDS.iter().map(|f| (*f, 0)).collect();
    for field in tshark_frames(pcap)?.iter().flatten() {
        *counts.get_mut(field).unwrap() += 1;
    }
    Some(counts)
}

fn expected_path() -> std::path::PathBuf {
    root().join("tests/flow/tshark_lossy.txt")
}

fn read_expected() -> BTreeMap<String, u64> {
    let text = std::fs::read_to_string(expected_path()).expect("tests/flow/tshark_lossy.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.split_once(' ').expect("field count");
            (k.to_string(), v.trim().parse().expect("count"))
        })
        .collect()
}

fn lossy_pcap() -> std::path::PathBuf {
    capture("tcp_lossy.pcap")
}

#[test]
fn regenerate_lossy_capture_and_tshark_counts() {
    if std::env::var_os("SOCKSCOPE_REGEN_LOSSY").is_none() {
        eprintln!("not regenerating the lossy capture (set SOCKSCOPE_REGEN_LOSSY=1)");
        return;
    }
    let st = Command::new("bash")
        .arg(root().join("tests/flow/make_lossy.sh"))
        .arg(lossy_pcap())
        .status()
        .expect("run make_lossy.sh");
    assert!(st.success(), "make_lossy.sh failed");
    let counts =
        tshark_counts(&lossy_pcap()).expect("tshark is needed to regenerate the expected counts");
    let mut text = String::from(
        "# tshark 'tcp.analysis.*' counts on captures/tcp_lossy.pcap (frames with the field set)\n",
    );
    for (k, v) in counts {
        text.push_str(&format!("{k} {v}\n"));
    }
    std::fs::write(expected_path(), text).unwrap();
}

#[test]
fn analysis_counts_within_ten_percent_of_tshark() {
    let expected = read_expected();
    let (rep, _) = track(&lossy_pcap(), FlowConfig::default());
    assert_eq!(
        rep.flows.len(),
        1,
        "{:?}",
        rep.flows
            .iter()
            .map(|f| (f.proto, f.orig, f.resp, f.orig_pkts))
            .collect::<Vec<_>>()
    );
    let mut total = AnalysisCounters::default();
    for f in &rep.flows {
        total.merge(&f.tcp().unwrap().counters);
    }
    let ours = ours(&total);
    let mut report = String::new();
    let mut bad = Vec::new();
    for f in FIELDS {
        let (o, t) = (ours[f], expected[f]);
        report.push_str(&format!("{f:40} ours {o:6} tshark {t:6}\n"));
        // Within 10% (and within 1 when tshark counts fewer than 10).
        let tol = ((t as f64) * 0.10).max(1.0);
        if (o as f64 - t as f64).abs() > tol {
            bad.push(f);
        }
    }
    eprintln!("{report}");
    assert!(bad.is_empty(), "outside 10% of tshark: {bad:?}\n{report}");
    assert!(
        expected["tcp.analysis.lost_segment"] >= 50
            && expected["tcp.analysis.retransmission"] >= 10,
        "the capture must have real loss"
    );
}

#[test]
fn committed_counts_are_what_tshark_says_when_tshark_is_installed() {
    let Some(counts) = tshark_counts(&lossy_pcap()) else {
        eprintln!("skipping: tshark is not installed");
        return;
    };
    let expected = read_expected();
    for (k, v) in counts {
        assert_eq!(expected[k], v, "{k}");
    }
}

/// Debugging aid: per-frame dup-ack and window-update marks, to diff against
/// `tshark -T fields -e frame.number -e tcp.analysis.duplicate_ack ...`.
#[test]
#[ignore]
fn dump_per_frame() {
    let (_, an) = track(&lossy_pcap(), FlowConfig::default());
    for (i, a) in an.iter().enumerate() {
        let d = a.has(sockscope::flow::tcp::analysis::bits::DUP_ACK);
        let w = a.has(sockscope::flow::tcp::analysis::bits::WINDOW_UPDATE);
        if d || w {
            println!(
                "{} {} {} {}",
                i + 1,
                if d { "D" } else { "-" },
                if w { "W" } else { "-" },
                if d {
                    a.dup_ack.to_string()
                } else {
                    String::new()
                }
            );
        }
    }
}

/// Our per-frame marks as tshark field names (tcp.analysis.retransmission is
/// also set on fast and spurious retransmissions, as in tshark).
fn our_fields(a: &sockscope::flow::Analysis) -> Vec<&'static str> {
    use sockscope::flow::tcp::analysis::bits::*;
    let map: [(u16, &str); 11] = [
        (
            RETRANSMISSION | FAST_RETRANSMISSION | SPURIOUS_RETRANSMISSION,
            FIELDS[0],
        ),
        (FAST_RETRANSMISSION, FIELDS[1]),
        (SPURIOUS_RETRANSMISSION, FIELDS[2]),
        (OUT_OF_ORDER, FIELDS[3]),
        (DUP_ACK, FIELDS[4]),
        (LOST_SEGMENT, FIELDS[5]),
        (ACKED_UNSEEN, FIELDS[6]),
        (ZERO_WINDOW, FIELDS[7]),
        (WINDOW_FULL, FIELDS[8]),
        (WINDOW_UPDATE, FIELDS[9]),
        (KEEP_ALIVE, FIELDS[10]),
    ];
    map.iter()
        .filter(|(b, _)| a.flags & b != 0)
        .map(|(_, n)| *n)
        .collect()
}

/// The fields tshark sets on each frame (None without tshark).
fn tshark_frames(pcap: &std::path::Path) -> Option<Vec<Vec<&'static str>>> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-n").arg("-r").arg(pcap).args([
        "-T",
        "fields",
        "-E",
        "separator=/t",
        "-E",
        "occurrence=f",
    ]);
    for f in FIELDS {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().ok().filter(|o| o.status.success())?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    Some(
        text.lines()
            .map(|l| {
                l.split('\t')
                    .zip(FIELDS)
                    .filter(|(v, _)| !v.is_empty())
                    .map(|(_, f)| f)
                    .collect()
            })
            .collect(),
    )
}

/// Every frame of every generated scenario capture gets the same analysis
/// fields from us as from tshark. The expected marks are committed
/// (tests/golden/flow_tshark/scenario_marks.txt, rewritten with SOCKSCOPE_BLESS=1 when
/// tshark is installed) so the test also runs without tshark.
#[test]
fn fixture_marks_match_tshark_frame_by_frame() {
    let render = |name: &str, frames: &[Vec<&str>]| {
        let mut s = String::new();
        for (i, f) in frames.iter().enumerate() {
            if !f.is_empty() {
                s.push_str(&format!("{name} {} {}\n", i + 1, f.join(",")));
            }
        }
        s
    };
    let mut ours_text = String::new();
    let mut tshark_text = String::new();
    let mut have_tshark = true;
    for name in scenario_names() {
        let path = capture(&format!("{name}.pcap"));
        let (_, an) = track(&path, FlowConfig::default());
        let ours: Vec<Vec<&str>> = an.iter().map(our_fields).collect();
        ours_text.push_str(&render(name, &ours));
        match tshark_frames(&path) {
            Some(t) => tshark_text.push_str(&render(name, &t)),
            None => have_tshark = false,
        }
    }
    let committed = golden_path("flow_tshark/scenario_marks.txt");
    if have_tshark {
        if blessing() {
            std::fs::write(&committed, &tshark_text).unwrap();
        }
        assert_eq!(ours_text, tshark_text, "ours vs tshark, frame by frame");
    }
    let expected = std::fs::read_to_string(&committed).expect("the committed tshark marks");
    assert_eq!(ours_text, expected, "ours vs the committed tshark marks");
}
