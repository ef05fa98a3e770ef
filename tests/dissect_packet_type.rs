//! tcpdump's `-T type`: RTP and RTCP (v1 and v2 headers, options,
//! extensions, H.261, compound reports with blocks, bad lengths), NetFlow
//! v1, v5 and v6 export datagrams, CARP over IPv4 and IPv6 (right and
//! wrong checksums, TTLs, other versions), each whole and cut at every
//! length, and a set of datagrams and segments of other protocols and
//! ports (DNS, NFS, VXLAN, SNMP, RESP, DNS over TCP, HTTP) under every
//! type: `sockscope read -T TYPE` must print what `tcpdump -n -r … -T
//! TYPE` prints, byte for byte, at every level and dump; damaged copies
//! under each type never panic or loop; an unknown type is named in
//! tcpdump's words.

mod support;

use support::app_captures::{
    Frame, capture, compare_with_tcpdump, ethernet_cuts_equal_tcpdump, frames_through_every_stage,
    tcp, udp, udp_over,
};
use support::bin::{sockscope, text};
use support::packet_type_captures::{
    carp_frames, netflow_messages, pgm_zmtp1_messages, rpc_messages, rtcp_messages, rtp_messages,
    words, zmtp1_messages,
};
use support::temp_path;

/// The port every message of a type is sent to (none of tcpdump's).
const PORT: u16 = 5004;

/// Every type tcpdump 4.99 has (sockscope reads them all).
const TYPES: &[&str] = &[
    "vat",
    "wb",
    "rpc",
    "rtp",
    "rtcp",
    "snmp",
    "cnfp",
    "tftp",
    "aodv",
    "carp",
    "radius",
    "zmtp1",
    "vxlan",
    "pgm",
    "pgm_zmtp1",
    "lmp",
    "resp",
    "ptp",
    "someip",
    "domain",
];

fn bytes_of(frames: Vec<Frame>) -> Vec<Vec<u8>> {
    frames.into_iter().map(|f| f.bytes).collect()
}

/// Each message to [`PORT`] over IPv4 and IPv6, and from it.
fn udp_frames(messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    for m in messages {
        frames.push(udp_over(false, PORT, m));
        frames.push(udp_over(true, PORT, m));
        frames.push(udp(false, 40000, PORT, m));
    }
    bytes_of(frames)
}

const LEVELS: &[&str] = &["", "-v", "-vv", "-x", "-X", "-e -v", "-A"];

fn with_type(t: &str) -> Vec<String> {
    LEVELS.iter().map(|l| format!("-T {t} {l}")).collect()
}

fn cuts_equal(name: &str, t: &str, frames: &[Vec<u8>], min: usize) {
    let levels = with_type(t);
    let levels: Vec<&str> = levels.iter().map(String::as_str).collect();
    ethernet_cuts_equal_tcpdump((name, t), frames, &levels, min);
}

#[test]
fn rtp_lines_equal_tcpdump() {
    cuts_equal("type_rtp.pcap", "rtp", &udp_frames(&rtp_messages()), 5_000);
}

#[test]
fn rtcp_lines_equal_tcpdump() {
    cuts_equal(
        "type_rtcp.pcap",
        "rtcp",
        &udp_frames(&rtcp_messages()),
        5_000,
    );
}

#[test]
fn netflow_lines_equal_tcpdump() {
    cuts_equal(
        "type_cnfp.pcap",
        "cnfp",
        &udp_frames(&netflow_messages()),
        10_000,
    );
}

/// PGM in UDP datagrams under `-T pgm` (tcpdump's own PGM messages:
/// every type and option) and `-T pgm_zmtp1`, and ZeroMQ's datagrams in
/// ODATA and RDATA both in UDP and as IP protocol 113.
#[test]
fn pgm_lines_equal_tcpdump() {
    let mut messages = support::pgm_captures::messages();
    messages.extend(pgm_zmtp1_messages());
    cuts_equal("type_pgm.pcap", "pgm", &udp_frames(&messages), 10_000);
    let zmtp = pgm_zmtp1_messages();
    let mut frames = udp_frames(&zmtp);
    for m in &zmtp {
        frames.push(support::control_captures::ipv4(
            [10, 0, 0, 1],
            [239, 1, 1, 1],
            64,
            113,
            &[],
            m,
        ));
    }
    cuts_equal("type_pgm_zmtp1.pcap", "pgm_zmtp1", &frames, 5_000);
}

