//! IGMP (IP protocol 2), versions 1 to 3 (RFC 1112, 2236, 3376): queries
//! (general and group-specific, v3's sources and coded max response
//! time), reports and leaves, v3 group records, and the multicast
//! traceroute messages — as `tcpdump -n` prints them: `igmp v2 report
//! 239.1.1.1`, `igmp v3 report, 1 group record(s)` with the records at
//! `-v` and their sources at `-vv`, and ` bad igmp cksum 1234!` at `-v`.
//! DVMRP (type 0x13) is `dvmrp`'s, PIMv1 (type 0x14) `pimv1`'s.

use super::ctl::{ipv4_at, json_object, line_is_level_0, out};
use super::dns::text::put_ttl;
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use crate::decode::checksum::internet_sum;
use serde_json::{Map, Value, json};

pub static IGMP: Dissector = Dissector::new("igmp", line, verbose, to_json, looks_like_igmp);

fn looks_like_igmp(m: &[u8]) -> bool {
    matches!(m.first(), Some(0x11 | 0x12 | 0x16 | 0x17 | 0x22))
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    match u8_at(m, 0)? {
        0x11 => {
            w.extend_from_slice(b"igmp query");
            if len >= 12 {
                v3_query(w, m, len, v)?;
            } else {
                let mrt = u8_at(m, 1)?;
                if mrt != 0 {
                    w.extend_from_slice(b" v2");
                    if mrt != 100 {
                        out!(w, " [max resp time {mrt}]");
                    }
                } else {
                    w.extend_from_slice(b" v1");
                }
                if u32_at(m, 4)? != 0 {
                    out!(w, " [gaddr {}]", ipv4_at(m, 4)?);
                }
                if len != 8 {
                    out!(w, " [len {len}]");
                }
            }
        }
        0x12 => {
            out!(w, "igmp v1 report {}", ipv4_at(m, 4)?);
            if len != 8 {
                out!(w, " [len {len}]");
            }
        }
        0x16 => out!(w, "igmp v2 report {}", ipv4_at(m, 4)?),
        0x17 => out!(w, "igmp leave {}", ipv4_at(m, 4)?),
        0x22 => {
            w.extend_from_slice(b"igmp v3 report");
            v3_report(w, m, len, v)?;
        }
        0x13 => {
            w.extend_from_slice(b"igmp dvmrp");
            if len < 8 {
                out!(w, " [len {len}]");
            } else if !super::dvmrp::write(w, m, len, v) {
                // Cut: nothing follows tcpdump's mark.
                return Ok(());
            }
        }
        0x14 => {
            w.extend_from_slice(b"igmp pimv1");
            // PIMv1 has its own cut mark, and nothing follows it.
            if super::pimv1::write(w, m, len, v).is_err() {
                w.extend_from_slice(b" [|pimv1]");
                return Ok(());
            }
        }
        t @ (0x1e | 0x1f) => mtrace(w, m, len, if t == 0x1e { "mresp" } else { "mtrace" })?,
        t => out!(w, "igmp-{t}"),
    }
    if v > 0 && len >= 4 && m.len() >= len {
        let msg = m.get(..len).unwrap_or(m);
        if internet_sum(0, msg) != 0 {
            out!(w, " bad igmp cksum {:x}!", u16_at(m, 2)?);
        }
    }
    Ok(())
}

/// Whether a cut line ended by tcpdump's `longjmp`: IGMP reads with `GET_`
/// macros throughout; PIMv1 inside it also stops after its own length
/// tests (a Register without the inner header, a short Join/Prune), which
/// print ` [|pimv1]` as well, so PIMv1 is run again for how it stopped.
pub(super) fn cut_jumps(p: &Payload<'_>, w: &[u8], v: u8) -> bool {
    !w.ends_with(b" [|pimv1]")
        || super::pimv1::write(&mut Vec::new(), p.bytes, p.declared_len, v).is_err()
}

fn mtrace(w: &mut Vec<u8>, m: &[u8], len: usize, name: &str) -> Res<()> {
    if len < 8 + 16 {
        out!(w, " [invalid len {len}]");
        return Ok(());
    }
    let qid = u32_at(m, 20)? & 0x00ff_ffff;
    let (src, dst, raddr) = (ipv4_at(m, 8)?, ipv4_at(m, 12)?, ipv4_at(m, 16)?);
    out!(w, "{name} {qid}: {src} to {dst} reply-to {raddr}");
    if raddr.is_multicast() {
        out!(w, " with-ttl {}", u8_at(m, 20)?);
    }
    Ok(())
}

/// v3 query: the coded max response time (in tenths of a second), the
/// group and its sources.
fn v3_query(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    w.extend_from_slice(b" v3");
    if len < 12 || len & 3 != 0 {
        out!(w, " [invalid len {len}]");
        return Ok(());
    }
    let mrc = u32::from(u8_at(m, 1)?);
    let mrt = if mrc < 128 {
        mrc
    } else {
        ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3)
    };
    if mrc != 100 {
        w.extend_from_slice(b" [max resp time ");
        if mrt < 600 {
            out!(w, "{}.{}s", mrt / 10, mrt % 10);
        } else {
            put_ttl(w, mrt / 10);
        }
        w.push(b']');
    }
    if u32_at(m, 4)? == 0 {
        return Ok(());
    }
    out!(w, " [gaddr {}", ipv4_at(m, 4)?);
    let nsrcs = usize::from(u16_at(m, 10)?);
    if nsrcs > 0 {
        if len < 12 + (nsrcs << 2) {
            w.extend_from_slice(b" [invalid number of sources]");
        } else if v > 1 {
            w.extend_from_slice(b" {");
            for i in 0..nsrcs {
                out!(w, " {}", ipv4_at(m, 12 + (i << 2))?);
            }
            w.extend_from_slice(b" }");
        } else {
            out!(w, ", {nsrcs} source(s)");
        }
    }
    w.push(b']');
    Ok(())
}

