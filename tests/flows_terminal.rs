//! Output that fits the terminal (issue #16): the flow table and timelines
//! at 80 and 120 columns (through `COLUMNS`, and for real inside tmux),
//! ASCII under a locale that is not UTF-8, `--flows --format
//! tsv|csv|zeek` against the flows JSON, JSON that never mixes with text,
//! collapsed timelines and `--stream`, the progress bar on a terminal
//! only, and the bugs met on the way (`end`, ICMP ports, plurals).

mod support;

use serde_json::Value;
use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};
use support::bin::{BIN, command, have_tool, text};
use support::{capture, env_on};

/// Captures of every kind of flow the printers show: TCP (IPv4 and IPv6,
/// refused, reset, half-closed), UDP, ICMP, a long lossy transfer.
const CAPTURES: [&str; 5] = [
    "demo_tcp.pcap",
    "demo_udp.pcap",
    "tcp_lossy.pcap",
    "tcp_simultaneous_open.pcap",
    "tcp_half_close.pcap",
];

/// `sockscope ARGS` with extra environment; stdout (asserting success).
fn run(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = command(args);
    c.envs(env.iter().copied());
    let out = c.output().expect("sockscope runs");
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn path(name: &str) -> String {
    capture(name).display().to_string()
}

fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}")))
        .collect()
}

fn assert_fits(out: &str, width: usize, what: &str) {
    for l in out.lines() {
        assert!(
            l.chars().count() <= width,
            "{what}: a line of {} columns at {width}:\n{l}\n\n{out}",
            l.chars().count()
        );
    }
}

#[test]
fn piped_output_keeps_every_column_and_the_fixed_layout() {
    for name in CAPTURES {
        let f = path(name);
        let piped = run(&["read", &f, "--flows", "--timeline"], &[]);
        let wide = run(
            &["read", &f, "--flows", "--timeline", "--wide"],
            &[("COLUMNS", "80")],
        );
        assert_eq!(piped, wide, "{name}: --wide is the piped output");
        let header = piped.lines().nth(1).unwrap_or("");
        for col in [
            "uid",
            "start",
            "orig state",
            "resp state",
            "history",
            "dup/0win/ooo",
        ] {
            assert!(header.contains(col), "{name}: {header}");
        }
        assert!(piped.contains('┆'), "{name}: full borders");
    }
}

#[test]
fn every_line_fits_80_and_120_columns() {
    for name in CAPTURES {
        let f = path(name);
        for width in [80, 120] {
            let w = width.to_string();
            let out = run(&["read", &f, "--flows", "--timeline"], &[("COLUMNS", &w)]);
            assert_fits(&out, width, name);
            let header = out.lines().next().unwrap_or("");
            for col in [
                "uid",
                "proto",
                "originator",
                "responder",
                "conn",
                "pkts o/r",
                "bytes o/r",
                "dur ms",
            ] {
                assert!(header.contains(col), "{name} at {width}: {header}");
            }
            if width == 120 {
                assert!(
                    header.contains("orig state") && header.contains("resp state"),
                    "{name}: {header}"
                );
            }
            // The timelines keep every segment's text: the same words as
            // the fixed layout, only wrapped.
            let fixed = run(&["read", &f, "--timeline"], &[]);
            let narrow = run(&["read", &f, "--timeline"], &[("COLUMNS", &w)]);
            let words = |s: &str| {
                let mut v: Vec<String> = s.split_whitespace().map(str::to_string).collect();
                v.sort();
                v
            };
            assert_eq!(words(&fixed), words(&narrow), "{name} at {width}");
        }
    }
}

