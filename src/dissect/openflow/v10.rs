//! OpenFlow 1.0's message types and the bodies tcpdump 4.99 prints at
//! `-v`: switch features with their ports, configuration, flow
//! modifications with their match and actions, packet-in/out, flow
//! removal, port status and modification, statistics requests and
//! replies of every kind, queue configuration, errors with their type's
//! code names, and vendor messages and actions (by vendor name; Big
//! Switch's decoded by [`super::bsn`], the others' data as opaque bytes).
//! `-vv` adds each port's bitmaps and the hex of data; `-vvv` the frame
//! of a packet in or out (see `packet_data`).

use super::{Body, CONFIG_FLAGS, Ctx, MsgType, bsn, data};
use crate::dissect::ctl::out;
use crate::dissect::lldp::OUIS;
use crate::dissect::nested;
use crate::dissect::wire::Res;

const fn t(name: &'static str, fixed: bool, len: usize, body: Option<Body>) -> MsgType {
    MsgType::new(name, fixed, len, body)
}

/// By type number: name, body length (fixed or least) and printer.
pub(super) static TYPES: &[MsgType] = &[
    t("HELLO", false, 0, Some(data)),
    t("ERROR", false, 4, Some(error)),
    t("ECHO_REQUEST", false, 0, Some(data)),
    t("ECHO_REPLY", false, 0, Some(data)),
    t("VENDOR", false, 4, Some(vendor_message)),
    t("FEATURES_REQUEST", true, 0, None),
    t("FEATURES_REPLY", false, 24, Some(features_reply)),
    t("GET_CONFIG_REQUEST", true, 0, None),
    t("GET_CONFIG_REPLY", true, 4, Some(switch_config)),
    t("SET_CONFIG", true, 4, Some(switch_config)),
    t("PACKET_IN", false, 10, Some(packet_in)),
    t("FLOW_REMOVED", true, 80, Some(flow_removed)),
    t("PORT_STATUS", true, 56, Some(port_status)),
    t("PACKET_OUT", false, 8, Some(packet_out)),
    t("FLOW_MOD", false, 64, Some(flow_mod)),
    t("PORT_MOD", true, 24, Some(port_mod)),
    t("STATS_REQUEST", false, 4, Some(stats_request)),
    t("STATS_REPLY", false, 4, Some(stats_reply)),
    t("BARRIER_REQUEST", true, 0, None),
    t("BARRIER_REPLY", true, 0, None),
    t(
        "QUEUE_GET_CONFIG_REQUEST",
        true,
        4,
        Some(queue_get_config_request),
    ),
    t(
        "QUEUE_GET_CONFIG_REPLY",
        false,
        8,
        Some(queue_get_config_reply),
    ),
];

const PORT_CONFIG: &[(u32, &str)] = &[
    (1 << 0, "PORT_DOWN"),
    (1 << 1, "NO_STP"),
    (1 << 2, "NO_RECV"),
    (1 << 3, "NO_RECV_STP"),
    (1 << 4, "NO_FLOOD"),
    (1 << 5, "NO_FWD"),
    (1 << 6, "NO_PACKET_IN"),
];

const STP_STATES: &[(u32, &str)] = &[
    (0, "STP_LISTEN"),
    (1 << 8, "STP_LEARN"),
    (2 << 8, "STP_FORWARD"),
    (3 << 8, "STP_BLOCK"),
];

const FEATURES: &[(u32, &str)] = &[
    (1 << 0, "10MB_HD"),
    (1 << 1, "10MB_FD"),
    (1 << 2, "100MB_HD"),
    (1 << 3, "100MB_FD"),
    (1 << 4, "1GB_HD"),
    (1 << 5, "1GB_FD"),
    (1 << 6, "10GB_FD"),
    (1 << 7, "COPPER"),
    (1 << 8, "FIBER"),
    (1 << 9, "AUTONEG"),
    (1 << 10, "PAUSE"),
    (1 << 11, "PAUSE_ASYM"),
];

const QUEUE_PROPS: &[(u16, &str)] = &[(0, "NONE"), (1, "MIN_RATE")];

