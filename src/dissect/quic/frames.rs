//! The frames of a decrypted QUIC Initial packet (RFC 9000 §19): the few
//! an Initial may carry (PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE),
//! and the CRYPTO stream put back in order. Clients scatter their
//! ClientHello over several CRYPTO frames, out of order, with PING and
//! PADDING between them (Chrome does), and a long one over several
//! Initials; the pieces are borrowed from the decrypted payload and
//! written by offset into one [`CryptoBuf`] (one per datagram, or one per
//! connection when the flow side joins Initials), bounded, and what
//! starts at offset 0 without a hole is the handshake data.

use super::super::Truncated;
use super::super::wire::{Res, u8_at};

/// A variable-length integer (RFC 9000 §16) at `*at`, which moves past it.
pub fn varint(m: &[u8], at: &mut usize) -> Res<u64> {
    let first = u8_at(m, *at)?;
    let len = 1usize << (first >> 6);
    let mut v = u64::from(first & 0x3f);
    for i in 1..len {
        v = v << 8 | u64::from(u8_at(m, *at + i)?);
    }
    *at += len;
    Ok(v)
}

/// A varint used as a length or offset within the datagram.
fn size(m: &[u8], at: &mut usize) -> Res<usize> {
    usize::try_from(varint(m, at)?).map_err(|_| Truncated)
}

/// The most CRYPTO bytes joined (a ClientHello is a few KiB, 2 with a
/// post-quantum key share): a piece reaching past it is left out.
pub const MAX_CRYPTO: usize = 16 * 1024;
/// Separate runs of bytes a [`CryptoBuf`] keeps track of at most (pieces
/// arrive out of order, but a few holes at a time).
const MAX_RUNS: usize = 16;

/// What an Initial's frames held.
#[derive(Debug, Default)]
pub struct Frames<'a> {
    /// Frame type names in order, a run of PADDING counted once.
    pub names: Vec<&'static str>,
    /// CRYPTO pieces: (offset, data), borrowed from the payload.
    pub crypto: Vec<(usize, &'a [u8])>,
    /// All frames read to the end of the payload.
    pub complete: bool,
}

/// Read the frames of a decrypted payload into `f`.
pub fn read<'a>(payload: &'a [u8], f: &mut Frames<'a>) {
    f.complete = read_all(payload, f).is_ok();
}

fn read_all<'a>(m: &'a [u8], f: &mut Frames<'a>) -> Res<()> {
    let mut at = 0;
    while at < m.len() {
        let ty = varint(m, &mut at)?;
        let name = match ty {
            0x00 => {
                while m.get(at) == Some(&0) {
                    at += 1;
                }
                "padding"
            }
            0x01 => "ping",
            0x02 | 0x03 => {
                varint(m, &mut at)?; // largest acknowledged
                varint(m, &mut at)?; // delay
                let ranges = varint(m, &mut at)?;
                varint(m, &mut at)?; // first range
                for _ in 0..ranges {
                    // Each range is at least two bytes: the loop ends with
                    // the payload.
                    varint(m, &mut at)?;
                    varint(m, &mut at)?;
                }
                if ty == 0x03 {
                    for _ in 0..3 {
                        varint(m, &mut at)?;
                    }
                    "ack_ecn"
                } else {
                    "ack"
                }
            }
            0x06 => {
                let offset = size(m, &mut at)?;
                let len = size(m, &mut at)?;
                let data = m.get(at..at.saturating_add(len)).ok_or(Truncated)?;
                at += len;
                f.crypto.push((offset, data));
                "crypto"
            }
            0x1c | 0x1d => {
                varint(m, &mut at)?;
                if ty == 0x1c {
                    varint(m, &mut at)?;
                }
                let len = size(m, &mut at)?;
                m.get(at..at.saturating_add(len)).ok_or(Truncated)?;
                at += len;
                if ty == 0x1c {
                    "connection_close"
                } else {
                    "application_close"
                }
            }
            // Any other frame is not allowed in an Initial (RFC 9000
            // §12.4): not something to read further.
            _ => return Err(Truncated),
        };
        if !(name == "padding" && f.names.last() == Some(&"padding")) {
            f.names.push(name);
        }
    }
    Ok(())
}

/// A CRYPTO stream being put together: the bytes by offset (a hole
/// reads as zeros until filled) and the runs of them received, so that
/// pieces may come in any order and more than once. At most
/// [`MAX_CRYPTO`] bytes and [`MAX_RUNS`] runs: a piece past either is
/// left out, so memory stays bounded whatever the offsets say.
#[derive(Clone, Debug, Default)]
pub struct CryptoBuf {
    data: Vec<u8>,
    /// Received `[start, end)` runs, sorted, none touching another.
    runs: Vec<(usize, usize)>,
}

