//! CLNP (ISO 8473) as `tcpdump -n` prints it after the ISO CLNS NLPID
//! 0x81: the default line gives the addresses and the PDU type (`CLNP,
//! 49.0001.1921.6800.1001.00 > 49.0001.1921.6800.1002.00, Data, length
//! 60`); `-v` adds the fixed header (lifetime, checksum checked as ISO
//! 8473 says), the flags, both addresses, the segmentation part and the
//! options (discard reason, QoS, security, priority, source routing and
//! route recording); an error report (or echo response) carrying a CLNP
//! PDU prints it after `-----original packet-----`, anything else after
//! the header is dumped in hex. tcpdump's quirks are kept where they
//! show: the route options print their first address over and over (its
//! loop never moves on), and a bad header dumps the whole PDU.

use super::ctl::{Bit, json_object, out, put_bits, tok};
use super::isis::{Cut, End, checked, hex, put_checksum, put_nsap};
use super::wire::{need, u8_at, u16_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

/// CLNP frames for `--json` (the line is the ISO CLNS printer's).
pub static CLNP: Dissector = Dissector {
    name: "clnp",
    json_key: "clnp",
    line: Some(super::isis::line),
    verbose: Some(super::isis::verbose),
    json: to_json,
    service: "",
    recognise: |m| m.first() == Some(&NLPID_CLNP),
};

pub(super) const NLPID_CLNP: u8 = 0x81;

/// The fixed part: NLPID, length indicator, version, lifetime, type,
/// segment length, checksum.
const HEADER: usize = 9;

/// The segmentation part after the addresses.
const SEGMENT: usize = 6;

const PDU_TYPES: &[(u8, &str)] = &[
    (1, "Error Report"),
    (29, "MD"),
    (28, "Data"),
    (30, "Echo Request"),
    (31, "Echo Response"),
];

const ERROR_REPORT: u8 = 1;
const ECHO_RESPONSE: u8 = 31;

const FLAGS: &[Bit] = &[
    (0x80, "Segmentation permitted"),
    (0x40, "more Segments"),
    (0x20, "request Error Report"),
];
const SEGMENTATION: u8 = 0x80;

const OPTIONS: &[(u8, &str)] = &[
    (193, "Discard Reason"),
    (205, "Priority"),
    (195, "QoS Maintenance"),
    (197, "Security"),
    (200, "Source Routing"),
    (203, "Route Recording"),
    (204, "Padding"),
];

const DISCARD_CLASSES: &[(u8, &str)] = &[
    (0x0, "General"),
    (0x8, "Address"),
    (0x9, "Source Routeing"),
    (0xa, "Lifetime"),
    (0xb, "PDU Discarded"),
    (0xc, "Reassembly"),
];

/// The reasons of each discard class, by class.
fn discard_reasons(class: u8) -> &'static [(u8, &'static str)] {
    match class {
        0x0 => &[
            (0x0, "Reason not specified"),
            (0x1, "Protocol procedure error"),
            (0x2, "Incorrect checksum"),
            (0x3, "PDU discarded due to congestion"),
            (0x4, "Header syntax error (cannot be parsed)"),
            (0x5, "Segmentation needed but not permitted"),
            (0x6, "Incomplete PDU received"),
            (0x7, "Duplicate option"),
        ],
        0x8 => &[
            (0x0, "Destination address unreachable"),
            (0x1, "Destination address unknown"),
        ],
        0x9 => &[
            (0x0, "Unspecified source routeing error"),
            (0x1, "Syntax error in source routeing field"),
            (0x2, "Unknown address in source routeing field"),
            (0x3, "Path not acceptable"),
        ],
        0xa => &[
            (0x0, "Lifetime expired while data unit in transit"),
            (0x1, "Lifetime expired during reassembly"),
        ],
        0xb => &[
            (0x0, "Unsupported option not specified"),
            (0x1, "Unsupported protocol version"),
            (0x2, "Unsupported security option"),
            (0x3, "Unsupported source routeing option"),
            (0x4, "Unsupported recording of route option"),
        ],
        0xc => &[(0x0, "Reassembly interference")],
        _ => &[],
    }
}

