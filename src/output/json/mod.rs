//! `--json`: one JSON object per line. `packet` writes one object per
//! packet; the flow summaries' JSON lives with the flow printers.

pub mod packet;
pub mod writer;

pub use packet::{JsonPrinter, write_packet};
