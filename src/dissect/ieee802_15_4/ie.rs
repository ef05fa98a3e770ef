//! The parts of a frame between its addresses and its payload: the
//! auxiliary security header (9.4) and the header and payload IE lists
//! (7.4), as tcpdump prints them: each IE's name, its length when not
//! zero and its data in hex, at `-vvvv` its content where tcpdump decodes
//! it (`ie_content.rs`). A length the list contradicts prints
//! `[ERROR: …]` and stops the frame.

use super::super::ctl::out;
use super::super::wire::{Res, u8_at, u16_le_at, u32_le_at};
use super::Frame;

/// Header IE element ids tcpdump names (Table 7-7); the others are
/// `Reserved 0xNN`.
pub(super) const HEADER_IES: &[(u8, &str)] = &[
    (0x00, "Vendor Specific Header IE"),
    (0x1a, "LE CSL IE"),
    (0x1b, "LE RIT IE"),
    (0x1c, "DSME PAN descriptor IE"),
    (0x1d, "Rendezvous Time IE"),
    (0x1e, "Time Correction IE"),
    (0x21, "Extended DSME PAN descriptor IE"),
    (0x22, "Fragment Sequence Context Description IE"),
    (0x23, "Simplified Superframe Specification IE"),
    (0x24, "Simplified GTS Specification IE"),
    (0x25, "LECIM Capabilities IE"),
    (0x26, "TRLE Descriptor IE"),
    (0x27, "RCC Capabilities IE"),
    (0x28, "RCCN Descriptor IE"),
    (0x29, "Global Time IE"),
    (0x2a, "Omnibus Header IE"),
    (0x2b, "DA IE"),
    (HT1, "Header Termination 1 IE"),
    (HT2, "Header Termination 2 IE"),
];

/// Header Termination 1: payload IEs follow; 2: the payload does.
pub(super) const HT1: u8 = 0x7e;
pub(super) const HT2: u8 = 0x7f;

/// Payload IE group ids (Table 7-15); 6 to 14 are `Reserved 0x0N`.
pub(super) const PAYLOAD_IES: [&str; 6] = [
    "ESDU IE",
    "MLME IE",
    "Vendor Specific Nested IE",
    "Multiplexed IE (802.15.9)",
    "Omnibus Payload Group IE",
    "IETF IE",
];

/// The payload IE group that ends the list.
pub(super) const LIST_TERMINATION: u16 = 0xf;

impl Frame<'_, '_> {
    /// `n` bytes from `at` as `%02x ` each.
    pub(super) fn hex_bytes(&mut self, at: usize, n: usize) -> Res<()> {
        for i in 0..n {
            let b = u8_at(self.m, at + i)?;
            out!(self.w, "{b:02x} ");
        }
        Ok(())
    }

    /// An IE's data at `-vvv` and below: `IE Data = ` and its bytes.
    fn ie_data(&mut self, n: usize) -> Res<()> {
        if n != 0 {
            self.ie_hex(self.at, n)?;
        }
        Ok(())
    }

    /// After an IE's name: ` [`, and its length when not zero.
    fn ie_open(&mut self, len: usize) {
        if len == 0 {
            self.put(" [");
        } else {
            out!(self.w, " [ length = {len}, ");
        }
    }

    /// Whether an IE of `len` bytes and its header fit in the `left` bytes
    /// of the list; tcpdump's error when not.
    fn ie_fits(&mut self, left: usize, len: usize) -> bool {
        let fits = left >= 2 + len;
        if !fits {
            self.put("[ERROR: Truncated IE data]");
        }
        fits
    }

    /// The auxiliary security header at the read position: its length,
    /// the security level in `level`; `None` after an error.
    pub(super) fn aux_security_header(&mut self, level: &mut u8) -> Res<Option<usize>> {
        let (mut at, mut left) = (self.at, self.left);
        if left < 1 {
            self.put("[ERROR: Truncated before Aux Security Header]");
            return Ok(None);
        }
        let sc = u8_at(self.m, at)?;
        *level = sc & 7;
        let key_id_mode = sc >> 3 & 3;
        let mut len = 1;
        (at, left) = (at + 1, left - 1);
        if self.v > 0 {
            out!(
                self.w,
                "\n\tSecurity Level {}, Key Id Mode {key_id_mode}, ",
                *level
            );
        }
        // The frame counter, unless suppressed.
        if sc >> 5 & 1 == 0 {
            if left < 4 {
                self.put("[ERROR: Truncated before Frame Counter]");
                return Ok(None);
            }
            if self.v > 1 {
                out!(self.w, "Frame Counter 0x{:08x} ", u32_le_at(self.m, at)?);
            }
            (at, left, len) = (at + 4, left - 4, len + 4);
        }
        match key_id_mode {
            0 => {
                if self.v > 1 {
                    self.put("Implicit");
                }
                return Ok(Some(len));
            }
            2 => {
                if left < 4 {
                    self.put("[ERROR: Truncated before Key Source]");
                    return Ok(None);
                }
                if self.v > 1 {
                    // tcpdump's format is `0x%04x:%0x4x`: the second
                    // number unpadded, then the letters `4x`.
                    let (a, b) = (u16_le_at(self.m, at)?, u16_le_at(self.m, at + 2)?);
                    out!(self.w, "KeySource 0x{a:04x}:{b:x}4x, ");
                }
                (at, left, len) = (at + 4, left - 4, len + 4);
            }
            3 => {
                if left < 8 {
                    self.put("[ERROR: Truncated before Key Source]");
                    return Ok(None);
                }
                if self.v > 1 {
                    self.put("KeySource ");
                    super::put_ext_addr(self.w, self.m, at)?;
                    self.put(", ");
                }
                // tcpdump steps over 4 of the source's 8 bytes.
                (at, left, len) = (at + 4, left - 4, len + 4);
            }
            _ => {}
        }
        if left < 1 {
            self.put("[ERROR: Truncated before Key Index]");
            return Ok(None);
        }
        if self.v > 1 {
            out!(self.w, "KeyIndex 0x{:02x}, ", u8_at(self.m, at)?);
        }
        Ok(Some(len + 1))
    }

