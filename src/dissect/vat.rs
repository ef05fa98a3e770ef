//! vat and vt, the LBL audio and video conferencing tools of the MBone
//! (UDP 3456, datagrams to the port only), as tcpdump 4.99 prints them,
//! one line at every level. The first 16-bit word decides: with any of
//! the bits `0xf060` set it is vt, `udp/vt 18 927 / 15` (the datagram's
//! length, the low ten bits and the top six); else vat, `udp/vat 0 c5 9`
//! (the length after the 8-byte header, the conference id, the timestamp,
//! `*` for the marker bit, ` f` and ` s` for a format and a sample count
//! when set). Shorter datagrams say so (`udp/va/vat, length 1 < 2`,
//! `udp/vat, length 4 < 8`); a cut header is ` [|vat]`. Zeek has no
//! analyzer for either (no `service`).

use super::ctl::{json_object, line_is_level_0, out};
use super::wire::{Res, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static VAT: Dissector = Dissector {
    name: "vat",
    json_key: "vat",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= 2,
};

pub const PORT: u16 = 3456;

/// The bits of the first word that only vt sets.
const VT_BITS: u16 = 0xf060;
/// vat's header: the flags, format and conference word, the timestamp.
const VAT_HEADER: usize = 8;
const MARKER: u32 = 0x80_0000;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < 2 {
        out!(w, "udp/va/vat, length {len} < 2");
        return Ok(());
    }
    let first = u16_at(m, 0)?;
    if first & VT_BITS != 0 {
        out!(w, "udp/vt {len} {} / {}", first & 0x3ff, first >> 10);
        return Ok(());
    }
    if len < VAT_HEADER {
        out!(w, "udp/vat, length {len} < 8");
        return Ok(());
    }
    let (i0, i1) = (u32_at(m, 0)?, u32_at(m, 4)?);
    let marker = if i0 & MARKER != 0 { "*" } else { "" };
    out!(
        w,
        "udp/vat {} c{} {i1}{marker}",
        len - VAT_HEADER,
        i0 & 0xffff
    );
    if i0 & 0x1f_0000 != 0 {
        out!(w, " f{}", (i0 >> 16) & 0x1f);
    }
    if i0 & 0x3f00_0000 != 0 {
        out!(w, " s{}", (i0 >> 24) & 0x3f);
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let first = u16_at(m, 0)?;
    if first & VT_BITS != 0 {
        o.insert("tool".into(), json!("vt"));
        o.insert("low".into(), json!(first & 0x3ff));
        o.insert("high".into(), json!(first >> 10));
        return Ok(());
    }
    o.insert("tool".into(), json!("vat"));
    let (i0, i1) = (u32_at(m, 0)?, u32_at(m, 4)?);
    o.insert("conference".into(), json!(i0 & 0xffff));
    o.insert("timestamp".into(), json!(i1));
    o.insert("marker".into(), json!(i0 & MARKER != 0));
    o.insert("format".into(), json!((i0 >> 16) & 0x1f));
    o.insert("samples".into(), json!((i0 >> 24) & 0x3f));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_line() {
        assert_eq!(VAT.printed(&[0, 0, 0, 5, 0, 0, 0, 9], 0), "udp/vat 0 c5 9");
        assert_eq!(
            VAT.printed(&[0x3f, 0x9f, 0x12, 0x34, 0, 0, 0, 1, 0, 0], 1),
            "udp/vt 10 927 / 15"
        );
        assert_eq!(
            VAT.printed(&[0x01, 0x81, 0, 1, 0, 0, 0, 1], 0),
            "udp/vat 0 c1 1* f1 s1"
        );
    }

    #[test]
    fn test_malformed_short() {
        assert_eq!(VAT.printed(&[0], 0), "udp/va/vat, length 1 < 2");
        assert_eq!(VAT.printed(&[0, 0, 0, 5], 0), "udp/vat, length 4 < 8");
    }

    #[test]
    fn test_truncated() {
        assert_eq!(VAT.printed_cut(&[0, 0, 0, 5, 0, 0, 0, 9], 7, 0), " [|vat]");
    }
}
