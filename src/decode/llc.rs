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
    }
}
