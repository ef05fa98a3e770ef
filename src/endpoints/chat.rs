//! UDP chat room: one socket, members known by their address.
//!
//! Client → server, one line per datagram (trailing `\n` optional):
//! `/join NICK`, `/who`, `/quit`, `/ping` (keep-alive, no answer), or text.
//! Server → client:
//! `* welcome NICK (N member(s): a, b)`, `* NICK joined`, `<NICK> text`,
//! `* members: a, b`, `* NICK left`, `* bye NICK`, `* NICK timed out`,
//! `* you were dropped after N s of silence`, `error: ...`.
//! Text goes to every member except its sender. A member that sends nothing
//! (not even `/ping`) for `member_timeout` is dropped. A datagram from an
//! address that has not joined, and is not a `/join`, gets an `error:` line.

use super::handle::{Counters, ServerHandle};
use super::udp_echo::{POLL, RECV_BUF};
use super::{EndpointError, Log, bind, local_any};
use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const MAX_NICK: usize = 32;

/// Options for [`ChatServer`].
#[derive(Clone, Debug)]
pub struct ChatOptions {
    /// Members silent for this long are dropped.
    pub member_timeout: Duration,
    /// Largest datagram accepted.
    pub max_datagram: usize,
    /// Most members at once; later joins get an error.
    pub max_members: usize,
    pub log: Log,
}

impl Default for ChatOptions {
    fn default() -> Self {
        ChatOptions {
            member_timeout: Duration::from_secs(60),
            max_datagram: 2048,
            max_members: 1000,
            log: Log::stderr(),
        }
    }
}

/// A bound, not yet running, chat server.
pub type ChatServer = bind::Bound<UdpSocket, ChatOptions>;

impl ChatServer {
    pub fn spawn(self) -> io::Result<ServerHandle> {
        let ChatServer { sock, addr, opts } = self;
        // Wake often enough to drop silent members close to their deadline.
        let poll = POLL
            .min(opts.member_timeout / 4)
            .max(Duration::from_millis(5));
        sock.set_read_timeout(Some(poll))?;
        ServerHandle::start(
            format!("chat {addr}"),
            addr,
            Arc::new(|| {}),
            move |flag, c| {
                let mut room = Room {
                    sock,
                    opts,
                    members: HashMap::new(),
                    counters: c,
                };
                room.run(addr, &flag);
            },
        )
    }
}

struct Member {
    nick: String,
    last_seen: Instant,
    joined: u64,
}

struct Room {
    sock: UdpSocket,
    opts: ChatOptions,
    members: HashMap<SocketAddr, Member>,
    counters: Arc<Counters>,
}

