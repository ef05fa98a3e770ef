//! Bluetooth HCI over a UART with Linux's pseudo-header (link type 201):
//! a 4-byte direction word (its low bit set: received), then the H4
//! packet. tcpdump 4.99 decodes nothing of the packet: `bluetooth`, under
//! `-e` `, hci length 7, direction out` (the wire length after the
//! pseudo-header), then the packet's bytes in hex (`-x` dumps them
//! instead); ` [|bluetooth]` for a cut pseudo-header.

use super::{Frame, Tail};
use crate::dissect::ctl::out;
use serde_json::{Value, json};

pub use crate::decode::link_more::BLUETOOTH_H4_PHDR;
const PHDR_LEN: usize = 4;

/// Whether the pseudo-header says the packet was received.
fn received(d: &[u8]) -> Option<bool> {
    Some(u32::from_be_bytes(*d.first_chunk::<PHDR_LEN>()?) & 1 == 1)
}

/// `bluetooth`, and under `-e` the pseudo-header's words; never the
/// network layer's `-e` (there is none).
pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    w.extend_from_slice(b"bluetooth");
    if let (true, Some(rx)) = (f.eflag, received(f.data)) {
        let dir = if rx { "in" } else { "out" };
        let len = f.orig_len.saturating_sub(PHDR_LEN);
        out!(w, ", hci length {len}, direction {dir}");
    }
    false
}

/// The packet after the pseudo-header, in hex.
pub(super) fn write_message<'a>(f: &Frame<'a>) -> Option<Tail<'a>> {
    Some(Tail::ascii(f.data.get(PHDR_LEN..)?))
}

pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    (f.data.len() >= PHDR_LEN).then_some(PHDR_LEN)
}

pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let rx = received(f.data)?;
    let mut o = json!({
        "type": "bluetooth_h4",
        "direction": if rx { "in" } else { "out" },
    });
    if let Some(&kind) = f.data.get(PHDR_LEN) {
        o["hci_type"] = json!(kind);
    }
    Some(o)
}
