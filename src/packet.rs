//! The unit every source yields and every later stage reads: a timestamp, the
//! link type, the captured bytes (borrowed from the source's buffer: no copy
//! per packet) and the length the packet had on the wire.

use std::fmt;
use std::sync::OnceLock;

mod link_names;

/// Nanoseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub u64);

impl Timestamp {
    pub fn from_secs_nanos(secs: u64, nanos: u32) -> Self {
        Timestamp(
            secs.saturating_mul(1_000_000_000)
                .saturating_add(nanos as u64),
        )
    }
    pub fn secs(self) -> u64 {
        self.0 / 1_000_000_000
    }
    pub fn subsec_nanos(self) -> u32 {
        (self.0 % 1_000_000_000) as u32
    }
    /// Signed difference `self - earlier` in nanoseconds.
    pub fn since(self, earlier: Timestamp) -> i128 {
        self.0 as i128 - earlier.0 as i128
    }
    /// The local time zone's offset from UTC at this instant, in seconds
    /// (0 where the system cannot say): what printing it in local time adds.
    pub fn local_utc_offset_secs(self) -> i64 {
        let secs = i64::try_from(self.secs()).unwrap_or(i64::MAX);
        crate::sys::utc_offset_secs(secs).unwrap_or(0)
    }
}

/// Link-layer header types, numbered as in pcap's LINKTYPE_ registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkType {
    /// BSD loopback (0): 4-byte address family in host byte order of the writer.
    Null,
    /// Ethernet II (1).
    Ethernet,
    /// Raw IP, v4 or v6 told by the version nibble (101).
    Raw,
    /// OpenBSD loopback (108): 4-byte address family, network byte order.
    Loop,
    /// Linux cooked capture v1 (113).
    LinuxSll,
    /// Raw IPv4 (228).
    Ipv4,
    /// Raw IPv6 (229).
    Ipv6,
    /// Linux cooked capture v2 (276), what `tcpdump -i any` writes.
    LinuxSll2,
    /// Anything else: counted and reported, never dropped silently.
    Other(u32),
}

impl LinkType {
    pub fn from_number(n: u32) -> Self {
        match n {
            0 => LinkType::Null,
            1 => LinkType::Ethernet,
            // DLT_RAW's own number on Linux and the BSDs but OpenBSD,
            // which libpcap reads from a file as LINKTYPE_RAW (and writes
            // back as 101).
            12 | 101 => LinkType::Raw,
            108 => LinkType::Loop,
            113 => LinkType::LinuxSll,
            228 => LinkType::Ipv4,
            229 => LinkType::Ipv6,
            276 => LinkType::LinuxSll2,
            other => LinkType::Other(other),
        }
    }
    pub fn number(self) -> u32 {
        match self {
            LinkType::Null => 0,
            LinkType::Ethernet => 1,
            LinkType::Raw => 101,
            LinkType::Loop => 108,
            LinkType::LinuxSll => 113,
            LinkType::Ipv4 => 228,
            LinkType::Ipv6 => 229,
            LinkType::LinuxSll2 => 276,
            LinkType::Other(n) => n,
        }
    }
    /// The largest captured length libpcap accepts for this link type
    /// (`max_snaplen_for_dlt`): 262,144 bytes, more only for D-Bus messages,
    /// USBPcap and EBHSCR, whose records can legitimately be longer. Readers
    /// refuse longer records and the pcap writer never writes one.
    pub fn max_caplen(self) -> u32 {
        match self.number() {
            231 => 128 * 1024 * 1024, // D-Bus
            249 => 1024 * 1024,       // USBPcap
            279 => 8 * 1024 * 1024,   // EBHSCR
            _ => 262_144,
        }
    }
    /// pcap's name for the link type (as `tcpdump` prints it), or
    /// `unknown` for a number libpcap does not name.
    pub fn name(self) -> &'static str {
        self.names().map_or("unknown", |(name, _)| name)
    }
    /// libpcap's description of the link type (`-L`'s and `reading from
    /// file`'s words in parentheses), or `unknown`.
    pub fn description(self) -> &'static str {
        self.names()
            .map_or("unknown", |(_, description)| description)
    }
    /// Name and description from the one table of them.
    /// The text is split once into a table searched by number: `--json`
    /// names every packet's link type, and scanning the text each time
    /// cost a twelfth of its run.
    fn names(self) -> Option<(&'static str, &'static str)> {
        static TABLE: OnceLock<Vec<(u32, &'static str, &'static str)>> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            link_names::LINK_NAMES
                .lines()
                .filter_map(|line| {
                    let mut fields = line.splitn(3, '|');
                    let n = fields.next()?.parse().ok()?;
                    Some((n, fields.next()?, fields.next()?))
                })
                .collect()
        });
        let at = table.binary_search_by_key(&self.number(), |e| e.0).ok()?;
        table
            .get(at)
            .map(|&(_, name, description)| (name, description))
    }
    /// What tcpdump's `reading from file …, link-type WORDS, snapshot
    /// length …` line says of it: `PPP (PPP)`, or the bare number for a
    /// link type libpcap does not name (`147`).
    pub fn tcpdump_words(self) -> String {
        match self.names() {
            Some((name, description)) => format!("{name} ({description})"),
            None => self.number().to_string(),
        }
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.number())
    }
}

