//! NTP (RFC 5905, control messages RFC 1305 appendix B) on UDP port 123:
//! the line as `tcpdump -n` prints it (`NTPv4, Client, length 48`), the
//! `-v` text (leap indicator, stratum, poll, precision, root delay and
//! dispersion, reference id, the four timestamps and the originator's
//! differences, key id and MAC; for mode 6 the control header), and an
//! `"ntp"` JSON object.
//!
//! The text follows tcpdump 4.99's observed output, checked byte for byte
//! by `tests/dissect_ntp.rs`: a message shorter than its mode needs (by the
//! UDP length) is `(invalid)` after the leap indicator; a message the
//! capture cut stops before the first field it cannot read. Every read
//! goes through `wire`; nothing loops over the payload.

use super::dns::text::{put_char, put_hex};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated, put_num};
use serde_json::{Map, Value, json};

/// NTP on port 123.
pub static NTP: Dissector = Dissector::new("ntp", line, verbose, to_json, looks_like_ntp);

const TIME_MSG_LEN: usize = 48;

/// Versions 1–4; a whole time message in modes 1–5, or a control header.
fn looks_like_ntp(m: &[u8]) -> bool {
    let Ok(b0) = u8_at(m, 0) else {
        return false;
    };
    (1..=4).contains(&version(b0))
        && match mode(b0) {
            1..=5 => m.len() >= TIME_MSG_LEN,
            MODE_CONTROL | MODE_PRIVATE => m.len() >= CONTROL_HEADER_LEN,
            _ => false,
        }
}
const CONTROL_HEADER_LEN: usize = 12;
const MODE_CONTROL: u8 = 6;
const MODE_PRIVATE: u8 = 7;
/// Seconds from 1900-01-01 (NTP's era 0) to 1970-01-01.
const NTP_TO_UNIX: i64 = 2_208_988_800;

const MODES: [&str; 8] = [
    "unspecified",
    "symmetric active",
    "symmetric passive",
    "Client",
    "Server",
    "Broadcast",
    "Control Message",
    "Reserved",
];

const LEAPS: [&str; 4] = ["", "+1s", "-1s", "clock unsynchronized"];

fn version(b0: u8) -> u8 {
    (b0 >> 3) & 7
}

fn mode(b0: u8) -> u8 {
    b0 & 7
}

fn mode_name(b0: u8) -> &'static str {
    MODES.get(usize::from(mode(b0))).copied().unwrap_or("")
}

fn leap(b0: u8) -> u8 {
    b0 >> 6
}

/// Whether tcpdump's printer, stopping early, read past the capture (see
/// `dissect::JumpRule`). The default line reads its one byte unchecked.
/// At `-v` a message too short for its header is tested first; a time
/// message's stratum, poll and precision and a key id, and a control
/// message's header, are read unchecked; the rest is checked.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], verbose: u8) -> bool {
    let (n, len) = (p.bytes.len().min(p.declared_len), p.declared_len);
    let Some(&b0) = p.bytes.first() else {
        return true;
    };
    if verbose == 0 {
        return true;
    }
    match mode(b0) {
        MODE_CONTROL => len >= CONTROL_HEADER_LEN && n < CONTROL_HEADER_LEN,
        MODE_PRIVATE => false,
        _ if len < TIME_MSG_LEN => false,
        _ => {
            n < 4
                || (matches!(len - TIME_MSG_LEN, 4 | 20 | 24)
                    && (TIME_MSG_LEN..TIME_MSG_LEN + 4).contains(&n))
        }
    }
}

