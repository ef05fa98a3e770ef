//! Big Switch Networks' OpenFlow 1.0 extensions (vendor 0x005c16c7), the
//! only vendor whose messages and actions tcpdump 4.99 decodes (Nicira's
//! and the others' are named, their data left opaque): the subtype by
//! name, then the fields of the subtypes whose layout tcpdump knows — IP
//! masks, mirroring, shell commands and their output and status, virtual
//! port removal, the bodiless requests — each length checked as tcpdump
//! does (` (invalid)` and the rest skipped); the MIRROR action's port,
//! VLAN tag and copy stage.

use super::Ctx;
use crate::dissect::ctl::out;
use crate::dissect::dns::text::put_chars;
use crate::dissect::wire::Res;

/// Big Switch Networks' OUI, its vendor id.
pub(super) const BSN: u32 = 0x005c_16c7;

const SUBTYPES: &[(u32, &str)] = &[
    (0, "SET_IP_MASK"),
    (1, "GET_IP_MASK_REQUEST"),
    (2, "GET_IP_MASK_REPLY"),
    (3, "SET_MIRRORING"),
    (4, "GET_MIRRORING_REQUEST"),
    (5, "GET_MIRRORING_REPLY"),
    (6, "SHELL_COMMAND"),
    (7, "SHELL_OUTPUT"),
    (8, "SHELL_STATUS"),
    (9, "GET_INTERFACES_REQUEST"),
    (10, "GET_INTERFACES_REPLY"),
    (11, "SET_PKTIN_SUPPRESSION_REQUEST"),
    (12, "SET_L2_TABLE_REQUEST"),
    (13, "GET_L2_TABLE_REQUEST"),
    (14, "GET_L2_TABLE_REPLY"),
    (15, "VIRTUAL_PORT_CREATE_REQUEST"),
    (16, "VIRTUAL_PORT_CREATE_REPLY"),
    (17, "VIRTUAL_PORT_REMOVE_REQUEST"),
    (18, "BW_ENABLE_SET_REQUEST"),
    (19, "BW_ENABLE_GET_REQUEST"),
    (20, "BW_ENABLE_GET_REPLY"),
    (21, "BW_CLEAR_DATA_REQUEST"),
    (22, "BW_CLEAR_DATA_REPLY"),
    (23, "BW_ENABLE_SET_REPLY"),
    (24, "SET_L2_TABLE_REPLY"),
    (25, "SET_PKTIN_SUPPRESSION_REPLY"),
    (26, "VIRTUAL_PORT_REMOVE_REPLY"),
    (27, "HYBRID_GET_REQUEST"),
    (28, "HYBRID_GET_REPLY"),
    (31, "PDU_TX_REQUEST"),
    (32, "PDU_TX_REPLY"),
    (33, "PDU_RX_REQUEST"),
    (34, "PDU_RX_REPLY"),
    (35, "PDU_RX_TIMEOUT"),
];

const ACTION_SUBTYPES: &[(u32, &str)] = &[(1, "MIRROR"), (2, "SET_TUNNEL_DST"), (4, "CHECKSUM")];

const ON_OFF: &[(u8, &str)] = &[(0, "OFF"), (1, "ON")];

const COPY_STAGES: &[(u8, &str)] = &[(0, "INGRESS"), (1, "EGRESS")];

/// The subtype word: `lead`, `subtype` and its name.
fn subtype(c: &mut Ctx<'_, '_>, lead: &str, at: usize, table: &[(u32, &'static str)]) -> Res<u32> {
    let v = c.u32(at)?;
    out!(c.w, "{lead}subtype ");
    c.tok(table, v, |v| format!("unknown (0x{v:08x})"));
    Ok(v)
}

/// A BSN message's data after its vendor id.
pub(super) fn message(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    if len < 4 {
        return c.invalid(at, len);
    }
    let kind = subtype(c, "\n\t ", at, SUBTYPES)?;
    let (at, len) = (at + 4, len - 4);
    let exact = |want: usize| len == want;
    match kind {
        0..=2 if !exact(8) => c.invalid(at, len),
        1 => {
            out!(c.w, ", index {}", c.u8(at)?);
            c.need(at + 1, 7)
        }
        0 | 2 => {
            out!(c.w, ", index {}", c.u8(at)?);
            c.ipv4(", mask ", at + 4)
        }
        3..=5 if !exact(4) => c.invalid(at, len),
        3..=5 => {
            let v = c.u8(at)?;
            c.put(", report_mirror_ports ");
            c.tok(ON_OFF, v, |v| format!("bogus ({v})"));
            c.need(at + 1, 3)
        }
        9 | 13 | 19 | 21 | 27 if !exact(0) => c.invalid(at, len),
        17 | 8 if !exact(4) => c.invalid(at, len),
        17 => {
            out!(c.w, ", vport_no {}", c.u32(at)?);
            Ok(())
        }
        8 => {
            out!(c.w, ", status 0x{:08x}", c.u32(at)?);
            Ok(())
        }
        6 if len < 4 => c.invalid(at, len),
        6 => {
            out!(c.w, ", service {}", c.u32(at)?);
            text(c, at + 4, len - 4)
        }
        7 => text(c, at, len),
        9 | 13 | 19 | 21 | 27 => Ok(()),
        _ => c.need(at, len),
    }
}

/// tcpdump's `nd_printn` in quotes: every byte escaped, NULs too.
fn text(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    c.put(", data '");
    put_chars(c.w, c.m, at, len)?;
    c.put("'");
    Ok(())
}

/// A BSN action's data after its vendor id.
pub(super) fn action(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    if len < 4 {
        return c.invalid(at, len);
    }
    let kind = subtype(c, "\n\t  ", at, ACTION_SUBTYPES)?;
    let (at, len) = (at + 4, len - 4);
    if kind != 1 {
        return c.need(at, len);
    }
    if len != 12 {
        return c.invalid(at, len);
    }
    out!(c.w, ", dest_port {}", c.u32(at)?);
    let tag = c.u32(at + 4)?;
    let (tpid, tci) = ((tag >> 16) as u16, tag as u16);
    match tpid {
        0 => c.put(", vlan_tag none"),
        0x8100 => {
            let dei = if tci & 0x1000 != 0 { ", DEI" } else { "" };
            let (vid, pcp) = (tci & 0xfff, tci >> 13);
            out!(c.w, ", vlan_tag 802.1Q (vlan {vid}, p {pcp}{dei})");
        }
        _ => out!(c.w, ", vlan_tag unknown (0x{tpid:04x})"),
    }
    let stage = c.u8(at + 8)?;
    c.put(", copy_stage ");
    c.tok(COPY_STAGES, stage, |v| format!("unknown ({v})"));
    c.need(at + 9, 3)
}
