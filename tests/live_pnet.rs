//! The pnet capture backend (`CaptureBackend::Pnet`, `capture --backend
//! pnet`): the same guarantees as the ring on `lo`, with real traffic from
//! in-process generators, each test filtered in the kernel to its own port.
//! Also the automatic fallback: a child whose kernel refuses TPACKET_V3
//! (a seccomp filter makes setsockopt(PACKET_VERSION) fail with ENOPROTOOPT,
//! as gVisor does) captures through pnet and says so.

mod live_support;

use live_support::*;
use sockscope::cli::env::CAPTURE_BACKEND_ENV;
use sockscope::packet::LinkType;
use sockscope::source::PacketSource;
use sockscope::source::live::{CaptureBackend, LiveOptions, SLL2_HEADER_LEN};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

fn udp_pair() -> (UdpSocket, UdpSocket, u16) {
    let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = rx.local_addr().unwrap().port();
    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    tx.connect(("127.0.0.1", port)).unwrap();
    rx.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    (rx, tx, port)
}

/// `ip and <proto> port <port>` on lo, through pnet.
fn pnet_lo(proto: u8, port: u16) -> LiveOptions {
    LiveOptions {
        bpf: Some(eth_port_filter(proto, port)),
        backend: CaptureBackend::Pnet,
        ..LiveOptions::new("lo")
    }
}

fn open_pnet(opts: LiveOptions) -> Option<sockscope::source::live::LiveSource> {
    let src = open_or_skip(opts)?;
    assert_eq!(src.backend(), CaptureBackend::Pnet);
    Some(src)
}

#[test]
fn udp_datagrams_once_each_with_their_lengths_and_kernel_timestamps() {
    let (rx, tx, port) = udp_pair();
    let Some(mut src) = open_pnet(pnet_lo(UDP, port)) else {
        return;
    };
    assert_eq!(src.link_type(), LinkType::Ethernet);
    // `open` waited for the kernel to turn arrival stamps on (see the
    // source/live/pnet.rs module docs); a little more for a loaded CI machine.
    std::thread::sleep(Duration::from_millis(30));
    const N: usize = 50;
    let before = now_ns();
    let mut buf = [0u8; 2048];
    for i in 0..N {
        let payload = vec![i as u8; 1 + i * 13];
        tx.send(&payload).unwrap();
        assert_eq!(rx.recv(&mut buf).unwrap(), payload.len());
    }
    let after = now_ns();
    // Read after the fact: a user-space timestamp would be later than
    // `after`; the kernel's lies inside the send window.
    std::thread::sleep(Duration::from_millis(20));
    let got = stop_and_collect(&mut src);
    assert_eq!(got.len(), N, "one packet per datagram, no duplicates");
    let mut prev = 0;
    for (i, p) in got.iter().enumerate() {
        let payload_len = 1 + i * 13;
        assert_eq!(p.data.len(), 14 + 20 + 8 + payload_len, "packet {i}");
        assert_eq!(p.orig_len as usize, p.data.len(), "packet {i} whole");
        assert!(
            p.data[42..].iter().all(|&b| b == i as u8),
            "packet {i} in order"
        );
        assert!(
            p.ts_ns >= before && p.ts_ns <= after,
            "packet {i}: timestamp {} outside the send window [{before}, {after}]",
            p.ts_ns
        );
        assert!(p.ts_ns >= prev);
        prev = p.ts_ns;
    }
    let stats = src.stats();
    assert_eq!(stats.received, N as u64, "counted once each by the kernel");
    assert_eq!(stats.dropped_by_kernel, Some(0));
    assert_eq!(src.captured(), N as u64);
}

#[test]
fn kernel_filter_drops_other_traffic_before_it_is_counted() {
    let (rx, tx, port) = udp_pair();
    let (rx2, tx2, _) = udp_pair();
    let Some(mut src) = open_pnet(pnet_lo(UDP, port)) else {
        return;
    };
    assert!(src.kernel_filter_attached());
    let mut buf = [0u8; 64];
    for i in 0..40 {
        tx2.send(b"not for us").unwrap();
        rx2.recv(&mut buf).unwrap();
        if i % 4 == 0 {
            tx.send(b"for us").unwrap();
            rx.recv(&mut buf).unwrap();
        }
    }
    let got = stop_and_collect(&mut src);
    assert_eq!(got.len(), 10);
    assert!(got.iter().all(|p| &p.data[42..] == b"for us"));
    assert_eq!(
        src.stats().received,
        10,
        "the 40 others never reached the socket"
    );
}

