//! UDP chat room: one socket, members known by their address.
//!
//! Client → server, one line per datagram (trailing `\n` optional):
//! `/join NICK`, then `/join NICK #COOKIE`; after that each datagram starts
//! with the cookie: `#COOKIE /who`, `#COOKIE /quit`, `#COOKIE /ping`
//! (keep-alive, no answer), or `#COOKIE text`.
//! Server → client:
//! `* cookie #HEX`, `* welcome NICK (N member(s): a, b)`, `* NICK joined`,
//! `<NICK> text`, `* members: a, b`, `* NICK left`, `* bye NICK`,
//! `* NICK timed out`, `* you were dropped after N s of silence`, `error: ...`.
//! Text goes to every member except its sender. A member that sends nothing
//! (not even `/ping`) for `member_timeout` is dropped.
//!
//! Anyone can forge a UDP source address, so the room trusts an address only
//! once it has proven it: the first `/join` is answered with a cookie (a
//! keyed hash of the address, the nickname and the minute, so the server
//! keeps no state for it), and only a `/join` that brings it back makes a
//! member. Until then every reply is at most as long as the datagram that
//! drew it (the client pads its first `/join` to [`JOIN_PAD`] bytes), so a
//! forged `/join` cannot make us send a victim more than the attacker sent
//! us. The cookie then prefixes each of the member's datagrams: a forger
//! who does not see our replies cannot speak or `/quit` as someone else.
//! Each source address has a rate limit, each member another; a datagram
//! that looks like a server's reply (`error:`, `* `, `<`) from a stranger is
//! never answered (two servers would answer each other for ever), nor is
//! one from our own port or a reflector port (see [`super::guard`]).
//! Nicknames are ASCII letters, digits, `_`, `-` and `.`, unique whatever
//! their case; text is relayed with control characters escaped
//! ([`Printable`]), so a message is one line and drives no terminal.

use super::guard::{Bucket, SourceLimit, no_reply_reason};
use super::handle::{Counters, ServerHandle};
use super::talk::Printable;
use super::udp_echo::{LOG_BURST, LOG_RATE, POLL, RECV_BUF, SOURCE_BURST, SOURCE_RATE};
use super::{EndpointError, Log, bind, local_any};
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

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

const MAX_NICK: usize = 32;
/// The client pads its first `/join` to this many bytes, so that the
/// cookie, and any error, fit in a reply no longer than the request.
pub const JOIN_PAD: usize = 128;
/// A cookie is good for the minute it was made in and the next.
const COOKIE_WINDOW: Duration = Duration::from_secs(60);
/// Datagrams a second (and at once) a member may send: people type slower,
/// and each text is sent on to every member.
const MEMBER_RATE: u32 = 50;
const MEMBER_BURST: u32 = 100;
/// The welcome lists at most this many bytes of names; `/who` lists all.
const WELCOME_LIST: usize = 1000;
/// `/who` stops before a datagram would overflow.
const WHO_LIST: usize = 60_000;

/// A bound, not yet running, chat server.
pub type ChatServer = bind::Bound<UdpSocket, ChatOptions>;

impl ChatServer {
    pub fn spawn(self) -> io::Result<ServerHandle> {
        // Wake often enough to drop silent members close to their deadline.
        let poll = POLL
            .min(self.opts.member_timeout / 4)
            .max(Duration::from_millis(5));
        self.serve(
            "chat",
            poll,
            move |ChatServer { sock, addr, opts }, flag, c| {
                let mut room = Room {
                    sock,
                    addr,
                    log: opts.log.limited(LOG_RATE, LOG_BURST),
                    opts,
                    members: HashMap::new(),
                    names: HashMap::new(),
                    counters: c,
                    sources: SourceLimit::new(SOURCE_RATE, SOURCE_BURST),
                    key: RandomState::new(),
                    born: Instant::now(),
                    poll,
                    last_sweep: Instant::now(),
                };
                room.run(&flag);
            },
        )
    }
}

struct Member {
    nick: String,
    /// The cookie that proved the address; it prefixes every datagram.
    token: String,
    last_seen: Instant,
    joined: u64,
    bucket: Bucket,
}

struct Room {
    sock: UdpSocket,
    addr: SocketAddr,
    opts: ChatOptions,
    /// `opts.log`, rate-limited: peers decide how much it would say.
    log: Log,
    members: HashMap<SocketAddr, Member>,
    /// Lower-cased nicknames in use, so "Alice" cannot pose as "alice".
    names: HashMap<String, SocketAddr>,
    counters: Arc<Counters>,
    sources: SourceLimit,
    /// The secret key of the cookies (random for each run).
    key: RandomState,
    born: Instant,
    poll: Duration,
    last_sweep: Instant,
}

