//! The scripted conversations of `sockscope demo`: each drives real clients
//! against the servers and writes a transcript; [`scenarios`] lists them in
//! the order they run for each demo choice.

use super::servers::Servers;
use super::{DemoError, DemoKind, Result};
use crate::endpoints::{ChatClient, ScriptedTalk, TalkOptions, tcp_exchange, udp_exchange};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::thread;
use std::time::{Duration, Instant};

/// How long a client waits for any reply before calling the scenario failed.
const REPLY_TIMEOUT: Duration = Duration::from_secs(3);
/// Longer than Linux's longest delayed ACK (200 ms): after this, a segment
/// that waited for a delayed ACK has been acknowledged on its own.
const DELAYED_ACK_SETTLE: Duration = Duration::from_millis(250);

/// One scripted conversation: a name for the transcript and the client side.
pub(super) struct Scenario {
    pub name: &'static str,
    pub what: &'static str,
    pub run: fn(&Servers, &mut dyn Write) -> Result<()>,
}

/// The scenarios of each `demo` choice, in the order they run.
pub(super) fn scenarios(kind: DemoKind) -> Vec<Scenario> {
    let tcp = [
        Scenario {
            name: "tcp-normal",
            what: "connect, 3 messages upper-cased, client closes first (client ends in TIME_WAIT)",
            run: tcp_normal,
        },
        Scenario {
            name: "tcp-server-closes",
            what: "the server closes first after its idle timeout (server ends in TIME_WAIT)",
            run: tcp_server_closes,
        },
        Scenario {
            name: "tcp-abort",
            what: "abortive close: SO_LINGER 0, the client resets the connection",
            run: tcp_abort,
        },
        Scenario {
            name: "tcp-refused",
            what: "connect to a closed port: SYN answered by RST",
            run: tcp_refused,
        },
        Scenario {
            name: "tcp-half-close",
            what: "client shuts down writing; the server still answers, then closes",
            run: tcp_half_close,
        },
        Scenario {
            name: "tcp-coalesce",
            what: "three quick writes leave as one segment; the server's one read() gets all three",
            run: tcp_coalesce,
        },
        Scenario {
            name: "tcp-many",
            what: "three clients at once",
            run: tcp_many,
        },
        Scenario {
            name: "tcp-ipv6",
            what: "one session over ::1 (skipped when the machine has no IPv6 loopback)",
            run: tcp_ipv6,
        },
    ];
    let udp = [
        Scenario {
            name: "udp-echo",
            what: "two datagrams echoed",
            run: udp_echo_scenario,
        },
        Scenario {
            name: "udp-closed-port",
            what: "a datagram to a closed port: ICMP port unreachable",
            run: udp_closed_port,
        },
    ];
    let chat = [Scenario {
        name: "chat",
        what: "alice and bob join the chat, talk, ask /who, and quit",
        run: chat_scenario,
    }];
    let talk = [Scenario {
        name: "talk",
        what: "a typed conversation: the server speaks first, the client half-closes, the server still answers, then closes (client ends in TIME_WAIT)",
        run: talk_scenario,
    }];
    match kind {
        DemoKind::Tcp => tcp.into_iter().collect(),
        DemoKind::Udp => udp.into_iter().collect(),
        DemoKind::Chat => chat.into_iter().collect(),
        DemoKind::Talk => talk.into_iter().collect(),
        DemoKind::All => tcp.into_iter().chain(udp).chain(chat).chain(talk).collect(),
    }
}

/// One transcript line, indented under its scenario's title.
macro_rules! say {
    ($log:expr, $($fmt:tt)*) => {
        writeln!($log, "    {}", format_args!($($fmt)*))
    };
}

/// Print the requests and the replies side by side.
fn transcript(log: &mut dyn Write, sent: &[&str], got: &[String]) -> io::Result<()> {
    for (s, g) in sent.iter().zip(got) {
        say!(log, "> {s:<12} < {g}")?;
    }
    Ok(())
}

