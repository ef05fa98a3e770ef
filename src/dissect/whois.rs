//! WHOIS (RFC 3912) on TCP port 43, through tcpdump's text protocol
//! printer ([`super::txtproto`]): every segment is printed, `: WHOIS:
//! example.com` on the default line, `: WHOIS, length: N` and each line
//! at `-v`. The `"whois"` JSON object holds the first line (the query,
//! or the answer's first line) and the count of lines; Zeek has no
//! WHOIS analyzer, so no service is named.

use super::txtproto::{Text, TextProto, lines, string};
use super::wire::Res;
use super::{Dissector, Payload};
use serde_json::{Map, Value};

/// WHOIS on port 43.
pub static WHOIS: Dissector =
    Dissector::new("whois", line, verbose, to_json, |m| !m.is_empty()).known_as("whois", "");

static TEXT: TextProto = TextProto {
    head: ": WHOIS",
    requests: None,
};

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    TEXT.line(w, p)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _level: u8) -> Res<()> {
    TEXT.verbose(w, p)
}

fn to_json(p: &Payload<'_>) -> Value {
    let t = Text::of(p);
    let mut o = Map::new();
    let mut all = lines(&t);
    if let Some(first) = all.next() {
        o.insert("first_line".into(), string(first));
    }
    o.insert("lines".into(), Value::from(lines(&t).count()));
    o.insert("length".into(), Value::from(p.declared_len));
    Value::Object(o)
}
