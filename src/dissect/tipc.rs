//! TIPC, Transparent Inter-Process Communication (EtherType 0x88ca), as
//! `tcpdump -n` prints it: one line per message by the user it names —
//! data and connection/name-table messages with their ports and nodes
//! (`TIPC v2.0 1.1.10:1234 > 1.1.20:5678, headerlength 40 bytes, …`),
//! link-protocol internal messages with their word 1, neighbour discovery
//! with the destination domain; `-v` adds the previous node and the
//! sequence, gap and fragment numbers, or the node signature, network id
//! and media id. Users tcpdump does not know print nothing.
//!
//! tcpdump reads every field unchecked: a capture cut anywhere ends with
//! its `longjmp`.

use super::ctl::{json_object, out, tok};
use super::wire::{Res, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static TIPC: Dissector = Dissector::new("tipc", line, verbose, to_json, looks_like_tipc);

/// Version 2 and a user tcpdump knows.
fn looks_like_tipc(m: &[u8]) -> bool {
    u32_at(m, 0).is_ok_and(|w0| w0 >> 29 == 2 && kind(user(w0)).is_some())
}

const USERS: &[(u32, &str)] = &[
    (0, "Low Importance Data payload"),
    (1, "Medium Importance Data payload"),
    (2, "High Importance Data payload"),
    (3, "Critical Importance Data payload"),
    (5, "Broadcast Link Protocol internal"),
    (6, "Message Bundler Protocol internal"),
    (7, "Link State Protocol internal"),
    (8, "Connection Manager internal"),
    (10, "Link Changeover Protocol internal"),
    (11, "Name Table Update Protocol internal"),
    (12, "Message Fragmentation Protocol internal"),
    (13, "Neighbor Detection Protocol internal"),
];
/// tcpdump's message type names: 1 and 3 swapped as its table has them.
const MESSAGE_TYPES: &[(u32, &str)] = &[
    (0, "CONN_MSG"),
    (1, "MCAST_MSG"),
    (2, "NAMED_MSG"),
    (3, "DIRECT_MSG"),
];
const LINK_CONFIG_TYPES: &[(u32, &str)] = &[(0, "Link request"), (1, "Link response")];

/// How tcpdump lays out a user's messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Data, connection manager and name distributor: ports and nodes.
    Payload,
    /// Link-level internal protocols.
    Internal,
    /// Neighbour detection.
    LinkConfig,
}

fn user(w0: u32) -> u32 {
    (w0 >> 25) & 0x0f
}

fn kind(user: u32) -> Option<Kind> {
    match user {
        0..=3 | 8 | 11 => Some(Kind::Payload),
        5..=7 | 10 | 12 => Some(Kind::Internal),
        13 => Some(Kind::LinkConfig),
        _ => None,
    }
}

/// A TIPC network address: zone, cluster and node.
struct Node(u32);

impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = self.0;
        write!(f, "{}.{}.{}", a >> 24, (a >> 12) & 0xfff, a & 0xfff)
    }
}

/// The fields of the first word every message starts with.
struct Head {
    version: u32,
    user: u32,
    header_len: u32,
    size: u32,
}

impl Head {
    fn of(w0: u32) -> Head {
        Head {
            version: w0 >> 29,
            user: user(w0),
            header_len: ((w0 >> 21) & 0x0f) * 4,
            size: w0 & 0x1ffff,
        }
    }

    fn user_name(&self) -> &'static str {
        tok(USERS, self.user).unwrap_or("unknown")
    }
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    let w0 = u32_at(m, 0)?;
    match kind(user(w0)) {
        Some(Kind::Payload) => payload(w, m, v),
        Some(Kind::Internal) => internal(w, m, v),
        Some(Kind::LinkConfig) => link_config(w, m, v),
        None => Ok(()),
    }
}

/// The word at `at`, the words of a line all read before it prints.
fn word(m: &[u8], at: usize) -> Res<u32> {
    u32_at(m, at)
}

