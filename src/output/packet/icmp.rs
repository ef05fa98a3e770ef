//! The ICMP and ICMPv6 part of a line, in tcpdump's words: echo id and
//! sequence, what an unreachable message quotes, neighbor discovery
//! targets. The fields come from `decode::icmp`'s view.

use super::ip::IpPart;
use super::write_bit_names;
use super::{hex, icmp6_rr_rpl, mld, nd};
use crate::decode::checksum::{Checksums, TransportSum};
use crate::decode::icmp::{IcmpMessage, QuotedTransport, RouterAdvert};
use crate::decode::icmp_ext::{self, ExtItem};
use crate::decode::{names, partial};
use etherparse::IpNumber;
use std::io::{self, Write};

/// Returns `true` when the line ends in tcpdump's ` [|icmp]` (an error
/// whose quoted datagram was cut before what the line names).
pub(super) fn write_icmpv4(
    w: &mut Vec<u8>,
    icmp: &[u8],
    ip_payload_len: usize,
) -> io::Result<bool> {
    let Some((m, code, word)) =
        IcmpMessage::new_checked(icmp).and_then(|m| Some((m, m.code()?, m.word()?)))
    else {
        // etherparse only slices whole 8-byte headers; say what we know.
        return write!(w, "ICMP length {ip_payload_len}").map(|()| false);
    };
    // The errors whose line names the quoted destination need its header
    // (tcpdump checks a time exceeded's too, though its line does not name
    // it).
    if matches!(m.icmp_type(), 3 | 5 | 11) {
        let quoted = quoted_v4(&m);
        let cut = match (m.icmp_type(), code, quoted) {
            (_, _, None) => true,
            (3, 3, Some(q)) => q.transport.is_none(),
            _ => false,
        };
        if cut {
            w.write_all(b" [|icmp]")?;
            return Ok(true);
        }
    }
    // tcpdump builds a router advertisement's words before it prints
    // any: an address the capture cut leaves only its mark.
    let advert = (m.icmp_type() == 9).then(|| router_advert(&m, word));
    if let Some(None) = advert {
        return w.write_all(b" [|icmp]").map(|()| true);
    }
    w.write_all(b"ICMP ")?;
    let t = m.icmp_type();
    match t {
        9 => w.write_all(advert.flatten().unwrap_or_default().as_bytes())?,
        0 | 8 => write!(
            w,
            "{}, id {}, seq {}",
            names::icmpv4_type(t),
            word >> 16,
            word & 0xffff
        )?,
        3 => write_icmpv4_unreach(w, &m, code, word)?,
        5 => {
            let dst = quoted_v4(&m).map(|q| q.dst);
            let gateway = std::net::Ipv4Addr::from(word);
            let (name, to) = match code {
                0 => ("redirect", "net "),
                1 => ("redirect", "host "),
                2 => ("redirect-tos", "net "),
                3 => ("redirect-tos", "host "),
                _ => ("", ""),
            };
            match (name, dst) {
                ("", Some(dst)) => write!(w, "redirect-#{code} {dst} to {gateway}")?,
                (name, Some(dst)) => write!(w, "{name} {dst} to {to}{gateway}")?,
                (_, None) => w.write_all(b"redirect")?,
            }
        }
        11 => match code {
            0 => w.write_all(b"time exceeded in-transit")?,
            1 => w.write_all(b"ip reassembly time exceeded")?,
            _ => write!(w, "time exceeded-#{code}")?,
        },
        13 => write!(
            w,
            "time stamp query id {} seq {}",
            word >> 16,
            word & 0xffff
        )?,
        // A reply too short for the three times ends in the mark
        // (`quote_checked` says whether tcpdump jumped).
        14 => {
            let times = [0, 4, 8].map(|at| m.body_u32(at));
            let [Some(org), Some(recv), Some(xmit)] = times else {
                w.truncate(w.len() - b"ICMP ".len());
                return w.write_all(b" [|icmp]").map(|()| true);
            };
            write!(
                w,
                "time stamp reply id {} seq {}: org {}, recv {}, xmit {}",
                word >> 16,
                word & 0xffff,
                StampMs(org),
                StampMs(recv),
                StampMs(xmit)
            )?;
        }
        18 => match m.body_u32(0) {
            Some(mask) => write!(w, "address mask is 0x{mask:08x}")?,
            None => {
                w.truncate(w.len() - b"ICMP ".len());
                return w.write_all(b" [|icmp]").map(|()| true);
            }
        },
        12 if code == 0 => write!(w, "parameter problem - octet {}", word >> 24)?,
        12 => write!(w, "parameter problem - code {code}")?,
        _ if icmpv4_name(t) != "unknown" => w.write_all(icmpv4_name(t).as_bytes())?,
        _ => write!(w, "type-#{t}")?,
    }
    write!(w, ", length {ip_payload_len}")?;
    Ok(false)
}

