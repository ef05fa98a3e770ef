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
/// [`OptError::why`] of a classic option (MSS, window scale,
/// SACK-permitted, SACK, timestamps) whose length byte is not its kind's:
/// the only error the walk goes on after, at the length byte's end.
pub const WRONG_LENGTH: &str = "wrong length for its kind";
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
/// bytes). Yields an `Err` for a classic option of the wrong size and
/// goes on after it ([`WRONG_LENGTH`]); yields one `Err` and stops at a
/// length byte that is missing, below 2 or past the end.
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
            // The kernel passes over an option of the wrong size by its
            // length byte, and so does the walk.
            (2..=5 | 8, _) => return fail(WRONG_LENGTH),
            _ => TcpOpt::Unknown { kind, data },
        };
        Some(Ok(opt))
    }
}

/// [`OptError::why`] (from [`printed`]) of a classic option whose length
/// byte fits the header but whose kind's own length (MSS 2 data bytes,
/// window scale 1, timestamps 8) runs past it: tcpdump names it, then
/// rejects it (`mss[bad opt]`).
pub const OWN_LENGTH_PAST_HEADER: &str = "its kind's length runs past the header";
/// [`OptError::why`] (from [`printed`]) of a classic option whose kind's
/// own length runs past what was captured, inside the header: tcpdump
/// names it, then the capture ends (`mss [|tcp]`).
pub const OWN_LENGTH_PAST_CAPTURE: &str = "its kind's length runs past the capture";

/// The data length tcpdump reads an option of `kind` by, whatever its
/// length byte says (SACK: by its length byte, but checked against it);
/// `None` for the kinds it reads by their length byte.
fn own_length(kind: u8) -> Option<usize> {
    match kind {
        2 | 20 | 28 => Some(2),
        3 => Some(1),
        4 => Some(0),
        5 => Some(usize::MAX),
        // Echo, echo reply and the three connection counts: one word.
        6 | 7 | 11..=13 => Some(4),
        8 => Some(8),
        // The MD5 signature.
        19 => Some(16),
        _ => None,
    }
}

/// One option as tcpdump reads it ([`printed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printed<'a> {
    /// `odd_len`: the length byte, when it is not the kind's own
    /// (tcpdump's `[len N]` after the option).
    Opt {
        opt: TcpOpt<'a>,
        odd_len: Option<u8>,
    },
    /// A SACK whose length is not 2 plus a multiple of 8 (`sack invalid
    /// sack`); its bytes are passed over.
    InvalidSack,
}

/// The options as tcpdump 4.99 reads them, for the line: `bytes` as
/// captured, `declared` as the header length says. Unlike [`iter`] (the
/// length byte rules, as the kernel reads them), tcpdump reads the
/// options of a fixed size (MSS, window scale, SACK-permitted,
/// timestamps, echo, the connection counts, MD5, SCPS, user timeout) by
/// their kind's own length whatever the length byte says, prints the
/// length byte when it differs (`mss 256[len 3]`), and goes on after the
/// kind's own length, so the next option may start inside this one.
pub fn printed(bytes: &[u8], declared: usize) -> PrintedIter<'_> {
    PrintedIter {
        inner: iter(bytes),
        declared,
    }
}

pub struct PrintedIter<'a> {
    inner: TcpOptIter<'a>,
    declared: usize,
}

impl<'a> PrintedIter<'a> {
    /// Where the next option starts (past the last one read).
    pub fn offset(&self) -> usize {
        self.inner.pos
    }

    /// The next option as [`iter`] reads it (by its length byte).
    fn as_iter_reads(&mut self) -> Option<Result<Printed<'a>, OptError>> {
        let r = self.inner.next()?;
        Some(r.map(|opt| Printed::Opt { opt, odd_len: None }))
    }
}

