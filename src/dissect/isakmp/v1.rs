//! IKEv1's payloads (RFC 2408 §3, RFC 2407 §4.6) as tcpdump's `-v`
//! prints them: SA (DOI, situation) with its proposals and transforms and
//! their attributes, KE, ID in each identity type, CERT, CR, HASH, SIG,
//! NONCE, N, D and VID. `-vv` adds a glimpse of a nonce, `-vvv` the data
//! of the payloads that carry opaque bytes.

use super::names::{
    Attr, CERTS, GROUPS, IPSEC_ATTRS, OAKLEY_ATTRS, PROTOCOLS, V1_ERRORS, V1_GROUPS, V1_IDS,
    V1_IPSEC_NOTIFY, V1_TRANSFORMS, at as name_at, is_group,
};
use super::walk::{
    Cx, Item, Nest, Stop, Walked, cut, hex, nested, note_cut, put_code, raw, some_data, span, walk,
};
use crate::dissect::ctl::out;
use crate::dissect::wire::{bytes_at, u8_at, u16_at, u32_at};
use std::net::Ipv4Addr;

/// The IPsec DOI, the only one whose SA and notifications tcpdump reads.
const DOI_IPSEC: u32 = 1;

pub(super) fn payload(w: &mut Vec<u8>, cx: Cx<'_>, np: u8, it: Item, nest: Nest) -> Walked {
    match np {
        1 => sa(w, cx, it, nest),
        2 => proposal(w, cx, it, nest),
        3 => transform(w, cx, it, nest),
        4 => opaque(w, cx, it, "ke: key len="),
        5 => id(w, cx, it),
        6 => cert(w, cx, it, "cert"),
        7 => cert(w, cx, it, "cr"),
        8 => opaque(w, cx, it, "hash: len="),
        9 => opaque(w, cx, it, "sig: len="),
        10 => nonce(w, cx, it),
        11 => notify(w, cx, it),
        12 => delete(w, cx, it),
        _ => opaque(w, cx, it, "vid: len="),
    }
}

/// A payload tcpdump shows by its length, and by its bytes at `-vvv`.
fn opaque(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, head: &str) -> Walked {
    out!(w, "{head}{}", it.len);
    raw(w, cx, it.at, it.len);
    Ok(())
}

fn sa(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, nest: Nest) -> Walked {
    w.extend_from_slice(b"sa:");
    let (Ok(doi), Ok(situation)) = (u32_at(cx.m, it.at), u32_at(cx.m, it.at + 4)) else {
        return Err(cut(w, "sa"));
    };
    if doi != DOI_IPSEC {
        out!(w, " doi={doi} situation={situation}");
        return Err(Stop::Resume(it.at + 8));
    }
    w.extend_from_slice(b" doi=ipsec situation=");
    let names = [(1, "identity"), (2, "secrecy"), (4, "integrity")];
    let mut first = true;
    for (bit, name) in names {
        if situation & bit != 0 {
            if !first {
                w.push(b'+');
            }
            w.extend_from_slice(name.as_bytes());
            first = false;
        }
    }
    let mut at = it.at + 8;
    // Any situation but "identity" alone is followed by a labelled
    // domain identifier.
    if situation != 1 {
        out!(w, " ident={doi}");
        if u32_at(cx.m, at).is_err() {
            return Err(cut(w, "sa"));
        }
        at += 4;
    }
    nested(walk(
        w,
        cx,
        2,
        at,
        Nest {
            proto: 0,
            parent: 1,
            ..nest
        },
    ))
}

