//! The routing and first-hop protocols of tcpdump's long tail, as tcpdump
//! prints them: for each, a capture generated under `tests/support/`
//! (hand-built messages, segments cut by the snap length, seeded damaged
//! copies) read by `sockscope read` and `tcpdump -n -r` must give the
//! same lines byte for byte at the default level, `-v` and `-vv`; goldens
//! of the default line, `-v` and `--json` keep the output fixed where
//! tcpdump is missing (the comparison then skips, unless
//! SOCKSCOPE_REQUIRE_LIVE=1).

mod support;

use support::app_captures::{check_dissect_capture, compare_with_tcpdump, json_has};
use support::bin::{sockscope, text};
use support::{
    babel_captures, bcm_li_captures, bfd_captures, bgp_captures, capture, hsrp_captures,
    isis_captures, osi_captures,
};

/// Damaged messages after the hand-built ones, per protocol.
const DAMAGED: usize = 400;

const LEVELS: &[&str] = &["", "-v", "-vv"];

/// [`LEVELS`] and the dumps, whose first byte after a cut line (the frame's
/// after tcpdump's `longjmp`, the payload's after its own check) is the
/// printer's to say.
const WITH_DUMPS: &[&str] = &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x"];

/// The committed capture is the generator's; every level equals tcpdump;
/// the goldens hold.
fn check_protocol(golden: &str, bytes: &[u8]) {
    check_dissect_capture(golden, bytes, LEVELS, DAMAGED);
}

#[test]
fn bgp_lines_equal_tcpdump() {
    check_dissect_capture("bgp", &bgp_captures::capture(DAMAGED), WITH_DUMPS, DAMAGED);
    json_has(
        "dissect_bgp.pcap",
        &[
            r#""bgp":{"#,
            r#""type_name":"Open""#,
            r#""capabilities":[1,1,2,64,65,70,71]"#,
            r#""nlri":["198.51.100.0/24"]"#,
            r#""error_code":6"#,
            r#""mp_reach":[{"afi":1,"nlri":[{"bottom_of_stack":true,"label":16,"prefix":"10.1.2.0/24"}"#,
            r#"{"bottom_of_stack":false,"label":1048575,"prefix":"192.0.2.1/32"}"#,
            r#""mp_unreach":[{"afi":1,"nlri":[{"bottom_of_stack":true,"label":16,"prefix":"10.0.2.0/24","rd":"65001:7 (= 0.0.0.7)"}"#,
            r#"{"bottom_of_stack":true,"label":300,"prefix":"2001:db8:b:1::/64","rd":"70000:300 (0.1.17.112:300)"}"#,
            r#"{"origin_as":65001,"route":"origin AS: 65001, route-target: 65000:7/64 (0002 fde8 0000 0007)"}"#,
            r#"{"address":"10.0.0.9","group":"239.1.1.1","rd":"65001:7 (= 0.0.0.7)","route":"#,
            r#""route_type":3,"route_type_name":"S-PMSI""#,
            r#"{"route":"49.0001.1921.6800/56"}"#,
            r#"{"bottom_of_stack":true,"label":16,"rd":"65001:7 (= 0.0.0.7)","route":"RD: 65001:7 (= 0.0.0.7), 49.0001.1921.6800/56, label:16 (bottom)"}"#,
            r#"{"bgp_nexthop":"10.0.0.7","rd":"65001:7 (= 0.0.0.7)","route":"RD: 65001:7 (= 0.0.0.7), BGPNH: 10.0.0.7"}"#,
            r#""ce_id":5,"label_base":100,"label_block_offset":1,"rd":"70000:300 (0.1.17.112:300)""#,
        ],
    );
}

/// Damaged OPENs whose optional parameters run past the message into the
/// KEEPALIVE and UPDATE after it, at every level and in the dumps: tcpdump
/// stops the parameters at the message's end (` [|bgp]`) and goes on.
#[test]
fn bgp_open_running_into_the_next_message_equals_tcpdump() {
    let path = support::temp_file("bgp_open_stress.pcap", bgp_captures::open_stress(3000));
    compare_with_tcpdump(&path.to_string_lossy(), WITH_DUMPS, 3000);
}

