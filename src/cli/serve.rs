//! `sockscope serve`: run one built-in server in the foreground until Ctrl-C
//! or SIGTERM. The first signal closes the listener and lets connections
//! finish; a second one exits at once.

use super::duration::{format_duration, parse_duration};
use crate::endpoints::{
    ChatOptions, ChatServer, Log, ServerHandle, TalkOptions, TcpEchoOptions, TcpEchoServer,
    TcpTalkServer, UdpEchoOptions, UdpEchoServer, UdpTalkServer,
};
use anyhow::Context;
use clap::{Args, ValueEnum};
use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[arg(value_enum)]
    pub kind: ServerKind,
    /// Address to listen on (HOST:PORT; a name such as localhost works).
    #[arg(long, value_name = "ADDR:PORT", value_parser = super::addr::parse_socket_addr)]
    pub listen: Option<SocketAddr>,
    /// TCP/UDP echo: answer in upper case.
    #[arg(long)]
    pub upper: bool,
    /// TCP echo: close a client silent for this long (e.g. 30s, 5m).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub idle_timeout: Duration,
    /// Longest message accepted, in bytes (TCP line without its newline, UDP datagram).
    #[arg(long, value_name = "BYTES")]
    pub max_message: Option<usize>,
    /// TCP echo: clients served at once; a new client past this takes the
    /// place of the longest-idle one.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_clients: usize,
    /// TCP echo: connections one source address may hold; past this, its
    /// own longest-idle one is closed (default: a quarter of --max-clients,
    /// at least 64).
    #[arg(long, value_name = "N")]
    pub max_per_source: Option<usize>,
    /// Chat: drop members silent (not even a keep-alive) for this long.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub member_timeout: Duration,
    /// TCP echo: after Ctrl-C, shut down connections still open after this
    /// long (a second Ctrl-C exits at once).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub drain_timeout: Duration,
    /// Only the start and stop lines, no per-connection log.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Talk: serve several clients at once (`@N text` answers client N,
    /// `/who` lists them) instead of one at a time.
    #[arg(long)]
    pub concurrent: bool,
    /// TCP talk: bind without SO_REUSEADDR, to see the bind fail while
    /// connections of a previous run are in TIME_WAIT.
    #[arg(long)]
    pub no_reuseaddr: bool,
    #[command(flatten)]
    pub privileges: super::privileges::PrivilegeArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    TcpEcho,
    UdpEcho,
    Chat,
    /// Prints what clients say; its operator types the replies.
    TcpTalk,
    /// The same over UDP: answers the last sender, or `@N text`.
    UdpTalk,
}

