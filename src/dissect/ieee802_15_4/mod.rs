//! IEEE 802.15.4 MAC frames (802.15.4-2015, chapter 7) as tcpdump 4.99
//! prints them inside ZEP: `IEEE 802.15.4 Data packet v0 abcd:ffff <
//! -:0001 `, the frame's type, version, destination and source (PAN and
//! short or extended address, `-` and `none` where the frame has none),
//! `-v`'s sequence number, auxiliary security header, superframe, GTS and
//! pending-address lists, `-vv`'s security fields and address lists,
//! `-vvv`'s frame-control flags, MIC and FCS; header and payload IEs by
//! name with their data in hex, at `-vvvv` the contents of those tcpdump
//! decodes (`ie_content.rs`, the MLME group's nested IEs `mlme.rs`); MAC
//! commands by name with the fields of those tcpdump decodes; then the
//! bytes left in hex and ASCII (the default print, which `-x` and `-X`
//! turn off).
//!
//! The printer is handed the frame's length as ZEP says it (its caplen)
//! and reads the captured bytes: a length the frame contradicts prints
//! `[ERROR: …]` and stops (the caller dumps the frame), a read past the
//! capture is tcpdump's `longjmp` (` [|802.15.4]`).

mod fcs;
mod ie;
mod ie_content;
mod ie_json;
mod mlme;
mod payload;

use super::ctl::out;
use super::wire::{Res, u8_at, u16_le_at, u32_le_at};
use serde_json::{Map, Value, json};

/// A frame's 16-bit and 32-bit FCS, as a sender writes them (little
/// endian after the frame): for the tests' frames.
pub fn fcs16(frame: &[u8]) -> u16 {
    fcs::crc16(frame, frame.len()).unwrap_or_default()
}

pub fn fcs32(frame: &[u8]) -> u32 {
    fcs::crc32(frame, frame.len()).unwrap_or_default()
}

/// tcpdump's cut mark of the printer: a ZEP line ends with it where the
/// frame inside was cut (`own_mark` in the dissector table tells it from
/// ZEP's own).
pub const CUT: &str = " [|802.15.4]";

/// Frame types (Table 7-1).
const FRAME_TYPES: [&str; 8] = [
    "Beacon",
    "Data",
    "ACK",
    "Command",
    "Reserved",
    "Multipurpose",
    "Fragment",
    "Extended",
];

const BEACON: u16 = 0;
const COMMAND: u16 = 3;
const MULTIPURPOSE: u16 = 5;

/// How the printer ended, when it did not read past the capture: tcpdump's
/// nonzero return (`Printed`: its caller skips the frame) or zero
/// (`Failed`: its caller dumps the frame's bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Printed,
    Failed,
}

/// The printer's state: the line, the captured bytes of the frame, where
/// it reads, how much of the frame is left by its length, the level and
/// whether the default print is on.
struct Frame<'a, 'w> {
    w: &'w mut Vec<u8>,
    m: &'a [u8],
    at: usize,
    /// tcpdump's `caplen` (an unsigned count that its multipurpose-frame
    /// printer can take below zero: it wraps, as tcpdump's does).
    left: usize,
    v: u8,
    hex: bool,
}

/// Print the frame in `m` (the captured bytes), `len` bytes long by the
/// encapsulation's word.
pub fn print(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8, hex: bool) -> Res<Outcome> {
    if len < 2 {
        w.extend_from_slice(CUT.as_bytes());
        return Ok(Outcome::Printed);
    }
    let fc = u16_le_at(m, 0)?;
    let kind = fc & 7;
    out!(
        w,
        "IEEE 802.15.4 {} packet ",
        FRAME_TYPES[usize::from(kind)]
    );
    let mut f = Frame {
        w,
        m,
        at: 0,
        left: len,
        v,
        hex,
    };
    match kind {
        0..=3 => f.standard(fc),
        MULTIPURPOSE => f.multipurpose(fc),
        _ => Ok(Outcome::Failed),
    }
}

