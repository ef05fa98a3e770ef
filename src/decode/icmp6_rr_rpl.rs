//! The bodies of two ICMPv6 messages tcpdump spells out under `-v`:
//! router renumbering (type 138, RFC 2894: a match-prefix part and its
//! use-prefix parts) and RPL (type 155, RFC 6550: the DIO, DAO and DAO-ACK
//! fixed fields and the options after them). Views over the captured
//! bytes; every read is checked, nothing here can panic.

use super::ip6_text::Ip6;

/// `N` bytes of `bytes` from `at`, when captured.
fn array<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..)?.first_chunk::<N>().copied()
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    array(bytes, at).map(u32::from_be_bytes)
}

fn ipv6_at(bytes: &[u8], at: usize) -> Option<Ip6> {
    array::<16>(bytes, at).map(Ip6::from)
}

/// A router renumbering command's match-prefix part (24 bytes after the
/// 16-byte header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RrMatch {
    pub code: u8,
    /// Length of the part and its use-prefix parts, in 8-byte units.
    pub units: u8,
    pub ordinal: u8,
    pub matchlen: u8,
    pub minlen: u8,
    pub maxlen: u8,
    pub prefix: Ip6,
}

impl RrMatch {
    /// How many use-prefix parts (32 bytes each) the length announces, or
    /// `None` when it is not the 24-byte match part plus whole use parts.
    pub fn use_count(&self) -> Option<usize> {
        let rest = usize::from(self.units).checked_sub(3)?;
        (rest % 4 == 0).then_some(rest / 4)
    }
}

/// One use-prefix part of a router renumbering command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RrUse {
    pub uselen: u8,
    pub keeplen: u8,
    pub ramask: u8,
    pub raflags: u8,
    pub vltime: u32,
    pub pltime: u32,
    /// The first byte of the flag word (decrement valid / preferred
    /// lifetime in its top bits).
    pub flags: u8,
    pub prefix: Ip6,
}

/// The match-prefix part of a router renumbering message (`icmp`: the whole
/// message), when captured whole.
pub fn rr_match(icmp: &[u8]) -> Option<RrMatch> {
    let [code, units, ordinal, matchlen, minlen, maxlen, ..] = array::<8>(icmp, 16)?;
    Some(RrMatch {
        code,
        units,
        ordinal,
        matchlen,
        minlen,
        maxlen,
        prefix: ipv6_at(icmp, 24)?,
    })
}

/// The `i`th use-prefix part, when captured whole.
pub fn rr_use(icmp: &[u8], i: usize) -> Option<RrUse> {
    let at = i.checked_mul(32)?.checked_add(40)?;
    let [uselen, keeplen, ramask, raflags] = array::<4>(icmp, at)?;
    Some(RrUse {
        uselen,
        keeplen,
        ramask,
        raflags,
        vltime: u32_at(icmp, at + 4)?,
        pltime: u32_at(icmp, at + 8)?,
        flags: *icmp.get(at + 12)?,
        prefix: ipv6_at(icmp, at + 16)?,
    })
}

/// The fixed fields of a DAO or DAO-ACK: RPL instance, flags, sequence,
/// status (DAO-ACK only) and the DODAG ID when its flag is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RplDao {
    pub instance: u8,
    pub flags: u8,
    pub seq: u8,
    pub status: u8,
    pub dagid: Option<Ip6>,
}

/// A DAO's or DAO-ACK's fields, where its options start in the message
/// and the options captured; `None` when the DODAG ID its flag announces
/// was not captured. `ack`: a DAO-ACK (sequence before status, the D flag
/// in the top bit).
pub fn rpl_dao(icmp: &[u8], ack: bool) -> Option<(RplDao, usize, &[u8])> {
    let [instance, flags, a, b] = array::<4>(icmp, 4)?;
    let with_id = flags & if ack { 0x80 } else { 0x40 } != 0;
    let dagid = if with_id {
        Some(ipv6_at(icmp, 8)?)
    } else {
        None
    };
    let (seq, status) = if ack { (a, b) } else { (b, 0) };
    let start = if with_id { 24 } else { 8 };
    let dao = RplDao {
        instance,
        flags,
        seq,
        status,
        dagid,
    };
    Some((dao, start, icmp.get(start..).unwrap_or_default()))
}

/// One step through RPL options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RplItem<'a> {
    /// A one-byte Pad1.
    Pad1,
    /// An option: type, whole length (type and length bytes included) and
    /// its body.
    Opt {
        kind: u8,
        len: usize,
        data: &'a [u8],
    },
    /// The option's type and length are known but its body runs past the
    /// capture or the message.
    CutBody { kind: u8, len: usize },
    /// The message ends inside an option's first two bytes.
    Short,
    /// The capture ends before a byte the message still has.
    Missing,
}

/// RPL options in `captured` (from the first option on), `wire` bytes of
/// them on the wire. Stops after a cut item.
pub fn rpl_options(captured: &[u8], wire: usize) -> impl Iterator<Item = RplItem<'_>> {
    let mut at = 0usize;
    let mut left = wire;
    let mut done = false;
    std::iter::from_fn(move || {
        if done || left == 0 {
            return None;
        }
        let Some(&kind) = captured.get(at) else {
            done = true;
            return Some(RplItem::Missing);
        };
        if kind == 0 {
            at += 1;
            left -= 1;
            return Some(RplItem::Pad1);
        }
        if left < 2 {
            done = true;
            return Some(RplItem::Short);
        }
        let Some(&l) = captured.get(at + 1) else {
            done = true;
            return Some(RplItem::Missing);
        };
        let len = usize::from(l) + 2;
        let Some(data) = captured.get(at + 2..at + len).filter(|_| left >= len) else {
            done = true;
            return Some(RplItem::CutBody { kind, len });
        };
        at += len;
        left -= len;
        Some(RplItem::Opt { kind, len, data })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_truncated() {
        assert_eq!(rr_match(&[0; 39]), None);
        assert_eq!(rr_use(&[0; 71], 0), None);
        assert_eq!(rpl_dao(&[155, 2, 0, 0, 1, 0x40, 0, 7], false), None);
        let items: Vec<_> = rpl_options(&[0, 2], 4).collect();
        assert_eq!(items, [RplItem::Pad1, RplItem::Missing]);
    }

    #[test]
    fn test_malformed_lengths() {
        let m = RrMatch {
            code: 1,
            units: 2,
            ordinal: 0,
            matchlen: 0,
            minlen: 0,
            maxlen: 0,
            prefix: Ip6::from([0; 16]),
        };
        assert_eq!(m.use_count(), None);
        assert_eq!(RrMatch { units: 11, ..m }.use_count(), Some(2));
        assert_eq!(RrMatch { units: 5, ..m }.use_count(), None);
        let items: Vec<_> = rpl_options(&[2, 9, 1, 2], 4).collect();
        assert_eq!(items, [RplItem::CutBody { kind: 2, len: 11 }]);
        let items: Vec<_> = rpl_options(&[2], 1).collect();
        assert_eq!(items, [RplItem::Short]);
    }
}
