//! TCP echo / upper-case server: a connection loop (accept) and, per client, a
//! communication loop on its own small-stack thread.
//!
//! Framing: one message is one line ending in `\n`; the reply is the same
//! bytes (ASCII upper-cased with `upper`) plus `\n`, written whole. A line
//! longer than `max_message` gets `error: ...` and the connection is closed;
//! a client silent for `idle_timeout` is closed. A reset or vanished client
//! ends only its own thread. Stopping closes the listener first, then lets
//! open connections finish for up to `drain_timeout` before shutting them.

use super::framing::{Frame, LineReader};
use super::handle::{Counters, ServerHandle};
use super::{EndpointError, Log, bind};
use socket2::Socket;
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Stack for each connection thread: the loop keeps its buffers on the heap,
/// so a small stack lets thousands of clients fit in little memory.
const CONN_STACK: usize = 128 * 1024;
/// Bytes asked of the socket per read.
const READ_CHUNK: usize = 4096;
/// After an oversize message, how much more input we swallow (so our error
/// line is not destroyed by a reset) before closing.
const DISCARD_LIMIT: usize = 1 << 20;

/// Options for [`TcpEchoServer`]; `Default` gives the CLI's defaults.
#[derive(Clone, Debug)]
pub struct TcpEchoOptions {
    /// Answer in ASCII upper case.
    pub upper: bool,
    /// Close a client that sends nothing for this long.
    pub idle_timeout: Duration,
    /// Longest accepted line, in bytes, without the `\n`.
    pub max_message: usize,
    /// Clients served at once; more are told `error: server busy` and closed.
    pub max_clients: usize,
    /// After stop, how long open connections may take to finish before they
    /// are shut down; `None` waits for them however long they take.
    pub drain_timeout: Option<Duration>,
    /// Accept/close/error lines.
    pub log: Log,
}

impl Default for TcpEchoOptions {
    fn default() -> Self {
        TcpEchoOptions {
            upper: false,
            idle_timeout: Duration::from_secs(60),
            max_message: 64 * 1024,
            max_clients: 10_000,
            drain_timeout: Some(Duration::from_secs(5)),
            log: Log::stderr(),
        }
    }
}

/// A bound, not yet running, TCP echo server.
pub type TcpEchoServer = bind::Bound<TcpListener, TcpEchoOptions>;

/// Open connections, so a stop can wait for them and, past the drain
/// timeout, shut them down.
#[derive(Default)]
struct Registry {
    conns: Mutex<HashMap<u64, Arc<TcpStream>>>,
    changed: Condvar,
}

impl Registry {
    fn insert(&self, id: u64, s: Arc<TcpStream>) {
        if let Ok(mut m) = self.conns.lock() {
            m.insert(id, s);
        }
    }

    fn remove(&self, id: u64) {
        if let Ok(mut m) = self.conns.lock() {
            m.remove(&id);
        }
        self.changed.notify_all();
    }

    fn len(&self) -> usize {
        self.conns.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Waits until no connection is left or `limit` passes; true if empty.
    fn wait_empty(&self, limit: Option<Duration>) -> bool {
        let deadline = limit.map(|d| Instant::now() + d);
        let Ok(mut m) = self.conns.lock() else {
            return false;
        };
        while !m.is_empty() {
            let wait = match deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(w) if !w.is_zero() => w,
                    _ => return false,
                },
                None => Duration::from_secs(3600),
            };
            m = match self.changed.wait_timeout(m, wait) {
                Ok((g, _)) => g,
                Err(_) => return false,
            };
        }
        true
    }

    fn shutdown_all(&self) {
        if let Ok(m) = self.conns.lock() {
            for s in m.values() {
                let _ = s.shutdown(Shutdown::Both);
            }
        }
    }
}

impl TcpEchoServer {
    /// Binds with `SO_REUSEADDR` (so a restart right after a stop binds again
    /// while old connections sit in TIME_WAIT) and starts listening. Port 0
    /// picks a free port; see [`local_addr`](Self::local_addr).
    pub fn bind(addr: SocketAddr, opts: TcpEchoOptions) -> Result<Self, EndpointError> {
        // A deep backlog: a thousand clients may connect in the same instant.
        let (listener, addr) = bind::tcp_listener(addr, true, 4096)?;
        Ok(TcpEchoServer {
            sock: listener,
            addr,
            opts,
        })
    }

    /// Runs the server on background threads.
    pub fn spawn(self) -> io::Result<ServerHandle> {
        let TcpEchoServer {
            sock: listener,
            addr,
            opts,
        } = self;
        // A second descriptor of the listening socket: shutting it down wakes
        // the accept() blocked in the loop (Linux returns EINVAL there).
        let waker = Socket::from(listener.try_clone()?);
        ServerHandle::start(
            format!("tcp-echo {addr}"),
            addr,
            Arc::new(move || {
                let _ = waker.shutdown(Shutdown::Read);
            }),
            move |flag, c| accept_loop(listener, addr, opts, flag, c),
        )
    }
}

