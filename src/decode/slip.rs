//! SLIP captures (link type 8): BPF's 16-byte pseudo-header (the
//! direction, then the first 15 bytes of the frame as the line carried
//! it: an IP header, or a Van Jacobson compressed TCP/IP header, RFC 1144)
//! before the IP packet as the host rebuilt it. Where the header ends, what
//! its compressed header says and how much TCP data the packet carries;
//! the line's words (and the state tcpdump keeps between packets) are
//! `dissect::link::slip`'s.

use super::link::Payload;
use etherparse::EtherType;

pub const SLIP: u32 = 8;
pub const HEADER_LEN: usize = 16;

/// The direction byte: received, sent (anything else is invalid).
pub const DIR_IN: u8 = 0;
pub const DIR_OUT: u8 = 1;

/// The compressed header's kind, in its first byte's high nibble (RFC
/// 1144's packet types; compressed TCP is the top bit alone).
const TYPE_IP: u8 = 0x40;
const TYPE_UNCOMPRESSED_TCP: u8 = 0x70;
const TYPE_COMPRESSED_TCP: u8 = 0x80;

/// A compressed header's change mask.
const NEW_C: u8 = 0x40;
const NEW_I: u8 = 0x20;
const NEW_S: u8 = 0x08;
const NEW_A: u8 = 0x04;
const NEW_W: u8 = 0x02;
const NEW_U: u8 = 0x01;
/// The low nibble's two combinations that cannot be changes: an echoed
/// interactive packet (`S` and `A` grew by the last data) and a data
/// packet (`S` grew by it).
const SPECIALS_MASK: u8 = 0x0f;
const SPECIAL_I: u8 = NEW_S | NEW_W | NEW_U;
const SPECIAL_D: u8 = NEW_S | NEW_A | NEW_W | NEW_U;

/// What the pseudo-header's copy of the line's frame was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An IP packet sent as it is.
    Ip,
    /// A TCP/IP header sent whole, its protocol byte holding the
    /// connection's slot.
    UncompressedTcp {
        conn: u8,
    },
    Compressed(Compressed),
    /// Another type byte (shown whole).
    Other(u8),
}

/// A change of a compressed header: its field and its value (a window's
/// may be negative).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Urgent(u16),
    Window(i16),
    Ack(u16),
    Seq(u16),
    Id(u16),
}

/// One of the change mask's two special cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    /// `S` and `A` grew by the last packet's data (an echo).
    Interactive,
    /// `S` grew by the last packet's data.
    Data,
}

/// How a compressed header's one-byte changes are stepped over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// RFC 1144's: a change is one byte (1 to 255) or a zero and two.
    Rfc1144,
    /// tcpdump's printer's: it does not step past a one-byte change, so
    /// the next change reads the same byte again (and the header's
    /// length it prints does not count it). Its lines are built on it.
    Tcpdump,
}

/// A compressed TCP/IP header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compressed {
    /// The connection's slot, when the header names it (else the last
    /// one named is meant).
    pub conn: Option<u8>,
    pub special: Option<Special>,
    /// The changes in the header's order (`U`, `W`, `A`, `S`, then `I`).
    pub changes: [Option<Change>; 5],
    /// The header's length as read (under [`Reading::Tcpdump`], without
    /// its one-byte changes).
    pub len: usize,
    /// The record ended before the next change: `changes` holds those
    /// before it.
    pub cut: bool,
}

/// The record's direction byte, when the header was captured.
pub fn direction(data: &[u8]) -> Option<u8> {
    data.get(..HEADER_LEN)?.first().copied()
}

