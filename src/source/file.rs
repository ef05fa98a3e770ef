//! Capture files: pcap (both byte orders, micro- and nanosecond timestamps)
//! and pcapng (any number of interfaces, each with its own link type and
//! timestamp resolution), told apart by their magic number. `-` is stdin.
//!
//! The file is streamed through one reusable buffer: memory does not grow
//! with the file. pcap-file's parsers decode the file headers and pcapng blocks
//! (pcap record headers are read here: their length is checked first); this
//! module owns the buffer so that it can check record lengths *before* asking
//! for that many bytes (an absurd length field would otherwise look like a
//! short read) and so that every error can name the byte offset of the
//! record that broke.

use super::records::{
    PCAP_RECORD_HEADER, PcapLayout, Records, file_stamp, header_fields, libpcap_snapshot, timestamp,
};
use super::{Chunk, InChunk, PacketSource, SourceError, SourceStats};
use crate::packet::{FileStamp, LinkType, Packet, Timestamp};
use pcap_file::pcap::PcapParser;
use pcap_file::pcapng::{Block, PcapNgParser};
use pcap_file::{Endianness, TsResolution};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Largest record we accept whatever the file's snap length says (libpcap's
/// own ceiling): anything longer is a corrupt length field, not a packet.
pub const MAX_RECORD_LEN: u32 = 262_144;
/// Interfaces kept per pcapng section (16 bytes each, so at most 1 MiB): a
/// file that describes more is refused rather than allowed to grow the table.
pub const MAX_INTERFACES: usize = 65_536;

/// Largest pcapng block we accept (a packet block holds at most one record
/// plus options).
const MAX_BLOCK_LEN: u32 = 16 * 1024 * 1024;
const PCAP_FILE_HEADER: usize = 24;
/// The link-type bits of a pcap header's link-type field (libpcap's
/// `LT_LINKTYPE`).
const LINKTYPE_MASK: u32 = 0x03FF_FFFF;
/// A section header block without options: type, length, byte-order
/// magic, version, section length, length.
const SHB_BARE_LEN: usize = 28;
/// A pcapng block's type, length and trailing length.
const PCAPNG_BLOCK_MIN: usize = 12;
const READ_CHUNK: usize = 256 * 1024;
/// Chunks kept for reuse once the workers that shared them are done
/// (`read --threads` keeps a few batches a worker in flight, each in a
/// chunk or two: fewer spares than that allocate and zero new chunks).
const SPARE_CHUNKS: usize = 32;

const MAGIC_PCAP_US: [u8; 4] = [0xa1, 0xb2, 0xc3, 0xd4];
const MAGIC_PCAP_NS: [u8; 4] = [0xa1, 0xb2, 0x3c, 0x4d];
const MAGIC_PCAPNG: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

/// Whether a file's first four bytes are a pcap (either byte order, micro-
/// or nanoseconds) or pcapng magic number.
pub fn is_capture_magic(magic: [u8; 4]) -> bool {
    let mut rev = magic;
    rev.reverse();
    magic == MAGIC_PCAPNG
        || [magic, rev].contains(&MAGIC_PCAP_US)
        || [magic, rev].contains(&MAGIC_PCAP_NS)
}

/// A capture file that cannot be read (further): the file's name (`stdin`
/// for `-`) and what went wrong, with the byte offset and the lengths that
/// ruled where there are some.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {kind}")]
pub struct FileError {
    pub file: String,
    pub kind: FileErrorKind,
}

/// What is wrong with a capture file. `offset` is the byte offset of the
/// header, block or record that broke; `needed` how many bytes it takes,
/// `available` how many the file still had.
#[derive(Debug, thiserror::Error)]
pub enum FileErrorKind {
    #[error("cannot open: {0}")]
    Open(#[source] io::Error),
    #[error("is a directory, expected a pcap or pcapng file")]
    IsDirectory,
    #[error("no pcap or pcapng files in this directory")]
    NoCapturesInDirectory,
    #[error("read error at byte {offset}: {source}")]
    Read { offset: u64, source: io::Error },
    #[error("empty file, expected a pcap or pcapng capture")]
    Empty,
    #[error("only {available} bytes, too short for a pcap or pcapng header")]
    TooShortForMagic { available: usize },
    #[error(
        "not a capture file: magic number 0x{:02x}{:02x}{:02x}{:02x}, expected a pcap \
         (a1b2c3d4, a1b23c4d in either byte order) or pcapng (0a0d0d0a) file",
        magic[0], magic[1], magic[2], magic[3]
    )]
    BadMagic { magic: [u8; 4] },
    #[error("truncated pcap header: {available} of {needed} bytes")]
    TruncatedPcapHeader { needed: usize, available: usize },
    /// pcap-file refused the file header; `detail` is its message.
    #[error("bad pcap header: {detail}")]
    BadPcapHeader { detail: String },
    #[error("bad pcapng section header: {detail}")]
    BadSectionHeader { detail: String },
    #[error(
        "truncated pcapng block at byte {offset}: {available} bytes left, a block needs at least {needed}"
    )]
    TruncatedBlockHeader {
        offset: u64,
        needed: usize,
        available: usize,
    },
    #[error(
        "corrupt pcapng block at byte {offset}: length field {length} \
         (must be a multiple of 4 between 12 and {max})"
    )]
    BadBlockLength { offset: u64, length: u32, max: u32 },
    #[error(
        "file cut off in the middle of a pcapng block at byte {offset}: \
         it needs {needed} bytes, {available} are left"
    )]
    TruncatedBlock {
        offset: u64,
        needed: usize,
        available: usize,
    },
    #[error("bad pcapng block at byte {offset}: {detail}")]
    BadBlock { offset: u64, detail: String },
    #[error(
        "packet block at byte {offset} names interface {interface} but the section \
         describes only {described}"
    )]
    UnknownInterface {
        offset: u64,
        interface: u32,
        described: usize,
    },
    #[error("simple packet block at byte {offset} before any interface description")]
    NoInterface { offset: u64 },
    #[error("packet block at byte {offset} names an undescribed interface")]
    UndescribedInterface { offset: u64 },
    #[error("file cut off in a record header at byte {offset}: {available} of {needed} bytes")]
    TruncatedRecordHeader {
        offset: u64,
        needed: usize,
        available: usize,
    },
    #[error(
        "corrupt record at byte {offset}: captured length {length} is larger than \
         the {max}-byte maximum for link type {link} (libpcap's limit, whatever the \
         file header's snap length says)"
    )]
    RecordTooLong {
        offset: u64,
        length: u32,
        link: LinkType,
        max: u32,
    },
    #[error(
        "unsupported pcap version {major}.{minor} (only 2.0 to 2.4 exist; libpcap refuses \
         the others too)"
    )]
    UnsupportedPcapVersion { major: u16, minor: u16 },
    #[error("unsupported pcapng version {major}.{minor} at byte {offset} (only 1.0 and 1.2 exist)")]
    UnsupportedPcapNgVersion { offset: u64, major: u16, minor: u16 },
    #[error(
        "interface description at byte {offset}: timestamp resolution {what} is finer than \
         the 64-bit tick counter can hold (at most 10^-19 or 2^-63 s)"
    )]
    BadTsResolution { offset: u64, what: String },
    #[error("interface description at byte {offset}: more than {max} interfaces in one section")]
    TooManyInterfaces { offset: u64, max: usize },
    #[error(
        "file cut off in the middle of a record at byte {offset}: it needs {needed} bytes, \
         {available} are left"
    )]
    TruncatedRecord {
        offset: u64,
        needed: usize,
        available: usize,
    },
}

