//! The `"dns"` object of `--json`: decoded apart from the line, so a
//! damaged message gives every entry that could be read and `complete`.

use super::edns::edns_option_name;
use super::name::put_name;
use super::text::{put_hex, put_ipv6};
use super::{
    FLAGS, HEADER_LEN, Header, MDNS_BIT, T_OPT, class_name, ext_rcode, json_type_name, rcode_name,
};
use crate::dissect::ctl::is_set;
use crate::dissect::wire::{bytes_at, u8_at, u16_at, u32_at};
use serde_json::{Map, Value, json};

/// The name at `at` as text (tcpdump's escapes for odd bytes), and where
/// the bytes after it begin; `None` when it is damaged.
pub(super) fn name_text(m: &[u8], at: usize) -> Option<(String, usize)> {
    let mut w = Vec::new();
    let end = put_name(&mut w, m, at).ok()?;
    let text = String::from_utf8(w).ok()?;
    // put_name marks what it could not decode in the text itself.
    (!text.contains('<')).then_some((text, end))
}

pub(super) fn hex(b: &[u8]) -> String {
    let mut w = Vec::with_capacity(2 * b.len());
    for &c in b {
        put_hex(&mut w, c, 2);
    }
    String::from_utf8(w).unwrap_or_default()
}

pub(super) fn type_json(t: u16) -> String {
    json_type_name(t).map_or_else(|| format!("TYPE{t}"), str::to_string)
}

pub(super) fn class_json(c: u16) -> String {
    class_name(c).map_or_else(|| format!("CLASS{c}"), str::to_string)
}

/// The `"dns"` object: header fields, then each section's entries as far
/// as they could be decoded (`complete` says whether that was all).
pub(super) fn to_json(m: &[u8], mdns: bool) -> Value {
    let Ok(h) = Header::read(m) else {
        return json!({"complete": false, "len": m.len()});
    };
    let mut o = Map::new();
    o.insert("id".into(), json!(h.id));
    o.insert("qr".into(), json!(h.qr()));
    o.insert("opcode".into(), json!(h.opcode()));
    let rcode = (h.flags & 0xf) | ext_rcode(m, &h);
    o.insert("rcode".into(), json!(rcode));
    let rname = rcode_name(rcode).map_or_else(|| format!("Resp{rcode}"), str::to_string);
    o.insert("rcode_name".into(), json!(rname));
    let flags: Vec<&str> = FLAGS
        .iter()
        .filter(|bit| is_set(h.flags, **bit))
        .map(|(_, n)| *n)
        .collect();
    o.insert("flags".into(), json!(flags));
    for (key, n) in [
        ("qdcount", h.qd),
        ("ancount", h.an),
        ("nscount", h.ns),
        ("arcount", h.ar),
    ] {
        o.insert(key.into(), json!(n));
    }
    let mut at = HEADER_LEN;
    let mut complete = true;
    let mut questions = Vec::new();
    for _ in 0..h.qd {
        match json_question(m, at, mdns) {
            Some((q, next)) => {
                questions.push(q);
                at = next;
            }
            None => {
                complete = false;
                break;
            }
        }
    }
    o.insert("questions".into(), Value::Array(questions));
    for (key, count) in [("answers", h.an), ("authority", h.ns), ("additional", h.ar)] {
        let mut records = Vec::new();
        for _ in 0..count {
            if !complete {
                break;
            }
            match json_record(m, at, mdns) {
                Some((r, next)) => {
                    records.push(r);
                    at = next;
                }
                None => complete = false,
            }
        }
        o.insert(key.into(), Value::Array(records));
    }
    o.insert("complete".into(), json!(complete));
    Value::Object(o)
}

pub(super) fn json_question(m: &[u8], at: usize, mdns: bool) -> Option<(Value, usize)> {
    let (name, at) = name_text(m, at)?;
    let qtype = u16_at(m, at).ok()?;
    let raw = u16_at(m, at + 2).ok()?;
    let mut q = Map::new();
    q.insert("name".into(), json!(name));
    q.insert("type".into(), json!(type_json(qtype)));
    if mdns {
        q.insert("class".into(), json!(class_json(raw & !MDNS_BIT)));
        q.insert("unicast_response".into(), json!(raw & MDNS_BIT != 0));
    } else {
        q.insert("class".into(), json!(class_json(raw)));
    }
    Some((Value::Object(q), at + 4))
}

