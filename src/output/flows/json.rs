//! `--flows --json`: one JSON object per flow and line, with Zeek conn.log's
//! field names where Zeek has one, and ours for the rest (the analysis
//! counters are named after Wireshark's `tcp.analysis.*` fields).
//! [`ConnRecord`] is the one place a flow's values are computed: the
//! Parquet writer (`crate::output::parquet`) writes the same record.

use crate::flow::{AnalysisCounters, Flow, FlowReport, TcpInfo};
use crate::output::flows::fmt::{ms_f64, secs_f64};
use serde::Serialize;
use std::io;

/// One flow as conn.log has it, plus ours (the analysis counters are the
/// flow's [`crate::flow::AnalysisCounters`], which the Parquet writer reads
/// there).
#[derive(Serialize)]
pub struct ConnRecord<'a> {
    pub ts: f64,
    pub uid: String,
    #[serde(rename = "id.orig_h")]
    pub orig_h: String,
    #[serde(rename = "id.orig_p")]
    pub orig_p: u16,
    #[serde(rename = "id.resp_h")]
    pub resp_h: String,
    #[serde(rename = "id.resp_p")]
    pub resp_p: u16,
    pub proto: &'static str,
    pub duration: f64,
    pub orig_bytes: u64,
    pub resp_bytes: u64,
    pub conn_state: &'static str,
    pub history: String,
    pub orig_pkts: u64,
    pub orig_ip_bytes: u64,
    pub resp_pkts: u64,
    pub resp_ip_bytes: u64,
    // ours
    pub orig_state: Option<&'static str>,
    pub resp_state: Option<&'static str>,
    pub mid_stream: bool,
    pub handshake_rtt_ms: Option<f64>,
    pub syn_synack_ms: Option<f64>,
    pub synack_ack_ms: Option<f64>,
    pub time_wait: Option<&'a str>,
    /// The analysis counters, one field each (`retransmissions`, `dup_acks` …).
    #[serde(flatten)]
    pub counters: AnalysisCounters,
    pub bad_checksums: u64,
    pub end: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<&'static str>,
    pub community_id: Option<String>,
}

fn time_wait_side(f: &Flow) -> Option<&'static str> {
    let [o, r] = &f.tcp()?.sides;
    match (o.machine.entered_time_wait, r.machine.entered_time_wait) {
        (true, true) => Some("both"),
        (true, false) => Some("orig"),
        (false, true) => Some("resp"),
        _ => None,
    }
}

/// The record of one flow.
pub fn record(f: &Flow) -> ConnRecord<'static> {
    let tcp = f.tcp();
    let c = tcp.map(|t| t.counters).unwrap_or_default();
    let (orig_p, resp_p) = f.zeek_ports();
    ConnRecord {
        ts: secs_f64(f.first.0),
        uid: format!("C{}", f.uid),
        orig_h: f.orig.ip_text().to_string(),
        orig_p,
        resp_h: f.resp.ip_text().to_string(),
        resp_p,
        proto: f.proto.name(),
        duration: secs_f64(f.duration_ns()),
        orig_bytes: f.orig_bytes,
        resp_bytes: f.resp_bytes,
        conn_state: f.conn_state().name(),
        history: f.history(),
        orig_pkts: f.orig_pkts,
        orig_ip_bytes: f.orig_ip_bytes,
        resp_pkts: f.resp_pkts,
        resp_ip_bytes: f.resp_ip_bytes,
        orig_state: tcp.map(|t| t.orig().machine.state.name()),
        resp_state: tcp.map(|t| t.resp().machine.state.name()),
        mid_stream: f.mid_stream,
        handshake_rtt_ms: tcp.and_then(TcpInfo::handshake_ns).map(ms_f64),
        syn_synack_ms: tcp.and_then(TcpInfo::syn_synack_ns).map(ms_f64),
        synack_ack_ms: tcp.and_then(TcpInfo::synack_ack_ns).map(ms_f64),
        time_wait: time_wait_side(f),
        counters: c,
        bad_checksums: tcp.map_or(0, |t| t.bad_checksums),
        service: f.service,
        end: f.end.name(),
        community_id: f.community_id(),
    }
}

/// Write one JSON object per flow, one per line.
pub fn write_flows_json(w: &mut dyn io::Write, r: &FlowReport) -> io::Result<()> {
    for f in &r.flows {
        serde_json::to_writer(&mut *w, &record(f)).map_err(io::Error::from)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::tcp_flags::TcpFlags;
    use crate::flow::{Counter, FlowConfig, FlowPacket, FlowTracker};
    use crate::output::flows::fmt::counter_summary;
    use crate::packet::{LinkType, Timestamp};
    use etherparse::PacketBuilder;

    /// One TCP segment from the client (10.0.0.1:1000) or the server, as
    /// the pipeline turns a frame into the tracker's view.
    fn seg(t: u64, from_client: bool, flags: TcpFlags, seq: u32, ack: u32) -> FlowPacket {
        let (c, s) = (([10, 0, 0, 1], 1000), ([10, 0, 0, 2], 80));
        let ((src, sport), (dst, dport)) = if from_client { (c, s) } else { (s, c) };
        let mut b = PacketBuilder::ethernet2([2; 6], [4; 6])
            .ipv4(src, dst, 64)
            .tcp(sport, dport, seq, 1000);
        if flags.contains(TcpFlags::SYN) {
            b = b.syn();
        }
        if flags.contains(TcpFlags::ACK) {
            b = b.ack(ack);
        }
        let mut frame = Vec::new();
        b.write(&mut frame, &[]).unwrap();
        FlowPacket::from_frame(Timestamp(t * 1_000_000), LinkType::Ethernet, &frame).unwrap()
    }

    #[test]
    fn zero_window_probes_are_shown_in_json_and_the_summary() {
        let (syn, ack) = (TcpFlags::SYN, TcpFlags::ACK);
        let mut t = FlowTracker::new(FlowConfig::default());
        t.observe(&seg(0, true, syn, 100, 0));
        t.observe(&seg(1, false, syn | ack, 500, 101));
        t.observe(&seg(2, true, ack, 101, 501));
        // The server's window closes; the client probes it with one byte.
        let mut closed = seg(3, false, ack, 501, 101);
        closed.window = 0;
        t.observe(&closed);
        let mut probe = seg(4, true, ack, 101, 501);
        probe.payload_len = 1;
        assert!(!t.observe(&probe).is_empty());
        let r = t.finish();
        let counters = r.flows[0].tcp().map(|t| t.counters).unwrap_or_default();
        assert_eq!(counters.get(Counter::ZeroWindowProbes), 1);
        assert!(
            counter_summary(&counters).contains("zero window probe: 1"),
            "{}",
            counter_summary(&counters)
        );
        let mut out = Vec::new();
        write_flows_json(&mut out, &r).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(line.contains("\"zero_window_probes\":1"), "{line}");
    }
}
