//! Packet time stamps as `-t`…`-ttttt` (or `--time`) ask, in tcpdump's
//! bytes: wall-clock time of day in the local time zone (tests set TZ=UTC
//! so goldens are the same everywhere), none, seconds since the epoch, the
//! date and time, or the time since the previous or the first packet.
//! [`TimeFormat`] is defined here, without the argument parser: the
//! command line maps its flags onto it.

use crate::output::fmt::{digit_block, put_block};
use crate::packet::{FileStamp, Timestamp};
use std::cell::Cell;
use std::io::{self, Write};

/// How packet time stamps are printed (tcpdump's `-t` count, or
/// `--time`). A plain enum: the command line maps its own flags onto it,
/// so the printers do not know the argument parser.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeFormat {
    /// Wall-clock time of day in the local time zone (HH:MM:SS.ffffff).
    #[default]
    Abs,
    /// No time stamp at all (`-t`).
    None,
    /// Seconds since the Unix epoch (`-tt`).
    Epoch,
    /// Time since the previous packet (`-ttt`): a sign column (space or
    /// `-`), then HH:MM:SS.ffffff with the hours taken modulo 24, as
    /// tcpdump formats an interval.
    Delta,
    /// Local date and time (`-tttt`): YYYY-MM-DD HH:MM:SS.ffffff.
    Date,
    /// Time since the first packet (`-ttttt`), formatted as `Delta`.
    Rel,
}

/// A packet's time as tcpdump's `-ttt`/`-ttttt` subtract it: the
/// record's whole seconds and its fraction in microseconds as libpcap
/// hands them over, the fraction signed and left past its second where a
/// damaged record has it so (a nanosecond file's divided by 1000, toward
/// zero). The seconds are the file's own (a classic pcap's unsigned: bit
/// 31 set is a time after 2038 here, where tcpdump's are negative).
/// Ordered as tcpdump compares two (seconds, then the fraction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct RawTime {
    secs: i128,
    micros: i64,
}

impl RawTime {
    /// The time of a packet whose clock is `ts` and whose record said
    /// `stamp` (see [`FileStamp`]).
    pub fn of(ts: Timestamp, stamp: Option<FileStamp>) -> Self {
        match stamp {
            Some(s) => RawTime {
                secs: i128::from(s.secs),
                micros: i64::from(s.micros as i32),
            },
            None => RawTime {
                secs: i128::from(ts.secs()),
                micros: i64::from(ts.subsec_nanos() / 1000),
            },
        }
    }

    /// 0.000000: tcpdump's reference time is unset while it is so, and
    /// the packet it meets next becomes the reference.
    fn is_zero(self) -> bool {
        self.secs == 0 && self.micros == 0
    }

    /// tcpdump's `-ttt`/`-ttttt` span from `reference` to `self`: whether
    /// it is negative, then the later time's fields less the earlier's,
    /// a negative fraction borrowing one second (once: a fraction past
    /// its second stays past it).
    fn span_since(self, reference: RawTime) -> (bool, i128, i64) {
        let negative = self < reference;
        let (late, early) = if negative {
            (reference, self)
        } else {
            (self, reference)
        };
        let (mut secs, mut micros) = (late.secs - early.secs, late.micros - early.micros);
        if micros < 0 {
            secs -= 1;
            micros += 1_000_000;
        }
        (negative, secs, micros)
    }
}

pub struct TimePrinter {
    format: TimeFormat,
    /// The first packet's time not 0.000000 (`-ttttt`'s reference).
    first: Option<RawTime>,
    /// The previous packet's time (`-ttt`'s reference).
    prev: Option<RawTime>,
    /// The last local second printed and its `HH:MM:SS` (eight bytes,
    /// little-endian): packets come many to a second, so the time of day
    /// is worked out once per second.
    second: Option<(u64, u64)>,
}

impl TimePrinter {
    pub fn new(format: TimeFormat) -> Self {
        TimePrinter {
            format,
            first: None,
            prev: None,
            second: None,
        }
    }

    /// Go on after packets printed elsewhere (another worker of `read
    /// --threads`): the first and the previous time stamp printed.
    pub fn resume(&mut self, first: Option<RawTime>, prev: Option<RawTime>) {
        (self.first, self.prev) = (first, prev);
    }

    /// Take `now` as the previous packet's time, and as the first's while
    /// no time but 0.000000 came: tcpdump's reference is unset so long
    /// (see [`RawTime::is_zero`]). What `read --threads`' reader keeps
    /// for its workers too.
    pub fn note(first: &mut Option<RawTime>, prev: &mut Option<RawTime>, now: RawTime) {
        if first.is_none_or(RawTime::is_zero) {
            *first = Some(now);
        }
        *prev = Some(now);
    }

