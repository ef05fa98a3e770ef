//! ForCES' LFB selectors and the operation TLVs under them: which
//! operations a message type allows, the LFB class and instance, each
//! operation's name and the path data it holds (`-vvv`), the operations
//! that are not allowed there and the ones too short, in hex.

use super::path::{FULLDATA, RESULT, SPARSEDATA};
use super::{
    FIT_ERRORS, Step, TLV_HEADER, TLVS, Walk, align4, fits, indent, name_or_number, op,
    top_tlv_valid,
};
use crate::dissect::ctl::out;
use crate::dissect::wire::{Res, u16_at, u32_at};

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

/// The LFB classes tcpdump names.
const LFBS: &[(u32, &str)] = &[(0, "Invalid TLV"), (1, "FEObj LFB"), (2, "FEProtoObj LFB")];

impl Walk<'_> {
    /// An LFB selector: class and instance, then its operation TLVs.
    pub(super) fn lfb_select(&mut self, at: usize, len: u32, ops: u16, ind: i32) -> Step {
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
    pub(super) fn operation(&mut self, p: usize, t: u16, len: u32, ind: i32) -> Res<()> {
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
    pub(super) fn invalid_operation(&mut self, at: usize, len: u32, ind: i32) -> Step {
        if self.v >= 3 {
            let ib = indent(ind, true);
            out!(self.w, "{}Data[", &ib[1..]);
            self.hex(at, len, &ib)?;
            out!(self.w, "{ib}]\n");
        }
        Ok(false)
    }

    /// The operation TLV whose data is one TLV holding path data (RCommit).
    pub(super) fn generic(&mut self, at: usize, len: u32, ops: u16, ind: i32) -> Step {
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
