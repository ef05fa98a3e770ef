//! `sockscope demo`: run the built-in endpoints on loopback while sniffing them.
//!
//! The servers bind 127.0.0.1 (and ::1) on ports the kernel picks, the capture
//! on `lo` is filtered (in the kernel) to exactly those ports, and it is opened
//! before the first client connects: `LiveSource::open` returning means every
//! later packet is seen, so there is no sleep to guess with. The scenarios run
//! one after another; each waits until its own exchange is over, so the wire
//! shows the same segments every run. When the last one is done the capture
//! waits for the wire to go quiet, stops, and the packets go through the same
//! pipeline as `read` (packet lines, flow table, timelines).

use crate::cli::{DemoKind, OutputArgs};
use crate::endpoints::{
    ChatClient, ChatOptions, ChatServer, Log, ScriptedTalk, ServerHandle, TalkOptions,
    TcpEchoOptions, TcpEchoServer, TcpTalkServer, UdpEchoOptions, UdpEchoServer, tcp_exchange,
    udp_exchange,
};
use crate::filter::Filter;
use crate::packet::{LinkType, Packet, Timestamp};
use crate::pipeline::{Pipeline, WriteTarget};
use crate::source::live::{LiveOptions, LiveSource, StopHandle};
use crate::source::{PacketSource, SourceError};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a client waits for any reply before calling the scenario failed.
const REPLY_TIMEOUT: Duration = Duration::from_secs(3);
/// The capture stops once the wire has been quiet this long after the last scenario.
const QUIET: Duration = Duration::from_millis(200);
/// … but never waits longer than this for quiet.
const QUIET_MAX: Duration = Duration::from_secs(3);
/// Longer than Linux's longest delayed ACK (200 ms): after this, a segment
/// that waited for a delayed ACK has been acknowledged on its own.
const DELAYED_ACK_SETTLE: Duration = Duration::from_millis(250);
/// Snap length of the demo capture: whole loopback segments.
const SNAPLEN: u32 = 262_144;

/// One captured packet, owned, kept until the scenarios are over.
struct OwnedPacket {
    ts: Timestamp,
    data: Vec<u8>,
    orig_len: u32,
}

/// The servers every scenario talks to, with the closed ports used for the
/// "refused" and "unreachable" cases.
struct Servers {
    echo: ServerHandle,
    idle_echo: ServerHandle,
    udp: ServerHandle,
    chat: ServerHandle,
    echo6: Option<ServerHandle>,
    /// Bound before the capture starts (its port is in the filter); the talk
    /// scenario takes it and runs it.
    talk: Mutex<Option<TcpTalkServer>>,
    talk_addr: SocketAddr,
    closed_tcp: SocketAddr,
    closed_udp: SocketAddr,
    /// Sockets that hold the "closed" ports for the whole demo, so nothing
    /// else on the machine takes those port numbers meanwhile.
    _reserved: (socket2::Socket, UdpSocket),
}

impl Servers {
    fn start() -> anyhow::Result<Servers> {
        let lo: SocketAddr = (Ipv4Addr::LOCALHOST, 0).into();
        let tcp = |listen: SocketAddr, idle: Duration| -> anyhow::Result<ServerHandle> {
            let opts = TcpEchoOptions {
                upper: true,
                idle_timeout: idle,
                log: Log::quiet(),
                ..TcpEchoOptions::default()
            };
            Ok(TcpEchoServer::bind(listen, opts)?.spawn()?)
        };
        let echo = tcp(lo, Duration::from_secs(30))?;
        // The server-closes-first scenario relies on this server's idle timeout.
        let idle_echo = tcp(lo, Duration::from_millis(300))?;
        let udp = UdpEchoServer::bind(
            lo,
            UdpEchoOptions {
                upper: true,
                log: Log::quiet(),
                ..UdpEchoOptions::default()
            },
        )?
        .spawn()?;
        let chat = ChatServer::bind(
            lo,
            ChatOptions {
                log: Log::quiet(),
                ..ChatOptions::default()
            },
        )?
        .spawn()?;
        // IPv6 loopback is optional: some machines have it disabled.
        let v6: SocketAddr = (std::net::Ipv6Addr::LOCALHOST, 0).into();
        let echo6 = tcp(v6, Duration::from_secs(30)).ok();
        let (tcp_hold, closed_tcp) = closed_tcp_port()?;
        let (udp_hold, closed_udp) = closed_udp_port()?;
        let talk = TcpTalkServer::bind(lo, TalkOptions::default())?;
        let talk_addr = talk.local_addr();
        Ok(Servers {
            echo,
            idle_echo,
            udp,
            chat,
            echo6,
            talk: Mutex::new(Some(talk)),
            talk_addr,
            closed_tcp,
            closed_udp,
            _reserved: (tcp_hold, udp_hold),
        })
    }

