//! SunATM captures (link type 123): the 4-byte pseudo-header (direction,
//! traffic type, VPI, VCI), then what tcpdump's `atm_print` finds: on VPI
//! 0 the signalling channels (Q.2931 on VCI 5 with several message types
//! and SSCOP's other protocols, broadcast signalling on 2, meta
//! signalling on 1, OAM F4 and F5 cells on 3 and 4 with good and bad
//! CRC-10s, ILMI's SNMP on 16), LANE's control frames and its data
//! frames' Ethernet frames (IPv4, IPv6, ARP, 802.3 with LLC, 802.1Q, an
//! unknown EtherType), and LLC PDUs for the other traffic types (SNAP
//! before IPv4, IPv6 and ARP, IP's SAP, STP, IPX, NetBEUI, OSI, AppleTalk,
//! and the LLC bodies the other LLC links share), received and sent.
//! Records whole and cut at every length print what `tcpdump -n -r`
//! prints at every level and dump; libpcap's filters (its ATM words,
//! `lane` moving the later ones into the LANE frame) select what
//! tcpdump's select; `--json` and the flows see the packet inside.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures;
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const SUNATM: u32 = 123;

/// The pseudo-header: flags (0x80 sent; low nibble 1 LANE, 2 LLC), VPI,
/// VCI.
fn hdr(flags: u8, vpi: u8, vci: u16, rest: &[u8]) -> Vec<u8> {
    [&[flags, vpi][..], &vci.to_be_bytes(), rest].concat()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// LLC/SNAP with OUI 0 and `ether_type`.
fn snap(ether_type: u16) -> Vec<u8> {
    cat(&[&[0xaa, 0xaa, 3, 0, 0, 0], &ether_type.to_be_bytes()])
}

/// An Ethernet header from 66:77:88:99:aa:bb to `dst`.
fn ether(dst: [u8; 6], ether_type: u16) -> Vec<u8> {
    cat(&[
        &dst,
        &[0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb],
        &ether_type.to_be_bytes(),
    ])
}

const STATION: [u8; 6] = [0, 0x11, 0x22, 0x33, 0x44, 0x55];

/// An IPv4 UDP datagram 10.0.0.1.5000 > 10.0.0.2.53 with a payload.
fn ipv4_udp() -> Vec<u8> {
    let mut b = Vec::new();
    etherparse::PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .udp(5000, 53)
        .write(&mut b, b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00")
        .expect("builds");
    b
}

/// An IPv4 TCP SYN 10.0.0.1.4000 > 10.0.0.2.80.
fn ipv4_tcp() -> Vec<u8> {
    let mut b = Vec::new();
    etherparse::PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .tcp(4000, 80, 1, 1000)
        .syn()
        .write(&mut b, b"")
        .expect("builds");
    b
}

fn arp() -> Vec<u8> {
    cat(&[
        &[0, 1, 8, 0, 6, 4, 0, 1],
        &STATION,
        &[192, 168, 0, 1],
        &[0; 6],
        &[192, 168, 0, 2],
    ])
}

/// A spanning tree configuration BPDU.
fn bpdu() -> Vec<u8> {
    let mut b = vec![0, 0, 0, 0, 0x80, 0];
    b.extend_from_slice(&STATION);
    b.extend_from_slice(&[0, 0, 0, 0, 0x80, 0]);
    b.extend_from_slice(&STATION);
    b.extend_from_slice(&[0x80, 1, 0, 0, 0x14, 0, 2, 0, 0x0f, 0]);
    b
}

/// tcpdump's CRC-10 over an OAM cell's payload (`verify_crc10_cksum`).
fn crc10(bytes: &[u8]) -> u16 {
    let step = |i: u16| {
        let mut a = i << 2;
        for _ in 0..8 {
            a <<= 1;
            if a & 0x400 != 0 {
                a ^= 0x633;
            }
        }
        a
    };
    bytes.iter().fold(0u16, |acc, &b| {
        ((acc << 8) & 0x3ff) ^ step((acc >> 2) & 0xff) ^ u16::from(b)
    })
}

/// An OAM cell as SunATM carries it: a byte (the HEC), the cell header
/// (VPI, VCI, payload type, CLP), the cell and function types, 45 bytes
/// of the function's fields, the CRC-10 (right, or 0x123).
fn oam_cell(cell: (u32, u32, u32, u32), types: (u8, u8), fields: &[u8], good: bool) -> Vec<u8> {
    let (vpi, vci, pt, clp) = cell;
    let header = (vpi << 20) | (vci << 4) | (pt << 1) | clp;
    let mut payload = vec![(types.0 << 4) | types.1];
    let mut f = fields.to_vec();
    f.resize(45, 0x6a);
    payload.extend(f);
    payload.extend([0, 0]);
    if good {
        let crc = (0u16..1024)
            .find(|&c| {
                payload[46..].copy_from_slice(&c.to_be_bytes());
                crc10(&payload) == 0
            })
            .expect("a CRC");
        payload[46..].copy_from_slice(&crc.to_be_bytes());
    } else {
        payload[46..].copy_from_slice(&0x123u16.to_be_bytes());
    }
    cat(&[&[0], &header.to_be_bytes(), &payload])
}

/// A Q.2931 message: protocol discriminator 9, call reference, type.
fn q2931(call_ref: u32, msg: u8) -> Vec<u8> {
    let r = call_ref.to_be_bytes();
    vec![9, 3, r[1], r[2], r[3], msg, 0x80, 0, 0]
}

/// An SNMPv1 GetRequest for sysDescr.0 (community `public`).
const SNMP_GET: &[u8] = b"\x30\x26\x02\x01\x00\x04\x06public\xa0\x19\x02\x01\x01\x02\x01\x00\x02\x01\x00\x30\x0e\x30\x0c\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x05\x00";

fn records() -> Vec<Vec<u8>> {
    let (udp, tcp, ip6) = (ipv4_udp(), ipv4_tcp(), link_captures::ipv6_udp());
    let seq: Vec<u8> = (0..60).collect();
    vec![
        // LLC traffic: SNAP before IPv4, IPv6 and ARP; sent; other VPIs.
        hdr(2, 0, 100, &cat(&[&snap(0x0800), &udp])),
        hdr(0x82, 0, 100, &cat(&[&snap(0x86dd), &ip6])),
        hdr(2, 1, 32, &cat(&[&snap(0x0806), &arp()])),
        hdr(0x82, 7, 300, &cat(&[&snap(0x0800), &tcp])),
        // Unknown traffic types are LLC too.
        hdr(0, 0, 46, &cat(&[&snap(0x0800), &udp])),
        hdr(
            0x8f,
            2,
            47,
            &cat(&[&[0xfe, 0xfe, 3, 0x81], &[0x1c, 1, 0, 0]]),
        ),
        // Other SAPs and SNAP protocols.
        hdr(2, 0, 40, &cat(&[&[0x42, 0x42, 3], &bpdu()])),
        hdr(2, 0, 41, &cat(&[&[0xe0, 0xe0, 3], b"ipxpayload"])),
        hdr(2, 0, 42, &cat(&[&[6, 6, 3], &udp])),
        hdr(2, 0, 43, &cat(&[&[0xf0, 0xf0, 3], b"netbios!"])),
        hdr(2, 0, 44, &cat(&[&[0xaa, 0xaa, 3, 0, 0, 0xf8, 8, 0], &udp])),
        hdr(
            2,
            0,
            45,
            &cat(&[&[0xaa, 0xaa, 3, 8, 0, 7, 0x80, 0x9b], b"ddp!"]),
        ),
        // Q.2931 on the signalling channel, whatever the traffic type.
        hdr(2, 0, 5, &q2931(0x12_3456, 0x05)),
        hdr(2, 0, 5, &q2931(1, 0x07)),
        hdr(2, 0, 5, &q2931(0xab_cdef, 0x4d)),
        hdr(0x81, 0, 5, &q2931(2, 0x5a)[..6]),
        hdr(2, 0, 5, &q2931(3, 0x83)),
        hdr(2, 0, 5, &q2931(4, 0x99)),
        hdr(2, 0, 5, &q2931(5, 0x75)),
        hdr(1, 0, 5, &q2931(6, 0x02)),
        // SSCOP with another protocol.
        hdr(2, 0, 5, &[1, 2, 3]),
        hdr(2, 0, 5, &[10, 3, 0x12, 0x34, 0x56, 5, 0x80, 0, 0]),
        // Broadcast and meta signalling.
        hdr(1, 0, 2, b""),
        hdr(2, 0, 2, b"abcd"),
        hdr(2, 0, 1, b"xyz"),
        // OAM F4 cells: loopback, AIS, RDI (an F5 cell header), continuity
        // check, performance management, activation, system management,
        // unknown types; right and wrong CRC-10s.
        hdr(
            2,
            0,
            3,
            &oam_cell(
                (0, 3, 0, 0),
                (1, 8),
                &cat(&[&[1, 0xde, 0xad, 0xbe, 0xef], &seq]),
                true,
            ),
        ),
        hdr(2, 0, 3, &oam_cell((0, 3, 0, 0), (1, 8), &[0], false)),
        hdr(
            2,
            0,
            4,
            &oam_cell((0, 4, 5, 1), (1, 0), &cat(&[&[5], &seq[20..]]), false),
        ),
        hdr(
            2,
            0,
            3,
            &oam_cell((1, 33, 4, 0), (1, 1), &cat(&[&[7], &seq]), true),
        ),
        hdr(2, 0, 4, &oam_cell((0, 4, 7, 0), (1, 4), b"", true)),
        hdr(2, 0, 3, &oam_cell((0, 3, 6, 1), (2, 2), b"", true)),
        hdr(2, 0, 3, &oam_cell((0, 3, 3, 0), (8, 1), b"", true)),
        hdr(2, 0, 3, &oam_cell((0, 3, 0, 0), (15, 3), b"", false)),
        hdr(2, 0, 3, &oam_cell((0, 3, 0, 0), (5, 3), b"", true)),
        hdr(0x82, 0, 4, &oam_cell((0, 4, 2, 0), (2, 9), b"", true)),
        // ILMI's SNMP, and a message its printer finds too short.
        hdr(2, 0, 16, SNMP_GET),
        hdr(2, 0, 16, &SNMP_GET[..30]),
        // LANE control frames.
        hdr(1, 0, 100, &cat(&[&[0xff, 0, 1, 1, 1, 2], &[0; 20]])),
        hdr(1, 0, 100, &[0xff, 0, 1, 2, 0, 1]),
        hdr(1, 0, 100, &[0xff, 0, 1, 1, 0, 6]),
        hdr(0x81, 0, 100, &[0xff, 0, 2, 3, 7, 0x77, b'z']),
        // LANE data frames: the Ethernet frame after the LE client id.
        hdr(1, 0, 100, &cat(&[&[0, 1], &ether(STATION, 0x0800), &udp])),
        hdr(1, 0, 100, &cat(&[&[0, 1], &ether(STATION, 0x86dd), &ip6])),
        hdr(
            0x81,
            3,
            100,
            &cat(&[&[0x0a, 0x0b], &ether([0xff; 6], 0x0806), &arp()]),
        ),
        hdr(
            1,
            0,
            100,
            &cat(&[
                &[0, 2],
                &ether([1, 0x80, 0xc2, 0, 0, 0], 0x0026),
                &[0x42, 0x42, 3],
                &bpdu(),
            ]),
        ),
        hdr(
            1,
            0,
            100,
            &cat(&[&[0, 3], &ether(STATION, 0x8100), &[0, 5, 8, 0], &tcp]),
        ),
        hdr(
            1,
            0,
            100,
            &cat(&[&[0, 4], &ether(STATION, 0x1234), b"unknown"]),
        ),
        // LANE on VPI 1's VCI 5 (no signalling channel there).
        hdr(1, 1, 5, &cat(&[&[0, 1], &ether(STATION, 0x0800), &tcp])),
    ]
}

#[test]
fn records_whole_and_cut_print_what_tcpdump_prints() {
    let levels = [
        "",
        "-e",
        "-v",
        "-e -v",
        "-x",
        "-e -x",
        "-X",
        "-xx",
        "-A",
        "-vv",
        "-e -vv -X",
    ];
    let path = temp_path(
        "sunatm",
        link_captures::capture(SUNATM, &records(), usize::MAX),
    );
    let Some(counts) = compare_with_tcpdump(&path, &levels, 1_500) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("sunatm: {total} lines identical to tcpdump's");
    assert!(total > 40_000, "{total}");
}

/// The LLC PDUs the other LLC links share (IP's SAP in each frame kind,
/// SNAP's OUIs, ISO's NLPIDs, PPP, MPLS, PPPoE behind SNAP …) as SunATM's
/// LLC traffic.
/// The records behind PPI and PKTAP headers: SunATM's LANE words after
/// the wrapper's, its printer counting its pseudo-header alone, which the
/// wrapper's printer counts again.
#[test]
fn records_behind_ppi_and_pktap_print_what_tcpdump_prints() {
    let records = support::pcap::whole_and_cut(&records());
    let total =
        support::link_captures::behind_ppi_and_pktap_equal_tcpdump("sunatm", SUNATM, &records);
    assert!(total == 0 || total > 10_000, "only {total} lines compared");
}

#[test]
fn llc_bodies_whole_and_cut_print_what_tcpdump_prints() {
    let frames: Vec<Vec<u8>> = link_captures::llc_ip_bodies()
        .iter()
        .map(|b| hdr(2, 0, 99, b))
        .collect();
    let path = temp_path(
        "sunatm-llc",
        link_captures::capture(SUNATM, &frames, usize::MAX),
    );
    let levels = ["", "-e", "-v", "-e -x", "-X", "-xx"];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 500) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("sunatm llc: {total} lines identical to tcpdump's");
    assert!(total > 15_000, "{total}");
}

/// libpcap's words on SunATM, refused as tcpdump refuses them.
const REFUSED: &[&str] = &[
    "ether host 1:2:3:4:5:6",
    "ether broadcast",
    "ether multicast",
    "vlan",
    "mpls",
    "inbound",
    "outbound",
    "lane and inbound",
];

#[test]
fn filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "arp",
        "tcp port 80",
        "udp port 53",
        "icmp6",
        "host 10.0.0.1",
        "src host 10.0.0.2",
        "net 10.0.0.0/8",
        "host 192.168.0.2",
        "host 2001:db8::1",
        "vpi 0",
        "vpi 1",
        "vpi > 0",
        "vpi != 0",
        "vci 5",
        "vci 100",
        "vci >= 40",
        "vci < 10",
        "vci <= 5",
        "vci = 3",
        "lane",
        "oamf4",
        "oam",
        "oamf4sc",
        "oamf4ec",
        "metac",
        "bcc",
        "sc",
        "ilmic",
        "connectmsg",
        "metaconnect",
        "llc",
        "llc u",
        "llc i",
        "iso",
        "clnp",
        "stp",
        "ipx",
        "atalk",
        "netbeui",
        "pppoes and ip",
        "lane and ip",
        "lane and ip6",
        "lane and arp",
        "lane and tcp port 80",
        "lane and udp",
        "lane and host 10.0.0.1",
        "lane and ether host 66:77:88:99:aa:bb",
        "lane and ether dst 0:11:22:33:44:55",
        "lane and ether broadcast",
        "lane and ether multicast",
        "lane and vlan",
        "lane and vlan 5 and tcp",
        "lane and llc",
        "lane and stp",
        "lane and lane",
        "lane and vpi 0",
        "lane and vci 100",
        "lane and mpls",
        "lane and ip[0] = 0x45",
        "lane and ether[0] = 0",
        "lane and link[4] = 0",
        "lane and len > 60",
        "not lane and ip",
        "lane or ip",
        "ip or lane",
        "vpi 0 and vci 100 and ip",
        "ip[9] = 17",
        "link[0] & 0xf = 2",
        "len > 60",
        "ether proto 0x800",
        "geneve",
        "geneve and ip",
        "lane and geneve and tcp",
        "ip and lane and ip",
        "ip and arp",
        "vci 5 or vci 16",
        "not (oam or sc)",
    ];
    let bytes = link_captures::capture(SUNATM, &records(), 64);
    let path = temp_path("sunatm-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), SUNATM, EXPRS, REFUSED);
    if compared == 0 {
        return;
    }
    eprintln!("sunatm filters: {compared} lines identical to tcpdump's");
    assert!(compared > 15_000, "{compared}");
}

