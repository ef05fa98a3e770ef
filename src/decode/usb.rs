//! Linux usbmon captures: link types 189 (USB_LINUX, a 48-byte header
//! before each event's data) and 220 (USB_LINUX_MMAPPED, the same header
//! padded to 64 bytes with the isochronous fields, then the isochronous
//! descriptors). The header is in the byte order of the host that
//! captured it; libpcap turns it into the reading host's order when the
//! file's order differs ([`swap_to_host`], which the file source calls)
//! and tcpdump then reads it in host order, as this module does. Nothing
//! follows the header that a network layer could read: the event is the
//! link layer's own message (`dissect::link::usb` prints it).

use std::fmt;

pub const USB_LINUX: u32 = 189;
pub const USB_LINUX_MMAPPED: u32 = 220;

/// The header's length: 48 bytes, 64 memory-mapped.
pub const LEN: usize = 48;
pub const MMAPPED_LEN: usize = 64;

/// One isochronous descriptor after the memory-mapped header.
pub const ISO_DESC_LEN: usize = 16;

/// The transfer types (`transfer_type`'s low values) and event types.
pub const ISOCHRONOUS: u8 = 0;
pub const INTERRUPT: u8 = 1;
pub const CONTROL: u8 = 2;
pub const BULK: u8 = 3;
pub const SUBMIT: u8 = b'S';
pub const COMPLETE: u8 = b'C';
pub const ERROR: u8 = b'E';

/// The link types of this module.
pub fn handles(link: u32) -> bool {
    matches!(link, USB_LINUX | USB_LINUX_MMAPPED)
}

/// The header's length for `link` (one of [`handles`]).
pub fn header_len(link: u32) -> usize {
    if link == USB_LINUX_MMAPPED {
        MMAPPED_LEN
    } else {
        LEN
    }
}

/// tcpdump's truncation mark for a record shorter than its header.
pub fn cut_mark(link: u32) -> &'static str {
    if link == USB_LINUX_MMAPPED {
        "usb_linux_64_byte"
    } else {
        "usb_linux_48_byte"
    }
}

/// The USB setup packet of a control submission (its own fields are
/// little-endian, as USB sends them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    pub request_type: u8,
    pub request: u8,
    pub value: u16,
    pub index: u16,
    pub length: u16,
}

/// The memory-mapped header's last 16 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mmapped {
    pub interval: i32,
    pub start_frame: i32,
    pub xfer_flags: u32,
    pub ndesc: u32,
}

/// A usbmon header, read in host byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub id: u64,
    pub event_type: u8,
    pub transfer_type: u8,
    /// The endpoint number with its direction bit (0x80: in).
    pub endpoint: u8,
    pub device: u8,
    pub bus: u16,
    /// 0 when the setup packet is there.
    pub setup_flag: u8,
    /// 0 when data follows.
    pub data_flag: u8,
    pub ts_sec: i64,
    pub ts_usec: i32,
    pub status: i32,
    pub urb_len: u32,
    pub data_len: u32,
    /// The 8 bytes after `data_len`: the setup packet, or an isochronous
    /// transfer's error count and descriptor count.
    pub setup_bytes: [u8; 8],
    pub mmapped: Option<Mmapped>,
}

