//! A PIMv2 Register (RFC 7761 4.9.3) as a tunnel: the multicast packet a
//! first-hop router sends to the rendezvous point inside it. The PIM
//! dissector ([`crate::dissect::pim`]) prints the message; this says what
//! it carries, so that `-v` prints the inner IPv4 or IPv6 packet as
//! tcpdump does (a line of its own after the flags), and flows and the
//! JSON follow it as they follow every other tunnel. A Null-Register (no
//! packet, or the null header) and every other PIM message carry nothing.

use super::super::wire::{Res, u8_at};
use super::{Kind, Level, Printed, Tunnel};
use crate::dissect::Payload;
use serde_json::{Value, json};

pub static PIM_REGISTER: Tunnel = Tunnel::new("pim", line, to_json).returning_when_cut();

/// PIM's header and a Register's flags: what comes before the packet.
const HEADER: usize = 8;

/// Whether `m` is a PIMv2 Register.
pub(super) fn is_register(m: &[u8]) -> bool {
    u8_at(m, 0).is_ok_and(|b| b == 0x21)
}

/// Nothing of its own to print (the dissector's line names the Register
/// and its flags); the IPv4 or IPv6 packet after the flags, as long as
/// the PIM message says (the line printer prints it only at `-v`, as
/// tcpdump does).
fn line<'a>(_: &mut Vec<u8>, p: &Payload<'a>, _: Level) -> Res<Printed<'a>> {
    let m = p.bytes;
    if !is_register(m) || p.declared_len <= HEADER || m.len() < HEADER {
        return Ok(Printed::done());
    }
    let rest = m.get(HEADER..).unwrap_or(&[]);
    let kind = match u8_at(m, HEADER).map(|b| b >> 4) {
        Ok(4) => Kind::Ip,
        Ok(6) => Kind::Ip6,
        // Cut before its first byte, the null header, another version:
        // the dissector said it.
        _ => return Ok(Printed::done()),
    };
    Ok(Printed::then(kind, rest, p.declared_len - HEADER))
}

fn to_json(p: &Payload<'_>) -> Value {
    json!({ "register": is_register(p.bytes) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_register_carries_its_packet() {
        let mut m = vec![0x21, 0, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&[0x45, 0, 0, 20]);
        let p = Payload {
            bytes: &m,
            declared_len: 28,
        };
        let mut w = Vec::new();
        let printed = PIM_REGISTER.write(&mut w, &p, 1).ok();
        let inner = printed
            .and_then(|p| p.inner)
            .map(|i| (i.bytes.len(), i.wire_len));
        assert_eq!(inner, Some((4, 20)));
        assert!(w.is_empty());
        // A Hello carries nothing.
        m[0] = 0x20;
        let p = Payload {
            bytes: &m,
            declared_len: 28,
        };
        assert!(
            PIM_REGISTER
                .write(&mut w, &p, 1)
                .ok()
                .and_then(|p| p.inner)
                .is_none()
        );
    }
}
