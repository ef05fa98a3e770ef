//! Novell IPX (EtherType 0x8137, SNAP, LLC SAP 0xe0 and "raw" 802.3
//! frames whose LLC header is IPX's checksum 0xffff), as `tcpdump -n`
//! prints it after its `IPX ` (which the link layer's printer writes, as
//! `-e` changes it): `12345678.02:00:00:00:00:01.4000 >
//! 00000000.ff:ff:ff:ff:ff:ff.0452: ipx-sap-resp 0004 'SERVER1' addr …`
//! — network.node.socket each side, then by destination socket SAP
//! (requests and up to eight server entries), RIP (up to fifty routes),
//! EIGRP, or the socket's name (`ipx-ncp`, `ipx-netbios`, `ipx-diags`,
//! `ipx-nwlink-dgm`, else `ipx-#N`) and the length after the header.
//! The same at every `-v` level. tcpdump reads it with `GET_` macros
//! throughout (a cut ends the line with ` [|ipx]` and its `-x` dump
//! starts at the frame's first byte); a length that contradicts the
//! message ends it with ` (invalid)`.

use super::ctl::{json_object, out, put_mac};
use super::dns::text::put_char;
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static IPX: Dissector = Dissector::new("ipx", line, verbose, to_json, looks_like_ipx);

/// The header's 30 bytes, its length field no shorter.
fn looks_like_ipx(m: &[u8]) -> bool {
    u16_at(m, 2).is_ok_and(|l| l >= HEADER as u16) && m.len() >= HEADER
}

const HEADER: usize = 30;
const SOCKET_NCP: u16 = 0x0451;
const SOCKET_SAP: u16 = 0x0452;
const SOCKET_RIP: u16 = 0x0453;
const SOCKET_EIGRP: u16 = 0x85be;

/// The sockets tcpdump names with the payload's length only.
const NAMED_SOCKETS: &[(u16, &str)] = &[
    (SOCKET_NCP, "ipx-ncp"),
    (0x0455, "ipx-netbios"),
    (0x0456, "ipx-diags"),
    (0x0553, "ipx-nwlink-dgm"),
];

/// An IPX address: network, node and socket.
struct Address {
    net: u32,
    node: [u8; 6],
    socket: u16,
}

/// The address at `at` (network, node, socket), read whole or not at all
/// (tcpdump reads all three before it prints).
fn address_at(m: &[u8], at: usize) -> Res<Address> {
    Ok(Address {
        net: u32_at(m, at)?,
        node: bytes_at::<6>(m, at + 4)?,
        socket: u16_at(m, at + 10)?,
    })
}

/// `network.node` as tcpdump's `ipxaddr_string` writes it.
fn put_net_node(w: &mut Vec<u8>, net: u32, node: &[u8]) {
    out!(w, "{net:08x}.");
    put_mac(w, node);
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    let src = address_at(m, 18)?;
    put_net_node(w, src.net, &src.node);
    out!(w, ".{:04x} > ", src.socket);
    let dst = address_at(m, 6)?;
    put_net_node(w, dst.net, &dst.node);
    out!(w, ".{:04x}: ", dst.socket);
    let length = usize::from(u16_at(m, 2)?);
    if length < HEADER {
        out!(w, "[length {length} < {HEADER}] (invalid)");
        return Ok(());
    }
    let length = length - HEADER;
    match dst.socket {
        SOCKET_SAP => sap(w, m, length),
        SOCKET_RIP => rip(w, m, length),
        SOCKET_EIGRP => {
            let inner = Payload {
                bytes: m.get(HEADER..).unwrap_or(&[]),
                declared_len: length,
            };
            super::eigrp::EIGRP.write_line_cut(w, &inner, v);
            Ok(())
        }
        s => {
            match NAMED_SOCKETS.iter().find(|(k, _)| *k == s) {
                Some((_, name)) => out!(w, "{name} {length}"),
                None => out!(w, "ipx-#{s:x} {length}"),
            }
            Ok(())
        }
    }
}

/// tcpdump's `nd_print_invalid` after a length check failed.
fn invalid(w: &mut Vec<u8>) -> Res<()> {
    w.extend_from_slice(b" (invalid)");
    Ok(())
}

/// A SAP or RIP packet too short for its command, in tcpdump's words.
fn short_command(w: &mut Vec<u8>, length: usize) -> Res<()> {
    out!(w, " [length {length} < 2]");
    invalid(w)
}

/// Service Advertising Protocol: a request's service type, or a
/// response's entries (type, name, address) as far as the length goes.
fn sap(w: &mut Vec<u8>, m: &[u8], mut length: usize) -> Res<()> {
    let command = u16_at(m, HEADER)?;
    if length < 2 {
        return short_command(w, length);
    }
    let mut at = HEADER + 2;
    length -= 2;
    match command {
        1 | 3 => {
            let word = if command == 1 { "req" } else { "nearest-req" };
            out!(w, "ipx-sap-{word}");
            out!(w, " {:04x}", u16_at(m, at)?);
        }
        2 | 4 => {
            let word = if command == 2 { "resp" } else { "nearest-resp" };
            out!(w, "ipx-sap-{word}");
            for _ in 0..8 {
                if length == 0 {
                    break;
                }
                // Each field is checked in the capture first (the
                // name excepted), then against the length.
                let service = u16_at(m, at)?;
                if length < 2 {
                    return invalid(w);
                }
                out!(w, " {service:04x} '");
                at += 2;
                length -= 2;
                if length < 48 {
                    w.push(b'\'');
                    return invalid(w);
                }
                put_name(w, m, at, 48)?;
                w.push(b'\'');
                at += 48;
                length -= 48;
                need(m, at, 10)?;
                if length < 10 {
                    return invalid(w);
                }
                let net = u32_at(m, at)?;
                let node = bytes_at::<6>(m, at + 4)?;
                w.extend_from_slice(b" addr ");
                put_net_node(w, net, &node);
                at += 10;
                length -= 10;
                // The socket and the hop count, checked, not printed.
                need(m, at, 4)?;
                if length < 4 {
                    return invalid(w);
                }
                at += 4;
                length -= 4;
            }
        }
        c => out!(w, "ipx-sap-?{c:x}"),
    }
    Ok(())
}