impl Header {
    /// The header at the start of a record of `link`, when it is whole.
    pub fn read(link: u32, data: &[u8]) -> Option<Header> {
        let h: &[u8; LEN] = data.first_chunk()?;
        let mmapped = if link == USB_LINUX_MMAPPED {
            let m: &[u8; MMAPPED_LEN] = data.first_chunk()?;
            Some(Mmapped {
                interval: i32::from_ne_bytes([m[48], m[49], m[50], m[51]]),
                start_frame: i32::from_ne_bytes([m[52], m[53], m[54], m[55]]),
                xfer_flags: u32::from_ne_bytes([m[56], m[57], m[58], m[59]]),
                ndesc: u32::from_ne_bytes([m[60], m[61], m[62], m[63]]),
            })
        } else {
            None
        };
        let u32_at = |at: usize| [h[at], h[at + 1], h[at + 2], h[at + 3]];
        Some(Header {
            id: u64::from_ne_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]),
            event_type: h[8],
            transfer_type: h[9],
            endpoint: h[10],
            device: h[11],
            bus: u16::from_ne_bytes([h[12], h[13]]),
            setup_flag: h[14],
            data_flag: h[15],
            ts_sec: i64::from_ne_bytes([h[16], h[17], h[18], h[19], h[20], h[21], h[22], h[23]]),
            ts_usec: i32::from_ne_bytes(u32_at(24)),
            status: i32::from_ne_bytes(u32_at(28)),
            urb_len: u32::from_ne_bytes(u32_at(32)),
            data_len: u32::from_ne_bytes(u32_at(36)),
            setup_bytes: [h[40], h[41], h[42], h[43], h[44], h[45], h[46], h[47]],
            mmapped,
        })
    }

    /// The setup packet, when the header says it is there.
    pub fn setup(&self) -> Option<Setup> {
        let s = self.setup_bytes;
        (self.setup_flag == 0).then_some(Setup {
            request_type: s[0],
            request: s[1],
            value: u16::from_le_bytes([s[2], s[3]]),
            index: u16::from_le_bytes([s[4], s[5]]),
            length: u16::from_le_bytes([s[6], s[7]]),
        })
    }

    /// An isochronous transfer's error count and number of descriptors
    /// (where the other transfers have their setup packet).
    pub fn iso(&self) -> Option<(i32, i32)> {
        let s = self.setup_bytes;
        (self.transfer_type == ISOCHRONOUS).then_some((
            i32::from_ne_bytes([s[0], s[1], s[2], s[3]]),
            i32::from_ne_bytes([s[4], s[5], s[6], s[7]]),
        ))
    }

    /// Whether the event goes to the device or comes from it, as
    /// tcpdump tells it: by transfer and event type (the endpoint's
    /// direction bit is not asked); `None` for unknown types.
    pub fn direction(&self) -> Option<Direction> {
        let submit = match self.event_type {
            SUBMIT => true,
            COMPLETE | ERROR => false,
            _ => return None,
        };
        match self.transfer_type {
            // tcpdump's words: a submission goes out, its completion
            // comes in — but an interrupt transfer the other way round.
            ISOCHRONOUS | CONTROL | BULK if submit => Some(Direction::To),
            ISOCHRONOUS | CONTROL | BULK => Some(Direction::From),
            INTERRUPT if submit => Some(Direction::From),
            INTERRUPT => Some(Direction::To),
            _ => None,
        }
    }
}

/// [`Header::direction`]'s answer, as tcpdump writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    To,
    From,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::To => "to",
            Direction::From => "from",
        })
    }
}

/// One isochronous descriptor: status, offset, length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IsoDesc {
    pub status: i32,
    pub offset: u32,
    pub len: u32,
}

/// The isochronous descriptors after a memory-mapped header (its `ndesc`
/// of them, as far as the capture holds them whole).
pub fn iso_descs<'a>(h: &Header, data: &'a [u8]) -> impl Iterator<Item = IsoDesc> + 'a {
    let n = match (h.transfer_type, h.mmapped) {
        (ISOCHRONOUS, Some(m)) => m.ndesc as usize,
        _ => 0,
    };
    data.get(MMAPPED_LEN..)
        .unwrap_or_default()
        .chunks_exact(ISO_DESC_LEN)
        .take(n)
        .map(|d| {
            let at = |i: usize| [d[i], d[i + 1], d[i + 2], d[i + 3]];
            IsoDesc {
                status: i32::from_ne_bytes(at(0)),
                offset: u32::from_ne_bytes(at(4)),
                len: u32::from_ne_bytes(at(8)),
            }
        })
}

