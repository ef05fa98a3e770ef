//! BGP OPEN: version, AS, hold time and identifier, then the optional
//! parameters, of which tcpdump decodes the capabilities (RFC 5492):
//! multiprotocol families, graceful restart, 4-byte AS numbers, ADD-PATH,
//! multiple labels. A capability cut by the capture prints ` [|bgp]` and
//! tcpdump goes on with the next parameter, so this printer writes the
//! marker itself there. A parameter header past the message's own length
//! (but captured) ends the OPEN at tcpdump's check: `Stop::Checked`, and
//! the caller's ` [|bgp]`.

use super::super::ctl::{ipv4_at, out};
use super::names::{self, SAFIS, name};
use super::{dump, need, put_family};
use crate::dissect::Truncated;
use crate::dissect::wire::{Res, u8_at, u16_at, u32_at};
use serde_json::{Map, Value, json};

/// The fixed part of an OPEN, header included.
const SIZE: usize = 29;

pub(super) fn print(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    need(m, 0, SIZE)?;
    let Some(room) = len.checked_sub(SIZE) else {
        return Err(Truncated);
    };
    out!(
        w,
        "\n\t  Version {}, my AS {}, Holdtime {}s, ID {}",
        u8_at(m, 19)?,
        u16_at(m, 20)?,
        u16_at(m, 22)?,
        ipv4_at(m, 24)?
    );
    let opts_len = usize::from(u8_at(m, 28)?);
    out!(w, "\n\t  Optional parameters, length: {opts_len}");
    let mut i = 0;
    while i < opts_len {
        let at = SIZE + i;
        need(m, at, 2)?;
        if room < 2 + i {
            return Err(Truncated);
        }
        let (kind, len) = (u8_at(m, at)?, usize::from(u8_at(m, at + 1)?));
        if 2 + i + len > opts_len {
            out!(
                w,
                "\n\t     Option {kind}, length: {len}, goes past the end of the options"
            );
            break;
        }
        out!(
            w,
            "\n\t    Option {} ({kind}), length: {len}",
            name(names::OPTIONS, kind, "Unknown")
        );
        if kind == 2 {
            capabilities(w, m, at + 2, len, v);
        } else {
            out!(w, "\n\t      no decoder for option {kind}");
        }
        i += 2 + len;
    }
    Ok(())
}

/// The capabilities in `len` bytes at `at`; ` [|bgp]` where the capture
/// ends first.
fn capabilities(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize, v: u8) {
    if capability_list(w, m, at, len, v).is_err() {
        w.extend_from_slice(b" [|bgp]");
    }
}

fn capability_list(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize, v: u8) -> Res<()> {
    let mut i = 0;
    while i < len {
        need(m, at + i, 2)?;
        let (code, clen) = (u8_at(m, at + i)?, usize::from(u8_at(m, at + i + 1)?));
        out!(
            w,
            "\n\t      {} ({code}), length: {clen}",
            name(names::CAPABILITIES, code, "Unknown")
        );
        let c = at + i + 2;
        need(m, c, clen)?;
        if !capability(w, m, code, c, clen, v)? {
            return Ok(());
        }
        if v > 1 && clen != 0 {
            dump(w, m, c, clen, b"\n\t\t")?;
        }
        i += 2 + clen;
    }
    Ok(())
}

/// One capability's value; `false` when tcpdump stops at it (too short).
fn capability(w: &mut Vec<u8>, m: &[u8], code: u8, c: usize, len: usize, v: u8) -> Res<bool> {
    match code {
        1 => {
            if len < 4 {
                w.extend_from_slice(b" (too short, < 4)");
                return Ok(false);
            }
            w.extend_from_slice(b"\n\t\t");
            put_family(w, m, c, c + 3)?;
        }
        8 => {
            for off in (0..len / 4).map(|k| 4 * k) {
                w.extend_from_slice(b"\n\t\t");
                put_family(w, m, c + off, c + off + 2)?;
                out!(w, ", Count: {}", u8_at(m, c + off + 3)?);
            }
        }
        64 => {
            if len < 2 {
                w.extend_from_slice(b" (too short, < 2)");
                return Ok(false);
            }
            let flags = u8_at(m, c)?;
            out!(
                w,
                "\n\t\tRestart Flags: [{}], Restart Time {}s",
                if flags & 0x80 != 0 { "R" } else { "none" },
                u16_at(m, c)? & 0xfff
            );
            for off in (0..(len - 2) / 4).map(|k| 2 + 4 * k) {
                let (afi, safi) = (u16_at(m, c + off)?, u8_at(m, c + off + 2)?);
                let kept = u8_at(m, c + off + 3)? & 0x80 != 0;
                out!(
                    w,
                    "\n\t\t  AFI {} ({afi}), SAFI {} ({safi}), Forwarding state preserved: {}",
                    names::afi(afi, "Unknown"),
                    name(SAFIS, safi, "Unknown"),
                    if kept { "yes" } else { "no" }
                );
            }
        }
        2 | 71 | 128 => {}
        65 => {
            if len < 4 {
                w.extend_from_slice(b" (too short, < 4)");
                return Ok(false);
            }
            out!(w, "\n\t\t 4 Byte AS {}", u32_at(m, c)?);
        }
        69 => {
            if len == 0 {
                w.extend_from_slice(b" (bogus)");
            }
            let mut off = 0;
            while off < len {
                if len - off < 4 {
                    w.extend_from_slice(b" (invalid)");
                    break;
                }
                w.extend_from_slice(b"\n\t\t");
                put_family(w, m, c + off, c + off + 2)?;
                let sr = u8_at(m, c + off + 3)?;
                match names::name_opt(names::SEND_RECEIVE, sr) {
                    Some(s) => out!(w, ", Send/Receive: {s}"),
                    None => out!(w, ", Send/Receive: Bogus (0x{sr:02x})"),
                }
                off += 4;
            }
        }
        _ => {
            out!(w, "\n\t\tno decoder for Capability {code}");
            if v <= 1 {
                dump(w, m, c, len, b"\n\t\t")?;
            }
        }
    }
    Ok(true)
}

/// Version, AS, hold time, identifier and the capability codes.
pub(super) fn json(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("version".into(), json!(u8_at(m, 19)?));
    o.insert("my_as".into(), json!(u16_at(m, 20)?));
    o.insert("hold_time".into(), json!(u16_at(m, 22)?));
    o.insert("bgp_id".into(), json!(ipv4_at(m, 24)?.to_string()));
    let opts_len = usize::from(u8_at(m, 28)?);
    let mut caps = Vec::new();
    let mut i = 0;
    let read = (|| {
        while i < opts_len {
            let (kind, len) = (u8_at(m, SIZE + i)?, usize::from(u8_at(m, SIZE + i + 1)?));
            let mut j = 0;
            while kind == 2 && j < len {
                let at = SIZE + i + 2 + j;
                caps.push(Value::from(u8_at(m, at)?));
                j += 2 + usize::from(u8_at(m, at + 1)?);
            }
            i += 2 + len;
        }
        Ok(())
    })();
    o.insert("capabilities".into(), Value::Array(caps));
    read
}
