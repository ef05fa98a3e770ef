//! TCP talk: a server whose replies its operator types, and the client for
//! it, in the classic connection loop + communication loop shape.
//!
//! The server accepts one client at a time (the next one waits in the
//! listen backlog until the current one has gone) or, `concurrent`, several,
//! numbered `#1`, `#2` …; a typed line goes to the client that spoke last,
//! or to `#N` with `@N text`. Each side of a connection closes on its own:
//! when our input ends we send FIN (half close) and keep printing what the
//! peer says until it closes too. A peer's FIN is reported once; the server
//! keeps the connection so its operator may still answer (a half-closed
//! client still reads) until `/close` or its input ends, and a client
//! exits (closing its side) when the server sends FIN first. A reset ends
//! the connection at once. Neither side can tell a half close from a full
//! close by the FIN alone: only sending shows it (a fully closed peer
//! answers with RST), and the status lines say so.

use super::bind::{self, Bound};
use super::talk::{
    EmptyLine, Event, PeerEnd, TalkEnd, TalkOptions, Typed, parse_typed, peer_name, print_heard,
    spawn_input, spawn_reader,
};
use super::{EndpointError, Log};
use socket2::Socket;
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Instant;

/// How often connections whose peer sent FIN are checked for a reset.
const RST_CHECK: std::time::Duration = std::time::Duration::from_millis(100);

/// A bound, not yet running, TCP talk server.
pub type TcpTalkServer = Bound<TcpListener, TalkOptions>;

impl TcpTalkServer {
    /// Binds and listens on `addr` (`SO_REUSEADDR` unless `opts.reuse_addr`
    /// is off, so a restart during TIME_WAIT shows the error).
    pub fn bind(addr: SocketAddr, opts: TalkOptions) -> Result<Self, EndpointError> {
        let (sock, addr) = bind::tcp_listener(addr, opts.reuse_addr, 16)?;
        Ok(Bound { sock, addr, opts })
    }

    /// Runs the server with the operator's lines read from `input` until
    /// the input has ended and every connection is closed.
    pub fn run(self, input: impl Read + Send + 'static) -> Result<(), EndpointError> {
        let Bound { sock, addr, opts } = self;
        let (tx, rx) = mpsc::channel();
        spawn_input(input, opts.max_message, tx.clone()).map_err(|e| thread_err(addr, e))?;
        let accept = Acceptor::start(sock, addr, opts.concurrent, tx.clone())?;
        let mut server = Server {
            opts,
            tx,
            conns: BTreeMap::new(),
            next_id: 1,
            last_speaker: None,
            input_open: true,
            empty: EmptyLine::default(),
            accept: Some(accept),
        };
        server.run(&rx);
        Ok(())
    }
}

fn thread_err(addr: SocketAddr, source: io::Error) -> EndpointError {
    EndpointError::Io {
        what: "cannot start a thread for",
        addr,
        source,
    }
}

/// The accepting thread and what stops it.
struct Acceptor {
    /// A second descriptor of the listener: shutting it down wakes accept().
    waker: Socket,
    stop: Arc<AtomicBool>,
    /// One at a time: the loop says here when the current client has gone.
    free: Option<Sender<()>>,
}

impl Acceptor {
    fn start(
        listener: TcpListener,
        addr: SocketAddr,
        concurrent: bool,
        tx: Sender<Event>,
    ) -> Result<Acceptor, EndpointError> {
        let io_err = |e| thread_err(addr, e);
        let waker = Socket::from(listener.try_clone().map_err(io_err)?);
        let stop = Arc::new(AtomicBool::new(false));
        let (free, slot) = if concurrent {
            (None, None)
        } else {
            let (f, s) = mpsc::channel::<()>();
            (Some(f), Some(s))
        };
        let flag = Arc::clone(&stop);
        thread::Builder::new()
            .name(format!("talk accept {addr}"))
            .spawn(move || accept_loop(&listener, &flag, slot.as_ref(), &tx))
            .map_err(io_err)?;
        Ok(Acceptor { waker, stop, free })
    }

    fn slot_free(&self) {
        if let Some(f) = &self.free {
            let _ = f.send(());
        }
    }
}

impl Drop for Acceptor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.waker.shutdown(Shutdown::Read);
        // Dropping `free` ends a wait for a free slot.
    }
}

fn accept_loop(
    listener: &TcpListener,
    stop: &AtomicBool,
    slot: Option<&Receiver<()>>,
    tx: &Sender<Event>,
) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) => {
                if stop.load(Ordering::SeqCst) || tx.send(Event::Accepted(stream, peer)).is_err() {
                    return;
                }
                // One at a time: do not accept the next client until this
                // one has gone; it waits, connected, in the listen backlog.
                if let Some(slot) = slot
                    && slot.recv().is_err()
                {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) if stop.load(Ordering::SeqCst) => return,
            Err(_) => thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
}

