//! Hilscher netANALYZER captures (link types 240 and 241): an Ethernet
//! frame after a 4-byte pseudo header (241: and the preamble and SFD,
//! 12 bytes in all); and Broadcom's prepended switch tag (282), 4 bytes
//! whose words `-e` prints before the frame's header. tcpdump hands the
//! frame to its Ethernet printer; libpcap compiles Ethernet's filters at
//! the netANALYZER header's offset (and refuses them on 282). Committed
//! Ethernet captures wrapped in each header, and frames cut at every
//! length (inside the header too), must print what `tcpdump -n -r`
//! prints at every level; filters select what tcpdump selects (our BPF
//! program agreeing with the evaluator), `llc` is refused in libpcap's
//! words; flows and `--json` see the frame inside.

mod support;

use sockscope::filter::{Filter, bpf};
use sockscope::packet::LinkType;
use std::borrow::Cow;
use std::process::Command;
use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::ether_frames;
use support::pcap::{Layout, Record, write_pcap};
use support::temp_path;

/// The two netANALYZER link types and their header lengths.
const LINKS: [(u32, usize); 2] = [(240, 4), (241, 12)];

/// Every link type wrapping an Ethernet frame whole, with its header's
/// length: netANALYZER's and Broadcom's prepended tag.
const WRAPPING: [(u32, usize); 3] = [(240, 4), (241, 12), (282, 4)];

/// Committed Ethernet captures of many EtherTypes, tags, LLC and cut
/// frames, wrapped here.
const CAPTURES: &[&str] = &[
    "dissect_ethertypes.pcap",
    "dissect_l2ctl.pcap",
    "link_macsec.pcap",
    "filter_ether.pcap",
    "exact_cuts.pcap",
    "dissect_tunnel_vlan.pcap",
];

/// A netANALYZER header: status bytes, then (transparent mode) the
/// preamble and SFD. tcpdump reads none of it.
fn header(len: usize) -> Vec<u8> {
    let mut h = vec![0x0c, 0x00, 0x40, 0x05];
    h.extend_from_slice(&[0x55; 7]);
    h.push(0xd5);
    h.truncate(len);
    h
}

/// Ethernet `records` (captured bytes, wire length) as a capture of
/// `link`, each behind the header (whose bytes the wire length counts).
fn wrapped(link: u32, hl: usize, records: &[(Vec<u8>, u32)]) -> Vec<u8> {
    let h = header(hl);
    let records = records.iter().enumerate().map(|(i, (data, orig))| {
        let mut bytes = h.clone();
        bytes.extend_from_slice(data);
        Record {
            ts_sec: 1_000_000 + i as u32 / 1000,
            ts_frac: (i as u32 % 1000) * 1000,
            data: Cow::Owned(bytes),
            orig_len: orig + hl as u32,
        }
    });
    write_pcap(Layout::new(link, 262_144), records)
}

#[test]
fn wrapped_captures_print_what_tcpdump_prints() {
    let mut total = 0;
    for (link, hl) in WRAPPING {
        for name in CAPTURES {
            let records = ether_frames::committed(name);
            let path = temp_path(
                &format!("netanalyzer-{link}-{name}"),
                wrapped(link, hl, &records),
            );
            let levels = ["", "-e", "-v", "-x", "-e -x", "-xx"];
            let Some(counts) = compare_with_tcpdump(&path, &levels, records.len()) else {
                return;
            };
            total += counts.iter().sum::<usize>();
        }
    }
    eprintln!("netANALYZER captures: {total} lines identical to tcpdump's");
    assert!(total > 150_000, "{total}");
}

/// Broadcom's tag words under `-e` for every value of each of its bytes,
/// ingress (first byte's bit 5) and egress.
#[test]
fn every_broadcom_tag_prints_what_tcpdump_prints() {
    let frame = &ether_frames::small_frames()[0];
    let mut records = Vec::new();
    for first in [0x00, 0x20] {
        for at in 0..4 {
            for v in 0..=255u8 {
                let mut tag = [first, 0, 0, 0];
                tag[at] = v;
                let r = [&tag[..], frame].concat();
                let orig = r.len() as u32;
                records.push((r, orig));
            }
        }
    }
    let records = records.iter().enumerate().map(|(i, (data, orig))| Record {
        ts_sec: 1_000_000 + i as u32,
        ts_frac: 0,
        data: Cow::Borrowed(&data[..]),
        orig_len: *orig,
    });
    let path = temp_path("brcm-tags", write_pcap(Layout::new(282, 65_535), records));
    // libpcap has no filters for it (`Broadcom tag (prepended)
    // link-layer type filtering not implemented`): refused.
    let out = sockscope(&["read", &path, "ip"]);
    assert!(!out.status.success());
    let Some(counts) = compare_with_tcpdump(&path, &["-e", ""], 2048) else {
        return;
    };
    assert_eq!(counts, [2048, 2048]);
}

/// The small frames behind a header of `hl` bytes (bytes, wire length):
/// whole with the FCS on the wire, and cut at every length.
fn records_cut_anywhere(hl: usize) -> Vec<(Vec<u8>, u32)> {
    let mut records = Vec::new();
    for f in ether_frames::small_frames() {
        let whole = [header(hl), f].concat();
        records.push((whole.clone(), whole.len() as u32 + 4));
        for cut in 0..whole.len() {
            records.push((whole[..cut].to_vec(), whole.len() as u32));
        }
    }
    records
}

