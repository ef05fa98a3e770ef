//! Where HTTP/1.x messages end in a byte stream (RFC 9112 §6): the
//! header block up to its empty line, then the body its header announces
//! — `Transfer-Encoding: chunked` (chunks up to the last, empty one and
//! the trailer section), else `Content-Length`, else none for a request
//! and for responses that never have one (1xx, 204, 304), else the rest
//! of the connection. Followed so that the next message on a keep-alive
//! connection (pipelined requests, responses one after another) is found
//! where it really starts, and a body that happens to begin with `GET `
//! is not taken for a request. A response's body depends on its request
//! ([`Request`], which `crate::flow::pdu` pairs): a response to HEAD
//! announces a length it does not send, and after a 2xx to CONNECT (or a
//! 101) the connection is a tunnel, not HTTP.
//!
//! Reads borrowed bytes, allocates nothing, and every offset is checked:
//! a damaged length or chunk size ends the framing at the damage.

/// How a message's body is delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyLen {
    /// No body (a request without a length, 1xx/204/304).
    None,
    /// `Content-Length: N`.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Up to the end of the connection (a response without a length), or
    /// a length that cannot be read: not framed.
    ToEnd,
}

/// The request a response answers, as far as its body goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// Not known, or one whose response is framed by its own header.
    Other,
    /// HEAD: the response has no body whatever its header says.
    Head,
    /// CONNECT: a 2xx response ends at its header and the connection
    /// becomes a tunnel.
    Connect,
}

impl Request {
    /// The kind recorded for a request method (`crate::dissect::Ask`).
    pub fn of_method(method: &[u8]) -> Request {
        if method.eq_ignore_ascii_case(b"HEAD") {
            Request::Head
        } else if method.eq_ignore_ascii_case(b"CONNECT") {
            Request::Connect
        } else {
            Request::Other
        }
    }

    pub fn kind(self) -> u8 {
        self as u8
    }

    pub fn of_kind(kind: u8) -> Request {
        match kind {
            1 => Request::Head,
            2 => Request::Connect,
            _ => Request::Other,
        }
    }
}

/// One message found at an offset of the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// The end of the header block (its empty line included), when the
    /// bytes hold it.
    pub header_end: Option<usize>,
    pub body: BodyLen,
    /// Body bytes the bytes hold (chunked: the chunks' data only).
    pub body_seen: u64,
    /// Where the message ends, when the bytes hold all of it.
    pub end: Option<usize>,
    /// The bytes end inside the message: how many (from the start of the
    /// bytes) it needs at least before looking again. `None` with no
    /// `end`: its end cannot be known (to the end of the connection).
    pub need: Option<usize>,
    /// A response the connection is a tunnel after (101, 2xx to CONNECT).
    pub tunnel: bool,
}

/// Headers longer than this are not a message (`flow::pdu` follows 64 KiB).
const MAX_HEADER: usize = 64 << 10;

/// The message that starts at `at` in `m`; `scan_from`: where the search
/// for the header's end may start (bytes before it were searched already);
/// `request`: what a response there answers.
pub fn span_at(m: &[u8], at: usize, scan_from: usize, request: Request) -> Span {
    let Some(header_end) = header_end(m, at, scan_from.max(at)) else {
        let need = (m.len() - at.min(m.len()) < MAX_HEADER).then_some(m.len() + 1);
        return Span {
            header_end: None,
            body: BodyLen::None,
            body_seen: 0,
            end: None,
            need,
            tunnel: false,
        };
    };
    let header = m.get(at..header_end).unwrap_or(&[]);
    let (body, tunnel) = match status(header) {
        Some(code) if code == b"101" => (BodyLen::None, true),
        Some(code) if request == Request::Connect && code.first() == Some(&b'2') => {
            (BodyLen::None, true)
        }
        Some(_) if request == Request::Head => (BodyLen::None, false),
        _ => (body_len(header), false),
    };
    let rest = m.get(header_end..).unwrap_or(&[]);
    let (body_seen, end, need) = match body {
        BodyLen::None => (0, Some(header_end), None),
        BodyLen::Length(n) => {
            let have = rest.len() as u64;
            match usize::try_from(n)
                .ok()
                .and_then(|n| header_end.checked_add(n))
            {
                Some(end) if have >= n => (n, Some(end), None),
                Some(end) => (have, None, Some(end)),
                None => (have, None, None),
            }
        }
        BodyLen::Chunked => chunked(m, header_end),
        BodyLen::ToEnd => (rest.len() as u64, None, None),
    };
    Span {
        header_end: Some(header_end),
        body,
        body_seen,
        end,
        need,
        tunnel,
    }
}

