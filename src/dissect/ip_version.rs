//! Over which version of IP a protocol number is decoded. tcpdump takes
//! most protocols from IPv4 and IPv6 alike, but refuses IGMP over IPv6
//! and an Ethernet frame (143) over IPv4 (`[IGMP requires IPv4]
//! (invalid)`), and knows the mobility header (135, 62) in its IPv6
//! printer only (over IPv4 it is a protocol it has no printer for). The
//! registration of an IP protocol says which ([`Over`]), and every
//! dispatch on the IP protocol (the line, `--json`, the flow view's
//! tunnels) asks it with the version that carried the payload. ICMP and
//! ICMPv6, which etherparse slices itself (so no table registers them),
//! have theirs here ([`icmp_over`]): tcpdump refuses each over the other
//! version by name (`[ICMP requires IPv4] (invalid)`), and the line and
//! `--json` both ask [`icmp_over`].

use std::net::IpAddr;

/// The version of the IP header that carried a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpVersion {
    V4,
    V6,
}

impl IpVersion {
    /// The version of a packet between these addresses.
    pub fn of(addr: IpAddr) -> IpVersion {
        match addr {
            IpAddr::V4(_) => IpVersion::V4,
            IpAddr::V6(_) => IpVersion::V6,
        }
    }

    /// tcpdump's name of the version (`[Ethernet requires IPv6]`).
    pub fn name(self) -> &'static str {
        match self {
            IpVersion::V4 => "IPv4",
            IpVersion::V6 => "IPv6",
        }
    }
}

/// Over which versions of IP a registered protocol number is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Over {
    /// IPv4 and IPv6.
    Both,
    /// This version only; over the other, tcpdump's demultiplexer refuses
    /// the protocol by name (`[IGMP requires IPv4] (invalid)`).
    Only(IpVersion),
    /// IPv6 only, where tcpdump's IPv6 printer takes the protocol before
    /// its demultiplexer (the mobility header): over IPv4 it is a
    /// protocol without a printer (`ip-proto-135 8`).
    Ip6Printer,
}

impl Over {
    /// Whether the protocol is decoded when `carrier` carries it.
    pub fn admits(self, carrier: IpVersion) -> bool {
        match self {
            Over::Both => true,
            Over::Only(v) => v == carrier,
            Over::Ip6Printer => carrier == IpVersion::V6,
        }
    }

    /// The version tcpdump says the protocol requires, when `carrier` is
    /// the other one and tcpdump says so.
    pub fn requires(self, carrier: IpVersion) -> Option<IpVersion> {
        match self {
            Over::Only(v) if v != carrier => Some(v),
            _ => None,
        }
    }
}

/// Over which version of IP tcpdump decodes an ICMP message: ICMP (1)
/// over IPv4 only, ICMPv6 (58) over IPv6 only (tcpdump's demultiplexer
/// refuses either over the other version); `None` for other protocols.
pub fn icmp_over(proto: u8) -> Option<Over> {
    match proto {
        1 => Some(Over::Only(IpVersion::V4)),
        58 => Some(Over::Only(IpVersion::V6)),
        _ => None,
    }
}

/// Whether IP of version `carrier` carrying protocol `proto` holds an ICMP
/// message tcpdump decodes (false for ICMP over IPv6, ICMPv6 over IPv4,
/// and any other protocol).
pub fn icmp_admitted(proto: u8, carrier: IpVersion) -> bool {
    icmp_over(proto).is_some_and(|o| o.admits(carrier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_registration_admits_its_versions() {
        let (v4, v6) = (IpVersion::V4, IpVersion::V6);
        assert!(Over::Both.admits(v4) && Over::Both.admits(v6));
        assert!(Over::Only(v4).admits(v4) && !Over::Only(v4).admits(v6));
        assert!(!Over::Ip6Printer.admits(v4) && Over::Ip6Printer.admits(v6));
        // Only a refusal by the demultiplexer names the version.
        assert_eq!(Over::Only(v6).requires(v4), Some(v6));
        assert_eq!(Over::Only(v6).requires(v6), None);
        assert_eq!(Over::Ip6Printer.requires(v4), None);
        assert_eq!(Over::Both.requires(v4), None);
        assert_eq!(IpVersion::of("::1".parse().unwrap()).name(), "IPv6");
        // ICMP is IPv4's, ICMPv6 IPv6's.
        assert!(icmp_admitted(1, v4) && !icmp_admitted(1, v6));
        assert!(icmp_admitted(58, v6) && !icmp_admitted(58, v4));
        assert!(!icmp_admitted(6, v4) && icmp_over(6).is_none());
        assert_eq!(icmp_over(1).and_then(|o| o.requires(v6)), Some(v4));
        assert_eq!(icmp_over(58).and_then(|o| o.requires(v4)), Some(v6));
    }
}
