//! Live capture from an interface through an AF_PACKET socket with a
//! TPACKET_V3 memory-mapped ring (the socket and ring calls are in
//! [`crate::sys`]; this module only reads bytes).
//!
//! Why a ring and not pnet's channel: pnet's receiver is poll + recvfrom into
//! a 4096-byte buffer, which cuts 64 KiB loopback segments, throws away the
//! packet type (so loopback packets come twice) and gives neither kernel
//! timestamps nor drop counters. The ring gives all of that per packet
//! (`tpacket3_hdr` + `sockaddr_ll`) and costs one poll per block instead of a
//! syscall per packet. pnet is still used to list interfaces, and its
//! channel is the portable path ([`CaptureBackend::Pnet`], in
//! `live/pnet_channel.rs`) where the kernel has no TPACKET_V3 ring
//! (gVisor, kernels before 3.2): chosen with `--backend pnet`,
//! `SOCKSCOPE_CAPTURE_BACKEND=pnet`, or automatically when the ring cannot
//! be set up.

mod pnet;

use crate::filter::bpf::{BpfInsn, cooked_kernel_program};
use crate::packet::{LinkType, Packet, Timestamp};
use crate::source::{PacketSource, SourceError, SourceStats};
use crate::sys::{self, EventFd, PacketSocket, Readiness, Ring, SockKind};
use std::borrow::Borrow;
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The snap length tcpdump uses when none (or 0) is given.
pub const DEFAULT_SNAPLEN: u32 = 262_144;
/// Default ring size: large enough that a burst of small packets on a busy
/// loopback does not overflow while the printer catches up.
pub const DEFAULT_BUFFER_BYTES: usize = 32 << 20;
const ETH_P_8021Q: u16 = 0x8100;
const VLAN_TAG_LEN: usize = 4;
/// The largest packet the ring is sized for: a 64 KiB segment plus link headers.
const MAX_PACKET: usize = 65_536 + 256;
pub use crate::packet::SLL2_HEADER_LEN;

/// A block is handed to us when full or after this long: the latency of a
/// quiet capture (and of the end-of-capture drain).
const BLOCK_RETIRE_MS: u32 = 10;
/// How long one poll waits (a safety net: stop() wakes it through an eventfd).
const POLL_MS: i32 = 50;
/// After a stop, how long to wait for the block holding the last packets to retire.
const DRAIN_MS: u64 = 4 * BLOCK_RETIRE_MS as u64;

const ARPHRD_ETHER: u32 = 1;
const ARPHRD_LOOPBACK: u32 = 772;

// Offsets inside the ring (linux/if_packet.h). Blocks: tpacket_block_desc.
const BLK_NUM_PKTS: usize = 12;
const BLK_FIRST_PKT: usize = 16;
// Packets: tpacket3_hdr, then sockaddr_ll at TPACKET_ALIGN(sizeof tpacket3_hdr) = 48.
const PKT_NEXT_OFFSET: usize = 0;
const PKT_SEC: usize = 4;
const PKT_NSEC: usize = 8;
const PKT_SNAPLEN: usize = 12;
const PKT_LEN: usize = 16;
const PKT_STATUS: usize = 20;
const PKT_MAC: usize = 24;
const PKT_VLAN_TCI: usize = 32;
const PKT_VLAN_TPID: usize = 36;
const PKT_SLL: usize = 48;
// sockaddr_ll fields.
const SLL_PROTOCOL: usize = 2;
const SLL_IFINDEX: usize = 4;
const SLL_HATYPE: usize = 8;
const SLL_PKTTYPE: usize = 10;
const SLL_HALEN: usize = 11;
const SLL_ADDR: usize = 12;

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
    /// Capture engine. [`LiveOptions::new`] takes it from
    /// `SOCKSCOPE_CAPTURE_BACKEND` when that is `ring` or `pnet`.
    pub backend: CaptureBackend,
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
    /// configured here: the portable path. Slower; see `pnet_channel`.
    Pnet,
}

impl CaptureBackend {
    /// The environment variable [`LiveOptions::new`] reads.
    pub const ENV: &'static str = "SOCKSCOPE_CAPTURE_BACKEND";

