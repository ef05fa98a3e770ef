//! QUIC (RFC 9000, 9001) on any UDP port, recognised by its long header
//! (form and fixed bits set, version 1 or 2, or a Version Negotiation
//! packet). tcpdump 4.99 prints `UDP, length N` for it, so the line stays
//! that; `--app` appends, per long-header packet of the datagram:
//!
//! ```text
//! [QUIC Initial v1 dcid=8394c8f03e515708 pn=2 ClientHello sni=example.com alpn=alpn versions=1.3 ciphers=2 ja4=q13d0211an_…]
//! ```
//!
//! and `--json` always gets the `"quic"` object. A version 1 client
//! Initial is decrypted with the keys its DCID gives ([`initial`]), its
//! CRYPTO frames joined ([`frames`]) and the ClientHello read as TLS's
//! (server name, ALPN, versions, JA4 with the `q` prefix). A ClientHello
//! that continues in the next datagram (post-quantum key shares make it
//! longer than one) is read as far as this datagram goes and marked
//! `partial`; `crate::flow::pdu` joins the connection's Initials
//! ([`client_crypto`]) and the datagram that completes it gets it whole
//! ([`to_json_joined`], [`app_line_joined`]). Server Initials, Handshake and 0-RTT packets are named, not
//! opened. The flow's Zeek service is `quic`.

pub mod frames;
pub mod initial;

use super::tls::hello::{self, ClientHello};
use super::tls::ja4::Transport;
use super::tls::{Items, client_hello_json, put_client_hello, put_list};
use super::wire::{Res, u8_at, u32_at};
use super::{Dissector, Heuristic, Payload, put_num};
use serde_json::{Map, Value, json};
use std::io::Write;

/// QUIC on any UDP port.
pub static QUIC: Heuristic = Heuristic {
    dissector: Dissector {
        name: "quic",
        json_key: "quic",
        line: None,
        verbose: None,
        json: to_json,
        service: "quic",
        recognise: starts_long_header,
    },
    app: app_line,
};

const V1: u32 = 1;
const V2: u32 = 0x6b33_43cf;
/// Packets read per datagram at most (coalesced packets are few).
const MAX_PACKETS: usize = 8;

/// Whether a datagram starts with a QUIC long header sockscope knows.
pub fn starts_long_header(m: &[u8]) -> bool {
    matches!(long_header(m, 0), Ok(Some(_)))
}

/// A long header's fields.
struct Long<'a> {
    version: u32,
    /// The type bits, as version 1 numbers them (0 Initial, 1 0-RTT,
    /// 2 Handshake, 3 Retry); `None` for Version Negotiation.
    kind: Option<u8>,
    dcid: &'a [u8],
    scid: &'a [u8],
    /// Where the fields after the connection IDs start.
    rest: usize,
}

fn long_header(m: &[u8], at: usize) -> Res<Option<Long<'_>>> {
    let first = u8_at(m, at)?;
    let version = u32_at(m, at + 1)?;
    if first & 0x80 == 0 || (version != 0 && first & 0x40 == 0) {
        return Ok(None);
    }
    let kind = match version {
        0 => None,
        V1 => Some((first >> 4) & 3),
        // Version 2 turns the types around (RFC 9369 §3.2).
        V2 => Some(((first >> 4) & 3).wrapping_sub(1) & 3),
        _ => return Ok(None),
    };
    let dlen = usize::from(u8_at(m, at + 5)?);
    let dcid = m.get(at + 6..at + 6 + dlen).ok_or(super::Truncated)?;
    let slen = usize::from(u8_at(m, at + 6 + dlen)?);
    let s_at = at + 7 + dlen;
    let scid = m.get(s_at..s_at + slen).ok_or(super::Truncated)?;
    if dlen > 20 || slen > 20 {
        return Ok(None);
    }
    Ok(Some(Long {
        version,
        kind,
        dcid,
        scid,
        rest: s_at + slen,
    }))
}

/// One packet of a datagram, as far as it could be read.
struct Packet<'a> {
    long: Long<'a>,
    token_len: Option<usize>,
    length: Option<usize>,
    opened: Option<initial::Opened>,
    /// Version Negotiation's versions.
    versions: Vec<u32>,
}

