//! IPsec's two headers (RFC 4303, 4302): ESP, `ESP(spi=0x00001234,seq=0x5),
//! length 24`, whose payload is encrypted and ends the line; AH,
//! `AH(spi=0x00001234,seq=0x5,icv=0x…): ` before the protocol it
//! authenticates (its length and reserved field under `-v`).

use super::super::put_num;
use super::super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Level, Printed, Tunnel, put_hex};
use crate::dissect::Payload;
use serde_json::{Value, json};

pub static ESP: Tunnel = Tunnel::new("esp", esp_line, esp_json).returning_when_cut();

/// AH where the IP layer did not take it as an extension header (cut or
/// damaged): its text, then nothing.
pub static AH: Tunnel = Tunnel::new("ah", ah_line, ah_json).when_cut(ah_cut_jumps);

fn put_hex8(w: &mut Vec<u8>, n: u32) {
    w.extend_from_slice(format!("{n:08x}").as_bytes());
}

fn esp_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, _level: Level) -> Res<Printed<'a>> {
    let m = p.bytes;
    let (spi, seq) = (u32_at(m, 0)?, u32_at(m, 4)?);
    // tcpdump wants a byte past the header too.
    u8_at(m, 8)?;
    w.extend_from_slice(b"ESP(spi=0x");
    put_hex8(w, spi);
    w.extend_from_slice(b",seq=0x");
    put_hex(w, seq);
    w.extend_from_slice(b"), length ");
    put_num(w, p.declared_len);
    Ok(Printed::done())
}

/// ESP's text alone, for a printer that carries it (ISAKMP's NAT
/// traversal port: `UDP-encap: ESP(…), length N`).
pub(in crate::dissect) fn esp_text(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    esp_line(w, p, Level::from(0)).map(|_| ())
}

fn esp_json(p: &Payload<'_>) -> Value {
    match (u32_at(p.bytes, 0), u32_at(p.bytes, 4)) {
        (Ok(spi), Ok(seq)) => json!({"spi": spi, "seq": seq, "complete": true}),
        _ => json!({"complete": false}),
    }
}

/// `AH(…): ` for the header at the start of `m`; the header's length in
/// bytes, where the protocol it protects starts. `Err`: the header was cut
/// (what was printed stands; the caller marks ` [|ah]`).
pub fn write_ah(
    w: &mut Vec<u8>,
    m: &[u8],
    verbose: u8,
) -> Result<usize, crate::dissect::Truncated> {
    u8_at(m, 0)?;
    w.extend_from_slice(b"AH");
    let len_field = u8_at(m, 1)?;
    let len = (usize::from(len_field) + 2) * 4;
    w.push(b'(');
    if verbose > 0 {
        w.extend_from_slice(b"length=");
        put_num(w, len_field);
        w.push(b'(');
        put_num(w, len);
        w.extend_from_slice(b"-bytes),");
    }
    let reserved = u16_at(m, 2)?;
    if reserved != 0 {
        w.extend_from_slice(b"reserved=0x");
        put_hex(w, u32::from(reserved));
        w.extend_from_slice(b"[MustBeZero],");
    }
    let spi = u32_at(m, 4)?;
    w.extend_from_slice(b"spi=0x");
    put_hex8(w, spi);
    w.push(b',');
    let seq = u32_at(m, 8)?;
    w.extend_from_slice(b"seq=0x");
    put_hex(w, seq);
    w.extend_from_slice(b",icv=0x");
    for at in 12..len {
        let b = u8_at(m, at)?;
        w.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    w.extend_from_slice(b"): ");
    Ok(len)
}

/// The length in bytes of the AH header at the start of `m` (RFC 4302:
/// its payload length field counts 32-bit words, less two), when that
/// field was captured.
pub fn ah_len(m: &[u8]) -> Option<usize> {
    m.get(1).map(|&words| (usize::from(words) + 2) * 4)
}

/// What follows an AH header of `len` bytes: the protocol its first
/// byte names, and the bytes after it (empty past the capture).
pub fn after_ah(m: &[u8], len: usize) -> (u8, &[u8]) {
    (u8_at(m, 0).unwrap_or(0), m.get(len..).unwrap_or(&[]))
}

/// tcpdump's AH printer checks that its first byte was captured before
/// reading the header with `GET_` macros: a cut after that jumps out.
pub fn ah_cut_jumps(p: &Payload<'_>) -> bool {
    !p.bytes.is_empty()
}

fn ah_line<'a>(w: &mut Vec<u8>, p: &Payload<'a>, level: Level) -> Res<Printed<'a>> {
    let verbose = level.verbose;
    write_ah(w, p.bytes, verbose)?;
    Ok(Printed::done())
}

fn ah_json(p: &Payload<'_>) -> Value {
    let m = p.bytes;
    match (u8_at(m, 0), u8_at(m, 1), u32_at(m, 4), u32_at(m, 8)) {
        (Ok(next), Ok(len), Ok(spi), Ok(seq)) => json!({
            "next_header": next, "len": (usize::from(len) + 2) * 4, "spi": spi, "seq": seq,
            "complete": m.len() >= (usize::from(len) + 2) * 4,
        }),
        _ => json!({"complete": false}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_esp_and_ah() {
        let m = [0, 0, 0x12, 0x34, 0, 0, 0, 5, 0xaa];
        let mut w = Vec::new();
        let _ = ESP.write(
            &mut w,
            &Payload {
                bytes: &m,
                declared_len: 24,
            },
            0,
        );
        assert_eq!(w, b"ESP(spi=0x00001234,seq=0x5), length 24");
        let ah = [
            1, 1, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 5, 0xab, 0xcd, 0xef, 0x01,
        ];
        let mut w = Vec::new();
        assert_eq!(write_ah(&mut w, &ah, 1), Ok(12));
        assert_eq!(w, b"AH(length=1(12-bytes),spi=0x00001234,seq=0x5,icv=0x): ");
        assert_eq!(
            super::super::printed_cut(&AH, &ah[..10], 16, 0),
            "AH(spi=0x00001234, [|ah]"
        );
    }
}
