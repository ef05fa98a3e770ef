//! PGM (IP protocol 113, RFC 3208), as `tcpdump -n` prints it: the ports
//! after the IP addresses (`10.0.0.1.7500 > 239.1.1.1.7500: PGM, length
//! 12`), then at `-v` the global source id, the message's fields (SPM,
//! POLL, POLR, ODATA, RDATA, NAK, NNAK, NCF, ACK, SPMR) and its options
//! (fragment, NAK list, join, back-off, redirect, parity, SYN/FIN/RST,
//! PGMCC, …) with tcpdump's complaints about bad option lengths, and the
//! IP payload's length in brackets. The addresses come from the IP header
//! ([`IpContext`]).

use super::ctl::{ipv4_at, json_object, lines_with_ip, out, tok};
use super::dns::text::put_ipv6;
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, IpContext, Payload, Stop, Truncated, jumped};
use serde_json::{Map, Value, json};

pub static PGM: Dissector = Dissector::new("pgm", line, verbose, to_json, looks_like_pgm);

/// PGM in a UDP datagram (`-T pgm`, `-T pgm_zmtp1`): the same printer
/// after the datagram's addresses and ports, saying PGM's ports alone.
pub static PGM_UDP: Dissector =
    Dissector::new("pgm", over_udp, over_udp_verbose, to_json, looks_like_pgm);

fn over_udp(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    over_udp_verbose(w, p, 0)
}

fn over_udp_verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let mut ip = super::ctl::NO_IP;
    if let Some(peers) = super::peers::current() {
        (ip.src, ip.dst) = (peers.src, peers.dst);
    }
    ip.ports_only = true;
    with_ip(w, p, &ip, v)
}

/// The fixed header: ports, type, options, checksum, GSI, TSDU length.
const HEADER: usize = 16;

fn looks_like_pgm(m: &[u8]) -> bool {
    m.len() >= HEADER
}

lines_with_ip!();

const TYPES: &[(u8, &str)] = &[
    (0, "SPM"),
    (1, "POLL"),
    (2, "POLR"),
    (4, "ODATA"),
    (5, "RDATA"),
    (8, "NAK"),
    (9, "NNAK"),
    (10, "NCF"),
    (11, "ACK"),
    (12, "SPMR"),
];

/// The options-present bit of the header's options byte.
const OPT_PRESENT: u8 = 0x01;
/// The last option's type has this bit.
const OPT_END: u8 = 0x80;

/// A printer's result: where it stopped early, how ([`Stop`]).
type Cut<T> = Result<T, Stop>;

/// The line at any level, with the IP header's addresses.
pub(super) fn with_ip(w: &mut Vec<u8>, p: &Payload<'_>, ip: &IpContext, v: u8) -> Res<()> {
    print(w, p, ip, v).map_err(Truncated::from)
}

/// Whether a cut line ended by tcpdump's `longjmp`: its printer reads
/// POLL's back-off fields and an option's type and length unchecked.
pub(super) fn cut_jumps(p: &Payload<'_>, w: &[u8], v: u8) -> bool {
    // ZeroMQ's frames inside (`-T pgm_zmtp1`) stop only by `longjmp`.
    w.ends_with(super::zmtp1::CUT)
        || matches!(
            print(&mut Vec::new(), p, &super::ctl::NO_IP, v),
            Err(Stop::Jumped)
        )
}

fn print(w: &mut Vec<u8>, p: &Payload<'_>, ip: &IpContext, v: u8) -> Cut<()> {
    let m = p.bytes;
    let (Ok(sport), Ok(dport)) = (u16_at(m, 0), u16_at(m, 2)) else {
        out!(w, "{} > {}:", ip.src, ip.dst);
        return Err(Stop::Checked);
    };
    if ip.ports_only {
        out!(w, "{sport} > {dport}: ");
    } else {
        out!(w, "{}.{sport} > {}.{dport}: ", ip.src, ip.dst);
    }
    need(m, 0, HEADER)?;
    out!(w, "PGM, length {}", u16_at(m, 14)?);
    if v == 0 {
        return Ok(());
    }
    w.extend_from_slice(b" 0x");
    for b in bytes_at::<6>(m, 8)? {
        out!(w, "{b:02x}");
    }
    w.push(b' ');
    let kind = u8_at(m, 4)?;
    let Some(at) = body(w, m, kind)? else {
        return Ok(());
    };
    let data = if u8_at(m, 5)? & OPT_PRESENT != 0 {
        match options(w, m, at)? {
            Some(end) => end,
            None => return Ok(()),
        }
    } else {
        at
    };
    out!(w, " [{}]", p.declared_len);
    // `-T pgm_zmtp1`: ZeroMQ's frames in ODATA's and RDATA's data, as
    // long as the header's TSDU length says (they mark their own cut).
    if matches!(kind, 4 | 5)
        && super::packet_type::get() == Some(super::packet_type::PacketType::PgmZmtp1)
    {
        let tsdu = usize::from(u16_at(m, 14)?);
        let bytes = m.get(data..).unwrap_or(&[]);
        if super::zmtp1::datagram(w, bytes, tsdu, v).is_err() {
            w.extend_from_slice(super::zmtp1::CUT);
        }
    }
    Ok(())
}

