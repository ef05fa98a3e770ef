//! TCP sequence numbers ([`SeqNumber`]): 32-bit numbers that wrap, compared
//! by serial-number arithmetic (RFC 793 section 3.3, RFC 1982), so a
//! connection that crosses 2^32 keeps its order. "No number yet" is
//! `Option<SeqNumber>`, never a magic 0.

use std::fmt;

/// A sequence (or acknowledgment) number as it is on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SeqNumber(pub u32);

impl SeqNumber {
    /// `self + n`, wrapping at 2^32.
    #[must_use]
    pub const fn add(self, n: u32) -> SeqNumber {
        SeqNumber(self.0.wrapping_add(n))
    }
    /// `self - n`, wrapping at 2^32.
    #[must_use]
    pub const fn sub(self, n: u32) -> SeqNumber {
        SeqNumber(self.0.wrapping_sub(n))
    }
    /// How far `self` lies past `earlier`, modulo 2^32 (for relative numbers
    /// and byte counts).
    pub const fn distance_from(self, earlier: SeqNumber) -> u32 {
        self.0.wrapping_sub(earlier.0)
    }
    /// `self` comes strictly after `other`.
    pub const fn is_after(self, other: SeqNumber) -> bool {
        (self.0.wrapping_sub(other.0) as i32) > 0
    }
    /// `self` is `other` or comes after it.
    pub const fn is_ge(self, other: SeqNumber) -> bool {
        (self.0.wrapping_sub(other.0) as i32) >= 0
    }
    /// `self` comes strictly before `other`.
    pub const fn is_before(self, other: SeqNumber) -> bool {
        (self.0.wrapping_sub(other.0) as i32) < 0
    }
}

impl fmt::Display for SeqNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_wraps() {
        assert!(SeqNumber(5).is_after(SeqNumber(u32::MAX - 5)));
        assert!(SeqNumber(u32::MAX).is_before(SeqNumber(0)));
        assert!(SeqNumber(7).is_ge(SeqNumber(7)));
        assert!(!SeqNumber(7).is_after(SeqNumber(7)));
        assert_eq!(SeqNumber(u32::MAX).add(2), SeqNumber(1));
        assert_eq!(SeqNumber(1).distance_from(SeqNumber(u32::MAX)), 2);
    }
}
