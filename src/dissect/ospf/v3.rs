//! OSPFv3 (RFC 5340, over IPv6) as `tcpdump -n` prints it: the line;
//! at `-v` the header, the hello and the database description; at `-vv`
//! the neighbours, the LSA headers of a description or acknowledgement,
//! the requests and each LSA of an update (router, network, inter-area
//! prefix, external, link, intra-area prefix, grace and TE through the
//! OSPFv2 printers, the rest in hex); then the LLS block and the
//! authentication trailer (RFC 6506) after the message.
//!
//! tcpdump's OSPFv3 printer stops with ` [|ospf3]` wherever its own
//! length checks fail, not only where the capture ends: every such stop
//! here is an `Err`, [`Stop::Checked`] after one of those tests (its dump
//! then starts where it always does), [`Stop::Jumped`] where it read past
//! the capture unchecked (an LSA header, a prefix's words, an opaque
//! LSA's TLVs).

use super::super::ctl::{Bit, ipv4_at, out, put_bits, tok};
use super::super::dns::text::{put_hex_dump, put_ipv6};
use super::super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::super::{Payload, Stop, jumped};
use super::opaque::{self, Walk};
use super::{TYPES, designated_routers, hello_timers, router_and_area};

const OPTIONS: &[Bit] = &[
    (0x01, "V6"),
    (0x02, "External"),
    (0x04, "Deprecated"),
    (0x08, "NSSA"),
    (0x10, "Router"),
    (0x20, "Demand Circuit"),
    (0x0100, "AFs Support"),
    (0x0200, "LLS"),
    (0x0400, "Authentication Trailer"),
];

const DD_FLAGS: &[Bit] = &[
    (0x04, "Init"),
    (0x02, "More"),
    (0x01, "Master"),
    (0x10, "IPv6 MTU"),
];

const ROUTER_FLAGS: &[Bit] = &[
    (0x01, "ABR"),
    (0x02, "External"),
    (0x04, "Virtual-Link Endpoint"),
    (0x08, "Deprecated"),
    (0x10, "NSSA Translator"),
];

const EXTERNAL_FLAGS: &[Bit] = &[
    (0x8000_0000, "External Type 2"),
    (0x0200_0000, "Forwarding"),
    (0x0100_0000, "Tag"),
];

const PREFIX_OPTIONS: &[Bit] = &[
    (0x01, "No Unicast"),
    (0x02, "Local address"),
    (0x04, "Deprecated"),
    (0x08, "Propagate"),
    (0x10, "Down"),
    (0x20, "N-bit"),
];

const LSA_TYPES: &[(u16, &str)] = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Inter-Area Prefix"),
    (4, "Inter-Area Router"),
    (5, "External"),
    (6, "Deprecated"),
    (7, "NSSA"),
    (8, "Link"),
    (9, "Intra-Area Prefix"),
    (10, "Intra-Area TE"),
    (11, "Grace"),
    (12, "Router Information"),
    (13, "Inter-AS-TE"),
    (14, "Layer 1 VPN"),
];

const SCOPES: &[(u16, &str)] = &[
    (0, "Link Local"),
    (0x2000, "Area Local"),
    (0x4000, "Domain Wide"),
];

const HEADER_LEN: usize = 16;

/// How the printer stopped early: [`Stop::Checked`] where tcpdump's own
/// length test failed, [`Stop::Jumped`] where it read past the capture
/// (see [`super::cut_jumps`]).
pub(super) type Cut<T> = Result<T, Stop>;

/// A read tcpdump makes unchecked: past the capture it is the `longjmp`.
fn get<T>(r: Res<T>) -> Cut<T> {
    r.map_err(jumped)
}
const LSA_HEADER_LEN: usize = 20;

