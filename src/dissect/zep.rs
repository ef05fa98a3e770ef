//! ZEP, the ZigBee Encapsulation Protocol (UDP 17754: an IEEE 802.15.4
//! frame a sniffer or simulator sends over IP), as tcpdump 4.99 prints
//! it: `ZEPv1 Channel ID 11, Device ID 0x1234, LQI 200, inner len = 16`,
//! version 2's type, NTP timestamp (with its UTC date) and sequence
//! number, or its `ACK, seq# = N`; then, on a line of its own, the
//! 802.15.4 frame ([`super::ieee802_15_4`]) and the bytes that printer
//! leaves (its default print, off under `-x`/`-X`). A preamble other than
//! `EX` is ` [Preamble Code: ..] (invalid)`; a datagram shorter than its
//! version's header ` [len N < 16] (invalid)`; a cut header ` [|zep]`,
//! a cut frame ` [|802.15.4]` (tcpdump's `longjmp`s both). Zeek has no
//! ZEP analyzer (no `service`).

use super::ctl::{json_object, line_is_level_0, out};
use super::dns::text::put_char;
use super::ieee802_15_4::{self as frame, Outcome};
use super::ntp::put_utc_dated;
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub const PORT: u16 = 17754;

pub static ZEP: Dissector = Dissector {
    name: "zep",
    json_key: "zep",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.starts_with(b"EX"),
};

/// Version 1's header: preamble, version, channel, device, CRC/LQI mode,
/// LQI, 7 reserved bytes, length.
const V1_LEN: usize = 16;
/// Version 2's data header: preamble, version, type, channel, device,
/// mode, LQI, NTP timestamp, sequence number, 10 reserved bytes, length.
const V2_LEN: usize = 32;
/// Version 2's acknowledgement: preamble, version, type, sequence number.
const ACK_LEN: usize = 8;
const ACK: u8 = 2;

/// Seconds from 1900 (NTP's era) to 1970.
const JAN_1970: u32 = 2_208_988_800;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    print(w, p, v, super::default_print::on()).or_else(|stop| match stop {
        // The frame's printer had named itself: its mark, not ZEP's.
        Stop::InFrame => {
            w.extend_from_slice(super::ieee802_15_4::CUT.as_bytes());
            Ok(())
        }
        Stop::InHeader => Err(Truncated),
    })
}

/// Where a read past the capture stopped the printer (both are tcpdump's
/// `longjmp`; the mark names the printer it was in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    InHeader,
    InFrame,
}

impl From<Truncated> for Stop {
    fn from(_: Truncated) -> Stop {
        Stop::InHeader
    }
}

fn in_frame(_: Truncated) -> Stop {
    Stop::InFrame
}

/// Whether a cut line ended by tcpdump's `longjmp` (the dump then starts
/// at the frame's first byte): every read is unchecked, but the frame
/// printer's own `[|802.15.4]` after a length test is not a jump.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], v: u8) -> bool {
    print(&mut Vec::new(), p, v, super::default_print::on()).is_err()
}

