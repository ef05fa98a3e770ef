//! The control protocols as tcpdump prints them: STP, LLDP, PTP, LACP,
//! EAPOL and CDP (link layer), IGMP with DVMRP and PIMv1, VRRP, OSPF, SCTP, DCCP, PIM (carried by IP). For each, a capture generated
//! under `tests/support/control_captures.rs` (hand-built messages, cuts,
//! damaged copies) read by `sockscope read` and `tcpdump -n -r` must give
//! the same lines byte for byte at the default level, `-v` and `-vv`;
//! goldens of the default line, `-v` and `--json` keep the output fixed
//! where tcpdump is missing. Then real IGMP: in a network namespace of its
//! own, the kernel joins multicast groups on a veth (`ip address add …
//! autojoin`), `sockscope capture` records its v3 reports on the peer, and
//! the capture must read as tcpdump reads it;
//! and real LLDP and OSPF: lldpd (LLDP-MED) and two bird daemons (OSPFv2
//! and OSPFv3 forming an adjacency) across a veth between two namespaces;
//! and real STP: the 802.1D BPDUs of two kernel bridges (`stp_state 1`)
//! electing a root, notifying and acknowledging topology changes; and
//! real VRRP (v2 with a password, v3 over IPv4 and IPv6) from two
//! keepalived daemons across a veth.

mod support;

use std::time::Duration;
use support::app_captures::compare_with_tcpdump;
use support::bin::{BIN, Listening, sockscope, text};
use support::control_captures::{ip_capture, l2_capture};
use support::golden::{check_generated, check_run};
use support::netns::Netns;
use support::{capture, temp_file, tempdir};

/// Damaged messages after the hand-written ones, per capture.
const DAMAGED: usize = 400;

/// The dumps, whose first byte after a cut line (the frame's after
/// tcpdump's `longjmp`, the payload's after its own check) is the
/// printer's to say.
const DUMPS: &[&str] = &["-x", "-A", "-v -X", "-vv -x"];

fn check(golden: &str, bytes: &[u8]) {
    let name = format!("dissect_{golden}.pcap");
    check_generated(&name, bytes);
    let p = capture(&name).to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["", "-v", "-vv"], DAMAGED);
    check_run(&format!("dissect/{golden}.out"), &["read", &p]);
    check_run(&format!("dissect/{golden}_v.out"), &["read", &p, "-v"]);
    check_run(
        &format!("dissect/{golden}_json.out"),
        &["read", &p, "--json"],
    );
}

#[test]
fn l2_control_lines_equal_tcpdump() {
    check("l2ctl", &l2_capture(DAMAGED));
    // STP, the slow protocols, PTP and CDP read a cut frame unchecked
    // (tcpdump's dump then starts at the frame), LLDP and EAPOL check.
    let p = capture("dissect_l2ctl.pcap").to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["-x", "-A", "-v -X"], DAMAGED);
}

/// PTP (EtherType 0x88f7, UDP 319 and 320) cut at every length, and
/// damaged copies: the same lines as tcpdump's at every level, the dump
/// and the link header included.
#[test]
fn ptp_cut_at_every_length_equals_tcpdump() {
    let bytes = support::control_captures::ptp_every_cut_capture(DAMAGED);
    let path = temp_file("ptp_every_cut.pcap", &bytes);
    let levels = ["", "-e", "-v", "-vv", "-x", "-e -v"];
    if let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), &levels, DAMAGED) {
        assert!(counts[0] > 1000, "{counts:?}");
    }
}

/// LLDP's organisation TLVs, OSPFv2's opaque LSAs and OSPFv3, each in a
/// capture of its own.
#[test]
fn lldp_org_tlvs_opaque_lsas_and_ospf3_equal_tcpdump() {
    use support::control_captures::{lldp_org_capture, ospf_opaque_capture, ospf3_capture};
    check("lldp_org", &lldp_org_capture(DAMAGED));
    check("ospf_opaque", &ospf_opaque_capture(DAMAGED));
    check("ospf3", &ospf3_capture(DAMAGED));
    let p = capture("dissect_ospf3.pcap").to_string_lossy().into_owned();
    compare_with_tcpdump(&p, DUMPS, DAMAGED);
}

