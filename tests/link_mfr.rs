//! FRF.16 multilink Frame Relay (link type 182, MFR) against tcpdump
//! 4.99's `mfr_print`: control frames of every message type (and unknown
//! ones) with every information element tcpdump names (bundle and link
//! ids with escapes, NULs and more than 50 bytes, magic numbers of every
//! length, timestamps valid, out of range and of other lengths, vendor
//! extensions, causes, unknown types, elements of type 0 or too short that
//! end the walk, elements past the record); fragments with every B, E and
//! C combination and sequence number bits; first fragments carrying every
//! Frame Relay frame of the link type 107 tests (IPv4, IPv6, Q.933,
//! FRF.15, PPP, SNAP, OSI, Cisco's EtherType encapsulation, unknown
//! NLPIDs, invalid and cut addresses) and frames of two or three bytes;
//! records too short on the wire. Whole and cut at every length, each
//! must print what `tcpdump -n -r` prints at every level and in every
//! dump; filters are libpcap's (`link[]` and the lengths; every
//! network-layer word refused in its words); `--json` carries the
//! header and the elements; damaged records never panic.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures;
use support::link_filters::{REFUSED_WITHOUT_MACS, filters_equal_tcpdump};
use support::temp_path;

const MFR: u32 = 182;

/// A control frame: the flags byte, zero, the message type, elements.
fn control(flags: u8, message: u8, ies: &[Vec<u8>]) -> Vec<u8> {
    [vec![flags, 0, message], ies.concat()].concat()
}

/// An information element: type, length (its two bytes included), value.
fn ie(kind: u8, value: &[u8]) -> Vec<u8> {
    [&[kind, (value.len() + 2) as u8][..], value].concat()
}

/// A `struct timeval` of a 64-bit little-endian host.
fn timeval(sec: i64, usec: i64) -> Vec<u8> {
    [sec.to_le_bytes(), usec.to_le_bytes()].concat()
}

fn control_frames() -> Vec<Vec<u8>> {
    let id: Vec<u8> = (0..60).map(|i| b'a' + (i % 26) as u8).collect();
    let every_ie = vec![
        ie(1, b"bundle-1\0"),
        ie(2, b"link-7"),
        ie(3, &[0xde, 0xad, 0xbe, 0xef]),
        ie(5, &timeval(1_700_000_000, 123_456)),
        ie(6, &[0, 0, 0x0c, 1, 2, 3]),
        ie(7, &[1]),
    ];
    let mut r = Vec::new();
    for m in [1, 2, 3, 4, 5, 6, 7, 0, 8, 0xff] {
        r.push(control(0xe0, m, &every_ie));
    }
    // Flag bytes with the low bits set (still control frames), an empty
    // message, one or two bytes after the type (the walk wants three).
    r.push(control(0xe1, 1, &[ie(2, b"x")]));
    r.push(control(0xff, 4, &[]));
    r.push(control(0xfe, 4, &[vec![9]]));
    r.push(control(0xe0, 4, &[vec![9, 9]]));
    r.push(control(
        0xe0,
        1,
        &[
            // Escapes, a NUL inside, more than 50 bytes.
            ie(1, &[b'a', 0x01, 0x7f, 0x80, 0xc1, 0xff, b'z']),
            ie(2, b"ab\0cd"),
            ie(1, &id),
            ie(2, &[]),
        ],
    ));
    r.push(control(
        0xe0,
        2,
        &[
            ie(3, &[1, 2, 3]),
            ie(3, &[1, 2, 3, 4, 5]),
            ie(3, &[0xff; 4]),
            ie(3, &[]),
        ],
    ));
    r.push(control(
        0xe0,
        4,
        &[
            ie(5, &timeval(0, 0)),
            ie(5, &timeval(86_399, 999_999)),
            ie(5, &timeval(0x8000_0000, 1)),
            ie(5, &timeval(0x1_0000_0000, 5)),
            ie(5, &timeval(i64::MAX, 7_000_000)),
            ie(5, &timeval(-1, -1)),
            ie(5, &[1, 2, 3, 4, 5, 6, 7, 8]),
            ie(5, &(0..40).collect::<Vec<u8>>()),
        ],
    ));
    r.push(control(
        0xe0,
        5,
        &[
            ie(6, &(0..20).collect::<Vec<u8>>()),
            ie(7, &[3, 4]),
            ie(4, &[4, 4, 4]),
            ie(8, &[]),
            ie(0xff, &[0xff; 17]),
        ],
    ));
    // Elements that end the walk: type 0, lengths 0 to 2, and one past
    // the record.
    r.push(control(
        0xe0,
        6,
        &[ie(1, b"a"), vec![0, 5, 1, 2, 3], ie(2, b"b")],
    ));
    for len in [0, 1, 2] {
        r.push(control(0xe0, 7, &[ie(7, &[1]), vec![2, len, 9, 9]]));
    }
    r.push(control(0xe0, 1, &[ie(1, b"ab"), vec![2, 40, b'c', b'd']]));
    r
}

