//! SunATM records (link type 123) in a line, as tcpdump 4.99 prints them
//! (its `sunatm_if_print` and `atm_print`): under `-e` the direction and
//! the channel (`Rx: VPI:0 VCI:100 `); then on VPI 0 the signalling
//! channels (`Q.2931:Setup CALL_REF:0x123456`, `SSCOP, proto 10 `,
//! `broadcast sig: `, `meta: `, an OAM F4 cell's line and under `-v` its
//! fields and CRC-10, `ilmi: ` and the SNMP message), a LANE control
//! frame (`lec: proto 1 vers 1 join response`), and a LANE data frame's
//! `lecid:1 ` before its Ethernet frame (which the Ethernet printer
//! prints); an LLC PDU goes through the RFC 1483 printer's path
//! (`ring_links`). Cut: ` [|sunatm]`, ` [|atm]`, ` [|oam]`, ` [|lane]`
//! (tcpdump's reads past the capture: the dump from the first byte);
//! the `-x` dump otherwise starts after the pseudo-header, whatever the
//! printers after it counted.

use super::Frame;
use crate::decode::link_header::be16;
use crate::decode::sunatm::{
    self, HEADER_LEN, Header, Kind, LANE_ETHERNET_AT, Signal, TRAFFIC_LANE, TRAFFIC_LLC,
};
use crate::dissect::Payload;
use crate::dissect::ctl::out;
use serde_json::{Value, json};

pub use crate::decode::sunatm::SUNATM;

/// `-e`'s words of the pseudo-header: the direction as soon as the flags
/// are captured, the channel when the whole header is.
fn put_header_words(w: &mut Vec<u8>, data: &[u8]) {
    let Some(&flags) = data.first() else {
        return;
    };
    w.extend_from_slice(if flags & 0x80 != 0 { b"Tx: " } else { b"Rx: " });
    if let Some(h) = sunatm::header(data) {
        out!(w, "VPI:{} VCI:{} ", h.vpi, h.vci);
    }
}

/// The words before the network layer (or the LLC printer, or the
/// message); `true` when `-e` printed the header.
pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    if f.eflag {
        put_header_words(w, f.data);
    }
    if sunatm::kind(f.data) == Kind::Llc {
        // The LLC and SNAP words of RFC 1483's printer.
        return super::ring_links::write_prefix(w, f);
    }
    f.eflag
}

/// The words of a LANE data record before its Ethernet frame's (which
/// the Ethernet printer prints): under `-e` the header's, and the LE
/// client id whenever the Ethernet header is whole (tcpdump's Ethernet
/// printer calls LANE's before the addresses it prints under `-e`).
pub fn write_lane_prefix(w: &mut Vec<u8>, record: &[u8], eflag: bool) {
    if sunatm::ethernet_at(record).is_none() {
        return;
    }
    if eflag {
        put_header_words(w, record);
    }
    if record.len() >= LANE_ETHERNET_AT + 14
        && let Some(id) = be16(record, HEADER_LEN)
    {
        out!(w, "lecid:{id:x} ");
    }
}

/// The line of a record that carries no network layer: the signalling
/// channels' and LE control's words.
pub(super) fn write_message(w: &mut Vec<u8>, f: &Frame<'_>) {
    write(w, f);
}

/// Where the `-x` dump of a message record starts: after the header,
/// at the first byte when its printer read past the capture.
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    let mut scratch = Vec::new();
    Some(if write(&mut scratch, f) {
        0
    } else {
        HEADER_LEN
    })
}

