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

use support::app_captures::compare_with_tcpdump;
use support::link_captures::capture;
use support::temp_file;
use support::tunnel_captures::{ether, ipv4};

const LEVELS: &[&str] = &["", "-v"];

/// The payload every frame carries: the bytes 0, 1, 2 … `len - 1`.
fn counting(len: u8) -> Vec<u8> {
    (0..len).collect()
}

/// EtherTypes tcpdump decodes and sockscope does not yet: Alteon's jumbo
/// frames (0x8870, an LLC header after the type), Realtek's protocols
/// (0x8899: RRCP, loop detection) and the old 0x9200 VLAN tag (tcpdump's
/// Ethernet printer follows it as a tag; etherparse does not).
const NOT_YET: [u16; 3] = [0x8870, 0x8899, 0x9200];

#[test]
fn every_ethertype_equals_tcpdump() {
    let frames: Vec<Vec<u8>> = (1501..=u16::MAX)
        .filter(|t| !NOT_YET.contains(t))
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
    let protocols = (0..=u16::MAX).filter(|t| !NOT_YET.contains(t));
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
