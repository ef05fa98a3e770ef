//! Juniper's records in a line, as tcpdump 4.99 prints them: under `-e`
//! the direction (`Out `, ` In `), under `-vv` the flags
//! (`\n\tJuniper PCAP Flags [Ext, In]`) and each extension TLV by name,
//! then `-e`'s `no-L2-hdr, `, the PIC and its cookie (`AS-PIC, cookie-len
//! 8, cookie 0x47…: `), ATM2's `control-word 0x08380000 `, `hlen 4, proto
//! 0x0000, `, the multilink types' `Bundle-ID 5: ` and the PIC's own header
//! (ES's SA, the monitoring and services PICs' ids, GGSN's protocol and
//! VLAN); then the frame or packet inside. The header's own messages
//! (`no magic-number found!`, a TLV too long, `no IP-hdr found!`, an
//! unknown ES type or GGSN protocol) are the whole line. One writer for
//! every Juniper link type: where the walk stops is `decode::juniper`'s.

use super::juniper_names::{encapsulation, media_type, tlv_name};
use super::{Frame, Tail};
use crate::decode::juniper::{
    self, Atm, Cut, ES, ES_LEN, End, FLAG_EXT, FLAG_NAMES, FLAG_NO_L2, GGSN, Header, MONITOR,
    SERVICE_LEN, SERVICES, Tlv,
};
use crate::dissect::ctl::out;
use serde_json::{Value, json};

/// `-vv`'s words of one TLV.
fn write_tlv(w: &mut Vec<u8>, t: &Tlv<'_>) {
    out!(
        w,
        "\n\t  {} Extension TLV #{}, length {}, value ",
        tlv_name(t.kind),
        t.kind,
        t.value.len()
    );
    let Some(v) = t.number() else {
        return;
    };
    match t.kind {
        // The interface's name: tcpdump prints nothing of it.
        2 => {}
        3 | 7 => out!(w, "{} ({v})", media_type(v)),
        6 | 8 => out!(w, "{} ({v})", encapsulation(v)),
        _ => out!(w, "{v}"),
    }
}

/// The header's words up to where tcpdump's walk stopped (the words of
/// a record whose header was read whole end with `hlen 4, proto 0x0000,
/// `); `eflag`: `-e`, `verbose`: `-v`'s level.
pub fn write_header(w: &mut Vec<u8>, h: &Header<'_>, eflag: bool, verbose: u8) {
    if matches!(h.end, End::Cut(Cut::Start) | End::NoMagic) {
        return;
    }
    if eflag {
        w.extend_from_slice(if h.inbound() { b" In " } else { b"Out " });
    }
    let vv = verbose > 1;
    if vv {
        w.extend_from_slice(b"\n\tJuniper PCAP Flags [");
        let mut sep = "";
        for (bit, name) in FLAG_NAMES {
            if h.flags & bit != 0 {
                out!(w, "{sep}{name}");
                sep = ", ";
            }
        }
        if sep.is_empty() {
            w.extend_from_slice(b"none");
        }
        w.push(b']');
    }
    if h.flags & FLAG_EXT != 0 {
        if let (true, Some(len)) = (vv, h.ext_len) {
            out!(w, ", PCAP Extension(s) total length {len}");
        }
        let Some(ext) = h.ext else {
            return;
        };
        for t in juniper::tlvs(ext) {
            match t {
                Ok(t) if vv => write_tlv(w, &t),
                Ok(_) => {}
                Err(_) => return,
            }
        }
        if vv {
            w.extend_from_slice(b"\n\t-----original packet-----\n\t");
        }
    }
    if h.flags & FLAG_NO_L2 != 0 {
        if eflag {
            w.extend_from_slice(b"no-L2-hdr, ");
        }
        return;
    }
    if let (Some((_, name)), Some(len)) = (juniper::pic(h.link), h.cookie_len) {
        if eflag {
            out!(w, "{name}-PIC, cookie-len {len}");
        }
        if matches!(h.end, End::BadCookie | End::Cut(Cut::Cookie)) {
            return;
        }
        if eflag {
            if !h.cookie.is_empty() {
                w.extend_from_slice(b", cookie 0x");
                for b in h.cookie {
                    out!(w, "{b:02x}");
                }
            }
            w.extend_from_slice(b": ");
        }
    }
    if let (true, End::Payload { at, proto }) = (eflag, h.end) {
        if let Some((word, _)) = h.control_word {
            out!(w, "control-word 0x{word:08x} ");
        }
        out!(w, "hlen {at}, proto 0x{proto:04x}, ");
        if let Some((bundle, sep)) = crate::decode::juniper_ml::bundle_words(h) {
            out!(w, "Bundle-ID {bundle}{sep}");
        }
    }
}

