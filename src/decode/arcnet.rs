//! ARCNET records: BSD's (link type 7: source, destination, type) and
//! Linux's (129: source, destination, a two-byte offset, type). Types of
//! RFC 1201's "phase II" encapsulation add a split flag and a sequence
//! id (BSD: an exception packet, flag 0xff, repeats them four bytes on);
//! the old RFC 1051 types (`oldip`, `oldarp`) and diagnostics do not.
//! IP, ARP, RARP and IPv6 go on to the network layer as their EtherType
//! (IPX and AppleTalk stay the record's message, printed by their own
//! printers); the line's words are `dissect::link::arcnet`'s.

use super::link::Payload;
use super::link_header::be16;
use etherparse::EtherType;

pub const ARCNET: u32 = 7;
pub const ARCNET_LINUX: u32 = 129;

const TYPE_DIAGNOSE: u8 = 0x80;
const TYPE_IP_OLD: u8 = 0xf0;
const TYPE_ARP_OLD: u8 = 0xf1;

/// The split flag of an exception packet (BSD's header is then longer).
const EXCEPTION: u8 = 0xff;

/// A header read whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub src: u8,
    pub dst: u8,
    /// The protocol the payload is.
    pub kind: u8,
    /// Phase II's split flag and sequence id (BSD's only: tcpdump reads
    /// neither on Linux).
    pub split: Option<(u8, u16)>,
    /// Where the payload starts.
    pub len: usize,
}

impl Header {
    /// A fragment after the first of a split packet: tcpdump prints
    /// nothing of its payload.
    pub fn later_fragment(&self) -> bool {
        self.split
            .is_some_and(|(flag, _)| flag != 0 && flag % 2 == 0)
    }
}

/// What a record's first bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parsed {
    Header(Header),
    /// Too short for tcpdump to name anything (` [|arcnet]`).
    Cut,
    /// BSD: the type was read, its phase II fields (`extended`: an
    /// exception packet's) were cut.
    SplitCut {
        src: u8,
        dst: u8,
        kind: u8,
        extended: bool,
    },
}

/// Whether the type has phase II's split flag and sequence id.
fn phase_two(kind: u8) -> bool {
    !matches!(kind, TYPE_DIAGNOSE | TYPE_IP_OLD | TYPE_ARP_OLD)
}

/// The header of a record of `link` (one of [`ARCNET`], [`ARCNET_LINUX`]).
pub fn parse(link: u32, d: &[u8]) -> Parsed {
    if link == ARCNET_LINUX {
        // Source, destination, offset, type; phase II's three bytes are
        // skipped unread.
        let (Some(&src), Some(&dst), Some(&kind)) = (d.first(), d.get(1), d.get(4)) else {
            return Parsed::Cut;
        };
        let len = if phase_two(kind) { 8 } else { 5 };
        if d.len() < len {
            return Parsed::Cut;
        }
        return Parsed::Header(Header {
            src,
            dst,
            kind,
            split: None,
            len,
        });
    }
    let (Some(&src), Some(&dst), Some(&kind)) = (d.first(), d.get(1), d.get(2)) else {
        return Parsed::Cut;
    };
    if !phase_two(kind) {
        return Parsed::Header(Header {
            src,
            dst,
            kind,
            split: None,
            len: 3,
        });
    }
    let cut = |extended| Parsed::SplitCut {
        src,
        dst,
        kind,
        extended,
    };
    let (Some(&flag), Some(seqid)) = (d.get(3), be16(d, 4)) else {
        return cut(false);
    };
    if flag != EXCEPTION {
        return Parsed::Header(Header {
            src,
            dst,
            kind,
            split: Some((flag, seqid)),
            len: 6,
        });
    }
    // An exception packet: two bytes of padding and the type again, then
    // the split flag and the sequence id.
    match (d.get(7), be16(d, 8)) {
        (Some(&flag), Some(seqid)) => Parsed::Header(Header {
            src,
            dst,
            kind,
            split: Some((flag, seqid)),
            len: 10,
        }),
        _ => cut(true),
    }
}

/// The EtherType tcpdump's printer for a type stands for.
pub fn ether_type(kind: u8) -> Option<u16> {
    match kind {
        0xd4 | TYPE_IP_OLD => Some(0x0800),
        0xd5 | TYPE_ARP_OLD => Some(0x0806),
        0xd6 => Some(0x8035),
        0xc4 => Some(0x86dd),
        0xfa => Some(0x8137),
        0xdd => Some(0x809b),
        _ => None,
    }
}

/// The network layer of a record (its payload as the type's EtherType),
/// or the record as a message: a type tcpdump does not follow, a later
/// fragment, a cut header.
pub fn strip(link: u32, d: &[u8]) -> Payload<'_> {
    match parse(link, d) {
        Parsed::Header(h) if !h.later_fragment() => {
            // IPX and AppleTalk are printed as behind SNAP, from the message.
            let network =
                ether_type(h.kind).filter(|t| matches!(t, 0x0800 | 0x0806 | 0x8035 | 0x86dd));
            match (network, d.get(h.len..)) {
                (Some(t), Some(rest)) => Payload::EtherType(EtherType(t), rest),
                _ => Payload::Message(d),
            }
        }
        Parsed::Header(_) | Parsed::SplitCut { .. } => Payload::Message(d),
        Parsed::Cut if link == ARCNET_LINUX => Payload::TooShort("arcnet_linux"),
        Parsed::Cut => Payload::TooShort("arcnet"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_both_layouts() {
        let bsd = [1, 2, 0xd4, 3, 0x12, 0x34, 0x45];
        let h = match parse(ARCNET, &bsd) {
            Parsed::Header(h) => h,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            (h.split, h.len, h.later_fragment()),
            (Some((3, 0x1234)), 6, false)
        );
        let exc = [1, 2, 0xd4, 0xff, 0xff, 0xff, 0xd4, 4, 0x12, 0x34];
        let h = match parse(ARCNET, &exc) {
            Parsed::Header(h) => h,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            (h.split, h.len, h.later_fragment()),
            (Some((4, 0x1234)), 10, true)
        );
        assert!(matches!(
            parse(ARCNET, &exc[..9]),
            Parsed::SplitCut { extended: true, .. }
        ));
        assert!(matches!(
            parse(ARCNET, &exc[..5]),
            Parsed::SplitCut {
                extended: false,
                ..
            }
        ));
        assert_eq!(parse(ARCNET, &exc[..2]), Parsed::Cut);
        assert!(matches!(
            parse(ARCNET, &[1, 2, 0xf0]),
            Parsed::Header(Header { len: 3, .. })
        ));
        let linux = [1, 2, 0, 0, 0xd4, 4, 0x12, 0x34, 0x45];
        assert!(matches!(
            parse(ARCNET_LINUX, &linux),
            Parsed::Header(Header {
                len: 8,
                split: None,
                ..
            })
        ));
        assert_eq!(parse(ARCNET_LINUX, &linux[..7]), Parsed::Cut);
        assert!(matches!(
            strip(ARCNET_LINUX, &linux),
            Payload::EtherType(EtherType(0x0800), [0x45])
        ));
        assert!(matches!(strip(ARCNET, &exc), Payload::Message(_)));
        assert!(matches!(strip(ARCNET, &[1]), Payload::TooShort("arcnet")));
    }
}