fn payload(w: &mut Vec<u8>, m: &[u8], v: u8) -> Res<()> {
    let (w0, w1) = (word(m, 0)?, word(m, 4)?);
    let h = Head::of(w0);
    let kind = tok(MESSAGE_TYPES, w1 >> 29).unwrap_or("Unknown");
    let (prev, orig_port, dest_port) = (word(m, 12)?, word(m, 16)?, word(m, 20)?);
    // A short header (6 words or fewer) names no nodes.
    if h.header_len <= 24 {
        out!(
            w,
            "TIPC v{}.0 {}:{orig_port} > {dest_port}, headerlength {} bytes, MessageSize {} bytes, {}, messageType {kind}",
            h.version,
            Node(prev),
            h.header_len,
            h.size,
            h.user_name()
        );
        return Ok(());
    }
    let (orig, dest) = (word(m, 24)?, word(m, 28)?);
    out!(
        w,
        "TIPC v{}.0 {}:{orig_port} > {}:{dest_port}, headerlength {} bytes, MessageSize {} bytes, {}, messageType {kind}",
        h.version,
        Node(orig),
        Node(dest),
        h.header_len,
        h.size,
        h.user_name()
    );
    if v > 0 {
        let w2 = word(m, 8)?;
        out!(
            w,
            "\n\tPrevious Node {}, Broadcast Ack {}, Link Ack {}, Link Sequence {}",
            Node(prev),
            w1 & 0xffff,
            w2 >> 16,
            w2 & 0xffff
        );
    }
    Ok(())
}

fn internal(w: &mut Vec<u8>, m: &[u8], v: u8) -> Res<()> {
    let (w0, w1) = (word(m, 0)?, word(m, 4)?);
    let h = Head::of(w0);
    let (orig, dest) = (word(m, 24)?, word(m, 28)?);
    out!(
        w,
        "TIPC v{}.0 {} > {}, headerlength {} bytes, MessageSize {} bytes, {}, messageType {} (0x{w1:08x})",
        h.version,
        Node(orig),
        Node(dest),
        h.header_len,
        h.size,
        h.user_name(),
        tok(MESSAGE_TYPES, w1 >> 29).unwrap_or("Unknown")
    );
    if v > 0 {
        let (w2, prev, w4, w5) = (word(m, 8)?, word(m, 12)?, word(m, 16)?, word(m, 20)?);
        let (trans_seq, w9) = (word(m, 32)?, word(m, 36)?);
        out!(
            w,
            "\n\tPrevious Node {}, Session No. {}, Broadcast Ack {}, Sequence Gap {},  Broadcast Gap After {}, Broadcast Gap To {}, Last Sent Packet No. {}, Next sent Packet No. {}, Transport Sequence {trans_seq}, msg_count {}, Link Tolerance {}",
            Node(prev),
            w5 >> 16,
            w1 & 0xffff,
            (w1 >> 16) & 0x1fff,
            w2 >> 16,
            w2 & 0xffff,
            w4 >> 16,
            w4 & 0xffff,
            w9 >> 16,
            w9 & 0xffff
        );
    }
    Ok(())
}

fn link_config(w: &mut Vec<u8>, m: &[u8], v: u8) -> Res<()> {
    let (w0, w1) = (word(m, 0)?, word(m, 4)?);
    let h = Head::of(w0);
    let (domain, prev) = (word(m, 8)?, word(m, 12)?);
    out!(
        w,
        "TIPC v{}.0 {} > {}, headerlength {} bytes, MessageSize {} bytes, {}, messageType {}",
        h.version,
        Node(prev),
        Node(domain),
        h.header_len,
        h.size,
        h.user_name(),
        tok(LINK_CONFIG_TYPES, w1 >> 29).unwrap_or("Unknown")
    );
    if v > 0 {
        let (network, w5) = (word(m, 16)?, word(m, 20)?);
        out!(
            w,
            "\n\tNodeSignature {}, network_id {network}, media_id {}",
            w1 & 0xffff,
            w5 & 0xff
        );
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let h = Head::of(u32_at(m, 0)?);
    o.insert("version".into(), json!(h.version));
    o.insert("user".into(), json!(h.user));
    o.insert("user_name".into(), json!(tok(USERS, h.user)));
    o.insert("header_length".into(), json!(h.header_len));
    o.insert("message_size".into(), json!(h.size));
    let w1 = u32_at(m, 4)?;
    o.insert("message_type".into(), json!(w1 >> 29));
    let node = |at: usize| -> Res<String> { Ok(Node(u32_at(m, at)?).to_string()) };
    match kind(h.user) {
        Some(Kind::Payload) => {
            o.insert("orig_port".into(), json!(u32_at(m, 16)?));
            o.insert("dest_port".into(), json!(u32_at(m, 20)?));
            if h.header_len > 24 {
                o.insert("orig_node".into(), json!(node(24)?));
                o.insert("dest_node".into(), json!(node(28)?));
            }
        }
        Some(Kind::Internal) => {
            o.insert("orig_node".into(), json!(node(24)?));
            o.insert("dest_node".into(), json!(node(28)?));
        }
        Some(Kind::LinkConfig) => {
            o.insert("dest_domain".into(), json!(node(8)?));
            o.insert("prev_node".into(), json!(node(12)?));
        }
        None => {}
    }
    Ok(())
}
