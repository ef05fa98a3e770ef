//! LocalTalk frames in a line, as tcpdump 4.99 prints them (its LLAP
//! printer; `-e` adds nothing): a short DDP header's addresses on network
//! 0 from the LAP header's nodes (`0.1.4 > 0.2.3: at-echo 5`), a long
//! one's as AppleTalk on Ethernet prints them but for the colon's space
//! (`258.7.4 > 4660.5.253: nbp-lkup 5: "obj:AFPServer@*"`), a control
//! frame's nodes and type (`1 > 2 at-lap#129 4`). A frame too short for
//! its header is ` [|llap 2]`, ` [|sddp 1]`, ` [|ddp 6]` (the dump from
//! that many bytes in, as tcpdump counts it); one the capture cut is
//! ` [|llap]`, ` [|sddp]`, ` [|ddp]` (no dump).

use super::{Frame, Tail};
use crate::decode::ltalk::{self, LAP_LEN, LONG_DDP, SHORT_DDP};
use crate::dissect::Payload;
use crate::dissect::atalk;
use crate::dissect::ctl::out;
use serde_json::{Value, json};

pub use crate::decode::ltalk::LTALK;

/// The frame after the LAP header, as long as the wire had it.
fn after_lap<'a>(f: &Frame<'a>) -> Payload<'a> {
    Payload {
        bytes: f.data.get(LAP_LEN..).unwrap_or(&[]),
        declared_len: f.orig_len.saturating_sub(LAP_LEN),
    }
}

pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    if f.orig_len < LAP_LEN {
        out!(w, " [|llap {}]", f.orig_len);
        return None;
    }
    let Some(lap) = ltalk::lap(f.data) else {
        w.extend_from_slice(b" [|llap]");
        return None;
    };
    let rest = after_lap(f);
    match lap.kind {
        SHORT_DDP => atalk::short_ddp(w, &rest, (lap.src, lap.dst), f.verbose),
        LONG_DDP => {
            let _ = atalk::ddp(w, &rest, f.verbose, atalk::LAP);
        }
        t => out!(
            w,
            "{} > {} at-lap#{t} {}",
            lap.src,
            lap.dst,
            rest.declared_len
        ),
    }
    None
}

/// Where `-x` starts: after the headers; at the short frame's remaining
/// length when it was too short for one (tcpdump's printer returns that);
/// nowhere when the capture cut a header.
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    let cut = Some(f.data.len());
    if f.orig_len < LAP_LEN {
        return Some(f.orig_len);
    }
    let Some(lap) = ltalk::lap(f.data) else {
        return cut;
    };
    let Some(ddp) = ltalk::ddp_len(lap.kind) else {
        return Some(LAP_LEN);
    };
    let length = f.orig_len - LAP_LEN;
    match length {
        // tcpdump's printer returning 0 is its "cut" (the whole record
        // counted).
        0 => cut,
        _ if length < ddp => Some(length),
        _ if f.data.len() < LAP_LEN + ddp => cut,
        _ => Some(LAP_LEN + ddp),
    }
}

pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let lap = ltalk::lap(f.data)?;
    let mut o = json!({
        "type": "ltalk",
        "dst": lap.dst,
        "src": lap.src,
        "lap_type": lap.kind,
    });
    let rest = after_lap(f);
    match lap.kind {
        SHORT_DDP => o["ddp"] = atalk::short_json(&rest, (lap.src, lap.dst)),
        LONG_DDP => o["ddp"] = atalk::to_json(&rest),
        _ => {}
    }
    Some(o)
}
