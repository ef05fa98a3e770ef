//! OpenFlow 1.3's message types and the few bodies tcpdump 4.99 prints
//! at `-v`: hello elements (the version bitmap), errors, features,
//! configuration, port status and modification, table modification,
//! roles, asynchronous masks, queue configuration requests, echo data
//! and experimenter messages. The other types get their header and a
//! length check only, as in tcpdump.

use super::{Body, CONFIG_FLAGS, Ctx, MsgType, data};
use crate::dissect::ctl::out;
use crate::dissect::wire::Res;

const fn t(name: &'static str, fixed: bool, len: usize, body: Option<Body>) -> MsgType {
    MsgType::new(name, fixed, len, body)
}

/// A type tcpdump names but neither checks nor decodes.
const fn plain(name: &'static str) -> MsgType {
    t(name, false, 0, None)
}

pub(super) static TYPES: &[MsgType] = &[
    t("HELLO", false, 0, Some(hello)),
    t("ERROR", false, 4, Some(error)),
    t("ECHO_REQUEST", false, 0, Some(data)),
    t("ECHO_REPLY", false, 0, Some(data)),
    t("EXPERIMENTER", false, 8, Some(experimenter)),
    t("FEATURES_REQUEST", true, 0, None),
    t("FEATURES_REPLY", true, 24, Some(features_reply)),
    t("GET_CONFIG_REQUEST", true, 0, None),
    t("GET_CONFIG_REPLY", true, 4, Some(switch_config)),
    t("SET_CONFIG", true, 4, Some(switch_config)),
    plain("PACKET_IN"),
    plain("FLOW_REMOVED"),
    t("PORT_STATUS", true, 72, Some(port_status)),
    plain("PACKET_OUT"),
    plain("FLOW_MOD"),
    plain("GROUP_MOD"),
    t("PORT_MOD", true, 32, Some(port_mod)),
    t("TABLE_MOD", true, 8, Some(table_mod)),
    plain("MULTIPART_REQUEST"),
    plain("MULTIPART_REPLY"),
    t("BARRIER_REQUEST", true, 0, None),
    t("BARRIER_REPLY", true, 0, None),
    t(
        "QUEUE_GET_CONFIG_REQUEST",
        true,
        8,
        Some(queue_get_config_request),
    ),
    plain("QUEUE_GET_CONFIG_REPLY"),
    t("ROLE_REQUEST", true, 16, Some(role)),
    t("ROLE_REPLY", true, 16, Some(role)),
    t("GET_ASYNC_REQUEST", true, 0, None),
    t("GET_ASYNC_REPLY", true, 24, Some(async_masks)),
    t("SET_ASYNC", true, 24, Some(async_masks)),
    plain("METER_MOD"),
];

const CAPABILITIES: &[(u32, &str)] = &[
    (1 << 0, "FLOW_STATS"),
    (1 << 1, "TABLE_STATS"),
    (1 << 2, "PORT_STATS"),
    (1 << 3, "GROUP_STATS"),
    (1 << 5, "IP_REASM"),
    (1 << 6, "QUEUE_STATS"),
    (1 << 8, "PORT_BLOCKED"),
];

const TABLE_IDS: &[(u8, &str)] = &[(0xfe, "MAX"), (0xff, "ALL")];

const MISS_SEND_LEN: &[(u16, &str)] = &[(0xffe5, "MAX"), (0xffff, "NO_BUFFER")];

const PORT_CONFIG: &[(u32, &str)] = &[
    (1 << 0, "PORT_DOWN"),
    (1 << 2, "NO_RECV"),
    (1 << 5, "NO_FWD"),
    (1 << 6, "NO_PACKET_IN"),
];

const PORT_STATE: &[(u32, &str)] = &[(1 << 0, "LINK_DOWN"), (1 << 1, "BLOCKED"), (1 << 2, "LIVE")];

