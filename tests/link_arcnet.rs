//! ARCNET, BSD's link type 7 (source, destination, type; RFC 1201's
//! phase II split flag and sequence id, an exception packet's longer
//! header) and Linux's 129 (a two-byte offset before the type, phase II
//! skipped): tcpdump 4.99 prints `-e`'s addresses, type name, sequence
//! id and fragment (`01 02 ip seqid 1234 (first of 3 fragments) 38: `;
//! Linux's names the byte where BSD's type is), hands IP, ARP, RARP,
//! IPv6, IPX and AppleTalk to their printers, prints nothing of a later
//! fragment and the payload of other types in hex. Records of every
//! such type and framing, whole and cut at every length, must print what
//! `tcpdump -n -r` prints at every level and in every dump; filters are
//! libpcap's (the type byte, the network layer at a constant place,
//! broadcast as destination 0); flows see the IP packets; `--json` has
//! the header's fields.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures;
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const BSD: u32 = 7;
const LINUX: u32 = 129;

/// An IPv4 UDP datagram 10.0.0.1.1234 > 10.0.0.2.53 with 4 bytes.
fn ipv4_udp() -> Vec<u8> {
    let mut p = vec![
        0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ];
    p.extend([0x04, 0xd2, 0, 53, 0, 12, 0, 0]);
    p.extend(b"abcd");
    p
}

/// An ARP request as ARCNET carries it (hardware type 7, one-byte
/// addresses).
fn arp() -> Vec<u8> {
    vec![0, 7, 8, 0, 1, 4, 0, 1, 0x05, 10, 0, 0, 1, 0, 10, 0, 0, 2]
}

/// An IPv6 UDP datagram to ff02::1.
fn ipv6_udp() -> Vec<u8> {
    let mut p = vec![0x60, 0, 0, 0, 0, 8, 17, 64];
    p.extend([0xfe, 0x80]);
    p.extend([0; 13]);
    p.push(1);
    p.extend([0xff, 2]);
    p.extend([0; 13]);
    p.push(1);
    p.extend([0x04, 0xd2, 0x00, 0x35, 0, 8, 0, 0]);
    p
}

/// An IPX header (30 bytes) and two bytes of data.
fn ipx() -> Vec<u8> {
    let mut p = vec![0xff, 0xff, 0, 32, 0, 4];
    p.extend([0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 0x04, 0x52]);
    p.extend([0, 0, 0, 2, 6, 5, 4, 3, 2, 1, 0x40, 0x00]);
    p.extend([9, 9]);
    p
}

/// A long DDP header (13 bytes) of an AppleTalk echo and its data.
fn ddp() -> Vec<u8> {
    vec![0, 17, 0, 0, 0, 1, 0, 2, 10, 20, 4, 4, 4, 1, 2, 3, 4]
}

/// Each type with its payload (other types: bytes in hex).
fn payloads() -> Vec<(u8, Vec<u8>)> {
    vec![
        (0xd4, ipv4_udp()),
        (0xf0, ipv4_udp()),
        (0xd5, arp()),
        (0xf1, arp()),
        (0xd6, arp()),
        (0xc4, ipv6_udp()),
        (0xfa, ipx()),
        (0xdd, ddp()),
        (0x80, b"diagnostic".to_vec()),
        (0xcd, (0u8..40).collect()),
        (0xf7, b"banyan".to_vec()),
    ]
}

fn phase_two(kind: u8) -> bool {
    !matches!(kind, 0x80 | 0xf0 | 0xf1)
}

/// BSD records: each type unsplit, as a first and a later fragment, and
/// in exception packets (first, later, whole).
fn bsd_records() -> Vec<Vec<u8>> {
    let mut r = Vec::new();
    for (kind, payload) in payloads() {
        if !phase_two(kind) {
            r.push([vec![1, 2, kind], payload].concat());
            continue;
        }
        for flag in [0, 3, 4, 0x45] {
            r.push([vec![1, 2, kind, flag, 0x12, 0x34], payload.clone()].concat());
        }
        for flag in [0, 5, 6] {
            let head = vec![1, 2, kind, 0xff, 0xff, 0xff, kind, flag, 0xab, 0xcd];
            r.push([head, payload.clone()].concat());
        }
    }
    // A broadcast, and a header with nothing after it.
    r.push([vec![7, 0, 0xd4, 0, 0, 1], ipv4_udp()].concat());
    r.push(vec![1, 2, 0xd4, 0, 0x12, 0x34]);
    r
}

/// Linux records: the offset's first byte (which tcpdump names) as a
/// type and not, a split flag tcpdump ignores.
fn linux_records() -> Vec<Vec<u8>> {
    let mut r = Vec::new();
    for (kind, payload) in payloads() {
        let split = if phase_two(kind) {
            vec![0, 0x12, 0x34]
        } else {
            vec![]
        };
        for offset in [[0, 0], [0xd4, 0x78], [0xfa, 0]] {
            let head = [vec![1, 2, offset[0], offset[1], kind], split.clone()].concat();
            r.push([head, payload.clone()].concat());
        }
    }
    r.push([vec![1, 2, 0, 0, 0xd4, 4, 0x12, 0x34], ipv4_udp()].concat());
    r.push(
        [
            vec![7, 0, 0, 0, 0xd4, 0xff, 0xff, 0xff, 0xd4, 0],
            ipv4_udp(),
        ]
        .concat(),
    );
    r
}