/// Wildcard bits with names; bits 8–19 are the address prefix lengths
/// (known, but not named), 22 and up are bogus.
const WILDCARDS: &[(u32, &str)] = &[
    (1 << 0, "IN_PORT"),
    (1 << 1, "DL_VLAN"),
    (1 << 2, "DL_SRC"),
    (1 << 3, "DL_DST"),
    (1 << 4, "DL_TYPE"),
    (1 << 5, "NW_PROTO"),
    (1 << 6, "TP_SRC"),
    (1 << 7, "TP_DST"),
    (1 << 20, "DL_VLAN_PCP"),
    (1 << 21, "NW_TOS"),
];
const WILDCARDS_ALL: u32 = (1 << 22) - 1;

const ACTIONS: &[(u16, &str)] = &[
    (0, "OUTPUT"),
    (1, "SET_VLAN_VID"),
    (2, "SET_VLAN_PCP"),
    (3, "STRIP_VLAN"),
    (4, "SET_DL_SRC"),
    (5, "SET_DL_DST"),
    (6, "SET_NW_SRC"),
    (7, "SET_NW_DST"),
    (8, "SET_NW_TOS"),
    (9, "SET_TP_SRC"),
    (10, "SET_TP_DST"),
    (11, "ENQUEUE"),
    (0xffff, "VENDOR"),
];

/// The actions a switch supports, one bit per action type.
const ACTION_BITS: &[(u32, &str)] = &[
    (1 << 0, "OUTPUT"),
    (1 << 1, "SET_VLAN_VID"),
    (1 << 2, "SET_VLAN_PCP"),
    (1 << 3, "STRIP_VLAN"),
    (1 << 4, "SET_DL_SRC"),
    (1 << 5, "SET_DL_DST"),
    (1 << 6, "SET_NW_SRC"),
    (1 << 7, "SET_NW_DST"),
    (1 << 8, "SET_NW_TOS"),
    (1 << 9, "SET_TP_SRC"),
    (1 << 10, "SET_TP_DST"),
    (1 << 11, "ENQUEUE"),
];

/// Capabilities; RESERVED is named but not counted as known.
const CAPABILITIES: &[(u32, &str)] = &[
    (1 << 0, "FLOW_STATS"),
    (1 << 1, "TABLE_STATS"),
    (1 << 2, "PORT_STATS"),
    (1 << 3, "STP"),
    (1 << 4, "RESERVED"),
    (1 << 5, "IP_REASM"),
    (1 << 6, "QUEUE_STATS"),
    (1 << 7, "ARP_MATCH_IP"),
];
const CAPABILITIES_KNOWN: u32 = 0xef;

const COMMANDS: &[(u16, &str)] = &[
    (0, "ADD"),
    (1, "MODIFY"),
    (2, "MODIFY_STRICT"),
    (3, "DELETE"),
    (4, "DELETE_STRICT"),
];

const FLOW_MOD_FLAGS: &[(u32, &str)] = &[
    (1 << 0, "SEND_FLOW_REM"),
    (1 << 1, "CHECK_OVERLAP"),
    (1 << 2, "EMERG"),
];

const STATS: &[(u16, &str)] = &[
    (0, "DESC"),
    (1, "FLOW"),
    (2, "AGGREGATE"),
    (3, "TABLE"),
    (4, "PORT"),
    (5, "QUEUE"),
    (0xffff, "VENDOR"),
];

const TABLE_IDS: &[(u8, &str)] = &[(0xfe, "EMERG"), (0xff, "ALL")];

const PACKET_IN_REASONS: &[(u8, &str)] = &[(0, "NO_MATCH"), (1, "ACTION")];

const REMOVED_REASONS: &[(u8, &str)] = &[(0, "IDLE_TIMEOUT"), (1, "HARD_TIMEOUT"), (2, "DELETE")];

const PORT_REASONS: &[(u8, &str)] = &[(0, "ADD"), (1, "DELETE"), (2, "MODIFY")];

const ERROR_TYPES: &[(u16, &str)] = &[
    (0, "HELLO_FAILED"),
    (1, "BAD_REQUEST"),
    (2, "BAD_ACTION"),
    (3, "FLOW_MOD_FAILED"),
    (4, "PORT_MOD_FAILED"),
    (5, "QUEUE_OP_FAILED"),
];

