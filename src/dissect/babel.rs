//! Babel (RFC 8966 and its extensions) on UDP ports 6696 and 6697, as
//! `tcpdump -n` prints it: `babel 2 (44) hello ihu update/prefix` by
//! default (one word per TLV), one `\n\t` line per TLV at `-v` with
//! addresses, prefixes (rebuilt from the compressed encoding, as the
//! receiver does), intervals and sub-TLVs. Lengths that contradict each
//! other end the line with ` (invalid)`; bytes missing from the capture
//! with ` [|babel]`. Zeek has no Babel analyzer: no `service`.

use super::Truncated;
use super::ctl::{json_object_with_list, out, tok};
use super::dns::text::put_ipv6;
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

/// Babel on its port (6696) and its former one (6697).
pub static BABEL: Dissector = Dissector {
    name: "babel",
    json_key: "babel",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.first() == Some(&42),
};

const HELLO: u8 = 4;
const IHU: u8 = 5;
const UPDATE: u8 = 8;
const SS_UPDATE: u8 = 13;

/// The default line's word for each TLV type (tcpdump's names).
const WORDS: &[(u8, &str)] = &[
    (0, "pad1"),
    (1, "padN"),
    (2, "ack-req"),
    (3, "ack"),
    (4, "hello"),
    (5, "ihu"),
    (6, "router-id"),
    (7, "nh"),
    (8, "update"),
    (9, "route-request"),
    (10, "seqno-request"),
    (11, "tspc"),
    (12, "hmac"),
    (13, "ss-update"),
    (14, "ss-request"),
    (15, "ss-mh-request"),
    (16, "mac"),
    (17, "pc"),
    (18, "challenge_request"),
    (19, "challenge_reply"),
];

/// The first 12 bytes of an IPv4 prefix in Babel's 16-byte form.
const V4: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0];

/// How a TLV list ended when the capture held it all.
enum End {
    Done,
    Invalid,
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    w.extend_from_slice(b"babel");
    u32_at(m, 0)?;
    if u8_at(m, 0)? != 42 {
        w.extend_from_slice(b" invalid header");
        return Ok(());
    }
    let version = u8_at(m, 1)?;
    out!(w, " {version}");
    if version != 2 {
        w.extend_from_slice(b" unknown version");
        return Ok(());
    }
    let Some(length) = p.declared_len.checked_sub(4) else {
        w.extend_from_slice(b" (invalid)");
        return Ok(());
    };
    let body = usize::from(u16_at(m, 2)?);
    out!(w, " ({body})");
    let mut end = End::Invalid;
    if length >= body {
        end = tlvs(w, m.get(4..).unwrap_or_default(), body, length, v)?;
        let trailer = length - body;
        if matches!(end, End::Done) && trailer != 0 {
            w.extend_from_slice(if v > 0 { b"\n\t----" } else { b" |" });
            let rest = m.get(4 + body..).unwrap_or_default();
            end = tlvs(w, rest, trailer, trailer, v)?;
        }
    }
    if matches!(end, End::Invalid) {
        w.extend_from_slice(b" (invalid)");
    }
    Ok(())
}

/// Whether a cut line ended by tcpdump's `longjmp`: its printer checks
/// the header and each TLV before reading them, but reads a TLV's type
/// byte unchecked, so only a capture ending exactly between TLVs jumps.
pub(super) fn cut_jumps(p: &Payload<'_>) -> bool {
    let m = p.bytes;
    let mut at = 4;
    while at < m.len() {
        at += match (m.get(at), m.get(at + 1)) {
            (Some(0), _) => 1,
            (Some(_), Some(&len)) => 2 + usize::from(len),
            _ => return false,
        };
    }
    m.len() >= 4 && at == m.len()
}

/// The compressed prefixes an Update may continue from, per address
/// family; each TLV list starts them afresh.
struct Defaults {
    v4: [u8; 16],
    v6: [u8; 16],
}

