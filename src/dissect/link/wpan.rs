//! IEEE 802.15.4 frames as a capture's link type: 195 (the frame with its
//! FCS), 230 (without) and 283 (behind the TAP pseudo-header). tcpdump
//! hands the captured bytes, their length the captured length, to the
//! 802.15.4 printer ZEP's frames go through
//! ([`crate::dissect::ieee802_15_4`]): the same line, without ZEP's.
//!
//! The TAP header (version 0, a reserved byte, its own length, little
//! endian, then TLVs) is skipped whole: tcpdump 4.99 reads its version
//! and length alone (` (invalid)` for another version or a length under
//! 4, ` [|802.15.4_tap]` for a header the capture cut), none of its TLVs,
//! the FCS type's neither: the printer guesses the FCS as on 195 and 230.

use super::Frame;
use crate::decode::link_more::{IEEE802_15_4, IEEE802_15_4_NOFCS, IEEE802_15_4_TAP};
use crate::dissect::default_print;
use crate::dissect::ieee802_15_4::{self as frame, CUT, Outcome};
use serde_json::{Map, Value, json};

pub(super) fn handles(link: u32) -> bool {
    matches!(link, IEEE802_15_4 | IEEE802_15_4_NOFCS | IEEE802_15_4_TAP)
}

/// tcpdump's mark of a TAP header the capture cut.
const TAP_CUT: &str = " [|802.15.4_tap]";

/// What a TAP record's first bytes say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tap {
    /// Under 4 bytes, or fewer than the header's length, captured.
    Cut,
    /// A version other than 0 or a length under 4.
    Invalid,
    /// The frame starts at this byte.
    Frame(usize),
}

fn tap(data: &[u8]) -> Tap {
    let Some(&[version, _, lo, hi]) = data.first_chunk::<4>() else {
        return Tap::Cut;
    };
    let len = usize::from(u16::from_le_bytes([lo, hi]));
    if version != 0 || len < 4 {
        Tap::Invalid
    } else if data.len() < len {
        Tap::Cut
    } else {
        Tap::Frame(len)
    }
}

/// The 802.15.4 frame of a record and where it starts, for link types
/// 195 and 230 the whole record; `Err` with the line tcpdump prints for
/// a TAP header it stops at.
fn frame_of(f: &Frame<'_>) -> Result<usize, &'static str> {
    if f.link != IEEE802_15_4_TAP {
        return Ok(0);
    }
    match tap(f.data) {
        Tap::Cut => Err(TAP_CUT),
        Tap::Invalid => Err(" (invalid)"),
        Tap::Frame(at) => Ok(at),
    }
}

/// How the frame printer ended: tcpdump's nonzero or zero return (the
/// header length its link printer adds), or a read past the capture.
enum Verdict {
    Counted(usize),
    Jumped,
}

/// The frame's line at `-v` level `v`; its verdict.
fn print(w: &mut Vec<u8>, m: &[u8], v: u8) -> Verdict {
    let start = w.len();
    match frame::print(w, m, m.len(), v, default_print::on()) {
        // A frame under two bytes is its own length check's mark (the
        // printer returns the captured length).
        Ok(Outcome::Printed) if m.len() < 2 => Verdict::Counted(m.len()),
        // The default print cut by the capture is a `longjmp` too.
        Ok(Outcome::Printed) if w[start..].ends_with(CUT.as_bytes()) => Verdict::Jumped,
        Ok(Outcome::Printed) => Verdict::Counted(1),
        Ok(Outcome::Failed) => Verdict::Counted(0),
        Err(_) => {
            w.extend_from_slice(CUT.as_bytes());
            Verdict::Jumped
        }
    }
}

pub(super) fn write_message(w: &mut Vec<u8>, f: &Frame<'_>) {
    match frame_of(f) {
        Ok(at) => {
            print(w, f.data.get(at..).unwrap_or_default(), f.verbose);
        }
        Err(line) => w.extend_from_slice(line.as_bytes()),
    }
}

/// Where tcpdump's `-x` dump starts: the link printer returns the frame
/// printer's verdict as its header length, 1 for a frame it printed, 0
/// for one it could not decode, after the TAP header's length; the first
/// byte for a printer that gave up (a `longjmp`). An invalid TAP header
/// counts nothing, a cut one the whole record. Called with the default
/// print as the line had it.
pub(super) fn dump_from(f: &Frame<'_>) -> Option<usize> {
    Some(match frame_of(f) {
        Ok(at) => match print(
            &mut Vec::new(),
            f.data.get(at..).unwrap_or_default(),
            f.verbose,
        ) {
            Verdict::Counted(n) => at + n,
            Verdict::Jumped => 0,
        },
        Err(TAP_CUT) => f.data.len(),
        Err(_) => 0,
    })
}

/// What tcpdump's link printer counted, for a PPI or PKTAP printer
/// around it, which counts it again: unlike [`dump_from`], a frame it
/// could not decode (0 counted, the dump after the wrapper's header) is
/// told from a printer that gave up (the whole record). A cut TAP header
/// counts what was captured, an invalid one nothing.
pub(super) fn count(f: &Frame<'_>) -> super::Counted {
    use super::Counted::{Bytes, GaveUp};
    match frame_of(f) {
        Ok(at) => match print(
            &mut Vec::new(),
            f.data.get(at..).unwrap_or_default(),
            f.verbose,
        ) {
            Verdict::Counted(n) => Bytes(at + n),
            Verdict::Jumped => GaveUp,
        },
        Err(TAP_CUT) => Bytes(f.data.len()),
        Err(_) => Bytes(0),
    }
}

/// TAP's TLV types (the pseudo-header's specification).
fn tlv_name(kind: u16) -> Option<&'static str> {
    Some(match kind {
        0 => "fcs_type",
        1 => "rss",
        2 => "bit_rate",
        3 => "channel_assignment",
        4 => "sun_phy_info",
        5 => "start_of_frame_ts",
        6 => "end_of_frame_ts",
        7 => "asn",
        8 => "start_of_slot_ts",
        9 => "timeslot_length",
        10 => "lqi",
        11 => "channel_frequency",
        12 => "channel_plan",
        _ => return None,
    })
}