/// Connect, send one line, print it beside the reply; the stream stays open
/// for the scenario to close as it wants.
fn ask_one_line(
    addr: SocketAddr,
    msg: &str,
    log: &mut dyn Write,
) -> Result<(TcpStream, BufReader<TcpStream>)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
    stream.write_all(format!("{msg}\n").as_bytes())?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut reply = String::new();
    reader.read_line(&mut reply)?;
    say!(log, "> {msg:<12} < {}", reply.trim_end())?;
    Ok((stream, reader))
}

fn tcp_normal(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let msgs = ["hello", "sockets", "bye"];
    let got = tcp_exchange(s.echo.local_addr(), &msgs, REPLY_TIMEOUT)?;
    transcript(log, &msgs, &got)?;
    Ok(())
}

/// TCP carries bytes, not messages: with the socket corked (TCP_CORK, so
/// the outcome does not hang on timing), three write() calls leave as one
/// segment, and the server's single read() returns all of them. The
/// server answers with what its read() got, in one write.
fn tcp_coalesce(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let listener = s
        .reader
        .lock()
        .ok()
        .and_then(|mut l| l.take())
        .ok_or_else(|| DemoError::Failed("the reader server is gone".into()))?;
    let server = thread::spawn(move || -> io::Result<usize> {
        let (mut conn, _) = listener.accept()?;
        let mut buf = [0u8; 1024];
        let n = conn.read(&mut buf)?;
        let got = String::from_utf8_lossy(buf.get(..n).unwrap_or(&[])).into_owned();
        conn.write_all(format!("1 read() got {n} bytes: {got:?}\n").as_bytes())?;
        // Wait for the client to close first (it ends in TIME_WAIT).
        while conn.read(&mut buf)? > 0 {}
        Ok(n)
    });
    let stream = TcpStream::connect(s.reader_addr)?;
    stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
    let sock = socket2::SockRef::from(&stream);
    sock.set_tcp_cork(true)?;
    let writes = ["one\n", "two\n", "three\n"];
    for w in writes {
        (&stream).write_all(w.as_bytes())?;
    }
    sock.set_tcp_cork(false)?;
    let mut reply = String::new();
    BufReader::new(&stream).read_line(&mut reply)?;
    say!(log, "3 writes: {writes:?}")?;
    say!(log, "server: {}", reply.trim_end())?;
    drop(stream);
    let n = server
        .join()
        .map_err(|_| DemoError::Failed("the reader server panicked".into()))??;
    if n != 14 {
        return Err(DemoError::Failed(format!(
            "the server's read() got {n} bytes, not 14"
        )));
    }
    Ok(())
}

fn tcp_server_closes(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let (stream, mut reader) = ask_one_line(s.idle_echo.local_addr(), "anyone there?", log)?;
    // Wait for the server's FIN (its idle timeout), then close our side.
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest)?;
    say!(
        log,
        "server closed the connection (idle timeout); closing ours"
    )?;
    drop(reader);
    drop(stream);
    Ok(())
}

fn tcp_abort(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let (stream, reader) = ask_one_line(s.echo.local_addr(), "going away", log)?;
    // SO_LINGER with a zero timeout turns close() into a reset.
    socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO))?;
    drop(reader);
    drop(stream);
    say!(log, "closed with SO_LINGER 0: the kernel sends RST")?;
    Ok(())
}

fn tcp_refused(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let result = TcpStream::connect_timeout(&s.closed_tcp, REPLY_TIMEOUT);
    let want = Refusal {
        what: "connect",
        said: "connect",
        addr: s.closed_tcp,
        seen: "connection refused (as expected)",
        expected: "refused",
        answered: "something is listening on the closed port",
    };
    want.check(result, log)
}