/// Address lengths by addressing mode (Table 7-3); `None` for the
/// reserved mode.
fn addr_len(mode: u16) -> Option<usize> {
    [Some(0), None, Some(2), Some(8)][usize::from(mode & 3)]
}

/// The MIC's length for a security level (Table 9-6).
fn mic_len(level: u8) -> usize {
    [0, 4, 8, 16][usize::from(level & 3)]
}

/// Which PAN ids a standard frame carries (7.2.1.5): tcpdump's reading of
/// the compression bit for frames before version 2 and of Table 7-2's
/// cases after (with its 6TiSCH exception: no source PAN before a short
/// destination and an extended source). Returns (destination, source) and
/// whether the pre-2015 rule was broken.
fn pans(version: u16, compressed: bool, dst: usize, src: usize) -> (bool, bool, bool) {
    let (mut d, mut s) = (true, !compressed);
    if dst == 0 {
        d = false;
    }
    if src == 0 {
        s = false;
    }
    if version < 2 {
        return (d, s, compressed && (dst == 0 || src == 0));
    }
    if compressed {
        match (dst, src) {
            (0, 0) => d = true,
            (0, _) | (_, 0) | (8, 8) => (d, s) = (false, false),
            _ => {}
        }
    } else {
        if (dst, src) == (8, 8) {
            (d, s) = (true, false);
        }
        if (dst, src) == (2, 8) {
            s = false;
        }
    }
    (d, s, false)
}

impl Frame<'_, '_> {
    fn put(&mut self, s: &str) {
        self.w.extend_from_slice(s.as_bytes());
    }

    fn skip(&mut self, n: usize) {
        self.at += n;
        self.left = self.left.wrapping_sub(n);
    }

    /// `%04x` of the little-endian short address or PAN id at `at`.
    fn short_at(&mut self, at: usize) -> Res<()> {
        let a = u16_le_at(self.m, at)?;
        out!(self.w, "{a:04x}");
        Ok(())
    }

    /// An address of `n` bytes at the read position: `none`, a short
    /// address, or an extended one byte-reversed with colons.
    fn addr(&mut self, at: usize, n: usize) -> Res<()> {
        match n {
            2 => self.short_at(at),
            8 => put_ext_addr(self.w, self.m, at),
            _ => {
                self.put("none");
                Ok(())
            }
        }
    }

    /// The FCS tcpdump finds at the end (4 bytes, else 2), taken off
    /// `left` when its CRC matches; (stored, computed), both 0 when the
    /// frame is too short to have one. `short_only_below`: the length
    /// under which only the 16-bit one is tried (the multipurpose
    /// printer's 5; the standard one tries 32 bits from 4 on).
    fn take_fcs(&mut self, none_below: usize, short_only_below: usize) -> Res<(u32, u32)> {
        let n = self.left;
        if n < none_below {
            return Ok((0, 0));
        }
        if n >= short_only_below {
            let stored = u32_le_at(self.m, n - 4)?;
            let crc = fcs::crc32(self.m, n - 4)?;
            if crc == stored {
                self.left -= 4;
                return Ok((stored, crc));
            }
        }
        let stored = u32::from(u16_le_at(self.m, n - 2)?);
        let crc = u32::from(fcs::crc16(self.m, n - 2)?);
        if crc == stored {
            self.left -= 2;
        }
        Ok((stored, crc))
    }

    /// `-vvv`'s frame-control flags, from (bit, name) pairs.
    fn flags(&mut self, fc: u16, names: &[(u16, &str)]) {
        if self.v > 2 {
            for &(bit, name) in names {
                if fc >> bit & 1 != 0 {
                    out!(self.w, "{name}, ");
                }
            }
        }
    }

    /// The sequence number (or its suppression) after the frame control
    /// field of `fc_len` bytes.
    fn sequence(&mut self, suppressed: bool) -> Res<bool> {
        if suppressed {
            if self.v > 0 {
                self.put("seq suppressed ");
            }
            if self.left < 2 {
                self.put(CUT);
                return Ok(false);
            }
            self.skip(2);
        } else {
            let seq = u8_at(self.m, 2)?;
            if self.v > 0 {
                out!(self.w, "seq {seq:02x} ");
            }
            if self.left < 3 {
                self.put(CUT);
                return Ok(false);
            }
            self.skip(3);
        }
        Ok(true)
    }

