//! IPComp (IP protocol 108, RFC 3173) as `tcpdump -n` prints it:
//! `IPComp(cpi=0x1234)` at every level. tcpdump does not decompress the
//! payload, so the line ends there; it reads the CPI with a `GET_` macro,
//! so a header cut before it ends the packet (` [|ipcomp]`).

use super::ctl::{json_object, line_is_level_0, out};
use super::wire::{Res, u8_at, u16_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static IPCOMP: Dissector = Dissector::new("ipcomp", line, verbose, to_json, |m| m.len() >= 4);

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _v: u8) -> Res<()> {
    let cpi = u16_at(p.bytes, 2)?;
    out!(w, "IPComp(cpi=0x{cpi:04x})");
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("next_header".into(), json!(u8_at(m, 0)?));
    o.insert("flags".into(), json!(u8_at(m, 1)?));
    o.insert("cpi".into(), json!(u16_at(m, 2)?));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_cpi_and_truncated() {
        let m = [4, 0, 0x12, 0x34, 0x45];
        assert_eq!(IPCOMP.printed(&m, 0), "IPComp(cpi=0x1234)");
        assert_eq!(IPCOMP.printed(&m, 2), "IPComp(cpi=0x1234)");
        assert_eq!(IPCOMP.printed_cut(&m, 3, 0), " [|ipcomp]");
        assert_eq!(to_json(&Payload::whole(&m))["cpi"], 0x1234);
    }
}
