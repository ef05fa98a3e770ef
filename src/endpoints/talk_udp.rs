//! UDP talk: the same conversation without a connection. Each typed line is
//! one datagram. The server knows a peer only once it has sent something;
//! peers are numbered `#1`, `#2` … as they first speak, and a typed line goes
//! to the one that spoke last, or to `#N` with `@N text`. There is no close:
//! when our input ends we wait `timeout` for late datagrams, then stop. A
//! client whose server is not there learns it from the ICMP port
//! unreachable its first datagram draws (a connected UDP socket reports it
//! as "connection refused").
//!
//! A UDP source address can be forged: the server never numbers (and so
//! never answers) a peer on its own port, port 0 or a reflector port (see
//! [`super::guard`]), and what such peers, or peers past the first
//! [`MAX_PEERS`], send is printed at a limited rate.

use super::bind::Bound;
use super::guard::no_reply_reason;
use super::talk::{
    EmptyLine, Event, PeerEnd, TalkEnd, TalkOptions, Typed, parse_typed, peer_name, print_heard,
    spawn_input,
};
use super::udp_echo::{LOG_BURST, LOG_RATE, POLL, RECV_BUF};
use super::{EndpointError, is_retry, local_any};
use std::io::{self, Read};
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::Instant;

/// Peers the server numbers; datagrams from more are printed, not remembered.
const MAX_PEERS: usize = 1000;

/// A bound, not yet running, UDP talk server (bound by [`Bound::bind`]).
pub type UdpTalkServer = Bound<UdpSocket, TalkOptions>;

