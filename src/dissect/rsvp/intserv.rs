//! The IntServ body (RFC 2210) that SENDER_TSPEC, FLOWSPEC and ADSPEC
//! share at class-type 2, as tcpdump prints it: `Msg-Version: 0,
//! length: 28`, each service header (`Service Type: Guaranteed Service
//! (2), break bit not set, Service length: 36`) and its parameters
//! (`Parameter ID: Token Bucket TSpec (127), length: 20, Flags: [0x00]`
//! and the token bucket, guaranteed service rate and slack, hop count,
//! bandwidth estimate, latency, MTU, composed C and D values).

use super::names::{INTSERV_PARAMETERS, INTSERV_SERVICES};
use crate::dissect::ctl::{out, tok, unknown_data};
use crate::dissect::wire::{Res, u8_at, u16_at, u32_at};

/// The `n` bytes from `p` (captured, at least 4). tcpdump's lengths are
/// unsigned: a service that its parameters overrun wraps its count and
/// goes on until a parameter does not fit; the outer walk then reads the
/// next service header where that parameter stood.
pub(super) fn print(w: &mut Vec<u8>, m: &[u8], p: usize, n: usize, i: &str, v: u8) -> Res<()> {
    out!(
        w,
        "{i}  Msg-Version: {}, length: {}",
        u8_at(m, p)? >> 4,
        u32::from(u16_at(m, p + 2)?) << 2
    );
    let (mut at, mut left) = (p + 4, n - 4);
    while left >= 4 {
        let kind = u8_at(m, at)?;
        let mut service = u32::from(u16_at(m, at + 2)?) << 2;
        out!(
            w,
            "{i}  Service Type: {} ({kind}), break bit {}set, Service length: {service}",
            tok(INTSERV_SERVICES, kind).unwrap_or("unknown"),
            if u8_at(m, at + 1)? & 0x80 != 0 {
                ""
            } else {
                "not "
            }
        );
        at += 4;
        left -= 4;
        while service >= 4 {
            let done = parameter(w, m, at, left, v)?;
            if done == 0 {
                break;
            }
            left -= done;
            service = service.wrapping_sub(done as u32);
            at += done;
        }
    }
    Ok(())
}

/// One parameter from `at` with `left` bytes to the object's end; the
/// bytes it took, 0 where its header or body does not fit.
fn parameter(w: &mut Vec<u8>, m: &[u8], at: usize, left: usize, v: u8) -> Res<usize> {
    if left < 4 {
        return Ok(0);
    }
    let id = u8_at(m, at)?;
    let len = usize::from(u16_at(m, at + 2)?) << 2;
    out!(
        w,
        "\n\t      Parameter ID: {} ({id}), length: {len}, Flags: [0x{:02x}]",
        tok(INTSERV_PARAMETERS, id).unwrap_or("unknown"),
        u8_at(m, at + 1)?
    );
    if left < len + 4 {
        return Ok(0);
    }
    let word = |k: usize| u32_at(m, at + 4 + k);
    // Rates are IEEE floats of bytes per second, divided in single
    // precision as tcpdump does before it prints them.
    let mbps = |k: usize| -> Res<f64> { Ok(f64::from(f32::from_bits(word(k)?) / 125_000.0)) };
    match (id, len) {
        (4, 4) => out!(w, "\n\t\tIS hop count: {}", word(0)?),
        (6, 4) => {
            w.extend_from_slice(b"\n\t\tPath b/w estimate: ");
            put_g10(w, mbps(0)?);
            w.extend_from_slice(b" Mbps");
        }
        (8, 4) => match word(0)? {
            u32::MAX => w.extend_from_slice(b"\n\t\tMinimum path latency: don't care"),
            l => out!(w, "\n\t\tMinimum path latency: {l}"),
        },
        (10, 4) => out!(w, "\n\t\tComposed MTU: {} bytes", word(0)?),
        (127, 20) => {
            w.extend_from_slice(b"\n\t\tToken Bucket Rate: ");
            put_g10(w, mbps(0)?);
            w.extend_from_slice(b" Mbps\n\t\tToken Bucket Size: ");
            put_g10(w, f64::from(f32::from_bits(word(4)?)));
            w.extend_from_slice(b" bytes\n\t\tPeak Data Rate: ");
            put_g10(w, mbps(8)?);
            out!(
                w,
                " Mbps\n\t\tMinimum Policed Unit: {} bytes\n\t\tMaximum Packet Size: {} bytes",
                word(12)?,
                word(16)?
            );
        }
        (130, 8) => {
            w.extend_from_slice(b"\n\t\tRate: ");
            put_g10(w, mbps(0)?);
            out!(w, " Mbps\n\t\tSlack Term: {}", word(4)?);
        }
        (133..=136, 4) => out!(w, "\n\t\tValue: {}", word(0)?),
        (4 | 6 | 8 | 10 | 127 | 130 | 133..=136, _) => {}
        _ if v <= 1 => unknown_data(w, m, at + 4, "\n\t\t", len),
        _ => {}
    }
    Ok(len + 4)
}

/// `x` as C's `%.10g` prints it: ten significant digits, trailing zeros
/// dropped, an exponent (`1e+12`) outside 1e-4 .. 1e10.
pub(super) fn put_g10(w: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
        let sign = if x.is_sign_negative() { "-" } else { "" };
        out!(w, "{sign}nan");
        return;
    }
    if x.is_infinite() {
        w.extend_from_slice(if x < 0.0 { b"-inf" } else { b"inf" });
        return;
    }
    // The exponent after rounding to ten digits decides the style.
    let sci = format!("{x:.9e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..10).contains(&exp) {
        let digits = usize::try_from(9 - exp).unwrap_or(0);
        let fixed = format!("{x:.digits$}");
        w.extend_from_slice(trim_zeros(&fixed).as_bytes());
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        out!(
            w,
            "{}e{sign}{:02}",
            trim_zeros(mantissa),
            exp.unsigned_abs()
        );
    }
}

/// A decimal without the zeros after its point (and the point if bare).
fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::put_g10;

    fn g(x: f64) -> String {
        let mut w = Vec::new();
        put_g10(&mut w, x);
        String::from_utf8(w).unwrap_or_default()
    }

    #[test]
    fn test_g10_matches_printf() {
        assert_eq!(g(1.0), "1");
        assert_eq!(g(0.0), "0");
        assert_eq!(g(-0.0), "-0");
        assert_eq!(g(0.1f32 as f64), "0.1000000015");
        assert_eq!(g(1e10), "1e+10");
        assert_eq!(g(9_999_999_999.0), "9999999999");
        assert_eq!(g(99_999_999_999.0), "1e+11");
        assert_eq!(g(0.0001), "0.0001");
        assert_eq!(g(0.00001234), "1.234e-05");
        assert_eq!(g(3.4028234663852886e38), "3.402823466e+38");
        assert_eq!(g(f64::NAN), "nan");
        assert_eq!(g(f64::NEG_INFINITY), "-inf");
    }
}
