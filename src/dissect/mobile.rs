//! Minimal encapsulation within IP (IP protocol 55, RFC 2004), tcpdump's
//! `mobile` printer: `mobile: [S] ` when the original source is present
//! (`[] ` when not), at `-v` that source, `> ` the original destination
//! and `(oproto=N)`, then ` (bad checksum N)` when the header's checksum
//! (over 8 bytes, 12 with the source) does not add up. tcpdump wants the
//! whole 12-byte header captured and 8 bytes declared, else it prints only
//! ` [|mobile]` (after its own check: no jump).

use super::ctl::{ipv4_at, json_object, line_is_level_0, out};
use super::wire::{Res, need, u16_at};
use super::{Dissector, Payload};
use crate::decode::checksum::internet_sum;
use serde_json::{Map, Value, json};

pub static MOBILE: Dissector = Dissector::new("mobile", line, verbose, to_json, |m| m.len() >= 8);

/// The flag of the protocol word that says the original source follows.
const SOURCE_PRESENT: u16 = 0x0080;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    if p.declared_len < 8 {
        return Err(super::Truncated);
    }
    need(m, 0, 12)?;
    w.extend_from_slice(b"mobile: ");
    let (proto, sum) = (u16_at(m, 0)?, u16_at(m, 2)?);
    let with_source = proto & SOURCE_PRESENT != 0;
    if with_source {
        w.extend_from_slice(b"[S] ");
        if v > 0 {
            out!(w, "{} ", ipv4_at(m, 8)?);
        }
    } else {
        w.extend_from_slice(b"[] ");
    }
    if v > 0 {
        out!(w, "> {} (oproto={})", ipv4_at(m, 4)?, proto >> 8);
    }
    let header = if with_source { 12 } else { 8 };
    if internet_sum(0, m.get(..header).unwrap_or(m)) != 0 {
        out!(w, " (bad checksum {sum})");
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let proto = u16_at(m, 0)?;
    let with_source = proto & SOURCE_PRESENT != 0;
    o.insert("protocol".into(), json!(proto >> 8));
    o.insert("source_present".into(), json!(with_source));
    o.insert("checksum".into(), json!(u16_at(m, 2)?));
    o.insert("dst".into(), json!(ipv4_at(m, 4)?.to_string()));
    if with_source {
        o.insert("src".into(), json!(ipv4_at(m, 8)?.to_string()));
    }
    let header = if with_source { 12 } else { 8 };
    need(m, 0, header)?;
    o.insert(
        "checksum_ok".into(),
        json!(internet_sum(0, m.get(..header).unwrap_or(m)) == 0),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_source_checksum_and_truncated() {
        // Original source present; the checksum fills the words to 0xffff.
        let mut m = [0x06, 0x80, 0, 0, 198, 51, 100, 7, 192, 0, 2, 1];
        let sum = internet_sum(0, &m).to_be_bytes();
        m[2..4].copy_from_slice(&sum);
        assert_eq!(MOBILE.printed(&m, 0), "mobile: [S] ");
        assert_eq!(
            MOBILE.printed(&m, 1),
            "mobile: [S] 192.0.2.1 > 198.51.100.7 (oproto=6)"
        );
        let zeros = [0u8; 12];
        assert_eq!(
            MOBILE.printed(&zeros, 1),
            "mobile: [] > 0.0.0.0 (oproto=0) (bad checksum 0)"
        );
        // Twelve bytes captured or nothing, whatever the flag says.
        assert_eq!(MOBILE.printed(&zeros[..8], 0), " [|mobile]");
        let json = to_json(&Payload::whole(&m));
        assert_eq!(json["src"], "192.0.2.1");
        assert_eq!(json["checksum_ok"], true);
    }
}