    /// The time stamp and the space after it (nothing at all for `-t`);
    /// `stamp`, a file record's own time where it is not `ts` (see
    /// [`FileStamp`]), is printed as tcpdump prints it instead.
    pub fn write(
        &mut self,
        w: &mut Vec<u8>,
        ts: Timestamp,
        stamp: Option<FileStamp>,
    ) -> io::Result<()> {
        if let TimeFormat::Delta | TimeFormat::Rel = self.format {
            let now = RawTime::of(ts, stamp);
            let reference = if self.format == TimeFormat::Delta {
                self.prev
            } else {
                self.first
            };
            Self::note(&mut self.first, &mut self.prev, now);
            let reference = reference.filter(|r| !r.is_zero()).unwrap_or(now);
            write_span(w, now.span_since(reference))?;
            return w.write_all(b" ");
        }
        if let Some(stamp) = stamp
            && matches!(
                self.format,
                TimeFormat::Abs | TimeFormat::Date | TimeFormat::Epoch
            )
        {
            write_file_stamp(w, self.format, stamp)?;
            return w.write_all(b" ");
        }
        match self.format {
            TimeFormat::None => return Ok(()),
            TimeFormat::Abs => {
                self.write_abs(w, local_ns(ts));
                return Ok(());
            }
            TimeFormat::Date => {
                let local = local_ns(ts);
                let (y, m, d) = civil_from_days((local / 86_400_000_000_000) as i64);
                write!(w, "{y:04}-{m:02}-{d:02} ")?;
                write_clock(w, local)?
            }
            TimeFormat::Epoch => write!(w, "{}.{:06}", ts.secs(), ts.subsec_nanos() / 1000)?,
            TimeFormat::Rel | TimeFormat::Delta => {}
        }
        w.write_all(b" ")
    }
}

impl TimePrinter {
    /// `HH:MM:SS.uuuuuu ` for `ns` (already shifted to local time), the
    /// same bytes as [`write_clock`] and the space: two eight-byte stores,
    /// the first from the second's cache, the second gathered in a
    /// register.
    fn write_abs(&mut self, w: &mut Vec<u8>, ns: u64) {
        let secs = ns / 1_000_000_000;
        let clock = match self.second {
            Some((s, clock)) if s == secs => clock,
            _ => {
                let day = secs % 86_400;
                let (h, m, s) = (day / 3600, day / 60 % 60, day % 60);
                let clock = digit_block(h, 2)
                    | u64::from(b':') << 16
                    | digit_block(m, 2) << 24
                    | u64::from(b':') << 40
                    | digit_block(s, 2) << 48;
                self.second = Some((secs, clock));
                clock
            }
        };
        let us = (ns % 1_000_000_000) / 1000;
        let frac = u64::from(b'.') | digit_block(us, 6) << 8 | u64::from(b' ') << 56;
        put_block(w, clock, 8);
        put_block(w, frac, 8);
    }
}

/// The local time zone's UTC offset in seconds at `secs`, looked up once per
/// quarter hour (time zones change offset only on such boundaries; packet
/// lines and flow tables ask for every packet or row).
pub fn local_offset(secs: u64) -> i64 {
    use std::cell::Cell;
    thread_local! {
        static CACHE: Cell<Option<(u64, i64)>> = const { Cell::new(None) };
    }
    let slot = secs / 900;
    CACHE.with(|c| match c.get() {
        Some((s, off)) if s == slot => off,
        _ => {
            let off = Timestamp::from_secs_nanos(secs, 0).local_utc_offset_secs();
            c.set(Some((slot, off)));
            off
        }
    })
}

/// `ts` in nanoseconds shifted to the local time zone.
fn local_ns(ts: Timestamp) -> u64 {
    let offset = local_offset(ts.secs());
    (ts.0 as i128 + offset as i128 * 1_000_000_000).max(0) as u64
}

/// A record's own time for `-tt`, the time of day or `-tttt`: the
/// fraction as the number it is, as tcpdump prints it.
fn write_file_stamp(w: &mut Vec<u8>, format: TimeFormat, stamp: FileStamp) -> io::Result<()> {
    let secs = stamp.secs;
    if format == TimeFormat::Epoch {
        return write!(w, "{secs}.{:06}", stamp.micros);
    }
    let local = secs.saturating_add_signed(local_offset(secs));
    if format == TimeFormat::Date {
        let (y, m, d) = civil_from_days((local / 86_400) as i64);
        write!(w, "{y:04}-{m:02}-{d:02} ")?;
    }
    let day = local % 86_400;
    write!(
        w,
        "{:02}:{:02}:{:02}.{:06}",
        day / 3600,
        day / 60 % 60,
        day % 60,
        stamp.micros
    )
}