/// tcpdump's `nd_printjnp`: up to `n` bytes, stopping at a NUL, escaped;
/// a cut before either ends the line.
fn put_name(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    for i in 0..n {
        match u8_at(m, at + i)? {
            0 => break,
            c => put_char(w, c),
        }
    }
    Ok(())
}

/// Routing Information Protocol: a request's network, or a response's
/// routes (network, hops, ticks), as far as the length goes.
fn rip(w: &mut Vec<u8>, m: &[u8], mut length: usize) -> Res<()> {
    let command = u16_at(m, HEADER)?;
    if length < 2 {
        return short_command(w, length);
    }
    let mut at = HEADER + 2;
    length -= 2;
    let (word, most) = match command {
        1 => ("req", 1),
        2 => ("resp", 50),
        c => {
            out!(w, "ipx-rip-?{c:x}");
            return Ok(());
        }
    };
    out!(w, "ipx-rip-{word}");
    for _ in 0..most {
        if length == 0 {
            break;
        }
        if length < 8 {
            return invalid(w);
        }
        let (net, hops, ticks) = (u32_at(m, at)?, u16_at(m, at + 4)?, u16_at(m, at + 6)?);
        out!(w, " {net:08x}/{hops}.{ticks}");
        at += 8;
        length -= 8;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("checksum".into(), json!(u16_at(m, 0)?));
    o.insert("length".into(), json!(u16_at(m, 2)?));
    o.insert("hops".into(), json!(u8_at(m, 4)?));
    o.insert("packet_type".into(), json!(u8_at(m, 5)?));
    for (key, at) in [("dst", 6), ("src", 18)] {
        let a = address_at(m, at)?;
        let mut node = Vec::new();
        put_net_node(&mut node, a.net, &a.node);
        o.insert(
            key.into(),
            json!({
                "network": format!("{:08x}", a.net),
                "node": String::from_utf8_lossy(node.get(9..).unwrap_or(&[])),
                "socket": a.socket,
            }),
        );
    }
    let socket = u16_at(m, 16)?;
    let command = u16_at(m, HEADER)?;
    match socket {
        SOCKET_SAP => {
            o.insert("sap".into(), json!({ "command": command }));
        }
        SOCKET_RIP => {
            let mut routes = Vec::new();
            let mut at = HEADER + 2;
            while let (Ok(net), Ok(hops), Ok(ticks)) =
                (u32_at(m, at), u16_at(m, at + 4), u16_at(m, at + 6))
            {
                routes
                    .push(json!({ "network": format!("{net:08x}"), "hops": hops, "ticks": ticks }));
                at += 8;
            }
            o.insert(
                "rip".into(),
                json!({ "command": command, "routes": routes }),
            );
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(dst_socket: u16, payload: &[u8]) -> Vec<u8> {
        let mut m = vec![0xff, 0xff];
        m.extend_from_slice(&((HEADER + payload.len()) as u16).to_be_bytes());
        m.extend_from_slice(&[0, 4, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        m.extend_from_slice(&dst_socket.to_be_bytes());
        m.extend_from_slice(&[0x12, 0x34, 0x56, 0x78, 2, 0, 0, 0, 0, 1, 0x40, 0]);
        m.extend_from_slice(payload);
        m
    }

    #[test]
    fn sap_request_and_rip_response() {
        let sap = header(SOCKET_SAP, &[0, 1, 0, 4]);
        assert_eq!(
            IPX.printed(&sap, 0),
            "12345678.02:00:00:00:00:01.4000 > 00000000.ff:ff:ff:ff:ff:ff.0452: ipx-sap-req 0004"
        );
        let rip = header(SOCKET_RIP, &[0, 2, 0, 0, 0, 0xab, 0, 1, 0, 2]);
        assert!(
            IPX.printed(&rip, 0)
                .ends_with(": ipx-rip-resp 000000ab/1.2")
        );
    }

    #[test]
    fn test_truncated() {
        let sap = header(SOCKET_SAP, &[0, 1, 0, 4]);
        assert_eq!(IPX.printed_cut(&sap, 29, 0), " [|ipx]");
        assert!(IPX.printed_cut(&sap, 33, 0).ends_with("ipx-sap-req [|ipx]"));
    }

    #[test]
    fn test_malformed_length() {
        let mut m = header(0x9999, &[]);
        m[3] = 20;
        assert!(
            IPX.printed(&m, 0)
                .ends_with(".9999: [length 20 < 30] (invalid)")
        );
    }
}
