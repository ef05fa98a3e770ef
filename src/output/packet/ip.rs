//! The IPv4 and IPv6 part of a line (`IP`/`IP6`, the `-v` header fields,
//! IPv6 extension headers, later fragments) and the hand-over to the
//! transport printers with the two [`Endpoints`].

use super::{LineOptions, LinePrinter, icmp, tcp, udp, write_bit_names};
use crate::decode::checksum::Checksums;
use crate::decode::ip_options::{self, IpOpt};
use crate::decode::partial::{self, TcpHead};
use crate::decode::{self, ip6_text, ipv6_ext, names};
use crate::dissect::{self, IpContext, IpVersion, Payload, nested, tunnel};
use crate::flow::{Endpoint, FlowKey, Proto};
use crate::output::fmt::{put_ipv4, put_u32};
use etherparse::{IpNumber, LaxIpv4Slice, LaxIpv6Slice, TransportSlice};
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The version of IP the registration of protocol `p` (a dissector's, a
/// tunnel's, ICMP's or ICMPv6's) requires, when `carrier` is the other one.
fn requires(p: u8, carrier: IpVersion) -> Option<IpVersion> {
    dissect::ip_proto_requires(p, carrier)
        .or_else(|| tunnel::ip_proto_requires(p, carrier))
        .or_else(|| dissect::icmp_over(p).and_then(|o| o.requires(carrier)))
}

/// `[IGMP requires IPv4] (invalid)` when protocol `p` is registered for
/// the other version of IP than the one carrying it (tcpdump refuses it
/// by name); false, and nothing written, otherwise.
fn write_refused(w: &mut Vec<u8>, ep: &Endpoints, p: u8) -> io::Result<bool> {
    let Some(v) = requires(p, ep.version()) else {
        return Ok(false);
    };
    ep.write_hosts(w)?;
    write!(
        w,
        "[{} requires {}] (invalid)",
        names::ip_proto(p),
        v.name()
    )?;
    Ok(true)
}

/// How deep IP-in-IP nesting is printed (each level is a header of 20
/// bytes or more, so a crafted packet could otherwise nest thousands).
const MAX_INNER: u8 = 4;

/// What the IP layer hands to the transport printers.
pub(super) struct IpPart<'a> {
    pub ep: Endpoints,
    /// The protocol IP says it carries.
    pub proto: IpNumber,
    /// Length of what IP carries, as the header says (what tcpdump prints
    /// for protocols it has no printer for).
    pub payload_len: usize,
    /// The captured part of what IP carries (for a transport header
    /// etherparse would not slice).
    pub payload: &'a [u8],
    /// The IP part already said what is wrong (`truncated-ip - N bytes
    /// missing!`).
    pub said: bool,
    /// An IPv4 authentication header before the transport (etherparse
    /// slices it as an extension, and lends it only as long as the
    /// slice: a copy, rare), printed first; empty without one.
    pub ah: Vec<u8>,
    /// IPv6: extension headers came before the payload (`Some`), and
    /// whether the first of them was hop-by-hop (which may come only
    /// first, and once).
    pub exts_before: Option<bool>,
    /// The TTL or hop limit (VRRP's line names one that is not 255).
    pub ttl: u8,
    /// The packet is a fragment (the first: later ones reach no
    /// transport printer). tcpdump then checks no UDP length.
    pub fragmented: bool,
    /// IPv6 with a payload length of 0 and no extension header: tcpdump
    /// ends the packet with the IPv6 header, so the transport etherparse
    /// sliced from what follows (the link's padding) is not read.
    pub header_only: bool,
}

/// What the link layer says of the IP packet it carries.
#[derive(Clone, Copy, Debug)]
pub(super) struct Wire {
    /// How long the IP packet was on the wire.
    pub len: usize,
    /// The link header is on the line already (`-e`), so the `IP `/`IP6 `
    /// word is not repeated.
    pub link_shown: bool,
}

impl Wire {
    /// `IP ` or `IP6 `, unless the link header stands before it.
    fn write_name(self, w: &mut Vec<u8>, name: &[u8]) -> io::Result<()> {
        if !self.link_shown {
            w.write_all(name)?;
        }
        Ok(())
    }

    /// How many of the `declared` bytes the wire did not carry, when any
    /// (tcpdump's `truncated-ip - N bytes missing!`).
    fn missing(self, declared: usize) -> Option<usize> {
        declared.checked_sub(self.len).filter(|&n| n > 0)
    }
}

/// How the IP part of a line ended.
pub(super) enum IpOutcome<'a> {
    /// The transport printers take over.
    Transport(IpPart<'a>),
    /// The line is complete (a later fragment, a bad length); `said`: it
    /// already says, in tcpdump's words, what is wrong.
    Done { said: bool },
}

/// `IP ` (or the `-v` header fields), then nothing more for a later
/// fragment or a total length below the header's.
pub(super) fn write_ipv4<'a>(
    w: &mut Vec<u8>,
    ip: &LaxIpv4Slice<'a>,
    (opts, sums): (&LineOptions, &Checksums),
    wire: Wire,
) -> io::Result<IpOutcome<'a>> {
    let h = ip.header();
    let (src, dst) = (Ipv4Addr::from(h.source()), Ipv4Addr::from(h.destination()));
    let payload = ip.payload();
    // What follows an authentication header (tcpdump's length goes on
    // from there).
    let ah_len = ip.extensions().auth.map_or(0, |a| a.slice().len());
    let payload_len = (h.total_len() as usize).saturating_sub(h.slice().len() + ah_len);
    // tcpdump checks the total length before printing any field (TSO and
    // BIG TCP send 0 here).
    wire.write_name(w, b"IP ")?;
    if usize::from(h.total_len()) < h.slice().len() {
        write!(w, "bad-len {}", h.total_len())?;
        return Ok(IpOutcome::Done { said: true });
    }
    let mut said = false;
    if let Some(missing) = wire.missing(usize::from(h.total_len())) {
        write!(w, "truncated-ip - {missing} bytes missing! ")?;
        said = true;
    }
    if opts.verbose > 0 {
        if let Some(f) = partial::Ipv4Fields::new(h.slice()) {
            write_v4_fields(w, &f, h.total_len())?;
        }
        let mut cut = None;
        if !h.options().is_empty() {
            w.write_all(b", options (")?;
            cut = write_ip_options(w, h.options(), payload.payload)?;
            if cut.is_some() {
                w.write_all(b" [truncated-option]")?;
            }
            w.write_all(b")")?;
        }
        if opts.verify_checksums
            && let Some(v) = sums.ipv4_header
            && !v.is_correct()
        {
            write!(w, ", bad cksum {:x} (->{:x})!", v.stored, v.expected)?;
        }
        w.write_all(b")\n    ")?;
        // A route's or timestamp's slot read past the capture: tcpdump
        // names the hosts and ends the packet there.
        if cut.is_some() {
            write!(w, "{src} > {dst}:  [|ip]")?;
            return Ok(IpOutcome::Done { said: true });
        }
    }
    if payload.fragmented && h.fragments_offset().value() != 0 {
        // Later fragments carry no transport header: tcpdump names the
        // protocol only.
        write!(w, "{src} > {dst}: ip-proto-{}", h.protocol().0)?;
        // A payload the capture cut is no more to tcpdump than that.
        return Ok(IpOutcome::Done { said: true });
    }
    Ok(IpOutcome::Transport(IpPart {
        // After AH tcpdump's printers say the ports alone.
        ep: Endpoints::V4 {
            src,
            dst,
            ports_only: ip.extensions().auth.is_some(),
        },
        proto: payload.ip_number,
        payload_len,
        payload: payload.payload,
        said,
        ah: ip
            .extensions()
            .auth
            .map_or_else(Vec::new, |a| a.slice().to_vec()),
        exts_before: None,
        ttl: h.ttl(),
        fragmented: payload.fragmented,
        header_only: false,
    }))
}

