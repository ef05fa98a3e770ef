//! Switch tags inside the frame, between the source address and the
//! EtherType: Broadcom's (link type 281, DSA_TAG_BRCM, 4 bytes),
//! Marvell's DSA (284, 4 bytes) and EDSA (285, 8). tcpdump's Ethernet
//! printer reads the frame as if the tag were not there, and prints the
//! tag's words first on the line or, under `-e`, after the addresses
//! (Marvell's in longer words there; the `-e` length, and an unknown
//! EtherType's, counts the tag). Committed Ethernet captures with a tag
//! put into every frame, every value of each tag byte, and frames cut at
//! every length must print what `tcpdump -n -r` prints; libpcap has no
//! filters for these link types (refused); flows and `--json` see the
//! frame's packet.

mod support;

use std::borrow::Cow;
use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::ether_frames;
use support::pcap::{Layout, Record, write_pcap};
use support::temp_path;

/// Each link type, its name, and a tag with fields set: Broadcom's an
/// ingress tag (first byte's bit 5) to port map 0x0001; a DSA tag to the
/// CPU from device 5, port 3, tagged, CFI, code 5, VLAN 0xfab, priority
/// 1; EDSA's the same behind EtherType 0xdada.
const LINKS: [(u32, &str, &[u8]); 3] = [
    (281, "DSA_TAG_BRCM", &[0x20, 0, 0, 0x01]),
    (284, "DSA_TAG_DSA", &[0x25, 0x1d, 0x3f, 0xab]),
    (
        285,
        "DSA_TAG_EDSA",
        &[0xda, 0xda, 0, 0, 0x25, 0x1d, 0x3f, 0xab],
    ),
];

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

#[test]
fn tagged_captures_print_what_tcpdump_prints() {
    for (link, link_name, tag) in LINKS {
        let mut total = 0;
        for name in CAPTURES {
            let records: Vec<_> = ether_frames::committed(name)
                .iter()
                .map(|(data, orig)| tagged(data, *orig, tag))
                .collect();
            let path = capture_of(link, &format!("switch-tag-{link}-{name}"), &records);
            let levels = ["", "-e", "-v", "-vv -e", "-x", "-e -x", "-xx", "-X"];
            let Some(counts) = compare_with_tcpdump(&path, &levels, records.len()) else {
                return;
            };
            total += counts.iter().sum::<usize>();
        }
        eprintln!("{link_name} captures: {total} lines identical to tcpdump's");
        assert!(total > 100_000, "{total}");
    }
}

/// The tag's words first on the line and under `-e` for every value of
/// each of its bytes: Broadcom's ingress and egress, Marvell's in each of
/// the four modes (the first byte's top bits), EDSA's EtherType and
/// reserved bytes too.
#[test]
fn every_tag_prints_what_tcpdump_prints() {
    let frame = &ether_frames::small_frames()[0];
    for (link, link_name, tag) in LINKS {
        let firsts: &[u8] = match link {
            281 => &[0x00, 0x20],
            _ => &[0x00, 0x40, 0x80, 0xc0],
        };
        // EDSA's DSA tag starts at its fifth byte.
        let mode_at = tag.len() - 4;
        let mut records = Vec::new();
        for &first in firsts {
            for at in 0..tag.len() {
                for v in 0..=255u8 {
                    let mut t = vec![0; tag.len()];
                    t[mode_at] = first;
                    t[at] = v;
                    records.push(tagged(frame, frame.len() as u32, &t));
                }
            }
        }
        let path = capture_of(link, &format!("switch-tag-values-{link}"), &records);
        // libpcap has no filters for these (`Broadcom tag link-layer type
        // filtering not implemented`): refused, not run on the wrong bytes.
        let out = sockscope(&["read", &path, "ip"]);
        assert!(!out.status.success());
        let refusal = format!("{link_name} ({link}) is not supported by the filter");
        assert!(
            text(&out.stderr).contains(&refusal),
            "{}",
            text(&out.stderr)
        );
        let n = records.len();
        let Some(counts) = compare_with_tcpdump(&path, &["-e", ""], n) else {
            return;
        };
        assert_eq!(counts, [n, n], "{link_name}");
    }
}

