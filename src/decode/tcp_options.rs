//! TCP options, read as the TLV list they are. Our own reader (rather than
//! etherparse's iterator) because an option kind nobody registered is not
//! an error: it is shown as `unknown-N`, and only a length that cannot be
//! right (0, 1, or past the end) makes the segment malformed.

/// One option, borrowing the segment's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpOpt<'a> {
    Eol,
    Nop,
    Mss(u16),
    WindowScale(u8),
    SackPermitted,
    /// Up to four (left, right) edges, raw sequence numbers.
    Sack(&'a [u8]),
    Timestamp {
        val: u32,
        ecr: u32,
    },
    Unknown {
        kind: u8,
        data: &'a [u8],
    },
}

/// An option list that does not parse: where it broke and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptError {
    pub offset: usize,
    pub kind: u8,
    /// The option's length byte, when there was one.
    pub len: usize,
    pub why: &'static str,
}

/// [`OptError::why`] of an option whose length runs past the bytes there
/// are (in a header the capture cut, the option the cut fell in).
pub const PAST_END: &str = "length runs past the header";

/// [`OptError::why`] of an option whose length byte is missing.
pub const LENGTH_MISSING: &str = "length byte missing";
/// [`OptError::why`] of an option whose length byte is below 2.
pub const LENGTH_BELOW_2: &str = "length below 2";

impl std::fmt::Display for OptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "option kind {} at offset {}: {}",
            self.kind, self.offset, self.why
        )
    }
}

/// Iterate over the options in `bytes` (the TCP header after its 20 fixed
/// bytes). Yields one `Err` and stops at the first bad length.
pub fn iter(bytes: &[u8]) -> TcpOptIter<'_> {
    TcpOptIter {
        bytes,
        pos: 0,
        done: false,
    }
}

pub struct TcpOptIter<'a> {
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Iterator for TcpOptIter<'a> {
    type Item = Result<TcpOpt<'a>, OptError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.bytes.len() {
            return None;
        }
        let at = self.pos;
        let kind = self.bytes[at];
        match kind {
            0 => {
                // Everything after end-of-list is padding.
                self.done = true;
                return Some(Ok(TcpOpt::Eol));
            }
            1 => {
                self.pos += 1;
                return Some(Ok(TcpOpt::Nop));
            }
            _ => {}
        }
        let len = self.bytes.get(at + 1).map_or(0, |&l| l as usize);
        let fail = |why| {
            Some(Err(OptError {
                offset: at,
                kind,
                len,
                why,
            }))
        };
        if self.bytes.get(at + 1).is_none() {
            self.done = true;
            return fail(LENGTH_MISSING);
        }
        if len < 2 {
            self.done = true;
            return fail(LENGTH_BELOW_2);
        }
        let Some(data) = self.bytes.get(at + 2..at + len) else {
            self.done = true;
            return fail(PAST_END);
        };
        self.pos += len;
        let be32 = |d: &[u8]| u32::from_be_bytes([d[0], d[1], d[2], d[3]]);
        let opt = match (kind, data.len()) {
            (2, 2) => TcpOpt::Mss(u16::from_be_bytes([data[0], data[1]])),
            (3, 1) => TcpOpt::WindowScale(data[0]),
            (4, 0) => TcpOpt::SackPermitted,
            (5, n) if n % 8 == 0 && n > 0 => TcpOpt::Sack(data),
            (8, 8) => TcpOpt::Timestamp {
                val: be32(&data[0..4]),
                ecr: be32(&data[4..8]),
            },
            (2..=5 | 8, _) => {
                self.done = true;
                return fail("wrong length for its kind");
            }
            _ => TcpOpt::Unknown { kind, data },
        };
        Some(Ok(opt))
    }
}

/// The data bytes an option starting at `offset` has in `bytes` (after
/// kind and length), however few: for an option the capture cut.
pub fn data_from(bytes: &[u8], offset: usize) -> &[u8] {
    bytes.get(offset.saturating_add(2)..).unwrap_or(&[])
}

