//! Several capture files read as one stream in time order, as `mergecap`
//! merges them (`read a.pcap b.pcap …`, `read DIR/`): a k-way merge over
//! the open readers, each holding its next packet; the earliest goes
//! first. On equal time stamps the file named last wins, as in mergecap
//! (its `is_earlier` is true for equal times, so a later file's packet
//! replaces an earlier one's as the candidate). A directory
//! stands for the pcap and pcapng files in it (recognised by their magic
//! number, in name order).

use super::file::{FileError, FileErrorKind, FileSource, RecordPos};
use super::{PacketSource, SourceError, SourceStats};
use crate::packet::{FileStamp, LinkType, Packet, Timestamp};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The files `paths` name, directories replaced by the capture files in
/// them. An empty directory is an error (a typo should not read nothing).
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SourceError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let fail = |kind| FileError {
            file: path.display().to_string(),
            kind,
        };
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| fail(FileErrorKind::Open(e)))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && is_capture(p))
            .collect();
        if found.is_empty() {
            return Err(fail(FileErrorKind::NoCapturesInDirectory).into());
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// Whether `path` starts like a pcap or pcapng file.
fn is_capture(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| super::file::is_capture_magic(magic))
}

/// One reader's next packet, copied out of the reader so that every
/// reader can hold one at once.
struct Head {
    ts: Timestamp,
    stamp: Option<FileStamp>,
    link: LinkType,
    orig_len: u32,
    /// Reused from packet to packet: no allocation once it has grown.
    data: Vec<u8>,
    full: bool,
    /// The byte offset of its record in its file.
    offset: u64,
}

/// The merge of several [`FileSource`]s.
pub struct MergedSource {
    readers: Vec<FileSource>,
    heads: Vec<Head>,
    /// The reader whose head was lent last: it is refilled first.
    lent: Option<usize>,
    started: bool,
    /// Which file and offset the packet lent last came from.
    pos: RecordPos,
}

impl MergedSource {
    /// Open every file (stdin for `-`); the first that cannot be opened is
    /// the error.
    pub fn open(paths: &[PathBuf]) -> Result<Self, SourceError> {
        let readers = paths
            .iter()
            .map(|p| FileSource::open(p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(readers))
    }

    pub fn new(readers: Vec<FileSource>) -> Self {
        let heads = readers
            .iter()
            .map(|_| Head {
                ts: Timestamp(0),
                stamp: None,
                link: LinkType::Ethernet,
                orig_len: 0,
                data: Vec::new(),
                full: false,
                offset: 0,
            })
            .collect();
        MergedSource {
            readers,
            heads,
            lent: None,
            started: false,
            pos: RecordPos::default(),
        }
    }

    /// The input files' names, in the order [`MergedSource::record_pos`]
    /// numbers them.
    pub fn names(&self) -> Vec<String> {
        self.readers.iter().map(|r| r.name().to_string()).collect()
    }

    /// See [`FileSource::record_pos`]: here also which file.
    pub fn record_pos(&self) -> RecordPos {
        self.pos.clone()
    }

    /// See [`FileSource::stop_when`]; asked by every reader.
    pub fn stop_when(&mut self, stop: fn() -> bool) {
        self.readers.iter_mut().for_each(|r| r.stop_when(stop));
    }

    /// See [`FileSource::on_interrupt`].
    pub fn on_interrupt(&mut self, hook: fn(&SourceStats)) {
        self.readers.iter_mut().for_each(|r| r.on_interrupt(hook));
    }

    /// The link type when every file is a classic pcap of the same one.
    pub fn pcap_link_type(&self) -> Option<LinkType> {
        let first = self.readers.first()?.pcap_link_type()?;
        self.readers
            .iter()
            .all(|r| r.pcap_link_type() == Some(first))
            .then_some(first)
    }

    /// Each file's [`FileSource::opening_link`], in input order.
    pub fn opening_links(&self) -> Vec<Option<(LinkType, u32)>> {
        self.readers.iter().map(FileSource::opening_link).collect()
    }

    /// The largest snap length of the files.
    pub fn snaplen(&self) -> u32 {
        self.readers.iter().map(|r| r.snaplen()).max().unwrap_or(0)
    }

    /// Read reader `i`'s next packet into its head (empty at its end).
    fn refill(&mut self, i: usize) -> Result<(), SourceError> {
        let (Some(reader), Some(head)) = (self.readers.get_mut(i), self.heads.get_mut(i)) else {
            return Ok(());
        };
        head.full = false;
        let pos = reader.record_pos();
        if let Some(p) = reader.next_packet()? {
            head.offset = pos.get();
            head.ts = p.ts;
            head.stamp = p.stamp;
            head.link = p.link;
            head.orig_len = p.orig_len;
            head.data.clear();
            head.data.extend_from_slice(p.data);
            head.full = true;
        }
        Ok(())
    }
}

impl PacketSource for MergedSource {
    fn next_packet(&mut self) -> Result<Option<Packet<'_>>, SourceError> {
        if !self.started {
            self.started = true;
            for i in 0..self.readers.len() {
                self.refill(i)?;
            }
        } else if let Some(i) = self.lent.take() {
            self.refill(i)?;
        }
        // Earlier or equal replaces the candidate: a tie goes to the file
        // named last, as mergecap orders them.
        let mut best: Option<(usize, Timestamp)> = None;
        for (i, h) in self.heads.iter().enumerate() {
            if h.full && best.is_none_or(|(_, ts)| h.ts <= ts) {
                best = Some((i, h.ts));
            }
        }
        let Some((i, _)) = best else {
            return Ok(None);
        };
        self.lent = Some(i);
        if let Some(h) = self.heads.get(i) {
            self.pos.set_in(i, h.offset);
        }
        Ok(self.heads.get(i).map(|h| Packet {
            ts: h.ts,
            stamp: h.stamp,
            link: h.link,
            data: &h.data,
            orig_len: h.orig_len,
        }))
    }

    /// Records handed out (those read ahead into the heads not counted).
    fn stats(&self) -> SourceStats {
        let read: u64 = self.readers.iter().map(|r| r.stats().received).sum();
        let ahead = self
            .heads
            .iter()
            .enumerate()
            .filter(|(i, h)| h.full && self.lent != Some(*i))
            .count() as u64;
        SourceStats {
            received: read.saturating_sub(ahead),
            dropped_by_kernel: None,
        }
    }

    fn link_type_hint(&self) -> Option<LinkType> {
        self.readers.first()?.link_type_hint()
    }
}