/// `NTPv4, Client, length 48`.
fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let b0 = u8_at(p.bytes, 0)?;
    w.extend_from_slice(b"NTPv");
    put_num(w, version(b0));
    w.extend_from_slice(b", ");
    w.extend_from_slice(mode_name(b0).as_bytes());
    w.extend_from_slice(b", length ");
    put_num(w, p.declared_len);
    Ok(())
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _level: u8) -> Res<()> {
    line(w, p)?;
    let b0 = u8_at(p.bytes, 0)?;
    w.extend_from_slice(b"\n\tLeap indicator: ");
    let li = leap(b0);
    w.extend_from_slice(LEAPS.get(usize::from(li)).copied().unwrap_or("").as_bytes());
    w.extend_from_slice(b" (");
    put_num(w, li << 6);
    w.push(b')');
    match mode(b0) {
        MODE_PRIVATE => Ok(()),
        MODE_CONTROL if p.declared_len < CONTROL_HEADER_LEN => invalid(w, p),
        MODE_CONTROL => control(w, p),
        _ if p.declared_len < TIME_MSG_LEN => invalid(w, p),
        _ => time_message(w, p),
    }
}

/// A message shorter than its mode needs; tcpdump then checks that the
/// capture holds it all, and says so when it does not.
fn invalid(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    w.extend_from_slice(b" (invalid)");
    if p.bytes.len() < p.declared_len {
        return Err(Truncated);
    }
    Ok(())
}

/// Modes 0–5: the 48-byte header, then a key id and MAC when the length
/// says there is one.
fn time_message(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let stratum = u8_at(m, 1)?;
    w.extend_from_slice(b", Stratum ");
    put_num(w, stratum);
    w.extend_from_slice(match stratum {
        0 => b" (unspecified)".as_slice(),
        1 => b" (primary reference)",
        2..=15 => b" (secondary reference)",
        _ => b" (reserved)",
    });
    let poll = u8_at(m, 2)? as i8;
    w.extend_from_slice(b", poll ");
    put_num(w, poll);
    put_poll_interval(w, poll);
    let precision = u8_at(m, 3)? as i8;
    w.extend_from_slice(b", precision ");
    put_num(w, precision);

    let delay = u32_at(m, 4)?;
    w.extend_from_slice(b"\n\tRoot Delay: ");
    put_short_fixed(w, delay);
    let dispersion = u32_at(m, 8)?;
    w.extend_from_slice(b", Root dispersion: ");
    put_short_fixed(w, dispersion);
    let refid: [u8; 4] = bytes_at(m, 12)?;
    w.extend_from_slice(b", Reference-ID: ");
    put_reference_id(w, stratum, refid);

    let labels: [&[u8]; 4] = [
        b"\n\t  Reference Timestamp:  ",
        b"\n\t  Originator Timestamp: ",
        b"\n\t  Receive Timestamp:    ",
        b"\n\t  Transmit Timestamp:   ",
    ];
    let mut stamps = [0u64; 4];
    for (i, (label, stamp)) in labels.iter().zip(stamps.iter_mut()).enumerate() {
        *stamp = timestamp_at(m, 16 + 8 * i)?;
        w.extend_from_slice(label);
        put_timestamp(w, *stamp);
    }
    let [_, origin, receive, transmit] = stamps;
    w.extend_from_slice(b"\n\t    Originator - Receive Timestamp:  ");
    put_delta(w, origin, receive);
    w.extend_from_slice(b"\n\t    Originator - Transmit Timestamp: ");
    put_delta(w, origin, transmit);

    match p.declared_len - TIME_MSG_LEN {
        0 => {}
        extra @ (4 | 20 | 24) => {
            let key = u32_at(m, TIME_MSG_LEN)?;
            w.extend_from_slice(b"\n\tKey id: ");
            put_num(w, key);
            if extra > 4 {
                let mac = m
                    .get(TIME_MSG_LEN + 4..TIME_MSG_LEN + extra)
                    .ok_or(Truncated)?;
                w.extend_from_slice(b"\n\tAuthentication: ");
                for &b in mac {
                    put_hex(w, b, 2);
                }
            }
        }
        extra => {
            w.extend_from_slice(b"\n\t(");
            put_num(w, extra);
            w.extend_from_slice(b" more bytes after the header)");
        }
    }
    Ok(())
}