/// The TLVs of a body (`n` bytes by its header, `left` in the datagram).
fn tlvs(w: &mut Vec<u8>, m: &[u8], n: usize, left: usize, v: u8) -> Res<End> {
    let mut d = Defaults {
        v4: V4,
        v6: [0; 16],
    };
    let fits = |i: usize, l: usize| i + l <= n && i + l <= left;
    let mut i = 0;
    while i < n {
        if !fits(i, 1) {
            return Ok(End::Invalid);
        }
        let kind = u8_at(m, i)?;
        if kind == 0 {
            w.extend_from_slice(if v > 0 { b"\n\tPad 1" } else { b" pad1" });
            i += 1;
            continue;
        }
        if !fits(i, 2) {
            return Ok(End::Invalid);
        }
        let len = usize::from(u8_at(m, i + 1)?);
        if !fits(i, 2 + len) {
            return Ok(End::Invalid);
        }
        let tlv = m.get(i..i + 2 + len).ok_or(Truncated)?;
        let ok = if v == 0 {
            word(w, kind, tlv, len)
        } else {
            detail(w, kind, tlv, len, &mut d)?
        };
        if !ok {
            return Ok(End::Invalid);
        }
        i += len + 2;
    }
    Ok(End::Done)
}

/// The default line's word for one TLV; false when it is invalid.
fn word(w: &mut Vec<u8>, kind: u8, t: &[u8], len: usize) -> bool {
    w.push(b' ');
    w.extend_from_slice(tok(WORDS, kind).unwrap_or("unknown").as_bytes());
    if kind == UPDATE {
        if len < 10 {
            return false;
        }
        put_update_flags(w, t.get(3).copied().unwrap_or(0));
    }
    true
}

fn put_update_flags(w: &mut Vec<u8>, flags: u8) {
    for (bit, name) in [(0x80, "/prefix"), (0x40, "/id"), (0x3f, "/unknown")] {
        if flags & bit != 0 {
            w.extend_from_slice(name.as_bytes());
        }
    }
}

