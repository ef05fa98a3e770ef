//! NSH, the Network Service Header of service function chaining (RFC
//! 8300), as tcpdump 4.99 prints it inside VXLAN-GPE (Next Protocol 4)
//! and after EtherType 0x894f: `NSH, flags [none], service-path-id
//! 0x00002a, service-index 0xff: ` and the packet it carries (IPv4, IPv6
//! or Ethernet), on a line of its own under `-v`. `-vv` adds the version
//! and the next protocol's name;
//! `-vvv` the TTL, the length in words, the metadata type and the context
//! headers (type 1's four words, type 2's TLVs with their values).
//!
//! tcpdump reads every field unchecked (a cut is ` [|nsh]` where the
//! bytes ran out); it says ` (invalid)` after a length field that
//! contradicts the datagram: fewer than two header words, more than the
//! datagram holds, type 1 metadata not four words, a TLV past the headers.

use super::super::put_num;
use super::super::wire::{Res, need, u8_at, u16_at, u24_at, u32_at};
use super::{Kind, Level, Printed, Tunnel};
use crate::dissect::Payload;
use serde_json::{Value, json};
use std::io::Write;

pub static NSH: Tunnel = Tunnel::new("nsh", line, to_json);

/// The base header and the service path header, one word each.
const FIXED_LEN: usize = 8;
const WORD: usize = 4;

/// The fields of the base header (its first word).
struct Base {
    version: u32,
    flags: u32,
    ttl: u32,
    /// The header's length in words, the fixed ones included.
    words: usize,
    md_type: u32,
    next: u8,
}

impl Base {
    fn of(word: u32) -> Base {
        Base {
            version: word >> 30,
            flags: (word >> 28) & 0x3,
            ttl: (word >> 22) & 0x3f,
            words: ((word >> 16) & 0x3f) as usize,
            md_type: (word >> 8) & 0xf,
            next: (word & 0xff) as u8,
        }
    }
}

/// tcpdump's names of the metadata types.
fn md_name(md: u32) -> Option<&'static str> {
    match md {
        0 => Some("reserved"),
        1 => Some("1"),
        2 => Some("2"),
        0xf => Some("experimental"),
        _ => None,
    }
}

/// tcpdump's names of the next protocols.
fn next_name(next: u8) -> Option<&'static str> {
    match next {
        1 => Some("IPv4"),
        2 => Some("IPv6"),
        3 => Some("Ethernet"),
        4 => Some("NSH"),
        5 => Some("MPLS"),
        0xfe => Some("Experiment 1"),
        0xff => Some("Experiment 2"),
        _ => None,
    }
}

/// A name, or tcpdump's `unknown (0x..)`.
fn put_name_or_unknown(w: &mut Vec<u8>, name: Option<&str>, n: u32) {
    match name {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => {
            let _ = write!(w, "unknown (0x{n:02x})");
        }
    }
}

fn line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    let (m, v) = (p.bytes, level.verbose);
    if p.declared_len < FIXED_LEN {
        w.extend_from_slice(b" (packet length ");
        put_num(w, p.declared_len);
        w.extend_from_slice(b" < 8) (invalid)");
        return Ok(Printed::done());
    }
    let b = Base::of(u32_at(m, 0)?);
    w.extend_from_slice(b"NSH, ");
    if v > 1 {
        let _ = write!(w, "ver {}, ", b.version);
    }
    if b.version != 0 {
        return Ok(Printed::done());
    }
    w.extend_from_slice(if b.flags & 0x2 != 0 {
        b"flags [O], "
    } else {
        b"flags [none], "
    });
    if v > 2 {
        let _ = write!(w, "TTL {}, length {}, md type ", b.ttl, b.words);
        put_name_or_unknown(w, md_name(b.md_type), b.md_type);
        w.extend_from_slice(b", ");
    }
    if v > 1 {
        w.extend_from_slice(b"next-protocol ");
        put_name_or_unknown(w, next_name(b.next), u32::from(b.next));
        w.extend_from_slice(b", ");
    }
    let headers_len = b.words * WORD;
    if p.declared_len < headers_len {
        let _ = write!(
            w,
            " (too many headers for packet length {}) (invalid)",
            p.declared_len
        );
        return Ok(Printed::done());
    }
    let spi = u24_at(m, 4)?;
    let _ = write!(w, "service-path-id 0x{spi:06x}, ");
    let _ = write!(w, "service-index 0x{:x}", u8_at(m, 7)?);
    if b.words < 2 {
        w.extend_from_slice(b" (less than two headers) (invalid)");
        return Ok(Printed::done());
    }
    let context = &m.get(FIXED_LEN..).unwrap_or(&[]);
    let context_words = b.words - 2;
    match (v > 2, b.md_type) {
        (true, 1) if b.words != 6 => {
            w.extend_from_slice(b" (invalid length for the MD type) (invalid)");
            return Ok(Printed::done());
        }
        (true, 1) => {
            for n in 0..context_words {
                let word = u32_at(context, n * WORD)?;
                let _ = write!(w, "\n        Context[{n:02}]: 0x{word:08x}");
            }
        }
        (true, 2) => {
            if !write_tlvs(w, context, context_words)? {
                return Ok(Printed::done());
            }
        }
        _ => need(context, 0, context_words * WORD)?,
    }
    w.extend_from_slice(if v > 0 { b"\n    " } else { b": " });
    let rest = m.get(headers_len..).unwrap_or(&[]);
    let wire_len = p.declared_len - headers_len;
    let kind = match b.next {
        1 => Kind::Ip,
        2 => Kind::Ip6,
        3 => Kind::Ethernet,
        _ => {
            w.extend_from_slice(b"ERROR: unknown-next-protocol");
            return Ok(Printed::done());
        }
    };
    Ok(Printed::then(kind, rest, wire_len))
}