/// `(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length
/// 60`: the `-v` header's fields before its options (also of a header
/// whose options the capture cut).
pub(super) fn write_v4_fields(
    w: &mut Vec<u8>,
    f: &partial::Ipv4Fields,
    total_len: u16,
) -> io::Result<()> {
    write!(w, "(tos 0x{:x}", f.tos)?;
    match f.tos & 3 {
        1 => w.write_all(b",ECT(1)")?,
        2 => w.write_all(b",ECT(0)")?,
        3 => w.write_all(b",CE")?,
        _ => {}
    }
    // tcpdump leaves out a zero TTL.
    if f.ttl > 0 {
        write!(w, ", ttl {}", f.ttl)?;
    }
    let fo = f.flags_offset;
    write!(
        w,
        ", id {}, offset {}, flags [",
        f.id,
        u32::from(fo & 0x1fff) * 8
    )?;
    let bits = u8::from(fo & 0x2000 != 0)
        | u8::from(fo & 0x4000 != 0) << 1
        | u8::from(fo & 0x8000 != 0) << 2;
    write_bit_names(w, bits, &[(1, "+"), (2, "DF"), (4, "rsvd")])?;
    write!(
        w,
        "], proto {} ({}), length {}",
        names::ip_proto(f.proto),
        f.proto,
        total_len
    )
}

/// The options of a header the capture cut, as tcpdump's walk prints
/// them inside `options (…)`.
pub(super) fn write_cut_ip_options<'a>(
    w: &mut Vec<u8>,
    captured: &'a [u8],
    declared: usize,
) -> io::Result<ip_options::CutEnd<'a>> {
    use ip_options::CutEnd;
    let (whole, end) = ip_options::cut_walk(captured, declared);
    let rest = captured.get(whole.len()..).unwrap_or_default();
    if let Some(code) = write_ip_options(w, whole, rest)? {
        w.write_all(b" [truncated-option]")?;
        return Ok(ip_options::CutEnd::Truncated { code });
    }
    let sep: &[u8] = if whole.is_empty() { b"" } else { b"," };
    let name = |w: &mut Vec<u8>, code: u8| match IpOpt::name(code) {
        Some(name) => w.write_all(name.as_bytes()),
        None => write!(w, "unknown {code}"),
    };
    match end {
        CutEnd::Whole => {}
        CutEnd::Missing { code } => {
            w.write_all(sep)?;
            if let Some(code) = code {
                name(w, code)?;
            }
        }
        CutEnd::BadLength { code, len } => {
            w.write_all(sep)?;
            name(w, code)?;
            write!(w, " [bad length {len}]")?;
        }
        CutEnd::Truncated { code } => {
            w.write_all(sep)?;
            name(w, code)?;
            w.write_all(b" [truncated-option]")?;
        }
        CutEnd::RouteCut {
            code,
            len,
            ptr,
            addrs,
        } => {
            w.write_all(sep)?;
            name(w, code)?;
            write_route(w, len, ptr, (addrs, &[]))?;
            w.write_all(b" [truncated-option]")?;
        }
    }
    Ok(end)
}