/// libpcap's conversion of a record's header from the byte order of the
/// host that wrote the file to this host's (when the two differ): each
/// multi-byte field the capture holds whole, in order, stopping at the
/// first it cut; an isochronous transfer's error and descriptor counts
/// (the others' setup packet is USB's own little-endian), and on link
/// type 220 the padded fields and the isochronous descriptors, as many
/// as `ndesc` says (read after its swap).
pub fn swap_to_host(link: u32, data: &mut [u8]) {
    /// Offset and length of the fields every header swaps, an
    /// isochronous transfer's counts, the memory-mapped header's last four.
    const COMMON: [(usize, usize); 7] =
        [(0, 8), (12, 2), (16, 8), (24, 4), (28, 4), (32, 4), (36, 4)];
    const ISO_COUNTS: [(usize, usize); 2] = [(40, 4), (44, 4)];
    const PADDED: [(usize, usize); 4] = [(48, 4), (52, 4), (56, 4), (60, 4)];
    let iso = data.get(9) == Some(&ISOCHRONOUS);
    let counts: &[(usize, usize)] = if iso { &ISO_COUNTS } else { &[] };
    let padded: &[(usize, usize)] = if link == USB_LINUX_MMAPPED {
        &PADDED
    } else {
        &[]
    };
    for &(at, len) in COMMON.iter().chain(counts).chain(padded) {
        let Some(field) = data.get_mut(at..at + len) else {
            return;
        };
        field.reverse();
    }
    if link != USB_LINUX_MMAPPED || !iso {
        return;
    }
    let Some(&ndesc) = data.get(60..64).and_then(|b| b.first_chunk::<4>()) else {
        return;
    };
    let ndesc = u32::from_ne_bytes(ndesc) as usize;
    let descs = data.get_mut(MMAPPED_LEN..).unwrap_or_default();
    // Only whole fields: libpcap stops at the first one the capture cut.
    for desc in descs.chunks_mut(ISO_DESC_LEN).take(ndesc) {
        for at in [0, 4, 8] {
            let Some(field) = desc.get_mut(at..at + 4) else {
                return;
            };
            field.reverse();
        }
    }
}

