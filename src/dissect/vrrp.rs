//! VRRP (IP protocol 112), versions 2 and 3 (RFC 3768, 5798), as `tcpdump
//! -n` prints an advertisement: `VRRPv2, Advertisement, vrid 1, prio 100,
//! authtype none, intvl 1s, length 20`, with the checksum's verdict (v3's
//! over the IP pseudo header), the virtual addresses and a simple
//! password at `-v`. The line names a TTL other than 255 (the RFC's), so
//! it reads the IP header ([`IpContext`]).

use super::ctl::{ipv4_at, json_object, lines_with_ip, out, put_text_nul, tok};
use super::dns::text::put_ipv6;
use super::wire::{Res, bytes_at, u8_at, u16_at};
use super::{Dissector, IpContext, Payload};
use crate::decode::checksum::{internet_sum, pseudo_header};
use serde_json::{Map, Value, json};

pub static VRRP: Dissector = Dissector::new("vrrp", line, verbose, to_json, looks_like_vrrp);

fn looks_like_vrrp(m: &[u8]) -> bool {
    matches!(m.first(), Some(0x21 | 0x31))
}

lines_with_ip!();

const AUTH: &[(u8, &str)] = &[(0, "none"), (1, "simple"), (2, "ah")];

/// The line at any level, with the IP header's fields.
pub(super) fn with_ip(w: &mut Vec<u8>, p: &Payload<'_>, ip: &IpContext, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    w.extend_from_slice(b"VRRP");
    let b0 = u8_at(m, 0)?;
    let (version, kind) = (b0 >> 4, b0 & 0x0f);
    out!(w, "v{version}, ");
    if kind == 1 {
        w.extend_from_slice(b"Advertisement");
    } else {
        out!(w, "unknown type ({kind})");
    }
    if ip.ttl != 255 {
        out!(w, ", (ttl {})", ip.ttl);
    }
    if !(2..=3).contains(&version) || kind != 1 {
        return Ok(());
    }
    out!(w, ", vrid {}, prio {}", u8_at(m, 1)?, u8_at(m, 2)?);
    let auth = u8_at(m, 4)?;
    if version == 2 {
        w.extend_from_slice(b", authtype ");
        // tcpdump's table has no words for an unknown type: `#N`.
        match tok(AUTH, auth) {
            Some(name) => w.extend_from_slice(name.as_bytes()),
            None => out!(w, "#{auth}"),
        }
        out!(w, ", intvl {}s, length {len}", u8_at(m, 5)?);
    } else {
        let intvl = u16::from(auth & 0x0f) << 8 | u16::from(u8_at(m, 5)?);
        out!(w, ", intvl {intvl}cs, length {len}");
    }
    if v == 0 {
        return Ok(());
    }
    let naddrs = usize::from(u8_at(m, 3)?);
    if let Some(msg) = m.get(..len) {
        let pseudo = if version == 3 {
            pseudo_header(ip.src, ip.dst, 112, len)
        } else {
            0
        };
        if internet_sum(pseudo, msg) != 0 {
            out!(w, ", (bad vrrp cksum {:x})", u16_at(m, 6)?);
        }
    }
    w.extend_from_slice(b", addrs");
    if naddrs > 1 {
        out!(w, "({naddrs})");
    }
    w.push(b':');
    let v4 = ip.src.is_ipv4();
    let size = if v4 { 4 } else { 16 };
    let mut at = 8;
    for i in 0..naddrs {
        // The address is read before its separator is printed.
        let sep = if i == 0 { b' ' } else { b',' };
        if v4 {
            let a = ipv4_at(m, at)?;
            w.push(sep);
            out!(w, "{a}");
        } else {
            let a = bytes_at::<16>(m, at)?;
            w.push(sep);
            put_ipv6(w, &a);
        }
        at += size;
    }
    if version == 2 && auth == 1 {
        w.extend_from_slice(b" auth \"");
        put_text_nul(w, m, at, 8)?;
        w.push(b'"');
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let b0 = u8_at(m, 0)?;
    o.insert("version".into(), json!(b0 >> 4));
    o.insert("type".into(), json!(b0 & 0x0f));
    o.insert("vrid".into(), json!(u8_at(m, 1)?));
    o.insert("priority".into(), json!(u8_at(m, 2)?));
    let n = usize::from(u8_at(m, 3)?);
    o.insert("addr_count".into(), json!(n));
    if b0 >> 4 == 3 {
        o.insert("interval_cs".into(), json!(u16_at(m, 4)? & 0x0fff));
    } else {
        o.insert("auth_type".into(), json!(u8_at(m, 4)?));
        o.insert("interval_s".into(), json!(u8_at(m, 5)?));
    }
    o.insert("checksum".into(), json!(u16_at(m, 6)?));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::ctl::NO_IP;

    #[test]
    fn test_truncated_and_ttl() {
        let m = [0x21, 1, 100, 1, 0, 1, 0xba, 0x52, 192, 0, 2];
        let ip = IpContext { ttl: 64, ..NO_IP };
        let p = Payload {
            bytes: &m,
            declared_len: 20,
        };
        let mut w = Vec::new();
        assert!(with_ip(&mut w, &p, &ip, 1).is_err());
        assert_eq!(
            String::from_utf8_lossy(&w),
            "VRRPv2, Advertisement, (ttl 64), vrid 1, prio 100, authtype none, intvl 1s, length 20, addrs:"
        );
    }
}
