//! Serial and pseudo link layers in a line: PPP (`-e`: `IP (0x0021),
//! length 40: `), PPP in HDLC framing (`IP: ` always), Cisco HDLC
//! (`unicast, ethertype IPv4 (0x0800), length 40: `), Frame Relay's Q.922
//! header (`Q.922, hdr-len 2, DLCI 100, Flags [none], NLPID IPv4 (0xcc),
//! length 40: `), NFLOG's header and IP over InfiniBand's EtherType; and
//! the lines of what carries no IP (Cisco's SLARP, unknown protocols and
//! their bytes; PPP frames are the PPP printer's, `tunnel::PPP_LINK`).

use super::super::ctl::{out, put_bits};
use super::super::dns::text::put_hex_dump;
use super::super::tunnel::ppp_name;
use super::{Frame, OsiPdu, Tail, frame_relay};
use crate::decode::link_header::be16;
use crate::decode::link_more::{
    self, AP1394, AP1394_LEN, C_HDLC, FRELAY, Fr, FrHeader, IPOIB, IPOIB_LEN, NFLOG, PKTAP,
    PKTAP_LEN, PPP, PPP_BSDOS, PPP_BSDOS_FILE, PPP_ETHER, PPP_HDLC, SLIP_BSDOS, SLIP_BSDOS_FILE,
    SYMANTEC, SYMANTEC_LEN,
};

pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    let d = f.data;
    match f.link {
        PPP if f.eflag && d.len() >= 4 => ppp_words(w, f),
        PPP_HDLC => match d {
            [0x0f | 0x8f, ..] => f.eflag && chdlc_header(w, f),
            [a, b, _, _, ..] => {
                if f.eflag {
                    out!(w, "{a:02x} {b:02x} {} ", f.orig_len);
                }
                if *a != 0xff {
                    return f.eflag;
                }
                let proto = be16(d, 2).unwrap_or(0);
                match ppp_name(proto) {
                    Some(name) => out!(w, "{name}: "),
                    None => out!(w, "unknown PPP protocol (0x{proto:04x}): "),
                }
                f.eflag
            }
            _ => false,
        },
        C_HDLC if f.eflag => chdlc_header(w, f),
        FRELAY => fr_prefix(w, f),
        NFLOG if f.eflag => nflog_header(w, f, f.orig_len),
        IPOIB if f.eflag && d.len() >= IPOIB_LEN => {
            w.extend_from_slice(b"IPOIB");
            ipoib_type(w, f);
            true
        }
        PKTAP if f.eflag => pktap_header(w, f),
        AP1394 if f.eflag => ap1394_header(w, f),
        SYMANTEC if f.eflag => symantec_header(w, f),
        // Nothing of BSD/OS SLIP's header, but the IP printer's `IP ` is
        // left out under `-e`.
        SLIP_BSDOS | SLIP_BSDOS_FILE => f.eflag,
        _ => false,
    }
}

/// `-e`'s words of a PPP frame: pppd's direction, if any, then the
/// protocol (`IP (0x0021), length 40`, and `: ` when it has a name);
/// `false` when its header is cut.
pub(super) fn ppp_words(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    // pppd's direction is printed before the protocol is read.
    match be16(f.data, 0) {
        Some(link_more::PPPD_IN) => w.extend_from_slice(b"In  "),
        Some(link_more::PPPD_OUT) => w.extend_from_slice(b"Out "),
        _ => {}
    }
    let Some((proto, _)) = link_more::ppp_header(f.data) else {
        return false;
    };
    let name = ppp_name(proto).unwrap_or("unknown");
    out!(w, "{name} (0x{proto:04x}), length {}", f.orig_len);
    if ppp_name(proto).is_some() {
        w.extend_from_slice(b": ");
    }
    true
}

/// `ethertype IPv4 (0x0800), length 122: `: a Symantec firewall record's
/// EtherType and wire length; `false` when the header is cut or its type
/// is a length (which [`symantec_message`] calls invalid).
fn symantec_header(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    match link_more::symantec_type(f.data) {
        Some(t) if t > 1500 => {
            let name = (f.ether_name)(t);
            out!(w, "ethertype {name} (0x{t:04x}), length {}: ", f.orig_len);
            true
        }
        _ => false,
    }
}