/// What a datagram from an address that is not a member asks.
enum Stranger<'a> {
    Join {
        nick: &'a str,
        cookie: Option<&'a str>,
    },
    /// Something a server would send: never answered.
    Reply,
    Other,
}

fn stranger(text: &str) -> Stranger<'_> {
    if text.starts_with("error:") || text.starts_with("* ") || text.starts_with('<') {
        return Stranger::Reply;
    }
    match text.split_once(' ') {
        Some(("/join", rest)) => {
            let rest = rest.trim();
            match rest.rsplit_once(' ') {
                Some((nick, c)) if c.starts_with('#') => Stranger::Join {
                    nick: nick.trim(),
                    cookie: Some(c),
                },
                _ => Stranger::Join {
                    nick: rest,
                    cookie: None,
                },
            }
        }
        _ if text == "/join" => Stranger::Join {
            nick: "",
            cookie: None,
        },
        _ => Stranger::Other,
    }
}

/// Why `nick` is not a nickname, or `None`.
fn bad_nick(nick: &str) -> Option<String> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let first_ok = nick
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if nick.len() > MAX_NICK || !first_ok || !nick.chars().all(ok_char) {
        return Some(format!(
            "error: a nickname is 1 to {MAX_NICK} ASCII letters, digits, _ - . (first a letter or digit)"
        ));
    }
    None
}

