//! RFC 2625 IP over Fibre Channel (link type 122): a 16-byte header of
//! two network addresses (tcpdump names the MAC address in the last six
//! bytes of each: `00:06:07:08:09:0a > 00:01:02:03:04:05, length 56: `
//! under `-e`), then an LLC PDU, printed as Token Ring's: IP, IPv6 and
//! ARP behind SNAP, IPX, STP, OSI and unknown SAPs by the LLC printer.
//! Frames whole and cut at every length must print what `tcpdump -n -r`
//! prints at every level and in every dump; filters are libpcap's (LLC
//! at 16, the addresses at 2 and 10; `llc` refused); flows see the IP
//! packets; `--json` names both addresses and the LLC header.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures;
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const IPFC: u32 = 122;

fn ipv4(proto: u8, dst: [u8; 4], payload: &[u8]) -> Vec<u8> {
    let len = (20 + payload.len()) as u16;
    let mut p = vec![
        0x45,
        0,
        (len >> 8) as u8,
        len as u8,
        0,
        1,
        0,
        0,
        64,
        proto,
        0,
        0,
    ];
    p.extend([10, 0, 0, 1]);
    p.extend(dst);
    p.extend(payload);
    p
}

fn snap(ether_type: u16) -> Vec<u8> {
    let t = ether_type.to_be_bytes();
    vec![0xaa, 0xaa, 3, 0, 0, 0, t[0], t[1]]
}

/// The LLC PDUs: UDP and TCP in IPv4, IPv6, ARP, an unknown SNAP type,
/// STP, IPX, CLNP and an unknown SAP.
fn pdus() -> Vec<Vec<u8>> {
    let udp = [0x04, 0xd2, 0, 53, 0, 12, 0, 0, b'a', b'b', b'c', b'd'];
    let tcp = [
        0, 80, 0x15, 0xb3, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 2, 0x03, 0xe8, 0, 0, 0, 0,
    ];
    let mut ip6 = vec![0x60, 0, 0, 0, 0, 8, 17, 64, 0xfe, 0x80];
    ip6.extend([0; 13]);
    ip6.extend([1, 0xff, 2]);
    ip6.extend([0; 13]);
    ip6.extend([1, 0x04, 0xd2, 0, 53, 0, 8, 0, 0]);
    vec![
        [snap(0x0800), ipv4(17, [10, 0, 0, 2], &udp)].concat(),
        [snap(0x0800), ipv4(6, [224, 0, 0, 1], &tcp)].concat(),
        [snap(0x86dd), ip6].concat(),
        [snap(0x0806), vec![0, 1, 8, 0, 6, 4, 0, 1], vec![0; 20]].concat(),
        [snap(0x1234), b"xyz".to_vec()].concat(),
        [vec![0x42, 0x42, 3], vec![0; 35]].concat(),
        [vec![0xe0, 0xe0, 3, 0xff, 0xff, 0, 30, 0, 4], vec![0; 24]].concat(),
        [vec![0xfe, 0xfe, 3, 0x81], vec![0; 20]].concat(),
        [vec![0x12, 0x34, 3], b"hello".to_vec()].concat(),
    ]
}

/// Each PDU between ordinary addresses, and a few to the broadcast and a
/// group address.
fn frames() -> Vec<Vec<u8>> {
    let ends = [
        ([0x10, 0, 0, 1, 2, 3, 4, 5], [0x10, 0, 0, 6, 7, 8, 9, 10]),
        (
            [0x10, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            [0x10, 0, 0, 1, 2, 3, 4, 5],
        ),
        ([0x20, 0, 3, 2, 3, 4, 5, 6], [0x10, 0, 0, 1, 2, 3, 4, 5]),
    ];
    let mut r = Vec::new();
    for (i, (dst, src)) in ends.iter().enumerate() {
        for (j, pdu) in pdus().into_iter().enumerate() {
            if i == 0 || j < 4 {
                r.push([dst.to_vec(), src.to_vec(), pdu].concat());
            }
        }
    }
    r
}

#[test]
fn frames_whole_and_cut_print_what_tcpdump_prints() {
    let path = temp_path(
        "ipfc-cuts",
        link_captures::capture(IPFC, &frames(), usize::MAX),
    );
    let levels = [
        "", "-e", "-v", "-vv -e", "-x", "-X", "-e -x", "-xx", "-v -x", "-A",
    ];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 500) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("IP over Fibre Channel: {total} lines identical to tcpdump's");
    assert!(total > 15_000, "{total}");
}

#[test]
fn filters_are_libpcaps() {
    const EXPRS: &[&str] = &[
        "ip",
        "arp",
        "ip6",
        "udp port 53",
        "tcp",
        "host 10.0.0.2",
        "ether host 0:1:2:3:4:5",
        "ether src 0:6:7:8:9:a",
        "ether dst 2:3:4:5:6:0",
        "ether broadcast",
        "ether multicast",
        "stp",
        "ipx",
        "iso",
        "ether proto 0x1234",
        "link[16] = 0x42",
        "not ip and not ip6",
    ];
    const REFUSED: &[&str] = &["llc", "vlan", "mpls", "inbound"];
    let bytes = link_captures::capture(IPFC, &frames(), 0);
    let path = temp_path("ipfc-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), IPFC, EXPRS, REFUSED);
    assert!(compared == 0 || compared >= 50, "{compared}");
}

#[test]
fn json_and_flows_see_the_addresses_and_the_ip_packet() {
    let path = temp_path("ipfc-json", link_captures::capture(IPFC, &frames(), 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first: serde_json::Value =
        serde_json::from_str(text(&out.stdout).lines().next().expect("a line")).expect("json");
    let l = &first["link_layer"];
    assert_eq!(
        (l["type"].as_str(), l["dst"].as_str(), l["src"].as_str()),
        (
            Some("ipfc"),
            Some("00:01:02:03:04:05"),
            Some("00:06:07:08:09:0a")
        )
    );
    assert_eq!(
        (l["llc"]["dsap"].as_u64(), l["llc"]["pid"].as_u64()),
        (Some(0xaa), Some(0x0800))
    );
    assert_eq!(first["ip"]["dst"], "10.0.0.2");
    let out = sockscope(&["read", &path, "--flows", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let udp4: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|f| f["proto"] == "udp" && f["id.resp_h"] == "10.0.0.2")
        .collect();
    // The UDP datagram behind each of the three address pairs.
    assert_eq!(udp4.len(), 1);
    assert_eq!(udp4[0]["orig_pkts"], 3, "{}", udp4[0]);
}

#[test]
fn damaged_frames_never_panic() {
    support::link_damage::damaged_records_read(IPFC, &frames(), 122);
}
