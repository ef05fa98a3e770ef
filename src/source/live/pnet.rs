//! The portable capture path: packets come through `pnet_datalink`'s
//! channel (poll + recvfrom per packet) instead of a TPACKET_V3 ring, for
//! systems without one (gVisor, kernels before 3.2), or on request.
//!
//! pnet opens and binds the socket itself unless given one
//! (`Config::socket_fd`), and its receiver returns bytes only. So the socket
//! is opened and configured here first (receive buffer, PACKET_IGNORE_OUTGOING
//! on lo, the kernel BPF filter, promiscuous mode, SO_TIMESTAMPNS,
//! PACKET_AUXDATA) and pnet gets a duplicate descriptor of it, which it binds
//! and reads. Before each read, one `recvmsg(MSG_PEEK | MSG_TRUNC)` without
//! a data buffer, on our descriptor, tells what pnet's read cannot: the
//! original length, the kernel timestamp, the `sockaddr_ll` (packet type,
//! for the loopback duplicate and the SLL2 header of `any`), and the VLAN
//! tag the kernel took off. PACKET_STATISTICS is read on our descriptor too.
//!
//! What this path lacks next to the ring: it costs three system calls per
//! packet (peek, pnet's poll, pnet's recvfrom) instead of one poll per block,
//! so it drops earlier under load; the receive queue is bounded by the
//! socket's receive buffer (`net.core.rmem_max` unless CAP_NET_ADMIN lets
//! SO_RCVBUFFORCE past it), which counts kernel overhead per packet, not
//! just bytes. Where the kernel gives no timestamp control message (some
//! sandboxes), and for packets that arrive before the kernel has turned
//! arrival stamps on (it does so from a work queue when the first socket on
//! the system asks; `open` waits 20 ms for that, a busy machine may take
//! longer), the time is when the packet is read; where
//! it gives no auxdata, the original length is the length in the queue
//! (right unless a kernel filter's snap length cut the packet) and VLAN
//! tags taken off by the NIC are not put back.

use super::frame::{FrameMeta, shape, vlan_tag};
use super::{
    Capture, CaptureBackend, DEFAULT_SNAPLEN, LiveError, LiveOptions, POLL_MS, Resolved,
    StopHandle, attach_kernel_filter, now_ns, open_socket, socket_step,
};
use crate::packet::{Packet, Timestamp};
use crate::source::{SourceError, SourceStats};
use crate::sys::{PacketSocket, Peeked, Readiness};
use pnet_datalink::{Channel, DataLinkReceiver, NetworkInterface};
use std::time::{Duration, Instant};

/// How long `open` waits for the kernel to turn on arrival timestamps.
const TIMESTAMP_SWITCH_WAIT: Duration = Duration::from_millis(20);

/// After a stop, how long to keep reading queued packets that carry no
/// arrival timestamp (nothing tells whether they came before the stop).
const USER_TS_DRAIN: Duration = Duration::from_millis(40);

/// A capture through pnet's channel; see the module documentation.
pub(super) struct PnetSource {
    /// What both backends keep: names, link, stop handle, counters.
    pub(super) cap: Capture,
    /// Our descriptor of the socket: peek, counters, errors, poll.
    sock: PacketSocket,
    /// pnet's receiver, reading from its duplicate of the same socket.
    rx: Box<dyn DataLinkReceiver>,
    /// Set once the stop is seen, when packets carry no kernel timestamp.
    drain_until: Option<Instant>,
    /// An error (interface down) to report once the queue is drained.
    pending_error: Option<LiveError>,
    finished: bool,
}

impl PnetSource {
    pub(super) fn open(opts: &LiveOptions, r: Resolved) -> Result<PnetSource, SourceError> {
        let iface = opts.interface.as_str();
        let ctx = socket_step(iface, Some(CaptureBackend::Pnet));
        // Bound to no protocol until pnet binds it: options and filter
        // apply to every packet the socket will see.
        let sock = open_socket(iface, r.kind)?;
        // Best effort: without them the timestamp is taken in user space and
        // the original length is the queued length (see the module docs).
        let timestamps = sock.enable_timestamps().is_ok();
        let _ = sock.enable_auxdata();
        sock.set_rcvbuf(opts.buffer_bytes)
            .map_err(|e| ctx("setting the receive buffer (SO_RCVBUF)", e))?;
        // Without PACKET_IGNORE_OUTGOING, the packet type from the peek
        // lets `advance` skip lo's outgoing copies.
        let (lo_ifindex, kernel_filter) = attach_kernel_filter(&sock, opts, r, &ctx)?;
        if opts.promisc && r.ifindex != 0 {
            sock.add_promisc(r.ifindex)
                .map_err(|e| ctx("enabling promiscuous mode", e))?;
        }
        let stop = StopHandle::new().map_err(|e| ctx("creating the stop eventfd", e))?;
        if timestamps {
            // If ours is the first socket on the system to want receive
            // timestamps, the kernel turns arrival stamps on from a work
            // queue; packets before that are stamped when read. Give it the
            // moment it takes (a kworker run, well under this when idle).
            std::thread::sleep(TIMESTAMP_SWITCH_WAIT);
        }

        // pnet binds the socket (to the interface, or to all of them for
        // index 0 = `any`) and owns the duplicate from here on, closing it on
        // drop or on error. Promiscuous mode is ours (pnet's would fail on
        // `any`). The read buffer holds a whole 64 KiB loopback segment at
        // the default snap length (pnet's 4096-byte default cuts silently);
        // it is the snap length, so a smaller one is cut by the read itself.
        let fd = sock
            .dup_for_handover()
            .map_err(|e| ctx("duplicating the socket for pnet", e))?;
        let config = pnet_datalink::Config {
            read_buffer_size: opts.snaplen_or_default().min(DEFAULT_SNAPLEN) as usize,
            // A safety net only: we call pnet's read once a packet is queued.
            read_timeout: Some(Duration::from_millis(POLL_MS as u64)),
            promiscuous: false,
            socket_fd: Some(fd),
            ..Default::default()
        };
        let pnet_iface = NetworkInterface {
            name: opts.interface.clone(),
            description: String::new(),
            index: r.ifindex,
            mac: None,
            ips: Vec::new(),
            flags: 0,
        };
        let rx = match pnet_datalink::channel(&pnet_iface, config) {
            Ok(Channel::Ethernet(_tx, rx)) => rx,
            Ok(_) => {
                return Err(LiveError::UnknownChannel {
                    interface: iface.to_string(),
                }
                .into());
            }
            Err(e) => return Err(ctx("binding the socket (pnet_datalink::channel)", e)),
        };

        Ok(PnetSource {
            cap: Capture::new(opts, r, lo_ifindex, kernel_filter, stop),
            sock,
            rx,
            drain_until: None,
            pending_error: None,
            finished: false,
        })
    }