/// ONC RPC under `-T rpc`: calls as the portmapper's, replies as NFS's,
/// the addresses printed by the RPC printers.
#[test]
fn rpc_lines_equal_tcpdump() {
    cuts_equal("type_rpc.pcap", "rpc", &udp_frames(&rpc_messages()), 3_000);
}

/// ZMTP/1.0 over TCP, to and from [`PORT`], IPv4 and IPv6.
#[test]
fn zmtp1_lines_equal_tcpdump() {
    let mut frames = Vec::new();
    for (i, m) in zmtp1_messages().iter().enumerate() {
        frames.push(tcp(true, 40000, PORT, i as u32, m));
        frames.push(tcp(false, 40000, PORT, i as u32, m));
        let v6 = (
            "2001:db8::1".parse().unwrap(),
            "2001:db8::2".parse().unwrap(),
        );
        frames.push(support::app_captures::tcp_between(
            v6,
            true,
            (40000, PORT),
            1,
            m,
        ));
    }
    let levels = ["", "-v", "-vv", "-x", "-X", "-A"].map(|l| format!("-T zmtp1 {l}"));
    let levels: Vec<&str> = levels.iter().map(String::as_str).collect();
    ethernet_cuts_equal_tcpdump(
        ("type_zmtp1.pcap", "zmtp1"),
        &bytes_of(frames),
        &levels,
        5_000,
    );
}

#[test]
fn carp_lines_equal_tcpdump() {
    cuts_equal("type_carp.pcap", "carp", &carp_frames(), 1_000);
}

/// Datagrams and segments of other protocols, on their ports and on
/// [`PORT`]: a DNS query (to 53), an NFS call (to 2049), VXLAN (to 4789),
/// an SNMP get, a TFTP read request, a RADIUS request, RESP and DNS over
/// TCP (6379, 53) and an HTTP request (80), and the type-specific
/// messages above: under every type, what tcpdump prints.
fn mixed_frames() -> Vec<Vec<u8>> {
    let dns =
        b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01";
    let nfs_call = words(&[7, 0, 2, 100_003, 3, 1, 0, 0, 0, 0, 8, 1, 2]);
    let inner = udp_over(false, 9, b"inner");
    let vxlan = [&[8, 0, 0, 0, 0, 0, 1, 0][..], &inner.bytes].concat();
    let snmp = b"\x30\x26\x02\x01\x01\x04\x06public\xa0\x19\x02\x01\x01\x02\x01\x00\x02\x01\x00\x30\x0e\x30\x0c\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x05\x00";
    let tftp = b"\x00\x01file.txt\x00octet\x00";
    let radius = [&[1, 7, 0, 20][..], &[0x11; 16]].concat();
    let resp = b"*1\r\n$4\r\nPING\r\n";
    let dns_tcp = [&(dns.len() as u16).to_be_bytes()[..], dns].concat();
    let http = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    let mut frames = vec![
        udp(true, 40000, 53, dns),
        udp(true, 40000, 2049, &nfs_call),
        udp(true, 40000, 4789, &vxlan),
        udp(true, 40000, 161, snmp),
        udp(true, 40000, 69, tftp),
        udp(true, 40000, 1812, &radius),
        udp(true, 40000, PORT, dns),
        udp(true, 40000, PORT, &vxlan),
        udp(true, 40000, PORT, &[]),
        tcp(true, 40000, 6379, 1, resp),
        tcp(true, 40000, 53, 1, &dns_tcp),
        tcp(true, 40000, 80, 1, http),
        tcp(true, 40000, PORT, 1, &dns_tcp),
        tcp(true, 40000, PORT, 1, &zmtp1_messages()[0]),
    ];
    for m in [
        &rtp_messages()[0],
        &rtcp_messages()[2],
        &netflow_messages()[3],
    ] {
        frames.push(udp(true, 40000, PORT, m));
    }
    let mut out = bytes_of(frames);
    out.extend(carp_frames().into_iter().take(2));
    out
}

#[test]
fn every_type_reads_other_protocols_as_tcpdump() {
    let frames = mixed_frames();
    let path = temp_path(
        "type_mixed.pcap",
        support::link_captures::capture(1, &frames, 0),
    );
    let mut lines = 0;
    for t in TYPES {
        let levels = [
            format!("-T {t}"),
            format!("-T {t} -vv"),
            format!("-T {t} -x"),
        ];
        let levels: Vec<&str> = levels.iter().map(String::as_str).collect();
        if let Some(counts) = compare_with_tcpdump(&path, &levels, frames.len()) {
            lines += counts.iter().sum::<usize>();
        }
    }
    eprintln!("every type over the mixed capture: {lines} lines identical to tcpdump's");
}