    pub fn name(self) -> &'static str {
        match self {
            CaptureBackend::Ring => "ring",
            CaptureBackend::Pnet => "pnet",
        }
    }

    /// The backend named in `SOCKSCOPE_CAPTURE_BACKEND`: `None` when unset
    /// or empty, an error naming the bad value otherwise.
    pub fn from_env() -> Result<Option<CaptureBackend>, String> {
        match std::env::var(Self::ENV) {
            Ok(v) if v.is_empty() => Ok(None),
            Ok(v) => v
                .parse()
                .map(Some)
                .map_err(|e| format!("{}: {e}", Self::ENV)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(e) => Err(format!("{}: {e}", Self::ENV)),
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
    /// the ring backend unless `SOCKSCOPE_CAPTURE_BACKEND` names another
    /// (an invalid value is ignored here; the CLI reports it).
    pub fn new(interface: impl Into<String>) -> LiveOptions {
        LiveOptions {
            interface: interface.into(),
            snaplen: DEFAULT_SNAPLEN,
            promisc: true,
            bpf: None,
            buffer_bytes: DEFAULT_BUFFER_BYTES,
            backend: CaptureBackend::from_env()
                .ok()
                .flatten()
                .unwrap_or_default(),
        }
    }

    /// The link type of the packets this capture yields (and writes to pcap).
    pub fn link_type(&self) -> Result<LinkType, SourceError> {
        Ok(resolve(&self.interface)?.link)
    }
}

/// Another name for [`LiveOptions`].
pub type LiveConfig = LiveOptions;

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
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
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
        return Err(SourceError::Message(format!(
            "no interface named {name:?}; interfaces: {} (see `sockscope interfaces`)",
            interface_names().join(", ")
        )));
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

fn permission_message(iface: &str, err: &std::io::Error) -> String {
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "sockscope".to_string());
    format!(
        "capturing on {iface} needs the CAP_NET_RAW capability (opening an AF_PACKET socket failed: {err}).\n\
         Run it as root (sudo {exe} capture -i {iface} …), or give the binary the capability once:\n\
         \x20   sudo setcap cap_net_raw,cap_net_admin=eip {exe}"
    )
}

/// Open the AF_PACKET socket; a permission error says how to get CAP_NET_RAW.
fn open_socket(iface: &str, kind: SockKind) -> Result<PacketSocket, SourceError> {
    PacketSocket::open(kind).map_err(|e| {
        if matches!(e.raw_os_error(), Some(libc::EPERM) | Some(libc::EACCES)) {
            SourceError::Message(permission_message(iface, &e))
        } else {
            SourceError::Message(format!(
                "capture on {iface}: opening an AF_PACKET socket failed: {e}"
            ))
        }
    })
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

/// Whether a failure to set up the ring means the kernel (or sandbox) has
/// none, so the pnet path is worth trying; `version_step` is true when it
/// was switching the socket to TPACKET_V3 that failed (EINVAL there means
/// the version is unknown, while elsewhere it may be our ring geometry).
fn ring_unsupported(err: &std::io::Error, version_step: bool) -> bool {
    match err.raw_os_error() {
        Some(libc::ENOPROTOOPT | libc::EOPNOTSUPP | libc::ENOSYS | libc::ENODEV) => true,
        Some(libc::EINVAL) => version_step,
        _ => false,
    }
}

/// Why the ring backend did not open.
enum RingOpenError {
    /// The kernel has no TPACKET_V3 ring for us: the text says which call failed.
    Unsupported(String),
    Failed(SourceError),
}

impl From<SourceError> for RingOpenError {
    fn from(e: SourceError) -> RingOpenError {
        RingOpenError::Failed(e)
    }
}

/// Where the reader is inside the current ring block.
#[derive(Clone, Copy, Debug)]
struct Cursor {
    /// Offset of the next packet header in the block.
    offset: usize,
    /// Packets left in the block.
    remaining: u32,
}

/// A live capture through one of the [`CaptureBackend`]s. Packets borrow
/// the ring or pnet's read buffer (or a scratch buffer where an SLL2 header
/// or a VLAN tag is put in).
pub struct LiveSource {
    inner: Backend,
}

enum Backend {
    Ring(RingSource),
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
                return Err(SourceError::Message(format!(
                    "interface {iface} is down; bring it up first (ip link set {iface} up)"
                )));
            }
        }
        let snaplen = if opts.snaplen == 0 {
            DEFAULT_SNAPLEN
        } else {
            opts.snaplen
        };
        let inner = match opts.backend {
            CaptureBackend::Pnet => Backend::Pnet(pnet::PnetSource::open(opts, r, snaplen)?),
            CaptureBackend::Ring => match RingSource::open(opts, r, snaplen) {
                Ok(s) => Backend::Ring(s),
                Err(RingOpenError::Failed(e)) => return Err(e),
                Err(RingOpenError::Unsupported(why)) => {
                    eprintln!(
                        "sockscope: no TPACKET_V3 ring on this system ({why}); capturing through pnet's channel instead"
                    );
                    Backend::Pnet(pnet::PnetSource::open(opts, r, snaplen)?)
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
        each!(&self.inner, s => StopHandle {
            stop_at: Arc::clone(&s.stop_at),
            wake: Arc::clone(&s.wake),
        })
    }

    /// Link type of the packets yielded.
    pub fn link_type(&self) -> LinkType {
        each!(&self.inner, s => s.link)
    }

    /// Effective snap length (0 was turned into the default).
    pub fn snaplen(&self) -> u32 {
        each!(&self.inner, s => s.snaplen)
    }

    pub fn interface(&self) -> &str {
        each!(&self.inner, s => &s.interface)
    }

    /// Whether the kernel filters (a `bpf` program was given and could be
    /// attached); when false, every packet reaches user space.
    pub fn kernel_filter_attached(&self) -> bool {
        each!(&self.inner, s => s.kernel_filter)
    }

    /// Packets handed out so far.
    pub fn captured(&self) -> u64 {
        each!(&self.inner, s => s.captured)
    }
}

impl PacketSource for LiveSource {
    fn next_packet(&mut self) -> Result<Option<Packet<'_>>, SourceError> {
        each!(&mut self.inner, s => s.next_packet())
    }

    fn stats(&self) -> SourceStats {
        each!(&self.inner, s => s.stats())
    }
}

/// The TPACKET_V3 ring backend.
struct RingSource {
    interface: String,
    kernel_filter: bool,
    sock: PacketSocket,
    ring: Ring,
    kind: SockKind,
    link: LinkType,
    snaplen: u32,
    /// Index of `lo`: its outgoing copies are skipped (each packet once).
    lo_ifindex: Option<u32>,
    block: usize,
    cursor: Option<Cursor>,
    scratch: Vec<u8>,
    stop_at: Arc<AtomicU64>,
    wake: Arc<EventFd>,
    /// Set when we first see the stop flag: drain until then, no longer.
    drain_until: Option<Instant>,
    /// An error (interface down) to report once the ring is drained.
    pending_error: Option<String>,
    finished: bool,
    captured: u64,
    kernel_packets: Cell<u64>,
    kernel_drops: Cell<u64>,
}

impl RingSource {
    /// Set up the socket and ring (the interface is resolved, the snap
    /// length final).
    fn open(opts: &LiveOptions, r: Resolved, snaplen: u32) -> Result<RingSource, RingOpenError> {
        let iface = opts.interface.as_str();
        let ctx = |what: &str, e: std::io::Error| {
            SourceError::Message(format!("capture on {iface}: {what} failed: {e}"))
        };

        // Bound to no protocol: nothing is queued until `bind` below, so the
        // filter and ring apply to every packet we will see.
        let sock = open_socket(iface, r.kind)?;

        sock.enable_timestamps()
            .map_err(|e| ctx("SO_TIMESTAMPNS", e))?;
        let lo_ifindex = sys::if_nametoindex("lo");
        if r.ifindex != 0 && Some(r.ifindex) == lo_ifindex {
            // On lo every packet passes the tap twice (out and in); keep one.
            // Not on other interfaces: their outgoing packets are real traffic.
            // Kernels before 4.20 lack the option: then `advance` skips the
            // outgoing copy in user space (the kernel counters count both).
            let _ = sock.set_ignore_outgoing();
        }
        let kernel_prog = kernel_program(opts, r.kind);
        if let Some(prog) = &kernel_prog {
            sock.attach_filter(prog)
                .map_err(|e| ctx("attaching the BPF filter (SO_ATTACH_FILTER)", e))?;
        }

        // A block must hold the largest packet we keep plus its ring
        // headers: a 64 KiB loopback/GSO segment, or less if the snap length
        // is smaller. Larger packets (BIG TCP) are cut by the kernel and
        // keep their original length. Small blocks recycle finely: with
        // 128 KiB blocks a 2 MiB ring has 16, as libpcap makes it.
        let largest = (snaplen as usize).min(MAX_PACKET);
        let block_size = (largest + 4096).next_power_of_two().clamp(1 << 16, 4 << 20);
        let block_nr = (opts.buffer_bytes / block_size).clamp(2, 4096);
        if let Err(e) = sock.use_tpacket_v3() {
            if ring_unsupported(&e, true) {
                return Err(RingOpenError::Unsupported(format!(
                    "switching the socket to TPACKET_V3 failed: {e}"
                )));
            }
            return Err(ctx("switching the socket to TPACKET_V3", e).into());
        }
        let ring = match sock.rx_ring_v3(block_size as u32, block_nr as u32, BLOCK_RETIRE_MS) {
            Ok(ring) => ring,
            Err(e) if ring_unsupported(&e, false) => {
                return Err(RingOpenError::Unsupported(format!(
                    "setting up the TPACKET_V3 ring failed: {e}"
                )));
            }
            Err(e) => return Err(ctx("setting up the TPACKET_V3 ring", e).into()),
        };

        if opts.promisc && r.ifindex != 0 {
            sock.add_promisc(r.ifindex)
                .map_err(|e| ctx("enabling promiscuous mode", e))?;
        }
        let wake = EventFd::new().map_err(|e| ctx("creating the stop eventfd", e))?;
        sock.bind(r.ifindex)
            .map_err(|e| ctx("binding the socket", e))?;

        Ok(RingSource {
            interface: opts.interface.clone(),
            kernel_filter: kernel_prog.is_some(),
            sock,
            ring,
            kind: r.kind,
            link: r.link,
            snaplen,
            lo_ifindex,
            block: 0,
            cursor: None,
            scratch: Vec::with_capacity(SLL2_HEADER_LEN + 65_536),
            stop_at: Arc::new(AtomicU64::new(0)),
            wake: Arc::new(wake),
            drain_until: None,
            pending_error: None,
            finished: false,
            captured: 0,
            kernel_packets: Cell::new(0),
            kernel_drops: Cell::new(0),
        })
    }

    /// Fold the kernel's counters (reset on each read) into running totals.
    fn refresh_stats(&self) {
        if let Ok((packets, drops)) = self.sock.take_stats() {
            self.kernel_packets
                .set(self.kernel_packets.get() + packets as u64);
            self.kernel_drops
                .set(self.kernel_drops.get() + drops as u64);
        }
    }

    /// Stop time in ns, once someone asked to stop.
    fn stop_time(&self) -> Option<u64> {
        match self.stop_at.load(Ordering::Relaxed) {
            0 => None,
            t => Some(t),
        }
    }

    /// Move to the next block that the kernel handed over, if any.
    fn open_block(&mut self) -> Result<bool, SourceError> {
        let Some(block) = self.ring.user_block(self.block) else {
            return Ok(false);
        };
        let num = read_u32(block, BLK_NUM_PKTS)?;
        let first = read_u32(block, BLK_FIRST_PKT)? as usize;
        self.cursor = Some(Cursor {
            offset: first,
            remaining: num,
        });
        Ok(true)
    }

    /// Wait for a block (or the stop / drain deadline). `Ok(false)` = give up.
    fn wait(&mut self) -> Result<bool, SourceError> {
        let timeout = match self.drain_until {
            Some(until) => {
                // Stopping: nothing received before the stop is left when the
                // block the kernel is filling is still empty.
                if self.pending_error.is_none() && self.ring.kernel_block_packets(self.block) == 0 {
                    return Ok(false);
                }
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Ok(false);
                }
                left.as_millis().max(1) as i32
            }
            None => POLL_MS,
        };
        // While draining, the (signalled) eventfd would wake us at once: leave it out.
        let wake = self.drain_until.is_none().then_some(&*self.wake);
        match self.sock.poll(wake, timeout).map_err(|e| {
            SourceError::Message(format!("capture on {}: poll failed: {e}", self.interface))
        })? {
            Readiness::Readable | Readiness::Timeout | Readiness::Woken => Ok(true),
            Readiness::Error => {
                let err = self.sock.take_error().ok().flatten();
                let what = match &err {
                    Some(e) if e.raw_os_error() == Some(libc::ENETDOWN) => {
                        format!("interface {} went down during the capture", self.interface)
                    }
                    Some(e) if e.raw_os_error() == Some(libc::ENODEV) => {
                        format!(
                            "interface {} disappeared during the capture",
                            self.interface
                        )
                    }
                    Some(e) => format!("capture on {} failed: {e}", self.interface),
                    None => format!("capture on {}: socket error", self.interface),
                };
                // Deliver what the ring still holds (the block being filled
                // retires within BLOCK_RETIRE_MS), then report the error.
                self.pending_error = Some(what);
                self.drain_until = Some(Instant::now() + Duration::from_millis(DRAIN_MS));
                Ok(true)
            }
        }
    }
}

