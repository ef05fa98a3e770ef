//! `captures/dissect_isis.pcap`: IS-IS PDUs built by hand in 802.3 frames
//! to LLC SAP 0xfe (LAN and point-to-point hellos, an LSP carrying most
//! TLVs tcpdump decodes, CSNP and PSNP, header errors, an unknown NLPID),
//! each cut every few bytes, then seeded damaged copies (the NLPID kept:
//! CLNP and ES-IS have `osi_captures`). `tests/dissect_routing.rs` compares
//! `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{Frame, capture as write_frames};
use super::control_captures::{cut_often, ether};

/// Ethernet and LLC headers before the NLPID.
pub const HEADERS: usize = 17;

/// All L1 / L2 IS-IS routers.
const ALL_IS: [u8; 6] = [0x01, 0x80, 0xc2, 0, 0, 0x14];

/// A PDU in an 802.3 frame with its LLC header, padded to 60 bytes.
pub fn frame(pdu: &[u8]) -> Vec<u8> {
    let len = (pdu.len() + 3) as u16;
    let mut f = ether(ALL_IS, len, &[&[0xfe, 0xfe, 0x03][..], pdu].concat());
    f.resize(f.len().max(60), 0);
    f
}

fn tlv(t: u8, v: &[u8]) -> Vec<u8> {
    [&[t, v.len() as u8][..], v].concat()
}

const SYS_A: [u8; 6] = [0x19, 0x21, 0x68, 0x00, 0x10, 0x01];
const SYS_B: [u8; 6] = [0x19, 0x21, 0x68, 0x00, 0x10, 0x02];

/// The common header, then `fixed` after it and the TLVs; the PDU length
/// field (at `len_at` in `fixed`) set to the whole.
fn pdu(kind: u8, fixed: Vec<u8>, len_at: usize, tlvs: &[Vec<u8>]) -> Vec<u8> {
    let mut m = vec![0x83, (8 + fixed.len()) as u8, 1, 0, kind, 1, 0, 0];
    m.extend_from_slice(&fixed);
    for t in tlvs {
        m.extend_from_slice(t);
    }
    let n = (m.len() as u16).to_be_bytes();
    m[8 + len_at] = n[0];
    m[9 + len_at] = n[1];
    m
}

fn lan_iih(kind: u8, tlvs: &[Vec<u8>]) -> Vec<u8> {
    let mut f = vec![3];
    f.extend_from_slice(&SYS_A);
    f.extend_from_slice(&[0, 30, 0, 0, 64]);
    f.extend_from_slice(&SYS_A);
    f.push(1);
    pdu(kind, f, 9, tlvs)
}

fn p2p_iih(tlvs: &[Vec<u8>]) -> Vec<u8> {
    let mut f = vec![2];
    f.extend_from_slice(&SYS_B);
    f.extend_from_slice(&[0, 9, 0, 0, 7]);
    pdu(17, f, 9, tlvs)
}

fn lsp(kind: u8, sum: u16, flags: u8, tlvs: &[Vec<u8>]) -> Vec<u8> {
    let mut f = vec![0, 0, 0x04, 0xb0];
    f.extend_from_slice(&SYS_A);
    f.extend_from_slice(&[0, 0, 0, 0, 0, 7]);
    f.extend_from_slice(&sum.to_be_bytes());
    f.push(flags);
    pdu(kind, f, 0, tlvs)
}

fn lsp_entry(seq: u32) -> Vec<u8> {
    let mut e = vec![0x04, 0xaf];
    e.extend_from_slice(&SYS_B);
    e.extend_from_slice(&[0, 0]);
    e.extend_from_slice(&seq.to_be_bytes());
    e.extend_from_slice(&[0x12, 0x34]);
    e
}

fn node(sys: [u8; 6], pseudo: u8) -> Vec<u8> {
    [&sys[..], &[pseudo]].concat()
}