/// What a "closed port" scenario expects: the kernel refuses (a RST to the
/// SYN for TCP; for UDP an ICMP port unreachable, which a connected socket
/// reports as ECONNREFUSED).
struct Refusal {
    /// The action, as errors name it (`connect`, `udp to`) …
    what: &'static str,
    /// … and as the transcript names it when refused (`send to`).
    said: &'static str,
    addr: SocketAddr,
    /// Said in the transcript when it was refused.
    seen: &'static str,
    /// The expected outcome, named in the error when something else failed.
    expected: &'static str,
    /// The error when the closed port answered.
    answered: &'static str,
}

impl Refusal {
    fn check<T>(&self, result: io::Result<T>, log: &mut dyn Write) -> Result<()> {
        let (what, addr) = (self.what, self.addr);
        match result {
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                say!(log, "{} {addr}: {}", self.said, self.seen)?;
                Ok(())
            }
            Err(e) => Err(DemoError::Failed(format!(
                "{what} {addr}: {e} (expected: {})",
                self.expected
            ))),
            Ok(_) => Err(DemoError::Failed(format!(
                "{what} {addr}: {}",
                self.answered
            ))),
        }
    }
}

fn tcp_half_close(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let mut stream = TcpStream::connect(s.echo.local_addr())?;
    stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
    // No newline: the server holds the partial line until our FIN tells it
    // the message is complete, so its answer always comes after the FIN
    // (whatever the scheduler does between our write and our shutdown).
    let msg = "still there after my FIN?";
    // Corked, the message and the FIN leave in one segment: otherwise the
    // server's ACK of the message races our FIN on the wire and the history
    // changes from run to run.
    socket2::SockRef::from(&stream).set_tcp_cork(true)?;
    stream.write_all(msg.as_bytes())?;
    stream.shutdown(Shutdown::Write)?;
    say!(
        log,
        "> {msg}  then shutdown(SHUT_WR): our FIN, we keep reading"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    for line in answer.lines() {
        say!(log, "< {line}  (after our FIN)")?;
    }
    Ok(())
}

fn tcp_many(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let addr = s.echo.local_addr();
    let workers: Vec<_> = ["one", "two", "three"]
        .into_iter()
        .map(|m| thread::spawn(move || tcp_exchange(addr, &[m], REPLY_TIMEOUT)))
        .collect();
    for (i, w) in workers.into_iter().enumerate() {
        let got = w
            .join()
            .map_err(|_| DemoError::Failed(format!("client thread {i} panicked")))??;
        say!(log, "client {}: < {}", i + 1, got.join(" "))?;
    }
    Ok(())
}

fn tcp_ipv6(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let Some(server) = &s.echo6 else {
        say!(log, "skipped: no IPv6 loopback on this machine")?;
        return Ok(());
    };
    let msgs = ["over ipv6"];
    let got = tcp_exchange(server.local_addr(), &msgs, REPLY_TIMEOUT)?;
    transcript(log, &msgs, &got)?;
    Ok(())
}

fn udp_echo_scenario(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let msgs = ["ping", "pong?"];
    let got = udp_exchange(s.udp.local_addr(), &msgs, REPLY_TIMEOUT, 2)?;
    transcript(log, &msgs, &got)?;
    Ok(())
}

fn udp_closed_port(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let sock = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    sock.connect(s.closed_udp)?;
    sock.set_read_timeout(Some(REPLY_TIMEOUT))?;
    sock.send(b"hello?")?;
    let mut buf = [0u8; 64];
    let want = Refusal {
        what: "udp to",
        said: "send to",
        addr: s.closed_udp,
        seen: "ICMP port unreachable came back",
        expected: "port unreachable",
        answered: "got a reply from a closed port",
    };
    want.check(sock.recv(&mut buf), log)
}

fn chat_scenario(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let addr = s.chat.local_addr();
    let (mut alice, welcome) = ChatClient::join(addr, "alice", REPLY_TIMEOUT)?;
    say!(log, "alice joins: {welcome}")?;
    let (mut bob, welcome) = ChatClient::join(addr, "bob", REPLY_TIMEOUT)?;
    say!(log, "bob joins:   {welcome}")?;
    wait_for_line(&mut alice, "bob")?;
    alice.say("hi bob")?;
    let heard = wait_for_line(&mut bob, "hi bob")?;
    say!(log, "alice> hi bob       bob hears:   {heard}")?;
    bob.say("hello alice")?;
    let heard = wait_for_line(&mut alice, "hello alice")?;
    say!(log, "bob> hello alice    alice hears: {heard}")?;
    let members = alice.who(REPLY_TIMEOUT)?;
    say!(log, "alice> /who         {}", members.join(", "))?;
    bob.quit(REPLY_TIMEOUT)?;
    wait_for_line(&mut alice, "left")?;
    alice.quit(REPLY_TIMEOUT)?;
    say!(log, "bob and alice /quit")?;
    Ok(())
}

/// The talk server and client, each fed by a script; every step waits for
/// the other side to show what the previous one did, so the wire is the same
/// every run.
fn talk_scenario(s: &Servers, log: &mut dyn Write) -> Result<()> {
    let server = s
        .talk
        .lock()
        .map_err(|_| DemoError::Failed("talk server lock poisoned".into()))?
        .take()
        .ok_or_else(|| DemoError::Failed("the talk server already ran".into()))?;
    let mut srv = ScriptedTalk::tcp_server(server)?;
    let mut cli = ScriptedTalk::tcp_client(s.talk_addr, TalkOptions::default())?;
    let t = REPLY_TIMEOUT;
    srv.wait_for("connected", t)?;
    say!(log, "client connects (three-way handshake)")?;
    // Each step: who acts (true: the server), what it types (None: its
    // input ends), what the other side then shows, and the transcript line.
    // After a FIN or a message that the peer acknowledges late, we wait out
    // Linux's delayed ACK (at most 200 ms) so that ACK always leaves alone
    // instead of riding on the next segment when the machine is quick.
    let steps: [(bool, Option<&str>, &str, bool, &str); 5] = [
        (
            true,
            Some("hello, who's there?"),
            "hello, who's there?",
            false,
            "server> hello, who's there?",
        ),
        (
            false,
            Some("it's me, the client"),
            "it's me, the client",
            false,
            "client> it's me, the client",
        ),
        (
            false,
            None,
            "closed its side (FIN)",
            true,
            "client input ends: shutdown(SHUT_WR), its FIN (half close)",
        ),
        (
            true,
            Some("still here after your FIN"),
            "still here after your FIN",
            true,
            "server> still here after your FIN   (a half-closed client still reads)",
        ),
        (
            true,
            Some("/close"),
            "conversation over",
            false,
            "server /close: its FIN; the client closed first, so it ends in TIME_WAIT",
        ),
    ];
    for (server_acts, typed, shown, settle, line) in steps {
        let (actor, other) = if server_acts {
            (&mut srv, &mut cli)
        } else {
            (&mut cli, &mut srv)
        };
        match typed {
            Some(text) => actor.say(text)?,
            None => actor.end_input(),
        }
        other.wait_for(shown, t)?;
        if settle {
            thread::sleep(DELAYED_ACK_SETTLE);
        }
        say!(log, "{line}")?;
    }
    cli.finish(t)?;
    srv.finish(t)?;
    Ok(())
}

/// Read chat lines until one contains `needle` (join notices may come first).
fn wait_for_line(c: &mut ChatClient, needle: &str) -> Result<String> {
    let deadline = Instant::now() + REPLY_TIMEOUT;
    while Instant::now() < deadline {
        if let Some(line) = c.recv(REPLY_TIMEOUT)?
            && line.contains(needle)
        {
            return Ok(line);
        }
    }
    Err(DemoError::Failed(format!(
        "chat: no line with {needle:?} within {REPLY_TIMEOUT:?}"
    )))
}
