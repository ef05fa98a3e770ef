//! Where packets come from: a live interface ([`live`]) or a capture file
//! ([`mod@file`]). Both yield the same [`Packet`]; nothing after this point knows
//! which one it was.

use crate::packet::{LinkType, Packet};
use std::ops::Range;
use std::sync::Arc;

pub mod file;
pub mod live;
pub mod merge;
pub mod records;

pub use records::{PcapLayout, Records};

/// A stream of packets. `next_packet` lends a packet that borrows the source's
/// own buffer, so the per-packet path does not allocate.
pub trait PacketSource {
    /// `Ok(None)` at the end of the stream (end of file, `-c`, `--duration`,
    /// Ctrl-C). An error after some packets means everything before it was
    /// already handed out.
    fn next_packet(&mut self) -> Result<Option<Packet<'_>>, SourceError>;

    /// [`PacketSource::next_packet`], with where the packet's bytes lie in
    /// a chunk the source read them into and shares: `read --threads`
    /// hands workers the chunk and the range, not a copy of the packet.
    /// `None` beside the packet: this source shares no chunk (the caller
    /// copies the bytes).
    fn next_shared(&mut self) -> Result<Option<(Packet<'_>, Option<InChunk<'_>>)>, SourceError> {
        Ok(self.next_packet()?.map(|p| (p, None)))
    }

    /// The next whole records as they lie in a chunk the source read
    /// them into, shared (`read --threads`' flow workers each walk them):
    /// `Ok(None)` at the end, as [`PacketSource::next_packet`] says it,
    /// and always from a source that reads no classic pcap file
    /// ([`PacketSource::gives_records`]).
    fn next_records(&mut self) -> Result<Option<Records>, SourceError> {
        Ok(None)
    }

    /// Whether [`PacketSource::next_records`] gives the records; asked
    /// before the first packet.
    fn gives_records(&self) -> bool {
        false
    }

    /// Whether [`PacketSource::next_packet`] may wait for packets not yet
    /// there (a live source with nothing ready): a reader that holds
    /// packets for its workers hands them over first, so that a live run
    /// on threads prints as soon as one thread would. Files never wait.
    fn may_wait(&self) -> bool {
        false
    }

    /// Counters for the end-of-run summary (kernel drops for live sources).
    fn stats(&self) -> SourceStats {
        SourceStats::default()
    }

    /// The link type of what this source delivers, when known without a
    /// packet (a pcap header, a pcapng interface already read).
    fn link_type_hint(&self) -> Option<LinkType> {
        None
    }
}

/// Bytes a source read, shared with the threads that handle its packets;
/// the source reads on into another chunk while one is still shared.
pub type Chunk = Arc<Vec<u8>>;

/// Where a packet's bytes lie: `chunk[range]`.
pub struct InChunk<'a> {
    pub chunk: &'a Chunk,
    pub range: Range<usize>,
}

/// What a source counted; printed on stderr when the run ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SourceStats {
    /// Packets the kernel delivered to us (live) or records read (file).
    pub received: u64,
    /// Packets the kernel dropped because our buffer was full (live only).
    pub dropped_by_kernel: Option<u64>,
}

/// Errors from any source. Messages say what failed and what to do.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A live capture that could not start or went wrong.
    #[error(transparent)]
    Live(#[from] live::LiveError),
    /// A capture file that cannot be read: which file, where, and why.
    #[error(transparent)]
    File(#[from] file::FileError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
