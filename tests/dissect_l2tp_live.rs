//! L2TP from real programs: in a network namespace of its own, two xl2tpd
//! daemons on its loopback, one an LAC dialling the other, an LNS, with
//! tunnel authentication (a shared secret: CHALLENGE and
//! CHALLENGE_RESP). They build the control connection (SCCRQ, SCCRP,
//! SCCCN), then a session (ICRQ, ICRP, ICCN) with ZLB acknowledgements;
//! the pppd each starts for the session fails at once (no kernel PPP is
//! needed), so the session is torn down (CDN; xl2tpd sends no StopCCN
//! when stopped). `sockscope capture` records UDP 1701;
//! every line equals `tcpdump -n -r`'s at the default level, `-v` and
//! `-vv`, each kind counted. Optional: skips, saying why, without xl2tpd,
//! tcpdump, CAP_NET_RAW or a network namespace (Debian: `apt-get install
//! xl2tpd`); fails instead under SOCKSCOPE_REQUIRE_LIVE=1.

mod support;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use support::app_captures::{assert_kinds, compare_with_tcpdump};
use support::bin::{BIN, Listening};
use support::netns::{Netns, Server};
use support::tempdir;

const LNS: &str = "[global]\nlisten-addr = 127.0.0.1\nport = 1701\n\
[lns default]\nip range = 10.9.0.10-10.9.0.20\nlocal ip = 10.9.0.1\n\
hostname = sockscope-lns\nchallenge = yes\nlength bit = yes\n";

const LAC: &str = "[global]\nlisten-addr = 127.0.0.2\nport = 1701\n\
[lac test]\nlns = 127.0.0.1\nhostname = sockscope-lac\nchallenge = yes\n\
length bit = yes\nautodial = yes\nredial = no\n";

/// Both ends' shared secret (xl2tpd's `l2tp-secrets`: them, us, secret).
const SECRETS: &str = "sockscope-lac sockscope-lns tunnel-secret\n\
sockscope-lns sockscope-lac tunnel-secret\n";

/// xl2tpd in the foreground with its files in `dir`, named `end`.
fn xl2tpd(ns: &Netns, dir: &Path, end: &str, conf: &str) -> Server {
    let file = |ext: &str| dir.join(format!("{end}.{ext}"));
    std::fs::write(file("conf"), conf).unwrap();
    std::fs::write(file("secrets"), SECRETS).unwrap();
    let path = |ext: &str| file(ext).to_str().expect("UTF-8").to_owned();
    Server(
        ns.exec(&[
            "xl2tpd",
            "-D",
            "-c",
            &path("conf"),
            "-s",
            &path("secrets"),
            "-p",
            &path("pid"),
            "-C",
            &path("control"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xl2tpd starts"),
    )
}

#[test]
fn xl2tpd_lac_and_lns_lines_equal_tcpdump() {
    let Some(ns) = Netns::for_tools(&["xl2tpd", "tcpdump"]) else {
        return;
    };
    let dir = tempdir();
    let file = dir.join("l2tp_live.pcap");
    let path = file.to_str().expect("a UTF-8 path");
    let capture = Listening::start_quiet(ns.exec(&[
        BIN, "capture", "-i", "lo", "-w", path, "udp", "port", "1701",
    ]));
    let lns = xl2tpd(&ns, &dir, "lns", LNS);
    std::thread::sleep(Duration::from_millis(500));
    let lac = xl2tpd(&ns, &dir, "lac", LAC);
    // The tunnel, the session and its teardown take a few milliseconds;
    // a loaded machine gets more.
    std::thread::sleep(Duration::from_millis(2500));
    support::bin::signal(&lac.0, libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(1000));
    drop((lac, lns));
    capture.stop_ok(libc::SIGTERM);
    let levels = &["", "-v", "-vv"];
    let lines = compare_with_tcpdump(path, levels, 10).expect("tcpdump is here");
    let lac_to_lns = "127.0.0.2.1701 > 127.0.0.1.1701:  l2tp:[TLS](";
    let counts = [
        assert_kinds(
            path,
            "",
            &[
                (lac_to_lns, 4),
                ("*MSGTYPE(SCCRQ) *PROTO_VER(1.0) *FRAMING_CAP(AS)", 1),
                ("*HOST_NAME(sockscope-lac)", 1),
                ("*CHALLENGE(", 1),
                ("*MSGTYPE(SCCRP)", 1),
                ("*HOST_NAME(sockscope-lns)", 1),
                ("*CHALLENGE_RESP(", 2),
                ("*MSGTYPE(SCCCN)", 1),
                ("*MSGTYPE(ICRQ) *ASSND_SESS_ID(", 1),
                ("*MSGTYPE(ICRP) *ASSND_SESS_ID(", 1),
                ("*MSGTYPE(ICCN) *TX_CONN_SPEED(", 1),
                ("*MSGTYPE(CDN) *RESULT_CODE(", 1),
                (" ZLB", 3),
            ],
        ),
        assert_kinds(path, "-v", &[("proto UDP (17)", 10)]),
    ];
    eprintln!(
        "L2TP lines identical to tcpdump's at {levels:?}: {lines:?}; kinds counted: {counts:?}"
    );
}
