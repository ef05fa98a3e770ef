//! What a PPP frame carries, by its protocol field, wherever the frame
//! came from (PPP's own link types, Frame Relay, PPPoE, L2TP, GRE): IP
//! and IPv6 (also under their EtherTypes and as Van Jacobson's
//! uncompressed TCP/IP), MPLS, OSI, IPX, the control protocols, a
//! multilink fragment's header (`MLPPP, seq 0x001, Flags [begin],
//! length 48`), compressed data, and the name and bytes in hex of the
//! rest. tcpdump's `handle_ppp` is the spec, down to one oddity: a
//! protocol of 0x7e… is a frame whose HDLC framing was never undone
//! (0x7e is HDLC's flag), which it un-escapes and reads again, guessing
//! its header ([`PPP_UNESCAPED`]).

use super::super::ctl::{out, put_bits};
use super::super::put_num;
use super::super::wire::{Res, u8_at, u16_at};
use super::ppp::write_control;
use super::{Kind, Level, Printed, Tunnel, mpls};
use crate::dissect::Payload;
use serde_json::{Value, json};

/// The bytes after a 0x7e… protocol, un-escaped ([`Kind::Escaped`]):
/// one byte naming IP or IPv6, else an address and control then a
/// two-byte protocol, else a two-byte protocol. Its checks are on the
/// un-escaped bytes' length: it returns, never jumps, and its mark is
/// the PPP printer's that found the 0x7e.
pub static PPP_UNESCAPED: Tunnel =
    Tunnel::new("ppp", unescaped_line, unescaped_json).returning_when_cut();

/// The same inside a frame of PPP in HDLC framing (link type 50).
pub static PPP_HDLC_UNESCAPED: Tunnel =
    Tunnel::new("ppp_hdlc", unescaped_line, unescaped_json).returning_when_cut();

/// The line of what a PPP frame of protocol `proto` carries from `at` in
/// `frame` (after the protocol field), `wire_len` bytes on the wire.
/// `escapes`: the printer of a 0x7e… frame's un-escaped bytes (`None`:
/// these are such bytes, and tcpdump does not un-escape twice).
pub(super) fn write_body<'a>(
    w: &mut Vec<u8>,
    proto: u16,
    (frame, at): (&'a [u8], usize),
    wire_len: usize,
    (level, escapes): (Level, Option<&'static Tunnel>),
) -> Res<Printed<'a>> {
    let rest = frame.get(at..).unwrap_or(&[]);
    let kind = match proto {
        0x21 | 0x2f | 0x0800 => Kind::Ip,
        0x57 | 0x86dd => Kind::Ip6,
        0x0281 | 0x0283 => Kind::Encap(&mpls::MPLS),
        0x23 => Kind::Osi,
        0x2b | 0x8137 => {
            // The IPX printer names itself only without `-e`.
            if !level.eflag {
                w.extend_from_slice(b"IPX ");
            }
            Kind::Dissected(&crate::dissect::ipx::IPX)
        }
        0xfd => {
            w.extend_from_slice(b"compressed PPP data");
            return Ok(Printed::done());
        }
        0x3d => {
            multilink(w, rest, wire_len, level.eflag)?;
            return Ok(Printed::done());
        }
        // BAP: tcpdump's printer is an empty stub.
        0xc02d => return Ok(Printed::done()),
        0x7e00..=0x7eff if escapes.is_none() => {
            out!(w, "(protocol 0x{proto:04x} invalid)");
            return Ok(Printed::done());
        }
        0x7e00..=0x7eff if let Some(t) = escapes => {
            // Read again from the protocol's second byte, as far as it
            // was captured; nothing at all of a frame that ends there.
            if wire_len == 0 {
                return Ok(Printed::done());
            }
            let from = frame.get(at.saturating_sub(1)..).unwrap_or(&[]);
            return Ok(Printed::then(Kind::Escaped(t), from, from.len()));
        }
        _ if let Some(done) = write_control(w, proto, (frame, at), wire_len, level.verbose) => {
            done?;
            return Ok(Printed::done());
        }
        _ => {
            match type_name(proto) {
                Some(name) => w.extend_from_slice(name.as_bytes()),
                None => out!(w, "unknown PPP protocol (0x{proto:04x})"),
            }
            w.push(b' ');
            Kind::Hex {
                ascii: false,
                cut_mark: "",
            }
        }
    };
    Ok(Printed::then(kind, rest, wire_len))
}

