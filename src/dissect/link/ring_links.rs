//! Token Ring (link type 6), FDDI (10) and RFC 1483 ATM (11, 100)
//! captures in `tcpdump -n`'s words: the ring header by
//! [`rings::write_header`] (under `-e`; Token Ring's source route always;
//! a frame that is no LLC frame: the header and its bytes in hex, FDDI's
//! SMT words), ATM's Cisco NLPID (`CNLPID `) and the Fore driver's 802.6
//! pseudo-header in hex under `-e`, then the LLC PDU: the network layer
//! for IP, IPv6 and ARP behind LLC/SNAP (under `-e` the LLC and SNAP
//! words first), the LLC printer for the others. Where the headers end
//! is `decode::rings`'.

use super::llc_words::put_llc_to_net;
use super::rings::{self, After};
use super::wlan::LlcBody;
use super::{Frame, OsiPdu, Tail};
use crate::decode::rings::{
    ATM_802_6_LEN, IPFC, IPFC_LEN, Start, cnlpid_ether_type, is_atm, is_clip, llc_to_net, ring_of,
    start,
};

pub(super) use crate::decode::rings::handles;

/// The words before the network layer (or the LLC printer); `true` when
/// `-e` printed the link header.
pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    if let Some(ring) = ring_of(f.link) {
        let at = w.len();
        let level = (f.eflag, f.verbose);
        if rings::write_header(w, ring, f.data, f.orig_len, level) == After::Cut {
            // The decoded packet's problem says the mark.
            let mark = format!(" [|{}]", ring.name());
            if w.ends_with(mark.as_bytes()) {
                w.truncate(w.len() - mark.len());
            }
            return w.len() > at;
        }
    } else if f.link == IPFC {
        // The MAC addresses in the network addresses, then the length
        // (nothing of a cut header: the mark says it).
        let (Some(dst), Some(src)) = (f.data.get(2..8), f.data.get(10..IPFC_LEN)) else {
            return false;
        };
        if f.eflag {
            put_mac(w, src);
            w.extend_from_slice(b" > ");
            put_mac(w, dst);
            super::super::ctl::out!(w, ", length {}: ", f.orig_len);
        }
    } else if f.eflag && is_clip(f.link) {
        // Classical IP's header is the record's length on the wire.
        super::super::ctl::out!(w, "{}: ", f.orig_len);
    } else if f.eflag {
        match start(f.link, f.data) {
            Start::Cnlpid => {
                w.extend_from_slice(b"CNLPID ");
                if let (Some(_), Some(&nlpid)) = (cnlpid_ether_type(f.data), f.data.get(1)) {
                    crate::dissect::isis::put_nlpid_words(w, nlpid);
                }
            }
            // The pseudo-header's words come before its length check.
            Start::Llc(ATM_802_6_LEN) | Start::Cut if f.data.len() >= 16 => {
                let d = f.data;
                for (i, word) in d.chunks_exact(4).take(4).enumerate() {
                    for b in word {
                        super::super::ctl::out!(w, "{b:02x}");
                    }
                    w.extend_from_slice(if i == 1 { b" " } else { b"" });
                }
                w.push(b' ');
            }
            _ => {}
        }
    }
    if f.eflag
        && let Some((l, at)) = llc_to_net(f.link, f.data)
    {
        put_llc_to_net(w, &l, f.orig_len.saturating_sub(at + l.len));
    }
    f.eflag
}

fn put_mac(w: &mut Vec<u8>, mac: &[u8]) {
    for (i, b) in mac.iter().enumerate() {
        super::super::ctl::out!(w, "{}{b:02x}", if i == 0 { "" } else { ":" });
    }
}

/// The LLC PDU of a frame that carries no IP packet, for the LLC printer.
pub(super) fn llc_body<'a>(f: &Frame<'a>) -> Option<LlcBody<'a>> {
    let Start::Llc(at) = start(f.link, f.data) else {
        return None;
    };
    // The addresses the LLC printer names (ATM has none).
    let (mut src, mut dst) = ([0; 6], [0; 6]);
    if let Some(ring) = ring_of(f.link) {
        let fixed = if ring == rings::Ring::TokenRing {
            14
        } else {
            13
        };
        dst.copy_from_slice(f.data.get(fixed - 12..fixed - 6)?);
        src.copy_from_slice(f.data.get(fixed - 6..fixed)?);
        if ring == rings::Ring::TokenRing {
            src[0] &= 0x7f;
        }
    } else if f.link == IPFC {
        dst.copy_from_slice(f.data.get(2..8)?);
        src.copy_from_slice(f.data.get(10..IPFC_LEN)?);
    }
    Some(LlcBody {
        src,
        dst,
        bytes: f.data.get(at..)?,
        wire_len: f.orig_len.saturating_sub(at),
        offset: at,
    })
}

/// Whether the LLC printer names the frame's addresses (ATM has none).
pub(super) fn has_addresses(link: u32) -> bool {
    !is_atm(link)
}

/// The bytes after the header of a ring frame that is no LLC frame (the
/// header's words are [`write_prefix`]'s); FDDI's SMT frames have none.
pub(super) fn write_message<'a>(_w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    match start(f.link, f.data) {
        Start::Other(at) if !is_smt(f) => Some(Tail::ascii(f.data.get(at..)?)),
        _ => None,
    }
}

