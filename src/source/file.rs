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

use super::{PacketSource, SourceError, SourceStats};
use crate::packet::{LinkType, Packet, Timestamp};
use pcap_file::pcap::PcapParser;
use pcap_file::pcapng::{Block, PcapNgParser};
use pcap_file::{Endianness, TsResolution};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Largest record we accept whatever the file's snap length says (libpcap's
/// own ceiling): anything longer is a corrupt length field, not a packet.
pub const MAX_RECORD_LEN: u32 = 262_144;
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
const PCAP_RECORD_HEADER: usize = 16;
/// A pcapng block's type, length and trailing length.
const PCAPNG_BLOCK_MIN: usize = 12;
const READ_CHUNK: usize = 256 * 1024;

const MAGIC_PCAP_US: [u8; 4] = [0xa1, 0xb2, 0xc3, 0xd4];
const MAGIC_PCAP_NS: [u8; 4] = [0xa1, 0xb2, 0x3c, 0x4d];
const MAGIC_PCAPNG: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

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
         the snap length ({snaplen}) and the {max}-byte maximum"
    )]
    RecordTooLong {
        offset: u64,
        length: u32,
        snaplen: u32,
        max: u32,
    },
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
            | TruncatedRecord { offset, .. } => Some(*offset),
            Open(_)
            | IsDirectory
            | Empty
            | TooShortForMagic { .. }
            | BadMagic { .. }
            | TruncatedPcapHeader { .. }
            | BadPcapHeader { .. }
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
        interfaces: Vec<(LinkType, TsUnit)>,
    },
}

/// pcapng timestamps count ticks of 10^-n or 2^-n seconds (if_tsresol).
#[derive(Clone, Copy, Debug)]
enum TsUnit {
    Pow10(u8),
    Pow2(u8),
}

impl TsUnit {
    fn from_tsresol(v: u8) -> Self {
        if v & 0x80 == 0 {
            TsUnit::Pow10(v)
        } else {
            TsUnit::Pow2(v & 0x7f)
        }
    }
    fn to_timestamp(self, ticks: u64) -> Timestamp {
        match self {
            TsUnit::Pow10(n) if n <= 9 => Timestamp(ticks.saturating_mul(10u64.pow(9 - n as u32))),
            TsUnit::Pow10(n) => {
                let div = 10u128.pow((n as u32).min(38) - 9);
                Timestamp((ticks as u128 / div) as u64)
            }
            TsUnit::Pow2(n) => {
                let n = n.min(63) as u32;
                let secs = ticks >> n;
                let frac = ticks & ((1u64 << n) - 1);
                let nanos = ((frac as u128 * 1_000_000_000) >> n) as u32;
                Timestamp::from_secs_nanos(secs, nanos)
            }
        }
    }
}

/// Where the next record sits in the buffer.
struct Record {
    ts: Timestamp,
    link: LinkType,
    orig_len: u32,
    data: std::ops::Range<usize>,
    used: usize,
}

