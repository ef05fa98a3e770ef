//! 802.11 frames as tcpdump summarises them: management frames with their
//! SSID, rates, channel and privacy (`Beacon (net) [1.0* 2.0* Mbit] ESS
//! CH: 6, PRIVACY`), association and authentication status, the reason of
//! a deauthentication, an action's category and action; control frames with their addresses
//! (`Acknowledgment RA:…`); under `-e` the MAC header's addresses by role
//! and, for a data frame, the LLC/SNAP header before the IP packet.

use super::super::ctl::{out, put_hex_ascii, put_mac};
use super::super::dns::text::put_char;
use super::llc_words::{put_llc_header, put_llc_to_net};
use super::wlan_codes::{ACTION_CATEGORIES, REASONS, STATUSES};
use super::{Frame, Tail};
use crate::decode::wlan::{
    FCS, FrameControl, LlcToNet, PAD, addr, body_end, data_header_len, mesh_len,
};

/// The frame without radiotap's FCS, its length on the wire, its frame
/// control and header length (0: a kind tcpdump does not know; with the
/// mesh control field `-H` found, whose length is `mesh`; `mesh_cut`: the
/// capture ends where that field's flags would be).
struct Mac<'a> {
    data: &'a [u8],
    wire: usize,
    fc: FrameControl,
    hdr: usize,
    mesh: usize,
    mesh_cut: bool,
}

fn mac<'a>(f: &Frame<'a>, flags: u8) -> Option<Mac<'a>> {
    let data = body_end(f.data, flags, f.orig_len);
    let wire = if flags & FCS != 0 {
        f.orig_len.saturating_sub(4)
    } else {
        f.orig_len
    };
    let fc = FrameControl::read(data)?;
    let mut hdr = match fc.kind {
        0 => 24,
        1 => ctrl_len(fc.subtype),
        2 => data_header_len(fc),
        _ => 0,
    };
    if flags & PAD != 0 {
        hdr = hdr.next_multiple_of(4);
    }
    let mesh = mesh_len(data, fc, hdr);
    let (mesh, mesh_cut) = (mesh.unwrap_or(0), mesh.is_none());
    Some(Mac {
        data,
        wire,
        fc,
        hdr: hdr + mesh,
        mesh,
        mesh_cut,
    })
}

