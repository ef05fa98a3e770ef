//! Every value of a dispatch field, one frame each, against tcpdump: all
//! 64,035 EtherTypes above 802.3's lengths, all 256 IP protocols, UDP
//! datagrams to and from all 65,536 ports and TCP segments to all of them,
//! each with the same 46- or 48-byte payload (the bytes 0, 1, 2 …: most
//! printers find something to say about it, and a byte of 2 at the third
//! place is what AppleTalk in UDP looks for). `sockscope read` and
//! `tcpdump -n -r` print the same lines at the default level and `-v`.
//! These found printers the protocol-by-protocol tests had missed (MS NLB,
//! AppleTalk's third UDP port range, CFM's and PPPoE's old EtherTypes).

mod support;

use support::app_captures::{
    compare_with_tcpdump, damaged_frames_through_every_stage, ethernet_cuts_equal_tcpdump,
};
use support::link_captures::capture;
use support::pflog_captures;
use support::rng::mutation_rounds;
use support::temp_file;
use support::tunnel_captures::{ether, ipv4};

const LEVELS: &[&str] = &["", "-v"];

/// The payload every frame carries: the bytes 0, 1, 2 … `len - 1`.
fn counting(len: u8) -> Vec<u8> {
    (0..len).collect()
}

#[test]
fn every_ethertype_equals_tcpdump() {
    let frames: Vec<Vec<u8>> = (1501..=u16::MAX)
        .map(|t| {
            let mut f = ether(t, &counting(46));
            f.truncate(60);
            f
        })
        .collect();
    let p = temp_file("every_ethertype.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), LEVELS, frames.len());
}

#[test]
fn every_ip_protocol_equals_tcpdump() {
    let frames: Vec<Vec<u8>> = (0..=u8::MAX)
        .map(|proto| ether(0x0800, &ipv4(proto, &counting(48))))
        .collect();
    let p = temp_file("every_ip_protocol.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), LEVELS, frames.len());
}

/// A UDP header from `sport` to `dport` before `payload` (no checksum).
fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let len = (8 + payload.len()) as u16;
    let mut d = [
        sport.to_be_bytes(),
        dport.to_be_bytes(),
        len.to_be_bytes(),
        [0, 0],
    ]
    .concat();
    d.extend_from_slice(payload);
    d
}

#[test]
fn every_udp_port_equals_tcpdump() {
    let payload = counting(48);
    let frames: Vec<Vec<u8>> = (0..=u16::MAX)
        .flat_map(|port| [udp(40000, port, &payload), udp(port, 40000, &payload)])
        .map(|d| ether(0x0800, &ipv4(17, &d)))
        .collect();
    let p = temp_file("every_udp_port.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), LEVELS, frames.len());
}

/// A TCP header (PSH|ACK, 20 bytes, no checksum) from 40000 to `dport`
/// before `payload`.
fn tcp(dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut s = [
        &40000u16.to_be_bytes()[..],
        &dport.to_be_bytes(),
        &1000u32.to_be_bytes(),
        &2000u32.to_be_bytes(),
        &[0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0],
    ]
    .concat();
    s.extend_from_slice(payload);
    s
}

#[test]
fn every_tcp_port_equals_tcpdump() {
    let payload = counting(48);
    let frames: Vec<Vec<u8>> = (0..=u16::MAX)
        .map(|port| ether(0x0800, &ipv4(6, &tcp(port, &payload))))
        .collect();
    let p = temp_file("every_tcp_port.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), LEVELS, frames.len());
}

/// An IPv6 header (::1 > ::2, hop limit 64) of next header `nh` before
/// `payload`.
fn ipv6(nh: u8, payload: &[u8]) -> Vec<u8> {
    let len = payload.len() as u16;
    let mut p = [&[0x60, 0, 0, 0][..], &len.to_be_bytes(), &[nh, 64]].concat();
    for last in [1, 2] {
        p.extend_from_slice(&[0; 15]);
        p.push(last);
    }
    p.extend_from_slice(payload);
    p
}

#[test]
fn every_ipv6_next_header_equals_tcpdump() {
    let frames: Vec<Vec<u8>> = (0..=u8::MAX)
        .map(|nh| ether(0x86dd, &ipv6(nh, &counting(48))))
        .collect();
    let p = temp_file("every_ipv6_next_header.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-x"], frames.len());
}

/// Routing headers of types 0, 2, 4 and an unknown one, of lengths 0 to
/// 5 (an odd one cannot hold whole addresses: tcpdump's ` (invalid
/// length 3) (invalid)` after the fixed fields), with segment routing's
/// last entry 0, 1 and 3 (tcpdump prints as many addresses as the length
/// holds, whatever the last entry says), each whole and cut at every
/// length after the IPv6 header.
#[test]
fn routing_header_lengths_equal_tcpdump() {
    let mut frames = Vec::new();
    for kind in [0, 2, 4, 7] {
        for len in 0..=5u8 {
            for last in [0, 1, 3] {
                let mut rt = vec![59, len, kind, 1, last, 0, 0, 5];
                rt.extend((0..usize::from(len) * 8).map(|i| (i % 16) as u8));
                rt.extend_from_slice(&[0; 4]);
                frames.push(ether(0x86dd, &ipv6(43, &rt)));
            }
        }
    }
    let p = temp_file("routing_lengths.pcap", capture(1, &frames, usize::MAX));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-x", "-e"], frames.len());
}

/// Linux cooked packets (v1 and v2) of every protocol number: 802.3 and
/// 802.2's, the small numbers the kernel uses, every EtherType; tcpdump's
/// cooked printer dumps the ones it has no printer for.
#[test]
fn every_cooked_protocol_equals_tcpdump() {
    let payload = counting(46);
    let protocols = 0..=u16::MAX;
    let v1: Vec<Vec<u8>> = protocols
        .clone()
        .map(|t| {
            let head = [
                &[0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0][..],
                &t.to_be_bytes(),
            ]
            .concat();
            [head, payload.clone()].concat()
        })
        .collect();
    let v2: Vec<Vec<u8>> = protocols
        .map(|t| {
            let head = [
                &t.to_be_bytes()[..],
                &[0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0],
            ]
            .concat();
            [head, payload.clone()].concat()
        })
        .collect();
    for (link, name, frames) in [(113, "every_sll.pcap", v1), (276, "every_sll2.pcap", v2)] {
        let p = temp_file(name, capture(link, &frames, 0));
        compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-e"], frames.len());
    }
}

/// GRE version 0 of every protocol type: the tunnels tcpdump's GRE
/// printer follows, AppleTalk and IPX, OSI's 0x00fe, and `gre-proto-0x…`
/// for the rest (PPPoE, multicast MPLS and NSH among them, which other
/// carriers decode).
#[test]
fn every_gre_protocol_equals_tcpdump() {
    let payload = counting(48);
    let frames: Vec<Vec<u8>> = (0..=u16::MAX)
        .map(|proto| {
            let gre = [&[0, 0][..], &proto.to_be_bytes(), &payload].concat();
            ether(0x0800, &ipv4(47, &gre))
        })
        .collect();
    let p = temp_file("every_gre_protocol.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-e"], frames.len());
}

/// IPv4 headers with options (NOPs, then a bad one), first and later
/// fragments of ICMP, TCP, EGP and UDP, each cut at every length: a later
/// fragment whose options the capture cut is `ip-proto-8` after the
/// hosts, a first one tcpdump's `[remaining caplen(49) < header
/// length(52)]`.
#[test]
fn ipv4_headers_cut_in_their_options_equal_tcpdump() {
    let mut frames = Vec::new();
    for ihl in [6u8, 9, 13, 15] {
        for offset in [0u16, 1, 0x2000, 0x2830] {
            for proto in [1u8, 6, 8, 17] {
                let mut h = vec![0x40 | ihl, 0, 1, 2, 3, 4];
                h.extend_from_slice(&offset.to_be_bytes());
                h.extend_from_slice(&[7, proto, 0, 0, 11, 12, 13, 14, 15, 16, 17, 18]);
                let options = usize::from(ihl) * 4 - 20;
                h.extend((0..options).map(|i| if i + 3 < options { 1 } else { 0x27 }));
                h.extend_from_slice(&counting(16));
                frames.push(ether(0x0800, &h));
            }
        }
    }
    let p = temp_file("ipv4_cut_options.pcap", capture(1, &frames, usize::MAX));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-x"], frames.len());
}

/// IPv4 timestamp options of every type (a bad one too) and route
/// options, of lengths that leave their last slot short, with pointers
/// on and off the slots and overflow counts, alone in the header or
/// before NOPs or an EOL, each whole and cut at every length: tcpdump
/// reads a last slot on past the option (into the next options or the
/// ICMP message after the header) and, where the capture ends first,
/// stops with ` [truncated-option]` and `src > dst:  [|ip]`.
#[test]
fn ipv4_timestamp_and_route_slots_past_the_option_equal_tcpdump() {
    let mut options = Vec::new();
    for len in [2u8, 3, 4, 5, 8, 10, 12, 13, 14, 16, 20, 22] {
        for flags in [0x00u8, 0x01, 0x03, 0x02, 0x31] {
            for ptr in [1u8, 5, 9, 13] {
                options.push([&[68, len, ptr, flags][..], &counting(32)].concat());
            }
        }
    }
    for code in [7u8, 131, 137] {
        for len in [3u8, 5, 7, 8, 11, 12, 14] {
            for ptr in [4u8, 8] {
                options.push([&[code, len, ptr][..], &counting(32)].concat());
            }
        }
    }
    let mut frames = Vec::new();
    for (i, opt) in options.iter().enumerate() {
        let len = usize::from(opt[1]);
        let area = len.div_ceil(4) * 4 + [0, 4, 4][i % 3];
        let mut o = opt.clone();
        o.truncate(len);
        o.resize(area, if i % 3 == 2 { 0 } else { 1 });
        let ihl = 5 + area / 4;
        let mut h = vec![0x40 | ihl as u8, 0, 0, 0, 0, 1, 0, 0, 64, 1, 0, 0];
        h.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
        h.extend_from_slice(&o);
        let echo = icmp(8, 0, &[0, 7, 0, 1, 0xc0, 0, 2, 9]);
        let total = (h.len() + echo.len()) as u16;
        h[2..4].copy_from_slice(&total.to_be_bytes());
        let sum = support::tunnel_captures::checksum(&h);
        h[10..12].copy_from_slice(&sum.to_be_bytes());
        h.extend_from_slice(&echo);
        frames.push(ether(0x0800, &h));
    }
    let p = temp_file("ipv4_slots.pcap", capture(1, &frames, usize::MAX));
    compare_with_tcpdump(
        &p.to_string_lossy(),
        &["", "-v", "-x", "-v -x"],
        frames.len(),
    );
}

/// An ICMP message of `icmp_type` and `code` before `body`, its checksum
/// right.
fn icmp(icmp_type: u8, code: u8, body: &[u8]) -> Vec<u8> {
    let mut m = [&[icmp_type, code, 0, 0][..], body].concat();
    let sum = support::tunnel_captures::checksum(&m);
    m[2..4].copy_from_slice(&sum.to_be_bytes());
    m
}

/// Every ICMP type with every code (types past 44 with codes 0 and 255):
/// the same 44 bytes after the type, code and checksum (an error then
/// quotes an invalid IP header, version 0, from which tcpdump still reads
/// the destination, protocol and port: `ICMP net 20.21.22.23 unreachable`,
/// `ICMP 20.21.22.23 protocol 13 port 5655 unreachable`, `-v` `IP0
/// (invalid)`).
#[test]
fn every_icmp_type_and_code_equals_tcpdump() {
    let body = counting(44);
    let frames: Vec<Vec<u8>> = (0..=u8::MAX)
        .flat_map(|t| {
            let codes: Vec<u8> = if t < 45 {
                (0..=u8::MAX).collect()
            } else {
                vec![0, 255]
            };
            codes.into_iter().map(move |c| (t, c))
        })
        .map(|(t, c)| ether(0x0800, &ipv4(1, &icmp(t, c, &body))))
        .collect();
    let p = temp_file("every_icmp_type.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), LEVELS, frames.len());
}

/// Timestamp requests and replies and address mask requests and replies
/// of every length from their 8-byte header to past their fields, each
/// whole and cut at every length: tcpdump's `time stamp query id 1 seq 2`,
/// `time stamp reply id 1 seq 2: org 01:02:03.004, recv …, xmit …` (the
/// hours counted on past 24) and `address mask is 0xffffff00`, its mark
/// when a reply is too short for them.
#[test]
fn icmp_timestamps_and_masks_equal_tcpdump() {
    let mut frames = Vec::new();
    let times = [
        [0u32, 86_399_999, 86_400_000],
        [3_723_004, 0x8000_0000, u32::MAX],
    ];
    for t in [13u8, 14, 17, 18] {
        for len in 0..=16 {
            let mut body = vec![0, 1, 0, 2];
            for v in times[len % 2] {
                body.extend_from_slice(&v.to_be_bytes());
            }
            body.truncate(len);
            frames.push(ether(0x0800, &ipv4(1, &icmp(t, 0, &body))));
        }
    }
    let p = temp_file("icmp_timestamps.pcap", capture(1, &frames, usize::MAX));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-x"], frames.len());
}

/// ICMP errors (unreachable by every code, redirect, time exceeded,
/// parameter problem, source quench) quoting a valid IPv4 header of ICMP,
/// TCP, UDP and GRE with 8 bytes after it, each whole and cut at every
/// length: a port unreachable names the quoted protocol (`udp port 53`,
/// `protocol 47 port 2048`).
#[test]
fn icmp_errors_quoting_each_protocol_equal_tcpdump() {
    let mut frames = Vec::new();
    for proto in [1u8, 6, 17, 47] {
        let mut quoted = ipv4(proto, &[0x04, 0xd2, 0x00, 0x35, 0, 28, 0, 0]);
        quoted[2..4].copy_from_slice(&200u16.to_be_bytes());
        let errors =
            (0..=15)
                .map(|code| (3, code))
                .chain([(5, 1), (11, 0), (11, 1), (12, 0), (4, 0)]);
        for (t, code) in errors {
            let body = [&[0, 0, 5, 0xdc][..], &quoted].concat();
            frames.push(ether(0x0800, &ipv4(1, &icmp(t, code, &body))));
        }
    }
    let p = temp_file("icmp_quoting.pcap", capture(1, &frames, usize::MAX));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-x"], frames.len());
}

/// Whole ICMP messages of 2 to 7 bytes, every type, code 0 and 255
/// (a 3-byte message of code 255 with its third byte made to sum right),
/// unfragmented and as a first fragment: under `-v` tcpdump sums them
/// (not a fragment) and, when a message too short for its checksum field
/// sums wrong, gives up reading that field (` [|icmp]`, its dump from
/// the frame's first byte); 4 to 7 bytes get `(wrong icmp cksum …)`.
#[test]
fn icmp_messages_shorter_than_their_header_equal_tcpdump() {
    let mut frames = Vec::new();
    for t in 0..=u8::MAX {
        for code in [0u8, 255] {
            for len in 2..8usize {
                let mut m = vec![t, code, 0xff - t, 7, 1, 2, 3];
                m.truncate(len);
                frames.push(ether(0x0800, &ipv4(1, &m)));
                if t % 16 == 3 {
                    let frag = support::tunnel_captures::ipv4_fragment(1, 0x2000, &m);
                    frames.push(ether(0x0800, &frag));
                }
            }
        }
    }
    let p = temp_file("icmp_short.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(
        &p.to_string_lossy(),
        &["", "-v", "-x", "-v -x"],
        frames.len(),
    );
}

/// RFC 4884 extensions after the 128 bytes of datagram an unreachable, a
/// time exceeded or a parameter problem quotes (tcpdump's `-v`: `ICMP
/// Multi-Part extension v2, checksum 0x… (correct), length 12`, then each
/// object and RFC 4950's label stack entries `label 16, tc 0, [S], ttl
/// 1`, other objects in hex): one and two labels, an interface
/// identification object, an unknown class, class 0 and lengths under an
/// object header (where tcpdump stops), an object longer than the area, a
/// wrong checksum with the length field set and with it 0 (then nothing
/// is said), version 0, an area shorter than its header (tcpdump's count
/// wraps and the capture's end stops it), an echo reply of the same
/// length (no extension). Each whole and cut at every length.
#[test]
fn icmp_multipart_extensions_equal_tcpdump() {
    let mut quoted = ipv4(17, &[0xa5, 0x4b, 0x82, 0x9b, 0, 20, 0, 0]);
    quoted.extend_from_slice(b"traceroute12");
    quoted.resize(128, 0);
    // An extension header of `version` and `objects`, its sum right
    // unless `bad`.
    let area = |version: u8, objects: &[u8], bad: bool| {
        let mut a = [&[version << 4, 0, 0, 0][..], objects].concat();
        let sum = support::tunnel_captures::checksum(&a) ^ u16::from(bad);
        a[2..4].copy_from_slice(&sum.to_be_bytes());
        a
    };
    let label = |l: u32, s: bool| (l << 12 | 5 << 9 | u32::from(s) << 8 | 1).to_be_bytes();
    let one = [&[0, 8, 1, 1][..], &label(100_704, true)].concat();
    let two = [
        &[0, 12, 1, 1][..],
        &label(16, false),
        &label(1_048_575, true),
    ]
    .concat();
    let iface = [&[0, 20, 2, 14, 0, 0, 0, 15, 0, 1, 0, 0][..], &[10; 8]].concat();
    let unknown = [&[0, 7, 5, 3][..], b"abc"].concat();
    let areas = [
        (32, area(2, &one, false)),
        (32, area(2, &two, false)),
        (0, area(2, &one, false)),
        (0, area(2, &one, true)),
        (32, area(2, &one, true)),
        (32, area(2, &[&one[..], &iface, &unknown].concat(), false)),
        (
            32,
            area(2, &[&one[..], &[0, 8, 0, 1, 0, 0, 0, 0]].concat(), false),
        ),
        (
            32,
            area(2, &[&one[..], &[0, 2, 1, 1, 0, 0, 0, 0]].concat(), false),
        ),
        (32, area(2, &[0, 40, 1, 1, 0, 0, 1, 0], false)),
        (32, area(2, &[0, 8, 1, 2, 1, 2, 3, 4, 0, 0], false)),
        (32, area(0, &one, false)),
        (32, vec![0x20, 0]),
        (32, vec![0x20]),
        (32, area(2, &[], false)),
    ];
    let mut frames = Vec::new();
    for (i, (words, area)) in areas.iter().enumerate() {
        let (t, code) = [(11, 0), (3, 3), (12, 0), (3, 4)][i % 4];
        let body = [&[0, *words, 0, 0][..], &quoted, area].concat();
        frames.push(ether(0x0800, &ipv4(1, &icmp(t, code, &body))));
    }
    let echo = [&[0, 32, 0, 0][..], &quoted, &areas[0].1].concat();
    frames.push(ether(0x0800, &ipv4(1, &icmp(0, 0, &echo))));
    let p = temp_file("icmp_multipart.pcap", capture(1, &frames, usize::MAX));
    let levels = ["", "-v", "-vv", "-x", "-v -x", "-v -X"];
    compare_with_tcpdump(&p.to_string_lossy(), &levels, frames.len());
}

/// Every ICMPv6 type, with every code for the errors and the 128-160
/// range, the same 48 bytes after type, code and checksum (errors then
/// quote an invalid IPv6 header, whose destination tcpdump reads all the
/// same; a router advertisement's flags byte 5: tcpdump names no proxy
/// bit; node information's subject a DNS name of odd labels).
#[test]
fn every_icmpv6_type_and_code_equals_tcpdump() {
    let body = counting(52);
    let frames: Vec<Vec<u8>> = (0..=u8::MAX)
        .flat_map(|t| {
            let all = t < 5 || (128..=160).contains(&t);
            let codes: Vec<u8> = if all {
                (0..=u8::MAX).collect()
            } else {
                vec![0, 255]
            };
            codes.into_iter().map(move |c| (t, c))
        })
        .map(|(t, c)| {
            let m = [&[t, c][..], &body[2..]].concat();
            ether(0x86dd, &ipv6(58, &m))
        })
        .collect();
    let p = temp_file("every_icmpv6_type.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-vv"], frames.len());
}

/// BSD loopback (NULL, in either byte order, and LOOP) with address
/// families tcpdump has no printer for, and raw IP (101, 12, 228, 229) of
/// every IP version nibble: `AF Unknown (66051), length 64: ` and the rest
/// in hex (NULL's family read as tcpdump reads it), `unknown ip 0`; each
/// whole and cut at every length.
#[test]
fn null_families_and_raw_ip_versions_equal_tcpdump() {
    let payload = counting(40);
    let families: [[u8; 4]; 5] = [
        [0, 1, 2, 3],
        [3, 2, 1, 0],
        [99, 0, 0, 0],
        [0, 0, 0, 99],
        [2, 0, 0, 0],
    ];
    let null: Vec<Vec<u8>> = families
        .iter()
        .map(|f| [&f[..], &payload].concat())
        .collect();
    let raw: Vec<Vec<u8>> = (0..16u8)
        .map(|v| {
            let mut p = payload.clone();
            p[0] = v << 4 | 5;
            p
        })
        .collect();
    for (link, frames) in [
        (0, &null),
        (108, &null),
        (101, &raw),
        // DLT_RAW's own number, which libpcap reads as raw IP.
        (12, &raw),
        (228, &raw),
        (229, &raw),
    ] {
        let name = format!("link_{link}_unknowns.pcap");
        let p = temp_file(&name, capture(link, frames, usize::MAX));
        compare_with_tcpdump(&p.to_string_lossy(), &["", "-e", "-v", "-x"], frames.len());
    }
}

/// A PPP frame's carriers: PPP's own link type (9), pppd's PPP with its
/// direction byte (166, printed as 9: each frame and its copy with the
/// outbound byte where the address was), PPP in HDLC framing (50, always
/// a two-byte protocol), Frame Relay's NLPID 0xcf (107), a PPPoE session
/// on Ethernet (1) and on PPPoE's own link type (51). `frames` are PPP
/// frames from the address (or protocol) on.
fn ppp_carriers(frames: &[Vec<u8>]) -> [(u32, Vec<Vec<u8>>); 6] {
    let pppd = frames
        .iter()
        .flat_map(|f| match f.strip_prefix(&[0xff]) {
            Some(rest) => vec![f.clone(), [&[1][..], rest].concat()],
            None => vec![f.clone()],
        })
        .collect();
    let fr = frames
        .iter()
        .map(|f| [&[0x18, 0x41, 0x03, 0xcf][..], f].concat())
        .collect();
    let pppoe: Vec<Vec<u8>> = frames
        .iter()
        .map(|f| {
            let len = (f.len() as u16).to_be_bytes();
            [&[0x11, 0, 0x12, 0x34][..], &len[..], f].concat()
        })
        .collect();
    let on_ethernet = pppoe.iter().map(|p| ether(0x8864, p)).collect();
    let hdlc = frames
        .iter()
        .filter(|f| f.starts_with(&[0xff, 0x03]))
        .cloned()
        .collect();
    [
        (9, frames.to_vec()),
        (166, pppd),
        (50, hdlc),
        (107, fr),
        (1, on_ethernet),
        (51, pppoe),
    ]
}

/// Every PPP protocol number after an address and control, and bare
/// (an odd first byte is a one-byte protocol: 0x2bXX is IPX of a byte
/// more), on each carrier: the protocols tcpdump's `handle_ppp` decodes
/// (IPX, MLPPP, VJ, compressed data, MPLS, OSI with IP's, IPv6's and PPP's
/// NLPIDs, IP under its EtherType, BAP's empty print, 0x7e… read again
/// as an HDLC frame) and the names it has for the rest.
#[test]
fn every_ppp_protocol_equals_tcpdump() {
    let payload = counting(48);
    let framed: Vec<Vec<u8>> = (0..=u16::MAX)
        .map(|p| [&[0xff, 0x03][..], &p.to_be_bytes(), &payload].concat())
        .collect();
    let bare: Vec<Vec<u8>> = (0..=u16::MAX)
        .map(|p| [&p.to_be_bytes()[..], &payload].concat())
        .collect();
    let p = temp_file("every_ppp_bare.pcap", capture(9, &bare, 0));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-e", "-x"], bare.len());
    for (link, frames) in ppp_carriers(&framed) {
        let name = format!("every_ppp_{link}.pcap");
        let p = temp_file(&name, capture(link, &frames, 0));
        compare_with_tcpdump(&p.to_string_lossy(), &["", "-e", "-v"], frames.len());
    }
}

/// PPP frames (from the address, or the protocol) of each protocol
/// tcpdump's PPP printer decodes, with each header PPP allows.
fn ppp_frames() -> Vec<Vec<u8>> {
    let ip = ipv4(17, &[0x30, 0x39, 0, 0x35, 0, 8, 0, 0]);
    let ipx = [
        &[0xff, 0xff, 0, 0x1e, 0, 4, 0, 0, 0, 1][..],
        &[0xff; 6],
        &[4, 0x53, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 4, 0x53],
    ]
    .concat();
    let isis = [
        &[0x83, 0x1b, 1, 0, 0x10, 1, 0, 0, 0, 0, 0, 0x1f][..],
        &[0; 20],
    ]
    .concat();
    let bodies: Vec<(u16, Vec<u8>)> = vec![
        (
            0xc021,
            vec![
                1, 1, 0, 0x12, 1, 4, 5, 0xdc, 5, 6, 0x12, 0x34, 0x56, 0x78, 3, 4, 0xc0, 0x23,
            ],
        ),
        (0xc021, vec![9, 1, 0, 8, 0, 0, 0, 0]),
        (
            0x8021,
            vec![1, 1, 0, 0x10, 3, 6, 10, 0, 0, 1, 2, 6, 0, 0x2d, 0x0f, 1],
        ),
        (
            0xc223,
            vec![
                1, 1, 0, 0x0f, 4, 0xde, 0xad, 0xbe, 0xef, b'a', b'b', b'c', b'd',
            ],
        ),
        (
            0xc023,
            vec![1, 1, 0, 0x0c, 3, b'u', b's', b'e', 2, b'p', b'w', 0],
        ),
        (0x80fd, vec![1, 1, 0, 0x0a, 0x11, 4, 0, 0, 0]),
        (0x3d, vec![0xc0, 5, 1, 2, 3, 4, 5]),
        (0x2b, ipx.clone()),
        (0x8137, ipx),
        (0x0281, [&[0, 1, 1, 0x40][..], &ip].concat()),
        (0x23, isis),
        (0x23, [&[0xcc][..], &ip].concat()),
        (0x23, [&[0xcf, 0, 0x21][..], &ip].concat()),
        (0x7e21, ip.clone()),
        (0x7eff, [&[0x7d, 0x23, 0, 0x21][..], &ip].concat()),
        (0xfd, vec![0; 8]),
        (0x2d, vec![0; 8]),
        (0x2f, ip.clone()),
        (0x0800, ip.clone()),
        (0x21, ip),
        (0xc02d, vec![0; 8]),
        (0x1234, vec![0; 8]),
    ];
    let mut frames = Vec::new();
    for (proto, body) in &bodies {
        let two = proto.to_be_bytes();
        frames.push([&[0xff, 0x03][..], &two, body].concat());
        frames.push([&[0x00, 0x03][..], &two, body].concat());
        frames.push([&two[..], body].concat());
        if *proto < 0x100 && proto % 2 == 1 {
            frames.push([&[*proto as u8][..], body].concat());
        }
    }
    frames
}

/// PPP frames of the protocols tcpdump decodes, with each header PPP
/// allows (address and control, pppd's direction, none, a one-byte
/// protocol), whole and cut at every length, on each carrier: the cut
/// marks (`MLPPP, [|mlppp]`, ` [|ppp_hdlc]`), the `-x` dump's start
/// (four bytes into a PPP link frame, however long its header), and
/// HDLC escapes (`0x7d 0x23` is 0x03) in a 0x7e… frame.
#[test]
fn ppp_frames_cut_everywhere_equal_tcpdump() {
    let frames = ppp_frames();
    for (link, frames) in ppp_carriers(&frames) {
        let name = format!("ppp_cuts_{link}.pcap");
        let p = temp_file(&name, capture(link, &frames, usize::MAX));
        compare_with_tcpdump(
            &p.to_string_lossy(),
            &["", "-e", "-x", "-e -x", "-vv"],
            frames.len(),
        );
    }
}

/// Ethernet frames of Realtek's protocols, Alteon's jumbo frames and the
/// old 0x9200 VLAN tag.
fn realtek_jumbo_old_tag_frames() -> Vec<Vec<u8>> {
    let ip = ipv4(17, &[0x30, 0x39, 0, 0x35, 0, 8, 0, 0]);
    let counting_from_2: Vec<u8> = (2..44).collect();
    let mut frames = Vec::new();
    for kind in [1u8, 2, 3, 0x23, 4, 0x95, 0xa7, 0x42] {
        for op in [0u8, 1, 2, 3, 0x80, 0x81, 0x82, 0xff] {
            frames.push(ether(0x8899, &[&[kind, op][..], &counting_from_2].concat()));
            if kind != 1 {
                break;
            }
        }
    }
    let llcs: Vec<Vec<u8>> = vec![
        [&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0][..], &ip].concat(),
        [&[0x42, 0x42, 3][..], &[0; 35]].concat(),
        [&[0xe0, 0xe0, 3][..], &[0; 30]].concat(),
        [&[0xf0, 0xf0, 3][..], &[0; 30]].concat(),
        [&[0x06, 0x06, 3][..], &ip].concat(),
        vec![0, 0, 3],
    ];
    for l in &llcs {
        frames.push(ether(0x8870, l));
        frames.push(ether(0x8100, &[&[0, 5, 0x88, 0x70][..], l].concat()));
    }
    let arp = [
        &[0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 168, 0, 1][..],
        &[0, 0, 0, 0, 0, 0, 192, 168, 0, 2],
    ]
    .concat();
    let carried: Vec<Vec<u8>> = vec![
        [&[0x20, 5, 8, 0][..], &ip].concat(),
        [&[0, 5, 0x81, 0, 0, 6, 8, 0][..], &ip].concat(),
        [&[0, 5, 0x92, 0, 0, 6, 8, 0][..], &ip].concat(),
        [&[0, 5, 8, 6][..], &arp].concat(),
        [&[0, 5, 0x88, 0xcc][..], &[0; 20]].concat(),
        [&[0, 5, 0, 0x26, 0x42, 0x42, 3][..], &[0; 35]].concat(),
        [&[0, 5, 0x12, 0x34][..], &[0; 20]].concat(),
    ];
    for c in &carried {
        frames.push(ether(0x9200, c));
        frames.push(ether(0x8100, &[&[0, 7, 0x92, 0][..], c].concat()));
    }
    frames
}

