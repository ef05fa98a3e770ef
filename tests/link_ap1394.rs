//! Apple's IP over FireWire (link type 138, APPLE_IP_OVER_IEEE1394): two
//! EUI-64 addresses and an EtherType, which tcpdump hands to its
//! EtherType printer. The committed capture of every EtherType sockscope
//! decodes, rewritten behind this header, and small frames cut at every
//! length must print what `tcpdump -n -r` prints; filters select what
//! tcpdump selects (the EtherType at 16, the network layer at 18) and
//! are refused in libpcap's words where it refuses them; flows and
//! `--json` see the packet.

mod support;

use std::borrow::Cow;
use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ipv4_echo, ipv6_udp};
use support::link_filters::filters_equal_tcpdump;
use support::pcap::{Layout, Record, read_pcap, write_pcap};
use support::temp_path;

const AP1394: u32 = 138;

/// A frame: destination 00:01:…:07, source 08:09:…:0f, `ether_type`.
fn frame(ether_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut f: Vec<u8> = (0..16).collect();
    f.extend_from_slice(&ether_type.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// The Ethernet records of `captures/dissect_ethertypes.pcap` behind
/// this header instead of Ethernet's (the wire length 4 bytes longer).
fn ethertype_records() -> Vec<(Vec<u8>, u32)> {
    read_pcap(&support::root().join("captures/dissect_ethertypes.pcap"))
        .records
        .into_iter()
        .filter_map(|(_, orig, data)| {
            let t = u16::from_be_bytes([*data.get(12)?, *data.get(13)?]);
            Some((frame(t, data.get(14..)?), orig + 4))
        })
        .collect()
}

/// The EtherTypes whose printers name the link's addresses (EUI-64s
/// here): GeoNetworking (old and new), CALM FAST, Realtek's.
const ADDRESS_NAMED: [u16; 4] = [0x0707, 0x8947, 0x1111, 0x8899];

/// A frame of each [`ADDRESS_NAMED`] type, so that every cut of them is
/// compared too: the two GeoNetworking ones from [`ethertype_records`],
/// CALM FAST's network references with a payload, Realtek's RRCP hello
/// reply, loop detection and an unknown protocol.
fn address_named_frames() -> Vec<Vec<u8>> {
    let records = ethertype_records();
    let mut frames: Vec<Vec<u8>> = ADDRESS_NAMED[..2]
        .iter()
        .filter_map(|t| {
            let first = records
                .iter()
                .find(|(f, _)| f.get(16..18) == Some(&t.to_be_bytes()[..]));
            first.map(|(f, _)| f.clone())
        })
        .collect();
    assert_eq!(frames.len(), 2, "GeoNetworking's frames are in the capture");
    let counting: Vec<u8> = (2..30).collect();
    frames.push(frame(0x1111, &[&[7, 9][..], &counting].concat()));
    for kind in [[1u8, 0x80], [0x23, 0], [0x42, 0]] {
        frames.push(frame(0x8899, &[&kind[..], &counting].concat()));
    }
    frames
}

fn small_frames() -> Vec<Vec<u8>> {
    let arp = [
        &[0, 1, 8, 0, 6, 4, 0, 1, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb][..],
        &[10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2],
    ]
    .concat();
    vec![
        frame(0x0800, &ipv4_echo()),
        frame(0x86dd, &ipv6_udp()),
        frame(0x0806, &arp),
        frame(0x1234, b"hello"),
        frame(0x8100, &[&[0, 10, 8, 0][..], &ipv4_echo()].concat()),
        frame(0x8847, &[&[0, 1, 1, 64][..], &ipv4_echo()].concat()),
        frame(
            0x0020,
            &[&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0][..], &ipv4_echo()].concat(),
        ),
    ]
}

#[test]
fn every_ethertype_prints_what_tcpdump_prints() {
    let records = ethertype_records();
    let bytes = write_pcap(
        Layout::new(AP1394, 262_144),
        records.iter().enumerate().map(|(i, (data, orig))| Record {
            ts_sec: 1_000_000 + i as u32,
            ts_frac: 0,
            data: Cow::Borrowed(&data[..]),
            orig_len: *orig,
        }),
    );
    let path = temp_path("ap1394-ethertypes", bytes);
    let levels = ["", "-e", "-v", "-x", "-e -x"];
    let Some(counts) = compare_with_tcpdump(&path, &levels, records.len()) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("IP over FireWire, every EtherType: {total} lines identical to tcpdump's");
    assert!(total > 20_000, "{total}");
}

#[test]
fn frames_cut_anywhere_print_what_tcpdump_prints() {
    let mut frames = small_frames();
    frames.extend(address_named_frames());
    let path = temp_path(
        "ap1394-cuts",
        link_captures::capture(AP1394, &frames, usize::MAX),
    );
    let levels = ["", "-e", "-v", "-x", "-e -x", "-X", "-xx"];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 300) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("IP over FireWire, cut: {total} lines identical to tcpdump's");
    assert!(total > 3_000, "{total}");
}