    /// The destination and source address lengths of two addressing
    /// modes; `None` after tcpdump's error for the reserved mode (the
    /// source's first).
    fn address_lengths(&mut self, dst: u16, src: u16) -> Option<(usize, usize)> {
        match (addr_len(dst), addr_len(src)) {
            (Some(d), Some(s)) => Some((d, s)),
            (_, None) => {
                self.put("[ERROR: Invalid src address mode]");
                None
            }
            (None, _) => {
                self.put("[ERROR: Invalid dst address mode]");
                None
            }
        }
    }

    /// A PAN id when the frame has one, else `-`, then `:`.
    fn pan(&mut self, present: bool) -> Res<bool> {
        if present {
            if self.left < 2 {
                self.put("[ERROR: Truncated before dst_pan]");
                return Ok(false);
            }
            self.short_at(self.at)?;
            self.skip(2);
            self.put(":");
        } else {
            self.put("-:");
        }
        Ok(true)
    }

    /// An address of `n` bytes, when the frame holds it.
    fn address(&mut self, n: usize) -> Res<bool> {
        if self.left < n {
            self.put("[ERROR: Truncated before dst_addr]");
            return Ok(false);
        }
        self.addr(self.at, n)?;
        self.skip(n);
        Ok(true)
    }

    /// Beacon, data, acknowledgement and MAC command frames (7.2).
    fn standard(&mut self, fc: u16) -> Res<Outcome> {
        let (stored, crc) = self.take_fcs(4, 4)?;
        let version = fc >> 12 & 3;
        out!(self.w, "v{version} ");
        self.flags(
            fc,
            &[
                (3, "Security Enabled"),
                (4, "Frame Pending"),
                (5, "AR"),
                (6, "PAN ID Compression"),
                (8, "Sequence Number Suppression"),
                (9, "IE present"),
            ],
        );
        let suppressed = fc >> 8 & 1 != 0;
        if suppressed && version < 2 {
            self.put("[ERROR: Sequence number suppressed on frames where version < 2]");
        }
        if !self.sequence(suppressed)? {
            return Ok(Outcome::Failed);
        }
        let Some((dst, src)) = self.address_lengths(fc >> 10, fc >> 14) else {
            return Ok(Outcome::Failed);
        };
        let (dst_pan, src_pan, broken) = pans(version, fc >> 6 & 1 != 0, dst, src);
        if broken {
            self.put(
                "[ERROR: PAN ID Compression != 0, and only one address with frame version < 2]",
            );
        }
        if !(self.pan(dst_pan)? && self.address(dst)?) {
            return Ok(Outcome::Failed);
        }
        self.put(" < ");
        if !(self.pan(src_pan)? && self.address(src)?) {
            return Ok(Outcome::Failed);
        }
        self.put(" ");
        if self
            .secured(fc >> 3 & 1 != 0, fc >> 9 & 1 != 0, (stored, crc))?
            .is_none()
        {
            return Ok(Outcome::Failed);
        }
        match fc & 7 {
            BEACON => self.beacon(version)?,
            COMMAND => self.command()?,
            _ => self.default_print()?,
        }
        Ok(Outcome::Printed)
    }