/// Frames of the three EtherTypes the first sweep found undecoded, whole
/// and cut at every length: Realtek's (0x8899: RRCP's queries and
/// replies of each opcode, REP, RLDP's two types, the DSA tags, an
/// unknown type), Alteon's jumbo frames (0x8870: the LLC PDUs 802.3
/// frames carry, behind a VLAN tag too) and the old VLAN tag 0x9200
/// (alone, stacked with 802.1Q, before IP, ARP, LLDP, an LLC PDU and an
/// unknown type).
#[test]
fn realtek_jumbo_and_old_tag_frames_equal_tcpdump() {
    let frames = realtek_jumbo_old_tag_frames();
    ethernet_cuts_equal_tcpdump(
        (
            "realtek_jumbo_old_tag.pcap",
            "Realtek, jumbo, 0x9200 frames",
        ),
        &frames,
        &["", "-e", "-x", "-v"],
        10_000,
    );
}

/// Ethernet frames of ICMPv6 node information queries and replies.
fn node_information_frames() -> Vec<Vec<u8>> {
    let subjects: Vec<(u8, Vec<u8>)> = vec![
        (0, [&[0x20, 1, 0x0d, 0xb8][..], &[0; 11], &[1]].concat()),
        (1, b"\x04host\x07example\x00".to_vec()),
        (1, b"\x04host\x00\x00".to_vec()),
        (1, b"\x04host".to_vec()),
        (1, b"\x09ab\x00".to_vec()),
        (1, b"\x02a\xff\x00\x00\x00".to_vec()),
        (2, vec![192, 0, 2, 1]),
        (2, vec![192, 0, 2, 1, 0]),
        (0, vec![]),
        (3, vec![0xff]),
    ];
    let name = [&300u32.to_be_bytes()[..], b"\x04host\x07example\x00\x00"].concat();
    let addrs = [
        &60u32.to_be_bytes()[..],
        &[0x20, 1, 0x0d, 0xb8],
        &[0; 11],
        &[5],
        &[0, 0, 0, 7],
        &[0; 3],
    ]
    .concat();
    let mut frames = Vec::new();
    for qtype in 0u16..=5 {
        for flags in [0u16, 0x01, 0x3e, 0x7f] {
            let head = |t: u8, code: u8| {
                [
                    &[t, code, 0, 0][..],
                    &qtype.to_be_bytes(),
                    &flags.to_be_bytes(),
                    &[9; 8],
                ]
                .concat()
            };
            for (code, subject) in &subjects {
                let m = [head(139, *code), subject.clone()].concat();
                frames.push(ether(0x86dd, &ipv6(58, &m)));
            }
            for code in 0..=3 {
                for data in [&name[..], &addrs, &[], &[1, 2, 3, 4]] {
                    let m = [head(140, code), data.to_vec()].concat();
                    frames.push(ether(0x86dd, &ipv6(58, &m)));
                }
            }
        }
    }
    // KAME's who-are-you query: the header and four bytes.
    frames.push(ether(
        0x86dd,
        &ipv6(58, &[139, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]),
    ));
    frames
}

