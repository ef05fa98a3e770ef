//! What tcpdump prints of the headers before an 802.11 frame other than
//! radiotap (`decode::wlan_headers` finds where the frame starts): Prism's
//! and AVS's nothing; PPI's fixed fields under `-e`
//! (`V.0 DLT IEEE802_11 (105) len 8, length 68: `, before the packet of
//! another DLT too: the line printer prints that as PKTAP's), and always
//! before the bytes of a DLT it does not decode; its out-of-range length.

use super::{Frame, Tail};
use crate::decode::wlan_headers::{self, Header, PPI, PPI_LEN, PPI_MAX, PpiHeader};
use crate::dissect::ctl::out;
use serde_json::{Value, json};

/// PPI's words (the length is the record's on the wire, header included).
fn put_ppi(w: &mut Vec<u8>, h: &PpiHeader, orig_len: usize) {
    let name = super::serial::dlt_name(h.dlt);
    out!(
        w,
        "V.{} DLT {name} ({}) len {}, length {orig_len}: ",
        h.version,
        h.dlt,
        h.len
    );
}

/// `-e`'s words of a whole PPI header; `true` when written.
pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    if f.link != PPI || !f.eflag {
        return false;
    }
    match wlan_headers::header(PPI, f.data) {
        Header::Frame { ppi: Some(h), .. } | Header::OtherDlt(h) | Header::Inner(h, _) => {
            put_ppi(w, &h, f.orig_len);
            true
        }
        _ => false,
    }
}

/// The line of a record with no 802.11 frame to print: PPI's bad length,
/// or its words and the bytes of another DLT (tcpdump's printer for a
/// DLT it cannot hand on).
pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    match wlan_headers::header(f.link, f.data) {
        Header::BadPpiLength(len) => {
            out!(w, " [length {len} < {PPI_LEN} or > {PPI_MAX}] (invalid)");
            None
        }
        Header::OtherDlt(h) => {
            if !f.eflag {
                put_ppi(w, &h, f.orig_len);
            }
            Some(Tail::ascii(f.data.get(h.len..).unwrap_or(&[])))
        }
        _ => None,
    }
}

/// Where `-x` starts for a record with no 802.11 frame: after PPI's
/// header before another DLT (tcpdump counts it alone), nowhere after a
/// bad length (it counts the whole record).
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    match wlan_headers::header(f.link, f.data) {
        Header::OtherDlt(h) => Some(h.len),
        Header::BadPpiLength(_) => Some(f.data.len()),
        _ => None,
    }
}

/// Where `-x` starts when the 802.11 printer counted `wlan` bytes of the
/// frame behind a `len`-byte header: PPI's printer adds the inner
/// printer's count to the total it already holds (so it counts twice).
pub(super) fn counted(link: u32, len: usize, wlan: usize) -> usize {
    if link == PPI {
        len + 2 * wlan
    } else {
        len + wlan
    }
}

/// `--json`'s words of the header: its kind, its fields and where the
/// 802.11 frame after it starts (`None`: PPI's other DLTs).
pub(super) fn to_json(f: &Frame<'_>) -> Option<(&'static str, Value, Option<usize>)> {
    match wlan_headers::header(f.link, f.data) {
        Header::Frame { avs: true, at, .. } => {
            let version = f.data.get(3).map_or(0, |v| v & 0x0f);
            Some(("avs", json!({"version": version, "len": at}), Some(at)))
        }
        Header::Frame {
            ppi: Some(h), at, ..
        } => Some(("ppi", ppi_json(&h), Some(at))),
        Header::OtherDlt(h) | Header::Inner(h, _) => Some(("ppi", ppi_json(&h), None)),
        Header::Frame { at, .. } => {
            // The device's name: 16 bytes after the message code and
            // length, ended by a NUL.
            let name = f.data.get(8..24).unwrap_or(&[]);
            let name = name.split(|b| *b == 0).next().unwrap_or(&[]);
            let device = String::from_utf8_lossy(name);
            Some(("prism", json!({"len": at, "device": device}), Some(at)))
        }
        Header::BadPpiLength(_) | Header::Cut(_) => None,
    }
}

fn ppi_json(h: &PpiHeader) -> Value {
    json!({"version": h.version, "flags": h.flags, "len": h.len, "dlt": h.dlt})
}
