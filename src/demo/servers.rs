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
    /// Every server port, by protocol and address family, for the capture
    /// filter.
    pub fn ports(&self) -> DemoPorts {
        let mut tcp = vec![
            self.echo.local_addr().port(),
            self.idle_echo.local_addr().port(),
            self.talk.local_addr().port(),
            self.reader.local_addr().map_or(0, |a| a.port()),
            self.closed_tcp.port(),
        ];
        let mut udp = vec![
            self.udp.local_addr().port(),
            self.chat.local_addr().port(),
            self.closed_udp.port(),
        ];
        let tcp6 = self.echo6.iter().map(|s| s.local_addr().port()).collect();
        for ports in [&mut tcp, &mut udp] {
            ports.sort_unstable();
            ports.dedup();
        }
        DemoPorts {
            tcp,
            udp,
            tcp6,
            closed_udp: self.closed_udp.port(),
        }
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

/// The demo's server ports: TCP and UDP on 127.0.0.1, TCP on ::1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct DemoPorts {
    pub tcp: Vec<u16>,
    pub udp: Vec<u16>,
    pub tcp6: Vec<u16>,
    /// The held UDP port nothing answers on (its ICMP error is captured).
    pub closed_udp: u16,
}

impl DemoPorts {
    /// The capture filter: each server's own end (protocol, address, port),
    /// plus the ICMP port unreachable that quotes a datagram to our closed UDP
    /// port on 127.0.0.1. A bare `port N` would not do: the kernel hands out
    /// TCP and UDP ports, and ports on 127.0.0.1 and ::1, independently, so
    /// another program on the machine may hold our UDP port number in TCP,
    /// or our 127.0.0.1 port on ::1, and its traffic would show. The ends
    /// named here are held by our sockets for the whole run, so nothing else
    /// on `lo` shows. ICMP carries the port only inside the quoted datagram:
    /// 8 bytes of ICMP header, then the quoted IPv4 header (its destination
    /// at 16), then the UDP header (its destination port at 2).
    pub fn filter_expression(&self) -> String {
        let mut parts = Vec::new();
        let mut ends = |family: &str, proto: &str, host: &str, ports: &[u16]| {
            if ports.is_empty() {
                return;
            }
            let any = |dir: &str| {
                let one: Vec<String> = ports.iter().map(|p| format!("{dir} port {p}")).collect();
                format!("{dir} host {host} and ({})", one.join(" or "))
            };
            parts.push(format!(
                "({family} and {proto} and (({}) or ({})))",
                any("src"),
                any("dst")
            ));
        };
        ends("ip", "tcp", "127.0.0.1", &self.tcp);
        ends("ip", "udp", "127.0.0.1", &self.udp);
        ends("ip6", "tcp", "::1", &self.tcp6);
        parts.push(format!(
            "(icmp and icmp[icmptype] = icmp-unreach and icmp[24:4] = 0x7f000001 \
             and icmp[30:2] = {})",
            self.closed_udp
        ));
        parts.join(" or ")
    }
}

