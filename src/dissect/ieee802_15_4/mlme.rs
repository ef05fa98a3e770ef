//! The MLME payload IE's nested IEs (802.15.4-2015 7.4.4) as tcpdump 4.99
//! prints them at `-vvvv`: each by name (short form ids from Table 7-16,
//! long form ones from Table 7-17) with its length, and the contents of
//! the TSCH synchronization, slotframe and link, and timeslot IEs, the
//! channel hopping and vendor-specific ones; the others' data in hex.

use super::super::ctl::out;
use super::super::wire::{Res, u8_at, u16_le_at, u32_le_at, uint_le_at};
use super::Frame;
use std::borrow::Cow;

/// Short form sub-ids tcpdump names from 0x1a; below 0x10 its table says
/// they are the long form's, the rest up to 0x7f are `Reserved 0xNN`.
const SHORT_NAMES: &[&str] = &[
    "TSCH Synchronization IE",
    "TSCH Slotframe and Link IE",
    "TSCH Timeslot IE",
    "Hopping timing IE",
    "Enhanced Beacon Filter IE",
    "MAC Metrics IE",
    "All MAC Metrics IE",
    "Coexistence Specification IE",
    "SUN Device Capabilities IE",
    "SUN FSK Generic PHY IE",
    "Mode Switch Parameter IE",
    "PHY Parameter Change IE",
    "O-QPSK PHY Mode IE",
    "PCA Allocation IE",
    "LECIM DSSS Operating Mode IE",
    "LECIM FSK Operating Mode IE",
    "Reserved 0x2a",
    "TVWS PHY Operating Mode Description IE",
    "TVWS Device Capabilities IE",
    "TVWS Device Category IE",
    "TVWS Device Identiication IE",
    "TVWS Device Location IE",
    "TVWS Channel Information Query IE",
    "TVWS Channel Information Source IE",
    "CTM IE",
    "Timestamp IE",
    "Timestamp Difference IE",
    "TMCTP Specification IE",
    "RCC PHY Operating Mode IE",
];

/// The first short form sub-id `SHORT_NAMES` names.
const FIRST_SHORT: u8 = 0x1a;

/// The channel hopping IE's error for a part past the IE (tcpdump puts a
/// space before it after the hopping sequence's length only).
const HOPPING_CUT: &str = "[ERROR: IE truncated]";

/// The link option bits of a TSCH link, in tcpdump's order.
const LINK_OPTIONS: &[(u8, &str)] = &[
    (0x01, "TX "),
    (0x02, "RX "),
    (0x04, "Shared "),
    (0x08, "Timekeeping "),
    (0x10, "Priority "),
];

/// The field names of a full TSCH timeslot IE after its id.
const TIMESLOT_FIELDS: [&str; 12] = [
    "CCA Offset",
    "CCA",
    "TX Offset",
    "RX Offset",
    "RX Ack Delay",
    "TX Ack Delay",
    "RX Wait",
    "Ack Wait",
    "RX TX",
    "Max Ack",
    "Max TX",
    "Time slot Length",
];

/// A sub-IE's name from its form and sub-id (also `--json`'s).
pub(super) fn mlme_name(long: bool, id: u8) -> Cow<'static, str> {
    match (long, id) {
        (true, 0x08) => "Vendor Specific MLME Nested IE".into(),
        (true, 0x09) => "Channel Hopping IE".into(),
        (false, 0..=0x0f) => format!("Reserved for long format 0x{id:x}").into(),
        (false, FIRST_SHORT..) => match SHORT_NAMES.get(usize::from(id - FIRST_SHORT)) {
            Some(name) => (*name).into(),
            None => format!("Reserved 0x{id:02x}").into(),
        },
        _ => format!("Reserved 0x{id:02x}").into(),
    }
}

impl Frame<'_, '_> {
    /// A sub-IE's name from its form and sub-id.
    fn put_mlme_name(&mut self, long: bool, id: u8) {
        self.put(&mlme_name(long, id));
    }

    /// The nested IEs of an MLME IE of `len` bytes at `at`: each sub-IE's
    /// header and data must fit in what is left of the IE, or the list
    /// ends with tcpdump's error; so does a byte too few for a header.
    pub(super) fn mlme_list(&mut self, mut at: usize, len: usize) -> Res<()> {
        let mut left = len;
        loop {
            if left < 2 {
                self.put("[ERROR: Truncated MLME IE]");
                return Ok(());
            }
            let ie = u16_le_at(self.m, at)?;
            let long = ie >> 15 != 0;
            let (n, id) = if long {
                (ie & 0x3ff, (ie >> 11 & 0x0f) as u8)
            } else {
                (ie & 0xff, (ie >> 8 & 0x7f) as u8)
            };
            at += 2;
            self.put("\n\t\t");
            self.put_mlme_name(long, id);
            out!(self.w, " [ length = {n}, ");
            let n = usize::from(n);
            if left < 2 + n {
                self.put("[ERROR: Truncated IE data]");
                return Ok(());
            }
            if n != 0 {
                self.mlme_content(id, at, n)?;
            }
            self.put("] ");
            at += n;
            left -= 2 + n;
            if left == 0 {
                return Ok(());
            }
        }
    }

    /// A sub-IE's content, `len` (not 0) bytes at `at`. tcpdump tells the
    /// decoders by sub-id alone, whatever the form (the short form's ids
    /// 8 and 9 are decoded as the long form's).
    fn mlme_content(&mut self, id: u8, at: usize, len: usize) -> Res<()> {
        match id {
            0x08 => self.vendor_content(at, len),
            0x09 => self.channel_hopping(at, len),
            0x1a => self.tsch_synchronization(at, len),
            0x1b => self.slotframes(at, len),
            0x1c => self.timeslot(at, len),
            _ => self.ie_hex(at, len),
        }
    }