/// A TLV's `-v` line; `Ok(false)` when it is invalid.
fn detail(w: &mut Vec<u8>, kind: u8, t: &[u8], len: usize, d: &mut Defaults) -> Res<bool> {
    match kind {
        1 => out!(w, "\n\tPad {}", len + 2),
        2 => {
            w.extend_from_slice(b"\n\tAcknowledgment Request ");
            if len < 6 {
                return Ok(false);
            }
            out!(w, "{:04x} ", u16_at(t, 4)?);
            put_interval(w, u16_at(t, 6)?);
        }
        3 => {
            w.extend_from_slice(b"\n\tAcknowledgment ");
            if len < 2 {
                return Ok(false);
            }
            out!(w, "{:04x}", u16_at(t, 2)?);
        }
        HELLO => {
            w.extend_from_slice(b"\n\tHello ");
            if len < 6 {
                return Ok(false);
            }
            if u16_at(t, 2)? & 0x8000 != 0 {
                w.extend_from_slice(b"(Unicast) ");
            }
            out!(w, "seqno {} ", u16_at(t, 4)?);
            match u16_at(t, 6)? {
                0 => w.extend_from_slice(b"unscheduled"),
                i => {
                    w.extend_from_slice(b"interval ");
                    put_interval(w, i);
                }
            }
            if len > 6 {
                subtlvs(w, t, 8, kind)?;
            }
        }
        IHU => {
            w.extend_from_slice(b"\n\tIHU ");
            if len < 6 {
                return Ok(false);
            }
            let ae = u8_at(t, 2)?;
            let (rxcost, interval) = (u16_at(t, 4)?, u16_at(t, 6)?);
            let Some((used, a)) = prefix(ae, None, 0, t, 8, len - 6, None) else {
                w.extend_from_slice(b" [|babel]");
                return Ok(true);
            };
            if ae == 0 {
                w.extend_from_slice(b"any");
            } else {
                put_address(w, &a);
            }
            out!(w, " rxcost {rxcost} interval ");
            put_interval(w, interval);
            if used < len - 6 {
                subtlvs(w, t, 8 + used, kind)?;
            }
        }
        6 => {
            w.extend_from_slice(b"\n\tRouter Id");
            if len < 10 {
                return Ok(false);
            }
            w.push(b' ');
            put_id(w, t, 4)?;
        }
        7 => {
            w.extend_from_slice(b"\n\tNext Hop");
            if len < 2 {
                return Ok(false);
            }
            let ae = u8_at(t, 2)?;
            let Some((_, a)) = prefix(ae, None, 0, t, 4, len - 2, None) else {
                return Ok(false);
            };
            w.push(b' ');
            if ae == 0 {
                w.extend_from_slice(b"invalid AE 0");
            } else {
                put_address(w, &a);
            }
        }
        UPDATE => return update(w, t, len, d),
        9 => {
            w.extend_from_slice(b"\n\tRoute Request ");
            if len < 2 {
                return Ok(false);
            }
            let (ae, plen) = (u8_at(t, 2)?, u8_at(t, 3)?);
            let Some((_, a)) = prefix(ae, Some(plen), 0, t, 4, len - 2, None) else {
                return Ok(false);
            };
            w.extend_from_slice(b"for ");
            put_prefix_or(w, ae, &a, plen, "any");
        }
        10 => {
            w.extend_from_slice(b"\n\tSeqno Request ");
            if len < 14 {
                return Ok(false);
            }
            let (ae, plen, seqno) = (u8_at(t, 2)?, u8_at(t, 3)?, u16_at(t, 4)?);
            let Some((_, a)) = prefix(ae, Some(plen), 0, t, 16, len - 14, None) else {
                return Ok(false);
            };
            out!(w, "({} hops) for ", u8_at(t, 6)?);
            put_prefix_or(w, ae, &a, plen, "invalid AE 0");
            out!(w, " seqno {seqno} id ");
            put_id(w, t, 8)?;
        }
        11 => {
            w.extend_from_slice(b"\n\tTS/PC ");
            if len < 6 {
                return Ok(false);
            }
            out!(
                w,
                "timestamp {} packetcounter {}",
                u32_at(t, 4)?,
                u16_at(t, 2)?
            );
        }
        12 => {
            w.extend_from_slice(b"\n\tHMAC ");
            if len < 18 {
                return Ok(false);
            }
            out!(w, "key-id {} digest-{} ", u16_at(t, 2)?, len - 2);
            for b in t.get(4..).unwrap_or_default() {
                out!(w, "{b:02X}");
            }
        }
        SS_UPDATE | 14 | 15 => return source_specific(w, kind, t, len, d),
        16 => out!(w, "\n\tMAC len {len}"),
        17 => {
            w.extend_from_slice(b"\n\tPC");
            if len < 4 {
                return Ok(false);
            }
            out!(w, " value {} index len {}", u32_at(t, 2)?, len - 4);
        }
        18 | 19 => {
            w.extend_from_slice(if kind == 18 {
                b"\n\tChallenge Request"
            } else {
                b"\n\tChallenge Reply"
            });
            if len > 192 {
                return Ok(false);
            }
            out!(w, " len {len}");
        }
        _ => out!(w, "\n\tUnknown message type {kind}"),
    }
    Ok(true)
}

