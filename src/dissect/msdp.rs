//! MSDP, the Multicast Source Discovery Protocol (RFC 3618), on TCP port
//! 639, as `tcpdump -n` (4.99) prints it: `: msdp` and then, for as long
//! as the TCP length goes, each message's name — ` SA 2 entries`,
//! ` SA-Response 1 entries`, ` SA-Request for 239.1.1.1`, ` Keepalive`,
//! ` Notification`, ` [type=6 len=5]` — with ` [len N]` before it at
//! `-v` (and at every level when N is over 1400). A Source-Active whose
//! length leaves room after its entries carries a multicast packet
//! (` [w/data]`); from `-vv` on that IP packet is printed right there by
//! the line printer's IP printer ([`nested`]), and the messages after it
//! go on behind it.
//!
//! tcpdump's rules, kept: only the first message's header is judged (type
//! 1 to 7, length 3 to 1500); after that a message is cut short
//! (` [|msdp]`) when its length is under three or past what is left, or
//! fewer than three bytes are left (a read past IP's length). Each message's fields are read from its
//! start, whatever its length says (a Source-Active of length 3 takes its
//! entry count from the next message's first byte), and a message is
//! passed over by its length without looking at its bytes. Those checks
//! end the line without a `longjmp`; reading past the capture ends it
//! with one ([`cut_jumps`]). Zeek has no MSDP analyzer: no `service`.

use super::ctl::{ipv4_at, json_object_with_list, out};
use super::nested::{self, Frame, FrameKind};
use super::wire::{Res, u8_at, u16_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

/// MSDP on port 639.
pub static MSDP: Dissector = Dissector {
    name: "msdp",
    json_key: "msdp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: looks_like_msdp,
};

const SA: u8 = 1;
const SA_REQUEST: u8 = 2;
const SA_RESPONSE: u8 = 3;
const KEEPALIVE: u8 = 4;
const NOTIFICATION: u8 = 5;
/// The highest type tcpdump takes for a first message.
const TYPE_MAX: u8 = 7;

/// Type and length.
const HEADER: usize = 3;

/// A Source-Active's fixed part: the header, the entry count and the
/// RP's address; each entry is twelve bytes (reserved and prefix length,
/// group, source).
const SA_FIXED: usize = 8;
const SA_ENTRY: usize = 12;

/// What tcpdump takes as the start of MSDP: the first message's header.
fn first_header_fits(kind: u8, len: u16) -> bool {
    (1..=TYPE_MAX).contains(&kind) && (3..=1500).contains(&len)
}

fn looks_like_msdp(m: &[u8]) -> bool {
    matches!((u8_at(m, 0), u16_at(m, 1)), (Ok(k), Ok(l)) if first_header_fits(k, l))
}

/// How a walk over the messages ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// At the TCP length.
    Done,
    /// A length check failed (tcpdump's `goto trunc`).
    Invalid,
    /// A field lay past the capture (tcpdump's `longjmp`).
    Cut,
}

impl From<Truncated> for End {
    fn from(_: Truncated) -> End {
        End::Cut
    }
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    match walk(w, p, v) {
        End::Done => Ok(()),
        End::Invalid | End::Cut => Err(Truncated),
    }
}

/// Whether a cut line ended by reading past the capture, after which
/// tcpdump's dump starts at the frame's first byte. (The walk again, at
/// the default level: how it ends does not depend on the level, and it
/// must not note the carried packet a second time.)
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], _: u8) -> bool {
    walk(&mut Vec::new(), p, 0) == End::Cut
}

