//! Live capture on `lo` through the library: real sockets, real traffic from
//! in-process generators, each test filtered (in the kernel) to its own ports.
//! Every behaviour is written once and run over both capture backends (the
//! TPACKET_V3 ring and pnet's channel): `NAME::ring` and `NAME::pnet`.

mod support;

use sockscope::packet::LinkType;
use sockscope::source::PacketSource;
use sockscope::source::live::{CaptureBackend, LiveOptions, LiveSource, SLL2_HEADER_LEN};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
use std::time::{Duration, Instant};
use support::frames::{VLAN_SRC_MAC, vlan_frame};
use support::live::*;

/// Open a capture of `proto` port `port` on `lo` through `backend`.
fn open_lo(backend: CaptureBackend, proto: u8, port: u16) -> Option<LiveSource> {
    open_backend(backend, lo_filtered(proto, port))
}

/// A client connected to a listener of ours on `lo`, a capture of its port
/// opened first: (capture, client, server side, port).
fn tcp_session(backend: CaptureBackend) -> Option<(LiveSource, TcpStream, TcpStream, u16)> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let src = open_lo(backend, TCP, port)?;
    let client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (server, _) = listener.accept().unwrap();
    Some((src, client, server, port))
}

for_each_backend! {
    fn udp_datagrams_captured_exactly_once_with_their_lengths_and_kernel_timestamps(backend) {
        let (rx, tx, port) = udp_pair();
        let Some(mut src) = open_lo(backend, UDP, port) else {
            return;
        };
        assert_eq!(src.link_type(), LinkType::Ethernet);
        // `open` returning is the ready signal (pnet waits there for the
        // kernel to turn arrival stamps on); a little more for a loaded CI machine.
        std::thread::sleep(Duration::from_millis(30));
        const N: usize = 60;
        let before = now_ns();
        let mut buf = [0u8; 2048];
        for i in 0..N {
            let payload = vec![i as u8; 1 + i * 13];
            tx.send(&payload).unwrap();
            // Wait for delivery: proves the packet was on the wire before stop().
            assert_eq!(rx.recv(&mut buf).unwrap(), payload.len());
        }
        let after = now_ns();
        // Read after the fact: a user-space timestamp would be later than
        // `after`; the kernel's lies inside the send window.
        std::thread::sleep(Duration::from_millis(20));
        let got = stop_and_collect(&mut src);
        assert_eq!(got.len(), N, "one captured packet per datagram, no duplicates");
        let mut prev_ts = 0;
        for (i, p) in got.iter().enumerate() {
            let payload_len = 1 + i * 13;
            assert_eq!(p.data.len(), 14 + 20 + 8 + payload_len, "packet {i}");
            assert_eq!(p.orig_len as usize, p.data.len(), "packet {i} not truncated");
            assert!(
                p.data[42..].iter().all(|&b| b == i as u8),
                "packet {i} payload in order"
            );
            assert!(
                p.ts_ns >= before && p.ts_ns <= after,
                "packet {i}: kernel timestamp {} outside the send window [{before}, {after}]",
                p.ts_ns
            );
            assert!(p.ts_ns >= prev_ts, "timestamps never go back");
            prev_ts = p.ts_ns;
        }
        let stats = src.stats();
        assert_eq!(stats.received, N as u64, "kernel counted the filtered packets once each");
        assert_eq!(stats.dropped_by_kernel, Some(0));
        assert_eq!(src.captured(), N as u64);
    }
}