    /// Every server port, for the capture filter.
    fn ports(&self) -> Vec<u16> {
        let mut ports = vec![
            self.echo.local_addr().port(),
            self.idle_echo.local_addr().port(),
            self.udp.local_addr().port(),
            self.chat.local_addr().port(),
            self.talk_addr.port(),
            self.closed_tcp.port(),
            self.closed_udp.port(),
        ];
        ports.extend(self.echo6.as_ref().map(|s| s.local_addr().port()));
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    fn shutdown(self) {
        self.echo.stop();
        self.idle_echo.stop();
        self.udp.stop();
        self.chat.stop();
        if let Some(s) = self.echo6 {
            s.stop();
        }
    }
}

/// A TCP port nothing listens on: a socket bound to it but never
/// listening, so a SYN to it is answered with RST (refused) and no other
/// program can take the port while the demo runs.
fn closed_tcp_port() -> io::Result<(socket2::Socket, SocketAddr)> {
    use socket2::{Domain, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    s.bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into())?;
    let addr = s
        .local_addr()?
        .as_socket()
        .ok_or_else(|| io::Error::other("no local address"))?;
    Ok((s, addr))
}

/// A UDP port with no socket that accepts our datagrams: a socket bound to
/// it but connected to another peer (port 1), so the kernel answers our
/// datagram with ICMP port unreachable while the port stays reserved.
fn closed_udp_port() -> io::Result<(UdpSocket, SocketAddr)> {
    let s = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    s.connect((Ipv4Addr::LOCALHOST, 1))?;
    let addr = s.local_addr()?;
    Ok((s, addr))
}

/// The capture filter: every server port, plus the ICMP port unreachable
/// that quotes a datagram to our closed UDP port (tcpdump's `port` never
/// matches ICMP, which carries the port only inside the quoted datagram:
/// 8 bytes of ICMP header, 20 of quoted IPv4 header, then the UDP ports).
/// Nothing else on `lo` shows, not even another program's ICMP.
fn filter_expression(ports: &[u16], closed_udp: u16) -> String {
    let ports: Vec<String> = ports.iter().map(|p| format!("port {p}")).collect();
    format!(
        "{} or (icmp and icmp[icmptype] = icmp-unreach and icmp[30:2] = {closed_udp})",
        ports.join(" or ")
    )
}

/// A running loopback capture that keeps what it sees until stopped.
struct Recorder {
    stop: StopHandle,
    last_packet_ns: Arc<AtomicU64>,
    packets: Arc<Mutex<Vec<OwnedPacket>>>,
    thread: thread::JoinHandle<Result<(), SourceError>>,
    started: Instant,
}

impl Recorder {
    fn start(filter: &Filter) -> anyhow::Result<Recorder> {
        let program = filter.compile(LinkType::Ethernet, SNAPLEN)?;
        let mut source = LiveSource::open(LiveOptions {
            interface: "lo".into(),
            snaplen: SNAPLEN,
            promisc: false,
            bpf: Some(program),
            ..LiveOptions::default()
        })?;
        let stop = source.stop_handle();
        let packets = Arc::new(Mutex::new(Vec::new()));
        let last_packet_ns = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let (kept, last) = (packets.clone(), last_packet_ns.clone());
        let thread = thread::spawn(move || {
            while let Some(p) = source.next_packet()? {
                let owned = OwnedPacket {
                    ts: p.ts,
                    data: p.data.to_vec(),
                    orig_len: p.orig_len,
                };
                if let Ok(mut v) = kept.lock() {
                    v.push(owned);
                }
                last.store(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
            }
            Ok(())
        });
        Ok(Recorder {
            stop,
            last_packet_ns,
            packets,
            thread,
            started,
        })
    }

    /// Wait for the wire to be quiet, stop, and hand back what was captured.
    fn finish(self) -> anyhow::Result<Vec<OwnedPacket>> {
        let deadline = Instant::now() + QUIET_MAX;
        loop {
            let last = Duration::from_nanos(self.last_packet_ns.load(Ordering::Relaxed));
            if self.started.elapsed().saturating_sub(last) >= QUIET || Instant::now() >= deadline {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        self.stop.stop();
        match self.thread.join() {
            Ok(result) => result?,
            Err(_) => anyhow::bail!("the capture thread panicked"),
        }
        let packets = match Arc::try_unwrap(self.packets) {
            Ok(m) => m.into_inner().unwrap_or_default(),
            Err(shared) => std::mem::take(
                &mut *shared
                    .lock()
                    .map_err(|_| anyhow::anyhow!("capture buffer poisoned"))?,
            ),
        };
        Ok(packets)
    }
}

/// One scripted conversation: a name for the transcript and the client side.
struct Scenario {
    name: &'static str,
    what: &'static str,
    run: fn(&Servers, &mut dyn Write) -> anyhow::Result<()>,
}

/// The scenarios of each `demo` choice, in the order they run.
fn scenarios(kind: DemoKind) -> Vec<Scenario> {
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

fn say(log: &mut dyn Write, line: std::fmt::Arguments<'_>) -> io::Result<()> {
    writeln!(log, "    {line}")
}

/// Print the requests and the replies side by side.
fn transcript(log: &mut dyn Write, sent: &[&str], got: &[String]) -> io::Result<()> {
    for (s, g) in sent.iter().zip(got) {
        say(log, format_args!("> {s:<12} < {g}"))?;
    }
    Ok(())
}

fn tcp_normal(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    let msgs = ["hello", "sockets", "bye"];
    let got = tcp_exchange(s.echo.local_addr(), &msgs, REPLY_TIMEOUT)?;
    transcript(log, &msgs, &got)?;
    Ok(())
}

fn tcp_server_closes(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect(s.idle_echo.local_addr())?;
    stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
    stream.write_all(b"anyone there?\n")?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut reply = String::new();
    reader.read_line(&mut reply)?;
    say(
        log,
        format_args!("> {:<12} < {}", "anyone there?", reply.trim_end()),
    )?;
    // Wait for the server's FIN (its idle timeout), then close our side.
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest)?;
    say(
        log,
        format_args!("server closed the connection (idle timeout); closing ours"),
    )?;
    drop(reader);
    drop(stream);
    Ok(())
}

fn tcp_abort(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect(s.echo.local_addr())?;
    stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
    stream.write_all(b"going away\n")?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut reply = String::new();
    reader.read_line(&mut reply)?;
    say(
        log,
        format_args!("> {:<12} < {}", "going away", reply.trim_end()),
    )?;
    // SO_LINGER with a zero timeout turns close() into a reset.
    socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO))?;
    drop(reader);
    drop(stream);
    say(
        log,
        format_args!("closed with SO_LINGER 0: the kernel sends RST"),
    )?;
    Ok(())
}

fn tcp_refused(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    match TcpStream::connect_timeout(&s.closed_tcp, REPLY_TIMEOUT) {
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            say(
                log,
                format_args!("connect {}: connection refused (as expected)", s.closed_tcp),
            )?;
            Ok(())
        }
        Err(e) => Err(anyhow::anyhow!(
            "connect {}: {e} (expected: refused)",
            s.closed_tcp
        )),
        Ok(_) => Err(anyhow::anyhow!(
            "connect {}: something is listening on the closed port",
            s.closed_tcp
        )),
    }
}

fn tcp_half_close(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
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
    say(
        log,
        format_args!("> {msg}  then shutdown(SHUT_WR): our FIN, we keep reading"),
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    for line in answer.lines() {
        say(log, format_args!("< {line}  (after our FIN)"))?;
    }
    Ok(())
}

fn tcp_many(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    let addr = s.echo.local_addr();
    let workers: Vec<_> = ["one", "two", "three"]
        .into_iter()
        .map(|m| thread::spawn(move || tcp_exchange(addr, &[m], REPLY_TIMEOUT)))
        .collect();
    for (i, w) in workers.into_iter().enumerate() {
        let got = w
            .join()
            .map_err(|_| anyhow::anyhow!("client thread {i} panicked"))??;
        say(log, format_args!("client {}: < {}", i + 1, got.join(" ")))?;
    }
    Ok(())
}

fn tcp_ipv6(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    let Some(server) = &s.echo6 else {
        say(
            log,
            format_args!("skipped: no IPv6 loopback on this machine"),
        )?;
        return Ok(());
    };
    let msgs = ["over ipv6"];
    let got = tcp_exchange(server.local_addr(), &msgs, REPLY_TIMEOUT)?;
    transcript(log, &msgs, &got)?;
    Ok(())
}

fn udp_echo_scenario(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    let msgs = ["ping", "pong?"];
    let got = udp_exchange(s.udp.local_addr(), &msgs, REPLY_TIMEOUT, 2)?;
    transcript(log, &msgs, &got)?;
    Ok(())
}

fn udp_closed_port(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    let sock = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    sock.connect(s.closed_udp)?;
    sock.set_read_timeout(Some(REPLY_TIMEOUT))?;
    sock.send(b"hello?")?;
    let mut buf = [0u8; 64];
    match sock.recv(&mut buf) {
        // A connected UDP socket reports the ICMP port unreachable as ECONNREFUSED.
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            say(
                log,
                format_args!("send to {}: ICMP port unreachable came back", s.closed_udp),
            )?;
            Ok(())
        }
        Err(e) => Err(anyhow::anyhow!(
            "udp to {}: {e} (expected: port unreachable)",
            s.closed_udp
        )),
        Ok(_) => Err(anyhow::anyhow!(
            "udp to {}: got a reply from a closed port",
            s.closed_udp
        )),
    }
}

fn chat_scenario(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    let addr = s.chat.local_addr();
    let (mut alice, welcome) = ChatClient::join(addr, "alice", REPLY_TIMEOUT)?;
    say(log, format_args!("alice joins: {welcome}"))?;
    let (mut bob, welcome) = ChatClient::join(addr, "bob", REPLY_TIMEOUT)?;
    say(log, format_args!("bob joins:   {welcome}"))?;
    wait_for_line(&mut alice, "bob")?;
    alice.say("hi bob")?;
    let heard = wait_for_line(&mut bob, "hi bob")?;
    say(
        log,
        format_args!("alice> hi bob       bob hears:   {heard}"),
    )?;
    bob.say("hello alice")?;
    let heard = wait_for_line(&mut alice, "hello alice")?;
    say(
        log,
        format_args!("bob> hello alice    alice hears: {heard}"),
    )?;
    let members = alice.who(REPLY_TIMEOUT)?;
    say(
        log,
        format_args!("alice> /who         {}", members.join(", ")),
    )?;
    bob.quit(REPLY_TIMEOUT)?;
    wait_for_line(&mut alice, "left")?;
    alice.quit(REPLY_TIMEOUT)?;
    say(log, format_args!("bob and alice /quit"))?;
    Ok(())
}

/// The talk server and client, each fed by a script; every step waits for
/// the other side to show what the previous one did, so the wire is the same
/// every run.
fn talk_scenario(s: &Servers, log: &mut dyn Write) -> anyhow::Result<()> {
    let server = s
        .talk
        .lock()
        .map_err(|_| anyhow::anyhow!("talk server lock poisoned"))?
        .take()
        .ok_or_else(|| anyhow::anyhow!("the talk server already ran"))?;
    let mut srv = ScriptedTalk::tcp_server(server)?;
    let mut cli = ScriptedTalk::tcp_client(s.talk_addr, TalkOptions::default())?;
    let t = REPLY_TIMEOUT;
    srv.wait_for("connected", t)?;
    say(log, format_args!("client connects (three-way handshake)"))?;
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
        say(log, format_args!("{line}"))?;
    }
    cli.finish(t)?;
    srv.finish(t)?;
    Ok(())
}

