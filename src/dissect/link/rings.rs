//! Token Ring (IEEE 802.5) and FDDI MAC headers in RFC 2684 bridged
//! frames (SNAP OUI 00-80-c2, protocol ids 0x0003/0x0009 and
//! 0x0004/0x000a), as tcpdump's token-ring and FDDI printers read them:
//! under `-e` the header (`10 40 66:77:… > 00:11:…, length 40: `, FDDI's
//! frame control by name: `async0 …`), Token Ring's source route
//! (`rt = 8270:1a2f (1500) `, under `-v` `All-routes Forward [417:2]
//! (1500) `), then the LLC PDU for the LLC printer, or for other frame
//! kinds the header and the rest in hex (FDDI's SMT frames: tcpdump's
//! `<SMT printer not yet implemented>`). Addresses are as on the wire
//! (tcpdump's Linux build swaps no FDDI address bits).

use super::super::ctl::{out, put_mac};
use crate::decode::link_header::be16;

/// The two media.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ring {
    TokenRing,
    Fddi,
}

impl Ring {
    /// tcpdump's printer name, the one of its cut mark.
    pub fn name(self) -> &'static str {
        match self {
            Ring::TokenRing => "token-ring",
            Ring::Fddi => "fddi",
        }
    }

    /// The fixed header: Token Ring's access and frame control bytes,
    /// FDDI's frame control byte, then destination and source.
    fn fixed_len(self) -> usize {
        match self {
            Ring::TokenRing => 14,
            Ring::Fddi => 13,
        }
    }
}

/// What follows a ring header whose words were written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    /// The header (or Token Ring's route) was cut: the mark is written.
    Cut,
    /// An LLC PDU at `at` (after the header and route), from `src` to
    /// `dst`, for the LLC printer.
    Llc {
        at: usize,
        src: [u8; 6],
        dst: [u8; 6],
    },
    /// Another kind of frame (MAC, tokens …): the header's words are
    /// written; tcpdump prints the bytes from `at` in hex.
    Other { at: usize },
    /// An FDDI SMT frame: tcpdump's words for it are written, nothing
    /// follows.
    Smt,
}

fn mac(b: &[u8], at: usize) -> [u8; 6] {
    let mut m = [0; 6];
    if let Some(s) = b.get(at..at + 6) {
        m.copy_from_slice(s);
    }
    m
}

/// tcpdump's largest-frame names of a route control field's three bits.
const LARGEST: [&str; 8] = [
    "516", "1500", "2052", "4472", "8144", "11407", "17800", "??",
];

/// The header of a `ring` frame `b` (`wire_len` long on the wire) in
/// tcpdump's words, and what follows it.
pub fn write_header(
    w: &mut Vec<u8>,
    ring: Ring,
    b: &[u8],
    wire_len: usize,
    (eflag, verbose): (bool, u8),
) -> After {
    let fixed = ring.fixed_len();
    if b.len() < fixed {
        out!(w, " [|{}]", ring.name());
        return After::Cut;
    }
    let (dst, mut src) = (mac(b, fixed - 12), mac(b, fixed - 6));
    let fc = b[fixed - 13];
    let (mut at, llc) = match ring {
        Ring::TokenRing => (fixed, fc >> 6 == 1),
        Ring::Fddi => (fixed, fc & 0xf0 == 0x50),
    };
    // A source-routed Token Ring frame: the route follows the header
    // (the bit is cleared from the source before it is named).
    let routed = ring == Ring::TokenRing && src[0] & 0x80 != 0;
    src[0] &= if routed { 0x7f } else { 0xff };
    let header = |w: &mut Vec<u8>, len: usize| {
        match ring {
            Ring::TokenRing => out!(w, "{:02x} {fc:02x} ", b[0]),
            Ring::Fddi => put_fddi_fc(w, fc),
        }
        put_mac(w, &src);
        w.extend_from_slice(b" > ");
        put_mac(w, &dst);
        out!(w, ", length {len}: ");
    };
    if eflag {
        header(w, wire_len);
    }
    if routed {
        let Some(rcf) = be16(b, fixed) else {
            out!(w, " [|{}]", ring.name());
            return After::Cut;
        };
        let route_len = usize::from(rcf >> 8) & 0x1f;
        if b.len() < fixed + route_len {
            out!(w, " [|{}]", ring.name());
            return After::Cut;
        }
        // C's `(int)(route_len - 2) / 2`: none below two bytes.
        let segments = route_len.saturating_sub(2) / 2;
        let seg = |i: usize| be16(b, fixed + 2 + 2 * i).unwrap_or(0);
        if verbose > 0 {
            let cast = match rcf >> 13 {
                0..=3 => "Non-Broadcast",
                4 | 5 => "All-routes",
                _ => "Single-route",
            };
            let dir = if rcf & 0x80 != 0 {
                "Backward"
            } else {
                "Forward"
            };
            out!(w, "{cast} {dir}");
            for i in 0..segments {
                out!(w, " [{}:{}]", seg(i) >> 4, seg(i) & 0x0f);
            }
        } else {
            out!(w, "rt = {rcf:x}");
            for i in 0..segments {
                out!(w, ":{:x}", seg(i));
            }
        }
        out!(w, " ({}) ", LARGEST[usize::from((rcf >> 4) & 7)]);
        at += route_len;
    }
    if llc {
        return After::Llc { at, src, dst };
    }
    if ring == Ring::Fddi && fc & 0xf0 == 0x40 {
        w.extend_from_slice(b"<SMT printer not yet implemented>");
        return After::Smt;
    }
    if !eflag {
        header(w, wire_len);
    }
    After::Other { at }
}

