//! `--json` says what the line says, and what the protocol says (issue
//! #14), on captures each test builds in its temp directory: no `icmp`
//! object where the line refuses ICMP over the other version of IP;
//! `tcp.payload_len` behind an authentication header and IPv6 extension
//! headers equal to tshark's `tcp.len`; no analysis mark (line, JSON,
//! flow counters) for a TCP header tcpdump does not read; the PPP link
//! types' control messages as PPP in a tunnel gives them; a PIM
//! Register's packet as the `inner` object. Lines are compared with
//! `tcpdump -n -r` run on the same capture.

mod support;

use serde_json::{Value, json};
use support::app_captures::{Frame, capture as pcap_of, compare_with_tcpdump};
use support::bin::{packets_json, require_tool, sockscope, text};
use support::frames::{IP6_A, IP6_B, ipv6_packet};
use support::tunnel_captures::{checksum, ether, ipv4};
use support::{link_captures, pim_captures, temp_file};

/// Frames whole, as a capture.
fn whole(frames: Vec<Vec<u8>>) -> Vec<u8> {
    let frames: Vec<Frame> = frames
        .into_iter()
        .map(|bytes| Frame { bytes, snap: None })
        .collect();
    pcap_of(&frames)
}

fn v6(next: u8, payload: &[u8]) -> Vec<u8> {
    ether(0x86dd, &ipv6_packet(IP6_A, IP6_B, next, payload))
}

fn v4(proto: u8, payload: &[u8]) -> Vec<u8> {
    ether(0x0800, &ipv4(proto, payload))
}