/// A response's status code (the start line's second word), `None` for
/// a request.
pub fn status(header: &[u8]) -> Option<&[u8]> {
    header
        .starts_with(b"HTTP/")
        .then(|| {
            header
                .split(|&c| c == b' ' || c == b'\r' || c == b'\n')
                .nth(1)
        })
        .flatten()
}

/// The end of the header block that starts at `at` (after its `\r\n\r\n`
/// or `\n\n`), searching from `from`.
fn header_end(m: &[u8], at: usize, from: usize) -> Option<usize> {
    let start = from.saturating_sub(3).max(at);
    let rest = m.get(start..)?;
    rest.windows(2).enumerate().find_map(|(i, w)| {
        let p = start + i;
        match w {
            b"\n\n" => Some(p + 2),
            b"\r\n" if m.get(p + 2..p + 4) == Some(b"\r\n") => Some(p + 4),
            _ => None,
        }
    })
}

/// The body a header block announces (RFC 9112 §6.3).
fn body_len(header: &[u8]) -> BodyLen {
    let mut lines = header
        .split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    lines.next();
    let code = status(header);
    let response = code.is_some();
    if let Some(code) = code
        && (code.first() == Some(&b'1') || code == b"204" || code == b"304")
    {
        return BodyLen::None;
    }
    let mut length = None;
    let mut chunked = false;
    for l in lines {
        let Some(colon) = l.iter().position(|&c| c == b':') else {
            continue;
        };
        let (name, value) = l.split_at(colon);
        let value = value.get(1..).unwrap_or(&[]).trim_ascii();
        if name.eq_ignore_ascii_case(b"transfer-encoding") {
            // Chunked when it is the last coding applied.
            let last = value.rsplit(|&c| c == b',').next().unwrap_or(&[]);
            chunked = last.trim_ascii().eq_ignore_ascii_case(b"chunked");
        } else if name.eq_ignore_ascii_case(b"content-length") {
            let n = decimal(value);
            // Two different lengths: the message cannot be framed.
            length = match (length, n) {
                (None, n) => Some(n),
                (Some(a), b) if a == b => Some(a),
                _ => Some(None),
            };
        }
    }
    if chunked {
        return BodyLen::Chunked;
    }
    match length {
        Some(Some(n)) => BodyLen::Length(n),
        Some(None) => BodyLen::ToEnd,
        None if response => BodyLen::ToEnd,
        None => BodyLen::None,
    }
}

/// A decimal number of at most 18 digits.
fn decimal(v: &[u8]) -> Option<u64> {
    if v.is_empty() || v.len() > 18 || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(v.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0')))
}

/// A chunked body from `at`: data bytes seen, its end, the bytes needed.
fn chunked(m: &[u8], mut at: usize) -> (u64, Option<usize>, Option<usize>) {
    let mut seen = 0u64;
    loop {
        // The size line: hex digits, extensions after `;`, CRLF.
        let Some(eol) = line_end(m, at) else {
            return (seen, None, Some(m.len() + 1));
        };
        let line = m.get(at..eol.0).unwrap_or(&[]);
        let digits = line
            .split(|&c| c == b';')
            .next()
            .unwrap_or(&[])
            .trim_ascii();
        let Some(size) = hex(digits) else {
            // Damaged: the rest cannot be framed.
            return (seen, None, None);
        };
        at = eol.1;
        if size == 0 {
            return trailers(m, at, seen);
        }
        let Some(data_end) = usize::try_from(size).ok().and_then(|s| at.checked_add(s)) else {
            return (seen, None, None);
        };
        let have = m.len().saturating_sub(at).min(size as usize);
        seen += have as u64;
        // The data and its CRLF.
        let after = data_end + 2;
        if m.len() < after {
            return (seen, None, Some(after));
        }
        if m.get(data_end..after) != Some(b"\r\n") {
            return (seen, None, None);
        }
        at = after;
    }
}

/// Where a chunked body that is counted rather than kept stands after
/// [`count_chunks`] looked at the bytes that came since the last call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkCount {
    /// Bytes of the tail taken (size lines, data, CRLFs); the rest (a
    /// size line or the trailers not all there) is looked at again with
    /// the bytes that follow.
    pub used: usize,
    /// Chunk data bytes among them.
    pub data: u64,
    /// Data bytes of the current chunk still to come, to pass over.
    pub skip: u64,
    /// The next bytes (after `skip`) are the CRLF that closes a chunk.
    pub after_data: bool,
    /// The body ended (last chunk and trailers) at `used`.
    pub done: bool,
    /// A damaged size line or a missing CRLF: the body cannot be followed.
    pub broken: bool,
}

