//! Live capture from an interface through an AF_PACKET socket (the socket
//! and ring calls are in [`crate::sys`]; this module only reads bytes).
//! Here: what to capture ([`LiveOptions`]), which engine reads it
//! ([`CaptureBackend`]), the source itself ([`LiveSource`]) and how to stop
//! it ([`StopHandle`]); the engines are in `ring.rs` and `pnet.rs`, and
//! `frame.rs` shapes what either received into the packet a file would hold,
//! and `fanout.rs` opens several rings in one PACKET_FANOUT group.
//!
//! Why a TPACKET_V3 ring and not pnet's channel: pnet's receiver is poll +
//! recvfrom into a 4096-byte buffer, which cuts 64 KiB loopback segments,
//! throws away the packet type (so loopback packets come twice) and gives
//! neither kernel timestamps nor drop counters. The ring gives all of that
//! per packet (`tpacket3_hdr` + `sockaddr_ll`) and costs one poll per block
//! instead of a syscall per packet. pnet is still used to list interfaces,
//! and its channel is the portable path ([`CaptureBackend::Pnet`]) where the
//! kernel has no TPACKET_V3 ring (gVisor, kernels before 3.2): chosen in
//! [`LiveOptions::backend`], or automatically when the ring cannot be set up.
//! The library reads no environment variables: the command line decides.

mod error;
mod fanout;
mod frame;
pub mod list;
mod pnet;
mod ring;

pub use error::LiveError;
pub use fanout::open_fanout;

use crate::filter::bpf::{BpfInsn, cooked_kernel_program};
use crate::packet::{LinkType, Packet, Timestamp};
use crate::source::{PacketSource, SourceError, SourceStats};
use crate::sys::{self, EventFd, LinkAddr, PacketSocket, SockKind};
use std::borrow::Borrow;
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The snap length tcpdump uses when none (or 0) is given.
pub const DEFAULT_SNAPLEN: u32 = 262_144;
/// Default ring size: large enough that a burst of small packets on a busy
/// loopback does not overflow while the printer catches up.
pub const DEFAULT_BUFFER_BYTES: usize = 32 << 20;
pub use crate::packet::SLL2_HEADER_LEN;

/// How long one poll waits (a safety net: stop() wakes it through an eventfd).
const POLL_MS: i32 = 50;

const ARPHRD_ETHER: u32 = 1;
const ARPHRD_LOOPBACK: u32 = 772;

/// What to capture and how.
#[derive(Clone, Debug)]
pub struct LiveOptions {
    /// Interface name, or `any` for all interfaces (Linux cooked SLL2 headers).
    pub interface: String,
    /// Bytes kept of each packet, link header included; 0 means 262144.
    pub snaplen: u32,
    /// Put the interface into promiscuous mode (ignored for `any`).
    pub promisc: bool,
    /// A classic-BPF program the kernel runs on each packet, compiled for
    /// [`LiveOptions::link_type`] (what the capture yields). Rejected packets
    /// never reach us and are not counted. For cooked captures (`any`) the
    /// kernel sees packets without the SLL2 header; the program is rewritten
    /// for that as libpcap does, and if it cannot be (it reads SLL2 fields
    /// other than protocol, ifindex and packet type, or the length), none is
    /// attached: see [`LiveSource::kernel_filter_attached`].
    pub bpf: Option<Vec<BpfInsn>>,
    /// Size of the kernel ring in bytes (rounded to whole blocks); for the
    /// pnet backend, the socket's receive buffer.
    pub buffer_bytes: usize,
    /// Capture engine; [`LiveOptions::new`] picks the ring.
    pub backend: CaptureBackend,
    /// Which packets by direction (tcpdump's `-Q`).
    pub direction: Direction,
    /// Hand each packet over at once (`--immediate-mode`): the ring's
    /// blocks retire after 1 ms instead of 10 ms.
    pub immediate: bool,
    /// Nothing reads the packets as they come (a `-w` file without `-U`,
    /// no lines): the ring (or each ring of a fanout group) holds its blocks
    /// longer, waking its reader less often (see `ring::retire_ms`).
    pub unwatched: bool,
}