/// An Update: its prefix continues the family's last one by `omitted`
/// bytes, and becomes the next default when the prefix flag is set.
fn update(w: &mut Vec<u8>, t: &[u8], len: usize, d: &mut Defaults) -> Res<bool> {
    w.extend_from_slice(b"\n\tUpdate");
    if len < 10 {
        return Ok(false);
    }
    let ae = u8_at(t, 2)?;
    let flags = u8_at(t, 3)?;
    let default = match ae {
        0 | 2 | 3 => &mut d.v6,
        1 => &mut d.v4,
        _ => return Ok(false),
    };
    let raw_plen = u8_at(t, 4)?;
    let plen = if ae == 1 {
        raw_plen.wrapping_add(96)
    } else {
        raw_plen
    };
    let omitted = u8_at(t, 5)?;
    let Some((used, a)) = prefix(
        ae,
        Some(raw_plen),
        omitted,
        t,
        12,
        len - 10,
        Some(&*default),
    ) else {
        return Ok(false);
    };
    let (interval, seqno, metric) = (u16_at(t, 6)?, u16_at(t, 8)?, u16_at(t, 10)?);
    put_update_flags(w, flags);
    w.push(b' ');
    if ae == 0 {
        w.extend_from_slice(b"any");
    } else {
        put_prefix(w, &a, plen);
    }
    out!(w, " metric {metric} seqno {seqno} interval ");
    if interval == 0xffff {
        w.extend_from_slice(b"infinity");
    } else {
        put_interval(w, interval);
    }
    if flags & 0x80 != 0 {
        *default = a;
    }
    if used < len - 10 {
        subtlvs(w, t, 12 + used, UPDATE)?;
    }
    Ok(true)
}

/// The source-specific TLVs (draft-boutier-babel-source-specific): a
/// destination and a source prefix, the destination of an update
/// continuing the family's last prefix.
fn source_specific(w: &mut Vec<u8>, kind: u8, t: &[u8], len: usize, d: &Defaults) -> Res<bool> {
    let (title, fixed) = match kind {
        SS_UPDATE => ("\n\tSS-Update", 10),
        14 => ("\n\tSS-Request ", 3),
        _ => ("\n\tSS-MH-Request ", 14),
    };
    w.extend_from_slice(title.as_bytes());
    if len < fixed {
        return Ok(false);
    }
    let ae = u8_at(t, 2)?;
    let (mut plen, mut src_plen, omitted) = match kind {
        SS_UPDATE => (u8_at(t, 4)?, u8_at(t, 3)?, u8_at(t, 5)?),
        14 => (u8_at(t, 3)?, u8_at(t, 4)?, 0),
        _ => (u8_at(t, 3)?, u8_at(t, 7)?, 0),
    };
    let default = (kind == SS_UPDATE).then_some(if ae == 1 { &d.v4 } else { &d.v6 });
    let mut parsed = fixed;
    let at = 2 + parsed;
    let Some((used, dst)) = prefix(ae, Some(plen), omitted, t, at, len - parsed, default) else {
        return Ok(false);
    };
    parsed += used;
    let Some((used, src)) = prefix(ae, Some(src_plen), 0, t, 2 + parsed, len - parsed, None) else {
        return Ok(false);
    };
    parsed += used;
    if ae == 1 {
        plen = plen.wrapping_add(96);
        src_plen = src_plen.wrapping_add(96);
    }
    match kind {
        SS_UPDATE => {
            w.push(b' ');
            put_prefix(w, &dst, plen);
            w.extend_from_slice(b" from ");
            put_prefix(w, &src, src_plen);
            let interval = u16_at(t, 6)?;
            out!(
                w,
                " metric {} seqno {} interval ",
                u16_at(t, 10)?,
                u16_at(t, 8)?
            );
            if interval == 0xffff {
                w.extend_from_slice(b"infinity");
            } else {
                put_interval(w, interval);
            }
            if parsed < len {
                subtlvs(w, t, 2 + parsed, kind)?;
            }
        }
        14 if ae == 0 => w.extend_from_slice(b"for any"),
        14 => {
            w.extend_from_slice(b"for (");
            put_prefix(w, &dst, plen);
            w.extend_from_slice(b", ");
            put_prefix(w, &src, src_plen);
            w.push(b')');
        }
        _ => {
            out!(w, "({} hops) for (", u8_at(t, 6)?);
            put_prefix(w, &dst, plen);
            w.extend_from_slice(b", ");
            put_prefix(w, &src, src_plen);
            out!(w, ") seqno {} id ", u16_at(t, 4)?);
            put_id(w, t, 8)?;
        }
    }
    Ok(true)
}

