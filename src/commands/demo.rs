//! `sockscope demo`: the endpoints on loopback, sniffed while they talk.

use crate::cli::DemoArgs;
use std::io::{self, Write};

pub fn run(args: &DemoArgs) -> anyhow::Result<()> {
    let stdout_is_pcap = args
        .output
        .write
        .as_deref()
        .is_some_and(|p| p.as_os_str() == "-");
    // With `-w -` stdout carries only the pcap, so the transcript moves to
    // stderr; with --json, stdout carries only JSON lines.
    let mut log: Box<dyn Write> = if stdout_is_pcap || args.output.json {
        Box::new(io::stderr())
    } else {
        Box::new(io::stdout())
    };
    let mut out = io::stdout();
    // As before: an invalid value is ignored here (`capture` reports it).
    let backend = super::env::capture_backend()
        .ok()
        .flatten()
        .unwrap_or_default();
    let result = crate::demo::run(args.scenario, backend, &args.output, &mut out, &mut log);
    log.flush()?;
    result
}
