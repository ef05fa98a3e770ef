//! DHCPv6 (RFC 8415, and the options of RFCs 3319, 3646, 3898, 4075,
//! 4242, 4649, 4580, 4704, 4833, 5007, 5908, 6334, 8520) on UDP ports 546
//! and 547: the line as `tcpdump -n` prints it (`dhcp6 solicit`), the `-v`
//! text (`dhcp6 solicit (xid=123456 (client-ID hwaddr/time type 1 time
//! 12345 020000000c0c) (elapsed-time 0) (IA_NA IAID:1 T1:0 T2:0))`, relay
//! messages with the message they carry) and a `"dhcp6"` JSON object.
//!
//! tcpdump prints the same at `-v` and above. Its text, quirks included
//! (a relay message's option left unclosed, names whose compression
//! pointers count from the end of their option), was found by sending
//! every option code with values of several lengths through tcpdump
//! 4.99 and reading what it printed; `tests/dissect_apps.rs` checks it
//! byte for byte on `captures/dissect_dhcp6.pcap`.
//!
//! Every read is bounded by the message; options nest (IA_NA holds
//! IA_ADDR, a relay message holds a message) at most as deep as the
//! message has bytes, and each turn of a loop moves forward.

mod options;

use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated, json_object, put_known, word};
use serde_json::{Map, Value, json};

/// DHCPv6 on ports 546 and 547 (tcpdump's `dhcp6`; Zeek's service is
/// `dhcp` for both versions).
pub static DHCP6: Dissector = Dissector::new(
    "dhcp6",
    |w, p| line(w, p, 0),
    line,
    to_json,
    looks_like_dhcp6,
)
.known_as("dhcp6", "dhcp");

const RELAY_FORW: u8 = 12;
const RELAY_REPL: u8 = 13;
/// A relay message's fixed part: type, hop count, link and peer address.
const RELAY_HEADER: usize = 34;

/// A known message type and a whole header.
fn looks_like_dhcp6(m: &[u8]) -> bool {
    m.len() >= 4 && matches!(m.first(), Some(1..=15))
}

/// tcpdump's names of the message types, by number.
const MESSAGE_TYPES: &str = "- solicit advertise request confirm renew rebind reply release \
    decline reconfigure inf-req relay-fwd relay-reply leasequery leasequery-reply";

/// tcpdump's name of a message type.
fn type_name(t: u8) -> Option<&'static str> {
    word(MESSAGE_TYPES, usize::from(t))
}

fn put_type(w: &mut Vec<u8>, t: u8) {
    put_known(w, type_name(t), t, (b"msgtype-", b""));
}

/// A message in `pkt[start..end]`: `pkt` is all the captured bytes, which
/// names may run into past `end` as they do in tcpdump.
#[derive(Clone, Copy)]
struct Msg<'a> {
    pkt: &'a [u8],
    start: usize,
    end: usize,
    /// How many relay messages and option lists enclose this one.
    depth: usize,
}

impl<'a> Msg<'a> {
    /// The bytes `start..end` of the same capture, one level deeper.
    fn with(self, start: usize, end: usize) -> Msg<'a> {
        Msg {
            start,
            end,
            depth: self.depth + 1,
            ..self
        }
    }
}

/// How far a message that runs out of bytes stops the line: a list of
/// options (it says ` [|dhcp6]` and its caller goes on), or the whole line
/// (where tcpdump abandons the packet: a relay header cut short).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    List,
    Line,
}

impl From<Truncated> for Stop {
    fn from(_: Truncated) -> Stop {
        Stop::List
    }
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8) -> Res<()> {
    let msg = Msg {
        pkt: p.bytes,
        start: 0,
        // tcpdump's end: the message's or the capture's, the nearer.
        end: p.declared_len.min(p.bytes.len()),
        depth: 0,
    };
    print(w, msg, verbose).map_err(|_| Truncated)
}

/// Whether tcpdump's printer, stopping early, read past the capture (see
/// `dissect::JumpRule`): only at `-v`, in a relay header's addresses
/// (its own or a relayed message's); the rest it checks first.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], verbose: u8) -> bool {
    verbose > 0 && relay_cut(p.bytes, 0, p.declared_len.min(p.bytes.len()), 0)
}

/// [`cut_jumps`] for the message at `start` that ends at `end`, `depth`
/// relay messages deep.
fn relay_cut(m: &[u8], start: usize, end: usize, depth: usize) -> bool {
    let Some(&t) = m.get(start).filter(|_| m.len() >= start + 4) else {
        return false;
    };
    let mut at = start + 4;
    if t == RELAY_FORW || t == RELAY_REPL {
        if m.len() < start + RELAY_HEADER {
            return true;
        }
        at = start + RELAY_HEADER;
    }
    while at + 4 <= end && depth <= options::MAX_DEPTH {
        let (Ok(code), Ok(len)) = (u16_at(m, at), u16_at(m, at + 2)) else {
            return false;
        };
        let next = at + 4 + usize::from(len);
        if next > end {
            return false;
        }
        if code == options::RELAY_MESSAGE && relay_cut(m, at + 4, next, depth + 1) {
            return true;
        }
        at = next;
    }
    false
}

