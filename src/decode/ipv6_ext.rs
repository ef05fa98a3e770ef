//! IPv6 extension headers, walked over the bytes with every length
//! checked. (etherparse's own iterator over a lax-sliced packet trusts
//! lengths it did not check and can read out of bounds on damaged input,
//! so we never call it.)

/// One extension header: its protocol number and its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ext<'a> {
    pub kind: u8,
    pub bytes: &'a [u8],
}

impl Ext<'_> {
    /// Fragment offset in bytes and identification, for a fragment header.
    pub fn fragment(&self) -> Option<(u32, u32)> {
        if self.kind != 44 || self.bytes.len() < 8 {
            return None;
        }
        let off = (u16::from_be_bytes([self.bytes[2], self.bytes[3]]) >> 3) as u32 * 8;
        let id = u32::from_be_bytes([self.bytes[4], self.bytes[5], self.bytes[6], self.bytes[7]]);
        Some((off, id))
    }

    /// The fields of a routing header, for a routing header of at least 8
    /// bytes.
    pub fn routing(&self) -> Option<Routing<'_>> {
        if self.kind != 43 {
            return None;
        }
        let (head, addrs) = self.bytes.split_first_chunk::<8>()?;
        Some(Routing {
            len: head[1],
            kind: head[2],
            segments_left: head[3],
            word: [head[4], head[5], head[6], head[7]],
            addrs,
        })
    }

    /// For an authentication header followed by a header tcpdump's IPv6
    /// printer walks itself ([`walked_by_ip6`]: hop-by-hop, routing,
    /// fragment, destination options, mobility), that header's number:
    /// tcpdump's demultiplexer after AH knows none of them (as over IPv4),
    /// names the protocol and stops, and so do the line and the JSON.
    pub fn ext_after_ah(&self) -> Option<u8> {
        let next = self.bytes.first().copied().unwrap_or(0);
        (self.kind == 51 && walked_by_ip6(next)).then_some(next)
    }

    /// tcpdump's and our JSON's name for the header.
    pub fn name(&self) -> &'static str {
        match self.kind {
            0 => "hop-by-hop",
            43 => "routing",
            44 => "fragment",
            51 => "authentication",
            60 => "destination-options",
            _ => "unknown",
        }
    }
}

/// Where the line stops in an IPv6 packet's extension headers
/// ([`Ext::ext_after_ah`]): how many of them it names, and the protocol
/// it names after them.
pub fn stop_after_ah(first: u8, bytes: &[u8]) -> Option<(usize, u8)> {
    iter(first, bytes)
        .enumerate()
        .find_map(|(i, e)| Some((i + 1, e.ext_after_ah()?)))
}

/// A routing header: its length field (8-byte units after the first 8),
/// type, segments left, the type-specific 4 bytes (reserved for type 0,
/// last entry, flags and tag for segment routing), and the addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Routing<'a> {
    pub len: u8,
    pub kind: u8,
    pub segments_left: u8,
    pub word: [u8; 4],
    addrs: &'a [u8],
}

impl Routing<'_> {
    /// The addresses the header lists (every whole 16 bytes).
    pub fn addresses(&self) -> impl Iterator<Item = super::ip6_text::Ip6> + '_ {
        self.addrs.chunks_exact(16).filter_map(|c| {
            c.first_chunk::<16>()
                .map(|a| super::ip6_text::Ip6::from(*a))
        })
    }
    /// The type-specific word as a number (type 0's reserved field).
    pub fn reserved(&self) -> u32 {
        u32::from_be_bytes(self.word)
    }
    /// Segment routing's tag.
    pub fn tag(&self) -> u16 {
        u16::from_be_bytes([self.word[2], self.word[3]])
    }
}

/// Length, then type and segments left as far as captured, of a routing
/// header the capture cut (`None` without its length byte).
pub fn routing_head(bytes: &[u8]) -> Option<(u8, Option<u8>, Option<u8>)> {
    match bytes {
        [_, len, rest @ ..] => Some((*len, rest.first().copied(), rest.get(1).copied())),
        _ => None,
    }
}

/// The type-specific word of a routing header the capture cut (type 0's
/// reserved field), when captured.
pub fn routing_word(bytes: &[u8]) -> Option<u32> {
    bytes
        .get(4..8)?
        .first_chunk::<4>()
        .map(|b| u32::from_be_bytes(*b))
}

