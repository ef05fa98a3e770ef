//! Golden tests over the generated TCP scenario captures (`captures/tcp_*.pcap`):
//! both sides' state sequences (in the timeline), conn_state, history, the
//! timeline text, the flow table and the JSON records.

mod support;

use sockscope::flow::{Analysis, FlowConfig, TcpState};
use sockscope::output::flows::{json as flow_json, table, timeline};
use support::flow_scenarios::{pcap_bytes, scenarios};
use support::flows::track;
use support::golden::{check_generated, check_golden};

fn capture_path(name: &str) -> std::path::PathBuf {
    support::capture(&format!("{name}.pcap"))
}

fn cfg() -> FlowConfig {
    FlowConfig {
        record_events: true,
        ..FlowConfig::default()
    }
}

#[test]
fn generated_captures_match_the_committed_files() {
    for c in scenarios() {
        check_generated(&format!("{}.pcap", c.name), &pcap_bytes(&c));
    }
}

/// (capture, history, conn_state, final client state, final server state)
const EXPECTED: &[(&str, &str, &str, TcpState, TcpState)] = {
    use TcpState::*;
    &[
        ("tcp_normal", "ShADadFf", "SF", TimeWait, Closed),
        ("tcp_refused", "Sr", "REJ", Closed, Closed),
        ("tcp_abort", "ShADadR", "RSTO", Closed, Closed),
        ("tcp_half_close", "ShAFadf", "SF", TimeWait, Closed),
        ("tcp_simultaneous_open", "SsHhDaFfA", "SF", TimeWait, Closed),
        (
            "tcp_simultaneous_close",
            "ShADaFf",
            "SF",
            TimeWait,
            TimeWait,
        ),
        ("tcp_mid_stream", "DadAFf", "SF", TimeWait, Closed),
        ("tcp_syn_retransmit", "ShADaFf", "SF", TimeWait, Closed),
        ("tcp_analysis_loss", "ShADGaTFf", "SF", TimeWait, Closed),
        ("tcp_analysis_window", "ShADawFGf", "SF", TimeWait, Closed),
    ]
};

#[test]
fn every_scenario_has_its_exact_history_conn_state_and_final_states() {
    assert_eq!(EXPECTED.len(), scenarios().len());
    for &(name, history, state, o, r) in EXPECTED {
        let (rep, _) = track(&capture_path(name), cfg());
        assert_eq!(rep.flows.len(), 1, "{name}: one flow");
        let f = &rep.flows[0];
        assert_eq!(f.history(), history, "{name}: history");
        assert_eq!(f.conn_state().name(), state, "{name}: conn_state");
        assert_eq!(
            (f.orig_state(), f.resp_state()),
            (o, r),
            "{name}: final states"
        );
        assert_eq!(f.orig.to_string(), "10.0.0.1:40000", "{name}: originator");
    }
}

#[test]
fn golden_timeline_table_and_json_per_scenario() {
    for c in scenarios() {
        let (rep, _) = track(&capture_path(c.name), cfg());
        let mut out = Vec::new();
        out.extend_from_slice(b"== timeline\n");
        timeline::write_timelines(&mut out, &rep).unwrap();
        out.extend_from_slice(b"== table\n");
        table::write_flow_table(&mut out, &rep).unwrap();
        out.extend_from_slice(b"== json\n");
        flow_json::write_flows_json(&mut out, &rep).unwrap();
        check_golden(
            &format!("flow_scenarios/{}.txt", c.name),
            &String::from_utf8(out).unwrap(),
        );
    }
}

/// Both sides' states after each packet of the scenario's one flow.
fn state_pairs(name: &str) -> Vec<(TcpState, TcpState)> {
    let (rep, _) = track(&capture_path(name), cfg());
    rep.flows[0]
        .events
        .iter()
        .map(|e| (e.states[0], e.states[1]))
        .collect()
}