/// `names` joined with ", " until `max` bytes, then how many were left out.
fn name_list<'a>(names: impl ExactSizeIterator<Item = &'a str>, max: usize) -> String {
    let total = names.len();
    let mut out = String::new();
    for (i, n) in names.enumerate() {
        if out.len() + n.len() + 2 > max {
            out.push_str(&format!(", … and {} more (/who)", total - i));
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(n);
    }
    out
}

impl Room {
    fn run(&mut self, stop: &AtomicBool) {
        let mut buf = vec![0u8; RECV_BUF];
        let mut order = 0u64;
        while !stop.load(Ordering::SeqCst) {
            let got = self.sock.recv_from(&mut buf);
            // The sweep is O(members): once a poll interval, not per datagram.
            if self.last_sweep.elapsed() >= self.poll {
                self.sweep();
                self.last_sweep = Instant::now();
            }
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
                        self.log
                            .line(format_args!("receive on {} failed: {e}", self.addr));
                        thread::sleep(Duration::from_millis(20));
                    }
                    continue;
                }
            };
            Counters::add(&self.counters.bytes, n as u64);
            let data = buf.get(..n).unwrap_or_default();
            if self.members.contains_key(&peer) {
                self.handle_member(peer, data);
            } else {
                self.handle_stranger(peer, data, order);
            }
            order += 1;
        }
        let all: Vec<SocketAddr> = self.members.keys().copied().collect();
        for p in all {
            self.send(p, "* server shutting down");
        }
        self.log.flush();
        self.opts
            .log
            .line(format_args!("chat on {} stopped", self.addr));
    }

    fn send(&self, to: SocketAddr, line: &str) {
        let mut d = Vec::with_capacity(line.len() + 1);
        d.extend_from_slice(line.as_bytes());
        d.push(b'\n');
        if let Err(e) = self.sock.send_to(&d, to) {
            self.log.line(format_args!("send to {to} failed: {e}"));
        }
    }

    /// Answers an address that has not proven itself: only if the reply
    /// is no longer than the datagram that drew it.
    fn send_bounded(&self, to: SocketAddr, line: &str, request: usize) {
        if line.len() < request {
            self.send(to, line);
        } else {
            self.log.line(format_args!(
                "not answering {to} ({request}-byte datagram, address not proven): the reply would be {} bytes",
                line.len() + 1
            ));
        }
    }

    fn broadcast(&self, except: SocketAddr, line: &str) {
        for &p in self.members.keys() {
            if p != except {
                self.send(p, line);
            }
        }
    }

    /// Nicknames in the order their owners joined.
    fn nicks(&self) -> Vec<&str> {
        let mut v: Vec<(u64, &str)> = self
            .members
            .values()
            .map(|m| (m.joined, m.nick.as_str()))
            .collect();
        v.sort_unstable();
        v.into_iter().map(|(_, n)| n).collect()
    }

    /// The cookie for `peer` joining as `nick` in time window `window`.
    fn cookie(&self, peer: SocketAddr, nick: &str, window: u64) -> String {
        let h = self.key.hash_one((peer, nick.to_ascii_lowercase(), window));
        format!("#{h:016x}")
    }

    fn window(&self) -> u64 {
        self.born.elapsed().as_secs() / COOKIE_WINDOW.as_secs()
    }

    fn cookie_ok(&self, peer: SocketAddr, nick: &str, cookie: &str) -> bool {
        let w = self.window();
        cookie == self.cookie(peer, nick, w) || (w > 0 && cookie == self.cookie(peer, nick, w - 1))
    }

    /// Count an error and log why: every datagram dropped or refused.
    fn refuse(&self, why: std::fmt::Arguments<'_>) {
        Counters::add(&self.counters.errors, 1);
        self.log.line(why);
    }

    /// Whether a datagram of `n` bytes from `peer` is over the limit
    /// (refused, so counted and logged, when it is).
    fn oversize(&self, peer: SocketAddr, n: usize) -> bool {
        let over = n > self.opts.max_datagram;
        if over {
            let limit = self.opts.max_datagram;
            self.refuse(format_args!(
                "oversize datagram from {peer}: {n} bytes, limit {limit}"
            ));
        }
        over
    }

    fn handle_stranger(&mut self, peer: SocketAddr, data: &[u8], order: u64) {
        if let Some(why) = no_reply_reason(peer, self.addr) {
            self.refuse(format_args!("not answering {peer}: {why}"));
            return;
        }
        if !self.sources.allow(peer.ip(), Instant::now()) {
            self.refuse(format_args!(
                "not answering {peer}: more than {SOURCE_RATE} datagrams a second from {}",
                peer.ip()
            ));
            return;
        }
        let n = data.len();
        if self.oversize(peer, n) {
            return;
        }
        let text = String::from_utf8_lossy(data);
        let text = text.trim_end_matches(['\n', '\r']);
        match stranger(text) {
            Stranger::Reply => {
                self.refuse(format_args!(
                    "not answering {peer}: its datagram looks like a server's reply (answering could start a loop)"
                ));
            }
            Stranger::Other => {
                self.refuse(format_args!(
                    "datagram from unknown peer {peer}: {}",
                    Printable(text.as_bytes())
                ));
                self.send_bounded(peer, "error: not joined; /join NICK first", n);
            }
            Stranger::Join { nick, cookie } => {
                if let Some(why) = bad_nick(nick) {
                    self.send_bounded(peer, &why, n);
                    return;
                }
                match cookie {
                    Some(c) if self.cookie_ok(peer, nick, c) => {
                        let token = c.to_string();
                        self.join(peer, nick, token, order);
                    }
                    _ => {
                        let c = self.cookie(peer, nick, self.window());
                        self.send_bounded(peer, &format!("* cookie {c}"), n);
                    }
                }
            }
        }
    }

    fn handle_member(&mut self, peer: SocketAddr, data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        let text = text.trim_end_matches(['\n', '\r']);
        let Some(m) = self.members.get_mut(&peer) else {
            return;
        };
        let line = match text.split_once(' ') {
            Some((t, rest)) if t == m.token => rest,
            _ if text == m.token => "",
            _ => {
                // A repeated join whose welcome was lost: welcome again.
                if let Stranger::Join {
                    nick,
                    cookie: Some(c),
                } = stranger(text)
                    && c == m.token
                    && nick == m.nick
                {
                    let line = self.welcome(nick);
                    self.send(peer, &line);
                    return;
                }
                let nick = m.nick.clone();
                self.refuse(format_args!(
                    "datagram from {peer} ({nick}'s address) without {nick}'s cookie: forged? ignored"
                ));
                return;
            }
        };
        if !m.bucket.take(
            f64::from(MEMBER_RATE),
            f64::from(MEMBER_BURST),
            Instant::now(),
        ) {
            let nick = m.nick.clone();
            self.refuse(format_args!(
                "{nick} ({peer}) sends more than {MEMBER_RATE} datagrams a second: dropped"
            ));
            return;
        }
        m.last_seen = Instant::now();
        let nick = m.nick.clone();
        let n = data.len();
        if self.oversize(peer, n) {
            self.send(
                peer,
                &format!(
                    "error: message of {n} bytes exceeds the {}-byte limit",
                    self.opts.max_datagram
                ),
            );
            return;
        }
        let cmd = line.split_once(' ').map_or(line, |(c, _)| c);
        match cmd {
            "/ping" => {}
            "/who" => {
                let line = format!(
                    "* members: {}",
                    name_list(self.nicks().into_iter(), WHO_LIST)
                );
                self.send(peer, &line);
            }
            "/quit" => {
                self.members.remove(&peer);
                self.names.remove(&nick.to_ascii_lowercase());
                self.counters.leave();
                self.opts.log.line(format_args!("{nick} ({peer}) left"));
                self.send(peer, &format!("* bye {nick}"));
                self.broadcast(peer, &format!("* {nick} left"));
            }
            "/join" => {
                let line = format!("error: already joined as {nick}");
                self.send(peer, &line);
            }
            c if c.starts_with('/') => {
                self.send(
                    peer,
                    &format!(
                        "error: unknown command {} (use /who, /quit or plain text)",
                        Printable(c.as_bytes())
                    ),
                );
            }
            _ if line.trim().is_empty() => {}
            _ => {
                Counters::add(&self.counters.messages, 1);
                self.broadcast(peer, &format!("<{nick}> {}", Printable(line.as_bytes())));
            }
        }
    }

    fn welcome(&self, nick: &str) -> String {
        format!(
            "* welcome {nick} ({} member(s): {})",
            self.members.len(),
            name_list(self.nicks().into_iter(), WELCOME_LIST)
        )
    }

    /// A proven address joins as `nick`.
    fn join(&mut self, peer: SocketAddr, nick: &str, token: String, order: u64) {
        let key = nick.to_ascii_lowercase();
        if self.names.contains_key(&key) {
            self.send(peer, &format!("error: nickname {nick} is taken"));
            return;
        }
        if self.members.len() >= self.opts.max_members {
            self.send(peer, "error: the room is full");
            return;
        }
        self.names.insert(key, peer);
        self.members.insert(
            peer,
            Member {
                nick: nick.to_string(),
                token,
                last_seen: Instant::now(),
                joined: order,
                bucket: Bucket::full(MEMBER_BURST, Instant::now()),
            },
        );
        Counters::add(&self.counters.connections, 1);
        self.counters.enter();
        self.log.line(format_args!("{nick} ({peer}) joined"));
        let line = self.welcome(nick);
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
                self.names.remove(&m.nick.to_ascii_lowercase());
                self.counters.leave();
                self.log.line(format_args!("{} ({p}) timed out", m.nick));
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
    /// The cookie that proved our address; it prefixes every datagram.
    token: String,
    pending: VecDeque<String>,
    buf: Vec<u8>,
}

