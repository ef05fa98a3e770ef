//! The BER elements SNMP is made of, read one at a time and printed as
//! tcpdump's `asn1_parse` and `asn1_print` read and print them (with `-n`,
//! so object identifiers stay numeric): an element's complaint
//! (`[len12<asnlen40]`, `[id?C/x/9]`) is part of the line, and the caller
//! stops decoding after it.
//!
//! Bounded by construction: a tag, a length (long form of at most 127
//! bytes, accumulated in 32 bits as tcpdump does) and contents that the
//! declared length must hold and the capture must hold; nothing recurses.
//! Integers, counters and object-identifier sub-identifiers wrap in 32
//! (counters: 64) bits exactly as tcpdump's arithmetic does, so an
//! overlong one prints the same number as there and never overflows.

use super::super::ctl::out;
use super::super::dns::text::put_hex;
use super::super::wire::{Res, u8_at};
use super::super::{Stop, Truncated, jumped, put_num};

/// What an element holds, as tcpdump's `struct be` types it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A context-class primitive that is no exception (tcpdump's `BE_ANY`).
    Any,
    Null,
    /// Contents tcpdump prints as `_xx` bytes (types it does not decode).
    Octet,
    Oid,
    Int(i32),
    /// Counter, Gauge, TimeTicks.
    Uns(u32),
    Uns64(u64),
    Str,
    Seq,
    Inet,
    Pdu,
    /// noSuchObject, noSuchInstance, endOfMibView.
    Exception,
}

/// One element: its kind, tag number, where its contents start in the
/// message, their length and the whole element's size (header included).
#[derive(Clone, Copy, Debug)]
pub(super) struct Elem {
    pub kind: Kind,
    pub id: u8,
    pub at: usize,
    pub len: u32,
    pub size: u32,
}

/// Where the next element starts and how many declared bytes remain
/// (tcpdump's `np` and `length`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Cur {
    pub at: usize,
    pub len: u32,
}

impl Cur {
    /// Past `e`.
    pub fn skip(&mut self, e: &Elem) {
        self.at = self.at.saturating_add(e.size as usize);
        self.len = self.len.saturating_sub(e.size);
    }

    /// Into `e`'s contents.
    pub fn inside(e: &Elem) -> Cur {
        Cur {
            at: e.at,
            len: e.len,
        }
    }
}

const UNIVERSAL: [&str; 18] = [
    "U-0",
    "Boolean",
    "Integer",
    "Bitstring",
    "String",
    "Null",
    "ObjID",
    "ObjectDes",
    "U-8",
    "U-9",
    "U-10",
    "U-11",
    "U-12",
    "U-13",
    "U-14",
    "U-15",
    "Sequence",
    "Set",
];
const APPLICATION: [&str; 7] = [
    "IpAddress",
    "Counter",
    "Gauge",
    "TimeTicks",
    "Opaque",
    "C-5",
    "Counter64",
];
/// The PDU names, by context tag.
pub(super) const CONTEXT: [&str; 9] = [
    "GetRequest",
    "GetNextRequest",
    "GetResponse",
    "SetRequest",
    "Trap",
    "GetBulk",
    "Inform",
    "V2Trap",
    "Report",
];
const EXCEPTIONS: [&str; 3] = ["noSuchObject", "noSuchInstance", "endOfMibView"];
const PRIVATE: [&str; 1] = ["P-0"];

/// The tag names of a class (universal, application, context, private).
fn class_ids(class: u8) -> &'static [&'static str] {
    match class {
        0 => &UNIVERSAL,
        1 => &APPLICATION,
        2 => &CONTEXT,
        _ => &PRIVATE,
    }
}

