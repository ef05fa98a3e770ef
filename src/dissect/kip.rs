//! AppleTalk in UDP (Kinetics' KIP and its successors: a LocalTalk frame,
//! LAP header and long DDP header, carried on UDP ports 200-327,
//! 768-895 and 16512-16639), as tcpdump 4.99.3 prints it. tcpdump takes a datagram
//! on one of those ports whose third byte (the LAP type) is 2, long DDP,
//! before PTP's, SOME/IP's and any later printer but after the named
//! ports up to LISP's ([`super::udp_payload`] keeps that place); `-v`
//! adds `kip ` before the DDP line, which is the one AppleTalk on
//! Ethernet prints (`atalk`'s printer, reused): `258.7.4 > 4660.5.253:
//! nbp-lkup 5: "obj:AFPServer@*"`. A DDP header the datagram is too
//! short for is ` [|ddp N]`, one the capture cut ` [|ddp]`, a cut inside
//! NBP or ATP ` [|llap]`.

use super::atalk;
use super::ctl::{json_object, out};
use super::wire::{Res, u8_at};
use super::{Dissector, Payload};
use serde_json::{Value, json};

pub static KIP: Dissector = Dissector {
    name: "llap",
    json_key: "kip",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.get(LAP_TYPE) == Some(&LAP_DDP),
};

/// The LAP header: destination node, source node, type.
const LAP_HEADER: usize = 3;
const LAP_TYPE: usize = 2;
/// The LAP type of a long DDP header.
const LAP_DDP: u8 = 2;

/// tcpdump's AppleTalk ports (its `atalk_port`).
fn atalk_port(port: u16) -> bool {
    matches!(port, 200..=327 | 768..=895 | 16512..=16639)
}

/// Whether tcpdump prints this datagram as AppleTalk (when no printer
/// before it took the ports): the LAP type was captured and says long
/// DDP, and either port is AppleTalk's.
pub fn takes_udp(sport: u16, dport: u16, payload: &[u8]) -> bool {
    payload.get(LAP_TYPE) == Some(&LAP_DDP) && (atalk_port(sport) || atalk_port(dport))
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    if v > 0 {
        w.extend_from_slice(b"kip ");
    }
    let Some(ddp) = p
        .bytes
        .get(LAP_HEADER..)
        .filter(|_| p.declared_len >= LAP_HEADER)
    else {
        out!(w, " [|llap {}]", p.declared_len);
        return Ok(());
    };
    let inner = Payload {
        bytes: ddp,
        declared_len: p.declared_len - LAP_HEADER,
    };
    atalk::ddp(w, &inner, v, atalk::LAP)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| {
        let m = p.bytes;
        o.insert(
            "lap".into(),
            json!({"dst": u8_at(m, 0)?, "src": u8_at(m, 1)?, "type": u8_at(m, LAP_TYPE)?}),
        );
        let inner = Payload {
            bytes: m.get(LAP_HEADER..).unwrap_or(&[]),
            declared_len: p.declared_len.saturating_sub(LAP_HEADER),
        };
        o.insert("ddp".into(), atalk::to_json(&inner));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A LAP header, a long DDP header (from 258.7 socket 4 to 4660.5
    /// socket 253) and an NBP lookup.
    fn lookup() -> Vec<u8> {
        let mut m = vec![1, 2, 2, 0, 36, 0, 0, 0x12, 0x34, 1, 2, 5, 7, 253, 4, 2];
        m.extend_from_slice(&[0x21, 5, 1, 2, 7, 4, 0, 3]);
        m.extend_from_slice(b"obj\x09AFPServer\x01*");
        m
    }

    #[test]
    fn test_line() {
        let want = "258.7.4 > 4660.5.253: nbp-lkup 5: \"obj:AFPServer@*\"";
        assert_eq!(KIP.printed(&lookup(), 0), want);
        assert_eq!(KIP.printed(&lookup(), 1), format!("kip {want}"));
    }

    #[test]
    fn test_takes_its_ports_and_long_ddp_only() {
        let m = lookup();
        assert!(takes_udp(40000, 200, &m) && takes_udp(16639, 53, &m));
        assert!(!takes_udp(40000, 328, &m) && !takes_udp(199, 16640, &m));
        assert!(!takes_udp(40000, 200, &m[..2]) && !takes_udp(40000, 200, &[1, 2, 1]));
    }

    #[test]
    fn test_truncated() {
        let m = lookup();
        assert_eq!(KIP.printed(&m[..8], 0), " [|ddp 5]");
        assert_eq!(KIP.printed_cut(&m, 8, 0), " [|ddp]");
        assert_eq!(KIP.printed(&m[..3], 1), "kip  [|ddp 0]");
    }
}
