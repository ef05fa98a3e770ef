//! DCCP (IP protocol 33, RFC 4340) as `tcpdump -n` prints it: the ports,
//! then `DCCP DCCP-Request (service=0) `, `DCCP-Ack (ack=7) ` …; at `-v`
//! the CCVal, checksum coverage and the checksum's verdict (over the IP
//! pseudo header, so the line reads the IP header: [`IpContext`]); at
//! `-vv` the sequence number and the options (`<nop, timestamp 1234,
//! ndp_count 1>`). A header shorter than its type needs is named as
//! tcpdump names it (`truncated-DCCP-Ack - 4 bytes missing!`).
//!
//! Every read is bounded; the option loop moves forward by at least one
//! byte a turn and stops at the header length.

use super::ctl::{json_object, lines_with_ip, out, tok};
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, IpContext, Payload, Truncated};
use crate::decode::checksum::{internet_sum, pseudo_header};
use serde_json::{Map, Value, json};

pub static DCCP: Dissector = Dissector::new("dccp", line, verbose, to_json, looks_like_dccp);

fn looks_like_dccp(m: &[u8]) -> bool {
    m.len() >= BASIC
}

/// The generic header with a 24-bit sequence number; with the X bit, 16.
const BASIC: usize = 12;

/// The generic header's length: 16 bytes when the X bit asks for 48-bit
/// sequence numbers.
fn basic_len(m: &[u8]) -> Res<usize> {
    Ok(if u8_at(m, 8)? & 1 != 0 { 16 } else { BASIC })
}

/// Whether the line printer puts the addresses and ports before `DCCP`:
/// tcpdump prints them once the generic header is there.
pub fn has_header(p: &Payload<'_>) -> bool {
    p.bytes.len() >= BASIC
        && basic_len(p.bytes).is_ok_and(|n| p.declared_len >= n && p.bytes.len() >= n)
}

/// The ports, once [`has_header`] holds.
pub fn ports(p: &Payload<'_>) -> Option<(u16, u16)> {
    Some((u16_at(p.bytes, 0).ok()?, u16_at(p.bytes, 2).ok()?))
}

lines_with_ip!();

const TYPES: [&str; 10] = [
    "DCCP-Request",
    "DCCP-Response",
    "DCCP-Data",
    "DCCP-Ack",
    "DCCP-DataAck",
    "DCCP-CloseReq",
    "DCCP-Close",
    "DCCP-Reset",
    "DCCP-Sync",
    "DCCP-SyncAck",
];

const RESET_CODES: [&str; 12] = [
    "unspecified",
    "closed",
    "aborted",
    "no_connection",
    "packet_error",
    "option_error",
    "mandatory_error",
    "connection_refused",
    "bad_service_code",
    "too_busy",
    "bad_init_cookie",
    "aggression_penalty",
];

/// What each type adds to the generic header (Request: the service code;
/// Response and Reset: an acknowledgement and more; Data: nothing).
fn extra_len(kind: u8) -> usize {
    match kind {
        0 => 4,
        1 | 7 => 12,
        3..=6 | 8 | 9 => 8,
        _ => 0,
    }
}

/// The checksum's coverage: all of it, or the header and `cscov - 1`
/// words of payload (RFC 4340 §9.2), never more than the datagram.
fn coverage(m: &[u8], len: usize) -> Res<usize> {
    let cscov = usize::from(u8_at(m, 5)? & 0x0f);
    if cscov == 0 {
        return Ok(len);
    }
    let cov = (usize::from(u8_at(m, 4)?) + cscov - 1) * 4;
    Ok(cov.min(len))
}

