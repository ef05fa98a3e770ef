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

/// A dotted-quad IPv4 address, appended.
pub fn put_ipv4(w: &mut Vec<u8>, a: &Ipv4Addr) {
    for (i, o) in a.octets().iter().enumerate() {
        if i > 0 {
            w.push(b'.');
        }
        put_num(w, *o);
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
