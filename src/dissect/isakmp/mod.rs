//! ISAKMP / IKE on UDP 500 (and tcpdump's two "user" ports 7500, 8500),
//! and on the NAT-traversal port 4500 after its 4-byte non-ESP marker
//! (RFC 3948), as `tcpdump -n` prints them.
//!
//! The default line is the header's summary: IKEv2's `parent_sa` or
//! `child_sa`, the exchange name and the `[I]`/`[V]`/`[R]` flags; IKEv1's
//! phase, the initiator/responder mark and the `[E]`/`[C]` flags. `-v`
//! adds the version and message id (`-vv` the cookies) before it.
//!
//! tcpdump marks an IKEv1 packet ` I` or ` R` from a table of initiator
//! cookies it keeps across packets (`cookies`). `-v` goes on with the
//! payload list (`walk`, with each version's printers in `v1` and `v2`,
//! IKEv2's SA with its proposals and transforms in `v2_sa`, and the names
//! in `names`); `--json` lists the payloads that walk opened, with their
//! decoded fields (`json`).

mod cookies;
mod json;
mod names;
mod v1;
mod v2;
mod v2_sa;
mod walk;

pub use cookies::{forget as forget_cookies, with_peers};

/// Whether a UDP datagram between these ports goes to the ISAKMP
/// printers, whose IKEv1 lines depend on earlier packets of any flow
/// (`read --threads` gives all of them to one worker, in file order).
pub fn shares_state(sport: u16, dport: u16) -> bool {
    super::udp(sport, dport)
        .is_some_and(|d| std::ptr::eq(d, &ISAKMP) || std::ptr::eq(d, &ISAKMP_NATT))
}

use super::ctl::{json_object, out};
use super::wire::{Res, u8_at, u32_at};
use super::{Dissector, Payload, Truncated};
use names::PAYLOADS;
use serde_json::{Map, Value, json};

/// ISAKMP on UDP 500, 7500 and 8500.
pub static ISAKMP: Dissector =
    Dissector::new("isakmp", line, verbose, to_json, looks_like_isakmp).known_as("isakmp", "");

/// UDP 4500: NAT keep-alives, IKE after the non-ESP marker, or ESP.
/// tcpdump names its own cut `isakmp_rfc3948`; one inside the IKE
/// message or the ESP header is that printer's (`isakmp`, `esp`).
pub static ISAKMP_NATT: Dissector =
    Dissector::new("isakmp_rfc3948", natt_line, natt_verbose, natt_json, |m| {
        m.get(..4) == Some(&[0, 0, 0, 0]) && looks_like_isakmp(m.get(4..).unwrap_or(&[]))
    })
    .known_as("isakmp", "");

/// The fixed header's length: cookies, next payload, version, exchange,
/// flags, message id, length.
const HEADER: usize = 28;

/// tcpdump's names of the exchange types (IKEv1's and IKEv2's in one
/// table, as it keeps them).
const EXCHANGES: &[(u8, &str)] = &[
    (0, "none"),
    (1, "base"),
    (2, "ident"),
    (3, "auth"),
    (4, "agg"),
    (5, "inf"),
    (32, "oakley-quick"),
    (33, "oakley-newgroup"),
    (34, "ikev2_init"),
    (35, "ikev2_auth"),
    (36, "child_sa"),
    (37, "inf2"),
];

