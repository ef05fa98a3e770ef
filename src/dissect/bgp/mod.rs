//! BGP-4 (RFC 4271) on TCP port 179, as `tcpdump -n` prints it: the
//! default line adds only `: BGP`; `-v` finds each message in the segment
//! by its 16-byte marker and prints it on lines of its own — OPEN with its
//! optional parameters and capabilities ([`open`]), UPDATE with withdrawn
//! routes, path attributes and NLRI ([`update`], [`attr`], [`mp`]),
//! NOTIFICATION with its codes and a shutdown communication, KEEPALIVE and
//! ROUTE-REFRESH (here). `-vv` adds tcpdump's hex dump of each attribute
//! and capability.
//!
//! Reads are bounded by the captured bytes (a field past them stops the
//! line with ` [|bgp]`); a message's own length only decides what tcpdump
//! decides with it, so a damaged message prints what tcpdump prints.
//! Zeek has no BGP analyzer: BGP flows get no `service`.

mod attr;
mod l2vpn;
mod mcast;
mod mp;
mod names;
mod nsap;
mod open;
mod rtc;
mod update;
mod vpn;
pub(super) use vpn::put_rd;

use super::ctl::{json_object, out, tok};
use super::dns::text::{put_char, put_hex_dump};
use super::wire::{Res, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Stop, Truncated};
use names::{SAFIS, name};
// What LDP's FEC and address list share with BGP's NLRI.
pub(super) use names::afi;
use serde_json::{Map, Value, json};
pub(super) use update::{Family, Prefix, prefix, put_prefix};

/// BGP on port 179. No Zeek service (Zeek has no BGP analyzer).
pub static BGP: Dissector = Dissector {
    name: "bgp",
    json_key: "bgp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: looks_like_bgp,
};

/// The fixed header: marker, length, type.
const HEADER: usize = 19;
const MARKER: [u8; 16] = [0xff; 16];

fn looks_like_bgp(m: &[u8]) -> bool {
    m.get(..16) == Some(&MARKER[..]) && u16_at(m, 16).is_ok_and(|l| usize::from(l) >= HEADER)
}

fn line(w: &mut Vec<u8>, _: &Payload<'_>) -> Res<()> {
    w.extend_from_slice(b": BGP");
    Ok(())
}

/// Every message found in the segment: tcpdump skips bytes until a
/// marker (saying ` [|bgp]` once when it skipped any), prints each message
/// captured whole, and names the type of one cut short.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    w.extend_from_slice(b": BGP");
    Ok(messages(w, p.bytes, v)?)
}

/// Whether a cut line ended by tcpdump's `longjmp`: a multiprotocol
/// prefix read past the capture (see [`mp`]); its other stops are its
/// own checks. The segment is printed again to learn which.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], v: u8) -> bool {
    v > 0 && messages(&mut Vec::new(), p.bytes, v) == Err(Stop::Jumped)
}

/// The messages of [`verbose`], saying how a stop came.
fn messages(w: &mut Vec<u8>, m: &[u8], v: u8) -> Result<(), Stop> {
    let (mut at, mut start) = (0, 0);
    while let Some(&b) = m.get(at) {
        if b != 0xff {
            at += 1;
            continue;
        }
        let Some(marker) = m.get(at..at + 16) else {
            break;
        };
        if marker != MARKER {
            at += 1;
            continue;
        }
        let rest = m.get(at..).unwrap_or(&[]);
        if rest.len() < HEADER {
            return Err(Stop::Checked);
        }
        if start != at {
            w.extend_from_slice(b" [|bgp]");
        }
        let len = usize::from(u16_at(rest, 16)?);
        if len < HEADER {
            out!(w, "\nmessage length {len} < {HEADER} (invalid)");
            break;
        }
        if rest.len() < len {
            let kind = name(names::MESSAGES, u8_at(rest, 18)?, "Unknown Message Type");
            out!(w, "\n[|BGP {kind}]");
            break;
        }
        match message(w, rest, len, v) {
            Ok(()) => {}
            // tcpdump's message printers return after their own check's
            // mark, and its loop goes on to the next message.
            Err(Stop::Checked) => w.extend_from_slice(b" [|bgp]"),
            Err(Stop::Jumped) => return Err(Stop::Jumped),
        }
        at += len;
        start = at;
    }
    Ok(())
}

