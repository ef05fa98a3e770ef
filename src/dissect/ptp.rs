//! PTP, IEEE 1588 (EtherType 0x88f7, UDP 319 and 320), as `tcpdump -n`
//! prints it: one line at every level — `PTPv2, v1 compat : no, msg type :
//! sync msg, length : 44, domain : 0, …, originTimeStamp : 1700000000
//! seconds, 5 nanoseconds` — the common header's fields, then the
//! message's timestamps, port identity or announce fields. Version 1 is
//! named only, as tcpdump does. A message shorter than the header is
//! ` [length 20 < 34] (invalid)`.

use super::ctl::{Bit, json_object, line_is_level_0, out, put_bits, tok};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static PTP: Dissector = Dissector::new("ptp", line, verbose, to_json, looks_like_ptp);

fn looks_like_ptp(m: &[u8]) -> bool {
    m.get(1).is_some_and(|v| v & 0x0f == 2)
}

const HEADER_LEN: usize = 34;

const TYPES: &[(u8, &str)] = &[
    (0x0, "sync msg"),
    (0x1, "delay req msg"),
    (0x2, "peer delay req msg"),
    (0x3, "peer delay resp msg"),
    (0x8, "follow up msg"),
    (0x9, "delay resp msg"),
    (0xa, "pdelay resp fup msg"),
    (0xb, "announce msg"),
    (0xc, "signalling msg"),
    (0xd, "management msg"),
];

const CONTROLS: &[(u8, &str)] = &[
    (0, "Sync"),
    (1, "Delay_Req"),
    (2, "Follow_Up"),
    (3, "Delay_Resp"),
    (4, "Management"),
    (5, "Other"),
];

const FLAGS: &[Bit] = &[
    (0x1, "l1 61"),
    (0x2, "l1 59"),
    (0x4, "utc reasonable"),
    (0x8, "timescale"),
    (0x10, "time tracable"),
    (0x20, "frequency tracable"),
    (0x100, "alternate master"),
    (0x200, "two step"),
    (0x400, "unicast"),
    (0x1000, "profile specific 1"),
    (0x2000, "profile specific 2"),
    (0x4000, "security mask"),
    (0x18c0, "unknown"),
];

line_is_level_0!();

fn u48_at(m: &[u8], at: usize) -> Res<u64> {
    let b = bytes_at::<6>(m, at)?;
    Ok(u64::from_be_bytes([
        0, 0, b[0], b[1], b[2], b[3], b[4], b[5],
    ]))
}