/// ICMPv6 node information queries and replies (139, 140) of every query
/// type tcpdump names and one it does not, each subject (IPv6, a DNS name
/// ending in its root label, one padded, draft 03's counted string, an
/// IPv4 address, none, an unknown code) and reply data (names with their
/// TTL, node addresses), with and without flags, whole and cut at every
/// length: the subjects and names as tcpdump prints them, `-v`'s length
/// complaints, a reply cut by the capture `[|icmp6]`.
#[test]
fn node_information_messages_equal_tcpdump() {
    let frames = node_information_frames();
    let p = temp_file("node_information.pcap", capture(1, &frames, usize::MAX));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-x"], frames.len());
}

/// The decoders these sweeps brought (PPP's printer on each carrier,
/// Realtek's, jumbo frames, the 0x9200 tag, node information; pf's log
/// records, `tests/link_pflog.rs`) under damage: `mutation_rounds()` damaged copies of their frames through
/// every stage (a million in a release build): no panic, no loop, lines
/// of bounded length.
#[test]
fn swept_decoders_survive_damage() {
    let ethernet = realtek_jumbo_old_tag_frames()
        .into_iter()
        .chain(node_information_frames())
        .map(|f| (1, f));
    let seeds: Vec<(u32, Vec<u8>)> = ppp_carriers(&ppp_frames())
        .into_iter()
        .flat_map(|(link, frames)| frames.into_iter().map(move |f| (link, f)))
        .chain(ethernet)
        .chain(pflog_captures::records().into_iter().map(|r| (117, r)))
        .chain(wrapped_link_frames())
        .chain(support::link_captures::wlan_header_records())
        .collect();
    let rounds = mutation_rounds();
    let (slowest, longest) = damaged_frames_through_every_stage(&seeds, rounds, 0x5eed_0014);
    eprintln!("{rounds} damaged frames: slowest {slowest:?}, longest line {longest} bytes");
}

