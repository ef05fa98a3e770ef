//! What a beacon and a MAC command carry (7.3.1, 7.5), as tcpdump prints
//! them: `-v`'s superframe specification, GTS count and pending-address
//! counts, `-vv`'s GTS descriptors and address lists; a command's name
//! and the fields of the ones it decodes. The bytes it does not decode
//! follow in the default print.

use super::super::ctl::out;
use super::super::wire::{Res, u8_at, u16_le_at};
use super::Frame;

/// MAC command names (Table 7-49), by id; `Reserved 0xNN` elsewhere
/// below 0x30.
const COMMANDS: &[(u8, &str)] = &[
    (0x01, "Association Request command"),
    (0x02, "Association Response command"),
    (0x03, "Disassociation Notification command"),
    (0x04, "Data Request command"),
    (0x05, "PAN ID Conflict Notification command"),
    (0x06, "Orphan Notification command"),
    (0x07, "Beacon Request command"),
    (0x08, "Coordinator realignment command"),
    (0x09, "GTS request command"),
    (0x0a, "TRLE Management Request command"),
    (0x0b, "TRLE Management Response command"),
    (0x13, "DSME Association Request command"),
    (0x14, "DSME Association Response command"),
    (0x15, "DSME GTS Request command"),
    (0x16, "DSME GTS Response command"),
    (0x17, "DSME GTS Notify command"),
    (0x18, "DSME Information Request command"),
    (0x19, "DSME Information Response command"),
    (0x1a, "DSME Beacon Allocation Notification command"),
    (0x1b, "DSME Beacon Collision Notification command"),
    (0x1c, "DSME Link Report command"),
    (0x20, "RIT Data Request command"),
    (0x21, "DBS Request command"),
    (0x22, "DBS Response command"),
    (0x23, "RIT Data Response command"),
    (0x24, "Vendor Specific command"),
];

/// The association status words of an Association Response.
const ASSOCIATION_STATUS: &[(u8, &str)] = &[
    (0x00, "Association successful"),
    (0x01, "PAN at capacity"),
    (0x02, "PAN access denied"),
    (0x03, "Hooping sequence offset duplication"),
    (0x80, "Fast association successful"),
];

/// The capability bits of an Association Request after the device type.
const CAPABILITIES: &[(u8, &str)] = &[
    (0x04, "AC powered, "),
    (0x08, "Receiver on when idle, "),
    (0x10, "Fast association, "),
    (0x40, "Security supported, "),
    (0x80, "Allocate address, "),
];

/// A command's name, `None` for a reserved id.
pub(super) fn command_name(id: u8) -> Option<&'static str> {
    COMMANDS.iter().find(|(k, _)| *k == id).map(|(_, n)| *n)
}

impl Frame<'_, '_> {
    /// A beacon's payload: before version 2 its superframe specification,
    /// GTS fields and pending addresses, then the default print of the
    /// rest (none after an error in them).
    pub(super) fn beacon(&mut self, version: u16) -> Res<()> {
        if version < 2 {
            if self.left < 2 {
                self.put("[ERROR: Truncated before beacon information]");
                return Ok(());
            }
            let ss = u16_le_at(self.m, self.at)?;
            self.superframe(ss);
            self.skip(2);
            if self.left < 1 {
                self.put("[ERROR: Truncated before GTS info]");
                return Ok(());
            }
            let Some(len) = self.gts()? else {
                return Ok(());
            };
            self.skip(len);
            if self.left < 1 {
                self.put("[ERROR: Truncated before pending addresses]");
                return Ok(());
            }
            let Some(len) = self.pending_addresses(self.at, self.left)? else {
                return Ok(());
            };
            super::super::wire::need(self.m, self.at, len)?;
            self.skip(len);
        }
        self.default_print()
    }

    /// The superframe specification, at `-v` (a beacon's, and a DSME PAN
    /// descriptor IE's at `-vvvv`).
    pub(super) fn superframe(&mut self, ss: u16) {
        if self.v < 1 {
            return;
        }
        out!(
            self.w,
            "\n\tBeacon order = {}, Superframe order = {}, Final CAP Slot = {}",
            ss & 0xf,
            ss >> 4 & 0xf,
            ss >> 8 & 0xf
        );
        for (bit, name) in [
            (12, ", BLE enabled"),
            (14, ", PAN Coordinator"),
            (15, ", Association Permit"),
        ] {
            if ss >> bit & 1 != 0 {
                self.put(name);
            }
        }
    }

    /// The GTS fields: their length, `None` after an error.
    fn gts(&mut self) -> Res<Option<usize>> {
        let spec = u8_at(self.m, self.at)?;
        let count = usize::from(spec & 7);
        if count == 0 {
            if self.v > 0 {
                self.put("\n\tGTS Descriptor Count = 0, ");
            }
            return Ok(Some(1));
        }
        let len = 2 + count * 3;
        if self.left < len {
            self.put(" [ERROR: Truncated GTS Info List]");
            return Ok(None);
        }
        if self.v < 2 {
            return Ok(Some(len));
        }
        let mask = u8_at(self.m, self.at + 1)? & 0x7f;
        out!(
            self.w,
            "GTS Descriptor Count = {count}, GTS Directions Mask = {mask:02x}, [ "
        );
        for i in 0..count {
            let at = self.at + 2 + i * 3;
            self.put("[ ");
            self.short_at(at)?;
            let slots = u8_at(self.m, at + 1)?;
            out!(
                self.w,
                ", Start slot = {}, Length = {} ] ",
                slots & 0xf,
                slots >> 4
            );
        }
        self.put("]");
        Ok(Some(len))
    }