fn u64_at(m: &[u8], at: usize) -> Res<u64> {
    Ok(u64::from_be_bytes(bytes_at::<8>(m, at)?))
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _v: u8) -> Res<()> {
    let m = p.bytes;
    if p.declared_len < HEADER_LEN {
        // tcpdump's length check says what it compared.
        out!(w, " [length {} < {HEADER_LEN}] (invalid)", p.declared_len);
        return Ok(());
    }
    let version = u16_at(m, 0)? & 0xff;
    out!(w, "PTPv{version}");
    match version {
        1 => {
            w.extend_from_slice(b" (not implemented)");
            return Ok(());
        }
        2 => {}
        _ => return Ok(()),
    }
    let b0 = u8_at(m, 0)?;
    let compat = if b0 & 0x10 != 0 { "yes" } else { "no" };
    let kind = b0 & 0x0f;
    out!(
        w,
        ", v1 compat : {compat}, msg type : {}",
        tok(TYPES, kind).unwrap_or("Reserved")
    );
    out!(w, ", length : {}", u16_at(m, 2)?);
    // tcpdump reads the domain and reserved1 as one 16-bit word: a
    // message cut after the domain byte stops before it.
    out!(w, ", domain : {}", u16_at(m, 4)? >> 8);
    out!(w, ", reserved1 : {}", u8_at(m, 5)?);
    let flags = u16_at(m, 6)?;
    w.extend_from_slice(b", Flags [");
    put_bits(w, FLAGS, u32::from(flags), "none");
    w.push(b']');
    out!(w, ", NS correction : {}", u48_at(m, 8)?);
    out!(w, ", sub NS correction : {}", u16_at(m, 14)?);
    out!(w, ", reserved2 : {}", u32_at(m, 16)?);
    out!(w, ", clock identity : 0x{:x}", u64_at(m, 20)?);
    out!(w, ", port id : {}", u16_at(m, 28)?);
    out!(w, ", seq id : {}", u16_at(m, 30)?);
    let control = u8_at(m, 32)?;
    out!(
        w,
        ", control : {control} ({})",
        tok(CONTROLS, control).unwrap_or("Reserved")
    );
    out!(w, ", log message interval : {}", u8_at(m, 33)?);
    let at = HEADER_LEN;
    match kind {
        0x0 | 0x1 => timestamp(w, m, at, "originTimeStamp")?,
        0x8 => timestamp(w, m, at, "preciseOriginTimeStamp")?,
        0x2 | 0xa => timestamp_identity(w, m, at, "preciseOriginTimeStamp")?,
        0x3 | 0x9 => timestamp_identity(w, m, at, "receiveTimeStamp")?,
        0xb => announce(w, m, at)?,
        0xc => port_identity(w, m, at)?,
        0xd => {
            port_identity(w, m, at)?;
            // tcpdump reads these four from the same byte, the first
            // after the header (its pointer is not moved on).
            for (name, hex) in [
                ("start boundary hops", false),
                ("boundary hops", false),
                ("flags", true),
                ("reserved", true),
            ] {
                let b = u8_at(m, at)?;
                if hex {
                    out!(w, ", , {name}  0x{b:x}");
                } else {
                    out!(w, ", , {name}  {b}");
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn timestamp(w: &mut Vec<u8>, m: &[u8], at: usize, name: &str) -> Res<()> {
    out!(w, ", {name} :");
    out!(w, " {} seconds,", u48_at(m, at)?);
    out!(w, " {} nanoseconds", u32_at(m, at + 6)?);
    Ok(())
}

fn timestamp_identity(w: &mut Vec<u8>, m: &[u8], at: usize, name: &str) -> Res<()> {
    timestamp(w, m, at, name)?;
    port_identity(w, m, at + 10)
}

fn port_identity(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    out!(w, ", port identity : 0x{:x}", u64_at(m, at)?);
    out!(w, ", port id : {}", u16_at(m, at + 8)?);
    Ok(())
}

fn announce(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    w.extend_from_slice(b", originTimeStamp :");
    out!(w, " {} seconds", u48_at(m, at)?);
    out!(w, " {} nanoseconds", u32_at(m, at + 6)?);
    out!(w, ", origin cur utc :{}", u16_at(m, at + 10)?);
    out!(w, ", rsvd : {}", u8_at(m, at + 12)?);
    out!(w, ", gm priority_1 : {}", u8_at(m, at + 13)?);
    out!(w, ", gm clock class : {}", u8_at(m, at + 14)?);
    out!(w, ", gm clock accuracy : {}", u8_at(m, at + 15)?);
    out!(w, ", gm clock variance : {}", u16_at(m, at + 16)?);
    out!(w, ", gm priority_2 : {}", u8_at(m, at + 18)?);
    out!(w, ", gm clock id : 0x{:x}", u64_at(m, at + 19)?);
    out!(w, ", steps removed : {}", u16_at(m, at + 27)?);
    out!(w, ", time source : 0x{:x}", u8_at(m, at + 29)?);
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let b0 = u8_at(m, 0)?;
    o.insert("version".into(), json!(u8_at(m, 1)? & 0x0f));
    o.insert("msg_type".into(), json!(b0 & 0x0f));
    o.insert("msg_type_name".into(), json!(tok(TYPES, b0 & 0x0f)));
    o.insert("length".into(), json!(u16_at(m, 2)?));
    o.insert("domain".into(), json!(u16_at(m, 4)? >> 8));
    o.insert("flags".into(), json!(u16_at(m, 6)?));
    o.insert("correction_ns".into(), json!(u48_at(m, 8)?));
    o.insert(
        "clock_identity".into(),
        json!(format!("{:016x}", u64_at(m, 20)?)),
    );
    o.insert("port_id".into(), json!(u16_at(m, 28)?));
    o.insert("sequence_id".into(), json!(u16_at(m, 30)?));
    if matches!(b0 & 0x0f, 0x0 | 0x1 | 0x2 | 0x3 | 0x8 | 0x9 | 0xa | 0xb) {
        o.insert("timestamp_s".into(), json!(u48_at(m, HEADER_LEN)?));
        o.insert("timestamp_ns".into(), json!(u32_at(m, HEADER_LEN + 6)?));
    }
    Ok(())
}