/// A prefix (or, with no length, an address) of address encoding `ae`
/// read at `at`, the first `omitted` bytes taken from `default`: the
/// 16-byte form and how many bytes it used; `None` when the encoding is
/// invalid (`len` is what the TLV has left).
fn prefix(
    ae: u8,
    plen: Option<u8>,
    omitted: u8,
    t: &[u8],
    at: usize,
    len: usize,
    default: Option<&[u8; 16]>,
) -> Option<(usize, [u8; 16])> {
    let pb = match (plen, ae) {
        (Some(l), _) => usize::from(l).div_ceil(8),
        (None, 1) => 4,
        (None, _) => 16,
    };
    if pb > 16 {
        return None;
    }
    let omitted = usize::from(omitted);
    let copy = |out: &mut [u8; 16], to: usize, n: usize| -> Option<()> {
        out.get_mut(to..to + n)?.copy_from_slice(t.get(at..at + n)?);
        Some(())
    };
    let mut out = [0u8; 16];
    let mut used = 0;
    match ae {
        0 => {}
        1 | 2 => {
            let (base, max) = if ae == 2 { (0, 16) } else { (12, 4) };
            if omitted > max || (ae != 2 && pb > 4) || (pb > omitted && len < pb - omitted) {
                return None;
            }
            if ae != 2 {
                out = V4;
            }
            if omitted > 0 {
                let d = default?;
                out.get_mut(..base + omitted)?
                    .copy_from_slice(d.get(..base + omitted)?);
            }
            if pb > omitted {
                used = pb - omitted;
                copy(&mut out, base + omitted, used)?;
            }
        }
        3 => {
            if pb > 8 && len < pb - 8 {
                return None;
            }
            out[0] = 0xfe;
            out[1] = 0x80;
            if pb > 8 {
                used = pb - 8;
                copy(&mut out, 8, used)?;
            }
        }
        _ => return None,
    }
    Some((used, out))
}

fn is_v4(a: &[u8; 16]) -> bool {
    a.get(..12) == V4.get(..12)
}

fn put_address(w: &mut Vec<u8>, a: &[u8; 16]) {
    if is_v4(a) {
        out!(w, "{}.{}.{}.{}", a[12], a[13], a[14], a[15]);
    } else {
        put_ipv6(w, a);
    }
}

fn put_prefix(w: &mut Vec<u8>, a: &[u8; 16], plen: u8) {
    if plen >= 96 && is_v4(a) {
        put_address(w, a);
        out!(w, "/{}", plen - 96);
    } else {
        put_ipv6(w, a);
        out!(w, "/{plen}");
    }
}

/// Route and seqno requests: the prefix, with `plen` counted in IPv6 bits
/// for encoding 1 only, or `none` for encoding 0.
fn put_prefix_or(w: &mut Vec<u8>, ae: u8, a: &[u8; 16], plen: u8, none: &str) {
    if ae == 0 {
        w.extend_from_slice(none.as_bytes());
    } else {
        put_prefix(w, a, if ae == 1 { plen.wrapping_add(96) } else { plen });
    }
}

fn put_id(w: &mut Vec<u8>, t: &[u8], at: usize) -> Res<()> {
    let id: [u8; 8] = bytes_at(t, at)?;
    for (k, b) in id.iter().enumerate() {
        out!(w, "{}{b:02x}", if k == 0 { "" } else { ":" });
    }
    Ok(())
}

fn put_interval(w: &mut Vec<u8>, i: u16) {
    if i == 0 {
        w.extend_from_slice(b"0.0s (bogus)");
    } else {
        out!(w, "{}.{:02}s", i / 100, i % 100);
    }
}

fn put_timestamp(w: &mut Vec<u8>, t: u32) {
    out!(w, "{}.{:06}s", t / 1_000_000, t % 1_000_000);
}