/// The hand-built PDUs, each as its frame.
pub fn frames() -> Vec<Vec<u8>> {
    let area = tlv(1, &[3, 0x49, 0, 1, 5, 0x49, 0, 2, 0xab, 0xcd]);
    let protocols = tlv(129, &[0xcc, 0x8e, 0x42]);
    let addrs = tlv(132, &[10, 9, 0, 1, 192, 0, 2, 1]);
    let v6addr = tlv(232, &[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    let neighbors = tlv(6, &[2, 0, 0, 0, 0, 5, 2, 0, 0, 0, 0, 6]);
    let mut ext_is = node(SYS_B, 1);
    ext_is.extend_from_slice(&[0, 0, 10, 30]);
    ext_is.extend_from_slice(&[6, 4, 10, 9, 0, 1, 8, 4, 10, 9, 0, 2]);
    ext_is.extend_from_slice(&[9, 4, 0x4c, 0xee, 0x6b, 0x28, 3, 4, 0, 0, 0, 0xff]);
    ext_is.extend_from_slice(&[18, 3, 0, 0, 20, 19, 2, 0, 3]);
    ext_is.extend_from_slice(&node(SYS_A, 0));
    ext_is.extend_from_slice(&[0, 0, 5, 0]);
    let mut old_is = vec![0];
    old_is.extend_from_slice(&[10, 0x80, 0x80, 0x80]);
    old_is.extend_from_slice(&node(SYS_B, 1));
    old_is.extend_from_slice(&[0x4a, 0x05, 0x80, 0x06]);
    old_is.extend_from_slice(&node(SYS_A, 0));
    let ip_reach = [
        &[10, 0x80, 0x80, 0x80, 10, 9, 0, 0, 255, 255, 255, 0][..],
        &[0xca, 3, 0x80, 0x80, 172, 16, 0, 0, 255, 0, 255, 0],
    ]
    .concat();
    let extd_ip = [
        &[0, 0, 0, 10, 24, 10, 9, 0][..],
        &[
            0,
            0,
            0,
            20,
            0x80 | 0x40 | 32,
            192,
            0,
            2,
            1,
            12,
            1,
            4,
            0,
            0,
            0,
            7,
            2,
            6,
            1,
            2,
            3,
            4,
            5,
            6,
        ],
        &[0, 0, 0, 30, 0],
    ]
    .concat();
    let ip6_reach = [
        &[0, 0, 0, 10, 0, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0][..],
        &[0, 0, 0, 1, 0xe0, 48, 0x20, 0x01, 0x0d, 0xb8, 0, 7, 2, 1, 0],
    ]
    .concat();
    let mut mt_ip6 = vec![0x80, 2];
    mt_ip6.extend_from_slice(&[0, 0, 0, 10, 0, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0]);
    let mut mt_is = vec![0x40, 2];
    mt_is.extend_from_slice(&node(SYS_B, 0));
    mt_is.extend_from_slice(&[0, 0, 10, 0]);
    let srlg = [
        &node(SYS_B, 1)[..],
        &[1, 10, 0, 0, 1, 10, 0, 0, 2, 0, 0, 0, 9],
    ]
    .concat();
    let lsp_tlvs = vec![
        area.clone(),
        tlv(137, b"router-a"),
        tlv(137, b"with\x01ctl\0nul"),
        protocols.clone(),
        addrs.clone(),
        tlv(134, &[192, 0, 2, 1]),
        tlv(22, &ext_is),
        tlv(2, &old_is),
        tlv(128, &ip_reach),
        tlv(130, &ip_reach[..12]),
        tlv(135, &extd_ip),
        tlv(236, &ip6_reach),
        tlv(237, &mt_ip6),
        tlv(222, &mt_is),
        tlv(229, &[0, 0, 0x80, 2, 0x40, 3, 0x0f, 0xff, 0x00, 9]),
        tlv(232, &v6addr[2..]),
        tlv(138, &srlg),
        tlv(242, &[192, 0, 2, 1, 3]),
        tlv(242, &[192, 0, 2, 1, 0, 9, 2, 0xab, 0xcd]),
        tlv(242, &[1, 2]),
        tlv(14, &[5, 0xdc]),
        tlv(131, &[2, 0xfd, 0xe8]),
        tlv(131, &[1, 1, 2, 3]),
        tlv(5, &[10, 0x80, 0x80, 0x80, 6, 0x49, 0, 1, 1]),
        tlv(4, &SYS_B),
        tlv(3, &[10, 0x80, 0x80, 0x80, 2, 0, 0, 0, 0, 1]),
        tlv(10, b"\x01secret"),
        tlv(
            10,
            &[54, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
        ),
        tlv(10, &[3, 0, 7, 0xaa, 0xbb]),
        tlv(10, &[9, 1, 2]),
        tlv(12, &[0, 0]),
        tlv(12, &[0x12, 0x34]),
        tlv(
            13,
            &[
                2, 0x19, 0x21, 0x68, 0, 0x10, 0x01, 0x19, 0x21, 0x68, 0, 0x10, 0x02,
            ],
        ),
        tlv(13, &[0]),
        tlv(211, &[3, 0, 30, 0x19, 0x21, 0x68, 0, 0x10, 0x02]),
        tlv(211, &[4]),
        tlv(241, &[0, 0, 1, 0]),
        tlv(233, &[0xde, 0xad]),
        tlv(42, &[1, 2, 3]),
        tlv(8, &[0; 5]),
        tlv(250, &[0, 0, 9, 1, 2]),
    ];
    let mut pdus = vec![
        lan_iih(
            15,
            &[
                area.clone(),
                protocols.clone(),
                addrs.clone(),
                neighbors.clone(),
                v6addr.clone(),
                tlv(8, &[0; 20]),
            ],
        ),
        lan_iih(16, &[area.clone(), tlv(211, &[0]), tlv(240, &[0])]),
        p2p_iih(&[
            area.clone(),
            protocols.clone(),
            tlv(
                240,
                &[0, 0, 0, 0, 9, 0x19, 0x21, 0x68, 0, 0x10, 0x01, 0, 0, 0, 7],
            ),
            tlv(240, &[2]),
            tlv(7, &[2, 1, 2, 3, 4]),
            addrs.clone(),
        ]),
        lsp(18, 0, 0x03, &lsp_tlvs),
        lsp(
            20,
            0xabcd,
            0xff,
            &[area.clone(), tlv(9, &[lsp_entry(5), lsp_entry(6)].concat())],
        ),
        lsp(20, 0x1234, 0x01, &[tlv(2, &[2, 1, 2]), tlv(22, &[1, 2, 3])]),
        pdu(
            24,
            [vec![0, 0], node(SYS_A, 0), vec![0; 8], vec![0xff; 8]].concat(),
            0,
            &[tlv(9, &[lsp_entry(1), lsp_entry(2)].concat())],
        ),
        pdu(
            27,
            [vec![0, 0], node(SYS_B, 0)].concat(),
            0,
            &[tlv(9, &lsp_entry(3)), tlv(9, &[0; 3])],
        ),
        pdu(
            26,
            [vec![0, 0], node(SYS_B, 0)].concat(),
            0,
            &[tlv(128, &[1, 2, 3])],
        ),
    ];
    // Header errors: version, system id length, PDU version, fixed
    // length, areas, unknown type, bogus fixed lengths.
    let base = lan_iih(15, std::slice::from_ref(&area));
    for (at, value) in [
        (2, 2),
        (3, 4),
        (5, 3),
        (1, 200),
        (1, 4),
        (7, 255),
        (7, 2),
        (4, 9),
        (1, 20),
    ] {
        let mut m = base.clone();
        m[at] = value;
        pdus.push(m);
    }
    let mut bogus_psnp = pdus[7].clone();
    bogus_psnp[1] = 20;
    pdus.push(bogus_psnp);
    let mut bogus_lsp = pdus[4].clone();
    bogus_lsp[1] = 20;
    pdus.push(bogus_lsp);
    // The PDU length field shorter than the headers.
    let mut short = pdus[4].clone();
    short[8] = 0;
    short[9] = 10;
    pdus.push(short);
    // The LSP without its extended reachability TLVs, whose sub-TLV
    // lengths stop tcpdump's PDU early: the TLVs after them are printed
    // (and cut) too.
    let rest: Vec<Vec<u8>> = lsp_tlvs
        .into_iter()
        .filter(|t| !matches!(t[0], 22 | 135))
        .collect();
    pdus.push(lsp(18, 0, 0x03, &rest));
    pdus.extend(sub_tlv_lsps());
    let mut f: Vec<Vec<u8>> = pdus.iter().map(|p| frame(p)).collect();
    // An unknown NLPID and the null NLPID.
    f.push(frame(&[0x99, 1, 2, 3]));
    f.push(frame(&[0x00]));
    f
}

/// LSPs of the sub-TLVs tcpdump decodes beyond RFC 5305's: an extended
/// IP reachability sub-TLV longer than the space left (tcpdump reads on
/// past the entry), prefix SIDs, LAN adjacency SIDs, SR-Capabilities
/// and the SPB TLVs 143 and 144, each also too short for its fields.
fn sub_tlv_lsps() -> Vec<Vec<u8>> {
    let prefix = |sub: &[u8]| {
        [
            &[0, 0, 0, 20, 0x40 | 24, 10, 1, 2, sub.len() as u8][..],
            sub,
        ]
        .concat()
    };
    let prefix6 = |sub: &[u8]| {
        [
            &[0, 0, 0, 10, 0x20, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0][..],
            &[sub.len() as u8],
            sub,
        ]
        .concat()
    };
    let overrun = [&[1, 4, 0, 0, 0, 7][..], &[2, 6, 1, 2, 3, 4, 5, 6]].concat();
    let short = |mut e: Vec<u8>| {
        e[8] -= 2;
        e
    };
    let after = [0, 0, 0, 30, 24, 10, 9, 9];
    let ext_is = |subs: &[u8]| {
        let mut e = node(SYS_B, 1);
        e.extend_from_slice(&[0, 0, 10, subs.len() as u8]);
        e.extend_from_slice(subs);
        tlv(22, &e)
    };
    // The last LAN adjacency SID is too short for its label: tcpdump
    // reads it from the sub-TLV after.
    let lan_adj = [
        &[32, 11, 0x30, 5][..],
        &SYS_A,
        &[0, 0, 16],
        &[32, 12, 0x00, 1],
        &SYS_B,
        &[0, 1, 0, 0],
        &[32, 12, 0x20, 2],
        &SYS_B,
        &[0, 0, 0, 9],
        &[32, 9, 0x30, 0],
        &SYS_A,
        &[7],
        &[31, 5, 0x30, 0, 0, 0, 16],
    ]
    .concat();
    let bw = [0x4c, 0xee, 0x6b, 0x28].repeat(8);
    let iscd = [
        &[21, 42, 1, 1, 0, 0][..],
        &bw,
        &[0x4b, 0x3e, 0xbc, 0x20, 0x05, 0xdc],
        &[21, 44, 100, 5, 0, 0],
        &bw,
        &[0x4b, 0x3e, 0xbc, 0x20, 1, 0, 0, 0],
        &[21, 38, 150, 8, 0, 0],
        &bw,
        &[0xaa, 0xbb],
        &[21, 40, 2, 99, 0, 0],
        &bw,
        &[1, 2, 3, 4],
    ]
    .concat();
    let sr_cap = |sub: &[u8]| tlv(242, &[&[192, 0, 2, 1, 0][..], sub].concat());
    let mcid = |name: &[u8], lvl: u8, from: u8| {
        let mut m = vec![0];
        m.extend_from_slice(name);
        m.resize(33, 0);
        m.extend_from_slice(&[0, lvl]);
        m.extend((from..from + 16).collect::<Vec<u8>>());
        m
    };
    let port_cap = [
        &[0x10, 1, 4, 102][..],
        &mcid(b"region", 1, 0),
        &mcid(b"aux", 2, 16),
        &[5, 33, 0x1b],
        &(0..32).collect::<Vec<u8>>(),
        &[6, 12, 0, 0, 0, 1, 0x12, 0x38, 0, 0x80, 0xc2, 2, 0x0f, 0xff],
        &[9, 2, 0xab, 0xcd],
    ]
    .concat();
    let instance = [
        &[1, 19 + 16][..],
        &(0..8).collect::<Vec<u8>>(),
        &[0, 0, 0, 5, 0x80, 0, 0, 0x3f, 0xff, 0xff, 2],
        &[0xe0, 0, 0x80, 0xc2, 1, 0x00, 0x10, 0x20],
        &[0x1f, 0, 0x80, 0xc2, 2, 0xff, 0xf0, 0x01],
    ]
    .concat();
    let spbm = [
        &[3, 16][..],
        &[0, 1, 2, 3, 4, 5, 0x10, 0x05],
        &[0x80, 0, 0, 9, 0x7f, 0xff, 0xff, 0xff],
    ]
    .concat();
    vec![
        lsp(
            18,
            0,
            3,
            &[
                tlv(135, &[prefix(&overrun), after.to_vec()].concat()),
                tlv(137, b"after"),
            ],
        ),
        // The sub-TLVs' length 2 short of the second: tcpdump reads on
        // into the next entry and TLV, to a sub-TLV not captured whole, or
        // to the capture's end between two.
        lsp(
            18,
            0,
            3,
            &[
                tlv(135, &[short(prefix(&overrun)), after.to_vec()].concat()),
                tlv(137, b"after"),
            ],
        ),
        lsp(
            18,
            0,
            3,
            &[
                tlv(
                    135,
                    &[short(prefix(&overrun)), vec![1, 2, 0xaa, 0xbb]].concat(),
                ),
                tlv(137, b"after"),
            ],
        ),
        lsp(
            18,
            0,
            3,
            &[tlv(236, &prefix6(&[1, 8, 0, 0, 0, 1])), tlv(137, b"six")],
        ),
        lsp(
            18,
            0,
            3,
            &[
                tlv(
                    135,
                    &prefix(&[3, 6, 0x40, 0, 0, 0, 0, 5, 3, 5, 0x0c, 1, 0, 0, 9]),
                ),
                tlv(135, &prefix(&[3, 5, 0xe3, 7, 0, 0, 1, 1, 4, 0, 0, 0, 3])),
                tlv(236, &prefix6(&[3, 6, 0x80, 0, 0, 0, 0, 7])),
                tlv(135, &prefix(&[3, 4, 0x30, 0, 0, 0])),
            ],
        ),
        lsp(
            18,
            0,
            3,
            &[ext_is(&lan_adj), ext_is(&iscd), tlv(137, b"adj")],
        ),
        lsp(
            18,
            0,
            3,
            &[
                sr_cap(&[2, 9, 0xc0, 0, 0, 100, 1, 3, 0, 0, 16]),
                sr_cap(&[2, 10, 0x40, 0, 1, 0, 1, 4, 0, 1, 0, 0, 19, 1, 0]),
                sr_cap(&[2, 9, 0x80, 0, 0, 8, 1, 3, 0, 0, 16, 2, 0]),
                sr_cap(&[2, 12, 0, 0, 0, 1, 7, 2, 0xab, 0xcd, 1, 2, 0, 0]),
                sr_cap(&[2, 3, 0, 0, 1, 1, 5, 0, 0, 0, 0, 3]),
                sr_cap(&[2, 0]),
            ],
        ),
        lsp(
            18,
            0,
            3,
            &[
                tlv(143, &port_cap),
                tlv(143, &[0, 1, 4, 20]),
                tlv(
                    143,
                    &[&[0, 1, 4, 20][..], &[0; 20], &[5, 4, 0, 0, 0, 0]].concat(),
                ),
                tlv(143, &[0, 1, 6, 5, 0, 0, 0, 1, 0, 6, 3, 0, 0, 0]),
                tlv(143, &[0, 1]),
                tlv(144, &[&[0x80, 2][..], &instance, &spbm].concat()),
                tlv(144, &[&[0, 2][..], &[1, 19], &instance[2..21]].concat()),
                tlv(144, &[0, 2, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
                tlv(144, &[0, 2, 3, 4, 0, 0, 0, 0, 3, 9, 0]),
                tlv(137, b"spb"),
            ],
        ),
    ]
}

/// Each frame cut at every length after the LLC header: where tcpdump
/// stops inside a TLV by its own check or by its `longjmp` is the TLV
/// printer's (the temporary capture of the every-length test).
pub fn every_cut() -> Vec<u8> {
    let cuts: Vec<Frame> = frames()
        .into_iter()
        .flat_map(|f| {
            (HEADERS..f.len()).map(move |keep| Frame {
                bytes: f.clone(),
                snap: Some(keep),
            })
        })
        .collect();
    write_frames(&cuts)
}

/// The capture: the frames, cuts, and `damaged` damaged copies.
pub fn capture(damaged: usize) -> Vec<u8> {
    cut_often(
        frames(),
        HEADERS,
        damaged,
        0x1515_0bad_0000_0001,
        (HEADERS, 3),
    )
}