/// Address `i` of a routing header the capture cut (type 0's list, segment
/// routing's segments), when all of it was captured.
pub fn routing_addr(bytes: &[u8], i: usize) -> Option<super::ip6_text::Ip6> {
    let at = 8 + 16 * i;
    let a = bytes.get(at..at + 16)?.first_chunk::<16>()?;
    Some(super::ip6_text::Ip6::from(*a))
}

/// Whether an extension header's bytes hold all of it (its length byte
/// counts 8-byte units after the first eight).
pub fn whole_ext(bytes: &[u8]) -> bool {
    bytes
        .get(1)
        .is_some_and(|&l| bytes.len() >= (usize::from(l) + 1) * 8)
}

/// The fragment offset (in bytes) of a fragment header the capture cut
/// after its offset field.
pub fn fragment_offset_head(bytes: &[u8]) -> Option<u16> {
    let b = bytes.get(2..)?.first_chunk::<2>()?;
    Some(u16::from_be_bytes(*b) & 0xfff8)
}

/// A segment routing header's last entry, flags and tag, as far as
/// captured (for a header the capture cut).
pub fn srh_head(bytes: &[u8]) -> (Option<u8>, Option<u8>, Option<u16>) {
    let tag = bytes
        .get(6..)
        .and_then(|b| b.first_chunk::<2>())
        .map(|b| u16::from_be_bytes(*b));
    (bytes.get(4).copied(), bytes.get(5).copied(), tag)
}

/// One option of a hop-by-hop or destination options header, as tcpdump
/// reads it (RFC 8200 4.2, RFC 2711 router alert, RFC 2675 jumbo payload).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HopOpt {
    Pad1,
    PadN,
    RouterAlert(u16),
    Jumbo(u32),
    /// An option we do not name: its type and length byte.
    Other {
        kind: u8,
        len: u8,
    },
    /// A router alert or jumbo option whose length byte is not the one the
    /// RFC fixes: its name and that byte. Nothing after it is read.
    BadLen {
        name: &'static str,
        len: u8,
    },
    /// A named option too short for its fields (tcpdump's `trunc`).
    Short {
        name: &'static str,
    },
    /// An option running past the header's end; nothing after it is read.
    Cut,
}

/// The options of a hop-by-hop or destination options header (`ext`: the
/// whole header, its first two bytes are next header and length). Ends
/// after the first option that stops tcpdump's walk.
pub fn hop_options(ext: &[u8]) -> impl Iterator<Item = HopOpt> + '_ {
    let mut rest = ext.get(2..).unwrap_or_default();
    let mut done = false;
    std::iter::from_fn(move || {
        if done || rest.is_empty() {
            return None;
        }
        let (opt, len) = match rest {
            [0, ..] => (HopOpt::Pad1, 1),
            [kind, len, ..] if rest.len() >= usize::from(*len) + 2 => {
                let body = rest.get(2..usize::from(*len) + 2).unwrap_or_default();
                (option(*kind, *len, body, rest.len()), usize::from(*len) + 2)
            }
            _ => (HopOpt::Cut, rest.len()),
        };
        done = matches!(
            opt,
            HopOpt::Cut | HopOpt::BadLen { .. } | HopOpt::Short { .. }
        );
        rest = rest.get(len..).unwrap_or_default();
        Some(opt)
    })
}

/// One option other than Pad1 from its type, length byte and data;
/// `room`: the header's bytes from the option on (tcpdump checks a named
/// option's minimum size against these before its length byte).
fn option(kind: u8, len: u8, body: &[u8], room: usize) -> HopOpt {
    let (name, min) = match kind {
        1 => return HopOpt::PadN,
        5 => ("rtalert", 4),
        0xc2 => ("jumbo", 6),
        0xc9 => ("homeaddr", 18),
        _ => return HopOpt::Other { kind, len },
    };
    if room < min {
        return HopOpt::Short { name };
    }
    match (kind, body) {
        (5, [a, b]) => HopOpt::RouterAlert(u16::from_be_bytes([*a, *b])),
        (0xc2, [a, b, c, d]) => HopOpt::Jumbo(u32::from_be_bytes([*a, *b, *c, *d])),
        // The home address option holds at least an address (its
        // sub-options are not ours yet).
        (0xc9, b) if b.len() >= 16 => HopOpt::Other { kind, len },
        _ => HopOpt::BadLen { name, len },
    }
}

