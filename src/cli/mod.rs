//! The command line: clap definitions, the one duration parser, and the step
//! that turns raw arguments into validated configuration before anything runs
//! (ripgrep's habit). One file per subcommand holds its flags and its `run`.
//! Only `main` and this module use clap types; the rest of the crate takes
//! plain configuration ([`crate::pipeline::OutputConfig`], the endpoints'
//! options), so it can be driven from tests and other programs alike.
//!
//! Errors: the library's typed errors travel up through `anyhow` here, the
//! binary's edge; [`exit_code`] maps their kinds to exit codes.

pub mod addr;
pub mod capture;
pub mod client;
pub mod demo;
pub mod duration;
pub mod env;
pub mod fanout;
pub mod follow;
pub mod graph;
pub mod interfaces;
pub mod output;
pub mod packaging;
pub mod privileges;
pub mod progress;
pub mod read;
pub mod report;
pub mod serve;
pub mod tcpdump;
pub mod term;

use clap::{Parser, Subcommand};

pub use output::OutputArgs;

#[derive(Parser, Debug)]
#[command(
    name = "sockscope",
    version = packaging::VERSION,
    propagate_version = true,
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(packaging::CompletionsArgs),
    /// Print the man page (roff): `sockscope man | man -l -`.
    Man,
}

/// Parse the process's arguments. `read a.pcap b.pcap --flows`: clap takes
/// everything after the second positional word as the trailing filter, so
/// the extra files (the leading filter words naming existing paths, always
/// the words right after the head of the command line's tail) are taken out
/// and the rest parsed again, which lets options follow the files.
pub fn parse() -> Result<Cli, clap::Error> {
    // tcpdump's `-r F`/`-i IF` at the top level become `read`/`capture`.
    let mut argv = tcpdump::rewrite_args(std::env::args_os().collect());
    let mut more = Vec::new();
    loop {
        let mut cli = Cli::try_parse_from(&argv)?;
        let Command::Read(r) = &mut cli.command else {
            return Ok(cli);
        };
        let extra = read::extra_inputs(r);
        if extra == 0 {
            r.more_files = more;
            return Ok(cli);
        }
        // The filter words are the last ones of the command line.
        let start = argv.len().saturating_sub(r.output.filter.len());
        let end = (start + extra).min(argv.len());
        more.extend(argv.drain(start..end).map(Into::into));
    }
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
        Command::Completions(args) => packaging::completions(args),
        Command::Man => packaging::man(),
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
    /// Flags that cannot go together, and what to do.
    #[error("{0}")]
    Conflict(String),
}

/// The process exit code for an error: 2 for usage errors (as clap's), 1 for
/// everything that failed at run time.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let usage = err
        .chain()
        .any(|e| e.downcast_ref::<UsageError>().is_some());
    if usage { 2 } else { 1 }
}

/// The error as one line, outermost context first, as anyhow's `{:#}`, but a
/// cause that the message before it already ends with is not said again
/// (`out.pcap: cannot create the output file: Permission denied (os error
/// 13)`, once: our messages name their cause, which is also their source).
pub fn error_message(err: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !msg.is_empty() && msg.ends_with(&text) {
            continue;
        }
        if !msg.is_empty() {
            msg.push_str(": ");
        }
        msg.push_str(&text);
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_error_message_says_each_cause_once() {
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let create = crate::pipeline::PipelineError::CreateOutput {
            path: "/x/out.pcap".into(),
            source: io,
        };
        let err = anyhow::Error::from(create).context("with -C/-G");
        let said = error_message(&err);
        assert_eq!(
            said,
            "with -C/-G: /x/out.pcap: cannot create the output file: permission denied"
        );
        // anyhow's own form repeats the cause; ours must differ from it.
        assert_ne!(said, format!("{err:#}"));
        let plain = anyhow::anyhow!("cannot open").context("reading x");
        assert_eq!(error_message(&plain), "reading x: cannot open");
    }

    #[test]
    fn test_usage_errors_exit_2() {
        let parse = crate::filter::Filter::parse("tcp port and").unwrap_err();
        let err = anyhow::Error::from(UsageError::from(parse)).context("while starting");
        assert_eq!(exit_code(&err), 2);
        let runtime = anyhow::anyhow!("cannot open the file");
        assert_eq!(exit_code(&runtime), 1);
    }
}
