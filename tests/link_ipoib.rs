//! IP over InfiniBand (link type 242, IPOIB, RFC 4391): a 44-byte pseudo
//! header whose EtherType (at 40) tcpdump hands to its EtherType printer,
//! as IP over FireWire's. The committed capture of every EtherType
//! sockscope decodes, rewritten behind this header, and small frames (ARP
//! with InfiniBand's 20-byte hardware addresses among them) cut at every
//! length must print what `tcpdump -n -r` prints; `--json` sees the ARP
//! packet.

mod support;

use std::borrow::Cow;
use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ipv4_echo, ipv6_udp};
use support::pcap::{Layout, Record, read_pcap, write_pcap};
use support::temp_path;

const IPOIB: u32 = 242;

/// A frame: 40 bytes of pseudo header (a 20-byte InfiniBand address
/// counting up from 0x40, zeros), then `ether_type` and two reserved
/// bytes.
fn frame(ether_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut f: Vec<u8> = (0x40..0x54).collect();
    f.resize(40, 0);
    f.extend_from_slice(&ether_type.to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    f
}

/// The Ethernet records of `captures/dissect_ethertypes.pcap` behind
/// this header instead of Ethernet's (the wire length 30 bytes longer).
fn ethertype_records() -> Vec<(Vec<u8>, u32)> {
    read_pcap(&support::root().join("captures/dissect_ethertypes.pcap"))
        .records
        .into_iter()
        .filter_map(|(_, orig, data)| {
            let t = u16::from_be_bytes([*data.get(12)?, *data.get(13)?]);
            Some((frame(t, data.get(14..)?), orig + 30))
        })
        .collect()
}

/// An ARP packet of InfiniBand's hardware type (32): 20-byte hardware
/// addresses (RFC 4391), IPv4's 4-byte ones.
fn ib_arp(op: u16, target_hw: [u8; 20]) -> Vec<u8> {
    let sender_hw: Vec<u8> = (0x80..0x94).collect();
    [
        &[0, 0x20, 8, 0, 20, 4][..],
        &op.to_be_bytes(),
        &sender_hw,
        &[192, 168, 56, 10],
        &target_hw,
        &[192, 168, 56, 24],
    ]
    .concat()
}

fn small_frames() -> Vec<Vec<u8>> {
    let mut broadcast = [0u8; 20];
    broadcast[..5].copy_from_slice(&[0, 0xff, 0xff, 0xff, 0xff]);
    broadcast[16..].copy_from_slice(&[0xff; 4]);
    let ether_arp = [
        &[0, 1, 8, 0, 6, 4, 0, 1, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb][..],
        &[10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2],
    ]
    .concat();
    vec![
        frame(0x0800, &ipv4_echo()),
        frame(0x86dd, &ipv6_udp()),
        frame(0x0806, &ib_arp(1, broadcast)),
        frame(0x0806, &ib_arp(1, [0; 20])),
        frame(0x0806, &ib_arp(2, [7; 20])),
        frame(0x0806, &ib_arp(8, [7; 20])),
        frame(0x0806, &ib_arp(9, [7; 20])),
        frame(0x0806, &ib_arp(77, [7; 20])),
        frame(0x0806, &ether_arp),
        frame(0x8035, &ib_arp(3, [7; 20])),
        frame(0x1234, b"hello"),
        frame(0x8100, &[&[0, 10, 8, 0][..], &ipv4_echo()].concat()),
        frame(0x8847, &[&[0, 1, 1, 64][..], &ipv4_echo()].concat()),
    ]
}

#[test]
fn every_ethertype_prints_what_tcpdump_prints() {
    let records = ethertype_records();
    let bytes = write_pcap(
        Layout::new(IPOIB, 262_144),
        records.iter().enumerate().map(|(i, (data, orig))| Record {
            ts_sec: 1_000_000 + i as u32,
            ts_frac: 0,
            data: Cow::Borrowed(&data[..]),
            orig_len: *orig,
        }),
    );
    let path = temp_path("ipoib-ethertypes", bytes);
    let levels = ["", "-e", "-v", "-x", "-e -x"];
    let Some(counts) = compare_with_tcpdump(&path, &levels, records.len()) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("IP over InfiniBand, every EtherType: {total} lines identical to tcpdump's");
    assert!(total > 20_000, "{total}");
}

#[test]
fn frames_cut_anywhere_print_what_tcpdump_prints() {
    let path = temp_path(
        "ipoib-cuts",
        link_captures::capture(IPOIB, &small_frames(), usize::MAX),
    );
    let levels = ["", "-e", "-v", "-x", "-e -x", "-X", "-xx", "-vvv -e"];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 300) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("IP over InfiniBand, cut: {total} lines identical to tcpdump's");
    assert!(total > 3_000, "{total}");
}

#[test]
fn json_sees_the_arp_packet() {
    let path = temp_path(
        "ipoib-json",
        link_captures::capture(IPOIB, &[frame(0x0806, &ib_arp(2, [7; 20]))], 0),
    );
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
    assert_eq!(v["link_layer"]["type"], "ipoib", "{line}");
    assert_eq!(v["link_layer"]["protocol"], 0x0806, "{line}");
    assert_eq!(v["arp"]["op"], "reply", "{line}");
    assert_eq!(v["arp"]["sender_ip"], "192.168.56.10", "{line}");
    let mac: Vec<String> = (0x80..0x94).map(|b| format!("{b:02x}")).collect();
    assert_eq!(v["arp"]["sender_mac"], mac.join(":"), "{line}");
}
