//! Ethernet frames the tests of link types that wrap or tag an Ethernet
//! frame share (`tests/link_netanalyzer.rs`, `tests/link_switch_tag.rs`):
//! the committed Ethernet captures' records, and three small frames to cut
//! at every length.

/// The records (captured bytes, wire length) of the committed Ethernet
/// capture `name` under `captures/`.
pub fn committed(name: &str) -> Vec<(Vec<u8>, u32)> {
    super::pcap::read_pcap(&super::root().join("captures").join(name))
        .records
        .into_iter()
        .map(|(_, orig, data)| (data, orig))
        .collect()
}

/// A UDP datagram, an ARP request and a VLAN-tagged IPv4 packet in
/// Ethernet frames.
pub fn small_frames() -> Vec<Vec<u8>> {
    let ip = [
        &[0x45, 0, 0, 0x1c, 0, 1, 0, 0, 0x40, 0x11, 0xf9, 0x7a][..],
        &[10, 0, 0, 1, 10, 0, 0, 2],
        &[0x30, 0x39, 0, 0x35, 0, 8, 0, 0],
    ]
    .concat();
    let macs = [
        0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
    ];
    let arp = [
        &[0, 1, 8, 0, 6, 4, 0, 1][..],
        &[0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 10, 0, 0, 1],
        &[0; 6],
        &[10, 0, 0, 2],
    ]
    .concat();
    vec![
        [&macs[..], &[8, 0], &ip].concat(),
        [&[0xff; 6][..], &macs[6..], &[8, 6], &arp].concat(),
        [&macs[..], &[0x81, 0, 0, 0x0a, 8, 0], &ip].concat(),
    ]
}
