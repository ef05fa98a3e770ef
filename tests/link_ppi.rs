//! PPI (link type 192) before the DLTs other than 802.11 that tcpdump's
//! PPI printer hands to their own printers (`lookup_printer`): Ethernet
//! (IPv4 ICMP, UDP and TCP, IPv6, ARP, a VLAN tag, an unknown
//! EtherType), raw IP (DLT_RAW 12, DLT_IPV4 228, DLT_IPV6 229), BSD
//! loopback (0, 108), Linux cooked v1 and v2, PPP (9, 50), Cisco HDLC,
//! FDDI and radiotap; DLTs it has no printer for (OpenBSD's raw 14, the
//! file number 101, USER0 147: PPI's words and the bytes); headers
//! before nothing. Records built here, whole and cut at every length,
//! print what `tcpdump -n -r` (4.99.3) prints, byte for byte, at every
//! level; filters keep what tcpdump keeps (libpcap reads what follows
//! PPI's header as 802.11 whatever the DLT); `--json` and the flows see
//! the packet inside; damaged records never panic.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ipv4_echo, ipv6_udp, pktap_record, ppi_header};
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const PPI: u32 = 192;

/// A PPI record: an 8-byte header (or `len` bytes with its flags set)
/// before `packet` of DLT `dlt`.
fn ppi(len: u16, dlt: u32, packet: &[u8]) -> Vec<u8> {
    let flags = u8::from(len > 8);
    [ppi_header(flags, len, dlt), packet.to_vec()].concat()
}

const MACS: [u8; 12] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];

fn ether(ether_type: u16, payload: &[u8]) -> Vec<u8> {
    [&MACS[..], &ether_type.to_be_bytes(), payload].concat()
}

/// An IPv4 UDP datagram (a DNS port: tcpdump's DNS printer too) and a
/// TCP SYN from source port `sport` (each record its own connection, so
/// no record is a retransmission of another).
fn ipv4_udp() -> Vec<u8> {
    let mut b = Vec::new();
    etherparse::PacketBuilder::ipv4([192, 168, 1, 1], [192, 168, 1, 2], 64)
        .udp(5000, 6000)
        .write(&mut b, b"hello")
        .expect("builds");
    b
}

fn ipv4_tcp(sport: u16) -> Vec<u8> {
    let mut b = Vec::new();
    etherparse::PacketBuilder::ipv4([192, 168, 1, 1], [192, 168, 1, 2], 64)
        .tcp(sport, 80, 1000, 8192)
        .syn()
        .write(&mut b, &[])
        .expect("builds");
    b
}

fn arp() -> Vec<u8> {
    [
        &[0, 1, 8, 0, 6, 4, 0, 1][..],
        &MACS[6..],
        &[192, 168, 1, 1],
        &[0; 6],
        &[192, 168, 1, 2],
    ]
    .concat()
}

/// Ethernet frames behind PPI (its 8-byte header and a 20-byte one).
fn ethernet_records() -> Vec<Vec<u8>> {
    let (ip, udp, ip6) = (ipv4_echo(), ipv4_udp(), ipv6_udp());
    let mut r = Vec::new();
    for (i, len) in [8u16, 20].into_iter().enumerate() {
        let sport = 1000 + i as u16;
        r.push(ppi(len, 1, &ether(0x0800, &ip)));
        r.push(ppi(len, 1, &ether(0x0800, &udp)));
        r.push(ppi(len, 1, &ether(0x0800, &ipv4_tcp(sport))));
        r.push(ppi(len, 1, &ether(0x86dd, &ip6)));
        r.push(ppi(len, 1, &ether(0x0806, &arp())));
    }
    r.push(ppi(
        8,
        1,
        &[&MACS[..], &[0x81, 0, 0, 5, 8, 0], &ip].concat(),
    ));
    r.push(ppi(8, 1, &ether(0x1234, b"hello")));
    r.extend(
        support::ether_frames::small_frames()
            .iter()
            .map(|f| ppi(8, 1, f)),
    );
    r
}

