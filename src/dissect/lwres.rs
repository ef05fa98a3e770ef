//! BIND 9's lightweight resolver protocol (lwres, UDP 921) as tcpdump
//! 4.99 prints it. The 28-byte header: ` lwres`, ` v0` at `-v` (any
//! other version always, and then nothing more is read), the opcode
//! (`noop`, `getaddrsbyname`, `getnamebyaddr`, `getrdatabyname`, else
//! `#0x..`) with `?` on a request, the packet flags other than the
//! response bit as `[0x..]`; `-vv` adds serial, result and receive
//! length, `-vvv` the authentication type and length and each body's
//! flags word. The bodies: a request's address types and name, a
//! reverse request's address, an rdata request's type, class (when not
//! IN) and name; a response's alias and address counts, real name,
//! aliases and addresses, or its type, class, TTL, rdata and signature
//! counts, name and both lists in hex. Then ` [len: N != M]` where the
//! header's length is not the datagram's, `[extra]` when the body ended
//! before the header's length.
//!
//! Names are printed byte by byte as far as the capture goes, then
//! ` (not NUL-terminated!)` when no NUL follows; rdata and addresses of
//! other families in hex. An IPv4 or IPv6 address shorter than its
//! family's size ends the line with ` (invalid)`. tcpdump 4.99 reads
//! with `GET_` macros and makes its `ND_TCHECK`s jump too, so every cut
//! is its `longjmp` (` [|lwres]`, the dump from the frame's first byte),
//! after what was printed. Zeek has no analyzer for it (no `service`).

use super::ctl::{ipv4_at, json_object, out};
use super::dns::text::{put_char, put_ipv6};
use super::dns::{class_name, type_name};
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated, put_num};
use serde_json::{Map, Value, json};

pub static LWRES: Dissector = Dissector {
    name: "lwres",
    json_key: "lwres",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= HEADER,
};

pub const PORT: u16 = 921;

/// Length, version, flags, serial, opcode, result, receive length,
/// authentication type and length.
const HEADER: usize = 28;
const RESPONSE: u16 = 0x0001;
const NOOP: u32 = 0;
const GETADDRSBYNAME: u32 = 0x0001_0001;
const GETNAMEBYADDR: u32 = 0x0001_0002;
const GETRDATABYNAME: u32 = 0x0001_0003;
const OPCODES: &[(u32, &str)] = &[
    (NOOP, "noop"),
    (GETADDRSBYNAME, "getaddrsbyname"),
    (GETNAMEBYADDR, "getnamebyaddr"),
    (GETRDATABYNAME, "getrdatabyname"),
];
/// An address: family (4 bytes) and length (2), then its bytes.
const ADDR_HEAD: usize = 6;
const ADDRTYPE_V4: u32 = 1;
const ADDRTYPE_V6: u32 = 2;

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    walk(w, p, 0, &mut None)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    walk(w, p, v, &mut None)
}

/// Where the fields read go for `--json` (`None` for the line).
type Fields<'a> = Option<&'a mut Map<String, Value>>;

fn put_field(j: &mut Fields<'_>, key: &str, v: Value) {
    if let Some(o) = j {
        o.insert(key.into(), v);
    }
}

/// Appends `v` to the list under `key`.
fn push_field(j: &mut Fields<'_>, key: &str, v: Value) {
    if let Some(o) = j
        && let Value::Array(list) = o.entry(key).or_insert_with(|| json!([]))
    {
        list.push(v);
    }
}

/// The message into the line at level `v`, and its fields into `j`.
fn walk(w: &mut Vec<u8>, p: &Payload<'_>, v: u8, j: &mut Fields<'_>) -> Res<()> {
    let m = p.bytes;
    need(m, 0, HEADER)?;
    w.extend_from_slice(b" lwres");
    let length = u32_at(m, 0)?;
    let version = u16_at(m, 4)?;
    put_field(j, "length", json!(length));
    put_field(j, "version", json!(version));
    if v > 0 || version != 0 {
        w.extend_from_slice(b" v");
        put_num(w, u32::from(version));
    }
    let end = if version != 0 {
        // Another version's message is not read.
        End::At(length as usize)
    } else {
        header(w, m, v, j)?;
        body(w, m, v, j)?
    };
    if matches!(end, End::Invalid) {
        w.extend_from_slice(b" (invalid)");
        put_field(j, "invalid", json!(true));
        return Ok(());
    }
    if length as usize != p.declared_len {
        out!(w, " [len: {length} != {}]", p.declared_len);
    }
    if matches!(end, End::At(e) if e < length as usize) {
        w.extend_from_slice(b"[extra]");
    }
    Ok(())
}

