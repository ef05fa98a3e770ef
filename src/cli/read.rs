//! `sockscope read FILE|-`: replay a pcap or pcapng file through the
//! pipeline. Packet output goes to stdout; the summary and any error go to
//! stderr. A file that breaks off prints every whole packet before the
//! break, then the error with its byte offset, and exits 1.

use super::OutputArgs;
use crate::pipeline::{self, Pipeline};
use crate::source::file::FileSource;
use crate::sys::signals;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug, Clone)]
pub struct ReadArgs {
    /// The capture file (pcap or pcapng), or `-` for stdin.
    pub file: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: &ReadArgs) -> anyhow::Result<()> {
    let opts = &args.output.to_config()?;
    // Ctrl-C and SIGTERM stop reading (even a read blocked on a slow FIFO)
    // and the packets decoded so far, the flow tables and the summary are
    // still printed; SIGUSR1 prints the counters and goes on.
    if let Err(e) = signals::install_stop_handlers().and_then(|()| signals::install_stats_handler())
    {
        eprintln!("sockscope: warning: could not install signal handlers: {e}");
    }
    let mut source = FileSource::open(&args.file)?;
    source.stop_when(signals::stop_requested);
    source.on_interrupt(|stats| {
        if signals::take_stats_request() {
            eprintln!("{} packets captured", stats.received);
        }
    });
    let write = match &opts.write {
        Some(path) => Some(Pipeline::open_write_target(
            path,
            opts.rotate.as_ref(),
            source.pcap_link_type(),
            // pcapng: each packet's link type decides (its libpcap maximum).
            source.pcap_link_type().map_or(0, |_| source.snaplen()),
            false,
        )?),
        None => None,
    };
    let mut pipeline = Pipeline::new(opts, write)?;
    pipeline.stats_on(signals::take_stats_request);
    if let Some(link) = source.pcap_link_type() {
        pipeline.check_link(link)?;
    }
    let mut out = args.output.packet_sink();
    let summary = match pipeline::run_with(&mut source, pipeline, &mut out) {
        Ok(s) => s,
        Err(e) if e.is_broken_pipe() => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    drop(out);
    if let Some(n) = summary.file_limit {
        eprintln!("Maximum file limit reached: {n}");
    }
    eprintln!("{}", summary.line());
    match summary.source_error {
        Some(err) => Err(err.into()),
        None => Ok(()),
    }
}