#[test]
fn tcp_connect_send_close_each_segment_once_in_order() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let Some(mut src) = open_pnet(pnet_lo(TCP, port)) else {
        return;
    };
    let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (mut server, _) = listener.accept().unwrap();
    client.write_all(b"hello").unwrap();
    let mut buf = [0u8; 16];
    server.read_exact(&mut buf[..5]).unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    assert_eq!(server.read(&mut buf).unwrap(), 0, "client FIN arrived");
    drop(server);
    client
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    assert_eq!(client.read(&mut buf).unwrap(), 0, "server FIN arrived");
    std::thread::sleep(Duration::from_millis(50));
    drop(client);
    let got = stop_and_collect(&mut src);
    let segs: Vec<Tcp> = got.iter().map(|p| tcp_of(&p.data)).collect();
    let from_client = |t: &Tcp| t.dport == port;
    let mut seen = std::collections::HashSet::new();
    for s in &segs {
        assert!(seen.insert(*s), "segment captured twice: {s:?}\n{segs:#?}");
    }
    let (syn, synack, ack) = (segs[0], segs[1], segs[2]);
    assert!(syn.syn && !syn.ackf && from_client(&syn), "{segs:#?}");
    assert!(
        synack.syn && synack.ackf && !from_client(&synack),
        "{segs:#?}"
    );
    assert_eq!(synack.ack, syn.seq.wrapping_add(1));
    assert!(!ack.syn && ack.ackf && from_client(&ack) && ack.payload == 0);
    assert_eq!(segs.iter().filter(|s| s.syn).count(), 2);
    let data: Vec<&Tcp> = segs.iter().filter(|s| s.payload > 0).collect();
    assert_eq!(data.len(), 1, "{segs:#?}");
    assert!(from_client(data[0]) && data[0].payload == 5);
    let fins: Vec<usize> = (0..segs.len()).filter(|&i| segs[i].fin).collect();
    assert_eq!(fins.len(), 2, "one FIN per side: {segs:#?}");
    assert!(from_client(&segs[fins[0]]) && !from_client(&segs[fins[1]]));
    assert!(fins[0] > 3, "FINs after the handshake and the data");
    let last = segs.last().unwrap();
    assert!(
        from_client(last)
            && last.ackf
            && !last.fin
            && last.ack == segs[fins[1]].seq.wrapping_add(1),
        "ends with the client's ACK of the server's FIN: {segs:#?}"
    );
    assert!(segs.iter().all(|s| !s.rst));
}

#[test]
fn a_64k_tcp_segment_is_captured_whole() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let Some(mut src) = open_pnet(pnet_lo(TCP, port)) else {
        return;
    };
    let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (mut server, _) = listener.accept().unwrap();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        server.read_to_end(&mut all).unwrap();
        all.len()
    });
    // Several MiB: segment sizes follow the window, so give TCP room to
    // send full 64 KiB ones.
    const TOTAL: usize = 8 << 20;
    client.write_all(&vec![0x5au8; TOTAL]).unwrap();
    drop(client);
    assert_eq!(reader.join().unwrap(), TOTAL);
    std::thread::sleep(Duration::from_millis(20));
    let got = stop_and_collect(&mut src);
    let biggest = got.iter().map(|p| p.data.len()).max().unwrap_or(0);
    assert!(
        biggest > 65_000,
        "largest frame {biggest} bytes: expected ~64 KiB"
    );
    for p in &got {
        assert_eq!(p.data.len(), p.orig_len as usize, "captured whole");
    }
    // Every byte of the stream is there; bytes seen twice are TCP's own
    // retransmissions (a loaded machine overflows loopback's backlog), never
    // the same frame captured twice.
    let frames: Vec<Vec<u8>> = got.iter().map(|p| p.data.clone()).collect();
    let (covered, again) = client_stream_coverage(&frames, port);
    assert_eq!(
        covered, TOTAL,
        "every payload byte captured (retransmitted: {again})"
    );
    let distinct: std::collections::HashSet<&Vec<u8>> = frames.iter().collect();
    assert_eq!(distinct.len(), frames.len(), "no frame captured twice");
    assert_eq!(src.stats().dropped_by_kernel, Some(0));
}