/// The line at any level, with the IP header's addresses for the checksum.
pub(super) fn with_ip(w: &mut Vec<u8>, p: &Payload<'_>, ip: &IpContext, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if m.len() < BASIC {
        return Err(Truncated);
    }
    if len < BASIC {
        out!(w, "truncated-dccp - {} bytes missing!", BASIC - len);
        return Ok(());
    }
    let mut fixed = basic_len(m)?;
    if len < fixed {
        out!(w, "truncated-dccp - {} bytes missing!", fixed - len);
        return Ok(());
    }
    if m.len() < fixed {
        return Err(Truncated);
    }
    let hlen = usize::from(u8_at(m, 4)?) * 4;
    w.extend_from_slice(b"DCCP");
    let b5 = u8_at(m, 5)?;
    if v > 0 {
        out!(w, " (CCVal {}, CsCov {}", b5 >> 4, b5 & 0x0f);
        if let Some(whole) = m.get(..len) {
            let stored = u16_at(m, 6)?;
            out!(w, ", cksum 0x{stored:04x} ");
            let cov = whole.get(..coverage(m, len)?).unwrap_or(whole);
            let sum = internet_sum(pseudo_header(ip.src, ip.dst, 33, len), cov);
            if sum != 0 {
                out!(w, "(incorrect -> 0x{:04x})", should_be(stored, sum));
            } else {
                w.extend_from_slice(b"(correct)");
            }
        }
        w.push(b')');
    }
    w.push(b' ');
    let kind = (u8_at(m, 8)? >> 1) & 0x0f;
    let name = TYPES.get(usize::from(kind)).copied();
    match name {
        Some(name) => {
            fixed += extra_len(kind);
            if len < fixed {
                out!(w, "truncated-{name} - {} bytes missing!", fixed - len);
                return Ok(());
            }
            if m.len() < fixed && matches!(kind, 0 | 1 | 7) {
                return Err(Truncated);
            }
            w.extend_from_slice(name.as_bytes());
            match kind {
                0 => out!(w, " (service={})", u32_at(m, fixed - 4)?),
                1 => out!(w, " (service={})", u32_at(m, fixed - 4)?),
                7 => {
                    let code = u8_at(m, fixed - 4)?;
                    let code = RESET_CODES.get(usize::from(code)).unwrap_or(&"invalid");
                    out!(w, " (code={code})");
                }
                _ => {}
            }
            w.push(b' ');
        }
        None => out!(w, "unknown-type-{kind} "),
    }
    if kind != 0 && kind != 2 {
        out!(w, "(ack={}) ", ack(m)?);
    }
    if v < 2 {
        return Ok(());
    }
    out!(w, "seq {}", seq(m)?);
    if hlen > fixed {
        w.extend_from_slice(b" <");
        let mut left = hlen - fixed;
        let mut at = fixed;
        loop {
            let n = option(w, m, at, left)?;
            if n == 0 || left <= n {
                break;
            }
            left -= n;
            at += n;
            w.extend_from_slice(b", ");
        }
        w.push(b'>');
    }
    Ok(())
}

/// Whether a cut line ended by tcpdump's `longjmp`: its printer checks
/// for the generic header and, for a Request, Response or Reset, for the
/// type's fixed part before printing the type; every read after that
/// (the acknowledgement, the sequence number, the options' kinds and
/// lengths) is unchecked.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], _: u8) -> bool {
    let m = p.bytes;
    let Ok(basic) = basic_len(m) else {
        return false;
    };
    let Ok(kind) = u8_at(m, 8).map(|b| (b >> 1) & 0x0f) else {
        return false;
    };
    m.len() >= basic && (!matches!(kind, 0 | 1 | 7) || m.len() >= basic + extra_len(kind))
}

/// tcpdump's `in_cksum_shouldbe`: the checksum that would have been right.
fn should_be(stored: u16, sum: u16) -> u16 {
    let mut s = u32::from(stored) + u32::from(sum);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    s as u16
}

/// A big-endian number of `n` bytes at `at`.
fn uint_at(m: &[u8], at: usize, n: usize) -> Res<u64> {
    (0..n).try_fold(0u64, |v, i| Ok(v << 8 | u64::from(u8_at(m, at + i)?)))
}

fn seq(m: &[u8]) -> Res<u64> {
    if basic_len(m)? == 16 {
        uint_at(m, 10, 6)
    } else {
        uint_at(m, 9, 3)
    }
}

/// The acknowledgement after the generic header (48 bits after 2
/// reserved bytes, or 24 after 1).
fn ack(m: &[u8]) -> Res<u64> {
    let basic = basic_len(m)?;
    if basic == 16 {
        uint_at(m, basic + 2, 6)
    } else {
        uint_at(m, basic + 1, 3)
    }
}

const OPTIONS: &[(u8, &str)] = &[
    (0, "nop"),
    (1, "mandatory"),
    (2, "slowreceiver"),
    (32, "change_l"),
    (33, "confirm_l"),
    (34, "change_r"),
    (35, "confirm_r"),
    (36, "initcookie"),
    (37, "ndp_count"),
    (38, "ack_vector0"),
    (39, "ack_vector1"),
    (40, "data_dropped"),
    (41, "timestamp"),
    (42, "timestamp_echo"),
    (43, "elapsed_time"),
    (44, "data_checksum"),
];

const FEATURES: [&str; 10] = [
    "reserved",
    "ccid",
    "allow_short_seqno",
    "sequence_window",
    "ecn_incapable",
    "ack_ratio",
    "send_ack_vector",
    "send_ndp_count",
    "minimum checksum coverage",
    "check data checksum",
];

fn put_option_name(w: &mut Vec<u8>, t: u8) {
    match tok(OPTIONS, t) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "Option {t}"),
    }
}

/// tcpdump's words for an option whose length is wrong (`CCID option 200
/// optlen too short`); 0, which closes the list.
fn complain(w: &mut Vec<u8>, t: u8, what: &str) -> Res<usize> {
    if t >= 128 {
        out!(w, "CCID option {t}");
    } else {
        put_option_name(w, t);
    }
    out!(w, " {what}");
    Ok(0)
}

