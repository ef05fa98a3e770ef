//! MLDv2 (RFC 3810) in tcpdump's words: a query's group and, under `-v`,
//! its maximum response delay, S flag, robustness and query interval; a
//! report's record count and, under `-v`, each record (`[gaddr ff02::fb
//! to_ex, 0 source(s)]`, the sources themselves at `-vv`). The fields
//! come from `decode::icmp`'s view; `len` is the message's length on the
//! wire, which tcpdump checks the counts against.

use crate::decode::icmp::IcmpMessage;
use std::io::{self, Write};

/// A code of RFC 3810's floating-point form (the 16-bit maximum
/// response code, `mant_bits` 12; the 8-bit query interval code, 4):
/// below the first exponent the value itself, else a mantissa with its
/// implied top bit shifted by three more than the 3-bit exponent.
fn float_code(code: u32, mant_bits: u32) -> u32 {
    if code < 1 << (mant_bits + 3) {
        return code;
    }
    let mant = code & ((1 << mant_bits) - 1);
    let exp = (code >> mant_bits) & 7;
    (mant | 1 << mant_bits) << (exp + 3)
}

/// What follows the name of an MLDv2 query (type 130 at 28 bytes or
/// more) or report (143). `true` when the message was cut before a field
/// tcpdump reads without a check of its own: it gives up on the packet
/// there (no length after, and its hex dump starts at the first byte).
pub(super) fn write_v2(
    w: &mut Vec<u8>,
    m: &IcmpMessage<'_>,
    len: usize,
    level: u8,
) -> io::Result<bool> {
    if m.icmp_type() == 143 {
        report(w, m, len, level)
    } else {
        query(w, m, len, level)
    }
}

/// After `multicast listener query v2`: ` [max resp delay=N] [gaddr G
/// robustness=2 qqi=125, 1 source(s)]`.
fn query(w: &mut Vec<u8>, m: &IcmpMessage<'_>, len: usize, level: u8) -> io::Result<bool> {
    // tcpdump reads the code before it looks at the level.
    let Some(delay) = m.echo_id() else {
        return w.write_all(b" [|icmp6]").map(|()| true);
    };
    if level > 0 {
        write!(w, " [max resp delay={}]", float_code(u32::from(delay), 12))?;
    }
    let Some(g) = m.body_ipv6(0) else {
        return w.write_all(b" [|icmp6]").map(|()| true);
    };
    write!(w, " [gaddr {g}")?;
    if level > 0 {
        let (Some(s_qrv), Some(qqic)) = (m.body_u8(16), m.body_u8(17)) else {
            return w.write_all(b" [|icmp6]").map(|()| true);
        };
        if s_qrv & 0x08 != 0 {
            w.write_all(b" sflag")?;
        }
        if s_qrv & 0x07 != 0 {
            write!(w, " robustness={}", s_qrv & 0x07)?;
        }
        write!(w, " qqi={}", float_code(u32::from(qqic), 4))?;
    }
    let Some(sources) = m.body_u16(18) else {
        return w.write_all(b" [|icmp6]").map(|()| true);
    };
    if sources > 0 {
        if len < 28 + usize::from(sources) * 16 {
            w.write_all(b" [invalid number of sources]")?;
        } else if level > 1 {
            w.write_all(b" {")?;
            for i in 0..usize::from(sources) {
                let Some(a) = m.body_ipv6(20 + i * 16) else {
                    return w.write_all(b" [|icmp6]").map(|()| true);
                };
                write!(w, " {a}")?;
            }
            w.write_all(b" }")?;
        } else {
            write!(w, ", {sources} source(s)")?;
        }
    }
    w.write_all(b"]").map(|()| false)
}

/// tcpdump's names of the MLDv2 record types.
fn record_type(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "is_in",
        2 => "is_ex",
        3 => "to_in",
        4 => "to_ex",
        5 => "allow",
        6 => "block",
        _ => return None,
    })
}

/// After `multicast listener report v2`: `, 2 group record(s)` and, under
/// `-v`, each record. `true` when a field tcpdump reads without a check
/// of its own was cut.
fn report(w: &mut Vec<u8>, m: &IcmpMessage<'_>, len: usize, level: u8) -> io::Result<bool> {
    if len < 8 {
        return write!(w, " [invalid len {len}]").map(|()| false);
    }
    let Some(records) = m.echo_seq() else {
        return w.write_all(b" [|icmp6]").map(|()| true);
    };
    write!(w, ", {records} group record(s)")?;
    if level == 0 {
        return Ok(false);
    }
    records_v(w, m, (len, records), level)
}

/// The records of a report under `-v` (`len`: the message's length on
/// the wire); `true` when a record was cut (tcpdump gives up there).
fn records_v(
    w: &mut Vec<u8>,
    m: &IcmpMessage<'_>,
    (len, records): (usize, u16),
    level: u8,
) -> io::Result<bool> {
    // Offsets into the body (the message from byte 8 on).
    let mut at = 0usize;
    for _ in 0..records {
        if len < 8 + at + 20 {
            return w.write_all(b" [invalid number of groups]").map(|()| false);
        }
        let (Some(kind), Some(sources), Some(g)) =
            (m.body_u8(at), m.body_u16(at + 2), m.body_ipv6(at + 4))
        else {
            return w.write_all(b" [|icmp6]").map(|()| true);
        };
        write!(w, " [gaddr {g}")?;
        match record_type(kind) {
            Some(name) => write!(w, " {name}")?,
            None => write!(w, "  [v2-report-#{kind}]")?,
        }
        let sources = usize::from(sources);
        if len < 8 + at + 20 + sources * 16 {
            return write!(w, " [invalid number of sources {sources}]").map(|()| false);
        }
        if level == 1 {
            write!(w, ", {sources} source(s)")?;
        } else {
            w.write_all(b" {")?;
            for i in 0..sources {
                let Some(a) = m.body_ipv6(at + 20 + i * 16) else {
                    return w.write_all(b"[|icmp6]").map(|()| true);
                };
                write!(w, " {a}")?;
            }
            w.write_all(b" }")?;
        }
        at += 20 + sources * 16;
        w.write_all(b"]")?;
    }
    Ok(false)
}
