//! IEEE 802.1ag Connectivity Fault Management and ITU-T Y.1731 (EtherType
//! 0x8902) as `tcpdump -n` prints it: `CFMv0 Continuity Check Message, MD
//! Level 5, length 74`; at `-v` the first TLV offset, the message's own
//! fields (a CCM's interval, sequence number, MEP id and MD/MA names; a
//! linktrace message's transaction id, TTL and MACs; a loopback's bytes
//! in hex) and every TLV (port and interface status, sender id with its
//! chassis id and management address, organisation-specific, others in
//! hex); `-vv` adds each TLV's value in hex.
//!
//! tcpdump checks the header, each message's fixed part and each TLV
//! (header, then value) before reading them, but reads a TLV's type
//! unchecked: a capture cut there ends with its `longjmp`.

use super::ctl::{Bit, json_object_with_list, out, put_bits, put_hex_print, put_text_nul};
use super::ctl::{put_mac_at, tok, unknown_data};
use super::dns::text::put_ipv6;
use super::lldp::{AFS, OUIS};
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u24_at, u32_at};
use super::{Dissector, Payload, Stop, jumped};
use serde_json::{Map, Value, json};

pub static CFM: Dissector = Dissector::new("cfm", line, verbose, to_json, looks_like_cfm);

/// Version 0 in the low five bits of the first byte, a known opcode.
fn looks_like_cfm(m: &[u8]) -> bool {
    matches!(m, [b, 1..=5, ..] if b & 0x1f == 0)
}

const OPCODES: &[(u8, &str)] = &[
    (1, "Continuity Check Message"),
    (2, "Loopback Reply"),
    (3, "Loopback Message"),
    (4, "Linktrace Reply"),
    (5, "Linktrace Message"),
];
const CCM: u8 = 1;
const LTR: u8 = 4;
const LTM: u8 = 5;

/// The common header: MD level and version, opcode, flags, first TLV
/// offset.
const HEADER: usize = 4;
/// A CCM's fixed part: sequence number, MEP id, 48 bytes of MD and MA
/// names, 16 bytes reserved for Y.1731.
const CCM_LEN: usize = 70;
/// The bytes of a CCM's fixed part that hold the MD and MA names.
const NAMES_LEN: usize = 48;
/// A linktrace message's: transaction id, TTL, original and target MACs.
const LTM_LEN: usize = 17;
/// A linktrace reply's: transaction id, TTL, relay action.
const LTR_LEN: usize = 6;

/// The CCM interval's time bases in seconds (802.1ag table 21-15), as
/// single-precision numbers, which is how tcpdump holds them and so what
/// its three decimals round.
const INTERVALS: [f32; 8] = [0.0, 0.003333, 0.01, 0.1, 1.0, 10.0, 60.0, 600.0];

const MD_FORMATS: &[(u8, &str)] = &[
    (0, "IEEE 802.1"),
    (1, "No MD Name present"),
    (2, "DNS string"),
    (3, "MAC + 16Bit Integer"),
    (4, "Character string"),
];
const MD_NONE: u8 = 1;
const MA_FORMATS: &[(u8, &str)] = &[
    (0, "IEEE 802.1"),
    (1, "Primary VID"),
    (2, "Character string"),
    (3, "16Bit Integer"),
    (4, "RFC2685 VPN-ID"),
];

const LTM_FLAGS: &[Bit] = &[(0x80, "Use Forwarding-DB only")];
const LTR_FLAGS: &[Bit] = &[
    (0x80, "UseFDB Only"),
    (0x40, "FwdYes"),
    (0x20, "Terminal MEP"),
];
const RELAY_ACTIONS: &[(u8, &str)] = &[(1, "Exact Match"), (2, "Filtering DB"), (3, "MIP CCM DB")];

