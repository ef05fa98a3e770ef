//! Radiotap's fields as tcpdump prints them before the 802.11 frame:
//! `1.0 Mb/s 2412 MHz 11b -40dBm signal antenna 0 `, an HT field's rate
//! from its index, bandwidth and guard interval, a VHT field's users. The
//! walk (bitmap chain, namespaces, alignment, bounds) is
//! `decode::wlan::walk`; here each field becomes its words.

use super::super::ctl::out;
use crate::decode::wlan::{Item, walk};

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
const MCS: u32 = 19;
const VHT: u32 = 21;

/// Write every field tcpdump prints of the header `head`, and its marks
/// where the walk stopped (`[bit 23] `, ` [|802.11_radio]`).
pub(super) fn write_fields(w: &mut Vec<u8>, head: &[u8]) {
    walk(head, |item| match item {
        Item::Field {
            bit,
            bytes,
            present,
        } => write_field(w, bit, bytes, present),
        Item::Unknown(bit) => out!(w, "[bit {bit}] "),
        Item::Cut => w.extend_from_slice(b" [|802.11_radio]"),
    });
}

fn write_field(w: &mut Vec<u8>, bit: u32, b: &[u8], present: u32) {
    let u8_0 = b.first().copied().unwrap_or(0);
    let i16_0 = le16(b, 0) as i16;
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
        3 if present & (1 << XCHANNEL) == 0 => {
            chaninfo(w, le16(b, 0), u32::from(le16(b, 2)), present);
        }
        4 => out!(
            w,
            "fhset {} fhpat {} ",
            u8_0,
            b.get(1).copied().unwrap_or(0)
        ),
        5 => out!(w, "{}dBm signal ", u8_0 as i8),
        6 => out!(w, "{}dBm noise ", u8_0 as i8),
        7 => out!(w, "{} sq ", le16(b, 0)),
        8 => out!(w, "{} tx power ", -i32::from(i16_0)),
        9 => out!(w, "{}dB tx attenuation ", -i32::from(u8_0 as i8)),
        10 => out!(w, "{}dBm tx power ", u8_0 as i8),
        11 => out!(w, "antenna {u8_0} "),
        12 => out!(w, "{u8_0}dB signal "),
        13 => out!(w, "{u8_0}dB noise "),
        XCHANNEL => chaninfo(w, le16(b, 4), le32(b, 0), present),
        MCS => mcs(w, b),
        VHT => vht(w, b),
        // RX flags and A-MPDU status are read and not printed.
        _ => {}
    }
}

/// The MCS field: known bits, flags, index.
fn mcs(w: &mut Vec<u8>, b: &[u8]) {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let (known, flags, index) = (at(0), at(1), at(2));
    let forty = flags & 3 == 1;
    let short_gi = flags & 4 != 0;
    if known & 2 != 0 {
        // The rate needs the bandwidth or the guard interval known (either
        // will do for tcpdump).
        match ht_rate(index, forty, short_gi).filter(|_| known & 5 != 0) {
            Some(r) => out!(w, "{r:.1} Mb/s MCS {index} "),
            None => out!(w, "MCS {index} "),
        }
    }
    if known & 1 != 0 {
        let bw = ["20 MHz", "40 MHz", "20 MHz (L)", "20 MHz (U)"];
        out!(w, "{} ", bw.get(usize::from(flags & 3)).unwrap_or(&""));
    }
    if known & 4 != 0 {
        out!(w, "{} GI ", if short_gi { "short" } else { "long" });
    }
    if known & 8 != 0 {
        out!(
            w,
            "{} ",
            if flags & 8 != 0 {
                "greenfield"
            } else {
                "mixed"
            }
        );
    }
    if known & 0x10 != 0 {
        out!(w, "{} FEC ", if flags & 0x10 != 0 { "LDPC" } else { "BCC" });
    }
    if known & 0x20 != 0 {
        out!(w, "RX-STBC{} ", (flags >> 5) & 3);
    }
}

