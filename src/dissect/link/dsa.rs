//! Marvell's switch tags (link types 284 and 285, DSA_TAG_DSA and
//! DSA_TAG_EDSA) in tcpdump's words. The 4-byte DSA tag: the first byte's
//! top two bits the mode (to the CPU, from it, to a sniffer, forwarded),
//! bit 5 whether the frame was VLAN-tagged, the low five the device; the
//! second byte's top five the port, bit 2 a sniffer's direction (set:
//! ingress) or a forwarded frame's trunk, bit 0 the CFI; the third
//! byte's top three the priority, its low four and the fourth byte the
//! VLAN ID; a frame to the CPU says why in a code of three bits (the
//! second byte's bits 2–1, then the third byte's bit 4). EDSA puts an
//! EtherType and two reserved bytes before the same four.
//!
//! Without `-e` the words are short (`DSA port 0.3 > CPU, VLAN 5t, `,
//! `EDSA 0xdada, Forward trunk 0.1, VLAN 5u, `), under `-e` long
//! (`Marvell DSA mode To CPU, source dev 0, port 3, code ARP Mirror,
//! tagged, CFI, VID 5, FPri 1, `).

use crate::dissect::ctl::out;

/// The DSA tag's fields.
struct Tag {
    mode: u8,
    tagged: bool,
    dev: u8,
    port: u8,
    /// A sniffer's ingress (rx) copy, a forwarded frame's trunk.
    bit2: bool,
    cfi: bool,
    pri: u8,
    vid: u16,
    /// Why a frame goes to the CPU.
    code: u8,
}

impl Tag {
    fn read([a, b, c, d]: [u8; 4]) -> Tag {
        Tag {
            mode: a >> 6,
            tagged: a & 0x20 != 0,
            dev: a & 0x1f,
            port: b >> 3,
            bit2: b & 0x04 != 0,
            cfi: b & 0x01 != 0,
            pri: c >> 5,
            vid: u16::from(c & 0x0f) << 8 | u16::from(d),
            code: (b >> 1 & 0x03) << 1 | (c >> 4 & 0x01),
        }
    }
}

const TO_CPU: u8 = 0;
const FROM_CPU: u8 = 1;
const TO_SNIFFER: u8 = 2;

fn mode_name(mode: u8) -> &'static str {
    ["To CPU", "From CPU", "To Sniffer", "Forward"][usize::from(mode & 3)]
}

fn code_name(code: u8) -> &'static str {
    match code {
        0 => "BPDU (MGMT) Trap",
        1 => "Frame2Reg",
        2 => "IGMP/MLD Trap",
        3 => "Policy Trap",
        4 => "ARP Mirror",
        5 => "Policy Mirror",
        _ => "reserved",
    }
}

/// The short words after `DSA ` or `EDSA 0x…, `.
fn short(w: &mut Vec<u8>, t: &Tag) {
    let (dev, port) = (t.dev, t.port);
    match t.mode {
        TO_CPU => out!(w, "port {dev}.{port} > CPU, "),
        FROM_CPU => out!(w, "CPU > port {dev}.{port}, "),
        TO_SNIFFER => {
            let dir = if t.bit2 { "Rx" } else { "Tx" };
            out!(w, "port {dev}.{port} > {dir} Sniffer, ");
        }
        _ => {
            let kind = if t.bit2 { "trunk" } else { "port" };
            out!(w, "Forward {kind} {dev}.{port}, ");
        }
    }
    let t_or_u = if t.tagged { 't' } else { 'u' };
    out!(w, "VLAN {}{t_or_u}, ", t.vid);
}

