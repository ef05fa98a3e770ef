//! The IPv4 and IPv6 part of a line (`IP`/`IP6`, the `-v` header fields,
//! IPv6 extension headers, later fragments) and the hand-over to the
//! transport printers with the two [`Endpoints`].

use super::{LineOptions, LinePrinter, icmp, tcp, udp};
use crate::decode::checksum::Checksums;
use crate::decode::ip_options::{self, IpOpt};
use crate::decode::{ipv6_ext, names};
use crate::flow::{Endpoint, FlowKey, Proto};
use crate::output::fmt::{put_ipv4, put_num};
use etherparse::{IpNumber, LaxIpv4Slice, LaxIpv6Slice, TransportSlice};
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What the IP layer hands to the transport printers.
pub(super) struct IpPart {
    pub ep: Endpoints,
    /// The protocol IP says it carries.
    pub proto: IpNumber,
    /// Length of what IP carries, as the header says (what tcpdump prints
    /// for protocols it has no printer for).
    pub payload_len: usize,
}

/// `IP ` (or the `-v` header fields), then nothing more for a later
/// fragment (`None`: the line is complete).
pub(super) fn write_ipv4(
    w: &mut Vec<u8>,
    ip: &LaxIpv4Slice<'_>,
    opts: &LineOptions,
    sums: &Checksums,
    link_shown: bool,
) -> io::Result<Option<IpPart>> {
    let h = ip.header();
    let src = Ipv4Addr::from(h.source());
    let dst = Ipv4Addr::from(h.destination());
    let payload = ip.payload();
    let payload_len = (h.total_len() as usize).saturating_sub(h.slice().len());
    if opts.verbose > 0 {
        if !link_shown {
            w.write_all(b"IP ")?;
        }
        let tos = (h.dcp().value() << 2) | h.ecn().value();
        write!(w, "(tos 0x{tos:x}")?;
        match tos & 3 {
            1 => w.write_all(b",ECT(1)")?,
            2 => w.write_all(b",ECT(0)")?,
            3 => w.write_all(b",CE")?,
            _ => {}
        }
        // tcpdump leaves out a zero TTL.
        if h.ttl() > 0 {
            write!(w, ", ttl {}", h.ttl())?;
        }
        write!(
            w,
            ", id {}, offset {}, flags [",
            h.identification(),
            h.fragments_offset().value() as u32 * 8
        )?;
        let flags = [
            (h.more_fragments(), "+"),
            (h.dont_fragment(), "DF"),
            (ip_options::reserved_flag(h.slice()), "rsvd"),
        ];
        let mut any = false;
        for (_, name) in flags.iter().filter(|(set, _)| *set) {
            if any {
                w.write_all(b", ")?;
            }
            w.write_all(name.as_bytes())?;
            any = true;
        }
        if !any {
            w.write_all(b"none")?;
        }
        write!(
            w,
            "], proto {} ({}), length {}",
            names::ip_proto(h.protocol().0),
            h.protocol().0,
            h.total_len()
        )?;
        if !h.options().is_empty() {
            w.write_all(b", options (")?;
            write_ip_options(w, h.options())?;
            w.write_all(b")")?;
        }
        if opts.verify_checksums
            && let Some(v) = sums.ipv4_header
            && !v.is_correct()
        {
            write!(w, ", bad cksum {:x} (->{:x})!", v.stored, v.expected)?;
        }
        w.write_all(b")\n    ")?;
    } else if !link_shown {
        w.write_all(b"IP ")?;
    }
    if payload.fragmented && h.fragments_offset().value() != 0 {
        // Later fragments carry no transport header: tcpdump names the
        // protocol only.
        write!(
            w,
            "{src} > {dst}: ip-proto-{} {}",
            h.protocol().0,
            payload_len
        )?;
        return Ok(None);
    }
    Ok(Some(IpPart {
        ep: Endpoints::V4 { src, dst },
        proto: payload.ip_number,
        payload_len,
    }))
}

