//! `sockscope read FILE|-`: replay a pcap or pcapng file through the
//! pipeline. Packet output goes to stdout; tcpdump's `reading from file …`
//! line, the summary and any error go to stderr. A file that breaks off
//! prints every whole packet before the break, then the error with its
//! byte offset, and exits 1.
//!
//! Several files (`read a.pcap b.pcap …`, or a directory) are merged by
//! time stamp as `mergecap` merges them; the extra file names are the
//! leading trailing words that name existing files or directories (the
//! filter's words and any options come after them; see
//! [`crate::cli::parse`]).

use super::OutputArgs;
use crate::output::fmt::count;
use crate::packet::LinkType;
use crate::pipeline::{self, Pipeline};
use crate::source::PacketSource;
use crate::source::file::FileSource;
use crate::source::merge::{MergedSource, expand_inputs};
use crate::sys::signals;
use clap::Args;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

#[derive(Args, Debug, Clone)]
pub struct ReadArgs {
    /// The capture file (pcap or pcapng), or `-` for stdin. More files or
    /// directories may follow (merged by time stamp, as mergecap does).
    pub file: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Decode and format packet lines, or track flows, on N threads
    /// (written in file order, the same bytes as one thread; so are the
    /// -w file and the Parquet outputs). -W, and -C/-G with Parquet
    /// output, use one thread.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: u16,
    /// The files after the first (see [`crate::cli::parse`]).
    #[arg(skip)]
    pub more_files: Vec<PathBuf>,
}

/// How many of the filter words are more input files: the leading ones
/// that name an existing file or directory.
pub fn extra_inputs(args: &ReadArgs) -> usize {
    args.output
        .filter
        .iter()
        .take_while(|w| std::path::Path::new(w).exists())
        .count()
}

pub fn run(args: &ReadArgs) -> anyhow::Result<()> {
    let mut inputs = vec![args.file.clone()];
    inputs.extend(args.more_files.iter().cloned());
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
    let mut bar = None;
    let on_interrupt = |stats: &crate::source::SourceStats| {
        if signals::take_stats_request() {
            eprintln!("{} captured", count(stats.received, "packet"));
        }
    };
    // One file is read in place; several are merged (which copies each
    // packet once).
    let (mut one, mut many);
    let pointer;
    let (source, link, snaplen): (&mut dyn PacketSource, Option<LinkType>, u32) =
        match inputs.as_slice() {
            [file] if !file.is_dir() => {
                // The progress bar follows one file's bytes.
                one = match super::progress::open(file, lines_to_terminal) {
                    Some((reader, b)) => {
                        bar = Some(b);
                        FileSource::from_reader(&file.display().to_string(), Box::new(reader))?
                    }
                    None => FileSource::open(file)?,
                };
                one.stop_when(signals::stop_requested);
                one.on_interrupt(on_interrupt);
                say_reading(file, one.opening_link());
                pointer = Some((vec![one.name().to_string()], one.record_pos()));
                let (link, snaplen) = (one.pcap_link_type(), one.snaplen());
                (&mut one, link, snaplen)
            }
            _ => {
                let files = expand_inputs(&inputs)?;
                many = MergedSource::open(&files)?;
                for (file, opening) in files.iter().zip(many.opening_links()) {
                    say_reading(file, opening);
                }
                many.stop_when(signals::stop_requested);
                many.on_interrupt(on_interrupt);
                pointer = Some((many.names(), many.record_pos()));
                let (link, snaplen) = (many.pcap_link_type(), many.snaplen());
                (&mut many, link, snaplen)
            }
        };
    let write = match &opts.write {
        Some(path) => Some(Pipeline::open_write_target(
            path,
            opts.rotate.as_ref(),
            link,
            // pcapng: each packet's link type decides (its libpcap maximum).
            link.map_or(0, |_| snaplen),
            false,
        )?),
        None => None,
    };
    let mut pipeline = Pipeline::new(opts, write)?;
    pipeline.stats_on(signals::take_stats_request);
    if let Some(bar) = &bar {
        pipeline.progress_on(super::progress::packet_rate(bar.clone()));
    }
    // Parquet rows point into the file each packet came from.
    #[cfg(feature = "parquet")]
    if let Some((names, pos)) = pointer {
        pipeline.point_into(names, pos);
    }
    #[cfg(not(feature = "parquet"))]
    let _ = pointer;
    if let Some(link) = link {
        pipeline.check_link(link)?;
    }
    let mut out = args.output.packet_sink();
    let threads = usize::from(args.threads);
    let run = if threads > 1 && pipeline::parallel::supported(opts) {
        // It prints the merged report (its Parquet rows point into the files).
        pipeline::parallel::run_parallel(source, opts, threads, pipeline, &mut out)
    } else {
        pipeline::run_with(source, pipeline, &mut out)
    };
    let summary = match run {
        Ok(s) => s,
        Err(e) if e.is_broken_pipe() => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    drop(out);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(n) = summary.file_limit {
        eprintln!("Maximum file limit reached: {n}");
    }
    eprintln!("{}", summary.line());
    match summary.source_error {
        Some(err) => Err(err.into()),
        None => Ok(()),
    }
}

/// tcpdump's first words on stderr, said as a file is opened: its name as
/// given (`-` for stdin), the link type and snap length (a pcapng file's
/// first interface). Merged files get one line each: tcpdump reads one
/// file, so each line is what it says of that file.
fn say_reading(file: &Path, opening: Option<(LinkType, u32)>) {
    if let Some((link, snaplen)) = opening {
        eprintln!(
            "reading from file {}, link-type {}, snapshot length {snaplen}",
            file.display(),
            link.tcpdump_words()
        );
    }
}