/// The long-header packets of a datagram (a short-header packet after
/// them ends the list: it cannot be read without the connection's keys).
fn packets<'a>(m: &'a [u8]) -> (Vec<Packet<'a>>, bool) {
    let mut out = Vec::new();
    let mut at = 0;
    while at < m.len() && out.len() < MAX_PACKETS {
        let Ok(Some(long)) = long_header(m, at) else {
            return (out, false);
        };
        let mut p = Packet {
            long,
            token_len: None,
            length: None,
            opened: None,
            versions: Vec::new(),
        };
        let end = read_packet(m, at, &mut p);
        out.push(p);
        match end {
            Ok(end) => at = end,
            Err(_) => return (out, false),
        }
    }
    (out, at == m.len())
}

/// The fields after the connection IDs; returns where the packet ends.
fn read_packet(m: &[u8], start: usize, p: &mut Packet<'_>) -> Res<usize> {
    let mut at = p.long.rest;
    match p.long.kind {
        None => {
            while at < m.len() {
                p.versions.push(u32_at(m, at)?);
                at += 4;
            }
            return Ok(at);
        }
        // Retry: the rest of the datagram is its token and tag.
        Some(3) => return Ok(m.len()),
        Some(0) => {
            let n = frames_size(m, &mut at)?;
            p.token_len = Some(n);
            at = at
                .checked_add(n)
                .filter(|&e| e <= m.len())
                .ok_or(super::Truncated)?;
        }
        Some(_) => {}
    }
    let len = frames_size(m, &mut at)?;
    p.length = Some(len);
    let end = at
        .checked_add(len)
        .filter(|&e| e <= m.len())
        .ok_or(super::Truncated)?;
    if p.long.kind == Some(0) && p.long.version == V1 {
        let packet = m.get(start..end).ok_or(super::Truncated)?;
        p.opened =
            initial::client_keys(p.long.dcid).and_then(|k| initial::open(&k, packet, at - start));
    }
    Ok(end)
}

fn frames_size(m: &[u8], at: &mut usize) -> Res<usize> {
    usize::try_from(frames::varint(m, at)?).map_err(|_| super::Truncated)
}

/// The frames of every opened Initial of the datagram, and their CRYPTO
/// stream joined (from which the ClientHello is read).
struct Content<'a> {
    frames: Vec<frames::Frames<'a>>,
    stream: frames::CryptoBuf,
}

fn content<'a>(packets: &'a [Packet<'_>]) -> Content<'a> {
    let mut all = Vec::new();
    let mut stream = frames::CryptoBuf::default();
    for p in packets {
        let mut f = frames::Frames::default();
        if let Some(o) = &p.opened {
            frames::read(&o.payload, &mut f);
            for &(offset, data) in &f.crypto {
                stream.put(offset, data);
            }
        }
        all.push(f);
    }
    Content {
        frames: all,
        stream,
    }
}

/// What [`client_crypto`] hands each piece to: `(dcid, offset, bytes)`.
pub type CryptoPiece<'f> = dyn FnMut(&[u8], usize, &[u8]) + 'f;

/// Each CRYPTO piece of the client Initials a datagram carries that the
/// keys of their DCID open, with that DCID: `each(dcid, offset, bytes)`.
/// How the flow side joins a ClientHello spread over several Initials
/// (see `crate::flow::pdu`).
pub fn client_crypto(m: &[u8], each: &mut CryptoPiece<'_>) {
    let (packets, _) = packets(m);
    for p in &packets {
        if let Some(o) = &p.opened {
            let mut f = frames::Frames::default();
            frames::read(&o.payload, &mut f);
            for &(offset, data) in &f.crypto {
                each(p.long.dcid, offset, data);
            }
        }
    }
}

/// Whether a CRYPTO stream starts with a whole ClientHello.
pub fn hello_complete(stream: &[u8]) -> bool {
    client_hello(stream).is_some_and(|(_, whole)| whole)
}

/// The ClientHello at the start of a CRYPTO stream, if it is one.
fn client_hello(stream: &[u8]) -> Option<(ClientHello<'_>, bool)> {
    if u8_at(stream, 0).ok()? != 1 {
        return None;
    }
    let len = u32_at(stream, 0).ok()? & 0x00ff_ffff;
    let len = usize::try_from(len).ok()?;
    let end = 4 + len;
    let body = stream.get(4..end.min(stream.len()))?;
    let mut h = ClientHello::default();
    let read = hello::read_client_hello(body, &mut h);
    Some((h, read.is_ok() && end <= stream.len()))
}

fn kind_name(kind: Option<u8>) -> (&'static str, &'static str) {
    match kind {
        None => ("VersionNegotiation", "version_negotiation"),
        Some(0) => ("Initial", "initial"),
        Some(1) => ("0-RTT", "0rtt"),
        Some(2) => ("Handshake", "handshake"),
        _ => ("Retry", "retry"),
    }
}

fn put_version(w: &mut Vec<u8>, v: u32) {
    match v {
        V1 => w.extend_from_slice(b"v1"),
        V2 => w.extend_from_slice(b"v2"),
        _ => {
            let _ = write!(w, "0x{v:08x}");
        }
    }
}

fn put_hex(w: &mut Vec<u8>, b: &[u8]) {
    for x in b {
        let _ = write!(w, "{x:02x}");
    }
}

fn hex(b: &[u8]) -> String {
    let mut w = Vec::with_capacity(b.len() * 2);
    put_hex(&mut w, b);
    String::from_utf8(w).unwrap_or_default()
}

/// ` [QUIC …]` for `--app`.
fn app_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    app_line_joined(w, p, None)
}