#[test]
fn snaplen_cuts_the_bytes_but_the_original_length_stays() {
    let (rx, tx, port) = udp_pair();
    let Some(mut src) = open_pnet(LiveOptions {
        snaplen: 60,
        ..pnet_lo(UDP, port)
    }) else {
        return;
    };
    let mut buf = [0u8; 2048];
    tx.send(&[7u8; 1000]).unwrap();
    rx.recv(&mut buf).unwrap();
    let got = stop_and_collect(&mut src);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].data.len(), 60);
    assert_eq!(got[0].orig_len, 14 + 20 + 8 + 1000);
}

#[test]
fn any_device_gives_sll2_headers_and_each_loopback_packet_once() {
    let (rx, tx, port) = udp_pair();
    let Some(mut src) = open_pnet(LiveOptions {
        bpf: Some(sll2_port_filter(UDP, port)),
        backend: CaptureBackend::Pnet,
        ..LiveOptions::new("any")
    }) else {
        return;
    };
    assert_eq!(src.link_type(), LinkType::LinuxSll2);
    let mut buf = [0u8; 64];
    for _ in 0..5 {
        tx.send(b"cooked").unwrap();
        rx.recv(&mut buf).unwrap();
    }
    let got = stop_and_collect(&mut src);
    assert_eq!(got.len(), 5, "the outgoing copy on lo is skipped");
    assert_eq!(
        src.stats().received,
        10,
        "the kernel let both copies through"
    );
    let lo = sockscope::sys::if_nametoindex("lo").unwrap();
    for p in &got {
        let h = &p.data[..SLL2_HEADER_LEN];
        assert_eq!(&h[0..2], &[0x08, 0x00], "protocol IPv4");
        assert_eq!(u32::from_be_bytes(h[4..8].try_into().unwrap()), lo);
        assert_eq!(u16::from_be_bytes(h[8..10].try_into().unwrap()), 772);
        assert_eq!(h[10], 0, "PACKET_HOST");
        assert_eq!(p.data.len(), SLL2_HEADER_LEN + 20 + 8 + 6);
        assert_eq!(p.orig_len as usize, p.data.len());
        assert_eq!(&p.data[SLL2_HEADER_LEN + 28..], b"cooked");
    }
}

#[test]
fn stop_handle_ends_an_idle_capture_promptly() {
    let Some(mut src) = open_pnet(pnet_lo(UDP, 9)) else {
        return;
    };
    let stop = src.stop_handle();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        let t = Instant::now();
        stop.stop();
        t
    });
    let first = src.next_packet().expect("no error").map(|p| p.data.len());
    let returned = Instant::now();
    let lag = returned.duration_since(stopper.join().unwrap());
    assert_eq!(first, None);
    eprintln!("next_packet returned {lag:?} after stop()");
    assert!(
        lag < Duration::from_millis(100),
        "returned {lag:?} after stop()"
    );
    assert!(src.next_packet().unwrap().is_none(), "and stays ended");
}

#[test]
fn a_full_receive_queue_drops_and_counts_what_it_dropped() {
    let sink = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sink.local_addr().unwrap().port();
    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    tx.connect(("127.0.0.1", port)).unwrap();
    // A 128 KiB receive buffer holds a few hundred small packets; nobody reads.
    let Some(mut src) = open_pnet(LiveOptions {
        buffer_bytes: 128 << 10,
        ..pnet_lo(UDP, port)
    }) else {
        return;
    };
    const N: u64 = 5000;
    let mut sent = 0;
    while sent < N {
        if tx.send(&[1u8; 16]).is_ok() {
            sent += 1;
        }
    }
    let got = stop_and_collect(&mut src);
    let stats = src.stats();
    let dropped = stats.dropped_by_kernel.unwrap();
    assert!(dropped > 0, "a full queue must drop: {stats:?}");
    assert_eq!(stats.received, N, "every packet that passed the filter");
    assert_eq!(
        got.len() as u64 + dropped,
        N,
        "captured + dropped = received"
    );
}

// ---- the binary ------------------------------------------------------------

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let d = std::env::temp_dir().join(format!(
        "sockscope-live-pnet-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Start `cmd` with pipes; returns once it printed "listening", with the
/// stderr lines before that one.
fn start(mut cmd: Command) -> (Child, Receiver<String>, Vec<String>) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut before = Vec::new();
    loop {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(10)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("no 'listening' line; stderr so far: {before:#?}");
        };
        if line.contains("listening on") {
            before.push(line);
            return (child, rx, before);
        }
        before.push(line);
    }
}

