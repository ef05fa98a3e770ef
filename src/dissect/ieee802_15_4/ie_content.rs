//! What tcpdump 4.99 decodes inside IEs at `-vvvv` (its `ndo_vflag > 3`),
//! where lower levels print the data in hex: the header IEs CSL, RIT,
//! (extended) DSME PAN descriptor, rendezvous time, time correction and
//! the vendor-specific one; the payload IE groups vendor-specific
//! (nested), 802.15.9 multiplexed and IETF (the MLME group's nested list
//! is `mlme.rs`'s). The other IEs keep `IE Data = ` and the bytes.
//!
//! Each decoder is handed where the IE's data starts and its length as
//! the IE header says (which the list checked against the frame). Some
//! of tcpdump's fields are read past that length, where the frame or the
//! capture may still hold bytes: those reads go to the captured bytes, a
//! read past them is tcpdump's `longjmp`. Values a single `printf` of
//! tcpdump prints together are read before any is printed, so a cut
//! leaves that piece out whole, as tcpdump's does.

use super::super::ctl::out;
use super::super::wire::{Res, u8_at, u16_le_at, uint_le_at};
use super::Frame;

impl Frame<'_, '_> {
    /// `IE Data = ` and `n` bytes from `at`: an IE tcpdump does not
    /// decode.
    pub(super) fn ie_hex(&mut self, at: usize, n: usize) -> Res<()> {
        self.put("IE Data = ");
        self.hex_bytes(at, n)
    }

    /// The content of header IE `id`, `len` (not 0) bytes at `at`.
    pub(super) fn header_ie_content(&mut self, id: u8, at: usize, len: usize) -> Res<()> {
        match id {
            0x00 => self.vendor_content(at, len),
            0x1a => self.csl(at, len),
            0x1b => self.rit(at, len),
            0x1c => self.dsme_pan_descriptor(false, at, len),
            0x21 => self.dsme_pan_descriptor(true, at, len),
            0x1d => self.rendezvous_time(at, len),
            0x1e => self.time_correction(at, len),
            _ => self.ie_hex(at, len),
        }
    }

    /// The content of payload IE group `group`, `len` (not 0) bytes at
    /// `at`.
    pub(super) fn payload_ie_content(&mut self, group: u16, at: usize, len: usize) -> Res<()> {
        match group {
            1 => self.mlme_list(at, len),
            2 => self.vendor_content(at, len),
            3 => self.multiplexed(at, len),
            5 => self.ietf(at, len),
            _ => self.ie_hex(at, len),
        }
    }

    /// A vendor-specific IE (header, payload group or MLME sub-IE): the
    /// OUI's three bytes as one hex number, then the rest in hex.
    pub(super) fn vendor_content(&mut self, at: usize, len: usize) -> Res<()> {
        if len < 3 {
            self.put("[ERROR: Vendor OUI missing]");
            return Ok(());
        }
        let oui = super::super::wire::bytes_at::<3>(self.m, at)?;
        out!(
            self.w,
            "OUI = 0x{:02x}{:02x}{:02x}, Data = ",
            oui[0],
            oui[1],
            oui[2]
        );
        self.hex_bytes(at + 3, len - 3)
    }

    /// The coordinated sampled listening IE: phase and period, the
    /// rendezvous time when 6 bytes hold it; another length than 4 or 6
    /// is said after what was printed.
    fn csl(&mut self, at: usize, len: usize) -> Res<()> {
        if len < 4 {
            self.put("[ERROR: Truncated CSL IE]");
            return Ok(());
        }
        let (phase, period) = (u16_le_at(self.m, at)?, u16_le_at(self.m, at + 2)?);
        out!(self.w, "CSL Phase = {phase}, CSL Period = {period}");
        if len >= 6 {
            let time = u16_le_at(self.m, at + 4)?;
            out!(self.w, ", Rendezvous time = {time}");
        }
        if len != 4 && len != 6 {
            self.put(" [ERROR: CSL IE length wrong]");
        }
        Ok(())
    }

    /// The receiver initiated transmission IE (any length from 4 on).
    fn rit(&mut self, at: usize, len: usize) -> Res<()> {
        if len < 4 {
            self.put("[ERROR: Truncated RIT IE]");
            return Ok(());
        }
        let (first, repeat) = (u8_at(self.m, at)?, u8_at(self.m, at + 1)?);
        let interval = u16_le_at(self.m, at + 2)?;
        out!(
            self.w,
            "Time to First Listen = {first}, # of Repeat Listen = {repeat}, Repeat Listen Interval = {interval}"
        );
        Ok(())
    }

    /// The rendezvous time IE: exactly 4 bytes (tcpdump's message says 2).
    fn rendezvous_time(&mut self, at: usize, len: usize) -> Res<()> {
        if len != 4 {
            self.put("[ERROR: Length != 2]");
            return Ok(());
        }
        let (time, interval) = (u16_le_at(self.m, at)?, u16_le_at(self.m, at + 2)?);
        out!(
            self.w,
            "Rendezvous time = {time}, Wake-up Interval = {interval}"
        );
        Ok(())
    }