impl FileErrorKind {
    /// The byte offset of what broke, where the error has one.
    pub fn offset(&self) -> Option<u64> {
        use FileErrorKind::*;
        match self {
            Read { offset, .. }
            | TruncatedBlockHeader { offset, .. }
            | BadBlockLength { offset, .. }
            | TruncatedBlock { offset, .. }
            | BadBlock { offset, .. }
            | UnknownInterface { offset, .. }
            | NoInterface { offset }
            | UndescribedInterface { offset }
            | TruncatedRecordHeader { offset, .. }
            | RecordTooLong { offset, .. }
            | UnsupportedPcapNgVersion { offset, .. }
            | BadTsResolution { offset, .. }
            | TooManyInterfaces { offset, .. }
            | TruncatedRecord { offset, .. } => Some(*offset),
            Open(_)
            | IsDirectory
            | NoCapturesInDirectory
            | Empty
            | TooShortForMagic { .. }
            | BadMagic { .. }
            | TruncatedPcapHeader { .. }
            | BadPcapHeader { .. }
            | UnsupportedPcapVersion { .. }
            | BadSectionHeader { .. } => None,
        }
    }
}

/// Which container the file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    Pcap { nanos: bool },
    PcapNg,
}

/// Where the reader is: before the file header (only while `from_reader`
/// runs), or in a pcap or pcapng file with what its headers said.
enum Parser {
    Unread,
    Pcap {
        big_endian: bool,
        link: LinkType,
        nanos: bool,
        snaplen: u32,
    },
    PcapNg {
        parser: PcapNgParser,
        big_endian: bool,
        /// Link type and nanoseconds-per-tick for each interface of the
        /// current section, in IDB order.
        /// Each interface's link type, time unit and `if_tsoffset`
        /// (seconds added to every time stamp, as libpcap adds them).
        interfaces: Vec<(LinkType, TsUnit, u64)>,
    },
}

/// pcapng timestamps count ticks of 10^-n or 2^-n seconds (if_tsresol).
#[derive(Clone, Copy, Debug)]
enum TsUnit {
    Pow10(u8),
    Pow2(u8),
}

impl TsUnit {
    /// The unit of an `if_tsresol` value; `None` for one finer than a
    /// 64-bit tick counter can use (libpcap refuses those too).
    fn from_tsresol(v: u8) -> Option<Self> {
        if v & 0x80 == 0 {
            (v <= 19).then_some(TsUnit::Pow10(v))
        } else {
            (v & 0x7f <= 63).then_some(TsUnit::Pow2(v & 0x7f))
        }
    }
    /// The time `ticks` of this unit stand for. Past what the 64-bit
    /// nanosecond clock holds (the year 2554) the clock stays at its
    /// largest, and the seconds are kept for the printer.
    fn to_timestamp(self, ticks: u64, offset: u64) -> (Timestamp, Option<FileStamp>) {
        let (secs, nanos) = match self {
            TsUnit::Pow10(n) => {
                let per_sec = 10u64.pow(u32::from(n));
                let frac = u128::from(ticks % per_sec);
                let nanos = frac * 1_000_000_000 / u128::from(per_sec);
                (ticks / per_sec, nanos as u32)
            }
            TsUnit::Pow2(n) => {
                let n = u32::from(n);
                let secs = ticks.checked_shr(n).unwrap_or(0);
                let frac = ticks & 1u64.checked_shl(n).map_or(u64::MAX, |m| m - 1);
                (secs, ((frac as u128 * 1_000_000_000) >> n) as u32)
            }
        };
        // libpcap adds the interface's offset to the seconds (a 64-bit
        // sum, wrapping as its does).
        let secs = secs.wrapping_add(offset);
        let stamp = (secs > u64::MAX / 1_000_000_000).then_some(FileStamp {
            secs,
            micros: nanos / 1000,
        });
        (Timestamp::from_secs_nanos(secs, nanos), stamp)
    }
}

/// Where the next record sits in the buffer.
struct Record {
    ts: Timestamp,
    stamp: Option<FileStamp>,
    link: LinkType,
    orig_len: u32,
    data: std::ops::Range<usize>,
    used: usize,
}

/// A pcap or pcapng file (or stdin) read one record at a time.
pub struct FileSource {
    name: String,
    reader: Box<dyn Read>,
    /// Shared with workers while they handle packets in it
    /// ([`PacketSource::next_shared`]): reading on then moves to another.
    buf: Chunk,
    /// Chunks given out earlier, reused once no worker holds them.
    spare: Vec<Chunk>,
    /// Unconsumed bytes are `buf[pos..len]`.
    pos: usize,
    len: usize,
    /// File offset of `buf[pos]`, for error messages.
    offset: u64,
    eof: bool,
    parser: Parser,
    stats: SourceStats,
    /// Set once an error was returned: later calls return end of stream.
    failed: bool,
    /// The link type and snap length libpcap reports on opening the file
    /// (see [`FileSource::opening_link`]).
    opening_link: Option<(LinkType, u32)>,
    /// Asked before each record and when a read is interrupted by a signal:
    /// true ends the stream cleanly (Ctrl-C on `read` of a slow FIFO).
    stop: Option<fn() -> bool>,
    /// A stop cut a read short: what is left is not an error.
    stopped: bool,
    /// Called when a signal interrupts a blocking read and it goes on (so
    /// that SIGUSR1 is answered while `read` waits on a FIFO).
    on_interrupt: Option<fn(&SourceStats)>,
    /// The byte offset of the last record handed out (see [`RecordPos`]).
    record_pos: RecordPos,
}

