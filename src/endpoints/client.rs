//! Clients for the echo servers, usable from code (the demo, tests) and by
//! `sockscope client`.
//!
//! The TCP client never sends an empty message: an empty line would be a
//! message the classic "read until data" server waits on forever, so it is
//! refused here and skipped by the CLI. Closing sends a FIN and reads until
//! the server's FIN, so the connection ends cleanly (no reset).

use super::framing::{Frame, LineReader};
use super::udp_echo::RECV_BUF;
use super::{EndpointError, is_retry, local_any};
use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

/// Longest reply line the client accepts.
const MAX_REPLY: usize = 1 << 20;

/// Checks a message is sendable as one line.
fn check_message(msg: &str) -> Result<(), EndpointError> {
    if msg.is_empty() {
        return Err(EndpointError::Usage(
            "refusing to send an empty message (the server would wait for it forever)".into(),
        ));
    }
    if msg.contains('\n') {
        return Err(EndpointError::Usage(format!(
            "a message is one line; {msg:?} contains a newline"
        )));
    }
    Ok(())
}

/// An open connection to a line-framed TCP server.
pub struct TcpSession {
    stream: TcpStream,
    peer: SocketAddr,
    reader: LineReader,
    out: Vec<u8>,
}

impl TcpSession {
    /// Connects within `timeout`; replies are awaited for `timeout` too.
    pub fn connect(addr: SocketAddr, timeout: Duration) -> Result<Self, EndpointError> {
        let timeout = timeout.max(Duration::from_millis(1));
        let stream = TcpStream::connect_timeout(&addr, timeout)
            .map_err(|e| EndpointError::connect(addr, &e))?;
        stream
            .set_read_timeout(Some(timeout))
            .and_then(|_| stream.set_write_timeout(Some(timeout)))
            .and_then(|_| stream.set_nodelay(true))
            .map_err(|e| EndpointError::connect(addr, &e))?;
        Ok(TcpSession {
            stream,
            peer: addr,
            reader: LineReader::new(MAX_REPLY, 4096),
            out: Vec::new(),
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }

    pub fn peer_addr(&self) -> SocketAddr {
        self.peer
    }

    /// Sends `msg` plus `\n` and returns the reply line (without `\n`).
    pub fn request(&mut self, msg: &str) -> Result<String, EndpointError> {
        check_message(msg)?;
        self.out.clear();
        self.out.extend_from_slice(msg.as_bytes());
        self.out.push(b'\n');
        (&self.stream)
            .write_all(&self.out)
            .map_err(|e| self.io("send to", e))?;
        let mut src = &self.stream;
        match self.reader.next(&mut src) {
            Ok(Frame::Line) | Ok(Frame::Last) => {
                Ok(String::from_utf8_lossy(self.reader.line()).into_owned())
            }
            Ok(Frame::Eof) => Err(self.io(
                "connection closed by",
                io::Error::new(io::ErrorKind::UnexpectedEof, "no reply"),
            )),
            Ok(Frame::TooLong) => Err(self.io(
                "reply too long from",
                io::Error::new(io::ErrorKind::InvalidData, "reply over 1 MiB"),
            )),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Err(EndpointError::Timeout {
                    addr: self.peer,
                    waited_ms: self
                        .stream
                        .read_timeout()
                        .ok()
                        .flatten()
                        .map_or(0, |d| d.as_millis()),
                    attempts: 1,
                })
            }
            Err(e) => Err(self.io("receive from", e)),
        }
    }

    /// Ends the session cleanly: FIN, then read until the server's FIN (at
    /// most the reply timeout), so neither side sees a reset.
    pub fn close(self) -> Result<(), EndpointError> {
        self.stream
            .shutdown(Shutdown::Write)
            .map_err(|e| self.io("close connection to", e))?;
        let mut reader = self.reader;
        let mut src = &self.stream;
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match reader.next(&mut src) {
                Ok(Frame::Eof) | Ok(Frame::Last) | Ok(Frame::TooLong) => return Ok(()),
                Ok(Frame::Line) if Instant::now() < deadline => {}
                Ok(Frame::Line) => return Ok(()),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Ok(());
                }
                Err(e) => {
                    return Err(EndpointError::Io {
                        what: "close connection to",
                        addr: self.peer,
                        source: e,
                    });
                }
            }
        }
    }

    fn io(&self, what: &'static str, source: io::Error) -> EndpointError {
        EndpointError::Io {
            what,
            addr: self.peer,
            source,
        }
    }
}