const FEATURES: &[(u32, &str)] = &[
    (1 << 0, "10MB_HD"),
    (1 << 1, "10MB_FD"),
    (1 << 2, "100MB_HD"),
    (1 << 3, "100MB_FD"),
    (1 << 4, "1GB_HD"),
    (1 << 5, "1GB_FD"),
    (1 << 6, "10GB_FD"),
    (1 << 7, "40GB_FD"),
    (1 << 8, "100GB_FD"),
    (1 << 9, "1TB_FD"),
    (1 << 10, "OTHER"),
    (1 << 11, "COPPER"),
    (1 << 12, "FIBER"),
    (1 << 13, "AUTONEG"),
    (1 << 14, "PAUSE"),
    (1 << 15, "PAUSE_ASYM"),
];

const ROLES: &[(u32, &str)] = &[(0, "NOCHANGE"), (1, "EQUAL"), (2, "MASTER"), (3, "SLAVE")];

const VERSION_BITS: &[(u32, &str)] = &[
    (1 << 0, "1.0"),
    (1 << 1, "1.1"),
    (1 << 2, "1.2"),
    (1 << 3, "1.3"),
    (1 << 4, "1.4"),
    (1 << 5, "1.5"),
];

const PACKET_IN_REASONS: &[(u32, &str)] = &[
    (1 << 0, "NO_MATCH"),
    (1 << 1, "ACTION"),
    (1 << 2, "INVALID_TTL"),
];

const PORT_REASONS: &[(u32, &str)] = &[(1 << 0, "ADD"), (1 << 1, "DELETE"), (1 << 2, "MODIFY")];

const PORT_STATUS_REASONS: &[(u8, &str)] = &[(0, "ADD"), (1, "DELETE"), (2, "MODIFY")];

const ERROR_TYPES: &[(u16, &str)] = &[
    (0, "HELLO_FAILED"),
    (1, "BAD_REQUEST"),
    (2, "BAD_ACTION"),
    (3, "BAD_INSTRUCTION"),
    (4, "BAD_MATCH"),
    (5, "FLOW_MOD_FAILED"),
    (6, "GROUP_MOD_FAILED"),
    (7, "PORT_MOD_FAILED"),
    (8, "TABLE_MOD_FAILED"),
    (9, "QUEUE_OP_FAILED"),
    (10, "SWITCH_CONFIG_FAILED"),
    (11, "ROLE_REQUEST_FAILED"),
    (12, "METER_MOD_FAILED"),
    (13, "TABLE_FEATURES_FAILED"),
    (0xffff, "EXPERIMENTER"),
];

