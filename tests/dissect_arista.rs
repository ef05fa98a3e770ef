//! Arista's vendor header (EtherType 0xd28b) on Ethernet frames (behind
//! VLAN tags too, and before tags, 802.3 or another Arista header) as
//! tcpdump's Arista printer words it: the sub-type, the version word's
//! time scale, format and hardware, the 64-bit (a UTC date) or 48-bit
//! hardware timestamp, then the packet behind the EtherType inside (IPv4,
//! IPv6, ARP, MPLS, an unknown one), or, for an unknown sub-type or
//! format, the frame's unknown-EtherType words and hex; on a capture built
//! here, each frame whole and cut at every length, byte for byte what
//! `tcpdump -n -r` prints at every level of the tunnel tests, and damaged
//! copies through every stage.

mod support;

use support::app_captures::{damaged_ethernet_frames, ethernet_cuts_equal_tcpdump};
use support::link_captures::{ipv4_echo, ipv6_udp};
use support::tunnel_captures::LEVELS;

/// An Ethernet frame of EtherType 0xd28b: `subtype`, the version word,
/// the timestamp's bytes, then `inner` (its EtherType first).
fn arista(subtype: u16, version: u16, stamp: &[u8], inner: &[u8]) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a, 0xd2, 0x8b];
    f.extend_from_slice(&subtype.to_be_bytes());
    f.extend_from_slice(&version.to_be_bytes());
    f.extend_from_slice(stamp);
    f.extend_from_slice(inner);
    f
}

fn typed(t: u16, payload: &[u8]) -> Vec<u8> {
    [&t.to_be_bytes()[..], payload].concat()
}

/// 64-bit stamps (seconds, nanoseconds: one past a second carries), a
/// 48-bit one; each time scale, format and hardware value named and
/// unknown; sub-type 0; IPv4, IPv6, ARP, MPLS and an unknown EtherType
/// inside.
fn arista_frames() -> Vec<Vec<u8>> {
    let ip = typed(0x0800, &ipv4_echo());
    let stamp64 = |secs: u32, nanos: u32| [secs.to_be_bytes(), nanos.to_be_bytes()].concat();
    let stamp48 = |secs: u16, nanos: u32| [&secs.to_be_bytes()[..], &nanos.to_be_bytes()].concat();
    let arp = [0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 0x0a, 192, 0, 2, 1]
        .into_iter()
        .chain([0; 6])
        .chain([192, 0, 2, 2])
        .collect::<Vec<u8>>();
    let mut mpls = vec![0, 1, 0x11, 0x40];
    mpls.extend_from_slice(&ipv4_echo());
    let mut frames = vec![
        arista(1, 0x0010, &stamp64(1_700_000_000, 5), &ip),
        arista(
            1,
            0x0010,
            &stamp64(5, u32::MAX),
            &typed(0x86dd, &ipv6_udp()),
        ),
        arista(1, 0x0020, &stamp48(7, 1_999_999_999), &ip),
        arista(1, 0x0020, &stamp48(0, 123), &typed(0x0806, &arp)),
        arista(1, 0x0111, &stamp64(1, 1), &typed(0x8847, &mpls)),
        arista(1, 0x0010, &stamp64(1, 1), &typed(0x1234, b"unknown type")),
        arista(2, 0x0010, &stamp64(1, 1), &ip),
        arista(0, 0x0010, &[], &ip),
    ];
    for version in [0x0000, 0x0030, 0x00f0, 0x0212, 0xff1f, 0x021f] {
        frames.push(arista(1, version, &stamp64(1, 2), &ip));
    }
    frames.extend(nested_frames());
    frames
}

/// The header's words without the frame's Ethernet header: sub-type,
/// version, a 64-bit stamp, then `inner` (its EtherType first).
fn header(subtype: u16, version: u16, inner: &[u8]) -> Vec<u8> {
    let stamp = [1_700_000_000u32.to_be_bytes(), 5u32.to_be_bytes()].concat();
    [
        &subtype.to_be_bytes()[..],
        &version.to_be_bytes(),
        &stamp,
        inner,
    ]
    .concat()
}

/// What tcpdump's Ethernet printer reads around the header: VLAN tags
/// before it (802.1Q, QinQ), and after it VLAN tags, another Arista
/// header (straight, or behind a tag), an 802.3 length and LLC; unknown
/// sub-types and formats behind tags and inside another header.
fn nested_frames() -> Vec<Vec<u8>> {
    let ip = typed(0x0800, &ipv4_echo());
    let tag = |vid: u8, t: u16, inner: &[u8]| typed(t, &[&[0, vid][..], inner].concat());
    let ethernet = |t: u16, payload: &[u8]| {
        let mut f = vec![0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a];
        f.extend_from_slice(&typed(t, payload));
        f
    };
    let in_arista = |inner: &[u8]| typed(0xd28b, &header(1, 0x0010, inner));
    let llc = [&[6, 6, 3][..], &ipv4_echo()].concat();
    let ieee8023 = typed(llc.len() as u16, &llc);
    vec![
        ethernet(0x8100, &[&[0, 5][..], &in_arista(&ip)].concat()),
        ethernet(
            0x88a8,
            &[
                &[0, 5][..],
                &tag(6, 0x8100, &in_arista(&typed(0x86dd, &ipv6_udp()))),
            ]
            .concat(),
        ),
        ethernet(0xd28b, &header(1, 0x0010, &tag(7, 0x8100, &ip))),
        ethernet(0xd28b, &header(1, 0x0020, &in_arista(&ip))),
        ethernet(0xd28b, &header(1, 0x0010, &tag(9, 0x8100, &in_arista(&ip)))),
        ethernet(0xd28b, &header(1, 0x0010, &ieee8023)),
        ethernet(
            0x8100,
            &[&[0, 5][..], &typed(0xd28b, &header(2, 0x0010, &ip))].concat(),
        ),
        ethernet(
            0xd28b,
            &header(1, 0x0010, &typed(0xd28b, &header(3, 0x0010, &ip))),
        ),
        ethernet(
            0xd28b,
            &header(1, 0x0010, &typed(0xd28b, &header(1, 0x0030, &ip))),
        ),
    ]
}

#[test]
fn arista_lines_equal_tcpdump() {
    let names = ("arista.pcap", "Arista");
    ethernet_cuts_equal_tcpdump(names, &arista_frames(), LEVELS, 20_000);
}

/// Damaged copies through the decoder, the line printer at each level,
/// the JSON and the flow view: no panic, no loop, bounded lines.
#[test]
fn damaged_arista_frames_never_panic_or_loop() {
    let rounds = support::rng::mutation_rounds();
    damaged_ethernet_frames(
        "Arista frames",
        arista_frames(),
        rounds,
        0x0014_a715_0000_0001,
    );
}