/// Each flow's uid and Zeek `service` (`-` for none) in `read --flows
/// --json` of `path`, with `args` besides.
fn services(path: &str, args: &[&str]) -> Vec<(String, String)> {
    let mut cmd = vec!["read", path, "--flows", "--json"];
    cmd.extend_from_slice(args);
    let out = sockscope(&cmd);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let uid = v.get("uid")?.as_str()?.to_string();
            let service = v.get("service").and_then(|s| s.as_str()).unwrap_or("-");
            Some((uid, service.to_string()))
        })
        .collect()
}

/// `-T` changes how packets are printed, not what a flow carries: Zeek's
/// `service` comes from the traffic under every type, as without one.
#[test]
fn flows_keep_their_service_under_every_type() {
    let path = temp_path(
        "type_services.pcap",
        support::link_captures::capture(1, &mixed_frames(), 0),
    );
    let plain = services(&path, &[]);
    let has = |uid_service: &[(String, String)], s: &str| uid_service.iter().any(|(_, x)| x == s);
    for s in ["dns", "http", "snmp", "radius"] {
        assert!(has(&plain, s), "no {s} flow without -T: {plain:?}");
    }
    for t in TYPES {
        assert_eq!(services(&path, &["-T", t]), plain, "-T {t}");
    }
}

#[test]
fn unknown_types_are_named_and_tcpdumps_spelling_works() {
    let path = temp_path(
        "type_refused.pcap",
        capture(&[udp(true, 40000, PORT, &rtp_messages()[0])]),
    );
    let out = sockscope(&["read", &path, "-T", "foo"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("unknown packet type `foo'"));
    // `sockscope -r FILE -T rtp`, tcpdump's spelling.
    let out = sockscope(&["-r", &path, "-T", "rtp"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(": udp/rtp 40 c0  4660 160"));
}

#[test]
fn json_carries_the_type_protocol() {
    let frames = udp_frames(&[rtp_messages()[1].clone(), netflow_messages()[3].clone()]);
    let path = temp_path(
        "type_json.pcap",
        support::link_captures::capture(1, &frames, 0),
    );
    let rtp = text(&sockscope(&["read", &path, "--json", "-T", "rtp"]).stdout);
    assert!(rtp.contains(r#""rtp":{"#), "{rtp}");
    assert!(rtp.contains(r#""marker":true"#), "{rtp}");
    assert!(rtp.contains(r#""sequence":65535"#), "{rtp}");
    let nf = text(&sockscope(&["read", &path, "--json", "-T", "cnfp"]).stdout);
    assert!(nf.contains(r#""netflow":{"#), "{nf}");
    assert!(nf.contains(r#""src_as":65001"#), "{nf}");
    assert!(nf.contains(r#""dst":"10.1.0.1""#), "{nf}");
    // Without -T neither is decoded.
    let plain = text(&sockscope(&["read", &path, "--json"]).stdout);
    assert!(!plain.contains(r#""rtp""#) && !plain.contains(r#""netflow""#));
}

/// Damaged frames a type: the dissectors alone take a million damaged
/// messages each in `tests/dissect_mutations.rs`; these go through every
/// stage (decoder, lines at three levels, with and without `-e`).
const ROUNDS_PER_TYPE: usize = 20_000;

/// Damaged copies of every message above, under each type in turn (the
/// type is the run's, as `-T` sets it): no panic, no loop.
#[test]
fn damaged_messages_under_every_type_never_panic() {
    use sockscope::dissect::packet_type::{PacketType, set};
    let mut seeds = udp_frames(&rtp_messages());
    seeds.extend(udp_frames(&rtcp_messages()));
    seeds.extend(udp_frames(&netflow_messages()));
    seeds.extend(carp_frames());
    seeds.extend(mixed_frames());
    for (i, t) in TYPES.iter().enumerate() {
        set(Some(PacketType::parse(t).expect("a type sockscope reads")));
        frames_through_every_stage(ROUNDS_PER_TYPE, 0x7e57_0000 + i as u64, |rng, round| {
            let seed = &seeds[round % seeds.len()];
            (1, support::dns_captures::mutate(rng, seed))
        });
    }
    set(None);
}
