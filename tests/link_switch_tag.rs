//! Broadcom's switch tag inside the frame (link type 281, DSA_TAG_BRCM):
//! 4 bytes between the source address and the EtherType. tcpdump's
//! Ethernet printer reads the frame as if the tag were not there, and
//! prints the tag's words first on the line or, under `-e`, after the
//! addresses (its `-e` length, and an unknown EtherType's, counts the
//! tag). Committed Ethernet captures with a tag put into every frame,
//! every value of each tag byte, and frames cut at every length must
//! print what `tcpdump -n -r` prints; libpcap has no filters for the link
//! type (refused); flows and `--json` see the frame's packet.

mod support;

use std::borrow::Cow;
use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::pcap::{Layout, Record, read_pcap, write_pcap};
use support::temp_path;

const DSA_TAG_BRCM: u32 = 281;

/// An ingress tag (first byte's bit 5) to port map 0x0001.
const TAG: [u8; 4] = [0x20, 0, 0, 0x01];

/// Committed Ethernet captures of many EtherTypes, VLAN and MACsec tags,
/// LLC and cut frames.
const CAPTURES: &[&str] = &[
    "dissect_ethertypes.pcap",
    "dissect_l2ctl.pcap",
    "link_macsec.pcap",
    "filter_ether.pcap",
    "exact_cuts.pcap",
    "dissect_tunnel_vlan.pcap",
    "tcp_lossy.pcap",
];

/// `frame` with `tag` after its addresses (a frame cut before them is
/// left as it is); the wire length grows by the tag.
fn tagged(frame: &[u8], orig: u32, tag: &[u8]) -> (Vec<u8>, u32) {
    if frame.len() < 12 {
        return (frame.to_vec(), orig + tag.len() as u32);
    }
    let bytes = [&frame[..12], tag, &frame[12..]].concat();
    (bytes, orig + tag.len() as u32)
}

fn capture(name: &str, records: &[(Vec<u8>, u32)]) -> String {
    capture_of(DSA_TAG_BRCM, name, records)
}

/// `records` as a capture of `link`, a millisecond apart.
fn capture_of(link: u32, name: &str, records: &[(Vec<u8>, u32)]) -> String {
    let records = records.iter().enumerate().map(|(i, (data, orig))| Record {
        ts_sec: 1_000_000 + i as u32 / 1000,
        ts_frac: (i as u32 % 1000) * 1000,
        data: Cow::Borrowed(&data[..]),
        orig_len: *orig,
    });
    temp_path(name, write_pcap(Layout::new(link, 262_144), records))
}

fn ethernet_records(name: &str) -> Vec<(Vec<u8>, u32)> {
    read_pcap(&support::root().join("captures").join(name))
        .records
        .into_iter()
        .map(|(_, orig, data)| (data, orig))
        .collect()
}