fn accept_loop(
    listener: TcpListener,
    addr: SocketAddr,
    opts: TcpEchoOptions,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
) {
    let registry = Arc::new(Registry::default());
    let opts = Arc::new(opts);
    let next_id = AtomicU64::new(0);
    let log = opts.log.clone();
    while !stop.load(Ordering::SeqCst) {
        let (stream, peer) = match listener.accept() {
            Ok(x) => x,
            Err(e) => {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                match e.kind() {
                    io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted => {}
                    _ => {
                        // EMFILE and friends: say so and breathe instead of spinning.
                        log.line(format_args!("accept on {addr} failed: {e}"));
                        thread::sleep(Duration::from_millis(20));
                    }
                }
                continue;
            }
        };
        if stop.load(Ordering::SeqCst) {
            break;
        }
        Counters::add(&counters.connections, 1);
        if registry.len() >= opts.max_clients {
            log.line(format_args!(
                "refuse {peer}: {} clients already connected (max-clients)",
                opts.max_clients
            ));
            Counters::add(&counters.errors, 1);
            let _ = (&stream).write_all(b"error: server busy, try again later\n");
            continue;
        }
        let id = next_id.fetch_add(1, Ordering::Relaxed);
        let stream = Arc::new(stream);
        registry.insert(id, Arc::clone(&stream));
        let now = counters.enter();
        log.line(format_args!("accept {peer} ({now} connected)"));
        let (reg, cnt, o) = (
            Arc::clone(&registry),
            Arc::clone(&counters),
            Arc::clone(&opts),
        );
        let spawned = thread::Builder::new()
            .stack_size(CONN_STACK)
            .spawn(move || {
                let (reason, msgs, bytes) = serve_conn(&stream, &o);
                Counters::add(&cnt.messages, msgs);
                Counters::add(&cnt.bytes, bytes);
                if reason.is_error() {
                    Counters::add(&cnt.errors, 1);
                }
                let left = cnt.leave();
                o.log.line(format_args!(
                    "close {peer}: {reason} after {msgs} message(s), {bytes} bytes ({left} connected)"
                ));
                drop(stream);
                reg.remove(id);
            });
        if let Err(e) = spawned {
            log.line(format_args!("cannot serve {peer}: no thread: {e}"));
            Counters::add(&counters.errors, 1);
            counters.leave();
            registry.remove(id);
        }
    }
    drop(listener);
    let open = registry.len();
    if open > 0 {
        match opts.drain_timeout {
            Some(d) => log.line(format_args!(
                "listener {addr} closed; waiting up to {} ms for {open} connection(s) to finish",
                d.as_millis()
            )),
            None => log.line(format_args!(
                "listener {addr} closed; waiting for {open} connection(s) to finish"
            )),
        }
    } else {
        log.line(format_args!("listener {addr} closed"));
    }
    if !registry.wait_empty(opts.drain_timeout) {
        log.line(format_args!(
            "drain timeout: shutting down {} connection(s)",
            registry.len()
        ));
        registry.shutdown_all();
        registry.wait_empty(Some(Duration::from_secs(2)));
    }
}

/// Why a connection ended.
#[derive(Debug)]
enum Close {
    PeerClosed,
    Reset,
    Idle(Duration),
    TooLong(usize),
    Io(io::Error),
}

impl Close {
    fn is_error(&self) -> bool {
        !matches!(self, Close::PeerClosed)
    }
}

impl std::fmt::Display for Close {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Close::PeerClosed => f.write_str("closed by client"),
            Close::Reset => f.write_str("reset by client"),
            Close::Idle(d) => write!(f, "idle for {} ms", d.as_millis()),
            Close::TooLong(max) => write!(f, "message longer than {max} bytes"),
            Close::Io(e) => write!(f, "I/O error: {e}"),
        }
    }
}

fn classify(e: io::Error, idle: Duration) -> Close {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Close::Idle(idle),
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe => Close::Reset,
        _ => Close::Io(e),
    }
}

/// The communication loop for one client: returns why it ended, the number
/// of messages answered and the bytes received.
fn serve_conn(stream: &TcpStream, opts: &TcpEchoOptions) -> (Close, u64, u64) {
    let idle = opts.idle_timeout;
    // A zero timeout would mean "block forever" to the socket API.
    let t = Some(idle.max(Duration::from_millis(1)));
    if let Err(e) = stream
        .set_read_timeout(t)
        .and_then(|_| stream.set_write_timeout(t))
        .and_then(|_| stream.set_nodelay(true))
    {
        return (Close::Io(e), 0, 0);
    }
    let mut reader = LineReader::new(opts.max_message, READ_CHUNK);
    let mut out = Vec::new();
    let (mut msgs, mut bytes) = (0u64, 0u64);
    let mut src = stream;
    loop {
        let frame = match reader.next(&mut src) {
            Ok(f) => f,
            Err(e) => return (classify(e, idle), msgs, bytes),
        };
        match frame {
            Frame::Line | Frame::Last => {
                let line = reader.line();
                bytes += line.len() as u64 + u64::from(frame == Frame::Line);
                out.clear();
                out.extend_from_slice(line);
                if opts.upper {
                    out.make_ascii_uppercase();
                }
                if frame == Frame::Line {
                    out.push(b'\n');
                }
                if let Err(e) = (&*stream).write_all(&out) {
                    return (classify(e, idle), msgs, bytes);
                }
                msgs += 1;
                if frame == Frame::Last {
                    let _ = stream.shutdown(Shutdown::Write);
                    return (Close::PeerClosed, msgs, bytes);
                }
            }
            Frame::Eof => {
                let _ = stream.shutdown(Shutdown::Write);
                return (Close::PeerClosed, msgs, bytes);
            }
            Frame::TooLong => {
                let max = opts.max_message;
                let msg = format!("error: message longer than {max} bytes; closing\n");
                let _ = (&*stream).write_all(msg.as_bytes());
                let _ = stream.shutdown(Shutdown::Write);
                // Swallow a bounded amount more so closing with unread input
                // does not reset the connection before the error line arrives.
                let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
                let mut sink = [0u8; READ_CHUNK];
                let mut swallowed = 0;
                while swallowed < DISCARD_LIMIT {
                    match src.read(&mut sink) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => swallowed += n,
                    }
                }
                return (Close::TooLong(max), msgs, bytes);
            }
        }
    }
}
