//! Shared by the live capture tests: the CAP_NET_RAW gate, hand-written BPF
//! programs that keep each test's own ports (tests run in parallel on `lo`),
//! and small packet parsers.
#![allow(dead_code)]

use sockscope::filter::bpf::BpfInsn;
use sockscope::source::PacketSource;
use sockscope::source::live::{LiveOptions, LiveSource};

pub const UDP: u8 = 17;
pub const TCP: u8 = 6;

/// Open a capture, or decide to skip: `None` (with the reason printed) when
/// the process lacks CAP_NET_RAW, unless SOCKSCOPE_REQUIRE_LIVE=1 makes that a failure.
pub fn open_or_skip(opts: LiveOptions) -> Option<LiveSource> {
    match LiveSource::open(opts) {
        Ok(s) => Some(s),
        Err(e) => {
            let msg = e.to_string();
            if msg.contains("CAP_NET_RAW")
                && std::env::var("SOCKSCOPE_REQUIRE_LIVE").as_deref() != Ok("1")
            {
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
    let p = port as u32;
    vec![
        insn(0x28, 0, 0, 12),           // ldh [12]  ethertype
        insn(0x15, 0, 10, 0x0800),      // jeq IPv4
        insn(0x30, 0, 0, 23),           // ldb [23]  protocol
        insn(0x15, 0, 8, proto as u32), //
        insn(0x28, 0, 0, 20),           // ldh [20]  fragment offset
        insn(0x45, 6, 0, 0x1fff),       // jset: not the first fragment
        insn(0xb1, 0, 0, 14),           // ldxb 4*([14]&0xf)
        insn(0x48, 0, 0, 14),           // ldh [x+14] src port
        insn(0x15, 2, 0, p),            //
        insn(0x48, 0, 0, 16),           // ldh [x+16] dst port
        insn(0x15, 0, 1, p),            //
        ret(262_144),
        ret(0),
    ]
}

/// `ip and <proto> port <port>` for LINUX_SLL2 (`any`), as `tcpdump -dd -y LINUX_SLL2` compiles it.
pub fn sll2_port_filter(proto: u8, port: u16) -> Vec<BpfInsn> {
    let p = port as u32;
    vec![
        insn(0x28, 0, 0, 0),            // ldh [0]  protocol
        insn(0x15, 0, 10, 0x0800),      // jeq IPv4
        insn(0x30, 0, 0, 29),           // ldb [29] IP protocol
        insn(0x15, 0, 8, proto as u32), //
        insn(0x28, 0, 0, 26),           // ldh [26] fragment offset
        insn(0x45, 6, 0, 0x1fff),       //
        insn(0xb1, 0, 0, 20),           // ldxb 4*([20]&0xf)
        insn(0x48, 0, 0, 20),           // ldh [x+20] src port
        insn(0x15, 2, 0, p),            //
        insn(0x48, 0, 0, 22),           // ldh [x+22] dst port
        insn(0x15, 0, 1, p),            //
        ret(262_144),
        ret(0),
    ]
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

/// A network namespace of our own with `lo` up: its loopback carries only
/// this test's packets, and taking it down harms nobody. Deleted on drop.
pub struct Netns(pub String);

impl Netns {
    /// `None` (reason printed) if namespaces cannot be made here (that takes
    /// CAP_SYS_ADMIN, which a container may lack even as root); a failure
    /// only under SOCKSCOPE_REQUIRE_NETNS=1.
    pub fn create_or_skip() -> Option<Netns> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "sockscope-live-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let ok = std::process::Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            if std::env::var("SOCKSCOPE_REQUIRE_NETNS").as_deref() == Ok("1") {
                panic!("`ip netns add` failed (needs iproute2 and CAP_SYS_ADMIN)");
            }
            eprintln!("SKIPPED: cannot create a network namespace (`ip netns add`)");
            return None;
        }
        let ns = Netns(name);
        let up = ns
            .exec(&["ip", "link", "set", "lo", "up"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(up, "could not bring lo up in {}", ns.0);
        Some(ns)
    }

    /// A veth pair, both ends up; false (reason printed) if veth is unavailable.
    pub fn veth_pair(&self, a: &str, b: &str) -> bool {
        let ok = |args: &[&str]| self.exec(args).status().is_ok_and(|s| s.success());
        if !ok(&["ip", "link", "add", a, "type", "veth", "peer", "name", b]) {
            eprintln!("SKIPPED: cannot create a veth pair");
            return false;
        }
        assert!(ok(&["ip", "link", "set", a, "up"]) && ok(&["ip", "link", "set", b, "up"]));
        true
    }

    /// A command run inside the namespace.
    pub fn exec(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new("ip");
        c.args(["netns", "exec", &self.0]).args(args);
        c
    }

    /// Run `f` on a thread that joined the namespace: sockets it opens live there.
    pub fn run<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        use std::os::fd::AsRawFd;
        let path = format!("/run/netns/{}", self.0);
        std::thread::scope(|s| {
            s.spawn(|| {
                let file = std::fs::File::open(&path).expect("open the netns file");
                // SAFETY: setns on a valid namespace fd affects only this thread.
                let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
                assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
                f()
            })
            .join()
            .expect("netns thread panicked")
        })
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = std::process::Command::new("ip")
            .args(["netns", "del", &self.0])
            .status();
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

/// [`UdpPeer::exchange`] with a fresh receiver (inside a namespace of our own).
pub fn udp_exchange(n: usize, len: usize) {
    UdpPeer::new().exchange(n, len)
}

/// A classic pcap file, checked record by record.
#[derive(Debug)]
pub struct PcapFile {
    pub nanos: bool,
    pub snaplen: u32,
    pub linktype: u32,
    /// (captured length, original length, bytes)
    pub records: Vec<(u32, u32, Vec<u8>)>,
}

/// Parse a whole pcap file; panics with the reason if it is not valid to the last byte.
pub fn parse_pcap(bytes: &[u8]) -> PcapFile {
    assert!(
        bytes.len() >= 24,
        "pcap shorter than its header: {} bytes",
        bytes.len()
    );
    let u32le = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let magic = u32le(bytes, 0);
    let nanos = match magic {
        0xa1b2_3c4d => true,
        0xa1b2_c3d4 => false,
        m => panic!("not a little-endian pcap: magic {m:#x}"),
    };
    let snaplen = u32le(bytes, 16);
    let linktype = u32le(bytes, 20);
    let mut records = Vec::new();
    let mut at = 24;
    while at < bytes.len() {
        assert!(at + 16 <= bytes.len(), "record header cut at byte {at}");
        let incl = u32le(bytes, at + 8);
        let orig = u32le(bytes, at + 12);
        assert!(
            incl <= orig && incl <= snaplen,
            "record at {at}: incl {incl} orig {orig}"
        );
        let end = at + 16 + incl as usize;
        assert!(end <= bytes.len(), "record data cut at byte {at}");
        records.push((incl, orig, bytes[at + 16..end].to_vec()));
        at = end;
    }
    PcapFile {
        nanos,
        snaplen,
        linktype,
        records,
    }
}

/// Source MAC of [`vlan_frame`], to pick it out among the link's own chatter.
pub const VLAN_SRC_MAC: [u8; 6] = [0x02, 0x5c, 0x5c, 0x5c, 0x5c, 0x01];

/// A broadcast 802.1Q-tagged frame (VLAN 5, priority 1) carrying
/// 10.0.0.1.12345 > 10.0.0.2.12345 UDP "vlan".
pub fn vlan_frame() -> Vec<u8> {
    let mut frame = vec![0xff; 6];
    frame.extend_from_slice(&VLAN_SRC_MAC);
    frame.extend_from_slice(&[0x81, 0x00, 0x20, 0x05, 0x08, 0x00]);
    frame.extend_from_slice(&[
        0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, // IPv4
        0x30, 0x39, 0x30, 0x39, 0, 12, 0, 0, b'v', b'l', b'a', b'n', // UDP
    ]);
    frame
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

/// Send `sig` (libc::SIGTERM, SIGINT …) to a child we started; no dependency
/// on a `kill` binary.
pub fn signal(child: &std::process::Child, sig: libc::c_int) {
    // SAFETY: kill(2) on the pid of our own child process.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, sig) };
    assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());
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
