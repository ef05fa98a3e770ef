//! The ICMP and ICMPv6 part of a line, in tcpdump's words: echo id and
//! sequence, what an unreachable message quotes, neighbor discovery
//! targets. The fields come from `decode::icmp`'s view.

use crate::decode::checksum::{Checksums, TransportSum};
use crate::decode::icmp::{IcmpMessage, QuotedTransport};
use crate::decode::names;
use etherparse::IpNumber;
use std::io::{self, Write};

pub(super) fn write_icmpv4(w: &mut Vec<u8>, icmp: &[u8], ip_payload_len: usize) -> io::Result<()> {
    w.write_all(b"ICMP ")?;
    let Some(m) = IcmpMessage::new_checked(icmp) else {
        // etherparse only slices whole 8-byte headers; say what we know.
        return write!(w, "length {ip_payload_len}");
    };
    let (t, code) = (m.icmp_type(), m.code());
    match t {
        0 | 8 => write!(
            w,
            "{}, id {}, seq {}",
            names::icmpv4_type(t),
            m.echo_id(),
            m.echo_seq()
        )?,
        3 => write_icmpv4_unreach(w, &m)?,
        11 => w.write_all(if code == 0 {
            b"time exceeded in-transit"
        } else {
            b"ip reassembly time exceeded"
        })?,
        _ if names::icmpv4_type(t) != "unknown" => w.write_all(names::icmpv4_type(t).as_bytes())?,
        _ => write!(w, "type-#{t}")?,
    }
    write!(w, ", length {ip_payload_len}")
}

/// `ICMP 127.0.0.1 udp port 9 unreachable`: the quoted datagram says what
/// could not be reached.
fn write_icmpv4_unreach(w: &mut Vec<u8>, m: &IcmpMessage<'_>) -> io::Result<()> {
    let code = m.code();
    // Only an IPv4 datagram is what an ICMP (v4) error quotes.
    let quoted = m.quoted().filter(|q| q.dst.is_ipv4());
    let port = quoted.and_then(|q| q.transport).map(|t| match t {
        QuotedTransport::Tcp(p) | QuotedTransport::Udp(p) => p,
    });
    match (code, quoted, port) {
        (3, Some(q), Some(port)) => {
            let p = if q.proto == IpNumber::TCP {
                "tcp"
            } else {
                "udp"
            };
            write!(w, "{} {p} port {port} unreachable", q.dst)
        }
        (2, Some(q), _) => write!(w, "{} protocol {} unreachable", q.dst, q.proto.0),
        (1, Some(q), _) => write!(w, "host {} unreachable", q.dst),
        (0, Some(q), _) => write!(w, "net {} unreachable", q.dst),
        _ => write!(w, "{}", names::icmpv4_unreach_code(code)),
    }
}

/// `[icmp6 sum ok] ` or `[bad icmp6 cksum] ` (`-v`).
pub(super) fn write_icmpv6_checksum(w: &mut Vec<u8>, sums: &Checksums) -> io::Result<()> {
    match sums.transport {
        Some(TransportSum::Icmpv6(v)) if v.is_correct() => w.write_all(b"[icmp6 sum ok] "),
        Some(TransportSum::Icmpv6(_)) => w.write_all(b"[bad icmp6 cksum] "),
        _ => Ok(()),
    }
}

/// The name tcpdump gives an ICMPv6 type.
pub(super) fn icmpv6_name(t: u8) -> &'static str {
    names::icmpv6_type(t)
}

/// ICMPv6 in tcpdump's words (its `-v` form moves or drops the length for
/// some types; we follow it so lines compare equal).
pub(super) fn write_icmpv6(
    w: &mut Vec<u8>,
    icmp: &[u8],
    ip_payload_len: usize,
    verbose: bool,
) -> io::Result<()> {
    w.write_all(b"ICMP6, ")?;
    let Some(m) = IcmpMessage::new_checked(icmp) else {
        return write!(w, "length {ip_payload_len}");
    };
    let (t, code) = (m.icmp_type(), m.code());
    match t {
        128 | 129 => {
            write!(
                w,
                "{}, id {}, seq {}",
                names::icmpv6_type(t),
                m.echo_id(),
                m.echo_seq()
            )?;
            if verbose {
                return Ok(());
            }
        }
        1 => {
            write!(
                w,
                "destination unreachable, {}",
                names::icmpv6_unreach_code(code)
            )?;
            if let Some(q) = m.quoted().filter(|q| q.dst.is_ipv6()) {
                match q.transport {
                    Some(QuotedTransport::Udp(p)) => write!(w, ", {} udp port {p}", q.dst)?,
                    Some(QuotedTransport::Tcp(p)) => write!(w, ", {} tcp port {p}", q.dst)?,
                    None => write!(w, ", {}", q.dst)?,
                }
            }
        }
        135 | 136 if m.nd_target().is_some() => {
            let target = m.nd_target().unwrap_or(std::net::Ipv6Addr::UNSPECIFIED);
            let (name, what) = if t == 135 {
                ("neighbor solicitation", "who has")
            } else {
                ("neighbor advertisement", "tgt is")
            };
            if verbose {
                return write!(w, "{name}, length {ip_payload_len}, {what} {target}");
            }
            write!(w, "{name}, {what} {target}")?
        }
        // tcpdump names the message, then finds its target missing.
        135 | 136 => return write!(w, "{} [|icmp6]", names::icmpv6_type(t)),
        _ if names::icmpv6_type(t) != "unknown" => w.write_all(names::icmpv6_type(t).as_bytes())?,
        _ => write!(w, "type-#{t}")?,
    }
    write!(w, ", length {ip_payload_len}")
}
