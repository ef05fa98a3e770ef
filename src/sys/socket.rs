//! AF_PACKET sockets: opening, the socket options a capture needs
//! (timestamps, auxdata, promiscuous mode, a classic-BPF filter, receive
//! buffer), binding, peeking at the next packet's metadata, counters, poll
//! and the pending error.

use super::EventFd;
use super::cvt;
use std::ffi::CString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};

/// `ETH_P_ALL` in network byte order, as `socket(2)`/`bind(2)` want it.
const ETH_P_ALL_BE: u16 = (libc::ETH_P_ALL as u16).to_be();

/// How the kernel hands us the frame: with its link header (`Raw`) or
/// without it, the link info only in `sockaddr_ll` (`Cooked`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SockKind {
    Raw,
    Cooked,
}

/// What `poll` said about the socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readiness {
    Readable,
    Timeout,
    /// POLLERR / POLLHUP: read the pending error with [`PacketSocket::take_error`].
    Error,
    /// The [`EventFd`] passed to `poll` was signalled.
    Woken,
}

/// An AF_PACKET socket; closed on drop.
#[derive(Debug)]
pub struct PacketSocket {
    fd: OwnedFd,
}

impl PacketSocket {
    /// A packet socket bound to no protocol yet: it receives nothing until
    /// [`PacketSocket::bind`], so options and filters set before that apply
    /// to every packet it will ever see.
    pub fn open(kind: SockKind) -> io::Result<PacketSocket> {
        let ty = match kind {
            SockKind::Raw => libc::SOCK_RAW,
            SockKind::Cooked => libc::SOCK_DGRAM,
        };
        // SAFETY: plain syscall with constant arguments; the fd is owned below.
        let fd = cvt(unsafe { libc::socket(libc::AF_PACKET, ty | libc::SOCK_CLOEXEC, 0) })?;
        // SAFETY: `fd` is a fresh descriptor nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(PacketSocket { fd })
    }

    pub(super) fn setsockopt<T>(
        &self,
        level: libc::c_int,
        name: libc::c_int,
        value: &T,
    ) -> io::Result<()> {
        let len = std::mem::size_of::<T>() as libc::socklen_t;
        let (fd, ptr) = (self.fd.as_raw_fd(), (value as *const T).cast());
        // SAFETY: `value` is a valid, initialised `T` of exactly `len` bytes
        // for the duration of the call; the kernel only reads it.
        cvt(unsafe { libc::setsockopt(fd, level, name, ptr, len) })?;
        Ok(())
    }

    /// Read an option into `value`, a plain-data `T` the kernel fills in
    /// (callers pass integer and C structs only).
    fn getsockopt<T>(
        &self,
        level: libc::c_int,
        name: libc::c_int,
        value: &mut T,
    ) -> io::Result<()> {
        let mut len = std::mem::size_of::<T>() as libc::socklen_t;
        let (fd, ptr) = (self.fd.as_raw_fd(), (value as *mut T).cast());
        // SAFETY: `value` is writable for `len` bytes for the duration of the
        // call; the kernel writes at most that many.
        cvt(unsafe { libc::getsockopt(fd, level, name, ptr, &mut len) })?;
        Ok(())
    }

    /// The kernel drops the outgoing copy of each packet (on `lo` every packet
    /// would otherwise be seen twice).
    pub fn set_ignore_outgoing(&self) -> io::Result<()> {
        self.setsockopt(
            libc::SOL_PACKET,
            libc::PACKET_IGNORE_OUTGOING,
            &1 as &libc::c_int,
        )
    }

    /// SO_TIMESTAMPNS: turns on the kernel's receive timestamps (taken once
    /// per packet when it enters the stack), so the ring's `tp_sec/tp_nsec`
    /// is that time, the same for every socket that sees the packet, rather
    /// than whenever this socket got to it.
    pub fn enable_timestamps(&self) -> io::Result<()> {
        self.setsockopt(libc::SOL_SOCKET, libc::SO_TIMESTAMPNS, &1 as &libc::c_int)
    }