fn read_u32(buf: &[u8], at: usize) -> Result<u32, SourceError> {
    buf.get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_ne_bytes)
        .ok_or_else(|| corrupt(at))
}

fn read_u16(buf: &[u8], at: usize) -> Result<u16, SourceError> {
    buf.get(at..at + 2)
        .and_then(|b| b.try_into().ok())
        .map(u16::from_ne_bytes)
        .ok_or_else(|| corrupt(at))
}

fn read_u8(buf: &[u8], at: usize) -> Result<u8, SourceError> {
    buf.get(at).copied().ok_or_else(|| corrupt(at))
}

fn corrupt(at: usize) -> SourceError {
    SourceError::Message(format!(
        "packet ring block is inconsistent (field at offset {at} lies outside the block)"
    ))
}

/// One packet's header fields, read from the ring.
struct RingPacket {
    /// The 802.1Q/802.1ad tag the NIC or kernel took off the frame
    /// (TPID, TCI), to be put back as tcpdump does.
    vlan: Option<(u16, u16)>,
    next: usize,
    ts: Timestamp,
    snaplen: usize,
    len: u32,
    data_at: usize,
    protocol_be: [u8; 2],
    ifindex: i32,
    hatype: u16,
    pkttype: u8,
    halen: u8,
    addr: [u8; 8],
}

