//! ISO CLNS PDUs (the CLNP and ES-IS PDUs of `osi_captures`, IS-IS's of
//! `isis_captures`) on the links tcpdump hands to the same printer as LLC's
//! SAP 0xfe: PPP's protocol 0x0023 on PPP (9) with and without its HDLC
//! address and with a one-byte protocol field, on PPP in HDLC framing (50),
//! inside PPPoE, L2TP and PPTP's GRE; GRE's 0x00fe; Cisco HDLC's 0xfefe
//! (104, and 50 with Cisco's address), with and without the pad byte
//! tcpdump looks for. `tests/dissect_osi_links.rs` compares `sockscope
//! read` with `tcpdump -n -r` on them.

use super::link_captures::capture;
use super::tunnel_captures::{ether, gre, over_ipv4, over_udp, pppoe};
use super::{isis_captures, osi_captures};

/// Every hand-built CLNP, ES-IS and IS-IS PDU, and an NLPID no printer
/// decodes (CONS) and the null one.
pub fn pdus() -> Vec<Vec<u8>> {
    let isis = isis_captures::frames().into_iter().map(|f| {
        // The 802.3 length counts the LLC header; the frame is padded.
        let len = usize::from(u16::from_be_bytes([f[12], f[13]]));
        f[isis_captures::HEADERS..14 + len].to_vec()
    });
    let mut out = osi_captures::pdus();
    out.extend(isis);
    out.push(vec![0x84, 1, 2, 3]);
    out.push(vec![0x00, 9, 9]);
    out
}

/// A few of [`pdus`] to cut at every length: CLNP data with every option,
/// an echo request, an ES-IS ISH, IS-IS hellos and an LSP, CONS.
pub fn to_cut() -> Vec<Vec<u8>> {
    let all = pdus();
    let clnp = osi_captures::pdus();
    let first_isis = clnp.len();
    let mut picked = vec![all[0].clone(), all[1].clone()];
    // The ES-IS ISH is the third ES-IS PDU.
    if let Some(esh) = clnp.iter().filter(|p| p[0] == 0x82).nth(2) {
        picked.push(esh.clone());
    }
    picked.extend(all[first_isis..].iter().take(4).cloned());
    picked.push(vec![0x84, 1, 2, 3]);
    picked
}

/// How a link carries a PDU: its link type and the frame around it.
pub struct Framing {
    pub name: &'static str,
    pub link: u32,
    pub wrap: fn(&[u8]) -> Vec<u8>,
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// PPP with its HDLC address and control bytes, protocol 0x0023.
fn ppp_full(p: &[u8]) -> Vec<u8> {
    cat(&[&[0xff, 0x03, 0x00, 0x23], p])
}

fn ppp_bare(p: &[u8]) -> Vec<u8> {
    cat(&[&[0x00, 0x23], p])
}

fn ppp_short_proto(p: &[u8]) -> Vec<u8> {
    cat(&[&[0x23], p])
}

fn chdlc_unicast(p: &[u8]) -> Vec<u8> {
    cat(&[&[0x0f, 0x00, 0xfe, 0xfe], p])
}

fn chdlc_bcast(p: &[u8]) -> Vec<u8> {
    cat(&[&[0x8f, 0x00, 0xfe, 0xfe], p])
}

/// Cisco HDLC with the pad byte before the NLPID.
fn chdlc_padded(p: &[u8]) -> Vec<u8> {
    cat(&[&[0x0f, 0x00, 0xfe, 0xfe, 0x00], p])
}

fn gre_osi(p: &[u8]) -> Vec<u8> {
    over_ipv4(47, &cat(&[&gre(0, 0x00fe, &[]), p]))
}

fn pppoe_osi(p: &[u8]) -> Vec<u8> {
    ether(0x8864, &pppoe(0, 0x1234, &ppp_bare(p)))
}

/// L2TP data (tunnel 1, session 2, a length) carrying PPP.
fn l2tp_osi(p: &[u8]) -> Vec<u8> {
    let ppp = ppp_full(p);
    let len = (ppp.len() + 8) as u16;
    let head = cat(&[&[0x40, 0x02], &len.to_be_bytes(), &[0, 1, 0, 2]]);
    over_udp(1701, &cat(&[&head, &ppp]))
}

/// PPTP's enhanced GRE (key with payload length and call 7, a sequence
/// number) carrying PPP.
fn pptp_osi(p: &[u8]) -> Vec<u8> {
    let ppp = ppp_full(p);
    let key = ((ppp.len() as u32) << 16) | 7;
    over_ipv4(47, &cat(&[&gre(0x3001, 0x880b, &[key, 1]), &ppp]))
}

/// EtherType 0xfefe (SAP 0xfe's LLC header read as an EtherType), its
/// control byte, then the PDU: on Ethernet and in a Linux cooked packet.
fn ether_fefe(pdu: &[u8]) -> Vec<u8> {
    let head = [[0, 1, 2, 3, 4, 5], [0, 0x11, 0x22, 0x33, 0x44, 0x55]].concat();
    cat(&[&head, &[0xfe, 0xfe, 3], pdu])
}

fn cooked_fefe(pdu: &[u8]) -> Vec<u8> {
    cat(&[
        &super::frames::sll_header(0, 1, [2, 0, 0, 0, 0, 1], 0xfefe),
        &[3],
        pdu,
    ])
}

/// Frame Relay: a two-byte Q.922 address and UI, then the PDU, whose
/// NLPID is Frame Relay's; and a three-byte address with its pad byte.
fn frelay(pdu: &[u8]) -> Vec<u8> {
    cat(&[&[0x18, 0x41, 3], pdu])
}

fn frelay_padded(pdu: &[u8]) -> Vec<u8> {
    cat(&[&[0x18, 0x40, 0x0b, 3, 0], pdu])
}

/// Every framing.
pub fn framings() -> Vec<Framing> {
    let f = |name, link, wrap| Framing { name, link, wrap };
    vec![
        f("ppp", 9, ppp_full as fn(&[u8]) -> Vec<u8>),
        f("ppp_bare", 9, ppp_bare),
        f("ppp_short_proto", 9, ppp_short_proto),
        f("ppp_hdlc", 50, ppp_full),
        f("ppp_hdlc_chdlc", 50, chdlc_unicast),
        f("chdlc", 104, chdlc_unicast),
        f("chdlc_bcast", 104, chdlc_bcast),
        f("chdlc_padded", 104, chdlc_padded),
        f("gre", 1, gre_osi),
        f("pppoe", 1, pppoe_osi),
        f("l2tp", 1, l2tp_osi),
        f("pptp", 1, pptp_osi),
        f("ether_fefe", 1, ether_fefe),
        f("cooked_fefe", 113, cooked_fefe),
        f("frelay", 107, frelay),
        f("frelay_padded", 107, frelay_padded),
    ]
}

/// A framing's capture: every PDU whole, then [`to_cut`]'s frames cut at
/// every length.
pub fn capture_of(f: &Framing) -> Vec<u8> {
    let whole: Vec<Vec<u8>> = pdus().iter().map(|p| (f.wrap)(p)).collect();
    let cut: Vec<Vec<u8>> = to_cut().iter().map(|p| (f.wrap)(p)).collect();
    let mut bytes = capture(f.link, &whole, 0);
    let cuts = capture(f.link, &cut, usize::MAX);
    // Both have one pcap file header (24 bytes): keep the first's.
    bytes.extend_from_slice(&cuts[24..]);
    bytes
}
