//! `sockscope read FILE|-`: replay a pcap or pcapng file through the
//! pipeline. Packet output goes to stdout; the summary and any error go to
//! stderr. A file that breaks off prints every whole packet before the
//! break, then the error with its byte offset, and exits 1.

use super::OutputArgs;
use crate::pipeline::{self, Pipeline};
use crate::source::file::FileSource;
use crate::sys::signals;
use clap::Args;
use std::io::{self, BufWriter, IsTerminal, LineWriter, Write};
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
            source.pcap_link_type(),
            // pcapng: each packet's link type decides (its libpcap maximum).
            source.pcap_link_type().map_or(0, |_| source.snaplen()),
            false,
        )?),
        None => None,
    };
    let to_stdout_pcap = opts.write.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let mut pipeline = Pipeline::new(opts, write)?;
    pipeline.stats_on(signals::take_stats_request);
    #[cfg(feature = "parquet")]
    pipeline.point_into(source.name(), source.record_pos());
    if let Some(link) = source.pcap_link_type() {
        pipeline.check_link(link)?;
    }
    let stdout = io::stdout();
    let mut out: Box<dyn Write> = if to_stdout_pcap {
        // stdout carries the pcap: anything else we print goes to stderr.
        Box::new(BufWriter::new(io::stderr()))
    } else if stdout.is_terminal() {
        // Someone is watching (maybe a slow FIFO): each line as it comes.
        Box::new(LineWriter::new(stdout.lock()))
    } else {
        Box::new(BufWriter::with_capacity(1 << 16, stdout.lock()))
    };
    let summary = match pipeline::run_with(&mut source, pipeline, &mut out) {
        Ok(s) => s,
        Err(e) if e.is_broken_pipe() => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    drop(out);
    eprintln!("{}", summary.line());
    match summary.source_error {
        Some(err) => Err(err.into()),
        None => Ok(()),
    }
}