/// Wait for the exit: (exit code, stdout, rest of stderr).
fn finish(mut child: Child, rx: Receiver<String>) -> (i32, String, String) {
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = String::new();
        stdout.read_to_string(&mut v).unwrap();
        v
    });
    let t = Instant::now();
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code().unwrap_or(-1);
        }
        if t.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("capture did not end");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = reader.join().unwrap();
    let mut err = String::new();
    while let Ok(l) = rx.recv_timeout(Duration::from_secs(2)) {
        err.push_str(&l);
        err.push('\n');
    }
    (code, out, err)
}

fn capture_cmd(args: &[&str], port: u16) -> Command {
    let mut c = Command::new(BIN);
    c.args(["capture", "-i", "lo"])
        .args(args)
        .args(["udp", "port", &port.to_string()])
        .env("TZ", "UTC")
        .env_remove(CAPTURE_BACKEND_ENV);
    c
}

fn read_lines(file: &Path) -> String {
    let out = Command::new(BIN)
        .args(["read", file.to_str().unwrap()])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn have_tcpdump() -> bool {
    let ok = Command::new("tcpdump").arg("--version").output().is_ok();
    if !ok {
        assert!(
            std::env::var("SOCKSCOPE_REQUIRE_LIVE").as_deref() != Ok("1"),
            "tcpdump is needed (apt-get install tcpdump)"
        );
        eprintln!("SKIPPED part: tcpdump is not installed");
    }
    ok
}

#[test]
fn capture_backend_pnet_writes_a_pcap_that_read_and_tcpdump_print_alike() {
    if !live_allowed() {
        return;
    }
    let peer = UdpPeer::new();
    let dir = tempdir();
    let file = dir.join("pnet.pcap");
    let f = file.to_str().unwrap();
    // Two captures of the same packets: one writes the file, one prints.
    let (wc, wrx, whead) = start(capture_cmd(
        &["--backend", "pnet", "-c", "7", "-w", f],
        peer.port(),
    ));
    let (pc, prx, phead) = start(capture_cmd(&["--backend", "pnet", "-c", "7"], peer.port()));
    for head in [&whead, &phead] {
        assert_eq!(head.len(), 1, "{head:?}");
        assert!(head[0].ends_with("(pnet backend)"), "{head:?}");
    }
    peer.exchange(7, 41);
    let (code_w, out_w, err_w) = finish(wc, wrx);
    let (code_p, live, err_p) = finish(pc, prx);
    assert_eq!((code_w, code_p), (0, 0), "{err_w}\n{err_p}");
    assert!(out_w.is_empty(), "nothing on stdout while writing a file");
    assert!(err_w.contains("7 packets captured"), "{err_w}");
    assert!(err_w.contains("7 packets received by filter"), "{err_w}");
    assert!(err_w.contains("0 packets dropped by kernel"), "{err_w}");

    let pcap = parse_pcap(&std::fs::read(&file).unwrap());
    assert_eq!(
        (pcap.linktype, pcap.snaplen, pcap.nanos),
        (1, 262_144, true)
    );
    assert_eq!(pcap.records.len(), 7);
    assert!(
        pcap.records.iter().all(|r| (r.0, r.1) == (83, 83)),
        "{:?}",
        pcap.records.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>()
    );
    let read = read_lines(&file);
    assert_eq!(read.lines().count(), 7, "{read}");
    assert!(
        read.lines()
            .all(|l| l.ends_with(&format!("127.0.0.1.{}: UDP, length 41", peer.port()))),
        "{read}"
    );
    assert_eq!(read, live, "read of the file prints the live lines");

    if have_tcpdump() {
        let out = Command::new("tcpdump")
            .args(["-n", "-r", f])
            .env("TZ", "UTC")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            read,
            "tcpdump -r prints the same lines"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn env_var_selects_pnet_and_a_bad_value_is_an_error() {
    if !live_allowed() {
        return;
    }
    let peer = UdpPeer::new();
    let mut cmd = capture_cmd(&["-c", "2"], peer.port());
    cmd.env(CAPTURE_BACKEND_ENV, "pnet");
    let (c, rx, head) = start(cmd);
    assert!(head[0].ends_with("(pnet backend)"), "{head:?}");
    peer.exchange(2, 5);
    let (code, out, err) = finish(c, rx);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");

    let bad = capture_cmd(&["-c", "1"], peer.port())
        .env(CAPTURE_BACKEND_ENV, "mmap")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{err}");
    assert!(
        err.contains("unknown capture backend \"mmap\" (expected ring or pnet)"),
        "{err}"
    );

    // --backend wins over the environment.
    let mut cmd = capture_cmd(&["--backend", "ring", "-c", "1"], peer.port());
    cmd.env(CAPTURE_BACKEND_ENV, "pnet");
    let (c, rx, head) = start(cmd);
    assert!(head[0].ends_with("bytes"), "the ring: {head:?}");
    peer.exchange(1, 5);
    assert_eq!(finish(c, rx).0, 0);
}

/// A seccomp filter that makes setsockopt(SOL_PACKET, PACKET_VERSION) fail
/// with ENOPROTOOPT, as a kernel without TPACKET_V3 (or gVisor) answers.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
fn refuse_tpacket_v3(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    #[cfg(target_arch = "x86_64")]
    const ARCH: u32 = 0xC000_003E; // AUDIT_ARCH_X86_64
    #[cfg(target_arch = "aarch64")]
    const ARCH: u32 = 0xC000_00B7; // AUDIT_ARCH_AARCH64
    const RET_ERRNO: u32 = 0x0005_0000;
    const RET_ALLOW: u32 = 0x7fff_0000;
    let ins = |code: u16, jt: u8, jf: u8, k: u32| libc::sock_filter { code, jt, jf, k };
    // seccomp_data: nr at 0, arch at 4, args[i] at 16 + 8i (low half first).
    let prog = [
        ins(0x20, 0, 0, 4),                           // ld arch
        ins(0x15, 0, 7, ARCH),                        // other arch: allow
        ins(0x20, 0, 0, 0),                           // ld nr
        ins(0x15, 0, 5, libc::SYS_setsockopt as u32), //
        ins(0x20, 0, 0, 24),                          // ld args[1] (level)
        ins(0x15, 0, 3, libc::SOL_PACKET as u32),     //
        ins(0x20, 0, 0, 32),                          // ld args[2] (option)
        ins(0x15, 0, 1, libc::PACKET_VERSION as u32), //
        ins(0x06, 0, 0, RET_ERRNO | libc::ENOPROTOOPT as u32),
        ins(0x06, 0, 0, RET_ALLOW),
    ];
    // SAFETY: runs in the forked child before exec; only two prctl calls on
    // memory (`prog`, moved into the closure) that lives until exec.
    unsafe {
        cmd.pre_exec(move || {
            let fprog = libc::sock_fprog {
                len: prog.len() as u16,
                filter: prog.as_ptr() as *mut libc::sock_filter,
            };
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || libc::prctl(
                    libc::PR_SET_SECCOMP,
                    libc::SECCOMP_MODE_FILTER,
                    &fprog as *const libc::sock_fprog,
                ) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[test]
fn without_tpacket_v3_the_ring_falls_back_to_pnet_and_says_so_once() {
    if !live_allowed() {
        return;
    }
    let peer = UdpPeer::new();
    let mut cmd = capture_cmd(&["-c", "3"], peer.port());
    refuse_tpacket_v3(&mut cmd);
    let (c, rx, head) = start(cmd);
    assert_eq!(
        head.len(),
        2,
        "one fallback line, then listening: {head:#?}"
    );
    assert_eq!(
        head[0],
        "sockscope: no TPACKET_V3 ring on this system (switching the socket to TPACKET_V3 failed: \
         Protocol not available (os error 92)); capturing through pnet's channel instead"
    );
    assert!(head[1].ends_with("(pnet backend)"), "{head:#?}");
    peer.exchange(3, 9);
    let (code, out, err) = finish(c, rx);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(err.contains("3 packets captured"), "{err}");

    // Asked for the ring explicitly, the same: the ring is the default and
    // the fallback applies to it.
    let mut cmd = capture_cmd(&["--backend", "ring", "-c", "1"], peer.port());
    refuse_tpacket_v3(&mut cmd);
    let (c, rx, head) = start(cmd);
    assert_eq!(head.len(), 2, "{head:#?}");
    peer.exchange(1, 9);
    assert_eq!(finish(c, rx).0, 0);
}
