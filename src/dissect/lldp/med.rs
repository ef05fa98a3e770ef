//! LLDP's other organisation TLVs as `tcpdump -v` prints them:
//! ANSI/TIA-1057 LLDP-MED (OUI 00-12-bb: capabilities, network policy,
//! location, extended power, inventory), DCBX 1.01 (OUI 00-1b-21: its
//! own TLVs inside) and IANA's MUD URL (OUI 00-00-5e). As in
//! [`super::ieee`], each printer gets the whole TLV value and says
//! whether tcpdump also dumps it in hex.

use super::super::ctl::{Bit, out, put_bits, put_text_nul, tok};
use super::super::dns::text::{put_char, put_hex_dump};
use super::super::wire::{Res, u8_at, u16_at, u24_at, u32_at};

const TIA_SUBTYPES: &[(u8, &str)] = &[
    (1, "LLDP-MED Capabilities"),
    (2, "Network policy"),
    (3, "Location identification"),
    (4, "Extended power-via-MDI"),
    (5, "Inventory - hardware revision"),
    (6, "Inventory - firmware revision"),
    (7, "Inventory - software revision"),
    (8, "Inventory - serial number"),
    (9, "Inventory - manufacturer name"),
    (10, "Inventory - model name"),
    (11, "Inventory - asset ID"),
];

const INVENTORY: &[(u8, &str)] = &[
    (5, "Hardware revision"),
    (6, "Firmware revision"),
    (7, "Software revision"),
    (8, "Serial number"),
    (9, "Manufacturer name"),
    (10, "Model name"),
    (11, "Asset ID"),
];

const MED_CAPS: &[Bit] = &[
    (1 << 0, "LLDP-MED capabilities"),
    (1 << 1, "network policy"),
    (1 << 2, "location identification"),
    (1 << 3, "extended power via MDI-PSE"),
    (1 << 4, "extended power via MDI-PD"),
    (1 << 5, "Inventory"),
];

const DEVICE_TYPES: &[(u8, &str)] = &[
    (1, "endpoint class 1"),
    (2, "endpoint class 2"),
    (3, "endpoint class 3"),
    (4, "network connectivity"),
];

const APPLICATIONS: &[(u8, &str)] = &[
    (1, "voice"),
    (2, "voice signaling"),
    (3, "guest voice"),
    (4, "guest voice signaling"),
    (5, "softphone voice"),
    (6, "video conferencing"),
    (7, "streaming video"),
    (8, "video signaling"),
];

const POLICY_FLAGS: &[Bit] = &[(0x80, "Unknown"), (0x40, "Tagged"), (0x20, "reserved")];

const LOCATION_FORMATS: &[(u8, &str)] = &[
    (1, "coordinate-based LCI"),
    (2, "civic address LCI"),
    (3, "ECS ELIN"),
];

const ALTITUDE_TYPES: &[(u8, &str)] = &[(1, "meters"), (2, "floors")];

const DATUMS: &[(u8, &str)] = &[
    (1, "World Geodesic System 1984"),
    (2, "North American Datum 1983 (NAVD88)"),
    (3, "North American Datum 1983 (MLLW)"),
];

const LCI_WHAT: &[(u8, &str)] = &[
    (0, "location of DHCP server"),
    (
        1,
        "location of the network element believed to be closest to the client",
    ),
    (2, "location of the client"),
];

const CA_TYPES: &[(u8, &str)] = &[
    (
        1,
        "national subdivisions (state,canton,region,province,prefecture)",
    ),
    (2, "county, parish, gun, district"),
    (3, "city, township, shi"),
    (4, "city division, borough, city district, ward chou"),
    (5, "neighborhood, block"),
    (6, "street"),
];

const POWER_SOURCES: &[(u8, &str)] = &[
    (1, "PSE - primary power source"),
    (2, "local - backup power source"),
    (3, "PSE+local - reserved"),
];