for_each_backend! {
    fn kernel_filter_drops_other_ports_before_they_are_counted(backend) {
        let (rx, tx, port) = udp_pair();
        let (rx2, tx2, _other) = udp_pair();
        let Some(mut src) = open_lo(backend, UDP, port) else {
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
        for p in &got {
            assert_eq!(&p.data[42..], b"for us");
        }
        // tp_packets counts only what passed the filter: the 40 others never reached us.
        assert_eq!(src.stats().received, 10);
    }
}

for_each_backend! {
    fn tcp_connect_send_close_each_segment_once_in_order(backend) {
        let Some((mut src, mut client, mut server, port)) = tcp_session(backend) else {
            return;
        };
        client.write_all(b"hello").unwrap();
        let mut buf = [0u8; 16];
        server.read_exact(&mut buf[..5]).unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        assert_eq!(server.read(&mut buf).unwrap(), 0, "client FIN arrived");
        drop(server);
        client.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        assert_eq!(client.read(&mut buf).unwrap(), 0, "server FIN arrived");
        // The last ACK is sent when the server's FIN arrives; give it a moment.
        std::thread::sleep(Duration::from_millis(50));
        drop(client);
        let got = stop_and_collect(&mut src);
        let segs: Vec<Tcp> = got.iter().map(|p| tcp_of(&p.data)).collect();
        let from_client = |t: &Tcp| t.dport == port;

        let mut seen = std::collections::HashSet::new();
        for s in &segs {
            assert!(seen.insert(*s), "segment captured twice: {s:?}\nall: {segs:#?}");
        }
        assert!(
            segs.len() >= 7,
            "at least SYN, SYN-ACK, ACK, data, ACK, FIN, FIN: {segs:#?}"
        );
        let (syn, synack, ack) = (segs[0], segs[1], segs[2]);
        assert!(syn.syn && !syn.ackf && from_client(&syn), "{segs:#?}");
        assert!(synack.syn && synack.ackf && !from_client(&synack), "{segs:#?}");
        assert!(
            !ack.syn && ack.ackf && from_client(&ack) && ack.payload == 0,
            "{segs:#?}"
        );
        assert_eq!(synack.ack, syn.seq.wrapping_add(1));
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
            "the capture ends with the client's ACK of the server's FIN: {segs:#?}"
        );
        assert!(segs.iter().all(|s| !s.rst));
    }
}

for_each_backend! {
    fn a_64k_tcp_segment_on_lo_is_captured_whole(backend) {
        let Some((mut src, mut client, mut server, port)) = tcp_session(backend) else {
            return;
        };
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
        // Segments on lo reach ~64 KiB when the window allows; with other
        // tests sending at the same time one run saw 63,554 at most. What
        // matters is a segment far beyond any link MTU, captured whole.
        assert!(
            biggest > 48_000,
            "largest frame {biggest} bytes: expected a segment of tens of KiB"
        );
        for p in &got {
            assert_eq!(p.data.len(), p.orig_len as usize, "captured whole");
        }
        // Every byte of the stream is there; bytes seen twice are TCP's own
        // retransmissions (a loaded machine overflows loopback's backlog), never
        // the same frame captured twice.
        let frames: Vec<Vec<u8>> = got.iter().map(|p| p.data.clone()).collect();
        let (covered, again) = client_stream_coverage(&frames, port);
        assert_eq!(covered, TOTAL, "every payload byte captured (retransmitted: {again})");
        let distinct: std::collections::HashSet<&Vec<u8>> = frames.iter().collect();
        assert_eq!(distinct.len(), frames.len(), "no frame captured twice");
        assert_eq!(src.stats().dropped_by_kernel, Some(0));
    }
}