/// Packets of the other DLTs tcpdump has a printer for, those it has
/// none for, and headers before nothing.
fn other_dlt_records() -> Vec<Vec<u8>> {
    let (ip, udp, ip6) = (ipv4_echo(), ipv4_udp(), ipv6_udp());
    let b = &MACS[6..];
    let snap_ip = [&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0][..], &ip].concat();
    vec![
        ppi(8, 12, &ip),
        ppi(8, 12, &ip6),
        ppi(8, 228, &ipv4_tcp(2000)),
        ppi(8, 229, &ip6),
        ppi(8, 0, &[&[2, 0, 0, 0][..], &ip].concat()),
        ppi(8, 108, &[&[0, 0, 0, 2][..], &udp].concat()),
        ppi(
            8,
            113,
            &[&[0, 0, 0, 1, 0, 6][..], b, &[0, 0, 8, 0], &ipv4_tcp(2001)].concat(),
        ),
        ppi(
            8,
            276,
            &[&[8, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6][..], b, &[0, 0], &udp].concat(),
        ),
        ppi(8, 9, &[&[0xff, 3, 0, 0x21][..], &ip].concat()),
        ppi(8, 9, &[0xc0, 0x21, 1, 1, 0, 4]),
        ppi(8, 50, &[&[0xff, 3, 0, 0x21][..], &udp].concat()),
        ppi(8, 104, &[&[0x0f, 0, 8, 0][..], &ipv4_tcp(2002)].concat()),
        ppi(8, 10, &[&[0x50][..], &MACS, &snap_ip].concat()),
        ppi(
            8,
            127,
            &[
                &[0, 0, 8, 0, 0, 0, 0, 0, 8, 2, 0, 0][..],
                &[0xff; 6],
                &[0; 14],
                &snap_ip,
            ]
            .concat(),
        ),
        // No printer: OpenBSD's DLT_RAW, the file number of raw IP, USER0.
        ppi(8, 14, &ip),
        ppi(8, 101, &udp),
        ppi(16, 147, b"abc"),
        // The header alone: each printer's mark on nothing.
        ppi(8, 1, &[]),
        ppi(8, 12, &[]),
        ppi(8, 229, &[]),
        ppi(8, 0, &[]),
        ppi(8, 113, &[]),
        ppi(8, 276, &[]),
    ]
}

const LEVELS: [&str; 10] = [
    "", "-e", "-v", "-vv", "-e -v", "-x", "-e -x", "-X", "-xx", "-A",
];

/// `records` whole and cut at every length print what tcpdump prints at
/// every level; the lines compared (0 without tcpdump).
fn cuts_equal_tcpdump(name: &str, records: &[Vec<u8>]) -> usize {
    let path = temp_path(name, link_captures::capture(PPI, records, usize::MAX));
    let Some(counts) = compare_with_tcpdump(&path, &LEVELS, records.len()) else {
        return 0;
    };
    let total = counts.iter().sum();
    eprintln!("{name}: {total} lines identical to tcpdump's");
    total
}

/// PPI and PKTAP records inside PPI records (tcpdump's printers hand
/// them on as any other DLT): two and three PPI headers deep before
/// Ethernet, raw IP, IPv6, 802.11 and a DLT without a printer, PKTAP
/// under both its numbers (258 and Darwin's 149) before Ethernet and
/// before PPI, a PKTAP record that is no packet, nested headers before
/// nothing, cut or of a bad length, and the deepest chain followed
/// (`MAX_NESTING`: 16 headers inside the record's own).
fn nested_records() -> Vec<Vec<u8>> {
    let (ip, udp, ip6) = (ipv4_echo(), ipv4_udp(), ipv6_udp());
    let eth = ether(0x0800, &ip);
    let wlan = [
        &[8, 2, 0, 0][..],
        &[0xff; 6],
        &MACS[6..],
        &MACS[6..],
        &[0; 2],
        &[0xaa, 0xaa, 3, 0, 0, 0, 8, 0],
        &udp,
    ]
    .concat();
    let mut bad = ppi(8, 1, &eth);
    bad[2] = 4;
    let mut deepest = ppi(8, 1, &ether(0x0800, &ipv4_tcp(3000)));
    for _ in 0..16 {
        deepest = ppi(8, PPI, &deepest);
    }
    vec![
        ppi(8, PPI, &ppi(8, 1, &eth)),
        ppi(20, PPI, &ppi(8, 1, &ether(0x0800, &udp))),
        ppi(8, PPI, &ppi(20, 1, &ether(0x0806, &arp()))),
        ppi(8, PPI, &ppi(8, 12, &ip)),
        ppi(8, PPI, &ppi(8, 229, &ip6)),
        ppi(
            8,
            PPI,
            &ppi(8, PPI, &ppi(8, 1, &ether(0x0800, &ipv4_tcp(3001)))),
        ),
        ppi(8, PPI, &ppi(8, PPI, &ppi(8, 12, &udp))),
        ppi(8, PPI, &ppi(8, 105, &wlan)),
        ppi(8, PPI, &ppi(8, 147, b"abc")),
        ppi(8, PPI, &ppi(8, 1, &[])),
        ppi(8, PPI, &ppi(8, 12, &[])),
        ppi(8, PPI, &[]),
        ppi(8, PPI, &bad),
        ppi(8, 258, &pktap_record(1, 1, &eth)),
        ppi(8, 149, &pktap_record(1, 1, &ether(0x86dd, &ip6))),
        ppi(8, 258, &pktap_record(1, 192, &ppi(8, 12, &ip))),
        ppi(8, 258, &pktap_record(0, 1, &eth)),
        ppi(8, 258, &pktap_record(1, 12, &[])),
        deepest,
    ]
}