fn ctrl_len(subtype: u8) -> usize {
    match subtype {
        7 | 10 | 11 | 14 | 15 => 16,
        8 => 20,
        9 | 12 | 13 => 10,
        _ => 0,
    }
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// `LABEL:aa:bb:cc:dd:ee:ff ` for the address at `at`.
fn put_addr(w: &mut Vec<u8>, label: &str, m: &[u8], at: usize) {
    w.extend_from_slice(label.as_bytes());
    w.push(b':');
    put_mac(w, addr(m, at).unwrap_or(&[]));
    w.push(b' ');
}

/// A block ack request's addresses, control and sequence (the same words
/// under `-e` and without).
fn put_bar(w: &mut Vec<u8>, d: &[u8]) {
    w.push(b' ');
    put_addr(w, "RA", d, 4);
    put_addr(w, "TA", d, 10);
    out!(
        w,
        "CTL({:x}) SEQ({}) ",
        le16(d, 16).unwrap_or(0),
        le16(d, 18).unwrap_or(0)
    );
}

/// `-e`: the MAC header's fields; `true` when they were printed.
pub(super) fn write_header(w: &mut Vec<u8>, f: &Frame<'_>, flags: u8) -> bool {
    let Some(m) = mac(f, flags) else {
        return false;
    };
    if m.hdr == 0 || m.mesh_cut || m.data.len() < m.hdr {
        return false;
    }
    let d = m.data;
    if f.verbose > 0 {
        put_flags_duration(w, m.fc, d);
    }
    if m.mesh > 0 {
        put_mesh(w, d.get(m.hdr - m.mesh..m.hdr).unwrap_or(&[]));
    }
    match (m.fc.kind, m.fc.subtype) {
        (0, _) => {
            put_addr(w, "BSSID", d, 16);
            put_addr(w, "DA", d, 4);
            put_addr(w, "SA", d, 10);
        }
        (1, 8) => put_bar(w, d),
        (1, 10) => {
            put_addr(w, "BSSID", d, 4);
            put_addr(w, "TA", d, 10);
        }
        (1, 11) => {
            put_addr(w, "RA", d, 4);
            put_addr(w, "TA", d, 10);
        }
        (1, 14 | 15) => {
            put_addr(w, "RA", d, 4);
            put_addr(w, "BSSID", d, 10);
        }
        (1, 9 | 12 | 13) => put_addr(w, "RA", d, 4),
        (1, _) => {}
        (_, st) => {
            if st & 0xb != 0 {
                w.extend_from_slice(b"CF ");
                match st & 3 {
                    3 => w.extend_from_slice(b"Ack/Poll"),
                    1 => w.extend_from_slice(b"Ack"),
                    2 => w.extend_from_slice(b"Poll"),
                    _ => {}
                }
                if st & 8 != 0 {
                    w.extend_from_slice(b"+QoS");
                }
                w.push(b' ');
            }
            let roles: &[(&str, usize)] = match (m.fc.to_ds(), m.fc.from_ds()) {
                (false, false) => &[("DA", 4), ("SA", 10), ("BSSID", 16)],
                (false, true) => &[("DA", 4), ("BSSID", 10), ("SA", 16)],
                (true, false) => &[("BSSID", 4), ("SA", 10), ("DA", 16)],
                (true, true) => &[("RA", 4), ("TA", 10), ("DA", 16), ("SA", 24)],
            };
            for &(label, at) in roles {
                put_addr(w, label, d, at);
            }
            // The LLC/SNAP header before an IP packet (a frame without
            // data has none, whatever follows its header).
            if !m.fc.no_data()
                && !m.fc.protected()
                && let Some(l) = d.get(m.hdr..).and_then(LlcToNet::read)
            {
                put_llc_to_net(w, &l, m.wire.saturating_sub(m.hdr + l.len));
            }
        }
    }
    true
}

/// `-e -H`: the mesh control field (`MeshData (AE 1 TTL 31 seq 7
/// A4:…) `): its address extension mode, TTL, sequence number (little
/// endian) and the extension addresses the mode says follow.
fn put_mesh(w: &mut Vec<u8>, m: &[u8]) {
    let (Some(&flags), Some(&ttl), Some(seq)) = (m.first(), m.get(1), m.get(2..6)) else {
        return;
    };
    let ae = flags & 3;
    let seq = u32::from_le_bytes([seq[0], seq[1], seq[2], seq[3]]);
    out!(w, "MeshData (AE {ae} TTL {ttl} seq {seq}");
    for (i, label) in ["A4", "A5", "A6"].iter().enumerate().take(usize::from(ae)) {
        out!(w, " {label}:");
        put_mac(w, addr(m, 6 + 6 * i).unwrap_or(&[]));
    }
    w.extend_from_slice(b") ");
}

/// `-e -v`: the frame control's flags and the duration (a PS-Poll's
/// field there is its AID, printed later).
fn put_flags_duration(w: &mut Vec<u8>, fc: FrameControl, d: &[u8]) {
    for (bit, word) in [
        (0x20, "More Data "),
        (0x04, "More Fragments "),
        (0x10, "Pwr Mgmt "),
        (0x08, "Retry "),
        (0x80, "Strictly Ordered "),
        (0x40, "Protected "),
    ] {
        if fc.flags & bit != 0 {
            w.extend_from_slice(word.as_bytes());
        }
    }
    if (fc.kind, fc.subtype) != (1, 10) {
        out!(w, "{}us ", le16(d, 2).unwrap_or(0));
    }
}

/// Where tcpdump's `-x` dump of an 802.11 frame that carries no IP
/// packet starts: after the MAC header as its printer sizes it from the
/// frame control (24 bytes for management frames, each control subtype's
/// own, padded to 4 under radiotap's flag), whether the body printed
/// whole or was cut; from the first byte for a type or subtype it does
/// not know (it gives back no length); nothing when the frame control is
/// cut. `None`: a data frame carrying an LLC PDU, whose dump the LLC
/// printer decides.
pub(super) fn dump_from(f: &Frame<'_>, flags: u8) -> Option<usize> {
    if flags & FCS != 0 && f.orig_len < 4 {
        return Some(f.data.len());
    }
    let Some(m) = mac(f, flags) else {
        return Some(f.data.len());
    };
    match m.fc.kind {
        _ if m.hdr == 0 => Some(0),
        0 | 1 => Some(m.hdr),
        _ if m.fc.no_data() || m.fc.protected() || m.mesh_cut || m.data.len() < m.hdr => {
            Some(m.hdr)
        }
        _ => None,
    }
}

/// The line of a frame that carries no IP packet.
pub(super) fn write_message<'a>(w: &mut Vec<u8>, f: &Frame<'a>, flags: u8) -> Option<Tail<'a>> {
    let Some(m) = mac(f, flags) else {
        w.extend_from_slice(b" [|802.11]");
        return None;
    };
    match (m.fc.kind, m.hdr) {
        (3, _) => {
            w.extend_from_slice(b"unknown 802.11 frame type (3)");
            return None;
        }
        (1, 0) => {
            out!(w, "unknown 802.11 ctrl frame subtype ({})", m.fc.subtype);
            return None;
        }
        _ => {}
    }
    let (false, Some(body)) = (m.mesh_cut, m.data.get(m.hdr..)) else {
        w.extend_from_slice(b" [|802.11]");
        return None;
    };
    let len = m.wire.saturating_sub(m.hdr);
    let done = match m.fc.kind {
        0 => mgmt(w, f, &m, body, len),
        1 => ctrl(w, f, &m),
        _ if m.fc.no_data() => true,
        _ if m.fc.protected() => {
            w.extend_from_slice(b"Data");
            wep(w, body)
        }
        // What strip left here is not SNAP and IP: a cut LLC or SNAP
        // header is marked as tcpdump marks it.
        _ if body.len() < 3 || (body.len() < 4 && body[2] & 3 != 3) => {
            // tcpdump's LLC printer dumps what there is itself, `-x` or not.
            w.extend_from_slice(b" [|llc]");
            let _ = put_hex_ascii(w, body, 0, body.len(), "\n\t");
            return None;
        }
        _ if is_snap(body) && body.len() < 8 => {
            if f.eflag {
                put_llc_header(w, body[0], body[1], 3, true);
            }
            w.extend_from_slice(b" [|snap]");
            return None;
        }
        _ => true,
    };
    if !done {
        w.extend_from_slice(b" [|802.11]");
    }
    None
}

