//! One line per packet, in `tcpdump -n`'s words so that people read it at
//! once: time, `IP`/`IP6`/`ARP`, `src.port > dst.port:`, `Flags [S.]`,
//! seq/ack (relative after the first ACK-bearing segment, as tcpdump counts
//! them), win, options, length. `-v` adds the IP header fields and the
//! checksums' verdict on a first line, tcpdump's way.

pub mod hex;

use crate::decode::tcp_options::{self, TcpOpt};
use crate::decode::{Decoded, LinkInfo, Problem, ipv6_ext, names};
use crate::output::time::{TimeFormat, TimePrinter};
use crate::packet::Packet;
use etherparse::{
    ArpOperation, EtherType, IpNumber, LaxIpv4Slice, LaxIpv6Slice, LaxNetSlice, TcpSlice,
    TransportSlice, UdpSlice,
};
use std::collections::HashMap;
use std::fmt::Display;
use std::hash::BuildHasherDefault;
use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

/// How the line printer was asked to print.
#[derive(Clone, Copy, Debug)]
pub struct LineOptions {
    pub time: TimeFormat,
    pub verbose: u8,
    /// `-S`: print sequence numbers as they are on the wire.
    pub absolute_seq: bool,
    /// `-v` without `-K`: verify checksums and say so.
    pub verify_checksums: bool,
}

pub struct LinePrinter {
    opts: LineOptions,
    time: TimePrinter,
    seq: SeqBases,
    /// Interface names by index, looked up once each.
    ifnames: HashMap<u32, String>,
    /// The line being built.
    buf: Vec<u8>,
}

