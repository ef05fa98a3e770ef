//! Cisco's EIGRP (IP protocol 88, RFC 7868), as `tcpdump -n` prints it:
//! `EIGRP Hello, length: 40` by default; at `-v` the header (opcode,
//! checksum, flags, sequence, acknowledgement, virtual router id, AS) on
//! two lines and each TLV on its own: the parameters (hold time, K
//! values), the software version, IPv4 internal and external routes (the
//! prefix, next hop, origin, delay, bandwidth, MTU, hop count,
//! reliability, load), the AppleTalk ones; the others (authentication,
//! sequence, multicast sequence, IPX) in hex, and every TLV's value in
//! hex again at `-vv`. tcpdump prints the same for EIGRP over IPv6.

use super::ctl::{
    ipv4_at, json_object_with_list, line_is_level_0, out, put_bits, tok, unknown_data,
};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Stop, Truncated};
use serde_json::{Map, Value, json};

pub static EIGRP: Dissector = Dissector::new("eigrp", line, verbose, to_json, looks_like_eigrp);

fn looks_like_eigrp(m: &[u8]) -> bool {
    m.first() == Some(&2)
}

const HEADER: usize = 20;
const TLV_HEADER: usize = 4;
const IDENT: &str = "\n\t    ";

const OPCODES: &[(u8, &str)] = &[
    (1, "Update"),
    (3, "Query"),
    (4, "Reply"),
    (5, "Hello"),
    (6, "IPX SAP"),
    (7, "Probe"),
];

const FLAGS: &[super::ctl::Bit] = &[
    (0x01, "Init"),
    (0x02, "Conditionally Received"),
    (0x04, "Restart"),
    (0x08, "End-of-Table"),
];

const PARAMETERS: u16 = 0x0001;
const SW_VERSION: u16 = 0x0004;
const IP_INT: u16 = 0x0102;
const IP_EXT: u16 = 0x0103;
const AT_INT: u16 = 0x0202;
const AT_EXT: u16 = 0x0203;
const AT_CABLE: u16 = 0x0204;

const TLVS: &[(u16, &str)] = &[
    (PARAMETERS, "General Parameters"),
    (0x0002, "Authentication"),
    (0x0003, "Sequence"),
    (SW_VERSION, "Software Version"),
    (0x0005, "Next Multicast Sequence"),
    (IP_INT, "IP Internal routes"),
    (IP_EXT, "IP External routes"),
    (AT_INT, "AppleTalk Internal routes"),
    (AT_EXT, "AppleTalk External routes"),
    (AT_CABLE, "AppleTalk Cable setup"),
    (0x0302, "IPX Internal routes"),
    (0x0303, "IPX External routes"),
];

/// The value sizes tcpdump requires of the TLVs it decodes (its structs;
/// a route's counts one byte of prefix).
const SIZES: &[(u16, usize)] = &[
    (PARAMETERS, 8),
    (SW_VERSION, 4),
    (IP_INT, 22),
    (IP_EXT, 42),
    (AT_CABLE, 8),
    (AT_INT, 24),
    (AT_EXT, 40),
];

const ORIGINS: &[(u8, &str)] = &[
    (0x01, "IGRP"),
    (0x02, "EIGRP"),
    (0x03, "Static"),
    (0x04, "RIP"),
    (0x05, "Hello"),
    (0x06, "OSPF"),
    (0x07, "IS-IS"),
    (0x08, "EGP"),
    (0x09, "BGP"),
    (0x0a, "IDRP"),
    (0x0b, "Connected"),
];

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    print(w, p, v).map_err(Truncated::from)
}

/// Whether a cut line ended by tcpdump's `longjmp`: only a route's prefix
/// is read past the TLV it tested.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], v: u8) -> bool {
    matches!(print(&mut Vec::new(), p, v), Err(Stop::Jumped))
}

fn put_opcode(w: &mut Vec<u8>, opcode: u8, unknown: &str) {
    match tok(OPCODES, opcode) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "{unknown}{opcode}"),
    }
}

