//! The RPKI to Router protocol (RFC 6810, version 0) on TCP port 323, as
//! `tcpdump -n` (4.99) prints it: the default line adds only `, RPKI-RTR`
//! (a comma, no colon: tcpdump's words); `-v` walks the segment's PDUs
//! for as long as the TCP length goes, each on a line of its own
//! (`RPKI-RTRv0, IPV4 Prefix PDU (4), length: 20`) with its fields on the
//! next (session and serial, `IPv4 Prefix 192.0.2.0/24-24, origin-as
//! 65001, flags 0x01`, an error report's code, encapsulated PDU — one
//! level deep — and text); a PDU whose length its type does not allow,
//! or that runs past the segment, is ` (invalid)` and ends the walk;
//! another version is `RPKI-RTRv1 (unknown)`. `-vv` adds each PDU's bytes
//! in hex (`-v` those of a type tcpdump does not know). tcpdump reads
//! unchecked and checks a PDU's bytes with its `longjmp` too: every cut
//! ends by it. Zeek has no RPKI-RTR analyzer: no `service`.

use super::ctl::{ipv4_at, json_object_with_list, out, tok, unknown_data};
use super::dns::text::{put_chars, put_ipv6};
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

/// RPKI-RTR on port 323.
pub static RPKI_RTR: Dissector = Dissector {
    name: "rpki_rtr",
    json_key: "rpki_rtr",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: looks_like_rpki_rtr,
};

/// Version, type, session id (or error code), length.
const HEADER: usize = 8;

fn looks_like_rpki_rtr(m: &[u8]) -> bool {
    matches!(m, [0, kind, ..] if tok(TYPES, *kind).is_some())
        && u32_at(m, 4).is_ok_and(|len| len as usize >= HEADER)
}

const SERIAL_NOTIFY: u8 = 0;
const SERIAL_QUERY: u8 = 1;
const RESET_QUERY: u8 = 2;
const CACHE_RESPONSE: u8 = 3;
const IPV4_PREFIX: u8 = 4;
const IPV6_PREFIX: u8 = 6;
const END_OF_DATA: u8 = 7;
const CACHE_RESET: u8 = 8;
const ERROR_REPORT: u8 = 10;

const TYPES: &[(u8, &str)] = &[
    (SERIAL_NOTIFY, "Serial Notify"),
    (SERIAL_QUERY, "Serial Query"),
    (RESET_QUERY, "Reset Query"),
    (CACHE_RESPONSE, "Cache Response"),
    (IPV4_PREFIX, "IPV4 Prefix"),
    (IPV6_PREFIX, "IPV6 Prefix"),
    (END_OF_DATA, "End of Data"),
    (CACHE_RESET, "Cache Reset"),
    (ERROR_REPORT, "Error Report"),
];

const ERROR_CODES: &[(u16, &str)] = &[
    (0, "Corrupt Data"),
    (1, "Internal Error"),
    (2, "No Data Available"),
    (3, "Invalid Request"),
    (4, "Unsupported Protocol Version"),
    (5, "Unsupported PDU Type"),
    (6, "Withdrawal of Unknown Record"),
    (7, "Duplicate Announcement Received"),
];

/// A prefix PDU's length: the header, flags, prefix and maximum lengths,
/// a zero byte, the prefix (4 or 16 bytes) and the origin AS.
const fn prefix_pdu_len(addr: usize) -> usize {
    HEADER + 4 + addr + 4
}

fn line(w: &mut Vec<u8>, _: &Payload<'_>) -> Res<()> {
    w.extend_from_slice(b", RPKI-RTR");
    Ok(())
}

/// The PDUs, while the segment's length lasts.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (mut left, mut at) = (p.declared_len, 0usize);
    while left > 0 {
        let took = pdu(w, p.bytes, at, left, true, 8, v)?;
        left -= took;
        at += took;
    }
    Ok(())
}

/// tcpdump's indentation: a new line, a tab per eight, a space per one
/// left.
fn indent(w: &mut Vec<u8>, n: usize) {
    w.push(b'\n');
    w.extend(std::iter::repeat_n(b'\t', n / 8));
    w.extend(std::iter::repeat_n(b' ', n % 8));
}