fn fragments() -> Vec<Vec<u8>> {
    let payload: Vec<u8> = (0x30..0x30 + 40).collect();
    let mut r = Vec::new();
    // Every B, E, C combination but a first fragment's (B, or B and E:
    // those carry a Frame Relay frame), each sequence number bit, the EA
    // bit; a control frame's bits with a nonzero second byte.
    for (i, bits) in [0x00u8, 0x40, 0x20, 0x60, 0xa0, 0xe0]
        .into_iter()
        .enumerate()
    {
        for (hi, lo) in [(0, 1), (0x1e, 0xff), (0x02, 0x80), (0x11, 0)] {
            if bits == 0xe0 && lo == 0 {
                continue;
            }
            let n = 4 + (i * 7 + usize::from(lo)) % 36;
            r.push([&[bits | hi, lo][..], &payload[..n]].concat());
        }
    }
    r.push([&[0x01, 0x02][..], &payload].concat());
    r.push(vec![0x40, 0x05, 0x18, 0x41]);
    r
}

/// First fragments (B, or B and E) around every Frame Relay frame of the
/// link type 107 tests, and around frames of two and three bytes.
fn first_fragments() -> Vec<Vec<u8>> {
    let frelay = link_captures::all()
        .into_iter()
        .find(|c| c.link == 107)
        .expect("Frame Relay's cases")
        .frames;
    let mut r: Vec<Vec<u8>> = frelay
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let head: [u8; 2] = match i % 4 {
                0 => [0xc0, 0x01],
                1 => [0x80, 0x02],
                2 => [0xc1, 0xff],
                _ => [0x9e, 0x10],
            };
            [&head[..], f].concat()
        })
        .collect();
    for fr in [
        &[0x18, 0x41][..],
        &[0x19, 0x41],
        &[0x18, 0x40],
        &[0x18, 0x41, 0x03],
        &[0x18, 0x41, 0x05],
        &[0x00, 0x01, 0x05],
        &[0x18, 0x40, 0x0b],
        &[0x18, 0x40, 0x02],
        &[0x19, 0x41, 0x03],
    ] {
        r.push([&[0xc0, 0x07][..], fr].concat());
        r.push([&[0x80, 0x07][..], fr].concat());
    }
    r
}

/// Every record: control frames, fragments, first fragments, records
/// too short on the wire (two and three bytes).
fn records() -> Vec<Vec<u8>> {
    let mut r = control_frames();
    r.extend(fragments());
    r.extend(first_fragments());
    r.extend([
        vec![0x00, 0x01],
        vec![0xc0, 0x01, 0x18],
        vec![0xe0, 0x00, 0x01],
    ]);
    r
}

#[test]
fn records_whole_and_cut_print_what_tcpdump_prints() {
    let records = records();
    let path = temp_path(
        "mfr-cuts",
        link_captures::capture(MFR, &records, usize::MAX),
    );
    let levels = [
        "", "-e", "-v", "-vv", "-x", "-e -x", "-X", "-xx", "-A", "-vv -x", "-e -v",
    ];
    let Some(counts) = compare_with_tcpdump(&path, &levels, records.len()) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("MFR: {total} lines identical to tcpdump's");
    assert!(total > 80_000, "{total}");
}