/// `IP6 ` (or the `-v` header fields) and the extension headers; `None`
/// when a fragment without its transport ends the line there.
pub(super) fn write_ipv6<'a>(
    w: &mut Vec<u8>,
    ip: &LaxIpv6Slice<'a>,
    (verbose, transport): (bool, &Option<TransportSlice<'_>>),
    wire: Wire,
) -> io::Result<IpOutcome<'a>> {
    let h = ip.header();
    let (src, dst) = (Ipv6Addr::from(h.source()), Ipv6Addr::from(h.destination()));
    let payload = ip.payload();
    let exts = ip.extensions();
    let next = h.next_header().0;
    // A jumbogram's length comes from its hop-by-hop option (RFC 2675).
    let jumbo = ipv6_ext::jumbo_length(next, exts.slice(), h.payload_length());
    let declared = jumbo.map_or(usize::from(h.payload_length()), |j| j as usize);
    // A zero payload length without a jumbo option: tcpdump reads the
    // headers it walks itself (mobility) as far as the capture goes.
    let no_length = zero_length_without_jumbo(ip);
    let payload_len = if no_length && matches!(payload.ip_number.0, 62 | 135) {
        payload.payload.len()
    } else {
        declared.saturating_sub(exts.slice().len())
    };
    let hbh_whole = ipv6_ext::iter(next, exts.slice())
        .next()
        .is_some_and(|e| e.kind == 0);
    wire.write_name(w, b"IP6 ")?;
    // A payload length past what the wire carried (tcpdump runs the
    // header fields on without a space).
    let mut said = false;
    if let Some(missing) = wire.missing(usize::from(h.payload_length()) + 40)
        && h.payload_length() != 0
    {
        write!(w, "truncated-ip6 - {missing} bytes missing!")?;
        said = true;
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
    if h.payload_length() == 0 && !ipv6_ext::walked_by_ip6(next) {
        // tcpdump takes a zero payload length for a jumbogram's and looks
        // for the length in the extension headers; with none, the packet
        // ends with the IPv6 header: the protocol gets no byte (not the
        // link's padding, not what a longer capture holds).
        return Ok(IpOutcome::Transport(IpPart {
            ep: Endpoints::V6 {
                src,
                dst,
                ports_only: false,
            },
            proto: IpNumber(next),
            payload_len: 0,
            payload: &[],
            said,
            ah: Vec::new(),
            exts_before: None,
            ttl: h.hop_limit(),
            fragmented: false,
            header_only: true,
        }));
    }
    if h.payload_length() == 0 && !hbh_whole {
        let hbh_bytes = if exts.slice().is_empty() {
            payload.payload
        } else {
            exts.slice()
        };
        // tcpdump takes a zero payload length for a jumbogram and looks
        // for its length in a hop-by-hop option; here that header is cut
        // or missing.
        let proto = match next {
            // A hop-by-hop header the capture cut is marked first.
            0 if !verbose && ipv6_ext::whole_ext(hbh_bytes) => {
                "HBH [No valid Jumbo Payload Hop-by-Hop option found] (invalid)"
            }
            0 if !verbose && payload.payload.len() + exts.slice().len() == 0 => " [|hbhopt]",
            0 if !verbose => " [|hbhopt][No valid Jumbo Payload Hop-by-Hop option found] (invalid)",
            _ => "",
        };
        if !proto.is_empty() {
            write!(w, "{src} > {dst}: {proto}")?;
            return Ok(IpOutcome::Done { said: true });
        }
    }
    let ports_only = !exts.is_empty();
    if ports_only {
        // tcpdump names each extension header after the addresses, then
        // prints the transport with ports only.
        write!(w, "{src} > {dst}: ")?;
        let mut seen_jumbo = false;
        // The extension headers' bytes so far (what AH leaves is counted
        // after them).
        let mut walked = 0usize;
        for ext in ipv6_ext::iter(next, exts.slice()) {
            // Without a length, tcpdump stops at the first header it
            // would hand to another printer (AH here).
            if no_length && !ipv6_ext::walked_by_ip6(ext.kind) {
                w.write_all(b" [|ip6]")?;
                return Ok(IpOutcome::Done { said: true });
            }
            walked += ext.bytes.len();
            match ext.kind {
                0 | 60 => {
                    let (name, cut) = if ext.kind == 0 {
                        ("HBH ", " [|hbhopt]")
                    } else {
                        ("DSTOPT ", " [|dstopt]")
                    };
                    w.write_all(name.as_bytes())?;
                    // tcpdump reads hop-by-hop options always (for the
                    // jumbo length), destination options only under -v.
                    let walk = HopWalk {
                        verbose,
                        hop_by_hop: ext.kind == 0,
                        payload_length: h.payload_length(),
                    };
                    if (verbose || ext.kind == 0)
                        && !write_hop_options(w, ext.bytes, walk, &mut seen_jumbo)?
                    {
                        w.write_all(cut.as_bytes())?;
                        if ext.kind == 0 && h.payload_length() == 0 {
                            w.write_all(NO_JUMBO)?;
                        }
                        return Ok(IpOutcome::Done { said: true });
                    }
                    if ext.kind == 0 && h.payload_length() == 0 {
                        let Some(j) = jumbo else {
                            w.write_all(NO_JUMBO)?;
                            return Ok(IpOutcome::Done { said: true });
                        };
                        // Checked against the wire once the length is known.
                        if let Some(missing) = wire.missing(j as usize + 40) {
                            write!(w, "truncated-ip6 - {missing} bytes missing!")?;
                        }
                    }
                }
                43 => match ext.routing() {
                    Some(rt) => {
                        if !write_routing(w, &rt, verbose)? {
                            return Ok(IpOutcome::Done { said: true });
                        }
                    }
                    None => w.write_all(b"srcrt ")?,
                },
                51 => {
                    if tunnel::write_ah(w, ext.bytes, u8::from(verbose)).is_err() {
                        w.write_all(b" [|ah]")?;
                        return Ok(IpOutcome::Done { said: true });
                    }
                    // After AH tcpdump's demultiplexer knows no IPv6
                    // extension header (as over IPv4): it names the
                    // protocol and the bytes left, and stops.
                    if let Some(after) = ext.ext_after_ah() {
                        let left = usize::from(h.payload_length()).saturating_sub(walked);
                        write!(w, " ip-proto-{after} {left}")?;
                        return Ok(IpOutcome::Done { said: true });
                    }
                }
                _ => {
                    let (off, id) = ext.fragment().unwrap_or((0, 0));
                    // tcpdump's length: the payload length less the headers
                    // up to this one's end. Where that is negative its
                    // unsigned arithmetic wraps; ours stops at 0 (README).
                    let len = usize::from(h.payload_length()).saturating_sub(walked);
                    if verbose {
                        write!(w, "frag (0x{id:08x}:{off}|{len})")?
                    } else {
                        write!(w, "frag ({off}|{len})")?
                    }
                    // A later fragment's bytes are not parsed further (not
                    // even another extension header): the line is all
                    // tcpdump says.
                    if off != 0 {
                        return Ok(IpOutcome::Done { said: true });
                    }
                    w.write_all(b" ")?;
                }
            }
        }
        // No length and no jumbo option: what follows the headers tcpdump
        // walks is beyond the packet.
        if no_length && !ipv6_ext::walked_by_ip6(payload.ip_number.0) {
            w.write_all(b" [|ip6]")?;
            return Ok(IpOutcome::Done { said: true });
        }
        // A later fragment carries no transport header; the first one
        // does, and a header the capture cut is marked as tcpdump does.
        let first = ipv6_ext::iter(next, exts.slice())
            .any(|e| e.fragment().is_some_and(|(off, _)| off == 0));
        if transport.is_none() && payload.fragmented && !first {
            return Ok(IpOutcome::Done { said: false });
        }
        // tcpdump stops after a first fragment's header when the capture
        // holds nothing after it (after another header that follows it, it
        // goes on: `no next header` needs no byte).
        let frag_last = ipv6_ext::iter(next, exts.slice())
            .last()
            .is_some_and(|e| e.kind == 44);
        if first && frag_last && payload.payload.is_empty() {
            return Ok(IpOutcome::Done { said: true });
        }
    }
    Ok(IpOutcome::Transport(IpPart {
        ep: Endpoints::V6 {
            src,
            dst,
            ports_only,
        },
        proto: payload.ip_number,
        payload_len,
        payload: payload.payload,
        said,
        ah: Vec::new(),
        exts_before: ports_only.then_some(next == 0),
        ttl: h.hop_limit(),
        fragmented: payload.fragmented,
        header_only: false,
    }))
}

/// IPv6 with a payload length of 0 and no jumbo option that tcpdump
/// takes (RFC 2675): tcpdump reads the headers it walks itself up to the
/// capture's end and hands nothing to a transport printer.
pub(super) fn zero_length_without_jumbo(ip: &LaxIpv6Slice<'_>) -> bool {
    let h = ip.header();
    let next = h.next_header().0;
    h.payload_length() == 0 && ipv6_ext::jumbo_length(next, ip.extensions().slice(), 0).is_none()
}

/// An IPv6 header etherparse refused: cut (` [|ip6]`) or of another
/// version, in tcpdump's words.
pub(super) fn write_bad_ipv6(w: &mut Vec<u8>, bytes: &[u8], link_shown: bool) -> io::Result<bool> {
    nested::entered("ip6");
    match partial::Ipv4Head::new(bytes).map(|h| h.version) {
        Some(v) if v != 6 && bytes.len() >= 40 => {
            let word = if link_shown { "" } else { "IP6 " };
            write!(w, "{word}version error: {v} != 6")?
        }
        _ => w.write_all(b" [|ip6]")?,
    }
    Ok(true)
}

/// tcpdump's words for a zero payload length without a valid jumbo option.
const NO_JUMBO: &[u8] = b"[No valid Jumbo Payload Hop-by-Hop option found] (invalid)";

/// How [`write_hop_options`] reads one header's options.
#[derive(Clone, Copy)]
struct HopWalk {
    verbose: bool,
    hop_by_hop: bool,
    payload_length: u16,
}