pub(super) fn json_record(m: &[u8], at: usize, mdns: bool) -> Option<(Value, usize)> {
    let (name, at) = name_text(m, at)?;
    let rtype = u16_at(m, at).ok()?;
    let raw = u16_at(m, at + 2).ok()?;
    let ttl = u32_at(m, at + 4).ok()?;
    let rd = at + 10;
    let end = rd + usize::from(u16_at(m, at + 8).ok()?);
    let rdata = m.get(rd..end)?;
    let mut r = Map::new();
    r.insert("name".into(), json!(name));
    r.insert("type".into(), json!(type_json(rtype)));
    if rtype == T_OPT {
        r.insert("udp_size".into(), json!(raw));
        r.insert("ext_rcode".into(), json!(ttl >> 24));
        r.insert("version".into(), json!((ttl >> 16) & 0xff));
        r.insert("do".into(), json!(ttl & 0x8000 != 0));
        let mut options = Vec::new();
        let mut p = 0;
        while p < rdata.len() {
            let code = u16_at(rdata, p).ok()?;
            let len = usize::from(u16_at(rdata, p + 2).ok()?);
            let data = rdata.get(p + 4..p + 4 + len)?;
            options.push(json!({
                "code": code,
                "name": edns_option_name(code).unwrap_or(""),
                "data": hex(data),
            }));
            p += 4 + len;
        }
        r.insert("options".into(), Value::Array(options));
        return Some((Value::Object(r), end));
    }
    let class = if mdns { raw & !MDNS_BIT } else { raw };
    r.insert("class".into(), json!(class_json(class)));
    if mdns {
        r.insert("cache_flush".into(), json!(raw & MDNS_BIT != 0));
    }
    r.insert("ttl".into(), json!(ttl));
    r.insert("data".into(), rdata_json(m, rtype, rd, end)?);
    Some((Value::Object(r), end))
}

/// The record's data in zone-file order (`10 mx.example.com.`); TXT as an
/// array of strings; types without a text form in hex.
pub(super) fn rdata_json(m: &[u8], rtype: u16, rd: usize, end: usize) -> Option<Value> {
    let name = |at| name_text(m, at).map(|(n, _)| n);
    let v = match rtype {
        1 => {
            let a = bytes_at::<4>(m, rd).ok()?;
            json!(std::net::Ipv4Addr::from(a).to_string())
        }
        28 => {
            let mut w = Vec::new();
            put_ipv6(&mut w, &bytes_at::<16>(m, rd).ok()?);
            json!(String::from_utf8(w).ok()?)
        }
        2 | 5 | 12 | 39 => json!(name(rd)?),
        15 => json!(format!("{} {}", u16_at(m, rd).ok()?, name(rd + 2)?)),
        33 => json!(format!(
            "{} {} {} {}",
            u16_at(m, rd).ok()?,
            u16_at(m, rd + 2).ok()?,
            u16_at(m, rd + 4).ok()?,
            name(rd + 6)?
        )),
        6 => {
            let (mname, at) = name_text(m, rd)?;
            let (rname, at) = name_text(m, at)?;
            let mut text = format!("{mname} {rname}");
            for k in 0..5 {
                text.push_str(&format!(" {}", u32_at(m, at + 4 * k).ok()?));
            }
            json!(text)
        }
        16 => {
            let mut strings = Vec::new();
            let mut at = rd;
            while at < end {
                let n = usize::from(u8_at(m, at).ok()?);
                let s = m.get(at + 1..at + 1 + n)?;
                strings.push(json!(String::from_utf8_lossy(s)));
                at += 1 + n;
            }
            Value::Array(strings)
        }
        _ => json!(hex(m.get(rd..end)?)),
    };
    Some(v)
}
