//! LLDP's IEEE organisation TLVs as `tcpdump -v` prints them: 802.1
//! (OUI 00-80-c2: port VLAN, protocol VLAN, VLAN name, protocol identity,
//! and the data-centre bridging set: congestion notification, ETS, PFC,
//! application priority, EVB, CDCP) and 802.3 (OUI 00-12-0f: MAC/PHY,
//! power via MDI, link aggregation, maximum frame size). Each printer
//! gets the whole TLV value (OUI and subtype first) and says whether
//! tcpdump also dumps it in hex: a subtype it does not know is dumped, a
//! known one too short for its fields is not.

use super::super::ctl::{Bit, out, put_bits, put_text_nul, tok};
use super::super::wire::{Res, u8_at, u16_at, u24_at, u32_at};

const IEEE_8021_SUBTYPES: &[(u8, &str)] = &[
    (1, "Port VLAN Id"),
    (2, "Port and Protocol VLAN ID"),
    (3, "VLAN name"),
    (4, "Protocol Identity"),
    (7, "Link aggregation"),
    (8, "Congestion Notification"),
    (9, "ETS Configuration"),
    (10, "ETS Recommendation"),
    (11, "Priority Flow Control Configuration"),
    (12, "Application Priority"),
    (13, "EVB"),
    (14, "CDCP"),
];

const EVB_MODES: &[(u8, &str)] = &[
    (0, "Not Supported"),
    (1, "EVB Bridge"),
    (2, "EVB Station"),
    (3, "Reserved for future Standardization"),
];

/// The "supported" / "enabled" pair of bits, at 1 and 2 (protocol VLAN)
/// or 0 and 1 (autonegotiation, aggregation).
const PPVID_FLAGS: &[Bit] = &[(2, "supported"), (4, "enabled")];
const SUPPORTED_ENABLED: &[Bit] = &[(1, "supported"), (2, "enabled")];

/// IEEE 802.1's organisation TLVs.
pub(super) fn ieee_8021(w: &mut Vec<u8>, t: &[u8]) -> Res<bool> {
    let len = t.len();
    if len < 4 {
        return Ok(false);
    }
    let subtype = u8_at(t, 3)?;
    let name = tok(IEEE_8021_SUBTYPES, subtype).unwrap_or("unknown");
    out!(w, "\n\t  {name} Subtype ({subtype})");
    match subtype {
        1 if len >= 6 => out!(w, "\n\t    port vlan id (PVID): {}", u16_at(t, 4)?),
        2 if len >= 7 => {
            let flags = u8_at(t, 4)?;
            out!(
                w,
                "\n\t    port and protocol vlan id (PPVID): {}, flags [",
                u16_at(t, 5)?
            );
            put_bits(w, PPVID_FLAGS, u32::from(flags), "none");
            out!(w, "] (0x{flags:02x})");
        }
        3 if len >= 6 => {
            out!(w, "\n\t    vlan id (VID): {}", u16_at(t, 4)?);
            let Ok(n) = u8_at(t, 6) else {
                return Ok(false);
            };
            let n = usize::from(n);
            if len >= 7 + n {
                w.extend_from_slice(b"\n\t    vlan name: ");
                put_text_nul(w, t, 7, n)?;
            }
        }
        4 if len >= 5 => {
            let n = usize::from(u8_at(t, 4)?);
            if len >= 5 + n {
                w.extend_from_slice(b"\n\t    protocol identity: ");
                put_text_nul(w, t, 5, n)?;
            }
        }
        7 if len >= 9 => aggregation(w, t)?,
        8 if len >= 6 => {
            w.extend_from_slice(b"\n\t    Pre-Priority CNPV Indicator");
            put_priority_bits(w, u8_at(t, 4)?);
            w.extend_from_slice(b"\n\t    Pre-Priority Ready Indicator");
            put_priority_bits(w, u8_at(t, 5)?);
        }
        9 if len >= 25 => {
            let b = u8_at(t, 4)?;
            // tcpdump shifts CBS by 6 and masks with 2: 0 or 2.
            out!(
                w,
                "\n\t    Willing:{}, CBS:{}, RES:{}, Max TCs:{}",
                b >> 7,
                (b >> 6) & 2,
                (b >> 3) & 7,
                b & 7
            );
            ets_tables(w, t)?;
        }
        10 if len >= 25 => {
            out!(w, "\n\t    RES: {}", u8_at(t, 4)?);
            ets_tables(w, t)?;
        }
        11 if len >= 6 => {
            let b = u8_at(t, 4)?;
            out!(
                w,
                "\n\t    Willing: {}, MBC: {}, RES: {}, PFC cap:{} \n\t    PFC Enable",
                b >> 7,
                (b >> 6) & 1,
                (b >> 4) & 3,
                b & 0x0f
            );
            put_priority_bits(w, u8_at(t, 5)?);
        }
        12 if len >= 5 => {
            out!(w, "\n\t    RES: {}", u8_at(t, 4)?);
            let table = len - 5;
            if table == 0 || !table.is_multiple_of(3) {
                return Ok(false);
            }
            w.extend_from_slice(b"\n\t    Application Priority Table");
            for at in (5..len).step_by(3) {
                let b = u8_at(t, at)?;
                out!(
                    w,
                    "\n\t      Priority: {}, RES: {}, Sel: {}, Protocol ID: {}",
                    b >> 5,
                    (b >> 3) & 3,
                    b & 7,
                    u16_at(t, at + 1)?
                );
            }
        }
        13 if len >= 9 => evb(w, t)?,
        14 if len >= 8 => {
            let b = u8_at(t, 4)?;
            out!(
                w,
                "\n\t    Role: {}, RES: {}, Scomp: {} ChnCap: {}",
                b >> 7,
                (b >> 4) & 7,
                (b >> 3) & 1,
                u16_at(t, 6)? & 0x0fff
            );
            if !(len - 8).is_multiple_of(3) {
                return Ok(false);
            }
            for at in (8..len).step_by(3) {
                let v = u24_at(t, at)?;
                out!(w, "\n\t    SCID: {}, SVID: {}", v >> 12, v & 0x0fff);
            }
        }
        1..=4 | 7..=14 => {}
        _ => return Ok(true),
    }
    Ok(false)
}