/// tcpdump's `-Q in|out|inout`: packets this host received, sent, or both,
/// by the packet type the kernel gives each one (PACKET_OUTGOING or not).
/// On `lo` every packet is both: as libpcap does, its outgoing copy is
/// never kept, so `out` sees nothing there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
    #[default]
    InOut,
}

/// Which engine a [`LiveSource`] reads packets with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CaptureBackend {
    /// A TPACKET_V3 memory-mapped ring: kernel timestamps, one poll per
    /// block. Where the kernel cannot set one up (the error means "not
    /// supported"), the capture falls back to [`CaptureBackend::Pnet`] and
    /// says so in one line on stderr.
    #[default]
    Ring,
    /// pnet_datalink's channel (poll + recvfrom per packet) on a socket
    /// configured here: the portable path. Slower; see `live/pnet.rs`.
    Pnet,
}

impl CaptureBackend {
    pub fn name(self) -> &'static str {
        match self {
            CaptureBackend::Ring => "ring",
            CaptureBackend::Pnet => "pnet",
        }
    }
}

impl std::str::FromStr for CaptureBackend {
    type Err = String;
    fn from_str(s: &str) -> Result<CaptureBackend, String> {
        match s {
            "ring" => Ok(CaptureBackend::Ring),
            "pnet" => Ok(CaptureBackend::Pnet),
            other => Err(format!(
                "unknown capture backend {other:?} (expected ring or pnet)"
            )),
        }
    }
}

impl std::fmt::Display for CaptureBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl LiveOptions {
    /// Defaults: tcpdump's snap length, promiscuous, no filter, 32 MiB ring,
    /// the ring backend.
    pub fn new(interface: impl Into<String>) -> LiveOptions {
        LiveOptions {
            interface: interface.into(),
            snaplen: DEFAULT_SNAPLEN,
            promisc: true,
            bpf: None,
            buffer_bytes: DEFAULT_BUFFER_BYTES,
            backend: CaptureBackend::default(),
            direction: Direction::default(),
            immediate: false,
            unwatched: false,
        }
    }

    /// The snap length in force: 0 asks for tcpdump's default.
    fn snaplen_or_default(&self) -> u32 {
        if self.snaplen == 0 {
            DEFAULT_SNAPLEN
        } else {
            self.snaplen
        }
    }

    /// The link type of the packets this capture yields (and writes to pcap).
    pub fn link_type(&self) -> Result<LinkType, SourceError> {
        Ok(resolve(&self.interface)?.link)
    }
}

impl Default for LiveOptions {
    /// Capture on `lo` with the defaults of [`LiveOptions::new`].
    fn default() -> LiveOptions {
        LiveOptions::new("lo")
    }
}

/// Makes a running [`LiveSource`] end: `next_packet` hands out what the
/// kernel received before `stop()` was called, then returns `Ok(None)`. An
/// eventfd wakes a waiting reader at once; collecting a last, partly filled
/// block takes at most 10 ms more (the block retire timeout). Usable from any thread or a
/// signal handler thread (`ctrlc`).
#[derive(Clone, Debug)]
pub struct StopHandle {
    /// Stop time in ns since the epoch; 0 = running.
    stop_at: Arc<AtomicU64>,
    /// Wakes the reader's poll at once.
    wake: Arc<EventFd>,
}

impl StopHandle {
    fn new() -> std::io::Result<StopHandle> {
        Ok(StopHandle {
            stop_at: Arc::new(AtomicU64::new(0)),
            wake: Arc::new(EventFd::new()?),
        })
    }