/// The messages of the segment, as tcpdump walks them.
fn walk(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> End {
    w.extend_from_slice(b": msdp");
    match messages(w, p, v) {
        Ok(end) => end,
        Err(cut) => cut,
    }
}

fn messages(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Result<End, End> {
    let m = p.bytes;
    if !first_header_fits(u8_at(m, 0)?, u16_at(m, 1)?) {
        return Ok(End::Invalid);
    }
    let (mut at, mut left) = (0usize, p.declared_len);
    while left != 0 {
        // tcpdump reads no further than IP's length: the header's read
        // past it is its `longjmp`.
        if left < HEADER {
            return Ok(End::Cut);
        }
        let kind = u8_at(m, at)?;
        let len = usize::from(u16_at(m, at + 1)?);
        if len > 1400 || v > 0 {
            out!(w, " [len {len}]");
        }
        if len < HEADER || left < len {
            return Ok(End::Invalid);
        }
        message(w, m, at, kind, len, v)?;
        at += len;
        left -= len;
    }
    Ok(End::Done)
}

/// One message's words: its fields read from its start `at`.
fn message(w: &mut Vec<u8>, m: &[u8], at: usize, kind: u8, len: usize, v: u8) -> Res<()> {
    match kind {
        SA | SA_RESPONSE => {
            w.extend_from_slice(if kind == SA { b" SA" } else { b" SA-Response" });
            let entries = usize::from(u8_at(m, at + 3)?);
            out!(w, " {entries} entries");
            let data = SA_FIXED + SA_ENTRY * entries;
            if len > data {
                w.extend_from_slice(b" [w/data]");
                if v > 1 {
                    w.push(b' ');
                    // The packet's text goes here; the line printer
                    // writes it (the capture may hold less of it).
                    nested::hand_over(Frame {
                        at: w.len(),
                        start: at + data,
                        len: len - data,
                        kind: FrameKind::Ip,
                        lower: 0,
                    });
                }
            }
        }
        SA_REQUEST => {
            w.extend_from_slice(b" SA-Request");
            u8_at(m, at + 3)?;
            out!(w, " for {}", ipv4_at(m, at + 4)?);
        }
        KEEPALIVE => {
            w.extend_from_slice(b" Keepalive");
            if len != HEADER {
                out!(w, "[len={len}] ");
            }
        }
        NOTIFICATION => w.extend_from_slice(b" Notification"),
        _ => out!(w, " [type={kind} len={len}]"),
    }
    Ok(())
}

/// Where the messages at the start of a stream's bytes end, for
/// `--json`'s reassembly of messages that span segments: each header's
/// length. `None` when the bytes do not start MSDP as tcpdump takes it
/// (the first header); nothing is waited for after a length under 3.
pub fn framing(m: &[u8], _from: usize) -> Option<super::Framing> {
    if !matches!(m.first(), Some(1..=TYPE_MAX)) || u16_at(m, 1).is_ok() && !looks_like_msdp(m) {
        return None;
    }
    super::framing_by_sizes(m, |m, at| match u16_at(m, at + 1) {
        Err(_) => Err(HEADER),
        Ok(len) if usize::from(len) < HEADER => Ok(None),
        Ok(len) => Ok(Some(usize::from(len))),
    })
}

/// The messages captured, each with its fields: a Source-Active's RP,
/// entries and the length of the packet it carries, a request's group.
/// The list stops at a length that cannot be walked past.
fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("messages", |_, list| {
        let m = p.bytes;
        let (mut at, mut left) = (0usize, p.declared_len);
        while left != 0 && at < m.len() {
            let mut o = Map::new();
            let walked = json_message(&mut o, m, at, left);
            list.push(Value::Object(o));
            let len = walked?;
            at += len;
            left -= len;
        }
        Ok(())
    })
}

/// One message's fields; its length, `Err` when it is cut or its length
/// cannot be walked past (under three, or past `left`).
fn json_message(o: &mut Map<String, Value>, m: &[u8], at: usize, left: usize) -> Res<usize> {
    let kind = u8_at(m, at)?;
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(type_name(kind)));
    let len = usize::from(u16_at(m, at + 1)?);
    o.insert("length".into(), json!(len));
    if len < HEADER || len > left {
        return Err(Truncated);
    }
    match kind {
        SA | SA_RESPONSE if len >= SA_FIXED => {
            let entries = usize::from(u8_at(m, at + 3)?);
            o.insert("entry_count".into(), json!(entries));
            o.insert("rp".into(), json!(ipv4_at(m, at + 4)?.to_string()));
            let mut list = Vec::new();
            for i in 0..entries {
                let e = at + SA_FIXED + SA_ENTRY * i;
                if e + SA_ENTRY > at + len {
                    break;
                }
                list.push(json!({
                    "prefix_length": u8_at(m, e + 3)?,
                    "group": ipv4_at(m, e + 4)?.to_string(),
                    "source": ipv4_at(m, e + 8)?.to_string(),
                }));
            }
            o.insert("entries".into(), Value::Array(list));
            let data = SA_FIXED + SA_ENTRY * entries;
            if len > data {
                o.insert("data_length".into(), json!(len - data));
            }
        }
        SA_REQUEST if len >= 8 => {
            o.insert("group".into(), json!(ipv4_at(m, at + 4)?.to_string()));
        }
        _ => {}
    }
    Ok(len)
}

