//! Radiotap's fields as tcpdump prints them before the 802.11 frame:
//! `1.0 Mb/s 2412 MHz 11b -40dBm signal antenna 0 `. The walk (bitmap
//! chain, alignment, bounds) is `decode::wlan::fields`; here each field
//! becomes its words.

use super::super::ctl::out;
use crate::decode::wlan::{Field, fields};

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([
        b.get(at).copied().unwrap_or(0),
        b.get(at + 1).copied().unwrap_or(0),
    ])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from(le16(b, at)) | (u32::from(le16(b, at + 2)) << 16)
}

/// Bit numbers of the fields printed here.
const XCHANNEL: u32 = 18;

/// Write every field tcpdump prints of the header `head`.
pub(super) fn write_fields(w: &mut Vec<u8>, head: &[u8]) {
    let all = fields(head);
    let has_xchannel = all
        .iter()
        .any(|f| matches!(f, Field::Known { bit: XCHANNEL, .. }));
    for f in all {
        let Field::Known { bit, bytes: b } = f else {
            break;
        };
        let u8_0 = b.first().copied().unwrap_or(0);
        match bit {
            0 => {
                let tsft = u64::from(le32(b, 0)) | (u64::from(le32(b, 4)) << 32);
                out!(w, "{tsft}us tsft ");
            }
            1 => {
                for (flag, word) in [
                    (0x01, "cfp "),
                    (0x02, "short preamble "),
                    (0x04, "wep "),
                    (0x08, "fragmented "),
                    (0x40, "bad-fcs "),
                ] {
                    if u8_0 & flag != 0 {
                        w.extend_from_slice(word.as_bytes());
                    }
                }
            }
            2 => {
                if (0x80..=0x8f).contains(&u8_0) {
                    out!(w, "MCS {} ", u8_0 & 0x7f);
                } else {
                    out!(w, "{:.1} Mb/s ", f64::from(u8_0) * 0.5);
                }
            }
            3 if !has_xchannel => chaninfo(w, le16(b, 0), u32::from(le16(b, 2))),
            4 => out!(
                w,
                "fhset {} fhpat {} ",
                u8_0,
                b.get(1).copied().unwrap_or(0)
            ),
            5 => out!(w, "{}dBm signal ", u8_0 as i8),
            6 => out!(w, "{}dBm noise ", u8_0 as i8),
            7 => out!(w, "{} sq ", le16(b, 0)),
            8 => out!(w, "{} tx power ", -i32::from(le16(b, 0))),
            9 => out!(w, "{}dB tx attenuation ", -i32::from(le16(b, 0))),
            10 => out!(w, "{}dBm tx power ", u8_0 as i8),
            11 => out!(w, "antenna {u8_0} "),
            12 => out!(w, "{u8_0}dB signal "),
            13 => out!(w, "{u8_0}dB noise "),
            XCHANNEL => chaninfo(w, le16(b, 4), le32(b, 0)),
            // MCS and VHT say more than these words; the rest nothing.
            _ => {}
        }
    }
}

/// Channel flags tcpdump looks at.
const TURBO: u32 = 0x0010;
const CCK: u32 = 0x0020;
const OFDM: u32 = 0x0040;
const GHZ2: u32 = 0x0080;
const GHZ5: u32 = 0x0100;
const DYN: u32 = 0x0400;
const GFSK: u32 = 0x0800;
const HALF: u32 = 0x4000;
const QUARTER: u32 = 0x8000;
const HT20: u32 = 0x10000;
const HT40U: u32 = 0x20000;
const HT40D: u32 = 0x40000;

/// `2412 MHz 11b `: the frequency and what the flags say of the band.
fn chaninfo(w: &mut Vec<u8>, freq: u16, flags: u32) {
    let all = |bits: u32| flags & bits == bits;
    out!(w, "{freq} MHz");
    if all(GHZ2 | GFSK) {
        w.extend_from_slice(b" FHSS");
    }
    let width = if flags & HALF != 0 {
        "/10Mhz"
    } else if flags & QUARTER != 0 {
        "/5Mhz"
    } else {
        ""
    };
    if all(GHZ5 | OFDM) {
        out!(w, " 11a{width}");
    }
    if all(GHZ2 | OFDM) || all(GHZ2 | DYN) {
        out!(w, " 11g{width}");
    } else if all(GHZ2 | CCK) {
        w.extend_from_slice(b" 11b");
    }
    if flags & TURBO != 0 {
        w.extend_from_slice(b" Turbo");
    }
    if flags & HT20 != 0 {
        w.extend_from_slice(b" ht/20");
    } else if flags & HT40D != 0 {
        w.extend_from_slice(b" ht/40-");
    } else if flags & HT40U != 0 {
        w.extend_from_slice(b" ht/40+");
    }
    w.push(b' ');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_channel_signal_antenna() {
        let present: u32 = (1 << 2) | (1 << 3) | (1 << 5) | (1 << 11);
        let mut h = vec![0, 0, 0, 0];
        h.extend_from_slice(&present.to_le_bytes());
        h.extend_from_slice(&[2, 0, 0x6c, 0x09, 0xa0, 0, 0xd8, 0]);
        let len = h.len() as u16;
        h[2..4].copy_from_slice(&len.to_le_bytes());
        let mut w = Vec::new();
        write_fields(&mut w, &h);
        assert_eq!(
            String::from_utf8_lossy(&w),
            "1.0 Mb/s 2412 MHz 11b -40dBm signal antenna 0 "
        );
    }
}