/// The options of a hop-by-hop or destination options header as tcpdump
/// prints them: named under `-v` only, a wrong length or a cut option
/// always. `false`: the walk stopped at damage (the caller marks the cut).
/// `seen_jumbo`: a jumbo option came earlier in the packet.
fn write_hop_options(
    w: &mut Vec<u8>,
    ext: &[u8],
    walk: HopWalk,
    seen_jumbo: &mut bool,
) -> io::Result<bool> {
    use ipv6_ext::HopOpt;
    let v = walk.verbose;
    for opt in ipv6_ext::hop_options(ext) {
        match opt {
            HopOpt::Pad1 if v => w.write_all(b"(pad1)")?,
            HopOpt::PadN if v => w.write_all(b"(padn)")?,
            HopOpt::RouterAlert(a) if v => write!(w, "(rtalert: 0x{a:04x}) ")?,
            HopOpt::Jumbo(j) => {
                let why = if *seen_jumbo {
                    " - already seen"
                } else if !walk.hop_by_hop {
                    " - not a hop-by-hop option"
                } else if walk.payload_length != 0 {
                    " - payload len != 0"
                } else if j < 0x1_0000 {
                    " - < 65536"
                } else {
                    ""
                };
                *seen_jumbo = true;
                if v {
                    write!(w, "(jumbo: {j}{why}) ")?;
                }
            }
            HopOpt::Other { kind, len } if v => write!(w, "(opt_type 0x{kind:02x}: len={len})")?,
            HopOpt::BadLen { name, len } => {
                write!(w, "({name}: invalid len {len})")?;
                return Ok(false);
            }
            HopOpt::Short { name } => {
                write!(w, "({name}: trunc)")?;
                return Ok(false);
            }
            HopOpt::Cut => return Ok(false),
            _ => {}
        }
    }
    if v {
        w.write_all(b" ")?;
    }
    Ok(true)
}

/// `RT6 (len=4, type=0 [Deprecated], segleft=1, [0]2001:db8::2) `; `-v`
/// shows the reserved field and flags even when zero. `false`: a type
/// tcpdump does not know, after which the line ends.
fn write_routing(w: &mut Vec<u8>, rt: &ipv6_ext::Routing<'_>, verbose: bool) -> io::Result<bool> {
    write!(w, "RT6 (len={}, type={}", rt.len, rt.kind)?;
    if rt.kind == 0 {
        w.write_all(b" [Deprecated]")?;
    }
    write!(w, ", segleft={}", rt.segments_left)?;
    match rt.kind {
        0 | 2 => {
            if rt.reserved() != 0 || verbose {
                write!(w, ", rsv=0x{:x}", rt.reserved())?;
            }
        }
        4 => {
            let [last, flags, ..] = rt.word;
            write!(w, ", last-entry={last}")?;
            if flags != 0 || verbose {
                write!(w, ", flags=0x{flags:x}")?;
            }
            write!(w, ", tag={:x}", rt.tag())?;
        }
        // tcpdump knows types 0, 2 and 4 only, and reads no further.
        _ => {
            w.write_all(UNKNOWN_ROUTING)?;
            return Ok(false);
        }
    }
    // The addresses are 16 bytes (two length units) each.
    if rt.len % 2 == 1 {
        write_invalid_routing_len(w, rt.len)?;
        return Ok(false);
    }
    for (i, a) in rt.addresses().take(usize::from(rt.len / 2)).enumerate() {
        write!(w, ", [{i}]{a}")?;
    }
    w.write_all(b") ")?;
    Ok(true)
}

/// What tcpdump says of a routing header whose length cannot hold whole
/// addresses (an odd number of 8-byte units), after its fixed fields; the
/// line ends there.
fn write_invalid_routing_len(w: &mut Vec<u8>, len: u8) -> io::Result<()> {
    write!(w, " (invalid length {len}) (invalid)")
}

/// What tcpdump says of a routing header of a type it does not know, once
/// its first four bytes are there (the rest it does not need).
const UNKNOWN_ROUTING: &[u8] = b" (unknown type) (invalid)";

impl LinePrinter {
    /// The transport part (after an AH header, when IP carried one);
    /// `true` when the line says what is wrong in tcpdump's words.
    pub(super) fn write_transport(
        &mut self,
        w: &mut Vec<u8>,
        ip: &IpPart<'_>,
        transport: &Option<TransportSlice<'_>>,
        checksums: &Checksums,
    ) -> io::Result<bool> {
        if !ip.ah.is_empty() {
            ip.ep.write_addresses(w)?;
            if tunnel::write_ah(w, &ip.ah, self.opts.verbose).is_err() {
                w.write_all(b" [|ah]")?;
                return Ok(true);
            }
        }
        let ep = &ip.ep;
        let verbose = self.opts.verbose > 0;
        let sums = self.opts.verify_checksums.then_some(checksums);
        // `--app` text given for this packet replaces its own (the
        // outermost transport's, which the driver looked at).
        let given = if self.opts.app {
            self.app_text.take()
        } else {
            None
        };
        let said = match transport {
            Some(TransportSlice::Tcp(seg)) => {
                self.entered("tcp");
                ep.write_ports(w, seg.source_port(), seg.destination_port())?;
                let mut opts = self.opts;
                opts.app &= given.is_none();
                let mut write = |w: &mut Vec<u8>| {
                    tcp::write_tcp(w, &opts, &mut self.seq, ep, seg, ip.payload_len, sums)
                };
                // Frames inside a payload are decoded from `-vv` on only
                // (MSDP's packets from `-vv`, OpenFlow's packets in and
                // out from `-vvv`): the hot path is as it was.
                let (written, frames) = if opts.verbose >= 2 {
                    dissect::nested::collect(|| write(w))
                } else {
                    (write(w), Vec::new())
                };
                let (end, mut jumped) = written?;
                if !frames.is_empty() {
                    jumped |= self.write_frames(w, seg.payload(), &frames)?;
                }
                self.cut_early(jumped);
                let rejected = end == tcp::OptionsEnd::Rejected;
                if !rejected && let Some(text) = given {
                    w.extend_from_slice(&text);
                }
                Ok(end != tcp::OptionsEnd::Whole || ip.said)
            }
            Some(TransportSlice::Udp(dgram)) if udp::own_addresses(dgram, ip.payload_len) => {
                self.entered("udp");
                let jumped = udp::write_own_addresses(w, ep, dgram, ip.payload_len);
                self.cut_early(jumped);
                Ok(ip.said)
            }
            Some(TransportSlice::Udp(dgram)) => {
                self.entered("udp");
                ep.write_ports(w, dgram.source_port(), dgram.destination_port())?;
                let len = udp::IpLen {
                    len: ip.payload_len,
                    fragmented: ip.fragmented,
                    carried: ip.payload,
                };
                let app = self.opts.app && given.is_none();
                // ZEP's and 802.15.4's undecoded bytes follow `-x`/`-X`.
                let verbose = self.opts.verbose;
                let write = |w: &mut Vec<u8>| {
                    dissect::default_print::with_suppressed(self.default_print_suppressed(), || {
                        udp::write_udp(w, (verbose, app), ep, dgram, sums, len)
                    })
                };
                // The packet behind Broadcom's LI shim is decoded from
                // `-v` on only: the default line's path is as it was.
                let (printed, frames) = if verbose >= 1 {
                    dissect::nested::collect(|| write(w))
                } else {
                    (write(w), Vec::new())
                };
                match printed? {
                    udp::UdpEnd::Done { said, mut jumped } => {
                        if !frames.is_empty() {
                            jumped |= self.write_frames(w, dgram.payload(), &frames)?;
                        }
                        self.cut_early(jumped);
                        if let Some(text) = given {
                            w.extend_from_slice(&text);
                        }
                        Ok(said || ip.said)
                    }
                    udp::UdpEnd::Tunnel(t, payload) => self.write_tunnel(w, t, payload),
                }
            }
            // tcpdump refuses ICMP in IPv6, ICMPv6 in IPv4.
            Some(TransportSlice::Icmpv4(_) | TransportSlice::Icmpv6(_))
                if write_refused(w, ep, ip.proto.0)? =>
            {
                Ok(true)
            }
            Some(TransportSlice::Icmpv4(msg)) => {
                self.write_icmpv4_message(w, ip, msg.slice(), sums)
            }
            Some(TransportSlice::Icmpv6(msg)) => {
                self.entered("icmp6");
                ep.write_hosts(w)?;
                if verbose && let Some(sums) = sums {
                    icmp::write_icmpv6_checksum(w, sums)?;
                }
                let cut = icmp::write_icmpv6(w, msg.slice(), ip.payload_len, self.opts.verbose)?;
                self.cut_early(cut);
                Ok(ip.said)
            }
            _ => self.write_cut_transport(w, ip, sums),
        }?;
        Ok(said)
    }