/// [`write_message`]; `true` when tcpdump's printer gave up on a byte
/// the capture cut (its `longjmp`).
fn write(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    let body = f.data.get(HEADER_LEN..).unwrap_or(&[]);
    let wire_len = f.orig_len.saturating_sub(HEADER_LEN);
    match sunatm::kind(f.data) {
        Kind::Signal(Signal::Q2931) => q2931(w, body),
        Kind::Signal(Signal::Broadcast) => {
            w.extend_from_slice(b"broadcast sig: ");
            false
        }
        Kind::Signal(Signal::Meta) => {
            w.extend_from_slice(b"meta: ");
            false
        }
        Kind::Signal(Signal::Oam) => {
            let jumped = oam(w, body, 1, wire_len, f.verbose > 0).is_none();
            if jumped {
                w.extend_from_slice(b" [|oam]");
            }
            jumped
        }
        Kind::Signal(Signal::Ilmi) => {
            w.extend_from_slice(b"ilmi: ");
            let p = Payload {
                bytes: body,
                declared_len: wire_len,
            };
            crate::dissect::snmp::SNMP
                .write_line_cut(w, &p, f.verbose)
                .unwrap_or(false)
        }
        Kind::LaneControl => match body.first_chunk::<6>() {
            Some(&[_, _, proto, version, op_hi, op_lo]) => {
                let op = u16::from_be_bytes([op_hi, op_lo]);
                out!(w, "lec: proto {proto:x} vers {version:x} ");
                match le_opcode(op) {
                    Some(name) => w.extend_from_slice(name.as_bytes()),
                    None => out!(w, "opcode-#{op}"),
                }
                false
            }
            None => {
                w.extend_from_slice(b" [|lane]");
                true
            }
        },
        _ => false,
    }
}

/// Q.2931 on SSCOP (protocol discriminator 9): the message type at byte
/// 5 by name, the call reference at 2; another discriminator is SSCOP's
/// `proto`.
fn q2931(w: &mut Vec<u8>, body: &[u8]) -> bool {
    let Some(&proto) = body.first() else {
        w.extend_from_slice(b" [|atm]");
        return true;
    };
    if proto != 9 {
        out!(w, "SSCOP, proto {proto} ");
        return false;
    }
    w.extend_from_slice(b"Q.2931");
    let Some(&msg) = body.get(5) else {
        w.extend_from_slice(b" [|atm]");
        return true;
    };
    w.push(b':');
    match q2931_message(msg) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "msgtype#{msg}"),
    }
    let call_ref = u32::from_be_bytes([0, body[2], body[3], body[4]]);
    out!(w, " CALL_REF:0x{call_ref:06x}");
    false
}

/// tcpdump's names of Q.2931's (UNI 3.1's) message types.
fn q2931_message(t: u8) -> Option<&'static str> {
    Some(match t {
        0x02 => "Call_proceeding",
        0x07 => "Connect",
        0x0f => "Connect_ack",
        0x05 => "Setup",
        0x4d => "Release",
        0x5a => "Release_complete",
        0x46 => "Restart",
        0x4e => "Restart_ack",
        0x7d => "Status",
        0x75 => "Status_enquiry",
        0x80 => "Add_party",
        0x81 => "Add_party_ack",
        0x82 => "Add_party_reject",
        0x83 => "Drop_party",
        0x84 => "Drop_party_ack",
        _ => return None,
    })
}

/// tcpdump's names of LE control opcodes.
fn le_opcode(op: u16) -> Option<&'static str> {
    Some(match op {
        0x0001 => "configure request",
        0x0101 => "configure response",
        0x0002 => "join request",
        0x0102 => "join response",
        0x0003 => "ready query",
        0x0103 => "ready indication",
        0x0004 => "register request",
        0x0104 => "register response",
        0x0005 => "unregister request",
        0x0105 => "unregister response",
        0x0006 => "ARP request",
        0x0106 => "ARP response",
        0x0007 => "flush request",
        0x0107 => "flush response",
        0x0008 => "NARP request",
        0x0009 => "topology request",
        _ => return None,
    })
}

