//! PIM (IP protocol 103; version 2, RFC 7761, bootstrap RFC 5059,
//! bidir RFC 5015) as `tcpdump -n` prints it: `PIMv2, Hello, length 34`
//! (other versions: `PIMv1, length 8`), and at `-v` the checksum's verdict
//! and the message on lines of its own — Hello options, Join/Prune groups
//! and sources, Register flags, Register-Stop, Bootstrap, Assert,
//! Candidate-RP — with tcpdump's encoded addresses (`239.1.1.1/24(0x01)`,
//! `10.0.0.1(SWR)`). The IPv6 checksum covers a pseudo header, so the line
//! reads the IP header ([`IpContext`]).
//!
//! The packet a Register carries is a tunnel's
//! ([`super::tunnel::ip_payload`]): this text stops after the flags for
//! an IPv4 or IPv6 packet, which the line printer then prints at `-v` as
//! tcpdump's IP printer does, and which flows follow (the null header and
//! unknown versions are printed here). PIMv1 travels in IGMP, not here.
//!
//! Every read is bounded; each loop consumes at least four bytes a turn
//! or is bounded by a count the message gives and by its length.

use super::ctl::{ipv4_at, json_object, lines_with_ip, out, tok};
use super::dns::text::{put_hex_dump, put_ipv6, put_ttl};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, IpContext, Payload, Stop, Truncated, jumped};
use crate::decode::checksum::{internet_sum, pseudo_header};
use serde_json::{Map, Value, json};
use std::net::IpAddr;

pub static PIM: Dissector = Dissector::new("pim", line, verbose, to_json, looks_like_pim);

fn looks_like_pim(m: &[u8]) -> bool {
    m.len() >= 4
}

lines_with_ip!();

const TYPES: [&str; 12] = [
    "Hello",
    "Register",
    "Register Stop",
    "Join / Prune",
    "Bootstrap",
    "Assert",
    "Graft",
    "Graft Acknowledgement",
    "Candidate RP Advertisement",
    "Prune Refresh",
    "DF Election",
    "ECMP Redirect",
];

fn type_name(t: u8) -> &'static str {
    TYPES.get(usize::from(t)).copied().unwrap_or("Unknown Type")
}

/// The line at any level, with the IP header for the IPv6 checksum.
pub(super) fn with_ip(w: &mut Vec<u8>, p: &Payload<'_>, ip: &IpContext, v: u8) -> Res<()> {
    let b0 = u8_at(p.bytes, 0)?;
    let (version, kind) = (b0 >> 4, b0 & 0x0f);
    let len = p.declared_len;
    if version != 2 {
        out!(w, "PIMv{version}, length {len}");
        return Ok(());
    }
    if v == 0 {
        out!(w, "PIMv2, {}, length {len}", type_name(kind));
        return Ok(());
    }
    out!(w, "PIMv2, length {len}\n\t{}", type_name(kind));
    // tcpdump names the version-2 printer in its mark from here on.
    if v2(w, p, ip, v).is_err() {
        w.extend_from_slice(b" [|pimv2]");
    }
    Ok(())
}

/// An invalid message's words: what is wrong and ` (invalid)`.
fn invalid(w: &mut Vec<u8>, what: std::fmt::Arguments<'_>) -> Cut<()> {
    out!(w, "{what} (invalid)");
    Ok(())
}

/// Where the next field starts and how many declared bytes remain.
struct At<'m> {
    m: &'m [u8],
    at: usize,
    len: usize,
    /// RFC 2117's unicast address length from the header (0: encoded).
    addr_len: usize,
}

impl At<'_> {
    fn advance(&mut self, n: usize) {
        self.at += n;
        self.len = self.len.saturating_sub(n);
    }

    /// `len >= n` or the message is cut.
    fn need(&self, n: usize) -> Res<()> {
        if self.len < n { Err(Truncated) } else { Ok(()) }
    }

    /// `len >= n` and the capture holds the `n` bytes (tcpdump's length
    /// test and `ND_TCHECK` together): a checked stop either way.
    fn have(&self, n: usize) -> Res<()> {
        self.need(n)?;
        if self.m.len() < self.at + n {
            Err(Truncated)
        } else {
            Ok(())
        }
    }
}

/// How the version-2 printer stopped early (see [`cut_jumps`]).
type Cut<T> = Result<T, Stop>;

