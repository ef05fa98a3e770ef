//! pf's log header in a line (`rule 7.main.3/5(memory): block out on
//! em0: `), as tcpdump 4.99.3 prints it: under `-e` before the packet
//! (whose printer then leaves out its `IP `), without `-e` only before
//! the bytes of a packet of an address family it does not decode; the
//! header's faults; where the `-x` dump starts; and the header as
//! `--json`'s `"link_layer"`.

use super::super::ctl::{out, put_text_nul};
use super::{Frame, Tail};
use crate::decode::pflog::{self, Header, NAME_LEN, Pflog};
use serde_json::{Value, json};

/// pf's reasons as tcpdump 4.99.3 (built for Linux) names them: its
/// table there has no entry for 3 and names 4 `3(short)`.
fn reason(w: &mut Vec<u8>, r: u8) {
    let name = match r {
        0 => "0(match)",
        1 => "1(bad-offset)",
        2 => "2(fragment)",
        4 => "3(short)",
        5 => "5(memory)",
        6 => "6(bad-timestamp)",
        7 => "7(congestion)",
        8 => "8(ip-option)",
        9 => "9(proto-cksum)",
        10 => "10(state-mismatch)",
        11 => "11(state-insert)",
        12 => "12(state-limit)",
        13 => "13(src-limit)",
        14 => "14(synproxy)",
        _ => return out!(w, "unkn({r})"),
    };
    w.extend_from_slice(name.as_bytes());
}

/// pf's actions as tcpdump 4.99.3 (built for Linux) names them (3,
/// `noscrub` elsewhere, is not among them).
fn action(w: &mut Vec<u8>, a: u8) {
    let name = match a {
        0 => "pass",
        1 => "block",
        2 => "scrub",
        4 => "nat",
        5 => "nonat",
        6 => "binat",
        7 => "nobinat",
        8 => "rdr",
        9 => "nordr",
        10 => "synproxy-drop",
        _ => return out!(w, "unkn({a})"),
    };
    w.extend_from_slice(name.as_bytes());
}

fn direction(w: &mut Vec<u8>, d: u8) {
    let name = match d {
        0 => "in/out",
        1 => "in",
        2 => "out",
        _ => return out!(w, "unkn({d})"),
    };
    w.extend_from_slice(name.as_bytes());
}

/// The header's words: the rule (with its ruleset and subrule when it
/// has one), the reason, action, direction and interface.
fn words(w: &mut Vec<u8>, h: &Header<'_>) {
    out!(w, "rule {}", h.rulenr);
    if h.subrulenr != u32::MAX {
        w.push(b'.');
        let _ = put_text_nul(w, h.ruleset, 0, NAME_LEN);
        out!(w, ".{}", h.subrulenr);
    }
    w.push(b'/');
    reason(w, h.reason);
    w.extend_from_slice(b": ");
    action(w, h.action);
    w.push(b' ');
    direction(w, h.dir);
    w.extend_from_slice(b" on ");
    let _ = put_text_nul(w, h.ifname, 0, NAME_LEN);
    w.extend_from_slice(b": ");
}

/// `-e`: the header's words before whatever follows; `false` when the
/// header is not whole (tcpdump checks it before printing a word).
pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    match pflog::parse(f.data) {
        Pflog::Header(h) if f.eflag => {
            words(w, &h);
            true
        }
        _ => false,
    }
}

/// A record whose packet is not decoded: a bad header length, or an
/// address family tcpdump does not know (the words, without `-e`, then
/// the packet's bytes).
pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    match pflog::parse(f.data) {
        Pflog::Header(h) => {
            if !f.eflag {
                words(w, &h);
            }
            Some(Tail::ascii(f.data.get(h.hdr_len..)?))
        }
        Pflog::BadLength(_) => {
            w.extend_from_slice(b"[pflog: invalid header length!]");
            None
        }
        Pflog::Cut(_) => None,
    }
}

/// Where the `-x` dump starts: after the padded header; after as many
/// bytes as a bad length byte says (tcpdump counts them as header).
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    match pflog::parse(f.data) {
        Pflog::Header(h) => Some(h.hdr_len),
        Pflog::BadLength(len) => Some(usize::from(len)),
        Pflog::Cut(_) => None,
    }
}

/// What tcpdump's PFLOG printer counted ([`super::Counted`]): the bytes
/// captured when not even the length byte is, a bad length byte's value,
/// the padded length when the capture ends before the header or its
/// fields do (its length check, then its `trunc` label); a printer after
/// the header gave up when the line's dump starts at the first byte
/// (`from` 0).
pub(super) fn count(f: &Frame<'_>, from: usize) -> super::Counted {
    use super::Counted::{Bytes, GaveUp};
    match pflog::parse(f.data) {
        Pflog::Cut(None) => Bytes(f.data.len()),
        Pflog::BadLength(len) => Bytes(usize::from(len)),
        Pflog::Cut(Some(len)) => Bytes(len),
        Pflog::Header(_) if from == 0 => GaveUp,
        Pflog::Header(h) => Bytes(h.hdr_len),
    }
}

/// Where the `-x` dump of a cut header starts: after its padded length
/// (nothing when the capture ends before it).
pub(super) fn cut_dump_from(f: &Frame<'_>) -> Option<usize> {
    match pflog::parse(f.data) {
        Pflog::Cut(len) => len,
        _ => None,
    }
}

/// A NUL-padded name as text (up to its first NUL).
fn name(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(b.get(..end).unwrap_or(b)).into_owned()
}

/// The header as JSON: its length byte alone when cut or bad, every
/// field once whole (numbers as written: a subrule of `u32::MAX` is
/// none).
pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let h = match pflog::parse(f.data) {
        Pflog::Header(h) => h,
        _ => return Some(json!({"type": "pflog", "length": *f.data.first()?})),
    };
    Some(json!({
        "type": "pflog",
        "length": h.length,
        "header_len": h.hdr_len,
        "af": h.af,
        "action": h.action,
        "reason": h.reason,
        "ifname": name(h.ifname),
        "ruleset": name(h.ruleset),
        "rulenr": h.rulenr,
        "subrulenr": h.subrulenr,
        "uid": h.uid,
        "pid": h.pid,
        "rule_uid": h.rule_uid,
        "rule_pid": h.rule_pid,
        "dir": h.dir,
    }))
}
