//! AHCP, the Ad-Hoc Configuration Protocol (UDP 5359;
//! draft-chroboczek-ahcp, ahcpd's wire format), as tcpdump 4.99 prints it:
//! `AHCP Version 1` at the default level; `-v` adds the header's hop
//! counts, nonce and source and destination ids and the body's type and
//! length on lines of their own; `-vv` each option (times, lifetimes,
//! IPv4 and IPv6 addresses and prefixes, the others by length). A wrong
//! magic byte, a short header, a body or option longer than the datagram
//! says is ` (invalid)`; whatever the capture cut short is ` [|ahcp]`
//! after the fields read whole. Zeek has no AHCP analyzer (no
//! `service`).

use super::ctl::{invalid, ipv4_at, json_object_with_list, line_is_level_0, out, put_mac, tok};
use super::dns::text::put_ipv6;
use super::ntp::put_utc_as;
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static AHCP: Dissector = Dissector {
    name: "ahcp",
    json_key: "ahcp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= HEADER_LEN && m.first() == Some(&MAGIC),
};

const MAGIC: u8 = 43;
/// Magic, version, hop counts, nonce, source and destination ids.
const HEADER_LEN: usize = 24;
/// The body's type, must-be-zero byte and length.
const BODY_HEADER_LEN: usize = 4;

const MESSAGES: &[(u8, &str)] = &[
    (0, "Discover"),
    (1, "Offer"),
    (2, "Request"),
    (3, "Ack"),
    (4, "Nack"),
    (5, "Release"),
];

const PAD: u8 = 0;
const MANDATORY: u8 = 1;

const OPTIONS: &[(u8, &str)] = &[
    (PAD, "Pad"),
    (MANDATORY, "Mandatory"),
    (2, "Origin Time"),
    (3, "Expires"),
    (4, "My-IPv6-Address"),
    (5, "My-IPv4-Address"),
    (6, "IPv6 Prefix"),
    (7, "IPv4 Prefix"),
    (8, "IPv6 Address"),
    (9, "IPv4 Address"),
    (10, "IPv6 Prefix Delegation"),
    (11, "IPv4 Prefix Delegation"),
    (12, "Name Server"),
    (13, "NTP Server"),
];

/// How tcpdump prints an option's value (it has no printer for the IPv4
/// prefix, 7: its length only, as for the options it does not know).
#[derive(Clone, Copy, PartialEq)]
enum Shown {
    Time,
    Seconds,
    /// Addresses or prefixes: the size of each, whether a prefix length
    /// follows the address (counted in the size).
    Ipv6 {
        prefix: bool,
    },
    Ipv4 {
        prefix: bool,
    },
    Length,
}

fn shown(option: u8) -> Shown {
    match option {
        2 => Shown::Time,
        3 => Shown::Seconds,
        4 | 8 | 12 | 13 => Shown::Ipv6 { prefix: false },
        6 | 10 => Shown::Ipv6 { prefix: true },
        5 | 9 => Shown::Ipv4 { prefix: false },
        11 => Shown::Ipv4 { prefix: true },
        _ => Shown::Length,
    }
}

/// `Discover`, or tcpdump's `Unknown-N`.
fn put_named(w: &mut Vec<u8>, table: &[(u8, &'static str)], v: u8) {
    match tok(table, v) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "Unknown-{v}"),
    }
}

line_is_level_0!();

/// Every length is measured against the datagram's declared length and
/// every read against the capture (tcpdump 4.99 reads with `GET_` macros:
/// a cut is ` [|ahcp]`). ` (invalid)` checks that the rest of what it
/// measured was captured, as tcpdump's `invalid:` labels do.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    w.extend_from_slice(b"AHCP");
    if len < 2 {
        return invalid(w, m, 0, len);
    }
    if u8_at(m, 0)? != MAGIC {
        return invalid(w, m, 0, len);
    }
    let version = u8_at(m, 1)?;
    if version != 1 {
        out!(w, " Version {version} (unknown)");
        // tcpdump checks that the rest of the declared length was captured.
        return need(m, 2, len - 2);
    }
    w.extend_from_slice(b" Version 1");
    if len < HEADER_LEN {
        return invalid(w, m, 2, len - 2);
    }
    if v == 0 {
        need(m, 2, HEADER_LEN - 2)?;
    } else {
        out!(w, "\n\tHopcount {}", u8_at(m, 2)?);
        out!(w, ", Original Hopcount {}", u8_at(m, 3)?);
        out!(w, ", Nonce 0x{:08x}", u32_at(m, 4)?);
        for (name, at) in [("Source", 8), ("Destination", 16)] {
            let id = bytes_at::<8>(m, at)?;
            out!(w, ", {name} Id ");
            put_mac(w, &id);
        }
    }
    body(w, m, len, v)
}

