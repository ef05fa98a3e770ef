//! ATA over Ethernet (EtherType 0x88a2) as `tcpdump -n` prints it: `AoE
//! length 60, Ver 1, Flags: [Response]`; at `-v` the shelf (major) and
//! slot (minor), the command and tag, then the command's arguments: an
//! ATA command's flags, registers and data length, a config query's
//! buffer count, firmware version and config string, a MAC mask list's
//! directives, a reserve/release's addresses. A version other than 1 is
//! only named.
//!
//! tcpdump reads every field unchecked, and its checks after
//! ` (invalid)` jump too: a capture cut anywhere ends with its `longjmp`.

use super::ctl::{Bit, json_object, out, put_bits, put_mac_at, tok};
use super::dns::text::put_chars;
use super::wire::{Res, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static AOE: Dissector = Dissector::new("aoe", line, verbose, to_json, looks_like_aoe);

/// Version 1 and a known command.
fn looks_like_aoe(m: &[u8]) -> bool {
    matches!(m, [ver, _, _, _, _, 0..=3, ..] if ver >> 4 == 1)
}

const COMMANDS: &[(u8, &str)] = &[
    (0, "Issue ATA Command"),
    (1, "Query Config Information"),
    (2, "MAC Mask List"),
    (3, "Reserve/Release"),
];
const FLAGS: &[Bit] = &[
    (0x08, "Response"),
    (0x04, "Error"),
    (0x02, "MBZ-1"),
    (0x01, "MBZ-0"),
];
const FLAG_ERROR: u8 = 0x04;
const ERRORS: &[(u8, &str)] = &[
    (1, "Unrecognized command code"),
    (2, "Bad argument parameter"),
    (3, "Device unavailable"),
    (4, "Config string present"),
    (5, "Unsupported version"),
    (6, "Target is reserved"),
];
const ATA_FLAGS: &[Bit] = &[
    (0x80, "MBZ-7"),
    (0x40, "Ext48"),
    (0x20, "MBZ-5"),
    (0x10, "Device"),
    (0x08, "MBZ-3"),
    (0x04, "MBZ-2"),
    (0x02, "Async"),
    (0x01, "Write"),
];
const CONFIG_COMMANDS: &[(u8, &str)] = &[
    (0, "read config string"),
    (1, "test config string"),
    (2, "test config string prefix"),
    (3, "set config string"),
    (4, "force set config string"),
];
const MASK_COMMANDS: &[(u8, &str)] = &[(0, "Read Mac Mask List"), (1, "Edit Mac Mask List")];
const MASK_ERRORS: &[(u8, &str)] = &[
    (1, "Unspecified Error"),
    (2, "Bad DCmd directive"),
    (3, "Mask list full"),
];
const DIRECTIVES: &[(u8, &str)] = &[
    (0, "No Directive"),
    (1, "Add mac address to mask list"),
    (2, "Delete mac address from mask list"),
];
const RESERVE_COMMANDS: &[(u8, &str)] = &[
    (0, "Read reserve list"),
    (1, "Set reserve list"),
    (2, "Force set reserve list"),
];

/// The version 1 header: version and flags, error, major, minor,
/// command, tag.
const HEADER: usize = 10;
/// The longest config string tcpdump accepts.
const MAX_CONFIG_STRING: usize = 1024;

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

/// ` (invalid)`, then tcpdump's check that the `left` bytes from `at`
/// were captured.
fn invalid(w: &mut Vec<u8>, m: &[u8], at: usize, left: usize) -> Res<()> {
    w.extend_from_slice(b" (invalid)");
    need(m, at, left)
}

/// `name` from `table`, or `Unknown (0x..)`.
fn put_named(w: &mut Vec<u8>, table: &[(u8, &'static str)], v: u8) {
    match tok(table, v) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "Unknown (0x{v:02x})"),
    }
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    out!(w, "AoE length {len}");
    if len < 1 {
        return invalid(w, m, 0, len);
    }
    let version = u8_at(m, 0)? >> 4;
    out!(w, ", Ver {version}");
    if version != 1 {
        return Ok(());
    }
    if len < HEADER {
        return invalid(w, m, 0, len);
    }
    let flags = u8_at(m, 0)? & 0x0f;
    w.extend_from_slice(b", Flags: [");
    put_bits(w, FLAGS, u32::from(flags), "none");
    w.push(b']');
    if v == 0 {
        return Ok(());
    }
    if flags & FLAG_ERROR != 0 {
        let error = u8_at(m, 1)?;
        match tok(ERRORS, error) {
            Some(name) => out!(w, "\n\tError: {name}"),
            None => out!(w, "\n\tError: Invalid ({error})"),
        }
    }
    out!(w, "\n\tMajor: 0x{:04x}", u16_at(m, 2)?);
    out!(w, ", Minor: 0x{:02x}", u8_at(m, 4)?);
    // Each field is read before its words are printed.
    let command = u8_at(m, 5)?;
    w.extend_from_slice(b", Command: ");
    put_named(w, COMMANDS, command);
    out!(w, ", Tag: 0x{:08x}", u32_at(m, 6)?);
    let rest = len - HEADER;
    match command {
        0 => ata(w, m, rest),
        1 => query(w, m, rest),
        2 => mask_list(w, m, rest),
        3 => reserve(w, m, rest),
        _ => Ok(()),
    }
}

/// An ATA command's arguments (`len` bytes declared after the header).
fn ata(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    let at = HEADER;
    if len < 12 {
        return invalid(w, m, at, len);
    }
    let aflags = u8_at(m, at)?;
    w.extend_from_slice(b"\n\tAFlags: [");
    put_bits(w, ATA_FLAGS, u32::from(aflags), "none");
    w.push(b']');
    out!(w, ", Err/Feature: {}", u8_at(m, at + 1)?);
    out!(w, ", Sector Count: {}", u8_at(m, at + 2)?);
    out!(w, ", Cmd/Status: {}", u8_at(m, at + 3)?);
    for i in 0..6 {
        let sep = if i == 0 { "\n\t" } else { ", " };
        out!(w, "{sep}lba{i}: {}", u8_at(m, at + 4 + i)?);
    }
    need(m, at + 10, 2)?;
    if len > 12 {
        out!(w, "\n\tData: {} bytes", len - 12);
    }
    Ok(())
}

/// A config query's arguments.
fn query(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    let at = HEADER;
    if len < 8 {
        return invalid(w, m, at, len);
    }
    out!(w, "\n\tBuffer Count: {}", u16_at(m, at)?);
    out!(w, ", Firmware Version: {}", u16_at(m, at + 2)?);
    out!(w, ", Sector Count: {}", u8_at(m, at + 4)?);
    let b = u8_at(m, at + 5)?;
    // tcpdump's words for an unknown config command keep its format's
    // typo: no number.
    out!(
        w,
        ", AoE: {}, CCmd: {}",
        b >> 4,
        tok(CONFIG_COMMANDS, b & 0x0f).unwrap_or("Unknown (0x02x)")
    );
    let string_len = usize::from(u16_at(m, at + 6)?);
    let left = len - 8;
    if string_len > MAX_CONFIG_STRING || string_len > left {
        return invalid(w, m, at + 8, left);
    }
    if string_len > 0 {
        out!(w, "\n\tConfig String (length {string_len}): ");
        put_chars(w, m, at + 8, string_len)?;
    }
    Ok(())
}

/// A MAC mask list's arguments and directives.
fn mask_list(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    let at = HEADER;
    if len < 4 {
        return invalid(w, m, at, len);
    }
    let mcmd = u8_at(m, at + 1)?;
    w.extend_from_slice(b"\n\tMCmd: ");
    put_named(w, MASK_COMMANDS, mcmd);
    let merror = u8_at(m, at + 2)?;
    w.extend_from_slice(b", MError: ");
    put_named(w, MASK_ERRORS, merror);
    let count = usize::from(u8_at(m, at + 3)?);
    out!(w, ", Dir Count: {count}");
    let left = len - 4;
    if count * 8 > left {
        return invalid(w, m, at + 4, left);
    }
    for i in 0..count {
        let d = at + 4 + 8 * i;
        let dcmd = u8_at(m, d + 1)?;
        w.extend_from_slice(b"\n\t DCmd: ");
        put_named(w, DIRECTIVES, dcmd);
        let mut mac = Vec::new();
        put_mac_at(&mut mac, m, d + 2)?;
        w.extend_from_slice(b", Ethernet Address: ");
        w.extend_from_slice(&mac);
    }
    Ok(())
}

/// A reserve/release's arguments and addresses.
fn reserve(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    let at = HEADER;
    if len < 2 || !(len - 2).is_multiple_of(6) {
        return invalid(w, m, at, len);
    }
    let rcmd = u8_at(m, at)?;
    w.extend_from_slice(b"\n\tRCmd: ");
    put_named(w, RESERVE_COMMANDS, rcmd);
    let count = usize::from(u8_at(m, at + 1)?);
    out!(w, ", NMacs: {count}");
    if count * 6 != len - 2 {
        return invalid(w, m, at + 2, len - 2);
    }
    for i in 0..count {
        let mut mac = Vec::new();
        put_mac_at(&mut mac, m, at + 2 + 6 * i)?;
        out!(w, "\n\tEthernet Address {i}: ");
        w.extend_from_slice(&mac);
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let first = u8_at(m, 0)?;
    o.insert("version".into(), json!(first >> 4));
    o.insert("flags".into(), json!(first & 0x0f));
    if first >> 4 != 1 {
        return Ok(());
    }
    o.insert("error".into(), json!(u8_at(m, 1)?));
    o.insert("major".into(), json!(u16_at(m, 2)?));
    o.insert("minor".into(), json!(u8_at(m, 4)?));
    let command = u8_at(m, 5)?;
    o.insert("command".into(), json!(command));
    o.insert("command_name".into(), json!(tok(COMMANDS, command)));
    o.insert("tag".into(), json!(u32_at(m, 6)?));
    Ok(())
}