/// The words before the network layer; `true` when `-e` printed them
/// (the IP printer then leaves out its `IP `).
pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    let h = juniper::header(f.link, f.data);
    write_header(w, &h, f.eflag, f.verbose);
    let End::Payload { at, .. } = h.end else {
        return f.eflag;
    };
    if !f.eflag {
        return false;
    }
    let rest = f.data.get(at..).unwrap_or_default();
    let be = |i: usize, n: usize| -> u32 {
        rest.get(i..i + n)
            .map_or(0, |b| b.iter().fold(0, |v, &b| (v << 8) | u32::from(b)))
    };
    match f.link {
        ES if rest.len() >= ES_LEN => {
            let kind = rest[3];
            let Some(skip) = juniper::es_rewrite(kind) else {
                return true;
            };
            let len = f.orig_len.saturating_sub(at + skip);
            out!(
                w,
                "ES SA, index {}, ttl {} type {} ({kind}), ",
                be(0, 2),
                rest[2],
                es_type(kind)
            );
            if skip > 0 {
                out!(
                    w,
                    "spi {}, Tunnel {}.{}.{}.{} > {}.{}.{}.{}, ",
                    be(4, 4),
                    rest[8],
                    rest[9],
                    rest[10],
                    rest[11],
                    rest[12],
                    rest[13],
                    rest[14],
                    rest[15]
                );
            }
            out!(w, "length {len}\n");
        }
        MONITOR if rest.len() >= SERVICE_LEN => out!(
            w,
            "service-id {}, iif {}, pkt-type {}: ",
            be(4, 4),
            be(2, 2),
            rest[0]
        ),
        SERVICES if rest.len() >= SERVICE_LEN => out!(
            w,
            "service-id {} flags 0x{:02x} service-set-id 0x{:04x} iif {}: ",
            rest[0],
            rest[1],
            be(2, 2),
            be(5, 3)
        ),
        // The ISO printer's words before the IP packet.
        juniper::MLFR | juniper::MFR | juniper::MLPPP => {
            // (The ISO printer's own, for the PDUs it reads itself.)
            if let Some(juniper::Ml::Osi(from)) = juniper::ml(f.link, f.data)
                && let Some(&nlpid) = f.data.get(from)
                && crate::decode::wlan::nlpid_ether_type(nlpid).is_some()
            {
                crate::dissect::isis::put_nlpid_words(w, nlpid);
            }
        }
        // Cisco's NLPID: the ISO printer's words before the IP packet.
        juniper::ATM1 | juniper::ATM2 if juniper::atm(&h, rest) == Some(Atm::Cnlpid) => {
            if let (Some(_), Some(&nlpid)) =
                (crate::decode::rings::cnlpid_ether_type(rest), rest.get(1))
            {
                crate::dissect::isis::put_nlpid_words(w, nlpid);
            }
        }
        GGSN => {
            let proto = h.cookie.get(2).copied().unwrap_or(0);
            let vlan = h
                .cookie
                .get(4..6)
                .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]));
            out!(w, "proto {} ({proto}), vlan {vlan}: ", ggsn_proto(proto));
        }
        _ => {}
    }
    true
}

fn es_type(kind: u8) -> &'static str {
    match kind {
        1 => "ESP ENCR-AUTH",
        2 => "ESP ENCR-AH AUTH",
        3 => "ESP AUTH",
        4 => "AH AUTH",
        5 => "ESP ENCR",
        _ => "Unknown",
    }
}

fn ggsn_proto(p: u8) -> &'static str {
    match p {
        1 => "Null",
        2 => "IPv4",
        6 => "IPv6",
        _ => "Unknown",
    }
}

