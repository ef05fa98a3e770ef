//! TCP echo / upper-case server: a connection loop (accept) and, per client, a
//! communication loop on its own small-stack thread.
//!
//! Framing: one message is one line ending in `\n`; the reply is the same
//! bytes (ASCII upper-cased with `upper`) plus `\n`, written whole. A line
//! longer than `max_message` gets `error: ...` and the connection is closed;
//! a client silent for `idle_timeout` is closed. A reset or vanished client
//! ends only its own thread. Stopping closes the listener first, then lets
//! open connections finish for up to `drain_timeout` before shutting them.
//!
//! Idle connections are the cheap attack on a thread-per-client server: open
//! `max_clients` of them and say nothing. So the idle timeout runs from the
//! last complete line (a byte now and then does not keep a connection), one
//! source address holds at most `max_per_source` connections, and a server
//! that is full closes its longest-idle connection (that source's, when the
//! source is at its limit) to take the new one instead of refusing it: a
//! client that talks keeps its place, a silent one is the first to go.

use super::framing::{Frame, LineReader};
use super::handle::{Counters, ServerHandle};
use super::{EndpointError, Log, bind};
use socket2::Socket;
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::IpAddr;
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
    /// Clients served at once; past this, the longest-idle one is closed
    /// to make room.
    pub max_clients: usize,
    /// Connections one source address may hold; past this, its own
    /// longest-idle one is closed. `None`: a quarter of `max_clients`, but
    /// at least 64 (or `max_clients`, if smaller): loopback tests and
    /// benchmarks connect many clients from one address.
    pub max_per_source: Option<usize>,
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
            max_per_source: None,
            drain_timeout: Some(Duration::from_secs(5)),
            log: Log::stderr(),
        }
    }
}

/// A bound, not yet running, TCP echo server.
pub type TcpEchoServer = bind::Bound<TcpListener, TcpEchoOptions>;

/// Open connections, so a stop can wait for them and, past the drain
/// timeout, shut them down, and so a full server can find its longest-idle
/// connection.
#[derive(Default)]
struct Registry {
    conns: Mutex<Conns>,
    changed: Condvar,
}

#[derive(Default)]
struct Conns {
    by_id: HashMap<u64, Entry>,
    per_source: HashMap<IpAddr, usize>,
}

/// One open connection, as the registry sees it.
struct Entry {
    stream: Arc<TcpStream>,
    source: IpAddr,
    activity: Arc<Activity>,
}

/// Shared between a connection's thread and the registry.
#[derive(Default)]
struct Activity {
    /// Milliseconds since the server started, at the last complete line
    /// (or the accept).
    last_ms: AtomicU64,
    /// Closed to make room for a new client.
    evicted: AtomicBool,
}

/// Who was closed to make room: the peer's address and how long it had
/// been idle.
struct Evicted {
    source: IpAddr,
    idle_ms: u64,
    why: &'static str,
}

impl Conns {
    fn remove(&mut self, id: u64) -> Option<Entry> {
        let e = self.by_id.remove(&id)?;
        if let Some(n) = self.per_source.get_mut(&e.source) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.per_source.remove(&e.source);
            }
        }
        Some(e)
    }

    /// The longest-idle connection, of `source` only when given. A scan:
    /// it runs only when the server is full, once per new connection.
    fn longest_idle(&self, source: Option<IpAddr>) -> Option<u64> {
        self.by_id
            .iter()
            .filter(|(_, e)| source.is_none_or(|s| e.source == s))
            .min_by_key(|(id, e)| (e.activity.last_ms.load(Ordering::Relaxed), **id))
            .map(|(id, _)| *id)
    }
}

impl Registry {
    /// Takes connection `id` from `source`, first closing the longest-idle
    /// one when the source or the server is at its limit.
    fn admit(
        &self,
        id: u64,
        entry: Entry,
        now_ms: u64,
        max: usize,
        per_source: usize,
    ) -> Option<Evicted> {
        let Ok(mut m) = self.conns.lock() else {
            return None;
        };
        let source = entry.source;
        let from_source = m.per_source.get(&source).copied().unwrap_or(0);
        let victim = if from_source >= per_source {
            m.longest_idle(Some(source))
                .map(|v| (v, "its source is at --max-per-source"))
        } else if m.by_id.len() >= max {
            m.longest_idle(None)
                .map(|v| (v, "the server is at --max-clients"))
        } else {
            None
        };
        let evicted = victim.and_then(|(v, why)| {
            let e = m.remove(v)?;
            e.activity.evicted.store(true, Ordering::SeqCst);
            let _ = e.stream.shutdown(Shutdown::Both);
            let last = e.activity.last_ms.load(Ordering::Relaxed);
            Some(Evicted {
                source: e.source,
                idle_ms: now_ms.saturating_sub(last),
                why,
            })
        });
        *m.per_source.entry(source).or_insert(0) += 1;
        m.by_id.insert(id, entry);
        evicted
    }

