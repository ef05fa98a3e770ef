//! HSRP (RFC 2281, Cisco's Hot Standby Router Protocol) on its way to UDP
//! port 1985 (tcpdump looks at the destination port only: a datagram from
//! 1985 to another port is plain UDP), as `tcpdump -n` prints it: version 0 ("HSRPv1" in Cisco's words,
//! `HSRPv0-hello 20: state=active group=1 addr=192.0.2.254`) with the
//! timers, priority and authentication text at `-v`; other versions
//! (HSRPv2's TLVs) are only named (`HSRPv2`), as tcpdump names them.
//! Zeek has no HSRP analyzer: no `service`.

use super::ctl::{ipv4_at, json_object, out, put_text_nul, tok};
use super::dns::text::put_ttl;
use super::wire::{Res, u8_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

/// HSRP to port 1985.
pub static HSRP: Dissector = Dissector {
    name: "hsrp",
    json_key: "hsrp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: looks_like_hsrp,
};

fn looks_like_hsrp(m: &[u8]) -> bool {
    m.len() >= 20 && m.first() == Some(&0)
}

const OPS: &[(u8, &str)] = &[(0, "hello"), (1, "coup"), (2, "resign")];

const STATES: &[(u8, &str)] = &[
    (0, "initial"),
    (1, "learn"),
    (2, "listen"),
    (4, "speak"),
    (8, "standby"),
    (16, "active"),
];

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

/// Each field is printed as soon as it is read, so a cut message shows
/// what was captured before ` [|hsrp]`.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    let version = u8_at(m, 0)?;
    out!(w, "HSRPv{version}");
    if version != 0 {
        return Ok(());
    }
    w.push(b'-');
    let op = u8_at(m, 1)?;
    match tok(OPS, op) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "unknown ({op})"),
    }
    out!(w, " {}: ", p.declared_len);
    let state = u8_at(m, 2)?;
    match tok(STATES, state) {
        Some(name) => out!(w, "state={name} "),
        None => out!(w, "state=Unknown ({state}) "),
    }
    out!(w, "group={} ", u8_at(m, 6)?);
    let reserved = u8_at(m, 7)?;
    if reserved != 0 {
        out!(w, "[reserved={reserved}!] ");
    }
    out!(w, "addr={}", ipv4_at(m, 16)?);
    if v > 0 {
        w.extend_from_slice(b" hellotime=");
        put_ttl(w, u32::from(u8_at(m, 3)?));
        w.extend_from_slice(b" holdtime=");
        put_ttl(w, u32::from(u8_at(m, 4)?));
        out!(w, " priority={} auth=\"", u8_at(m, 5)?);
        put_text_nul(w, m, 8, 8)?;
        w.push(b'"');
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("version".into(), json!(u8_at(m, 0)?));
    let op = u8_at(m, 1)?;
    o.insert("opcode".into(), json!(op));
    o.insert("opcode_name".into(), json!(tok(OPS, op)));
    let state = u8_at(m, 2)?;
    o.insert("state".into(), json!(state));
    o.insert("state_name".into(), json!(tok(STATES, state)));
    o.insert("hello_time".into(), json!(u8_at(m, 3)?));
    o.insert("hold_time".into(), json!(u8_at(m, 4)?));
    o.insert("priority".into(), json!(u8_at(m, 5)?));
    o.insert("group".into(), json!(u8_at(m, 6)?));
    o.insert("virtual_ip".into(), json!(ipv4_at(m, 16)?.to_string()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello() -> Vec<u8> {
        let mut m = vec![0, 0, 16, 3, 10, 100, 1, 0];
        m.extend_from_slice(b"cisco\0\0\0");
        m.extend_from_slice(&[192, 0, 2, 254]);
        m
    }

    #[test]
    fn test_hello_lines() {
        assert_eq!(
            HSRP.printed(&hello(), 0),
            "HSRPv0-hello 20: state=active group=1 addr=192.0.2.254"
        );
        assert_eq!(
            HSRP.printed(&hello(), 1),
            "HSRPv0-hello 20: state=active group=1 addr=192.0.2.254 hellotime=3s \
             holdtime=10s priority=100 auth=\"cisco\""
        );
    }

    #[test]
    fn test_truncated_before_the_address() {
        let m = hello();
        let p = Payload {
            bytes: &m[..10],
            declared_len: 10,
        };
        let mut w = Vec::new();
        HSRP.write_line(&mut w, &p, 0);
        assert_eq!(
            String::from_utf8_lossy(&w),
            "HSRPv0-hello 10: state=active group=1  [|hsrp]"
        );
    }
}