/// The length on the wire libpcap gives a record of `link` that says
/// `orig_len` (its `fixup_pcap_pkthdr`, applied to every file it reads):
/// older libpcaps counted a memory-mapped completion of an incoming
/// isochronous transfer that carries data as header, descriptors and the
/// whole URB, where the data really ends with the descriptors' furthest
/// end. Such a record (its length exactly that sum) gets header,
/// descriptors and that end (or its captured length when longer); every
/// other record keeps `orig_len`. Descriptors are read as far as the
/// capture holds them whole (libpcap counts the bytes left from the
/// record's start, and would read past a capture cut among them).
pub fn libpcap_wire_len(link: u32, data: &[u8], orig_len: u32) -> u32 {
    let Some(h) = Header::read(link, data) else {
        return orig_len;
    };
    let Some(m) = h.mmapped else {
        return orig_len;
    };
    let counted =
        MMAPPED_LEN as u64 + u64::from(m.ndesc) * ISO_DESC_LEN as u64 + u64::from(h.urb_len);
    let miscounted = h.data_flag == 0
        && h.transfer_type == ISOCHRONOUS
        && h.event_type == COMPLETE
        && h.endpoint & 0x80 != 0
        && u64::from(orig_len) == counted;
    if !miscounted {
        return orig_len;
    }
    let data_end = iso_descs(&h, data)
        .filter(|d| d.len != 0)
        .map(|d| d.offset.wrapping_add(d.len))
        .max()
        .unwrap_or(0);
    // C's arithmetic: the descriptors' part in `size_t`, the sum cut to
    // the 32-bit length field.
    let fixed = (MMAPPED_LEN as u64)
        .wrapping_add(u64::from(m.ndesc) * ISO_DESC_LEN as u64)
        .wrapping_add(u64::from(data_end)) as u32;
    let caplen = u32::try_from(data.len()).unwrap_or(u32::MAX);
    let len = if fixed >= caplen { fixed } else { orig_len };
    len.max(caplen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(event: u8, transfer: u8) -> Vec<u8> {
        let mut h = vec![0u8; MMAPPED_LEN];
        h[8] = event;
        h[9] = transfer;
        h[10] = 0x81;
        h[11] = 5;
        h[12..14].copy_from_slice(&258u16.to_ne_bytes());
        h
    }

    #[test]
    fn test_truncated() {
        let h = header(SUBMIT, BULK);
        assert!(Header::read(USB_LINUX, &h[..47]).is_none());
        assert!(Header::read(USB_LINUX, &h[..48]).is_some());
        assert!(Header::read(USB_LINUX_MMAPPED, &h[..63]).is_none());
    }

    #[test]
    fn directions_are_tcpdumps() {
        let dir = |e, t| Header::read(USB_LINUX, &header(e, t)).and_then(|h| h.direction());
        assert_eq!(dir(SUBMIT, BULK), Some(Direction::To));
        assert_eq!(dir(ERROR, CONTROL), Some(Direction::From));
        assert_eq!(dir(SUBMIT, INTERRUPT), Some(Direction::From));
        assert_eq!(dir(COMPLETE, INTERRUPT), Some(Direction::To));
        assert_eq!(dir(b'X', BULK), None);
        assert_eq!(dir(SUBMIT, 0x80), None);
    }

    #[test]
    fn swapping_stops_at_the_first_cut_field() {
        let mut h = header(SUBMIT, ISOCHRONOUS);
        h[60..64].copy_from_slice(&1u32.to_be_bytes());
        let mut rec = h.clone();
        rec.extend_from_slice(&[0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0, 9, 0xaa, 0xbb, 0xcc, 0xdd]);
        swap_to_host(USB_LINUX_MMAPPED, &mut rec);
        let read = Header::read(USB_LINUX_MMAPPED, &rec).unwrap();
        assert_eq!(read.bus, 258u16.swap_bytes());
        assert_eq!(read.mmapped.map(|m| m.ndesc), Some(1));
        let d: Vec<IsoDesc> = iso_descs(&read, &rec).collect();
        assert_eq!(
            d,
            [IsoDesc {
                status: 7,
                offset: 8,
                len: 9
            }]
        );
        assert_eq!(&rec[76..], &[0xaa, 0xbb, 0xcc, 0xdd]);
        let mut cut = h[..13].to_vec();
        swap_to_host(USB_LINUX, &mut cut);
        assert_eq!(&cut[12..13], &h[12..13]);
    }

    #[test]
    fn iso_completions_get_libpcaps_length() {
        let mut h = header(COMPLETE, ISOCHRONOUS);
        h[15] = 0;
        h[32..36].copy_from_slice(&400u32.to_ne_bytes());
        h[60..64].copy_from_slice(&2u32.to_ne_bytes());
        for (offset, len) in [(0u32, 100u32), (200, 100)] {
            h.extend_from_slice(&0i32.to_ne_bytes());
            h.extend_from_slice(&offset.to_ne_bytes());
            h.extend_from_slice(&len.to_ne_bytes());
            h.extend_from_slice(&[0; 4]);
        }
        let wire = |d: &[u8], orig| libpcap_wire_len(USB_LINUX_MMAPPED, d, orig);
        assert_eq!(wire(&h, 64 + 32 + 400), 64 + 32 + 300);
        assert_eq!(wire(&h, 64 + 32 + 401), 64 + 32 + 401);
        assert_eq!(wire(&h, 10), 10);
        let mut out = h.clone();
        out[10] = 0x01;
        assert_eq!(wire(&out, 64 + 32 + 400), 64 + 32 + 400);
        assert_eq!(libpcap_wire_len(USB_LINUX, &h, 496), 496);
    }
}
