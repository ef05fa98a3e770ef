//! `sockscope report FILE -o report.html`: the capture's story in one
//! self-contained HTML page (summary, sortable flow table, each TCP flow's
//! ladder and time-sequence graph), for someone who has no sniffer.

use super::graph::{load, write_out};
use crate::output::graph::html;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// The capture file (pcap or pcapng), or `-` for stdin.
    pub file: PathBuf,
    /// Output file (`-` for stdout).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub out: PathBuf,
    /// Filter expression, tcpdump's language (the words after FILE; options
    /// may come before or after them).
    #[arg(value_name = "FILTER")]
    pub filter: Vec<String>,
}

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let (summary, report) = load(&args.file, &args.filter)?;
    let name = args.file.display().to_string();
    let page = html::render(&name, &[summary.line()], &report);
    write_out(&args.out, page.as_bytes())
}
