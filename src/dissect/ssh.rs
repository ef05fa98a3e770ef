//! SSH on TCP port 22: the identification string (RFC 4253 §4.2) as
//! tcpdump prints it, `SSH: SSH-2.0-OpenSSH_9.2p1`, at every level; other
//! segments (the binary packets) add nothing. A segment that starts like
//! the string but is cut by the capture before its end of line prints
//! ` [|ssh]`; a string with a control character is not printed, even
//! when the capture cuts it after that character. The
//! `"ssh"` JSON object holds the protocol and software versions and the
//! comment.
//!
//! Checked byte for byte by `tests/dissect_apps.rs` against tcpdump 4.99
//! on built segments and on a real `ssh` ↔ `sshd` exchange.

use super::wire::Res;
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

/// SSH on port 22.
pub static SSH: Dissector =
    Dissector::new("ssh", line, |w, p, _| line(w, p), to_json, starts_message);

const PREFIX: &[u8] = b"SSH-";

/// The identification line without its end of line: `Ok(None)` when the
/// segment does not hold one, `Err` when the capture cuts it.
fn ident<'a>(p: &Payload<'a>) -> Res<Option<&'a [u8]>> {
    let bytes = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    for (i, &want) in PREFIX.iter().enumerate() {
        match bytes.get(i) {
            None => return Err(Truncated),
            Some(&c) if c != want => return Ok(None),
            Some(_) => {}
        }
    }
    // tcpdump reads up to the end of line and gives up at the first byte
    // that is not printable, or a carriage return not before the line
    // feed, before it would notice that the capture ends.
    for (i, &c) in bytes.iter().enumerate().skip(PREFIX.len()) {
        let next = bytes.get(i + 1);
        match c {
            b'\n' => break,
            b'\r' if next.is_some_and(|&n| n != b'\n') => return Ok(None),
            b'\r' => {}
            c if !(0x20..0x7f).contains(&c) => return Ok(None),
            _ => {}
        }
    }
    let Some(end) = bytes.iter().position(|&c| c == b'\n') else {
        return if p.bytes.len() < p.declared_len {
            Err(Truncated)
        } else {
            Ok(None)
        };
    };
    let text = bytes.get(..end).unwrap_or(&[]);
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    Ok(text
        .iter()
        .all(|c| (0x20..0x7f).contains(c))
        .then_some(text))
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    if let Some(text) = ident(p)? {
        w.extend_from_slice(b": SSH: ");
        w.extend_from_slice(text);
    }
    Ok(())
}

/// Whether the segment holds an identification string (for the flow's
/// service).
pub fn starts_message(bytes: &[u8]) -> bool {
    matches!(ident(&Payload::whole(bytes)), Ok(Some(_)))
}

/// `SSH-protoversion-softwareversion SP comments`.
fn to_json(p: &Payload<'_>) -> Value {
    let mut o = Map::new();
    if let Ok(Some(text)) = ident(p) {
        let s = String::from_utf8_lossy(text);
        let (id, comment) = s.split_once(' ').unwrap_or((&s, ""));
        let mut parts = id.splitn(3, '-').skip(1);
        o.insert("ident".into(), json!(s));
        o.insert("protocol".into(), json!(parts.next()));
        o.insert("software".into(), json!(parts.next()));
        if !comment.is_empty() {
            o.insert("comment".into(), json!(comment));
        }
    }
    o.insert("identification".into(), json!(!o.is_empty()));
    Value::Object(o)
}
