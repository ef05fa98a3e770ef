//! The dumps after a packet's line, in tcpdump's layouts: `-x` hex, `-X`
//! hex and ASCII (offset, eight 16-bit groups, the printable bytes), `-A`
//! ASCII. One letter dumps from the network layer on, a doubled letter
//! (`-xx`, `-XX`, `-AA`) from the link header on; a truncated packet dumps
//! what was captured.

use std::io::{self, Write};

/// Which dump follows each line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DumpKind {
    #[default]
    Off,
    /// `-x`
    Hex,
    /// `-X`
    HexAscii,
    /// `-A`
    Ascii,
}

/// A dump and where it starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dump {
    pub kind: DumpKind,
    /// Doubled letter: include the link header.
    pub link: bool,
}

impl Dump {
    /// Write the dump of `bytes` (already cut where it starts).
    pub fn write(self, w: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
        match self.kind {
            DumpKind::Off => Ok(()),
            DumpKind::Hex => write_hex_only(w, bytes),
            DumpKind::HexAscii => write_hex(w, bytes),
            DumpKind::Ascii => write_ascii(w, bytes),
        }
    }
}

/// Rows of sixteen bytes as tcpdump's hex printers write them: `before`
/// each row, its offset, the bytes in 16-bit groups (an odd last byte
/// alone), then `after`.
fn write_hex_rows(w: &mut dyn Write, bytes: &[u8], before: &[u8], after: &[u8]) -> io::Result<()> {
    for (row, chunk) in bytes.chunks(16).enumerate() {
        w.write_all(before)?;
        write!(w, "0x{:04x}: ", row * 16)?;
        for pair in chunk.chunks(2) {
            match pair {
                [a, b] => write!(w, " {a:02x}{b:02x}")?,
                [a] => write!(w, " {a:02x}")?,
                _ => {}
            }
        }
        w.write_all(after)?;
    }
    Ok(())
}

/// `-x`: rows of eight 16-bit groups, no padding, an odd last byte alone.
pub fn write_hex_only(w: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    write_hex_rows(w, bytes, b"\t", b"\n")
}

/// Hex rows as tcpdump prints undecoded data inside a line (`-v` under
/// an option it does not know): each row starts with `indent`, nothing
/// ends the last one.
pub fn write_hex_indented(w: &mut Vec<u8>, indent: &[u8], bytes: &[u8]) -> io::Result<()> {
    write_hex_rows(w, bytes, indent, b"")
}

/// `-A`: the bytes as text on the lines after the packet's. Graphic
/// characters, space, tab and newline as they are, anything else a dot; a
/// carriage return is dropped where tcpdump drops it (before a newline,
/// and as one of the last two bytes).
pub fn write_ascii(w: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    let mut out = Vec::with_capacity(bytes.len() + 1);
    let mut rest = bytes.iter();
    while let Some(&c) = rest.next() {
        if c == b'\r' {
            let left = rest.as_slice();
            if left.len() > 1 && left.first() != Some(&b'\n') {
                out.push(b'.');
            }
        } else if c.is_ascii_graphic() || matches!(c, b'\t' | b' ' | b'\n') {
            out.push(c);
        } else {
            out.push(b'.');
        }
    }
    out.push(b'\n');
    w.write_all(&out)
}

pub fn write_hex(w: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    for (row, chunk) in bytes.chunks(16).enumerate() {
        write!(w, "\t0x{:04x}:  ", row * 16)?;
        for i in 0..16 {
            match chunk.get(i) {
                Some(b) => write!(w, "{b:02x}")?,
                None => w.write_all(b"  ")?,
            }
            if i % 2 == 1 {
                w.write_all(b" ")?;
            }
        }
        w.write_all(b" ")?;
        for &b in chunk {
            // tcpdump shows only graphic characters; space is a dot too.
            let c = if (0x21..0x7f).contains(&b) { b } else { b'.' };
            w.write_all(&[c])?;
        }
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// tcpdump's hex lines without ASCII (what it adds after a message it
/// does not decode): each row starts on a new line, `\n\t0x0010: `, then
/// the bytes in pairs. No newline at the end.
pub fn write_hex_lines(w: &mut Vec<u8>, bytes: &[u8]) -> io::Result<()> {
    write_hex_rows(w, bytes, b"\n\t", b"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_tcpdump() {
        let mut out = Vec::new();
        let bytes: Vec<u8> = b"E\x00\x00\x1cHello, world!!!!\x01".to_vec();
        write_hex(&mut out, &bytes).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\t0x0000:  4500 001c 4865 6c6c 6f2c 2077 6f72 6c64  E...Hello,.world\n\
             \t0x0010:  2121 2121 01                             !!!!.\n"
        );
        let mut out = Vec::new();
        write_hex_only(&mut out, &bytes).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\t0x0000:  4500 001c 4865 6c6c 6f2c 2077 6f72 6c64\n\
             \t0x0010:  2121 2121 01\n"
        );
    }

    #[test]
    fn ascii_drops_carriage_returns_as_tcpdump_does() {
        let mut out = Vec::new();
        write_ascii(&mut out, b"a\r\nb\rc\x01d\r\r").unwrap();
        assert_eq!(out, b"a\nb.c.d\n");
    }
}