/// The scope of the QoS and security options (their top two bits).
const SCOPES: &[(u8, &str)] = &[
    (0x40, "Source Address Specific"),
    (0x80, "Destination Address Specific"),
    (0xc0, "Globally unique"),
];
const GLOBAL: u8 = 0xc0;

const QOS_FLAGS: &[Bit] = &[
    (0x20, "reserved"),
    (0x10, "sequencing vs. delay"),
    (0x08, "congested"),
    (0x04, "delay vs. cost"),
    (0x02, "error vs. delay"),
    (0x01, "error vs. cost"),
];

const ROUTE_KINDS: &[(u8, &str)] = &[(0, "partial"), (1, "complete")];

/// tcpdump's words for header errors after which it dumps the PDU.
const SHORT_ADDRESSES: &str = "li < size of fixed part of CLNP header and addresses";

/// What one PDU's printer leaves to do.
enum Step {
    /// Its end (tcpdump's return value).
    End(End),
    /// An error report's returned PDU from `at`, `length` bytes declared.
    Original { at: usize, length: usize },
}

/// The PDU `m` (the NLPID first), `length` bytes declared; an error
/// report's returned PDU is printed after it as tcpdump's recursion does
/// (the call is its last act, so a loop here).
pub(super) fn clnp(w: &mut Vec<u8>, m: &[u8], length: usize, v: u8) -> Result<End, Cut> {
    let (mut at, mut length, mut outer) = (0, length, true);
    loop {
        match pdu(w, m.get(at..).unwrap_or(&[]), length, v)? {
            // Only the outer PDU's failure has the whole dumped.
            Step::End(end) => return Ok(if outer { end } else { End::Done }),
            Step::Original {
                at: next,
                length: n,
            } => {
                w.extend_from_slice(b"\n\t-----original packet-----\n\t");
                at += next;
                length = n;
                outer = false;
            }
        }
    }
}