/// `--json`'s object: the frame's header fields as on 195 and 230; a TAP
/// record's header under `tap` (version, length, each TLV captured: type,
/// name, length, value in hex; the FCS type and LQI as numbers, the
/// channel's number and page).
pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let mut o = Map::new();
    if f.link != IEEE802_15_4_TAP {
        o.insert("type".into(), json!("802.15.4"));
        let _ = frame::to_json(&mut o, f.data);
        return Some(Value::Object(o));
    }
    let d = f.data;
    let (&version, len) = (d.first()?, d.get(2..4));
    if let Tap::Frame(at) = tap(d) {
        let _ = frame::to_json(&mut o, &d[at..]);
    }
    o.insert("type".into(), json!("802.15.4_tap"));
    let mut t = Map::new();
    t.insert("version".into(), json!(version));
    if let Some(&[lo, hi]) = len {
        let len = usize::from(u16::from_le_bytes([lo, hi]));
        t.insert("length".into(), json!(len));
        let mut tlvs = Vec::new();
        let end = len.min(d.len());
        let mut at = 4;
        while let Some(&[a, b, c, e]) = d.get(at..end).and_then(|r| r.first_chunk::<4>()) {
            let (kind, vlen) = (u16::from_le_bytes([a, b]), u16::from_le_bytes([c, e]));
            let value = d.get(at + 4..(at + 4 + usize::from(vlen)).min(end))?;
            let mut tlv = json!({"type": kind, "length": vlen, "value": hex(value)});
            if let Some(name) = tlv_name(kind) {
                tlv["name"] = json!(name);
            }
            match (kind, value) {
                (0, [fcs, ..]) => {
                    t.insert("fcs_type".into(), json!(fcs));
                }
                (3, [lo, hi, page, ..]) => {
                    let channel = u16::from_le_bytes([*lo, *hi]);
                    t.insert("channel".into(), json!({"number": channel, "page": page}));
                }
                (10, [lqi, ..]) => {
                    t.insert("lqi".into(), json!(lqi));
                }
                _ => {}
            }
            tlvs.push(tlv);
            at += 4 + usize::from(vlen).next_multiple_of(4);
        }
        t.insert("tlvs".into(), Value::Array(tlvs));
    }
    o.insert("tap".into(), Value::Object(t));
    Some(Value::Object(o))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}