    pub fn stop(&self) {
        let now = now_ns().max(1);
        // Keep the first stop time if stop() is called twice.
        let _ = self
            .stop_at
            .compare_exchange(0, now, Ordering::SeqCst, Ordering::SeqCst);
        self.wake.signal();
    }

    pub fn is_stopped(&self) -> bool {
        self.stop_at.load(Ordering::SeqCst) != 0
    }

    /// Stop time in ns, once someone asked to stop.
    fn stop_time(&self) -> Option<u64> {
        match self.stop_at.load(Ordering::Relaxed) {
            0 => None,
            t => Some(t),
        }
    }

    /// The eventfd a waiting reader polls beside its socket.
    fn wake_fd(&self) -> &EventFd {
        &self.wake
    }
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// What a failed socket step on `iface` returns; `backend` is named when it
/// is not the default ring.
fn socket_step(
    iface: &str,
    backend: Option<CaptureBackend>,
) -> impl Fn(&'static str, std::io::Error) -> SourceError + '_ {
    move |step, e| LiveError::socket(iface, backend, step, e).into()
}

/// An interface resolved to what the socket needs.
#[derive(Clone, Copy, Debug)]
struct Resolved {
    ifindex: u32,
    kind: SockKind,
    link: LinkType,
}

/// Name → index, socket kind and link type; an unknown name lists the
/// interfaces that exist.
fn resolve(name: &str) -> Result<Resolved, SourceError> {
    if name == "any" {
        return Ok(Resolved {
            ifindex: 0,
            kind: SockKind::Cooked,
            link: LinkType::LinuxSll2,
        });
    }
    let Some(ifindex) = sys::if_nametoindex(name) else {
        return Err(LiveError::NoSuchInterface {
            name: name.to_string(),
            known: interface_names(),
        }
        .into());
    };
    // ARPHRD_* type: Ethernet and loopback frames carry an Ethernet header;
    // anything else (tun, ipip, wireguard …) is captured cooked, as libpcap does.
    let hatype = std::fs::read_to_string(format!("/sys/class/net/{name}/type"))
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .unwrap_or(ARPHRD_ETHER);
    let (kind, link) = match hatype {
        ARPHRD_ETHER | ARPHRD_LOOPBACK => (SockKind::Raw, LinkType::Ethernet),
        _ => (SockKind::Cooked, LinkType::LinuxSll2),
    };
    Ok(Resolved {
        ifindex,
        kind,
        link,
    })
}

/// Names of the interfaces that exist, plus the `any` pseudo-device.
pub fn interface_names() -> Vec<String> {
    let mut names: Vec<String> = pnet_datalink::interfaces()
        .into_iter()
        .map(|i| i.name)
        .collect();
    names.push("any".to_string());
    names
}

/// Open the AF_PACKET socket; a permission error says how to get CAP_NET_RAW.
fn open_socket(iface: &str, kind: SockKind) -> Result<PacketSocket, SourceError> {
    PacketSocket::open(kind).map_err(|e| {
        if matches!(e.raw_os_error(), Some(libc::EPERM) | Some(libc::EACCES)) {
            let exe = std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| "sockscope".to_string());
            LiveError::NeedsCapNetRaw {
                interface: iface.to_string(),
                exe,
                source: e,
            }
            .into()
        } else {
            LiveError::socket(iface, None, "opening an AF_PACKET socket", e).into()
        }
    })
}

/// Both backends, before packets flow: on `lo` the kernel drops the outgoing
/// copy of each packet, and the options' BPF program (rewritten for a cooked
/// socket) is attached. Returns `lo`'s index, whose outgoing copies the
/// reader still skips where the kernel lacks the option, and whether a
/// kernel filter is attached.
fn attach_kernel_filter(
    sock: &PacketSocket,
    opts: &LiveOptions,
    r: Resolved,
    ctx: &dyn Fn(&'static str, std::io::Error) -> SourceError,
) -> Result<(Option<u32>, bool), SourceError> {
    let lo_ifindex = sys::if_nametoindex("lo");
    if r.ifindex != 0 && Some(r.ifindex) == lo_ifindex {
        // On lo every packet passes the tap twice (out and in); keep one.
        // Not on other interfaces: their outgoing packets are real traffic.
        // Kernels before 4.20 lack the option: then the reader skips the
        // outgoing copy in user space (the kernel counters count both).
        let _ = sock.set_ignore_outgoing();
    } else if opts.direction == Direction::In {
        // `-Q in`: the kernel need not copy what we send at all (the
        // reader still skips it where the option is missing).
        let _ = sock.set_ignore_outgoing();
    }
    let kernel_prog = kernel_program(opts, r.kind);
    if let Some(prog) = &kernel_prog {
        sock.attach_filter(prog)
            .map_err(|e| ctx("attaching the BPF filter (SO_ATTACH_FILTER)", e))?;
    }
    Ok((lo_ifindex, kernel_prog.is_some()))
}

/// What both backends keep about a capture, whatever reads the packets.
struct Capture {
    interface: String,
    /// Whether the kernel runs the options' filter.
    kernel_filter: bool,
    kind: SockKind,
    link: LinkType,
    /// Effective snap length (0 was turned into the default).
    snaplen: u32,
    /// Index of `lo`: its outgoing copies are skipped (each packet once).
    lo_ifindex: Option<u32>,
    /// `-Q`.
    direction: Direction,
    /// Where an SLL2 header or a VLAN tag is put in front of or into a frame.
    scratch: Vec<u8>,
    stop: StopHandle,
    /// Packets handed out so far.
    captured: u64,
    counters: KernelCounters,
}

impl Capture {
    fn new(
        opts: &LiveOptions,
        r: Resolved,
        lo_ifindex: Option<u32>,
        kernel_filter: bool,
        stop: StopHandle,
    ) -> Capture {
        Capture {
            interface: opts.interface.clone(),
            kernel_filter,
            kind: r.kind,
            link: r.link,
            snaplen: opts.snaplen_or_default(),
            lo_ifindex,
            direction: opts.direction,
            scratch: Vec::with_capacity(SLL2_HEADER_LEN + 65_536),
            stop,
            captured: 0,
            counters: KernelCounters::default(),
        }
    }

    /// Packets not handed out: the outgoing copy of a loopback packet (on
    /// `any`, or on kernels without PACKET_IGNORE_OUTGOING; the incoming
    /// copy is the one kept), and those `-Q` leaves out.
    fn skips(&self, from: &LinkAddr) -> bool {
        let outgoing = from.pkttype == libc::PACKET_OUTGOING;
        if outgoing && self.lo_ifindex.is_some_and(|lo| lo as i32 == from.ifindex) {
            return true;
        }
        match self.direction {
            Direction::In => outgoing,
            Direction::Out => !outgoing,
            Direction::InOut => false,
        }
    }
}

/// PACKET_STATISTICS as running totals: the kernel resets its counters on
/// every read. Works the same with and without a ring.
#[derive(Debug, Default)]
struct KernelCounters {
    packets: Cell<u64>,
    drops: Cell<u64>,
}

impl KernelCounters {
    /// Fold what the kernel counted since the last read in, and report.
    fn read(&self, sock: &PacketSocket) -> SourceStats {
        if let Ok((packets, drops)) = sock.take_stats() {
            self.packets.set(self.packets.get() + packets as u64);
            self.drops.set(self.drops.get() + drops as u64);
        }
        SourceStats {
            received: self.packets.get(),
            dropped_by_kernel: Some(self.drops.get()),
        }
    }
}

/// The program the kernel runs, if the options carry one it can take, in
/// the kernel's own instruction type.
fn kernel_program(opts: &LiveOptions, kind: SockKind) -> Option<Vec<libc::sock_filter>> {
    let prog = match (&opts.bpf, kind) {
        (Some(prog), SockKind::Raw) => prog.clone(),
        (Some(prog), SockKind::Cooked) => cooked_kernel_program(prog)?,
        (None, _) => return None,
    };
    Some(
        prog.iter()
            .map(|i| libc::sock_filter {
                code: i.code,
                jt: i.jt,
                jf: i.jf,
                k: i.k,
            })
            .collect(),
    )
}

/// A live capture through one of the [`CaptureBackend`]s. Packets borrow
/// the ring or pnet's read buffer (or a scratch buffer where an SLL2 header
/// or a VLAN tag is put in).
pub struct LiveSource {
    inner: Backend,
}

enum Backend {
    Ring(ring::RingSource),
    Pnet(pnet::PnetSource),
}

/// `$e` evaluated with `$s` bound to whichever backend is in use.
macro_rules! each {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            Backend::Ring($s) => $e,
            Backend::Pnet($s) => $e,
        }
    };
}

