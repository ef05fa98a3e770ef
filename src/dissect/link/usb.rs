//! Linux usbmon events (link types 189 and 220) in `tcpdump -n`'s words:
//! `USB CONTROL SUBMIT to 1:3:0` — the transfer type, the event type, the
//! direction tcpdump infers from the two, and bus, device and endpoint
//! (without its direction bit); ` ?` for a type it does not know. tcpdump
//! 4.99 prints nothing more of the header at any level (`-e`, `-v`: the
//! setup packet, status and lengths stay unsaid), and its `-x` dump starts
//! after the header (at the first byte of a record that cut it). The whole
//! header, setup packet and isochronous descriptors included, is
//! `--json`'s. Where the header is and what it says is `decode::usb`'s.

use super::super::ctl::out;
use super::Frame;
use crate::decode::usb::{
    self, BULK, COMPLETE, CONTROL, ERROR, Header, INTERRUPT, ISOCHRONOUS, SUBMIT,
};
use serde_json::{Value, json};

pub(super) use usb::handles;

/// The line of a whole header (a cut one is the decoder's mark).
pub(super) fn write_message(w: &mut Vec<u8>, f: &Frame<'_>) {
    let Some(h) = Header::read(f.link, f.data) else {
        return;
    };
    w.extend_from_slice(b"USB ");
    // An unknown transfer type is ` ?` (so two spaces after `USB`).
    match transfer_name(h.transfer_type) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => w.extend_from_slice(b" ?"),
    }
    match event_name(h.event_type) {
        Some(name) => out!(w, " {name}"),
        None => w.extend_from_slice(b" ?"),
    }
    if let Some(dir) = h.direction() {
        out!(w, " {dir}");
    }
    out!(w, " {}:{}:{}", h.bus, h.device, h.endpoint & 0x7f);
}

/// Where the `-x` dump of a whole record starts: after its header.
pub(super) fn dump_from(f: &Frame<'_>) -> Option<usize> {
    Some(usb::header_len(f.link))
}

/// tcpdump's word for a transfer type (`--json` says it in lower case).
fn transfer_name(t: u8) -> Option<&'static str> {
    Some(match t {
        ISOCHRONOUS => "ISOCHRONOUS",
        INTERRUPT => "INTERRUPT",
        CONTROL => "CONTROL",
        BULK => "BULK",
        _ => return None,
    })
}

/// tcpdump's word for an event type.
fn event_name(e: u8) -> Option<&'static str> {
    Some(match e {
        SUBMIT => "SUBMIT",
        COMPLETE => "COMPLETE",
        ERROR => "ERROR",
        _ => return None,
    })
}

/// A word of [`transfer_name`] or [`event_name`] as `--json` says it.
fn json_name(name: Option<&str>) -> String {
    name.map_or_else(|| "unknown".to_string(), str::to_ascii_lowercase)
}

/// The header as `--json`'s `"link_layer"`: every field, the types
/// named (`"unknown"` beside the number otherwise), the setup packet of a
/// control submission, an isochronous transfer's counts, and the
/// memory-mapped fields and descriptors; `None` for a cut header.
pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let h = Header::read(f.link, f.data)?;
    let mut o = json!({
        "type": "usb",
        "id": h.id,
        "event_type": h.event_type,
        "event": json_name(event_name(h.event_type)),
        "transfer_type": h.transfer_type,
        "transfer": json_name(transfer_name(h.transfer_type)),
        "bus": h.bus,
        "device": h.device,
        "endpoint": h.endpoint & 0x7f,
        "endpoint_in": h.endpoint & 0x80 != 0,
        "setup_flag": h.setup_flag,
        "data_flag": h.data_flag,
        "ts_sec": h.ts_sec,
        "ts_usec": h.ts_usec,
        "status": h.status,
        "urb_len": h.urb_len,
        "data_len": h.data_len,
    });
    if let Some(dir) = h.direction() {
        o["direction"] = json!(dir.to_string());
    }
    if let Some(s) = h.setup() {
        o["setup"] = json!({"request_type": s.request_type, "request": s.request,
                            "value": s.value, "index": s.index, "length": s.length});
    }
    if let Some((errors, numdesc)) = h.iso() {
        o["iso"] = json!({"error_count": errors, "numdesc": numdesc});
    }
    if let Some(m) = h.mmapped {
        o["interval"] = json!(m.interval);
        o["start_frame"] = json!(m.start_frame);
        o["xfer_flags"] = json!(m.xfer_flags);
        o["ndesc"] = json!(m.ndesc);
        let descs: Vec<Value> = usb::iso_descs(&h, f.data)
            .map(|d| json!({"status": d.status, "offset": d.offset, "len": d.len}))
            .collect();
        if !descs.is_empty() {
            o["iso_descriptors"] = json!(descs);
        }
    }
    Some(o)
}
