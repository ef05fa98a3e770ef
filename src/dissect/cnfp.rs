//! Cisco NetFlow v1, v5 and v6 export datagrams as tcpdump 4.99 prints
//! them under `-T cnfp` (NetFlow has no fixed port: tcpdump reads it only
//! when told).
//!
//! `NetFlow v5, 12.345 uptime, 1700000000.000000123, #42,  2 recs`, then
//! each record on lines of its own: `started 1.000, last 2.500`, the
//! source and destination (`10.0.0.1/24:65001:1234 > …`, v5 and v6 with
//! their masks and AS numbers) and the next hop, then the protocol, TCP's
//! flags (`FSRPAU` letters) for TCP, the ToS, packets and octets (and
//! v6's `(1<>2 encaps)`). Another version is `NetFlow v9` alone.
//!
//! tcpdump's own reading is kept where it differs from the format: the
//! record count is read as 32 bits (the 16-bit count and the top half of
//! the uptime), so records are read until the capture ends; v5's and
//! v6's records are taken as 52 bytes (its structures end with a next hop
//! the format does not have). A header or record cut by the capture ends
//! the line ` [|cnfp]`; one without its version word is tcpdump's
//! `longjmp`.

use super::ctl::{ipv4_at, json_object, line_is_level_0, out};
use super::wire::{Res, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static CNFP: Dissector = Dissector {
    name: "cnfp",
    json_key: "netflow",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= 2,
};

/// A version's header and record sizes, as tcpdump's structures have
/// them.
struct Layout {
    header: usize,
    record: usize,
    /// The header has a flow sequence number (v5, v6).
    sequence: bool,
    /// Records carry masks and AS numbers (v5, v6).
    masks: bool,
    /// Where a record's protocol, ToS and TCP flags are.
    proto: usize,
    tos: usize,
    tcp_flags: usize,
    /// v6's encapsulation sizes.
    encaps: bool,
}

fn layout(version: u16) -> Option<Layout> {
    let v5 = Layout {
        header: 24,
        record: 52,
        sequence: true,
        masks: true,
        proto: 38,
        tos: 39,
        tcp_flags: 37,
        encaps: false,
    };
    match version {
        1 => Some(Layout {
            header: 16,
            record: 48,
            sequence: false,
            masks: false,
            proto: 38,
            tos: 39,
            tcp_flags: 40,
            encaps: false,
        }),
        5 => Some(v5),
        6 => Some(Layout { encaps: true, ..v5 }),
        _ => None,
    }
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    let m = p.bytes;
    let version = u16_at(m, 0)?;
    let Some(l) = layout(version) else {
        out!(w, "NetFlow v{version:x}");
        return Ok(());
    };
    need(m, 0, l.header)?;
    let uptime = u32_at(m, 4)?;
    out!(
        w,
        "NetFlow v{version:x}, {}.{:03} uptime, {}.{:09}, ",
        uptime / 1000,
        uptime % 1000,
        u32_at(m, 8)?,
        u32_at(m, 12)?
    );
    if l.sequence {
        out!(w, "#{}, ", u32_at(m, 16)?);
    }
    // tcpdump reads the count as 32 bits (see the module's note).
    let count = u32_at(m, 2)?;
    out!(w, "{count:2} recs");
    // Each record must be captured whole, so the walk ends with the
    // capture whatever the count says.
    for i in 0..count as usize {
        let r = l.header + i * l.record;
        if m.len() < r + l.record {
            return Err(Truncated);
        }
        record(w, m, r, &l)?;
    }
    Ok(())
}

/// One record at `r` (captured whole).
fn record(w: &mut Vec<u8>, m: &[u8], r: usize, l: &Layout) -> Res<()> {
    let (start, last) = (u32_at(m, r + 24)?, u32_at(m, r + 28)?);
    out!(
        w,
        "\n  started {}.{:03}, last {}.{:03}",
        start / 1000,
        start % 1000,
        last / 1000,
        last % 1000
    );
    for (side, sep) in [(0, "\n    "), (1, "> ")] {
        out!(w, "{sep}{}", ipv4_at(m, r + 4 * side)?);
        if l.masks {
            out!(
                w,
                "/{}:{}",
                u8_at(m, r + 44 + side)?,
                u16_at(m, r + 40 + 2 * side)?
            );
        }
        out!(w, ":{} ", u16_at(m, r + 32 + 2 * side)?);
    }
    out!(w, ">> {}\n    ", ipv4_at(m, r + 8)?);
    let proto = u8_at(m, r + l.proto)?;
    out!(w, "{proto} ");
    if proto == 6 {
        let flags = u8_at(m, r + l.tcp_flags)?;
        for (bit, letter) in [
            (0x01, 'F'),
            (0x02, 'S'),
            (0x04, 'R'),
            (0x08, 'P'),
            (0x10, 'A'),
            (0x20, 'U'),
        ] {
            if flags & bit != 0 {
                w.push(letter as u8);
            }
        }
        if flags != 0 {
            w.push(b' ');
        }
    }
    out!(
        w,
        "tos {}, {} ({} octets) ",
        u8_at(m, r + l.tos)?,
        u32_at(m, r + 16)?,
        u32_at(m, r + 20)?
    );
    if l.encaps {
        let e = u16_at(m, r + 46)?;
        out!(w, "({}<>{} encaps)", e >> 8, e & 0xff);
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let version = u16_at(m, 0)?;
    o.insert("version".into(), json!(version));
    let Some(l) = layout(version) else {
        return Ok(());
    };
    // The format's 16-bit count here (the line keeps tcpdump's reading).
    let count = u16_at(m, 2)?;
    o.insert("count".into(), json!(count));
    o.insert("uptime_ms".into(), json!(u32_at(m, 4)?));
    o.insert("unix_secs".into(), json!(u32_at(m, 8)?));
    o.insert("unix_nsecs".into(), json!(u32_at(m, 12)?));
    if l.sequence {
        o.insert("sequence".into(), json!(u32_at(m, 16)?));
    }
    let mut records = Vec::new();
    let mut read = Ok(());
    for i in 0..usize::from(count) {
        let r = l.header + i * l.record;
        match record_json(m, r, &l) {
            Ok(rec) => records.push(rec),
            Err(e) => {
                read = Err(e);
                break;
            }
        }
    }
    o.insert("records".into(), Value::Array(records));
    read
}

fn record_json(m: &[u8], r: usize, l: &Layout) -> Res<Value> {
    need(m, r, l.record)?;
    let mut o = Map::new();
    o.insert("src".into(), json!(ipv4_at(m, r)?.to_string()));
    o.insert("dst".into(), json!(ipv4_at(m, r + 4)?.to_string()));
    o.insert("next_hop".into(), json!(ipv4_at(m, r + 8)?.to_string()));
    o.insert("input".into(), json!(u16_at(m, r + 12)?));
    o.insert("output".into(), json!(u16_at(m, r + 14)?));
    o.insert("packets".into(), json!(u32_at(m, r + 16)?));
    o.insert("octets".into(), json!(u32_at(m, r + 20)?));
    o.insert("first_ms".into(), json!(u32_at(m, r + 24)?));
    o.insert("last_ms".into(), json!(u32_at(m, r + 28)?));
    o.insert("src_port".into(), json!(u16_at(m, r + 32)?));
    o.insert("dst_port".into(), json!(u16_at(m, r + 34)?));
    o.insert("proto".into(), json!(u8_at(m, r + l.proto)?));
    o.insert("tos".into(), json!(u8_at(m, r + l.tos)?));
    o.insert("tcp_flags".into(), json!(u8_at(m, r + l.tcp_flags)?));
    if l.masks {
        o.insert("src_as".into(), json!(u16_at(m, r + 40)?));
        o.insert("dst_as".into(), json!(u16_at(m, r + 42)?));
        o.insert("src_mask".into(), json!(u8_at(m, r + 44)?));
        o.insert("dst_mask".into(), json!(u8_at(m, r + 45)?));
    }
    Ok(Value::Object(o))
}

/// Whether a cut message ended with tcpdump's `longjmp`: only its first
/// read (the version) is unchecked.
pub(super) fn cut_jumps(p: &Payload<'_>) -> bool {
    p.bytes.len() < 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v5(count: u16, records: &[[u8; 52]]) -> Vec<u8> {
        let mut m = vec![0, 5];
        m.extend_from_slice(&count.to_be_bytes());
        for v in [12_345u32, 1_700_000_000, 123, 42] {
            m.extend_from_slice(&v.to_be_bytes());
        }
        m.extend_from_slice(&[0, 0, 0, 0]);
        for r in records {
            m.extend_from_slice(r);
        }
        m
    }

    fn record() -> [u8; 52] {
        let mut r = [0u8; 52];
        r[..4].copy_from_slice(&[10, 0, 0, 1]);
        r[4..8].copy_from_slice(&[10, 0, 0, 2]);
        r[8..12].copy_from_slice(&[10, 0, 0, 254]);
        r[16..20].copy_from_slice(&7u32.to_be_bytes());
        r[20..24].copy_from_slice(&700u32.to_be_bytes());
        r[24..28].copy_from_slice(&1000u32.to_be_bytes());
        r[28..32].copy_from_slice(&2500u32.to_be_bytes());
        r[32..34].copy_from_slice(&1234u16.to_be_bytes());
        r[34..36].copy_from_slice(&80u16.to_be_bytes());
        r[37] = 0x1b;
        r[38] = 6;
        r[40..42].copy_from_slice(&65001u16.to_be_bytes());
        r[44] = 24;
        r
    }

    #[test]
    fn v5_line() {
        // The uptime's top half is 0, so tcpdump's 32-bit count is 1 << 16:
        // the records are read until the capture ends.
        let m = v5(1, &[record()]);
        assert_eq!(
            CNFP.printed(&m, 0),
            "NetFlow v5, 12.345 uptime, 1700000000.000000123, #42, 65536 recs\n  \
             started 1.000, last 2.500\n    10.0.0.1/24:65001:1234 > 10.0.0.2/0:0:80 \
             >> 10.0.0.254\n    6 FSPA tos 0, 7 (700 octets)  [|cnfp]"
        );
    }

    #[test]
    fn other_versions_and_cuts() {
        assert_eq!(CNFP.printed(&[0, 9, 0, 0], 0), "NetFlow v9");
        assert_eq!(CNFP.printed(&[0, 5, 0, 0], 0), " [|cnfp]");
        assert_eq!(CNFP.printed(&[0], 0), " [|cnfp]");
        assert!(cut_jumps(&Payload::whole(&[0])));
    }
}