/// Damaged multiprotocol UPDATEs of every family, their NLRI running past
/// the attribute and the message into the KEEPALIVE and UPDATE after them,
/// at every level and in the dumps.
#[test]
fn bgp_damaged_multiprotocol_updates_equal_tcpdump() {
    let path = support::temp_file("bgp_mp_stress.pcap", bgp_captures::mp_stress(5000));
    compare_with_tcpdump(&path.to_string_lossy(), WITH_DUMPS, 5000);
}

/// Damaged copies of every hand-built message with a KEEPALIVE and an
/// UPDATE after them, at every level and in the dumps.
#[test]
fn bgp_damaged_messages_before_others_equal_tcpdump() {
    let path = support::temp_file("bgp_stress.pcap", bgp_captures::message_stress(5000));
    compare_with_tcpdump(&path.to_string_lossy(), WITH_DUMPS, 5000);
}

/// Multiprotocol UPDATEs of every family whose last entry runs past the
/// message, cut at every length through it, at every level and in the
/// dumps.
#[test]
fn bgp_multiprotocol_entries_cut_past_the_message_equal_tcpdump() {
    let path = support::temp_file("bgp_overrun_cuts.pcap", bgp_captures::overrun_cuts());
    compare_with_tcpdump(&path.to_string_lossy(), WITH_DUMPS, DAMAGED);
}

/// Every message of the built capture (each multiprotocol family among
/// them) cut at every length, at every level and in the dumps.
#[test]
fn bgp_cut_at_every_length_equals_tcpdump() {
    let path = support::temp_file("bgp_every_cut.pcap", bgp_captures::every_cut());
    compare_with_tcpdump(&path.to_string_lossy(), WITH_DUMPS, DAMAGED);
}

/// Shutdown communications of every length class up to 255 bytes, with
/// data after them or too short, whole and cut at every length.
#[test]
fn bgp_shutdown_communications_equal_tcpdump() {
    let path = support::temp_file("bgp_shutdown_cuts.pcap", bgp_captures::shutdown_cuts());
    compare_with_tcpdump(&path.to_string_lossy(), WITH_DUMPS, 3000);
}