/// Each error type's codes, by type number (EXPERIMENTER has none).
const ERROR_CODES: &[&[&str]] = &[
    super::HELLO_FAILED_CODES,
    &[
        "BAD_VERSION",
        "BAD_TYPE",
        "BAD_MULTIPART",
        "BAD_EXPERIMENTER",
        "BAD_EXP_TYPE",
        "EPERM",
        "BAD_LEN",
        "BUFFER_EMPTY",
        "BUFFER_UNKNOWN",
        "BAD_TABLE_ID",
        "IS_SLAVE",
        "BAD_PORT",
        "BAD_PACKET",
        "MULTIPART_BUFFER_OVERFLOW",
    ],
    &[
        "BAD_TYPE",
        "BAD_LEN",
        "BAD_EXPERIMENTER",
        "BAD_EXP_TYPE",
        "BAD_OUT_PORT",
        "BAD_ARGUMENT",
        "EPERM",
        "TOO_MANY",
        "BAD_QUEUE",
        "BAD_OUT_GROUP",
        "MATCH_INCONSISTENT",
        "UNSUPPORTED_ORDER",
        "BAD_TAG",
        "BAD_SET_TYPE",
        "BAD_SET_LEN",
        "BAD_SET_ARGUMENT",
    ],
    &[
        "UNKNOWN_INST",
        "UNSUP_INST",
        "BAD_TABLE_ID",
        "UNSUP_METADATA",
        "UNSUP_METADATA_MASK",
        "BAD_EXPERIMENTER",
        "BAD_EXP_TYPE",
        "BAD_LEN",
        "EPERM",
    ],
    &[
        "BAD_TYPE",
        "BAD_LEN",
        "BAD_TAG",
        "BAD_DL_ADDR_MASK",
        "BAD_NW_ADDR_MASK",
        "BAD_WILDCARDS",
        "BAD_FIELD",
        "BAD_VALUE",
        "BAD_MASK",
        "BAD_PREREQ",
        "DUP_FIELD",
        "EPERM",
    ],
    &[
        "UNKNOWN",
        "TABLE_FULL",
        "BAD_TABLE_ID",
        "OVERLAP",
        "EPERM",
        "BAD_TIMEOUT",
        "BAD_COMMAND",
        "BAD_FLAGS",
    ],
    &[
        "GROUP_EXISTS",
        "INVALID_GROUP",
        "WEIGHT_UNSUPPORTED",
        "OUT_OF_GROUPS",
        "OUT_OF_BUCKETS",
        "CHAINING_UNSUPPORTED",
        "WATCH_UNSUPPORTED",
        "LOOP",
        "UNKNOWN_GROUP",
        "CHAINED_GROUP",
        "BAD_TYPE",
        "BAD_COMMAND",
        "BAD_BUCKET",
        "BAD_MATCH",
        "EPERM",
    ],
    &[
        "BAD_PORT",
        "BAD_HW_ADDR",
        "BAD_CONFIG",
        "BAD_ADVERTISE",
        "EPERM",
    ],
    &["BAD_TABLE", "BAD_CONFIG", "EPERM"],
    super::QUEUE_OP_FAILED_CODES,
    &["BAD_FLAGS", "BAD_LEN", "EPERM"],
    &["STALE", "UNSUP", "BAD_ROLE"],
    &[
        "UNKNOWN",
        "METER_EXISTS",
        "INVALID_METER",
        "UNKNOWN_METER",
        "BAD_COMMAND",
        "BAD_FLAGS",
        "BAD_RATE",
        "BAD_BURST",
        "BAD_BAND",
        "BAD_BAND_VALUE",
        "OUT_OF_METERS",
        "OUT_OF_BANDS",
    ],
    &[
        "BAD_TABLE",
        "BAD_METADATA",
        "BAD_TYPE",
        "BAD_LEN",
        "BAD_ARGUMENT",
        "EPERM",
    ],
];

/// `prefix` and the port number at `at`, read first.
fn port(c: &mut Ctx<'_, '_>, prefix: &str, at: usize) -> Res<()> {
    let n = c.u32(at)?;
    c.put(prefix);
    super::put_port(c, n, 0xffff_ffff, "ANY");
    Ok(())
}

/// One port (64 bytes); its bitmaps and speeds at `-vv`.
fn port_desc(c: &mut Ctx<'_, '_>, at: usize) -> Res<()> {
    port(c, "\n\t  port_no ", at)?;
    c.mac(", hw_addr ", at + 8)?;
    c.put(", name ");
    // tcpdump's `nd_print` here: up to a NUL, unprintable bytes escaped.
    c.name(at + 16, 16)?;
    let at = at + 32;
    if c.v < 2 {
        return c.need(at, 32);
    }
    c.bitmaps(
        at,
        "\n\t   ",
        &[
            ("config", PORT_CONFIG),
            ("state", PORT_STATE),
            ("curr", FEATURES),
            ("advertised", FEATURES),
            ("supported", FEATURES),
            ("peer", FEATURES),
        ],
    )?;
    out!(c.w, "\n\t   curr_speed {}kbps", c.u32(at + 24)?);
    out!(c.w, "\n\t   max_speed {}kbps", c.u32(at + 28)?);
    Ok(())
}