    /// The time correction IE: a sign bit (`Negative `) apart from a
    /// 12-bit two's complement correction, both printed.
    fn time_correction(&mut self, at: usize, len: usize) -> Res<()> {
        if len != 2 {
            self.put("[ERROR: Length != 2]");
            return Ok(());
        }
        let word = u16_le_at(self.m, at)?;
        if word & 0x8000 != 0 {
            self.put("Negative ");
        }
        // The low 12 bits as a signed number: bit 11 is their sign.
        let correction = ((word << 4) as i16) >> 4;
        out!(self.w, "Ack time correction = {correction}, ");
        Ok(())
    }

    /// The DSME PAN descriptor IE and its extended form (a 2-byte DSME
    /// superframe specification instead of 1, which may announce a
    /// hopping sequence): superframe specification, pending addresses,
    /// DSME superframe specification, time synchronization, beacon
    /// bitmap, channel hopping; each part checked against the IE's
    /// length before it is printed, the first that does not fit ends it
    /// with tcpdump's error.
    fn dsme_pan_descriptor(&mut self, extended: bool, at: usize, len: usize) -> Res<()> {
        if len < 2 {
            self.put("[ERROR: Truncated DSME PAN IE]");
            return Ok(());
        }
        let ss = u16_le_at(self.m, at)?;
        self.superframe(ss);
        if len < 3 {
            self.put("[ERROR: Truncated before pending addresses field]");
            return Ok(());
        }
        let mut ptr = 2;
        let Some(n) = self.pending_addresses(at + ptr, len - ptr)? else {
            return Ok(());
        };
        ptr += n;
        let Some((n, hopping)) = self.dsme_superframe(extended, at + ptr, len - ptr)? else {
            return Ok(());
        };
        ptr += n;
        if len < ptr + 8 {
            self.put(" [ERROR: Truncated before Time synchronization specification]");
            return Ok(());
        }
        let timestamp = uint_le_at::<6>(self.m, at + ptr)?;
        let offset = u16_le_at(self.m, at + ptr + 6)?;
        out!(self.w, "Beacon timestamp = {timestamp}, offset = {offset}");
        ptr += 8;
        if len < ptr + 4 {
            self.put(" [ERROR: Truncated before Beacon Bitmap]");
            return Ok(());
        }
        let (index, bits) = (
            u16_le_at(self.m, at + ptr)?,
            u16_le_at(self.m, at + ptr + 2)?,
        );
        out!(self.w, "SD Index = {index}, Bitmap len = {bits}, ");
        ptr += 4;
        let bits = usize::from(bits);
        if len < ptr + bits {
            self.put(" [ERROR: Truncated in SD bitmap]");
            return Ok(());
        }
        self.put(" SD Bitmap = ");
        self.hex_bytes(at + ptr, bits)?;
        ptr += bits;
        // The channel hopping part is 5 bytes to tcpdump, which reads
        // its bitmap's 2-byte length from the fifth and steps over 5.
        if len < ptr + 5 {
            self.put(" [ERROR: Truncated before Channel hopping specification]");
            return Ok(());
        }
        let (sequence, bsn) = (u8_at(self.m, at + ptr)?, u8_at(self.m, at + ptr + 1)?);
        let offset = u16_le_at(self.m, at + ptr + 2)?;
        let bits = u16_le_at(self.m, at + ptr + 4)?;
        out!(
            self.w,
            "Hopping Seq ID = {sequence}, PAN Coordinator BSN = {bsn}, Channel offset = {offset}, Bitmap length = {bits}, "
        );
        ptr += 5;
        let bits = usize::from(bits);
        if len < ptr + bits {
            self.put(" [ERROR: Truncated in Channel offset bitmap]");
            return Ok(());
        }
        self.put(" Channel offset bitmap = ");
        self.hex_bytes(at + ptr, bits)?;
        ptr += bits;
        if hopping {
            if len < ptr + 1 {
                self.put(" [ERROR: Truncated in Hopping Sequence length]");
                return Ok(());
            }
            let channels = usize::from(u8_at(self.m, at + ptr)?);
            ptr += 1;
            out!(self.w, "Hopping Seq length = {channels} [ ");
            // tcpdump's error names the bitmap here too.
            if len < ptr + channels * 2 {
                self.put(" [ERROR: Truncated in Channel offset bitmap]");
                return Ok(());
            }
            self.channel_list(at + ptr, channels)?;
        }
        Ok(())
    }