/// A network-layer address after its 16-bit AFI (and 16 reserved bits)
/// at `at`, as text, and where it ends; `Err` for a family tcpdump does
/// not know (it stops there as if cut).
fn nla(m: &[u8], at: usize) -> Res<(String, usize)> {
    nla_at(m, u16_at(m, at)?, at + 4)
}

/// An address of family `afi` at `from`, as text, and where it ends.
fn nla_at(m: &[u8], afi: u16, from: usize) -> Res<(String, usize)> {
    match afi {
        1 => Ok((ipv4_at(m, from)?.to_string(), from + 4)),
        2 => {
            let mut t = Vec::new();
            put_ipv6(&mut t, &bytes_at::<16>(m, from)?);
            Ok((String::from_utf8_lossy(&t).into_owned(), from + 16))
        }
        _ => Err(Truncated),
    }
}

/// The message's own fields after the header; where its options start
/// (tcpdump's `bp`, the header's start for SPMR and unknown types, which
/// it leaves there), `None` where it stopped without a cut.
fn body(w: &mut Vec<u8>, m: &[u8], kind: u8) -> Cut<Option<usize>> {
    let b = HEADER;
    let at = match kind {
        0 => {
            need(m, b, 16)?;
            let (nla, end) = nla(m, b + 12)?;
            out!(
                w,
                "SPM seq {} trail {} lead {} nla {nla}",
                u32_at(m, b)?,
                u32_at(m, b + 4)?,
                u32_at(m, b + 8)?
            );
            end
        }
        2 => {
            need(m, b, 8)?;
            out!(w, "POLR seq {} round {}", u32_at(m, b)?, u16_at(m, b + 4)?);
            b + 8
        }
        1 => {
            need(m, b, 12)?;
            let (nla, end) = nla(m, b + 8)?;
            let get = |at| u32_at(m, at).map_err(jumped);
            let (ivl, rnd, mask) = (get(end)?, get(end + 4)?, get(end + 8)?);
            out!(
                w,
                "POLL seq {} round {} nla {nla} ivl {ivl} rnd 0x{rnd:08x} mask 0x{mask:08x}",
                u32_at(m, b)?,
                u16_at(m, b + 4)?
            );
            end + 12
        }
        4 | 5 => {
            need(m, b, 8)?;
            let name = if kind == 4 { "ODATA" } else { "RDATA" };
            out!(
                w,
                "{name} trail {} seq {}",
                u32_at(m, b + 4)?,
                u32_at(m, b)?
            );
            b + 8
        }
        8..=10 => {
            need(m, b, 8)?;
            let (source, end) = nla(m, b + 4)?;
            // tcpdump skips the group's family and reserved bytes, then
            // takes the family from the address's first two bytes, read
            // unchecked.
            let afi = u16_at(m, end + 4).map_err(jumped)?;
            let (group, end) = nla_at(m, afi, end + 4)?;
            let name = tok(TYPES, kind).unwrap_or_default();
            out!(w, "{name} ({source} -> {group}), seq {}", u32_at(m, b)?);
            end
        }
        11 => {
            need(m, b, 8)?;
            out!(w, "ACK seq {}", u32_at(m, b)?);
            b + 8
        }
        12 => {
            w.extend_from_slice(b"SPMR");
            0
        }
        _ => {
            out!(w, "UNKNOWN type 0x{kind:02x}");
            0
        }
    };
    Ok(Some(at))
}

/// An option whose length is fixed: its name for tcpdump's complaint.
fn fixed(w: &mut Vec<u8>, name: &str, len: u8, want: u8) -> bool {
    if len != want {
        out!(w, "[Bad {name} option, length {len} != {want}]");
        return false;
    }
    true
}

