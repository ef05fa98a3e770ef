//! 802.11 frames and the radiotap header radios put in front of them: the
//! frame control word, the MAC header's length, the LLC/SNAP header of a
//! data frame (so the IP packet inside is found), and radiotap's fields,
//! walked through its present-bitmap chain with each field aligned to its
//! natural boundary. Every read is checked; the walk is bounded by the
//! header's own length and a fixed number of bitmap words.

use super::link::Payload;
use etherparse::EtherType;

fn le16(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

fn le32(data: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = data.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// The frame control word's parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameControl {
    /// 0 management, 1 control, 2 data.
    pub kind: u8,
    pub subtype: u8,
    /// To DS, From DS, More Fragments, Retry, Power Management, More
    /// Data, Protected, Order (bit 0 to 7).
    pub flags: u8,
}

impl FrameControl {
    pub fn read(frame: &[u8]) -> Option<FrameControl> {
        let (a, flags) = (*frame.first()?, *frame.get(1)?);
        Some(FrameControl {
            kind: (a >> 2) & 3,
            subtype: a >> 4,
            flags,
        })
    }
    pub fn to_ds(self) -> bool {
        self.flags & 1 != 0
    }
    pub fn from_ds(self) -> bool {
        self.flags & 2 != 0
    }
    pub fn protected(self) -> bool {
        self.flags & 0x40 != 0
    }
    /// A data frame with a QoS control field.
    pub fn qos(self) -> bool {
        self.kind == 2 && self.subtype & 8 != 0
    }
    /// A data frame that carries no data (Null, CF-Ack, CF-Poll …).
    pub fn no_data(self) -> bool {
        self.kind == 2 && self.subtype & 4 != 0
    }
}

/// The MAC header's length for a data frame (tcpdump's reckoning: a
/// fourth address when both DS bits are set, two bytes of QoS control).
pub fn data_header_len(fc: FrameControl) -> usize {
    let base = if fc.to_ds() && fc.from_ds() { 30 } else { 24 };
    base + if fc.qos() { 2 } else { 0 }
}

/// The 6-byte address at `at`.
pub fn addr(frame: &[u8], at: usize) -> Option<&[u8]> {
    frame.get(at..at.checked_add(6)?)
}

/// What follows an 802.11 frame's header (`flags`: radiotap's flags byte,
/// whose FCS bit means the frame ends in four bytes of checksum and whose
/// pad bit means the header is padded to four bytes).
pub fn strip(frame: &[u8], flags: u8) -> Payload<'_> {
    // An FCS after an IP packet is left there: the IP header's length
    // ends the packet before it.
    let Some(fc) = FrameControl::read(frame) else {
        return Payload::TooShort("802.11");
    };
    if fc.kind != 2 || fc.no_data() || fc.protected() {
        return Payload::Message(frame);
    }
    let mut len = data_header_len(fc);
    if flags & PAD != 0 {
        len = len.next_multiple_of(4);
    }
    let Some(body) = frame.get(len..) else {
        return Payload::TooShort("802.11");
    };
    match body {
        [0xaa, 0xaa, 0x03, 0, 0, 0, a, b, rest @ ..]
            if matches!(u16::from_be_bytes([*a, *b]), 0x0800 | 0x86dd) =>
        {
            Payload::EtherType(EtherType(u16::from_be_bytes([*a, *b])), rest)
        }
        _ => Payload::Message(frame),
    }
}

/// The frame without its FCS when radiotap's flags say it has one: what
/// was captured up to four bytes before the end on the wire (a frame the
/// snap length cut keeps all it has, as tcpdump reckons it).
pub fn body_end(frame: &[u8], flags: u8, wire_len: usize) -> &[u8] {
    if flags & FCS != 0 {
        let end = frame.len().min(wire_len.saturating_sub(4));
        frame.get(..end).unwrap_or(frame)
    } else {
        frame
    }
}

/// Radiotap's flags: the frame ends in an FCS, the header is padded.
pub const FCS: u8 = 0x10;
pub const PAD: u8 = 0x20;

/// A radiotap header: its length and its flags byte (0 when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Radiotap {
    pub len: usize,
    pub flags: u8,
}

/// Read the radiotap header at the start of `data`; `None` when it is cut
/// or says it is longer than what was captured.
pub fn radiotap(data: &[u8]) -> Option<Radiotap> {
    let len = usize::from(le16(data, 2)?);
    let head = data.get(..len)?;
    let mut flags = 0;
    for f in fields(head) {
        if let Field::Known { bit: 1, bytes } = f {
            flags = bytes.first().copied().unwrap_or(0);
        }
    }
    Some(Radiotap { len, flags })
}