fn proposal(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, nest: Nest) -> Walked {
    w.extend_from_slice(b"p:");
    let Ok([number, proto, spi_size, transforms]) = bytes_at::<4>(cx.m, it.at) else {
        return Err(cut(w, "p"));
    };
    out!(w, " #{number} protoid=");
    put_code(w, PROTOCOLS, proto);
    out!(w, " transform={transforms}");
    let spi_at = it.at + 4;
    if spi_size > 0 {
        w.extend_from_slice(b" spi=");
        let spi = cx.m.get(spi_at..spi_at + usize::from(spi_size));
        match spi {
            Some(s) => hex(w, s),
            None => return Err(cut(w, "p")),
        }
    }
    nested(walk(
        w,
        cx,
        3,
        spi_at + usize::from(spi_size),
        Nest {
            proto,
            parent: 2,
            ..nest
        },
    ))
}

fn transform(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, nest: Nest) -> Walked {
    w.extend_from_slice(b"t:");
    let Ok([number, id, _, _]) = bytes_at::<4>(cx.m, it.at) else {
        return Err(cut(w, "t"));
    };
    out!(w, " #{number} id=");
    match V1_TRANSFORMS.get(usize::from(nest.proto)) {
        Some(table) if nest.proto > 0 => put_code(w, table, id),
        _ => out!(w, "{id}"),
    }
    w.push(b' ');
    // tcpdump goes on where the attributes ended: past the transform's
    // fixed part when its length is shorter, one byte past its end
    // after an attribute that does not fit.
    let end = it.at + it.len;
    let after = attributes(w, cx.m, it.at + 4, end, attr_table(nest.proto), V1_GROUPS)?;
    // One byte past the end: an attribute did not fit (`[|attr]`).
    if after > end.max(it.at + 4) {
        note_cut(cx);
    }
    Err(Stop::Resume(after))
}

/// The attribute names of a protocol's transforms: Oakley's for ISAKMP,
/// the IPsec DOI's for AH, ESP and IPComp, none for another protocol.
fn attr_table(proto: u8) -> &'static [Attr] {
    match proto {
        1 => OAKLEY_ATTRS,
        2..=4 => IPSEC_ATTRS,
        _ => &[],
    }
}

/// SA attributes from `at` to `end` (tcpdump's `ikev1_attrmap_print`
/// in a loop): `(type=T value=V)` for a short one, `(type=T len=N
/// value=HEX)` for a long one. Returns where the list ended: `end`, or
/// `at` when it starts past `end`, or one byte past `end` after an
/// attribute that does not fit (printed `[|attr]`, after the space that
/// follows a transform id). A long attribute whose length field was not
/// captured is tcpdump's unchecked read ([`Stop::Jump`]).
pub(super) fn attributes(
    w: &mut Vec<u8>,
    m: &[u8],
    mut at: usize,
    end: usize,
    table: &[Attr],
    groups: usize,
) -> Result<usize, Stop> {
    while at < end && at < m.len() {
        let Ok(kind) = u16_at(m, at).or_else(|_| u8_at(m, at).map(|b| u16::from(b) << 8)) else {
            return Err(Stop::Jump);
        };
        let short = kind & 0x8000 != 0;
        let total = if short {
            4
        } else {
            let Ok(len) = u16_at(m, at + 2) else {
                return Err(Stop::Jump);
            };
            4 + usize::from(len)
        };
        if at + total > end {
            w.extend_from_slice(b"[|attr]");
            return Ok(end + 1);
        }
        // Within `end`, which the caller checked was captured.
        let (Ok(kind), Ok(value)) = (u16_at(m, at), u16_at(m, at + 2)) else {
            return Err(Stop::Jump);
        };
        let t = kind & 0x7fff;
        let (type_name, values) = table
            .get(usize::from(t))
            .copied()
            .filter(|(n, _)| !n.is_empty())
            .unwrap_or(("", &[]));
        if type_name.is_empty() {
            out!(w, "(type=#{t} ");
        } else {
            out!(w, "(type={type_name} ");
        }
        if short {
            w.extend_from_slice(b"value=");
            let named = if is_group(table, t) {
                name_at(GROUPS.get(..groups).unwrap_or(GROUPS), value)
            } else {
                name_at(values, value)
            };
            match named {
                Some(n) => w.extend_from_slice(n.as_bytes()),
                None => out!(w, "{value:04x}"),
            }
        } else {
            out!(w, "len={} value=", total - 4);
            hex(w, span(m, at + 4, total - 4));
        }
        w.push(b')');
        at += total;
    }
    Ok(at)
}

