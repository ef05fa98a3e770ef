//! `sockscope demo`: the endpoints on loopback, sniffed while they talk.

use super::OutputArgs;
use crate::demo::DemoKind;
use clap::{Args, ValueEnum};
use std::io::{self, Write};

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Which scenarios to run.
    #[arg(value_enum, default_value_t = DemoArg::All)]
    pub scenario: DemoArg,
    #[command(flatten)]
    pub privileges: super::privileges::PrivilegeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DemoArg {
    #[default]
    All,
    Tcp,
    Udp,
    Chat,
    /// A typed conversation: handshake, exchange, half close, TIME_WAIT.
    Talk,
}

impl From<DemoArg> for DemoKind {
    fn from(a: DemoArg) -> DemoKind {
        match a {
            DemoArg::All => DemoKind::All,
            DemoArg::Tcp => DemoKind::Tcp,
            DemoArg::Udp => DemoKind::Udp,
            DemoArg::Chat => DemoKind::Chat,
            DemoArg::Talk => DemoKind::Talk,
        }
    }
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
        args.scenario.into(),
        backend,
        &config,
        &mut out,
        &mut log,
        &mut drop,
    );
    log.flush()?;
    Ok(result?)
}
