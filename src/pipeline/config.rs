//! The pipeline's configuration, already validated: the filter is parsed, the
//! output choices are plain values. The CLI builds it from its flags
//! (`cli::output`); tests and the demo build it directly.

use super::ChecksumMode;
use crate::filter::Filter;
use crate::flow::reassembly::{ReassemblyConfig, StreamSelector};
use crate::output::flows::view::{FlowFormat, FlowView};
use crate::output::follow::FollowOptions;
use crate::output::packet::hex::Dump;
use crate::output::time::TimeFormat;
use std::path::PathBuf;

/// What the pipeline prints, writes and tracks.
#[derive(Clone, Debug, Default)]
pub struct OutputConfig {
    /// Stop after this many packets passed the filter.
    pub count: Option<u64>,
    /// `-w`: the pcap file to write (`-` is stdout).
    pub write: Option<PathBuf>,
    /// `-C`/`-G`/`-W`: turn the `-w` file into a sequence or ring of files.
    pub rotate: Option<super::Rotation>,
    /// `-v` level.
    pub verbose: u8,
    /// `-x`, `-X`, `-A` (doubled: from the link header): a dump after
    /// each line.
    pub dump: Dump,
    /// `-e`: the link header on each line.
    pub link_header: bool,
    /// `-H`: 802.11s mesh control after QoS data frames' headers.
    pub mesh_headers: bool,
    /// `-T`: read every UDP datagram (and some TCP payloads) as this
    /// protocol, whatever the ports.
    pub packet_type: Option<crate::dissect::packet_type::PacketType>,
    /// `-#`: number the lines.
    pub number: bool,
    /// `--app`: TLS and QUIC summaries appended to the lines.
    pub app: bool,
    /// `--analysis`: the tracker's TCP analysis marks on the lines (and
    /// in `--json`); `--flows` and `--timeline` imply them.
    pub analysis: bool,
    /// One JSON object per line instead of text.
    pub json: bool,
    /// A flow table at the end.
    pub flows: bool,
    /// TCP timelines at the end.
    pub timeline: bool,
    /// How `flows` prints (`json` also when `json` is set).
    pub flow_format: FlowFormat,
    /// How the flow table and timelines fit the terminal.
    pub view: FlowView,
    /// `--stream`: only this flow in the table and timelines.
    pub stream: Option<StreamSelector>,
    /// `-S`: absolute TCP sequence numbers.
    pub absolute_seq: bool,
    /// Verify checksums, and whether bad ones count for flow state: off
    /// with `-K`, detected offload on the first packets by default,
    /// forced with `--verify-checksums`.
    pub checksums: ChecksumMode,
    /// How packet times are printed.
    pub time: TimeFormat,
    /// No packet lines, only the summaries.
    pub quiet: bool,
    /// The user's filter; `None` selects everything.
    pub filter: Option<Filter>,
    /// `follow`: reassemble streams and print them instead of packets.
    pub follow: Option<FollowConfig>,
    /// `--flows --format parquet -o FILE`: the flows as a Parquet file
    /// (instead of the table or JSON).
    pub flows_parquet: Option<PathBuf>,
    /// `--packets-parquet FILE`: one Parquet row per packet.
    pub packets_parquet: Option<PathBuf>,
}

/// What `follow` reassembles and how it prints it.
#[derive(Clone, Debug, Default)]
pub struct FollowConfig {
    pub printer: FollowOptions,
    pub reassembly: ReassemblyConfig,
}
