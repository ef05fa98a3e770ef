//! RIP versions 1 and 2 (RFC 1058, RFC 2453; RFC 4822's cryptographic
//! authentication) on UDP port 520, as `tcpdump -n` prints them: the
//! default line names the version, the command and the UDP length
//! (`RIPv2, Response, length: 44`); `-v` puts that on a line of its own
//! and adds one line per entry (`AFI IPv4,        10.0.0.0/8 , tag
//! 0x0000, metric: 1, next-hop: self`, the authentication entries, hex
//! for families and commands it does not decode); `-vv` ends with the
//! message in hex. tcpdump checks every length before it reads, so a cut
//! entry prints ` [|rip]` where it stopped and the hex still follows.
//! Zeek has no RIP analyzer: no `service`.

use super::ctl::{ipv4_at, json_object_with_list, line_is_level_0, out, tok, unknown_data};
use super::dns::text::put_char;
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

/// RIP on port 520.
pub static RIP: Dissector = Dissector {
    name: "rip",
    json_key: "rip",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: looks_like_rip,
};

/// A command tcpdump names and a version RIP has had.
fn looks_like_rip(m: &[u8]) -> bool {
    matches!(m, [1..=6, 1 | 2, ..])
}

const COMMANDS: &[(u8, &str)] = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Trace on"),
    (4, "Trace off"),
    (5, "Poll"),
    (6, "Poll Entry"),
];

/// The BSD address families tcpdump names (its `bsd_af_values`): RIP's
/// AFI is the sender's `AF_` number.
const BSD_FAMILIES: &[(u16, &str)] = &[
    (2, "IPv4"),
    (6, "NS"),
    (7, "ISO"),
    (16, "Appletalk"),
    (23, "IPX"),
    (24, "IPv6"),
    (28, "IPv6"),
    (30, "IPv6"),
];

const HEADER: usize = 4;
const ENTRY: usize = 20;
const AUTH_TEXT: usize = 16;
/// The family of an authentication entry (RFC 2453 section 4.1).
const AUTH_FAMILY: u16 = 0xffff;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let length = p.declared_len;
    // The entries end with the capture or the UDP length, whichever is
    // first; a header that is not all there prints nothing but the mark.
    let body = body(p);
    if body.len() < HEADER {
        return Err(Truncated);
    }
    let version = u8_at(body, 1)?;
    if v >= 1 {
        w.extend_from_slice(b"\n\t");
    }
    out!(w, "RIPv{version}");
    if version == 0 {
        // RFC 1058's version 0 is machine-specific: tcpdump dumps it, at
        // every level.
        unknown_data(w, p.bytes, 0, "\n\t", length);
        return Ok(());
    }
    let cmd = u8_at(body, 0)?;
    match tok(COMMANDS, cmd) {
        Some(name) => out!(w, ", {name}, length: {length}"),
        None => out!(w, ", unknown command ({cmd}), length: {length}"),
    }
    if v < 1 {
        return Ok(());
    }
    match cmd {
        1 | 2 => match version {
            1 => {
                out!(w, ", routes: {}", length / ENTRY);
                entries(w, (p.bytes, body), entry_v1)?;
            }
            2 => {
                out!(w, ", routes: {} or less", length / ENTRY);
                entries(w, (p.bytes, body), entry_v2)?;
            }
            _ => w.extend_from_slice(b", unknown version"),
        },
        4..=6 => {}
        // Trace on and unknown commands: their bytes, once (`-vv` adds
        // the dump below anyway).
        _ if v <= 1 => unknown_data(w, p.bytes, 0, "\n\t", length),
        _ => {}
    }
    if v > 1 {
        unknown_data(w, p.bytes, 0, "\n\t", length);
    }
    Ok(())
}

/// An entry printer: the entry at `at` with `remaining` bytes of the
/// message from there; how many bytes it took, `None` where it stopped
/// after its own check (cut, or too short for what it must read). `Err`:
/// a password ran out before its end, where tcpdump's reader jumps out
/// of the whole printer.
type EntryFn = fn(&mut Vec<u8>, &[u8], usize, usize) -> Res<Option<usize>>;