/// The long words after `Marvell DSA ` or EDSA's EtherType and reserved
/// bytes.
fn long(w: &mut Vec<u8>, t: &Tag) {
    let (dev, port) = (t.dev, t.port);
    out!(w, "mode {}, ", mode_name(t.mode));
    match t.mode {
        TO_CPU => out!(
            w,
            "source dev {dev}, port {port}, code {}, ",
            code_name(t.code)
        ),
        FROM_CPU => out!(w, "target dev {dev}, port {port}, "),
        TO_SNIFFER => {
            let dir = if t.bit2 { "ingress" } else { "egress" };
            out!(w, "source dev {dev}, port {port}, {dir} sniff, ");
        }
        _ => {
            let kind = if t.bit2 { "trunk" } else { "port" };
            out!(w, "dev {dev}, {kind} {port}, ");
        }
    }
    w.extend_from_slice(if t.tagged { b"tagged, " } else { b"untagged, " });
    if t.cfi {
        w.extend_from_slice(b"CFI, ");
    }
    out!(w, "VID {}, FPri {}, ", t.vid, t.pri);
}

/// A DSA tag's words (`eflag`: the long ones), ending in `, `.
pub fn write_dsa(w: &mut Vec<u8>, tag: [u8; 4], eflag: bool) {
    let t = Tag::read(tag);
    if eflag {
        w.extend_from_slice(b"Marvell DSA ");
        long(w, &t);
    } else {
        w.extend_from_slice(b"DSA ");
        short(w, &t);
    }
}

/// An EDSA tag's words: its EtherType (named under `-e`) and reserved
/// bytes, then the DSA tag's.
pub fn write_edsa(w: &mut Vec<u8>, tag: [u8; 8], eflag: bool) {
    let [e0, e1, r0, r1, a, b, c, d] = tag;
    let ether_type = u16::from_be_bytes([e0, e1]);
    let t = Tag::read([a, b, c, d]);
    if eflag {
        out!(
            w,
            "Marvell EDSA ethertype 0x{ether_type:04x} ({}), rsvd {r0} {r1}, ",
            crate::decode::names::ether_type(ether_type).unwrap_or("Unknown")
        );
        long(w, &t);
    } else {
        out!(w, "EDSA 0x{ether_type:04x}, ");
        short(w, &t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(tag: [u8; 4], eflag: bool) -> String {
        let mut w = Vec::new();
        write_dsa(&mut w, tag, eflag);
        String::from_utf8(w).unwrap()
    }

    #[test]
    fn test_modes_as_tcpdump_words_them() {
        assert_eq!(
            words([0x20, 0x1f, 0x3f, 0xff], false),
            "DSA port 0.3 > CPU, VLAN 4095t, "
        );
        assert_eq!(
            words([0x20, 0x1f, 0x3f, 0xff], true),
            "Marvell DSA mode To CPU, source dev 0, port 3, code reserved, tagged, CFI, VID 4095, FPri 1, "
        );
        assert_eq!(
            words([0x45, 0x10, 0, 7], false),
            "DSA CPU > port 5.2, VLAN 7u, "
        );
        assert_eq!(
            words([0x80, 0x04, 0, 0], true),
            "Marvell DSA mode To Sniffer, source dev 0, port 0, ingress sniff, untagged, VID 0, FPri 0, "
        );
        assert_eq!(
            words([0xff, 0xff, 0xff, 0xff], false),
            "DSA Forward trunk 31.31, VLAN 4095t, "
        );
        // The code's third bit is the third byte's bit 4.
        assert_eq!(
            code_name(Tag::read([0, 0x04, 0x10, 0]).code),
            "Policy Mirror"
        );
    }

    #[test]
    fn test_edsa_words() {
        let tag = [0xda, 0xda, 0, 0, 0xc0, 0x01, 0x10, 0x00];
        let mut w = Vec::new();
        write_edsa(&mut w, tag, true);
        assert_eq!(
            String::from_utf8(w).unwrap(),
            "Marvell EDSA ethertype 0xdada (Unknown), rsvd 0 0, mode Forward, dev 0, port 0, untagged, CFI, VID 0, FPri 0, "
        );
        let mut w = Vec::new();
        write_edsa(&mut w, tag, false);
        assert_eq!(
            String::from_utf8(w).unwrap(),
            "EDSA 0xdada, Forward port 0.0, VLAN 0u, "
        );
    }
}