/// Whether tcpdump's IPv6 printer reads header `kind` itself (hop-by-hop,
/// destination options, routing, fragment, mobility, old and new) rather
/// than handing it to its protocol demultiplexer. With a payload length of
/// 0 it reads these as far as the capture goes (padding included), and
/// hands nothing of the packet to any other protocol.
pub fn walked_by_ip6(kind: u8) -> bool {
    matches!(kind, 0 | 43 | 44 | 60 | 62 | 135)
}

/// The payload length a jumbogram's hop-by-hop header gives (RFC 2675),
/// as tcpdump takes it: the first jumbo option of a hop-by-hop header
/// right after the IPv6 header, only when the IPv6 payload length is 0
/// and the value is over 65,535.
pub fn jumbo_length(first: u8, exts: &[u8], payload_length: u16) -> Option<u32> {
    if payload_length != 0 {
        return None;
    }
    let hbh = iter(first, exts).next().filter(|e| e.kind == 0)?;
    match hop_options(hbh.bytes).find_map(|o| match o {
        HopOpt::Jumbo(j) => Some(Some(j)),
        HopOpt::Cut | HopOpt::BadLen { .. } | HopOpt::Short { .. } => Some(None),
        _ => None,
    })? {
        Some(j) if j > 0xffff => Some(j),
        _ => None,
    }
}

/// Iterate the extension headers in `bytes` (what etherparse reports as
/// the extensions' slice), starting with the IPv6 header's next-header
/// value `first`. Stops at the first header that does not fit.
pub fn iter(first: u8, bytes: &[u8]) -> impl Iterator<Item = Ext<'_>> {
    let mut next = first;
    let mut rest = bytes;
    std::iter::from_fn(move || {
        let len = match next {
            0 | 43 | 60 => 8 + *rest.get(1)? as usize * 8,
            44 => 8,
            51 => (*rest.get(1)? as usize + 2) * 4,
            _ => return None,
        };
        if rest.len() < len || len < 2 {
            return None;
        }
        let (head, tail) = rest.split_at(len);
        let ext = Ext {
            kind: next,
            bytes: head,
        };
        next = head[0];
        rest = tail;
        Some(ext)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_and_stops_at_damage() {
        let bytes = [60, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0];
        let kinds: Vec<u8> = iter(0, &bytes).map(|e| e.kind).collect();
        assert_eq!(kinds, [0, 60]);
        // A length byte that claims 2 KiB: nothing past the first header.
        let bad = [60, 0xff, 0, 0, 0, 0, 0, 0];
        assert_eq!(iter(0, &bad).count(), 0);
    }

    #[test]
    fn hop_options_as_tcpdump_walks_them() {
        // Pad1, router alert, jumbo 70000, PadN of 0.
        let hbh = [17, 1, 0, 5, 2, 0, 1, 0xc2, 4, 0, 1, 0x11, 0x70, 1, 0, 0, 0];
        let opts: Vec<HopOpt> = hop_options(&hbh[..16]).collect();
        assert_eq!(
            opts,
            [
                HopOpt::Pad1,
                HopOpt::RouterAlert(1),
                HopOpt::Jumbo(70000),
                HopOpt::PadN,
                HopOpt::Pad1
            ]
        );
        assert_eq!(jumbo_length(0, &hbh[..16], 0), Some(70000));
        assert_eq!(jumbo_length(0, &hbh[..16], 20), None);
        // A length byte running past the end, and a jumbo of the wrong size.
        assert_eq!(hop_options(&[17, 0, 0x1e, 9]).last(), Some(HopOpt::Cut));
        let bad = [17, 0, 0xc2, 3, 0, 1, 0, 0];
        assert_eq!(
            hop_options(&bad).collect::<Vec<_>>(),
            [HopOpt::BadLen {
                name: "jumbo",
                len: 3
            }]
        );
        assert_eq!(jumbo_length(0, &bad, 0), None);
    }

    #[test]
    fn fragment_fields() {
        let frag = [17, 0, 0x00, 0xb9, 0, 0, 0x12, 0x34];
        let e = iter(44, &frag).next().unwrap();
        assert_eq!(e.fragment(), Some((0xb8, 0x1234)));
    }
}