/// Opcode, flags and (from `-vv`) the other header fields.
fn header(w: &mut Vec<u8>, m: &[u8], v: u8, j: &mut Fields<'_>) -> Res<()> {
    let flags = u16_at(m, 6)?;
    let opcode = u32_at(m, 12)?;
    match super::ctl::tok(OPCODES, opcode) {
        Some(name) => {
            w.extend_from_slice(b" ");
            w.extend_from_slice(name.as_bytes());
            put_field(j, "opcode_name", json!(name));
        }
        None => out!(w, " #0x{opcode:x}"),
    }
    if flags & RESPONSE == 0 {
        w.push(b'?');
    }
    if flags & !RESPONSE != 0 {
        out!(w, "[0x{flags:x}]");
    }
    let (serial, result, recvlen) = (u32_at(m, 8)?, u32_at(m, 16)?, u32_at(m, 20)?);
    let (authtype, authlen) = (u16_at(m, 24)?, u16_at(m, 26)?);
    if v > 1 {
        out!(
            w,
            " (serial:0x{serial:x} result:0x{result:x} recvlen:{recvlen}"
        );
        if v > 2 {
            out!(w, " authtype:0x{authtype:x} authlen:{authlen}");
        }
        w.push(b')');
    }
    for (key, value) in [
        ("flags", json!(flags)),
        ("response", json!(flags & RESPONSE != 0)),
        ("serial", json!(serial)),
        ("opcode", json!(opcode)),
        ("result", json!(result)),
        ("recvlen", json!(recvlen)),
        ("authtype", json!(authtype)),
        ("authlen", json!(authlen)),
    ] {
        put_field(j, key, value);
    }
    Ok(())
}

/// Where a body's printer ended.
enum End {
    /// At this offset (tcpdump's `s`).
    At(usize),
    /// An opcode it does not know: no `[extra]`.
    Unsupported,
    /// At an address too short for its family: ` (invalid)`, nothing after.
    Invalid,
}

/// The body after the header.
fn body(w: &mut Vec<u8>, m: &[u8], v: u8, j: &mut Fields<'_>) -> Res<End> {
    let response = u16_at(m, 6)? & RESPONSE != 0;
    let at = HEADER;
    let end = match (u32_at(m, 12)?, response) {
        (NOOP, _) => at,
        (GETADDRSBYNAME, false) => {
            need(m, at, 10)?;
            body_flags(w, m, v, j)?;
            let types = u32_at(m, at + 4)?;
            put_field(j, "addrtypes", json!(types));
            match types & (ADDRTYPE_V4 | ADDRTYPE_V6) {
                ADDRTYPE_V4 => w.extend_from_slice(b" IPv4"),
                ADDRTYPE_V6 => w.extend_from_slice(b" IPv6"),
                3 => w.extend_from_slice(b" IPv4/6"),
                _ => {}
            }
            if types & !(ADDRTYPE_V4 | ADDRTYPE_V6) != 0 {
                out!(w, "[0x{types:x}]");
            }
            name(w, m, at + 10, u16_at(m, at + 8)?, j, "name")?
        }
        (GETNAMEBYADDR, false) => {
            need(m, at, 4)?;
            body_flags(w, m, v, j)?;
            match address(w, m, at + 4, j)? {
                Some(s) => s,
                None => return Ok(End::Invalid),
            }
        }
        (GETRDATABYNAME, false) => {
            need(m, at, 10)?;
            body_flags(w, m, v, j)?;
            rdata_kind(w, m, at + 4, j)?;
            name(w, m, at + 10, u16_at(m, at + 8)?, j, "name")?
        }
        (GETADDRSBYNAME, true) => {
            need(m, at, 10)?;
            body_flags(w, m, v, j)?;
            let (aliases, addrs) = (u16_at(m, at + 4)?, u16_at(m, at + 6)?);
            out!(w, " {aliases}/{addrs}");
            put_field(j, "naliases", json!(aliases));
            put_field(j, "naddrs", json!(addrs));
            let mut s = name(w, m, at + 10, u16_at(m, at + 8)?, j, "realname")?;
            s = names(w, m, s, aliases, j)?;
            for _ in 0..addrs {
                match address(w, m, s, j)? {
                    Some(next) => s = next,
                    None => return Ok(End::Invalid),
                }
            }
            s
        }
        (GETNAMEBYADDR, true) => {
            need(m, at, 8)?;
            body_flags(w, m, v, j)?;
            let aliases = u16_at(m, at + 4)?;
            out!(w, " {aliases}");
            put_field(j, "naliases", json!(aliases));
            let s = name(w, m, at + 8, u16_at(m, at + 6)?, j, "realname")?;
            names(w, m, s, aliases, j)?
        }
        (GETRDATABYNAME, true) => {
            need(m, at, 16)?;
            body_flags(w, m, v, j)?;
            rdata_kind(w, m, at + 4, j)?;
            let ttl = u32_at(m, at + 8)?;
            w.extend_from_slice(b" TTL ");
            super::dns::text::put_ttl(w, ttl);
            let (rdatas, sigs) = (u16_at(m, at + 12)?, u16_at(m, at + 14)?);
            out!(w, " {rdatas}/{sigs}");
            put_field(j, "ttl", json!(ttl));
            let mut s = counted_name(w, m, at + 16, j, "realname")?;
            for (n, key) in [(rdatas, "rdatas"), (sigs, "sigs")] {
                for _ in 0..n {
                    s = counted_hex(w, m, s, j, key)?;
                }
            }
            s
        }
        _ => return Ok(End::Unsupported),
    };
    Ok(End::At(end))
}

