//! The link types tcpdump reads besides Ethernet, cooked and loopback
//! captures, on frames built by hand (`tests/support/link_captures.rs`):
//! PPP, PPP in HDLC framing, Cisco HDLC, Frame Relay, NFLOG, IP over
//! InfiniBand, 802.11 with and without radiotap, and one tcpdump has no
//! printer for. `sockscope read` must print what `tcpdump -n -r` prints,
//! byte for byte, at the default level, under `-e` and `-v` (and `-vv` where
//! the generator says it prints more) and in the `-x` and `-e -x` dumps
//! (802.11's `-X` too), for each frame whole and cut at every byte; IP over
//! LLC on 802.3 frames and cooked packets too. The `reading from file` names of every link type
//! are tcpdump's; filters on the serial ones select what tcpdump selects,
//! the others refuse rather than mismatch;
//! flows are the IP conversations inside; damaged frames never panic.

mod support;

use sockscope::filter::{Filter, bpf};
use sockscope::packet::LinkType;
use std::path::PathBuf;
use std::process::Command;
use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::dns_captures::{mutate, rng};
use support::link_captures;
use support::rng::mutation_rounds;

/// Each frame is also cut at every byte of its first this many.
const CUTS: usize = 48;

/// A capture written for this test run, removed when dropped (also when
/// a comparison fails).
struct TempCapture(PathBuf);

impl TempCapture {
    fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for TempCapture {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn temp_capture(name: &str, bytes: &[u8]) -> TempCapture {
    let path =
        std::env::temp_dir().join(format!("sockscope-link-{}-{name}.pcap", std::process::id()));
    std::fs::write(&path, bytes).expect("temp capture");
    TempCapture(path)
}

#[test]
fn link_type_lines_equal_tcpdump() {
    let mut total = 0;
    for cases in link_captures::all() {
        let bytes = link_captures::capture(cases.link, &cases.frames, usize::MAX);
        let path = temp_capture(cases.name, &bytes);
        let p = path.path();
        // The dumps start where tcpdump's link printers say their header
        // ends (PPP's four bytes whatever the header was, NFLOG's TLVs
        // walked, PKTAP's inner header counted twice, Frame Relay's
        // header or the first byte past a cut …).
        let levels: &[&str] = match cases.link {
            // 802.11's dumps start after the MAC header as tcpdump's
            // printer sizes it (radiotap's length first).
            105 | 127 => &["", "-e", "-v", "-e -v", "-x", "-X", "-e -x"],
            _ if cases.vv_too => &["", "-e", "-v", "-vv", "-x", "-e -x"],
            _ => &["", "-e", "-v", "-x", "-e -x"],
        };
        let counts = compare_with_tcpdump(&p, levels, cases.frames.len());
        let Some(counts) = counts else {
            return;
        };
        eprintln!(
            "{} ({}): lines per level {counts:?}",
            cases.name, cases.link
        );
        total += counts.iter().sum::<usize>();
    }
    assert!(total > 1000, "only {total} lines compared");
}

/// 802.3 frames whose length field ends before their bytes: the same
/// lines and dumps as tcpdump's at every level, whole and cut.
#[test]
fn ether_8023_length_bounds_equal_tcpdump() {
    let frames = link_captures::ether_8023_lengths();
    let bytes = link_captures::capture(1, &frames, usize::MAX);
    let path = temp_capture("8023-lengths", &bytes);
    let levels = ["", "-e", "-v", "-vv", "-x", "-X", "-e -x", "-xx"];
    if let Some(counts) = compare_with_tcpdump(&path.path(), &levels, frames.len()) {
        assert!(counts.iter().sum::<usize>() >= 8 * 6 * 50, "{counts:?}");
    }
}

/// Radiotap's HT field for every MCS index, bandwidth and guard interval
/// (the rate tcpdump computes from them), and its VHT field for every
/// bandwidth code: the same words as tcpdump's.
#[test]
fn radiotap_rates_equal_tcpdump() {
    let frames = link_captures::radiotap_rates();
    let path = temp_capture("rates", &link_captures::capture(127, &frames, 0));
    if let Some(counts) = compare_with_tcpdump(&path.path(), &["", "-e"], frames.len()) {
        assert!(counts.iter().sum::<usize>() >= 2 * frames.len());
    }
}

/// 802.11 data frames whose LLC PDU is not SNAP before IPv4, IPv6 or ARP
/// go through the LLC printer of 802.3 frames, as in tcpdump: SNAP with
/// VLAN or unknown EtherTypes, Cisco's protocols, unknown OUIs; STP, OSI,
/// NetBEUI; I, S and U frames, XID, differing SAPs. The same lines as
/// tcpdump's, byte for byte, at every level (hex dumps included), on
/// 802.11 and radiotap, each frame whole, cut at every length, and in
/// seeded damaged copies (the bytes after the LLC/SNAP header changed).
#[test]
fn wlan_llc_lines_equal_tcpdump() {
    let mut frames = Vec::new();
    let mut rng = rng(0x11c4_7e5e_0000_11c0);
    for body in link_captures::wlan_llc_bodies() {
        let head = match body.as_slice() {
            [0xaa, 0xaa, 3, ..] => 8,
            [_, _, c, ..] if c & 3 == 3 => 3,
            _ => 4,
        };
        let mut bodies = vec![body.clone()];
        for _ in 0..3 {
            let rest = mutate(&mut rng, body.get(head..).unwrap_or(&[]));
            bodies.push([&body[..head.min(body.len())], &rest[..]].concat());
        }
        for b in &bodies {
            frames.extend(link_captures::wlan_data_frames(
                b,
                &[(0, false), (2, true), (3, true)],
            ));
        }
    }
    let captures = link_captures::bare_and_behind_radiotap(&frames)
        .into_iter()
        .map(|(link, frames)| (link, format!("wlan-llc-lines-{link}"), frames));
    let levels = ["", "-e", "-v", "-e -v", "-x", "-X", "-e -x"];
    every_cut_equals_tcpdump("802.11 LLC", captures, &levels, 100_000);
}

/// `-H`: 802.11s mesh control after QoS data frames' headers (every
/// address extension mode, every DS pair, bare and behind radiotap) is
/// stepped over to the LLC/SNAP header and the packet, and under `-e`
/// printed as tcpdump prints it (`MeshData (AE 1 TTL 32 seq 16909061
/// A4:…) `); the same frames without `-H` go to the LLC printer as the
/// mesh bytes say. Each whole and cut at every length, at every level.
#[test]
fn wlan_mesh_headers_equal_tcpdump() {
    let frames = link_captures::wlan_mesh_frames();
    let captures = link_captures::bare_and_behind_radiotap(&frames)
        .into_iter()
        .map(|(link, frames)| (link, format!("wlan-mesh-{link}"), frames));
    let levels = [
        "-H", "-H -e", "-H -v", "-H -e -v", "-H -x", "-H -e -x", "-H -X", "", "-e",
    ];
    every_cut_equals_tcpdump("802.11 mesh", captures, &levels, 20_000);
}

/// tcpdump's `reading from file F, link-type NAME (Description),
/// snapshot length N` line, for every link type from 0 to 300.
#[test]
fn link_type_names_are_tcpdumps() {
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let mut named = 0;
    for n in 0..=300u32 {
        let bytes = link_captures::capture(n, &[], 0);
        let path = temp_capture(&format!("name-{n}"), &bytes);
        let out = Command::new("tcpdump")
            .args(["-n", "-r"])
            .arg(&path.0)
            .output()
            .expect("tcpdump runs");
        let err = text(&out.stderr);
        let words = err
            .lines()
            .find_map(|l| l.split(", link-type ").nth(1))
            .and_then(|rest| rest.split(", snapshot length").next())
            .unwrap_or_else(|| panic!("link type {n}: {err}"));
        assert_eq!(
            LinkType::from_number(n).tcpdump_words(),
            words,
            "link type {n}"
        );
        named += usize::from(LinkType::from_number(n).name() != "unknown");
    }
    assert!(named > 150, "{named} named");
}

/// Filters over PPP, PPP in HDLC framing, Cisco HDLC, Frame Relay, 802.11
/// and radiotap select what tcpdump's select (libpcap's offsets, Frame
/// Relay's odd one included, 802.11's header length computed from the
/// frame control and radiotap's length and flags): the same lines, byte
/// for byte, frames whole and cut. Over the link types libpcap cannot
/// filter (NFLOG, IPoIB, PKTAP) and USER0 the filter is refused with a
/// clear message instead of matching wrongly.
#[test]
fn filters_on_framed_link_types_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "icmp",
        "udp",
        "ip and icmp",
        "not ip",
        "host 192.168.1.2",
        "src host 2001:db8::1",
        "udp port 53 or icmp",
        "ip[9] = 1",
        "greater 60",
        "ip multicast",
        "ether proto 0x86dd",
    ];
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let mut compared = 0;
    for cases in link_captures::all() {
        let bytes = link_captures::capture(cases.link, &cases.frames, CUTS);
        let path = temp_capture(&format!("{}-filter", cases.name), &bytes);
        let p = path.path();
        if ![9, 50, 104, 107, 105, 127].contains(&cases.link) {
            let out = sockscope(&["read", &p, "ip"]);
            assert!(!out.status.success(), "{}", cases.name);
            let err = text(&out.stderr);
            assert!(
                err.contains("is not supported by the filter"),
                "{}: {err}",
                cases.name
            );
            continue;
        }
        for expr in EXPRS {
            compared += filtered_alike(&p, expr, cases.name);
        }
    }
    eprintln!("filtered lines identical to tcpdump's: {compared}");
    assert!(compared > 500, "{compared}");
}