fn parse_ring_packet(block: &[u8], at: usize) -> Result<RingPacket, SourceError> {
    let sll = at + PKT_SLL;
    let mut addr = [0u8; 8];
    addr.copy_from_slice(
        block
            .get(sll + SLL_ADDR..sll + SLL_ADDR + 8)
            .ok_or_else(|| corrupt(sll))?,
    );
    let status = read_u32(block, at + PKT_STATUS)?;
    let vlan = if status & libc::TP_STATUS_VLAN_VALID != 0 {
        let tpid = if status & libc::TP_STATUS_VLAN_TPID_VALID != 0 {
            read_u16(block, at + PKT_VLAN_TPID)?
        } else {
            ETH_P_8021Q
        };
        Some((tpid, read_u32(block, at + PKT_VLAN_TCI)? as u16))
    } else {
        None
    };
    let p = RingPacket {
        vlan,
        next: read_u32(block, at + PKT_NEXT_OFFSET)? as usize,
        ts: Timestamp::from_secs_nanos(
            read_u32(block, at + PKT_SEC)? as u64,
            read_u32(block, at + PKT_NSEC)?,
        ),
        snaplen: read_u32(block, at + PKT_SNAPLEN)? as usize,
        len: read_u32(block, at + PKT_LEN)?,
        data_at: at + read_u16(block, at + PKT_MAC)? as usize,
        protocol_be: read_u16(block, sll + SLL_PROTOCOL)?.to_ne_bytes(),
        ifindex: read_u32(block, sll + SLL_IFINDEX)? as i32,
        hatype: read_u16(block, sll + SLL_HATYPE)?,
        pkttype: read_u8(block, sll + SLL_PKTTYPE)?,
        halen: read_u8(block, sll + SLL_HALEN)?,
        addr,
    };
    if block.get(p.data_at..p.data_at + p.snaplen).is_none() {
        return Err(corrupt(p.data_at));
    }
    Ok(p)
}