impl<'a> Iterator for PrintedIter<'a> {
    type Item = Result<Printed<'a>, OptError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (bytes, at) = (self.inner.bytes, self.inner.pos);
        if self.inner.done || at >= bytes.len() {
            return None;
        }
        let kind = bytes[at];
        let (Some(own), Some(&len)) = (own_length(kind), bytes.get(at + 1)) else {
            return self.as_iter_reads();
        };
        let room = self.declared.saturating_sub(at);
        let len_usize = usize::from(len);
        // A length byte below 2 or past the header: rejected as `iter`
        // rejects it; a SACK of whole edges: read as `iter` reads it.
        if len < 2 || len_usize > room || (kind == 5 && len > 2 && (len_usize - 2) % 8 == 0) {
            return self.as_iter_reads();
        }
        let it = &mut self.inner;
        if kind == 5 {
            // No edges (tcpdump's `sack 0 `), or a length no edges fill.
            it.pos = at + len_usize;
            return Some(Ok(if len == 2 {
                Printed::Opt {
                    opt: TcpOpt::Sack(&[]),
                    odd_len: None,
                }
            } else {
                Printed::InvalidSack
            }));
        }
        let fail = |why| {
            Some(Err(OptError {
                offset: at,
                kind,
                len: len_usize,
                why,
            }))
        };
        if 2 + own > room {
            it.done = true;
            return fail(OWN_LENGTH_PAST_HEADER);
        }
        let Some(data) = bytes.get(at + 2..at + 2 + own) else {
            it.done = true;
            return fail(OWN_LENGTH_PAST_CAPTURE);
        };
        it.pos = at + 2 + own;
        let be32 = |d: &[u8]| u32::from_be_bytes([d[0], d[1], d[2], d[3]]);
        let opt = match kind {
            2 => TcpOpt::Mss(u16::from_be_bytes([data[0], data[1]])),
            3 => TcpOpt::WindowScale(data[0]),
            4 => TcpOpt::SackPermitted,
            8 => TcpOpt::Timestamp {
                val: be32(&data[0..4]),
                ecr: be32(&data[4..8]),
            },
            _ => TcpOpt::Unknown { kind, data },
        };
        let odd_len = (len_usize != own + 2).then_some(len);
        Some(Ok(Printed::Opt { opt, odd_len }))
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
    fn test_malformed_wrong_size_goes_on_by_its_length_byte() {
        let got: Vec<_> = iter(&[2, 3, 1, 1, 4, 2]).collect();
        assert_eq!(got.len(), 3);
        let e = got[0].as_ref().unwrap_err();
        assert_eq!((e.kind, e.len, e.why), (2, 3, WRONG_LENGTH));
        assert_eq!(got[1], Ok(TcpOpt::Nop));
        assert_eq!(got[2], Ok(TcpOpt::SackPermitted));
        // The graphs' reading still stops there.
        assert_eq!(
            SegmentOptions::read(&[2, 3, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 3]).timestamp,
            None
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

    /// tcpdump's reading of classic options with a length byte that is
    /// not their kind's (tcpdump 4.99.3's lines: `exact_cuts.pcap`).
    #[test]
    fn printed_reads_classic_options_by_their_own_length() {
        fn all(b: &[u8], declared: usize) -> Vec<Result<Printed<'_>, OptError>> {
            printed(b, declared).collect()
        }
        fn opt(opt: TcpOpt<'_>, odd_len: Option<u8>) -> Result<Printed<'_>, OptError> {
            Ok(Printed::Opt { opt, odd_len })
        }
        // MSS of length 3: two data bytes read, the next option at 4.
        assert_eq!(
            all(&[2, 3, 1, 0, 1], 5),
            [opt(TcpOpt::Mss(256), Some(3)), opt(TcpOpt::Nop, None)]
        );
        // Window scale of length 4: the next option at 3.
        assert_eq!(
            all(&[3, 4, 7, 1], 4),
            [opt(TcpOpt::WindowScale(7), Some(4)), opt(TcpOpt::Nop, None)]
        );
        assert_eq!(
            all(&[5, 12, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 1], 13),
            [Ok(Printed::InvalidSack), opt(TcpOpt::Nop, None)]
        );
        // The kind's length past the header: named, then rejected; past
        // the capture only: named, then cut.
        let why = |b: &[u8], declared| all(b, declared)[1].clone().map(|_| ()).unwrap_err().why;
        assert_eq!(why(&[1, 2, 3, 1], 4), OWN_LENGTH_PAST_HEADER);
        assert_eq!(why(&[1, 2, 3, 5], 8), OWN_LENGTH_PAST_CAPTURE);
        // The length byte past the header: rejected as `iter` rejects it.
        assert_eq!(
            all(&[2, 4, 1], 3)[0].clone().map(|_| ()).unwrap_err().why,
            PAST_END
        );
        // Right lengths read as `iter` reads them.
        let syn = [
            2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
        ];
        let plain: Vec<_> = iter(&syn).map(|o| opt(o.unwrap(), None)).collect();
        assert_eq!(all(&syn, syn.len()), plain);
    }

    #[test]
    fn sack_edges() {
        let data = [0, 0, 0, 1, 0, 0, 0, 9];
        assert_eq!(sack_blocks(&data).collect::<Vec<_>>(), vec![(1, 9)]);
    }
}