/// Every expression of `tests/filter/expressions.txt` (but the one that
/// starts with `-`, which sockscope takes after `--`): what tcpdump
/// takes selects the same records whole and cut, what it refuses is
/// refused in its words.
#[test]
fn filter_expressions_select_or_refuse_as_tcpdump() {
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let listed = std::fs::read_to_string(support::root().join("tests/filter/expressions.txt"))
        .expect("expressions.txt");
    let bytes = link_captures::capture(SUNATM, &records(), 40);
    let path = temp_path("sunatm-expressions", bytes.clone());
    let (mut taken, mut refused) = (Vec::new(), Vec::new());
    for expr in listed
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with('-'))
    {
        let out = std::process::Command::new("tcpdump")
            .args(["-n", "-r", &path, expr])
            .output()
            .expect("tcpdump runs");
        let rejects_all = text(&out.stderr).contains(support::link_filters::REJECTS_ALL);
        if out.status.success() || rejects_all {
            taken.push(expr);
        } else {
            refused.push(expr);
        }
    }
    assert!(
        taken.len() >= 170 && refused.len() >= 50,
        "{} taken, {} refused",
        taken.len(),
        refused.len()
    );
    let compared = filters_equal_tcpdump((&path, &bytes), SUNATM, &taken, &refused);
    eprintln!(
        "sunatm: {} expressions taken, {} refused; {compared} lines identical to tcpdump's",
        taken.len(),
        refused.len()
    );
    assert!(compared > 8_000, "{compared}");
}