/// A Symantec firewall record tcpdump's EtherType printer does not
/// decode: `invalid ethertype 32, length 114: ` for a length, else the
/// header's words (already there under `-e`); the bytes after it.
fn symantec_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    match link_more::symantec_type(f.data)? {
        t if t <= 1500 => out!(w, "invalid ethertype {t}, length {}: ", f.orig_len),
        _ if !f.eflag => {
            symantec_header(w, f);
        }
        _ => {}
    }
    Some(Tail::ascii(f.data.get(SYMANTEC_LEN..)?))
}

/// `08:09:0a:0b:0c:0d:0e:0f > 00:01:02:03:04:05:06:07, ethertype IPv4
/// (0x0800), length 46: `: IP over FireWire's source and destination
/// EUI-64 and EtherType; `false` when the header is cut.
fn ap1394_header(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    let (Some(dst), Some(src), Some(t)) = (f.data.get(..8), f.data.get(8..16), be16(f.data, 16))
    else {
        return false;
    };
    for (i, b) in src.iter().enumerate() {
        out!(w, "{}{b:02x}", if i == 0 { "" } else { ":" });
    }
    w.extend_from_slice(b" > ");
    for (i, b) in dst.iter().enumerate() {
        out!(w, "{}{b:02x}", if i == 0 { "" } else { ":" });
    }
    out!(
        w,
        ", ethertype {} (0x{t:04x}), length {}: ",
        (f.ether_name)(t),
        f.orig_len
    );
    true
}

/// `, ethertype IPv4 (0x0800), length 80: ` of IP over InfiniBand.
fn ipoib_type(w: &mut Vec<u8>, f: &Frame<'_>) {
    let t = be16(f.data, 40).unwrap_or(0);
    out!(
        w,
        ", ethertype {} (0x{t:04x}), length {}: ",
        (f.ether_name)(t),
        f.orig_len
    );
}

fn chdlc_header(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    let (Some(&addr), Some(t)) = (f.data.first(), be16(f.data, 2)) else {
        return false;
    };
    match addr {
        0x0f => w.extend_from_slice(b"unicast"),
        0x8f => w.extend_from_slice(b"bcast"),
        _ => out!(w, "0x{addr:02x}"),
    }
    out!(
        w,
        ", ethertype {} (0x{t:04x}), length {}: ",
        (f.ether_name)(t),
        f.orig_len
    );
    true
}

/// Q.922 address flag bits as tcpdump names them (`FrHeader::flags`).
const FR_FLAGS: [(u32, &str); 5] = [
    (0x0200_0000, "C!"),
    (0x0002_0000, "DE"),
    (0x0004_0000, "BECN"),
    (0x0008_0000, "FECN"),
    (0x0000_0002, "sdlcore"),
];

fn nlpid_name(n: u8) -> &'static str {
    match n {
        0xcc => "IPv4",
        0x8e => "IPv6",
        0x80 => "SNAP",
        0x81 => "CLNP",
        0x82 => "ES-IS",
        0x83 => "IS-IS",
        0x00 => "NULL",
        0x84 => "CONS",
        0x85 => "IDRP",
        0x8a => "X25 ES-IS",
        0x08 => "Q.933",
        0x09 => "LMI",
        0xb1 => "FRF.15",
        0xc1 => "ISIS_SPB",
        0xcf => "PPP",
        _ => "unknown",
    }
}

/// tcpdump's words on the pad byte (expected after a three-byte address
/// only), before anything else of the frame.
fn fr_pad_words(w: &mut Vec<u8>, (pad, addr_len): (bool, usize)) {
    match (pad, addr_len == 3) {
        (true, false) => w.extend_from_slice(b"Pad! "),
        (false, true) => w.extend_from_slice(b"No pad! "),
        _ => {}
    }
}

