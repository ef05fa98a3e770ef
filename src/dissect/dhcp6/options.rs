//! DHCPv6 options as `tcpdump -v` writes them: each ` (name …)`, with the
//! value in the form tcpdump gives its code (addresses, DUIDs, lifetimes,
//! names, nested options), ` ?` where the length does not suit the code,
//! and ` [|dhcp6]` where an option list or a name runs out of bytes —
//! which ends that list, not the message.

use super::{Msg, Stop, print, put_addr};
use crate::dissect::dns::name::put_name_based;
use crate::dissect::dns::text::{put_char, put_hex};
use crate::dissect::wire::{Res, u8_at, u16_at, u32_at};
use crate::dissect::{Truncated, put_known, put_num, word};
use serde_json::{Value, json};

/// Lists and relay messages nested deeper than this are cut (tcpdump has
/// no bound; real messages nest three or four deep).
pub(super) const MAX_DEPTH: usize = 64;
/// The option carrying a relayed message.
pub(super) const RELAY_MESSAGE: u16 = 9;

/// tcpdump's names of the option codes up to 48, by number.
const OPTIONS: &str = "- client-ID server-ID IA_NA IA_TA IA_ADDR option-request preference \
    elapsed-time relay-message - authentication server-unicast status-code rapid-commit \
    user-class vendor-class vendor-specific-info interface-ID reconfigure-message \
    reconfigure-accept SIP-servers-domain SIP-servers-address DNS-server DNS-search-list \
    IA_PD IA_PD-prefix NIS-server NIS+-server NIS-domain-name NIS+-domain-name SNTP-servers \
    lifetime BCMCS-domain-name BCMCS-server - Geoconf-Civic Remote-ID Subscriber-ID \
    Client-FQDN PANA-agent POSIX-timezone POSIX-tz-database Echo-request-option Lease-query \
    LQ-client-data Clt-time LQ-relay-data LQ-client-link";

/// tcpdump's name of an option code (`None`: it prints `opt_N`).
pub(super) fn name(code: u16) -> Option<&'static str> {
    match code {
        56 => Some("NTP-server"),
        64 => Some("AFTR-Name"),
        112 => Some("MUD-URL"),
        _ => word(OPTIONS, usize::from(code)),
    }
}

fn put_option_name(w: &mut Vec<u8>, code: u16) {
    put_known(w, name(code), code, (b"opt_", b""));
}

/// tcpdump's names of the status codes, by number.
const STATUS: &str = "Success UnspecFail NoAddrsAvail NoBinding NotOnLink UseMulticast \
    NoPrefixAvail UnknownQueryType MalformedQuery NotConfigured NotAllowed";

/// The options in `msg.start..msg.end`; ` [|dhcp6]` where they stop early
/// (`Err` only when the whole line stops).
pub(super) fn list(w: &mut Vec<u8>, msg: Msg<'_>) -> Result<(), Stop> {
    match list_inner(w, msg) {
        Err(Stop::List) => {
            w.extend_from_slice(b" [|dhcp6]");
            Ok(())
        }
        done => done,
    }
}

/// Where the option at `at` ends, with its code and length, if the list
/// holds all of it.
fn header(msg: Msg<'_>, at: usize) -> Res<(u16, usize, usize)> {
    if msg.end < at + 4 {
        return Err(Truncated);
    }
    let len = usize::from(u16_at(msg.pkt, at + 2)?);
    let data = at + 4;
    if msg.end < data + len || msg.pkt.len() < data + len {
        return Err(Truncated);
    }
    Ok((u16_at(msg.pkt, at)?, data, data + len))
}

fn list_inner(w: &mut Vec<u8>, msg: Msg<'_>) -> Result<(), Stop> {
    if msg.depth > MAX_DEPTH {
        return Err(Stop::List);
    }
    let mut at = msg.start;
    while at < msg.end {
        let (code, data, end) = header(msg, at)?;
        w.extend_from_slice(b" (");
        put_option_name(w, code);
        option(w, code, msg.with(data, end))?;
        at = end;
    }
    Ok(())
}

/// `bytes` hex digits of up to `max` bytes of `d`, then `...`.
fn put_hex_prefix(w: &mut Vec<u8>, d: Msg<'_>, from: usize, max: usize) {
    let bytes = d.pkt.get(from..d.end).unwrap_or(&[]);
    for &b in bytes.iter().take(max) {
        put_hex(w, b, 2);
    }
    w.extend_from_slice(b"...");
}