impl std::fmt::Debug for LiveSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSource")
            .field("backend", &self.backend())
            .field("interface", &self.interface())
            .field("link", &self.link_type())
            .field("snaplen", &self.snaplen())
            .field("captured", &self.captured())
            .finish_non_exhaustive()
    }
}

impl LiveSource {
    /// Open and start the capture. Once this returns, every packet that
    /// arrives afterwards on the interface is captured (or counted as dropped).
    /// Takes the options by value or by reference.
    pub fn open(opts: impl Borrow<LiveOptions>) -> Result<LiveSource, SourceError> {
        let opts: &LiveOptions = opts.borrow();
        let iface = opts.interface.as_str();
        let r = resolve(iface)?;
        if r.ifindex != 0 {
            let down = pnet_datalink::interfaces()
                .into_iter()
                .any(|i| i.index == r.ifindex && !i.is_up());
            if down {
                return Err(LiveError::InterfaceDown {
                    interface: iface.to_string(),
                }
                .into());
            }
        }
        let inner = match opts.backend {
            CaptureBackend::Pnet => Backend::Pnet(pnet::PnetSource::open(opts, r)?),
            CaptureBackend::Ring => match ring::RingSource::open(opts, r, None) {
                Ok(s) => Backend::Ring(s),
                Err(ring::RingOpenError::Failed(e)) => return Err(e),
                Err(ring::RingOpenError::Unsupported(why)) => {
                    eprintln!(
                        "sockscope: no TPACKET_V3 ring on this system ({why}); capturing through pnet's channel instead"
                    );
                    Backend::Pnet(pnet::PnetSource::open(opts, r)?)
                }
            },
        };
        Ok(LiveSource { inner })
    }