/// PKTAP records (link type 258) carrying PKTAP and PPI records.
fn pktap_nested_records() -> Vec<Vec<u8>> {
    let (ip, udp) = (ipv4_echo(), ipv4_udp());
    let eth = ether(0x0800, &ip);
    vec![
        pktap_record(1, 258, &pktap_record(1, 1, &eth)),
        pktap_record(1, 149, &pktap_record(1, 12, &udp)),
        pktap_record(1, 192, &ppi(8, PPI, &ppi(8, 1, &eth))),
        pktap_record(1, 258, &pktap_record(1, 192, &ppi(20, 12, &udp))),
        pktap_record(1, 258, &pktap_record(1, 258, &pktap_record(1, 1, &eth))),
    ]
}

#[test]
fn nested_ppi_and_pktap_equal_tcpdump() {
    let total = cuts_equal_tcpdump("ppi-nested", &nested_records());
    assert!(total == 0 || total > 10_000, "only {total} lines compared");
    let records = pktap_nested_records();
    let path = temp_path(
        "pktap-nested",
        link_captures::capture(258, &records, usize::MAX),
    );
    if let Some(counts) = compare_with_tcpdump(&path, &LEVELS, records.len()) {
        let total: usize = counts.iter().sum();
        eprintln!("pktap-nested: {total} lines identical to tcpdump's");
        assert!(total > 10_000, "only {total} lines compared");
    }
}

