//! CARP, OpenBSD's Common Address Redundancy Protocol, as tcpdump 4.99
//! prints it: IP protocol 112 is VRRP's, and tcpdump reads it as CARP
//! only under `-T carp` (see [`super::packet_type`]).
//!
//! `CARPv2-advertise 36: vhid=1 advbase=1 advskew=0 authlen=7
//! counter=42` (the version, the type, the IP payload's length), `[ttl=64!] `
//! before the fields when the TTL is not 255, nothing after the length
//! for another version or type; `-v` adds ` (bad carp cksum 1234!)`
//! before the counter when the message is captured whole and its
//! checksum is wrong. Every read is tcpdump's unchecked `GET_`: a cut
//! message ends ` [|carp]` with its `longjmp`.

use super::ctl::{json_object, lines_with_ip, out};
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, IpContext, Payload};
use crate::decode::checksum::internet_sum;
use serde_json::{Map, Value, json};

pub static CARP: Dissector = Dissector {
    name: "carp",
    json_key: "carp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= 16,
};

/// The IP protocol number CARP shares with VRRP.
pub const PROTO: u8 = 112;

lines_with_ip!();

/// The line at level `v`, with the IP header's TTL.
pub(super) fn with_ip(w: &mut Vec<u8>, p: &Payload<'_>, ip: &IpContext, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    let b0 = u8_at(m, 0)?;
    let (version, kind) = (b0 >> 4, b0 & 0x0f);
    let name = if kind == 1 { "advertise" } else { "unknown" };
    out!(w, "CARPv{version}-{name} {len}: ");
    if ip.ttl != 255 {
        out!(w, "[ttl={}!] ", ip.ttl);
    }
    if version != 2 || kind != 1 {
        return Ok(());
    }
    out!(
        w,
        "vhid={} advbase={} advskew={} authlen={} ",
        u8_at(m, 1)?,
        u8_at(m, 5)?,
        u8_at(m, 2)?,
        u8_at(m, 3)?
    );
    if v > 0
        && let Some(msg) = m.get(..len)
        && internet_sum(0, msg) != 0
    {
        out!(w, " (bad carp cksum {:x}!)", u16_at(m, 6)?);
    }
    let counter = u64::from(u32_at(m, 8)?) << 32 | u64::from(u32_at(m, 12)?);
    out!(w, "counter={counter}");
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let b0 = u8_at(m, 0)?;
    o.insert("version".into(), json!(b0 >> 4));
    o.insert("type".into(), json!(b0 & 0x0f));
    o.insert("vhid".into(), json!(u8_at(m, 1)?));
    o.insert("advskew".into(), json!(u8_at(m, 2)?));
    o.insert("authlen".into(), json!(u8_at(m, 3)?));
    o.insert("advbase".into(), json!(u8_at(m, 5)?));
    o.insert("checksum".into(), json!(u16_at(m, 6)?));
    let counter = u64::from(u32_at(m, 8)?) << 32 | u64::from(u32_at(m, 12)?);
    o.insert("counter".into(), json!(counter));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advert() -> Vec<u8> {
        let mut m = vec![0x21, 1, 0, 7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42];
        m.extend_from_slice(&[0; 20]);
        m
    }

    #[test]
    fn lines() {
        let m = advert();
        assert_eq!(
            CARP.printed(&m, 0),
            "CARPv2-advertise 36: vhid=1 advbase=1 advskew=0 authlen=7 counter=42"
        );
        assert_eq!(
            CARP.printed(&m, 1),
            "CARPv2-advertise 36: vhid=1 advbase=1 advskew=0 authlen=7  (bad carp cksum 0!)counter=42"
        );
        assert_eq!(CARP.printed(&[0x31, 0], 0), "CARPv3-advertise 2: ");
        assert_eq!(
            CARP.printed_cut(&m, 10, 0),
            "CARPv2-advertise 36: vhid=1 advbase=1 advskew=0 authlen=7  [|carp]"
        );
    }
}