/// An 802.11 data frame's LLC PDU that the network layer did not take
/// (tcpdump hands it to its LLC printer, as an 802.3 frame's).
pub struct LlcBody<'a> {
    /// The frame's source and destination, by the DS bits' roles.
    pub src: [u8; 6],
    pub dst: [u8; 6],
    /// The PDU as captured (without radiotap's FCS).
    pub bytes: &'a [u8],
    /// Its length on the wire.
    pub wire_len: usize,
    /// Where it starts in the frame.
    pub offset: usize,
}

/// The LLC PDU of a data frame whose header is whole, `None` for other
/// frames and for a cut LLC or SNAP header ([`write_message`] marks it).
pub(super) fn llc_body<'a>(f: &Frame<'a>, flags: u8) -> Option<LlcBody<'a>> {
    let m = mac(f, flags)?;
    if m.fc.kind != 2 || m.hdr == 0 || m.fc.no_data() || m.fc.protected() {
        return None;
    }
    let bytes = m.data.get(m.hdr..)?;
    let control_len = if bytes.get(2)? & 3 == 3 { 3 } else { 4 };
    if bytes.len() < control_len || (is_snap(bytes) && bytes.len() < 8) {
        return None;
    }
    let (src, dst) = match (m.fc.to_ds(), m.fc.from_ds()) {
        (false, false) => (10, 4),
        (false, true) => (16, 4),
        (true, false) => (10, 16),
        (true, true) => (24, 16),
    };
    Some(LlcBody {
        src: addr(m.data, src)?.try_into().ok()?,
        dst: addr(m.data, dst)?.try_into().ok()?,
        bytes,
        wire_len: m.wire.saturating_sub(m.hdr),
        offset: m.hdr,
    })
}

/// An LLC header that announces SNAP: SAPs 0xaa (whatever their I/G
/// and C/R bits) and a UI control byte.
fn is_snap(body: &[u8]) -> bool {
    matches!(body, [d, s, 3, ..] if d & 0xfe == 0xaa && s & 0xfe == 0xaa)
}

/// ` IV:abc Pad 0 KeyID 0` of a protected frame.
fn wep(w: &mut Vec<u8>, body: &[u8]) -> bool {
    let (Some(lo), Some(hi)) = (le16(body, 0), le16(body, 2)) else {
        return false;
    };
    let iv = u32::from(lo) | (u32::from(hi) << 16);
    out!(
        w,
        " IV:{:3x} Pad {:x} KeyID {:x}",
        iv & 0xff_ffff,
        (iv >> 24) & 0x3f,
        iv >> 30
    );
    true
}