fn name(table: &[(u8, &'static str)], v: u8) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, n)| *n)
}

fn looks_like_isakmp(m: &[u8]) -> bool {
    m.len() >= HEADER && matches!(m.get(17).map(|v| v >> 4), Some(1 | 2))
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

/// The header, read whole first as tcpdump does (a capture that cuts it
/// prints only the cut mark).
struct Header {
    i_ck: [u8; 8],
    r_ck: [u8; 8],
    version: u8,
    exchange: u8,
    flags: u8,
    msgid: u32,
}

fn header(m: &[u8]) -> Res<Header> {
    let part = |at: usize| -> Res<[u8; 8]> {
        m.get(at..at + 8)
            .and_then(|s| s.try_into().ok())
            .ok_or(Truncated)
    };
    u8_at(m, HEADER - 1)?;
    Ok(Header {
        i_ck: part(0)?,
        r_ck: part(8)?,
        version: u8_at(m, 17)?,
        exchange: u8_at(m, 18)?,
        flags: u8_at(m, 19)?,
        msgid: u32_at(m, 20)?,
    })
}

fn put_hex(w: &mut Vec<u8>, bytes: &[u8]) {
    for b in bytes {
        out!(w, "{b:02x}");
    }
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let h = header(p.bytes)?;
    w.extend_from_slice(b"isakmp");
    if v > 0 {
        out!(w, " {}.{} msgid ", h.version >> 4, h.version & 0x0f);
        put_hex(w, &h.msgid.to_be_bytes());
    }
    if v > 1 {
        w.extend_from_slice(b" cookie ");
        put_hex(w, &h.i_ck);
        w.extend_from_slice(b"->");
        put_hex(w, &h.r_ck);
    }
    w.push(b':');
    // At `-v` the colon comes after the phase and flags as well, before
    // the payload list.
    match h.version >> 4 {
        1 => {
            if h.msgid == 0 {
                w.extend_from_slice(b" phase 1");
            } else {
                w.extend_from_slice(b" phase 2/others");
            }
            w.extend_from_slice(cookies::side(h.i_ck, h.r_ck).as_bytes());
            put_exchange(w, h.exchange);
            put_flags(w, h.flags, &[(0x01, b'E'), (0x02, b'C')]);
        }
        2 => {
            if h.msgid == 0 {
                w.extend_from_slice(b" parent_sa");
            } else {
                w.extend_from_slice(b" child_sa ");
            }
            put_exchange(w, h.exchange);
            put_flags(w, h.flags, &[(0x08, b'I'), (0x10, b'V'), (0x20, b'R')]);
        }
        _ => return Ok(()),
    }
    if v > 0 {
        w.push(b':');
        payloads(w, p, &h, v)?;
    }
    Ok(())
}

/// The `-v` part after the header: the payload list (or, for an
/// encrypted message, the type of its first payload), then a word when
/// the header's length is not the datagram's.
fn payloads(w: &mut Vec<u8>, p: &Payload<'_>, h: &Header, v: u8) -> Res<()> {
    let np = p.bytes.get(16).copied().unwrap_or(0);
    if h.flags & 0x01 != 0 {
        let name = match np {
            0 => "none".to_string(),
            n => walk::payload_name(n),
        };
        out!(w, " [encrypted {name}]");
    } else {
        let cx = walk::Cx {
            m: p.bytes,
            v,
            v2: h.version >> 4 == 2,
            notes: None,
        };
        let top = walk::Nest {
            depth: 1,
            ..walk::Nest::default()
        };
        // A read tcpdump does not check ends the line with its mark.
        if walk::walk(w, cx, np, HEADER, top) == Err(walk::Stop::Jump) {
            return Err(Truncated);
        }
    }
    if let Ok(len) = u32_at(p.bytes, 24)
        && usize::try_from(len).ok() != Some(p.declared_len)
    {
        out!(w, " (len mismatch: isakmp {len}/ip {})", p.declared_len);
    }
    Ok(())
}

/// The flags tcpdump names for this version, in brackets when any flag
/// is set (`[]` when only unnamed ones are).
fn put_flags(w: &mut Vec<u8>, flags: u8, names: &[(u8, u8)]) {
    if flags != 0 {
        w.push(b'[');
        w.extend(
            names
                .iter()
                .filter(|(bit, _)| flags & bit != 0)
                .map(|(_, c)| *c),
        );
        w.push(b']');
    }
}

fn put_exchange(w: &mut Vec<u8>, exchange: u8) {
    match name(EXCHANGES, exchange) {
        Some(n) => out!(w, " {n}"),
        None => out!(w, " #{exchange}"),
    }
}

fn natt_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    natt_verbose(w, p, 0)
}

/// tcpdump's `isakmp_rfc3948_print`: a keep-alive, IKE after the
/// non-ESP marker, or ESP.
fn natt_verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    let first = u8_at(m, 0)?;
    if p.declared_len == 1 && first == 0xff {
        w.extend_from_slice(b"isakmp-nat-keep-alive");
        return Ok(());
    }
    if p.declared_len < 4 {
        return Err(Truncated);
    }
    u8_at(m, 3)?;
    if m.get(..4) == Some(&[0, 0, 0, 0]) {
        w.extend_from_slice(b"NONESP-encap: ");
        let inner = Payload {
            bytes: m.get(4..).unwrap_or(&[]),
            declared_len: p.declared_len - 4,
        };
        let done = verbose(w, &inner, v);
        mark_inner_cut(w, done, "isakmp");
        return Ok(());
    }
    w.extend_from_slice(b"UDP-encap: ");
    let done = super::tunnel::esp_text(w, p);
    mark_inner_cut(w, done, "esp");
    Ok(())
}

/// Whether a cut on port 4500 is tcpdump's `longjmp`: the marker's four
/// bytes are read unchecked when the datagram says they are there; a
/// shorter datagram is refused after a length test. After the marker,
/// the ISAKMP printer's own unchecked reads ([`cut_jumps`]).
pub(super) fn natt_cut_jumps(p: &Payload<'_>, w: &[u8], _: u8) -> bool {
    let ike = p.bytes.get(4..).unwrap_or(&[]);
    // The keep-alive's byte is read for a datagram of one, the marker
    // for one of four or more; two or three are refused by length.
    let marker = match p.declared_len {
        1 => p.bytes.is_empty(),
        2 | 3 => false,
        _ => p.bytes.len() < p.declared_len.min(4),
    };
    marker
        || (w.ends_with(b" [|isakmp]") && p.bytes.get(..4) == Some(&[0; 4]) && ike.len() >= HEADER)
}

/// Whether a cut ISAKMP line is tcpdump's `longjmp`: a header not
/// captured is refused after a length test; after it, the only cut that
/// ends the line with ` [|isakmp]` is a read tcpdump does not check (a
/// long attribute's length, [`walk::Stop::Jump`]).
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], _: u8) -> bool {
    p.bytes.len() >= HEADER
}

