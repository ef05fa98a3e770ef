//! Bidirectional flows, per-side TCP state, and TCP analysis.
//!
//! [`FlowPacket::from_frame`] (in `crate::decode::flow_view`) turns frame
//! bytes into what the tracker needs; [`FlowTracker::observe`] updates the
//! flow and returns the packet's [`Analysis`] (Wireshark's `tcp.analysis.*`);
//! [`FlowTracker::finish`] hands a [`FlowReport`] to the printers in
//! `crate::output::flows`.

#[allow(clippy::module_inception)]
pub mod flow;
pub mod key;
pub mod tcp;
pub mod tracker;

pub use flow::{Event, Flow, FlowEnd, TcpInfo, TcpSide};
pub use key::{Endpoint, FlowKey, FlowPacket, Proto};
pub use tcp::analysis::{self, Analysis, AnalysisCounters};
pub use tcp::state::TcpState;
pub use tracker::{FlowConfig, FlowReport, FlowStats, FlowTracker, Timeouts};