/// The line of a record that carries no packet the IP printers take: the
/// header's own messages.
pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    let h = juniper::header(f.link, f.data);
    match h.end {
        End::NoMagic => w.extend_from_slice(b"no magic-number found!"),
        End::BadTlv(left, want) => out!(w, " [extension_length {left} < {want}] (invalid)"),
        End::BadCookie => w.extend_from_slice(b" (invalid)"),
        End::NoL2 { .. } => w.extend_from_slice(b"no IP-hdr found!"),
        End::Payload { at, .. } => {
            let rest = f.data.get(at..).unwrap_or_default();
            match f.link {
                ES => {
                    let kind = rest.get(3).copied().unwrap_or(0);
                    let len = f.orig_len.saturating_sub(at);
                    out!(w, "ES Invalid type {kind}, length {len}");
                }
                juniper::FRELAY => write_short_fr(w, rest),
                juniper::ATM1 | juniper::ATM2 => {
                    write_atm_oam(w, f, rest, at);
                }
                juniper::PPPOE_ATM => {
                    if let End::Payload { proto, .. } = h.end {
                        out!(w, "unknown ethertype 0x{proto:04x}");
                    }
                }

                juniper::MLFR | juniper::MFR => match (juniper::ml(f.link, f.data), h.end) {
                    (Some(juniper::Ml::Unknown), End::Payload { proto, .. }) => {
                        let len = f.orig_len.saturating_sub(at);
                        out!(w, "unknown protocol 0x{proto:04x}, length {len}");
                    }
                    // An MFR child link's FRF.16 frame: the FRF.16 printer's.
                    (Some(juniper::Ml::Frf16), _) => {
                        return super::mfr::write_message(w, &frf16(f, at));
                    }
                    _ => {}
                },
                GGSN if !f.eflag => {
                    let proto = h.cookie.get(2).copied().unwrap_or(0);
                    out!(w, "unknown GGSN proto ({proto})");
                }
                _ => {}
            }
        }
        End::Cut(_) => {}
    }
    None
}

/// An MFR child link's FRF.16 frame, after the header at `at`.
fn frf16<'a>(f: &Frame<'a>, at: usize) -> Frame<'a> {
    Frame {
        link: crate::decode::mfr::MFR,
        data: f.data.get(at..).unwrap_or_default(),
        orig_len: f.orig_len.saturating_sub(at),
        ..*f
    }
}

/// The words an MFR child link's first FRF.16 fragment puts before its
/// Frame Relay frame (`FRF.16 Frag, seq 1, Flags [Begin], `), after the
/// header's: `None` for other records.
pub fn frf16_begin_words(link: u32, data: &[u8], orig_len: usize) -> Option<Vec<u8>> {
    let End::Payload { at, .. } = juniper::header(link, data).end else {
        return None;
    };
    if juniper::ml(link, data) != Some(juniper::Ml::Frf16) {
        return None;
    }
    super::mfr::begin_words(data.get(at..)?, orig_len.saturating_sub(at))
}

/// An ATM PIC's record's Cisco NLPID: tcpdump's ISO printer from the
/// byte after the UI byte, the dump from the header's end.
pub(super) fn osi_pdu(f: &Frame<'_>) -> Option<super::OsiPdu> {
    let h = juniper::header(f.link, f.data);
    let End::Payload { at, .. } = h.end else {
        return None;
    };
    if let Some(juniper::Ml::Osi(from)) = juniper::ml(f.link, f.data) {
        // A PDU said to start past the byte after the capture's end (MFR's
        // `0xfefe`, one byte in): tcpdump's mark is then still the link
        // printer's.
        if from > f.data.len() {
            return Some(super::OsiPdu::Cut {
                mark: " [|juniper_mfr]",
                jumped: true,
            });
        }
        return Some(super::OsiPdu::At {
            at: from,
            dump_from: at,
        });
    }
    let rest = f.data.get(at..)?;
    (juniper::atm(&h, rest) == Some(Atm::Cnlpid)).then_some(super::OsiPdu::At {
        at: at + 1,
        dump_from: at,
    })
}