    /// The engine actually in use (after any fallback).
    pub fn backend(&self) -> CaptureBackend {
        match self.inner {
            Backend::Ring(_) => CaptureBackend::Ring,
            Backend::Pnet(_) => CaptureBackend::Pnet,
        }
    }

    /// A handle that ends the capture from another thread or a signal handler.
    pub fn stop_handle(&self) -> StopHandle {
        each!(&self.inner, s => s.cap.stop.clone())
    }

    /// Link type of the packets yielded.
    pub fn link_type(&self) -> LinkType {
        each!(&self.inner, s => s.cap.link)
    }

    /// Effective snap length (0 was turned into the default).
    pub fn snaplen(&self) -> u32 {
        each!(&self.inner, s => s.cap.snaplen)
    }

    pub fn interface(&self) -> &str {
        each!(&self.inner, s => &s.cap.interface)
    }

    /// Whether the kernel filters (a `bpf` program was given and could be
    /// attached); when false, every packet reaches user space.
    pub fn kernel_filter_attached(&self) -> bool {
        each!(&self.inner, s => s.cap.kernel_filter)
    }

    /// Packets handed out so far.
    pub fn captured(&self) -> u64 {
        each!(&self.inner, s => s.cap.captured)
    }

    /// Whether [`PacketSource::next_packet`] would return a packet without
    /// waiting for the kernel (a worker hands its batch on before it waits).
    /// Always false for the pnet backend, which cannot tell.
    pub fn has_ready(&self) -> bool {
        match &self.inner {
            Backend::Ring(s) => s.has_ready(),
            Backend::Pnet(_) => false,
        }
    }

