//! UDP echo server: one socket serves every peer; each reply goes to the
//! address the datagram came from.
//!
//! Datagrams are received into a 64 KiB buffer (more than any UDP payload),
//! so a datagram over `max_datagram` is seen whole, reported with its real
//! size and answered with an `error:` line instead of being cut silently.
//!
//! Forged sources (see [`super::guard`]): no reply ever goes to our own
//! port, port 0 or a reflector port; each source address may have
//! [`ECHO_RATE`] datagrams a second answered (bursts of [`ECHO_BURST`]), so
//! a loop with another echo server (a spoofed datagram "from" it) that runs
//! faster dies at its first dropped datagram, and a slower one is held to
//! that rate; the log is rate-limited.

use super::guard::{SourceLimit, no_reply_reason};
use super::handle::{Counters, ServerHandle};
use super::{Log, bind};
use std::collections::HashSet;
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Largest UDP payload plus one, so nothing is ever truncated by the kernel.
pub(crate) const RECV_BUF: usize = 65536;
/// How often a blocked receive looks at the stop flag.
pub(crate) const POLL: Duration = Duration::from_millis(100);
/// Peers remembered for the "new peer" log line and the statistics.
const MAX_TRACKED_PEERS: usize = 10_000;
/// Datagrams a second one source address may have answered by udp-echo,
/// and at once. A person or a scripted client sends far fewer; a loop
/// between two echo servers, which runs at loopback speed, exceeds it
/// within milliseconds. An echo's reply is as long as the request, so this
/// is the whole cost of a loop that runs slower.
pub(crate) const ECHO_RATE: u32 = 200;
pub(crate) const ECHO_BURST: u32 = 1000;
/// The same for strangers' datagrams to chat, which answers them with at
/// most as many bytes and never answers anything that looks like a reply
/// (so it cannot loop); only the work and the log are at stake.
pub(crate) const SOURCE_RATE: u32 = 2000;
pub(crate) const SOURCE_BURST: u32 = 4000;
/// Log lines a second (after a burst) a server prints about its peers.
pub(crate) const LOG_RATE: u32 = 10;
pub(crate) const LOG_BURST: u32 = 50;

/// Options for [`UdpEchoServer`].
#[derive(Clone, Debug)]
pub struct UdpEchoOptions {
    /// Answer in ASCII upper case.
    pub upper: bool,
    /// Largest datagram answered; larger ones are reported and refused.
    pub max_datagram: usize,
    pub log: Log,
}

impl Default for UdpEchoOptions {
    fn default() -> Self {
        UdpEchoOptions {
            upper: false,
            max_datagram: 8192,
            log: Log::stderr(),
        }
    }
}

/// A bound, not yet running, UDP echo server.
pub type UdpEchoServer = bind::Bound<UdpSocket, UdpEchoOptions>;

impl UdpEchoServer {
    pub fn spawn(self) -> io::Result<ServerHandle> {
        self.serve(
            "udp-echo",
            POLL,
            |UdpEchoServer { sock, addr, opts }, flag, c| echo_loop(sock, addr, opts, flag, c),
        )
    }
}

fn echo_loop(
    sock: UdpSocket,
    addr: SocketAddr,
    opts: UdpEchoOptions,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
) {
    let log = &opts.log.limited(LOG_RATE, LOG_BURST);
    let mut limit = SourceLimit::new(ECHO_RATE, ECHO_BURST);
    let (mut refused, mut limited) = (0u64, 0u64);
    let max = opts.max_datagram.min(RECV_BUF - 1);
    let mut buf = vec![0u8; RECV_BUF];
    let mut peers: HashSet<SocketAddr> = HashSet::new();
    while !stop.load(Ordering::SeqCst) {
        let (n, peer) = match sock.recv_from(&mut buf) {
            Ok(x) => x,
            Err(e) => {
                match e.kind() {
                    io::ErrorKind::WouldBlock
                    | io::ErrorKind::TimedOut
                    | io::ErrorKind::Interrupted => {}
                    // An ICMP error from an earlier reply's destination (peer
                    // gone): not our socket's fault, keep serving.
                    io::ErrorKind::ConnectionRefused => {}
                    _ => {
                        log.line(format_args!("receive on {addr} failed: {e}"));
                        thread::sleep(Duration::from_millis(20));
                    }
                }
                continue;
            }
        };
        Counters::add(&counters.bytes, n as u64);
        if let Some(why) = no_reply_reason(peer, addr) {
            refused += 1;
            Counters::add(&counters.errors, 1);
            log.line(format_args!("not answering {peer}: {why}"));
            continue;
        }
        if !limit.allow(peer.ip(), Instant::now()) {
            limited += 1;
            Counters::add(&counters.errors, 1);
            log.line(format_args!(
                "not answering {peer}: more than {ECHO_RATE} datagrams a second from {}",
                peer.ip()
            ));
            continue;
        }
        if peers.len() < MAX_TRACKED_PEERS && peers.insert(peer) {
            Counters::add(&counters.connections, 1);
            log.line(format_args!("new peer {peer}"));
        }
        if n > max {
            Counters::add(&counters.errors, 1);
            log.line(format_args!(
                "oversize datagram from {peer}: {n} bytes, limit {max}; not echoed"
            ));
            let reply = format!("error: datagram of {n} bytes exceeds the {max}-byte limit\n");
            let _ = sock.send_to(reply.as_bytes(), peer);
            continue;
        }
        let reply = &mut buf[..n];
        if opts.upper {
            reply.make_ascii_uppercase();
        }
        match sock.send_to(reply, peer) {
            Ok(_) => Counters::add(&counters.messages, 1),
            Err(e) => {
                Counters::add(&counters.errors, 1);
                log.line(format_args!("reply to {peer} failed: {e}"));
            }
        }
    }
    log.flush();
    if refused + limited > 0 {
        opts.log.line(format_args!(
            "udp-echo on {addr}: {refused} datagram(s) from forbidden sources and {limited} over the rate limit not answered"
        ));
    }
    opts.log.line(format_args!("udp-echo on {addr} stopped"));
}