    /// The header IE list: its length; `payload` says whether Header
    /// Termination 1 announced payload IEs. `None` after an error.
    pub(super) fn header_ies(&mut self, payload: &mut bool) -> Res<Option<usize>> {
        *payload = false;
        self.ie_list(|f, ie, left| {
            if ie >> 15 != 0 {
                f.put("[ERROR: Header IE with type 1] ");
            }
            let len = usize::from(ie & 0x7f);
            let id = (ie >> 7 & 0xff) as u8;
            if id > 127 {
                out!(f.w, "Reserved Element ID {id:02x}, length = {len} ");
            } else {
                f.put("\n\t");
                match HEADER_IES.iter().find(|(k, _)| *k == id) {
                    Some((_, name)) => f.put(name),
                    None => out!(f.w, "Reserved 0x{id:02x}"),
                }
                f.ie_open(len);
            }
            if !f.ie_fits(*left, len) {
                return Ok(Step::Error);
            }
            f.at += 2;
            if f.v > 3 && len != 0 {
                f.header_ie_content(id, f.at, len)?;
            } else {
                f.ie_data(len)?;
            }
            f.put("] ");
            (f.at, *left) = (f.at + len, *left - 2 - len);
            *payload = id == HT1;
            Ok(if id == HT1 || id == HT2 {
                Step::End
            } else {
                Step::More
            })
        })
    }

    /// The payload IE list: its length, `None` after an error.
    pub(super) fn payload_ies(&mut self) -> Res<Option<usize>> {
        self.ie_list(|f, ie, left| {
            if ie >> 15 == 0 {
                f.put("[ERROR: Payload IE with type 0] ");
            }
            let len = usize::from(ie & 0x3ff);
            let group = ie >> 11 & 0xf;
            f.at += 2;
            f.put("\n\t");
            match PAYLOAD_IES.get(usize::from(group)) {
                Some(name) => f.put(name),
                None if group == LIST_TERMINATION => f.put("List termination"),
                None => out!(f.w, "Reserved 0x{group:02x}"),
            }
            f.ie_open(len);
            if !f.ie_fits(*left, len) {
                return Ok(Step::Error);
            }
            if f.v > 3 && len != 0 {
                f.payload_ie_content(group, f.at, len)?;
            } else {
                f.ie_data(len)?;
            }
            f.put("]\n\t");
            (f.at, *left) = (f.at + len, *left - 2 - len);
            Ok(if group == LIST_TERMINATION {
                Step::End
            } else {
                Step::More
            })
        })
    }

    /// A list of IEs from the read position, each handed to `each` with
    /// its 16-bit header and the bytes left of the frame (which it steps
    /// over): the list's length, `None` after an error. The list ends
    /// with the frame, at a termination IE, or at a header tcpdump finds
    /// no room for (its message names the header list for both lists).
    fn ie_list(
        &mut self,
        mut each: impl FnMut(&mut Self, u16, &mut usize) -> Res<Step>,
    ) -> Res<Option<usize>> {
        let (start, left0) = (self.at, self.left);
        let mut left = self.left;
        let result = loop {
            if left < 2 {
                self.put("[ERROR: Truncated header IE]");
                break None;
            }
            let ie = u16_le_at(self.m, self.at)?;
            match each(self, ie, &mut left)? {
                Step::More if left != 0 => {}
                Step::Error => break None,
                _ => break Some(()),
            }
        };
        // The caller steps over the list from where it began.
        let used = self.at - start;
        (self.at, self.left) = (start, left0);
        Ok(result.map(|()| used))
    }
}

/// What an IE list's walk does after an IE.
enum Step {
    More,
    End,
    Error,
}
