//! DNS from real programs: in a network namespace of its own, dnsmasq
//! answers `dig`'s queries (A, AAAA, MX, TXT, SRV, CNAME, a name it does
//! not know, EDNS with DO, one over TCP) while `sockscope capture` writes
//! them to a file; `sockscope read` of that file must print what
//! `tcpdump -n -r` prints, at the default level and at `-v`. Optional:
//! skips, saying why, without dnsmasq, dig, tcpdump, CAP_NET_RAW or a
//! network namespace (Debian: `apt-get install dnsmasq-base bind9-dnsutils`).

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;
use support::bin::{BIN, Listening, text};
use support::netns::{Netns, Server};
use support::tempdir;

#[test]
fn dig_and_dnsmasq_lines_equal_tcpdump() {
    let Some(ns) = Netns::for_tools(&["dnsmasq", "dig", "tcpdump"]) else {
        return;
    };
    let dir = tempdir();
    let file = dir.join("dns_live.pcap");
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
            "--txt-record=example.test,\"v=spf1 -all\",second",
            "--srv-host=_sip._udp.example.test,sip.example.test,5060,10,60",
            "--cname=www.example.test,example.test",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dnsmasq starts");
    let _server = Server(server);
    std::thread::sleep(Duration::from_millis(300));
    let f = file.to_str().unwrap();
    let capture =
        Listening::start_quiet(ns.exec(&[BIN, "capture", "-i", "lo", "-w", f, "port", "53"]));
    for query in [
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
    ] {
        let out = ns
            .exec(&[&["dig", "@127.0.0.1", "+tries=1", "+time=2"][..], query].concat())
            .output()
            .expect("dig runs");
        assert!(out.status.success(), "dig {query:?}: {}", text(&out.stderr));
    }
    std::thread::sleep(Duration::from_millis(200));
    capture.signal(libc::SIGTERM);
    let (code, _, err) = capture.finish();
    assert_eq!(code, 0, "{err}");
    let path = file.to_str().unwrap();
    for level in [None, Some("-v")] {
        let mut ours = Command::new(BIN);
        ours.args(["read", path]).args(level).env("TZ", "UTC");
        let ours = text(&ours.output().expect("sockscope runs").stdout);
        let mut theirs = Command::new("tcpdump");
        theirs.args(["-n", "-r", path]).args(level).env("TZ", "UTC");
        let theirs = text(&theirs.output().expect("tcpdump runs").stdout);
        assert!(
            theirs.matches("example.test.").count() >= 10,
            "too little DNS was captured:\n{theirs}"
        );
        assert_eq!(ours, theirs, "{level:?}: sockscope vs tcpdump");
    }
}
