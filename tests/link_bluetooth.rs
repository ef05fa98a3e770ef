//! Bluetooth HCI over a UART with Linux's pseudo-header (link type 201):
//! tcpdump 4.99 prints `bluetooth`, under `-e` the HCI length and the
//! direction the pseudo-header's low bit gives, then the H4 packet in hex.
//! Records of each HCI packet type, both directions and a pseudo-header
//! of another byte order, whole and cut at every length, must print what
//! `tcpdump -n -r` prints at every level and in every dump; filters are
//! libpcap's (`link[]` and the lengths; every network-layer test refused
//! in its words); `--json` carries the pseudo-header.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures;
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const BLUETOOTH: u32 = 201;

fn record(direction: u32, packet: &[u8]) -> Vec<u8> {
    [&direction.to_be_bytes()[..], packet].concat()
}

fn records() -> Vec<Vec<u8>> {
    vec![
        // HCI command (Reset), event (Command Complete), ACL and SCO
        // data, an ISO packet; sent and received.
        record(0, &[0x01, 0x03, 0x0c, 0x00]),
        record(1, &[0x04, 0x0e, 0x04, 0x01, 0x03, 0x0c, 0x00]),
        record(0, &[0x02, 0x01, 0x20, 0x05, 0, 0x01, 0, 0x04, 0, b'A']),
        record(1, &[0x03, 0x01, 0x00, 0x03, 1, 2, 3]),
        record(3, &[0x05, 0, 0, 0, 0]),
        // The direction word in the other byte order: bit 0 is clear.
        record(0x0100_0000, b"hello bluetooth"),
        // The pseudo-header alone.
        record(1, &[]),
    ]
}

#[test]
fn records_whole_and_cut_print_what_tcpdump_prints() {
    let path = temp_path(
        "bluetooth-cuts",
        link_captures::capture(BLUETOOTH, &records(), usize::MAX),
    );
    let levels = ["", "-e", "-v", "-x", "-e -x", "-X", "-xx", "-A"];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 50) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("bluetooth: {total} lines identical to tcpdump's");
    assert!(total > 500, "{total}");
}

#[test]
fn filters_are_libpcaps() {
    const EXPRS: &[&str] = &["link[4] = 1", "link[3] & 1 = 1", "len > 8", "less 8"];
    const REFUSED: &[&str] = &[
        "ip",
        "tcp port 80",
        "host 10.0.0.1",
        "ether host 1:2:3:4:5:6",
        "vlan",
        "llc",
        "inbound",
    ];
    let bytes = link_captures::capture(BLUETOOTH, &records(), 0);
    let path = temp_path("bluetooth-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), BLUETOOTH, EXPRS, REFUSED);
    if compared == 0 {
        return;
    }
    assert!(compared >= 8, "{compared}");
}

#[test]
fn json_carries_the_pseudo_header() {
    let path = temp_path(
        "bluetooth-json",
        link_captures::capture(BLUETOOTH, &records()[..2], 0),
    );
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines[0]["link"], "BLUETOOTH_HCI_H4_WITH_PHDR");
    let l = &lines[0]["link_layer"];
    assert_eq!(
        (&l["type"], &l["direction"]),
        (&"bluetooth_h4".into(), &"out".into())
    );
    assert_eq!(l["hci_type"], 1);
    assert_eq!(lines[1]["link_layer"]["direction"], "in");
    assert_eq!(lines[1]["link_layer"]["hci_type"], 4);
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(BLUETOOTH, &records(), 201);
}
