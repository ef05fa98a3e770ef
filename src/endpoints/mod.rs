//! Built-in traffic generators: TCP echo/upper server, UDP echo, UDP chat,
//! TCP and UDP talk (a person types the replies), clients.
//!
//! They are real servers in the spirit of the classic socket lessons (a
//! connection loop and a per-connection communication loop), usable from the
//! command line (`sockscope serve`, `sockscope client`) and in-process by the
//! demo, which binds them to port 0 and reads back the chosen address.
//!
//! Framing, the same for every endpoint: **a message is one line ending in
//! `\n`**. The TCP server answers each line with the same bytes (ASCII
//! upper-cased with `--upper`) followed by `\n`; bytes after the last `\n`
//! when the peer closes are answered as a last, unterminated message. UDP
//! endpoints treat each datagram as one message (a trailing `\n` is optional
//! and stripped).

pub mod bind;
pub mod chat;
pub mod client;
pub mod framing;
pub mod guard;
pub mod handle;
pub mod log;
pub mod talk;
pub mod talk_script;
pub mod talk_tcp;
pub mod talk_udp;
pub mod tcp_echo;
pub mod udp_echo;

pub use chat::{ChatClient, ChatOptions, ChatServer};
pub use client::{TcpSession, UdpSession, tcp_exchange, udp_exchange};
pub use handle::{ServerHandle, ServerStats, Stopper};
pub use log::Log;
pub use talk::{Printable, TalkEnd, TalkOptions};
pub use talk_script::ScriptedTalk;
pub use talk_tcp::{TcpTalkServer, tcp_talk_client};
pub use talk_udp::{UdpTalkServer, udp_talk_client};
pub use tcp_echo::{TcpEchoOptions, TcpEchoServer};
pub use udp_echo::{UdpEchoOptions, UdpEchoServer};

use std::io;
use std::net::SocketAddr;

/// Errors the endpoints report; each names the address and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: SocketAddr, reason: String },
    #[error("cannot connect to {addr}: {reason}")]
    Connect { addr: SocketAddr, reason: String },
    #[error("{what} {addr}: {source}")]
    Io {
        what: &'static str,
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("no reply from {addr} within {waited_ms} ms after {attempts} attempt(s)")]
    Timeout {
        addr: SocketAddr,
        waited_ms: u128,
        attempts: u32,
    },
    #[error("server {addr} answered with an error: {line}")]
    Refused { addr: SocketAddr, line: String },
    #[error("{0}")]
    Usage(String),
}

impl EndpointError {
    /// A bind failure, with a hint for the usual causes.
    pub(crate) fn bind(addr: SocketAddr, err: &io::Error) -> Self {
        let reason = match err.kind() {
            io::ErrorKind::AddrInUse => {
                "address already in use (another server is listening there; pick another port)"
                    .to_string()
            }
            io::ErrorKind::AddrNotAvailable => {
                "address not available on this host (use 127.0.0.1 or an address of a local interface)"
                    .to_string()
            }
            io::ErrorKind::PermissionDenied => {
                "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)".to_string()
            }
            _ => err.to_string(),
        };
        EndpointError::Bind { addr, reason }
    }

    /// A connect failure, with a hint for the usual causes.
    pub(crate) fn connect(addr: SocketAddr, err: &io::Error) -> Self {
        let reason = match err.kind() {
            io::ErrorKind::ConnectionRefused => {
                "connection refused (is the server running on that port?)".to_string()
            }
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                "timed out (address unreachable or filtered)".to_string()
            }
            io::ErrorKind::HostUnreachable => "host unreachable".to_string(),
            io::ErrorKind::NetworkUnreachable => {
                "network unreachable (no route to that address)".to_string()
            }
            _ => err.to_string(),
        };
        EndpointError::Connect { addr, reason }
    }
}

/// A socket error that only means "try again": a receive timeout, or a
/// signal that interrupted the call.
pub(crate) fn is_retry(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// The unspecified local address of the same family as `peer` (for clients).
pub(crate) fn local_any(peer: SocketAddr) -> SocketAddr {
    match peer {
        SocketAddr::V4(_) => SocketAddr::from(([0, 0, 0, 0], 0)),
        SocketAddr::V6(_) => SocketAddr::from(([0u16; 8], 0)),
    }
}
