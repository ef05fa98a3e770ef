//! RFC 4884's extension structure after the datagram an ICMP (v4)
//! destination unreachable, time exceeded or parameter problem quotes,
//! read as tcpdump's `-v` reads it: at a fixed 128 bytes into the body
//! (RFC 4884's original-datagram field at its shortest), a version,
//! a checksum over the rest of the message, then objects of a length,
//! a class and a class type (RFC 4950's MPLS label stack entry is class
//! 1, type 1). A message whose length field is 0 is read for one only
//! when the checksum over that area is right (older routers leave the
//! field 0); one cut by the capture is read as far as it goes.
//!
//! [`walk`] lists what tcpdump prints, in its order, so that the printer
//! only has to word it.

use super::checksum;

/// Where the extension header starts in the message: the 8-byte ICMP
/// header and 128 bytes of quoted datagram.
const EXT_AT: usize = 8 + 128;
/// tcpdump checks this much of the message before it reads the
/// extension header: the header (4 bytes) and one byte more.
const CHECKED: usize = EXT_AT + 4 + 1;
/// An object header: length, class number, class type.
const OBJ_HEADER: u32 = 4;

/// One thing tcpdump's printer says of an extension, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtItem<'a> {
    /// The extension header's version (the top four bits of its first
    /// byte).
    Version(u8),
    /// A version other than 2: nothing more is read.
    Unsupported,
    /// The stored checksum, whether the area's sum is right, and the
    /// area's length (the message after the quoted datagram), when the
    /// whole area was captured.
    Checksum {
        stored: u16,
        correct: bool,
        len: u32,
    },
    /// An object's header: its class, class type and stated length.
    Object { class: u8, ctype: u8, len: u16 },
    /// An MPLS label stack entry (class 1, type 1): the 32-bit word.
    Label(u32),
    /// Another object's body as far as captured (shown in hex).
    Data(&'a [u8]),
    /// An object whose body starts past what was captured.
    DataPastEnd,
    /// The capture ended where tcpdump checks for a header first: its
    /// mark, and the packet's hex dump as usual.
    Cut,
    /// The capture ended inside a field tcpdump reads without a check
    /// (a label): its mark, and the hex dump from the first byte.
    CutHard,
}

