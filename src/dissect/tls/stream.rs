//! The handshake stream across records. The record layer cuts the
//! handshake protocol's byte stream where it likes (RFC 8446 §5.1, RFC
//! 5246 §6.2.1): a message may fill several records (a certificate chain
//! longer than 16 KiB always does), its four-byte header may be cut, and
//! one record may hold several messages. Consecutive handshake records are
//! one stream; a record of another type ends it (handshake messages "MUST
//! NOT be interleaved with other record types"), and after
//! ChangeCipherSpec the handshake records are encrypted, each read alone.
//!
//! [`Boundaries`] follows the stream record by record, for the framer
//! that tells `crate::flow::pdu` where messages end; [`split`] cuts the
//! records of a payload into messages, joining the pieces of one that
//! spans records into one buffer.

use super::names;

/// A message longer than this is not joined (the record layer's limit on
/// what `crate::flow::pdu` follows: a message past it is read as far as
/// one record goes, as before joining).
pub const MAX_JOINED: usize = 64 << 10;

/// Where the handshake stream is at a record's end: the bytes still to
/// come of the message open, and the header bytes read of the next.
#[derive(Default)]
pub struct Boundaries {
    left: usize,
    head: [u8; 4],
    head_len: usize,
    /// The stream cannot be followed (encrypted, or a message too long to
    /// join): every record end is a boundary from here on.
    off: bool,
}

impl Boundaries {
    /// A record of type `ty` with `body`.
    pub fn record(&mut self, ty: u8, body: &[u8]) {
        match ty {
            super::HANDSHAKE => self.handshake(body),
            // Encrypted from here on.
            CHANGE_CIPHER_SPEC => *self = Boundaries::after_change_cipher_spec(),
            // Interleaving is not allowed: a message open is abandoned.
            _ => {
                let off = self.off;
                *self = Boundaries {
                    off,
                    ..Boundaries::default()
                };
            }
        }
    }

    fn after_change_cipher_spec() -> Boundaries {
        Boundaries {
            off: true,
            ..Boundaries::default()
        }
    }

    fn handshake(&mut self, body: &[u8]) {
        let mut rest = body;
        while !self.off && !rest.is_empty() {
            if self.left > 0 {
                let take = self.left.min(rest.len());
                self.left -= take;
                rest = rest.get(take..).unwrap_or(&[]);
                continue;
            }
            let take = (4 - self.head_len).min(rest.len());
            for (h, &b) in self.head.iter_mut().skip(self.head_len).zip(rest) {
                *h = b;
            }
            self.head_len += take;
            rest = rest.get(take..).unwrap_or(&[]);
            if self.head_len == 4 {
                self.head_len = 0;
                match joinable(self.head) {
                    Some(len) => self.left = len,
                    None => self.off = true,
                }
            }
        }
    }

    /// Whether the last record ended on a message boundary.
    pub fn at_boundary(&self) -> bool {
        self.off || (self.left == 0 && self.head_len == 0)
    }
}

const CHANGE_CIPHER_SPEC: u8 = 20;

/// A handshake header's body length, when it names a message type and a
/// length that may be joined.
fn joinable(head: [u8; 4]) -> Option<usize> {
    let [ty, a, b, c] = head;
    let len = usize::from(a) << 16 | usize::from(b) << 8 | usize::from(c);
    (names::handshake_type(ty).is_some() && len + 4 <= MAX_JOINED).then_some(len)
}

/// One record as [`split`] needs it.
pub struct Rec<'a> {
    pub ty: u8,
    pub body: &'a [u8],
}

/// Where a message's body is: in one record's bytes, or joined.
pub enum Body<'a> {
    Borrowed(&'a [u8]),
    Joined(std::ops::Range<usize>),
}

/// A handshake message found by [`split`].
pub struct Piece<'a> {
    /// The record its last byte is in (where it is listed).
    pub record: usize,
    pub ty: u8,
    pub body: Body<'a>,
    /// All of it is there (else the payload ends inside it).
    pub whole: bool,
    /// Not a message: encrypted bytes, or a header no message has.
    pub encrypted: bool,
}

/// The handshake messages of `recs` (a payload's records in order),
/// pieces of one message in several records copied into `joined`.
/// Records after ChangeCipherSpec are left to the caller (encrypted).
pub fn split<'a>(recs: &[Rec<'a>], joined: &mut Vec<u8>) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut encrypted = false;
    let mut i = 0;
    while let Some(r) = recs.get(i) {
        if r.ty == CHANGE_CIPHER_SPEC {
            encrypted = true;
        }
        if r.ty != super::HANDSHAKE || encrypted {
            i += 1;
            continue;
        }
        // The run of handshake records from `i`.
        let run = recs
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|r| r.ty == super::HANDSHAKE)
            .count();
        let end_of_payload = i + run == recs.len();
        split_run(
            recs.get(i..i + run).unwrap_or(&[]),
            i,
            end_of_payload,
            joined,
            &mut out,
        );
        i += run;
    }
    out
}

/// A cursor over the bytes of a run of records.
struct Cursor<'r, 'a> {
    recs: &'r [Rec<'a>],
    rec: usize,
    at: usize,
}