/// RFC 1990's short sequence number header: `MLPPP, ` (without `-e`),
/// the 12-bit sequence number, the begin and end bits and the fragment's
/// length.
fn multilink(w: &mut Vec<u8>, m: &[u8], wire_len: usize, eflag: bool) -> Res<()> {
    if !eflag {
        w.extend_from_slice(b"MLPPP, ");
    }
    // Too short on the wire or cut by the capture: the same mark.
    let Ok(header) = u16_at(m, 0) else {
        w.extend_from_slice(b"[|mlppp]");
        return Ok(());
    };
    if wire_len < 2 {
        w.extend_from_slice(b"[|mlppp]");
        return Ok(());
    }
    out!(w, "seq 0x{:03x}, Flags [", header & 0x0fff);
    put_bits(
        w,
        &[(0x80, "begin"), (0x40, "end")],
        u32::from(header >> 8) & 0xc0,
        "none",
    );
    w.extend_from_slice(b"], length ");
    put_num(w, wire_len);
    Ok(())
}

/// HDLC's transparency undone (tcpdump's `ppp_hdlc`): `0x7d` and the
/// next byte XOR 0x20 stand for that byte; a `0x7d` at the very end is
/// dropped.
pub fn hdlc_unescape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut it = bytes.iter();
    while let Some(&b) = it.next() {
        if b == 0x7d {
            match it.next() {
                Some(&next) => out.push(next ^ 0x20),
                None => break,
            }
        } else {
            out.push(b);
        }
    }
    out
}

fn unescaped_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    let b = p.bytes;
    let len = b.len();
    let rest = |at: usize| b.get(at..).unwrap_or(&[]);
    match u8_at(b, 0)? {
        0x21 => return Ok(Printed::then(Kind::Ip, rest(1), len - 1)),
        0x57 => return Ok(Printed::then(Kind::Ip6, rest(1), len - 1)),
        _ => {}
    }
    let (proto, at) = match u16_at(b, 0)? {
        0xff03 => (u16_at(b, 2)?, 4),
        proto => (proto, 2),
    };
    write_body(w, proto, (b, at), len - at, (level, None))
}

fn unescaped_json(p: &Payload<'_>) -> Value {
    json!({"unescaped_len": p.bytes.len()})
}

/// tcpdump's name of every PPP protocol it knows (`ppptype2str`): `-e`'s
/// `IP (0x0021)`, and the word before the bytes of one it does not decode.
pub(crate) fn type_name(proto: u16) -> Option<&'static str> {
    Some(match proto {
        0x21 => "IP",
        0x23 => "OSI",
        0x25 => "NS",
        0x27 => "DECNET",
        0x29 => "APPLE",
        0x2b => "IPX",
        0x2d => "VJC IP",
        0x2f => "VJNC IP",
        0x31 => "BRPDU",
        0x33 => "STII",
        0x35 => "VINES",
        0x3d => "MLPPP",
        0x57 => "IP6",
        0xfd => "Compressed",
        0x0201 => "HELLO",
        0x0231 => "LUXCOM",
        0x0233 => "SNS",
        0x0281 | 0x0283 => "MPLS",
        0x8021 => "IPCP",
        0x8023 => "OSICP",
        0x8025 => "NSCP",
        0x8027 => "DECNETCP",
        0x8029 => "APPLECP",
        0x802b => "IPXCP",
        0x8033 => "STIICP",
        0x8035 => "VINESCP",
        0x8057 => "IP6CP",
        0x80fd => "CCP",
        0x8281 => "MPLSCP",
        0xc021 => "LCP",
        0xc023 => "PAP",
        0xc025 => "LQM",
        0xc027 => "SPAP",
        0xc02b => "BACP",
        0xc02d => "BAP",
        0xc03d => "MLPPP-CP",
        0xc123 => "Old-SPAP",
        0xc223 => "CHAP",
        0xc227 => "EAP",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_hdlc_unescape() {
        assert_eq!(hdlc_unescape(&[0x7d, 0x5e, 0x21, 0x7d]), [0x7e, 0x21]);
        assert_eq!(hdlc_unescape(&[0x7d, 0x7d]), [0x5d]);
        assert!(hdlc_unescape(&[]).is_empty());
    }

    #[test]
    fn test_multilink_and_escapes() {
        let print = |m: &[u8]| super::super::printed(&PPP_UNESCAPED, m, 0);
        assert_eq!(
            print(&[0, 0x3d, 0xc0, 5]),
            "MLPPP, seq 0x005, Flags [begin, end], length 2"
        );
        assert_eq!(print(&[0, 0x3d, 0x80]), "MLPPP, [|mlppp]");
        assert_eq!(print(&[0xff, 3, 0x7e, 0x21]), "(protocol 0x7e21 invalid)");
        assert_eq!(print(&[0xff, 3]), " [|ppp]");
        assert_eq!(print(&[0, 0xfd, 1]), "compressed PPP data");
    }
}