    /// When nothing is ready: a time (ns since the epoch) such that every
    /// packet this source hands out later was stamped at or after about it
    /// (what a merge of several rings may write up to). `None` while
    /// packets are ready, and always for the pnet backend.
    pub fn caught_up(&self) -> Option<Timestamp> {
        match &self.inner {
            Backend::Ring(s) => s.caught_up().map(Timestamp),
            Backend::Pnet(_) => None,
        }
    }

    /// How long the kernel keeps a block it is filling before handing it
    /// over (ms): the longest a packet waits in the ring. 0 for the pnet
    /// backend, which gets each packet as it comes.
    pub fn retire_ms(&self) -> i32 {
        match &self.inner {
            Backend::Ring(s) => s.retire_ms(),
            Backend::Pnet(_) => 0,
        }
    }

    /// Whether packets wait in the block the kernel is filling: the ring
    /// wakes its reader when it hands that block over (within its retire
    /// timeout), and [`LiveSource::caught_up`] says nothing newer before.
    /// False for the pnet backend.
    pub fn filling(&self) -> bool {
        match &self.inner {
            Backend::Ring(s) => s.filling(),
            Backend::Pnet(_) => false,
        }
    }

    /// Wait up to `ms` milliseconds for packets; false if none came (for
    /// the pnet backend, true at once: `next_packet` waits).
    pub fn wait_ready(&self, ms: i32) -> bool {
        match &self.inner {
            Backend::Ring(s) => s.wait_ready(ms),
            Backend::Pnet(_) => true,
        }
    }
}

impl PacketSource for LiveSource {
    fn next_packet(&mut self) -> Result<Option<Packet<'_>>, SourceError> {
        each!(&mut self.inner, s => s.next_packet())
    }

    /// The pnet backend cannot tell: it may always wait.
    fn may_wait(&self) -> bool {
        !self.has_ready()
    }

    fn stats(&self) -> SourceStats {
        each!(&self.inner, s => s.stats())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_moves_to_a_capture_thread_and_handles_are_shareable() {
        fn send<T: Send>() {}
        fn send_sync_clone<T: Send + Sync + Clone>() {}
        send::<LiveSource>();
        send_sync_clone::<StopHandle>();
    }

    #[test]
    fn backend_names_parse_and_print() {
        for b in [CaptureBackend::Ring, CaptureBackend::Pnet] {
            assert_eq!(b.to_string().parse::<CaptureBackend>(), Ok(b));
        }
        assert_eq!(CaptureBackend::default(), CaptureBackend::Ring);
        assert_eq!(LiveOptions::new("lo").backend, CaptureBackend::Ring);
        let err = "mmap".parse::<CaptureBackend>().unwrap_err();
        assert_eq!(
            err,
            "unknown capture backend \"mmap\" (expected ring or pnet)"
        );
    }

    #[test]
    fn unknown_interface_lists_existing_ones() {
        let err = resolve("nosuch0").expect_err("must fail");
        let msg = err.to_string();
        assert!(msg.contains("no interface named \"nosuch0\""), "{msg}");
        assert!(msg.contains("lo"), "{msg}");
        assert!(msg.contains("any"), "{msg}");
    }

    #[test]
    fn any_is_cooked_sll2_and_lo_is_ethernet() {
        assert_eq!(
            LiveOptions::new("any").link_type().unwrap(),
            LinkType::LinuxSll2
        );
        assert_eq!(
            LiveOptions::new("lo").link_type().unwrap(),
            LinkType::Ethernet
        );
    }
}
