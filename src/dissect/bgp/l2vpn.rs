//! Layer-2 VPN routes (AFI 25 SAFI 65, VPLS; AFI 196 SAFIs 128-130) as
//! tcpdump prints them: a 2-byte length, then an auto-discovery route
//! (12 bytes: `RD: …, BGPNH: 10.0.0.7`) or, above 17 bytes, the old
//! format (`RD: …, CE-ID: 5, Label-Block Offset: 1, Label Base 100`) and
//! its TLVs (`circuit status vector` in hex, others by type and length).
//! tcpdump's quirks are kept: the TLV walk counts the value bytes only
//! (not the 3-byte headers), an unknown TLV's value is not stepped over,
//! and the text goes into a buffer of 164 bytes — once full, nothing more
//! is written and the circuit status vector stops advancing.

use super::super::ctl::{ipv4_at, out};
use super::mcast::TEXT_BUFFER;
use super::mp::Entry;
use super::vpn::{RD, put_rd};
use crate::dissect::wire::{need, u8_at, u16_at};
use crate::dissect::{Stop, jumped};

/// An auto-discovery route's length; old-format routes are longer than
/// [`OLD_MIN`].
const AD_ONLY: usize = 12;
const OLD_MIN: usize = 17;
/// The old format's fixed part: RD, CE id, label block offset and base.
const OLD_FIXED: usize = 15;

/// tcpdump's `snprintf` into what is left of its buffer: a text that does
/// not fit is cut and leaves the buffer full.
struct Buffer {
    text: Vec<u8>,
    room: usize,
}

impl Buffer {
    fn put(&mut self, s: &[u8]) {
        if self.room == 0 {
            return;
        }
        let keep = s.len().min(self.room - 1);
        self.text.extend_from_slice(s.get(..keep).unwrap_or(s));
        self.room = self.room.saturating_sub(s.len());
    }

    fn full(&self) -> bool {
        self.room == 0
    }
}

/// The route at `p`.
pub(super) fn route(w: &mut Vec<u8>, m: &[u8], p: usize) -> Result<Entry, Stop> {
    let len = usize::from(u16_at(m, p).map_err(jumped)?);
    let q = p + 2;
    let mut b = Buffer {
        text: Vec::new(),
        room: TEXT_BUFFER,
    };
    let mut head = Vec::new();
    if len == AD_ONLY {
        need(m, q, AD_ONLY)?;
        head.extend_from_slice(b"RD: ");
        put_rd(&mut head, m, q)?;
        out!(head, ", BGPNH: {}", ipv4_at(m, q + RD)?);
        b.put(&head);
    } else if len > OLD_MIN {
        need(m, q, OLD_FIXED)?;
        head.extend_from_slice(b"RD: ");
        put_rd(&mut head, m, q)?;
        let base = (u32::from(u16_at(m, q + 12)?) << 8 | u32::from(u8_at(m, q + 14)?)) >> 4;
        out!(
            head,
            ", CE-ID: {}, Label-Block Offset: {}, Label Base {base}",
            u16_at(m, q + 8)?,
            u16_at(m, q + 10)?
        );
        b.put(&head);
        tlvs(&mut b, m, q + OLD_FIXED, len - OLD_FIXED)?;
    } else {
        return Err(Stop::Checked);
    }
    w.extend_from_slice(&b.text);
    Ok(Entry::Read(len + 2))
}

/// The old format's TLVs at `t`, `left` bytes of values to go.
fn tlvs(b: &mut Buffer, m: &[u8], mut t: usize, mut left: usize) -> Result<(), Stop> {
    while left != 0 {
        if left < 3 {
            b.put(b"\n\t\tran past the end");
            return Ok(());
        }
        let kind = u8_at(m, t).map_err(jumped)?;
        let bits = u16_at(m, t + 1).map_err(jumped)?;
        t += 3;
        let mut bytes = usize::from(bits).div_ceil(8);
        if kind == 1 {
            b.put(format!("\n\t\tcircuit status vector ({kind}) length: {bits}: 0x").as_bytes());
            while bytes != 0 {
                if left < 1 {
                    b.put(b" (ran past the end)");
                    return Ok(());
                }
                need(m, t, 1)?;
                if !b.full() {
                    b.put(format!("{:02x}", u8_at(m, t)?).as_bytes());
                    t += 1;
                }
                bytes -= 1;
                left -= 1;
            }
        } else {
            b.put(format!("\n\t\tunknown TLV #{kind}, length: {bits}").as_bytes());
            if left < bytes {
                b.put(b" (ran past the end)");
                return Ok(());
            }
            left -= bytes;
        }
    }
    Ok(())
}