const TLVS: &[(u8, &str)] = &[
    (0, "End"),
    (1, "Sender ID"),
    (2, "Port status"),
    (3, "Interface status"),
    (4, "Data"),
    (5, "Reply Ingress"),
    (6, "Reply Egress"),
    (31, "Organization Specific"),
];
const SENDER_ID: u8 = 1;
const PORT_STATUS: u8 = 2;
const INTERFACE_STATUS: u8 = 3;
const ORG_SPECIFIC: u8 = 31;
const PORT_STATES: &[(u8, &str)] = &[(1, "Blocked"), (2, "Up")];
const INTERFACE_STATES: &[(u8, &str)] = &[
    (1, "Up"),
    (2, "Down"),
    (3, "Testing"),
    (5, "Dormant"),
    (6, "not present"),
    (7, "lower Layer down"),
];
/// LLDP's chassis id subtypes, which the sender id TLV borrows.
const CHASSIS_TYPES: &[(u8, &str)] = &[
    (0, "Reserved"),
    (1, "Chassis component"),
    (2, "Interface alias"),
    (3, "Port component"),
    (4, "MAC address"),
    (5, "Network address"),
    (6, "Interface name"),
    (7, "Locally assigned"),
];
const CHASSIS_MAC: u8 = 4;
const CHASSIS_NETWORK: u8 = 5;

/// tcpdump's words where the declared length ends before what it reads.
const TOO_SHORT: &str = "\n\t\t packet is too short";

type Cut<T> = Result<T, Stop>;

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    print(w, p, 0).map_err(Into::into)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    print(w, p, v).map_err(Into::into)
}

/// Whether a cut line ended where tcpdump reads a TLV's type unchecked.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], v: u8) -> bool {
    matches!(print(&mut Vec::new(), p, v), Err(Stop::Jumped))
}

fn print(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Cut<()> {
    let (m, length) = (p.bytes, p.declared_len);
    if length < HEADER {
        w.extend_from_slice(TOO_SHORT.as_bytes());
        return Ok(());
    }
    need(m, 0, HEADER)?;
    let first = u8_at(m, 0)?;
    let version = first & 0x1f;
    if version != 0 {
        out!(w, "CFMv{version} not supported, length {length}");
        return Ok(());
    }
    let opcode = u8_at(m, 1)?;
    out!(w, "CFMv{version} ");
    match tok(OPCODES, opcode) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "unknown ({opcode})"),
    }
    out!(w, ", MD Level {}, length {length}", first >> 5);
    if v == 0 {
        return Ok(());
    }
    let (flags, offset) = (u8_at(m, 2)?, usize::from(u8_at(m, 3)?));
    out!(w, "\n\tFirst TLV offset {offset}");
    let tlen = length - HEADER;
    if offset > tlen {
        out!(w, " (too large, must be <= {tlen})");
        return Ok(());
    }
    if !message(w, m, opcode, flags, offset, tlen)? {
        return Ok(());
    }
    tlvs(w, m, HEADER + offset, tlen - offset, v)
}

/// The fixed part of the message after the header, up to the first TLV;
/// `false` where tcpdump stops printing after it.
fn message(
    w: &mut Vec<u8>,
    m: &[u8],
    opcode: u8,
    flags: u8,
    offset: usize,
    tlen: usize,
) -> Cut<bool> {
    // tcpdump numbers its "too small" messages 1, 4 and 5.
    let (fixed, check) = match opcode {
        CCM => (CCM_LEN, 1),
        LTM => (LTM_LEN, 4),
        LTR => (LTR_LEN, 5),
        _ => {
            // No decoder: the bytes from the header on, as many as the
            // length less the offset says.
            unknown_data(w, m, HEADER, "\n\t  ", tlen - offset);
            return Ok(true);
        }
    };
    if offset < fixed {
        out!(w, " (too small {check}, must be >= {fixed})");
        return Ok(false);
    }
    if tlen < fixed {
        w.extend_from_slice(TOO_SHORT.as_bytes());
        return Ok(false);
    }
    need(m, HEADER, fixed)?;
    let at = HEADER;
    match opcode {
        CCM => ccm(w, m, flags),
        LTM => {
            w.extend_from_slice(b", Flags [");
            put_bits(w, LTM_FLAGS, u32::from(flags), "none");
            out!(
                w,
                "]\n\t  Transaction-ID 0x{:08x}, ttl {}\n\t  Original-MAC ",
                u32_at(m, at)?,
                u8_at(m, at + 4)?
            );
            put_mac_at(w, m, at + 5)?;
            w.extend_from_slice(b", Target-MAC ");
            put_mac_at(w, m, at + 11)?;
            Ok(true)
        }
        _ => {
            w.extend_from_slice(b", Flags [");
            put_bits(w, LTR_FLAGS, u32::from(flags), "none");
            let action = u8_at(m, at + 5)?;
            out!(
                w,
                "]\n\t  Transaction-ID 0x{:08x}, ttl {}\n\t  Replay-Action {} ({action})",
                u32_at(m, at)?,
                u8_at(m, at + 4)?,
                tok(RELAY_ACTIONS, action).unwrap_or("Unknown")
            );
            Ok(true)
        }
    }
}