/// One PDU: `Err(Checked)` where tcpdump's `ND_TCHECK` failed (it prints
/// ` [|clnp]` and returns), `Err(Jumped)` where a `GET_` read past the
/// capture.
fn pdu(w: &mut Vec<u8>, m: &[u8], length: usize, v: u8) -> Result<Step, Cut> {
    let dump = Ok(Step::End(End::Dump));
    need(m, 0, HEADER).map_err(|_| Cut::Checked)?;
    let li = usize::from(u8_at(m, 1)?);
    w.extend_from_slice(b"CLNP");
    let version = u8_at(m, 2)?;
    if version != 1 {
        out!(w, "version {version} packet not supported");
        return dump;
    }
    if li > length {
        out!(w, " length indicator({li}) > PDU size ({length})!");
        return dump;
    }
    if li < HEADER {
        out!(w, " length indicator {li} < min PDU size:");
        for b in m {
            out!(w, "{b:02X}");
        }
        return dump;
    }
    let kind = u8_at(m, 4)? & 0x1f;
    let flags = u8_at(m, 4)? & 0xe0;
    let mut p = HEADER;
    let mut rem = li - HEADER;
    let address = |p: &mut usize, rem: &mut usize| -> Result<Option<(usize, usize)>, Cut> {
        if *rem < 1 {
            return Ok(None);
        }
        let len = usize::from(u8_at(m, *p)?);
        *p += 1;
        *rem -= 1;
        if *rem < len {
            return Ok(None);
        }
        checked(need(m, *p, len))?;
        let at = *p;
        *p += len;
        *rem -= len;
        Ok(Some((at, len)))
    };
    let Some(dst) = address(&mut p, &mut rem)? else {
        w.extend_from_slice(SHORT_ADDRESSES.as_bytes());
        return dump;
    };
    let Some(src) = address(&mut p, &mut rem)? else {
        w.extend_from_slice(SHORT_ADDRESSES.as_bytes());
        return dump;
    };
    let name = |w: &mut Vec<u8>| match tok(PDU_TYPES, kind) {
        Some(n) => w.extend_from_slice(n.as_bytes()),
        None => out!(w, "unknown ({kind})"),
    };
    if v < 1 {
        w.extend_from_slice(b", ");
        put_nsap(w, m, src.0, src.1)?;
        w.extend_from_slice(b" > ");
        put_nsap(w, m, dst.0, dst.1)?;
        w.extend_from_slice(b", ");
        name(w);
        out!(w, ", length {length}");
        return Ok(Step::End(End::Done));
    }
    out!(w, ", length {length}\n\t");
    name(w);
    let lifetime = u8_at(m, 3)?;
    let sum = u16_at(m, 7)?;
    out!(
        w,
        " PDU, hlen: {li}, v: {version}, lifetime: {}.{}s, Segment PDU length: {}, checksum: 0x{sum:04x}",
        lifetime / 2,
        (lifetime % 2) * 5,
        u16_at(m, 5)?
    );
    put_checksum(w, m, 0, sum, 7, li);
    w.extend_from_slice(b"\n\tFlags [");
    put_bits(w, FLAGS, u32::from(flags), "none");
    out!(w, "]\n\tsource address (length {}): ", src.1);
    put_nsap(w, m, src.0, src.1)?;
    out!(w, "\n\tdest   address (length {}): ", dst.1);
    put_nsap(w, m, dst.0, dst.1)?;
    if flags & SEGMENTATION != 0 {
        if rem < SEGMENT {
            w.extend_from_slice(
                b"li < size of fixed part of CLNP header, addresses, and segment part",
            );
            return dump;
        }
        checked(need(m, p, SEGMENT))?;
        out!(
            w,
            "\n\tData Unit ID: 0x{:04x}, Segment Offset: {}, Total PDU Length: {}",
            u16_at(m, p)?,
            u16_at(m, p + 2)?,
            u16_at(m, p + 4)?
        );
        p += SEGMENT;
        rem -= SEGMENT;
    }
    while rem != 0 {
        if rem < 2 {
            w.extend_from_slice(b", bad opts/li");
            return dump;
        }
        let op = u8_at(m, p)?;
        let len = usize::from(u8_at(m, p + 1)?);
        p += 2;
        rem -= 2;
        if len > rem {
            out!(w, ", opt ({op}) too long");
            return dump;
        }
        checked(need(m, p, len))?;
        rem -= len;
        out!(
            w,
            "\n\t  {} Option #{op}, length {len}, value: ",
            tok(OPTIONS, op).unwrap_or("Unknown")
        );
        if let End::Dump = option(w, m, p, op, len)? {
            return dump;
        }
        if v > 1 {
            hex(w, m, p, len, b"\n\t  ");
        }
        p += len;
    }
    if matches!(kind, ERROR_REPORT | ECHO_RESPONSE) && u8_at(m, p)? == NLPID_CLNP {
        return Ok(Step::Original {
            at: p,
            length: length - li,
        });
    }
    if length > p {
        out!(w, "\n\t  undecoded non-header data, length {}", length - li);
        hex(w, m, p, length - p, b"\n\t  ");
    }
    Ok(Step::End(End::Done))
}

