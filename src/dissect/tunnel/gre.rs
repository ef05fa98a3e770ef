//! GRE (RFC 2784/2890, and PPTP's enhanced GRE, version 1, RFC 2637):
//! `GREv0, key=0x2, seq 7, length 52: ` then the packet it carries, picked
//! by the protocol type as an EtherType.

use super::super::ctl::{Bit, is_set, out, put_bits};
use super::super::put_num;
use super::super::wire::{Res, bytes_at, u16_at, u32_at};
use super::{Kind, Level, Printed, Tunnel, by_ethertype, demarc, ppp, put_hex, put_proto};
use crate::dissect::Payload;
use crate::dissect::{atalk, ipx};
use serde_json::{Map, Value, json};

pub static GRE: Tunnel = Tunnel::new("gre", line, json).returning_when_cut();

const CHECKSUM: Bit = (0x8000, "checksum present");
const ROUTING: Bit = (0x4000, "routing present");
const KEY: Bit = (0x2000, "key present");
const SEQ: Bit = (0x1000, "sequence# present");
const ACK: Bit = (0x0080, "ack present");

/// The flags' names, in tcpdump's order (strict source routing is only
/// named).
const FLAG_NAMES: &[Bit] = &[
    CHECKSUM,
    ROUTING,
    KEY,
    SEQ,
    (0x0800, "source routing present"),
    ACK,
];

fn line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    let verbose = level.verbose;
    let m = p.bytes;
    let flags = u16_at(m, 0)?;
    let version = flags & 7;
    w.extend_from_slice(b"GREv");
    put_num(w, version);
    if verbose > 0 && version < 2 {
        w.extend_from_slice(b", Flags [");
        put_bits(w, FLAG_NAMES, u32::from(flags), "none");
        w.push(b']');
    }
    match version {
        0 => v0(w, p, flags, level),
        1 => v1(w, p, flags, level),
        _ => {
            w.extend_from_slice(b" ERROR: unknown-version");
            Ok(Printed::done())
        }
    }
}

fn v0<'a>(w: &mut Vec<u8>, p: &Payload<'a>, flags: u16, level: Level) -> Res<Printed<'a>> {
    let verbose = level.verbose;
    let m = p.bytes;
    let proto = u16_at(m, 2)?;
    let mut at = 4;
    if is_set(flags, CHECKSUM) || is_set(flags, ROUTING) {
        if verbose > 0 {
            let sum = u16_at(m, at)?;
            w.extend_from_slice(b", sum 0x");
            put_hex(w, u32::from(sum));
        }
        let off = u16_at(m, at + 2)?;
        w.extend_from_slice(b", off 0x");
        put_hex(w, u32::from(off));
        at += 4;
    }
    if is_set(flags, KEY) {
        word(w, m, &mut at, ", key=0x", put_hex)?;
    }
    if is_set(flags, SEQ) {
        word(w, m, &mut at, ", seq ", put_num)?;
    }
    if is_set(flags, ROUTING) {
        // Source route entries until the null one (RFC 1701; RFC 2784
        // deprecates them), each with its addresses.
        loop {
            let family = u16_at(m, at)?;
            let len = super::super::wire::u8_at(m, at + 3)?;
            at += 4;
            if family == 0 && len == 0 {
                break;
            }
            let offset = super::super::wire::u8_at(m, at - 2)?;
            write_sre(w, m, at, (family, offset, len))?;
            at += usize::from(len);
        }
    }
    put_proto(w, level, proto);
    length_then(w, p, verbose)?;
    let rest = m.get(at..).unwrap_or(&[]);
    let wire_len = p.declared_len.saturating_sub(at);
    carried(w, proto, rest, wire_len, level.eflag)
}

