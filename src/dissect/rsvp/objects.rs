//! RSVP's objects as tcpdump's `rsvp_obj_print` prints them at `-v`: a
//! header line each (`Session Object (1) Flags: [reject if unknown],
//! Class-Type: IPv4 (1), length: 12`), then the body of the ones it
//! decodes — SESSION (IPv4, IPv6, tunnels), RSVP_HOP, INTEGRITY,
//! TIME_VALUES, ERROR_SPEC, STYLE, FILTER_SPEC, SENDER_TEMPLATE, CONFIRM,
//! the labels, HELLO, MESSAGE_ID (ack, list), CLASSTYPE,
//! RESTART_CAPABILITY, NOTIFY_REQUEST, SESSION_ATTRIBUTE, the IntServ
//! specs (`intserv.rs`), ERO and RRO (`route.rs`), GMPLS's LABEL_REQUEST,
//! LABEL_SET, ADMIN_STATUS and GENERALIZED_UNI (`gmpls.rs`), FAST_REROUTE,
//! DETOUR, S2L_SUB_LSP, CAPABILITY and PROPERTIES (`te.rs`) — and the
//! others' bytes in hex; `-vv` each object's bytes in hex too.

use super::names::{
    CLASSES, CTYPES, DIFFSERV_TE_ERRORS, ERROR_CODES, INTEGRITY_FLAGS, ROUTING_ERRORS,
    SESSION_FLAGS, STYLES,
};
use super::{gmpls, intserv, route, te};
use crate::dissect::ctl::{ipv4_at, out, put_bits, tok, unknown_data};
use crate::dissect::dns::text::{put_char, put_ipv6};
use crate::dissect::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};

/// The objects in the `tlen` bytes from `at`; `false` where tcpdump gave
/// up on the message with an `ERROR:` (a Bundle stops there too).
pub(super) fn print(
    w: &mut Vec<u8>,
    m: &[u8],
    mut at: usize,
    mut tlen: usize,
    i: &str,
    v: u8,
) -> Res<bool> {
    while tlen >= 4 {
        let olen = usize::from(u16_at(m, at)?);
        let ctype = u8_at(m, at + 3)?;
        if olen % 4 != 0 {
            out!(w, "{i}ERROR: object header size {olen} not a multiple of 4");
            return Ok(false);
        }
        if olen < 4 {
            out!(w, "{i}ERROR: object header too short {olen} < 4");
            return Ok(false);
        }
        let class = u8_at(m, at + 2)?;
        let action = match class & 0xc0 {
            0xc0 => "ignore and forward",
            0x80 => "ignore silently",
            _ => "reject",
        };
        out!(
            w,
            "{i}{} Object ({class}) Flags: [{action} if unknown], Class-Type: {} ({ctype}), length: {olen}",
            tok(CLASSES, class).unwrap_or("Unknown"),
            tok(CTYPES, (class, ctype)).unwrap_or("Unknown")
        );
        if tlen < olen {
            out!(w, "{i}ERROR: object goes past end of objects TLV");
            return Ok(false);
        }
        need(m, at, olen)?;
        let hexdump = match body(w, m, at + 4, olen - 4, class, ctype, i, v)? {
            Body::Hex(hexdump) => hexdump,
            Body::TooShort => {
                out!(w, "{i}ERROR: object is too short");
                return Ok(false);
            }
            Body::Invalid => return Ok(false),
            Body::Error(what) => {
                out!(w, "{i}ERROR: {what}");
                return Ok(false);
            }
        };
        if v > 1 || hexdump {
            unknown_data(w, m, at + 4, "\n\t    ", olen - 4);
        }
        at += olen;
        tlen -= olen;
    }
    Ok(true)
}

/// An IPv4 address's text.
pub(super) fn v4(m: &[u8], at: usize) -> Res<String> {
    Ok(ipv4_at(m, at)?.to_string())
}

/// An IPv6 address's text.
pub(super) fn v6(m: &[u8], at: usize) -> Res<String> {
    let mut t = Vec::new();
    put_ipv6(&mut t, &bytes_at::<16>(m, at)?);
    Ok(String::from_utf8_lossy(&t).into_owned())
}

