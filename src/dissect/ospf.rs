//! OSPFv2 (IP protocol 89, RFC 2328) as `tcpdump -n` prints it: `OSPFv2,
//! Hello, length 44` on the default line; at `-v` the router and area,
//! the authentication, then by packet type the hello's timers, DR/BDR
//! and neighbours, the database description's flags and LSA headers, the
//! LS requests, each LSA of an update (router links with their metrics,
//! network, summary and external LSAs) and the acknowledged LSA headers,
//! and the LLS block after the message. `-vv` adds each LSA in hex.
//! Opaque LSAs (TE, grace, router information) are decoded in `opaque`.
//! OSPFv3 (over IPv6, RFC 5340) is in `v3`.

pub(super) mod opaque;
mod v3;

use super::ctl::{
    Bit, ipv4_at, json_head, json_object, line_is_level_0, out, put_bits, put_text_nul,
    put_tok_num, tok,
};
use super::dns::text::put_hex_dump;
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, IpContext, Payload, Truncated};
use opaque::Walk;
use serde_json::{Map, Value, json};
use std::net::Ipv4Addr;

pub static OSPF: Dissector =
    Dissector::new("ospf2", line, verbose, to_json, looks_like_ospf).known_as("ospf", "ospf");

fn looks_like_ospf(m: &[u8]) -> bool {
    matches!(m, [2, 1..=5, ..])
}

const TYPES: &[(u8, &str)] = &[
    (1, "Hello"),
    (2, "Database Description"),
    (3, "LS-Request"),
    (4, "LS-Update"),
    (5, "LS-Ack"),
];

const OPTIONS: &[Bit] = &[
    (0x01, "MultiTopology"),
    (0x02, "External"),
    (0x04, "Multicast"),
    (0x08, "NSSA"),
    (0x10, "LLS"),
    (0x20, "Demand Circuit"),
    (0x40, "Opaque"),
    (0x80, "Up/Down"),
];

const DD_FLAGS: &[Bit] = &[
    (0x04, "Init"),
    (0x02, "More"),
    (0x01, "Master"),
    (0x08, "OOBResync"),
];

const ROUTER_FLAGS: &[Bit] = &[
    (0x01, "ABR"),
    (0x02, "ASBR"),
    (0x04, "Virtual"),
    (0x08, "Wildcard"),
    (0x10, "Nt"),
    (0x80, "Host"),
];

const LSA_TYPES: &[(u32, &str)] = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Summary"),
    (4, "ASBR Summary"),
    (5, "External"),
    (6, "Multicast Group"),
    (7, "NSSA"),
    (9, "Link Local Opaque"),
    (10, "Area Local Opaque"),
    (11, "Domain Wide Opaque"),
];

const OPAQUE_TYPES: &[(u8, &str)] = &[
    (1, "Traffic Engineering"),
    (3, "Graceful restart"),
    (4, "Router Information"),
];

const AUTH_TYPES: &[(u16, &str)] = &[(0, "none"), (1, "simple"), (2, "MD5")];
const TOPOLOGIES: &[(u32, &str)] = &[(0, "default"), (1, "multicast"), (2, "management")];

const HEADER_LEN: usize = 24;
const LSA_HEADER_LEN: usize = 20;
const MD5_LEN: usize = 16;

fn bits(table: &[Bit], v: u8) -> String {
    let mut w = Vec::new();
    put_bits(&mut w, table, u32::from(v), "none");
    String::from_utf8_lossy(&w).into_owned()
}

line_is_level_0!();

/// tcpdump picks the printer by IP version: OSPFv2's over IPv4, OSPFv3's
/// over IPv6 (whatever version the message claims).
pub(super) fn with_ip(w: &mut Vec<u8>, p: &Payload<'_>, ip: &IpContext, v: u8) -> Res<()> {
    if ip.src.is_ipv4() {
        verbose(w, p, v)
    } else {
        // OSPFv3's printer has its own name in the cut mark.
        if v3::print(w, p, v).is_err() {
            w.extend_from_slice(b" [|ospf3]");
        }
        Ok(())
    }
}