/// One source route entry whose header (`family`, `offset`, `len`) ends
/// at `at`: its address family, and for IPv4's and AS numbers' what
/// tcpdump finds wrong with its offset or length, else its addresses
/// (IPv4 dotted, AS numbers in hex), the one at the offset starred (the
/// next hop). An address the capture cut ends the line there (`Err`).
fn write_sre(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    (family, offset, len): (u16, u8, u8),
) -> Res<()> {
    let (name, unit) = match family {
        0x0800 => ("ip", 4),
        0xfffe => ("asn", 2),
        _ => {
            w.extend_from_slice(b", (rtaf=0x");
            put_hex(w, u32::from(family));
            w.push(b')');
            return Ok(());
        }
    };
    w.extend_from_slice(b", (rtaf=");
    w.extend_from_slice(name.as_bytes());
    if !offset.is_multiple_of(unit) {
        w.extend_from_slice(b", badoffset=");
        put_num(w, offset);
    } else if !len.is_multiple_of(unit) {
        w.extend_from_slice(b", badlength=");
        put_num(w, len);
    } else if offset >= len {
        w.extend_from_slice(b", badoff/len=");
        put_num(w, offset);
        w.push(b'/');
        put_num(w, len);
    } else {
        // A cut address still closes the parenthesis before the mark.
        let addresses = put_sre_addresses(w, m, at, (unit, offset, len));
        w.push(b')');
        return addresses;
    }
    w.push(b')');
    Ok(())
}

/// An entry's `len` bytes of addresses from `at`, `unit` bytes each.
fn put_sre_addresses(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    (unit, offset, len): (u8, u8, u8),
) -> Res<()> {
    for i in (0..usize::from(len)).step_by(usize::from(unit)) {
        let star = if i == usize::from(offset) { "*" } else { "" };
        if unit == 4 {
            let a = std::net::Ipv4Addr::from(bytes_at::<4>(m, at + i)?);
            out!(w, " {star}{a}");
        } else {
            out!(w, " {star}{:x}", u16_at(m, at + i)?);
        }
    }
    Ok(())
}

/// One optional 32-bit word at `at`: read first (a cut one prints
/// nothing, as tcpdump), then its label and value; `at` moves past it.
fn word(
    w: &mut Vec<u8>,
    m: &[u8],
    at: &mut usize,
    label: &str,
    put: impl Fn(&mut Vec<u8>, u32),
) -> Res<()> {
    let v = u32_at(m, *at)?;
    w.extend_from_slice(label.as_bytes());
    put(w, v);
    *at += 4;
    Ok(())
}

/// `, length N` and the separator.
fn length_then(w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8) -> Res<()> {
    w.extend_from_slice(b", length ");
    put_num(w, p.declared_len);
    demarc(w, verbose);
    Ok(())
}

/// The packet a protocol type names, or tcpdump's `gre-proto-0x…`.
/// `eflag`: `-e` was given (AppleTalk's and IPX's printers then leave out
/// their own word).
fn carried<'a>(
    w: &mut Vec<u8>,
    proto: u16,
    rest: &'a [u8],
    wire_len: usize,
    eflag: bool,
) -> Res<Printed<'a>> {
    // GRE's own number for OSI (tcpdump's `ETHERTYPE_GRE_ISO`), which no
    // other carrier uses.
    if proto == 0x00fe {
        return Ok(Printed::then(Kind::Osi, rest, wire_len));
    }
    // tcpdump's GRE printer decodes AppleTalk and IPX besides the
    // tunnels, and no PPPoE (3Com's old types neither), multicast MPLS or NSH.
    let dissected: Option<(&[u8], &'static crate::dissect::Dissector)> = match proto {
        0x809b => Some((b"AT ", &atalk::ATALK)),
        0x8137 => Some((b"IPX ", &ipx::IPX)),
        _ => None,
    };
    if let Some((word, d)) = dissected {
        if !eflag {
            w.extend_from_slice(word);
        }
        return Ok(Printed::then(Kind::Dissected(d), rest, wire_len));
    }
    match proto {
        0x8863 | 0x8864 | 0x3c12 | 0x3c13 | 0x8848 | 0x894f => {
            w.extend_from_slice(b"gre-proto-0x");
            put_hex(w, u32::from(proto));
            return Ok(Printed::done());
        }
        _ => {}
    }
    match by_ethertype(proto) {
        Some(kind) => Ok(Printed::then(kind, rest, wire_len)),
        None => {
            w.extend_from_slice(b"gre-proto-0x");
            put_hex(w, u32::from(proto));
            Ok(Printed::done())
        }
    }
}

