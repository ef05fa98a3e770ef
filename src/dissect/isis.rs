//! IS-IS (ISO 10589, RFC 1195) as `tcpdump -n` prints it, carried in ISO
//! CLNS frames (LLC SAP 0xfe, the NLPID first): the default line names the
//! PDU and its identifiers (`IS-IS, L1 Lan IIH, src-id 1921.6800.1001,
//! lan-id 1921.6800.1001.01, prio 64, length 1497`); `-v` adds the fixed
//! header and every TLV (area addresses, IS and IP reachability old and
//! extended, protocols supported, interface addresses, hostname, LSP
//! entries, authentication, multi-topology …; segment routing's sub-TLVs
//! in `isis_sr`, SPB's TLVs in `isis_spb`); `-vv` adds tcpdump's hex
//! dumps of the headers and each TLV. CLNP and ES-IS go to their own
//! printers (`clnp`, `esis`), other NLPIDs are named and dumped as
//! tcpdump dumps an unknown one. Zeek has no IS-IS analyzer: no
//! `service`.

use super::clnp::{NLPID_CLNP, clnp};
use super::ctl::{Bit, json_object, out, put_bits, put_text_nul, tok};
use super::dns::text::{put_hex_dump, put_ipv6};
use super::esis::{NLPID_ESIS, esis};
use super::lldp::OUIS;
use super::ospf::opaque::{BC_MODELS, ENCODINGS, PROTECTION, SWITCH_CAPS, put_mbps};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use super::{isis_spb, isis_sr};
use serde_json::{Map, Value, json};

/// Frames to LLC SAP 0xfe (ISO network layer), IS-IS among them.
pub static ISOCLNS: Dissector = Dissector {
    name: "isis",
    json_key: "isis",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.first() == Some(&NLPID_ISIS),
};

const NLPID_NULLNS: u8 = 0x00;
const NLPID_Q933: u8 = 0x08;
const NLPID_ISIS: u8 = 0x83;

/// tcpdump's names of the network layer protocol identifiers.
const NLPIDS: &[(u8, &str)] = &[
    (0x00, "NULL"),
    (0x08, "Q.933"),
    (0x09, "LMI"),
    (0x80, "SNAP"),
    (0x81, "CLNP"),
    (0x82, "ES-IS"),
    (0x83, "IS-IS"),
    (0x84, "CONS"),
    (0x85, "IDRP"),
    (0xc1, "ISIS_SPB"),
    (0xb1, "FRF.15"),
    (0xcc, "IPv4"),
    (0xcf, "PPP"),
    (0x8a, "X25 ES-IS"),
    (0x8e, "IPv6"),
];

const PDU_TYPES: &[(u8, &str)] = &[
    (15, "L1 Lan IIH"),
    (16, "L2 Lan IIH"),
    (17, "p2p IIH"),
    (18, "L1 LSP"),
    (20, "L2 LSP"),
    (24, "L1 CSNP"),
    (25, "L2 CSNP"),
    (26, "L1 PSNP"),
    (27, "L2 PSNP"),
];

const TLV_NAMES: &[(u8, &str)] = &[
    (1, "Area address(es)"),
    (2, "IS Reachability"),
    (3, "ES Neighbor(s)"),
    (4, "Partition DIS"),
    (5, "Prefix Neighbors"),
    (6, "IS Neighbor(s)"),
    (7, "Instance Identifier"),
    (8, "Padding"),
    (9, "LSP entries"),
    (10, "Authentication"),
    (12, "Checksum"),
    (13, "Purge Originator Identifier"),
    (14, "LSP Buffersize"),
    (22, "Extended IS Reachability"),
    (24, "IS Alias ID"),
    (42, "DECnet Phase IV"),
    (66, "Lucent Proprietary"),
    (128, "IPv4 Internal Reachability"),
    (129, "Protocols supported"),
    (130, "IPv4 External Reachability"),
    (131, "Inter-Domain Information Type"),
    (132, "IPv4 Interface address(es)"),
    (133, "IPv4 authentication (deprecated)"),
    (134, "Traffic Engineering Router ID"),
    (135, "Extended IPv4 Reachability"),
    (137, "Hostname"),
    (138, "Shared Risk Link Group"),
    (143, "Multi-Topology-Aware Port Capability"),
    (144, "Multi-Topology Capability"),
    (176, "Nortel Proprietary"),
    (177, "Nortel Proprietary"),
    (211, "Restart Signaling"),
    (222, "Multi Topology IS Reachability"),
    (229, "Multi Topology"),
    (232, "IPv6 Interface address(es)"),
    (235, "Multi-Topology IPv4 Reachability"),
    (236, "IPv6 reachability"),
    (237, "Multi-Topology IP6 Reachability"),
    (240, "Point-to-point Adjacency State"),
    (241, "Hello PDU Sequence Number"),
    (242, "IS-IS Router Capability"),
    (250, "Vendor Private"),
];

const EXT_IS_SUBTLVS: &[(u8, &str)] = &[
    (3, "Administrative groups"),
    (4, "Link Local/Remote Identifier"),
    (5, "Link Remote Identifier"),
    (6, "IPv4 interface address"),
    (8, "IPv4 neighbor address"),
    (9, "Maximum link bandwidth"),
    (10, "Reservable link bandwidth"),
    (11, "Unreserved bandwidth"),
    (18, "Traffic Engineering Metric"),
    (19, "Link Attribute"),
    (20, "Link Protection Type"),
    (21, "Interface Switching Capability"),
    (12, "Bandwidth Constraints (old)"),
    (22, "Bandwidth Constraints"),
    (32, "LAN Adjacency Segment Identifier"),
    (29, "SPB Metric"),
    (250, "Reserved for cisco specific extensions"),
    (251, "Reserved for cisco specific extensions"),
    (252, "Reserved for cisco specific extensions"),
    (253, "Reserved for cisco specific extensions"),
    (254, "Reserved for cisco specific extensions"),
    (255, "Reserved for future expansion"),
];

const EXT_IP_SUBTLVS: &[(u8, &str)] = &[
    (1, "32-Bit Administrative tag"),
    (2, "64-Bit Administrative tag"),
    (3, "Prefix SID"),
    (117, "Management Prefix Color"),
];

const LINK_ATTRIBUTES: &[Bit] = &[
    (0x01, "Local Protection Available"),
    (0x02, "Link excluded from local protection path"),
    (0x04, "Local maintenance required"),
];

const AUTH_TYPES: &[(u8, &str)] = &[
    (1, "simple text password"),
    (3, "Generic Crypto key-id"),
    (54, "HMAC-MD5 password"),
    (255, "Routing Domain private password"),
];

const MT_IDS: &[(u16, &str)] = &[
    (0, "IPv4 unicast"),
    (1, "In-Band Management"),
    (2, "IPv6 unicast"),
    (3, "Multicast"),
    (4095, "Development, Experimental or Proprietary"),
];

const MT_FLAGS: &[Bit] = &[(0x4000, "ATT bit set"), (0x8000, "Overload bit set")];

const CIRCUIT_TYPES: &[(u8, &str)] = &[
    (1, "Level 1 only"),
    (2, "Level 2 only"),
    (3, "Level 1, Level 2"),
];

const LSP_IS_TYPES: [&str; 4] = [
    "Unused 0x0 (invalid)",
    "L1 IS",
    "Unused 0x2 (invalid)",
    "L2 IS",
];

const PTP_ADJ_STATES: &[(u8, &str)] = &[(0, "Up"), (1, "Initializing"), (2, "Down")];

const RESTART_FLAGS: &[Bit] = &[
    (0x1, "Restart Request"),
    (0x2, "Restart Acknowledgement"),
    (0x4, "Suppress adjacency advertisement"),
];

const IDRP_TYPES: &[(u8, &str)] = &[
    (0, "Reserved"),
    (1, "Routing-Domain Specific"),
    (2, "AS Number Tag"),
];

