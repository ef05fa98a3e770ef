//! ForCES (RFC 5810, Forwarding and Control Element Separation) inside an
//! SCTP DATA chunk, as tcpdump prints it under the chunk when a port is
//! one of ForCES' channels (6704–6706) or the chunk's payload protocol is
//! (21–23): the message type at every level (`ForCES HeartBeat`), the
//! version, length, flags word, source and destination IDs and correlator
//! at `-v`, the flags spelled out at `-vv`, the TLV tree (LFB selectors,
//! operations, path data, full and sparse data, results, redirect
//! metadata) at `-vvv` and the raw message at `-vvvv`. Errors in the
//! tree are printed at every level, followed by the message in hex.
//!
//! tcpdump's walk is kept step for step, odd habits included (the inner
//! PATH-DATA TLV re-read from its own header, a key's data read as a
//! TLV), since its output is the spec; only the recursion is bounded
//! (`path::MAX_DEPTH`), where tcpdump's is bounded by the packet alone.
//!
//! A read past the capture is tcpdump's `longjmp` (`Err`: the caller
//! prints ` [|forces]` and the packet ends); its own checks print the
//! mark and return, after which the chunk list goes on.
//!
//! This file holds the header, the message types and the top-level TLV
//! walk; [`operations`] the LFB selectors and operation TLVs, [`path`]
//! the path data under them, [`association`] and [`redirect`] the other
//! top-level TLVs.

mod association;
mod operations;
mod path;
mod redirect;

use super::ctl::{out, put_hex_print, tok};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use serde_json::{Value, json};

pub(super) const CUT: &[u8] = b" [|forces]";

/// The channels tcpdump names after `sctp` and treats as ForCES.
pub(super) const PORTS: &[(u16, &str)] = &[
    (6704, "ForCES HP"),
    (6705, "ForCES MP"),
    (6706, "ForCES LP"),
];

/// The payload protocol IDs that carry ForCES (high, medium, low priority).
pub(super) fn is_forces_ppid(ppid: u32) -> bool {
    (21..=23).contains(&ppid)
}

const HEADER: usize = 24;
const TLV_HEADER: u32 = 4;
const ILV_HEADER: u32 = 8;

// A message type's top-level TLV rule (tcpdump's `tom_h` flags): none
// allowed, zero or more, one or more; the high nibble caps their number.
const NO_TLV: u16 = 0x01;
const ZERO_OR_MORE: u16 = 0x02;
const ONE_OR_MORE: u16 = 0x04;
const ONE: u16 = 0x10 | ONE_OR_MORE;
const MANY: u16 = 0xf0 | ONE_OR_MORE;

/// The operation bits (`1 << (operation − 1)`).
const fn op(n: u16) -> u16 {
    1 << (n - 1)
}
const SET: u16 = op(1);
const SETPROP: u16 = op(2);
const SETRESP: u16 = op(3);
const SETPRESP: u16 = op(4);
const DEL: u16 = op(5);
const DELRESP: u16 = op(6);
const GET: u16 = op(7);
const GETPROP: u16 = op(8);
const GETRESP: u16 = op(9);
const GETPRESP: u16 = op(10);
const REPORT: u16 = op(11);
const COMMIT: u16 = op(12);
const RCOMMIT: u16 = op(13);
const RTRCOMP: u16 = op(14);

#[derive(Clone, Copy, PartialEq)]
enum Top {
    LfbSelect,
    Teardown,
    Redirect,
    SetupResult,
}