/// `IP6 ` (or the `-v` header fields) and the extension headers; `None`
/// when a fragment without its transport ends the line there.
pub(super) fn write_ipv6(
    w: &mut Vec<u8>,
    ip: &LaxIpv6Slice<'_>,
    verbose: bool,
    transport: &Option<TransportSlice<'_>>,
    link_shown: bool,
) -> io::Result<Option<IpPart>> {
    let h = ip.header();
    let src = Ipv6Addr::from(h.source());
    let dst = Ipv6Addr::from(h.destination());
    let payload = ip.payload();
    let exts = ip.extensions();
    let payload_len = (h.payload_length() as usize).saturating_sub(exts.slice().len());
    if !link_shown {
        w.write_all(b"IP6 ")?;
    }
    if verbose {
        w.write_all(b"(")?;
        if h.traffic_class() != 0 {
            write!(w, "class 0x{:02x}, ", h.traffic_class())?;
        }
        if h.flow_label().value() != 0 {
            write!(w, "flowlabel 0x{:05x}, ", h.flow_label().value())?;
        }
        write!(
            w,
            "hlim {}, next-header {} ({}) payload length: {}) ",
            h.hop_limit(),
            names::ip_proto(h.next_header().0),
            h.next_header().0,
            h.payload_length()
        )?;
    }
    let ports_only = !exts.is_empty();
    if ports_only {
        // tcpdump names each extension header after the addresses, then
        // prints the transport with ports only.
        write!(w, "{src} > {dst}: ")?;
        for ext in ipv6_ext::iter(h.next_header().0, exts.slice()) {
            match ext.kind {
                0 => w.write_all(if verbose { b"HBH (padn) " } else { b"HBH " })?,
                60 => w.write_all(if verbose {
                    b"DSTOPT (padn) "
                } else {
                    b"DSTOPT "
                })?,
                43 => w.write_all(b"srcrt ")?,
                51 => w.write_all(b"AH ")?,
                _ => {
                    let (off, id) = ext.fragment().unwrap_or((0, 0));
                    if verbose {
                        write!(w, "frag (0x{id:08x}:{off}|{payload_len}) ")?
                    } else {
                        write!(w, "frag ({off}|{payload_len}) ")?
                    }
                }
            }
        }
        if transport.is_none() && payload.fragmented {
            return Ok(None);
        }
    }
    Ok(Some(IpPart {
        ep: Endpoints::V6 {
            src,
            dst,
            ports_only,
        },
        proto: payload.ip_number,
        payload_len,
    }))
}

impl LinePrinter {
    pub(super) fn write_transport(
        &mut self,
        w: &mut Vec<u8>,
        ip: &IpPart,
        transport: &Option<TransportSlice<'_>>,
        checksums: &Checksums,
    ) -> io::Result<()> {
        let ep = &ip.ep;
        let verbose = self.opts.verbose > 0;
        let sums = self.opts.verify_checksums.then_some(checksums);
        match transport {
            Some(TransportSlice::Tcp(seg)) => {
                ep.write_ports(w, seg.source_port(), seg.destination_port())?;
                let opts = self.opts;
                tcp::write_tcp(w, &opts, &mut self.seq, ep, seg, ip.payload_len, sums)
            }
            Some(TransportSlice::Udp(dgram)) => {
                ep.write_ports(w, dgram.source_port(), dgram.destination_port())?;
                udp::write_udp(w, self.opts.verbose, ep, dgram, sums)
            }
            Some(TransportSlice::Icmpv4(msg)) => {
                ep.write_hosts(w)?;
                icmp::write_icmpv4(w, msg.slice(), ip.payload_len)?;
                if verbose {
                    self.write_quoted(w, msg.slice())?;
                }
                Ok(())
            }
            Some(TransportSlice::Icmpv6(msg)) => {
                ep.write_hosts(w)?;
                if verbose && let Some(sums) = sums {
                    icmp::write_icmpv6_checksum(w, sums)?;
                }
                icmp::write_icmpv6(w, msg.slice(), ip.payload_len, self.opts.verbose)
            }
            _ => {
                ep.write_hosts(w)?;
                match ip.proto {
                    IpNumber::TCP => w.write_all(b"tcp"),
                    IpNumber::UDP => w.write_all(b"udp"),
                    IpNumber::ICMP => w.write_all(b"ICMP"),
                    IpNumber::IPV6_ICMP => w.write_all(b"ICMP6"),
                    IpNumber(p) => write!(w, "ip-proto-{p} {}", ip.payload_len),
                }
            }
        }
    }
}

/// `NOP,RA,LSRR 10.0.0.1, 10.0.0.2`: the options as tcpdump names them.
fn write_ip_options(w: &mut Vec<u8>, bytes: &[u8]) -> io::Result<()> {
    for (i, opt) in ip_options::iter(bytes).enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        let code = match opt {
            IpOpt::Eol => 0,
            IpOpt::Nop => 1,
            IpOpt::Route { code, .. } | IpOpt::Other { code } | IpOpt::BadLength { code, .. } => {
                code
            }
            IpOpt::Timestamp { .. } => 68,
            IpOpt::RouterAlert { .. } => 148,
        };
        match IpOpt::name(code) {
            Some(name) => w.write_all(name.as_bytes())?,
            None => write!(w, "unknown {code}")?,
        }
        match opt {
            IpOpt::BadLength { len, .. } => write!(w, " [bad length {len}]")?,
            IpOpt::RouterAlert { value: Some(v) } if v != 0 => write!(w, " value {v}")?,
            IpOpt::RouterAlert { value: None } => w.write_all(b" [bad length 2]")?,
            IpOpt::Route {
                ptr, addrs, len, ..
            } => {
                // tcpdump's checks, on its unsigned arithmetic (a zero
                // pointer is past every slot).
                let l = u32::from(len);
                if (l + 1) & 3 != 0 {
                    write!(w, " [bad length {len}]")?;
                }
                let p = u32::from(ptr).wrapping_sub(1);
                if p < 3 || p.wrapping_add(1) & 3 != 0 || p > l + 1 {
                    write!(w, " [bad ptr {ptr}]")?;
                }
                for (n, a) in ip_options::route_addrs(addrs, len).enumerate() {
                    write!(w, " {a}")?;
                    if p > 3 + 4 * n as u32 {
                        w.write_all(b",")?;
                    }
                }
            }
            IpOpt::Timestamp {
                len,
                ptr,
                flags,
                data,
            } => write_timestamp_option(w, len, ptr, flags, data)?,
            _ => {}
        }
    }
    Ok(())
}

