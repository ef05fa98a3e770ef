//! IPv6 addresses as tcpdump prints them. tcpdump writes an address with
//! glibc's `inet_ntop`, which differs from Rust's `Display` in one case:
//! an address whose first six words are zero and whose seventh is not
//! (RFC 4291's deprecated IPv4-compatible form) ends in dotted IPv4
//! (`::0.1.253.0`, `::1.2.3.4`), where Rust writes hex (`::1:fd00`).
//! `::1`, `::` and `::2` (seventh word zero) stay hex in both; IPv4-mapped
//! addresses (`::ffff:1.2.3.4`) are dotted in both. Everything else (the
//! longest run of two or more zero words, the first of equal runs, as
//! `::`) is the same.

use std::fmt;
use std::net::Ipv6Addr;

/// An address read from a packet, displayed as tcpdump displays it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ip6(pub Ipv6Addr);

impl From<[u8; 16]> for Ip6 {
    fn from(a: [u8; 16]) -> Self {
        Ip6(Ipv6Addr::from(a))
    }
}

impl From<Ipv6Addr> for Ip6 {
    fn from(a: Ipv6Addr) -> Self {
        Ip6(a)
    }
}

impl fmt::Display for Ip6 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = self.0.octets();
        // glibc's test: the longest zero run starts at word 0 and is six
        // words long, so the last two words are an IPv4 address.
        if o[..12].iter().all(|&b| b == 0) && (o[12] | o[13]) != 0 {
            return write!(f, "::{}.{}.{}.{}", o[12], o[13], o[14], o[15]);
        }
        fmt::Display::fmt(&self.0, f)
    }
}

/// An address of either version as tcpdump prints it (IPv4 as Rust does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpText(pub std::net::IpAddr);

impl fmt::Display for IpText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            std::net::IpAddr::V4(a) => fmt::Display::fmt(&a, f),
            std::net::IpAddr::V6(a) => fmt::Display::fmt(&Ip6(a), f),
        }
    }
}

/// Appends `a` as tcpdump prints it.
pub fn put_ipv6(w: &mut Vec<u8>, a: &[u8; 16]) {
    use std::io::Write;
    // Writing to a Vec cannot fail.
    let _ = write!(w, "{}", Ip6::from(*a));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        Ip6(s.parse().unwrap()).to_string()
    }

    #[test]
    fn ipv4_compatible_is_dotted_as_glibc_writes_it() {
        assert_eq!(text("::1:fd00"), "::0.1.253.0");
        assert_eq!(text("::102:304"), "::1.2.3.4");
        assert_eq!(text("::ffff:0"), "::255.255.0.0");
        assert_eq!(text("::1:0"), "::0.1.0.0");
    }

    #[test]
    fn other_forms_are_rusts() {
        for (a, t) in [
            ("::1", "::1"),
            ("::", "::"),
            ("::2", "::2"),
            ("::ffff", "::ffff"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("::ffff:0:102:304", "::ffff:0:102:304"),
            ("::1:0:0", "::1:0:0"),
            ("1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ] {
            assert_eq!(text(a), t, "{a}");
        }
    }
}