/// A read tcpdump makes with a `GET_` macro, unchecked: past the capture
/// it is the `longjmp`.
fn get<T>(r: Res<T>) -> Cut<T> {
    r.map_err(jumped)
}

/// Whether a line cut short ended as tcpdump's `longjmp` (its dump then
/// starts at the frame): the printer is run again for how it stopped;
/// the first byte is read unchecked at every level.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], v: u8) -> bool {
    match u8_at(p.bytes, 0) {
        Ok(b0) if v > 0 && b0 >> 4 == 2 => matches!(
            v2(&mut Vec::new(), p, &super::ctl::NO_IP, v),
            Err(Stop::Jumped)
        ),
        Ok(_) => false,
        Err(_) => true,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Addr {
    Unicast,
    Group,
    Source,
}

/// An encoded address (tcpdump's `pimv2_addr_print`); its size.
fn addr(w: &mut Vec<u8>, a: &At<'_>, kind: Addr) -> Cut<usize> {
    let m = a.m;
    let (v6, hdr) = if a.addr_len == 0 {
        a.need(2)?;
        let v6 = match get(u8_at(m, a.at))? {
            1 => false,
            2 => true,
            _ => return Err(Stop::Checked),
        };
        if get(u8_at(m, a.at + 1))? != 0 {
            return Err(Stop::Checked);
        }
        (v6, 2)
    } else {
        match a.addr_len {
            4 => (false, 0),
            16 => (true, 0),
            _ => return Err(Stop::Checked),
        }
    };
    let size = if v6 { 16 } else { 4 };
    let at = a.at + hdr;
    let left = a.len.saturating_sub(hdr);
    let put = |w: &mut Vec<u8>, at: usize| -> Res<()> {
        if v6 {
            put_ipv6(w, &bytes_at::<16>(m, at)?);
        } else {
            out!(w, "{}", ipv4_at(m, at)?);
        }
        Ok(())
    };
    if kind == Addr::Unicast {
        if left < size || m.len() < at + size {
            return Err(Stop::Checked);
        }
        put(w, at)?;
        return Ok(hdr + size);
    }
    if left < size + 2 || m.len() < at + size + 2 {
        return Err(Stop::Checked);
    }
    put(w, at + 2)?;
    let mask = u8_at(m, at + 1)?;
    if usize::from(mask) != size * 8 {
        out!(w, "/{mask}");
    }
    let flags = u8_at(m, at)?;
    if flags != 0 {
        if kind == Addr::Group {
            out!(w, "(0x{flags:02x})");
        } else {
            w.push(b'(');
            for (bit, c) in [(4, b'S'), (2, b'W'), (1, b'R')] {
                if flags & bit != 0 {
                    w.push(c);
                }
            }
            if flags & 0xf8 != 0 {
                out!(w, "+0x{:02x}", flags & 0xf8);
            }
            w.push(b')');
        }
    }
    Ok(hdr + 2 + size)
}

/// Prints `what`, then the address; moves past it.
fn field(w: &mut Vec<u8>, a: &mut At<'_>, what: &str, kind: Addr) -> Cut<()> {
    w.extend_from_slice(what.as_bytes());
    let n = addr(w, a, kind)?;
    a.advance(n);
    Ok(())
}

/// The checksum over `n` bytes (IPv6: with its pseudo header): right,
/// wrong, or `None` where the capture holds less.
fn sum_ok(m: &[u8], n: usize, ip: &IpContext) -> Option<bool> {
    let bytes = m.get(..n)?;
    let pseudo = match ip.src {
        IpAddr::V6(_) => pseudo_header(ip.src, ip.dst, 103, n),
        IpAddr::V4(_) => 0,
    };
    Some(internet_sum(pseudo, bytes) == 0)
}

/// tcpdump's `pimv2_print` after the type name.
fn v2(w: &mut Vec<u8>, p: &Payload<'_>, ip: &IpContext, v: u8) -> Cut<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < 2 {
        return invalid(w, format_args!("[length {len} < 2]"));
    }
    let kind = get(u8_at(m, 0))? & 0x0f;
    let addr_len = usize::from(get(u8_at(m, 1))? & 0x0f);
    if addr_len != 0 {
        w.extend_from_slice(b", RFC2117-encoding");
    }
    if len < 4 {
        return invalid(w, format_args!("[length {len} < 4]"));
    }
    let stored = get(u16_at(m, 2))?;
    out!(w, ", cksum 0x{stored:04x} ");
    let verdict = if stored == 0 {
        None
    } else if kind == 1 {
        // A Register's checksum covers its header; RFC 7761 accepts one
        // over the whole message too.
        match sum_ok(m, 8, ip) {
            Some(false) => sum_ok(m, len, ip),
            other => other,
        }
    } else {
        sum_ok(m, len, ip)
    };
    w.extend_from_slice(match verdict {
        Some(true) => b"(correct)",
        Some(false) => b"(incorrect)",
        None => b"(unverified)",
    });
    let mut a = At {
        m,
        at: 4,
        len: len - 4,
        addr_len,
    };
    match kind {
        0 => hello(w, &mut a, v),
        1 => register(w, &mut a),
        2 => {
            field(w, &mut a, " group=", Addr::Group)?;
            field(w, &mut a, " source=", Addr::Unicast)
        }
        3 | 6 | 7 => join_prune(w, &mut a, kind),
        4 => bootstrap(w, &mut a),
        5 => {
            field(w, &mut a, " group=", Addr::Group)?;
            field(w, &mut a, " src=", Addr::Unicast)?;
            a.have(8)?;
            let (pref, metric) = (u32_at(m, a.at)?, u32_at(m, a.at + 4)?);
            if pref & 0x8000_0000 != 0 {
                w.extend_from_slice(b" RPT");
            }
            out!(w, " pref={} metric={metric}", pref & 0x7fff_ffff);
            Ok(())
        }
        8 => candidate_rp(w, &mut a),
        9 => {
            field(w, &mut a, " src=", Addr::Unicast)?;
            field(w, &mut a, " grp=", Addr::Group)?;
            field(w, &mut a, " forwarder=", Addr::Unicast)?;
            a.need(2)?;
            w.extend_from_slice(b" TUNR ");
            put_ttl(w, u32::from(get(u16_at(m, a.at))?));
            Ok(())
        }
        10 => df_election(w, &mut a),
        _ => {
            out!(w, " [type {kind}]");
            Ok(())
        }
    }
}