    /// Promiscuous mode on `ifindex`; the kernel undoes it when the socket closes.
    pub fn add_promisc(&self, ifindex: u32) -> io::Result<()> {
        let mreq = libc::packet_mreq {
            mr_ifindex: ifindex as libc::c_int,
            mr_type: libc::PACKET_MR_PROMISC as libc::c_ushort,
            mr_alen: 0,
            mr_address: [0; 8],
        };
        self.setsockopt(libc::SOL_PACKET, libc::PACKET_ADD_MEMBERSHIP, &mreq)
    }

    /// Attach a classic-BPF program: the kernel runs it on every packet and
    /// drops the ones it rejects before they reach the ring or the counters.
    pub fn attach_filter(&self, prog: &[libc::sock_filter]) -> io::Result<()> {
        if prog.is_empty() || prog.len() > u16::MAX as usize {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "a BPF program needs 1..=65535 instructions, got {}",
                    prog.len()
                ),
            ));
        }
        let fprog = libc::sock_fprog {
            len: prog.len() as libc::c_ushort,
            // The kernel only reads the program (it copies it).
            filter: prog.as_ptr().cast_mut(),
        };
        self.setsockopt(libc::SOL_SOCKET, libc::SO_ATTACH_FILTER, &fprog)
    }

    /// Remove the attached BPF program: every packet reaches the socket again.
    pub fn detach_filter(&self) -> io::Result<()> {
        self.setsockopt(libc::SOL_SOCKET, libc::SO_DETACH_FILTER, &0 as &libc::c_int)
    }

    /// Join (or, with `id` `None`, create under an id the kernel picks) the
    /// PACKET_FANOUT group of `mode` (`PACKET_FANOUT_*` type ORed with its
    /// flags): the kernel then hands each packet to one socket of the
    /// group. The socket must be bound first, to the same interface as the
    /// group's others. Returns the group's id.
    pub fn join_fanout(&self, id: Option<u16>, mode: u16) -> io::Result<u16> {
        let (id, mode) = match id {
            Some(id) => (id, mode),
            None => (0, mode | libc::PACKET_FANOUT_FLAG_UNIQUEID as u16),
        };
        let arg: libc::c_int = (u32::from(id) | (u32::from(mode) << 16)) as libc::c_int;
        self.setsockopt(libc::SOL_PACKET, libc::PACKET_FANOUT, &arg)?;
        // The id the kernel chose (or the one given): the low 16 bits.
        let mut got: libc::c_int = 0;
        self.getsockopt(libc::SOL_PACKET, libc::PACKET_FANOUT, &mut got)?;
        Ok((got as u32 & 0xffff) as u16)
    }

    /// Switch the socket to TPACKET_V3 (kernels before 3.2, and some
    /// sandboxes such as gVisor, refuse: EINVAL or ENOPROTOOPT).
    pub fn use_tpacket_v3(&self) -> io::Result<()> {
        let version = libc::tpacket_versions::TPACKET_V3 as libc::c_int;
        self.setsockopt(libc::SOL_PACKET, libc::PACKET_VERSION, &version)
    }

    /// Start receiving every protocol on `ifindex` (0 = all interfaces).
    /// Packets that arrive after this returns are captured.
    pub fn bind(&self, ifindex: u32) -> io::Result<()> {
        // SAFETY: all-zero is a valid sockaddr_ll.
        let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        sll.sll_family = libc::AF_PACKET as libc::c_ushort;
        sll.sll_protocol = ETH_P_ALL_BE;
        sll.sll_ifindex = ifindex as libc::c_int;
        // SAFETY: `sll` is a valid sockaddr_ll and the length says so.
        cvt(unsafe {
            libc::bind(
                self.fd.as_raw_fd(),
                (&sll as *const libc::sockaddr_ll).cast(),
                std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t,
            )
        })?;
        Ok(())
    }

    /// Receive queue of `bytes` for the socket-queue (non-ring) path:
    /// SO_RCVBUFFORCE (needs CAP_NET_ADMIN, ignores `rmem_max`), else
    /// SO_RCVBUF, which the kernel caps at `net.core.rmem_max`.
    pub fn set_rcvbuf(&self, bytes: usize) -> io::Result<()> {
        // The kernel doubles the value for its bookkeeping.
        let half = (bytes / 2).clamp(1, i32::MAX as usize) as libc::c_int;
        self.setsockopt(libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, &half)
            .or_else(|_| self.setsockopt(libc::SOL_SOCKET, libc::SO_RCVBUF, &half))
    }

    /// PACKET_AUXDATA: each received packet carries a `tpacket_auxdata`
    /// control message (original length, VLAN tag the kernel took off).
    pub fn enable_auxdata(&self) -> io::Result<()> {
        self.setsockopt(libc::SOL_PACKET, libc::PACKET_AUXDATA, &1 as &libc::c_int)
    }

    /// A second descriptor for the same socket, for a library that takes
    /// ownership of the descriptor it is given (pnet closes it on drop).
    /// Options, filter and counters are the socket's, shared by both.
    pub fn dup_for_handover(&self) -> io::Result<RawFd> {
        // SAFETY: plain fcntl on a descriptor we own; the new one is the caller's.
        cvt(unsafe { libc::fcntl(self.fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0) })
    }

    /// Look at the next queued packet without taking it (MSG_PEEK) and
    /// without copying its bytes: its real length (MSG_TRUNC), its
    /// `sockaddr_ll`, auxdata and kernel timestamp (when enabled).
    /// `Ok(None)` when the queue is empty (never blocks).
    pub fn peek(&self) -> io::Result<Option<Peeked>> {
        // SAFETY: all-zero is a valid sockaddr_ll.
        let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        // u64 elements: cmsg headers need 8-byte alignment.
        let mut control = [0u64; 32];
        // SAFETY: all-zero is a valid msghdr (no iovecs, no name yet).
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_name = (&mut sll as *mut libc::sockaddr_ll).cast();
        msg.msg_namelen = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = std::mem::size_of_val(&control) as _;
        // SAFETY: `msg` points at `sll` and `control`, both live and writable
        // for the lengths given; no data buffer (iovlen 0).
        let n = unsafe {
            libc::recvmsg(
                self.fd.as_raw_fd(),
                &mut msg,
                libc::MSG_PEEK | libc::MSG_TRUNC | libc::MSG_DONTWAIT,
            )
        };
        if n < 0 {
            let err = io::Error::last_os_error();
            return match err.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(None),
                _ => Err(err),
            };
        }
        let mut out = Peeked {
            len: n as usize,
            from: LinkAddr {
                protocol_be: sll.sll_protocol.to_ne_bytes(),
                ifindex: sll.sll_ifindex,
                hatype: sll.sll_hatype,
                pkttype: sll.sll_pkttype,
                halen: sll.sll_halen,
                addr: sll.sll_addr,
            },
            aux: None,
            ts: None,
        };
        // SAFETY: the CMSG_* macros walk the control buffer the kernel filled,
        // bounded by `msg.msg_controllen`; each payload is read unaligned.
        unsafe {
            let mut c = libc::CMSG_FIRSTHDR(&msg);
            while !c.is_null() {
                let data = libc::CMSG_DATA(c);
                match ((*c).cmsg_level, (*c).cmsg_type) {
                    (libc::SOL_PACKET, libc::PACKET_AUXDATA) => {
                        let a = data.cast::<libc::tpacket_auxdata>().read_unaligned();
                        out.aux = Some(AuxData {
                            status: a.tp_status,
                            len: a.tp_len,
                            vlan_tci: a.tp_vlan_tci,
                            vlan_tpid: a.tp_vlan_tpid,
                        });
                    }
                    (libc::SOL_SOCKET, libc::SCM_TIMESTAMPNS) => {
                        let t = data.cast::<libc::timespec>().read_unaligned();
                        out.ts = Some((t.tv_sec as i64, t.tv_nsec as i64));
                    }
                    _ => {}
                }
                c = libc::CMSG_NXTHDR(&msg, c);
            }
        }
        Ok(Some(out))
    }

    /// PACKET_STATISTICS as (packets that passed the filter, drops) since the
    /// previous call: the kernel resets the counters on every read.
    pub fn take_stats(&self) -> io::Result<(u32, u32)> {
        let mut st = libc::tpacket_stats_v3 {
            tp_packets: 0,
            tp_drops: 0,
            tp_freeze_q_cnt: 0,
        };
        self.getsockopt(libc::SOL_PACKET, libc::PACKET_STATISTICS, &mut st)?;
        Ok((st.tp_packets, st.tp_drops))
    }

    /// Wait up to `timeout_ms` for the ring to have a block for us, or for
    /// `wake` to be signalled (checked first: a stop beats a busy ring).
    pub fn poll(&self, wake: Option<&EventFd>, timeout_ms: i32) -> io::Result<Readiness> {
        let mut pfds = [
            libc::pollfd {
                fd: self.fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: wake.map_or(-1, |w| w.as_fd().as_raw_fd()), // -1: ignored by poll
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: two valid pollfds, the count says so.
        let n = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, timeout_ms) };
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                return Ok(Readiness::Timeout);
            }
            return Err(err);
        }
        let [sock, woke] = pfds;
        if n == 0 {
            Ok(Readiness::Timeout)
        } else if woke.revents & libc::POLLIN != 0 {
            Ok(Readiness::Woken)
        } else if sock.revents & (libc::POLLERR | libc::POLLHUP | libc::POLLNVAL) != 0 {
            Ok(Readiness::Error)
        } else {
            Ok(Readiness::Readable)
        }
    }

    /// The pending socket error (SO_ERROR), e.g. ENETDOWN when the interface
    /// went down. Reading it clears it.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        let mut err: libc::c_int = 0;
        self.getsockopt(libc::SOL_SOCKET, libc::SO_ERROR, &mut err)?;
        Ok((err != 0).then(|| io::Error::from_raw_os_error(err)))
    }
}

