//! Everything after the source, shared by `read` and `capture`:
//! decode → filter → flow tracker → outputs.

use crate::cli::OutputArgs;
use crate::source::PacketSource;
use std::io::Write;

/// What a run counted, for the summary line and exit code.
#[derive(Clone, Debug, Default)]
pub struct RunSummary {
    pub packets: u64,
    pub malformed: u64,
}

/// Drive `source` to its end through decode, filter, flows and the printers
/// chosen by `opts`, writing packet output to `out`.
pub fn run(
    source: &mut dyn PacketSource,
    opts: &OutputArgs,
    out: &mut dyn Write,
) -> anyhow::Result<RunSummary> {
    let _ = opts;
    let mut summary = RunSummary::default();
    while let Some(_packet) = source.next_packet()? {
        summary.packets += 1;
    }
    out.flush()?;
    Ok(summary)
}