/// The body after the header, up to the datagram's `end`.
fn body(w: &mut Vec<u8>, m: &[u8], end: usize, v: u8) -> Res<()> {
    if HEADER_LEN + BODY_HEADER_LEN > end {
        return invalid(w, m, HEADER_LEN, end - HEADER_LEN);
    }
    let (kind, mbz) = (u8_at(m, HEADER_LEN)?, u8_at(m, HEADER_LEN + 1)?);
    let body_len = usize::from(u16_at(m, HEADER_LEN + 2)?);
    if v > 0 {
        w.extend_from_slice(b"\n\t");
        put_named(w, MESSAGES, kind);
        if mbz != 0 {
            out!(w, ", MBZ {mbz}");
        }
        out!(w, ", Length {body_len}");
    }
    let start = HEADER_LEN + BODY_HEADER_LEN;
    if start + body_len > end {
        return invalid(w, m, start, end - start);
    }
    if v >= 2 {
        // Bytes after the body's length are not read.
        options(w, m, start, start + body_len)
    } else {
        need(m, start, body_len)
    }
}

/// The options from `at` to `end`, each on a line of its own.
fn options(w: &mut Vec<u8>, m: &[u8], mut at: usize, end: usize) -> Res<()> {
    while at < end {
        let option = u8_at(m, at)?;
        at += 1;
        w.extend_from_slice(b"\n\t ");
        put_named(w, OPTIONS, option);
        if option == PAD || option == MANDATORY {
            continue;
        }
        if at + 1 > end {
            return invalid(w, m, at, end - at);
        }
        let n = usize::from(u8_at(m, at)?);
        at += 1;
        if at + n > end {
            return invalid(w, m, at, end - at);
        }
        put_value(w, m, at, n, shown(option))?;
        at += n;
    }
    Ok(())
}

/// An option's value of `n` bytes at `at`: `: ` and the value, addresses
/// `, `-separated, ` (invalid)` after those that fit when the length is
/// not a multiple of their size.
fn put_value(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize, kind: Shown) -> Res<()> {
    let size = match kind {
        Shown::Time | Shown::Seconds if n != 4 => return invalid(w, m, at, n),
        Shown::Time => {
            let t = u32_at(m, at)?;
            w.extend_from_slice(b": ");
            put_utc_as(w, i64::from(t), b' ', b" UTC");
            return Ok(());
        }
        Shown::Seconds => {
            out!(w, ": {}s", u32_at(m, at)?);
            return Ok(());
        }
        Shown::Length => {
            out!(w, " (Length {n})");
            return need(m, at, n);
        }
        Shown::Ipv6 { prefix } => 16 + usize::from(prefix),
        Shown::Ipv4 { prefix } => 4 + usize::from(prefix),
    };
    let (mut sep, end) = (&b": "[..], at + n);
    let mut item = at;
    while item < end {
        if item + size > end {
            return invalid(w, m, item, end - item);
        }
        need(m, item, size)?;
        w.extend_from_slice(sep);
        put_address(w, m, item, kind)?;
        sep = b", ";
        item += size;
    }
    Ok(())
}