    /// Multipurpose frames (7.3.5): a long or short frame control, no
    /// source PAN.
    fn multipurpose(&mut self, fc: u16) -> Res<Outcome> {
        let (stored, crc) = self.take_fcs(3, 5)?;
        let long = fc >> 3 & 1 != 0;
        let (mut pan_present, mut ies, mut secured) = (false, false, false);
        if long {
            out!(self.w, "v{} ", fc >> 12 & 3);
            pan_present = fc >> 8 & 1 != 0;
            ies = fc >> 15 & 1 != 0;
            secured = fc >> 9 & 1 != 0;
            self.flags(
                fc,
                &[
                    (9, "Security Enabled"),
                    (11, "Frame Pending"),
                    (14, "AR"),
                    (8, "PAN ID Present"),
                    (10, "Sequence Number Suppression"),
                    (15, "IE present"),
                ],
            );
            // The long form's suppressed sequence number is not said.
            if fc >> 10 & 1 != 0 {
                if self.left < 2 {
                    self.put(CUT);
                    return Ok(Outcome::Failed);
                }
                self.skip(2);
            } else if !self.sequence(false)? {
                return Ok(Outcome::Failed);
            }
        } else {
            let seq = u8_at(self.m, 1)?;
            self.skip(2);
            if self.v > 0 {
                out!(self.w, "seq {seq:02x} ");
            }
        }
        let Some((dst, src)) = self.address_lengths(fc >> 4, fc >> 6) else {
            return Ok(Outcome::Failed);
        };
        if !(self.pan(pan_present)? && self.address(dst)?) {
            return Ok(Outcome::Failed);
        }
        self.put(" <  -:");
        if !self.address(src)? {
            return Ok(Outcome::Failed);
        }
        self.put(" ");
        if self.secured(secured, ies, (stored, crc))?.is_none() {
            return Ok(Outcome::Failed);
        }
        self.default_print()?;
        Ok(Outcome::Printed)
    }

    /// What follows the addresses in both kinds of frame: the auxiliary
    /// security header, the IE lists, `-vvv`'s MIC and FCS. `None` where
    /// a length stopped the printer.
    fn secured(&mut self, security: bool, ies: bool, (stored, crc): (u32, u32)) -> Res<Option<()>> {
        let mut level = 0;
        if security {
            let Some(len) = self.aux_security_header(&mut level)? else {
                return Ok(None);
            };
            super::wire::need(self.m, self.at, len)?;
            self.skip(len);
        }
        let mic = mic_len(level);
        let mut mic_at = 0;
        if mic != 0 {
            if self.left < mic {
                self.put("[ERROR: Truncated before MIC]");
                return Ok(None);
            }
            self.left -= mic;
            mic_at = self.at + self.left;
        }
        let mut payload_ies = false;
        if ies {
            let Some(len) = self.header_ies(&mut payload_ies)? else {
                return Ok(None);
            };
            self.skip(len);
        }
        if payload_ies {
            if level >= 4 {
                self.put("Payload IEs present, but encrypted, cannot print ");
            } else {
                let Some(len) = self.payload_ies()? else {
                    return Ok(None);
                };
                self.skip(len);
            }
        }
        if self.v > 2 && mic != 0 {
            self.put("\n\tMIC ");
            for i in 0..mic {
                let b = u8_at(self.m, mic_at + i)?;
                out!(self.w, "{b:02x}");
            }
            self.put(" ");
        }
        if self.v > 2 {
            if crc == stored {
                out!(self.w, "FCS {stored:x} ");
            } else {
                out!(
                    self.w,
                    "wrong FCS {stored:x} vs {crc:x} (assume no FCS stored) "
                );
            }
        }
        Ok(Some(()))
    }

    /// tcpdump's default print of the rest of the frame, when it is on
    /// (`hex_and_ascii_print`: what was captured of it, then its
    /// `longjmp` when that was not all).
    fn default_print(&mut self) -> Res<()> {
        if self.hex {
            super::ctl::put_hex_ascii(self.w, self.m, self.at, self.left, "\n\t")?;
        }
        Ok(())
    }
}

/// An extended address: its eight bytes from the last, `:`-separated
/// (tcpdump's `le64addr_string`).
fn put_ext_addr(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let a = super::wire::bytes_at::<8>(m, at)?;
    for (i, b) in a.iter().rev().enumerate() {
        if i > 0 {
            w.push(b':');
        }
        out!(w, "{b:02x}");
    }
    Ok(())
}