/// Under `-e` the header of Cisco's EtherType encapsulation; else the
/// words on a control byte other than UI (under `-e` after the header
/// tcpdump printed when it tried the EtherType), the pad words, then
/// under `-e` the header; `true` when it printed the header.
fn fr_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    if let Fr::Cisco(c) = link_more::fr_parse(f.data) {
        if f.eflag {
            fr_words(w, (c.addr_len, c.dlci, c.flags), c.ether_type, f.orig_len);
        }
        return f.eflag;
    }
    if let Some((control, ether_type)) = link_more::fr_not_ui(f.data) {
        if let (true, Some(t), Ok((dlci, addr_len, flags))) =
            (f.eflag, ether_type, link_more::q922(f.data))
        {
            fr_words(w, (addr_len, dlci, flags), t, f.orig_len);
        }
        out!(w, "UI {control:02x}! ");
    }
    if let Some(pad) = link_more::fr_pad(f.data) {
        fr_pad_words(w, pad);
    }
    let Some(h) = link_more::fr_header(f.data) else {
        return false;
    };
    if f.eflag {
        fr_header(w, &h, f.orig_len);
        frame_relay::write_eflag_words(w, f, &h);
    }
    f.eflag
}

pub(super) fn fr_header(w: &mut Vec<u8>, h: &FrHeader, len: usize) {
    fr_words(w, (h.addr_len, h.dlci, h.flags), u16::from(h.nlpid), len);
}

/// tcpdump's Frame Relay header words: the address (its length, DLCI and
/// flags), then what follows it, an NLPID or (above 0xff) Cisco's
/// EtherType, and the frame's length.
fn fr_words(w: &mut Vec<u8>, (addr_len, dlci, flags): (usize, u32, u32), next: u16, len: usize) {
    out!(w, "Q.922, hdr-len {addr_len}, DLCI {dlci}, Flags [");
    put_bits(w, &FR_FLAGS, flags, "none");
    match u8::try_from(next) {
        Ok(nlpid) => out!(w, "], NLPID {} (0x{nlpid:02x})", nlpid_name(nlpid)),
        Err(_) => {
            let name = crate::decode::names::ether_type(next).unwrap_or("unknown");
            out!(w, "], cisco-ethertype {name} (0x{next:04x})");
        }
    }
    out!(w, ", length {len}: ");
}

fn nflog_header(w: &mut Vec<u8>, f: &Frame<'_>, len: usize) -> bool {
    let [family, version, ..] = *f.data else {
        return false;
    };
    if version != 0 {
        return false;
    }
    let Some(rid) = be16(f.data, 2) else {
        return false;
    };
    let name = match family {
        2 => "IPv4",
        10 => "IPv6",
        _ => "Unknown",
    };
    out!(
        w,
        "version {version}, resource ID {rid}, family {name} ({family}), length {len}: "
    );
    true
}

pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    let d = f.data;
    match f.link {
        // PPP frames are the PPP printer's (`ppp_frame`).
        PPP => None,
        PPP_HDLC => match d.first()? {
            0x0f | 0x8f => chdlc_message(w, f),
            0xff => None,
            _ => {
                // tcpdump's words for the two bytes after address and
                // control (it skips those two, then reads these).
                out!(w, "unknown addr {:02x}; ctrl {:02x}", d.get(2)?, d.get(3)?);
                None
            }
        },
        C_HDLC => chdlc_message(w, f),
        FRELAY => {
            let h = match link_more::fr_parse(d) {
                Fr::Header(h) => h,
                Fr::Invalid => {
                    w.extend_from_slice(b"Q.922, invalid address");
                    return None;
                }
                _ => return None,
            };
            if let Some(done) = frame_relay::write_payload(w, f, &h) {
                return done;
            }
            if !f.eflag {
                fr_header(w, &h, f.orig_len);
            }
            Some(Tail {
                bytes: d.get(h.hdr_len..)?,
                ascii: true,
                wire_len: f.orig_len.saturating_sub(h.hdr_len),
                cut_mark: "fr",
                kept_by_x_ascii: true,
                unsuppressed: false,
            })
        }
        NFLOG => {
            let version = *d.get(1)?;
            if version != 0 {
                out!(w, "version {version} (unknown)");
                return None;
            }
            let payload = link_more::nflog_payload(d).ok()??;
            // tcpdump's length here: the payload's on the wire and the
            // header's four bytes.
            let at = d.len() - payload.len();
            if !f.eflag {
                nflog_header(w, f, f.orig_len.saturating_sub(at) + 4);
            }
            Some(Tail::ascii(payload))
        }
        IPOIB => {
            if !f.eflag {
                ipoib_type(w, f);
            }
            Some(Tail::ascii(d.get(IPOIB_LEN..)?))
        }
        AP1394 => {
            if !f.eflag {
                ap1394_header(w, f);
            }
            Some(Tail::ascii(d.get(AP1394_LEN..)?))
        }
        PKTAP => pktap_message(w, f),
        SYMANTEC => symantec_message(w, f),
        _ => None,
    }
}