/// The whole printer: line, header, body, trailer.
pub(super) fn print(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Cut<()> {
    let (m, length) = (p.bytes, p.declared_len);
    let version = get(u8_at(m, 0))?;
    let kind = get(u8_at(m, 1))?;
    match tok(TYPES, kind) {
        Some(name) => out!(w, "OSPFv{version}, {name}, length {length}"),
        None => {
            out!(
                w,
                "OSPFv{version}, unknown packet type ({kind}), length {length}"
            );
            return Ok(());
        }
    }
    if v == 0 {
        return Ok(());
    }
    let datalen = usize::from(get(u16_at(m, 2))?);
    if datalen > length {
        out!(w, " [len {datalen}]");
        return Ok(());
    }
    get(router_and_area(w, m))?;
    let instance = get(u8_at(m, 14))?;
    if instance != 0 {
        out!(w, ", Instance {instance}");
    }
    if version != 3 {
        return Ok(());
    }
    body(w, m, kind, datalen, v)?;
    trailer(w, m, kind, datalen, length - datalen, v)
}

/// The message after its header, up to `end` (its declared length).
fn body(w: &mut Vec<u8>, m: &[u8], kind: u8, end: usize, v: u8) -> Cut<()> {
    match kind {
        1 => {
            bracketed(w, "\n\tOptions", OPTIONS, get(u32_at(m, 20))?);
            let timers = (
                u32::from(get(u16_at(m, 24))?),
                u32::from(get(u16_at(m, 26))?),
            );
            hello_timers(
                w,
                timers,
                ("Interface-ID", get(ipv4_at(m, 16))?),
                get(u8_at(m, 20))?,
            );
            get(designated_routers(w, m, 28))?;
            if v > 1 {
                w.extend_from_slice(b"\n\t  Neighbor List:");
                for at in (36..end).step_by(4) {
                    out!(w, "\n\t    {}", get(ipv4_at(m, at))?);
                }
            }
        }
        2 => {
            bracketed(w, "\n\tOptions", OPTIONS, get(u32_at(m, 16))?);
            bracketed(w, ", DD Flags", DD_FLAGS, u32::from(get(u8_at(m, 23))?));
            out!(
                w,
                ", MTU {}, DD-Sequence 0x{:08x}",
                get(u16_at(m, 20))?,
                get(u32_at(m, 24))?
            );
            if v > 1 {
                for at in (28..end).step_by(LSA_HEADER_LEN) {
                    lsa_header(w, m, at, end)?;
                }
            }
        }
        3 if v > 1 => {
            for at in (HEADER_LEN..end).step_by(12) {
                if m.len() < at + 12 {
                    return Err(Stop::Checked);
                }
                out!(w, "\n\t  Advertising Router {}", get(ipv4_at(m, at + 8))?);
                ls_type(w, get(u16_at(m, at + 2))?, m, at + 4)?;
            }
        }
        4 if v > 1 => {
            let mut count = get(u32_at(m, HEADER_LEN))?;
            let mut at = HEADER_LEN + 4;
            while at < end && count != 0 {
                count -= 1;
                lsa(w, m, at, end, v)?;
                at += usize::from(get(u16_at(m, at + 18))?);
            }
        }
        5 if v > 1 => {
            for at in (HEADER_LEN..end).step_by(LSA_HEADER_LEN) {
                lsa_header(w, m, at, end)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `lead [names]`: flags named from `table` (read before anything is
/// written, as tcpdump's one `printf` reads them).
fn bracketed(w: &mut Vec<u8>, lead: &str, table: &[Bit], v: u32) {
    w.extend_from_slice(lead.as_bytes());
    w.extend_from_slice(b" [");
    put_bits(w, table, v, "none");
    w.push(b']');
}

/// `Router LSA (1), Area Local Scope, LSA-ID 0.0.0.1`: a type with its
/// flooding scope, and the id at `id_at`.
fn ls_type(w: &mut Vec<u8>, t: u16, m: &[u8], id_at: usize) -> Cut<()> {
    let id = get(ipv4_at(m, id_at))?;
    let code = t & 0x1fff;
    let name = tok(LSA_TYPES, code).unwrap_or("Unknown");
    let scope = tok(SCOPES, t & 0x6000).unwrap_or("Unknown");
    let transitive = if t & 0x8000 != 0 { ", transitive" } else { "" };
    out!(
        w,
        "\n\t    {name} LSA ({code}), {scope} Scope{transitive}, LSA-ID {id}"
    );
    Ok(())
}

/// An LSA header at `at`, which must end by `end`.
fn lsa_header(w: &mut Vec<u8>, m: &[u8], at: usize, end: usize) -> Cut<()> {
    if at + LSA_HEADER_LEN > end {
        return Err(Stop::Checked);
    }
    if m.len() < at + LSA_HEADER_LEN {
        return Err(Stop::Jumped);
    }
    // tcpdump subtracts the header in a size_t: a short length wraps.
    let len = u64::from(get(u16_at(m, at + 18))?).wrapping_sub(LSA_HEADER_LEN as u64);
    out!(
        w,
        "\n\t  Advertising Router {}, seq 0x{:08x}, age {}s, length {len}",
        get(ipv4_at(m, at + 8))?,
        get(u32_at(m, at + 12))?,
        get(u16_at(m, at))?
    );
    ls_type(w, get(u16_at(m, at + 2))?, m, at + 4)
}

/// One LSA of an update.
fn lsa(w: &mut Vec<u8>, m: &[u8], at: usize, end: usize, v: u8) -> Cut<()> {
    lsa_header(w, m, at, end)?;
    let length = usize::from(get(u16_at(m, at + 18))?);
    if length < LSA_HEADER_LEN || at + length > end {
        return Err(Stop::Checked);
    }
    let mut left = length - LSA_HEADER_LEN;
    let b = at + LSA_HEADER_LEN;
    let need = |left: usize, n: usize| {
        if left < n {
            Err(Stop::Checked)
        } else {
            Ok(left - n)
        }
    };
    match get(u16_at(m, at + 2))? {
        0x2001 => {
            left = need(left, 4)?;
            bracketed(w, "\n\t      Options", OPTIONS, get(u32_at(m, b))?);
            bracketed(w, ", RLA-Flags", ROUTER_FLAGS, u32::from(get(u8_at(m, b))?));
            let mut link = b + 4;
            while left != 0 {
                left = need(left, 16)?;
                if m.len() < link + 16 {
                    return Err(Stop::Checked);
                }
                let what = match get(u8_at(m, link))? {
                    1 => "Neighbor Router-ID",
                    2 => "Neighbor Network-ID",
                    4 => "Virtual Link: Neighbor Router-ID",
                    t => {
                        out!(w, "\n\t      Unknown Router Links Type 0x{t:02x}");
                        return Ok(());
                    }
                };
                out!(
                    w,
                    "\n\t      {what} {}\n\t      Neighbor Interface-ID {}, Interface {}, metric {}",
                    get(ipv4_at(m, link + 12))?,
                    get(ipv4_at(m, link + 8))?,
                    get(ipv4_at(m, link + 4))?,
                    get(u16_at(m, link + 2))?
                );
                link += 16;
            }
        }
        0x2002 => {
            left = need(left, 4)?;
            bracketed(w, "\n\t      Options", OPTIONS, get(u32_at(m, b))?);
            w.extend_from_slice(b"\n\t      Connected Routers:");
            let mut r = b + 4;
            while left != 0 {
                left = need(left, 4)?;
                out!(w, "\n\t\t{}", get(ipv4_at(m, r))?);
                r += 4;
            }
        }
        0x2003 => {
            left = need(left, 4)?;
            out!(w, ", metric {}", get(u32_at(m, b))? & 0x00ff_ffff);
            let mut p = b + 4;
            while left != 0 {
                let n = prefix(w, m, p, left)?;
                left -= n;
                p += n;
            }
        }
        0x4005 => {
            left = need(left, 4)?;
            let flags = get(u32_at(m, b))?;
            w.extend_from_slice(b"\n\t     Flags [");
            put_bits(w, EXTERNAL_FLAGS, flags, "none");
            out!(w, "] metric {}", flags & 0x00ff_ffff);
            let first = b + 4;
            let n = prefix(w, m, first, left)?;
            left -= n;
            let mut p = first + n;
            if flags & 0x0200_0000 != 0 {
                left = need(left, 16)?;
                let forward = get(bytes_at::<16>(m, p))?;
                w.extend_from_slice(b" forward ");
                put_ipv6(w, &forward);
                p += 16;
            }
            if flags & 0x0100_0000 != 0 {
                left = need(left, 4)?;
                out!(w, " tag {}", get(ipv4_at(m, p))?);
                p += 4;
            }
            if get(u8_at(m, first + 2))? != 0 {
                need(left, 4)?;
                out!(w, " RefLSID: {}", get(ipv4_at(m, p))?);
            }
        }
        0x0008 => {
            left = need(left, 4)?;
            if m.len() < b + 4 {
                return Err(Stop::Checked);
            }
            bracketed(w, "\n\t      Options", OPTIONS, get(u32_at(m, b))?);
            left = need(left, 20)?;
            let prefixes = get(u32_at(m, b + 20))?;
            let (prio, lladdr) = (get(u8_at(m, b))?, get(bytes_at::<16>(m, b + 4))?);
            out!(w, "\n\t      Priority {prio}, Link-local address ");
            put_ipv6(w, &lladdr);
            out!(w, ", Prefixes {prefixes}:");
            prefix_list(w, m, b + 24, left, prefixes)?;
        }
        0x2009 => {
            // tcpdump counts 6 of the 12 bytes before the prefixes.
            left = need(left, 4)?;
            if m.len() < b + 12 {
                return Err(Stop::Checked);
            }
            ls_type(w, get(u16_at(m, b + 2))?, m, b + 4)?;
            left = need(left, 2)?;
            let prefixes = get(u16_at(m, b))?;
            out!(w, "\n\t      Prefixes {prefixes}:");
            prefix_list(w, m, b + 12, left, u32::from(prefixes))?;
        }
        t @ (0x000a | 0x000b) => {
            let rest = m.get(b..).unwrap_or(&[]);
            let kind = if t == 0x000b { 3 } else { 1 };
            match opaque::print(w, rest, left, kind, v) {
                Some(Ok(Walk::Done)) => {}
                Some(Err(_)) => return Err(Stop::Jumped),
                _ => return Err(Stop::Checked),
            }
        }
        _ => {
            let rest = m.get(b..).unwrap_or(&[]);
            put_hex_dump(w, rest.get(..left).unwrap_or(rest), b"\n\t      ");
        }
    }
    Ok(())
}

/// `count` prefixes from `at`, within `left` bytes of the LSA.
fn prefix_list(w: &mut Vec<u8>, m: &[u8], mut at: usize, mut left: usize, count: u32) -> Cut<()> {
    for _ in 0..count {
        let n = prefix(w, m, at, left)?;
        left -= n;
        at += n;
    }
    Ok(())
}

/// One address prefix at `at` (length, options, metric, the prefix's
/// words) within `left` bytes of the LSA; how many bytes it took.
fn prefix(w: &mut Vec<u8>, m: &[u8], at: usize, left: usize) -> Cut<usize> {
    if left < 4 || m.len() < at + 4 {
        return Err(Stop::Checked);
    }
    let plen = get(u8_at(m, at))?;
    let words = usize::from(plen).div_ceil(32);
    if words > 4 {
        out!(w, " bogus prefixlen /{plen}");
        return Err(Stop::Checked);
    }
    if left - 4 < words * 4 {
        return Err(Stop::Checked);
    }
    let mut addr = [0u8; 16];
    let bytes = m.get(at + 4..at + 4 + words * 4).ok_or(Stop::Jumped)?;
    addr[..bytes.len()].copy_from_slice(bytes);
    w.extend_from_slice(b"\n\t\t");
    put_ipv6(w, &addr);
    out!(w, "/{plen}");
    let options = get(u8_at(m, at + 1))?;
    if options != 0 {
        w.extend_from_slice(b", Options [");
        put_bits(w, PREFIX_OPTIONS, u32::from(options), "none");
        w.push(b']');
    }
    out!(w, ", metric {}", get(u16_at(m, at + 2))?);
    Ok(4 + words * 4)
}

/// What follows the message: the LLS block (a hello or description with
/// the L bit), then the authentication trailer, in `len` bytes from
/// `at`.
fn trailer(w: &mut Vec<u8>, m: &[u8], kind: u8, at: usize, len: usize, v: u8) -> Cut<()> {
    let options = match kind {
        1 => get(u32_at(m, 20))?,
        2 => get(u32_at(m, 16))?,
        _ => 0,
    };
    let mut lls = 0;
    if options & 0x0200 != 0 && len != 0 {
        if len < 4 {
            return Err(Stop::Checked);
        }
        out!(w, "\n\tLLS Checksum 0x{:04x}", get(u16_at(m, at))?);
        let data_len = get(u16_at(m, at + 2))?;
        out!(w, ", Data Length {data_len}");
        lls = usize::from(data_len);
        if lls < 4 || lls > len || m.len() < at + lls {
            return Err(Stop::Checked);
        }
    }
    let (at, len) = (at + lls, len - lls);
    if len == 0 {
        return Ok(());
    }
    if len < 16 {
        return Err(Stop::Checked);
    }
    let kind = get(u16_at(m, at))?;
    match kind {
        1 => w.extend_from_slice(b"\n\tAuthentication Type HMAC"),
        _ => out!(w, "\n\tAuthentication Type unknown (0x{kind:04x})"),
    }
    let auth_len = get(u16_at(m, at + 2))?;
    out!(w, ", Length {auth_len}");
    let auth_len = usize::from(auth_len);
    if auth_len < 16 || auth_len > len {
        return Err(Stop::Checked);
    }
    out!(w, ", SAID {}", get(u16_at(m, at + 6))?);
    out!(w, ", CSN 0x{:08x}", get(u32_at(m, at + 8))?);
    out!(w, ":{:08x}", get(u32_at(m, at + 12))?);
    let data = m.get(at + 16..at + auth_len).ok_or(Stop::Checked)?;
    if v > 1 {
        put_hex_dump(w, data, b"\n\tAuthentication Data ");
    }
    Ok(())
}