/// The name of interface `index` on this host (what tcpdump prints for
/// SLL2 packets), or `ifN` when there is none.
fn interface_name(index: u32) -> String {
    let found = std::fs::read_dir("/sys/class/net").ok().and_then(|dir| {
        dir.flatten().find_map(|e| {
            let idx = std::fs::read_to_string(e.path().join("ifindex")).ok()?;
            (idx.trim().parse::<u32>().ok()? == index)
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
    });
    found.unwrap_or_else(|| format!("if{index}"))
}

impl LinePrinter {
    pub fn new(opts: LineOptions) -> Self {
        LinePrinter {
            opts,
            time: TimePrinter::new(opts.time),
            seq: SeqBases::default(),
            ifnames: HashMap::new(),
            buf: Vec::with_capacity(256),
        }
    }

    /// Print one packet. `note` is appended as is (the TCP analysis marks,
    /// e.g. ` [retransmission]`).
    pub fn write_packet(
        &mut self,
        out: &mut dyn Write,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        note: &dyn Display,
    ) -> io::Result<()> {
        // The line is built in our own buffer and written with one call:
        // many small writes through `dyn Write` cost more than the
        // formatting itself.
        let mut w = std::mem::take(&mut self.buf);
        w.clear();
        let result = self.format_packet(&mut w, pkt, d, note);
        if result.is_ok() {
            out.write_all(&w)?;
        }
        self.buf = w;
        result
    }

    fn format_packet(
        &mut self,
        w: &mut Vec<u8>,
        pkt: &Packet<'_>,
        d: &Decoded<'_>,
        note: &dyn Display,
    ) -> io::Result<()> {
        self.time.write(w, pkt.ts)?;
        w.write_all(b" ")?;
        if let LinkInfo::Cooked {
            packet_type,
            ifindex: Some(ifindex),
            ..
        } = d.link
        {
            // SLL2 (`tcpdump -i any`): interface and direction first.
            let name = self
                .ifnames
                .entry(ifindex)
                .or_insert_with(|| interface_name(ifindex));
            let dir = match packet_type {
                0 => "In",
                1 => "B",
                2 => "M",
                3 => "P",
                4 => "Out",
                _ => "?",
            };
            write!(w, "{name:<5} {dir:<3} ")?;
        }
        self.write_body(w, pkt, d)?;
        write!(w, "{note}")?;
        match &d.problem {
            // The line itself already says the link type is not decoded.
            Some(Problem::UnsupportedLink(_)) | None => {}
            Some(problem) => write!(w, " {problem}")?,
        }
        if pkt.is_truncated() {
            write!(
                w,
                " [captured {} of {} bytes]",
                pkt.data.len(),
                pkt.orig_len
            )?;
        }
        w.write_all(b"\n")
    }

    fn write_body(&mut self, w: &mut Vec<u8>, pkt: &Packet<'_>, d: &Decoded<'_>) -> io::Result<()> {
        let Some(lax) = &d.lax else {
            return match d.link {
                LinkInfo::Unknown(n) => {
                    write!(w, "unsupported link type {n}, length {}", pkt.orig_len)
                }
                _ => write!(w, "length {}", pkt.orig_len),
            };
        };
        match &lax.net {
            Some(LaxNetSlice::Ipv4(ip)) => self.write_ipv4(w, ip, &lax.transport),
            Some(LaxNetSlice::Ipv6(ip)) => self.write_ipv6(w, ip, &lax.transport),
            Some(LaxNetSlice::Arp(arp)) => write_arp(w, arp, pkt, d, self.opts.verbose > 0),
            None => {
                let ether_type = lax.ether_payload().map(|p| p.ether_type).or(match d.link {
                    LinkInfo::Cooked { protocol, .. } => Some(EtherType(protocol)),
                    _ => None,
                });
                match ether_type {
                    Some(t) => write!(
                        w,
                        "ethertype {} (0x{:04x}), length {}",
                        ether_type_name(t),
                        t.0,
                        pkt.orig_len
                    ),
                    None => write!(w, "length {}", pkt.orig_len),
                }
            }
        }
    }

    fn write_ipv4(
        &mut self,
        w: &mut Vec<u8>,
        ip: &LaxIpv4Slice<'_>,
        transport: &Option<TransportSlice<'_>>,
    ) -> io::Result<()> {
        let h = ip.header();
        let src = Ipv4Addr::from(h.source());
        let dst = Ipv4Addr::from(h.destination());
        let payload = ip.payload();
        // Length of what IP carries, as the header says (what tcpdump prints
        // for protocols it has no printer for).
        let ip_payload_len = (h.total_len() as usize).saturating_sub(h.slice().len());
        if self.opts.verbose > 0 {
            let frag = h.fragments_offset().value() as u32 * 8;
            let mut flags = Vec::with_capacity(2);
            if h.more_fragments() {
                flags.push("+");
            }
            if h.dont_fragment() {
                flags.push("DF");
            }
            let flags = if flags.is_empty() {
                "none".to_string()
            } else {
                flags.join(",")
            };
            write!(
                w,
                "IP (tos 0x{:x}, ttl {}, id {}, offset {}, flags [{}], proto {} ({}), length {}",
                (h.dcp().value() << 2) | h.ecn().value(),
                h.ttl(),
                h.identification(),
                frag,
                flags,
                names::ip_proto(h.protocol().0),
                h.protocol().0,
                h.total_len()
            )?;
            if !h.options().is_empty() {
                write!(w, ", options ({} bytes)", h.options().len())?;
            }
            if self.opts.verify_checksums {
                let computed = h.to_header().calc_header_checksum();
                if computed != h.header_checksum() {
                    write!(
                        w,
                        ", bad cksum {:x} (->{:x})!",
                        h.header_checksum(),
                        computed
                    )?;
                }
            }
            w.write_all(b")\n    ")?;
        } else {
            w.write_all(b"IP ")?;
        }
        let ctx = Endpoints::V4 { src, dst };
        if payload.fragmented && h.fragments_offset().value() != 0 {
            // Later fragments carry no transport header: tcpdump names the
            // protocol only.
            return write!(
                w,
                "{src} > {dst}: ip-proto-{} {}",
                h.protocol().0,
                ip_payload_len
            );
        }
        self.write_transport(
            w,
            &ctx,
            payload.ip_number,
            transport,
            ip_payload_len,
            payload.payload,
        )
    }

    fn write_ipv6(
        &mut self,
        w: &mut Vec<u8>,
        ip: &LaxIpv6Slice<'_>,
        transport: &Option<TransportSlice<'_>>,
    ) -> io::Result<()> {
        let h = ip.header();
        let src = Ipv6Addr::from(h.source());
        let dst = Ipv6Addr::from(h.destination());
        let payload = ip.payload();
        let ext_len = ip.extensions().slice().len();
        let ip_payload_len = (h.payload_length() as usize).saturating_sub(ext_len);
        if self.opts.verbose > 0 {
            write!(w, "IP6 (")?;
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
        } else {
            w.write_all(b"IP6 ")?;
        }
        let exts = ip.extensions();
        let ports_only = !exts.is_empty();
        if ports_only {
            // tcpdump names each extension header after the addresses, then
            // prints the transport with ports only.
            write!(w, "{src} > {dst}: ")?;
            let verbose = self.opts.verbose > 0;
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
                            write!(w, "frag (0x{id:08x}:{off}|{ip_payload_len}) ")?
                        } else {
                            write!(w, "frag ({off}|{ip_payload_len}) ")?
                        }
                    }
                }
            }
            if transport.is_none() && payload.fragmented {
                return Ok(());
            }
        }
        let ctx = Endpoints::V6 {
            src,
            dst,
            ports_only,
        };
        self.write_transport(
            w,
            &ctx,
            payload.ip_number,
            transport,
            ip_payload_len,
            payload.payload,
        )
    }

    fn write_transport(
        &mut self,
        w: &mut Vec<u8>,
        ep: &Endpoints,
        proto: IpNumber,
        transport: &Option<TransportSlice<'_>>,
        ip_payload_len: usize,
        ip_payload: &[u8],
    ) -> io::Result<()> {
        match transport {
            Some(TransportSlice::Tcp(tcp)) => self.write_tcp(w, ep, tcp, ip_payload_len),
            Some(TransportSlice::Udp(udp)) => self.write_udp(w, ep, udp, ip_payload),
            Some(TransportSlice::Icmpv4(icmp)) => {
                ep.write_hosts(w)?;
                write_icmpv4(w, icmp.slice(), ip_payload_len)
            }
            Some(TransportSlice::Icmpv6(icmp)) => {
                ep.write_hosts(w)?;
                let verbose = self.opts.verbose > 0;
                if verbose && self.opts.verify_checksums {
                    match ep.icmpv6_checksum_ok(icmp) {
                        Some(true) => w.write_all(b"[icmp6 sum ok] ")?,
                        Some(false) => w.write_all(b"[bad icmp6 cksum] ")?,
                        None => {}
                    }
                }
                write_icmpv6(w, icmp.slice(), ip_payload_len, verbose)
            }
            _ => {
                ep.write_hosts(w)?;
                match proto {
                    IpNumber::TCP => w.write_all(b"tcp"),
                    IpNumber::UDP => w.write_all(b"udp"),
                    IpNumber::ICMP => w.write_all(b"ICMP"),
                    IpNumber::IPV6_ICMP => w.write_all(b"ICMP6"),
                    IpNumber(p) => write!(w, "ip-proto-{p} {ip_payload_len}"),
                }
            }
        }
    }

    fn write_tcp(
        &mut self,
        w: &mut Vec<u8>,
        ep: &Endpoints,
        tcp: &TcpSlice<'_>,
        seg_len: usize,
    ) -> io::Result<()> {
        let (sport, dport) = (tcp.source_port(), tcp.destination_port());
        ep.write_ports(w, sport, dport)?;
        let flags = TcpFlags::of(tcp);
        w.extend_from_slice(b"Flags [");
        w.extend_from_slice(flags.as_str().as_bytes());
        w.push(b']');
        let hdr_len = tcp.header_len();
        let len = seg_len.saturating_sub(hdr_len) as u32;
        if self.opts.verbose > 0 && self.opts.verify_checksums {
            write!(w, ", cksum 0x{:04x}", tcp.checksum())?;
            match ep.tcp_checksum(tcp, seg_len) {
                Some(c) if c == tcp.checksum() => w.write_all(b" (correct)")?,
                Some(c) => write!(w, " (incorrect -> 0x{c:04x})")?,
                None => {}
            }
        }
        let mut seq = tcp.sequence_number();
        let mut ack = tcp.acknowledgment_number();
        let mut sack_base = None;
        if !self.opts.absolute_seq && tcp.ack() {
            let key = ep.conn_key(sport, dport);
            let (s, a) = self.seq.relative(key, seq, ack, tcp.syn());
            sack_base = Some(ack.wrapping_sub(a));
            seq = s;
            ack = a;
        }
        if self.opts.verbose > 1 || len > 0 || tcp.syn() || tcp.fin() || tcp.rst() {
            w.extend_from_slice(b", seq ");
            put_num(w, seq);
            if len > 0 {
                w.push(b':');
                put_num(w, seq.wrapping_add(len));
            }
        }
        if tcp.ack() {
            w.extend_from_slice(b", ack ");
            put_num(w, ack);
        }
        w.extend_from_slice(b", win ");
        put_num(w, tcp.window_size());
        if tcp.urg() {
            write!(w, ", urg {}", tcp.urgent_pointer())?;
        }
        if !tcp.options().is_empty() {
            w.write_all(b", options [")?;
            write_tcp_options(w, tcp.options(), sack_base)?;
            w.write_all(b"]")?;
        }
        w.extend_from_slice(b", length ");
        put_num(w, len);
        Ok(())
    }

    fn write_udp(
        &mut self,
        w: &mut Vec<u8>,
        ep: &Endpoints,
        udp: &UdpSlice<'_>,
        ip_payload: &[u8],
    ) -> io::Result<()> {
        ep.write_ports(w, udp.source_port(), udp.destination_port())?;
        // tcpdump checks IPv4 UDP sums at -vv, IPv6 ones (mandatory there)
        // at -v.
        let level = if matches!(ep, Endpoints::V4 { .. }) {
            2
        } else {
            1
        };
        if self.opts.verbose >= level && self.opts.verify_checksums {
            match ep.udp_checksum(udp, ip_payload) {
                _ if udp.checksum() == 0 && matches!(ep, Endpoints::V4 { .. }) => {
                    w.write_all(b"[no cksum] ")?
                }
                Some(c) if c == udp.checksum() => w.write_all(b"[udp sum ok] ")?,
                Some(c) => write!(w, "[bad udp cksum 0x{:04x} -> 0x{c:04x}!] ", udp.checksum())?,
                None => {}
            }
        }
        let len = (udp.length() as usize).saturating_sub(8);
        w.extend_from_slice(b"UDP, length ");
        put_num(w, len);
        if (udp.length() as usize) < 8 {
            write!(w, " [bad udp length {}]", udp.length())?;
        }
        Ok(())
    }
}

