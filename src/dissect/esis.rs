//! ES-IS (ISO 9542) as `tcpdump -n` prints it after the ISO CLNS NLPID
//! 0x82: the default line names the PDU (`ES-IS, ISH, length 30`); `-v`
//! adds the version, the checksum (checked as ISO 9542 says), the holding
//! time and the length indicator, then each PDU's addresses (an ESH's
//! source addresses, an ISH's network entity title, a redirect's
//! destination, subnetwork point of attachment and NET) and the options
//! (protocols supported, ES configuration time, others in hex); `-vv`
//! dumps the header and each option. tcpdump's quirks are kept where
//! they show: after a redirect the length indicator counts one byte too
//! many (its NET length byte), and after a protocols option the next
//! option is read from the same place (its pointer never moves on).

use super::ctl::{json_object, out, tok};
use super::isis::{Cut, checked, hex, put_checksum, put_nlpids, put_nsap};
use super::wire::{Res, need, u8_at, u16_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

/// ES-IS frames for `--json` (the line is the ISO CLNS printer's).
pub static ESIS: Dissector = Dissector {
    name: "esis",
    json_key: "esis",
    line: Some(super::isis::line),
    verbose: Some(super::isis::verbose),
    json: to_json,
    service: "",
    recognise: |m| m.first() == Some(&NLPID_ESIS),
};

pub(super) const NLPID_ESIS: u8 = 0x82;

/// NLPID, length indicator, version, reserved, type, holding time,
/// checksum.
const HEADER: usize = 9;

const REDIRECT: u8 = 6;
const ESH: u8 = 2;
const ISH: u8 = 4;

const PDU_TYPES: &[(u8, &str)] = &[(REDIRECT, "redirect"), (ESH, "ESH"), (ISH, "ISH")];

const OPTIONS: &[(u8, &str)] = &[
    (129, "Protocols supported"),
    (195, "QoS Maintenance"),
    (197, "Security"),
    (198, "ES Configuration Time"),
    (205, "Priority"),
    (225, "Addressk Mask"),
    (226, "SNPA Mask"),
];

/// The PDU `m` (the NLPID first), `length` bytes declared. `Err(Checked)`
/// where tcpdump's `ND_TCHECK` failed (it prints ` [|esis]`),
/// `Err(Jumped)` where a `GET_` read past the capture. tcpdump never
/// dumps an ES-IS PDU after its line.
pub(super) fn esis(w: &mut Vec<u8>, m: &[u8], length: usize, v: u8) -> Result<(), Cut> {
    w.extend_from_slice(b"ES-IS");
    if length <= 2 {
        w.extend_from_slice(b"no header at all!");
        return Ok(());
    }
    checked(need(m, 0, HEADER))?;
    let mut li = usize::from(u8_at(m, 1)?);
    let version = u8_at(m, 2)?;
    if version != 1 {
        out!(w, " version {version} packet not supported");
        return Ok(());
    }
    if li > length {
        out!(w, " length indicator({li}) > PDU size ({length})!");
        return Ok(());
    }
    if li < HEADER + 2 {
        out!(w, " length indicator {li} < min PDU size:");
        for b in m {
            out!(w, "{b:02X}");
        }
        return Ok(());
    }
    let kind = u8_at(m, 4)? & 0x1f;
    if v < 1 {
        match tok(PDU_TYPES, kind) {
            Some(n) => out!(w, ", {n}, length {length}"),
            None => out!(w, ", unknown type ({kind}), length {length}"),
        }
        return Ok(());
    }
    out!(w, ", length {length}\n\t");
    match tok(PDU_TYPES, kind) {
        Some(n) => out!(w, "{n} ({kind})"),
        None => out!(w, "unknown type: {kind} ({kind})"),
    }
    let sum = u16_at(m, 7)?;
    out!(w, ", v: {version}, checksum: 0x{sum:04x}");
    put_checksum(w, m, 0, sum, 7, li);
    out!(
        w,
        ", holding time: {}s, length indicator: {li}",
        u16_at(m, 5)?
    );
    if v > 1 {
        hex(w, m, 0, HEADER, b"\n\t");
    }
    let mut p = HEADER;
    li -= HEADER;
    let done = match kind {
        REDIRECT => redirect(w, m, &mut p, &mut li)?,
        ESH => esh(w, m, &mut p, &mut li)?,
        ISH => {
            let net = address(m, &mut p, &mut li, true)?;
            match net {
                Some((at, n)) => {
                    out!(w, "\n\t  NET (length: {n}): ");
                    put_nsap(w, m, at, n)?;
                    true
                }
                None => {
                    w.extend_from_slice(b", bad ish/li");
                    false
                }
            }
        }
        _ => {
            if v <= 1 && p < m.len() {
                hex(w, m, p, m.len() - p, b"\n\t  ");
            }
            false
        }
    };
    if done {
        options(w, m, p, li, v)?;
    }
    Ok(())
}

/// One length-prefixed address at `p` (tcpdump checks the capture, then
/// the length indicator, for the length byte and for the address):
/// its offset and length, or `None` past the length indicator. The
/// length byte is counted off `li` unless `count` is false (a redirect's
/// NET, as tcpdump reads it).
fn address(
    m: &[u8],
    p: &mut usize,
    li: &mut usize,
    count: bool,
) -> Result<Option<(usize, usize)>, Cut> {
    checked(need(m, *p, 1))?;
    if *li < 1 {
        return Ok(None);
    }
    let n = usize::from(u8_at(m, *p)?);
    *p += 1;
    if count {
        *li -= 1;
    }
    checked(need(m, *p, n))?;
    if *li < n {
        return Ok(None);
    }
    let at = *p;
    *p += n;
    *li -= n;
    Ok(Some((at, n)))
}

/// A redirect's destination, SNPA and NET; `false` when tcpdump stops.
fn redirect(w: &mut Vec<u8>, m: &[u8], p: &mut usize, li: &mut usize) -> Result<bool, Cut> {
    let bad = |w: &mut Vec<u8>| {
        w.extend_from_slice(b", bad redirect/li");
        Ok(false)
    };
    let Some((dst, dst_len)) = address(m, p, li, true)? else {
        return bad(w);
    };
    w.extend_from_slice(b"\n\t  ");
    put_nsap(w, m, dst, dst_len)?;
    let Some((snpa, snpa_len)) = address(m, p, li, true)? else {
        return bad(w);
    };
    let Some((net, net_len)) = address(m, p, li, false)? else {
        return bad(w);
    };
    out!(w, "\n\t  SNPA (length: {snpa_len}): ");
    put_link_address(w, m.get(snpa..snpa + snpa_len).unwrap_or(&[]));
    if net_len != 0 {
        out!(w, "\n\t  NET (length: {net_len}) ");
        put_nsap(w, m, net, net_len)?;
    }
    Ok(true)
}

/// tcpdump's `etheraddr_string` for six bytes, `linkaddr_string`
/// otherwise (`<empty>` for none).
fn put_link_address(w: &mut Vec<u8>, a: &[u8]) {
    if a.is_empty() {
        w.extend_from_slice(b"<empty>");
    }
    for (i, b) in a.iter().enumerate() {
        if i > 0 {
            w.push(b':');
        }
        out!(w, "{b:02x}");
    }
}

/// An ESH's source addresses; `false` when tcpdump stops.
fn esh(w: &mut Vec<u8>, m: &[u8], p: &mut usize, li: &mut usize) -> Result<bool, Cut> {
    checked(need(m, *p, 1))?;
    if *li < 1 {
        w.extend_from_slice(b", bad esh/li");
        return Ok(false);
    }
    let count = u8_at(m, *p)?;
    *p += 1;
    *li -= 1;
    out!(w, "\n\t  Number of Source Addresses: {count}");
    for _ in 0..count {
        let Some((at, n)) = address(m, p, li, true)? else {
            w.extend_from_slice(b", bad esh/li");
            return Ok(false);
        };
        out!(w, "\n\t  NET (length: {n}): ");
        put_nsap(w, m, at, n)?;
    }
    Ok(true)
}

/// The options after the addresses, `li` bytes of them as tcpdump counts.
fn options(w: &mut Vec<u8>, m: &[u8], mut p: usize, mut li: usize, v: u8) -> Result<(), Cut> {
    while li != 0 {
        if li < 2 {
            w.extend_from_slice(b", bad opts/li");
            return Ok(());
        }
        let op = u8_at(m, p)?;
        let mut len = usize::from(u8_at(m, p + 1)?);
        p += 2;
        li -= 2;
        if len > li {
            out!(w, ", opt ({op}) too long");
            return Ok(());
        }
        li -= len;
        out!(
            w,
            "\n\t  {} Option #{op}, length {len}, value: ",
            tok(OPTIONS, op).unwrap_or("Unknown")
        );
        match op {
            198 if len == 2 => {
                checked(need(m, p, 2))?;
                out!(w, "{}s", u16_at(m, p)?);
            }
            198 => w.extend_from_slice(b"(bad length)"),
            129 => {
                // tcpdump counts the option's length down to 0 here: its
                // dump and its step to the next option then take nothing.
                put_nlpids(w, m, p, len)?;
                len = 0;
            }
            _ => hex(w, m, p, len, b"\n\t  "),
        }
        if v > 1 {
            hex(w, m, p, len, b"\n\t  ");
        }
        p += len;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

/// The header's fields and the PDU's addresses (an ESH's sources, an
/// ISH's NET, a redirect's destination, SNPA and NET).
fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let li = usize::from(u8_at(m, 1)?);
    o.insert("nlpid".into(), json!(u8_at(m, 0)?));
    o.insert("length_indicator".into(), json!(li));
    o.insert("version".into(), json!(u8_at(m, 2)?));
    let kind = u8_at(m, 4)? & 0x1f;
    o.insert("pdu_type".into(), json!(kind));
    o.insert("pdu_type_name".into(), json!(tok(PDU_TYPES, kind)));
    o.insert("holding_time".into(), json!(u16_at(m, 5)?));
    o.insert("checksum".into(), json!(u16_at(m, 7)?));
    let nsap = |at: usize, len: usize| -> Res<Value> {
        let mut s = Vec::new();
        put_nsap(&mut s, m, at, len)?;
        Ok(json!(String::from_utf8_lossy(&s)))
    };
    let mut p = HEADER;
    let take = |p: &mut usize| -> Res<(usize, usize)> {
        let n = usize::from(u8_at(m, *p)?);
        let at = *p + 1;
        need(m, at, n)?;
        *p = at + n;
        Ok((at, n))
    };
    match kind {
        ESH => {
            let count = u8_at(m, p)?;
            p += 1;
            let mut nets = Vec::new();
            for _ in 0..count {
                let (at, n) = take(&mut p)?;
                nets.push(nsap(at, n)?);
            }
            o.insert("source_addresses".into(), Value::Array(nets));
        }
        ISH => {
            let (at, n) = take(&mut p)?;
            o.insert("net".into(), nsap(at, n)?);
        }
        REDIRECT => {
            let (at, n) = take(&mut p)?;
            o.insert("destination".into(), nsap(at, n)?);
            let (at, n) = take(&mut p)?;
            let mut s = Vec::new();
            put_link_address(&mut s, m.get(at..at + n).unwrap_or(&[]));
            o.insert("snpa".into(), json!(String::from_utf8_lossy(&s)));
            let (at, n) = take(&mut p)?;
            if n > 0 {
                o.insert("net".into(), nsap(at, n)?);
            }
        }
        _ => {}
    }
    need(m, 0, li)
}
