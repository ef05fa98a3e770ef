//! ForCES' association TLVs: the reason an association is torn down
//! (ASTreason) and the answer to a setup (ASResult), named at `-vvv`,
//! their wrong lengths and codes at every level.

use super::{Step, TLV_HEADER, Walk, indent};
use crate::dissect::ctl::out;
use crate::dissect::wire::u32_at;

impl Walk<'_> {
    /// An ASTreason TLV's data: why the association is torn down.
    pub(super) fn teardown(&mut self, at: usize, len: u32, ind: i32) -> Step {
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
    pub(super) fn setup_result(&mut self, at: usize, len: u32, ind: i32) -> Step {
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
}