/// Frames of the link types that wrap another's: netANALYZER's headers
/// (240, 241) before Ethernet frames, IEEE 802.15.4 frames (195, 230),
/// ipnet records of both families (226), IP over FireWire (138) with IP,
/// ARP and an EtherType its printers decode.
fn wrapped_link_frames() -> Vec<(u32, Vec<u8>)> {
    let mut v = Vec::new();
    for f in realtek_jumbo_old_tag_frames().into_iter().take(40) {
        v.push((240, [&[0x0c, 0, 0x40, 5][..], &f].concat()));
        v.push((
            241,
            [&[0x0c, 0, 0x40, 5][..], &[0x55; 7], &[0xd5], &f].concat(),
        ));
    }
    for f in support::zep_captures::frames() {
        v.push((195, f.clone()));
        v.push((230, f));
    }
    let (v4, v6) = (
        support::link_captures::ipv4_echo(),
        support::link_captures::ipv6_udp(),
    );
    for (family, packet) in [(2u8, &v4), (26, &v6), (7, &v4)] {
        let mut r = vec![1, family, 0, 2];
        r.extend_from_slice(&(packet.len() as u32).to_be_bytes());
        r.extend_from_slice(&[0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 9]);
        r.extend_from_slice(packet);
        v.push((226, r));
    }
    for (t, payload) in [
        (0x0800u16, &v4[..]),
        (0x86dd, &v6),
        (0x88cc, &[2, 7, 4, 0, 1, 2, 3, 4, 5, 6, 0, 0][..]),
    ] {
        let mut f: Vec<u8> = (0..16).collect();
        f.extend_from_slice(&t.to_be_bytes());
        f.extend_from_slice(payload);
        v.push((138, f));
    }
    v
}