#[test]
fn filters_are_libpcaps() {
    const EXPRS: &[&str] = &[
        "link[0] = 0xe0",
        "link[0] & 0x80 != 0 and len > 40",
        "link[2:2] = 0x1841",
        "len > 60",
        "less 30",
        "greater 100",
    ];
    let refused: Vec<&str> = [
        "ip",
        "ip6",
        "tcp port 80",
        "host 192.168.1.1",
        "net 10.0.0.0/8",
        "iso",
        "clnp",
        "icmp",
    ]
    .into_iter()
    .chain(REFUSED_WITHOUT_MACS.iter().copied())
    .collect();
    let bytes = link_captures::capture(MFR, &records(), 0);
    let path = temp_path("mfr-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), MFR, EXPRS, &refused);
    if compared == 0 {
        return;
    }
    eprintln!("MFR filters: {compared} lines identical to tcpdump's");
    assert!(compared >= 100, "{compared}");
}

#[test]
fn every_listed_expression_agrees_with_tcpdump() {
    let Some(n) = support::link_filters::listed_expressions_agree(MFR, &records()) else {
        return;
    };
    eprintln!("MFR: {n} listed expressions agree with tcpdump");
    assert!(n >= 240, "{n}");
}

#[test]
fn json_carries_the_header_the_elements_and_the_frame_relay_header() {
    let ip = link_captures::ipv4_echo();
    let records = [
        control(
            0xe0,
            1,
            &[
                ie(1, b"bundle-1\0"),
                ie(3, &[0xde, 0xad, 0xbe, 0xef]),
                ie(7, &[1]),
            ],
        ),
        [&[0xc0, 0x05, 0x18, 0x41, 0x03, 0xcc][..], &ip].concat(),
        vec![0x40, 0x06, 1, 2, 3, 4],
    ];
    let path = temp_path("mfr-json", link_captures::capture(MFR, &records, 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines[0]["link"], "MFR");
    let l = &lines[0]["link_layer"];
    assert_eq!(
        (&l["type"], &l["frame"], &l["message_name"]),
        (&"mfr".into(), &"control".into(), &"Add Link".into()),
        "{l}"
    );
    assert_eq!(l["ies"][0]["id"], "bundle-1", "{l}");
    assert_eq!(l["ies"][1]["magic"], 0xdeadbeef_u32, "{l}");
    assert_eq!(l["ies"][2]["name"], "Cause", "{l}");
    let l = &lines[1]["link_layer"];
    assert_eq!((&l["frame"], &l["seq"]), (&"fragment".into(), &5.into()));
    assert_eq!((&l["begin"], &l["end"]), (&true.into(), &true.into()));
    assert_eq!(
        (&l["fr"]["dlci"], &l["fr"]["nlpid"]),
        (&100.into(), &0xcc.into())
    );
    // The packet inside is the network layer's.
    assert_eq!(lines[1]["ip"]["src"], "192.168.1.1", "{}", lines[1]);
    let l = &lines[2]["link_layer"];
    assert_eq!(
        (&l["seq"], &l["end"], &l.get("fr")),
        (&6.into(), &true.into(), &None)
    );
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(MFR, &records(), 182);
}

/// The records, whole and cut at every length, behind PPI and PKTAP
/// headers print what tcpdump prints: a first fragment's words after the
/// wrapper's, then its Frame Relay frame's line; `-x` from where the
/// wrapper's printer counted (its header, and again what FRF.16's printer
/// counted: its two bytes, a control frame's three, nothing before
/// another fragment, the whole record when a printer after it gave up);
/// inside two wrappers, each counting again.
#[test]
fn records_behind_ppi_and_pktap_print_what_tcpdump_prints() {
    let records = support::pcap::whole_and_cut(&records());
    let total = link_captures::behind_ppi_and_pktap_equal_tcpdump("mfr", MFR, &records);
    assert!(total == 0 || total > 100_000, "only {total} lines compared");
    // Behind a PPI header behind another PPI or a PKTAP header: each
    // wrapper's printer counts what the printers inside it counted again.
    let inner = link_captures::ppi_header(0, 8, MFR);
    let nested: Vec<(Vec<u8>, u32)> = records
        .into_iter()
        .map(|(r, len)| ([&inner[..], &r].concat(), len + 8))
        .collect();
    let total = link_captures::behind_ppi_and_pktap_equal_tcpdump("mfr-nested", 192, &nested);
    assert!(total == 0 || total > 90_000, "only {total} lines compared");
}