impl Room {
    fn run(&mut self, addr: SocketAddr, stop: &AtomicBool) {
        let mut buf = vec![0u8; RECV_BUF];
        let mut order = 0u64;
        while !stop.load(Ordering::SeqCst) {
            let got = self.sock.recv_from(&mut buf);
            self.sweep();
            let (n, peer) = match got {
                Ok(x) => x,
                Err(e) => {
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                            | io::ErrorKind::ConnectionRefused
                    ) {
                        self.opts
                            .log
                            .line(format_args!("receive on {addr} failed: {e}"));
                        thread::sleep(Duration::from_millis(20));
                    }
                    continue;
                }
            };
            Counters::add(&self.counters.bytes, n as u64);
            if n > self.opts.max_datagram {
                Counters::add(&self.counters.errors, 1);
                self.opts.log.line(format_args!(
                    "oversize datagram from {peer}: {n} bytes, limit {}",
                    self.opts.max_datagram
                ));
                self.send(
                    peer,
                    &format!(
                        "error: message of {n} bytes exceeds the {}-byte limit",
                        self.opts.max_datagram
                    ),
                );
                continue;
            }
            let text = String::from_utf8_lossy(&buf[..n]);
            let text = text.trim_end_matches(['\n', '\r']);
            order += 1;
            self.handle(peer, text, order);
        }
        let all: Vec<SocketAddr> = self.members.keys().copied().collect();
        for p in all {
            self.send(p, "* server shutting down");
        }
        self.opts.log.line(format_args!("chat on {addr} stopped"));
    }

    fn send(&self, to: SocketAddr, line: &str) {
        let mut d = Vec::with_capacity(line.len() + 1);
        d.extend_from_slice(line.as_bytes());
        d.push(b'\n');
        if let Err(e) = self.sock.send_to(&d, to) {
            self.opts.log.line(format_args!("send to {to} failed: {e}"));
        }
    }

    fn broadcast(&self, except: SocketAddr, line: &str) {
        for &p in self.members.keys() {
            if p != except {
                self.send(p, line);
            }
        }
    }

    fn nicks(&self) -> String {
        let mut v: Vec<(&u64, &str)> = self
            .members
            .values()
            .map(|m| (&m.joined, m.nick.as_str()))
            .collect();
        v.sort();
        v.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
    }

    fn handle(&mut self, peer: SocketAddr, text: &str, order: u64) {
        let (cmd, rest) = match text.split_once(' ') {
            Some((c, r)) => (c, r.trim()),
            None => (text, ""),
        };
        if cmd == "/join" {
            return self.join(peer, rest, order);
        }
        let Some(m) = self.members.get_mut(&peer) else {
            Counters::add(&self.counters.errors, 1);
            self.opts
                .log
                .line(format_args!("datagram from unknown peer {peer}: {text:?}"));
            self.send(peer, "error: you have not joined; send /join NICK first");
            return;
        };
        m.last_seen = Instant::now();
        let nick = m.nick.clone();
        match cmd {
            "/ping" => {}
            "/who" => {
                let line = format!("* members: {}", self.nicks());
                self.send(peer, &line);
            }
            "/quit" => {
                self.members.remove(&peer);
                self.counters.leave();
                self.opts.log.line(format_args!("{nick} ({peer}) left"));
                self.send(peer, &format!("* bye {nick}"));
                self.broadcast(peer, &format!("* {nick} left"));
            }
            c if c.starts_with('/') => {
                self.send(
                    peer,
                    &format!("error: unknown command {c} (use /who, /quit or plain text)"),
                );
            }
            _ if text.trim().is_empty() => {}
            _ => {
                Counters::add(&self.counters.messages, 1);
                self.broadcast(peer, &format!("<{nick}> {text}"));
            }
        }
    }

    fn join(&mut self, peer: SocketAddr, nick: &str, order: u64) {
        if nick.is_empty() || nick.len() > MAX_NICK || nick.contains(char::is_whitespace) {
            self.send(
                peer,
                &format!("error: a nickname is 1 to {MAX_NICK} characters without spaces"),
            );
            return;
        }
        if let Some(m) = self.members.get_mut(&peer) {
            m.last_seen = Instant::now();
            if m.nick == nick {
                // A repeated join (our welcome was lost): welcome again.
                let line = format!(
                    "* welcome {nick} ({} member(s): {})",
                    self.members.len(),
                    self.nicks()
                );
                self.send(peer, &line);
            } else {
                let line = format!("error: already joined as {}", m.nick);
                self.send(peer, &line);
            }
            return;
        }
        if self.members.values().any(|m| m.nick == nick) {
            self.send(peer, &format!("error: nickname {nick} is taken"));
            return;
        }
        if self.members.len() >= self.opts.max_members {
            self.send(peer, "error: the room is full");
            return;
        }
        self.members.insert(
            peer,
            Member {
                nick: nick.to_string(),
                last_seen: Instant::now(),
                joined: order,
            },
        );
        Counters::add(&self.counters.connections, 1);
        self.counters.enter();
        self.opts.log.line(format_args!("{nick} ({peer}) joined"));
        let line = format!(
            "* welcome {nick} ({} member(s): {})",
            self.members.len(),
            self.nicks()
        );
        self.send(peer, &line);
        self.broadcast(peer, &format!("* {nick} joined"));
    }

    /// Drops members silent for longer than the timeout.
    fn sweep(&mut self) {
        let limit = self.opts.member_timeout;
        let gone: Vec<SocketAddr> = self
            .members
            .iter()
            .filter(|(_, m)| m.last_seen.elapsed() > limit)
            .map(|(p, _)| *p)
            .collect();
        for p in gone {
            if let Some(m) = self.members.remove(&p) {
                self.counters.leave();
                self.opts
                    .log
                    .line(format_args!("{} ({p}) timed out", m.nick));
                self.send(
                    p,
                    &format!(
                        "* you were dropped after {} ms of silence",
                        limit.as_millis()
                    ),
                );
                self.broadcast(p, &format!("* {} timed out", m.nick));
            }
        }
    }
}

/// A chat member, usable from code (the demo, tests) and by the CLI client.
pub struct ChatClient {
    sock: UdpSocket,
    server: SocketAddr,
    nick: String,
    pending: VecDeque<String>,
    buf: Vec<u8>,
}