/// Length of a LINKTYPE_LINUX_SLL2 header: what the live source puts in
/// front of a cooked packet and what the filter skips over.
pub const SLL2_HEADER_LEN: usize = 20;

/// One captured packet, the same whether it came from a socket or a file.
#[derive(Clone, Copy, Debug)]
pub struct Packet<'a> {
    pub ts: Timestamp,
    pub link: LinkType,
    /// The captured bytes (at most the snap length).
    pub data: &'a [u8],
    /// The length on the wire; larger than `data.len()` when the snap length
    /// cut it. From a file, the record's own value: a damaged record can say
    /// 0 or less than it holds (see [`Packet::wire_len`]).
    pub orig_len: u32,
    /// The record's time as the file wrote it, where tcpdump prints it
    /// otherwise than `ts` reads (`None` for every sane record).
    pub stamp: Option<FileStamp>,
}

/// A file record's time as the file says it, kept beside the packet's
/// [`Timestamp`] when the two part: a fraction past its second (a damaged
/// or fuzzed record: tcpdump prints the number as libpcap hands it over,
/// `.808464432`, where `ts` takes the largest fraction), or more seconds
/// than `ts` holds (a pcapng tick count past the year 2554).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    pub secs: u64,
    /// The fraction in microseconds, as tcpdump's `%06u` prints it.
    pub micros: u32,
}

impl Packet<'_> {
    /// The length on the wire, never below what was captured: what counts
    /// and filters use, whatever a damaged record says.
    pub fn wire_len(&self) -> u32 {
        self.orig_len
            .max(u32::try_from(self.data.len()).unwrap_or(u32::MAX))
    }

    /// The record says an original length of 0 or one below what it holds
    /// (tcpdump prints `[Invalid header: …]` for it and nothing more).
    pub fn has_invalid_len(&self) -> bool {
        (self.orig_len as usize) < self.data.len() || self.orig_len == 0
    }

    pub fn is_truncated(&self) -> bool {
        (self.data.len() as u64) < self.orig_len as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_type_numbers_round_trip() {
        for n in [0, 1, 101, 108, 113, 228, 229, 276, 147] {
            assert_eq!(LinkType::from_number(n).number(), n);
        }
        assert_eq!(LinkType::from_number(147), LinkType::Other(147));
    }

    #[test]
    fn link_names_are_sorted_and_say_what_tcpdump_says() {
        let numbers: Vec<u32> = link_names::LINK_NAMES
            .lines()
            .map(|l| l.split('|').next().and_then(|n| n.parse().ok()).unwrap())
            .collect();
        assert!(numbers.len() > 150 && numbers.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(LinkType::from_number(9).tcpdump_words(), "PPP (PPP)");
        assert_eq!(LinkType::Raw.tcpdump_words(), "RAW (Raw IP)");
        assert_eq!(LinkType::from_number(147).tcpdump_words(), "147");
        assert_eq!(LinkType::from_number(147).name(), "unknown");
    }

    #[test]
    fn timestamp_parts() {
        let t = Timestamp::from_secs_nanos(7, 123);
        assert_eq!((t.secs(), t.subsec_nanos()), (7, 123));
        assert_eq!(Timestamp(5).since(Timestamp(9)), -4);
    }
}
