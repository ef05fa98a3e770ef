//! WHOIS (RFC 3912) on TCP port 43, through tcpdump's text protocol
//! printer ([`super::txtproto`]): every segment is printed, `: WHOIS:
//! example.com` on the default line, `: WHOIS, length: N` and each line
//! at `-v`. The `"whois"` JSON object holds the first line (the query,
//! or the answer's first line) and the count of lines; Zeek has no
//! WHOIS analyzer, so no service is named.

use super::txtproto::{Printed, Text, TextProto, line_of, lines, string, verbose_of};
use super::{Dissector, Payload};
use serde_json::{Map, Value};

/// WHOIS on port 43.
pub static WHOIS: Dissector = Dissector::new(
    "whois",
    line_of::<Whois>,
    verbose_of::<Whois>,
    to_json,
    |m| !m.is_empty(),
)
.known_as("whois", "");

struct Whois;

impl Printed for Whois {
    const TEXT: TextProto = TextProto {
        head: ": WHOIS",
        requests: None,
    };
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
