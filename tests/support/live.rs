//! Live capture helpers: the CAP_NET_RAW gate (skip with a printed reason,
//! fail under SOCKSCOPE_REQUIRE_LIVE=1), hand-written BPF programs that keep
//! each test to its own ports (tests run in parallel on `lo`), traffic
//! generators, small parsers of what was captured, and [`for_each_backend`],
//! which runs one test body over every capture backend.

use super::bin::{BIN, require_tool, sockscope};
use super::env_on;
use super::netns::Netns;
use sockscope::filter::bpf::BpfInsn;
use sockscope::source::PacketSource;
use sockscope::source::live::{CaptureBackend, LiveOptions, LiveSource};
use std::net::UdpSocket;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const UDP: u8 = 17;
pub const TCP: u8 = 6;

/// Open a capture, or decide to skip: `None` (with the reason printed) when
/// the process lacks CAP_NET_RAW, unless SOCKSCOPE_REQUIRE_LIVE=1 makes that a failure.
pub fn open_or_skip(opts: LiveOptions) -> Option<LiveSource> {
    match LiveSource::open(opts) {
        Ok(s) => Some(s),
        Err(e) => {
            let msg = e.to_string();
            if msg.contains("CAP_NET_RAW") && !env_on("SOCKSCOPE_REQUIRE_LIVE") {
                eprintln!("SKIPPED: live capture needs CAP_NET_RAW: {msg}");
                None
            } else {
                panic!("opening the live capture failed: {msg}");
            }
        }
    }
}

/// True if this process may open packet sockets; prints why not otherwise
/// (and panics when SOCKSCOPE_REQUIRE_LIVE=1).
pub fn live_allowed() -> bool {
    open_or_skip(LiveOptions {
        bpf: Some(vec![ret(0)]),
        buffer_bytes: 2 << 20,
        ..LiveOptions::new("lo")
    })
    .is_some()
}

fn insn(code: u16, jt: u8, jf: u8, k: u32) -> BpfInsn {
    BpfInsn { code, jt, jf, k }
}

pub fn ret(k: u32) -> BpfInsn {
    insn(0x06, 0, 0, k)
}

/// `ip and <proto> port <port>` for Ethernet frames, as `tcpdump -dd -y EN10MB` compiles it.
pub fn eth_port_filter(proto: u8, port: u16) -> Vec<BpfInsn> {
    ipv4_port_filter(12, 14, proto, port)
}

/// `ip and <proto> port <port>` for LINUX_SLL2 (`any`), as `tcpdump -dd -y LINUX_SLL2` compiles it.
pub fn sll2_port_filter(proto: u8, port: u16) -> Vec<BpfInsn> {
    ipv4_port_filter(0, 20, proto, port)
}

/// tcpdump's program for `ip and <proto> port <port>` behind a link header
/// with the EtherType at `ethertype_at` and the IP header at `ip_at`.
fn ipv4_port_filter(ethertype_at: u32, ip_at: u32, proto: u8, port: u16) -> Vec<BpfInsn> {
    let p = port as u32;
    vec![
        insn(0x28, 0, 0, ethertype_at), // ldh EtherType
        insn(0x15, 0, 10, 0x0800),      // jeq IPv4
        insn(0x30, 0, 0, ip_at + 9),    // ldb IP protocol
        insn(0x15, 0, 8, proto as u32), //
        insn(0x28, 0, 0, ip_at + 6),    // ldh fragment offset
        insn(0x45, 6, 0, 0x1fff),       // jset: not the first fragment
        insn(0xb1, 0, 0, ip_at),        // ldxb 4*([ip]&0xf)
        insn(0x48, 0, 0, ip_at),        // ldh [x+ip] src port
        insn(0x15, 2, 0, p),            //
        insn(0x48, 0, 0, ip_at + 2),    // ldh [x+ip+2] dst port
        insn(0x15, 0, 1, p),            //
        ret(262_144),
        ret(0),
    ]
}

