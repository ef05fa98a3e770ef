//! The TPACKET_V3 backend: the kernel writes packets into a memory-mapped
//! ring of blocks ([`crate::sys::Ring`]) and hands us whole blocks; this
//! module walks each block's packet headers (`tpacket3_hdr` + `sockaddr_ll`),
//! checking every offset against the block, and gives the block back.

use super::fanout::{DROP_ALL, GroupJoin};
use super::frame::{FrameMeta, shape, vlan_tag};
use super::{
    Capture, LiveError, LiveOptions, POLL_MS, Resolved, StopHandle, attach_kernel_filter,
    open_socket, socket_step,
};
use crate::packet::{Packet, Timestamp};
use crate::source::{SourceError, SourceStats};
use crate::sys::ring::prefetch;
use crate::sys::{LinkAddr, PacketSocket, Readiness, Ring};
use std::time::{Duration, Instant};

/// The largest packet the ring is sized for: a 64 KiB segment plus link headers.
const MAX_PACKET: usize = 65_536 + 256;

/// A block is handed to us when full or after this long: the latency of a
/// quiet capture (and of the end-of-capture drain).
const BLOCK_RETIRE_MS: u32 = 10;

/// `--immediate-mode`: as libpcap's immediate mode, blocks retire after
/// 1 ms (the least the kernel takes), so a lone packet waits no longer.
const IMMEDIATE_RETIRE_MS: u32 = 1;

/// A ring of a fanout group (`capture --threads`): its worker is woken
/// once per block retired, and the merger writes its lines tens of ms
/// after their packets anyway, so its blocks wait twice as long: at a
/// high rate each worker wakes half as often (each wake-up a context
/// switch, which cost more CPU than the packets of a block).
const FANOUT_RETIRE_MS: u32 = 20;

/// A ring whose packets nobody watches as they come
/// ([`LiveOptions::unwatched`]: they go to a `-w` file), one thread's or a
/// fanout group's: a wake-up costs a thread ~40 µs of CPU on a loaded
/// 2-core VM, as much as 1,500 packets' reading (README, "Live capture at
/// high rates"), and unless a ring gets a block's worth within it (a 2 MiB
/// block holds ~13,000 small packets) its blocks retire on this timer, not
/// full: at 50 ms its reader wakes 20 times a second, not 100 (one
/// thread's 10 ms) or 50. The stop drains within [`DRAIN_RETIRES`] of it.
const UNWATCHED_RETIRE_MS: u32 = 50;

/// A fanout group's ring whose packets go only to a `-w` file: each ring
/// gets part of the packets, so its blocks fill more slowly still and
/// retire on the timer; two rings at 50 ms woke their workers 40 times a
/// second, more than tcpdump's one ring at the same rate. At 100 ms the
/// merged file's packets wait up to ~300 ms for the merger (the reorder
/// window is 500 ms) and the stop drains within 400 ms.
const UNWATCHED_FANOUT_RETIRE_MS: u32 = 100;

fn retire_ms(opts: &LiveOptions, fanout: bool) -> u32 {
    if opts.immediate {
        IMMEDIATE_RETIRE_MS
    } else if opts.unwatched && fanout {
        UNWATCHED_FANOUT_RETIRE_MS
    } else if opts.unwatched {
        UNWATCHED_RETIRE_MS
    } else if fanout {
        FANOUT_RETIRE_MS
    } else {
        BLOCK_RETIRE_MS
    }
}

/// Blocks a ring is cut into when it is large enough: as many as libpcap
/// makes of tcpdump's 2 MiB buffer, so that the kernel always has free
/// blocks to fill while the reader holds one.
const TARGET_BLOCKS: usize = 16;

/// The ring's block size and number of blocks for `buffer` bytes. A block
/// must hold the largest packet we keep plus its ring headers: a 64 KiB
/// loopback/GSO segment, or less if the snap length is smaller (larger
/// packets, BIG TCP, are cut by the kernel and keep their original
/// length). Beyond that, bigger blocks: the reader is woken once per block
/// (or per retire timeout), and with 128 KiB blocks a busy 32 MiB ring
/// woke it a few hundred times a second, each wake-up costing more CPU
/// than the packets of a block; [`TARGET_BLOCKS`] of them keep the
/// recycling fine (a 2 MiB ring keeps 16 blocks of 128 KiB, as libpcap).
fn geometry(snaplen: u32, buffer: usize) -> (usize, usize) {
    let largest = (snaplen as usize).min(MAX_PACKET);
    let least = (largest + 4096).next_power_of_two().clamp(1 << 16, 4 << 20);
    let share = buffer / TARGET_BLOCKS;
    let fair = if share == 0 {
        0
    } else {
        1usize << share.ilog2()
    };
    let block_size = least.max(fair).min(4 << 20);
    (block_size, (buffer / block_size).clamp(2, 4096))
}

