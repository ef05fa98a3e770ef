//! LMP (RFC 4204, UDP 701) as tcpdump 4.99 prints it: `LMPv1 Config
//! Message, length: 44` at the default level; `-v` the header on a line
//! of its own (type, flags, LMP length, ` (too short)`, ` (too long)`)
//! and each object: its class, C-type and negotiable flag, then the
//! fields tcpdump decodes — control channel, node, link, interface and
//! message ids, hello configuration and sequence numbers, verification
//! (begin, ack, id), TE and data links (with the data link's switching
//! type and wavelength subobjects), channel status and its request, error
//! codes, and OIF UNI 1.0's service configuration (its message types
//! 50-52 too); a size the C-type does not allow is ` (not correct for
//! object)`, unknown classes and C-types in hex; `-vv` every object's
//! hex after it.
//!
//! tcpdump's quirks are kept, as its output is the spec: the payload-test
//! bit of a verify transport mechanism is tested with decimal 8000, not
//! 0x8000; an object longer than what the LMP length leaves is printed
//! whole, then ` [remaining objects length 4 < 8] (invalid)`; a
//! switching-type subobject shorter than its bandwidths reads them from
//! what follows it. tcpdump's checks of the header and of each object all
//! `longjmp` (` [|lmp]`, its dump from the frame's first byte). Zeek has no analyzer for it (no `service`).

use super::ctl::{
    Bit, ipv4_at, json_object_with_list, line_is_level_0, out, put_bits, tok, unknown_data,
};
use super::ospf::opaque::{ENCODINGS, SWITCH_CAPS, put_mbps};
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use crate::decode::ip6_text::Ip6;
use serde_json::{Map, Value, json};

pub static LMP: Dissector = Dissector {
    name: "lmp",
    json_key: "lmp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.first().is_some_and(|b| b >> 4 == 1) && m.len() >= HEADER,
};

/// Version, flags, type, LMP length, reserved.
const HEADER: usize = 8;
/// An object's N bit and C-type, class, length.
const OBJ_HEADER: usize = 4;

const TYPES: &[(u8, &str)] = &[
    (1, "Config"),
    (2, "Config ACK"),
    (3, "Config NACK"),
    (4, "Hello"),
    (5, "Begin Verify"),
    (6, "Begin Verify ACK"),
    (7, "Begin Verify NACK"),
    (8, "End Verify"),
    (9, "End Verify ACK"),
    (10, "Test"),
    (11, "Test Status Success"),
    (12, "Test Status Failure"),
    (13, "Test Status ACK"),
    (14, "Link Summary"),
    (15, "Link Summary ACK"),
    (16, "Link Summary NACK"),
    (17, "Channel Status"),
    (18, "Channel Status ACK"),
    (19, "Channel Status Request"),
    (20, "Channel Status Response"),
    (50, "Service Config"),
    (51, "Service Config ACK"),
    (52, "Service Config NACK"),
];

const HEADER_FLAGS: &[Bit] = &[(0x01, "Control Channel Down"), (0x02, "LMP restart")];

const CC_ID: u8 = 1;
const NODE_ID: u8 = 2;
const LINK_ID: u8 = 3;
const INTERFACE_ID: u8 = 4;
const MESSAGE_ID: u8 = 5;
const CONFIG: u8 = 6;
const HELLO: u8 = 7;
const VERIFY_BEGIN: u8 = 8;
const VERIFY_BEGIN_ACK: u8 = 9;
const VERIFY_ID: u8 = 10;
const TE_LINK: u8 = 11;
const DATA_LINK: u8 = 12;
const CHANNEL_STATUS: u8 = 13;
const CHANNEL_STATUS_REQ: u8 = 14;
const ERROR_CODE: u8 = 20;
const SERVICE_CONFIG: u8 = 51;