/// A 24-bit big-endian number.
fn u24_at(m: &[u8], at: usize) -> Res<u32> {
    Ok(u32_at(m, at)? & 0x00ff_ffff)
}

/// What printing an object's body came to.
pub(super) enum Body {
    /// Printed; whether its bytes follow in hex anyway.
    Hex(bool),
    /// Too short for its class-type: tcpdump's `ERROR: object is too
    /// short` ends the message.
    TooShort,
    /// tcpdump said ` (invalid)` and gave up on the message.
    Invalid,
    /// tcpdump's `ERROR:` line with this text ended the message.
    Error(&'static str),
}

/// One object's body (`n` bytes from `p`, all captured).
#[allow(clippy::too_many_arguments)]
fn body(
    w: &mut Vec<u8>,
    m: &[u8],
    p: usize,
    n: usize,
    class: u8,
    ctype: u8,
    i: &str,
    v: u8,
) -> Res<Body> {
    // `short(k)`: the object holds fewer than `k` bytes.
    let short = |k: usize| n < k;
    let done = Ok(Body::Hex(false));
    match (class, ctype) {
        (1, 1) | (1, 2) => {
            let size = if ctype == 1 { 4 } else { 16 };
            if short(size + 4) {
                return Ok(Body::TooShort);
            }
            let addr = if ctype == 1 { v4(m, p)? } else { v6(m, p)? };
            let family = if ctype == 1 { "IPv4" } else { "IPv6" };
            out!(
                w,
                "{i}  {family} DestAddress: {addr}, Protocol ID: 0x{:02x}{i}  Flags: [0x{:02x}], DestPort {}",
                u8_at(m, p + size)?,
                u8_at(m, p + size + 1)?,
                u16_at(m, p + size + 2)?
            );
            done
        }
        (1, 8) => {
            if short(36) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  IPv6 Tunnel EndPoint: {}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {}",
                v6(m, p)?,
                u16_at(m, p + 18)?,
                v6(m, p + 20)?
            );
            done
        }
        (1, 7) | (1, 11) | (1, 13) => {
            if short(12) {
                return Ok(Body::TooShort);
            }
            let what = if ctype == 13 {
                "IPv4 P2MP LSP ID"
            } else {
                "IPv4 Tunnel EndPoint"
            };
            out!(
                w,
                "{i}  {what}: {}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {}",
                v4(m, p)?,
                u16_at(m, p + 6)?,
                v4(m, p + 8)?
            );
            done
        }
        (1, 14) => {
            if short(26) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  IPv6 P2MP LSP ID: 0x{:08x}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {}",
                u32_at(m, p)?,
                u16_at(m, p + 6)?,
                v6(m, p + 8)?
            );
            done
        }
        (15, 1 | 2) | (195, 1 | 2) => {
            let what = if class == 15 {
                "Receiver"
            } else {
                "Notify Node"
            };
            let (size, family, addr) = if ctype == 1 {
                (4, "IPv4", v4(m, p))
            } else {
                (16, "IPv6", v6(m, p))
            };
            if short(size) {
                return Ok(Body::TooShort);
            }
            out!(w, "{i}  {family} {what} Address: {}", addr?);
            done
        }
        (16 | 129 | 35 | 34, 1) => {
            for k in 0..n / 4 {
                out!(w, "{i}  Label: {}", u32_at(m, p + 4 * k)?);
            }
            done
        }
        (16 | 129 | 35 | 34, 2) => {
            if short(4) {
                return Ok(Body::TooShort);
            }
            out!(w, "{i}  Generalized Label: {}", u32_at(m, p)?);
            done
        }
        (16 | 129 | 35 | 34, 3) => {
            if short(12) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Waveband ID: {}{i}  Start Label: {}, Stop Label: {}",
                u32_at(m, p)?,
                u32_at(m, p + 4)?,
                u32_at(m, p + 8)?
            );
            done
        }
        (8, 1) => {
            if short(4) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Reservation Style: {}, Flags: [0x{:02x}]",
                tok(STYLES, u24_at(m, p)?).unwrap_or("Unknown"),
                u8_at(m, p)?
            );
            done
        }
        (11 | 10, 1) => {
            if short(8) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Source Address: {}, Source Port: {}",
                v4(m, p)?,
                u16_at(m, p + 6)?
            );
            done
        }
        (11 | 10, 2) => {
            if short(20) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Source Address: {}, Source Port: {}",
                v6(m, p)?,
                u16_at(m, p + 18)?
            );
            done
        }
        (10, 3) => {
            if short(20) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Source Address: {}, Flow Label: {}",
                v6(m, p)?,
                u24_at(m, p + 16)?
            );
            done
        }
        (10, 8) => {
            if short(20) {
                return Ok(Body::TooShort);
            }
            // tcpdump reads an IPv4 address at the start of this IPv6 one.
            out!(
                w,
                "{i}  Source Address: {}, LSP-ID: 0x{:04x}",
                v4(m, p)?,
                u16_at(m, p + 18)?
            );
            done
        }
        (11, 7) | (10, 7) => {
            if short(8) {
                return Ok(Body::TooShort);
            }
            let what = if class == 11 {
                "IPv4 Tunnel Sender Address"
            } else {
                "Source Address"
            };
            out!(
                w,
                "{i}  {what}: {}, LSP-ID: 0x{:04x}",
                v4(m, p)?,
                u16_at(m, p + 6)?
            );
            done
        }
        (11 | 10, 12) => {
            if short(16) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  IPv4 Tunnel Sender Address: {}, LSP ID: 0x{:04x}{i}  Sub-Group Originator ID: {}, Sub-Group ID: 0x{:04x}",
                v4(m, p)?,
                u16_at(m, p + 6)?,
                v4(m, p + 8)?,
                u16_at(m, p + 12)?
            );
            done
        }
        (11 | 10, 13) => {
            if short(40) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  IPv6 Tunnel Sender Address: {}, LSP ID: 0x{:04x}{i}  Sub-Group Originator ID: {}, Sub-Group ID: 0x{:04x}",
                v6(m, p)?,
                u16_at(m, p + 18)?,
                v6(m, p + 20)?,
                u16_at(m, p + 38)?
            );
            done
        }
        (19, _) => gmpls::label_request(w, m, p, n, ctype, i),
        (36, 1) => gmpls::label_set(w, m, p, n, i),
        (196, 1) => gmpls::admin_status(w, m, p, n, i),
        (229, 1) => gmpls::generalized_uni(w, m, p, n, i),
        (205, _) => te::fast_reroute(w, m, p, n, ctype, i),
        (50, _) => te::s2l(w, m, p, n, ctype, i),
        (134, 1) => te::capability(w, m, p, n, i),
        (204, 1) => te::properties(w, m, p, n, i),
        (4, 1) => integrity(w, m, p, n, i),
        (22, 1 | 2) => {
            if short(8) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Source Instance: 0x{:08x}, Destination Instance: 0x{:08x}",
                u32_at(m, p)?,
                u32_at(m, p + 4)?
            );
            done
        }
        (131, 1) => {
            if short(8) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Restart  Time: {}ms, Recovery Time: {}ms",
                u32_at(m, p)?,
                u32_at(m, p + 4)?
            );
            done
        }
        (207, 7) => {
            if short(4) {
                return Ok(Body::TooShort);
            }
            let name_len = usize::from(u8_at(m, p + 3)?);
            if short(4 + name_len) {
                return Ok(Body::TooShort);
            }
            out!(w, "{i}  Session Name: ");
            for k in 0..name_len {
                put_char(w, u8_at(m, p + 4 + k)?);
            }
            let flags = u8_at(m, p + 2)?;
            out!(
                w,
                "{i}  Setup Priority: {}, Holding Priority: {}, Flags: [",
                u8_at(m, p)?,
                u8_at(m, p + 1)?
            );
            put_bits(w, SESSION_FLAGS, u32::from(flags), "none");
            if flags == 0 {
                w.extend_from_slice(b"] (0)");
            } else {
                out!(w, "] (0x{flags:x})");
            }
            done
        }
        (3, 1 | 3) => {
            if short(8) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Previous/Next Interface: {}, Logical Interface Handle: 0x{:08x}",
                v4(m, p)?,
                u32_at(m, p + 4)?
            );
            Ok(Body::Hex(n > 8))
        }
        (3, 2 | 4) => {
            if short(20) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Previous/Next Interface: {}, Logical Interface Handle: 0x{:08x}",
                v6(m, p)?,
                u32_at(m, p + 16)?
            );
            Ok(Body::Hex(true))
        }
        // SENDER_TSPEC, ADSPEC and FLOWSPEC share IntServ's body.
        (12 | 13 | 9, 2) => {
            if short(4) {
                return Ok(Body::TooShort);
            }
            intserv::print(w, m, p, n, i, v)?;
            done
        }
        (20 | 21, 1) => {
            if route::print(w, m, p, n, i)? {
                done
            } else {
                Ok(Body::Invalid)
            }
        }
        (5, 1) => {
            if short(4) {
                return Ok(Body::TooShort);
            }
            out!(w, "{i}  Refresh Period: {}ms", u32_at(m, p)?);
            done
        }
        (63, 7) => te::detour(w, m, p, n, i),
        (66 | 125, 1) => {
            if short(4) {
                return Ok(Body::TooShort);
            }
            out!(w, "{i}  CT: {}", u32_at(m, p)? & 0x7);
            done
        }
        (6, 1 | 3) | (6, 2 | 4) => {
            let v4_node = matches!(ctype, 1 | 3);
            let size = if v4_node { 4 } else { 16 };
            if short(size + 4) {
                return Ok(Body::TooShort);
            }
            let (code, value) = (u8_at(m, p + size + 1)?, u16_at(m, p + size + 2)?);
            let addr = if v4_node { v4(m, p)? } else { v6(m, p)? };
            out!(
                w,
                "{i}  Error Node Address: {addr}, Flags: [0x{:02x}]{i}  Error Code: {} ({code})",
                u8_at(m, p + size)?,
                tok(ERROR_CODES, code).unwrap_or("unknown")
            );
            let table = match code {
                24 => Some(ROUTING_ERRORS),
                28 | 125 if v4_node => Some(DIFFSERV_TE_ERRORS),
                _ => None,
            };
            match table {
                Some(t) => out!(
                    w,
                    ", Error Value: {} ({value})",
                    tok(t, value).unwrap_or("unknown")
                ),
                None if v4_node => out!(w, ", Unknown Error Value ({value})"),
                None => {}
            }
            done
        }
        (23..=25, 1 | 2) => {
            if short(4) {
                return Ok(Body::TooShort);
            }
            out!(
                w,
                "{i}  Flags [0x{:02x}], epoch: {}",
                u8_at(m, p)?,
                u24_at(m, p)?
            );
            for k in 1..n / 4 {
                let id = u32_at(m, p + 4 * k)?;
                out!(w, "{i}    Message-ID 0x{id:08x} ({id})");
            }
            done
        }
        // Classes tcpdump decodes whose other class-types it dumps.
        (1 | 3..=6 | 8..=13 | 15 | 16 | 20..=25 | 34..=36 | 63 | 66, _)
        | (125 | 129 | 131 | 134 | 195 | 196 | 204 | 207 | 229, _) => Ok(Body::Hex(true)),
        _ => {
            if v <= 1 {
                unknown_data(w, m, p, "\n\t    ", n);
            }
            done
        }
    }
}

/// INTEGRITY at class-type 1 (RFC 2747): key id, sequence number and
/// flags, then the digest, which tcpdump checks only with a secret
/// (`-M`) and otherwise calls `unchecked`.
fn integrity(w: &mut Vec<u8>, m: &[u8], p: usize, n: usize, i: &str) -> Res<Body> {
    if n < 32 {
        return Ok(Body::TooShort);
    }
    out!(
        w,
        "{i}  Key-ID 0x{:04x}{:08x}, Sequence 0x{:08x}{:08x}, Flags [",
        u16_at(m, p + 2)?,
        u32_at(m, p + 4)?,
        u32_at(m, p + 8)?,
        u32_at(m, p + 12)?
    );
    put_bits(w, INTEGRITY_FLAGS, u32::from(u8_at(m, p)?), "none");
    out!(w, "]{i}  MD5-sum 0x");
    for k in 0..4 {
        out!(w, "{:08x}", u32_at(m, p + 16 + 4 * k)?);
    }
    w.extend_from_slice(b"  (unchecked)");
    Ok(Body::Hex(false))
}