/// The element at `c`, or `None` after printing why it is not one
/// (tcpdump goes on with nothing more of that part); `Err` where the
/// capture ends first: `Stop::Jumped` in the tag and the length's first
/// byte, which tcpdump reads unchecked, `Stop::Checked` in the long
/// form's length bytes and the contents, which it checks first.
pub(super) fn parse(w: &mut Vec<u8>, m: &[u8], c: Cur) -> Result<Option<Elem>, Stop> {
    let invalid = |w: &mut Vec<u8>, text: std::fmt::Arguments<'_>| {
        out!(w, "{text}");
        Ok(None)
    };
    let mut len = c.len;
    if len < 1 {
        return invalid(w, format_args!("[nothing to parse]"));
    }
    let tag = u8_at(m, c.at).map_err(jumped)?;
    let (mut id, constructed, class) = (tag & 0x1f, tag & 0x20 != 0, tag >> 6);
    let mut p = c.at + 1;
    len -= 1;
    let mut hdr = 1u32;
    if id == 0x1f {
        // Tag numbers of several bytes, kept (as tcpdump keeps them) in 8 bits.
        id = 0;
        loop {
            let b = u8_at(m, p).map_err(jumped)?;
            if b & 0x80 == 0 {
                break;
            }
            if len < 1 {
                return invalid(w, format_args!("[Xtagfield?]"));
            }
            id = (id << 7) | (b & 0x7f);
            len -= 1;
            hdr += 1;
            p += 1;
        }
        if len < 1 {
            return invalid(w, format_args!("[Xtagfield?]"));
        }
        id = (id << 7) | u8_at(m, p).map_err(jumped)?;
        len -= 1;
        hdr += 1;
        p += 1;
    }
    if len < 1 {
        return invalid(w, format_args!("[no asnlen]"));
    }
    let mut asnlen = u32::from(u8_at(m, p).map_err(jumped)?);
    p += 1;
    len -= 1;
    hdr += 1;
    if asnlen & 0x80 != 0 {
        let noct = asnlen & 0x7f;
        asnlen = 0;
        if len < noct {
            return invalid(w, format_args!("[asnlen? {len}<{noct}]"));
        }
        for _ in 0..noct {
            asnlen = (asnlen << 8) | u32::from(u8_at(m, p)?);
            p += 1;
            len -= 1;
            hdr += 1;
        }
    }
    if len < asnlen {
        return invalid(w, format_args!("[len{len}<asnlen{asnlen}]"));
    }
    let form = if constructed { 'C' } else { 'P' };
    let names = class_ids(class);
    let Some(name) = names.get(usize::from(id)) else {
        return invalid(w, format_args!("[id?{form}/x/{id}]"));
    };
    let content = m
        .get(p..p.saturating_add(asnlen as usize))
        .ok_or(Truncated)?;
    let kind = match (constructed, class, id) {
        (false, 0, 4) => Kind::Str,
        (false, 0, 2) => {
            let Some(&first) = content.first() else {
                return invalid(w, format_args!("[asnlen=0]"));
            };
            let start = if first & 0x80 != 0 { u32::MAX } else { 0 };
            Kind::Int(content.iter().fold(start, |d, &b| (d << 8) | u32::from(b)) as i32)
        }
        (false, 0, 6) => Kind::Oid,
        (false, 0, 5) => Kind::Null,
        (false, 0, _) => {
            out!(w, "[P/U/{name}]");
            Kind::Octet
        }
        (false, 1, 0) => Kind::Inet,
        (false, 1, 1..=3) => Kind::Uns(
            content
                .iter()
                .fold(0u32, |d, &b| (d << 8).wrapping_add(u32::from(b))),
        ),
        (false, 1, 6) => Kind::Uns64(
            content
                .iter()
                .fold(0u64, |d, &b| (d << 8).wrapping_add(u64::from(b))),
        ),
        (false, 1, _) => {
            out!(w, "[P/A/{name}]");
            Kind::Octet
        }
        (false, 2, 0..=2) => Kind::Exception,
        (false, 2, _) => Kind::Any,
        (false, _, _) => {
            out!(w, "[P/x/{name}]");
            Kind::Octet
        }
        (true, 0, 16) => Kind::Seq,
        (true, 0, _) => {
            out!(w, "C/U/{name}");
            Kind::Octet
        }
        (true, 2, _) => Kind::Pdu,
        (true, _, _) => {
            out!(w, "C/x/{name}");
            Kind::Octet
        }
    };
    Ok(Some(Elem {
        kind,
        id,
        at: p,
        len: asnlen,
        size: asnlen + hdr,
    }))
}

/// The element's contents (the capture holds them: [`parse`] checked).
fn contents<'m>(m: &'m [u8], e: &Elem) -> Res<&'m [u8]> {
    m.get(e.at..e.at.saturating_add(e.len as usize))
        .ok_or(Truncated)
}

/// `_30_31`: each byte after an underscore (tcpdump's `asn1_print_octets`).
pub(super) fn put_octets(w: &mut Vec<u8>, m: &[u8], e: &Elem) -> Res<()> {
    for &b in contents(m, e)? {
        w.push(b'_');
        put_hex(w, b, 2);
    }
    Ok(())
}

/// `"public"` when every byte is printable, else `70_75`.
pub(super) fn put_string(w: &mut Vec<u8>, m: &[u8], e: &Elem) -> Res<()> {
    let s = contents(m, e)?;
    if s.iter().all(|c| (0x20..0x7f).contains(c)) {
        w.push(b'"');
        w.extend_from_slice(s);
        w.push(b'"');
    } else {
        for (i, &b) in s.iter().enumerate() {
            if i > 0 {
                w.push(b'_');
            }
            put_hex(w, b, 2);
        }
    }
    Ok(())
}

/// `.1.3.6.1.2.1.1.1.0`: the first sub-identifier split in two (the
/// first arc at most 2), each in 32 bits; a last one left open by a set
/// high bit is not printed.
fn put_oid(w: &mut Vec<u8>, s: &[u8]) {
    let (mut o, mut first) = (0u32, true);
    for &b in s {
        o = (o << 7) | u32::from(b & 0x7f);
        if b & 0x80 != 0 {
            continue;
        }
        if first {
            let arc = (o / 40).min(2);
            w.push(b'.');
            put_num(w, arc);
            o -= arc * 40;
            first = false;
        }
        w.push(b'.');
        put_num(w, o);
        o = 0;
    }
}

