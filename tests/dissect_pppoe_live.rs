//! PPPoE from real programs: in a network namespace of its own, with a
//! veth pair between them, rp-pppoe's `pppoe-server` answers the `pppoe`
//! client's discovery (PADI, PADO with two services and a cookie, PADR,
//! PADS, and the PADTs both ends send when the session ends), and the
//! client carries PPP frames in a session (LCP, IPv4): `pppoe -e` reads
//! them HDLC-framed from its standard input, as pppd would hand them over,
//! and sends each as a PPPoE session frame. (The kernel's PPP and PPPoE
//! modules are not needed: pppd's child fails at once, which is what
//! makes the server send its PADT.) `sockscope capture` records one end;
//! every line equals `tcpdump -n -r`'s at the default level, `-v`, `-e`
//! and `-e -v`, each kind counted. Optional: skips, saying why, without
//! the programs, tcpdump, CAP_NET_RAW or a network namespace (Debian:
//! `apt-get install pppoe`); fails instead under SOCKSCOPE_REQUIRE_LIVE=1.

mod support;

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;
use support::app_captures::{assert_kinds, compare_with_tcpdump};
use support::bin::{BIN, Listening, text};
use support::netns::{Netns, Server};
use support::tempdir;

/// PPP's frame check sequence (RFC 1662 §C.2, CRC-16/X.25).
fn fcs16(bytes: &[u8]) -> u16 {
    let mut fcs = 0xffffu16;
    for &b in bytes {
        fcs ^= u16::from(b);
        for _ in 0..8 {
            fcs = if fcs & 1 != 0 {
                (fcs >> 1) ^ 0x8408
            } else {
                fcs >> 1
            };
        }
    }
    !fcs
}

/// `frame` (address, control, protocol, information) in RFC 1662's
/// asynchronous HDLC framing, as pppd writes it to its tty: the FCS
/// appended, flag bytes around, control characters and the flag and
/// escape bytes escaped.
fn hdlc(frame: &[u8]) -> Vec<u8> {
    let fcs = fcs16(frame).to_le_bytes();
    let mut out = vec![0x7e];
    for &b in frame.iter().chain(&fcs) {
        if b < 0x20 || b == 0x7e || b == 0x7d {
            out.extend([0x7d, b ^ 0x20]);
        } else {
            out.push(b);
        }
    }
    out.push(0x7e);
    out
}

/// The PPP frames the client sends in its session: LCP Configure-Request
/// (MRU 1492, a magic number), LCP Echo-Request, and an IPv4 ICMP echo
/// request from 10.0.0.2 to 10.0.0.1.
fn session_frames() -> Vec<Vec<u8>> {
    let lcp_conf = [
        0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 0x12,
        0x34, 0x56, 0x78,
    ];
    let lcp_echo = [
        0xff, 0x03, 0xc0, 0x21, 0x09, 0x02, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78,
    ];
    let mut ip = vec![0xff, 0x03, 0x00, 0x21];
    ip.extend([
        0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00, 10, 0, 0, 2, 10, 0,
        0, 1, 0x08, 0x00, 0xf7, 0xfe, 0x00, 0x01, 0x00, 0x00,
    ]);
    // The IPv4 header checksum, so that `-v` finds it correct.
    let sum = ip[4..24]
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .sum::<u32>();
    let sum = !((sum & 0xffff) + (sum >> 16)) as u16;
    ip[14..16].copy_from_slice(&sum.to_be_bytes());
    vec![lcp_conf.to_vec(), lcp_echo.to_vec(), ip]
}

