//! The UDP part of a line: `UDP, length N`, a bad length, and the
//! checksum's verdict where tcpdump prints it (IPv4 at `-vv`, IPv6, where
//! the checksum is mandatory, at `-v`). A datagram to or from a port in
//! the dissector table prints that protocol's text instead of the length;
//! one on a tunnel's port hands over to the tunnel printer. With `--app`,
//! a payload recognised by content (QUIC) gets its bracketed summary last.

use super::ip::Endpoints;
use crate::decode::checksum::{Checksums, TransportSum};
use crate::dissect::tunnel::Tunnel;
use crate::dissect::{self, Payload};
use crate::output::fmt::put_num;
use etherparse::UdpSlice;
use std::io::{self, Write};

/// How a UDP line ends.
pub(super) enum UdpEnd<'a> {
    /// `said`: the line says the UDP length is wrong, tcpdump's way;
    /// `jumped`: the protocol's printer read past the capture unchecked
    /// (tcpdump's `longjmp`: the dump then starts at the frame).
    Done { said: bool, jumped: bool },
    /// A tunnel's header comes next, and the packet it carries.
    Tunnel(&'static Tunnel, Payload<'a>),
}

/// What IP says of the datagram: the length of what it carries, as its
/// header says, whether it is a fragment, and the captured bytes it
/// carries (the UDP header first).
pub(super) struct IpLen<'a> {
    pub len: usize,
    pub fragmented: bool,
    pub carried: &'a [u8],
}

/// The datagram's length as tcpdump takes it from the header's `field`:
/// a jumbogram's is 0 (RFC 2675 4), and IP's length rules. Below 8 it is
/// `truncated-udplength N`, even when the capture cut the header after
/// the field.
pub(super) fn length(field: u16, ip_len: usize) -> usize {
    if field == 0 && ip_len > 0xffff {
        ip_len
    } else {
        usize::from(field)
    }
}

/// Whether tcpdump leaves this datagram's addresses and ports to the
/// printer after it, or prints nothing at all: under `-T rpc`, or a type
/// its UDP printer has no case for (`carp`, `resp`), once the length is
/// one it takes.
pub(super) fn own_addresses(udp: &UdpSlice<'_>, ip_len: usize) -> bool {
    use dissect::packet_type::UdpAs;
    dissect::packet_type::get().is_some_and(|t| matches!(t.udp(), UdpAs::Nothing | UdpAs::Rpc))
        && length(udp.length(), ip_len) >= 8
}

/// The text of such a datagram ([`own_addresses`]): RPC's with the
/// addresses, or none; whether it ended with tcpdump's `longjmp`.
pub(super) fn write_own_addresses(
    w: &mut Vec<u8>,
    ep: &Endpoints,
    udp: &UdpSlice<'_>,
    ip_len: usize,
) -> bool {
    use dissect::packet_type::UdpAs;
    let Some(UdpAs::Rpc) = dissect::packet_type::get().map(|t| t.udp()) else {
        return false;
    };
    let p = handed(udp, length(udp.length(), ip_len), ip_len, &[]);
    let (src, dst) = ep.addrs();
    dissect::sunrpc::write_line(w, &p, src, dst)
}

/// Whether the UDP length says more than IP's does (and IP's holds a
/// UDP header).
fn longer_than_ip(ulen: usize, ip_len: usize) -> bool {
    ulen > ip_len && ip_len >= 8
}

/// What the protocols above are handed: the payload, declared as the
/// shorter of UDP's and IP's lengths (a DNS message behind a UDP length
/// past IP's is then too short for its header: `domain [length 8 < 12]
/// (invalid)`); `ulen` is 8 or more.
///
/// The bytes are every captured one IP carries after the UDP header
/// (`carried`, when it holds this datagram), not only the UDP length's:
/// tcpdump bounds its printers' reads by IP's length alone, so a printer
/// that reads past a short UDP length (syslog's `<`, `(invalid)` after a
/// UDP length of 8) finds what follows.
fn handed<'a>(udp: &UdpSlice<'a>, ulen: usize, ip_len: usize, carried: &'a [u8]) -> Payload<'a> {
    let len = if longer_than_ip(ulen, ip_len) {
        ip_len
    } else {
        ulen
    };
    Payload {
        bytes: after_header(udp, carried),
        declared_len: len - 8,
    }
}