/// Counts a chunked body a piece at a time, keeping nothing but the
/// unfinished size line or trailers: `tail` is what came after the part
/// counted so far, `after_data` whether it starts with the CRLF after a
/// chunk's data. The same rules as [`span_at`]'s framing of a whole one.
pub fn count_chunks(tail: &[u8], after_data: bool) -> ChunkCount {
    let mut c = ChunkCount {
        used: 0,
        data: 0,
        skip: 0,
        after_data,
        done: false,
        broken: false,
    };
    loop {
        if c.after_data {
            let rest = tail.get(c.used..).unwrap_or(&[]);
            if rest.len() < 2 {
                // Not all there yet: only a CR may wait for its LF.
                c.broken = !b"\r\n".starts_with(rest);
                return c;
            }
            if !rest.starts_with(b"\r\n") {
                c.broken = true;
                return c;
            }
            c.used += 2;
            c.after_data = false;
        }
        let Some(eol) = line_end(tail, c.used) else {
            return c;
        };
        let line = tail.get(c.used..eol.0).unwrap_or(&[]);
        let digits = line
            .split(|&b| b == b';')
            .next()
            .unwrap_or(&[])
            .trim_ascii();
        let Some(size) = hex(digits) else {
            c.broken = true;
            return c;
        };
        if size == 0 {
            // The trailers, when all there, end the body.
            if let (_, Some(end), _) = trailers(tail, eol.1, 0) {
                (c.used, c.done) = (end, true);
            }
            return c;
        }
        let have = (tail.len() - eol.1) as u64;
        c.after_data = true;
        if have < size {
            (c.used, c.data, c.skip) = (tail.len(), c.data + have, size - have);
            return c;
        }
        c.used = eol.1 + size as usize;
        c.data += size;
    }
}

/// The trailer section after the last chunk, up to its empty line.
fn trailers(m: &[u8], mut at: usize, seen: u64) -> (u64, Option<usize>, Option<usize>) {
    loop {
        let Some((content_end, next)) = line_end(m, at) else {
            return (seen, None, Some(m.len() + 1));
        };
        if content_end == at {
            return (seen, Some(next), None);
        }
        at = next;
    }
}

/// The end of the line at `at`: where its content ends and the next
/// line starts (CRLF or LF).
fn line_end(m: &[u8], at: usize) -> Option<(usize, usize)> {
    let rest = m.get(at..)?;
    let lf = rest.iter().position(|&c| c == b'\n')?;
    let content = if lf > 0 && rest.get(lf - 1) == Some(&b'\r') {
        lf - 1
    } else {
        lf
    };
    Some((at + content, at + lf + 1))
}