    /// `, [0]ADDR, [1]ADDR`: the first `count` addresses of a routing
    /// header the capture cut, as far as captured whole.
    fn write_cut_route(&self, w: &mut Vec<u8>, rt: &[u8], count: usize) -> io::Result<()> {
        for i in 0..count {
            let Some(a) = ipv6_ext::routing_addr(rt, i) else {
                break;
            };
            write!(w, ", [{i}]{a}")?;
        }
        Ok(())
    }

    /// An ICMP message whose 8-byte header was captured: its line, under
    /// `-v` its checksum's verdict and the datagram an error quotes.
    fn write_icmpv4_message(
        &mut self,
        w: &mut Vec<u8>,
        ip: &IpPart<'_>,
        msg: &[u8],
        sums: Option<&Checksums>,
    ) -> io::Result<bool> {
        let verbose = self.opts.verbose > 0;
        self.entered("icmp");
        ip.ep.write_hosts(w)?;
        let said = icmp::write_icmpv4(w, msg, ip.payload_len)?;
        self.cut_early(said && !icmp::quote_checked(msg));
        // tcpdump's checksum comes after the fields it ended on.
        if verbose
            && !said
            && let Some(sums) = sums
        {
            icmp::write_icmpv4_checksum(w, sums)?;
        }
        // A quote cut before what the line names is not printed.
        if verbose && !said {
            // The extension is read only when the quote's printer did not
            // give up on the packet.
            let before = self.dump_from.take();
            self.write_quoted(w, msg)?;
            let jumped = self.dump_from == Some(0);
            if self.dump_from.is_none() {
                self.dump_from = before;
            }
            if !jumped {
                let hard = icmp::write_multipart(w, msg, ip.payload_len)?;
                self.cut_early(hard);
            }
        }
        Ok(said || ip.said)
    }