/// Each error type's codes, by type number.
const ERROR_CODES: &[&[&str]] = &[
    super::HELLO_FAILED_CODES,
    &[
        "BAD_VERSION",
        "BAD_TYPE",
        "BAD_STAT",
        "BAD_VENDOR",
        "BAD_SUBTYPE",
        "EPERM",
        "BAD_LEN",
        "BUFFER_EMPTY",
        "BUFFER_UNKNOWN",
    ],
    &[
        "BAD_TYPE",
        "BAD_LEN",
        "BAD_VENDOR",
        "BAD_VENDOR_TYPE",
        "BAD_OUT_PORT",
        "BAD_ARGUMENT",
        "EPERM",
        "TOO_MANY",
        "BAD_QUEUE",
    ],
    &[
        "ALL_TABLES_FULL",
        "OVERLAP",
        "EPERM",
        "BAD_EMERG_TIMEOUT",
        "BAD_COMMAND",
        "UNSUPPORTED",
    ],
    &["BAD_PORT", "BAD_HW_ADDR"],
    super::QUEUE_OP_FAILED_CODES,
];

/// Sizes of the fixed structures.
const PHY_PORT: usize = 48;
const MATCH: usize = 40;
const ACTION_MIN: usize = 8;
const DESC_STR: usize = 256;
const SERIAL_NUM: usize = 32;
const FLOW_STATS_MIN: usize = 88;
const TABLE_STATS: usize = 64;
const PORT_STATS: usize = 104;
const QUEUE_STATS: usize = 32;
const QUEUE_MIN: usize = 8;
const QUEUE_PROP_MIN: usize = 8;

fn port(c: &mut Ctx<'_, '_>, v: u16) {
    super::put_port(c, u32::from(v), 0xffff, "NONE");
}

/// `prefix` and the port number at `at`, read first.
fn port_at(c: &mut Ctx<'_, '_>, prefix: &str, at: usize) -> Res<()> {
    let n = c.u16(at)?;
    c.put(prefix);
    port(c, n);
    Ok(())
}

/// tcpdump's `of_vendor_name`: an OUI's name, or an ONF experimenter's.
pub(super) fn vendor_name(v: u32) -> &'static str {
    let onf: &[(u32, &str)] = &[
        (0x4f4e4600, "ONF Extensions"),
        (
            0xff000001,
            "Budapest University of Technology and Economics",
        ),
        (0xff000002, "NoviFlow"),
        (0xff000003, "L3+ Extensions, Vendor Neutral"),
        (0xff000004, "L4-L7 Extensions"),
        (0xff000005, "Wireless and Mobility Extensions"),
        (0xff000006, "Forwarding Abstractions Extensions"),
        (0xff000007, "Optical Transport Extensions"),
    ];
    let table = if v & 0xff00_0000 == 0 { OUIS } else { onf };
    crate::dissect::ctl::tok(table, v).unwrap_or("unknown")
}

fn vlan(c: &mut Ctx<'_, '_>, vid: u16) {
    if vid == 0xffff {
        c.put("NONE");
    } else {
        let bogus = if vid > 0 && vid < 0x0fff {
            ""
        } else {
            " (bogus)"
        };
        out!(c.w, "{vid}{bogus}");
    }
}

fn pcp(c: &mut Ctx<'_, '_>, v: u8) {
    let bogus = if v <= 7 { "" } else { " (bogus)" };
    out!(c.w, "{v}{bogus}");
}

/// One physical port (48 bytes); its bitmaps at `-vv`.
fn phy_port(c: &mut Ctx<'_, '_>, at: usize) -> Res<()> {
    port_at(c, "\n\t  port_no ", at)?;
    c.mac(", hw_addr ", at + 2)?;
    c.put(", name ");
    c.name(at + 8, 16)?;
    let at = at + 24;
    if c.v < 2 {
        return c.need(at, 24);
    }
    out!(c.w, "\n\t   config 0x{:08x}", c.u32(at)?);
    c.bitmap(PORT_CONFIG, c.u32(at)?);
    let state = c.u32(at + 4)?;
    let stp = crate::dissect::ctl::tok(STP_STATES, state & (3 << 8)).unwrap_or("");
    let down = if state & 1 != 0 { ", LINK_DOWN" } else { "" };
    let bogus = if state & !0x301 != 0 { " (bogus)" } else { "" };
    out!(c.w, "\n\t   state 0x{state:08x} ({stp}{down}){bogus}");
    c.bitmaps(
        at + 8,
        "\n\t   ",
        &[
            ("curr", FEATURES),
            ("advertised", FEATURES),
            ("supported", FEATURES),
            ("peer", FEATURES),
        ],
    )?;
    Ok(())
}