const CLASSES: &[(u8, &str)] = &[
    (CC_ID, "Control Channel ID"),
    (NODE_ID, "Node ID"),
    (LINK_ID, "Link ID"),
    (INTERFACE_ID, "Interface ID"),
    (MESSAGE_ID, "Message ID"),
    (CONFIG, "Configuration"),
    (HELLO, "Hello"),
    (VERIFY_BEGIN, "Verify Begin"),
    (VERIFY_BEGIN_ACK, "Verify Begin ACK"),
    (VERIFY_ID, "Verify ID"),
    (TE_LINK, "TE Link"),
    (DATA_LINK, "Data Link"),
    (CHANNEL_STATUS, "Channel Status"),
    (CHANNEL_STATUS_REQ, "Channel Status Request"),
    (ERROR_CODE, "Error Code"),
    (SERVICE_CONFIG, "Service Config"),
];

/// The C-types' names, by class (they are not unique across classes).
fn ctype_name(class: u8, ctype: u8) -> Option<&'static str> {
    const LOCAL_REMOTE: &[&str] = &["Local", "Remote"];
    const ADDRESSED: &[&str] = &[
        "IPv4 Local",
        "IPv4 Remote",
        "IPv6 Local",
        "IPv6 Remote",
        "Unnumbered Local",
        "Unnumbered Remote",
    ];
    const FAMILIES: &[&str] = &["IPv4", "IPv6", "Unnumbered"];
    const NUMBERED: &[&str] = &["1", "2", "3", "4"];
    let (names, count) = match class {
        CC_ID | NODE_ID => (LOCAL_REMOTE, 2),
        LINK_ID | INTERFACE_ID => (ADDRESSED, 6),
        MESSAGE_ID | ERROR_CODE => (NUMBERED, 2),
        CONFIG | HELLO | VERIFY_BEGIN | VERIFY_BEGIN_ACK | VERIFY_ID => (NUMBERED, 1),
        TE_LINK | DATA_LINK | CHANNEL_STATUS | CHANNEL_STATUS_REQ => (FAMILIES, 3),
        SERVICE_CONFIG => (NUMBERED, 4),
        _ => return None,
    };
    names
        .get(usize::from(ctype).checked_sub(1)?)
        .filter(|_| usize::from(ctype) <= count)
        .copied()
}

const TE_LINK_FLAGS: &[Bit] = &[
    (0x01, "Fault Management Supported"),
    (0x02, "Link Verification Supported"),
];
const DATA_LINK_FLAGS: &[Bit] = &[
    (0x01, "Data Link Port"),
    (0x02, "Allocated for user traffic"),
    (0x04, "Failed link"),
];
const CHANNEL_STATES: &[(u32, &str)] = &[
    (1, "Signal Okay"),
    (2, "Signal Degraded"),
    (3, "Signal Fail"),
];
const VERIFY_FLAGS: &[Bit] = &[(0x0001, "Verify all links"), (0x0002, "Data link type")];
const VERIFY_ERRORS: &[Bit] = &[
    (0x01, "Link Verification Procedure Not supported"),
    (0x02, "Unwilling to verify"),
    (0x04, "Unsupported verification transport mechanism"),
    (0x08, "Link-Id configuration error"),
    (0x10, "Unknown object c-type"),
];
const SUMMARY_ERRORS: &[Bit] = &[
    (0x01, "Unacceptable non-negotiable LINK-SUMMARY parameters"),
    (0x02, "Renegotiate LINK-SUMMARY parameters"),
    (0x04, "Invalid TE-LINK Object"),
    (0x08, "Invalid DATA-LINK Object"),
    (0x10, "Unknown TE-LINK Object c-type"),
    (0x20, "Unknown DATA-LINK Object c-type"),
];
const SP_FLAGS: &[Bit] = &[(0x01, "RSVP Supported"), (0x02, "LDP Supported")];
const CPSA_TRANSPARENCY: &[Bit] = &[
    (0x01, "Path/VC Overhead Transparency Supported"),
    (0x02, "Line/MS Overhead Transparency Supported"),
    (0x04, "Section/RS Overhead Transparency Supported"),
];
const CPSA_CONCATENATION: &[Bit] = &[(0x01, "Contiguous Concatenation Types Supported")];
const NSA_TRANSPARENCY: &[Bit] = &[
    (0x01, "Standard SOH/RSOH Transparency Supported"),
    (0x02, "Standard LOH/MSOH Transparency Supported"),
];
const NSA_TCM: &[Bit] = &[(0x01, "Transparent Tandem Connection Monitoring Supported")];
const NSA_DIVERSITY: &[Bit] = &[
    (0x01, "Node Diversity Supported"),
    (0x02, "Link Diversity Supported"),
    (0x04, "SRLG Diversity Supported"),
];
/// OIF UNI 1.0's link types (section 9.4.2) and their signal types.
const LINK_TYPE_SDH: u8 = 5;
const LINK_TYPE_SONET: u8 = 6;
const CPSA_LINK_TYPES: &[(u8, &str)] = &[
    (LINK_TYPE_SDH, "SDH ITU-T G.707"),
    (LINK_TYPE_SONET, "SONET ANSI T1.105"),
];
const SDH_SIGNALS: &[(u8, &str)] = &[
    (5, "VC-3"),
    (6, "VC-4"),
    (7, "STM-0"),
    (8, "STM-1"),
    (9, "STM-4"),
    (10, "STM-16"),
    (11, "STM-64"),
    (12, "STM-256"),
];
const SONET_SIGNALS: &[(u8, &str)] = &[
    (5, "STS-1 SPE"),
    (6, "STS-3c SPE"),
    (7, "STS-1"),
    (8, "STM-3"),
    (9, "STM-12"),
    (10, "STM-48"),
    (11, "STM-192"),
    (12, "STM-768"),
];