/// Ethernet frame with the VLAN tag put back after the two MAC addresses,
/// where it was on the wire (the kernel keeps it aside, in the ring header).
fn push_with_vlan_tag(out: &mut Vec<u8>, frame: &[u8], (tpid, tci): (u16, u16)) {
    let macs = frame.len().min(12);
    out.extend_from_slice(&frame[..macs]);
    out.extend_from_slice(&tpid.to_be_bytes());
    out.extend_from_slice(&tci.to_be_bytes());
    out.extend_from_slice(&frame[macs..]);
}

/// LINKTYPE_LINUX_SLL2 header for a cooked packet, as libpcap builds it from
/// `sockaddr_ll`: protocol, reserved, ifindex, ARPHRD type, packet type,
/// address length, 8 address bytes (all multi-byte fields big-endian).
fn sll2_header(p: &RingPacket) -> [u8; SLL2_HEADER_LEN] {
    let mut h = [0u8; SLL2_HEADER_LEN];
    h[0..2].copy_from_slice(&p.protocol_be);
    h[4..8].copy_from_slice(&(p.ifindex as u32).to_be_bytes());
    h[8..10].copy_from_slice(&p.hatype.to_be_bytes());
    h[10] = p.pkttype;
    h[11] = p.halen;
    let n = (p.halen as usize).min(8);
    h[12..12 + n].copy_from_slice(&p.addr[..n]);
    h
}

