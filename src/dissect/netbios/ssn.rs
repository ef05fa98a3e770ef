//! The NetBIOS session service (RFC 1002 §4.3, TCP port 139) and SMB
//! over TCP without NetBIOS (MS-SMB2 §2.1, TCP port 445): a 4-byte
//! header (a type and a length) before each message. On 139 the session
//! is first asked for by name (session request, positive or negative
//! response, retarget); then session messages carry SMB. On 445 every
//! message is a session message with a 24-bit length. Each segment is
//! read from its start, as tcpdump does: a segment that continues a
//! message is not one of these. For `--json`, a message over several
//! segments is put back together by its length ([`session_framing`],
//! [`direct_framing`]) and decoded on the segment that completes it.

use super::super::ctl::ipv4_at;
use super::super::smb;
use super::super::wire::{Res, bytes_at, u8_at, u16_at};
use super::name;
use crate::dissect::{Framing, Payload, json_object};
use serde_json::{Map, Value, json};

const HEADER_LEN: usize = 4;

/// The session service's message types (RFC 1002 §4.3.1).
const TYPES: &[(u8, &str)] = &[
    (0x00, "session_message"),
    (0x81, "session_request"),
    (0x82, "positive_session_response"),
    (0x83, "negative_session_response"),
    (0x84, "retarget_session_response"),
    (0x85, "session_keepalive"),
];

/// Whether a segment starts a session message that carries SMB (what
/// Zeek's SMB analyzer confirms on, on both ports).
pub fn carries_smb(m: &[u8]) -> bool {
    m.first() == Some(&0) && smb::starts_smb(m.get(HEADER_LEN..).unwrap_or(&[]))
}

/// The `"nbss"` object of a segment to or from port 139: the first
/// message's fields, then every message the segment holds (`messages`,
/// each as the first's).
pub fn session_json(p: &Payload<'_>) -> Value {
    with_messages(p.bytes, session_len, session_message)
}

