//! OpenBSD's enc(4) records (link type 109): a 12-byte header (the
//! address family and flags in the writer's byte order, the SPI in
//! network order), then the IPv4 or IPv6 packet by the family (BSD's 2;
//! 24, 28, 30). Records of every flag tcpdump names and others, both
//! byte orders of the family, other families, packets that are not their
//! family's, whole and cut at every length, must print what `tcpdump -n
//! -r` prints at every level and in every dump; filters select what
//! tcpdump selects (the family word as libpcap compiles it, IP filters
//! past the header) and are refused in its words where it refuses them;
//! flows and `--json` see the packet.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ipv4_echo, ipv6_udp};
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const ENC: u32 = 109;

/// An enc record: `af` and `flags` little-endian (an x86 or arm64
/// OpenBSD host), the SPI, then `packet`.
fn record(af: u32, spi: u32, flags: u32, packet: &[u8]) -> Vec<u8> {
    [
        &af.to_le_bytes()[..],
        &spi.to_be_bytes(),
        &flags.to_le_bytes(),
        packet,
    ]
    .concat()
}

fn records() -> Vec<Vec<u8>> {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let mut r = Vec::new();
    // Each flag tcpdump names, both, none, and bits it leaves unnamed.
    for flags in [
        0,
        0x400,
        0x800,
        0xc00,
        0xc01,
        0x401,
        0x801,
        1,
        0x1000,
        u32::MAX,
    ] {
        r.push(record(2, 0x1234_5678, flags, &v4));
    }
    // IPv6 under each BSD's family; a big-endian writer's families.
    for af in [24, 28, 30, 24u32.swap_bytes(), 30u32.swap_bytes()] {
        r.push(record(af, 0xdead_beef, 0x800, &v6));
    }
    r.extend([
        record(2u32.swap_bytes(), 1, 0, &v4),
        // Other families: the header's words and nothing more.
        record(10, 2, 0x400, &v6),
        record(0, 0, 0, b"hello"),
        record(0x0002_0000, 3, 0, &v4),
        // A packet that is not its family's.
        record(2, 4, 0, &v6),
        record(28, 5, 0, &v4),
        // The header alone.
        record(2, 6, 0xc00, &[]),
    ]);
    r
}

#[test]
fn records_whole_and_cut_print_what_tcpdump_prints() {
    let path = temp_path(
        "enc-cuts",
        link_captures::capture(ENC, &records(), usize::MAX),
    );
    let levels = [
        "", "-e", "-v", "-e -v", "-vv", "-x", "-e -x", "-X", "-xx", "-A",
    ];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 1_000) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("enc: {total} lines identical to tcpdump's");
    assert!(total > 20_000, "{total}");
}

#[test]
fn filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "icmp",
        "udp port 6000",
        "ip[9] = 1",
        "ether proto 0x86dd",
        "ip multicast",
        "net 192.168.1.0/24",
        "host 2001:db8::1",
        "len > 60",
        "link[0] = 2",
        "link[4:4] = 0x12345678",
        "ip and not icmp",
    ];
    // libpcap's refusals, word for word.
    const REFUSED: &[&str] = &[
        "ether host 1:2:3:4:5:6",
        "ether broadcast",
        "ether multicast",
        "vlan",
        "mpls",
        "llc",
        "inbound",
    ];
    let bytes = link_captures::capture(ENC, &records(), usize::MAX);
    let path = temp_path("enc-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), ENC, EXPRS, REFUSED);
    if compared == 0 {
        return;
    }
    eprintln!("enc filters: {compared} lines identical to tcpdump's");
    assert!(compared > 1_000, "{compared}");
}

#[test]
fn flows_and_json_see_the_packet() {
    let frames = [record(24, 0xdead_beef, 0xc00, &ipv6_udp())];
    let path = temp_path("enc-json", link_captures::capture(ENC, &frames, 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
    assert_eq!(v["link"], "ENC", "{line}");
    let l = &v["link_layer"];
    assert_eq!(l["type"], "enc", "{line}");
    assert_eq!(l["af"], 24, "{line}");
    assert_eq!(l["spi"], 0xdead_beef_u32, "{line}");
    assert_eq!(l["flags"], 0xc00, "{line}");
    assert_eq!(
        (&l["authentic"], &l["confidential"]),
        (&true.into(), &true.into()),
        "{line}"
    );
    assert_eq!(v["udp"]["dport"], 6000, "{line}");
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("[2001:db8::1]:5000"), "{table}");
    assert!(table.contains("udp"), "{table}");
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(ENC, &records(), 109);
}
