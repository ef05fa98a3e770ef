//! DNS from real programs: in a network namespace of its own, dnsmasq
//! answers `dig`'s queries (A, AAAA, MX, TXT, SRV, CNAME, a name it does
//! not know, EDNS with DO, one over TCP) while `sockscope capture` writes
//! them to a file; `sockscope read` of that file must print what
//! `tcpdump -n -r` prints, at the default level and at `-v`. mDNS comes
//! from avahi-daemon on the namespace's loopback, asked by `dig`; LLMNR
//! from llmnrd, asked by llmnr-query across a veth. Optional:
//! skips, saying why, without dnsmasq, dig, tcpdump, CAP_NET_RAW or a
//! network namespace (Debian: `apt-get install dnsmasq-base bind9-dnsutils
//! avahi-daemon llmnrd`).
//! With a 200-byte MTU, DNS over TCP messages span segments: `--json`
//! must decode each on the segment tshark reassembles it in, with
//! tshark's fields (tshark: `apt-get install tshark`).

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::bin::{BIN, Listening, packets_json, text};
use support::netns::{Netns, Server};
use support::tempdir;
use support::tshark_tls::fields;

/// dnsmasq answering for example.test on the namespace's 127.0.0.1:53.
fn dnsmasq(ns: &Netns, txt: &str) -> Server {
    let txt = format!("--txt-record=example.test,{txt}");
    let server = ns
        .exec(&[
            "dnsmasq",
            "--keep-in-foreground",
            "--no-resolv",
            "--no-hosts",
            "--no-poll",
            "--conf-file=/dev/null",
            "--pid-file",
            "--user=root",
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            "--address=/example.test/192.0.2.7",
            "--address=/example.test/2001:db8::7",
            "--mx-host=example.test,mail.example.test,10",
            &txt,
            "--srv-host=_sip._udp.example.test,sip.example.test,5060,10,60",
            "--cname=www.example.test,example.test",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dnsmasq starts");
    std::thread::sleep(Duration::from_millis(300));
    Server(server)
}

/// `dig` asks each of `queries` while `sockscope capture` writes port 53
/// to `file`; then `sockscope read` must print what tcpdump prints, at
/// the default level and at `-v`, with at least `names` mentions of
/// example.test.
fn dig_into(ns: &Netns, file: &Path, queries: &[&[&str]], names: usize) {
    let f = file.to_str().unwrap();
    let capture =
        Listening::start_quiet(ns.exec(&[BIN, "capture", "-i", "lo", "-w", f, "port", "53"]));
    for query in queries {
        let out = ns
            .exec(&[&["dig", "@127.0.0.1", "+tries=1", "+time=2"][..], query].concat())
            .output()
            .expect("dig runs");
        assert!(out.status.success(), "dig {query:?}: {}", text(&out.stderr));
    }
    std::thread::sleep(Duration::from_millis(200));
    capture.stop_ok(libc::SIGTERM);
    for level in [None, Some("-v")] {
        let mut ours = Command::new(BIN);
        ours.args(["read", f]).args(level).env("TZ", "UTC");
        let ours = text(&ours.output().expect("sockscope runs").stdout);
        let mut theirs = Command::new("tcpdump");
        theirs.args(["-n", "-r", f]).args(level).env("TZ", "UTC");
        let theirs = text(&theirs.output().expect("tcpdump runs").stdout);
        assert!(
            theirs.matches("example.test.").count() >= names,
            "too little DNS was captured:\n{theirs}"
        );
        assert_eq!(ours, theirs, "{level:?}: sockscope vs tcpdump");
    }
}

#[test]
fn dig_and_dnsmasq_lines_equal_tcpdump() {
    let Some(ns) = Netns::for_tools(&["dnsmasq", "dig", "tcpdump"]) else {
        return;
    };
    let dir = tempdir();
    let _server = dnsmasq(&ns, "\"v=spf1 -all\",second");
    let queries = [
        &["example.test", "A"][..],
        &["example.test", "AAAA"],
        &["example.test", "MX"],
        &["example.test", "TXT"],
        &["_sip._udp.example.test", "SRV"],
        &["www.example.test", "A"],
        &["nothing.invalid", "A"],
        &["example.test", "A", "+dnssec"],
        &["example.test", "A", "+noedns"],
        &["example.test", "A", "+tcp"],
    ];
    dig_into(&ns, &dir.join("dns_live.pcap"), &queries, 10);
}

/// DNS over TCP with a 200-byte MTU: long names and a long TXT answer put
/// each query and answer over two or more segments. The lines stay
/// tcpdump's (per segment); `--json` decodes each message on the segment
/// that completes it, with the fields tshark reads there.
#[test]
fn dns_over_tcp_split_over_segments_equals_tshark() {
    let Some(ns) = Netns::for_tools(&["dnsmasq", "dig", "tcpdump", "tshark"]) else {
        return;
    };
    ns.small_mtu();
    let dir = tempdir();
    let long_txt = format!("\"{}\",\"{}\"", "t".repeat(200), "u".repeat(150));
    let _server = dnsmasq(&ns, &long_txt);
    let long = format!("{}.{}.example.test", "a".repeat(60), "b".repeat(60));
    let longer = format!("{}.{}.{long}", "c".repeat(50), "d".repeat(40));
    let queries = [
        &[long.as_str(), "A", "+tcp"][..],
        &[longer.as_str(), "AAAA", "+tcp"],
        &["example.test", "TXT", "+tcp"],
    ];
    let file = dir.join("dns_tcp_split.pcap");
    dig_into(&ns, &file, &queries, 1);
    let path = file.to_str().unwrap();
    let theirs = fields(
        path,
        &[],
        "dns",
        &[
            "frame.number",
            "dns.id",
            "dns.flags.response",
            "dns.qry.name",
            "dns.count.answers",
        ],
    );
    assert_eq!(theirs.len(), 6, "tshark's DNS messages: {theirs:?}");
    let ours = packets_json(path);
    let mut spanning = 0;
    for row in &theirs {
        let n: usize = row[0].parse().unwrap();
        let dns = &ours[n - 1]["dns"];
        let id = u64::from_str_radix(row[1].trim_start_matches("0x"), 16).unwrap();
        assert_eq!(dns["id"], id, "frame {n}: {dns}");
        assert_eq!(dns["qr"], row[2] == "1" || row[2] == "True", "frame {n}");
        let name = dns["questions"][0]["name"].as_str().unwrap_or("");
        assert_eq!(name.trim_end_matches('.'), row[3], "frame {n}");
        let answers = dns["answers"].as_array().map_or(0, Vec::len);
        assert_eq!(answers.to_string(), row[4], "frame {n}");
        assert_eq!(dns["complete"], true, "frame {n}");
        spanning += usize::from(dns.get("reassembled").is_some());
    }
    assert!(spanning >= 4, "{spanning} messages reassembled");
    eprintln!(
        "{} DNS-over-TCP messages equal tshark's, {spanning} reassembled",
        theirs.len()
    );
}

/// avahi-daemon's configuration for the namespace's loopback: no D-Bus
/// (none runs there), both IP versions, the workstation service (a PTR,
/// SRV and TXT record of its own) published.
const AVAHI_CONF: &str = "[server]\nhost-name=sockscope-mdns\ndomain-name=local\n\
use-ipv4=yes\nuse-ipv6=yes\nenable-dbus=no\nallow-interfaces=lo\n\
[publish]\npublish-addresses=yes\npublish-workstation=yes\n";

/// mDNS from a real responder: avahi-daemon starts on the namespace's
/// loopback (made multicast) while `sockscope capture` writes port 5353:
/// its probes (`ANY (QM)?` with the records proposed in the authority
/// section), its announcements (cache-flush A, AAAA, PTR, SRV, TXT), then
/// `dig`'s legacy unicast queries to 224.0.0.251:5353 and avahi's answers,
/// and on SIGTERM its goodbyes. Every line equals tcpdump's at the
/// default level, `-v` and `-vv`; each kind is counted in tcpdump's lines.
#[test]
fn avahi_and_dig_mdns_lines_equal_tcpdump() {
    let Some(ns) = Netns::for_tools(&["avahi-daemon", "dig", "tcpdump"]) else {
        return;
    };
    let dir = tempdir();
    let ok = |args: &[&str]| ns.exec(args).status().is_ok_and(|s| s.success());
    assert!(ok(&["ip", "link", "set", "lo", "multicast", "on"]));
    assert!(ok(&["ip", "route", "add", "224.0.0.0/4", "dev", "lo"]));
    let conf = dir.join("avahi.conf");
    std::fs::write(&conf, AVAHI_CONF).unwrap();
    let file = dir.join("mdns_live.pcap");
    let f = file.to_str().unwrap();
    let capture = Listening::start_quiet(
        ns.exec(&[BIN, "capture", "-i", "lo", "-w", f, "udp", "port", "5353"]),
    );
    let mut avahi = ns.exec(&[
        "avahi-daemon",
        "--no-drop-root",
        "--no-chroot",
        "--no-rlimits",
        "-f",
        conf.to_str().unwrap(),
    ]);
    let mut avahi = Server(
        avahi
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("avahi-daemon starts"),
    );
    // Its host name is its own once three probes went unanswered (it logs
    // "Server startup complete"); the workstation service is probed and
    // announced after that, within a second or so.
    let log = avahi.0.stderr.take().expect("piped");
    let (started, ready) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(log).lines().map_while(Result::ok) {
            if line.contains("Server startup complete") {
                let _ = started.send(());
            }
        }
    });
    assert!(
        ready.recv_timeout(Duration::from_secs(30)).is_ok(),
        "avahi-daemon did not complete its start-up in 30 s"
    );
    std::thread::sleep(Duration::from_millis(2000));
    let queries = [
        &["sockscope-mdns.local", "A"][..],
        &["sockscope-mdns.local", "AAAA"],
        &["_workstation._tcp.local", "PTR"],
        &["-x", "127.0.0.1"],
    ];
    for query in queries {
        let out = ns
            .exec(
                &[
                    &["dig", "-b", "127.0.0.1", "-p", "5353", "@224.0.0.251"][..],
                    &["+tries=1", "+time=2"],
                    query,
                ]
                .concat(),
            )
            .output()
            .expect("dig runs");
        // The answer comes from 127.0.0.1, not from the group asked, so
        // dig discards it ("no servers could be reached"): the exchange
        // is on the wire all the same, and counted below.
        eprintln!("dig {query:?}: {}", out.status);
    }
    // SIGTERM: avahi says goodbye (its records again with TTL 0).
    support::bin::signal(&avahi.0, libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(1000));
    drop(avahi);
    capture.stop_ok(libc::SIGTERM);
    let counts = support::app_captures::compare_with_tcpdump(f, &["", "-v", "-vv"], 10)
        .expect("tcpdump is here");
    let lines = support::app_captures::assert_kinds(
        f,
        "",
        &[
            ("127.0.0.1.5353 > 224.0.0.251.5353: 0 [", 3),
            ("ANY (QM)? sockscope-mdns.local.", 3),
            ("(Cache flush) A 127.0.0.1", 2),
            ("(Cache flush) SRV sockscope-mdns.local.:9 0 0", 1),
            ("(Cache flush) TXT", 1),
            ("PTR _workstation._tcp.local.", 1),
            ("127.0.0.1.5353 > 127.0.0.1.", 4),
            ("+ [1au] A (QM)? sockscope-mdns.local.", 1),
            ("+ [1au] AAAA (QM)? sockscope-mdns.local.", 1),
            ("+ [1au] PTR (QM)? _workstation._tcp.local.", 1),
            ("+ [1au] PTR (QM)? 1.0.0.127.in-addr.arpa.", 1),
            ("*- 1/0/0 A 127.0.0.1", 1),
        ],
    );
    eprintln!("{lines} mDNS lines; identical to tcpdump's (default, -v, -vv): {counts:?}");
}