fn features_reply(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    out!(c.w, "\n\t dpid 0x{:016x}", c.u64(at)?);
    out!(c.w, ", n_buffers {}", c.u32(at + 8)?);
    out!(c.w, ", n_tables {}", c.u8(at + 12)?);
    let caps = c.u32(at + 16)?;
    out!(c.w, "\n\t capabilities 0x{caps:08x}");
    let named = caps & CAPABILITIES_KNOWN;
    if named != 0 {
        c.put(" (");
        crate::dissect::ctl::put_bits_sep(c.w, CAPABILITIES, caps, "", ", ");
        c.put(")");
    }
    if caps & !CAPABILITIES_KNOWN != 0 {
        c.put(" (bogus)");
    }
    let actions = c.u32(at + 20)?;
    out!(c.w, "\n\t actions 0x{actions:08x}");
    c.bitmap(ACTION_BITS, actions);
    let (mut at, mut len) = (at + 24, len - 24);
    while len > 0 {
        if len < PHY_PORT {
            return c.invalid(at, len);
        }
        phy_port(c, at)?;
        (at, len) = (at + PHY_PORT, len - PHY_PORT);
    }
    Ok(())
}

fn switch_config(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    let flags = c.u16(at)?;
    c.put("\n\t flags ");
    c.tok(CONFIG_FLAGS, flags, |v| format!("invalid (0x{v:04x})"));
    out!(c.w, ", miss_send_len {}", c.u16(at + 2)?);
    Ok(())
}

/// A flow match (40 bytes): each field its wildcards do not hide.
fn flow_match(c: &mut Ctx<'_, '_>, pfx: &str, at: usize) -> Res<()> {
    let wild = c.u32(at)?;
    if wild & !WILDCARDS_ALL != 0 {
        out!(c.w, "{pfx}wildcards 0x{wild:08x} (bogus)");
    }
    let shown = |bit: u32| wild & bit == 0;
    if shown(1 << 0) {
        port_at(c, &format!("{pfx}match in_port "), at + 4)?;
    }
    if shown(1 << 2) {
        c.mac(&format!("{pfx}match dl_src "), at + 6)?;
    }
    if shown(1 << 3) {
        c.mac(&format!("{pfx}match dl_dst "), at + 12)?;
    }
    if shown(1 << 1) {
        let v = c.u16(at + 18)?;
        out!(c.w, "{pfx}match dl_vlan ");
        vlan(c, v);
    }
    if shown(1 << 20) {
        let v = c.u8(at + 20)?;
        out!(c.w, "{pfx}match dl_vlan_pcp ");
        pcp(c, v);
    }
    let dl_type = c.u16(at + 22)?;
    let typed = shown(1 << 4);
    if typed {
        out!(c.w, "{pfx}match dl_type 0x{dl_type:04x}");
    }
    if shown(1 << 21) {
        out!(c.w, "{pfx}match nw_tos 0x{:02x}", c.u8(at + 24)?);
    }
    let proto = c.u8(at + 25)?;
    let with_proto = shown(1 << 5);
    if with_proto {
        let field = if typed && dl_type == 0x0806 {
            "arp_opcode"
        } else {
            "nw_proto"
        };
        out!(c.w, "{pfx}match {field} {proto}");
    }
    for (shift, field, off) in [(8, "nw_src", 28), (14, "nw_dst", 32)] {
        let bits = (wild >> shift) & 0x3f;
        if bits < 32 {
            c.ipv4(&format!("{pfx}match {field} "), at + off)?;
            out!(c.w, "/{}", 32 - bits);
        }
    }
    let icmp = typed && dl_type == 0x0800 && with_proto && proto == 1;
    if shown(1 << 6) {
        let field = if icmp { "icmp_type" } else { "tp_src" };
        out!(c.w, "{pfx}match {field} {}", c.u16(at + 36)?);
    }
    if shown(1 << 7) {
        let field = if icmp { "icmp_code" } else { "tp_dst" };
        out!(c.w, "{pfx}match {field} {}", c.u16(at + 38)?);
    } else {
        c.need(at + 38, 2)?;
    }
    Ok(())
}