/// Read chat lines until one contains `needle` (join notices may come first).
fn wait_for_line(c: &mut ChatClient, needle: &str) -> anyhow::Result<String> {
    let deadline = Instant::now() + REPLY_TIMEOUT;
    while Instant::now() < deadline {
        if let Some(line) = c.recv(REPLY_TIMEOUT)?
            && line.contains(needle)
        {
            return Ok(line);
        }
    }
    anyhow::bail!("chat: no line with {needle:?} within {REPLY_TIMEOUT:?}")
}

/// What each RFC 793 state means, for the legend under the timelines.
const STATE_LEGEND: [(&str, &str); 10] = [
    ("SYN_SENT", "sent a SYN, waiting for the SYN/ACK"),
    (
        "SYN_RCVD",
        "got a SYN and answered SYN/ACK, waiting for the ACK",
    ),
    ("ESTABLISHED", "handshake done: data flows both ways"),
    ("FIN_WAIT_1", "closed first: sent FIN, not yet acknowledged"),
    (
        "FIN_WAIT_2",
        "our FIN is acknowledged; waiting for the peer's FIN",
    ),
    (
        "CLOSING",
        "both sent FIN at once; waiting for the ACK of ours",
    ),
    (
        "TIME_WAIT",
        "closed first and saw both FINs: waits 2*MSL so stray segments die",
    ),
    (
        "CLOSE_WAIT",
        "the peer closed; we may still send, then close",
    ),
    ("LAST_ACK", "closed second: sent FIN, waiting for its ACK"),
    (
        "CLOSED",
        "no connection (never opened, refused, reset or finished)",
    ),
];

