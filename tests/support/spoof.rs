//! Spoofed UDP datagrams on loopback, for the endpoint attack tests: a raw
//! socket (IPPROTO_RAW, so we write the IPv4 header ourselves) sends a
//! datagram whose source is any 127.0.0.x address and port, including the
//! receiving server's own address, which no ordinary socket could bind.
//! Only loopback: [`send`] refuses any other address.

use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use std::net::{IpAddr, SocketAddr, SocketAddrV4};

/// A raw socket, or `None` without CAP_NET_RAW (the caller skips).
pub fn raw() -> Option<Socket> {
    Socket::new(
        Domain::IPV4,
        Type::RAW,
        Some(Protocol::from(libc::IPPROTO_RAW)),
    )
    .ok()
}

fn v4(a: SocketAddr) -> SocketAddrV4 {
    match a {
        SocketAddr::V4(a) if a.ip().is_loopback() => a,
        other => panic!("spoofing is for IPv4 loopback only, not {other}"),
    }
}

/// Sends `payload` from `from` to `to` (both 127.0.0.0/8), UDP checksum 0
/// (none, allowed over IPv4); the kernel fills the IP checksum and length.
pub fn send(raw: &Socket, from: SocketAddr, to: SocketAddr, payload: &[u8]) {
    let (from, to) = (v4(from), v4(to));
    let udp_len = 8 + payload.len();
    let total = 20 + udp_len;
    let mut p = Vec::with_capacity(total);
    p.extend_from_slice(&[
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0,
        0,
        0x40,
        0,
        64,
        17,
        0,
        0,
    ]);
    p.extend_from_slice(&from.ip().octets());
    p.extend_from_slice(&to.ip().octets());
    p.extend_from_slice(&from.port().to_be_bytes());
    p.extend_from_slice(&to.port().to_be_bytes());
    p.extend_from_slice(&(udp_len as u16).to_be_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(payload);
    let dst = SockAddr::from(SocketAddr::new(IpAddr::V4(*to.ip()), 0));
    raw.send_to(&p, &dst).expect("raw send on loopback");
}