impl FileSource {
    /// Open `path`, or stdin when it is `-`.
    pub fn open(path: &Path) -> Result<Self, SourceError> {
        if path.as_os_str() == "-" {
            return Self::from_reader("stdin", Box::new(io::stdin()));
        }
        let name = path.display().to_string();
        let fail = |kind| FileError {
            file: name.clone(),
            kind,
        };
        let file = File::open(path).map_err(|e| fail(FileErrorKind::Open(e)))?;
        if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(fail(FileErrorKind::IsDirectory).into());
        }
        Self::from_reader(&name, Box::new(file))
    }

    /// Read a capture from any byte stream; `name` is used in messages.
    pub fn from_reader(name: &str, reader: Box<dyn Read>) -> Result<Self, SourceError> {
        let mut src = FileSource {
            name: name.to_string(),
            reader,
            buf: Arc::new(vec![0; READ_CHUNK]),
            spare: Vec::new(),
            pos: 0,
            len: 0,
            offset: 0,
            eof: false,
            parser: Parser::Unread,
            stats: SourceStats::default(),
            failed: false,
            opening_link: None,
            stop: None,
            stopped: false,
            on_interrupt: None,
            record_pos: RecordPos::default(),
        };
        src.read_header()?;
        Ok(src)
    }

    /// End the stream cleanly once `stop` returns true: checked before each
    /// record, and when a signal interrupts a blocking read (the caller
    /// installs its handler without `SA_RESTART` so that the read returns).
    pub fn stop_when(&mut self, stop: fn() -> bool) {
        self.stop = Some(stop);
    }

    /// Call `hook` with the counters whenever a signal interrupts a read
    /// that then goes on.
    pub fn on_interrupt(&mut self, hook: fn(&SourceStats)) {
        self.on_interrupt = Some(hook);
    }

    fn should_stop(&self) -> bool {
        self.stop.is_some_and(|f| f())
    }

    pub fn format(&self) -> FileFormat {
        match &self.parser {
            Parser::Pcap { nanos, .. } => FileFormat::Pcap { nanos: *nanos },
            // `Unread` never leaves `from_reader`.
            Parser::PcapNg { .. } | Parser::Unread => FileFormat::PcapNg,
        }
    }

    /// The link type of a classic pcap file (pcapng has one per interface).
    pub fn pcap_link_type(&self) -> Option<LinkType> {
        match &self.parser {
            Parser::Pcap { link, .. } => Some(*link),
            Parser::PcapNg { .. } | Parser::Unread => None,
        }
    }

    /// The link type and snap length libpcap reports when it opens the
    /// file (tcpdump's `reading from file …` line): a pcap file's header,
    /// or a pcapng file's first interface description. libpcap keeps the
    /// snap length in a C `int`: one that reads as 0 or negative there
    /// becomes the link type's maximum, a merely large one stays. `None`
    /// for a pcapng file whose first interface could not be found ahead of
    /// any packet.
    pub fn opening_link(&self) -> Option<(LinkType, u32)> {
        let (link, snaplen) = self.opening_link?;
        let as_int = i32::try_from(snaplen).unwrap_or(0);
        Some((
            link,
            if as_int <= 0 {
                link.max_caplen()
            } else {
                snaplen
            },
        ))
    }

    /// The snap length of a classic pcap file, or of the first pcapng interface.
    pub fn snaplen(&self) -> u32 {
        match &self.parser {
            Parser::Pcap { snaplen, .. } => *snaplen,
            Parser::PcapNg { .. } | Parser::Unread => MAX_RECORD_LEN,
        }
    }

    fn err(&self, kind: FileErrorKind) -> SourceError {
        file_error(&self.name, kind)
    }

    /// Unconsumed bytes in the buffer.
    fn available(&self) -> usize {
        self.len - self.pos
    }

    /// Make at least `n` unconsumed bytes available; false at end of input
    /// with fewer.
    fn fill(&mut self, n: usize) -> Result<bool, SourceError> {
        while self.len - self.pos < n {
            if self.eof {
                return Ok(false);
            }
            self.unshare();
            // Unshared above: this never copies.
            let buf = Arc::make_mut(&mut self.buf);
            if self.pos > 0 {
                buf.copy_within(self.pos..self.len, 0);
                self.len -= self.pos;
                self.pos = 0;
            }
            // Grow only as bytes arrive (at most doubling what is held), never
            // to a length a header merely claims: a 234-byte file whose record
            // says 4 GiB must not allocate 4 GiB before the read finds nothing.
            if self.len == buf.len() {
                let grown = (buf.len().max(1) * 2).min(n.max(READ_CHUNK));
                buf.resize(grown, 0);
            }
            match self.reader.read(&mut buf[self.len..]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.len += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    if self.should_stop() {
                        self.stopped = true;
                        self.eof = true;
                    } else if let Some(hook) = self.on_interrupt {
                        hook(&self.stats);
                    }
                }
                Err(e) => {
                    return Err(self.err(FileErrorKind::Read {
                        offset: self.offset,
                        source: e,
                    }));
                }
            }
        }
        Ok(true)
    }

    /// When workers still share the chunk, go on in another (a spare no
    /// one holds any more, or a new one) holding the unconsumed bytes; the
    /// shared one stays as it is for them.
    fn unshare(&mut self) {
        if Arc::get_mut(&mut self.buf).is_some() {
            return;
        }
        let size = self.buf.len();
        let mut fresh = match self.spare.iter().position(|c| Arc::strong_count(c) == 1) {
            Some(i) => self.spare.swap_remove(i),
            None => Arc::new(Vec::new()),
        };
        let kept = self.buf.get(self.pos..self.len).unwrap_or_default();
        let v = Arc::make_mut(&mut fresh);
        // A spare's old bytes are overwritten by reads, not zeroed first.
        if v.len() != size {
            v.resize(size, 0);
        }
        if let Some(front) = v.get_mut(..kept.len()) {
            front.copy_from_slice(kept);
        }
        let given = std::mem::replace(&mut self.buf, fresh);
        if self.spare.len() < SPARE_CHUNKS {
            self.spare.push(given);
        }
        self.len -= self.pos;
        self.pos = 0;
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
        self.offset += n as u64;
    }

    fn read_header(&mut self) -> Result<(), SourceError> {
        self.fill(4)?;
        let available = self.available();
        if available == 0 {
            return Err(self.err(FileErrorKind::Empty));
        }
        if available < 4 {
            return Err(self.err(FileErrorKind::TooShortForMagic { available }));
        }
        let magic: [u8; 4] = [
            self.buf[self.pos],
            self.buf[self.pos + 1],
            self.buf[self.pos + 2],
            self.buf[self.pos + 3],
        ];
        if magic == MAGIC_PCAPNG {
            self.read_pcapng_header()
        } else if is_capture_magic(magic) {
            self.read_pcap_header()
        } else {
            Err(self.err(FileErrorKind::BadMagic { magic }))
        }
    }

    fn read_pcap_header(&mut self) -> Result<(), SourceError> {
        if !self.fill(PCAP_FILE_HEADER)? {
            return Err(self.err(FileErrorKind::TruncatedPcapHeader {
                needed: PCAP_FILE_HEADER,
                available: self.available(),
            }));
        }
        let (parser, used) = {
            let slice = &self.buf[self.pos..self.len];
            match PcapParser::new(slice) {
                Ok((rem, parser)) => (parser, slice.len() - rem.len()),
                Err(e) => {
                    return Err(self.err(FileErrorKind::BadPcapHeader {
                        detail: e.to_string(),
                    }));
                }
            }
        };
        let header = parser.header();
        // libpcap reads 2.0 to 2.4 (and DG/UX's 543.0); a later version may
        // lay records out differently, so refuse it rather than guess.
        let (major, minor) = (header.version_major, header.version_minor);
        if !((major == 2 && minor <= 4) || (major == 543 && minor == 0)) {
            return Err(self.err(FileErrorKind::UnsupportedPcapVersion { major, minor }));
        }
        // The top bits carry FCS flags, not the link type: libpcap masks
        // them off (LT_LINKTYPE), so does tcpdump.
        let link = LinkType::from_number(u32::from(header.datalink) & LINKTYPE_MASK);
        let nanos = header.ts_resolution == TsResolution::NanoSecond;
        self.parser = Parser::Pcap {
            big_endian: header.endianness == Endianness::Big,
            link,
            nanos,
            snaplen: header.snaplen,
        };
        self.opening_link = Some((link, header.snaplen));
        self.consume(used);
        Ok(())
    }

    fn read_pcapng_header(&mut self) -> Result<(), SourceError> {
        let block_len = self.check_block_len()?;
        let (parser, used, big_endian) = {
            let slice = &self.buf[self.pos..self.pos + block_len];
            // Options that end without end-of-options (tcpdump reads such
            // files) trip pcap-file's parser: we use none of the section's
            // options, so read the header again without them.
            let parsed = PcapNgParser::new(slice)
                .map(|(rem, parser)| (parser, slice.len() - rem.len()))
                .or_else(|e| match bare_section_header(slice) {
                    Some(bare) => PcapNgParser::new(&bare).map(|(_, p)| (p, block_len)),
                    None => Err(e),
                });
            match parsed {
                Ok((parser, used)) => {
                    let sec = parser.section();
                    if let Some(kind) =
                        check_pcapng_version(0, sec.major_version, sec.minor_version)
                    {
                        return Err(self.err(kind));
                    }
                    let big = sec.endianness == Endianness::Big;
                    (parser, used, big)
                }
                Err(e) => {
                    return Err(self.err(FileErrorKind::BadSectionHeader {
                        detail: e.to_string(),
                    }));
                }
            }
        };
        self.parser = Parser::PcapNg {
            parser,
            big_endian,
            interfaces: Vec::new(),
        };
        self.consume(used);
        self.opening_link = self.peek_first_interface(big_endian);
        Ok(())
    }

    /// The first interface description's link type and snap length, looked
    /// up ahead without consuming anything: libpcap reads it on opening a
    /// pcapng file, skipping other blocks before it. Nothing when a packet,
    /// a new section, a damaged block or the end comes first (the reader
    /// reports those in their turn), or after `PEEK_BLOCKS` blocks.
    fn peek_first_interface(&mut self, big: bool) -> Option<(LinkType, u32)> {
        const PEEK_BLOCKS: usize = 64;
        let mut ahead = 0usize;
        for _ in 0..PEEK_BLOCKS {
            self.fill(ahead.checked_add(16)?).ok()?.then_some(())?;
            let held = self.buf.get(self.pos..self.len)?;
            let kind = u32_at(held, ahead, big)?;
            let len = u32_at(held, ahead + 4, big)?;
            if kind == 1 {
                let link = LinkType::from_number(u32::from(u16_at(held, ahead + 8, big)?));
                return Some((link, u32_at(held, ahead + 12, big)?));
            }
            // Packet blocks (enhanced, simple, obsolete) and section headers.
            if matches!(kind, 2 | 3 | 6 | 0x0a0d_0d0a)
                || len < 12
                || len % 4 != 0
                || len > MAX_BLOCK_LEN
            {
                return None;
            }
            ahead = ahead.checked_add(len as usize)?;
        }
        None
    }

    /// Read the next pcapng block's length, check it, and buffer the whole
    /// block. Returns its length.
    fn check_block_len(&mut self) -> Result<usize, SourceError> {
        let at = self.offset;
        if !self.fill(PCAPNG_BLOCK_MIN)? {
            return Err(self.err(FileErrorKind::TruncatedBlockHeader {
                offset: at,
                needed: PCAPNG_BLOCK_MIN,
                available: self.available(),
            }));
        }
        let p = self.pos;
        let raw = [
            self.buf[p + 4],
            self.buf[p + 5],
            self.buf[p + 6],
            self.buf[p + 7],
        ];
        // The section header's byte-order magic decides; other blocks follow
        // the current section.
        let big = if self.buf[p..p + 4] == MAGIC_PCAPNG {
            self.fill(12)?;
            self.buf[p + 8..p + 12] == [0x1a, 0x2b, 0x3c, 0x4d]
        } else {
            match &self.parser {
                Parser::PcapNg { big_endian, .. } => *big_endian,
                Parser::Pcap { .. } | Parser::Unread => false,
            }
        };
        let block_len = if big {
            u32::from_be_bytes(raw)
        } else {
            u32::from_le_bytes(raw)
        };
        if block_len < 12 || block_len % 4 != 0 || block_len > MAX_BLOCK_LEN {
            return Err(self.err(FileErrorKind::BadBlockLength {
                offset: at,
                length: block_len,
                max: MAX_BLOCK_LEN,
            }));
        }
        if !self.fill(block_len as usize)? {
            return Err(self.err(FileErrorKind::TruncatedBlock {
                offset: at,
                needed: block_len as usize,
                available: self.available(),
            }));
        }
        Ok(block_len as usize)
    }

    fn next_pcap(&mut self) -> Result<Option<Record>, SourceError> {
        let at = self.offset;
        let Parser::Pcap {
            big_endian, link, ..
        } = &self.parser
        else {
            return Ok(None);
        };
        let (big_endian, link) = (*big_endian, *link);
        if !self.fill(PCAP_RECORD_HEADER)? {
            let available = self.available();
            if available == 0 {
                return Ok(None);
            }
            return Err(self.err(FileErrorKind::TruncatedRecordHeader {
                offset: at,
                needed: PCAP_RECORD_HEADER,
                available,
            }));
        }
        let header = self.buf.get(self.pos..self.len).unwrap_or_default();
        let Some((ts_sec, ts_frac, incl_len, orig_len)) = header_fields(header, big_endian) else {
            return Ok(None);
        };
        // The header's snap length is not trusted (a hostile one says 4 GiB):
        // libpcap's per-link maximum rules.
        let max = link.max_caplen();
        if incl_len > max {
            return Err(self.err(FileErrorKind::RecordTooLong {
                offset: at,
                length: incl_len,
                link,
                max,
            }));
        }
        let total = PCAP_RECORD_HEADER + incl_len as usize;
        if !self.fill(total)? {
            return Err(self.err(FileErrorKind::TruncatedRecord {
                offset: at,
                needed: total,
                available: self.available(),
            }));
        }
        // The record header's fields were read above, so pcap-file's
        // `next_raw_packet` (which would parse them again) is not needed.
        let Parser::Pcap {
            link,
            nanos,
            snaplen,
            ..
        } = &self.parser
        else {
            return Ok(None);
        };
        // The original length is kept as the record says it, even below the
        // captured length or 0: the printer says so as tcpdump does, and
        // `-w` writes the record as read. Bytes past libpcap's snap length
        // are skipped as libpcap skips them.
        let start = self.pos + PCAP_RECORD_HEADER;
        let kept = incl_len.min(libpcap_snapshot(*link, *snaplen)) as usize;
        Ok(Some(Record {
            ts: timestamp(ts_sec, ts_frac, *nanos),
            stamp: file_stamp(ts_sec, ts_frac, *nanos),
            link: *link,
            orig_len,
            data: start..start + kept,
            used: total,
        }))
    }

    /// Next packet-carrying pcapng block; other blocks update the interface
    /// table or are skipped.
    fn next_pcapng(&mut self) -> Result<Option<Record>, SourceError> {
        loop {
            let at = self.offset;
            if !self.fill(1)? {
                return Ok(None);
            }
            let block_len = self.check_block_len()?;
            let Parser::PcapNg {
                parser,
                interfaces,
                big_endian,
            } = &mut self.parser
            else {
                return Ok(None);
            };
            let slice = &self.buf[self.pos..self.pos + block_len];
            // Interface descriptions are read here, not by pcap-file, whose
            // parser keeps an owned copy of every one with all its options
            // (a file of large-option IDBs would grow memory without bound).
            // Only the link type and timestamp unit are kept, for at most
            // MAX_INTERFACES interfaces.
            if block_type_of(slice, *big_endian) == Some(1) {
                let (link, tsresol, offset) = read_idb(slice, *big_endian);
                let unit = match tsresol.map(TsUnit::from_tsresol) {
                    None => TsUnit::Pow10(6),
                    Some(Some(unit)) => unit,
                    Some(None) => {
                        let v = tsresol.unwrap_or(0);
                        let what = if v & 0x80 == 0 {
                            format!("10^-{v}")
                        } else {
                            format!("2^-{}", v & 0x7f)
                        };
                        return Err(file_error(
                            &self.name,
                            FileErrorKind::BadTsResolution { offset: at, what },
                        ));
                    }
                };
                if interfaces.len() >= MAX_INTERFACES {
                    return Err(file_error(
                        &self.name,
                        FileErrorKind::TooManyInterfaces {
                            offset: at,
                            max: MAX_INTERFACES,
                        },
                    ));
                }
                interfaces.push((link, unit, offset));
                self.consume(block_len);
                continue;
            }
            let block = match parser.next_block(slice) {
                Ok((_, block)) => block,
                Err(e) => {
                    return Err(file_error(
                        &self.name,
                        FileErrorKind::BadBlock {
                            offset: at,
                            detail: e.to_string(),
                        },
                    ));
                }
            };
            // The byte-order of a new section is read from its header.
            if let Block::SectionHeader(_) = &block {
                let sec = parser.section();
                if let Some(kind) = check_pcapng_version(at, sec.major_version, sec.minor_version) {
                    return Err(file_error(&self.name, kind));
                }
                *big_endian = sec.endianness == Endianness::Big;
                interfaces.clear();
            }
            let found = match block {
                Block::EnhancedPacket(epb) => {
                    let Some(&(link, unit, offset)) = interfaces.get(epb.interface_id as usize)
                    else {
                        return Err(file_error(
                            &self.name,
                            FileErrorKind::UnknownInterface {
                                offset: at,
                                interface: epb.interface_id,
                                described: interfaces.len(),
                            },
                        ));
                    };
                    let ticks = epb.timestamp.as_nanos() as u64;
                    Some((
                        link,
                        unit.to_timestamp(ticks, offset),
                        epb.original_len,
                        epb.data.len(),
                    ))
                }
                Block::SimplePacket(spb) => {
                    let Some(&(link, ..)) = interfaces.first() else {
                        return Err(file_error(
                            &self.name,
                            FileErrorKind::NoInterface { offset: at },
                        ));
                    };
                    Some((link, (Timestamp(0), None), spb.original_len, spb.data.len()))
                }
                Block::Packet(pb) => {
                    let Some(&(link, unit, offset)) = interfaces.get(pb.interface_id as usize)
                    else {
                        return Err(file_error(
                            &self.name,
                            FileErrorKind::UndescribedInterface { offset: at },
                        ));
                    };
                    Some((
                        link,
                        unit.to_timestamp(pb.timestamp, offset),
                        pb.original_len,
                        pb.data.len(),
                    ))
                }
                _ => None,
            };
            match found {
                None => self.consume(block_len),
                Some((link, (ts, stamp), orig_len, caplen)) => {
                    let max = link.max_caplen();
                    if caplen > max as usize {
                        return Err(file_error(
                            &self.name,
                            FileErrorKind::RecordTooLong {
                                offset: at,
                                length: u32::try_from(caplen).unwrap_or(u32::MAX),
                                link,
                                max,
                            },
                        ));
                    }
                    // Packet data starts at a fixed offset in each block kind:
                    // EPB 28, SPB 12, obsolete PB 28.
                    let block_type = self.block_type(self.pos);
                    let start = self.pos + if block_type == 3 { 12 } else { 28 };
                    let end = (start + caplen).min(self.pos + block_len);
                    return Ok(Some(Record {
                        ts,
                        stamp,
                        link,
                        orig_len,
                        data: start..end,
                        used: block_len,
                    }));
                }
            }
        }
    }

    fn block_type(&self, p: usize) -> u32 {
        let b = [
            self.buf[p],
            self.buf[p + 1],
            self.buf[p + 2],
            self.buf[p + 3],
        ];
        match &self.parser {
            Parser::PcapNg {
                big_endian: true, ..
            } => u32::from_be_bytes(b),
            _ => u32::from_le_bytes(b),
        }
    }
}