/// `sockscope read PATH ARGS…` as text.
fn read(path: &str, args: &[&str]) -> String {
    let mut all = vec!["read", path];
    all.extend_from_slice(args);
    let out = sockscope(&all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// `sockscope read PATH ARGS… --json`, one value per line.
fn json_lines(path: &str, args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.push("--json");
    read(path, &all)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// ICMP over IPv6 and ICMPv6 over IPv4: tcpdump refuses both by name
/// (`[ICMP requires IPv4] (invalid)`, `[ICMPv6 requires IPv6]
/// (invalid)`), and `--json` claims no ICMP message there; the same
/// messages over their own version keep their `icmp` object.
#[test]
fn icmp_over_the_other_ip_version_has_no_icmp_object() {
    let mut echo = vec![8, 0, 0, 0, 0x12, 0x34, 0, 1];
    echo.extend_from_slice(b"ping");
    let sum = checksum(&echo);
    echo[2..4].copy_from_slice(&sum.to_be_bytes());
    let mut echo6 = echo.clone();
    echo6[0] = 128;
    let bytes = whole(vec![
        v4(1, &echo),
        v6(1, &echo),
        v6(58, &echo6),
        v4(58, &echo6),
    ]);
    let path = temp_file("icmp_versions.pcap", bytes);
    let p = path.to_string_lossy().into_owned();
    if let Some(counts) = compare_with_tcpdump(&p, &["", "-v", "-vv"], 4) {
        assert_eq!(counts, [4, 6, 6]);
    }
    let lines = read(&p, &[]);
    let ends: Vec<bool> = lines
        .lines()
        .map(|l| {
            l.ends_with(" requires IPv4] (invalid)") || l.ends_with(" requires IPv6] (invalid)")
        })
        .collect();
    assert_eq!(ends, [false, true, false, true], "{lines}");
    let echo4 = json!({"code": 0, "name": "echo request", "type": 8, "version": 4});
    let echo6 = json!({"code": 0, "name": "echo request", "type": 128, "version": 6});
    let packets = packets_json(&p);
    assert_eq!(packets.len(), 4);
    let icmp: Vec<Option<&Value>> = packets.iter().map(|v| v.get("icmp")).collect();
    assert_eq!(icmp[0], Some(&echo4));
    assert_eq!(icmp[1], None, "{}", packets[1]);
    assert_eq!(icmp[2], Some(&echo6));
    assert_eq!(icmp[3], None, "{}", packets[3]);
    // The IP layer is still there, with the protocol number it names.
    assert_eq!(packets[1]["ip"]["proto"], 1);
    assert_eq!(packets[3]["ip"]["proto"], 58);
}

/// A TCP header (ports 1000 > 80, seq 1, ack `ack`) with `flags`,
/// window `win`, then `payload`.
fn tcp(ack: u32, flags: u8, win: u16, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0x03, 0xe8, 0, 80, 0, 0, 0, 1];
    s.extend_from_slice(&ack.to_be_bytes());
    s.extend_from_slice(&[0x50, flags]);
    s.extend_from_slice(&win.to_be_bytes());
    s.extend_from_slice(&[0; 4]);
    s.extend_from_slice(payload);
    s
}

/// An authentication header (RFC 4302) with a 12-byte ICV before `next`.
fn ah(next: u8, body: &[u8]) -> Vec<u8> {
    let mut h = vec![next, 4, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 5];
    h.extend_from_slice(&[0xaa; 12]);
    h.extend_from_slice(body);
    h
}

/// An IPv6 option header (hop-by-hop or destination options, PadN).
fn opts(next: u8, body: &[u8]) -> Vec<u8> {
    let mut h = vec![next, 0, 1, 4, 0, 0, 0, 0];
    h.extend_from_slice(body);
    h
}

/// `tcp.payload_len` is the TCP payload alone behind IPv4's AH and
/// IPv6's AH after other extension headers (hop-by-hop, destination
/// options): what tshark's `tcp.len` says of every packet (5 bytes
/// each).
#[test]
fn tcp_payload_len_behind_ah_is_tsharks_tcp_len() {
    let seg = tcp(1, 0x18, 1024, b"hello");
    let bytes = whole(vec![
        v4(6, &seg),
        v4(51, &ah(6, &seg)),
        v6(6, &seg),
        v6(51, &ah(6, &seg)),
        v6(60, &opts(51, &ah(6, &seg))),
        v6(0, &opts(51, &ah(6, &seg))),
    ]);
    let path = temp_file("tcp_behind_ah.pcap", bytes);
    let p = path.to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["", "-v"], 6);
    let ours: Vec<u64> = packets_json(&p)
        .iter()
        .map(|v| v["tcp"]["payload_len"].as_u64().expect("a TCP object"))
        .collect();
    assert_eq!(ours, [5; 6]);
    if !require_tool("tshark") {
        return;
    }
    let out = std::process::Command::new("tshark")
        .args(["-r", &p, "-T", "fields", "-e", "tcp.len"])
        .output()
        .expect("tshark runs");
    let theirs: Vec<u64> = text(&out.stdout)
        .lines()
        .map(|l| l.trim().parse().expect("tshark's tcp.len"))
        .collect();
    assert_eq!(ours, theirs);
}

/// No analysis for a TCP header tcpdump does not read: behind an AH
/// whose length word says eight bytes where twelve were written (so the
/// "header" after it has a length tcpdump calls bad), whole and cut
/// with 16 to 19 of its bytes (` [|tcp]`), and a plain header cut the
/// same way. Only the first packet, a whole zero-window segment, is
/// marked: on the `-v --analysis` line (every other line is tcpdump's,
/// byte for byte, and without `--analysis` every line is), in
/// `--json --analysis` and in the flow counters.
#[test]
fn no_analysis_of_a_tcp_header_tcpdump_does_not_read() {
    let seg = tcp(0, 0x10, 0, b"");
    let mut short_ah = vec![6, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 5];
    short_ah.extend_from_slice(&seg);
    let behind = v6(51, &short_ah);
    let plain = v4(6, &seg);
    let mut frames = vec![
        Frame {
            bytes: plain.clone(),
            snap: None,
        },
        Frame {
            bytes: behind.clone(),
            snap: None,
        },
    ];
    for k in 16..20 {
        frames.push(Frame {
            bytes: behind.clone(),
            snap: Some(14 + 40 + 8 + k),
        });
    }
    for k in 16..20 {
        frames.push(Frame {
            bytes: plain.clone(),
            snap: Some(14 + 20 + k),
        });
    }
    let path = temp_file("tcp_unread.pcap", pcap_of(&frames));
    let p = path.to_string_lossy().into_owned();
    let ours = read(&p, &["-v", "--analysis"]);
    if require_tool("tcpdump") {
        let theirs = text(&support::bin::tcpdump(&p, &["-v"]).stdout);
        let marked = theirs.replacen(", length 0\n", ", length 0 [zero window]\n", 1);
        assert_eq!(ours, marked);
        assert_eq!(read(&p, &["-v"]), theirs);
        assert_eq!(theirs.matches("[|tcp]").count(), 8, "{theirs}");
        assert_eq!(theirs.matches("[bad hdr length 0").count(), 1);
    }
    assert_eq!(ours.matches(" [zero window]").count(), 1, "{ours}");
    let packets = json_lines(&p, &["--analysis"]);
    let analysis: Vec<Option<&Value>> = packets.iter().map(|v| v.get("analysis")).collect();
    assert_eq!(analysis.len(), 10);
    assert_eq!(analysis[0], Some(&json!(["zero window"])));
    assert!(analysis[1..].iter().all(Option::is_none), "{analysis:?}");
    // The flow counters count the one segment read.
    let flows = read(&p, &["--flows", "--json"]);
    let zero_windows: u64 = flows
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a flow"))
        .map(|f| f["zero_windows"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(zero_windows, 1, "{flows}");
}

/// LCP's Configure-Request (MRU 1500, magic number) and CHAP's
/// Challenge.
fn ppp_messages() -> [Vec<u8>; 2] {
    let lcp = vec![
        0xc0, 0x21, 1, 1, 0, 14, 1, 4, 5, 0xdc, 5, 6, 0x12, 0x34, 0x56, 0x78,
    ];
    let mut chap = vec![0xc2, 0x23, 1, 2, 0, 12, 4];
    chap.extend_from_slice(b"abcdrtr");
    [lcp, chap]
}

/// PPP link types 9 and 50 give a control message the `ppp.control`
/// object (`code`, `id`, `length`, `options`) in `link_layer` that PPP in
/// a PPPoE session gives it in `tunnel`: the same object.
#[test]
fn ppp_link_types_give_the_control_object_of_ppp_in_tunnels() {
    let want = [
        json!({"code": 1, "id": 1, "length": 14,
               "options": [{"length": 4, "type": 1}, {"length": 6, "type": 5}]}),
        json!({"code": 1, "id": 2, "length": 12}),
    ];
    // PPP in PPPoE (session 0x1234).
    let pppoe: Vec<Vec<u8>> = ppp_messages()
        .iter()
        .map(|m| {
            let mut s = vec![0x11, 0, 0x12, 0x34];
            s.extend_from_slice(&(m.len() as u16).to_be_bytes());
            s.extend_from_slice(m);
            ether(0x8864, &s)
        })
        .collect();
    let path = temp_file("pppoe_control.pcap", whole(pppoe));
    let p = path.to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["", "-v"], 2);
    let tunneled: Vec<Value> = packets_json(&p)
        .iter()
        .map(|v| v["tunnel"][1]["ppp"]["control"].clone())
        .collect();
    assert_eq!(tunneled, want);
    for link in [9, 50] {
        let frames: Vec<Vec<u8>> = ppp_messages()
            .iter()
            .map(|m| [&[0xff, 3][..], m].concat())
            .collect();
        let bytes = link_captures::capture(link, &frames, 0);
        let path = temp_file(&format!("ppp_control_{link}.pcap"), bytes);
        let p = path.to_string_lossy().into_owned();
        compare_with_tcpdump(&p, &["", "-v"], 2);
        let linked: Vec<Value> = packets_json(&p)
            .iter()
            .map(|v| v["link_layer"]["ppp"]["control"].clone())
            .collect();
        assert_eq!(linked, want, "link type {link}");
    }
}

/// A PIM Register's IPv4 packet (a UDP datagram 10.1.1.1.5000 >
/// 239.1.1.1.5001) is the `inner` object, beside the `pim` layer in
/// `tunnel`, as a GRE or VXLAN packet's is; the `-v` line prints it as
/// tcpdump does.
#[test]
fn pim_register_packet_is_the_inner_object() {
    let path = temp_file("pim_register.pcap", pim_captures::register_capture(0));
    let p = path.to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["-v"], 2);
    let packets = packets_json(&p);
    let first = &packets[0];
    assert!(first.get("pim").is_some(), "{first}");
    assert_eq!(first["tunnel"], json!([{"pim": {"register": true}}]));
    let inner = &first["inner"];
    assert_eq!(inner["ip"]["src"], "10.1.1.1", "{first}");
    assert_eq!(inner["ip"]["dst"], "239.1.1.1");
    assert_eq!(inner["ip"]["proto"], 17);
    assert_eq!(inner["ip"]["len"], 28);
    assert_eq!(
        inner["udp"],
        json!({"checksum": 0, "dport": 5001, "len": 8, "payload_len": 0, "sport": 5000})
    );
    assert_eq!(inner["len"], 28);
    assert_eq!(inner["link"], "RAW");
}

/// Behind an authentication header followed by an IPv6 extension header
/// (destination options, hop-by-hop, routing, fragment) tcpdump's line
/// names the protocol and stops (`ip-proto-60 21`): the object lists the
/// headers the line named, gives that protocol, and holds no transport
/// object; a destination options header before the AH is followed, as the
/// line follows it.
#[test]
fn json_stops_after_ah_where_the_line_does() {
    let udp = |port: u16| support::frames::udp_datagram(port, port + 1, b"hello");
    let mut frames: Vec<Vec<u8>> = [60, 0, 43, 44]
        .iter()
        .map(|&ext| v6(51, &ah(ext, &opts(17, &udp(5000)))))
        .collect();
    frames.push(v6(60, &opts(51, &ah(17, &udp(6000)))));
    let path = temp_file("json-ah-ext.pcap", whole(frames));
    let p = path.to_string_lossy();
    if require_tool("tcpdump") {
        compare_with_tcpdump(&p, &["", "-v"], 5);
    }
    let lines = text(&sockscope(&["read", &p]).stdout);
    let objects = packets_json(&p);
    assert_eq!(objects.len(), 5, "{lines}");
    for (o, ext) in objects.iter().zip([60, 0, 43, 44]) {
        assert_eq!(o["ip"]["ext"], json!(["authentication"]), "{o}");
        assert_eq!(o["ip"]["proto"], json!(ext), "{o}");
        assert!(o.get("udp").is_none(), "{o}");
    }
    assert!(
        lines.lines().take(4).all(|l| l.contains(" ip-proto-")),
        "{lines}"
    );
    let last = &objects[4];
    assert_eq!(
        last["ip"]["ext"],
        json!(["destination-options", "authentication"])
    );
    assert_eq!(last["udp"]["sport"], json!(6000), "{last}");
}

/// IPv6 addresses are written as tcpdump, tshark and Zeek write them
/// (glibc's `inet_ntop`), in `--json`'s `ip`, `--flows --json`'s
/// `id.orig_h`/`id.resp_h` and the flow table: an IPv4-compatible
/// address (`::1.2.3.4`, where Rust writes `::102:304`) among mapped,
/// loopback and plain ones. Each packet's `ip.src`/`ip.dst` equal the
/// address on tcpdump's line and tshark's `ipv6.src`/`ipv6.dst`.
#[test]
fn ipv6_addresses_are_written_as_tcpdump_and_tshark_write_them() {
    let addrs: [[u8; 16]; 6] = [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xfd, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
        IP6_A,
        [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd],
    ];
    let udp = [0x9c, 0x40, 0, 9, 0, 10, 0, 0, b'h', b'i'];
    let frames: Vec<Vec<u8>> = addrs
        .iter()
        .zip(addrs.iter().rev())
        .map(|(a, b)| ether(0x86dd, &ipv6_packet(*a, *b, 17, &udp)))
        .collect();
    let path = temp_file("ipv6_addresses.pcap", whole(frames));
    let p = path.to_string_lossy().into_owned();
    compare_with_tcpdump(&p, &["", "-v"], 6);
    let ours: Vec<(String, String)> = packets_json(&p)
        .iter()
        .map(|v| {
            let s = |k: &str| v["ip"][k].as_str().expect("an address").to_string();
            (s("src"), s("dst"))
        })
        .collect();
    assert_eq!(ours[0], ("::1.2.3.4".into(), "fe80::abcd".into()));
    assert_eq!(ours[1].0, "::0.1.253.0");
    let mut hosts: Vec<(String, String)> = json_lines(&p, &["--flows"])
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().expect("an address").to_string();
            (s("id.orig_h"), s("id.resp_h"))
        })
        .collect();
    let mut want = ours.clone();
    want.sort();
    hosts.sort();
    assert_eq!(hosts, want);
    let table = read(&p, &["--flows"]);
    assert!(table.contains("[::1.2.3.4]:40000"), "{table}");
    if require_tool("tcpdump") {
        let lines = support::bin::tcpdump(&p, &[]);
        let theirs: Vec<(String, String)> = text(&lines.stdout)
            .lines()
            .map(|l| {
                // `12:00:00.000000 IP6 SRC.40000 > DST.9: UDP, length 2`
                let w: Vec<&str> = l.split(' ').collect();
                let host = |t: &str| {
                    t.trim_end_matches(':')
                        .rsplit_once('.')
                        .unwrap()
                        .0
                        .to_string()
                };
                (host(w[2]), host(w[4]))
            })
            .collect();
        assert_eq!(ours, theirs);
    }
    if require_tool("tshark") {
        let out = std::process::Command::new("tshark")
            .args(["-r", &p, "-T", "fields", "-e", "ipv6.src", "-e", "ipv6.dst"])
            .output()
            .expect("tshark runs");
        let theirs: Vec<(String, String)> = text(&out.stdout)
            .lines()
            .map(|l| {
                let (s, d) = l.split_once('\t').expect("two fields");
                (s.to_string(), d.to_string())
            })
            .collect();
        assert_eq!(ours, theirs);
    }
}