/// PPPoE's header, then (in a session: code 0) the PPP frame's address
/// and protocol as PPP's printer reads them; what was captured of a
/// header cut short.
fn pppoe_dump_from(d: &[u8]) -> usize {
    const PPPOE_LEN: usize = 6;
    let Some(rest) = d.get(PPPOE_LEN..) else {
        return d.len();
    };
    match (d.get(1), link_more::ppp_header(rest)) {
        (Some(0), Some((_, at))) => PPPOE_LEN + at,
        _ => PPPOE_LEN,
    }
}

/// Where tcpdump's `-x` dump of a PPP or Frame Relay frame that carries
/// no IP packet starts: after the header its printer counts (PPP's four
/// bytes whatever its header; in HDLC framing, only the first two under
/// another address).
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    match (f.link, f.data) {
        // PPP's printer counts four bytes, however long the header.
        (PPP, d) if d.len() >= 4 => Some(4),
        // PPPoE's six, and in a session the PPP header after them.
        (PPP_ETHER, d) => Some(pppoe_dump_from(d)),
        // Cisco HDLC's printer counts its four-byte header whatever it
        // carries (SLARP's printer gives up on a keepalive's uptime the
        // capture cut: from the first byte); IPoIB's its 44 bytes.
        (C_HDLC, d) if slarp_uptime_cut(d, f.orig_len) => Some(0),
        (C_HDLC, d) if d.len() >= 4 => Some(4),
        (IPOIB, d) if d.len() >= IPOIB_LEN => Some(IPOIB_LEN),
        (AP1394, d) if d.len() >= AP1394_LEN => Some(AP1394_LEN),
        (SYMANTEC, d) if d.len() >= SYMANTEC_LEN => Some(SYMANTEC_LEN),
        // BSD/OS PPP's printer counts nothing: the dump is the record.
        (PPP_BSDOS | PPP_BSDOS_FILE, _) => Some(0),
        (NFLOG, d) => nflog_dump_from(d),
        (PKTAP, d) => Some(pktap_dump_from(d)),
        (PPP_HDLC, [0xff, _, _, _, ..]) => Some(4),
        (PPP_HDLC, [0x0f | 0x8f, ..]) => None,
        (PPP_HDLC, [_, _, _, _, ..]) => Some(2),
        // Frame Relay: after its header; an invalid address gives back no
        // length (the dump starts at the first byte).
        (FRELAY, d) => match link_more::fr_parse(d) {
            // PPP's printer gave up on its header the capture cut.
            Fr::Header(h) if h.nlpid == frame_relay::NLPID_PPP && ppp_header_cut(f, &h) => Some(0),
            Fr::Header(h) => Some(frame_relay::dump_from(f, &h)),
            Fr::Cisco(c) => Some(c.hdr_len()),
            Fr::Invalid => Some(0),
            _ => None,
        },
        _ => None,
    }
}

/// A PPP header inside Frame Relay that the capture cut (PPP's printer
/// reads it unchecked, once the wire length is enough).
fn ppp_header_cut(f: &Frame<'_>, h: &FrHeader) -> bool {
    !frame_relay::ppp_short_on_wire(f, h)
        && f.data
            .get(h.hdr_len..)
            .and_then(link_more::ppp_header)
            .is_none()
}

/// Where tcpdump's `-x` dump of an NFLOG record starts: after the TLVs
/// its printer walked (it counts each as header, then the payload's own
/// TLV header), also when it stops with its cut mark; after the fixed
/// header under another version; nothing of a cut fixed header.
pub(super) fn nflog_dump_from(d: &[u8]) -> Option<usize> {
    match d {
        [_, 0, _, _, ..] => Some(link_more::nflog_walk(d).1),
        [_, _, _, _, ..] => Some(4),
        _ => None,
    }
}

/// Where tcpdump's `-x` dump of a PKTAP record that carries no packet
/// starts: after its header, or at the first byte when the header's
/// length does not fit (cut, too small, past the capture).
pub(super) fn pktap_dump_from(d: &[u8]) -> usize {
    let len = d
        .first_chunk::<4>()
        .map_or(0, |b| u32::from_le_bytes(*b) as usize);
    if (PKTAP_LEN..=d.len()).contains(&len) {
        len
    } else {
        0
    }
}

