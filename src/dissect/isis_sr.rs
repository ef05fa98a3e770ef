//! IS-IS segment routing (RFC 8667) as `tcpdump -n -v` prints it: the
//! prefix SID sub-TLV of the extended IP reachability TLVs, the LAN
//! adjacency SID sub-TLV of the extended IS reachability TLVs and the
//! SR-Capabilities sub-TLV of the router capability TLV (others of that
//! TLV in hex). tcpdump 4.99.3 decodes no other SR sub-TLV (the
//! point-to-point adjacency SID is `unknown subTLV #31`).

use super::ctl::{Bit, out, put_bits, tok};
use super::isis::{Cut, hex, put_id, u24};
use super::wire::{Res, need, u8_at, u32_at};

const PREFIX_SID_FLAGS: &[Bit] = &[
    (0x80, "Readvertisement"),
    (0x40, "Node"),
    (0x20, "No-PHP"),
    (0x10, "Explicit NULL"),
    (0x08, "Value"),
    (0x04, "Local"),
];
const VALUE: u8 = 0x08;

const ALGORITHMS: &[(u8, &str)] = &[(0, "SPF"), (1, "strict-SPF")];

const LAN_ADJ_SID_FLAGS: &[Bit] = &[
    (0x80, "Address family IPv6"),
    (0x40, "Backup"),
    (0x20, "Value"),
    (0x10, "Local significance"),
    (0x08, "Set of adjacencies"),
    (0x04, "Persistent"),
];

const SR_CAP_FLAGS: &[Bit] = &[(0x80, "ipv4"), (0x40, "ipv6")];

/// The prefix SID sub-TLV's value, `len` bytes at `at` (captured): flags,
/// algorithm, then a label (3 bytes, the V flag set) or an index (4). Too
/// short for it: tcpdump's ` [|isis]` and the end of the PDU.
pub(super) fn prefix_sid(w: &mut Vec<u8>, b: &[u8], at: usize, len: usize) -> Result<(), Cut> {
    let flags = u8_at(b, at)?;
    let algo = u8_at(b, at + 1)?;
    let label = flags & VALUE != 0;
    if len < if label { 5 } else { 6 } {
        w.extend_from_slice(b" [|isis]");
        return Err(Cut::Checked);
    }
    let sid = if label {
        u24(b, at + 2)?
    } else {
        u32_at(b, at + 2)?
    };
    w.extend_from_slice(b", Flags [");
    put_bits(w, PREFIX_SID_FLAGS, u32::from(flags), "None");
    out!(
        w,
        "], Algo {} ({algo}), {} {sid}",
        tok(ALGORITHMS, algo).unwrap_or("Unknown"),
        if label { "label" } else { "index" }
    );
    Ok(())
}

/// The LAN adjacency SID sub-TLV's value (8 bytes at least, captured):
/// flags, weight, the neighbor's system id, a label (V and L flags set)
/// or an index (neither), ` (invalid)` otherwise. `ind` is the sub-TLV's
/// indent.
pub(super) fn lan_adj_sid(
    w: &mut Vec<u8>,
    b: &[u8],
    at: usize,
    len: usize,
    ind: &str,
) -> Result<(), Cut> {
    let flags = u8_at(b, at)?;
    out!(w, "{ind}  Flags: [");
    put_bits(w, LAN_ADJ_SID_FLAGS, u32::from(flags), "none");
    out!(w, "]{ind}  Weight: {}", u8_at(b, at + 1)?);
    let id = at + 2;
    if len - 2 >= 6 {
        need(b, id, 6).map_err(|_| Cut::Checked)?;
        out!(w, "{ind}  Neighbor System-ID: ");
        put_id(w, b, id, 6)?;
    }
    match (flags & 0x20 != 0, flags & 0x10 != 0) {
        (true, true) => out!(w, "{ind}  Label: {}", u24(b, id + 6)?),
        (false, false) => out!(w, "{ind}  Index: {}", u32_at(b, id + 6)?),
        _ => w.extend_from_slice(b" (invalid)"),
    }
    Ok(())
}

/// The router capability TLV's sub-TLVs, `left` bytes from `p`:
/// SR-Capabilities decoded (flags, range, its SID/label sub-TLV), others
/// in hex. A value not all captured ends the TLV without a mark of its
/// own (tcpdump's `ND_TCHECK` there just returns).
pub(super) fn router_cap_subtlvs(
    w: &mut Vec<u8>,
    b: &[u8],
    mut p: usize,
    mut left: usize,
) -> Res<()> {
    while left >= 2 {
        let (st, sl) = (u8_at(b, p)?, usize::from(u8_at(b, p + 1)?));
        p += 2;
        left -= 2;
        out!(
            w,
            "\n\t\t{} subTLV #{st}, length: {sl}",
            if st == 2 {
                "SR-Capabilities"
            } else {
                "unknown"
            }
        );
        if sl > left || need(b, p, sl).is_err() {
            break;
        }
        if st == 2 {
            sr_capabilities(w, b, p, sl)?;
        } else {
            hex(w, b, p, sl, b"\n\t\t");
        }
        p += sl;
        left -= sl;
    }
    Ok(())
}

/// SR-Capabilities: flags and range, then SID/label sub-TLVs while five
/// bytes are left (tcpdump's count is a byte: a value under four wraps).
fn sr_capabilities(w: &mut Vec<u8>, b: &[u8], at: usize, len: usize) -> Res<()> {
    let flags = u8_at(b, at)?;
    let range = u24(b, at + 1)?;
    w.extend_from_slice(b", Flags [");
    put_bits(w, SR_CAP_FLAGS, u32::from(flags), "None");
    out!(w, "], Range {range}");
    let mut p = at + 4;
    let mut left = (len as u8).wrapping_sub(4);
    while left >= 5 {
        let (t, n) = (u8_at(b, p)?, u8_at(b, p + 1)?);
        left -= 2;
        p += 2;
        if n > left {
            break;
        }
        match (t, n) {
            (1, 3) => out!(w, ", SID value {}", u24(b, p)?),
            (1, 4) => out!(w, ", SID value {}", u32_at(b, p)?),
            (1, _) => out!(w, ", Unknown SID length{n}"),
            _ => hex(w, b, p, usize::from(n), b"\n\t\t  "),
        }
        p += usize::from(n);
        left -= n;
    }
    Ok(())
}