    /// A transport header etherparse would not slice (cut by the capture,
    /// or damaged), or a protocol we have no printer for.
    fn write_cut_transport(
        &mut self,
        w: &mut Vec<u8>,
        ip: &IpPart<'_>,
        sums: Option<&Checksums>,
    ) -> io::Result<bool> {
        let ep = &ip.ep;
        match ip.proto {
            IpNumber::TCP => {
                self.entered("tcp");
                let opts = self.opts;
                let head = TcpHead::new(ip.payload);
                self.unread_tcp |= head.bad_length(ip.payload_len);
                let cut = tcp::write_tcp_cut(w, &opts, &mut self.seq, ep, head, ip.payload_len)?;
                self.cut_early(cut);
            }
            IpNumber::UDP => {
                self.entered("udp");
                match partial::udp_ports(ip.payload) {
                    Some((sport, dport)) => {
                        ep.write_ports(w, sport, dport)?;
                        // tcpdump judges the length IP gives the datagram,
                        // then the length field, before it needs the rest
                        // of the header.
                        if ip.payload_len < 8 {
                            write!(w, "truncated-udp {}", ip.payload_len)?;
                            return Ok(true);
                        }
                        match partial::udp_length(ip.payload)
                            .map(|f| udp::length(f, ip.payload_len))
                        {
                            Some(ulen) if ulen < 8 => write!(w, "truncated-udplength {ulen}")?,
                            _ => w.write_all(b" [|udp]")?,
                        }
                    }
                    None => {
                        ep.write_hosts(w)?;
                        w.write_all(b" [|udp]")?;
                    }
                }
            }
            // A protocol registered for the other version of IP (IGMP,
            // an Ethernet frame, ICMP, ICMPv6), refused by name as tcpdump
            // does.
            IpNumber(p) if write_refused(w, ep, p)? => {}
            // A whole header etherparse would not slice (a timestamp
            // message not 20 bytes long): tcpdump reads it all the same.
            IpNumber::ICMP
                if crate::decode::icmp::IcmpMessage::new_checked(ip.payload).is_some() =>
            {
                self.write_icmpv4_message(w, ip, ip.payload, sums)?;
            }
            IpNumber::ICMP => {
                self.entered("icmp");
                ep.write_hosts(w)?;
                let verbose = self.opts.verbose > 0;
                let cut = icmp::write_icmpv4_short(w, ip, verbose.then_some(sums))?;
                self.cut_early(cut);
            }
            // The one ICMPv6 printer prints each field as far as captured.
            IpNumber::IPV6_ICMP => {
                self.entered("icmp6");
                ep.write_hosts(w)?;
                let level = self.opts.verbose;
                // No length at all: tcpdump's printer checks it before any
                // byte.
                if ip.payload_len == 0 {
                    w.write_all(b"ICMP6, length 0 (invalid)")?;
                    return Ok(true);
                }
                // A message shorter than its header but whole: under -v
                // tcpdump reads its checksum first.
                if level > 0 && !ip.payload.is_empty() && ip.payload.len() >= ip.payload_len {
                    if ip.payload_len < 4 {
                        self.cut_early(true);
                        w.write_all(b" [|icmp6]")?;
                        return Ok(true);
                    }
                    if let Some(sums) = sums {
                        icmp::write_icmpv6_checksum(w, sums)?;
                    }
                }
                let cut = icmp::write_icmpv6(w, ip.payload, ip.payload_len, level)?;
                self.cut_early(cut);
            }
            // An IPv6 extension header the capture cut: tcpdump's names.
            IpNumber(43) if !ep.is_v4() && ipv6_ext::routing_head(ip.payload).is_some() => {
                ep.write_hosts(w)?;
                let (len, kind, left) = ipv6_ext::routing_head(ip.payload).unwrap_or_default();
                // An unknown type, or an odd length after the fixed
                // fields, ends the line without a cut (below).
                let unknown = left.is_some() && !matches!(kind, Some(0 | 2 | 4));
                let fixed = ipv6_ext::routing_word(ip.payload).is_some();
                let odd = fixed && len % 2 == 1 && !unknown;
                self.cut_early(!unknown && !odd);
                write!(w, "RT6 (len={len}")?;
                if let Some(kind) = kind {
                    write!(w, ", type={kind}")?;
                    if kind == 0 {
                        w.write_all(b" [Deprecated]")?;
                    }
                }
                if let Some(left) = left {
                    write!(w, ", segleft={left}")?;
                    if unknown {
                        w.write_all(UNKNOWN_ROUTING)?;
                        return Ok(true);
                    }
                }
                // Then the fields and addresses that were captured whole.
                if let (Some(0 | 2), Some(word)) = (kind, ipv6_ext::routing_word(ip.payload))
                    && (word != 0 || self.opts.verbose > 0)
                {
                    write!(w, ", rsv=0x{word:x}")?;
                }
                if kind == Some(4) {
                    let (last, flags, tag) = ipv6_ext::srh_head(ip.payload);
                    if let Some(last) = last {
                        write!(w, ", last-entry={last}")?;
                    }
                    if let Some(flags) = flags.filter(|&f| f != 0 || self.opts.verbose > 0) {
                        write!(w, ", flags=0x{flags:x}")?;
                    }
                    if let (Some(tag), Some(_)) = (tag, last) {
                        write!(w, ", tag={tag:x}")?;
                    }
                }
                if odd {
                    write_invalid_routing_len(w, len)?;
                    return Ok(true);
                }
                if fixed {
                    self.write_cut_route(w, ip.payload, usize::from(len / 2))?;
                }
                w.write_all(b" [|rt6]")?;
            }
            // A fragment header cut after its offset: tcpdump prints it
            // (the identification is only for -v) and nothing after it.
            IpNumber(44)
                if !ep.is_v4()
                    && self.opts.verbose == 0
                    && ipv6_ext::fragment_offset_head(ip.payload).is_some() =>
            {
                ep.write_hosts(w)?;
                let off = ipv6_ext::fragment_offset_head(ip.payload).unwrap_or(0);
                write!(w, "frag ({off}|{})", ip.payload_len.saturating_sub(8))?;
                // A later fragment ends the line as it is.
                if off == 0 {
                    w.write_all(b" ")?;
                }
            }
            // A hop-by-hop header after other extension headers.
            IpNumber(0) if let Some(hbh_seen) = ip.exts_before => {
                if hbh_seen {
                    w.write_all(b"[The Hop-by-Hop Options header was already found] (invalid)")?;
                } else {
                    w.write_all(
                        b"[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)",
                    )?;
                }
            }
            IpNumber(0) if !ep.is_v4() && ip.payload_len == 0 && ip.payload.len() >= 2 => {
                // A jumbogram's hop-by-hop header the capture cut after its
                // length byte (before it tcpdump gives up on the packet).
                ep.write_hosts(w)?;
                w.write_all(b" [|hbhopt]")?;
                w.write_all(NO_JUMBO)?;
            }
            // A routing header cut after its next-header byte: tcpdump's
            // printer names itself before it needs the length.
            IpNumber(43) if !ep.is_v4() && ip.payload.len() == 1 => {
                ep.write_hosts(w)?;
                self.cut_early(true);
                w.write_all(b"RT6 [|rt6]")?;
            }
            IpNumber(kind @ (0 | 43 | 44 | 60)) if !ep.is_v4() => {
                ep.write_hosts(w)?;
                let name = match kind {
                    0 => "hbhopt",
                    // tcpdump's routing-header printer marks with IPv6's name.
                    43 => "ip6",
                    44 => "frag6",
                    _ => "dstopt",
                };
                // tcpdump reads a fragment header's fields, and an options
                // header's length byte, without a bounds check of its own.
                self.cut_early(kind == 44 || (matches!(kind, 0 | 60) && ip.payload.len() < 2));
                write!(w, " [|{name}]")?;
            }
            IpNumber::IPV4 | IpNumber::IPV6 if self.depth < MAX_INNER => {
                let Some(inner) = decode::inner_ip(ip.payload) else {
                    ep.write_hosts(w)?;
                    // The version nibble, once the header is there, is what
                    // tcpdump checks first.
                    let version = partial::Ipv4Head::new(ip.payload).map(|h| h.version);
                    if ip.proto == IpNumber::IPV6 {
                        match version {
                            Some(v) if v != 6 && ip.payload.len() >= 40 => {
                                if !self.opts.link_header {
                                    w.write_all(b"IP6 ")?;
                                }
                                write!(w, "version error: {v} != 6")?;
                            }
                            _ => w.write_all(b" [|ip6]")?,
                        }
                        return Ok(true);
                    }
                    if let Some(v) = version.filter(|&v| v != 4 && v != 6) {
                        write!(w, "IP{v} (invalid)")?;
                        return Ok(true);
                    }
                    // An IPv4 header the capture cut: tcpdump names it once
                    // its first byte is there.
                    // (Nothing captured of it at all, whatever the length
                    // says: the same mark.)
                    if ip.payload.len() < 20 && (ip.payload_len >= 20 || ip.payload.is_empty()) {
                        let name = if ip.payload.is_empty() || self.opts.link_header {
                            ""
                        } else {
                            "IP "
                        };
                        // Not even the version byte: tcpdump gives up on
                        // the packet.
                        self.cut_early(ip.payload.is_empty());
                        write!(w, "{name} [|ip]")?;
                        return Ok(true);
                    }
                    // A header tcpdump refuses (`bad-hlen`, `truncated-ip`).
                    let link_shown = self.opts.link_header;
                    let verbose = self.opts.verbose > 0;
                    if !ip.payload.is_empty()
                        && super::link::write_bad_ipv4(
                            w,
                            ip.payload,
                            ip.payload_len,
                            link_shown,
                            verbose,
                        )?
                        .is_some()
                    {
                        return Ok(true);
                    }
                    write!(w, " ip-proto-{} {}", ip.proto.0, ip.payload_len)?;
                    return Ok(ip.said);
                };
                // The inner packet prints as a line of its own would
                // (tcpdump's -e leaves out its `IP ` too).
                ep.write_hosts(w)?;
                self.depth += 1;
                let link_shown = self.opts.link_header;
                // The inner packet's checksums are its own (a segment
                // routing header's packet, a tunnel's).
                let inner_sums = if self.opts.verify_checksums {
                    crate::decode::checksum::verify_ip(ip.payload)
                } else {
                    Checksums::default()
                };
                let said = self.write_ip(w, &inner, &inner_sums, ip.payload_len, link_shown);
                self.depth -= 1;
                // The inner line says all tcpdump says of a packet cut
                // inside it.
                return said.map(|_| true);
            }
            // IPv4 too: tcpdump's demultiplexer is the same.
            IpNumber(59) => {
                ep.write_hosts(w)?;
                w.write_all(b"no next header")?;
                // All tcpdump says, however much the capture cut after it.
                return Ok(true);
            }
            // AH the IP layer did not slice (a length below its fixed
            // fields, or cut): tcpdump goes on after the length it gives,
            // in IPv4 and IPv6 alike.
            IpNumber(51) => {
                ep.write_hosts(w)?;
                let Ok(len) = tunnel::write_ah(w, ip.payload, self.opts.verbose) else {
                    w.write_all(b" [|ah]")?;
                    self.cut_early(tunnel::ah_cut_jumps(&Payload {
                        bytes: ip.payload,
                        declared_len: ip.payload_len,
                    }));
                    return Ok(true);
                };
                let (next, rest) = tunnel::after_ah(ip.payload, len);
                // tcpdump's demultiplexer goes on after AH, and it knows no
                // IPv6 extension header: those are protocols it cannot print.
                if matches!(next, 0 | 43 | 44 | 60) {
                    let left = ip.payload_len.saturating_sub(len);
                    write!(w, " ip-proto-{next} {left}")?;
                    return Ok(true);
                }
                let part = IpPart {
                    ep: ep.behind_header(),
                    proto: IpNumber(next),
                    payload_len: ip.payload_len.saturating_sub(len),
                    payload: rest,
                    said: ip.said,
                    ah: Vec::new(),
                    exts_before: None,
                    ttl: ip.ttl,
                    fragmented: ip.fragmented,
                    header_only: false,
                };
                let transport = decode::transport_of(next, rest);
                // The checksum judged is the one behind AH.
                let none = Checksums::default();
                self.write_transport(w, &part, &transport, sums.unwrap_or(&none))?;
                // The IP layer's complaint about this AH is not tcpdump's.
                return Ok(true);
            }
            IpNumber(p) if tunnel::ip_proto_over(p, ep.version()).is_some() => {
                ep.write_hosts(w)?;
                if let Some(t) = tunnel::ip_proto_over(p, ep.version()) {
                    let payload = Payload {
                        bytes: ip.payload,
                        declared_len: ip.payload_len,
                    };
                    return self.write_tunnel(w, t, payload);
                }
            }
            // A protocol decoded over the other version only (the mobility
            // header over IPv4) falls to the last arm.
            IpNumber(p) if dissect::ip_proto_over(p, ep.version()).is_some() => {
                return self.write_dissected(w, ip);
            }
            IpNumber(p) => {
                ep.write_hosts(w)?;
                // tcpdump's own spacing for a protocol it has no printer
                // for; a payload the capture cut gets no mark. Protocol 77
                // (Sun's ND) it names, and prints nothing else of.
                match p {
                    77 => write!(w, " nd {}", ip.payload_len)?,
                    _ => write!(w, " ip-proto-{p} {}", ip.payload_len)?,
                }
            }
        }
        Ok(true)
    }
}

