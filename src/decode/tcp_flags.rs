//! The TCP flag byte as one `Copy` type, [`TcpFlags`], shared by the flow
//! tracker, the flow printers and the packet line: one place knows the bits,
//! tcpdump's letters (`S.`) and the names the timeline prints (`SYN,ACK`).

use etherparse::TcpSlice;
use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// The eight flag bits of a TCP header (byte 13), CWR..FIN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TcpFlags(u8);

/// Header order (FIN first), with tcpdump's letter and the full name.
const TABLE: [(TcpFlags, u8, &str); 8] = [
    (TcpFlags::FIN, b'F', "FIN"),
    (TcpFlags::SYN, b'S', "SYN"),
    (TcpFlags::RST, b'R', "RST"),
    (TcpFlags::PSH, b'P', "PSH"),
    (TcpFlags::ACK, b'.', "ACK"),
    (TcpFlags::URG, b'U', "URG"),
    (TcpFlags::ECE, b'E', "ECE"),
    (TcpFlags::CWR, b'W', "CWR"),
];

/// The order names are printed in: SYN before FIN, so a SYN/ACK reads
/// "SYN,ACK" and a FIN/ACK "FIN,ACK" (what the timelines always printed).
const NAME_ORDER: [usize; 8] = [1, 0, 2, 3, 4, 5, 6, 7];

impl TcpFlags {
    pub const NONE: TcpFlags = TcpFlags(0);
    pub const FIN: TcpFlags = TcpFlags(0x01);
    pub const SYN: TcpFlags = TcpFlags(0x02);
    pub const RST: TcpFlags = TcpFlags(0x04);
    pub const PSH: TcpFlags = TcpFlags(0x08);
    pub const ACK: TcpFlags = TcpFlags(0x10);
    pub const URG: TcpFlags = TcpFlags(0x20);
    pub const ECE: TcpFlags = TcpFlags(0x40);
    pub const CWR: TcpFlags = TcpFlags(0x80);

    /// The flag byte as it is on the wire.
    pub const fn from_bits(bits: u8) -> TcpFlags {
        TcpFlags(bits)
    }
    pub const fn bits(self) -> u8 {
        self.0
    }
    /// The flags of a sliced TCP header.
    pub fn of(tcp: &TcpSlice<'_>) -> TcpFlags {
        // The flag byte is the 14th byte of the header; the slice holds at least 20.
        TcpFlags(tcp.header_slice().get(13).copied().unwrap_or(0))
    }
    /// Every flag of `other` is set.
    pub const fn contains(self, other: TcpFlags) -> bool {
        self.0 & other.0 == other.0
    }
    /// At least one flag of `other` is set.
    pub const fn intersects(self, other: TcpFlags) -> bool {
        self.0 & other.0 != 0
    }
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// tcpdump's letters in header order (`S.`, `FP.`), or `none`.
    pub fn letters(self) -> Letters {
        let mut buf = [0u8; 8];
        let mut len = 0;
        for (flag, letter, _) in TABLE {
            if self.contains(flag) {
                buf[len] = letter;
                len += 1;
            }
        }
        Letters {
            buf,
            len: len as u8,
        }
    }
    /// The names, comma separated (`SYN,ACK`), or `none`.
    pub fn names(self) -> Names {
        Names(self)
    }
}

impl BitOr for TcpFlags {
    type Output = TcpFlags;
    fn bitor(self, rhs: TcpFlags) -> TcpFlags {
        TcpFlags(self.0 | rhs.0)
    }
}

impl BitOrAssign for TcpFlags {
    fn bitor_assign(&mut self, rhs: TcpFlags) {
        self.0 |= rhs.0;
    }
}

/// Printed as tcpdump's letters.
impl fmt::Display for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letters().as_str())
    }
}

/// tcpdump's flag letters, on the stack.
#[derive(Clone, Copy, Debug)]
pub struct Letters {
    buf: [u8; 8],
    len: u8,
}

impl Letters {
    pub fn as_str(&self) -> &str {
        match self.buf.get(..self.len as usize) {
            Some([]) | None => "none",
            // Only ASCII letters and '.' are ever stored.
            Some(b) => std::str::from_utf8(b).unwrap_or("?"),
        }
    }
}

/// The flag names, comma separated; `none` when no flag is set.
#[derive(Clone, Copy, Debug)]
pub struct Names(TcpFlags);

impl fmt::Display for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        let mut first = true;
        for i in NAME_ORDER {
            let Some(&(flag, _, name)) = TABLE.get(i) else {
                continue;
            };
            if self.0.contains(flag) {
                if !first {
                    f.write_str(",")?;
                }
                first = false;
                f.write_str(name)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_names() {
        let synack = TcpFlags::SYN | TcpFlags::ACK;
        assert_eq!(synack.letters().as_str(), "S.");
        assert_eq!(synack.to_string(), "S.");
        assert_eq!(synack.names().to_string(), "SYN,ACK");
        let all = TcpFlags::from_bits(0xff);
        assert_eq!(all.letters().as_str(), "FSRP.UEW");
        assert_eq!(all.names().to_string(), "SYN,FIN,RST,PSH,ACK,URG,ECE,CWR");
        assert_eq!(TcpFlags::NONE.letters().as_str(), "none");
        assert_eq!(TcpFlags::NONE.names().to_string(), "none");
    }

    #[test]
    fn contains_needs_every_flag() {
        let f = TcpFlags::FIN | TcpFlags::ACK;
        assert!(f.contains(TcpFlags::FIN) && f.contains(TcpFlags::ACK));
        assert!(!f.contains(TcpFlags::FIN | TcpFlags::RST));
        assert!(f.intersects(TcpFlags::FIN | TcpFlags::RST));
        assert_eq!(f.bits(), 0x11);
    }
}