/// The section header block `shb` with its options left out, when it is
/// long enough to have the fixed fields.
fn bare_section_header(shb: &[u8]) -> Option<Vec<u8>> {
    let fixed = shb.get(..SHB_BARE_LEN - 4)?;
    let big = fixed.get(8..12)? == [0x1a, 0x2b, 0x3c, 0x4d];
    let len = SHB_BARE_LEN as u32;
    let len = if big {
        len.to_be_bytes()
    } else {
        len.to_le_bytes()
    };
    let mut bare = Vec::with_capacity(SHB_BARE_LEN);
    bare.extend_from_slice(fixed.get(..4)?);
    bare.extend_from_slice(&len);
    bare.extend_from_slice(fixed.get(8..)?);
    bare.extend_from_slice(&len);
    Some(bare)
}

/// libpcap reads pcapng 1.0 and 1.2 (the latter written by some old tools).
fn check_pcapng_version(offset: u64, major: u16, minor: u16) -> Option<FileErrorKind> {
    (!(major == 1 && (minor == 0 || minor == 2))).then_some(
        FileErrorKind::UnsupportedPcapNgVersion {
            offset,
            major,
            minor,
        },
    )
}

fn u16_at(b: &[u8], at: usize, big: bool) -> Option<u16> {
    let raw: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(if big {
        u16::from_be_bytes(raw)
    } else {
        u16::from_le_bytes(raw)
    })
}