/// After a stop, how long to wait for the block holding the last packets
/// to retire: this many of its retire timeouts.
const DRAIN_RETIRES: u64 = 4;

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
pub(super) enum RingOpenError {
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

/// The TPACKET_V3 ring backend.
pub(super) struct RingSource {
    /// What both backends keep: names, link, stop handle, counters.
    pub(super) cap: Capture,
    sock: PacketSocket,
    ring: Ring,
    block: usize,
    cursor: Option<Cursor>,
    /// Set when we first see the stop flag: drain until then, no longer.
    drain_until: Option<Instant>,
    /// How long draining may take (see [`DRAIN_RETIRES`]).
    drain: Duration,
    /// The ring's block retire timeout (ms).
    retire: u32,
    /// An error (interface down) to report once the ring is drained.
    pending_error: Option<LiveError>,
    finished: bool,
}

impl RingSource {
    /// Set up the socket and ring (the interface is resolved, the snap
    /// length final).
    /// With `join`, the ring becomes one of a PACKET_FANOUT group (see
    /// `fanout.rs`), sharing its stop handle.
    pub(super) fn open(
        opts: &LiveOptions,
        r: Resolved,
        mut join: Option<&mut GroupJoin>,
    ) -> Result<RingSource, RingOpenError> {
        let iface = opts.interface.as_str();
        let ctx = socket_step(iface, None);

        // Bound to no protocol: nothing is queued until `bind` below, so the
        // filter and ring apply to every packet we will see.
        let sock = open_socket(iface, r.kind)?;

        sock.enable_timestamps()
            .map_err(|e| ctx("SO_TIMESTAMPNS", e))?;
        let (mut lo_ifindex, mut kernel_filter) = (None, false);
        match join {
            // Between `bind` and joining the group this socket would get
            // copies of what the group's other rings get: it takes nothing
            // until it has joined (see `GroupJoin::enter`).
            Some(_) => sock
                .attach_filter(&[DROP_ALL])
                .map_err(|e| ctx("attaching the drop-all filter (SO_ATTACH_FILTER)", e))?,
            None => (lo_ifindex, kernel_filter) = attach_kernel_filter(&sock, opts, r, &ctx)?,
        }

        let (block_size, block_nr) = geometry(opts.snaplen_or_default(), opts.buffer_bytes);
        if let Err(e) = sock.use_tpacket_v3() {
            if ring_unsupported(&e, true) {
                return Err(RingOpenError::Unsupported(format!(
                    "switching the socket to TPACKET_V3 failed: {e}"
                )));
            }
            return Err(ctx("switching the socket to TPACKET_V3", e).into());
        }
        let retire = retire_ms(opts, join.is_some());
        let ring = match sock.rx_ring_v3(block_size as u32, block_nr as u32, retire) {
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
        let stop = match &join {
            Some(j) => j.stop.clone(),
            None => StopHandle::new().map_err(|e| ctx("creating the stop eventfd", e))?,
        };
        sock.bind(r.ifindex)
            .map_err(|e| ctx("binding the socket", e))?;
        if let Some(j) = join.as_mut() {
            j.enter(&sock, &ctx)?;
            (lo_ifindex, kernel_filter) = attach_kernel_filter(&sock, opts, r, &ctx)?;
            if !kernel_filter {
                sock.detach_filter()
                    .map_err(|e| ctx("removing the drop-all filter (SO_DETACH_FILTER)", e))?;
            }
        }

        Ok(RingSource {
            cap: Capture::new(opts, r, lo_ifindex, kernel_filter, stop),
            sock,
            ring,
            block: 0,
            cursor: None,
            drain_until: None,
            drain: Duration::from_millis(DRAIN_RETIRES * u64::from(retire)),
            retire,
            pending_error: None,
            finished: false,
        })
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
        let wake = self
            .drain_until
            .is_none()
            .then_some(self.cap.stop.wake_fd());
        match self.sock.poll(wake, timeout).map_err(|e| {
            SourceError::from(LiveError::socket(&self.cap.interface, None, "poll", e))
        })? {
            Readiness::Readable | Readiness::Timeout | Readiness::Woken => Ok(true),
            Readiness::Error => {
                let err = self.sock.take_error().ok().flatten();
                let what = LiveError::from_socket(&self.cap.interface, err);
                // Deliver what the ring still holds (the block being filled
                // retires within its retire timeout), then report the error.
                self.pending_error = Some(what);
                self.drain_until = Some(Instant::now() + self.drain);
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

fn corrupt(at: usize) -> SourceError {
    LiveError::RingCorrupt { offset: at }.into()
}

/// One packet's place in the ring block and its header fields.
struct RingPacket {
    /// Offset of the next packet's header from this one's (0: the last).
    next: usize,
    /// Where its bytes start in the block, and how many were kept.
    data_at: usize,
    snaplen: usize,
    meta: FrameMeta,
}

/// The bytes of a packet's ring headers that we read: `tpacket3_hdr`, then
/// `sockaddr_ll` up to the end of its address.
const PKT_HEADERS: usize = PKT_SLL + SLL_ADDR + 8;

/// A field of `N` bytes at the constant offset `at` of a packet's headers.
/// The headers were taken whole (one bounds check a packet, not one a
/// field: this runs for every packet captured); with a constant `at` the
/// compiler drops this check, and a field past the end reads as zeros.
#[inline(always)]
fn field<const N: usize>(h: &[u8; PKT_HEADERS], at: usize) -> [u8; N] {
    h.get(at..at + N)
        .and_then(|b| b.try_into().ok())
        .unwrap_or([0; N])
}

/// How many frames ahead of the one read the ring asks the CPU to bring in.
/// The kernel wrote a block's frames on the CPUs that received them: the
/// first read of each header and its bytes is a cache miss (a quarter of a
/// fanout worker's samples, `perf record`), which the hardware prefetcher
/// does not hide. Eight frames of small packets are ~400 ns of work ahead,
/// time enough for the lines to arrive; 4 saved less with two rings (see
/// the README, "Live capture at high rates").
const PREFETCH_AHEAD: usize = 8;

fn parse_ring_packet(block: &[u8], at: usize) -> Result<RingPacket, SourceError> {
    let h: &[u8; PKT_HEADERS] = block
        .get(at..at.saturating_add(PKT_HEADERS))
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| corrupt(at))?;
    let u32_at = |off| u32::from_ne_bytes(field(h, off));
    let u16_at = |off| u16::from_ne_bytes(field(h, off));
    let u8_at = |off| field::<1>(h, off)[0];
    let sll = PKT_SLL;
    let vlan = vlan_tag(
        u32_at(PKT_STATUS),
        u16_at(PKT_VLAN_TPID),
        u32_at(PKT_VLAN_TCI) as u16,
    );
    let p = RingPacket {
        next: u32_at(PKT_NEXT_OFFSET) as usize,
        data_at: at + u16_at(PKT_MAC) as usize,
        snaplen: u32_at(PKT_SNAPLEN) as usize,
        meta: FrameMeta {
            vlan,
            ts: Timestamp::from_secs_nanos(u32_at(PKT_SEC) as u64, u32_at(PKT_NSEC)),
            len: u32_at(PKT_LEN),
            from: LinkAddr {
                protocol_be: field(h, sll + SLL_PROTOCOL),
                ifindex: u32_at(sll + SLL_IFINDEX) as i32,
                hatype: u16_at(sll + SLL_HATYPE),
                pkttype: u8_at(sll + SLL_PKTTYPE),
                halen: u8_at(sll + SLL_HALEN),
                addr: field(h, sll + SLL_ADDR),
            },
        },
    };
    if block
        .get(p.data_at..p.data_at.saturating_add(p.snaplen))
        .is_none()
    {
        return Err(corrupt(p.data_at));
    }
    Ok(p)
}

impl RingSource {
    /// Find the next packet to hand out: all the bookkeeping (blocks, stop,
    /// skipped copies) without borrowing the ring, so `next_packet` can lend it.
    fn advance(&mut self) -> Result<Option<RingPacket>, SourceError> {
        loop {
            if self.finished {
                return Ok(None);
            }
            let stop = self.cap.stop.stop_time();
            if stop.is_some() && self.drain_until.is_none() {
                self.drain_until = Some(Instant::now() + self.drain);
            }
            let Some(cur) = self.cursor else {
                if self.open_block()? {
                    continue;
                }
                if !self.wait()? {
                    // Drain deadline passed with nothing more in the ring.
                    self.finished = true;
                    if let Some(msg) = self.pending_error.take() {
                        return Err(msg.into());
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
                return Err(LiveError::RingTakenBack.into());
            };
            let p = parse_ring_packet(block, cur.offset)?;
            // The frame [`PREFETCH_AHEAD`] ahead, guessed from this one's
            // size (a block's frames follow one another, most of one size):
            // its header line and the line after, where a small packet's
            // bytes begin.
            let ahead = cur
                .offset
                .saturating_add(PREFETCH_AHEAD.saturating_mul(p.next));
            prefetch(block, ahead);
            prefetch(block, ahead.saturating_add(64));
            self.cursor = Some(Cursor {
                offset: cur.offset + p.next,
                remaining: if p.next == 0 { 0 } else { cur.remaining - 1 },
            });
            if let Some(t) = stop
                && p.meta.ts.0 > t
            {
                // Arrived after the stop: the capture is over.
                self.finished = true;
                return Ok(None);
            }
            if self.cap.skips(&p.meta.from) {
                continue;
            }
            return Ok(Some(p));
        }
    }

    pub(super) fn next_packet(&mut self) -> Result<Option<Packet<'_>>, SourceError> {
        let Some(p) = self.advance()? else {
            return Ok(None);
        };
        let block = self
            .ring
            .user_block(self.block)
            .ok_or_else(|| SourceError::from(LiveError::RingTakenBack))?;
        // parse_ring_packet checked that the data lies inside the block.
        let data = &block[p.data_at..p.data_at + p.snaplen];
        self.cap.captured += 1;
        Ok(Some(shape(
            self.cap.kind,
            self.cap.link,
            self.cap.snaplen as usize,
            &p.meta,
            data,
            &mut self.cap.scratch,
        )))
    }

    /// Whether a packet can be had without waiting: the current block has
    /// more, or the kernel already handed over the next one.
    pub(super) fn has_ready(&self) -> bool {
        match self.cursor {
            Some(c) if c.remaining > 0 => true,
            Some(_) => self
                .ring
                .user_block((self.block + 1) % self.ring.block_nr())
                .is_some(),
            None => self.ring.user_block(self.block).is_some(),
        }
    }

    /// With nothing ready: the time (ns) from which on every packet still
    /// to come was stamped, about: when the kernel opened the block it is
    /// filling, if it holds packets, else now. `None` while packets are ready.
    pub(super) fn caught_up(&self) -> Option<u64> {
        if self.has_ready() {
            return None;
        }
        let filling = self.filling_block();
        if self.ring.kernel_block_packets(filling) == 0 {
            return Some(super::now_ns());
        }
        Some(self.ring.kernel_block_opened_ns(filling))
    }

    /// The block the kernel fills next (or is filling).
    fn filling_block(&self) -> usize {
        match self.cursor {
            Some(_) => (self.block + 1) % self.ring.block_nr(),
            None => self.block,
        }
    }

    /// Whether the kernel has put packets into the block it is filling:
    /// it hands that block over within the retire timeout, and until then
    /// [`RingSource::caught_up`] cannot move on.
    pub(super) fn filling(&self) -> bool {
        self.ring.kernel_block_packets(self.filling_block()) > 0
    }

    /// Wait up to `ms` for the kernel to hand over a block; false when the
    /// time ran out (a stop or a socket error count as something to read).
    pub(super) fn wait_ready(&self, ms: i32) -> bool {
        !matches!(
            self.sock.poll(Some(self.cap.stop.wake_fd()), ms),
            Ok(Readiness::Timeout)
        )
    }

    pub(super) fn retire_ms(&self) -> i32 {
        i32::try_from(self.retire).unwrap_or(i32::MAX)
    }

    pub(super) fn stats(&self) -> SourceStats {
        self.cap.counters.read(&self.sock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn big_rings_get_bigger_blocks_small_ones_hold_a_segment() {
        // The default 32 MiB: 16 blocks of 2 MiB.
        assert_eq!(geometry(262_144, 32 << 20), (2 << 20, 16));
        // tcpdump's 2 MiB: 16 blocks of 128 KiB, as libpcap.
        assert_eq!(geometry(262_144, 2 << 20), (128 << 10, 16));
        // Small rings still hold a 64 KiB segment per block.
        assert_eq!(geometry(262_144, 512 << 10), (128 << 10, 4));
        assert_eq!(geometry(262_144, 0), (128 << 10, 2));
        // A short snap length, small blocks; never above 4 MiB.
        assert_eq!(geometry(96, 1 << 20), (64 << 10, 16));
        assert_eq!(geometry(262_144, 1 << 30), (4 << 20, 256));
    }

    #[test]
    fn unwatched_rings_hold_their_blocks_longer() {
        let mut o = LiveOptions::default();
        assert_eq!((retire_ms(&o, false), retire_ms(&o, true)), (10, 20));
        // A -w file only: one ring and the fanout workers wake less often.
        o.unwatched = true;
        assert_eq!((retire_ms(&o, false), retire_ms(&o, true)), (50, 100));
        // --immediate-mode wins.
        o.immediate = true;
        assert_eq!((retire_ms(&o, false), retire_ms(&o, true)), (1, 1));
    }

    #[test]
    fn truncated_ring_block_is_an_error_not_a_panic() {
        let block = [0u8; 40];
        assert!(parse_ring_packet(&block, 0).is_err());
        assert!(read_u32(&block, 38).is_err());
    }
}