/// FDDI's frame control byte by name, as tcpdump's FDDI printer words it.
fn put_fddi_fc(w: &mut Vec<u8>, fc: u8) {
    let name = match fc {
        0x40 => "void",
        0x80 => "nrt",
        0xc0 => "rt",
        0x41 => "info",
        0x4f => "nsa",
        0xc2 => "beacon",
        0xc3 => "claim",
        _ => {
            let kind = match fc & 0xf0 {
                0xc0 => "mac",
                0x40 => "smt",
                0x50 => "async",
                0xd0 => "sync",
                0x60 => "imp_async",
                0xe0 => "imp_sync",
                _ => {
                    out!(w, "{fc:02x} ");
                    return;
                }
            };
            out!(w, "{kind}{:x} ", fc & 0x0f);
            return;
        }
    };
    out!(w, "{name} ");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(ring: Ring, b: &[u8], eflag: bool, verbose: u8) -> (String, After) {
        let mut w = Vec::new();
        let after = write_header(&mut w, ring, b, b.len(), (eflag, verbose));
        (String::from_utf8(w).unwrap(), after)
    }

    const DST: [u8; 6] = [0, 0x11, 0x22, 0x33, 0x44, 0x55];
    const SRC: [u8; 6] = [0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];

    #[test]
    fn test_token_ring_llc_and_route() {
        let mut f = [&[0x10, 0x40][..], &DST, &SRC, &[0xaa, 0xaa, 3]].concat();
        let (text, after) = print(Ring::TokenRing, &f, true, 0);
        assert_eq!(
            text,
            "10 40 66:77:88:99:aa:bb > 00:11:22:33:44:55, length 17: "
        );
        assert_eq!(
            after,
            After::Llc {
                at: 14,
                src: SRC,
                dst: DST
            }
        );
        f[8] |= 0x80;
        let routed = [&f[..14], &[0x86, 0x30, 0x01, 0xa2, 0x0b, 0xc1], &f[14..]].concat();
        let (text, after) = print(Ring::TokenRing, &routed, false, 0);
        assert_eq!(text, "rt = 8630:1a2:bc1 (4472) ");
        assert!(matches!(after, After::Llc { at: 20, .. }));
        let (text, _) = print(Ring::TokenRing, &routed, false, 1);
        assert_eq!(text, "All-routes Forward [26:2] [188:1] (4472) ");
    }

    #[test]
    fn test_truncated() {
        let f = [&[0x10, 0x40][..], &DST, &SRC[..5]].concat();
        assert_eq!(print(Ring::TokenRing, &f, false, 0).1, After::Cut);
        let f = [&[0x10, 0x40][..], &DST, &[0xe6], &SRC[1..], &[0x88]].concat();
        let (text, after) = print(Ring::TokenRing, &f, false, 0);
        assert_eq!((text.as_str(), after), (" [|token-ring]", After::Cut));
    }

    #[test]
    fn test_fddi_frame_controls() {
        let f = [&[0x51][..], &DST, &SRC, &[0xaa]].concat();
        let (text, after) = print(Ring::Fddi, &f, true, 0);
        assert_eq!(
            text,
            "async1 66:77:88:99:aa:bb > 00:11:22:33:44:55, length 14: "
        );
        assert!(matches!(after, After::Llc { at: 13, .. }));
        let f = [&[0x41][..], &DST, &SRC].concat();
        let (text, after) = print(Ring::Fddi, &f, false, 0);
        assert_eq!(text, "<SMT printer not yet implemented>");
        assert_eq!(after, After::Smt);
        let f = [&[0xc5][..], &DST, &SRC].concat();
        let (text, after) = print(Ring::Fddi, &f, false, 0);
        assert_eq!(
            text,
            "mac5 66:77:88:99:aa:bb > 00:11:22:33:44:55, length 13: "
        );
        assert_eq!(after, After::Other { at: 13 });
    }
}