const SUBOBJECTS: &[(u8, &str)] = &[(1, "Interface Switching Type"), (2, "Wavelength")];

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    need(m, 0, HEADER)?;
    let version = u8_at(m, 0)? >> 4;
    if version != 1 {
        out!(w, "LMP version {version} packet not supported");
        return Ok(());
    }
    let t = u8_at(m, 3)?;
    if v == 0 {
        match tok(TYPES, t) {
            Some(name) => out!(w, "LMPv1 {name} Message, length: {}", p.declared_len),
            None => out!(w, "LMPv1 unknown ({t}) Message, length: {}", p.declared_len),
        }
        return Ok(());
    }
    // tcpdump's unsigned count: a datagram shorter than the header
    // leaves it wrapped round, and the objects are read till the capture
    // ends.
    let mut left = u32::from(u16_at(m, 4)?);
    w.extend_from_slice(b"\n\tLMPv1, msg-type: ");
    match tok(TYPES, t) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "unknown, type: {t}"),
    }
    w.extend_from_slice(b", Flags: [");
    put_bits(w, HEADER_FLAGS, u32::from(u8_at(m, 2)?), "none");
    out!(w, "], length: {left}");
    if left < HEADER as u32 {
        w.extend_from_slice(b" (too short)");
        return Ok(());
    }
    let declared = u32::try_from(p.declared_len).unwrap_or(u32::MAX);
    if left > declared {
        w.extend_from_slice(b" (too long)");
        left = declared;
    }
    let mut at = HEADER;
    left = left.wrapping_sub(HEADER as u32);
    while left != 0 {
        let raw = u8_at(m, at)?;
        let class = u8_at(m, at + 1)?;
        let len = usize::from(u16_at(m, at + 2)?);
        let ctype = raw & 0x7f;
        out!(
            w,
            "\n\t  {} Object ({class}), Class-Type: {} ({ctype}) Flags: [{}negotiable], length: {len}",
            tok(CLASSES, class).unwrap_or("Unknown"),
            ctype_name(class, ctype).unwrap_or("Unknown"),
            if raw & 0x80 != 0 { "" } else { "non-" }
        );
        if len < OBJ_HEADER {
            w.extend_from_slice(b" (too short)");
            return Ok(());
        }
        if len % 4 != 0 {
            w.extend_from_slice(b" (not a multiple of 4)");
            return Ok(());
        }
        need(m, at, len)?;
        let body = (at + OBJ_HEADER, len - OBJ_HEADER);
        let hexdump = match object(w, m, class, ctype, body)? {
            Body::Known(hexdump) => hexdump,
            Body::Unknown => {
                if v <= 1 {
                    unknown_data(w, m, body.0, "\n\t    ", body.1);
                }
                false
            }
        };
        if v > 1 || hexdump {
            unknown_data(w, m, body.0, "\n\t    ", body.1);
        }
        if (left as usize) < len {
            out!(w, " [remaining objects length {left} < {len}] (invalid)");
            break;
        }
        at += len;
        left -= len as u32;
    }
    Ok(())
}

