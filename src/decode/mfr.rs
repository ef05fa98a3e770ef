//! FRF.16 multilink Frame Relay (link type 182, MFR): each record is a
//! control frame (B, E and C bits all set, a zero second byte, the
//! message type, then information elements) or a fragment (B and E bits,
//! a 12-bit sequence number over two bytes). A first fragment (B set, C
//! clear) carries a Frame Relay frame after its two bytes, read as link
//! type 107's (the network layer inside for filters and flows); the
//! others carry nothing tcpdump decodes. The line's words are
//! `dissect::link::mfr`'s.

use super::link::Payload;
use super::link_more::fr_inner;

pub use super::link_more::MFR;

/// The fragment header's length, before a first fragment's Frame Relay
/// frame.
pub const FRAG_LEN: usize = 2;

/// A control frame's header: flags byte, zero, message type.
pub const CONTROL_LEN: usize = 3;

/// The B, E and C bits.
pub const BEGIN: u8 = 0x80;
pub const END: u8 = 0x40;
pub const CONTROL: u8 = 0x20;
pub const BEC_MASK: u8 = BEGIN | END | CONTROL;

/// What a record is, as tcpdump's `mfr_print` tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Under 2 bytes captured (the link printer's mark), or under 4 of a
    /// record at least 4 long on the wire (the frame printer's).
    Cut,
    /// Under 4 bytes on the wire: `[length 3 < 4] (invalid)`.
    Short,
    /// A control frame: the message type.
    Control(u8),
    /// A first fragment (B set, C clear): the sequence number; a Frame
    /// Relay frame follows.
    Begin(u16),
    /// Any other fragment: the sequence number.
    Fragment(u16),
}

/// The record's kind; `wire_len` is its length on the wire.
pub fn kind(data: &[u8], wire_len: usize) -> Kind {
    if data.len() < 2 {
        return Kind::Cut;
    }
    if wire_len < 4 {
        return Kind::Short;
    }
    let Some(&[a, b, c, _]) = data.first_chunk::<4>() else {
        return Kind::Cut;
    };
    if a & BEC_MASK == BEC_MASK && b == 0 {
        return Kind::Control(c);
    }
    let seq = (u16::from(a & 0x1e) << 7) | u16::from(b);
    match a & BEC_MASK {
        BEGIN | 0xc0 => Kind::Begin(seq),
        _ => Kind::Fragment(seq),
    }
}

/// The flags byte's B, E and C bits.
pub fn flags(data: &[u8]) -> u8 {
    data.first().map_or(0, |a| a & BEC_MASK)
}

/// A control frame's information element: type, length (its header's
/// two bytes included) and the value's bytes; `whole` false for the one
/// that ended the walk with its header alone read (of type 0, of length
/// 2 or less, or cut by the capture).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ie<'a> {
    pub kind: u8,
    pub len: u8,
    pub value: &'a [u8],
    pub whole: bool,
}

/// The information elements of a control frame, as tcpdump walks them
/// (while more than two bytes are left on the wire): the elements read
/// whole, and whether the walk stopped at one the capture cut (`true`;
/// an element of type 0 or of length 2 or less ends it as the last).
pub fn ies(data: &[u8], wire_len: usize) -> (Vec<Ie<'_>>, bool) {
    let mut out = Vec::new();
    let mut at = CONTROL_LEN;
    // tcpdump's count is unsigned: an element longer than what is left
    // wraps it, and the walk goes on until the capture ends.
    let mut left = wire_len.wrapping_sub(CONTROL_LEN);
    while left > 2 {
        let Some(&[kind, len]) = data.get(at..).and_then(|r| r.first_chunk::<2>()) else {
            return (out, true);
        };
        if kind == 0 || len <= 2 {
            out.push(Ie {
                kind,
                len,
                value: &[],
                whole: false,
            });
            return (out, false);
        }
        let Some(value) = data.get(at + 2..at + usize::from(len)) else {
            out.push(Ie {
                kind,
                len,
                value: &[],
                whole: false,
            });
            return (out, true);
        };
        out.push(Ie {
            kind,
            len,
            value,
            whole: true,
        });
        left = left.wrapping_sub(usize::from(len));
        at += usize::from(len);
    }
    (out, false)
}

/// The Frame Relay frame of a first fragment whose first four bytes are
/// captured (the shorter are `dissect::link::mfr`'s alone): its bytes.
pub fn begin_frame(data: &[u8], wire_len: usize) -> Option<&[u8]> {
    match kind(data, wire_len) {
        Kind::Begin(_) => data.get(FRAG_LEN..).filter(|f| f.len() >= 4),
        _ => None,
    }
}

/// The network layer of a first fragment's Frame Relay frame, as link
/// type 107's (its offsets the record's); the record's own message
/// otherwise. tcpdump's Frame Relay printer is called without its link
/// printer's four-byte check: a frame of two or three bytes is the
/// line's alone.
pub fn strip(data: &[u8]) -> Payload<'_> {
    // The wire length is not known here: a record of four bytes or more
    // is one of at least four on the wire.
    match data.get(FRAG_LEN..) {
        Some(fr) if fr.len() >= 4 && matches!(kind(data, data.len()), Kind::Begin(_)) => {
            match fr_inner(fr) {
                // The frame's own message is the record's.
                Payload::Message(_) => Payload::Message(data),
                p => p,
            }
        }
        _ => Payload::Message(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_their_bits() {
        assert_eq!(kind(&[0xe0, 0, 1, 1], 4), Kind::Control(1));
        assert_eq!(kind(&[0xe0, 1, 1, 1], 4), Kind::Fragment(1));
        assert_eq!(kind(&[0xc1, 0x23, 0x18, 0x41], 4), Kind::Begin(0x23));
        assert_eq!(kind(&[0x9e, 0xff, 0x18, 0x41], 4), Kind::Begin(0xfff));
        assert_eq!(kind(&[0x40, 1, 2, 3], 4), Kind::Fragment(1));
        assert_eq!(kind(&[0x80, 1], 3), Kind::Short);
        assert_eq!(kind(&[0x80, 1, 2], 4), Kind::Cut);
        assert_eq!(kind(&[0x80], 4), Kind::Cut);
    }

    #[test]
    fn ies_walk_as_tcpdump_does() {
        let m = [0xe0, 0, 1, 1, 4, b'a', b'b', 3, 6, 1, 2, 3, 4];
        let (ies, cut) = ies(&m, m.len());
        assert!(!cut);
        assert_eq!(ies.len(), 2);
        assert_eq!(ies[1].value, &[1, 2, 3, 4]);
        let (ies, cut) = super::ies(&m[..10], m.len());
        assert!(cut);
        assert_eq!(ies.len(), 2);
        let (ies, cut) = super::ies(&[0xe0, 0, 1, 0, 9, 9], 6);
        assert_eq!((ies.len(), cut), (1, false));
    }
}