/// Mode 6: the 12-byte control header; its data is not decoded (tcpdump
/// says so).
fn control(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let b1 = u8_at(m, 1)?;
    let bit = |mask: u8, set: &'static [u8], clear: &'static [u8]| {
        if b1 & mask != 0 { set } else { clear }
    };
    w.extend_from_slice(b", ");
    w.extend_from_slice(bit(0x80, b"Response", b"Request"));
    w.extend_from_slice(b", ");
    w.extend_from_slice(bit(0x40, b"Error", b"OK"));
    w.extend_from_slice(b", ");
    w.extend_from_slice(bit(0x20, b"More", b"Last"));
    w.extend_from_slice(b", OpCode=");
    put_num(w, b1 & 0x1f);
    w.push(b'\n');
    let mut count = 0;
    for (label, at) in [
        (&b"\tSequence="[..], 2),
        (b", Status=", 4),
        (b", Assoc.=", 6),
        (b", Offset=", 8),
        (b", Count=", 10),
    ] {
        let v = u16_at(m, at)?;
        w.extend_from_slice(label);
        if at == 4 {
            put_alt_hex(w, v);
        } else {
            put_num(w, v);
        }
        count = usize::from(v);
    }
    if count > p.declared_len - CONTROL_HEADER_LEN {
        return invalid(w, p);
    }
    if count > 0 {
        m.get(CONTROL_HEADER_LEN..CONTROL_HEADER_LEN + count)
            .ok_or(Truncated)?;
        w.extend_from_slice(b"\n\tTO-BE-DONE: data not interpreted");
    }
    Ok(())
}

/// `0` or `0x615` (C's `%#x`: `%#0Nx` with no padding).
fn put_alt_hex(w: &mut Vec<u8>, n: u16) {
    super::ctl::put_alt_hex(w, u32::from(n), 1);
}

/// The poll interval in seconds where it fits tcpdump's range: `(64s)`,
/// `(1/8s)`.
fn put_poll_interval(w: &mut Vec<u8>, poll: i8) {
    match poll {
        0..=31 => {
            w.extend_from_slice(b" (");
            put_num(w, 1u64 << poll);
            w.extend_from_slice(b"s)");
        }
        -31..=-1 => {
            w.extend_from_slice(b" (1/");
            put_num(w, 1u64 << -poll);
            w.extend_from_slice(b"s)");
        }
        _ => {}
    }
}

/// A 16.16 fixed-point number: whole part, then six decimals (truncated).
fn put_short_fixed(w: &mut Vec<u8>, v: u32) {
    put_num(w, v >> 16);
    w.push(b'.');
    put_padded(w, (u64::from(v & 0xffff) * 1_000_000) >> 16, 6);
}

/// Stratum 0: unspecified; 1: four characters (a clock's name); above: hex.
fn put_reference_id(w: &mut Vec<u8>, stratum: u8, id: [u8; 4]) {
    match stratum {
        0 => w.extend_from_slice(b"(unspec)"),
        1 => id.iter().for_each(|&c| put_char(w, c)),
        _ => {
            w.extend_from_slice(b"0x");
            for b in id {
                put_hex(w, b, 2);
            }
        }
    }
}

fn timestamp_at(m: &[u8], at: usize) -> Res<u64> {
    Ok(u64::from(u32_at(m, at)?) << 32 | u64::from(u32_at(m, at + 4)?))
}

/// The fraction of a 32.32 timestamp in nanoseconds (truncated).
fn nanos(fraction: u32) -> u64 {
    (u64::from(fraction) * 1_000_000_000) >> 32
}

fn put_padded(w: &mut Vec<u8>, n: u64, width: usize) {
    let mut b = itoa::Buffer::new();
    let digits = b.format(n);
    w.extend(std::iter::repeat_n(
        b'0',
        width.saturating_sub(digits.len()),
    ));
    w.extend_from_slice(digits.as_bytes());
}

