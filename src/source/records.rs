//! Runs of whole classic-pcap records as they lie in a chunk the file was
//! read into ([`super::PacketSource::next_records`]): `read --threads`
//! hands the same run to every flow worker, and each walks the record
//! headers itself (cheap) instead of a reader splitting the packets out
//! one by one. The record header's fields are read here for
//! [`super::file::FileSource`] too, so both read a record alike.

use super::Chunk;
use crate::packet::{FileStamp, LinkType, Packet, Timestamp};
use std::ops::Range;

/// A classic pcap record header's length.
pub(super) const PCAP_RECORD_HEADER: usize = 16;

/// What a pcap file header says about every record after it.
#[derive(Clone, Copy, Debug)]
pub struct PcapLayout {
    pub big_endian: bool,
    pub nanos: bool,
    pub link: LinkType,
    /// The snap length libpcap reads the file with: a longer record's
    /// bytes past it are skipped (see [`libpcap_snapshot`]).
    pub snapshot: u32,
}

/// The snap length libpcap keeps for a file whose header says `snaplen`:
/// the link type's maximum for 0 or one past a C `int`. A record that
/// holds more (but no more than the maximum) is cut to it, its captured
/// length then the snap length, as tcpdump prints it.
pub fn libpcap_snapshot(link: LinkType, snaplen: u32) -> u32 {
    if snaplen == 0 || snaplen > i32::MAX as u32 {
        link.max_caplen()
    } else {
        snaplen
    }
}

/// A record header's fields: seconds, fraction, captured length, original
/// length (`None` when `h` is shorter than a header).
pub(super) fn header_fields(h: &[u8], big_endian: bool) -> Option<(u32, u32, u32, u32)> {
    let field = |i: usize| {
        let b: [u8; 4] = h.get(i..i + 4)?.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    Some((field(0)?, field(4)?, field(8)?, field(12)?))
}

/// A record's time: a fraction past its unit's second is taken as the
/// largest one (as libpcap does not check it, neither do we refuse it).
pub(super) fn timestamp(secs: u32, frac: u32, nanos: bool) -> Timestamp {
    let frac = if nanos {
        frac.min(999_999_999)
    } else {
        frac.min(999_999).saturating_mul(1000)
    };
    Timestamp::from_secs_nanos(u64::from(secs), frac)
}

/// The record's time as tcpdump prints it where that is not what
/// [`timestamp`] gives: a fraction past its second, as libpcap hands it
/// over (a signed field, a nanosecond one divided by 1000 so). Seconds
/// with bit 31 set are a time after 2038 here, as the pcap format has
/// them (unsigned): tcpdump 4.99.3 prints `[Error converting time]` for
/// them (libpcap reads the field as signed), which sockscope does not copy.
pub(super) fn file_stamp(secs: u32, frac: u32, nanos: bool) -> Option<FileStamp> {
    let unit = if nanos { 1_000_000_000 } else { 1_000_000 };
    if frac < unit {
        return None;
    }
    let frac = frac as i32;
    Some(FileStamp {
        secs: u64::from(secs),
        micros: if nanos { frac / 1000 } else { frac } as u32,
    })
}

/// `count` whole records, one after another in `chunk[bytes]`, the first
/// at `offset` in the file; the source checked each (its length within
/// the link's maximum, its bytes all there).
pub struct Records {
    pub chunk: Chunk,
    pub bytes: Range<usize>,
    pub offset: u64,
    pub count: u64,
    pub layout: PcapLayout,
}

impl Records {
    /// Each record's offset in the file and its packet, in file order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, Packet<'_>)> {
        self.walk().map(|(at, p)| (self.file_offset(at), p))
    }

    /// Each record's place in the chunk (what [`Records::at`] takes) and
    /// its packet, in file order.
    pub fn walk(&self) -> impl Iterator<Item = (usize, Packet<'_>)> {
        let mut at = self.bytes.start;
        std::iter::from_fn(move || {
            let (p, next) = self.read_at(at)?;
            let here = at;
            at = next;
            Some((here, p))
        })
    }

    /// The record whose header starts at `at` in the chunk (a place
    /// [`Records::walk`] gave): its offset in the file and its packet.
    /// `read --threads`' flow workers take only their own records so.
    pub fn at(&self, at: usize) -> Option<(u64, Packet<'_>)> {
        let (p, _) = self.read_at(at)?;
        Some((self.file_offset(at), p))
    }

    /// The record at `at` in the chunk and where the next one starts
    /// (`read --threads`' line reader walks a run so, from
    /// `self.bytes.start` to `self.bytes.end`).
    #[inline]
    pub fn read_at(&self, at: usize) -> Option<(Packet<'_>, usize)> {
        let l = self.layout;
        let all = self.chunk.get(..self.bytes.end)?;
        let (secs, frac, incl, orig_len) = header_fields(all.get(at..)?, l.big_endian)?;
        let start = at + PCAP_RECORD_HEADER;
        let end = start.checked_add(incl as usize)?;
        all.get(start..end)?;
        let data = all.get(start..start + incl.min(l.snapshot) as usize)?;
        let p = Packet {
            ts: timestamp(secs, frac, l.nanos),
            stamp: file_stamp(secs, frac, l.nanos),
            link: l.link,
            data,
            orig_len,
        };
        Some((p, end))
    }

    /// The file offset of the record at `at` in the chunk.
    fn file_offset(&self, at: usize) -> u64 {
        self.offset + at.saturating_sub(self.bytes.start) as u64
    }
}