/// The cut mark of the printer carried on port 4500, under its name.
fn mark_inner_cut(w: &mut Vec<u8>, done: Res<()>, name: &str) {
    if done.is_err() {
        out!(w, " [|{name}]");
    }
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn natt_json(p: &Payload<'_>) -> Value {
    match p.bytes.get(..4) {
        Some([0, 0, 0, 0]) => to_json(&Payload::whole(p.bytes.get(4..).unwrap_or(&[]))),
        _ => json!({"complete": false}),
    }
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let h = header(m)?;
    let hex = |b: &[u8]| {
        let mut s = Vec::new();
        put_hex(&mut s, b);
        String::from_utf8_lossy(&s).into_owned()
    };
    o.insert(
        "version".into(),
        json!(format!("{}.{}", h.version >> 4, h.version & 0x0f)),
    );
    o.insert("exchange".into(), json!(h.exchange));
    o.insert("exchange_name".into(), json!(name(EXCHANGES, h.exchange)));
    o.insert("flags".into(), json!(h.flags));
    o.insert("initiator_spi".into(), json!(hex(&h.i_ck)));
    o.insert("responder_spi".into(), json!(hex(&h.r_ck)));
    o.insert("message_id".into(), json!(h.msgid));
    o.insert("length".into(), json!(u32_at(m, 24)?));
    // The payloads the `-v` line lists: tcpdump's walk of the top
    // chain, noted as it opens each (so a damaged message lists what its
    // line shows, where tcpdump's walk went); an encrypted message's
    // are not decoded.
    let mut payloads = Vec::new();
    let np = u8_at(m, 16)?;
    let mut result = Ok(());
    if h.flags & 0x01 != 0 {
        o.insert("encrypted".into(), json!(true));
    } else if matches!(h.version >> 4, 1 | 2) {
        let notes = walk::Notes::default();
        let cx = walk::Cx {
            m,
            v: 1,
            v2: h.version >> 4 == 2,
            notes: Some(&notes),
        };
        let top = walk::Nest {
            depth: 1,
            ..walk::Nest::default()
        };
        let walked = walk::walk(&mut Vec::new(), cx, np, HEADER, top);
        if !matches!(walked, Ok(_) | Err(walk::Stop::End)) || notes.cut.get() {
            result = Err(Truncated);
        }
        for s in notes.seen.into_inner() {
            let mut item = Map::new();
            item.insert("type".into(), json!(s.np));
            item.insert("name".into(), json!(name(PAYLOADS, s.np)));
            item.insert("length".into(), json!(s.len));
            if h.version >> 4 == 2 {
                item.insert("critical".into(), json!(s.flags & 0x80 != 0));
            }
            // The walk opened it: captured whole (its body empty when its
            // length is 4 or less, printed `()`).
            if let Some(body) = m.get(s.at + 4..s.at + s.len) {
                json::payload(&mut item, s.np, body);
            }
            payloads.push(Value::Object(item));
        }
    }
    o.insert("payloads".into(), Value::Array(payloads));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ike(version: u8, exchange: u8, flags: u8, msgid: u32, r_ck: u8) -> Vec<u8> {
        let mut m = vec![1, 2, 3, 4, 5, 6, 7, 8, r_ck, 0, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&[0, version, exchange, flags]);
        m.extend_from_slice(&msgid.to_be_bytes());
        m.extend_from_slice(&28u32.to_be_bytes());
        m
    }

    #[test]
    fn test_ikev2_and_ikev1_lines() {
        assert_eq!(
            ISAKMP.printed(&ike(0x20, 34, 0x08, 0, 0), 0),
            "isakmp: parent_sa ikev2_init[I]"
        );
        assert_eq!(
            ISAKMP.printed(&ike(0x20, 37, 0x20, 3, 1), 1),
            "isakmp 2.0 msgid 00000003: child_sa  inf2[R]:"
        );
        assert_eq!(
            ISAKMP.printed(&ike(0x10, 2, 0x01, 0, 0), 0),
            "isakmp: phase 1 I ident[E]"
        );
        assert_eq!(ISAKMP.printed(&[0; 27], 0), " [|isakmp]");
    }

    /// `ike` with a chain of payloads after the header.
    fn with_payloads(mut m: Vec<u8>, np: u8, payloads: &[u8]) -> Vec<u8> {
        if let Some(b) = m.get_mut(16) {
            *b = np;
        }
        m.extend_from_slice(payloads);
        let len = (m.len() as u32).to_be_bytes();
        if let Some(l) = m.get_mut(24..28) {
            l.copy_from_slice(&len);
        }
        m
    }

    #[test]
    fn test_malformed_v2_sa_is_skipped_by_its_length() {
        // A proposal declaring 24 bytes in an SA of 16: the SA's mark,
        // and the next payload read at the SA's end.
        let t = [0, 0, 0, 8, 1, 0, 0, 12];
        let p = [&[0, 0, 0, 24, 1, 1, 0, 1][..], &t].concat();
        let sa = [&[40, 0, 0, 20][..], &p].concat();
        let nonce = [0, 0, 0, 8, 1, 2, 3, 4];
        let m = with_payloads(
            ike(0x20, 34, 0x08, 0, 0),
            33,
            &[sa, nonce.to_vec()].concat(),
        );
        assert_eq!(
            ISAKMP.printed(&m, 1),
            "isakmp 2.0 msgid 00000000: parent_sa ikev2_init[I]:\n    (sa: len=16 [|v2sa])\n    (nonce: len=4 data=(01020304...))"
        );
        // A long attribute whose length was not captured: tcpdump's
        // unchecked read ends the line with the printer's mark.
        let t = [0, 0, 0, 10, 1, 0, 0, 12, 0x00, 0x0e];
        let p = [&[0, 0, 0, 18, 1, 1, 0, 1][..], &t].concat();
        let sa = [&[0, 0, 0, 22][..], &p].concat();
        let m = with_payloads(ike(0x20, 34, 0x08, 0, 0), 33, &sa);
        assert!(
            ISAKMP
                .printed(&m, 1)
                .ends_with("(t: #1 type=encr id=aes  [|isakmp]")
        );
    }

    #[test]
    fn test_payload_lists_and_cuts() {
        // IKEv2: a notification, then a nonce cut by the capture.
        let n = [0, 0, 0, 8, 0, 0, 0x40, 0x04];
        let m = with_payloads(ike(0x20, 34, 0x08, 0, 0), 41, &n);
        assert_eq!(
            ISAKMP.printed(&m, 1),
            "isakmp 2.0 msgid 00000000: parent_sa ikev2_init[I]:\n    (n: prot_id=#0 type=16388(nat_detection_source_ip))"
        );
        let m = with_payloads(ike(0x20, 34, 0x08, 0, 0), 40, &[0, 0, 0, 40, 1, 2]);
        assert!(ISAKMP.printed(&m, 1).ends_with("ikev2_init[I]: [|v2nonce]"));
        // IKEv1: a transform's attribute that does not fit.
        let t = [0, 0, 0, 11, 1, 1, 0, 0, 0x80, 1, 0];
        let p = [&[0, 0, 0, 19, 1, 1, 0, 1][..], &t].concat();
        let sa = [&[0, 0, 0, 31, 0, 0, 0, 1, 0, 0, 0, 1][..], &p].concat();
        let m = with_payloads(ike(0x10, 2, 0, 0, 0), 1, &sa);
        assert!(
            ISAKMP.printed(&m, 1).ends_with("(t: #1 id=ike [|attr])))"),
            "{}",
            ISAKMP.printed(&m, 1)
        );
        // A header longer than the datagram.
        let m = with_payloads(ike(0x10, 5, 1, 2, 1), 8, &[]);
        assert!(
            ISAKMP
                .printed_cut(&m, m.len(), 1)
                .ends_with("inf[E]: [encrypted hash]")
        );
    }
}