fn print(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Result<(), Stop> {
    let (m, len) = (p.bytes, p.declared_len);
    if m.len() < HEADER {
        return Err(Stop::Checked);
    }
    let (version, opcode) = (u8_at(m, 0)?, u8_at(m, 1)?);
    if version != 2 {
        out!(w, "EIGRP version {version} packet not supported");
        return Ok(());
    }
    if v == 0 || len < HEADER {
        w.extend_from_slice(b"EIGRP ");
        put_opcode(w, opcode, "unknown (");
        if tok(OPCODES, opcode).is_none() {
            w.push(b')');
        }
        out!(w, ", length: {len}");
        if v > 0 {
            out!(w, " (too short, < {HEADER})");
        }
        return Ok(());
    }
    let mut tlen = len - HEADER;
    out!(w, "\n\tEIGRP v{version}, opcode: ");
    put_opcode(w, opcode, "unknown, type: ");
    out!(w, " ({opcode}), chksum: 0x{:04x}, Flags: [", u16_at(m, 2)?);
    put_bits(w, FLAGS, u32_at(m, 4)?, "none");
    out!(
        w,
        "]\n\tseq: 0x{:08x}, ack: 0x{:08x}, VRID: {}, AS: {}, length: {tlen}",
        u32_at(m, 8)?,
        u32_at(m, 12)?,
        u16_at(m, 16)?,
        u16_at(m, 18)?
    );
    let mut at = HEADER;
    while tlen > 0 {
        let (kind, tlv_len) = (u16_at(m, at)?, usize::from(u16_at(m, at + 2)?));
        if tlv_len < TLV_HEADER || tlv_len > tlen {
            unknown_data(w, m, at + TLV_HEADER, IDENT, tlen);
            return Ok(());
        }
        out!(
            w,
            "\n\t  {} TLV (0x{kind:04x}), length: {tlv_len}",
            tok(TLVS, kind).unwrap_or("Unknown")
        );
        if m.len() < at + tlv_len {
            return Err(Stop::Checked);
        }
        let (value, value_len) = (at + TLV_HEADER, tlv_len - TLV_HEADER);
        let size = SIZES.iter().find(|(k, _)| *k == kind).map(|(_, n)| *n);
        match size {
            Some(size) if value_len < size => {
                out!(w, " (too short, < {})", TLV_HEADER + size)
            }
            Some(_) => tlv(w, m, kind, value)?,
            None if v <= 1 => unknown_data(w, m, value, IDENT, value_len),
            None => {}
        }
        if v > 1 {
            unknown_data(w, m, value, IDENT, value_len);
        }
        at += tlv_len;
        tlen -= tlv_len;
    }
    Ok(())
}

/// A TLV tcpdump decodes, captured whole and long enough.
fn tlv(w: &mut Vec<u8>, m: &[u8], kind: u16, at: usize) -> Result<(), Stop> {
    match kind {
        PARAMETERS => {
            let k = bytes_at::<5>(m, at)?;
            out!(
                w,
                "\n\t    holdtime: {}s, k1 {}, k2 {}, k3 {}, k4 {}, k5 {}",
                u16_at(m, at + 6)?,
                k[0],
                k[1],
                k[2],
                k[3],
                k[4]
            );
        }
        SW_VERSION => {
            let v = bytes_at::<4>(m, at)?;
            out!(
                w,
                "\n\t    IOS version: {}.{}, EIGRP version {}.{}",
                v[0],
                v[1],
                v[2],
                v[3]
            );
        }
        IP_INT => {
            if ip_prefix(w, m, at, at + 20)? {
                metrics(w, m, at + 4)?;
            }
        }
        IP_EXT => {
            if ip_prefix(w, m, at, at + 40)? {
                let metric = u32_at(m, at + 16)?;
                origin(w, m, at, ipv4_at(m, at + 4)?, at + 22, metric)?;
                metrics(w, m, at + 24)?;
            }
        }
        AT_CABLE => out!(
            w,
            "\n\t    Cable-range: {}-{}, Router-ID {}",
            u16_at(m, at)?,
            u16_at(m, at + 2)?,
            u32_at(m, at + 4)?
        ),
        AT_INT => {
            at_next_hop(w, m, at, at + 20)?;
            metrics(w, m, at + 4)?;
        }
        _ => {
            at_next_hop(w, m, at, at + 36)?;
            let metric = u32::from(u16_at(m, at + 18)?);
            origin(w, m, at, u32_at(m, at + 4)?, at + 16, metric)?;
            metrics(w, m, at + 20)?;
        }
    }
    Ok(())
}

/// An IPv4 route's prefix (its length at `plen`, then as many bytes as
/// it needs) and next hop; `false` after an illegal length. The prefix
/// may run past the TLV: reading it past the capture is the `longjmp`.
fn ip_prefix(w: &mut Vec<u8>, m: &[u8], hop: usize, plen: usize) -> Result<bool, Stop> {
    let bits = u8_at(m, plen)?;
    if bits > 32 {
        out!(w, "\n\t    illegal prefix length {bits}");
        return Ok(false);
    }
    let mut prefix = [0u8; 4];
    let n = usize::from(bits).div_ceil(8);
    let bytes = m.get(plen + 1..plen + 1 + n).ok_or(Stop::Jumped)?;
    prefix[..n].copy_from_slice(bytes);
    let text = std::net::Ipv4Addr::from(prefix).to_string();
    out!(w, "\n\t    IPv4 prefix: {text:>15}/{bits}, nexthop: ");
    match u32_at(m, hop)? {
        0 => w.extend_from_slice(b"self"),
        _ => out!(w, "{}", ipv4_at(m, hop)?),
    }
    Ok(true)
}

/// An external route's origin: the router (an IPv4 address, or
/// AppleTalk's number), its AS and tag (the same offsets in both), the
/// protocol and flags at `proto`, the external metric.
fn origin(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    router: impl std::fmt::Display,
    proto: usize,
    metric: u32,
) -> Res<()> {
    out!(
        w,
        "\n\t      origin-router {router}, origin-as {}, origin-proto {}, flags [0x{:02x}], tag 0x{:08x}, metric {metric}",
        u32_at(m, at + 8)?,
        tok(ORIGINS, u8_at(m, proto)?).unwrap_or("unknown"),
        u8_at(m, proto + 1)?,
        u32_at(m, at + 12)?
    );
    Ok(())
}

/// An AppleTalk route's cable range (at `cable`) and next hop.
fn at_next_hop(w: &mut Vec<u8>, m: &[u8], hop: usize, cable: usize) -> Res<()> {
    out!(
        w,
        "\n\t     Cable-Range: {}-{}, nexthop: ",
        u16_at(m, cable)?,
        u16_at(m, cable + 2)?
    );
    match u32_at(m, hop)? {
        0 => w.extend_from_slice(b"self"),
        _ => out!(w, "{}.{}", u16_at(m, hop)?, u16_at(m, hop + 2)?),
    }
    Ok(())
}

/// The vector metric every route carries, from its delay on.
fn metrics(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let mtu = u32::from(u8_at(m, at + 8)?) << 16 | u32::from(u16_at(m, at + 9)?);
    out!(
        w,
        "\n\t      delay {} ms, bandwidth {} Kbps, mtu {mtu}, hop {}, reliability {}, load {}",
        u32_at(m, at)? / 100,
        u32_at(m, at + 4)?,
        u8_at(m, at + 11)?,
        u8_at(m, at + 12)?,
        u8_at(m, at + 13)?
    );
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("tlvs", |o, list| json_fields(o, list, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    o.insert("version".into(), json!(u8_at(m, 0)?));
    let opcode = u8_at(m, 1)?;
    o.insert("opcode".into(), json!(opcode));
    o.insert("opcode_name".into(), json!(tok(OPCODES, opcode)));
    o.insert("checksum".into(), json!(u16_at(m, 2)?));
    o.insert("flags".into(), json!(u32_at(m, 4)?));
    o.insert("sequence".into(), json!(u32_at(m, 8)?));
    o.insert("ack".into(), json!(u32_at(m, 12)?));
    o.insert("vrid".into(), json!(u16_at(m, 16)?));
    o.insert("as".into(), json!(u16_at(m, 18)?));
    let mut at = HEADER;
    while at < m.len() {
        let (kind, len) = (u16_at(m, at)?, usize::from(u16_at(m, at + 2)?));
        let mut t = json!({"type": kind, "name": tok(TLVS, kind), "length": len});
        if len < TLV_HEADER {
            list.push(t);
            break;
        }
        if let (Some(o), Some((hop, plen))) = (t.as_object_mut(), route_offsets(kind)) {
            route_json(o, m, at + TLV_HEADER, hop, plen);
        }
        list.push(t);
        at += len;
    }
    Ok(())
}

/// Where an IPv4 route TLV's value holds its next hop and prefix length.
fn route_offsets(kind: u16) -> Option<(usize, usize)> {
    match kind {
        IP_INT => Some((0, 20)),
        IP_EXT => Some((0, 40)),
        _ => None,
    }
}

/// An IPv4 route's `next_hop` and `prefix` (`192.0.2.0/24`), as far as
/// they were captured and legal.
fn route_json(o: &mut Map<String, Value>, m: &[u8], at: usize, hop: usize, plen: usize) {
    if let Ok(a) = ipv4_at(m, at + hop) {
        o.insert("next_hop".into(), json!(a.to_string()));
    }
    let Ok(bits) = u8_at(m, at + plen) else {
        return;
    };
    let n = usize::from(bits).div_ceil(8);
    if let (true, Some(bytes)) = (bits <= 32, m.get(at + plen + 1..at + plen + 1 + n)) {
        let mut prefix = [0u8; 4];
        prefix[..n].copy_from_slice(bytes);
        let text = format!("{}/{bits}", std::net::Ipv4Addr::from(prefix));
        o.insert("prefix".into(), json!(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_hello_and_cut_prefix() {
        let mut m = vec![2, 5, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100];
        m.extend_from_slice(&[0, 1, 0, 12, 1, 0, 1, 0, 0, 0, 0, 15]);
        assert_eq!(EIGRP.printed(&m, 0), "EIGRP Hello, length: 32");
        assert_eq!(
            EIGRP.printed(&m, 1),
            "\n\tEIGRP v2, opcode: Hello (5), chksum: 0x0000, Flags: [Init]\
             \n\tseq: 0x00000000, ack: 0x00000000, VRID: 0, AS: 100, length: 12\
             \n\t  General Parameters TLV (0x0001), length: 12\
             \n\t    holdtime: 15s, k1 1, k2 0, k3 1, k4 0, k5 0"
        );
        // A /32 prefix whose last bytes lie past the capture: the longjmp.
        let mut r = m[..20].to_vec();
        r[1] = 1;
        r.extend_from_slice(&[1, 2, 0, 26]);
        r.extend_from_slice(&[0; 20]);
        r.extend_from_slice(&[32, 10]);
        let p = Payload::whole(&r);
        assert!(cut_jumps(&p, b"", 1));
        assert!(EIGRP.printed(&r, 1).ends_with("length: 26 [|eigrp]"));
    }
}