/// `HH:MM:SS.uuuuuu`, time of day of `ns` (already shifted to local time).
/// Each digit is computed in place (once per packet line: no loops).
fn write_clock(w: &mut Vec<u8>, ns: u64) -> io::Result<()> {
    let secs = ns / 1_000_000_000;
    let us = (ns % 1_000_000_000) / 1000;
    let day = secs % 86_400;
    let (h, m, s) = (day / 3600, day / 60 % 60, day % 60);
    let d = |v: u64| b'0' + (v % 10) as u8;
    w.extend_from_slice(&[
        d(h / 10),
        d(h),
        b':',
        d(m / 10),
        d(m),
        b':',
        d(s / 10),
        d(s),
        b'.',
        d(us / 100_000),
        d(us / 10_000),
        d(us / 1000),
        d(us / 100),
        d(us / 10),
        d(us),
    ]);
    Ok(())
}

/// A span ([`RawTime::span_since`]) in tcpdump's `-ttt`/`-ttttt` form: a
/// sign column (`-` when time went backwards in the file, a space
/// otherwise), then the span as a time of day (tcpdump formats it with
/// gmtime, so whole days drop out) and the fraction as the number it is,
/// `%06u` of its low 32 bits as tcpdump's: nine digits or ten where a
/// record's fraction was past its second. A span whose seconds tcpdump
/// would read as negative (one from or to a time after 2038) is printed
/// as the span it is, where tcpdump prints `[Error converting time]`.
fn write_span(w: &mut Vec<u8>, (negative, secs, micros): (bool, i128, i64)) -> io::Result<()> {
    w.write_all(if negative { b"-" } else { b" " })?;
    let day = secs.rem_euclid(86_400) as u64;
    if (0..1_000_000).contains(&micros) {
        return write_clock(w, day * 1_000_000_000 + micros as u64 * 1000);
    }
    write!(
        w,
        "{:02}:{:02}:{:02}.{:06}",
        day / 3600,
        day / 60 % 60,
        day % 60,
        micros as u32
    )
}

