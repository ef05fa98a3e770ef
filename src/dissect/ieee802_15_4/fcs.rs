//! The frame check sequences of IEEE 802.15.4-2015 (7.2.10): a 16-bit
//! ITU-T CRC and a 32-bit ANSI X3.66 CRC, both with bits reflected in and
//! out, starting from zero and not inverted at the end. tcpdump does not
//! know which one the PHY used: it tries the 32-bit one over all but the
//! last four bytes, then the 16-bit one, and keeps the FCS only when one
//! of them matches.

use super::super::Truncated;
use super::super::wire::Res;

/// The reflected form of x^16 + x^12 + x^5 + 1.
const POLY16: u32 = 0x8408;
/// The reflected form of the ANSI X3.66 polynomial 0x04C11DB7.
const POLY32: u32 = 0xedb8_8320;

/// The 16-bit CRC of `m[..n]`; `Err` when fewer bytes were captured
/// (tcpdump reads each one with `GET_U_1`).
pub(super) fn crc16(m: &[u8], n: usize) -> Res<u16> {
    reflected(m, n, POLY16).map(|crc| crc as u16)
}

/// The 32-bit CRC of `m[..n]`, as [`crc16`].
pub(super) fn crc32(m: &[u8], n: usize) -> Res<u32> {
    reflected(m, n, POLY32)
}

/// A CRC with bits reflected in and out, from zero, not inverted: the
/// register shifts right, so a 16-bit polynomial keeps it in 16 bits.
fn reflected(m: &[u8], n: usize, poly: u32) -> Res<u32> {
    let bytes = m.get(..n).ok_or(Truncated)?;
    Ok(bytes.iter().fold(0, |crc, &b| {
        (0..8).fold(crc ^ u32::from(b), |c, _| {
            if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 }
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CRC-16/KERMIT's and a zero-seeded, uninverted CRC-32's check
    /// values over "123456789".
    #[test]
    fn test_check_values() {
        assert_eq!(crc16(b"123456789", 9), Ok(0x2189));
        assert_eq!(crc32(b"123456789", 9), Ok(0x2dfd_2d88));
        assert_eq!(crc16(b"12", 3), Err(Truncated));
    }
}
