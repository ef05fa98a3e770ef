//! Broadcom's switch tag (link types 281 and 282, DSA_TAG_BRCM and
//! DSA_TAG_BRCM_PREPEND) in tcpdump's words: `BRCM tag OP: IG, TC: 0,
//! TE: None, TS: 0, DST map: 0x0003, ` for a tag the switch's CPU port
//! sends (opcode bit 5 of the first byte set), `BRCM tag OP: EG, CID: 0,
//! RC: reserved, TC: 0, port: 1, ` for one it receives; `OP` is `EG` only
//! for a first byte of 0.

use crate::dissect::ctl::out;

/// The reason codes of an egress tag (its third byte, one bit each).
fn reason(code: u8) -> &'static str {
    match code {
        0x01 => "mirror",
        0x02 => "MAC learning",
        0x04 => "switching",
        0x08 => "prot term",
        0x10 => "prot snoop",
        0x20 => "exception",
        _ => "reserved",
    }
}

/// The traffic-class enforcement of an ingress tag (its second byte's
/// low two bits).
fn enforcement(te: u8) -> &'static str {
    ["None", "Untag", "Header", "Reserved"][usize::from(te & 3)]
}

/// The tag's words and the `, ` after them.
pub fn write_tag(w: &mut Vec<u8>, [a, b, c, d]: [u8; 4]) {
    let op = if a == 0 { "EG" } else { "IG" };
    out!(w, "BRCM tag OP: {op}");
    if a & 0x20 != 0 {
        let map = (u16::from(c) << 8 | u16::from(d)) & 0x1ff;
        out!(
            w,
            ", TC: {}, TE: {}, TS: {}, DST map: 0x{map:04x}",
            b >> 2 & 7,
            enforcement(b),
            b >> 7
        );
    } else {
        out!(
            w,
            ", CID: {b}, RC: {}, TC: {}, port: {}",
            reason(c),
            d >> 5,
            d & 0x1f
        );
    }
    w.extend_from_slice(b", ");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(tag: [u8; 4]) -> String {
        let mut w = Vec::new();
        write_tag(&mut w, tag);
        String::from_utf8(w).unwrap()
    }

    #[test]
    fn ingress_and_egress_tags() {
        assert_eq!(
            words([0, 0, 0, 1]),
            "BRCM tag OP: EG, CID: 0, RC: reserved, TC: 0, port: 1, "
        );
        assert_eq!(
            words([0x40, 5, 2, 0xff]),
            "BRCM tag OP: IG, CID: 5, RC: MAC learning, TC: 7, port: 31, "
        );
        assert_eq!(
            words([0x20, 0xff, 0xff, 0xff]),
            "BRCM tag OP: IG, TC: 7, TE: Reserved, TS: 1, DST map: 0x01ff, "
        );
    }
}