/// A message type: code, TLV rule, operations allowed, name, the printer
/// of its top-level TLVs.
type MessageType = (u8, u16, u16, &'static str, Option<Top>);

const MESSAGES: &[MessageType] = &[
    (
        0x01,
        ZERO_OR_MORE | 0x20,
        REPORT,
        "Association Setup",
        Some(Top::LfbSelect),
    ),
    (0x02, ONE, 0, "Association TearDown", Some(Top::Teardown)),
    (
        0x03,
        MANY,
        SET | SETPROP | DEL | COMMIT | RTRCOMP,
        "Config",
        Some(Top::LfbSelect),
    ),
    (0x04, MANY, GET | GETPROP, "Query", Some(Top::LfbSelect)),
    (
        0x05,
        ONE,
        REPORT,
        "Event Notification",
        Some(Top::LfbSelect),
    ),
    (0x06, MANY, 0, "Packet Redirect", Some(Top::Redirect)),
    (0x0f, NO_TLV, 0, "HeartBeat", None),
    (0x11, ONE, 0, "Association Response", Some(Top::SetupResult)),
    (
        0x13,
        MANY,
        SETRESP | SETPRESP | DELRESP | RCOMMIT,
        "Config Response",
        Some(Top::LfbSelect),
    ),
    (
        0x14,
        MANY,
        GETRESP | GETPRESP,
        "Query Response",
        Some(Top::LfbSelect),
    ),
];

/// The types tcpdump accepts before looking them up (0x12 passes, then
/// is unknown).
fn type_valid(t: u8) -> bool {
    matches!(t, 0x01..=0x06 | 0x0f | 0x11..=0x14)
}

const TLV_PATHDATA: u16 = 0x0110;
const TLV_KEYINFO: u16 = 0x0111;
const TLV_FULLDATA: u16 = 0x0112;
const TLV_SPARSEDATA: u16 = 0x0113;
const TLV_RESULT: u16 = 0x0114;
const TLV_METADATA: u16 = 0x0115;
const TLV_REDIRECTDATA: u16 = 0x0116;

const TLVS: &[(u16, &str)] = &[
    (0x0000, "Invalid TLV"),
    (0x0001, "REDIRECT TLV"),
    (0x0010, "ASResult TLV"),
    (0x0011, "ASTreason TLV"),
    (0x1000, "LFBselect TLV"),
    (TLV_PATHDATA, "PATH-DATA TLV"),
    (TLV_KEYINFO, "KEYINFO TLV"),
    (TLV_FULLDATA, "FULLDATA TLV"),
    (TLV_SPARSEDATA, "SPARSEDATA TLV"),
    (TLV_RESULT, "RESULT TLV"),
    (TLV_METADATA, "METADATA TLV"),
    (TLV_REDIRECTDATA, "REDIRECTDATA TLV"),
];

/// The TLV types allowed at the top of a message.
fn top_tlv_valid(t: u16) -> bool {
    matches!(t, 0x0001 | 0x1000 | 0x0010..=0x0011 | 0x0110..=0x0116)
}

/// Why a TLV or ILV does not fit what is left (tcpdump's `tlv_valid`).
const FIT_ERRORS: [&str; 5] = [
    "#0",
    "Invalid total length",
    "xLV too short",
    "xLV too long",
    "data padding missing",
];

fn align4(n: u32) -> u32 {
    n.wrapping_add(3) & !3
}

/// 0 when an xLV of `len` (header included) with `header` bytes of
/// header fits in `left`, else the index of the reason in [`FIT_ERRORS`].
fn fits(len: u32, left: u32, header: u32) -> usize {
    if left < header {
        1
    } else if len < header {
        2
    } else if len > left {
        3
    } else if left < align4(len) {
        4
    } else {
        0
    }
}

/// A node's name as tcpdump classes its 32-bit ID.
fn node(id: u32) -> &'static str {
    match id {
        0..=0x3fff_ffff => "FE",
        0x4000_0000..=0x7fff_ffff => "CE",
        0xc000_0000..=0xffff_ffef => "AllMulticast",
        0xffff_fffd => "AllCEsBroadcast",
        0xffff_fffe => "AllFEsBroadcast",
        0xffff_ffff => "AllBroadcast",
        _ => "ForCESreserved",
    }
}