/// An OAM cell after the pseudo-header: its 4-byte cell header after
/// one byte (tcpdump's HEC), then the 48-byte payload (cell and function
/// type, 45 bytes of the function's, the CRC-10 in the last ten bits).
const OAM_PAYLOAD_AT: usize = 5;
const OAM_PAYLOAD_LEN: usize = 48;
/// The function-specific fields (after the type byte).
const OAM_FIELDS_LEN: usize = 45;

/// The cell whose 4-byte cell header starts at `header_at` (1 after
/// tcpdump's HEC byte; 0 without, as Juniper's ATM PICs capture it), its
/// payload after that: `None` (nothing more written) where tcpdump's
/// printer reads past the capture.
pub(super) fn oam(
    w: &mut Vec<u8>,
    cell: &[u8],
    header_at: usize,
    wire_len: usize,
    verbose: bool,
) -> Option<()> {
    let payload_at = header_at + 4;
    let header = u32::from_be_bytes(*cell.get(header_at..payload_at)?.first_chunk::<4>()?);
    let types = *cell.get(payload_at)?;
    let (cell_type, func_type) = (types >> 4, types & 0x0f);
    let vpi = (header >> 20) & 0xff;
    let vci = (header >> 4) & 0xffff;
    let payload = ((header >> 1) & 7) as usize;
    let clp = header & 1;
    let flow = match vci {
        3 => "OAM F4 (segment)",
        4 => "OAM F4 (end)",
        _ => "OAM F5",
    };
    const PAYLOAD_TYPES: [&str; 7] = [
        "user data, uncongested, SDU 0",
        "user data, uncongested, SDU 1",
        "user data, congested, SDU 0",
        "user data, congested, SDU 1",
        "VCC OAM F5 flow segment",
        "VCC OAM F5 flow end-to-end",
        "Traffic Control and resource Mgmt",
    ];
    out!(
        w,
        "{flow}, vpi {vpi}, vci {vci}, payload [ {} ], clp {clp}, length {wire_len}",
        PAYLOAD_TYPES.get(payload).copied().unwrap_or("Unknown")
    );
    if !verbose {
        return Some(());
    }
    let cell_name = match cell_type {
        1 => "Fault Management",
        2 => "Performance Management",
        8 => "activate/deactivate",
        15 => "System Management",
        _ => "unknown",
    };
    out!(w, "\n\tcell-type {cell_name} ({cell_type})");
    let functions: Option<&[(u8, &str)]> = match cell_type {
        1 => Some(&[
            (0, "AIS"),
            (1, "RDI"),
            (4, "Continuity Check"),
            (8, "Loopback"),
        ]),
        2 => Some(&[
            (0, "Forward Monitoring"),
            (1, "Backward Reporting"),
            (2, "Monitoring and Reporting"),
        ]),
        8 => Some(&[(0, "Performance Monitoring"), (1, "Continuity Check")]),
        _ => None,
    };
    match functions {
        None => out!(w, ", func-type unknown ({func_type})"),
        Some(names) => {
            let name = names
                .iter()
                .find(|(t, _)| *t == func_type)
                .map_or("none", |(_, n)| n);
            out!(w, ", func-type {name} ({func_type})");
        }
    }
    let fields_at = payload_at + 1;
    // Half-words read at every odd offset of a field (tcpdump's loop).
    let ids = |w: &mut Vec<u8>, at: usize, len: usize| {
        for idx in (1..len).step_by(2) {
            if let Some(v) = be16(cell, at + idx) {
                out!(w, "{v:04x} ");
            }
        }
    };
    match (cell_type, func_type) {
        (1, 8) => {
            cell.get(fields_at..fields_at + OAM_FIELDS_LEN)?;
            let indicator = if cell[fields_at] & 1 == 1 {
                "Request"
            } else {
                "Reply"
            };
            let tag = u32::from_be_bytes(*cell.get(fields_at + 1..)?.first_chunk::<4>()?);
            out!(
                w,
                "\n\tLoopback-Indicator {indicator}, Correlation-Tag 0x{tag:08x}"
            );
            w.extend_from_slice(b"\n\tLocation-ID ");
            ids(w, fields_at + 5, 12);
            w.extend_from_slice(b"\n\tSource-ID   ");
            ids(w, fields_at + 17, 12);
        }
        (1, 0 | 1) => {
            cell.get(fields_at..fields_at + OAM_FIELDS_LEN)?;
            out!(w, "\n\tFailure-type 0x{:02x}", cell[fields_at]);
            w.extend_from_slice(b"\n\tLocation-ID ");
            ids(w, fields_at + 1, 16);
        }
        _ => {}
    }
    let crc_at = fields_at + OAM_FIELDS_LEN;
    let cksum = be16(cell, crc_at)? & 0x3ff;
    let payload = cell.get(payload_at..payload_at + OAM_PAYLOAD_LEN)?;
    let verdict = if sunatm::crc10(0, payload) == 0 {
        ""
    } else {
        "in"
    };
    out!(w, "\n\tcksum 0x{cksum:03x} ({verdict}correct)");
    Some(())
}