/// What the printer made of an object: a class it knows (and whether its
/// hex follows), or one it only dumps.
enum Body {
    Known(bool),
    Unknown,
}

/// ` (not correct for object)` unless the body is `want` bytes.
fn sized(w: &mut Vec<u8>, n: usize, want: usize) -> bool {
    if n != want {
        w.extend_from_slice(b" (not correct for object)");
    }
    n == want
}

/// The same for a body of at least `want` bytes.
fn at_least(w: &mut Vec<u8>, n: usize, want: usize) -> bool {
    if n < want {
        w.extend_from_slice(b" (not correct for object)");
    }
    n >= want
}

/// An IPv4 address at `at` and its value in hex.
fn put_ipv4_hex(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    out!(w, "{} (0x{:08x})", ipv4_at(m, at)?, u32_at(m, at)?);
    Ok(())
}

/// An IPv6 address at `at` and its first word in hex.
fn put_ipv6_hex(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    out!(
        w,
        "{} (0x{:08x})",
        Ip6::from(bytes_at::<16>(m, at)?),
        u32_at(m, at)?
    );
    Ok(())
}

/// A number at `at` in decimal and hex.
fn put_num_hex(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let n = u32_at(m, at)?;
    out!(w, "{n} (0x{n:08x})");
    Ok(())
}

/// How an identifier of the object's family is written: IPv4, IPv6
/// (`None` past the families) or unnumbered, and its size.
type IdWriter = fn(&mut Vec<u8>, &[u8], usize) -> Res<()>;

fn family(f: u8) -> Option<(IdWriter, usize)> {
    match f {
        1 => Some((put_ipv4_hex, 4)),
        2 => Some((put_ipv6_hex, 16)),
        3 => Some((put_num_hex, 4)),
        _ => None,
    }
}

