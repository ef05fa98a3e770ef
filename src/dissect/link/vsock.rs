//! Linux's vsock monitor (link type 271) in tcpdump 4.99's words: the
//! transport (`VIRTIO`), both ends as `CID.port`, the monitor's operation
//! and the record's captured length; `-v` adds virtio's header (`(len 5,
//! type STREAM, op RW, …)`) and puts the addresses on a line of their
//! own; `-vv` dumps a PAYLOAD record's payload in hex, its rows joined by
//! tabs as tcpdump prints them. ` [|vsock]`: a cut monitor header (alone),
//! under `-v` a cut virtio header, under `-vv` a payload with no byte
//! captured.

use super::Frame;
use crate::decode::vsock::{
    MON_LEN, Monitor, OP_PAYLOAD, TRANSPORT_VIRTIO, Virtio, monitor, payload_at, virtio,
};
use crate::dissect::ctl::out;
use serde_json::{Value, json};

pub use crate::decode::vsock::VSOCK;

fn transport_word(w: &mut Vec<u8>, t: u16) {
    match t {
        0 => w.extend_from_slice(b"UNKNOWN"),
        1 => w.extend_from_slice(b"NO_INFO"),
        TRANSPORT_VIRTIO => w.extend_from_slice(b"VIRTIO"),
        _ => out!(w, "Invalid transport ({t})"),
    }
}

fn op_word(w: &mut Vec<u8>, op: u16) {
    match op {
        0 => w.extend_from_slice(b"UNKNOWN"),
        1 => w.extend_from_slice(b"CONNECT"),
        2 => w.extend_from_slice(b"DISCONNECT"),
        3 => w.extend_from_slice(b"CONTROL"),
        OP_PAYLOAD => w.extend_from_slice(b"PAYLOAD"),
        // tcpdump's word has its own leading space.
        _ => out!(w, " invalid op ({op})"),
    }
}

const VIRTIO_OPS: [&str; 8] = [
    "INVALID",
    "REQUEST",
    "RESPONSE",
    "RST",
    "SHUTDOWN",
    "RW",
    "CREDIT UPDATE",
    "CREDIT REQUEST",
];

fn write_virtio(w: &mut Vec<u8>, v: &Virtio) {
    out!(w, " (len {}, type ", v.len);
    match v.kind {
        1 => w.extend_from_slice(b"STREAM"),
        k => out!(w, "Invalid type ({k})"),
    }
    w.extend_from_slice(b", op ");
    match VIRTIO_OPS.get(usize::from(v.op)) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "Invalid op ({})", v.op),
    }
    out!(
        w,
        ", flags {:x}, buf_alloc {}, fwd_cnt {})",
        v.flags,
        v.buf_alloc,
        v.fwd_cnt
    );
}

/// `-vv`'s payload dump: tcpdump's hex rows, the first after a new line
/// and a tab, the others after a tab alone.
fn write_payload_rows(w: &mut Vec<u8>, bytes: &[u8]) {
    for (row, chunk) in bytes.chunks(16).enumerate() {
        let lead = if row == 0 { "\n\t" } else { "\t" };
        out!(w, "{lead}0x{:04x}: ", row * 16);
        for pair in chunk.chunks(2) {
            w.push(b' ');
            for b in pair {
                out!(w, "{b:02x}");
            }
        }
    }
}

/// The whole line (the monitor header was captured: `decode::vsock`).
pub(super) fn write_message(w: &mut Vec<u8>, f: &Frame<'_>) {
    let Some(m) = monitor(f.data) else {
        return;
    };
    transport_word(w, m.transport);
    let is_virtio = m.transport == TRANSPORT_VIRTIO;
    let cut = is_virtio && virtio(f.data).is_none();
    if f.verbose > 0 {
        if let Some(v) = virtio(f.data).filter(|_| is_virtio) {
            write_virtio(w, &v);
        }
        if !cut {
            w.extend_from_slice(b"\n\t");
        }
    } else {
        w.push(b' ');
    }
    write_ends(w, &m);
    w.push(b' ');
    op_word(w, m.op);
    out!(w, ", length {}", f.data.len());
    if f.verbose > 0 && cut {
        w.extend_from_slice(b" [|vsock]");
    } else if f.verbose > 1 && m.op == OP_PAYLOAD {
        match f.data.get(payload_at(&m)..) {
            Some(p) if !p.is_empty() => write_payload_rows(w, p),
            _ => w.extend_from_slice(b" [|vsock]"),
        }
    }
}

fn write_ends(w: &mut Vec<u8>, m: &Monitor) {
    out!(
        w,
        "{}.{} > {}.{}",
        m.src_cid,
        m.src_port,
        m.dst_cid,
        m.dst_port
    );
}

/// `-x` dumps what follows the monitor header.
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    (f.data.len() >= MON_LEN).then_some(MON_LEN)
}

pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let m = monitor(f.data)?;
    let mut o = json!({
        "type": "vsock",
        "src_cid": m.src_cid,
        "src_port": m.src_port,
        "dst_cid": m.dst_cid,
        "dst_port": m.dst_port,
        "op": m.op,
        "transport": m.transport,
        "header_len": m.len,
    });
    if m.transport == TRANSPORT_VIRTIO
        && let Some(v) = virtio(f.data)
    {
        o["virtio"] = json!({
            "src_cid": v.src_cid,
            "src_port": v.src_port,
            "dst_cid": v.dst_cid,
            "dst_port": v.dst_port,
            "len": v.len,
            "type": v.kind,
            "op": v.op,
            "flags": v.flags,
            "buf_alloc": v.buf_alloc,
            "fwd_cnt": v.fwd_cnt,
        });
    }
    o["payload_len"] = json!(f.data.len().saturating_sub(payload_at(&m)));
    Some(o)
}