/// One address of an address or prefix list (`addr/len` for a prefix).
fn put_address(w: &mut Vec<u8>, m: &[u8], at: usize, kind: Shown) -> Res<()> {
    let (prefix, len_at) = match kind {
        Shown::Ipv6 { prefix } => {
            put_ipv6(w, &bytes_at::<16>(m, at)?);
            (prefix, at + 16)
        }
        Shown::Ipv4 { prefix } => {
            out!(w, "{}", ipv4_at(m, at)?);
            (prefix, at + 4)
        }
        _ => return Ok(()),
    };
    if prefix {
        out!(w, "/{}", u8_at(m, len_at)?);
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("options", |o, list| json_fields(o, list, p))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    o.insert("magic".into(), json!(u8_at(m, 0)?));
    let version = u8_at(m, 1)?;
    o.insert("version".into(), json!(version));
    if version != 1 {
        return Ok(());
    }
    o.insert("hopcount".into(), json!(u8_at(m, 2)?));
    o.insert("original_hopcount".into(), json!(u8_at(m, 3)?));
    o.insert("nonce".into(), json!(u32_at(m, 4)?));
    for (key, at) in [("source_id", 8), ("destination_id", 16)] {
        let mut id = Vec::new();
        put_mac(&mut id, &bytes_at::<8>(m, at)?);
        o.insert(key.into(), json!(String::from_utf8_lossy(&id)));
    }
    let kind = u8_at(m, HEADER_LEN)?;
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(tok(MESSAGES, kind)));
    o.insert("mbz".into(), json!(u8_at(m, HEADER_LEN + 1)?));
    let body_len = usize::from(u16_at(m, HEADER_LEN + 2)?);
    o.insert("length".into(), json!(body_len));
    let (mut at, end) = (
        HEADER_LEN + BODY_HEADER_LEN,
        HEADER_LEN + BODY_HEADER_LEN + body_len,
    );
    need(m, at, body_len)?;
    while at < end {
        let option = u8_at(m, at)?;
        at += 1;
        let mut entry = json!({"type": option, "type_name": tok(OPTIONS, option)});
        if option != PAD && option != MANDATORY {
            let n = usize::from(u8_at(m, at)?);
            at += 1;
            if at + n > end {
                list.push(entry);
                return Err(Truncated);
            }
            let kind = shown(option);
            let mut text = Vec::new();
            put_value(&mut text, m, at, n, kind)?;
            entry["length"] = json!(n);
            if kind != Shown::Length {
                // The value as the line shows it.
                let text = String::from_utf8_lossy(&text);
                entry["value"] = json!(text.strip_prefix(": ").unwrap_or(&text));
            }
            at += n;
        }
        list.push(entry);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 1 Ack whose body holds a time, a lifetime and an IPv4
    /// address.
    fn ack() -> Vec<u8> {
        let mut m = vec![MAGIC, 1, 3, 4, 0xde, 0xad, 0xbe, 0xef];
        m.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        m.extend_from_slice(&[0xff; 8]);
        m.extend_from_slice(&[3, 0, 0, 18]);
        m.extend_from_slice(&[2, 4, 0x5f, 0x5e, 0x10, 0x00]);
        m.extend_from_slice(&[3, 4, 0, 0, 0x0e, 0x10]);
        m.extend_from_slice(&[9, 4, 192, 0, 2, 7]);
        m
    }

    #[test]
    fn test_line() {
        assert_eq!(AHCP.printed(&ack(), 0), "AHCP Version 1");
        assert_eq!(
            AHCP.printed(&ack(), 2),
            "AHCP Version 1\n\tHopcount 3, Original Hopcount 4, Nonce 0xdeadbeef, \
             Source Id 01:02:03:04:05:06:07:08, Destination Id ff:ff:ff:ff:ff:ff:ff:ff\
             \n\tAck, Length 18\n\t Origin Time: 2020-09-13 12:26:40 UTC\
             \n\t Expires: 3600s\n\t IPv4 Address: 192.0.2.7"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(
            AHCP.printed_cut(&ack(), 12, 1),
            "AHCP Version 1\n\tHopcount 3, Original Hopcount 4, Nonce 0xdeadbeef [|ahcp]"
        );
        assert!(
            AHCP.printed_cut(&ack(), 30, 2)
                .ends_with("Ack, Length 18\n\t Origin Time [|ahcp]")
        );
    }

    #[test]
    fn test_malformed() {
        let mut m = ack();
        m[0] = 42;
        assert_eq!(AHCP.printed(&m, 0), "AHCP (invalid)");
        let mut m = ack();
        m[29] = 5;
        assert!(AHCP.printed(&m, 2).contains("Origin Time (invalid)"));
    }
}