/// One option's value, `len` bytes at `at` (all captured); `Dump` where
/// tcpdump finds it too short and gives up on the PDU.
fn option(w: &mut Vec<u8>, m: &[u8], at: usize, op: u8, len: usize) -> Result<End, Cut> {
    let short = |w: &mut Vec<u8>| {
        w.extend_from_slice(b", bad opt len");
        Ok(End::Dump)
    };
    match op {
        200 | 203 => {
            if len < 2 {
                return short(w);
            }
            out!(
                w,
                "{} {}",
                tok(ROUTE_KINDS, u8_at(m, at)?).unwrap_or("Unknown"),
                if op == 200 {
                    "source routing"
                } else {
                    "recording of route in progress"
                }
            );
            let offset = usize::from(u8_at(m, at + 1)?);
            if offset == 0 {
                w.extend_from_slice(b" Bad NSAP offset (0)");
                return Ok(End::Done);
            }
            if offset - 1 > len {
                w.extend_from_slice(b" Bad NSAP offset (past end of option)");
                return Ok(End::Done);
            }
            // tcpdump's loop reads the same address length each time.
            let first = at + offset - 1;
            let mut left = len - (offset - 1);
            while left > 0 {
                let n = usize::from(u8_at(m, first)?);
                if left < n + 1 {
                    w.extend_from_slice(b"\n\t    NSAP address goes past end of option");
                    break;
                }
                if n > 0 {
                    out!(w, "\n\t    NSAP address (length {n}): ");
                    put_nsap(w, m, first + 1, n)?;
                }
                left -= n + 1;
            }
        }
        205 => {
            if len < 1 {
                return short(w);
            }
            out!(w, "0x{:x}", u8_at(m, at)? & 0x0f);
        }
        195 => {
            if len < 1 {
                return short(w);
            }
            let x = u8_at(m, at)?;
            out!(
                w,
                "\n\t    Format Code: {}",
                tok(SCOPES, x & 0xc0).unwrap_or("Reserved")
            );
            if x & 0xc0 == GLOBAL {
                w.extend_from_slice(b"\n\t    QoS Flags [");
                put_bits(w, QOS_FLAGS, u32::from(x & 0x3f), "none");
                w.push(b']');
            }
        }
        197 => {
            if len < 2 {
                return short(w);
            }
            out!(
                w,
                "\n\t    Format Code: {}, Security-Level {}",
                tok(SCOPES, u8_at(m, at)? & 0xc0).unwrap_or("Reserved"),
                u8_at(m, at + 1)?
            );
        }
        193 => {
            if len < 1 {
                return short(w);
            }
            let x = u8_at(m, at)?;
            let (class, reason) = (x >> 4, x & 0x0f);
            out!(
                w,
                "\n\t    Class: {} Error (0x{class:x}), {} (0x{reason:x})",
                tok(DISCARD_CLASSES, class).unwrap_or("Unknown"),
                tok(discard_reasons(class), reason).unwrap_or("Unknown")
            );
        }
        204 => w.extend_from_slice(b"padding data"),
        _ => hex(w, m, at, len, b"\n\t  "),
    }
    Ok(End::Done)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

/// The header's fields, the addresses, the segmentation part and the
/// options' types; `complete` is false where the capture or the length
/// indicator ended first.
fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> super::wire::Res<()> {
    let li = usize::from(u8_at(m, 1)?);
    o.insert("nlpid".into(), json!(u8_at(m, 0)?));
    o.insert("length_indicator".into(), json!(li));
    o.insert("version".into(), json!(u8_at(m, 2)?));
    o.insert("lifetime".into(), json!(u8_at(m, 3)?));
    let kind = u8_at(m, 4)? & 0x1f;
    let flags = u8_at(m, 4)? & 0xe0;
    o.insert("pdu_type".into(), json!(kind));
    o.insert("pdu_type_name".into(), json!(tok(PDU_TYPES, kind)));
    o.insert("flags".into(), json!(flags));
    o.insert("segment_length".into(), json!(u16_at(m, 5)?));
    o.insert("checksum".into(), json!(u16_at(m, 7)?));
    let mut p = HEADER;
    for key in ["destination", "source"] {
        let len = usize::from(u8_at(m, p)?);
        let mut s = Vec::new();
        put_nsap(&mut s, m, p + 1, len)?;
        o.insert(key.into(), json!(String::from_utf8_lossy(&s)));
        p += 1 + len;
    }
    if flags & SEGMENTATION != 0 {
        o.insert(
            "segment".into(),
            json!({"data_unit_id": u16_at(m, p)?, "offset": u16_at(m, p + 2)?,
                   "total_length": u16_at(m, p + 4)?}),
        );
        p += SEGMENT;
    }
    let mut options = Vec::new();
    while p + 2 <= li {
        let (op, len) = (u8_at(m, p)?, u8_at(m, p + 1)?);
        options.push(json!({"type": op, "name": tok(OPTIONS, op), "length": len}));
        p += 2 + usize::from(len);
    }
    o.insert("options".into(), Value::Array(options));
    super::wire::need(m, 0, li)
}
