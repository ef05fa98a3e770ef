//! IKEv2's payloads (RFC 7296 §3) as tcpdump's `-v` prints them: SA with
//! its proposals and transforms, KE, IDi/IDr, CERT, CERTREQ, AUTH, Nonce,
//! N, D, V, TSi/TSr, SK, CP and EAP, each name followed by `[C]` when the
//! critical bit is set. `-vv` shows the nonce and the authentication data
//! whole, `-vvv` the bytes of the payloads tcpdump does not decode.

use super::names::{GROUPS, PROTOCOLS, V2_AUTH, V2_IDS, V2_NOTIFY};
use super::walk::{Cx, Item, Nest, Walked, cut, hex, put_code, raw, some_data, span};
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
    // KE, IDi/IDr, AUTH and N check that their fixed part (four bytes
    // after the generic header) was captured before their name is
    // printed: a payload too short for it is ` [|v2ke]` alone.
    if matches!(np, 34 | 35 | 36 | 39 | 41) && cx.m.len() < it.at + 4 {
        return Err(cut(w, label));
    }
    w.extend_from_slice(label.as_bytes());
    if it.flags & 0x80 != 0 {
        w.extend_from_slice(b"[C]");
    }
    w.push(b':');
    match np {
        33 => super::v2_sa::sa(w, cx, it, nest),
        34 => ke(w, cx, it),
        35 | 36 => id(w, cx, np, it),
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
            // Its next type is inside it: the list ends.
            Err(super::walk::Stop::End)
        }
        _ => {
            out!(w, " len={}", it.len);
            raw(w, cx, it.at, it.len);
            Ok(())
        }
    }
}

fn ke(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    // tcpdump checks the fixed part was captured, then says a payload
    // too short for it is so, and skips it.
    let Ok(group) = u16_at(cx.m, it.at).and_then(|g| u16_at(cx.m, it.at + 2).map(|_| g)) else {
        return Err(cut(w, "v2ke"));
    };
    if it.len < 4 {
        out!(w, " len={} < 8", it.len + 4);
        return Ok(());
    }
    out!(w, " len={} group=", it.len - 4);
    put_code(w, GROUPS, group);
    if it.len > 4 {
        raw(w, cx, it.at + 4, it.len - 4);
    }
    Ok(())
}

fn id(w: &mut Vec<u8>, cx: Cx<'_>, np: u8, it: Item) -> Walked {
    let name = super::walk::payload_name(np);
    // The fixed part is checked before anything is printed.
    let (Ok(kind), Ok(_)) = (u8_at(cx.m, it.at), u8_at(cx.m, it.at + 3)) else {
        return Err(cut(w, &name));
    };
    out!(w, " len={}", it.len);
    raw(w, cx, it.at, it.len);
    if let Some((_, word, text)) = V2_IDS.iter().find(|(k, _, _)| *k == kind) {
        out!(w, " {word}:");
        // A payload shorter than its fixed part has a data length that
        // wraps around for tcpdump: never captured.
        let Some(len) = it.len.checked_sub(4) else {
            return Err(cut(w, &name));
        };
        let data = span(cx.m, it.at + 4, len);
        if *text {
            put_printable(w, data);
        } else {
            hex(w, data);
        }
    }
    Ok(())
}

fn auth(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    let (Ok(method), Ok(_)) = (u8_at(cx.m, it.at), u8_at(cx.m, it.at + 3)) else {
        return Err(cut(w, "v2auth"));
    };
    out!(w, " len={} method=", it.len);
    put_code(w, V2_AUTH, method);
    // The data's length is counted from after the fixed part: a payload
    // shorter than that wraps around for tcpdump, and so does a glimpse
    // from past the capture's end; neither was captured.
    if cx.v > 1 {
        w.extend_from_slice(b" authdata=(");
        let Some(len) = it.len.checked_sub(4) else {
            return Err(cut(w, "v2auth"));
        };
        hex(w, span(cx.m, it.at + 4, len));
        w.extend_from_slice(b") ");
    } else if it.at + 4 > cx.m.len() {
        w.extend_from_slice(b" data=(");
        return Err(cut(w, "v2auth"));
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
    // What follows the SPI up to the capture's end (not the payload's):
    // the cookie's, whole when short, and at `-vvvv` any notification's.
    let rest = cx.m.get(spi_at + size..).unwrap_or(&[]);
    if !rest.is_empty() {
        if cx.v > 3 || (kind == 16390 && rest.len() < 30) {
            w.extend_from_slice(b" data=(");
            hex(w, rest);
            w.push(b')');
        } else if kind == 16390 {
            some_data(w, cx.m, spi_at + size);
        }
    }
    Ok(())
}

fn vendor(w: &mut Vec<u8>, cx: Cx<'_>, it: Item) -> Walked {
    out!(w, " len={} vid=", it.len);
    put_printable(w, span(cx.m, it.at, it.len));
    // The bytes again at `-vvv`, past four of them.
    if it.len > 4 {
        raw(w, cx, it.at, it.len);
    }
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