const POWER_PRIORITIES: &[(u8, &str)] = &[(1, "critical"), (2, "high"), (3, "low")];

/// LLDP-MED.
pub(super) fn tia(w: &mut Vec<u8>, t: &[u8]) -> Res<bool> {
    let len = t.len();
    if len < 4 {
        return Ok(false);
    }
    let subtype = u8_at(t, 3)?;
    let name = tok(TIA_SUBTYPES, subtype).unwrap_or("unknown");
    out!(w, "\n\t  {name} Subtype ({subtype})");
    match subtype {
        1 if len >= 7 => {
            let caps = u16_at(t, 4)?;
            w.extend_from_slice(b"\n\t    Media capabilities [");
            put_bits(w, MED_CAPS, u32::from(caps), "none");
            let kind = u8_at(t, 6)?;
            let name = tok(DEVICE_TYPES, kind).unwrap_or("unknown");
            out!(
                w,
                "] (0x{caps:04x})\n\t    Device type [{name}] (0x{kind:02x})"
            );
        }
        2 if len >= 8 => {
            let app = u8_at(t, 4)?;
            let name = tok(APPLICATIONS, app).unwrap_or("none");
            out!(
                w,
                "\n\t    Application type [{name}] (0x{app:02x}), Flags ["
            );
            put_bits(w, POLICY_FLAGS, u32::from(u8_at(t, 5)?), "none");
            let (vlan, prio) = (u16_at(t, 5)?, u16_at(t, 6)?);
            out!(
                w,
                "]\n\t    Vlan id {}, L2 priority {}, DSCP value {}",
                (vlan & 0x1ffe) >> 1,
                (prio & 0x01ff) >> 6,
                prio & 0x3f
            );
        }
        3 if len >= 5 => return location(w, t),
        4 if len >= 7 => {
            let b = u8_at(t, 4)?;
            // tcpdump tests `b & 0xC0 >> 6`, which C reads as `b & 3`.
            let kind = if b & 3 != 0 {
                "PD device"
            } else {
                "PSE device"
            };
            let source = tok(POWER_SOURCES, (b & 0x30) >> 4).unwrap_or("none");
            let prio = b & 0x0f;
            let prio_name = tok(POWER_PRIORITIES, prio).unwrap_or("none");
            out!(
                w,
                "\n\t    Power type [{kind}], Power source [{source}]\n\t    Power priority [{prio_name}] (0x{prio:02x})"
            );
            let power = u16_at(t, 5)?;
            if power < 1024 {
                out!(w, ", Power {:.1} Watts", f32::from(power) / 10.0);
            } else {
                out!(w, ", Power {power} (Reserved)");
            }
        }
        5..=11 => {
            let name = tok(INVENTORY, subtype).unwrap_or("unknown");
            out!(w, "\n\t  {name} ");
            put_text_nul(w, t, 4, len - 4)?;
        }
        1..=4 => {}
        _ => return Ok(true),
    }
    Ok(false)
}

/// Location identification: coordinates, a civic address or an ELIN.
fn location(w: &mut Vec<u8>, t: &[u8]) -> Res<bool> {
    let len = t.len();
    let format = u8_at(t, 4)?;
    let name = tok(LOCATION_FORMATS, format).unwrap_or("unknown");
    out!(w, "\n\t    Location data format {name} (0x{format:02x})");
    match format {
        1 => {
            if len < 21 {
                return Ok(false);
            }
            // 34-bit coordinates: two bits, then four bytes.
            let coord = |at: usize| -> Res<u64> {
                Ok(u64::from(u8_at(t, at)? & 3) << 32 | u64::from(u32_at(t, at + 1)?))
            };
            out!(
                w,
                "\n\t    Latitude resolution {}, latitude value {}",
                u8_at(t, 5)? >> 2,
                coord(5)?
            );
            out!(
                w,
                "\n\t    Longitude resolution {}, longitude value {}",
                u8_at(t, 10)? >> 2,
                coord(10)?
            );
            let alt = u8_at(t, 15)? >> 4;
            let name = tok(ALTITUDE_TYPES, alt).unwrap_or("unknown");
            out!(w, "\n\t    Altitude type {name} ({alt})");
            out!(
                w,
                "\n\t    Altitude resolution {}, altitude value 0x{:x}",
                (u16_at(t, 15)? >> 6) & 0x3f,
                u32_at(t, 16)? & 0x3fff_ffff
            );
            let datum = u8_at(t, 20)?;
            let name = tok(DATUMS, datum).unwrap_or("unknown");
            out!(w, "\n\t    Datum {name} (0x{datum:02x})");
        }
        2 => return civic(w, t),
        3 => {
            w.extend_from_slice(b"\n\t    ECS ELIN id ");
            put_text_nul(w, t, 5, len - 5)?;
        }
        _ => {
            w.extend_from_slice(b"\n\t    Location ID ");
            put_hex_dump(w, t.get(5..).unwrap_or(&[]), b"\n\t      ");
        }
    }
    Ok(false)
}