/// Cisco HDLC's frames under the link type's other number, 112, which
/// tcpdump prints with the same printer and libpcap filters as 104
/// (`link-type 112` in the first line, then the same lines as 104's),
/// whole and cut at every length, at each level and under filters.
#[test]
fn cisco_hdlc_under_112_equals_tcpdump() {
    let frames: Vec<Vec<u8>> = support::link_captures::all()
        .into_iter()
        .filter(|c| c.link == 104)
        .flat_map(|c| c.frames)
        .collect();
    assert!(!frames.is_empty());
    let p = temp_file("chdlc_112.pcap", capture(112, &frames, usize::MAX));
    compare_with_tcpdump(
        &p.to_string_lossy(),
        &["", "-e", "-x", "-v", "ip", "not ip and not ip6"],
        frames.len(),
    );
}

/// Filters on PPPoE's own link type, which libpcap compiles at PPP's
/// protocol after the six-byte PPPoE header (a two-byte protocol
/// assumed): the same packets pass, whole and cut.
#[test]
fn pppoe_link_filters_equal_tcpdump() {
    let [.., (51, frames)] = ppp_carriers(&ppp_frames()) else {
        panic!("PPPoE's link type is the last carrier");
    };
    let p = temp_file("pppoe_filters.pcap", capture(51, &frames, usize::MAX));
    let filters = [
        "ip",
        "not ip",
        "udp port 53",
        "ip[9] = 17",
        "ether proto 0x0800",
    ];
    compare_with_tcpdump(&p.to_string_lossy(), &filters, 1);
}