/// A UDP datagram, an ARP request and a VLAN-tagged IPv4 packet.
fn small_frames() -> Vec<Vec<u8>> {
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

#[test]
fn tagged_captures_print_what_tcpdump_prints() {
    let mut total = 0;
    for name in CAPTURES {
        let records: Vec<_> = ethernet_records(name)
            .iter()
            .map(|(data, orig)| tagged(data, *orig, &TAG))
            .collect();
        let path = capture(&format!("brcm-tag-{name}"), &records);
        let levels = ["", "-e", "-v", "-vv -e", "-x", "-e -x", "-xx", "-X"];
        let Some(counts) = compare_with_tcpdump(&path, &levels, records.len()) else {
            return;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("Broadcom-tagged captures: {total} lines identical to tcpdump's");
    assert!(total > 100_000, "{total}");
}

/// The tag's words first on the line and under `-e` for every value of
/// each of its bytes, ingress and egress.
#[test]
fn every_tag_prints_what_tcpdump_prints() {
    let frame = &small_frames()[0];
    let mut records = Vec::new();
    for first in [0x00, 0x20] {
        for at in 0..4 {
            for v in 0..=255u8 {
                let mut tag = [first, 0, 0, 0];
                tag[at] = v;
                records.push(tagged(frame, frame.len() as u32, &tag));
            }
        }
    }
    let path = capture("brcm-tag-values", &records);
    // libpcap has no filters for it (`Broadcom tag link-layer type
    // filtering not implemented`): refused, not run on the wrong bytes.
    let out = sockscope(&["read", &path, "ip"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("DSA_TAG_BRCM (281) is not supported by the filter"),
        "{}",
        text(&out.stderr)
    );
    let Some(counts) = compare_with_tcpdump(&path, &["-e", ""], 2048) else {
        return;
    };
    assert_eq!(counts, [2048, 2048]);
}

#[test]
fn records_cut_anywhere_print_what_tcpdump_prints() {
    let mut records = Vec::new();
    for f in small_frames() {
        let (whole, orig) = tagged(&f, f.len() as u32, &TAG);
        // With the FCS on the wire, and cut at every length.
        records.push((whole.clone(), orig + 4));
        for cut in 0..whole.len() {
            records.push((whole[..cut].to_vec(), orig));
        }
    }
    let path = capture("brcm-tag-cuts", &records);
    let levels = ["", "-e", "-v", "-x", "-e -x", "-xx", "-X", "-A"];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 100) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("Broadcom-tagged records cut anywhere: {total} lines identical to tcpdump's");
    assert!(total > 1_000, "{total}");
}

#[test]
fn flows_and_json_see_the_frame_inside() {
    let records = ethernet_records("tcp_lossy.pcap");
    let flows = |path: &str| {
        let out = sockscope(&["read", path, "--flows", "-q"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    // The same frames, at the same times, without the tag.
    let plain = capture_of(1, "brcm-tag-plain-lossy", &records);
    let want = flows(&plain);
    assert!(want.contains("10.77.1.1:44230"), "{want}");
    let tagged_records: Vec<_> = records
        .iter()
        .map(|(data, orig)| tagged(data, *orig, &TAG))
        .collect();
    let path = capture("brcm-tag-lossy", &tagged_records);
    assert_eq!(flows(&path), want);
    let out = sockscope(&["read", &path, "--json", "-c", "1"]);
    let line = text(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
    assert_eq!(v["link"], "DSA_TAG_BRCM", "{line}");
    assert_eq!(v["eth"]["src"], "c6:4a:d0:71:d6:5c", "{line}");
    assert_eq!(v["eth"]["switch_tag"], "20000001", "{line}");
    assert_eq!(v["eth"]["type"], 0x0800, "{line}");
    assert_eq!(v["ip"]["src"], "10.77.1.1", "{line}");
    assert_eq!(v["tcp"]["dport"], 5001, "{line}");
    // The record's own lengths, the tag's 4 bytes included.
    assert_eq!(v["len"], 78, "{line}");
}

/// Damaged tagged frames (bytes changed, records cut, lengths that lie)
/// through every stage: no panic, every record counted.
#[test]
fn damaged_tagged_frames_never_panic() {
    let mut seeds: Vec<Vec<u8>> = small_frames()
        .iter()
        .map(|f| tagged(f, 0, &TAG).0)
        .collect();
    seeds.extend(
        ethernet_records("dissect_l2ctl.pcap")
            .iter()
            .take(200)
            .map(|(d, o)| tagged(d, *o, &TAG).0),
    );
    // xorshift: the same damage on every run.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    const ROUNDS: usize = 20_000;
    let mut records = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let mut r = seeds[next() as usize % seeds.len()].clone();
        for _ in 0..1 + next() % 4 {
            if !r.is_empty() {
                let at = next() as usize % r.len();
                r[at] = next() as u8;
            }
        }
        if next() % 3 == 0 {
            r.truncate(next() as usize % (r.len() + 1));
        }
        let orig = (r.len() as u64 + next() % 8) as u32;
        records.push((r, orig));
    }
    let path = capture("brcm-tag-damaged", &records);
    for level in [
        &[][..],
        &["-e"],
        &["-vv", "-e", "-X"],
        &["--json"],
        &["--flows"],
    ] {
        let mut args = vec!["read", path.as_str()];
        args.extend_from_slice(level);
        let out = sockscope(&args);
        let err = text(&out.stderr);
        assert!(out.status.success(), "{level:?}: {err}");
        assert!(!err.contains("panicked"), "{level:?}: {err}");
        assert!(
            err.contains(&format!("{ROUNDS} packets (DSA_TAG_BRCM {ROUNDS})")),
            "{level:?}: {err}"
        );
    }
}