/// Whether a cut line ended by tcpdump's `longjmp`: OSPFv2's printer reads
/// with `GET_` macros throughout; OSPFv3's also stops after its own
/// length tests (the LLS block, the trailer, an LSA's length), so it is
/// run again for how it stopped.
pub(super) fn cut_jumps(p: &Payload<'_>, w: &[u8], v: u8) -> bool {
    !w.ends_with(b" [|ospf3]")
        || matches!(v3::print(&mut Vec::new(), p, v), Err(super::Stop::Jumped))
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let mut m = p.bytes;
    let mut length = p.declared_len;
    // The MD5 digest after the message is not part of it (nor read).
    if u16_at(m, 14)? == 2 {
        length = length.wrapping_sub(MD5_LEN) & 0xffff_ffff;
        m = m.get(..m.len().saturating_sub(MD5_LEN)).unwrap_or(&[]);
    }
    let version = u8_at(m, 0)?;
    let kind = u8_at(m, 1)?;
    match tok(TYPES, kind) {
        Some(name) => out!(w, "OSPFv{version}, {name}, length {length}"),
        None => {
            out!(w, "OSPFv{version}, unknown LS-type {kind}, length {length}");
            return Ok(());
        }
    }
    if v == 0 {
        return Ok(());
    }
    let ospf_len = usize::from(u16_at(m, 2)?);
    if length != ospf_len {
        out!(w, " [len {ospf_len}]");
    }
    let dataend = ospf_len.min(length);
    router_and_area(w, m)?;
    if m.len() < HEADER_LEN {
        return Err(Truncated);
    }
    let auth = u16_at(m, 14)?;
    w.extend_from_slice(b", Authentication Type: ");
    put_tok_num(w, AUTH_TYPES, auth);
    match auth {
        0 => {}
        1 => {
            w.extend_from_slice(b"\n\tSimple text password: ");
            put_text_nul(w, m, 16, 8)?;
        }
        2 => {
            let (key, alen, seq) = (u8_at(m, 18)?, u8_at(m, 19)?, u32_at(m, 20)?);
            out!(
                w,
                "\n\tKey-ID: {key}, Auth-Length: {alen}, Crypto Sequence Number: 0x{seq:08x}"
            );
        }
        _ => return Ok(()),
    }
    if version != 2 {
        out!(w, " ospf [version {version}]");
        return Ok(());
    }
    v2_body(w, m, kind, dataend, v)?;
    if length > ospf_len {
        lls(w, m, kind, length)?;
    }
    Ok(())
}

/// The header's router and area, both versions alike.
fn router_and_area(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    out!(w, "\n\tRouter-ID {}", ipv4_at(m, 4)?);
    if u32_at(m, 8)? != 0 {
        out!(w, ", Area {}", ipv4_at(m, 8)?);
    } else {
        w.extend_from_slice(b", Backbone Area");
    }
    Ok(())
}

/// A hello's timers, its mask (v2) or interface id (v3), and priority
/// (all read before any is printed, as tcpdump's one `printf` does).
fn hello_timers(w: &mut Vec<u8>, (hello, dead): (u32, u32), what: (&str, Ipv4Addr), prio: u8) {
    let (name, addr) = what;
    out!(
        w,
        "\n\t  Hello Timer {hello}s, Dead Timer {dead}s, {name} {addr}, Priority {prio}"
    );
}

/// A hello's DR and BDR (at `at` and after it), each when set.
fn designated_routers(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    if u32_at(m, at)? != 0 {
        out!(w, "\n\t  Designated Router {}", ipv4_at(m, at)?);
    }
    if u32_at(m, at + 4)? != 0 {
        out!(w, ", Backup Designated Router {}", ipv4_at(m, at + 4)?);
    }
    Ok(())
}