/// LLMNR from real programs: llmnrd answers for its name on one end of a
/// veth between two namespaces, over IPv4 (224.0.0.252) and IPv6
/// (ff02::1:3); llmnr-query asks from the other end for A, AAAA and ANY
/// over both versions, with a transaction id of its own, and for a name
/// nobody has (no answer). `sockscope capture` records the asking end;
/// every line equals tcpdump's at the default level, `-v` and `-vv`.
#[test]
fn llmnrd_and_llmnr_query_lines_equal_tcpdump() {
    let Some(asker) = Netns::for_tools(&["llmnrd", "llmnr-query", "tcpdump"]) else {
        return;
    };
    let Some(responder) = Netns::create_named_or_skip("sockscope-llmnr") else {
        return;
    };
    if !asker.veth_to(&responder, ("llq", "192.0.2.2/24"), ("llr", "192.0.2.1/24")) {
        return;
    }
    // The IPv6 queries leave from the link-local address, once duplicate
    // address detection has passed.
    std::thread::sleep(Duration::from_millis(2500));
    let dir = tempdir();
    let file = dir.join("llmnr_live.pcap");
    let f = file.to_str().unwrap();
    let capture = Listening::start_quiet(
        asker.exec(&[BIN, "capture", "-i", "llq", "-w", f, "udp", "port", "5355"]),
    );
    let _llmnrd = Server(
        responder
            .exec(&["llmnrd", "-H", "sockscope-llmnr", "-i", "llr", "-6"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("llmnrd starts"),
    );
    std::thread::sleep(Duration::from_millis(800));
    let queries: &[&[&str]] = &[
        &["-T", "A", "sockscope-llmnr"],
        &["-T", "AAAA", "sockscope-llmnr"],
        &["-T", "ANY", "sockscope-llmnr"],
        &["-6", "-T", "AAAA", "sockscope-llmnr"],
        &["-6", "-T", "ANY", "sockscope-llmnr"],
        &["-d", "4660", "-T", "A", "sockscope-llmnr"],
        &["-t", "300", "-T", "A", "nobody-here"],
    ];
    let mut answered = 0;
    for query in queries {
        let args = [&["llmnr-query", "-I", "llq"][..], query].concat();
        let out = asker.exec(&args).output().expect("llmnr-query runs");
        answered += text(&out.stdout).matches("LLMNR response:").count();
    }
    std::thread::sleep(Duration::from_millis(300));
    capture.stop_ok(libc::SIGTERM);
    // Eight records in six answers: ANY brings both addresses.
    assert_eq!(answered, 8, "llmnrd's answers as llmnr-query printed them");
    let counts = support::app_captures::compare_with_tcpdump(f, &["", "-v", "-vv"], 13)
        .expect("tcpdump is here");
    let lines = support::app_captures::assert_kinds(
        f,
        "",
        &[
            ("192.0.2.2.", 5),
            ("> 224.0.0.252.5355: ", 5),
            ("> ff02::1:3.5355: ", 2),
            ("192.0.2.1.5355 > 192.0.2.2.", 4),
        ],
    );
    // tcpdump prints LLMNR as bare UDP; `--json` decodes every message,
    // with the answers llmnr-query printed.
    let json = packets_json(f);
    let dns: Vec<&serde_json::Value> = json.iter().filter_map(|p| p.get("dns")).collect();
    assert_eq!(dns.len(), lines, "every packet is an LLMNR message");
    let records: usize = dns
        .iter()
        .filter_map(|d| d["answers"].as_array())
        .map(Vec::len)
        .sum();
    assert_eq!(records, 8, "answer records in --json");
    assert!(
        dns.iter()
            .any(|d| d["id"] == 4660 && d["questions"][0]["name"] == "sockscope-llmnr."),
        "the query with its own id"
    );
    eprintln!("{lines} LLMNR lines; identical to tcpdump's (default, -v, -vv): {counts:?}");
}
