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
//! ([`MAX_DEPTH`]), where tcpdump's is bounded by the packet alone.
//!
//! A read past the capture is tcpdump's `longjmp` (`Err`: the caller
//! prints ` [|forces]` and the packet ends); its own checks print the
//! mark and return, after which the chunk list goes on.

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

/// How deep the path-data recursion may go (a level takes at least eight
/// bytes, so no real message comes near it); past it a branch fails.
const MAX_DEPTH: u32 = 256;

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

// The data encodings an operation allows, and the path flags, in the
// same mask (tcpdump shares one 16-bit word for both).
const FULLDATA: u16 = 0x1;
const SPARSEDATA: u16 = 0x2;
const RESULT: u16 = 0x4;
const KEYED: u16 = 0x8;
const APPEND: u16 = 0x10;
const RANGE: u16 = 0x20;

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

#[derive(Clone, Copy, PartialEq)]
enum OperPrinter {
    Invalid,
    PathData,
    Generic,
    Nothing,
}

/// The operation TLVs 0–14: name (with tcpdump's leading space), the
/// data encodings allowed under it, its printer.
const OPERATIONS: [(&str, u16, OperPrinter); 15] = [
    ("Invalid OPTLV", 0, OperPrinter::Invalid),
    (" Set", FULLDATA | SPARSEDATA, OperPrinter::PathData),
    (" SetProp", FULLDATA | SPARSEDATA, OperPrinter::PathData),
    (" SetResp", RESULT, OperPrinter::PathData),
    (" SetPropResp", RESULT, OperPrinter::PathData),
    (" Del", 0, OperPrinter::PathData),
    (" DelResp", RESULT, OperPrinter::PathData),
    (" Get", 0, OperPrinter::PathData),
    (" GetProp", 0, OperPrinter::PathData),
    (
        " GetResp",
        FULLDATA | SPARSEDATA | RESULT,
        OperPrinter::PathData,
    ),
    (" GetPropResp", FULLDATA | RESULT, OperPrinter::PathData),
    (" Report", FULLDATA | SPARSEDATA, OperPrinter::PathData),
    (" Commit", 0, OperPrinter::Nothing),
    (" RCommit", RESULT, OperPrinter::Generic),
    (" RTRCOMP", 0, OperPrinter::Nothing),
];

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

/// The path-data content TLVs: name, encoding bit it needs.
fn content(t: u16) -> Option<(&'static str, u16)> {
    match t {
        TLV_PATHDATA => Some(("Inner PATH-DATA TLV", 0)),
        TLV_KEYINFO => Some(("KEYINFO TLV", 0)),
        TLV_FULLDATA => Some(("FULLDATA TLV", FULLDATA)),
        TLV_SPARSEDATA => Some(("SPARSEDATA TLV", SPARSEDATA)),
        TLV_RESULT => Some(("RESULT TLV", RESULT)),
        _ => None,
    }
}

const LFBS: &[(u32, &str)] = &[(0, "Invalid TLV"), (1, "FEObj LFB"), (2, "FEProtoObj LFB")];

