//! IEEE 802.3ah's Multi-Point Control Protocol (EPON, EtherType 0x8808)
//! as `tcpdump -n` prints it: `MPCP, Opcode Gate, Timestamp 100 ticks,
//! length 60` (a pause names no timestamp); at `-v` the message: a gate's
//! grants and sync time, a report's queue sets, a register request's,
//! register's and register acknowledgement's flags, ports and times, an
//! unknown opcode's bytes in hex.
//!
//! tcpdump reads every field unchecked: a capture cut anywhere ends with
//! its `longjmp`.

use super::ctl::{Bit, json_object, out, put_bits, tok, unknown_data};
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static MPCP: Dissector = Dissector::new("mpcp", line, verbose, to_json, looks_like_mpcp);

/// A known opcode.
fn looks_like_mpcp(m: &[u8]) -> bool {
    matches!(u16_at(m, 0), Ok(1..=6))
}

const PAUSE: u16 = 1;
const GATE: u16 = 2;
const REPORT: u16 = 3;
const REGISTER_REQUEST: u16 = 4;
const REGISTER: u16 = 5;
const REGISTER_ACK: u16 = 6;
const OPCODES: &[(u16, &str)] = &[
    (PAUSE, "Pause"),
    (GATE, "Gate"),
    (REPORT, "Report"),
    (REGISTER_REQUEST, "Register Request"),
    (REGISTER, "Register"),
    (REGISTER_ACK, "Register ACK"),
];
/// Opcode and timestamp.
const HEADER: usize = 6;

const GRANT_FLAGS: &[Bit] = &[
    (0x08, "Discovery"),
    (0x10, "Force Grant #1"),
    (0x20, "Force Grant #2"),
    (0x40, "Force Grant #3"),
    (0x80, "Force Grant #4"),
];
const REPORT_QUEUES: &[Bit] = &[
    (0x01, "Q0"),
    (0x02, "Q1"),
    (0x04, "Q2"),
    (0x08, "Q3"),
    (0x10, "Q4"),
    (0x20, "Q5"),
    (0x40, "Q6"),
    (0x80, "Q7"),
];
const REGISTER_REQUEST_FLAGS: &[Bit] = &[(1, "Register"), (3, "De-Register")];
const REGISTER_FLAGS: &[Bit] = &[
    (1, "Re-Register"),
    (2, "De-Register"),
    (3, "ACK"),
    (4, "NACK"),
];
/// tcpdump's table also names 0 (`NACK`), which its flag printer never
/// prints: a name needs a bit.
const REGISTER_ACK_FLAGS: &[Bit] = &[(1, "ACK")];

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, length) = (p.bytes, p.declared_len);
    let (opcode, timestamp) = (u16_at(m, 0)?, u32_at(m, 2)?);
    w.extend_from_slice(b"MPCP, Opcode ");
    match tok(OPCODES, opcode) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "Unknown ({opcode})"),
    }
    if opcode != PAUSE {
        out!(w, ", Timestamp {timestamp} ticks");
    }
    out!(w, ", length {length}");
    if v == 0 {
        return Ok(());
    }
    let at = HEADER;
    match opcode {
        PAUSE => {}
        GATE => gate(w, m)?,
        REPORT => report(w, m)?,
        // Each line's fields are all read before any of it is printed.
        REGISTER_REQUEST => {
            let (flags, pending) = (u8_at(m, at)?, u8_at(m, at + 1)?);
            w.extend_from_slice(b"\n\tFlags [ ");
            put_bits(w, REGISTER_REQUEST_FLAGS, u32::from(flags), "Reserved");
            out!(w, " ], Pending-Grants {pending}");
        }
        REGISTER => {
            let (port, flags) = (u16_at(m, at)?, u8_at(m, at + 2)?);
            let (sync, pending) = (u16_at(m, at + 3)?, u8_at(m, at + 5)?);
            out!(w, "\n\tAssigned-Port {port}, Flags [ ");
            put_bits(w, REGISTER_FLAGS, u32::from(flags), "Reserved");
            out!(
                w,
                " ]\n\tSync-Time {sync} ticks, Echoed-Pending-Grants {pending}"
            );
        }
        REGISTER_ACK => {
            let (flags, port, sync) = (u8_at(m, at)?, u16_at(m, at + 1)?, u16_at(m, at + 3)?);
            out!(w, "\n\tEchoed-Assigned-Port {port}, Flags [ ");
            put_bits(w, REGISTER_ACK_FLAGS, u32::from(flags), "Reserved");
            out!(w, " ]\n\tEchoed-Sync-Time {sync} ticks");
        }
        _ => unknown_data(w, m, 0, "\n\t", length),
    }
    Ok(())
}

/// A gate: its grant count and flags, each grant, the sync time.
fn gate(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    let first = u8_at(m, HEADER)?;
    let grants = first & 0x07;
    out!(w, "\n\tGrant Numbers {grants}, Flags [ ");
    put_bits(w, GRANT_FLAGS, u32::from(first & !0x07), "?");
    w.extend_from_slice(b" ]");
    let mut at = HEADER + 1;
    for grant in 1..=grants {
        let (start, duration) = (u32_at(m, at)?, u16_at(m, at + 4)?);
        out!(
            w,
            "\n\tGrant #{grant}, Start-Time {start} ticks, duration {duration} ticks"
        );
        at += 6;
    }
    out!(w, "\n\tSync-Time {} ticks", u16_at(m, at)?);
    Ok(())
}

/// A report: its queue-set count, then each set but the first (as
/// tcpdump counts them, each named by the count) with its bitmap and a
/// duration per queue the bitmap names.
fn report(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    let sets = u8_at(m, HEADER)?;
    out!(w, "\n\tTotal Queue-Sets {sets}");
    let mut at = HEADER + 1;
    for _ in 1..sets {
        let bitmap = u8_at(m, at)?;
        out!(w, "\n\t  Queue-Set #{sets}, Report-Bitmap [ ");
        put_bits(w, REPORT_QUEUES, u32::from(bitmap), "Unknown");
        w.extend_from_slice(b" ]");
        at += 1;
        for queue in 0..8u8 {
            if bitmap & (1 << queue) != 0 {
                out!(
                    w,
                    "\n\t    Q{} Report, Duration {} ticks",
                    queue + 1,
                    u16_at(m, at)?
                );
                at += 2;
            }
        }
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let opcode = u16_at(m, 0)?;
    o.insert("opcode".into(), json!(opcode));
    o.insert("opcode_name".into(), json!(tok(OPCODES, opcode)));
    o.insert("timestamp".into(), json!(u32_at(m, 2)?));
    match opcode {
        GATE => {
            o.insert("grants".into(), json!(u8_at(m, HEADER)? & 0x07));
        }
        REPORT => {
            o.insert("queue_sets".into(), json!(u8_at(m, HEADER)?));
        }
        REGISTER => {
            o.insert("assigned_port".into(), json!(u16_at(m, HEADER)?));
            o.insert("flags".into(), json!(u8_at(m, HEADER + 2)?));
        }
        REGISTER_REQUEST | REGISTER_ACK => {
            o.insert("flags".into(), json!(u8_at(m, HEADER)?));
        }
        _ => {}
    }
    Ok(())
}
