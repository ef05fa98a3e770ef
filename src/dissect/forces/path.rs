//! ForCES path data: a path's flags and IDs, its table range or key,
//! then the content TLV after them — FULLDATA and SPARSEDATA (in hex at
//! `-vvv`), RESULT codes, KEYINFO, or an inner PATH-DATA TLV, which
//! recurses (bounded by [`MAX_DEPTH`]). Errors are printed at every level.

use super::{
    FIT_ERRORS, ILV_HEADER, Step, TLV_FULLDATA, TLV_HEADER, TLV_KEYINFO, TLV_PATHDATA, TLV_RESULT,
    TLV_SPARSEDATA, TLVS, Walk, align4, fits, indent, name_or_number,
};
use crate::dissect::ctl::out;
use crate::dissect::wire::{Res, u8_at, u16_at, u32_at};

/// How deep the path-data recursion may go (a level takes at least eight
/// bytes, so no real message comes near it); past it a branch fails.
const MAX_DEPTH: u32 = 256;

// The data encodings an operation allows, and the path flags, in the
// same mask (tcpdump shares one 16-bit word for both).
pub(super) const FULLDATA: u16 = 0x1;
pub(super) const SPARSEDATA: u16 = 0x2;
pub(super) const RESULT: u16 = 0x4;
pub(super) const KEYED: u16 = 0x8;
pub(super) const APPEND: u16 = 0x10;
pub(super) const RANGE: u16 = 0x20;

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

/// The result codes 0–23 (0xff is UNSPECIFIED ERROR).
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

impl Walk<'_> {
    /// A run of PATH-DATA TLVs filling `len` bytes.
    pub(super) fn path_data_tlvs(&mut self, at: usize, mut len: u32, ops: u16, ind: i32) -> Step {
        if self.depth >= MAX_DEPTH {
            return Ok(false);
        }
        self.depth += 1;
        let done = self.path_data_tlvs_inner(at, &mut len, ops, ind);
        self.depth -= 1;
        done
    }

    pub(super) fn path_data_tlvs_inner(
        &mut self,
        at: usize,
        len: &mut u32,
        ops: u16,
        ind: i32,
    ) -> Step {
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
    pub(super) fn path_data(&mut self, at: usize, len: u32, mut ops: u16, ind: i32) -> Step {
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
    pub(super) fn path_ids(
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
    pub(super) fn result(&mut self, at: usize, len: u32, ind: i32) -> Step {
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
    pub(super) fn full_data(&mut self, at: usize, len: u32, ind: i32) -> Step {
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
    pub(super) fn key_info(&mut self, at: usize, len: u32, ind: i32) -> Step {
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
    pub(super) fn sparse_data(&mut self, at: usize, len: u32, ind: i32) -> Step {
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
}