impl LinePrinter {
    /// A protocol from the IP-protocol dissector table (IGMP, VRRP, OSPF,
    /// …): hosts, or ports for those that have them, then its text.
    fn write_dissected(&mut self, w: &mut Vec<u8>, ip: &IpPart<'_>) -> io::Result<bool> {
        let Some(d) = dissect::ip_proto_over(ip.proto.0, ip.ep.version()) else {
            return Ok(ip.said);
        };
        let p = Payload {
            bytes: ip.payload.get(..ip.payload_len).unwrap_or(ip.payload),
            declared_len: ip.payload_len,
        };
        // SCTP and DCCP have ports, printed with the addresses (even where
        // those were printed already) once their header is there (before
        // that, nothing: its printer says what is missing).
        match ip.proto.0 {
            132 if !dissect::sctp::has_header(&p) => {}
            132 => {
                let (sport, dport) = partial::udp_ports(p.bytes).unwrap_or_default();
                ip.ep.write_addr_ports(w, sport, dport)?
            }
            // DCCP's ports come once its generic header is there.
            33 => {
                if let Some((sport, dport)) = dissect::dccp::has_header(&p)
                    .then(|| dissect::dccp::ports(&p))
                    .flatten()
                {
                    ip.ep.write_addr_ports(w, sport, dport)?
                }
            }
            _ => ip.ep.write_hosts(w)?,
        }
        let (src, dst) = ip.ep.addrs();
        let ctx = IpContext {
            src,
            dst,
            ttl: ip.ttl,
            default_print: !self.default_print_suppressed(),
            ports_only: ip.ep.ports_only(),
        };
        let jumped = d.write_ip_line(w, &p, ip.proto.0, &ctx, self.opts.verbose);
        self.cut_early(jumped == Some(true));
        // A PIM Register's packet, at `-v` (where the dissector's text
        // ended with the flags and the new line before it).
        if self.opts.verbose > 0
            && w.ends_with(b"\n\t")
            && let Some(t) = tunnel::ip_payload(ip.proto.0, ip.ep.version(), &p)
        {
            self.write_tunnel(w, t, p)?;
        }
        // The dissector's text is all tcpdump says (etherparse's own
        // complaint about a short IGMP message is not repeated).
        Ok(true)
    }
}

/// `NOP,RA,LSRR 10.0.0.1, 10.0.0.2`: the options as tcpdump names them.
/// `after`: the bytes captured after them, which a route's or
/// timestamp's last slot reads on into. Returns the code of an option
/// whose slot ran past the capture (tcpdump stops the list there).
fn write_ip_options(w: &mut Vec<u8>, bytes: &[u8], after: &[u8]) -> io::Result<Option<u8>> {
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
        let whole = match opt {
            IpOpt::BadLength { len, .. } => write!(w, " [bad length {len}]").map(|()| true)?,
            IpOpt::RouterAlert { value: Some(v) } if v != 0 => {
                write!(w, " value {v}").map(|()| true)?
            }
            IpOpt::RouterAlert { value: None } => w.write_all(b" [bad length 2]").map(|()| true)?,
            IpOpt::Route {
                ptr, addrs, len, ..
            } => write_route(w, len, ptr, (addrs, after))?,
            IpOpt::Timestamp {
                len,
                ptr,
                flags,
                data,
            } => write_timestamp_option(w, (len, ptr, flags), (data, after))?,
            _ => true,
        };
        if !whole {
            return Ok(Some(code));
        }
    }
    Ok(None)
}

/// A route option after its name: tcpdump's checks, on its unsigned
/// arithmetic (a zero pointer is past every slot), then the addresses
/// in `addrs` (the bytes from the first slot on to the end of the
/// options) and on into `after`, as far as they go. `false` when a slot
/// ran past the capture.
fn write_route(
    w: &mut Vec<u8>,
    len: u8,
    ptr: u8,
    (addrs, after): (&[u8], &[u8]),
) -> io::Result<bool> {
    let l = u32::from(len);
    if l < 3 {
        write!(w, " [bad length {len}]")?;
        return Ok(true);
    }
    if (l + 1) & 3 != 0 {
        write!(w, " [bad length {len}]")?;
    }
    let p = u32::from(ptr).wrapping_sub(1);
    if p < 3 || p.wrapping_add(1) & 3 != 0 || p > l + 1 {
        write!(w, " [bad ptr {ptr}]")?;
    }
    for slot in (3..l).step_by(4) {
        let Some(a) = ip_options::bytes_across::<4>(addrs, after, (slot - 3) as usize) else {
            return Ok(false);
        };
        write!(w, " {}", Ipv4Addr::from(a))?;
        if p > slot {
            w.write_all(b",")?;
        }
    }
    Ok(true)
}