/// An action list of `len` bytes.
fn actions(c: &mut Ctx<'_, '_>, pfx: &str, at: usize, len: usize) -> Res<()> {
    let (mut at, mut len) = (at, len);
    while len > 0 {
        if len < ACTION_MIN {
            return c.invalid(at, len);
        }
        let kind = c.u16(at)?;
        out!(c.w, "{pfx}action type ");
        c.tok(ACTIONS, kind, |v| format!("invalid (0x{v:04x})"));
        let alen = usize::from(c.u16(at + 2)?);
        out!(c.w, ", len {alen}");
        (at, len) = (at + 4, len - 4);
        if alen < ACTION_MIN || alen > len + 4 {
            return c.invalid(at, len);
        }
        let want = match kind {
            0..=3 | 6..=10 => Some(alen == 8),
            4 | 5 | 11 => Some(alen == 16),
            0xffff => Some(alen % 8 == 0),
            _ => None,
        };
        if want != Some(true) {
            if want.is_some() {
                c.put(" (bogus)");
            }
            c.need(at, alen - 4)?;
            (at, len) = (at + alen - 4, len - (alen - 4));
            continue;
        }
        match kind {
            0 => {
                let out_port = c.u16(at)?;
                c.put(", port ");
                port(c, out_port);
                if out_port == 0xfffd {
                    out!(c.w, ", max_len {}", c.u16(at + 2)?);
                } else {
                    c.need(at + 2, 2)?;
                }
            }
            1 => {
                let v = c.u16(at)?;
                c.put(", vlan_vid ");
                vlan(c, v);
                c.need(at + 2, 2)?;
            }
            2 => {
                let v = c.u8(at)?;
                c.put(", vlan_pcp ");
                pcp(c, v);
                c.need(at + 1, 3)?;
            }
            4 | 5 => {
                c.mac(", dl_addr ", at)?;
                c.need(at + 6, 6)?;
            }
            6 | 7 => {
                c.ipv4(", nw_addr ", at)?;
            }
            8 => {
                out!(c.w, ", nw_tos 0x{:02x}", c.u8(at)?);
                c.need(at + 1, 3)?;
            }
            9 | 10 => {
                out!(c.w, ", tp_port {}", c.u16(at)?);
                c.need(at + 2, 2)?;
            }
            11 => {
                port_at(c, ", port ", at)?;
                let q = c.u32(at + 8)?;
                c.put(", queue_id ");
                queue_id(c, q);
            }
            0xffff => vendor_action(c, at, alen - 4)?,
            // STRIP_VLAN: its padding only.
            _ => c.need(at, 4)?,
        }
        (at, len) = (at + alen - 4, len - (alen - 4));
    }
    Ok(())
}

fn queue_id(c: &mut Ctx<'_, '_>, q: u32) {
    if q == 0xffff_ffff {
        c.put("ALL");
    } else {
        out!(c.w, "{q}");
    }
}

/// A vendor id, then opaque data.
fn vendor_data(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    if len < 4 {
        return c.invalid(at, len);
    }
    let v = c.u32(at)?;
    out!(c.w, ", vendor 0x{v:08x} ({})", vendor_name(v));
    c.data(at + 4, len - 4)
}

/// A vendor message: its vendor, then its data (Big Switch's decoded).
fn vendor_message(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let v = c.u32(at)?;
    out!(c.w, ", vendor 0x{v:08x} ({})", vendor_name(v));
    match v {
        bsn::BSN => bsn::message(c, at + 4, len - 4),
        _ => c.data(at + 4, len - 4),
    }
}

/// A vendor action: as [`vendor_data`], Big Switch's decoded.
fn vendor_action(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    if len >= 4 && c.u32(at)? == bsn::BSN {
        out!(
            c.w,
            ", vendor 0x{:08x} ({})",
            bsn::BSN,
            vendor_name(bsn::BSN)
        );
        return bsn::action(c, at + 4, len - 4);
    }
    vendor_data(c, at, len)
}

fn flow_mod(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    flow_match(c, "\n\t ", at)?;
    let at = at + MATCH;
    out!(c.w, "\n\t cookie 0x{:016x}", c.u64(at)?);
    let command = c.u16(at + 8)?;
    c.put(", command ");
    c.tok(COMMANDS, command, |v| format!("invalid (0x{v:04x})"));
    for (field, off) in [("idle_timeout", 10), ("hard_timeout", 12), ("priority", 14)] {
        let v = c.u16(at + off)?;
        if v != 0 {
            out!(c.w, ", {field} {v}");
        }
    }
    if command <= 2 {
        let b = c.u32(at + 16)?;
        c.put(", buffer_id ");
        buffer_id(c, b);
    }
    if command == 3 || command == 4 {
        port_at(c, ", out_port ", at + 20)?;
    }
    let flags = c.u16(at + 22)?;
    out!(c.w, ", flags 0x{flags:04x}");
    c.bitmap(FLOW_MOD_FLAGS, u32::from(flags));
    actions(c, "\n\t ", at + 24, len - 64)
}

