//! Everything after the source, shared by `read`, `capture` and `demo`:
//! decode → filter → flow tracker → printers and the pcap writer. The same
//! configuration gives the same output whether the packets came from a socket
//! or a file.
//!
//! [`config`] holds the validated configuration (built by the CLI, never from
//! clap types here), [`driver`] the stages fed one packet at a time,
//! `offload` the checksum-offload decision on the first packets,
//! [`parallel`] `read --threads` over worker threads (`flow_shards` when
//! the tracker is all the work, `follow_shards` for `follow`, `chunks` the
//! packets handed to a worker, `lines` what its reader tells the workers
//! of the packets before theirs), [`fanout`] `capture --threads` over the
//! rings of a fanout group, [`summary`] what a
//! run counted, and `columnar` the Parquet outputs (`rows` their rows
//! when workers track the flows).

mod chunks;
#[cfg(feature = "parquet")]
mod columnar;
pub mod config;
pub mod driver;
pub mod fanout;
mod flow_shards;
mod follow_shards;
mod lines;
mod offload;
pub mod parallel;
pub mod rotate;
mod rows;
pub mod summary;

pub use config::{FollowConfig, OutputConfig};
pub use driver::{Control, Pipeline, PipelineError, WriteTarget, run, run_for_report, run_with};
pub use offload::Mode as ChecksumMode;
pub use rotate::Rotation;
pub use summary::{FollowSummary, RunSummary};
