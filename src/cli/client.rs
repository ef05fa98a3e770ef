//! `sockscope client`: talk to a built-in server, interactively (lines from
//! stdin, replies on stdout) or scripted (`--message`/`--count`, exit 0 only
//! when every reply matched).

use super::duration::parse_duration;
use crate::endpoints::{
    ChatClient, Printable, TalkOptions, TcpSession, UdpSession, tcp_talk_client, udp_talk_client,
};
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use std::io::{self, BufRead, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[derive(Args, Debug, Clone)]
pub struct ClientArgs {
    #[arg(value_enum)]
    pub kind: ClientKind,
    /// Server address: HOST:PORT, a name or a literal (localhost:8080).
    #[arg(value_parser = super::addr::parse_socket_addr)]
    pub addr: SocketAddr,
    /// Send this message instead of reading lines from stdin (never empty).
    #[arg(long, value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub message: Option<String>,
    /// How many times to send `--message`.
    #[arg(long, default_value_t = 1)]
    pub count: u32,
    /// Chat nickname (required for `client chat`).
    #[arg(long, required_if_eq("kind", "chat"))]
    pub nick: Option<String>,
    /// How long to wait for a reply (e.g. 1s, 500ms; default 5s for TCP, 1s for UDP and chat).
    /// Talk: how long connecting may take (TCP, 5s), or how long replies are
    /// still printed after the input ends (UDP, 1s).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// Scripted mode: the reply every message must get (default: the message
    /// itself or its upper-case form).
    #[arg(long, value_name = "TEXT", requires = "message")]
    pub expect: Option<String>,
    /// UDP: sends per message before reporting a timeout.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub attempts: u32,
    /// Chat: send a keep-alive this often so the server does not drop us.
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = parse_duration)]
    pub keepalive: Duration,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    Tcp,
    Udp,
    Chat,
    /// Talk to a talk server: type lines, read its replies, at once.
    TcpTalk,
    /// The same over UDP.
    UdpTalk,
}

pub fn run(args: &ClientArgs) -> anyhow::Result<()> {
    match args.kind {
        ClientKind::Tcp => tcp(args),
        ClientKind::Udp => udp(args),
        ClientKind::Chat => chat(args),
        ClientKind::TcpTalk | ClientKind::UdpTalk => talk(args),
    }
}

/// `client tcp-talk` / `client udp-talk`: stdin is what we say. A reset or
/// an unreachable server is an error (exit 1); a close is a normal end.
fn talk(args: &ClientArgs) -> anyhow::Result<()> {
    let d = TalkOptions::default();
    let tcp = args.kind == ClientKind::TcpTalk;
    let fallback = Duration::from_secs(if tcp { 5 } else { 1 });
    let opts = TalkOptions {
        timeout: args.timeout.unwrap_or(fallback),
        ..d
    };
    if tcp {
        tcp_talk_client(args.addr, &opts, io::stdin())?;
    } else {
        udp_talk_client(args.addr, &opts, io::stdin())?;
    }
    Ok(())
}

/// What the user typed, reduced to a message or the end of the session.
enum Input {
    Send(String),
    Skip,
    Quit,
}

fn classify(line: &str) -> Input {
    let line = line.trim_end_matches(['\n', '\r']);
    match line.trim() {
        // Never send an empty message: the server would wait for it forever.
        "" => Input::Skip,
        "q" | "quit" | "/quit" => Input::Quit,
        _ => Input::Send(line.to_string()),
    }
}

/// Calls `f` for each message typed on stdin until q/quit or EOF.
fn each_stdin_message(mut f: impl FnMut(&str) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let stdin = io::stdin();
    let mut line = String::new();
    loop {
        line.clear();
        if stdin
            .lock()
            .read_line(&mut line)
            .context("cannot read stdin")?
            == 0
        {
            return Ok(());
        }
        match classify(&line) {
            Input::Skip => {}
            Input::Quit => return Ok(()),
            Input::Send(m) => f(&m)?,
        }
    }
}