/// What the pseudo-header's copy of the frame is, a compressed header
/// read as `reading` says; `None` when the record ends inside the
/// pseudo-header.
pub fn kind(data: &[u8], reading: Reading) -> Option<Kind> {
    let chdr = data.get(1..HEADER_LEN)?;
    let first = *chdr.first()?;
    Some(match first & 0xf0 {
        TYPE_IP => Kind::Ip,
        // The connection's slot is where IP's protocol byte was.
        TYPE_UNCOMPRESSED_TCP => Kind::UncompressedTcp {
            conn: *chdr.get(9)?,
        },
        _ if first & TYPE_COMPRESSED_TCP != 0 => Kind::Compressed(compressed(data, reading)?),
        _ => Kind::Other(first),
    })
}

/// The compressed header from byte 1 on: its fields may run past the
/// pseudo-header into the packet, as they do in tcpdump's reading (`None`
/// only when the pseudo-header was cut).
fn compressed(data: &[u8], reading: Reading) -> Option<Compressed> {
    let flags = *data.get(1)?;
    let mut at = 2;
    let conn = if flags & NEW_C != 0 {
        at += 1;
        Some(*data.get(2)?)
    } else {
        None
    };
    // The TCP checksum, not shown.
    at += 2;
    let mut changes = [None; 5];
    let mut n = 0;
    let mut push = |c: Change| {
        if let Some(slot) = changes.get_mut(n) {
            *slot = Some(c);
            n += 1;
        }
    };
    let special = match flags & SPECIALS_MASK {
        SPECIAL_I => Some(Special::Interactive),
        SPECIAL_D => Some(Special::Data),
        _ => None,
    };
    let mut cut = false;
    // A special's bits are not changes; the IP id's bit still is.
    for bit in [NEW_U, NEW_W, NEW_A, NEW_S, NEW_I] {
        if flags & bit == 0 || (special.is_some() && bit != NEW_I) {
            continue;
        }
        let Some((v, next)) = change(data, at, reading) else {
            cut = true;
            break;
        };
        push(match bit {
            NEW_U => Change::Urgent(v),
            NEW_W => Change::Window(v as i16),
            NEW_A => Change::Ack(v),
            NEW_S => Change::Seq(v),
            _ => Change::Id(v),
        });
        at = next;
    }
    Some(Compressed {
        conn,
        special,
        changes,
        len: at - 1,
        cut,
    })
}

/// A change at `at`: one non-zero byte, or a zero and two bytes; and where
/// the next one is.
fn change(data: &[u8], at: usize, reading: Reading) -> Option<(u16, usize)> {
    match *data.get(at)? {
        0 => Some((super::link_header::be16(data, at + 1)?, at + 3)),
        b if reading == Reading::Tcpdump => Some((u16::from(b), at)),
        b => Some((u16::from(b), at + 1)),
    }
}

/// The TCP data length of the rebuilt packet, `length` bytes after the
/// pseudo-header: `length` less the IP and TCP headers by their length
/// fields (wrapping as tcpdump's unsigned count does); `None` when the
/// capture cut either header's 20 bytes.
pub fn tcp_data_len(data: &[u8], length: u32) -> Option<u32> {
    let ip = data.get(HEADER_LEN..)?;
    ip.get(..20)?;
    let ihl = usize::from(*ip.first()? & 0x0f);
    let tcp = ip.get(ihl * 4..ihl * 4 + 20)?;
    let words = ihl as u32 + u32::from(*tcp.get(12)? >> 4);
    Some(length.wrapping_sub(words << 2))
}