/// What tcpdump's PKTAP printer counted of a record whose packet it does
/// not hand on ([`super::Counted`]): nothing for a header it calls
/// invalid (a record under 108 bytes on the wire, a header length under
/// 108 or past the record), the header for a record that is no packet or
/// of a DLT without a printer; it gives up on a header the capture cut
/// (it reads the DLT and the length, 12 bytes, before checking them).
pub(super) fn pktap_count(d: &[u8], orig_len: usize) -> super::Counted {
    use super::Counted::{Bytes, GaveUp};
    if orig_len < PKTAP_LEN {
        return Bytes(0);
    }
    let Some(len) = d
        .first_chunk::<4>()
        .map(|b| u32::from_le_bytes(*b) as usize)
    else {
        return GaveUp;
    };
    if d.len() < 12 {
        GaveUp
    } else if len < PKTAP_LEN || len > orig_len {
        Bytes(0)
    } else if d.len() < len {
        GaveUp
    } else {
        Bytes(len)
    }
}

/// [`pktap_dump_from`] of a record whose inner frame stopped at its own
/// header's cut: the Ethernet and cooked printers count what they had of
/// their header, which PKTAP's printer counts again (nothing is left to
/// dump); BSD loopback's, and the IP printers' on nothing at all, give up
/// on a byte the capture cut (from the first byte); a raw IP header cut
/// is the IP printer's (after PKTAP's header).
pub(super) fn pktap_cut_dump_from(d: &[u8]) -> usize {
    inner_cut_dump_from(d, link_more::pktap(d)).unwrap_or_else(|| pktap_dump_from(d))
}

/// Where the `-x` dump of a PKTAP or PPI record whose packet (`inner`:
/// its header's length and link type) stopped at its own header's cut
/// starts, as [`pktap_cut_dump_from`] says; `None` without a packet.
pub(super) fn inner_cut_dump_from(
    d: &[u8],
    inner: Option<(usize, crate::packet::LinkType)>,
) -> Option<usize> {
    use crate::packet::LinkType;
    Some(match inner? {
        (len, LinkType::Raw) if len < d.len() => len,
        (
            _,
            LinkType::Raw
            | LinkType::Null
            | LinkType::Loop
            | LinkType::LinuxSll
            | LinkType::Ipv4
            | LinkType::Ipv6,
        ) => 0,
        _ => d.len(),
    })
}

/// Where tcpdump's `-x` dump of a frame whose IP packet starts at
/// `net_offset` starts, when not there: PPP's printer counts a four-byte
/// header, however long the header really was (two bytes, or three with
/// a one-byte protocol field); PKTAP's counts the inner frame's link
/// header twice (its printer adds what the inner printer already
/// added). `None`: at the IP header.
pub(super) fn ip_dump_from(f: &Frame<'_>, net_offset: usize) -> Option<usize> {
    match f.link {
        PPP => Some(f.data.len().min(4)),
        // Frame Relay's printer counts its own header, not PPP's or SNAP's
        // after it.
        FRELAY => match link_more::fr_parse(f.data) {
            Fr::Header(h) => Some(h.hdr_len),
            Fr::Cisco(c) => Some(c.hdr_len()),
            _ => None,
        },
        PKTAP => {
            let len = pktap_dump_from(f.data);
            Some(net_offset + net_offset.saturating_sub(len))
        }
        _ => None,
    }
}

/// A PKTAP record that carries no packet we decode: its header's faults,
/// `no data`, or its DLT and the bytes in hex.
fn pktap_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    let d = f.data;
    let le32 = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
    };
    // tcpdump judges the lengths by the wire, then wants the bytes.
    let cut = |w: &mut Vec<u8>| w.extend_from_slice(b" [|pktap]");
    if f.orig_len < PKTAP_LEN {
        out!(
            w,
            " (packet too short, {} < {PKTAP_LEN}) (invalid)",
            f.orig_len
        );
        return None;
    }
    // It reads the length, record type and DLT before judging them.
    let Some(len) = le32(0).filter(|_| d.len() >= 12) else {
        cut(w);
        return None;
    };
    if (len as usize) < PKTAP_LEN {
        out!(w, " (pkt_len too small, {len} < {PKTAP_LEN}) (invalid)");
        return None;
    }
    if len as usize > f.orig_len {
        out!(w, " (pkt_len too big, {len} > {}) (invalid)", f.orig_len);
        return None;
    }
    if len as usize > d.len() || d.len() < PKTAP_LEN {
        cut(w);
        return None;
    }
    match le32(4)? {
        0 => w.extend_from_slice(b"no data"),
        1 => {
            if !f.eflag {
                pktap_header(w, f);
            }
            return Some(Tail::ascii(d.get(len as usize..)?));
        }
        _ => {}
    }
    None
}