/// Past 16 nested headers the outermost one's packet is not followed
/// (tcpdump follows every one): PPI's words and the bytes, as for a DLT
/// without a printer; a record of 30,000 nested headers reads at once,
/// with no deep recursion. The flows still see a packet 16 deep.
#[test]
fn nesting_past_the_bound_is_printed_as_bytes() {
    let mut deeper = ppi(8, 1, &ether(0x0800, &ipv4_udp()));
    for _ in 0..17 {
        deeper = ppi(8, PPI, &deeper);
    }
    let mut deep = ppi(8, 1, &[]);
    for _ in 0..30_000 {
        deep = ppi(8, PPI, &deep);
    }
    let followed = nested_records().pop().expect("the deepest followed");
    let records = [deeper.clone(), deep, followed];
    let path = temp_path("ppi-too-deep", link_captures::capture(PPI, &records, 0));
    let out = sockscope(&["read", &path, "-n"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = text(&out.stdout);
    let heads: Vec<&str> = lines.lines().filter(|l| !l.starts_with('\t')).collect();
    assert_eq!(heads.len(), 3, "{lines}");
    assert!(
        heads[0].ends_with(&format!(
            " V.0 DLT PPI (192) len 8, length {}: ",
            deeper.len()
        )),
        "{lines}"
    );
    assert!(
        heads[1].ends_with(" V.0 DLT PPI (192) len 8, length 240008: "),
        "{lines}"
    );
    assert!(
        heads[2].ends_with(
            " IP 192.168.1.1.3000 > 192.168.1.2.80: Flags [S], seq 1000, win 8192, length 0"
        ),
        "{lines}"
    );
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    let table = text(&out.stdout);
    assert!(table.contains("192.168.1.1:3000"), "{table}");
    assert!(!table.contains("192.168.1.1:5000"), "{table}");
}

#[test]
fn ethernet_behind_ppi_equals_tcpdump() {
    let total = cuts_equal_tcpdump("ppi-ether", &ethernet_records());
    assert!(total == 0 || total > 10_000, "only {total} lines compared");
}

#[test]
fn other_dlts_behind_ppi_equal_tcpdump() {
    let total = cuts_equal_tcpdump("ppi-dlts", &other_dlt_records());
    assert!(total == 0 || total > 10_000, "only {total} lines compared");
}

/// The lines tcpdump prints for a few records, as this test expects them
/// (the comparisons above check them against tcpdump itself).
#[test]
fn words_are_tcpdumps() {
    let records = [
        ppi(8, 1, &ether(0x0800, &ipv4_echo())),
        ppi(8, 12, &ipv4_echo()),
        ppi(8, 12, &[]),
    ];
    let path = temp_path("ppi-words", link_captures::capture(PPI, &records, 0));
    let lines = |flags: &[&str]| -> Vec<String> {
        let args: Vec<&str> = ["read", &path]
            .into_iter()
            .chain(flags.iter().copied())
            .collect();
        let out = sockscope(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout).lines().map(str::to_owned).collect()
    };
    let echo = "192.168.1.1 > 192.168.1.2: ICMP echo request, id 4660, seq 1, length 16";
    assert_eq!(
        lines(&[]),
        [
            format!("13:46:40.000000 IP {echo}"),
            format!("13:46:40.010000 IP {echo}"),
            "13:46:40.020000 truncated-ip 0".to_owned(),
        ]
    );
    assert_eq!(
        lines(&["-e"])[..2],
        [
            format!(
                "13:46:40.000000 V.0 DLT EN10MB (1) len 8, length 58: \
                 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), \
                 length 50: {echo}"
            ),
            format!("13:46:40.010000 V.0 DLT RAW (12) len 8, length 44: ip: {echo}"),
        ]
    );
}

/// Filters: libpcap compiles PPI's as 802.11's after the header and
/// checks first that the header's DLT is 802.11's (`gen_ppi_dlt_check`),
/// so no expression, `not ip` and `len > 60` included, keeps a record of
/// another DLT. 802.11 records among them give the expressions something
/// to keep; ours print what tcpdump prints, and our BPF program agrees
/// with the evaluator on every record.
#[test]
fn filters_keep_what_tcpdump_keeps() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "arp",
        "udp",
        "tcp",
        "icmp",
        "host 192.168.1.1",
        "not ip",
        "len > 60",
        "link[0] = 2",
        "ether src 02:00:00:00:00:01",
        "wlan host 02:00:00:00:00:02",
    ];
    const REFUSED: &[&str] = &["type data", "dir nods", "vlan"];
    let wlan: Vec<Vec<u8>> = link_captures::wlan_frames()
        .iter()
        .map(|f| ppi(8, 105, f))
        .collect();
    let records = [ethernet_records(), other_dlt_records(), wlan].concat();
    let bytes = link_captures::capture(PPI, &records, usize::MAX);
    let path = temp_path("ppi-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), PPI, EXPRS, REFUSED);
    if compared == 0 {
        return;
    }
    eprintln!("ppi filters: {compared} lines identical to tcpdump's");
    assert!(compared > 1_000, "{compared}");
}

/// `--json` carries PPI's fields and the packet inside; the flow table
/// holds the conversations inside.
#[test]
fn flows_and_json_see_the_packet() {
    let records = [
        ppi(8, 1, &ether(0x0800, &ipv4_udp())),
        ppi(8, 229, &ipv6_udp()),
    ];
    let path = temp_path("ppi-json", link_captures::capture(PPI, &records, 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    let v: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(v.len(), 2, "{json}");
    assert_eq!(v[0]["link_layer"]["type"], "ppi", "{json}");
    assert_eq!(v[0]["link_layer"]["ppi"]["dlt"], 1, "{json}");
    assert_eq!(v[0]["ip"]["src"], "192.168.1.1", "{json}");
    assert_eq!(v[0]["udp"]["dport"], 6000, "{json}");
    assert_eq!(v[1]["link_layer"]["ppi"]["dlt"], 229, "{json}");
    assert_eq!(v[1]["udp"]["dport"], 6000, "{json}");
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("192.168.1.1:5000"), "{table}");
    assert!(table.contains("[2001:db8::1]:5000"), "{table}");
}

#[test]
fn damaged_records_never_panic() {
    let seeds = [ethernet_records(), other_dlt_records(), nested_records()].concat();
    support::link_damage::damaged_records_read(PPI, &seeds, 192);
}

/// Every link type of `link_types`' cases (PPP, PPP in HDLC framing,
/// Cisco HDLC, Frame Relay, NFLOG, IPoIB, 802.11, radiotap, PKTAP and its
/// packets, …)
/// behind PPI and PKTAP headers, whole and cut at every length: the
/// packet printed as on its own link type, `-x` from its printer's count,
/// counted again.
#[test]
fn link_types_behind_ppi_and_pktap_equal_tcpdump() {
    let mut total = 0;
    for cases in link_captures::all() {
        let records = support::pcap::whole_and_cut(&cases.frames);
        total +=
            link_captures::behind_ppi_and_pktap_equal_tcpdump(cases.name, cases.link, &records);
    }
    assert!(total == 0 || total > 100_000, "only {total} lines compared");
}