/// The length of an auxiliary security header whose control byte is `sc`
/// as tcpdump steps over it: the control byte, the frame counter unless
/// suppressed, a key index after key id modes 1 to 3 and 4 bytes of key
/// source after modes 2 and 3 (of mode 3's 8: tcpdump's step).
fn aux_header_len(sc: u8) -> usize {
    let counter = if sc >> 5 & 1 == 0 { 4 } else { 0 };
    1 + counter + [0, 1, 5, 5][usize::from(sc >> 3 & 3)]
}

/// The frame's header fields for `--json`, as far as they were captured;
/// the IE lists (`header_ies`, `payload_ies`: `ie_json.rs`).
pub fn to_json(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let fc = u16_le_at(m, 0)?;
    let kind = fc & 7;
    o.insert("frame_type".into(), json!(kind));
    o.insert(
        "frame_type_name".into(),
        json!(FRAME_TYPES[usize::from(kind)]),
    );
    if kind > COMMAND && kind != MULTIPURPOSE {
        return Ok(());
    }
    let long_mp = kind == MULTIPURPOSE && fc >> 3 & 1 != 0;
    let version = if kind == MULTIPURPOSE && !long_mp {
        None
    } else {
        Some(fc >> 12 & 3)
    };
    o.insert("version".into(), json!(version));
    let (seq_off, seq_gone) = match kind {
        MULTIPURPOSE if !long_mp => (1, false),
        MULTIPURPOSE => (2, fc >> 10 & 1 != 0),
        _ => (2, fc >> 8 & 1 != 0),
    };
    if !seq_gone {
        o.insert("seq".into(), json!(u8_at(m, seq_off)?));
    }
    let (shift_d, shift_s) = if kind == MULTIPURPOSE {
        (4, 6)
    } else {
        (10, 14)
    };
    let (Some(dst), Some(src)) = (addr_len(fc >> shift_d), addr_len(fc >> shift_s)) else {
        return Ok(());
    };
    let (dst_pan, src_pan) = if kind == MULTIPURPOSE {
        (fc >> 8 & 1 != 0 && long_mp, false)
    } else {
        let (d, s, _) = pans(fc >> 12 & 3, fc >> 6 & 1 != 0, dst, src);
        (d, s)
    };
    let mut at = match kind {
        MULTIPURPOSE if !long_mp => 2,
        _ if seq_gone => 2,
        _ => 3,
    };
    for (key, pan, n) in [("dst", dst_pan, dst), ("src", src_pan, src)] {
        if pan {
            o.insert(format!("{key}_pan"), json!(u16_le_at(m, at)?));
            at += 2;
        }
        let mut text = Vec::new();
        match n {
            2 => out!(text, "{:04x}", u16_le_at(m, at)?),
            8 => put_ext_addr(&mut text, m, at)?,
            _ => {}
        }
        o.insert(
            key.into(),
            if n == 0 {
                Value::Null
            } else {
                json!(String::from_utf8_lossy(&text))
            },
        );
        at += n;
    }
    let security = if kind == MULTIPURPOSE {
        long_mp && fc >> 9 & 1 != 0
    } else {
        fc >> 3 & 1 != 0
    };
    o.insert("security".into(), json!(security));
    let (mut level, mut aux_len) = (0, 0);
    if security {
        let sc = u8_at(m, at)?;
        o.insert("security_level".into(), json!(sc & 7));
        o.insert("key_id_mode".into(), json!(sc >> 3 & 3));
        level = sc & 7;
        aux_len = aux_header_len(sc);
    }
    let ies = if kind == MULTIPURPOSE {
        long_mp && fc >> 15 & 1 != 0
    } else {
        fc >> 9 & 1 != 0
    };
    if ies {
        ie_json::ies_to_json(o, m, at + aux_len, level < 4);
    }
    if kind == COMMAND && !security && fc >> 9 & 1 == 0 {
        let id = u8_at(m, at)?;
        o.insert("command_id".into(), json!(id));
        o.insert("command_name".into(), json!(payload::command_name(id)));
    }
    Ok(())
}