/// The two addresses of a packet, for printing and checksums.
enum Endpoints {
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
    fn write_hosts(&self, w: &mut Vec<u8>) -> io::Result<()> {
        match self {
            Endpoints::V4 { src, dst } => {
                put_ipv4(w, src);
                w.extend_from_slice(b" > ");
                put_ipv4(w, dst);
                w.extend_from_slice(b": ");
                Ok(())
            }
            Endpoints::V6 {
                ports_only: true, ..
            } => Ok(()),
            Endpoints::V6 { src, dst, .. } => write!(w, "{src} > {dst}: "),
        }
    }
    fn write_ports(&self, w: &mut Vec<u8>, sport: u16, dport: u16) -> io::Result<()> {
        match self {
            Endpoints::V4 { src, dst } => {
                put_ipv4(w, src);
                w.push(b'.');
                put_num(w, sport);
                w.extend_from_slice(b" > ");
                put_ipv4(w, dst);
                w.push(b'.');
                put_num(w, dport);
                w.extend_from_slice(b": ");
                Ok(())
            }
            Endpoints::V6 {
                ports_only: true, ..
            } => write!(w, "{sport} > {dport}: "),
            Endpoints::V6 { src, dst, .. } => write!(w, "{src}.{sport} > {dst}.{dport}: "),
        }
    }
    fn conn_key(&self, sport: u16, dport: u16) -> (ConnKey, bool) {
        let (a, b) = match self {
            Endpoints::V4 { src, dst } => {
                (src.to_ipv6_mapped().octets(), dst.to_ipv6_mapped().octets())
            }
            Endpoints::V6 { src, dst, .. } => (src.octets(), dst.octets()),
        };
        ConnKey::new((a, sport), (b, dport))
    }
    /// The TCP checksum the segment should carry, when all of it was
    /// captured.
    fn tcp_checksum(&self, tcp: &TcpSlice<'_>, seg_len: usize) -> Option<u16> {
        if tcp.slice().len() < seg_len {
            return None;
        }
        let header = tcp.to_header();
        match self {
            Endpoints::V4 { src, dst } => header
                .calc_checksum_ipv4_raw(src.octets(), dst.octets(), tcp.payload())
                .ok(),
            Endpoints::V6 { src, dst, .. } => header
                .calc_checksum_ipv6_raw(src.octets(), dst.octets(), tcp.payload())
                .ok(),
        }
    }
    fn icmpv6_checksum_ok(&self, icmp: &etherparse::Icmpv6Slice<'_>) -> Option<bool> {
        let Endpoints::V6 { src, dst, .. } = self else {
            return None;
        };
        let header = icmp.header();
        let want = header
            .icmp_type
            .calc_checksum(src.octets(), dst.octets(), icmp.payload())
            .ok()?;
        Some(want == icmp.checksum())
    }
    fn udp_checksum(&self, udp: &UdpSlice<'_>, ip_payload: &[u8]) -> Option<u16> {
        if ip_payload.len() < udp.length() as usize {
            return None;
        }
        let header = udp.to_header();
        match self {
            Endpoints::V4 { src, dst } => header
                .calc_checksum_ipv4_raw(src.octets(), dst.octets(), udp.payload())
                .ok(),
            Endpoints::V6 { src, dst, .. } => header
                .calc_checksum_ipv6_raw(src.octets(), dst.octets(), udp.payload())
                .ok(),
        }
    }
}