const DF_SUBTYPES: &[(u8, &str)] = &[(1, "Offer"), (2, "Winner"), (3, "Backoff"), (4, "Pass")];

/// Bidir's DF election (RFC 5015): the subtype is the header's high
/// nibble; Backoff and Pass name a second candidate.
fn df_election(w: &mut Vec<u8>, a: &mut At<'_>) -> Cut<()> {
    let m = a.m;
    let subtype = u8_at(m, 1)? >> 4;
    out!(
        w,
        "\n\t  {},",
        tok(DF_SUBTYPES, subtype).unwrap_or("Unknown")
    );
    field(w, a, " rpa=", Addr::Unicast)?;
    // tcpdump reads the metrics without checking the length, and its
    // unsigned length then wraps: only the capture bounds what follows.
    let metrics = |w: &mut Vec<u8>, a: &mut At<'_>, what: &str| -> Cut<()> {
        out!(w, " {what}pref={}", get(u32_at(m, a.at))?);
        out!(w, " {what}metric={}", get(u32_at(m, a.at + 4))?);
        a.at += 8;
        a.len = a.len.checked_sub(8).unwrap_or(usize::MAX);
        Ok(())
    };
    metrics(w, a, "sender ")?;
    if matches!(subtype, 3 | 4) {
        let word = if subtype == 3 { "offer" } else { "new winner" };
        out!(w, "\n\t  {word} addr=");
        let n = addr(w, a, Addr::Unicast)?;
        a.advance(n);
        metrics(w, a, &format!("{word} "))?;
        if subtype == 3 {
            out!(w, " interval {}ms", get(u16_at(m, a.at))?);
        }
    }
    Ok(())
}

const HELLO_OPTIONS: &[(u16, &str)] = &[
    (1, "Hold Time"),
    (2, "LAN Prune Delay"),
    (18, "DR Priority (Old)"),
    (19, "DR Priority"),
    (20, "Generation ID"),
    (21, "State Refresh Capability"),
    (22, "Bi-Directional Capability"),
    (24, "Address List"),
    (65001, "Address List (Old)"),
];