/// [`app_line`] with the ClientHello read from `joined`, the CRYPTO
/// stream of the connection's Initials up to this datagram, instead of
/// this datagram's alone.
pub fn app_line_joined(w: &mut Vec<u8>, p: &Payload<'_>, joined: Option<&[u8]>) -> Res<()> {
    let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    let (packets, _) = packets(m);
    if packets.is_empty() {
        return Ok(());
    }
    let c = content(&packets);
    let mut hello = client_hello(joined.unwrap_or(c.stream.prefix()));
    w.extend_from_slice(b" [QUIC ");
    let mut items = Items::default();
    for (i, pk) in packets.iter().enumerate() {
        let (name, _) = kind_name(pk.long.kind);
        if i > 0 && pk.opened.is_none() {
            items.name(w, name);
            continue;
        }
        items.start(w);
        w.extend_from_slice(name.as_bytes());
        if pk.long.kind.is_some() {
            w.push(b' ');
            put_version(w, pk.long.version);
        }
        w.extend_from_slice(b" dcid=");
        put_hex(w, pk.long.dcid);
        if !pk.long.scid.is_empty() {
            w.extend_from_slice(b" scid=");
            put_hex(w, pk.long.scid);
        }
        if !pk.versions.is_empty() {
            w.extend_from_slice(b" versions=");
            put_list(w, &pk.versions, |w, &v| put_version(w, v));
        }
        if let Some(o) = &pk.opened {
            w.extend_from_slice(b" pn=");
            put_num(w, o.packet_number);
            if let Some((h, whole)) = hello.take() {
                w.push(b' ');
                put_client_hello(w, &h, whole, Transport::Quic);
            }
        }
    }
    items.finish(w);
    w.push(b']');
    Ok(())
}

/// The `"quic"` object: each long-header packet's fields, and the
/// ClientHello an opened client Initial carried.
fn to_json(p: &Payload<'_>) -> Value {
    to_json_joined(p, None)
}

/// The `--app` text of a datagram whose ClientHello is read from
/// `joined` (see [`app_line_joined`]), ` [|quic]` where it stopped.
pub fn write_app_joined(w: &mut Vec<u8>, p: &Payload<'_>, joined: &[u8]) {
    if app_line_joined(w, p, Some(joined)).is_err() {
        w.extend_from_slice(b" [|quic]");
    }
}

