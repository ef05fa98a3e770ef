//! `capture -w`: files other tools read, valid after every way a capture
//! ends. Each capture is filtered to the test's own UDP port on `lo`, so it
//! holds exactly the packets the test sends. Every behaviour runs over both
//! capture backends (`--backend ring|pnet`): `NAME::ring` and `NAME::pnet`.

mod support;

use sockscope::source::live::CaptureBackend;
use std::time::{Duration, Instant};
use support::bin::{Listening, command, read_lines, require_tool, tcpdump_read, text};
use support::live::{UdpPeer, for_each_backend, live_peer};
use support::pcap::parse_pcap;
use support::tempdir;

/// `capture -i lo --backend B ARGS udp port PORT`, once it said (and said
/// only) that it is listening, with the backend it was asked for.
fn start(backend: CaptureBackend, peer: &UdpPeer, args: &[&str]) -> Listening {
    let mut cmd = command(&["capture", "-i", "lo", "--backend", &backend.to_string()]);
    cmd.args(args)
        .args(["udp", "port", &peer.port().to_string()])
        .env_remove(sockscope::cli::env::CAPTURE_BACKEND_ENV);
    let l = Listening::start_quiet(cmd);
    let head = &l.head[0];
    assert!(head.contains("listening on lo"), "{head}");
    let tail = match backend {
        CaptureBackend::Ring => "bytes",
        CaptureBackend::Pnet => "(pnet backend)",
    };
    assert!(head.ends_with(tail), "{head}");
    l
}

for_each_backend! {
    fn count_limited_capture_writes_what_read_and_tcpdump_print_like_the_live_run(backend) {
        let Some(peer) = live_peer() else {
            return;
        };
        let file = tempdir().join("c.pcap");
        let f = file.to_str().unwrap();
        // The two captures' times agree only where the kernel stamped the
        // packets on arrival (pnet's stamps are the kernel's when it gives
        // them, else taken when read).
        let _stamps = support::live::kernel_timestamps_on();
        // Two captures of the same packets: one writes the file, one prints.
        let writer = start(backend, &peer, &["-c", "7", "-w", f]);
        let printer = start(backend, &peer, &["-c", "7"]);
        peer.exchange(7, 41);
        let (code_w, out_w, err_w) = writer.finish();
        let (code_p, out_p, err_p) = printer.finish();
        assert_eq!((code_w, code_p), (0, 0), "{err_w}\n{err_p}");
        assert!(out_w.is_empty(), "nothing on stdout while writing a file");
        assert!(err_w.contains("7 packets captured"), "{err_w}");
        assert!(err_w.contains("7 packets received by filter"), "{err_w}");
        assert!(err_w.contains("0 packets dropped by kernel"), "{err_w}");

        let pcap = parse_pcap(&std::fs::read(&file).unwrap());
        assert_eq!((pcap.linktype, pcap.snaplen, pcap.nanos), (1, 262_144, true));
        assert_eq!(pcap.records.len(), 7);
        assert!(
            pcap.records.iter().all(|r| (r.0, r.1) == (83, 83)),
            "{:?}",
            pcap.records.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>()
        );
        let live = text(&out_p);
        let read = read_lines(&file);
        assert_eq!(read.lines().count(), 7, "{read}");
        let tail = format!("127.0.0.1.{}: UDP, length 41", peer.port());
        assert!(read.lines().all(|l| l.ends_with(&tail)), "{read}");
        assert_eq!(read, live, "read of the file prints the live lines");
        if require_tool("tcpdump") {
            assert_eq!(tcpdump_read(&file), read, "tcpdump -r prints the same lines");
        }
    }
}

for_each_backend! {
    fn sigterm_leaves_a_valid_file_with_every_captured_packet(backend) {
        let Some(peer) = live_peer() else {
            return;
        };
        let file = tempdir().join("term.pcap");
        let capture = start(backend, &peer, &["-w", file.to_str().unwrap()]);
        peer.exchange(5, 10);
        let (_, err) = capture.stop_ok(libc::SIGTERM);
        assert!(err.contains("5 packets captured"), "{err}");
        assert!(err.contains("5 packets received by filter"), "{err}");
        assert!(err.contains("0 packets dropped by kernel"), "{err}");
        let pcap = parse_pcap(&std::fs::read(&file).unwrap());
        assert_eq!(pcap.records.len(), 5);
    }
}

for_each_backend! {
    fn packet_buffered_file_is_complete_while_the_capture_runs(backend) {
        let Some(peer) = live_peer() else {
            return;
        };
        let file = tempdir().join("u.pcap");
        let capture = start(backend, &peer, &["-U", "-w", file.to_str().unwrap()]);
        peer.exchange(3, 20);
        // The packets are handed over within ~10 ms; poll the file.
        let t = Instant::now();
        let mut n = 0;
        while t.elapsed() < Duration::from_secs(3) {
            n = parse_pcap(&std::fs::read(&file).unwrap()).records.len();
            if n == 3 {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(n, 3, "all packets in the file before the capture ends");
        capture.stop_ok(libc::SIGTERM);
    }
}

for_each_backend! {
    fn write_to_stdout_puts_only_the_pcap_on_stdout(backend) {
        let Some(peer) = live_peer() else {
            return;
        };
        let capture = start(backend, &peer, &["-c", "4", "-w", "-"]);
        peer.exchange(4, 7);
        let (code, out, err) = capture.finish();
        assert_eq!(code, 0, "{err}");
        let pcap = parse_pcap(&out);
        assert_eq!(pcap.records.len(), 4);
        assert!(pcap.records.iter().all(|r| r.0 == 14 + 20 + 8 + 7));
        assert!(err.contains("4 packets captured"), "{err}");
    }
}
