//! CALM FAST (ISO 29281, EtherType 0x1111), as tcpdump prints it: `CALM
//! FAST src:02:00:00:00:00:01; SrcNwref:1; DstNwref:2; ` — the frame's
//! source address (none on a link without one), then the source and
//! destination network references, one byte each; under `-v` the rest
//! in hex and ASCII. Shorter than the two references: ` (length 1 < 2)
//! (invalid)`; a reference the capture cut: ` [|calm_fast]`.

use super::ctl::put_mac;
use super::wire::{Res, u8_at};
use super::{Payload, Truncated};

/// The protocol's name in tcpdump's ` [|calm_fast]`.
pub const NAME: &str = "calm_fast";

/// How the line ended.
pub enum End<'a> {
    /// The references were read: the bytes after them (as captured, no
    /// more than the length says), which `-v` prints in hex, and whether
    /// the capture cut them (the hex then ends in ` [|calm_fast]`).
    Read(&'a [u8], bool),
    /// Shorter than the references: ` (invalid)`, the rest captured.
    Invalid,
}

/// Writes the line; `Err` when the capture cut a reference (or, after
/// ` (invalid)`, what the length declares).
pub fn write_line<'a>(w: &mut Vec<u8>, src: Option<&[u8]>, p: &Payload<'a>) -> Res<End<'a>> {
    w.extend_from_slice(b"CALM FAST");
    if let Some(mac) = src {
        w.extend_from_slice(b" src:");
        put_mac(w, mac);
    }
    w.extend_from_slice(b"; ");
    let m = p.bytes;
    if p.declared_len < 2 {
        super::ctl::out!(w, " (length {} < 2) (invalid)", p.declared_len);
        // tcpdump then checks that what the length declares was captured.
        return if m.len() < p.declared_len {
            Err(Truncated)
        } else {
            Ok(End::Invalid)
        };
    }
    super::ctl::out!(w, "SrcNwref:{}; ", u8_at(m, 0)?);
    super::ctl::out!(w, "DstNwref:{}; ", u8_at(m, 1)?);
    let end = p.declared_len.min(m.len());
    Ok(End::Read(
        m.get(2..end).unwrap_or(&[]),
        m.len() < p.declared_len,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(bytes: &[u8], declared_len: usize, src: Option<&[u8]>) -> (String, bool) {
        let mut w = Vec::new();
        let p = Payload {
            bytes,
            declared_len,
        };
        let ok = write_line(&mut w, src, &p).is_ok();
        (String::from_utf8(w).unwrap(), ok)
    }

    #[test]
    fn test_references_and_source() {
        let mac = [2, 0, 0, 0, 0, 1];
        assert_eq!(
            line(&[1, 2, 3], 3, Some(&mac)),
            (
                "CALM FAST src:02:00:00:00:00:01; SrcNwref:1; DstNwref:2; ".into(),
                true
            )
        );
        assert_eq!(
            line(&[7, 8], 2, None),
            ("CALM FAST; SrcNwref:7; DstNwref:8; ".into(), true)
        );
    }

    #[test]
    fn test_truncated_and_short() {
        assert_eq!(
            line(&[1], 3, None),
            ("CALM FAST; SrcNwref:1; ".into(), false)
        );
        assert_eq!(
            line(&[1], 1, None),
            ("CALM FAST;  (length 1 < 2) (invalid)".into(), true)
        );
        assert!(!line(&[], 1, None).1);
    }
}