    /// Read and throw away the next queued packet (through pnet, like the rest).
    fn discard(&mut self) -> Result<(), SourceError> {
        self.rx
            .next()
            .map(|_| ())
            .map_err(|e| SourceError::from(LiveError::socket(&self.cap.interface, None, "read", e)))
    }

    /// Wait until a packet is queued that should be handed out; its peeked
    /// fields and timestamp. `None`: the capture is over.
    fn advance(&mut self) -> Result<Option<(Peeked, Timestamp)>, SourceError> {
        loop {
            if self.finished {
                return Ok(None);
            }
            let stop = self.cap.stop.stop_time();
            let read_start = now_ns();
            let peeked = match self.sock.peek() {
                Ok(p) => p,
                Err(e) => {
                    // Reported once by the kernel (it clears the error);
                    // what is still queued comes first, then the error.
                    self.pending_error = Some(LiveError::from_socket(&self.cap.interface, Some(e)));
                    continue;
                }
            };
            let Some(p) = peeked else {
                // Queue empty.
                if stop.is_some() || self.pending_error.is_some() {
                    self.finished = true;
                    return match self.pending_error.take() {
                        Some(e) => Err(e.into()),
                        None => Ok(None),
                    };
                }
                let ready = self
                    .sock
                    .poll(Some(self.cap.stop.wake_fd()), POLL_MS)
                    .map_err(|e| LiveError::socket(&self.cap.interface, None, "poll", e))?;
                if ready == Readiness::Error {
                    let err = self.sock.take_error().ok().flatten();
                    self.pending_error = Some(LiveError::from_socket(&self.cap.interface, err));
                }
                continue;
            };
            let ts = match p.ts {
                Some((sec, nsec)) => {
                    Timestamp::from_secs_nanos(sec.max(0) as u64, nsec.clamp(0, 999_999_999) as u32)
                }
                None => Timestamp(now_ns()),
            };
            // The kernel stamps a packet on arrival only once receive
            // timestamps are on system-wide, which it does from a work queue
            // shortly after the first socket asks; a packet that came before
            // that is stamped when read. Such a stamp (not before this read
            // began) says nothing about when the packet arrived.
            let stamped_on_read = p.ts.is_none() || ts.0 >= read_start;
            if let Some(t) = stop {
                if !stamped_on_read {
                    if ts.0 > t {
                        // Arrived after the stop: the capture is over.
                        self.finished = true;
                        return Ok(None);
                    }
                } else {
                    let until = *self
                        .drain_until
                        .get_or_insert_with(|| Instant::now() + USER_TS_DRAIN);
                    if Instant::now() > until {
                        self.finished = true;
                        return Ok(None);
                    }
                }
            }
            if self.cap.skips(&p.from) {
                self.discard()?;
                continue;
            }
            return Ok(Some((p, ts)));
        }
    }

    pub(super) fn next_packet(&mut self) -> Result<Option<Packet<'_>>, SourceError> {
        let Some((p, ts)) = self.advance()? else {
            return Ok(None);
        };
        let data = self.rx.next().map_err(|e| {
            SourceError::from(LiveError::socket(
                &self.cap.interface,
                None,
                "reading through pnet",
                e,
            ))
        })?;
        let vlan = p
            .aux
            .and_then(|a| vlan_tag(a.status, a.vlan_tpid, a.vlan_tci));
        // Without auxdata, the queued length (p.len) is all we know; it is
        // never less than what was read.
        let orig = p.aux.map_or(p.len, |a| a.len as usize).max(data.len());
        let meta = FrameMeta {
            vlan,
            ts,
            len: u32::try_from(orig).unwrap_or(u32::MAX),
            from: p.from,
        };
        self.cap.captured += 1;
        Ok(Some(shape(
            self.cap.kind,
            self.cap.link,
            self.cap.snaplen as usize,
            &meta,
            data,
            &mut self.cap.scratch,
        )))
    }

    pub(super) fn stats(&self) -> SourceStats {
        self.cap.counters.read(&self.sock)
    }
}
