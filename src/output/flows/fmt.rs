//! Small formatting helpers shared by the flow printers (table, timeline,
//! JSON): times of day, milliseconds, integers without `fmt`, and the
//! one-line summary of a flow's analysis counters.

use crate::output::time::local_offset;
use crate::packet::Timestamp;
use std::fmt::Write as _;

/// Local time of day, `HH:MM:SS.ffffff` (tcpdump's default; tests set
/// TZ=UTC).
pub fn time_of_day(ts: Timestamp) -> String {
    let mut s = String::with_capacity(15);
    push_time_of_day(&mut s, ts);
    s
}

/// [`time_of_day`], appended to `out` (the flow table formats 100k of these).
pub fn push_time_of_day(out: &mut String, ts: Timestamp) {
    let offset = local_offset(ts.secs());
    let s = (ts.secs() as i64 + offset).rem_euclid(86_400) as u64;
    push_zero_padded(out, s / 3600, 2);
    out.push(':');
    push_zero_padded(out, (s / 60) % 60, 2);
    out.push(':');
    push_zero_padded(out, s % 60, 2);
    out.push('.');
    push_zero_padded(out, (ts.subsec_nanos() / 1000) as u64, 6);
}

/// `n` in decimal, appended without going through `fmt` (what `write!(out,
/// "{n}")` prints, several times faster for the big flow table).
pub fn push_u64(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `n` in decimal with at least `width` digits, zero-padded (`{n:0width$}`).
pub fn push_zero_padded(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    while n > 0 || digits.len() - i < width.max(1) {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

/// Nanoseconds as milliseconds with three decimals ("0.044").
pub fn ms(ns: u64) -> String {
    let mut s = String::with_capacity(8);
    push_ms(&mut s, ns);
    s
}

/// [`ms`], appended to `out`.
pub fn push_ms(out: &mut String, ns: u64) {
    push_u64(out, ns / 1_000_000);
    out.push('.');
    push_zero_padded(out, (ns / 1_000) % 1_000, 3);
}

/// Nanoseconds as (fractional) milliseconds for JSON.
pub fn ms_f64(ns: u64) -> f64 {
    (ns / 1_000) as f64 / 1_000.0
}

/// Nanoseconds as (fractional) seconds for JSON, rounded to microseconds.
pub fn secs_f64(ns: u64) -> f64 {
    (ns / 1_000) as f64 / 1_000_000.0
}

/// "retransmission: 3, dup ack: 1" for the non-zero analysis counters.
pub fn counter_summary(c: &crate::flow::AnalysisCounters) -> String {
    let mut s = String::new();
    for (counter, n) in c.iter() {
        if n > 0 {
            if !s.is_empty() {
                s.push_str(", ");
            }
            let _ = write!(s, "{}: {n}", counter.name());
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        if crate::sys::utc_offset_secs(86_400) == Some(0) {
            assert_eq!(
                time_of_day(Timestamp::from_secs_nanos(86_400 + 3661, 5_000)),
                "01:01:01.000005"
            );
        }
        assert_eq!(ms(44_999), "0.044");
        assert_eq!(ms(1_500_000_000), "1500.000");
        assert_eq!(ms(0), "0.000");
        assert_eq!(
            ms(u64::MAX),
            format!("{}.{:03}", u64::MAX / 1_000_000, (u64::MAX / 1_000) % 1_000)
        );
        for n in [0, 1, 9, 10, 99, 100, 4_294_967_295, u64::MAX] {
            let mut s = String::new();
            push_u64(&mut s, n);
            assert_eq!(s, n.to_string());
            s.clear();
            push_zero_padded(&mut s, n, 6);
            assert_eq!(s, format!("{n:06}"));
        }
    }
}