fn u32_at(b: &[u8], at: usize, big: bool) -> Option<u32> {
    let raw: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(if big {
        u32::from_be_bytes(raw)
    } else {
        u32::from_le_bytes(raw)
    })
}

fn block_type_of(block: &[u8], big: bool) -> Option<u32> {
    u32_at(block, 0, big)
}

/// An interface description block's link type, `if_tsresol` (option 9)
/// and `if_tsoffset` (option 14, seconds; 0 without it), read leniently: options past a malformed one are ignored, as are all the
/// others (names, descriptions, filters), which nothing here prints.
fn read_idb(block: &[u8], big: bool) -> (LinkType, Option<u8>, u64) {
    let link = LinkType::from_number(u32::from(u16_at(block, 8, big).unwrap_or(0)));
    let end = block.len().saturating_sub(4);
    let mut at = 16;
    let mut tsresol = None;
    let mut offset = None;
    while at + 4 <= end {
        let (Some(code), Some(len)) = (u16_at(block, at, big), u16_at(block, at + 2, big)) else {
            break;
        };
        if code == 0 {
            break;
        }
        let value = at + 4;
        if code == 9 && len == 1 {
            tsresol = block.get(value).copied();
        }
        if code == 14 && len == 8 && offset.is_none() {
            let (Some(a), Some(b)) = (u32_at(block, value, big), u32_at(block, value + 4, big))
            else {
                break;
            };
            let (high, low) = if big { (a, b) } else { (b, a) };
            offset = Some(u64::from(high) << 32 | u64::from(low));
        }
        at = value + usize::from(len).div_ceil(4) * 4;
    }
    (link, tsresol, offset.unwrap_or(0))
}

/// `kind` for the file called `name` (a free function: callers may hold
/// other fields of the source borrowed).
fn file_error(name: &str, kind: FileErrorKind) -> SourceError {
    SourceError::File(FileError {
        file: name.to_string(),
        kind,
    })
}

impl FileSource {
    /// The file's name as messages give it (`stdin` for `-`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A handle that tells, while a packet is being handled, the byte
    /// offset of its record in the file (a packet borrows the source, so
    /// the pipeline cannot ask the source itself).
    pub fn record_pos(&self) -> RecordPos {
        self.record_pos.clone()
    }
}

/// The byte offset of the record a file source handed out last, and which
/// file of the run it is in (several are merged: `MergedSource`), shared
/// with whoever wants to point back into the file (the Parquet writers).
#[derive(Clone, Debug, Default)]
pub struct RecordPos(Arc<[AtomicU64; 2]>);

impl RecordPos {
    fn set(&self, offset: u64) {
        self.0[1].store(offset, Ordering::Relaxed);
    }
    /// The record lent last is at `offset` in the run's file number `file`.
    pub(super) fn set_in(&self, file: usize, offset: u64) {
        self.0[0].store(file as u64, Ordering::Relaxed);
        self.set(offset);
    }
    pub fn get(&self) -> u64 {
        self.0[1].load(Ordering::Relaxed)
    }
    /// The file's number among the run's inputs (0 reading one).
    pub fn file(&self) -> u32 {
        u32::try_from(self.0[0].load(Ordering::Relaxed)).unwrap_or(u32::MAX)
    }
}