/// Where the `-x` dump of a record [`write_message`] printed starts:
/// where tcpdump's walk counted the header to.
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    let h = juniper::header(f.link, f.data);
    if let (juniper::ATM1 | juniper::ATM2, End::Payload { at, .. }) = (f.link, h.end) {
        let rest = f.data.get(at..).unwrap_or_default();
        // An OAM cell's printer that read past the capture: from the
        // record's first byte.
        if !write_atm_oam(&mut Vec::new(), f, rest, at) {
            return Some(0);
        }
    }
    Some(h.counted())
}

/// An ATM PIC's record's OAM cell (no HEC), if it carries one: its words
/// and ` [|oam]` where the printer read past the capture; `false` then.
/// Its length is the one tcpdump's walk leaves: with ATM2's control word.
fn write_atm_oam(w: &mut Vec<u8>, f: &Frame<'_>, rest: &[u8], at: usize) -> bool {
    let h = juniper::header(f.link, f.data);
    if juniper::atm(&h, rest) != Some(Atm::Oam) {
        return true;
    }
    let wire_len = juniper::payload_wire_len(&h, f.orig_len, at);
    if super::sunatm::oam(w, rest, 0, wire_len, f.verbose > 0).is_none() {
        w.extend_from_slice(b" [|oam]");
        return false;
    }
    true
}

/// What tcpdump's printer of a record [`write_message`] printed counted
/// ([`super::Counted`]) where a PPI or PKTAP printer around it needs it:
/// nothing for a record without the magic or with a TLV too long (its
/// header walk returns before it counted, without a jump), giving up for
/// a header the capture cut (its reads jump out), else where the line's
/// dump starts on its own (`from`: the header's end), unless a printer
/// after the header gave up (`from` 0).
pub(super) fn count(f: &Frame<'_>, from: usize) -> super::Counted {
    use super::Counted::{Bytes, GaveUp};
    match juniper::header(f.link, f.data).end {
        End::NoMagic | End::BadTlv(..) => Bytes(0),
        End::Cut(_) => GaveUp,
        _ if from == 0 => GaveUp,
        _ => Bytes(from),
    }
}

/// Where the `-x` dump of a record whose IP packet starts at
/// `net_offset` starts: after the header (ES's own header is not counted,
/// nor a packet's without layer 2 four bytes).
pub(super) fn ip_dump_from(f: &Frame<'_>) -> Option<usize> {
    Some(juniper::header(f.link, f.data).counted())
}

/// The header as `--json`'s `"link_layer"`: the flags and what they say,
/// the extensions, the PIC's cookie, and the frame's own header.
pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let h = juniper::header(f.link, f.data);
    if let End::Cut(Cut::Start) = h.end {
        return None;
    }
    let mut o = json!({
        "type": "juniper",
        "magic": h.end != End::NoMagic,
        "flags": h.flags,
    });
    if h.end == End::NoMagic {
        return Some(o);
    }
    o["direction"] = json!(if h.inbound() { "in" } else { "out" });
    o["no_l2"] = json!(h.flags & FLAG_NO_L2 != 0);
    if let Some(len) = h.ext_len {
        o["extensions_len"] = json!(len);
    }
    if let Some(ext) = h.ext {
        let list: Vec<Value> = juniper::tlvs(ext)
            .map_while(Result::ok)
            .map(|t| {
                let mut e =
                    json!({"type": t.kind, "name": tlv_name(t.kind), "length": t.value.len()});
                if let Some(v) = t.number() {
                    e["value"] = json!(v);
                }
                if t.kind == 2 {
                    e["value"] = json!(String::from_utf8_lossy(t.value));
                }
                e
            })
            .collect();
        o["extensions"] = Value::Array(list);
    }
    if let Some((_, name)) = juniper::pic(f.link) {
        o["pic"] = json!(name);
    }
    if let Some(len) = h.cookie_len {
        o["cookie_len"] = json!(len);
    }
    if !h.cookie.is_empty() {
        let hex: String = h.cookie.iter().map(|b| format!("{b:02x}")).collect();
        o["cookie"] = json!(hex);
    }
    match h.end {
        End::Payload { at, proto } => {
            o["header_len"] = json!(at);
            o["proto"] = json!(proto);
            let rest = f.data.get(at..).unwrap_or_default();
            if let Some(carries) = juniper::atm(&h, rest) {
                o["carries"] = json!(carries.name());
            }
            // An LLC PDU tcpdump's LLC printer left is read again as an
            // Ethernet frame (the `eth` object beside this one).
            if juniper::llc_then_ether(f.link, f.data) {
                o["reread_as"] = json!("ether");
            }
            if let Some(ml) = juniper::ml(f.link, f.data) {
                o["carries"] = json!(ml.name());
                if ml == juniper::Ml::Frf16
                    && let Some(v) = super::json::to_json(&frf16(f, at))
                {
                    o["frame"] = v;
                }
                if !h.cookie.is_empty() {
                    o["bundle"] = json!(crate::decode::juniper_ml::bundle(h.cookie));
                }
            }
            if let Some((word, counted)) = h.control_word {
                o["control_word"] = json!(word);
                o["control_word_counted"] = json!(counted);
            }
            if let Some(crate::packet::LinkType::Other(inner)) =
                juniper::record_frame_link(f.link, f.data)
            {
                let frame = Frame {
                    link: inner,
                    data: f.data.get(at..).unwrap_or_default(),
                    orig_len: f.orig_len.saturating_sub(at),
                    ..*f
                };
                if let Some(v) = super::json::to_json(&frame) {
                    o["frame"] = v;
                }
            }
        }
        End::NoL2 { at } => o["header_len"] = json!(at),
        _ => {}
    }
    Some(o)
}