/// The sub-TLVs from `at` to the end of TLV `t`; an inconsistent one
/// prints ` (invalid)` and ends them (the TLV list goes on).
fn subtlvs(w: &mut Vec<u8>, t: &[u8], mut at: usize, kind: u8) -> Res<()> {
    let end = t.len();
    while at < end {
        let sub = u8_at(t, at)?;
        at += 1;
        if sub == 0 {
            w.extend_from_slice(b" sub-pad1");
            continue;
        }
        if sub & 0x80 != 0 {
            w.extend_from_slice(b" (M)");
        }
        if at == end {
            w.extend_from_slice(b" (invalid)");
            return Ok(());
        }
        let len = usize::from(u8_at(t, at)?);
        at += 1;
        if at + len > end {
            w.extend_from_slice(b" (invalid)");
            return Ok(());
        }
        match sub {
            1 => w.extend_from_slice(b" sub-padn"),
            2 => {
                w.extend_from_slice(b" sub-diversity");
                if len == 0 {
                    w.extend_from_slice(b" empty");
                }
                for k in 0..len {
                    w.extend_from_slice(if k == 0 { b" " } else { b"-" });
                    match u8_at(t, at + k)? {
                        0 => w.extend_from_slice(b"reserved"),
                        255 => w.extend_from_slice(b"all"),
                        c => out!(w, "{c}"),
                    }
                }
                if len > 0 && kind != UPDATE && kind != SS_UPDATE {
                    w.extend_from_slice(b" (bogus)");
                }
            }
            3 => {
                w.extend_from_slice(b" sub-timestamp");
                let need = match kind {
                    HELLO => 4,
                    IHU => 8,
                    _ => 0,
                };
                if len < need {
                    w.extend_from_slice(b" (invalid)");
                    return Ok(());
                }
                if need == 0 {
                    w.extend_from_slice(b" (bogus)");
                } else {
                    w.push(b' ');
                    put_timestamp(w, u32_at(t, at)?);
                    if need == 8 {
                        w.push(b'|');
                        put_timestamp(w, u32_at(t, at + 4)?);
                    }
                }
            }
            _ => out!(w, " sub-unknown-0x{sub:02x}"),
        }
        at += len;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("tlvs", |o, list| json_fields(o, list, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    o.insert("magic".into(), json!(u8_at(m, 0)?));
    o.insert("version".into(), json!(u8_at(m, 1)?));
    let body = usize::from(u16_at(m, 2)?);
    o.insert("body_length".into(), json!(body));
    let mut i = 4;
    while i < 4 + body {
        let kind = u8_at(m, i)?;
        let len = if kind == 0 {
            0
        } else {
            usize::from(u8_at(m, i + 1)?)
        };
        list.push(json!({"type": kind, "name": tok(WORDS, kind), "length": len}));
        i += if kind == 0 { 1 } else { len + 2 };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello() -> Vec<u8> {
        vec![42, 2, 0, 8, 4, 6, 0, 0, 0, 7, 1, 0x90]
    }

    #[test]
    fn test_hello_lines() {
        assert_eq!(BABEL.printed(&hello(), 0), "babel 2 (8) hello");
        assert_eq!(
            BABEL.printed(&hello(), 1),
            "babel 2 (8)\n\tHello seqno 7 interval 4.00s"
        );
    }

    #[test]
    fn test_compressed_update_continues_the_last_prefix() {
        let mut m = vec![42, 2, 0, 0];
        // 10.1.0.0/16, then 10.1.2.0/24 sending only its third byte.
        m.extend_from_slice(&[8, 12, 1, 0x80, 16, 0, 0, 100, 0, 1, 0, 5, 10, 1]);
        m.extend_from_slice(&[8, 11, 1, 0, 24, 2, 0, 100, 0, 1, 0, 5, 2]);
        let body = (m.len() - 4) as u8;
        m[3] = body;
        assert_eq!(
            BABEL.printed(&m, 1),
            "babel 2 (27)\n\tUpdate/prefix 10.1.0.0/16 metric 5 seqno 1 interval 1.00s\
             \n\tUpdate 10.1.2.0/24 metric 5 seqno 1 interval 1.00s"
        );
    }
}