fn is_smt(f: &Frame<'_>) -> bool {
    ring_of(f.link) == Some(rings::Ring::Fddi) && f.data.first().is_some_and(|fc| fc & 0xf0 == 0x40)
}

/// Where the `-x` dump of a ring frame that is no LLC frame starts:
/// after its header and route.
pub(super) fn dump_from(f: &Frame<'_>) -> Option<usize> {
    match start(f.link, f.data) {
        Start::Other(at) => Some(at),
        _ => None,
    }
}

/// Where the `-x` dump of a frame whose header was cut starts: nowhere
/// (the printers return what was captured), but after Token Ring's fixed
/// header when its route's control field is cut; ATM's from the first
/// byte (its printer's `longjmp` on the bytes it wants).
pub(super) fn cut_dump_from(f: &Frame<'_>) -> Option<usize> {
    let len = f.data.len();
    Some(match ring_of(f.link) {
        Some(rings::Ring::TokenRing) if (14..16).contains(&len) => 14,
        Some(_) => len,
        // ATM's and IP over Fibre Channel's printers give up before
        // counting their header.
        None => 0,
    })
}

/// Where the `-x` dump of a frame whose IP packet starts at `net_offset`
/// starts: at the NLPID the ISO printer read before it (ATM's Cisco
/// NLPID, LLC's SAP 0xfe), else at the IP header (`None`).
pub(super) fn ip_dump_from(f: &Frame<'_>, net_offset: usize) -> Option<usize> {
    match start(f.link, f.data) {
        Start::Cnlpid => Some(1),
        _ => llc_to_net(f.link, f.data)
            .filter(|(l, _)| l.nlpid.is_some())
            .map(|(l, _)| net_offset.saturating_sub(l.dumped_header_len())),
    }
}

/// ATM's Cisco-style NLPID: tcpdump's ISO printer from the second byte,
/// the dump from there too.
pub(super) fn osi_pdu(f: &Frame<'_>) -> Option<OsiPdu> {
    (start(f.link, f.data) == Start::Cnlpid).then_some(OsiPdu::At {
        at: 1,
        dump_from: 1,
    })
}

/// The `--json` `"link_layer"` object: the ring's frame control (Token
/// Ring's access control too), addresses and route, ATM's encapsulation,
/// and the LLC header (with SNAP's OUI and type) where one is captured.
pub(super) fn to_json(f: &Frame<'_>) -> Option<serde_json::Value> {
    use serde_json::json;
    let d = f.data;
    let mac = |at: usize| -> Option<String> {
        let a = d.get(at..at + 6)?;
        Some(
            a.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":"),
        )
    };
    let start = start(f.link, d);
    let mut o = match ring_of(f.link) {
        Some(rings::Ring::TokenRing) => {
            let mut o = json!({"type": "token-ring", "access_control": *d.first()?,
                               "frame_control": *d.get(1)?});
            if let (Some(dst), Some(mut src)) = (mac(2), mac(8)) {
                let routed = d[8] & 0x80 != 0;
                if routed {
                    // The route's bit is no part of the address.
                    src.replace_range(..2, &format!("{:02x}", d[8] & 0x7f));
                }
                o["dst"] = json!(dst);
                o["src"] = json!(src);
                if let (true, Some(rcf)) = (routed, d.get(14..16)) {
                    let len = usize::from(rcf[0] & 0x1f);
                    let segments: Vec<u16> = d
                        .get(16..14 + len.max(2))
                        .unwrap_or(&[])
                        .chunks_exact(2)
                        .map(|s| u16::from_be_bytes([s[0], s[1]]))
                        .collect();
                    o["route"] = json!({"control": u16::from_be_bytes([rcf[0], rcf[1]]),
                                        "segments": segments});
                }
            }
            o
        }
        Some(rings::Ring::Fddi) => {
            let mut o = json!({"type": "fddi", "frame_control": *d.first()?});
            if let (Some(dst), Some(src)) = (mac(1), mac(7)) {
                o["dst"] = json!(dst);
                o["src"] = json!(src);
            }
            o
        }
        None if f.link == IPFC => {
            let (dst, src) = (mac(2)?, mac(10)?);
            json!({"type": "ipfc", "dst": dst, "src": src})
        }
        None if is_clip(f.link) => {
            let encapsulation = match start {
                Start::Llc(_) => "llc",
                Start::Ipv4 => "ip",
                _ => return None,
            };
            json!({"type": "atm_clip", "encapsulation": encapsulation})
        }
        None => {
            let encapsulation = match start {
                Start::Cnlpid => "cnlpid",
                Start::Llc(ATM_802_6_LEN) => "802.6",
                Start::Llc(_) => "llc",
                _ => return None,
            };
            json!({"type": "atm", "encapsulation": encapsulation})
        }
    };
    if let Start::Llc(at) = start
        && let Some(&[dsap, ssap, control]) = d.get(at..at + 3)
    {
        let mut llc = json!({"dsap": dsap, "ssap": ssap, "control": control});
        if dsap & 0xfe == 0xaa
            && ssap & 0xfe == 0xaa
            && let Some(s) = d.get(at + 3..at + 8)
        {
            llc["oui"] = json!(u32::from_be_bytes([0, s[0], s[1], s[2]]));
            llc["pid"] = json!(u16::from_be_bytes([s[3], s[4]]));
        }
        o["llc"] = llc;
    }
    Some(o)
}
