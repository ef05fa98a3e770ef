//! CDP, Cisco's discovery protocol (SNAP OUI 0x00000c, PID 0x2000), as
//! `tcpdump -n` prints it: `CDPv2, ttl: 180s, Device-ID 'sw1'`, every
//! other TLV in hex, `, length 366` on the default line (tcpdump's own
//! habit); at `-v` the checksum and each TLV by name with its value —
//! addresses (IPv4, IPv6, others raw), capabilities, the version string
//! one line each, prefixes, native VLAN, duplex, power, MTU, trust, the
//! physical location — and the malformed and too-short cases as tcpdump
//! words them.

use super::ctl::{Bit, invalid, ipv4_at, json_object, line_is_level_0, out, put_bits};
use super::dns::text::{put_char, put_hex_dump, put_ipv6};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static CDP: Dissector = Dissector::new("cdp", line, verbose, to_json, looks_like_cdp);

fn looks_like_cdp(m: &[u8]) -> bool {
    matches!(m.first(), Some(1 | 2))
}

const CAPABILITIES: &[Bit] = &[
    (0x01, "Router"),
    (0x02, "Transparent Bridge"),
    (0x04, "Source Route Bridge"),
    (0x08, "L2 Switch"),
    (0x10, "L3 capable"),
    (0x20, "IGMP snooping"),
    (0x40, "L1 capable"),
];

/// How a TLV's value prints.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Addresses,
    Capability,
    Version,
    Prefixes,
    Uint16,
    Duplex,
    Ata186,
    Power,
    Mtu,
    Uint8x,
    PhysLoc,
    /// Named, not decoded (and not dumped).
    Opaque,
}