/// `link[]` and `ether[]` after `pppoes` read from PPP's protocol field,
/// where libpcap moves its link header (on Ethernet, on PPP whose
/// protocol says PPPoE, and on Frame Relay, whose `pppoes` is false).
#[test]
fn link_bytes_after_pppoes_equal_tcpdump() {
    let filters = [
        "pppoes and link[0] = 0",
        "pppoes and ether[1] = 0x21",
        "pppoes and link[0:2] = 0xc021",
        "pppoes or link[1] = 0x21",
    ];
    let carriers = ppp_carriers(&ppp_frames());
    let [.., (51, sessions)] = &carriers else {
        panic!("PPPoE's link type is the last carrier");
    };
    let on_ppp = sessions
        .iter()
        .map(|s| [&[0xff, 0x03, 0x88, 0x64][..], s].concat())
        .collect();
    let chosen = carriers
        .iter()
        .filter(|(link, _)| [1, 107].contains(link))
        .cloned()
        .chain([(9, on_ppp)]);
    for (link, frames) in chosen {
        let name = format!("pppoes_link_bytes_{link}.pcap");
        let p = temp_file(&name, capture(link, &frames, usize::MAX));
        // `pppoes and …` rejects all packets on Frame Relay, and `vlan`
        // is refused there (tested in `link_ppp_words`).
        let filters: Vec<&str> = filters
            .iter()
            .filter(|f| link != 107 || f.starts_with("pppoes or"))
            .copied()
            .collect();
        compare_with_tcpdump(&p.to_string_lossy(), &filters, 1);
    }
}

