//! IEEE 802.2 LLC, the header an 802.3 frame carries where Ethernet II
//! has its EtherType (the length field is 1500 or less): DSAP, SSAP and a
//! control field of one byte (unnumbered) or two (information and
//! supervisory), and SNAP's OUI and EtherType after SAP 0xaa. Checked once
//! in [`Llc::new_checked`]; no accessor can panic.

/// Which of the three control-field formats a frame uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Unnumbered: the command (poll/final bit cleared) and that bit.
    Unnumbered { command: u8, poll: bool },
    /// Supervisory: function (0 RR, 1 RNR, 2 REJ), receive sequence, poll.
    Supervisory { function: u8, nr: u8, poll: bool },
    /// Information: send and receive sequence, poll.
    Information { ns: u8, nr: u8, poll: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Llc<'a> {
    pub dsap: u8,
    pub ssap: u8,
    pub format: Format,
    /// The control field as tcpdump prints it under `-e`: one byte, or
    /// two read little-endian.
    pub control: u16,
    /// SNAP's OUI and EtherType, for DSAP = SSAP = 0xaa with UI control.
    pub snap: Option<(u32, u16)>,
    /// The LLC PDU from its first byte, as far as the length field and
    /// the capture both go.
    pub bytes: &'a [u8],
}

impl<'a> Llc<'a> {
    /// `payload`: what follows the 802.3 header; `len`: its length field.
    /// `None` when the header itself was not captured.
    pub fn new_checked(payload: &'a [u8], len: usize) -> Option<Self> {
        let bytes = payload.get(..len.min(payload.len()))?;
        let [dsap, ssap, c0, rest @ ..] = bytes else {
            return None;
        };
        let mut control = u16::from(*c0);
        let format = if c0 & 0x03 == 0x03 {
            Format::Unnumbered {
                command: c0 & 0xef,
                poll: c0 & 0x10 != 0,
            }
        } else {
            let c1 = *rest.first()?;
            control |= u16::from(c1) << 8;
            let (nr, poll) = (c1 >> 1, c1 & 1 != 0);
            if c0 & 0x01 == 0 {
                Format::Information {
                    ns: c0 >> 1,
                    nr,
                    poll,
                }
            } else {
                Format::Supervisory {
                    function: (c0 >> 2) & 0x03,
                    nr,
                    poll,
                }
            }
        };
        let snap = match (dsap, ssap, c0, rest) {
            (0xaa, 0xaa, 0x03, [o0, o1, o2, t0, t1, ..]) => Some((
                u32::from_be_bytes([0, *o0, *o1, *o2]),
                u16::from_be_bytes([*t0, *t1]),
            )),
            _ => None,
        };
        Some(Llc {
            dsap: *dsap,
            ssap: *ssap,
            format,
            control,
            snap,
            bytes,
        })
    }

    /// The header's length: DSAP, SSAP, the control field, and SNAP's
    /// OUI and EtherType.
    pub fn header_len(&self) -> usize {
        let control = match self.format {
            Format::Unnumbered { .. } => 1,
            _ => 2,
        };
        2 + control + if self.snap.is_some() { 5 } else { 0 }
    }

    /// Novell's "raw" 802.3 frame: no LLC header, the IPX header's
    /// checksum 0xffff where the SAPs would be (tcpdump tests this
    /// before it reads the header as LLC).
    pub fn is_raw_ipx(&self) -> bool {
        (self.dsap, self.ssap) == (0xff, 0xff)
    }

    /// SNAP's OUI and EtherType as tcpdump's `llc_print` finds them: SAPs
    /// 0xaa with their group/response bits ignored (0xab counts) and UI
    /// control. [`Llc::snap`] asks for the exact SAPs.
    pub fn snap_ignoring_group_bits(&self) -> Option<(u32, u16)> {
        let saps = (self.dsap & 0xfe, self.ssap & 0xfe);
        match self.bytes.get(3..8) {
            Some(&[o0, o1, o2, t0, t1]) if saps == (0xaa, 0xaa) && self.control == 0x03 => Some((
                u32::from_be_bytes([0, o0, o1, o2]),
                u16::from_be_bytes([t0, t1]),
            )),
            _ => None,
        }
    }
}

/// The EtherTypes tcpdump 4.99's `ethertype_print` hands to a printer
/// (it returns 1 for them; LAT, SCA, MOP and IEEE 1905.1 it names but
/// returns 0 for, as for every other).
const ETHERTYPES_PRINTED: [u16; 32] = [
    0x0800, 0x86dd, 0x0806, 0x8035, 0x6003, 0x809b, 0x80f3, 0x8137, 0xfefe, 0x8863, 0x8864, 0x3c12,
    0x3c13, 0x888e, 0x8899, 0x880b, 0x8808, 0x8809, 0x8902, 0xabcd, 0x88cc, 0x894f, 0x9000, 0x8847,
    0x8848, 0x88ca, 0x886f, 0x0707, 0x8947, 0x1111, 0x88a2, 0x88f7,
];

/// Whether tcpdump's SNAP printer follows a whole SNAP header's protocol
/// (its `snap_print` returns non-zero, so `llc_print` a positive length):
/// encapsulated Ethernet (and Cisco's bridging) by the EtherType printer,
/// AppleTalk under Apple's OUI, Cisco's CDP, VTP, DTP, UDLD and PVST,
/// RFC 2684's bridged Ethernet, Token Ring and FDDI and its BPDUs. For
/// the others it prints the header's words alone, and Juniper's ATM2
/// printer goes on to its next guess.
pub fn snap_followed(oui: u32, pid: u16) -> bool {
    match oui {
        0x000000 | 0x0000f8 => ETHERTYPES_PRINTED.contains(&pid),
        0x080007 => pid == 0x809b,
        0x00000c => matches!(pid, 0x2000 | 0x2003 | 0x2004 | 0x0111 | 0x010b | 0x010c),
        0x0080c2 => matches!(
            pid,
            0x0001 | 0x0007 | 0x0003 | 0x0009 | 0x0004 | 0x000a | 0x000e
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_truncated() {
        assert_eq!(Llc::new_checked(&[0x42, 0x42], 3), None);
        assert_eq!(Llc::new_checked(&[0x80, 0x80, 0x01], 3), None);
        let l = Llc::new_checked(&[0x80, 0x81, 0x01, 0x07, 9, 9], 4).unwrap();
        assert_eq!(
            l.format,
            Format::Supervisory {
                function: 0,
                nr: 3,
                poll: true
            }
        );
        assert_eq!(l.bytes.len(), 4);
    }

    #[test]
    fn snap_header() {
        let l = Llc::new_checked(&[0xaa, 0xaa, 3, 0, 0, 0, 0x12, 0x34], 8).unwrap();
        assert_eq!(l.snap, Some((0, 0x1234)));
        assert!(!snap_followed(0, 0x1234));
        assert!(snap_followed(0xf8, 0x0800));
        assert!(!snap_followed(0x080007, 0x0800));
        assert!(snap_followed(0x0080c2, 0x000e));
    }
}