fn id(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    let Ok([kind, proto, p0, p1]) = bytes_at::<4>(cx.m, it.at) else {
        return Err(cut(w, "id"));
    };
    w.extend_from_slice(b"id: idtype=");
    put_code(w, V1_IDS, kind);
    out!(w, " protoid={proto} port={}", u16::from_be_bytes([p0, p1]));
    let len = it.len.saturating_sub(4);
    if len == 0 {
        return Ok(());
    }
    out!(w, " len={len}");
    let data = span(cx.m, it.at + 4, len);
    let need = |w: &mut Vec<u8>, n: usize| {
        if data.len() < n {
            out!(w, " [bad: < {n}]");
            false
        } else {
            true
        }
    };
    let v4 = |at: usize| bytes_at::<4>(data, at).map(Ipv4Addr::from);
    let v6 = |at: usize| bytes_at::<16>(data, at).map(crate::decode::ip6_text::Ip6::from);
    match kind {
        1 if need(w, 4) => {
            if let Ok(a) = v4(0) {
                out!(w, " {a}");
            }
        }
        2 | 3 => {
            w.push(b' ');
            for c in data {
                crate::dissect::dns::text::put_char(w, *c);
            }
        }
        4 if need(w, 8) => {
            if let (Ok(a), Ok(b)) = (v4(0), v4(4)) {
                out!(w, " {a}/{b}");
            }
        }
        5 if need(w, 16) => {
            if let Ok(a) = v6(0) {
                out!(w, " {a}");
            }
        }
        6 if need(w, 32) => {
            if let Ok(a) = v6(0) {
                out!(w, " {a}/0x");
                hex(w, span(data, 16, 16));
            }
        }
        7 if need(w, 8) => {
            if let (Ok(a), Ok(b)) = (v4(0), v4(4)) {
                out!(w, " {a}-{b}");
            }
        }
        8 if need(w, 32) => {
            if let (Ok(a), Ok(b)) = (v6(0), v6(16)) {
                out!(w, " {a}-{b}");
            }
        }
        1..=8 => {}
        _ if cx.v > 2 => {
            w.push(b' ');
            hex(w, data);
        }
        _ => {}
    }
    Ok(())
}

fn cert(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, name: &str) -> Walked {
    out!(w, "{name}:");
    // tcpdump reads the encoding with one byte of the data after it.
    let (Ok(kind), Ok(_)) = (u8_at(cx.m, it.at), u8_at(cx.m, it.at + 1)) else {
        return Err(cut(w, name));
    };
    out!(w, " len={} type=", it.len);
    put_code(w, CERTS, kind);
    raw(w, cx, it.at, it.len);
    Ok(())
}

fn nonce(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    out!(w, "nonce: n len={}", it.len);
    if cx.v > 2 {
        raw(w, cx, it.at, it.len);
    } else if cx.v > 1 {
        w.push(b' ');
        some_data(w, cx.m, it.at);
    }
    Ok(())
}

/// DOI, protocol id, SPI size and one more field, as N and D start.
fn doi_head(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, name: &str) -> Result<(u32, u8, u8, u16), Stop> {
    match (
        u32_at(cx.m, it.at),
        bytes_at::<2>(cx.m, it.at + 4),
        u16_at(cx.m, it.at + 6),
    ) {
        (Ok(doi), Ok([proto, spi_size]), Ok(x)) => Ok((doi, proto, spi_size, x)),
        _ => Err(cut(w, name)),
    }
}