/// One test body run over each capture backend: `fn name(backend) { … }`
/// becomes the tests `name::ring` and `name::pnet`, so a failure names its
/// backend.
#[allow(unused_macros)]
macro_rules! for_each_backend {
    ($(#[$doc:meta])* fn $name:ident($backend:ident) $body:block) => {
        $(#[$doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn body($backend: sockscope::source::live::CaptureBackend) $body
            #[test]
            fn ring() {
                body(sockscope::source::live::CaptureBackend::Ring)
            }
            #[test]
            fn pnet() {
                body(sockscope::source::live::CaptureBackend::Pnet)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use for_each_backend;

/// Run `sockscope ARGS` without CAP_NET_RAW: as it is when this process
/// lacks it, or through setpriv (util-linux) dropping it for the child.
/// `None` (reason printed) when setpriv is missing, a failure under
/// SOCKSCOPE_REQUIRE_LIVE=1.
pub fn without_cap_net_raw(args: &[&str]) -> Option<Output> {
    if !live_allowed() {
        return Some(sockscope(args));
    }
    if !require_tool("setpriv") {
        return None;
    }
    let out = Command::new("setpriv")
        .args(["--inh-caps=-all", "--bounding-set=-net_raw,-net_admin", BIN])
        .args(args)
        .env("TZ", "UTC")
        .output()
        .expect("setpriv runs");
    Some(out)
}

/// A namespace of our own holding the veth pair `a`–`b`, both up, for a
/// live test; `None` (reason printed) when capturing or namespaces are not
/// allowed here (see [`live_allowed`] and [`Netns::create_or_skip`]).
pub fn veth_or_skip(a: &str, b: &str) -> Option<Netns> {
    if !live_allowed() {
        return None;
    }
    let ns = Netns::create_or_skip()?;
    ns.veth_pair(a, b).then_some(ns)
}

/// Open a capture through `backend` (checked), or skip as [`open_or_skip`] does.
pub fn open_backend(backend: CaptureBackend, opts: LiveOptions) -> Option<LiveSource> {
    let src = open_or_skip(LiveOptions { backend, ..opts })?;
    assert_eq!(src.backend(), backend, "the backend asked for");
    Some(src)
}

/// `ip and <proto> port <port>` on `lo`, filtered in the kernel.
pub fn lo_filtered(proto: u8, port: u16) -> LiveOptions {
    LiveOptions {
        bpf: Some(eth_port_filter(proto, port)),
        ..LiveOptions::new("lo")
    }
}

/// Nanoseconds since the epoch, to compare with capture timestamps.
pub fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

/// A receiver on 127.0.0.1 (2 s read timeout), a sender connected to it,
/// and the receiver's port.
pub fn udp_pair() -> (UdpSocket, UdpSocket, u16) {
    let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = rx.local_addr().unwrap().port();
    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    tx.connect(("127.0.0.1", port)).unwrap();
    rx.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    (rx, tx, port)
}

/// An owned copy of a captured packet.
#[derive(Clone, Debug)]
pub struct Owned {
    pub ts_ns: u64,
    pub data: Vec<u8>,
    pub orig_len: u32,
}

/// Stop the source and collect everything it captured before the stop.
pub fn stop_and_collect(src: &mut LiveSource) -> Vec<Owned> {
    src.stop_handle().stop();
    let mut v = Vec::new();
    while let Some(p) = src.next_packet().expect("next_packet") {
        v.push(Owned {
            ts_ns: p.ts.0,
            data: p.data.to_vec(),
            orig_len: p.orig_len,
        });
    }
    v
}

/// TCP fields of an Ethernet/IPv4 frame: (src port, dst port, seq, ack, flags, payload length).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tcp {
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub ack: u32,
    pub syn: bool,
    pub ackf: bool,
    pub fin: bool,
    pub rst: bool,
    pub payload: usize,
}

pub fn tcp_of(frame: &[u8]) -> Tcp {
    let sp = etherparse::SlicedPacket::from_ethernet(frame).expect("decodes");
    let Some(etherparse::TransportSlice::Tcp(t)) = sp.transport else {
        panic!("not TCP: {frame:02x?}")
    };
    Tcp {
        sport: t.source_port(),
        dport: t.destination_port(),
        seq: t.sequence_number(),
        ack: t.acknowledgment_number(),
        syn: t.syn(),
        ackf: t.ack(),
        fin: t.fin(),
        rst: t.rst(),
        payload: t.payload().len(),
    }
}

/// A bound UDP receiver on 127.0.0.1: its port is known before any capture
/// starts, so the capture can filter on it (tests run in parallel on `lo`).
pub struct UdpPeer {
    rx: std::net::UdpSocket,
}

impl UdpPeer {
    pub fn new() -> UdpPeer {
        let rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        rx.set_read_timeout(Some(std::time::Duration::from_secs(2)))
            .unwrap();
        UdpPeer { rx }
    }

    pub fn port(&self) -> u16 {
        self.rx.local_addr().unwrap().port()
    }

    /// Send `n` datagrams of `len` bytes, each received before the next is
    /// sent: no ICMP, no loss.
    pub fn exchange(&self, n: usize, len: usize) {
        let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        tx.connect(self.rx.local_addr().unwrap()).unwrap();
        let mut buf = vec![0u8; len + 1];
        for i in 0..n {
            tx.send(&vec![i as u8; len]).unwrap();
            assert_eq!(self.rx.recv(&mut buf).unwrap(), len);
        }
    }
}

/// A [`UdpPeer`] for a live test, or `None` (reason printed) when this
/// process may not capture (see [`live_allowed`]).
pub fn live_peer() -> Option<UdpPeer> {
    live_allowed().then(UdpPeer::new)
}

/// [`UdpPeer::exchange`] with a fresh receiver (inside a namespace of our own).
pub fn udp_exchange(n: usize, len: usize) {
    UdpPeer::new().exchange(n, len)
}

/// Send a raw frame out of `dev` (pnet's channel), from the current netns.
pub fn inject(dev: &str, frame: &[u8]) {
    let iface = pnet_datalink::interfaces()
        .into_iter()
        .find(|i| i.name == dev)
        .unwrap_or_else(|| panic!("{dev} exists"));
    let Ok(pnet_datalink::Channel::Ethernet(mut tx, _rx)) =
        pnet_datalink::channel(&iface, Default::default())
    else {
        panic!("no pnet channel on {dev}");
    };
    tx.send_to(frame, None).expect("send").expect("sent");
}

/// How many distinct payload bytes of the client's stream (segments to
/// `port`) the capture holds, and how many were captured more than once.
/// A loaded machine may make loopback TCP retransmit (the backlog
/// overflows), so "every byte once" is asserted on the sequence space, with
/// retransmitted bytes counted apart.
pub fn client_stream_coverage(frames: &[Vec<u8>], port: u16) -> (usize, usize) {
    let segs: Vec<Tcp> = frames.iter().map(|f| tcp_of(f)).collect();
    let Some(isn) = segs
        .iter()
        .find(|s| s.syn && s.dport == port)
        .map(|s| s.seq)
    else {
        return (0, 0);
    };
    let mut spans: Vec<(u64, u64)> = segs
        .iter()
        .filter(|s| s.dport == port && s.payload > 0)
        .map(|s| {
            let start = s.seq.wrapping_sub(isn.wrapping_add(1)) as u64;
            (start, start + s.payload as u64)
        })
        .collect();
    spans.sort_unstable();
    let (mut covered, mut again, mut end) = (0u64, 0u64, 0u64);
    for (a, b) in spans {
        if a >= end {
            covered += b - a;
            end = b;
        } else {
            again += b.min(end) - a;
            if b > end {
                covered += b - end;
                end = b;
            }
        }
    }
    (covered as usize, again as usize)
}

/// A socket that asks the kernel for receive timestamps, held while a test
/// compares two captures' times of the same packets. The kernel stamps a
/// packet on arrival only once some socket on the system has asked, and
/// turns that on from a work queue; until then the pnet backend stamps a
/// packet when it reads it, so two captures would disagree. This socket
/// asks first and gives the work queue time to run, and keeps arrival
/// stamps on until it is dropped.
pub fn kernel_timestamps_on() -> UdpSocket {
    use std::os::fd::AsRawFd;
    let s = UdpSocket::bind("127.0.0.1:0").expect("a UDP socket");
    let on: libc::c_int = 1;
    // SAFETY: a valid descriptor and a c_int option value of its size.
    let r = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_TIMESTAMPNS,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(r, 0, "SO_TIMESTAMPNS: {}", std::io::Error::last_os_error());
    std::thread::sleep(Duration::from_millis(300));
    s
}
