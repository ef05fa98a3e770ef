//! VXLAN-GPE, the Generic Protocol Extension of VXLAN (UDP port 4790,
//! draft-ietf-nvo3-vxlan-gpe): VXLAN's 8-byte header with a Next
//! Protocol byte, so it carries IPv4, IPv6 or Ethernet (and NSH) instead
//! of Ethernet only (NSH's printer is [`super::nsh`]). tcpdump 4.99 prints
//! `VXLAN-GPE, flags [IP], vni 42: ` and the inner packet on the default
//! line; under `-v` the inner packet starts a line of its own, indented by
//! four spaces (not VXLAN's tab).
//!
//! Its reads, as tcpdump's: the flags byte, then the Next Protocol and
//! the VNI unchecked (a cut there is ` [|vxlan_gpe]` after the flags),
//! then a check of the reserved last byte. A datagram whose UDP length
//! leaves less than the header is `(len N < 8) (invalid)`; a Next Protocol
//! tcpdump does not know is `ERROR: unknown-next-protocol (invalid)`.

use super::super::ctl::{Bit, put_bits_sep};
use super::super::put_num;
use super::super::wire::{Res, u8_at, u24_at, u32_at};
use super::{Kind, Level, Printed, Tunnel};
use crate::dissect::Payload;
use serde_json::{Value, json};

pub static VXLAN_GPE: Tunnel = Tunnel::new("vxlan_gpe", line, to_json);

/// The fixed header: flags, two reserved bytes, Next Protocol, VNI,
/// a reserved byte.
const HEADER_LEN: usize = 8;

/// The flag bits tcpdump names, in its order, printed without a separator
/// (`[IP]` for Instance and Next Protocol present).
const FLAGS: &[Bit] = &[(0x08, "I"), (0x04, "P"), (0x02, "B"), (0x01, "O")];

/// What a Next Protocol value carries, for the ones tcpdump follows
/// (4: a Network Service Header, RFC 8300).
fn next_kind(next: u8) -> Option<Kind> {
    match next {
        1 => Some(Kind::Ip),
        2 => Some(Kind::Ip6),
        3 => Some(Kind::Ethernet),
        4 => Some(Kind::Encap(&super::nsh::NSH)),
        _ => None,
    }
}

/// The 24-bit VNI in bytes 4 to 6 (the reserved byte after it tcpdump
/// checks only after reading the VNI).
fn vni(m: &[u8]) -> Res<u32> {
    u24_at(m, 4)
}

fn line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    let m = p.bytes;
    w.extend_from_slice(b"VXLAN-GPE, ");
    if p.declared_len < HEADER_LEN {
        w.extend_from_slice(b" (len ");
        put_num(w, p.declared_len);
        w.extend_from_slice(b" < 8) (invalid)");
        return Ok(Printed::done());
    }
    let flags = u8_at(m, 0)?;
    w.extend_from_slice(b"flags [");
    put_bits_sep(w, FLAGS, u32::from(flags), "none", "");
    w.extend_from_slice(b"], ");
    let next = u8_at(m, 3)?;
    let vni = vni(m)?;
    u8_at(m, 7)?;
    w.extend_from_slice(b"vni ");
    put_num(w, vni);
    w.extend_from_slice(if level.verbose > 0 { b"\n    " } else { b": " });
    let rest = m.get(HEADER_LEN..).unwrap_or(&[]);
    let wire_len = p.declared_len - HEADER_LEN;
    match next_kind(next) {
        Some(kind) => Ok(Printed::then(kind, rest, wire_len)),
        None => {
            w.extend_from_slice(b"ERROR: unknown-next-protocol (invalid)");
            Ok(Printed::done())
        }
    }
}

fn to_json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    match (u8_at(m, 0), u8_at(m, 3), vni(m), u32_at(m, 4)) {
        (Ok(flags), Ok(next), Ok(vni), Ok(_)) => json!({
            "flags": flags,
            "next_protocol": next,
            "vni": vni,
            "complete": p.declared_len >= HEADER_LEN,
        }),
        _ => json!({"complete": false}),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{printed, printed_cut};
    use super::*;

    const HEADER: [u8; 8] = [0x0c, 0, 0, 1, 0, 0, 42, 0];

    #[test]
    fn test_header_then_the_inner_packet() {
        assert_eq!(
            printed(&VXLAN_GPE, &HEADER, 0),
            "VXLAN-GPE, flags [IP], vni 42: "
        );
        assert_eq!(
            printed(&VXLAN_GPE, &HEADER, 1),
            "VXLAN-GPE, flags [IP], vni 42\n    "
        );
        let mut m = HEADER;
        m[0] = 0xf0;
        m[3] = 9;
        assert_eq!(
            printed(&VXLAN_GPE, &m, 0),
            "VXLAN-GPE, flags [none], vni 42: ERROR: unknown-next-protocol (invalid)"
        );
    }

    #[test]
    fn test_truncated() {
        let cut = |keep: usize| printed_cut(&VXLAN_GPE, &HEADER[..keep], 8, 0);
        assert_eq!(cut(0), "VXLAN-GPE,  [|vxlan_gpe]");
        for keep in [3, 6, 7] {
            assert_eq!(cut(keep), "VXLAN-GPE, flags [IP],  [|vxlan_gpe]");
        }
    }

    #[test]
    fn test_malformed_short_length() {
        assert_eq!(
            printed(&VXLAN_GPE, &HEADER[..7], 0),
            "VXLAN-GPE,  (len 7 < 8) (invalid)"
        );
    }
}