/// One PDU of at most `len` bytes at `at` (its encapsulated one too when
/// `outer`): the bytes it took, at most `len` and at least one. tcpdump
/// 4.99 reads the version before it compares `len` with a header's size:
/// a byte left over is a version.
fn pdu(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    len: usize,
    outer: bool,
    ind: usize,
    v: u8,
) -> Res<usize> {
    // Each line is written once all its fields were read (a cut one
    // leaves nothing of it, not even its new line).
    let version = u8_at(m, at)?;
    if version != 0 {
        // Nothing says where a PDU of another version ends.
        indent(w, 8);
        out!(w, "RPKI-RTRv{version} (unknown)");
        return Ok(len);
    }
    if len < HEADER {
        out!(w, "({len} bytes is too few to decode)");
        return invalid(w, m, at, len);
    }
    let kind = u8_at(m, at + 1)?;
    let pdu_len = u32_at(m, at + 4)?;
    indent(w, 8);
    out!(
        w,
        "RPKI-RTRv0, {} PDU ({kind}), length: {pdu_len}",
        tok(TYPES, kind).unwrap_or("Unknown")
    );
    let size = pdu_len as usize;
    if size < HEADER || size > len {
        return invalid(w, m, at, len);
    }
    let mut unknown = false;
    match kind {
        SERIAL_NOTIFY | SERIAL_QUERY | END_OF_DATA => {
            if size != HEADER + 4 {
                return invalid(w, m, at, len);
            }
            let (session, serial) = (u16_at(m, at + 2)?, u32_at(m, at + HEADER)?);
            indent(w, ind + 2);
            out!(w, "Session ID: 0x{session:04x}, Serial: {serial}");
        }
        RESET_QUERY | CACHE_RESET => {
            if size != HEADER {
                return invalid(w, m, at, len);
            }
        }
        CACHE_RESPONSE => {
            if size != HEADER {
                return invalid(w, m, at, len);
            }
            let session = u16_at(m, at + 2)?;
            indent(w, ind + 2);
            out!(w, "Session ID: 0x{session:04x}");
        }
        IPV4_PREFIX | IPV6_PREFIX => {
            let addr = if kind == IPV6_PREFIX { 16 } else { 4 };
            if size != prefix_pdu_len(addr) {
                return invalid(w, m, at, len);
            }
            let body = at + HEADER;
            let prefix = m.get(body + 4..body + 4 + addr).ok_or(Truncated)?;
            let (flags, len, max) = (u8_at(m, body)?, u8_at(m, body + 1)?, u8_at(m, body + 2)?);
            let origin = u32_at(m, body + 4 + addr)?;
            indent(w, ind + 2);
            match <[u8; 16]>::try_from(prefix) {
                Ok(a) => {
                    w.extend_from_slice(b"IPv6 Prefix ");
                    put_ipv6(w, &a);
                }
                Err(_) => out!(w, "IPv4 Prefix {}", ipv4_at(prefix, 0)?),
            }
            out!(w, "/{len}-{max}, origin-as {origin}, flags 0x{flags:02x}");
        }
        ERROR_REPORT => {
            if !error_report(w, m, at, size, outer, ind, v)? {
                return invalid(w, m, at, len);
            }
        }
        _ => {
            need(m, at, size)?;
            unknown = true;
        }
    }
    if v > 1 || unknown {
        unknown_data(w, m, at, "\n\t  ", size);
    }
    Ok(size)
}

/// An Error Report's code, its encapsulated PDU (printed when `outer`,
/// else only checked) and its text; `false` where a length inside runs
/// past the PDU's.
fn error_report(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    size: usize,
    outer: bool,
    ind: usize,
    v: u8,
) -> Res<bool> {
    let mut used = HEADER + 4;
    if size < used {
        return Ok(false);
    }
    let inner = u32_at(m, at + HEADER)? as usize;
    let code = u16_at(m, at + 2)?;
    indent(w, ind + 2);
    out!(
        w,
        "Error code: {} ({code}), Encapsulated PDU length: {inner}",
        tok(ERROR_CODES, code).unwrap_or("Unknown")
    );
    if inner > 0 {
        if size < used + inner {
            return Ok(false);
        }
        if outer {
            indent(w, ind + 4);
            w.extend_from_slice(b"-----encapsulated PDU-----");
            pdu(w, m, at + used, inner, false, ind + 2, v)?;
        } else {
            need(m, at, used + inner)?;
        }
        used += inner;
    }
    if size < used + 4 {
        return Ok(false);
    }
    let text = u32_at(m, at + used)? as usize;
    used += 4;
    if text > 0 {
        if size < used + text {
            return Ok(false);
        }
        indent(w, ind + 2);
        w.extend_from_slice(b"Error text: ");
        put_chars(w, m, at + used, text)?;
    }
    Ok(true)
}