fn buffer_id(c: &mut Ctx<'_, '_>, b: u32) {
    if b == 0xffff_ffff {
        c.put("NONE");
    } else {
        out!(c.w, "0x{b:08x}");
    }
}

fn port_mod(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    let layout = super::PortMod {
        port: port_at,
        hw_addr: 2,
        bitmaps: 8,
        lead: "\n\t ",
        config: PORT_CONFIG,
        features: FEATURES,
    };
    super::port_mod(c, at, &layout)
}

fn queue_get_config_request(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    port_at(c, "\n\t port ", at)?;
    c.need(at + 2, 2)
}

fn queue_get_config_reply(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    port_at(c, "\n\t port ", at)?;
    c.need(at + 2, 6)?;
    let (mut at, mut len) = (at + 8, len - 8);
    while len > 0 {
        if len < QUEUE_MIN {
            return c.invalid(at, len);
        }
        out!(c.w, "\n\t  queue_id {}", c.u32(at)?);
        let desc = usize::from(c.u16(at + 4)?);
        out!(c.w, ", len {desc}");
        if desc < QUEUE_MIN || desc > len {
            return c.invalid(at + 6, len - 6);
        }
        c.need(at + 6, 2)?;
        if c.v >= 2 {
            queue_props(c, at + 8, desc - QUEUE_MIN)?;
        } else {
            c.need(at + 8, desc - QUEUE_MIN)?;
        }
        (at, len) = (at + desc, len - desc);
    }
    Ok(())
}

fn queue_props(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let (mut at, mut len) = (at, len);
    while len > 0 {
        if len < QUEUE_PROP_MIN {
            return c.invalid(at, len);
        }
        let prop = c.u16(at)?;
        c.put("\n\t   property ");
        c.tok(QUEUE_PROPS, prop, |v| format!("invalid (0x{v:04x})"));
        let plen = usize::from(c.u16(at + 2)?);
        out!(c.w, ", len {plen}");
        if plen < QUEUE_PROP_MIN || plen > len {
            return c.invalid(at + 4, len - 4);
        }
        c.need(at + 4, 4)?;
        let bogus = match prop {
            0 => Some(plen != QUEUE_PROP_MIN),
            1 => Some(plen != 16),
            _ => None,
        };
        if bogus != Some(false) {
            if bogus.is_some() {
                c.put(" (bogus)");
            }
            c.need(at + 8, plen - QUEUE_PROP_MIN)?;
        } else if prop == 1 {
            let rate = c.u16(at + 8)?;
            if rate > 1000 {
                c.put(", rate disabled");
            } else {
                out!(c.w, ", rate {}.{}%", rate / 10, rate % 10);
            }
            c.need(at + 10, 6)?;
        }
        (at, len) = (at + plen, len - plen);
    }
    Ok(())
}

fn stats_request(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let kind = c.u16(at)?;
    c.put("\n\t type ");
    c.tok(STATS, kind, |v| format!("invalid (0x{v:04x})"));
    let flags = c.u16(at + 2)?;
    out!(c.w, ", flags 0x{flags:04x}");
    if flags != 0 {
        c.put(" (bogus)");
    }
    let (at, len) = (at + 4, len - 4);
    let fixed = |want: usize| len == want;
    match kind {
        0 | 3 if !fixed(0) => c.invalid(at, len),
        1 | 2 if !fixed(44) => c.invalid(at, len),
        1 | 2 => {
            flow_match(c, "\n\t ", at)?;
            let t = c.u8(at + 40)?;
            c.put("\n\t table_id ");
            c.tok(TABLE_IDS, t, |v| v.to_string());
            port_at(c, ", out_port ", at + 42)
        }
        4 | 5 if !fixed(8) => c.invalid(at, len),
        4 => {
            port_at(c, "\n\t port_no ", at)?;
            c.need(at + 2, 6)
        }
        5 => {
            port_at(c, "\n\t port_no ", at)?;
            let q = c.u32(at + 4)?;
            c.put(", queue_id ");
            queue_id(c, q);
            Ok(())
        }
        0xffff => vendor_data(c, at, len),
        _ => Ok(()),
    }
}