/// PPTP's GRE: a call ID in the key's low half, an acknowledgment number;
/// a packet without a sequence number carries no payload.
fn v1<'a>(w: &mut Vec<u8>, p: &Payload<'a>, flags: u16, level: Level) -> Res<Printed<'a>> {
    let verbose = level.verbose;
    let m = p.bytes;
    let proto = u16_at(m, 2)?;
    let mut at = 4;
    if is_set(flags, KEY) {
        word(w, m, &mut at, ", call ", |w, k| put_num(w, k & 0xffff))?;
    }
    if is_set(flags, SEQ) {
        word(w, m, &mut at, ", seq ", put_num)?;
    }
    if is_set(flags, ACK) {
        word(w, m, &mut at, ", ack ", put_num)?;
    }
    if !is_set(flags, SEQ) {
        w.extend_from_slice(b", no-payload");
    }
    put_proto(w, level, proto);
    w.extend_from_slice(b", length ");
    put_num(w, p.declared_len);
    if !is_set(flags, SEQ) {
        return Ok(Printed::done());
    }
    demarc(w, verbose);
    let rest = m.get(at..).unwrap_or(&[]);
    let wire_len = p.declared_len.saturating_sub(at);
    if proto == 0x880b {
        return Ok(Printed::then(Kind::Encap(&ppp::PPP), rest, wire_len));
    }
    w.extend_from_slice(b"gre-proto-0x");
    put_hex(w, u32::from(proto));
    Ok(Printed::done())
}

fn json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    let mut o = Map::new();
    let complete = (|| -> Res<()> {
        let flags = u16_at(m, 0)?;
        let version = flags & 7;
        o.insert("version".into(), json!(version));
        o.insert("flags".into(), json!(flags & 0xfff8));
        o.insert("proto".into(), json!(u16_at(m, 2)?));
        let mut at = 4;
        if version == 0 && (is_set(flags, CHECKSUM) || is_set(flags, ROUTING)) {
            o.insert("checksum".into(), json!(u16_at(m, at)?));
            at += 4;
        }
        if is_set(flags, KEY) {
            let key = u32_at(m, at)?;
            if version == 1 {
                o.insert("call".into(), json!(key & 0xffff));
            } else {
                o.insert("key".into(), json!(key));
            }
            at += 4;
        }
        if is_set(flags, SEQ) {
            o.insert("seq".into(), json!(u32_at(m, at)?));
            at += 4;
        }
        if version == 1 && is_set(flags, ACK) {
            o.insert("ack".into(), json!(u32_at(m, at)?));
        }
        Ok(())
    })()
    .is_ok();
    o.insert("complete".into(), json!(complete));
    o.insert("len".into(), json!(p.declared_len));
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(m: &[u8], verbose: u8) -> String {
        super::super::printed(&GRE, m, verbose)
    }

    #[test]
    fn test_key_and_sequence() {
        let m = [0x30, 0, 0x08, 0, 0, 0, 0, 2, 0, 0, 0, 7];
        assert_eq!(print(&m, 0), "GREv0, key=0x2, seq 7, length 12: ");
        assert_eq!(
            print(&m, 1),
            "GREv0, Flags [key present, sequence# present], key=0x2, seq 7, length 12\n\t"
        );
    }

    #[test]
    fn test_eflag_names_the_protocol() {
        let e = Level {
            verbose: 0,
            eflag: true,
        };
        let m = [0x20, 0, 0x65, 0x58, 0, 0, 0, 2];
        assert_eq!(
            super::super::printed(&GRE, &m, e),
            "GREv0, key=0x2, proto TEB (0x6558), length 8: "
        );
        assert_eq!(
            super::super::printed(&GRE, &[0, 0, 0x12, 0x34], e),
            "GREv0, proto unknown (0x1234), length 4: gre-proto-0x1234"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(print(&[0x20, 0, 0x08, 0, 0], 0), "GREv0 [|gre]");
        assert_eq!(print(&[0x20], 0), " [|gre]");
    }

    #[test]
    fn test_unknown_proto_and_version() {
        assert_eq!(
            print(&[0, 0, 0x88, 0xbe], 0),
            "GREv0, length 4: gre-proto-0x88be"
        );
        assert_eq!(print(&[0, 3, 0, 0], 0), "GREv3 ERROR: unknown-version");
    }
}
