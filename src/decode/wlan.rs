//! 802.11 frames and the radiotap header radios put in front of them: the
//! frame control word, the MAC header's length, the LLC/SNAP header of a
//! data frame (so the IP packet inside is found), and radiotap's fields,
//! walked through its present-bitmap chain with each field aligned to its
//! natural boundary, vendor namespaces skipped as tcpdump skips them.
//! Every read is checked; the walk is bounded by the header's own length
//! (each bitmap word and each field consumes its bytes).

use super::link::Payload;
use etherparse::EtherType;
use std::sync::atomic::{AtomicBool, Ordering};

fn le16(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

fn le32(data: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = data.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// The frame control word's parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameControl {
    /// 0 management, 1 control, 2 data.
    pub kind: u8,
    pub subtype: u8,
    /// To DS, From DS, More Fragments, Retry, Power Management, More
    /// Data, Protected, Order (bit 0 to 7).
    pub flags: u8,
}

impl FrameControl {
    pub fn read(frame: &[u8]) -> Option<FrameControl> {
        let (a, flags) = (*frame.first()?, *frame.get(1)?);
        Some(FrameControl {
            kind: (a >> 2) & 3,
            subtype: a >> 4,
            flags,
        })
    }
    pub fn to_ds(self) -> bool {
        self.flags & 1 != 0
    }
    pub fn from_ds(self) -> bool {
        self.flags & 2 != 0
    }
    pub fn protected(self) -> bool {
        self.flags & 0x40 != 0
    }
    /// A data frame with a QoS control field.
    pub fn qos(self) -> bool {
        self.kind == 2 && self.subtype & 8 != 0
    }
    /// A data frame that carries no data (Null, CF-Ack, CF-Poll …).
    pub fn no_data(self) -> bool {
        self.kind == 2 && self.subtype & 4 != 0
    }
}

/// The MAC header's length for a data frame (tcpdump's reckoning: a
/// fourth address when both DS bits are set, two bytes of QoS control).
pub fn data_header_len(fc: FrameControl) -> usize {
    let base = if fc.to_ds() && fc.from_ds() { 30 } else { 24 };
    base + if fc.qos() { 2 } else { 0 }
}

/// tcpdump's `-H`: look for an 802.11s mesh control field after the
/// header of a QoS data frame. Set once per run from the command line
/// (`pipeline::Pipeline::new`), read by the decoder and the printers, so
/// that both find the same network layer.
static MESH_HEADERS: AtomicBool = AtomicBool::new(false);

/// Turn the search for mesh control fields on or off (`-H`).
pub fn set_mesh_headers(on: bool) {
    MESH_HEADERS.store(on, Ordering::Relaxed);
}

/// The length of the mesh control field after a QoS data frame's header
/// of `hdr` bytes under `-H`, as tcpdump reckons it from the flags byte
/// (6 bytes, plus 6 per extension address when no other bit is set; 0
/// otherwise, or without `-H`); `None` when that byte is not captured.
pub fn mesh_len(frame: &[u8], fc: FrameControl, hdr: usize) -> Option<usize> {
    if !fc.qos() || !MESH_HEADERS.load(Ordering::Relaxed) {
        return Some(0);
    }
    let flags = *frame.get(hdr)?;
    Some(if flags & !3 != 0 {
        0
    } else {
        6 * (1 + usize::from(flags & 3))
    })
}

/// The 6-byte address at `at`.
pub fn addr(frame: &[u8], at: usize) -> Option<&[u8]> {
    frame.get(at..at.checked_add(6)?)
}

/// What follows an 802.11 frame's header (`flags`: radiotap's flags byte,
/// whose FCS bit means the frame ends in four bytes of checksum and whose
/// pad bit means the header is padded to four bytes).
pub fn strip(frame: &[u8], flags: u8) -> Payload<'_> {
    // An FCS after an IP packet is left there: the IP header's length
    // ends the packet before it.
    let Some(fc) = FrameControl::read(frame) else {
        return Payload::TooShort("802.11");
    };
    if fc.kind != 2 || fc.no_data() || fc.protected() {
        return Payload::Message(frame);
    }
    let mut len = data_header_len(fc);
    if flags & PAD != 0 {
        len = len.next_multiple_of(4);
    }
    let Some(mesh) = mesh_len(frame, fc, len) else {
        return Payload::TooShort("802.11");
    };
    len += mesh;
    let Some(body) = frame.get(len..) else {
        return Payload::TooShort("802.11");
    };
    match LlcToNet::read(body) {
        Some(l) => Payload::EtherType(EtherType(l.ether_type), body.get(l.len..).unwrap_or(&[])),
        None => Payload::Message(frame),
    }
}