/// Bytes `from..d.end` as two hex digits each.
fn put_hex_all(w: &mut Vec<u8>, d: Msg<'_>, from: usize) {
    for &b in d.pkt.get(from..d.end).unwrap_or(&[]) {
        put_hex(w, b, 2);
    }
}

/// `%08x`.
fn put_hex8(w: &mut Vec<u8>, n: u32) {
    for b in n.to_be_bytes() {
        put_hex(w, b, 2);
    }
}

fn put_u32(w: &mut Vec<u8>, label: &[u8], m: &[u8], at: usize) -> Res<()> {
    let v = u32_at(m, at)?;
    w.extend_from_slice(label);
    put_num(w, v);
    Ok(())
}

/// The shortest value tcpdump decodes for each code (shorter: ` ?`).
fn min_len(code: u16) -> usize {
    match code {
        1 | 2 | 13 => 2,
        4 | 37 | 56 => 4,
        3 | 25 => 12,
        5 => 24,
        11 => 11,
        26 => 25,
        41 | 42 | 112 => 5,
        44 => 17,
        47 => 16,
        64 => 3,
        _ => 0,
    }
}

/// One option's value and its closing parenthesis (where tcpdump closes
/// it); `Err` where tcpdump gives up on the rest of the list.
fn option(w: &mut Vec<u8>, code: u16, d: Msg<'_>) -> Result<(), Stop> {
    let (m, at, n) = (d.pkt, d.start, d.end - d.start);
    let bad = |w: &mut Vec<u8>| {
        w.extend_from_slice(b" ?)");
        Ok(())
    };
    if n < min_len(code) {
        return bad(w);
    }
    match code {
        1 | 2 => return Ok(duid(w, d)?),
        3 | 25 => {
            put_u32(w, b" IAID:", m, at)?;
            put_u32(w, b" T1:", m, at + 4)?;
            put_u32(w, b" T2:", m, at + 8)?;
            list(w, d.with(at + 12, d.end))?;
        }
        4 => {
            put_u32(w, b" IAID:", m, at)?;
            list(w, d.with(at + 4, d.end))?;
        }
        5 => {
            w.push(b' ');
            put_addr(w, m, at)?;
            put_u32(w, b" pltime:", m, at + 16)?;
            put_u32(w, b" vltime:", m, at + 20)?;
            list(w, d.with(at + 24, d.end))?;
        }
        26 => {
            w.push(b' ');
            put_addr(w, m, at + 9)?;
            w.push(b'/');
            put_num(w, u8_at(m, at + 8)?);
            put_u32(w, b" pltime:", m, at)?;
            put_u32(w, b" vltime:", m, at + 4)?;
            list(w, d.with(at + 25, d.end))?;
        }
        6 | 43 => {
            if n % 2 != 0 {
                return bad(w);
            }
            for i in (at..d.end).step_by(2) {
                w.push(b' ');
                put_option_name(w, u16_at(m, i)?);
            }
        }
        7 | 19 if n != 1 => return bad(w),
        7 => {
            w.push(b' ');
            put_num(w, u8_at(m, at)?);
        }
        8 if n != 2 => return bad(w),
        8 => {
            w.push(b' ');
            put_num(w, u16_at(m, at)?);
        }
        9 => {
            w.extend_from_slice(b" (");
            let inner = if d.depth > MAX_DEPTH {
                Err(Stop::List)
            } else {
                print(w, d, 1)
            };
            match inner {
                Err(Stop::List) => w.extend_from_slice(b" [|dhcp6]"),
                Err(Stop::Line) => return Err(Stop::Line),
                Ok(()) => {}
            }
            // tcpdump closes the carried message, not the option.
            w.push(b')');
            return Ok(());
        }
        11 => return Ok(auth(w, d)?),
        13 => {
            let status = u16_at(m, at)?;
            w.push(b' ');
            match word(STATUS, usize::from(status)) {
                Some(s) => w.extend_from_slice(s.as_bytes()),
                None if status > 255 => w.extend_from_slice(b"INVALID code"),
                None => {
                    w.extend_from_slice(b"code");
                    put_num(w, status);
                }
            }
        }
        18 | 38 => {
            w.push(b' ');
            put_hex_prefix(w, d, at, 10);
        }
        19 => {
            w.extend_from_slice(b" for ");
            match u8_at(m, at)? {
                5 => w.extend_from_slice(b"renew"),
                11 => w.extend_from_slice(b"inf-req"),
                t => {
                    w.extend_from_slice(b"???(");
                    put_hex(w, t, 2);
                    w.push(b')');
                }
            }
        }
        21 | 24 => {
            let mut p = at;
            while p < d.end {
                w.push(b' ');
                p = put_name_based(w, m, p, d.end)?;
            }
        }
        22 | 23 | 27 | 28 | 31 | 34 | 40 | 48 => {
            if n % 16 != 0 {
                return bad(w);
            }
            for a in (at..d.end).step_by(16) {
                w.push(b' ');
                put_addr(w, m, a)?;
            }
        }
        32 | 46 => {
            if n != 4 {
                return bad(w);
            }
            put_u32(w, b" ", m, at)?;
        }
        37 => {
            put_u32(w, b" ", m, at)?;
            w.push(b' ');
            put_hex_prefix(w, d, at + 4, 10);
        }
        41 | 42 | 112 => {
            w.push(b' ');
            let text = m.get(at..d.end).unwrap_or(&[]);
            for &c in text.iter().take_while(|&&c| c != 0) {
                put_char(w, c);
            }
        }
        44 => {
            match u8_at(m, at)? {
                1 => w.extend_from_slice(b" by-address"),
                2 => w.extend_from_slice(b" by-clientID"),
                t => {
                    w.extend_from_slice(b" type_");
                    put_num(w, t);
                }
            }
            w.push(b' ');
            put_addr(w, m, at + 1)?;
            list(w, d.with(at + 17, d.end))?;
        }
        45 => list(w, d)?,
        47 => {
            w.push(b' ');
            put_addr(w, m, at)?;
            w.push(b' ');
            put_hex_prefix(w, d, at + 16, 10);
        }
        56 => return Ok(ntp_server(w, d)?),
        64 => return Ok(aftr_name(w, d)?),
        _ => {}
    }
    w.push(b')');
    Ok(())
}

