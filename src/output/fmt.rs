//! Small formatting helpers shared by the printers: decimal numbers without
//! the formatting machinery (the per-packet path prints several), dotted
//! IPv4 addresses, and MAC addresses.

use std::fmt::{self, Display};
use std::net::Ipv4Addr;

/// "1 flow", "2 flows": a count and its noun, singular for one (as
/// tcpdump's `PLURAL_SUFFIX`); `noun` takes an `s` for the plural.
pub fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Decimal digits of `n`, appended.
pub fn put_num(w: &mut Vec<u8>, n: impl itoa::Integer) {
    let mut b = itoa::Buffer::new();
    w.extend_from_slice(b.format(n).as_bytes());
}

/// Decimal digits of `n`, appended, for the numbers of every packet line
/// (ports, sequence numbers, lengths).
#[inline]
pub fn put_u32(w: &mut Vec<u8>, n: u32) {
    put_uint(w, u64::from(n));
}

/// Decimal digits of `v`, appended. Eight digits at a time are worked out
/// together in a register ([`eight_digits`]) and stored as one eight-byte
/// block, then cut back to length: digits stored byte by byte into a stack
/// block that was then copied out made the copy's load wait for the byte
/// stores, and with a dozen numbers per line (two dozen per JSON object)
/// that wait was a third of the TCP part's time; copying a variable number
/// of digits called `memcpy` instead, slower still.
#[inline]
pub fn put_uint(w: &mut Vec<u8>, v: u64) {
    if v < EIGHT {
        let digits = eight_digits(v);
        // The leading zeros are the low bytes still zero; `0` keeps one.
        let zeros = (digits.trailing_zeros() / 8).min(7) as usize;
        put_block(w, (digits | ASCII_ZEROS) >> (8 * zeros), 8 - zeros);
    } else {
        long_uint(w, v);
    }
}

const EIGHT: u64 = 100_000_000;

/// `b'0'` in every byte of a word.
const ASCII_ZEROS: u64 = 0x3030_3030_3030_3030;

/// [`put_uint`] for nine digits or more (sequence numbers, nanoseconds).
#[inline(never)]
fn long_uint(w: &mut Vec<u8>, v: u64) {
    put_uint(w, v / EIGHT);
    put_block(w, digit_block(v % EIGHT, 8), 8);
}

/// The last `len` (1 to 8) decimal digits of `v` (below 10^8), zero-padded,
/// as ASCII in a little-endian word: the most significant digit is its
/// first byte.
#[inline]
pub fn digit_block(v: u64, len: usize) -> u64 {
    debug_assert!(v < EIGHT && (1..=8).contains(&len));
    (eight_digits(v) | ASCII_ZEROS) >> (8 * (8 - len.clamp(1, 8)))
}