/// 802.11's own filters (types and subtypes, the address fields by role
/// and by number, broadcast and multicast) and IP filters through LLC/SNAP
/// select what tcpdump's select on 802.11 and radiotap, frames whole and
/// cut; our BPF program agrees with the evaluator on every frame; on
/// Ethernet the 802.11 words are refused as libpcap refuses them.
#[test]
fn wlan_filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "type mgt",
        "wlan type data",
        "type ctl",
        "type 12",
        "type mgt subtype beacon",
        "subtype beacon",
        "type data subtype qos-data",
        "subtype ack",
        "subtype null or subtype cts",
        "type ctl subtype ps-poll",
        "wlan addr1 00:11:22:33:44:01",
        "wlan addr2 00:11:22:33:44:02",
        "wlan addr3 00:11:22:33:44:03",
        "wlan addr4 00:11:22:33:44:04",
        "wlan ra 00:11:22:33:44:01",
        "wlan ta 00:11:22:33:44:02",
        "wlan host 00:11:22:33:44:02",
        "wlan host 00:11:22:33:44:03",
        "wlan src 00:11:22:33:44:04",
        "wlan src 00:11:22:33:44:03",
        "wlan dst 00:11:22:33:44:03",
        "wlan dst 00:11:22:33:44:01",
        "ether host 00:11:22:33:44:01",
        "wlan src and dst 00:11:22:33:44:01",
        "ether broadcast",
        "ether multicast",
        "not wlan host 00:11:22:33:44:01 and type data",
        "ip and host 192.168.1.2",
        "icmp and wlan dst 00:11:22:33:44:03",
        "ip[9] = 1 and subtype qos-data",
    ];
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let frames = link_captures::wlan_filter_frames();
    let mut compared = 0;
    for run in wlan_filter_runs("wlan-filter", &frames, 40, 4000, 0x11c4_7e5e_0000_0105) {
        for expr in EXPRS {
            compared += filtered_alike(&run.path.path(), expr, &run.link.to_string());
            run.program_agrees(expr);
        }
    }
    refused_on_ethernet(
        &["type mgt", "subtype beacon", "wlan addr1 00:11:22:33:44:01"],
        "802.11 link-layer types supported only on 802.11",
    );
    for (expr, words) in [
        (
            "addr1 00:11:22:33:44:01",
            "ethernet address used in non-ether expression",
        ),
        ("wlan addr1 1.2.3.4", "illegal link layer address"),
        (
            "type ctl subtype beacon",
            "unknown 802.11 subtype name \"beacon\"",
        ),
        ("type 2", "invalid 802.11 type value 0x02"),
    ] {
        let err = Filter::parse(expr).expect_err(expr).to_string();
        assert!(err.contains(words), "{expr}: {err}");
    }
    eprintln!("802.11 filtered lines identical to tcpdump's: {compared}");
    assert!(compared > 2000, "{compared}");
}