/// The records, cut anywhere, behind PPI and PKTAP headers: the Ethernet
/// frame inside printed as on its own link type, netANALYZER's header
/// counted once by its printer and that count again by the wrapper's.
#[test]
fn records_behind_ppi_and_pktap_print_what_tcpdump_prints() {
    let mut total = 0;
    for (link, hl) in WRAPPING {
        total += support::link_captures::behind_ppi_and_pktap_equal_tcpdump(
            &format!("netanalyzer-{link}"),
            link,
            &records_cut_anywhere(hl),
        );
    }
    assert!(total == 0 || total > 3_000, "only {total} lines compared");
}

#[test]
fn records_cut_anywhere_print_what_tcpdump_prints() {
    let mut total = 0;
    for (link, hl) in WRAPPING {
        let records = records_cut_anywhere(hl);
        let records = records.iter().enumerate().map(|(i, (data, orig))| Record {
            ts_sec: 1_000_000 + i as u32,
            ts_frac: 0,
            data: Cow::Borrowed(&data[..]),
            orig_len: *orig,
        });
        let path = temp_path(
            &format!("netanalyzer-cuts-{link}"),
            write_pcap(Layout::new(link, 65_535), records),
        );
        let levels = ["", "-e", "-v", "-x", "-e -x", "-xx", "-X", "-A"];
        let Some(counts) = compare_with_tcpdump(&path, &levels, 100) else {
            return;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("netANALYZER records cut anywhere: {total} lines identical to tcpdump's");
    assert!(total > 2_000, "{total}");
}

#[test]
fn filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "tcp",
        "udp port 53",
        "arp",
        "vlan",
        "vlan and ip",
        "vlan 10",
        "ether host 00:11:22:33:44:55",
        "ether broadcast",
        "ether[0] & 1 = 1",
        "ether proto 0x88cc",
        "ether[12:2] = 0x0800",
        "ip[9] = 17",
        "tcp[tcpflags] & tcp-syn != 0",
        "net 10.0.0.0/8",
        "mpls",
        "pppoes and ip",
        "stp",
        "iso",
        "len > 100",
        "not ip and not ip6",
    ];
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let mut compared = 0;
    let mut decisions = 0;
    for (link, hl) in LINKS {
        let records = ether_frames::committed("filter_ether.pcap");
        let bytes = wrapped(link, hl, &records);
        let path = temp_path(&format!("netanalyzer-filter-{link}"), bytes.clone());
        let parsed = support::pcap::parse_pcap(&bytes).records;
        for expr in EXPRS {
            let ours = sockscope(&["read", &path, expr]);
            assert!(ours.status.success(), "{expr}: {}", text(&ours.stderr));
            let theirs = Command::new("tcpdump")
                .args(["-n", "-r", &path, expr])
                .env("TZ", "UTC")
                .output()
                .expect("tcpdump runs");
            assert_eq!(text(&ours.stdout), text(&theirs.stdout), "{link} `{expr}`");
            compared += text(&theirs.stdout).lines().count();
            // The kernel's program decides as the evaluator does.
            let f = Filter::parse(expr).expect("parses");
            let prog = f.compile(LinkType::Other(link), 65_535).expect("compiles");
            for (_, orig, data) in &parsed {
                let by_bpf = bpf::run(&prog, data, *orig) != 0;
                assert_eq!(
                    by_bpf,
                    f.matches(LinkType::Other(link), data, *orig),
                    "{link} `{expr}`"
                );
                decisions += 1;
            }
        }
        // libpcap's LLC test is Ethernet's own.
        let out = sockscope(&["read", &path, "llc"]);
        assert!(!out.status.success());
        let theirs = Command::new("tcpdump")
            .args(["-n", "-r", &path, "llc"])
            .output()
            .expect("tcpdump runs");
        let words = text(&theirs.stderr);
        let words = words.lines().last().unwrap_or_default();
        let words = words.trim_start_matches("tcpdump: ");
        assert!(
            words.contains("'llc' not supported for Ethernet with Hilscher netANALYZER"),
            "{words}"
        );
        assert!(text(&out.stderr).contains(words), "{}", text(&out.stderr));
    }
    eprintln!("netANALYZER filters: {compared} lines identical, {decisions} BPF decisions");
    assert!(compared > 1_000, "{compared}");
}

#[test]
fn flows_and_json_see_the_frame_inside() {
    let records = ether_frames::committed("tcp_lossy.pcap");
    // The same records with the same times as an Ethernet capture.
    let plain = temp_path("netanalyzer-plain-lossy", wrapped(1, 0, &records));
    let flows = |path: &str| {
        let out = sockscope(&["read", path, "--flows", "-q"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let want = flows(&plain);
    assert!(want.contains("10.77.1.1:44230"), "{want}");
    for (link, hl) in LINKS {
        let path = temp_path(
            &format!("netanalyzer-lossy-{link}"),
            wrapped(link, hl, &records),
        );
        assert_eq!(flows(&path), want, "{link}");
        let out = sockscope(&["read", &path, "--json", "-c", "1"]);
        let line = text(&out.stdout);
        let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
        let name = if link == 240 {
            "NETANALYZER"
        } else {
            "NETANALYZER_TRANSPARENT"
        };
        assert_eq!(v["link"], name, "{line}");
        assert_eq!(v["eth"]["src"], "c6:4a:d0:71:d6:5c", "{line}");
        assert_eq!(v["ip"]["src"], "10.77.1.1", "{line}");
        assert_eq!(v["tcp"]["dport"], 5001, "{line}");
        // The record's own lengths.
        assert_eq!(v["len"], 74 + hl, "{line}");
    }
}