/// The fields of an object of a known class (`n` bytes at `at`).
fn object(w: &mut Vec<u8>, m: &[u8], class: u8, ctype: u8, (at, n): (usize, usize)) -> Res<Body> {
    let hex = Ok(Body::Known(true));
    match class {
        CC_ID | NODE_ID | MESSAGE_ID if !(1..=2).contains(&ctype) => return hex,
        CC_ID | NODE_ID | MESSAGE_ID => {
            if sized(w, n, 4) {
                let label = match (class, ctype) {
                    (CC_ID, _) => "Control Channel ID",
                    (NODE_ID, _) => "Node ID",
                    (_, 1) => "Message ID",
                    _ => "Message ID Ack",
                };
                out!(w, "\n\t    {label}: ");
                if class == NODE_ID {
                    put_ipv4_hex(w, m, at)?;
                } else {
                    put_num_hex(w, m, at)?;
                }
            }
        }
        LINK_ID | INTERFACE_ID => {
            let (label, put, size): (&str, IdWriter, usize) = match ctype {
                1 | 2 => ("IPv4 Link ID", put_ipv4_hex, 4),
                3 | 4 => ("IPv6 Link ID", put_ipv6_hex, 16),
                5 | 6 => ("Link ID", put_num_hex, 4),
                _ => return hex,
            };
            if sized(w, n, size) {
                out!(w, "\n\t    {label}: ");
                put(w, m, at)?;
            }
        }
        CONFIG | HELLO | VERIFY_BEGIN | VERIFY_BEGIN_ACK | VERIFY_ID if ctype != 1 => return hex,
        CONFIG if sized(w, n, 4) => out!(
            w,
            "\n\t    Hello Interval: {}\n\t    Hello Dead Interval: {}",
            u16_at(m, at)?,
            u16_at(m, at + 2)?
        ),
        HELLO if sized(w, n, 8) => out!(
            w,
            "\n\t    Tx Seq: {}, Rx Seq: {}",
            u32_at(m, at)?,
            u32_at(m, at + 4)?
        ),
        VERIFY_BEGIN if sized(w, n, 20) => verify_begin(w, m, at)?,
        VERIFY_BEGIN_ACK if sized(w, n, 4) => out!(
            w,
            "\n\t    Verify Dead Interval: {}\n\t    Verify Transport Response: {}",
            u16_at(m, at)?,
            u16_at(m, at + 2)?
        ),
        VERIFY_ID if sized(w, n, 4) => out!(w, "\n\t    Verify ID: {}", u32_at(m, at)?),
        CONFIG | HELLO | VERIFY_BEGIN | VERIFY_BEGIN_ACK | VERIFY_ID => {}
        TE_LINK | DATA_LINK => {
            let Some((put, size)) = family(ctype) else {
                return hex;
            };
            let ids = 4 + 2 * size;
            let fits = if class == TE_LINK {
                sized(w, n, ids)
            } else {
                at_least(w, n, ids)
            };
            if !fits {
                return Ok(Body::Known(false));
            }
            let (flags, word) = if class == TE_LINK {
                (TE_LINK_FLAGS, "Link-ID")
            } else {
                (DATA_LINK_FLAGS, "Interface ID")
            };
            w.extend_from_slice(b"\n\t    Flags: [");
            put_bits(w, flags, u32::from(u8_at(m, at)?), "none");
            out!(w, "]\n\t    Local {word}: ");
            put(w, m, at + 4)?;
            out!(w, "\n\t    Remote {word}: ");
            put(w, m, at + 4 + size)?;
            if class == DATA_LINK {
                return Ok(Body::Known(subobjects(w, m, at + ids, n - ids)?));
            }
        }
        CHANNEL_STATUS | CHANNEL_STATUS_REQ => {
            let Some((put, size)) = family(ctype) else {
                return hex;
            };
            let entry = if class == CHANNEL_STATUS {
                size + 4
            } else {
                size
            };
            for e in (at..).step_by(entry).take(n / entry) {
                w.extend_from_slice(b"\n\t    Interface ID: ");
                put(w, m, e)?;
                if class == CHANNEL_STATUS {
                    channel_status(w, u32_at(m, e + size)?);
                }
            }
        }
        ERROR_CODE => {
            let table = match ctype {
                1 => VERIFY_ERRORS,
                2 => SUMMARY_ERRORS,
                _ => return hex,
            };
            if sized(w, n, 4) {
                w.extend_from_slice(b"\n\t    Error Code: ");
                put_bits(w, table, u32_at(m, at)?, "none");
            }
        }
        SERVICE_CONFIG => return service_config(w, m, ctype, (at, n)),
        _ => return Ok(Body::Unknown),
    }
    Ok(Body::Known(false))
}

/// Verify Begin's flags, interval, link count, encoding, transport
/// mechanism, rate and wavelength.
fn verify_begin(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    w.extend_from_slice(b"\n\t    Flags: ");
    put_bits(w, VERIFY_FLAGS, u32::from(u16_at(m, at)?), "none");
    out!(w, "\n\t    Verify Interval: {}", u16_at(m, at + 2)?);
    out!(w, "\n\t    Data links: {}", u32_at(m, at + 4)?);
    let enc = tok(ENCODINGS, u8_at(m, at + 8)?).unwrap_or("Unknown");
    out!(w, "\n\t    Encoding type: {enc}");
    let mech = u16_at(m, at + 10)?;
    // tcpdump tests the payload bit with decimal 8000.
    let payload = if mech & 8000 != 0 {
        " (Payload test messages capable)"
    } else {
        ""
    };
    out!(
        w,
        "\n\t    Verify Transport Mechanism: {mech} (0x{mech:x}){payload}"
    );
    w.extend_from_slice(b"\n\t    Transmission Rate: ");
    put_mbps(w, u32_at(m, at + 12)?);
    out!(w, "\n\t    Wavelength: {}", u32_at(m, at + 16)?);
    Ok(())
}

/// A channel's status word: allocated, direction, status.
fn channel_status(w: &mut Vec<u8>, s: u32) {
    let active = s >> 31;
    let dir = (s >> 30) & 1;
    let status = s & 0x03ff_ffff;
    out!(
        w,
        "\n\t\t    Active: {} ({active})\n\t\t    Direction: {} ({dir})\n\t\t    Channel Status: {} ({status})",
        if active != 0 {
            "Allocated"
        } else {
            "Non-allocated"
        },
        if dir != 0 { "Transmit" } else { "Receive" },
        tok(CHANNEL_STATES, status).unwrap_or("Unknown")
    );
}