/// `dir`, `vlan` (the tag's type through SNAP, later offsets moved by
/// each tag), `ether proto` below 1500 (LLC SAPs, libpcap's SAP pairs
/// and AppleTalk's SNAP header) and its names (`stp`, `ipx`, `atalk` …),
/// `llc` and its frame kinds (`llc i`, `llc ui` …) and the OSI words
/// (`clnp`, `esis`, `isis`, `l1`, `iih` …) on 802.11 and radiotap select
/// the frames tcpdump's filter selects (tcpdump's `-w` output compared
/// record by record, frames whole and cut), and our BPF program agrees
/// with the evaluator on them and on damaged ones; `dir` elsewhere,
/// unknown directions and LLC kinds are refused in libpcap's words, the
/// LLC and OSI words off 802.11 in ours.
#[test]
fn wlan_dir_vlan_and_llc_filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "dir nods",
        "dir tods",
        "wlan dir fromds",
        "dir dstods",
        "dir 3",
        "dir 4",
        "dir TODS or dir 0",
        "ip dir 1",
        "not dir dstods and type data",
        "vlan",
        "vlan 5",
        "vlan 7",
        "vlan and ip",
        "vlan 7 and vlan 5 and ip",
        "vlan and vlan",
        "vlan and host 192.168.1.2",
        "ip or vlan 5",
        "vlan 7 and ip6",
        "vlan and wlan src 00:11:22:33:44:02",
        "ether proto 0x42",
        "ether proto 0xfe",
        "ether proto 0xe0",
        "ether proto 0xf0",
        "ether proto 6",
        "ether proto 0x809b",
        "not ether proto 0x809b",
        "ether proto 1500",
        "ether proto 0x8100 and dir tods",
        "stp",
        "ipx",
        "iso",
        "netbeui",
        "atalk",
        "aarp",
        "decnet",
        "lat",
        "sca",
        "moprc",
        "mopdl",
        "llc",
        "not llc",
        "llc i",
        "llc s",
        "llc u",
        "llc rr",
        "llc rnr",
        "llc rej",
        "llc ui",
        "llc ua",
        "llc disc",
        "llc dm",
        "llc sabme",
        "llc test",
        "llc xid",
        "llc frmr",
        "vlan and llc u",
        "llc i or stp",
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
        "isis and dir fromds",
    ];
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let mut frames = link_captures::wlan_llc_frames();
    for body in link_captures::wlan_llc_bodies()
        .iter()
        .chain(&link_captures::wlan_osi_bodies())
    {
        frames.extend(link_captures::wlan_data_frames(
            body,
            &[(1, false), (3, true)],
        ));
    }
    let mut compared = 0;
    for run in wlan_filter_runs("wlan-llc", &frames, 48, 3000, 0x11c4_7e5e_0000_0d12) {
        for expr in EXPRS {
            compared += run.selected_alike(expr);
            run.program_agrees(expr);
        }
    }
    refused_on_ethernet(
        &["dir tods"],
        "frame direction supported only with 802.11 headers",
    );
    let err = Filter::parse("dir sideways")
        .expect_err("refused")
        .to_string();
    assert!(err.contains("unknown 802.11 direction"), "{err}");
    let err = Filter::parse("llc foo").expect_err("refused").to_string();
    assert!(err.contains("unknown LLC type name \"foo\""), "{err}");
    // The OSI words on Ethernet (`isis`, `clnp` …) are compared with
    // tcpdump's selection in tests/filter_read.rs; `stp`, `ipx` … in
    // tests/dissect_ipx_atalk.rs; `llc` below.
    eprintln!("802.11 frames whose selection equals tcpdump's: {compared}");
    assert!(compared > 10_000, "{compared}");
}

/// `sockscope read` of an Ethernet capture refuses each of `exprs`, its
/// message saying `words`.
fn refused_on_ethernet(exprs: &[&str], words: &str) {
    // Three tests call this at once: one file each (the first one to end
    // would delete a shared one under the others).
    let name = format!("refused-eth-{}", exprs.join("-").replace(' ', "_"));
    let path = temp_capture(&name, &link_captures::capture(1, &[], 0));
    for expr in exprs {
        let out = sockscope(&["read", &path.path(), expr]);
        assert!(!out.status.success(), "{expr}");
        let err = text(&out.stderr);
        assert!(err.contains(words), "{expr}: {err}");
    }
}

/// One link type's part of an 802.11 filter test: the frames as a
/// capture (each whole, then cut at every byte below the test's limit),
/// its records, and seeded damaged copies of the frames.
struct WlanFilterRun {
    link: u32,
    path: TempCapture,
    records: Vec<(Vec<u8>, u32)>,
    damaged: Vec<Vec<u8>>,
}

/// `frames` bare (105) and behind radiotap (127), cut below `cuts`, with
/// `damaged` mutations from `seed`.
fn wlan_filter_runs(
    name: &str,
    frames: &[Vec<u8>],
    cuts: usize,
    damaged: usize,
    seed: u64,
) -> Vec<WlanFilterRun> {
    link_captures::bare_and_behind_radiotap(frames)
        .into_iter()
        .map(|(link, frames)| filter_run(link, name, &frames, cuts, damaged, seed))
        .collect()
}

/// `frames` of link type `link` as a filter test's capture, cut below
/// `cuts`, with `damaged` mutations from `seed`.
fn filter_run(
    link: u32,
    name: &str,
    frames: &[Vec<u8>],
    cuts: usize,
    damaged: usize,
    seed: u64,
) -> WlanFilterRun {
    let bytes = link_captures::capture(link, frames, cuts);
    let path = temp_capture(&format!("{name}-{link}"), &bytes);
    let records = support::pcap::parse_pcap(&bytes)
        .records
        .into_iter()
        .map(|(_, orig, d)| (d, orig))
        .collect();
    let mut rng = rng(seed + u64::from(link));
    let damaged = (0..damaged)
        .map(|i| mutate(&mut rng, &frames[i % frames.len()]))
        .collect();
    WlanFilterRun {
        link,
        path,
        records,
        damaged,
    }
}