#[test]
fn records_cut_anywhere_print_what_tcpdump_prints() {
    for (link, link_name, tag) in LINKS {
        let mut records = Vec::new();
        for f in ether_frames::small_frames() {
            let (whole, orig) = tagged(&f, f.len() as u32, tag);
            // With the FCS on the wire, and cut at every length.
            records.push((whole.clone(), orig + 4));
            for cut in 0..whole.len() {
                records.push((whole[..cut].to_vec(), orig));
            }
        }
        let path = capture_of(link, &format!("switch-tag-cuts-{link}"), &records);
        let levels = ["", "-e", "-v", "-x", "-e -x", "-xx", "-X", "-A"];
        let Some(counts) = compare_with_tcpdump(&path, &levels, 100) else {
            return;
        };
        let total: usize = counts.iter().sum();
        eprintln!("{link_name} records cut anywhere: {total} lines identical to tcpdump's");
        assert!(total > 1_000, "{total}");
    }
}

#[test]
fn flows_and_json_see_the_frame_inside() {
    let records = ether_frames::committed("tcp_lossy.pcap");
    let flows = |path: &str| {
        let out = sockscope(&["read", path, "--flows", "-q"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    // The same frames, at the same times, without the tag.
    let plain = capture_of(1, "switch-tag-plain-lossy", &records);
    let want = flows(&plain);
    assert!(want.contains("10.77.1.1:44230"), "{want}");
    for (link, link_name, tag) in LINKS {
        let tagged_records: Vec<_> = records
            .iter()
            .map(|(data, orig)| tagged(data, *orig, tag))
            .collect();
        let path = capture_of(link, &format!("switch-tag-lossy-{link}"), &tagged_records);
        assert_eq!(flows(&path), want, "{link_name}");
        let out = sockscope(&["read", &path, "--json", "-c", "1"]);
        let line = text(&out.stdout);
        let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
        let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(v["link"], link_name, "{line}");
        assert_eq!(v["eth"]["src"], "c6:4a:d0:71:d6:5c", "{line}");
        assert_eq!(v["eth"]["switch_tag"], hex, "{line}");
        assert_eq!(v["eth"]["type"], 0x0800, "{line}");
        assert_eq!(v["ip"]["src"], "10.77.1.1", "{line}");
        assert_eq!(v["tcp"]["dport"], 5001, "{line}");
        // The record's own lengths, the tag's bytes included.
        assert_eq!(v["len"], 74 + tag.len(), "{line}");
    }
}

/// Damaged tagged frames (bytes changed, records cut, lengths that lie)
/// through every stage: no panic, every record counted.
#[test]
fn damaged_tagged_frames_never_panic() {
    for (link, link_name, tag) in LINKS {
        damaged_frames_never_panic(link, link_name, tag);
    }
}

fn damaged_frames_never_panic(link: u32, link_name: &str, tag: &[u8]) {
    let mut seeds: Vec<Vec<u8>> = ether_frames::small_frames()
        .iter()
        .map(|f| tagged(f, 0, tag).0)
        .collect();
    seeds.extend(
        ether_frames::committed("dissect_l2ctl.pcap")
            .iter()
            .take(200)
            .map(|(d, o)| tagged(d, *o, tag).0),
    );
    // xorshift: the same damage on every run.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d ^ u64::from(link);
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
    let path = capture_of(link, &format!("switch-tag-damaged-{link}"), &records);
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
        assert!(out.status.success(), "{link_name} {level:?}: {err}");
        assert!(!err.contains("panicked"), "{link_name} {level:?}: {err}");
        assert!(
            err.contains(&format!("{ROUNDS} packets ({link_name} {ROUNDS})")),
            "{link_name} {level:?}: {err}"
        );
    }
    support::link_damage::through_every_stage(link, &seeds, u64::from(link));
}