#[test]
fn ascii_under_a_locale_that_is_not_utf8_or_with_ascii() {
    let f = path("demo_tcp.pcap");
    let args = ["read", f.as_str(), "--flows", "--timeline"];
    for env in [
        vec![("LC_ALL", "C")],
        vec![("LC_ALL", ""), ("LC_CTYPE", "POSIX"), ("LANG", "C.UTF-8")],
        vec![("LC_ALL", "C"), ("COLUMNS", "80")],
    ] {
        let out = run(&args, &env);
        assert!(out.is_ascii(), "{env:?}:\n{out}");
        assert!(
            out.contains("-->") && out.contains("<--") && out.contains("->"),
            "{out}"
        );
    }
    let utf8 = run(
        &args,
        &[("LC_ALL", ""), ("LC_CTYPE", ""), ("LANG", "en_US.UTF-8")],
    );
    assert!(utf8.contains('┆') && utf8.contains("──▶"), "{utf8}");
    let forced = run(&[&args[..], &["--ascii"]].concat(), &[]);
    assert!(forced.is_ascii(), "{forced}");
    // Same layout, other glyphs: as many lines, as many columns each.
    for (a, b) in utf8.lines().zip(forced.lines()) {
        let arrows = a.matches('→').count();
        assert_eq!(a.chars().count() + arrows, b.chars().count(), "{a}\n{b}");
    }
}

/// The flows JSON of a capture, by uid.
fn flows_json(f: &str) -> HashMap<String, Value> {
    json_lines(&run(&["read", f, "--flows", "--json"], &[]))
        .into_iter()
        .map(|v| (v["uid"].as_str().unwrap_or("").to_string(), v))
        .collect()
}

/// A JSON value as the text formats print it.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn tsv_and_csv_carry_the_json_values_under_a_header_row() {
    for name in CAPTURES {
        let f = path(name);
        let json = flows_json(&f);
        for (format, sep, eol) in [("tsv", "\t", "\n"), ("csv", ",", "\r\n")] {
            let out = run(&["read", &f, "--flows", "--format", format], &[]);
            let mut lines = out.split(eol).filter(|l| !l.is_empty());
            let header: Vec<&str> = lines.next().unwrap_or("").split(sep).collect();
            let mut n = 0;
            for l in lines {
                let row: Vec<&str> = l.split(sep).collect();
                assert_eq!(row.len(), header.len(), "{name} {format}: {l:?}");
                let cell: HashMap<&str, &str> = header.iter().copied().zip(row).collect();
                let j = &json[cell["uid"]];
                for field in [
                    "proto",
                    "conn_state",
                    "history",
                    "orig_pkts",
                    "resp_pkts",
                    "orig_bytes",
                    "resp_bytes",
                ] {
                    assert_eq!(cell[field], plain(&j[field]), "{name} {format} {field}");
                }
                assert_eq!(cell["orig_h"], plain(&j["id.orig_h"]));
                assert_eq!(cell["resp_h"], plain(&j["id.resp_h"]));
                assert_eq!(cell["orig_p"], plain(&j["id.orig_p"]));
                assert_eq!(cell["resp_p"], plain(&j["id.resp_p"]));
                n += 1;
            }
            assert_eq!(n, json.len(), "{name} {format}: one row per flow");
            assert!(
                !out.contains('\n')
                    || format == "tsv"
                    || out.matches('\n').count() == out.matches("\r\n").count()
            );
        }
    }
}

/// What `zeek-cut` does with a Zeek log: find the `#fields` line, then
/// print the named columns of every data line (header lines skipped).
/// Debian has no zeek-cut package; this is its header handling.
fn zeek_cut(log: &str, columns: &[&str]) -> Vec<Vec<String>> {
    let mut index: Vec<usize> = Vec::new();
    let mut rows = Vec::new();
    for l in log.lines() {
        if let Some(fields) = l.strip_prefix("#fields\t") {
            let names: Vec<&str> = fields.split('\t').collect();
            index = columns
                .iter()
                .map(|c| {
                    names
                        .iter()
                        .position(|n| n == c)
                        .unwrap_or_else(|| panic!("no field {c}"))
                })
                .collect();
        } else if !l.starts_with('#') {
            let cells: Vec<&str> = l.split('\t').collect();
            rows.push(index.iter().map(|&i| cells[i].to_string()).collect());
        }
    }
    rows
}

