//! Never panic, never loop on a damaged application message: every
//! hand-written DNS message of `tests/support/dns_captures.rs`, damaged
//! [`rounds`] times for each of DNS, mDNS, LLMNR and DNS over TCP (bytes
//! set to label types, pointers and
//! zero, cuts, insertions, header fields at random), goes through each
//! registered UDP dissector at every `-v` level and into JSON. A
//! deterministic generator, so a failure reproduces; the slowest message
//! and the longest line are bounded, which a pointer loop would break.
//! The slowest message is timed on the thread's CPU clock
//! (`support::cpu_clock`), so a loaded CI machine does not trip the limit.

mod support;

use sockscope::dissect::{self, Payload};
use std::time::Duration;
use support::alloc_meter::{Flat, Meter};
use support::cpu_clock::{CpuStopwatch, assert_fast};
use support::{
    bootp_captures, control_captures, dccp_captures, decnet_captures, dhcp6_captures, dns_captures,
    dvmrp_captures, ethertype_captures, ntp_captures, oam_captures, pgm_captures, pim_captures,
    radius_captures, rsvp_captures, snmp_captures, syslog_captures, text_captures, tftp_captures,
};

/// The slowest-message limit counts the decoder's work, not the time the
/// thread waits: 200 ms asleep add almost nothing to the thread's CPU
/// clock, and a busy loop makes it advance (the loop ends only when it
/// has), so a decoder that loops still trips the limit on a loaded machine.
#[test]
fn slowest_message_clock_counts_work_not_waiting() {
    use support::cpu_clock::SLOWEST;
    let asleep = CpuStopwatch::start();
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        asleep.elapsed() < Duration::from_millis(20),
        "{:?}",
        asleep.elapsed()
    );
    let busy = CpuStopwatch::start();
    let mut x = 1u64;
    while busy.elapsed() < Duration::from_millis(50) {
        for _ in 0..10_000 {
            x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
        }
    }
    let spent = busy.elapsed();
    assert!(spent >= Duration::from_millis(50) && spent < SLOWEST);
    assert!(std::panic::catch_unwind(|| assert_fast(SLOWEST, "message")).is_err());
}

/// The memory check can fail: a decoder that keeps one byte per message
/// fails it within 100,000 messages, one that allocates a buffer a
/// length field could claim (16 MiB for a 100-byte message) fails its
/// peak bound, and one that allocates and frees what it works on
/// passes. The meter counts this thread's allocations, and meters nest.
#[test]
fn memory_check_fails_a_leak_and_a_balloon_and_passes_clean_work() {
    use std::hint::black_box;
    use support::alloc_meter::peak_bound;
    let message = [0x5au8; 100];
    // What a decoder does with the message, 100,000 times over.
    let run = |work: &dyn Fn(&[u8]) -> usize| {
        let mut memory = Flat::new();
        for _ in 0..100_000 {
            let meter = Meter::start();
            let line = work(&message);
            memory.record(&meter, &message, line);
        }
        memory.figures()
    };
    let clean = |m: &[u8]| {
        let copy = black_box(m.to_vec());
        let line = black_box(format!("{copy:02x?}"));
        line.len()
    };
    let (peak, net) = run(&clean);
    assert!(peak >= 100 && net == 0, "peak {peak}, net {net}");
    let leak = |m: &[u8]| {
        Box::leak(black_box(Box::new(m[0])));
        0
    };
    let leaked = std::panic::catch_unwind(|| run(&leak));
    assert!(leaked.is_err(), "a byte kept per message went unnoticed");
    // A buffer as large as a length field could claim, for a line of 0.
    let balloon = |m: &[u8]| {
        let buffer = black_box(Vec::<u8>::with_capacity(16 << 20));
        buffer.capacity().min(m.len()) - m.len()
    };
    let ballooned = std::panic::catch_unwind(|| run(&balloon));
    assert!(ballooned.is_err(), "a 16 MiB buffer went unnoticed");
    assert!(peak_bound(100, 0) < 16 << 20);
    // The meter counts: 1000 bytes held, then a 1 MiB buffer freed
    // inside a nested meter still shows in the outer one's peak.
    let outer = Meter::start();
    let held = black_box(vec![1u8; 1000]);
    assert_eq!(outer.net_bytes(), 1000);
    {
        let inner = Meter::start();
        drop(black_box(vec![0u8; 1 << 20]));
        assert_eq!(inner.peak_bytes(), 1 << 20);
        assert_eq!(inner.net_bytes(), 0);
    }
    assert!(outer.peak_bytes() >= 1000 + (1 << 20));
    drop(held);
    assert_eq!(outer.net_bytes(), 0);
}

#[test]
fn damaged_dns_messages_never_panic_or_loop() {
    let mut seeds = dns_captures::messages();
    // Names of many labels and long pointer chains, walked to their end.
    seeds.extend(
        dns_captures::many_labels()
            .into_iter()
            .map(|m| (false, 53, m)),
    );
    let mut rng = dns_captures::rng(0x0bad_d05e_0000_0001);
    // DNS, mDNS and LLMNR (JSON only) all get every message.
    let mut dissectors: Vec<_> = [53u16, 5353, 5355]
        .iter()
        .map(|&port| dissect::udp(40000, port).expect("registered"))
        .collect();
    dissectors.push(dissect::tcp(40000, 53).expect("registered"));
    // `rounds()` for each of the four dissectors.
    let total = rounds() * dissectors.len();
    let (mut slowest, mut longest) = (Duration::ZERO, 0usize);
    let mut memory = Flat::new();
    for round in 0..total {
        let (_, _, seed) = &seeds[round % seeds.len()];
        let d = dissectors[round % dissectors.len()];
        let mut m = dns_captures::mutate(&mut rng, seed);
        if std::ptr::eq(d, dissectors[3]) {
            // Over TCP, a message follows its length (sometimes wrong).
            let prefix = (m.len() + usize::from(round % 3 == 0)) as u16;
            m.splice(0..0, prefix.to_be_bytes());
        }
        let (took, len) = exercise(d, &m, round, 4, &mut memory);
        longest = longest.max(len);
        slowest = slowest.max(took);
    }
    eprintln!(
        "{total} damaged messages: slowest {slowest:?} (4 lines and JSON), longest line {longest} bytes; {}",
        memory.summary()
    );
    // A line cannot be longer than a few characters per message byte (a
    // name is printed at most once per pointer, and pointers only go back).
    assert!(longest < 64 * 1024, "a line of {longest} bytes");
    assert_fast(slowest, "message");
}