/// Where the PPP frame of a Juniper PPP record starts, when the record
/// carries one the PPP printer reads itself (`decode::juniper::short_frame`).
pub(super) fn ppp_frame_at(f: &Frame<'_>) -> Option<usize> {
    let at = match (
        juniper::header(f.link, f.data).end,
        juniper::ml(f.link, f.data),
    ) {
        (_, Some(juniper::Ml::Ppp(from))) => from,
        (End::Payload { at, .. }, None) => at,
        _ => return None,
    };
    juniper::short_frame(f.link, f.data.len().saturating_sub(at)).then_some(at)
}

/// Whether the ` [|ppp]` of such a frame is the PPP printer's own length
/// check (shorter on the wire than its address and protocol), not a jump
/// on a byte the capture cut.
pub(super) fn ppp_mark_checked(f: &Frame<'_>) -> bool {
    let Some(at) = ppp_frame_at(f) else {
        return false;
    };
    let frame = f.data.get(at..).unwrap_or_default();
    let len = f.orig_len.saturating_sub(at);
    let hdlc = frame.len() >= 2
        && matches!(
            u16::from_be_bytes([frame[0], frame[1]]),
            0xff03 | 0x0003 | 0x0103
        );
    len < 2 || (hdlc && len < 4)
}

/// A Frame Relay frame of fewer than four captured bytes, as tcpdump's
/// Frame Relay printer reads it after Juniper's header: a bad address,
/// the control byte of a frame that is not UI, and its mark.
fn write_short_fr(w: &mut Vec<u8>, frame: &[u8]) {
    use crate::decode::link_more::{Fr, q922};
    match q922(frame) {
        Err(Fr::Invalid) => {
            w.extend_from_slice(b"Q.922, invalid address");
            return;
        }
        Ok((dlci, addr_len, _)) => {
            if let Some(&control) = frame.get(addr_len)
                && control != 0x03
                && dlci != 0
            {
                out!(w, "UI {control:02x}! ");
            }
        }
        Err(_) => {}
    }
    w.extend_from_slice(b" [|fr]");
}

/// The EtherType a PPPoE-over-ATM record starts its frame with, when
/// tcpdump's EtherType printer decodes it without going on to a network
/// layer: as behind SNAP's OUI 0 (the dump after Juniper's header, before
/// the EtherType).
pub(super) fn snap_payload(f: &Frame<'_>) -> Option<super::SnapPayload> {
    let End::Payload { at, proto } = juniper::header(f.link, f.data).end else {
        return None;
    };
    if !crate::decode::link_more::printed_type(proto) {
        return None;
    }
    Some(super::SnapPayload {
        header_len: at,
        oui: 0,
        pid: proto,
        at: at + 2,
        wire_len: f.orig_len.saturating_sub(at + 2),
    })
}