/// `DLT EN10MB (1) len 108, length 158: `: PKTAP's header under `-e`.
fn pktap_header(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    let le32 = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(f.data.get(at..at + 4)?.try_into().ok()?))
    };
    let (Some(len), Some(dlt)) = (le32(0), le32(8)) else {
        return false;
    };
    if f.data.len() < PKTAP_LEN || (len as usize) < PKTAP_LEN || len as usize > f.data.len() {
        return false;
    }
    let name = dlt_name(dlt);
    out!(w, "DLT {name} ({dlt}) len {len}, length {}: ", f.orig_len);
    true
}

/// libpcap's name of a DLT number (`pcap_datalink_val_to_name`), as the
/// PKTAP and PPI printers print it: `UNKNOWN` when it has none.
pub(super) fn dlt_name(dlt: u32) -> &'static str {
    match link_more::pktap_dlt(dlt) {
        Some(crate::packet::LinkType::Raw) => "RAW",
        // OpenBSD's DLT_RAW and the file numbers are no DLT to libpcap on
        // Linux.
        None => "UNKNOWN",
        Some(link) => match link.name() {
            "unknown" => "UNKNOWN",
            name => name,
        },
    }
}

/// PPP's protocol number for OSI, and Cisco HDLC's EtherType for it.
const PPP_OSI: u16 = 0x23;
const CHDLC_OSI: u16 = 0xfefe;

/// The ISO CLNS PDU a PPP or Cisco HDLC frame carries (PPP's protocol
/// 0x0023, Cisco HDLC's 0xfefe), for the CLNS printer; `None` for any
/// other frame.
pub(super) fn osi_pdu(f: &Frame<'_>) -> Option<OsiPdu> {
    let d = f.data;
    let at = match f.link {
        PPP => match link_more::ppp_header(d)? {
            (PPP_OSI, at) => at,
            _ => return None,
        },
        PPP_HDLC => match d.first()? {
            0x0f | 0x8f => return chdlc_osi(d, f.orig_len),
            0xff if be16(d, 2)? == PPP_OSI => 4,
            _ => return None,
        },
        C_HDLC => return chdlc_osi(d, f.orig_len),
        // Frame Relay's NLPID is the PDU's first byte: tcpdump's printer
        // starts at it, its dump after it.
        FRELAY => {
            return match link_more::fr_parse(d) {
                Fr::Header(h) if (0x81..=0x83).contains(&h.nlpid) => Some(OsiPdu::At {
                    at: h.hdr_len - 1,
                    dump_from: h.hdr_len,
                }),
                // PPP's OSI inside (the PPP printer wants two bytes on the
                // wire).
                Fr::Header(h)
                    if h.nlpid == frame_relay::NLPID_PPP && f.orig_len >= h.hdr_len + 2 =>
                {
                    match link_more::ppp_header(d.get(h.hdr_len..)?)? {
                        (PPP_OSI, at) => Some(OsiPdu::At {
                            at: h.hdr_len + at,
                            dump_from: h.hdr_len,
                        }),
                        _ => None,
                    }
                }
                _ => None,
            };
        }
        _ => return None,
    };
    // tcpdump dumps a PPP frame from after its four-byte header, however
    // long the header really was.
    Some(OsiPdu::At { at, dump_from: 4 })
}