/// The EtherType of the IP version an OSI NLPID stands for (RFC 1661's
/// and ISO/TR 9577's 0xcc and 0x8e), the packet following the NLPID.
pub fn nlpid_ether_type(nlpid: u8) -> Option<u16> {
    match nlpid {
        0xcc => Some(0x0800),
        0x8e => Some(0x86dd),
        // PPP's NLPID: tcpdump's ISO printer hands it to its PPP printer,
        // the one PPP's EtherType takes.
        0xcf => Some(0x880b),
        _ => None,
    }
}

/// ISO CLNS's EtherType, which tcpdump's EtherType printer takes for an
/// LLC header of SAP 0xfe (behind SNAP too: the byte after the type is
/// skipped, the PDU follows).
pub const OSI_ETHERTYPE: u16 = 0xfefe;

/// The EtherTypes a data frame's SNAP header hands on to the network
/// layer's printers: IPv4, ARP, RARP, IPv6.
pub const SNAP_TYPES: [u16; 4] = [0x0800, 0x0806, 0x8035, 0x86dd];

/// An LLC header tcpdump's LLC printer hands on to the network layer's
/// printers: a UI frame with SNAP (SAPs 0xaa, either I/G or C/R bit)
/// whose OUI encapsulates Ethernet (0, or Cisco's bridged 0xf8) and whose
/// type is one of [`SNAP_TYPES`], to IP's own SAP 0x06 (RFC 948), or to
/// ISO's SAP 0xfe whose NLPID is IPv4's 0xcc or IPv6's 0x8e (tcpdump's
/// ISO printer hands those on to its IP printers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LlcToNet {
    pub dsap: u8,
    pub ssap: u8,
    /// SNAP's OUI, `None` for SAPs 0x06 and 0xfe.
    pub oui: Option<u32>,
    /// The NLPID after SAP 0xfe's header (`-e` names it).
    pub nlpid: Option<u8>,
    pub ether_type: u16,
    /// The LLC (and SNAP) header's length.
    pub len: usize,
}

impl LlcToNet {
    /// The bytes before the network layer that tcpdump's `-x` dump
    /// shows: the NLPID (the ISO printer, not the LLC printer, read it).
    pub fn dumped_header_len(&self) -> usize {
        usize::from(self.nlpid.is_some())
    }

    pub fn read(body: &[u8]) -> Option<LlcToNet> {
        let (dsap, ssap) = (*body.first()?, *body.get(1)?);
        if body.get(2) != Some(&3) || dsap & 0xfe != ssap & 0xfe {
            return None;
        }
        match (dsap & 0xfe, body.get(3..8)) {
            (0xaa, Some(&[0, 0, o, a, b])) if matches!(o, 0 | 0xf8) => {
                let ether_type = u16::from_be_bytes([a, b]);
                // tcpdump's SNAP printer hands its EtherType printer the
                // tunnels too (MPLS, PPPoE, PPP's 0x880b …).
                let carried = SNAP_TYPES.contains(&ether_type)
                    || ether_type == OSI_ETHERTYPE
                    || crate::dissect::tunnel::ethertype(ether_type).is_some();
                carried.then_some(LlcToNet {
                    dsap,
                    ssap,
                    oui: Some(u32::from(o)),
                    nlpid: None,
                    ether_type,
                    len: 8,
                })
            }
            (0x06, _) => Some(LlcToNet {
                dsap,
                ssap,
                oui: None,
                nlpid: None,
                ether_type: 0x0800,
                len: 3,
            }),
            (0xfe, _) => {
                let nlpid = *body.get(3)?;
                let ether_type = nlpid_ether_type(nlpid)?;
                Some(LlcToNet {
                    dsap,
                    ssap,
                    oui: None,
                    nlpid: Some(nlpid),
                    ether_type,
                    len: 4,
                })
            }
            _ => None,
        }
    }
}

