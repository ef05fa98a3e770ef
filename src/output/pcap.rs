//! `-w FILE`: classic pcap, which every tool reads. Nanosecond timestamps
//! (magic a1b23c4d) when the source has them, so nothing is rounded away;
//! the link type and snap length of the source. Records go through a
//! buffer; `-U` flushes after each one so the file is valid after every
//! packet.

use crate::packet::{LinkType, Packet};
use std::io::{self, Write};

pub struct PcapWriter {
    out: Box<dyn Write>,
    link: LinkType,
    per_packet_flush: bool,
    written: u64,
}

impl PcapWriter {
    /// Write the file header now, so that even an empty capture is a valid
    /// file.
    pub fn new(
        mut out: Box<dyn Write>,
        link: LinkType,
        snaplen: u32,
        per_packet_flush: bool,
    ) -> io::Result<Self> {
        let mut header = Vec::with_capacity(24);
        header.extend_from_slice(&0xa1b2_3c4du32.to_le_bytes());
        header.extend_from_slice(&2u16.to_le_bytes());
        header.extend_from_slice(&4u16.to_le_bytes());
        header.extend_from_slice(&0i32.to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes());
        header.extend_from_slice(&snaplen.to_le_bytes());
        header.extend_from_slice(&link.number().to_le_bytes());
        out.write_all(&header)?;
        if per_packet_flush {
            out.flush()?;
        }
        Ok(PcapWriter {
            out,
            link,
            per_packet_flush,
            written: 0,
        })
    }

    pub fn link(&self) -> LinkType {
        self.link
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    pub fn write_packet(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        // Record header: seconds, nanoseconds, captured and original length.
        let caplen = pkt.data.len() as u32;
        let fields = [
            pkt.ts.secs() as u32,
            pkt.ts.subsec_nanos(),
            caplen,
            pkt.orig_len.max(caplen),
        ];
        let mut rec = [0u8; 16];
        for (slot, v) in rec.chunks_exact_mut(4).zip(fields) {
            slot.copy_from_slice(&v.to_le_bytes());
        }
        self.out.write_all(&rec)?;
        self.out.write_all(pkt.data)?;
        self.written += 1;
        if self.per_packet_flush {
            self.out.flush()?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