/// Link aggregation (802.1's subtype 7, 802.3's older subtype 3).
fn aggregation(w: &mut Vec<u8>, t: &[u8]) -> Res<()> {
    w.extend_from_slice(b"\n\t    aggregation status [");
    put_bits(w, SUPPORTED_ENABLED, u32::from(u8_at(t, 4)?), "none");
    out!(w, "], aggregation port ID {}", u32_at(t, 5)?);
    Ok(())
}

/// One bit per priority, lowest first, each `%-2d ` as tcpdump pads it.
fn put_priority_bits(w: &mut Vec<u8>, b: u8) {
    w.extend_from_slice(b"\n\t     Priority : 0  1  2  3  4  5  6  7\n\t     Value    : ");
    for i in 0..8 {
        out!(w, "{:<2} ", (b >> i) & 1);
    }
}

/// ETS's three tables: priorities (nibbles at 5..9), bandwidth per
/// traffic class (bytes at 9..17) and the selection algorithm per class
/// (bytes at 17..25).
fn ets_tables(w: &mut Vec<u8>, t: &[u8]) -> Res<()> {
    w.extend_from_slice(
        b"\n\t    Priority Assignment Table\n\t     Priority : 0   1   2   3   4   5   6   7\n\t     Value    :",
    );
    for at in 5..9 {
        let b = u8_at(t, at)?;
        out!(w, " {:<3} {:<3}", b >> 4, b & 0x0f);
    }
    w.extend_from_slice(
        b"\n\t    TC Bandwidth Table\n\t     TC%   : 0   1   2   3   4   5   6   7\n\t     Value :",
    );
    for at in 9..17 {
        out!(w, " {:<3}", u8_at(t, at)?);
    }
    w.extend_from_slice(
        b"\n\t    TSA Assignment Table\n\t     Traffic Class: 0   1   2   3   4   5   6   7\n\t     Value        :",
    );
    for at in 17..25 {
        out!(w, " {:<3}", u8_at(t, at)?);
    }
    Ok(())
}

/// EVB: the bridge's and the station's status, then the timers.
fn evb(w: &mut Vec<u8>, t: &[u8]) -> Res<()> {
    let (b, s, r, m, k) = (
        u8_at(t, 4)?,
        u8_at(t, 5)?,
        u8_at(t, 6)?,
        u8_at(t, 7)?,
        u8_at(t, 8)?,
    );
    out!(
        w,
        "\n\t    EVB Bridge Status\n\t      RES: {}, BGID: {}, RRCAP: {}, RRCTR: {}",
        b >> 3,
        (b >> 2) & 1,
        (b >> 1) & 1,
        b & 1
    );
    out!(
        w,
        "\n\t    EVB Station Status\n\t      RES: {}, SGID: {}, RRREQ: {},RRSTAT: {}",
        s >> 4,
        (s >> 3) & 1,
        (s >> 2) & 1,
        s & 3
    );
    let mode = m >> 6;
    out!(
        w,
        "\n\t    R: {}, RTE: {}, EVB Mode: {} [{mode}]",
        r >> 5,
        r & 0x1f,
        tok(EVB_MODES, mode).unwrap_or("unknown")
    );
    out!(
        w,
        "\n\t    ROL: {}, RWD: {}, RES: {}, ROL: {}, RKA: {}",
        (m >> 5) & 1,
        m & 0x1f,
        k >> 6,
        (k >> 5) & 1,
        k & 0x1f
    );
    Ok(())
}

const IEEE_8023_SUBTYPES: &[(u8, &str)] = &[
    (1, "MAC/PHY configuration/status"),
    (2, "Power via MDI"),
    (3, "Link aggregation"),
    (4, "Max frame size"),
];