#[test]
fn igmp_vrrp_ospf_and_sctp_lines_equal_tcpdump() {
    check("ipctl", &ip_capture(DAMAGED));
    // IGMP, OSPFv2 and VRRP read a cut packet unchecked: tcpdump's dump
    // then starts at the frame.
    let p = capture("dissect_ipctl.pcap").to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["-x", "-A", "-v -X"], DAMAGED);
    // -x/-X replace SCTP's DATA dump at -vv (tcpdump's default print);
    // -A does not.
    compare_with_tcpdump(&p, &["-e -XX -vv", "-vv -A"], DAMAGED);
}

#[test]
fn pim_lines_equal_tcpdump() {
    use support::pim_captures;
    check("pim", &pim_captures::capture(DAMAGED));
    // Registers carrying a packet: at `-v` tcpdump prints it with its IP
    // printer, as the tunnel code does for us (tests/dissect_tunnels.rs
    // compares the other flags).
    let name = "dissect_pim_register.pcap";
    check_generated(name, &pim_captures::register_capture(DAMAGED / 4));
    let p = capture(name).to_string_lossy().into_owned();
    // -vv sums the UDP inside over what IP carries when its length claims
    // more; the dump after a cut starts where tcpdump's does.
    let levels = ["", "-v", "-vv", "-e -XX -vv", "-# -tttt -v -X"];
    compare_with_tcpdump(&p, &levels, DAMAGED / 4);
    check_run("dissect/pim_register.out", &["read", &p]);
    let p = capture("dissect_pim.pcap").to_string_lossy().into_owned();
    // PIMv2 at -v reads some fields unchecked: a cut there is tcpdump's
    // longjmp, and its dump starts at the frame, not at the IP header.
    compare_with_tcpdump(&p, &["-x", "-# -tttt -v -X", "-vv -A"], DAMAGED);
    let json = text(&sockscope(&["read", &p, "--json"]).stdout);
    for key in [r#""pim":{"#, r#""type_name":"Join / Prune""#] {
        assert!(json.contains(key), "no {key}");
    }
}