fn type_name(kind: u8) -> Option<&'static str> {
    match kind {
        SA => Some("SA"),
        SA_REQUEST => Some("SA-Request"),
        SA_RESPONSE => Some("SA-Response"),
        KEEPALIVE => Some("Keepalive"),
        NOTIFICATION => Some("Notification"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(m: &[u8], keep: usize, v: u8) -> String {
        let mut w = Vec::new();
        let p = Payload {
            bytes: m.get(..keep).unwrap_or(m),
            declared_len: m.len(),
        };
        let _ = verbose(&mut w, &p, v);
        String::from_utf8_lossy(&w).into_owned()
    }

    #[test]
    fn source_active_entries_and_data() {
        let mut sa = vec![SA, 0, 20, 1, 192, 0, 2, 1, 0, 0, 0, 32];
        sa.extend_from_slice(&[239, 1, 1, 1, 10, 9, 9, 9]);
        assert_eq!(printed(&sa, 20, 0), ": msdp SA 1 entries");
        assert_eq!(printed(&sa, 20, 1), ": msdp [len 20] SA 1 entries");
        sa[2] = 22;
        sa.extend_from_slice(&[0x45, 0]);
        assert_eq!(printed(&sa, 22, 0), ": msdp SA 1 entries [w/data]");
    }

    /// Fields are read from the message's start whatever its length says;
    /// reading past the capture is tcpdump's `longjmp`, a length check
    /// is not.
    #[test]
    fn checks_and_cuts_end_as_tcpdump_ends_them() {
        let sa3_keepalive = [SA, 0, 3, KEEPALIVE, 0, 3];
        assert_eq!(
            printed(&sa3_keepalive, 6, 0),
            ": msdp SA 4 entries Keepalive"
        );
        let keepalive = [KEEPALIVE, 0, 3];
        assert_eq!(printed(&keepalive, 3, 0), ": msdp Keepalive");
        let p = |m: &'static [u8], keep: usize| Payload {
            bytes: &m[..keep],
            declared_len: m.len(),
        };
        // A first type of 0 is invalid; a cut header jumps.
        let zero: &[u8] = &[0, 0, 3];
        assert_eq!(walk(&mut Vec::new(), &p(zero, 3), 0), End::Invalid);
        let sa: &[u8] = &[SA, 0, 8, 1, 0, 0, 0, 0];
        assert_eq!(walk(&mut Vec::new(), &p(sa, 3), 0), End::Cut);
        assert!(cut_jumps(&p(sa, 2), &[], 0));
        // Past the segment: invalid, after ` [len 20]` at `-v`.
        let long: &[u8] = &[SA, 0, 20, 1, 0, 0, 0, 0];
        assert_eq!(walk(&mut Vec::new(), &p(long, 3), 1), End::Invalid);
        assert_eq!(printed(long, 8, 1), ": msdp [len 20]");
        let unknown: &[u8] = &[6, 0, 5, b'a', b'b'];
        assert_eq!(printed(unknown, 5, 0), ": msdp [type=6 len=5]");
        let long_keepalive: &[u8] = &[KEEPALIVE, 0, 4, 0];
        assert_eq!(printed(long_keepalive, 4, 0), ": msdp Keepalive[len=4] ");
    }

    #[test]
    fn framing_waits_for_a_message_cut_between_segments() {
        let two = [KEEPALIVE, 0, 3, SA, 0, 20, 1];
        let f = framing(&two, 0).unwrap();
        assert_eq!((f.whole, f.need), (3, Some(23)));
        assert_eq!(framing(&[SA], 0).unwrap().need, Some(3));
        assert!(framing(&[0, 0, 3], 0).is_none());
        assert!(framing(&[SA, 0x10, 0], 0).is_none());
    }

    #[test]
    fn json_lists_entries_and_data() {
        let mut sa = vec![SA, 0, 25, 1, 192, 0, 2, 1, 0, 0, 0, 32];
        sa.extend_from_slice(&[239, 1, 1, 1, 10, 9, 9, 9, 0x45, 0, 0, 0, 0]);
        sa.extend_from_slice(&[SA_REQUEST, 0, 8, 0, 239, 1, 1, 2]);
        let j = to_json(&Payload::whole(&sa));
        assert_eq!(j["complete"], json!(true));
        assert_eq!(j["messages"][0]["entries"][0]["source"], json!("10.9.9.9"));
        assert_eq!(j["messages"][0]["data_length"], json!(5));
        assert_eq!(j["messages"][1]["group"], json!("239.1.1.2"));
    }
}