/// At most this many present-bitmap words are followed.
const MAX_WORDS: usize = 8;

/// (alignment, size) of the default namespace's fields, by bit.
const LAYOUT: [(usize, usize); 23] = [
    (8, 8),  // TSFT
    (1, 1),  // flags
    (1, 1),  // rate
    (2, 4),  // channel
    (2, 2),  // FHSS
    (1, 1),  // dBm antenna signal
    (1, 1),  // dBm antenna noise
    (2, 2),  // lock quality
    (2, 2),  // TX attenuation
    (2, 2),  // dB TX attenuation
    (1, 1),  // dBm TX power
    (1, 1),  // antenna
    (1, 1),  // dB antenna signal
    (1, 1),  // dB antenna noise
    (2, 2),  // RX flags
    (2, 2),  // TX flags
    (1, 1),  // RTS retries
    (1, 1),  // data retries
    (4, 8),  // XChannel
    (1, 3),  // MCS
    (4, 8),  // A-MPDU status
    (2, 12), // VHT
    (8, 12), // timestamp
];

/// One radiotap field as the walk finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field<'a> {
    /// A field of the default namespace: its bit and bytes.
    Known { bit: u32, bytes: &'a [u8] },
    /// The walk stopped here: a field whose size is not known (a vendor
    /// namespace, a bit past the defined ones) or one cut short.
    Stop,
}

/// The fields of a radiotap header (`head`: exactly the header's bytes),
/// in order; ends with [`Field::Stop`] when it could not go on.
pub fn fields(head: &[u8]) -> Vec<Field<'_>> {
    let mut words = Vec::new();
    let mut at = 4;
    loop {
        let Some(w) = le32(head, at) else {
            return vec![Field::Stop];
        };
        words.push(w);
        at += 4;
        if w & (1 << 31) == 0 {
            break;
        }
        if words.len() == MAX_WORDS {
            return vec![Field::Stop];
        }
    }
    let mut out = Vec::new();
    for (k, &w) in words.iter().enumerate() {
        for bit in (0..29).filter(|b| w & (1 << b) != 0) {
            let layout = if k == 0 {
                LAYOUT.get(bit as usize)
            } else {
                None
            };
            let Some(&(align, size)) = layout else {
                out.push(Field::Stop);
                return out;
            };
            at = at.next_multiple_of(align);
            let Some(bytes) = head.get(at..at + size) else {
                out.push(Field::Stop);
                return out;
            };
            out.push(Field::Known { bit, bytes });
            at += size;
        }
        // Another namespace follows: its fields' sizes are not ours.
        if w & (3 << 29) != 0 {
            out.push(Field::Stop);
            return out;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(present: u32, body: &[u8]) -> Vec<u8> {
        let mut h = vec![0, 0, 0, 0];
        h.extend_from_slice(&present.to_le_bytes());
        h.extend_from_slice(body);
        let len = h.len() as u16;
        h[2..4].copy_from_slice(&len.to_le_bytes());
        h
    }

    #[test]
    fn fields_are_aligned() {
        // Flags (1 byte) then channel, aligned to 2: one byte of padding.
        let h = header(0b1010, &[0x10, 0, 0x6c, 0x09, 0xa0, 0]);
        let f = fields(&h);
        assert_eq!(
            f[0],
            Field::Known {
                bit: 1,
                bytes: &[0x10]
            }
        );
        assert_eq!(
            f[1],
            Field::Known {
                bit: 3,
                bytes: &[0x6c, 0x09, 0xa0, 0]
            }
        );
        assert_eq!(
            radiotap(&h),
            Some(Radiotap {
                len: 14,
                flags: 0x10
            })
        );
    }

    #[test]
    fn test_truncated_and_unknown() {
        let h = header(0b1000, &[0x6c]);
        assert_eq!(fields(&h), vec![Field::Stop]);
        let h = header(1 << 25, &[]);
        assert_eq!(fields(&h), vec![Field::Stop]);
        // An endless chain of extended bitmaps stops.
        let h = header(1 << 31, &[0xff; 64]);
        assert_eq!(fields(&h), vec![Field::Stop]);
        assert_eq!(radiotap(&[0, 0, 200, 0]), None);
    }

    #[test]
    fn data_frame_to_ip() {
        let mut f = vec![0x08, 0x01, 0, 0];
        f.extend_from_slice(&[0; 20]);
        f.extend_from_slice(&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0, 0x45]);
        assert!(matches!(
            strip(&f, 0),
            Payload::EtherType(EtherType::IPV4, [0x45])
        ));
        assert!(matches!(strip(&f[..10], 0), Payload::TooShort("802.11")));
    }
}
