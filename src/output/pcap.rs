//! `-w FILE`: classic pcap, which every tool reads. Nanosecond timestamps
//! (magic a1b23c4d) when the source has them, so nothing is rounded away;
//! the link type and snap length of the source. Records go through a
//! buffer; `-U` flushes after each one so the file is valid after every
//! packet.
//!
//! What a pcap cannot hold is cut or refused here rather than written into a
//! file nobody can read back: the header's snap length is at most libpcap's
//! maximum for the link type (a larger one, or a record longer than the
//! header says, makes libpcap refuse the file), longer packets are cut to it
//! (the original length is kept, as for any snapped packet), and a time
//! after 2106-02-07 06:28:15 UTC (past a 32-bit seconds field) is an error.

use crate::packet::{LinkType, Packet};
use std::io::{self, IoSlice, Write};

pub struct PcapWriter {
    out: Box<dyn Write>,
    link: LinkType,
    snaplen: u32,
    per_packet_flush: bool,
    written: u64,
    /// Bytes written so far, header included (`-C` rotates on it).
    bytes: u64,
}

/// The snap length a pcap header of `link` can say: `requested`, or libpcap's
/// maximum for the link type when that is 0 or larger.
pub fn header_snaplen(link: LinkType, requested: u32) -> u32 {
    let max = link.max_caplen();
    if requested == 0 {
        max
    } else {
        requested.min(max)
    }
}

/// Bytes of a record's header (time, captured and original length).
pub const RECORD_HEADER: usize = 16;

/// `pkt`'s record header, and its bytes cut to `snaplen`; an error for a
/// time past what the header's 32-bit seconds hold.
fn record<'a>(pkt: &Packet<'a>, snaplen: u32) -> io::Result<([u8; RECORD_HEADER], &'a [u8])> {
    let Ok(secs) = u32::try_from(pkt.ts.secs()) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "a packet's time ({} s after 1970) is past 2106-02-07 06:28:15 UTC, the last \
                 second a pcap file can hold; nothing more was written",
                pkt.ts.secs()
            ),
        ));
    };
    let data = pkt.data.get(..snaplen as usize).unwrap_or(pkt.data);
    // Record header: seconds, nanoseconds, captured and original length
    // (as the source gave it: a damaged record read from a file is
    // written as read, as tcpdump's -w does).
    let caplen = data.len() as u32;
    let fields = [secs, fraction(pkt), caplen, pkt.orig_len];
    let mut rec = [0u8; RECORD_HEADER];
    for (slot, v) in rec.chunks_exact_mut(4).zip(fields) {
        slot.copy_from_slice(&v.to_le_bytes());
    }
    Ok((rec, data))
}

/// The record's nanosecond field: the clock's, but where the record read
/// had a fraction past its second ([`crate::packet::FileStamp`]), that
/// fraction's microseconds times 1000 (a signed field, as libpcap reads
/// it): tcpdump's `-w` writes the microseconds it was handed back as they
/// were, and a reader of this file (tcpdump's, which divides by 1000, or
/// sockscope's) gets the same number back. A microsecond fraction beyond
/// what 1000 times it holds in 32 bits (±2,147,483) cannot be written in
/// a nanosecond file: such a record keeps the clock's `.999999999`.
fn fraction(pkt: &Packet<'_>) -> u32 {
    pkt.stamp
        .and_then(|s| (s.micros as i32).checked_mul(1000))
        .map_or(pkt.ts.subsec_nanos(), |n| n as u32)
}