/// A CCM's fixed part (captured whole): interval, sequence, MEP id, the
/// MD and MA names; `false` where a name's length is too large.
fn ccm(w: &mut Vec<u8>, m: &[u8], flags: u8) -> Cut<bool> {
    let interval = flags & 0x07;
    out!(w, ", Flags [CCM Interval {interval}");
    if flags & 0x80 != 0 {
        w.extend_from_slice(b", RDI");
    }
    w.push(b']');
    if interval != 0 {
        let base = f64::from(INTERVALS[usize::from(interval)]);
        out!(
            w,
            "\n\t  CCM Interval {base:.3}s, min CCM Lifetime {:.3}s, max CCM Lifetime {:.3}s",
            base * 3.25,
            base * 3.5
        );
    }
    let at = HEADER;
    out!(
        w,
        "\n\t  Sequence Number 0x{:08x}, MA-End-Point-ID 0x{:04x}",
        u32_at(m, at)?,
        u16_at(m, at + 4)?
    );
    let mut name = at + 6;
    let mut left = NAMES_LEN;
    let md_format = u8_at(m, name)?;
    name += 1;
    left -= 1;
    let md_format_name = tok(MD_FORMATS, md_format).unwrap_or("Unknown");
    if md_format == MD_NONE {
        out!(w, "\n\t  MD Name Format {md_format_name} ({md_format})");
    } else {
        let md_len = usize::from(u8_at(m, name)?);
        name += 1;
        left -= 1;
        out!(
            w,
            "\n\t  MD Name Format {md_format_name} ({md_format}), MD Name length {md_len}"
        );
        // Room is kept for the MA name's format, length and one byte.
        if md_len > left - 3 {
            out!(w, " (too large, must be <= {})", left - 2);
            return Ok(false);
        }
        w.extend_from_slice(b"\n\t  MD Name: ");
        match md_format {
            2 | 4 => put_text_nul(w, m, name, md_len)?,
            3 if md_len == 6 => {
                w.extend_from_slice(b"\n\t  MAC ");
                put_mac_at(w, m, name)?;
            }
            3 => w.extend_from_slice(b"\n\t  MAC (length invalid)"),
            _ => unknown_data(w, m, name, "\n\t    ", md_len),
        }
        name += md_len;
        left -= md_len;
    }
    let (ma_format, ma_len) = (u8_at(m, name)?, usize::from(u8_at(m, name + 1)?));
    name += 2;
    left -= 2;
    out!(
        w,
        "\n\t  MA Name-Format {} ({ma_format}), MA name length {ma_len}",
        tok(MA_FORMATS, ma_format).unwrap_or("Unknown")
    );
    if ma_len > left {
        out!(w, " (too large, must be <= {left})");
        return Ok(false);
    }
    w.extend_from_slice(b"\n\t  MA Name: ");
    if ma_format == 2 {
        put_text_nul(w, m, name, ma_len)?;
    } else {
        unknown_data(w, m, name, "\n\t    ", ma_len);
    }
    Ok(true)
}

/// What a TLV's walk does next.
enum After {
    /// Go on after the TLV (its `tlv_len` what is left of it unread).
    Next,
    /// Go on, without the TLV's hex dump.
    Skip,
    /// Print nothing more of the message.
    End,
}