const PRIVILEGE_HINT: &str = "capturing needs CAP_NET_RAW: run as root (sudo sockscope demo), \
or give the binary the capability once: sudo setcap cap_net_raw,cap_net_admin=eip $(which sockscope)";

/// Run the demo. The transcript of the clients goes to `log`; the capture's
/// output (packet lines, flow table, timelines, legend) goes to `out`, or, with
/// `-w -`, the pcap goes to `out` and everything else to `log`.
pub fn run(
    kind: DemoKind,
    opts: &OutputArgs,
    out: &mut dyn Write,
    log: &mut dyn Write,
) -> anyhow::Result<()> {
    let servers = Servers::start()?;
    let ports = servers.ports();
    let filter = Filter::parse(&filter_expression(&ports, servers.closed_udp.port()))?;
    let recorder = Recorder::start(&filter);
    match &recorder {
        Ok(_) => writeln!(
            log,
            "capturing on lo, ports {ports:?} (kernel filter), ready before the first client"
        )?,
        Err(e) => writeln!(
            log,
            "sockscope demo: cannot capture on lo: {e:#}\nThe endpoints and clients still run below; nothing is captured."
        )?,
    }
    let mut failed = 0;
    for sc in scenarios(kind) {
        writeln!(log, "[{}] {}", sc.name, sc.what)?;
        if let Err(e) = (sc.run)(&servers, log) {
            failed += 1;
            writeln!(log, "    FAILED: {e:#}")?;
        }
    }
    servers.shutdown();
    let recorder = match recorder {
        Ok(r) => r,
        Err(_) => anyhow::bail!("the demo ran without capturing: {PRIVILEGE_HINT}"),
    };
    let packets = recorder.finish()?;
    print_capture(&packets, opts, out, log)?;
    if failed > 0 {
        anyhow::bail!("{failed} demo scenario(s) failed (see above)");
    }
    Ok(())
}