const SYSTEM_ID: usize = 6;
const NODE_ID: usize = 7;
const LSP_ID: usize = 8;
const COMMON: usize = 8;

/// The fixed part after the common header, by PDU type.
fn fixed_len(pdu: u8) -> Option<usize> {
    match pdu {
        15 | 16 => Some(19),
        17 => Some(12),
        18 | 20 => Some(19),
        24 | 25 => Some(2 + NODE_ID + 2 * LSP_ID),
        26 | 27 => Some(2 + NODE_ID),
        _ => None,
    }
}

/// How a TLV printer ran out of captured bytes, as tcpdump's did: by a
/// `GET_` macro's `longjmp` (`Jumped`, what `?` on a bounded read gives
/// inside a TLV) or after its own `ND_TCHECK` or length test (`Checked`,
/// written out where tcpdump checks: the TLV header, the old neighbor
/// entries, LSP ids, the extended IS reachability …). Which one decides
/// where tcpdump's `-x` dump starts (see [`cut_jumps`]); found by cutting
/// every TLV of the test PDUs at every length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cut {
    Jumped,
    Checked,
}

impl From<Truncated> for Cut {
    fn from(_: Truncated) -> Cut {
        Cut::Jumped
    }
}

/// A bounded read where tcpdump checks first.
pub(super) fn checked<T>(r: Res<T>) -> Result<T, Cut> {
    r.map_err(|_| Cut::Checked)
}

/// How a printer ended when it did not run out of bytes: `Done` as
/// tcpdump's `return 1`, `Dump` as its `return 0` (the caller then dumps
/// the whole PDU in hex).
pub(super) enum End {
    Done,
    Dump,
}

pub(super) fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

pub(super) fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    let length = p.declared_len;
    let Some(&nlpid) = m.first() else {
        // Cut before the NLPID: tcpdump names the CLNS printer, which
        // read the NLPID past the capture (its `longjmp`).
        w.extend_from_slice(b" [|isoclns]");
        return Ok(());
    };
    match nlpid {
        NLPID_ISIS => {
            if let End::Dump = isis(w, m, length, v).map_err(|_| Truncated)? {
                hex(w, m, 0, length, b"\n\t");
            }
        }
        NLPID_CLNP => match clnp(w, m, length, v) {
            Ok(End::Dump) => hex(w, m, 0, length, b"\n\t"),
            Ok(End::Done) => {}
            Err(_) => w.extend_from_slice(b" [|clnp]"),
        },
        NLPID_ESIS => {
            if esis(w, m, length, v).is_err() {
                w.extend_from_slice(b" [|esis]");
            }
        }
        NLPID_NULLNS => out!(w, ", length: {length}"),
        // Call control: the Frame Relay printer's (`Q.933, ANSI, …`).
        NLPID_Q933 => {
            let _ =
                super::link::write_q933(w, m.get(1..).unwrap_or(&[]), length.saturating_sub(1), v);
        }
        _ => {
            out!(w, "OSI NLPID 0x{nlpid:02x} unknown, length: {length}");
            if length > 1 {
                hex(w, m, 0, length, b"\n\t");
            }
        }
    }
    Ok(())
}

/// Whether a cut line ended by tcpdump's `longjmp`: the CLNS printer's
/// read of a missing NLPID, or a TLV printer's `GET_` (see [`Cut`]); the
/// PDU is printed again to learn which (only cut lines get here).
pub(super) fn cut_jumps(p: &Payload<'_>, w: &[u8], v: u8) -> bool {
    if w.ends_with(b" [|isoclns]") {
        return true;
    }
    let (m, length) = (p.bytes, p.declared_len);
    let jumped = match m.first() {
        Some(&NLPID_ISIS) if v > 0 => isis(&mut Vec::new(), m, length, v).err(),
        Some(&NLPID_CLNP) => clnp(&mut Vec::new(), m, length, v).err(),
        Some(&NLPID_ESIS) => esis(&mut Vec::new(), m, length, v).err(),
        Some(&NLPID_Q933) => {
            let q = super::link::write_q933(
                &mut Vec::new(),
                m.get(1..).unwrap_or(&[]),
                length.saturating_sub(1),
                v,
            );
            return q.is_err_and(|jumped| jumped);
        }
        _ => None,
    };
    jumped == Some(Cut::Jumped)
}

/// The line of a frame whose link header `-e` printed, rewritten from
/// `at` in `w` as tcpdump's `-e` prints it: the NLPID named first (`OSI
/// NLPID IS-IS (0x83): `), and no `IS-IS` or `, ` of its own before the
/// PDU type, the length or an unknown NLPID's length.
pub fn with_link_header(w: &mut Vec<u8>, at: usize, nlpid: u8) {
    let Some(text) = w.get(at..).map(<[u8]>::to_vec) else {
        return;
    };
    w.truncate(at);
    put_nlpid_words(w, nlpid);
    let rest: &[u8] = if nlpid == NLPID_ISIS {
        let t = text.strip_prefix(b"IS-IS").unwrap_or(&text);
        t.strip_prefix(b", ").unwrap_or(t)
    } else if nlpid == NLPID_CLNP || nlpid == NLPID_ESIS {
        // Every CLNP header tcpdump prints (an error report's returned
        // PDU's too) drops its name, and the `, ` after it, under `-e`.
        let name: &[u8] = if nlpid == NLPID_CLNP {
            b"CLNP"
        } else {
            b"ES-IS"
        };
        let mut rest = Vec::with_capacity(text.len());
        let mut t: &[u8] = &text;
        let returned: &[u8] = b"\n\t-----original packet-----\n\t";
        loop {
            let after = t.strip_prefix(name).unwrap_or(t);
            let after = after.strip_prefix(b", ").unwrap_or(after);
            let Some(at) = find(after, returned) else {
                rest.extend_from_slice(after);
                break;
            };
            rest.extend_from_slice(&after[..at + returned.len()]);
            t = &after[at + returned.len()..];
        }
        w.extend_from_slice(&rest);
        return;
    } else if nlpid == NLPID_NULLNS {
        text.strip_prefix(b", ").unwrap_or(&text)
    } else if nlpid == NLPID_Q933 {
        // Q.933's printer leaves its name and the `, ` out under `-e`.
        let t = text.strip_prefix(b"Q.933").unwrap_or(&text);
        t.strip_prefix(b", ").unwrap_or(t)
    } else {
        let head = format!("OSI NLPID 0x{nlpid:02x} unknown, ");
        text.strip_prefix(head.as_bytes()).unwrap_or(&text)
    };
    w.extend_from_slice(rest);
}

/// What tcpdump's ISO printer writes first under `-e`: the NLPID named
/// (`OSI NLPID IPv4 (0xcc): `).
pub fn put_nlpid_words(w: &mut Vec<u8>, nlpid: u8) {
    out!(
        w,
        "OSI NLPID {} (0x{nlpid:02x}): ",
        tok(NLPIDS, nlpid).unwrap_or("Unknown")
    );
}

/// `n` NLPIDs from `at`, each named (`IPv4 (0xcc), IPv6 (0x8e)`): IS-IS's
/// protocols supported and ES-IS's option of the same name.
pub(super) fn put_nlpids(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    for i in 0..n {
        let x = u8_at(m, at + i)?;
        out!(w, "{} (0x{x:02x})", tok(NLPIDS, x).unwrap_or("unknown"));
        if i + 1 < n {
            w.extend_from_slice(b", ");
        }
    }
    Ok(())
}

/// Where `needle` first starts in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|x| x == needle)
}

/// tcpdump's `print_unknown_data`: `len` bytes from `at` in hex, as many
/// as were captured.
pub(super) fn hex(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize, prefix: &[u8]) {
    let avail = m.get(at..).unwrap_or(&[]);
    put_hex_dump(w, avail.get(..len).unwrap_or(avail), prefix);
}