fn hello(w: &mut Vec<u8>, a: &mut At<'_>, v: u8) -> Cut<()> {
    let m = a.m;
    while a.len > 0 {
        a.need(4)?;
        let (t, olen) = (
            get(u16_at(m, a.at))?,
            usize::from(get(u16_at(m, a.at + 2))?),
        );
        let name = tok(HELLO_OPTIONS, t).unwrap_or("Unknown");
        out!(w, "\n\t  {name} Option ({t}), length {olen}, Value: ");
        a.advance(4);
        a.need(olen)?;
        let value = m.get(a.at..a.at + olen).ok_or(Truncated)?;
        let wrong = |w: &mut Vec<u8>, want: usize| {
            invalid(w, format_args!("[option length {olen} != {want}]"))
        };
        match t {
            1 if olen != 2 => return wrong(w, 2),
            1 => put_ttl(w, u32::from(u16_at(m, a.at)?)),
            2 if olen != 4 => return wrong(w, 4),
            2 => {
                let (delay, interval) = (u16_at(m, a.at)?, u16_at(m, a.at + 2)?);
                out!(
                    w,
                    "\n\t    T-bit={}, LAN delay {}ms, Override interval {interval}ms",
                    delay >> 15,
                    delay & 0x7fff
                );
            }
            18 | 19 => match olen {
                0 => w.extend_from_slice(b"Bi-Directional Capability (Old)"),
                4 => out!(w, "{}", u32_at(m, a.at)?),
                _ => return wrong(w, 4),
            },
            20 if olen != 4 => return wrong(w, 4),
            20 => out!(w, "0x{:08x}", u32_at(m, a.at)?),
            21 if olen != 4 => return wrong(w, 4),
            21 => {
                out!(w, "v{}", u8_at(m, a.at)?);
                let interval = u8_at(m, a.at + 1)?;
                if interval != 0 {
                    w.extend_from_slice(b", interval ");
                    put_ttl(w, u32::from(interval));
                }
                let rest = u16_at(m, a.at + 2)?;
                if rest != 0 {
                    out!(w, " ?0x{rest:04x}?");
                }
            }
            22 => {}
            // The addresses are read against what remains of the message,
            // not of the option (as tcpdump does).
            24 | 65001 if v > 1 => {
                let end = a.at + olen;
                let mut list = At { ..*a };
                while list.at < end {
                    w.extend_from_slice(b"\n\t    ");
                    let n = addr(w, &list, Addr::Unicast)?;
                    list.advance(n);
                }
            }
            24 | 65001 => {}
            _ if v <= 1 => put_hex_dump(w, value, b"\n\t    "),
            _ => {}
        }
        if v > 1 {
            put_hex_dump(w, value, b"\n\t    ");
        }
        a.advance(olen);
    }
    Ok(())
}

fn register(w: &mut Vec<u8>, a: &mut At<'_>) -> Cut<()> {
    let m = a.m;
    a.have(4)?;
    let flags = u32_at(m, a.at)?;
    let name = match flags {
        0x8000_0000 => "Border",
        0x4000_0000 => "Null",
        _ => "none",
    };
    out!(w, ", Flags [ {name} ]\n\t");
    a.advance(4);
    if a.len == 0 {
        return Err(Stop::Checked);
    }
    match get(u8_at(m, a.at))? >> 4 {
        0 => out!(
            w,
            "IP-Null-header {} > {}",
            get(ipv4_at(m, a.at + 12))?,
            get(ipv4_at(m, a.at + 16))?
        ),
        // The packet inside is the tunnel's (see the module doc).
        4 | 6 => {}
        n => out!(w, "IP ver {n}"),
    }
    Ok(())
}

fn join_prune(w: &mut Vec<u8>, a: &mut At<'_>, kind: u8) -> Cut<()> {
    let m = a.m;
    let ack = kind == 7;
    if !ack {
        field(w, a, ", upstream-neighbor: ", Addr::Unicast)?;
    }
    a.have(4)?;
    let groups = u8_at(m, a.at + 1)?;
    let hold = u16_at(m, a.at + 2)?;
    out!(w, "\n\t  {groups} group(s)");
    if !ack {
        w.extend_from_slice(b", holdtime: ");
        if hold == 0xffff {
            w.extend_from_slice(b"infinite");
        } else {
            put_ttl(w, u32::from(hold));
        }
    }
    a.advance(4);
    for g in 1..=u32::from(groups) {
        out!(w, "\n\t    group #{g}: ");
        let n = addr(w, a, Addr::Group)?;
        a.advance(n);
        a.have(4)?;
        let (joins, prunes) = (u16_at(m, a.at)?, u16_at(m, a.at + 2)?);
        out!(w, ", joined sources: {joins}, pruned sources: {prunes}");
        a.advance(4);
        for (count, what) in [(joins, "joined"), (prunes, "pruned")] {
            for s in 1..=u32::from(count) {
                out!(w, "\n\t      {what} source #{s}: ");
                let n = addr(w, a, Addr::Source)?;
                a.advance(n);
            }
        }
    }
    Ok(())
}

