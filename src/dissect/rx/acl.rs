//! An AFS access list as tcpdump prints it: the text `POS NEG\n` then
//! `USER RIGHTS\n` lines, read with `sscanf` (`"%d %d\n%n"`, then
//! `"%128s %d\n%n"` a line), each entry as ` +{user rlidwka}` or
//! ` -{user …}` with the rights in the `fs` command's order; the first
//! entry that does not scan ends the list quietly.

use super::super::ctl::out;
use super::super::dns::text::put_char;

/// sscanf's `%s` width in tcpdump's format.
const USER_MAX: usize = 128;

/// The rights' letters in the order `fs listacl` writes them.
const RIGHTS: [(i32, u8); 7] = [
    (1, b'r'),
    (8, b'l'),
    (4, b'i'),
    (16, b'd'),
    (2, b'w'),
    (32, b'k'),
    (64, b'a'),
];

/// A cursor over the text with the conversions tcpdump's formats use.
struct Scan<'a> {
    s: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    /// A white-space directive: any amount, none included.
    fn space(&mut self) {
        while self
            .s
            .get(self.at)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == 0x0b)
        {
            self.at += 1;
        }
    }

    /// `%d`: a signed decimal after white space, as glibc converts it
    /// (through a `long`, saturated, then cut to `int`).
    fn int(&mut self) -> Option<i32> {
        self.space();
        let mut at = self.at;
        let negative = match self.s.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let digits = self
            .s
            .get(at..)?
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        let mut v: i64 = 0;
        for &c in &self.s[at..at + digits] {
            let d = i64::from(c - b'0');
            v = if negative {
                v.saturating_mul(10).saturating_sub(d)
            } else {
                v.saturating_mul(10).saturating_add(d)
            };
        }
        self.at = at + digits;
        Some(v as i32)
    }

    /// `%128s`: up to 128 bytes that are not white space.
    fn word(&mut self) -> Option<&[u8]> {
        self.space();
        let rest = self.s.get(self.at..)?;
        let n = rest
            .iter()
            .take(USER_MAX)
            .take_while(|c| !(c.is_ascii_whitespace() || **c == 0x0b))
            .count();
        if n == 0 {
            return None;
        }
        self.at += n;
        Some(&rest[..n])
    }
}

pub(super) fn print(w: &mut Vec<u8>, text: &[u8]) {
    let mut s = Scan { s: text, at: 0 };
    let (Some(pos), Some(neg)) = (s.int(), s.int()) else {
        return;
    };
    s.space();
    for (count, sign) in [(pos, b'+'), (neg, b'-')] {
        for _ in 0..count.max(0) {
            let Some(user) = s.word() else {
                return;
            };
            let user = user.to_vec();
            let Some(rights) = s.int() else {
                return;
            };
            s.space();
            out!(w, " {}{{", sign as char);
            for &c in &user {
                put_char(w, c);
            }
            w.push(b' ');
            for (bit, letter) in RIGHTS {
                if rights & bit != 0 {
                    w.push(letter);
                }
            }
            w.push(b'}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_positive_and_negative_entries() {
        let mut w = Vec::new();
        print(&mut w, b"2 1\nsystem:administrators 127\nalice 9\nbob 2\n");
        assert_eq!(
            String::from_utf8_lossy(&w),
            " +{system:administrators rlidwka} +{alice rl} -{bob w}"
        );
    }

    #[test]
    fn test_malformed_short() {
        let mut w = Vec::new();
        print(&mut w, b"1");
        print(&mut w, b"2 0\nalice\n");
        assert!(w.is_empty());
    }
}
