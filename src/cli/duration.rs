//! The one parser for the durations every flag takes (`--duration`,
//! `--idle-timeout`, `--timeout` …): `500ms`, `1s`, `1.5s`, `2m`, `1h`, or a
//! bare number of seconds. It lives with the argument parser because only
//! flags are written this way; the library takes `Duration`s.

use std::time::Duration;

/// The longest duration any flag accepts (about 31 years): longer values are
/// typos, and `Duration::from_secs_f64` would overflow on huge ones.
const MAX_SECS: f64 = 1e9;

/// Parses `text` as a strictly positive duration; the error says what was
/// wrong (clap shows it as a usage error, exit code 2).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    if num.is_empty() {
        return Err(format!(
            "invalid duration {text:?}: expected a number with a unit (e.g. 500ms, 1s, 2m)"
        ));
    }
    let value: f64 = num
        .parse()
        .map_err(|_| format!("invalid duration {text:?}: {num:?} is not a number"))?;
    let scale = match unit.trim() {
        "ns" => 1e-9,
        "us" | "µs" => 1e-6,
        "ms" => 1e-3,
        "" | "s" | "sec" | "secs" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => {
            return Err(format!(
                "invalid duration {text:?}: unknown unit {other:?} (use ms, s, m or h)"
            ));
        }
    };
    let secs = value * scale;
    if !secs.is_finite() || secs > MAX_SECS {
        return Err(format!(
            "invalid duration {text:?}: too large (at most {MAX_SECS:e} seconds)"
        ));
    }
    let d = Duration::from_secs_f64(secs);
    if d.is_zero() {
        return Err(format!(
            "invalid duration {text:?}: must be greater than zero"
        ));
    }
    Ok(d)
}

/// Short human form for messages: `60s`, `1.5s`, `250ms`.
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms >= 1000 && ms.is_multiple_of(100) {
        let s = d.as_secs_f64();
        if ms.is_multiple_of(1000) {
            format!("{s:.0}s")
        } else {
            format!("{s:.1}s")
        }
    } else {
        format!("{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_format() {
        assert_eq!(format_duration(Duration::from_secs(60)), "60s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(format_duration(Duration::from_millis(1234)), "1234ms");
    }

    #[test]
    fn test_units() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_duration("10 s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("250us"), Ok(Duration::from_micros(250)));
    }

    #[test]
    fn test_malformed() {
        for bad in ["", "s", "1x", "10 parsecs", "1.2.3s", "-1s"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} parsed");
        }
    }

    /// Regression: both parsers used to disagree on zero (one accepted it).
    #[test]
    fn test_zero_is_rejected() {
        for zero in ["0", "0s", "0.0ms", "0.1ns"] {
            let err = parse_duration(zero).unwrap_err();
            assert!(err.contains("greater than zero"), "{zero:?}: {err}");
        }
    }

    /// Regression: a huge value said "must be positive".
    #[test]
    fn test_huge_says_too_large() {
        let err = parse_duration("99999999999999999999s").unwrap_err();
        assert!(err.contains("too large"), "{err}");
    }
}