#[test]
fn bfd_lines_equal_tcpdump() {
    check_dissect_capture("bfd", &bfd_captures::capture(DAMAGED), WITH_DUMPS, DAMAGED);
    json_has(
        "dissect_bfd.pcap",
        &[r#""bfd":{"#, r#""state":"Up""#, r#""bfd_echo":{"#],
    );
}

/// Broadcom's LI shim (from port 49152, before BFD in tcpdump's order)
/// and, from `-v` on, the packet it carries, whole and cut at every
/// length.
#[test]
fn bcm_li_lines_equal_tcpdump() {
    check_dissect_capture(
        "bcm_li",
        &bcm_li_captures::capture(DAMAGED),
        &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x", "-e -v"],
        DAMAGED,
    );
    json_has(
        "dissect_bcm_li.pcap",
        &[
            r#""bcm_li":{"#,
            r#""pkt_type_name":"ethernet""#,
            r#""li_id":792"#,
        ],
    );
}

#[test]
fn hsrp_lines_equal_tcpdump() {
    check_dissect_capture(
        "hsrp",
        &hsrp_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    json_has(
        "dissect_hsrp.pcap",
        &[
            r#""hsrp":{"#,
            r#""state_name":"active""#,
            r#""virtual_ip":"192.0.2.254""#,
        ],
    );
}

/// UDP ports of the port table that [`UDP_PORTS_DECODED`] leaves out (the
/// second ports of RADIUS and its kin).
///
/// [`UDP_PORTS_DECODED`]: support::app_captures::UDP_PORTS_DECODED
const MORE_UDP_PORTS: [u16; 4] = [1646, 1700, 1813, 3799];

/// The order of the UDP printers is tcpdump's: an HSRP message (36
/// bytes, long enough for PTP's header) from every port sockscope decodes
/// to every other, so that each pair's line is whichever printer tcpdump
/// tries first (HSRP and BFD by destination port only: from 1985 to 3784
/// is BFD, from 3784 to 1985 HSRP; Babel before RADIUS; RIPng before
/// DHCPv6; SNMP before Kerberos), at the default level and `-v`.
#[test]
fn udp_port_order_is_tcpdumps() {
    use support::app_captures::{between_ports, capture as write};
    let mut message = hsrp_captures::messages()[0].2.clone();
    message.resize(36, 0);
    let ports: Vec<u16> = support::app_captures::UDP_PORTS_DECODED
        .iter()
        .chain(&MORE_UDP_PORTS)
        .copied()
        .collect();
    let pairs: Vec<(u16, u16)> = ports
        .iter()
        .flat_map(|&a| ports.iter().map(move |&b| (a, b)))
        .filter(|(a, b)| a != b)
        .collect();
    let path = support::temp_file(
        "udp_port_order.pcap",
        write(&between_ports(&pairs, &message)),
    );
    compare_with_tcpdump(&path.to_string_lossy(), &["", "-v"], pairs.len());
}

/// EGP, IGRP and EIGRP, each in a capture of its own, at every level and
/// in the dumps (IGRP reads unchecked throughout; EGP's update lists and
/// EIGRP's prefixes partly).
#[test]
fn egp_igrp_and_eigrp_lines_equal_tcpdump() {
    use support::igp_captures::{egp_capture, eigrp_capture, igrp_capture};
    check_dissect_capture("egp", &egp_capture(DAMAGED), WITH_DUMPS, DAMAGED);
    check_dissect_capture("igrp", &igrp_capture(DAMAGED), WITH_DUMPS, DAMAGED);
    check_dissect_capture("eigrp", &eigrp_capture(DAMAGED), WITH_DUMPS, DAMAGED);
    json_has(
        "dissect_egp.pcap",
        &[r#""egp":{"#, r#""source_net":"10.0.0.0""#],
    );
    json_has("dissect_igrp.pcap", &[r#""igrp":{"#, r#""routes":[{"#]);
    json_has(
        "dissect_eigrp.pcap",
        &[
            r#""eigrp":{"#,
            r#""opcode_name":"Hello""#,
            r#""name":"IP External routes""#,
            r#""prefix":"192.0.2.0/24""#,
        ],
    );
}

#[test]
fn babel_lines_equal_tcpdump() {
    check_protocol("babel", &babel_captures::capture(DAMAGED));
    // A cut between TLVs ends by tcpdump's longjmp: the dump starts at
    // the frame's first byte.
    compare_with_tcpdump(
        &capture("dissect_babel.pcap").to_string_lossy(),
        &["-x", "-v -X"],
        DAMAGED,
    );
    json_has(
        "dissect_babel.pcap",
        &[r#""babel":{"#, r#""name":"hello""#, r#""body_length":8"#],
    );
}

#[test]
fn isis_lines_equal_tcpdump() {
    check_dissect_capture(
        "isis",
        &isis_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    // `-e` names the NLPID before the PDU.
    compare_with_tcpdump(
        &capture("dissect_isis.pcap").to_string_lossy(),
        &["-e", "-e -v"],
        DAMAGED,
    );
    json_has(
        "dissect_isis.pcap",
        &[
            r#""isis":{"#,
            r#""pdu_type_name":"L1 LSP""#,
            r#""hostname":"router-a""#,
        ],
    );
}

/// Every IS-IS frame cut at every length: the TLV printers' own checks
/// and their `longjmp`s (after which tcpdump's dump starts at the frame's
/// first byte) stop where tcpdump's do, TLV by TLV.
#[test]
fn isis_cut_at_every_length_equals_tcpdump() {
    let path = support::temp_file("isis_every_cut.pcap", isis_captures::every_cut());
    compare_with_tcpdump(
        &path.to_string_lossy(),
        &["", "-v", "-vv", "-x", "-v -x", "-vv -x"],
        DAMAGED,
    );
}

/// CLNP and ES-IS, the IS-IS printer's neighbours after LLC SAP 0xfe,
/// at every level, in the dumps and under `-e` (which drops their names).
#[test]
fn clnp_and_esis_lines_equal_tcpdump() {
    check_dissect_capture("osi", &osi_captures::capture(DAMAGED), WITH_DUMPS, DAMAGED);
    compare_with_tcpdump(
        &capture("dissect_osi.pcap").to_string_lossy(),
        &["-e", "-e -v", "-e -vv"],
        DAMAGED,
    );
    json_has(
        "dissect_osi.pcap",
        &[
            r#""clnp":{"#,
            r#""pdu_type_name":"Echo Request""#,
            r#""source":"49.0001.1921.6800.1001.0000.0000""#,
            r#""segment":{"data_unit_id":4660,"offset":0,"total_length":80}"#,
            r#""esis":{"#,
            r#""pdu_type_name":"ISH""#,
            r#""snpa":"00:11:22:33:44:55""#,
        ],
    );
}

/// Every CLNP and ES-IS frame cut at every length: where tcpdump's own
/// checks stop and where its reads jump out, as in tcpdump.
#[test]
fn clnp_and_esis_cut_at_every_length_equal_tcpdump() {
    let path = support::temp_file("osi_every_cut.pcap", osi_captures::every_cut());
    compare_with_tcpdump(
        &path.to_string_lossy(),
        &["", "-v", "-vv", "-x", "-v -x", "-vv -x", "-e -v"],
        DAMAGED,
    );
}

/// The same PDUs in 802.11 data frames (bare and behind radiotap), whole
/// and cut at every length up to 60 bytes: the LLC printer of 802.11
/// reaches the same CLNP and ES-IS printers, as in tcpdump.
#[test]
fn clnp_and_esis_over_802_11_equal_tcpdump() {
    use support::link_captures::{bare_and_behind_radiotap, capture, wlan_data_frames};
    let frames: Vec<Vec<u8>> = osi_captures::llc_bodies()
        .iter()
        .flat_map(|b| wlan_data_frames(b, &[(1, false), (2, true)]))
        .collect();
    for (link, frames) in bare_and_behind_radiotap(&frames) {
        let path = support::temp_file(&format!("osi_wlan_{link}.pcap"), capture(link, &frames, 60));
        compare_with_tcpdump(
            &path.to_string_lossy(),
            &["", "-e", "-v", "-e -vv", "-vv -x"],
            frames.len(),
        );
    }
}

/// BIRD's configuration for one side of the session: a few static
/// routes (one with a community) in IPv4 and IPv6, exported to the peer.
fn bird_config(me: &str, peer: &str, asn: u32, peer_asn: u32, third: u8) -> String {
    format!(
        "router id {me};\n\
         protocol device {{}}\n\
         protocol static s4 {{ ipv4; route 198.51.{third}.0/24 blackhole {{ bgp_community.add((65000,7)); }}; \
           route 203.0.113.{}/25 blackhole; }}\n\
         protocol static s6 {{ ipv6; route 2001:db8:{third}::/48 blackhole; }}\n\
         protocol bgp peer {{ local {me} as {asn}; neighbor {peer} as {peer_asn}; hold time 9;\n\
           ipv4 {{ import all; export all; }}; ipv6 {{ import all; export all; }}; }}\n",
        if third == 100 { 0 } else { 128 }
    )
}

/// A real session: two BIRD daemons in namespaces of their own, joined by
/// a veth pair, open a session (OPEN, KEEPALIVE), exchange routes
/// (UPDATEs with IPv4 NLRI and IPv6 MP_REACH, End-of-RIB), one asks for a
/// refresh (ROUTE-REFRESH) and then shuts the session down
/// (NOTIFICATION, Cease). `sockscope capture` records it on one side; its
/// reading must equal tcpdump's at every level. Needs Debian's `bird2`
/// (skips without it unless SOCKSCOPE_REQUIRE_LIVE=1).
#[test]
fn bird_sessions_equal_tcpdump() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    use support::bin::{BIN, Listening, require_tool};
    use support::netns::{Netns, Server};
    if !["bird", "birdc", "tcpdump"].iter().all(|t| require_tool(t)) {
        return;
    }
    let (Some(a), Some(b)) = (Netns::for_tools(&["ip"]), Netns::for_tools(&["ip"])) else {
        return;
    };
    if !a.veth_to(&b, ("bgpa", "10.7.0.1/24"), ("bgpb", "10.7.0.2/24")) {
        return;
    }
    let ok = |ns: &Netns, args: &[&str]| ns.exec(args).status().is_ok_and(|s| s.success());
    assert!(ok(
        &a,
        &[
            "ip",
            "addr",
            "add",
            "2001:db8:7::1/64",
            "dev",
            "bgpa",
            "nodad"
        ]
    ));
    assert!(ok(
        &b,
        &[
            "ip",
            "addr",
            "add",
            "2001:db8:7::2/64",
            "dev",
            "bgpb",
            "nodad"
        ]
    ));
    let dir = support::tempdir();
    let file = dir.join("bgp_live.pcap");
    let path = file.to_str().expect("a UTF-8 path");
    let capture = Listening::start_quiet(a.exec(&[
        BIN, "capture", "-i", "bgpa", "-w", path, "tcp", "port", "179",
    ]));
    let mut daemons = Vec::new();
    for (ns, me, peer, asn, peer_asn, third) in [
        (&a, "10.7.0.1", "10.7.0.2", 65001, 65002, 100),
        (&b, "10.7.0.2", "10.7.0.1", 65002, 65001, 101),
    ] {
        let conf = dir.join(format!("bird{third}.conf"));
        std::fs::write(&conf, bird_config(me, peer, asn, peer_asn, third)).expect("a config");
        let sock = dir.join(format!("bird{third}.ctl"));
        let mut cmd = ns.exec(&[
            "bird",
            "-f",
            "-c",
            conf.to_str().unwrap(),
            "-s",
            sock.to_str().unwrap(),
            "-P",
            dir.join(format!("bird{third}.pid")).to_str().unwrap(),
        ]);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        daemons.push(Server(cmd.spawn().expect("bird starts")));
    }
    let ctl = dir.join("bird100.ctl");
    let birdc = |args: &[&str]| {
        let out = Command::new("birdc")
            .args(["-s", ctl.to_str().unwrap()])
            .args(args)
            .output()
            .expect("birdc runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let started = Instant::now();
    while !birdc(&["show", "protocols", "peer"]).contains("Established") {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no BGP session"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Both sides' routes and End-of-RIBs, then a refresh and a shutdown.
    std::thread::sleep(Duration::from_secs(2));
    birdc(&["reload", "in", "peer"]);
    std::thread::sleep(Duration::from_secs(1));
    birdc(&["disable", "peer"]);
    std::thread::sleep(Duration::from_secs(1));
    drop(daemons);
    capture.stop_ok(libc::SIGTERM);
    let counts = compare_with_tcpdump(path, LEVELS, 10);
    eprintln!("live BGP lines per level: {counts:?}");
    let out = text(&sockscope(&["read", path, "-v"]).stdout);
    for kind in [
        "Open",
        "Keepalive",
        "Update",
        "Route Refresh",
        "Notification",
    ] {
        assert!(
            out.contains(&format!("\t{kind} Message (")),
            "no {kind}: {out}"
        );
    }
    assert!(out.contains("Multi-Protocol Reach NLRI (14)"), "{out}");
}

/// Real Babel: Debian's `babeld` in two namespaces joined by a veth
/// pair exchange hellos, IHUs, router ids, next hops, updates (with
/// prefix compression) and requests for a few seconds. `sockscope
/// capture` records one side; its reading must equal tcpdump's at every
/// level. Skips without `babeld` unless SOCKSCOPE_REQUIRE_LIVE=1.
#[test]
fn babeld_exchange_equals_tcpdump() {
    use std::process::Stdio;
    use std::time::Duration;
    use support::bin::{BIN, Listening, require_tool};
    use support::netns::{Netns, Server};
    if !["babeld", "tcpdump"].iter().all(|t| require_tool(t)) {
        return;
    }
    let (Some(a), Some(b)) = (Netns::for_tools(&["ip"]), Netns::for_tools(&["ip"])) else {
        return;
    };
    if !a.veth_to(&b, ("baba", "10.8.0.1/24"), ("babb", "10.8.0.2/24")) {
        return;
    }
    let dir = support::tempdir();
    let file = dir.join("babel_live.pcap");
    let path = file.to_str().expect("a UTF-8 path");
    let capture = Listening::start_quiet(a.exec(&[
        BIN, "capture", "-i", "baba", "-w", path, "udp", "port", "6696",
    ]));
    let mut daemons = Vec::new();
    for (ns, ifname, n) in [(&a, "baba", 1), (&b, "babb", 2)] {
        let local = format!("redistribute local ip 10.8.{n}.0/24");
        let addr = format!("10.8.{n}.1/24");
        let ok = ns
            .exec(&["ip", "addr", "add", &addr, "dev", "lo"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "ip addr add {addr}");
        let file = |name: &str| dir.join(format!("babel{n}.{name}"));
        let (pid, state) = (file("pid"), file("state"));
        let mut cmd = ns.exec(&[
            "babeld",
            "-c",
            "/dev/null",
            "-I",
            pid.to_str().unwrap_or_default(),
            "-S",
            state.to_str().unwrap_or_default(),
            "-h",
            "1",
            "-H",
            "1",
            "-C",
            &local,
            "-C",
            "redistribute local deny",
            ifname,
        ]);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        daemons.push(Server(cmd.spawn().expect("babeld starts")));
    }
    std::thread::sleep(Duration::from_secs(8));
    drop(daemons);
    capture.stop_ok(libc::SIGTERM);
    let counts = compare_with_tcpdump(path, LEVELS, 4);
    eprintln!("live Babel lines per level: {counts:?}");
    let out = text(&sockscope(&["read", path, "-v"]).stdout);
    for tlv in ["\tHello ", "\tIHU ", "\tRouter Id ", "\tUpdate"] {
        assert!(out.contains(tlv), "no {tlv}: {out}");
    }
}

/// FRR's configuration for one IS-IS router: a level-1-2 router in area
/// 49.0001 with wide metrics, IPv4 and IPv6 on the veth, its loopback
/// address passive.
fn frr_isis_config(name: &str, ifname: &str, n: u8) -> String {
    format!(
        "hostname {name}\n\
         interface {ifname}\n ip router isis CORE\n ipv6 router isis CORE\n isis hello-interval 1\n!\n\
         interface lo\n ip address 192.0.2.{n}/32\n ip router isis CORE\n isis passive\n!\n\
         router isis CORE\n net 49.0001.1921.6800.100{n}.00\n is-type level-1-2\n metric-style wide\n!\n"
    )
}

/// A real adjacency: FRR's zebra and isisd in two namespaces joined by a
/// veth pair exchange LAN hellos, LSPs (hostnames, extended IS and IP
/// reachability, IPv6 reachability, router capability), CSNPs and PSNPs.
/// `sockscope capture` records one side; its reading must equal
/// tcpdump's at every level. Needs Debian's `frr` (skips without it
/// unless SOCKSCOPE_REQUIRE_LIVE=1).
#[test]
fn frr_isis_adjacency_equals_tcpdump() {
    use std::time::Duration;
    let daemons = ["zebra", "isisd"];
    // Hellos every second; the adjacency, the LSP exchange and a few
    // CSNPs within fifteen.
    let wait = |_: &mut Vec<_>| std::thread::sleep(Duration::from_secs(15));
    let Some(file) = support::frr::captured_pair("isis", 8, &daemons, frr_isis_config, wait) else {
        return;
    };
    let path = file.to_str().expect("a UTF-8 path");
    let counts = compare_with_tcpdump(path, LEVELS, 20);
    eprintln!("live IS-IS lines per level: {counts:?}");
    let out = text(&sockscope(&["read", path, "-v"]).stdout);
    for kind in [
        "L1 Lan IIH",
        "L2 Lan IIH",
        "L1 LSP",
        "L2 LSP",
        "CSNP",
        "Hostname: rb",
    ] {
        assert!(out.contains(kind), "no {kind}: {out}");
    }
}

/// FRR's BFD configuration for one side: single-hop sessions to the peer
/// over IPv4 and IPv6 and a multihop one (its source port is often 49152,
/// which tcpdump reads as Broadcom's LI shim).
fn frr_bfd_config(name: &str, ifname: &str, me: u8, peer: u8) -> String {
    format!(
        "hostname {name}\n\
         bfd\n peer 10.9.0.{peer} interface {ifname}\n !\n\
         peer 2001:db8:9::{peer} interface {ifname}\n !\n\
         peer 10.9.0.{peer} multihop local-address 10.9.0.{me}\n !\n!\n"
    )
}

/// A real BFD exchange: FRR's zebra and bfdd in two namespaces joined by a
/// veth pair bring single-hop (IPv4, IPv6) and multihop sessions from
/// Down through Init to Up; then one side's bfdd stops and the other
/// declares the sessions down (Control Detection Time Expired).
/// `sockscope capture` records one side; its reading equals tcpdump's at
/// every level and in the dumps. Needs Debian's `frr`.
#[test]
fn frr_bfd_sessions_equal_tcpdump() {
    use std::time::Duration;
    let conf = |name: &str, ifname: &str, me: u8| frr_bfd_config(name, ifname, me, 3 - me);
    // Packets every 300 ms: the sessions come up within a few seconds;
    // with rb's daemons gone, ra's detection time (900 ms) runs out.
    let run = |routers: &mut Vec<Vec<_>>| {
        std::thread::sleep(Duration::from_secs(6));
        drop(routers.pop());
        std::thread::sleep(Duration::from_secs(3));
    };
    let Some(file) = support::frr::captured_pair("bfd", 9, &["zebra", "bfdd"], conf, run) else {
        return;
    };
    let path = file.to_str().expect("a UTF-8 path");
    let levels = ["", "-v", "-vv", "-x", "-v -X", "-e"];
    let counts = compare_with_tcpdump(path, &levels, 30);
    eprintln!("live BFD lines per level: {counts:?}");
    let out = text(&sockscope(&["read", path, "-v"]).stdout);
    for kind in [
        "Control, State Down",
        "Control, State Init",
        "Control, State Up",
        "Diagnostic: Control Detection Time Expired",
    ] {
        assert!(out.contains(kind), "no {kind}: {out}");
    }
}

/// FRR's configuration for one router running four IGPs at once on the
/// veth: OSPFv2 with MD5 authentication and opaque LSAs, OSPFv3, EIGRP and
/// PIM with IGMP (a group joined on each side).
fn frr_igp_config(name: &str, ifname: &str, n: u8) -> String {
    format!(
        "hostname {name}\n\
         interface lo\n ip address 192.0.2.{n}/32\n ip pim\n!\n\
         interface {ifname}\n ip ospf hello-interval 1\n ip ospf dead-interval 4\n\
         \x20ip ospf authentication message-digest\n ip ospf message-digest-key 1 md5 secret\n\
         \x20ipv6 ospf6 hello-interval 1\n ipv6 ospf6 area 0\n\
         \x20ip pim\n ip igmp\n ip igmp join 239.1.1.{n}\n!\n\
         router ospf\n ospf router-id 10.6.0.{n}\n capability opaque\n\
         \x20network 10.6.0.0/24 area 0\n network 192.0.2.{n}/32 area 0\n!\n\
         router ospf6\n ospf6 router-id 10.6.0.{n}\n redistribute connected\n!\n\
         router eigrp 10\n eigrp router-id 10.6.0.{n}\n network 10.6.0.0/24\n network 192.0.2.{n}/32\n!\n\
         router pim\n rp 192.0.2.1 224.0.0.0/4\n!\n"
    )
}

/// Real OSPFv2 (MD5), OSPFv3, EIGRP, PIM and IGMP from FRR's daemons in
/// two namespaces joined by a veth pair: hellos, database descriptions,
/// link-state requests, updates and acknowledgements, EIGRP updates,
/// PIM hellos, IGMPv3 queries and reports. `sockscope capture` records
/// one side; its reading equals tcpdump's at every level and in the
/// dumps. Needs Debian's `frr`.
#[test]
fn frr_igps_equal_tcpdump() {
    use std::time::Duration;
    let daemons = ["zebra", "ospfd", "ospf6d", "eigrpd", "pimd"];
    // Hellos every second: adjacencies and database exchanges within 15.
    let wait = |_: &mut Vec<_>| std::thread::sleep(Duration::from_secs(15));
    let Some(file) = support::frr::captured_pair("igp", 6, &daemons, frr_igp_config, wait) else {
        return;
    };
    let path = file.to_str().expect("a UTF-8 path");
    let levels = ["", "-v", "-vv", "-x", "-v -X", "-e"];
    let counts = compare_with_tcpdump(path, &levels, 40);
    eprintln!("live IGP lines per level: {counts:?}");
    let out = text(&sockscope(&["read", path]).stdout);
    for kind in [
        "OSPFv2, Hello",
        "OSPFv2, Database Description",
        "OSPFv2, LS-Update",
        "OSPFv2, LS-Ack",
        "OSPFv3, Hello",
        "EIGRP Hello",
        "EIGRP Update",
        "PIMv2, Hello",
        "igmp v3 report",
    ] {
        assert!(out.contains(kind), "no {kind}: {out}");
    }
}