/// The fields of the 139 message at the start of `m`.
fn session_message(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let t = u8_at(m, 0)?;
    o.insert("type".into(), json!(t));
    if let Some((_, name)) = TYPES.iter().find(|(c, _)| *c == t) {
        o.insert("type_name".into(), json!(name));
    }
    let flags = u8_at(m, 1)?;
    o.insert("flags".into(), json!(flags));
    // The flags' low bit extends the length to 17 bits.
    let len = u32::from(flags & 1) << 16 | u32::from(u16_at(m, 2)?);
    o.insert("length".into(), json!(len));
    match t {
        0x00 => smb_inside(o, m),
        0x81 => {
            let (called, next) = name::read(m, HEADER_LEN)?;
            o.insert("called_name".into(), json!(called.text));
            let (calling, _) = name::read(m, next)?;
            o.insert("calling_name".into(), json!(calling.text));
            Ok(())
        }
        0x83 => {
            o.insert("error_code".into(), json!(u8_at(m, HEADER_LEN)?));
            Ok(())
        }
        0x84 => {
            o.insert(
                "retarget_ip".into(),
                json!(ipv4_at(m, HEADER_LEN)?.to_string()),
            );
            o.insert("retarget_port".into(), json!(u16_at(m, HEADER_LEN + 4)?));
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The `"smb"` object of a segment to or from port 445: the SMB header
/// after the 24-bit length, of the first message, then every message
/// (`messages`).
pub fn direct_json(p: &Payload<'_>) -> Value {
    with_messages(p.bytes, direct_len, direct_message)
}

/// The fields of the 445 message at the start of `m`.
fn direct_message(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    if u8_at(m, 0)? != 0 {
        return Err(crate::dissect::Truncated);
    }
    let len = u32::from(u8_at(m, 1)?) << 16 | u32::from(u16_at(m, 2)?);
    o.insert("message_length".into(), json!(len));
    smb::fill(o, m.get(HEADER_LEN..).unwrap_or(&[]))
}

/// Messages listed in one object at most.
const MAX_MESSAGES: usize = 64;

/// The first message's fields (`fill`), and `messages`: each message of
/// the bytes, one after the other by their headers' lengths (`len_of`),
/// as far as the bytes hold them.
fn with_messages(
    m: &[u8],
    len_of: fn([u8; 4]) -> Option<usize>,
    fill: fn(&mut Map<String, Value>, &[u8]) -> Res<()>,
) -> Value {
    let mut v = json_object(|o| fill(o, m));
    let mut list = Vec::new();
    let mut at = 0;
    while list.len() < MAX_MESSAGES {
        let Some(len) = bytes_at::<4>(m, at).ok().and_then(len_of) else {
            break;
        };
        let end = at + HEADER_LEN + len;
        let one = m.get(at..end.min(m.len())).unwrap_or(&[]);
        list.push(json_object(|o| fill(o, one)));
        if end >= m.len() {
            break;
        }
        at = end;
    }
    if let Value::Object(o) = &mut v {
        o.insert("messages".into(), Value::Array(list));
    }
    v
}

/// A session message's SMB header, as an `"smb"` object.
fn smb_inside(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let body = m.get(HEADER_LEN..).unwrap_or(&[]);
    if !smb::starts_smb(body) {
        return Ok(());
    }
    let mut s = Map::new();
    let read = smb::fill(&mut s, body);
    o.insert("smb".into(), Value::Object(s));
    read
}

/// A 139 header's message length (17 bits: the flags' low bit extends
/// it), `None` for a type the session service does not have.
fn session_len(h: [u8; 4]) -> Option<usize> {
    TYPES
        .iter()
        .any(|(t, _)| *t == h[0])
        .then(|| usize::from(h[1] & 1) << 16 | usize::from(u16::from_be_bytes([h[2], h[3]])))
}

/// A 445 header's message length (24 bits after a zero type).
fn direct_len(h: [u8; 4]) -> Option<usize> {
    (h[0] == 0).then(|| usize::from(h[1]) << 16 | usize::from(u16::from_be_bytes([h[2], h[3]])))
}

/// Where the whole messages of a 139 stream's bytes end.
pub fn session_framing(b: &[u8], _scanned: usize) -> Option<Framing> {
    framing(b, session_len)
}

/// Where the whole messages of a 445 stream's bytes end.
pub fn direct_framing(b: &[u8], _scanned: usize) -> Option<Framing> {
    framing(b, direct_len)
}

/// Headers one after the other by their lengths; `None` when the bytes
/// do not start with one. A session message whose first bytes are there
/// must start with an SMB header: a segment in the middle of a long
/// message is not taken for the start of one.
fn framing(b: &[u8], len_of: fn([u8; 4]) -> Option<usize>) -> Option<Framing> {
    crate::dissect::framing_by_sizes(b, |b, at| {
        let h = bytes_at::<4>(b, at).map_err(|_| HEADER_LEN)?;
        let body = b.get(at + HEADER_LEN..).unwrap_or(&[]);
        let len = len_of(h).filter(|_| h[0] != 0 || body.len() < 4 || smb::starts_smb(body));
        Ok(len.map(|len| HEADER_LEN + len))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_framing_whole_and_open_messages() {
        let smb = b"\xfeSMB";
        let mut b = vec![0x85, 0, 0, 0, 0, 0, 0, 8];
        b.extend_from_slice(smb);
        assert_eq!(
            session_framing(&b, 0),
            Some(Framing {
                whole: 4,
                need: Some(16),
                resume: 0,
            })
        );
        b.extend_from_slice(&[0; 4]);
        assert_eq!(
            session_framing(&b, 0).map(|f| (f.whole, f.need)),
            Some((16, None))
        );
        // A 445 stream: a 24-bit length; a continuation is no start.
        assert_eq!(
            direct_framing(&[0, 1, 0, 0, 0xfe], 0).map(|f| f.need),
            Some(Some(65540))
        );
        assert_eq!(direct_framing(&[0, 0, 0, 9, 1, 2, 3, 4, 5], 0), None);
        assert_eq!(session_framing(&[0x42, 0, 0, 0], 0), None);
    }
}
