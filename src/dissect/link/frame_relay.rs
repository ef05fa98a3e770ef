//! What follows a Frame Relay header by its NLPID, besides IP and the
//! ISO CLNS PDUs: Q.933 call control (`q933`), FRF.15 fragments, PPP
//! (RFC 1973: the PPP printer's words, its control protocols, the packet
//! inside) and SNAP (RFC 2427: `-e`'s OUI and protocol id, IP inside, any
//! other protocol id as tcpdump shows it: the Frame Relay header, whose
//! `hdr-len` is then the whole header's, and the frame in hex).

use super::super::ctl::{out, put_bits};
use super::llc_words::{oui_name, pid_words, put_snap_header};
use super::{Frame, Tail, q933};
use crate::decode::link_more::{self, FrHeader, PPP};

/// The NLPIDs this module decodes.
pub(super) const NLPID_Q933: u8 = 0x08;
pub(super) const NLPID_FRF15: u8 = 0xb1;
pub(super) const NLPID_PPP: u8 = 0xcf;
pub(super) const NLPID_SNAP: u8 = 0x80;

/// The frame after the Frame Relay header, as a frame of link type `link`
/// (PPP's printer sees its own frame).
fn inner<'a>(f: &Frame<'a>, h: &FrHeader, link: u32) -> Frame<'a> {
    Frame {
        link,
        data: f.data.get(h.hdr_len..).unwrap_or(&[]),
        orig_len: f.orig_len.saturating_sub(h.hdr_len),
        ..*f
    }
}

/// `-e`'s words after the Frame Relay header: PPP's protocol
/// (`IP (0x0021), length 88: `), SNAP's OUI and protocol id.
pub(super) fn write_eflag_words(w: &mut Vec<u8>, f: &Frame<'_>, h: &FrHeader) {
    match h.nlpid {
        // PPP's printer wants two bytes on the wire first.
        NLPID_PPP => {
            let ppp = inner(f, h, PPP);
            if ppp.orig_len >= 2 {
                super::serial::ppp_words(w, &ppp);
            }
        }
        NLPID_SNAP => {
            let snap = inner(f, h, 0);
            if let Some((oui, pid)) = snap_header(&snap) {
                put_snap_header(w, oui, pid, snap.orig_len - 5);
            }
        }
        _ => {}
    }
}

/// A SNAP header whose five bytes are captured and on the wire.
fn snap_header(snap: &Frame<'_>) -> Option<(u32, u16)> {
    if snap.orig_len < 5 {
        return None;
    }
    link_more::snap_at(snap.data, 0)
}

/// What follows a Frame Relay frame's SNAP header (NLPID 0x80), for the
/// printers of LLC's SNAP: the OUI and protocol id, where the payload
/// starts and its length on the wire; `None` for another NLPID or a SNAP
/// header the capture or the wire cut.
pub(super) fn snap_payload(f: &Frame<'_>, h: &FrHeader) -> Option<super::SnapPayload> {
    if h.nlpid != NLPID_SNAP {
        return None;
    }
    let payload = inner(f, h, 0);
    let (oui, pid) = snap_header(&payload)?;
    Some(super::SnapPayload {
        header_len: h.hdr_len,
        oui,
        pid,
        at: h.hdr_len + 5,
        wire_len: payload.orig_len - 5,
    })
}

/// The line of a frame whose NLPID this module decodes (`None`: another
/// one), and the bytes tcpdump then prints in hex.
pub(super) fn write_payload<'a>(
    w: &mut Vec<u8>,
    f: &Frame<'a>,
    h: &FrHeader,
) -> Option<Option<Tail<'a>>> {
    let payload = inner(f, h, 0);
    let (bytes, wire_len) = (payload.data, payload.orig_len);
    Some(match h.nlpid {
        NLPID_Q933 => {
            if q933::write(w, bytes, wire_len, f.eflag, f.verbose).is_err() {
                w.extend_from_slice(b" [|q.933]");
            }
            None
        }
        NLPID_FRF15 => {
            frf15(w, bytes, wire_len);
            None
        }
        // Too short on the wire: the mark alone (the PPP printer takes
        // the others, `ppp_frame`).
        NLPID_PPP => {
            w.extend_from_slice(b" [|ppp]");
            None
        }
        NLPID_SNAP => match snap_header(&payload) {
            None => {
                w.extend_from_slice(b" [|snap]");
                None
            }
            // A protocol id SNAP's printer cannot follow: its words, the
            // header (whose address length is then the whole header's),
            // and the frame from its first byte.
            Some((oui, pid)) => {
                if !f.eflag {
                    w.extend_from_slice(b"SNAP, ");
                    if oui != 0 {
                        out!(w, "oui {} (0x{oui:06x}), ", oui_name(oui));
                    }
                    let (word, name) = pid_words(oui, pid);
                    out!(w, "{word} {name} (0x{pid:04x}), length {}: ", wire_len - 5);
                    let whole = FrHeader {
                        addr_len: h.hdr_len,
                        ..*h
                    };
                    super::serial::fr_header(w, &whole, f.orig_len);
                }
                Some(Tail {
                    bytes: f.data,
                    ascii: true,
                    wire_len: f.orig_len,
                    cut_mark: "snap",
                    kept_by_x_ascii: false,
                    unsuppressed: false,
                })
            }
        },
        _ => return None,
    })
}

/// Where tcpdump's `-x` dump of a frame this module printed starts:
/// after the Frame Relay header, or at the first byte when a printer
/// read a byte the capture cut without checking it first (FRF.15's
/// header, Q.933's byte after the message type).
pub(super) fn dump_from(f: &Frame<'_>, h: &FrHeader) -> usize {
    let payload = inner(f, h, 0);
    let jumped = match h.nlpid {
        NLPID_FRF15 => payload.orig_len >= 2 && payload.data.len() < 2,
        NLPID_Q933 => q933::write(&mut Vec::new(), payload.data, payload.orig_len, true, 0)
            .is_err_and(|cut| cut.jumped),
        _ => false,
    };
    if jumped { 0 } else { h.hdr_len }
}

/// FRF.15's fragmentation header: B, E and C bits, a 12-bit sequence
/// number, the fragmentation model.
fn frf15(w: &mut Vec<u8>, p: &[u8], wire_len: usize) {
    let (Some(&a), Some(&b), true) = (p.first(), p.get(1), wire_len >= 2) else {
        w.extend_from_slice(b" [|fr]");
        return;
    };
    let seq = (u16::from(a & 0x1e) << 7) | u16::from(b);
    out!(w, "FRF.15, seq 0x{seq:03x}, Flags [");
    put_bits(
        w,
        &[(0x80, "Begin"), (0x40, "End"), (0x20, "Control")],
        u32::from(a & 0xe0),
        "none",
    );
    let model = if a & 0x01 != 0 {
        "Interface"
    } else {
        "End-to-End"
    };
    out!(w, "],{model} Fragmentation, length {wire_len}");
}

/// A PPP payload shorter than PPP's printer wants on the wire: its mark
/// comes from its own check, not from a jump.
pub(super) fn ppp_short_on_wire(f: &Frame<'_>, h: &FrHeader) -> bool {
    h.nlpid == NLPID_PPP && f.orig_len < h.hdr_len + 2
}
