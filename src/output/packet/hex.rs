//! `-X`: hex and ASCII of the packet from the network layer on, in
//! tcpdump's layout (offset, eight 16-bit groups, the printable bytes).

use std::io::{self, Write};

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
    for (row, chunk) in bytes.chunks(16).enumerate() {
        write!(w, "\n\t0x{:04x}: ", row * 16)?;
        for pair in chunk.chunks(2) {
            w.push(b' ');
            for b in pair {
                write!(w, "{b:02x}")?;
            }
        }
    }
    Ok(())
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
    }
}
