//! The overlays carried in UDP: VXLAN (RFC 7348, port 4789), `VXLAN, flags
//! [I] (0x08), vni 42` and the Ethernet frame on the next line; Cisco's OTV
//! (draft-hasmit-otv, port 8472), the same shape: `OTV, flags [I] (0x08),
//! overlay 0, instance 42` and the frame on the next line; Geneve
//! (RFC 8926, port 6081), `Geneve, Flags [none], vni 0x2a` with its
//! options counted (named under `-v`), then what its protocol type names.

use super::super::put_num;
use super::super::wire::{Res, u8_at, u16_at, u24_at, u32_at};
use super::{Kind, Level, Printed, Tunnel, by_ethertype, demarc, put_hex, put_proto};
use crate::dissect::{Payload, Truncated};
use serde_json::{Value, json};

pub static VXLAN: Tunnel = Tunnel::new("vxlan", vxlan_line, vxlan_json);

pub static OTV: Tunnel = Tunnel::new("otv", otv_line, otv_json);

pub static GENEVE: Tunnel = Tunnel::new("geneve", geneve_line, geneve_json).returning_when_cut();

const VXLAN_LEN: usize = 8;

fn vxlan_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, _level: Level) -> Res<Printed<'a>> {
    let m = p.bytes;
    w.extend_from_slice(b"VXLAN");
    // Shorter than its header by what UDP handed over (not by the
    // capture): tcpdump calls it invalid.
    if p.declared_len < VXLAN_LEN {
        w.extend_from_slice(b" (invalid)");
        return Ok(Printed::done());
    }
    let flags = u8_at(m, 0)?;
    w.extend_from_slice(b", flags [");
    w.extend_from_slice(if flags & 0x08 != 0 { b"I" } else { b"invalid" });
    w.extend_from_slice(b"] (0x");
    w.extend_from_slice(format!("{flags:02x}").as_bytes());
    w.extend_from_slice(b"), ");
    let vni = u32_at(&[m.get(4..7).ok_or(Truncated)?, &[0]].concat(), 0)? >> 8;
    w.extend_from_slice(b"vni ");
    put_num(w, vni);
    w.push(b'\n');
    if m.len() < VXLAN_LEN {
        return Err(Truncated);
    }
    let rest = m.get(VXLAN_LEN..).unwrap_or(&[]);
    Ok(Printed::then(
        Kind::Ethernet,
        rest,
        p.declared_len.saturating_sub(VXLAN_LEN),
    ))
}

fn vxlan_json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    match (u8_at(m, 0), u32_at(m, 4)) {
        (Ok(flags), Ok(vni)) => json!({"flags": flags, "vni": vni >> 8, "complete": true}),
        _ => json!({"complete": false}),
    }
}

/// OTV's header: flags, the 24-bit overlay id, the 24-bit instance id, a
/// reserved byte.
const OTV_LEN: usize = 8;

/// tcpdump reads the flags, the overlay and the instance unchecked, then
/// checks the reserved byte: a cut anywhere in the header is ` [|otv]`
/// after what was printed (the instance's line end included).
fn otv_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, _level: Level) -> Res<Printed<'a>> {
    let m = p.bytes;
    w.extend_from_slice(b"OTV, ");
    if p.declared_len < OTV_LEN {
        w.extend_from_slice(b"[length ");
        put_num(w, p.declared_len);
        w.extend_from_slice(b" < 8] (invalid)");
        // tcpdump then checks that the short datagram was captured whole.
        return if m.len() < p.declared_len {
            Err(Truncated)
        } else {
            Ok(Printed::done())
        };
    }
    let flags = u8_at(m, 0)?;
    w.extend_from_slice(if flags & 0x08 != 0 {
        b"flags [I] (0x"
    } else {
        b"flags [.] (0x"
    });
    w.extend_from_slice(format!("{flags:02x}), ").as_bytes());
    let overlay = u24_at(m, 1)?;
    w.extend_from_slice(b"overlay ");
    put_num(w, overlay);
    w.extend_from_slice(b", ");
    let instance = u24_at(m, 4)?;
    w.extend_from_slice(b"instance ");
    put_num(w, instance);
    w.push(b'\n');
    u8_at(m, 7)?;
    let rest = m.get(OTV_LEN..).unwrap_or(&[]);
    Ok(Printed::then(
        Kind::Ethernet,
        rest,
        p.declared_len - OTV_LEN,
    ))
}