/// An HT MCS index's data rate in Mb/s (802.11n's tables, computed:
/// data bits per OFDM symbol over the symbol's duration), `None` past
/// index 76 or where the index has no rate (MCS 32 at 20 MHz).
pub fn ht_rate(index: u8, forty: bool, short_gi: bool) -> Option<f64> {
    // Data subcarriers per 20 or 40 MHz channel.
    let carriers = if forty { 108.0 } else { 52.0 };
    // Coded bits per subcarrier, summed over the spatial streams, and the
    // coding rate.
    let (bits, rate) = match index {
        0..=31 => {
            let streams = f64::from(index / 8 + 1);
            let (b, r) = match index % 8 {
                0 => (1.0, 1.0 / 2.0),
                1 => (2.0, 1.0 / 2.0),
                2 => (2.0, 3.0 / 4.0),
                3 => (4.0, 1.0 / 2.0),
                4 => (4.0, 3.0 / 4.0),
                5 => (6.0, 2.0 / 3.0),
                6 => (6.0, 3.0 / 4.0),
                _ => (6.0, 5.0 / 6.0),
            };
            (b * streams, r)
        }
        // Duplicate BPSK over both halves of a 40 MHz channel: 6 Mb/s.
        32 if forty => (48.0 / 108.0, 1.0 / 2.0),
        32 => return None,
        33..=76 => unequal(index)?,
        _ => return None,
    };
    let symbol_us = if short_gi { 3.6 } else { 4.0 };
    Some(carriers * bits * rate / symbol_us)
}

/// The unequal-modulation MCS indices (33 to 76): the streams' bits per
/// subcarrier summed, and the coding rate. For two, three and four
/// streams the indices run through the non-increasing combinations of
/// QPSK (2), 16-QAM (4) and 64-QAM (6) that are not all equal, in
/// lexicographic order, first at rate 1/2 and then again at 3/4.
fn unequal(index: u8) -> Option<(f64, f64)> {
    let (streams, first) = match index {
        33..=38 => (2, 33),
        39..=52 => (3, 39),
        53..=76 => (4, 53),
        _ => return None,
    };
    // Each combination as base-3 digits (0 QPSK, 1 16-QAM, 2 64-QAM),
    // the first stream most significant.
    let combos = (0..3u32.pow(streams)).filter_map(|n| {
        let digits: Vec<u32> = (0..streams).rev().map(|k| n / 3u32.pow(k) % 3).collect();
        let non_increasing = digits.windows(2).all(|w| w[0] >= w[1]);
        let all_equal = digits.windows(2).all(|w| w[0] == w[1]);
        (non_increasing && !all_equal).then(|| digits.iter().map(|d| 2 * d + 2).sum::<u32>())
    });
    let count = combos.clone().count();
    let i = usize::from(index - first);
    let (i, rate) = if i < count {
        (i, 1.0 / 2.0)
    } else {
        (i - count, 3.0 / 4.0)
    };
    combos.clone().nth(i).map(|bits| (f64::from(bits), rate))
}

/// The VHT field: known, flags, bandwidth, four users' MCS and streams,
/// coding, group and partial AID.
fn vht(w: &mut Vec<u8>, b: &[u8]) {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let (known, flags, bandwidth, coding) = (le16(b, 0), at(2), at(3), at(8));
    for user in 0..4u8 {
        let mcs_nss = at(4 + usize::from(user));
        if mcs_nss & 0x0f == 0 {
            continue;
        }
        let fec = if coding & (1 << user) != 0 {
            "LDPC"
        } else {
            "BCC"
        };
        out!(w, "User {user} MCS {} {fec} FEC ", mcs_nss >> 4);
    }
    if known & 0x40 != 0 {
        put_vht_bandwidth(w, bandwidth & 0x1f);
    }
    if known & 4 != 0 {
        let gi = if flags & 4 != 0 { "short" } else { "long" };
        out!(w, "{gi} GI ");
    }
}

/// tcpdump's names of the VHT bandwidth codes (its table names code 21
/// like code 25, `160 MHz (UUU)`).
fn put_vht_bandwidth(w: &mut Vec<u8>, code: u8) {
    const SIDES: [&str; 26] = [
        "", "", "L", "U", "", "L", "U", "LL", "LU", "UL", "UU", "", "L", "U", "LL", "LU", "UL",
        "UU", "LLL", "LLU", "LUL", "UUU", "ULL", "ULU", "UUL", "UUU",
    ];
    let width = match code {
        0 | 2 | 3 => 20,
        1 => 40,
        4..=10 => 80,
        11..=25 => 160,
        _ => {
            out!(w, "unknown ({code}) ");
            return;
        }
    };
    match SIDES.get(usize::from(code)).copied().unwrap_or("") {
        "" => out!(w, "{width} MHz "),
        side => out!(w, "{width} MHz ({side}) "),
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

/// `2412 MHz 11b `: the frequency and what the flags say of the band
/// (`11n` whatever they say when the same present word has an MCS field).
fn chaninfo(w: &mut Vec<u8>, freq: u16, flags: u32, present: u32) {
    out!(w, "{freq} MHz");
    if present & (1 << MCS) != 0 {
        w.extend_from_slice(b" 11n");
    } else {
        legacy_band(w, flags);
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

/// The band words of a channel without an MCS field.
fn legacy_band(w: &mut Vec<u8>, flags: u32) {
    let all = |bits: u32| flags & bits == bits;
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