    fn remove(&self, id: u64) {
        if let Ok(mut m) = self.conns.lock() {
            m.remove(id);
        }
        self.changed.notify_all();
    }

    fn len(&self) -> usize {
        self.conns.lock().map(|m| m.by_id.len()).unwrap_or(0)
    }

    /// Waits until no connection is left or `limit` passes; true if empty.
    fn wait_empty(&self, limit: Option<Duration>) -> bool {
        let deadline = limit.map(|d| Instant::now() + d);
        let Ok(mut m) = self.conns.lock() else {
            return false;
        };
        while !m.by_id.is_empty() {
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
            for e in m.by_id.values() {
                let _ = e.stream.shutdown(Shutdown::Both);
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
    // Peers decide how many lines we log (one per accept and close).
    let log = opts
        .log
        .limited(super::udp_echo::LOG_RATE, super::udp_echo::LOG_BURST);
    let born = Instant::now();
    let per_source = opts
        .max_per_source
        .unwrap_or((opts.max_clients / 4).max(opts.max_clients.min(64)))
        .max(1);
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
        let id = next_id.fetch_add(1, Ordering::Relaxed);
        let stream = Arc::new(stream);
        let activity = Arc::new(Activity::default());
        let now_ms = born.elapsed().as_millis() as u64;
        activity.last_ms.store(now_ms, Ordering::Relaxed);
        let entry = Entry {
            stream: Arc::clone(&stream),
            source: peer.ip(),
            activity: Arc::clone(&activity),
        };
        if let Some(ev) = registry.admit(id, entry, now_ms, opts.max_clients.max(1), per_source) {
            log.line(format_args!(
                "evict the longest-idle connection of {} (idle {} ms) for {peer}: {}",
                ev.source, ev.idle_ms, ev.why
            ));
        }
        let now = counters.enter();
        log.line(format_args!("accept {peer} ({now} connected)"));
        let (reg, cnt, o, conn_log) = (
            Arc::clone(&registry),
            Arc::clone(&counters),
            Arc::clone(&opts),
            log.clone(),
        );
        let spawned = thread::Builder::new()
            .stack_size(CONN_STACK)
            .spawn(move || {
                let (reason, msgs, bytes) = serve_conn(&stream, &o, &activity, born);
                let reason = if activity.evicted.load(Ordering::SeqCst) {
                    Close::Evicted
                } else {
                    reason
                };
                Counters::add(&cnt.messages, msgs);
                Counters::add(&cnt.bytes, bytes);
                if reason.is_error() {
                    Counters::add(&cnt.errors, 1);
                }
                let left = cnt.leave();
                conn_log.line(format_args!(
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
    log.flush();
    let open = registry.len();
    if open > 0 {
        match opts.drain_timeout {
            Some(d) => opts.log.line(format_args!(
                "listener {addr} closed; waiting up to {} ms for {open} connection(s) to finish",
                d.as_millis()
            )),
            None => opts.log.line(format_args!(
                "listener {addr} closed; waiting for {open} connection(s) to finish"
            )),
        }
    } else {
        opts.log.line(format_args!("listener {addr} closed"));
    }
    if !registry.wait_empty(opts.drain_timeout) {
        opts.log.line(format_args!(
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
    /// Closed to make room for a new client (the longest idle).
    Evicted,
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
            Close::Evicted => f.write_str("closed to make room (longest idle)"),
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

/// Reads with the time left until `deadline` as the socket's timeout, so
/// the idle timeout counts from the last complete line however the bytes of
/// the next one trickle in.
struct UntilDeadline<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Read for UntilDeadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        // A zero timeout would mean "block forever" to the socket API.
        self.stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))?;
        let mut s = self.stream;
        s.read(buf)
    }
}

/// The communication loop for one client: returns why it ended, the number
/// of messages answered and the bytes received. `activity` gets the time of
/// each complete line (milliseconds since `born`).
fn serve_conn(
    stream: &TcpStream,
    opts: &TcpEchoOptions,
    activity: &Activity,
    born: Instant,
) -> (Close, u64, u64) {
    let idle = opts.idle_timeout;
    // A zero timeout would mean "block forever" to the socket API.
    let t = Some(idle.max(Duration::from_millis(1)));
    if let Err(e) = stream
        .set_write_timeout(t)
        .and_then(|_| stream.set_nodelay(true))
    {
        return (Close::Io(e), 0, 0);
    }
    let mut reader = LineReader::new(opts.max_message, READ_CHUNK);
    let mut out = Vec::new();
    let (mut msgs, mut bytes) = (0u64, 0u64);
    let mut src = UntilDeadline {
        stream,
        deadline: Instant::now() + idle,
    };
    loop {
        let frame = match reader.next(&mut src) {
            Ok(f) => f,
            Err(e) => return (classify(e, idle), msgs, bytes),
        };
        match frame {
            Frame::Line | Frame::Last => {
                src.deadline = Instant::now() + idle;
                activity
                    .last_ms
                    .store(born.elapsed().as_millis() as u64, Ordering::Relaxed);
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
                let mut src = stream;
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