for_each_backend! {
    fn snaplen_cuts_captured_bytes_but_keeps_the_original_length(backend) {
        let (rx, tx, port) = udp_pair();
        let opts = LiveOptions {
            snaplen: 60,
            ..lo_filtered(UDP, port)
        };
        let Some(mut src) = open_backend(backend, opts) else {
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
}

for_each_backend! {
    fn any_device_gives_sll2_headers_and_each_loopback_packet_once(backend) {
        let (rx, tx, port) = udp_pair();
        let opts = LiveOptions {
            bpf: Some(sll2_port_filter(UDP, port)),
            ..LiveOptions::new("any")
        };
        let Some(mut src) = open_backend(backend, opts) else {
            return;
        };
        assert_eq!(src.link_type(), LinkType::LinuxSll2);
        assert!(
            src.kernel_filter_attached(),
            "the SLL2 program was rewritten, not dropped"
        );
        let mut buf = [0u8; 64];
        for _ in 0..5 {
            tx.send(b"cooked").unwrap();
            rx.recv(&mut buf).unwrap();
        }
        let got = stop_and_collect(&mut src);
        assert_eq!(got.len(), 5, "the outgoing copy on lo is skipped");
        // The kernel let both copies through its filter (so it counts 10), and
        // dropped every other packet on every interface.
        assert_eq!(src.stats().received, 10);
        let lo = sockscope::sys::if_nametoindex("lo").unwrap();
        for p in &got {
            let h = &p.data[..SLL2_HEADER_LEN];
            assert_eq!(&h[0..2], &[0x08, 0x00], "protocol IPv4");
            assert_eq!(&h[2..4], &[0, 0], "reserved");
            assert_eq!(u32::from_be_bytes(h[4..8].try_into().unwrap()), lo, "ifindex of lo");
            assert_eq!(u16::from_be_bytes(h[8..10].try_into().unwrap()), 772, "ARPHRD_LOOPBACK");
            assert_eq!(h[10], 0, "PACKET_HOST");
            assert_eq!(h[11], 6, "address length");
            assert_eq!(p.data.len(), SLL2_HEADER_LEN + 20 + 8 + 6);
            assert_eq!(p.orig_len as usize, p.data.len());
            assert_eq!(&p.data[SLL2_HEADER_LEN + 28..], b"cooked");
        }
    }
}

for_each_backend! {
    fn stop_handle_ends_an_idle_capture_promptly(backend) {
        let Some(mut src) = open_lo(backend, UDP, 9) else {
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
        let stopped_at = stopper.join().unwrap();
        assert_eq!(first, None);
        let lag = returned.duration_since(stopped_at);
        // stop() wakes the poll through an eventfd and nothing is queued, so
        // this is immediate; the bound leaves room for a busy CI machine.
        eprintln!("next_packet returned {lag:?} after stop()");
        assert!(lag < Duration::from_millis(100), "returned {lag:?} after stop()");
        assert!(src.next_packet().unwrap().is_none(), "and stays ended");
    }
}

for_each_backend! {
    fn packets_sent_right_after_open_are_captured(backend) {
        // No sleep between open and send: `open` returning is the ready signal.
        for _ in 0..5 {
            let (rx, tx, port) = udp_pair();
            let Some(mut src) = open_lo(backend, UDP, port) else {
                return;
            };
            tx.send(b"first").unwrap();
            let mut buf = [0u8; 16];
            rx.recv(&mut buf).unwrap();
            let got = stop_and_collect(&mut src);
            assert_eq!(got.len(), 1);
        }
    }
}

for_each_backend! {
    fn kernel_drops_are_counted_when_the_buffer_is_full(backend) {
        let sink = UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = sink.local_addr().unwrap().port();
        let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
        tx.connect(("127.0.0.1", port)).unwrap();
        // 128 KiB: two 64 KiB ring blocks, or a socket receive buffer, that
        // hold a few hundred small packets; nobody reads.
        let opts = LiveOptions {
            snaplen: 128,
            buffer_bytes: 128 << 10,
            ..lo_filtered(UDP, port)
        };
        let Some(mut src) = open_backend(backend, opts) else {
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
        assert!(dropped > 0, "a full buffer must drop: {stats:?}");
        assert!(got.len() < 2000, "{} captured", got.len());
        assert_eq!(
            stats.received, N,
            "the kernel counts every packet that passed the filter"
        );
        assert_eq!(got.len() as u64 + dropped, N, "captured + dropped = received");
    }
}

for_each_backend! {
    fn vlan_tag_taken_off_by_the_kernel_is_put_back(backend) {
        let Some(ns) = veth_or_skip("v0", "v1") else {
            return;
        };
        let frame = vlan_frame();
        let got = ns.run(|| {
            let mut src = LiveSource::open(LiveOptions {
                backend,
                ..LiveOptions::new("v1")
            })
            .expect("capture on v1");
            inject("v0", &frame);
            std::thread::sleep(Duration::from_millis(30));
            stop_and_collect(&mut src)
        });
        let ours: Vec<&Owned> = got.iter().filter(|p| p.data[6..12] == VLAN_SRC_MAC).collect();
        assert_eq!(ours.len(), 1, "{got:02x?}");
        assert_eq!(ours[0].data, frame, "the frame as it was on the wire, tag included");
        assert_eq!(ours[0].orig_len as usize, frame.len());
    }
}
