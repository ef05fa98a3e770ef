//! Broadcom's lawful-intercept shim on UDP, as tcpdump (4.99) prints it:
//! a datagram **from** port 49152 whose port no earlier printer of
//! tcpdump's chain took (DNS … LSP ping; it comes before BFD, so a BFD
//! session whose source port happens to be 49152, as FRR's multihop
//! sessions' often is, is read as the shim) starts with a 32-bit word:
//! direction (3 bits), packet type (4), subtype (3) and the intercept id
//! (22). `BCM-LI-SHIM: direction unused, pkt-type ipv4, pkt-subtype
//! untagged, li-id 792` at every level; under `-v` on a line of its own,
//! and then the intercepted packet as its own printer would print it
//! (Ethernet, IPv4, IPv6, or IP by its first nibble for "undecided"),
//! which the line printer does ([`nested`]); another type is ` (invalid)`.
//! Shorter than the shim: ` (length 2 < 4) (invalid)`. Reading past the
//! capture (the shim, the undecided packet's first byte, or at the
//! default level any of the datagram) ends the line ` [|bcm_li]` with
//! tcpdump's `longjmp` ([`cut_jumps`]). Zeek has no analyzer: no service.

use super::ctl::{out, tok};
use super::nested::{self, Frame, FrameKind};
use super::wire::{Res, u8_at, u32_at};
use super::{Dissector, Payload, Truncated, json_object};
use serde_json::{Value, json};

/// The shim's port, tcpdump's `BCM_LI_PORT`, matched as the source only.
pub const PORT: u16 = 49152;

pub static BCM_LI: Dissector = Dissector {
    name: "bcm_li",
    json_key: "bcm_li",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= SHIM,
};

const SHIM: usize = 4;

const DIRECTIONS: &[(u32, &str)] = &[(1, "unused"), (2, "egress"), (3, "ingress")];

const UNDECIDED: u32 = 4;
const IPV4: u32 = 5;
const IPV6: u32 = 6;
const ETHERNET: u32 = 7;

const TYPES: &[(u32, &str)] = &[
    (UNDECIDED, "undecided"),
    (IPV4, "ipv4"),
    (IPV6, "ipv6"),
    (ETHERNET, "ethernet"),
];

const SUBTYPES: &[(u32, &str)] = &[
    (1, "single VLAN tag"),
    (2, "double VLAN tag"),
    (3, "untagged"),
];

/// The shim word's fields.
struct Shim {
    direction: u32,
    pkt_type: u32,
    subtype: u32,
    li_id: u32,
}

impl Shim {
    fn read(m: &[u8]) -> Res<Shim> {
        let s = u32_at(m, 0)?;
        Ok(Shim {
            direction: (s >> 29) & 0x7,
            pkt_type: (s >> 25) & 0xf,
            subtype: (s >> 22) & 0x7,
            li_id: s & 0x3f_ffff,
        })
    }
}

fn name(table: &[(u32, &'static str)], v: u32) -> &'static str {
    tok(table, v).unwrap_or("unknown")
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    if p.declared_len < SHIM {
        out!(w, " (length {} < {SHIM}) (invalid)", p.declared_len);
        return Ok(());
    }
    let s = Shim::read(m)?;
    let gap = if v > 0 { "\n    " } else { "" };
    out!(
        w,
        "{gap}BCM-LI-SHIM: direction {}, pkt-type {}, pkt-subtype {}, li-id {}{gap}",
        name(DIRECTIONS, s.direction),
        name(TYPES, s.pkt_type),
        name(SUBTYPES, s.subtype),
        s.li_id
    );
    if v == 0 {
        // tcpdump checks that the whole datagram was captured.
        return if m.len() < p.declared_len {
            Err(Truncated)
        } else {
            Ok(())
        };
    }
    let kind = match s.pkt_type {
        ETHERNET => FrameKind::Ethernet,
        IPV4 => FrameKind::Ip,
        IPV6 => FrameKind::Ip6,
        UNDECIDED => match u8_at(m, SHIM)? >> 4 {
            4 => FrameKind::Ip,
            6 => FrameKind::Ip6,
            _ => {
                w.extend_from_slice(b"unknown payload");
                return Ok(());
            }
        },
        _ => {
            w.extend_from_slice(b" (invalid)");
            return Ok(());
        }
    };
    // The packet's text goes here, printed at the same level.
    nested::hand_over(Frame {
        at: w.len(),
        start: SHIM,
        len: p.declared_len - SHIM,
        kind,
        lower: 0,
    });
    Ok(())
}

/// Every cut of this printer is a `longjmp` (its reads are `GET_`
/// macros, its one check `ND_TCHECK_LEN` in a file that jumps on it).
pub(super) fn cut_jumps(_: &Payload<'_>, _: &[u8], _: u8) -> bool {
    true
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| {
        if p.declared_len < SHIM {
            return Err(Truncated);
        }
        let s = Shim::read(p.bytes)?;
        o.insert("direction".into(), json!(s.direction));
        o.insert(
            "direction_name".into(),
            json!(name(DIRECTIONS, s.direction)),
        );
        o.insert("pkt_type".into(), json!(s.pkt_type));
        o.insert("pkt_type_name".into(), json!(name(TYPES, s.pkt_type)));
        o.insert("pkt_subtype".into(), json!(s.subtype));
        o.insert("pkt_subtype_name".into(), json!(name(SUBTYPES, s.subtype)));
        o.insert("li_id".into(), json!(s.li_id));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_the_shim_words_at_default_and_v() {
        // direction unused (1), type ipv4 (5), subtype untagged (3), id 792.
        let word: u32 = (1 << 29) | (5 << 25) | (3 << 22) | 792;
        let mut m = word.to_be_bytes().to_vec();
        m.extend_from_slice(&[0x45, 0, 0, 20]);
        assert_eq!(
            BCM_LI.printed(&m, 0),
            "BCM-LI-SHIM: direction unused, pkt-type ipv4, pkt-subtype untagged, li-id 792"
        );
        assert_eq!(
            BCM_LI.printed(&m, 1),
            "\n    BCM-LI-SHIM: direction unused, pkt-type ipv4, pkt-subtype untagged, li-id 792\n    "
        );
        assert!(
            BCM_LI
                .printed_cut(&m, 6, 0)
                .ends_with("li-id 792 [|bcm_li]")
        );
        assert_eq!(BCM_LI.printed_cut(&m, 3, 0), " [|bcm_li]");
        assert_eq!(BCM_LI.printed(&m[..2], 1), " (length 2 < 4) (invalid)");
        // Type 0 is none of tcpdump's: invalid under -v.
        let other = 792u32.to_be_bytes();
        assert!(
            BCM_LI
                .printed(&other, 1)
                .ends_with("li-id 792\n     (invalid)")
        );
    }
}
