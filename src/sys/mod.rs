//! The one place `unsafe` is allowed: AF_PACKET sockets and the socket
//! options pnet does not set for us ([`socket`]), the TPACKET_V3 receive
//! ring ([`ring`]), the eventfd that wakes a waiting capture ([`eventfd`]),
//! the local time zone offset ([`localtime`]), the signal dispositions
//! `ctrlc` does not cover ([`signals`]), write-intent prefetch hints
//! ([`prefetch`]), giving up root once the
//! sockets are open ([`privs`]), and the terminal's width ([`term`]), and ending the process without the
//! allocator's exit hook ([`exit`]).
//!
//! Every `unsafe` block is one libc call (or one pointer access into the ring,
//! or a prefetch hint) whose arguments are built right above it; everything
//! that interprets bytes
//! lives in safe code (`source::live`). This module imports nothing from the
//! rest of the crate: callers hand it plain libc types (a BPF program is a
//! slice of `libc::sock_filter`).

pub mod eventfd;
pub mod exit;
pub mod localtime;
pub mod prefetch;
pub mod privs;
pub mod ring;
pub mod signals;
pub mod socket;
pub mod term;

use std::io;

pub use eventfd::EventFd;
pub use localtime::utc_offset_secs;
pub use ring::Ring;
pub use socket::{AuxData, LinkAddr, PacketSocket, Peeked, Readiness, SockKind, if_nametoindex};

/// A libc return value as a `Result`: negative means `errno` says why.
fn cvt(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}
