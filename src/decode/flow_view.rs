//! A direct path from frame bytes to a [`FlowPacket`], for when only flows
//! are wanted (`--flows -q`): it reads the dozen header fields the tracker
//! needs without building etherparse's full lax slice (whose construction
//! copies a few hundred bytes per packet). It gives the same `FlowPacket` as
//! [`FlowPacket::from_lax`] for every packet that etherparse slices cleanly;
//! the test `from_frame_agrees_with_from_lax` checks that on the captures.
//! Every read is bounds-checked: damaged input yields `None` or a partial
//! view, never a panic.

use crate::decode::link::{self, Payload};
use crate::flow::key::{FlowPacket, Proto, icmp_ports, window_scale};
use crate::packet::{LinkType, Timestamp};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn be16(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(i)?, *d.get(i + 1)?]))
}

fn be32(d: &[u8], i: usize) -> Option<u32> {
    let b = d.get(i..i + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

impl FlowPacket {
    /// The flow view of a captured frame of the given link type; `None` for
    /// non-IP frames, unsupported link types, broken IP headers and TCP/UDP
    /// fragments.
    pub fn from_frame(ts: Timestamp, link: LinkType, data: &[u8]) -> Option<FlowPacket> {
        // The link headers are the decoder's: one place knows them.
        let ip = match link::strip(link, data).1 {
            Payload::Ethernet(frame) => ethernet_payload(frame)?,
            Payload::EtherType(ether_type, rest) => ethertype_payload(ether_type.0, rest)?,
            Payload::Ip(ip) => ip,
            Payload::TooShort(_) | Payload::Unsupported(_) => return None,
        };
        from_ip(ts, ip)
    }
}

/// Skip the Ethernet header and any VLAN tags; the IP packet if the
/// EtherType is IPv4 or IPv6.
fn ethernet_payload(d: &[u8]) -> Option<&[u8]> {
    ethertype_payload(be16(d, 12)?, d.get(14..)?)
}

fn ethertype_payload(mut ether_type: u16, mut rest: &[u8]) -> Option<&[u8]> {
    // 802.1Q, 802.1ad and the old double-tag type: 4 bytes each, up to three.
    for _ in 0..3 {
        if !matches!(ether_type, 0x8100 | 0x88a8 | 0x9100) {
            break;
        }
        ether_type = be16(rest, 2)?;
        rest = rest.get(4..)?;
    }
    // Like etherparse, the IP version nibble (not the EtherType) picks v4 or v6.
    match ether_type {
        0x0800 | 0x86dd => Some(rest),
        _ => None,
    }
}

/// Parse an IP packet (v4 or v6, told by the version nibble).
pub(crate) fn from_ip(ts: Timestamp, d: &[u8]) -> Option<FlowPacket> {
    let (src, dst, ip_len, pl, proto, fragmented, payload) = match d.first()? >> 4 {
        4 => {
            let hl = (d[0] & 0x0f) as usize * 4;
            if hl < 20 || d.len() < hl {
                return None;
            }
            let total = be16(d, 2)? as usize;
            // A total length shorter than the header (0 with TCP segmentation
            // offload) is ignored, as etherparse's lax slicing does: trust the capture.
            let (ip_len, pl, end) = if total >= hl {
                (total, total - hl, total.min(d.len()))
            } else {
                (d.len(), d.len() - hl, d.len())
            };
            let frag = be16(d, 6)? & 0x3fff != 0;
            let src = Ipv4Addr::from(be32(d, 12)?);
            let dst = Ipv4Addr::from(be32(d, 16)?);
            (
                IpAddr::V4(src),
                IpAddr::V4(dst),
                ip_len,
                pl,
                d[9],
                frag,
                &d[hl..end],
            )
        }
        6 => {
            if d.len() < 40 {
                return None;
            }
            let declared = be16(d, 4)? as usize;
            let end = if declared == 0 {
                d.len()
            } else {
                (40 + declared).min(d.len())
            };
            let mut next = d[6];
            let mut off = 40;
            let mut frag = false;
            // Extension headers etherparse understands: hop-by-hop, routing,
            // destination options, fragment, authentication. One that does not
            // fit stops the walk and becomes the payload, as in etherparse's lax mode.
            for _ in 0..8 {
                let len = match (next, d.get(off + 1)) {
                    (0 | 43 | 60, Some(&l)) => (l as usize + 1) * 8,
                    (51, Some(&l)) => (l as usize + 2) * 4,
                    (44, Some(_)) => 8,
                    _ => break,
                };
                if off + len > end {
                    break;
                }
                if next == 44 {
                    frag |= be16(d, off + 2)? & 0xfff9 != 0;
                }
                next = d[off];
                off += len;
            }
            let ext = off - 40;
            let pl = if declared >= ext && declared != 0 {
                declared - ext
            } else {
                end.saturating_sub(off)
            };
            let src = Ipv6Addr::from(<[u8; 16]>::try_from(d.get(8..24)?).ok()?);
            let dst = Ipv6Addr::from(<[u8; 16]>::try_from(d.get(24..40)?).ok()?);
            let ip_len = 40 + declared.max(pl + ext);
            (
                IpAddr::V6(src),
                IpAddr::V6(dst),
                ip_len,
                pl,
                next,
                frag,
                &d[off..end],
            )
        }
        _ => return None,
    };
    let mut fp = FlowPacket {
        ts,
        src,
        dst,
        proto: Proto::Other(proto),
        sport: 0,
        dport: 0,
        seq: 0,
        ack: 0,
        flags: 0,
        window: 0,
        wscale: None,
        payload_len: pl as u32,
        ip_len: ip_len as u32,
        bad_checksum: false,
    };
    if fragmented {
        // A fragment carries no ports we can trust (etherparse does not
        // slice a fragmented transport either).
        return if proto == 6 || proto == 17 {
            None
        } else {
            Some(fp)
        };
    }
    match proto {
        6 if payload.len() >= 20 => {
            fp.proto = Proto::Tcp;
            fp.sport = be16(payload, 0)?;
            fp.dport = be16(payload, 2)?;
            fp.seq = be32(payload, 4)?;
            fp.ack = be32(payload, 8)?;
            fp.flags = payload[13];
            fp.window = be16(payload, 14)?;
            let hl = ((payload[12] >> 4) as usize * 4).max(20);
            fp.payload_len = (pl as u32).saturating_sub(hl as u32);
            if fp.flags & crate::flow::key::tcp_flags::SYN != 0 {
                fp.wscale = payload.get(20..hl).and_then(window_scale);
            }
        }
        17 if payload.len() >= 8 => {
            fp.proto = Proto::Udp;
            fp.sport = be16(payload, 0)?;
            fp.dport = be16(payload, 2)?;
            fp.payload_len = (pl as u32).saturating_sub(8);
        }
        1 | 58 if payload.len() >= 8 => {
            fp.proto = Proto::Icmp;
            let rest = [payload[4], payload[5], payload[6], payload[7]];
            let (req, rep) = if proto == 1 { (8, 0) } else { (128, 129) };
            (fp.sport, fp.dport) = icmp_ports(payload[0], payload[1], req, rep, rest);
            fp.payload_len = (pl as u32).saturating_sub(8);
        }
        _ => {}
    }
    Some(fp)
}