impl RingSource {
    /// Find the next packet to hand out: all the bookkeeping (blocks, stop,
    /// skipped copies) without borrowing the ring, so `next_packet` can lend it.
    fn advance(&mut self) -> Result<Option<RingPacket>, SourceError> {
        loop {
            if self.finished {
                return Ok(None);
            }
            let stop = self.stop_time();
            if stop.is_some() && self.drain_until.is_none() {
                self.drain_until = Some(Instant::now() + Duration::from_millis(DRAIN_MS));
            }
            let Some(cur) = self.cursor else {
                if self.open_block()? {
                    continue;
                }
                if !self.wait()? {
                    // Drain deadline passed with nothing more in the ring.
                    self.finished = true;
                    if let Some(msg) = self.pending_error.take() {
                        return Err(SourceError::Message(msg));
                    }
                    return Ok(None);
                }
                continue;
            };
            if cur.remaining == 0 {
                self.ring.release(self.block);
                self.block = (self.block + 1) % self.ring.block_nr();
                self.cursor = None;
                continue;
            }
            let Some(block) = self.ring.user_block(self.block) else {
                return Err(SourceError::Message(
                    "packet ring block was taken back by the kernel while being read".into(),
                ));
            };
            let p = parse_ring_packet(block, cur.offset)?;
            self.cursor = Some(Cursor {
                offset: cur.offset + p.next,
                remaining: if p.next == 0 { 0 } else { cur.remaining - 1 },
            });
            if let Some(t) = stop
                && p.ts.0 > t
            {
                // Arrived after the stop: the capture is over.
                self.finished = true;
                return Ok(None);
            }
            if p.pkttype == libc::PACKET_OUTGOING
                && self.lo_ifindex.is_some_and(|lo| lo as i32 == p.ifindex)
            {
                // The outgoing copy of a loopback packet (`any`, or old
                // kernels): the incoming copy is the one we keep.
                continue;
            }
            return Ok(Some(p));
        }
    }
}

impl RingSource {
    fn next_packet(&mut self) -> Result<Option<Packet<'_>>, SourceError> {
        let Some(p) = self.advance()? else {
            return Ok(None);
        };
        let block = self.ring.user_block(self.block).ok_or_else(|| {
            SourceError::Message("packet ring block was taken back by the kernel".into())
        })?;
        // parse_ring_packet checked that the data lies inside the block.
        let data = &block[p.data_at..p.data_at + p.snaplen];
        self.captured += 1;
        Ok(Some(shape(
            self.kind,
            self.link,
            self.snaplen as usize,
            &p,
            data,
            &mut self.scratch,
        )))
    }

    fn stats(&self) -> SourceStats {
        self.refresh_stats();
        SourceStats {
            received: self.kernel_packets.get(),
            dropped_by_kernel: Some(self.kernel_drops.get()),
        }
    }
}

