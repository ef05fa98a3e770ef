//! A file handle as tcpdump prints it (` fh MAJOR,MINOR/INODE`): the
//! handle is opaque to the client, so tcpdump guesses which server wrote
//! it from where its bytes are zero (its `parsenfsfh.c` decision tree
//! after J. Mogul: SunOS 4 and 5, Auspex, OSF/1, IRIX 4, Ultrix, HP-UX 9,
//! 4.4BSD, VMS UCX) and prints that layout's device numbers and inode.
//! A handle it cannot place (Linux's, most of today's) prints as
//! ` fh Unknown/` and the hex of its first 32 bytes, the word `Unknown`
//! cut to as many letters as the handle has 4-byte words.
//!
//! The caller has checked that `len` words were captured.

use super::super::dns::text::put_char;
use std::io::Write;

/// The layouts tcpdump tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Unknown,
    Auspex,
    DecOsf,
    Irix4,
    SunOs4,
    SunOs5,
    Ultrix,
    VmsUcx,
    HpUx9,
    Bsd44,
}

/// The most bytes of an unplaced handle that are shown in hex.
const SHOWN: usize = 32;

/// Write ` fh …` for the handle `h` of `words` 4-byte words (`h` holds
/// at least that many bytes).
pub(super) fn write_handle(w: &mut Vec<u8>, h: &[u8]) {
    let words = h.len() / 4;
    let b = |i: usize| h.get(i).copied().unwrap_or(0);
    let be16 = |i: usize| u32::from(u16::from_be_bytes([b(i), b(i + 1)]));
    let be24 = |i: usize| u32::from_be_bytes([0, b(i), b(i + 1), b(i + 2)]);
    let be32 = |i: usize| u32::from_be_bytes([b(i), b(i + 1), b(i + 2), b(i + 3)]);
    let le32 = |i: usize| u32::from_le_bytes([b(i), b(i + 1), b(i + 2), b(i + 3)]);
    let le16 = |i: usize| u32::from(u16::from_le_bytes([b(i), b(i + 1)]));
    // (major, minor, inode)
    let (major, minor, inode) = match layout(h, words) {
        Layout::Unknown => {
            w.extend_from_slice(b" fh ");
            w.extend_from_slice(&b"Unknown"[..words.min(7)]);
            w.push(b'/');
            for &byte in h.iter().take(SHOWN) {
                let _ = write!(w, "{byte:02X}");
            }
            return;
        }
        Layout::VmsUcx => {
            // The exported device's name, from the second byte to a NUL
            // or a space, as many letters at most as the handle has words.
            w.extend_from_slice(b" fh ");
            let name = h.get(1..).unwrap_or(&[]);
            for &c in name
                .iter()
                .take(words)
                .take_while(|c| **c != 0 && **c != b' ')
            {
                put_char(w, c);
            }
            w.push(b'/');
            let inode = (u32::from(b(26)) << 24) | (u32::from(b(27)) << 16) | le16(22);
            let _ = write!(w, "{inode}");
            return;
        }
        Layout::Auspex => (u32::from(b(6)), u32::from(b(7)), be32(12)),
        Layout::Bsd44 => (u32::from(b(1)), u32::from(b(0)), le32(12)),
        Layout::DecOsf => {
            let dev = le32(0);
            ((dev >> 20) & 0xfff, dev & 0xfffff, le32(12))
        }
        Layout::Irix4 => (u32::from(b(2)), u32::from(b(3)), be32(8)),
        Layout::SunOs4 => (u32::from(b(2)), u32::from(b(3)), be32(12)),
        Layout::SunOs5 => ((be16(0) >> 2) & 0x3fff, be24(1) & 0x3ffff, be32(12)),
        Layout::Ultrix => (u32::from(b(1)), u32::from(b(0)), le32(4)),
        Layout::HpUx9 => (u32::from(b(0)), be24(1), be32(12)),
    };
    let _ = write!(w, " fh {major},{minor}/{inode}");
}

/// tcpdump's guess, from the bytes that are zero where each server
/// writes them.
fn layout(h: &[u8], words: usize) -> Layout {
    if words < 4 {
        return Layout::Unknown;
    }
    let b = |i: usize| h.get(i).copied().unwrap_or(0);
    let zero = |i: usize| b(i) == 0;
    if zero(0) && zero(1) {
        if zero(2) && zero(3) {
            Layout::Auspex
        } else if !zero(4) && zero(5) && b(8) == 12 && zero(9) {
            Layout::DecOsf
        } else if zero(4) && b(5) == 8 && zero(6) && zero(7) {
            Layout::Irix4
        } else {
            Layout::SunOs4
        }
    } else if zero(2) && zero(3) {
        if zero(6) && zero(7) {
            Layout::Bsd44
        } else if words >= 6 && zero(21) && zero(23) {
            Layout::Ultrix
        } else if b(9) == 10 {
            Layout::SunOs5
        } else {
            Layout::Unknown
        }
    } else if b(8) == 12 && zero(9) {
        Layout::DecOsf
    } else if zero(8) && b(9) == 10 {
        if zero(4) && zero(5) && zero(6) && zero(7) {
            Layout::HpUx9
        } else {
            Layout::SunOs5
        }
    } else if is_ucx(h, words) {
        Layout::VmsUcx
    } else {
        Layout::Unknown
    }
}

/// A VMS UCX handle: at least 28 bytes, and bytes 1 to 13 a run of
/// printable characters followed only by NULs.
fn is_ucx(h: &[u8], words: usize) -> bool {
    if words < 7 {
        return false;
    }
    let mut seen_nul = false;
    for &c in h.iter().take(14).skip(1) {
        if (0x20..0x7f).contains(&c) {
            if seen_nul {
                return false;
            }
        } else if c == 0 {
            seen_nul = true;
        } else {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(h: &[u8]) -> String {
        let mut w = Vec::new();
        write_handle(&mut w, h);
        String::from_utf8(w).unwrap()
    }

    #[test]
    fn test_unknown_handles_print_hex_and_a_cut_word() {
        let h: Vec<u8> = (1..=8).collect();
        assert_eq!(shown(&h), " fh Un/0102030405060708");
        assert_eq!(shown(&[]), " fh /");
        let long = [0xab; 40];
        assert_eq!(shown(&long), format!(" fh Unknown/{}", "AB".repeat(32)));
    }

    #[test]
    fn test_layouts_by_their_zero_bytes() {
        let mut h = [0u8; 32];
        h[2] = 1;
        h[3] = 2;
        h[12..16].copy_from_slice(&9u32.to_be_bytes());
        assert_eq!(shown(&h), " fh 1,2/9", "SunOS 4");
        let mut h = [0u8; 32];
        h[0] = 3;
        h[1] = 4;
        h[12..16].copy_from_slice(&7u32.to_le_bytes());
        assert_eq!(shown(&h), " fh 4,3/7", "4.4BSD");
        let mut h = [0u8; 32];
        h[0] = 1;
        h[1..8].copy_from_slice(b"DKA0 \0\0");
        h[22] = 5;
        assert_eq!(shown(&h), " fh DKA0/5", "VMS UCX");
    }
}