/// The body's flags word, printed from `-vvv` (BIND 9.10 does not use it).
fn body_flags(w: &mut Vec<u8>, m: &[u8], v: u8, j: &mut Fields<'_>) -> Res<()> {
    let flags = u32_at(m, HEADER)?;
    if v > 2 {
        out!(w, " flags:0x{flags:x}");
    }
    put_field(j, "body_flags", json!(flags));
    Ok(())
}

/// An rdata request's or response's class and type at `at`: the type's
/// name, the class's when it is not IN.
fn rdata_kind(w: &mut Vec<u8>, m: &[u8], at: usize, j: &mut Fields<'_>) -> Res<()> {
    let (class, kind) = (u16_at(m, at)?, u16_at(m, at + 2)?);
    match type_name(kind) {
        Some(n) => out!(w, " {n}"),
        None => out!(w, " Type{kind}"),
    }
    if class != 1 {
        match class_name(class) {
            Some(n) => out!(w, " {n}"),
            None => out!(w, " Class{class}"),
        }
    }
    put_field(j, "rdclass", json!(class));
    put_field(j, "rdtype", json!(kind));
    Ok(())
}

/// A name of `len` bytes at `at` after a space, escaped, then
/// ` (not NUL-terminated!)` unless a NUL follows; the offset after it.
fn name(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    len: u16,
    j: &mut Fields<'_>,
    key: &str,
) -> Res<usize> {
    let len = usize::from(len);
    w.push(b' ');
    // What was captured of it is printed before the cut.
    let text = m.get(at..).unwrap_or(&[]);
    let text = &text[..len.min(text.len())];
    for &c in text {
        put_char(w, c);
    }
    let value = json!(String::from_utf8_lossy(text));
    if key == "aliases" {
        push_field(j, key, value);
    } else {
        put_field(j, key, value);
    }
    if u8_at(m, at + len)? != 0 {
        w.extend_from_slice(b" (not NUL-terminated!)");
    }
    Ok(at + len + 1)
}

/// A name after its 16-bit length.
fn counted_name(w: &mut Vec<u8>, m: &[u8], at: usize, j: &mut Fields<'_>, key: &str) -> Res<usize> {
    name(w, m, at + 2, u16_at(m, at)?, j, key)
}

/// `n` aliases, each a counted name, from `at`.
fn names(w: &mut Vec<u8>, m: &[u8], mut at: usize, n: u16, j: &mut Fields<'_>) -> Res<usize> {
    for _ in 0..n {
        at = counted_name(w, m, at, j, "aliases")?;
    }
    Ok(at)
}

/// Bytes after their 16-bit length, in hex without separators (rdata
/// and signatures, which tcpdump does not decode).
fn counted_hex(w: &mut Vec<u8>, m: &[u8], at: usize, j: &mut Fields<'_>, key: &str) -> Res<usize> {
    let len = usize::from(u16_at(m, at)?);
    let start = w.len();
    let read = put_hex_bytes(w, m, at + 2, len);
    push_field(j, key, json!(String::from_utf8_lossy(&w[start..])));
    read?;
    Ok(at + 2 + len)
}

