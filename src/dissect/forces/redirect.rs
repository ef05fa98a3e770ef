//! ForCES' Packet Redirect: the REDIRECT TLV's METADATA (each ILV's ID
//! and length, its data in hex at `-vvv`) and REDIRECTDATA (its length,
//! the redirected packet in hex at `-vvv`).

use super::{
    ILV_HEADER, Step, TLV_HEADER, TLV_METADATA, TLV_REDIRECTDATA, Walk, align4, fits, indent,
};
use crate::dissect::ctl::out;
use crate::dissect::wire::{Res, u16_at, u32_at};

impl Walk<'_> {
    /// A REDIRECT TLV's data: METADATA and REDIRECTDATA TLVs.
    pub(super) fn redirect(&mut self, at: usize, len: u32, ind: i32) -> Step {
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
    pub(super) fn metadata(&mut self, at: usize, len: u32, ind: i32) -> Res<()> {
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
    pub(super) fn redirect_data(&mut self, at: usize, len: u32, ind: i32) -> Res<()> {
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
