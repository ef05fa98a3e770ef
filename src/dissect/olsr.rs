//! OLSR (RFC 3626, UDP 698) as tcpdump 4.99 prints it: `OLSRv4, seq
//! 0x0001, length 36` at the default level (`OLSRv6` over IPv6: tcpdump
//! takes the address size from the IP version, not from the message);
//! `-v` adds each message on lines of its own — its type, originator,
//! TTL, hop count, validity time (RFC 3626's mantissa and exponent),
//! sequence and size — then what the type carries: HELLO's and LQ-HELLO's
//! link groups and neighbours (LQ's with their link qualities in
//! percent), TC's and LQ-TC's advertised sequence and neighbours, MID's
//! interface addresses, HNA's networks (olsr.org's smart-gateway entries
//! among IPv4's) and the name service's entries; other types in hex.
//!
//! tcpdump's quirks are kept, as its output is the spec: a HELLO's or
//! TC's plain neighbour list is IPv4 addresses over either IP version,
//! each followed by a space; IPv6 HNA entries are all numbered `#0`; a
//! prefix length that is not a contiguous mask is `%u` of −1. A message
//! whose size is under its header or over the packet ends the walk with
//! ` (invalid)`; type or size 0 ends it silently. tcpdump checks each part
//! before reading it (` [|olsr]`, the dump where it always starts), except
//! a TC's plain neighbours and the name service's header and entry
//! headers, read unchecked (its `longjmp`).
//! Zeek has no analyzer for it (no `service`).

use super::ctl::{
    json_object_with_list, line_is_level_0, out, prefix_len, put_alt_hex, tok, unknown_data,
};
use super::dns::text::put_chars;
use super::peers::over_ipv6;
use super::wire::{Res, bytes_at, need, u8_at, u16_at};
use super::{Dissector, Payload, Stop, Truncated, jumped};
use crate::decode::ip6_text::Ip6;
use serde_json::{Map, Value, json};
use std::net::Ipv4Addr;

pub static OLSR: Dissector = Dissector {
    name: "olsr",
    json_key: "olsr",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= COMMON,
};

/// The packet header: length and sequence number.
const COMMON: usize = 4;

const HELLO: u8 = 1;
const TC: u8 = 2;
const MID: u8 = 3;
const HNA: u8 = 4;
const NAME_SERVICE: u8 = 130;
const HELLO_LQ: u8 = 201;
const TC_LQ: u8 = 202;

const TYPES: &[(u8, &str)] = &[
    (HELLO, "Hello"),
    (TC, "TC"),
    (MID, "MID"),
    (HNA, "HNA"),
    (128, "Powerinfo"),
    (NAME_SERVICE, "Nameservice"),
    (HELLO_LQ, "Hello-LQ"),
    (TC_LQ, "TC-LQ"),
];

const LINK_TYPES: &[(u8, &str)] = &[
    (0, "Unspecified"),
    (1, "Asymmetric"),
    (2, "Symmetric"),
    (3, "Lost"),
];

const NEIGHBOR_TYPES: &[(u8, &str)] =
    &[(0, "Not-Neighbor"), (1, "Symmetric"), (2, "Symmetric-MPR")];

/// A HELLO's reserved word, hello interval and willingness; a link
/// group's code, reserved byte and size; a TC's advertised sequence and
/// reserved word; a name service's version and entry count; a name
/// entry's type and length: all four bytes.
const WORD: usize = 4;

/// olsr.org's smart-gateway flags, in the second byte of an IPv4 HNA
/// entry's mask when its network is 0.0.0.0.
const GW_FLAGS: &[(u8, &str)] = &[
    (0x01, " LINKSPEED"),
    (0x02, " IPV4"),
    (0x04, " IPV4-NAT"),
    (0x08, " IPV6"),
    (0x10, " IPv6-PREFIX"),
];
const GW_LINKSPEED: u8 = 0x01;

/// The address size of the IP version the packet came over.
#[derive(Clone, Copy)]
struct Family {
    v6: bool,
}

impl Family {
    fn addr_len(self) -> usize {
        if self.v6 { 16 } else { 4 }
    }