/// `len` bytes from `at` in hex without separators, those captured
/// before a cut.
fn put_hex_bytes(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<()> {
    let bytes = m.get(at..).unwrap_or(&[]);
    for b in &bytes[..len.min(bytes.len())] {
        out!(w, "{b:02x}");
    }
    need(m, at, len)
}

/// An address at `at` (all its bytes captured, or the cut): IPv4 or IPv6
/// by its family, another family as `N/` and its bytes in hex; the
/// offset after what was read (an IPv4 or IPv6 address advances by its
/// size, whatever its length says), `None` for an IPv4 or IPv6 address
/// shorter than that (tcpdump's `(invalid)`).
fn address(w: &mut Vec<u8>, m: &[u8], at: usize, j: &mut Fields<'_>) -> Res<Option<usize>> {
    let len = usize::from(u16_at(m, at + 4)?);
    let data = at + ADDR_HEAD;
    need(m, data, len)?;
    let family = u32_at(m, at)?;
    let start;
    let read = match family {
        1 if len >= 4 => {
            w.push(b' ');
            start = w.len();
            out!(w, "{}", ipv4_at(m, data)?);
            4
        }
        2 if len >= 16 => {
            w.push(b' ');
            start = w.len();
            put_ipv6(w, &bytes_at::<16>(m, data)?);
            16
        }
        1 | 2 => return Ok(None),
        _ => {
            out!(w, " {family}/");
            start = w.len();
            put_hex_bytes(w, m, data, len)?;
            len
        }
    };
    let text = String::from_utf8_lossy(&w[start..]);
    push_field(j, "addresses", json!({"family": family, "address": text}));
    Ok(Some(data + read))
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| {
        walk(&mut Vec::new(), p, 3, &mut Some(o))?;
        if p.declared_len > p.bytes.len() {
            return Err(Truncated);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header for `opcode` with `flags`, then `body`.
    fn message(flags: u16, opcode: u32, body: &[u8]) -> Vec<u8> {
        let mut m = ((HEADER + body.len()) as u32).to_be_bytes().to_vec();
        m.extend_from_slice(&[0, 0]);
        m.extend_from_slice(&flags.to_be_bytes());
        m.extend_from_slice(&[0, 0, 0, 7]);
        m.extend_from_slice(&opcode.to_be_bytes());
        m.extend_from_slice(&[0; 12]);
        m.extend_from_slice(body);
        m
    }

    #[test]
    fn test_line() {
        let q = message(0, GETADDRSBYNAME, b"\0\0\0\0\0\0\0\x03\0\x03a.b\0");
        assert_eq!(LWRES.printed(&q, 0), " lwres getaddrsbyname? IPv4/6 a.b");
        assert_eq!(
            LWRES.printed(&q, 2),
            " lwres v0 getaddrsbyname? (serial:0x7 result:0x0 recvlen:0) IPv4/6 a.b"
        );
        let r = message(1, GETNAMEBYADDR, b"\0\0\0\0\0\0\0\x01x\0");
        assert_eq!(LWRES.printed(&r, 0), " lwres getnamebyaddr 0 x");
        let a = message(0, GETNAMEBYADDR, b"\0\0\0\0\0\0\0\x01\0\x04\x0a\0\0\x01");
        assert_eq!(LWRES.printed(&a, 0), " lwres getnamebyaddr? 10.0.0.1");
    }

    #[test]
    fn test_malformed_lengths() {
        let mut q = message(0, NOOP, b"xx");
        q[3] = 40;
        assert_eq!(LWRES.printed(&q, 0), " lwres noop? [len: 40 != 30][extra]");
        let short = message(0, GETNAMEBYADDR, b"\0\0\0\0\0\0\0\x01\0\x02\x0a\0");
        assert_eq!(LWRES.printed(&short, 0), " lwres getnamebyaddr? (invalid)");
        let mut open = message(1, GETNAMEBYADDR, b"\0\0\0\0\0\0\0\x01x\0");
        *open.last_mut().unwrap() = b'y';
        assert_eq!(
            LWRES.printed(&open, 0),
            " lwres getnamebyaddr 0 x (not NUL-terminated!)"
        );
    }

    #[test]
    fn test_truncated() {
        let q = message(0, GETADDRSBYNAME, b"\0\0\0\0\0\0\0\x03\0\x03a.b\0");
        assert_eq!(LWRES.printed_cut(&q, 27, 0), " [|lwres]");
        assert_eq!(
            LWRES.printed_cut(&q, q.len() - 1, 0),
            " lwres getaddrsbyname? IPv4/6 a.b [|lwres]"
        );
    }
}
