//! The handle every in-process server returns: its address, a way to ask it
//! to stop from any thread (Ctrl-C handler, demo), and its final counters.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;

/// Counters a server keeps while it runs; returned when it stops.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// TCP connections accepted, or UDP peers seen.
    pub connections: u64,
    /// Messages answered (lines or datagrams).
    pub messages: u64,
    /// Payload bytes received.
    pub bytes: u64,
    /// Connections ended by reset, timeout, oversize message or I/O error;
    /// oversize or unknown-peer datagrams for UDP.
    pub errors: u64,
    /// Most clients connected at the same time (TCP) or members (chat).
    pub peak_clients: u64,
}

/// Shared atomic counters behind [`ServerStats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub connections: AtomicU64,
    pub messages: AtomicU64,
    pub bytes: AtomicU64,
    pub errors: AtomicU64,
    pub active: AtomicU64,
    pub peak: AtomicU64,
}

impl Counters {
    pub fn add(c: &AtomicU64, n: u64) {
        c.fetch_add(n, Ordering::Relaxed);
    }

    /// One more active client; keeps the peak.
    pub fn enter(&self) -> u64 {
        let now = self.active.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        now
    }

    pub fn leave(&self) -> u64 {
        self.active.fetch_sub(1, Ordering::SeqCst).saturating_sub(1)
    }

    pub fn snapshot(&self) -> ServerStats {
        ServerStats {
            connections: self.connections.load(Ordering::SeqCst),
            messages: self.messages.load(Ordering::SeqCst),
            bytes: self.bytes.load(Ordering::SeqCst),
            errors: self.errors.load(Ordering::SeqCst),
            peak_clients: self.peak.load(Ordering::SeqCst),
        }
    }
}

/// Asks a running server to stop; cloneable and usable from a signal handler
/// thread. The first call closes the listener; connections then finish.
#[derive(Clone)]
pub struct Stopper {
    pub(crate) flag: Arc<AtomicBool>,
    pub(crate) wake: Arc<dyn Fn() + Send + Sync>,
}

impl Stopper {
    pub fn stop(&self) {
        if !self.flag.swap(true, Ordering::SeqCst) {
            (self.wake)();
        }
    }

    pub fn is_stopping(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}

/// A server running in background threads.
pub struct ServerHandle {
    pub(crate) addr: SocketAddr,
    pub(crate) stopper: Stopper,
    pub(crate) counters: Arc<Counters>,
    pub(crate) thread: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// Runs `body(stop flag, counters)` on a thread named `name`; `wake`
    /// unblocks the body when a stop is asked (a no-op for loops that poll).
    pub(crate) fn start(
        name: String,
        addr: SocketAddr,
        wake: Arc<dyn Fn() + Send + Sync>,
        body: impl FnOnce(Arc<AtomicBool>, Arc<Counters>) + Send + 'static,
    ) -> std::io::Result<ServerHandle> {
        let flag = Arc::new(AtomicBool::new(false));
        let stopper = Stopper {
            flag: Arc::clone(&flag),
            wake,
        };
        let counters = Arc::new(Counters::default());
        let c = Arc::clone(&counters);
        let thread = std::thread::Builder::new()
            .name(name)
            .spawn(move || body(flag, c))?;
        Ok(ServerHandle {
            addr,
            stopper,
            counters,
            thread: Some(thread),
        })
    }

    /// The address the server is bound to (the real port when bound to 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// A handle that can stop the server from another thread.
    pub fn stopper(&self) -> Stopper {
        self.stopper.clone()
    }

    /// Counters so far.
    pub fn stats(&self) -> ServerStats {
        self.counters.snapshot()
    }

    /// Clients connected now (TCP) or members (chat).
    pub fn active(&self) -> u64 {
        self.counters.active.load(Ordering::SeqCst)
    }

    /// Stops the server and waits until it has finished (see the server's
    /// `drain_timeout` option for how long open connections may take).
    pub fn stop(mut self) -> ServerStats {
        self.stopper.stop();
        self.join_inner()
    }

    /// Waits for the server to finish without asking it to stop.
    pub fn join(mut self) -> ServerStats {
        self.join_inner()
    }

    fn join_inner(&mut self) -> ServerStats {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.counters.snapshot()
    }
}

impl Drop for ServerHandle {
    /// A dropped handle stops its server, so tests and the demo never leak one.
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.stopper.stop();
            self.join_inner();
        }
    }
}