/// The TLVs from `at`, `tlen` bytes of the declared length left. A sender
/// id TLV whose chassis id is too long moves on one byte short of its
/// end, as tcpdump's does: the walk keeps its position and remaining
/// length as tcpdump's does to go on from the same byte.
fn tlvs(w: &mut Vec<u8>, m: &[u8], mut at: usize, mut tlen: usize, v: u8) -> Cut<()> {
    while tlen != 0 {
        let kind = u8_at(m, at).map_err(jumped)?;
        out!(
            w,
            "\n\t{} TLV (0x{kind:02x})",
            tok(TLVS, kind).unwrap_or("Unknown")
        );
        if kind == 0 {
            return Ok(());
        }
        if tlen < 3 {
            w.extend_from_slice(TOO_SHORT.as_bytes());
            return Ok(());
        }
        need(m, at, 3)?;
        let mut tlv_len = usize::from(u16_at(m, at + 1)?);
        out!(w, ", length {tlv_len}");
        at += 3;
        tlen -= 3;
        let value = at;
        if tlen < tlv_len {
            w.extend_from_slice(TOO_SHORT.as_bytes());
            return Ok(());
        }
        need(m, at, tlv_len)?;
        let mut hexdump = false;
        let after = match kind {
            PORT_STATUS | INTERFACE_STATUS if tlv_len < 1 => {
                w.extend_from_slice(b" (too short, must be >= 1)");
                After::End
            }
            PORT_STATUS | INTERFACE_STATUS => {
                let table = if kind == PORT_STATUS {
                    PORT_STATES
                } else {
                    INTERFACE_STATES
                };
                let state = u8_at(m, at)?;
                out!(
                    w,
                    ", Status: {} ({state})",
                    tok(table, state).unwrap_or("Unknown")
                );
                After::Next
            }
            ORG_SPECIFIC if tlv_len < 4 => {
                w.extend_from_slice(b" (too short, must be >= 4)");
                After::End
            }
            ORG_SPECIFIC => {
                let oui = u24_at(m, at)?;
                out!(
                    w,
                    ", Vendor: {} ({oui}), Sub-Type {}",
                    tok(OUIS, oui).unwrap_or("Unknown"),
                    u8_at(m, at + 3)?
                );
                hexdump = true;
                After::Next
            }
            SENDER_ID => sender_id(w, m, (&mut at, &mut tlen, &mut tlv_len), &mut hexdump)?,
            _ => {
                hexdump = true;
                After::Next
            }
        };
        match after {
            After::End => return Ok(()),
            After::Next if hexdump || v > 1 => unknown_data(w, m, value, "\n\t  ", tlv_len),
            _ => {}
        }
        at += tlv_len;
        tlen -= tlv_len;
    }
    Ok(())
}

/// A sender id TLV's value (captured whole): chassis id, management
/// address domain and address, each after its length. `at`, `tlen` and
/// `tlv_len` move past what is read (the chassis id's subtype is counted
/// off `tlv_len` alone until the chassis id is read, which is how the
/// walk can go on from inside the TLV).
fn sender_id(
    w: &mut Vec<u8>,
    m: &[u8],
    (at, tlen, tlv_len): (&mut usize, &mut usize, &mut usize),
    hexdump: &mut bool,
) -> Cut<After> {
    if *tlv_len < 1 {
        w.extend_from_slice(b" (too short, must be >= 1)");
        return Ok(After::Skip);
    }
    let chassis_len = usize::from(u8_at(m, *at)?);
    *at += 1;
    *tlen -= 1;
    *tlv_len -= 1;
    if chassis_len != 0 {
        if *tlv_len < 1 {
            w.extend_from_slice(b"\n\t  (TLV too short)");
            return Ok(After::Skip);
        }
        let chassis_type = u8_at(m, *at)?;
        *tlv_len -= 1;
        out!(
            w,
            "\n\t  Chassis-ID Type {} ({chassis_type}), Chassis-ID length {chassis_len}",
            tok(CHASSIS_TYPES, chassis_type).unwrap_or("Unknown")
        );
        if *tlv_len < chassis_len {
            w.extend_from_slice(b"\n\t  (TLV too short)");
            return Ok(After::Skip);
        }
        let id = *at + 1;
        match chassis_type {
            CHASSIS_MAC if chassis_len != 6 => {
                w.extend_from_slice(b" (invalid MAC address length)");
                *hexdump = true;
            }
            CHASSIS_MAC => {
                w.extend_from_slice(b"\n\t  MAC ");
                put_mac_at(w, m, id)?;
            }
            CHASSIS_NETWORK => *hexdump |= network_address(w, m, id, chassis_len)?,
            1 | 2 | 3 | 6 | 7 => put_text_nul(w, m, id, chassis_len)?,
            _ => *hexdump = true,
        }
        *tlv_len -= chassis_len;
        *at += 1 + chassis_len;
        *tlen -= 1 + chassis_len;
    }
    if *tlv_len == 0 {
        return Ok(After::Next);
    }
    let domain_len = usize::from(u8_at(m, *at)?);
    *at += 1;
    *tlen -= 1;
    *tlv_len -= 1;
    out!(w, "\n\t  Management Address Domain Length {domain_len}");
    if domain_len == 0 {
        return Ok(After::Next);
    }
    if *tlv_len < domain_len {
        w.extend_from_slice(b"\n\t  (TLV too short)");
        return Ok(After::Skip);
    }
    *tlv_len -= domain_len;
    put_hex_print(
        w,
        m,
        (*at, domain_len),
        "\n\t  Management Address Domain: ",
        0,
    )?;
    *at += domain_len;
    *tlen -= domain_len;
    if *tlv_len < 1 {
        w.extend_from_slice(b" (Management Address Length is missing)");
        *hexdump = true;
        return Ok(After::Next);
    }
    let address_len = usize::from(u8_at(m, *at)?);
    *at += 1;
    *tlen -= 1;
    *tlv_len -= 1;
    out!(w, "\n\t  Management Address Length {address_len}");
    if address_len != 0 {
        if *tlv_len < address_len {
            w.extend_from_slice(b"\n\t  (TLV too short)");
            return Ok(After::End);
        }
        *tlv_len -= address_len;
        put_hex_print(w, m, (*at, address_len), "\n\t  Management Address: ", 0)?;
        *at += address_len;
        *tlen -= address_len;
    }
    Ok(After::Next)
}

