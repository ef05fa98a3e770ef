//! A UDP length field past what IP carries: tcpdump hands the protocol on
//! the port the shorter of the two lengths (a DNS query behind it prints
//! `domain [length 8 < 12] (invalid)`, a VXLAN header `VXLAN (invalid)`,
//! an MPLS stack `MPLS (invalid)`), and says `UDP, bad length 24 > 8`
//! only where no protocol took the datagram and the packet is not a
//! fragment (`captures/filter_ether.pcap`'s packet 82 is such a DNS
//! fragment). Built datagrams to every UDP port a dissector or tunnel
//! has, whole and as first fragments, with payloads shorter and longer
//! than the headers, must print what `tcpdump -n -r` prints at the
//! default level, `-v`, `-vv` and `-e`, byte for byte.

mod support;

use support::app_captures::{Frame, capture, compare_with_tcpdump};
use support::frames::udp_datagram;
use support::tempdir;
use support::tunnel_captures::{ether, ipv4_fragment};

/// The ports: DNS, mDNS, LLMNR, NTP, TFTP, BOOTP, syslog, DHCPv6, the
/// tunnels (VXLAN, Geneve, L2TP, MPLS in UDP), PTP's two (every payload
/// but the last is shorter than its header: `[length 12 < 34] (invalid)`),
/// SSH and HTTP (no UDP printer) and one nobody uses. (RADIUS and SNMP:
/// tcpdump's `-v` and SNMP lines are not ours yet.)
const PORTS: &[u16] = &[
    53, 5353, 5355, 123, 69, 67, 68, 514, 547, 546, 4789, 6081, 1701, 6635, 319, 320, 22, 80, 9999,
];

fn frames() -> Vec<Frame> {
    let query =
        b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01";
    let payloads: [&[u8]; 5] = [b"", &[0xaa; 4], &query[..12], query, &[0x45; 60]];
    let mut out = Vec::new();
    for &port in PORTS {
        for payload in payloads {
            // Inside VXLAN the query's bytes make an 802.3 frame with
            // unknown SAPs, which tcpdump prints as an LLC I frame and we
            // do not yet (at any depth).
            if port == 4789 && payload == &query[..] {
                continue;
            }
            // The UDP length says 4 or 100 bytes more than IP carries
            // (and, to PTP, also the right length).
            let extras: &[u16] = if [319, 320].contains(&port) {
                &[0, 4, 100]
            } else {
                &[4, 100]
            };
            for &extra in extras {
                for flags in [0x4000, 0x2000] {
                    let mut dgram = udp_datagram(40000, port, payload);
                    let claimed = dgram.len() as u16 + extra;
                    dgram[4..6].copy_from_slice(&claimed.to_be_bytes());
                    out.push(Frame {
                        bytes: ether(0x0800, &ipv4_fragment(17, flags, &dgram)),
                        snap: None,
                    });
                }
            }
        }
    }
    out
}

#[test]
fn protocols_behind_a_long_udp_length_equal_tcpdump() {
    let dir = tempdir();
    let path = dir.join("udp_lengths.pcap");
    let frames = frames();
    std::fs::write(&path, capture(&frames)).expect("write the capture");
    let p = path.to_string_lossy();
    compare_with_tcpdump(&p, &["", "-v", "-vv", "-e"], frames.len());
}

/// A UDP length short of what IP carries: tcpdump hands the protocol the
/// UDP length but bounds its reads by IP's alone, so a printer that
/// reads past the datagram finds the bytes IP still carries (syslog's
/// `<` then no priority behind a UDP length of 8 is ` (invalid)`, not a
/// cut). Every port above, the datagram's length 8, 9, 12 and 20 before
/// payloads of 1 to 60 bytes, and RIP with an entry past the UDP length, whole and with the capture ending inside
/// them, at the default level, `-v`, `-vv`, `-e` and `-x` (where a
/// printer's `longjmp` moves the dump's start).
fn short_frames() -> Vec<Frame> {
    let query =
        b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01";
    let payloads: [&[u8]; 5] = [
        b"<",
        b"<\x1f|\xb6\xe7S",
        b"<13>hello there",
        query,
        &[0x45; 60],
    ];
    // RIPv2: a route, then an entry of an unknown family whose last 4
    // bytes are past the UDP length (tcpdump dumps its 16 bytes, then
    // `[remaining entries length 16 < 20] (invalid)`).
    let rip = [
        &[2u8, 2, 0, 0][..],
        &[
            0, 2, 0, 0, 10, 7, 0, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        ],
        &[
            0, 0x25, 0, 0, 0x51, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
        ],
    ]
    .concat();
    let cases = PORTS
        .iter()
        .filter(|&&port| port != 4789)
        .flat_map(|&port| payloads.map(|payload| (port, payload, &[8u16, 9, 12, 20][..])))
        .chain([(520, &rip[..], &[8 + 4 + 20 + 16, 8 + 4 + 20 + 2][..])]);
    let mut out = Vec::new();
    for (port, payload, ulens) in cases {
        for &ulen in ulens {
            if usize::from(ulen) >= 8 + payload.len() {
                continue;
            }
            let mut dgram = udp_datagram(40000, port, payload);
            dgram[4..6].copy_from_slice(&ulen.to_be_bytes());
            let bytes = ether(0x0800, &ipv4_fragment(17, 0x4000, &dgram));
            let whole = bytes.len();
            for snap in [None, Some(whole - 1), Some(whole - payload.len() / 2)] {
                out.push(Frame {
                    bytes: bytes.clone(),
                    snap,
                });
            }
        }
    }
    out
}

#[test]
fn protocols_behind_a_short_udp_length_read_what_ip_carries_as_tcpdump() {
    let dir = tempdir();
    let path = dir.join("udp_short_lengths.pcap");
    let frames = short_frames();
    std::fs::write(&path, capture(&frames)).expect("write the capture");
    let p = path.to_string_lossy();
    compare_with_tcpdump(&p, &["", "-v", "-vv", "-e", "-x"], frames.len());
}