/// ` TS{TSONLY ^ 1@ 2@}`: the timestamp option as tcpdump writes it
/// (`data`: the bytes from the first entry on).
fn write_timestamp_option(
    w: &mut Vec<u8>,
    len: u8,
    ptr: u8,
    flags: u8,
    data: &[u8],
) -> io::Result<()> {
    let l = u32::from(len);
    w.write_all(b" TS{")?;
    let hop: u32 = if flags & 0xf != 0 { 8 } else { 4 };
    if (l - 4) & (hop - 1) != 0 {
        write!(w, "[bad length {len}]")?;
    }
    let p = u32::from(ptr).wrapping_sub(1);
    if p < 4 || p.wrapping_sub(4) & (hop - 1) != 0 || p > l + 1 {
        write!(w, "[bad ptr {ptr}]")?;
    }
    let mut at = 4;
    match flags & 0xf {
        0 => w.write_all(b"TSONLY")?,
        1 => w.write_all(b"TS+ADDR")?,
        3 => w.write_all(b"PRESPEC")?,
        t => write!(w, "[bad ts type {t}]")?,
    }
    if matches!(flags & 0xf, 0 | 1 | 3) {
        while at < l {
            let Some(stamp) = ip_options::addr_at(data, (at + hop - 8) as usize) else {
                break;
            };
            w.write_all(if p == at { b" ^ " } else { b" " })?;
            write!(w, "{}@", u32::from(stamp))?;
            if hop == 8
                && let Some(a) = ip_options::addr_at(data, (at - 4) as usize)
            {
                write!(w, "{a}")?;
            }
            at += hop;
        }
    }
    if p == at {
        w.write_all(b" ^ ")?;
    }
    if flags >> 4 != 0 {
        write!(w, " [{} hops not recorded]}} ", flags >> 4)
    } else {
        w.write_all(b"}")
    }
}

/// The two addresses of a packet.
pub(super) enum Endpoints {
    V4 {
        src: Ipv4Addr,
        dst: Ipv4Addr,
    },
    /// `ports_only`: the addresses were already printed (before the
    /// extension headers).
    V6 {
        src: Ipv6Addr,
        dst: Ipv6Addr,
        ports_only: bool,
    },
}

impl Endpoints {
    pub fn is_v4(&self) -> bool {
        matches!(self, Endpoints::V4 { .. })
    }

    /// `src > dst: ` (for protocols without ports).
    pub fn write_hosts(&self, w: &mut Vec<u8>) -> io::Result<()> {
        self.write_pair(w, None)
    }

    /// `src.sport > dst.dport: `.
    pub fn write_ports(&self, w: &mut Vec<u8>, sport: u16, dport: u16) -> io::Result<()> {
        self.write_pair(w, Some((sport, dport)))
    }

    fn write_pair(&self, w: &mut Vec<u8>, ports: Option<(u16, u16)>) -> io::Result<()> {
        match (self, ports) {
            (Endpoints::V4 { src, dst }, _) => {
                // By hand: the most common line's hot path.
                let (sport, dport) = ports.unzip();
                for (addr, port, sep) in [(src, sport, &b" > "[..]), (dst, dport, b": ")] {
                    put_ipv4(w, addr);
                    if let Some(port) = port {
                        w.push(b'.');
                        put_num(w, port);
                    }
                    w.extend_from_slice(sep);
                }
                Ok(())
            }
            (
                Endpoints::V6 {
                    ports_only: true, ..
                },
                None,
            ) => Ok(()),
            (
                Endpoints::V6 {
                    ports_only: true, ..
                },
                Some((sport, dport)),
            ) => write!(w, "{sport} > {dport}: "),
            (Endpoints::V6 { src, dst, .. }, None) => write!(w, "{src} > {dst}: "),
            (Endpoints::V6 { src, dst, .. }, Some((sport, dport))) => {
                write!(w, "{src}.{sport} > {dst}.{dport}: ")
            }
        }
    }

    /// The flow tracker's key of a TCP segment between these endpoints,
    /// and whether the sender is the key's `lo` side.
    pub fn tcp_key(&self, sport: u16, dport: u16) -> (FlowKey, bool) {
        let (src, dst) = match self {
            Endpoints::V4 { src, dst } => (IpAddr::V4(*src), IpAddr::V4(*dst)),
            Endpoints::V6 { src, dst, .. } => (IpAddr::V6(*src), IpAddr::V6(*dst)),
        };
        FlowKey::between(
            Endpoint::new(src, sport),
            Endpoint::new(dst, dport),
            Proto::Tcp,
        )
    }
}