impl CryptoBuf {
    /// Write `piece` at `offset` (retransmitted bytes are the same bytes:
    /// a later copy simply writes over the first). `false` when it was
    /// left out.
    pub fn put(&mut self, offset: usize, piece: &[u8]) -> bool {
        let end = offset.saturating_add(piece.len());
        if piece.is_empty() || end > MAX_CRYPTO {
            return false;
        }
        // The runs this one touches merge with it.
        let first = self.runs.partition_point(|&(_, e)| e < offset);
        let last = self.runs.partition_point(|&(s, _)| s <= end);
        if first == last && self.runs.len() >= MAX_RUNS {
            return false;
        }
        let merged = self.runs.get(first..last).unwrap_or(&[]);
        let start = merged.first().map_or(offset, |r| r.0.min(offset));
        let stop = merged.last().map_or(end, |r| r.1.max(end));
        self.runs.splice(first..last, [(start, stop)]);
        if self.data.len() < end {
            self.data.resize(end, 0);
        }
        if let Some(dst) = self.data.get_mut(offset..end) {
            dst.copy_from_slice(piece);
        }
        true
    }

    /// The stream from offset 0 up to its first hole.
    pub fn prefix(&self) -> &[u8] {
        match self.runs.first() {
            Some(&(0, end)) => self.data.get(..end).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Bytes held (for the memory budget).
    pub fn held(&self) -> usize {
        self.data.capacity() + self.runs.capacity() * std::mem::size_of::<(usize, usize)>()
    }
}

/// The CRYPTO stream of `pieces` from offset 0 up to its first hole.
pub fn crypto_stream(pieces: &[(usize, &[u8])]) -> CryptoBuf {
    let mut b = CryptoBuf::default();
    for &(offset, data) in pieces {
        b.put(offset, data);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_varint_rfc9000_a1_examples() {
        for (bytes, v) in [
            (
                &[0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c][..],
                151_288_809_941_952_652u64,
            ),
            (&[0x9d, 0x7f, 0x3e, 0x7d], 494_878_333),
            (&[0x7b, 0xbd], 15_293),
            (&[0x25], 37),
            (&[0x40, 0x25], 37),
        ] {
            let mut at = 0;
            assert_eq!(varint(bytes, &mut at), Ok(v));
            assert_eq!(at, bytes.len());
        }
        assert_eq!(varint(&[0x40], &mut 0), Err(Truncated));
    }

    #[test]
    fn test_scattered_crypto_frames_join() {
        // CRYPTO [5..9), PING, PADDING, CRYPTO [0..5), CRYPTO [3..6).
        let mut m = vec![0x06, 5, 4, b'f', b'g', b'h', b'i', 0x01, 0, 0, 0];
        m.extend([0x06, 0, 5, b'a', b'b', b'c', b'd', b'e']);
        m.extend([0x06, 3, 3, b'd', b'e', b'f']);
        let mut f = Frames::default();
        read(&m, &mut f);
        assert!(f.complete);
        assert_eq!(f.names, ["crypto", "ping", "padding", "crypto", "crypto"]);
        assert_eq!(crypto_stream(&f.crypto).prefix(), b"abcdefghi");
        // A hole stops the stream.
        assert_eq!(crypto_stream(&[(0, b"ab"), (3, b"d")]).prefix(), b"ab");
        // Out of order, over several calls, with bounds.
        let mut b = CryptoBuf::default();
        assert!(b.put(4, b"ef") && b.put(8, b"i") && b.put(0, b"abc"));
        assert_eq!(b.prefix(), b"abc");
        assert!(b.put(3, b"d") && b.put(6, b"gh"));
        assert_eq!(b.prefix(), b"abcdefghi");
        assert!(!b.put(MAX_CRYPTO - 1, b"xy"));
        assert!(!b.put(usize::MAX, b"x"));
        let mut b = CryptoBuf::default();
        for i in 0..MAX_RUNS {
            assert!(b.put(i * 2, b"x"));
        }
        assert!(!b.put(100, b"x"));
        assert!(b.put(1, b"x"), "a piece joining runs is still taken");
    }

    #[test]
    fn test_unknown_or_cut_frames() {
        let mut f = Frames::default();
        read(&[0x01, 0x08, 0x00], &mut f);
        assert!(!f.complete);
        assert_eq!(f.names, ["ping"]);
        let mut f = Frames::default();
        read(&[0x06, 0x00, 0x10, 1, 2], &mut f);
        assert!(!f.complete && f.crypto.is_empty());
        // A huge ACK range count ends with the bytes.
        let mut f = Frames::default();
        read(
            &[
                0x02, 0, 0, 0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
            ],
            &mut f,
        );
        assert!(!f.complete);
    }
}