/// TCP flags as tcpdump spells them: F S R P . U E W, in that order;
/// `none` when no flag is set.
pub struct TcpFlags {
    buf: [u8; 8],
    len: usize,
}

impl TcpFlags {
    pub fn of(tcp: &TcpSlice<'_>) -> Self {
        let bits = [
            (tcp.fin(), b'F'),
            (tcp.syn(), b'S'),
            (tcp.rst(), b'R'),
            (tcp.psh(), b'P'),
            (tcp.ack(), b'.'),
            (tcp.urg(), b'U'),
            (tcp.ece(), b'E'),
            (tcp.cwr(), b'W'),
        ];
        let mut buf = [0u8; 8];
        let mut len = 0;
        for (set, c) in bits {
            if set {
                buf[len] = c;
                len += 1;
            }
        }
        TcpFlags { buf, len }
    }
    pub fn as_str(&self) -> &str {
        if self.len == 0 {
            return "none";
        }
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("?")
    }
}

fn write_tcp_options(w: &mut Vec<u8>, bytes: &[u8], sack_base: Option<u32>) -> io::Result<()> {
    let mut first = true;
    for opt in tcp_options::iter(bytes) {
        let Ok(opt) = opt else {
            // The malformed mark at the end of the line says why.
            if !first {
                w.write_all(b",")?;
            }
            return w.write_all(b"bad opts");
        };
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        match opt {
            TcpOpt::Eol => w.write_all(b"eol")?,
            TcpOpt::Nop => w.write_all(b"nop")?,
            TcpOpt::Mss(v) => write!(w, "mss {v}")?,
            TcpOpt::WindowScale(v) => write!(w, "wscale {v}")?,
            TcpOpt::SackPermitted => w.write_all(b"sackOK")?,
            TcpOpt::Sack(data) => {
                write!(w, "sack {} ", data.len() / 8)?;
                for (l, r) in tcp_options::sack_blocks(data) {
                    let base = sack_base.unwrap_or(0);
                    write!(w, "{{{}:{}}}", l.wrapping_sub(base), r.wrapping_sub(base))?;
                }
            }
            TcpOpt::Timestamp { val, ecr } => write!(w, "TS val {val} ecr {ecr}")?,
            TcpOpt::Unknown { kind, data } => {
                write!(w, "unknown-{kind}")?;
                if !data.is_empty() {
                    w.write_all(b" 0x")?;
                    for b in data {
                        write!(w, "{b:02x}")?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn write_icmpv4(w: &mut Vec<u8>, icmp: &[u8], ip_payload_len: usize) -> io::Result<()> {
    let (t, code) = (icmp[0], icmp[1]);
    let id_seq = || {
        (
            u16::from_be_bytes([icmp[4], icmp[5]]),
            u16::from_be_bytes([icmp[6], icmp[7]]),
        )
    };
    w.write_all(b"ICMP ")?;
    match t {
        0 | 8 => {
            let (id, seq) = id_seq();
            write!(w, "{}, id {id}, seq {seq}", names::icmpv4_type(t))?
        }
        3 => write_icmpv4_unreach(w, code, &icmp[8.min(icmp.len())..])?,
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
fn write_icmpv4_unreach(w: &mut Vec<u8>, code: u8, quoted: &[u8]) -> io::Result<()> {
    let inner = etherparse::LaxSlicedPacket::from_ip(quoted).ok();
    let dst = inner.as_ref().and_then(|p| match &p.net {
        Some(LaxNetSlice::Ipv4(ip)) => Some((
            Ipv4Addr::from(ip.header().destination()),
            ip.header().protocol(),
        )),
        _ => None,
    });
    let port = inner.as_ref().and_then(|p| match &p.transport {
        Some(TransportSlice::Udp(u)) => Some(u.destination_port()),
        Some(TransportSlice::Tcp(t)) => Some(t.destination_port()),
        _ => None,
    });
    match (code, dst, port) {
        (3, Some((dst, proto)), Some(port)) => {
            let p = if proto == IpNumber::TCP { "tcp" } else { "udp" };
            write!(w, "{dst} {p} port {port} unreachable")
        }
        (2, Some((dst, proto)), _) => write!(w, "{dst} protocol {} unreachable", proto.0),
        (1, Some((dst, _)), _) => write!(w, "host {dst} unreachable"),
        (0, Some((dst, _)), _) => write!(w, "net {dst} unreachable"),
        _ => write!(w, "{}", names::icmpv4_unreach_code(code)),
    }
}

/// ICMPv6 in tcpdump's words (its `-v` form moves or drops the length for
/// some types; we follow it so lines compare equal).
fn write_icmpv6(
    w: &mut Vec<u8>,
    icmp: &[u8],
    ip_payload_len: usize,
    verbose: bool,
) -> io::Result<()> {
    let (t, code) = (icmp[0], icmp[1]);
    w.write_all(b"ICMP6, ")?;
    match t {
        128 | 129 => {
            write!(
                w,
                "{}, id {}, seq {}",
                names::icmpv6_type(t),
                u16::from_be_bytes([icmp[4], icmp[5]]),
                u16::from_be_bytes([icmp[6], icmp[7]])
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
            let inner = icmp
                .get(8..)
                .and_then(|q| etherparse::LaxSlicedPacket::from_ip(q).ok());
            if let Some(inner) = inner
                && let Some(LaxNetSlice::Ipv6(ip)) = &inner.net
            {
                let dst = Ipv6Addr::from(ip.header().destination());
                match &inner.transport {
                    Some(TransportSlice::Udp(u)) => {
                        write!(w, ", {dst} udp port {}", u.destination_port())?
                    }
                    Some(TransportSlice::Tcp(t)) => {
                        write!(w, ", {dst} tcp port {}", t.destination_port())?
                    }
                    _ => write!(w, ", {dst}")?,
                }
            }
        }
        135 | 136 if icmp.len() >= 24 => {
            let mut target = [0u8; 16];
            target.copy_from_slice(&icmp[8..24]);
            let target = Ipv6Addr::from(target);
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
        _ if names::icmpv6_type(t) != "unknown" => w.write_all(names::icmpv6_type(t).as_bytes())?,
        _ => write!(w, "type-#{t}")?,
    }
    write!(w, ", length {ip_payload_len}")
}

fn write_arp(
    w: &mut Vec<u8>,
    arp: &etherparse::ArpPacketSlice<'_>,
    pkt: &Packet<'_>,
    d: &Decoded<'_>,
    verbose: bool,
) -> io::Result<()> {
    // tcpdump's length is what follows the link header, padding included.
    let len = (pkt.orig_len as usize).saturating_sub(d.net_offset);
    let is_eth_ipv4 = arp.hw_addr_size() == 6 && arp.proto_addr_size() == 4;
    if !is_eth_ipv4 {
        return write!(
            w,
            "ARP, hardware type {}, length {len}",
            arp.hw_addr_type().0
        );
    }
    if verbose {
        w.write_all(b"ARP, Ethernet (len 6), IPv4 (len 4), ")?;
    } else {
        w.write_all(b"ARP, ")?;
    }
    let ip = |b: &[u8]| Ipv4Addr::new(b[0], b[1], b[2], b[3]);
    let (spa, tpa) = (
        ip(arp.sender_protocol_addr()),
        ip(arp.target_protocol_addr()),
    );
    match arp.operation() {
        ArpOperation::REQUEST => write!(w, "Request who-has {tpa} tell {spa}")?,
        ArpOperation::REPLY => write!(w, "Reply {spa} is-at {}", Mac(arp.sender_hw_addr()))?,
        op => write!(w, "opcode {}", op.0)?,
    }
    write!(w, ", length {len}")
}

/// Decimal digits without the formatting machinery (the hot path prints
/// several numbers per packet).
fn put_num(w: &mut Vec<u8>, n: impl itoa::Integer) {
    let mut b = itoa::Buffer::new();
    w.extend_from_slice(b.format(n).as_bytes());
}

fn put_ipv4(w: &mut Vec<u8>, a: &Ipv4Addr) {
    for (i, o) in a.octets().iter().enumerate() {
        if i > 0 {
            w.push(b'.');
        }
        put_num(w, *o);
    }
}

/// A MAC address, colon-separated lower-case hex.
pub struct Mac<'a>(pub &'a [u8]);

impl Display for Mac<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

fn ether_type_name(t: EtherType) -> &'static str {
    match t {
        EtherType::IPV4 => "IPv4",
        EtherType::IPV6 => "IPv6",
        EtherType::ARP => "ARP",
        EtherType::VLAN_TAGGED_FRAME => "802.1Q",
        EtherType::PROVIDER_BRIDGING => "802.1Q-QinQ",
        _ => "Unknown",
    }
}

/// A TCP connection regardless of direction: the lower (address, port)
/// first, so both directions find the same entry.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ConnKey {
    lo: ([u8; 16], u16),
    hi: ([u8; 16], u16),
}

impl ConnKey {
    /// The key and whether the sender `a` is its lower side.
    fn new(a: ([u8; 16], u16), b: ([u8; 16], u16)) -> (Self, bool) {
        if a <= b {
            (ConnKey { lo: a, hi: b }, true)
        } else {
            (ConnKey { lo: b, hi: a }, false)
        }
    }
}

/// tcpdump's relative sequence numbers: the first segment with ACK set in
/// a conversation (or any SYN+ACK) records the initial numbers of both
/// sides (`seq` for the sender, `ack - 1` for the other); later ACK-bearing
/// segments print their distance from them. Segments without ACK print
/// absolute numbers, exactly as tcpdump does.
#[derive(Default)]
struct SeqBases {
    /// (base of the lower side, base of the higher side).
    bases: HashMap<ConnKey, (u32, u32), BuildHasherDefault<FoldHasher>>,
}

/// A small multiply-fold hasher for our own fixed-size keys: SipHash's
/// flood resistance buys nothing here (the table is bounded and cleared)
/// and costs a tenth of the per-packet time.
#[derive(Default)]
struct FoldHasher(u64);

impl std::hash::Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = [0u8; 8];
            v[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(v));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u16(&mut self, v: u16) {
        self.write_u64(v as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Bound on remembered conversations; past it the table starts over (the
/// next ACK of an old conversation re-bases it), so memory stays flat on a
/// flood.
const MAX_SEQ_BASES: usize = 1 << 20;

impl SeqBases {
    fn relative(&mut self, key: (ConnKey, bool), seq: u32, ack: u32, syn: bool) -> (u32, u32) {
        let (key, sender_is_lo) = key;
        let fresh = |seq: u32, ack: u32| {
            if sender_is_lo {
                (seq, ack.wrapping_sub(1))
            } else {
                (ack.wrapping_sub(1), seq)
            }
        };
        match self.bases.get_mut(&key) {
            Some(b) if !syn => {
                let (mine, theirs) = if sender_is_lo { (b.0, b.1) } else { (b.1, b.0) };
                (seq.wrapping_sub(mine), ack.wrapping_sub(theirs))
            }
            Some(b) => {
                *b = fresh(seq, ack);
                (seq, ack)
            }
            None => {
                if self.bases.len() >= MAX_SEQ_BASES {
                    self.bases.clear();
                }
                self.bases.insert(key, fresh(seq, ack));
                (seq, ack)
            }
        }
    }
}