/// One received packet as the capture yields it: for raw sockets the VLAN
/// tag the kernel took off put back; for cooked ones the SLL2 header in
/// front; then cut at the snap length. `data` is what the kernel gave us,
/// `p` its header fields (the ring's, or the pnet path's equivalent).
fn shape<'a>(
    kind: SockKind,
    link: LinkType,
    snap: usize,
    p: &RingPacket,
    data: &'a [u8],
    scratch: &'a mut Vec<u8>,
) -> Packet<'a> {
    match kind {
        SockKind::Raw => match p.vlan {
            None => Packet {
                ts: p.ts,
                link,
                data: &data[..data.len().min(snap)],
                orig_len: p.len,
            },
            Some(tag) => {
                scratch.clear();
                push_with_vlan_tag(scratch, data, tag);
                let len = scratch.len().min(snap);
                Packet {
                    ts: p.ts,
                    link,
                    data: &scratch[..len],
                    orig_len: p.len.saturating_add(VLAN_TAG_LEN as u32),
                }
            }
        },
        SockKind::Cooked => {
            scratch.clear();
            scratch.extend_from_slice(&sll2_header(p));
            let keep = snap.saturating_sub(SLL2_HEADER_LEN).min(data.len());
            scratch.extend_from_slice(&data[..keep]);
            let len = scratch.len().min(snap);
            Packet {
                ts: p.ts,
                link,
                data: &scratch[..len],
                orig_len: p.len.saturating_add(SLL2_HEADER_LEN as u32),
            }
        }
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
    fn only_not_supported_errors_fall_back_to_pnet() {
        let e = std::io::Error::from_raw_os_error;
        for errno in [
            libc::ENOPROTOOPT,
            libc::EOPNOTSUPP,
            libc::ENOSYS,
            libc::ENODEV,
        ] {
            assert!(ring_unsupported(&e(errno), true), "{errno}");
            assert!(ring_unsupported(&e(errno), false), "{errno}");
        }
        // EINVAL: an unknown TPACKET version, or (for the ring) our geometry.
        assert!(ring_unsupported(&e(libc::EINVAL), true));
        assert!(!ring_unsupported(&e(libc::EINVAL), false));
        for errno in [libc::ENOMEM, libc::EPERM, libc::EBUSY] {
            assert!(!ring_unsupported(&e(errno), false), "{errno}");
        }
    }

    #[test]
    fn backend_names_parse_and_print() {
        for b in [CaptureBackend::Ring, CaptureBackend::Pnet] {
            assert_eq!(b.to_string().parse::<CaptureBackend>(), Ok(b));
        }
        assert_eq!(CaptureBackend::default(), CaptureBackend::Ring);
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

    #[test]
    fn sll2_header_layout() {
        let p = RingPacket {
            vlan: None,
            next: 0,
            ts: Timestamp(0),
            snaplen: 0,
            len: 0,
            data_at: 0,
            protocol_be: 0x0800u16.to_be_bytes(),
            ifindex: 2,
            hatype: 1,
            pkttype: 4,
            halen: 6,
            addr: [1, 2, 3, 4, 5, 6, 0xee, 0xee],
        };
        assert_eq!(
            sll2_header(&p),
            [8, 0, 0, 0, 0, 0, 0, 2, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0]
        );
    }

    #[test]
    fn vlan_tag_goes_back_after_the_mac_addresses() {
        let frame: Vec<u8> = (0u8..16).collect();
        let mut out = Vec::new();
        push_with_vlan_tag(&mut out, &frame, (0x8100, 0x2005));
        assert_eq!(
            out,
            [
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0, 0x20, 5, 12, 13, 14, 15
            ]
        );
        let mut short = Vec::new();
        push_with_vlan_tag(&mut short, &[1, 2, 3], (0x88a8, 7));
        assert_eq!(short, [1, 2, 3, 0x88, 0xa8, 0, 7]);
    }

    #[test]
    fn truncated_ring_block_is_an_error_not_a_panic() {
        let block = [0u8; 40];
        assert!(parse_ring_packet(&block, 0).is_err());
        assert!(read_u32(&block, 38).is_err());
    }
}