/// The analysis marks of the packets that have any, in order.
fn marks(an: &[Analysis]) -> Vec<String> {
    an.iter()
        .map(|a| a.to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn normal_close_state_sequence_is_the_textbook_one() {
    use TcpState::*;
    assert_eq!(
        state_pairs("tcp_normal"),
        vec![
            (SynSent, SynRcvd),
            (Established, SynRcvd),
            (Established, Established),
            (Established, Established),
            (Established, Established),
            (Established, Established),
            (Established, Established),
            (FinWait1, CloseWait),
            (FinWait2, CloseWait),
            (TimeWait, LastAck),
            (TimeWait, Closed),
        ]
    );
}

/// Both sides send FIN before receiving the other's. The server's FIN
/// does not acknowledge the client's, so the server was still ESTABLISHED
/// when the client's FIN crossed the capture point and goes FIN_WAIT_1 on
/// sending its own; the client goes FIN_WAIT_1 → CLOSING → TIME_WAIT. (The
/// server's CLOSING falls inside the row where the client's ACK arrives: the
/// client's FIN, sent earlier, reaches it first.)
#[test]
fn simultaneous_close_passes_both_sides_through_fin_wait_1_to_time_wait() {
    use TcpState::*;
    assert_eq!(
        &state_pairs("tcp_simultaneous_close")[5..],
        &[
            (FinWait1, Established),
            (Closing, FinWait1),
            (Closing, TimeWait),
            (TimeWait, TimeWait)
        ]
    );
}

/// The first flow's analysis counters as the timeline's summary line says
/// them: every non-zero one, by name.
fn summary(rep: &sockscope::flow::FlowReport) -> String {
    let c = rep.flows[0].tcp().unwrap().counters;
    sockscope::output::flows::fmt::counter_summary(&c)
}

#[test]
fn loss_scenario_counts_each_analysis_kind_exactly() {
    let (rep, an) = track(&capture_path("tcp_analysis_loss"), cfg());
    // Every counter: the summary names each non-zero one.
    assert_eq!(
        summary(&rep),
        "retransmission: 1, fast retransmission: 1, spurious retransmission: 1, \
         out-of-order: 1, dup ack: 4, previous segment not captured: 2"
    );
    assert_eq!(
        marks(&an),
        vec![
            " [previous segment not captured]",
            " [dup ack #1]",
            " [dup ack #2]",
            " [dup ack #3]",
            " [fast retransmission]",
            " [retransmission]",
            " [spurious retransmission]",
            " [dup ack #1]",
            " [previous segment not captured]",
            " [out-of-order]",
        ]
    );
}

#[test]
fn window_scenario_counts_each_analysis_kind_exactly() {
    let (rep, an) = track(&capture_path("tcp_analysis_window"), cfg());
    assert_eq!(
        summary(&rep),
        "zero window: 1, window full: 1, window update: 1, keep-alive: 1, \
         previous segment not captured: 1, ACKed unseen segment: 2"
    );
    assert_eq!(
        marks(&an),
        vec![
            " [window full]",
            " [zero window]",
            " [window update]",
            " [keep-alive]",
            " [keep-alive ack]",
            " [ACKed unseen segment]",
            " [previous segment not captured]",
            " [ACKed unseen segment]",
        ]
    );
}

#[test]
fn handshake_times_come_from_the_answered_syn() {
    let (rep, _) = track(&capture_path("tcp_syn_retransmit"), cfg());
    let t = rep.flows[0].tcp().expect("a TCP flow");
    assert_eq!(t.orig().syns, 3);
    assert_eq!(
        (t.syn_synack_ns(), t.synack_ack_ns()),
        (Some(150_000), Some(50_000))
    );
    let (rep, _) = track(&capture_path("tcp_normal"), cfg());
    assert_eq!(rep.flows[0].tcp().unwrap().handshake_ns(), Some(160_000));
}

#[test]
fn without_record_events_no_events_are_kept() {
    let (rep, _) = track(&capture_path("tcp_normal"), FlowConfig::default());
    assert!(rep.flows[0].events.is_empty());
    assert_eq!(rep.flows[0].orig_pkts + rep.flows[0].resp_pkts, 11);
}

#[test]
fn lossy_capture_golden_table_and_json() {
    let (rep, _) = track(&capture_path("tcp_lossy"), FlowConfig::default());
    let mut out = Vec::new();
    table::write_flow_table(&mut out, &rep).unwrap();
    flow_json::write_flows_json(&mut out, &rep).unwrap();
    check_golden(
        "flow_scenarios/tcp_lossy.txt",
        &String::from_utf8(out).unwrap(),
    );
}

/// Debugging aid: `SOCKSCOPE_PCAP=file.pcap cargo test --test flow_scenarios
/// print_any_capture -- --ignored --nocapture` prints its timelines and table.
#[test]
#[ignore]
fn print_any_capture() {
    let Some(path) = std::env::var_os("SOCKSCOPE_PCAP") else {
        return;
    };
    let (rep, _) = track(std::path::Path::new(&path), cfg());
    let mut out = Vec::new();
    timeline::write_timelines(&mut out, &rep).unwrap();
    table::write_flow_table(&mut out, &rep).unwrap();
    print!("{}", String::from_utf8(out).unwrap());
}
