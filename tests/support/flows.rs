//! The flow tracker run over a capture file the way `sockscope read --flows`
//! runs it: packets from the library's file source, turned into the
//! tracker's view by `FlowPacket::from_frame` (what the pipeline calls), so
//! the flow goldens test the path production takes.

use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::decode::tcp_seq::SeqNumber;
use sockscope::flow::{Analysis, FlowConfig, FlowPacket, FlowReport, FlowTracker, Proto};
use sockscope::packet::Timestamp;
use sockscope::source::PacketSource;
use sockscope::source::file::FileSource;
use std::net::IpAddr;
use std::path::Path;

/// Track every packet of `path`; the report and each tracked packet's analysis.
pub fn track(path: &Path, cfg: FlowConfig) -> (FlowReport, Vec<Analysis>) {
    let mut src = FileSource::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut t = FlowTracker::new(cfg);
    let mut an = Vec::new();
    while let Some(p) = src.next_packet().expect("the capture reads to its end") {
        if let Some(fp) = FlowPacket::from_frame(p.ts, p.link, p.data) {
            an.push(t.observe(&fp));
        }
    }
    (t.finish(), an)
}

/// One TCP segment as the tracker sees it, for the tests that feed the
/// tracker directly: `len` payload bytes behind 40 bytes of IPv4 and TCP
/// headers, no window scale, a good checksum.
pub fn tcp_packet(
    ts_ns: u64,
    (src, sport): (IpAddr, u16),
    (dst, dport): (IpAddr, u16),
    flags: TcpFlags,
    (seq, ack): (u32, u32),
    window: u16,
    len: u32,
) -> FlowPacket {
    FlowPacket {
        ts: Timestamp(ts_ns),
        src,
        dst,
        proto: Proto::Tcp,
        sport,
        dport,
        seq: SeqNumber(seq),
        ack: SeqNumber(ack),
        flags,
        window,
        wscale: None,
        payload_len: len,
        ip_len: 40 + len,
        bad_checksum: false,
        service: None,
        icmp: None,
    }
}

/// The flow records of `sockscope read PATH --flows --json -c COUNT` (the
/// lines with a `conn_state`), and the whole output for a failure's message.
pub fn json_flow_lines(path: &str, count: &str) -> (Vec<String>, String) {
    use super::bin::{sockscope, text};
    let out = sockscope(&["read", path, "--flows", "--json", "-c", count]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    let flows = json
        .lines()
        .filter(|l| l.contains("\"conn_state\""))
        .map(str::to_owned)
        .collect();
    (flows, json)
}