/// The element as tcpdump's `asn1_print` shows it.
pub(super) fn put_elem(w: &mut Vec<u8>, m: &[u8], e: &Elem) -> Res<()> {
    match e.kind {
        Kind::Octet => put_octets(w, m, e)?,
        Kind::Null => {}
        Kind::Oid => put_oid(w, contents(m, e)?),
        Kind::Int(n) => put_num(w, n),
        Kind::Uns(n) => put_num(w, n),
        Kind::Uns64(n) => put_num(w, n),
        Kind::Str => put_string(w, m, e)?,
        Kind::Seq => out!(w, "Seq({})", e.len),
        Kind::Inet => {
            if e.len != 4 {
                w.extend_from_slice(b"[inetaddr len!=4]");
            }
            for (i, &b) in contents(m, e)?.iter().enumerate() {
                if i > 0 {
                    w.push(b'.');
                }
                put_num(w, b);
            }
        }
        Kind::Exception => {
            let name = EXCEPTIONS.get(usize::from(e.id)).copied().unwrap_or("");
            out!(w, "[{name}]");
        }
        Kind::Pdu => {
            let name = CONTEXT.get(usize::from(e.id)).copied().unwrap_or("");
            out!(w, "{name}({})", e.len);
        }
        Kind::Any => w.extend_from_slice(b"[BE_ANY!?]"),
    }
    Ok(())
}

/// The JSON name of an element's type.
pub(super) fn type_name(e: &Elem) -> &'static str {
    match e.kind {
        Kind::Any | Kind::Octet => "octets",
        Kind::Null => "null",
        Kind::Oid => "oid",
        Kind::Int(_) => "integer",
        Kind::Uns(_) => match e.id {
            1 => "counter",
            2 => "gauge",
            _ => "timeticks",
        },
        Kind::Uns64(_) => "counter64",
        Kind::Str => "string",
        Kind::Seq => "sequence",
        Kind::Inet => "ipaddress",
        Kind::Pdu => "pdu",
        Kind::Exception => EXCEPTIONS.get(usize::from(e.id)).copied().unwrap_or(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(m: &[u8]) -> (String, Result<Option<Elem>, Stop>) {
        let mut w = Vec::new();
        let r = parse(
            &mut w,
            m,
            Cur {
                at: 0,
                len: m.len() as u32,
            },
        );
        (String::from_utf8_lossy(&w).into_owned(), r)
    }

    #[test]
    fn test_long_form_length_and_overflowing_oid() {
        // An OID whose second sub-identifier has 6 bytes: 32 bits wrap.
        let m = [0x06, 0x81, 0x07, 0x2b, 0x8f, 0xff, 0xff, 0xff, 0xff, 0x7f];
        let (text, r) = one(&m);
        let e = r.unwrap().unwrap();
        assert_eq!(text, "");
        assert_eq!((e.kind, e.len, e.size), (Kind::Oid, 7, 10));
        let mut w = Vec::new();
        put_elem(&mut w, &m, &e).unwrap();
        assert_eq!(String::from_utf8(w).unwrap(), ".1.3.4294967295");
    }

    #[test]
    fn test_malformed_lengths_and_tags() {
        assert_eq!(one(&[0x04, 0x05, b'a']).0, "[len1<asnlen5]");
        assert_eq!(one(&[0x04, 0x84, 1]).0, "[asnlen? 1<4]");
        assert_eq!(one(&[0xa9, 0x00]).0, "[id?C/x/9]");
        assert_eq!(one(&[0x02, 0x00]).0, "[asnlen=0]");
        // A tag number running past the declared length.
        let mut w = Vec::new();
        let r = parse(&mut w, &[0x3f, 0x81, 0x01], Cur { at: 0, len: 2 });
        assert!(matches!(r, Ok(None)));
        assert_eq!(w, b"[Xtagfield?]");
    }

    #[test]
    fn test_truncated() {
        let mut w = Vec::new();
        // Declared 3 contents bytes, one captured.
        let r = parse(&mut w, &[0x04, 0x03, b'a'], Cur { at: 0, len: 5 });
        assert_eq!(r.unwrap_err(), Stop::Checked);
        // The long form's length bytes are checked before they are read.
        let r = parse(&mut w, &[0x04, 0x82, 0x01], Cur { at: 0, len: 9 });
        assert_eq!(r.unwrap_err(), Stop::Checked);
    }

    #[test]
    fn test_truncated_in_the_tag_or_length_byte_jumps() {
        let mut w = Vec::new();
        for cut in [&[][..], &[0x30], &[0x3f, 0x81], &[0x3f, 0x01]] {
            let r = parse(&mut w, cut, Cur { at: 0, len: 9 });
            assert_eq!(r.unwrap_err(), Stop::Jumped, "{cut:02x?}");
        }
        assert!(w.is_empty());
    }
}
