//! The packets a reader of `read --threads` hands one worker at a time:
//! where each lies in the chunks the source read (shared with the source,
//! not copied: [`PacketSource::next_shared`]), or a copy when the source
//! shares none (several files merged). The flow workers
//! (`super::flow_shards`) take their packets this way; copying each packet
//! cost the reader a tenth of its time. (The line workers of
//! `super::parallel` still get copies: on the shared machine, chunks held
//! until their lines were written measured slower there.)
//!
//! [`PacketSource::next_shared`]: crate::source::PacketSource::next_shared

use crate::flow::PcapPos;
use crate::packet::{FileStamp, LinkType, Packet, Timestamp};
use crate::source::{Chunk, InChunk};
use std::ops::Range;

/// One packet: its fields, its number in the source and where its bytes
/// are (`chunks[chunk][bytes]`, or `copied[bytes]` when `chunk` is
/// [`COPIED`]).
pub(super) struct Rec {
    pub ts: Timestamp,
    pub stamp: Option<FileStamp>,
    pub link: LinkType,
    pub orig_len: u32,
    pub number: u64,
    /// Its place in the capture file, when rows point there.
    pub pos: Option<PcapPos>,
    chunk: usize,
    bytes: Range<usize>,
}

/// [`Rec::chunk`] of a packet whose source shares no chunk.
const COPIED: usize = usize::MAX;

/// Packets handed over together, in the order read.
#[derive(Default)]
pub(super) struct Packets {
    chunks: Vec<Chunk>,
    copied: Vec<u8>,
    pub recs: Vec<Rec>,
}

impl Packets {
    /// Add packet `number` at `pos`, its bytes in `chunk` (or copied from `p`).
    pub fn push(
        &mut self,
        p: &Packet<'_>,
        chunk: Option<InChunk<'_>>,
        number: u64,
        pos: Option<PcapPos>,
    ) {
        let (chunk, bytes) = match chunk {
            Some(c) => {
                if !self
                    .chunks
                    .last()
                    .is_some_and(|l| Chunk::ptr_eq(l, c.chunk))
                {
                    self.chunks.push(Chunk::clone(c.chunk));
                }
                (self.chunks.len() - 1, c.range)
            }
            None => {
                let start = self.copied.len();
                self.copied.extend_from_slice(p.data);
                (COPIED, start..self.copied.len())
            }
        };
        self.recs.push(Rec {
            ts: p.ts,
            stamp: p.stamp,
            link: p.link,
            orig_len: p.orig_len,
            number,
            pos,
            chunk,
            bytes,
        });
    }

    /// The packet `r` of these.
    pub fn packet(&self, r: &Rec) -> Packet<'_> {
        let all = match r.chunk {
            COPIED => &self.copied,
            i => self.chunks.get(i).map_or(&self.copied, |c| &**c),
        };
        Packet {
            ts: r.ts,
            stamp: r.stamp,
            link: r.link,
            data: all.get(r.bytes.clone()).unwrap_or_default(),
            orig_len: r.orig_len,
        }
    }
}