const LEVELS: [&str; 11] = [
    "", "-e", "-v", "-vv -e", "-x", "-X", "-e -x", "-xx", "-v -x", "-A", "-e -X",
];

/// `records` of `link`, whole and cut at every length, at every level of
/// [`LEVELS`]: the lines compared, or `None` without tcpdump.
fn lines_identical(link: u32, records: &[Vec<u8>], name: &str) -> Option<usize> {
    let path = temp_path(name, link_captures::capture(link, records, usize::MAX));
    let counts = compare_with_tcpdump(&path, &LEVELS, 1_000)?;
    let total = counts.iter().sum();
    eprintln!("ARCNET ({link}): {total} lines identical to tcpdump's");
    Some(total)
}

#[test]
fn bsd_records_whole_and_cut_print_what_tcpdump_prints() {
    if let Some(total) = lines_identical(BSD, &bsd_records(), "arcnet-bsd-cuts") {
        assert!(total > 40_000, "{total}");
    }
}

#[test]
fn linux_records_whole_and_cut_print_what_tcpdump_prints() {
    if let Some(total) = lines_identical(LINUX, &linux_records(), "arcnet-linux-cuts") {
        assert!(total > 20_000, "{total}");
    }
}

const EXPRS: &[&str] = &[
    "ip",
    "arp",
    "rarp",
    "ip6",
    "atalk",
    "udp",
    "tcp",
    "host 10.0.0.1",
    "ip host 10.0.0.2 and udp port 53",
    "ip6 multicast",
    "ip multicast",
    "ip broadcast",
    "ether broadcast",
    "ether multicast",
    "ether proto 0x800",
    "arp host 10.0.0.2",
    "link[0] = 7",
    "ether[2] = 0xd4 and len > 40",
    "less 20",
    "not ip and not arp",
    "geneve",
    "geneve and ip",
    "geneve 5 and tcp port 80",
];

const REFUSED: &[&str] = &["ether host 1:2:3:4:5:6", "llc", "vlan", "mpls", "inbound"];

/// [`EXPRS`] and [`REFUSED`] on `records` of `link` against tcpdump.
/// Geneve over each IP type (libpcap's network layer is at the phase II
/// header's end whatever the type).
fn filters_agree(link: u32, records: &[Vec<u8>], name: &str) {
    let mut records = records.to_vec();
    for (kind, v6) in [(0xd4, false), (0xf0, false), (0xc4, true)] {
        let head = if link == BSD {
            vec![1, 2, kind, 0, 0x12, 0x34]
        } else {
            vec![1, 2, 0, 0, kind, 0, 0x12, 0x34]
        };
        records.push([head, link_captures::geneve_packet(v6)].concat());
    }
    let bytes = link_captures::capture(link, &records, 0);
    let path = temp_path(name, bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), link, EXPRS, REFUSED);
    assert!(compared == 0 || compared >= 100, "{compared}");
}

#[test]
fn bsd_filters_are_libpcaps() {
    filters_agree(BSD, &bsd_records(), "arcnet-bsd-filters");
}

#[test]
fn linux_filters_are_libpcaps() {
    filters_agree(LINUX, &linux_records(), "arcnet-linux-filters");
}

#[test]
fn json_and_flows_see_the_header_and_the_ip_packet() {
    let path = temp_path(
        "arcnet-json",
        link_captures::capture(BSD, &bsd_records(), 0),
    );
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    // The first IP record unsplit, then its first fragment.
    let l = &lines[0]["link_layer"];
    assert_eq!(
        [
            &l["type"],
            &l["src"],
            &l["dst"],
            &l["protocol"],
            &l["split_flag"],
            &l["seqid"]
        ],
        [
            &serde_json::json!("arcnet"),
            &serde_json::json!(1),
            &serde_json::json!(2),
            &serde_json::json!(0xd4),
            &serde_json::json!(0),
            &serde_json::json!(0x1234)
        ]
    );
    assert_eq!(lines[0]["ip"]["dst"], "10.0.0.2", "{}", lines[0]);
    // The exception packet's split flag and sequence id are the second ones.
    let exc = &lines[5]["link_layer"];
    assert_eq!(
        (exc["split_flag"].as_u64(), exc["seqid"].as_u64()),
        (Some(5), Some(0xabcd))
    );
    // Flows: the IP records' one UDP flow (later fragments carry none).
    let out = sockscope(&["read", &path, "--flows", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let flows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let udp: Vec<_> = flows
        .iter()
        .filter(|f| f["proto"] == "udp" && f["id.resp_h"] == "10.0.0.2")
        .collect();
    assert_eq!(udp.len(), 1, "{flows:?}");
    // Three unsplit or first fragments of type 212, two exception
    // packets, RFC 1051's one and the broadcast.
    assert_eq!(udp[0]["orig_pkts"], 7, "{}", udp[0]);
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(BSD, &bsd_records(), 7);
    support::link_damage::damaged_records_read(LINUX, &linux_records(), 129);
}
