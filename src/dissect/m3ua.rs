//! M3UA (RFC 4666, SS7 MTP3 user adaptation) inside an SCTP DATA chunk
//! of payload protocol 3, as `tcpdump -vv` prints it under the chunk: the
//! message's class and type (`ASP Up Message`), then one line per
//! parameter — its name and either its 32-bit value (network appearance,
//! routing context, correlation ID) or its length. Below `-vv` tcpdump
//! prints nothing of it.
//!
//! Two of tcpdump's habits are kept because the output must be its own:
//! the 32-bit value it prints is read from the parameter's *header* (tag
//! and length: `Routing Context: 0x00060008`), and a parameter's length
//! and padding are checked against the capture, not the message. The
//! chunk around it was checked whole before, so the printer never reads
//! past the capture unchecked; but where its own checks find the capture
//! short, tcpdump 4.99.3 prints ` [|m3ua]` and ends the packet there, as
//! after a `longjmp` (`Err` here: the caller prints the mark).

use super::Truncated;
use super::ctl::{out, tok};
use super::wire::{Res, u8_at, u16_at, u32_at};
use serde_json::{Value, json};

const COMMON_HEADER: usize = 8;
const PARAM_HEADER: usize = 4;

/// A message class: its number, name and message types.
type Class = (u8, &'static str, &'static [(u8, &'static str)]);

/// The message classes tcpdump names, with each class's message types.
const CLASSES: &[Class] = &[
    (0, "Management", &[(0, "Error"), (1, "Notify")]),
    (1, "Transfer", &[(1, "Data")]),
    (
        2,
        "SS7",
        &[
            (1, "Destination Unavailable"),
            (2, "Destination Available"),
            (3, "Destination State Audit"),
            (4, "Signalling Congestion"),
            (5, "Destination User Part Unavailable"),
            (6, "Destination Restricted"),
        ],
    ),
    (
        3,
        "ASP",
        &[
            (1, "Up"),
            (2, "Down"),
            (3, "Heartbeat"),
            (4, "Up Acknowledgement"),
            (5, "Down Acknowledgement"),
            (6, "Heartbeat Acknowledgement"),
        ],
    ),
    (
        4,
        "ASP",
        &[
            (1, "Active"),
            (2, "Inactive"),
            (3, "Active Acknowledgement"),
            (4, "Inactive Acknowledgement"),
        ],
    ),
    (
        9,
        "Routing Key Management",
        &[
            (1, "Registration Request"),
            (2, "Registration Response"),
            (3, "Deregistration Request"),
            (4, "Deregistration Response"),
        ],
    ),
];

const PARAMS: &[(u16, &str)] = &[
    (0x0004, "INFO String"),
    (0x0006, "Routing Context"),
    (0x0007, "Diagnostic Info"),
    (0x0009, "Heartbeat Data"),
    (0x000b, "Traffic Mode Type"),
    (0x000c, "Error Code"),
    (0x000d, "Status"),
    (0x0011, "ASP Identifier"),
    (0x0012, "Affected Point Code"),
    (0x0013, "Correlation ID"),
    (0x0200, "Network Appearance"),
    (0x0204, "User/Cause"),
    (0x0205, "Congestion Indications"),
    (0x0206, "Concerned Destination"),
    (0x0207, "Routing Key"),
    (0x0208, "Registration Result"),
    (0x0209, "Deregistration Result"),
    (0x020a, "Local Routing Key Identifier"),
    (0x020b, "Destination Point Code"),
    (0x020c, "Service Indicators"),
    (0x020e, "Originating Point Code List"),
    (0x0210, "Protocol Data"),
    (0x0212, "Registration Status"),
    (0x0213, "Deregistration Status"),
];

/// The parameters whose value tcpdump prints as a 32-bit number.
const NUMBERED: [u16; 3] = [0x0200, 0x0006, 0x0013];

pub(super) const CUT: &[u8] = b" [|m3ua]";

/// Whether `n` bytes from `at` were captured (tcpdump's `ND_TTEST_LEN`).
fn captured(m: &[u8], at: usize, n: usize) -> bool {
    at.checked_add(n).is_some_and(|end| end <= m.len())
}

fn class(c: u8) -> Option<&'static Class> {
    CLASSES.iter().find(|(k, _, _)| *k == c)
}

/// The message of `size` bytes at `at` of `m` (the SCTP packet as
/// captured), after its chunk's line.
pub(super) fn print(w: &mut Vec<u8>, m: &[u8], at: usize, size: usize) -> Res<()> {
    if size < COMMON_HEADER {
        return invalid(w, m, at, size);
    }
    if !captured(m, at, COMMON_HEADER) {
        return Err(Truncated);
    }
    // Only release 1.0 is printed; another is passed over in silence.
    if u8_at(m, at)? != 1 {
        return Ok(());
    }
    let (c, kind) = (u8_at(m, at + 2)?, u8_at(m, at + 3)?);
    match class(c) {
        Some((_, name, types)) => {
            out!(w, "\n\t\t{name}");
            match tok(types, kind) {
                Some(t) => out!(w, " {t} Message"),
                None => out!(w, " Unknown (0x{kind:02x}) Message"),
            }
        }
        None => out!(w, "\n\t\tUnknown message class {c}"),
    }
    let declared = u32_at(m, at + 4)?;
    if usize::try_from(declared).ok() != Some(size) {
        out!(
            w,
            "\n\t\t\t@@@@@@ Corrupted length {declared} of message @@@@@@"
        );
        return Ok(());
    }
    params(w, m, at + COMMON_HEADER, size - COMMON_HEADER)
}

/// ` (invalid)`, then the check that the `size` bytes from `at` are there.
fn invalid(w: &mut Vec<u8>, m: &[u8], at: usize, size: usize) -> Res<()> {
    w.extend_from_slice(b" (invalid)");
    if !captured(m, at, size) {
        return Err(Truncated);
    }
    Ok(())
}

/// The parameters in the `size` bytes from `start`: each ends on a 4-byte
/// boundary counted from the first, and one whose length is under its
/// header's ends the list as invalid.
fn params(w: &mut Vec<u8>, m: &[u8], start: usize, size: usize) -> Res<()> {
    let mut off = 0usize;
    while off < size {
        if off + PARAM_HEADER > size {
            return invalid(w, m, start, size);
        }
        let p = start + off;
        if !captured(m, p, PARAM_HEADER) {
            return Err(Truncated);
        }
        let tag = u16_at(m, p)?;
        match tok(PARAMS, tag) {
            Some(name) => out!(w, "\n\t\t\t{name}: "),
            None => out!(w, "\n\t\t\tUnknown Parameter (0x{tag:04x}): "),
        }
        let len = usize::from(u16_at(m, p + 2)?);
        if len < PARAM_HEADER {
            return invalid(w, m, start, size);
        }
        let pad = (4 - (off + len) % 4) % 4;
        if !captured(m, p, len + pad) {
            return Err(Truncated);
        }
        if NUMBERED.contains(&tag) {
            if len - PARAM_HEADER < 4 {
                w.extend_from_slice(b" (invalid)");
            } else {
                out!(w, "0x{:08x}", u32_at(m, p)?);
            }
        } else {
            out!(w, "(length {len})");
        }
        off += len + pad;
    }
    Ok(())
}

/// The `--json` object of the message of `size` bytes at `at`: its
/// header and its parameters' tags, names and lengths, as far as
/// captured.
pub(super) fn json(m: &[u8], at: usize, size: usize) -> Value {
    let Some(head) = m.get(at..at.saturating_add(COMMON_HEADER)) else {
        return json!({"truncated": true});
    };
    let (c, kind) = (head[2], head[3]);
    let found = class(c);
    let mut params = Vec::new();
    let mut off = COMMON_HEADER;
    while off + PARAM_HEADER <= size && params.len() < size / PARAM_HEADER {
        let (Ok(tag), Ok(len)) = (u16_at(m, at + off), u16_at(m, at + off + 2)) else {
            break;
        };
        params.push(json!({"tag": tag, "name": tok(PARAMS, tag), "length": len}));
        if usize::from(len) < PARAM_HEADER {
            break;
        }
        off += (usize::from(len) + 3) & !3;
    }
    json!({
        "version": head[0],
        "class": c,
        "class_name": found.map(|f| f.1),
        "type": kind,
        "type_name": found.and_then(|f| tok(f.2, kind)),
        "length": u32::from_be_bytes([head[4], head[5], head[6], head[7]]),
        "parameters": params,
    })
}