/// The captured bytes after the UDP header up to IP's length: `carried`'s
/// when it starts with this datagram's header, the datagram's otherwise.
fn after_header<'a>(udp: &UdpSlice<'a>, carried: &'a [u8]) -> &'a [u8] {
    match carried.split_at_checked(8) {
        Some((head, rest)) if head == udp.header_slice() && rest.len() > udp.payload().len() => {
            rest
        }
        _ => udp.payload(),
    }
}

/// `app`: `--app` was given.
pub(super) fn write_udp<'a>(
    w: &mut Vec<u8>,
    (verbose, app): (u8, bool),
    ep: &Endpoints,
    udp: &UdpSlice<'a>,
    sums: Option<&Checksums>,
    ip: IpLen<'a>,
) -> io::Result<UdpEnd<'a>> {
    let ip_len = ip.len;
    let ulen = length(udp.length(), ip_len);
    if ulen < 8 {
        write!(w, "truncated-udplength {ulen}")?;
        return Ok(UdpEnd::Done {
            said: true,
            jumped: false,
        });
    }
    let long = longer_than_ip(ulen, ip_len);
    let p = handed(udp, ulen, ip_len, ip.carried);
    let (src, dst) = ep.addrs();
    let ports = (udp.source_port(), udp.destination_port());
    // `-T`: the type's printer, before the NFS test and the checksum
    // (`ip.rs` leaves out the whole part for a type without one).
    if dissect::packet_type::get().is_some() {
        if let Some(t) = dissect::tunnel::udp(ports.0, ports.1) {
            return Ok(UdpEnd::Tunnel(t, p));
        }
        let jumped = dissect::udp_payload(ports.0, ports.1, udp.payload()).and_then(|d| {
            dissect::peers::with_packet(src, dst, ports, || d.write_line_cut(w, &p, verbose))
        });
        return Ok(UdpEnd::Done {
            said: false,
            jumped: jumped == Some(true),
        });
    }
    // tcpdump asks whether the datagram is an NFS call or reply before
    // anything else, the checksum included.
    if dissect::nfs::takes_udp(ports.0, ports.1, udp.payload()) {
        let jumped = dissect::peers::with_packet(src, dst, ports, || {
            dissect::nfs::NFS.write_line_cut(w, &p, verbose)
        });
        return Ok(UdpEnd::Done {
            said: false,
            jumped: jumped == Some(true),
        });
    }
    let level = if ep.is_v4() { 2 } else { 1 };
    if verbose >= level
        && let Some(sums) = sums
    {
        match sums.transport {
            Some(TransportSum::UdpNone) => w.write_all(b"[no cksum] ")?,
            Some(TransportSum::Udp(v)) if v.is_correct() => w.write_all(b"[udp sum ok] ")?,
            Some(TransportSum::Udp(v)) => write!(
                w,
                "[bad udp cksum 0x{:04x} -> 0x{:04x}!] ",
                v.stored, v.expected
            )?,
            _ => {}
        }
    }
    if let Some(t) = dissect::tunnel::udp(ports.0, ports.1) {
        return Ok(UdpEnd::Tunnel(t, p));
    }
    // ISAKMP's IKEv1 lines name the initiator from the addresses of the
    // exchange's first packet (tcpdump's cookie table).
    let printed = dissect::udp_payload(ports.0, ports.1, udp.payload()).and_then(|d| {
        dissect::peers::with_packet(src, dst, ports, || d.write_line_cut(w, &p, verbose))
    });
    if printed.is_none() {
        // Only where no protocol took the datagram, and not in a fragment,
        // does tcpdump say the UDP length is wrong.
        if long && !ip.fragmented {
            write!(w, "UDP, bad length {} > {}", ulen - 8, ip_len - 8)?;
            return Ok(UdpEnd::Done {
                said: true,
                jumped: false,
            });
        }
        w.extend_from_slice(b"UDP, length ");
        put_num(w, ulen - 8);
    }
    // `--app`: what tcpdump does not print (QUIC), after its line.
    if app && let Some(h) = dissect::udp_heuristic(udp.payload()) {
        h.write_app(w, &p);
    }
    Ok(UdpEnd::Done {
        said: false,
        jumped: printed == Some(true),
    })
}