impl FileSource {
    /// The next record, consumed: its bytes are `self.buf[rec.data]`.
    fn next_record(&mut self) -> Result<Option<Record>, SourceError> {
        if self.failed || self.stopped || self.should_stop() {
            return Ok(None);
        }
        let is_pcap = matches!(self.parser, Parser::Pcap { .. });
        // Two steps to satisfy the borrow checker: find the record's extent,
        // then consume it and lend the bytes.
        let found = if is_pcap {
            self.next_pcap()
        } else {
            self.next_pcapng()
        };
        let rec = match found {
            Ok(Some(rec)) => rec,
            Ok(None) => return Ok(None),
            // A signal cut the read short: the record was never whole.
            Err(_) if self.stopped => return Ok(None),
            Err(e) => {
                self.failed = true;
                return Err(e);
            }
        };
        self.record_pos.set(self.offset);
        self.consume(rec.used);
        self.stats.received += 1;
        let mut rec = rec;
        if self.swaps_pseudo_header(rec.link) {
            // The buffer is shared only while `next_records`' runs are
            // held, which a usbmon file never hands out.
            let buf = Arc::make_mut(&mut self.buf);
            if let Some(bytes) = buf.get_mut(rec.data.clone()) {
                crate::decode::usb::swap_to_host(rec.link.number(), bytes);
            }
        }
        if crate::decode::usb::handles(rec.link.number()) {
            let data = self.buf.get(rec.data.clone()).unwrap_or_default();
            rec.orig_len =
                crate::decode::usb::libpcap_wire_len(rec.link.number(), data, rec.orig_len);
        }
        Ok(Some(rec))
    }

    /// Whether records of `link` carry a header in the writer's byte
    /// order that libpcap turns into this host's (usbmon's), because the
    /// file's order is not this host's.
    fn swaps_pseudo_header(&self, link: LinkType) -> bool {
        let big_endian = match self.parser {
            Parser::Pcap { big_endian, .. } | Parser::PcapNg { big_endian, .. } => big_endian,
            Parser::Unread => return false,
        };
        big_endian != cfg!(target_endian = "big") && crate::decode::usb::handles(link.number())
    }

    fn packet(&self, rec: &Record) -> Packet<'_> {
        Packet {
            ts: rec.ts,
            stamp: rec.stamp,
            link: rec.link,
            data: self.buf.get(rec.data.clone()).unwrap_or_default(),
            orig_len: rec.orig_len,
        }
    }
}