/// `1921.6800.1001` (a system id), `.01` after it for a node id, `-00`
/// for an LSP id.
pub(super) fn put_id(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<()> {
    let id = m.get(at..at + len).ok_or(Truncated)?;
    for (i, b) in id.iter().take(SYSTEM_ID).enumerate() {
        out!(w, "{b:02x}");
        if i == 1 || i == 3 {
            w.push(b'.');
        }
    }
    if let Some(b) = id.get(SYSTEM_ID) {
        out!(w, ".{b:02x}");
    }
    if let Some(b) = id.get(NODE_ID) {
        out!(w, "-{b:02x}");
    }
    Ok(())
}

/// tcpdump's `isonsap_string`: the bytes in hex, a dot after the first
/// and then after every second.
pub(super) fn put_nsap(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<()> {
    let nsap = m.get(at..at + len).ok_or(Truncated)?;
    if !(1..=20).contains(&len) {
        w.extend_from_slice(b"isonsap_string: illegal length");
        return Ok(());
    }
    for (i, b) in nsap.iter().enumerate() {
        out!(w, "{b:02x}");
        if i & 1 == 0 && i + 1 < len {
            w.push(b'.');
        }
    }
    Ok(())
}

/// The ISO 8473 (Fletcher) checksum that makes the `len` bytes from `at`
/// check, with the field at `at + off` taken as zero, as tcpdump's
/// `create_osi_cksum` computes it (its signed and unsigned mix kept).
fn osi_checksum(m: &[u8], at: usize, off: usize, len: usize) -> Option<u16> {
    let b = m.get(at..at.checked_add(len)?)?;
    let (mut c0, mut c1) = (0u32, 0u32);
    for (i, &x) in b.iter().enumerate() {
        if i != off && i != off + 1 {
            c0 = c0.wrapping_add(u32::from(x));
        }
        c1 = c1.wrapping_add(c0);
    }
    let (c0, c1) = (c0 % 255, c1 % 255);
    let mul = (len as u32).wrapping_sub(off as u32).wrapping_mul(c0);
    let mut x = mul.wrapping_sub(c0).wrapping_sub(c1) as i32;
    let mut y = c1.wrapping_sub(mul).wrapping_sub(1) as i32;
    if y >= 0 {
        y += 1;
    }
    if x < 0 {
        x -= 1;
    }
    x %= 255;
    y %= 255;
    if x == 0 {
        x = 255;
    }
    if y == 0 {
        y = 255;
    }
    Some((((x << 8) | (y & 0xff)) & 0xffff) as u16)
}

/// ` (correct)`, ` (incorrect should be 0x…)` or ` (unverified)`.
pub(super) fn put_checksum(w: &mut Vec<u8>, m: &[u8], at: usize, sum: u16, off: usize, len: usize) {
    let computed = (sum != 0 && off <= len && m.len() >= at + off + 2)
        .then(|| osi_checksum(m, at, off, len))
        .flatten();
    match computed {
        None => w.extend_from_slice(b" (unverified)"),
        Some(c) if c == sum => w.extend_from_slice(b" (correct)"),
        Some(c) => out!(w, " (incorrect should be 0x{c:04x})"),
    }
}

/// The PDU; its header is read after tcpdump's checks (a cut there is
/// `Checked`), its TLVs as tcpdump reads them.
fn isis(w: &mut Vec<u8>, m: &[u8], length: usize, v: u8) -> Result<End, Cut> {
    if m.len() < COMMON || length < COMMON {
        return Err(Cut::Checked);
    }
    w.extend_from_slice(b"IS-IS");
    let fixed = usize::from(u8_at(m, 1)?);
    let version = u8_at(m, 2)?;
    let id_len = u8_at(m, 3)?;
    let pdu = u8_at(m, 4)?;
    let pdu_version = u8_at(m, 5)?;
    let max_area = u8_at(m, 7)?;
    if version != 1 {
        out!(w, "version {version} packet not supported");
        return Ok(End::Dump);
    }
    if id_len != 6 && id_len != 0 {
        out!(w, "system ID length of {id_len} is not supported");
        return Ok(End::Dump);
    }
    if pdu_version != 1 {
        out!(w, "version {pdu_version} packet not supported");
        return Ok(End::Dump);
    }
    if length < fixed {
        out!(w, "fixed header length {fixed} > packet length {length}");
        return Ok(End::Dump);
    }
    if fixed < COMMON {
        out!(
            w,
            "fixed header length {fixed} < minimum header size {COMMON}"
        );
        return Ok(End::Dump);
    }
    let areas = match max_area {
        0 => 3,
        255 => {
            w.extend_from_slice(b"bad packet -- 255 areas");
            return Ok(End::Dump);
        }
        n => n,
    };
    if v == 0 {
        w.extend_from_slice(b", ");
        match tok(PDU_TYPES, pdu) {
            Some(name) => w.extend_from_slice(name.as_bytes()),
            None => out!(w, "unknown PDU-Type {pdu}"),
        }
    } else {
        out!(w, ", length {length}\n\t");
        match tok(PDU_TYPES, pdu) {
            Some(name) => w.extend_from_slice(name.as_bytes()),
            None => out!(w, "unknown, type {pdu}"),
        }
        out!(
            w,
            ", hlen: {fixed}, v: {version}, pdu-v: {pdu_version}, sys-id-len: 6 ({id_len}), \
             max-area: {areas} ({max_area})"
        );
        if v > 1 {
            hex(w, m, 0, COMMON, b"\n\t");
        }
    }
    let Some(want) = fixed_len(pdu) else {
        if v == 0 {
            out!(w, ", length {length}");
            return Ok(End::Done);
        }
        hex(w, m, COMMON, length, b"\n\t  ");
        return Ok(End::Dump);
    };
    if fixed != COMMON + want {
        let sep = if matches!(pdu, 26 | 27) { "- " } else { ", " };
        // tcpdump's LSP message names the header's size without the
        // common part.
        let should = if matches!(pdu, 18 | 20) {
            want
        } else {
            COMMON + want
        };
        out!(
            w,
            "{sep}bogus fixed header length {fixed} should be {should}"
        );
        return Ok(End::Dump);
    }
    if m.len() < fixed || length < fixed {
        return Err(Cut::Checked);
    }
    let h = COMMON;
    let pdu_len = usize::from(u16_at(m, h).ok().unwrap_or(0));
    if v == 0 {
        match pdu {
            15 | 16 => {
                w.extend_from_slice(b", src-id ");
                put_id(w, m, h + 1, SYSTEM_ID)?;
                w.extend_from_slice(b", lan-id ");
                put_id(w, m, h + 12, NODE_ID)?;
                out!(w, ", prio {}", u8_at(m, h + 11)?);
            }
            17 => {
                w.extend_from_slice(b", src-id ");
                put_id(w, m, h + 1, SYSTEM_ID)?;
            }
            18 | 20 => {
                w.extend_from_slice(b", lsp-id ");
                put_id(w, m, h + 4, LSP_ID)?;
                out!(
                    w,
                    ", seq 0x{:08x}, lifetime {:5}s",
                    u32_at(m, h + 12)?,
                    u16_at(m, h + 2)?
                );
            }
            _ => {
                w.extend_from_slice(b", src-id ");
                put_id(w, m, h + 2, NODE_ID)?;
            }
        }
        out!(w, ", length {length}");
        return Ok(End::Done);
    }
    let mut length = length;
    match pdu {
        15..=17 => {
            let pdu_len = usize::from(u16_at(m, h + 9)?);
            length = length.min(pdu_len);
            let lan = pdu != 17;
            w.extend_from_slice(b"\n\t  source-id: ");
            put_id(w, m, h + 1, SYSTEM_ID)?;
            let circuit = u8_at(m, h)?;
            out!(
                w,
                ",{}holding time: {}s, Flags: [",
                if lan { "  " } else { " " },
                u16_at(m, h + 7)?
            );
            match tok(CIRCUIT_TYPES, circuit) {
                Some(name) => w.extend_from_slice(name.as_bytes()),
                None => out!(w, "unknown circuit type 0x{circuit:02x}"),
            }
            w.push(b']');
            if lan {
                w.extend_from_slice(b"\n\t  lan-id:    ");
                put_id(w, m, h + 12, NODE_ID)?;
                out!(
                    w,
                    ", Priority: {}, PDU length: {pdu_len}",
                    u8_at(m, h + 11)? & 0x7f
                );
            } else {
                out!(
                    w,
                    "\n\t  circuit-id: 0x{:02x}, PDU length: {pdu_len}",
                    u8_at(m, h + 11)?
                );
            }
        }
        18 | 20 => {
            length = length.min(pdu_len);
            w.extend_from_slice(b"\n\t  lsp-id: ");
            put_id(w, m, h + 4, LSP_ID)?;
            let sum = u16_at(m, h + 16)?;
            out!(
                w,
                ", seq: 0x{:08x}, lifetime: {:5}s\n\t  chksum: 0x{sum:04x}",
                u32_at(m, h + 12)?,
                u16_at(m, h + 2)?
            );
            put_checksum(w, m, h + 4, sum, 12, length.wrapping_sub(12));
            let t = u8_at(m, h + 18)?;
            out!(w, ", PDU length: {pdu_len}, Flags: [ ");
            if t & 0x04 != 0 {
                w.extend_from_slice(b"Overload bit set, ");
            }
            if t & 0x78 != 0 {
                for (bit, word) in [
                    (0x08, "default "),
                    (0x10, "delay "),
                    (0x20, "expense "),
                    (0x40, "error "),
                ] {
                    if t & bit != 0 {
                        w.extend_from_slice(word.as_bytes());
                    }
                }
                w.extend_from_slice(b"ATT bit set, ");
            }
            if t & 0x80 != 0 {
                w.extend_from_slice(b"P bit set, ");
            }
            out!(w, "{} ]", LSP_IS_TYPES[usize::from(t & 3)]);
        }
        24 | 25 => {
            length = length.min(pdu_len);
            w.extend_from_slice(b"\n\t  source-id:    ");
            put_id(w, m, h + 2, NODE_ID)?;
            out!(w, ", PDU length: {pdu_len}\n\t  start lsp-id: ");
            put_id(w, m, h + 9, LSP_ID)?;
            w.extend_from_slice(b"\n\t  end lsp-id:   ");
            put_id(w, m, h + 17, LSP_ID)?;
        }
        _ => {
            length = length.min(pdu_len);
            w.extend_from_slice(b"\n\t  source-id:    ");
            put_id(w, m, h + 2, NODE_ID)?;
            out!(w, ", PDU length: {pdu_len}");
        }
    }
    if v > 1 {
        hex(w, m, h, want, b"\n\t  ");
    }
    if length < fixed {
        out!(w, " [packet length {length} < {fixed}] (invalid)");
        return Ok(End::Done);
    }
    tlvs(w, m, fixed, length - fixed, v, length)
}

/// The TLVs from `at`, `left` bytes of them; `length` is the PDU's (the
/// checksum TLV covers it).
fn tlvs(
    w: &mut Vec<u8>,
    m: &[u8],
    mut at: usize,
    mut left: usize,
    v: u8,
    length: usize,
) -> Result<End, Cut> {
    while left > 0 {
        if m.len() < at + 2 || left < 2 {
            return Err(Cut::Checked);
        }
        let (t, len) = (u8_at(m, at)?, usize::from(u8_at(m, at + 1)?));
        at += 2;
        left -= 2;
        out!(
            w,
            "\n\t    {} TLV #{t}, length: {len}",
            tok(TLV_NAMES, t).unwrap_or("unknown")
        );
        if left < len {
            return Err(Cut::Checked);
        }
        let b = m.get(at..).unwrap_or(&[]);
        if let Tlv::Stop = tlv(w, b, t, len, v, (m, at, length))? {
            return Ok(End::Done);
        }
        if v > 1 {
            hex(w, m, at, len, b"\n\t      ");
        }
        at += len;
        left -= len;
    }
    Ok(End::Done)
}

/// What the TLV loop does after a TLV.
enum Tlv {
    /// On to the next TLV (also tcpdump's `tlv_trunc`, a TLV too short
    /// for what it says it holds).
    Next,
    /// tcpdump's `return (1)` from inside the loop.
    Stop,
}

/// ` [remaining tlv length 3 < 9] (invalid)`: an entry longer than its
/// TLV.
fn put_overrun(w: &mut Vec<u8>, left: usize, n: usize) {
    out!(w, " [remaining tlv length {left} < {n}] (invalid)");
}

/// One TLV's value `b` (from its start; `len` bytes are its own), with
/// the PDU, the TLV's offset in it and the PDU's length for the checksum
/// TLV. `Err` is a read past the capture (` [|isis]`).
fn tlv(
    w: &mut Vec<u8>,
    b: &[u8],
    t: u8,
    len: usize,
    v: u8,
    pdu: (&[u8], usize, usize),
) -> Result<Tlv, Cut> {
    const IND: &str = "\n\t      ";
    let mut tmp = len;
    let mut p = 0usize;
    match t {
        1 => {
            while tmp != 0 {
                let alen = usize::from(u8_at(b, p)?);
                p += 1;
                tmp -= 1;
                if tmp < alen {
                    return Ok(Tlv::Next);
                }
                let mut s = Vec::new();
                put_nsap(&mut s, b, p, alen)?;
                out!(w, "{IND}Area address (length: {alen}): ");
                w.extend_from_slice(&s);
                p += alen;
                tmp -= alen;
            }
        }
        6 => {
            while tmp != 0 {
                if tmp < 6 {
                    return Ok(Tlv::Next);
                }
                checked(bytes_at::<6>(b, p))?;
                out!(w, "{IND}SNPA: ");
                put_id(w, b, p, 6)?;
                tmp -= 6;
                p += 6;
            }
        }
        7 => {
            if tmp < 4 {
                return Ok(Tlv::Next);
            }
            let n = (tmp - 2) / 2;
            out!(
                w,
                "{IND}Instance ID: {}, ITIDs({n}){} ",
                u16_at(b, 0)?,
                if n > 0 { ":" } else { "" }
            );
            for i in 0..n {
                if i > 0 {
                    w.extend_from_slice(b", ");
                }
                out!(w, "{}", u16_at(b, 2 + 2 * i)?);
            }
        }
        8 => {}
        22 | 24 | 222 => {
            if t == 222 {
                if tmp < 2 {
                    return Err(Cut::Checked);
                }
                p = mtid(w, b, 0)?;
                tmp -= p;
            }
            while tmp != 0 {
                // tcpdump checks every read of an entry.
                let mut jumped = false;
                let n = ext_is_reach(w, b, p, t, tmp, &mut jumped)
                    .map_err(|_| if jumped { Cut::Jumped } else { Cut::Checked })?;
                if tmp < n {
                    put_overrun(w, tmp, n);
                    break;
                }
                tmp -= n;
                p += n;
            }
        }
        2 => {
            if tmp < 1 {
                return Ok(Tlv::Next);
            }
            let virt = u8_at(b, 0)?;
            match virt {
                0 => out!(w, "{IND}IsNotVirtual"),
                1 => out!(w, "{IND}IsVirtual"),
                _ => out!(w, "{IND}bogus virtual flag 0x{virt:02x}"),
            }
            checked(metric_neighbors(w, b, 1, tmp - 1, "IS", NODE_ID))?;
        }
        3 => checked(metric_neighbors(w, b, 0, tmp, "ES", SYSTEM_ID))?,
        128 | 130 => {
            if !ip_reach(w, b, len)? {
                return Ok(Tlv::Stop);
            }
        }
        135 | 235 | 236 | 237 => {
            if matches!(t, 235 | 237) {
                if tmp < 2 {
                    return Err(Cut::Checked);
                }
                p = mtid(w, b, 0)?;
                tmp -= p;
            }
            let v6 = matches!(t, 236 | 237);
            while tmp != 0 {
                let n = extd_ip_reach(w, b, p, v6)?;
                if tmp < n {
                    put_overrun(w, tmp, n);
                    break;
                }
                p += n;
                tmp -= n;
            }
        }
        232 => {
            while tmp != 0 {
                if tmp < 16 {
                    return Ok(Tlv::Next);
                }
                let a = bytes_at::<16>(b, p)?;
                out!(w, "{IND}IPv6 interface address: ");
                put_ipv6(w, &a);
                p += 16;
                tmp -= 16;
            }
        }
        10 => {
            if tmp < 1 {
                return Ok(Tlv::Next);
            }
            let kind = u8_at(b, 0)?;
            tmp -= 1;
            w.extend_from_slice(IND.as_bytes());
            match tok(AUTH_TYPES, kind) {
                Some(name) => w.extend_from_slice(name.as_bytes()),
                None => out!(w, "unknown Authentication type 0x{kind:02x}"),
            }
            w.extend_from_slice(b": ");
            match kind {
                1 => put_text_nul(w, b, 1, tmp)?,
                54 => {
                    for i in 0..tmp {
                        out!(w, "{:02x}", u8_at(b, 1 + i)?);
                    }
                    if tmp != 16 {
                        w.extend_from_slice(b", (invalid subTLV) ");
                    }
                    // tcpdump checks the HMAC only with a secret (-M).
                    w.extend_from_slice(b" (unchecked)");
                }
                3 => {
                    if tmp < 2 {
                        return Ok(Tlv::Next);
                    }
                    out!(w, "{}, password: ", u16_at(b, 1)?);
                    for i in 3..len {
                        out!(w, "{:02x}", u8_at(b, i)?);
                    }
                }
                _ => hex(w, b, 1, tmp, b"\n\t\t  "),
            }
        }
        240 => {
            if tmp >= 1 {
                let s = u8_at(b, 0)?;
                out!(
                    w,
                    "{IND}Adjacency State: {} ({s})",
                    tok(PTP_ADJ_STATES, s).unwrap_or("unknown")
                );
                tmp -= 1;
            }
            if tmp > 4 {
                out!(w, "{IND}Extended Local circuit-ID: 0x{:08x}", u32_at(b, 1)?);
                tmp -= 4;
            }
            if tmp >= SYSTEM_ID {
                checked(bytes_at::<6>(b, 5))?;
                out!(w, "{IND}Neighbor System-ID: ");
                put_id(w, b, 5, SYSTEM_ID)?;
                tmp -= SYSTEM_ID;
            }
            if tmp >= 4 {
                out!(
                    w,
                    "{IND}Neighbor Extended Local circuit-ID: 0x{:08x}",
                    u32_at(b, 11)?
                );
            }
        }
        129 => {
            out!(w, "{IND}NLPID(s): ");
            put_nlpids(w, b, p, tmp)?;
        }
        134 => {
            if tmp < 4 {
                return Ok(Tlv::Next);
            }
            out!(w, "{IND}Traffic Engineering Router ID: {}", ipv4(b, 0)?);
        }
        132 => {
            while tmp != 0 {
                if tmp < 4 {
                    return Ok(Tlv::Next);
                }
                out!(w, "{IND}IPv4 interface address: {}", ipv4(b, p)?);
                p += 4;
                tmp -= 4;
            }
        }
        137 => {
            out!(w, "{IND}Hostname: ");
            put_text_nul(w, b, 0, len)?;
        }
        138 => {
            if tmp < NODE_ID {
                return Ok(Tlv::Next);
            }
            checked(bytes_at::<7>(b, 0))?;
            out!(w, "{IND}IS Neighbor: ");
            put_id(w, b, 0, NODE_ID)?;
            p = NODE_ID;
            tmp -= NODE_ID;
            if tmp < 1 {
                return Ok(Tlv::Next);
            }
            let f = u8_at(b, p)?;
            out!(
                w,
                ", Flags: [{}]",
                if f & 1 != 0 { "numbered" } else { "unnumbered" }
            );
            p += 1;
            tmp -= 1;
            for word in ["interface", "neighbor"] {
                if tmp < 4 {
                    return Ok(Tlv::Next);
                }
                out!(w, "{IND}IPv4 {word} address: {}", ipv4(b, p)?);
                p += 4;
                tmp -= 4;
            }
            while tmp != 0 {
                if tmp < 4 {
                    return Ok(Tlv::Next);
                }
                out!(w, "{IND}Link-ID: 0x{:08x}", u32_at(b, p)?);
                p += 4;
                tmp -= 4;
            }
        }
        9 => {
            while tmp != 0 {
                if tmp < 16 {
                    return Ok(Tlv::Next);
                }
                checked(u8_at(b, p + 9))?;
                out!(w, "{IND}lsp-id: ");
                put_id(w, b, p + 2, LSP_ID)?;
                out!(w, ", seq: 0x{:08x}", u32_at(b, p + 10)?);
                out!(w, ", lifetime: {:5}s", u16_at(b, p)?);
                out!(w, ", chksum: 0x{:04x}", u16_at(b, p + 14)?);
                tmp -= 16;
                p += 16;
            }
        }
        12 => {
            if tmp < 2 {
                return Ok(Tlv::Next);
            }
            let sum = checked(u16_at(b, 0))?;
            out!(w, "{IND}checksum: 0x{sum:04x} ");
            let (m, at, length) = pdu;
            put_checksum(w, m, 0, sum, at, length);
        }
        13 => {
            if tmp < 1 {
                return Ok(Tlv::Next);
            }
            let n = u8_at(b, 0)?;
            tmp -= 1;
            if n == 0 {
                w.extend_from_slice(b" No system IDs supplied");
            } else {
                if tmp < SYSTEM_ID {
                    return Ok(Tlv::Next);
                }
                checked(bytes_at::<6>(b, 1))?;
                out!(w, "{IND}Purge Originator System-ID: ");
                put_id(w, b, 1, SYSTEM_ID)?;
                tmp -= SYSTEM_ID;
                if n > 1 {
                    if tmp < SYSTEM_ID {
                        return Ok(Tlv::Next);
                    }
                    // tcpdump checks 13 bytes from the second id, past
                    // the TLV's end: a cut there stops the PDU.
                    checked(b.get(7..20).ok_or(Truncated))?;
                    out!(w, "{IND}Received from System-ID: ");
                    put_id(w, b, 7, SYSTEM_ID)?;
                }
            }
        }
        229 => {
            while tmp != 0 {
                if tmp == 1 {
                    out!(w, "{IND}invalid MT-ID");
                    break;
                }
                let n = mtid(w, b, p)?;
                p += n;
                tmp -= n;
            }
        }
        211 => {
            if tmp < 1 {
                return Ok(Tlv::Next);
            }
            // Each field checked before it is named.
            let flags = checked(u8_at(b, 0))?;
            w.extend_from_slice(IND.as_bytes());
            w.extend_from_slice(b"Flags [");
            put_bits(w, RESTART_FLAGS, u32::from(flags), "none");
            w.push(b']');
            tmp -= 1;
            if tmp < 2 {
                return Ok(Tlv::Next);
            }
            out!(w, ", Remaining holding time {}s", checked(u16_at(b, 1))?);
            tmp -= 2;
            if tmp == SYSTEM_ID {
                checked(bytes_at::<6>(b, 3))?;
                w.extend_from_slice(b", for ");
                put_id(w, b, 3, SYSTEM_ID)?;
            }
        }
        131 => {
            if tmp < 1 {
                return Ok(Tlv::Next);
            }
            let kind = u8_at(b, 0)?;
            w.extend_from_slice(IND.as_bytes());
            w.extend_from_slice(b"Inter-Domain Information Type: ");
            match tok(IDRP_TYPES, kind) {
                Some(name) => w.extend_from_slice(name.as_bytes()),
                None => out!(w, "Unknown (0x{kind:02x})"),
            }
            if kind == 2 {
                if tmp < 3 {
                    return Ok(Tlv::Next);
                }
                out!(w, "AS Number: {}", u16_at(b, 1)?);
            } else {
                hex(w, b, 1, len - 1, IND.as_bytes());
            }
        }
        14 => {
            if tmp >= 2 {
                out!(w, "{IND}LSP Buffersize: {}", u16_at(b, 0)?);
            }
        }
        4 => {
            while tmp != 0 {
                if tmp < SYSTEM_ID {
                    return Ok(Tlv::Next);
                }
                checked(bytes_at::<6>(b, p))?;
                w.extend_from_slice(IND.as_bytes());
                put_id(w, b, p, SYSTEM_ID)?;
                p += SYSTEM_ID;
                tmp -= SYSTEM_ID;
            }
        }
        5 => {
            if tmp < 4 {
                return Ok(Tlv::Next);
            }
            checked(bytes_at::<4>(b, 0))?;
            out!(w, "{IND}Metric Block");
            metric_block(w, b, 0)?;
            p = 4;
            tmp -= 4;
            while tmp != 0 {
                let plen = usize::from(u8_at(b, p)?);
                p += 1;
                tmp -= 1;
                if plen < 2 {
                    out!(w, "\n\t\tAddress: prefix length {plen} < 2");
                    break;
                }
                if tmp < plen / 2 {
                    break;
                }
                let mut s = Vec::new();
                put_nsap(&mut s, b, p, plen / 2)?;
                w.extend_from_slice(b"\n\t\tAddress: ");
                w.extend_from_slice(&s);
                out!(w, "/{}", plen * 4);
                p += plen / 2;
                tmp -= plen / 2;
            }
        }
        241 => {
            if tmp >= 4 {
                out!(w, "{IND}Sequence number: {}", u32_at(b, 0)?);
            }
        }
        242 => {
            if tmp < 5 {
                out!(w, " [object length {tmp} < 5] (invalid)");
                return Ok(Tlv::Next);
            }
            out!(w, "{IND}Router-ID {}", ipv4(b, 0)?);
            let flags = u8_at(b, 4)?;
            w.extend_from_slice(b", Flags [");
            put_bits(w, ROUTER_CAP_FLAGS, u32::from(flags), "none");
            w.push(b']');
            isis_sr::router_cap_subtlvs(w, b, 5, tmp - 5)?;
        }
        143 | 144 => {
            if tmp < 2 {
                return Ok(Tlv::Next);
            }
            if t == 143 {
                isis_spb::port_capability(w, b, tmp)?;
            } else {
                isis_spb::capability(w, b, tmp)?;
            }
        }
        250 => {
            if tmp >= 3 {
                let oui = u24(b, 0)?;
                out!(
                    w,
                    "{IND}Vendor: {} ({oui})",
                    tok(OUIS, oui).unwrap_or("Unknown")
                );
                if tmp > 3 {
                    hex(w, b, 3, tmp - 3, b"\n\t\t");
                }
            }
        }
        _ => {
            if v <= 1 {
                hex(w, b, 0, len, b"\n\t\t");
            }
        }
    }
    Ok(Tlv::Next)
}

const ROUTER_CAP_FLAGS: &[Bit] = &[(0x01, "S bit"), (0x02, "D bit")];

fn ipv4(b: &[u8], at: usize) -> Res<std::net::Ipv4Addr> {
    super::ctl::ipv4_at(b, at)
}

pub(super) fn u24(b: &[u8], at: usize) -> Res<u32> {
    let [x, y, z] = bytes_at::<3>(b, at)?;
    Ok(u32::from_be_bytes([0, x, y, z]))
}

/// `, Default Metric: 10, Internal` and the delay, expense and error
/// metrics a router supports.
fn metric_block(w: &mut Vec<u8>, b: &[u8], at: usize) -> Res<()> {
    let d = u8_at(b, at)?;
    out!(w, ", Default Metric: {}, {}", d & 0x3f, ie(d));
    for (i, name) in ["Delay", "Expense", "Error"].iter().enumerate() {
        let x = u8_at(b, at + 1 + i)?;
        if x & 0x80 == 0 {
            out!(w, "\n\t\t  {name} Metric: {}, {}", x & 0x3f, ie(x));
        }
    }
    Ok(())
}

/// The old IS and ES neighbor entries: a metric block, then the
/// neighbor's id (`id_len` bytes), each; a short last entry ends the TLV.
fn metric_neighbors(
    w: &mut Vec<u8>,
    b: &[u8],
    mut p: usize,
    mut left: usize,
    kind: &str,
    id_len: usize,
) -> Res<()> {
    while left >= 4 + id_len {
        b.get(p..p + 4 + id_len).ok_or(Truncated)?;
        out!(w, "\n\t      {kind} Neighbor: ");
        put_id(w, b, p + 4, id_len)?;
        metric_block(w, b, p)?;
        left -= 4 + id_len;
        p += 4 + id_len;
    }
    Ok(())
}

fn ie(x: u8) -> &'static str {
    if x & 0x40 != 0 {
        "External"
    } else {
        "Internal"
    }
}

/// The old IP reachability TLVs (128, 130): `false` when tcpdump gives up
/// on the whole PDU (a short entry).
fn ip_reach(w: &mut Vec<u8>, b: &[u8], len: usize) -> Res<bool> {
    const IND: &str = "\n\t      ";
    let (mut left, mut p) = (len, 0usize);
    while left > 0 {
        if left < 12 {
            out!(w, "short IPv4 Reachability ({left} vs 12)");
            return Ok(false);
        }
        if b.len() < p + 12 {
            return Ok(false);
        }
        let prefix = ipv4(b, p + 4)?;
        let mask = u32_at(b, p + 8)?;
        if mask.leading_ones() + mask.trailing_zeros() == 32 {
            out!(
                w,
                "{IND}IPv4 prefix: {:>15}/{}",
                prefix.to_string(),
                mask.leading_ones()
            );
        } else {
            out!(w, "{IND}IPv4 prefix: {prefix} mask {}", ipv4(b, p + 8)?);
        }
        let d = u8_at(b, p)?;
        out!(
            w,
            ", Distribution: {}, Metric: {}, {}",
            if d & 0x80 != 0 { "down" } else { "up" },
            d & 0x3f,
            ie(d)
        );
        for (i, name) in ["Delay", "Expense", "Error"].iter().enumerate() {
            let x = u8_at(b, p + 1 + i)?;
            if x & 0x80 == 0 {
                out!(w, "{IND}  {name} Metric: {}, {}", x & 0x3f, ie(x));
            }
        }
        left -= 12;
        p += 12;
    }
    Ok(true)
}

/// A multi-topology id (2 bytes): its name, number and flags.
fn mtid(w: &mut Vec<u8>, b: &[u8], at: usize) -> Res<usize> {
    let x = u16_at(b, at)?;
    let id = x & 0x0fff;
    out!(
        w,
        "\n\t      {} Topology (0x{id:03x}), Flags: [",
        tok(MT_IDS, id).unwrap_or("Reserved for IETF Consensus")
    );
    put_bits(w, MT_FLAGS, u32::from(x & 0xf000), "none");
    w.push(b']');
    Ok(2)
}

/// One extended IS reachability entry at `at` (TLVs 22, 24, 222), with
/// its sub-TLVs; the bytes it took.
/// tcpdump checks every read of an entry but the LAN adjacency SID's
/// label or index, which may lie past the sub-TLV: `jumped` says a cut
/// came there.
fn ext_is_reach(
    w: &mut Vec<u8>,
    b: &[u8],
    at: usize,
    t: u8,
    mut left: usize,
    jumped: &mut bool,
) -> Res<usize> {
    const IND: &str = "\n\t        ";
    if left < NODE_ID {
        return Err(Truncated);
    }
    bytes_at::<7>(b, at)?;
    w.extend_from_slice(b"\n\t      IS Neighbor: ");
    put_id(w, b, at, NODE_ID)?;
    let mut p = at + NODE_ID;
    left -= NODE_ID;
    if t != 24 {
        if left < 3 {
            return Err(Truncated);
        }
        out!(w, ", Metric: {}", u24(b, p)?);
        p += 3;
        left -= 3;
    }
    if left < 1 {
        return Err(Truncated);
    }
    let mut sum = usize::from(u8_at(b, p)?);
    p += 1;
    left -= 1;
    let mut done = if t == 24 {
        NODE_ID + 1
    } else {
        NODE_ID + 3 + 1
    };
    out!(w, ", {}sub-TLVs present", if sum != 0 { "" } else { "no " });
    if sum == 0 {
        return Ok(done);
    }
    out!(w, " ({sum})");
    while sum != 0 {
        bytes_at::<2>(b, p)?;
        if left < 2 {
            out!(w, "{IND}Remaining data in TLV shorter than a subTLV header");
            return Ok(done + left);
        }
        if sum < 2 {
            out!(
                w,
                "{IND}Remaining data in subTLVs shorter than a subTLV header"
            );
            return Ok(done + sum);
        }
        let (st, mut sl) = (u8_at(b, p)?, usize::from(u8_at(b, p + 1)?));
        p += 2;
        left -= 2;
        sum -= 2;
        done += 2;
        out!(
            w,
            "{IND}{} subTLV #{st}, length: {sl}",
            tok(EXT_IS_SUBTLVS, st).unwrap_or("unknown")
        );
        if sum < sl {
            w.extend_from_slice(b" (remaining data in subTLVs shorter than the current subTLV)");
            return Ok(done + sum);
        }
        if left < sl {
            w.extend_from_slice(b" (> remaining tlv length)");
            return Ok(done + left);
        }
        b.get(p..p + sl).ok_or(Truncated)?;
        let start = p;
        match st {
            3..=5 if sl >= 4 => {
                out!(w, ", 0x{:08x}", u32_at(b, p)?);
                if sl == 8 {
                    out!(w, ", 0x{:08x}", u32_at(b, p + 4)?);
                }
            }
            6 | 8 if sl >= 4 => out!(w, ", {}", ipv4(b, p)?),
            9 | 10 if sl >= 4 => {
                w.extend_from_slice(b", ");
                put_mbps(w, u32_at(b, p)?);
            }
            11 if sl >= 32 => {
                for class in 0..8 {
                    out!(w, "{IND}  TE-Class {class}: ");
                    put_mbps(w, u32_at(b, p)?);
                    p += 4;
                }
            }
            18 if sl >= 3 => out!(w, ", {}", u24(b, p)?),
            19 if sl == 2 => {
                let x = u16_at(b, p)?;
                w.extend_from_slice(b", [ ");
                put_bits(w, LINK_ATTRIBUTES, u32::from(x), "Unknown");
                out!(w, " ] (0x{x:04x})");
            }
            32 if sl >= 8 => isis_sr::lan_adj_sid(w, b, p, sl, IND).map_err(|c| {
                *jumped = c == Cut::Jumped;
                Truncated
            })?,
            21 if sl >= 36 => switching_capability(w, b, p, sl)?,
            29 if sl >= 6 => {
                out!(w, ", LM: {}", u24(b, p)?);
                out!(w, ", P: {}", u8_at(b, p + 3)?);
                out!(w, ", P-ID: {}", u16_at(b, p + 4)?);
            }
            12 | 22 if sl > 0 => {
                let model = u8_at(b, p)?;
                out!(
                    w,
                    "{IND}Bandwidth Constraints Model ID: {} ({model})",
                    tok(BC_MODELS, model).unwrap_or("unknown")
                );
                for class in 0..(sl - 1) / 4 {
                    out!(w, "{IND}  Bandwidth constraint CT{class}: ");
                    put_mbps(w, u32_at(b, p + 1 + 4 * class)?);
                }
            }
            20 if sl >= 2 => {
                w.extend_from_slice(b", ");
                put_bits(w, PROTECTION, u32::from(u8_at(b, p)?), "none");
                out!(w, ", Priority {}", u8_at(b, p + 1)?);
            }
            3..=6 | 8..=12 | 18..=22 | 29 | 32 => {}
            _ => hex(w, b, p, sl, b"\n\t\t    "),
        }
        p = start;
        // tcpdump counts the LAN adjacency SID's flags and weight, and the
        // switching capability's fixed part, off the sub-TLV space but not
        // off the TLV's.
        if st == 32 && sl >= 8 {
            left += 2;
        }
        if st == 21 && sl >= 36 {
            left += 36;
        }
        sl = sl.min(sum).min(left);
        p += sl;
        left -= sl;
        sum -= sl;
        done += sl;
    }
    Ok(done)
}

/// The interface switching capability sub-TLV (RFC 4205), `len` bytes at
/// `at` (36 at least, captured): capability, encoding, the maximum LSP
/// bandwidth per priority, then by capability the minimum bandwidth and
/// MTU (packet switching), the minimum bandwidth and indication (TDM) or
/// the rest in hex.
fn switching_capability(w: &mut Vec<u8>, b: &[u8], at: usize, len: usize) -> Res<()> {
    const IND: &str = "\n\t          ";
    let cap = u8_at(b, at)?;
    out!(
        w,
        "{IND}Interface Switching Capability:{}, LSP Encoding: {}{IND}Max LSP Bandwidth:",
        tok(SWITCH_CAPS, cap).unwrap_or("Unknown"),
        tok(ENCODINGS, u8_at(b, at + 1)?).unwrap_or("Unknown")
    );
    for level in 0..8 {
        out!(w, "{IND}  priority level {level}: ");
        put_mbps(w, u32_at(b, at + 4 + 4 * level)?);
    }
    let (p, rest) = (at + 36, len - 36);
    match cap {
        1..=4 if rest >= 6 => {
            out!(w, "{IND}Min LSP Bandwidth: ");
            put_mbps(w, u32_at(b, p)?);
            out!(w, "{IND}Interface MTU: {}", u16_at(b, p + 4)?);
        }
        100 if rest >= 8 => {
            out!(w, "{IND}Min LSP Bandwidth: ");
            put_mbps(w, u32_at(b, p)?);
            match u8_at(b, p + 4)? {
                0 => out!(w, "{IND}Indication Standard SONET/SDH"),
                1 => out!(w, "{IND}Indication Arbitrary SONET/SDH"),
                x => out!(w, "{IND}Indication Unknown ({x})"),
            }
        }
        1..=4 | 100 => {}
        _ if rest != 0 => hex(w, b, p, rest, b"\n\t\t    "),
        _ => {}
    }
    Ok(())
}

/// One extended IP reachability entry (TLVs 135, 235, 236, 237); the
/// bytes it took.
fn extd_ip_reach(w: &mut Vec<u8>, b: &[u8], at: usize, v6: bool) -> Result<usize, Cut> {
    const IND: &str = "\n\t      ";
    let metric = u32_at(b, at)?;
    let mut p = at + 4;
    let status = u8_at(b, p)?;
    let bits = if v6 { u8_at(b, p + 1)? } else { status & 0x3f };
    if v6 && bits > 128 {
        out!(w, "{IND}IPv6 prefix: bad bit length {bits}");
        return Err(Cut::Checked);
    }
    if !v6 && bits > 32 {
        out!(w, "{IND}IPv4 prefix: bad bit length {bits}");
        return Err(Cut::Checked);
    }
    p += if v6 { 2 } else { 1 };
    let n = usize::from(bits).div_ceil(8);
    let bytes = b.get(p..p + n).ok_or(Truncated)?;
    let mut a = [0u8; 16];
    a.get_mut(..n).ok_or(Truncated)?.copy_from_slice(bytes);
    p += n;
    if v6 {
        out!(w, "{IND}IPv6 prefix: ");
        put_ipv6(w, &a);
        out!(w, "/{bits}");
    } else {
        let ip = std::net::Ipv4Addr::new(a[0], a[1], a[2], a[3]);
        out!(w, "{IND}IPv4 prefix: {:>15}/{bits}", ip.to_string());
    }
    out!(
        w,
        ", Distribution: {}, Metric: {metric}",
        if status & 0x80 != 0 { "down" } else { "up" }
    );
    let sub = if v6 {
        status & 0x20 != 0
    } else {
        status & 0x40 != 0
    };
    if v6 {
        out!(
            w,
            ", {}{}",
            ie(status),
            if sub { ", sub-TLVs present" } else { "" }
        );
    } else if sub {
        w.extend_from_slice(b", sub-TLVs present");
    }
    if !sub {
        return Ok(p - at);
    }
    let mut sublen = u32::from(u8_at(b, p)?);
    p += 1;
    let done = p - at + sublen as usize;
    out!(w, " ({sublen})");
    // tcpdump's count is unsigned: a sub-TLV longer than the space left
    // wraps it, and the loop reads on past the entry (into the entries
    // and TLVs after it) until the capture ends.
    while sublen > 0 {
        let (st, sl) = (u8_at(b, p)?, usize::from(u8_at(b, p + 1)?));
        p += 2;
        out!(
            w,
            "\n\t        {} subTLV #{st}, length: {sl}",
            tok(EXT_IP_SUBTLVS, st).unwrap_or("unknown")
        );
        if b.len() < p + sl {
            // tcpdump says so here, and again where the TLV loop stops.
            w.extend_from_slice(b" [|isis]");
            return Err(Cut::Checked);
        }
        match st {
            1 | 117 => {
                for i in 0..sl / 4 {
                    let x = u32_at(b, p + 4 * i)?;
                    out!(w, ", 0x{x:08x} (={x})");
                }
            }
            3 => isis_sr::prefix_sid(w, b, p, sl)?,
            2 => {
                for i in 0..sl / 8 {
                    out!(
                        w,
                        ", 0x{:08x}{:08x}",
                        u32_at(b, p + 8 * i)?,
                        u32_at(b, p + 8 * i + 4)?
                    );
                }
            }
            _ => hex(w, b, p, sl, b"\n\t\t    "),
        }
        p += sl;
        sublen = sublen.wrapping_sub(sl as u32 + 2);
    }
    Ok(done)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let nlpid = u8_at(m, 0)?;
    o.insert("nlpid".into(), json!(nlpid));
    if nlpid != NLPID_ISIS {
        return Ok(());
    }
    let pdu = u8_at(m, 4)?;
    o.insert("pdu_type".into(), json!(pdu));
    o.insert("pdu_type_name".into(), json!(tok(PDU_TYPES, pdu)));
    let fixed = usize::from(u8_at(m, 1)?);
    let id = |at: usize, len: usize| -> Res<Value> {
        let mut s = Vec::new();
        put_id(&mut s, m, at, len)?;
        Ok(json!(String::from_utf8_lossy(&s)))
    };
    match pdu {
        15..=17 => {
            o.insert("source_id".into(), id(9, SYSTEM_ID)?);
            o.insert("holding_time".into(), json!(u16_at(m, 15)?));
        }
        18 | 20 => {
            o.insert("lsp_id".into(), id(12, LSP_ID)?);
            o.insert("sequence".into(), json!(u32_at(m, 20)?));
            o.insert("lifetime".into(), json!(u16_at(m, 10)?));
        }
        24..=27 => {
            o.insert("source_id".into(), id(10, NODE_ID)?);
        }
        _ => return Ok(()),
    }
    let mut tlvs = Vec::new();
    let mut at = fixed;
    let mut read = Ok(());
    while at < m.len() {
        let (Ok(t), Ok(len)) = (u8_at(m, at), u8_at(m, at + 1)) else {
            read = Err(Truncated);
            break;
        };
        let mut e = Map::new();
        e.insert("type".into(), json!(t));
        e.insert("name".into(), json!(tok(TLV_NAMES, t)));
        e.insert("length".into(), json!(len));
        if t == 137 {
            let b = m.get(at + 2..at + 2 + usize::from(len)).unwrap_or(&[]);
            e.insert("hostname".into(), json!(String::from_utf8_lossy(b)));
        }
        tlvs.push(Value::Object(e));
        at += 2 + usize::from(len);
    }
    o.insert("tlvs".into(), Value::Array(tlvs));
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lan_iih() -> Vec<u8> {
        let mut m = vec![0x83, 27, 1, 0, 15, 1, 0, 0];
        m.extend_from_slice(&[1, 0x19, 0x21, 0x68, 0, 0x10, 0x01, 0, 30, 0, 42, 64]);
        m.extend_from_slice(&[0x19, 0x21, 0x68, 0, 0x10, 0x01, 1]);
        m.extend_from_slice(&[1, 4, 3, 0x49, 0, 1, 129, 1, 0xcc]);
        m.extend_from_slice(&[132, 4, 10, 0, 0, 1]);
        m
    }

    #[test]
    fn test_lan_iih_lines() {
        let m = lan_iih();
        assert_eq!(
            ISOCLNS.printed(&m, 0),
            "IS-IS, L1 Lan IIH, src-id 1921.6800.1001, lan-id 1921.6800.1001.01, prio 64, length 42"
        );
        let v = ISOCLNS.printed(&m, 1);
        assert!(v.contains("Area address (length: 3): 49.0001"), "{v}");
        assert!(v.contains("NLPID(s): IPv4 (0xcc)"), "{v}");
        assert!(v.contains("IPv4 interface address: 10.0.0.1"), "{v}");
    }

    /// Whether the PDU `m` cut to `keep` bytes ends by tcpdump's longjmp.
    fn jumps(m: &[u8], keep: usize, v: u8) -> bool {
        let p = Payload {
            bytes: &m[..keep],
            declared_len: m.len(),
        };
        cut_jumps(&p, b"", v)
    }

    #[test]
    fn test_cut_inside_a_tlv_jumps_or_stops_as_tcpdump() {
        let m = lan_iih();
        // Inside the interface addresses, read unchecked: the longjmp;
        // the default line reads no TLV.
        assert!(jumps(&m, m.len() - 2, 1));
        assert!(!jumps(&m, m.len() - 2, 0));
        // Inside the TLV header: tcpdump's check.
        assert!(!jumps(&m, m.len() - 5, 2));
        // An IS neighbor's SNPA is checked before it is read.
        let mut n = m.clone();
        n.extend_from_slice(&[6, 6, 1, 2, 3, 4, 5, 6]);
        n[18] = n.len() as u8;
        assert!(!jumps(&n, n.len() - 2, 1));
        assert!(ISOCLNS.printed(&n, 1).contains("SNPA: 0102.0304.0506"));
    }

    #[test]
    fn test_truncated_in_header() {
        let m = lan_iih();
        assert_eq!(ISOCLNS.printed_cut(&m, 5, 0), " [|isis]");
    }

    #[test]
    fn test_osi_checksum_of_known_lsp_fields() {
        // The checksum computed over bytes with the field zeroed puts
        // the Fletcher sums to zero when written back.
        let mut b = vec![1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 15, 16];
        let c = osi_checksum(&b, 0, 12, b.len()).unwrap();
        b[12] = (c >> 8) as u8;
        b[13] = c as u8;
        let (mut c0, mut c1) = (0u32, 0u32);
        for &x in &b {
            c0 = (c0 + u32::from(x)) % 255;
            c1 = (c1 + c0) % 255;
        }
        assert_eq!((c0, c1), (0, 0));
    }
}
