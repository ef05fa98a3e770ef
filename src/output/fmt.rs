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
/// (ports, sequence numbers, lengths). Written as one block of ten bytes
/// and cut back to the digits: a copy whose length is known when compiling
/// is a few stores, where copying a variable number of digits called
/// `memcpy`, and those calls were a tenth of a plain line's time.
pub fn put_u32(w: &mut Vec<u8>, n: u32) {
    let len = n.checked_ilog10().map_or(1, |l| l as usize + 1);
    let mut block = [b'0'; 10];
    let mut v = n;
    for slot in block.iter_mut().take(len).rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let at = w.len();
    w.extend_from_slice(&block);
    w.truncate(at + len);
}

/// A dotted-quad IPv4 address, appended (digit by digit, for the reason
/// given at [`put_u32`]).
pub fn put_ipv4(w: &mut Vec<u8>, a: &Ipv4Addr) {
    for (i, o) in a.octets().into_iter().enumerate() {
        if i > 0 {
            w.push(b'.');
        }
        if o >= 100 {
            w.push(b'0' + o / 100);
        }
        if o >= 10 {
            w.push(b'0' + o / 10 % 10);
        }
        w.push(b'0' + o % 10);
    }
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
mod count_tests {
    use super::count;

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "flow"), "1 flow");
        assert_eq!(count(0, "flow"), "0 flows");
        assert_eq!(count(2, "packet"), "2 packets");
    }
}