/// The frame without its FCS when radiotap's flags say it has one: what
/// was captured up to four bytes before the end on the wire (a frame the
/// snap length cut keeps all it has, as tcpdump reckons it).
pub fn body_end(frame: &[u8], flags: u8, wire_len: usize) -> &[u8] {
    if flags & FCS != 0 {
        let end = frame.len().min(wire_len.saturating_sub(4));
        frame.get(..end).unwrap_or(frame)
    } else {
        frame
    }
}

/// Radiotap's flags: the frame ends in an FCS, the header is padded.
pub const FCS: u8 = 0x10;
pub const PAD: u8 = 0x20;

/// A radiotap header: its length and its flags byte (0 when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Radiotap {
    pub len: usize,
    pub flags: u8,
}

/// The fixed part of the header: version, pad, length, first bitmap.
const FIXED: usize = 8;

/// Bits of a present word that mean the same in every namespace.
const NAMESPACE: u32 = 1 << 29;
const VENDOR: u32 = 1 << 30;
const EXT: u32 = 1 << 31;

/// Read the radiotap header at the start of `data`; `None` where tcpdump
/// gives up on it (`[|802.11_radio]` and nothing after): cut, shorter
/// than its fixed part, longer than what was captured, or a bitmap chain
/// running past its end.
pub fn radiotap(data: &[u8]) -> Option<Radiotap> {
    let len = usize::from(le16(data, 2)?);
    if len < FIXED {
        return None;
    }
    let head = data.get(..len)?;
    bitmaps_end(head)?;
    let mut flags = 0;
    walk(head, |item| {
        if let Item::Field { bit: 1, bytes, .. } = item {
            flags = bytes.first().copied().unwrap_or(0);
        }
    });
    Some(Radiotap { len, flags })
}

/// Where the present-bitmap chain ends (the first field's offset), or
/// `None` when it runs past the header. Each word costs four bytes of the
/// header, so the chain is bounded by the header's length.
fn bitmaps_end(head: &[u8]) -> Option<usize> {
    let mut at = 4;
    loop {
        let w = le32(head, at)?;
        at += 4;
        if w & EXT == 0 {
            return Some(at);
        }
    }
}

/// One step of tcpdump's walk through a radiotap header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item<'a> {
    /// A field tcpdump reads: its bit number (the namespace's base plus
    /// the bit), its bytes and the present word that announced it (the
    /// channel's words depend on the word's MCS and XChannel bits).
    Field {
        bit: u32,
        bytes: &'a [u8],
        present: u32,
    },
    /// A bit whose size tcpdump does not know: it names it and the walk
    /// ends there.
    Unknown(u32),
    /// A field or a vendor namespace header cut by the header's end
    /// (tcpdump's `[|802.11_radio]`).
    Cut,
}

/// (alignment, size) of a field of the radiotap namespace as tcpdump reads
/// it (FHSS as two bytes, dB TX attenuation as one), `None` for the bits
/// it does not know.
fn layout(bit: u32) -> Option<(usize, usize)> {
    Some(match bit {
        0 => (8, 8),
        1 | 2 | 5 | 6 | 9..=13 => (1, 1),
        3 => (2, 4),
        4 => (1, 2),
        7 | 8 | 14 => (2, 2),
        18 | 20 => (4, 8),
        19 => (1, 3),
        21 => (2, 12),
        _ => return None,
    })
}