/// One client connection, as the loop sees it.
struct Conn {
    peer: SocketAddr,
    stream: TcpStream,
    since: Instant,
    /// The client's FIN arrived: it sends nothing more.
    peer_done: bool,
    /// We sent our FIN.
    ours_closed: bool,
}

struct Server {
    opts: TalkOptions,
    tx: Sender<Event>,
    conns: BTreeMap<u64, Conn>,
    next_id: u64,
    last_speaker: Option<u64>,
    input_open: bool,
    empty: EmptyLine,
    accept: Option<Acceptor>,
}

impl Server {
    fn run(&mut self, rx: &Receiver<Event>) {
        while self.input_open || !self.conns.is_empty() {
            let ev = match rx.recv_timeout(RST_CHECK) {
                Ok(ev) => ev,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.check_half_closed();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            };
            match ev {
                Event::Typed(line) => self.typed(&line),
                Event::InputEnd(why) => self.input_end(why),
                Event::Accepted(stream, peer) => self.accepted(stream, peer),
                Event::Heard(id, msg) => {
                    if let Some(c) = self.conns.get(&id) {
                        print_heard(&self.opts.out, &peer_name(id, c.peer), &msg);
                        self.last_speaker = Some(id);
                    }
                }
                Event::Ended(id, end) => self.peer_ended(id, end),
                Event::Datagram(..) => {}
            }
        }
    }

    /// A client whose FIN came has no reader any more; if it had closed
    /// entirely, the line we sent it since drew a reset, which only the
    /// socket's pending error shows.
    fn check_half_closed(&mut self) {
        let gone: Vec<(u64, String)> = self
            .conns
            .iter()
            .filter(|(_, c)| c.peer_done && !c.ours_closed)
            .filter_map(|(id, c)| match c.stream.take_error() {
                Ok(Some(_)) => Some((*id, peer_name(*id, c.peer))),
                _ => None,
            })
            .collect();
        for (id, who) in gone {
            self.log().line(format_args!(
                "* client {who} had closed entirely, not half-closed: our line was answered with a reset (RST); connection over"
            ));
            self.drop_conn(id);
        }
    }

    fn log(&self) -> &Log {
        &self.opts.log
    }

    fn accepted(&mut self, stream: TcpStream, peer: SocketAddr) {
        let id = self.next_id;
        self.next_id += 1;
        let t = Some(self.opts.send_timeout);
        let reader = stream
            .set_nodelay(true)
            .and_then(|_| stream.set_write_timeout(t))
            .and_then(|_| stream.try_clone())
            .and_then(|r| spawn_reader(id, r, self.opts.max_message, self.tx.clone()));
        if let Err(e) = reader {
            self.log()
                .line(format_args!("* cannot serve client {peer}: {e}"));
            self.free_slot();
            return;
        }
        let conn = Conn {
            peer,
            stream,
            since: Instant::now(),
            peer_done: false,
            ours_closed: false,
        };
        self.conns.insert(id, conn);
        let how = if self.opts.concurrent {
            format!(
                "{} connected; @{id} text answers it, /who lists them",
                self.conns.len()
            )
        } else {
            "one client at a time: the next waits in the listen backlog until this one has gone; \
             --concurrent serves several"
                .to_string()
        };
        self.log().line(format_args!(
            "* client {} connected ({how})",
            peer_name(id, peer)
        ));
        if !self.input_open {
            self.close_ours(id);
        }
    }

    fn typed(&mut self, line: &[u8]) {
        match parse_typed(line, true) {
            Typed::Empty => self.empty.skip(&self.opts.log, false),
            Typed::Who => self.who(),
            Typed::Unknown(why) => self.log().line(format_args!("* {why}")),
            Typed::Close(to) => match self.target(to) {
                Some(id) => self.close_ours(id),
                None => self.no_target(to),
            },
            Typed::Say { to, text } => match self.target(to) {
                Some(id) => self.send(id, text),
                None => self.no_target(to),
            },
        }
    }

    /// Whom an unaddressed line goes to: the client that spoke last, or the
    /// only one.
    fn target(&self, to: Option<u64>) -> Option<u64> {
        match to {
            Some(id) => self.conns.contains_key(&id).then_some(id),
            None => match self.last_speaker.filter(|id| self.conns.contains_key(id)) {
                Some(id) => Some(id),
                None if self.conns.len() == 1 => self.conns.keys().next().copied(),
                None => None,
            },
        }
    }