/// What tcpdump prints of the extension after an ICMP error (`msg`: the
/// whole message as captured; `len`: its length as the IP header gives
/// it). Empty when the type has none, the message is too short for one,
/// or a length field of 0 and a wrong sum say there is none.
pub fn walk(msg: &[u8], len: usize) -> Vec<ExtItem<'_>> {
    let mut out = Vec::new();
    let Some(&icmp_type) = msg.first() else {
        return out;
    };
    if !matches!(icmp_type, 3 | 11 | 12) || len <= EXT_AT {
        return out;
    }
    if msg.len() < CHECKED {
        out.push(ExtItem::Cut);
        return out;
    }
    // The whole area after the quote, when captured.
    let area = msg.get(EXT_AT..len);
    if msg.get(5) == Some(&0) && area.is_some_and(|a| checksum::internet_sum(0, a) != 0) {
        return out;
    }
    let first = msg.get(EXT_AT).copied().unwrap_or_default();
    let version = first >> 4;
    out.push(ExtItem::Version(version));
    if version != 2 {
        out.push(ExtItem::Unsupported);
        return out;
    }
    // tcpdump counts in a C unsigned int: an area shorter than its header
    // wraps around, and the capture's end stops the objects instead.
    let area_len = u32::try_from(len - EXT_AT).unwrap_or(u32::MAX);
    if let Some(a) = area {
        let stored = msg
            .get(EXT_AT + 2..)
            .and_then(|b| b.first_chunk::<2>())
            .map_or(0, |b| u16::from_be_bytes(*b));
        out.push(ExtItem::Checksum {
            stored,
            correct: checksum::internet_sum(0, a) == 0,
            len: area_len,
        });
    }
    let mut left = area_len.wrapping_sub(4);
    let mut at = EXT_AT + 4;
    while left > OBJ_HEADER {
        let Some(&[l0, l1, class, ctype]) = msg.get(at..).and_then(|b| b.first_chunk::<4>()) else {
            out.push(ExtItem::Cut);
            return out;
        };
        let obj_len = u16::from_be_bytes([l0, l1]);
        out.push(ExtItem::Object {
            class,
            ctype,
            len: obj_len,
        });
        at += 4;
        left -= OBJ_HEADER;
        // tcpdump's guard against a loop that would not move on.
        if class == 0 || u32::from(obj_len) < OBJ_HEADER {
            return out;
        }
        let body_len = u32::from(obj_len) - OBJ_HEADER;
        if class == 1 && ctype == 1 {
            match msg.get(at..).and_then(|b| b.first_chunk::<4>()) {
                Some(word) => out.push(ExtItem::Label(u32::from_be_bytes(*word))),
                None => {
                    out.push(ExtItem::CutHard);
                    return out;
                }
            }
        } else {
            match msg.get(at..) {
                Some(rest) => {
                    let n = (body_len as usize).min(rest.len());
                    out.push(ExtItem::Data(rest.get(..n).unwrap_or(rest)));
                }
                None => out.push(ExtItem::DataPastEnd),
            }
        }
        if left < body_len {
            break;
        }
        left -= body_len;
        at += body_len as usize;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A time exceeded with `quote` bytes of quoted datagram (zeros) and
    /// `ext` after them; the length field says `words`.
    fn message(words: u8, ext: &[u8]) -> Vec<u8> {
        let mut m = vec![11, 0, 0, 0, 0, words, 0, 0];
        m.resize(EXT_AT, 0);
        m.extend_from_slice(ext);
        m
    }

    /// An extension header with the right checksum over it and `objects`.
    fn area(objects: &[u8]) -> Vec<u8> {
        let mut a = vec![0x20, 0, 0, 0];
        a.extend_from_slice(objects);
        let sum = checksum::internet_sum(0, &a);
        a[2..4].copy_from_slice(&sum.to_be_bytes());
        a
    }

    #[test]
    fn label_stack_entry() {
        let a = area(&[0, 8, 1, 1, 0x18, 0x96, 0x01, 0x01]);
        let m = message(32, &a);
        let items = walk(&m, m.len());
        assert_eq!(items[0], ExtItem::Version(2));
        assert!(matches!(
            items[1],
            ExtItem::Checksum {
                correct: true,
                len: 12,
                ..
            }
        ));
        assert_eq!(
            items[2],
            ExtItem::Object {
                class: 1,
                ctype: 1,
                len: 8
            }
        );
        assert_eq!(items[3], ExtItem::Label(0x1896_0101));
        assert_eq!(items.len(), 4);
    }

    #[test]
    fn test_malformed_zero_length_field_and_bad_sum_is_silent() {
        let mut a = area(&[0, 8, 1, 1, 0, 0, 1, 1]);
        a[3] ^= 1;
        let m = message(0, &a);
        assert!(walk(&m, m.len()).is_empty());
        // The same area with the length field set is read anyway.
        let m = message(32, &a);
        assert!(matches!(
            walk(&m, m.len())[1],
            ExtItem::Checksum { correct: false, .. }
        ));
    }

    #[test]
    fn test_truncated() {
        let a = area(&[0, 8, 1, 1, 0, 0, 1, 1]);
        let m = message(32, &a);
        // Cut before the extension header is all there.
        assert_eq!(walk(&m[..EXT_AT + 4], m.len()), [ExtItem::Cut]);
        // Cut inside the label: no checksum (the area is not all there).
        let items = walk(&m[..m.len() - 1], m.len());
        assert_eq!(items.last(), Some(&ExtItem::CutHard));
        assert!(!items.iter().any(|i| matches!(i, ExtItem::Checksum { .. })));
        // An area too short for its own header wraps tcpdump's count:
        // the capture's end stops it.
        let m = message(32, &[0x20, 0, 0]);
        assert_eq!(walk(&m, m.len() - 2).last(), Some(&ExtItem::Cut));
        for n in 0..m.len() {
            walk(&m[..n], m.len());
        }
    }

    #[test]
    fn other_versions_and_types() {
        let m = message(32, &[0x00, 0, 0, 0, 0]);
        assert_eq!(
            walk(&m, m.len()),
            [ExtItem::Version(0), ExtItem::Unsupported]
        );
        let mut echo = message(32, &area(&[0, 8, 1, 1, 0, 0, 1, 1]));
        echo[0] = 0;
        assert!(walk(&echo, echo.len()).is_empty());
    }
}
