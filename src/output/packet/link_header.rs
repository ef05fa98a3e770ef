//! `-e`: the link header at the start of the line, tcpdump's way:
//! `MAC > MAC, ethertype IPv4 (0x0800), length 74: ` (and each VLAN tag),
//! the cooked headers' direction and address, `AF IPv4 (2)` for BSD
//! loopback, `ip: ` for raw IP. The fields come from
//! `decode::link_header`.

use super::link::ether_type_name;
use crate::decode::Decoded;
use crate::decode::LinkInfo;
use crate::decode::link_header::{self, LinkHeader};
use crate::decode::wlan::LlcToNet;
use crate::dissect::link::llc_words::{put_llc_header, put_snap_header};
use crate::output::fmt::Mac;
use crate::packet::Packet;
use etherparse::EtherType;
use std::io::{self, Write};

/// Write the `-e` prefix; `false` when the frame has no header to show
/// (the line then says what it can without one).
pub(super) fn write_link_header(
    w: &mut Vec<u8>,
    pkt: &Packet<'_>,
    d: &Decoded<'_>,
) -> io::Result<bool> {
    let family = match d.link {
        LinkInfo::Null { family } => Some(family),
        _ => None,
    };
    let len = pkt.orig_len;
    let h = link_header::read(pkt.link, pkt.data, family);
    match h {
        LinkHeader::Ethernet {
            src,
            dst,
            ether_type,
            cut,
            ..
        } => {
            write!(w, "{} > {}, ", Mac(src), Mac(dst))?;
            // tcpdump names each type field as it reaches it: the first
            // ends in the frame's length, later ones in a comma.
            let mut t = ether_type;
            for (i, tag) in h.tags().iter().enumerate() {
                write_ether_type(w, t)?;
                if i == 0 {
                    write!(w, ", length {len}: ")?;
                } else {
                    w.write_all(b", ")?;
                }
                write!(w, "vlan {}, p {}", tag.vid(), tag.pcp())?;
                if tag.dei() {
                    w.write_all(b", DEI")?;
                }
                w.write_all(b", ")?;
                t = tag.next_type;
            }
            // A tag the capture cut: the line goes on with ` [|vlan]`.
            if cut {
                return Ok(true);
            }
            let tagged = !h.tags().is_empty();
            if let Some(len_8023) = h.len_8023(len as usize) {
                w.write_all(b"802.3")?;
                if !tagged {
                    write!(w, ", length {len_8023}: ")?;
                }
            } else {
                write_ether_type(w, t)?;
                if tagged {
                    w.write_all(b", ")?;
                } else {
                    write!(w, ", length {len}: ")?;
                }
            }
        }
        LinkHeader::Cooked {
            packet_type,
            ifindex,
            mac,
            protocol,
        } => {
            match ifindex {
                // The interface and direction are already on the line.
                Some(ifindex) => write!(w, "ifindex {ifindex} ")?,
                None => write!(w, "{:>3} ", sll_packet_type(packet_type))?,
            }
            if let Some(mac) = mac {
                write!(w, "{} ", Mac(mac))?;
            }
            match protocol {
                super::link::SLL_802_3 => w.write_all(b"802.3")?,
                super::link::SLL_802_2 => w.write_all(b"802.2")?,
                t => write_ether_type(w, t)?,
            }
            write!(w, ", length {len}: ")?;
        }
        LinkHeader::Null { family } => {
            let name = match family {
                2 => "IPv4",
                7 => "OSI",
                16 => "Appletalk",
                23 => "IPX",
                24 | 28 | 30 => "IPv6",
                _ => "Unknown",
            };
            write!(w, "AF {name} ({family}), length {len}: ")?;
        }
        LinkHeader::Raw => w.write_all(b"ip: ")?,
        LinkHeader::None => return Ok(false),
    }
    // Behind a cooked packet's 802.1Q tag the LLC words follow the tag's
    // (`LinePrinter::write_body`).
    if let Some(l) = d.llc
        && !matches!(
            h,
            LinkHeader::Cooked {
                protocol: 0x8100,
                ..
            }
        )
    {
        write_llc_to_net(w, &l, h.len_8023(len as usize), pkt, d);
    }
    Ok(true)
}

/// The LLC header (and SNAP's) before the network layer it hands on, as
/// tcpdump's LLC printer words them under `-e`; SNAP's length is what
/// follows it of the 802.3 frame's length field (a cooked packet's
/// length after its header).
pub(super) fn write_llc_to_net(
    w: &mut Vec<u8>,
    l: &LlcToNet,
    len_8023: Option<usize>,
    pkt: &Packet<'_>,
    d: &Decoded<'_>,
) {
    put_llc_header(w, l.dsap, l.ssap, 3, true);
    if let Some(oui) = l.oui {
        let llc_at = d.net_offset.saturating_sub(l.len);
        let frame_len = len_8023.unwrap_or((pkt.orig_len as usize).saturating_sub(llc_at));
        put_snap_header(w, oui, l.ether_type, frame_len.saturating_sub(l.len));
    }
}

fn write_ether_type(w: &mut Vec<u8>, t: u16) -> io::Result<()> {
    write!(w, "ethertype {} (0x{t:04x})", ether_type_name(EtherType(t)))
}

/// Linux cooked packet types (the direction) as tcpdump names them.
pub(super) fn sll_packet_type(t: u16) -> &'static str {
    match t {
        0 => "In",
        1 => "B",
        2 => "M",
        3 => "P",
        4 => "Out",
        _ => "?",
    }
}