    fn no_target(&self, to: Option<u64>) {
        match to {
            Some(id) => self
                .log()
                .line(format_args!("* no client #{id} (see /who); not sent")),
            None if self.conns.is_empty() => self
                .log()
                .line(format_args!("* no client connected; not sent")),
            None => self.log().line(format_args!(
                "* {} clients connected and none has spoken yet: address one with @N text (see /who); not sent",
                self.conns.len()
            )),
        }
    }

    fn who(&self) {
        if self.conns.is_empty() {
            self.log().line(format_args!("* no client connected"));
        }
        for (id, c) in &self.conns {
            let state = match (c.peer_done, c.ours_closed) {
                (false, false) => "talking",
                (true, false) => "it closed its side (FIN)",
                (false, true) => "we closed our side (FIN)",
                (true, true) => "closing",
            };
            self.log().line(format_args!(
                "* {} connected {} s ago, {state}",
                peer_name(*id, c.peer),
                c.since.elapsed().as_secs()
            ));
        }
    }

    fn send(&mut self, id: u64, text: &[u8]) {
        let Some(c) = self.conns.get(&id) else { return };
        if c.ours_closed {
            self.log().line(format_args!(
                "* we closed our side to {} (FIN sent): nothing more can go to it; not sent",
                peer_name(id, c.peer)
            ));
            return;
        }
        let peer_done = c.peer_done;
        if let Err(e) = write_line(&c.stream, text) {
            let who = peer_name(id, c.peer);
            let why = match PeerEnd::from_error(e) {
                PeerEnd::Reset if peer_done => format!(
                    "* client {who} had closed entirely, not half-closed: our line was answered with a reset (RST); connection over"
                ),
                PeerEnd::Reset => format!(
                    "* client {who} reset the connection (RST) before our line went out; connection over"
                ),
                PeerEnd::Io(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    format!(
                        "* client {who} does not read: our line could not go out within {} ms; closing it",
                        self.opts.send_timeout.as_millis()
                    )
                }
                other => format!("* sending to {who} failed: {other:?}; closing it"),
            };
            self.log().line(format_args!("{why}"));
            self.drop_conn(id);
        }
    }

    /// Our FIN to client `id`; the connection ends once its FIN came too.
    fn close_ours(&mut self, id: u64) {
        let Some(c) = self.conns.get_mut(&id) else {
            return;
        };
        if c.ours_closed {
            return;
        }
        c.ours_closed = true;
        let _ = c.stream.shutdown(Shutdown::Write);
        let who = peer_name(id, c.peer);
        if c.peer_done {
            self.log().line(format_args!(
                "* closed our side to {who} too (FIN); connection over"
            ));
            self.drop_conn(id);
        } else {
            self.log().line(format_args!(
                "* closed our side to {who} (FIN: half close); still printing what it says until it closes"
            ));
        }
    }

    fn peer_ended(&mut self, id: u64, end: PeerEnd) {
        let Some(c) = self.conns.get_mut(&id) else {
            return;
        };
        let who = peer_name(id, c.peer);
        let line = match end {
            PeerEnd::Fin if c.ours_closed => {
                format!("* client {who} closed its side too (FIN); connection over")
            }
            PeerEnd::Fin => {
                c.peer_done = true;
                self.log().line(format_args!(
                    "* client {who} closed its side (FIN): it sends nothing more; if it only half-closed it still reads, so you may still answer; /close {id} ends the connection"
                ));
                return;
            }
            PeerEnd::Reset => format!(
                "* client {who} reset the connection (RST: it aborted or vanished without a close)"
            ),
            PeerEnd::TooLong => format!(
                "* client {who} sent a line longer than {} bytes; closing it",
                self.opts.max_message
            ),
            PeerEnd::Unreachable | PeerEnd::Io(_) => {
                format!("* receiving from client {who} failed: {end:?}; closing it")
            }
        };
        self.log().line(format_args!("{line}"));
        self.drop_conn(id);
    }

    fn drop_conn(&mut self, id: u64) {
        if let Some(c) = self.conns.remove(&id) {
            // Wakes the connection's reader thread, which holds a clone.
            let _ = c.stream.shutdown(Shutdown::Both);
            self.free_slot();
        }
    }

    fn free_slot(&self) {
        if self.opts.concurrent || !self.input_open {
            return;
        }
        if let Some(a) = &self.accept {
            a.slot_free();
        }
        self.log()
            .line(format_args!("* waiting for the next client"));
    }

    fn input_end(&mut self, why: Option<String>) {
        if let Some(why) = why {
            self.log().line(format_args!("* {why}"));
        }
        self.input_open = false;
        // Nothing more to say to anyone: no new clients, and every open
        // connection gets our FIN; we print what they say until they close.
        self.accept = None;
        if self.conns.is_empty() {
            self.log()
                .line(format_args!("* input ended: no connection open; stopping"));
        } else {
            self.log().line(format_args!(
                "* input ended: no new clients; closing our side of {} connection(s) and printing what they say until they close",
                self.conns.len()
            ));
        }
        let ids: Vec<u64> = self.conns.keys().copied().collect();
        for id in ids {
            self.close_ours(id);
        }
    }
}

