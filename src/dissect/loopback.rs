//! The Ethernet Configuration Testing Protocol (EtherType 0x9000, the
//! "Loopback" of Cisco's keepalives) as `tcpdump -n` prints it at every
//! level: `Loopback, skipCount 0, Reply, receipt number 0, data (40
//! octets)` — the skip count (` (bogus)` when not a multiple of 8), then
//! the message it points at: a reply's receipt number or a forward-data
//! message's forwarding address, and the data's length. Fields are little
//! endian, as the protocol (DEC's) has them.
//!
//! tcpdump reads the fields unchecked and its checks of the data and,
//! after ` (invalid)`, of the rest jump too: a capture cut anywhere ends
//! with its `longjmp`.

use super::ctl::{json_object, out, put_mac_at, tok};
use super::wire::{Res, need, u16_le_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static LOOPBACK: Dissector =
    Dissector::new("loopback", line, verbose, to_json, looks_like_loopback);

/// A skip count that is a multiple of 8 and fits the message.
fn looks_like_loopback(m: &[u8]) -> bool {
    matches!(u16_le_at(m, 0), Ok(skip) if skip.is_multiple_of(8) && usize::from(skip) + 4 <= m.len())
}

const REPLY: u16 = 1;
const FORWARD: u16 = 2;
const FUNCTIONS: &[(u16, &str)] = &[(REPLY, "Reply"), (FORWARD, "Forward Data")];

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    print(w, p)
}

/// The same line at every level.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    print(w, p)
}

/// ` (invalid)`, then tcpdump's check that the `left` bytes from `at`
/// were captured.
fn invalid(w: &mut Vec<u8>, m: &[u8], at: usize, left: usize) -> Res<()> {
    w.extend_from_slice(b" (invalid)");
    need(m, at, left)
}

fn print(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    w.extend_from_slice(b"Loopback");
    if len < 2 {
        return invalid(w, m, 0, len);
    }
    let skip = usize::from(u16_le_at(m, 0)?);
    out!(w, ", skipCount {skip}");
    if !skip.is_multiple_of(8) {
        w.extend_from_slice(b" (bogus)");
    }
    if skip > len - 2 {
        return invalid(w, m, 2, len - 2);
    }
    // The skipped bytes must have been captured.
    need(m, 2, skip)?;
    message(w, m, 2 + skip, len - 2 - skip)
}

/// The message at `at`, `len` bytes of the declared length from there.
fn message(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<()> {
    if len < 2 {
        return invalid(w, m, at, len);
    }
    let function = u16_le_at(m, at)?;
    match tok(FUNCTIONS, function) {
        Some(name) => out!(w, ", {name}"),
        None => out!(w, ",  invalid ({function})"),
    }
    let head = match function {
        REPLY => 4,
        FORWARD => 8,
        _ => 2,
    };
    if len < head {
        return invalid(w, m, at + 2, len - 2);
    }
    match function {
        REPLY => out!(w, ", receipt number {}", u16_le_at(m, at + 2)?),
        FORWARD => {
            // The address is read whole before any of the words print.
            let mut mac = Vec::new();
            put_mac_at(&mut mac, m, at + 2)?;
            w.extend_from_slice(b", forwarding address ");
            w.extend_from_slice(&mac);
        }
        _ => {}
    }
    if head > 2 {
        out!(w, ", data ({} octets)", len - head);
    }
    need(m, at + head, len - head)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let skip = u16_le_at(m, 0)?;
    o.insert("skip_count".into(), json!(skip));
    let at = 2 + usize::from(skip);
    let function = u16_le_at(m, at)?;
    o.insert("function".into(), json!(function));
    o.insert("function_name".into(), json!(tok(FUNCTIONS, function)));
    match function {
        REPLY => {
            o.insert("receipt_number".into(), json!(u16_le_at(m, at + 2)?));
        }
        FORWARD => {
            let mut mac = Vec::new();
            put_mac_at(&mut mac, m, at + 2)?;
            o.insert(
                "forwarding_address".into(),
                json!(String::from_utf8_lossy(&mac)),
            );
        }
        _ => {}
    }
    Ok(())
}