/// Every entry after the header. A checked stop prints ` [|rip]` in the
/// line (the `-vv` dump still follows, as in tcpdump); an entry longer
/// than what is left ends the walk as invalid.
///
/// The walk ends with `body` (the capture or the UDP length, whichever
/// is first); an entry reads from `m`, every captured byte, as tcpdump's
/// do (an unknown family's 16 bytes of hex go on past the UDP length).
fn entries(w: &mut Vec<u8>, (m, body): (&[u8], &[u8]), entry: EntryFn) -> Res<()> {
    let mut at = HEADER;
    while at < body.len() {
        let remaining = body.len() - at;
        let Some(size) = entry(w, m, at, remaining)? else {
            w.extend_from_slice(b" [|rip]");
            return Ok(());
        };
        if remaining < size {
            out!(
                w,
                " [remaining entries length {remaining} < {size}] (invalid)"
            );
            return Ok(());
        }
        at += size;
    }
    Ok(())
}

/// Whether a cut line ended by tcpdump's `longjmp` (a password that runs
/// out) rather than its check of the header's length.
pub(super) fn cut_jumps(p: &Payload<'_>) -> bool {
    body(p).len() >= HEADER
}

/// The message as far as both the capture and the UDP length go.
fn body<'a>(p: &Payload<'a>) -> &'a [u8] {
    p.bytes.get(..p.declared_len).unwrap_or(p.bytes)
}

fn put_family(w: &mut Vec<u8>, family: u16) {
    match tok(BSD_FAMILIES, family) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "Unknown ({family})"),
    }
}

/// RFC 1058's entry: family, address and metric; the must-be-zero
/// fields set, or another family, print the entry in hex.
fn entry_v1(w: &mut Vec<u8>, m: &[u8], at: usize, remaining: usize) -> Res<Option<usize>> {
    Ok(route_v1(w, m, at, remaining))
}

fn route_v1(w: &mut Vec<u8>, m: &[u8], at: usize, remaining: usize) -> Option<usize> {
    if remaining < ENTRY {
        return None;
    }
    let family = u16_at(m, at).ok()?;
    if family != 2 && family != 0 {
        w.extend_from_slice(b"\n\t AFI ");
        put_family(w, family);
        w.extend_from_slice(b", ");
        unknown_data(w, m, at + 4, "\n\t  ", ENTRY - 4);
        return Some(ENTRY);
    }
    let mbz = u16_at(m, at + 2).ok()? != 0
        || u32_at(m, at + 8).ok()? != 0
        || u32_at(m, at + 12).ok()? != 0;
    if mbz {
        unknown_data(w, m, at, "\n\t  ", ENTRY);
        return Some(ENTRY);
    }
    let dest = ipv4_at(m, at + 4).ok()?;
    let metric = u32_at(m, at + 16).ok()?;
    let afi = if family == 0 { "AFI 0, " } else { "" };
    out!(w, "\n\t  {afi}{dest}, metric: {metric}");
    Some(ENTRY)
}

/// RFC 2453's entry, or an authentication entry (family 0xffff): simple
/// password, RFC 4822's header and trailer, or an unknown kind in hex.
fn entry_v2(w: &mut Vec<u8>, m: &[u8], at: usize, remaining: usize) -> Res<Option<usize>> {
    if remaining >= 4 && u16_at(m, at)? == AUTH_FAMILY {
        return auth_entry(w, m, at, remaining);
    }
    Ok(route_v2(w, m, at, remaining))
}

fn route_v2(w: &mut Vec<u8>, m: &[u8], at: usize, remaining: usize) -> Option<usize> {
    if remaining < 4 {
        return None;
    }
    let family = u16_at(m, at).ok()?;
    if family != 2 && family != 0 {
        w.extend_from_slice(b"\n\t  AFI ");
        put_family(w, family);
        unknown_data(w, m, at + 4, "\n\t  ", ENTRY - 4);
        return Some(ENTRY);
    }
    if remaining < ENTRY {
        return None;
    }
    let dest = ipv4_at(m, at + 4).ok()?;
    let plen = prefix_len(u32_at(m, at + 8).ok()?);
    let tag = u16_at(m, at + 2).ok()?;
    let metric = u32_at(m, at + 16).ok()?;
    w.extend_from_slice(b"\n\t  AFI ");
    match tok(BSD_FAMILIES, family) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "{family}"),
    }
    // tcpdump's `%15s/%-2d`: the address right-aligned, the length
    // left-aligned in two columns.
    out!(
        w,
        ", {:>15}/{plen:<2}, tag 0x{tag:04x}, metric: {metric}, next-hop: ",
        dest.to_string()
    );
    match ipv4_at(m, at + 12).ok()? {
        hop if hop.is_unspecified() => w.extend_from_slice(b"self"),
        hop => out!(w, "{hop}"),
    }
    Some(ENTRY)
}

