//! The servers every demo scenario talks to, bound to ports the kernel picks
//! on loopback, and the two "closed" ports (refused TCP, unreachable UDP)
//! held for the whole run so no other program takes them meanwhile.

use super::Result;
use crate::endpoints::{
    ChatOptions, ChatServer, Log, ServerHandle, TalkOptions, TcpEchoOptions, TcpEchoServer,
    TcpTalkServer, UdpEchoOptions, UdpEchoServer,
};
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::sync::Mutex;
use std::time::Duration;

/// The servers every scenario talks to, with the closed ports used for the
/// "refused" and "unreachable" cases.
pub(super) struct Servers {
    pub echo: ServerHandle,
    pub idle_echo: ServerHandle,
    pub udp: ServerHandle,
    pub chat: ServerHandle,
    pub echo6: Option<ServerHandle>,
    /// Bound before the capture starts (its port is in the filter); the talk
    /// scenario takes it and runs it.
    pub talk: Mutex<Option<TcpTalkServer>>,
    pub talk_addr: SocketAddr,
    pub closed_tcp: SocketAddr,
    pub closed_udp: SocketAddr,
    /// The one-read server of the coalescing scenario: bound before the
    /// capture starts (its port is in the filter); the scenario runs it.
    pub reader: Mutex<Option<TcpListener>>,
    pub reader_addr: SocketAddr,
    /// Sockets that hold the "closed" ports for the whole demo, so nothing
    /// else on the machine takes those port numbers meanwhile.
    _reserved: (socket2::Socket, UdpSocket),
}

/// The servers bound (their ports known, for the capture filter) but not
/// running yet: they start once the capture is open and root is dropped.
pub(super) struct BoundServers {
    echo: TcpEchoServer,
    idle_echo: TcpEchoServer,
    udp: UdpEchoServer,
    chat: ChatServer,
    echo6: Option<TcpEchoServer>,
    talk: TcpTalkServer,
    reader: TcpListener,
    closed_tcp: SocketAddr,
    closed_udp: SocketAddr,
    reserved: (socket2::Socket, UdpSocket),
}

impl BoundServers {
    /// Every server port, for the capture filter.
    pub fn ports(&self) -> Vec<u16> {
        let mut ports = vec![
            self.echo.local_addr().port(),
            self.idle_echo.local_addr().port(),
            self.udp.local_addr().port(),
            self.chat.local_addr().port(),
            self.talk.local_addr().port(),
            self.reader.local_addr().map_or(0, |a| a.port()),
            self.closed_tcp.port(),
            self.closed_udp.port(),
        ];
        ports.extend(self.echo6.as_ref().map(|s| s.local_addr().port()));
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    pub fn closed_udp(&self) -> SocketAddr {
        self.closed_udp
    }

    /// Starts every server.
    pub fn start(self) -> Result<Servers> {
        let talk_addr = self.talk.local_addr();
        let reader_addr = self.reader.local_addr()?;
        Ok(Servers {
            echo: self.echo.spawn()?,
            idle_echo: self.idle_echo.spawn()?,
            udp: self.udp.spawn()?,
            chat: self.chat.spawn()?,
            echo6: self.echo6.map(|s| s.spawn()).transpose()?,
            talk: Mutex::new(Some(self.talk)),
            talk_addr,
            closed_tcp: self.closed_tcp,
            closed_udp: self.closed_udp,
            reader: Mutex::new(Some(self.reader)),
            reader_addr,
            _reserved: self.reserved,
        })
    }
}

impl Servers {
    /// Binds every server on loopback, ports picked by the kernel.
    pub fn bind() -> Result<BoundServers> {
        let lo: SocketAddr = (Ipv4Addr::LOCALHOST, 0).into();
        let tcp = |listen: SocketAddr, idle: Duration| -> Result<TcpEchoServer> {
            let opts = TcpEchoOptions {
                upper: true,
                idle_timeout: idle,
                log: Log::quiet(),
                ..TcpEchoOptions::default()
            };
            Ok(TcpEchoServer::bind(listen, opts)?)
        };
        let echo = tcp(lo, Duration::from_secs(30))?;
        // The server-closes-first scenario relies on this server's idle timeout.
        let idle_echo = tcp(lo, Duration::from_millis(300))?;
        let udp = UdpEchoServer::bind(
            lo,
            UdpEchoOptions {
                upper: true,
                log: Log::quiet(),
                ..UdpEchoOptions::default()
            },
        )?;
        let chat = ChatServer::bind(
            lo,
            ChatOptions {
                log: Log::quiet(),
                ..ChatOptions::default()
            },
        )?;
        // IPv6 loopback is optional: some machines have it disabled.
        let v6: SocketAddr = (std::net::Ipv6Addr::LOCALHOST, 0).into();
        let echo6 = tcp(v6, Duration::from_secs(30)).ok();
        let (tcp_hold, closed_tcp) = closed_tcp_port()?;
        let (udp_hold, closed_udp) = closed_udp_port()?;
        let talk = TcpTalkServer::bind(lo, TalkOptions::default())?;
        let reader = TcpListener::bind(lo)?;
        Ok(BoundServers {
            echo,
            idle_echo,
            udp,
            chat,
            echo6,
            talk,
            reader,
            closed_tcp,
            closed_udp,
            reserved: (tcp_hold, udp_hold),
        })
    }

    pub fn shutdown(self) {
        self.echo.stop();
        self.idle_echo.stop();
        self.udp.stop();
        self.chat.stop();
        if let Some(s) = self.echo6 {
            s.stop();
        }
    }
}

/// A TCP port nothing listens on: a socket bound to it but never
/// listening, so a SYN to it is answered with RST (refused) and no other
/// program can take the port while the demo runs.
fn closed_tcp_port() -> io::Result<(socket2::Socket, SocketAddr)> {
    use socket2::{Domain, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    s.bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into())?;
    let addr = s
        .local_addr()?
        .as_socket()
        .ok_or_else(|| io::Error::other("no local address"))?;
    Ok((s, addr))
}

/// A UDP port with no socket that accepts our datagrams: a socket bound to
/// it but connected to another peer (port 1), so the kernel answers our
/// datagram with ICMP port unreachable while the port stays reserved.
fn closed_udp_port() -> io::Result<(UdpSocket, SocketAddr)> {
    let s = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    s.connect((Ipv4Addr::LOCALHOST, 1))?;
    let addr = s.local_addr()?;
    Ok((s, addr))
}

/// The capture filter: every server port, plus the ICMP port unreachable
/// that quotes a datagram to our closed UDP port (tcpdump's `port` never
/// matches ICMP, which carries the port only inside the quoted datagram:
/// 8 bytes of ICMP header, 20 of quoted IPv4 header, then the UDP ports).
/// Nothing else on `lo` shows, not even another program's ICMP.
pub(super) fn filter_expression(ports: &[u16], closed_udp: u16) -> String {
    let ports: Vec<String> = ports.iter().map(|p| format!("port {p}")).collect();
    format!(
        "{} or (icmp and icmp[icmptype] = icmp-unreach and icmp[30:2] = {closed_udp})",
        ports.join(" or ")
    )
}
