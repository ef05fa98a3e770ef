//! NetBIOS names as RFC 1001 §14.1 writes them on the wire: the 16 bytes
//! of the name (15 characters padded with spaces, then the suffix byte
//! that says which service it names) in the "first-level encoding" (each
//! half-byte as a letter from `A`, so one 32-byte label), then the scope
//! as DNS labels; the name service may point back to an earlier name
//! with a DNS compression pointer (RFC 1002 §4.1).
//!
//! Printed as Wireshark does (`NBTSRV<20>`, `.scope` after it, octal
//! hex for bytes that are not printable), so `tshark`'s `nbns.name`
//! can be compared with it.

use super::super::wire::{Res, u8_at};
use crate::dissect::Truncated;
use std::fmt::Write;

/// Labels and pointers a name may take: a pointer only goes backwards, so
/// reading ends anyway, but a crafted message must not make it long.
const MAX_STEPS: usize = 64;

/// The length of the one label a NetBIOS name is encoded into.
const ENCODED_LEN: usize = 32;

/// A decoded name: what Wireshark prints, and the suffix byte alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub suffix: u8,
}

/// The name at `at` in `m`, and where what follows it starts. `Err` when
/// the message ends inside it, a pointer does not point backwards, or the
/// first label is not a first-level encoded name.
pub fn read(m: &[u8], at: usize) -> Res<(Name, usize)> {
    let mut pos = at;
    let mut end = None;
    let mut labels: Vec<&[u8]> = Vec::new();
    for _ in 0..MAX_STEPS {
        let len = u8_at(m, pos)?;
        match len & 0xc0 {
            0xc0 => {
                let target = usize::from(len & 0x3f) << 8 | usize::from(u8_at(m, pos + 1)?);
                end.get_or_insert(pos + 2);
                if target >= pos {
                    return Err(Truncated);
                }
                pos = target;
            }
            0 if len == 0 => {
                let end = *end.get_or_insert(pos + 1);
                return Ok((name_of(&labels)?, end));
            }
            0 => {
                let label = m
                    .get(pos + 1..pos + 1 + usize::from(len))
                    .ok_or(Truncated)?;
                labels.push(label);
                pos += 1 + usize::from(len);
            }
            _ => return Err(Truncated),
        }
    }
    Err(Truncated)
}

/// The name of the first label, with the scope of the others after it.
fn name_of(labels: &[&[u8]]) -> Res<Name> {
    let (first, scope) = labels.split_first().ok_or(Truncated)?;
    let raw = decode(first)?;
    let (chars, suffix) = raw.split_at(15);
    let mut text = String::new();
    let shown = chars.len() - chars.iter().rev().take_while(|&&c| c == b' ').count();
    chars[..shown].iter().for_each(|&c| put_char(&mut text, c));
    let _ = write!(text, "<{:02x}>", suffix[0]);
    for label in scope {
        text.push('.');
        label.iter().for_each(|&c| put_char(&mut text, c));
    }
    Ok(Name {
        text,
        suffix: suffix[0],
    })
}

/// The 16 bytes a 32-letter label encodes (`Err` for any other label).
pub fn decode(label: &[u8]) -> Res<[u8; 16]> {
    if label.len() != ENCODED_LEN {
        return Err(Truncated);
    }
    let mut out = [0u8; 16];
    for (o, pair) in out.iter_mut().zip(label.chunks_exact(2)) {
        let half = |c: u8| match c {
            b'A'..=b'P' => Ok(c - b'A'),
            _ => Err(Truncated),
        };
        *o = half(pair[0])? << 4 | half(pair[1])?;
    }
    Ok(out)
}

/// A byte of a name: itself when printable, else in hex between angle
/// brackets as Wireshark writes it (`<01><02>__MSBROWSE__<02><01>`).
fn put_char(s: &mut String, c: u8) {
    if c.is_ascii_graphic() || c == b' ' {
        s.push(char::from(c));
    } else {
        let _ = write!(s, "<{c:02x}>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `name` (padded to 15) with `suffix`, first-level encoded.
    fn encoded(name: &str, suffix: u8) -> Vec<u8> {
        let mut raw = format!("{name:<15}").into_bytes();
        raw.push(suffix);
        let mut v = vec![32];
        raw.iter()
            .for_each(|b| v.extend_from_slice(&[b'A' + (b >> 4), b'A' + (b & 15)]));
        v.push(0);
        v
    }

    #[test]
    fn test_first_level_name_with_suffix() {
        let m = encoded("NBTSRV", 0x20);
        let (n, end) = read(&m, 0).unwrap();
        assert_eq!(n.text, "NBTSRV<20>");
        assert_eq!((n.suffix, end), (0x20, 34));
    }

    #[test]
    fn test_pointer_back_and_scope() {
        let mut m = encoded("WORKGROUP", 0x1d);
        // The scope `corp` after the name, then a pointer to it.
        m.pop();
        m.extend_from_slice(&[4, b'c', b'o', b'r', b'p', 0, 0xc0, 0]);
        let (n, end) = read(&m, 39).unwrap();
        assert_eq!(n.text, "WORKGROUP<1d>.corp");
        assert_eq!(end, 41);
    }

    #[test]
    fn test_malformed_pointer_forward_and_bad_letters() {
        assert_eq!(read(&[0xc0, 0], 0), Err(Truncated));
        let mut m = encoded("A", 0);
        m[1] = b'Z';
        assert_eq!(read(&m, 0), Err(Truncated));
    }

    #[test]
    fn test_truncated_name() {
        let m = encoded("NBTSRV", 0);
        for keep in 0..m.len() {
            assert_eq!(read(&m[..keep], 0), Err(Truncated), "{keep}");
        }
    }

    #[test]
    fn test_unprintable_bytes_are_escaped() {
        let raw = b"\x01\x02__MSBROWSE__\x02\x01";
        let mut v = vec![32];
        raw.iter()
            .for_each(|b| v.extend_from_slice(&[b'A' + (b >> 4), b'A' + (b & 15)]));
        v.push(0);
        assert_eq!(read(&v, 0).unwrap().0.text, "<01><02>__MSBROWSE__<02><01>");
    }
}