fn ctrl(w: &mut Vec<u8>, f: &Frame<'_>, m: &Mac<'_>) -> bool {
    let d = m.data;
    let name = match m.fc.subtype {
        7 => "Control Wrapper",
        8 => "BAR",
        9 => "BA",
        10 => "Power Save-Poll",
        11 => "Request-To-Send",
        12 => "Clear-To-Send",
        13 => "Acknowledgment",
        14 => "CF-End",
        _ => "CF-End+CF-Ack",
    };
    w.extend_from_slice(name.as_bytes());
    match m.fc.subtype {
        10 => out!(w, " AID({:x})", le16(d, 2).unwrap_or(0)),
        _ if f.eflag => {}
        8 => put_bar(w, d),
        11 => {
            w.push(b' ');
            put_addr(w, "TA", d, 10);
        }
        9 | 12..=15 => {
            w.push(b' ');
            put_addr(w, "RA", d, 4);
        }
        _ => {}
    }
    true
}

/// The information elements tcpdump keeps of a management frame.
#[derive(Default)]
struct Elements<'a> {
    ssid: Option<&'a [u8]>,
    rates: Option<&'a [u8]>,
    channel: Option<u8>,
}

/// Walk the elements of `body` (`len` on the wire); `false` where tcpdump
/// gives up (an element cut, or longer than its buffer for it).
fn elements<'a>(body: &'a [u8], len: usize, e: &mut Elements<'a>) -> bool {
    let mut at = 0;
    while at < len {
        let (Some(&id), Some(&n)) = (body.get(at), body.get(at + 1)) else {
            return false;
        };
        let n = usize::from(n);
        if len - at < n + 2 {
            return false;
        }
        let Some(value) = body.get(at + 2..at + 2 + n) else {
            return false;
        };
        match id {
            0 if n > 32 => return false,
            0 => {
                e.ssid.get_or_insert(value);
            }
            1 if n > 16 => return false,
            1 if n > 0 => {
                e.rates.get_or_insert(value);
            }
            3 if n == 1 => {
                e.channel.get_or_insert(value.first().copied().unwrap_or(0));
            }
            5 if n == 255 => return false,
            16 if n > 253 => return false,
            _ => {}
        }
        at += 2 + n;
    }
    true
}

fn put_ssid(w: &mut Vec<u8>, e: &Elements<'_>) {
    if let Some(ssid) = e.ssid {
        w.extend_from_slice(b" (");
        for &c in ssid.iter().take_while(|&&c| c != 0) {
            put_char(w, c);
        }
        w.push(b')');
    }
}

fn put_rates(w: &mut Vec<u8>, e: &Elements<'_>) {
    let Some(rates) = e.rates else {
        return;
    };
    let mut sep = " [";
    for &r in rates {
        let star = if r & 0x80 != 0 { "*" } else { "" };
        out!(w, "{sep}{:.1}{star}", f64::from(r & 0x7f) * 0.5);
        sep = " ";
    }
    w.extend_from_slice(b" Mbit]");
}

fn put_channel_privacy(w: &mut Vec<u8>, e: &Elements<'_>, cap: u16) {
    if let Some(ch) = e.channel {
        out!(w, " CH: {ch}");
    }
    if cap & 0x10 != 0 {
        w.extend_from_slice(b", PRIVACY");
    }
}

fn status(code: u16) -> &'static str {
    STATUSES.get(usize::from(code)).copied().unwrap_or("n/a")
}

fn reason(code: u16) -> &'static str {
    REASONS
        .get(usize::from(code))
        .copied()
        .unwrap_or("Reserved")
}

/// The fixed fields of `n` bytes, when captured and on the wire.
fn fixed(body: &[u8], len: usize, n: usize) -> Option<&[u8]> {
    if len < n {
        return None;
    }
    body.get(..n)
}