/// tcpdump's `tok2str(…, NULL, v)`: the name, or `#v`.
fn name_or_number<T: PartialEq + Copy + std::fmt::Display>(
    table: &[(T, &'static str)],
    v: T,
) -> String {
    tok(table, v).map_or_else(|| format!("#{v}"), str::to_owned)
}

/// tcpdump's indentation: `n` spaces (at most 255), after a newline when
/// `newline` (which takes one of the `n`).
fn indent(n: i32, newline: bool) -> String {
    let n = n.clamp(0, 255) as usize;
    if newline {
        format!("\n{}", " ".repeat(n.saturating_sub(1)))
    } else {
        " ".repeat(n)
    }
}

/// A step's outcome: `Ok(true)` went on, `Ok(false)` is tcpdump's −1 (an
/// error printed), `Err` its `longjmp`.
type Step = Res<bool>;

struct Walk<'a> {
    w: &'a mut Vec<u8>,
    m: &'a [u8],
    v: u8,
    depth: u32,
}

/// The ForCES message of `len` bytes at `at` of `m` (the SCTP packet as
/// captured), after its chunk's line, at verbosity `v`.
pub(super) fn print(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize, v: u8) -> Res<()> {
    let mut walk = Walk { w, m, v, depth: 0 };
    walk.message(at, len)
}

impl Walk<'_> {
    fn hex(&mut self, at: usize, len: u32, ident: &str) -> Res<()> {
        put_hex_print(self.w, self.m, (at, len as usize), ident, 0)
    }

    /// tcpdump's `nd_print_trunc` after one of its own checks.
    fn cut(&mut self) -> Step {
        self.w.extend_from_slice(CUT);
        Ok(false)
    }

    fn captured(&self, at: usize, n: usize) -> bool {
        at.checked_add(n).is_some_and(|end| end <= self.m.len())
    }

    fn message(&mut self, at: usize, len: usize) -> Res<()> {
        if !self.captured(at, HEADER) {
            self.w.extend_from_slice(CUT);
            return Ok(());
        }
        let m = self.m;
        let t = u8_at(m, at + 1)?;
        let ok = 'check: {
            if !type_valid(t) {
                out!(self.w, "Invalid ForCES message type {t}\n");
                break 'check false;
            }
            let mlen = u32::from(u16_at(m, at + 2)?) << 2;
            let Some(&(_, rule, ops, name, top)) = MESSAGES.iter().find(|e| e.0 == t) else {
                out!(self.w, "\n\tUnknown ForCES message type=0x{t:x}");
                break 'check false;
            };
            out!(self.w, "\n\tForCES {name} ");
            let len32 = u32::try_from(len).unwrap_or(u32::MAX);
            if len < HEADER || (mlen as usize) < HEADER || mlen != len32 {
                out!(
                    self.w,
                    "Illegal ForCES pkt len - min {HEADER}, total recvd {len}, advertised {mlen} "
                );
                break 'check false;
            }
            let flags = u32_at(m, at + 20)?;
            if self.v >= 1 {
                let (sid, did) = (u32_at(m, at + 4)?, u32_at(m, at + 8)?);
                let cor = u64::from_be_bytes(bytes_at::<8>(m, at + 12)?);
                out!(
                    self.w,
                    "\n\tForCES Version {} len {mlen}B flags 0x{flags:08x} ",
                    u8_at(m, at)? >> 4
                );
                out!(
                    self.w,
                    "\n\tSrcID 0x{sid:x}({}) DstID 0x{did:x}({}) Correlator 0x{cor:x}",
                    node(sid),
                    node(did)
                );
            }
            if self.v >= 2 {
                self.flags(flags);
            }
            self.top_tlvs(at, mlen, rule, ops, top)?
        };
        if !ok {
            self.hex(at, u32::try_from(len).unwrap_or(u32::MAX), "\n\t[")?;
            self.w.extend_from_slice(b"\n\t]");
            return Ok(());
        }
        if self.v >= 4 {
            self.w.extend_from_slice(b"\n\t  Raw ForCES message\n\t [");
            self.hex(at, u32::try_from(len).unwrap_or(u32::MAX), "\n\t ")?;
            self.w.extend_from_slice(b"\n\t ]");
        }
        Ok(())
    }

    /// The flags word spelled out (`-vv`).
    fn flags(&mut self, f: u32) {
        let ack = f >> 30;
        let prio = (f >> 27) & 7;
        let em = (f >> 22) & 3;
        let at = (f >> 21) & 1;
        let tp = (f >> 19) & 3;
        let ack_name = ["NoACK", "SuccessACK", "FailureACK", "AlwaysACK"][ack as usize];
        let em_name = [
            "EMReserved",
            "execute-all-or-none",
            "execute-until-failure",
            "continue-execute-on-failure",
        ][em as usize];
        let at_name = ["Standalone", "2PCtransaction"][at as usize];
        let tp_name = [
            "StartofTransaction",
            "MiddleofTransaction",
            "EndofTransaction",
            "abort",
        ][tp as usize];
        out!(
            self.w,
            "\n\tForCES flags:\n\t  {ack_name}(0x{ack:x}), prio={prio}, {em_name}(0x{em:x}),\n\t  {at_name}(0x{at:x}), {tp_name}(0x{tp:x})\n"
        );
        out!(
            self.w,
            "\t  Extra flags: rsv(b5-7) 0x{:x} rsv(b13-31) 0x{:x}\n",
            (f >> 24) & 7,
            f & 0x7ffff
        );
    }

    /// The top-level TLVs after the header, as the message type allows.
    fn top_tlvs(&mut self, at: usize, mlen: u32, rule: u16, ops: u16, top: Option<Top>) -> Step {
        let mut left = mlen - HEADER as u32;
        if left > TLV_HEADER {
            if rule & NO_TLV != 0 {
                out!(self.w, "<0x{rule:x}>Illegal Top level TLV!\n");
                return Ok(false);
            }
        } else {
            if rule & ZERO_OR_MORE != 0 {
                return Ok(true);
            }
            if rule & ONE_OR_MORE != 0 {
                self.w.extend_from_slice(b"\tTop level TLV Data missing!\n");
                return Ok(false);
            }
        }
        let Some(top) = top else {
            return Ok(true);
        };
        let mut count = rule >> 4;
        let mut p = at + HEADER;
        while left != 0 {
            let (t, len) = (u16_at(self.m, p)?, u32::from(u16_at(self.m, p + 2)?));
            if fits(len, left, TLV_HEADER) != 0 {
                break;
            }
            if !top_tlv_valid(t) {
                out!(self.w, "\n\tInvalid ForCES Top TLV type=0x{t:x}");
                return Ok(false);
            }
            if self.v >= 3 {
                out!(
                    self.w,
                    "\t{}, length {len} (data length {} Bytes)",
                    name_or_number(TLVS, t),
                    len - TLV_HEADER
                );
            }
            let data = p + TLV_HEADER as usize;
            let done = match top {
                Top::LfbSelect => self.lfb_select(data, len, ops, 9)?,
                Top::Teardown => self.teardown(data, len, 9)?,
                Top::SetupResult => self.setup_result(data, len, 9)?,
                Top::Redirect => self.redirect(data, len, 9)?,
            };
            if !done {
                return Ok(false);
            }
            p += align4(len) as usize;
            left -= align4(len);
            count = count.saturating_sub(1);
            if count == 0 {
                break;
            }
        }
        if left != 0 {
            out!(
                self.w,
                "\tMess TopTLV header: min {TLV_HEADER}, total {left} advertised {} ",
                u16_at(self.m, p + 2)?
            );
            return Ok(false);
        }
        Ok(true)
    }
}