impl std::fmt::Display for DemoPorts {
    /// `tcp [..], udp [..], tcp6 [..]`, for the line that says what is captured.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tcp {:?}, udp {:?}", self.tcp, self.udp)?;
        if !self.tcp6.is_empty() {
            write!(f, ", tcp6 {:?}", self.tcp6)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::DemoPorts;
    use crate::filter::Filter;
    use crate::packet::LinkType;
    use etherparse::PacketBuilder;

    const LO4: [u8; 4] = [127, 0, 0, 1];

    fn ports() -> DemoPorts {
        DemoPorts {
            tcp: vec![40001, 40002],
            udp: vec![40003, 40004],
            tcp6: vec![40005],
            closed_udp: 40004,
        }
    }

    /// An Ethernet frame as `lo` shows it (zero MACs) from a builder step.
    fn eth() -> etherparse::PacketBuilderStep<etherparse::Ethernet2Header> {
        PacketBuilder::ethernet2([0; 6], [0; 6])
    }

    fn tcp4(src: [u8; 4], sport: u16, dst: [u8; 4], dport: u16) -> Vec<u8> {
        let b = eth().ipv4(src, dst, 64).tcp(sport, dport, 1, 65535);
        let mut out = Vec::new();
        b.write(&mut out, &[]).unwrap();
        out
    }

    fn udp4(src: [u8; 4], sport: u16, dst: [u8; 4], dport: u16) -> Vec<u8> {
        let b = eth().ipv4(src, dst, 64).udp(sport, dport);
        let mut out = Vec::new();
        b.write(&mut out, b"x").unwrap();
        out
    }

    fn tcp6(sport: u16, dport: u16) -> Vec<u8> {
        let lo6 = std::net::Ipv6Addr::LOCALHOST.octets();
        let b = eth().ipv6(lo6, lo6, 64).tcp(sport, dport, 1, 65535);
        let mut out = Vec::new();
        b.write(&mut out, &[]).unwrap();
        out
    }

    /// The ICMP port unreachable 127.0.0.1 sends back for a datagram to
    /// `dst:dport`, quoting its IPv4 and UDP headers.
    fn unreachable(dst: [u8; 4], dport: u16) -> Vec<u8> {
        let quoted = udp4(LO4, 50000, dst, dport);
        let b = eth()
            .ipv4(LO4, LO4, 64)
            .icmpv4(etherparse::Icmpv4Type::DestinationUnreachable(
                etherparse::icmpv4::DestUnreachableHeader::Port,
            ));
        let mut out = Vec::new();
        b.write(&mut out, &quoted[14..]).unwrap();
        out
    }

    fn shown(pkt: &[u8]) -> bool {
        let filter = Filter::parse(&ports().filter_expression()).unwrap();
        filter.matches(LinkType::Ethernet, pkt, pkt.len() as u32)
    }

    #[test]
    fn the_filter_takes_our_ends_in_both_directions() {
        assert!(shown(&tcp4(LO4, 50000, LO4, 40001)));
        assert!(shown(&tcp4(LO4, 40002, LO4, 50000)));
        assert!(shown(&udp4(LO4, 50000, LO4, 40003)));
        assert!(shown(&udp4(LO4, 40004, LO4, 50000)));
        assert!(shown(&tcp6(50000, 40005)));
        assert!(shown(&tcp6(40005, 50000)));
        assert!(shown(&unreachable(LO4, 40004)));
    }

    /// Another program's traffic on a port number we hold in the other
    /// protocol, the other family or on another loopback address is not ours.
    #[test]
    fn the_filter_leaves_other_programs_on_the_same_numbers() {
        // Our UDP port number, in TCP (what reddened a CI run: a concurrent
        // echo server got our UDP chat port number for its TCP listener).
        assert!(!shown(&tcp4(LO4, 50000, LO4, 40003)));
        assert!(!shown(&udp4(LO4, 50000, LO4, 40001)));
        // Our 127.0.0.1 TCP port, on ::1; our ::1 port on 127.0.0.1.
        assert!(!shown(&tcp6(50000, 40001)));
        assert!(!shown(&tcp4(LO4, 50000, LO4, 40005)));
        // Our port number on another loopback address.
        assert!(!shown(&tcp4(LO4, 50000, [127, 0, 0, 2], 40001)));
        assert!(!shown(&tcp4([127, 0, 0, 2], 40001, LO4, 50000)));
        // An ICMP error about another address's datagram, or another port.
        assert!(!shown(&unreachable([127, 0, 0, 2], 40004)));
        assert!(!shown(&unreachable(LO4, 40003)));
    }

    #[test]
    fn the_line_names_each_protocol() {
        assert_eq!(
            ports().to_string(),
            "tcp [40001, 40002], udp [40003, 40004], tcp6 [40005]"
        );
    }
}
