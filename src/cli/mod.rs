//! The command line: clap definitions, the one duration parser, and the step
//! that turns raw arguments into validated configuration before anything runs
//! (ripgrep's habit). One file per subcommand holds its flags and its `run`.
//! Only `main` and this module use clap types; the rest of the crate takes
//! plain configuration ([`crate::pipeline::OutputConfig`], the endpoints'
//! options), so it can be driven from tests and other programs alike.
//!
//! Errors: the library's typed errors travel up through `anyhow` here, the
//! binary's edge; [`exit_code`] maps their kinds to exit codes.

pub mod capture;
pub mod client;
pub mod demo;
pub mod duration;
pub mod env;
pub mod follow;
pub mod graph;
pub mod interfaces;
pub mod output;
pub mod privileges;
pub mod read;
pub mod report;
pub mod serve;

use clap::{Parser, Subcommand};

pub use output::OutputArgs;

#[derive(Parser, Debug)]
#[command(
    name = "sockscope",
    version,
    about = "Packet inspector and sniffer that shows each TCP endpoint's state as a timeline"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List capture interfaces (like `tcpdump -D`).
    Interfaces,
    /// Capture live from an interface (needs CAP_NET_RAW).
    Capture(capture::CaptureArgs),
    /// Read a pcap or pcapng file (`-` for stdin).
    Read(read::ReadArgs),
    /// Follow TCP streams (and UDP flows): the bytes each side sent, in
    /// order, as tshark's `-z follow` prints them.
    Follow(follow::FollowArgs),
    /// Run a built-in server.
    Serve(serve::ServeArgs),
    /// Run a built-in client.
    Client(client::ClientArgs),
    /// Run the endpoints on loopback while sniffing them.
    Demo(demo::DemoArgs),
    /// Draw one TCP flow: ladder, time-sequence, throughput, RTT or window graph.
    Graph(graph::GraphArgs),
    /// One self-contained HTML page: summary, flow table, ladders and graphs.
    Report(report::ReportArgs),
}

/// Run the parsed command.
pub fn run(cli: &Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Interfaces => interfaces::run(),
        Command::Capture(args) => capture::run(args),
        Command::Read(args) => read::run(args),
        Command::Follow(args) => follow::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Client(args) => client::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Report(args) => report::run(args),
    }
}

/// Arguments that clap accepted but that do not make sense together or do
/// not parse in their own language (a filter expression): usage errors, exit
/// code 2 like clap's own.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("{0}")]
    Filter(#[from] crate::filter::FilterError),
    #[error("{0}")]
    Graph(crate::output::graph::GraphError),
    /// Flags that do not go together (said in the message).
    #[error("{0}")]
    Flags(&'static str),
}

/// The process exit code for an error: 2 for usage errors (as clap's), 1 for
/// everything that failed at run time.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let usage = err
        .chain()
        .any(|e| e.downcast_ref::<UsageError>().is_some());
    if usage { 2 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_usage_errors_exit_2() {
        let parse = crate::filter::Filter::parse("tcp port and").unwrap_err();
        let err = anyhow::Error::from(UsageError::from(parse)).context("while starting");
        assert_eq!(exit_code(&err), 2);
        let runtime = anyhow::anyhow!("cannot open the file");
        assert_eq!(exit_code(&runtime), 1);
    }
}