/// `3913056000.500000000 (2024-01-01T00:00:00Z)`; the date only when the
/// seconds are not zero (RADIUS's location times are written so too).
pub(super) fn put_timestamp(w: &mut Vec<u8>, t: u64) {
    let (secs, frac) = ((t >> 32) as u32, t as u32);
    put_num(w, secs);
    w.push(b'.');
    put_padded(w, nanos(frac), 9);
    if secs != 0 {
        w.extend_from_slice(b" (");
        put_utc(w, i64::from(secs) - NTP_TO_UNIX);
        w.push(b')');
    }
}

/// `later - origin` with its sign (`+1.5`, `-0.25`; equal stamps are
/// `-0.000000000`), or `later` itself when the origin is zero.
fn put_delta(w: &mut Vec<u8>, origin: u64, later: u64) {
    if origin == 0 {
        put_timestamp(w, later);
        return;
    }
    let (os, of) = (i64::from((origin >> 32) as u32), origin as u32);
    let (ls, lf) = (i64::from((later >> 32) as u32), later as u32);
    let (negative, secs, frac) = match ls - os {
        d if d > 0 => (false, d - i64::from(of > lf), lf.wrapping_sub(of)),
        d if d < 0 => (true, -(d + i64::from(lf > of)), of.wrapping_sub(lf)),
        _ if lf > of => (false, 0, lf - of),
        _ => (true, 0, of - lf),
    };
    w.push(if negative { b'-' } else { b'+' });
    put_num(w, secs);
    w.push(b'.');
    put_padded(w, nanos(frac), 9);
}

/// Seconds since 1970 (negative back to 1900) as `YYYY-MM-DDTHH:MM:SSZ`.
fn put_utc(w: &mut Vec<u8>, unix: i64) {
    put_utc_as(w, unix, b'T', b"Z");
}

/// Seconds since 1970 (negative back to 1900) as `YYYY-MM-DD`, `between`,
/// `HH:MM:SS` and `end` (AHCP's `strftime` is `YYYY-MM-DD HH:MM:SS UTC`).
/// NTP's era 0 spans 1900–2036 and AHCP's 32-bit times end in 2106, so
/// walking the years is short.
pub(super) fn put_utc_as(w: &mut Vec<u8>, unix: i64, between: u8, end: &[u8]) {
    put_utc_dated(w, unix, b'-', between, end);
}