fn print(w: &mut Vec<u8>, p: &Payload<'_>, v: u8, hex: bool) -> Result<(), Stop> {
    let (m, mut len) = (p.bytes, p.declared_len);
    w.extend_from_slice(b"ZEP");
    // tcpdump's test reads the second byte only after an `E`, and its
    // message reads it again after printing the first.
    let e = u8_at(m, 0)?;
    if e != b'E' || u8_at(m, 1)? != b'X' {
        w.extend_from_slice(b" [Preamble Code: ");
        put_char(w, e);
        put_char(w, u8_at(m, 1)?);
        w.extend_from_slice(b"] (invalid)");
        return Ok(());
    }
    let version = u8_at(m, 2)?;
    out!(w, "v{version} ");
    let (header, inner) = if version == 1 {
        if len < V1_LEN {
            return invalid(w, len, V1_LEN);
        }
        out!(
            w,
            "Channel ID {}, Device ID 0x{:04x}, ",
            u8_at(m, 3)?,
            u16_at(m, 4)?
        );
        put_quality(w, m, 6)?;
        let inner = u8_at(m, 15)?;
        out!(w, "inner len = {inner}");
        (V1_LEN, inner)
    } else if u8_at(m, 3)? == ACK {
        if len < ACK_LEN {
            return invalid(w, len, ACK_LEN);
        }
        out!(w, "ACK, seq# = {}", u32_at(m, 4)?);
        (ACK_LEN, 0)
    } else {
        if len < V2_LEN {
            return invalid(w, len, V2_LEN);
        }
        out!(
            w,
            "Type {}, Channel ID {}, Device ID 0x{:04x}, ",
            u8_at(m, 3)?,
            u8_at(m, 4)?,
            u16_at(m, 5)?
        );
        put_quality(w, m, 7)?;
        put_timestamp(w, u32_at(m, 9)?, u32_at(m, 13)?);
        let (seq, inner) = (u32_at(m, 17)?, u8_at(m, 31)?);
        out!(w, ", seq# = {seq}, inner len = {inner}");
        (V2_LEN, inner)
    };
    len -= header;
    let rest = m.get(header..).unwrap_or_default();
    let mut inside = false;
    if inner != 0 {
        inside = true;
        w.extend_from_slice(b"\n\t");
        let outcome = frame::print(w, rest, usize::from(inner), v, hex).map_err(in_frame)?;
        if outcome == Outcome::Printed {
            // tcpdump checks the rest of the datagram was captured, and
            // prints none of it.
            super::wire::need(rest, 0, len).map_err(in_frame)?;
            len = 0;
        }
    }
    if hex {
        // The default print, cut where the capture ends (a `longjmp`
        // whose mark names the printer last entered).
        super::ctl::put_hex_ascii(w, rest, 0, len, "\n\t").map_err(|_| {
            if inside {
                Stop::InFrame
            } else {
                Stop::InHeader
            }
        })?;
    }
    Ok(())
}

/// tcpdump's length check: ` [len N < M] (invalid)`.
fn invalid(w: &mut Vec<u8>, len: usize, need: usize) -> Result<(), Stop> {
    out!(w, " [len {len} < {need}] (invalid)");
    Ok(())
}

/// `CRC, ` when the mode byte at `at` says the frame ends in its FCS,
/// else `LQI N, ` from the byte after it.
fn put_quality(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    if u8_at(m, at)? != 0 {
        w.extend_from_slice(b"CRC, ");
    } else {
        out!(w, "LQI {}, ", u8_at(m, at + 1)?);
    }
    Ok(())
}