/// The `--json` object of the message of `len` bytes at `at`: the
/// header's fields and the top-level TLVs' types, names and lengths, as
/// far as captured.
pub(super) fn json(m: &[u8], at: usize, len: usize) -> Value {
    let Some(h) = m.get(at..at.saturating_add(HEADER)) else {
        return json!({"truncated": true});
    };
    let word = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    let t = h[1];
    let mut tlvs = Vec::new();
    let end = at.saturating_add(len);
    let mut p = at + HEADER;
    while p.saturating_add(4) <= end && tlvs.len() < len / 4 {
        let (Ok(kind), Ok(tlen)) = (u16_at(m, p), u16_at(m, p + 2)) else {
            break;
        };
        tlvs.push(json!({"type": kind, "name": tok(TLVS, kind), "length": tlen}));
        if tlen < 4 {
            break;
        }
        p += align4(u32::from(tlen)) as usize;
    }
    json!({
        "version": h[0] >> 4,
        "type": t,
        "type_name": MESSAGES.iter().find(|e| e.0 == t).map(|e| e.3),
        "length": u32::from(u16::from_be_bytes([h[2], h[3]])) << 2,
        "source_id": word(4),
        "destination_id": word(8),
        "correlator": u64::from_be_bytes(h[12..20].try_into().unwrap_or([0; 8])),
        "flags": word(20),
        "tlvs": tlvs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(t: u16, value: &[u8]) -> Vec<u8> {
        let mut v = t.to_be_bytes().to_vec();
        v.extend_from_slice(&((4 + value.len()) as u16).to_be_bytes());
        v.extend_from_slice(value);
        v
    }

    /// A Config message whose Set operation holds path data nested
    /// `levels` deep (each an empty path holding the next).
    fn nested(levels: usize) -> Vec<u8> {
        let mut inner = tlv(TLV_PATHDATA, &[0, 0, 0, 0]);
        for _ in 1..levels {
            inner = tlv(TLV_PATHDATA, &[&[0, 0, 0, 0][..], &inner].concat());
        }
        let set = tlv(1, &inner);
        let lfb = tlv(0x1000, &[&[0, 0, 0, 1, 0, 0, 0, 1][..], &set].concat());
        let mut m = vec![0x10, 0x03];
        m.extend_from_slice(&(((24 + lfb.len()) / 4) as u16).to_be_bytes());
        m.extend_from_slice(&[0; 20]);
        m.extend_from_slice(&lfb);
        m
    }

    #[test]
    fn test_deep_path_data_is_bounded() {
        let m = nested(7000);
        for v in 0..5 {
            let mut w = Vec::new();
            assert!(print(&mut w, &m, 0, m.len(), v).is_ok());
            assert!(w.len() < 64 * 1024 * 1024);
        }
    }

    #[test]
    fn test_truncated_header_is_marked_and_goes_on() {
        let m = nested(1);
        let mut w = Vec::new();
        assert!(print(&mut w, &m[..20], 0, 20, 0).is_ok());
        assert_eq!(w, CUT);
    }

    #[test]
    fn test_malformed_tlv_past_capture_jumps() {
        let mut m = nested(3);
        let keep = m.len() - 6;
        let len = m.len();
        m.truncate(keep);
        let mut w = Vec::new();
        assert!(print(&mut w, &m, 0, len, 3).is_err());
    }
}