/// tcpdump's table: name, printer, least and greatest value length.
fn tlv_info(t: u16) -> Option<(&'static str, Kind, usize, usize)> {
    use Kind::*;
    const ANY: usize = usize::MAX;
    Some(match t {
        0x01 => ("Device-ID", Text, 0, ANY),
        0x02 => ("Address", Addresses, 0, ANY),
        0x03 => ("Port-ID", Text, 0, ANY),
        0x04 => ("Capability", Capability, 4, 4),
        0x05 => ("Version String", Version, 0, ANY),
        0x06 => ("Platform", Text, 0, ANY),
        0x07 => ("Prefixes", Prefixes, 0, ANY),
        0x08 => ("Protocol-Hello option", Opaque, 0, ANY),
        0x09 => ("VTP Management Domain", Text, 0, ANY),
        0x0a => ("Native VLAN ID", Uint16, 2, 2),
        0x0b => ("Duplex", Duplex, 1, 1),
        0x0e => ("ATA-186 VoIP VLAN assignment", Ata186, 3, 3),
        0x0f => ("ATA-186 VoIP VLAN request", Ata186, 2, 3),
        0x10 => ("power consumption", Power, 1, 3),
        0x11 => ("MTU", Mtu, 4, 4),
        0x12 => ("AVVID trust bitmap", Uint8x, 1, 1),
        0x13 => ("AVVID untrusted ports CoS", Uint8x, 1, 1),
        0x14 => ("System Name", Text, 0, ANY),
        0x15 => ("System Object ID (not decoded)", Opaque, 0, ANY),
        0x16 => ("Management Addresses", Addresses, 4, ANY),
        0x17 => ("Physical Location", PhysLoc, 1, ANY),
        _ => return None,
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, orig_len) = (p.bytes, p.declared_len);
    if orig_len < 4 {
        out!(w, " (packet length {orig_len} < 4)");
        return invalid(w, m, 0, orig_len);
    }
    out!(w, "CDPv{}, ttl: {}s", u8_at(m, 0)?, u8_at(m, 1)?);
    let checksum = u16_at(m, 2)?;
    if v > 0 {
        out!(
            w,
            ", checksum: 0x{checksum:04x} (unverified), length {orig_len}"
        );
    }
    let mut at = 4;
    let mut left = orig_len - 4;
    while left > 0 {
        if left < 4 {
            out!(w, " (remaining packet length {left} < 4)");
            return invalid(w, m, at, left);
        }
        let t = u16_at(m, at)?;
        let len = usize::from(u16_at(m, at + 2)?);
        let info = tlv_info(t);
        let name = info.map_or("unknown field type", |(name, ..)| name);
        if len < 4 {
            if v > 0 {
                out!(
                    w,
                    "\n\t{name} (0x{t:02x}), TLV length: {len} byte{} (too short)",
                    plural(len)
                );
            } else {
                out!(w, ", {name} TLV length {len} too short");
            }
            return invalid(w, m, at, left);
        }
        if len > left {
            out!(w, " (TLV length {len} > {left})");
            return invalid(w, m, at, left);
        }
        at += 4;
        left -= 4;
        let len = len - 4;
        if v == 0 && t == 1 {
            w.extend_from_slice(b", Device-ID ");
        } else if v > 0 {
            out!(
                w,
                "\n\t{name} (0x{t:02x}), value length: {len} byte{}: ",
                plural(len)
            );
        }
        let mut covered = false;
        if let Some((_, kind, min, max)) = info {
            if (min > 0 && len < min) || len > max {
                w.extend_from_slice(b" (malformed TLV)");
            } else if v > 0 || t == 1 {
                value(w, m, at, len, kind)?;
                covered = true;
            }
        }
        if !covered {
            let value = m.get(at..at + len).ok_or(Truncated)?;
            put_hex_dump(w, value, b"\n\t  ");
        }
        at += len;
        left -= len;
    }
    if v == 0 {
        out!(w, ", length {orig_len}");
    }
    Ok(())
}

/// `nd_printn`: `n` bytes, escaped, or `Err` where the capture ends.
fn put_n(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    for i in 0..n {
        put_char(w, u8_at(m, at + i)?);
    }
    Ok(())
}

fn value(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize, kind: Kind) -> Res<()> {
    match kind {
        Kind::Text => {
            w.push(b'\'');
            put_n(w, m, at, len)?;
            w.push(b'\'');
        }
        Kind::Addresses => addresses(w, m, at, len)?,
        Kind::Capability => {
            let c = u32_at(m, at)?;
            out!(w, "(0x{c:08x}): ");
            put_bits(w, CAPABILITIES, c, "none");
        }
        Kind::Version => {
            w.extend_from_slice(b"\n\t  ");
            for i in 0..len {
                match u8_at(m, at + i)? {
                    b'\n' => w.extend_from_slice(b"\n\t  "),
                    c => put_char(w, c),
                }
            }
        }
        Kind::Prefixes => {
            if !len.is_multiple_of(5) {
                out!(w, " [length {len} is not a multiple of 5]");
                if m.len() < at + len {
                    return Err(Truncated);
                }
                return Ok(());
            }
            out!(w, " IPv4 Prefixes ({}):", len / 5);
            for i in 0..len / 5 {
                let b = bytes_at::<5>(m, at + 5 * i)?;
                out!(w, " {}.{}.{}.{}/{}", b[0], b[1], b[2], b[3], b[4]);
            }
        }
        Kind::Uint16 => out!(w, "{}", u16_at(m, at)?),
        Kind::Duplex => out!(w, "{}", if u8_at(m, at)? != 0 { "full" } else { "half" }),
        Kind::Ata186 if len == 2 => out!(w, "unknown 0x{:04x}", u16_at(m, at)?),
        Kind::Ata186 => {
            let (app, vlan) = (u8_at(m, at)?, u16_at(m, at + 1)?);
            out!(w, "app {app}, vlan {vlan}");
        }
        Kind::Power => {
            let mut val = 0u32;
            for i in 0..len {
                val = val << 8 | u32::from(u8_at(m, at + i)?);
            }
            out!(w, "{:1.2}W", f64::from(val) / 1000.0);
        }
        Kind::Mtu => out!(w, "{} bytes", u32_at(m, at)?),
        Kind::Uint8x => out!(w, "0x{:02x}", u8_at(m, at)?),
        Kind::PhysLoc => {
            out!(w, "0x{:02x}", u8_at(m, at)?);
            if len > 1 {
                w.push(b'/');
                put_n(w, m, at + 1, len - 1)?;
            }
        }
        Kind::Opaque => {
            if m.len() < at + len {
                return Err(Truncated);
            }
        }
    }
    Ok(())
}

/// The address TLV: a count, then each address with its protocol type
/// and protocol (IPv4 by NLPID 0xcc, IPv6 by an LLC/SNAP header, others
/// raw).
fn addresses(w: &mut Vec<u8>, m: &[u8], mut p: usize, mut l: usize) -> Res<()> {
    const IPV6_SNAP: [u8; 8] = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd];
    let stop = |w: &mut Vec<u8>, what: &str, p: usize, l: usize| {
        out!(w, " (not enough space for {what})");
        if m.len() < p + l {
            Err(Truncated)
        } else {
            Ok(())
        }
    };
    if l < 4 {
        return stop(w, "num", p, l);
    }
    let mut num = u32_at(m, p)?;
    p += 4;
    l -= 4;
    while num > 0 {
        if l < 2 {
            return stop(w, "PT+PL", p, l);
        }
        let (pt, pl) = (u8_at(m, p)?, usize::from(u8_at(m, p + 1)?));
        p += 2;
        l -= 2;
        if l < pl + 2 {
            return stop(w, "P+AL", p, l);
        }
        let al = usize::from(u16_at(m, p + pl)?);
        if pt == 1 && pl == 1 && u8_at(m, p)? == 0xcc && al == 4 {
            p += pl + 2;
            l -= pl + 2;
            if l < al {
                return stop(w, "A", p, l);
            }
            out!(w, "IPv4 ({num}) {}", ipv4_at(m, p)?);
        } else if pt == 2 && pl == 8 && m.get(p..p + 8) == Some(&IPV6_SNAP[..]) && al == 16 {
            p += pl + 2;
            l -= pl + 2;
            if l < al {
                return stop(w, "A", p, l);
            }
            // The address is read before anything of it is printed.
            let a = bytes_at::<16>(m, p)?;
            out!(w, "IPv6 ({num}) ");
            put_ipv6(w, &a);
        } else {
            out!(w, "pt=0x{pt:02x}, pl={pl}, pb=");
            for i in 0..pl {
                out!(w, " {:02x}", u8_at(m, p + i)?);
            }
            out!(w, ", al={al}, a=");
            p += pl + 2;
            l -= pl + 2;
            if l < al {
                return stop(w, "A", p, l);
            }
            for i in 0..al {
                out!(w, " {:02x}", u8_at(m, p + i)?);
            }
        }
        p += al;
        l -= al;
        num -= 1;
        if num > 0 {
            w.push(b' ');
        }
    }
    if l > 0 {
        out!(w, " ({l} bytes of stray data)");
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("version".into(), json!(u8_at(m, 0)?));
    o.insert("ttl".into(), json!(u8_at(m, 1)?));
    o.insert("checksum".into(), json!(u16_at(m, 2)?));
    let mut tlvs = Vec::new();
    let mut at = 4;
    while at + 4 <= m.len() {
        let (t, len) = (u16_at(m, at)?, usize::from(u16_at(m, at + 2)?));
        if len < 4 {
            break;
        }
        let text = |key: &str, o: &mut Map<String, Value>| {
            let v = m.get(at + 4..at + len).unwrap_or(&[]);
            o.insert(key.into(), json!(String::from_utf8_lossy(v)));
        };
        match t {
            1 => text("device_id", o),
            3 => text("port_id", o),
            5 => text("software_version", o),
            6 => text("platform", o),
            _ => {}
        }
        tlvs.push(json!({"type": t, "len": len}));
        at += len;
    }
    o.insert("tlvs".into(), Value::Array(tlvs));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Address TLV with an IPv4 and an IPv6 address, cut inside the
    /// IPv6 one: tcpdump reads the address before it prints its label,
    /// so the line stops after the IPv4 address.
    #[test]
    fn test_truncated_ipv6_address_prints_no_label() {
        let mut m = vec![2, 180, 0, 0, 0x00, 0x02, 0, 45, 0, 0, 0, 2];
        m.extend_from_slice(&[1, 1, 0xcc, 0, 4, 192, 0, 2, 1]);
        m.extend_from_slice(&[2, 8, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd, 0, 16]);
        m.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        let keep = m.len();
        m.resize(4 + 45, 0);
        let line = CDP.printed_cut(&m, keep, 1);
        assert!(line.ends_with("192.0.2.1  [|cdp]"), "{line}");
        assert!(!line.contains("IPv6"), "{line}");
    }
}
