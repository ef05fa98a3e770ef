//! Binding, in one place for every endpoint: TCP listeners (with or without
//! `SO_REUSEADDR`) and UDP sockets, each returning the address the kernel
//! really gave (port 0 picks a free one) and errors that say what to do.

use super::EndpointError;
use super::handle::{Counters, ServerHandle};
use socket2::{Domain, Protocol, Socket, Type};
use std::io;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Binds and listens on `addr`. With `reuse_addr`, `SO_REUSEADDR` lets a
/// restarted server bind while connections of its previous run sit in
/// TIME_WAIT; without it that bind fails, and the error says why.
pub(crate) fn tcp_listener(
    addr: SocketAddr,
    reuse_addr: bool,
    backlog: i32,
) -> Result<(TcpListener, SocketAddr), EndpointError> {
    let sock = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
        .map_err(|e| EndpointError::bind(addr, &e))?;
    sock.set_reuse_address(reuse_addr)
        .map_err(|e| EndpointError::bind(addr, &e))?;
    sock.bind(&addr.into()).map_err(|e| {
        if e.kind() == io::ErrorKind::AddrInUse && !reuse_addr {
            EndpointError::Bind {
                addr,
                reason: "address already in use: another server listens there, or connections \
                         of a server that ran there are still in TIME_WAIT (up to 60 s on Linux); \
                         SO_REUSEADDR, on unless --no-reuseaddr, allows binding over TIME_WAIT"
                    .to_string(),
            }
        } else {
            EndpointError::bind(addr, &e)
        }
    })?;
    sock.listen(backlog)
        .map_err(|e| EndpointError::bind(addr, &e))?;
    let listener: TcpListener = sock.into();
    let local = listener
        .local_addr()
        .map_err(|e| EndpointError::bind(addr, &e))?;
    Ok((listener, local))
}

/// Binds a UDP socket. No `SO_REUSEADDR` here: on Linux it would let two UDP
/// servers share a port silently.
pub(crate) fn udp_socket(addr: SocketAddr) -> Result<(UdpSocket, SocketAddr), EndpointError> {
    let sock = UdpSocket::bind(addr).map_err(|e| EndpointError::bind(addr, &e))?;
    // A deep receive queue (the kernel caps it at net.core.rmem_max): under
    // a flood, a real peer's datagram waits there instead of being dropped
    // while we discard the flood's. Failure only means the default depth.
    let _ = socket2::SockRef::from(&sock).set_recv_buffer_size(4 << 20);
    let local = sock
        .local_addr()
        .map_err(|e| EndpointError::bind(addr, &e))?;
    Ok((sock, local))
}

/// A server whose socket is bound but which is not serving yet: the socket,
/// the address the kernel gave and the server's options. Each server is an
/// alias of this with its own `bind` and `spawn`/`run`, so a caller can read
/// the real port (port 0) before the first client comes.
pub struct Bound<S, O> {
    pub(crate) sock: S,
    pub(crate) addr: SocketAddr,
    pub(crate) opts: O,
}

impl<S, O> Bound<S, O> {
    /// The address the server is bound to (the real port when bound to 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

impl<O> Bound<UdpSocket, O> {
    /// Binds a UDP server's socket on `addr` (port 0 picks a free port).
    pub fn bind(addr: SocketAddr, opts: O) -> Result<Self, EndpointError> {
        let (sock, addr) = udp_socket(addr)?;
        Ok(Bound { sock, addr, opts })
    }

    /// Serves on a thread named `"{kind} {addr}"`: reads time out every
    /// `poll` so that `serve` sees the stop flag (a UDP server needs no
    /// other waker).
    pub(crate) fn serve(
        self,
        kind: &str,
        poll: Duration,
        serve: impl FnOnce(Self, Arc<AtomicBool>, Arc<Counters>) + Send + 'static,
    ) -> io::Result<ServerHandle>
    where
        O: Send + 'static,
    {
        self.sock.set_read_timeout(Some(poll))?;
        let addr = self.addr;
        let name = format!("{kind} {addr}");
        ServerHandle::start(name, addr, Arc::new(|| {}), move |flag, c| {
            serve(self, flag, c)
        })
    }
}