/// A civic address: the country, then (type, length, text) elements.
fn civic(w: &mut Vec<u8>, t: &[u8]) -> Res<bool> {
    if t.len() < 6 {
        return Ok(false);
    }
    let lci_len = usize::from(u8_at(t, 5)?);
    if lci_len < 3 || t.len() < 7 + lci_len {
        return Ok(false);
    }
    let what = u8_at(t, 6)?;
    let name = tok(LCI_WHAT, what).unwrap_or("unknown");
    out!(
        w,
        "\n\t    LCI length {lci_len}, LCI what {name} (0x{what:02x}), Country-code "
    );
    put_text_nul(w, t, 7, 2)?;
    let (mut left, mut at) = (lci_len - 3, 9);
    while left > 0 {
        if left < 2 {
            return Ok(false);
        }
        let (kind, n) = (u8_at(t, at)?, usize::from(u8_at(t, at + 1)?));
        at += 2;
        left -= 2;
        let name = tok(CA_TYPES, kind).unwrap_or("unknown");
        out!(w, "\n\t      CA type '{name}' ({kind}), length {n}: ");
        if kind == 0 || n == 0 || left < n {
            return Ok(false);
        }
        put_text_nul(w, t, at, n)?;
        at += n;
        left -= n;
    }
    Ok(false)
}

const DCBX_SUBTYPES: &[(u8, &str)] = &[
    (1, "DCB Capability Exchange Protocol Rev 1"),
    (2, "DCB Capability Exchange Protocol Rev 1.01"),
];

