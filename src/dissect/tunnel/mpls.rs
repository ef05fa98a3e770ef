//! MPLS label stacks (RFC 3032; EtherTypes 0x8847/0x8848, in GRE, and in
//! UDP on port 6635): `MPLS (label 100, tc 0, ttl 64) (label 200, tc 0,
//! [S], ttl 63)`, one entry a line under `-v`, then the packet under the
//! bottom of the stack, guessed as tcpdump guesses it (reserved labels
//! first, then the first nibble).

use super::super::put_num;
use super::super::wire::{Res, u8_at, u32_at};
use super::{Kind, Level, Printed, Tunnel};
use crate::dissect::Payload;
use serde_json::{Value, json};

/// What tcpdump does with a payload it cannot name.
const HEX: Kind = Kind::Hex {
    ascii: true,
    cut_mark: "mpls",
};

pub static MPLS: Tunnel = Tunnel::new("mpls", line, json);

/// tcpdump's names of the reserved labels (shown under `-v`): 0 to 3
/// by name, 4 to 15 `rsvd`.
fn reserved_name(label: u32) -> Option<&'static str> {
    Some(match label {
        0 => "IPv4 explicit NULL",
        1 => "router alert",
        2 => "IPv6 explicit NULL",
        3 => "implicit NULL",
        4..=15 => "rsvd",
        _ => return None,
    })
}

fn line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    let verbose = level.verbose;
    let m = p.bytes;
    w.extend_from_slice(b"MPLS");
    let mut at = 0;
    let label = loop {
        // The length ran out before the bottom of the stack (the capture
        // running out is ` [|mpls]`).
        if p.declared_len < at + 4 {
            w.extend_from_slice(b" (invalid)");
            // tcpdump then checks that the rest the length declares
            // was captured.
            if m.len() < p.declared_len {
                return Err(crate::dissect::Truncated);
            }
            return Ok(Printed::done());
        }
        let entry = u32_at(m, at)?;
        let label = entry >> 12;
        w.extend_from_slice(if at > 0 && verbose > 0 {
            b"\n\t(label "
        } else {
            b" (label "
        });
        put_num(w, label);
        if verbose > 0
            && let Some(name) = reserved_name(label)
        {
            w.extend_from_slice(b" (");
            w.extend_from_slice(name.as_bytes());
            w.push(b')');
        }
        w.extend_from_slice(b", tc ");
        put_num(w, (entry >> 9) & 7);
        let bottom = entry & 0x100 != 0;
        if bottom {
            w.extend_from_slice(b", [S]");
        }
        w.extend_from_slice(b", ttl ");
        put_num(w, entry & 0xff);
        w.push(b')');
        at += 4;
        if bottom {
            break label;
        }
    };
    let rest = m.get(at..).unwrap_or(&[]);
    let wire_len = p.declared_len.saturating_sub(at);
    let kind = match label {
        0 | 3 => Kind::Ip,
        2 => Kind::Ip6,
        // Nothing under the stack: nothing to guess from or print.
        _ if wire_len == 0 => return Ok(Printed::done()),
        // The first byte, as tcpdump reads it (unchecked: a cut is
        // ` [|mpls]`): an IPv4 or IPv6 header's, or CLNP, ES-IS or IS-IS.
        _ => match u8_at(m, at)? {
            0x45..=0x4f => Kind::Ip,
            0x60..=0x6f => Kind::Ip6,
            0x81..=0x83 => Kind::Osi,
            _ => HEX,
        },
    };
    if matches!(kind, Kind::Hex { .. }) {
        // tcpdump's default print: the payload in hex and ASCII.
        return Ok(Printed::then(kind, rest, wire_len));
    }
    w.extend_from_slice(if verbose > 0 { b"\n\t" } else { b" " });
    Ok(Printed::then(kind, rest, wire_len))
}

fn json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    let mut labels = Vec::new();
    let mut at = 0;
    let complete = loop {
        let Ok(entry) = u32_at(m, at) else {
            break false;
        };
        labels.push(json!({
            "label": entry >> 12,
            "tc": (entry >> 9) & 7,
            "bottom": entry & 0x100 != 0,
            "ttl": entry & 0xff,
        }));
        at += 4;
        if entry & 0x100 != 0 {
            break true;
        }
    };
    json!({"labels": labels, "complete": complete})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_stack() {
        let m = [0, 0x06, 0x40, 64, 0, 0x0c, 0x81, 63, 0x45];
        let p = Payload {
            bytes: &m,
            declared_len: 28,
        };
        let mut w = Vec::new();
        let r = MPLS.write(&mut w, &p, 0).unwrap();
        assert_eq!(
            String::from_utf8(w).unwrap(),
            "MPLS (label 100, tc 0, ttl 64) (label 200, tc 0, [S], ttl 63) "
        );
        assert!(r.inner.is_some());
        assert_eq!(
            super::super::printed_cut(&MPLS, &m[..6], 28, 0),
            "MPLS (label 100, tc 0, ttl 64) [|mpls]"
        );
    }
}