/// Client and server identifiers (RFC 8415 §11): link-layer address plus
/// time, enterprise number, link-layer address, or only the type.
fn duid(w: &mut Vec<u8>, d: Msg<'_>) -> Res<()> {
    let (m, at, n) = (d.pkt, d.start, d.end - d.start);
    let kind = u16_at(m, at)?;
    let enough = match kind {
        1 => n >= 8,
        2 => n >= 10,
        3 => n >= 4,
        _ => true,
    };
    if !enough {
        w.extend_from_slice(b" ?)");
        return Ok(());
    }
    match kind {
        1 => {
            w.extend_from_slice(b" hwaddr/time type ");
            put_num(w, u16_at(m, at + 2)?);
            put_u32(w, b" time ", m, at + 4)?;
            w.push(b' ');
            put_hex_all(w, d, at + 8);
        }
        2 => {
            w.extend_from_slice(b" vid ");
            put_hex_all(w, d.with(at + 2, at + 10), at + 2);
        }
        3 => {
            w.extend_from_slice(b" hwaddr type ");
            put_num(w, u16_at(m, at + 2)?);
            w.push(b' ');
            put_hex_all(w, d, at + 4);
        }
        _ => {
            w.extend_from_slice(b" type ");
            put_num(w, kind);
        }
    }
    w.push(b')');
    Ok(())
}