/// DCBX: rev 1 is dumped whole; rev 1.01 carries its own TLVs, each
/// printed (or dumped) in turn, the last one's verdict standing.
pub(super) fn dcbx(w: &mut Vec<u8>, t: &[u8], v: u8) -> Res<bool> {
    if t.len() < 4 {
        return Ok(false);
    }
    let subtype = u8_at(t, 3)?;
    let name = tok(DCBX_SUBTYPES, subtype).unwrap_or("unknown");
    out!(w, "\n\t  {name} Subtype ({subtype})");
    if subtype == 1 {
        return Ok(true);
    }
    let mut at = 4;
    let mut hexdump = false;
    while t.len() - at >= 2 {
        let tlv = u16_at(t, at)?;
        let (kind, n) = (tlv >> 9, usize::from(tlv & 0x01ff));
        at += 2;
        hexdump = false;
        if kind == 0 || n == 0 {
            break;
        }
        let Some(f) = t.get(at..at + n) else {
            return Ok(false);
        };
        let min = match kind {
            1 => 10,
            2 => 17,
            3 => 6,
            4 => 4,
            _ => 0,
        };
        if f.len() < min {
            return Ok(false);
        }
        match kind {
            1 => out!(
                w,
                "\n\t    Control - Protocol Control (type 0x1, length {n})\n\t      Oper_Version: {}\n\t      Max_Version: {}\n\t      Sequence Number: {}\n\t      Acknowledgement Number: {}",
                u8_at(f, 0)?,
                u8_at(f, 1)?,
                u32_at(f, 2)?,
                u32_at(f, 6)?
            ),
            2 => {
                out!(w, "\n\t    Feature - Priority Group (type 0x2, length {n})");
                feature_head(w, f)?;
                w.extend_from_slice(b"\n\t      Priority Allocation");
                let groups = u32_at(f, 4)?;
                for i in 0..8 {
                    out!(
                        w,
                        "\n\t          PgId_{i}: {}",
                        (groups >> (28 - 4 * i)) & 0xf
                    );
                }
                w.extend_from_slice(b"\n\t      Priority Group Allocation");
                for i in 0..8 {
                    out!(w, "\n\t          Pg percentage[{i}]: {}", u8_at(f, 8 + i)?);
                }
                out!(w, "\n\t      NumTCsSupported: {}", u8_at(f, 16)?);
            }
            3 => {
                out!(
                    w,
                    "\n\t    Feature - Priority Flow Control (type 0x3, length {n})"
                );
                feature_head(w, f)?;
                let pfc = u8_at(f, 4)?;
                out!(w, "\n\t      PFC Config (0x{pfc:02X})");
                for i in 0..8 {
                    let on = if pfc & (1 << i) != 0 {
                        "Enabled"
                    } else {
                        "Disabled"
                    };
                    out!(w, "\n\t          Priority Bit {i}: {on}");
                }
                out!(w, "\n\t      NumTCPFCSupported: {}", u8_at(f, 5)?);
            }
            4 => {
                out!(w, "\n\t    Feature - Application (type 0x4, length {n})");
                feature_head(w, f)?;
                let mut left = n - 4;
                let mut a = 4;
                while left >= 6 {
                    let u = u24_at(f, a + 2)?;
                    let is = if u >> 22 != 0 {
                        "Socket Number"
                    } else {
                        "L2 EtherType"
                    };
                    out!(
                        w,
                        "\n\t      Application Value\n\t          Application Protocol ID: 0x{:04x}\n\t          SF (0x{:x}) Application Protocol ID is {is}\n\t          OUI: 0x{:06x}\n\t          User Priority Map: 0x{:02x}",
                        u16_at(f, a)?,
                        u >> 22,
                        u & 0x3f_ffff,
                        u8_at(f, a + 5)?
                    );
                    left -= 6;
                    a += 6;
                }
            }
            _ => hexdump = true,
        }
        if v > 1 || hexdump {
            put_hex_dump(w, f, b"\n\t    ");
        }
        at += n;
    }
    Ok(hexdump)
}

/// The four bytes every DCBX feature TLV starts with.
fn feature_head(w: &mut Vec<u8>, f: &[u8]) -> Res<()> {
    let info = u8_at(f, 2)?;
    out!(
        w,
        "\n\t      Oper_Version: {}\n\t      Max_Version: {}\n\t      Info block(0x{info:02X}): Enable bit: {}, Willing bit: {}, Error Bit: {}\n\t      SubType: {}",
        u8_at(f, 0)?,
        u8_at(f, 1)?,
        info >> 7,
        (info >> 6) & 1,
        (info >> 5) & 1,
        u8_at(f, 3)?
    );
    Ok(())
}

/// IANA's MUD URL (RFC 8520), printed byte for byte.
pub(super) fn iana(w: &mut Vec<u8>, t: &[u8]) -> Res<bool> {
    if t.len() < 8 {
        return Ok(false);
    }
    let subtype = u8_at(t, 3)?;
    if subtype != 1 {
        out!(w, "\n\t  unknown Subtype ({subtype})");
        return Ok(true);
    }
    w.extend_from_slice(b"\n\t  MUD-URL Subtype (1)\n\t  MUD-URL=");
    for &c in t.get(4..).unwrap_or(&[]) {
        put_char(w, c);
    }
    Ok(false)
}
