//! The frames of a decrypted QUIC Initial packet (RFC 9000 §19): the few
//! an Initial may carry (PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE),
//! and the CRYPTO stream put back in order. Clients scatter their
//! ClientHello over several CRYPTO frames, out of order, with PING and
//! PADDING between them (Chrome does); the pieces are joined by offset
//! into one buffer, bounded, and what starts at offset 0 without a hole is
//! the handshake data.

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

/// The most CRYPTO bytes joined (a ClientHello is a few KiB; a
/// datagram holds less than this anyway).
const MAX_CRYPTO: usize = 64 * 1024;

/// What an Initial's frames held.
#[derive(Debug, Default)]
pub struct Frames {
    /// Frame type names in order, a run of PADDING counted once.
    pub names: Vec<&'static str>,
    /// CRYPTO pieces: (offset, data).
    pub crypto: Vec<(usize, Vec<u8>)>,
    /// All frames read to the end of the payload.
    pub complete: bool,
}

/// Read the frames of a decrypted payload into `f`.
pub fn read(payload: &[u8], f: &mut Frames) {
    f.complete = read_all(payload, f).is_ok();
}

fn read_all(m: &[u8], f: &mut Frames) -> Res<()> {
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
                f.crypto.push((offset, data.to_vec()));
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

/// The CRYPTO stream from offset 0 up to its first hole, at most
/// [`MAX_CRYPTO`] bytes.
pub fn crypto_stream(pieces: &[(usize, Vec<u8>)]) -> Vec<u8> {
    let mut sorted: Vec<&(usize, Vec<u8>)> = pieces.iter().collect();
    sorted.sort_by_key(|(offset, _)| *offset);
    let mut out = Vec::new();
    for (offset, data) in sorted {
        if *offset > out.len() || out.len() >= MAX_CRYPTO {
            break;
        }
        let new = data.get(out.len() - offset..).unwrap_or(&[]);
        let room = MAX_CRYPTO - out.len();
        out.extend_from_slice(new.get(..room.min(new.len())).unwrap_or(new));
    }
    out
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
        assert_eq!(crypto_stream(&f.crypto), b"abcdefghi");
        // A hole stops the stream.
        assert_eq!(
            crypto_stream(&[(0, b"ab".to_vec()), (3, b"d".to_vec())]),
            b"ab"
        );
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