/// Type 2 metadata: TLVs of a class, a type and a length in bytes (its
/// value padded to words), within `words` words. `false` when a TLV's
/// value runs past them (tcpdump's ` (length too big) (invalid)`, after
/// which the line ends).
fn write_tlvs(w: &mut Vec<u8>, context: &[u8], words: usize) -> Res<bool> {
    let mut n = 0;
    while n < words {
        let at = n * WORD;
        let class = u16_at(context, at)?;
        let kind = u8_at(context, at + 2)?;
        let len = usize::from(u8_at(context, at + 3)? & 0x7f);
        let padded = len.div_ceil(WORD) * WORD;
        let _ = write!(w, "\n        TLV Class {class}, Type {kind}, Len {len}");
        n += 1;
        if words - n < padded / WORD {
            w.extend_from_slice(b" (length too big) (invalid)");
            return Ok(false);
        }
        if len > 0 {
            w.extend_from_slice(b"\n            Value: ");
            let value = at + WORD;
            for i in 0..len {
                let sep = if i == 0 { "0x" } else { ":" };
                let _ = write!(w, "{sep}{:02x}", u8_at(context, value + i)?);
            }
            need(context, value + len, padded - len)?;
            n += padded / WORD;
        }
    }
    Ok(true)
}

fn to_json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    match (u32_at(m, 0), u32_at(m, 4)) {
        (Ok(word), Ok(path)) => {
            let b = Base::of(word);
            json!({
                "version": b.version,
                "flags": b.flags,
                "ttl": b.ttl,
                "length": b.words,
                "md_type": b.md_type,
                "next_protocol": b.next,
                "service_path_id": path >> 8,
                "service_index": path & 0xff,
                "complete": b.version == 0 && b.words >= 2
                    && m.len() >= b.words * WORD
                    && p.declared_len >= b.words * WORD,
            })
        }
        _ => json!({"complete": false}),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{printed, printed_cut};
    use super::*;

    /// Type 1 metadata (six words), carrying IPv4.
    const TYPE1: [u8; 24] = [
        0x00, 0x06, 0x01, 0x01, 0, 0, 42, 0xff, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
    ];

    #[test]
    fn test_levels() {
        assert_eq!(
            printed(&NSH, &TYPE1, 0),
            "NSH, flags [none], service-path-id 0x00002a, service-index 0xff: "
        );
        assert_eq!(
            printed(&NSH, &TYPE1, 1),
            "NSH, flags [none], service-path-id 0x00002a, service-index 0xff\n    "
        );
        assert_eq!(
            printed(&NSH, &TYPE1, 2),
            "NSH, ver 0, flags [none], next-protocol IPv4, service-path-id 0x00002a, service-index 0xff\n    "
        );
        assert!(printed(&NSH, &TYPE1, 3).contains(
            "TTL 0, length 6, md type 1, next-protocol IPv4, service-path-id 0x00002a, service-index 0xff\n        Context[00]: 0x01010101"
        ));
    }

    #[test]
    fn test_type2_tlv() {
        let m = [
            0x00, 0x04, 0x02, 0x09, 0, 0, 1, 5, 0, 1, 2, 3, 0xaa, 0xbb, 0xcc, 0,
        ];
        assert_eq!(
            printed(&NSH, &m, 3),
            "NSH, ver 0, flags [none], TTL 0, length 4, md type 2, next-protocol unknown (0x09), service-path-id 0x000001, service-index 0x5\n        TLV Class 1, Type 2, Len 3\n            Value: 0xaa:bb:cc\n    ERROR: unknown-next-protocol"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(printed_cut(&NSH, &TYPE1[..3], 24, 0), " [|nsh]");
        assert_eq!(
            printed_cut(&NSH, &TYPE1[..7], 24, 0),
            "NSH, flags [none], service-path-id 0x00002a,  [|nsh]"
        );
        assert_eq!(
            printed_cut(&NSH, &TYPE1[..10], 24, 0),
            "NSH, flags [none], service-path-id 0x00002a, service-index 0xff [|nsh]"
        );
    }

    #[test]
    fn test_malformed_lengths() {
        assert_eq!(
            printed(&NSH, &TYPE1[..7], 0),
            " (packet length 7 < 8) (invalid)"
        );
        assert_eq!(
            printed(&NSH, &TYPE1[..20], 0),
            "NSH, flags [none],  (too many headers for packet length 20) (invalid)"
        );
        let mut m = TYPE1;
        m[1] = 1;
        assert_eq!(
            printed(&NSH, &m, 0),
            "NSH, flags [none], service-path-id 0x00002a, service-index 0xff (less than two headers) (invalid)"
        );
    }
}
