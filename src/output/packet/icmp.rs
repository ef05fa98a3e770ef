//! The ICMP and ICMPv6 part of a line, in tcpdump's words: echo id and
//! sequence, what an unreachable message quotes, neighbor discovery
//! targets. The fields come from `decode::icmp`'s view.

use super::hex;
use super::nd;
use crate::decode::checksum::{Checksums, TransportSum};
use crate::decode::icmp::{IcmpMessage, QuotedTransport, RouterAdvert};
use crate::decode::names;
use etherparse::IpNumber;
use std::io::{self, Write};

/// Returns `true` when the line ends in tcpdump's ` [|icmp]` (an error
/// whose quoted datagram was cut before what the line names).
pub(super) fn write_icmpv4(
    w: &mut Vec<u8>,
    icmp: &[u8],
    ip_payload_len: usize,
) -> io::Result<bool> {
    let Some(m) = IcmpMessage::new_checked(icmp) else {
        // etherparse only slices whole 8-byte headers; say what we know.
        return write!(w, "ICMP length {ip_payload_len}").map(|()| false);
    };
    if m.icmp_type() == 3 && m.code() <= 3 {
        let quoted = m.quoted().filter(|q| q.dst.is_ipv4());
        let cut = match (m.code(), quoted) {
            (_, None) => true,
            (3, Some(q)) => q.transport.is_none(),
            _ => false,
        };
        if cut {
            w.write_all(b" [|icmp]")?;
            return Ok(true);
        }
    }
    w.write_all(b"ICMP ")?;
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
    write!(w, ", length {ip_payload_len}")?;
    Ok(false)
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

/// `[icmp6 sum ok] ` or `[bad icmp6 cksum 0x0000 -> 0xe24d!] ` (`-v`).
pub(super) fn write_icmpv6_checksum(w: &mut Vec<u8>, sums: &Checksums) -> io::Result<()> {
    match sums.transport {
        Some(TransportSum::Icmpv6(v)) if v.is_correct() => w.write_all(b"[icmp6 sum ok] "),
        Some(TransportSum::Icmpv6(v)) => write!(
            w,
            "[bad icmp6 cksum 0x{:04x} -> 0x{:04x}!] ",
            v.stored, v.expected
        ),
        _ => Ok(()),
    }
}

/// The name tcpdump gives an ICMPv6 type.
pub(super) fn icmpv6_name(t: u8) -> &'static str {
    names::icmpv6_type(t)
}

/// ICMPv6 in tcpdump's words (its `-v` form moves or drops the length for
/// some types; we follow it so lines compare equal). `true` when the
/// line ends where tcpdump gave up on a field without a bounds check of
/// its own (a neighbour message's target cut).
pub(super) fn write_icmpv6(
    w: &mut Vec<u8>,
    icmp: &[u8],
    ip_payload_len: usize,
    level: u8,
) -> io::Result<bool> {
    let verbose = level > 0;
    w.write_all(b"ICMP6, ")?;
    let Some(m) = IcmpMessage::new_checked(icmp) else {
        return write!(w, "length {ip_payload_len}").map(|()| false);
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
                return Ok(false);
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
                write!(w, "{name}, length {ip_payload_len}, {what} {target}")?;
                if t == 136 {
                    w.write_all(b", Flags [")?;
                    let names = [
                        (0x8000_0000, "router"),
                        (0x4000_0000, "solicited"),
                        (0x2000_0000, "override"),
                    ];
                    let flags = m.na_flags();
                    let mut any = false;
                    for (_, name) in names.iter().filter(|(bit, _)| flags & bit != 0) {
                        if any {
                            w.write_all(b", ")?;
                        }
                        w.write_all(name.as_bytes())?;
                        any = true;
                    }
                    if !any {
                        w.write_all(b"none")?;
                    }
                    w.write_all(b"]")?;
                }
                return write_options(w, &m, level).map(|()| false);
            }
            write!(w, "{name}, {what} {target}")?
        }
        // tcpdump names the message, then finds its target missing.
        135 | 136 => {
            // Under -v tcpdump gives the length before it looks further.
            w.write_all(names::icmpv6_type(t).as_bytes())?;
            if verbose {
                write!(w, ", length {ip_payload_len}")?;
            }
            return w.write_all(b" [|icmp6]").map(|()| true);
        }
        // Router solicitation and advertisement: `-v` adds the fields
        // and options below.
        133 | 134 => w.write_all(names::icmpv6_type(t).as_bytes())?,
        _ => return write_icmpv6_other(w, &m, icmp, ip_payload_len, verbose).map(|()| false),
    }
    // tcpdump's -v gives the length after the name of a router message
    // and leaves it off the others.
    if !verbose || matches!(t, 133 | 134) {
        write!(w, ", length {ip_payload_len}")?;
    }
    if verbose
        && t == 134
        && let Some(ra) = m.router_advert()
    {
        write_router_advert(w, &ra)?;
    }
    if verbose && (t == 133 || t == 134) {
        write_options(w, &m, level)?;
    }
    Ok(false)
}