fn features_reply(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    out!(c.w, "\n\t dpid 0x{:016x}", c.u64(at)?);
    out!(c.w, ", n_buffers {}", c.u32(at + 8)?);
    out!(c.w, ", n_tables {}", c.u8(at + 12)?);
    out!(c.w, ", auxiliary_id {}", c.u8(at + 13)?);
    let caps = c.u32(at + 16)?;
    out!(c.w, "\n\t capabilities 0x{caps:08x}");
    c.bitmap(CAPABILITIES, caps);
    c.need(at + 20, 4)
}

fn switch_config(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    let flags = c.u16(at)?;
    c.put("\n\t flags ");
    c.tok(CONFIG_FLAGS, flags, |v| format!("invalid (0x{v:04x})"));
    let n = c.u16(at + 2)?;
    c.put(", miss_send_len ");
    c.tok(MISS_SEND_LEN, n, |v| v.to_string());
    Ok(())
}

fn table_mod(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    let id = c.u8(at)?;
    c.put("\n\t table_id ");
    c.tok(TABLE_IDS, id, |v| v.to_string());
    out!(c.w, ", config 0x{:08x}", c.u32(at + 4)?);
    Ok(())
}

fn role(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    let r = c.u32(at)?;
    c.put("\n\t role ");
    c.tok(ROLES, r, |v| format!("invalid (0x{v:08x})"));
    out!(c.w, ", generation_id 0x{:016x}", c.u64(at + 8)?);
    Ok(())
}

fn async_masks(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    c.bitmaps(
        at,
        "\n\t ",
        &[
            ("packet_in_mask[EM]", PACKET_IN_REASONS),
            ("packet_in_mask[S]", PACKET_IN_REASONS),
            ("port_status_mask[EM]", PORT_REASONS),
            ("port_status_mask[S]", PORT_REASONS),
            ("flow_removed_mask[EM]", PORT_REASONS),
            ("flow_removed_mask[S]", PORT_REASONS),
        ],
    )?;
    Ok(())
}

fn port_mod(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    let layout = super::PortMod {
        port,
        hw_addr: 8,
        bitmaps: 16,
        lead: "\n\t  ",
        config: PORT_CONFIG,
        features: FEATURES,
    };
    super::port_mod(c, at, &layout)
}

fn port_status(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    let r = c.u8(at)?;
    c.put("\n\t reason ");
    // tcpdump's format string lacks its `%` here: the words print as is.
    c.tok(PORT_STATUS_REASONS, r, |_| "invalid (0x02x)".to_string());
    port_desc(c, at + 8)
}

fn hello(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let (mut at, mut len) = (at, len);
    while len > 0 {
        if len < 4 {
            return c.invalid(at, len);
        }
        let kind = c.u16(at)?;
        match kind {
            1 => c.put("\n\t type VERSIONBITMAP"),
            _ => out!(c.w, "\n\t type unknown (0x{kind:04x})"),
        }
        let elen = usize::from(c.u16(at + 2)?);
        out!(c.w, ", length {elen}");
        (at, len) = (at + 4, len - 4);
        if elen < 4 || elen > 4 + len {
            return c.invalid(at, len);
        }
        if kind == 1 && elen == 8 {
            let bitmap = c.u32(at)?;
            out!(c.w, ", bitmap 0x{bitmap:08x}");
            c.bitmap(VERSION_BITS, bitmap);
        } else {
            if kind == 1 {
                c.put(" (bogus)");
            }
            c.need(at, elen - 4)?;
        }
        (at, len) = (at + elen - 4, len - (elen - 4));
    }
    Ok(())
}

fn experimenter(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    let e = c.u32(at)?;
    out!(
        c.w,
        "\n\t experimenter 0x{e:08x} ({})",
        super::v10::vendor_name(e)
    );
    out!(c.w, ", exp_type 0x{:08x}", c.u32(at + 4)?);
    c.data(at + 8, len - 8)
}

fn queue_get_config_request(c: &mut Ctx<'_, '_>, at: usize, _len: usize) -> Res<()> {
    port(c, "\n\t port ", at)?;
    c.need(at + 4, 4)
}

fn error(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    super::error(c, (at, len), ERROR_TYPES, ERROR_CODES)
}