    /// A message header: type, vtime, size, originator, TTL, hops, sequence.
    fn header_len(self) -> usize {
        8 + self.addr_len()
    }

    /// An address of the family at `at`, as tcpdump writes it.
    fn addr(self, m: &[u8], at: usize) -> Res<String> {
        Ok(if self.v6 {
            Ip6::from(bytes_at::<16>(m, at)?).to_string()
        } else {
            ipv4(m, at)?.to_string()
        })
    }
}

fn ipv4(m: &[u8], at: usize) -> Res<Ipv4Addr> {
    bytes_at::<4>(m, at).map(Ipv4Addr::from)
}

/// RFC 3626's time encoding (section 18.3): mantissa `a` in the high
/// nibble, exponent `b` in the low, `C * (1 + a/16) * 2^b` seconds with
/// C = 1/16.
fn seconds(me: u8) -> f64 {
    0.0625 * (1.0 + f64::from(me >> 4) / 16.0) * f64::from(1u32 << (me & 0x0f))
}

/// olsr.org's smart-gateway speed: 5 bits of mantissa (plus one), 3 of
/// decimal exponent, 255 its maximum (kbit/s).
fn gateway_speed(v: u8) -> u32 {
    match v {
        0 => 0,
        255 => 320_000_000,
        _ => (u32::from(v >> 3) + 1) * 10u32.pow(u32::from(v & 7)),
    }
}

/// tcpdump 4.99's `mask62plen`: eight bits for each leading 0xff byte,
/// then those of the first other byte when it is a prefix's (0x80, 0xc0,
/// … 0xfe), nothing when not; the bytes after it are not looked at.
fn v6_prefix_len(mask: [u8; 16]) -> u32 {
    let full = mask.iter().take_while(|&&b| b == 0xff).count() as u32;
    let partial = mask.get(full as usize).map_or(0, |&b| {
        if b.leading_ones() + b.trailing_zeros() == 8 {
            b.leading_ones()
        } else {
            0
        }
    });
    8 * full + partial
}

/// A link quality byte in percent.
fn percent(q: u8) -> f64 {
    f64::from(q) / 2.55
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    walk(w, p, v).map_err(Truncated::from)
}

/// Whether a cut line ended at one of tcpdump's unchecked reads (its
/// `longjmp`): a name entry's header.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], v: u8) -> bool {
    walk(&mut Vec::new(), p, v) == Err(Stop::Jumped)
}