fn bootstrap(w: &mut Vec<u8>, a: &mut At<'_>) -> Cut<()> {
    let m = a.m;
    a.need(2)?;
    out!(w, " tag={:x}", get(u16_at(m, a.at))?);
    a.advance(2);
    a.need(1)?;
    out!(w, " hashmlen={}", get(u8_at(m, a.at))?);
    a.need(2)?;
    // tcpdump checks the byte after the priority (ND_TCHECK_1(bp + 2)).
    u8_at(m, a.at + 2)?;
    out!(w, " BSRprio={}", u8_at(m, a.at + 1)?);
    a.advance(2);
    field(w, a, " BSR=", Addr::Unicast)?;
    let mut i = 0u32;
    while a.len > 0 {
        out!(w, " (group{i}: ");
        let n = addr(w, a, Addr::Group)?;
        a.advance(n);
        a.need(1)?;
        out!(w, " RPcnt={}", get(u8_at(m, a.at))?);
        a.need(2)?;
        let frp = get(u8_at(m, a.at + 1))?;
        out!(w, " FRPcnt={frp}");
        a.need(4)?;
        a.advance(4);
        let mut j = 0;
        while j < frp && a.len > 0 {
            out!(w, " RP{j}=");
            let n = addr(w, a, Addr::Unicast)?;
            a.advance(n);
            a.need(2)?;
            w.extend_from_slice(b",holdtime=");
            put_ttl(w, u32::from(get(u16_at(m, a.at))?));
            a.need(3)?;
            out!(w, ",prio={}", get(u8_at(m, a.at + 2))?);
            a.need(4)?;
            a.advance(4);
            j += 1;
        }
        w.push(b')');
        i += 1;
    }
    Ok(())
}

fn candidate_rp(w: &mut Vec<u8>, a: &mut At<'_>) -> Cut<()> {
    let m = a.m;
    a.need(1)?;
    let count = get(u8_at(m, a.at))?;
    out!(w, " prefix-cnt={count}");
    a.need(2)?;
    out!(w, " prio={}", get(u8_at(m, a.at + 1))?);
    a.need(4)?;
    w.extend_from_slice(b" holdtime=");
    put_ttl(w, u32::from(get(u16_at(m, a.at + 2))?));
    a.advance(4);
    field(w, a, " RP=", Addr::Unicast)?;
    let mut i = 0;
    while i < count && a.len > 0 {
        out!(w, " Group{i}=");
        let n = addr(w, a, Addr::Group)?;
        a.advance(n);
        i += 1;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let b0 = u8_at(m, 0)?;
    o.insert("version".into(), json!(b0 >> 4));
    o.insert("type".into(), json!(b0 & 0x0f));
    if b0 >> 4 == 2 {
        o.insert("type_name".into(), json!(type_name(b0 & 0x0f)));
    }
    o.insert("length".into(), json!(p.declared_len));
    o.insert("checksum".into(), json!(u16_at(m, 2)?));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_hello_and_truncated() {
        let mut m = vec![0x20, 0, 0, 0, 0, 1, 0, 2, 0, 105];
        let s = internet_sum(0, &m);
        m[2..4].copy_from_slice(&s.to_be_bytes());
        assert_eq!(PIM.printed(&m, 0), "PIMv2, Hello, length 10");
        let v = PIM.printed(&m, 1);
        assert!(
            v.ends_with("(correct)\n\t  Hold Time Option (1), length 2, Value: 1m45s"),
            "{v}"
        );
        let p = Payload {
            bytes: &m[..9],
            declared_len: 10,
        };
        let mut w = Vec::new();
        PIM.write_line(&mut w, &p, 1);
        assert!(String::from_utf8_lossy(&w).ends_with(" [|pimv2]"));
    }
}
