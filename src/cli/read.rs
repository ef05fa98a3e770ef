//! `sockscope read FILE|-`: replay a pcap or pcapng file through the
//! pipeline. Packet output goes to stdout; the summary and any error go to
//! stderr. A file that breaks off prints every whole packet before the
//! break, then the error with its byte offset, and exits 1.

use super::OutputArgs;
use crate::output::fmt::count;
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
    // Packet lines on the terminal would garble a bar drawn on it.
    let lines_to_terminal = io::stdout().is_terminal()
        && !(opts.quiet
            || opts.write.is_some()
            || (opts.flows || opts.timeline) && opts.verbose == 0);
    let progress = super::progress::open(&args.file, lines_to_terminal);
    let (mut source, bar) = match progress {
        Some((reader, bar)) => (
            FileSource::from_reader(&args.file.display().to_string(), Box::new(reader))?,
            Some(bar),
        ),
        None => (FileSource::open(&args.file)?, None),
    };
    source.stop_when(signals::stop_requested);
    source.on_interrupt(|stats| {
        if signals::take_stats_request() {
            eprintln!("{} captured", count(stats.received, "packet"));
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
    if let Some(bar) = &bar {
        pipeline.progress_on(super::progress::packet_rate(bar.clone()));
    }
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
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    eprintln!("{}", summary.line());
    match summary.source_error {
        Some(err) => Err(err.into()),
        None => Ok(()),
    }
}
