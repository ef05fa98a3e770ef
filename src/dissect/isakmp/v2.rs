//! IKEv2's payloads (RFC 7296 §3) as tcpdump's `-v` prints them: SA with
//! its proposals and transforms, KE, IDi/IDr, CERT, CERTREQ, AUTH, Nonce,
//! N, D, V, TSi/TSr, SK, CP and EAP, each name followed by `[C]` when the
//! critical bit is set. `-vv` shows the nonce and the authentication data
//! whole, `-vvv` the bytes of the payloads tcpdump does not decode.

use super::names::{
    GROUPS, PROTOCOLS, V2_ATTRS, V2_AUTH, V2_IDS, V2_NOTIFY, V2_TRANSFORM_TYPES, V2_TRANSFORMS,
};
use super::walk::{Cx, Item, Nest, Walked, cut, hex, nested, put_code, raw, some_data, span, walk};
use crate::dissect::ctl::out;
use crate::dissect::wire::{bytes_at, u8_at, u16_at};

/// The labels tcpdump prints for payload types 33 to 48.
const LABELS: &[&str] = &[
    "sa", "v2ke", "v2IDi", "v2IDr", "v2cert", "v2cr", "v2auth", "nonce", "n", "v2d", "v2vid",
    "v2TSi", "v2TSr", "v2e", "v2cp", "v2eap",
];

pub(super) fn payload(w: &mut Vec<u8>, cx: Cx<'_>, np: u8, it: Item, nest: Nest) -> Walked {
    let label = LABELS
        .get(usize::from(np.saturating_sub(33)))
        .copied()
        .unwrap_or("");
    w.extend_from_slice(label.as_bytes());
    if it.flags & 0x80 != 0 {
        w.extend_from_slice(b"[C]");
    }
    w.push(b':');
    match np {
        33 => sa(w, cx, it, nest),
        34 => ke(w, cx, it),
        35 | 36 => id(w, cx, it),
        39 => auth(w, cx, it),
        40 => nonce(w, cx, it),
        41 => notify(w, cx, it),
        43 => vendor(w, cx, it),
        // tcpdump shows an encrypted payload's bytes only past four.
        46 => {
            out!(w, " len={}", it.len);
            if it.len > 4 {
                raw(w, cx, it.at, it.len);
            }
            Ok(())
        }
        _ => {
            out!(w, " len={}", it.len);
            raw(w, cx, it.at, it.len);
            Ok(())
        }
    }
}

fn sa(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, nest: Nest) -> Walked {
    out!(w, " len={}", it.len);
    let done = nested(walk(
        w,
        cx,
        2,
        it.at,
        Nest {
            v2: true,
            parent: 33,
            end: it.at + it.len,
            ..nest
        },
    ));
    // A cut proposal ends the SA, not the message: the payloads after it
    // are still printed.
    match done {
        Err(super::walk::Stop::Cut) => Ok(()),
        other => other,
    }
}

pub(super) fn proposal(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, nest: Nest) -> Walked {
    let Ok([number, proto, spi_size, transforms]) = bytes_at::<4>(cx.m, it.at) else {
        return Err(cut(w, "p"));
    };
    out!(w, "p: #{number} protoid=");
    put_code(w, PROTOCOLS, proto);
    out!(w, " transform={transforms} len={}", it.len + 4);
    let spi_at = it.at + 4;
    let size = usize::from(spi_size);
    // The SPI is checked before anything of it is printed.
    let Some(spi) = cx.m.get(spi_at..spi_at + size) else {
        return Err(cut(w, "p"));
    };
    if size > 0 {
        w.extend_from_slice(b" spi=");
        hex(w, spi);
    }
    nested(walk(
        w,
        cx,
        3,
        spi_at + size,
        Nest {
            proto,
            v2: true,
            parent: 2,
            end: it.at + it.len,
            ..nest
        },
    ))
}

pub(super) fn transform(w: &mut Vec<u8>, cx: Cx<'_>, it: Item, nest: Nest) -> Walked {
    let (Ok(kind), Ok(id)) = (u8_at(cx.m, it.at), u16_at(cx.m, it.at + 2)) else {
        return Err(cut(w, "v2sa"));
    };
    out!(w, "t: #{} type=", nest.index);
    put_code(w, V2_TRANSFORM_TYPES, kind);
    w.extend_from_slice(b" id=");
    match V2_TRANSFORMS.get(usize::from(kind)) {
        Some(table) if kind > 0 => put_code(w, table, id),
        _ => out!(w, "{id}"),
    }
    w.push(b' ');
    super::v1::attributes(w, cx.m, it.at + 4, it.at + it.len, &V2_ATTRS, GROUPS.len())
}