impl AsRawFd for PacketSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// What [`PacketSocket::peek`] learnt about the next queued packet.
#[derive(Clone, Copy, Debug)]
pub struct Peeked {
    /// Its length in the queue (after a filter's snap length cut it).
    pub len: usize,
    /// Where it came from (its `sockaddr_ll`).
    pub from: LinkAddr,
    /// PACKET_AUXDATA, when enabled.
    pub aux: Option<AuxData>,
    /// SCM_TIMESTAMPNS (seconds, nanoseconds), when enabled.
    pub ts: Option<(i64, i64)>,
}

/// The `sockaddr_ll` fields a capture keeps: the packet's protocol, the
/// interface, its hardware type, the packet type (incoming, outgoing …) and
/// the link-layer address.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkAddr {
    /// Ethertype, in network byte order as the kernel stores it.
    pub protocol_be: [u8; 2],
    pub ifindex: i32,
    pub hatype: u16,
    pub pkttype: u8,
    pub halen: u8,
    pub addr: [u8; 8],
}

/// The fields of `tpacket_auxdata` we use.
#[derive(Clone, Copy, Debug)]
pub struct AuxData {
    /// TP_STATUS_* bits (VLAN tag valid …).
    pub status: u32,
    /// Length of the packet on the wire, before any snap length cut.
    pub len: u32,
    pub vlan_tci: u16,
    pub vlan_tpid: u16,
}

/// Interface index for `name`, or `None` if there is no such interface.
pub fn if_nametoindex(name: &str) -> Option<u32> {
    let c = CString::new(name).ok()?;
    // SAFETY: `c` is a valid NUL-terminated string for the call.
    let idx = unsafe { libc::if_nametoindex(c.as_ptr()) };
    (idx != 0).then_some(idx)
}