/// Damaged messages per application decoder: a million in a release build
/// (`cargo test --release`), 100,000 in a debug one;
/// `SOCKSCOPE_MUTATION_ROUNDS=N` sets it.
fn rounds() -> usize {
    support::rng::mutation_rounds()
}

/// `rounds()` damaged copies of `seeds` through `d` at every level and into
/// JSON: no panic, each message fast, each line bounded by the message,
/// memory flat (each message's peak bounded by its size, nothing kept
/// from one to the next: `support::alloc_meter::Flat`).
fn damage_through(d: &dissect::Dissector, seeds: &[Vec<u8>], seed: u64) {
    damage_through_levels(d, seeds, seed, 3);
}

/// [`damage_through`] at the levels `0..levels` (HNCP prints a deeper
/// level of TLVs at each, up to `-vvv`).
fn damage_through_levels(d: &dissect::Dissector, seeds: &[Vec<u8>], seed: u64, levels: u8) {
    let rounds = rounds();
    let mut rng = dns_captures::rng(seed);
    let (mut slowest, mut longest) = (Duration::ZERO, 0usize);
    let mut memory = Flat::new();
    for round in 0..rounds {
        let m = dns_captures::mutate(&mut rng, &seeds[round % seeds.len()]);
        let (took, len) = exercise(d, &m, round, levels, &mut memory);
        longest = longest.max(len);
        slowest = slowest.max(took);
    }
    eprintln!(
        "{}: {rounds} damaged messages, slowest {slowest:?}, longest line {longest} bytes; {}",
        d.json_key,
        memory.summary()
    );
    assert!(longest < 64 * 1024, "a line of {longest} bytes");
    assert_fast(slowest, "message");
}

fn seeds(messages: Vec<(bool, u16, Vec<u8>)>) -> Vec<Vec<u8>> {
    support::app_captures::payloads(messages)
}

/// The dissector of UDP port `port` (from an ephemeral one) through the
/// damaged copies of a capture generator's messages.
fn damage_udp_port(port: u16, messages: Vec<(bool, u16, Vec<u8>)>, seed: u64) {
    let d = dissect::udp(40000, port).expect("registered");
    damage_through(d, &seeds(messages), seed);
}

/// The protocols read under `-T` (RTP, RTCP, NetFlow, ZMTP/1.0) and CARP,
/// through their dissectors alone (`tests/dissect_packet_type.rs` puts
/// damaged frames through every stage under each type).
#[test]
fn damaged_type_protocols_never_panic_or_loop() {
    use support::packet_type_captures as t;
    let each: [(&dissect::Dissector, Vec<Vec<u8>>); 5] = [
        (&dissect::rtp::RTP, t::rtp_messages()),
        (&dissect::rtp::RTCP, t::rtcp_messages()),
        (&dissect::cnfp::CNFP, t::netflow_messages()),
        (&dissect::carp::CARP, t::carp_messages()),
        (&dissect::zmtp1::ZMTP1, t::zmtp1_messages()),
    ];
    for (i, (d, seeds)) in each.iter().enumerate() {
        damage_through(d, seeds, 0x7e57_0bad_0000_0001 + i as u64);
    }
}