/// The eight decimal digits of `v` (below 10^8), zero-padded, as values
/// 0–9 in the bytes of a little-endian word, the most significant first.
/// The number is split in halves, quarters and digits in lanes of one word
/// (division by a constant as a multiply and a shift, exact in these
/// ranges): three short steps instead of a chain of eight divisions by ten,
/// each waiting for the one before, which held up every number printed.
#[inline]
fn eight_digits(v: u64) -> u64 {
    // Two 32-bit lanes: the upper four digits first (the lower address).
    let x = (v / 10_000) | ((v % 10_000) << 32);
    // Each lane n < 10^4 into 16-bit lanes n / 100, n % 100
    // (n * 10486 >> 20 is n / 100 there).
    let hundreds = ((x * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let x = hundreds | ((x - hundreds * 100) << 16);
    // Each lane n < 100 into bytes n / 10, n % 10 (n * 103 >> 10 is n / 10
    // there).
    let tens = ((x * 103) >> 10) & 0x000f_000f_000f_000f;
    tens | ((x - tens * 10) << 8)
}

/// Up to eight bytes of program text as the block [`put_block`] writes
/// (the first byte in the lowest bits), worked out when compiling.
pub const fn block_of(text: &[u8]) -> u64 {
    let mut word = 0u64;
    let mut i = 0;
    while i < text.len() && i < 8 {
        word |= (text[i] as u64) << (8 * i);
        i += 1;
    }
    word
}

/// The first `len` (at most 8) bytes of the little-endian `block`,
/// appended: one eight-byte store cut back, not `len` single ones.
#[inline]
pub fn put_block(w: &mut Vec<u8>, block: u64, len: usize) {
    let at = w.len();
    w.extend_from_slice(&block.to_le_bytes());
    w.truncate(at + len.min(8));
}

/// Every octet's decimal digits followed by a dot (little-endian ASCII,
/// at most four bytes) and how many bytes that is, worked out when
/// compiling.
const OCTETS: [(u32, u32); 256] = {
    let mut table = [(0u32, 0u32); 256];
    let mut o = 0;
    while o < 256 {
        let zero = b'0' as u32;
        let (h, t, u) = (
            zero + o as u32 / 100,
            zero + o as u32 / 10 % 10,
            zero + o as u32 % 10,
        );
        table[o] = if o >= 100 {
            (h | t << 8 | u << 16 | (b'.' as u32) << 24, 4)
        } else if o >= 10 {
            (t | u << 8 | (b'.' as u32) << 16, 3)
        } else {
            (u | (b'.' as u32) << 8, 2)
        };
        o += 1;
    }
    table
};

/// A dotted-quad IPv4 address, appended: each octet's digits come from a
/// table, two octets are put together in a register and stored as one
/// eight-byte block cut back to length (see [`put_uint`] for why).
#[inline]
pub fn put_ipv4(w: &mut Vec<u8>, a: &Ipv4Addr) {
    let [a, b, c, d] = a.octets();
    let pair = |x: u8, y: u8| {
        let ((x, lx), (y, ly)) = (OCTETS[usize::from(x)], OCTETS[usize::from(y)]);
        (u64::from(x) | u64::from(y) << (8 * lx), (lx + ly) as usize)
    };
    let (first, first_len) = pair(a, b);
    let (last, last_len) = pair(c, d);
    put_block(w, first, first_len);
    // The last octet's dot is not the address's.
    put_block(w, last, last_len - 1);
}

/// A MAC address, colon-separated lower-case hex.
pub struct Mac<'a>(pub &'a [u8]);

impl Display for Mac<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod digit_tests {
    use super::{put_ipv4, put_u32, put_uint};
    use std::net::Ipv4Addr;

    #[test]
    fn test_digits_as_itoa() {
        let mut want = Vec::new();
        let mut got = Vec::new();
        let mut some = vec![0, 9, 10, 99_999_999, 100_000_000, 100_000_001, u64::MAX];
        some.extend((0..64).map(|s| 1u64 << s));
        some.extend((0..20).map(|e| 10u64.pow(e)));
        some.extend((1..20).map(|e| 10u64.pow(e) - 1));
        for v in some {
            want.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            want.push(b',');
            put_uint(&mut got, v);
            got.push(b',');
            if let Ok(v) = u32::try_from(v) {
                want.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
                put_u32(&mut got, v);
            }
        }
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }

    #[test]
    fn test_every_eight_digit_stride() {
        // Every number below 10^5, then a stride through 10^8 that meets
        // every lane's edges (x99, x00) at every place.
        let mut got = Vec::new();
        let mut check = |v: u64| {
            got.clear();
            put_uint(&mut got, v);
            assert_eq!(got, itoa::Buffer::new().format(v).as_bytes(), "{v}");
        };
        (0..100_000).for_each(&mut check);
        (0..100_000_000).step_by(9_973).for_each(&mut check);
        for place in 0..8 {
            let p = 10u64.pow(place);
            (1..100).for_each(|k| {
                check(k * p);
                check(k * p - 1);
                if let Some(v) = 99_999_999u64.checked_sub(k * p) {
                    check(v);
                }
            });
        }
    }

    #[test]
    fn test_ipv4_as_display() {
        let mut some = vec![
            Ipv4Addr::new(0, 0, 0, 0),
            Ipv4Addr::new(255, 255, 255, 255),
            Ipv4Addr::new(127, 0, 0, 1),
            Ipv4Addr::new(10, 99, 100, 9),
        ];
        some.extend((0..=255u8).map(|o| Ipv4Addr::new(o, 255 - o, o / 3, o.wrapping_mul(7))));
        for a in some {
            let mut got = b"x".to_vec();
            put_ipv4(&mut got, &a);
            assert_eq!(String::from_utf8(got).unwrap(), format!("x{a}"));
        }
    }
}

#[cfg(test)]
mod count_tests {
    use super::count;

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "flow"), "1 flow");
        assert_eq!(count(0, "flow"), "0 flows");
        assert_eq!(count(2, "packet"), "2 packets");
    }
}