#[test]
fn the_zeek_format_is_a_conn_log_that_zeek_cut_reads() {
    // The fields compared: identity, counters, then time and interval.
    let columns: Vec<&str> =
        "uid id.orig_h id.orig_p id.resp_h id.resp_p proto conn_state history \
         orig_pkts orig_bytes resp_pkts resp_bytes orig_ip_bytes resp_ip_bytes ts duration"
            .split_whitespace()
            .collect();
    for name in CAPTURES {
        let f = path(name);
        let log = run(&["read", &f, "--flows", "--format", "zeek"], &[]);
        let heads: Vec<&str> = log
            .lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| l.split('\t').next().unwrap_or(l))
            .collect();
        assert_eq!(
            heads,
            [
                "#separator \\x09",
                "#set_separator",
                "#empty_field",
                "#unset_field",
                "#path",
                "#open",
                "#fields",
                "#types",
                "#close"
            ],
            "{name}"
        );
        let count = |prefix: &str| {
            log.lines()
                .find(|l| l.starts_with(prefix))
                .map_or(0, |l| l.split('\t').count())
        };
        assert_eq!(count("#fields"), 22, "{name}: 21 fields");
        assert_eq!(count("#types"), 22, "{name}");
        let json = flows_json(&f);
        let rows = zeek_cut(&log, &columns);
        assert_eq!(rows.len(), json.len(), "{name}");
        for row in rows {
            let j = &json[&row[0]];
            for (c, v) in columns.iter().zip(&row).take(14) {
                assert_eq!(v, &plain(&j[*c]), "{name} {c}");
            }
            // time and interval: six decimals, the JSON's value.
            for (c, v) in columns.iter().zip(&row).skip(14) {
                let want = j[*c].as_f64().unwrap_or(-1.0);
                assert_eq!(v, &format!("{want:.6}"), "{name} {c}");
            }
        }
    }
}

