//! `captures/link_macsec.pcap`: Ethernet frames carrying MACsec (802.1AE)
//! built byte by byte — payloads in the clear (IPv4, ARP, IPv6, an
//! unknown EtherType, an 802.3 frame with STP, a VLAN tag, LLDP) with and
//! without a secure channel id, every flag, short lengths that cut the
//! payload short or say more than there is, an ICV cut short; encrypted
//! and changed payloads; a version bit and reserved short-length bits —
//! then cuts and damaged copies; [`every_cut_capture`] cuts each at every
//! length. The neighbours the comparison found wrong join them: ARP's
//! hardware types 0 to 39, and UDP in IPv4 given fewer than 8 bytes.

use super::app_captures::{Frame, cuts};
use super::control_captures::{ether, with_cuts_and_damage};

/// The integrity check value's bytes (16, as tcpdump assumes).
const ICV: [u8; 16] = [
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
];

/// A SecTAG: TCI and association number, short length, packet number,
/// and the secure channel id when the TCI says so.
fn sectag(tci: u8, sl: u8, pn: u32, sci: Option<u64>) -> Vec<u8> {
    let mut t = vec![tci, sl];
    t.extend_from_slice(&pn.to_be_bytes());
    if let Some(sci) = sci {
        t.extend_from_slice(&sci.to_be_bytes());
    }
    t
}

/// IPv4 carrying UDP 1234 → 53 with a 5-byte payload (checksum 0),
/// `hlen` header words (options of zeros past five).
fn ipv4_udp(hlen: u8) -> Vec<u8> {
    let payload = b"hello";
    let udp = [
        &1234u16.to_be_bytes()[..],
        &53u16.to_be_bytes(),
        &13u16.to_be_bytes(),
        &[0, 0],
        payload,
    ]
    .concat();
    let header_len = usize::from(hlen) * 4;
    let total = (header_len + udp.len()) as u16;
    let mut h = vec![0x40 | hlen, 0];
    h.extend_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&[0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    h.resize(header_len, 0);
    let sum = super::tunnel_captures::checksum(&h);
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    [h, udp].concat()
}

/// An Ethernet frame of type 0x88e5 holding `body` (tag, secure data, ICV).
fn macsec(body: &[u8]) -> Vec<u8> {
    ether([0, 0x11, 0x22, 0x33, 0x44, 0x55], 0x88e5, body)
}

/// The payload in the clear: the inner EtherType and its bytes, then the ICV.
fn clear(tag: Vec<u8>, inner: u16, bytes: &[u8]) -> Vec<u8> {
    macsec(&[&tag[..], &inner.to_be_bytes(), bytes, &ICV].concat())
}

/// Every MACsec frame, whole.
pub fn frames() -> Vec<Vec<u8>> {
    let ip = ipv4_udp(5);
    let sci = Some(0x0011_2233_4455_0001);
    let lldp = [2, 7, 4, 0, 1, 2, 3, 4, 5, 4, 3, 5, 1, 2, 6, 2, 0, 120, 0, 0];
    let stp = [&[0x42, 0x42, 0x03][..], &[0; 35]].concat();
    let mut all = vec![
        clear(sectag(0x00, 0, 1, None), 0x0800, &ip),
        clear(sectag(0x21, 0, 7, sci), 0x0800, &ip),
        clear(sectag(0x50, 0, 3, None), 0x0800, &ip),
        clear(sectag(0x00, 30, 3, None), 0x0800, &ip[..28]),
        clear(sectag(0x00, 10, 3, None), 0x0800, &ip),
        clear(sectag(0x00, 2, 3, None), 0x0800, &ip),
        clear(sectag(0x00, 1, 3, None), 0x0800, &ip),
        clear(sectag(0x00, 63, 3, None), 0x0800, &ip),
        clear(sectag(0x00, 0, 3, None), 0x0806, &[0; 28]),
        clear(sectag(0x00, 0, 3, None), 0x86dd, &[0; 8]),
        clear(sectag(0x00, 0, 3, None), 0x1234, &[7; 20]),
        clear(sectag(0x00, 0, 3, None), 0x6004, &[7; 20]),
        clear(sectag(0x00, 0, 3, None), 38, &stp),
        clear(
            sectag(0x00, 0, 3, None),
            0x8100,
            &[&[0x20, 5, 8, 0][..], &ip].concat(),
        ),
        clear(sectag(0x00, 0, 3, None), 0x88cc, &lldp),
        clear(sectag(0x00, 0, 3, None), 0x88e5, &sectag(0x0c, 0, 4, None)),
        macsec(&[&sectag(0x00, 0, 3, None)[..], &[8, 0], &ip, &ICV[..5]].concat()),
        macsec(&[&sectag(0x2c, 0, 9, sci)[..], &[5; 40], &ICV].concat()),
        macsec(&[&sectag(0x0f, 0, 9, None)[..], &[5; 40], &ICV].concat()),
        macsec(&[&sectag(0x04, 12, 9, None)[..], &[5; 40]].concat()),
        macsec(&[&sectag(0x08, 0, 9, None)[..], &[5; 4]].concat()),
        macsec(&[&sectag(0x80, 0, 3, None)[..], &[8, 0], &ip, &ICV].concat()),
        macsec(&[&sectag(0x00, 0x40, 3, None)[..], &[8, 0], &ip, &ICV].concat()),
        macsec(&[&sectag(0xa0, 0, 3, sci)[..], &ICV].concat()),
    ];
    // Behind a VLAN tag.
    let tagged = clear(sectag(0x01, 0, 5, None), 0x0800, &ip);
    all.push(ether(
        [0, 0x11, 0x22, 0x33, 0x44, 0x55],
        0x8100,
        &[&[0, 9, 0x88, 0xe5][..], &tagged[14..]].concat(),
    ));
    all
}

/// ARP of every hardware type from 0 to 39 but ATM's 19 (tcpdump names a
/// few; ATM ARP has a printer of its own sockscope lacks), and
/// an IPv4 header with options whose total length leaves UDP 5 bytes.
pub fn neighbours() -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = (0..40u16)
        .filter(|&hw| hw != 19)
        .map(|hw| {
            let arp = [&hw.to_be_bytes()[..], &[8, 0, 0, 0, 0, 1], &[0; 38]].concat();
            ether([0xff; 6], 0x0806, &arp)
        })
        .collect();
    let mut ip = ipv4_udp(7);
    ip[2..4].copy_from_slice(&33u16.to_be_bytes());
    ip[10..12].fill(0);
    let sum = super::tunnel_captures::checksum(&ip[..28]);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    all.push(ether(
        [0, 0x11, 0x22, 0x33, 0x44, 0x55],
        0x0800,
        &[&ip[..], &[0; 20]].concat(),
    ));
    all
}

/// The committed capture: each frame whole, cut at a few places, and
/// damaged copies.
pub fn capture(damaged: usize) -> Vec<u8> {
    let mut whole = frames();
    whole.extend(neighbours());
    super::app_captures::capture(&with_cuts_and_damage(
        whole,
        14,
        damaged,
        0x88e5_0bad_0000_0001,
    ))
}

/// Each MACsec frame cut at every length after the EtherType (compared
/// with tcpdump, not kept).
pub fn every_cut_capture() -> Vec<u8> {
    let cuts: Vec<Frame> = frames().iter().flat_map(|f| cuts(f, 12)).collect();
    super::app_captures::capture(&cuts)
}