/// The same with `date` between the year, month and day (ZEP's
/// `YYYY/MM/DD HH:MM:SS`).
pub(super) fn put_utc_dated(w: &mut Vec<u8>, unix: i64, date: u8, between: u8, end: &[u8]) {
    let (mut days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut year = 1970i64;
    while days < 0 {
        year -= 1;
        days += if leap(year) { 366 } else { 365 };
    }
    while days >= if leap(year) { 366 } else { 365 } {
        days -= if leap(year) { 366 } else { 365 };
        year += 1;
    }
    let feb = if leap(year) { 29 } else { 28 };
    let mut month = 1;
    for len in [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] {
        if days < len {
            break;
        }
        days -= len;
        month += 1;
    }
    put_padded(w, year as u64, 4);
    for (sep, n, width) in [
        (date, month, 2),
        (date, days + 1, 2),
        (between, secs / 3600, 2),
        (b':', secs / 60 % 60, 2),
        (b':', secs % 60, 2),
    ] {
        w.push(sep);
        put_padded(w, n as u64, width);
    }
    w.extend_from_slice(end);
}

fn timestamp_json(t: u64) -> Value {
    let mut s = Vec::new();
    put_timestamp(&mut s, t);
    Value::String(String::from_utf8_lossy(&s).into_owned())
}

/// What could be read: version, mode, leap; the time fields or the
/// control header; `complete` when nothing was missing.
fn to_json(p: &Payload<'_>) -> Value {
    let mut o = Map::new();
    let complete = json_fields(&mut o, p).is_ok();
    o.insert("complete".into(), json!(complete));
    Value::Object(o)
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let b0 = u8_at(m, 0)?;
    o.insert("version".into(), json!(version(b0)));
    o.insert("mode".into(), json!(mode(b0)));
    o.insert("mode_name".into(), json!(mode_name(b0)));
    o.insert("leap".into(), json!(leap(b0)));
    match mode(b0) {
        MODE_PRIVATE => Ok(()),
        MODE_CONTROL => {
            let b1 = u8_at(m, 1)?;
            o.insert("response".into(), json!(b1 & 0x80 != 0));
            o.insert("error".into(), json!(b1 & 0x40 != 0));
            o.insert("more".into(), json!(b1 & 0x20 != 0));
            o.insert("opcode".into(), json!(b1 & 0x1f));
            for (key, at) in [
                ("sequence", 2),
                ("status", 4),
                ("association_id", 6),
                ("offset", 8),
                ("count", 10),
            ] {
                o.insert(key.into(), json!(u16_at(m, at)?));
            }
            Ok(())
        }
        _ => {
            let stratum = u8_at(m, 1)?;
            o.insert("stratum".into(), json!(stratum));
            o.insert("poll".into(), json!(u8_at(m, 2)? as i8));
            o.insert("precision".into(), json!(u8_at(m, 3)? as i8));
            for (key, at) in [("root_delay", 4), ("root_dispersion", 8)] {
                o.insert(key.into(), json!(f64::from(u32_at(m, at)?) / 65536.0));
            }
            let refid: [u8; 4] = bytes_at(m, 12)?;
            let mut r = Vec::new();
            put_reference_id(&mut r, stratum, refid);
            o.insert(
                "reference_id".into(),
                json!(String::from_utf8_lossy(&r).into_owned()),
            );
            for (key, at) in [
                ("reference_ts", 16),
                ("origin_ts", 24),
                ("receive_ts", 32),
                ("transmit_ts", 40),
            ] {
                o.insert(key.into(), timestamp_json(timestamp_at(m, at)?));
            }
            if p.declared_len >= TIME_MSG_LEN + 4 {
                o.insert("key_id".into(), json!(u32_at(m, TIME_MSG_LEN)?));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl Fn(&mut Vec<u8>)) -> String {
        let mut w = Vec::new();
        f(&mut w);
        String::from_utf8(w).unwrap()
    }

    #[test]
    fn test_dates_across_the_era() {
        let at = |s: i64| text(|w| put_utc(w, s - NTP_TO_UNIX));
        assert_eq!(at(1), "1900-01-01T00:00:01Z");
        assert_eq!(at(2_208_988_799), "1969-12-31T23:59:59Z");
        assert_eq!(at(2_208_988_800), "1970-01-01T00:00:00Z");
        assert_eq!(at(3_913_056_000), "2024-01-01T00:00:00Z");
        assert_eq!(at(4_294_967_295), "2036-02-07T06:28:15Z");
        assert_eq!(at(3_160_771_200), "2000-02-29T00:00:00Z");
        assert_eq!(at(3_160_000_000 + 86_400 * 59), "2000-04-19T01:46:40Z");
    }

    #[test]
    fn test_delta_signs_and_borrows() {
        let t = |s: u64, f: u64| s << 32 | f;
        let d = |a, b| text(|w| put_delta(w, a, b));
        assert_eq!(d(t(5, 0x8000_0000), t(5, 0x8000_0000)), "-0.000000000");
        assert_eq!(d(t(5, 0x8000_0000), t(4, 0x8000_0003)), "-0.999999999");
        assert_eq!(d(t(5, 0x8000_0000), t(10, 0x7fff_fff9)), "+4.999999998");
        assert_eq!(d(0, t(1, 0)), "1.000000000 (1900-01-01T00:00:01Z)");
    }

    #[test]
    fn test_alt_hex() {
        assert_eq!(text(|w| put_alt_hex(w, 0)), "0");
        assert_eq!(text(|w| put_alt_hex(w, 0x615)), "0x615");
        assert_eq!(text(|w| put_alt_hex(w, 0xffff)), "0xffff");
    }
}