fn auth_entry(w: &mut Vec<u8>, m: &[u8], at: usize, remaining: usize) -> Res<Option<usize>> {
    let kind = u16_at(m, at + 2)?;
    let (at, remaining) = (at + 4, remaining - 4);
    match kind {
        2 => {
            w.extend_from_slice(b"\n\t  Simple Text Authentication data: ");
            password(w, m, at, remaining)?;
            Ok(Some(ENTRY))
        }
        3 => Ok(crypto_header(w, m, at, remaining)),
        // The trailer, and an unknown kind, run to the message's end.
        1 => {
            w.extend_from_slice(b"\n\t  Auth trailer:");
            unknown_data(w, m, at, "\n\t  ", remaining);
            Ok(Some(4 + remaining))
        }
        _ => {
            out!(w, "\n\t  Unknown ({kind}) Authentication data:");
            unknown_data(w, m, at, "\n\t  ", remaining);
            Ok(Some(4 + remaining))
        }
    }
}

/// RFC 4822's header: packet length, key, data length, sequence number.
fn crypto_header(w: &mut Vec<u8>, m: &[u8], at: usize, remaining: usize) -> Option<usize> {
    if remaining < 16 {
        return None;
    }
    out!(
        w,
        "\n\t  Auth header: Packet Len {}, Key-ID {}, Auth Data Len {}, SeqNo {}, MBZ {}, MBZ {}",
        u16_at(m, at).ok()?,
        u8_at(m, at + 2).ok()?,
        u8_at(m, at + 3).ok()?,
        u32_at(m, at + 4).ok()?,
        u32_at(m, at + 8).ok()?,
        u32_at(m, at + 12).ok()?
    );
    Some(ENTRY)
}

/// The password: up to 16 bytes, ending at a NUL (tcpdump's
/// `nd_printzp`); `Err` when the message ends before either.
fn password(w: &mut Vec<u8>, m: &[u8], at: usize, remaining: usize) -> Res<()> {
    for i in 0..AUTH_TEXT {
        if i >= remaining {
            return Err(Truncated);
        }
        match m.get(at + i).ok_or(Truncated)? {
            0 => break,
            &c => put_char(w, c),
        }
    }
    Ok(())
}

/// The prefix length of a contiguous mask, −1 for another (tcpdump's
/// `mask2plen`).
fn prefix_len(mask: u32) -> i32 {
    super::ctl::prefix_len(u128::from(mask) << 96)
}

fn to_json(p: &Payload<'_>) -> Value {
    to_json_with(p, COMMANDS, entries_json)
}