/// Cisco HDLC's OSI: tcpdump reads the payload's second byte to decide
/// whether the first is a pad (it is when the second is CLNP's, ES-IS's or
/// IS-IS's NLPID); a payload shorter than that on the wire it refuses
/// first (and dumps nothing), one cut there by the capture makes it give
/// up.
fn chdlc_osi(d: &[u8], wire_len: usize) -> Option<OsiPdu> {
    if be16(d, 2)? != CHDLC_OSI {
        return None;
    }
    let mark = " [|chdlc]";
    if wire_len < 6 {
        return Some(OsiPdu::Cut {
            mark,
            jumped: false,
        });
    }
    Some(match d.get(5) {
        None => OsiPdu::Cut { mark, jumped: true },
        Some(0x81..=0x83) => OsiPdu::At {
            at: 5,
            dump_from: 4,
        },
        Some(_) => OsiPdu::At {
            at: 4,
            dump_from: 4,
        },
    })
}

fn chdlc_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>) -> Option<Tail<'a>> {
    let proto = be16(f.data, 2)?;
    if proto == SLARP {
        let body = f.data.get(4..).unwrap_or(&[]);
        if slarp(w, body, f.orig_len.saturating_sub(4), f.verbose).is_none() {
            w.extend_from_slice(b" [|chdlc_slarp]");
        }
    } else if !f.eflag {
        out!(w, "unknown CHDLC protocol (0x{proto:04x})");
    }
    None
}

/// A SLARP keepalive whose message says it has an uptime the capture cut
/// (its printer reads it unchecked).
fn slarp_uptime_cut(d: &[u8], orig_len: usize) -> bool {
    let end = 4 + SLARP_MAX_LEN;
    be16(d, 2) == Some(SLARP)
        && be32(d, 4) == Some(2)
        && orig_len >= end
        && (4 + SLARP_MIN_LEN..end).contains(&d.len())
}

/// Cisco's serial-line address resolution (Cisco HDLC type 0x8035).
const SLARP: u16 = 0x8035;
/// A SLARP message: code, two words, reliability; then an optional
/// uptime in milliseconds.
const SLARP_MIN_LEN: usize = 14;
const SLARP_MAX_LEN: usize = 18;

fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(be16(data, at)?) << 16 | u32::from(be16(data, at + 2)?))
}

/// `SLARP (length: 18), keepalive: mineseen=0x…` as tcpdump prints it;
/// `None` where it stops with its cut mark (the message shorter than a
/// SLARP header, or cut by the capture).
fn slarp(w: &mut Vec<u8>, m: &[u8], len: usize, verbose: u8) -> Option<()> {
    out!(w, "SLARP (length: {len}), ");
    if len < SLARP_MIN_LEN || m.len() < SLARP_MIN_LEN {
        return None;
    }
    let ipv4 = |at: usize| Some(std::net::Ipv4Addr::from(be32(m, at)?));
    let code = be32(m, 0)?;
    // The bytes after the code, as many as the message's length less
    // four (what the capture holds of them): the dump of an unknown code,
    // and `-vv`'s (there from byte 18 in a keepalive with an uptime: the
    // printer moved on by it).
    let from = |at: usize| m.get(at..(at + len - 4).min(m.len())).unwrap_or(&[]);
    let rest = from(4);
    let vv_dump = match code {
        2 if len >= SLARP_MAX_LEN => from(SLARP_MAX_LEN),
        _ => rest,
    };
    match code {
        0 => w.extend_from_slice(b"request"),
        1 => out!(w, "reply {}/{}", ipv4(4)?, ipv4(8)?),
        2 => {
            out!(
                w,
                "keepalive: mineseen=0x{:08x}, yourseen=0x{:08x}, reliability=0x{:04x}",
                be32(m, 4)?,
                be32(m, 8)?,
                be16(m, 12)?
            );
            if len >= SLARP_MAX_LEN {
                let secs = be32(m, 14)? / 1000;
                let (mins, secs) = (secs / 60, secs % 60);
                let (hours, mins) = (mins / 60, mins % 60);
                let (days, hours) = (hours / 24, hours % 24);
                out!(w, ", link uptime={days}d{hours}h{mins}m{secs}s");
            }
        }
        _ => {
            out!(w, "0x{code:02x} unknown");
            if verbose <= 1 {
                put_hex_dump(w, rest, b"\n\t");
            }
        }
    }
    if len > SLARP_MAX_LEN && verbose > 0 {
        out!(w, ", (trailing junk: {} bytes)", len - SLARP_MAX_LEN);
    }
    if verbose > 1 {
        put_hex_dump(w, vv_dump, b"\n\t");
    }
    Some(())
}