/// A pcap or pcapng file (or stdin) read one record at a time.
pub struct FileSource {
    name: String,
    reader: Box<dyn Read>,
    buf: Vec<u8>,
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
            buf: vec![0; READ_CHUNK],
            pos: 0,
            len: 0,
            offset: 0,
            eof: false,
            parser: Parser::Unread,
            stats: SourceStats::default(),
            failed: false,
        };
        src.read_header()?;
        Ok(src)
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
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.len, 0);
                self.len -= self.pos;
                self.pos = 0;
            }
            if self.buf.len() < n {
                self.buf.resize(n.max(READ_CHUNK), 0);
            }
            if self.len == self.buf.len() {
                self.buf.resize(self.buf.len() * 2, 0);
            }
            match self.reader.read(&mut self.buf[self.len..]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.len += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
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
        let mut rev = magic;
        rev.reverse();
        if magic == MAGIC_PCAPNG {
            self.read_pcapng_header()
        } else if [magic, rev].contains(&MAGIC_PCAP_US) || [magic, rev].contains(&MAGIC_PCAP_NS) {
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
                    let big = parser.section().endianness == Endianness::Big;
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
        Ok(())
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
            big_endian,
            snaplen,
            ..
        } = &self.parser
        else {
            return Ok(None);
        };
        let (big_endian, snaplen) = (*big_endian, *snaplen);
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
        let p = self.pos;
        let field = |i: usize| {
            let b = [
                self.buf[p + i],
                self.buf[p + i + 1],
                self.buf[p + i + 2],
                self.buf[p + i + 3],
            ];
            if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let (ts_sec, ts_frac, incl_len, orig_len) = (field(0), field(4), field(8), field(12));
        let limit = snaplen.max(MAX_RECORD_LEN);
        if incl_len > limit {
            return Err(self.err(FileErrorKind::RecordTooLong {
                offset: at,
                length: incl_len,
                snaplen,
                max: MAX_RECORD_LEN,
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
        let Parser::Pcap { link, nanos, .. } = &self.parser else {
            return Ok(None);
        };
        let frac = if *nanos {
            ts_frac.min(999_999_999)
        } else {
            ts_frac.min(999_999).saturating_mul(1000)
        };
        let ts = Timestamp::from_secs_nanos(ts_sec as u64, frac);
        let orig_len = orig_len.max(incl_len);
        Ok(Some(Record {
            ts,
            link: *link,
            orig_len,
            data: self.pos + PCAP_RECORD_HEADER..self.pos + total,
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
                *big_endian = parser.section().endianness == Endianness::Big;
                interfaces.clear();
            }
            let found = match block {
                Block::InterfaceDescription(idb) => {
                    let mut unit = TsUnit::Pow10(6);
                    for opt in &idb.options {
                        if let pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption::IfTsResol(v) = opt {
                            unit = TsUnit::from_tsresol(*v);
                        }
                    }
                    interfaces.push((LinkType::from_number(u32::from(idb.linktype)), unit));
                    None
                }
                Block::EnhancedPacket(epb) => {
                    let Some(&(link, unit)) = interfaces.get(epb.interface_id as usize) else {
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
                        unit.to_timestamp(ticks),
                        epb.original_len,
                        epb.data.len(),
                    ))
                }
                Block::SimplePacket(spb) => {
                    let Some(&(link, _)) = interfaces.first() else {
                        return Err(file_error(
                            &self.name,
                            FileErrorKind::NoInterface { offset: at },
                        ));
                    };
                    Some((link, Timestamp(0), spb.original_len, spb.data.len()))
                }
                Block::Packet(pb) => {
                    let Some(&(link, unit)) = interfaces.get(pb.interface_id as usize) else {
                        return Err(file_error(
                            &self.name,
                            FileErrorKind::UndescribedInterface { offset: at },
                        ));
                    };
                    Some((
                        link,
                        unit.to_timestamp(pb.timestamp),
                        pb.original_len,
                        pb.data.len(),
                    ))
                }
                _ => None,
            };
            match found {
                None => self.consume(block_len),
                Some((link, ts, orig_len, caplen)) => {
                    // Packet data starts at a fixed offset in each block kind:
                    // EPB 28, SPB 12, obsolete PB 28.
                    let block_type = self.block_type(self.pos);
                    let start = self.pos + if block_type == 3 { 12 } else { 28 };
                    let end = (start + caplen).min(self.pos + block_len);
                    return Ok(Some(Record {
                        ts,
                        link,
                        orig_len: orig_len.max(caplen as u32),
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

/// `kind` for the file called `name` (a free function: callers may hold
/// other fields of the source borrowed).
fn file_error(name: &str, kind: FileErrorKind) -> SourceError {
    SourceError::File(FileError {
        file: name.to_string(),
        kind,
    })
}

impl PacketSource for FileSource {
    fn next_packet(&mut self) -> Result<Option<Packet<'_>>, SourceError> {
        if self.failed {
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
            Err(e) => {
                self.failed = true;
                return Err(e);
            }
        };
        self.consume(rec.used);
        self.stats.received += 1;
        Ok(Some(Packet {
            ts: rec.ts,
            link: rec.link,
            data: &self.buf[rec.data],
            orig_len: rec.orig_len,
        }))
    }

    fn stats(&self) -> SourceStats {
        self.stats
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
}