/// The options from `at` (the first must be OPT_LENGTH): where tcpdump's
/// reading ended (the data), `None` where it gave up with a bracketed
/// complaint (no ` [length]` after).
fn options(w: &mut Vec<u8>, m: &[u8], at: usize) -> Cut<Option<usize>> {
    need(m, at, 4)?;
    let first = u8_at(m, at)? & 0x7f;
    if first != 0 {
        out!(
            w,
            "[First option bad, should be PGM_OPT_LENGTH, is {first}]"
        );
        return Ok(None);
    }
    let len = u8_at(m, at + 1)?;
    if len != 4 {
        out!(w, "[Bad OPT_LENGTH option, length {len} != 4]");
        return Ok(None);
    }
    let total = u32::from(u16_at(m, at + 2)?);
    if total < 4 {
        out!(w, "[Bad total option length {total} < 4]");
        return Ok(None);
    }
    out!(w, " OPTS LEN {total}");
    let mut left = total - 4;
    let mut bp = at + 4;
    // Each pass takes at least 4 bytes off `left` or ends the loop.
    while left > 0 {
        if left < 4 {
            w.extend_from_slice(b"[Total option length leaves no room for final option]");
            return Ok(None);
        }
        let kind = u8_at(m, bp).map_err(jumped)?;
        let len = u8_at(m, bp + 1).map_err(jumped)?;
        bp += 2;
        if len < 4 {
            out!(w, "[Bad option, length {len} < 4]");
            break;
        }
        if left < u32::from(len) {
            w.extend_from_slice(b"[Total option length leaves no room for final option]");
            return Ok(None);
        }
        need(m, bp, usize::from(len) - 2)?;
        let (used, go_on) = option(w, m, bp, kind, len)?;
        if !go_on {
            return Ok(None);
        }
        bp += used.0;
        left = left.saturating_sub(used.1);
        if kind & OPT_END != 0 {
            break;
        }
    }
    Ok(Some(bp))
}

/// One option's text; how far tcpdump moves on (from after the type and
/// length bytes) and what it takes off the options' length — not always
/// the option's length, as in its printer — and whether to go on.
fn option(w: &mut Vec<u8>, m: &[u8], bp: usize, kind: u8, len: u8) -> Cut<((usize, u32), bool)> {
    let l = u32::from(len);
    let skip = usize::from(len);
    let ok = |n: usize| Ok(((n, u32::from(len)), true));
    let stop = Ok(((0, 0), false));
    match kind & 0x7f {
        0 => {
            if !fixed(w, "OPT_LENGTH", len, 4) {
                return stop;
            }
            out!(w, " OPTS LEN (extra?) {}", u16_at(m, bp)?);
            ok(2)
        }
        1 => {
            if !fixed(w, "OPT_FRAGMENT", len, 16) {
                return stop;
            }
            out!(
                w,
                " FRAG seq {} off {} len {}",
                u32_at(m, bp + 2)?,
                u32_at(m, bp + 6)?,
                u32_at(m, bp + 10)?
            );
            ok(14)
        }
        2 => {
            w.extend_from_slice(b" NAK LIST");
            let mut n = len - 4;
            let mut at = bp + 2;
            let mut taken = 0;
            while n > 0 {
                if n < 4 {
                    w.extend_from_slice(b"[Option length not a multiple of 4]");
                    return stop;
                }
                out!(w, " {}", u32_at(m, at)?);
                at += 4;
                n -= 4;
                taken += 4;
            }
            // tcpdump takes only the sequence numbers off the options'
            // length, not the option's own 4 bytes.
            Ok(((at - bp, taken), true))
        }
        3 => {
            if !fixed(w, "OPT_JOIN", len, 8) {
                return stop;
            }
            out!(w, " JOIN {}", u32_at(m, bp + 2)?);
            ok(6)
        }
        4 | 5 => {
            let name = if kind & 0x7f == 4 {
                "OPT_NAK_BO_IVL"
            } else {
                "OPT_NAK_BO_RNG"
            };
            if !fixed(w, name, len, 12) {
                return stop;
            }
            let (a, b) = (u32_at(m, bp + 2)?, u32_at(m, bp + 6)?);
            if kind & 0x7f == 4 {
                out!(w, " BACKOFF ivl {a} ivlseq {b}");
            } else {
                out!(w, " BACKOFF max {a} min {b}");
            }
            ok(10)
        }
        7 => with_nla(w, m, bp, len, "OPT_REDIRECT", 8, |w, _, nla| {
            out!(w, " REDIRECT {nla}")
        }),
        8..=10 => {
            let (name, text) = match kind & 0x7f {
                8 => ("OPT_PARITY_PRM", "PARITY MAXTGS"),
                9 => ("OPT_PARITY_GRP", "PARITY GROUP"),
                _ => ("OPT_CURR_TGSIZE", "PARITY ATGS"),
            };
            if !fixed(w, name, len, 8) {
                return stop;
            }
            out!(w, " {text} {}", u32_at(m, bp + 2)?);
            ok(6)
        }
        11 | 13 | 14 | 15 | 17 => {
            let (name, text) = match kind & 0x7f {
                11 => ("OPT_NBR_UNREACH", "NBR_UNREACH"),
                13 => ("OPT_SYN", "SYN"),
                14 => ("OPT_FIN", "FIN"),
                15 => ("OPT_RST", "RST"),
                _ => ("OPT_CRQST", "CRQST"),
            };
            if !fixed(w, name, len, 4) {
                return stop;
            }
            out!(w, " {text}");
            ok(2)
        }
        // tcpdump moves past these by the whole length from after the
        // type and length bytes: two bytes too far.
        12 => {
            out!(w, " PATH_NLA [{len}]");
            Ok(((skip, l), true))
        }
        16 => {
            w.extend_from_slice(b" CR");
            Ok(((skip, l), true))
        }
        18 => with_nla(w, m, bp, len, "OPT_PGMCC_DATA", 12, |w, o, nla| {
            out!(w, " PGMCC DATA {o} {nla}")
        }),
        19 => with_nla(w, m, bp, len, "OPT_PGMCC_FEEDBACK", 12, |w, o, nla| {
            out!(w, " PGMCC FEEDBACK {o} {nla}")
        }),
        _ => {
            out!(w, " OPT_{kind:02X} [{len}] ");
            Ok(((skip, l), true))
        }
    }
}