    /// The pending address specification and lists at `at`, `left` bytes
    /// there to hold them (a beacon's, and a DSME PAN descriptor IE's):
    /// their length, `None` after an error.
    pub(super) fn pending_addresses(&mut self, at: usize, left: usize) -> Res<Option<usize>> {
        let spec = u8_at(self.m, at)?;
        let (short, ext) = (usize::from(spec & 7), usize::from(spec >> 4 & 7));
        let len = 1 + short * 2 + ext * 8;
        if self.v > 0 {
            out!(
                self.w,
                "\n\tPending address list, # short addresses = {short}, # extended addresses = {ext}"
            );
        }
        if left < len {
            self.put(" [ERROR: Pending address list truncated]");
            return Ok(None);
        }
        if self.v < 2 {
            return Ok(Some(len));
        }
        if short != 0 {
            self.put(", Short address list = [ ");
            for i in 0..short {
                self.short_at(at + 1 + i * 2)?;
                self.put(" ");
            }
            self.put("]");
        }
        if ext != 0 {
            self.put(", Extended address list = [ ");
            for i in 0..ext {
                super::put_ext_addr(self.w, self.m, at + 1 + short * 2 + i * 8)?;
                self.put(" ");
            }
            self.put("]");
        }
        Ok(Some(len))
    }

    /// A MAC command: its id's name and what tcpdump decodes of its
    /// fields, then the default print of the bytes left.
    pub(super) fn command(&mut self) -> Res<()> {
        if self.left < 1 {
            self.put("[ERROR: Truncated before Command ID]");
        } else {
            let id = u8_at(self.m, self.at)?;
            match command_name(id) {
                Some(name) => out!(self.w, "Command ID = {name} "),
                None => out!(self.w, "Command ID = Reserved 0x{id:02x} "),
            }
            self.skip(1);
            if self.left != 0
                && let Some(len) = self.command_fields(id)?
            {
                self.skip(len);
            }
        }
        self.default_print()
    }

    /// A command's fields: how many bytes were decoded (0 leaves them to
    /// the default print), `None` for a length the command does not have.
    fn command_fields(&mut self, id: u8) -> Res<Option<usize>> {
        let (at, n) = (self.at, self.left);
        let wrong = |f: &mut Self, what: &str| {
            out!(f.w, "Invalid {what} command length");
            Ok(None)
        };
        match id {
            0x01 => {
                if n != 1 {
                    return wrong(self, "Association request");
                }
                let cap = u8_at(self.m, at)?;
                self.put(if cap & 0x02 != 0 { "FFD, " } else { "RFD, " });
                for &(bit, name) in CAPABILITIES {
                    if cap & bit != 0 {
                        self.put(name);
                    }
                }
            }
            0x02 => {
                if n != 3 {
                    return wrong(self, "Association response");
                }
                self.put("Short address = ");
                self.short_at(at)?;
                let status = u8_at(self.m, at + 2)?;
                match ASSOCIATION_STATUS.iter().find(|(k, _)| *k == status) {
                    Some((_, word)) => out!(self.w, ", {word}"),
                    None => out!(self.w, ", Status = 0x{status:02x}"),
                }
            }
            0x03 => {
                if n != 1 {
                    return wrong(self, "Disassociation Notification");
                }
                match u8_at(self.m, at)? {
                    0 => self.put("Reserved"),
                    1 => self.put("Reason = The coordinator wishes the device to leave PAN"),
                    2 => self.put("Reason = The device wishes to leave the PAN"),
                    // tcpdump reads the reason two bytes on.
                    _ => out!(self.w, "Reason = 0x{:02x}", u8_at(self.m, at + 2)?),
                }
            }
            0x04..=0x07 => return Ok(Some(0)),
            0x08 => {
                if !(7..=8).contains(&n) {
                    return wrong(self, "Coordinator Realignment");
                }
                out!(
                    self.w,
                    "Pan ID = 0x{:04x}, Coordinator short address = ",
                    u16_le_at(self.m, at)?
                );
                self.short_at(at + 2)?;
                let mut channel = u16::from(u8_at(self.m, at + 4)?);
                let page = if n == 8 { u8_at(self.m, at + 7)? } else { 0x80 };
                if page & 0x80 != 0 {
                    // No page: its other bits are the channel's high ones.
                    channel |= u16::from(page & 0x7f) << 8;
                    out!(self.w, ", Channel Number = {channel}");
                } else {
                    out!(self.w, ", Channel Number = {channel}, page = {page}");
                }
                self.put(", Short address = ");
                self.short_at(at + 5)?;
            }
            0x09 => {
                if n != 1 {
                    return wrong(self, "GTS Request");
                }
                let gts = u8_at(self.m, at)?;
                out!(
                    self.w,
                    "GTS Length = {}, {}, {}",
                    gts & 0xf,
                    if gts & 0x10 != 0 {
                        "Receive-only GTS"
                    } else {
                        "Transmit-only GTS"
                    },
                    if gts & 0x20 != 0 {
                        "GTS allocation"
                    } else {
                        "GTS deallocations"
                    }
                );
            }
            _ => {
                self.put("Command Data = ");
                self.hex_bytes(at, n)?;
                return Ok(Some(0));
            }
        }
        Ok(Some(n))
    }
}