/// Writes `v`'s decimal digits right-aligned so the last lands before
/// `end`, over the run of ASCII digits that ends there (the template's
/// zeros); higher digits than the run holds are dropped.
fn put_digits(buf: &mut [u8], end: usize, mut v: u64) {
    for d in buf.iter_mut().take(end).rev() {
        if !d.is_ascii_digit() {
            break;
        }
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

/// RFC 3339 UTC time with nanoseconds, for JSON.
pub fn rfc3339(ts: Timestamp) -> String {
    let mut w = Vec::with_capacity(30);
    write_rfc3339(&mut w, ts);
    String::from_utf8(w).unwrap_or_default()
}

/// [`rfc3339`] appended to `w` without going through `format!` (the
/// `--json` packet writer calls it for every packet).
pub fn write_rfc3339(w: &mut Vec<u8>, ts: Timestamp) {
    // Packets come many to a second: the date and the time of day are
    // worked out once per second (and thread), not for every packet.
    thread_local! {
        static SECOND: Cell<Option<(u64, [u8; 20])>> = const { Cell::new(None) };
    }
    let secs = ts.secs();
    let prefix = SECOND.with(|last| match last.get() {
        Some((s, prefix)) if s == secs => prefix,
        _ => {
            let prefix = date_time(secs as i64);
            last.set(Some((secs, prefix)));
            prefix
        }
    });
    w.extend_from_slice(&prefix);
    // The nine digits of the nanoseconds: the first, then eight in one
    // block (no chain of divisions by ten).
    let nanos = u64::from(ts.subsec_nanos()) % 1_000_000_000;
    w.push(b'0' + (nanos / 100_000_000) as u8);
    put_block(w, digit_block(nanos % 100_000_000, 8), 8);
    w.push(b'Z');
}

/// `YYYY-MM-DDTHH:MM:SS.` for seconds since the epoch, UTC.
fn date_time(secs: i64) -> [u8; 20] {
    let day = secs.rem_euclid(86_400) as u64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let mut buf = *b"0000-00-00T00:00:00.";
    // A u64 of nanoseconds ends in 2554: the year always has four digits.
    put_digits(&mut buf, 4, y.max(0) as u64);
    put_digits(&mut buf, 7, u64::from(m));
    put_digits(&mut buf, 10, u64::from(d));
    put_digits(&mut buf, 13, day / 3600);
    put_digits(&mut buf, 16, day / 60 % 60);
    put_digits(&mut buf, 19, day % 60);
    buf
}

/// Seconds since the epoch (already shifted to the wanted zone) as Zeek's
/// log stamps, `%Y-%m-%d-%H-%M-%S`.
pub fn zeek_stamp(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let day = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}-{:02}-{:02}-{:02}",
        day / 3600,
        day / 60 % 60,
        day % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(format: TimeFormat, stamps: &[u64]) -> Vec<String> {
        let mut p = TimePrinter::new(format);
        stamps
            .iter()
            .map(|&ns| {
                let mut out = Vec::new();
                p.write(&mut out, Timestamp(ns), None).unwrap();
                // Without the separating space the printer adds.
                out.pop_if(|c| *c == b' ');
                String::from_utf8(out).unwrap()
            })
            .collect()
    }

    #[test]
    fn abs_clock_as_write_clock() {
        // Within a second, across seconds, minutes, hours and days, back
        // in time: the cached second must never leak into another.
        let t0 = 1_700_006_399_999_999_000u64;
        let mut p = TimePrinter::new(TimeFormat::Abs);
        for ns in [
            0,
            999,
            t0,
            t0 + 1_000,
            t0 + 1,
            t0 - 1_000_000_000,
            86_399_000_000_000,
        ]
        .into_iter()
        .chain((0..2000u64).map(|i| t0 + i * 997_000_003))
        {
            let mut got = Vec::new();
            p.write_abs(&mut got, ns);
            let mut want = Vec::new();
            write_clock(&mut want, ns).unwrap();
            want.push(b' ');
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }

    #[test]
    fn formats() {
        let t0 = 1_700_000_000_123_456_789;
        let stamps = [t0, t0 + 1_500_000_000];
        assert_eq!(
            render(TimeFormat::Abs, &stamps),
            ["22:13:20.123456", "22:13:21.623456"]
        );
        assert_eq!(
            render(TimeFormat::Epoch, &stamps),
            ["1700000000.123456", "1700000001.623456"]
        );
        assert_eq!(
            render(TimeFormat::Rel, &stamps),
            [" 00:00:00.000000", " 00:00:01.500000"]
        );
        assert_eq!(
            render(TimeFormat::Delta, &[t0, t0 + 2_000, t0 + 5_000]),
            [" 00:00:00.000000", " 00:00:00.000002", " 00:00:00.000003"]
        );
        assert_eq!(render(TimeFormat::None, &stamps), ["", ""]);
        assert_eq!(
            render(TimeFormat::Date, &stamps),
            ["2023-11-14 22:13:20.123456", "2023-11-14 22:13:21.623456"]
        );
    }

    #[test]
    fn spans_drop_whole_days_and_sign_backwards_time() {
        let t0 = 1_700_000_000_000_000_000;
        let day = 86_400_000_000_000;
        assert_eq!(
            render(TimeFormat::Delta, &[t0, t0 + day + 3_661_500_000_000, t0]),
            [" 00:00:00.000000", " 01:01:01.500000", "-01:01:01.500000"]
        );
    }

    #[test]
    fn spans_subtract_a_fraction_past_its_second_as_it_is() {
        // (seconds, microseconds as the record said them; odd past 999999
        // or negative): the clock behind is what the reader makes of them.
        let at = |secs: u64, micros: i32| {
            let odd = !(0..1_000_000).contains(&micros);
            let stamp = odd.then_some(FileStamp {
                secs,
                micros: micros as u32,
            });
            let ts = Timestamp::from_secs_nanos(secs, micros.clamp(0, 999_999) as u32 * 1000);
            (ts, stamp)
        };
        let times = [
            at(100, 5),
            at(100, 520_102_327),
            at(99, 7),
            at(99, -5),
            at(100, 0),
        ];
        let mut p = TimePrinter::new(TimeFormat::Delta);
        let got: Vec<String> = times
            .iter()
            .map(|&(ts, stamp)| {
                let mut out = Vec::new();
                p.write(&mut out, ts, stamp).unwrap();
                String::from_utf8(out).unwrap()
            })
            .collect();
        assert_eq!(
            got,
            [
                " 00:00:00.000000 ",
                " 00:00:00.520102322 ",
                "-00:00:01.520102320 ",
                "-00:00:00.000012 ",
                " 00:00:01.000005 ",
            ]
        );
    }

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(Timestamp(0)), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(
            rfc3339(Timestamp(1_700_000_000_123_456_789)),
            "2023-11-14T22:13:20.123456789Z"
        );
    }

    #[test]
    fn rfc3339_same_second_then_another() {
        // The second's text is kept between calls: a new second, and
        // going back to an old one, must not reuse the wrong one.
        let at = |ns| rfc3339(Timestamp(ns));
        assert_eq!(
            at(1_700_000_000_000_000_001),
            "2023-11-14T22:13:20.000000001Z"
        );
        assert_eq!(
            at(1_700_000_000_999_999_999),
            "2023-11-14T22:13:20.999999999Z"
        );
        assert_eq!(
            at(1_700_000_001_000_000_000),
            "2023-11-14T22:13:21.000000000Z"
        );
        assert_eq!(
            at(1_699_999_999_500_000_000),
            "2023-11-14T22:13:19.500000000Z"
        );
        assert_eq!(at(86_400_000_000_000), "1970-01-02T00:00:00.000000000Z");
    }
}