/// PIMv1, carried in IGMP (type 0x14): every message type, cut and
/// damaged.
#[test]
fn pimv1_lines_equal_tcpdump() {
    check("pimv1", &support::pim_captures::pimv1_capture(DAMAGED));
    let p = capture("dissect_pimv1.pcap").to_string_lossy().into_owned();
    compare_with_tcpdump(&p, DUMPS, DAMAGED);
    let json = text(&sockscope(&["read", &p, "--json"]).stdout);
    assert!(json.contains(r#""pimv1_type_name":"Join/Prune""#), "{json}");
}

/// DVMRP, carried in IGMP (type 0x13): every message type, declared too
/// short at every length, cut at every length and damaged.
#[test]
fn dvmrp_lines_equal_tcpdump() {
    use support::dvmrp_captures;
    check("dvmrp", &dvmrp_captures::capture(DAMAGED / 4));
    let p = capture("dissect_dvmrp.pcap").to_string_lossy().into_owned();
    compare_with_tcpdump(&p, DUMPS, DAMAGED);
    let cuts = temp_file("dvmrp_cuts.pcap", dvmrp_captures::every_cut_capture());
    let cuts = cuts.to_string_lossy();
    compare_with_tcpdump(
        &cuts,
        &["", "-v", "-vv", "-vvv", "-x", "-vv -X"],
        2 * DAMAGED,
    );
    let json = text(&sockscope(&["read", &p, "--json"]).stdout);
    for key in [r#""dvmrp_type":6"#, r#""dvmrp_type_name":"Neighbors2""#] {
        assert!(json.contains(key), "no {key}");
    }
}

/// Ethernet OAM (the slow protocols' subtype 3): every code, TLV and
/// link event, declared too short, cut at every length and damaged.
#[test]
fn oam_lines_equal_tcpdump() {
    use support::oam_captures;
    check("oam", &oam_captures::capture(DAMAGED / 4));
    let p = capture("dissect_oam.pcap").to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["-vvv", "-e -v"], DAMAGED);
    compare_with_tcpdump(&p, DUMPS, DAMAGED);
    let json = text(&sockscope(&["read", &p, "--json"]).stdout);
    assert!(
        json.contains(r#""code_name":"Event Notification""#),
        "{json}"
    );
    let cuts = temp_file("oam_cuts.pcap", oam_captures::every_cut_capture());
    let cuts = cuts.to_string_lossy();
    compare_with_tcpdump(&cuts, &["", "-v", "-vv", "-x", "-v -X"], 2 * DAMAGED);
}

#[test]
fn dccp_lines_equal_tcpdump() {
    check("dccp", &support::dccp_captures::capture(DAMAGED));
    let p = capture("dissect_dccp.pcap").to_string_lossy().into_owned();
    compare_with_tcpdump(&p, DUMPS, DAMAGED);
    let json = text(&sockscope(&["read", &p, "--json"]).stdout);
    for key in [
        r#""dccp":{"#,
        r#""type_name":"DCCP-Request""#,
        r#""service":42"#,
    ] {
        assert!(json.contains(key), "no {key}");
    }
}

/// The JSON objects carry the decoded fields.
#[test]
fn json_names_the_control_protocols() {
    for (name, keys) in [
        (
            "dissect_l2ctl.pcap",
            &[
                "\"stp\":{",
                "\"lldp\":{",
                "\"system_name\":\"sw1.example.net\"",
                "\"ptp\":{",
                "\"msg_type_name\":\"announce msg\"",
                "\"slow\":{",
                "\"partner\":{",
                "\"identity\":\"alice@example.net\"",
                "\"cdp\":{",
                "\"device_id\":\"sw1.example.net\"",
            ][..],
        ),
        (
            "dissect_ipctl.pcap",
            &[
                "\"igmp\":{",
                "\"vrrp\":{",
                "\"kind\":\"report_v3\"",
                "\"vrid\":2",
                "\"ospf\":{",
                "\"type_name\":\"LS-Update\"",
                "\"sctp\":{",
                "\"name\":\"INIT ACK\"",
            ][..],
        ),
    ] {
        let p = capture(name).to_string_lossy().into_owned();
        let json = text(&sockscope(&["read", &p, "--json"]).stdout);
        for key in keys {
            assert!(json.contains(key), "{name}: no {key}");
        }
    }
}

#[test]
fn kernel_igmp_reports_equal_tcpdump() {
    let Some(ns) = Netns::for_tools(&["tcpdump", "ip"]) else {
        return;
    };
    if !ns.veth_pair("igmpa", "igmpb") {
        return;
    }
    let ok = |args: &[&str]| ns.exec(args).status().is_ok_and(|s| s.success());
    assert!(ok(&[
        "ip",
        "address",
        "add",
        "192.0.2.10/24",
        "dev",
        "igmpa"
    ]));
    let file = tempdir().join("igmp_live.pcap");
    let path = file.to_str().expect("a UTF-8 path");
    let capture =
        Listening::start_quiet(ns.exec(&[BIN, "capture", "-i", "igmpb", "-w", path, "igmp"]));
    std::thread::sleep(Duration::from_millis(500));
    // Each autojoin address makes the kernel join (and later leave) its
    // group: IGMPv3 reports, sent twice as RFC 3376 asks.
    for group in ["239.1.2.3", "239.4.5.6", "232.1.1.1"] {
        assert!(ok(&[
            "ip",
            "address",
            "add",
            &format!("{group}/32"),
            "dev",
            "igmpa",
            "autojoin"
        ]));
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert!(ok(&[
        "ip",
        "address",
        "del",
        "239.1.2.3/32",
        "dev",
        "igmpa"
    ]));
    std::thread::sleep(Duration::from_millis(1500));
    capture.stop_ok(libc::SIGTERM);
    let counts = compare_with_tcpdump(path, &["", "-v", "-vv"], 3);
    eprintln!("live IGMP lines per level: {counts:?}");
    let out = text(&sockscope(&["read", path]).stdout);
    assert!(out.contains("igmp v3 report"), "{out}");
}

/// Real LLDP and OSPF: two namespaces joined by a veth, bird running
/// OSPFv2 and OSPFv3 on both ends (hellos, the election, database
/// descriptions, requests, updates and acknowledgements) and lldpd with
/// LLDP-MED on one (802.3 and TIA organisation TLVs); `sockscope capture`
/// records the far end, and the capture must read as tcpdump reads it.
#[test]
fn lldpd_and_bird_lines_equal_tcpdump() {
    use support::netns::Server;
    let Some(a) = Netns::for_tools(&["tcpdump", "ip", "bird", "lldpd"]) else {
        return;
    };
    let Some(b) = Netns::create_or_skip() else {
        return;
    };
    if !a.veth_to(&b, ("ctla", "192.0.2.1/24"), ("ctlb", "192.0.2.2/24")) {
        return;
    }
    let dir = tempdir();
    let file = dir.join("lldp_ospf_live.pcap");
    let path = file.to_str().expect("a UTF-8 path");
    let capture = Listening::start_quiet(b.exec(&[
        BIN,
        "capture",
        "-i",
        "ctlb",
        "-w",
        path,
        "ether proto 0x88cc or ip proto 89 or ip6 proto 89",
    ]));
    let bird = |ns: &Netns, n: u8, dev: &str| {
        let conf = dir.join(format!("bird{n}.conf"));
        std::fs::write(
            &conf,
            format!(
                "router id 10.0.0.{n};\n\
                 protocol device {{ scan time 1; }}\n\
                 protocol direct {{ ipv4; ipv6; }}\n\
                 protocol static {{ ipv4; route 198.51.{n}.0/24 blackhole; }}\n\
                 protocol ospf v2 {{ ipv4 {{ import all; export all; }}; area 0 {{ \
                 interface \"{dev}\" {{ hello 1; dead 4; wait 2; }}; }}; }}\n\
                 protocol ospf v3 {{ ipv6 {{ import all; export all; }}; area 0 {{ \
                 interface \"{dev}\" {{ hello 1; dead 4; wait 2; }}; }}; }}\n"
            ),
        )
        .expect("write the bird configuration");
        let sock = dir.join(format!("bird{n}.ctl"));
        let mut cmd = ns.exec(&["bird", "-f", "-c"]);
        cmd.arg(&conf).arg("-s").arg(&sock);
        cmd.stdout(std::process::Stdio::null());
        Server(cmd.spawn().expect("bird starts"))
    };
    let _bird_a = bird(&a, 1, "ctla");
    let _bird_b = bird(&b, 2, "ctlb");
    let lldp_sock = dir.join("lldpd.ctl");
    let mut lldpd = a.exec(&["lldpd", "-d", "-M", "4", "-I", "ctla", "-u"]);
    lldpd.arg(&lldp_sock);
    lldpd.stdout(std::process::Stdio::null());
    lldpd.stderr(std::process::Stdio::null());
    let lldpd = Server(lldpd.spawn().expect("lldpd starts"));
    // The election waits 2 s, then the databases are exchanged.
    std::thread::sleep(Duration::from_secs(12));
    // Asked to stop, lldpd also ends its unprivileged child.
    support::bin::signal(&lldpd.0, libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(300));
    capture.stop_ok(libc::SIGTERM);
    let counts = compare_with_tcpdump(path, &["", "-v", "-vv"], 20);
    eprintln!("live LLDP and OSPF lines per level: {counts:?}");
    let out = text(&sockscope(&["read", path, "-vv"]).stdout);
    for want in [
        "LLDP, length",
        "OUI ANSI/TIA (0x0012bb)",
        "OSPFv2, LS-Update",
        "OSPFv3, Database Description",
        "OSPFv3, LS-Ack",
    ] {
        assert!(out.contains(want), "no {want}: {out}");
    }
}

/// An 802.3 frame whose length field (38) claims more than the frame held
/// on the wire (10 bytes after the header): tcpdump judges the BPDU by the
/// smaller length, `Config (invalid)`, and so must we.
#[test]
fn a_bpdu_shorter_on_the_wire_than_its_length_field_is_invalid() {
    let p = capture("filter_ether.pcap").to_string_lossy().into_owned();
    for (flag, want) in [
        ("-n", "22:15:04.104000 STP 802.1d, Config (invalid)"),
        (
            "-e",
            "22:15:04.104000 02:00:00:00:00:01 > 02:00:00:00:00:02, 802.3, length 10: LLC, \
             dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, \
             Config (invalid)",
        ),
    ] {
        let out = sockscope(&["read", &p, flag, "-tttt"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let all = text(&out.stdout);
        let line = all
            .lines()
            .find(|l| l.contains("STP 802.1d"))
            .unwrap_or_default();
        // -tttt prints the date first: compare from the time on.
        let line = line.split_once(' ').map_or(line, |(_, rest)| rest);
        assert_eq!(line, want, "{flag}");
    }
}

/// The same rule under VLAN tags: the frame holds four bytes fewer after
/// its header, so a tagged BPDU that fills its length field untagged
/// falls short by them. Each BPDU, tagged and not, cut on the wire at the
/// lengths around its length field (38), must read as tcpdump reads it,
/// with and without `-e` (where tcpdump names the tags and `802.3`, then
/// the LLC header).
#[test]
fn a_vlan_tagged_802_3_frame_is_judged_by_the_bytes_after_its_tags() {
    use support::app_captures::{Frame, capture as pcap};
    use support::control_captures::stp_frames;
    let mut frames = Vec::new();
    // Two BPDUs, and the first as NetBEUI (a SAP without a dissector).
    let mut netbeui = stp_frames().remove(0);
    netbeui.splice(14..16, [0xf0, 0xf0]);
    for bpdu in stp_frames().into_iter().take(2).chain([netbeui]) {
        let mut tagged = bpdu.clone();
        tagged.splice(12..12, [0x81, 0x00, 0x00, 0x07]);
        for (f, header) in [(bpdu, 14), (tagged, 18)] {
            // LLC (3) + BPDU (35) is the length field, 38.
            for wire in [header + 39, header + 38, header + 37, header + 34] {
                let bytes = f.get(..wire).unwrap_or(&f).to_vec();
                frames.push(Frame { bytes, snap: None });
            }
        }
    }
    let path = temp_file("vlan_8023.pcap", pcap(&frames));
    let p = path.to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["", "-e", "-v", "-x", "-ex"], frames.len());
    let _ = std::fs::remove_file(&path);
}

/// Cisco's UDLD, DTP and VTP in SNAP frames: every message kind and TLV
/// tcpdump decodes, wrong lengths, cuts every 7 bytes and damaged copies,
/// at each level, with `-e` (the SNAP header's PID names) and where the
/// dump starts after a cut (all three read a cut frame unchecked).
#[test]
fn udld_dtp_and_vtp_lines_equal_tcpdump() {
    check("cisco", &support::control_captures::cisco_capture(DAMAGED));
    let p = capture("dissect_cisco.pcap").to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["-e", "-x", "-A", "-v -X"], DAMAGED);
    let json = text(&sockscope(&["read", &p, "--json"]).stdout);
    for key in [
        r#""udld":{"#,
        r#""opcode_name":"Probe message""#,
        r#""device_id":"FOC1234X0AB""#,
        r#""dtp":{"#,
        r#""neighbor":"00:1b:2c:3d:4e:5f""#,
        r#""vtp":{"#,
        r#""type_name":"Subset advertisement""#,
        r#""name":"fddi-default""#,
    ] {
        assert!(json.contains(key), "no {key}");
    }
}

/// Real 802.1D BPDUs from the kernel's bridges: two namespaces, each
/// with a bridge running STP (`stp_state 1`, hello 1 s, forward delay
/// 2 s, max age 6 s), joined by a veth pair; the second bridge has one
/// more port, to a veth end of its own outside the bridge. The first
/// bridge wins the election; the second's ports go forwarding and it
/// sends Topology Change Notifications, acknowledged (`Topology change
/// ACK`, `Topology change`); then the second bridge's priority is raised
/// over the first's, it becomes the root, and its extra port goes down.
/// `sockscope capture` records the first bridge's port (Ethernet) and
/// every interface of the second namespace (`any`: Linux cooked v2, in
/// and out, the relayed BPDUs with a message age and a path cost); both
/// read as tcpdump reads them at the default level, `-v`, `-e` and
/// `-e -v` (the cooked capture read in its namespace, where tcpdump and
/// sockscope name the interfaces from their indexes), with the BPDUs of
/// each kind counted in tcpdump's lines.
#[test]
fn kernel_bridge_stp_lines_equal_tcpdump() {
    use support::app_captures::assert_kinds;
    let Some(a) = Netns::for_tools_named("stp14", &["tcpdump", "ip"]) else {
        return;
    };
    let Some(b) = Netns::create_named_or_skip("stp14") else {
        return;
    };
    let must = |ns: &Netns, cmd: &str| {
        let args: Vec<&str> = cmd.split(' ').collect();
        let out = ns.exec(&args).output().expect("ip runs");
        assert!(out.status.success(), "{cmd}: {}", text(&out.stderr));
    };
    let timers = "stp_state 1 hello_time 100 forward_delay 200 max_age 600";
    let bridge = format!("ip link add br0 type bridge {timers} priority 32768");
    let args: Vec<&str> = bridge.split(' ').collect();
    if !a.exec(&args).status().is_ok_and(|s| s.success()) {
        // A container's kernel may have no bridge module.
        assert!(
            !support::env_on("SOCKSCOPE_REQUIRE_LIVE"),
            "`{bridge}` failed: the kernel here makes no bridges"
        );
        eprintln!("SKIPPED: the kernel here makes no bridges (`{bridge}` failed)");
        return;
    }
    must(
        &b,
        &format!("ip link add br1 type bridge {timers} priority 40960"),
    );
    must(
        &a,
        &format!("ip link add a0 type veth peer name b0 netns {}", b.0),
    );
    must(&b, "ip link add b1 type veth peer name b1x");
    must(&a, "ip link set a0 master br0");
    must(&b, "ip link set b0 master br1");
    must(&b, "ip link set b1 master br1");
    must(&a, "ip link set br0 up");
    must(&a, "ip link set a0 up");
    let dir = tempdir();
    let (file_a, file_b) = (dir.join("stp_port.pcap"), dir.join("stp_any.pcap"));
    let (path_a, path_b) = (file_a.to_str().unwrap(), file_b.to_str().unwrap());
    let cap_a = Listening::start_quiet(a.exec(&[BIN, "capture", "-i", "a0", "-w", path_a]));
    let cap_b = Listening::start_quiet(b.exec(&[BIN, "capture", "-i", "any", "-w", path_b]));
    for dev in ["br1", "b0", "b1", "b1x"] {
        must(&b, &format!("ip link set {dev} up"));
    }
    // Listening 2 s, learning 2 s, forwarding: the notifications, their
    // acknowledgement, then the topology change flag for a while.
    std::thread::sleep(Duration::from_secs(7));
    must(&b, "ip link set br1 type bridge priority 4096");
    std::thread::sleep(Duration::from_secs(5));
    must(&b, "ip link set b1 down");
    std::thread::sleep(Duration::from_secs(2));
    for cap in [cap_a, cap_b] {
        cap.stop_ok(libc::SIGTERM);
    }
    let levels = ["", "-v", "-e", "-e -v"];
    let port = compare_with_tcpdump(path_a, &levels, 10);
    let any = compare_in_namespace(&b, path_b, &levels, &["b0 ", "b1 ", "br1 "]);
    let config = "STP 802.1d, Config, Flags [";
    let tcn = "STP 802.1d, Topology Change";
    let mut bpdus = Vec::new();
    for (path, times) in [(path_a, 1), (path_b, 2)] {
        for level in ["", "-e"] {
            let n = assert_kinds(
                path,
                level,
                &[
                    (config, 6 * times),
                    ("Flags [none]", 2),
                    ("Flags [Topology change]", 2),
                    ("Flags [Topology change, Topology change ACK]", 1),
                    (tcn, times),
                    ("bridge-id 8000.", 2),
                    ("bridge-id 1000.", 2),
                ],
            );
            bpdus.push(n);
        }
        assert_kinds(
            path,
            "-v",
            &[
                ("message-age ", 6 * times),
                (
                    "max-age 6.00s, hello-time 1.00s, forwarding-delay 2.00s",
                    6 * times,
                ),
                ("root-id 8000.", 2),
                ("root-id 1000.", 2),
            ],
        );
    }
    // The second bridge relays the root's BPDUs: an age and a cost.
    assert_kinds(
        path_b,
        "-v",
        &[("root-pathcost 2", 1), ("message-age 0.00s", 1)],
    );
    assert_kinds(
        path_b,
        "-e",
        &[("802.2, length 27: LLC", 1), (" Out ifindex ", 4)],
    );
    eprintln!(
        "live STP lines identical to tcpdump's: port {port:?}, any {any:?} (default, -v, -e, -e -v)"
    );
}

/// `sockscope read` and `tcpdump -n -r` of `path` at each of `levels`,
/// both run inside `ns` (a cooked capture's `-e` names interfaces by
/// their index there: under `-e` tcpdump's lines must hold each of
/// `names`): every line the same, some lines at each level; the lines
/// per level.
fn compare_in_namespace(ns: &Netns, path: &str, levels: &[&str], names: &[&str]) -> Vec<usize> {
    let mut counts = Vec::new();
    for level in levels {
        let flags: Vec<&str> = level.split_whitespace().collect();
        let mut ours = ns.exec(&[&[BIN, "read", path][..], &flags].concat());
        let ours = ours.env("TZ", "UTC").output().expect("sockscope runs");
        assert!(ours.status.success(), "{}", text(&ours.stderr));
        let mut theirs = ns.exec(&[&["tcpdump", "-n", "-r", path][..], &flags].concat());
        let theirs = theirs.env("TZ", "UTC").output().expect("tcpdump runs");
        let (ours, theirs) = (text(&ours.stdout), text(&theirs.stdout));
        assert!(theirs.lines().count() >= 10, "{path} {level}: {theirs}");
        if level.contains("-e") {
            for name in names {
                assert!(
                    theirs.contains(name),
                    "{path} {level}: no {name:?} in {theirs}"
                );
            }
        }
        if let Some(diff) = support::app_captures::first_difference(&ours, &theirs) {
            panic!("{path} {level}: sockscope differs from tcpdump at {diff}");
        }
        counts.push(theirs.lines().count());
    }
    counts
}

/// keepalived's configuration for one end of the veth: a VRRPv2 instance
/// with simple (password) authentication and two addresses, a VRRPv3 one
/// over IPv4 and a VRRPv3 one over IPv6; the two ends' priorities differ,
/// so each instance has a master and a backup.
fn keepalived_conf(iface: &str, id: &str, [v2, v3, v6]: [u8; 3]) -> String {
    let instance = |name: &str, vrid: u8, prio: u8, version: u8, extra: &str, vips: &str| {
        format!(
            "vrrp_instance {name} {{\n  state BACKUP\n  interface {iface}\n  \
             virtual_router_id {vrid}\n  priority {prio}\n  advert_int 1\n  \
             version {version}\n{extra}  virtual_ipaddress {{\n{vips}  }}\n}}\n"
        )
    };
    [
        format!("global_defs {{\n  router_id {id}\n}}\n"),
        instance(
            "V2",
            51,
            v2,
            2,
            "  authentication {\n    auth_type PASS\n    auth_pass secret12\n  }\n",
            "    192.0.2.100/24\n    192.0.2.101/24\n",
        ),
        instance("V3", 52, v3, 3, "", "    192.0.2.200/24\n"),
        instance(
            "V6",
            53,
            v6,
            3,
            "",
            "    2001:db8::100/64\n    2001:db8::101/64\n",
        ),
    ]
    .concat()
}

/// Real VRRP: two keepalived daemons on the two ends of a veth elect a
/// master for a VRRPv2 instance (simple authentication), a VRRPv3 one and
/// a VRRPv3 one over IPv6, advertise every second, and on SIGTERM give up
/// (priority 0). `sockscope capture` records one end; every line equals
/// tcpdump's at the default level, `-v` and `-vv`, each kind counted.
#[test]
fn keepalived_vrrp_lines_equal_tcpdump() {
    use support::netns::Server;
    let Some(ns) = Netns::for_tools(&["keepalived", "tcpdump"]) else {
        return;
    };
    if !ns.veth_pair("vrrpa", "vrrpb") {
        return;
    }
    let ok = |args: &[&str]| ns.exec(args).status().is_ok_and(|s| s.success());
    for (cidr, dev) in [("192.0.2.1/24", "vrrpa"), ("192.0.2.2/24", "vrrpb")] {
        assert!(ok(&["ip", "address", "add", cidr, "dev", dev]));
    }
    // IPv6 advertisements come from the link-local address, once it has
    // passed duplicate address detection.
    std::thread::sleep(Duration::from_millis(2500));
    let dir = tempdir();
    let file = dir.join("vrrp_live.pcap");
    let path = file.to_str().expect("a UTF-8 path");
    let capture = Listening::start_quiet(ns.exec(&[
        BIN, "capture", "-i", "vrrpb", "-w", path, "ip", "proto", "112", "or", "ip6", "proto",
        "112",
    ]));
    let daemon = |end: &str, iface: &str, priorities: [u8; 3]| {
        let conf = dir.join(format!("keepalived_{end}.conf"));
        std::fs::write(&conf, keepalived_conf(iface, end, priorities)).unwrap();
        let file = |what: &str| dir.join(format!("{end}.{what}.pid"));
        let (main, vrrp, checker) = (file("main"), file("vrrp"), file("checker"));
        let mut cmd = ns.exec(&[
            "keepalived",
            "--dont-fork",
            "--log-console",
            "-f",
            conf.to_str().unwrap(),
            "-p",
            main.to_str().unwrap(),
            "-r",
            vrrp.to_str().unwrap(),
            "-c",
            checker.to_str().unwrap(),
        ]);
        Server(
            cmd.stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("keepalived starts"),
        )
    };
    let a = daemon("a", "vrrpa", [150, 90, 200]);
    let b = daemon("b", "vrrpb", [100, 120, 50]);
    std::thread::sleep(Duration::from_millis(6000));
    for end in [&a, &b] {
        support::bin::signal(&end.0, libc::SIGTERM);
        std::thread::sleep(Duration::from_millis(1000));
    }
    drop((a, b));
    capture.stop_ok(libc::SIGTERM);
    let counts = compare_with_tcpdump(path, &["", "-v", "-vv"], 6).expect("tcpdump is here");
    let kinds = |level: &str, kinds: &[(&str, usize)]| {
        support::app_captures::assert_kinds(path, level, kinds)
    };
    let lines = kinds(
        "",
        &[
            (
                "192.0.2.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 150, authtype simple, intvl 1s, length 24",
                2,
            ),
            (
                "> 224.0.0.18: VRRPv3, Advertisement, vrid 52, prio 120, intvl 100cs, length 12",
                2,
            ),
            (
                "> ff02::12: VRRPv3, Advertisement, vrid 53, prio 200, intvl 100cs, length 40",
                2,
            ),
            ("vrid 51, prio 0,", 1),
            ("vrid 53, prio 0,", 1),
        ],
    );
    kinds(
        "-v",
        &[
            ("proto VRRP (112), length 44)", 2),
            ("addrs(2): 192.0.2.100,192.0.2.101 auth \"secret12\"", 2),
            ("addrs: 192.0.2.200", 2),
            ("addrs(2): 2001:db8::100,2001:db8::101", 2),
        ],
    );
    eprintln!("{lines} VRRP lines; identical to tcpdump's (default, -v, -vv): {counts:?}");
}