/// Writes `text` and its `\n` as one message.
fn write_line(mut stream: &TcpStream, text: &[u8]) -> io::Result<()> {
    let mut msg = Vec::with_capacity(text.len() + 1);
    msg.extend_from_slice(text);
    msg.push(b'\n');
    stream.write_all(&msg)
}

/// The TCP talk client: connects to `addr`, sends each line read from
/// `input`, prints what the server says, until the conversation ends. A
/// reset is an error; a close is a normal end.
pub fn tcp_talk_client(
    addr: SocketAddr,
    opts: &TalkOptions,
    input: impl Read + Send + 'static,
) -> Result<TalkEnd, EndpointError> {
    let stream = TcpStream::connect_timeout(&addr, opts.timeout)
        .map_err(|e| EndpointError::connect(addr, &e))?;
    let io_err = |what, source| EndpointError::Io { what, addr, source };
    stream
        .set_nodelay(true)
        .and_then(|_| stream.set_write_timeout(Some(opts.send_timeout)))
        .map_err(|e| io_err("cannot set up the connection to", e))?;
    let local = stream
        .local_addr()
        .map_err(|e| io_err("cannot read our address for", e))?;
    opts.log.line(format_args!(
        "* connected {local} -> {addr}: type lines to send, Ctrl-D closes our side"
    ));
    let (tx, rx) = mpsc::channel();
    let reader = stream
        .try_clone()
        .map_err(|e| io_err("cannot clone the socket of", e))?;
    spawn_reader(0, reader, opts.max_message, tx.clone()).map_err(|e| thread_err(addr, e))?;
    spawn_input(input, opts.max_message, tx).map_err(|e| thread_err(addr, e))?;
    let server = format!("{addr}");
    let mut empty = EmptyLine::default();
    let mut ours_closed = false;
    let reset = |what: &'static str| {
        io_err(
            what,
            io::Error::new(
                io::ErrorKind::ConnectionReset,
                "connection reset by the server (RST: it aborted or vanished)",
            ),
        )
    };
    loop {
        let Ok(ev) = rx.recv() else {
            return Ok(TalkEnd::PeerClosed);
        };
        match ev {
            Event::Heard(_, msg) => print_heard(&opts.out, &server, &msg),
            Event::Typed(line) => match parse_typed(&line, false) {
                Typed::Say { text, .. } if !ours_closed => {
                    if let Err(e) = write_line(&stream, text) {
                        return Err(match PeerEnd::from_error(e) {
                            PeerEnd::Reset => reset("sending to"),
                            PeerEnd::Io(e) => io_err("sending to", e),
                            other => io_err("sending to", io::Error::other(format!("{other:?}"))),
                        });
                    }
                }
                Typed::Empty => empty.skip(&opts.log, false),
                _ => {}
            },
            Event::InputEnd(why) => {
                if let Some(why) = why {
                    opts.log.line(format_args!("* {why}"));
                }
                ours_closed = true;
                let _ = stream.shutdown(Shutdown::Write);
                opts.log.line(format_args!(
                    "* input ended: closed our side (FIN: half close); printing what the server says until it closes"
                ));
            }
            Event::Ended(_, PeerEnd::Fin) if ours_closed => {
                opts.log.line(format_args!(
                    "* server closed its side too (FIN): conversation over"
                ));
                return Ok(TalkEnd::BothClosed);
            }
            Event::Ended(_, PeerEnd::Fin) => {
                let _ = stream.shutdown(Shutdown::Write);
                opts.log.line(format_args!(
                    "* server closed the connection (FIN: it sends nothing more, whether it closed or half-closed); closing ours"
                ));
                return Ok(TalkEnd::PeerClosed);
            }
            Event::Ended(_, PeerEnd::Reset) => return Err(reset("receiving from")),
            Event::Ended(_, PeerEnd::TooLong) => {
                return Err(io_err(
                    "receiving from",
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("a line longer than {} bytes", opts.max_message),
                    ),
                ));
            }
            Event::Ended(_, PeerEnd::Io(e)) => return Err(io_err("receiving from", e)),
            Event::Ended(_, PeerEnd::Unreachable) => {
                return Err(EndpointError::connect(
                    addr,
                    &io::Error::from(io::ErrorKind::ConnectionRefused),
                ));
            }
            Event::Accepted(..) | Event::Datagram(..) => {}
        }
    }
}
