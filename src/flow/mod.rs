//! Flow tracking: bidirectional flows, per-side TCP state, and TCP analysis.
//!
//! [`FlowPacket::from_frame`] (read in `crate::decode::flow_view`) turns
//! frame bytes into what the tracker needs; [`FlowTracker::observe`] updates
//! the [`Flow`] (`tracker` → `flow` → `tcp::{state, zeek, analysis}`) and
//! returns the packet's [`Analysis`] (Wireshark's `tcp.analysis.*`);
//! [`FlowTracker::finish`] hands a [`FlowReport`] to the printers in
//! `crate::output::flows`. On several threads, each worker's tracker is a
//! shard and `shard::merge` joins their reports. `pdu` puts application
//! messages that span packets back together for `--json` and `--app`,
//! pairing replies with requests through `dialogue`.

// `flow::flow` holds the `Flow` type: the name the layout of issue 11 gives it.
pub mod community_id;
pub mod dialogue;
mod early;
#[allow(clippy::module_inception)]
pub mod flow;
pub mod key;
pub mod pdu;
pub mod reassembly;
pub mod shard;
pub mod tcp;
pub mod tracker;

pub use flow::{Event, Flow, FlowEnd, PcapPos};
pub use key::{Endpoint, FlowKey, FlowPacket, Proto};
pub use shard::{Shard, SweepClock};
pub use tcp::analysis::{Analysis, AnalysisCounters, Counter};
pub use tcp::state::TcpState;
pub use tcp::zeek::ConnState;
pub use tcp::{TcpInfo, TcpSide};
pub use tracker::{FlowConfig, FlowReport, FlowStats, FlowTracker, Timeouts};