impl<'a> Cursor<'_, 'a> {
    fn done(&mut self) -> bool {
        while let Some(r) = self.recs.get(self.rec) {
            if self.at < r.body.len() {
                return false;
            }
            self.rec += 1;
            self.at = 0;
        }
        true
    }

    /// Up to `n` bytes from the current record.
    fn take(&mut self, n: usize) -> &'a [u8] {
        if self.done() {
            return &[];
        }
        let body = self.recs.get(self.rec).map_or(&[][..], |r| r.body);
        let end = self.at.saturating_add(n).min(body.len());
        let got = body.get(self.at..end).unwrap_or(&[]);
        self.at = end;
        got
    }

    /// The record of the last byte taken.
    fn last_record(&self) -> usize {
        if self.at == 0 {
            self.rec.saturating_sub(1)
        } else {
            self.rec
        }
    }
}

fn split_run<'a>(
    recs: &[Rec<'a>],
    first: usize,
    end_of_payload: bool,
    joined: &mut Vec<u8>,
    out: &mut Vec<Piece<'a>>,
) {
    let mut c = Cursor {
        recs,
        rec: 0,
        at: 0,
    };
    // A message that runs past the run's last record is partial when the
    // payload ends there (the rest comes in a later segment); when
    // another record type follows, it was not a message.
    let may_go_on = end_of_payload;
    while !c.done() {
        let mut head = [0u8; 4];
        let mut got = 0;
        while got < 4 && !c.done() {
            for &b in c.take(4 - got) {
                head[got] = b;
                got += 1;
            }
        }
        let known = names::handshake_type(head[0]).is_some();
        let len = joinable(head).filter(|_| got == 4);
        let Some(len) = len else {
            // A header cut by the payload's end, or a message too long to
            // join: listed as partial; anything else is not a message.
            let partial = known && (got < 4 && may_go_on || got == 4);
            let record = first + c.last_record();
            out.push(Piece {
                record,
                ty: head[0],
                body: Body::Borrowed(c.take(usize::MAX)),
                whole: false,
                encrypted: !partial,
            });
            // Nothing after it in the run can be told apart.
            c.rec = recs.len();
            continue;
        };
        let one = c.take(len);
        let body = if one.len() == len || c.done() {
            Body::Borrowed(one)
        } else {
            let from = joined.len();
            joined.extend_from_slice(one);
            while joined.len() - from < len && !c.done() {
                let more = c.take(len - (joined.len() - from));
                joined.extend_from_slice(more);
            }
            Body::Joined(from..joined.len())
        };
        let have = match &body {
            Body::Borrowed(b) => b.len(),
            Body::Joined(r) => r.len(),
        };
        let record = first + c.last_record();
        if have < len && !may_go_on {
            out.push(Piece {
                record,
                ty: head[0],
                body: Body::Borrowed(&[]),
                whole: false,
                encrypted: true,
            });
            continue;
        }
        out.push(Piece {
            record,
            ty: head[0],
            body,
            whole: have == len,
            encrypted: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hs(ty: u8, len: usize) -> Vec<u8> {
        let mut m = vec![ty];
        m.extend(&(len as u32).to_be_bytes()[1..]);
        m.extend((0..len).map(|i| i as u8));
        m
    }

    #[test]
    fn test_boundaries_follow_a_message_over_records() {
        let cert = hs(11, 20_000);
        let mut b = Boundaries::default();
        b.record(22, &cert[..16_384]);
        assert!(!b.at_boundary());
        b.record(22, &cert[16_384..]);
        assert!(b.at_boundary());
        // A header cut between two records.
        b.record(22, &cert[..2]);
        assert!(!b.at_boundary());
        b.record(22, &cert[2..]);
        assert!(b.at_boundary());
        // Another record type abandons a message open.
        b.record(22, &cert[..100]);
        b.record(21, &[2, 40]);
        assert!(b.at_boundary());
    }

    #[test]
    fn test_split_joins_a_certificate_over_three_records() {
        let mut stream = hs(2, 70);
        stream.extend(hs(11, 30_000));
        stream.extend(hs(14, 0));
        let recs: Vec<Rec<'_>> = stream
            .chunks(16_384)
            .map(|body| Rec { ty: 22, body })
            .collect();
        let mut joined = Vec::new();
        let pieces = split(&recs, &mut joined);
        let got: Vec<(usize, u8, bool, usize)> = pieces
            .iter()
            .map(|p| {
                let len = match &p.body {
                    Body::Borrowed(b) => b.len(),
                    Body::Joined(r) => r.len(),
                };
                (p.record, p.ty, p.whole, len)
            })
            .collect();
        assert_eq!(
            got,
            [(0, 2, true, 70), (1, 11, true, 30_000), (1, 14, true, 0)]
        );
        assert_eq!(joined.len(), 30_000);
        assert_eq!(&joined[..], &stream[78..30_078]);
        // The first record alone, the payload ending there: the
        // certificate is partial, not encrypted.
        let pieces = split(&recs[..1], &mut joined);
        assert!(pieces[1].ty == 11 && !pieces[1].whole && !pieces[1].encrypted);
        // Followed by application data: not a message.
        let app = Rec {
            ty: 23,
            body: &[0; 10],
        };
        let two = [
            Rec {
                ty: 22,
                body: recs[0].body,
            },
            app,
        ];
        let pieces = split(&two, &mut joined);
        assert!(pieces[1].encrypted);
    }
}
