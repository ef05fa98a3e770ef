//! Headers etherparse would not slice — cut by the snap length, or with
//! fields that contradict each other — read field by field as far as the
//! captured bytes go, so the printers can say what tcpdump says: a TCP
//! header cut inside its options still shows its ports, flags and
//! sequence numbers; an IPv4 header with a bad IHL or total length is
//! named as such. Each view is checked once at construction; accessors
//! return `None` for a field that was not captured and never panic.

use std::net::Ipv4Addr;

/// The first bytes of a TCP header, however many were captured.
#[derive(Clone, Copy, Debug)]
pub struct TcpHead<'a> {
    bytes: &'a [u8],
}

/// The 20 fixed bytes of a TCP header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpFixed {
    pub seq: u32,
    pub ack: u32,
    /// Header length in bytes (data offset × 4).
    pub header_len: usize,
    /// The flag byte (CWR ECE URG ACK PSH RST SYN FIN).
    pub flags: u8,
    pub window: u16,
    pub urgent: u16,
}

impl<'a> TcpHead<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        TcpHead { bytes }
    }
    /// How many bytes of the header (and after it) were captured.
    pub fn captured_len(&self) -> usize {
        self.bytes.len()
    }
    /// Source and destination port, when both were captured.
    pub fn ports(&self) -> Option<(u16, u16)> {
        let p = self.bytes.first_chunk::<4>()?;
        Some((
            u16::from_be_bytes([p[0], p[1]]),
            u16::from_be_bytes([p[2], p[3]]),
        ))
    }
    /// The fixed header, when all 20 bytes were captured.
    pub fn fixed(&self) -> Option<TcpFixed> {
        let h = self.bytes.first_chunk::<20>()?;
        Some(TcpFixed {
            seq: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
            ack: u32::from_be_bytes([h[8], h[9], h[10], h[11]]),
            header_len: usize::from(h[12] >> 4) * 4,
            flags: h[13],
            window: u16::from_be_bytes([h[14], h[15]]),
            urgent: u16::from_be_bytes([h[18], h[19]]),
        })
    }
    /// Whether the fixed header gives a length tcpdump calls bad in a
    /// segment `declared` bytes long (`[bad hdr length 4 - too short, <
    /// 20]`, `… too long, > 30]`): no segment is read then, and the
    /// tracker's analysis marks, made of its garbage, are left off the line
    /// and the JSON alike.
    pub fn bad_length(&self, declared: usize) -> bool {
        self.fixed()
            .is_some_and(|f| f.header_len < 20 || f.header_len > declared)
    }
    /// The captured part of the options (at most what the data offset
    /// says the header holds).
    pub fn options(&self) -> &'a [u8] {
        let end = self
            .fixed()
            .map_or(0, |f| f.header_len)
            .min(self.bytes.len());
        self.bytes.get(20..end).unwrap_or(&[])
    }
}

/// Source and destination port of a UDP header cut short, when both were
/// captured.
pub fn udp_ports(bytes: &[u8]) -> Option<(u16, u16)> {
    TcpHead::new(bytes).ports()
}

/// A UDP header's length field, when captured (the header may be cut
/// after it).
pub fn udp_length(bytes: &[u8]) -> Option<u16> {
    let b = bytes.get(4..6)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

/// The fields of an IPv4 header that decide whether tcpdump prints it or
/// names what is wrong with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Head {
    pub version: u8,
    /// Header length in bytes (IHL × 4); `None` when only the first byte
    /// was captured… or none.
    pub header_len: usize,
    /// The total length field, when captured.
    pub total_len: Option<u16>,
    /// Whether the 20 fixed bytes were all captured.
    pub fixed_captured: bool,
    /// The fixed fields, when the 20 fixed bytes were captured (for the
    /// `-v` line of a header whose options were cut).
    pub fields: Option<Ipv4Fields>,
}

/// The fixed fields of an IPv4 header, as read from its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Fields {
    pub tos: u8,
    pub id: u16,
    /// Flags (top three bits) and fragment offset (in 8-byte units).
    pub flags_offset: u16,
    pub ttl: u8,
    pub proto: u8,
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
}

impl Ipv4Fields {
    /// `None` unless the 20 fixed bytes are there.
    pub fn new(bytes: &[u8]) -> Option<Self> {
        let b: &[u8; 20] = bytes.first_chunk()?;
        Some(Ipv4Fields {
            tos: b[1],
            id: u16::from_be_bytes([b[4], b[5]]),
            flags_offset: u16::from_be_bytes([b[6], b[7]]),
            ttl: b[8],
            proto: b[9],
            src: Ipv4Addr::new(b[12], b[13], b[14], b[15]),
            dst: Ipv4Addr::new(b[16], b[17], b[18], b[19]),
        })
    }
}

/// The option bytes captured of an IPv4 header the capture cut (those
/// after its 20 fixed bytes).
pub fn ipv4_cut_options(bytes: &[u8]) -> &[u8] {
    bytes.get(20..).unwrap_or(&[])
}

impl Ipv4Head {
    /// `None` when not even the version byte was captured.
    pub fn new(bytes: &[u8]) -> Option<Self> {
        let first = *bytes.first()?;
        let total_len = bytes
            .get(2..4)
            .and_then(|b| b.first_chunk::<2>())
            .map(|b| u16::from_be_bytes(*b));
        Some(Ipv4Head {
            version: first >> 4,
            header_len: usize::from(first & 0x0f) * 4,
            total_len,
            fixed_captured: bytes.len() >= 20,
            fields: Ipv4Fields::new(bytes),
        })
    }
}

/// The type byte of an ICMP or ICMPv6 message cut short, when captured.
pub fn icmp_type(bytes: &[u8]) -> Option<u8> {
    bytes.first().copied()
}

/// The code byte of an ICMP or ICMPv6 message cut short, when captured.
pub fn icmp_code(bytes: &[u8]) -> Option<u8> {
    bytes.get(1).copied()
}

/// A parameter problem's pointer (the byte after the checksum) in an ICMP
/// message cut short, when captured.
pub fn icmp_pointer(bytes: &[u8]) -> Option<u8> {
    bytes.get(4).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_truncated_tcp() {
        assert_eq!(TcpHead::new(&[0x9c]).ports(), None);
        let h = TcpHead::new(&[0x9c, 0x40, 0, 80, 0, 0]);
        assert_eq!(h.ports(), Some((40000, 80)));
        assert_eq!(h.fixed(), None);
        assert!(h.options().is_empty());
        let mut b = vec![
            0, 1, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0x80, 0x02, 1, 0, 0, 0, 0, 0,
        ];
        b.extend_from_slice(&[2, 4, 5]);
        let h = TcpHead::new(&b);
        let f = h.fixed().unwrap();
        assert_eq!((f.seq, f.header_len, f.flags, f.window), (9, 32, 2, 256));
        assert_eq!(h.options(), &[2, 4, 5]);
    }

    #[test]
    fn test_malformed_data_offset_below_20() {
        let b = [
            0, 1, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0x20, 0x02, 1, 0, 0, 0, 0, 0, 1, 1,
        ];
        assert!(TcpHead::new(&b).options().is_empty());
    }

    #[test]
    fn test_truncated_ipv4() {
        assert_eq!(Ipv4Head::new(&[]), None);
        let h = Ipv4Head::new(&[0x43]).unwrap();
        assert_eq!((h.version, h.header_len, h.total_len), (4, 12, None));
        let h = Ipv4Head::new(&[0x45, 0, 0, 0]).unwrap();
        assert_eq!((h.total_len, h.fixed_captured), (Some(0), false));
    }
}
