//! Flow tracking through the real binary: `sockscope read FILE --flows
//! --timeline` (and `--flows --json`, and `-v --analysis` lines with their
//! marks)
//! on every TCP scenario capture, compared byte for byte with
//! `tests/golden/read_flows/` (SOCKSCOPE_BLESS=1 rewrites them).

mod support;

use support::bin::sockscope;
use support::capture;
use support::flow_scenarios::scenario_names;
use support::golden::check_run;

fn golden(case: &str, args: &[&str]) {
    check_run(&format!("read_flows/{case}.out"), args);
}

#[test]
fn scenarios_flows_and_timelines() {
    for name in scenario_names() {
        let file = capture(&format!("{name}.pcap"));
        let file = file.to_str().unwrap();
        golden(name, &["read", file, "--flows", "--timeline"]);
        golden(
            &format!("{name}.json"),
            &["read", file, "--flows", "--json"],
        );
    }
}

#[test]
fn analysis_marks_on_lines_asked_for() {
    for name in ["tcp_analysis_loss", "tcp_analysis_window"] {
        let file = capture(&format!("{name}.pcap"));
        golden(
            &format!("{name}.v"),
            &["read", file.to_str().unwrap(), "-v", "--analysis", "-K"],
        );
    }
}

#[test]
fn lossy_capture_table_and_counters() {
    let file = capture("tcp_lossy.pcap");
    let file = file.to_str().unwrap();
    golden("tcp_lossy", &["read", file, "--flows"]);
    let out = sockscope(&["read", file, "--flows", "--json"]);
    let flow: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    // The same counters tshark reports on this capture
    // (tests/flow/tshark_lossy.txt).
    assert_eq!(flow["conn_state"], "SF");
    assert!(flow["retransmissions"].as_u64().unwrap() > 0);
}

/// A filter selects which flows are tracked and shown.
#[test]
fn filter_selects_flows() {
    let file = capture("tcp_normal.pcap");
    let f = file.to_str().unwrap();
    let out = sockscope(&["read", f, "--flows", "--json", "port", "9"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
}
