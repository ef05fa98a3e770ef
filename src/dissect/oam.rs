//! Ethernet OAM (IEEE 802.3 clause 57, the slow protocols' subtype 3) at
//! `-v` as tcpdump prints it: the code and the flags, then an Information
//! PDU's TLVs (local and remote: version, revision, the parser's and the
//! multiplexer's action, the configuration flags, the largest PDU, the
//! OUI and its vendor word), an Event Notification's sequence number and
//! link events, a Loopback Control's command; the other codes' bytes in
//! hex at `-v` only; each TLV in hex at `-vv`, and any TLV not decoded or
//! of a wrong length in hex at `-v` too. The slow protocols' printer
//! writes `OAM, length N` and hands over here.
//!
//! tcpdump reads every link event of types 1 to 4 with the errored
//! symbol period's layout (its length 40 the only one accepted), and so
//! does this printer.

use super::Truncated;
use super::ctl::{Bit, out, put_bits, tok};
use super::dns::text::put_hex_dump;
use super::lldp::OUIS;
use super::slow::{TOO_SHORT, tlv_head};
use super::wire::{Res, bytes_at, u8_at, u16_at, u24_at, u32_at};
use serde_json::{Map, Value, json};

const CODES: &[(u8, &str)] = &[
    (0, "Information"),
    (1, "Event Notification"),
    (2, "Variable Request"),
    (3, "Variable Response"),
    (4, "Loopback Control"),
    (0xfe, "Vendor Private"),
];

const FLAGS: &[Bit] = &[
    (0x01, "Link Fault"),
    (0x02, "Dying Gasp"),
    (0x04, "Critical Event"),
    (0x08, "Local Evaluating"),
    (0x10, "Local Stable"),
    (0x20, "Remote Evaluating"),
    (0x40, "Remote Stable"),
];

const CONFIG: &[Bit] = &[
    (0x01, "Active"),
    (0x02, "Unidirectional"),
    (0x04, "Remote-Loopback"),
    (0x08, "Link-Events"),
    (0x10, "Variable-Retrieval"),
];

const INFO_TLVS: &[(u8, &str)] = &[
    (0, "End of TLV marker"),
    (1, "Local"),
    (2, "Remote"),
    (0xfe, "Organization specific"),
];

const EVENT_TLVS: &[(u8, &str)] = &[
    (0, "End of TLV marker"),
    (1, "Errored Symbol Period Event"),
    (2, "Errored Frame Event"),
    (3, "Errored Frame Period Event"),
    (4, "Errored Frame Seconds Summary Event"),
    (0xfe, "Organization specific"),
];

/// The length tcpdump accepts for a local or remote information TLV and
/// for a link event of types 1 to 4.
const INFO_LEN: usize = 16;
const EVENT_LEN: usize = 40;

/// The common header: subtype, flags, code.
const HEADER: usize = 4;

/// `--json`'s fields of an OAM PDU: its flags and code.
pub(super) fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let (flags, code) = (u16_at(m, 1)?, u8_at(m, 3)?);
    o.insert("flags".into(), json!(flags));
    o.insert("code".into(), json!(code));
    o.insert("code_name".into(), json!(tok(CODES, code)));
    Ok(())
}

/// What tcpdump prints where the PDU is shorter than what comes next.
fn too_short(w: &mut Vec<u8>) -> Res<()> {
    w.extend_from_slice(TOO_SHORT);
    Ok(())
}

/// The lines after `OAM, length N` (`v` at least 1) of the PDU `m`,
/// `len` bytes long.
pub(super) fn write(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    if len < HEADER {
        return too_short(w);
    }
    let (flags, code) = (u16_at(m, 1)?, u8_at(m, 3)?);
    match tok(CODES, code) {
        Some(name) => out!(w, "\n\tCode {name} OAM PDU, Flags ["),
        None => out!(w, "\n\tCode Unknown ({code}) OAM PDU, Flags ["),
    }
    put_bits(w, FLAGS, u32::from(flags), "none");
    w.push(b']');
    let rest = len - HEADER;
    match code {
        0 => tlvs(w, m, HEADER, rest, v, false),
        1 => {
            if rest < 2 {
                return too_short(w);
            }
            out!(w, "\n\t  Sequence Number {}", u16_at(m, HEADER)?);
            tlvs(w, m, HEADER + 2, rest - 2, v, true)
        }
        4 => {
            if rest < 1 {
                return too_short(w);
            }
            let command = u8_at(m, HEADER)?;
            let name = match command {
                1 => "Enable OAM Remote Loopback",
                2 => "Disable OAM Remote Loopback",
                _ => "Unknown",
            };
            out!(w, "\n\t  Command {name} ({command})");
            Ok(())
        }
        _ if v == 1 => {
            // What was captured of it: a cut here is no cut for tcpdump.
            dump(w, m, HEADER, m.len().min(HEADER + rest))
        }
        _ => Ok(()),
    }
}

