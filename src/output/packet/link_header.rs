//! `-e`: the link header at the start of the line, tcpdump's way:
//! `MAC > MAC, ethertype IPv4 (0x0800), length 74: ` (and each VLAN tag),
//! the cooked headers' direction and address, `AF IPv4 (2)` for BSD
//! loopback, `ip: ` for raw IP. The fields come from
//! `decode::link_header`.

use super::link::ether_type_name;
use crate::decode::Decoded;
use crate::decode::LinkInfo;
use crate::decode::link_header::{self, LinkHeader, VlanTag};
use crate::decode::macsec::{self, SecTag};
use crate::decode::wlan::LlcToNet;
use crate::dissect::link::llc_words::put_llc_to_net;
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
    let mut len = pkt.orig_len;
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
            // A switch tag's words (`-e`) and bytes, as tcpdump counts
            // them: the frame's length is the record's.
            if let Some(tag) = super::switch_tag::of(pkt) {
                if tag.in_header() {
                    tag.write_words(w);
                }
                len += tag.len();
            }
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
                write_tag(w, *tag)?;
                t = tag.next_type;
            }
            // A tag the capture cut: the line goes on with ` [|vlan]`.
            if cut {
                return Ok(true);
            }
            // Arista's printer names its EtherType itself, at every level
            // (behind VLAN tags too: nothing, when its sub-type is cut).
            if crate::decode::arista::find(pkt).is_some() {
                return Ok(true);
            }
            let mut tagged = !h.tags().is_empty();
            let mut in_macsec = false;
            // MACsec: its tag's words, then (a payload in the clear) the
            // EtherType inside it, as after a VLAN tag; the body says
            // the rest of a cut, invalid or confidential one.
            if let Some(found) = super::macsec::sectag(pkt) {
                write_ether_type(w, t)?;
                if tagged {
                    w.write_all(b", ")?;
                } else {
                    write!(w, ", length {len}: ")?;
                }
                let SecTag::Tag(tag) = found.tag else {
                    return Ok(true);
                };
                super::macsec::put_words(w, &tag)?;
                let body = found.at + tag.size();
                let secure = macsec::secure_data(pkt, body, &tag);
                let (Some(secure), false) = (secure, tag.confidential()) else {
                    return Ok(true);
                };
                // The EtherType inside, and VLAN tags inside (within what
                // the printers may read); a cut one: the body's words.
                if secure.cap < 2 {
                    return Ok(true);
                }
                let inside = macsec::inner(pkt.data, body, body + secure.snap);
                let mut inner = inside.first;
                for tag in &inside.tags[..inside.n_tags] {
                    write_ether_type(w, inner)?;
                    w.write_all(b", ")?;
                    write_tag(w, *tag)?;
                    inner = tag.next_type;
                }
                let Some(inner) = inside.ether_type else {
                    return Ok(true);
                };
                t = inner;
                (tagged, in_macsec) = (true, true);
            }
            // (Inside MACsec only whether it is one matters: tagged, the
            // length is not printed.)
            let len_8023 = match in_macsec {
                true => (t <= 1500).then_some(usize::from(t)),
                false => h.len_8023(pkt.orig_len as usize),
            };
            if t == crate::decode::link::ALTEON_JUMBO && !in_macsec {
                // Alteon's jumbo frame: the LLC header's words follow the
                // addresses (or the tags) straight away.
            } else if let Some(len_8023) = len_8023 {
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
                // tcpdump names only EtherTypes: GRE's 0x00fe or PUP's
                // 0x0200 are lengths on Ethernet, and unknown here.
                t if t <= 1500 => write!(w, "ethertype Unknown (0x{t:04x})")?,
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
        write_llc_to_net(w, &l, h.len_8023(pkt.orig_len as usize), pkt, d);
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
    let llc_at = d.net_offset.saturating_sub(l.len);
    let frame_len = len_8023.unwrap_or((pkt.orig_len as usize).saturating_sub(llc_at));
    put_llc_to_net(w, l, frame_len.saturating_sub(l.len));
}

/// A VLAN tag's words, `vlan 5, p 0, ` (`DEI, ` when set).
fn write_tag(w: &mut Vec<u8>, tag: VlanTag) -> io::Result<()> {
    write!(w, "vlan {}, p {}, ", tag.vid(), tag.pcp())?;
    if tag.dei() {
        w.write_all(b"DEI, ")?;
    }
    Ok(())
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