/// What tcpdump compiles on SunATM but sockscope does not: refused in
/// sockscope's own words.
#[test]
fn lists_of_channels_are_refused_in_our_words() {
    let path = temp_path(
        "sunatm-lists",
        link_captures::capture(SUNATM, &records()[..2], 0),
    );
    let out = sockscope(&["read", &path, "vci (1 or 2)"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("'vci' lists are not supported by sockscope"),
        "{}",
        text(&out.stderr)
    );
}

fn json_lines(path: &str) -> Vec<serde_json::Value> {
    let out = sockscope(&["read", path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect()
}

#[test]
fn json_gives_the_pseudo_header_and_what_it_carries() {
    let recs = [
        hdr(0x82, 1, 32, &cat(&[&snap(0x0800), &ipv4_udp()])),
        hdr(
            1,
            0,
            100,
            &cat(&[&[0, 7], &ether(STATION, 0x0800), &ipv4_tcp()]),
        ),
        hdr(1, 0, 100, &[0xff, 0, 1, 1, 1, 2]),
        hdr(2, 0, 5, &q2931(0x12_3456, 0x05)),
        hdr(2, 0, 3, &oam_cell((0, 3, 0, 1), (1, 8), b"", true)),
        hdr(0, 0, 16, SNMP_GET),
    ];
    let path = temp_path("sunatm-json", link_captures::capture(SUNATM, &recs, 0));
    let lines = json_lines(&path);
    assert_eq!(lines.len(), recs.len());
    let l = &lines[0]["link_layer"];
    assert_eq!(lines[0]["link"], "SUNATM", "{l}");
    assert_eq!(
        (
            &l["type"],
            &l["direction"],
            &l["vpi"],
            &l["vci"],
            &l["traffic"]
        ),
        (
            &"sunatm".into(),
            &"tx".into(),
            &1.into(),
            &32.into(),
            &"llc".into()
        ),
        "{l}"
    );
    assert_eq!(l["llc"]["pid"], 0x0800, "{l}");
    assert_eq!(lines[0]["udp"]["dport"], 53, "{}", lines[0]);
    // LANE's Ethernet frame: the pseudo-header's object, the frame's.
    let l = &lines[1]["link_layer"];
    assert_eq!(
        (&l["direction"], &l["traffic"], &l["lane"]["lecid"]),
        (&"rx".into(), &"lane".into(), &7.into()),
        "{l}"
    );
    assert_eq!(lines[1]["eth"]["type"], 0x0800, "{}", lines[1]);
    assert_eq!(lines[1]["tcp"]["dport"], 80, "{}", lines[1]);
    let l = &lines[2]["link_layer"];
    assert_eq!(l["lane"]["control"]["opcode"], 0x0102, "{l}");
    let l = &lines[3]["link_layer"];
    assert_eq!(l["signal"], "q2931", "{l}");
    assert_eq!(
        l["q2931"],
        serde_json::json!({"message_type": 5, "call_ref": 0x12_3456})
    );
    let l = &lines[4]["link_layer"];
    assert_eq!(
        (
            &l["signal"],
            &l["oam"]["vci"],
            &l["oam"]["cell_type"],
            &l["oam"]["clp"]
        ),
        (&"oam".into(), &3.into(), &1.into(), &1.into()),
        "{l}"
    );
    let l = &lines[5]["link_layer"];
    assert_eq!(
        (&l["signal"], &l["traffic"]),
        (&"ilmi".into(), &"unknown".into()),
        "{l}"
    );
}

#[test]
fn flows_see_the_ip_inside_llc_and_lane() {
    let recs = [
        hdr(2, 0, 100, &cat(&[&snap(0x0800), &ipv4_tcp()])),
        hdr(
            1,
            0,
            100,
            &cat(&[&[0, 1], &ether(STATION, 0x0800), &ipv4_udp()]),
        ),
        hdr(
            0x82,
            0,
            100,
            &cat(&[&snap(0x86dd), &link_captures::ipv6_udp()]),
        ),
    ];
    let path = temp_path("sunatm-flows", link_captures::capture(SUNATM, &recs, 0));
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("10.0.0.1:4000"), "{table}");
    assert!(table.contains("10.0.0.1:5000"), "{table}");
    assert!(table.contains("[2001:db8::1]:5000"), "{table}");
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(SUNATM, &records(), 123);
}