/// Big-endian 64-bit values, one per whole 8 bytes (MPTCP keys).
pub fn u64s(data: &[u8]) -> impl Iterator<Item = u64> + '_ {
    data.chunks_exact(8)
        .filter_map(|c| c.first_chunk::<8>().map(|b| u64::from_be_bytes(*b)))
}

/// The SACK blocks of a `Sack` option as (left, right) pairs.
pub fn sack_blocks(data: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
    data.chunks_exact(8).map(|c| {
        (
            u32::from_be_bytes([c[0], c[1], c[2], c[3]]),
            u32::from_be_bytes([c[4], c[5], c[6], c[7]]),
        )
    })
}

/// What the graphs need from a segment's options: the timestamps (RTT
/// from TSecr) and up to four SACK blocks, raw sequence numbers. `Copy`
/// and fixed-size so a per-segment record does not allocate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SegmentOptions {
    /// (TSval, TSecr) of the timestamp option.
    pub timestamp: Option<(u32, u32)>,
    pub sack: [(u32, u32); 4],
    pub sack_count: u8,
}

impl SegmentOptions {
    /// Read the option list `bytes` (the TCP header after its fixed 20
    /// bytes); a malformed list gives what came before the break.
    pub fn read(bytes: &[u8]) -> SegmentOptions {
        let mut out = SegmentOptions::default();
        for opt in iter(bytes).map_while(Result::ok) {
            match opt {
                TcpOpt::Timestamp { val, ecr } => out.timestamp = Some((val, ecr)),
                TcpOpt::Sack(data) => {
                    for (slot, block) in out.sack.iter_mut().zip(sack_blocks(data)) {
                        *slot = block;
                        out.sack_count += 1;
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The SACK blocks present.
    pub fn sack_blocks(&self) -> &[(u32, u32)] {
        self.sack.get(..self.sack_count as usize).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syn_options() {
        let bytes = [
            2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
        ];
        let opts: Vec<_> = iter(&bytes).collect::<Result<_, _>>().unwrap();
        assert_eq!(
            opts,
            vec![
                TcpOpt::Mss(1460),
                TcpOpt::SackPermitted,
                TcpOpt::Timestamp { val: 1, ecr: 0 },
                TcpOpt::Nop,
                TcpOpt::WindowScale(7)
            ]
        );
    }

    #[test]
    fn test_malformed_zero_length() {
        let got: Vec<_> = iter(&[1, 30, 0, 1]).collect();
        assert_eq!(got[0], Ok(TcpOpt::Nop));
        assert_eq!(got[1].as_ref().unwrap_err().why, "length below 2");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn test_malformed_past_end() {
        let got: Vec<_> = iter(&[2, 8, 1]).collect();
        assert_eq!(
            got[0].as_ref().unwrap_err().why,
            "length runs past the header"
        );
    }

    #[test]
    fn unknown_kind_is_not_an_error() {
        let got: Vec<_> = iter(&[30, 4, 0xab, 0xcd, 0]).collect();
        assert_eq!(
            got,
            vec![
                Ok(TcpOpt::Unknown {
                    kind: 30,
                    data: &[0xab, 0xcd]
                }),
                Ok(TcpOpt::Eol)
            ]
        );
    }

    #[test]
    fn segment_options_reads_timestamp_and_sack() {
        let bytes = [
            1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 3, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9,
        ];
        let o = SegmentOptions::read(&bytes);
        assert_eq!(o.timestamp, Some((7, 3)));
        assert_eq!(o.sack_blocks(), &[(1, 9)]);
        assert_eq!(SegmentOptions::read(&[5, 3, 0]).sack_blocks(), &[]);
    }

    #[test]
    fn sack_edges() {
        let data = [0, 0, 0, 1, 0, 0, 0, 9];
        assert_eq!(sack_blocks(&data).collect::<Vec<_>>(), vec![(1, 9)]);
    }
}
