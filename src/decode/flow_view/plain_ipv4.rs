//! The flow view's short way for the commonest frame: Ethernet (no VLAN
//! tag), IPv4 with no options and no fragment, a TCP segment whose fixed
//! header was captured or a UDP datagram that carries no tunnel. Every
//! packet of the bench's capture is one; the general walk
//! ([`FlowPacket::fill_from_frame_walk`]) asks the link table, the tag
//! loop, both IP versions, the authentication header and the tunnel table
//! before it gets there, and that was a fifth of a `read --flows`
//! worker's instructions.
//!
//! It fills exactly what the general walk fills, or nothing at all (the
//! walk then decides): `tests/flow_views_agree.rs` compares both, every
//! field, the payload and the checksum verdict, on every packet of every
//! capture and on cut and damaged copies.

use super::{FlowPacket, Proto, be16, checksum, segment_body, tunnel, window_scale};
use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_seq::SeqNumber;
use std::net::{IpAddr, Ipv4Addr};

impl FlowPacket {
    /// [`FlowPacket::fill_from_frame`] of an Ethernet frame `d` when it is
    /// the plain kind above (`self` untouched and `None` otherwise).
    #[inline]
    pub(super) fn fill_plain_ipv4<'a>(
        &mut self,
        d: &'a [u8],
        check: bool,
    ) -> Option<(&'a [u8], bool)> {
        let (Some(0x0800), Some(ip)) = (be16(d, 12), d.get(14..)) else {
            return None;
        };
        let header = ip.first_chunk::<20>()?;
        // Version 4 and a 20-byte header; not a fragment (MF or an offset).
        if header[0] != 0x45 || u16::from_be_bytes([header[6], header[7]]) & 0x3fff != 0 {
            return None;
        }
        let total = usize::from(u16::from_be_bytes([header[2], header[3]]));
        // A total length shorter than the header (0 under segmentation
        // offload) is ignored, as the walk does: trust the capture.
        let (ip_len, declared, end) = if total >= 20 {
            (total, total - 20, total.min(ip.len()))
        } else {
            (ip.len(), ip.len() - 20, ip.len())
        };
        let seg = ip.get(20..end)?;
        let src = IpAddr::V4(Ipv4Addr::new(
            header[12], header[13], header[14], header[15],
        ));
        let dst = IpAddr::V4(Ipv4Addr::new(
            header[16], header[17], header[18], header[19],
        ));
        let view = |proto, sport, dport| FlowPacket {
            proto,
            sport,
            dport,
            ..FlowPacket::ip_only(self.ts, (src, dst), 0, 0, ip_len as u32)
        };
        let fp = match header[9] {
            6 => {
                // The walk reads the fixed header's fields only when the
                // window's are there; a shorter one is left to it.
                let t = seg.first_chunk::<20>()?;
                let port = |at: usize| u16::from_be_bytes([t[at], t[at + 1]]);
                let word = |at: usize| u32::from_be_bytes([t[at], t[at + 1], t[at + 2], t[at + 3]]);
                let hl = usize::from(t[12] >> 4) * 4;
                // A header length tcpdump calls bad is read by no one: the
                // walk leaves such a segment without TCP fields.
                if hl < 20 || hl > declared {
                    return None;
                }
                let flags = TcpFlags::from_bits(t[13]);
                FlowPacket {
                    seq: SeqNumber(word(4)),
                    ack: SeqNumber(word(8)),
                    flags,
                    window: port(14),
                    wscale: if flags.contains(TcpFlags::SYN) {
                        seg.get(20..hl).and_then(window_scale)
                    } else {
                        None
                    },
                    payload_len: (declared as u32).saturating_sub(hl as u32),
                    ..view(Proto::Tcp, port(0), port(2))
                }
            }
            17 => {
                let u = seg.first_chunk::<8>()?;
                let (sport, dport) = (
                    u16::from_be_bytes([u[0], u[1]]),
                    u16::from_be_bytes([u[2], u[3]]),
                );
                // The conversation inside a tunnel is the walk's.
                if tunnel::udp(sport, dport).is_some() {
                    return None;
                }
                FlowPacket {
                    payload_len: (declared as u32).saturating_sub(8),
                    ..view(Proto::Udp, sport, dport)
                }
            }
            _ => return None,
        };
        *self = fp;
        // What IP declares the segment's length to be, for the checksum.
        let seg_len = total.saturating_sub(20);
        let bad = check && checksum::plain_ipv4_bad(header, seg, seg_len);
        Some((segment_body(fp.proto, fp.payload_len, seg), bad))
    }
}
