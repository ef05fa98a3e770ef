//! The flow tracker run over a capture file the way `sockscope read --flows`
//! runs it: packets from the library's file source, turned into the
//! tracker's view by `FlowPacket::from_frame` (what the pipeline calls), so
//! the flow goldens test the path production takes.

use sockscope::flow::{Analysis, FlowConfig, FlowPacket, FlowReport, FlowTracker};
use sockscope::source::PacketSource;
use sockscope::source::file::FileSource;
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