/// Connects, sends each message, collects the replies, closes cleanly.
pub fn tcp_exchange<S: AsRef<str>>(
    addr: SocketAddr,
    msgs: &[S],
    timeout: Duration,
) -> Result<Vec<String>, EndpointError> {
    for m in msgs {
        check_message(m.as_ref())?;
    }
    let mut s = TcpSession::connect(addr, timeout)?;
    let mut replies = Vec::with_capacity(msgs.len());
    for m in msgs {
        replies.push(s.request(m.as_ref())?);
    }
    s.close()?;
    Ok(replies)
}

/// A UDP socket connected to one server: only its datagrams reach us and an
/// ICMP port-unreachable comes back as "connection refused".
pub struct UdpSession {
    sock: UdpSocket,
    peer: SocketAddr,
    timeout: Duration,
    attempts: u32,
    buf: Vec<u8>,
}

impl UdpSession {
    /// `attempts` sends per message (at least 1), each waiting `timeout`.
    pub fn connect(
        addr: SocketAddr,
        timeout: Duration,
        attempts: u32,
    ) -> Result<Self, EndpointError> {
        let sock =
            UdpSocket::bind(local_any(addr)).map_err(|e| EndpointError::connect(addr, &e))?;
        sock.connect(addr)
            .map_err(|e| EndpointError::connect(addr, &e))?;
        sock.set_read_timeout(Some(timeout.max(Duration::from_millis(1))))
            .map_err(|e| EndpointError::connect(addr, &e))?;
        Ok(UdpSession {
            sock,
            peer: addr,
            timeout,
            attempts: attempts.max(1),
            buf: vec![0; RECV_BUF],
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()
    }

    /// Sends `msg` as one datagram and waits for the reply, resending up to
    /// the attempt limit; never waits longer than attempts × timeout.
    pub fn request(&mut self, msg: &[u8]) -> Result<String, EndpointError> {
        if msg.is_empty() {
            return Err(EndpointError::Usage(
                "refusing to send an empty datagram".into(),
            ));
        }
        // Forget late replies to earlier requests.
        let _ = self.sock.set_nonblocking(true);
        while self.sock.recv(&mut self.buf).is_ok() {}
        let _ = self.sock.set_nonblocking(false);
        for _ in 0..self.attempts {
            self.sock
                .send(msg)
                .map_err(|e| EndpointError::connect(self.peer, &e))?;
            match self.sock.recv(&mut self.buf) {
                Ok(n) => {
                    let s = String::from_utf8_lossy(&self.buf[..n]);
                    return Ok(s.strip_suffix('\n').unwrap_or(&s).to_string());
                }
                Err(e) if is_retry(&e) => {}
                Err(e) => return Err(EndpointError::connect(self.peer, &e)),
            }
        }
        Err(EndpointError::Timeout {
            addr: self.peer,
            waited_ms: self.timeout.as_millis() * u128::from(self.attempts),
            attempts: self.attempts,
        })
    }
}

/// Sends each message as one datagram and collects the replies.
pub fn udp_exchange<S: AsRef<str>>(
    addr: SocketAddr,
    msgs: &[S],
    timeout: Duration,
    attempts: u32,
) -> Result<Vec<String>, EndpointError> {
    let mut s = UdpSession::connect(addr, timeout, attempts)?;
    msgs.iter()
        .map(|m| s.request(m.as_ref().as_bytes()))
        .collect()
}