impl PacketSource for FileSource {
    fn next_packet(&mut self) -> Result<Option<Packet<'_>>, SourceError> {
        let rec = self.next_record()?;
        Ok(rec.map(|rec| self.packet(&rec)))
    }

    fn next_shared(&mut self) -> Result<Option<(Packet<'_>, Option<InChunk<'_>>)>, SourceError> {
        let rec = self.next_record()?;
        Ok(rec.map(|rec| {
            let chunk = InChunk {
                chunk: &self.buf,
                range: rec.data.clone(),
            };
            (self.packet(&rec), Some(chunk))
        }))
    }

    fn gives_records(&self) -> bool {
        // Runs of records are lent as they lie in the file: not usbmon's,
        // whose headers libpcap turns to this host's byte order and whose
        // lengths it corrects (`decode::usb`) first.
        match self.parser {
            Parser::Pcap { link, .. } => !crate::decode::usb::handles(link.number()),
            _ => false,
        }
    }

    fn next_records(&mut self) -> Result<Option<Records>, SourceError> {
        let Parser::Pcap {
            big_endian,
            link,
            nanos,
            snaplen,
        } = self.parser
        else {
            return Ok(None);
        };
        let layout = PcapLayout {
            big_endian,
            nanos,
            link,
            snapshot: libpcap_snapshot(link, snaplen),
        };
        if self.failed || self.stopped || self.should_stop() {
            return Ok(None);
        }
        // The records whole in the buffer, each as `next_pcap` would take it.
        let (start, max) = (self.pos, link.max_caplen());
        let (mut at, mut count, mut last) = (start, 0, start);
        while let Some((_, _, incl, _)) = self
            .buf
            .get(at..self.len)
            .and_then(|h| header_fields(h, big_endian))
        {
            let end = at + PCAP_RECORD_HEADER + incl as usize;
            if incl > max || end > self.len {
                break;
            }
            (last, at, count) = (at, end, count + 1);
        }
        if count == 0 {
            // Not one whole in the buffer (or a damaged one): the next
            // record read the ordinary way, which reads on or says why not.
            let Some(rec) = self.next_record()? else {
                return Ok(None);
            };
            let first = rec.data.start - PCAP_RECORD_HEADER;
            return Ok(Some(Records {
                chunk: Arc::clone(&self.buf),
                bytes: first..first + rec.used,
                offset: self.record_pos.get(),
                count: 1,
                layout,
            }));
        }
        let offset = self.offset;
        self.record_pos.set(offset + (last - start) as u64);
        self.consume(at - start);
        self.stats.received += count;
        Ok(Some(Records {
            chunk: Arc::clone(&self.buf),
            bytes: start..at,
            offset,
            count,
            layout,
        }))
    }

    fn stats(&self) -> SourceStats {
        self.stats
    }

    fn link_type_hint(&self) -> Option<LinkType> {
        match &self.parser {
            Parser::Pcap { link, .. } => Some(*link),
            Parser::PcapNg { interfaces, .. } => interfaces.first().map(|(link, ..)| *link),
            Parser::Unread => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A little-endian microsecond pcap header (Ethernet, snap length 65535).
    fn pcap_header() -> Vec<u8> {
        let mut h = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
        h.extend_from_slice(&[0; 8]);
        h.extend_from_slice(&65535u32.to_le_bytes());
        h.extend_from_slice(&1u32.to_le_bytes());
        h
    }

    fn open(bytes: Vec<u8>) -> Result<FileSource, SourceError> {
        FileSource::from_reader("t.pcap", Box::new(std::io::Cursor::new(bytes)))
    }

    fn kind(e: SourceError) -> FileErrorKind {
        match e {
            SourceError::File(f) => {
                assert_eq!(f.file, "t.pcap");
                f.kind
            }
            other => panic!("not a file error: {other}"),
        }
    }

    #[test]
    fn test_truncated_record_keeps_offset_and_lengths() {
        let mut bytes = pcap_header();
        // Record header: 60 bytes captured, only 10 present.
        for v in [0u32, 0, 60, 60] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        bytes.extend_from_slice(&[0; 10]);
        let mut src = open(bytes).expect("header");
        let err = src.next_packet().expect_err("cut record");
        let text = err.to_string();
        let k = kind(err);
        assert!(
            matches!(
                k,
                FileErrorKind::TruncatedRecord {
                    offset: 24,
                    needed: 76,
                    available: 26
                }
            ),
            "{k:?}"
        );
        assert_eq!(k.offset(), Some(24));
        assert_eq!(
            text,
            "t.pcap: file cut off in the middle of a record at byte 24: it needs 76 bytes, 26 are left"
        );
    }

    /// Runs of whole records (`read --threads --flows`) give every packet
    /// `next_packet` gives, with the same times, lengths and offsets, over
    /// several chunks, and then the same error for a cut last record.
    #[test]
    fn runs_of_records_give_what_next_packet_gives() {
        let mut file = pcap_header();
        let n = 3 * READ_CHUNK / 100;
        for i in 0..n as u32 {
            let len = 50 + i % 70;
            for v in [i, i * 7 % 1_000_000, len, len + i % 3] {
                file.extend_from_slice(&v.to_le_bytes());
            }
            file.extend((0..len).map(|b| (b + i) as u8));
        }
        for v in [1u32, 2, 60, 60] {
            file.extend_from_slice(&v.to_le_bytes());
        }
        file.extend_from_slice(&[0; 10]);
        let mut one = open(file.clone()).expect("header");
        let (mut want, at) = (Vec::new(), one.record_pos());
        let one_err = loop {
            match one.next_packet() {
                Ok(Some(p)) => want.push((at.get(), p.ts, p.orig_len, p.data.to_vec())),
                Ok(None) => panic!("the cut record must be an error"),
                Err(e) => break e.to_string(),
            }
        };
        let mut runs = open(file).expect("header");
        assert!(runs.gives_records());
        let (mut got, mut count, mut many) = (Vec::new(), 0, 0);
        let runs_err = loop {
            match runs.next_records() {
                Ok(Some(r)) => {
                    count += r.count;
                    many += u32::from(r.count > 1);
                    got.extend(
                        r.iter()
                            .map(|(at, p)| (at, p.ts, p.orig_len, p.data.to_vec())),
                    );
                }
                Ok(None) => panic!("the cut record must be an error"),
                Err(e) => break e.to_string(),
            }
        };
        assert_eq!(want.len(), n);
        assert_eq!(count, n as u64);
        assert!(many >= 3, "{many} runs of several records");
        assert!(got == want, "records differ");
        assert_eq!(runs_err, one_err);
        assert_eq!(runs.stats(), one.stats());
    }

    /// A chunk handed out with a packet (`read --threads`) keeps its bytes
    /// while the source reads on: the source goes on in another chunk,
    /// and takes a spare back once no one holds it.
    #[test]
    fn shared_chunks_keep_their_bytes_while_reading_on() {
        let mut file = pcap_header();
        let n = 3 * READ_CHUNK / 100;
        for i in 0..n {
            file.extend(record(84, &[(i % 251) as u8; 84]));
        }
        let mut src = open(file).unwrap();
        let mut held: Vec<(Chunk, std::ops::Range<usize>, u8)> = Vec::new();
        let mut chunks_seen = 0;
        for i in 0..n {
            let (p, c) = src.next_shared().unwrap().unwrap();
            let c = c.expect("a file shares its chunks");
            assert_eq!(p.data, &c.chunk[c.range.clone()]);
            if !held.last().is_some_and(|(h, _, _)| Arc::ptr_eq(h, c.chunk)) {
                chunks_seen += 1;
            }
            held.push((Arc::clone(c.chunk), c.range, (i % 251) as u8));
            // Let go of all but the last few, as workers do.
            if held.len() > 200 {
                held.drain(..100);
            }
            for (chunk, range, byte) in &held {
                assert!(chunk[range.clone()].iter().all(|b| b == byte), "packet {i}");
            }
        }
        assert!(src.next_shared().unwrap().is_none());
        assert!(chunks_seen >= 3, "{chunks_seen} chunks");
        assert!(src.spare.len() <= SPARE_CHUNKS);
    }

    #[test]
    fn test_malformed_magic_and_empty_file() {
        let k = kind(open(vec![1, 2, 3, 4, 5]).err().expect("bad magic"));
        assert!(matches!(
            k,
            FileErrorKind::BadMagic {
                magic: [1, 2, 3, 4]
            }
        ));
        assert_eq!(k.offset(), None);
        assert!(matches!(
            kind(open(Vec::new()).err().expect("empty")),
            FileErrorKind::Empty
        ));
    }

    /// A pcap header with the given snap length and version.
    fn pcap_header_with(snaplen: u32, major: u16, minor: u16) -> Vec<u8> {
        let mut h = vec![0xd4, 0xc3, 0xb2, 0xa1];
        h.extend_from_slice(&major.to_le_bytes());
        h.extend_from_slice(&minor.to_le_bytes());
        h.extend_from_slice(&[0; 8]);
        h.extend_from_slice(&snaplen.to_le_bytes());
        h.extend_from_slice(&1u32.to_le_bytes());
        h
    }

    fn record(caplen: u32, data: &[u8]) -> Vec<u8> {
        let mut r = Vec::new();
        for v in [1u32, 0, caplen, caplen] {
            r.extend_from_slice(&v.to_le_bytes());
        }
        r.extend_from_slice(data);
        r
    }

    /// Issue 17 item 1: a header snap length of 0xFFFFFFFF and a record that
    /// claims almost 4 GiB used to grow (and zero-fill) the buffer to 4 GiB.
    /// The packet before it is delivered, then a clear error; the buffer
    /// never grows past what was read.
    #[test]
    fn test_malformed_huge_caplen_refused_without_allocating() {
        let mut bytes = pcap_header_with(u32::MAX, 2, 4);
        bytes.extend(record(60, &[0; 60]));
        bytes.extend(record(0xFFFF_FF00, &[0; 118]));
        assert_eq!(bytes.len(), 234);
        let mut src = open(bytes).expect("header");
        assert!(src.next_packet().expect("first").is_some());
        let k = kind(src.next_packet().expect_err("huge record"));
        assert!(
            matches!(
                k,
                FileErrorKind::RecordTooLong {
                    offset: 100,
                    length: 0xFFFF_FF00,
                    max: 262_144,
                    ..
                }
            ),
            "{k:?}"
        );
        assert!(
            src.buf.len() <= READ_CHUNK,
            "buffer grew to {}",
            src.buf.len()
        );
    }

    /// A record that holds more than the header's snap length (but no
    /// more than libpcap's maximum) is cut to the snap length, as libpcap
    /// hands it to tcpdump, and the next record still reads; alike one
    /// record at a time and in runs of records (`read --threads`).
    #[test]
    fn test_record_past_the_snap_length_is_cut_to_it() {
        let mut bytes = pcap_header_with(31, 2, 4);
        bytes.extend(record(34, &[7; 34]));
        bytes.extend(record(20, &[8; 20]));
        let mut src = open(bytes.clone()).expect("header");
        let p = src.next_packet().expect("ok").expect("first");
        assert_eq!((p.data, p.orig_len), (&[7u8; 31][..], 34));
        let p = src.next_packet().expect("ok").expect("second");
        assert_eq!(p.data, &[8u8; 20][..]);
        let mut src = open(bytes).expect("header");
        let run = src.next_records().expect("ok").expect("run");
        let got: Vec<_> = run.iter().map(|(at, p)| (at, p.data.to_vec())).collect();
        assert_eq!(got, vec![(24, vec![7; 31]), (74, vec![8; 20])]);
    }

    /// A record's fraction past its second is kept as libpcap hands it
    /// over, for the printer; the packet's clock takes the largest
    /// fraction. Seconds with bit 31 set are after 2038, nothing odd.
    #[test]
    fn test_odd_record_times_are_kept_as_libpcap_reads_them() {
        let mut bytes = pcap_header();
        for (secs, frac) in [
            (5u32, 999_999u32),
            (5, 808_464_432),
            (0x8000_0001, 7),
            (9, !0),
        ] {
            for v in [secs, frac, 4, 4] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            bytes.extend_from_slice(&[0; 4]);
        }
        let mut src = open(bytes).expect("header");
        let mut got = Vec::new();
        while let Some(p) = src.next_packet().expect("ok") {
            got.push((p.ts, p.stamp));
        }
        let stamp = |secs, micros| Some(FileStamp { secs, micros });
        assert_eq!(
            got,
            vec![
                (Timestamp(5_999_999_000), None),
                (Timestamp(5_999_999_000), stamp(5, 808_464_432)),
                (Timestamp(0x8000_0001 * 1_000_000_000 + 7_000), None),
                (Timestamp(9_999_999_000), stamp(9, !0)),
            ]
        );
    }

    /// A record longer than 262,144 bytes is refused even when the header's
    /// snap length allows it (libpcap does the same).
    #[test]
    fn test_malformed_caplen_over_libpcap_maximum() {
        let mut bytes = pcap_header_with(1 << 20, 2, 4);
        bytes.extend(record(262_145, &vec![0; 262_145]));
        let mut src = open(bytes).expect("header");
        let k = kind(src.next_packet().expect_err("too long"));
        assert!(
            matches!(k, FileErrorKind::RecordTooLong { offset: 24, .. }),
            "{k:?}"
        );
    }

    /// A record whose length is claimed but whose bytes never come grows the
    /// buffer by at most double what was read.
    #[test]
    fn test_truncated_buffer_grows_only_with_bytes_read() {
        let mut bytes = pcap_header_with(65535, 2, 4);
        bytes.extend(record(262_144, &[0; 10]));
        let mut src = open(bytes).expect("header");
        let k = kind(src.next_packet().expect_err("cut"));
        assert!(matches!(k, FileErrorKind::TruncatedRecord { .. }), "{k:?}");
        assert!(src.buf.len() <= READ_CHUNK);
    }

    /// Issue 17 item 10: unknown pcap versions were accepted.
    #[test]
    fn test_malformed_pcap_version_refused() {
        for (major, minor) in [(3, 0), (2, 5), (1, 0)] {
            let k = kind(
                open(pcap_header_with(65535, major, minor))
                    .err()
                    .expect("version"),
            );
            assert!(
                matches!(k, FileErrorKind::UnsupportedPcapVersion { major: a, minor: b } if a == major && b == minor),
                "{k:?}"
            );
        }
        assert!(open(pcap_header_with(65535, 2, 2)).is_ok());
    }

    /// A little-endian pcapng section header of the given version.
    fn shb(major: u16, minor: u16) -> Vec<u8> {
        let mut b = vec![0x0a, 0x0d, 0x0d, 0x0a];
        b.extend_from_slice(&28u32.to_le_bytes());
        b.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
        b.extend_from_slice(&major.to_le_bytes());
        b.extend_from_slice(&minor.to_le_bytes());
        b.extend_from_slice(&(-1i64).to_le_bytes());
        b.extend_from_slice(&28u32.to_le_bytes());
        b
    }

    /// An Ethernet IDB with an if_tsresol option and `pad` bytes of comment.
    fn idb(tsresol: u8, pad: usize) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&1u16.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        body.extend_from_slice(&0u32.to_le_bytes());
        if pad > 0 {
            body.extend_from_slice(&1u16.to_le_bytes());
            body.extend_from_slice(&(pad as u16).to_le_bytes());
            body.extend(std::iter::repeat_n(b'x', pad.div_ceil(4) * 4));
        }
        body.extend_from_slice(&9u16.to_le_bytes());
        body.extend_from_slice(&1u16.to_le_bytes());
        body.extend_from_slice(&[tsresol, 0, 0, 0]);
        body.extend_from_slice(&[0; 4]);
        let len = (body.len() + 12) as u32;
        let mut b = 1u32.to_le_bytes().to_vec();
        b.extend_from_slice(&len.to_le_bytes());
        b.extend(body);
        b.extend_from_slice(&len.to_le_bytes());
        b
    }

    /// An EPB on interface 0 with the given 64-bit tick count.
    fn epb(ticks: u64, data: &[u8]) -> Vec<u8> {
        let padded = data.len().div_ceil(4) * 4;
        let len = (32 + padded) as u32;
        let mut b = 6u32.to_le_bytes().to_vec();
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&((ticks >> 32) as u32).to_le_bytes());
        b.extend_from_slice(&(ticks as u32).to_le_bytes());
        b.extend_from_slice(&(data.len() as u32).to_le_bytes());
        b.extend_from_slice(&(data.len() as u32).to_le_bytes());
        b.extend_from_slice(data);
        b.resize(28 + padded, 0);
        b.extend_from_slice(&len.to_le_bytes());
        b
    }

    #[test]
    fn test_malformed_pcapng_version_refused() {
        let k = kind(open(shb(2, 0)).err().expect("version"));
        assert!(
            matches!(
                k,
                FileErrorKind::UnsupportedPcapNgVersion {
                    offset: 0,
                    major: 2,
                    minor: 0
                }
            ),
            "{k:?}"
        );
        // A later section with an unknown version, after a good packet.
        let mut bytes = shb(1, 0);
        bytes.extend(idb(6, 0));
        bytes.extend(epb(1, &[0; 20]));
        let at = bytes.len() as u64;
        bytes.extend(shb(1, 7));
        let mut src = open(bytes).expect("header");
        assert!(src.next_packet().expect("packet").is_some());
        let k = kind(src.next_packet().expect_err("second section"));
        assert!(
            matches!(k, FileErrorKind::UnsupportedPcapNgVersion { offset, .. } if offset == at),
            "{k:?}"
        );
    }

    /// Resolutions finer than 2^-63 or 10^-19 were clamped silently; a
    /// timestamp past 2554 saturated.
    #[test]
    fn test_malformed_tsresol_and_timestamp_overflow() {
        for bad in [0x80 | 64, 0x80 | 127, 20, 127] {
            let mut bytes = shb(1, 0);
            bytes.extend(idb(bad, 0));
            bytes.extend(epb(1, &[0; 20]));
            let mut src = open(bytes).expect("header");
            let k = kind(src.next_packet().expect_err("tsresol"));
            assert!(
                matches!(k, FileErrorKind::BadTsResolution { offset: 28, .. }),
                "{bad}: {k:?}"
            );
        }
        let mut bytes = shb(1, 0);
        bytes.extend(idb(0, 0)); // whole seconds
        bytes.extend(epb(1_000, &[0; 20]));
        bytes.extend(epb(u64::MAX / 2, &[0; 20]));
        let mut src = open(bytes).expect("header");
        let p = src.next_packet().expect("ok").expect("packet");
        assert_eq!(p.ts.secs(), 1_000);
        assert_eq!(p.stamp, None);
        // Past the nanosecond clock's year 2554 the packet still reads (as
        // libpcap reads it): the clock stays at its largest, tcpdump's
        // seconds are kept for the printer.
        let p = src.next_packet().expect("ok").expect("packet");
        assert_eq!(p.ts, Timestamp(u64::MAX));
        let stamp = p.stamp.expect("kept");
        assert_eq!((stamp.secs, stamp.micros), (u64::MAX / 2, 0));
        // The finest legal resolutions still read.
        for fine in [0x80 | 63, 19] {
            let mut bytes = shb(1, 0);
            bytes.extend(idb(fine, 0));
            bytes.extend(epb(u64::MAX, &[0; 20]));
            assert!(
                open(bytes)
                    .expect("header")
                    .next_packet()
                    .expect("ok")
                    .is_some()
            );
        }
    }

    /// Issue 17 item 6: interface descriptions with large options are not
    /// kept (pcap-file's parser kept an owned copy of each); the tsresol
    /// option after a large comment is still honoured.
    #[test]
    fn test_idb_options_not_kept() {
        let mut bytes = shb(1, 0);
        for _ in 0..3 {
            bytes.extend(idb(9, 60_000));
        }
        bytes.extend(epb(1_500_000_000, &[0; 20]));
        let mut src = open(bytes).expect("header");
        let p = src.next_packet().expect("ok").expect("packet");
        assert_eq!((p.ts.secs(), p.ts.subsec_nanos()), (1, 500_000_000));
        let Parser::PcapNg {
            parser, interfaces, ..
        } = &src.parser
        else {
            panic!("not pcapng");
        };
        assert_eq!(interfaces.len(), 3);
        assert!(parser.interfaces().is_empty());
    }
}
