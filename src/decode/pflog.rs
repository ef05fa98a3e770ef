//! The BSD packet filter's log records (link type 117, PFLOG): pf's
//! header, then the packet it logged, IPv4 or IPv6 by address family.
//! Where the header ends and what its fields are, as tcpdump 4.99's
//! printer reads them; what they say in a line is
//! `dissect::link::pflog`'s.
//!
//! The header's first byte is its length, padded to four bytes (a log
//! written by a newer pf with a longer header still finds its packet);
//! the fields tcpdump knows fill the first 64 bytes, which it wants
//! captured whatever that length says. Rule numbers are big endian, the
//! uid and pid in the writer's byte order (little endian on the hosts
//! that log: only JSON shows them).

use super::link::Payload;
use etherparse::EtherType;

pub const PFLOG: u32 = 117;

/// The shortest header length tcpdump accepts (the fields up to the
/// direction byte).
pub const MIN_LEN: u8 = 45;

/// The header as tcpdump's printer knows it (its `struct pfloghdr`,
/// padded): captured whole before any field is printed.
pub const FIELDS_LEN: usize = 64;

/// The interface and ruleset names: NUL-padded, 16 bytes each.
pub const NAME_LEN: usize = 16;

/// A pflog header's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    /// The length byte as written, and rounded up to four bytes (where
    /// the packet starts).
    pub length: u8,
    pub hdr_len: usize,
    pub af: u8,
    pub action: u8,
    pub reason: u8,
    pub ifname: &'a [u8],
    pub ruleset: &'a [u8],
    pub rulenr: u32,
    /// `u32::MAX`: no subrule (the rule is in the main ruleset).
    pub subrulenr: u32,
    pub uid: u32,
    pub pid: i32,
    pub rule_uid: u32,
    pub rule_pid: i32,
    pub dir: u8,
}

/// What a record's first bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pflog<'a> {
    Header(Header<'a>),
    /// A length byte below [`MIN_LEN`] (tcpdump's `[pflog: invalid
    /// header length!]`; it counts that many bytes as the header).
    BadLength(u8),
    /// The capture ends before the header does: before its padded
    /// length (`None` when not even the length byte is there), or before
    /// the fields tcpdump reads.
    Cut(Option<usize>),
}

/// The length byte rounded up to four bytes.
pub fn padded(length: u8) -> usize {
    usize::from(length).next_multiple_of(4)
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

fn le32(d: &[u8], at: usize) -> Option<u32> {
    be32(d, at).map(u32::swap_bytes)
}

/// Read a record's header.
pub fn parse(d: &[u8]) -> Pflog<'_> {
    let Some(&length) = d.first() else {
        return Pflog::Cut(None);
    };
    if length < MIN_LEN {
        return Pflog::BadLength(length);
    }
    let hdr_len = padded(length);
    if d.len() < hdr_len.max(FIELDS_LEN) {
        return Pflog::Cut(Some(hdr_len));
    }
    let fields = || -> Option<Header<'_>> {
        Some(Header {
            length,
            hdr_len,
            af: *d.get(1)?,
            action: *d.get(2)?,
            reason: *d.get(3)?,
            ifname: d.get(4..4 + NAME_LEN)?,
            ruleset: d.get(20..20 + NAME_LEN)?,
            rulenr: be32(d, 36)?,
            subrulenr: be32(d, 40)?,
            uid: le32(d, 44)?,
            pid: le32(d, 48)? as i32,
            rule_uid: le32(d, 52)?,
            rule_pid: le32(d, 56)? as i32,
            dir: *d.get(60)?,
        })
    };
    fields().map_or(Pflog::Cut(Some(hdr_len)), Pflog::Header)
}

/// The EtherType of the packet behind address family `af`: BSD's
/// AF_INET, and the AF_INET6 of every system that logs (24 on
/// OpenBSD and NetBSD, 28 on FreeBSD, 30 on macOS). Linux's 10 is
/// none of them (tcpdump prints its bytes).
pub fn ether_type(af: u8) -> Option<u16> {
    match af {
        2 => Some(0x0800),
        24 | 28 | 30 => Some(0x86dd),
        _ => None,
    }
}

/// What follows the header: the packet by address family, the record
/// itself (an unknown family, a bad length) for the line printer.
pub fn strip(d: &[u8]) -> Payload<'_> {
    match parse(d) {
        Pflog::Header(h) => match (ether_type(h.af), d.get(h.hdr_len..)) {
            (Some(t), Some(rest)) => Payload::EtherType(EtherType(t), rest),
            _ => Payload::Message(d),
        },
        Pflog::BadLength(_) => Payload::Message(d),
        Pflog::Cut(_) => Payload::TooShort("pflog"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(length: u8, af: u8) -> Vec<u8> {
        let mut d = vec![0u8; 72];
        d[0] = length;
        d[1] = af;
        d[4..7].copy_from_slice(b"em0");
        d[36..40].copy_from_slice(&7u32.to_be_bytes());
        d[40..44].copy_from_slice(&[0xff; 4]);
        d[44..48].copy_from_slice(&1000u32.to_le_bytes());
        d[60] = 2;
        d
    }

    #[test]
    fn test_header_fields() {
        let d = record(61, 2);
        let Pflog::Header(h) = parse(&d) else {
            panic!("{:?}", parse(&d));
        };
        assert_eq!((h.hdr_len, h.rulenr, h.subrulenr), (64, 7, u32::MAX));
        assert_eq!((h.uid, h.dir, &h.ifname[..3]), (1000, 2, &b"em0"[..]));
        assert!(matches!(strip(&d), Payload::EtherType(EtherType(0x0800), r) if r.len() == 8));
    }

    #[test]
    fn test_truncated() {
        let d = record(48, 2);
        assert_eq!(parse(&d[..63]), Pflog::Cut(Some(48)));
        assert_eq!(parse(&d[..1]), Pflog::Cut(Some(48)));
        assert_eq!(parse(&[]), Pflog::Cut(None));
        let d = record(69, 2);
        assert_eq!(parse(&d[..71]), Pflog::Cut(Some(72)));
        assert!(matches!(parse(&d), Pflog::Header(h) if h.hdr_len == 72));
    }

    #[test]
    fn test_malformed_length_and_family() {
        assert_eq!(parse(&record(44, 2)), Pflog::BadLength(44));
        assert!(matches!(strip(&record(64, 10)), Payload::Message(_)));
        assert!(matches!(
            strip(&record(64, 28)),
            Payload::EtherType(EtherType(0x86dd), _)
        ));
    }
}