    /// The TSCH synchronization IE: the 5-byte ASN and the join metric,
    /// read even from a shorter IE after its error (from the bytes that
    /// follow it).
    fn tsch_synchronization(&mut self, at: usize, len: usize) -> Res<()> {
        if len < 6 {
            self.put("[ERROR: Length != 6]");
        }
        let asn = uint_le_at::<5>(self.m, at)?;
        let metric = u8_at(self.m, at + 5)?;
        out!(self.w, "ASN = {asn:010x}, Join Metric = {metric} ");
        Ok(())
    }

    /// The TSCH slotframe and link IE: the slotframe count, then each
    /// slotframe's handle, size and links. A slotframe or link past the
    /// IE prints an error and ends its loop only: the next slotframe is
    /// tried at the same place (each try is bounded by the counts).
    fn slotframes(&mut self, at: usize, len: usize) -> Res<()> {
        let count = u8_at(self.m, at)?;
        out!(self.w, "Slotframes = {count} ");
        let mut off = 1;
        for _ in 0..count {
            if len < off + 4 {
                self.put("[ERROR: Truncated IE before slotframes]");
                break;
            }
            let links = u8_at(self.m, at + off + 3)?;
            let (handle, size) = (u8_at(self.m, at + off)?, u16_le_at(self.m, at + off + 1)?);
            out!(
                self.w,
                "\n\t\t\t[ Handle {handle}, size = {size}, links = {links} "
            );
            off += 4;
            for _ in 0..links {
                if len < off + 5 {
                    self.put("[ERROR: Truncated IE links]");
                    break;
                }
                let options = u8_at(self.m, at + off + 4)?;
                let (slot, offset) = (
                    u16_le_at(self.m, at + off)?,
                    u16_le_at(self.m, at + off + 2)?,
                );
                // Two spaces after `=`: tcpdump's.
                out!(
                    self.w,
                    "\n\t\t\t\t[ Timeslot =  {slot}, Offset = {offset}, Options = "
                );
                for &(bit, name) in LINK_OPTIONS {
                    if options & bit != 0 {
                        self.put(name);
                    }
                }
                off += 5;
                self.put("] ");
            }
            self.put("] ");
        }
        Ok(())
    }

    /// The TSCH timeslot IE: its id alone (1 byte), or all its timings,
    /// 2 bytes each (25 bytes) or the last two 3 bytes each (27); another
    /// length prints its data in hex on a line of its own.
    fn timeslot(&mut self, at: usize, len: usize) -> Res<()> {
        let wide = match len {
            1 => {
                let id = u8_at(self.m, at)?;
                out!(self.w, "Time slot ID = {id} ");
                return Ok(());
            }
            25 => false,
            27 => true,
            _ => {
                self.put("[ERROR: Length not 1, 25, or 27]\n\t\t\tIE Data = ");
                return self.hex_bytes(at, len);
            }
        };
        let id = u8_at(self.m, at)?;
        let mut values = [0u64; 12];
        let mut pos = at + 1;
        for (i, v) in values.iter_mut().enumerate() {
            let three = wide && i >= 10;
            *v = if three {
                uint_le_at::<3>(self.m, pos)?
            } else {
                u64::from(u16_le_at(self.m, pos)?)
            };
            pos += if three { 3 } else { 2 };
        }
        out!(self.w, "Time slot ID = {id}");
        for (name, v) in TIMESLOT_FIELDS.iter().zip(values) {
            out!(self.w, ", {name} = {v}");
        }
        self.put(" ");
        Ok(())
    }

    /// The channel hopping IE: the hopping sequence id alone, or with the
    /// channel page, channel count, PHY configuration, the extended
    /// bitmap (pages 9 and 10), the hopping sequence and the current hop;
    /// the first part past the IE ends it with tcpdump's error.
    fn channel_hopping(&mut self, at: usize, len: usize) -> Res<()> {
        let id = u8_at(self.m, at)?;
        out!(self.w, "Hopping Sequence ID = {id}");
        if len == 1 {
            return Ok(());
        }
        let (mut at, mut left) = (at + 1, len - 1);
        if left < 7 {
            self.put(HOPPING_CUT);
            return Ok(());
        }
        let page = u8_at(self.m, at)?;
        let channels = u16_le_at(self.m, at + 1)?;
        out!(
            self.w,
            "Channel Page = {page}, Number of Channels = {channels}, "
        );
        let phy = u32_le_at(self.m, at + 3)?;
        out!(self.w, "Phy Configuration = 0x{phy:08x}, ");
        (at, left) = (at + 7, left - 7);
        if page == 9 || page == 10 {
            // A bit a channel.
            let n = usize::from(channels).div_ceil(8);
            if left < n {
                self.put(HOPPING_CUT);
                return Ok(());
            }
            self.put("Extended bitmap = 0x");
            for i in 0..n {
                let b = u8_at(self.m, at + i)?;
                out!(self.w, "{b:02x}");
            }
            self.put(", ");
            (at, left) = (at + n, left - n);
        }
        if left < 2 {
            self.put(HOPPING_CUT);
            return Ok(());
        }
        let hops = usize::from(u16_le_at(self.m, at)?);
        (at, left) = (at + 2, left - 2);
        out!(self.w, "Hopping Seq length = {hops} [ ");
        if left < hops * 2 {
            self.put(" ");
            self.put(HOPPING_CUT);
            return Ok(());
        }
        self.channel_list(at, hops)?;
        (at, left) = (at + hops * 2, left - hops * 2);
        if left < 2 {
            self.put(HOPPING_CUT);
            return Ok(());
        }
        let hop = u16_le_at(self.m, at)?;
        out!(self.w, "Current hop = {hop}");
        Ok(())
    }
}