fn put_doi_proto(w: &mut Vec<u8>, doi: u32, proto: u8) {
    if doi == DOI_IPSEC {
        w.extend_from_slice(b" doi=ipsec proto=");
        put_code(w, PROTOCOLS, proto);
    } else {
        out!(w, " doi={doi} proto={proto}");
    }
}

fn notify(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    w.extend_from_slice(b"n:");
    let (doi, proto, spi_size, kind) = doi_head(w, cx, it, "n")?;
    put_doi_proto(w, doi, proto);
    w.extend_from_slice(b" type=");
    let (table, base, fixed): (&[&str], u16, Option<&str>) = match kind {
        0..8192 => (V1_ERRORS, 0, None),
        8192..16384 => (&[], 8192, Some("RESERVED")),
        16384..24576 => (&[], 16384, Some("CONNECTED")),
        24576..32768 => (V1_IPSEC_NOTIFY, 24576, None),
        _ => (&[], 0, None),
    };
    match (fixed, kind - base) {
        // Another DOI's notifications are named as errors and statuses
        // only (not the IPsec DOI's own ranges).
        _ if doi != DOI_IPSEC && (8192..16384).contains(&kind) => out!(w, "#{kind}"),
        _ if doi != DOI_IPSEC && kind >= 24576 => out!(w, "#{kind}"),
        (Some(n), 0) => w.extend_from_slice(n.as_bytes()),
        (_, n) => put_code(w, table, n),
    }
    let spi_at = it.at + 8;
    let spi_len = usize::from(spi_size);
    if spi_size > 0 {
        w.extend_from_slice(b" spi=");
        match cx.m.get(spi_at..spi_at + spi_len) {
            Some(s) => hex(w, s),
            None => return Err(cut(w, "n")),
        }
    }
    let data = spi_at + spi_len;
    // Another DOI's notification ends after its SPI, for tcpdump.
    if doi != DOI_IPSEC {
        return Err(Stop::Resume(data));
    }
    // tcpdump shows what follows up to the capture's end, not the
    // payload's (so often the next payloads).
    if data >= cx.m.len() {
        return Ok(());
    }
    match kind {
        24576 => {
            w.extend_from_slice(b" attrs=(");
            // Oakley's names whatever the protocol, as tcpdump has them.
            let table = OAKLEY_ATTRS;
            // A cut attribute ends the list, not the notification.
            let end = it.at + it.len;
            if attributes(w, cx.m, data, end, table, V1_GROUPS)? > end.max(data) {
                note_cut(cx);
            }
            w.push(b')');
        }
        24577 => {
            // The status word is read unchecked, after ` status=(`: a cut
            // one ends the whole line with ` [|isakmp]`.
            w.extend_from_slice(b" status=(");
            let Ok(on) = u32_at(cx.m, data) else {
                return Err(Stop::Jump);
            };
            let word = if on != 0 { "enabled" } else { "disabled" };
            out!(w, "replay detection {word})");
        }
        // At `-vvvv` tcpdump prints all of it, to the capture's end.
        _ if cx.v > 3 => {
            w.extend_from_slice(b" data=(");
            hex(w, cx.m.get(data..).unwrap_or(&[]));
            w.push(b')');
        }
        _ => some_data(w, cx.m, data),
    }
    Ok(())
}

fn delete(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    w.extend_from_slice(b"d:");
    let (doi, proto, spi_size, count) = doi_head(w, cx, it, "d")?;
    put_doi_proto(w, doi, proto);
    out!(w, " spilen={spi_size} nspi={count} spi=");
    let size = usize::from(spi_size);
    let mut at = it.at + 8;
    for i in 0..usize::from(count) {
        if i > 0 {
            w.push(b',');
        }
        match cx.m.get(at..at + size) {
            Some(s) => hex(w, s),
            None => return Err(cut(w, "d")),
        }
        at += size;
    }
    // tcpdump reads the next payload after the SPIs, not at the
    // payload's declared end.
    Err(Stop::Resume(at))
}