/// The `--json` `"link_layer"` object: the direction, the channel, the
/// traffic type, and what the record carries (a signalling channel's
/// name, Q.2931's message type and call reference, an OAM cell's
/// header, LANE's client id or control opcode, the LLC header).
pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let d = f.data;
    let Some(Header { vpi, vci, .. }) = sunatm::header(d) else {
        let flags = *d.first()?;
        return Some(json!({"type": "sunatm", "direction": direction(flags)}));
    };
    let flags = d[0];
    let traffic = match flags & 0x0f {
        TRAFFIC_LANE => "lane",
        TRAFFIC_LLC => "llc",
        _ => "unknown",
    };
    let mut o = json!({"type": "sunatm", "direction": direction(flags), "vpi": vpi,
                       "vci": vci, "traffic": traffic});
    let body = d.get(HEADER_LEN..).unwrap_or(&[]);
    match sunatm::kind(d) {
        Kind::Signal(s) => {
            let name = match s {
                Signal::Q2931 => "q2931",
                Signal::Broadcast => "broadcast",
                Signal::Oam => "oam",
                Signal::Meta => "meta",
                Signal::Ilmi => "ilmi",
            };
            o["signal"] = json!(name);
            if s == Signal::Q2931
                && let (Some(&9), Some(&msg)) = (body.first(), body.get(5))
            {
                let call_ref = u32::from_be_bytes([0, body[2], body[3], body[4]]);
                o["q2931"] = json!({"message_type": msg, "call_ref": call_ref});
            }
            if s == Signal::Oam
                && let (Some(h), Some(&types)) = (body.get(1..5), body.get(OAM_PAYLOAD_AT))
            {
                let h = u32::from_be_bytes([h[0], h[1], h[2], h[3]]);
                o["oam"] = json!({"vpi": (h >> 20) & 0xff, "vci": (h >> 4) & 0xffff,
                                  "payload_type": (h >> 1) & 7, "clp": h & 1,
                                  "cell_type": types >> 4, "function_type": types & 0x0f});
            }
        }
        Kind::LaneControl => {
            let mut c = json!({});
            if let Some(&[_, _, proto, version, hi, lo]) = body.first_chunk::<6>() {
                c = json!({"protocol": proto, "version": version,
                           "opcode": u16::from_be_bytes([hi, lo])});
            }
            o["lane"] = json!({ "control": c });
        }
        Kind::LaneData => {
            o["lane"] = json!({ "lecid": be16(d, HEADER_LEN)? });
        }
        Kind::Llc => {
            if let Some(inner) = super::ring_links::to_json(f)
                && let Some(llc) = inner.get("llc")
            {
                o["llc"] = llc.clone();
            }
        }
        Kind::Cut | Kind::LaneCut => {}
    }
    Some(o)
}

fn direction(flags: u8) -> &'static str {
    if flags & 0x80 != 0 { "tx" } else { "rx" }
}