/// The bytes from `from` to `to` in hex, tcpdump's way, cut where the
/// capture ends.
fn dump(w: &mut Vec<u8>, m: &[u8], from: usize, to: usize) -> Res<()> {
    let bytes = m.get(from..to).ok_or(Truncated)?;
    put_hex_dump(w, bytes, b"\n\t  ");
    Ok(())
}

/// An Information PDU's TLVs (`events` false) or an Event Notification's
/// link events, `left` bytes from `at`, up to the end marker.
fn tlvs(w: &mut Vec<u8>, m: &[u8], mut at: usize, mut left: usize, v: u8, events: bool) -> Res<()> {
    let (names, kind_word) = if events {
        (EVENT_TLVS, "Link Event")
    } else {
        (INFO_TLVS, "Information")
    };
    while left > 0 {
        let name = |w: &mut Vec<u8>, kind: u8, tlv_len: usize| {
            let name = tok(names, kind).unwrap_or("Reserved");
            out!(
                w,
                "\n\t  {name} {kind_word} Type ({kind}), length {tlv_len}"
            );
        };
        let Some((kind, tlv_len)) = tlv_head(w, m, at, left, name)? else {
            return Ok(());
        };
        let decoded = match (events, kind) {
            (false, 1 | 2) => tlv_len == INFO_LEN && info(w, m, at + 2)?,
            (true, 1..=4) => tlv_len == EVENT_LEN && event(w, m, at + 2)?,
            _ => false,
        };
        let wrong = match (events, kind) {
            (false, 1 | 2) if tlv_len != INFO_LEN => Some(INFO_LEN),
            (true, 1..=4) if tlv_len != EVENT_LEN => Some(EVENT_LEN),
            _ => None,
        };
        if let Some(should) = wrong {
            out!(w, "\n\t    ERROR: illegal length - should be {should}");
        }
        if v > 1 || !decoded {
            dump(w, m, at, at + tlv_len)?;
        }
        at += tlv_len;
        left -= tlv_len;
    }
    Ok(())
}

/// A local or remote information TLV's body: true (decoded).
fn info(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<bool> {
    out!(
        w,
        "\n\t    OAM-Version {}, Revision {}",
        u8_at(m, at)?,
        u16_at(m, at + 1)?
    );
    let state = u8_at(m, at + 3)?;
    let parser = ["forwarding", "looping back", "discarding", "reserved"][usize::from(state & 3)];
    let mux = if state & 4 == 0 {
        "forwarding"
    } else {
        "discarding"
    };
    out!(
        w,
        "\n\t    State-Parser-Action {parser}, State-MUX-Action {mux}"
    );
    w.extend_from_slice(b"\n\t    OAM-Config Flags [");
    put_bits(w, CONFIG, u32::from(u8_at(m, at + 4)?), "none");
    out!(
        w,
        "], OAM-PDU-Config max-PDU size {}",
        u16_at(m, at + 5)? & 0x7ff
    );
    let oui = u24_at(m, at + 7)?;
    let name = tok(OUIS, oui).unwrap_or("Unknown");
    out!(
        w,
        "\n\t    OUI {name} (0x{oui:06x}), Vendor-Private 0x{:08x}",
        u32_at(m, at + 10)?
    );
    Ok(true)
}

/// A link event's body, read as an errored symbol period: true (decoded).
fn event(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<bool> {
    let stamp = u32::from(u16_at(m, at)?) * 100;
    out!(
        w,
        "\n\t    Timestamp {stamp} ms, Errored Window {}",
        u64_at(m, at + 2)?
    );
    out!(w, "\n\t    Errored Threshold {}", u64_at(m, at + 10)?);
    out!(w, "\n\t    Errors {}", u64_at(m, at + 18)?);
    out!(w, "\n\t    Error Running Total {}", u64_at(m, at + 26)?);
    out!(w, "\n\t    Event Running Total {}", u32_at(m, at + 34)?);
    Ok(true)
}

fn u64_at(m: &[u8], at: usize) -> Res<u64> {
    bytes_at::<8>(m, at).map(u64::from_be_bytes)
}