/// A text timeline's segment rows: (time, segment, arrow, client, server,
/// marks), from the fixed layout.
fn text_rows(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.contains("──▶") || l.contains("◀──"))
        .filter(|l| l.trim_start().starts_with('+'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn json_never_mixes_and_timeline_events_equal_the_text() {
    for name in CAPTURES {
        let f = path(name);
        let out = run(&["read", &f, "--flows", "--timeline", "--json"], &[]);
        let lines = json_lines(&out);
        let (timelines, flows): (Vec<&Value>, Vec<&Value>) =
            lines.iter().partition(|v| v["kind"] == "timeline");
        assert_eq!(flows.len(), flows_json(&f).len(), "{name}");
        assert_eq!(
            timelines.len(),
            flows.iter().filter(|v| v["proto"] == "tcp").count(),
            "{name}: one timeline per TCP flow"
        );
        // -v: every segment (and packet lines, which the arrows leave out).
        let text = run(&["read", &f, "--timeline", "-v"], &[]);
        let want = text_rows(&text);
        let got: Vec<String> = timelines
            .iter()
            .flat_map(|t| t["events"].as_array().cloned().unwrap_or_default())
            .map(|e| {
                let arrow = if e["from"] == "orig" {
                    "──▶"
                } else {
                    "◀──"
                };
                let marks: String = e["analysis"]
                    .as_array()
                    .map(|a| a.iter().map(|m| format!(" [{}]", plain(m))).collect())
                    .unwrap_or_default();
                let row = format!(
                    "+{:.3} ms {} {arrow} {} {}{marks}",
                    e["t_ms"].as_f64().unwrap_or(-1.0),
                    plain(&e["segment"]),
                    plain(&e["orig_state"]),
                    plain(&e["resp_state"]),
                );
                row.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect();
        assert_eq!(want.is_empty(), timelines.is_empty(), "{name}");
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn long_runs_collapse_to_a_summary_that_adds_up_unless_v() {
    let f = path("tcp_lossy.pcap");
    let out = run(&["read", &f, "--timeline"], &[]);
    let every = run(&["read", &f, "--timeline", "-v"], &[]);
    let events = text_rows(&every).len();
    let summaries: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("states unchanged"))
        .collect();
    assert!(!summaries.is_empty(), "{out}");
    assert!(!every.contains("states unchanged"));
    let collapsed: usize = summaries
        .iter()
        .map(|l| {
            let n = l
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse::<usize>().ok());
            n.unwrap_or_else(|| panic!("no count in {l:?}"))
        })
        .sum();
    assert_eq!(text_rows(&out).len() + collapsed, events);
    assert!(out.lines().count() < every.lines().count() / 2);
}

#[test]
fn stream_picks_one_flow_by_uid_or_tcp_index() {
    let f = path("demo_tcp.pcap");
    let by_uid = run(
        &["read", &f, "--flows", "--timeline", "--stream", "C3"],
        &[],
    );
    let by_index = run(&["read", &f, "--flows", "--timeline", "--stream", "2"], &[]);
    assert_eq!(by_uid, by_index);
    assert_eq!(by_uid.matches("\nTCP ").count(), 1, "{by_uid}");
    assert!(
        by_uid.contains("C3") && !by_uid.contains("C2 ") && !by_uid.contains("C4 "),
        "{by_uid}"
    );
    let rows = by_uid.lines().filter(|l| l.starts_with("│ C")).count();
    assert_eq!(rows, 1, "{by_uid}");
    let json = json_lines(&run(
        &["read", &f, "--flows", "--json", "--stream", "C3"],
        &[],
    ));
    assert_eq!(json.len(), 1);
    assert_eq!(json[0]["uid"], "C3");
}

/// A `--stream` that names no flow used to print an empty table and exit 0,
/// which looks like an empty capture, and `follow` said only "no such
/// stream": now both exit 1 with stdout empty and one line naming the ids
/// the capture has (as `graph --stream C9` exits 1).
#[test]
fn stream_that_names_no_flow_says_so() {
    let f = path("follow_port_reuse.pcap");
    let has = "it has flows C1, C2 (TCP stream indexes 0–1); \
               `sockscope read FILE --flows` lists them";
    for (id, how) in [
        ("C99", &["read", "--flows", "--timeline"][..]),
        ("2", &["read", "--flows", "--timeline"]),
        ("C99", &["read", "--flows", "--json"]),
        ("C99", &["follow"]),
        ("2", &["follow"]),
        ("C99", &["follow", "--format", "json"]),
    ] {
        let mut args = vec![how[0], &f];
        args.extend(&how[1..]);
        args.extend(["--stream", id]);
        let out = command(&args).output().expect("sockscope runs");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
        // `read` first says what tcpdump says on opening the file.
        let opened = format!("reading from file {f}, link-type EN10MB (Ethernet), ");
        let err = match err.split_once('\n') {
            Some((first, rest)) if how[0] == "read" && first.starts_with(&opened) => rest,
            _ => &err,
        };
        assert_eq!(
            err,
            format!("sockscope: no flow {id} in this capture: {has}\n"),
            "{args:?}"
        );
    }
}

#[test]
fn end_says_closed_icmp_has_no_ports_and_counts_agree_in_number() {
    let mut seen = HashMap::new();
    for name in CAPTURES {
        for (_, j) in flows_json(&path(name)) {
            let st = plain(&j["conn_state"]);
            let over = j["proto"] == "tcp"
                && (matches!(st.as_str(), "REJ" | "RSTO" | "RSTR" | "RSTOS0" | "RSTRH")
                    || ["TIME_WAIT", "CLOSED"].contains(&plain(&j["orig_state"]).as_str())
                        && ["TIME_WAIT", "CLOSED"].contains(&plain(&j["resp_state"]).as_str()));
            let want = if over { "closed" } else { "open" };
            assert_eq!(j["end"], want, "{name}: {j}");
            *seen.entry(want).or_insert(0) += 1;
        }
    }
    assert!(
        seen.get("closed").is_some_and(|&n| n > 3) && seen.contains_key("open"),
        "{seen:?}"
    );
    let udp = path("demo_udp.pcap");
    let table = run(&["read", &udp, "--flows"], &[]);
    let icmp = table
        .lines()
        .find(|l| l.contains(" icmp "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        icmp.contains("127.0.0.1 ") && !icmp.contains("127.0.0.1:"),
        "{icmp}"
    );
    let log = run(&["read", &udp, "--flows", "--format", "zeek"], &[]);
    let ports = zeek_cut(&log, &["proto", "id.orig_p", "id.resp_p"]);
    assert!(
        ports.contains(&vec!["icmp".into(), "3".into(), "3".into()]),
        "{ports:?}"
    );
    let one = run(&["read", &path("tcp_normal.pcap"), "--flows"], &[]);
    assert!(one.contains("\n1 flow, 11 packets;"), "{one}");
}

/// conn.log's `service` is the flow's service as the JSON has it (Zeek's
/// name of the protocol recognised in the payload), `-` where none was.
#[test]
fn the_zeek_service_column_is_the_flows_service() {
    let mut named = Vec::new();
    for name in ["dissect_dns.pcap", "dissect_ntp.pcap", "demo_tcp.pcap"] {
        let f = path(name);
        let json = flows_json(&f);
        let log = run(&["read", &f, "--flows", "--format", "zeek"], &[]);
        let rows = zeek_cut(&log, &["uid", "service"]);
        assert_eq!(rows.len(), json.len(), "{name}");
        for row in rows {
            let want = json[&row[0]]["service"].as_str().unwrap_or("-");
            assert_eq!(row[1], want, "{name} {}", row[0]);
            if want != "-" {
                named.push(want.to_string());
            }
        }
    }
    assert!(
        named.iter().any(|s| s == "dns") && named.iter().any(|s| s == "ntp"),
        "{named:?}"
    );
}

/// An ICMP echo request (type 8, or 128 for ICMPv6) from a raw socket.
/// The kernel answers it on `lo` as it answers ping; it fills in the
/// ICMPv6 checksum itself (RFC 3542), the ICMPv4 one is ours to compute.
fn echo_request(dst: std::net::IpAddr, id: u16, seq: u16) {
    use socket2::{Domain, Protocol, Socket, Type};
    let (domain, proto, kind) = match dst {
        std::net::IpAddr::V4(_) => (Domain::IPV4, Protocol::ICMPV4, 8),
        std::net::IpAddr::V6(_) => (Domain::IPV6, Protocol::ICMPV6, 128),
    };
    let mut m = vec![kind, 0, 0, 0];
    m.extend(id.to_be_bytes());
    m.extend(seq.to_be_bytes());
    m.extend(b"sockscope echo!!");
    if kind == 8 {
        let sum = m
            .chunks(2)
            .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
            .sum::<u32>();
        let folded = (sum & 0xffff) + (sum >> 16);
        m[2..4].copy_from_slice(&(!(folded as u16)).to_be_bytes());
    }
    let s = Socket::new(domain, Type::RAW, Some(proto)).expect("a raw ICMP socket");
    let to = std::net::SocketAddr::new(dst, 0);
    assert_eq!(s.send_to(&m, &to.into()).unwrap(), m.len());
}

/// Real ICMP on `lo`, captured and read back: two pings of one identifier
/// to 127.16.0.1 (one flow), an ICMPv6 ping of ::1 and the port unreachable
/// a datagram to a closed port of 127.16.0.2 draws. Every format gives the
/// same two numbers Zeek would (type, then the reply's type or the code);
/// the table writes them after the originator's address.
#[test]
fn icmp_flows_show_zeeks_type_and_code_in_every_format() {
    if !support::live::live_allowed() {
        return;
    }
    let dir = support::open_tempdir();
    let file = dir.join("icmp.pcap").display().to_string();
    let filter =
        "(icmp and (host 127.16.0.1 or host 127.16.0.2)) or (icmp6 and ip6[44:2] = 0x5317)";
    let capture = support::bin::Listening::start(command(&[
        "capture", "-i", "lo", "-c", "7", "-w", &file, filter,
    ]));
    for seq in [1, 2] {
        echo_request("127.16.0.1".parse().unwrap(), 0x5316, seq);
    }
    echo_request("::1".parse().unwrap(), 0x5317, 1);
    let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.send_to(b"anyone?", "127.16.0.2:9").unwrap();
    let (code, _, err) = capture.finish();
    assert_eq!(code, 0, "{err}");

    let table = run(&["read", &file, "--flows"], &[]);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| l.starts_with("│ C"))
        .map(|l| l.trim_matches('│').split('┆').map(str::trim).collect())
        .collect();
    let cells: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| [&r[..4], &r[6..8], &r[10..12]].concat())
        .collect();
    assert_eq!(
        cells,
        [
            [
                "C1",
                "icmp",
                "127.0.0.1 8/0",
                "127.16.0.1",
                "2/2",
                "32/32",
                "SF",
                "Dd"
            ],
            [
                "C2",
                "icmp",
                "::1 128/129",
                "::1",
                "1/1",
                "16/16",
                "SF",
                "Dd"
            ],
            [
                "C3",
                "icmp",
                "127.16.0.2 3/3",
                "127.0.0.1",
                "1/0",
                "35/0",
                "S0",
                "D"
            ],
        ],
        "{table}"
    );
    let fields = ["uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p"];
    let expected = [
        ["C1", "127.0.0.1", "8", "127.16.0.1", "0"],
        ["C2", "::1", "128", "::1", "129"],
        ["C3", "127.16.0.2", "3", "127.0.0.1", "3"],
    ];
    let zeek = run(&["read", &file, "--flows", "--format", "zeek"], &[]);
    assert_eq!(zeek_cut(&zeek, &fields), expected, "{zeek}");
    let json = json_lines(&run(&["read", &file, "--flows", "--json"], &[]));
    let from_json: Vec<Vec<String>> = json
        .iter()
        .map(|j| fields.iter().map(|f| plain(&j[*f])).collect())
        .collect();
    assert_eq!(from_json, expected);
    let tsv = run(&["read", &file, "--flows", "--format", "tsv"], &[]);
    let from_tsv: Vec<Vec<&str>> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').take(6).filter(|c| *c != "icmp").collect())
        .collect();
    assert_eq!(from_tsv, expected, "{tsv}");
}

/// Run `cmd` (a shell command line) under a pseudo-terminal with
/// script(1); what the terminal showed.
fn on_a_terminal(cmd: &str) -> String {
    let out = Command::new("script")
        .args(["-qfec", cmd, "/dev/null"])
        .output()
        .expect("script(1) runs");
    assert!(out.status.success(), "{cmd}: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn the_progress_bar_shows_on_a_terminal_only() {
    if !have_tool("script") {
        assert!(!env_on("SOCKSCOPE_REQUIRE_LIVE"), "script(1) is missing");
        eprintln!("skipped: script(1) (util-linux) is not installed");
        return;
    }
    let f = path("tcp_lossy.pcap");
    let size = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
    let shell = |min: u64| {
        format!("SOCKSCOPE_PROGRESS_MIN_BYTES={min} TZ=UTC {BIN} read {f} --flows > /dev/null")
    };
    // A file at the threshold: a bar with the file's size in it.
    let shown = on_a_terminal(&shell(size));
    assert!(
        shown.contains("KiB/") && shown.contains("881.07 KiB"),
        "{shown:?}"
    );
    // Under the threshold, or stderr not a terminal: nothing but the summary.
    let small = on_a_terminal(&shell(size + 1));
    assert!(
        !small.contains("KiB") && small.contains("8525 packets"),
        "{small:?}"
    );
    let mut c = command(&["read", &f, "--flows"]);
    c.env("SOCKSCOPE_PROGRESS_MIN_BYTES", "0");
    let piped = c.output().expect("runs");
    let err = text(&piped.stderr);
    assert!(!err.contains("KiB") && !err.contains('\x1b'), "{err:?}");
}

/// A tmux server of our own (its own socket), so other users' sessions are
/// neither seen nor touched.
struct Tmux {
    socket: String,
    /// Runs so far: each gets a server (socket) of its own, since a new
    /// session on the socket of a server just killed can meet that server
    /// still exiting ("server exited unexpectedly", seen as a plain user).
    runs: std::cell::Cell<u32>,
}

impl Tmux {
    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        let socket = format!("{}-{}", self.socket, self.runs.get());
        c.args(["-L", &socket, "-f", "/dev/null"]);
        c
    }

    /// Run `shell` in a detached window of `width` x 40 and return the
    /// pane's whole history, wrapped lines joined (`-J`): a line wider than
    /// the pane is one the terminal wrapped.
    fn run(&self, width: u16, shell: &str) -> String {
        self.runs.set(self.runs.get() + 1);
        let done = "__sockscope_done__";
        let script = format!("{shell}; echo {done}; sleep 60");
        let width = width.to_string();
        let ok = self
            .cmd()
            .args(["new-session", "-d", "-s", "t", "-x", &width, "-y", "40"])
            .args(["sh", "-c", &script])
            .env("TERM", "xterm-256color")
            .output()
            .expect("tmux runs");
        assert!(
            ok.status.success(),
            "tmux new-session: {}",
            text(&ok.stderr)
        );
        let start = Instant::now();
        loop {
            let out = self
                .cmd()
                .args(["capture-pane", "-p", "-J", "-S", "-", "-t", "t"])
                .output()
                .expect("tmux capture-pane");
            let pane = text(&out.stdout);
            if pane.contains(done) || start.elapsed() > Duration::from_secs(120) {
                let _ = self.cmd().arg("kill-server").status();
                assert!(pane.contains(done), "timed out:\n{pane}");
                return pane.replace(done, "");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

fn tmux_or_skip() -> Option<Tmux> {
    if have_tool("tmux") {
        // One server per test: the tests run in parallel threads.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Some(Tmux {
            socket: format!("sockscope-test-{}-{n}", std::process::id()),
            runs: std::cell::Cell::new(0),
        });
    }
    assert!(
        !env_on("SOCKSCOPE_REQUIRE_LIVE"),
        "tmux is missing (.ci/run installs it)"
    );
    eprintln!("skipped: tmux is not installed");
    None
}

/// The flow table and timelines of a pane: from the table's header to the
/// end of the timelines (the demo prints its transcript before and the
/// streams it follows after).
fn table_and_timelines(pane: &str) -> String {
    let lines: Vec<&str> = pane.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("uid "))
        .unwrap_or_else(|| panic!("no table:\n{pane}"));
    let end = lines
        .iter()
        .skip(start)
        .position(|l| l.starts_with("Follow "))
        .map_or(lines.len(), |n| start + n);
    lines[start..end].join("\n")
}

#[test]
fn in_tmux_at_80_and_120_columns_no_line_wraps() {
    let Some(tmux) = tmux_or_skip() else { return };
    let f = path("demo_tcp.pcap");
    for width in [80u16, 120] {
        let pane = tmux.run(
            width,
            &format!(
                "env -u COLUMNS LC_ALL=C.UTF-8 TZ=UTC {BIN} read {f} --flows --timeline 2>/dev/null"
            ),
        );
        let part = table_and_timelines(&pane);
        assert_fits(&part, width.into(), &format!("tmux at {width}"));
        assert!(
            part.contains(&format!("hidden to fit {width} columns")),
            "{part}"
        );
        assert!(part.matches("\nTCP ").count() >= 8, "{part}");
    }
}

#[test]
fn the_demo_in_tmux_at_80_columns_does_not_wrap() {
    let Some(tmux) = tmux_or_skip() else { return };
    if !support::live::live_allowed() {
        return;
    }
    let pane = tmux.run(
        80,
        &format!(
            "env -u COLUMNS LC_ALL=C.UTF-8 TZ=UTC {BIN} demo tcp --flows --timeline 2>/dev/null"
        ),
    );
    let part = table_and_timelines(&pane);
    assert_fits(&part, 80, "the demo in tmux at 80");
    assert!(
        part.contains("hidden to fit 80 columns") && part.contains("\nTCP "),
        "{part}"
    );
}