/// The packet after the header for the IP printers, filters and flows:
/// IPv4 or IPv6 by its version; another version is the record itself
/// (`ip v5`); a record that ends with the header (or in it) is cut.
pub fn strip(data: &[u8]) -> Payload<'_> {
    let Some(ip) = data.get(HEADER_LEN..).filter(|ip| !ip.is_empty()) else {
        return Payload::TooShort("slip");
    };
    match ip.first().map(|b| b >> 4) {
        Some(4) => Payload::EtherType(EtherType(0x0800), ip),
        Some(6) => Payload::EtherType(EtherType(0x86dd), ip),
        _ => Payload::Message(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Reading = Reading::Tcpdump;

    fn record(chdr: &[u8], packet: &[u8]) -> Vec<u8> {
        let mut r = vec![0u8; HEADER_LEN];
        r[1..1 + chdr.len()].copy_from_slice(chdr);
        r.extend_from_slice(packet);
        r
    }

    #[test]
    fn kinds() {
        assert_eq!(kind(&record(&[0x45], &[]), T), Some(Kind::Ip));
        let mut u = [0u8; 10];
        u[0] = 0x70;
        u[9] = 3;
        assert_eq!(
            kind(&record(&u, &[]), T),
            Some(Kind::UncompressedTcp { conn: 3 })
        );
        assert_eq!(kind(&record(&[0x20], &[]), T), Some(Kind::Other(0x20)));
        assert_eq!(kind(&[0; 15], T), None);
    }

    #[test]
    fn compressed_changes_and_their_count() {
        // NEW_C and the low nibble's "data" special: no changes.
        let r = record(&[0xcf, 3, 0x12, 0x34], &[]);
        let Some(Kind::Compressed(c)) = kind(&r, T) else {
            panic!("{:?}", kind(&r, T));
        };
        assert_eq!(c.conn, Some(3));
        assert_eq!(c.special, Some(Special::Data));
        assert_eq!(c.changes, [None; 5]);
        assert_eq!(c.len, 4);
        // W as a negative word, then I as one byte (not counted).
        let r = record(&[0xa2, 0, 0, 0, 0xff, 0, 7], &[]);
        let Some(Kind::Compressed(c)) = kind(&r, T) else {
            panic!();
        };
        assert_eq!(c.conn, None);
        assert_eq!(c.changes[0], Some(Change::Window(-256)));
        assert_eq!(c.changes[1], Some(Change::Id(7)));
        assert_eq!(c.len, 6);
        // RFC 1144 steps past one-byte changes: A 5, then S 9.
        let r = record(&[0x8c, 0, 0, 5, 9], &[]);
        let Some(Kind::Compressed(c)) = kind(&r, Reading::Rfc1144) else {
            panic!();
        };
        assert_eq!(c.changes[..2], [Some(Change::Ack(5)), Some(Change::Seq(9))]);
        assert_eq!(c.len, 5);
        let Some(Kind::Compressed(c)) = kind(&r, T) else {
            panic!();
        };
        assert_eq!(c.changes[..2], [Some(Change::Ack(5)), Some(Change::Seq(5))]);
        assert_eq!(c.len, 3);
        // U, W, A and I, each a zero and two bytes: the last runs one byte
        // past the pseudo-header.
        let chdr = [0xe7, 3, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0];
        let Some(Kind::Compressed(c)) = kind(&record(&chdr, &[]), T) else {
            panic!();
        };
        assert!(c.cut);
        assert_eq!(c.changes[2], Some(Change::Ack(3)));
        assert_eq!(c.changes[3], None);
        let Some(Kind::Compressed(c)) = kind(&record(&chdr, &[4]), T) else {
            panic!();
        };
        assert_eq!(c.changes[3], Some(Change::Id(4)));
        assert_eq!((c.len, c.cut), (16, false));
    }

    #[test]
    fn data_length_and_payloads() {
        let mut ip = vec![0x45; 20];
        ip.extend_from_slice(&[0x50; 20]);
        let r = record(&[0x45], &ip);
        assert_eq!(tcp_data_len(&r, 50), Some(10));
        assert_eq!(tcp_data_len(&r, 30), Some(30u32.wrapping_sub(40)));
        assert_eq!(tcp_data_len(&r[..50], 50), None);
        assert!(matches!(
            strip(&r),
            Payload::EtherType(EtherType(0x0800), _)
        ));
        assert!(matches!(strip(&r[..16]), Payload::TooShort("slip")));
        let mut v5 = r.clone();
        v5[16] = 0x50;
        assert!(matches!(strip(&v5), Payload::Message(_)));
    }
}