fn otv_json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    match (u8_at(m, 0), u24_at(m, 1), u24_at(m, 4), u8_at(m, 7)) {
        (Ok(flags), Ok(overlay), Ok(instance), Ok(_)) => json!({
            "flags": flags,
            "overlay": overlay,
            "instance": instance,
            "complete": p.declared_len >= OTV_LEN,
        }),
        _ => json!({"complete": false}),
    }
}

/// Geneve's fixed header.
const GENEVE_LEN: usize = 8;

fn geneve_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    let verbose = level.verbose;
    let m = p.bytes;
    w.extend_from_slice(b"Geneve");
    if p.declared_len < GENEVE_LEN {
        w.extend_from_slice(b" [length ");
        put_num(w, p.declared_len);
        w.extend_from_slice(b" < 8] (invalid)");
        return Ok(Printed::done());
    }
    if m.len() < GENEVE_LEN {
        return Err(Truncated);
    }
    let first = u8_at(m, 0)?;
    let version = first >> 6;
    if version != 0 {
        w.extend_from_slice(b" ERROR: unknown-version ");
        put_num(w, version);
        return Ok(Printed::done());
    }
    let flags = u8_at(m, 1)?;
    let proto = u16_at(m, 2)?;
    let word = u32_at(m, 4)?;
    let (vni, reserved) = (word >> 8, word & 0xff);
    w.extend_from_slice(b", Flags [");
    let mut any = false;
    let names: [(u8, &[u8]); 8] = [
        (0x80, b"O"),
        (0x40, b"C"),
        (0x20, b"R1"),
        (0x10, b"R2"),
        (0x08, b"R3"),
        (0x04, b"R4"),
        (0x02, b"R5"),
        (0x01, b"R6"),
    ];
    for (bit, name) in names {
        if flags & bit != 0 {
            w.extend_from_slice(name);
            any = true;
        }
    }
    if !any {
        w.extend_from_slice(b"none");
    }
    w.extend_from_slice(b"], vni 0x");
    put_hex(w, vni);
    if reserved != 0 {
        w.extend_from_slice(b", rsvd 0x");
        put_hex(w, reserved);
    }
    put_proto(w, level, proto);
    let opts_len = usize::from(first & 0x3f) * 4;
    let left = p.declared_len.saturating_sub(GENEVE_LEN);
    if left < opts_len {
        w.extend_from_slice(b" truncated-geneve - ");
        put_num(w, opts_len - left);
        w.extend_from_slice(b" bytes missing");
        return Ok(Printed::done());
    }
    let opts = m.get(GENEVE_LEN..GENEVE_LEN + opts_len).ok_or(Truncated)?;
    if opts_len > 0 {
        w.extend_from_slice(b", options [");
        if verbose > 0 {
            write_options(w, opts, verbose);
        } else {
            put_num(w, opts_len);
            w.extend_from_slice(b" bytes");
        }
        w.push(b']');
    }
    demarc(w, verbose);
    let at = GENEVE_LEN + opts_len;
    let rest = m.get(at..).unwrap_or(&[]);
    match by_ethertype(proto) {
        Some(kind) => Ok(Printed::then(kind, rest, left - opts_len)),
        None => {
            w.extend_from_slice(b"geneve-proto-0x");
            put_hex(w, u32::from(proto));
            Ok(Printed::done())
        }
    }
}

/// tcpdump's names of the option classes.
fn class_name(class: u16) -> &'static str {
    match class {
        0x0100 => "Linux",
        0x0101 => "Open vSwitch (OVS)",
        0x0102 => "Open Virtual Networking (OVN)",
        0x0103 => "In-band Network Telemetry (INT)",
        0x0104 => "VMware",
        0..=0x00ff => "Standard",
        0xfff0..=0xffff => "Experimental",
        _ => "Unknown",
    }
}

