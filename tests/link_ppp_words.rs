//! libpcap's protocol words on PPP (9), PPP in HDLC framing (50), PPPoE
//! without Ethernet (51), pppd's PPP with its direction byte (166) and
//! Cisco HDLC (104): on PPP's links `atalk`,
//! `decnet`, `ipx`, `iso` (and the OSI words after it), `stp` and
//! `ether proto` of those are PPP's protocol numbers (libpcap's
//! `ethertype_to_ppptype`), any other EtherType is compared as it is (an
//! `ether proto 0x8847` is not PPP's MPLS, which `mpls` tests); Cisco HDLC
//! compares each with its type field (an LLC SAP pair as one half-word).
//! The MAC words and `mpls` on PPP in HDLC framing are refused in
//! libpcap's words. sockscope selects what tcpdump selects.

mod support;

use support::link_captures::{ipv4_echo, ipv6_udp};
use support::link_filters::records_filter_like_tcpdump;

/// An OSI PDU: IS-IS's NLPID, a header length, version, and an L1 LAN
/// hello's PDU type four bytes after the NLPID.
const OSI: [u8; 16] = [0x83, 27, 1, 0, 0x0f, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// Each PPP protocol with a body of its kind.
fn ppp_bodies() -> Vec<(u16, Vec<u8>)> {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let mpls = [&[0, 1, 1, 0xff][..], &v4].concat();
    vec![
        (0x21, v4),
        (0x57, v6),
        (0x29, vec![0; 20]),
        (0x27, vec![0; 20]),
        (0x2b, vec![0; 20]),
        (0x23, OSI.to_vec()),
        (0x25, vec![0; 20]),
        (0x31, vec![0; 20]),
        (0x0281, mpls.clone()),
        (0x8847, mpls),
        (0x8137, vec![0; 20]),
        (0xc021, vec![1, 1, 0, 4]),
    ]
}

/// Each Cisco HDLC type (EtherTypes, and LLC SAPs as libpcap's words give
/// them) with a body.
fn chdlc_bodies() -> Vec<(u16, Vec<u8>)> {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    vec![
        (0x0800, v4),
        (0x86dd, v6),
        (0x809b, vec![0; 20]),
        (0x6003, vec![0; 20]),
        (0x8137, vec![0; 20]),
        (0xfefe, [&[0][..], &OSI].concat()),
        (0x00fe, vec![0; 20]),
        (0x00e0, vec![0; 20]),
        (0x0042, vec![0; 20]),
        (0xf0f0, vec![0; 20]),
    ]
}

const EXPRS: &[&str] = &[
    "ip",
    "ip6",
    "atalk",
    "decnet",
    "ipx",
    "iso",
    "isis",
    "l1",
    "clnp",
    "stp",
    "netbeui",
    "lat",
    "ether proto 0x8847",
    "ether proto 0x8137",
    "ether proto 0xfe",
    "ether proto 0x42",
    "not atalk and not iso",
];

fn compare(link: u32, records: &[Vec<u8>], extra: &[&str], refused: &[&str]) -> usize {
    let exprs: Vec<&str> = EXPRS.iter().chain(extra).copied().collect();
    let name = format!("ppp-words-{link}");
    records_filter_like_tcpdump((link, records), &name, &exprs, refused)
}

const MACS: [&str; 3] = [
    "ether host 1:2:3:4:5:6",
    "ether broadcast",
    "ether multicast",
];

#[test]
fn protocol_words_on_ppp_and_cisco_hdlc_are_libpcaps() {
    let ppp: Vec<Vec<u8>> = ppp_bodies()
        .into_iter()
        .map(|(p, b)| [&[0xff, 0x03][..], &p.to_be_bytes(), &b].concat())
        .collect();
    let mut compared = compare(9, &ppp, &["mpls", "mpls and ip"], &MACS);
    let refused: Vec<&str> = MACS.iter().copied().chain(["mpls"]).collect();
    compared += compare(50, &ppp, &[], &refused);
    // pppd's PPP (166): its direction byte (0 in, 1 out) where the address
    // is; PPP over serial's words, and `inbound`/`outbound` on that byte.
    let pppd: Vec<Vec<u8>> = ppp
        .iter()
        .enumerate()
        .map(|(i, r)| [&[(i % 2) as u8][..], &r[1..]].concat())
        .collect();
    let refused: Vec<&str> = refused.into_iter().chain(["vlan", "llc"]).collect();
    let directions = [
        "inbound",
        "outbound",
        "inbound and ip",
        "not outbound and ip6",
    ];
    compared += compare(166, &pppd, &directions, &refused);
    let pppoe: Vec<Vec<u8>> = ppp_bodies()
        .into_iter()
        .map(|(p, b)| {
            let len = (b.len() + 2) as u16;
            [
                &[0x11, 0, 0, 1][..],
                &len.to_be_bytes(),
                &p.to_be_bytes(),
                &b,
            ]
            .concat()
        })
        .collect();
    compared += compare(51, &pppoe, &[], &MACS);
    let chdlc: Vec<Vec<u8>> = chdlc_bodies()
        .into_iter()
        .map(|(t, b)| [&[0x0f, 0][..], &t.to_be_bytes(), &b].concat())
        .collect();
    compared += compare(104, &chdlc, &["mpls"], &MACS);
    if compared == 0 {
        return;
    }
    eprintln!("PPP and Cisco HDLC protocol words: {compared} lines identical to tcpdump's");
    assert!(compared > 40, "{compared}");
}

/// pppd's PPP in `--json`: the link type's name, the direction byte, and
/// the IP packet inside (for flows too).
#[test]
fn pppd_records_give_their_direction_and_packet() {
    use support::bin::{sockscope, text};
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let records = [
        [&[0, 3, 0, 0x21][..], &v4].concat(),
        [&[1, 3, 0, 0x57][..], &v6].concat(),
    ];
    let path = support::temp_path(
        "pppd-json",
        support::link_captures::capture(166, &records, 0),
    );
    let out = sockscope(&["read", &path, "--json"]);
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", text(&out.stdout));
    assert_eq!(lines[0]["link"], "PPP_PPPD");
    assert_eq!(lines[0]["link_layer"]["direction"], "in");
    assert_eq!(lines[0]["link_layer"]["protocol"], 0x21);
    assert_eq!(lines[0]["ip"]["version"], 4);
    assert_eq!(lines[1]["link_layer"]["direction"], "out");
    assert_eq!(lines[1]["link_layer"]["protocol"], 0x57);
    assert_eq!(lines[1]["ip"]["version"], 6);
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    assert!(
        text(&out.stdout).contains("2 flows"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn damaged_pppd_records_never_panic() {
    let records: Vec<Vec<u8>> = ppp_bodies()
        .into_iter()
        .map(|(p, b)| [&[1, 0x03][..], &p.to_be_bytes(), &b].concat())
        .collect();
    support::link_damage::damaged_records_read(166, &records, 166);
}

/// The protocol words on Frame Relay: `iso` is the UI control and one
/// of the OSI NLPIDs (CLNP, ES-IS, IS-IS) as one half-word, `clnp`,
/// `esis`, `isis` one of them, IS-IS's PDU types at byte 4 (libpcap's
/// network layer is 0 there); the SAP words are false (`stp or ip` is
/// `ip`, `atalk` alone rejects all packets). `pppoes` is false too (no
/// NLPID says PPPoE), but what follows it reads as if a PPPoE session
/// header started at byte 0: PPP's protocol at 6, the packet at 8
/// (`link[]` at 6). A frame of PPP over Frame Relay (NLPID 0xcf, then
/// `ff 03` and the protocol) has them there.
#[test]
fn protocol_words_and_pppoes_on_frame_relay_are_libpcaps() {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let ppp = |proto: u16, body: &[u8]| {
        [
            &[0x18, 0x41, 0x03, 0xcf, 0xff, 0x03][..],
            &proto.to_be_bytes(),
            body,
        ]
        .concat()
    };
    let records = vec![
        ppp(0x21, &v4),
        ppp(0x57, &v6),
        ppp(0x23, &OSI),
        ppp(0x2b, &[0; 20]),
        [&[0x18, 0x41, 0x03, 0xcc][..], &v4].concat(),
        [&[0x18, 0x41, 0x03, 0x8e][..], &v6].concat(),
        // OSI by its NLPID: CLNP, ES-IS, IS-IS (an L1 LAN hello: libpcap
        // reads the PDU type at byte 4, inside the IS-IS header).
        [
            &[0x18, 0x41, 0x03][..],
            &[0x81, 0x1b, 1, 0, 0x1c, 0, 0, 0, 0],
        ]
        .concat(),
        [
            &[0x18, 0x41, 0x03][..],
            &[0x82, 0x1b, 1, 0, 0x02, 0, 0, 0, 0],
        ]
        .concat(),
        [&[0x18, 0x41, 0x03][..], &OSI].concat(),
        [&[0x18, 0x41, 0x03, 0x83, 0x0f][..], &OSI[1..]].concat(),
    ];
    let exprs = [
        "pppoes or ip",
        "pppoes or ip6",
        "pppoes 5 or ip",
        "ip or pppoes or udp",
        "pppoes or icmp",
        "pppoes or host 192.168.1.2",
        "pppoes or iso",
        "pppoes or isis",
        "pppoes or ipx",
        "pppoes or ip[0] = 0x45",
        "pppoes or link[0] = 0",
        "pppoes and ip",
        "pppoes",
        "pppoes or clnp",
        "iso",
        "clnp",
        "esis",
        "isis",
        "l1",
        "isis and l1 or ip6",
        "iso or ip",
        "not iso",
        "stp or ip",
        "ipx or ip6",
        "ether proto 0xfe",
        "atalk",
    ];
    let refused = ["pppoes or vlan", "pppoes or ether host 1:2:3:4:5:6"];
    let compared = records_filter_like_tcpdump((107, &records), "fr-pppoes", &exprs, &refused);
    if compared == 0 {
        return;
    }
    eprintln!("Frame Relay's protocol words: {compared} lines identical to tcpdump's");
    assert!(compared > 30, "{compared}");
}