fn ke(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    let Ok(group) = u16_at(cx.m, it.at) else {
        return Err(cut(w, "v2ke"));
    };
    out!(w, " len={} group=", it.len.saturating_sub(4));
    put_code(w, GROUPS, group);
    if it.len > 4 {
        raw(w, cx, it.at + 4, it.len - 4);
    }
    Ok(())
}

fn id(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    out!(w, " len={}", it.len);
    raw(w, cx, it.at, it.len);
    let Ok(kind) = u8_at(cx.m, it.at) else {
        return Err(cut(w, "v2IDi"));
    };
    if let Some((_, word, text)) = V2_IDS.iter().find(|(k, _, _)| *k == kind) {
        out!(w, " {word}:");
        let data = span(cx.m, it.at + 4, it.len.saturating_sub(4));
        if *text {
            put_printable(w, data);
        } else {
            hex(w, data);
        }
    }
    Ok(())
}

fn auth(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    let Ok(method) = u8_at(cx.m, it.at) else {
        return Err(cut(w, "v2auth"));
    };
    out!(w, " len={} method=", it.len);
    put_code(w, V2_AUTH, method);
    if cx.v > 1 {
        w.extend_from_slice(b" authdata=(");
        hex(w, span(cx.m, it.at + 4, it.len.saturating_sub(4)));
        w.extend_from_slice(b") ");
    } else {
        some_data(w, cx.m, it.at + 4);
    }
    Ok(())
}

fn nonce(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    out!(w, " len={}", it.len);
    if cx.v > 1 {
        w.extend_from_slice(b" nonce=(");
        hex(w, span(cx.m, it.at, it.len));
        w.extend_from_slice(b") ");
    } else {
        some_data(w, cx.m, it.at);
    }
    Ok(())
}

fn notify(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    let (Ok([proto, spi_size]), Ok(kind)) = (bytes_at::<2>(cx.m, it.at), u16_at(cx.m, it.at + 2))
    else {
        return Err(cut(w, "n"));
    };
    w.extend_from_slice(b" prot_id=");
    put_code(w, PROTOCOLS, proto);
    let known = V2_NOTIFY.iter().find(|(k, _, _)| *k == kind);
    let name = match known {
        Some((_, n, _)) => n,
        None if kind < 8192 => "error",
        None if kind < 16384 => "private-error",
        None if kind < 40960 => "status",
        None => "private-status",
    };
    out!(w, " type={kind}({name})");
    let spi_at = it.at + 4;
    let size = usize::from(spi_size);
    if known.is_none_or(|(_, _, spi)| *spi) && size > 0 {
        w.extend_from_slice(b" spi=");
        match cx.m.get(spi_at..spi_at + size) {
            Some(s) => hex(w, s),
            None => return Err(cut(w, "n")),
        }
    }
    let data = spi_at + size;
    let end = it.at + it.len;
    // The cookie's data (to the capture's end, past the payload), and at
    // `-vvvv` any notification's.
    let rest = cx.m.get(data..).unwrap_or(&[]);
    if data < end && kind == 16390 && rest.len() >= 30 {
        some_data(w, cx.m, data);
    } else if data < end && kind == 16390 {
        w.extend_from_slice(b" data=(");
        hex(w, rest);
        w.push(b')');
    } else if data < end && cx.v > 3 {
        w.extend_from_slice(b" data=(");
        hex(w, span(cx.m, data, end - data));
        w.push(b')');
    }
    Ok(())
}

fn vendor(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    out!(w, " len={} vid=", it.len);
    put_printable(w, span(cx.m, it.at, it.len));
    raw(w, cx, it.at, it.len);
    Ok(())
}

/// Text with `.` for each byte that is not printable ASCII.
fn put_printable(w: &mut Vec<u8>, bytes: &[u8]) {
    w.extend(
        bytes
            .iter()
            .map(|c| if (0x20..0x7f).contains(c) { *c } else { b'.' }),
    );
}