/// A data link's subobjects (`left` bytes at `at`): whether one of an
/// unknown type ends them (its object's hex follows).
fn subobjects(w: &mut Vec<u8>, m: &[u8], mut at: usize, mut left: usize) -> Res<bool> {
    while left > 0 {
        let t = u8_at(m, at)?;
        let len = usize::from(u8_at(m, at + 1)?);
        out!(
            w,
            "\n\t    Subobject, Type: {} ({t}), Length: {len}",
            tok(SUBOBJECTS, t).unwrap_or("Unknown")
        );
        if len < 4 {
            w.extend_from_slice(b" (too short)");
            break;
        }
        if len % 4 != 0 {
            w.extend_from_slice(b" (not a multiple of 4)");
            break;
        }
        if left < len {
            w.extend_from_slice(b" (goes past the end of the object)");
            break;
        }
        match t {
            1 => {
                // Read whatever the subobject's length says.
                let cap = u8_at(m, at + 2)?;
                out!(
                    w,
                    "\n\t      Switching Type: {} ({cap})",
                    tok(SWITCH_CAPS, cap).unwrap_or("Unknown")
                );
                let enc = u8_at(m, at + 3)?;
                out!(
                    w,
                    "\n\t      Encoding Type: {} ({enc})",
                    tok(ENCODINGS, enc).unwrap_or("Unknown")
                );
                // Each bandwidth is read before its label is printed.
                for (label, off) in [("Min", 4), ("Max", 8)] {
                    let bw = u32_at(m, at + off)?;
                    out!(w, "\n\t      {label} Reservable Bandwidth: ");
                    put_mbps(w, bw);
                }
            }
            2 => out!(w, "\n\t      Wavelength: {}", u32_at(m, at + 4)?),
            _ => return Ok(true),
        }
        left -= len;
        at += len;
    }
    Ok(false)
}