/// Scripted mode: sends `--message` `--count` times through `request`,
/// prints each reply, fails unless every reply matched.
fn scripted(
    args: &ClientArgs,
    msg: &str,
    mut request: impl FnMut(&str) -> anyhow::Result<String>,
) -> anyhow::Result<()> {
    let upper = msg.to_ascii_uppercase();
    let mut out = io::stdout().lock();
    let mut bad = Vec::new();
    for i in 1..=args.count {
        let reply = request(msg)?;
        writeln!(out, "{reply}").context("cannot write stdout")?;
        let ok = match &args.expect {
            Some(e) => reply == *e,
            None => reply == msg || reply == upper,
        };
        if !ok {
            bad.push((i, reply));
        }
    }
    out.flush().ok();
    if let Some((i, reply)) = bad.first() {
        let want = match &args.expect {
            Some(e) => format!("{:?}", short(e)),
            None => format!("{:?} or {:?}", short(msg), short(&upper)),
        };
        bail!(
            "{} of {} replies did not match (first: reply {i} was {:?}, expected {want})",
            bad.len(),
            args.count,
            short(reply)
        );
    }
    eprintln!("sockscope: {}/{} replies matched", args.count, args.count);
    Ok(())
}

/// At most 60 characters of `s`, for error lines.
fn short(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn tcp(args: &ClientArgs) -> anyhow::Result<()> {
    let timeout = args.timeout.unwrap_or(Duration::from_secs(5));
    let mut s = TcpSession::connect(args.addr, timeout)?;
    if let Some(msg) = &args.message {
        scripted(args, msg, |m| Ok(s.request(m)?))?;
    } else {
        if let Ok(local) = s.local_addr() {
            eprintln!(
                "sockscope: connected {local} -> {} (empty lines are skipped; q, quit or EOF ends)",
                args.addr
            );
        }
        each_stdin_message(|m| {
            let reply = s.request(m)?;
            println!("{}", Printable(reply.as_bytes()));
            Ok(())
        })?;
    }
    s.close()?;
    Ok(())
}

fn udp(args: &ClientArgs) -> anyhow::Result<()> {
    let timeout = args.timeout.unwrap_or(Duration::from_secs(1));
    let mut s = UdpSession::connect(args.addr, timeout, args.attempts)?;
    match &args.message {
        Some(msg) => scripted(args, msg, |m| Ok(s.request(m.as_bytes())?)),
        None => each_stdin_message(|m| {
            println!("{}", Printable(s.request(m.as_bytes())?.as_bytes()));
            Ok(())
        }),
    }
}

fn chat(args: &ClientArgs) -> anyhow::Result<()> {
    let timeout = args.timeout.unwrap_or(Duration::from_secs(1));
    let nick = args.nick.as_deref().unwrap_or_default();
    let (mut client, welcome) = ChatClient::join(args.addr, nick, timeout)?;
    println!("{}", Printable(welcome.as_bytes()));
    if let Some(msg) = &args.message {
        for _ in 0..args.count {
            client.say(msg)?;
        }
        // Print what others said meanwhile, then leave.
        while let Some(line) = client.recv(Duration::from_millis(100))? {
            println!("{}", Printable(line.as_bytes()));
        }
        match client.quit(timeout)? {
            Some(bye) => println!("{}", Printable(bye.as_bytes())),
            None => eprintln!("sockscope: no goodbye from {} (left anyway)", args.addr),
        }
        return Ok(());
    }
    let mut listener = client.try_clone()?;
    let keepalive = args.keepalive.max(Duration::from_millis(100));
    // The listener thread owns the receive side, so it is the one that sees
    // the goodbye; it tells the main thread through this flag.
    let bye = Arc::new(AtomicBool::new(false));
    let saw_bye = Arc::clone(&bye);
    std::thread::spawn(move || {
        let mut last_ping = std::time::Instant::now();
        loop {
            match listener.recv(Duration::from_millis(250)) {
                Ok(Some(line)) => {
                    println!("{}", Printable(line.as_bytes()));
                    if line.starts_with("* bye ") {
                        saw_bye.store(true, Ordering::SeqCst);
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    eprintln!("sockscope: {e}");
                    std::process::exit(1);
                }
            }
            if last_ping.elapsed() >= keepalive {
                let _ = listener.send_line("/ping");
                last_ping = std::time::Instant::now();
            }
        }
    });
    each_stdin_message(|m| Ok(client.send_line(m)?))?;
    client.send_line("/quit")?;
    let deadline = std::time::Instant::now() + timeout;
    while !bye.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    if !bye.load(Ordering::SeqCst) {
        eprintln!("sockscope: no goodbye from {} (left anyway)", args.addr);
    }
    Ok(())
}