/// One message of `len` bytes at the start of `m` (which runs on to the
/// end of the capture: tcpdump reads on past a length that lies).
fn message(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Result<(), Stop> {
    let kind = u8_at(m, 18)?;
    out!(
        w,
        "\n\t{} Message ({kind}), length: {len}",
        name(names::MESSAGES, kind, "Unknown")
    );
    match kind {
        1 => Ok(open::print(w, m, len, v)?),
        2 => update::print(w, m, len, v),
        3 => Ok(notification(w, m, len)?),
        4 => Ok(()),
        5 => Ok(route_refresh(w, m, len, v)?),
        _ => {
            need(m, 0, len)?;
            out!(w, "\n\t  no Message {kind} decoder");
            Ok(dump(w, m, 0, len, b"\n\t  ")?)
        }
    }
}

/// tcpdump's hex dump of `n` bytes at `at`, each line after `prefix`.
fn dump(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize, prefix: &[u8]) -> Res<()> {
    let bytes = m.get(at..at.saturating_add(n)).ok_or(Truncated)?;
    put_hex_dump(w, bytes, prefix);
    Ok(())
}

/// `AFI IPv4 (1), SAFI Unicast (1)` for the family at `afi` and the
/// subsequent family at `safi`.
fn put_family(w: &mut Vec<u8>, m: &[u8], afi: usize, safi: usize) -> Res<()> {
    let (a, s) = (u16_at(m, afi)?, u8_at(m, safi)?);
    out!(
        w,
        "AFI {} ({a}), SAFI {} ({s})",
        names::afi(a, "Unknown"),
        name(SAFIS, s, "Unknown")
    );
    Ok(())
}

/// `, Cease (6), subcode Administrative Shutdown (2)`, and what the
/// subcode carries (a prefix limit, a shutdown communication).
fn notification(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    const SIZE: usize = HEADER + 2;
    need(m, 0, SIZE)?;
    // A length below the codes' (the bytes captured all the same): tcpdump
    // prints nothing more of the message.
    if len < SIZE {
        return Ok(());
    }
    let (major, minor) = (u8_at(m, 19)?, u8_at(m, 20)?);
    out!(
        w,
        ", {} ({major})",
        name(names::MAJOR_ERRORS, major, "Unknown Error")
    );
    let Some((minors, comma)) = names::minor_errors(major) else {
        return Ok(());
    };
    if comma {
        w.push(b',');
    }
    out!(w, " subcode {} ({minor})", name(minors, minor, "Unknown"));
    if major != 6 {
        return Ok(());
    }
    if minor == 1 && len >= SIZE + 7 {
        w.extend_from_slice(b", ");
        put_family(w, m, SIZE, SIZE + 2)?;
        out!(w, ", Max Prefixes: {}", u32_at(m, SIZE + 3)?);
    }
    if matches!(minor, 2 | 4) && len > SIZE {
        // RFC 9003 allows 255 bytes (RFC 8203's limit was 128).
        let n = usize::from(u8_at(m, SIZE)?);
        let mut used = 0;
        if n > len - (SIZE + 1) {
            w.extend_from_slice(b", invalid Shutdown Communication length");
        } else if n == 0 {
            w.extend_from_slice(b", empty Shutdown Communication");
            used = 1;
        } else {
            out!(w, ", Shutdown Communication (length: {n}): \"");
            for i in 0..n {
                put_char(w, u8_at(m, SIZE + 1 + i)?);
            }
            w.push(b'"');
            // tcpdump counts the bytes used in one byte: after a
            // communication of 255 it dumps the data from the length on.
            used = (n + 1) % 256;
        }
        let data = len - (used + SIZE);
        if data > 0 {
            out!(w, ", Data: (length: {data})");
            dump(w, m, SIZE + used, data, b"\n\t\t")?;
        }
    }
    Ok(())
}

/// `AFI IPv4 (1), SAFI Unicast (1)`; at `-vv` the whole message in hex.
fn route_refresh(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    need(m, 0, HEADER + 4)?;
    if len < HEADER + 4 {
        return Ok(());
    }
    w.extend_from_slice(b"\n\t  ");
    put_family(w, m, HEADER, HEADER + 3)?;
    if v > 1 {
        dump(w, m, 0, len, b"\n\t  ")?;
    }
    Ok(())
}

/// `{"messages":[…]}`: each message found at a marker, with its type
/// and length and the main fields of its kind.
fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| {
        let mut list = Vec::new();
        let read = json_messages(&mut list, p.bytes);
        o.insert("messages".into(), Value::Array(list));
        read
    })
}

fn json_messages(list: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    let mut at = 0;
    // Messages follow each other; the first must start the segment.
    while at < m.len() {
        let rest = m.get(at..).unwrap_or(&[]);
        if rest.get(..16) != Some(&MARKER[..]) {
            return Err(Truncated);
        }
        let len = usize::from(u16_at(rest, 16)?);
        let kind = u8_at(rest, 18)?;
        let mut o = Map::new();
        o.insert("type".into(), json!(kind));
        o.insert("type_name".into(), json!(tok(names::MESSAGES, kind)));
        o.insert("length".into(), json!(len));
        let body = rest.get(..len).filter(|_| len >= HEADER);
        let read = match body {
            Some(b) => json_fields(&mut o, kind, b),
            None => Err(Truncated),
        };
        list.push(Value::Object(o));
        read?;
        at += len;
    }
    Ok(())
}

fn json_fields(o: &mut Map<String, Value>, kind: u8, m: &[u8]) -> Res<()> {
    match kind {
        1 => open::json(o, m),
        2 => update::json(o, m),
        3 => {
            o.insert("error_code".into(), json!(u8_at(m, 19)?));
            o.insert("error_subcode".into(), json!(u8_at(m, 20)?));
            Ok(())
        }
        5 => {
            o.insert("afi".into(), json!(u16_at(m, 19)?));
            o.insert("safi".into(), json!(u8_at(m, 22)?));
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keepalive() -> Vec<u8> {
        let mut m = vec![0xff; 16];
        m.extend_from_slice(&[0, 19, 4]);
        m
    }

    #[test]
    fn test_keepalive_lines() {
        let m = keepalive();
        assert_eq!(BGP.printed(&m, 0), ": BGP");
        assert_eq!(
            BGP.printed(&m, 1),
            ": BGP\n\tKeepalive Message (4), length: 19"
        );
        assert!(looks_like_bgp(&m));
    }

    #[test]
    fn test_truncated_header_after_a_message() {
        let mut m = keepalive();
        m.extend_from_slice(&keepalive()[..17]);
        assert_eq!(
            BGP.printed(&m, 1),
            ": BGP\n\tKeepalive Message (4), length: 19 [|bgp]"
        );
    }

    #[test]
    fn test_malformed_length_below_header() {
        let mut m = keepalive();
        m[17] = 5;
        assert_eq!(BGP.printed(&m, 1), ": BGP\nmessage length 5 < 19 (invalid)");
    }
}