/// OIF UNI 1.0's service configuration object, by C-type.
fn service_config(w: &mut Vec<u8>, m: &[u8], ctype: u8, (at, n): (usize, usize)) -> Res<Body> {
    let bits = |w: &mut Vec<u8>, label: &str, table: &[Bit], v: u32| {
        out!(w, "\n\t {label}: ");
        put_bits(w, table, v, "none");
    };
    match ctype {
        1 if sized(w, n, 4) => {
            bits(w, "Flags", SP_FLAGS, u32::from(u8_at(m, at)?));
            out!(w, "\n\t  UNI Version: {}", u8_at(m, at + 1)?);
        }
        2 if sized(w, n, 16) => {
            let link = u8_at(m, at)?;
            out!(
                w,
                "\n\t Link Type: {} ({link})",
                tok(CPSA_LINK_TYPES, link).unwrap_or("Unknown")
            );
            let signals = match link {
                LINK_TYPE_SDH => Some(SDH_SIGNALS),
                LINK_TYPE_SONET => Some(SONET_SIGNALS),
                _ => None,
            };
            if let Some(table) = signals {
                let s = u8_at(m, at + 1)?;
                out!(
                    w,
                    "\n\t Signal Type: {} ({s})",
                    tok(table, s).unwrap_or("Unknown")
                );
            }
            bits(
                w,
                "Transparency",
                CPSA_TRANSPARENCY,
                u32::from(u8_at(m, at + 2)?),
            );
            let cct = u32::from(u8_at(m, at + 3)?);
            bits(w, "Contiguous Concatenation Types", CPSA_CONCATENATION, cct);
            out!(w, "\n\t Minimum NCC: {}", u16_at(m, at + 4)?);
            out!(w, "\n\t Maximum NCC: {}", u16_at(m, at + 6)?);
            out!(w, "\n\t Minimum NVC:{}", u16_at(m, at + 8)?);
            out!(w, "\n\t Maximum NVC:{}", u16_at(m, at + 10)?);
            w.extend_from_slice(b"\n\t    Local Interface ID: ");
            put_ipv4_hex(w, m, at + 12)?;
        }
        3 if sized(w, n, 8) => {
            bits(w, "Transparency Flags", NSA_TRANSPARENCY, u32_at(m, at)?);
            bits(
                w,
                "TCM Monitoring Flags",
                NSA_TCM,
                u32::from(u8_at(m, at + 7)?),
            );
        }
        4 if sized(w, n, 4) => {
            let d = u32::from(u8_at(m, at + 3)?);
            bits(w, "Diversity: Flags", NSA_DIVERSITY, d);
        }
        1..=4 => {}
        _ => return Ok(Body::Known(true)),
    }
    Ok(Body::Known(false))
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("objects", |o, list| json_fields(o, list, p))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let t = u8_at(m, 3)?;
    o.insert("version".into(), json!(u8_at(m, 0)? >> 4));
    o.insert("flags".into(), json!(u8_at(m, 2)?));
    o.insert("type".into(), json!(t));
    o.insert("type_name".into(), json!(tok(TYPES, t)));
    let length = usize::from(u16_at(m, 4)?);
    o.insert("length".into(), json!(length));
    let end = length.min(p.declared_len);
    let mut at = HEADER;
    while at < end {
        let (raw, class) = (u8_at(m, at)?, u8_at(m, at + 1)?);
        let len = usize::from(u16_at(m, at + 2)?);
        let ctype = raw & 0x7f;
        list.push(json!({
            "class": class,
            "class_name": tok(CLASSES, class),
            "ctype": ctype,
            "ctype_name": ctype_name(class, ctype),
            "negotiable": raw & 0x80 != 0,
            "length": len,
        }));
        if len < OBJ_HEADER || len % 4 != 0 {
            break;
        }
        need(m, at, len)?;
        at += len;
    }
    if p.declared_len > m.len() {
        return Err(Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Config message: local control channel id 7, message id 9, node
    /// id 10.0.0.1, hello configuration 150/600.
    fn config() -> Vec<u8> {
        let mut m = vec![0x10, 0, 0, 1, 0, 40, 0, 0];
        m.extend_from_slice(&[1, CC_ID, 0, 8, 0, 0, 0, 7]);
        m.extend_from_slice(&[1, MESSAGE_ID, 0, 8, 0, 0, 0, 9]);
        m.extend_from_slice(&[1, NODE_ID, 0, 8, 10, 0, 0, 1]);
        m.extend_from_slice(&[0x81, CONFIG, 0, 8, 0, 150, 2, 88]);
        m
    }

    #[test]
    fn test_line() {
        assert_eq!(
            LMP.printed(&config(), 0),
            "LMPv1 Config Message, length: 40"
        );
        let text = LMP.printed(&config(), 1);
        assert!(text.starts_with(
            "\n\tLMPv1, msg-type: Config, Flags: [none], length: 40\
             \n\t  Control Channel ID Object (1), Class-Type: Local (1) Flags: [non-negotiable], length: 8\
             \n\t    Control Channel ID: 7 (0x00000007)"
        ));
        assert!(text.ends_with(
            "Configuration Object (6), Class-Type: 1 (1) Flags: [negotiable], length: 8\
             \n\t    Hello Interval: 150\n\t    Hello Dead Interval: 600"
        ));
        let mut m = config();
        m[0] = 0x20;
        assert_eq!(LMP.printed(&m, 1), "LMP version 2 packet not supported");
    }

    #[test]
    fn test_ctype_names() {
        assert_eq!(ctype_name(LINK_ID, 6), Some("Unnumbered Remote"));
        assert_eq!(ctype_name(CC_ID, 3), None);
        assert_eq!(ctype_name(SERVICE_CONFIG, 4), Some("4"));
        assert_eq!(ctype_name(HELLO, 2), None);
        assert_eq!(ctype_name(77, 1), None);
    }

    #[test]
    fn test_truncated() {
        assert_eq!(LMP.printed_cut(&config(), 7, 0), " [|lmp]");
        assert!(
            LMP.printed_cut(&config(), 20, 1)
                .ends_with("length: 8 [|lmp]")
        );
    }
}