/// A chunk size: at most 15 hex digits.
fn hex(v: &[u8]) -> Option<u64> {
    if v.is_empty() || v.len() > 15 {
        return None;
    }
    v.iter().try_fold(0u64, |n, &d| {
        let x = (d as char).to_digit(16)?;
        Some(n << 4 | u64::from(x))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_content_length_and_pipelined_requests() {
        let m = b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nGET /GET /b HTTP/1.1\r\n\r\n";
        let s = span_at(m, 0, 0, Request::Other);
        assert_eq!(
            (s.body, s.body_seen, s.end),
            (BodyLen::Length(5), 5, Some(44))
        );
        let s = span_at(m, 44, 0, Request::Other);
        assert_eq!((s.body, s.end), (BodyLen::None, Some(m.len())));
        // The body cut: the whole message is needed.
        let s = span_at(&m[..41], 0, 0, Request::Other);
        assert_eq!((s.body_seen, s.end, s.need), (2, None, Some(44)));
    }

    /// A chunked body counted piece by piece (as `flow::pdu` does: each
    /// chunk's data passed over, the rest kept until counted), cut at
    /// every length: the same data count and end as the whole body's
    /// framing, and the bytes after it left untouched.
    #[test]
    fn test_chunks_counted_in_pieces_equal_the_whole() {
        let body =
            b"4;ext=1\r\nabcd\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n1\r\nz\r\n0\r\nT: v\r\n\r\n";
        let after = b"HTTP/1.1 204 No\r\n\r\n";
        let m = [
            &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"[..],
            body,
            after,
        ]
        .concat();
        let whole = span_at(&m, 0, 0, Request::Other);
        let header = whole.header_end.unwrap();
        let stream = &m[header..];
        for piece in 1..=stream.len() {
            let (mut tail, mut skip, mut after_data) = (Vec::new(), 0u64, false);
            let (mut data, mut passed, mut left) = (0u64, 0usize, None);
            for p in stream.chunks(piece) {
                let pass = (skip as usize).min(p.len());
                skip -= pass as u64;
                passed += pass;
                tail.extend_from_slice(&p[pass..]);
                if skip > 0 || left.is_some() {
                    continue;
                }
                let c = count_chunks(&tail, after_data);
                assert!(!c.broken, "piece {piece}");
                (data, skip, after_data) = (data + c.data + c.skip, c.skip, c.after_data);
                passed += c.used;
                tail.drain(..c.used);
                if c.done {
                    left = Some(passed);
                }
            }
            assert_eq!(data, whole.body_seen, "piece {piece}");
            assert_eq!(left.map(|l| header + l), whole.end, "piece {piece}");
            assert!(
                tail.ends_with(after) && tail.len() <= after.len() + piece,
                "piece {piece}"
            );
        }
    }

    #[test]
    fn test_damaged_chunks_are_not_counted_on() {
        assert!(count_chunks(b"zz\r\n", false).broken);
        assert!(count_chunks(b"4\r\nabcdXY", false).broken);
        assert!(count_chunks(b"X", true).broken);
        let waits = count_chunks(b"\r", true);
        assert!(!waits.broken && waits.used == 0 && waits.after_data);
        let size_cut = count_chunks(b"\r\n1f", true);
        assert_eq!(
            (size_cut.used, size_cut.after_data, size_cut.done),
            (2, false, false)
        );
    }

    #[test]
    fn test_chunked_body_with_trailers() {
        let m = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n4;x=y\r\nabcd\r\n0\r\nT: 1\r\n\r\nHTTP/1.1 204 No\r\n\r\n";
        let s = span_at(m, 0, 0, Request::Other);
        let end = m.len() - 19;
        assert_eq!(
            (s.body, s.body_seen, s.end),
            (BodyLen::Chunked, 4, Some(end))
        );
        assert_eq!(span_at(m, end, 0, Request::Other).end, Some(m.len()));
        // Cut in the data, in the size line, in the trailers.
        for (cut, need) in [(60, 66), (56, 57), (75, 76)] {
            let s = span_at(&m[..cut], 0, 0, Request::Other);
            assert_eq!((s.end, s.need), (None, Some(need)), "cut at {cut}");
        }
    }

    #[test]
    fn test_malformed_lengths_are_not_framed() {
        for h in [
            &b"HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"HTTP/1.1 200 OK\r\n\r\nto the end",
        ] {
            let s = span_at(h, 0, 0, Request::Other);
            assert_eq!(
                (s.end, s.need),
                (None, None),
                "{:?}",
                String::from_utf8_lossy(h)
            );
        }
        let s = span_at(
            b"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n",
            0,
            0,
            Request::Other,
        );
        assert_eq!(s.body, BodyLen::None);
    }

    #[test]
    fn test_responses_to_head_and_connect() {
        let m = b"HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\nHTTP/1.1 200 OK\r\n";
        let s = span_at(m, 0, 0, Request::Head);
        assert_eq!((s.body, s.end, s.tunnel), (BodyLen::None, Some(40), false));
        let s = span_at(m, 0, 0, Request::Other);
        assert_eq!((s.end, s.need), (None, Some(940)));
        let s = span_at(m, 0, 0, Request::Connect);
        assert_eq!((s.end, s.tunnel), (Some(40), true));
        // A refused CONNECT is framed by its header.
        let refused = b"HTTP/1.1 403 No\r\nContent-Length: 2\r\n\r\nno";
        let s = span_at(refused, 0, 0, Request::Connect);
        assert_eq!((s.end, s.tunnel), (Some(refused.len()), false));
    }
}