#[test]
fn pppoe_server_and_client_lines_equal_tcpdump() {
    let Some(ns) = Netns::for_tools(&["pppoe", "pppoe-server", "tcpdump"]) else {
        return;
    };
    if !ns.veth_pair("pppa", "pppb") {
        return;
    }
    // No IPv6 on the pair: its neighbour discovery would only add noise.
    let ok = |args: &[&str]| ns.exec(args).status().is_ok_and(|s| s.success());
    for dev in ["pppa", "pppb"] {
        ok(&[
            "sysctl",
            "-qw",
            &format!("net.ipv6.conf.{dev}.disable_ipv6=1"),
        ]);
    }
    let file = tempdir().join("pppoe_live.pcap");
    let path = file.to_str().expect("a UTF-8 path");
    let capture = Listening::start_quiet(ns.exec(&[
        BIN, "capture", "-i", "pppb", "-w", path, "pppoed", "or", "pppoes",
    ]));
    let _server = Server(
        ns.exec(&[
            "pppoe-server",
            "-F",
            "-I",
            "pppa",
            "-C",
            "sockscope-ac",
            "-S",
            "isp",
            "-S",
            "backup",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pppoe-server starts"),
    );
    std::thread::sleep(Duration::from_millis(800));
    // Discovery only: PADI, PADO, PADR, PADS for "isp"; the client prints
    // SESSION:MAC, and the server's pppd child fails at once (PADT).
    let discover = |args: &[&str]| {
        let mut cmd = ns.exec(&[&["pppoe", "-I", "pppb", "-d"][..], args].concat());
        let out = cmd.output().expect("pppoe runs");
        assert!(
            out.status.success(),
            "pppoe -d {args:?}: {}",
            text(&out.stderr)
        );
        text(&out.stdout).trim().to_owned()
    };
    let session = discover(&["-S", "isp", "-C", "sockscope-ac"]);
    assert!(session.starts_with("1:"), "pppoe -d printed {session:?}");
    // A session of its own (id 7, to a made-up peer) carrying PPP frames.
    let mut client = ns
        .exec(&["pppoe", "-I", "pppb", "-e", "7:02:00:00:00:00:01"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pppoe starts");
    let mut stdin = client.stdin.take().expect("piped");
    for frame in session_frames() {
        stdin.write_all(&hdlc(&frame)).expect("pppoe reads");
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    // End of input ends the session with a PADT.
    drop(stdin);
    let _ = client.wait();
    // And the discovered session is killed with a PADT from the client.
    let status = ns
        .exec(&["pppoe", "-I", "pppb", "-k", "-e", &session])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("pppoe -k runs");
    assert!(status.success(), "pppoe -k: {status}");
    std::thread::sleep(Duration::from_millis(500));
    capture.stop_ok(libc::SIGTERM);
    let levels = &["", "-v", "-e", "-e -v"];
    compare_with_tcpdump(path, levels, 8).expect("tcpdump is here");
    let counts = [
        assert_kinds(
            path,
            "",
            &[
                ("PPPoE PADI [Service-Name \"isp\"]", 1),
                (
                    "PPPoE PADO [AC-Name \"sockscope-ac\"] [Service-Name \"isp\"] [Service-Name \"backup\"] [AC-Cookie ",
                    1,
                ),
                // The cookie is random bytes: hex, or quoted text when most
                // of them are printable (about one run in 15), as tcpdump
                // prints any tag; compare_with_tcpdump checks which.
                ("PPPoE PADR [Service-Name \"isp\"] [AC-Cookie ", 1),
                ("PPPoE PADS [ses 0x1] [Service-Name \"isp\"]", 1),
                ("PPPoE PADT [ses 0x1] [Generic-Error \"RP-PPPoE: ", 2),
                ("PPPoE PADT [ses 0x7] [Generic-Error \"RP-PPPoE: ", 1),
                (
                    "PPPoE  [ses 0x7] LCP, Conf-Request (0x01), id 1, length 16",
                    1,
                ),
                (
                    "PPPoE  [ses 0x7] LCP, Echo-Request (0x09), id 2, length 10",
                    1,
                ),
                (
                    "PPPoE  [ses 0x7] IP 10.0.0.2 > 10.0.0.1: ICMP echo request, id 1, seq 0, length 8",
                    1,
                ),
            ],
        ),
        assert_kinds(
            path,
            "-e -v",
            &[
                ("ethertype PPPoE D (0x8863)", 7),
                ("ethertype PPPoE S (0x8864)", 3),
                ("MRU Option (0x01), length 4: 1492", 1),
                ("Magic-Num Option (0x05), length 6: 0x12345678", 1),
            ],
        ),
    ];
    eprintln!("PPPoE lines identical to tcpdump's at {levels:?}; kinds counted: {counts:?}");
}

#[test]
fn the_frame_check_sequence_is_rfc_1662s() {
    // RFC 1662 §C.2: the FCS of a frame followed by its FCS (low byte
    // first) leaves the "good FCS" residue 0xf0b8 in the running sum.
    let frame = [0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04];
    let mut with = frame.to_vec();
    with.extend(fcs16(&frame).to_le_bytes());
    assert_eq!(!fcs16(&with), 0xf0b8);
    assert_eq!(
        hdlc(&[0x7e, 0x7d, 0x11, 0x41])[..7],
        [0x7e, 0x7d, 0x5e, 0x7d, 0x5d, 0x7d, 0x31]
    );
}