impl ChatClient {
    /// Joins `server` as `nick`; retries the join up to three times, waiting
    /// `timeout` for the welcome each time. Returns the client and the welcome.
    pub fn join(
        server: SocketAddr,
        nick: &str,
        timeout: Duration,
    ) -> Result<(ChatClient, String), EndpointError> {
        let sock =
            UdpSocket::bind(local_any(server)).map_err(|e| EndpointError::connect(server, &e))?;
        // Connected UDP: only the server's datagrams reach us, and an ICMP
        // port-unreachable comes back as "connection refused".
        sock.connect(server)
            .map_err(|e| EndpointError::connect(server, &e))?;
        let mut c = ChatClient {
            sock,
            server,
            nick: nick.to_string(),
            pending: VecDeque::new(),
            buf: vec![0; RECV_BUF],
        };
        let attempts = 3;
        for _ in 0..attempts {
            c.send_line(&format!("/join {nick}"))?;
            let deadline = Instant::now() + timeout;
            while let Some(line) = c.recv_until(deadline)? {
                if line.starts_with("* welcome ") {
                    return Ok((c, line));
                }
                if line.starts_with("error:") {
                    return Err(EndpointError::Refused { addr: server, line });
                }
            }
        }
        Err(EndpointError::Timeout {
            addr: server,
            waited_ms: timeout.as_millis() * attempts as u128,
            attempts,
        })
    }

    pub fn nick(&self) -> &str {
        &self.nick
    }

    pub fn server(&self) -> SocketAddr {
        self.server
    }

    /// The address the server knows us by.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()
    }

    /// Sends one line as is (text, `/who`, `/ping`, `/quit`). Empty lines
    /// are not sent.
    pub fn send_line(&self, line: &str) -> Result<(), EndpointError> {
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            return Ok(());
        }
        self.sock
            .send(line.as_bytes())
            .map(|_| ())
            .map_err(|e| io_err("send to", self.server, e))
    }

    /// Says `text` to the room.
    pub fn say(&self, text: &str) -> Result<(), EndpointError> {
        self.send_line(text)
    }

    /// The next line from the server, or `None` if none came within `timeout`.
    pub fn recv(&mut self, timeout: Duration) -> Result<Option<String>, EndpointError> {
        self.recv_until(Instant::now() + timeout)
    }

    fn recv_until(&mut self, deadline: Instant) -> Result<Option<String>, EndpointError> {
        if let Some(l) = self.pending.pop_front() {
            return Ok(Some(l));
        }
        loop {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return Ok(None);
            };
            if left.is_zero() {
                return Ok(None);
            }
            self.sock
                .set_read_timeout(Some(left))
                .map_err(|e| io_err("receive from", self.server, e))?;
            match self.sock.recv(&mut self.buf) {
                Ok(n) => {
                    let s = String::from_utf8_lossy(&self.buf[..n]);
                    return Ok(Some(s.trim_end_matches(['\n', '\r']).to_string()));
                }
                Err(e) => match e.kind() {
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => return Ok(None),
                    io::ErrorKind::Interrupted => {}
                    _ => return Err(EndpointError::connect(self.server, &e)),
                },
            }
        }
    }

    /// Asks `/who` and returns the member list; lines that arrive meanwhile
    /// stay queued for [`recv`](Self::recv).
    pub fn who(&mut self, timeout: Duration) -> Result<Vec<String>, EndpointError> {
        self.send_line("/who")?;
        let deadline = Instant::now() + timeout;
        let mut other = Vec::new();
        let found = loop {
            let line = {
                // Read from the socket only; queued lines are not answers.
                let queued = std::mem::take(&mut self.pending);
                let r = self.recv_until(deadline);
                self.pending = queued;
                r?
            };
            match line {
                Some(l) => match l.strip_prefix("* members: ") {
                    Some(list) => {
                        break Some(
                            list.split(", ")
                                .filter(|s| !s.is_empty())
                                .map(str::to_string)
                                .collect(),
                        );
                    }
                    None => other.push(l),
                },
                None => break None,
            }
        };
        self.pending.extend(other);
        found.ok_or(EndpointError::Timeout {
            addr: self.server,
            waited_ms: timeout.as_millis(),
            attempts: 1,
        })
    }

    /// Leaves the room; waits up to `timeout` for the server's goodbye and
    /// returns it (`None` if it did not come).
    pub fn quit(mut self, timeout: Duration) -> Result<Option<String>, EndpointError> {
        self.send_line("/quit")?;
        let deadline = Instant::now() + timeout;
        while let Some(l) = self.recv_until(deadline)? {
            if l.starts_with("* bye ") {
                return Ok(Some(l));
            }
        }
        Ok(None)
    }

    /// A second handle on the same socket (the CLI reads and writes from two
    /// threads).
    pub fn try_clone(&self) -> Result<ChatClient, EndpointError> {
        Ok(ChatClient {
            sock: self
                .sock
                .try_clone()
                .map_err(|e| io_err("clone socket for", self.server, e))?,
            server: self.server,
            nick: self.nick.clone(),
            pending: VecDeque::new(),
            buf: vec![0; RECV_BUF],
        })
    }
}

fn io_err(what: &'static str, addr: SocketAddr, source: io::Error) -> EndpointError {
    EndpointError::Io { what, addr, source }
}