/// An 802.3 frame's LLC UI header of SAP 0xaa and SNAP header `oui`,
/// `pid`, then `payload`.
fn snap_frame(oui: u32, pid: u16, payload: &[u8]) -> Vec<u8> {
    let snap = [
        &[0xaa, 0xaa, 3][..],
        &oui.to_be_bytes()[1..],
        &pid.to_be_bytes(),
        payload,
    ]
    .concat();
    let len = snap.len() as u16;
    [
        &[2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a][..],
        &len.to_be_bytes(),
        &snap,
    ]
    .concat()
}

/// Every SNAP protocol id behind the OUIs tcpdump reads EtherTypes or
/// its own protocols behind (encapsulated Ethernet, Cisco's bridged
/// OUI, Cisco's, RFC 2684 bridging, Apple's): ISO CLNS (its first byte
/// skipped, as after EtherType 0xfefe), RARP, CALM FAST (naming the
/// source), MACsec's and VLAN tags' types (not followed there).
#[test]
fn every_snap_protocol_equals_tcpdump() {
    let payload = counting(48);
    let frames: Vec<Vec<u8>> = [0x000000, 0x0000f8, 0x00000c, 0x0080c2, 0x080007]
        .into_iter()
        .flat_map(|oui| (0..=u16::MAX).map(move |pid| (oui, pid)))
        .map(|(oui, pid)| snap_frame(oui, pid, &payload))
        .collect();
    let p = temp_file("every_snap_pid.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-e"], frames.len());
}

/// The SNAP protocols the sweep above found, with real payloads, whole
/// and cut at every length: ISO CLNS (IS-IS, an IPv4 NLPID), RARP,
/// CALM FAST, MACsec.
#[test]
fn snap_osi_rarp_calm_fast_and_macsec_cut_equal_tcpdump() {
    let isis = [
        &[0x00, 0x83, 0x1b, 1, 0, 0x10, 1, 0, 0, 0, 0, 0, 0x1f][..],
        &[0; 20],
    ]
    .concat();
    let rarp = [
        &[0, 1, 8, 0, 6, 4, 0, 3, 2, 0, 0, 0, 0, 1, 192, 168, 0, 1][..],
        &[2, 0, 0, 0, 0, 2, 192, 168, 0, 2],
    ]
    .concat();
    let calm = [&[0, 1, 2, 3, 4, 5, 0xa0][..], &counting(40)].concat();
    let mut frames = Vec::new();
    for oui in [0x000000, 0x0000f8] {
        frames.push(snap_frame(oui, 0xfefe, &isis));
        frames.push(snap_frame(oui, 0x8035, &rarp));
        frames.push(snap_frame(oui, 0x1111, &calm));
        frames.push(snap_frame(oui, 0x88e5, &counting(40)));
    }
    ethernet_cuts_equal_tcpdump(
        ("snap_cuts.pcap", "SNAP OSI, RARP, CALM FAST, MACsec frames"),
        &frames,
        // `-v -x`: CALM FAST's own dump of a cut frame ends with a
        // `longjmp`, and tcpdump's dump then starts at the frame.
        &["", "-e", "-x", "-v", "-v -x"],
        1_000,
    );
}