/// One option at `at` with `left` bytes of header after it: its length,
/// or 0 after a complaint (tcpdump then closes the list).
fn option(w: &mut Vec<u8>, m: &[u8], at: usize, left: usize) -> Res<usize> {
    let t = u8_at(m, at)?;
    let ccid = t >= 128;
    let len = if t >= 32 {
        let n = usize::from(u8_at(m, at + 1)?);
        if n < 2 {
            return complain(w, t, "optlen too short");
        }
        n
    } else {
        1
    };
    if left < len {
        return complain(w, t, "optlen goes past header length");
    }
    let Some(o) = m.get(at..at + len) else {
        // tcpdump's own check: the mark, and the list closes.
        w.extend_from_slice(b" [|dccp]");
        return Ok(0);
    };
    let body = o.get(2..).unwrap_or_default();
    let be = |at: usize, n: usize| uint_at(o, at, n);
    if ccid {
        out!(w, "CCID option {t}");
        match len {
            4 => out!(w, " {}", be(2, 2)?),
            6 => out!(w, " {}", be(2, 4)?),
            _ => {}
        }
        return Ok(len);
    }
    put_option_name(w, t);
    match t {
        32..=35 => {
            if len < 3 {
                w.extend_from_slice(b" optlen too short");
                return Ok(len);
            }
            if let Some(feature) = FEATURES.get(usize::from(u8_at(o, 2)?)) {
                out!(w, " {feature}");
                for b in o.get(3..).unwrap_or_default() {
                    out!(w, " {b}");
                }
            }
        }
        36 | 38..=40 if len > 2 => {
            w.extend_from_slice(b" 0x");
            body.iter().for_each(|b| out!(w, "{b:02x}"));
        }
        37 => body.iter().for_each(|b| out!(w, " {b}")),
        41 if len == 6 => out!(w, " {}", be(2, 4)?),
        41 => w.extend_from_slice(b" [optlen != 6]"),
        42 => match len {
            6 => out!(w, " {}", be(2, 4)?),
            8 => out!(w, " {} (elapsed time {})", be(2, 4)?, be(6, 2)?),
            10 => out!(w, " {} (elapsed time {})", be(2, 4)?, be(6, 4)?),
            _ => w.extend_from_slice(b" [optlen != 6 or 8 or 10]"),
        },
        43 => match len {
            6 => out!(w, " {}", be(2, 4)?),
            4 => out!(w, " {}", be(2, 2)?),
            _ => w.extend_from_slice(b" [optlen != 4 or 6]"),
        },
        44 if len > 2 => {
            w.push(b' ');
            body.iter().for_each(|b| out!(w, "{b:02x}"));
        }
        _ => {}
    }
    Ok(len)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("sport".into(), json!(u16_at(m, 0)?));
    o.insert("dport".into(), json!(u16_at(m, 2)?));
    o.insert("data_offset".into(), json!(usize::from(u8_at(m, 4)?) * 4));
    let b5 = u8_at(m, 5)?;
    o.insert("ccval".into(), json!(b5 >> 4));
    o.insert("cscov".into(), json!(b5 & 0x0f));
    o.insert("checksum".into(), json!(u16_at(m, 6)?));
    let kind = (u8_at(m, 8)? >> 1) & 0x0f;
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(TYPES.get(usize::from(kind))));
    o.insert("seq".into(), json!(seq(m)?));
    if kind != 0 && kind != 2 {
        o.insert("ack".into(), json!(ack(m)?));
    }
    let at = basic_len(m)? + extra_len(kind);
    match kind {
        0 | 1 => {
            o.insert("service".into(), json!(u32_at(m, at - 4)?));
        }
        7 => {
            o.insert("reset_code".into(), json!(u8_at(m, at - 4)?));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::ctl::NO_IP;

    fn text(m: &[u8], v: u8) -> String {
        let mut w = Vec::new();
        DCCP.write_ip_line(&mut w, &Payload::whole(m), 33, &NO_IP, v);
        String::from_utf8_lossy(&w).into_owned()
    }

    #[test]
    fn test_request_and_truncated() {
        // Request, doff 5 (20 bytes: 12 + 4 service + 4 options), X=0.
        let mut m = vec![0x13, 0x88, 0x17, 0x70, 5, 0, 0, 0, 0 << 1, 0, 0, 9];
        m.extend_from_slice(&42u32.to_be_bytes());
        m.extend_from_slice(&[0, 0, 41, 6]);
        assert_eq!(text(&m, 0), "DCCP DCCP-Request (service=42) ");
        assert!(text(&m, 2).contains("seq 9 <nop, nop, timestamp optlen goes past header length>"));
        let p = Payload {
            bytes: &m[..14],
            declared_len: m.len(),
        };
        let mut w = Vec::new();
        DCCP.write_line(&mut w, &p, 0);
        assert_eq!(String::from_utf8_lossy(&w), "DCCP  [|dccp]");
    }
}