/// The neighbour-discovery options of a router or neighbour message
/// (`-v`).
fn write_options(w: &mut Vec<u8>, m: &IcmpMessage<'_>, level: u8) -> io::Result<()> {
    match m.nd_options() {
        Some(opts) if level > 0 => nd::write_nd_options(w, opts, level),
        _ => Ok(()),
    }
}

/// tcpdump's `-v` line under a router advertisement.
fn write_router_advert(w: &mut Vec<u8>, ra: &RouterAdvert) -> io::Result<()> {
    write!(w, "\n\thop limit {}, Flags [", ra.hop_limit)?;
    let names = [
        (0x80, "managed"),
        (0x40, "other stateful"),
        (0x20, "home agent"),
        (0x04, "proxy"),
    ];
    let mut any = false;
    for (_, name) in names.iter().filter(|(bit, _)| ra.flags & bit != 0) {
        if any {
            w.write_all(b", ")?;
        }
        w.write_all(name.as_bytes())?;
        any = true;
    }
    if !any {
        w.write_all(b"none")?;
    }
    let pref = ["medium", "high", "rsv", "low"]
        .get(usize::from((ra.flags >> 3) & 3))
        .unwrap_or(&"medium");
    write!(
        w,
        "], pref {pref}, router lifetime {}s, reachable time {}ms, retrans timer {}ms",
        ra.lifetime, ra.reachable, ra.retrans
    )
}

/// The ICMPv6 types the default line spells out beyond echo, unreachable
/// and neighbor discovery (MLD, node information, router renumbering,
/// RPL, parameter problem …), and tcpdump's hex lines for a type nobody
/// registered.
fn write_icmpv6_other(
    w: &mut Vec<u8>,
    m: &IcmpMessage<'_>,
    bytes: &[u8],
    len: usize,
    verbose: bool,
) -> io::Result<()> {
    let (t, code) = (m.icmp_type(), m.code());
    match t {
        2 => write!(w, "packet too big, mtu {}", m.word())?,
        3 => w.write_all(if code == 1 {
            b"time exceeded in-transit (reassembly)"
        } else {
            b"time exceeded in-transit"
        })?,
        4 => {
            w.write_all(b"parameter problem")?;
            // tcpdump wants the quoted IPv6 header before anything else.
            if m.body().len() < 40 {
                return w.write_all(b" [|icmp6]");
            }
            let ptr = m.word();
            match code {
                0 => write!(w, ", erroneous - octet {ptr}")?,
                1 => write!(w, ", next header - octet {ptr}")?,
                2 => write!(w, ", option - octet {ptr}")?,
                3 => write!(w, ", incomplete header chain - octet {ptr}")?,
                c => write!(w, ", code-#{c}")?,
            }
        }
        // The version is told by the length on the wire.
        130 if len >= 28 => {
            w.write_all(b"multicast listener query v2")?;
            let Some(g) = m.body_ipv6(0) else {
                return w.write_all(b" [|icmp6]");
            };
            write!(w, " [gaddr {g}")?;
            let sources = m.body_u16(18).unwrap_or(0);
            if sources > 0 {
                if m.len() < 28 + usize::from(sources) * 16 {
                    w.write_all(b" [invalid number of sources]")?;
                } else {
                    write!(w, ", {sources} source(s)")?;
                }
            }
            w.write_all(b"]")?;
        }
        130..=132 => {
            // tcpdump runs the name into the fields (`querymax resp delay`).
            w.write_all(names::icmpv6_type(t).as_bytes())?;
            // A body the capture cut is left out without a mark.
            if let Some(a) = m.body_ipv6(0) {
                write!(w, "max resp delay: {} addr: {a}", m.echo_id())?;
            }
        }
        143 => write!(
            w,
            "multicast listener report v2, {} group record(s)",
            m.echo_seq()
        )?,
        138 => {
            let what = match code {
                0 => "command",
                1 => "result",
                255 => "sequence number reset",
                _ => "code-#",
            };
            write!(w, "router renumbering, {what}, seq={}", m.word())?;
            if m.len() < 40 {
                w.write_all(b" [|icmp6]")?;
            }
        }
        139 => {
            w.write_all(b"who-are-you request")?;
            write_ni_query(w, m)?;
        }
        140 => {
            w.write_all(b"who-are-you reply")?;
            write_ni_reply(w, m)?;
        }
        155 => {
            let name = match code & 0x7f {
                0 => "DODAG Information Solicitation",
                1 => "DODAG Information Object",
                2 => "Destination Advertisement Object",
                3 => "Destination Advertisement Object Ack",
                _ => "unknown",
            };
            let sec = if code & 0x80 != 0 { "(SEC)" } else { "(CLR)" };
            write!(w, "RPL, {sec}{name}")?;
        }
        _ if names::icmpv6_type(t) != "unknown" => w.write_all(names::icmpv6_type(t).as_bytes())?,
        _ => {
            write!(w, "unknown icmp6 type ({t}), length {len}")?;
            return hex::write_hex_lines(w, bytes);
        }
    }
    // tcpdump's -v leaves the length off the line.
    if verbose {
        return Ok(());
    }
    write!(w, ", length {len}")
}