/// ` TS{TSONLY ^ 1@ 2@}`: the timestamp option as tcpdump writes it
/// (`data`: the bytes from the first entry to the end of the options,
/// `after`: what follows them, which a last entry reads on into).
/// `false` when an entry ran past the capture (the option ends there,
/// unclosed).
fn write_timestamp_option(
    w: &mut Vec<u8>,
    (len, ptr, flags): (u8, u8, u8),
    (data, after): (&[u8], &[u8]),
) -> io::Result<bool> {
    let l = u32::from(len);
    // Too short for its fixed part: tcpdump says so without a space.
    if l < 4 {
        write!(w, "[bad length {len}]")?;
        return Ok(true);
    }
    w.write_all(b" TS{")?;
    let hop: u32 = if flags & 0xf != 0 { 8 } else { 4 };
    if (l - 4) & (hop - 1) != 0 {
        write!(w, "[bad length {len}]")?;
    }
    let p = u32::from(ptr).wrapping_sub(1);
    if p < 4 || p.wrapping_sub(4) & (hop - 1) != 0 || p > l + 1 {
        write!(w, "[bad ptr {ptr}]")?;
    }
    // tcpdump's count starts at 0 and moves to the first entry only for
    // a type it knows: the pointer mark after a bad type compares with 0.
    let mut at = if matches!(flags & 0xf, 0 | 1 | 3) {
        4
    } else {
        0
    };
    match flags & 0xf {
        0 => w.write_all(b"TSONLY")?,
        1 => w.write_all(b"TS+ADDR")?,
        3 => w.write_all(b"PRESPEC")?,
        t => write!(w, "[bad ts type {t}]")?,
    }
    if matches!(flags & 0xf, 0 | 1 | 3) {
        while at < l {
            // tcpdump checks the whole entry, then reads its last four
            // bytes as the time and, eight bytes long, its first as an
            // address.
            let from = (at - 4) as usize;
            let Some((stamp, addr)) = ip_options::ts_entry(data, after, from, hop) else {
                return Ok(false);
            };
            w.write_all(if p == at { b" ^ " } else { b" " })?;
            write!(w, "{stamp}@")?;
            if let Some(a) = addr {
                write!(w, "{a}")?;
            }
            at += hop;
        }
    }
    if p == at {
        w.write_all(b" ^ ")?;
    }
    if flags >> 4 != 0 {
        write!(w, " [{} hops not recorded]}} ", flags >> 4)?;
    } else {
        w.write_all(b"}")?;
    }
    Ok(true)
}

/// The two addresses of a packet. `ports_only`: the addresses were
/// already printed, before IPv6 extension headers or an authentication
/// header, so the IP header names another protocol than the transport's
/// (tcpdump's TCP, UDP and PGM printers then print the ports alone and
/// other protocols nothing; SCTP's and DCCP's print the addresses with
/// the ports all the same).
pub(super) enum Endpoints {
    V4 {
        src: Ipv4Addr,
        dst: Ipv4Addr,
        ports_only: bool,
    },
    V6 {
        src: Ipv6Addr,
        dst: Ipv6Addr,
        ports_only: bool,
    },
}

impl Endpoints {
    /// The same ends behind a header that names the next protocol (AH):
    /// the addresses are printed before it.
    fn behind_header(&self) -> Endpoints {
        match *self {
            Endpoints::V4 { src, dst, .. } => Endpoints::V4 {
                src,
                dst,
                ports_only: true,
            },
            Endpoints::V6 { src, dst, .. } => Endpoints::V6 {
                src,
                dst,
                ports_only: true,
            },
        }
    }

    pub fn is_v4(&self) -> bool {
        matches!(self, Endpoints::V4 { .. })
    }

    /// The version of IP between these ends (what a protocol's
    /// registration is asked with).
    pub fn version(&self) -> IpVersion {
        if self.is_v4() {
            IpVersion::V4
        } else {
            IpVersion::V6
        }
    }

    fn ports_only(&self) -> bool {
        match *self {
            Endpoints::V4 { ports_only, .. } | Endpoints::V6 { ports_only, .. } => ports_only,
        }
    }

    /// Source and destination as addresses of either family.
    pub fn addrs(&self) -> (IpAddr, IpAddr) {
        match *self {
            Endpoints::V4 { src, dst, .. } => (src.into(), dst.into()),
            Endpoints::V6 { src, dst, .. } => (src.into(), dst.into()),
        }
    }

    /// `src > dst: ` (for protocols without ports; nothing where the
    /// addresses were printed already).
    pub fn write_hosts(&self, w: &mut Vec<u8>) -> io::Result<()> {
        self.write_pair(w, None)
    }

    /// `src > dst: ` even where they were printed already (tcpdump prints
    /// them again when a transport header is cut before its ports, and
    /// before AH).
    pub fn write_addresses(&self, w: &mut Vec<u8>) -> io::Result<()> {
        self.write_full(w, None)
    }

    /// `src.sport > dst.dport: `, or `sport > dport: ` where the addresses
    /// were printed already.
    pub fn write_ports(&self, w: &mut Vec<u8>, sport: u16, dport: u16) -> io::Result<()> {
        self.write_pair(w, Some((sport, dport)))
    }

    /// `src.sport > dst.dport: ` even where the addresses were printed
    /// already (SCTP's and DCCP's printers).
    pub fn write_addr_ports(&self, w: &mut Vec<u8>, sport: u16, dport: u16) -> io::Result<()> {
        self.write_full(w, Some((sport, dport)))
    }

    fn write_pair(&self, w: &mut Vec<u8>, ports: Option<(u16, u16)>) -> io::Result<()> {
        if !self.ports_only() {
            return self.write_full(w, ports);
        }
        match ports {
            Some((sport, dport)) => write!(w, "{sport} > {dport}: "),
            None => Ok(()),
        }
    }

    fn write_full(&self, w: &mut Vec<u8>, ports: Option<(u16, u16)>) -> io::Result<()> {
        match (self, ports) {
            (Endpoints::V4 { src, dst, .. }, _) => {
                // By hand: the most common line's hot path.
                let (sport, dport) = ports.unzip();
                for (addr, port, sep) in [(src, sport, &b" > "[..]), (dst, dport, b": ")] {
                    put_ipv4(w, addr);
                    if let Some(port) = port {
                        w.push(b'.');
                        put_u32(w, u32::from(port));
                    }
                    w.extend_from_slice(sep);
                }
                Ok(())
            }
            (Endpoints::V6 { src, dst, .. }, None) => {
                write!(w, "{} > {}: ", ip6_text::Ip6(*src), ip6_text::Ip6(*dst))
            }
            (Endpoints::V6 { src, dst, .. }, Some((sport, dport))) => {
                write!(
                    w,
                    "{}.{sport} > {}.{dport}: ",
                    ip6_text::Ip6(*src),
                    ip6_text::Ip6(*dst)
                )
            }
        }
    }

    /// The flow tracker's key of a TCP segment between these endpoints,
    /// and whether the sender is the key's `lo` side.
    pub fn tcp_key(&self, sport: u16, dport: u16) -> (FlowKey, bool) {
        let (src, dst) = match self {
            Endpoints::V4 { src, dst, .. } => (IpAddr::V4(*src), IpAddr::V4(*dst)),
            Endpoints::V6 { src, dst, .. } => (IpAddr::V6(*src), IpAddr::V6(*dst)),
        };
        FlowKey::between(
            Endpoint::new(src, sport),
            Endpoint::new(dst, dport),
            Proto::Tcp,
        )
    }
}