/// A network-address chassis id of `len` bytes at `at`: its one-byte
/// address family, then an IPv4 or IPv6 address of the right length;
/// `true` when the TLV is to be dumped in hex too.
fn network_address(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Cut<bool> {
    if len < 1 {
        w.extend_from_slice(b"\n\t  Network Address Type (invalid, no data");
        return Ok(false);
    }
    let family = u8_at(m, at)?;
    out!(
        w,
        "\n\t  Network Address Type {} ({family})",
        tok(AFS, family).unwrap_or("Unknown")
    );
    match (family, len) {
        (1, 5) => out!(
            w,
            ", {}",
            std::net::Ipv4Addr::from(bytes_at::<4>(m, at + 1)?)
        ),
        (2, 17) => {
            w.extend_from_slice(b", ");
            put_ipv6(w, &bytes_at::<16>(m, at + 1)?);
        }
        (1 | 2, _) => {
            let v = if family == 1 { "IPv4" } else { "IPv6" };
            out!(w, "(invalid {v} address length {})", len - 1);
            return Ok(true);
        }
        _ => return Ok(true),
    }
    Ok(false)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("tlvs", |o, list| json_fields(o, list, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    let first = u8_at(m, 0)?;
    o.insert("version".into(), json!(first & 0x1f));
    o.insert("md_level".into(), json!(first >> 5));
    let opcode = u8_at(m, 1)?;
    o.insert("opcode".into(), json!(opcode));
    o.insert("opcode_name".into(), json!(tok(OPCODES, opcode)));
    o.insert("flags".into(), json!(u8_at(m, 2)?));
    let offset = usize::from(u8_at(m, 3)?);
    o.insert("first_tlv_offset".into(), json!(offset));
    match opcode {
        CCM => {
            o.insert("sequence".into(), json!(u32_at(m, HEADER)?));
            o.insert("mep_id".into(), json!(u16_at(m, HEADER + 4)?));
        }
        2..=5 => {
            o.insert("transaction_id".into(), json!(u32_at(m, HEADER)?));
        }
        _ => {}
    }
    if matches!(opcode, LTM | LTR) {
        o.insert("ttl".into(), json!(u8_at(m, HEADER + 4)?));
    }
    let mut at = HEADER + offset;
    // Each TLV takes at least one byte: the walk ends with the message.
    while at < m.len() {
        let kind = u8_at(m, at)?;
        if kind == 0 {
            list.push(json!({"type": 0, "name": "End"}));
            break;
        }
        let len = usize::from(u16_at(m, at + 1)?);
        list.push(json!({"type": kind, "name": tok(TLVS, kind), "length": len}));
        at += 3 + len;
    }
    if at > m.len() {
        return Err(super::Truncated);
    }
    Ok(())
}