/// CALM FAST's and MACsec's printers under damage, each on its own:
/// `mutation_rounds()` damaged copies of their frames (CALM FAST's network
/// references with and without data, bare and behind SNAP; every MACsec
/// frame of `tests/support/macsec_captures.rs`) through every stage (a
/// million each in a release build): no panic, no loop, bounded lines.
#[test]
fn calm_fast_and_macsec_frames_survive_damage() {
    let long = counting(40);
    let bodies: [&[u8]; 5] = [&[], &[1], &[1, 2], b"\x03\x04data", &long];
    let mut calm = Vec::new();
    for body in bodies {
        calm.push((1, ether(0x1111, body)));
        calm.push((1, snap_frame(0x000000, 0x1111, body)));
    }
    let macsec: Vec<(u32, Vec<u8>)> = support::macsec_captures::frames()
        .into_iter()
        .map(|f| (1, f))
        .collect();
    let rounds = mutation_rounds();
    for (name, seeds, seed) in [
        ("CALM FAST", calm, 0x5eed_0015),
        ("MACsec", macsec, 0x5eed_0016),
    ] {
        let (slowest, longest) = damaged_frames_through_every_stage(&seeds, rounds, seed);
        eprintln!(
            "{rounds} damaged {name} frames: slowest {slowest:?}, longest line {longest} bytes"
        );
    }
}

/// ARP with Frame Relay hardware addresses (type 15, InARP's), each a
/// Q.922 address of 0 to 4 bytes made of bytes with and without the EA
/// bit: `DLCI 100`, `<Invalid DLCI>` (an EA bit too early, or none by the
/// fourth byte) and `<Truncated>` (the address's length ends first), as
/// tcpdump's `q922_string` names them.
#[test]
fn frame_relay_arp_addresses_equal_tcpdump() {
    let bytes = [0x00u8, 0x01, 0x40, 0x41, 0xfe];
    let mut addrs: Vec<Vec<u8>> = vec![Vec::new()];
    for len in 1..=4u32 {
        for n in 0..bytes.len().pow(len) {
            let addr = (0..len as usize)
                .map(|i| bytes[n / bytes.len().pow(i as u32) % bytes.len()])
                .collect();
            addrs.push(addr);
        }
    }
    let mut frames = Vec::new();
    for (i, addr) in addrs.iter().enumerate() {
        let op: u16 = [8, 9, 1][i % 3];
        let hlen = addr.len() as u8;
        let body = [
            &[0, 15, 8, 0, hlen, 4][..],
            &op.to_be_bytes(),
            addr,
            &[10, 0, 0, 1],
            addr,
            &[10, 0, 0, 2],
        ]
        .concat();
        frames.push(ether(0x0806, &body));
    }
    let p = temp_file("frame_relay_arp.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-v", "-e"], frames.len());
}

/// BOOTP's first bytes cut at every length, for each op (request, reply,
/// unknown) and hardware type and length: tcpdump reads the op, the
/// type and the length before it prints the length word, so a capture
/// ending before the hardware length is ` [|bootp]` whatever the type
/// (found by the wider check on `filter_raw.pcap` cut at 30 bytes).
#[test]
fn bootp_first_bytes_cut_equal_tcpdump() {
    let mut frames = Vec::new();
    for op in [1u8, 2, 0x64] {
        for (htype, hlen) in [(1u8, 6u8), (6, 6), (1, 0), (0x20, 20)] {
            let mut bootp = vec![op, htype, hlen, 0, 1, 2, 3, 4];
            bootp.resize(48, 0);
            let len = (8 + bootp.len()) as u16;
            let udp = [
                &68u16.to_be_bytes()[..],
                &67u16.to_be_bytes(),
                &len.to_be_bytes(),
                &[0, 0],
                &bootp,
            ]
            .concat();
            frames.push(ether(0x0800, &ipv4(17, &udp)));
        }
    }
    ethernet_cuts_equal_tcpdump(
        ("bootp_first_bytes.pcap", "BOOTP first bytes"),
        &frames,
        &["", "-v"],
        1_000,
    );
}

/// An 802.3 frame carrying the LLC PDU `llc`.
fn llc_frame(llc: &[u8]) -> Vec<u8> {
    let len = llc.len() as u16;
    [
        &[2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a][..],
        &len.to_be_bytes(),
        llc,
    ]
    .concat()
}

/// Every DSAP and SSAP pair of an LLC UI frame, and every control byte
/// (with the next byte 0, 1 and 0xff: the second byte of an I or S
/// frame's control) for the SAPs tcpdump decodes and one it does not.
#[test]
fn every_llc_sap_pair_and_control_equals_tcpdump() {
    let payload = counting(48);
    let pairs = (0..=u16::MAX).map(|saps| {
        let [dsap, ssap] = saps.to_be_bytes();
        llc_frame(&[&[dsap, ssap, 3][..], &payload].concat())
    });
    let controls = [0x42u8, 0x06, 0xaa, 0xe0, 0xf0, 0xfe, 0x12]
        .into_iter()
        .flat_map(|sap| (0..=u8::MAX).map(move |control| (sap, control)))
        .flat_map(|(sap, control)| [0u8, 1, 0xff].map(|next| [sap, sap, control, next]))
        .map(|head| llc_frame(&[&head[..], &payload].concat()));
    let frames: Vec<Vec<u8>> = pairs.chain(controls).collect();
    let p = temp_file("every_llc.pcap", capture(1, &frames, 0));
    compare_with_tcpdump(&p.to_string_lossy(), &["", "-e"], frames.len());
}