/// tcpdump's query types of node information (RFC 4620).
fn ni_qtype(q: u16) -> &'static str {
    match q {
        0 => "noop",
        1 => "supported qtypes",
        2 => "DNS name",
        3 => "node addresses",
        4 => "IPv4 node addresses",
        _ => "unknown",
    }
}

/// ` node information query (node addresses, subject=ADDR)`. The qtype
/// and flags are the header's last four bytes; the body holds the nonce
/// (0..8), then the subject.
fn write_ni_query(w: &mut Vec<u8>, m: &IcmpMessage<'_>) -> io::Result<()> {
    if m.len() == 12 {
        return Ok(());
    }
    w.write_all(b" node information query")?;
    let Some(qtype) = Some(m.echo_id()).filter(|_| m.len() >= 16) else {
        return w.write_all(b" [|icmp6]");
    };
    write!(w, " ({}", ni_qtype(qtype))?;
    if m.len() == 16 {
        if qtype > 1 {
            w.write_all(b", 03 draft")?;
        }
        return w.write_all(b")");
    }
    if qtype <= 1 {
        return w.write_all(b")");
    }
    match m.code() {
        0 => {
            if let Some(a) = m.body_ipv6(8).filter(|_| m.len() == 32) {
                write!(w, ", subject={a}")?;
            }
        }
        2 => {
            if let Some(a) = m.body_ipv4(8).filter(|_| m.len() == 20) {
                write!(w, ", subject={a}")?;
            }
        }
        1 => {}
        _ => w.write_all(b", unknown subject")?,
    }
    w.write_all(b")")
}

/// ` node information reply (node addresses ADDR(TTL) …)`.
fn write_ni_reply(w: &mut Vec<u8>, m: &IcmpMessage<'_>) -> io::Result<()> {
    w.write_all(b" node information reply")?;
    let Some(qtype) = Some(m.echo_id()).filter(|_| m.len() >= 16) else {
        return w.write_all(b" [|icmp6]");
    };
    w.write_all(b" (")?;
    match m.code() {
        0 => {}
        1 => return w.write_all(b"refused)"),
        _ => return w.write_all(b"unknown)"),
    }
    w.write_all(ni_qtype(qtype).as_bytes())?;
    if qtype == 3 {
        // (TTL, address) pairs after the 16-byte header.
        let mut at = 8;
        while let (Some(ttl), Some(a)) = (m.body_u32(at), m.body_ipv6(at + 4)) {
            write!(w, " {a}({ttl})")?;
            at += 20;
        }
    }
    w.write_all(b")")
}