/// `class NAME (0x…) type 0x…(C) len N`, `, `-separated; the data words at
/// `-vv`. The options are all captured (the caller checked).
fn write_options(w: &mut Vec<u8>, opts: &[u8], verbose: u8) {
    let mut at = 0;
    while at < opts.len() {
        let (Ok(class), Ok(kind), Ok(len)) =
            (u16_at(opts, at), u8_at(opts, at + 2), u8_at(opts, at + 3))
        else {
            return;
        };
        let len = 4 + usize::from(len & 0x1f) * 4;
        if at > 0 {
            w.extend_from_slice(b", ");
        }
        w.extend_from_slice(b"class ");
        w.extend_from_slice(class_name(class).as_bytes());
        w.extend_from_slice(b" (0x");
        put_hex(w, u32::from(class));
        w.extend_from_slice(b") type 0x");
        put_hex(w, u32::from(kind));
        if kind & 0x80 != 0 {
            w.extend_from_slice(b"(C)");
        }
        w.extend_from_slice(b" len ");
        put_num(w, len);
        if len > opts.len() - at {
            w.extend_from_slice(b" [bad length]");
            return;
        }
        if verbose > 1 && len > 4 {
            w.extend_from_slice(b" data");
            let mut d = at + 4;
            while d < at + len {
                let Ok(word) = u32_at(opts, d) else { return };
                w.extend_from_slice(format!(" {word:08x}").as_bytes());
                d += 4;
            }
        }
        at += len;
    }
}

fn geneve_json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    let (Ok(first), Ok(flags), Ok(proto), Ok(word)) =
        (u8_at(m, 0), u8_at(m, 1), u16_at(m, 2), u32_at(m, 4))
    else {
        return json!({"complete": false});
    };
    json!({
        "version": first >> 6,
        "options_len": usize::from(first & 0x3f) * 4,
        "flags": flags,
        "proto": proto,
        "vni": word >> 8,
        "complete": m.len() >= GENEVE_LEN + usize::from(first & 0x3f) * 4,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(t: &Tunnel, m: &[u8], verbose: u8) -> String {
        super::super::printed(t, m, verbose)
    }

    #[test]
    fn test_vxlan() {
        let m = [8, 0, 0, 0, 0, 0, 42, 0];
        assert_eq!(print(&VXLAN, &m, 0), "VXLAN, flags [I] (0x08), vni 42\n");
        // Cut by the capture: as far as captured, then tcpdump's mark.
        let cut = |keep: usize| super::super::printed_cut(&VXLAN, &m[..keep], 8, 0);
        assert_eq!(cut(7), "VXLAN, flags [I] (0x08), vni 42\n [|vxlan]");
        assert_eq!(cut(0), "VXLAN [|vxlan]");
        // Cut by UDP's length: invalid.
        assert_eq!(print(&VXLAN, &m[..7], 0), "VXLAN (invalid)");
    }

    #[test]
    fn test_otv() {
        let m = [8, 0, 0, 1, 0, 0, 42, 0];
        assert_eq!(
            print(&OTV, &m, 0),
            "OTV, flags [I] (0x08), overlay 1, instance 42\n"
        );
        let cut = |keep: usize| super::super::printed_cut(&OTV, &m[..keep], 8, 0);
        assert_eq!(cut(1), "OTV, flags [I] (0x08),  [|otv]");
        assert_eq!(cut(5), "OTV, flags [I] (0x08), overlay 1,  [|otv]");
        assert_eq!(
            cut(7),
            "OTV, flags [I] (0x08), overlay 1, instance 42\n [|otv]"
        );
        assert_eq!(print(&OTV, &m[..7], 0), "OTV, [length 7 < 8] (invalid)");
        assert_eq!(
            super::super::printed_cut(&OTV, &m[..3], 7, 0),
            "OTV, [length 7 < 8] (invalid) [|otv]"
        );
    }

    #[test]
    fn test_malformed_short_length() {
        let m = [0u8; 6];
        assert_eq!(print(&GENEVE, &m, 0), "Geneve [length 6 < 8] (invalid)");
    }

    #[test]
    fn test_geneve_options() {
        let m = [2, 0x40, 0x65, 0x58, 0, 0, 42, 0, 1, 2, 0x80, 1, 1, 2, 3, 4];
        assert_eq!(
            print(&GENEVE, &m, 0),
            "Geneve, Flags [C], vni 0x2a, options [8 bytes]: "
        );
        assert_eq!(
            print(&GENEVE, &m, 2),
            "Geneve, Flags [C], vni 0x2a, options [class Open Virtual Networking (OVN) (0x102) type 0x80(C) len 8 data 01020304]\n\t"
        );
        assert_eq!(
            super::super::printed_cut(&GENEVE, &m[..6], 16, 0),
            "Geneve [|geneve]"
        );
    }
}