fn v2_body(w: &mut Vec<u8>, m: &[u8], kind: u8, dataend: usize, v: u8) -> Res<()> {
    match kind {
        1 => {
            out!(w, "\n\tOptions [{}]", bits(OPTIONS, u8_at(m, 30)?));
            let timers = (u32::from(u16_at(m, 28)?), u32_at(m, 32)?);
            hello_timers(w, timers, ("Mask", ipv4_at(m, 24)?), u8_at(m, 31)?);
            designated_routers(w, m, 36)?;
            let mut at = 44;
            if at < dataend {
                w.extend_from_slice(b"\n\t  Neighbor List:");
            }
            while at < dataend {
                out!(w, "\n\t    {}", ipv4_at(m, at)?);
                at += 4;
            }
        }
        2 => {
            out!(w, "\n\tOptions [{}]", bits(OPTIONS, u8_at(m, 26)?));
            out!(w, ", DD Flags [{}]", bits(DD_FLAGS, u8_at(m, 27)?));
            let mtu = u16_at(m, 24)?;
            if mtu != 0 {
                out!(w, ", MTU: {mtu}");
            }
            out!(w, ", Sequence: 0x{:08x}", u32_at(m, 28)?);
            let mut at = 32;
            while at < dataend && lsa_header(w, m, at)?.is_some() {
                at += LSA_HEADER_LEN;
            }
        }
        3 => {
            let mut at = HEADER_LEN;
            while at < dataend {
                if m.len() < at + 12 {
                    return Err(Truncated);
                }
                let (router, t) = (ipv4_at(m, at + 8)?, u32_at(m, at)?);
                let name = tok(LSA_TYPES, t).unwrap_or("unknown");
                out!(w, "\n\t  Advertising Router: {router}, {name} LSA ({t})");
                match t {
                    9..=11 => {
                        let ot = u8_at(m, at + 4)?;
                        let id = u32_at(m, at + 4)? & 0x00ff_ffff;
                        let oname = tok(OPAQUE_TYPES, ot).unwrap_or("unknown");
                        out!(w, ", Opaque-Type: {oname} LSA ({ot}), Opaque-ID: {id}");
                    }
                    _ => out!(w, ", LSA-ID: {}", ipv4_at(m, at + 4)?),
                }
                at += 12;
            }
        }
        4 => {
            let count = u32_at(m, HEADER_LEN)?;
            out!(w, ", {count} LSA{}", if count == 1 { "" } else { "s" });
            let mut at = HEADER_LEN + 4;
            for n in 1..=count {
                out!(w, "\n\t  LSA #{n}");
                at = lsa(w, m, at, v)?.ok_or(Truncated)?;
            }
        }
        5 => {
            let mut at = HEADER_LEN;
            while lsa_header(w, m, at)?.is_some() {
                at += LSA_HEADER_LEN;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One LSA header; its length, or `None` after ` Bogus length` (the
/// list ends there).
fn lsa_header(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<Option<usize>> {
    let len = usize::from(u16_at(m, at + 18)?);
    if len < LSA_HEADER_LEN {
        out!(w, "\n\t    Bogus length {len} < header ({LSA_HEADER_LEN})");
        return Ok(None);
    }
    let (router, seq, age) = (ipv4_at(m, at + 8)?, u32_at(m, at + 12)?, u16_at(m, at)?);
    out!(
        w,
        "\n\t  Advertising Router {router}, seq 0x{seq:08x}, age {age}s, length {}",
        len - LSA_HEADER_LEN
    );
    let t = u8_at(m, at + 3)?;
    let name = tok(LSA_TYPES, u32::from(t)).unwrap_or("unknown");
    match t {
        9..=11 => {
            let ot = u8_at(m, at + 4)?;
            let id = u32_at(m, at + 4)? & 0x00ff_ffff;
            let oname = tok(OPAQUE_TYPES, ot).unwrap_or("unknown");
            out!(
                w,
                "\n\t    {name} LSA ({t}), Opaque-Type {oname} LSA ({ot}), Opaque-ID {id}"
            );
        }
        _ => out!(
            w,
            "\n\t    {name} LSA ({t}), LSA-ID: {}",
            ipv4_at(m, at + 4)?
        ),
    }
    out!(w, "\n\t    Options: [{}]", bits(OPTIONS, u8_at(m, at + 2)?));
    Ok(Some(len))
}

fn topology(t: u32) -> &'static str {
    tok(TOPOLOGIES, t).unwrap_or("Unknown")
}

/// One LSA of an update, header and body; where the next one starts, or
/// `None` when its header's length is bogus.
fn lsa(w: &mut Vec<u8>, m: &[u8], at: usize, v: u8) -> Res<Option<usize>> {
    let Some(len) = lsa_header(w, m, at)? else {
        return Ok(None);
    };
    let end = at + len;
    let body = at + LSA_HEADER_LEN;
    let body_len = len - LSA_HEADER_LEN;
    let need = |n: usize| if m.len() < n { Err(Truncated) } else { Ok(()) };
    match u8_at(m, at + 3)? {
        1 => {
            out!(
                w,
                "\n\t    Router LSA Options: [{}]",
                bits(ROUTER_FLAGS, u8_at(m, body)?)
            );
            let count = u16_at(m, body + 2)?;
            need(body + 4 + 12)?;
            let mut link = body + 4;
            for _ in 0..count {
                need(link + 12)?;
                let kind = u8_at(m, link + 8)?;
                let (id, data) = (ipv4_at(m, link)?, ipv4_at(m, link + 4)?);
                match kind {
                    4 => out!(
                        w,
                        "\n\t      Virtual Link: Neighbor Router-ID: {id}, Interface Address: {data}"
                    ),
                    1 => out!(
                        w,
                        "\n\t      Neighbor Router-ID: {id}, Interface Address: {data}"
                    ),
                    2 => out!(
                        w,
                        "\n\t      Neighbor Network-ID: {id}, Interface Address: {data}"
                    ),
                    3 => out!(w, "\n\t      Stub Network: {id}, Mask: {data}"),
                    k => {
                        out!(w, "\n\t      Unknown Router Link Type ({k})");
                        return Ok(Some(end));
                    }
                }
                let tos_count = usize::from(u8_at(m, link + 9)?);
                for i in 0..=tos_count {
                    let at = link + 8 + 4 * i;
                    let t = if i == 0 { 0 } else { u32::from(u8_at(m, at)?) };
                    let metric = u16_at(m, at + 2)?;
                    out!(w, "\n\t\ttopology {} ({t}), metric {metric}", topology(t));
                }
                link += 12 + 4 * tos_count;
            }
        }
        2 => {
            out!(
                w,
                "\n\t    Mask {}\n\t    Connected Routers:",
                ipv4_at(m, body)?
            );
            let mut r = body + 4;
            while r < end {
                out!(w, "\n\t      {}", ipv4_at(m, r)?);
                r += 4;
            }
        }
        // Summary (3), ASBR summary (4): a metric per topology;
        // external (5) and NSSA (7): type, metric, forwarding address and
        // tag per topology. All but the ASBR summary start with a mask.
        t @ (3 | 4 | 5 | 7) => {
            need(body + 4)?;
            if t != 4 {
                out!(w, "\n\t    Mask {}", ipv4_at(m, body)?);
            }
            need(body + 8)?;
            let mut at = body + 4;
            while at < end {
                let ul = u32_at(m, at)?;
                let tos = (ul & 0x7f00_0000) >> 24;
                let metric = ul & 0x00ff_ffff;
                if t < 5 {
                    out!(
                        w,
                        "\n\t\ttopology {} ({tos}) metric {metric}",
                        topology(tos)
                    );
                    at += 4;
                    continue;
                }
                let kind = if ul & 0x8000_0000 != 0 { 2 } else { 1 };
                out!(
                    w,
                    "\n\t\ttopology {} ({tos}), type {kind}, metric",
                    topology(tos)
                );
                match metric {
                    0xff_ffff => w.extend_from_slice(b" infinite"),
                    metric => out!(w, " {metric}"),
                }
                if u32_at(m, at + 4)? != 0 {
                    out!(w, ", forward {}", ipv4_at(m, at + 4)?);
                }
                if u32_at(m, at + 8)? != 0 {
                    out!(w, ", tag {}", ipv4_at(m, at + 8)?);
                }
                at += 12;
            }
        }
        6 => {
            let mut at = body;
            while at < end {
                let (kind, id) = (u32_at(m, at)?, ipv4_at(m, at + 4)?);
                match kind {
                    1 => out!(w, "\n\t    Router Router-ID {id}"),
                    2 => out!(w, "\n\t    Network Designated Router {id}"),
                    k => out!(w, "\n\t    unknown VertexType ({k})"),
                }
                at += 8;
            }
        }
        9..=11 => {
            let rest = m.get(body..).unwrap_or(&[]);
            match opaque::print(w, rest, body_len, u8_at(m, at + 4)?, v) {
                Some(Ok(Walk::Done)) => {}
                Some(Ok(Walk::Stopped)) => return Ok(Some(end)),
                Some(Err(e)) => return Err(e),
                None if v <= 1 => put_hex_dump(w, avail(m, body, body_len), b"\n\t    "),
                None => {}
            }
        }
        _ => {}
    }
    if v > 1 {
        put_hex_dump(w, avail(m, body, body_len), b"\n\t    ");
    }
    Ok(Some(end))
}

/// Up to `len` bytes from `at`, as many as were captured.
fn avail(m: &[u8], at: usize, len: usize) -> &[u8] {
    let rest = m.get(at..).unwrap_or(&[]);
    rest.get(..len).unwrap_or(rest)
}

/// The link-local signalling block after a hello or database description
/// that says it has one (RFC 5613).
fn lls(w: &mut Vec<u8>, m: &[u8], kind: u8, length: usize) -> Res<()> {
    let options = match kind {
        1 => u8_at(m, 30)?,
        2 => u8_at(m, 26)?,
        _ => return Ok(()),
    };
    if options & 0x10 == 0 {
        return Ok(());
    }
    let mut len2 = usize::from(u16_at(m, 2)?);
    let mut at = len2;
    if u16_at(m, 14)? == 2 {
        let alen = usize::from(u8_at(m, 19)?);
        at += alen;
        len2 += alen;
    }
    if len2 >= length {
        w.extend_from_slice(b"\n\t[LLS truncated]");
        return Ok(());
    }
    out!(w, "\n\t  LLS: checksum: 0x{:04x}", u16_at(m, at)?);
    out!(w, ", length: {}", u16_at(m, at + 2)?);
    at += 4;
    while at < length {
        let t = u16_at(m, at)?;
        let name = match t {
            1 => "Extended Options",
            2 => "MD5 Authentication",
            _ => "Unknown TLV",
        };
        out!(w, "\n\t    {name} ({t})");
        let mut len = usize::from(u16_at(m, at + 2)?);
        out!(w, ", length: {len}");
        at += 4;
        match t {
            1 => {
                if len != 4 {
                    w.extend_from_slice(b" [should be 4]");
                    len = 4;
                }
                let flags = u32_at(m, at)?;
                out!(w, "\n\t      Options: 0x{flags:08x} [");
                put_bits(w, &[(1, "LSDB resync"), (2, "Restart")], flags, "?");
                w.push(b']');
            }
            2 => {
                if len != 20 {
                    w.extend_from_slice(b" [should be 20]");
                    len = 20;
                }
                out!(w, "\n\t      Sequence number: 0x{:08x}", u32_at(m, at)?);
            }
            _ => {}
        }
        at += len;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let kind = json_head(o, m, TYPES)?;
    o.insert("router_id".into(), json!(ipv4_at(m, 4)?.to_string()));
    o.insert("area_id".into(), json!(ipv4_at(m, 8)?.to_string()));
    o.insert("auth_type".into(), json!(u16_at(m, 14)?));
    match kind {
        1 => {
            o.insert("hello_interval".into(), json!(u16_at(m, 28)?));
            o.insert("dead_interval".into(), json!(u32_at(m, 32)?));
            o.insert("priority".into(), json!(u8_at(m, 31)?));
            o.insert("dr".into(), json!(ipv4_at(m, 36)?.to_string()));
            o.insert("bdr".into(), json!(ipv4_at(m, 40)?.to_string()));
        }
        2 => {
            o.insert("mtu".into(), json!(u16_at(m, 24)?));
            o.insert("dd_flags".into(), json!(u8_at(m, 27)?));
            o.insert("dd_sequence".into(), json!(u32_at(m, 28)?));
        }
        4 => {
            o.insert("lsa_count".into(), json!(u32_at(m, 24)?));
        }
        _ => {}
    }
    Ok(())
}