fn stats_reply(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let kind = c.u16(at)?;
    c.put("\n\t type ");
    c.tok(STATS, kind, |v| format!("invalid (0x{v:04x})"));
    let flags = c.u16(at + 2)?;
    out!(c.w, ", flags 0x{flags:04x}");
    c.bitmap(&[(1, "MORE")], u32::from(flags));
    let (at, len) = (at + 4, len - 4);
    match kind {
        0 => desc_stats(c, at, len),
        1 => flow_stats(c, at, len),
        2 => aggregate_stats(c, at, len),
        3 => table_stats(c, at, len),
        4 => port_stats(c, at, len),
        5 => queue_stats(c, at, len),
        0xffff => vendor_data(c, at, len),
        _ => c.need(at, len),
    }
}

fn desc_stats(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    if len != 4 * DESC_STR + SERIAL_NUM {
        return c.invalid(at, len);
    }
    let mut at = at;
    for (what, n) in [
        ("mfr_desc", DESC_STR),
        ("hw_desc", DESC_STR),
        ("sw_desc", DESC_STR),
        ("serial_num", SERIAL_NUM),
        ("dp_desc", DESC_STR),
    ] {
        out!(c.w, "\n\t  {what} ");
        c.name(at, n)?;
        at += n;
    }
    Ok(())
}

fn flow_stats(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let (mut at, mut len) = (at, len);
    while len > 0 {
        if len < FLOW_STATS_MIN {
            return c.invalid(at, len);
        }
        let entry = usize::from(c.u16(at)?);
        out!(c.w, "\n\t length {entry}");
        if entry < FLOW_STATS_MIN || entry > len {
            return c.invalid(at, len);
        }
        let t = c.u8(at + 2)?;
        c.put(", table_id ");
        c.tok(TABLE_IDS, t, |v| v.to_string());
        flow_match(c, "\n\t  ", at + 4)?;
        let b = at + 44;
        out!(c.w, "\n\t  duration_sec {}", c.u32(b)?);
        out!(c.w, ", duration_nsec {}", c.u32(b + 4)?);
        out!(c.w, ", priority {}", c.u16(b + 8)?);
        out!(c.w, ", idle_timeout {}", c.u16(b + 10)?);
        out!(c.w, ", hard_timeout {}", c.u16(b + 12)?);
        out!(c.w, ", cookie 0x{:016x}", c.u64(b + 20)?);
        out!(c.w, ", packet_count {}", c.u64(b + 28)?);
        out!(c.w, ", byte_count {}", c.u64(b + 36)?);
        actions(c, "\n\t  ", at + FLOW_STATS_MIN, entry - FLOW_STATS_MIN)?;
        (at, len) = (at + entry, len - entry);
    }
    Ok(())
}

fn aggregate_stats(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    if len != 24 {
        return c.invalid(at, len);
    }
    out!(c.w, "\n\t packet_count {}", c.u64(at)?);
    out!(c.w, ", byte_count {}", c.u64(at + 8)?);
    out!(c.w, ", flow_count {}", c.u32(at + 16)?);
    c.need(at + 20, 4)
}

fn table_stats(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let (mut at, mut len) = (at, len);
    while len > 0 {
        if len < TABLE_STATS {
            return c.invalid(at, len);
        }
        let t = c.u8(at)?;
        c.put("\n\t table_id ");
        c.tok(TABLE_IDS, t, |v| v.to_string());
        c.put(", name ");
        c.name(at + 4, 32)?;
        let wild = c.u32(at + 36)?;
        out!(c.w, "\n\t  wildcards 0x{wild:08x}");
        if wild & WILDCARDS_ALL != 0 {
            c.put(" (");
            crate::dissect::ctl::put_bits_sep(c.w, WILDCARDS, wild, "", ", ");
            c.put(")");
        }
        if wild & !WILDCARDS_ALL != 0 {
            c.put(" (bogus)");
        }
        out!(c.w, "\n\t  max_entries {}", c.u32(at + 40)?);
        out!(c.w, ", active_count {}", c.u32(at + 44)?);
        out!(c.w, ", lookup_count {}", c.u64(at + 48)?);
        out!(c.w, ", matched_count {}", c.u64(at + 56)?);
        (at, len) = (at + TABLE_STATS, len - TABLE_STATS);
    }
    Ok(())
}

