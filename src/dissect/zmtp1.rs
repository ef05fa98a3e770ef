//! ZMTP/1.0 (ZeroMQ's message transport, RFC 13/ZMTP) as tcpdump 4.99
//! prints it under `-T zmtp1` over TCP, and inside PGM's ODATA and RDATA
//! under `-T pgm_zmtp1` (zmq_pgm(7): a 16-bit offset of the first frame,
//! then frames).
//!
//! `: ZMTP/1.0` (over TCP), then each frame on a line of its own: `\n\t
//! frame flags+body  (8-bit) length 6, flags 0x01` (or `(64-bit)` after a
//! 0xFF escape), ` (3 captured)` where the capture holds less of the
//! body than the length says; `-v` the flag bits `(-|-|-|-|-|-|-|MORE)`
//! and the body's first bytes in hex and ASCII (128 at `-v`, all from
//! `-vv`). A frame of length 0 is skipped. Inside PGM: `\n\t frame
//! offset 0x0004`, and the bytes before the first frame as `frame
//! intermediate part, 4 bytes`.
//!
//! Frames are read while bytes are captured (up to the segment's
//! length); a frame whose header or body runs past them ends the line
//! ` [|zmtp1]`: tcpdump's `longjmp`, so the dump starts at the frame.

use super::ctl::{json_object, out, put_hex_ascii};
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static ZMTP1: Dissector = Dissector {
    name: "zmtp1",
    json_key: "zmtp1",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| !m.is_empty(),
};

/// The mark of a cut inside another printer (PGM's).
pub(super) const CUT: &[u8] = b" [|zmtp1]";

/// Body bytes `-v` shows of a frame (all of them from `-vv`).
const VBYTES: usize = 128;

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    w.extend_from_slice(b": ZMTP/1.0");
    let end = p.bytes.len().min(p.declared_len);
    frames(w, p.bytes, 0, end, v)
}

/// The frames from `at` while `at` is before `end` (the captured bytes
/// of the declared length). tcpdump counts a body's captured bytes up to
/// `end` but checks its reads against the whole capture `m` (PGM's data
/// can run past its TSDU length).
fn frames(w: &mut Vec<u8>, m: &[u8], mut at: usize, end: usize, v: u8) -> Res<()> {
    while at < end {
        at = frame(w, m, at, end, v)?;
    }
    Ok(())
}

/// One frame at `at`; where the next one starts.
fn frame(w: &mut Vec<u8>, m: &[u8], at: usize, end: usize, v: u8) -> Res<usize> {
    w.extend_from_slice(b"\n\t");
    let first = u8_at(m, at)?;
    let (header, declared) = if first != 0xff {
        out!(w, " frame flags+body  (8-bit) length {first}");
        (1, u64::from(first))
    } else {
        w.extend_from_slice(b" frame flags+body (64-bit) length");
        let long = u64::from(u32_at(m, at + 1)?) << 32 | u64::from(u32_at(m, at + 5)?);
        out!(w, " {long}");
        (9, long)
    };
    if declared == 0 {
        return Ok(at + header);
    }
    let flags = u8_at(m, at + header)?;
    let captured = end.saturating_sub(at + header) as u64;
    if declared > captured {
        out!(w, " ({captured} captured)");
    }
    out!(w, ", flags 0x{flags:02x}");
    if v > 0 {
        w.extend_from_slice(b" (");
        for bit in (1..8).rev() {
            w.extend_from_slice(if flags & 1 << bit != 0 {
                b"MBZ|"
            } else {
                b"-|"
            });
        }
        w.extend_from_slice(if flags & 1 != 0 { b"MORE)" } else { b"-)" });
        let mut shown = captured.min(declared);
        if v == 1 {
            shown = shown.min(VBYTES as u64 + 1);
        }
        if shown > 1 {
            out!(w, ", first {} byte(s) of body:", shown - 1);
            put_hex_ascii(w, m, at + header + 1, (shown - 1) as usize, "\n\t ")?;
        }
    }
    // The body must be captured whole before the walk moves past it (a
    // declared length cannot carry the offset past the bytes).
    let body_end = usize::try_from(declared)
        .ok()
        .and_then(|d| (at + header).checked_add(d))
        .filter(|&e| e <= m.len())
        .ok_or(Truncated)?;
    Ok(body_end)
}

/// zmq_pgm(7)'s datagram in PGM's data: the offset of the first frame
/// (0xFFFF: none), the bytes before it, then frames; `len` is the data's
/// length as PGM's header says it.
pub(super) fn datagram(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    let end = m.len().min(len);
    let offset = u16_at(m, 0)?;
    out!(w, "\n\t frame offset 0x{offset:04x}");
    let left = m.len().saturating_sub(2);
    // tcpdump's unsigned arithmetic: a TSDU under 2 bytes makes the part
    // of a datagram without a first frame 4294967294 bytes or so long.
    let part = if offset == 0xffff {
        (len as u32).wrapping_sub(2) as usize
    } else if 2 + usize::from(offset) > len {
        w.extend_from_slice(b" (exceeds datagram declared length)");
        return Err(Truncated);
    } else {
        usize::from(offset)
    };
    if part > 0 {
        out!(w, "\n\t frame intermediate part, {part} bytes");
        if part > left {
            out!(w, " ({left} captured)");
        }
        if v > 0 {
            let mut shown = part.min(left);
            if v == 1 {
                shown = shown.min(VBYTES);
            }
            if shown > 1 {
                out!(w, ", first {shown} byte(s):");
                put_hex_ascii(w, m, 2, shown, "\n\t ")?;
            }
        }
    }
    frames(w, m, part.saturating_add(2), end, v)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let mut list = Vec::new();
    let mut at = 0;
    let read = (|| {
        while at < m.len().min(p.declared_len) {
            let first = u8_at(m, at)?;
            let (header, len) = if first != 0xff {
                (1, u64::from(first))
            } else {
                (
                    9,
                    u64::from(u32_at(m, at + 1)?) << 32 | u64::from(u32_at(m, at + 5)?),
                )
            };
            let mut f = Map::new();
            f.insert("length".into(), json!(len));
            if len > 0 {
                let flags = u8_at(m, at + header)?;
                f.insert("flags".into(), json!(flags));
                f.insert("more".into(), json!(flags & 1 != 0));
            }
            list.push(Value::Object(f));
            let next = usize::try_from(len)
                .ok()
                .and_then(|l| (at + header).checked_add(l));
            match next {
                Some(n) if n <= m.len() => at = n,
                _ => return Err(Truncated),
            }
        }
        Ok(())
    })();
    o.insert("frames".into(), Value::Array(list));
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_cuts() {
        let m = [2, 1, b'a', 0, 1, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 2, 0, b'z'];
        assert_eq!(
            ZMTP1.printed(&m, 0),
            ": ZMTP/1.0\n\t frame flags+body  (8-bit) length 2, flags 0x01\n\t \
             frame flags+body  (8-bit) length 0\n\t frame flags+body  (8-bit) length 1, \
             flags 0x00\n\t frame flags+body (64-bit) length 2, flags 0x00"
        );
        assert_eq!(
            ZMTP1.printed(&[9, 3, 1, 2], 0),
            ": ZMTP/1.0\n\t frame flags+body  (8-bit) length 9 (3 captured), flags 0x03 [|zmtp1]"
        );
    }
}