/// Authentication (RFC 8415 §21.11): protocol, algorithm, replay
/// detection, then what the protocol carries.
fn auth(w: &mut Vec<u8>, d: Msg<'_>) -> Res<()> {
    let (m, at, n) = (d.pkt, d.start, d.end - d.start);
    let proto = u8_at(m, at)?;
    match proto {
        2 => w.extend_from_slice(b" proto: delayed"),
        3 => w.extend_from_slice(b" proto: reconfigure"),
        p => {
            w.extend_from_slice(b" proto: ");
            put_num(w, p);
        }
    }
    match u8_at(m, at + 1)? {
        1 => w.extend_from_slice(b", alg: HMAC-MD5"),
        a => {
            w.extend_from_slice(b", alg: ");
            put_num(w, a);
        }
    }
    match u8_at(m, at + 2)? {
        0 => w.extend_from_slice(b", RDM: mono"),
        r => {
            w.extend_from_slice(b", RDM: ");
            put_num(w, r);
        }
    }
    w.extend_from_slice(b", RD:");
    for k in 0..4 {
        w.push(b' ');
        for b in u16_at(m, at + 3 + 2 * k)?.to_be_bytes() {
            put_hex(w, b, 2);
        }
    }
    let info = at + 11;
    let info_len = n - 11;
    match proto {
        2 if info_len == 0 => {}
        2 if info_len < 20 => w.extend_from_slice(b" ??"),
        2 => {
            let key = d.end - 20;
            if key > info {
                w.extend_from_slice(b", realm: ");
                put_hex_all(w, d.with(info, key), info);
            }
            w.extend_from_slice(b", key ID: ");
            put_hex8(w, u32_at(m, key)?);
            w.extend_from_slice(b", HMAC-MD5:");
            for k in 0..4 {
                w.push(b' ');
                put_hex8(w, u32_at(m, key + 4 + 4 * k)?);
            }
        }
        3 if info_len == 17 => {
            match u8_at(m, info)? {
                1 => w.extend_from_slice(b" reconfig-key"),
                2 => w.extend_from_slice(b" type: HMAC-MD5"),
                _ => w.extend_from_slice(b" type: ??"),
            }
            w.extend_from_slice(b" value:");
            for k in 0..4 {
                w.push(b' ');
                put_hex8(w, u32_at(m, info + 1 + 4 * k)?);
            }
        }
        _ => w.extend_from_slice(b" ??"),
    }
    w.push(b')');
    Ok(())
}

/// NTP server (RFC 5908): sub-options holding an address, a multicast
/// address or a name; an odd one ends the list with ` ?`.
fn ntp_server(w: &mut Vec<u8>, d: Msg<'_>) -> Res<()> {
    let m = d.pkt;
    // A sub-option header that ends the option exactly is not read.
    let mut at = d.start;
    while at + 4 < d.end {
        let (sub, data, end) = header(d, at)?;
        w.extend_from_slice(b" subopt:");
        put_num(w, sub);
        match sub {
            1 | 2 if end - data == 16 => {
                w.push(b' ');
                put_addr(w, m, data)?;
            }
            3 => {
                w.push(b' ');
                put_name_based(w, m, data, end)?;
            }
            _ => {
                w.extend_from_slice(b" ?");
                break;
            }
        }
        at = end;
    }
    w.push(b')');
    Ok(())
}

/// The AFTR name (RFC 6334): labels joined by dots, no final dot; a label
/// longer than what is left is ` ?`.
fn aftr_name(w: &mut Vec<u8>, d: Msg<'_>) -> Res<()> {
    let m = d.pkt;
    let mut left = d.end - d.start;
    w.push(b' ');
    let mut at = d.start;
    while left > 0 && u8_at(m, at)? != 0 {
        let len = usize::from(u8_at(m, at)?);
        at += 1;
        if len >= left - 1 {
            w.extend_from_slice(b" ?");
            break;
        }
        let label = m.get(at..at + len).unwrap_or(&[]);
        for &c in label.iter().take_while(|&&c| c != 0) {
            put_char(w, c);
        }
        at += len;
        left -= len + 1;
        if u8_at(m, at)? != 0 {
            w.push(b'.');
        }
    }
    w.push(b')');
    Ok(())
}

/// The options from `msg.start` as JSON objects (code, name, length and
/// the `-v` text of the value), and whether all were whole.
pub(super) fn to_json(msg: Msg<'_>) -> (Vec<Value>, bool) {
    let mut out = Vec::new();
    let mut at = msg.start;
    while at < msg.end {
        let Ok((code, data, end)) = header(msg, at) else {
            return (out, false);
        };
        let mut text = Vec::new();
        let whole = option(&mut text, code, msg.with(data, end)).is_ok();
        let text = String::from_utf8_lossy(&text);
        let value = text.strip_suffix(')').unwrap_or(&text).trim();
        out.push(json!({
            "code": code,
            "name": name(code),
            "length": end - data,
            "value": value,
        }));
        if !whole {
            return (out, false);
        }
        at = end;
    }
    (out, true)
}