/// A management frame's line; `false` where tcpdump marks it cut.
fn mgmt(w: &mut Vec<u8>, f: &Frame<'_>, m: &Mac<'_>, body: &[u8], len: usize) -> bool {
    let st = m.fc.subtype;
    let name = match st {
        0 => "Assoc Request",
        1 => "Assoc Response",
        2 => "ReAssoc Request",
        3 => "ReAssoc Response",
        4 => "Probe Request",
        5 => "Probe Response",
        8 => "Beacon",
        9 => "ATIM",
        10 => "Disassociation",
        11 => "Authentication",
        12 => "DeAuthentication",
        13 => "Action",
        _ => {
            out!(w, "Unhandled Management subtype({st:x})");
            // tcpdump reads a protected one's IV whatever the subtype.
            return !m.fc.protected() || wep(w, body);
        }
    };
    w.extend_from_slice(name.as_bytes());
    if m.fc.protected() {
        return wep(w, body);
    }
    if st == 13 {
        return action(w, f, m, body, len);
    }
    let fixed_len = match st {
        0 => 4,
        1 | 3 | 11 => 6,
        2 => 10,
        4 => 0,
        5 | 8 => 12,
        10 | 12 => 2,
        _ => return true,
    };
    let Some(head) = fixed(body, len, fixed_len) else {
        return false;
    };
    let rest = body.get(fixed_len..).unwrap_or(&[]);
    let mut e = Elements::default();
    let ok = matches!(st, 10 | 12) || elements(rest, len - fixed_len, &mut e);
    let cap = le16(head, if matches!(st, 5 | 8) { 10 } else { 0 }).unwrap_or(0);
    let code = le16(head, 2).unwrap_or(0);
    match st {
        0 | 4 => {
            put_ssid(w, &e);
            put_rates(w, &e);
        }
        2 => {
            put_ssid(w, &e);
            w.extend_from_slice(b" AP : ");
            put_mac(w, addr(head, 4).unwrap_or(&[]));
        }
        1 | 3 => {
            let aid = le16(head, 4).unwrap_or(0) & 0x3fff;
            let privacy = if cap & 0x10 != 0 { " PRIVACY " } else { "" };
            out!(w, " AID({aid:x}) :{privacy}: {}", status(code));
        }
        5 => {
            put_ssid(w, &e);
            put_rates(w, &e);
            put_channel_privacy(w, &e, cap);
        }
        8 => {
            put_ssid(w, &e);
            put_rates(w, &e);
            w.extend_from_slice(if cap & 1 != 0 { b" ESS" } else { b" IBSS" });
            put_channel_privacy(w, &e, cap);
        }
        10 => out!(w, ": {}", reason(cap)),
        11 => {
            let alg = cap;
            let seq = code;
            let status_code = le16(head, 4).unwrap_or(0);
            let alg_name = match alg {
                0 => "Open System",
                1 => "Shared Key",
                2 => "EAP",
                _ => "Reserved",
            };
            let said = if seq % 2 == 1 {
                status(status_code)
            } else {
                ""
            };
            if alg == 1 && matches!(seq, 2 | 3) {
                out!(w, " ({alg_name})-{seq:x} [Challenge Text] {said}");
            } else {
                out!(w, " ({alg_name})-{seq:x}: {said}");
            }
        }
        _ => {
            put_sender(w, f, m);
            out!(w, ": {}", reason(cap));
        }
    }
    ok
}

/// ` (SA)` after a deauthentication or an action: tcpdump names the
/// sender unless `-e` did.
fn put_sender(w: &mut Vec<u8>, f: &Frame<'_>, m: &Mac<'_>) {
    if !f.eflag {
        w.extend_from_slice(b" (");
        put_mac(w, addr(m.data, 10).unwrap_or(&[]));
        w.push(b')');
    }
}

/// An action frame: ` (SA): Category Action` in tcpdump's words.
fn action(w: &mut Vec<u8>, f: &Frame<'_>, m: &Mac<'_>, body: &[u8], len: usize) -> bool {
    let Some(&[category, act]) = fixed(body, len, 2) else {
        return false;
    };
    put_sender(w, f, m);
    w.extend_from_slice(b": ");
    match ACTION_CATEGORIES.iter().find(|(c, _, _)| *c == category) {
        Some((_, name, actions)) => {
            out!(w, "{name} ");
            match actions.get(usize::from(act)).filter(|a| !a.is_empty()) {
                Some(a) => w.extend_from_slice(a.as_bytes()),
                None => out!(w, "Act#{act}"),
            }
        }
        None => out!(w, "Reserved({category}) Act#{act}"),
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(frame: &[u8]) -> String {
        let f = Frame {
            link: 105,
            data: frame,
            orig_len: frame.len(),
            eflag: false,
            verbose: 0,
            ether_name: |_| "",
        };
        let mut w = Vec::new();
        write_message(&mut w, &f, 0);
        String::from_utf8_lossy(&w).into_owned()
    }

    #[test]
    fn beacon_and_ack() {
        let mut b = vec![0x80, 0, 0, 0];
        b.extend_from_slice(&[0; 20]);
        b.extend_from_slice(&[0; 8]);
        b.extend_from_slice(&[100, 0, 0x11, 0]);
        b.extend_from_slice(&[0, 2, b'h', b'i', 1, 2, 0x82, 0x0c, 3, 1, 11]);
        assert_eq!(line(&b), "Beacon (hi) [1.0* 6.0 Mbit] ESS CH: 11, PRIVACY");
        assert_eq!(line(&b[..30]), "Beacon [|802.11]");
        let ack = [0xd4, 0, 0, 0, 1, 2, 3, 4, 5, 6];
        assert_eq!(line(&ack), "Acknowledgment RA:01:02:03:04:05:06 ");
        assert_eq!(line(&ack[..8]), " [|802.11]");
    }
}