fn walk(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Result<(), Stop> {
    let m = p.bytes;
    let fam = Family { v6: over_ipv6() };
    out!(w, "OLSRv{}", if fam.v6 { 6 } else { 4 });
    if p.declared_len < COMMON {
        return Err(Stop::Checked);
    }
    need(m, 0, COMMON)?;
    let length = p.declared_len.min(usize::from(u16_at(m, 0)?));
    out!(w, ", seq 0x{:04x}, length {length}", u16_at(m, 2)?);
    if v == 0 {
        return Ok(());
    }
    let mut at = COMMON;
    while at < length {
        let hl = fam.header_len();
        need(m, at, hl)?;
        let (kind, size) = (u8_at(m, at)?, usize::from(u16_at(m, at + 2)?));
        if kind == 0 || size == 0 {
            return Ok(());
        }
        let valid = size >= hl && size <= length;
        out!(
            w,
            "\n\t{} Message ({kind:#04x}), originator {}, ttl {}, hop {}\n\t  vtime {:.3}s, msg-seq 0x{:04x}, length {size}{}",
            tok(TYPES, kind).unwrap_or("Unknown"),
            fam.addr(m, at + 4)?,
            u8_at(m, at + hl - 4)?,
            u8_at(m, at + hl - 3)?,
            seconds(u8_at(m, at + 1)?),
            u16_at(m, at + hl - 2)?,
            if valid { "" } else { " (invalid)" }
        );
        if !valid {
            return Ok(());
        }
        body(w, m, fam, kind, (at + hl, size - hl))?;
        at += size;
    }
    Ok(())
}

/// What a message of type `kind` carries: `len` bytes from `at`.
fn body(
    w: &mut Vec<u8>,
    m: &[u8],
    fam: Family,
    kind: u8,
    (at, len): (usize, usize),
) -> Result<(), Stop> {
    match kind {
        HELLO | HELLO_LQ => hello(w, m, fam, kind == HELLO_LQ, (at, len)),
        TC | TC_LQ => {
            if len < WORD {
                return Err(Stop::Checked);
            }
            need(m, at, WORD)?;
            out!(
                w,
                "\n\t    advertised neighbor seq 0x{:04x}",
                u16_at(m, at)?
            );
            neighbors(w, m, fam, kind == TC_LQ, (at + WORD, len - WORD))
        }
        MID => {
            let n = fam.addr_len();
            for a in (at..).step_by(n).take(len / n) {
                need(m, a, n)?;
                out!(w, "\n\t  interface address {}", fam.addr(m, a)?);
            }
            Ok(())
        }
        HNA => networks(w, m, fam, (at, len)),
        NAME_SERVICE => names(w, m, fam, (at, len)),
        _ => {
            unknown_data(w, m, at, "\n\t    ", len);
            Ok(())
        }
    }
}

/// A HELLO: interval and willingness, then link groups, each a code (the
/// link type in its low two bits, the neighbour type above), a size
/// that counts its own header, and neighbours.
fn hello(
    w: &mut Vec<u8>,
    m: &[u8],
    fam: Family,
    lq: bool,
    (mut at, mut len): (usize, usize),
) -> Result<(), Stop> {
    if len < WORD {
        return Err(Stop::Checked);
    }
    need(m, at, WORD)?;
    out!(
        w,
        "\n\t  hello-time {:.3}s, MPR willingness {}",
        seconds(u8_at(m, at + 2)?),
        u8_at(m, at + 3)?
    );
    (at, len) = (at + WORD, len - WORD);
    while len >= WORD {
        need(m, at, WORD)?;
        let code = u8_at(m, at)?;
        let group = usize::from(u16_at(m, at + 2)?);
        let valid = group <= len && group >= WORD;
        out!(
            w,
            "\n\t    link-type {}, neighbor-type {}, len {group}{}",
            tok(LINK_TYPES, code & 3).unwrap_or("Unknown"),
            tok(NEIGHBOR_TYPES, code >> 2).unwrap_or("Unknown"),
            if valid { "" } else { " (invalid)" }
        );
        if !valid {
            break;
        }
        need(m, at + WORD, group - WORD)?;
        neighbors(w, m, fam, lq, (at + WORD, group - WORD))?;
        (at, len) = (at + group, len - group);
    }
    Ok(())
}

/// A neighbour list: plain IPv4 addresses (whatever the IP version),
/// or with LQ an address of the family and two quality bytes each.
fn neighbors(
    w: &mut Vec<u8>,
    m: &[u8],
    fam: Family,
    lq: bool,
    (at, len): (usize, usize),
) -> Result<(), Stop> {
    if !lq {
        w.extend_from_slice(b"\n\t      neighbor\n\t\t");
        for a in (at..).step_by(4).take(len / 4) {
            // Read unchecked: a TC's list can end where the capture did.
            out!(w, "{} ", ipv4(m, a).map_err(jumped)?);
        }
        return Ok(());
    }
    let n = fam.addr_len() + 4;
    for a in (at..).step_by(n).take(len / n) {
        need(m, a, n)?;
        let q = fam.addr_len();
        out!(
            w,
            "\n\t      neighbor {}, link-quality {:.2}%, neighbor-link-quality {:.2}%",
            fam.addr(m, a)?,
            percent(u8_at(m, a + q)?),
            percent(u8_at(m, a + q + 1)?)
        );
    }
    Ok(())
}

/// HNA's networks and masks, four to a line over IPv4 (where a zero
/// network with flags is a smart gateway), one to a line over IPv6.
fn networks(w: &mut Vec<u8>, m: &[u8], fam: Family, (at, len): (usize, usize)) -> Result<(), Stop> {
    let n = 2 * fam.addr_len();
    out!(w, "\n\t  Advertised networks (total {})", len / n);
    for (i, a) in (at..).step_by(n).take(len / n).enumerate() {
        need(m, a, n)?;
        if fam.v6 {
            let plen = v6_prefix_len(bytes_at::<16>(m, a + 16)?);
            out!(w, "\n\t    #0: {}/{plen}", fam.addr(m, a)?);
            continue;
        }
        w.extend_from_slice(if i % 4 == 0 { b"\n\t    " } else { b", " });
        let mask = bytes_at::<4>(m, a + 4)?;
        if ipv4(m, a)?.is_unspecified() && mask[0] == 0 && mask[1] != 0 {
            smart_gateway(w, mask);
        } else {
            let plen = prefix_len(u128::from(u32::from_be_bytes(mask)) << 96);
            out!(w, "{}/{}", ipv4(m, a)?, plen as u32);
        }
    }
    Ok(())
}

/// A smart gateway's flags and, with LINKSPEED, its up- and downlink.
fn smart_gateway(w: &mut Vec<u8>, mask: [u8; 4]) {
    w.extend_from_slice(b"Smart-Gateway:");
    for (bit, name) in GW_FLAGS {
        if mask[1] & bit != 0 {
            w.extend_from_slice(name.as_bytes());
        }
    }
    let (up, down) = if mask[1] & GW_LINKSPEED != 0 {
        (gateway_speed(mask[2]), gateway_speed(mask[3]))
    } else {
        (0, 0)
    };
    out!(w, " {up}/{down}");
}

/// The name service: version, entry count, then each entry's type,
/// length, address and name (padded to four bytes).
fn names(
    w: &mut Vec<u8>,
    m: &[u8],
    fam: Family,
    (mut at, mut len): (usize, usize),
) -> Result<(), Stop> {
    if len < WORD {
        return Err(Stop::Checked);
    }
    need(m, at, WORD).map_err(jumped)?;
    let entries = usize::from(u16_at(m, at + 2)?);
    let addr = fam.addr_len();
    let valid = entries > 0 && entries * (WORD + addr) <= len;
    out!(
        w,
        "\n\t  Version {}, Entries {entries}{}",
        u16_at(m, at)?,
        if valid { "" } else { " (invalid)" }
    );
    if !valid {
        return Ok(());
    }
    (at, len) = (at + WORD, len - WORD);
    for i in 0..entries {
        if len < WORD {
            break;
        }
        let kind = u16_at(m, at).map_err(jumped)?;
        let n = usize::from(u16_at(m, at + 2).map_err(jumped)?);
        (at, len) = (at + WORD, len - WORD);
        let valid = n > 0 && addr + n <= len;
        out!(w, "\n\t    #{i}: type ");
        put_alt_hex(w, u32::from(kind), 6);
        out!(w, ", length {n}{}", if valid { "" } else { " (invalid)" });
        if !valid {
            break;
        }
        let padded = addr + n.next_multiple_of(4);
        if len < padded {
            return Err(Stop::Checked);
        }
        need(m, at, padded)?;
        out!(w, ", address {}, name \"", fam.addr(m, at)?);
        put_chars(w, m, at + addr, n)?;
        w.push(b'"');
        (at, len) = (at + padded, len - padded);
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("messages", |o, list| json_fields(o, list, p))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let fam = Family { v6: over_ipv6() };
    o.insert("ip_version".into(), json!(if fam.v6 { 6 } else { 4 }));
    let length = p.declared_len.min(usize::from(u16_at(m, 0)?));
    o.insert("length".into(), json!(length));
    o.insert("sequence".into(), json!(u16_at(m, 2)?));
    let mut at = COMMON;
    while at < length {
        let hl = fam.header_len();
        let (kind, size) = (u8_at(m, at)?, usize::from(u16_at(m, at + 2)?));
        if kind == 0 || size == 0 {
            break;
        }
        let mut msg = Map::new();
        msg.insert("type".into(), json!(kind));
        msg.insert("type_name".into(), json!(tok(TYPES, kind)));
        msg.insert("originator".into(), json!(fam.addr(m, at + 4)?));
        msg.insert("ttl".into(), json!(u8_at(m, at + hl - 4)?));
        msg.insert("hop_count".into(), json!(u8_at(m, at + hl - 3)?));
        msg.insert("vtime_s".into(), json!(seconds(u8_at(m, at + 1)?)));
        msg.insert("sequence".into(), json!(u16_at(m, at + hl - 2)?));
        msg.insert("length".into(), json!(size));
        let valid = size >= hl && size <= length;
        let read = if valid {
            body_json(&mut msg, m, fam, kind, (at + hl, size - hl))
        } else {
            msg.insert("invalid".into(), json!(true));
            Ok(())
        };
        list.push(Value::Object(msg));
        read?;
        if !valid {
            break;
        }
        at += size;
    }
    if p.declared_len > m.len() {
        return Err(Truncated);
    }
    Ok(())
}

/// The JSON of what a message carries (the fields its `-v` lines show).
fn body_json(
    o: &mut Map<String, Value>,
    m: &[u8],
    fam: Family,
    kind: u8,
    (at, len): (usize, usize),
) -> Res<()> {
    let end = at.saturating_add(len);
    let addrs = |from: usize, step: usize| -> Res<Vec<String>> {
        (from..end.saturating_sub(step - 1))
            .step_by(step)
            .map(|a| fam.addr(m, a))
            .collect()
    };
    match kind {
        HELLO | HELLO_LQ => {
            o.insert("hello_time_s".into(), json!(seconds(u8_at(m, at + 2)?)));
            o.insert("willingness".into(), json!(u8_at(m, at + 3)?));
            let mut links = Vec::new();
            let mut a = at + WORD;
            let read = loop {
                if end.saturating_sub(a) < WORD {
                    break Ok(());
                }
                let (code, group) = match (u8_at(m, a), u16_at(m, a + 2)) {
                    (Ok(c), Ok(g)) => (c, usize::from(g)),
                    _ => break Err(Truncated),
                };
                if group < WORD || a + group > end {
                    break Ok(());
                }
                let neighbors = lq_or_plain_json(m, fam, kind == HELLO_LQ, (a + WORD, a + group));
                links.push(json!({
                    "link_type": tok(LINK_TYPES, code & 3),
                    "neighbor_type": tok(NEIGHBOR_TYPES, code >> 2),
                    "length": group,
                    "neighbors": neighbors.as_ref().ok(),
                }));
                if neighbors.is_err() {
                    break Err(Truncated);
                }
                a += group;
            };
            o.insert("links".into(), Value::Array(links));
            read
        }
        TC | TC_LQ => {
            o.insert("advertised_sequence".into(), json!(u16_at(m, at)?));
            o.insert(
                "neighbors".into(),
                lq_or_plain_json(m, fam, kind == TC_LQ, (at + WORD, end))?,
            );
            Ok(())
        }
        MID => {
            o.insert("interfaces".into(), json!(addrs(at, fam.addr_len())?));
            Ok(())
        }
        HNA => {
            let n = 2 * fam.addr_len();
            let nets: Res<Vec<Value>> = (at..end.saturating_sub(n - 1))
                .step_by(n)
                .map(|a| {
                    let plen = if fam.v6 {
                        i64::from(v6_prefix_len(bytes_at::<16>(m, a + 16)?))
                    } else {
                        let mask = u32::from_be_bytes(bytes_at::<4>(m, a + 4)?);
                        i64::from(prefix_len(u128::from(mask) << 96))
                    };
                    Ok(json!({"network": fam.addr(m, a)?, "prefix_length": plen}))
                })
                .collect();
            o.insert("networks".into(), json!(nets?));
            Ok(())
        }
        NAME_SERVICE => {
            o.insert("name_version".into(), json!(u16_at(m, at)?));
            o.insert("entries".into(), json!(u16_at(m, at + 2)?));
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A neighbour list's JSON: addresses, or with LQ objects with the
/// link qualities in percent.
fn lq_or_plain_json(m: &[u8], fam: Family, lq: bool, (from, end): (usize, usize)) -> Res<Value> {
    if !lq {
        let list: Res<Vec<String>> = (from..end.saturating_sub(3))
            .step_by(4)
            .map(|a| ipv4(m, a).map(|a| a.to_string()))
            .collect();
        return Ok(json!(list?));
    }
    let q = fam.addr_len();
    let list: Res<Vec<Value>> = (from..end.saturating_sub(q + 3))
        .step_by(q + 4)
        .map(|a| {
            Ok(json!({
                "neighbor": fam.addr(m, a)?,
                "link_quality": percent(u8_at(m, a + q)?),
                "neighbor_link_quality": percent(u8_at(m, a + q + 1)?),
            }))
        })
        .collect();
    Ok(json!(list?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::peers::with_packet;

    /// A packet of one HELLO from 10.0.0.1 with one link group of two
    /// neighbours.
    fn hello4() -> Vec<u8> {
        let mut m = vec![0, 32, 0, 1, HELLO, 0x22, 0, 28, 10, 0, 0, 1, 64, 1, 0, 9];
        m.extend_from_slice(&[0, 0, 0x26, 7, 0x0a, 0, 0, 12, 10, 0, 0, 2, 10, 0, 0, 3]);
        m
    }

    #[test]
    fn test_line() {
        assert_eq!(OLSR.printed(&hello4(), 0), "OLSRv4, seq 0x0001, length 32");
        assert_eq!(
            OLSR.printed(&hello4(), 1),
            "OLSRv4, seq 0x0001, length 32\n\tHello Message (0x01), originator 10.0.0.1, ttl 64, hop 1\
             \n\t  vtime 0.281s, msg-seq 0x0009, length 28\n\t  hello-time 4.500s, MPR willingness 7\
             \n\t    link-type Symmetric, neighbor-type Symmetric-MPR, len 12\
             \n\t      neighbor\n\t\t10.0.0.2 10.0.0.3 "
        );
    }

    #[test]
    fn test_seconds_and_speed() {
        assert_eq!(format!("{:.3}", seconds(0x11)), "0.133");
        assert_eq!(format!("{:.3}", seconds(0xff)), "3968.000");
        assert_eq!(gateway_speed(0x0b), 2000);
        assert_eq!(gateway_speed(255), 320_000_000);
        let mut mask = [0u8; 16];
        mask[..3].copy_from_slice(&[0xff, 0xfe, 0xff]);
        assert_eq!(v6_prefix_len(mask), 15);
        mask[1] = 0x7f;
        assert_eq!(v6_prefix_len(mask), 8);
    }

    #[test]
    fn test_ipv6_family() {
        let mut m = vec![0, 28, 0, 2, MID, 0, 0, 24];
        m.extend_from_slice(&[0; 16]);
        m.extend_from_slice(&[1, 0, 0, 3]);
        let v6: std::net::IpAddr = "2001:db8::1".parse().unwrap();
        let text = with_packet(v6, v6, (698, 698), || OLSR.printed(&m, 1));
        assert_eq!(
            text,
            "OLSRv6, seq 0x0002, length 28\n\tMID Message (0x03), originator ::, ttl 1, hop 0\
             \n\t  vtime 0.062s, msg-seq 0x0003, length 24"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(OLSR.printed_cut(&hello4(), 0, 1), "OLSRv4 [|olsr]");
        assert_eq!(OLSR.printed(&[0, 8, 0], 1), "OLSRv4 [|olsr]");
        assert_eq!(
            OLSR.printed_cut(&hello4(), 10, 1),
            "OLSRv4, seq 0x0001, length 32 [|olsr]"
        );
        assert!(
            OLSR.printed_cut(&hello4(), 30, 1)
                .ends_with("link-type Symmetric, neighbor-type Symmetric-MPR, len 12 [|olsr]")
        );
    }

    #[test]
    fn test_malformed_sizes() {
        let mut m = hello4();
        m[7] = 40;
        assert!(OLSR.printed(&m, 1).ends_with("length 40 (invalid)"));
        m[7] = 0;
        assert_eq!(OLSR.printed(&m, 1), "OLSRv4, seq 0x0001, length 32");
    }
}