const RECORD_TYPES: [&str; 6] = ["is_in", "is_ex", "to_in", "to_ex", "allow", "block"];

fn record_type(t: u8) -> Option<&'static str> {
    RECORD_TYPES.get(usize::from(t).wrapping_sub(1)).copied()
}

/// v3 report: the count of group records, each (at `-v`) with its
/// sources (counted at `-v`, listed at `-vv`).
fn v3_report(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    if len < 16 || len & 3 != 0 {
        out!(w, " [invalid len {len}]");
        return Ok(());
    }
    let ngroups = u16_at(m, 6)?;
    out!(w, ", {ngroups} group record(s)");
    if v == 0 {
        return Ok(());
    }
    let mut group = 8usize;
    for _ in 0..ngroups {
        if len < group + 8 {
            w.extend_from_slice(b" [invalid number of groups]");
            return Ok(());
        }
        out!(w, " [gaddr {}", ipv4_at(m, group + 4)?);
        let t = u8_at(m, group)?;
        match record_type(t) {
            Some(name) => out!(w, " {name}"),
            None => out!(w, "  [v3-report-#{t}]"),
        }
        let nsrcs = usize::from(u16_at(m, group + 2)?);
        if len < group + 8 + (nsrcs << 2) {
            out!(w, " [invalid number of sources {nsrcs}]");
            return Ok(());
        }
        if v == 1 {
            out!(w, ", {nsrcs} source(s)");
        } else {
            w.extend_from_slice(b" {");
            for j in 0..nsrcs {
                out!(w, " {}", ipv4_at(m, group + 8 + (j << 2))?);
            }
            w.extend_from_slice(b" }");
        }
        group += 8 + (nsrcs << 2);
        w.push(b']');
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes, p.declared_len))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8], len: usize) -> Res<()> {
    let t = u8_at(m, 0)?;
    o.insert("type".into(), json!(t));
    let kind = match t {
        0x11 if len >= 12 => "query_v3",
        0x11 if u8_at(m, 1)? == 0 => "query_v1",
        0x11 => "query_v2",
        0x12 => "report_v1",
        0x16 => "report_v2",
        0x17 => "leave",
        0x22 => "report_v3",
        0x13 => "dvmrp",
        0x14 => "pimv1",
        0x1e => "mresp",
        0x1f => "mtrace",
        _ => "unknown",
    };
    o.insert("kind".into(), json!(kind));
    o.insert("checksum".into(), json!(u16_at(m, 2)?));
    match t {
        0x11 => {
            o.insert("max_resp_code".into(), json!(u8_at(m, 1)?));
            o.insert("group".into(), json!(ipv4_at(m, 4)?.to_string()));
            if len >= 12 {
                let n = usize::from(u16_at(m, 10)?);
                let sources: Res<Vec<Value>> = (0..n)
                    .map(|i| Ok(json!(ipv4_at(m, 12 + 4 * i)?.to_string())))
                    .collect();
                o.insert("sources".into(), Value::Array(sources?));
            }
        }
        0x12 | 0x16 | 0x17 => {
            o.insert("group".into(), json!(ipv4_at(m, 4)?.to_string()));
        }
        0x13 => {
            let t = u8_at(m, 1)?;
            o.insert("dvmrp_type".into(), json!(t));
            o.insert("dvmrp_type_name".into(), json!(super::dvmrp::type_name(t)));
        }
        0x14 => {
            let t = u8_at(m, 1)?;
            o.insert("pimv1_type".into(), json!(t));
            o.insert("pimv1_type_name".into(), json!(super::pimv1::type_name(t)));
        }
        0x22 => {
            let mut records = Vec::new();
            let mut at = 8usize;
            let n = u16_at(m, 6)?;
            for _ in 0..n {
                let rt = u8_at(m, at)?;
                let aux = usize::from(u8_at(m, at + 1)?);
                let nsrcs = usize::from(u16_at(m, at + 2)?);
                let sources: Res<Vec<Value>> = (0..nsrcs)
                    .map(|i| Ok(json!(ipv4_at(m, at + 8 + 4 * i)?.to_string())))
                    .collect();
                records.push(json!({
                    "type": rt,
                    "mode": record_type(rt),
                    "group": ipv4_at(m, at + 4)?.to_string(),
                    "sources": sources?,
                }));
                at += 8 + 4 * nsrcs + 4 * aux;
            }
            o.insert("records".into(), Value::Array(records));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_report_and_bad_checksum() {
        let m = [0x16, 0, 0xfa, 0x04, 239, 1, 2, 3];
        assert_eq!(IGMP.printed(&m, 0), "igmp v2 report 239.1.2.3");
        assert_eq!(
            IGMP.printed(&m, 1),
            "igmp v2 report 239.1.2.3 bad igmp cksum fa04!"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(IGMP.printed(&[0x16, 0, 0, 0, 239], 0), " [|igmp]");
        let report = [0x22, 0, 0, 0, 0, 0, 0, 9, 4, 0, 0, 0, 239, 1, 1, 1];
        assert_eq!(
            IGMP.printed(&report, 1),
            "igmp v3 report, 9 group record(s) [gaddr 239.1.1.1 to_ex, 0 source(s)] [invalid number of groups] bad igmp cksum 0!"
        );
    }
}
