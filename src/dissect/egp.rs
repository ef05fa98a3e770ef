//! EGP (IP protocol 8, RFC 904), as `tcpdump -n` prints it: `EGPv2, AS 1,
//! seq 7, length 20` by default; at `-v` the message type with its code
//! and status (`acquire request active_mode hello:30 poll:120`, `hello
//! state:up`, `poll state:up net:10.0.0.0`, `update state:up 10.0.0.0 int
//! 1 ext 0` and its gateway, distance and network lists, `error state:up
//! no_response`). tcpdump's words and brackets are kept as it prints
//! them, missing spaces included (`[status 9]`, `[code 7]`).

use super::ctl::{json_object, line_is_level_0, out};
use super::wire::{Res, bytes_at, u8_at, u16_at};
use super::{Dissector, Payload, Stop, Truncated, jumped};
use serde_json::{Map, Value, json};

pub static EGP: Dissector = Dissector::new("egp", line, verbose, to_json, looks_like_egp);

fn looks_like_egp(m: &[u8]) -> bool {
    m.first() == Some(&2)
}

/// The fixed part every message has (tcpdump's `struct egp_packet`).
const HEADER: usize = 16;

const ACQUIRE_CODES: &[&str] = &["request", "confirm", "refuse", "cease", "cease_ack"];
const ACQUIRE_STATUS: &[&str] = &[
    "unspecified",
    "active_mode",
    "passive_mode",
    "insufficient_resources",
    "administratively_prohibited",
    "going_down",
    "parameter_violation",
    "protocol_violation",
];
const REACH_CODES: &[&str] = &["hello", "i-h-u"];
const UP_DOWN: &[&str] = &["indeterminate", "up", "down"];
const REASONS: &[&str] = &[
    "unspecified",
    "bad_EGP_header_format",
    "bad_EGP_data_field_format",
    "reachability_info_unavailable",
    "excessive_polling_rate",
    "no_response",
    "unsupported_version",
];

const ACQUIRE: u8 = 3;
const REACH: u8 = 5;
const POLL: u8 = 2;
const UPDATE: u8 = 1;
const ERROR: u8 = 8;
/// The update's status bit for an unsolicited one.
const UNSOLICITED: u8 = 0x80;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    print(w, p, v).map_err(Truncated::from)
}

/// Whether a cut line ended by tcpdump's `longjmp`: only the update's
/// lists read past a length check without testing the capture.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], v: u8) -> bool {
    matches!(print(&mut Vec::new(), p, v), Err(Stop::Jumped))
}