/// The JSON object of a RIP or RIPng message: the four-byte header both
/// share (RFC 2453 §3.6, RFC 2080 §2.1) as `command` (its name from
/// `names`), `version` and the declared `length`, then the `entries`
/// that `entries` reads from the bytes up to that length, given the
/// command and the version.
pub(super) fn to_json_with(
    p: &Payload<'_>,
    names: &[(u8, &'static str)],
    entries: impl FnOnce(&mut Vec<Value>, &[u8], u8, u8) -> Res<()>,
) -> Value {
    json_object_with_list("entries", |o, list| {
        let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
        let cmd = u8_at(m, 0)?;
        o.insert("command".into(), json!(cmd));
        o.insert("command_name".into(), json!(tok(names, cmd)));
        let version = u8_at(m, 1)?;
        o.insert("version".into(), json!(version));
        o.insert("length".into(), json!(p.declared_len));
        entries(list, m, cmd, version)
    })
}

/// The entries of a RIPv1 or v2 request or response (none for other
/// commands and versions).
fn entries_json(list: &mut Vec<Value>, m: &[u8], cmd: u8, version: u8) -> Res<()> {
    if !matches!((cmd, version), (1 | 2, 1 | 2)) {
        return Ok(());
    }
    let mut at = HEADER;
    while at < m.len() {
        let family = u16_at(m, at)?;
        let mut e = Map::new();
        e.insert("afi".into(), json!(family));
        if family == AUTH_FAMILY && version == 2 {
            let kind = u16_at(m, at + 2)?;
            e.insert("auth_type".into(), json!(kind));
            auth_json(&mut e, m, at + 4, kind)?;
            if !matches!(kind, 2 | 3) {
                // The trailer and unknown kinds run to the end.
                e.insert("auth_length".into(), json!(m.len() - at - 4));
                list.push(Value::Object(e));
                return Ok(());
            }
        } else {
            e.insert("afi_name".into(), json!(tok(BSD_FAMILIES, family)));
            if version == 2 {
                e.insert("tag".into(), json!(u16_at(m, at + 2)?));
            }
            e.insert("address".into(), json!(ipv4_at(m, at + 4)?.to_string()));
            if version == 2 {
                e.insert("prefix_len".into(), json!(prefix_len(u32_at(m, at + 8)?)));
                e.insert("next_hop".into(), json!(ipv4_at(m, at + 12)?.to_string()));
            }
            e.insert("metric".into(), json!(u32_at(m, at + 16)?));
        }
        if at + ENTRY > m.len() {
            return Err(Truncated);
        }
        list.push(Value::Object(e));
        at += ENTRY;
    }
    Ok(())
}

/// An authentication entry's fields: the password up to its NUL, RFC
/// 4822's header.
fn auth_json(e: &mut Map<String, Value>, m: &[u8], at: usize, kind: u16) -> Res<()> {
    match kind {
        2 => {
            let text = bytes_at::<AUTH_TEXT>(m, at)?;
            let end = text.iter().position(|&c| c == 0).unwrap_or(AUTH_TEXT);
            let password = String::from_utf8_lossy(text.get(..end).unwrap_or(&text));
            e.insert("password".into(), json!(password));
        }
        3 => {
            e.insert("packet_len".into(), json!(u16_at(m, at)?));
            e.insert("key_id".into(), json!(u8_at(m, at + 2)?));
            e.insert("auth_data_len".into(), json!(u8_at(m, at + 3)?));
            e.insert("sequence".into(), json!(u32_at(m, at + 4)?));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response() -> Vec<u8> {
        let mut m = vec![2, 2, 0, 0];
        m.extend_from_slice(&[
            0, 2, 0, 0, 10, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        ]);
        m.extend_from_slice(&[0, 2, 0x12, 0x34, 192, 168, 1, 0, 255, 255, 255, 0]);
        m.extend_from_slice(&[10, 0, 0, 2, 0, 0, 0, 3]);
        m
    }

    #[test]
    fn test_response_lines() {
        assert_eq!(RIP.printed(&response(), 0), "RIPv2, Response, length: 44");
        assert_eq!(
            RIP.printed(&response(), 1),
            "\n\tRIPv2, Response, length: 44, routes: 2 or less\
             \n\t  AFI IPv4,        10.0.0.0/8 , tag 0x0000, metric: 1, next-hop: self\
             \n\t  AFI IPv4,     192.168.1.0/24, tag 0x1234, metric: 3, next-hop: 10.0.0.2"
        );
    }

    #[test]
    fn test_truncated_entry_marks_in_the_line() {
        assert_eq!(
            RIP.printed_cut(&response(), 20, 1),
            "\n\tRIPv2, Response, length: 44, routes: 2 or less [|rip]"
        );
        assert_eq!(RIP.printed_cut(&response(), 3, 0), " [|rip]");
    }

    #[test]
    fn test_prefix_len() {
        assert_eq!(prefix_len(0), 0);
        assert_eq!(prefix_len(0xff00_0000), 8);
        assert_eq!(prefix_len(u32::MAX), 32);
        assert_eq!(prefix_len(0xff00_ff00), -1);
    }
}