/// Filters on Token Ring, FDDI and RFC 1483 ATM captures as libpcap
/// compiles them (the LLC PDU at a fixed place: after 14 bytes, 13, 0;
/// every frame an LLC frame; the ring's addresses): IP, IPv6 and ARP by
/// SNAP's type, ports, hosts, `ether host` and its directions, `llc` and
/// its kinds, the SAP and OSI words, broadcast and multicast, print what
/// tcpdump prints on the frames whole and cut, and our BPF program agrees
/// with the evaluator on them and on damaged copies; what libpcap refuses
/// on ATM (MAC addresses, broadcast, multicast) and `vlan` is refused in
/// its words.
#[test]
fn filters_on_token_ring_fddi_and_atm_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "arp",
        "not ip",
        "icmp",
        "udp port 6000",
        "tcp port 80",
        "host 192.168.1.2",
        "src host 2001:db8::1",
        "ip[9] = 1",
        "ip multicast",
        "ether proto 0x86dd",
        "greater 60",
        "llc",
        "llc u",
        "llc i",
        "llc s",
        "ipx",
        "stp",
        "netbeui",
        "iso",
        "clnp",
        "isis",
        "atalk",
        "rarp",
    ];
    const RING_EXPRS: &[&str] = &[
        "ether host 00:11:22:33:44:55",
        "ether src 66:77:88:99:aa:bb",
        "ether dst 00:11:22:33:44:55 and ip",
        "ether broadcast",
        "ether multicast",
    ];
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let mut compared = 0;
    for (link, name, frames) in link_captures::ring_link_captures() {
        let run = filter_run(link, &name, &frames, 40, 2000, 0x11c4_7e5e_0000_0006);
        let p = run.path.path();
        let ring = matches!(link, 6 | 10);
        for expr in EXPRS.iter().chain(if ring { RING_EXPRS } else { &[] }) {
            compared += filtered_alike(&p, expr, &name);
            run.program_agrees(expr);
        }
        let refused: &[(&str, &str)] = if ring {
            &[("vlan", "no VLAN support")]
        } else {
            &[
                ("vlan", "no VLAN support"),
                (
                    "ether host 00:11:22:33:44:55",
                    "ethernet addresses supported only on ethernet/FDDI/token ring",
                ),
                ("ether broadcast", "not a broadcast link"),
                (
                    "ether multicast",
                    "link-layer multicast filters supported only on",
                ),
            ]
        };
        for (expr, words) in refused {
            let out = sockscope(&["read", &p, expr]);
            assert!(!out.status.success(), "{name} {expr}");
            let err = text(&out.stderr);
            assert!(err.contains(words), "{name} {expr}: {err}");
        }
    }
    eprintln!("Token Ring, FDDI and ATM filtered lines identical to tcpdump's: {compared}");
    assert!(compared > 5000, "{compared}");
}

/// libpcap's `llc` and its frame kinds on Ethernet (an 802.3 length
/// after the tags `vlan` took, not Novell's raw 802.3, the control byte's
/// bits) select the frames tcpdump's `-w` keeps, on 802.3 frames with LLC
/// PDUs of every kind, raw IPX, Ethernet II, single and double tagged
/// frames of both, whole and cut within their first 24 bytes; our BPF
/// program agrees with the evaluator on them and on damaged copies.
#[test]
fn llc_filters_on_ethernet_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "llc",
        "not llc",
        "llc i",
        "llc s",
        "llc u",
        "llc ui",
        "llc rr",
        "llc rnr",
        "llc rej",
        "llc ua",
        "llc disc",
        "llc dm",
        "llc sabme",
        "llc test",
        "llc xid",
        "llc frmr",
        "vlan and llc",
        "llc and vlan",
        "vlan 5 and llc u",
        "vlan and vlan and llc",
        "llc or ip",
        "not llc and not ip",
        "llc i or stp",
        "ipx and not llc",
    ];
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let frames = link_captures::llc_ethernet_frames();
    let run = filter_run(1, "llc-eth", &frames, 24, 3000, 0x11c4_7e5e_0000_0e11);
    let mut compared = 0;
    for expr in EXPRS {
        compared += run.selected_alike(expr);
        run.program_agrees(expr);
    }
    eprintln!("Ethernet frames whose `llc` selection equals tcpdump's: {compared}");
    assert!(compared > 5_000, "{compared}");
}

impl WlanFilterRun {
    /// Our evaluator and our BPF program for `expr` agree on every record
    /// and every damaged frame.
    fn program_agrees(&self, expr: &str) {
        let lt = LinkType::from_number(self.link);
        let filter = Filter::parse(expr).expect("parses");
        let prog = filter.compile(lt, 262_144).expect("compiles");
        let damaged = self.damaged.iter().map(|d| (d, d.len() as u32));
        for (data, orig) in self.records.iter().map(|(d, o)| (d, *o)).chain(damaged) {
            assert_eq!(
                filter.matches(lt, data, orig),
                bpf::run(&prog, data, orig) != 0,
                "{} `{expr}` on {data:02x?}",
                self.link
            );
        }
    }

    /// Our filter keeps the records tcpdump's `-w` keeps; the records
    /// compared.
    fn selected_alike(&self, expr: &str) -> usize {
        let lt = LinkType::from_number(self.link);
        let filter = Filter::parse(expr).expect("parses");
        let ours: Vec<&Vec<u8>> = self
            .records
            .iter()
            .filter(|(d, orig)| filter.matches(lt, d, *orig))
            .map(|(d, _)| d)
            .collect();
        let out = std::env::temp_dir().join(format!(
            "sockscope-link-{}-{}-out.pcap",
            std::process::id(),
            self.link
        ));
        let theirs = support::pcap::tcpdump_keeps(self.path.0.as_path(), &out, expr);
        let theirs: Vec<&Vec<u8>> = theirs.iter().collect();
        assert_eq!(ours, theirs, "{} `{expr}`", self.link);
        self.records.len()
    }
}