/// RFC 3636's dot3MauType, as tcpdump words them.
const MAU_TYPES: &[(u16, &str)] = &[
    (0, "Unknown"),
    (1, "AUI"),
    (2, "10BASE_5"),
    (3, "FOIRL"),
    (4, "10BASE2"),
    (5, "10BASET duplex mode unknown"),
    (6, "10BASEFP"),
    (7, "10BASEFB"),
    (8, "10BASEFL duplex mode unknown"),
    (9, "10BROAD36"),
    (10, "10BASET hdx"),
    (11, "10BASET fdx"),
    (12, "10BASEFL hdx"),
    (13, "10BASEFL fdx"),
    (14, "100BASET4"),
    (15, "100BASETX hdx"),
    (16, "100BASETX fdx"),
    (17, "100BASEFX hdx"),
    (18, "100BASEFX fdx"),
    (19, "100BASET2 hdx"),
    (20, "100BASET2 fdx"),
    (21, "1000BASEX hdx"),
    (22, "1000BASEX fdx"),
    (23, "1000BASELX hdx"),
    (24, "1000BASELX fdx"),
    (25, "1000BASESX hdx"),
    (26, "1000BASESX fdx"),
    (27, "1000BASECX hdx"),
    (28, "1000BASECX fdx"),
    (29, "1000BASET hdx"),
    (30, "1000BASET fdx"),
    (31, "10GBASEX"),
    (32, "10GBASELX4"),
    (33, "10GBASER"),
    (34, "10GBASEER"),
    (35, "10GBASELR"),
    (36, "10GBASESR"),
    (37, "10GBASEW"),
    (38, "10GBASEEW"),
    (39, "10GBASELW"),
    (40, "10GBASESW"),
];

/// RFC 3636's ifMauAutoNegCapAdvertisedBits, in tcpdump's order.
const PMD_CAPS: &[Bit] = &[
    (1 << 14, "10BASE-T hdx"),
    (1 << 13, "10BASE-T fdx"),
    (1 << 12, "100BASE-T4"),
    (1 << 11, "100BASE-TX hdx"),
    (1 << 10, "100BASE-TX fdx"),
    (1 << 9, "100BASE-T2 hdx"),
    (1 << 8, "100BASE-T2 fdx"),
    (1 << 7, "Pause for fdx links"),
    (1 << 6, "Asym PAUSE for fdx"),
    (1 << 5, "Sym PAUSE for fdx"),
    (1 << 4, "Asym and Sym PAUSE for fdx"),
    (1 << 3, "1000BASE-{X LX SX CX} hdx"),
    (1 << 2, "1000BASE-{X LX SX CX} fdx"),
    (1 << 1, "1000BASE-T hdx"),
    (1 << 0, "1000BASE-T fdx"),
];

const MDI_BITS: &[Bit] = &[
    (1, "PSE"),
    (2, "supported"),
    (4, "enabled"),
    (8, "can be controlled"),
];

const MDI_PAIRS: &[(u8, &str)] = &[(1, "signal"), (2, "spare")];

const MDI_CLASSES: &[(u8, &str)] = &[
    (1, "class0"),
    (2, "class1"),
    (3, "class2"),
    (4, "class3"),
    (5, "class4"),
];

/// IEEE 802.3's organisation TLVs.
pub(super) fn ieee_8023(w: &mut Vec<u8>, t: &[u8]) -> Res<bool> {
    let len = t.len();
    if len < 4 {
        return Ok(false);
    }
    let subtype = u8_at(t, 3)?;
    let name = tok(IEEE_8023_SUBTYPES, subtype).unwrap_or("unknown");
    out!(w, "\n\t  {name} Subtype ({subtype})");
    match subtype {
        1 if len >= 9 => {
            let auto = u8_at(t, 4)?;
            w.extend_from_slice(b"\n\t    autonegotiation [");
            put_bits(w, SUPPORTED_ENABLED, u32::from(auto), "none");
            let pmd = u16_at(t, 5)?;
            out!(w, "] (0x{auto:02x})\n\t    PMD autoneg capability [");
            put_bits(w, PMD_CAPS, u32::from(pmd), "unknown");
            let mau = u16_at(t, 7)?;
            let name = tok(MAU_TYPES, mau).unwrap_or("unknown");
            out!(w, "] (0x{pmd:04x})\n\t    MAU type {name} (0x{mau:04x})");
        }
        2 if len >= 7 => {
            w.extend_from_slice(b"\n\t    MDI power support [");
            put_bits(w, MDI_BITS, u32::from(u8_at(t, 4)?), "none");
            let pair = tok(MDI_PAIRS, u8_at(t, 5)?).unwrap_or("unknown");
            let class = tok(MDI_CLASSES, u8_at(t, 6)?).unwrap_or("unknown");
            out!(w, "], power pair {pair}, power class {class}");
        }
        3 if len >= 9 => aggregation(w, t)?,
        4 if len >= 6 => out!(w, "\n\t    MTU size {}", u16_at(t, 4)?),
        1..=4 => {}
        _ => return Ok(true),
    }
    Ok(false)
}
