//! Cisco's IGRP (IP protocol 9), as `tcpdump -n` prints it: `igrp: update
//! V1 edit=5 AS=100 (1/1/1)`, the checksum at `-v`, then each route at
//! every level — interior ones as `*.a.b.c`, system ones as `a.b.c.0`,
//! exterior ones as `Xa.b.c.0` — with its delay, bandwidth, reliability,
//! load, composite metric, MTU and hop count; `[extra bytes N]` past the
//! counted routes and ` (invalid)` where counts and length disagree.
//! tcpdump reads every field unchecked (a cut is its `longjmp`).

use super::ctl::{json_object_with_list, line_is_level_0, out, tok};
use super::wire::{Res, u8_at, u16_at, u24_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static IGRP: Dissector = Dissector::new("igrp", line, verbose, to_json, looks_like_igrp);

fn looks_like_igrp(m: &[u8]) -> bool {
    m.first()
        .is_some_and(|b| b >> 4 == 1 && matches!(b & 0x0f, 1 | 2))
}

const HEADER: usize = 12;
const ROUTE: usize = 14;
const OPS: &[(u8, &str)] = &[(1, "update"), (2, "request")];

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    w.extend_from_slice(b"igrp:");
    let mut counts = [u16_at(m, 4)?, u16_at(m, 6)?, u16_at(m, 8)?];
    let vop = u8_at(m, 0)?;
    w.push(b' ');
    match tok(OPS, vop & 0x0f) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "op-#{}", vop & 0x0f),
    }
    let [nint, nsys, next] = counts;
    out!(
        w,
        " V{} edit={} AS={} ({nint}/{nsys}/{next})",
        vop >> 4,
        u8_at(m, 1)?,
        u16_at(m, 2)?
    );
    let sum = u16_at(m, 10)?;
    if v > 0 {
        out!(w, " checksum=0x{sum:04x}");
    }
    // tcpdump's unsigned length, as it wraps.
    let mut length = p.declared_len.wrapping_sub(HEADER) as u32;
    let mut at = HEADER;
    while length as usize >= ROUTE {
        let net = [u8_at(m, at)?, u8_at(m, at + 1)?, u8_at(m, at + 2)?];
        let Some(kind) = counts.iter().position(|&n| n > 0) else {
            out!(w, " [extra bytes {length}]");
            break;
        };
        counts[kind] -= 1;
        let [a, b, c] = net;
        match kind {
            0 => out!(w, " *.{a}.{b}.{c}"),
            1 => out!(w, " {a}.{b}.{c}.0"),
            _ => out!(w, " X{a}.{b}.{c}.0"),
        }
        route(w, m, at)?;
        at += ROUTE;
        length -= ROUTE as u32;
    }
    if counts.iter().any(|&n| n > 0) || length > 0 {
        w.extend_from_slice(b" (invalid)");
    }
    Ok(())
}

/// One route's metrics (tcpdump's `igrp_entry_print`): delay in tens of
/// microseconds, bandwidth as 10^7 over the field, the metric as their
/// sum capped at 24 bits.
fn route(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let (delay, bandwidth) = (u24_at(m, at + 3)?, u24_at(m, at + 6)?);
    let mtu = u16_at(m, at + 9)?;
    let (rel, load, hops) = (u8_at(m, at + 11)?, u8_at(m, at + 12)?, u8_at(m, at + 13)?);
    let metric = (bandwidth + delay).min(0xff_ffff);
    let bw = 10_000_000u32.checked_div(bandwidth).unwrap_or(0);
    out!(
        w,
        " d={} b={bw} r={rel} l={load} M={metric} mtu={mtu} in {hops} hops",
        10u32.wrapping_mul(delay)
    );
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("routes", |o, list| json_fields(o, list, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    let vop = u8_at(m, 0)?;
    o.insert("version".into(), json!(vop >> 4));
    o.insert("opcode".into(), json!(vop & 0x0f));
    o.insert("edition".into(), json!(u8_at(m, 1)?));
    o.insert("as".into(), json!(u16_at(m, 2)?));
    o.insert("interior".into(), json!(u16_at(m, 4)?));
    o.insert("system".into(), json!(u16_at(m, 6)?));
    o.insert("exterior".into(), json!(u16_at(m, 8)?));
    o.insert("checksum".into(), json!(u16_at(m, 10)?));
    let mut at = HEADER;
    while at + ROUTE <= m.len() {
        list.push(json!({
            "net": [u8_at(m, at)?, u8_at(m, at + 1)?, u8_at(m, at + 2)?],
            "delay": u24_at(m, at + 3)?,
            "bandwidth": u24_at(m, at + 6)?,
            "mtu": u16_at(m, at + 9)?,
            "reliability": u8_at(m, at + 11)?,
            "load": u8_at(m, at + 12)?,
            "hops": u8_at(m, at + 13)?,
        }));
        at += ROUTE;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_counts_past_the_routes_are_invalid() {
        let mut m = vec![0x11, 1, 0, 100, 0, 2, 0, 0, 0, 0, 0xbe, 0xef];
        m.extend_from_slice(&[1, 2, 3, 0, 0, 100, 0, 0, 10, 5, 0xdc, 255, 1, 0]);
        assert_eq!(
            IGRP.printed(&m, 1),
            "igrp: update V1 edit=1 AS=100 (2/0/0) checksum=0xbeef \
             *.1.2.3 d=1000 b=1000000 r=255 l=1 M=110 mtu=1500 in 0 hops (invalid)"
        );
        assert_eq!(IGRP.printed_cut(&m, 9, 0), "igrp: [|igrp]");
    }
}
