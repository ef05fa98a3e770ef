//! BEEP (RFC 3080) on TCP port 10288 as tcpdump prints it, the same at
//! every level: ` BEEP` and the frame's keyword when the segment starts
//! with `RPY `, `ERR `, `ANS `, `NUL ` or `SEQ `, or with `MSG` or `END`
//! and a NUL byte (tcpdump compares four bytes with the three-letter
//! words and their terminating NUL, so a real `MSG ` frame is not
//! recognised), else ` BEEP (payload or undecoded)`; four bytes must be
//! in the segment and in the capture. The `"beep"` JSON object holds the
//! keyword of the frame's header line (RFC 3080 §2.2) however tcpdump
//! names it. Zeek has no BEEP analyzer.

use super::wire::Res;
use super::{Dissector, Payload};
use serde_json::{Map, Value};

/// BEEP on port 10288.
pub static BEEP: Dissector = Dissector::new(
    "beep",
    line,
    |w, p, _| line(w, p),
    to_json,
    |m| keyword(m).is_some(),
)
.known_as("beep", "");

/// The four bytes tcpdump compares, each with the word it prints.
const STARTS: &[(&[u8; 4], &str)] = &[
    (b"MSG\0", "MSG"),
    (b"RPY ", "RPY"),
    (b"ERR ", "ERR"),
    (b"ANS ", "ANS"),
    (b"NUL ", "NUL"),
    (b"SEQ ", "SEQ"),
    (b"END\0", "END"),
];

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let first = p
        .bytes
        .get(..4)
        .filter(|_| p.declared_len >= 4)
        .and_then(|b| STARTS.iter().find(|(s, _)| s.as_slice() == b));
    w.extend_from_slice(b" BEEP ");
    match first {
        Some((_, word)) => w.extend_from_slice(word.as_bytes()),
        None => w.extend_from_slice(b"(payload or undecoded)"),
    }
    Ok(())
}

/// A frame header's keyword (RFC 3080's seven), followed by a space.
fn keyword(m: &[u8]) -> Option<&str> {
    let word = m.get(..4)?;
    STARTS
        .iter()
        .map(|(_, w)| *w)
        .find(|w| word.get(..3) == Some(w.as_bytes()) && word.get(3) == Some(&b' '))
}

fn to_json(p: &Payload<'_>) -> Value {
    let mut o = Map::new();
    o.insert(
        "keyword".into(),
        keyword(p.bytes).map_or(Value::Null, Value::from),
    );
    o.insert("length".into(), Value::from(p.declared_len));
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_keywords_as_tcpdump_compares_them() {
        assert_eq!(BEEP.printed(b"RPY 0 1 . 0 5\r\n", 0), " BEEP RPY");
        assert_eq!(
            BEEP.printed(b"MSG 1 2 . 0 10\r\n", 0),
            " BEEP (payload or undecoded)"
        );
        assert_eq!(BEEP.printed(b"END\0", 0), " BEEP END");
        assert_eq!(BEEP.printed(b"RPY", 0), " BEEP (payload or undecoded)");
        assert_eq!(
            to_json(&Payload::whole(b"MSG 1 2 . 0 10\r\n"))["keyword"],
            "MSG"
        );
    }
}