/// `dhcp6 solicit`, and at `-v` its parenthesised contents. A message cut
/// before the end of its header is only `dhcp6` (the caller marks it).
fn print(w: &mut Vec<u8>, msg: Msg<'_>, verbose: u8) -> Result<(), Stop> {
    w.extend_from_slice(b"dhcp6");
    // tcpdump tests the type and XID against the capture, not the
    // message's length (behind a short UDP length it reads on); a relayed
    // message's capture ends with its option.
    let captured = if msg.depth == 0 {
        msg.pkt.len()
    } else {
        msg.end.min(msg.pkt.len())
    };
    if captured < msg.start + 4 {
        return Err(Stop::List);
    }
    let t = u8_at(msg.pkt, msg.start)?;
    w.push(b' ');
    put_type(w, t);
    if verbose == 0 {
        return Ok(());
    }
    w.extend_from_slice(b" (");
    if t == RELAY_FORW || t == RELAY_REPL {
        relay(w, msg)?;
    } else {
        let xid = u32_at(msg.pkt, msg.start)? & 0x00ff_ffff;
        w.extend_from_slice(b"xid=");
        put_hex32(w, xid);
        options::list(w, msg.with(msg.start + 4, msg.end))?;
    }
    w.push(b')');
    Ok(())
}

/// A relay's link and peer addresses, then its options; a relay header
/// cut short leaves the parenthesis open, as tcpdump does.
fn relay(w: &mut Vec<u8>, msg: Msg<'_>) -> Result<(), Stop> {
    let at = msg.start;
    if msg.end < at + 18 {
        return Err(Stop::Line);
    }
    // Each address is read before its label is written.
    let link: [u8; 16] = super::wire::bytes_at(msg.pkt, at + 2).map_err(|_| Stop::Line)?;
    w.extend_from_slice(b"linkaddr=");
    super::dns::text::put_ipv6(w, &link);
    if msg.end < at + RELAY_HEADER {
        return Err(Stop::Line);
    }
    let peer: [u8; 16] = super::wire::bytes_at(msg.pkt, at + 18).map_err(|_| Stop::Line)?;
    w.extend_from_slice(b" peeraddr=");
    super::dns::text::put_ipv6(w, &peer);
    options::list(w, msg.with(at + RELAY_HEADER, msg.end))
}

/// The IPv6 address at `at`.
fn put_addr(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let a: [u8; 16] = super::wire::bytes_at(m, at)?;
    super::dns::text::put_ipv6(w, &a);
    Ok(())
}

/// `%x`: lower-case hex without leading zeros.
fn put_hex32(w: &mut Vec<u8>, n: u32) {
    let digits = ((32 - n.leading_zeros()).div_ceil(4)).max(1);
    for shift in (0..digits).rev() {
        super::dns::text::put_hex(w, (n >> (4 * shift)) as u8, 1);
    }
}

/// The message type, transaction id (or relay addresses) and the options
/// by code and name, nested ones inside theirs.
fn to_json(p: &Payload<'_>) -> Value {
    let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    json_object(|o| json_fields(o, m))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let t = u8_at(m, 0)?;
    o.insert("msg_type".into(), json!(t));
    o.insert("msg_type_name".into(), json!(type_name(t)));
    let at = if t == RELAY_FORW || t == RELAY_REPL {
        o.insert("hop_count".into(), json!(u8_at(m, 1)?));
        for (key, at) in [("link_addr", 2), ("peer_addr", 18)] {
            let mut s = Vec::new();
            put_addr(&mut s, m, at)?;
            o.insert(key.into(), json!(String::from_utf8_lossy(&s)));
        }
        RELAY_HEADER
    } else {
        o.insert("xid".into(), json!(u32_at(m, 0)? & 0x00ff_ffff));
        4
    };
    let msg = Msg {
        pkt: m,
        start: at,
        end: m.len(),
        depth: 0,
    };
    let (opts, complete) = options::to_json(msg);
    o.insert("options".into(), Value::Array(opts));
    if complete { Ok(()) } else { Err(Truncated) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &[u8], verbose: u8) -> String {
        cut(m, m.len(), verbose)
    }

    /// `m` as a capture holding only its first `keep` bytes.
    fn cut(m: &[u8], keep: usize, verbose: u8) -> String {
        let mut w = Vec::new();
        let p = Payload {
            bytes: &m[..keep],
            declared_len: m.len(),
        };
        DHCP6.write_line(&mut w, &p, verbose);
        String::from_utf8(w).unwrap()
    }

    /// A solicit: elapsed time 5, then an IA_NA with no addresses.
    const SOLICIT: &[u8] = b"\x01\x12\x34\x56\x00\x08\x00\x02\x00\x05\
        \x00\x03\x00\x0c\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00";

    #[test]
    fn test_solicit() {
        assert_eq!(text(SOLICIT, 0), "dhcp6 solicit");
        assert_eq!(
            text(SOLICIT, 1),
            "dhcp6 solicit (xid=123456 (elapsed-time 5) (IA_NA IAID:1 T1:0 T2:0))"
        );
    }

    #[test]
    fn test_truncated() {
        // A capture that ends between two options ends the list quietly.
        for keep in 0..SOLICIT.len() {
            let t = cut(SOLICIT, keep, 1);
            let between = [4, 10].contains(&keep);
            assert_eq!(t.contains("[|dhcp6]"), !between, "{keep}: {t}");
        }
        assert_eq!(text(&SOLICIT[..3], 0), "dhcp6 [|dhcp6]");
    }

    #[test]
    fn test_malformed_relay_header_ends_the_line() {
        // A relay-forward cut inside its peer address, carried in a reply.
        let mut m = b"\x07\x00\x00\x01\x00\x09\x00\x14\x0c\x00".to_vec();
        m.extend_from_slice(&[0; 18]);
        assert_eq!(
            text(&m, 1),
            "dhcp6 reply (xid=1 (relay-message (dhcp6 relay-fwd (linkaddr=:: [|dhcp6]"
        );
        assert_eq!(to_json(&Payload::whole(&m))["complete"], false);
    }
}