/// ONC RPC as `-T rpc` reads any UDP datagram (calls as the portmapper's,
/// replies as NFS's): `rounds()` damaged copies of the hand-built calls and
/// replies through its printer, with both address families, each
/// message fast, each line bounded by the message.
#[test]
fn damaged_rpc_messages_under_type_rpc_never_panic_or_loop() {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let seeds = support::packet_type_captures::rpc_messages();
    let ends = [
        (
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
        ),
        (
            IpAddr::V6(Ipv6Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        ),
    ];
    let mut rng = dns_captures::rng(0x59c0_0bad_0000_0001);
    let (mut slowest, mut longest) = (Duration::ZERO, 0usize);
    let mut memory = Flat::new();
    let rounds = rounds();
    for round in 0..rounds {
        let m = dns_captures::mutate(&mut rng, &seeds[round % seeds.len()]);
        let p = Payload {
            bytes: &m,
            declared_len: m.len(),
        };
        let (src, dst) = ends[round % 2];
        let started = CpuStopwatch::start();
        let meter = Meter::start();
        let len = {
            let mut line = Vec::new();
            dissect::sunrpc::write_line(&mut line, &p, src, dst);
            line.len()
        };
        memory.record(&meter, &m, len);
        slowest = slowest.max(started.elapsed());
        longest = longest.max(len);
        assert!(len < 64 + 16 * m.len(), "{len} bytes from {m:02x?}");
    }
    eprintln!(
        "{rounds} damaged RPC messages: slowest {slowest:?}, longest line {longest} bytes; {}",
        memory.summary()
    );
    assert_fast(slowest, "message");
}

#[test]
fn damaged_ntp_messages_never_panic_or_loop() {
    damage_udp_port(
        ntp_captures::PORT,
        ntp_captures::messages(),
        0x0123_0bad_0000_0001,
    );
}

#[test]
fn damaged_http_and_ssh_segments_never_panic_or_loop() {
    let http = dissect::tcp(40000, text_captures::HTTP_PORT).expect("registered");
    damage_through(http, &text_captures::http_messages(), 0x7e47_0bad_0000_0001);
    let ssh = dissect::tcp(40000, text_captures::SSH_PORT).expect("registered");
    damage_through(ssh, &text_captures::ssh_messages(), 0x7e47_0bad_0000_0002);
}

#[test]
fn damaged_bootp_messages_never_panic_or_loop() {
    let d =
        dissect::udp(bootp_captures::CLIENT_PORT, bootp_captures::SERVER_PORT).expect("registered");
    damage_through(d, &seeds(bootp_captures::messages()), 0x0b00_7bad_0000_0001);
}

#[test]
fn damaged_syslog_messages_never_panic_or_loop() {
    damage_udp_port(
        syslog_captures::PORT,
        syslog_captures::messages(),
        0x5157_0bad_0000_0001,
    );
}

#[test]
fn damaged_tftp_messages_never_panic_or_loop() {
    damage_udp_port(
        tftp_captures::PORT,
        tftp_captures::messages(),
        0x7f7b_0bad_0000_0001,
    );
}

/// Cisco's UDLD, DTP and VTP from the SNAP table, each with its
/// hand-built messages.
#[test]
fn damaged_udld_dtp_and_vtp_messages_never_panic_or_loop() {
    let [udld, dtp, vtp] = control_captures::cisco_seeds();
    for (pid, seeds, seed) in [
        (0x0111, udld, 0x0d1d_0bad_0000_0002),
        (0x2004, dtp, 0xd7b0_0bad_0000_0002),
        (0x2003, vtp, 0x7b70_0bad_0000_0002),
    ] {
        let d = dissect::snap(0x00000c, pid).expect("registered");
        damage_through(d, &seeds, seed);
    }
}

/// The control protocols (IGMP, VRRP, STP, LLDP) from their tables, each
/// with its hand-built messages; VRRP's IPv6 form (16-byte addresses, the
/// pseudo-header checksum) through its IP-context printer too.
#[test]
fn damaged_control_messages_never_panic_or_loop() {
    let [igmp, vrrp, stp, lldp, ospf, sctp, ptp, slow, eapol, cdp] = control_captures::seeds();
    let table = [
        (dissect::ip_proto(2), igmp, 0x1963_0bad_0000_0002),
        (dissect::ip_proto(112), vrrp.clone(), 0x7887_0bad_0000_0002),
        (dissect::llc_sap(0x42), stp, 0x5790_0bad_0000_0002),
        (dissect::ethertype(0x88cc), lldp, 0x11d9_0bad_0000_0002),
        (dissect::ip_proto(89), ospf, 0x05bf_0bad_0000_0002),
        (dissect::ip_proto(132), sctp, 0x5c79_0bad_0000_0002),
        (dissect::ethertype(0x88f7), ptp, 0x0597_0bad_0000_0002),
        (dissect::ethertype(0x8809), slow, 0x5109_0bad_0000_0002),
        (dissect::ethertype(0x888e), eapol, 0xea90_0bad_0000_0002),
        (dissect::snap(0x00000c, 0x2000), cdp, 0xcd90_0bad_0000_0002),
    ];
    for (d, seeds, seed) in table {
        damage_through(d.expect("registered"), &seeds, seed);
    }
    let d = dissect::ip_proto(112).expect("registered");
    let ip = dissect::IpContext {
        src: "fe80::1".parse().expect("an address"),
        dst: "ff02::12".parse().expect("an address"),
        ttl: 255,
        default_print: true,
        ports_only: false,
    };
    let mut rng = dns_captures::rng(0x7887_0bad_0000_0003);
    let mut memory = Flat::new();
    for round in 0..rounds() / 10 {
        let m = dns_captures::mutate(&mut rng, &vrrp[round % vrrp.len()]);
        let p = Payload {
            bytes: &m,
            declared_len: m.len(),
        };
        let meter = Meter::start();
        let longest = ip_lines(d, &p, 112, &ip);
        assert!(longest < 64 * 1024);
        memory.record(&meter, &m, longest);
    }
    eprintln!(
        "vrrp: {} damaged messages; {}",
        rounds() / 10,
        memory.summary()
    );
}

/// OSPFv3, through the IP-context printer (an IPv6 source picks it).
#[test]
fn damaged_ospf3_messages_never_panic_or_loop() {
    let d = dissect::ip_proto(89).expect("registered");
    let seeds = control_captures::ospf3_seeds();
    let ip = dissect::IpContext {
        src: "fe80::1".parse().expect("an address"),
        dst: "ff02::5".parse().expect("an address"),
        ttl: 1,
        default_print: true,
        ports_only: false,
    };
    let mut rng = dns_captures::rng(0x05bf_0bad_0000_0005);
    let (mut longest, mut slowest) = (0, Duration::ZERO);
    let mut memory = Flat::new();
    for round in 0..rounds() {
        let m = dns_captures::mutate(&mut rng, &seeds[round % seeds.len()]);
        let declared_len = if round % 5 == 0 {
            m.len() + 24
        } else {
            m.len()
        };
        let p = Payload {
            bytes: &m,
            declared_len,
        };
        let started = CpuStopwatch::start();
        let meter = Meter::start();
        let here = ip_lines(d, &p, 89, &ip);
        memory.record(&meter, &m, here);
        longest = longest.max(here);
        slowest = slowest.max(started.elapsed());
    }
    eprintln!(
        "ospf3: {} damaged messages, slowest {slowest:?}, longest line {longest} bytes; {}",
        rounds(),
        memory.summary()
    );
    assert!(longest < 64 * 1024, "a line of {longest} bytes");
    assert_fast(slowest, "message");
}

/// `p`'s lines through `d`'s IP-context printer (IP protocol `proto`, the
/// addresses and TTL of `ip`) at verbosity 0 to 2, each decoded: the
/// longest. The line buffer is the message's own, dropped before the
/// caller reads the memory.
fn ip_lines(d: &dissect::Dissector, p: &Payload<'_>, proto: u8, ip: &dissect::IpContext) -> usize {
    let (mut line, mut longest) = (Vec::new(), 0);
    for verbose in 0..3 {
        line.clear();
        assert!(d.write_ip_line(&mut line, p, proto, ip, verbose).is_some());
        longest = longest.max(line.len());
    }
    longest
}

/// One damaged message through `d` at levels `0..levels` and into JSON,
/// with a declared length that is usually the message's and sometimes not
/// (a UDP length that disagrees with what was captured): how long it took
/// and the longest line; its memory goes to `memory`.
fn exercise(
    d: &dissect::Dissector,
    m: &[u8],
    round: usize,
    levels: u8,
    memory: &mut Flat,
) -> (Duration, usize) {
    let declared_len = match round % 7 {
        0 => m.len() + 40,
        1 => m.len().saturating_sub(3),
        _ => m.len(),
    };
    let p = Payload {
        bytes: m,
        declared_len,
    };
    let started = CpuStopwatch::start();
    let meter = Meter::start();
    let longest = {
        let (mut line, mut longest) = (Vec::new(), 0);
        for verbose in 0..levels {
            line.clear();
            d.write_line(&mut line, &p, verbose);
            longest = longest.max(line.len());
        }
        assert!((d.json)(&p).is_object(), "{m:02x?}");
        longest
    };
    // The line and the JSON are dropped: what is still held is the
    // decoder's.
    memory.record(&meter, m, longest);
    (started.elapsed(), longest)
}

/// DCCP, from its hand-built packets.
#[test]
fn damaged_dccp_packets_never_panic_or_loop() {
    let d = dissect::ip_proto(33).expect("registered");
    damage_through(d, &dccp_captures::messages(), 0xdcc9_0bad_0000_0002);
}

/// PIM, from its hand-built messages.
#[test]
fn damaged_pim_messages_never_panic_or_loop() {
    let d = dissect::ip_proto(103).expect("registered");
    damage_through(d, &pim_captures::messages(), 0x9130_0bad_0000_0003);
}

/// EGP, IGRP and EIGRP, each from its hand-built messages.
#[test]
fn damaged_egp_igrp_and_eigrp_messages_never_panic_or_loop() {
    use support::igp_captures::{egp_messages, eigrp_messages, igrp_messages};
    for (proto, messages, seed) in [
        (8, egp_messages(), 0xe690_0bad_0000_0002),
        (9, igrp_messages(), 0x1690_0bad_0000_0002),
        (88, eigrp_messages(), 0xe160_0bad_0000_0002),
    ] {
        let d = dissect::ip_proto(proto).expect("registered");
        damage_through(d, &messages, seed);
    }
}

/// PGM, from its hand-built messages.
#[test]
fn damaged_pgm_messages_never_panic_or_loop() {
    let d = dissect::ip_proto(113).expect("registered");
    damage_through(d, &pgm_captures::messages(), 0x9a30_0bad_0000_0002);
}

/// RSVP, from its hand-built messages (Bundles, GMPLS's and the later
/// TE objects among them: 38 of the 88).
#[test]
fn damaged_rsvp_messages_never_panic_or_loop() {
    let d = dissect::ip_proto(46).expect("registered");
    damage_through(d, &rsvp_captures::messages(), 0x45f9_0bad_0000_0002);
}

/// PIMv1, carried in IGMP, from its hand-built messages.
#[test]
fn damaged_pimv1_messages_never_panic_or_loop() {
    let d = dissect::ip_proto(2).expect("registered");
    damage_through(d, &pim_captures::pimv1_messages(), 0x9130_0bad_0000_0013);
}

/// SCTP's ForCES and M3UA payloads, from their hand-built packets, at
/// every level ForCES prints differently (to `-vvvv`).
#[test]
fn damaged_forces_and_m3ua_payloads_never_panic_or_loop() {
    let d = dissect::ip_proto(132).expect("registered");
    let seeds = support::sctp_payload_captures::seeds();
    damage_through_levels(d, &seeds, 0x5c79_14f0_0bad_0001, 5);
}

/// DVMRP, carried in IGMP, from its hand-built messages.
#[test]
fn damaged_dvmrp_messages_never_panic_or_loop() {
    let d = dissect::ip_proto(2).expect("registered");
    damage_through(d, &dvmrp_captures::messages(), 0x9130_0bad_0000_0023);
}

/// Ethernet OAM, through the slow protocols' dissector, from its
/// hand-built PDUs.
#[test]
fn damaged_oam_pdus_never_panic_or_loop() {
    let d = dissect::ethertype(0x8809).expect("registered");
    damage_through(d, &oam_captures::pdus(), 0x0a90_0bad_0000_0002);
}

/// CFM (EtherType 0x8902), from its hand-built PDUs.
#[test]
fn damaged_cfm_pdus_never_panic_or_loop() {
    let d = dissect::ethertype(0x8902).expect("registered");
    damage_through_levels(d, &ethertype_captures::cfm_pdus(), 0xcf30_0bad_0000_0001, 4);
}

/// Loopback (EtherType 0x9000) and MPCP (0x8808), from their
/// hand-built messages.
#[test]
fn damaged_loopback_and_mpcp_messages_never_panic_or_loop() {
    let loopback = dissect::ethertype(0x9000).expect("registered");
    damage_through(
        loopback,
        &ethertype_captures::loopback_pdus(),
        0x9000_0bad_0000_0001,
    );
    let mpcp = dissect::ethertype(0x8808).expect("registered");
    damage_through(
        mpcp,
        &ethertype_captures::mpcp_pdus(),
        0x8808_0bad_0000_0001,
    );
}

/// MS NLB heartbeats (EtherType 0x886f), from the hand-built ones.
#[test]
fn damaged_msnlb_heartbeats_never_panic_or_loop() {
    let d = dissect::ethertype(0x886f).expect("registered");
    damage_through(d, &ethertype_captures::msnlb_pdus(), 0x886f_0bad_0000_0001);
}

/// AoE (EtherType 0x88a2), from its hand-built messages.
#[test]
fn damaged_aoe_messages_never_panic_or_loop() {
    let d = dissect::ethertype(0x88a2).expect("registered");
    damage_through(d, &ethertype_captures::aoe_pdus(), 0x88a2_0bad_0000_0001);
}

/// DECnet (EtherType 0x6003), from its hand-built packets (length
/// fields, pad bytes, control messages, NSP after both headers).
#[test]
fn damaged_decnet_packets_never_panic_or_loop() {
    let d = dissect::ethertype(0x6003).expect("registered");
    damage_through(d, &decnet_captures::packets(), 0x6003_0bad_0000_0001);
}

/// TIPC (EtherType 0x88ca), from its hand-built messages.
#[test]
fn damaged_tipc_messages_never_panic_or_loop() {
    let d = dissect::ethertype(0x88ca).expect("registered");
    damage_through(d, &ethertype_captures::tipc_pdus(), 0x88ca_0bad_0000_0001);
}

/// GeoNetworking (EtherType 0x8947), from its hand-built packets.
#[test]
fn damaged_geonet_packets_never_panic_or_loop() {
    let d = dissect::ethertype(0x8947).expect("registered");
    damage_through(d, &ethertype_captures::geonet_pdus(), 0x8947_0bad_0000_0001);
}

/// DHCPv6, RADIUS and SNMP, each from its own seeds.
#[test]
fn damaged_dhcp6_radius_and_snmp_messages_never_panic_or_loop() {
    for (port, messages, seed) in [
        (
            dhcp6_captures::SERVER_PORT,
            dhcp6_captures::messages(),
            0xd6c9_0bad_0000_0002,
        ),
        (
            radius_captures::PORT,
            radius_captures::messages(),
            0x4ad1_0bad_0000_0002,
        ),
        (
            snmp_captures::PORT,
            snmp_captures::messages(),
            0x5a4d_0bad_0000_0002,
        ),
    ] {
        let d = dissect::udp(40000, port).expect("registered");
        damage_through(d, &seeds(messages), seed);
    }
}

/// BGP, from its hand-built messages: the marker scan, every message
/// type, path attributes and nested attribute sets, and the NLRI of every
/// multiprotocol family (labeled, VPN, route-target constraint, MDT,
/// multicast VPN, NSAP, layer-2 VPN).
#[test]
fn damaged_bgp_messages_never_panic_or_loop() {
    let d = dissect::tcp(40000, support::bgp_captures::PORT).expect("registered");
    damage_through(d, &support::bgp_captures::messages(), 0xb6b0_0bad_0000_0001);
}

/// BFD control packets, HSRP messages and Babel packets, each from their hand-built ones.
#[test]
fn damaged_bfd_hsrp_and_babel_messages_never_panic_or_loop() {
    for (port, messages, seed) in [
        (
            support::bfd_captures::PORT,
            support::bfd_captures::messages(),
            0xbfd0_0bad_0000_0001,
        ),
        (
            support::hsrp_captures::PORT,
            support::hsrp_captures::messages(),
            0x4580_0bad_0000_0001,
        ),
        (
            support::babel_captures::PORT,
            support::babel_captures::messages(),
            0xbab0_0bad_0000_0001,
        ),
    ] {
        damage_udp_port(port, messages, seed);
    }
}

/// sFlow datagrams, from the hand-built ones: samples and records whose
/// counts and lengths disagree with the datagram.
#[test]
fn damaged_sflow_datagrams_never_panic_or_loop() {
    damage_udp_port(
        support::sflow_captures::PORT,
        support::sflow_captures::messages(),
        0x5f10_0bad_0000_0001,
    );
}

/// SOME/IP headers, from the hand-built ones: every type and code, short
/// and long datagrams.
#[test]
fn damaged_someip_messages_never_panic_or_loop() {
    damage_udp_port(
        support::someip_captures::PORT,
        support::someip_captures::messages(),
        0x5043_0bad_0000_0001,
    );
}

/// LSP ping messages, from the hand-built ones: every header field, TLV
/// and sub-TLV, lengths short and past the datagram.
#[test]
fn damaged_lspping_messages_never_panic_or_loop() {
    damage_udp_port(
        support::lspping_captures::PORT,
        support::lspping_captures::messages(),
        0x1599_0bad_0000_0001,
    );
}

/// LISP control messages, from the hand-built ones: every type and flag,
/// records and locators of both families, the ids whole and short.
#[test]
fn damaged_lisp_messages_never_panic_or_loop() {
    damage_udp_port(
        support::lisp_captures::PORT,
        support::lisp_captures::messages(),
        0x1159_0bad_0000_0001,
    );
}

/// AODV messages, from the hand-built ones, as over IPv4 and as over
/// IPv6 (where requests, replies and errors carry IPv6 addresses).
#[test]
fn damaged_aodv_messages_never_panic_or_loop() {
    let seeds: Vec<_> = support::aodv_captures::messages()
        .into_iter()
        .map(|m| (true, support::aodv_captures::PORT, m))
        .collect();
    damage_udp_port(
        support::aodv_captures::PORT,
        seeds.clone(),
        0x0a0d_0bad_0000_0001,
    );
    let v6: std::net::IpAddr = "2001:db8::1".parse().expect("an address");
    dissect::peers::with_packet(v6, v6, (40000, support::aodv_captures::PORT), || {
        damage_udp_port(support::aodv_captures::PORT, seeds, 0x0a0d_0bad_0000_0002)
    });
}

/// VQP messages, from the hand-built ones: every object type, lengths the
/// types do not allow, item counts short of and past the objects.
#[test]
fn damaged_vqp_messages_never_panic_or_loop() {
    damage_udp_port(
        support::vqp_captures::PORT,
        support::vqp_captures::messages(),
        0x0591_0bad_0000_0001,
    );
}

/// AHCP messages, from the hand-built ones: every option, lengths the
/// options do not allow, bodies and options longer than they can be.
#[test]
fn damaged_ahcp_messages_never_panic_or_loop() {
    damage_udp_port(
        support::ahcp_captures::PORT,
        support::ahcp_captures::messages(),
        0x5359_0bad_0000_0001,
    );
}

/// timed's TSP messages, from the hand-built ones: every type, times at
/// their edges, names long, unterminated and missing.
#[test]
fn damaged_timed_messages_never_panic_or_loop() {
    damage_udp_port(
        support::timed_captures::PORT,
        support::timed_captures::messages(),
        0x0525_0bad_0000_0001,
    );
}

/// vat and vt headers, from the hand-built ones.
#[test]
fn damaged_vat_messages_never_panic_or_loop() {
    damage_udp_port(
        support::vat_captures::PORT,
        support::vat_captures::messages(),
        0x3456_0bad_0000_0001,
    );
}

// udpC14l: OLSR, auto-RP, LMP.

/// OLSR packets, from the hand-built ones of both families, as over IPv4
/// and as over IPv6 (where tcpdump reads IPv6 addresses).
#[test]
fn damaged_olsr_packets_never_panic_or_loop() {
    use support::olsr_captures::{PORT, messages};
    let seeds: Vec<_> = messages().into_iter().map(|m| (true, PORT, m)).collect();
    damage_udp_port(PORT, seeds.clone(), 0x0698_0bad_0000_0001);
    let v6: std::net::IpAddr = "2001:db8::1".parse().expect("an address");
    dissect::peers::with_packet(v6, v6, (40000, PORT), || {
        damage_udp_port(PORT, seeds, 0x0698_0bad_0000_0002)
    });
}

/// Cisco auto-RP messages, from the hand-built ones: every version bit,
/// hold times, RP and entry counts past the datagram.
#[test]
fn damaged_autorp_messages_never_panic_or_loop() {
    use support::autorp_captures::{PORT, messages};
    damage_udp_port(PORT, messages(), 0x0496_0bad_0000_0001);
}

/// LMP messages, from the hand-built ones: every class and C-type at
/// right and wrong sizes, subobjects, lengths short and long.
#[test]
fn damaged_lmp_messages_never_panic_or_loop() {
    use support::lmp_captures::{PORT, messages};
    damage_udp_port(PORT, messages(), 0x0701_0bad_0000_0001);
}

/// ZEP datagrams, from the hand-built ones: both versions' headers and the
/// 802.15.4 frames inside (every type, addressing mode, security header,
/// IE list, beacon list and command, the IEs whose contents tcpdump
/// decodes), inner lengths past the datagram; up to `-vvvv`, where those
/// contents are decoded.
#[test]
fn damaged_zep_messages_never_panic_or_loop() {
    use support::{wpan_ie_captures, zep_captures};
    let d = dissect::udp(40000, zep_captures::PORT).expect("registered");
    let mut messages = seeds(zep_captures::messages());
    messages.extend(
        wpan_ie_captures::frames()
            .iter()
            .step_by(3)
            .map(|f| zep_captures::zep(f)),
    );
    damage_through_levels(d, &messages, 0x455a_0bad_0000_0001, 5);
}

/// LWAPP control and data frames, from the hand-built ones: every message
/// type, header lengths short of and past the messages, other versions.
#[test]
fn damaged_lwapp_messages_never_panic_or_loop() {
    use support::lwapp_captures::{CONTROL_PORT, DATA_PORT, messages};
    for (port, seed) in [
        (CONTROL_PORT, 0x2fbf_0bad_0000_0001),
        (DATA_PORT, 0x2fbe_0bad_0000_0001),
    ] {
        let own = messages()
            .into_iter()
            .filter(|(_, p, _)| *p == port)
            .collect();
        damage_udp_port(port, own, seed);
    }
}

/// AppleTalk in UDP (LAP and DDP headers on the AppleTalk ports), from
/// the hand-built datagrams: the DDP packets, other LAP types, short ones.
#[test]
fn damaged_kip_datagrams_never_panic_or_loop() {
    let messages = support::kip_captures::messages();
    damage_through(&dissect::kip::KIP, &seeds(messages), 0x0200_0bad_0000_0001);
}

/// wb's packets, from the hand-built ones: every type, drawing ops with
/// skips and holes, short ones.
#[test]
fn damaged_wb_packets_never_panic_or_loop() {
    damage_udp_port(
        support::wb_captures::PORT,
        support::wb_captures::messages(),
        0x4567_0bad_0000_0001,
    );
}

/// lwres messages, from the hand-built ones: every opcode as request and
/// response, addresses of every family and size, names without their
/// NUL, counts and lengths past the datagram.
#[test]
fn damaged_lwres_messages_never_panic_or_loop() {
    use support::lwres_captures::{PORT, messages};
    damage_udp_port(PORT, messages(), 0x0921_0bad_0000_0001);
}

/// Zephyr notices, from the hand-built ones: every kind and
/// class/instance/opcode form, long fields, fields past the datagram.
#[test]
fn damaged_zephyr_notices_never_panic_or_loop() {
    use support::zephyr_captures::{SERVER_PORT, messages};
    damage_udp_port(SERVER_PORT, messages(), 0x2103_0bad_0000_0001);
}

/// Rx packets, from the hand-built ones (file server calls and replies,
/// acknowledgements, every type): through the dissector alone, and in
/// datagrams to and from their ports through every stage (the replies
/// then find their calls in the call table).
#[test]
fn damaged_rx_packets_never_panic_or_loop() {
    use support::app_captures::{frames_through_every_stage, udp};
    let ms = support::rx_captures::messages();
    damage_through(&dissect::rx::RX, &seeds(ms.clone()), 0x7000_0bad_0000_0001);
    let rounds = rounds();
    let (slowest, longest) =
        frames_through_every_stage(rounds, 0x7000_0bad_0000_0002, |rng, round| {
            let (to_server, port, m) = &ms[round % ms.len()];
            (
                1,
                udp(*to_server, 40000, *port, &dns_captures::mutate(rng, m)).bytes,
            )
        });
    eprintln!(
        "Rx: {rounds} damaged messages in datagrams, slowest {slowest:?}, longest line {longest} bytes"
    );
}

/// Kerberos (UDP, and the JSON of TCP's records) and RESP, each from
/// their hand-built messages.
#[test]
fn damaged_kerberos_and_resp_messages_never_panic_or_loop() {
    use support::service_captures::{KRB_PORT, RESP_PORT, krb_messages, resp_messages};
    damage_udp_port(KRB_PORT, krb_messages(), 0x4b4b_0bad_0000_0001);
    let tcp = |port| dissect::tcp(40000, port).expect("registered");
    damage_through(tcp(KRB_PORT), &seeds(krb_messages()), 0x4b4b_0bad_0000_0002);
    damage_through(tcp(RESP_PORT), &resp_messages(), 0x4e59_0bad_0000_0001);
}

/// FTP, SMTP, WHOIS, RTSP, Telnet, BEEP, IMAP and POP3 over TCP and SIP
/// over UDP, each from its hand-written messages.
#[test]
fn damaged_text_protocol_messages_never_panic_or_loop() {
    use support::txtproto_captures::all_messages;
    for (i, (tcp, port, messages)) in all_messages().into_iter().enumerate() {
        let d = if tcp {
            dissect::tcp(40000, port)
        } else {
            dissect::udp(40000, port)
        };
        damage_through(
            d.expect("registered"),
            &messages,
            0x7e47_0bad_0000_0000 + i as u64,
        );
    }
}

/// ISAKMP on UDP 500 and NAT-T 4500, from the hand-built messages (the
/// payload lists of both versions), with the packet's addresses known so
/// that IKEv1's cookie table fills, wraps and answers.
#[test]
fn damaged_isakmp_messages_never_panic_or_loop() {
    use sockscope::dissect::isakmp::with_peers;
    use support::service_captures::{ISAKMP_NATT_PORT, ISAKMP_PORT, isakmp_messages};
    let (a, b) = ([192, 0, 2, 1].into(), [192, 0, 2, 2].into());
    for (port, seed) in [
        (ISAKMP_PORT, 0x4953_0bad_0000_0001),
        (ISAKMP_NATT_PORT, 0x4953_0bad_0000_0002),
    ] {
        let messages = isakmp_messages()
            .into_iter()
            .filter(|(_, p, _)| *p == port)
            .collect();
        with_peers(a, b, || damage_udp_port(port, messages, seed));
    }
}

/// NFS's calls and replies (`tests/support/nfs_captures.rs`): alone
/// through the UDP and TCP dissectors (calls and replies alternate, so
/// damaged replies find their calls in the XID table and print their
/// results), and in UDP datagrams and TCP segments (after the record
/// mark) to and from port 2049 through every stage.
#[test]
fn damaged_nfs_messages_never_panic_or_loop() {
    use support::app_captures::{frames_through_every_stage, tcp, udp};
    use support::nfs_captures::{CLIENT, PORT, messages, record};
    let ms = messages();
    let alone: Vec<Vec<u8>> = ms.iter().map(|(_, m)| m.clone()).collect();
    damage_through(&dissect::nfs::NFS, &alone, 0x4e46_0bad_0000_0001);
    let records: Vec<Vec<u8>> = alone.iter().map(|m| record(m)).collect();
    damage_through(&dissect::nfs::NFS_TCP, &records, 0x4e46_0bad_0000_0002);
    let rounds = rounds();
    for (over_tcp, seed) in [
        (false, 0x4e46_0bad_0000_0003),
        (true, 0x4e46_0bad_0000_0004),
    ] {
        let (slowest, longest) = frames_through_every_stage(rounds, seed, |rng, round| {
            let (to_server, m) = &ms[round % ms.len()];
            let bad = dns_captures::mutate(rng, m);
            let f = if over_tcp {
                tcp(*to_server, CLIENT, PORT, rng.next() as u32, &record(&bad))
            } else {
                udp(*to_server, CLIENT, PORT, &bad)
            };
            (1, f.bytes)
        });
        eprintln!(
            "NFS over {}: {rounds} damaged messages in packets, slowest {slowest:?}, longest line {longest} bytes",
            if over_tcp { "TCP" } else { "UDP" }
        );
    }
}

/// IPX (by EtherType), AppleTalk's DDP and AARP (by SNAP), from the
/// hand-built packets of `tests/support/ipx_atalk_captures.rs`.
#[test]
fn damaged_ipx_ddp_and_aarp_packets_never_panic_or_loop() {
    let [ipx, ddp, aarp] = support::ipx_atalk_captures::seeds();
    let by_type = |t| dissect::ethertype(t).expect("registered");
    damage_through(by_type(0x8137), &ipx, 0x1b8a_0bad_0000_0001);
    let ddp_by_snap = dissect::snap(0x080007, 0x809b).expect("registered");
    damage_through(ddp_by_snap, &ddp, 0x1b8a_0bad_0000_0002);
    damage_through(by_type(0x80f3), &aarp, 0x1b8a_0bad_0000_0003);
}

/// IS-IS PDUs (after the LLC header), from the hand-built frames.
#[test]
fn damaged_isis_pdus_never_panic_or_loop() {
    let h = support::isis_captures::HEADERS;
    let seeds: Vec<Vec<u8>> = support::isis_captures::frames()
        .iter()
        .map(|f| f.get(h..).unwrap_or(&[]).to_vec())
        .collect();
    let d = dissect::llc_sap(0xfe).expect("registered");
    damage_through(d, &seeds, 0x1515_0bad_0000_0002);
}

/// CLNP and ES-IS PDUs (after the LLC header), from the hand-built ones:
/// the line is the ISO CLNS printer's, the JSON each protocol's own.
#[test]
fn damaged_clnp_and_esis_pdus_never_panic_or_loop() {
    let (clnp, esis): (Vec<Vec<u8>>, Vec<Vec<u8>>) = support::osi_captures::pdus()
        .into_iter()
        .partition(|p| p.first() == Some(&0x81));
    damage_through(&dissect::clnp::CLNP, &clnp, 0x0515_0c1a_0000_0002);
    damage_through(&dissect::esis::ESIS, &esis, 0x0515_0c1a_0000_0003);
}

/// OpenFlow on TCP 6653, from the hand-built messages (every 1.0 type,
/// the 1.3 ones tcpdump decodes, other versions, Big Switch's vendor
/// messages and actions, packets in and out carrying frames).
#[test]
fn damaged_openflow_messages_never_panic_or_loop() {
    use support::openflow_captures::{PORT, messages};
    let d = dissect::tcp(40000, PORT).expect("registered");
    damage_through(d, &messages(), 0x0f14_0bad_0000_0001);
}

/// IPComp, minimal encapsulation and the IPv6 mobility header (under both
/// its protocol numbers), from the hand-built payloads of
/// `tests/support/ipnext_captures.rs`.
#[test]
fn damaged_ipcomp_mobile_and_mobility_headers_never_panic_or_loop() {
    use support::ipnext_captures::seeds;
    for (proto, seed) in [
        (108, 0x1b14_0bad_0000_0001),
        (55, 0x1b14_0bad_0000_0002),
        (135, 0x1b14_0bad_0000_0003),
        (62, 0x1b14_0bad_0000_0004),
    ] {
        let d = dissect::ip_proto(proto).expect("registered");
        damage_through(d, &seeds(proto), seed);
    }
}

/// NetBIOS's name, datagram and session services and SMB over TCP, each
/// from its hand-built messages (JSON only: tcpdump's lines stay its
/// own); the payload tests that pick a flow's service get every damaged
/// message too.
#[test]
fn damaged_netbios_and_smb_messages_never_panic_or_loop() {
    use support::netbios_captures::{
        DGM_PORT, NS_PORT, SMB_PORT, SSN_PORT, dgm_messages, ns_messages, smb_messages,
        ssn_messages,
    };
    for (tcp, port, seeds, seed) in [
        (false, NS_PORT, ns_messages(), 0x0b75_0bad_0000_0001),
        (false, DGM_PORT, dgm_messages(), 0x0b7d_0bad_0000_0001),
        (true, SSN_PORT, ssn_messages(), 0x0b55_0bad_0000_0001),
        (true, SMB_PORT, smb_messages(), 0x05b0_0bad_0000_0001),
    ] {
        let d = if tcp {
            dissect::tcp(40000, port)
        } else {
            dissect::udp(40000, port)
        };
        damage_through(d.expect("registered"), &seeds, seed);
        let mut rng = dns_captures::rng(seed ^ 1);
        let mut memory = Flat::new();
        for round in 0..rounds() / 10 {
            let m = dns_captures::mutate(&mut rng, &seeds[round % seeds.len()]);
            let meter = Meter::start();
            let _ = dissect::service(tcp, 40000, port, &m);
            memory.record(&meter, &m, 0);
        }
        eprintln!(
            "port {port} service names: {} damaged messages; {}",
            rounds() / 10,
            memory.summary()
        );
    }
}

/// RIP v1/v2 and RIPng, each from its hand-built messages.
#[test]
fn damaged_rip_and_ripng_messages_never_panic_or_loop() {
    use support::rip_captures::{RIP_PORT, RIPNG_PORT, rip_messages, ripng_messages};
    damage_udp_port(RIP_PORT, rip_messages(), 0x5190_0bad_0000_0001);
    damage_udp_port(RIPNG_PORT, ripng_messages(), 0x5196_0bad_0000_0001);
}

/// LDP, from its hand-built PDUs.
#[test]
fn damaged_ldp_pdus_never_panic_or_loop() {
    use support::ldp_captures::{PORT, messages};
    damage_udp_port(PORT, messages(), 0x1d90_0bad_0000_0001);
}

/// `rounds()` damaged copies of `seeds`, each put in a TCP segment between
/// `port` and an ephemeral port (either way, a random sequence number)
/// and through every stage `read` puts a frame through: the TCP decoder
/// and its checksum, the line printers at every level with and without
/// `-e`, the JSON and the flow view.
fn damage_in_tcp_segments(port: u16, seeds: &[Vec<u8>], seed: u64) {
    let rounds = rounds();
    let (slowest, longest) =
        support::app_captures::frames_through_every_stage(rounds, seed, |rng, round| {
            let m = dns_captures::mutate(rng, &seeds[round % seeds.len()]);
            let to_server = round % 2 == 0;
            let seq = rng.next() as u32;
            let f = support::app_captures::tcp(to_server, 40000, port, seq, &m);
            (1, f.bytes)
        });
    eprintln!(
        "TCP {port}: {rounds} damaged messages in segments, slowest {slowest:?}, longest line {longest} bytes"
    );
}

/// LDP over TCP, from its hand-built PDUs in segments (the UDP test above
/// hands the dissector the PDUs alone).
#[test]
fn damaged_ldp_pdus_in_tcp_segments_never_panic_or_loop() {
    use support::ldp_captures::{PORT, messages};
    damage_in_tcp_segments(PORT, &seeds(messages()), 0x1d90_0bad_0000_0002);
}

/// PPTP's control messages, from the hand-built ones: alone through the
/// dissector, and in TCP segments.
#[test]
fn damaged_pptp_messages_never_panic_or_loop() {
    use support::pptp_captures::{PORT, messages};
    let d = dissect::tcp(40000, PORT).expect("registered");
    damage_through(d, &seeds(messages()), 0x9797_0bad_0000_0001);
    damage_in_tcp_segments(PORT, &seeds(messages()), 0x9797_0bad_0000_0002);
}

/// RPKI-RTR's PDUs, from the hand-built segments: alone through the
/// dissector, and in TCP segments.
#[test]
fn damaged_rpki_rtr_pdus_never_panic_or_loop() {
    use support::rpki_rtr_captures::{PORT, messages};
    let d = dissect::tcp(40000, PORT).expect("registered");
    damage_through(d, &seeds(messages()), 0x5b1c_0bad_0000_0001);
    damage_in_tcp_segments(PORT, &seeds(messages()), 0x5b1c_0bad_0000_0002);
}

/// MSDP's messages, from the hand-built segments: alone through the
/// dissector, and in TCP segments (from `-vv` on a Source-Active's packet
/// goes through the IP printer).
#[test]
fn damaged_msdp_messages_never_panic_or_loop() {
    use support::msdp_captures::{PORT, messages};
    let d = dissect::tcp(40000, PORT).expect("registered");
    damage_through(d, &seeds(messages()), 0x3d5b_0bad_0000_0001);
    damage_in_tcp_segments(PORT, &seeds(messages()), 0x3d5b_0bad_0000_0002);
}

// udpF14m: HNCP.

/// HNCP datagrams, from the hand-built ones: every TLV type, nested TLVs
/// several levels deep, prefixes, names, DHCP options; at every level up
/// to `-vvv` (each prints another depth).
#[test]
fn damaged_hncp_datagrams_never_panic_or_loop() {
    use support::hncp_captures::{PORT, messages};
    let d = dissect::udp(40000, PORT).expect("registered");
    damage_through_levels(d, &seeds(messages()), 0x8231_0bad_0000_0001, 4);
}

/// Broadcom's LI shim with the packets it carries, as whole frames from
/// port 49152 (the line printer prints the carried packet from `-v` on):
/// damaged copies through every stage, no panic, lines bounded.
#[test]
fn damaged_bcm_li_frames_never_panic_or_loop() {
    use support::bcm_li_captures::{PORT, messages};
    let seeds: Vec<(u32, Vec<u8>)> = messages()
        .iter()
        .map(|m| (1, support::app_captures::udp(true, PORT, 4784, m).bytes))
        .collect();
    let rounds = rounds();
    let (slowest, longest) = support::app_captures::damaged_frames_through_every_stage(
        &seeds,
        rounds,
        0xbc11_0bad_0000_0001,
    );
    eprintln!("bcm_li: {rounds} damaged frames, slowest {slowest:?}, longest line {longest} bytes");
}