/// The NTP timestamp as tcpdump prints it: seconds, the fraction in
/// nanoseconds through its single-precision arithmetic, and the date when
/// the seconds are not zero (`localtime`, UTC in the tests; the 32-bit
/// difference from 1970 wraps as tcpdump's unsigned subtraction does).
fn put_timestamp(w: &mut Vec<u8>, secs: u32, frac: u32) {
    let fraction = ((frac as f32) as f64 / 4_294_967_296.0) as f32;
    let nanos = (f64::from(fraction) * 1_000_000_000.0) as u32;
    out!(w, "{secs}.{nanos:09}");
    if secs != 0 {
        w.extend_from_slice(b" (");
        put_utc_dated(w, i64::from(secs.wrapping_sub(JAN_1970)), b'/', b' ', b")");
    }
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let preamble = super::wire::bytes_at::<2>(m, 0)?;
    o.insert("preamble_ok".into(), json!(preamble == *b"EX"));
    if preamble != *b"EX" {
        return Ok(());
    }
    let version = u8_at(m, 2)?;
    o.insert("version".into(), json!(version));
    let (header, inner) = if version == 1 {
        o.insert("channel".into(), json!(u8_at(m, 3)?));
        o.insert("device_id".into(), json!(u16_at(m, 4)?));
        quality_json(o, m, 6)?;
        (V1_LEN, u8_at(m, 15)?)
    } else {
        let kind = u8_at(m, 3)?;
        o.insert("type".into(), json!(kind));
        if kind == ACK {
            o.insert("seq".into(), json!(u32_at(m, 4)?));
            return Ok(());
        }
        o.insert("channel".into(), json!(u8_at(m, 4)?));
        o.insert("device_id".into(), json!(u16_at(m, 5)?));
        quality_json(o, m, 7)?;
        let mut ts = Vec::new();
        put_timestamp(&mut ts, u32_at(m, 9)?, u32_at(m, 13)?);
        o.insert("timestamp".into(), json!(String::from_utf8_lossy(&ts)));
        o.insert("seq".into(), json!(u32_at(m, 17)?));
        (V2_LEN, u8_at(m, 31)?)
    };
    o.insert("inner_len".into(), json!(inner));
    if inner == 0 {
        return Ok(());
    }
    let mut f = Map::new();
    let read = frame::to_json(&mut f, m.get(header..).unwrap_or_default());
    o.insert("ieee802_15_4".into(), Value::Object(f));
    read
}

fn quality_json(o: &mut Map<String, Value>, m: &[u8], at: usize) -> Res<()> {
    let crc = u8_at(m, at)? != 0;
    o.insert("crc".into(), json!(crc));
    if !crc {
        o.insert("lqi".into(), json!(u8_at(m, at + 1)?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Version 1, LQI 200, carrying a data frame between short addresses
    /// on PAN 0xabcd (no FCS): `hello`.
    const DATA: [u8; 32] = [
        b'E', b'X', 1, 11, 0x12, 0x34, 0, 200, 0, 0, 0, 0, 0, 0, 0, 16, // ZEP
        0x41, 0x88, 5, 0xcd, 0xab, 0xff, 0xff, 0x01, 0x00, b'h', b'e', b'l', b'l', b'o', 0x12,
        0x34,
    ];

    #[test]
    fn test_line() {
        assert_eq!(
            ZEP.printed(&DATA, 0),
            "ZEPv1 Channel ID 11, Device ID 0x1234, LQI 200, inner len = 16\
             \n\tIEEE 802.15.4 Data packet v0 abcd:ffff < -:0001 \
             \n\t0x0000:  6865 6c6c 6f12 34                        hello.4"
        );
        assert!(
            ZEP.printed(&DATA, 1)
                .contains("Data packet v0 seq 05 abcd:ffff")
        );
        assert_eq!(
            ZEP.printed(b"EX\x02\x02\x00\x00\x00\x09", 0),
            "ZEPv2 ACK, seq# = 9"
        );
        assert_eq!(
            ZEP.printed(b"E\x01", 0),
            "ZEP [Preamble Code: E^A] (invalid)"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(
            ZEP.printed_cut(&DATA, 10, 0),
            "ZEPv1 Channel ID 11, Device ID 0x1234, LQI 200,  [|zep]"
        );
        assert!(
            ZEP.printed_cut(&DATA, 20, 0)
                .ends_with("inner len = 16\n\tIEEE 802.15.4 Data packet  [|802.15.4]")
        );
        assert_eq!(ZEP.printed(b"E", 0), "ZEP [|zep]");
    }

    #[test]
    fn test_malformed_lengths() {
        assert_eq!(
            ZEP.printed(&DATA[..12], 0),
            "ZEPv1  [len 12 < 16] (invalid)"
        );
        let mut m = DATA;
        // The frame control's reserved destination mode.
        m[17] = 0x84;
        assert!(
            ZEP.printed(&m, 0)
                .contains("Data packet v0 [ERROR: Invalid dst address mode]\n\t0x0000:  4184")
        );
    }
}