/// Append `pkt`'s record, as [`PcapWriter::write_packet`] writes it into a
/// file whose header says `snaplen` ([`header_snaplen`]), to `buf`; where
/// its packet bytes are there (its header is the [`RECORD_HEADER`] bytes
/// before them). Nothing is appended on error.
pub fn push_record(
    buf: &mut Vec<u8>,
    pkt: &Packet<'_>,
    snaplen: u32,
) -> io::Result<(usize, usize)> {
    let (header, data) = record(pkt, snaplen)?;
    buf.extend_from_slice(&header);
    let start = buf.len();
    buf.extend_from_slice(data);
    Ok((start, buf.len()))
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
        let snaplen = header_snaplen(link, snaplen);
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
            snaplen,
            per_packet_flush,
            written: 0,
            bytes: 24,
        })
    }

    pub fn link(&self) -> LinkType {
        self.link
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    /// The file's length so far (what tcpdump's `-C` asks `ftell` for).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    pub fn write_packet(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        let (header, data) = record(pkt, self.snaplen)?;
        self.out.write_all(&header)?;
        self.out.write_all(data)?;
        self.wrote(1, (RECORD_HEADER + data.len()) as u64)
    }

    /// `n` records made by [`push_record`] for this file's snap length,
    /// written as they are (a fanout worker makes them, the thread that
    /// merges the workers' packets writes them).
    pub fn write_records(&mut self, records: &[u8], n: u64) -> io::Result<()> {
        self.out.write_all(records)?;
        self.wrote(n, records.len() as u64)
    }

    /// As [`PcapWriter::write_records`], in pieces written with
    /// `write_vectored` (a buffered file takes them straight to `writev`
    /// when they pass its buffer's size, without copying them into it).
    pub fn write_record_slices(
        &mut self,
        mut records: &mut [IoSlice<'_>],
        n: u64,
    ) -> io::Result<()> {
        let bytes: u64 = records.iter().map(|r| r.len() as u64).sum();
        let mut left = bytes;
        while left > 0 {
            match self.out.write_vectored(records) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(k) => {
                    left = left.saturating_sub(k as u64);
                    IoSlice::advance_slices(&mut records, k);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.wrote(n, bytes)
    }

    fn wrote(&mut self, records: u64, bytes: u64) -> io::Result<()> {
        self.written += records;
        self.bytes += bytes;
        if self.per_packet_flush {
            self.out.flush()?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Timestamp;
    use std::sync::{Arc, Mutex};

    /// A `Write` whose bytes the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    /// Issue 17 item 9: a 300,000-byte packet went into a pcap whose header
    /// said 262,144 (libpcap refuses such a file); `-s 4294967295` wrote that
    /// snap length into the header.
    #[test]
    fn test_oversized_packet_is_cut_to_the_header_snaplen() {
        let buf = Shared::default();
        let mut w = PcapWriter::new(Box::new(buf.clone()), LinkType::Ethernet, u32::MAX, false)
            .expect("header");
        let data = vec![0u8; 300_000];
        let pkt = Packet {
            ts: Timestamp::from_secs_nanos(1, 0),
            stamp: None,
            link: LinkType::Ethernet,
            data: &data,
            orig_len: 300_000,
        };
        w.write_packet(&pkt).expect("write");
        let b = buf.0.lock().unwrap().clone();
        assert_eq!(u32_at(&b, 16), 262_144, "header snap length");
        assert_eq!(u32_at(&b, 24 + 8), 262_144, "caplen");
        assert_eq!(u32_at(&b, 24 + 12), 300_000, "original length");
        assert_eq!(b.len(), 24 + 16 + 262_144);
    }

    /// Times after 2106 wrapped (`secs as u32`): now an error that says why.
    #[test]
    fn test_timestamp_after_2106_is_refused() {
        let mut w = PcapWriter::new(Box::new(Shared::default()), LinkType::Ethernet, 0, false)
            .expect("header");
        let pkt = Packet {
            ts: Timestamp::from_secs_nanos(1 << 32, 0),
            stamp: None,
            link: LinkType::Ethernet,
            data: &[0; 14],
            orig_len: 14,
        };
        let e = w.write_packet(&pkt).expect_err("2106");
        assert!(e.to_string().contains("2106-02-07"), "{e}");
        assert_eq!(w.written(), 0);
    }
}