/// REDIRECT and the PGMCC options: a fixed part (`fixed_len` bytes with
/// the header; PGMCC's holds a 32-bit value first) and an address whose
/// family sets the option's length.
fn with_nla(
    w: &mut Vec<u8>,
    m: &[u8],
    bp: usize,
    len: u8,
    name: &str,
    fixed_len: u8,
    print: fn(&mut Vec<u8>, u32, &str),
) -> Cut<((usize, u32), bool)> {
    let stop = Ok(((0, 0), false));
    if len < fixed_len {
        // tcpdump's wording for PGMCC FEEDBACK keeps its `PGM_` prefix.
        let shown = if name == "OPT_PGMCC_FEEDBACK" {
            "PGM_OPT_PGMCC_FEEDBACK"
        } else {
            name
        };
        out!(w, "[Bad {shown} option, length {len} < {fixed_len}]");
        return stop;
    }
    let pgmcc = fixed_len == 12;
    let value = if pgmcc { u32_at(m, bp + 2)? } else { 0 };
    let afi_at = if pgmcc { bp + 6 } else { bp + 2 };
    let size = match u16_at(m, afi_at)? {
        1 => 4,
        2 => 16,
        _ => return Err(Stop::Checked),
    };
    if usize::from(len) != usize::from(fixed_len) + size {
        // tcpdump swaps the numbers for REDIRECT over IPv6.
        let (a, b) = if !pgmcc && size == 16 {
            (fixed_len, len)
        } else {
            (len, fixed_len)
        };
        out!(w, "[Bad {name} option, length {a} != {b} + address size]");
        return stop;
    }
    let (nla, end) = nla(m, afi_at)?;
    print(w, value, &nla);
    Ok(((end - bp, u32::from(len)), true))
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("sport".into(), json!(u16_at(m, 0)?));
    o.insert("dport".into(), json!(u16_at(m, 2)?));
    let kind = u8_at(m, 4)?;
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(tok(TYPES, kind)));
    o.insert("options".into(), json!(u8_at(m, 5)?));
    o.insert("checksum".into(), json!(u16_at(m, 6)?));
    let gsi: String = bytes_at::<6>(m, 8)?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    o.insert("gsi".into(), json!(gsi));
    o.insert("tsdu_length".into(), json!(u16_at(m, 14)?));
    if matches!(kind, 0 | 1 | 2 | 4 | 5 | 8..=11) {
        o.insert("sequence".into(), json!(u32_at(m, HEADER)?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::ctl::NO_IP;

    #[test]
    fn test_truncated_before_the_ports() {
        let p = Payload::whole(&[0, 1, 0]);
        let mut w = Vec::new();
        assert!(with_ip(&mut w, &p, &NO_IP, 0).is_err());
        assert_eq!(String::from_utf8_lossy(&w), "0.0.0.0 > 0.0.0.0:");
    }

    #[test]
    fn test_odata_with_fragment_option() {
        let mut m = vec![0x1d, 0x4c, 0x1d, 0x4c, 4, 1, 0, 0, 1, 2, 3, 4, 5, 6, 0, 3];
        m.extend_from_slice(&[0, 0, 0, 9, 0, 0, 0, 7]);
        m.extend_from_slice(&[0, 4, 0, 20, 0x81, 16, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0]);
        m.extend_from_slice(&[0, 0, 0, 3, b'a', b'b', b'c']);
        let mut w = Vec::new();
        assert!(with_ip(&mut w, &Payload::whole(&m), &NO_IP, 1).is_ok());
        assert_eq!(
            String::from_utf8_lossy(&w),
            "0.0.0.0.7500 > 0.0.0.0.7500: PGM, length 3 0x010203040506 ODATA trail 7 seq 9 \
             OPTS LEN 20 FRAG seq 9 off 0 len 3 [47]"
        );
    }
}