/// Under `-v`, what an unreachable, time exceeded or parameter problem
/// carries after its quote (RFC 4884's extension, RFC 4950's label stack
/// entries), in tcpdump's words:
/// `\n\tICMP Multi-Part extension v2, checksum 0xc55f (correct), length 12`,
/// each object on a line of its own and its contents on the next
/// (`label 100704, tc 0, [S], ttl 1`, or hex). Returns `true` when
/// tcpdump gave up on the packet inside it (its hex dump then starts at
/// the first byte).
pub(super) fn write_multipart(w: &mut Vec<u8>, msg: &[u8], len: usize) -> io::Result<bool> {
    for item in icmp_ext::walk(msg, len) {
        match item {
            ExtItem::Version(v) => write!(w, "\n\tICMP Multi-Part extension v{v}")?,
            ExtItem::Unsupported => w.write_all(b" packet not supported")?,
            ExtItem::Checksum {
                stored,
                correct,
                len,
            } => write!(
                w,
                ", checksum 0x{stored:04x} ({}correct), length {len}",
                if correct { "" } else { "in" }
            )?,
            ExtItem::Object { class, ctype, len } => {
                let name = match class {
                    1 => "MPLS Stack Entry",
                    2 => "Interface Identification",
                    _ => "unknown",
                };
                write!(
                    w,
                    "\n\t  {name} Object ({class}), Class-Type: {ctype}, length {len}"
                )?;
            }
            ExtItem::Label(entry) => {
                write!(
                    w,
                    "\n\t    label {}, tc {}",
                    entry >> 12,
                    (entry >> 9) & 7
                )?;
                if entry & 0x100 != 0 {
                    w.write_all(b", [S]")?;
                }
                write!(w, ", ttl {}", entry & 0xff)?;
            }
            ExtItem::Data(bytes) => hex::write_hex_indented(w, b"\n\t    ", bytes)?,
            ExtItem::DataPastEnd => w.write_all(
                b"\n\t    Dissector error: print_unknown_data called with pointer past end of packet",
            )?,
            ExtItem::Cut => w.write_all(b" [|icmp]")?,
            ExtItem::CutHard => {
                w.write_all(b" [|icmp]")?;
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// A timestamp message's time, milliseconds since midnight UT, as tcpdump
/// prints it: `01:02:03.004`, the hours counted on past 24.
struct StampMs(u32);

impl std::fmt::Display for StampMs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = self.0;
        write!(
            f,
            "{:02}:{:02}:{:02}.{:03}",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000
        )
    }
}

/// An ICMP router advertisement as tcpdump words it (RFC 1256): `router
/// advertisement lifetime 30:00 2: {192.0.2.9 5} {192.0.2.10 256}`, the
/// lifetime in seconds, minutes or hours; an entry size other than two
/// words ends it (` [size 3]`). `None` when an entry it reads was cut.
fn router_advert(m: &IcmpMessage<'_>, word: u32) -> Option<String> {
    use std::fmt::Write as _;
    let (num, size, lifetime) = (word >> 24, (word >> 16) & 0xff, word & 0xffff);
    let mut s = String::from("router advertisement lifetime ");
    // Writing to a String cannot fail.
    let _ = match lifetime {
        0..60 => write!(s, "{lifetime}"),
        60..3600 => write!(s, "{}:{:02}", lifetime / 60, lifetime % 60),
        _ => write!(
            s,
            "{}:{:02}:{:02}",
            lifetime / 3600,
            lifetime % 3600 / 60,
            lifetime % 60
        ),
    };
    let _ = write!(s, " {num}:");
    if size != 2 {
        let _ = write!(s, " [size {size}]");
        return Some(s);
    }
    for i in 0..num as usize {
        let (addr, pref) = m.router_entry(i)?;
        let _ = write!(s, " {{{addr} {pref}}}");
    }
    Some(s)
}

/// Whether tcpdump's own check stopped it on this ICMP message's body (a
/// time exceeded's quote, a port unreachable's quoted protocol byte, a
/// router advertisement's entries): the line then ends without giving up
/// on the packet, and its hex dump starts at the IP header. A port
/// unreachable whose quote has its protocol but not its destination is
/// read without a check.
pub(super) fn quote_checked(icmp: &[u8]) -> bool {
    IcmpMessage::new_checked(icmp).is_some_and(|m| match (m.icmp_type(), m.code()) {
        (3, Some(3)) => m.body_u8(9).is_none(),
        // A timestamp reply too short for its times: tcpdump checks them.
        (14, _) => true,
        (t, _) => t == 11 || t == 9,
    })
}

/// An ICMP message cut inside its 8-byte header: tcpdump names the types
/// whose line needs nothing more (a parameter problem, a source quench,
/// the types it only names) and marks the rest ` [|icmp]`; under `-v` an
/// error then finds the quoted length missing. Returns `true` when tcpdump
/// gave up without a check of its own (its hex dump then starts at the
/// packet's first byte).
/// `sums`: under `-v` with checksums judged, the verdict tcpdump prints
/// after the length (of a whole message shorter than the header too).
pub(super) fn write_icmpv4_short(
    w: &mut Vec<u8>,
    ip: &IpPart<'_>,
    sums: Option<Option<&Checksums>>,
) -> io::Result<bool> {
    let verbose = sums.is_some();
    let (bytes, ip_payload_len) = (ip.payload, ip.payload_len);
    let (Some(t), Some(code)) = (partial::icmp_type(bytes), partial::icmp_code(bytes)) else {
        return w.write_all(b" [|icmp]").map(|()| true);
    };
    match t {
        12 if code != 0 => write!(w, "ICMP parameter problem - code {code}")?,
        12 => match partial::icmp_pointer(bytes) {
            Some(p) => write!(w, "ICMP parameter problem - octet {p}")?,
            None => return w.write_all(b" [|icmp]").map(|()| true),
        },
        // A port unreachable, router advertisements, time exceeded and
        // timestamp replies read fields past the cut after a check of
        // tcpdump's own; echo, the other unreachables, redirects,
        // timestamps and mask replies without one.
        3 if code == 3 => return w.write_all(b" [|icmp]").map(|()| false),
        9 | 11 | 14 => return w.write_all(b" [|icmp]").map(|()| false),
        0 | 3 | 5 | 8 | 13 | 18 => {
            return w.write_all(b" [|icmp]").map(|()| true);
        }
        _ if icmpv4_name(t) != "unknown" => write!(w, "ICMP {}", icmpv4_name(t))?,
        _ => write!(w, "ICMP type-#{t}")?,
    }
    write!(w, ", length {ip_payload_len}")?;
    // A whole message too short for its checksum field: tcpdump sums it
    // (not a fragment's), and reading the field for its complaint gives
    // up on the packet (whatever `-K` says).
    if verbose
        && !ip.fragmented
        && ip_payload_len < 4
        && let Some(whole) = bytes.get(..ip_payload_len)
        && crate::decode::checksum::internet_sum(0, whole) != 0
    {
        return w.write_all(b" [|icmp]").map(|()| true);
    }
    // The verdict comes before the quote the error then finds missing.
    if let Some(Some(sums)) = sums {
        write_icmpv4_checksum(w, sums)?;
    }
    if verbose && crate::decode::icmp::is_icmpv4_error(t) {
        return w.write_all(b"\n\t [|icmp]").map(|()| true);
    }
    Ok(false)
}

/// The name tcpdump's line gives an ICMP type (its table also names the
/// obsolete information request and reply).
fn icmpv4_name(t: u8) -> &'static str {
    match t {
        15 => "information request",
        16 => "information reply",
        t => names::icmpv4_type(t),
    }
}

/// ` (wrong icmp cksum 0 (->92ff)!)` after a line whose ICMP checksum is
/// wrong (`-v`).
pub(super) fn write_icmpv4_checksum(w: &mut Vec<u8>, sums: &Checksums) -> io::Result<()> {
    match sums.transport {
        Some(TransportSum::Icmpv4(v)) if !v.is_correct() => {
            write!(
                w,
                " (wrong icmp cksum {:x} (->{:x})!)",
                v.stored, v.expected
            )
        }
        _ => Ok(()),
    }
}

/// `ICMP 127.0.0.1 udp port 9 unreachable`: the quoted datagram says what
/// could not be reached (`code` and `word`: the header's).
/// The datagram an ICMP (v4) error quotes: an IPv4 one as decoded, its
/// port where the transport is not TCP's or UDP's read at the header's
/// length as tcpdump reads it, and an invalid header read as tcpdump
/// reads it all the same.
fn quoted_v4(m: &IcmpMessage<'_>) -> Option<crate::decode::icmp::Quoted> {
    let raw = m.quoted_v4_raw();
    match m.quoted().filter(|q| q.dst.is_ipv4()) {
        Some(q) => Some(crate::decode::icmp::Quoted {
            transport: q.transport.or(raw.and_then(|r| r.transport)),
            ..q
        }),
        None => raw,
    }
}

fn write_icmpv4_unreach(
    w: &mut Vec<u8>,
    m: &IcmpMessage<'_>,
    code: u8,
    word: u32,
) -> io::Result<()> {
    let quoted = quoted_v4(m);
    let port = quoted.and_then(|q| q.transport).map(|t| match t {
        QuotedTransport::Tcp(p) | QuotedTransport::Udp(p) => p,
    });
    let Some(q) = quoted else {
        return write!(w, "{}", names::icmpv4_unreach_code(code));
    };
    let dst = q.dst;
    match (code, port) {
        (3, Some(port)) => match q.proto {
            IpNumber::TCP => write!(w, "{dst} tcp port {port} unreachable"),
            IpNumber::UDP => write!(w, "{dst} udp port {port} unreachable"),
            p => write!(w, "{dst} protocol {} port {port} unreachable", p.0),
        },
        (2, _) => write!(w, "{dst} protocol {} unreachable", q.proto.0),
        (1, _) => write!(w, "host {dst} unreachable"),
        (0, _) => write!(w, "net {dst} unreachable"),
        (4, _) => match word & 0xffff {
            0 => write!(w, "{dst} unreachable - need to frag"),
            mtu => write!(w, "{dst} unreachable - need to frag (mtu {mtu})"),
        },
        // tcpdump's words for the other codes: which of net or host,
        // and why.
        (5, _) => write!(w, "{dst} unreachable - source route failed"),
        (6, _) => write!(w, "net {dst} unreachable - unknown"),
        (7, _) => write!(w, "host {dst} unreachable - unknown"),
        (8, _) => write!(w, "{dst} unreachable - source host isolated"),
        (9, _) => write!(w, "net {dst} unreachable - admin prohibited"),
        (10, _) => write!(w, "host {dst} unreachable - admin prohibited"),
        (11, _) => write!(w, "net {dst} unreachable - tos prohibited"),
        (12, _) => write!(w, "host {dst} unreachable - tos prohibited"),
        (13, _) => write!(w, "host {dst} unreachable - admin prohibited filter"),
        (14, _) => write!(w, "host {dst} unreachable - host precedence violation"),
        (15, _) => write!(w, "host {dst} unreachable - precedence cutoff"),
        _ => write!(w, "{dst} unreachable - #{code}"),
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

/// tcpdump's words for an ICMPv6 destination unreachable code it knows
/// (the second keeps tcpdump's extra space).
fn unreach_words(code: u8) -> Option<&'static str> {
    Some(match code {
        0 => "unreachable route",
        1 => " unreachable prohibited",
        2 => "beyond scope",
        3 => "unreachable address",
        4 => "unreachable port",
        _ => return None,
    })
}

/// The name tcpdump's table gives an ICMPv6 type; `unknown` for one it
/// lacks.
fn icmpv6_name(t: u8) -> &'static str {
    match t {
        138 => "router renumbering",
        139 => "who-are-you request",
        140 => "who-are-you reply",
        141 => "inverse neighbor solicitation",
        142 => "inverse neighbor advertisement",
        144 => "ha discovery request",
        145 => "ha discovery reply",
        146 => "mobile router solicitation",
        147 => "mobile router advertisement",
        155 => "RPL",
        200 => "mtrace response",
        201 => "mtrace message",
        t => names::icmpv6_type(t),
    }
}

/// The type as tcpdump names it: `unknown icmp6 type (N)` for one its
/// table lacks.
fn write_type_name(w: &mut Vec<u8>, t: u8) -> io::Result<()> {
    match icmpv6_name(t) {
        "unknown" => write!(w, "unknown icmp6 type ({t})"),
        name => w.write_all(name.as_bytes()),
    }
}

/// The types whose `-v` line gives the length right after the name,
/// before tcpdump reads any other field.
fn length_first(t: u8) -> bool {
    matches!(t, 133..=137 | 145 | 147)
}

/// ICMPv6 in tcpdump's words (its `-v` form moves or drops the length for
/// some types; we follow it so lines compare equal), for a whole message
/// or one the capture cut anywhere, inside its 8-byte header too: each
/// field is printed as far as captured, in tcpdump's order. `true` when
/// the line ends where tcpdump gave up on a field without a bounds check
/// of its own (its hex dump then starts at the packet's first byte).
pub(super) fn write_icmpv6(
    w: &mut Vec<u8>,
    icmp: &[u8],
    ip_payload_len: usize,
    level: u8,
) -> io::Result<bool> {
    let verbose = level > 0;
    // Not even the type byte: tcpdump gives up before the name.
    let Some(m) = IcmpMessage::new_lax(icmp) else {
        return w.write_all(b" [|icmp6]").map(|()| true);
    };
    let t = m.icmp_type();
    w.write_all(b"ICMP6, ")?;
    let Some(code) = m.code() else {
        // tcpdump names the type (and gives the -v length of the types
        // that show it first), then reads the code.
        write_type_name(w, t)?;
        if verbose && length_first(t) {
            write!(w, ", length {ip_payload_len}")?;
        }
        return w.write_all(b" [|icmp6]").map(|()| true);
    };
    match t {
        128 | 129 => {
            w.write_all(names::icmpv6_type(t).as_bytes())?;
            let (Some(id), Some(seq)) = (m.echo_id(), m.echo_seq()) else {
                return w.write_all(b" [|icmp6]").map(|()| true);
            };
            write!(w, ", id {id}, seq {seq}")?;
            if verbose {
                return Ok(false);
            }
        }
        1 => {
            // tcpdump's words per code, each naming the quoted destination
            // (and, beyond scope, its source); unknown codes get the hex.
            w.write_all(b"destination unreachable, ")?;
            let words = match unreach_words(code) {
                Some(words) => words,
                None => {
                    write!(w, "unknown unreach code ({code})")?;
                    // tcpdump's -vv leaves the hex to its -x.
                    if level > 1 {
                        return Ok(false);
                    }
                    return hex::write_hex_lines(w, icmp).map(|()| false);
                }
            };
            w.write_all(words.as_bytes())?;
            // tcpdump reads the quoted destination without a check of its
            // own, but looks for a port with one.
            // An invalid quoted header's destination too, where it would
            // be (but for a port unreachable, whose port needs a header).
            let quoted = m.quoted().filter(|q| q.dst.is_ipv6());
            let raw = || (code != 4).then(|| m.quoted_v6_raw()).flatten();
            let Some(q) = quoted.or_else(raw) else {
                return w.write_all(b" [|icmp6]").map(|()| code != 4);
            };
            match (code, q.transport) {
                (4, Some(QuotedTransport::Udp(p))) => write!(w, ", {} udp port {p}", q.dst)?,
                (4, Some(QuotedTransport::Tcp(p))) => write!(w, ", {} tcp port {p}", q.dst)?,
                (4, None) => write!(w, ", {}", q.dst)?,
                (2, _) => match m.body_ipv6(8) {
                    Some(src) => write!(w, " {}, source address {src}", q.dst)?,
                    None => write!(w, " {}", q.dst)?,
                },
                _ => write!(w, " {}", q.dst)?,
            }
        }
        135 | 136 => {
            let (name, what) = if t == 135 {
                ("neighbor solicitation", "who has")
            } else {
                ("neighbor advertisement", "tgt is")
            };
            // Under -v tcpdump gives the length before it looks further.
            w.write_all(name.as_bytes())?;
            if verbose {
                write!(w, ", length {ip_payload_len}")?;
            }
            // tcpdump names the message, then may find its target missing.
            let Some(target) = m.nd_target() else {
                return w.write_all(b" [|icmp6]").map(|()| true);
            };
            write!(w, ", {what} {target}")?;
            if !verbose {
                write!(w, ", length {ip_payload_len}")?;
                return Ok(false);
            }
            if t == 136 {
                w.write_all(b", Flags [")?;
                let names = [
                    (0x8000_0000, "router"),
                    (0x4000_0000, "solicited"),
                    (0x2000_0000, "override"),
                ];
                write_bit_names(w, m.word().unwrap_or_default(), &names)?;
                w.write_all(b"]")?;
            }
            return write_options(w, &m, level).map(|()| false);
        }
        // Router solicitation and advertisement: `-v` adds the fields
        // and options below.
        133 | 134 => w.write_all(names::icmpv6_type(t).as_bytes())?,
        _ => {
            // A time-exceeded quote cut before its destination is one of
            // the fields tcpdump reads without a check of its own.
            let mut cut = t == 3 && code == 0 && m.body_ipv6(24).is_none();
            let (len, at) = (ip_payload_len, (code, &mut cut));
            return write_icmpv6_other(w, &m, icmp, len, level, at).map(|()| cut);
        }
    }
    // tcpdump's -v gives the length after the name of a router message
    // and leaves it off the others.
    if !verbose || matches!(t, 133 | 134) {
        write!(w, ", length {ip_payload_len}")?;
    }
    if verbose && t == 134 {
        let Some(ra) = m.router_advert() else {
            // tcpdump reads the fields without a check of its own.
            return w.write_all(b" [|icmp6]").map(|()| true);
        };
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
        (0x02, "ipv6 only"),
    ];
    write_bit_names(w, ra.flags, &names)?;
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
/// registered; `bytes`: the message as captured, `len`: its length on the
/// wire. `gave_up` is set when tcpdump gave up on the packet without a
/// check of its own.
fn write_icmpv6_other(
    w: &mut Vec<u8>,
    m: &IcmpMessage<'_>,
    bytes: &[u8],
    len: usize,
    level: u8,
    (code, gave_up): (u8, &mut bool),
) -> io::Result<()> {
    let verbose = level > 0;
    let t = m.icmp_type();
    match t {
        2 => {
            w.write_all(b"packet too big")?;
            let Some(mtu) = m.word() else {
                *gave_up = true;
                return w.write_all(b" [|icmp6]");
            };
            write!(w, ", mtu {mtu}")?;
        }
        3 => {
            w.write_all(b"time exceeded in-transit")?;
            match (code, m.body_ipv6(24)) {
                (0, Some(dst)) => write!(w, " for {dst}")?,
                (0, None) => return w.write_all(b" [|icmp6]"),
                (1, _) => w.write_all(b" (reassembly)")?,
                (c, _) => write!(w, ", unknown code ({c})")?,
            }
        }
        137 => {
            w.write_all(b"redirect")?;
            if verbose {
                write!(w, ", length {len}")?;
            }
            let (Some(dst), Some(target)) = (m.body_ipv6(16), m.body_ipv6(0)) else {
                // Read without a check of tcpdump's own.
                *gave_up = true;
                return w.write_all(b" [|icmp6]");
            };
            write!(w, ", {dst} to {target}")?;
            if verbose {
                if let Some(opts) = m.body_from(32) {
                    nd::write_nd_options(w, opts, level)?;
                }
                return Ok(());
            }
        }
        4 => {
            w.write_all(b"parameter problem")?;
            // tcpdump wants the quoted IPv6 header before anything else.
            let (true, Some(ptr)) = (m.body().len() >= 40, m.word()) else {
                return w.write_all(b" [|icmp6]");
            };
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
            // A query cut before its fields ends tcpdump's line there.
            if mld::write_v2(w, m, len, level)? {
                *gave_up = true;
                return Ok(());
            }
        }
        130 if len != 24 => write!(w, "multicast listener query unknown-version (len {len}) ")?,
        130..=132 => {
            // tcpdump runs the name into the fields (`querymax resp delay`).
            w.write_all(names::icmpv6_type(t).as_bytes())?;
            // A body the capture cut is left out without a mark.
            if let (Some(delay), Some(a)) = (m.echo_id(), m.body_ipv6(0)) {
                write!(w, "max resp delay: {delay} addr: {a}")?;
            }
        }
        143 => {
            w.write_all(b"multicast listener report v2")?;
            if mld::write_v2(w, m, len, level)? {
                *gave_up = true;
                return Ok(());
            }
        }
        138 => match (m.len() >= 16, m.word()) {
            // tcpdump checks the fixed 16 bytes before any field.
            (true, Some(seq)) => icmp6_rr_rpl::write_rr(w, m, (code, seq), bytes, level)?,
            _ => return icmp6_rr_rpl::write_rr_cut(w, len, level),
        },
        139 | 140 => {
            use crate::dissect::icmp6_ni::{write_query, write_reply};
            let done = if t == 139 {
                w.write_all(b"who-are-you request")?;
                write_query(w, bytes, verbose)
            } else {
                w.write_all(b"who-are-you reply")?;
                write_reply(w, bytes, len, verbose)
            };
            if done.is_err() {
                *gave_up = true;
                return w.write_all(b" [|icmp6]");
            }
        }
        155 => *gave_up = icmp6_rr_rpl::write_rpl(w, code, bytes, len, level)?,
        // Home agent discovery and mobile prefix messages: an id, and
        // under -v a reply's addresses or an advertisement's flags and
        // options (tcpdump gave their length after the name).
        144..=147 => {
            w.write_all(icmpv6_name(t).as_bytes())?;
            if verbose && length_first(t) {
                write!(w, ", length {len}")?;
            }
            if matches!(t, 144 | 146) || verbose {
                let Some(id) = m.echo_id() else {
                    *gave_up = true;
                    return w.write_all(b" [|icmp6]");
                };
                write!(w, ", id 0x{id:04x}")?;
            }
            if verbose && t == 145 {
                // Addresses up to the length on the wire.
                let end = len.saturating_sub(8);
                for at in (0..end).step_by(16) {
                    let Some(a) = m.body_ipv6(at) else {
                        *gave_up = true;
                        return w.write_all(b" [|icmp6]");
                    };
                    write!(w, ", {a}")?;
                }
            }
            if verbose && t == 147 {
                let Some(flags) = m.echo_seq() else {
                    *gave_up = true;
                    return w.write_all(b" [|icmp6]");
                };
                let names = [(0xc000, " "), (0x8000, "M"), (0x4000, "O")];
                for (bit, name) in names {
                    if flags & bit != 0 {
                        w.write_all(name.as_bytes())?;
                    }
                }
                nd::write_nd_options(w, m.body(), level)?;
            }
        }
        141 | 142 => w.write_all(icmpv6_name(t).as_bytes())?,
        // A type tcpdump has no printer for: its name (or number), the
        // length and the hex.
        _ => {
            write_type_name(w, t)?;
            write!(w, ", length {len}")?;
            // tcpdump's -vv leaves the hex to its -x.
            if level > 1 {
                return Ok(());
            }
            return hex::write_hex_lines(w, bytes);
        }
    }
    // tcpdump's -v leaves the length off the line.
    if verbose {
        return Ok(());
    }
    write!(w, ", length {len}")
}
