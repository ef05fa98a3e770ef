//! Arista's vendor header (EtherType 0xd28b) right after an Ethernet
//! header: a sub-type (1: a hardware timestamp), a version word (its
//! first byte the time scale, its second the timestamp's format in the
//! high nibble and the hardware in the low one), the timestamp (64-bit:
//! seconds and nanoseconds, 32 bits each; 48-bit: 16-bit seconds and
//! 32-bit nanoseconds), then the EtherType of what follows. Read as far
//! as the capture goes: each field `None` when cut; what the words say
//! is `output::packet::arista`'s.

use super::link_header::be16;
use crate::packet::{LinkType, Packet};

pub const ETHERTYPE: u16 = 0xd28b;
/// The sub-type of a timestamp header (the only one with a format).
pub const SUBTYPE_TIMESTAMP: u16 = 1;

/// Where the first type field of an Ethernet frame is.
pub const FIRST_TYPE: usize = 12;

/// A hardware timestamp, by its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamp {
    Bits64 { secs: u32, nanos: u32 },
    Bits48 { secs: u16, nanos: u32 },
}

impl Stamp {
    /// The timestamp in nanoseconds (nanoseconds past a second carry
    /// into the seconds, as tcpdump adds them).
    pub fn total_nanos(&self) -> u64 {
        let (secs, nanos) = match *self {
            Stamp::Bits64 { secs, nanos } => (u64::from(secs), nanos),
            Stamp::Bits48 { secs, nanos } => (u64::from(secs), nanos),
        };
        secs * 1_000_000_000 + u64::from(nanos)
    }
}

/// The header as far as it was captured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// Where the header starts: after the Ethernet addresses, the VLAN
    /// tags before it and its EtherType.
    pub start: usize,
    pub subtype: Option<u16>,
    /// The version word's first byte, then its second (read one by one,
    /// as tcpdump does: a cut word still gives the time scale).
    pub timescale: Option<u8>,
    pub format_hw: Option<u8>,
    /// The timestamp of a known format (1: 64-bit, 2: 48-bit).
    pub stamp: Option<Stamp>,
    /// The EtherType after the timestamp, and where what it names starts.
    pub next: Option<(u16, usize)>,
}

impl Header {
    /// The timestamp's format: the version's second byte, high nibble.
    pub fn format(&self) -> Option<u8> {
        self.format_hw.map(|b| b >> 4)
    }
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(*d.get(at..)?.first_chunk::<4>()?))
}

/// The header of an Ethernet frame whose EtherType, after any VLAN tags
/// (tcpdump's Ethernet printer follows them first), is 0xd28b; `None`
/// for any other frame.
pub fn find(pkt: &Packet<'_>) -> Option<Header> {
    if pkt.link != LinkType::Ethernet {
        return None;
    }
    find_from(pkt.data, FIRST_TYPE)
}

/// The Arista header whose EtherType, after any VLAN tags, is the type
/// field at `type_at` of `d` (12 in an Ethernet frame; inside an Arista
/// header, its inner EtherType's place).
pub fn find_from(d: &[u8], type_at: usize) -> Option<Header> {
    let mut at = type_at;
    while crate::decode::link_header::is_vlan_tpid(be16(d, at)?) {
        at += 4;
    }
    if be16(d, at)? != ETHERTYPE {
        return None;
    }
    let start = at + 2;
    let mut h = Header {
        start,
        subtype: be16(d, start),
        ..Header::default()
    };
    if h.subtype != Some(SUBTYPE_TIMESTAMP) {
        return Some(h);
    }
    h.timescale = d.get(start + 2).copied();
    h.format_hw = d.get(start + 3).copied();
    let ts = start + 4;
    let (stamp, len) = match h.format() {
        Some(1) => (
            be32(d, ts)
                .zip(be32(d, ts + 4))
                .map(|(secs, nanos)| Stamp::Bits64 { secs, nanos }),
            8,
        ),
        Some(2) => (
            be16(d, ts)
                .zip(be32(d, ts + 2))
                .map(|(secs, nanos)| Stamp::Bits48 { secs, nanos }),
            6,
        ),
        _ => return Some(h),
    };
    h.stamp = stamp;
    if stamp.is_some() {
        h.next = be16(d, ts + len).map(|t| (t, ts + len + 2));
    }
    Some(h)
}

/// The frame as if the EtherType inside (`t`, its payload from `at`)
/// were its own: the Ethernet addresses, `t`, then the payload (the VLAN
/// tags and the Arista header left out), which tcpdump's Ethernet
/// printer goes on with as with a frame of its own. `None` when the
/// payload's start was not captured.
pub fn unwrapped(data: &[u8], (t, at): (u16, usize)) -> Option<Vec<u8>> {
    let rest = data.get(at..)?;
    let mut frame = data.get(..12)?.to_vec();
    frame.extend_from_slice(&t.to_be_bytes());
    frame.extend_from_slice(rest);
    Some(frame)
}

/// The frame's source and destination addresses.
pub fn ends(data: &[u8]) -> (&[u8], &[u8]) {
    (
        data.get(6..12).unwrap_or_default(),
        data.get(..6).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Timestamp;

    fn pkt(data: &[u8]) -> Packet<'_> {
        Packet {
            ts: Timestamp(0),
            stamp: None,
            link: LinkType::Ethernet,
            data,
            orig_len: data.len() as u32,
        }
    }

    #[test]
    fn test_truncated() {
        let mut f = vec![0; 12];
        f.extend_from_slice(&[0xd2, 0x8b, 0, 1, 0, 0x20, 0, 7, 0, 0, 0, 1, 8, 0]);
        let h = find(&pkt(&f)).unwrap();
        assert_eq!(h.stamp, Some(Stamp::Bits48 { secs: 7, nanos: 1 }));
        assert_eq!(h.next, Some((0x0800, 26)));
        let h = find(&pkt(&f[..17])).unwrap();
        assert_eq!((h.timescale, h.format_hw, h.stamp), (Some(0), None, None));
        let h = find(&pkt(&f[..25])).unwrap();
        assert_eq!((h.stamp.is_some(), h.next), (true, None));
        assert_eq!(find(&pkt(&f[..13])), None);
    }

    #[test]
    fn found_behind_vlan_tags_and_inside_another_header() {
        let mut f = vec![0; 12];
        f.extend_from_slice(&[0x88, 0xa8, 0, 5, 0x81, 0, 0, 6, 0xd2, 0x8b, 0, 1, 0, 0x20]);
        f.extend_from_slice(&[0, 7, 0, 0, 0, 1, 0xd2, 0x8b, 0, 2]);
        let h = find(&pkt(&f)).unwrap();
        assert_eq!(
            (h.start, h.subtype, h.next),
            (22, Some(1), Some((0xd28b, 34)))
        );
        let inner = find_from(&f, 32).unwrap();
        assert_eq!((inner.start, inner.subtype), (34, Some(2)));
        // A tag the capture cut, or another EtherType after the tags.
        assert_eq!(find(&pkt(&f[..17])), None);
        f[20] = 8;
        assert_eq!(find(&pkt(&f)), None);
    }

    #[test]
    fn nanoseconds_carry() {
        let s = Stamp::Bits64 {
            secs: 5,
            nanos: u32::MAX,
        };
        assert_eq!(s.total_nanos(), 9_294_967_295);
    }
}
