//! tcpdump's `-T type`: every UDP datagram (and, for three of the types,
//! every TCP segment's payload; for `carp`, IP protocol 112) is read as
//! that protocol whatever its ports, the way RTP, RTCP and NetFlow — which
//! have no port of their own — get decoded at all.
//!
//! What tcpdump 4.99 does with the type, and so what sockscope does:
//! - UDP: the type's printer replaces the port chain, the NFS test and the
//!   `-v` checksum verdict; the types without a UDP printer (`carp`,
//!   `zmtp1`, `resp`) print nothing after `IP ` (tcpdump leaves the
//!   addresses out too), and `rpc`'s printers say the addresses their
//!   own way ([`super::sunrpc`]).
//! - TCP: `zmtp1`, `resp` and `domain` replace the port chain; under
//!   every other type tcpdump decodes no TCP payload at all.
//! - IP protocol 112: CARP's printer instead of VRRP's under `carp`.
//!
//! The type holds for the run (`pipeline::Pipeline::new` sets it, as
//! tcpdump's is a global option), so the printers in every thread and the
//! `--json` objects see the same one.

use super::Dissector;
use std::sync::atomic::{AtomicU8, Ordering};

/// A `-T` type, by tcpdump's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketType {
    Vat,
    Wb,
    Rpc,
    Rtp,
    Rtcp,
    Snmp,
    Cnfp,
    Tftp,
    Aodv,
    Carp,
    Radius,
    Zmtp1,
    Vxlan,
    Pgm,
    PgmZmtp1,
    Lmp,
    Resp,
    Ptp,
    Someip,
    Domain,
}

/// tcpdump's names, in its order (`tcpdump.c`'s `-T` branch).
const NAMES: &[(&str, PacketType)] = &[
    ("vat", PacketType::Vat),
    ("wb", PacketType::Wb),
    ("rpc", PacketType::Rpc),
    ("rtp", PacketType::Rtp),
    ("rtcp", PacketType::Rtcp),
    ("snmp", PacketType::Snmp),
    ("cnfp", PacketType::Cnfp),
    ("tftp", PacketType::Tftp),
    ("aodv", PacketType::Aodv),
    ("carp", PacketType::Carp),
    ("radius", PacketType::Radius),
    ("zmtp1", PacketType::Zmtp1),
    ("vxlan", PacketType::Vxlan),
    ("pgm", PacketType::Pgm),
    ("pgm_zmtp1", PacketType::PgmZmtp1),
    ("lmp", PacketType::Lmp),
    ("resp", PacketType::Resp),
    ("ptp", PacketType::Ptp),
    ("someip", PacketType::Someip),
    ("domain", PacketType::Domain),
];

/// What a UDP datagram becomes under a type.
#[derive(Clone, Copy)]
pub enum UdpAs {
    /// The addresses and ports, then this protocol's text.
    Dissector(&'static Dissector),
    /// The addresses and ports, then the tunnel's header and the packet
    /// inside (`vxlan`).
    Vxlan,
    /// Nothing at all after `IP ` (a type tcpdump's UDP printer has no
    /// case for).
    Nothing,
    /// An RPC message whose printer says the addresses itself (`rpc`).
    Rpc,
}

impl PacketType {
    /// The type tcpdump calls `name`, or tcpdump's words for a name it
    /// does not know.
    pub fn parse(name: &str) -> Result<PacketType, String> {
        let Some(&(_, t)) = NAMES.iter().find(|(n, _)| *n == name) else {
            let known: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "unknown packet type `{name}' (tcpdump's -T types: {})",
                known.join(", ")
            ));
        };
        Ok(t)
    }

    /// tcpdump's name of the type.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("", |(n, _)| n)
    }

    /// What a UDP datagram is read as.
    pub fn udp(self) -> UdpAs {
        use super::*;
        UdpAs::Dissector(match self {
            PacketType::Vat => &vat::VAT,
            PacketType::Wb => &wb::WB,
            PacketType::Rtp => &rtp::RTP,
            PacketType::Rtcp => &rtp::RTCP,
            PacketType::Snmp => &snmp::SNMP,
            PacketType::Cnfp => &cnfp::CNFP,
            PacketType::Tftp => &tftp::TFTP,
            PacketType::Aodv => &aodv::AODV,
            PacketType::Radius => &radius::RADIUS,
            PacketType::Lmp => &lmp::LMP,
            PacketType::Ptp => &ptp::PTP,
            PacketType::Someip => &someip::SOMEIP,
            PacketType::Domain => &dns::DNS,
            PacketType::Pgm | PacketType::PgmZmtp1 => &pgm::PGM_UDP,
            PacketType::Vxlan => return UdpAs::Vxlan,
            PacketType::Rpc => return UdpAs::Rpc,
            PacketType::Carp | PacketType::Zmtp1 | PacketType::Resp => {
                return UdpAs::Nothing;
            }
        })
    }

    /// The protocol a TCP segment's payload is read as, if the type says
    /// one (none: tcpdump's TCP printer then decodes no payload).
    pub fn tcp(self) -> Option<&'static Dissector> {
        match self {
            PacketType::Resp => Some(&super::resp::RESP),
            PacketType::Zmtp1 => Some(&super::zmtp1::ZMTP1),
            PacketType::Domain => Some(&super::dns::DNS_TCP),
            _ => None,
        }
    }
}

/// The type of the run, 0 for none (else its index in [`NAMES`] + 1).
static FORCED: AtomicU8 = AtomicU8::new(0);

/// Set (or clear) the run's `-T` type.
pub fn set(t: Option<PacketType>) {
    let code = t
        .and_then(|t| NAMES.iter().position(|(_, n)| *n == t))
        .map_or(0, |i| i as u8 + 1);
    FORCED.store(code, Ordering::Relaxed);
}

/// The run's `-T` type, if one was given.
pub fn get() -> Option<PacketType> {
    let code = FORCED.load(Ordering::Relaxed);
    let i = usize::from(code.checked_sub(1)?);
    NAMES.get(i).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_and_round_trips() {
        for (name, t) in NAMES {
            let p = PacketType::parse(name).expect("tcpdump's type");
            assert_eq!(p, *t);
            assert_eq!(p.name(), *name);
        }
        let e = PacketType::parse("foo").unwrap_err();
        assert!(e.starts_with("unknown packet type `foo'"), "{e}");
    }

    #[test]
    fn udp_and_tcp_reading_follow_tcpdump() {
        assert!(matches!(PacketType::Carp.udp(), UdpAs::Nothing));
        assert!(matches!(PacketType::Vxlan.udp(), UdpAs::Vxlan));
        assert!(matches!(PacketType::Rtp.udp(), UdpAs::Dissector(d) if d.name == "rtp"));
        assert_eq!(PacketType::Domain.tcp().map(|d| d.name), Some("domain"));
        assert!(PacketType::Rtp.tcp().is_none());
    }
}