fn print(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Result<(), Stop> {
    let (m, length) = (p.bytes, p.declared_len);
    // tcpdump tests the whole header, declared and captured, first.
    if length < HEADER || m.len() < HEADER {
        return Err(Stop::Checked);
    }
    let version = u8_at(m, 0)?;
    if v == 0 {
        let (asn, seq) = (u16_at(m, 6)?, u16_at(m, 8)?);
        out!(w, "EGPv{version}, AS {asn}, seq {seq}, length {length}");
        return Ok(());
    }
    out!(w, "EGPv{version}, length {length}");
    if version != 2 {
        out!(w, "[version {version}]");
        return Ok(());
    }
    let (kind, code, status) = (u8_at(m, 1)?, u8_at(m, 2)?, u8_at(m, 3)?);
    match kind {
        ACQUIRE => acquire(w, m, code, status)?,
        REACH => match REACH_CODES.get(usize::from(code)) {
            Some(name) => {
                out!(w, " {name}");
                up_down(w, status);
            }
            None => out!(w, "[reach code {code}]"),
        },
        POLL => {
            w.extend_from_slice(b" poll");
            up_down(w, status);
            let net = bytes_at::<4>(m, 12)?;
            out!(w, " net:{}", std::net::Ipv4Addr::from(net));
        }
        UPDATE => {
            w.extend_from_slice(b" update");
            if status & UNSOLICITED != 0 {
                w.extend_from_slice(b" unsolicited");
            }
            up_down(w, status & !UNSOLICITED);
            let net = bytes_at::<4>(m, 12)?;
            let (int, ext) = (u8_at(m, 10)?, u8_at(m, 11)?);
            out!(w, " {} int {int} ext {ext}", std::net::Ipv4Addr::from(net));
            routes(
                w,
                m,
                length - HEADER,
                net,
                usize::from(int),
                usize::from(ext),
            )?;
        }
        ERROR => {
            w.extend_from_slice(b" error");
            up_down(w, status);
            let reason = u16_at(m, 10)?;
            match REASONS.get(usize::from(reason)) {
                Some(name) => out!(w, " {name}"),
                None => out!(w, " [reason {reason}]"),
            }
        }
        _ => out!(w, "[type {kind}]"),
    }
    Ok(())
}

/// A neighbour acquisition message: its code, its status, and the hello
/// and poll intervals of a request or confirm.
fn acquire(w: &mut Vec<u8>, m: &[u8], code: u8, status: u8) -> Res<()> {
    w.extend_from_slice(b" acquire");
    let name = ACQUIRE_STATUS.get(usize::from(status));
    match code {
        0 | 1 => {
            out!(w, " {}", ACQUIRE_CODES[usize::from(code)]);
            match name {
                Some(name) if status <= 2 => out!(w, " {name}"),
                _ => out!(w, " [status {status}]"),
            }
            out!(w, " hello:{} poll:{}", u16_at(m, 10)?, u16_at(m, 12)?);
        }
        2..=4 => {
            out!(w, " {}", ACQUIRE_CODES[usize::from(code)]);
            match name {
                Some(name) if !matches!(status, 1 | 2) => out!(w, " {name}"),
                _ => out!(w, "[status {status}]"),
            }
        }
        _ => out!(w, "[code {code}]"),
    }
    Ok(())
}

/// ` state:up`, or the status in brackets past tcpdump's three names.
fn up_down(w: &mut Vec<u8>, status: u8) {
    match UP_DOWN.get(usize::from(status)) {
        Some(name) => out!(w, " state:{name}"),
        None => out!(w, " [status {status}]"),
    }
}

/// tcpdump's classful tests and masks, applied as it applies them: to the
/// address read into a host integer without reordering (a little-endian
/// host's view, the one Debian's x86 tcpdump prints).
fn class_net_len(addr: u32) -> (u32, usize) {
    if addr & 0x8000_0000 == 0 {
        (addr & 0xff00_0000, 1)
    } else if addr & 0xc000_0000 == 0x8000_0000 {
        (addr & 0xffff_0000, 2)
    } else if addr & 0xe000_0000 == 0xc000_0000 {
        (addr & 0xffff_ff00, 3)
    } else {
        (0, 0)
    }
}

/// A host integer printed from its bytes in memory order (little-endian).
fn put_host_addr(w: &mut Vec<u8>, addr: u32) {
    out!(w, "{}", std::net::Ipv4Addr::from(addr.to_le_bytes()));
}

/// The update's gateways (`int`ernal first, then `ext`ernal), each with
/// its distances and their networks (tcpdump's `egpnr_print`). `length`
/// is what the IP header declares after the fixed part; where it runs out
/// the walk stops after a check, where the capture does it is the
/// `longjmp` of a `GET_` read.
fn routes(
    w: &mut Vec<u8>,
    m: &[u8],
    mut length: usize,
    net: [u8; 4],
    int: usize,
    ext: usize,
) -> Result<(), Stop> {
    let (net, netlen) = class_net_len(u32::from_le_bytes(net));
    let get = |at: usize| u8_at(m, at).map_err(jumped);
    let mut at = HEADER;
    for gateway in 0..int + ext {
        let host = 4 - netlen;
        if length < host || m.len() < at + host {
            return Err(Stop::Checked);
        }
        // Class D and E sources read no host part but count its length.
        let mut addr = 0u32;
        if netlen > 0 {
            for _ in 0..host {
                addr = addr << 8 | u32::from(get(at)?);
                at += 1;
            }
        }
        addr |= net;
        length -= host;
        if length < 1 {
            return Err(Stop::Checked);
        }
        let distances = get(at)?;
        at += 1;
        length -= 1;
        w.extend_from_slice(if gateway < int { b" int " } else { b" ext " });
        put_host_addr(w, addr);
        w.extend_from_slice(b" (");
        for d in 0..distances {
            if length < 2 {
                return Err(Stop::Checked);
            }
            let distance = get(at)?;
            out!(w, "{}d{distance}:", if d == 0 { "" } else { ", " });
            let networks = get(at + 1)?;
            at += 2;
            length -= 2;
            for _ in 0..networks {
                if length < 1 {
                    return Err(Stop::Checked);
                }
                let mut addr = u32::from(get(at)?) << 24;
                at += 1;
                length -= 1;
                let extra = match class_net_len(addr).1 {
                    2 => 1,
                    1 => 0,
                    _ => 2,
                };
                if length < extra {
                    return Err(Stop::Checked);
                }
                for shift in [16, 8].iter().take(extra) {
                    addr |= u32::from(get(at)?) << shift;
                    at += 1;
                }
                length -= extra;
                w.push(b' ');
                put_host_addr(w, addr);
            }
        }
        w.push(b')');
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("version".into(), json!(u8_at(m, 0)?));
    o.insert("type".into(), json!(u8_at(m, 1)?));
    o.insert("code".into(), json!(u8_at(m, 2)?));
    o.insert("status".into(), json!(u8_at(m, 3)?));
    o.insert("checksum".into(), json!(u16_at(m, 4)?));
    o.insert("as".into(), json!(u16_at(m, 6)?));
    o.insert("sequence".into(), json!(u16_at(m, 8)?));
    let net = bytes_at::<4>(m, 12)?;
    o.insert(
        "source_net".into(),
        json!(std::net::Ipv4Addr::from(net).to_string()),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_update_lists_and_short_message() {
        let mut m = vec![2, 1, 0, 1, 0, 0, 0, 1, 0, 9, 1, 0, 10, 0, 0, 0];
        m.extend_from_slice(&[0, 0, 1, 1, 2, 1, 10]);
        assert_eq!(EGP.printed(&m, 0), "EGPv2, AS 1, seq 9, length 23");
        assert_eq!(
            EGP.printed(&m, 1),
            "EGPv2, length 23 update state:up 10.0.0.0 int 1 ext 0 int 1.0.0.0 (d2: 0.0.0.10)"
        );
        assert_eq!(EGP.printed(&m[..15], 1), " [|egp]");
        // The capture ends inside the lists: the longjmp of a GET_ read.
        let p = Payload {
            bytes: &m[..21],
            declared_len: m.len(),
        };
        assert!(cut_jumps(&p, b"", 1));
    }
}