/// Walk the header `head` (exactly the header's bytes, its bitmap chain
/// already checked by [`radiotap`]) as tcpdump does: fields aligned to
/// their natural boundary from the header's start, vendor namespaces
/// skipped by their announced length, a switch back to the radiotap
/// namespace starting again at bit 0, later words of one namespace
/// numbering their bits from 32, 64 …; `visit` sees each step.
pub fn walk<'a>(head: &'a [u8], mut visit: impl FnMut(Item<'a>)) {
    let Some(words_end) = bitmaps_end(head) else {
        return;
    };
    let mut at = words_end;
    let mut bit0 = 0u32;
    let mut vendor = false;
    let mut skip = 0usize;
    let mut word_at = 4;
    while word_at < words_end {
        let Some(present) = le32(head, word_at) else {
            return;
        };
        word_at += 4;
        if vendor {
            if at + skip > head.len() {
                return;
            }
            at += skip;
            skip = 0;
        } else {
            for n in (0..29).filter(|n| present & (1 << n) != 0) {
                let bit = bit0.saturating_add(n);
                let Some((align, size)) = layout(bit) else {
                    visit(Item::Unknown(bit));
                    return;
                };
                let start = at.next_multiple_of(align);
                let Some(bytes) = head.get(start..start + size) else {
                    visit(Item::Cut);
                    return;
                };
                visit(Item::Field {
                    bit,
                    bytes,
                    present,
                });
                at = start + size;
            }
        }
        match present & (NAMESPACE | VENDOR) {
            0 => bit0 = bit0.saturating_add(32),
            NAMESPACE => {
                (bit0, vendor, skip) = (0, false, 0);
            }
            VENDOR => {
                (bit0, vendor) = (0, true);
                // OUI and sub-namespace (four single bytes, read where the
                // last field ended once two aligned bytes are known to
                // be there), then the length to skip, aligned to 2.
                if at.next_multiple_of(2) + 2 > head.len() {
                    visit(Item::Cut);
                    continue;
                }
                let oui_end = (at + 4).min(head.len());
                let len_at = oui_end.next_multiple_of(2);
                match le16(head, len_at) {
                    Some(n) if oui_end == at + 4 => {
                        skip = usize::from(n);
                        at = len_at + 2;
                    }
                    _ => {
                        at = oui_end;
                        visit(Item::Cut);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(present: &[u32], body: &[u8]) -> Vec<u8> {
        let mut h = vec![0, 0, 0, 0];
        for p in present {
            h.extend_from_slice(&p.to_le_bytes());
        }
        h.extend_from_slice(body);
        let len = h.len() as u16;
        h[2..4].copy_from_slice(&len.to_le_bytes());
        h
    }

    fn items(h: &[u8]) -> Vec<Item<'_>> {
        let mut v = Vec::new();
        walk(h, |i| v.push(i));
        v
    }

    #[test]
    fn fields_are_aligned() {
        // Flags (1 byte) then channel, aligned to 2: one byte of padding.
        let h = header(&[0b1010], &[0x10, 0, 0x6c, 0x09, 0xa0, 0]);
        let f = items(&h);
        assert_eq!(
            f[0],
            Item::Field {
                bit: 1,
                bytes: &[0x10],
                present: 0b1010
            }
        );
        assert_eq!(
            f[1],
            Item::Field {
                bit: 3,
                bytes: &[0x6c, 0x09, 0xa0, 0],
                present: 0b1010
            }
        );
        assert_eq!(
            radiotap(&h),
            Some(Radiotap {
                len: 14,
                flags: 0x10
            })
        );
    }

    #[test]
    fn test_truncated_and_unknown() {
        let h = header(&[0b1000], &[0x6c]);
        assert_eq!(items(&h), vec![Item::Cut]);
        let h = header(&[1 << 25], &[]);
        assert_eq!(items(&h), vec![Item::Unknown(25)]);
        // A second word of the same namespace numbers its bits from 32.
        let h = header(&[EXT, 1], &[]);
        assert_eq!(items(&h), vec![Item::Unknown(32)]);
        // A chain of extended bitmaps running past the header.
        let h = header(&[EXT; 4], &[]);
        assert_eq!(radiotap(&h), None);
        assert_eq!(radiotap(&[0, 0, 200, 0]), None);
        assert_eq!(radiotap(&[0, 0, 4, 0, 0, 0, 0, 0]), None);
    }

    #[test]
    fn vendor_namespaces_are_skipped() {
        // Signal; a vendor namespace of 3 bytes; back to radiotap: signal.
        let h = header(
            &[VENDOR | EXT | (1 << 5), NAMESPACE | EXT | 0xff, 1 << 5],
            &[0xd8, 0, 0, 0x11, 0x22, 1, 3, 0, 9, 9, 9, 0xc0],
        );
        let bits: Vec<(u32, u8)> = items(&h)
            .into_iter()
            .filter_map(|i| match i {
                Item::Field { bit, bytes, .. } => Some((bit, bytes[0])),
                _ => None,
            })
            .collect();
        assert_eq!(bits, vec![(5, 0xd8), (5, 0xc0)]);
    }

    #[test]
    fn data_frame_to_ip() {
        let mut f = vec![0x08, 0x01, 0, 0];
        f.extend_from_slice(&[0; 20]);
        f.extend_from_slice(&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0, 0x45]);
        assert!(matches!(
            strip(&f, 0),
            Payload::EtherType(EtherType::IPV4, [0x45])
        ));
        assert!(matches!(strip(&f[..10], 0), Payload::TooShort("802.11")));
    }
}
