//! `sockscope read FILE|-`: replay a pcap or pcapng file through the
//! pipeline. Packet output goes to stdout; the summary and any error go to
//! stderr. A file that breaks off prints every whole packet before the
//! break, then the error with its byte offset, and exits 1.

use super::OutputArgs;
use crate::pipeline::{self, Pipeline};
use crate::source::file::FileSource;
use clap::Args;
use std::io::{self, BufWriter, Write};
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
    let mut source = FileSource::open(&args.file)?;
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
    let pipeline = Pipeline::new(opts, write)?;
    if let Some(link) = source.pcap_link_type() {
        pipeline.check_link(link)?;
    }
    let stdout = io::stdout();
    let mut out: Box<dyn Write> = if to_stdout_pcap {
        // stdout carries the pcap: anything else we print goes to stderr.
        Box::new(BufWriter::new(io::stderr()))
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