/// Where each server listens when `--listen` is not given.
pub fn default_listen(kind: ServerKind) -> SocketAddr {
    let port = match kind {
        ServerKind::TcpEcho => 8080,
        ServerKind::UdpEcho => 9000,
        ServerKind::Chat => 9100,
        ServerKind::TcpTalk => 8090,
        ServerKind::UdpTalk => 9090,
    };
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// The first line on stderr; it always names the bound address (scripts and
/// tests read the port from it), so it is printed before any server thread
/// can log.
fn banner(name: &str, addr: SocketAddr, detail: &str) {
    eprintln!("sockscope: {name} listening on {addr} ({detail}); Ctrl-C stops");
}

/// A server is bound: give up privileges, then install the Ctrl-C/SIGTERM
/// handler (its thread must start after the drop, as capabilities are per
/// thread), then say where we listen. A signal that comes after the
/// banner is queued on the returned channel and stops the server as soon
/// as it runs.
fn ready(
    args: &ServeArgs,
    name: &str,
    addr: SocketAddr,
    detail: &str,
) -> anyhow::Result<mpsc::Receiver<()>> {
    args.privileges.drop_now()?;
    let (tx, signals) = mpsc::channel::<()>();
    let hup_ignored = crate::sys::signals::sighup_ignored();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .context("cannot install the Ctrl-C/SIGTERM handler")?;
    // ctrlc takes SIGHUP too: under `nohup` it must stay ignored.
    if hup_ignored {
        crate::sys::signals::ignore_sighup().context("cannot keep SIGHUP ignored")?;
    }
    banner(name, addr, detail);
    Ok(signals)
}

pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    let listen = args.listen.unwrap_or_else(|| default_listen(args.kind));
    if matches!(args.kind, ServerKind::TcpTalk | ServerKind::UdpTalk) {
        return talk(args, listen);
    }
    let log = if args.quiet {
        Log::quiet()
    } else {
        Log::stderr()
    };
    // Each TCP client is a descriptor: lift the soft limit (often 1024) to
    // the hard one so a thousand clients fit. Failure only lowers capacity.
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let (name, handle, signals): (&str, ServerHandle, _) = match args.kind {
        ServerKind::TcpEcho => {
            let d = TcpEchoOptions::default();
            let opts = TcpEchoOptions {
                upper: args.upper,
                idle_timeout: args.idle_timeout,
                max_message: args.max_message.unwrap_or(d.max_message),
                max_clients: args.max_clients,
                max_per_source: args.max_per_source,
                drain_timeout: Some(args.drain_timeout),
                log,
            };
            let detail = format!(
                "lines ending in \\n, {} reply, idle timeout {}, max message {} bytes",
                if opts.upper { "upper-case" } else { "echo" },
                format_duration(opts.idle_timeout),
                opts.max_message
            );
            let server = TcpEchoServer::bind(listen, opts)?;
            let signals = ready(args, "tcp-echo", server.local_addr(), &detail)?;
            (
                "tcp-echo",
                server.spawn().context("cannot start tcp-echo")?,
                signals,
            )
        }
        ServerKind::UdpEcho => {
            let opts = UdpEchoOptions {
                upper: args.upper,
                max_datagram: args
                    .max_message
                    .unwrap_or(UdpEchoOptions::default().max_datagram),
                log,
            };
            let detail = format!("one datagram per message, max {} bytes", opts.max_datagram);
            let server = UdpEchoServer::bind(listen, opts)?;
            let signals = ready(args, "udp-echo", server.local_addr(), &detail)?;
            (
                "udp-echo",
                server.spawn().context("cannot start udp-echo")?,
                signals,
            )
        }
        ServerKind::TcpTalk | ServerKind::UdpTalk => return talk(args, listen),
        ServerKind::Chat => {
            let d = ChatOptions::default();
            let opts = ChatOptions {
                member_timeout: args.member_timeout,
                max_datagram: args.max_message.unwrap_or(d.max_datagram),
                log,
                ..d
            };
            let detail = format!(
                "/join NICK, /who, /quit; silent members dropped after {}",
                format_duration(opts.member_timeout)
            );
            let server = ChatServer::bind(listen, opts)?;
            let signals = ready(args, "chat", server.local_addr(), &detail)?;
            (
                "chat",
                server.spawn().context("cannot start chat")?,
                signals,
            )
        }
    };
    let stopper = handle.stopper();
    thread::spawn(move || {
        if signals.recv().is_ok() {
            eprintln!(
                "sockscope: stopping: no new clients; open connections may finish (Ctrl-C again to exit now)"
            );
            stopper.stop();
        }
        if signals.recv().is_ok() {
            eprintln!("sockscope: second signal, exiting now");
            std::process::exit(130);
        }
    });
    let stats = handle.join();
    let peak = match args.kind {
        ServerKind::UdpEcho => String::new(),
        _ => format!(", peak {} at once", stats.peak_clients),
    };
    eprintln!(
        "sockscope: {name} stopped: {} connection(s)/peer(s), {} message(s), {} bytes, {} error(s){peak}",
        stats.connections, stats.messages, stats.bytes, stats.errors
    );
    Ok(())
}

/// `serve tcp-talk` / `serve udp-talk`: the operator's stdin is the input;
/// Ctrl-C ends the process (the kernel closes the connections).
fn talk(args: &ServeArgs, listen: SocketAddr) -> anyhow::Result<()> {
    let d = TalkOptions::default();
    let opts = TalkOptions {
        concurrent: args.concurrent,
        reuse_addr: !args.no_reuseaddr,
        max_message: args.max_message.unwrap_or(d.max_message),
        log: if args.quiet {
            Log::quiet()
        } else {
            d.log.clone()
        },
        ..d
    };
    let how = if opts.concurrent {
        "several clients; @N text answers #N, /who lists them"
    } else {
        "one client at a time"
    };
    if args.kind == ServerKind::TcpTalk {
        let server = TcpTalkServer::bind(listen, opts)?;
        args.privileges.drop_now()?;
        let detail = format!("{how}; type replies, Ctrl-D closes our side");
        banner("tcp-talk", server.local_addr(), &detail);
        server.run(std::io::stdin())?;
    } else {
        let server = UdpTalkServer::bind(listen, opts)?;
        args.privileges.drop_now()?;
        banner(
            "udp-talk",
            server.local_addr(),
            "replies go to the last sender, or @N text",
        );
        server.run(std::io::stdin())?;
    }
    Ok(())
}