/// tcpdump's ` (invalid)`, then its check that the `len` bytes the PDU
/// was given were captured (its `longjmp` when not): they are skipped.
fn invalid(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<usize> {
    w.extend_from_slice(b" (invalid)");
    need(m, at, len)?;
    Ok(len)
}

/// The segment's PDUs, as far as they were captured and their lengths
/// hold.
fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("pdus", |_, list| {
        let m = p.bytes;
        let mut at = 0usize;
        while at < m.len() {
            let mut o = Map::new();
            let size = json_pdu(&mut o, m, at);
            list.push(Value::Object(o));
            at += size?;
        }
        Ok(())
    })
}

/// One PDU's fields; the bytes it takes, `Err` when it is cut or its
/// length cannot be walked past.
fn json_pdu(o: &mut Map<String, Value>, m: &[u8], at: usize) -> Res<usize> {
    let kind = u8_at(m, at + 1)?;
    o.insert("version".into(), json!(u8_at(m, at)?));
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(tok(TYPES, kind)));
    let size = u32_at(m, at + 4)? as usize;
    o.insert("length".into(), json!(size));
    let id = u16_at(m, at + 2)?;
    let body = at + HEADER;
    match kind {
        ERROR_REPORT => {
            o.insert("error_code".into(), json!(id));
            o.insert("error_name".into(), json!(tok(ERROR_CODES, id)));
            let inner = u32_at(m, body)? as usize;
            o.insert("encapsulated_length".into(), json!(inner));
            let text_at = body + 4 + inner;
            let text = u32_at(m, text_at)? as usize;
            let bytes = m
                .get(text_at + 4..)
                .and_then(|t| t.get(..text))
                .ok_or(Truncated)?;
            o.insert("error_text".into(), json!(String::from_utf8_lossy(bytes)));
        }
        IPV4_PREFIX | IPV6_PREFIX => {
            o.insert("flags".into(), json!(u8_at(m, body)?));
            o.insert("prefix_length".into(), json!(u8_at(m, body + 1)?));
            o.insert("max_length".into(), json!(u8_at(m, body + 2)?));
            let (prefix, addr) = if kind == IPV6_PREFIX {
                let a = std::net::Ipv6Addr::from(bytes_at::<16>(m, body + 4)?);
                (a.to_string(), 16)
            } else {
                (ipv4_at(m, body + 4)?.to_string(), 4)
            };
            o.insert("prefix".into(), json!(prefix));
            o.insert("origin_as".into(), json!(u32_at(m, body + 4 + addr)?));
        }
        _ => {
            o.insert("session_id".into(), json!(id));
            if matches!(kind, SERIAL_NOTIFY | SERIAL_QUERY | END_OF_DATA) {
                o.insert("serial".into(), json!(u32_at(m, body)?));
            }
        }
    }
    if size < HEADER {
        return Err(Truncated);
    }
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_prefix_pdu_at_each_level() {
        let m = [
            0, 4, 0, 0, 0, 0, 0, 20, 1, 24, 24, 0, 192, 0, 2, 0, 0, 0, 0xfd, 0xe9,
        ];
        assert_eq!(RPKI_RTR.printed(&m, 0), ", RPKI-RTR");
        assert_eq!(
            RPKI_RTR.printed(&m, 1),
            "\n\tRPKI-RTRv0, IPV4 Prefix PDU (4), length: 20\
             \n\t  IPv4 Prefix 192.0.2.0/24-24, origin-as 65001, flags 0x01"
        );
    }

    #[test]
    fn test_malformed_length_and_truncated() {
        let m = [0, 2, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0];
        assert_eq!(
            RPKI_RTR.printed(&m, 1),
            "\n\tRPKI-RTRv0, Reset Query PDU (2), length: 12 (invalid)"
        );
        assert_eq!(RPKI_RTR.printed_cut(&m, 6, 1), " [|rpki_rtr]");
    }
}