impl ChatClient {
    /// Joins `server` as `nick`: asks for a cookie (the `/join` padded to
    /// [`JOIN_PAD`] bytes, so the server may answer it), then joins with
    /// it. Each step is retried up to three times, waiting `timeout` for
    /// the answer each time. Returns the client and the welcome.
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
            token: String::new(),
            pending: VecDeque::new(),
            buf: vec![0; RECV_BUF],
        };
        let attempts = 3;
        let mut cookie: Option<String> = None;
        let mut tries = 0;
        while tries < attempts {
            tries += 1;
            let join = match &cookie {
                Some(k) => format!("/join {nick} {k}"),
                None => format!(
                    "/join {nick}{:pad$}",
                    "",
                    pad = JOIN_PAD.saturating_sub(6 + nick.len())
                ),
            };
            c.send_raw(&join)?;
            let deadline = Instant::now() + timeout;
            while let Some(line) = c.recv_until(deadline)? {
                if let Some(k) = line.strip_prefix("* cookie ") {
                    if cookie.is_none() {
                        cookie = Some(k.to_string());
                        tries = 0;
                        break;
                    }
                } else if line.starts_with("* welcome ") {
                    c.token = cookie.unwrap_or_default();
                    return Ok((c, line));
                } else if line.starts_with("error:") {
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

    /// Sends one line (text, `/who`, `/ping`, `/quit`) after our cookie.
    /// Empty lines are not sent.
    pub fn send_line(&self, line: &str) -> Result<(), EndpointError> {
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            return Ok(());
        }
        self.send_raw(&format!("{} {line}", self.token))
    }

    fn send_raw(&self, datagram: &str) -> Result<(), EndpointError> {
        self.sock
            .send(datagram.as_bytes())
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
            token: self.token.clone(),
            pending: VecDeque::new(),
            buf: vec![0; RECV_BUF],
        })
    }
}

fn io_err(what: &'static str, addr: SocketAddr, source: io::Error) -> EndpointError {
    EndpointError::Io { what, addr, source }
}