const RESULTS: [&str; 24] = [
    "SUCCESS",
    "INVALID HEADER",
    "LENGTH MISMATCH",
    "VERSION MISMATCH",
    "INVALID DESTINATION PID",
    "LFB UNKNOWN",
    "LFB NOT FOUND",
    "LFB INSTANCE ID NOT FOUND",
    "INVALID PATH",
    "COMPONENT DOES NOT EXIST",
    "EXISTS ALREADY",
    "NOT FOUND",
    "READ ONLY",
    "INVALID ARRAY CREATION",
    "VALUE OUT OF RANGE",
    "CONTENTS TOO LONG",
    "INVALID PARAMETERS",
    "INVALID MESSAGE TYPE",
    "INVALID FLAGS",
    "INVALID TLV",
    "EVENT ERROR",
    "NOT SUPPORTED",
    "MEMORY ERROR",
    "INTERNAL ERROR",
];

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

    /// An LFB selector: class and instance, then its operation TLVs.
    fn lfb_select(&mut self, at: usize, len: u32, ops: u16, ind: i32) -> Step {
        let ib = indent(ind, false);
        let dlen = len - TLV_HEADER;
        if dlen <= 12 {
            out!(
                self.w,
                "\n\t\ttruncated lfb selector: {} bytes missing! ",
                12 - dlen
            );
            return Ok(false);
        }
        let mut left = dlen - 8;
        if !self.captured(at, 8) {
            return self.cut();
        }
        if self.v >= 3 {
            let (class, instance) = (u32_at(self.m, at)?, u32_at(self.m, at + 4)?);
            out!(
                self.w,
                "\n{ib}{}(Classid {class:x}) instance {instance:x}\n",
                name_or_number(LFBS, class)
            );
        }
        let mut p = at + 8;
        while left != 0 {
            let (t, tlen) = (u16_at(self.m, p)?, u32::from(u16_at(self.m, p + 2)?));
            if fits(tlen, left, TLV_HEADER) != 0 {
                break;
            }
            if op_valid(t, ops) {
                self.operation(p, t, tlen, ind + 1)?;
            } else {
                if self.v < 3 {
                    self.w.push(b'\n');
                }
                out!(
                    self.w,
                    "\t\tINValid oper-TLV type 0x{t:x} length {tlen} for this ForCES message\n"
                );
                self.invalid_operation(p, left, ind + 1)?;
            }
            p += align4(tlen) as usize;
            left -= align4(tlen);
        }
        if left != 0 {
            let t = u16_at(self.m, p)?;
            let tlen = u32::from(u16_at(self.m, p + 2)?);
            out!(
                self.w,
                "\n\t\tMessy oper TLV header, type (0x{t:x})\n\t\texcess of {} Bytes ",
                left.wrapping_sub(tlen)
            );
            return Ok(false);
        }
        Ok(true)
    }

    /// An operation TLV (its result is not looked at, as in tcpdump).
    fn operation(&mut self, p: usize, t: u16, len: u32, ind: i32) -> Res<()> {
        let (name, encodings, printer) = OPERATIONS
            .get(usize::from(t))
            .copied()
            .unwrap_or(OPERATIONS[0]);
        let data = p + TLV_HEADER as usize;
        let dlen = len - TLV_HEADER;
        if self.v >= 3 {
            out!(
                self.w,
                "{}Oper TLV {name}(0x{t:x}) length {len}\n",
                indent(ind, false)
            );
        }
        if dlen < 8 {
            out!(self.w, "\t\tOper TLV {name}(0x{t:x}) length {len}\n");
            out!(
                self.w,
                "\t\tTruncated data size {dlen} minimum required 8\n"
            );
            return self.invalid_operation(data, dlen, ind).map(drop);
        }
        match printer {
            OperPrinter::Invalid => self.invalid_operation(data, dlen, ind + 1).map(drop),
            OperPrinter::PathData => self
                .path_data_tlvs(data, dlen, encodings, ind + 1)
                .map(drop),
            OperPrinter::Generic => self.generic(data, dlen, encodings, ind + 1).map(drop),
            OperPrinter::Nothing => Ok(()),
        }
    }

    /// Bytes of an operation that cannot be decoded: in hex at `-vvv`.
    fn invalid_operation(&mut self, at: usize, len: u32, ind: i32) -> Step {
        if self.v >= 3 {
            let ib = indent(ind, true);
            out!(self.w, "{}Data[", &ib[1..]);
            self.hex(at, len, &ib)?;
            out!(self.w, "{ib}]\n");
        }
        Ok(false)
    }

    /// The operation TLV whose data is one TLV holding path data (RCommit).
    fn generic(&mut self, at: usize, len: u32, ops: u16, ind: i32) -> Step {
        let ib = indent(ind, false);
        let (t, tlen) = (u16_at(self.m, at)?, u32::from(u16_at(self.m, at + 2)?));
        let fit = fits(tlen, len, TLV_HEADER);
        out!(
            self.w,
            "genoptlvprint - {} TLV type 0x{t:x} len {tlen}\n",
            name_or_number(TLVS, t)
        );
        if fit != 0 {
            out!(self.w, "\t\t\tInvalid ForCES TLV type={t:x}");
            return Ok(false);
        }
        if !top_tlv_valid(t) {
            out!(self.w, "{} TLV type 0x{t:x} len {tlen}\n", FIT_ERRORS[fit]);
            return Ok(false);
        }
        if self.v >= 3 {
            out!(
                self.w,
                "{ib}{}, length {tlen} (data length {} Bytes)",
                name_or_number(TLVS, t),
                tlen - TLV_HEADER
            );
        }
        self.path_data(at + TLV_HEADER as usize, tlen - TLV_HEADER, ops, ind + 1)
    }

    /// A run of PATH-DATA TLVs filling `len` bytes.
    fn path_data_tlvs(&mut self, at: usize, mut len: u32, ops: u16, ind: i32) -> Step {
        if self.depth >= MAX_DEPTH {
            return Ok(false);
        }
        self.depth += 1;
        let done = self.path_data_tlvs_inner(at, &mut len, ops, ind);
        self.depth -= 1;
        done
    }

    fn path_data_tlvs_inner(&mut self, at: usize, len: &mut u32, ops: u16, ind: i32) -> Step {
        let mut p = at;
        while *len != 0 {
            let tlen = u32::from(u16_at(self.m, p + 2)?);
            if fits(tlen, *len, TLV_HEADER) != 0 {
                break;
            }
            let t = u16_at(self.m, p)?;
            if self.v >= 3 {
                out!(
                    self.w,
                    "{}{}, length {tlen} (data encapsulated {} Bytes)",
                    indent(ind, false),
                    name_or_number(TLVS, t),
                    tlen - TLV_HEADER
                );
            }
            if !self.path_data(p + TLV_HEADER as usize, tlen - TLV_HEADER, ops, ind + 1)? {
                return Ok(false);
            }
            p += align4(tlen) as usize;
            *len -= align4(tlen);
        }
        if *len != 0 {
            let t = u16_at(self.m, p)?;
            let tlen = u32::from(u16_at(self.m, p + 2)?);
            out!(
                self.w,
                "\n\t\tMessy PATHDATA TLV header, type (0x{t:x})\n\t\texcess of {} Bytes ",
                len.wrapping_sub(tlen)
            );
            return Ok(false);
        }
        Ok(true)
    }

    /// One path: its flags and IDs, then what follows them.
    fn path_data(&mut self, at: usize, len: u32, mut ops: u16, ind: i32) -> Step {
        let ib = indent(ind, false);
        if !self.captured(at, 4) || len < 4 {
            return self.cut();
        }
        let (flags, count) = (u16_at(self.m, at)?, u16_at(self.m, at + 2)?);
        if self.v >= 3 {
            out!(
                self.w,
                "\n{ib}Pathdata: Flags 0x{flags:x} ID count {count}\n"
            );
        }
        if flags & 1 != 0 {
            ops |= KEYED;
        }
        if flags & 2 != 0 {
            ops |= RANGE;
        }
        if flags & 4 != 0 {
            ops |= APPEND;
        }
        let (at, len) = (at + 4, len - 4);
        let need = u32::from(count) * 4;
        if len < need {
            out!(self.w, "\t\t\ttruncated IDs expected {need}B got {len}B\n");
            self.hex(at, len, "\t\t\tID Data[")?;
            self.w.extend_from_slice(b"]\n");
            return Ok(false);
        }
        if ops & RANGE != 0 && ops & KEYED != 0 {
            self.w
                .extend_from_slice(b"\t\t\tIllegal to have both Table ranges and keys\n");
            return Ok(false);
        }
        match self.path_ids(at, len, count, ops, ind)? {
            Some(more) if more > 0 => {
                self.path_data_tlvs(at + (len - more) as usize, more, ops, ind + 1)
            }
            // tcpdump's −1 from the IDs is not passed on.
            _ => Ok(true),
        }
    }

    /// The IDs of a path, its table range or key, then the one content
    /// TLV after them: what is left after it, `None` for tcpdump's −1.
    fn path_ids(
        &mut self,
        mut at: usize,
        mut len: u32,
        count: u16,
        ops: u16,
        ind: i32,
    ) -> Res<Option<u32>> {
        let ib = indent(ind, false);
        if ops & APPEND != 0 && self.v >= 3 {
            out!(self.w, "{ib}TABLE APPEND\n");
        }
        for i in 0..count {
            if !self.captured(at, 4) || len < 4 {
                self.cut()?;
                return Ok(None);
            }
            let id = u32_at(self.m, at)?;
            if self.v >= 3 {
                out!(self.w, "{ib}ID#{:02}: {id}\n", i + 1);
            }
            len -= 4;
            at += 4;
        }
        if ops & RANGE != 0 {
            if len < 12 {
                out!(self.w, "pathlength {len} with key/range too short 12\n");
                return Ok(None);
            }
            let (start, end) = (u32_at(self.m, at + 4)?, u32_at(self.m, at + 8)?);
            at += 12;
            len -= 12;
            if self.v >= 3 {
                out!(self.w, "{ib}Table range: [{start},{end}]\n");
            }
        }
        if ops & KEYED != 0 {
            if len < 12 {
                out!(self.w, "pathlength {len} with key/range too short 12\n");
                return Ok(None);
            }
            let key_len = u32::from(u16_at(self.m, at + 6)?);
            at += 8;
            len -= 8;
            if key_len < TLV_HEADER {
                out!(self.w, "key content length {key_len} < {TLV_HEADER}\n");
                return Ok(None);
            }
            let key_len = key_len - TLV_HEADER;
            if len < key_len {
                self.w.extend_from_slice(b"key content too short\n");
                return Ok(None);
            }
            at += key_len as usize;
            len -= key_len;
        }
        if len == 0 {
            return Ok(Some(0));
        }
        let (t, tlen) = (u16_at(self.m, at)?, u32::from(u16_at(self.m, at + 2)?));
        let fit = fits(tlen, len, TLV_HEADER);
        let named = if fit != 0 {
            out!(
                self.w,
                "{} Outstanding bytes {len} for TLV type 0x{t:x} TLV len {tlen}\n",
                FIT_ERRORS[fit]
            );
            None
        } else {
            let found = content(t);
            if found.is_none() {
                out!(
                    self.w,
                    "Invalid path data content type 0x{t:x} len {tlen}\n"
                );
            }
            found
        };
        let Some((name, encoding)) = named else {
            if tlen != 0 {
                self.hex(at, len, "Bad Data val\n\t  [")?;
                self.w.extend_from_slice(b"]\n");
                return Ok(None);
            }
            return Ok(Some(len));
        };
        let data_len = tlen - TLV_HEADER;
        // The TLV fits, so its padding is there.
        let pad = align4(tlen) - tlen;
        if self.v >= 3 && t != TLV_PATHDATA {
            if pad != 0 {
                out!(
                    self.w,
                    "{ib}  {name} (Length {tlen} DataLen {data_len} pad {pad} Bytes)\n"
                );
            } else {
                out!(
                    self.w,
                    "{ib}  {name} (Length {tlen} DataLen {data_len} Bytes)\n"
                );
            }
        }
        if t != TLV_PATHDATA {
            if ops & KEYED != 0 {
                if t != TLV_KEYINFO {
                    self.w
                        .extend_from_slice(b"Based on flags expected KEYINFO TLV!\n");
                }
            } else if ops & encoding == 0 {
                out!(
                    self.w,
                    "Illegal DATA encoding for type 0x{t:x} programmed {encoding:x} got {ops:x}\n"
                );
            }
        }
        let whole = tlen + pad;
        let done = match t {
            TLV_PATHDATA => self.path_data_tlvs(at, whole, ops, ind + 2)?,
            TLV_KEYINFO => self.key_info(at, whole, ind + 2)?,
            TLV_FULLDATA => self.full_data(at, whole, ind + 2)?,
            TLV_SPARSEDATA => self.sparse_data(at, whole, ind + 2)?,
            _ => self.result(at, whole, ind + 2)?,
        };
        if !done {
            return Ok(None);
        }
        Ok(Some(len - whole))
    }

    /// A RESULT TLV (header at `at`): one result code and padding.
    fn result(&mut self, at: usize, len: u32, ind: i32) -> Step {
        let dlen = len - TLV_HEADER;
        if dlen != 4 {
            out!(self.w, "illegal RESULT-TLV: {dlen} bytes!\n");
            return Ok(false);
        }
        if !self.captured(at + 4, 4) {
            return self.cut();
        }
        let code = u8_at(self.m, at + 4)?;
        if (0x18..=0xfe).contains(&code) {
            out!(self.w, "illegal reserved result code: 0x{code:x}!\n");
            return Ok(false);
        }
        if self.v >= 3 {
            let name = match code {
                0xff => "UNSPECIFIED ERROR",
                c => RESULTS[usize::from(c)],
            };
            out!(
                self.w,
                "{}  Result: {name} (code 0x{code:x})\n",
                indent(ind, false)
            );
        }
        Ok(true)
    }

    /// A FULLDATA TLV (header at `at`): its data in hex at `-vvv`.
    fn full_data(&mut self, at: usize, len: u32, ind: i32) -> Step {
        if !self.captured(at, 4) {
            return self.cut();
        }
        if u16_at(self.m, at)? != TLV_FULLDATA {
            self.w.extend_from_slice(b"Error: expecting FULLDATA!\n");
            return Ok(false);
        }
        if self.v >= 3 {
            let ib = indent(ind + 2, true);
            out!(self.w, "{}[", &ib[1..]);
            self.hex(at + 4, len.wrapping_sub(TLV_HEADER), &ib)?;
            out!(self.w, "\n{}]", &ib[1..]);
        }
        Ok(true)
    }

    /// A KEYINFO TLV (header at `at`): the key ID, then the key's data
    /// read as a FULLDATA TLV.
    fn key_info(&mut self, at: usize, len: u32, ind: i32) -> Step {
        let id = u32_at(self.m, at + 4)?;
        out!(self.w, "{}Keyinfo: Key 0x{id:x}\n", indent(ind, false));
        let (t, tlen) = (u16_at(self.m, at + 8)?, u32::from(u16_at(self.m, at + 10)?));
        let fit = fits(tlen, len, TLV_HEADER);
        if fit != 0 {
            out!(self.w, "{} TLV type 0x{t:x} len {tlen}\n", FIT_ERRORS[fit]);
            return Ok(false);
        }
        self.full_data(at + 12, tlen, ind)
    }

    /// A SPARSEDATA TLV (header at `at`): its ILVs.
    fn sparse_data(&mut self, at: usize, len: u32, ind: i32) -> Step {
        if !self.captured(at, 4) {
            return self.cut();
        }
        if u16_at(self.m, at)? != TLV_SPARSEDATA {
            self.w.extend_from_slice(b"Error: expecting SPARSEDATA!\n");
            return Ok(false);
        }
        let mut left = len - TLV_HEADER;
        if left < ILV_HEADER {
            self.w.extend_from_slice(b"Error: BAD SPARSEDATA-TLV!\n");
            return Ok(false);
        }
        let mut p = at + 4;
        let ib = indent(ind + 1, true);
        while left != 0 {
            let fit = if left < ILV_HEADER {
                1
            } else {
                fits(u32_at(self.m, p + 4)?, left, ILV_HEADER)
            };
            if fit != 0 {
                out!(self.w, "Error: {}, rlen {left}\n", FIT_ERRORS[fit]);
                return Ok(false);
            }
            let ilen = u32_at(self.m, p + 4)?;
            if self.v >= 3 {
                let t = u32_at(self.m, p)?;
                out!(self.w, "\n{} ILV: type {t:x} length {ilen}\n", &ib[1..]);
                self.hex(p + 8, ilen - ILV_HEADER, "\t\t[")?;
            }
            p += align4(ilen) as usize;
            left -= align4(ilen);
        }
        Ok(true)
    }

    /// An ASTreason TLV's data: why the association is torn down.
    fn teardown(&mut self, at: usize, len: u32, ind: i32) -> Step {
        let ib = indent(ind, false);
        let dlen = len - TLV_HEADER;
        if dlen != 4 {
            out!(self.w, "illegal ASTresult-TLV: {dlen} bytes!\n");
            return Ok(false);
        }
        let code = u32_at(self.m, at)?;
        if code > 255 {
            out!(self.w, "illegal ASTresult result code: {code}!\n");
            return Ok(false);
        }
        if self.v >= 3 {
            let reason = match code {
                0 => "Normal Teardown",
                1 => "Loss of Heartbeats",
                2 => "Out of bandwidth",
                3 => "Out of Memory",
                4 => "Application Crash",
                _ => "Unknown Teardown reason",
            };
            out!(self.w, "Teardown reason:\n{ib}{reason}({code:x})\n{ib}");
        }
        Ok(true)
    }

    /// An ASResult TLV's data: the answer to an association setup.
    fn setup_result(&mut self, at: usize, len: u32, ind: i32) -> Step {
        let ib = indent(ind, false);
        let dlen = len - TLV_HEADER;
        if dlen != 4 {
            out!(self.w, "illegal ASRresult-TLV: {dlen} bytes!\n");
            return Ok(false);
        }
        let code = u32_at(self.m, at)?;
        if code > 3 {
            out!(self.w, "illegal ASRresult result code: {code}!\n");
            return Ok(false);
        }
        if self.v >= 3 {
            let answer = match code {
                0 => "Success ",
                1 => "FE ID invalid ",
                2 => "permission denied ",
                _ => "Unknown ",
            };
            out!(self.w, "\n{ib}{answer}({code:x})\n{ib}");
        }
        Ok(true)
    }

    /// A REDIRECT TLV's data: METADATA and REDIRECTDATA TLVs.
    fn redirect(&mut self, at: usize, len: u32, ind: i32) -> Step {
        let dlen = len - TLV_HEADER;
        if dlen <= 8 {
            out!(
                self.w,
                "\n\t\ttruncated Redirect TLV: {} bytes missing! ",
                8 - dlen
            );
            return Ok(false);
        }
        let mut left = dlen;
        let mut p = at;
        let ind = ind + 1;
        while left != 0 {
            let (t, tlen) = (u16_at(self.m, p)?, u32::from(u16_at(self.m, p + 2)?));
            if fits(tlen, left, TLV_HEADER) != 0 {
                self.w.extend_from_slice(b"Bad Redirect data\n");
                break;
            }
            match t {
                TLV_METADATA => self.metadata(p + 4, tlen, ind)?,
                TLV_REDIRECTDATA => self.redirect_data(p + 4, tlen, ind)?,
                _ => out!(self.w, "Unknown REDIRECT TLV 0x{t:x} len {tlen}\n"),
            }
            p += align4(tlen) as usize;
            left -= align4(tlen);
        }
        if left != 0 {
            let t = u16_at(self.m, p)?;
            let tlen = u32::from(u16_at(self.m, p + 2)?);
            out!(
                self.w,
                "\n\t\tMessy Redirect TLV header, type (0x{t:x})\n\t\texcess of {} Bytes ",
                left.wrapping_sub(tlen)
            );
            return Ok(false);
        }
        Ok(true)
    }

    /// METADATA: its ILVs, each an ID and length (and data at `-vvv`).
    fn metadata(&mut self, at: usize, len: u32, ind: i32) -> Res<()> {
        let mut left = len - TLV_HEADER;
        out!(self.w, "\n{} METADATA length {left}\n", indent(ind, false));
        let mut p = at;
        while left != 0 {
            if left < ILV_HEADER {
                break;
            }
            let ilen = u32_at(self.m, p + 4)?;
            if fits(ilen, left, ILV_HEADER) != 0 {
                break;
            }
            let id = u32_at(self.m, p)?;
            out!(
                self.w,
                "{}MetaID 0x{id:x} length {ilen}\n",
                indent(ind + 1, false)
            );
            if self.v >= 3 {
                self.hex(p + 8, ilen - ILV_HEADER, "\t\t[")?;
                self.w.extend_from_slice(b" ]\n");
            }
            p += align4(ilen) as usize;
            left -= align4(ilen);
        }
        Ok(())
    }

    /// REDIRECTDATA: its length (and the redirected packet at `-vvv`).
    fn redirect_data(&mut self, at: usize, len: u32, ind: i32) -> Res<()> {
        let dlen = len - TLV_HEADER;
        out!(
            self.w,
            "\n{} Redirect Data length {dlen}\n",
            indent(ind, false)
        );
        if self.v >= 3 {
            self.w.extend_from_slice(b"\t\t[");
            self.hex(at, dlen, "\n\t\t")?;
            self.w.extend_from_slice(b"\n\t\t]");
        }
        Ok(())
    }
}

/// Whether operation `t` may appear where the operations `allowed` may
/// (vendor operations, 0x8000 and up, always may).
fn op_valid(t: u16, allowed: u16) -> bool {
    match t {
        0 => false,
        1..=14 => op(t) & allowed != 0,
        0x8000.. => true,
        _ => false,
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
