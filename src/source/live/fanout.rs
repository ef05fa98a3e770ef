//! Several rings for one capture: N TPACKET_V3 rings in one PACKET_FANOUT
//! group, so that the kernel hands each packet to exactly one of them and
//! N threads can each read one ring (Zeek's and Suricata's AF_PACKET
//! workers). The group hashes each packet's flow (`PACKET_FANOUT_HASH`, the
//! same for both directions) and reassembles IP fragments first
//! (`PACKET_FANOUT_FLAG_DEFRAG`), so a connection and all its fragments land
//! on one ring, and per-flow state can live in that ring's worker.
//!
//! Joining without duplicates: a socket starts receiving at `bind`, but can
//! join the group only once bound. Until it has joined it would get its own
//! copy of every packet the group also gets, so each ring is opened with a
//! filter that takes nothing, joins, and only then gets the capture's real
//! filter (or none).

use super::ring::{RingOpenError, RingSource};
use super::{Backend, CaptureBackend, Direction, LiveError, LiveOptions, LiveSource, StopHandle};
use crate::source::SourceError;
use crate::sys::{self, PacketSocket};

/// `ret #0`: the kernel keeps no byte of any packet.
pub(super) const DROP_ALL: libc::sock_filter = libc::sock_filter {
    code: 0x06,
    jt: 0,
    jf: 0,
    k: 0,
};

/// Flow hash (symmetric: both directions of a connection on one ring),
/// with IP fragments put back together before hashing.
const MODE: u16 = (libc::PACKET_FANOUT_HASH | libc::PACKET_FANOUT_FLAG_DEFRAG) as u16;

/// The group's own "ignore outgoing": under fanout the kernel calls the
/// group's hook, not the socket's, so the socket option has no effect there.
const IGNORE_OUTGOING: u16 = libc::PACKET_FANOUT_FLAG_IGNORE_OUTGOING as u16;

/// How a ring being opened joins the group: the stop handle all rings share
/// (one eventfd wakes every worker), and the group's id once the first ring
/// created it.
pub(super) struct GroupJoin {
    pub(super) stop: StopHandle,
    id: Option<u16>,
    mode: u16,
}

impl GroupJoin {
    /// Join the group with a bound socket (the first ring creates it under
    /// an id the kernel picks, so two captures never share a group).
    pub(super) fn enter(
        &mut self,
        sock: &PacketSocket,
        ctx: &dyn Fn(&'static str, std::io::Error) -> SourceError,
    ) -> Result<(), SourceError> {
        let id = match sock.join_fanout(self.id, self.mode) {
            Ok(id) => id,
            // Kernels before 6.9 do not know the group's ignore-outgoing
            // flag: the reader then skips loopback's outgoing copies itself.
            Err(e)
                if self.id.is_none()
                    && self.mode & IGNORE_OUTGOING != 0
                    && e.raw_os_error() == Some(libc::EINVAL) =>
            {
                self.mode &= !IGNORE_OUTGOING;
                sock.join_fanout(None, self.mode)
                    .map_err(|e| ctx("joining a PACKET_FANOUT group", e))?
            }
            Err(e) => return Err(ctx("joining a PACKET_FANOUT group", e)),
        };
        self.id = Some(id);
        Ok(())
    }
}

/// Open `rings` rings on `opts`'s interface in one new fanout group; every
/// packet that arrives once this returns goes to exactly one of them. The
/// sources share one [`StopHandle`] (stopping one stops all). Needs the
/// ring backend.
pub fn open_fanout(opts: &LiveOptions, rings: usize) -> Result<Vec<LiveSource>, SourceError> {
    let iface = opts.interface.as_str();
    if opts.backend != CaptureBackend::Ring {
        return Err(LiveError::FanoutNeedsRing {
            interface: iface.to_string(),
            why: "the pnet backend was asked for".to_string(),
        }
        .into());
    }
    let r = super::resolve(iface)?;
    let stop = StopHandle::new().map_err(|e| {
        SourceError::from(LiveError::socket(
            iface,
            None,
            "creating the stop eventfd",
            e,
        ))
    })?;
    // Loopback shows each packet twice (out and in); `-Q in` wants no
    // outgoing copy either: the group drops them where the kernel can.
    let on_lo = r.ifindex != 0 && Some(r.ifindex) == sys::if_nametoindex("lo");
    let mode = if on_lo || opts.direction == Direction::In {
        MODE | IGNORE_OUTGOING
    } else {
        MODE
    };
    let mut join = GroupJoin {
        stop,
        id: None,
        mode,
    };
    let mut out = Vec::with_capacity(rings);
    for _ in 0..rings.max(1) {
        match RingSource::open(opts, r, Some(&mut join)) {
            Ok(s) => out.push(LiveSource {
                inner: Backend::Ring(s),
            }),
            Err(RingOpenError::Failed(e)) => return Err(e),
            Err(RingOpenError::Unsupported(why)) => {
                return Err(LiveError::FanoutNeedsRing {
                    interface: iface.to_string(),
                    why,
                }
                .into());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_hashes_flows_and_defragments() {
        assert_eq!(MODE & 0xff, libc::PACKET_FANOUT_HASH as u16);
        assert_ne!(MODE & libc::PACKET_FANOUT_FLAG_DEFRAG as u16, 0);
        assert_eq!(MODE & IGNORE_OUTGOING, 0);
        assert_eq!((DROP_ALL.code, DROP_ALL.k), (0x06, 0));
    }
}
