//! OpenBSD's enc(4) records in a line, as tcpdump 4.99 prints them: the
//! flags it names (`(authentic,confidential): `, `(unprotected): ` for
//! none; a name is followed by `): ` only when no other flag is left, so
//! other bits leave the parenthesis open, as tcpdump's printer does),
//! `SPI 0x12345678: `, then the packet by the header's family (nothing
//! for another family); `-e` adds nothing but leaves out the IP printer's
//! `IP `.

use super::Frame;
use crate::decode::enc::{self, HEADER_LEN, M_AUTH, M_CONF};
use crate::dissect::ctl::out;
use serde_json::{Value, json};

pub(super) fn write_prefix(w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
    let Some(h) = enc::header(f.data) else {
        return false;
    };
    let mut flags = h.flags;
    if flags == 0 {
        w.extend_from_slice(b"(unprotected): ");
    } else {
        w.push(b'(');
    }
    for (bit, name) in [(M_AUTH, "authentic"), (M_CONF, "confidential")] {
        if flags & bit != 0 {
            let end = if flags == bit { "): " } else { "," };
            out!(w, "{name}{end}");
            flags &= !bit;
        }
    }
    out!(w, "SPI 0x{:08x}: ", h.spi);
    f.eflag
}

/// Where the `-x` dump of a record of another family starts: after the
/// header.
pub(super) fn message_dump_from(f: &Frame<'_>) -> Option<usize> {
    (f.data.len() >= HEADER_LEN).then_some(HEADER_LEN)
}

pub(super) fn to_json(f: &Frame<'_>) -> Option<Value> {
    let h = enc::header(f.data)?;
    Some(json!({
        "type": "enc",
        "af": h.af,
        "spi": h.spi,
        "flags": h.flags,
        "authentic": h.flags & M_AUTH != 0,
        "confidential": h.flags & M_CONF != 0,
    }))
}
