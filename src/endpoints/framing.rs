//! Line framing with a size limit: a message is the bytes up to `\n`.
//!
//! The reader keeps only its buffers and borrows the byte source on each call,
//! so one `&TcpStream` can be read here and written elsewhere. A line longer
//! than the limit is reported as [`Frame::TooLong`] once the limit is passed,
//! so a peer that never sends `\n` cannot make us buffer without bound.

use std::io::{self, Read};

/// What [`LineReader::next`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A complete line; [`LineReader::line`] holds it without the `\n`.
    Line,
    /// The peer closed after bytes that were not `\n`-terminated; they are in
    /// [`LineReader::line`].
    Last,
    /// The peer closed on a line boundary.
    Eof,
    /// The current line passed the size limit; the stream should be closed.
    TooLong,
}

/// Reusable buffers for reading lines of at most `max` bytes (without `\n`).
#[derive(Debug)]
pub struct LineReader {
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    line: Vec<u8>,
    max: usize,
    /// The line buffer holds a finished line, to be cleared on the next call.
    ended_line: bool,
}

impl LineReader {
    /// `chunk` is the read size (bytes asked of the source at once).
    pub fn new(max: usize, chunk: usize) -> Self {
        LineReader {
            buf: vec![0; chunk.max(16)].into_boxed_slice(),
            pos: 0,
            end: 0,
            line: Vec::new(),
            max,
            ended_line: false,
        }
    }

    /// The last line found by [`next`](Self::next).
    pub fn line(&self) -> &[u8] {
        &self.line
    }

    /// Reads until a full line, the end of the stream or the size limit.
    /// Errors (timeouts included) leave the partial line in place, so a
    /// retry after `WouldBlock` continues where it stopped.
    pub fn next(&mut self, src: &mut impl Read) -> io::Result<Frame> {
        if self.ended_line {
            self.line.clear();
        }
        self.ended_line = false;
        loop {
            let avail = &self.buf[self.pos..self.end];
            if let Some(i) = avail.iter().position(|&b| b == b'\n') {
                self.line.extend_from_slice(&avail[..i]);
                self.pos += i + 1;
                self.ended_line = true;
                if self.line.len() > self.max {
                    return Ok(Frame::TooLong);
                }
                return Ok(Frame::Line);
            }
            self.line.extend_from_slice(avail);
            self.pos = 0;
            self.end = 0;
            if self.line.len() > self.max {
                self.ended_line = true;
                return Ok(Frame::TooLong);
            }
            let n = loop {
                match src.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            if n == 0 {
                self.ended_line = true;
                return Ok(if self.line.is_empty() {
                    Frame::Eof
                } else {
                    Frame::Last
                });
            }
            self.end = n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8], max: usize, chunk: usize) -> Vec<(Frame, Vec<u8>)> {
        let mut r = LineReader::new(max, chunk);
        let mut src = input;
        let mut out = Vec::new();
        loop {
            let f = r.next(&mut src).unwrap();
            out.push((f, r.line().to_vec()));
            if f != Frame::Line {
                return out;
            }
        }
    }

    #[test]
    fn test_lines_across_chunks() {
        let got = frames(b"hello\nworld\n\nend", 100, 16);
        let want: Vec<(Frame, Vec<u8>)> = vec![
            (Frame::Line, b"hello".to_vec()),
            (Frame::Line, b"world".to_vec()),
            (Frame::Line, b"".to_vec()),
            (Frame::Last, b"end".to_vec()),
        ];
        assert_eq!(got, want);
        let long = b"0123456789abcdefghij\nxy\n";
        assert_eq!(
            frames(long, 100, 16),
            vec![
                (Frame::Line, b"0123456789abcdefghij".to_vec()),
                (Frame::Line, b"xy".to_vec()),
                (Frame::Eof, b"".to_vec()),
            ]
        );
    }

    #[test]
    fn test_too_long_without_newline() {
        let data = vec![b'a'; 1000];
        let got = frames(&data, 100, 16);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, Frame::TooLong);
        assert!(got[0].1.len() <= 100 + 16);
    }

    #[test]
    fn test_exactly_max_is_allowed() {
        let mut data = vec![b'a'; 100];
        data.push(b'\n');
        assert_eq!(frames(&data, 100, 16)[0], (Frame::Line, vec![b'a'; 100]));
        data.insert(0, b'a');
        assert_eq!(frames(&data, 100, 16)[0].0, Frame::TooLong);
    }
}
