//! `sockscope demo`: the endpoints on loopback, sniffed while they talk.

use super::OutputArgs;
use crate::demo::DemoKind;
use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use std::io::{self, Write};

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Which scenarios to run.
    #[arg(value_parser = demo_kind(), default_value = "all")]
    pub scenario: DemoKind,
    #[command(flatten)]
    pub privileges: super::privileges::PrivilegeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The scenario choices with their help, mapped onto the demo's own
/// [`DemoKind`] (which knows nothing of clap).
fn demo_kind() -> impl TypedValueParser<Value = DemoKind> {
    PossibleValuesParser::new([
        PossibleValue::new("all").help("Every scenario below, in this order"),
        PossibleValue::new("tcp")
            .help("TCP echo: normal close, server closes, abort, refused, half close, many, IPv6"),
        PossibleValue::new("udp").help("UDP echo, and a datagram to a closed port"),
        PossibleValue::new("chat").help("Two members of the UDP chat"),
        PossibleValue::new("talk")
            .help("A typed conversation: handshake, exchange, half close, TIME_WAIT"),
    ])
    .map(|name| match name.as_str() {
        "tcp" => DemoKind::Tcp,
        "udp" => DemoKind::Udp,
        "chat" => DemoKind::Chat,
        "talk" => DemoKind::Talk,
        _ => DemoKind::All,
    })
}

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
    let config = args.output.to_config()?;
    // As before: an invalid value is ignored here (`capture` reports it).
    let backend = super::env::capture_backend()
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut drop = || {
        args.privileges
            .drop_now()
            .map(|d| d.to_string())
            .map_err(|e| format!("{e:#}"))
    };
    let result = crate::demo::run(
        args.scenario,
        backend,
        &config,
        &mut out,
        &mut log,
        &mut drop,
    );
    log.flush()?;
    Ok(result?)
}
