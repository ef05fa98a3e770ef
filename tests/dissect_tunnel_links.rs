//! What GRE version 0's routing bit brings (RFC 1701's source route
//! entries: IPv4 addresses and AS numbers, the next hop starred, and what
//! tcpdump finds wrong with an entry's offset or length) and 802.3 frames
//! inside tunnels (transparent Ethernet bridging over GRE, VXLAN and
//! Geneve: LLC I, S and U frames to SAPs nobody decodes, STP, IPX and IP
//! behind ISO's NLPID), on captures built here: each frame whole and cut
//! at every length, byte for byte what `tcpdump -n -r` prints at every
//! level of the tunnel tests, and damaged copies through every stage.

mod support;

use support::app_captures::{damaged_ethernet_frames, ethernet_cuts_equal_tcpdump};
use support::link_captures::ipv4_echo;
use support::tunnel_captures::{LEVELS, gre, over_ipv4, over_udp};

/// A GRE version 0 packet with the routing bit (and so the checksum and
/// offset word) whose source route entries are `sres` (address family,
/// offset, the addresses), ended by the null entry, carrying `inner`.
fn routed(sres: &[(u16, u8, &[u8])], inner: &[u8]) -> Vec<u8> {
    let mut g = gre(0x4000, 0x0800, &[0]);
    for &(family, offset, addresses) in sres {
        g.extend_from_slice(&family.to_be_bytes());
        g.push(offset);
        g.push(u8::try_from(addresses.len()).expect("a short entry"));
        g.extend_from_slice(addresses);
    }
    g.extend_from_slice(&[0; 4]);
    g.extend_from_slice(inner);
    over_ipv4(47, &g)
}

/// Source route entries: IPv4 hops with the next one first, in the
/// middle and last; AS numbers; two entries; offsets and lengths that
/// are no multiple of the address size, an offset at or past the end;
/// an empty IPv4 entry (no null one: its family is set); an unknown
/// family (skipped by its length); a key and sequence number too.
fn gre_route_frames() -> Vec<Vec<u8>> {
    const HOPS: &[u8] = &[10, 0, 0, 1, 10, 0, 0, 2, 10, 0, 0, 3];
    const ASNS: &[u8] = &[0, 1, 0xfd, 0xe8, 0xff, 0xff];
    let ip = ipv4_echo();
    let mut frames = vec![
        routed(&[(0x0800, 0, HOPS)], &ip),
        routed(&[(0x0800, 4, &HOPS[..8])], &ip),
        routed(&[(0x0800, 8, HOPS), (0xfffe, 2, ASNS)], &ip),
        routed(&[(0xfffe, 0, ASNS)], &ip),
        routed(&[(0xfffe, 4, ASNS), (0x0800, 0, &HOPS[..4])], &ip),
        routed(&[(0x0800, 2, &HOPS[..8])], &ip),
        routed(&[(0x0800, 4, &HOPS[..6])], &ip),
        routed(&[(0x0800, 12, HOPS)], &ip),
        routed(&[(0x0800, 16, HOPS)], &ip),
        routed(&[(0xfffe, 1, ASNS)], &ip),
        routed(&[(0xfffe, 2, &ASNS[..3])], &ip),
        routed(&[(0xfffe, 6, ASNS)], &ip),
        routed(&[(0x0800, 0, &[])], &ip),
        routed(&[(0x1234, 0, b"abcd"), (0x0800, 0, &HOPS[..4])], &ip),
    ];
    // Key and sequence number after the routing word, before the entries.
    let mut g = gre(0x7000, 0x0800, &[0, 0x1234, 9]);
    g.extend_from_slice(&[8, 0, 4, 8]);
    g.extend_from_slice(&HOPS[..8]);
    g.extend_from_slice(&[0; 4]);
    g.extend_from_slice(&ip);
    frames.push(over_ipv4(47, &g));
    frames
}

/// An 802.3 frame carrying `llc` (its length field from it).
fn ieee8023(llc: &[u8]) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 0x2b, 0x02, 0, 0, 0, 0, 0x2a];
    f.extend_from_slice(&u16::try_from(llc.len()).expect("short").to_be_bytes());
    f.extend_from_slice(llc);
    f
}

/// 802.3 frames behind GRE's transparent Ethernet bridging, VXLAN and
/// Geneve: I frames (each poll/final bit), S and U frames to unknown
/// SAPs, SAPs that differ, STP's SAP with an I frame and with a BPDU,
/// IPX's SAP, IPv4 behind ISO's SAP and NLPID.
fn tunnelled_llc_frames() -> Vec<Vec<u8>> {
    let mut bpdu = vec![0x42, 0x42, 3];
    bpdu.extend_from_slice(&[0; 35]);
    let mut ipx = vec![0xe0, 0xe0, 3];
    ipx.extend_from_slice(&[0xff; 30]);
    let mut iso_ip = vec![0xfe, 0xfe, 3, 0xcc];
    iso_ip.extend_from_slice(&ipv4_echo());
    let llcs: Vec<Vec<u8>> = vec![
        b"\x42\x43\x00\x02hello".to_vec(),
        b"\x10\x10\x03data".to_vec(),
        b"\x10\x12\x01\x02".to_vec(),
        b"\x10\x11\x00\x03abc".to_vec(),
        b"\x10\x10\x0e\x01xyz".to_vec(),
        b"\x44\x45\x05\x07".to_vec(),
        b"\x10\x10\xaf\x81\x01\x00".to_vec(),
        bpdu,
        ipx,
        iso_ip,
    ];
    let mut frames = Vec::new();
    for llc in &llcs {
        let inner = ieee8023(llc);
        let mut teb = gre(0, 0x6558, &[]);
        teb.extend_from_slice(&inner);
        frames.push(over_ipv4(47, &teb));
        let mut vxlan = vec![8, 0, 0, 0, 0, 0, 42, 0];
        vxlan.extend_from_slice(&inner);
        frames.push(over_udp(4789, &vxlan));
        let mut geneve = vec![0, 0, 0x65, 0x58, 0, 0, 7, 0];
        geneve.extend_from_slice(&inner);
        frames.push(over_udp(6081, &geneve));
    }
    frames
}

#[test]
fn gre_source_routes_equal_tcpdump() {
    let names = ("gre_routes.pcap", "GRE source routes");
    ethernet_cuts_equal_tcpdump(names, &gre_route_frames(), LEVELS, 20_000);
}

#[test]
fn llc_frames_in_tunnels_equal_tcpdump() {
    let names = ("tunnelled_llc.pcap", "802.3 frames in tunnels");
    ethernet_cuts_equal_tcpdump(names, &tunnelled_llc_frames(), LEVELS, 20_000);
}

/// Damaged copies of both sets through the decoder, the line printer at
/// each level, the JSON and the flow view: no panic, no loop, bounded
/// lines (`SOCKSCOPE_MUTATION_ROUNDS=N`).
#[test]
fn damaged_routes_and_tunnelled_llc_never_panic_or_loop() {
    let frames = [gre_route_frames(), tunnelled_llc_frames()].concat();
    let rounds = support::rng::mutation_rounds();
    damaged_ethernet_frames(
        "GRE and tunnelled LLC frames",
        frames,
        rounds,
        0x0014_9e5e_0000_0001,
    );
}