/// [`to_json`] with the ClientHello read from `joined` (see
/// [`app_line_joined`]).
pub fn to_json_joined(p: &Payload<'_>, joined: Option<&[u8]>) -> Value {
    let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    let (packets, complete) = packets(m);
    let c = content(&packets);
    let mut list = Vec::new();
    for (pk, f) in packets.iter().zip(&c.frames) {
        let mut o = Map::new();
        o.insert("type".into(), json!(kind_name(pk.long.kind).1));
        o.insert(
            "version".into(),
            json!(format!("0x{:08x}", pk.long.version)),
        );
        o.insert("dcid".into(), json!(hex(pk.long.dcid)));
        o.insert("scid".into(), json!(hex(pk.long.scid)));
        if let Some(n) = pk.token_len {
            o.insert("token_length".into(), json!(n));
        }
        if let Some(n) = pk.length {
            o.insert("length".into(), json!(n));
        }
        if !pk.versions.is_empty() {
            let v: Vec<Value> = pk
                .versions
                .iter()
                .map(|v| json!(format!("0x{v:08x}")))
                .collect();
            o.insert("versions".into(), Value::Array(v));
        }
        o.insert("decrypted".into(), json!(pk.opened.is_some()));
        if let Some(op) = &pk.opened {
            o.insert("packet_number".into(), json!(op.packet_number));
            o.insert("frames".into(), json!(f.names));
        }
        list.push(Value::Object(o));
    }
    let mut o = Map::new();
    o.insert("packets".into(), Value::Array(list));
    if let Some((h, whole)) = client_hello(joined.unwrap_or(c.stream.prefix())) {
        o.insert(
            "client_hello".into(),
            client_hello_json(&h, whole, Transport::Quic),
        );
    }
    o.insert("complete".into(), json!(complete));
    Value::Object(o)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::initial::tests::hex as unhex;
    use super::*;

    /// RFC 9001 Appendix A.2: the client's protected Initial (1200 bytes).
    pub(crate) fn rfc9001_client_initial() -> Vec<u8> {
        unhex(include_str!("rfc9001_a2_client_initial.hex"))
    }

    fn app(m: &[u8]) -> String {
        let mut w = Vec::new();
        app_line(&mut w, &Payload::whole(m)).unwrap();
        String::from_utf8(w).unwrap()
    }

    #[test]
    fn test_rfc9001_a2_client_initial_decodes() {
        let m = rfc9001_client_initial();
        assert_eq!(m.len(), 1200);
        assert!(starts_long_header(&m));
        let line = app(&m);
        assert!(
            line.starts_with(
                " [QUIC Initial v1 dcid=8394c8f03e515708 pn=2 ClientHello sni=example.com alpn=alpn versions=1.3 ciphers=2 ja4=q13d0211an_"
            ),
            "{line}"
        );
        let j = to_json(&Payload::whole(&m));
        assert_eq!(j["packets"][0]["decrypted"], true);
        assert_eq!(j["packets"][0]["packet_number"], 2);
        assert_eq!(j["packets"][0]["frames"], json!(["crypto", "padding"]));
        assert_eq!(j["client_hello"]["sni"], "example.com");
        assert_eq!(j["client_hello"]["complete"], true);
        assert_eq!(j["complete"], true);
    }

    #[test]
    fn test_damaged_initial_is_named_not_opened() {
        let mut m = rfc9001_client_initial();
        if let Some(b) = m.get_mut(600) {
            *b ^= 0x40;
        }
        assert_eq!(app(&m), " [QUIC Initial v1 dcid=8394c8f03e515708]");
        assert_eq!(
            to_json(&Payload::whole(&m))["packets"][0]["decrypted"],
            false
        );
    }

    #[test]
    fn test_version_negotiation_and_not_quic() {
        let mut vn = vec![0x80, 0, 0, 0, 0, 1, 0xaa, 1, 0xbb];
        vn.extend([0, 0, 0, 1, 0x6b, 0x33, 0x43, 0xcf]);
        assert_eq!(
            app(&vn),
            " [QUIC VersionNegotiation dcid=aa scid=bb versions=v1,v2]"
        );
        assert!(!starts_long_header(&[0x40, 0, 0, 0, 1, 0]));
        assert!(!starts_long_header(&[0xc0, 0, 0, 0, 9, 0, 0]));
        assert!(!starts_long_header(b"\x12\x34\x01\x00\x00\x01"));
    }
}
