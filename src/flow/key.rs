//! The key that puts both directions of a conversation into one flow
//! ([`FlowKey`], made of two [`Endpoint`]s). What the tracker sees of a
//! packet ([`FlowPacket`]) is read in `crate::decode::flow_view` and
//! re-exported here with its [`Proto`].

pub use crate::decode::flow_view::{FlowPacket, Proto};
use crate::decode::ip6_text::IpText;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One side of a conversation: address and port. The address is held as one
/// 128-bit number (IPv4 as IPv4-mapped IPv6) so comparing and hashing keys is
/// a few integer operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub addr: u128,
    pub port: u16,
    pub v4: bool,
}

impl Endpoint {
    pub fn new(ip: IpAddr, port: u16) -> Self {
        match ip {
            IpAddr::V4(a) => Endpoint {
                addr: 0xffff_0000_0000 | u32::from(a) as u128,
                port,
                v4: true,
            },
            IpAddr::V6(a) => Endpoint {
                addr: u128::from(a),
                port,
                v4: false,
            },
        }
    }
    pub fn ip(&self) -> IpAddr {
        if self.v4 {
            IpAddr::V4(Ipv4Addr::from(self.addr as u32))
        } else {
            IpAddr::V6(Ipv6Addr::from(self.addr))
        }
    }

    /// The address as tcpdump, tshark and Zeek print it (glibc's
    /// `inet_ntop`: `::1.2.3.4`, where Rust writes `::102:304`).
    pub fn ip_text(&self) -> IpText {
        IpText(self.ip())
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ip() {
            IpAddr::V4(a) => write!(f, "{a}:{}", self.port),
            IpAddr::V6(_) => write!(f, "[{}]:{}", self.ip_text(), self.port),
        }
    }
}

/// Direction-independent key: the two endpoints in a fixed order.
#[derive(Clone, Copy, Debug, Eq)]
pub struct FlowKey {
    pub lo: Endpoint,
    pub hi: Endpoint,
    pub proto: Proto,
}

impl FlowKey {
    /// The key of a packet, and whether the packet goes from `lo` to `hi`.
    pub fn of(p: &FlowPacket) -> (FlowKey, bool) {
        Self::between(
            Endpoint::new(p.src, p.sport),
            Endpoint::new(p.dst, p.dport),
            p.proto,
        )
    }

    /// The key of a packet from `a` to `b`, and whether `a` is its `lo`.
    pub fn between(a: Endpoint, b: Endpoint, proto: Proto) -> (FlowKey, bool) {
        if a <= b {
            (
                FlowKey {
                    lo: a,
                    hi: b,
                    proto,
                },
                true,
            )
        } else {
            (
                FlowKey {
                    lo: b,
                    hi: a,
                    proto,
                },
                false,
            )
        }
    }

    /// Three words that identify the key, for the table's hasher.
    pub(crate) fn words(&self) -> [u64; 3] {
        let (a, b) = (self.lo.addr, self.hi.addr);
        [
            (a as u64) ^ ((b as u64).rotate_left(29)),
            ((a >> 64) as u64) ^ (((b >> 64) as u64).rotate_left(41)),
            (self.lo.port as u64)
                | (self.hi.port as u64) << 16
                | (self.proto.number() as u64) << 32,
        ]
    }
}

/// The derived comparison, field by field (each address in two halves,
/// then the ports, the flags and the protocol's variant), was a third of
/// the tracker's table lookup: the addresses whole, then everything else
/// packed in one word.
impl PartialEq for FlowKey {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.lo.addr == other.lo.addr
            && self.hi.addr == other.hi.addr
            && self.rest() == other.rest()
    }
}

impl FlowKey {
    /// The ports, the address families and the protocol in one word (the
    /// protocol's number tells every [`Proto`] apart).
    #[inline]
    fn rest(&self) -> u64 {
        u64::from(self.lo.port)
            | u64::from(self.hi.port) << 16
            | u64::from(self.lo.v4) << 32
            | u64::from(self.hi.v4) << 33
            | u64::from(self.proto.number()) << 40
    }
}

impl std::hash::Hash for FlowKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for w in self.words() {
            state.write_u64(w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::tcp_flags::TcpFlags;
    use crate::decode::tcp_seq::SeqNumber;
    use crate::packet::Timestamp;

    #[test]
    fn key_is_the_same_both_ways() {
        let mut p = FlowPacket {
            ts: Timestamp(0),
            src: "10.0.0.2".parse().unwrap(),
            dst: "10.0.0.1".parse().unwrap(),
            proto: Proto::Tcp,
            sport: 5,
            dport: 80,
            seq: SeqNumber(0),
            ack: SeqNumber(0),
            flags: TcpFlags::NONE,
            window: 0,
            wscale: None,
            payload_len: 0,
            ip_len: 40,
            bad_checksum: false,
            service: None,
            icmp: None,
        };
        let (k1, d1) = FlowKey::of(&p);
        std::mem::swap(&mut p.src, &mut p.dst);
        std::mem::swap(&mut p.sport, &mut p.dport);
        let (k2, d2) = FlowKey::of(&p);
        assert_eq!(k1, k2);
        assert_ne!(d1, d2);
    }
}