/// Reads datagrams on a thread: [`Event::Datagram`] each, [`Event::Ended`]
/// (id 0) when the socket fails for good. `connected` sockets also report
/// ICMP port unreachable, as [`PeerEnd::Unreachable`].
/// It stops, at most [`POLL`] later, once `done` is set.
fn spawn_receiver(sock: UdpSocket, tx: Sender<Event>, done: Arc<AtomicBool>) -> io::Result<()> {
    sock.set_read_timeout(Some(POLL))?;
    thread::Builder::new()
        .name("talk udp receiver".into())
        .spawn(move || {
            let mut buf = vec![0u8; RECV_BUF];
            while !done.load(Ordering::SeqCst) {
                match sock.recv_from(&mut buf) {
                    Ok((n, from)) => {
                        let msg = buf.get(..n).unwrap_or_default();
                        let msg = msg.strip_suffix(b"\n").unwrap_or(msg);
                        if tx.send(Event::Datagram(from, msg.to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if is_retry(&e) => {}
                    Err(e) => {
                        let _ = tx.send(Event::Ended(0, PeerEnd::from_error(e)));
                        return;
                    }
                }
            }
        })
        .map(|_| ())
}

/// Sets the receiver's stop flag however the loop ends.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Receives events until the input has ended and `timeout` has passed
/// since; calls `f` for each.
fn run_loop(
    rx: &mpsc::Receiver<Event>,
    opts: &TalkOptions,
    mut f: impl FnMut(Event) -> Result<(), EndpointError>,
) -> Result<(), EndpointError> {
    let mut deadline: Option<Instant> = None;
    loop {
        let ev = match deadline {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(d) => rx.recv_timeout(d.saturating_duration_since(Instant::now())),
        };
        match ev {
            Ok(Event::InputEnd(why)) => {
                if let Some(why) = why {
                    opts.log.line(format_args!("* {why}"));
                }
                opts.log.line(format_args!(
                    "* input ended: UDP has no connection to close; printing what arrives for {} ms more",
                    opts.timeout.as_millis()
                ));
                deadline = Some(Instant::now() + opts.timeout);
            }
            Ok(ev) => f(ev)?,
            Err(RecvTimeoutError::Timeout) => return Ok(()),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

impl UdpTalkServer {
    /// Runs the server with the operator's lines read from `input`, until
    /// the input has ended and `timeout` has passed.
    pub fn run(self, input: impl Read + Send + 'static) -> Result<(), EndpointError> {
        let Bound { sock, addr, opts } = self;
        let io_err = |source| EndpointError::Io {
            what: "cannot start",
            addr,
            source,
        };
        let (tx, rx) = mpsc::channel();
        let done = Arc::new(AtomicBool::new(false));
        let _stop = StopOnDrop(Arc::clone(&done));
        spawn_receiver(sock.try_clone().map_err(io_err)?, tx.clone(), done).map_err(io_err)?;
        spawn_input(input, opts.max_message, tx).map_err(io_err)?;
        let mut peers: Vec<SocketAddr> = Vec::new();
        let mut last: Option<usize> = None;
        let mut empty = EmptyLine::default();
        // Datagrams from peers we do not number: a flood of them must not
        // flood the terminal too.
        let strangers = opts.out.limited(LOG_RATE, LOG_BURST);
        run_loop(&rx, &opts, |ev| {
            match ev {
                Event::Datagram(from, msg) => {
                    let known = peers.iter().position(|p| *p == from);
                    // Answering such a peer could start a loop or reflect
                    // our operator's lines to a victim.
                    let refused = known
                        .is_none()
                        .then(|| no_reply_reason(from, addr))
                        .flatten();
                    let i = match known {
                        Some(i) => i,
                        None if let Some(why) = &refused => {
                            print_heard(
                                &strangers,
                                &format!("#- {from} (not answered: {why})"),
                                &msg,
                            );
                            return Ok(());
                        }
                        None if peers.len() >= MAX_PEERS => {
                            // Spoofed sources must not grow the list for ever.
                            print_heard(&strangers, &format!("#? {from}"), &msg);
                            return Ok(());
                        }
                        None => {
                            peers.push(from);
                            let i = peers.len() - 1;
                            opts.log.line(format_args!(
                                "* new peer {} (first datagram from it; @{} text answers it, /who lists peers)",
                                peer_name(i as u64 + 1, from),
                                i + 1
                            ));
                            i
                        }
                    };
                    last = Some(i);
                    print_heard(&opts.out, &peer_name(i as u64 + 1, from), &msg);
                }
                Event::Typed(line) => match parse_typed(&line, true) {
                    Typed::Empty => empty.skip(&opts.log, true),
                    Typed::Who => {
                        if peers.is_empty() {
                            opts.log.line(format_args!("* no peer has spoken yet"));
                        }
                        for (i, p) in peers.iter().enumerate() {
                            opts.log.line(format_args!(
                                "* {}{}",
                                peer_name(i as u64 + 1, *p),
                                if last == Some(i) { " (spoke last)" } else { "" }
                            ));
                        }
                    }
                    Typed::Close(_) => opts.log.line(format_args!(
                        "* UDP has no connection to close: a peer is only an address"
                    )),
                    Typed::Unknown(why) => opts.log.line(format_args!("* {why}")),
                    Typed::Say { to, text } => {
                        let to = match to {
                            Some(n) => n.checked_sub(1).map(|n| n as usize),
                            None => last,
                        };
                        match to.and_then(|i| peers.get(i)) {
                            Some(p) => {
                                if let Err(e) = sock.send_to(text, p) {
                                    opts.log.line(format_args!("* sending to {p} failed: {e}"));
                                }
                            }
                            None if peers.is_empty() => opts.log.line(format_args!(
                                "* no peer yet: a UDP server learns an address only from a datagram sent to it; not sent"
                            )),
                            None => opts.log.line(format_args!(
                                "* no such peer (see /who); not sent"
                            )),
                        }
                    }
                },
                Event::Ended(_, end) => {
                    opts.log
                        .line(format_args!("* receiving on {addr} failed: {end:?}"));
                }
                Event::Heard(..) | Event::Accepted(..) | Event::InputEnd(_) => {}
            }
            Ok(())
        })
    }
}

/// The UDP talk client: each line read from `input` is one datagram to
/// `addr`; what the server sends is printed. Ends `opts.timeout` after the
/// input ends, or with an error when the server's port is unreachable.
pub fn udp_talk_client(
    addr: SocketAddr,
    opts: &TalkOptions,
    input: impl Read + Send + 'static,
) -> Result<TalkEnd, EndpointError> {
    let sock = UdpSocket::bind(local_any(addr)).map_err(|e| EndpointError::connect(addr, &e))?;
    // Connected: only the server's datagrams reach us, and an ICMP port
    // unreachable comes back as "connection refused".
    sock.connect(addr)
        .map_err(|e| EndpointError::connect(addr, &e))?;
    let io_err = |source| EndpointError::Io {
        what: "cannot start talking to",
        addr,
        source,
    };
    let local = sock.local_addr().map_err(io_err)?;
    opts.log.line(format_args!(
        "* {local} -> {addr} (UDP: the server learns our address from our first datagram); Ctrl-D ends"
    ));
    let (tx, rx) = mpsc::channel();
    let done = Arc::new(AtomicBool::new(false));
    let _stop = StopOnDrop(Arc::clone(&done));
    spawn_receiver(sock.try_clone().map_err(io_err)?, tx.clone(), done).map_err(io_err)?;
    spawn_input(input, opts.max_message, tx).map_err(io_err)?;
    let server = format!("{addr}");
    let mut empty = EmptyLine::default();
    run_loop(&rx, opts, |ev| {
        match ev {
            Event::Datagram(_, msg) => print_heard(&opts.out, &server, &msg),
            Event::Typed(line) => match parse_typed(&line, false) {
                Typed::Empty => empty.skip(&opts.log, true),
                Typed::Say { text, .. } => {
                    if let Err(e) = sock.send(text) {
                        return Err(EndpointError::connect(addr, &e));
                    }
                }
                _ => {}
            },
            Event::Ended(_, PeerEnd::Unreachable) => {
                return Err(EndpointError::Connect {
                    addr,
                    reason: "port unreachable (an ICMP error came back: no server is listening there, or it stopped)".into(),
                });
            }
            Event::Ended(_, end) => {
                return Err(EndpointError::Io {
                    what: "receiving from",
                    addr,
                    source: io::Error::other(format!("{end:?}")),
                });
            }
            Event::Heard(..) | Event::Accepted(..) | Event::InputEnd(_) => {}
        }
        Ok(())
    })?;
    Ok(TalkEnd::InputEnded)
}