/// Replay what was captured through the `read` pipeline, with flows and
/// timelines on, and keep it as a pcap when `-w` asks.
fn print_capture(
    packets: &[OwnedPacket],
    opts: &OutputArgs,
    out: &mut dyn Write,
    log: &mut dyn Write,
) -> anyhow::Result<()> {
    // Text: packet lines, flow table, timelines. JSON: packet objects, or
    // flow objects (Zeek names) with --flows; no timelines in JSON.
    let mut shown = opts.clone();
    shown.flows = !opts.json || opts.flows;
    shown.timeline = !opts.json;
    // The filter already ran in the kernel (and selects every packet the
    // scenarios made); the user's own filter words narrow what is shown.
    let write = match &opts.write {
        Some(path) => Some(Pipeline::open_write_target(
            path,
            Some(LinkType::Ethernet),
            SNAPLEN,
            false,
        )?),
        None => None,
    };
    let to_stdout = opts.write.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let mut pipeline = Pipeline::new(&shown, write.map(|w: WriteTarget| w))?;
    pipeline.print_packets(!(opts.json && opts.flows));
    // The demo's capture is small: render it into memory, then explain each
    // state the first time a timeline shows it.
    let mut text = Vec::new();
    for p in packets {
        let pkt = Packet {
            ts: p.ts,
            link: LinkType::Ethernet,
            data: &p.data,
            orig_len: p.orig_len,
        };
        pipeline.handle(&pkt, &mut text)?;
    }
    let summary = pipeline.finish(&mut text)?;
    if let Some(path) = &opts.write {
        writeln!(
            log,
            "wrote {} packets to {}",
            summary.written,
            if to_stdout {
                "stdout".to_string()
            } else {
                path.display().to_string()
            }
        )?;
    }
    let text = String::from_utf8_lossy(&text);
    let text = if opts.json {
        text.into_owned()
    } else {
        with_legend(&text)
    };
    if to_stdout {
        // stdout carries the pcap: the text goes to the log (stderr).
        log.write_all(text.as_bytes())?;
    } else {
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// The timelines with a legend line under the first row where each state
/// appears.
pub fn with_legend(text: &str) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if !(line.contains("──▶") || line.contains("◀──")) {
            continue;
        }
        for (name, meaning) in STATE_LEGEND {
            let shown = line.split_whitespace().any(|word| word == name);
            if shown && !seen.contains(&name) {
                seen.push(name);
                out.push_str(&format!("{:>18}· {name}: {meaning}\n", ""));
            }
        }
    }
    out
}