    /// The DSME superframe specification at `at`, `left` bytes of the IE
    /// there: its length and whether it announces a hopping sequence,
    /// `None` after tcpdump's error.
    fn dsme_superframe(
        &mut self,
        extended: bool,
        at: usize,
        left: usize,
    ) -> Res<Option<(usize, bool)>> {
        let n = if extended { 2 } else { 1 };
        if left < n {
            self.put("[ERROR: Truncated before DSME Superframe Specification]");
            return Ok(None);
        }
        // The extended form's field is the short form's shifted up a
        // nibble, with the hopping sequence bit above it.
        let (order, bits) = if extended {
            let ss = u16_le_at(self.m, at)?;
            (ss & 0xff, ss >> 4)
        } else {
            let ss = u16::from(u8_at(self.m, at)?);
            (ss & 0x0f, ss)
        };
        out!(self.w, "Multi-superframe Order = {order}");
        self.put(if bits & 0x10 != 0 {
            ", Channel hopping mode"
        } else {
            ", Channel adaptation mode"
        });
        if bits & 0x40 != 0 {
            self.put(", CAP reduction enabled");
        }
        if bits & 0x80 != 0 {
            self.put(", Deferred beacon enabled");
        }
        let hopping = extended && bits & 0x100 != 0;
        if hopping {
            self.put(", Hopping Sequence Present");
        }
        Ok(Some((n, hopping)))
    }

    /// `n` channels of two bytes each from `at`, each `%02x ` (more
    /// digits when it needs them), then `]`.
    pub(super) fn channel_list(&mut self, at: usize, n: usize) -> Res<()> {
        for i in 0..n {
            let channel = u16_le_at(self.m, at + i * 2)?;
            out!(self.w, "{channel:02x} ");
        }
        self.put("]");
        Ok(())
    }

    /// An 802.15.9 multiplexed IE: its transaction control byte's
    /// transfer type and id, the fields of that type, then the upper
    /// layer's bytes in hex (none after an abort or an error).
    fn multiplexed(&mut self, at: usize, len: usize) -> Res<()> {
        let control = u8_at(self.m, at)?;
        let (kind, tid) = (control & 7, control >> 3);
        let start = match kind {
            0 => {
                self.put("Type = Full upper layer fragment, ");
                if len < 3 {
                    self.put("[ERROR: Multiplex ID missing]");
                    return Ok(());
                }
                let id = u16_le_at(self.m, at + 1)?;
                out!(self.w, "tid = 0x{tid:02x}, Multiplex ID = 0x{id:04x}, ");
                3
            }
            1 => {
                // The small form's id is the transaction id's bits.
                out!(
                    self.w,
                    "Type = Full upper layer fragment with small Multiplex ID, Multiplex ID = 0x{tid:04x}, "
                );
                1
            }
            2 | 4 => {
                if len < 2 {
                    self.put("[ERROR: fragment number missing]");
                    return Ok(());
                }
                let number = u8_at(self.m, at + 1)?;
                let name = match (kind, number) {
                    (4, _) => "Last fragment",
                    (_, 0) => "First fragment",
                    _ => "Middle fragment",
                };
                out!(
                    self.w,
                    "Type = {name}, tid = 0x{tid:02x}, fragment = 0x{number:02x}, "
                );
                if number != 0 {
                    2
                } else {
                    // Fragment 0 carries the total size and the id, of a
                    // last fragment too.
                    if len < 6 {
                        self.put("[ERROR: Total upper layer size or multiplex ID missing]");
                        return Ok(());
                    }
                    let (size, id) = (u16_le_at(self.m, at + 2)?, u16_le_at(self.m, at + 4)?);
                    out!(
                        self.w,
                        "Total upper layer size = 0x{size:04x}, Multiplex ID = 0x{id:04x}, "
                    );
                    6
                }
            }
            6 => return self.multiplexed_abort(tid, at, len),
            _ => {
                out!(self.w, "Type = {kind} (Reserved), tid = 0x{tid:02x}, ");
                1
            }
        };
        self.put("Upper layer data = ");
        self.hex_bytes(at + start, len.saturating_sub(start))
    }

    /// A multiplexed IE's abort: 1 byte, 3 with a maximum size, another
    /// length said with the bytes after the control byte.
    fn multiplexed_abort(&mut self, tid: u8, at: usize, len: usize) -> Res<()> {
        match len {
            1 => out!(self.w, "Type = Abort, tid = 0x{tid:02x}, no max size given"),
            3 => {
                let max = u16_le_at(self.m, at + 1)?;
                out!(
                    self.w,
                    "Type = Abort, tid = 0x{tid:02x}, max size = 0x{max:04x}"
                );
            }
            _ => {
                out!(
                    self.w,
                    "Type = Abort, tid = 0x{tid:02x}, invalid length = {len} (not 1 or 3)Abort data = "
                );
                self.hex_bytes(at + 1, len - 1)?;
            }
        }
        Ok(())
    }

    /// An IETF IE: its subtype id and the rest in hex.
    fn ietf(&mut self, at: usize, len: usize) -> Res<()> {
        let subtype = u8_at(self.m, at)?;
        out!(self.w, "Subtype ID = 0x{subtype:02x}, Subtype content = ");
        self.hex_bytes(at + 1, len - 1)
    }
}