fn port_stats(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let (mut at, mut len) = (at, len);
    while len > 0 {
        if len < PORT_STATS {
            return c.invalid(at, len);
        }
        port_at(c, "\n\t  port_no ", at)?;
        if c.v >= 2 {
            for (i, what) in [
                "rx_packets",
                "tx_packets",
                "rx_bytes",
                "tx_bytes",
                "rx_dropped",
                "tx_dropped",
                "rx_errors",
                "tx_errors",
                "rx_frame_err",
                "rx_over_err",
                "rx_crc_err",
                "collisions",
            ]
            .iter()
            .enumerate()
            {
                out!(c.w, ", {what} {}", c.u64(at + 8 + 8 * i)?);
            }
        } else {
            c.need(at + 2, PORT_STATS - 2)?;
        }
        (at, len) = (at + PORT_STATS, len - PORT_STATS);
    }
    Ok(())
}

fn queue_stats(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let (mut at, mut len) = (at, len);
    while len > 0 {
        if len < QUEUE_STATS {
            return c.invalid(at, len);
        }
        port_at(c, "\n\t  port_no ", at)?;
        out!(c.w, ", queue_id {}", c.u32(at + 4)?);
        out!(c.w, ", tx_bytes {}", c.u64(at + 8)?);
        out!(c.w, ", tx_packets {}", c.u64(at + 16)?);
        out!(c.w, ", tx_errors {}", c.u64(at + 24)?);
        (at, len) = (at + QUEUE_STATS, len - QUEUE_STATS);
    }
    Ok(())
}

/// A frame a switch hands up or is told to send: its length; from `-vvv`
/// on the frame itself, decoded by the line printer's Ethernet printer
/// three levels lower (tcpdump's `ether_print` with `vflag - 3`), where
/// this text says ([`nested`]). Its bytes are not checked here: the
/// Ethernet printer says where the capture cut them.
fn packet_data(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    if len == 0 {
        return Ok(());
    }
    out!(c.w, "\n\t data ({len} octets)");
    if c.v < 3 {
        return c.need(at, len);
    }
    c.put(", frame decoding below\n");
    let frame = nested::Frame {
        at: c.w.len(),
        start: at,
        len,
        kind: nested::FrameKind::Ethernet,
        // tcpdump's `ether_print` here runs with `vflag - 3`.
        lower: 3,
    };
    nested::hand_over(frame);
    Ok(())
}

fn packet_out(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    out!(c.w, "\n\t buffer_id 0x{:08x}", c.u32(at)?);
    port_at(c, ", in_port ", at + 4)?;
    let alen = usize::from(c.u16(at + 6)?);
    let (at, len) = (at + 8, len - 8);
    if alen > len {
        return c.invalid(at, len);
    }
    actions(c, "\n\t ", at, alen)?;
    packet_data(c, at + alen, len - alen)
}

fn packet_in(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let b = c.u32(at)?;
    c.put("\n\t buffer_id ");
    buffer_id(c, b);
    out!(c.w, ", total_len {}", c.u16(at + 4)?);
    port_at(c, ", in_port ", at + 6)?;
    let r = c.u8(at + 8)?;
    c.put(", reason ");
    c.tok(PACKET_IN_REASONS, r, |v| format!("invalid (0x{v:02x})"));
    c.need(at + 9, 1)?;
    packet_data(c, at + 10, len - 10)
}

fn flow_removed(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    flow_match(c, "\n\t ", at)?;
    let at = at + MATCH;
    out!(c.w, "\n\t cookie 0x{:016x}", c.u64(at)?);
    let prio = c.u16(at + 8)?;
    if prio != 0 {
        out!(c.w, ", priority {prio}");
    }
    let r = c.u8(at + 10)?;
    c.put(", reason ");
    c.tok(REMOVED_REASONS, r, |v| format!("unknown (0x{v:02x})"));
    out!(c.w, ", duration_sec {}", c.u32(at + 12)?);
    out!(c.w, ", duration_nsec {}", c.u32(at + 16)?);
    let idle = c.u16(at + 20)?;
    if idle != 0 {
        out!(c.w, ", idle_timeout {idle}");
    }
    out!(c.w, ", packet_count {}", c.u64(at + 24)?);
    out!(c.w, ", byte_count {}", c.u64(at + 32)?);
    Ok(())
}

fn port_status(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    // Read before the words: tcpdump's GET is an argument of the print.
    let r = c.u8(at)?;
    c.put("\n\t reason ");
    c.tok(PORT_REASONS, r, |v| format!("invalid (0x{v:02x})"));
    phy_port(c, at + 8)
}

fn error(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    super::error(c, (at, len), ERROR_TYPES, ERROR_CODES)
}