#[test]
fn filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "arp",
        "icmp",
        "udp port 6000",
        "ip[9] = 1",
        "ether proto 0x1234",
        "net 192.168.1.0/24",
        "len > 60",
        "link[16:2] = 0x86dd",
        "pppoes",
        "not ip",
        // The SAP and OSI words: libpcap compares the type field with
        // the SAP (and the NLPID after it).
        "stp",
        "netbeui",
        "ipx",
        "iso",
        "clnp",
        "esis",
        "isis",
        "l1",
        "l2",
        "iih",
        "lsp",
        "snp",
        "csnp",
        "psnp",
        "atalk",
        "aarp",
        "decnet",
        "lat",
        "sca",
        "moprc",
        "mopdl",
        "stp or isis",
    ];
    const REFUSED: &[&str] = &[
        "ether host 1:2:3:4:5:6",
        "ether broadcast",
        "ether multicast",
        "vlan",
        "mpls",
        "llc",
        "inbound",
    ];
    let mut frames = small_frames();
    // Frames of the types the SAP and OSI words test: STP's, NetBEUI's,
    // IPX's SAP; OSI's with IS-IS (L1 and L2 hellos, an LSP, CSNP,
    // PSNP), CLNP and ES-IS NLPIDs; AppleTalk, AARP, DECnet, LAT.
    for (t, body) in [
        (0x42, &[0u8, 0, 0, 0, 0, 0][..]),
        (0xf0, &[1, 2, 3, 4, 5, 6]),
        (0xe0, &[1, 2, 3, 4, 5, 6]),
        (0xfe, &[0x83, 27, 1, 0, 0x0f, 1, 0, 0]),
        (0xfe, &[0x83, 27, 1, 0, 0x10, 1, 0, 0]),
        (0xfe, &[0x83, 27, 1, 0, 0x12, 1, 0, 0]),
        (0xfe, &[0x83, 27, 1, 0, 0x18, 1, 0, 0]),
        (0xfe, &[0x83, 27, 1, 0, 0x1b, 1, 0, 0]),
        (0xfe, &[0x81, 27, 1, 0, 0x1c, 1, 0, 0]),
        (0xfe, &[0x82, 27, 1, 0, 0x02, 1, 0, 0]),
        (0x809b, &[1, 2, 3, 4, 5, 6]),
        (0x80f3, &[1, 2, 3, 4, 5, 6]),
        (0x6003, &[1, 2, 3, 4, 5, 6]),
        (0x6004, &[1, 2, 3, 4, 5, 6]),
    ] {
        frames.push(frame(t, body));
    }
    let bytes = link_captures::capture(AP1394, &frames, usize::MAX);
    let path = temp_path("ap1394-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), AP1394, EXPRS, REFUSED);
    if compared == 0 {
        return;
    }
    eprintln!("IP over FireWire filters: {compared} lines identical to tcpdump's");
    assert!(compared > 200, "{compared}");
}

#[test]
fn flows_and_json_see_the_packet() {
    let path = temp_path(
        "ap1394-json",
        link_captures::capture(AP1394, &[frame(0x86dd, &ipv6_udp())], 0),
    );
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
    assert_eq!(v["link"], "APPLE_IP_OVER_IEEE1394", "{line}");
    let l = &v["link_layer"];
    assert_eq!(l["type"], "ap1394", "{line}");
    assert_eq!(l["src"], "08:09:0a:0b:0c:0d:0e:0f", "{line}");
    assert_eq!(l["dst"], "00:01:02:03:04:05:06:07", "{line}");
    assert_eq!(l["protocol"], 0x86dd, "{line}");
    assert_eq!(v["udp"]["dport"], 6000, "{line}");
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    let table = text(&out.stdout);
    assert!(table.contains("[2001:db8::1]:5000"), "{table}");
}
