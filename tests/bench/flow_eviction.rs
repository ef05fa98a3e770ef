//! Issue 17 item 3: the flow table under the idle-one-by-one pattern (table
//! full, each new flow arriving just as one old flow times out) against a
//! control of the same number of flows that never fills the table. Before the
//! fix the hostile run paid a full-table sweep per new flow; the ratio printed
//! here should stay near 1. Run: `cargo bench --bench flow_eviction`.

use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::decode::tcp_seq::SeqNumber;
use sockscope::flow::{FlowConfig, FlowPacket, FlowTracker, Proto, Timeouts};
use sockscope::packet::Timestamp;
use std::time::Instant;

const TABLE: u64 = 100_000;
const MS: u64 = 1_000_000;

fn udp(at: u64, port: u64) -> FlowPacket {
    FlowPacket {
        ts: Timestamp(at),
        src: std::net::IpAddr::from([10, 1, (port >> 16) as u8, (port >> 8) as u8]),
        dst: std::net::IpAddr::from([10, 0, 0, 2]),
        proto: Proto::Udp,
        sport: port as u16,
        dport: 53,
        seq: SeqNumber(0),
        ack: SeqNumber(0),
        flags: TcpFlags::from_bits(0),
        window: 0,
        wscale: None,
        payload_len: 0,
        ip_len: 28,
        bad_checksum: false,
        service: None,
        icmp: None,
    }
}

/// Seconds for TABLE flows then 10x TABLE new ones; `hostile` spaces the new
/// ones so that they arrive as old ones time out, with the table at TABLE.
fn run(hostile: bool) -> (f64, u64) {
    let max_flows = if hostile { TABLE } else { 20 * TABLE } as usize;
    let mut t = FlowTracker::new(FlowConfig {
        max_flows,
        ..FlowConfig::default()
    });
    let timeout = Timeouts::default().udp.as_nanos() as u64;
    let start = Instant::now();
    for i in 0..TABLE {
        t.observe(&udp(i * MS, i));
    }
    for j in 0..10 * TABLE {
        t.observe(&udp(timeout + j * MS + 1, TABLE + j));
    }
    let scanned = t.slots_scanned();
    std::hint::black_box(t.finish());
    (start.elapsed().as_secs_f64(), scanned)
}

fn main() {
    let (control, cs) = run(false);
    let (hostile, hs) = run(true);
    println!(
        "flow_eviction: {} flows; control {control:.3} s ({cs} slots scanned), \
         idle-one-by-one with a full {TABLE}-flow table {hostile:.3} s ({hs} slots scanned); \
         ratio {:.2}",
        11 * TABLE,
        hostile / control
    );
}