/// Each capture's frames (link type, file name, frames), whole and cut
/// at every byte, print what tcpdump prints at every level of `levels`,
/// more than `min` lines in all (`what` names them; nothing compared
/// without tcpdump).
fn every_cut_equals_tcpdump(
    what: &str,
    captures: impl IntoIterator<Item = (u32, String, Vec<Vec<u8>>)>,
    levels: &[&str],
    min: usize,
) {
    let mut total = 0;
    for (link, name, frames) in captures {
        let path = temp_capture(&name, &link_captures::capture(link, &frames, usize::MAX));
        let Some(counts) = compare_with_tcpdump(&path.path(), levels, frames.len()) else {
            return;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("{what}: {total} lines identical to tcpdump's");
    assert!(total > min, "{what}: only {total} lines compared");
}

/// `sockscope read FILE EXPR` prints what `tcpdump -n -r FILE EXPR`
/// prints (`what` names the case); the number of lines.
fn filtered_alike(path: &str, expr: &str, what: &str) -> usize {
    let ours = sockscope(&["read", path, expr]);
    assert!(
        ours.status.success(),
        "{what} {expr}: {}",
        text(&ours.stderr)
    );
    let theirs = Command::new("tcpdump")
        .args(["-n", "-r", path, expr])
        .env("TZ", "UTC")
        .output()
        .expect("tcpdump runs");
    assert_eq!(text(&ours.stdout), text(&theirs.stdout), "{what} `{expr}`");
    text(&theirs.stdout).lines().count()
}

/// `--json` carries each link header as a `"link_layer"` object: its
/// kind and what it says (the protocol, DLCI, family, addresses …).
#[test]
fn json_has_the_link_layer() {
    let want: &[(u32, &str, &str)] = &[
        (9, "\"type\":\"ppp\"", "\"protocol\":33"),
        (50, "\"type\":\"ppp_hdlc\"", "\"protocol\":33"),
        (104, "\"type\":\"chdlc\"", "\"protocol\":2048"),
        (107, "\"type\":\"fr\"", "\"nlpid\":204"),
        (239, "\"type\":\"nflog\"", "\"family\":2"),
        (242, "\"type\":\"ipoib\"", "\"protocol\":2048"),
        (105, "\"type\":\"802.11\"", "\"addr1\":\""),
        (127, "\"type\":\"radiotap\"", "\"radiotap\":{\"flags\":"),
        (258, "\"type\":\"pktap\"", "\"dlt\":1"),
        (149, "\"type\":\"pktap\"", "\"dlt\":1"),
    ];
    for cases in link_captures::all() {
        let bytes = link_captures::capture(cases.link, &cases.frames, 0);
        let path = temp_capture(&format!("{}-json", cases.name), &bytes);
        let out = sockscope(&["read", &path.path(), "--json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let json = text(&out.stdout);
        let Some((_, kind, field)) = want.iter().find(|(l, _, _)| *l == cases.link) else {
            assert!(!json.contains("\"link_layer\""), "{}: {json}", cases.name);
            continue;
        };
        let layers: Vec<&str> = json
            .lines()
            .filter(|l| l.contains("\"link_layer\":{"))
            .collect();
        assert!(
            layers.iter().any(|l| l.contains(kind) && l.contains(field)),
            "{}: {json}",
            cases.name
        );
    }
}

/// The flow table holds the IP conversations the link layers carry.
#[test]
fn flows_are_the_ip_packets_inside() {
    for cases in link_captures::all().into_iter().filter(|c| c.link != 147) {
        let bytes = link_captures::capture(cases.link, &cases.frames, 0);
        let path = temp_capture(&format!("{}-flows", cases.name), &bytes);
        let p = path.path();
        let out = sockscope(&["read", &p, "--flows", "--json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let json = text(&out.stdout);
        assert!(
            json.lines().any(|l| l.contains("\"conn_state\"")
                && (l.contains("\"id.orig_h\":\"192.168.1.1\"")
                    || l.contains("\"id.orig_h\":\"2001:db8::1\""))),
            "{}: {json}",
            cases.name
        );
    }
}

/// NFLOG's printer hands its IP printers everything after the payload
/// TLV's header: a TLV of 24 bytes (the IPv4 header alone) still carries
/// the whole ICMP echo to `--json` and the flows, as tcpdump prints it;
/// a TLV longer than the record carries nothing.
#[test]
fn nflog_payload_runs_past_its_tlv() {
    let ip = link_captures::ipv4_echo();
    let short = [&[2, 0, 0, 0, 24, 0, 9, 0][..], &ip].concat();
    let mut long = short.clone();
    long[4] = 100;
    let bytes = link_captures::capture(239, &[short, long], 0);
    let path = temp_capture("nflog-short-tlv", &bytes);
    let run = |args: &[&str]| {
        let out = sockscope(&[&["read", &path.path()][..], args].concat());
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let json = run(&["--json"]);
    let lines: Vec<&str> = json.lines().collect();
    let ip_len = format!("\"len\":{}", ip.len());
    assert!(
        lines[0].contains("\"name\":\"echo request\"") && lines[0].contains(&ip_len),
        "{json}"
    );
    assert!(
        lines[1].contains("\"problem\":\"[|nflog]\"") && !lines[1].contains("\"ip\""),
        "{json}"
    );
    let flows = run(&["--json", "--flows"]);
    assert!(
        flows.lines().any(|l| l.contains("\"conn_state\"")
            && l.contains("\"id.orig_h\":\"192.168.1.1\"")
            && l.contains("\"orig_pkts\":1")
            && l.contains("\"orig_bytes\":8")),
        "{flows}"
    );
}

/// Token Ring, FDDI and RFC 1483 ATM captures: `--json` carries each
/// header as a `"link_layer"` object (Token Ring's route, the LLC header
/// and SNAP's type, ATM's encapsulation) and the IP packet inside; the
/// flows are the IP conversations behind LLC/SNAP and SAP 0x06.
#[test]
fn token_ring_fddi_and_atm_json_and_flows() {
    let want: &[(u32, &[&str])] = &[
        (
            6,
            &[
                "\"type\":\"token-ring\"",
                "\"src\":\"66:77:88:99:aa:bb\"",
                "\"route\":{\"control\":34352,\"segments\":[418,3009]}",
                "\"llc\":{\"control\":3,\"dsap\":170,\"oui\":0,\"pid\":2048,\"ssap\":170}",
            ],
        ),
        (10, &["\"type\":\"fddi\"", "\"frame_control\":80"]),
        (
            11,
            &[
                "\"type\":\"atm\"",
                "\"encapsulation\":\"llc\"",
                "\"encapsulation\":\"802.6\"",
            ],
        ),
    ];
    for (link, name, frames) in link_captures::ring_link_captures() {
        let path = temp_capture(
            &format!("{name}-json"),
            &link_captures::capture(link, &frames, 0),
        );
        let p = path.path();
        let out = sockscope(&["read", &p, "--json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let json = text(&out.stdout);
        for field in want
            .iter()
            .filter(|(l, _)| *l == link)
            .flat_map(|(_, f)| *f)
        {
            assert!(json.contains(field), "{name}: no {field}");
        }
        assert!(
            json.lines().any(|l| l.contains("\"link_layer\"")
                && l.contains("\"ip\":{")
                && l.contains("\"src\":\"192.168.1.1\"")),
            "{name}: no IP packet in the JSON"
        );
        let out = sockscope(&["read", &p, "--flows", "--json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let flows = text(&out.stdout);
        for orig in ["192.168.1.1", "2001:db8::1"] {
            assert!(
                flows.lines().any(|l| l.contains("\"conn_state\"")
                    && l.contains(&format!("\"id.orig_h\":\"{orig}\""))),
                "{name}: no flow from {orig}: {flows}"
            );
        }
    }
}

/// Damaged frames of every new link type through the decoder, the line
/// printer at each level with and without `-e`, the JSON and the flow
/// view: no panic, no loop, lines of bounded length (a million in a
/// release build, 100,000 in a debug one; `SOCKSCOPE_MUTATION_ROUNDS=N`).
#[test]
fn damaged_link_frames_never_panic_or_loop() {
    let mesh = link_captures::bare_and_behind_radiotap(&link_captures::wlan_mesh_frames())
        .into_iter()
        .map(|(link, frames)| (link, String::new(), frames));
    let llc_ip = link_captures::llc_ip_captures()
        .into_iter()
        .chain(link_captures::bridged_captures())
        .chain(link_captures::ring_bridged_captures())
        .chain(link_captures::ring_link_captures())
        .chain(link_captures::ring_bridged_ip_captures())
        .chain(mesh)
        .chain([(107, String::new(), link_captures::frelay_snap_frames())])
        .chain([(107, String::new(), link_captures::frelay_cisco_frames())])
        .flat_map(|(link, _, frames)| frames.into_iter().map(move |f| (link, f)));
    let seeds: Vec<(u32, Vec<u8>)> = link_captures::all()
        .into_iter()
        .flat_map(|c| c.frames.into_iter().map(move |f| (c.link, f)))
        .chain(llc_ip)
        .collect();
    let rounds = mutation_rounds();
    let (slowest, longest) = support::app_captures::damaged_frames_through_every_stage(
        &seeds,
        rounds,
        0x11c4_7e5e_0000_0001,
    );
    eprintln!("{rounds} damaged link frames: slowest {slowest:?}, longest line {longest} bytes");
    // The 802.11 frames again under `-H` (a setting of the run: no other
    // test of this binary decodes 802.11 in its own process).
    let wlan: Vec<(u32, Vec<u8>)> = seeds
        .iter()
        .filter(|(link, _)| matches!(link, 105 | 127))
        .cloned()
        .collect();
    sockscope::decode::wlan::set_mesh_headers(true);
    let (slowest, longest) = support::app_captures::damaged_frames_through_every_stage(
        &wlan,
        rounds / 4,
        0x11c4_7e5e_0000_0002,
    );
    sockscope::decode::wlan::set_mesh_headers(false);
    eprintln!(
        "{} damaged 802.11 frames under -H: slowest {slowest:?}, longest line {longest} bytes",
        rounds / 4
    );
}

/// IP over LLC: 802.3 frames and Linux cooked 802.2 packets (v1 and v2)
/// whose LLC header is IP's SAP 0x06 or SNAP before IPv4, IPv6 or ARP
/// print the network layer's line as tcpdump's LLC printer hands it on
/// (under `-e` after the LLC and SNAP words; `-x` from the IP header),
/// and the near misses the LLC line; each frame whole and cut at every
/// length, at every level, byte for byte.
#[test]
fn ip_over_llc_lines_equal_tcpdump() {
    let levels = ["", "-e", "-v", "-e -v", "-x", "-e -x", "-X"];
    every_cut_equals_tcpdump(
        "IP over LLC",
        link_captures::llc_ip_captures(),
        &levels,
        10_000,
    );
}

/// RFC 2684 bridged frames behind LLC/SNAP (OUI 00-80-c2) on 802.3 frames
/// and Linux cooked 802.2 packets: the frame inside through the Ethernet
/// printer (under `-e` with its addresses after the SNAP words `oui
/// Ethernet bridged (0x0080c2), pid Ethernet w/o FCS (0x0007)`), BPDUs
/// through STP's, other media named and dumped; the `-x` dump from the
/// pad after the SNAP header; each whole and cut at every length, at every
/// level, byte for byte. (On 802.11 they are among `wlan_llc_bodies`.)
#[test]
fn bridged_frames_equal_tcpdump() {
    let levels = ["", "-e", "-v", "-e -v", "-x", "-e -x", "-X"];
    every_cut_equals_tcpdump(
        "RFC 2684 bridged",
        link_captures::bridged_captures(),
        &levels,
        10_000,
    );
}

/// Frame Relay SNAP (NLPID 0x80) with every protocol id tcpdump's SNAP
/// printer follows: EtherTypes through the Ethernet path's printers (ARP,
/// LLDP, EAPOL, PTP, the slow protocols, IPX, AppleTalk, MPLS, PPPoE …;
/// VLAN and unknown ones as the Frame Relay header and the frame in hex),
/// Cisco's OUI (CDP, DTP, VTP, UDLD, PVST+), RFC 2684's bridged Ethernet
/// (no pad in Frame Relay) and BPDUs; each whole and cut at every length,
/// at every level, byte for byte.
#[test]
fn frame_relay_snap_payloads_equal_tcpdump() {
    let levels = ["", "-e", "-v", "-e -v", "-x", "-e -x", "-X"];
    let frames = link_captures::frelay_snap_frames();
    let captures = [(107, "frelay-snap".to_string(), frames)];
    every_cut_equals_tcpdump("Frame Relay SNAP", captures, &levels, 10_000);
}

/// Frame Relay NLPIDs tcpdump only names (CONS, IDRP, LMI, X25 ES-IS) or
/// does not know, after two- and three-byte addresses: its printer skips
/// their hex under `-x` alone, so `-X` and `-XX` print it before their
/// dump; each whole and cut at every length, byte for byte.
#[test]
fn frame_relay_unknown_nlpid_dumps_equal_tcpdump() {
    let levels = ["-X", "-XX", "-e -X", "-v -X", "-x", "-xx", "-A", "-AA"];
    let mut frames = Vec::new();
    for nlpid in [0x84, 0x85, 0x09, 0x8a, 0x99] {
        frames.push(vec![0x18, 0x41, 3, nlpid, b'a', b'b', b'c', b'd', 1, 2]);
        frames.push(vec![0x18, 0x40, 0x0b, 3, 0, nlpid, 0xff, 0xfe]);
    }
    // SNAP's unknown protocol ids: the frame in hex and ASCII, which `-A`
    // keeps (cut, it gives up: the dump from the first byte).
    frames.push(vec![
        0x18, 0x41, 3, 0x80, 0, 0, 0, 0x12, 0x34, b'x', b'y', b'z',
    ]);
    frames.push(vec![0x18, 0x41, 3, 0, 0x80, 0, 0, 0xf8, 0x81, 0, 0, 5]);
    let captures = [(107, "frelay-unknown-nlpid".to_string(), frames)];
    every_cut_equals_tcpdump("Frame Relay unknown NLPIDs", captures, &levels, 1_000);
}

/// Cisco's EtherType encapsulation in Frame Relay (a control byte other
/// than UI): the packet through the EtherType printers (under `-e` after
/// `cisco-ethertype IPv4 (0x0800)`), an EtherType tcpdump does not decode
/// as its `UI 12! ` and the header read after it; IPv6 packets of another
/// version by NLPID and in PPP (`IP6 version error: 0 != 6`); each whole
/// and cut at every length, at every level, byte for byte.
#[test]
fn frame_relay_cisco_encapsulation_equals_tcpdump() {
    let levels = ["", "-e", "-v", "-e -v", "-x", "-e -x"];
    let frames = link_captures::frelay_cisco_frames();
    let captures = [(107, "frelay-cisco".to_string(), frames)];
    every_cut_equals_tcpdump("Frame Relay Cisco", captures, &levels, 10_000);
}

/// Token Ring and FDDI frames bridged by RFC 2684 (OUI 00-80-c2) on
/// 802.3, Linux cooked, 802.11 and Frame Relay: tcpdump's token-ring and
/// FDDI printers' words (under `-e` the header, Token Ring's source route
/// always, under `-v` by name), then the LLC PDU by the LLC printer, or
/// other frame kinds' bytes in hex; each whole and cut at every length,
/// at every level, byte for byte.
#[test]
fn bridged_token_ring_and_fddi_equal_tcpdump() {
    let levels = ["", "-e", "-v", "-e -v", "-x", "-e -x", "-X"];
    every_cut_equals_tcpdump(
        "Token Ring and FDDI bridged",
        link_captures::ring_bridged_captures(),
        &levels,
        10_000,
    );
}

/// `llc` and its frame kinds where libpcap has no LLC test (every link
/// type sockscope filters but Ethernet, 802.11 and radiotap; libpcap
/// tests it on Token Ring, FDDI and ATM only, besides those): refused as
/// tcpdump refuses it, in libpcap's words (`'llc' not supported for Frame
/// Relay`), on a capture of each link type.
#[test]
fn llc_refused_where_libpcap_refuses_it() {
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let mut compared = 0;
    for link in [0, 101, 113, 276, 9, 50, 104, 107] {
        let frames = [link_captures::ipv4_echo()];
        let path = temp_capture(
            &format!("llc-refused-{link}"),
            &link_captures::capture(link, &frames, 0),
        );
        for expr in ["llc", "llc u", "llc i", "not llc", "ip or llc s"] {
            let theirs = Command::new("tcpdump")
                .args(["-n", "-r", &path.path(), expr])
                .output()
                .expect("tcpdump runs");
            let err = text(&theirs.stderr);
            let words = err
                .lines()
                .find_map(|l| l.strip_prefix("tcpdump: "))
                .unwrap_or_else(|| panic!("{link} `{expr}`: tcpdump accepted it: {err}"));
            assert!(words.starts_with("'llc' not supported for "), "{words}");
            let ours = sockscope(&["read", &path.path(), expr]);
            assert!(!ours.status.success(), "{link} `{expr}`");
            let ours = text(&ours.stderr);
            assert!(
                ours.contains(words),
                "{link} `{expr}`: {ours} (tcpdump: {words})"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 40);
}

/// IPv4, IPv6 and ARP behind SAP 0x06 or SNAP in Token Ring (routed
/// and not) and FDDI frames bridged by RFC 2684 on 802.3, Linux cooked,
/// 802.11 and Frame Relay: the ring header's words, under `-e` the LLC
/// and SNAP words, then the packet's line; each whole and cut at every
/// length, at every level, byte for byte.
#[test]
fn ip_in_bridged_token_ring_and_fddi_equals_tcpdump() {
    let levels = ["", "-e", "-v", "-e -v", "-x", "-e -x", "-X"];
    every_cut_equals_tcpdump(
        "IP in bridged Token Ring and FDDI",
        link_captures::ring_bridged_ip_captures(),
        &levels,
        10_000,
    );
}

/// Token Ring, FDDI and RFC 1483 ATM captures (link types 6, 10, 11,
/// 100): the ring header under `-e`, Token Ring's source route always,
/// FDDI's frame control by name, ATM's 802.6 pseudo-header in hex, then
/// IP, IPv6 and ARP behind LLC/SNAP and SAP 0x06 (under `-e` the LLC and
/// SNAP words first) and every other LLC PDU by the LLC printer, or a
/// frame of another kind in hex; each whole and cut at every length, at
/// every level, byte for byte.
#[test]
fn token_ring_fddi_and_atm_link_types_equal_tcpdump() {
    let levels = ["", "-e", "-v", "-e -v", "-x", "-e -x", "-X"];
    every_cut_equals_tcpdump(
        "Token Ring, FDDI and ATM",
        link_captures::ring_link_captures(),
        &levels,
        10_000,
    );
}

/// libpcap's `ip`, `udp`, `host`, `arp` … test the EtherType field of the
/// link header, so they select no frame whose IP packet follows an LLC
/// header; the same frames as tcpdump, whatever the expression.
#[test]
fn filters_over_llc_select_what_tcpdump_selects() {
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let exprs = [
        "ip",
        "ip6",
        "arp",
        "udp",
        "icmp",
        "host 192.168.1.1",
        "len > 60",
        "ether[14] = 6",
        "not ip",
    ];
    for (link, name, frames) in link_captures::llc_ip_captures() {
        let path = temp_capture(
            &format!("{name}-filters"),
            &link_captures::capture(link, &frames, 40),
        );
        for expr in exprs {
            filtered_alike(&path.path(), expr, &name);
        }
    }
}

/// `--json` and the flow table see the IP packet behind the LLC header
/// too, as the line does.
#[test]
fn json_and_flows_see_ip_over_llc() {
    for (link, name, frames) in link_captures::llc_ip_captures() {
        let path = temp_capture(
            &format!("{name}-json"),
            &link_captures::capture(link, &frames, 0),
        );
        let out = sockscope(&["read", &path.path(), "--json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let json = text(&out.stdout);
        let first = json.lines().next().unwrap_or_default();
        assert!(
            first.contains("\"src\":\"192.168.1.1\"") && first.contains("\"icmp\""),
            "{name}: {first}"
        );
        let out = sockscope(&["read", &path.path(), "--flows", "--json"]);
        let json = text(&out.stdout);
        for (proto, orig) in [("icmp", "192.168.1.1"), ("udp", "2001:db8::1")] {
            assert!(
                json.lines().any(|l| l.contains("\"conn_state\"")
                    && l.contains(&format!("\"proto\":\"{proto}\""))
                    && l.contains(&format!("\"id.orig_h\":\"{orig}\""))),
                "{name} {proto}: {json}"
            );
        }
    }
}

/// `geneve` on the links of one IP version (228 IPv4, 229 IPv6): libpcap
/// takes the IP header's length from IPv4's IHL or IPv6's 40 and reads
/// the words after it in the Geneve payload, as on Ethernet; `vlan` on
/// PPI is refused in libpcap's words (its VLAN code knows 802.11's link
/// types, not PPI).
#[test]
fn geneve_on_raw_ipv4_and_ipv6_and_vlan_on_ppi_are_libpcaps() {
    use support::link_filters::records_filter_like_tcpdump;
    let exprs = [
        "geneve",
        "geneve and ip",
        "geneve 5 and tcp port 80",
        "geneve 6",
        "not geneve",
        "geneve or udp",
    ];
    let v4 = [
        link_captures::geneve_packet(false),
        link_captures::ipv4_echo(),
    ];
    let mut compared = records_filter_like_tcpdump((228, &v4), "geneve-228", &exprs, &[]);
    let v6 = [
        link_captures::geneve_packet(true),
        link_captures::ipv6_udp(),
    ];
    compared += records_filter_like_tcpdump((229, &v6), "geneve-229", &exprs, &[]);
    let ppi = link_captures::capture(192, &[], 0);
    let path = support::temp_path("ppi-vlan", ppi.clone());
    support::link_filters::filters_equal_tcpdump(
        (&path, &ppi),
        192,
        &[],
        &["vlan", "vlan 10", "not vlan"],
    );
    if compared == 0 {
        return;
    }
    eprintln!("geneve on raw IPv4 and IPv6: {compared} lines identical to tcpdump's");
    assert!(compared >= 8, "{compared}");
}

/// 802.11 management frames of the subtypes tcpdump does not name (6, 7,
/// 14, 15), plain and protected, with 0 to 6 body bytes, bare and behind
/// radiotap: `Unhandled Management subtype(f)` and, when protected, the IV
/// tcpdump reads whatever the subtype (` IV:… Pad … KeyID …`; too short
/// for it, ` [|802.11]`). Found in Wireshark's `wpa-Induction.pcap`.
#[test]
fn unhandled_management_subtypes_equal_tcpdump() {
    let mut frames = Vec::new();
    for subtype in [6u8, 7, 14, 15] {
        for flags in [0u8, 0x40] {
            for body in 0..=6u8 {
                let mut f = vec![subtype << 4, flags, 0, 0];
                f.extend_from_slice(&[0xff; 6]);
                f.extend_from_slice(&[2, 0, 0, 0, 0, 1]);
                f.extend_from_slice(&[2, 0, 0, 0, 0, 1]);
                f.extend_from_slice(&[0x10, 0]);
                f.extend((0..body).map(|i| 0x3fu8.wrapping_add(i.wrapping_mul(0x51))));
                frames.push(f);
            }
        }
    }
    let radiotap: Vec<Vec<u8>> = frames
        .iter()
        .map(|f| [&[0, 0, 8, 0, 0, 0, 0, 0][..], f].concat())
        .collect();
    for (link, name, frames) in [(105, "wlan", frames), (127, "radiotap", radiotap)] {
        let p = support::temp_file(
            &format!("{name}_unhandled_subtypes.pcap"),
            link_captures::capture(link, &frames, 0),
        );
        compare_with_tcpdump(&p.to_string_lossy(), &["", "-e", "-v"], frames.len());
    }
}
